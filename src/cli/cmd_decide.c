/*
 * cmd_decide: `sekisho decide` — the decision contract of SPEC §3 on the
 * command line. Every value is checked against the vocabulary or the
 * profile's scheme before deciding; a bad one exits 2 naming it. Any
 * decision, forbid included, exits 0.
 */
#include <stdio.h>
#include <string.h>

#include "../policy/policy.h"
#include "cli.h"
#include "commands.h"

#define DECIDE_USAGE                                                                               \
	"--profile P --action A [--conf L] [--integ L] [--avail L] [--mynumber] "                  \
	"[--personal] [--zone Z] [--to-zone Z] [--asset-type T] [--actor-role R] [--json] "        \
	"[--explain]"

static int print_text(const sk_policy *p, const sk_decision *d)
{
	printf("decision: %s\n", sk_decision_name(d->decision));
	/* Every approver, in the profile's order; the first is the JSON's approver_role. */
	if (d->n_approvers > 1)
		printf("approvers: %s\n", d->approver_mode == SK_APPROVE_ALL_OF
		                              ? "all of, in this order"
		                              : "any one of");
	for (unsigned i = 0; i < d->n_approvers; i++) {
		const char *t = sk_policy_role_title(p, d->approvers[i]);
		printf("approver: %s%s%s%s\n", sk_role_name(d->approvers[i]), t ? " (" : "",
		       t ? t : "", t ? ")" : "");
	}
	if (d->decision == SK_DEC_FORBID)
		printf("exception possible: %s\n", d->exception_possible ? "yes" : "no");
	for (int s = 0; s < SK_SG__COUNT; s++)
		if (d->safeguards & (1u << s))
			printf("safeguard: %s\n", sk_safeguard_name((sk_safeguard)s));
	for (unsigned i = 0; i < d->n_citations; i++)
		printf("citation: %s\n", d->citations[i]);
	return 0;
}

int sk_cmd_decide(int argc, char **argv)
{
	const char *profile = NULL, *action = NULL, *zone = NULL, *role = NULL, *to_zone = NULL,
	           *asset_type = NULL;
	const char *level[SK_AXIS__COUNT] = {NULL, NULL, NULL};
	bool mynumber = false, personal = false, json = false, explain = false;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("profile", &profile),
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
	    SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, DECIDE_USAGE, opts, 0, &st))
		return st;
	if (!profile)
		return sk_cli_usage_error(DECIDE_USAGE, "--profile is required");
	if (!action)
		return sk_cli_usage_error(DECIDE_USAGE, "--action is required");

	sk_policy *p;
	int ex = sk_cmd_policy_open(profile, &p);
	if (ex)
		return ex;
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
		return sk_cli_fail(SK_ERR_INTERNAL, "the decision input was out of range");
	}
	int rc = 0;
	if (explain) {
		sk_buf trail = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
		sk_policy_explain(p, &in, &trail);
		fputs(trail.data, json ? stderr : stdout);
		sk_buf_free(&trail);
	}
	if (json) {
		sk_buf out = SK_BUF_INIT(1u << 20);
		sk_decision_to_json(&d, &out);
		printf("%s\n", out.data);
		sk_buf_free(&out);
	} else if (!explain) {
		rc = print_text(p, &d);
	}
	sk_policy_free(p);
	if (fflush(stdout) != 0)
		return 70;
	return rc;
}
