/*
 * cmd_policyset: `sekisho policy set show|add|remove` — the installation's
 * policy set (issue #16, docs/policy-set.md): which stored policy version
 * applies to the units of which kinds beside the primary (the active
 * version). A change needs the CISO's approved policy_activation request
 * naming the version and the kinds, and is audited (policyset.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../core/sk_msg.h"
#include "../domain/policyset.h"
#include "cli.h"
#include "commands.h"

#define SHOW_USAGE   "--db URL [--json]"
#define ADD_USAGE    "--db URL VERSION --units-of-kind KIND[,KIND]"
#define REMOVE_USAGE "--db URL VERSION"

/* One document of the set: its version, primary or not, city, kinds and the unit kinds it covers.
 */
static void print_member(const json_t *v)
{
	char kb[256];
	const char *kind = json_string_value(json_object_get(v, "kind"));
	printf(sk_cli_msg(SK_M_CLI_OUT_SET_MEMBER),
	       (long long)json_integer_value(json_object_get(v, "version")),
	       sk_cli_msg(json_is_true(json_object_get(v, "primary")) ? SK_M_CLI_OUT_SET_PRIMARY
	                                                              : SK_M_CLI_OUT_SET_SECONDARY),
	       json_string_value(json_object_get(v, "city")),
	       kind ? sk_cli_doc_kinds(kind, ',', kb, sizeof(kb)) : "-");
	size_t k;
	json_t *uk;
	json_array_foreach (json_object_get(v, "unit_kinds"), k, uk)
		printf("%s%s", k ? sk_cli_msg(SK_M_CLI_OUT_LIST_SEP) : "",
		       sk_cli_word("UI_ORG_KIND_", json_string_value(uk)));
	printf("%s\n", json_array_size(json_object_get(v, "unit_kinds")) ? "" : "-");
}

static int set_show(int argc, char **argv)
{
	sk_store *s = NULL;
	bool json = false;
	int rc;
	if (!sk_cli_open_db_json(argc, argv, SHOW_USAGE, &s, &json, &rc))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *set = NULL;
	sk_err e = sk_policyset_show(sk_cli_ctx(s), &set, &err);
	return sk_cli_finish_list(s, e, &err, set, json, print_member);
}

/* Gives VERSION the kinds (NULL: takes it out of the set). */
static int set_change(int argc, char **argv, const char *usage, bool add)
{
	const char *db = NULL, *kinds = NULL;
	const sk_cli_opt opts_add[] = {SK_OPT_STR("db", &db), SK_OPT_STR("units-of-kind", &kinds),
	                               SK_OPT_END};
	const sk_cli_opt opts_remove[] = {SK_OPT_STR("db", &db), SK_OPT_END};
	int st;
	if (!sk_cli_options(argc, argv, usage, add ? opts_add : opts_remove, SK_CLI_ANY_ARGS, &st))
		return st;
	long long v = 0;
	if (optind != argc - 1)
		return sk_cli_usage_error(
		    usage, sk_msg_format(SK_M_CLI_POLICY_SET_ONE, sk_lang_from_env()),
		    add ? "add" : "remove");
	if (!sk_cli_parse_int(argv[optind], 1, INT64_MAX, &v))
		return sk_cli_usage_error(usage, sk_cli_msg(SK_M_CLI_POLICY_VERSION_NUMBER),
		                          argv[optind]);
	if (add && !kinds)
		return sk_cli_usage_error(
		    usage, "%s", sk_msg_format(SK_M_CLI_POLICY_SET_KINDS, sk_lang_from_env()));
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	uint32_t mask = 0;
	sk_err e = add && strcmp(kinds, "none") == 0
	               ? sk_fail_msg(&err, SK_ERR_INVALID, "units-of-kind", NULL,
	                             SK_M_POLICYSET_KINDS_NONE)
	           : add ? sk_policyset_parse_kinds(kinds, "units-of-kind", &mask, &err)
	                 : SK_OK;
	if (e) {
		int rc = sk_cli_fail_buf(e, &err);
		sk_buf_free(&err);
		return rc;
	}
	sk_store *s = NULL;
	int rc = sk_cli_open_store(db, &s);
	if (rc) {
		sk_buf_free(&err);
		return rc;
	}
	int64_t req = 0;
	e = sk_policyset_change(sk_cli_ctx(s), (int64_t)v, mask, &req, &err);
	if (!e && add)
		printf(sk_cli_msg(SK_M_CLI_OUT_SET_ADDED), v, kinds, (long long)req);
	else if (!e)
		printf(sk_cli_msg(SK_M_CLI_OUT_SET_REMOVED), v, (long long)req);
	return sk_cli_finish(s, e, &err);
}

static int set_add(int argc, char **argv) { return set_change(argc, argv, ADD_USAGE, true); }
static int set_remove(int argc, char **argv) { return set_change(argc, argv, REMOVE_USAGE, false); }

int sk_cmd_policy_set(int argc, char **argv)
{
	static const struct sk_cli_verb verbs[] = {
	    {"show", set_show, SHOW_USAGE, SK_CLI_PERSON, SK_M_VERB_POLICY_SET_SHOW},
	    {"add", set_add, ADD_USAGE, SK_CLI_PERSON, SK_M_VERB_POLICY_SET_ADD},
	    {"remove", set_remove, REMOVE_USAGE, SK_CLI_PERSON, SK_M_VERB_POLICY_SET_REMOVE},
	    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
	};
	return sk_cli_dispatch("policy set", verbs, argc - 1, argv + 1);
}
