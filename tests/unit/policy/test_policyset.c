/*
 * test_policyset: the policy set of src/policy/set.c (issue #16,
 * docs/policy-set.md): documents applying to units of some kinds, combined
 * strictest-wins with the document of every citation; a narrower
 * document's governs: setting a broader one's rule aside; the cross
 * references checked when the set is put together. The documents are the
 * synthetic example profile (a "standards") and a copy of it made into a
 * designated-manager guideline of another city.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sk_buf.h"
#include "policy/policy.h"

/* Unit kinds as the domain numbers them (org.h): section 2, designated manager 3. */
#define SECTION (1u << 2)
#define DM      (1u << 3)

static char *example_text(size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/example.yaml", getenv("SK_POLICIES_DIR"));
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *t = calloc(1, 1u << 20);
	assert_non_null(t);
	*len = fread(t, 1, (1u << 20) - 1, f);
	fclose(f);
	return t;
}

/* Replaces the first from in t (room for 1 MiB) with to. */
static void replace(char *t, const char *from, const char *to)
{
	char *p = strstr(t, from);
	assert_non_null(p);
	size_t fl = strlen(from), tl = strlen(to);
	memmove(p + tl, p + fl, strlen(p + fl) + 1);
	memcpy(p, to, tl);
}

static sk_policy *load(const char *name, const char *t)
{
	sk_policy *p = NULL;
	sk_buf diag = SK_BUF_INIT(4096);
	if (sk_policy_load_mem(name, t, strlen(t), &p, &diag) != SK_OK)
		fail_msg("%s: %s", name, diag.data);
	sk_buf_free(&diag);
	return p;
}

/*
 * The guideline: the example as another city's designated-manager
 * guideline whose take-out of 機密性2以上 needs only safeguards; with
 * governs, its rule sets the standards' take-out-conf2 aside.
 */
static sk_policy *guideline(bool governs)
{
	size_t n;
	char *t = example_text(&n);
	replace(t, "  id: example\n", "  id: exdm\n");
	replace(t, "  short: 例示\n", "  short: 例示指定\n");
	replace(t, "kind: standards", "kind: designated_manager_guideline");
	replace(t,
	        "  - id: take-out-conf2\n    action: [take_out, transport]\n    when: {conf: "
	        "\">=2\"}\n    decision: require_approval\n    approver: security_manager\n"
	        "    safeguards: [encrypt_or_password, locked_case]\n",
	        governs ? "  - id: take-out-conf2\n    action: [take_out, transport]\n    when: "
	                  "{conf: \">=2\"}\n    governs: [standards/take-out-conf2]\n    decision: "
	                  "allow_with_safeguards\n    safeguards: [record]\n"
	                : "  - id: take-out-conf2\n    action: [take_out, transport]\n    when: "
	                  "{conf: \">=2\"}\n    decision: allow_with_safeguards\n    safeguards: "
	                  "[record]\n");
	sk_policy *p = load("guideline.yaml", t);
	free(t);
	return p;
}

static sk_policy *standards(void)
{
	size_t n;
	char *t = example_text(&n);
	sk_policy *p = load("standards.yaml", t);
	free(t);
	return p;
}

static const sk_decide_kv take_out_staff[] = {
    {"action", "take_out"}, {"conf", "2"}, {"actor_role", "staff"}};

static bool cites(const sk_set_decision *d, const char *c, unsigned doc)
{
	for (unsigned i = 0; i < d->d.n_citations; i++)
		if (strcmp(d->d.citations[i], c) == 0)
			return d->doc[i] == doc;
	return false;
}

/* Alone, a profile decides as sk_policy_decide does, its citations its own. */
static void test_alone(void **state)
{
	(void)state;
	sk_policy *p = standards();
	sk_set_decision d;
	sk_buf err = SK_BUF_INIT(4096);
	assert_int_equal(sk_policy_set_decide(p, SECTION, take_out_staff, 3, &d, &err), SK_OK);
	assert_int_equal(d.d.decision, SK_DEC_REQUIRE_APPROVAL);
	assert_int_equal(d.d.approver, SK_ROLE_SECURITY_MANAGER);
	assert_true(cites(&d, "例示 2(3)", 0));
	assert_int_equal(sk_policy_set_count(p), 1);
	sk_buf out = SK_BUF_INIT(1u << 16);
	assert_int_equal(sk_policy_set_decision_to_json(p, &d, &out), SK_OK);
	assert_non_null(strstr(out.data, "\"documents\": [{\"citations\": [\"例示 2(3)\"], "
	                                 "\"city\": \"example\", \"kind\": [\"standards\"]"));
	sk_buf_free(&out);
	sk_buf_free(&err);
	sk_policy_free(p);
}

