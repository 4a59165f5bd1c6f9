/*
 * cmd_asset: `sekisho asset add|show|list|update|dispose|remove|history|import|export`,
 * the information asset register (SPEC C5) from the command line. Every
 * verb is a thin adapter over src/domain/asset.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../domain/asset.h"
#include "../domain/schema.h"
#include "../report/csv.h"
#include "../core/sk_msg.h"
#include "../policy/policy.h"
#include "cli.h"
#include "commands.h"

#define FILTER_OPTS                                                                                \
	"[--unit UNIT] [--type TYPE] [--conf LEVEL] [--zone ZONE] [--text TEXT] "                  \
	"[--status active|disposed|all]"

/* The add usage line, written from the field schema by field_usage(). */
static char U_ADD[1024];
static const char U_SHOW[] = "[--db URL] ID [--json]";
static const char U_LIST[] = "[--db URL] " FILTER_OPTS " [--limit N] [--json]";
static const char U_UPDATE[] = "[--db URL] ID [ADD_OPTIONS]";
static const char U_DISPOSE[] = "[--db URL] ID --operator NAME --record TEXT [--on DATE]";
static const char U_REMOVE[] = "[--db URL] ID --reason TEXT";
static const char U_HISTORY[] = "[--db URL] ID [--json]";
static const char U_IMPORT[] = "[--db URL] FILE.csv|FILE.xlsx|FILE.xls [--dry-run] [--json]";
static const char U_EXPORT[] = "[--db URL] [--format csv|xlsx] [--encoding utf-8|utf-8-bom|cp932] "
                               "[--keys] [-o FILE] " FILTER_OPTS;

static int parse_id(const char *usage, int argc, char **argv, int64_t *id)
{
	if (optind >= argc)
		return sk_cli_usage_error(usage, "%s", sk_cli_msg(SK_M_CLI_ASSET_ID_GIVEN));
	if (optind + 1 < argc)
		return sk_cli_usage_error(usage, sk_cli_msg(SK_M_CLI_UNEXPECTED_ARG),
		                          argv[optind + 1]);
	long long v;
	if (!sk_cli_parse_int(argv[optind], 1, INT64_MAX, &v))
		return sk_cli_usage_error(usage, sk_cli_msg(SK_M_CLI_ASSET_ID), argv[optind]);
	*id = v;
	return 0;
}

/*
 * U_ADD from the schema: required fields first, as "--key KEY", the others in
 * brackets. The value's placeholder is the key in capitals, or in Japanese the
 * field's title (the register's heading): the schema words it, not usage.c.
 */
static void field_usage(void)
{
	bool ja = sk_lang_from_env() == SK_LANG_JA;
	size_t o = (size_t)snprintf(U_ADD, sizeof(U_ADD), "[--db URL]");
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < SK_AF__COUNT && o < sizeof(U_ADD); i++) {
			const sk_field *f = &sk_schema_asset.fields[i];
			bool req = (f->flags & SK_FF_REQUIRED) != 0;
			if (req != (pass == 0))
				continue;
			char opt[32], val[64];
			sk_schema_option_name(f, opt, sizeof(opt));
			size_t k = 0;
			for (; f->key[k] && k + 1 < sizeof(val); k++)
				val[k] =
				    (char)(f->key[k] >= 'a' && f->key[k] <= 'z' ? f->key[k] - 32
				                                                : f->key[k]);
			val[k] = '\0';
			if (ja)
				snprintf(val, sizeof(val), "%s", f->ja);
			o += (size_t)snprintf(
			    U_ADD + o, sizeof(U_ADD) - o, " %s--%s %s%s", req ? "" : "[", opt,
			    f->type == SK_FT_BOOL ? "yes|no" : val, req ? "" : "]");
		}
	if (o < sizeof(U_ADD))
		snprintf(U_ADD + o, sizeof(U_ADD) - o, " [--json]");
}

/*
 * Parses add/update options into in, *db and *json; *nfields: how many of the
 * asset's fields were given. The options are the schema's fields
 * (--disposal-method for disposal_method). true to go on, false to end with *st.
 */
