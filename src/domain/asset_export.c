/*
 * asset_export: exporting the register as CSV (sk_asset_export_csv) and as an Excel 情報資産台帳
 * (sk_asset_export_xlsx), each recorded once in the audit log.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/sk_msg.h"
#include "../report/csv.h"
#include "../report/wareki.h"
#include "../report/xlsx.h"
#include "asset_int.h"

#define EXPORT_COLS (1 + SK_AF__COUNT + RO__COUNT - 1)

/* Where the columns an .xlsx export writes as numbers are (export_values' order). */
enum {
	X_NUMBER,
	X_ID,
	X_UNIT,
	X_TYPE,
	X_NAME,
	X_QUANTITY,
	X_LOCATION,
	X_BACKUP,
	X_DISPOSAL,
	X_CONF,
	X_INTEG,
	X_AVAIL,
	X_MANAGER,
	X_ZONE,
	X_PERSONAL,
	X_MYNUMBER,
	X_RECOVERY,
	X_ACQUIRED,
	X_NOTE,
	X_LABEL,
	X_STATUS,
	X_DISPOSED_ON
};

/*
 * The export row: 管理番号 (the city's number), 登録番号 (sekisho's), the
 * other writable fields, then the read-only ones. A Japanese export names
 * the owning unit as people do, by its name (an import takes names); the
 * keyed one by its code, which is stable.
 */
static void export_values(const sk_asset *a, bool japanese, char nbuf[3][24],
                          const char *out[EXPORT_COLS])
{
	snprintf(nbuf[0], 24, "%lld", (long long)a->id);
	snprintf(nbuf[1], 24, "%lld", (long long)a->quantity);
	nbuf[2][0] = '\0';
	if (a->recovery_hours >= 0)
		snprintf(nbuf[2], 24, "%lld", (long long)a->recovery_hours);
	const char *yes = japanese ? "あり" : "yes", *no = japanese ? "なし" : "no";
	size_t i = 0;
	out[i++] = a->asset_number ? a->asset_number : "";
	out[i++] = nbuf[0];
	out[i++] = japanese ? a->unit_name : a->unit_code;
	out[i++] = japanese ? asset_word_ja(asset_types, NTYPES, a->type) : a->type;
	out[i++] = a->name;
	out[i++] = nbuf[1];
	out[i++] = a->location;
	out[i++] = a->backup ? yes : no;
	out[i++] = a->disposal_method;
	out[i++] = a->conf;
	out[i++] = a->integ;
	out[i++] = a->avail;
	out[i++] = a->manager;
	out[i++] = japanese ? asset_word_ja(asset_zones, NZONES, a->zone) : a->zone;
	out[i++] = a->personal ? yes : no;
	out[i++] = a->mynumber ? yes : no;
	out[i++] = nbuf[2];
	out[i++] = a->acquired_on ? a->acquired_on : "";
	out[i++] = a->note;
	out[i++] = a->label;
	out[i++] = japanese ? (strcmp(a->status, "active") == 0 ? "使用中" : "廃棄済") : a->status;
	out[i++] = a->disposed_on ? a->disposed_on : "";
	out[i++] = a->disposal_operator ? a->disposal_operator : "";
	out[i++] = a->disposal_record ? a->disposal_record : "";
}

static void export_headings(bool japanese, const char *out[EXPORT_COLS])
{
	size_t i = 0;
	out[i++] = japanese ? af(SK_AF_NUMBER)->ja : af(SK_AF_NUMBER)->key;
	out[i++] = japanese ? ro(RO_ID)->ja : ro(RO_ID)->key;
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (f != SK_AF_NUMBER)
			out[i++] = japanese ? af(f)->ja : af(f)->key;
	for (int r = RO_LABEL; r < RO__COUNT; r++)
		out[i++] = japanese ? ro(r)->ja : ro(r)->key;
}

