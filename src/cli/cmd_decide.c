/*
 * cmd_decide: `sekisho decide` — the decision contract of SPEC §3 on the
 * command line. Every value is checked against the vocabulary or the
 * profile's scheme before deciding; a bad one exits 2 naming it. Any
 * decision, forbid included, exits 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_json.h"
#include "../core/sk_msg.h"
#include "../domain/ctx.h"
#include "../domain/decision.h"
#include "../domain/org.h"
#include "../domain/schema.h"
#include "../policy/policy.h"
#include "cli.h"
#include "commands.h"

#define DECIDE_USAGE                                                                               \
	"(--profile PROFILE | --db URL --unit UNIT) (--action ACTION [--conf LEVEL] [--integ "     \
	"LEVEL] "                                                                                  \
	"[--avail LEVEL] [--mynumber] [--personal] [--zone ZONE] [--to-zone ZONE] [--asset-type "  \
	"TYPE] "                                                                                   \
	"[--actor-role ROLE] [--json] [--explain] | --batch)"

/* The longest line --batch reads: far more than any decision's input. */
#define BATCH_LINE_MAX 4096

/*
 * A word of the decision as the reader reads it: in Japanese its label with
 * the stable name beside it ("承認が必要（require_approval）"), in English
 * the name alone, as scripts have read it.
 */
static const char *word(bool ja, const char *label, const char *name, char *buf, size_t n)
{
	if (!ja || !label || !strcmp(label, name))
		return name;
	snprintf(buf, n, "%s（%s）", label, name);
	return buf;
}

/*
 * The decision for people, in the reader's language (the JSON form is the
 * contract's): one function for a profile's decision and a unit's.
 */
static void print_text(const sk_policy *p, const sk_decision *d)
{
	sk_lang l = sk_lang_from_env();
	bool ja = l == SK_LANG_JA;
	char buf[512];
	printf(sk_msg_format(SK_M_CLI_DECISION, l),
	       word(ja, sk_vocab_label(SK_VOCAB_DECISION, (int)d->decision, l),
	            sk_decision_name(d->decision), buf, sizeof(buf)));
	/* Every approver, in the profile's order; the first is the JSON's approver_role. */
	if (d->n_approvers > 1)
		fputs(sk_msg_format(d->approver_mode == SK_APPROVE_ALL_OF ? SK_M_CLI_APPROVERS_ALL
		                                                          : SK_M_CLI_APPROVERS_ANY,
		                    l),
		      stdout);
	for (unsigned i = 0; i < d->n_approvers; i++) {
		const char *t = sk_policy_role_title(p, d->approvers[i], l);
		const char *rn = sk_role_name(d->approvers[i]);
		const char *w = word(ja, t, rn, buf, sizeof(buf));
		if (!ja && t) { /* in English the title stands beside the role */
			snprintf(buf, sizeof(buf), "%s (%s)", rn, t);
			w = buf;
		}
		printf(sk_msg_format(SK_M_CLI_APPROVER, l), w);
	}
	if (d->decision == SK_DEC_FORBID)
		fputs(sk_msg_format(d->exception_possible ? SK_M_CLI_EXCEPTION_YES
		                                          : SK_M_CLI_EXCEPTION_NO,
		                    l),
		      stdout);
	for (int s = 0; s < SK_SG__COUNT; s++)
		if (d->safeguards & (1u << s))
			printf(sk_msg_format(SK_M_CLI_SAFEGUARD, l),
			       word(ja, sk_vocab_label(SK_VOCAB_SAFEGUARD, s, l),
			            sk_safeguard_name((sk_safeguard)s), buf, sizeof(buf)));
	for (unsigned i = 0; i < d->n_citations; i++)
		printf(sk_msg_format(SK_M_CLI_CITATION, l), d->citations[i]);
}

/* One line of --batch: the decision as one JSON line, or {"error": …} naming the problem. */
static bool batch_line(const sk_policy *p, const char *line, size_t len, sk_buf *out)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *obj = NULL;
	sk_decide_kv_json kv;
	sk_decide_input in;
	sk_decision d;
	sk_err e = sk_json_parse(line, len, BATCH_LINE_MAX, &obj, &err);
	if (!e)
		e = sk_schema_check_json(&sk_schema_decide, SK_SCHEMA_CREATE, obj, &err);
	if (!e)
		e = sk_decide_kv_from_json(obj, &kv, &err);
	if (!e)
		e = sk_decide_input_parse(p, kv.kv, kv.n, &in, &err);
	if (!e && sk_policy_decide(p, &in, &d) != SK_OK)
		e = sk_fail_msg(&err, SK_ERR_INTERNAL, NULL, NULL, SK_M_DECIDE_OUT_OF_RANGE);
	sk_buf_reset(out);
	if (!e)
		e = sk_decision_to_json(&d, out);
	if (e) {
		sk_buf_reset(out);
		json_t *j = json_pack("{s:{s:s, s:s}}", "error", "code", sk_err_code(e), "message",
		                      sk_msg_of(&err, e, sk_lang_from_env()));
		char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
		sk_buf_adds(out, t ? t : "{\"error\":{\"code\":\"out_of_memory\"}}");
		free(t);
		json_decref(j);
	}
	json_decref(obj);
	sk_buf_free(&err);
	return !e;
}

