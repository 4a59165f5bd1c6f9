/*
 * cmd_user: `sekisho user add|list|show|disable|enable`, accounts, and
 * `sekisho user unlock|unused|totp-enroll|zone`, their authentication, and
 * `sekisho user set --email`, where notification mail goes: the
 * whole `user` noun, one verb table.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../auth/auth.h"
#include "../auth/password.h"
#include "../domain/actor.h"
#include "../domain/user.h"
#include "../core/sk_msg.h"
#include "cli.h"
#include "commands.h"

#define ADD_USAGE                                                                                  \
	"--db URL --login LOGIN --name NAME --unit UNIT --role ROLE [--role ROLE...] "             \
	"[--kind staff|contractor|designated_manager] [--expires DATE] [--email MAIL_ADDR] "       \
	"[--unix-user NAME] [--password-stdin]"
#define LIST_USAGE   "--db URL [--unit UNIT] [--role ROLE] [--json]"
#define SHOW_USAGE   "--db URL LOGIN [--json]"
#define STATE_USAGE  "--db URL LOGIN"
#define UNLOCK_USAGE "--db URL LOGIN"
#define UNUSED_USAGE "--db URL --days N [--json]"
#define TOTP_USAGE   "--db URL LOGIN"
#define ZONE_USAGE   "--db URL LOGIN mynumber|lgwan|internet|none"
#define SET_USAGE    "--db URL LOGIN [--email MAIL_ADDR|none] [--unix-user NAME|none]"

/* --role, given once per role. */
struct roles {
	const char *names[SK_USER_ROLES_MAX];
	size_t n;
};

static int add_role(void *out, const char *value, const char *usage)
{
	struct roles *r = out;
	if (r->n == SK_USER_ROLES_MAX)
		return sk_cli_usage_error(usage, sk_cli_msg(SK_M_CLI_MORE_ROLES_GIVEN),
		                          SK_USER_ROLES_MAX);
	r->names[r->n++] = value;
	return 0;
}

static int user_add(int argc, char **argv)
{
	sk_user_new u = {0};
	const char *db = NULL, *expires = NULL;
	struct roles roles = {.n = 0};
	bool from_stdin = false;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("login", &u.login),
	    SK_OPT_STR("name", &u.name),
	    SK_OPT_STR("unit", &u.unit),
	    SK_OPT_FN("role", &roles, add_role),
	    SK_OPT_STR("kind", &u.kind),
	    SK_OPT_STR("expires", &expires),
	    SK_OPT_STR("email", &u.email),
	    SK_OPT_STR("unix-user", &u.unix_user),
	    SK_OPT_FLAG("password-stdin", &from_stdin),
	    SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, ADD_USAGE, opts, 0, &st))
		return st;
	u.nroles = roles.n;
	if (!u.login || !u.name || !u.unit || !u.nroles)
		return sk_cli_usage_error(ADD_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_LOGIN_NAME_UNIT_ROLE));
	u.roles = roles.names;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e;
	if (expires && (e = sk_user_parse_expiry(expires, &u.expires_at, &err))) {
		int rc = sk_cli_fail_buf(e, &err);
		sk_buf_free(&err);
		return rc;
	}
	sk_buf pw = SK_BUF_INIT(SK_PASSWORD_MAX + 1);
	if (from_stdin) {
		if ((e = sk_cli_read_secret_line(&pw, &err)) ||
		    (pw.len == 0 && (e = sk_fail_msg(&err, SK_ERR_INVALID, NULL, NULL,
		                                     SK_M_CLI_PASSWORD_STANDARD_INPUT)))) {
			sodium_memzero(pw.data, pw.len);
			sk_buf_free(&pw);
			int rc = sk_cli_fail_buf(e, &err);
			sk_buf_free(&err);
			return rc;
		}
		u.password = pw.data;
		u.password_len = pw.len;
	}
	/* Mapping a Unix user, appointing a CISO: the operator's acts, installation-level. */
	for (size_t i = 0; i < u.nroles; i++)
		sk_cli_install_for_role(u.roles[i], "sekisho user add");
	if (u.unix_user)
		sk_cli_set_install(SK_CLI_INSTALL, "sekisho user add --unix-user");
	sk_store *s = NULL;
	int rc = sk_cli_open_store(db, &s);
	if (!rc) {
		char temp[SK_PASSWORD_TEMP_MAX];
		int64_t id = 0;
		e = sk_user_add(sk_cli_ctx(s), &u, &id, temp, &err);
		if (!e) {
			printf(sk_cli_msg(SK_M_CLI_OUT_USER_ADDED), u.login, (long long)id);
			if (temp[0])
				printf(sk_cli_msg(SK_M_CLI_OUT_TEMP_PASSWORD), temp);
			fflush(stdout);
		}
		sodium_memzero(temp, sizeof(temp));
		rc = sk_cli_finish(s, e, &err);
	} else {
		sk_buf_free(&err);
	}
	sodium_memzero(pw.data, pw.len);
	sk_buf_free(&pw);
	return rc;
}

