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
#include "../core/sk_msg.h"
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
	sk_buf errors;          /* one line per error, in English */
	sk_buf errors_ja;       /* the same lines in Japanese */
	sk_lang lang;           /* the reader's: notices and changes are written in it */
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
		    sk_vocab_in_aliases(af(f)->aliases, h))
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

/* "line 5, column 3" for a CSV file, "row 5, column C" for a workbook, in l. */
static void where(const struct import_ctx *ic, sk_lang l, size_t line, size_t col, char out[64])
{
	sk_buf b = SK_BUF_INIT(63);
	if (!col)
		sk_msg_addf(&b, l, ic->xlsx ? SK_M_IMPORT_AT_ROW : SK_M_IMPORT_AT_LINE, line);
	else if (ic->xlsx) {
		char cn[8];
		column_name(col, cn);
		sk_msg_addf(&b, l, SK_M_IMPORT_AT_ROW_COL, line, cn);
	} else
		sk_msg_addf(&b, l, SK_M_IMPORT_AT_LINE_COL, line, col);
	snprintf(out, 64, "%s", b.data);
	sk_buf_free(&b);
}

/* One line of ic->errors and ic->errors_ja: where, the column's title, and msg in each language. */
static void add_error(struct import_ctx *ic, size_t line, size_t col, const char *title,
                      const char *msg_en, const char *msg_ja)
{
	if (++ic->row_errors == 1)
		ic->bad++;
	if (ic->bad > SK_ASSET_IMPORT_MAX_ERRORS)
		return;
	char w[64];
	where(ic, SK_LANG_EN, line, col, w);
	if (title && *title)
		sk_msg_addf(&ic->errors, SK_LANG_EN, SK_M_IMPORT_ERROR_TITLED, w, title, msg_en);
	else
		sk_msg_addf(&ic->errors, SK_LANG_EN, SK_M_IMPORT_ERROR, w, msg_en);
	where(ic, SK_LANG_JA, line, col, w);
	if (title && *title)
		sk_msg_addf(&ic->errors_ja, SK_LANG_JA, SK_M_IMPORT_ERROR_TITLED, w, title, msg_ja);
	else
		sk_msg_addf(&ic->errors_ja, SK_LANG_JA, SK_M_IMPORT_ERROR, w, msg_ja);
}

/* add_error with the catalog's message id, its arguments the same in both languages. */
static void add_error_msg(struct import_ctx *ic, size_t line, size_t col, const char *title,
                          sk_msg_id id, ...)
{
	sk_buf en = SK_BUF_INIT(SK_BUF_MSG_MAX), ja = SK_BUF_INIT(SK_BUF_MSG_MAX);
	va_list ap, ap2;
	va_start(ap, id);
	va_copy(ap2, ap);
	(void)sk_buf_vaddf(&en, sk_msg_format(id, SK_LANG_EN), ap);
	(void)sk_buf_vaddf(&ja, sk_msg_format(id, SK_LANG_JA), ap2);
	va_end(ap2);
	va_end(ap);
	add_error(ic, line, col, title, en.data, ja.data);
	sk_buf_free(&en);
	sk_buf_free(&ja);
}

/* A notice in the reader's language: where it is about, then id's message, which takes it first. */
static void add_notice(struct import_ctx *ic, size_t line, size_t col, sk_msg_id id,
                       const char *arg, size_t n)
{
	char w[64];
	where(ic, ic->lang, line, col, w);
	if (arg)
		sk_msg_addf(&ic->notices, ic->lang, id, w, arg);
	else
		sk_msg_addf(&ic->notices, ic->lang, id, w, n);
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
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_IMPORT_TOO_MANY_COLUMNS,
		                   line, n);
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
		if (nonempty)
			add_notice(ic, line, 0, SK_M_IMPORT_TITLE_SKIPPED,
			           fl[0].p[0] ? fl[0].p : "(…)", 0);
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
			add_notice(ic, line, c + 1, SK_M_IMPORT_ROW_NUMBERS, h, 0);
		} else if ((f = heading_field(h)) == -2) {
			add_error_msg(ic, line, c + 1, "", SK_M_IMPORT_HEADING_UNKNOWN, h);
			ic->row_errors = 0;
			continue;
		}
		if (f >= 0 && seen[f]) {
			add_error_msg(ic, line, c + 1, "", SK_M_IMPORT_HEADING_REPEATS, h,
			              af(f)->ja);
			ic->row_errors = 0;
			continue;
		}
		if (f >= 0)
			seen[f] = true;
		ic->cols[c] = f;
	}
	if (ignored_empty)
		add_notice(ic, line, 0, SK_M_IMPORT_EMPTY_HEADINGS, NULL, ignored_empty);
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (af_required(f) && !seen[f]) {
			add_error_msg(ic, line, 0, "", SK_M_IMPORT_COLUMN_MISSING, af(f)->ja,
			              af(f)->key);
			ic->row_errors = 0;
		}
	memcpy(ic->given, seen, sizeof(seen));
	ic->ncols = n;
	ic->have_header = true;
	if (ic->bad) /* a heading line that cannot be read: its errors are all there is to say */
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_IMPORT_HEADING_UNUSABLE);
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
static void field_bad(void *ctx, sk_asset_field f, const sk_buf *msg)
{
	struct import_ctx *ic = ctx;
	add_error(ic, ic->line, column_of(ic, f), af(f)->ja, msg->data,
	          msg->ja ? msg->ja : msg->data);
}

