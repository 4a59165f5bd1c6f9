/*
 * csv: RFC 4180 reader and writer with UTF-8, UTF-8+BOM and CP932 (see
 * csv.h). The reader is a single pass over a memory buffer: unquoted fields
 * are copied as they are, quoted ones have their doubled quotes folded, and
 * every field is NUL-terminated in one scratch buffer per record so that the
 * callback can treat them as C strings.
 */
#include "csv.h"

#include "../core/sk_msg.h"
#include "../core/sk_utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char BOM[] = "\xef\xbb\xbf";

/* iconv_open's failure value, spelled once. */
#define NO_ICONV ((iconv_t)-1) /* NOLINT(performance-no-int-to-ptr): iconv's API */

static const struct {
	const char *name;
	sk_csv_encoding enc;
} enc_names[] = {
    {"utf-8", SK_CSV_UTF8},        {"utf8", SK_CSV_UTF8},        {"utf-8-bom", SK_CSV_UTF8_BOM},
    {"utf8-bom", SK_CSV_UTF8_BOM}, {"utf8bom", SK_CSV_UTF8_BOM}, {"cp932", SK_CSV_CP932},
    {"sjis", SK_CSV_CP932},        {"shift_jis", SK_CSV_CP932},  {"shift-jis", SK_CSV_CP932},
    {"windows-31j", SK_CSV_CP932},
};

const char *sk_csv_encoding_name(sk_csv_encoding e)
{
	switch (e) {
	case SK_CSV_UTF8_BOM:
		return "utf-8-bom";
	case SK_CSV_CP932:
		return "cp932";
	default:
		return "utf-8";
	}
}

sk_err sk_csv_encoding_parse(const char *name, sk_csv_encoding *out, sk_buf *err)
{
	for (size_t i = 0; i < sizeof(enc_names) / sizeof(enc_names[0]); i++)
		if (strcasecmp(name, enc_names[i].name) == 0) {
			*out = enc_names[i].enc;
			return SK_OK;
		}
	return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CSV_ENCODING_UNKNOWN, name);
}

bool sk_csv_utf8_valid(const char *p, size_t n, size_t *bad_at)
{
	return sk_utf8_valid(p, n, bad_at);
}

sk_csv_encoding sk_csv_detect(const char *p, size_t n)
{
	if (n >= 3 && memcmp(p, BOM, 3) == 0)
		return SK_CSV_UTF8_BOM;
	return sk_csv_utf8_valid(p, n, NULL) ? SK_CSV_UTF8 : SK_CSV_CP932;
}

static size_t line_of(const char *p, size_t off)
{
	size_t line = 1;
	for (const char *q = p; (q = memchr(q, '\n', (size_t)(p + off - q))) != NULL; q++)
		line++;
	return line;
}

sk_err sk_csv_decode(const char *p, size_t n, sk_csv_encoding enc, const char **out, size_t *outlen,
                     char **owned, sk_buf *err)
{
	*owned = NULL;
	if (enc != SK_CSV_CP932) {
		size_t skip = (n >= 3 && memcmp(p, BOM, 3) == 0) ? 3 : 0;
		if (enc == SK_CSV_UTF8_BOM && !skip)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CSV_NO_BOM);
		size_t bad;
		if (!sk_csv_utf8_valid(p + skip, n - skip, &bad))
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CSV_BAD_UTF8,
			                   line_of(p, skip + bad), skip + bad + 1);
		*out = p + skip;
		*outlen = n - skip;
		return SK_OK;
	}
	if (n > (SIZE_MAX - 16) / 3)
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_CSV_TOO_LARGE);
	/* Each CP932 byte becomes at most three UTF-8 bytes (half-width katakana). */
	size_t cap = 3 * n + 16;
	char *buf = malloc(cap);
	if (!buf)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	iconv_t cd = iconv_open("UTF-8", "CP932");
	if (cd == NO_ICONV) {
		free(buf);
		return sk_fail_msg(err, SK_ERR_UNSUPPORTED, NULL, NULL, SK_M_CSV_NO_CP932);
	}
	char *in, *o = buf;
	memcpy(&in, &p, sizeof(in)); /* iconv's input is not const but is never written */
	size_t inleft = n, oleft = cap;
	size_t r = iconv(cd, &in, &inleft, &o, &oleft);
	int saved = errno;
	iconv_close(cd);
	if (r == (size_t)-1) {
		size_t off = (size_t)(in - p);
		free(buf);
		if (saved == EILSEQ || saved == EINVAL)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CSV_NOT_SJIS,
			                   line_of(p, off), (unsigned)(unsigned char)p[off],
			                   off + 1);
		return sk_fail_msg(err, SK_ERR_INTERNAL, NULL, NULL, SK_M_FAULT_INTERNAL,
		                   "CP932 conversion failed");
	}
	*out = *owned = buf;
	*outlen = cap - oleft;
	return SK_OK;
}

