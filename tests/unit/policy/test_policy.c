/*
 * test_policy: the profile loader (every kind of error names the right line),
 * the matching semantics of the decision engine, the SPEC §3 JSON, password
 * checks, the classification accessors, coverage and the OSCAL export.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "policy/policy.h"
#include "testutil.h"

/* A fixed head for inline profiles; tests append their rules (and more) to it. */
static const char head[] = "format: 1\n"
                           "city: {id: t, name: 試験市, short: 試験}\n"
                           "articles:\n"
                           "  - {id: \"1\", title: a}\n"
                           "  - {id: \"2\", title: b}\n"
                           "  - {id: \"3\", title: c}\n"
                           "  - {id: \"4\", title: d, out_of_scope: 人が行う}\n"
                           "classification:\n"
                           "  conf: {name: 機密性, levels: [{id: \"1\", label: 機密性1}, "
                           "{id: \"2\", label: 機密性2}, {id: \"3\", label: 機密性3}]}\n"
                           "  integ: {name: 完全性, levels: [{id: \"1\", label: 完全性1}, "
                           "{id: \"2\", label: 完全性2}]}\n"
                           "  avail: {name: 可用性, levels: [{id: \"1\", label: 可用性1}, "
                           "{id: \"2\", label: 可用性2}]}\n"
                           "roles:\n"
                           "  ciso: {title: CISO}\n"
                           "  security_manager: {title: 課長, reports_to: ciso}\n"
                           "  city: {title: 甲}\n"
                           "rules:\n";

static int head_lines(void)
{
	int n = 0;
	for (const char *c = head; *c; c++)
		n += *c == '\n';
	return n;
}

static sk_err load_with(const char *tail, sk_policy **p, sk_buf *diag)
{
	sk_buf src = SK_BUF_INIT(1u << 20);
	assert_int_equal(sk_buf_adds(&src, head), SK_OK);
	assert_int_equal(sk_buf_adds(&src, tail), SK_OK);
	sk_err rc = sk_policy_load_mem("t.yaml", src.data, src.len, p, diag);
	sk_buf_free(&src);
	return rc;
}

static sk_policy *must_load(const char *tail)
{
	sk_buf diag = SK_BUF_INIT(1u << 20);
	sk_policy *p = NULL;
	sk_err rc = load_with(tail, &p, &diag);
	if (rc != SK_OK)
		fail_msg("profile did not load: %s", diag.data);
	sk_buf_free(&diag);
	return p;
}

/* --- loader errors: each case names the line (relative to the tail) and a phrase --- */

struct bad_case {
	const char *tail;
	int line; /* 1-based line within tail */
	const char *phrase;
};

static const struct bad_case bad_cases[] = {
    {"  - {id: r, action: fly, decision: allow, cite: \"1\"}\n", 1, "unknown action 'fly'"},
    {"  - id: r\n    action: copy\n    decision: maybe\n    cite: \"1\"\n", 3,
     "unknown decision 'maybe'"},
    {"  - id: r\n    action: copy\n    when: {conf: \"9\"}\n    decision: allow\n    cite: \"1\"\n",
     3, "unknown conf level '9'"},
    {"  - id: r\n    action: copy\n    when:\n      zone: moon\n    decision: allow\n"
     "    cite: \"1\"\n",
     4, "unknown zone 'moon'"},
    {"  - id: r\n    action: copy\n    when: {actor_role: king}\n    decision: allow\n"
     "    cite: \"1\"\n",
     3, "unknown role 'king'"},
    {"  - id: r\n    action: copy\n    decision: allow_with_safeguards\n"
     "    safeguards: [magic]\n    cite: \"1\"\n",
     4, "unknown safeguard 'magic'"},
    {"  - id: r\n    action: copy\n    decision: allow\n    cite: [\"1\", \"9\"]\n", 4,
     "article '9'"},
    {"  - id: r\n    action: copy\n    decision: allow\n", 1, "has no cite:"},
    {"  - id: r\n    action: copy\n    decision: allow\n    colour: red\n    cite: \"1\"\n", 4,
     "unknown key 'colour'"},
    {"  - id: r\n    action: copy\n    decision: require_approval\n    cite: \"1\"\n", 1,
     "needs an approver"},
    {"  - id: r\n    action: copy\n    decision: require_approval\n    approver: csirt\n"
     "    cite: \"1\"\n",
     4, "approver 'csirt' has no title"},
    {"  - id: r\n    action: copy\n    decision: forbid\n    approver: ciso\n    cite: \"1\"\n", 4,
     "without exception takes no approver"},
    {"  - id: r\n    action: copy\n    decision: forbid\n    exception: true\n    cite: \"1\"\n", 1,
     "needs the approver"},
    {"  - id: r\n    action: copy\n    decision: allow_with_safeguards\n    cite: \"1\"\n", 1,
     "needs safeguards"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\n"
     "  - {id: r, action: use, decision: allow, cite: \"1\"}\n",
     2, "duplicate rule id 'r'"},
    {"  - id: r\n    action: copy\n    decision: allow\n    exception: maybe\n    cite: \"1\"\n", 4,
     "true or false"},
    {"  - id: r\n    action: copy\n    decision: allow\n    priority: high\n    cite: \"1\"\n", 4,
     "whole number"},
    {"  - id: r\n    action: copy\n    when: {conf: \"<1\"}\n    decision: allow\n    cite: "
     "\"1\"\n",
     3, "can never hold"},
    {"  - id: r\n    action: copy\n    unless: {}\n    decision: allow\n    cite: \"1\"\n", 3,
     "empty unless"},
    {"  - id: r\n    action: copy\n    decision: allow\n    inferred: \"\"\n", 4, "must say why"},
    {"  - id: r\n    action: copy\n    decision: allow\n    cite: \"1\"\n  - [oops]\n", 5,
     "must be a mapping"},
    {"  - id: r\n    action: [copy\n", 3, "YAML syntax error"},
    {"  - &a {id: r, action: copy, decision: allow, cite: \"1\"}\n", 1, "anchors"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\npasswords:\n  normal:\n"
     "    min_length: -3\n    cite: \"1\"\n",
     4, "whole number"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\npasswords:\n  normal:\n"
     "    require: [emoji]\n    cite: \"1\"\n",
     4, "unknown character class 'emoji'"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\npasswords:\n  privileged:\n"
     "    min_length: 9\n    cite: \"1\"\n",
     3, "missing 'normal'"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\nretention:\n"
     "  - {id: x, what: y, years: 1, days: 3, cite: \"1\"}\n",
     3, "exactly one of years and days"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\nchecklist:\n"
     "  - {id: c1, section: s, text: t, answered_by: king, cite: \"1\"}\n",
     3, "unknown role 'king'"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\nzones:\n  moon: {name: 月}\n", 3,
     "unknown zone 'moon'"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\nmfa: {zones: [lgwan, moon], "
     "cite: \"1\"}\n",
     2, "unknown zone 'moon'"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\nextra: 1\n", 2,
     "unknown key 'extra' in the profile"},
    /* several approvers */
    {"  - id: r\n    action: copy\n    decision: require_approval\n    approver: ciso\n"
     "    approvers: {all_of: [ciso, city]}\n    cite: \"1\"\n",
     5, "give approver or approvers, not both"},
    {"  - id: r\n    action: copy\n    decision: require_approval\n"
     "    approvers: {all_of: [ciso]}\n    cite: \"1\"\n",
     4, "all_of needs 2 to 4 roles"},
    {"  - id: r\n    action: copy\n    decision: require_approval\n"
     "    approvers:\n      any_of:\n        - ciso\n        - king\n    cite: \"1\"\n",
     7, "unknown role 'king' as approver"},
    {"  - id: r\n    action: copy\n    decision: require_approval\n"
     "    approvers:\n      any_of: [ciso, csirt]\n    cite: \"1\"\n",
     5, "approver 'csirt' has no title"},
    {"  - id: r\n    action: copy\n    decision: require_approval\n"
     "    approvers:\n      all_of:\n        - ciso\n        - ciso\n    cite: \"1\"\n",
     7, "approver 'ciso' is listed twice"},
    {"  - id: r\n    action: copy\n    decision: require_approval\n"
     "    approvers:\n      one_of: [ciso, city]\n    cite: \"1\"\n",
     5, "unknown key 'one_of'"},
    {"  - id: r\n    action: copy\n    decision: require_approval\n"
     "    approvers: {all_of: [ciso, city], any_of: [ciso, city]}\n    cite: \"1\"\n",
     4, "exactly one of all_of and any_of"},
    {"  - id: r\n    action: copy\n    decision: allow\n"
     "    approvers: {all_of: [ciso, city]}\n    cite: \"1\"\n",
     4, "allow takes no approver"},
    /* asset type and the other end of a connection */
    {"  - id: r\n    action: dispose\n    when:\n      asset_type: [hardware, spaceship]\n"
     "    decision: allow\n    cite: \"1\"\n",
     4, "unknown asset type 'spaceship'"},
    {"  - id: r\n    action: connect_network\n    when:\n      to_zone: moon\n"
     "    decision: allow\n    cite: \"1\"\n",
     4, "unknown zone 'moon'"},
    {"  - id: r\n    action: connect_network\n    when: {to_zone: []}\n"
     "    decision: allow\n    cite: \"1\"\n",
     3, "empty list"},
    /* unstated periods, privileged holders, the exception route */
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\nretention:\n"
     "  - id: x\n    what: y\n    period: forever\n    cite: \"1\"\n",
     5, "period must be 'unspecified'"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\nretention:\n"
     "  - {id: x, what: y, years: 1, period: unspecified, cite: \"1\"}\n",
     3, "exactly one of years and days"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\npasswords:\n  normal:\n"
     "    rotation_days: sometimes\n    cite: \"1\"\n",
     4, "whole number"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\npasswords:\n  normal:\n"
     "    min_holders: 2\n    cite: \"1\"\n",
     4, "min_holders is a rule for privileged IDs only"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\npasswords:\n  normal:\n"
     "    cite: \"1\"\n  privileged:\n    min_holders: 0\n    cite: \"1\"\n",
     6, "whole number"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\nexceptions:\n"
     "  approver: csirt\n  cite: \"1\"\n",
     3, "approver 'csirt' has no title"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\nexceptions:\n"
     "  approver: ciso\n",
     3, "missing 'cite'"},
    /* governs: names rules that exist, share an action, and never lead back */
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\n"
     "  - id: s\n    action: copy\n    governs: [r, nobody]\n    decision: allow\n"
     "    cite: \"1\"\n",
     4, "governs unknown rule 'nobody'"},
    {"  - id: r\n    action: copy\n    governs: r\n    decision: allow\n    cite: \"1\"\n", 3,
     "cannot govern itself"},
    {"  - {id: r, action: use, decision: allow, cite: \"1\"}\n"
     "  - id: s\n    action: copy\n    governs: [r]\n    decision: allow\n    cite: \"1\"\n",
     4, "none of its actions"},
    {"  - id: r\n    action: copy\n    governs: [s]\n    decision: allow\n    cite: \"1\"\n"
     "  - id: s\n    action: copy\n    governs: [t]\n    decision: allow\n    cite: \"1\"\n"
     "  - id: t\n    action: copy\n    governs: [r]\n    decision: allow\n    cite: \"1\"\n",
     3, "forms a cycle"},
    {"  - {id: r, action: copy, decision: allow, cite: \"1\"}\n"
     "  - id: s\n    action: copy\n    governs: [r, r]\n    decision: allow\n"
     "    cite: \"1\"\n",
     4, "governs 'r' twice"},
};

