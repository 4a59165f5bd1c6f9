/* text: shared checks for names and identifiers. */
#include "text.h"

#include <string.h>

/*
 * Length of the UTF-8 sequence starting at p (at most n bytes available),
 * or 0 when it is not a well-formed, shortest-form scalar value.
 */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len;
	unsigned min;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, min = 0x80, cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, min = 0x800, cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, min = 0x10000, cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls and the line/paragraph separators do not belong in a name. */
	if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
		return 0;
	return len;
}

sk_err sk_text_check_name(const char *what, const char *v, size_t max, sk_buf *err)
{
	if (!v || !*v)
		return sk_fail(err, SK_ERR_INVALID, "the %s is empty", what);
	size_t n = strlen(v);
	if (n > max)
		return sk_fail(err, SK_ERR_INVALID, "the %s is longer than %zu bytes", what, max);
	if (v[0] == ' ' || v[n - 1] == ' ')
		return sk_fail(err, SK_ERR_INVALID, "the %s '%s' starts or ends with a space", what,
		               v);
	const unsigned char *p = (const unsigned char *)v;
	for (size_t i = 0; i < n;) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return sk_fail(err, SK_ERR_INVALID, "the %s contains a control character",
			               what);
		size_t k = utf8_seq(p + i, n - i);
		if (!k)
			return sk_fail(err, SK_ERR_INVALID, "the %s is not valid UTF-8 (byte %zu)",
			               what, i + 1);
		i += k;
	}
	return SK_OK;
}

sk_err sk_text_check_ident(const char *what, const char *v, size_t max, int upper, sk_buf *err)
{
	if (!v || !*v)
		return sk_fail(err, SK_ERR_INVALID, "the %s is empty", what);
	size_t n = strlen(v);
	if (n > max)
		return sk_fail(err, SK_ERR_INVALID,
		               "the %s '%.*s...' is longer than %zu characters", what, 40, v, max);
	int digits = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		         (upper && c >= 'A' && c <= 'Z') ||
		         (i > 0 && (c == '.' || c == '_' || c == '-'));
		if (!ok)
			return sk_fail(err, SK_ERR_INVALID,
			               "the %s '%s' may hold only %s, digits and . _ - (not first)",
			               what, v, upper ? "letters" : "lower-case letters");
		if (c < '0' || c > '9')
			digits = 0;
	}
	if (digits)
		return sk_fail(err, SK_ERR_INVALID,
		               "the %s '%s' is all digits and would read as an id; add a letter",
		               what, v);
	return SK_OK;
}