/* Each unit under its own documents; where two apply, the stricter answer wins. */
static void test_combined(void **state)
{
	(void)state;
	sk_policy *p = standards();
	sk_policy *members[] = {guideline(false)};
	uint32_t scopes[] = {DM};
	sk_buf err = SK_BUF_INIT(4096);
	/* The standards apply to sections and, with the guideline, to designated managers. */
	assert_int_equal(sk_policy_set_attach(p, SECTION | DM, members, scopes, 1, &err), SK_OK);
	assert_int_equal(sk_policy_set_count(p), 2);
	sk_set_decision d;
	assert_int_equal(sk_policy_set_decide(p, SECTION, take_out_staff, 3, &d, &err), SK_OK);
	assert_int_equal(d.docs, 1u);
	/* A designated manager: the guideline asks safeguards, the standards an approval. */
	assert_int_equal(sk_policy_set_decide(p, DM, take_out_staff, 3, &d, &err), SK_OK);
	assert_int_equal(d.docs, 3u);
	assert_int_equal(d.d.decision, SK_DEC_REQUIRE_APPROVAL);
	assert_int_equal(d.d.approver, SK_ROLE_SECURITY_MANAGER);
	assert_int_equal(d.approver_doc, 0);
	assert_true(cites(&d, "例示 2(3)", 0));
	assert_true(cites(&d, "例示指定 2(3)", 1));
	/* Safeguards united: the standards' encryption and locked case. */
	assert_true(d.d.safeguards & (1u << SK_SG_ENCRYPT_OR_PASSWORD));
	assert_true(d.d.safeguards & (1u << SK_SG_LOCKED_CASE));
	/* No unit: the primary alone. */
	assert_int_equal(sk_policy_set_decide(p, 0, take_out_staff, 3, &d, &err), SK_OK);
	assert_int_equal(d.docs, 1u);
	sk_buf_free(&err);
	sk_policy_free(p);
}

/*
 * The documents JSON, both forms, byte for byte: its fixed members are
 * rendered once at load, the stored version (set after load, and again)
 * on each call.
 */
static void test_documents_json(void **state)
{
	(void)state;
	sk_policy *p = standards(), *g = guideline(false); /* g: owned by p once attached */
	sk_policy *members[] = {g};
	uint32_t scopes[] = {DM};
	sk_buf err = SK_BUF_INIT(4096), out = SK_BUF_INIT(1u << 16);
	assert_int_equal(sk_policy_set_attach(p, SECTION | DM, members, scopes, 1, &err), SK_OK);
	sk_set_decision d;
	assert_int_equal(sk_policy_set_decide(p, DM, take_out_staff, 3, &d, &err), SK_OK);
	assert_int_equal(sk_policy_set_documents_json(p, &d, true, &out), SK_OK);
	assert_string_equal(
	    out.data,
	    "[{\"citations\":[\"例示 2(3)\"],\"city\":\"example\",\"kind\":[\"standards\"],"
	    "\"primary\":true,\"title\":\"sekisho test profile (synthetic)\",\"version\":"
	    "null},{\"citations\":[\"例示指定 2(3)\"],\"city\":\"exdm\",\"kind\":["
	    "\"designated_manager_guideline\"],\"primary\":false,\"title\":\"sekisho "
	    "test profile (synthetic)\",\"version\":null}]");
	sk_policy_set_stored_version(p, 7);
	sk_policy_set_stored_version(g, -12);
	sk_buf_reset(&out);
	assert_int_equal(sk_policy_set_documents_json(p, &d, false, &out), SK_OK);
	assert_string_equal(out.data,
	                    "[{\"citations\": [\"例示 2(3)\"], \"city\": \"example\", \"kind\": "
	                    "[\"standards\"], \"primary\": true, \"title\": \"sekisho test profile "
	                    "(synthetic)\", \"version\": 7}, {\"citations\": [\"例示指定 2(3)\"], "
	                    "\"city\": \"exdm\", \"kind\": [\"designated_manager_guideline\"], "
	                    "\"primary\": false, \"title\": \"sekisho test profile (synthetic)\", "
	                    "\"version\": -12}]");
	sk_policy_set_stored_version(p, 9223372036854775807LL);
	sk_buf_reset(&out);
	assert_int_equal(sk_policy_set_documents_json(p, &d, true, &out), SK_OK);
	assert_non_null(strstr(out.data, "\"version\":9223372036854775807},"));
	assert_non_null(strstr(out.data, "\"version\":-12}]"));
	sk_buf_free(&out);
	sk_buf_free(&err);
	sk_policy_free(p);
}