static void test_loader_errors_name_the_line(void **state)
{
	(void)state;
	int h = head_lines();
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		sk_buf diag = SK_BUF_INIT(1u << 20);
		sk_policy *p = NULL;
		sk_err rc = load_with(bad_cases[i].tail, &p, &diag);
		if (rc != SK_ERR_INVALID || p != NULL)
			fail_msg("case %zu loaded (rc %d)", i, rc);
		char want[64];
		snprintf(want, sizeof(want), "t.yaml:%d: ", h + bad_cases[i].line);
		/* the expected phrase must be on a line that starts with the expected position */
		bool found = false;
		for (char *l = diag.data; l && *l;
		     l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
			size_t n = strcspn(l, "\n");
			if (strncmp(l, want, strlen(want)) == 0 &&
			    memmem(l, n, bad_cases[i].phrase, strlen(bad_cases[i].phrase)))
				found = true;
		}
		if (!found)
			fail_msg("case %zu: wanted '%s...%s' in:\n%s", i, want, bad_cases[i].phrase,
			         diag.data);
		sk_buf_free(&diag);
	}
}

static void test_head_errors(void **state)
{
	(void)state;
	static const struct {
		const char *src;
		int line;
		const char *phrase;
	} cases[] = {
	    {"format: 2\n", 1, "unsupported format '2'"},
	    {"format: 1\ncity: {id: x, name: y, short: z}\n", 1, "missing 'articles'"},
	    {"format: 1\ncity: {id: Bad City, name: y, short: z}\n", 2, "city id 'Bad City'"},
	    {"format: 1\narticles:\n  - {id: \"1\", title: a}\n  - {id: \"1\", title: b}\n", 4,
	     "duplicate article id '1'"},
	    {"format: 1\nroles:\n  boss: {title: x}\n", 3, "unknown role 'boss'"},
	    {"format: 1\nroles:\n  ciso: {title: x, reports_to: staff}\n"
	     "  staff: {title: y, reports_to: ciso}\n",
	     3, "cycle"},
	    {"format: 1\nclassification:\n  conf: {name: c, levels: []}\n", 3, "1 to 16 levels"},
	    {"format: 1\nclassification:\n  conf:\n    name: c\n    levels:\n"
	     "      - {id: \"1\", label: a}\n      - {id: \"1\", label: b}\n",
	     7, "duplicate level '1'"},
	    {"", 1, "empty"},
	    {"format: 1\n%\x82\n", 2, "directives"}, /* libfyaml 0.7.12 would loop forever */
	    {"format: 1\ncity: \"\xff\"\n", 2, "not valid UTF-8"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sk_buf diag = SK_BUF_INIT(1u << 20);
		sk_policy *p = NULL;
		assert_int_equal(
		    sk_policy_load_mem("h.yaml", cases[i].src, strlen(cases[i].src), &p, &diag),
		    SK_ERR_INVALID);
		char want[32];
		snprintf(want, sizeof(want), "h.yaml:%d: ", cases[i].line);
		char *at = strstr(diag.data, want);
		if (!at || !strstr(at, cases[i].phrase))
			fail_msg("case %zu: wanted '%s...%s' in:\n%s", i, want, cases[i].phrase,
			         diag.data);
		sk_buf_free(&diag);
	}
}

/* A profile with several approvers, asset types, to_zone and the newer keys (tests below). */
static const char extended[] =
    "  - id: sw\n    action: install_software\n    decision: forbid\n    exception: true\n"
    "    approvers: {any_of: [security_manager, ciso]}\n    cite: \"1\"\n"
    "  - id: dev\n    action: connect_device\n    decision: require_approval\n"
    "    approvers:\n      all_of: [security_manager, ciso]\n    cite: \"1\"\n"
    "  - id: dev-city\n    action: connect_device\n    when: {actor_role: city}\n"
    "    decision: require_approval\n    approver: city\n    cite: \"2\"\n"
    "  - {id: d-all, action: dispose, decision: allow_with_safeguards, safeguards: [record], "
    "cite: \"1\"}\n"
    "  - id: d-hw\n    action: dispose\n    when: {asset_type: [hardware, media]}\n"
    "    decision: allow_with_safeguards\n    safeguards: [irrecoverable_erase]\n"
    "    cite: \"2\"\n"
    "  - id: d-not-doc\n    action: dispose\n    unless: {asset_type: document}\n"
    "    decision: allow_with_safeguards\n    safeguards: [disposal_certificate]\n"
    "    cite: \"3\"\n"
    "  - {id: p-c2, action: provide_external, when: {conf: \">=2\"}, decision: "
    "require_approval, approver: security_manager, safeguards: [encrypt_or_password], "
    "cite: \"1\"}\n"
    "  - {id: p-sw, action: provide_external, when: {asset_type: software}, decision: "
    "require_approval, approver: ciso, cite: \"2\"}\n"
    "  - {id: net, action: connect_network, decision: require_approval, approver: "
    "security_manager, cite: \"1\"}\n"
    "  - id: net-split\n    action: connect_network\n"
    "    when: {zone: lgwan, to_zone: [internet]}\n    decision: forbid\n"
    "    exception: true\n    approver: city\n    safeguards: [ip_restriction]\n"
    "    cite: \"2\"\n"
    "passwords:\n  normal:\n    min_length: 8\n    rotation_days: unspecified\n"
    "    cite: \"1\"\n"
    "  privileged:\n    min_holders: 2\n    cite: \"2\"\n"
    "retention:\n"
    "  - {id: access_log, what: アクセス記録, period: unspecified, cite: \"3\"}\n"
    "  - {id: audit_log, what: 監査ログ, years: 5, cite: \"3\"}\n"
    "exceptions:\n  approver: ciso\n  report_afterwards: true\n  cite: [\"1\", \"2\"]\n";

/* --- matching semantics --- */

static sk_decision decide(const sk_policy *p, const char *action, int conf, int integ,
                          bool mynumber, sk_zone zone, sk_role role)
{
	sk_action a;
	assert_int_equal(sk_action_parse(action, &a), SK_OK);
	sk_decide_input in;
	sk_decide_input_init(&in, a);
	in.level[SK_AXIS_CONF] = conf;
	in.level[SK_AXIS_INTEG] = integ;
	in.mynumber = mynumber;
	in.zone = zone;
	in.actor_role = role;
	sk_decision d;
	assert_int_equal(sk_policy_decide(p, &in, &d), SK_OK);
	return d;
}

static const char layered[] =
    "  - {id: base, action: copy, decision: allow, cite: \"1\"}\n"
    "  - id: c2\n    action: copy\n    when: {conf: \">=1\", integ: \"2\"}\n"
    "    decision: allow_with_safeguards\n    safeguards: [record]\n    cite: \"2\"\n"
    "  - id: c3\n    action: copy\n    when: {conf: \"3\"}\n    decision: forbid\n"
    "    exception: true\n    approver: security_manager\n"
    "    safeguards: [encrypt_or_password]\n    cite: \"3\"\n"
    "  - id: c3-city\n    action: copy\n    when: {conf: \"3\", actor_role: [city]}\n"
    "    decision: forbid\n    exception: true\n    approver: ciso\n    cite: \"3\"\n"
    "  - id: mn\n    action: copy\n    when: {mynumber: true}\n    unless: {zone: mynumber}\n"
    "    decision: forbid\n    cite: \"2\"\n"
    "  - id: over\n    action: copy\n    when: {actor_role: ciso, conf: \"3\"}\n"
    "    decision: allow_with_safeguards\n    safeguards: [label]\n    priority: 5\n"
    "    inferred: test\n";

static void test_strictest_wins_and_unions(void **state)
{
	(void)state;
	sk_policy *p = must_load(layered);
	/* conf 1 integ 1: only the base rule */
	sk_decision d = decide(p, "copy", 0, 0, false, SK_ZONE_NONE, SK_ROLE_NONE);
	assert_int_equal(d.decision, SK_DEC_ALLOW);
	assert_int_equal(d.n_citations, 1);
	assert_string_equal(d.citations[0], "試験 1");
	/* conf 1 integ 2: allow + allow_with_safeguards -> the latter, citations unioned */
	d = decide(p, "copy", 0, 1, false, SK_ZONE_NONE, SK_ROLE_NONE);
	assert_int_equal(d.decision, SK_DEC_ALLOW_WITH_SAFEGUARDS);
	assert_int_equal(d.safeguards, 1u << SK_SG_RECORD);
	assert_int_equal(d.n_citations, 2);
	assert_string_equal(d.citations[1], "試験 2");
	/* conf 3 integ 2: forbid with exception; safeguards of the lesser rule carry over */
	d = decide(p, "copy", 2, 1, false, SK_ZONE_NONE, SK_ROLE_NONE);
	assert_int_equal(d.decision, SK_DEC_FORBID);
	assert_true(d.exception_possible);
	assert_int_equal(d.approver, SK_ROLE_SECURITY_MANAGER);
	assert_int_equal(d.safeguards, (1u << SK_SG_RECORD) | (1u << SK_SG_ENCRYPT_OR_PASSWORD));
	assert_int_equal(d.n_citations, 3);
	/* the more specific forbid rule names the approver, whatever the order */
	d = decide(p, "copy", 2, 1, false, SK_ZONE_NONE, SK_ROLE_CITY);
	assert_int_equal(d.approver, SK_ROLE_CISO);
	/* one outright forbid removes the exception, safeguards and other citations */
	d = decide(p, "copy", 2, 1, true, SK_ZONE_NONE, SK_ROLE_NONE);
	assert_int_equal(d.decision, SK_DEC_FORBID);
	assert_false(d.exception_possible);
	assert_int_equal(d.approver, SK_ROLE_NONE);
	assert_int_equal(d.safeguards, 0);
	assert_int_equal(d.n_citations, 2);
	/* unless: the mynumber zone excludes the mynumber rule */
	d = decide(p, "copy", 2, 1, true, SK_ZONE_MYNUMBER, SK_ROLE_NONE);
	assert_true(d.exception_possible);
	/* a higher priority keeps only its own rules */
	d = decide(p, "copy", 2, 1, true, SK_ZONE_NONE, SK_ROLE_CISO);
	assert_int_equal(d.decision, SK_DEC_ALLOW_WITH_SAFEGUARDS);
	assert_int_equal(d.safeguards, 1u << SK_SG_LABEL);
	assert_int_equal(d.n_citations, 1);
	assert_string_equal(d.citations[0], "試験 (inferred)");
	/* levels not given: the highest is assumed */
	d = decide(p, "copy", SK_LEVEL_UNSET, SK_LEVEL_UNSET, false, SK_ZONE_NONE, SK_ROLE_NONE);
	assert_int_equal(d.decision, SK_DEC_FORBID);
	assert_true(d.exception_possible);
	sk_policy_free(p);
}

/*
 * governs: (issue 17) a rule whose article speaks of the narrower subject sets
 * aside the rules it names when both match, so a flat forbid of a broader
 * article no longer erases its exception; explain names who governs.
 */
static const char governed[] =
    "  - id: zone\n    action: [connect_network, copy]\n    when: {zone: mynumber}\n"
    "    governs: [wiring]\n    decision: forbid\n    exception: true\n    approver: city\n"
    "    safeguards: [ip_restriction]\n    cite: \"1\"\n"
    "  - id: wiring\n    action: connect_network\n    when: {actor_role: [staff, ciso]}\n"
    "    decision: forbid\n    cite: \"2\"\n"
    "  - id: note\n    action: connect_network\n    when: {actor_role: staff}\n"
    "    governs: [zone]\n    priority: -1\n    decision: allow\n    cite: \"3\"\n";

static void test_governs(void **state)
{
	(void)state;
	sk_policy *p = must_load(governed);
	/* the zone rule alone */
	sk_decision d = decide(p, "connect_network", 0, 0, false, SK_ZONE_MYNUMBER, SK_ROLE_NONE);
	assert_int_equal(d.decision, SK_DEC_FORBID);
	assert_true(d.exception_possible);
	assert_int_equal(d.approver, SK_ROLE_CITY);
	assert_int_equal(d.safeguards, 1u << SK_SG_IP_RESTRICTION);
	/* both match: the flat forbid of "wiring" is set aside, the exception survives */
	d = decide(p, "connect_network", 0, 0, false, SK_ZONE_MYNUMBER, SK_ROLE_CISO);
	assert_int_equal(d.decision, SK_DEC_FORBID);
	assert_true(d.exception_possible);
	assert_int_equal(d.approver, SK_ROLE_CITY);
	assert_int_equal(d.safeguards, 1u << SK_SG_IP_RESTRICTION);
	assert_int_equal(d.n_citations, 1);
	assert_string_equal(d.citations[0], "試験 1");
	/* without the governing rule, the governed one answers as before */
	d = decide(p, "connect_network", 0, 0, false, SK_ZONE_LGWAN, SK_ROLE_CISO);
	assert_int_equal(d.decision, SK_DEC_FORBID);
	assert_false(d.exception_possible);
	assert_string_equal(d.citations[0], "試験 2");
	/* a governing rule of a lower priority is not kept, so it sets nothing aside */
	d = decide(p, "connect_network", 0, 0, false, SK_ZONE_MYNUMBER, SK_ROLE_STAFF);
	assert_true(d.exception_possible);
	assert_string_equal(d.citations[0], "試験 1");
	/* the other action of the governing rule is untouched (wiring has no copy) */
	d = decide(p, "copy", 0, 0, false, SK_ZONE_MYNUMBER, SK_ROLE_CISO);
	assert_true(d.exception_possible);

	sk_decide_input in;
	sk_decide_input_init(&in, SK_ACT_CONNECT_NETWORK);
	in.zone = SK_ZONE_MYNUMBER;
	in.actor_role = SK_ROLE_CISO;
	sk_buf out = SK_BUF_INIT(1u << 16);
	assert_int_equal(sk_policy_explain(p, &in, SK_LANG_EN, &out), SK_OK);
	assert_non_null(strstr(out.data, "wiring (line"));
	assert_non_null(strstr(out.data, "matched, but set aside: zone [試験 1] governs it"));
	assert_non_null(strstr(out.data, "\"exception_possible\": true"));
	sk_buf_free(&out);
	sk_policy_free(p);

	/* a governs: list is capped (64), like a rule's citations */
	sk_buf tail = SK_BUF_INIT(1u << 16);
	sk_buf_adds(&tail, "  - id: r\n    action: copy\n    governs: [");
	for (int i = 0; i < 65; i++)
		sk_buf_addf(&tail, "%sg%d", i ? ", " : "", i);
	sk_buf_adds(&tail, "]\n    decision: allow\n    cite: \"1\"\n");
	sk_buf diag = SK_BUF_INIT(1u << 16);
	p = NULL;
	assert_int_equal(load_with(tail.data, &p, &diag), SK_ERR_INVALID);
	assert_null(p);
	assert_non_null(strstr(diag.data, "governs names more than 64 rules"));
	sk_buf_free(&diag);
	sk_buf_free(&tail);
}

/* sk_policy_silent: the inputs answered "no rule; strictest applied", merged into boxes. */
static void test_silent_list(void **state)
{
	(void)state;
	sk_policy *p =
	    must_load("  - id: z\n    action: copy\n    when: {zone: mynumber}\n"
	              "    decision: forbid\n    cite: \"1\"\n"
	              "  - id: c\n    action: copy\n    when: {actor_role: city, conf: \"3\"}\n"
	              "    decision: allow\n    cite: \"2\"\n"
	              "  - {id: u, action: use, decision: allow, cite: \"3\"}\n");
	sk_buf out = SK_BUF_INIT(1u << 20);
	assert_int_equal(sk_policy_silent(p, &out), SK_OK);
	/* an action with no rule: every input; one with an unconditional rule: not listed */
	assert_non_null(strstr(out.data, "\ncreate: every input => forbid\n"));
	assert_null(strstr(out.data, "\nuse:"));
	/* copy: outside the mynumber zone, every actor but the city at 機密性3 is silent */
	assert_non_null(strstr(out.data, "\ncopy: conf=1,2 zone=-,lgwan,internet => forbid\n"));
	assert_non_null(strstr(out.data,
	                       "\ncopy: conf=3 zone=-,lgwan,internet actor=-,ciso,security_manager "
	                       "=> forbid\n"));
	assert_int_equal(strstr(out.data, "copy:") - out.data,
	                 strstr(out.data, "copy: conf=1,2") - out.data);
	sk_buf_free(&out);
	sk_policy_free(p);
}

static void test_silence_and_bad_input(void **state)
{
	(void)state;
	sk_policy *p = must_load(layered);
	/* no rule for publish at all: forbid, no exception, the "strictest" citation */
	sk_decision d = decide(p, "publish", 0, 0, false, SK_ZONE_NONE, SK_ROLE_NONE);
	assert_int_equal(d.decision, SK_DEC_FORBID);
	assert_true(d.no_rule);
	assert_false(d.exception_possible);
	assert_int_equal(d.n_citations, 1);
	assert_string_equal(d.citations[0], "試験 (no rule; strictest applied)");
	sk_policy_free(p);

	/* rules exist but none matches: the action's strictest rules apply */
	p = must_load("  - id: e\n    action: send_email\n    when: {conf: \"3\"}\n"
	              "    decision: require_approval\n    approver: ciso\n"
	              "    safeguards: [bcc]\n    cite: \"1\"\n");
	d = decide(p, "send_email", 0, 0, false, SK_ZONE_NONE, SK_ROLE_NONE);
	assert_int_equal(d.decision, SK_DEC_REQUIRE_APPROVAL);
	assert_int_equal(d.approver, SK_ROLE_CISO);
	assert_int_equal(d.safeguards, 1u << SK_SG_BCC);
	assert_true(d.no_rule);
	assert_string_equal(d.citations[0], "試験 (no rule; strictest applied)");

	sk_decide_input in;
	sk_decide_input_init(&in, SK_ACT_COPY);
	in.level[SK_AXIS_CONF] = 3; /* the scheme has 3 levels: 0..2 */
	assert_int_equal(sk_policy_decide(p, &in, &d), SK_ERR_INVALID);
	sk_decide_input_init(&in, SK_ACT__COUNT);
	assert_int_equal(sk_policy_decide(p, &in, &d), SK_ERR_INVALID);
	sk_policy_free(p);
}

/*
 * The silent answer leaves out the rules that bind other actors only (issue
 * 17): a contractor-only rule is no answer for staff, nor for a question
 * with no actor; with nothing left the answer is a flat forbid.
 */
static sk_decision decide_x(const sk_policy *p, sk_action a, sk_asset_type type, sk_zone zone,
                            sk_zone to_zone, sk_role role, int conf);

static void test_silence_by_actor(void **state)
{
	(void)state;
	sk_policy *p = must_load(
	    /* the action's only rule binds the contractor (新潟 別記 第22条第2項's shape) */
	    "  - id: k\n    action: process_outside\n    when: {actor_role: contractor}\n"
	    "    decision: allow_with_safeguards\n    safeguards: [record]\n    cite: \"1\"\n"
	    /* a rule for every actor beside a stricter one for the contractor */
	    "  - id: z\n    action: copy\n    when: {zone: mynumber}\n"
	    "    decision: require_approval\n    approver: ciso\n    cite: \"1\"\n"
	    "  - id: c\n    action: copy\n    when: {actor_role: contractor, conf: \"3\"}\n"
	    "    decision: forbid\n    cite: \"2\"\n"
	    /* unless: of the actor alone: the rule never holds for the CISO */
	    "  - id: u\n    action: send_email\n    unless: {actor_role: ciso}\n"
	    "    decision: forbid\n    exception: true\n    approver: ciso\n    cite: \"3\"\n"
	    "  - id: v\n    action: send_email\n    when: {conf: \"3\"}\n"
	    "    decision: allow\n    cite: \"3\"\n"
	    /* a typed rule for every actor, a stricter untyped one for the contractor */
	    "  - id: h\n    action: dispose\n    when: {asset_type: hardware}\n"
	    "    decision: allow_with_safeguards\n    safeguards: [irrecoverable_erase]\n"
	    "    cite: \"1\"\n"
	    "  - id: d\n    action: dispose\n    when: {actor_role: contractor}\n"
	    "    decision: require_approval\n    approver: city\n    cite: \"2\"\n");
	const char *silent = "試験 (no rule; strictest applied)";
	/* no actor, staff: nothing binds them, so forbid outright, cited as silence */
	const sk_role none_staff[] = {SK_ROLE_NONE, SK_ROLE_STAFF};
	for (int i = 0; i < 2; i++) {
		sk_decision d =
		    decide(p, "process_outside", 0, 0, false, SK_ZONE_NONE, none_staff[i]);
		assert_true(d.no_rule);
		assert_int_equal(d.decision, SK_DEC_FORBID);
		assert_false(d.exception_possible);
		assert_int_equal(d.safeguards, 0);
		assert_int_equal(d.approver, SK_ROLE_NONE);
		assert_int_equal(d.n_citations, 1);
		assert_string_equal(d.citations[0], silent);
	}
	/* the contractor: the rule itself */
	sk_decision d = decide(p, "process_outside", 0, 0, false, SK_ZONE_NONE, SK_ROLE_CONTRACTOR);
	assert_false(d.no_rule);
	assert_int_equal(d.decision, SK_DEC_ALLOW_WITH_SAFEGUARDS);
	assert_int_equal(d.safeguards, 1u << SK_SG_RECORD);
	assert_string_equal(d.citations[0], "試験 1");

	/* copy outside the zone: staff and no actor get z, the contractor also c (stricter) */
	d = decide(p, "copy", 0, 0, false, SK_ZONE_LGWAN, SK_ROLE_STAFF);
	assert_true(d.no_rule);
	assert_int_equal(d.decision, SK_DEC_REQUIRE_APPROVAL);
	assert_int_equal(d.approver, SK_ROLE_CISO);
	d = decide(p, "copy", 0, 0, false, SK_ZONE_LGWAN, SK_ROLE_NONE);
	assert_int_equal(d.decision, SK_DEC_REQUIRE_APPROVAL);
	d = decide(p, "copy", 0, 0, false, SK_ZONE_LGWAN, SK_ROLE_CONTRACTOR);
	assert_true(d.no_rule);
	assert_int_equal(d.decision, SK_DEC_FORBID);
	assert_false(d.exception_possible);

	/* send_email by the CISO at 機密性1: u never holds for the CISO, so v is the answer */
	d = decide(p, "send_email", 0, 0, false, SK_ZONE_NONE, SK_ROLE_CISO);
	assert_true(d.no_rule);
	assert_int_equal(d.decision, SK_DEC_ALLOW);
	assert_string_equal(d.citations[0], silent);

	/* the silent answer folded in for an unknown type is the asking actor's too */
	d = decide_x(p, SK_ACT_DISPOSE, SK_ASSET_UNKNOWN, SK_ZONE_NONE, SK_ZONE_NONE, SK_ROLE_STAFF,
	             0);
	assert_false(d.no_rule);
	assert_int_equal(d.decision, SK_DEC_ALLOW_WITH_SAFEGUARDS);
	assert_int_equal(d.safeguards, 1u << SK_SG_IRRECOVERABLE_ERASE);
	assert_int_equal(d.n_citations, 2);
	assert_string_equal(d.citations[1], silent);
	d = decide_x(p, SK_ACT_DISPOSE, SK_ASSET_DOCUMENT, SK_ZONE_NONE, SK_ZONE_NONE,
	             SK_ROLE_STAFF, 0);
	assert_true(d.no_rule);
	assert_int_equal(d.decision, SK_DEC_ALLOW_WITH_SAFEGUARDS);
	d = decide_x(p, SK_ACT_DISPOSE, SK_ASSET_DOCUMENT, SK_ZONE_NONE, SK_ZONE_NONE,
	             SK_ROLE_CONTRACTOR, 0);
	assert_false(d.no_rule); /* d holds for the contractor, whatever the type */
	assert_int_equal(d.decision, SK_DEC_REQUIRE_APPROVAL);

	/* --explain says why */
	sk_buf out = SK_BUF_INIT(1u << 16);
	sk_decide_input in;
	sk_decide_input_init(&in, SK_ACT_PROCESS_OUTSIDE);
	assert_int_equal(sk_policy_explain(p, &in, SK_LANG_EN, &out), SK_OK);
	assert_non_null(strstr(out.data, "every rule of process_outside binds named actors only"));
	sk_buf_reset(&out);
	sk_decide_input_init(&in, SK_ACT_COPY);
	in.actor_role = SK_ROLE_STAFF;
	in.zone = SK_ZONE_LGWAN;
	assert_int_equal(sk_policy_explain(p, &in, SK_LANG_EN, &out), SK_OK);
	assert_non_null(strstr(out.data, "the strictest rule of copy that can hold for this actor "
	                                 "applies (1 rule(s) for other actors only left out)"));

	/* the silent list gives each actor its own answer */
	sk_buf_reset(&out);
	assert_int_equal(sk_policy_silent(p, &out), SK_OK);
	assert_non_null(strstr(out.data, "\nprocess_outside: actor=-,ciso,security_manager,city "
	                                 "=> forbid\n"));
	assert_null(strstr(out.data, "actor=contractor => allow_with_safeguards"));
	assert_non_null(strstr(out.data,
	                       "\ncopy: zone=-,lgwan,internet actor=-,ciso,security_manager,city "
	                       "=> require_approval by ciso\n"));
	assert_non_null(strstr(out.data, "\ncopy: conf=1,2 zone=-,lgwan,internet actor=contractor "
	                                 "=> forbid\n"));
	sk_buf_free(&out);
	sk_policy_free(p);
}

/* The one input parser of every door: names, vocabulary, levels, mynumber implying personal. */
static void test_decide_input_parse(void **state)
{
	(void)state;
	sk_policy *p = must_load(layered);
	sk_decide_input in;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	const sk_decide_kv all[] = {
	    {"action", "send_email"}, {"conf", "2"},           {"integ", "1"},
	    {"avail", NULL},          {"mynumber", "true"},    {"personal", "false"},
	    {"zone", "lgwan"},        {"to_zone", "internet"}, {"asset_type", "media"},
	    {"actor_role", "staff"},
	};
	assert_int_equal(sk_decide_input_parse(p, all, sizeof(all) / sizeof(all[0]), &in, &err),
	                 SK_OK);
	assert_int_equal(in.action, SK_ACT_SEND_EMAIL);
	assert_int_equal(in.level[SK_AXIS_CONF], 1);
	assert_int_equal(in.level[SK_AXIS_AVAIL], SK_LEVEL_UNSET);
	assert_true(in.mynumber);
	assert_true(in.personal); /* implied, even when given as false */
	assert_int_equal(in.zone, SK_ZONE_LGWAN);
	assert_int_equal(in.to_zone, SK_ZONE_INTERNET);
	assert_int_equal(in.asset_type, SK_ASSET_MEDIA);
	assert_int_equal(in.actor_role, SK_ROLE_STAFF);
	static const struct {
		sk_decide_kv kv[2];
		const char *msg;
	} bad[] = {
	    {{{"conf", "1"}, {NULL, NULL}}, "'action' is required"},
	    {{{"action", "fly"}, {NULL, NULL}}, "unknown action 'fly'"},
	    {{{"action", "copy"}, {"conf", "9"}}, "unknown conf level '9' for profile"},
	    {{{"action", "copy"}, {"action", "use"}}, "action is given twice"},
	    {{{"action", "copy"}, {"colour", "red"}}, "unknown decision input 'colour'"},
	    {{{"action", "copy"}, {"personal", "yes"}}, "personal must be true or false"},
	    {{{"action", "copy"}, {"to_zone", "moon"}}, "unknown to_zone 'moon'"},
	    {{{"action", "copy"}, {"actor_role", "king"}}, "unknown role 'king'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sk_buf_reset(&err);
		size_t n = bad[i].kv[1].key ? 2 : 1;
		assert_int_equal(sk_decide_input_parse(p, bad[i].kv, n, &in, &err), SK_ERR_INVALID);
		assert_non_null(strstr(err.data, bad[i].msg));
	}
	/* Words as people type them: Japanese names, synonyms, full-width, the axis title. */
	const sk_decide_kv ja[] = {
	    {"action", "持ち出し"},
	    {"conf", "機密性２"},
	    {"integ", "完全性1"},
	    {"zone", "ＬＧＷＡＮ接続系"},
	    {"to_zone", "インターネット系"},
	    {"asset_type", "パソコン"},
	};
	assert_int_equal(sk_decide_input_parse(p, ja, sizeof(ja) / sizeof(ja[0]), &in, &err),
	                 SK_OK);
	assert_int_equal(in.action, SK_ACT_TAKE_OUT);
	assert_int_equal(in.level[SK_AXIS_CONF], 1);
	assert_int_equal(in.level[SK_AXIS_INTEG], 0);
	assert_int_equal(in.zone, SK_ZONE_LGWAN);
	assert_int_equal(in.to_zone, SK_ZONE_INTERNET);
	assert_int_equal(in.asset_type, SK_ASSET_HARDWARE);
	/* An unknown word gets the accepted words, in each language. */
	const sk_decide_kv unknown[] = {{"action", "持ち出す"}};
	assert_int_equal(sk_decide_input_parse(p, unknown, 1, &in, &err), SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "unknown action '持ち出す'"));
	assert_non_null(strstr(err.data, "take_out"));
	assert_non_null(err.ja);
	assert_non_null(strstr(err.ja, "「持ち出す」は行為として受け付けていません"));
	assert_non_null(strstr(err.ja, "持ち出し（take_out）"));
	sk_buf_free(&err);
	sk_policy_free(p);
}

static void test_vocab_words(void **state)
{
	(void)state;
	/* Every word has a stable name and a Japanese name, and each spelling means one word. */
	for (int v = 0; v < SK_VOCAB__COUNT; v++) {
		size_t n = 0;
		int first = 0;
		const sk_word *w = sk_vocab_words((sk_vocab)v, &n, &first);
		assert_true(n > 0);
		for (size_t i = 0; i < n; i++) {
			assert_true(w[i].name[0] && w[i].ja[0]);
			assert_int_equal(sk_vocab_find((sk_vocab)v, w[i].name), first + (int)i);
			assert_int_equal(sk_vocab_find((sk_vocab)v, w[i].ja), first + (int)i);
			assert_string_equal(sk_vocab_label((sk_vocab)v, first + (int)i, SK_LANG_JA),
			                    w[i].ja);
		}
	}
	assert_int_equal(sk_vocab_find(SK_VOCAB_ACTION, "　持出し "), SK_ACT_TAKE_OUT);
	assert_int_equal(sk_vocab_find(SK_VOCAB_ASSET_TYPE, "ＰＣ"), SK_ASSET_HARDWARE);
	assert_int_equal(sk_vocab_find(SK_VOCAB_ZONE, "マイナンバー利用事務系"), SK_ZONE_MYNUMBER);
	assert_int_equal(sk_vocab_find(SK_VOCAB_ACTION, "fly"), -1);
	char out[32];
	assert_int_equal(sk_vocab_fold("ＡＢ－１２　", out, sizeof(out)), 5);
	assert_string_equal(out, "AB-12");
	/* The strict parsers (profiles, JSON) still take stable names only. */
	sk_action a;
	assert_int_equal(sk_action_parse("持ち出し", &a), SK_ERR_INVALID);
}

static void test_decision_json(void **state)
{
	(void)state;
	sk_policy *p = must_load(layered);
	sk_decision d = decide(p, "copy", 2, 1, false, SK_ZONE_NONE, SK_ROLE_NONE);
	sk_buf out = SK_BUF_INIT(4096);
	assert_int_equal(sk_decision_to_json(&d, &out), SK_OK);
	assert_string_equal(out.data,
	                    "{\"decision\": \"forbid\", \"approver_role\": \"security_manager\", "
	                    "\"safeguards\": [\"encrypt_or_password\", \"record\"], "
	                    "\"exception_possible\": true, \"citations\": [\"試験 1\", \"試験 2\", "
	                    "\"試験 3\"]}");
	sk_buf_reset(&out);
	d = decide(p, "copy", 0, 0, false, SK_ZONE_NONE, SK_ROLE_NONE);
	assert_int_equal(sk_decision_to_json(&d, &out), SK_OK);
	assert_non_null(strstr(out.data, "\", \"approver_role\": null, \"safeguards\": [], "
	                                 "\"exception_possible\": false, \"citations\": [\""));
	json_error_t je;
	json_t *j = json_loads(out.data, 0, &je);
	assert_non_null(j);
	assert_true(json_is_null(json_object_get(j, "approver_role")));
	assert_int_equal(json_array_size(json_object_get(j, "safeguards")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "citations")), 1);
	json_decref(j);

	sk_buf_reset(&out);
	sk_decide_input in;
	sk_decide_input_init(&in, SK_ACT_COPY);
	in.level[SK_AXIS_CONF] = 2;
	assert_int_equal(sk_policy_explain(p, &in, SK_LANG_EN, &out), SK_OK);
	assert_non_null(strstr(out.data, "c3 (line"));
	assert_non_null(strstr(out.data, "mn (line"));
	assert_non_null(strstr(out.data, "mynumber is false, the rule wants true"));
	assert_non_null(strstr(out.data, "result: {\"decision\": \"forbid\""));
	sk_buf_free(&out);
	sk_policy_free(p);
}

