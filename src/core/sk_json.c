/* sk_json: canonical encoding and checked access on jansson. */
#include "sk_json.h"

#include "sk_clock.h"
#include "sk_utf8.h"
#include "sk_msg.h"

#include <stdlib.h>
#include <string.h>

/*
 * The encoder. jansson's json_dumps is slow for what sekisho encodes most
 * (audit images and answers of a few kilobytes, mostly Japanese text): it
 * walks every string one code point at a time through a callback, and
 * JSON_SORT_KEYS copies and sorts the keys of every object through a
 * hashtable walk. This writes the same bytes (tests/unit/core compares the
 * two on every kind of value): compact, strings escaped as sk_json_add_str
 * says, integers in decimal, reals as jansson writes them (through
 * jansson: rare here), object keys in insertion order or sorted byte-wise
 * (jansson's order: memcmp, then the shorter first).
 */
#define ENC_DEPTH_MAX 2048 /* beyond jansson's parser's own limit (2048) */

static sk_err enc(const json_t *j, sk_buf *out, bool sorted, int depth);

static sk_err enc_real(const json_t *j, sk_buf *out)
{
	char *t = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	if (!t)
		return SK_ERR_NOMEM;
	sk_err e = sk_buf_adds(out, t);
	free(t);
	return e;
}

struct member {
	const char *key;
	size_t len;
	json_t *value;
};

static int member_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	int r = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
	return r ? r : (x->len > y->len) - (x->len < y->len);
}

static sk_err enc_member(const struct member *m, bool first, sk_buf *out, bool sorted, int depth)
{
	sk_err e = first ? SK_OK : sk_buf_addc(out, ',');
	if (!e)
		e = sk_json_add_str(out, m->key, m->len);
	if (!e)
		e = sk_buf_addc(out, ':');
	return e ? e : enc(m->value, out, sorted, depth + 1);
}

static sk_err enc_object(const json_t *j, sk_buf *out, bool sorted, int depth)
{
	size_t n = json_object_size(j);
	sk_err e = sk_buf_addc(out, '{');
	if (e || n == 0)
		return e ? e : sk_buf_addc(out, '}');
	struct member local[32], *m = local;
	if (n > sizeof(local) / sizeof(local[0]) && !(m = malloc(n * sizeof(*m))))
		return SK_ERR_NOMEM;
	size_t k = 0;
	/* jansson's iterator takes a mutable object; it only reads it. */
	union {
		const json_t *c;
		json_t *m;
	} u = {.c = j};
	json_t *obj = u.m;
	for (void *it = json_object_iter(obj); it && k < n; it = json_object_iter_next(obj, it)) {
		m[k].key = json_object_iter_key(it);
		m[k].len = json_object_iter_key_len(it);
		m[k].value = json_object_iter_value(it);
		if (!sorted) {
			/* Insertion order: each member as it comes. */
			if ((e = enc_member(&m[k], k == 0, out, sorted, depth)))
				break;
		}
		k++;
	}
	if (!e && sorted) {
		qsort(m, k, sizeof(*m), member_cmp);
		for (size_t i = 0; !e && i < k; i++)
			e = enc_member(&m[i], i == 0, out, sorted, depth);
	}
	if (m != local)
		free(m);
	return e ? e : sk_buf_addc(out, '}');
}

static sk_err enc(const json_t *j, sk_buf *out, bool sorted, int depth)
{
	if (!j || depth > ENC_DEPTH_MAX)
		return SK_ERR_INVALID;
	switch (json_typeof(j)) {
	case JSON_NULL:
		return sk_buf_add(out, "null", 4);
	case JSON_TRUE:
		return sk_buf_add(out, "true", 4);
	case JSON_FALSE:
		return sk_buf_add(out, "false", 5);
	case JSON_INTEGER:
		return sk_buf_add_int(out, (int64_t)json_integer_value(j));
	case JSON_REAL:
		return enc_real(j, out);
	case JSON_STRING:
		return sk_json_add_str(out, json_string_value(j), json_string_length(j));
	case JSON_ARRAY: {
		sk_err e = sk_buf_addc(out, '[');
		size_t n = json_array_size(j);
		for (size_t i = 0; !e && i < n; i++) {
			if (i)
				e = sk_buf_addc(out, ',');
			if (!e)
				e = enc(json_array_get(j, i), out, sorted, depth + 1);
		}
		return e ? e : sk_buf_addc(out, ']');
	}
	case JSON_OBJECT:
		return enc_object(j, out, sorted, depth);
	}
	return SK_ERR_INVALID;
}

