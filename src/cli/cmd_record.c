/*
 * cmd_record: `sekisho record purge --before DATE [--dry-run]` and `sekisho
 * record retention` (issue #13 part 3, src/domain/retention.h). The purge is
 * the operator's alone and is not offered over HTTP: it deletes records for
 * good. A record still inside its retention period refuses the whole purge
 * (exit 2, naming the record kind, the retention entry and its citation).
 */
#include <stdio.h>
#include <string.h>

#include "../domain/retention.h"
#include "../domain/schema.h"
#include "cli.h"
#include "commands.h"

#define PURGE_USAGE     "--db URL --before YYYY-MM-DD [--dry-run] [--json]"
#define RETENTION_USAGE "--db URL [--json]"

static int rc_purge(int argc, char **argv)
{
	const char *db = NULL, *before = NULL;
	bool dry = false, json = false;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("before", &before),
	    SK_OPT_FLAG("dry-run", &dry),
	    SK_OPT_FLAG("json", &json),
	    SK_OPT_END,
	};
	int rc;
	if (!sk_cli_options(argc, argv, PURGE_USAGE, opts, 0, &rc))
		return rc;
	if (!before)
		return sk_cli_usage_error(PURGE_USAGE, "%s", sk_cli_msg(SK_M_CLI_BEFORE_REQUIRED));
	sk_store *s = NULL;
	if ((rc = sk_cli_open_store(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, sk_cli_actor());
	json_t *res = NULL;
	sk_err e = sk_record_purge(&c, before, dry, &res, &err);
	sk_ctx_fini(&c);
	if (e)
		return sk_cli_finish(s, e, &err);
	if (json)
		rc = sk_cli_print_json(res);
	else {
		json_t *rq = json_object_get(res, "requests"),
		       *in = json_object_get(res, "incidents");
		printf(sk_cli_msg(dry ? SK_M_CLI_OUT_WOULD_PURGE : SK_M_CLI_OUT_PURGED),
		       (long long)json_integer_value(json_object_get(rq, "count")),
		       (long long)json_integer_value(json_object_get(in, "count")),
		       json_string_value(json_object_get(res, "before")),
		       (long long)json_integer_value(json_object_get(res, "open")));
		json_decref(res);
	}
	sk_cli_finish(s, SK_OK, &err);
	return rc;
}

/* One retention rule a line: record, kind, retention → period [citations]. */
static void print_retention(const json_t *r)
{
	const char *kind = json_string_value(json_object_get(r, "kind"));
	const char *ret = json_string_value(json_object_get(r, "retention"));
	const char *period = json_string_value(json_object_get(r, "period"));
	const char *record = json_string_value(json_object_get(r, "record"));
	bool request = record && strcmp(record, "request") == 0;
	/* The record's kind as the reader reads it: a request's kind title, an incident's kind. */
	const sk_schema *sc = request && kind ? sk_schema_request_details(kind) : NULL;
	bool ja = sk_lang_from_env() == SK_LANG_JA;
	printf("%s %s%s → %s: ",
	       request                                     ? sk_cli_msg(SK_M_CLI_OUT_RET_REQUEST)
	       : record && strcmp(record, "incident") == 0 ? sk_cli_msg(SK_M_CLI_OUT_RET_INCIDENT)
	                                                   : record,
	       !kind ? "*"
	       : sc  ? (ja ? sc->ja : kind)
	             : sk_cli_word("UI_INC_KIND_", kind),
	       json_is_true(json_object_get(r, "mynumber_asset")) ? " (特定個人情報)" : "", ret);
	/*
	 * The period: so many years, or none: the entry says it is unspecified,
	 * or the profile has no entry (no entry, nothing it says: no `what`).
	 */
	if (strcmp(period, "days") == 0)
		printf(sk_cli_msg(SK_M_CLI_OUT_RET_YEARS),
		       (long long)json_integer_value(json_object_get(r, "years")),
		       json_string_value(json_object_get(r, "what")));
	else
		fputs(sk_cli_msg(json_is_string(json_object_get(r, "what"))
		                     ? SK_M_CLI_OUT_RET_UNSPECIFIED
		                     : SK_M_CLI_OUT_RET_NO_ENTRY),
		      stdout);
	size_t k;
	const json_t *ct;
	json_array_foreach (json_object_get(r, "citations"), k, ct)
		printf("%s%s", k ? ", " : " [", json_string_value(ct));
	printf("%s\n", json_array_size(json_object_get(r, "citations")) ? "]" : "");
}

static int rc_retention(int argc, char **argv)
{
	sk_store *s = NULL;
	bool json = false;
	int rc;
	if (!sk_cli_open_db_json(argc, argv, RETENTION_USAGE, &s, &json, &rc))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, sk_cli_actor());
	json_t *rules = NULL;
	sk_err e = sk_retention_rules(&c, &rules, &err);
	sk_ctx_fini(&c);
	return sk_cli_finish_list(s, e, &err, rules, json, print_retention);
}

static const struct sk_cli_verb verbs[] = {
    {"purge", rc_purge, PURGE_USAGE, SK_CLI_INSTALL, SK_M_VERB_RECORD_PURGE},
    {"retention", rc_retention, RETENTION_USAGE, SK_CLI_PERSON, SK_M_VERB_RECORD_RETENTION},
    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
};

int sk_cmd_record(int argc, char **argv)
{
	return sk_cli_dispatch("record", verbs, argc - 1, argv + 1);
}
