/*
 * xlsx_read: a worksheet of an .xlsx workbook as records of text (libzip for the archive,
 * expat for the XML parts). See xlsx_read.h for the limits and why.
 */
#include "xlsx_read.h"

#include "../core/sk_clock.h"
#include "../core/sk_msg.h"
#include "../core/sk_vec.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

bool sk_xlsx_read_is_workbook(const char *p, size_t n)
{
	return n >= 4 && memcmp(p, "PK\3\4", 4) == 0;
}

/* --- the archive --- */

struct book {
	zip_t *z;
	const sk_xlsx_read_limits *lim;
	uint64_t total;
};

/*
 * Reads part name into *out (NUL-terminated, the caller's to free), at most
 * lim->max_part_bytes whatever the archive says of its size. SK_ERR_NOT_FOUND
 * when there is no such part.
 */
static sk_err read_part(struct book *b, const char *name, char **out, size_t *len, sk_buf *err)
{
	*out = NULL;
	*len = 0;
	zip_int64_t idx = zip_name_locate(b->z, name, 0);
	if (idx < 0)
		return SK_ERR_NOT_FOUND;
	zip_file_t *f = zip_fopen_index(b->z, (zip_uint64_t)idx, 0);
	if (!f)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_XLSX_PART_UNREADABLE, name,
		                   zip_strerror(b->z));
	size_t cap = 1u << 16, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		zip_fclose(f);
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	sk_err e = SK_OK;
	while (!e) {
		if (n == cap) {
			if (n >= b->lim->max_part_bytes) {
				e = sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL,
				                SK_M_XLSX_PART_TOO_BIG, name,
				                (unsigned long long)b->lim->max_part_bytes);
				break;
			}
			size_t ncap = cap * 2 > b->lim->max_part_bytes
			                  ? (size_t)b->lim->max_part_bytes
			                  : cap * 2;
			if (ncap <= cap)
				ncap = cap + 1;
			char *nb = realloc(buf, ncap + 1);
			if (!nb) {
				e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
				break;
			}
			buf = nb;
			cap = ncap;
		}
		zip_int64_t r = zip_fread(f, buf + n, cap - n);
		if (r < 0) {
			e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_XLSX_PART_DAMAGED,
			                name, zip_file_strerror(f));
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		b->total += (uint64_t)r;
		if (b->total > b->lim->max_total_bytes)
			e = sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_XLSX_TOO_BIG,
			                (unsigned long long)b->lim->max_total_bytes);
	}
	zip_fclose(f);
	if (e) {
		free(buf);
		return e;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return SK_OK;
}

/* --- XML --- */

/* The local name of an element ("c" of "x:c"). */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

struct xml {
	XML_Parser p;
	sk_err e; /* set by a handler that stopped the parse */
	sk_buf *err;
};

/*
 * A document type declaration could declare entities: no part of a workbook has one. Every
 * handler's user data starts with its struct xml.
 */
static void refuse_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                           const XML_Char *pubid, int has_internal)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	struct xml *x = ud;
	if (!x->e)
		x->e = sk_fail_msg(x->err, SK_ERR_INVALID, NULL, NULL, SK_M_XLSX_DOCTYPE);
	XML_StopParser(x->p, XML_FALSE);
}

static sk_err parse_xml(struct xml *x, const char *part, const char *data, size_t len, void *ud,
                        XML_StartElementHandler start, XML_EndElementHandler end,
                        XML_CharacterDataHandler text)
{
	x->p = XML_ParserCreate("UTF-8");
	if (!x->p)
		return sk_fail_msg(x->err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	XML_SetUserData(x->p, ud);
	XML_SetElementHandler(x->p, start, end);
	if (text)
		XML_SetCharacterDataHandler(x->p, text);
	XML_SetStartDoctypeDeclHandler(x->p, refuse_doctype);
	sk_err e = SK_OK;
	if (XML_Parse(x->p, data, (int)len, XML_TRUE) == XML_STATUS_ERROR) {
		e = x->e ? x->e
		         : sk_fail_msg(x->err, SK_ERR_INVALID, NULL, NULL, SK_M_XLSX_BAD_XML, part,
		                       (unsigned long)XML_GetCurrentLineNumber(x->p),
		                       XML_ErrorString(XML_GetErrorCode(x->p)));
	} else if (x->e)
		e = x->e;
	else if (XML_GetErrorCode(x->p) == XML_ERROR_ABORTED)
		e = sk_fail_msg(x->err, SK_ERR_INVALID, NULL, NULL, SK_M_XLSX_PART_DOCTYPE, part);
	XML_ParserFree(x->p);
	x->p = NULL;
	return e;
}

static void stop(struct xml *x, sk_err e)
{
	if (!x->e)
		x->e = e;
	XML_StopParser(x->p, XML_FALSE);
}

/* --- workbook.xml and its relationships: where the first sheet is, and the date system --- */

struct wb {
	struct xml x;
	char rid[64];
	char target[256];
	bool date1904;
};

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct wb *w = ud;
	const char *n = local(name);
	if (strcmp(n, "sheet") == 0 && !w->rid[0]) {
		const char *id = attr(atts, "id");
		if (id)
			snprintf(w->rid, sizeof(w->rid), "%s", id);
	} else if (strcmp(n, "workbookPr") == 0) {
		const char *d = attr(atts, "date1904");
		w->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
	}
}