/* Encodes j after out's bytes; on failure out is as it was and the error is the buffer's
 * (SK_ERR_TOO_BIG past its max) or SK_ERR_NOMEM. */
static sk_err encode(const json_t *j, sk_buf *out, bool sorted)
{
	size_t before = out->len;
	sk_err e = enc(j, out, sorted, 0);
	if (e) {
		out->len = before;
		if (out->cap)
			out->data[before] = '\0';
		return e == SK_ERR_TOO_BIG ? e : SK_ERR_NOMEM;
	}
	return SK_OK;
}

sk_err sk_json_canonical(const json_t *j, sk_buf *out) { return encode(j, out, true); }

char *sk_json_canonical_str(const json_t *j)
{
	sk_buf b = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	if (encode(j, &b, true)) {
		sk_buf_free(&b);
		return NULL;
	}
	return sk_buf_detach(&b);
}

sk_err sk_json_compact(const json_t *j, sk_buf *out) { return encode(j, out, false); }

char *sk_json_compact_str(const json_t *j)
{
	sk_buf b = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	if (encode(j, &b, false)) {
		sk_buf_free(&b);
		return NULL;
	}
	return sk_buf_detach(&b);
}

static bool sorted_at(const json_t *j, int depth)
{
	if (depth > ENC_DEPTH_MAX)
		return false;
	if (json_is_array(j)) {
		size_t n = json_array_size(j);
		for (size_t i = 0; i < n; i++)
			if (!sorted_at(json_array_get(j, i), depth + 1))
				return false;
		return true;
	}
	if (!json_is_object(j))
		return true;
	union {
		const json_t *c;
		json_t *m;
	} u = {.c = j};
	struct member prev = {NULL, 0, NULL};
	for (void *it = json_object_iter(u.m); it; it = json_object_iter_next(u.m, it)) {
		struct member m = {json_object_iter_key(it), json_object_iter_key_len(it),
		                   json_object_iter_value(it)};
		if ((prev.key && member_cmp(&prev, &m) >= 0) || !sorted_at(m.value, depth + 1))
			return false;
		prev = m;
	}
	return true;
}

bool sk_json_compact_is_canonical(const json_t *j) { return j && sorted_at(j, 0); }

/* The length of the UTF-8 sequence at s (at most n bytes), or 0 when it is not valid. */
static inline size_t utf8_seq(const unsigned char *s, size_t n)
{
	uint32_t cp;
	return sk_utf8_decode(s, n, &cp);
}

bool sk_json_utf8_valid(const char *s, size_t n) { return sk_utf8_valid(s, n, NULL); }

sk_err sk_json_add_str(sk_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	size_t start = out->len;
	/* Room for the common case (nothing to escape) at once; escapes grow it further. */
	sk_err e = sk_buf_grow(out, n + 2);
	if (e)
		return e;
	/* The common case: one scan, then one copy between the quotes. */
	size_t clean = 0;
	while (clean < n) {
		if (u[clean] < 0x80) {
			if (u[clean] < 0x20 || u[clean] == '"' || u[clean] == '\\')
				break;
			clean++;
			continue;
		}
		size_t k = utf8_seq(u + clean, n - clean);
		if (!k)
			return SK_ERR_INVALID;
		clean += k;
	}
	if (clean == n) {
		char *p = out->data + out->len;
		*p++ = '"';
		memcpy(p, s, n);
		p[n] = '"';
		p[n + 1] = '\0';
		out->len += n + 2;
		return SK_OK;
	}
	out->data[out->len++] = '"';
	size_t i = 0;
	while (i < n) {
		/* Copy the longest run that needs no escape in one go. */
		size_t run = i;
		while (run < n && u[run] >= 0x20 && u[run] != '"' && u[run] != '\\') {
			if (u[run] < 0x80) {
				run++;
				continue;
			}
			size_t k = utf8_seq(u + run, n - run);
			if (!k) {
				out->len = start;
				out->data[start] = '\0';
				return SK_ERR_INVALID;
			}
			run += k;
		}
		if (run > i && (e = sk_buf_add(out, s + i, run - i)))
			break;
		i = run;
		if (i == n)
			break;
		char esc[6] = {'\\', 0, 0, 0, 0, 0};
		size_t len = 2;
		switch (u[i]) {
		case '"':
		case '\\':
			esc[1] = (char)u[i];
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[u[i] >> 4];
			esc[5] = hex[u[i] & 15];
			len = 6;
		}
		if ((e = sk_buf_add(out, esc, len)))
			break;
		i++;
	}
	if (!e)
		e = sk_buf_addc(out, '"');
	if (e) {
		out->len = start;
		out->data[start] = '\0';
	}
	return e;
}