/* A narrower document's rule sets the broader one's aside only where it says so. */
static void test_governs(void **state)
{
	(void)state;
	sk_policy *p = standards();
	sk_policy *members[] = {guideline(true)};
	uint32_t scopes[] = {DM};
	sk_buf err = SK_BUF_INIT(4096);
	assert_int_equal(sk_policy_set_attach(p, SECTION | DM, members, scopes, 1, &err), SK_OK);
	sk_set_decision d;
	assert_int_equal(sk_policy_set_decide(p, DM, take_out_staff, 3, &d, &err), SK_OK);
	/* The standards' take-out-conf2 is set aside: only the guideline answers. */
	assert_int_equal(d.d.decision, SK_DEC_ALLOW_WITH_SAFEGUARDS);
	assert_int_equal(d.docs, 2u);
	assert_true(cites(&d, "例示指定 2(3)", 1));
	assert_int_equal(d.d.n_citations, 1);
	/* A contractor's take-out: the standards' contractor rule is not named, so it stays. */
	const sk_decide_kv contractor[] = {
	    {"action", "take_out"}, {"conf", "2"}, {"actor_role", "contractor"}};
	assert_int_equal(sk_policy_set_decide(p, DM, contractor, 3, &d, &err), SK_OK);
	assert_int_equal(d.d.decision, SK_DEC_REQUIRE_APPROVAL);
	assert_int_equal(d.d.approver, SK_ROLE_CITY);
	assert_true(cites(&d, "例示 1(3)", 0));
	/* Sections: the guideline does not apply, nothing is set aside. */
	assert_int_equal(sk_policy_set_decide(p, SECTION, take_out_staff, 3, &d, &err), SK_OK);
	assert_int_equal(d.d.decision, SK_DEC_REQUIRE_APPROVAL);
	sk_buf_free(&err);
	sk_policy_free(p);
}

/* Cross references are checked when the set is put together. */
static void test_checked(void **state)
{
	(void)state;
	sk_buf err = SK_BUF_INIT(4096);
	/* The guideline is as broad as the standards: it may not set their rules aside. */
	sk_policy *p = standards();
	sk_policy *members[] = {guideline(true)};
	uint32_t scopes[] = {DM};
	assert_int_equal(sk_policy_set_attach(p, DM, members, scopes, 1, &err), SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "only a narrower document's rule"));
	assert_int_equal(sk_policy_set_count(p), 1);
	sk_policy_free(p);
	/* A rule the standards do not have. */
	size_t n;
	char *t = example_text(&n);
	replace(t, "  id: example\n", "  id: exdm\n");
	replace(t, "kind: standards", "kind: designated_manager_guideline");
	replace(t, "  - id: copy-base\n    action: copy\n",
	        "  - id: copy-base\n    action: copy\n    governs: [standards/no-such-rule]\n");
	sk_policy *g = load("g.yaml", t);
	free(t);
	p = standards();
	sk_buf_reset(&err);
	assert_int_equal(sk_policy_set_attach(p, SECTION | DM, &g, scopes, 1, &err),
	                 SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "has no rule 'no-such-rule'"));
	sk_policy_free(p);
	/* The loader refuses a reference that is not KIND/RULE. */
	t = example_text(&n);
	replace(t, "  - id: copy-base\n    action: copy\n",
	        "  - id: copy-base\n    action: copy\n    governs: [handbook/copy-conf2]\n");
	sk_buf diag = SK_BUF_INIT(4096);
	sk_policy *bad = NULL;
	assert_int_equal(sk_policy_load_mem("b.yaml", t, strlen(t), &bad, &diag), SK_ERR_INVALID);
	assert_non_null(strstr(diag.data, "KIND/RULE"));
	free(t);
	sk_buf_free(&diag);
	sk_buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alone),          cmocka_unit_test(test_combined),
	    cmocka_unit_test(test_documents_json), cmocka_unit_test(test_governs),
	    cmocka_unit_test(test_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