/*
 * --- decisions never allocate ---
 * Outside sanitizer builds this test binary interposes malloc and friends
 * with counting wrappers; under ASan (which owns malloc) the test is skipped.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SK_NO_MALLOC_WRAP 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SK_NO_MALLOC_WRAP 1
#endif

#if !defined(SK_NO_MALLOC_WRAP) && defined(__GLIBC__)
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);
static volatile int counting;
static volatile long allocations;

void *malloc(size_t n)
{
	if (counting)
		allocations++;
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	if (counting)
		allocations++;
	return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	if (counting)
		allocations++;
	return __libc_realloc(p, n);
}

static void test_decide_does_not_allocate(void **state)
{
	(void)state;
	sk_policy *p = must_load(layered);
	sk_policy *x = must_load(extended); /* several approvers, typed rules, to_zone */
	counting = 1;
	free(malloc(16)); /* the wrapper itself must see this one */
	counting = 0;
	assert_int_equal(allocations, 1);
	allocations = 0;
	sk_decide_input in;
	sk_decision d;
	counting = 1;
	for (int a = 0; a < SK_ACT__COUNT; a++)
		for (int c = SK_LEVEL_UNSET; c < 3; c++)
			for (int r = 0; r <= SK_ROLE__COUNT; r++) {
				sk_decide_input_init(&in, (sk_action)a);
				in.level[SK_AXIS_CONF] = c;
				in.actor_role = (sk_role)r;
				in.mynumber = r & 1;
				in.asset_type = (sk_asset_type)(r % SK_ASSET__COUNT);
				in.to_zone = (sk_zone)(r % (SK_ZONE_NONE + 1));
				(void)sk_policy_decide(p, &in, &d);
				(void)sk_policy_decide(x, &in, &d);
			}
	counting = 0;
	assert_int_equal(allocations, 0);
	sk_policy_free(x);
	sk_policy_free(p);
}
#else
static void test_decide_does_not_allocate(void **state)
{
	(void)state;
	skip();
}
#endif