/*
 * The canonical form's checker (sk_json_is_canonical): a scanner over the
 * text accepting only what the encoder above writes, no parse tree built.
 */
#define CANON_DEPTH_MAX  64
#define CANON_DIGITS_MAX 18 /* any such integer fits in json_int_t */

struct canon {
	const unsigned char *s, *end;
};

/* A string at c->s, its bytes as the encoder escapes them; key: no escapes at all. */
static bool canon_str(struct canon *c, bool key)
{
	const unsigned char *p = c->s;
	if (p == c->end || *p++ != '"')
		return false;
	while (p < c->end) {
		unsigned char b = *p;
		if (b == '"') {
			c->s = p + 1;
			return true;
		}
		if (b < 0x20)
			return false;
		if (b >= 0x80) {
			uint32_t cp;
			size_t k = sk_utf8_decode(p, (size_t)(c->end - p), &cp);
			if (!k)
				return false;
			p += k;
			continue;
		}
		if (b != '\\') {
			p++;
			continue;
		}
		if (key || c->end - p < 2)
			return false;
		switch (p[1]) {
		case '"':
		case '\\':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			p += 2;
			continue;
		case 'u':
			break;
		default:
			return false;
		}
		/* \u00XX, upper-case hex, only for a control character without a short form
		 * (and not NUL, which jansson refuses in a string). */
		if (c->end - p < 6 || p[2] != '0' || p[3] != '0' || (p[4] != '0' && p[4] != '1'))
			return false;
		unsigned h = p[5];
		if (h >= '0' && h <= '9')
			h -= '0';
		else if (h >= 'A' && h <= 'F')
			h = h - 'A' + 10;
		else
			return false;
		unsigned v = (unsigned)(p[4] - '0') * 16 + h;
		if (v == 0 || v == '\b' || v == '\f' || v == '\n' || v == '\r' || v == '\t')
			return false;
		p += 6;
	}
	return false;
}

/* memcmp, then the shorter first: the encoder's order of keys (member_cmp). */
static int canon_key_cmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);
	return r ? r : (an > bn) - (an < bn);
}

static bool canon_lit(struct canon *c, const char *lit, size_t n)
{
	if ((size_t)(c->end - c->s) < n || memcmp(c->s, lit, n) != 0)
		return false;
	c->s += n;
	return true;
}

static bool canon_value(struct canon *c, int depth)
{
	if (c->s == c->end || depth > CANON_DEPTH_MAX)
		return false;
	switch (*c->s) {
	case '"':
		return canon_str(c, false);
	case 't':
		return canon_lit(c, "true", 4);
	case 'f':
		return canon_lit(c, "false", 5);
	case 'n':
		return canon_lit(c, "null", 4);
	case '[':
		c->s++;
		if (c->s < c->end && *c->s == ']') {
			c->s++;
			return true;
		}
		for (;;) {
			if (!canon_value(c, depth + 1) || c->s == c->end)
				return false;
			if (*c->s == ']') {
				c->s++;
				return true;
			}
			if (*c->s++ != ',')
				return false;
		}
	case '{': {
		c->s++;
		if (c->s < c->end && *c->s == '}') {
			c->s++;
			return true;
		}
		const unsigned char *prev = NULL;
		size_t prev_n = 0;
		for (;;) {
			const unsigned char *k = c->s + 1;
			if (!canon_str(c, true))
				return false;
			size_t kn = (size_t)(c->s - 1 - k);
			/* strictly ascending: sorted, and no key twice */
			if (prev && canon_key_cmp(prev, prev_n, k, kn) >= 0)
				return false;
			prev = k;
			prev_n = kn;
			if (c->s == c->end || *c->s++ != ':' || !canon_value(c, depth + 1) ||
			    c->s == c->end)
				return false;
			if (*c->s == '}') {
				c->s++;
				return true;
			}
			if (*c->s++ != ',')
				return false;
		}
	}
	default: {
		/* An integer: no sign but a minus, no leading zero, no -0, no fraction. */
		const unsigned char *p = c->s;
		if (*p == '-')
			p++;
		const unsigned char *d = p;
		while (p < c->end && *p >= '0' && *p <= '9')
			p++;
		size_t nd = (size_t)(p - d);
		if (nd == 0 || nd > CANON_DIGITS_MAX || (*d == '0' && (nd > 1 || d != c->s)))
			return false;
		if (p < c->end && (*p == '.' || *p == 'e' || *p == 'E'))
			return false;
		c->s = p;
		return true;
	}
	}
}