/*
 * One line of ic->changes in the reader's language: the message id, whose
 * first argument is where (the current row) and the others a, b, c (NULL
 * for none) or the asset's id.
 */
static void note_change(struct import_ctx *ic, sk_msg_id id, int64_t asset, const char *a,
                        const char *b, const char *c)
{
	if (ic->nchanges_listed++ >= SK_ASSET_IMPORT_MAX_CHANGES)
		return;
	char w[64];
	where(ic, ic->lang, ic->line, 0, w);
	sk_buf line = SK_BUF_INIT(800);
	if (id == SK_M_IMPORT_CHANGE)
		sk_msg_addf(&line, ic->lang, id, w, (long long)asset, a, b);
	else if (c)
		sk_msg_addf(&line, ic->lang, id, w, a, c);
	else
		sk_msg_addf(&line, ic->lang, id, w, a);
	sk_buf_addf(&ic->changes, "%s\n", line.data);
	sk_buf_free(&line);
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
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		return sk_store_exec(ic->cx->s, ic->sql.data, ic->params, k * INSERT_PARAMS, NULL,
		                     err);
	}
	sk_buf tail = SK_BUF_INIT(1u << 16);
	sk_err e =
	    batch_sql(k, &tail)
	        ? sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM)
	        : sk_store_exec(ic->cx->s, tail.data, ic->params, k * INSERT_PARAMS, NULL, err);
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
/*
 * A row that failed for a reason other than its values (the store, memory):
 * the whole import fails, its message (msg) prefixed with the row's line.
 */
static sk_err row_failed(sk_buf *msg, sk_err e, size_t line, sk_buf *err)
{
	e = sk_fail_wrap(msg, e, NULL, NULL, SK_M_IMPORT_ROW_FAILED, line);
	sk_fail_texts(err, e, msg->field, msg->data, msg->ja);
	return e;
}