static void print_user(const json_t *u)
{
	const json_t *exp = json_object_get(u, "expires_on");
	printf("%-20s %-8s %-18s %-12s %s", json_string_value(json_object_get(u, "login")),
	       sk_cli_word("UI_USER_", json_string_value(json_object_get(u, "status"))),
	       sk_cli_word("UI_USER_KIND_", json_string_value(json_object_get(u, "kind"))),
	       json_string_value(json_object_get(u, "unit_code")),
	       json_string_value(json_object_get(u, "name")));
	if (json_is_string(exp))
		printf(sk_msg_format(SK_M_CLI_USER_EXPIRES, sk_lang_from_env()),
		       json_string_value(exp));
	printf("\n");
	size_t i;
	json_t *r;
	json_array_foreach (json_object_get(u, "roles"), i, r)
		printf(sk_cli_msg(SK_M_CLI_OUT_USER_ROLE),
		       json_string_value(json_object_get(r, "role")),
		       json_string_value(json_object_get(r, "unit_code")),
		       json_string_value(json_object_get(r, "title")));
}

static int user_list(int argc, char **argv)
{
	const char *db = NULL, *unit = NULL, *role = NULL;
	bool json = false;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("unit", &unit),
	    SK_OPT_STR("role", &role),
	    SK_OPT_FLAG("json", &json),
	    SK_OPT_END,
	};
	sk_store *s = NULL;
	int rc;
	if (!sk_cli_options_store(argc, argv, LIST_USAGE, opts, &db, &s, &rc))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *users = NULL;
	sk_ctx *c = sk_cli_ctx(s);
	sk_err e = sk_user_list(c, unit, role, &users, &err);
	return sk_cli_finish_list(s, e, &err, users, json, print_user);
}

/*
 * user show / disable / enable: one account named by --login or the first
 * argument. true to go on; false to end with *st.
 */
static bool one_user(int argc, char **argv, const char *usage, bool allow_json, const char **db,
                     const char **login, bool *json, int *st)
{
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", db),
	    SK_OPT_STR("login", login),
	    SK_OPT_FLAG("json", allow_json ? json : NULL),
	    SK_OPT_END,
	};
	if (!sk_cli_options(argc, argv, usage, opts, SK_CLI_ANY_ARGS, st))
		return false;
	*st = sk_cli_login_arg(argc, argv, usage, login, SK_M_CLI_WHICH_ACCOUNT_GIVE_LOGIN);
	return *st == 0;
}

/* user show: the list's line, and when the account was made. */
static void print_user_shown(const json_t *u)
{
	print_user(u);
	printf(sk_cli_msg(SK_M_CLI_OUT_USER_CREATED),
	       json_string_value(json_object_get(u, "created_at")),
	       json_is_true(json_object_get(u, "password_temporary"))
	           ? sk_cli_msg(SK_M_CLI_OUT_USER_PW_TEMPORARY)
	           : "");
}