/* --- classification scheme as data --- */

static void test_scheme_3a(void **state)
{
	(void)state;
	const char *dir = getenv("SK_POLICIES_DIR");
	assert_non_null(dir);
	char path[1024];
	snprintf(path, sizeof(path), "%s/example.yaml", dir);
	sk_buf diag = SK_BUF_INIT(1u << 20);
	sk_policy *p = NULL;
	if (sk_policy_load_file(path, &p, &diag) != SK_OK)
		fail_msg("%s", diag.data);
	assert_int_equal(sk_policy_level_count(p, SK_AXIS_CONF), 5);
	int v;
	assert_int_equal(sk_policy_level_parse(p, SK_AXIS_CONF, "3A", &v), SK_OK);
	assert_int_equal(v, 4);
	assert_int_equal(sk_policy_level_parse(p, SK_AXIS_CONF, "3", &v), SK_ERR_INVALID);
	assert_string_equal(sk_policy_level_name(p, SK_AXIS_CONF, 2), "3C");
	sk_buf label = SK_BUF_INIT(256);
	assert_int_equal(sk_policy_label(p, 3, 1, 0, &label), SK_OK);
	assert_string_equal(label.data, "機密性3B、完全性2、可用性1");
	assert_int_equal(sk_policy_label(p, 9, 1, 0, &label), SK_ERR_INVALID);
	/* ">=3C" covers 3C, 3B, 3A and not 2 */
	sk_decide_input in;
	sk_decide_input_init(&in, SK_ACT_SEND_EMAIL);
	sk_decision d;
	in.level[SK_AXIS_CONF] = 2;
	assert_int_equal(sk_policy_decide(p, &in, &d), SK_OK);
	assert_int_equal(d.decision, SK_DEC_FORBID);
	in.level[SK_AXIS_CONF] = 1;
	assert_int_equal(sk_policy_decide(p, &in, &d), SK_OK);
	assert_int_equal(d.decision, SK_DEC_ALLOW_WITH_SAFEGUARDS);
	/* role titles, chain of command, retention, checklist */
	assert_string_equal(sk_policy_role_own_title(p, SK_ROLE_SECURITY_MANAGER),
	                    "情報セキュリティ管理者");
	assert_int_equal(sk_policy_role_reports_to(p, SK_ROLE_SECURITY_MANAGER), SK_ROLE_CISO);
	assert_null(sk_policy_role_own_title(p, SK_ROLE_CSIRT));
	const sk_retention *r = sk_policy_retention_find(p, "mynumber_records");
	assert_non_null(r);
	assert_int_equal(r->years, 7);
	assert_true(r->days >= 7 * 365 + 2);
	assert_int_equal(sk_policy_checklist_count(p), 2);
	assert_string_equal(sk_policy_checklist_at(p, 1)->id, "chk-02");
	assert_true(sk_policy_mfa_required(p, SK_KIND_PRIVILEGED, SK_ZONE_NONE));
	assert_true(sk_policy_mfa_required(p, SK_KIND_NORMAL, SK_ZONE_MYNUMBER));
	assert_false(sk_policy_mfa_required(p, SK_KIND_NORMAL, SK_ZONE_LGWAN));
	/* privileged inherits history from normal; social cancels composition */
	assert_int_equal(sk_policy_password_rules(p, SK_KIND_PRIVILEGED)->history, 3);
	assert_int_equal(sk_policy_password_rules(p, SK_KIND_SOCIAL)->require, 0);
	sk_buf adv = SK_BUF_INIT(1u << 16);
	assert_true(sk_policy_advisories(p, SK_LANG_EN, &adv) >= 3);
	assert_non_null(strstr(adv.data, ": advisory: passwords.normal.rotation_days"));
	assert_non_null(strstr(adv.data, ": advisory: passwords.normal.require"));
	sk_buf_free(&adv);
	sk_buf_free(&label);
	sk_buf_free(&diag);
	sk_policy_free(p);
}