static void rel_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct wb *w = ud;
	if (strcmp(local(name), "Relationship") != 0 || w->target[0])
		return;
	const char *id = attr(atts, "Id"), *t = attr(atts, "Target");
	if (!id || !t || strcmp(id, w->rid) != 0)
		return;
	if (t[0] == '/')
		snprintf(w->target, sizeof(w->target), "%s", t + 1);
	else
		snprintf(w->target, sizeof(w->target), "xl/%s", t);
}

static void no_end(void *ud, const XML_Char *name) { (void)ud, (void)name; }

/* --- sharedStrings.xml: the text of each <si>, furigana (<rPh>) left out --- */

struct strings {
	struct xml x;
	const sk_xlsx_read_limits *lim;
	char **s;
	size_t n, cap;
	sk_buf cur;
	bool in_si, in_t;
	int in_rph;
};

static void ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	(void)atts;
	struct strings *st = ud;
	const char *n = local(name);
	if (strcmp(n, "si") == 0) {
		st->in_si = true;
		st->cur.len = 0;
		if (st->cur.cap)
			st->cur.data[0] = '\0';
	} else if (strcmp(n, "rPh") == 0)
		st->in_rph++;
	else if (strcmp(n, "t") == 0)
		st->in_t = true;
}

static void ss_end(void *ud, const XML_Char *name)
{
	struct strings *st = ud;
	const char *n = local(name);
	if (strcmp(n, "t") == 0)
		st->in_t = false;
	else if (strcmp(n, "rPh") == 0)
		st->in_rph--;
	else if (strcmp(n, "si") == 0 && st->in_si) {
		st->in_si = false;
		if (st->n >= st->lim->max_strings) {
			sk_fail_msg(st->x.err, SK_ERR_TOO_BIG, NULL, NULL,
			            SK_M_XLSX_TOO_MANY_STRINGS, st->lim->max_strings);
			stop(&st->x, SK_ERR_TOO_BIG);
			return;
		}
		char **ns = sk_vec_room(st->s, st->n, &st->cap, sizeof(*ns), 1024);
		if (!ns) {
			stop(&st->x,
			     sk_fail_msg(st->x.err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM));
			return;
		}
		st->s = ns;
		if (!(st->s[st->n] = strdup(st->cur.len ? st->cur.data : ""))) {
			stop(&st->x,
			     sk_fail_msg(st->x.err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM));
			return;
		}
		st->n++;
	}
}

static void ss_text(void *ud, const XML_Char *s, int len)
{
	struct strings *st = ud;
	if (!st->in_si || !st->in_t || st->in_rph)
		return;
	if (st->cur.len + (size_t)len > st->lim->max_cell_bytes) {
		sk_fail_msg(st->x.err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_XLSX_STRING_TOO_LONG,
		            st->lim->max_cell_bytes);
		stop(&st->x, SK_ERR_TOO_BIG);
		return;
	}
	if (sk_buf_add(&st->cur, s, (size_t)len))
		stop(&st->x, sk_fail_msg(st->x.err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM));
}

/* --- styles.xml: which cell styles show a number as a date --- */

struct styles {
	struct xml x;
	int custom_ids[256];
	bool custom_date[256];
	size_t ncustom;
	bool in_xfs;
	unsigned char *is_date; /* by style index */
	size_t n, cap;
};

/* Whether an Excel number format code shows a date: y, m with d, or a 和暦 era (ge). */
static bool format_is_date(const char *code)
{
	bool quoted = false;
	for (const char *c = code; *c; c++) {
		if (*c == '"')
			quoted = !quoted;
		else if (*c == '\\' && c[1])
			c++;
		else if (*c == '[') { /* [Red], [$-411]: not a date letter */
			const char *close = strchr(c, ']');
			if (!close)
				break;
			c = close;
		} else if (!quoted && strchr("yYdDgGeE", *c))
			return true;
	}
	return false;
}

