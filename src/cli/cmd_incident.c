/*
 * cmd_incident: `sekisho incident report|list|show|escalate|respond|close|attach`
 * (SPEC C8) as the CLI operator. The options of report, respond, escalate,
 * close and attach are the field schema's (schema.c): --found-at for
 * found_at, --asset-ids 3,7 for the list of assets.
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/actor.h"
#include "../domain/incident.h"
#include "../domain/schema.h"
#include "cli.h"
#include "commands.h"

#define MAX_FIELDS 8

static const char U_REPORT[] =
    "[--db URL] --unit UNIT --title TEXT --description TEXT --found-at TIME "
    "[--severity high|medium|low] [--kind incident|failure] "
    "[--asset-ids ID,ID...] [--json]";
static const char U_LIST[] = "[--db URL] [--status STATUS] [--kind incident|failure] [--json]";
static const char U_SHOW[] = "[--db URL] ID [--json]";
static const char U_ESCALATE[] = "[--db URL] ID [--comment TEXT] [--json]";
static const char U_RESPOND[] = "[--db URL] ID [--cause TEXT] [--impact TEXT] [--response TEXT] "
                                "[--recovery TEXT] [--prevention TEXT] [--comment TEXT] [--json]";
static const char U_CLOSE[] = "[--db URL] ID [--comment TEXT] [--json]";
static const char U_ATTACHMENT[] = "[--db URL] ATTACHMENT_ID [-o FILE]";
static const char U_ATTACH[] =
    "[--db URL] ID FILE [--name NAME] [--media-type MEDIA_TYPE] [--json]";

/* One command's options: the schema's fields (except skip), --db and --json. */
struct args {
	const char *v[MAX_FIELDS];
	char names[MAX_FIELDS][32];
	const char *db;
	bool json;
};

static bool parse(const sk_schema *sc, const char *skip, const char *usage, int argc, char **argv,
                  struct args *a, int *st)
{
	sk_cli_opt opts[MAX_FIELDS + 3];
	size_t n = 0;
	for (size_t i = 0; sc && i < sc->n && i < MAX_FIELDS; i++) {
		if (skip && strcmp(sc->fields[i].key, skip) == 0)
			continue;
		sk_schema_option_name(&sc->fields[i], a->names[i], sizeof(a->names[i]));
		opts[n++] = (sk_cli_opt)SK_OPT_STR(a->names[i], &a->v[i]);
	}
	opts[n++] = (sk_cli_opt)SK_OPT_STR("db", &a->db);
	opts[n++] = (sk_cli_opt)SK_OPT_FLAG("json", &a->json);
	opts[n] = (sk_cli_opt)SK_OPT_END;
	return sk_cli_options(argc, argv, usage, opts, SK_CLI_ANY_ARGS, st);
}

static const char *val(const sk_schema *sc, const struct args *a, const char *key)
{
	for (size_t i = 0; i < sc->n && i < MAX_FIELDS; i++)
		if (strcmp(sc->fields[i].key, key) == 0)
			return a->v[i];
	return NULL;
}

/* The ID argument (and, for attach, one more: the file). */
static int parse_id(const char *usage, int argc, char **argv, int extra, int64_t *id)
{
	if (optind >= argc)
		return sk_cli_usage_error(usage, "%s", sk_cli_msg(SK_M_CLI_INCIDENT_ID_GIVEN));
	if (optind + 1 + extra != argc)
		return sk_cli_usage_error(
		    usage, "%s",
		    sk_cli_msg(extra ? SK_M_CLI_INCIDENT_ID_AND_FILE : SK_M_CLI_ONE_INCIDENT_ID));
	long long v;
	if (!sk_cli_parse_int(argv[optind], 1, INT64_MAX, &v))
		return sk_cli_usage_error(usage, sk_cli_msg(SK_M_CLI_INCIDENT_ID), argv[optind]);
	*id = v;
	return 0;
}

static sk_ctx cli;

static int open_ctx(const char *db, sk_store **s)
{
	int rc = sk_cli_open_store(db, s);
	if (!rc) {
		sk_ctx_init(&cli, *s, NULL, sk_cli_actor());
		cli.lang = sk_lang_code(sk_lang_from_env()); /* the answer words roles and steps */
	}
	return rc;
}

/* Shows the incident (JSON, or a few lines), or the failure; closes the store. */
static int finish(sk_store *s, sk_err e, sk_buf *err, int64_t id, bool json)
{
	json_t *j = NULL;
	if (!e)
		e = sk_incident_get(&cli, id, &j, err);
	sk_ctx_fini(&cli);
	int rc = sk_cli_finish(s, e, err);
	if (rc)
		return rc;
	if (json)
		return sk_cli_print_json(j);
	const json_t *to = json_array_get(json_object_get(j, "routed_to"), 0);
	const char *due = json_string_value(json_object_get(j, "due"));
	printf(sk_cli_msg(SK_M_CLI_OUT_INC_CHANGED), (long long)id,
	       sk_cli_word("UI_INC_ST_", json_string_value(json_object_get(j, "status"))),
	       json_string_value(json_object_get(to, "title")),
	       json_string_value(json_object_get(to, "unit_code")),
	       due ? sk_cli_msg(SK_M_CLI_OUT_INC_DUE) : "", due ? due : "");
	json_decref(j);
	return 0;
}