/* --- passwords --- */

static uint32_t pwcheck(const sk_policy *p, sk_account_kind k, const char *pw)
{
	uint32_t v = 0xffffffffu;
	sk_buf err = SK_BUF_INIT(256);
	if (sk_policy_password_check(p, k, pw, strlen(pw), &v, &err) != SK_OK)
		fail_msg("password check failed: %s", err.data);
	sk_buf_free(&err);
	return v;
}

#define V(x) (1u << SK_PWV_##x)

static void test_password_check(void **state)
{
	(void)state;
	const char *tmp = sk_test_tmpdir();
	char list[1024];
	snprintf(list, sizeof(list), "%s/common.lst", tmp);
	FILE *f = fopen(list, "w");
	assert_non_null(f);
	fputs("#!comment: test list\nletmein\nPassword1\n", f);
	fclose(f);
	sk_policy_set_common_password_list(list);

	sk_policy *p = must_load(
	    "  - {id: r, action: copy, decision: allow, cite: \"1\"}\npasswords:\n  normal:\n"
	    "    min_length: 8\n    max_length: 20\n    require: [upper, lower, digit, symbol]\n"
	    "    cite: \"1\"\n  social:\n    min_length: 15\n    require: []\n    min_classes: 2\n"
	    "    cite: \"1\"\n");
	assert_int_equal(pwcheck(p, SK_KIND_NORMAL, "Abcdef1!"), 0);
	assert_int_equal(pwcheck(p, SK_KIND_NORMAL, "Abc1!"), V(MIN_LENGTH));
	assert_int_equal(pwcheck(p, SK_KIND_NORMAL, "abcdefgh"),
	                 V(REQUIRE_UPPER) | V(REQUIRE_DIGIT) | V(REQUIRE_SYMBOL));
	assert_int_equal(pwcheck(p, SK_KIND_NORMAL, "Abcdefghijklmnopqrst1!"), V(MAX_LENGTH));
	/* case-insensitive match against the list */
	assert_int_equal(pwcheck(p, SK_KIND_SOCIAL, "LETMEIN"),
	                 V(MIN_LENGTH) | V(MIN_CLASSES) | V(COMMON_PASSWORD));
	assert_int_equal(pwcheck(p, SK_KIND_NORMAL, "password1"),
	                 V(REQUIRE_UPPER) | V(REQUIRE_SYMBOL) | V(COMMON_PASSWORD));
	/* length counts code points: 15 kanji pass the social minimum */
	assert_int_equal(pwcheck(p, SK_KIND_SOCIAL, "情報セキュリティ対策基準の例です"),
	                 V(MIN_CLASSES));
	assert_int_equal(pwcheck(p, SK_KIND_SOCIAL, "情報セキュリティ対策基準の例です1a"), 0);
	assert_int_equal(pwcheck(p, SK_KIND_NORMAL, "Abcdef1!\x01"), V(CONTROL_CHARACTER));
	assert_int_equal(pwcheck(p, SK_KIND_NORMAL, "Abcdef1!\xff"), V(INVALID_UTF8));
	assert_true(pwcheck(p, SK_KIND_NORMAL, "") & V(MIN_LENGTH));

	/* a missing list is an error, never a pass */
	snprintf(list, sizeof(list), "%s/missing.lst", tmp);
	sk_policy_set_common_password_list(list);
	uint32_t v;
	sk_buf err = SK_BUF_INIT(256);
	assert_int_equal(sk_policy_password_check(p, SK_KIND_NORMAL, "Abcdef1!", 8, &v, &err),
	                 SK_ERR_IO);
	assert_non_null(strstr(err.data, "missing.lst"));
	sk_buf_free(&err);
	sk_policy_set_common_password_list(NULL);
	sk_policy_free(p);
}

/*
 * The floor under every profile: lengths by kind and second factor, the
 * variants of listed words, the login and the city's name (試験市, id t).
 */
static sk_pw_verdict verdict(const sk_policy *p, sk_account_kind k, const char *login, bool mfa,
                             const char *pw)
{
	sk_pw_subject who = {.kind = k, .login = login, .mfa = mfa};
	sk_pw_verdict v = {0xffffffffu, 0xffffffffu};
	sk_buf err = SK_BUF_INIT(256);
	if (sk_policy_password_verdict(p, &who, pw, strlen(pw), &v, &err) != SK_OK)
		fail_msg("password check failed: %s", err.data);
	sk_buf_free(&err);
	return v;
}

static void test_password_floor(void **state)
{
	(void)state;
	char list[1024];
	snprintf(list, sizeof(list), "%s/floor.lst", sk_test_tmpdir());
	FILE *f = fopen(list, "w");
	assert_non_null(f);
	fputs("#!comment: test list\npassword\nletmein\nDragon\nsecret\nhello\nmonkey\n", f);
	fclose(f);
	sk_policy_set_common_password_list(list);
	/* A profile with no password section: only the floor refuses. */
	sk_policy *p = must_load("  - {id: r, action: copy, decision: allow, cite: \"1\"}\n");

	/* Lengths: 8 for anyone, 15 for a privileged ID signing in with the password alone. */
	assert_int_equal(verdict(p, SK_KIND_NORMAL, NULL, false, "zq7").floor, V(MIN_LENGTH));
	assert_int_equal(verdict(p, SK_KIND_NORMAL, NULL, false, "zq7").profile, 0);
	assert_int_equal(verdict(p, SK_KIND_NORMAL, NULL, false, "Zq7kWm4x").floor, 0);
	assert_int_equal(verdict(p, SK_KIND_SOCIAL, NULL, false, "Zq7kWm4x").floor, 0);
	assert_int_equal(verdict(p, SK_KIND_PRIVILEGED, NULL, false, "Zq7kWm4xYt2pQr").floor,
	                 V(MIN_LENGTH));
	assert_int_equal(verdict(p, SK_KIND_PRIVILEGED, NULL, false, "Zq7kWm4xYt2pQrs").floor, 0);
	assert_int_equal(verdict(p, SK_KIND_PRIVILEGED, NULL, true, "Zq7kWm4x").floor, 0);
	/* code points, not bytes: seven kanji are too short, eight are enough */
	assert_int_equal(verdict(p, SK_KIND_NORMAL, NULL, false, "情報資産管理台").floor,
	                 V(MIN_LENGTH));
	assert_int_equal(verdict(p, SK_KIND_NORMAL, NULL, false, "情報資産管理台帳").floor, 0);

	/* A listed word with what people add to it, and with look-alikes for letters. */
	static const char *const common[] = {
	    "password",   "PASSWORD",     "password123", "Password1!",   "123password",
	    "!!password", "p@ssw0rd",     "P@55w0rd",    "p@ssw0rd2024", "l3tm31n",
	    "L3tM3In!",   "Dragon2024!!", "dr@g0n",      "$ecret1",      "5ecret!",
	    "hell0",      "#1monkey#",    "m0nk3y99",    "S3cr3t+++",    "PassWord#2026",
	};
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
		uint32_t got =
		    verdict(p, SK_KIND_SOCIAL, NULL, false, common[i]).floor & V(COMMON_PASSWORD);
		if (!got)
			fail_msg("'%s' passed as uncommon", common[i]);
	}
	/* Not variants: a listed word inside a passphrase, or with letters added. */
	static const char *const fine[] = {
	    "passwords are long now",
	    "my dragon sleeps 7 days",
	    "Zq7kWm4x",
	    "helloworld",
	    "secretary2024",
	    "xpassword",
	    "情報資産管理台帳",
	};
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		sk_pw_verdict v = verdict(p, SK_KIND_SOCIAL, NULL, false, fine[i]);
		if (v.floor)
			fail_msg("'%s' refused by the floor (bits %x)", fine[i], (unsigned)v.floor);
	}

	/* The login, the city's id and name (with and without 市), the product, and variants. */
	assert_int_equal(
	    verdict(p, SK_KIND_NORMAL, "tanaka.ichiro", false, "Tanaka.Ichiro1!").floor,
	    V(CONTEXT_WORD));
	assert_int_equal(verdict(p, SK_KIND_NORMAL, "tanaka.ichiro", false, "t@n@k@.1ch1r0").floor,
	                 V(CONTEXT_WORD));
	assert_int_equal(
	    verdict(p, SK_KIND_NORMAL, "tanaka.ichiro", false, "Demo#2026-tanaka.ichiro").floor, 0);
	assert_int_equal(verdict(p, SK_KIND_NORMAL, NULL, false, "tanaka.ichiro").floor, 0);
	assert_int_equal(verdict(p, SK_KIND_NORMAL, NULL, false, "試験市2026!!").floor,
	                 V(CONTEXT_WORD));
	assert_int_equal(verdict(p, SK_KIND_NORMAL, NULL, false, "2026試験!!!!").floor,
	                 V(CONTEXT_WORD));
	assert_int_equal(verdict(p, SK_KIND_NORMAL, NULL, false, "Sekisho2026").floor,
	                 V(CONTEXT_WORD));

	/* Bytes that are not UTF-8 and control characters are the floor's, not the profile's. */
	assert_int_equal(verdict(p, SK_KIND_NORMAL, NULL, false, "Zq7kWm4x\xed\xa0\x80").floor,
	                 V(INVALID_UTF8));
	assert_int_equal(verdict(p, SK_KIND_NORMAL, NULL, false, "Zq7kWm4x\x1b").floor,
	                 V(CONTROL_CHARACTER));

	/* The explanation names each source. */
	sk_pw_verdict v = verdict(p, SK_KIND_NORMAL, NULL, false, "l3tm31n");
	sk_buf why = SK_BUF_INIT(1024);
	sk_policy_password_explain(p, &v, &why);
	assert_string_equal(why.data, "breaks the floor under every profile (NIST SP 800-63B-4 "
	                              "3.1.1.2): min_length, common_password");
	sk_buf_free(&why);
	sk_policy_free(p);

	/* A profile's rule and the floor together; the profile cannot lower the floor. */
	p = must_load("  - {id: r, action: copy, decision: allow, cite: \"1\"}\npasswords:\n"
	              "  normal:\n    min_length: 4\n    require: [upper]\n    cite: \"1\"\n");
	v = verdict(p, SK_KIND_NORMAL, NULL, false, "zq7k");
	assert_int_equal(v.profile, V(REQUIRE_UPPER));
	assert_int_equal(v.floor, V(MIN_LENGTH));
	sk_policy_password_explain(p, &v, &why);
	assert_string_equal(why.data, "breaks the t profile's rules: require_upper; and breaks the "
	                              "floor under every profile (NIST SP 800-63B-4 3.1.1.2): "
	                              "min_length");
	sk_buf_free(&why);
	/* the kind-only check reports the union */
	assert_int_equal(pwcheck(p, SK_KIND_NORMAL, "zq7k"), V(REQUIRE_UPPER) | V(MIN_LENGTH));
	sk_policy_free(p);
	sk_policy_set_common_password_list(NULL);

	/*
	 * Temporary passwords meet the floor by construction (20 random
	 * characters): as a privileged ID without a second factor, under the
	 * real list, with a login.
	 */
	if (access(SK_POLICY_COMMON_PASSWORDS, R_OK) != 0)
		return;
	assert_int_equal(sk_policy_load_builtin("niigata", &p, NULL), SK_OK);
	for (int i = 0; i < 200; i++) {
		char temp[SK_PASSWORD_TEMP_MAX];
		sk_password_generate(temp);
		v = verdict(p, SK_KIND_PRIVILEGED, "ciso", false, temp);
		if (v.profile || v.floor)
			fail_msg("temporary password refused (bits %x/%x)", (unsigned)v.profile,
			         (unsigned)v.floor);
	}
	sk_policy_free(p);
}

