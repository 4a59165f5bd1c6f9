/*
 * asset_import: importing a register CSV (sk_asset_import): encoding, headings, every row
 * checked, batched inserts, one transaction and one audit entry.
 */
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_clock.h"
#include "../report/csv.h"
#include "../report/xls_read.h"
#include "../report/xlsx_read.h"
#include "asset_int.h"

#define TEXT_MAX SK_ASSET_TEXT_MAX
#define NOTE_MAX SK_ASSET_NOTE_MAX

#define COL_IGNORED (-1)

/*
 * Imports insert BATCH rows per statement: one multi-row INSERT costs the
 * statement overhead (lookup, bind checks, reset) once instead of BATCH
 * times, and an import has no use for per-row ids. Each row's strings are
 * copied out of the parser's scratch, which the next record overwrites.
 */
#define BATCH 32
/* store_pg.c binds at most 64 parameters a statement: 2 rows of 22. */
#define BATCH_PG   (64 / INSERT_PARAMS)
#define BATCH_TEXT (4 * (TEXT_MAX + 1) + NOTE_MAX + 1)

struct batch_row {
	norm n;
	char text[BATCH_TEXT];
};

struct import_ctx {
	actx *cx;
	struct batch_row *batch; /* BATCH rows */
	size_t nbatch, batch_max;
	sk_val *params;           /* BATCH * INSERT_PARAMS */
	sk_buf sql;               /* the statement for a full batch */
	int cols[256];            /* the field of each column, or COL_IGNORED */
	bool given[SK_AF__COUNT]; /* the file has a column for the field */
	size_t ncols;
	bool have_header, xlsx; /* xlsx: a workbook (.xlsx or .xls): rows and lettered columns */
	sk_buf errors;          /* one line per error */
	sk_buf notices;         /* what was skipped */
	sk_buf changes;         /* what was (or, in a dry run, would be) added and changed */
	size_t line;            /* the record being checked */
	int64_t nchanges_listed;
	int64_t row_errors; /* errors of the current row */
	int64_t rows, bad, first_id, last_id, import_id, now;
	int64_t added, changed, unchanged, unnumbered, titles, empties;
	char empty_lines[160];
	struct numset {
		char **slot;
		size_t cap, n;
	} numbers; /* the 管理番号 seen so far in the file */
};

/* Whether set holds s; adds it (a copy) when it does not. -1 when out of memory. */
static int numset_seen(struct numset *set, const char *s)
{
	if (set->n * 2 >= set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 256;
		char **slot = calloc(cap, sizeof(*slot));
		if (!slot)
			return -1;
		for (size_t i = 0; i < set->cap; i++) {
			if (!set->slot[i])
				continue;
			unsigned h = 2166136261u;
			for (const char *q = set->slot[i]; *q; q++)
				h = (h ^ (unsigned char)*q) * 16777619u;
			size_t k = h % cap;
			while (slot[k])
				k = (k + 1) % cap;
			slot[k] = set->slot[i];
		}
		free(set->slot);
		set->slot = slot;
		set->cap = cap;
	}
	unsigned h = 2166136261u;
	for (const char *q = s; *q; q++)
		h = (h ^ (unsigned char)*q) * 16777619u;
	size_t k = h % set->cap;
	for (; set->slot[k]; k = (k + 1) % set->cap)
		if (strcmp(set->slot[k], s) == 0)
			return 1;
	if (!(set->slot[k] = strdup(s)))
		return -1;
	set->n++;
	return 0;
}

static void numset_free(struct numset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
}

/* A 'No.' column (連番): a register's row numbers, which the register itself does not keep. */
static bool is_row_number_heading(const char *h)
{
	char f[32];
	fold_ascii(h, f, sizeof(f));
	static const char *const names[] = {"No.",  "No", "NO.",  "NO",   "no.",  "no",   "No．",
	                                    "NO．", "№",  "番号", "連番", "項番", "通番", "#"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(f, names[i]) == 0)
			return true;
	return false;
}

