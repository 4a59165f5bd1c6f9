/*
 * pages_import: the register's import and export from the web. The upload
 * (multipart/form-data, read by multipart.c within its limits, its CSRF
 * token checked by the dispatcher) goes to sk_asset_import, the one import
 * of the CLI too: CSV in UTF-8 or CP932, .xlsx and .xls, all or nothing,
 * every error of every row with its line and column, a dry run. The export
 * is sk_asset_export_csv / _xlsx, which record it, sent as a download.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/sk_clock.h"
#include "../domain/asset.h"
#include "../report/csv.h"
#include "web_int.h"
#include "../core/sk_msg.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Each line of text (lines apart by '\n') as an item of out. */
static void lines(sk_web_req *w, sk_html_frag *out, const char *text)
{
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n) {
			char *line = strndup(p, n);
			if (line) {
				sk_tv v[] = {SK_TV("line", line)};
				sk_html_render(out, "import_line", w->lang, v, N(v));
				free(line);
			}
		}
		p = nl ? nl + 1 : NULL;
	}
}

/* The import page: the form, and the result of an import (res) or the file's error. */
static void import_page(sk_web_req *w, int status, const sk_asset_import_result *res,
                        const char *file, bool dry_run, const char *file_error)
{
	sk_html_frag main = SK_HTML_FRAG_INIT, changes = SK_HTML_FRAG_INIT,
	             notices = SK_HTML_FRAG_INIT;
	char rows[24] = "", added[24] = "", changed[24] = "", unchanged[24] = "";
	const char *result = NULL;
	if (res) {
		snprintf(rows, sizeof(rows), "%" PRId64, res->rows);
		snprintf(added, sizeof(added), "%" PRId64, res->added);
		snprintf(changed, sizeof(changed), "%" PRId64, res->changed);
		snprintf(unchanged, sizeof(unchanged), "%" PRId64, res->unchanged);
		result = sk_web_t(w, dry_run          ? SK_M_UI_IMPORT_CHECKED
		                     : res->import_id ? SK_M_UI_IMPORT_DONE
		                                      : SK_M_UI_IMPORT_NOTHING);
		lines(w, &changes, res->changes);
		lines(w, &notices, res->notices);
	}
	sk_tv v[] = {SK_TV("csrf", w->ap.csrf_token),
	             SK_TV("result", result),
	             SK_TV("file", file),
	             SK_TV("encoding", res ? res->encoding : NULL),
	             SK_TV("rows", rows),
	             SK_TV("added", added),
	             SK_TV("changed", changed),
	             SK_TV("unchanged", unchanged),
	             SK_TV("sha256", res ? res->sha256 : NULL),
	             SK_TF("changes", &changes),
	             SK_TF("notices", &notices),
	             SK_TV("dry_run", dry_run ? "1" : NULL),
	             SK_TV("error", file_error)};
	if (sk_web_render(w, &main, "asset_import", v, N(v)))
		sk_web_page(w, status, SK_M_UI_IMPORT_TITLE, &main);
	sk_html_frag_free(&main);
	sk_html_frag_free(&changes);
	sk_html_frag_free(&notices);
}

void sk_web_asset_import_form(sk_web_req *w) { import_page(w, 200, NULL, NULL, false, NULL); }

/* An import handed to a page worker (sk_web_off_loop): the upload, and the result. */
typedef struct import_job {
	const char *data; /* the file's bytes and name: the upload's, kept with the job */
	size_t len;
	const char *name;
	bool dry_run;
	sk_asset_import_result res;
} import_job;

/* On a page worker: sk_asset_import, all or nothing, as the CLI's. */
static sk_err import_work(sk_ctx *c, void *data, sk_buf *err)
{
	import_job *j = data;
	return sk_asset_import(c, j->data, j->len, j->name,
	                       j->dry_run ? SK_ASSET_IMPORT_DRY_RUN : 0, &j->res, err);
}