static int user_show(int argc, char **argv)
{
	const char *db = NULL, *login = NULL;
	bool json = false;
	int rc;
	sk_store *s = NULL;
	if (!one_user(argc, argv, SHOW_USAGE, true, &db, &login, &json, &rc) ||
	    (rc = sk_cli_open_store(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *u = NULL;
	sk_ctx *c = sk_cli_ctx(s);
	sk_err e = sk_user_show(c, login, &u, &err);
	return sk_cli_finish_json(s, e, &err, u, json, print_user_shown);
}

static int set_state(int argc, char **argv, bool active)
{
	const char *db = NULL, *login = NULL;
	bool json = false;
	int rc;
	sk_store *s = NULL;
	if (!one_user(argc, argv, STATE_USAGE, false, &db, &login, &json, &rc))
		return rc;
	sk_cli_operator_for(SK_CLI_OPERATOR_TOP, login,
	                    active ? "sekisho user enable" : "sekisho user disable");
	if ((rc = sk_cli_open_store(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_user_set_active(sk_cli_ctx(s), login, active, &err);
	if (!e)
		printf(sk_cli_msg(active ? SK_M_CLI_OUT_USER_ENABLED : SK_M_CLI_OUT_USER_DISABLED),
		       login);
	return sk_cli_finish(s, e, &err);
}

static int user_disable(int argc, char **argv) { return set_state(argc, argv, false); }
static int user_enable(int argc, char **argv) { return set_state(argc, argv, true); }

/* --- authentication: unlock, unused, totp-enroll, zone --- */

struct args {
	const char *db;
	long long days; /* 0: not given */
	bool json;
	const char *pos[2]; /* positional arguments */
	int npos;
};

/*
 * The authentication verbs' options: --db, --login (the same as the first
 * positional argument), and where the verb takes them --days and --json;
 * want is how many positional arguments the verb needs. true to go on,
 * false to end with *st.
 */
static bool parse(int argc, char **argv, const char *usage, bool days_json, int want,
                  struct args *a, int *st)
{
	const char *login = NULL;
	memset(a, 0, sizeof(*a));
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &a->db),
	    SK_OPT_STR("login", want > 0 ? &login : NULL),
	    SK_OPT_NUM("days", days_json ? &a->days : NULL, 1, 36500),
	    SK_OPT_FLAG("json", days_json ? &a->json : NULL),
	    SK_OPT_END,
	};
	if (!sk_cli_options(argc, argv, usage, opts, SK_CLI_ANY_ARGS, st))
		return false;
	if (login)
		a->pos[a->npos++] = login;
	while (optind < argc && a->npos < want)
		a->pos[a->npos++] = argv[optind++];
	if ((*st = sk_cli_no_args(argc, argv, usage)))
		return false;
	if (want > 0 && a->npos == 0)
		*st =
		    sk_cli_usage_error(usage, "%s", sk_cli_msg(SK_M_CLI_WHICH_ACCOUNT_GIVE_LOGIN));
	else if (a->npos < want)
		*st = sk_cli_usage_error(usage, sk_cli_msg(SK_M_CLI_MISSING_ARGUMENT_AFTER),
		                         a->pos[a->npos - 1]);
	return *st == 0;
}

static int user_unlock(int argc, char **argv)
{
	struct args a;
	sk_store *s = NULL;
	int rc;
	if (!parse(argc, argv, UNLOCK_USAGE, false, 1, &a, &rc))
		return rc;
	sk_cli_operator_for(SK_CLI_OPERATOR_UNLOCK, a.pos[0], "sekisho user unlock");
	if ((rc = sk_cli_open_store(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_unlock(sk_cli_ctx(s), a.pos[0], &err);
	if (!e)
		printf(sk_cli_msg(SK_M_CLI_OUT_USER_UNLOCKED), a.pos[0]);
	return sk_cli_finish(s, e, &err);
}

static int user_unused(int argc, char **argv)
{
	struct args a;
	sk_store *s = NULL;
	int rc;
	if (!parse(argc, argv, UNUSED_USAGE, true, 0, &a, &rc))
		return rc;
	if (!a.days)
		return sk_cli_usage_error(UNUSED_USAGE, "%s", sk_cli_msg(SK_M_CLI_DAYS_REQUIRED));
	if ((rc = sk_cli_open_store(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *list = NULL;
	sk_ctx *c = sk_cli_ctx(s);
	sk_err e = sk_user_unused(c, (int)a.days, &list, &err);
	if (e)
		return sk_cli_finish(s, e, &err);
	if (a.json) {
		rc = sk_cli_print_json(list);
	} else {
		size_t i;
		json_t *u;
		json_array_foreach (list, i, u) {
			const char *last = json_string_value(json_object_get(u, "last_login_at"));
			printf("%-20s %-12s %-8s %5lld days  last login %s\n",
			       json_string_value(json_object_get(u, "login")),
			       json_string_value(json_object_get(u, "unit_code")),
			       json_string_value(json_object_get(u, "status")),
			       (long long)json_integer_value(json_object_get(u, "days_unused")),
			       last ? last : "never");
		}
		printf(sk_cli_msg(SK_M_CLI_OUT_UNUSED), json_array_size(list),
		       json_array_size(list) == 1 ? "" : "s", a.days);
		json_decref(list);
	}
	sk_cli_finish(s, SK_OK, &err);
	return rc;
}

static int user_totp_enroll(int argc, char **argv)
{
	struct args a;
	sk_store *s = NULL;
	int rc;
	if (!parse(argc, argv, TOTP_USAGE, false, 1, &a, &rc) || (rc = sk_cli_open_store(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), uri = SK_BUF_INIT(4096);
	char b32[SK_TOTP_BASE32_MAX];
	sk_err e = sk_auth_totp_enroll(sk_cli_ctx(s), a.pos[0], &uri, b32, &err);
	if (!e)
		printf(sk_cli_msg(SK_M_CLI_OUT_TOTP_ENROLLED), a.pos[0], uri.data, b32);
	sodium_memzero(b32, sizeof(b32));
	if (uri.len)
		sodium_memzero(uri.data, uri.len);
	sk_buf_free(&uri);
	return sk_cli_finish(s, e, &err);
}

static int user_zone(int argc, char **argv)
{
	struct args a;
	sk_store *s = NULL;
	sk_zone z = SK_ZONE_NONE;
	int rc;
	if (!parse(argc, argv, ZONE_USAGE, false, 2, &a, &rc))
		return rc;
	const char *zone = a.pos[1] ? a.pos[1] : "";
	if (strcmp(zone, "none") != 0 && sk_zone_parse(zone, &z) != SK_OK)
		return sk_cli_usage_error(ZONE_USAGE,
		                          sk_cli_msg(SK_M_CLI_UNKNOWN_ZONE_MYNUMBER_LGWAN), zone);
	if ((rc = sk_cli_open_store(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_set_zone(sk_cli_ctx(s), a.pos[0], z, &err);
	if (!e)
		printf(sk_cli_msg(SK_M_CLI_OUT_USER_ZONE), a.pos[0], zone);
	return sk_cli_finish(s, e, &err);
}

/*
 * user set: the account's settable attributes; today its mail address for
 * notifications ("none" removes it).
 */
static int user_set(int argc, char **argv)
{
	const char *db = NULL, *login = NULL, *email = NULL, *unix_user = NULL;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("login", &login),
	    SK_OPT_STR("email", &email),
	    SK_OPT_STR("unix-user", &unix_user),
	    SK_OPT_END,
	};
	int rc;
	if (!sk_cli_options(argc, argv, SET_USAGE, opts, SK_CLI_ANY_ARGS, &rc))
		return rc;
	if ((rc = sk_cli_login_arg(argc, argv, SET_USAGE, &login,
	                           SK_M_CLI_WHICH_ACCOUNT_GIVE_LOGIN)))
		return rc;
	if (!email && !unix_user)
		return sk_cli_usage_error(SET_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_NOTHING_SET_EMAIL_ADDR));
	bool none = email && (strcmp(email, "none") == 0 || !*email);
	bool unmap = unix_user && (strcmp(unix_user, "none") == 0 || !*unix_user);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = SK_OK;
	/* A malformed name is refused before anything is written. */
	if (unix_user && !unmap && (e = sk_user_check_unix_user(unix_user, &err))) {
		rc = sk_cli_fail_buf(e, &err);
		sk_buf_free(&err);
		return rc;
	}
	if (unix_user)
		sk_cli_set_install(SK_CLI_INSTALL, "sekisho user set --unix-user");
	sk_store *s = NULL;
	if ((rc = sk_cli_open_store(db, &s))) {
		sk_buf_free(&err);
		return rc;
	}
	sk_lang l = sk_lang_from_env();
	if (unix_user) {
		e = sk_user_set_unix_user(sk_cli_ctx(s), login, unmap ? NULL : unix_user, &err);
		if (!e && unmap)
			printf(sk_msg_format(SK_M_CLI_USER_UNIX_NONE, l), login);
		else if (!e)
			printf(sk_msg_format(SK_M_CLI_USER_UNIX_SET, l), unix_user, login);
	}
	if (!e && email) {
		e = sk_user_set_email(sk_cli_ctx(s), login, none ? NULL : email, &err);
		if (!e && none)
			printf(sk_msg_format(SK_M_CLI_USER_NO_MAIL, l), login);
		else if (!e)
			printf(sk_msg_format(SK_M_CLI_USER_MAIL, l), login, email);
	}
	return sk_cli_finish(s, e, &err);
}

/* One verb a line, as the other nouns' tables (clang-format would pack short ones in columns). */
// clang-format off
static const struct sk_cli_verb verbs[] = {
    {"add", user_add, ADD_USAGE, SK_CLI_PERSON, SK_M_VERB_USER_ADD},
    {"list", user_list, LIST_USAGE, SK_CLI_PERSON, SK_M_VERB_USER_LIST},
    {"show", user_show, SHOW_USAGE, SK_CLI_PERSON, SK_M_VERB_USER_SHOW},
    {"disable", user_disable, STATE_USAGE, SK_CLI_PERSON, SK_M_VERB_USER_DISABLE},
    {"enable", user_enable, STATE_USAGE, SK_CLI_PERSON, SK_M_VERB_USER_ENABLE},
    {"unlock", user_unlock, UNLOCK_USAGE, SK_CLI_PERSON, SK_M_VERB_USER_UNLOCK},
    {"unused", user_unused, UNUSED_USAGE, SK_CLI_PERSON, SK_M_VERB_USER_UNUSED},
    {"totp-enroll", user_totp_enroll, TOTP_USAGE, SK_CLI_PERSON, SK_M_VERB_USER_TOTP_ENROLL},
    {"zone", user_zone, ZONE_USAGE, SK_CLI_PERSON, SK_M_VERB_USER_ZONE},
    {"set", user_set, SET_USAGE, SK_CLI_PERSON, SK_M_VERB_USER_SET},
    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
};
// clang-format on

int sk_cmd_user(int argc, char **argv)
{
	return sk_cli_dispatch("user", verbs, argc - 1, argv + 1);
}