/* The field a heading names: a key, the Japanese title or an alias; -2 for none. */
static int heading_field(const char *h)
{
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (strcmp(h, af(f)->key) == 0 || strcmp(h, af(f)->ja) == 0 ||
		    in_list(af(f)->aliases, h))
			return f;
	for (int r = 0; r < RO__COUNT; r++)
		if (strcmp(h, ro(r)->key) == 0 || strcmp(h, ro(r)->ja) == 0)
			return COL_IGNORED;
	return -2;
}

/* Trims ASCII and ideographic spaces around a field in place. */
static char *trim(char *p)
{
	for (;;) {
		if (*p == ' ' || *p == '\t')
			p++;
		else if (strncmp(p, "\xe3\x80\x80", 3) == 0)
			p += 3;
		else
			break;
	}
	size_t n = strlen(p);
	for (;;) {
		if (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		else if (n >= 3 && memcmp(p + n - 3, "\xe3\x80\x80", 3) == 0)
			n -= 3;
		else
			break;
	}
	p[n] = '\0';
	return p;
}

/* "A", "B", ... "AA": an Excel column's name, for messages about a workbook. */
static void column_name(size_t col, char out[8])
{
	char tmp[8];
	size_t n = 0;
	for (size_t c = col; c && n < 7; c = (c - 1) / 26)
		tmp[n++] = (char)('A' + (c - 1) % 26);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* "line 5, column 3" for a CSV file, "row 5, column C" for a workbook. */
static void where(const struct import_ctx *ic, size_t line, size_t col, char out[64])
{
	if (!col)
		snprintf(out, 64, "%s %zu", ic->xlsx ? "row" : "line", line);
	else if (ic->xlsx) {
		char cn[8];
		column_name(col, cn);
		snprintf(out, 64, "row %zu, column %s", line, cn);
	} else
		snprintf(out, 64, "line %zu, column %zu", line, col);
}

static void add_error(struct import_ctx *ic, size_t line, size_t col, const char *title,
                      const char *msg)
{
	if (++ic->row_errors == 1)
		ic->bad++;
	if (ic->bad > SK_ASSET_IMPORT_MAX_ERRORS)
		return;
	char w[64];
	where(ic, line, col, w);
	if (title && *title)
		sk_buf_addf(&ic->errors, "%s (%s): %s\n", w, title, msg);
	else
		sk_buf_addf(&ic->errors, "%s: %s\n", w, msg);
}

static bool all_empty(const sk_csv_field *fl, size_t n)
{
	for (size_t c = 0; c < n; c++)
		if (*trim(fl[c].p))
			return false;
	return true;
}

/*
 * The heading line. Lines before it that name no column (a title such as
 * 情報資産台帳（令和6年度）, a date, an empty line) are skipped with a notice;
 * a line that names some columns is the heading line, and each of its
 * unknown headings is an error, all listed at once.
 */
static sk_err header(struct import_ctx *ic, const sk_csv_field *fl, size_t n, size_t line,
                     sk_buf *err)
{
	bool seen[SK_AF__COUNT] = {0};
	if (n > sizeof(ic->cols) / sizeof(ic->cols[0]))
		return sk_fail(err, SK_ERR_INVALID, "line %zu: too many columns (%zu)", line, n);
	size_t known = 0, nonempty = 0;
	for (size_t c = 0; c < n; c++) {
		char *h = trim(fl[c].p);
		if (*h)
			nonempty++;
		if (*h && (heading_field(h) >= 0 || is_row_number_heading(h)))
			known++;
	}
	if (!known && ic->titles < 10) {
		ic->titles++;
		if (nonempty) {
			char w[64];
			where(ic, line, 0, w);
			sk_buf_addf(&ic->notices,
			            "%s: not a heading line, skipped as a title: %s\n", w,
			            fl[0].p[0] ? fl[0].p : "(…)");
		}
		return SK_OK;
	}
	size_t ignored_empty = 0;
	for (size_t c = 0; c < n; c++) {
		char *h = fl[c].p;
		int f;
		if (!*h) {
			f = COL_IGNORED;
			ignored_empty++;
		} else if (is_row_number_heading(h)) {
			f = COL_IGNORED;
			char w[64];
			where(ic, line, c + 1, w);
			sk_buf_addf(&ic->notices, "%s: the '%s' column numbers the rows; ignored\n",
			            w, h);
		} else if ((f = heading_field(h)) == -2) {
			char msg[600];
			snprintf(
			    msg, sizeof(msg),
			    "unknown heading '%s' (see docs/asset-register.md for the columns)", h);
			add_error(ic, line, c + 1, "", msg);
			ic->row_errors = 0;
			continue;
		}
		if (f >= 0 && seen[f]) {
			char msg[600];
			snprintf(msg, sizeof(msg), "heading '%s' repeats column %s", h, af(f)->ja);
			add_error(ic, line, c + 1, "", msg);
			ic->row_errors = 0;
			continue;
		}
		if (f >= 0)
			seen[f] = true;
		ic->cols[c] = f;
	}
	if (ignored_empty) {
		char w[64];
		where(ic, line, 0, w);
		sk_buf_addf(&ic->notices, "%s: %zu column(s) without a heading; ignored\n", w,
		            ignored_empty);
	}
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (af_required(f) && !seen[f]) {
			char msg[200];
			snprintf(msg, sizeof(msg), "the required column %s (%s) is missing",
			         af(f)->ja, af(f)->key);
			add_error(ic, line, 0, "", msg);
			ic->row_errors = 0;
		}
	memcpy(ic->given, seen, sizeof(seen));
	ic->ncols = n;
	ic->have_header = true;
	if (ic->bad) /* a heading line that cannot be read: its errors are all there is to say */
		return sk_fail(err, SK_ERR_INVALID, "the heading line is not usable");
	return SK_OK;
}

static size_t column_of(const struct import_ctx *ic, sk_asset_field f)
{
	for (size_t c = 0; c < ic->ncols; c++)
		if (ic->cols[c] == (int)f)
			return c + 1;
	return 0;
}

/* asset_normalize's report of a bad field (actx.on_bad): one error line each. */
static void field_bad(void *ctx, sk_asset_field f, const char *msg)
{
	struct import_ctx *ic = ctx;
	add_error(ic, ic->line, column_of(ic, f), af(f)->ja, msg);
}

static void note_change(struct import_ctx *ic, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note_change(struct import_ctx *ic, const char *fmt, ...)
{
	if (ic->nchanges_listed++ >= SK_ASSET_IMPORT_MAX_CHANGES)
		return;
	va_list ap;
	va_start(ap, fmt);
	char line[800];
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	sk_buf_addf(&ic->changes, "%s\n", line);
}

/* Appends the SQL of a k-row insert to out. */
static sk_err batch_sql(size_t k, sk_buf *out)
{
	sk_err e = sk_buf_adds(out, INSERT_HEAD);
	for (size_t i = 0; !e && i < k; i++)
		e = sk_buf_adds(out, i ? ", " INSERT_ROW : INSERT_ROW);
	return e;
}

static sk_err flush(struct import_ctx *ic, sk_buf *err)
{
	size_t k = ic->nbatch;
	if (!k)
		return SK_OK;
	ic->nbatch = 0;
	for (size_t i = 0; i < k; i++)
		bind_norm(&ic->batch[i].n, ic->import_id, ic->now, ic->params + i * INSERT_PARAMS);
	if (k == ic->batch_max) {
		if (!ic->sql.len && batch_sql(k, &ic->sql))
			return sk_fail(err, SK_ERR_NOMEM, "out of memory");
		return sk_store_exec(ic->cx->s, ic->sql.data, ic->params, k * INSERT_PARAMS, NULL,
		                     err);
	}
	sk_buf tail = SK_BUF_INIT(1u << 16);
	sk_err e = batch_sql(k, &tail) ? sk_fail(err, SK_ERR_NOMEM, "out of memory")
	                               : sk_store_exec(ic->cx->s, tail.data, ic->params,
	                                               k * INSERT_PARAMS, NULL, err);
	sk_buf_free(&tail);
	return e;
}

/* The keys of the fields whose values differ between two images of an asset: "location, note". */
static void changed_keys(json_t *before, json_t *after, char *out, size_t max)
{
	const char *key;
	json_t *av;
	size_t o = 0;
	out[0] = '\0';
	json_object_foreach (after, key, av) {
		if (strcmp(key, "updated_at") == 0)
			continue;
		json_t *bv = json_object_get(before, key);
		if (bv && json_equal(bv, av))
			continue;
		if (o < max)
			o += (size_t)snprintf(out + o, max - o, "%s%s", o ? ", " : "", key);
	}
}

/*
 * A row whose 管理番号 is an asset's already: its columns are written over
 * the asset (the columns the file lacks keep their values), or nothing
 * happens when they hold what the asset holds.
 */
static sk_err update_row(struct import_ctx *ic, int64_t id, const sk_asset_input *row, sk_buf *err)
{
	actx *cx = ic->cx;
	struct one_asset before = {0};
	sk_buf msg = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = asset_load(cx, id, true, WANT_JSON | WANT_INPUT, &before, &msg);
	size_t ncol = column_of(ic, SK_AF_NUMBER);
	if (e == SK_ERR_NOT_FOUND) {
		add_error(ic, ic->line, ncol, af(SK_AF_NUMBER)->ja,
		          "this 管理番号 is the number of an asset you may not change");
		e = SK_OK;
		goto out;
	}
	if (e) {
		e = sk_fail(err, e, "%s", msg.data);
		goto out;
	}
	sk_asset_input merged = before.as_input;
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (ic->given[f])
			merged.v[f] = row->v[f] ? row->v[f] : "";
	norm nm;
	sk_asset_field bad;
	e = asset_normalize(cx, &merged, &nm, &bad, &msg);
	if (e == SK_ERR_INVALID) {
		e = SK_OK;
		goto out;
	}
	if (e) {
		e = sk_fail(err, e, "%s", msg.data);
		goto out;
	}
	bool ok;
	if ((e = may_access(cx, nm.unit_id, true, &ok, err)))
		goto out;
	if (!ok) {
		add_error(ic, ic->line, column_of(ic, SK_AF_UNIT), af(SK_AF_UNIT)->ja,
		          "no right to move assets to this unit");
		goto out;
	}
	if (ic->bad)
		goto out; /* the import fails anyway: keep checking, stop writing */
	bool changed = false;
	struct one_asset now = {0};
	e = asset_write_update(cx, id, &nm, before.j, &changed, err);
	if (!e && changed && before.disposed) {
		add_error(ic, ic->line, ncol, af(SK_AF_NUMBER)->ja,
		          "the asset with this 管理番号 is disposed and cannot change");
		goto out;
	}
	if (!e && changed)
		e = asset_load(cx, id, false, WANT_JSON, &now, err);
	if (e)
		goto out;
	if (changed) {
		char keys[400];
		changed_keys(before.j, now.j, keys, sizeof(keys));
		ic->changed++;
		note_change(ic, "%s %zu: change asset %lld (管理番号 %s): %s",
		            ic->xlsx ? "row" : "line", ic->line, (long long)id, nm.number, keys);
	} else
		ic->unchanged++;
	asset_one_free(&now);
out:
	asset_one_free(&before);
	sk_buf_free(&msg);
	return e;
}

static sk_err import_record(void *ctx, const sk_csv_field *fl, size_t n, size_t line, sk_buf *err)
{
	struct import_ctx *ic = ctx;
	ic->line = line;
	ic->row_errors = 0;
	if (!ic->have_header)
		return header(ic, fl, n, line, err);
	/* Excel writes the empty cells of a row out to the register's last column: ",,,,". */
	if (all_empty(fl, n)) {
		ic->empties++;
		size_t o = strlen(ic->empty_lines);
		if (o < sizeof(ic->empty_lines) - 24)
			snprintf(ic->empty_lines + o, sizeof(ic->empty_lines) - o, "%s%zu",
			         o ? ", " : "", line);
		else if (o < sizeof(ic->empty_lines) - 1)
			snprintf(ic->empty_lines + o, sizeof(ic->empty_lines) - o, ", …");
		return SK_OK;
	}
	ic->rows++;
	sk_asset_input in = {{0}};
	for (size_t c = 0; c < n; c++) {
		char *v = fl[c].p;
		if (sk_csv_is_guarded(v, fl[c].n))
			v++;
		v = trim(v);
		if (c >= ic->ncols) {
			if (*v) {
				char msg[128];
				snprintf(
				    msg, sizeof(msg),
				    "a value beyond the last heading (the heading line has %zu "
				    "columns)",
				    ic->ncols);
				add_error(ic, line, c + 1, "", msg);
			}
			continue;
		}
		if (ic->cols[c] >= 0)
			in.v[ic->cols[c]] = v;
	}
	/* A short row (Excel leaves out empty cells at a row's end): the missing cells are empty.
	 */
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (ic->given[f] && !in.v[f])
			in.v[f] = "";
	norm nm;
	sk_asset_field bad;
	sk_buf msg = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = asset_normalize(ic->cx, &in, &nm, &bad, &msg);
	if (e && e != SK_ERR_INVALID) {
		e = sk_fail(err, e, "line %zu: %s", line, msg.data);
		sk_buf_free(&msg);
		return e;
	}
	sk_buf_free(&msg);
	if (nm.number) {
		int seen = numset_seen(&ic->numbers, nm.number);
		if (seen < 0)
			return sk_fail(err, SK_ERR_NOMEM, "out of memory");
		if (seen) {
			add_error(ic, line, column_of(ic, SK_AF_NUMBER), af(SK_AF_NUMBER)->ja,
			          "this 管理番号 is given to an earlier row of the file too");
			return SK_OK;
		}
		int64_t owner;
		if ((e = asset_number_owner(ic->cx, nm.number, &owner, err)))
			return e;
		if (owner && !e)
			return update_row(ic, owner, &in, err);
	}
	if (e) /* the row's errors are listed */
		return SK_OK;
	bool ok;
	if ((e = may_access(ic->cx, nm.unit_id, true, &ok, err)))
		return e;
	if (!ok) {
		add_error(ic, line, column_of(ic, SK_AF_UNIT), af(SK_AF_UNIT)->ja,
		          "no right to add assets to this unit");
		return SK_OK;
	}
	ic->added++;
	if (!nm.number)
		ic->unnumbered++;
	if (nm.number)
		note_change(ic, "%s %zu: add 管理番号 %s: %s", ic->xlsx ? "row" : "line", line,
		            nm.number, nm.name);
	else
		note_change(ic, "%s %zu: add %s", ic->xlsx ? "row" : "line", line, nm.name);
	if (ic->bad) /* the import fails anyway: keep checking, stop writing */
		return SK_OK;
	struct batch_row *b = &ic->batch[ic->nbatch++];
	b->n = nm;
	if (nm.number)
		b->n.number = b->n.numbuf;
	/* Copy the strings that point into the record into the row's own text. */
	const char **strs[] = {&b->n.name, &b->n.location, &b->n.disposal_method, &b->n.manager,
	                       &b->n.note};
	size_t off = 0;
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		size_t sl = strlen(*strs[i]);
		memcpy(b->text + off, *strs[i], sl + 1);
		*strs[i] = b->text + off;
		off += sl + 1;
	}
	return ic->nbatch == ic->batch_max ? flush(ic, err) : SK_OK;
}

static sk_err take_range(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct import_ctx *ic = ctx;
	ic->first_id = sk_row_int(row, 0);
	ic->last_id = sk_row_int(row, 1);
	return SK_OK;
}

static void sha256_hex(const char *p, size_t n, char out[65])
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hl = 0;
	EVP_Digest(p, n, h, &hl, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32 && i < hl; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static sk_err take_prior(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	*(int64_t *)ctx = sk_row_int(row, 0);
	return SK_OK;
}

static void copy_out(char *dst, size_t max, sk_buf *b)
{
	size_t n = b->len < max - 1 ? b->len : max - 1;
	if (n && b->data)
		memcpy(dst, b->data, n);
	dst[n] = '\0';
}

sk_err sk_asset_import(sk_ctx *c, const char *data, size_t len, const char *file_name,
                       unsigned flags, sk_asset_import_result *res, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	memset(res, 0, sizeof(*res));
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct import_ctx ic = {.cx = &cx, .now = sk_clock_now()};
	cx.on_bad = field_bad;
	cx.on_bad_ctx = &ic;
	sk_buf_init(&ic.errors, SK_BUF_DEFAULT_MAX);
	sk_buf_init(&ic.notices, sizeof(res->notices));
	sk_buf_init(&ic.changes, sizeof(res->changes));
	sk_buf_init(&ic.sql, 1u << 16);
	ic.batch_max = strcmp(sk_store_backend(s), "postgresql") == 0 ? BATCH_PG : BATCH;
	ic.batch = malloc(BATCH * sizeof(*ic.batch));
	ic.params = malloc(BATCH * INSERT_PARAMS * sizeof(*ic.params));
	char *owned = NULL;
	const char *text = NULL;
	size_t tlen = 0;
	sk_csv_encoding enc = SK_CSV_UTF8;
	sha256_hex(data, len, res->sha256);
	bool xls = sk_xls_read_is_workbook(data, len);
	ic.xlsx = xls || sk_xlsx_read_is_workbook(data, len);
	sk_err e = (ic.batch && ic.params) ? SK_OK : sk_fail(err, SK_ERR_NOMEM, "out of memory");
	if (!e && !ic.xlsx)
		e = sk_csv_decode_auto(data, len, &enc, &text, &tlen, &owned, err);
	res->encoding = xls ? "xls" : ic.xlsx ? "xlsx" : sk_csv_encoding_name(enc);
	if (e)
		goto out;
	if (!file_name || asset_check_text(file_name, true, TEXT_MAX, false, NULL))
		file_name = "(unnamed)";
	/* sk_csv_decode validated (or produced) the whole text; the workbook reader its cells. */
	cx.utf8_known = true;
	if ((e = sk_store_begin(s, err)))
		goto out;
	sk_val p[] = {sk_vtext(actor->login), sk_vtext(file_name), sk_vtext(res->sha256),
	              sk_vtext(res->encoding), SK_VINT(ic.now)};
	e = sk_store_query_int(s,
	                       "INSERT INTO asset_import(actor, file_name, file_sha256, encoding, "
	                       "rows, created_at) VALUES (?, ?, ?, ?, 0, ?) RETURNING id",
	                       p, 5, &ic.import_id, err);
	if (!e && ic.xlsx) {
		sk_xlsx_read_limits lim = SK_XLSX_READ_LIMITS_DEFAULT;
		lim.max_columns = 256;
		lim.max_cell_bytes = NOTE_MAX + 1;
		e = xls ? sk_xls_read(data, len, &lim, import_record, &ic, err)
		        : sk_xlsx_read(data, len, &lim, import_record, &ic, err);
	} else if (!e) {
		sk_csv_limits lim = {.max_fields = 256, .max_field_bytes = NOTE_MAX + 1};
		e = sk_csv_parse(text, tlen, &lim, import_record, &ic, err);
	}
	if (e == SK_ERR_INVALID && ic.bad) /* the heading line's errors say it all */
		e = SK_OK;
	if (!e && !ic.bad)
		e = flush(&ic, err);
	if (!e && !ic.have_header && !ic.bad)
		e = sk_fail(err, SK_ERR_INVALID, "the file is empty: no heading line");
	if (!e && ic.bad) {
		if (ic.bad > SK_ASSET_IMPORT_MAX_ERRORS)
			sk_buf_addf(&ic.errors, "... and %lld more bad rows\n",
			            (long long)(ic.bad - SK_ASSET_IMPORT_MAX_ERRORS));
		if (ic.errors.len) /* no newline after the last line */
			ic.errors.data[--ic.errors.len] = '\0';
		/* The summary first: a caller's small buffer keeps it and cuts the list. */
		e = ic.have_header && ic.rows
		        ? sk_fail(err, SK_ERR_INVALID,
		                  "%lld of %lld rows are bad; nothing was imported:\n%s",
		                  (long long)ic.bad, (long long)ic.rows, ic.errors.data)
		        : sk_fail(err, SK_ERR_INVALID,
		                  "the heading line is not usable; nothing was imported:\n%s",
		                  ic.errors.data);
	}
	if (!e && !ic.rows)
		e = sk_fail(err, SK_ERR_INVALID, "the file holds a heading line but no assets");
	if (!e && ic.unnumbered) {
		/* Rows without a 管理番号 cannot be told apart from ones imported before. */
		int64_t prior = 0;
		sk_val q[] = {sk_vtext(res->sha256), SK_VINT(ic.import_id)};
		e = sk_store_query(s,
		                   "SELECT id FROM asset_import WHERE file_sha256 = ? AND id <> ? "
		                   "ORDER BY id LIMIT 1",
		                   q, 2, take_prior, &prior, err);
		if (!e && prior)
			e = sk_fail(
			    err, SK_ERR_CONFLICT,
			    "this file was imported already (import %lld) and %lld of its rows "
			    "have no 管理番号: importing it again would add them twice; give the "
			    "rows a 管理番号 column, which makes a re-import update them",
			    (long long)prior, (long long)ic.unnumbered);
	}
	if (!e && ic.added) {
		sk_val q[] = {SK_VINT(ic.import_id)};
		e = sk_store_query(s, "SELECT MIN(id), MAX(id) FROM assets WHERE import_id = ?", q,
		                   1, take_range, &ic, err);
	}
	if (!e) {
		sk_val q[] = {SK_VINT(ic.rows), SK_VINT(ic.import_id)};
		e = sk_store_exec(s, "UPDATE asset_import SET rows = ? WHERE id = ?", q, 2, NULL,
		                  err);
	}
	if (!e) {
		char obj[48];
		snprintf(obj, sizeof(obj), "asset_import:%lld", (long long)ic.import_id);
		json_t *after = json_pack(
		    "{ss ss ss sI sI sI sI sI sI sI}", "file", file_name, "sha256", res->sha256,
		    "encoding", res->encoding, "rows", (json_int_t)ic.rows, "added",
		    (json_int_t)ic.added, "changed", (json_int_t)ic.changed, "unchanged",
		    (json_int_t)ic.unchanged, "first_id", (json_int_t)ic.first_id, "last_id",
		    (json_int_t)ic.last_id, "import_id", (json_int_t)ic.import_id);
		e = after ? asset_audit(&cx, "asset.import", obj, NULL, after, err)
		          : sk_fail(err, SK_ERR_NOMEM, "out of memory");
		json_decref(after);
	}
	/* A dry run, and a re-import that changes nothing, leave nothing behind. */
	if (e || (flags & SK_ASSET_IMPORT_DRY_RUN) || (!ic.added && !ic.changed))
		sk_store_rollback(s);
	else
		e = sk_store_commit(s, err);
	res->rows = ic.rows;
	res->bad_rows = ic.bad;
	res->added = ic.added;
	res->changed = ic.changed;
	res->unchanged = ic.unchanged;
	res->skipped = ic.empties;
	if (!e && !(flags & SK_ASSET_IMPORT_DRY_RUN) && (ic.added || ic.changed))
		res->import_id = ic.import_id;
out:
	if (ic.empties)
		sk_buf_addf(&ic.notices, "%lld empty row(s) skipped: %s %s\n",
		            (long long)ic.empties, ic.xlsx ? "rows" : "lines", ic.empty_lines);
	if (ic.nchanges_listed > SK_ASSET_IMPORT_MAX_CHANGES)
		sk_buf_addf(&ic.changes, "... and %lld more\n",
		            (long long)(ic.nchanges_listed - SK_ASSET_IMPORT_MAX_CHANGES));
	copy_out(res->notices, sizeof(res->notices), &ic.notices);
	copy_out(res->changes, sizeof(res->changes), &ic.changes);
	free(owned);
	free(ic.batch);
	free(ic.params);
	numset_free(&ic.numbers);
	sk_buf_free(&ic.sql);
	sk_buf_free(&ic.errors);
	sk_buf_free(&ic.notices);
	sk_buf_free(&ic.changes);
	asset_actx_free(&cx);
	return e;
}