/*
 * Appends "asset.export" before an export hands anything out: an export
 * carries every detail of every asset it lists, 機密性3 ones included, so it
 * is recorded once as a whole (what was asked for, by whom) rather than as a
 * read of each asset.
 */
static sk_err record_export(sk_ctx *c, const char *format, const sk_asset_filter *f, sk_buf *err)
{
	sk_store *s = c->store;
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	json_t *after =
	    json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:I}", "format", format, "unit",
	              f->unit, "type", f->type, "conf", f->conf, "zone", f->zone, "text", f->text,
	              "status", f->status ? f->status : "active", "limit", (json_int_t)f->limit);
	sk_err e = after ? sk_store_begin(s, err)
	                 : sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if (!e) {
		e = asset_audit(&cx, "asset.export", "assets", NULL, after, err);
		e = sk_store_end(s, e, err);
	}
	json_decref(after);
	asset_actx_free(&cx);
	return e;
}

struct csv_out {
	sk_csv_writer *w;
	bool japanese;
};

static sk_err csv_row(void *ctx, const sk_asset *a, sk_buf *err)
{
	struct csv_out *co = ctx;
	char nbuf[3][24];
	const char *vals[EXPORT_COLS];
	export_values(a, co->japanese, nbuf, vals);
	sk_err e = sk_csv_write_record(co->w, vals, EXPORT_COLS, err);
	if (e == SK_ERR_INVALID) {
		sk_fail_wrap(err, e, NULL, NULL, SK_M_EXPORT_ASSET, (long long)a->id);
	}
	return e;
}

sk_err sk_asset_export_csv(sk_ctx *c, const sk_asset_filter *f, FILE *out, int enc, bool japanese,
                           sk_buf *err)
{
	if (enc < SK_CSV_UTF8 || enc > SK_CSV_CP932)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_EXPORT_ENCODING);
	/*
	 * The file is made in memory first: an export that fails (a character
	 * CP932 cannot hold) hands out nothing and so records nothing; one that
	 * is complete is recorded before its first byte goes out.
	 */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	struct csv_out co = {NULL, japanese};
	sk_err e = sk_csv_writer_new(mem, (sk_csv_encoding)enc, &co.w, err);
	if (!e) {
		const char *heads[EXPORT_COLS];
		export_headings(japanese, heads);
		e = sk_csv_write_record(co.w, heads, EXPORT_COLS, err);
		if (!e)
			e = sk_asset_list(c, f, csv_row, &co, err);
		if (!e)
			e = sk_csv_writer_finish(co.w, err);
		sk_csv_writer_free(co.w);
	}
	if (fclose(mem) != 0 && !e)
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if (!e)
		e = record_export(c, "csv", f, err);
	if (!e && len && fwrite(buf, 1, len, out) != len)
		e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_EXPORT_WRITE, strerror(errno));
	free(buf);
	return e;
}

/* Column widths of the Excel register, in characters, in export order. */
static const double xlsx_widths[EXPORT_COLS] = {
    12, 8, 16, 14, 30, 8, 18, 10, 20, 7, 7, 7, 14, 18, 8, 10, 10, 12, 24, 26, 8, 12, 12, 24,
};

/* A level as a number cell when its name is a number ("3"), so that the register sorts. */
static sk_xlsx_cell level_cell(const char *name)
{
	size_t n = strlen(name);
	if (n && n <= 9 && strspn(name, "0123456789") == n)
		return (sk_xlsx_cell){SK_XLSX_NUMBER, NULL, (double)strtol(name, NULL, 10)};
	return (sk_xlsx_cell){SK_XLSX_TEXT, name, 0};
}