static int incident_report(int argc, char **argv)
{
	const sk_schema *sc = &sk_schema_incident;
	struct args a = {0};
	int rc;
	if (!parse(sc, NULL, U_REPORT, argc, argv, &a, &rc))
		return rc;
	if (optind != argc)
		return sk_cli_usage_error(U_REPORT, sk_cli_msg(SK_M_CLI_UNEXPECTED_ARG),
		                          argv[optind]);
	int64_t ids[SK_INCIDENT_ASSETS_MAX];
	size_t n = 0;
	const char *list = val(sc, &a, "asset_ids");
	for (const char *p = list; p && *p;) {
		char *end;
		errno = 0;
		long long v = strtoll(p, &end, 10);
		if (errno || end == p || v < 1 || (*end && *end != ','))
			return sk_cli_usage_error(U_REPORT, "%s",
			                          sk_cli_msg(SK_M_CLI_ASSET_IDS_TAKES_IDS));
		if (n == SK_INCIDENT_ASSETS_MAX)
			return sk_cli_usage_error(U_REPORT, sk_cli_msg(SK_M_CLI_MORE_ASSETS),
			                          SK_INCIDENT_ASSETS_MAX);
		ids[n++] = v;
		p = *end ? end + 1 : end;
	}
	sk_incident_report in = {
	    .kind = val(sc, &a, "kind"),
	    .title = val(sc, &a, "title"),
	    .description = val(sc, &a, "description"),
	    .found_at = val(sc, &a, "found_at"),
	    .severity = val(sc, &a, "severity"),
	    .unit = val(sc, &a, "unit"),
	    .asset_ids = ids,
	    .n_assets = n,
	};
	sk_store *s;
	if ((rc = open_ctx(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t id = 0;
	sk_err e = sk_incident_report_new(&cli, &in, &id, &err);
	return finish(s, e, &err, id, a.json);
}

static int incident_list(int argc, char **argv)
{
	const char *db = NULL, *status = NULL, *kind = NULL;
	bool json = false;
	const sk_cli_opt opts[] = {SK_OPT_STR("db", &db), SK_OPT_STR("status", &status),
	                           SK_OPT_STR("kind", &kind), SK_OPT_FLAG("json", &json),
	                           SK_OPT_END};
	int rc;
	if (!sk_cli_options(argc, argv, U_LIST, opts, 0, &rc))
		return rc;
	sk_store *s;
	if ((rc = open_ctx(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *arr = NULL;
	sk_incident_filter f = {status, kind};
	sk_err e = sk_incident_list(&cli, &f, &arr, &err);
	sk_ctx_fini(&cli);
	if ((rc = sk_cli_finish(s, e, &err)))
		return rc;
	if (json)
		return sk_cli_print_json(arr);
	size_t i;
	json_t *x;
	json_array_foreach (arr, i, x) {
		const char *due = json_string_value(json_object_get(x, "due"));
		printf(
		    "%-6lld %-8s %-10s %-6s %-16s %-20s %s\n",
		    (long long)json_integer_value(json_object_get(x, "id")),
		    sk_cli_word("UI_INC_KIND_", json_string_value(json_object_get(x, "kind"))),
		    sk_cli_word("UI_INC_ST_", json_string_value(json_object_get(x, "status"))),
		    sk_cli_word("UI_INC_SEV_", json_string_value(json_object_get(x, "severity"))),
		    json_string_value(json_object_get(x, "role_label")), due ? due : "-",
		    json_string_value(json_object_get(x, "title")));
	}
	json_decref(arr);
	return 0;
}

static int incident_show(int argc, char **argv)
{
	struct args a = {0};
	int rc;
	int64_t id = 0;
	if (!parse(NULL, NULL, U_SHOW, argc, argv, &a, &rc))
		return rc;
	if ((rc = parse_id(U_SHOW, argc, argv, 0, &id)))
		return rc;
	sk_store *s;
	if ((rc = open_ctx(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (a.json)
		return finish(s, SK_OK, &err, id, true);
	json_t *j = NULL;
	sk_err e = sk_incident_get(&cli, id, &j, &err);
	sk_ctx_fini(&cli);
	if ((rc = sk_cli_finish(s, e, &err)))
		return rc;
	/* Each field under its heading; the vocabulary's words as the reader reads them. */
	static const struct {
		const char *key;
		sk_msg_id heading;
		const char *words; /* the catalog's prefix for the value's label, or NULL */
	} keys[] = {
	    {"title", SK_M_CLI_OUT_INC_TITLE, NULL},
	    {"kind", SK_M_CLI_OUT_INC_KIND, "UI_INC_KIND_"},
	    {"severity", SK_M_CLI_OUT_INC_SEVERITY, "UI_INC_SEV_"},
	    {"status", SK_M_CLI_OUT_INC_STATUS, "UI_INC_ST_"},
	    {"found_at", SK_M_CLI_OUT_INC_FOUND_AT, NULL},
	    {"reporter", SK_M_CLI_OUT_INC_REPORTER, NULL},
	    {"role_label", SK_M_CLI_OUT_INC_ROLE, NULL},
	    {"due", SK_M_CLI_OUT_INC_DUE_AT, NULL},
	    {"cause", SK_M_CLI_OUT_INC_CAUSE, NULL},
	    {"impact", SK_M_CLI_OUT_INC_IMPACT, NULL},
	    {"response", SK_M_CLI_OUT_INC_RESPONSE, NULL},
	    {"recovery", SK_M_CLI_OUT_INC_RECOVERY, NULL},
	    {"prevention", SK_M_CLI_OUT_INC_PREVENTION, NULL},
	    {"closed_by", SK_M_CLI_OUT_INC_CLOSED_BY, NULL},
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = json_string_value(json_object_get(j, keys[i].key));
		if (!v || !*v)
			continue;
		if (keys[i].words)
			v = sk_cli_word(keys[i].words, v);
		printf("%s: %s\n", sk_cli_msg(keys[i].heading), v);
	}
	size_t i;
	json_t *st;
	json_array_foreach (json_object_get(j, "steps"), i, st)
		printf(
		    sk_cli_msg(SK_M_CLI_OUT_INC_STEP), json_string_value(json_object_get(st, "at")),
		    sk_cli_word("UI_INC_STEP_", json_string_value(json_object_get(st, "action"))),
		    json_string_value(json_object_get(st, "actor")),
		    json_string_value(json_object_get(st, "comment")));
	json_array_foreach (json_object_get(j, "attachments"), i, st)
		printf(sk_cli_msg(SK_M_CLI_OUT_INC_ATTACHMENT),
		       json_string_value(json_object_get(st, "name")),
		       (long long)json_integer_value(json_object_get(st, "size")),
		       json_string_value(json_object_get(st, "sha256")));
	json_decref(j);
	return 0;
}

/* escalate, respond and close: an id and the schema's fields. */
static int change(int argc, char **argv, const sk_schema *sc, const char *usage, int which)
{
	struct args a = {0};
	int rc;
	int64_t id = 0;
	if (!parse(sc, NULL, usage, argc, argv, &a, &rc))
		return rc;
	if ((rc = parse_id(usage, argc, argv, 0, &id)))
		return rc;
	sk_store *s;
	if ((rc = open_ctx(a.db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e;
	if (which == 0)
		e = sk_incident_escalate(&cli, id, val(sc, &a, "comment"), &err);
	else if (which == 2)
		e = sk_incident_close(&cli, id, val(sc, &a, "comment"), &err);
	else {
		sk_incident_response in = {
		    .cause = val(sc, &a, "cause"),
		    .impact = val(sc, &a, "impact"),
		    .response = val(sc, &a, "response"),
		    .recovery = val(sc, &a, "recovery"),
		    .prevention = val(sc, &a, "prevention"),
		    .comment = val(sc, &a, "comment"),
		};
		e = sk_incident_respond(&cli, id, &in, &err);
	}
	return finish(s, e, &err, id, a.json);
}

static int incident_escalate(int argc, char **argv)
{
	return change(argc, argv, &sk_schema_incident_escalate, U_ESCALATE, 0);
}
static int incident_respond(int argc, char **argv)
{
	return change(argc, argv, &sk_schema_incident_respond, U_RESPOND, 1);
}
static int incident_close(int argc, char **argv)
{
	return change(argc, argv, &sk_schema_incident_close, U_CLOSE, 2);
}

/* Reads at most max + 1 bytes of path into *out, so that a larger file is told apart. */
static int read_file(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return sk_cli_fail(SK_ERR_IO, sk_cli_msg(SK_M_CLI_CANNOT_OPEN_3), path,
		                   strerror(errno));
	char *buf = malloc(max + 1);
	if (!buf) {
		fclose(f);
		return sk_cli_fail(SK_ERR_NOMEM, "out of memory");
	}
	*len = fread(buf, 1, max + 1, f);
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return sk_cli_fail(SK_ERR_IO, sk_cli_msg(SK_M_CLI_CANNOT_READ_2), path);
	}
	*out = buf;
	return 0;
}

static int incident_attach(int argc, char **argv)
{
	const sk_schema *sc = &sk_schema_incident_attach;
	struct args a = {0};
	int rc;
	int64_t id = 0;
	if (!parse(sc, "content", U_ATTACH, argc, argv, &a, &rc))
		return rc;
	if ((rc = parse_id(U_ATTACH, argc, argv, 1, &id)))
		return rc;
	const char *path = argv[optind + 1], *name = val(sc, &a, "name");
	if (!name) {
		const char *slash = strrchr(path, '/');
		name = slash ? slash + 1 : path;
	}
	char *data = NULL;
	size_t len = 0;
	if ((rc = read_file(path, SK_INCIDENT_ATTACH_MAX, &data, &len)))
		return rc;
	sk_store *s;
	if ((rc = open_ctx(a.db, &s))) {
		free(data);
		return rc;
	}
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char hex[65] = "";
	sk_err e = sk_incident_attach(&cli, id, name, val(sc, &a, "media_type"), data, len, NULL,
	                              hex, &err);
	free(data);
	if (!e && !a.json) {
		sk_ctx_fini(&cli);
		rc = sk_cli_finish(s, e, &err);
		printf(sk_cli_msg(SK_M_CLI_OUT_ATTACHED), name, (long long)id, hex);
		return rc;
	}
	return finish(s, e, &err, id, a.json);
}

/* Writes one attachment's bytes to FILE (-o) or standard output. */
static int incident_attachment(int argc, char **argv)
{
	const char *db = NULL, *path = NULL;
	const sk_cli_opt opts[] = {SK_OPT_STR("db", &db), SK_OPT_STR_L("output", 'o', &path),
	                           SK_OPT_END};
	int rc;
	long long att = 0;
	if (!sk_cli_options(argc, argv, U_ATTACHMENT, opts, SK_CLI_ANY_ARGS, &rc))
		return rc;
	if (optind + 1 != argc)
		return sk_cli_usage_error(U_ATTACHMENT, "%s",
		                          sk_cli_msg(SK_M_CLI_GIVE_EXACTLY_ATTACHMENT_ID));
	if (!sk_cli_parse_int(argv[optind], 1, INT64_MAX, &att))
		return sk_cli_usage_error(U_ATTACHMENT, sk_cli_msg(SK_M_CLI_ATTACHMENT_ID),
		                          argv[optind]);
	sk_store *s;
	if ((rc = open_ctx(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *j = NULL;
	sk_err e = sk_incident_attachment_get(&cli, att, &j, &err);
	sk_ctx_fini(&cli);
	if ((rc = sk_cli_finish(s, e, &err)))
		return rc;
	gsize n = 0;
	guchar *bytes = g_base64_decode(json_string_value(json_object_get(j, "content")), &n);
	json_decref(j);
	FILE *f = path ? fopen(path, "wb") : stdout;
	if (!f) {
		g_free(bytes);
		return sk_cli_fail(SK_ERR_IO, sk_cli_msg(SK_M_CLI_CANNOT_WRITE_3), path,
		                   strerror(errno));
	}
	bool ok = fwrite(bytes, 1, n, f) == n;
	ok = (path ? fclose(f) == 0 : fflush(f) == 0) && ok;
	g_free(bytes);
	return ok ? 0 : sk_cli_fail(SK_ERR_IO, "%s", sk_cli_msg(SK_M_CLI_CANNOT_WRITE_ATTACHMENT));
}

static const struct sk_cli_verb verbs[] = {
    {"report", incident_report, U_REPORT, SK_CLI_PERSON, SK_M_VERB_INCIDENT_REPORT},
    {"list", incident_list, U_LIST, SK_CLI_PERSON, SK_M_VERB_INCIDENT_LIST},
    {"show", incident_show, U_SHOW, SK_CLI_PERSON, SK_M_VERB_INCIDENT_SHOW},
    {"escalate", incident_escalate, U_ESCALATE, SK_CLI_PERSON, SK_M_VERB_INCIDENT_ESCALATE},
    {"respond", incident_respond, U_RESPOND, SK_CLI_PERSON, SK_M_VERB_INCIDENT_RESPOND},
    {"close", incident_close, U_CLOSE, SK_CLI_PERSON, SK_M_VERB_INCIDENT_CLOSE},
    {"attach", incident_attach, U_ATTACH, SK_CLI_PERSON, SK_M_VERB_INCIDENT_ATTACH},
    {"attachment", incident_attachment, U_ATTACHMENT, SK_CLI_PERSON, SK_M_VERB_INCIDENT_ATTACHMENT},
    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
};

int sk_cmd_incident(int argc, char **argv)
{
	return sk_cli_dispatch("incident", verbs, argc - 1, argv + 1);
}