/* --- several approvers, asset types, the other end, unstated periods --- */

static sk_decision decide_x(const sk_policy *p, sk_action a, sk_asset_type type, sk_zone zone,
                            sk_zone to_zone, sk_role role, int conf)
{
	sk_decide_input in;
	sk_decide_input_init(&in, a);
	assert_int_equal(in.asset_type, SK_ASSET_UNKNOWN);
	assert_int_equal(in.to_zone, SK_ZONE_NONE);
	in.level[SK_AXIS_CONF] = conf;
	in.asset_type = type;
	in.zone = zone;
	in.to_zone = to_zone;
	in.actor_role = role;
	sk_decision d;
	assert_int_equal(sk_policy_decide(p, &in, &d), SK_OK);
	return d;
}

static void test_several_approvers(void **state)
{
	(void)state;
	sk_policy *p = must_load(extended);
	/* any_of: approver_role is the first listed, the decision carries both */
	sk_decision d = decide_x(p, SK_ACT_INSTALL_SOFTWARE, SK_ASSET_UNKNOWN, SK_ZONE_NONE,
	                         SK_ZONE_NONE, SK_ROLE_NONE, 0);
	assert_int_equal(d.decision, SK_DEC_FORBID);
	assert_true(d.exception_possible);
	assert_int_equal(d.approver, SK_ROLE_SECURITY_MANAGER);
	assert_int_equal(d.approver_mode, SK_APPROVE_ANY_OF);
	assert_int_equal(d.n_approvers, 2);
	assert_int_equal(d.approvers[0], SK_ROLE_SECURITY_MANAGER);
	assert_int_equal(d.approvers[1], SK_ROLE_CISO);
	/* all_of, in order */
	d = decide_x(p, SK_ACT_CONNECT_DEVICE, SK_ASSET_UNKNOWN, SK_ZONE_NONE, SK_ZONE_NONE,
	             SK_ROLE_STAFF, 0);
	assert_int_equal(d.approver_mode, SK_APPROVE_ALL_OF);
	assert_int_equal(d.n_approvers, 2);
	assert_int_equal(d.approvers[1], SK_ROLE_CISO);
	/* a more specific single-approver rule replaces the whole list */
	d = decide_x(p, SK_ACT_CONNECT_DEVICE, SK_ASSET_UNKNOWN, SK_ZONE_NONE, SK_ZONE_NONE,
	             SK_ROLE_CITY, 0);
	assert_int_equal(d.approver, SK_ROLE_CITY);
	assert_int_equal(d.approver_mode, SK_APPROVE_ONE);
	assert_int_equal(d.n_approvers, 1);
	/* the JSON keeps one approver_role */
	sk_buf out = SK_BUF_INIT(1u << 16);
	d = decide_x(p, SK_ACT_CONNECT_DEVICE, SK_ASSET_UNKNOWN, SK_ZONE_NONE, SK_ZONE_NONE,
	             SK_ROLE_STAFF, 0);
	assert_int_equal(sk_decision_to_json(&d, &out), SK_OK);
	assert_non_null(
	    strstr(out.data, "\"approver_role\": \"security_manager\", \"safeguards\""));
	/* --explain names them all */
	sk_buf_reset(&out);
	sk_decide_input in;
	sk_decide_input_init(&in, SK_ACT_CONNECT_DEVICE);
	assert_int_equal(sk_policy_explain(p, &in, SK_LANG_EN, &out), SK_OK);
	assert_non_null(strstr(out.data, "approvers (all_of): Information security manager, "
	                                 "Chief Information Security Officer"));
	/* allow answers carry no approvers */
	d = decide_x(p, SK_ACT_DISPOSE, SK_ASSET_DOCUMENT, SK_ZONE_NONE, SK_ZONE_NONE, SK_ROLE_NONE,
	             0);
	assert_int_equal(d.n_approvers, 0);
	assert_int_equal(d.approver, SK_ROLE_NONE);
	sk_buf_free(&out);
	sk_policy_free(p);
}

static void test_asset_type_and_to_zone(void **state)
{
	(void)state;
	sk_policy *p = must_load(extended);
	const uint32_t rec = 1u << SK_SG_RECORD, erase = 1u << SK_SG_IRRECOVERABLE_ERASE,
	               cert = 1u << SK_SG_DISPOSAL_CERTIFICATE;
	/* typed when:, typed unless:, and both */
	sk_decision d = decide_x(p, SK_ACT_DISPOSE, SK_ASSET_DOCUMENT, SK_ZONE_NONE, SK_ZONE_NONE,
	                         SK_ROLE_NONE, 0);
	assert_int_equal(d.safeguards, rec);
	d = decide_x(p, SK_ACT_DISPOSE, SK_ASSET_DATA, SK_ZONE_NONE, SK_ZONE_NONE, SK_ROLE_NONE, 0);
	assert_int_equal(d.safeguards, rec | cert);
	d = decide_x(p, SK_ACT_DISPOSE, SK_ASSET_MEDIA, SK_ZONE_NONE, SK_ZONE_NONE, SK_ROLE_NONE,
	             0);
	assert_int_equal(d.safeguards, rec | erase | cert);
	/* unknown type: every when: type condition holds and no unless: one does */
	d = decide_x(p, SK_ACT_DISPOSE, SK_ASSET_UNKNOWN, SK_ZONE_NONE, SK_ZONE_NONE, SK_ROLE_NONE,
	             0);
	assert_int_equal(d.safeguards, rec | erase | cert);
	assert_int_equal(d.n_citations, 3);
	/* only a typed rule holds for an unknown type: the silent answer is folded in */
	d = decide_x(p, SK_ACT_PROVIDE_EXTERNAL, SK_ASSET_UNKNOWN, SK_ZONE_NONE, SK_ZONE_NONE,
	             SK_ROLE_NONE, 0);
	assert_int_equal(d.decision, SK_DEC_REQUIRE_APPROVAL);
	assert_int_equal(d.approver, SK_ROLE_CISO);
	assert_int_equal(d.safeguards, 1u << SK_SG_ENCRYPT_OR_PASSWORD);
	assert_false(d.no_rule);
	assert_int_equal(d.n_citations, 2);
	assert_string_equal(d.citations[0], "試験 2");
	assert_string_equal(d.citations[1], "試験 (no rule; strictest applied)");
	/* ...but not when the type is known */
	d = decide_x(p, SK_ACT_PROVIDE_EXTERNAL, SK_ASSET_SOFTWARE, SK_ZONE_NONE, SK_ZONE_NONE,
	             SK_ROLE_NONE, 0);
	assert_int_equal(d.safeguards, 0);
	assert_int_equal(d.n_citations, 1);
	d = decide_x(p, SK_ACT_PROVIDE_EXTERNAL, SK_ASSET_DOCUMENT, SK_ZONE_NONE, SK_ZONE_NONE,
	             SK_ROLE_NONE, 0);
	assert_true(d.no_rule);
	/* nor when an untyped rule holds as well */
	d = decide_x(p, SK_ACT_PROVIDE_EXTERNAL, SK_ASSET_UNKNOWN, SK_ZONE_NONE, SK_ZONE_NONE,
	             SK_ROLE_NONE, 1);
	assert_int_equal(d.n_citations, 2);
	assert_string_equal(d.citations[1], "試験 2");
	/* to_zone: only a connection whose other end is the internet */
	d = decide_x(p, SK_ACT_CONNECT_NETWORK, SK_ASSET_HARDWARE, SK_ZONE_LGWAN, SK_ZONE_NONE,
	             SK_ROLE_NONE, 0);
	assert_int_equal(d.decision, SK_DEC_REQUIRE_APPROVAL);
	d = decide_x(p, SK_ACT_CONNECT_NETWORK, SK_ASSET_HARDWARE, SK_ZONE_LGWAN, SK_ZONE_LGWAN,
	             SK_ROLE_NONE, 0);
	assert_int_equal(d.decision, SK_DEC_REQUIRE_APPROVAL);
	d = decide_x(p, SK_ACT_CONNECT_NETWORK, SK_ASSET_HARDWARE, SK_ZONE_LGWAN, SK_ZONE_INTERNET,
	             SK_ROLE_NONE, 0);
	assert_int_equal(d.decision, SK_DEC_FORBID);
	assert_int_equal(d.approver, SK_ROLE_CITY);
	assert_int_equal(d.safeguards, 1u << SK_SG_IP_RESTRICTION);
	d = decide_x(p, SK_ACT_CONNECT_NETWORK, SK_ASSET_HARDWARE, SK_ZONE_INTERNET,
	             SK_ZONE_INTERNET, SK_ROLE_NONE, 0);
	assert_int_equal(d.decision, SK_DEC_REQUIRE_APPROVAL);
	/* out-of-range inputs */
	sk_decide_input in;
	sk_decide_input_init(&in, SK_ACT_DISPOSE);
	in.asset_type = SK_ASSET__COUNT;
	assert_int_equal(sk_policy_decide(p, &in, &d), SK_ERR_INVALID);
	sk_decide_input_init(&in, SK_ACT_DISPOSE);
	in.to_zone = (sk_zone)(SK_ZONE_NONE + 1);
	assert_int_equal(sk_policy_decide(p, &in, &d), SK_ERR_INVALID);
	/* explain names a failed type or to_zone condition */
	sk_buf out = SK_BUF_INIT(1u << 16);
	sk_decide_input_init(&in, SK_ACT_DISPOSE);
	in.asset_type = SK_ASSET_DOCUMENT;
	assert_int_equal(sk_policy_explain(p, &in, SK_LANG_EN, &out), SK_OK);
	assert_non_null(strstr(out.data, "asset type is document, the rule wants hardware|media"));
	sk_buf_reset(&out);
	sk_decide_input_init(&in, SK_ACT_CONNECT_NETWORK);
	in.zone = SK_ZONE_LGWAN;
	assert_int_equal(sk_policy_explain(p, &in, SK_LANG_EN, &out), SK_OK);
	assert_non_null(strstr(out.data, "to_zone is not given, the rule wants internet"));
	/* names round-trip; unknown has no name */
	for (int t = 1; t < SK_ASSET__COUNT; t++) {
		sk_asset_type back;
		assert_int_equal(sk_asset_type_parse(sk_asset_type_name((sk_asset_type)t), &back),
		                 SK_OK);
		assert_int_equal(back, t);
	}
	assert_null(sk_asset_type_name(SK_ASSET_UNKNOWN));
	sk_asset_type back;
	assert_int_equal(sk_asset_type_parse("unknown", &back), SK_ERR_INVALID);
	sk_buf_free(&out);
	sk_policy_free(p);
}

