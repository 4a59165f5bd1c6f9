/* sk_json: canonical encoding and checked access on jansson. */
#include "sk_json.h"

#include "sk_clock.h"
#include "sk_utf8.h"

#include <stdlib.h>
#include <string.h>

static int dump_cb(const char *p, size_t n, void *data)
{
	return sk_buf_add(data, p, n) == SK_OK ? 0 : -1;
}

sk_err sk_json_canonical(const json_t *j, sk_buf *out)
{
	size_t before = out->len;
	if (json_dump_callback(j, dump_cb, out, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)) {
		out->len = before;
		if (out->cap)
			out->data[before] = '\0';
		return SK_ERR_NOMEM;
	}
	return SK_OK;
}

char *sk_json_canonical_str(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

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

sk_err sk_json_parse(const char *text, size_t len, size_t max, json_t **out, sk_buf *err)
{
	*out = NULL;
	if (len > max)
		return sk_fail(err, SK_ERR_TOO_BIG,
		               "JSON input of %zu bytes exceeds the limit of %zu", len, max);
	json_error_t je;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!j)
		return sk_fail(err, SK_ERR_INVALID, "malformed JSON at line %d, column %d: %s",
		               je.line, je.column, je.text);
	*out = j;
	return SK_OK;
}

sk_err sk_json_only_keys(json_t *obj, const char *const *allowed, sk_buf *err)
{
	if (!json_is_object(obj))
		return sk_fail(err, SK_ERR_INVALID, "expected a JSON object");
	const char *key;
	json_t *v = NULL;
	json_object_foreach (obj, key, v) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, key) != 0)
			a++;
		if (!*a)
			return sk_fail(err, SK_ERR_INVALID, "unknown field '%s'", key);
	}
	return SK_OK;
}

static sk_err lookup(const json_t *obj, const char *key, bool required, json_t **v, sk_buf *err)
{
	if (!json_is_object(obj))
		return sk_fail(err, SK_ERR_INVALID, "expected a JSON object");
	*v = json_object_get(obj, key);
	if (!*v || json_is_null(*v)) {
		if (required)
			return sk_fail(err, SK_ERR_INVALID, "field '%s' is required", key);
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
		return sk_fail(err, SK_ERR_INVALID, "field '%s' must be a string", key);
	*out = json_string_value(v);
	if (strlen(*out) != json_string_length(v))
		return sk_fail(err, SK_ERR_INVALID, "field '%s' contains a NUL character", key);
	return SK_OK;
}

sk_err sk_json_get_int(const json_t *obj, const char *key, bool required, int64_t *out, sk_buf *err)
{
	json_t *v = NULL;
	sk_err e = lookup(obj, key, required, &v, err);
	if (e)
		return e;
	if (!json_is_integer(v))
		return sk_fail(err, SK_ERR_INVALID, "field '%s' must be an integer", key);
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
		return sk_fail(err, SK_ERR_INVALID, "field '%s' must be true or false", key);
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