sk_err sk_csv_decode_auto(const char *p, size_t n, sk_csv_encoding *enc, const char **out,
                          size_t *outlen, char **owned, sk_buf *err)
{
	*owned = NULL;
	if (n >= 3 && memcmp(p, BOM, 3) == 0) {
		*enc = SK_CSV_UTF8_BOM;
		return sk_csv_decode(p, n, *enc, out, outlen, owned, err);
	}
	if (sk_csv_utf8_valid(p, n, NULL)) {
		*enc = SK_CSV_UTF8;
		*out = p;
		*outlen = n;
		return SK_OK;
	}
	*enc = SK_CSV_CP932;
	return sk_csv_decode(p, n, *enc, out, outlen, owned, err);
}

/* --- reading --- */

struct parser {
	const char *p;
	size_t n, pos, line;
	const sk_csv_limits *lim;
	sk_buf scratch;
	size_t *off, *len; /* per field: offset into scratch and length */
	sk_csv_field *fields;
};

static sk_err field_too_big(struct parser *ps, size_t col, sk_buf *err)
{
	return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_CSV_FIELD_TOO_LONG, ps->line, col,
	                   ps->lim->max_field_bytes);
}

/* Reads one quoted field starting at the opening quote. */
static sk_err read_quoted(struct parser *ps, size_t col, sk_buf *err)
{
	size_t qline = ps->line;
	size_t start = ps->scratch.len;
	ps->pos++;
	for (;;) {
		const char *q = memchr(ps->p + ps->pos, '"', ps->n - ps->pos);
		if (!q)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CSV_QUOTE_OPEN,
			                   qline, col);
		size_t chunk = (size_t)(q - (ps->p + ps->pos));
		const char *c = ps->p + ps->pos;
		if (memchr(c, '\0', chunk))
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CSV_NUL, ps->line,
			                   col);
		for (const char *nl = c; (nl = memchr(nl, '\n', (size_t)(q - nl))) != NULL; nl++)
			ps->line++;
		if (ps->scratch.len - start + chunk > ps->lim->max_field_bytes)
			return field_too_big(ps, col, err);
		if (sk_buf_add(&ps->scratch, c, chunk))
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		ps->pos += chunk + 1;
		if (ps->pos < ps->n && ps->p[ps->pos] == '"') {
			if (ps->scratch.len - start + 1 > ps->lim->max_field_bytes)
				return field_too_big(ps, col, err);
			if (sk_buf_addc(&ps->scratch, '"'))
				return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
			ps->pos++;
			continue;
		}
		break;
	}
	if (ps->pos < ps->n) {
		char ch = ps->p[ps->pos];
		bool crlf = ch == '\r' && ps->pos + 1 < ps->n && ps->p[ps->pos + 1] == '\n';
		if (ch != ',' && ch != '\n' && !crlf)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CSV_AFTER_QUOTE,
			                   ps->line, col);
	}
	return SK_OK;
}

