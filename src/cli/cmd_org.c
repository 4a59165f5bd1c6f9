/* cmd_org: `sekisho org add|list|move|check`, the organization tree. */
#include <stdio.h>
#include <string.h>

#include "../domain/actor.h"
#include "../domain/org.h"
#include "../policy/policy.h"
#include "cli.h"
#include "commands.h"

#define ADD_USAGE   "--db URL --code CODE --name NAME --kind KIND [--parent UNIT]"
#define LIST_USAGE  "--db URL [--json]"
#define MOVE_USAGE  "--db URL --unit UNIT --parent UNIT"
#define CHECK_USAGE "--db URL [--json]"

static int org_add(int argc, char **argv)
{
	const char *db = NULL, *code = NULL, *name = NULL, *kind = NULL, *parent = NULL;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),     SK_OPT_STR("code", &code),     SK_OPT_STR("name", &name),
	    SK_OPT_STR("kind", &kind), SK_OPT_STR("parent", &parent), SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, ADD_USAGE, opts, 0, &st))
		return st;
	if (!code || !name || !kind)
		return sk_cli_usage_error(ADD_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_CODE_NAME_KIND_REQUIRED));
	sk_store *s = NULL;
	int rc = sk_cli_open_store(db, &s);
	if (rc)
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t id = 0;
	sk_err e = sk_org_add(sk_cli_ctx(s), code, name, kind, parent, &id, &err);
	if (!e)
		printf(sk_cli_msg(SK_M_CLI_OUT_UNIT_ADDED), code, (long long)id);
	return sk_cli_finish(s, e, &err);
}

/* Prints the units under parent (0: the roots), indented by depth. */
static void print_tree(const json_t *units, json_int_t parent, int depth)
{
	size_t i;
	const json_t *u;
	if (depth > SK_ORG_DEPTH_MAX)
		return;
	json_array_foreach (units, i, u) {
		const json_t *p = json_object_get(u, "parent");
		json_int_t pid = json_is_integer(p) ? json_integer_value(p) : 0;
		if (pid != parent)
			continue;
		json_int_t id = json_integer_value(json_object_get(u, "id"));
		const char *kind = json_string_value(json_object_get(u, "kind"));
		sk_org_kind k;
		if (kind && sk_lang_from_env() == SK_LANG_JA &&
		    sk_org_kind_parse(kind, &k, NULL) == SK_OK)
			kind = sk_org_kind_label(k, SK_LANG_JA);
		printf(sk_cli_msg(SK_M_CLI_OUT_ORG_UNIT), 2 * depth, "",
		       json_string_value(json_object_get(u, "code")),
		       json_string_value(json_object_get(u, "name")), kind, (long long)id);
		print_tree(units, id, depth + 1);
	}
}

static void print_units(const json_t *units) { print_tree(units, 0, 0); }

static int org_list(int argc, char **argv)
{
	sk_store *s = NULL;
	bool json = false;
	int rc;
	if (!sk_cli_open_db_json(argc, argv, LIST_USAGE, &s, &json, &rc))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *units = NULL;
	sk_err e = sk_org_list(s, &units, &err);
	return sk_cli_finish_json(s, e, &err, units, json, print_units);
}

static int org_move(int argc, char **argv)
{
	const char *db = NULL, *unit = NULL, *parent = NULL;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("unit", &unit),
	    SK_OPT_STR("parent", &parent),
	    SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, MOVE_USAGE, opts, 0, &st))
		return st;
	if (!unit || !parent)
		return sk_cli_usage_error(MOVE_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_UNIT_PARENT_REQUIRED));
	sk_store *s = NULL;
	int rc = sk_cli_open_store(db, &s);
	if (rc)
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_org_move(sk_cli_ctx(s), unit, parent, &err);
	if (!e)
		printf(sk_cli_msg(SK_M_CLI_OUT_UNIT_MOVED), unit, parent);
	return sk_cli_finish(s, e, &err);
}

/*
 * Exit 0 when every approver the profile may name from each unit has a
 * holder there or above, 1 when one does not (so a script can stop on it).
 */
/* One approver with no holder, a line each (org check). */
static void print_missing(const json_t *m)
{
	const json_t *f = json_object_get(m, "for");
	/* The first case: exceptions or incidents, or an action at a level of 機密性. */
	printf(sk_cli_msg(SK_M_CLI_OUT_ORG_MISSING), json_string_value(json_object_get(m, "unit")),
	       json_string_value(json_object_get(m, "unit_name")),
	       sk_cli_role(json_string_value(json_object_get(m, "requester_role"))),
	       sk_cli_role(json_string_value(json_object_get(m, "role"))),
	       (long long)json_integer_value(json_object_get(m, "cases")),
	       json_integer_value(json_object_get(m, "cases")) == 1 ? "" : "s",
	       json_is_string(f)
	           ? sk_cli_word("UI_ORG_CHECK_", json_string_value(f))
	           : sk_cli_vocab(SK_VOCAB_ACTION, json_string_value(json_object_get(f, "action"))),
	       json_is_string(f) ? "" : sk_cli_msg(SK_M_CLI_OUT_ORG_AT_CONF),
	       json_is_string(f) ? "" : json_string_value(json_object_get(f, "conf")));
}

static void print_check(const json_t *r)
{
	if (json_is_true(json_object_get(r, "ok"))) {
		fputs(sk_cli_msg(SK_M_CLI_OUT_ORG_ROUTED), stdout);
		return;
	}
	size_t i;
	const json_t *m;
	json_array_foreach (json_object_get(r, "missing"), i, m)
		print_missing(m);
}

/*
 * Exit 0 when every approver the profile may name from each unit has a
 * holder there or above, 1 when one does not (so a script can stop on it).
 */
static int org_check(int argc, char **argv)
{
	sk_store *s = NULL;
	bool json = false;
	int rc;
	if (!sk_cli_open_db_json(argc, argv, CHECK_USAGE, &s, &json, &rc))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *r = NULL;
	sk_err e = sk_org_check(sk_cli_ctx(s), &r, &err);
	bool ok = !e && json_is_true(json_object_get(r, "ok"));
	rc = sk_cli_finish_json(s, e, &err, r, json, print_check);
	return rc ? rc : ok ? 0 : 1;
}

static const struct sk_cli_verb verbs[] = {
    {"add", org_add, ADD_USAGE, SK_CLI_PERSON, SK_M_VERB_ORG_ADD},
    {"list", org_list, LIST_USAGE, SK_CLI_PERSON, SK_M_VERB_ORG_LIST},
    {"move", org_move, MOVE_USAGE, SK_CLI_PERSON, SK_M_VERB_ORG_MOVE},
    {"check", org_check, CHECK_USAGE, SK_CLI_PERSON, SK_M_VERB_ORG_CHECK},
    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
};

int sk_cmd_org(int argc, char **argv) { return sk_cli_dispatch("org", verbs, argc - 1, argv + 1); }
