/*
 * asset_import: importing a register CSV (sk_asset_import): encoding, headings, every row
 * checked, batched inserts, one transaction and one audit entry.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_clock.h"
#include "../report/csv.h"
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
/* store_pg.c binds at most 64 parameters a statement: 3 rows of 21. */
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
	sk_val *params; /* BATCH * INSERT_PARAMS */
	sk_buf sql;     /* the statement for a full batch */
	int cols[256];  /* the field of each column, or COL_IGNORED */
	size_t ncols;
	bool have_header;
	sk_buf errors; /* one line per bad row */
	int64_t rows, bad, first_id, last_id, import_id, now;
};

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

static sk_err header(struct import_ctx *ic, const sk_csv_field *fl, size_t n, sk_buf *err)
{
	bool seen[SK_AF__COUNT] = {0};
	if (n > sizeof(ic->cols) / sizeof(ic->cols[0]))
		return sk_fail(err, SK_ERR_INVALID, "line 1: too many columns (%zu)", n);
	for (size_t c = 0; c < n; c++) {
		char *h = trim(fl[c].p);
		int f = heading_field(h);
		if (f == -2)
			return sk_fail(err, SK_ERR_INVALID,
			               "line 1, column %zu: unknown heading '%s' (see "
			               "docs/asset-register.md for the columns)",
			               c + 1, h);
		if (f >= 0 && seen[f])
			return sk_fail(err, SK_ERR_INVALID,
			               "line 1, column %zu: heading '%s' repeats column %s", c + 1,
			               h, af(f)->ja);
		if (f >= 0)
			seen[f] = true;
		ic->cols[c] = f;
	}
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (af_required(f) && !seen[f])
			return sk_fail(err, SK_ERR_INVALID,
			               "line 1: the required column %s (%s) is "
			               "missing",
			               af(f)->ja, af(f)->key);
	ic->ncols = n;
	ic->have_header = true;
	return SK_OK;
}

static size_t column_of(const struct import_ctx *ic, sk_asset_field f)
{
	for (size_t c = 0; c < ic->ncols; c++)
		if (ic->cols[c] == (int)f)
			return c + 1;
	return 0;
}

