/*
 * sk_json_read: the reader behind sk_json_parse (see sk_json.h).
 *
 * Why not json_loadb alone: jansson's lexer takes the text one byte at a
 * time through a stream callback and copies every string byte by byte into
 * a growing buffer, about 200 instructions a byte; the body of a filed
 * request (a few hundred bytes, mostly Japanese) cost 53,000 instructions
 * to read, a fifth of the event loop's whole share of a filing
 * (docs/performance.md). This reads the text in place: a string without
 * escapes becomes a jansson string straight from the input (validated
 * once, then json_stringn_nocheck), and only escapes go through a buffer.
 *
 * It accepts exactly what json_loadb(JSON_REJECT_DUPLICATES |
 * JSON_DECODE_ANY) accepts, and builds equal values with members in the
 * same order: RFC 8259's grammar; strict UTF-8 (sk_utf8); no control
 * characters or \u0000 in strings; surrogate escapes only in pairs; no
 * duplicate keys; integers that fit json_int_t (else an error, as jansson);
 * reals through strtod (overflow is an error, underflow is not); at most
 * JSON_PARSER_MAX_DEPTH values deep, counting every value as jansson does.
 * It gives no reasons: on any failure sk_json_parse asks jansson, whose
 * message (line, column, what) people are shown. fuzz/fuzz_json.c reads
 * every input both ways and fails on any difference.
 */
#include "sk_json.h"
#include "sk_buf.h"
#include "sk_utf8.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	const unsigned char *p, *end;
	int depth;
	sk_buf scratch; /* a string with escapes, decoded */
};

static json_t *value(struct reader *r);

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
		r->p++;
}

static int hex4(const unsigned char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		int c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static bool put_utf8(sk_buf *b, uint32_t cp)
{
	char u[SK_UTF8_MAX];
	size_t n = sk_utf8_encode(cp, u);
	return n && sk_buf_add(b, u, n) == SK_OK;
}

/* One escape after its backslash (r->p on the letter) into the scratch buffer. */
static bool escape(struct reader *r)
{
	if (r->p >= r->end)
		return false;
	unsigned char c = *r->p++;
	char plain;
	switch (c) {
	case '"':
	case '\\':
	case '/':
		plain = (char)c;
		break;
	case 'b':
		plain = '\b';
		break;
	case 'f':
		plain = '\f';
		break;
	case 'n':
		plain = '\n';
		break;
	case 'r':
		plain = '\r';
		break;
	case 't':
		plain = '\t';
		break;
	case 'u': {
		int hi = r->end - r->p >= 4 ? hex4(r->p) : -1;
		if (hi <= 0) /* not four hex digits, or \u0000 */
			return false;
		r->p += 4;
		uint32_t cp = (uint32_t)hi;
		if (cp >= 0xdc00 && cp <= 0xdfff)
			return false; /* a low surrogate alone */
		if (cp >= 0xd800 && cp <= 0xdbff) {
			int lo = r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u'
			             ? hex4(r->p + 2)
			             : -1;
			if (lo < 0xdc00 || lo > 0xdfff)
				return false;
			r->p += 6;
			cp = 0x10000 + ((cp - 0xd800) << 10) + ((uint32_t)lo - 0xdc00);
		}
		return put_utf8(&r->scratch, cp);
	}
	default:
		return false;
	}
	return sk_buf_addc(&r->scratch, plain) == SK_OK;
}

/*
 * A string (r->p just past its opening quote): *s and *n are its bytes,
 * either in the input or in the scratch buffer (valid until the next string).
 */
static bool string(struct reader *r, const char **s, size_t *n)
{
	const unsigned char *start = r->p;
	bool escaped = false;
	for (;;) {
		const unsigned char *run = r->p;
		while (r->p < r->end) {
			unsigned char c = *r->p;
			if (c >= 0x80) {
				uint32_t cp;
				size_t k = sk_utf8_decode(r->p, (size_t)(r->end - r->p), &cp);
				if (!k)
					return false;
				r->p += k;
			} else if (c < 0x20) {
				return false;
			} else if (c == '"' || c == '\\') {
				break;
			} else {
				r->p++;
			}
		}
		if (r->p >= r->end)
			return false;
		if (*r->p == '"' && !escaped) {
			*s = (const char *)start;
			*n = (size_t)(r->p - start);
			r->p++;
			return true;
		}
		if (!escaped) {
			sk_buf_reset(&r->scratch);
			escaped = true;
		}
		if (r->p > run && sk_buf_add(&r->scratch, (const char *)run, (size_t)(r->p - run)))
			return false;
		if (*r->p == '"') {
			r->p++;
			*s = r->scratch.data;
			*n = r->scratch.len;
			return true;
		}
		r->p++; /* the backslash */
		if (!escape(r))
			return false;
	}
}

static bool digits(struct reader *r)
{
	const unsigned char *from = r->p;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	return r->p > from;
}

static json_t *number(struct reader *r)
{
	const unsigned char *start = r->p;
	if (*r->p == '-')
		r->p++;
	if (r->p < r->end && *r->p == '0') {
		r->p++;
		if (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			return NULL; /* a leading zero */
	} else if (!digits(r)) {
		return NULL;
	}
	bool real = false;
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (!digits(r))
			return NULL;
		real = true;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!digits(r))
			return NULL;
		real = true;
	}
	/* strtoll and strtod need a terminated string; a number is short. */
	char buf[128];
	size_t len = (size_t)(r->p - start);
	char *text = len < sizeof(buf) ? buf : malloc(len + 1);
	if (!text)
		return NULL;
	memcpy(text, start, len);
	text[len] = '\0';
	json_t *out = NULL;
	errno = 0;
	if (!real) {
		long long v = strtoll(text, NULL, 10);
		if (errno != ERANGE)
			out = json_integer((json_int_t)v);
	} else {
		double d = strtod(text, NULL);
		if (!((d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE))
			out = json_real(d);
	}
	if (text != buf)
		free(text);
	return out;
}

static bool word(struct reader *r, const char *w, size_t n)
{
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
		return false;
	r->p += n;
	return true;
}

static json_t *array(struct reader *r)
{
	json_t *a = json_array();
	if (!a)
		return NULL;
	skip_ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return a;
	}
	for (;;) {
		json_t *v = value(r);
		if (!v || json_array_append_new(a, v))
			break;
		skip_ws(r);
		if (r->p >= r->end)
			break;
		unsigned char c = *r->p++;
		if (c == ']')
			return a;
		if (c != ',')
			break;
	}
	json_decref(a);
	return NULL;
}

