/* cmd_demo: `sekisho demo`, a sample city to try sekisho with. */
#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../domain/actor.h"
#include "../domain/demo.h"
#include "../domain/install.h"
#include "../http/http.h"
#include "cli.h"
#include "commands.h"

#define USAGE                                                                                      \
	"[--profile narita|niigata|setagaya|hachioji] [--db PATH] [--json] [--listen ADDR:PORT] "  \
	"[--no-serve]"
#define DEFAULT_DB "sekisho-demo.db"

static void print_report(const json_t *r, bool created, const char *path, bool serving)
{
	printf(sk_cli_msg(created ? SK_M_CLI_OUT_DEMO_CREATED : SK_M_CLI_OUT_DEMO_REUSING),
	       json_string_value(json_object_get(r, "city")), path,
	       json_string_value(json_object_get(r, "profile")));
	printf(sk_cli_msg(SK_M_CLI_OUT_DEMO_COUNTS), json_array_size(json_object_get(r, "units")),
	       json_array_size(json_object_get(r, "accounts")),
	       (long long)json_integer_value(json_object_get(r, "assets")));
	fputs(sk_cli_msg(SK_M_CLI_OUT_DEMO_ORG), stdout);
	size_t i, j;
	json_t *u, *a, *role;
	const char *ciso = NULL;
	json_array_foreach (json_object_get(r, "units"), i, u)
		printf("  %-12s %-20s %s\n", json_string_value(json_object_get(u, "code")),
		       sk_cli_word("UI_ORG_KIND_", json_string_value(json_object_get(u, "kind"))),
		       json_string_value(json_object_get(u, "name")));
	fputs(sk_cli_msg(SK_M_CLI_OUT_DEMO_ACCOUNTS), stdout);
	json_array_foreach (json_object_get(r, "accounts"), i, a) {
		printf("  %-18s %-12s %s\n", json_string_value(json_object_get(a, "login")),
		       json_string_value(json_object_get(a, "unit_code")),
		       json_string_value(json_object_get(a, "name")));
		printf("  %-18s %s", "", sk_cli_msg(SK_M_CLI_OUT_DEMO_ROLES));
		json_array_foreach (json_object_get(a, "roles"), j, role) {
			printf(" %s", json_string_value(role));
			if (!ciso && strncmp(json_string_value(role), "ciso@", 5) == 0)
				ciso = json_string_value(json_object_get(a, "login"));
		}
		printf("\n");
	}
	if (json_is_true(json_object_get(r, "demo")))
		printf(sk_cli_msg(SK_M_CLI_OUT_DEMO_CREDENTIALS), SK_DEMO_PASSWORD_PREFIX,
		       SK_DEMO_PASSWORD_PREFIX, ciso ? ciso : "<login>");
	printf(sk_cli_msg(SK_M_CLI_OUT_DEMO_SERVE), path);
	if (serving)
		fputs(sk_cli_msg(SK_M_CLI_OUT_DEMO_SERVING), stdout);
}

int sk_cmd_demo(int argc, char **argv)
{
	const char *path = DEFAULT_DB;
	const char *profile = NULL;
	const char *listen = "127.0.0.1:8080";
	bool json = false, no_serve = false;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("profile", &profile),    SK_OPT_STR("db", &path),
	    SK_OPT_FLAG("json", &json),         SK_OPT_STR("listen", &listen),
	    SK_OPT_FLAG("no-serve", &no_serve), SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, USAGE, opts, 0, &st))
		return st;
	if (strstr(path, "://") || strncmp(path, "sqlite:", 7) == 0)
		return sk_cli_usage_error(USAGE, sk_cli_msg(SK_M_CLI_DEMO_USES_EMBEDDED_DATABASE),
		                          path);

	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), key = SK_BUF_INIT(4096);
	/* An unknown city is refused before anything is created. */
	if (sk_demo_lookup(profile, &err)) {
		int prc = sk_cli_usage_error(USAGE, sk_cli_msg(SK_M_CLI_PROFILE),
		                             sk_cli_err(&err, SK_ERR_INVALID));
		sk_buf_free(&err);
		sk_buf_free(&key);
		return prc;
	}
	/* A taken port is found before the city is built and its report printed. */
	bool serving = !no_serve && !json;
	if (serving) {
		sk_err le = sk_http_check_listen(listen, &err);
		if (le) {
			int lrc = sk_cli_fail_buf(le, &err);
			sk_buf_free(&err);
			sk_buf_free(&key);
			return lrc;
		}
	}
	/* As in init: locked against other inits; a failed creation leaves nothing. */
	sk_install_lock lock = {.fd = -1};
	sk_err e = sk_install_lock_file(path, &lock, &err);
	sk_store *s = NULL;
	json_t *report = NULL;
	bool created = false, have = false;
	if (!e)
		e = sk_store_open(path, SK_STORE_CREATE, &s, &err);
	if (!e)
		e = sk_install_exists(s, &have, &err);
	if (!e && have) {
		e = sk_demo_describe(s, &report, &err);
		/* Reused only for the city asked for: another one needs another --db. */
		const char *had = e ? NULL : json_string_value(json_object_get(report, "profile"));
		if (!e && profile && had && strcmp(had, profile) != 0)
			e = sk_fail_msg(&err, SK_ERR_CONFLICT, NULL, NULL,
			                SK_M_CLI_HOLDS_INSTALLATION_GIVE_ANOTHER, path, had,
			                profile, profile);
	} else if (!e) {
		if (!(e = sk_audit_default_key_path(path, &key, &err)))
			e = sk_demo_create(sk_cli_ctx(s), profile, key.data, &report, &err);
		/* As in init: the operator's admin token for the person-level commands. */
		sk_buf token = SK_BUF_INIT(4096);
		if (!e)
			e = sk_cli_token_make(s, path, false, &token, &err);
		sk_buf_free(&token);
		created = !e;
	}
	sk_store_close(s);
	sk_install_unlock_file(&lock, e != SK_OK);
	int rc = 0;
	if (e) {
		rc = sk_cli_fail_buf(e, &err);
	} else if (json) {
		if (json_object_set_new(report, "created", json_boolean(created)))
			rc = sk_cli_fail(SK_ERR_NOMEM, "out of memory");
		else
			rc = sk_cli_print_json(json_incref(report));
	} else {
		print_report(report, created, path, serving);
		if (fflush(stdout) != 0)
			rc = 70;
	}
	json_decref(report);
	sk_buf_free(&err);
	sk_buf_free(&key);
	/* --json is for scripts: a report, then exit. Otherwise serve until Ctrl-C. */
	if (!rc && serving)
		rc = sk_cmd_serve_run(path, listen, 0);
	return rc;
}