static sk_err read_plain(struct parser *ps, size_t col, sk_buf *err)
{
	/* The bytes that end or break an unquoted field; one table lookup per byte. */
	static const unsigned char stop[256] = {
	    ['\0'] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1, [','] = 1};
	size_t i = ps->pos;
	const char *p = ps->p;
	while (i < ps->n) {
		while (i < ps->n && !stop[(unsigned char)p[i]])
			i++;
		if (i >= ps->n)
			break;
		char ch = p[i];
		if (ch == ',' || ch == '\n')
			break;
		if (ch == '\r' && i + 1 < ps->n && p[i + 1] == '\n')
			break;
		if (ch == '"')
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CSV_QUOTE_INSIDE,
			                   ps->line, col);
		if (ch == '\0')
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CSV_NUL, ps->line,
			                   col);
		i++;
	}
	if (i - ps->pos > ps->lim->max_field_bytes)
		return field_too_big(ps, col, err);
	if (sk_buf_add(&ps->scratch, p + ps->pos, i - ps->pos))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	ps->pos = i;
	return SK_OK;
}

static sk_err parse_all(struct parser *ps, sk_csv_record_fn fn, void *ctx, sk_buf *err)
{
	const char *p = ps->p;
	while (ps->pos < ps->n) {
		if (p[ps->pos] == '\n') {
			ps->line++;
			ps->pos++;
			continue;
		}
		if (p[ps->pos] == '\r' && ps->pos + 1 < ps->n && p[ps->pos + 1] == '\n') {
			ps->line++;
			ps->pos += 2;
			continue;
		}
		size_t rec_line = ps->line, nf = 0;
		sk_buf_reset(&ps->scratch);
		for (;;) {
			if (nf >= ps->lim->max_fields)
				return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL,
				                   SK_M_CSV_TOO_MANY_FIELDS, rec_line,
				                   ps->lim->max_fields);
			ps->off[nf] = ps->scratch.len;
			sk_err e = (ps->pos < ps->n && p[ps->pos] == '"')
			               ? read_quoted(ps, nf + 1, err)
			               : read_plain(ps, nf + 1, err);
			if (e)
				return e;
			ps->len[nf] = ps->scratch.len - ps->off[nf];
			if (sk_buf_addc(&ps->scratch, '\0'))
				return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
			nf++;
			if (ps->pos < ps->n && p[ps->pos] == ',') {
				ps->pos++;
				continue;
			}
			if (ps->pos < ps->n) { /* LF or CRLF */
				ps->pos += p[ps->pos] == '\r' ? 2 : 1;
				ps->line++;
			}
			break;
		}
		for (size_t i = 0; i < nf; i++) {
			ps->fields[i].p = ps->scratch.data + ps->off[i];
			ps->fields[i].n = ps->len[i];
		}
		sk_err e = fn(ctx, ps->fields, nf, rec_line, err);
		if (e)
			return e;
	}
	return SK_OK;
}

sk_err sk_csv_parse(const char *p, size_t n, const sk_csv_limits *lim, sk_csv_record_fn fn,
                    void *ctx, sk_buf *err)
{
	if (!lim->max_fields || !lim->max_field_bytes || lim->max_fields > (1u << 16))
		return sk_fail_msg(err, SK_ERR_INTERNAL, NULL, NULL, SK_M_FAULT_INTERNAL,
		                   "bad CSV limits");
	struct parser ps = {.p = p, .n = n, .pos = 0, .line = 1, .lim = lim};
	sk_buf_init(&ps.scratch, lim->max_fields * (lim->max_field_bytes + 1));
	ps.off = calloc(lim->max_fields, sizeof(*ps.off));
	ps.len = calloc(lim->max_fields, sizeof(*ps.len));
	ps.fields = calloc(lim->max_fields, sizeof(*ps.fields));
	sk_err e = (ps.off && ps.len && ps.fields)
	               ? parse_all(&ps, fn, ctx, err)
	               : sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	free(ps.off);
	free(ps.len);
	free(ps.fields);
	sk_buf_free(&ps.scratch);
	return e;
}

/* --- writing --- */

struct sk_csv_writer {
	FILE *f;
	sk_csv_encoding enc;
	iconv_t cd;
	sk_buf rec;  /* the record in UTF-8 */
	sk_buf conv; /* the record in CP932 */
	bool failed;
};