/* Built-in formats that are dates (14-22; 27-36 and 50-58 in Japanese Excel). */
static bool builtin_is_date(int id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

static void st_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct styles *st = ud;
	const char *n = local(name);
	if (strcmp(n, "numFmt") == 0 && st->ncustom < 256) {
		const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
		if (id && code) {
			st->custom_ids[st->ncustom] = (int)strtol(id, NULL, 10);
			st->custom_date[st->ncustom] = format_is_date(code);
			st->ncustom++;
		}
	} else if (strcmp(n, "cellXfs") == 0)
		st->in_xfs = true;
	else if (strcmp(n, "xf") == 0 && st->in_xfs) {
		const char *id = attr(atts, "numFmtId");
		int fid = id ? (int)strtol(id, NULL, 10) : 0;
		bool date = builtin_is_date(fid);
		for (size_t i = 0; i < st->ncustom; i++)
			if (st->custom_ids[i] == fid)
				date = st->custom_date[i];
		if (st->n == st->cap) {
			size_t cap = st->cap ? st->cap * 2 : 64;
			if (cap > 65536) {
				stop(&st->x, sk_fail_msg(st->x.err, SK_ERR_TOO_BIG, NULL, NULL,
				                         SK_M_XLSX_TOO_MANY_STYLES));
				return;
			}
			unsigned char *nd = realloc(st->is_date, cap);
			if (!nd) {
				stop(&st->x, sk_fail_msg(st->x.err, SK_ERR_NOMEM, NULL, NULL,
				                         SK_M_FAULT_NOMEM));
				return;
			}
			st->is_date = nd;
			st->cap = cap;
		}
		st->is_date[st->n++] = date;
	}
}

static void st_end(void *ud, const XML_Char *name)
{
	struct styles *st = ud;
	if (strcmp(local(name), "cellXfs") == 0)
		st->in_xfs = false;
}

/* --- the sheet --- */

struct sheet {
	struct xml x;
	const sk_xlsx_read_limits *lim;
	const struct strings *ss;
	const struct styles *sty;
	bool date1904;
	sk_csv_record_fn fn;
	void *ctx;
	/* the row being read: cells' text one after another, NUL-separated */
	size_t row, next_row;
	sk_buf text;
	size_t *col_off; /* per column: offset in text + 1, 0 when empty */
	size_t ncols;
	sk_csv_field *fields;
	size_t cells;
	/* the cell being read */
	size_t col, next_col;
	char type[16];
	int style;
	bool in_cell, in_v, in_is_t;
	int in_rph;
	sk_buf val;
};

/* "C12" -> column 3 (A = 1); 0 when it is not a cell reference. */
static size_t ref_column(const char *r)
{
	size_t c = 0;
	for (; *r >= 'A' && *r <= 'Z'; r++) {
		c = c * 26 + (size_t)(*r - 'A' + 1);
		if (c > 16384)
			return 0;
	}
	return c;
}

static sk_err emit_row(struct sheet *sh, sk_buf *err)
{
	if (!sh->ncols)
		return SK_OK;
	for (size_t c = 0; c < sh->ncols; c++) {
		static char empty[1];
		size_t off = sh->col_off[c];
		if (off) {
			sh->fields[c].p = sh->text.data + off - 1;
			sh->fields[c].n = strlen(sh->fields[c].p);
		} else {
			empty[0] = '\0';
			sh->fields[c].p = empty;
			sh->fields[c].n = 0;
		}
	}
	sk_err e = sh->fn(sh->ctx, sh->fields, sh->ncols, sh->row, err);
	memset(sh->col_off, 0, sh->lim->max_columns * sizeof(*sh->col_off));
	sh->ncols = 0;
	sh->text.len = 0;
	return e;
}

/* An Excel serial day as "YYYY-MM-DD" (1900 system with its phantom 1900-02-29, or 1904). */
static bool serial_date(double v, bool date1904, char out[64])
{
	if (!(v >= 1 && v < 2958466))
		return false;
	long days = (long)floor(v);
	/* days since 1970-01-01 */
	/* days since 1970-01-01: serial 25569 is that day in the 1900 system, 24107 in 1904's */
	long unix_days = date1904 ? days - 24107 : days < 61 ? days - 25568 : days - 25569;
	int64_t y;
	int m, d;
	sk_clock_civil_from_days(unix_days, &y, &m, &d);
	snprintf(out, 64, "%04d-%02d-%02d", (int)(y % 10000), m, d);
	return true;
}

