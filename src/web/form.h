/*
 * form: the one parser of a web form's body (application/x-www-form-
 * urlencoded). Names and values are URL-decoded ('+' is a space), must be
 * well-formed UTF-8 without NUL, and a name may appear once only (a second
 * value would be one a check did not see). The body is capped by the
 * caller's max and the fields by SK_FORM_FIELDS_MAX.
 */
#ifndef SK_FORM_H
#define SK_FORM_H

#include <stddef.h>

#include "../core/sk_buf.h"

#define SK_FORM_FIELDS_MAX 64

typedef struct sk_form {
	size_t n;
	const char *name[SK_FORM_FIELDS_MAX];
	const char *value[SK_FORM_FIELDS_MAX];
	size_t value_len[SK_FORM_FIELDS_MAX];
	char *mem; /* every name and value, decoded; owned */
	size_t mem_len;
} sk_form;

/*
 * Parses the len bytes at body into *f (free with sk_form_free, also after
 * a failure). SK_ERR_TOO_BIG when len > max or there are more than
 * SK_FORM_FIELDS_MAX fields; SK_ERR_INVALID (err naming the field when it
 * can be named) for bad escapes, NUL, bytes that are not UTF-8, an empty
 * name or a repeated name.
 */
sk_err sk_form_parse(const char *body, size_t len, size_t max, sk_form *f, sk_buf *err);

/* The value of name, or NULL when absent. */
const char *sk_form_get(const sk_form *f, const char *name);

void sk_form_free(sk_form *f);

#endif
