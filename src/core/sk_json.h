/*
 * sk_json: the few things sekisho needs on top of jansson: a canonical
 * encoding (for hashing and audit before/after images), capped parsing of
 * untrusted input, and typed field access that names the offending field.
 *
 * Ownership follows jansson: functions returning json_t* hand the caller a
 * new reference; "get" functions borrow.
 */
#ifndef SK_JSON_H
#define SK_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "sk_buf.h"

/* Canonical form: compact, keys sorted, UTF-8 kept as is. Appends to out. */
sk_err sk_json_canonical(const json_t *j, sk_buf *out);
/* Canonical form as a malloc'd string (free with free()), or NULL on OOM. */
char *sk_json_canonical_str(const json_t *j);
/*
 * json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY)'s bytes (keys in insertion
 * order), appended to out, several times faster. Either this or the
 * canonical form fails with out as it was: SK_ERR_TOO_BIG past out's max,
 * SK_ERR_NOMEM otherwise (also for a string that is not UTF-8, which jansson
 * cannot encode either).
 */
sk_err sk_json_compact(const json_t *j, sk_buf *out);
/* The compact form as a malloc'd string (free with free()), or NULL on failure. */
char *sk_json_compact_str(const json_t *j);
/*
 * Whether every object in j holds its keys in the canonical form's order, so
 * that sk_json_compact writes the same bytes as sk_json_canonical (a cheap
 * walk, no encoding).
 */
bool sk_json_compact_is_canonical(const json_t *j);

/*
 * For code that writes JSON text directly (no json_t, e.g. a hot path):
 * appends the n bytes at s as a JSON string literal, escaped exactly as the
 * canonical form (jansson's compact encoding) escapes it: '"' and '\\'
 * escaped, \b \f \n \r \t, other control characters as \u00XX (upper-case
 * hex), everything else (non-ASCII included) as is. SK_ERR_INVALID, with
 * nothing appended, when s is not valid UTF-8; the buffer's errors otherwise.
 */
sk_err sk_json_add_str(sk_buf *out, const char *s, size_t n);

/*
 * Whether the n bytes at s are exactly what sk_json_canonical writes of the
 * value jansson parses from them (json_loadb with JSON_DECODE_ANY), so that
 * a caller may embed them as they are instead of parsing and encoding
 * again. Conservative: false for anything it does not vouch for (reals,
 * escapes in keys, deep nesting, text jansson would refuse); the caller
 * then takes the slow path, which is always right.
 */
bool sk_json_is_canonical(const char *s, size_t n);

/*
 * A Unix time as an RFC 3339 string in the installation's time zone
 * (sk_clock_format_local: "2027-04-01T00:00:00+09:00"), or JSON null for 0 (never).
 */
json_t *sk_json_time(int64_t t);
/* Whether the n bytes at s are valid UTF-8 as jansson accepts it (no overlong forms,
 * surrogates or code points past U+10FFFF; NUL bytes are valid). */
bool sk_json_utf8_valid(const char *s, size_t n);

/*
 * Parses untrusted JSON text of len bytes. Rejects duplicate keys, invalid
 * UTF-8, and input over max bytes. On failure writes "line L, column C: ..."
 * into err.
 */
sk_err sk_json_parse(const char *text, size_t len, size_t max, json_t **out, sk_buf *err);

/*
 * The reader sk_json_parse uses first (sk_json_read.c): the value of the
 * len bytes at text as json_loadb(JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)
 * reads it, or NULL where jansson would fail (or memory ran out), without
 * saying why.
 */
json_t *sk_json_read(const char *text, size_t len);

/*
 * Checks that obj is an object whose keys all appear in the NULL-terminated
 * list allowed; names the first unknown key otherwise.
 */
sk_err sk_json_only_keys(json_t *obj, const char *const *allowed, sk_buf *err);

/*
 * Typed getters. A missing key gives SK_ERR_NOT_FOUND when !required (and
 * leaves *out untouched) and SK_ERR_INVALID when required; a key of the wrong
 * type gives SK_ERR_INVALID naming the key. Strings are borrowed from obj.
 */
sk_err sk_json_get_str(const json_t *obj, const char *key, bool required, const char **out,
                       sk_buf *err);
sk_err sk_json_get_int(const json_t *obj, const char *key, bool required, int64_t *out,
                       sk_buf *err);
sk_err sk_json_get_bool(const json_t *obj, const char *key, bool required, bool *out, sk_buf *err);

#endif
