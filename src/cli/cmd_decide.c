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

static void list_levels(const sk_policy *p, sk_axis axis)
{
	for (int i = 0; i < sk_policy_level_count(p, axis); i++)
		fprintf(stderr, "%s%s", i ? ", " : "", sk_policy_level_name(p, axis, i));
}

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

	/* Vocabulary first: a bad action or role is bad whatever the profile. */
	sk_action a;
	if (sk_action_parse(action, &a) != SK_OK)
		return sk_cli_fail(SK_ERR_INVALID, "unknown action '%s'", action);
	sk_decide_input in;
	sk_decide_input_init(&in, a);
	if (role && sk_role_parse(role, &in.actor_role) != SK_OK)
		return sk_cli_fail(SK_ERR_INVALID, "unknown role '%s'", role);
	if (zone && sk_zone_parse(zone, &in.zone) != SK_OK)
		return sk_cli_fail(SK_ERR_INVALID,
		                   "unknown zone '%s' (zones are mynumber, lgwan, internet)", zone);
	if (to_zone && sk_zone_parse(to_zone, &in.to_zone) != SK_OK)
		return sk_cli_fail(SK_ERR_INVALID,
		                   "unknown to-zone '%s' (zones are mynumber, lgwan, internet)",
		                   to_zone);
	if (asset_type && sk_asset_type_parse(asset_type, &in.asset_type) != SK_OK)
		return sk_cli_fail(SK_ERR_INVALID,
		                   "unknown asset type '%s' (hardware, software, media, facility, "
		                   "document, data, network, system)",
		                   asset_type);
	in.mynumber = mynumber;
	in.personal = personal;

	sk_policy *p;
	int ex = sk_cmd_policy_open(profile, &p);
	if (ex)
		return ex;
	for (int ax = 0; ax < SK_AXIS__COUNT; ax++) {
		if (!level[ax])
			continue;
		if (sk_policy_level_parse(p, (sk_axis)ax, level[ax], &in.level[ax]) != SK_OK) {
			fprintf(stderr, "sekisho: unknown %s level '%s' for profile %s (levels: ",
			        sk_axis_name((sk_axis)ax), level[ax], sk_policy_city_id(p));
			list_levels(p, (sk_axis)ax);
			fprintf(stderr, ")\n");
			sk_policy_free(p);
			return 2;
		}
	}
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
