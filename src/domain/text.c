/* text: shared checks for names and identifiers. */
#include "../core/sk_msg.h"
#include "text.h"

#include "../core/sk_utf8.h"

#include <string.h>

/*
 * Length of the UTF-8 sequence starting at p (at most n bytes available),
 * or 0 when it is not well-formed or not a character a name may hold.
 */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t len = sk_utf8_decode(p, n, &cp);
	/*
	 * C1 controls, the line/paragraph separators and characters that hide or
	 * reverse text (U+202E …) do not belong in a name: "abc\u202Egpj.exe"
	 * must not read as another name in a list, an export or an audit entry.
	 */
	if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 || sk_utf8_is_deceptive(cp))
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
			return sk_fail(err, SK_ERR_INVALID,
			               "the %s is not valid UTF-8 or holds an invisible or "
			               "direction-changing character (byte %zu)",
			               what, i + 1);
		i += k;
	}
	return SK_OK;
}

sk_err sk_text_check_ident(const char *what, const char *v, size_t max, int flags, sk_buf *err)
{
	int upper = flags & SK_IDENT_UPPER;
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
	if (digits && !(flags & SK_IDENT_DIGITS))
		return sk_fail(err, SK_ERR_INVALID,
		               "the %s '%s' is all digits and would read as an id; add a letter",
		               what, v);
	return SK_OK;
}
