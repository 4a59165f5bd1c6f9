/* cmd_init: `sekisho init`, creating an installation. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../domain/actor.h"
#include "../core/sk_msg.h"
#include "../domain/install.h"
#include "cli.h"
#include "commands.h"

#define USAGE                                                                                      \
	"--db URL --profile PROFILE --admin LOGIN [--name NAME] [--code CODE] "                    \
	"[--admin-name NAME] [--key FILE] [--time-zone TIME_ZONE]"

/* The file an SQLite URL names (as sk_store_open reads it), or NULL for PostgreSQL. */
static const char *sqlite_path(const char *url)
{
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
		return NULL;
	if (strncmp(url, "sqlite:", 7) == 0) {
		url += 7;
		if (strncmp(url, "//", 2) == 0)
			url += 2;
	} else if (strstr(url, "://")) {
		return NULL;
	}
	return *url ? url : NULL;
}

int sk_cmd_init(int argc, char **argv)
{
	sk_install_opts o = {0};
	const char *db = NULL;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("profile", &o.profile),
	    SK_OPT_STR("admin", &o.admin_login),
	    SK_OPT_STR("name", &o.name),
	    SK_OPT_STR("code", &o.code),
	    SK_OPT_STR("key", &o.key_path),
	    SK_OPT_STR("admin-name", &o.admin_name),
	    SK_OPT_STR("time-zone", &o.time_zone),
	    SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, USAGE, opts, 0, &st)) {
		/* --help: what each shipped profile is, one line each (issue #16). */
		if (st == 0) {
			printf("\n%s", sk_cli_msg(SK_M_CLI_OUT_SHIPPED_PROFILES));
			st = sk_cmd_policy_print_builtins("  ");
		}
		return st;
	}
	if (!o.profile || !o.admin_login)
		return sk_cli_usage_error(USAGE, "%s", sk_cli_msg(SK_M_CLI_PROFILE_ADMIN_REQUIRED));
	const char *url = sk_cli_db_url(db);

	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), key = SK_BUF_INIT(4096);
	sk_err e = SK_OK;
	if (!o.key_path) {
		e = sk_audit_default_key_path(url, &key, &err);
		o.key_path = key.data;
	}
	const char *path = sqlite_path(url);
	sk_store *s = NULL;
	/* Bad input is refused before a database is created or touched. */
	if (!e)
		e = sk_install_check(&o, &err);
	/* An embedded database is locked against other inits; one that fails removes what it made.
	 */
	sk_install_lock lock = {.fd = -1};
	if (!e && path)
		e = sk_install_lock_file(path, &lock, &err);
	if (!e)
		e = sk_store_open(url, SK_STORE_CREATE, &s, &err);
	sk_install_result res;
	memset(&res, 0, sizeof(res));
	if (!e)
		e = sk_install_init(sk_cli_ctx(s), &o, &res, &err);
	/* The admin token: how the operator later proves to act for the installation. */
	sk_buf token = SK_BUF_INIT(4096);
	if (!e)
		e = sk_cli_token_make(s, url, false, &token, &err);
	sk_store_close(s);
	sk_install_unlock_file(&lock, e != SK_OK);
	int rc = 0;
	if (e) {
		rc = sk_cli_fail_buf(e, &err);
	} else {
		printf(sk_cli_msg(SK_M_CLI_OUT_INITIALISED), res.root_name, res.root_code,
		       o.profile, url);
		printf(sk_cli_msg(SK_M_CLI_OUT_CISO_ACCOUNT), o.admin_login);
		printf(sk_cli_msg(SK_M_CLI_OUT_TEMP_PASSWORD), res.temp_password);
		printf(sk_cli_msg(SK_M_CLI_OUT_AUDIT_KEY), o.key_path, o.key_path);
		printf(sk_msg_format(SK_M_TOKEN_MADE, sk_lang_from_env()), token.data);
		if (fflush(stdout) != 0)
			rc = 70;
	}
	sodium_memzero(res.temp_password, sizeof(res.temp_password));
	sk_buf_free(&err);
	sk_buf_free(&key);
	sk_buf_free(&token);
	return rc;
}

#define TOKEN_USAGE "--db URL [--replace] [--admin-token FILE]"

/*
 * sekisho admin-token: makes the admin token of an installation that has
 * none (one made before tokens existed), or with --replace a new one in
 * place of a token lost or exposed. Whoever can open the database holds
 * every right already; the token is how they say so to person-level
 * commands, recorded as such.
 */
int sk_cmd_admin_token(int argc, char **argv)
{
	const char *db = NULL, *path = NULL;
	bool replace = false;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_FLAG("replace", &replace),
	    SK_OPT_STR("admin-token", &path),
	    SK_OPT_END,
	};
	int rc;
	if (!sk_cli_options(argc, argv, TOKEN_USAGE, opts, 0, &rc))
		return rc;
	if (path && (rc = sk_cli_global_token(path)))
		return rc;
	sk_store *s = NULL;
	if ((rc = sk_cli_open_store(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), token = SK_BUF_INIT(4096);
	sk_err e = sk_cli_token_make(s, sk_cli_db_url(db), replace, &token, &err);
	if (!e)
		printf(sk_msg_format(SK_M_TOKEN_MADE, sk_lang_from_env()), token.data);
	sk_buf_free(&token);
	return sk_cli_finish(s, e, &err);
}