/* On the loop: the result, or every error of every row in the summary. */
static void import_answer(sk_web_req *w, void *data, sk_err e, sk_buf *err)
{
	import_job *j = data;
	const sk_asset_import_result *res = &j->res;
	const char *name = j->name;
	bool dry_run = j->dry_run;
	int status = sk_err_http_status(e);
	if (!e) {
		import_page(w, 200, res, name, dry_run, NULL);
	} else if (status >= 500 || status == 404 || e == SK_ERR_DENIED) {
		sk_web_fail(w, e, err);
	} else {
		/*
		 * The domain's answer: a summary line, then (bad rows) one line per
		 * error of every row, "line L, column C (見出し): ..."; each is an
		 * item of the error summary, the summary line also beside the field.
		 */
		const char *msg = sk_msg_of(err, e, w->lang);
		const char *nl = strchr(msg, '\n');
		char *first = strndup(msg, nl ? (size_t)(nl - msg) : strlen(msg));
		if (first && nl && res->rows > 0 && res->bad_rows > 0) {
			/* The summary line in the page's language (the rows' lines are the
			 * domain's). */
			sk_buf sum = SK_BUF_INIT(SK_BUF_MSG_MAX);
			sk_fail_msg(&sum, e, NULL, NULL, SK_M_UI_IMPORT_BAD_ROWS,
			            (long long)res->bad_rows, (long long)res->rows);
			char *t = strdup(sk_msg_of(&sum, e, w->lang));
			if (t) {
				free(first);
				first = t;
			}
			sk_buf_free(&sum);
		}
		sk_web_error(w, "file", first ? first : msg);
		if (nl) {
			for (const char *p = nl + 1; p && *p;) {
				const char *q = strchr(p, '\n');
				char *line = strndup(p, q ? (size_t)(q - p) : strlen(p));
				if (line && *line)
					sk_web_error(w, "file", line);
				free(line);
				p = q ? q + 1 : NULL;
			}
		}
		import_page(w, status, NULL, name, dry_run, first ? first : msg);
		free(first);
	}
}

void sk_web_asset_import(sk_web_req *w)
{
	const sk_multipart_part *file = sk_multipart_get(&w->mp, "file");
	const sk_multipart_part *dry = sk_multipart_get(&w->mp, "dry_run");
	bool dry_run = dry && !dry->filename && strcmp(dry->data, "1") == 0;
	if (!file || !file->filename || file->len == 0) {
		/* A browser sends the file part empty when none was chosen. */
		const char *m = sk_web_t(w, SK_M_UI_IMPORT_NO_FILE);
		sk_web_error(w, "file", m);
		return import_page(w, 400, NULL, NULL, dry_run, m);
	}
	import_job *j = calloc(1, sizeof(*j));
	if (!j)
		return sk_web_busy(w);
	/* The upload's buffers go with the job (sk_web_off_loop): these pointers stay good. */
	j->data = file->data;
	j->len = file->len;
	j->name = *file->filename ? file->filename : NULL;
	j->dry_run = dry_run;
	sk_web_off_loop(w, import_work, import_answer, j, free);
}

/* The file's bytes at path into *out (malloc'd), *n its length. */
static sk_err read_file(const char *path, char **out, size_t *n, sk_buf *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_WEB_CANNOT_READ_EXPORT,
		                   strerror(errno));
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	sk_err e = mem ? SK_OK : sk_fail(err, SK_ERR_NOMEM, "out of memory");
	char chunk[65536];
	size_t k;
	while (!e && (k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (fwrite(chunk, 1, k, mem) != k)
			e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	if (!e && ferror(fp))
		e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_AUDIT_CANNOT_READ_EXPORT);
	fclose(fp);
	if (mem && fclose(mem) != 0 && !e)
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	if (e) {
		free(buf);
		return e;
	}
	*out = buf;
	*n = len;
	return SK_OK;
}

