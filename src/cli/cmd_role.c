/* cmd_role: `sekisho role grant|revoke|list|names`, role assignments. */
#include <stdio.h>
#include <string.h>

#include "../domain/actor.h"
#include "../domain/role.h"
#include "cli.h"
#include "commands.h"

#define GRANT_USAGE "--db URL --login LOGIN --role ROLE --unit UNIT"
#define LIST_USAGE  "--db URL [--login LOGIN] [--role ROLE] [--unit UNIT] [--json]"
#define NAMES_USAGE "[--json]"

struct role_args {
	const char *db, *login, *role, *unit;
	bool json;
};

/* true to go on; false to end with *st. */
static bool parse(int argc, char **argv, const char *usage, bool allow_json, struct role_args *a,
                  int *st)
{
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &a->db),
	    SK_OPT_STR("login", &a->login),
	    SK_OPT_STR("role", &a->role),
	    SK_OPT_STR("unit", &a->unit),
	    SK_OPT_FLAG("json", allow_json ? &a->json : NULL),
	    SK_OPT_END,
	};
	return sk_cli_options(argc, argv, usage, opts, 0, st);
}

static int change(int argc, char **argv, bool grant)
{
	struct role_args a = {0};
	int rc;
	if (!parse(argc, argv, GRANT_USAGE, false, &a, &rc))
		return rc;
	if (!a.login || !a.role || !a.unit)
		return sk_cli_usage_error(GRANT_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_LOGIN_ROLE_UNIT_REQUIRED));
	sk_cli_install_for_role(a.role, grant ? "sekisho role grant" : "sekisho role revoke");
	sk_store *s = NULL;
	if ((rc = sk_cli_open_store(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = grant ? sk_role_grant(sk_cli_ctx(s), a.login, a.role, a.unit, &err)
	                 : sk_role_revoke(sk_cli_ctx(s), a.login, a.role, a.unit, &err);
	if (!e)
		printf(sk_cli_msg(grant ? SK_M_CLI_OUT_ROLE_GRANTED : SK_M_CLI_OUT_ROLE_REVOKED),
		       sk_cli_role(a.role), a.login, a.unit);
	return sk_cli_finish(s, e, &err);
}

static int role_grant(int argc, char **argv) { return change(argc, argv, true); }
static int role_revoke(int argc, char **argv) { return change(argc, argv, false); }

static void print_grant(const json_t *g)
{
	/* In Japanese the title leads and the role's name stands beside it. */
	const char *role = json_string_value(json_object_get(g, "role"));
	printf(sk_cli_msg(SK_M_CLI_OUT_ROLE_LINE), json_string_value(json_object_get(g, "login")),
	       role, json_string_value(json_object_get(g, "unit_code")),
	       json_string_value(json_object_get(g, "title")), role);
}

static int role_list(int argc, char **argv)
{
	struct role_args a = {0};
	int rc;
	sk_store *s = NULL;
	if (!parse(argc, argv, LIST_USAGE, true, &a, &rc) || (rc = sk_cli_open_store(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *grants = NULL;
	sk_ctx *c = sk_cli_ctx(s);
	sk_err e = sk_role_list(c, a.login, a.role, a.unit, &grants, &err);
	return sk_cli_finish_list(s, e, &err, grants, a.json, print_grant);
}

/* The role vocabulary itself: needs no database. */
static int role_names(int argc, char **argv)
{
	struct role_args a = {0};
	int rc;
	if (!parse(argc, argv, NAMES_USAGE, true, &a, &rc))
		return rc;
	size_t n;
	const sk_role_info *t = sk_role_table(&n);
	if (!a.json) {
		for (size_t i = 0; i < n; i++)
			printf("%-18s %s\n", t[i].name,
			       sk_role_title(t[i].role, sk_lang_from_env()));
		return 0;
	}
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		if (json_array_append_new(
		        arr, json_pack("{s:s, s:s, s:s}", "name", t[i].name, "title",
		                       sk_role_title(t[i].role, SK_LANG_JA), "title_en",
		                       sk_role_title(t[i].role, SK_LANG_EN))))
			return sk_cli_fail(SK_ERR_NOMEM, "out of memory");
	return arr ? sk_cli_print_json(arr) : sk_cli_fail(SK_ERR_NOMEM, "out of memory");
}

static const struct sk_cli_verb verbs[] = {
    {"grant", role_grant, GRANT_USAGE, SK_CLI_PERSON, SK_M_VERB_ROLE_GRANT},
    {"revoke", role_revoke, GRANT_USAGE, SK_CLI_PERSON, SK_M_VERB_ROLE_REVOKE},
    {"list", role_list, LIST_USAGE, SK_CLI_PERSON, SK_M_VERB_ROLE_LIST},
    {"names", role_names, NAMES_USAGE, SK_CLI_PERSON, SK_M_VERB_ROLE_NAMES},
    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
};

int sk_cmd_role(int argc, char **argv)
{
	return sk_cli_dispatch("role", verbs, argc - 1, argv + 1);
}