/*
 * --batch: one decision's input per line of standard input, as the JSON
 * object POST /api/v1/policy/decide takes, and one answer per line of
 * output, in order: for scripts that decide many things at once. Exits 2
 * when any line was refused (its answer says why), 0 otherwise.
 */
static int decide_batch(const sk_policy *p)
{
	sk_buf out = SK_BUF_INIT(1u << 20);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		size_t len = (size_t)n;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (!len)
			continue;
		if (len > BATCH_LINE_MAX) {
			printf("{\"error\":{\"code\":\"too_large\",\"message\":\"a line is over %d "
			       "bytes\"}}\n",
			       BATCH_LINE_MAX);
			rc = 2;
			continue;
		}
		if (!batch_line(p, line, len, &out))
			rc = 2;
		printf("%s\n", out.data);
	}
	free(line);
	sk_buf_free(&out);
	if (ferror(stdin))
		return sk_cli_fail(SK_ERR_IO, "%s",
		                   sk_cli_msg(SK_M_CLI_CANNOT_READ_STANDARD_INPUT));
	return rc;
}

/*
 * --db URL --unit U: the decision for a unit of an installation, under
 * every document of its policy set that applies to the unit's kind
 * (docs/policy-set.md), recorded in the audit log as every decision is.
 */
static int decide_unit(const char *db, const char *unit, const sk_decide_kv *kv, size_t n,
                       bool json, bool explain)
{
	sk_store *s = NULL;
	int rc = sk_cli_open_store(db, &s);
	if (rc)
		return rc;
	sk_ctx *c = sk_cli_ctx(s);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_org_unit u;
	sk_decision_made m;
	sk_decision_made_init(&m);
	const sk_policy *pol = NULL;
	sk_err e = sk_org_get(s, unit, &u, &err);
	if (e)
		err.field = "unit";
	if (!e)
		e = sk_ctx_policy(c, &pol, &err);
	if (!e)
		e = sk_decision_for_unit(c, u.id, kv, n, &m, &err);
	if (!e)
		e = sk_decision_record(c, &m, &err);
	if (!e && explain) {
		/* Each document that took part, explained as it decided alone. */
		for (size_t i = 0; i < sk_policy_set_count(pol); i++) {
			if (!(m.decided.docs >> i & 1u))
				continue;
			const sk_policy *d = sk_policy_set_doc(pol, i, NULL);
			sk_decide_input in;
			sk_buf trail = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
			if (sk_decide_input_parse(d, kv, n, &in, NULL) == SK_OK)
				sk_policy_explain(d, &in, sk_lang_from_env(), &trail);
			fprintf(json ? stderr : stdout, sk_cli_msg(SK_M_CLI_OUT_DECIDE_EXPLAIN_DOC),
			        i, (long long)sk_policy_stored_version(d));
			fputs(trail.data ? trail.data : "", json ? stderr : stdout);
			sk_buf_free(&trail);
		}
	}
	if (!e && json) {
		/* The SPEC §3 object and the documents its citations came from. */
		sk_buf out = SK_BUF_INIT(1u << 20);
		sk_policy_set_decision_to_json(pol, &m.decided, &out);
		printf("%s\n", out.data);
		sk_buf_free(&out);
	} else if (!e) {
		print_text(sk_policy_set_doc(pol, m.decided.approver_doc, NULL), &m.decided.d);
		for (size_t i = 0; i < sk_policy_set_count(pol); i++) {
			if (!(m.decided.docs >> i & 1u))
				continue;
			const sk_policy *d = sk_policy_set_doc(pol, i, NULL);
			sk_policy_document doc;
			sk_policy_document_of(d, &doc);
			printf(sk_cli_msg(SK_M_CLI_OUT_DECIDE_DOCUMENT),
			       doc.title ? doc.title : sk_policy_city_name(d),
			       (long long)sk_policy_stored_version(d),
			       i == 0 ? sk_cli_msg(SK_M_UI_POLICY_SET_PRIMARY) : "");
		}
	}
	sk_decision_made_free(&m);
	return sk_cli_finish(s, e, &err);
}

