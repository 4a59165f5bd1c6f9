/* cmd_auth: `sekisho user unlock|unused|totp-enroll|zone`, the authentication verbs. */
#include "cmd_auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../auth/auth.h"
#include "../domain/actor.h"
#include "cli.h"

struct args {
	const char *db;
	long long days; /* 0: not given */
	bool json;
	const char *pos[2]; /* positional arguments */
	int npos;
};

/*
 * Parses --db, --login (the same as the first positional argument), and
 * where the verb takes them --days and --json; want is how many positional
 * arguments the verb needs. true to go on, false to end with *st.
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
		*st = sk_cli_usage_error(usage, "which account? (give its login)");
	else if (a->npos < want)
		*st = sk_cli_usage_error(usage, "missing argument after '%s'", a->pos[a->npos - 1]);
	return *st == 0;
}

int sk_cmd_user_unlock(int argc, char **argv)
{
	struct args a;
	sk_store *s = NULL;
	int rc;
	if (!parse(argc, argv, SK_USER_UNLOCK_USAGE, false, 1, &a, &rc) ||
	    (rc = sk_cli_open_store(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_unlock(s, sk_actor_cli(), a.pos[0], &err);
	if (!e)
		printf("unlocked user %s\n", a.pos[0]);
	return sk_cli_finish(s, e, &err);
}

int sk_cmd_user_unused(int argc, char **argv)
{
	struct args a;
	sk_store *s = NULL;
	int rc;
	if (!parse(argc, argv, SK_USER_UNUSED_USAGE, true, 0, &a, &rc))
		return rc;
	if (!a.days)
		return sk_cli_usage_error(SK_USER_UNUSED_USAGE, "--days is required");
	if ((rc = sk_cli_open_store(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *list = NULL;
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, sk_actor_cli());
	sk_err e = sk_user_unused(&c, (int)a.days, &list, &err);
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
		printf("%zu account%s not used for %lld days or more\n", json_array_size(list),
		       json_array_size(list) == 1 ? "" : "s", a.days);
		json_decref(list);
	}
	sk_cli_finish(s, SK_OK, &err);
	return rc;
}

int sk_cmd_user_totp_enroll(int argc, char **argv)
{
	struct args a;
	sk_store *s = NULL;
	int rc;
	if (!parse(argc, argv, SK_USER_TOTP_USAGE, false, 1, &a, &rc) ||
	    (rc = sk_cli_open_store(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), uri = SK_BUF_INIT(4096);
	char b32[SK_TOTP_BASE32_MAX];
	sk_err e = sk_auth_totp_enroll(s, sk_actor_cli(), a.pos[0], &uri, b32, &err);
	if (!e)
		printf("enrolled %s for one-time codes (TOTP, 6 digits, 30 s); give the user this, "
		       "shown once:\n  %s\n  secret: %s\n",
		       a.pos[0], uri.data, b32);
	sodium_memzero(b32, sizeof(b32));
	if (uri.len)
		sodium_memzero(uri.data, uri.len);
	sk_buf_free(&uri);
	return sk_cli_finish(s, e, &err);
}

int sk_cmd_user_zone(int argc, char **argv)
{
	struct args a;
	sk_store *s = NULL;
	sk_zone z = SK_ZONE_NONE;
	int rc;
	if (!parse(argc, argv, SK_USER_ZONE_USAGE, false, 2, &a, &rc))
		return rc;
	const char *zone = a.pos[1] ? a.pos[1] : "";
	if (strcmp(zone, "none") != 0 && sk_zone_parse(zone, &z) != SK_OK)
		return sk_cli_usage_error(SK_USER_ZONE_USAGE,
		                          "unknown zone '%s' (mynumber, lgwan, internet or none)",
		                          zone);
	if ((rc = sk_cli_open_store(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_set_zone(s, sk_actor_cli(), a.pos[0], z, &err);
	if (!e)
		printf("user %s works in zone %s\n", a.pos[0], zone);
	return sk_cli_finish(s, e, &err);
}