bool sk_json_is_canonical(const char *s, size_t n)
{
	struct canon c = {(const unsigned char *)s, (const unsigned char *)s + n};
	return s && canon_value(&c, 0) && c.s == c.end;
}

sk_err sk_json_parse(const char *text, size_t len, size_t max, json_t **out, sk_buf *err)
{
	*out = NULL;
	if (len > max)
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL,
		                   SK_M_CORE_JSON_INPUT_BYTES_EXCEEDS, len, max);
	json_t *j = sk_json_read(text, len);
	if (j) {
		*out = j;
		return SK_OK;
	}
	/* jansson says why (and, should the two ever disagree, its answer stands). */
	json_error_t je;
	j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!j)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_CORE_MALFORMED_JSON_LINE_COLUMN, je.line, je.column,
		                   je.text);
	*out = j;
	return SK_OK;
}

sk_err sk_json_only_keys(json_t *obj, const char *const *allowed, sk_buf *err)
{
	if (!json_is_object(obj))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CORE_EXPECTED_JSON_OBJECT);
	const char *key;
	json_t *v = NULL;
	json_object_foreach (obj, key, v) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, key) != 0)
			a++;
		if (!*a)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CORE_UNKNOWN_FIELD,
			                   key);
	}
	return SK_OK;
}

static sk_err lookup(const json_t *obj, const char *key, bool required, json_t **v, sk_buf *err)
{
	if (!json_is_object(obj))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CORE_EXPECTED_JSON_OBJECT);
	*v = json_object_get(obj, key);
	if (!*v || json_is_null(*v)) {
		if (required)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_CORE_FIELD_REQUIRED, key);
		return SK_ERR_NOT_FOUND;
	}
	return SK_OK;
}

sk_err sk_json_get_str(const json_t *obj, const char *key, bool required, const char **out,
                       sk_buf *err)
{
	json_t *v = NULL;
	sk_err e = lookup(obj, key, required, &v, err);
	if (e)
		return e;
	if (!json_is_string(v))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CORE_FIELD_MUST_STRING,
		                   key);
	*out = json_string_value(v);
	if (strlen(*out) != json_string_length(v))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_CORE_FIELD_CONTAINS_NUL_CHARACTER, key);
	return SK_OK;
}

sk_err sk_json_get_int(const json_t *obj, const char *key, bool required, int64_t *out, sk_buf *err)
{
	json_t *v = NULL;
	sk_err e = lookup(obj, key, required, &v, err);
	if (e)
		return e;
	if (!json_is_integer(v))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CORE_FIELD_MUST_INTEGER,
		                   key);
	*out = json_integer_value(v);
	return SK_OK;
}

sk_err sk_json_get_bool(const json_t *obj, const char *key, bool required, bool *out, sk_buf *err)
{
	json_t *v = NULL;
	sk_err e = lookup(obj, key, required, &v, err);
	if (e)
		return e;
	if (!json_is_boolean(v))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CORE_FIELD_MUST_TRUE_FALSE,
		                   key);
	*out = json_is_true(v);
	return SK_OK;
}

json_t *sk_json_time(int64_t t)
{
	if (!t)
		return json_null();
	char buf[SK_TIME_STR_MAX];
	sk_clock_format_local(t, buf);
	return json_string(buf);
}