static sk_err update_row(struct import_ctx *ic, int64_t id, const sk_asset_input *row, sk_buf *err)
{
	actx *cx = ic->cx;
	struct one_asset before = {0};
	sk_buf msg = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = asset_load(cx, id, true, WANT_JSON | WANT_INPUT, &before, &msg);
	size_t ncol = column_of(ic, SK_AF_NUMBER);
	if (e == SK_ERR_NOT_FOUND) {
		add_error_msg(ic, ic->line, ncol, af(SK_AF_NUMBER)->ja,
		              SK_M_IMPORT_NUMBER_NOT_YOURS);
		e = SK_OK;
		goto out;
	}
	if (e) {
		e = row_failed(&msg, e, ic->line, err);
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
		e = row_failed(&msg, e, ic->line, err);
		goto out;
	}
	bool ok;
	if ((e = may_access(cx, nm.unit_id, true, &ok, err)))
		goto out;
	if (!ok) {
		add_error_msg(ic, ic->line, column_of(ic, SK_AF_UNIT), af(SK_AF_UNIT)->ja,
		              SK_M_IMPORT_NO_RIGHT_MOVE);
		goto out;
	}
	if (ic->bad)
		goto out; /* the import fails anyway: keep checking, stop writing */
	bool changed = false;
	struct one_asset now = {0};
	e = asset_write_update(cx, id, &nm, before.j, &changed, err);
	if (!e && changed && before.disposed) {
		add_error_msg(ic, ic->line, ncol, af(SK_AF_NUMBER)->ja,
		              SK_M_IMPORT_NUMBER_DISPOSED);
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
		note_change(ic, SK_M_IMPORT_CHANGE, id, nm.number, keys, NULL);
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
				add_error_msg(ic, line, c + 1, "", SK_M_IMPORT_BEYOND_LAST,
				              ic->ncols);
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
		e = row_failed(&msg, e, line, err);
		sk_buf_free(&msg);
		return e;
	}
	sk_buf_free(&msg);
	if (nm.number) {
		int seen = numset_seen(&ic->numbers, nm.number);
		if (seen < 0)
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		if (seen) {
			add_error_msg(ic, line, column_of(ic, SK_AF_NUMBER), af(SK_AF_NUMBER)->ja,
			              SK_M_IMPORT_NUMBER_TWICE);
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
		add_error_msg(ic, line, column_of(ic, SK_AF_UNIT), af(SK_AF_UNIT)->ja,
		              SK_M_IMPORT_NO_RIGHT_ADD);
		return SK_OK;
	}
	ic->added++;
	if (!nm.number)
		ic->unnumbered++;
	if (nm.number)
		note_change(ic, SK_M_IMPORT_ADD_NUMBERED, 0, nm.number, NULL, nm.name);
	else
		note_change(ic, SK_M_IMPORT_ADD, 0, nm.name, NULL, NULL);
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
	struct import_ctx ic = {.cx = &cx, .now = sk_clock_now(), .lang = sk_lang_of_code(c->lang)};
	cx.on_bad = field_bad;
	cx.on_bad_ctx = &ic;
	sk_buf_init(&ic.errors, SK_BUF_DEFAULT_MAX);
	sk_buf_init(&ic.errors_ja, SK_BUF_DEFAULT_MAX);
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
	sk_err e = (ic.batch && ic.params)
	               ? SK_OK
	               : sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
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
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_IMPORT_EMPTY);
	if (!e && ic.bad) {
		if (ic.bad > SK_ASSET_IMPORT_MAX_ERRORS) {
			long long more = (long long)(ic.bad - SK_ASSET_IMPORT_MAX_ERRORS);
			sk_msg_addf(&ic.errors, SK_LANG_EN, SK_M_IMPORT_MORE_BAD, more);
			sk_msg_addf(&ic.errors_ja, SK_LANG_JA, SK_M_IMPORT_MORE_BAD, more);
		}
		/* no newline after the last line */
		if (ic.errors.len)
			ic.errors.data[--ic.errors.len] = '\0';
		if (ic.errors_ja.len)
			ic.errors_ja.data[--ic.errors_ja.len] = '\0';
		/* The summary first: a caller's small buffer keeps it and cuts the list. */
		sk_fail_texts(err, SK_ERR_INVALID, NULL, ic.errors.data, ic.errors_ja.data);
		e = ic.have_header && ic.rows
		        ? sk_fail_wrap(err, SK_ERR_INVALID, NULL, NULL, SK_M_IMPORT_ROWS_BAD,
		                       (long long)ic.bad, (long long)ic.rows)
		        : sk_fail_wrap(err, SK_ERR_INVALID, NULL, NULL, SK_M_IMPORT_HEADING_BAD);
	}
	if (!e && !ic.rows)
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_IMPORT_NO_ASSETS);
	if (!e && ic.unnumbered) {
		/* Rows without a 管理番号 cannot be told apart from ones imported before. */
		int64_t prior = 0;
		sk_val q[] = {sk_vtext(res->sha256), SK_VINT(ic.import_id)};
		e = sk_store_query(s,
		                   "SELECT id FROM asset_import WHERE file_sha256 = ? AND id <> ? "
		                   "ORDER BY id LIMIT 1",
		                   q, 2, take_prior, &prior, err);
		if (!e && prior)
			e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_IMPORT_AGAIN,
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
		          : sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
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
		sk_msg_addf(&ic.notices, ic.lang,
		            ic.xlsx ? SK_M_IMPORT_EMPTY_ROWS : SK_M_IMPORT_EMPTY_LINES,
		            (long long)ic.empties, ic.empty_lines);
	if (ic.nchanges_listed > SK_ASSET_IMPORT_MAX_CHANGES)
		sk_msg_addf(&ic.changes, ic.lang, SK_M_IMPORT_MORE_CHANGES,
		            (long long)(ic.nchanges_listed - SK_ASSET_IMPORT_MAX_CHANGES));
	copy_out(res->notices, sizeof(res->notices), &ic.notices);
	copy_out(res->changes, sizeof(res->changes), &ic.changes);
	free(owned);
	free(ic.batch);
	free(ic.params);
	numset_free(&ic.numbers);
	sk_buf_free(&ic.sql);
	sk_buf_free(&ic.errors);
	sk_buf_free(&ic.errors_ja);
	sk_buf_free(&ic.notices);
	sk_buf_free(&ic.changes);
	asset_actx_free(&cx);
	return e;
}