static json_t *object(struct reader *r)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	skip_ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return o;
	}
	char kbuf[64], *kheap = NULL;
	for (;;) {
		const char *k;
		size_t kn;
		if (r->p >= r->end || *r->p != '"')
			break;
		r->p++;
		if (!string(r, &k, &kn))
			break;
		/* The key outlives the scratch buffer the value's strings reuse. */
		char *key = kbuf;
		if (kn >= sizeof(kbuf)) {
			free(kheap);
			if (!(key = kheap = malloc(kn + 1)))
				break;
		}
		memcpy(key, k, kn);
		key[kn] = '\0';
		skip_ws(r);
		if (r->p >= r->end || *r->p != ':')
			break;
		r->p++;
		json_t *v = value(r);
		if (!v)
			break;
		if (json_object_getn(o, key, kn)) {
			json_decref(v); /* a duplicate key, as JSON_REJECT_DUPLICATES */
			break;
		}
		if (json_object_setn_new_nocheck(o, key, kn, v))
			break; /* jansson released v */
		skip_ws(r);
		if (r->p >= r->end)
			break;
		unsigned char c = *r->p++;
		if (c == '}') {
			free(kheap);
			return o;
		}
		if (c != ',')
			break;
		skip_ws(r);
	}
	free(kheap);
	json_decref(o);
	return NULL;
}

static json_t *value(struct reader *r)
{
	/* jansson counts every value, scalars too, against its limit. */
	if (++r->depth > JSON_PARSER_MAX_DEPTH)
		return NULL;
	skip_ws(r);
	json_t *v = NULL;
	if (r->p < r->end) {
		switch (*r->p) {
		case '{':
			r->p++;
			v = object(r);
			break;
		case '[':
			r->p++;
			v = array(r);
			break;
		case '"': {
			const char *s;
			size_t n;
			r->p++;
			if (string(r, &s, &n))
				v = json_stringn_nocheck(s, n);
			break;
		}
		case 't':
			v = word(r, "true", 4) ? json_true() : NULL;
			break;
		case 'f':
			v = word(r, "false", 5) ? json_false() : NULL;
			break;
		case 'n':
			v = word(r, "null", 4) ? json_null() : NULL;
			break;
		default:
			if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
				v = number(r);
			break;
		}
	}
	r->depth--;
	return v;
}

json_t *sk_json_read(const char *text, size_t len)
{
	struct reader r = {.p = (const unsigned char *)text,
	                   .end = (const unsigned char *)text + len,
	                   .scratch = SK_BUF_INIT(len + 1)}; /* never longer decoded */
	json_t *v = value(&r);
	skip_ws(&r);
	if (v && r.p != r.end) {
		json_decref(v);
		v = NULL;
	}
	sk_buf_free(&r.scratch);
	return v;
}