static void sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sheet *sh = ud;
	const char *n = local(name);
	if (strcmp(n, "row") == 0) {
		const char *r = attr(atts, "r");
		long v = r ? strtol(r, NULL, 10) : 0;
		sh->row = v > 0 && (size_t)v >= sh->next_row ? (size_t)v : sh->next_row;
		sh->next_row = sh->row + 1;
		sh->next_col = 1;
	} else if (strcmp(n, "c") == 0) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
		size_t col = r ? ref_column(r) : sh->next_col;
		if (!col)
			col = sh->next_col;
		if (col > sh->lim->max_columns) {
			stop(&sh->x, sk_fail_msg(sh->x.err, SK_ERR_TOO_BIG, NULL, NULL,
			                         SK_M_XLSX_TOO_MANY_COLUMNS, sh->row, col,
			                         sh->lim->max_columns));
			return;
		}
		sh->col = col;
		sh->next_col = col + 1;
		snprintf(sh->type, sizeof(sh->type), "%s", t ? t : "n");
		sh->style = s ? (int)strtol(s, NULL, 10) : 0;
		sh->in_cell = true;
		sh->val.len = 0;
		if (sh->val.cap)
			sh->val.data[0] = '\0';
	} else if (sh->in_cell && strcmp(n, "v") == 0)
		sh->in_v = true;
	else if (sh->in_cell && strcmp(n, "rPh") == 0)
		sh->in_rph++;
	else if (sh->in_cell && strcmp(n, "t") == 0)
		sh->in_is_t = true;
}

static void cell_end(struct sheet *sh)
{
	sh->in_cell = false;
	const char *v = sh->val.len ? sh->val.data : "";
	char buf[64];
	const char *text = v;
	if (strcmp(sh->type, "s") == 0) {
		char *endp;
		unsigned long i = strtoul(v, &endp, 10);
		if (!*v || *endp || !sh->ss || i >= sh->ss->n) {
			stop(&sh->x, sk_fail_msg(sh->x.err, SK_ERR_INVALID, NULL, NULL,
			                         SK_M_XLSX_NO_STRING, sh->row));
			return;
		}
		text = sh->ss->s[i];
	} else if (strcmp(sh->type, "b") == 0)
		text = strcmp(v, "1") == 0 ? "1" : "0";
	else if (strcmp(sh->type, "e") == 0)
		text = v; /* #N/A and the like: the import says what is wrong with it */
	else if (strcmp(sh->type, "n") == 0 && *v) {
		char *endp;
		double d = strtod(v, &endp);
		if (!*endp && sh->sty && sh->style >= 0 && (size_t)sh->style < sh->sty->n &&
		    sh->sty->is_date[sh->style] && serial_date(d, sh->date1904, buf))
			text = buf;
		else if (!*endp && isfinite(d) && d == floor(d) && fabs(d) < 1e15) {
			snprintf(buf, sizeof(buf), "%.0f", d);
			text = buf;
		}
	}
	if (!*text)
		return;
	if (++sh->cells > sh->lim->max_cells) {
		stop(&sh->x, sk_fail_msg(sh->x.err, SK_ERR_TOO_BIG, NULL, NULL,
		                         SK_M_XLSX_TOO_MANY_CELLS, sh->lim->max_cells));
		return;
	}
	size_t tl = strlen(text);
	size_t bad;
	if (!sk_csv_utf8_valid(text, tl, &bad)) {
		stop(&sh->x, sk_fail_msg(sh->x.err, SK_ERR_INVALID, NULL, NULL,
		                         SK_M_XLSX_ROW_NOT_UTF8, sh->row));
		return;
	}
	size_t off = sh->text.len;
	if (sk_buf_add(&sh->text, text, tl + 1)) {
		stop(&sh->x, sk_fail_msg(sh->x.err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM));
		return;
	}
	sh->col_off[sh->col - 1] = off + 1;
	if (sh->col > sh->ncols)
		sh->ncols = sh->col;
}

static void sh_end(void *ud, const XML_Char *name)
{
	struct sheet *sh = ud;
	const char *n = local(name);
	if (strcmp(n, "v") == 0)
		sh->in_v = false;
	else if (strcmp(n, "rPh") == 0 && sh->in_rph)
		sh->in_rph--;
	else if (strcmp(n, "t") == 0)
		sh->in_is_t = false;
	else if (strcmp(n, "c") == 0 && sh->in_cell)
		cell_end(sh);
	else if (strcmp(n, "row") == 0) {
		sk_err e = emit_row(sh, sh->x.err);
		if (e)
			stop(&sh->x, e);
	}
}