static bool formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t';
}

bool sk_csv_is_guarded(const char *p, size_t n)
{
	return n >= 2 && p[0] == '\'' && formula_start(p[1]);
}

sk_err sk_csv_writer_new(FILE *f, sk_csv_encoding enc, sk_csv_writer **out, sk_buf *err)
{
	*out = NULL;
	sk_csv_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	w->f = f;
	w->enc = enc;
	w->cd = NO_ICONV;
	sk_buf_init(&w->rec, SK_BUF_DEFAULT_MAX);
	sk_buf_init(&w->conv, SK_BUF_DEFAULT_MAX);
	if (enc == SK_CSV_CP932) {
		w->cd = iconv_open("CP932", "UTF-8");
		if (w->cd == NO_ICONV) {
			sk_csv_writer_free(w);
			return sk_fail_msg(err, SK_ERR_UNSUPPORTED, NULL, NULL, SK_M_CSV_NO_CP932);
		}
	}
	if (enc == SK_CSV_UTF8_BOM && fwrite(BOM, 1, 3, f) != 3)
		w->failed = true;
	*out = w;
	return SK_OK;
}

static sk_err add_field(sk_buf *b, const char *s)
{
	size_t n = strlen(s);
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	sk_err e = SK_OK;
	if (quote)
		e = sk_buf_addc(b, '"');
	if (!e && n && formula_start(s[0]))
		e = sk_buf_addc(b, '\'');
	for (const char *q = s; !e && *q; q++)
		e = *q == '"' ? sk_buf_add(b, "\"\"", 2) : sk_buf_addc(b, *q);
	if (!e && quote)
		e = sk_buf_addc(b, '"');
	return e;
}

static sk_err to_cp932(sk_csv_writer *w, sk_buf *err)
{
	sk_buf_reset(&w->conv);
	if (sk_buf_grow(&w->conv, 2 * w->rec.len + 8))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	char *in = w->rec.data, *o = w->conv.data;
	size_t inleft = w->rec.len, oleft = w->conv.cap - 1;
	iconv(w->cd, NULL, NULL, NULL, NULL);
	if (iconv(w->cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
		/* Name the character: decode the UTF-8 sequence at in. */
		uint32_t cp;
		size_t len = sk_utf8_decode((const unsigned char *)in, inleft, &cp);
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CSV_NOT_CP932,
		                   (int)(len ? len : 1), in, (unsigned)cp);
	}
	w->conv.len = (size_t)(o - w->conv.data);
	return SK_OK;
}

sk_err sk_csv_write_record(sk_csv_writer *w, const char *const *fields, size_t n, sk_buf *err)
{
	sk_buf_reset(&w->rec);
	sk_err e = SK_OK;
	for (size_t i = 0; !e && i < n; i++) {
		if (i)
			e = sk_buf_addc(&w->rec, ',');
		if (!e)
			e = add_field(&w->rec, fields[i] ? fields[i] : "");
	}
	if (!e)
		e = sk_buf_add(&w->rec, "\r\n", 2);
	if (e)
		return sk_fail_msg(err, e, NULL, NULL, SK_M_CSV_RECORD_TOO_LARGE);
	const sk_buf *outb = &w->rec;
	if (w->enc == SK_CSV_CP932) {
		if ((e = to_cp932(w, err)))
			return e;
		outb = &w->conv;
	}
	if (fwrite(outb->data, 1, outb->len, w->f) != outb->len)
		w->failed = true;
	return w->failed ? sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CSV_WRITE) : SK_OK;
}

sk_err sk_csv_writer_finish(sk_csv_writer *w, sk_buf *err)
{
	if (fflush(w->f) != 0 || ferror(w->f))
		w->failed = true;
	return w->failed ? sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CSV_WRITE) : SK_OK;
}

void sk_csv_writer_free(sk_csv_writer *w)
{
	if (!w)
		return;
	if (w->cd != NO_ICONV)
		iconv_close(w->cd);
	sk_buf_free(&w->rec);
	sk_buf_free(&w->conv);
	free(w);
}