int sk_cmd_decide(int argc, char **argv)
{
	const char *profile = NULL, *action = NULL, *zone = NULL, *role = NULL, *to_zone = NULL,
	           *asset_type = NULL, *db = NULL, *unit = NULL;
	const char *level[SK_AXIS__COUNT] = {NULL, NULL, NULL};
	bool mynumber = false, personal = false, json = false, explain = false, batch = false;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("profile", &profile),
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("unit", &unit),
	    SK_OPT_STR("action", &action),
	    SK_OPT_STR("conf", &level[SK_AXIS_CONF]),
	    SK_OPT_STR("integ", &level[SK_AXIS_INTEG]),
	    SK_OPT_STR("avail", &level[SK_AXIS_AVAIL]),
	    SK_OPT_FLAG("mynumber", &mynumber),
	    SK_OPT_FLAG("personal", &personal),
	    SK_OPT_STR("zone", &zone),
	    SK_OPT_STR("to-zone", &to_zone),
	    SK_OPT_STR("asset-type", &asset_type),
	    SK_OPT_STR("actor-role", &role),
	    SK_OPT_FLAG("json", &json),
	    SK_OPT_FLAG("explain", &explain),
	    SK_OPT_FLAG("batch", &batch),
	    SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, DECIDE_USAGE, opts, 0, &st))
		return st;
	if (profile && (unit || db))
		return sk_cli_usage_error(
		    DECIDE_USAGE, "%s",
		    sk_msg_format(SK_M_CLI_DECIDE_PROFILE_OR_UNIT, sk_lang_from_env()));
	if (!profile && !unit)
		return sk_cli_usage_error(DECIDE_USAGE,
		                          sk_msg_format(SK_M_CLI_REQUIRED, sk_lang_from_env()),
		                          "--profile");
	if (unit && batch)
		return sk_cli_usage_error(
		    DECIDE_USAGE, "%s",
		    sk_msg_format(SK_M_CLI_DECIDE_BATCH_PROFILE, sk_lang_from_env()));
	bool one = action || level[0] || level[1] || level[2] || mynumber || personal || zone ||
	           to_zone || asset_type || role || json || explain;
	if (batch && one)
		return sk_cli_usage_error(
		    DECIDE_USAGE, "%s",
		    sk_msg_format(SK_M_CLI_DECIDE_BATCH_ALONE, sk_lang_from_env()));
	if (!batch && !action)
		return sk_cli_usage_error(
		    DECIDE_USAGE, sk_msg_format(SK_M_CLI_REQUIRED, sk_lang_from_env()), "--action");

	/* The options by the names the one parser takes (sk_decide_input_parse). */
	const sk_decide_kv kv[] = {
	    {"action", action},
	    {"conf", level[SK_AXIS_CONF]},
	    {"integ", level[SK_AXIS_INTEG]},
	    {"avail", level[SK_AXIS_AVAIL]},
	    {"mynumber", mynumber ? "true" : NULL},
	    {"personal", personal ? "true" : NULL},
	    {"zone", zone},
	    {"to_zone", to_zone},
	    {"asset_type", asset_type},
	    {"actor_role", role},
	};
	if (unit) {
		int urc = decide_unit(db, unit, kv, sizeof(kv) / sizeof(kv[0]), json, explain);
		return fflush(stdout) != 0 ? 70 : urc;
	}
	sk_policy *p;
	int ex = sk_cmd_policy_open(profile, &p);
	if (ex)
		return ex;
	if (batch) {
		ex = decide_batch(p);
		sk_policy_free(p);
		return fflush(stdout) != 0 ? 70 : ex;
	}
	sk_decide_input in;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_decide_input_parse(p, kv, sizeof(kv) / sizeof(kv[0]), &in, &err);
	if (e) {
		int rc = sk_cli_fail_buf(e, &err);
		sk_buf_free(&err);
		sk_policy_free(p);
		return rc;
	}
	sk_buf_free(&err);
	sk_decision d;
	if (sk_policy_decide(p, &in, &d) != SK_OK) {
		sk_policy_free(p);
		return sk_cli_fail(SK_ERR_INTERNAL, "%s",
		                   sk_msg_format(SK_M_DECIDE_OUT_OF_RANGE, sk_lang_from_env()));
	}
	if (explain) {
		sk_buf trail = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
		sk_policy_explain(p, &in, sk_lang_from_env(), &trail);
		fputs(trail.data, json ? stderr : stdout);
		sk_buf_free(&trail);
	}
	if (json) {
		sk_buf out = SK_BUF_INIT(1u << 20);
		sk_decision_to_json(&d, &out);
		printf("%s\n", out.data);
		sk_buf_free(&out);
	} else if (!explain) {
		print_text(p, &d);
	}
	sk_policy_free(p);
	return fflush(stdout) != 0 ? 70 : 0;
}