static void test_unstated_periods_holders_exceptions(void **state)
{
	(void)state;
	sk_policy *p = must_load(extended);
	const sk_retention *r = sk_policy_retention_find(p, "access_log");
	assert_non_null(r);
	assert_true(r->unspecified);
	assert_int_equal(r->days, 0);
	r = sk_policy_retention_find(p, "audit_log");
	assert_false(r->unspecified);
	assert_int_equal(r->days, 366 * 5);
	const sk_password_rules *n = sk_policy_password_rules(p, SK_KIND_NORMAL);
	assert_true(n->rotation_required);
	assert_int_equal(n->rotation_days, 0);
	/* privileged inherits the unstated rotation; min_holders is its own */
	const sk_password_rules *pr = sk_policy_password_rules(p, SK_KIND_PRIVILEGED);
	assert_true(pr->rotation_required);
	assert_int_equal(pr->min_holders, 2);
	assert_int_equal(n->min_holders, 0);
	assert_int_equal(sk_policy_privileged_min_holders(p), 2);
	/* coverage lists both unstated periods, once each */
	sk_buf out = SK_BUF_INIT(1u << 20);
	assert_int_equal(sk_policy_coverage(p, true, SK_LANG_EN, &out), SK_OK);
	json_error_t je;
	json_t *j = json_loads(out.data, 0, &je);
	assert_non_null(j);
	json_t *u = json_object_get(j, "unstated_periods");
	assert_int_equal(json_array_size(u), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(u, 0), "id")),
	                    "access_log");
	assert_string_equal(json_string_value(json_object_get(json_array_get(u, 1), "id")),
	                    "passwords.normal.rotation_days");
	json_decref(j);
	sk_buf_reset(&out);
	assert_int_equal(sk_policy_coverage(p, false, SK_LANG_EN, &out), SK_OK);
	assert_non_null(strstr(out.data, "required, but the seed states no period (2):\n"
	                                 "  access_log  アクセス記録 [試験 3]\n"));
	/* a rotation advisory also for an unstated interval */
	sk_buf_reset(&out);
	assert_true(sk_policy_advisories(p, SK_LANG_EN, &out) >= 1);
	assert_non_null(strstr(out.data, "passwords.normal.rotation_days asks for periodic"));
	/* the exception route is data for requests; decisions do not change with it */
	const sk_exception_route *x = sk_policy_exception_route(p);
	assert_non_null(x);
	assert_int_equal(x->approver, SK_ROLE_CISO);
	assert_true(x->report_afterwards);
	assert_int_equal(x->n_citations, 2);
	sk_decision d = decide_x(p, SK_ACT_CONNECT_NETWORK, SK_ASSET_HARDWARE, SK_ZONE_NONE,
	                         SK_ZONE_NONE, SK_ROLE_NONE, 0);
	assert_int_equal(d.decision, SK_DEC_REQUIRE_APPROVAL);
	d = decide_x(p, SK_ACT_PUBLISH, SK_ASSET_HARDWARE, SK_ZONE_NONE, SK_ZONE_NONE, SK_ROLE_NONE,
	             0);
	assert_int_equal(d.decision, SK_DEC_FORBID);
	assert_false(d.exception_possible);
	sk_policy_free(p);
	/* without the keys: no route, no holders rule */
	p = must_load(layered);
	assert_null(sk_policy_exception_route(p));
	assert_int_equal(sk_policy_privileged_min_holders(p), 0);
	sk_policy_free(p);
	/* the shipped Hachioji profile: 14(5) 二人以上 */
	sk_buf diag = SK_BUF_INIT(1u << 16);
	if (sk_policy_open("hachioji", &p, &diag) != SK_OK)
		fail_msg("hachioji: %s", diag.data);
	assert_int_equal(sk_policy_privileged_min_holders(p), 2);
	sk_policy_free(p);
	sk_buf_free(&diag);
	sk_buf_free(&out);
}

/* --- coverage, OSCAL, built-ins --- */

static void test_coverage_and_oscal(void **state)
{
	(void)state;
	sk_policy *p = must_load(layered);
	sk_buf out = SK_BUF_INIT(1u << 20);
	assert_int_equal(sk_policy_coverage(p, true, SK_LANG_EN, &out), SK_OK);
	json_error_t je;
	json_t *j = json_loads(out.data, 0, &je);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "articles")), 4);
	assert_int_equal(json_array_size(json_object_get(j, "encoded")), 3);
	assert_int_equal(json_array_size(json_object_get(j, "out_of_scope")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "not_encoded")), 0);
	json_decref(j);

	sk_buf_reset(&out);
	assert_int_equal(sk_policy_export_oscal(p, &out), SK_OK);
	j = json_loads(out.data, 0, &je);
	assert_non_null(j);
	json_t *cat = json_object_get(j, "catalog");
	assert_non_null(cat);
	const char *uuid = json_string_value(json_object_get(cat, "uuid"));
	assert_non_null(uuid);
	assert_int_equal(strlen(uuid), 36);
	assert_int_equal(uuid[14], '5');
	json_t *meta = json_object_get(cat, "metadata");
	assert_string_equal(json_string_value(json_object_get(meta, "oscal-version")), "1.1.2");
	assert_non_null(json_object_get(meta, "last-modified"));
	json_t *groups = json_object_get(cat, "groups");
	/* chapters 1..4 plus the group of inferred rules */
	assert_int_equal(json_array_size(groups), 5);
	json_t *g1 = json_array_get(groups, 0);
	json_t *art = json_array_get(json_object_get(g1, "controls"), 0);
	json_t *rules = json_object_get(art, "controls");
	assert_int_equal(json_array_size(rules), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rules, 0), "id")),
	                    "rule-base");
	json_decref(j);
	sk_buf_free(&out);
	sk_policy_free(p);
}

static void collect_ids(json_t *node, json_t *ids)
{
	if (json_is_object(node)) {
		json_t *id = json_object_get(node, "id");
		if (json_is_string(id))
			json_array_append(ids, id);
		const char *k;
		json_t *v;
		json_object_foreach (node, k, v)
			collect_ids(v, ids);
	} else if (json_is_array(node)) {
		size_t i;
		json_t *v;
		json_array_foreach (node, i, v)
			collect_ids(v, ids);
	}
}

/*
 * The roles sharing an any_of rule: 八王子 16(10)「情報セキュリティ管理者又は情報システム管理者の
 * 許可」 pairs the two; 成田 names no alternative approvers (its 5(1)⑮⑯ need both, all_of).
 */
static void test_any_of_partners(void **state)
{
	(void)state;
	sk_policy *p = NULL;
	sk_buf diag = SK_BUF_INIT(1u << 20);
	assert_int_equal(sk_policy_open("hachioji", &p, &diag), SK_OK);
	assert_true(sk_policy_any_of_partners(p, SK_ROLE_SYSTEM_MANAGER) &
	            (1u << SK_ROLE_SECURITY_MANAGER));
	assert_true(sk_policy_any_of_partners(p, SK_ROLE_SECURITY_MANAGER) &
	            (1u << SK_ROLE_SYSTEM_MANAGER));
	assert_false(sk_policy_any_of_partners(p, SK_ROLE_SYSTEM_MANAGER) &
	             (1u << SK_ROLE_SYSTEM_MANAGER));
	assert_int_equal(sk_policy_any_of_partners(p, SK_ROLE_STAFF), 0);
	sk_policy_free(p);
	p = NULL;
	assert_int_equal(sk_policy_open("narita", &p, &diag), SK_OK);
	for (int r = 0; r < SK_ROLE__COUNT; r++)
		assert_int_equal(sk_policy_any_of_partners(p, (sk_role)r), 0);
	sk_policy_free(p);
	sk_buf_free(&diag);
}

