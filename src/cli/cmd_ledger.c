/*
 * cmd_ledger: `sekisho ledger list|export NAME` (issue #13 part 3): the
 * ledgers of src/domain/ledger.h, listed or exported as CSV (utf-8,
 * utf-8-bom, cp932) or .xlsx. --as LOGIN reads as that account (its
 * ledger.read scope); without it the operator reads every unit. The export's
 * bytes are ledger.c's, the same the API hands out; a file named by --out is
 * written beside its target and renamed, so a failure leaves none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../domain/ledger.h"
#include "cli.h"
#include "commands.h"

#define FILTERS                                                                                    \
	"[--status STATUS] [--unit UNIT] [--from YYYY-MM-DD] [--until YYYY-MM-DD] [--asset ID]"
#define LIST_USAGE "--db URL [--as LOGIN] " FILTERS " [--json] LEDGER"
#define EXPORT_USAGE                                                                               \
	"--db URL [--as LOGIN] --format csv|xlsx [--encoding cp932|utf-8-bom|utf-8] "              \
	"[--out FILE] " FILTERS " LEDGER"

struct lg_args {
	const char *db, *as, *format, *encoding, *out;
	sk_ledger_filter f;
	long long asset;
	bool json;
};

static bool parse(int argc, char **argv, const char *usage, struct lg_args *a, int *st)
{
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &a->db),
	    SK_OPT_FN("as", &a->as, sk_cli_take_as),
	    SK_OPT_STR("status", &a->f.status),
	    SK_OPT_STR("unit", &a->f.unit),
	    SK_OPT_STR("from", &a->f.from),
	    SK_OPT_STR("until", &a->f.until),
	    SK_OPT_NUM("asset", &a->asset, 1, INT64_MAX),
	    SK_OPT_STR("format", &a->format),
	    SK_OPT_STR("encoding", &a->encoding),
	    SK_OPT_STR_L("out", 'o', &a->out),
	    SK_OPT_FLAG("json", &a->json),
	    SK_OPT_END,
	};
	if (!sk_cli_options(argc, argv, usage, opts, 1, st))
		return false;
	a->f.asset_id = a->asset;
	return true;
}

/* The ledger name: the one argument, a known ledger. */
static int name_arg(int argc, char **argv, const char *usage, const char **name)
{
	if (optind != argc - 1)
		return sk_cli_usage_error(usage, "%s", sk_cli_msg(SK_M_CLI_LEDGER_NAME_REQUIRED));
	*name = argv[optind];
	if (!sk_ledger_kind(*name)) {
		sk_buf names = SK_BUF_INIT(1024);
		for (size_t i = 0; sk_ledger_names[i]; i++)
			sk_buf_addf(&names, "%s%s", i ? ", " : "", sk_ledger_names[i]);
		int rc = sk_cli_usage_error(usage, sk_cli_msg(SK_M_CLI_UNKNOWN_LEDGER), *name,
		                            names.data ? names.data : "");
		sk_buf_free(&names);
		return rc;
	}
	return 0;
}

static int lg_list(int argc, char **argv)
{
	struct lg_args a = {0};
	const char *name = NULL;
	int rc;
	if (!parse(argc, argv, LIST_USAGE, &a, &rc))
		return rc;
	if ((rc = name_arg(argc, argv, LIST_USAGE, &name)))
		return rc;
	sk_store *s = NULL;
	sk_cli_as who;
	if ((rc = sk_cli_open_store(a.db, &s)))
		return rc;
	if ((rc = sk_cli_as_actor(s, a.as, &who))) {
		sk_store_close(s);
		return rc;
	}
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, &who.actor);
	json_t *j = NULL;
	sk_err e = sk_ledger_list(&c, name, &a.f, &j, &err);
	sk_ctx_fini(&c);
	if (e)
		return sk_cli_finish(s, e, &err);
	if (a.json) {
		rc = sk_cli_print_json(j);
	} else {
		/*
		 * One line a row: every column's value, tab-separated, under the
		 * headings in the reader's language; in Japanese the status, the
		 * approver's role and yes/no by their words.
		 */
		bool ja = sk_lang_from_env() == SK_LANG_JA;
		json_t *cols = json_object_get(j, "columns"), *rows = json_object_get(j, "rows");
		size_t i, k;
		json_t *col, *row;
		json_array_foreach (cols, i, col)
			printf("%s%s", i ? "\t" : "",
			       json_string_value(json_object_get(col, ja ? "ja" : "en")));
		printf("\n");
		json_array_foreach (rows, k, row) {
			json_array_foreach (cols, i, col) {
				const char *key = json_string_value(json_object_get(col, "key"));
				json_t *v = json_object_get(row, key);
				char *t = json_is_string(v) || json_is_null(v) ||
				                  (ja && json_is_boolean(v))
				              ? NULL
				              : json_dumps(v, JSON_ENCODE_ANY);
				const char *txt =
				    json_is_string(v) ? json_string_value(v)
				    : t               ? t
				    : json_is_boolean(v)
				        ? sk_cli_msg(json_is_true(v) ? SK_M_CLI_YES : SK_M_CLI_NO)
				        : "";
				if (key && strcmp(key, "status") == 0)
					txt = sk_cli_word("UI_RQ_ST_", txt);
				else if (key && strcmp(key, "approver_role") == 0)
					txt = sk_cli_role(txt);
				printf("%s", i ? "\t" : "");
				for (const char *p = txt; *p; p++)
					putchar(*p == '\n' || *p == '\t' ? ' ' : *p);
				free(t);
			}
			printf("\n");
		}
		json_decref(j);
	}
	sk_cli_finish(s, SK_OK, &err);
	return rc;
}

