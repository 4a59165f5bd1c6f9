/*
 * text: the checks every domain module applies to names and identifiers
 * typed by people, so that all of them refuse the same things with the
 * same kind of message.
 */
#ifndef SK_TEXT_H
#define SK_TEXT_H

#include <stddef.h>

#include "../core/sk_buf.h"

/*
 * A human-readable name (a unit's or a person's): non-empty, valid UTF-8,
 * no control characters, no leading or trailing space, at most max bytes.
 * what names the field in the message ("unit name").
 */
sk_err sk_text_check_name(const char *what, const char *v, size_t max, sk_buf *err);

/*
 * An identifier (a unit code, a login): 1..max characters from
 * [a-z0-9._-] (plus A-Z with SK_IDENT_UPPER), starting with a letter or a
 * digit, and not all digits (so that it can never be mistaken for a numeric
 * id where either is accepted) unless SK_IDENT_DIGITS allows it: a unit
 * code may be the 地方公共団体コード ("151009"), and the unit lookup
 * (sk_org_get) tells such a code from an id.
 */
#define SK_IDENT_UPPER  1
#define SK_IDENT_DIGITS 2
sk_err sk_text_check_ident(const char *what, const char *v, size_t max, int flags, sk_buf *err);

#endif