static sk_err xlsx_row(void *ctx, const sk_asset *a, sk_buf *err)
{
	sk_xlsx *x = ctx;
	char nbuf[3][24];
	const char *vals[EXPORT_COLS];
	export_values(a, true, nbuf, vals);
	sk_xlsx_cell cells[EXPORT_COLS];
	for (size_t i = 0; i < EXPORT_COLS; i++)
		cells[i] = (sk_xlsx_cell){SK_XLSX_TEXT, vals[i], 0};
	/* Numbers and dates as Excel values, so that the ledger sorts and sums. */
	cells[X_ID] = (sk_xlsx_cell){SK_XLSX_NUMBER, NULL, (double)a->id};
	cells[X_QUANTITY] = (sk_xlsx_cell){SK_XLSX_NUMBER, NULL, (double)a->quantity};
	cells[X_CONF] = level_cell(a->conf);
	cells[X_INTEG] = level_cell(a->integ);
	cells[X_AVAIL] = level_cell(a->avail);
	if (a->recovery_hours >= 0)
		cells[X_RECOVERY] = (sk_xlsx_cell){SK_XLSX_NUMBER, NULL, (double)a->recovery_hours};
	if (a->acquired_on)
		cells[X_ACQUIRED] = (sk_xlsx_cell){SK_XLSX_DATE, a->acquired_on, 0};
	if (a->disposed_on)
		cells[X_DISPOSED_ON] = (sk_xlsx_cell){SK_XLSX_DATE, a->disposed_on, 0};
	return sk_xlsx_row(x, cells, EXPORT_COLS, err);
}

sk_err sk_asset_export_xlsx(sk_ctx *c, const sk_asset_filter *f, const char *path, sk_buf *err)
{
	sk_buf tmp = SK_BUF_INIT(4096);
	if (sk_buf_addf(&tmp, "%s.tmp-%ld", path, (long)getpid()))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_EXPORT_PATH_LONG);
	/* Claim the temporary name first: a bad directory is a clear error before any work. */
	FILE *probe = fopen(tmp.data, "wx");
	if (!probe) {
		sk_err pe = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_FILE_CREATE, tmp.data,
		                        strerror(errno));
		sk_buf_free(&tmp);
		return pe;
	}
	fclose(probe);
	sk_xlsx *x = NULL;
	sk_err e = sk_xlsx_open(tmp.data, "情報資産台帳", &x, err);
	if (e) {
		unlink(tmp.data);
		sk_buf_free(&tmp);
		return e;
	}
	const char *heads[EXPORT_COLS];
	export_headings(true, heads);
	char today[11], sub[160];
	sk_date d = asset_today_jst();
	sk_date_format_iso(d, today);
	sk_buf wa = SK_BUF_INIT(64);
	sk_date_format_wareki(d, &wa);
	snprintf(sub, sizeof(sub), "出力日: %s（%s）", wa.data, today);
	sk_buf_free(&wa);
	/* 「八王子市 情報資産台帳」: the city's name, from the profile in force, when there is one.
	 */
	const sk_policy *pol = NULL;
	const char *city = !sk_ctx_policy(c, &pol, NULL) && pol ? sk_policy_city_name(pol) : NULL;
	char title[256];
	sk_buf wt = SK_BUF_INIT(64);
	sk_date_format_wareki(d, &wt);
	snprintf(title, sizeof(title), "%s%s情報資産台帳（%s現在）", city ? city : "",
	         city ? " " : "", wt.data ? wt.data : today);
	sk_buf_free(&wt);
	e = sk_xlsx_title(x, title, sub, EXPORT_COLS, err);
	if (!e)
		e = sk_xlsx_header(x, heads, xlsx_widths, EXPORT_COLS, err);
	if (!e)
		e = sk_asset_list(c, f, xlsx_row, x, err);
	sk_err ce = sk_xlsx_close(x, e ? NULL : err);
	if (!e)
		e = ce;
	if (!e)
		e = record_export(c, "xlsx", f, err);
	if (!e && rename(tmp.data, path) != 0)
		e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_FILE_WRITE, path, strerror(errno));
	if (e)
		unlink(tmp.data);
	sk_buf_free(&tmp);
	return e;
}