/* Writes the n bytes to path through a temporary file renamed over it. */
static sk_err write_file(const char *path, const char *p, size_t n, sk_buf *err)
{
	sk_buf tmp = SK_BUF_INIT(4096);
	if (sk_buf_addf(&tmp, "%s.tmp-%ld", path, (long)getpid()))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CLI_OUT_PATH_TOO_LONG);
	sk_err e = SK_OK;
	FILE *fp = fopen(tmp.data, "wx");
	if (!fp)
		e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_CREATE, tmp.data,
		                strerror(errno));
	else {
		bool ok = fwrite(p, 1, n, fp) == n;
		ok = fclose(fp) == 0 && ok;
		if (!ok)
			e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_WRITE, path);
		else if (rename(tmp.data, path) != 0)
			e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_WRITE_2, path,
			                strerror(errno));
		if (e)
			unlink(tmp.data);
	}
	sk_buf_free(&tmp);
	return e;
}

static int lg_export(int argc, char **argv)
{
	struct lg_args a = {0};
	const char *name = NULL;
	int rc;
	if (!parse(argc, argv, EXPORT_USAGE, &a, &rc))
		return rc;
	if ((rc = name_arg(argc, argv, EXPORT_USAGE, &name)))
		return rc;
	const char *format = a.format ? a.format : "csv";
	bool xlsx = strcmp(format, "xlsx") == 0;
	if (!xlsx && strcmp(format, "csv") != 0)
		return sk_cli_usage_error(EXPORT_USAGE,
		                          sk_cli_msg(SK_M_CLI_FORMAT_UNKNOWN_CSV_XLSX), format);
	if (xlsx && !a.out && isatty(STDOUT_FILENO))
		return sk_cli_usage_error(EXPORT_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_EXCEL_EXPORT_NEEDS_OUT));
	if (xlsx && a.encoding)
		return sk_cli_usage_error(EXPORT_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_ENCODING_CSV_ONLY));
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_csv_encoding enc = SK_CSV_UTF8;
	if (a.encoding && sk_csv_encoding_parse(a.encoding, &enc, &err)) {
		rc = sk_cli_usage_error(EXPORT_USAGE, sk_cli_msg(SK_M_CLI_ENCODING),
		                        sk_cli_err(&err, SK_ERR_INVALID));
		sk_buf_free(&err);
		return rc;
	}
	sk_store *s = NULL;
	sk_cli_as who;
	if ((rc = sk_cli_open_store(a.db, &s))) {
		sk_buf_free(&err);
		return rc;
	}
	if ((rc = sk_cli_as_actor(s, a.as, &who))) {
		sk_buf_free(&err);
		sk_store_close(s);
		return rc;
	}
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, &who.actor);
	char *buf = NULL;
	size_t n = 0;
	sk_err e = sk_ledger_export(&c, name, &a.f, xlsx ? SK_LEDGER_XLSX : SK_LEDGER_CSV, enc,
	                            &buf, &n, &err);
	sk_ctx_fini(&c);
	if (!e && a.out)
		e = write_file(a.out, buf, n, &err);
	else if (!e && (fwrite(buf, 1, n, stdout) != n || fflush(stdout) != 0))
		e = sk_fail_msg(&err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_WRITE_STANDARD_OUTPUT);
	free(buf);
	return sk_cli_finish(s, e, &err);
}

static const struct sk_cli_verb verbs[] = {
    {"list", lg_list, LIST_USAGE, SK_CLI_PERSON, SK_M_VERB_LEDGER_LIST},
    {"export", lg_export, EXPORT_USAGE, SK_CLI_PERSON, SK_M_VERB_LEDGER_EXPORT},
    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
};

int sk_cmd_ledger(int argc, char **argv)
{
	return sk_cli_dispatch("ledger", verbs, argc - 1, argv + 1);
}