/* The workbook, made in a private temporary directory and read back. */
static sk_err export_xlsx(sk_ctx *c, const sk_asset_filter *f, char **out, size_t *n, sk_buf *err)
{
	const char *tmp = getenv("TMPDIR");
	char dir[512], path[600];
	snprintf(dir, sizeof(dir), "%s/sekisho-export-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL,
		                   SK_M_WEB_CANNOT_MAKE_TEMPORARY_DIRECTORY, strerror(errno));
	snprintf(path, sizeof(path), "%s/register.xlsx", dir);
	sk_err e = sk_asset_export_xlsx(c, f, path, err);
	if (!e)
		e = read_file(path, out, n, err);
	unlink(path);
	rmdir(dir);
	return e;
}

/* An export handed to a page worker: the filter (pointing into the form, kept with the job). */
typedef struct export_job {
	sk_asset_filter f;
	bool xlsx;
	sk_csv_encoding enc;
	char *buf; /* the file */
	size_t n;
} export_job;

static void export_job_free(void *data)
{
	export_job *j = data;
	free(j->buf);
	free(j);
}

/* On a page worker: the file, made by the functions that record the export. */
static sk_err export_work(sk_ctx *c, void *data, sk_buf *err)
{
	export_job *j = data;
	if (j->xlsx)
		return export_xlsx(c, &j->f, &j->buf, &j->n, err);
	FILE *mem = open_memstream(&j->buf, &j->n);
	sk_err e = mem ? sk_asset_export_csv(c, &j->f, mem, (int)j->enc, true, err)
	               : sk_fail(err, SK_ERR_NOMEM, "out of memory");
	if (mem && fclose(mem) != 0 && !e)
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	return e;
}

/* On the loop: the file as a download. */
static void export_answer(sk_web_req *w, void *data, sk_err e, sk_buf *err)
{
	export_job *j = data;
	if (e)
		return sk_web_fail(w, e, err);
	bool xlsx = j->xlsx;
	/* 情報資産台帳-YYYY-MM-DD.csv (RFC 6266's filename*), assets-YYYY-MM-DD.csv for the rest.
	 */
	time_t t = (time_t)(sk_clock_now() + 9 * 3600); /* the city's day: Japan, UTC+9 */
	struct tm tm;
	char day[16] = "";
	if (gmtime_r(&t, &tm))
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	const char *ext = xlsx ? "xlsx" : "csv";
	char disp[320];
	static const char ja[] = "%E6%83%85%E5%A0%B1%E8%B3%87%E7%94%A3%E5%8F%B0%E5%B8%B3";
	snprintf(disp, sizeof(disp),
	         "attachment; filename=\"assets-%s.%s\"; filename*=UTF-8''%s-%s.%s", day, ext, ja,
	         day, ext);
	sk_web_header(w, H2O_TOKEN_CONTENT_DISPOSITION, disp);
	const char *ctype =
	    xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	    : j->enc == SK_CSV_CP932 ? "text/csv; charset=Shift_JIS"
	                             : "text/csv; charset=utf-8";
	h2o_iovec_t body = h2o_strdup(&w->r->req->pool, j->buf ? j->buf : "", j->n);
	sk_http_reply_text(w->r, 200, ctype, body.base, j->n);
}

void sk_web_asset_export(sk_web_req *w)
{
	static const char *const keys[] = {"q", "unit", "type", "conf", "zone", "status"};
	const char *val[N(keys)];
	for (size_t i = 0; i < N(keys); i++) {
		const char *v = sk_form_get(&w->form, keys[i]);
		val[i] = v && *v ? v : NULL;
	}
	export_job *j = calloc(1, sizeof(*j));
	if (!j)
		return sk_web_busy(w);
	/* An export carries every detail (it is recorded as a whole): nothing withheld. */
	j->f = (sk_asset_filter){.text = val[0],
	                         .unit = val[1],
	                         .type = val[2],
	                         .conf = val[3],
	                         .zone = val[4],
	                         .status = val[5]};
	j->enc = SK_CSV_UTF8_BOM;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_web_export_format(w, &j->xlsx, &j->enc, &err);
	if (e) {
		export_job_free(j);
		sk_web_fail(w, e, &err);
	} else {
		sk_web_off_loop(w, export_work, export_answer, j, export_job_free);
	}
	sk_buf_free(&err);
}