/* OSCAL ids come from the article numbers, so Japanese numbering survives (issue 15 item 7). */
static void test_oscal_ids(void **state)
{
	(void)state;
	sk_policy *p = NULL;
	sk_buf diag = SK_BUF_INIT(1u << 20);
	assert_int_equal(sk_policy_open("narita", &p, &diag), SK_OK);
	sk_buf out = SK_BUF_INIT(1u << 24);
	assert_int_equal(sk_policy_export_oscal(p, &out), SK_OK);
	json_error_t je;
	json_t *j = json_loads(out.data, 0, &je);
	assert_non_null(j);
	json_t *groups = json_object_get(json_object_get(j, "catalog"), "groups");
	/* 成田: 方針, 基準 1, 基準 2 ... */
	assert_string_equal(json_string_value(json_object_get(json_array_get(groups, 0), "id")),
	                    "ch-policy");
	assert_string_equal(json_string_value(json_object_get(json_array_get(groups, 2), "id")),
	                    "ch-std-2");
	json_t *ids = json_array();
	collect_ids(groups, ids);
	bool seen_item = false;
	size_t i;
	json_t *v;
	json_array_foreach (ids, i, v) {
		const char *id = json_string_value(v);
		/* OSCAL's token: a letter or '_' first, then letters, digits, '_', '-', '.' */
		assert_true((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= 'A' && id[0] <= 'Z') ||
		            id[0] == '_');
		for (const char *c = id; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.'))
				fail_msg("id '%s' is not an OSCAL token", id);
		assert_null(strstr(id, "--"));
		for (size_t k = i + 1; k < json_array_size(ids); k++)
			if (strcmp(id, json_string_value(json_array_get(ids, k))) == 0)
				fail_msg("id '%s' is used twice", id);
		/* 基準 5(2)①イⅰ */
		if (strcmp(id, "art-std-5.2.1.b.i") == 0)
			seen_item = true;
	}
	assert_true(seen_item);
	json_decref(ids);
	json_decref(j);
	sk_buf_free(&out);
	sk_buf_free(&diag);
	sk_policy_free(p);
}

static void test_builtins(void **state)
{
	(void)state;
	sk_policy *p = NULL;
	sk_buf diag = SK_BUF_INIT(1u << 20);
	assert_int_equal(sk_policy_load_builtin("atlantis", &p, &diag), SK_ERR_NOT_FOUND);
	assert_non_null(strstr(diag.data, "unknown profile 'atlantis'"));
	sk_buf_reset(&diag);
	assert_int_equal(sk_policy_open("atlantis", &p, &diag), SK_ERR_NOT_FOUND);
	/* every shipped profile loads and is what its name says */
	for (const char *const *n = sk_policy_builtin_names(); *n; n++) {
		sk_buf_reset(&diag);
		if (sk_policy_open(*n, &p, &diag) != SK_OK)
			fail_msg("built-in %s: %s", *n, diag.data);
		assert_string_equal(sk_policy_city_id(p), *n);
		sk_policy_free(p);
	}
	sk_buf_free(&diag);
}

/* The default capability table is the route masks sekisho had; a profile replaces one row. */
static void test_capabilities(void **state)
{
	(void)state;
	uint32_t ciso = 1u << SK_ROLE_CISO, gm = 1u << SK_ROLE_GENERAL_MANAGER,
	         mgr = 1u << SK_ROLE_SECURITY_MANAGER, aud = 1u << SK_ROLE_AUDITOR,
	         staff = 1u << SK_ROLE_STAFF, dm = 1u << SK_ROLE_DM_OFFICER;
	for (int c = 0; c < SK_CAP__COUNT; c++) {
		sk_cap back;
		assert_int_equal(sk_cap_parse(sk_cap_name((sk_cap)c), &back), SK_OK);
		assert_int_equal(back, c);
	}
	assert_int_equal(sk_cap_parse("asset.fly", &(sk_cap){0}), SK_ERR_INVALID);
	assert_int_equal(sk_policy_cap_roles(NULL, SK_CAP_ASSET_READ), SK_ROLES_ALL);
	assert_int_equal(sk_policy_cap_roles(NULL, SK_CAP_USER_ADMIN), ciso | gm);
	assert_true(sk_policy_cap_roles(NULL, SK_CAP_ASSET_WRITE) & mgr);
	assert_false(sk_policy_cap_roles(NULL, SK_CAP_ASSET_WRITE) & (staff | dm | aud));
	assert_false(sk_policy_cap_roles(NULL, SK_CAP_USER_READ) & mgr);
	uint32_t caps = sk_policy_role_caps(NULL, aud);
	assert_true(caps & (1u << SK_CAP_AUDIT_CHECKPOINT));
	assert_false(caps & (1u << SK_CAP_ASSET_WRITE));
	assert_true(sk_role_is_privileged(SK_ROLE_SYSTEM_STAFF));
	assert_false(sk_role_is_privileged(SK_ROLE_CISO));

	/* hachioji: the designated manager keeps its register (八王子 7(2)) */
	sk_policy *p = NULL;
	sk_buf diag = SK_BUF_INIT(1u << 16);
	if (sk_policy_open("hachioji", &p, &diag) != SK_OK)
		fail_msg("%s", diag.data);
	assert_true(sk_policy_cap_roles(p, SK_CAP_ASSET_WRITE) & dm);
	assert_true(sk_policy_cap_roles(p, SK_CAP_USER_READ) & mgr);
	assert_int_equal(sk_policy_cap_roles(p, SK_CAP_ORG_ADMIN), ciso | gm);
	unsigned n = 0;
	const char *const *c = sk_policy_cap_citations(p, SK_CAP_ASSET_WRITE, &n);
	assert_int_equal(n, 1);
	assert_string_equal(c[0], "八王子 7(2)");
	assert_null(sk_policy_cap_citations(p, SK_CAP_DECIDE, &n));
	assert_int_equal(n, 0);
	sk_policy_free(p);
	sk_buf_free(&diag);
}

/* Separation of duties: the floor every profile has, and what a profile adds, both ways. */
static void test_separation(void **state)
{
	(void)state;
	uint32_t aud = 1u << SK_ROLE_AUDITOR;
	/* The floor: an auditor holds no administrative, system or response role. */
	uint32_t floor = sk_policy_role_excludes(NULL, SK_ROLE_AUDITOR);
	for (sk_role r = 0; r < SK_ROLE__COUNT; r++) {
		bool want = r == SK_ROLE_CISO || r == SK_ROLE_GENERAL_MANAGER ||
		            r == SK_ROLE_SECURITY_OFFICER || r == SK_ROLE_SECURITY_MANAGER ||
		            r == SK_ROLE_SYSTEM_MANAGER || r == SK_ROLE_SYSTEM_STAFF ||
		            r == SK_ROLE_CSIRT || r == SK_ROLE_CITY;
		assert_int_equal((floor >> r) & 1u, want);
		/* and the other way round */
		assert_int_equal((sk_policy_role_excludes(NULL, r) & aud) != 0, want);
	}
	assert_int_equal(sk_policy_role_excludes(NULL, SK_ROLE_STAFF), 0);

	/* A profile adds pairs, cited; it cannot take the floor away. */
	sk_policy *p = must_load("  - {id: r, action: copy, decision: allow, cite: \"1\"}\n"
	                         "separation:\n"
	                         "  - {role: staff, excludes: [contractor], cite: [\"2\"]}\n"
	                         "  - {role: auditor, excludes: [], cite: [\"3\"]}\n");
	assert_true(sk_policy_role_excludes(p, SK_ROLE_CONTRACTOR) & (1u << SK_ROLE_STAFF));
	assert_int_equal(sk_policy_role_excludes(p, SK_ROLE_AUDITOR), floor);
	unsigned n = 0;
	const char *const *c =
	    sk_policy_separation_citations(p, SK_ROLE_CONTRACTOR, SK_ROLE_STAFF, &n);
	assert_int_equal(n, 1);
	assert_non_null(strstr(c[0], "2"));
	assert_null(sk_policy_separation_citations(p, SK_ROLE_CISO, SK_ROLE_STAFF, &n));
	sk_policy_free(p);

	/* Bad entries name the line: an unknown role, a role excluding itself, no citation. */
	sk_buf diag = SK_BUF_INIT(1u << 16);
	p = NULL;
	assert_int_not_equal(load_with("  - {id: r, action: copy, decision: allow, cite: \"1\"}\n"
	                               "separation:\n"
	                               "  - {role: pope, excludes: [staff], cite: [\"2\"]}\n"
	                               "  - {role: staff, excludes: [staff], cite: [\"2\"]}\n"
	                               "  - {role: staff, excludes: [ciso]}\n",
	                               &p, &diag),
	                     SK_OK);
	assert_non_null(strstr(diag.data, "unknown role 'pope' in separation"));
	assert_non_null(strstr(diag.data, "role 'staff' cannot exclude itself"));
	assert_non_null(strstr(diag.data, "cite"));
	sk_policy_free(p);
	sk_buf_free(&diag);

	/* 世田谷 ties the floor to its audit article. */
	sk_buf d2 = SK_BUF_INIT(1u << 16);
	if (sk_policy_open("setagaya", &p, &d2) != SK_OK)
		fail_msg("%s", d2.data);
	c = sk_policy_separation_citations(p, SK_ROLE_AUDITOR, SK_ROLE_CISO, &n);
	assert_int_equal(n, 1);
	assert_string_equal(c[0], "世田谷 16(1)ア");
	sk_policy_free(p);
	sk_buf_free(&d2);
}

/*
 * A role reads by the profile's title in Japanese, else by the national
 * guideline's; in English always by the guideline's. 世田谷 gives no title to
 * its 情報セキュリティ責任者 or its CSIRT.
 */
static void test_role_title_fallback(void **state)
{
	(void)state;
	sk_policy *p = NULL;
	sk_buf d = SK_BUF_INIT(1u << 16);
	if (sk_policy_open("setagaya", &p, &d) != SK_OK)
		fail_msg("%s", d.data);
	assert_null(sk_policy_role_own_title(p, SK_ROLE_SECURITY_OFFICER));
	assert_string_equal(sk_policy_role_title(p, SK_ROLE_SECURITY_OFFICER, SK_LANG_JA),
	                    "情報セキュリティ責任者");
	assert_string_equal(sk_policy_role_title(p, SK_ROLE_SECURITY_OFFICER, SK_LANG_EN),
	                    "Information security officer");
	assert_string_equal(sk_policy_role_title(p, SK_ROLE_CSIRT, SK_LANG_JA), "CSIRT要員");
	assert_string_equal(sk_policy_role_title(p, SK_ROLE_CSIRT, SK_LANG_EN), "CSIRT member");
	/* the city's own title wins in Japanese only */
	assert_string_equal(sk_policy_role_title(p, SK_ROLE_GENERAL_MANAGER, SK_LANG_JA),
	                    "CISO補佐");
	assert_string_equal(sk_policy_role_title(p, SK_ROLE_GENERAL_MANAGER, SK_LANG_EN),
	                    "General information security manager");
	/* no profile: the guideline's; out of range: none */
	assert_string_equal(sk_policy_role_title(NULL, SK_ROLE_GENERAL_MANAGER, SK_LANG_JA),
	                    "統括情報セキュリティ責任者");
	assert_null(sk_policy_role_title(p, SK_ROLE_NONE, SK_LANG_JA));
	/* a role typed by the guideline's title where the profile gives none */
	sk_decide_kv kv[] = {{"action", "use"}, {"actor_role", "情報セキュリティ責任者"}};
	sk_decide_input in;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(sk_decide_input_parse(p, kv, 2, &in, &err), SK_OK);
	assert_int_equal(in.actor_role, SK_ROLE_SECURITY_OFFICER);
	sk_buf_free(&err);
	sk_policy_free(p);
	sk_buf_free(&d);
}

static void test_vocabulary_round_trips(void **state)
{
	(void)state;
	for (int a = 0; a < SK_ACT__COUNT; a++) {
		sk_action b;
		assert_int_equal(sk_action_parse(sk_action_name((sk_action)a), &b), SK_OK);
		assert_int_equal(b, a);
	}
	for (int r = 0; r < SK_ROLE__COUNT; r++) {
		sk_role b;
		assert_int_equal(sk_role_parse(sk_role_name((sk_role)r), &b), SK_OK);
		assert_int_equal(b, r);
	}
	sk_action x;
	assert_int_equal(sk_action_parse("fly", &x), SK_ERR_INVALID);
	assert_null(sk_action_name(SK_ACT__COUNT));
	assert_string_equal(sk_safeguard_name(SK_SG_DISPOSAL_CERTIFICATE), "disposal_certificate");
	assert_string_equal(sk_action_name(SK_ACT_CONNECT_NETWORK), "connect_network");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_loader_errors_name_the_line),
	    cmocka_unit_test(test_head_errors),
	    cmocka_unit_test(test_strictest_wins_and_unions),
	    cmocka_unit_test(test_governs),
	    cmocka_unit_test(test_silent_list),
	    cmocka_unit_test(test_silence_and_bad_input),
	    cmocka_unit_test(test_silence_by_actor),
	    cmocka_unit_test(test_decide_input_parse),
	    cmocka_unit_test(test_vocab_words),
	    cmocka_unit_test(test_decision_json),
	    cmocka_unit_test(test_decide_does_not_allocate),
	    cmocka_unit_test(test_scheme_3a),
	    cmocka_unit_test(test_password_check),
	    cmocka_unit_test(test_password_floor),
	    cmocka_unit_test(test_coverage_and_oscal),
	    cmocka_unit_test(test_oscal_ids),
	    cmocka_unit_test(test_any_of_partners),
	    cmocka_unit_test(test_builtins),
	    cmocka_unit_test(test_several_approvers),
	    cmocka_unit_test(test_role_title_fallback),
	    cmocka_unit_test(test_asset_type_and_to_zone),
	    cmocka_unit_test(test_unstated_periods_holders_exceptions),
	    cmocka_unit_test(test_vocabulary_round_trips),
	    cmocka_unit_test(test_capabilities),
	    cmocka_unit_test(test_separation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