static void sh_text(void *ud, const XML_Char *s, int len)
{
	struct sheet *sh = ud;
	if (!sh->in_cell || sh->in_rph || !(sh->in_v || sh->in_is_t))
		return;
	if (sh->val.len + (size_t)len > sh->lim->max_cell_bytes) {
		stop(&sh->x,
		     sk_fail_msg(sh->x.err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_XLSX_CELL_TOO_LONG,
		                 sh->row, sh->lim->max_cell_bytes));
		return;
	}
	if (sk_buf_add(&sh->val, s, (size_t)len))
		stop(&sh->x, sk_fail_msg(sh->x.err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM));
}

sk_err sk_xlsx_read(const char *p, size_t n, const sk_xlsx_read_limits *lim, sk_csv_record_fn fn,
                    void *ctx, sk_buf *err)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(p, n, 0, &ze);
	struct book b = {.lim = lim};
	if (src && !(b.z = zip_open_from_source(src, ZIP_RDONLY, &ze)))
		zip_source_free(src);
	zip_error_fini(&ze);
	if (!b.z)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_XLSX_UNREADABLE);
	char *data = NULL;
	size_t len = 0;
	struct wb w = {.x.err = err};
	struct strings ss = {.x.err = err, .lim = lim};
	struct styles sty = {.x.err = err};
	struct sheet sh = {.x.err = err, .lim = lim, .fn = fn, .ctx = ctx, .next_row = 1};
	sk_buf_init(&ss.cur, lim->max_cell_bytes + 1);
	sk_buf_init(&sh.text, (size_t)lim->max_columns * (lim->max_cell_bytes + 1));
	sk_buf_init(&sh.val, lim->max_cell_bytes + 1);
	sk_err e = read_part(&b, "xl/workbook.xml", &data, &len, err);
	if (e == SK_ERR_NOT_FOUND)
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_XLSX_NOT_WORKBOOK);
	if (!e)
		e = parse_xml(&w.x, "xl/workbook.xml", data, len, &w, wb_start, no_end, NULL);
	free(data);
	data = NULL;
	if (!e && w.rid[0]) {
		e = read_part(&b, "xl/_rels/workbook.xml.rels", &data, &len, err);
		if (!e)
			e = parse_xml(&w.x, "xl/_rels/workbook.xml.rels", data, len, &w, rel_start,
			              no_end, NULL);
		else if (e == SK_ERR_NOT_FOUND)
			e = SK_OK;
		free(data);
		data = NULL;
	}
	if (!e) {
		e = read_part(&b, "xl/sharedStrings.xml", &data, &len, err);
		if (!e)
			e = parse_xml(&ss.x, "xl/sharedStrings.xml", data, len, &ss, ss_start,
			              ss_end, ss_text);
		else if (e == SK_ERR_NOT_FOUND)
			e = SK_OK;
		free(data);
		data = NULL;
	}
	if (!e) {
		e = read_part(&b, "xl/styles.xml", &data, &len, err);
		if (!e)
			e = parse_xml(&sty.x, "xl/styles.xml", data, len, &sty, st_start, st_end,
			              NULL);
		else if (e == SK_ERR_NOT_FOUND)
			e = SK_OK;
		free(data);
		data = NULL;
	}
	const char *sheet = w.target[0] ? w.target : "xl/worksheets/sheet1.xml";
	if (!e) {
		e = read_part(&b, sheet, &data, &len, err);
		if (e == SK_ERR_NOT_FOUND)
			e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_XLSX_NO_SHEET, sheet);
	}
	if (!e) {
		sh.ss = &ss;
		sh.sty = &sty;
		sh.date1904 = w.date1904;
		sh.col_off = calloc(lim->max_columns, sizeof(*sh.col_off));
		sh.fields = calloc(lim->max_columns, sizeof(*sh.fields));
		e = sh.col_off && sh.fields
		        ? parse_xml(&sh.x, sheet, data, len, &sh, sh_start, sh_end, sh_text)
		        : sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	free(data);
	free(sh.col_off);
	free(sh.fields);
	for (size_t i = 0; i < ss.n; i++)
		free(ss.s[i]);
	free(ss.s);
	free(sty.is_date);
	sk_buf_free(&ss.cur);
	sk_buf_free(&sh.text);
	sk_buf_free(&sh.val);
	zip_discard(b.z);
	return e;
}