static bool parse_fields(const char *usage, int argc, char **argv, sk_asset_input *in,
                         const char **db, bool *json, int *nfields, int *st)
{
	char names[SK_AF__COUNT][32];
	sk_cli_opt opts[SK_AF__COUNT + 3];
	for (size_t i = 0; i < SK_AF__COUNT; i++) {
		sk_schema_option_name(&sk_schema_asset.fields[i], names[i], sizeof(names[i]));
		opts[i] = (sk_cli_opt)SK_OPT_STR(names[i], &in->v[i]);
	}
	opts[SK_AF__COUNT] = (sk_cli_opt)SK_OPT_STR("db", db);
	opts[SK_AF__COUNT + 1] = (sk_cli_opt)SK_OPT_FLAG("json", json);
	opts[SK_AF__COUNT + 2] = (sk_cli_opt)SK_OPT_END;
	if (!sk_cli_options(argc, argv, usage, opts, SK_CLI_ANY_ARGS, st))
		return false;
	*nfields = 0;
	for (size_t i = 0; i < SK_AF__COUNT; i++)
		*nfields += in->v[i] != NULL;
	return true;
}

/*
 * The command's context: the CLI operator on the opened store, with the
 * installation's profile loaded once, when first needed.
 */
static sk_ctx cli;

static int open_ctx(const char *db, sk_store **s)
{
	int rc = sk_cli_open_store(db, s);
	if (!rc) {
		sk_ctx_init(&cli, *s, NULL, sk_cli_actor());
		cli.lang = sk_lang_code(sk_lang_from_env()); /* the import's notices */
	}
	return rc;
}

static void close_ctx(sk_store *s)
{
	sk_ctx_fini(&cli);
	sk_store_close(s);
}

static int show_json_or_id(sk_store *s, int64_t id, bool json)
{
	if (!json) {
		printf("%lld\n", (long long)id);
		return 0;
	}
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *j = NULL;
	sk_err e = sk_asset_get(&cli, id, &j, &err);
	int rc = e ? sk_cli_fail_buf(e, &err) : sk_cli_print_json(j);
	sk_buf_free(&err);
	return rc;
}

