/* sk_json: canonical encoding and checked access on jansson. */
#include "sk_json.h"

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