static sk_err bad_row(struct import_ctx *ic, size_t line, size_t col, const char *title,
                      const char *msg)
{
	ic->bad++;
	if (ic->bad > SK_ASSET_IMPORT_MAX_ERRORS)
		return SK_OK;
	if (col)
		sk_buf_addf(&ic->errors, "line %zu, column %zu (%s): %s\n", line, col, title, msg);
	else
		sk_buf_addf(&ic->errors, "line %zu: %s\n", line, msg);
	return SK_OK;
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

static sk_err import_record(void *ctx, const sk_csv_field *fl, size_t n, size_t line, sk_buf *err)
{
	struct import_ctx *ic = ctx;
	if (!ic->have_header)
		return header(ic, fl, n, err);
	ic->rows++;
	if (n != ic->ncols) {
		char msg[128];
		snprintf(msg, sizeof(msg), "%zu fields, but the heading line has %zu", n,
		         ic->ncols);
		return bad_row(ic, line, 0, "", msg);
	}
	sk_asset_input in = {{0}};
	for (size_t c = 0; c < n; c++) {
		if (ic->cols[c] < 0)
			continue;
		char *v = fl[c].p;
		if (sk_csv_is_guarded(v, fl[c].n))
			v++;
		in.v[ic->cols[c]] = trim(v);
	}
	norm nm;
	sk_asset_field bad;
	sk_buf msg = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = asset_normalize(ic->cx, &in, &nm, &bad, &msg);
	if (e == SK_ERR_INVALID) {
		bad_row(ic, line, column_of(ic, bad), af(bad)->ja, msg.data);
		sk_buf_free(&msg);
		return SK_OK;
	}
	sk_buf_free(&msg);
	if (e)
		return sk_fail(err, e, "line %zu: %s", line, msg.data);
	bool ok;
	if ((e = may_access(ic->cx, nm.unit_id, true, &ok, err)))
		return e;
	if (!ok)
		return bad_row(ic, line, column_of(ic, SK_AF_UNIT), af(SK_AF_UNIT)->ja,
		               "no right to add assets to this unit");
	if (ic->bad) /* the import fails anyway: keep checking, stop writing */
		return SK_OK;
	struct batch_row *b = &ic->batch[ic->nbatch++];
	b->n = nm;
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

sk_err sk_asset_import(sk_ctx *c, const char *data, size_t len, const char *file_name,
                       sk_asset_import_result *res, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	memset(res, 0, sizeof(*res));
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct import_ctx ic = {.cx = &cx, .now = sk_clock_now()};
	sk_buf_init(&ic.errors, SK_BUF_DEFAULT_MAX);
	sk_buf_init(&ic.sql, 1u << 16);
	ic.batch_max = strcmp(sk_store_backend(s), "postgresql") == 0 ? BATCH_PG : BATCH;
	ic.batch = malloc(BATCH * sizeof(*ic.batch));
	ic.params = malloc(BATCH * INSERT_PARAMS * sizeof(*ic.params));
	char *owned = NULL;
	const char *text = NULL;
	size_t tlen = 0;
	sk_csv_encoding enc = SK_CSV_UTF8;
	sha256_hex(data, len, res->sha256);
	sk_err e = (ic.batch && ic.params)
	               ? sk_csv_decode_auto(data, len, &enc, &text, &tlen, &owned, err)
	               : sk_fail(err, SK_ERR_NOMEM, "out of memory");
	res->encoding = sk_csv_encoding_name(enc);
	if (e)
		goto out;
	if (!file_name || asset_check_text(file_name, true, TEXT_MAX, false, NULL))
		file_name = "(unnamed)";
	cx.utf8_known = true; /* sk_csv_decode validated (or produced) the whole text */
	if ((e = sk_store_begin(s, err)))
		goto out;
	sk_val p[] = {sk_vtext(actor->login), sk_vtext(file_name), sk_vtext(res->sha256),
	              sk_vtext(res->encoding), SK_VINT(ic.now)};
	e = sk_store_query_int(s,
	                       "INSERT INTO asset_import(actor, file_name, file_sha256, encoding, "
	                       "rows, created_at) VALUES (?, ?, ?, ?, 0, ?) RETURNING id",
	                       p, 5, &ic.import_id, err);
	if (!e) {
		sk_csv_limits lim = {.max_fields = 256, .max_field_bytes = NOTE_MAX + 1};
		e = sk_csv_parse(text, tlen, &lim, import_record, &ic, err);
	}
	if (!e && !ic.bad)
		e = flush(&ic, err);
	if (!e && !ic.have_header)
		e = sk_fail(err, SK_ERR_INVALID, "the file is empty: no heading line");
	if (!e && ic.bad) {
		if (ic.bad > SK_ASSET_IMPORT_MAX_ERRORS)
			sk_buf_addf(&ic.errors, "... and %lld more bad rows\n",
			            (long long)(ic.bad - SK_ASSET_IMPORT_MAX_ERRORS));
		if (ic.errors.len) /* no newline after the last line */
			ic.errors.data[--ic.errors.len] = '\0';
		/* The summary first: a caller's small buffer keeps it and cuts the list. */
		e = sk_fail(err, SK_ERR_INVALID,
		            "%lld of %lld rows are bad; nothing was imported:\n%s",
		            (long long)ic.bad, (long long)ic.rows, ic.errors.data);
	}
	if (!e && !ic.rows)
		e = sk_fail(err, SK_ERR_INVALID, "the file holds a heading line but no assets");
	if (!e) {
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
		    "{ss ss ss sI sI sI sI}", "file", file_name, "sha256", res->sha256, "encoding",
		    res->encoding, "rows", (json_int_t)ic.rows, "first_id", (json_int_t)ic.first_id,
		    "last_id", (json_int_t)ic.last_id, "import_id", (json_int_t)ic.import_id);
		e = after ? asset_audit(&cx, "asset.import", obj, NULL, after, err)
		          : sk_fail(err, SK_ERR_NOMEM, "out of memory");
		json_decref(after);
	}
	if (e)
		sk_store_rollback(s);
	else
		e = sk_store_commit(s, err);
	res->rows = ic.rows;
	res->bad_rows = ic.bad;
	if (!e)
		res->import_id = ic.import_id;
out:
	free(owned);
	free(ic.batch);
	free(ic.params);
	sk_buf_free(&ic.sql);
	sk_buf_free(&ic.errors);
	asset_actx_free(&cx);
	return e;
}