static int cmd_add(int argc, char **argv)
{
	sk_asset_input in = {{0}};
	const char *db = NULL;
	bool json = false;
	int n, rc;
	if (!parse_fields(U_ADD, argc, argv, &in, &db, &json, &n, &rc) ||
	    (rc = sk_cli_no_args(argc, argv, U_ADD)))
		return rc;
	sk_store *s = NULL;
	if ((rc = open_ctx(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t id = 0;
	sk_err e = sk_asset_add(&cli, &in, &id, &err);
	rc = e ? sk_cli_fail_buf(e, &err) : show_json_or_id(s, id, json);
	sk_buf_free(&err);
	close_ctx(s);
	return rc;
}

static int cmd_update(int argc, char **argv)
{
	sk_asset_input in = {{0}};
	const char *db = NULL;
	bool json = false;
	int n, rc;
	int64_t id = 0;
	if (!parse_fields(U_UPDATE, argc, argv, &in, &db, &json, &n, &rc) ||
	    (rc = parse_id(U_UPDATE, argc, argv, &id)))
		return rc;
	if (!n)
		return sk_cli_usage_error(U_UPDATE, "%s", sk_cli_msg(SK_M_CLI_NOTHING_CHANGE));
	sk_store *s = NULL;
	if ((rc = open_ctx(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_asset_update(&cli, id, &in, &err);
	rc = e ? sk_cli_fail_buf(e, &err) : json ? show_json_or_id(s, id, true) : 0;
	sk_buf_free(&err);
	close_ctx(s);
	return rc;
}

/*
 * Parses an option-less verb's --db and --json around one ID: true to go on,
 * false to end with *st.
 */
static bool parse_simple(const char *usage, int argc, char **argv, const char **db, bool *json,
                         int64_t *id, int *st)
{
	const sk_cli_opt opts[] = {SK_OPT_STR("db", db), SK_OPT_FLAG("json", json), SK_OPT_END};
	return sk_cli_options(argc, argv, usage, opts, SK_CLI_ANY_ARGS, st) &&
	       !(*st = parse_id(usage, argc, argv, id));
}

/*
 * A value of the card as a person reads it in l: the vocabularies' Japanese
 * names (ハードウェア, マイナンバー利用事務系), yes/no as あり/なし, the status
 * in words; English keeps the stable names.
 */
static const char *word_value(const char *key, const char *t, sk_lang l)
{
	int x;
	if (!t || l != SK_LANG_JA)
		return t;
	if (strcmp(key, "type") == 0 && (x = sk_vocab_find(SK_VOCAB_ASSET_TYPE, t)) >= 0)
		return sk_vocab_label(SK_VOCAB_ASSET_TYPE, x, l);
	if (strcmp(key, "zone") == 0 && (x = sk_vocab_find(SK_VOCAB_ZONE, t)) >= 0)
		return sk_vocab_label(SK_VOCAB_ZONE, x, l);
	if (strcmp(key, "status") == 0 && strcmp(t, "active") == 0)
		return sk_msg_format(SK_M_CLI_ASSET_ACTIVE, l);
	if (strcmp(key, "status") == 0 && strcmp(t, "disposed") == 0)
		return sk_msg_format(SK_M_CLI_ASSET_DISPOSED, l);
	return t;
}

static const char *card_value(const char *key, json_t *v, sk_lang l)
{
	if (json_is_boolean(v))
		return sk_msg_format(json_is_true(v) ? SK_M_CLI_YES : SK_M_CLI_NO, l);
	return word_value(key, json_string_value(v), l);
}

/* The asset as a register card: one "heading: value" line per field, in the reader's language. */
static void print_card(json_t *j)
{
	sk_lang l = sk_lang_from_env();
	/* Which columns a card shows, in its order; their headings are the field schema's. */
	static const char *const rows[] = {
	    "id",
	    "unit",
	    "type",
	    "name",
	    "quantity",
	    "location",
	    "backup",
	    "disposal_method",
	    "label",
	    "manager",
	    "zone",
	    "personal",
	    "mynumber",
	    "recovery_hours",
	    "acquired_on",
	    "note",
	    "status",
	    "disposed_on",
	    "disposal_operator",
	    "disposal_record",
	    "updated_at",
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		/* The unit is shown by its code and name, as the API's unit_code and unit_name. */
		bool unit = strcmp(rows[i], "unit") == 0;
		json_t *v = json_object_get(j, unit ? "unit_code" : rows[i]);
		if (!v || json_is_null(v))
			continue;
		const sk_field *f = sk_schema_asset_column(rows[i]);
		if (!f)
			continue;
		printf("%s: ", l == SK_LANG_JA ? f->ja : f->en);
		if (json_is_integer(v))
			printf("%lld", (long long)json_integer_value(v));
		else {
			const char *t = card_value(rows[i], v, l);
			fputs(t ? t : "", stdout);
		}
		if (unit)
			printf(" (%s)", json_string_value(json_object_get(j, "unit_name")));
		if (strcmp(rows[i], "recovery_hours") == 0)
			fputs(sk_msg_format(SK_M_CLI_HOURS, l), stdout);
		putchar('\n');
	}
}

static int cmd_show(int argc, char **argv)
{
	const char *db = NULL;
	bool json = false;
	int64_t id = 0;
	int rc;
	sk_store *s = NULL;
	if (!parse_simple(U_SHOW, argc, argv, &db, &json, &id, &rc) || (rc = open_ctx(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *j = NULL;
	sk_err e = sk_asset_get(&cli, id, &j, &err);
	if (e)
		rc = sk_cli_fail_buf(e, &err);
	else if (json)
		rc = sk_cli_print_json(j);
	else {
		print_card(j);
		json_decref(j);
	}
	sk_buf_free(&err);
	close_ctx(s);
	return rc;
}

/* Parses filter options (shared by list and export); other options go to extra. */
/* The listing's filters and --db, shared by list and export: table entries. */
#define FILTER_TABLE(f, db)                                                                        \
	SK_OPT_STR("unit", &(f).unit), SK_OPT_STR("type", &(f).type),                              \
	    SK_OPT_STR("conf", &(f).conf), SK_OPT_STR("zone", &(f).zone),                          \
	    SK_OPT_STR("text", &(f).text), SK_OPT_STR("status", &(f).status), SK_OPT_STR("db", db)

struct list_out {
	json_t *arr; /* --json */
	FILE *f;
	sk_buf line;  /* lines not yet written (printf per row costs more than the query) */
	sk_lang lang; /* the values' words: labels in Japanese, the stable names in English */
};

static sk_err put_field(sk_buf *b, const char *s, char end)
{
	sk_err e = sk_buf_adds(b, s);
	return e ? e : sk_buf_addc(b, end);
}

static sk_err list_row(void *ctx, const sk_asset *a, sk_buf *err)
{
	struct list_out *lo = ctx;
	if (lo->arr) {
		json_t *j = sk_asset_json(a);
		if (!j || json_array_append_new(lo->arr, j))
			return sk_fail(err, SK_ERR_NOMEM, "out of memory");
		return SK_OK;
	}
	/* id, unit, type, C/I/A, zone, status, name: tab-separated for cut and awk. */
	char id[24], *p = id + sizeof(id);
	*--p = '\0';
	uint64_t v = (uint64_t)a->id;
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) && p > id);
	sk_buf *b = &lo->line;
	sk_err e = put_field(b, p, '\t');
	if (!e)
		e = put_field(b, a->unit_code, '\t');
	if (!e)
		e = put_field(b, word_value("type", a->type, lo->lang), '\t');
	if (!e)
		e = put_field(b, a->conf, '/');
	if (!e)
		e = put_field(b, a->integ, '/');
	if (!e)
		e = put_field(b, a->avail, '\t');
	if (!e)
		e = put_field(b, word_value("zone", a->zone, lo->lang), '\t');
	if (!e)
		e = put_field(b, word_value("status", a->status, lo->lang), '\t');
	if (!e)
		e = put_field(b, a->name, '\n');
	if (e)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	if (b->len >= (1u << 16)) {
		if (fwrite(b->data, 1, b->len, lo->f) != b->len)
			return sk_fail_msg(err, SK_ERR_IO, NULL, NULL,
			                   SK_M_CLI_CANNOT_WRITE_LISTING);
		sk_buf_reset(b);
	}
	return SK_OK;
}

static int cmd_list(int argc, char **argv)
{
	sk_asset_filter f = {0};
	const char *db = NULL;
	bool json = false;
	long long limit = 0;
	const sk_cli_opt opts[] = {
	    FILTER_TABLE(f, &db),
	    SK_OPT_NUM("limit", &limit, 1, INT64_MAX),
	    SK_OPT_FLAG("json", &json),
	    SK_OPT_END,
	};
	int rc;
	if (!sk_cli_options(argc, argv, U_LIST, opts, 0, &rc))
		return rc;
	f.limit = limit;
	sk_store *s = NULL;
	if ((rc = open_ctx(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	struct list_out lo = {json ? json_array() : NULL, stdout, SK_BUF_INIT(1u << 20),
	                      sk_lang_from_env()};
	f.brief = !json;
	f.withhold = true; /* `asset show ID` gives a 機密性3 asset's details, recorded */
	sk_err e = (json && !lo.arr) ? sk_fail(&err, SK_ERR_NOMEM, "out of memory")
	                             : sk_asset_list(&cli, &f, list_row, &lo, &err);
	if (e) {
		json_decref(lo.arr);
		rc = sk_cli_fail_buf(e, &err);
	} else if (json)
		rc = sk_cli_print_json(lo.arr);
	else if (fwrite(lo.line.data, 1, lo.line.len, stdout) != lo.line.len || fflush(stdout) != 0)
		rc = sk_cli_fail(SK_ERR_IO, "%s", sk_cli_msg(SK_M_CLI_CANNOT_WRITE_LISTING));
	sk_buf_free(&lo.line);
	sk_buf_free(&err);
	close_ctx(s);
	return rc;
}

static int cmd_dispose(int argc, char **argv)
{
	const char *db = NULL, *on = NULL, *op = NULL, *record = NULL;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("on", &on),
	    SK_OPT_STR("operator", &op),
	    SK_OPT_STR("record", &record),
	    SK_OPT_END,
	};
	int64_t id = 0;
	int rc;
	if (!sk_cli_options(argc, argv, U_DISPOSE, opts, SK_CLI_ANY_ARGS, &rc) ||
	    (rc = parse_id(U_DISPOSE, argc, argv, &id)))
		return rc;
	if (!op || !record)
		return sk_cli_usage_error(U_DISPOSE, "%s",
		                          sk_cli_msg(SK_M_CLI_OPERATOR_RECORD_REQUIRED));
	sk_store *s = NULL;
	if ((rc = open_ctx(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_asset_dispose(&cli, id, on, op, record, &err);
	rc = e ? sk_cli_fail_buf(e, &err) : 0;
	sk_buf_free(&err);
	close_ctx(s);
	return rc;
}

/* A row entered by mistake: a correction on record with its reason, not a 廃棄. */
static int cmd_remove(int argc, char **argv)
{
	const char *db = NULL, *reason = NULL;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("reason", &reason),
	    SK_OPT_END,
	};
	int64_t id = 0;
	int rc;
	if (!sk_cli_options(argc, argv, U_REMOVE, opts, SK_CLI_ANY_ARGS, &rc) ||
	    (rc = parse_id(U_REMOVE, argc, argv, &id)))
		return rc;
	if (!reason)
		return sk_cli_usage_error(U_REMOVE, "%s",
		                          sk_cli_msg(SK_M_CLI_REASON_REQUIRED_WHY_ROW));
	sk_store *s = NULL;
	if ((rc = open_ctx(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_asset_remove(&cli, id, reason, &err);
	rc = e ? sk_cli_fail_buf(e, &err) : 0;
	sk_buf_free(&err);
	close_ctx(s);
	return rc;
}

static void print_image(const char *what, json_t *img)
{
	if (json_is_null(img))
		return;
	char *t = json_dumps(img, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII * 0);
	printf("  %s: %s\n", what, t ? t : "?");
	free(t);
}

/* Prints, for an update, only the fields that changed: "name: A -> B". */
static void print_changes(json_t *before, json_t *after)
{
	const char *key;
	json_t *av;
	json_object_foreach (after, key, av) {
		json_t *bv = json_object_get(before, key);
		if (bv && json_equal(bv, av))
			continue;
		char *b = bv ? json_dumps(bv, JSON_ENCODE_ANY) : NULL;
		char *a = json_dumps(av, JSON_ENCODE_ANY);
		/* The field under the register's heading in Japanese, its key in English. */
		const sk_field *f =
		    sk_lang_from_env() == SK_LANG_JA ? sk_schema_asset_column(key) : NULL;
		printf("  %s: %s -> %s\n", f ? f->ja : key, b ? b : sk_cli_msg(SK_M_CLI_OUT_NONE),
		       a ? a : "?");
		free(b);
		free(a);
	}
}

static int cmd_history(int argc, char **argv)
{
	const char *db = NULL;
	bool json = false;
	int64_t id = 0;
	int rc;
	sk_store *s = NULL;
	if (!parse_simple(U_HISTORY, argc, argv, &db, &json, &id, &rc) || (rc = open_ctx(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *arr = NULL;
	sk_err e = sk_asset_history(&cli, id, &arr, &err);
	if (e)
		rc = sk_cli_fail_buf(e, &err);
	else if (json)
		rc = sk_cli_print_json(arr);
	else {
		size_t i;
		json_t *ent;
		json_array_foreach (arr, i, ent) {
			json_t *b = json_object_get(ent, "before"),
			       *a = json_object_get(ent, "after");
			char at[64];
			printf("#%lld %s %s (%s) %s\n",
			       (long long)json_integer_value(json_object_get(ent, "seq")),
			       sk_cli_local_time(json_string_value(json_object_get(ent, "at")), at,
			                         sizeof(at)),
			       json_string_value(json_object_get(ent, "actor")),
			       json_string_value(json_object_get(ent, "address")),
			       json_string_value(json_object_get(ent, "action")));
			if (json_is_object(b) && json_is_object(a))
				print_changes(b, a);
			else {
				print_image(sk_cli_msg(SK_M_CLI_OUT_BEFORE), b);
				print_image(sk_cli_msg(SK_M_CLI_OUT_AFTER), a);
			}
		}
		json_decref(arr);
	}
	sk_buf_free(&err);
	close_ctx(s);
	return rc;
}

/*
 * Maps the file read-only into *map (NULL for an empty file, which has
 * length 0) and returns 0, or prints why not and returns the exit code.
 */
static int map_file(const char *path, void **map, size_t *len, int *fd_out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sk_cli_fail(SK_ERR_IO, sk_cli_msg(SK_M_CLI_CANNOT_OPEN), path,
		                   strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return sk_cli_fail(SK_ERR_INVALID, sk_cli_msg(SK_M_CLI_REGULAR_FILE), path);
	}
	*len = (size_t)st.st_size;
	*map = NULL;
	if (*len) {
		void *p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			return sk_cli_fail(SK_ERR_IO, sk_cli_msg(SK_M_CLI_CANNOT_READ), path,
			                   strerror(errno));
		}
		madvise(p, *len, MADV_SEQUENTIAL);
		*map = p;
	}
	*fd_out = fd;
	return 0;
}

static int cmd_import(int argc, char **argv)
{
	const char *db = NULL;
	bool json = false, dry = false;
	const sk_cli_opt opts[] = {SK_OPT_STR("db", &db), SK_OPT_FLAG("json", &json),
	                           SK_OPT_FLAG("dry-run", &dry), SK_OPT_END};
	int st;
	if (!sk_cli_options(argc, argv, U_IMPORT, opts, SK_CLI_ANY_ARGS, &st))
		return st;
	if (optind + 1 != argc)
		return sk_cli_usage_error(U_IMPORT, "%s",
		                          sk_cli_msg(SK_M_CLI_GIVE_EXACTLY_CSV_EXCEL));
	const char *path = argv[optind];
	void *map = NULL;
	size_t len = 0;
	int fd = -1, rc = map_file(path, &map, &len, &fd);
	if (rc)
		return rc;
	sk_store *s = NULL;
	if (!(rc = open_ctx(db, &s))) {
		sk_buf err = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
		sk_asset_import_result *res = malloc(sizeof(*res));
		const char *base = strrchr(path, '/');
		sk_err e = SK_ERR_NOMEM;
		if (!res)
			rc = sk_cli_fail(SK_ERR_NOMEM, "out of memory");
		else
			e = sk_asset_import(&cli, map ? map : "", len, base ? base + 1 : path,
			                    dry ? SK_ASSET_IMPORT_DRY_RUN : 0, res, &err);
		/* What was skipped is said whether or not the import went through. */
		if (res && res->notices[0])
			fputs(res->notices, stderr);
		if (res && e)
			rc = sk_cli_fail_buf(e, &err);
		else if (res && json)
			rc = sk_cli_print_json(json_pack(
			    "{sI sI sI sI sI sI sb ss ss ss}", "import_id",
			    (json_int_t)res->import_id, "rows", (json_int_t)res->rows, "added",
			    (json_int_t)res->added, "changed", (json_int_t)res->changed,
			    "unchanged", (json_int_t)res->unchanged, "skipped",
			    (json_int_t)res->skipped, "dry_run", dry, "encoding", res->encoding,
			    "sha256", res->sha256, "changes", res->changes));
		else if (res) {
			if (dry || res->changed)
				fputs(res->changes, stdout);
			if (dry)
				printf(sk_cli_msg(SK_M_CLI_OUT_IMPORT_DRY_RUN),
				       (long long)res->added, (long long)res->changed,
				       (long long)res->unchanged);
			else if (!res->import_id)
				printf(sk_cli_msg(SK_M_CLI_OUT_IMPORT_NO_CHANGE),
				       (long long)res->unchanged, path);
			else
				printf(sk_cli_msg(SK_M_CLI_OUT_IMPORTED), (long long)res->rows,
				       path, res->encoding, res->sha256, (long long)res->added,
				       (long long)res->changed, (long long)res->unchanged);
		}
		free(res);
		sk_buf_free(&err);
		close_ctx(s);
	}
	if (map)
		munmap(map, len);
	close(fd);
	return rc;
}

static int cmd_export(int argc, char **argv)
{
	sk_asset_filter f = {0};
	const char *db = NULL, *format = "csv", *encoding = "utf-8", *out = NULL;
	bool keys = false;
	const sk_cli_opt opts[] = {
	    FILTER_TABLE(f, &db),
	    SK_OPT_STR("format", &format),
	    SK_OPT_STR("encoding", &encoding),
	    SK_OPT_FLAG("keys", &keys),
	    SK_OPT_STR_L("output", 'o', &out),
	    SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, U_EXPORT, opts, 0, &st))
		return st;
	bool xlsx = strcmp(format, "xlsx") == 0;
	if (!xlsx && strcmp(format, "csv") != 0)
		return sk_cli_usage_error(U_EXPORT, sk_cli_msg(SK_M_CLI_UNKNOWN_FORMAT_CSV_XLSX),
		                          format);
	if (xlsx && !out)
		return sk_cli_usage_error(U_EXPORT, "%s",
		                          sk_cli_msg(SK_M_CLI_EXCEL_EXPORT_NEEDS_O));
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_csv_encoding enc;
	sk_err e = sk_csv_encoding_parse(encoding, &enc, &err);
	if (e) {
		int r = sk_cli_usage_error(U_EXPORT, "%s", sk_cli_err(&err, SK_ERR_INVALID));
		sk_buf_free(&err);
		return r;
	}
	sk_store *s = NULL;
	int rc = open_ctx(db, &s);
	if (rc) {
		sk_buf_free(&err);
		return rc;
	}
	if (xlsx)
		e = sk_asset_export_xlsx(&cli, &f, out, &err);
	else {
		/* A CSV file is written beside its target and renamed, so a failure leaves none. */
		sk_buf tmp = SK_BUF_INIT(4096);
		FILE *fp = stdout;
		if (out && !(e = sk_buf_addf(&tmp, "%s.tmp-%ld", out, (long)getpid()))) {
			fp = fopen(tmp.data, "wx");
			if (!fp)
				e = sk_fail_msg(&err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_CREATE,
				                tmp.data, strerror(errno));
		}
		if (!e)
			e = sk_asset_export_csv(&cli, &f, fp, (int)enc, !keys, &err);
		if (out && fp) {
			if (fclose(fp) != 0 && !e)
				e = sk_fail_msg(&err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_WRITE,
				                out);
			if (!e && rename(tmp.data, out) != 0)
				e = sk_fail_msg(&err, SK_ERR_IO, NULL, NULL,
				                SK_M_CLI_CANNOT_WRITE_2, out, strerror(errno));
			if (e)
				unlink(tmp.data);
		}
		sk_buf_free(&tmp);
	}
	rc = e ? sk_cli_fail_buf(e, &err) : 0;
	sk_buf_free(&err);
	close_ctx(s);
	return rc;
}

int sk_cmd_asset(int argc, char **argv)
{
	static const struct sk_cli_verb verbs[] = {
	    {"add", cmd_add, U_ADD, SK_CLI_PERSON, SK_M_VERB_ASSET_ADD},
	    {"show", cmd_show, U_SHOW, SK_CLI_PERSON, SK_M_VERB_ASSET_SHOW},
	    {"list", cmd_list, U_LIST, SK_CLI_PERSON, SK_M_VERB_ASSET_LIST},
	    {"update", cmd_update, U_UPDATE, SK_CLI_PERSON, SK_M_VERB_ASSET_UPDATE},
	    {"dispose", cmd_dispose, U_DISPOSE, SK_CLI_PERSON, SK_M_VERB_ASSET_DISPOSE},
	    {"remove", cmd_remove, U_REMOVE, SK_CLI_PERSON, SK_M_VERB_ASSET_REMOVE},
	    {"history", cmd_history, U_HISTORY, SK_CLI_PERSON, SK_M_VERB_ASSET_HISTORY},
	    {"import", cmd_import, U_IMPORT, SK_CLI_PERSON, SK_M_VERB_ASSET_IMPORT},
	    {"export", cmd_export, U_EXPORT, SK_CLI_PERSON, SK_M_VERB_ASSET_EXPORT},
	    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
	};
	field_usage();
	return sk_cli_dispatch("asset", verbs, argc - 1, argv + 1);
}
