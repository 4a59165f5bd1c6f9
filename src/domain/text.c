/* text: shared checks for names and identifiers. */
#include "text.h"

#include "../core/sk_msg.h"
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

/* what ("unit code") as a person reads it in Japanese, and the field's key it stands for. */
static const char *what_ja(const char *what, const char **key)
{
	static const struct {
		const char *what, *key, *ja;
	} names[] = {
	    {"login", "login", "ログイン名"},
	    {"name", "name", "氏名"},
	    {"unit code", "code", "組織コード"},
	    {"unit name", "name", "組織名"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].what, what) == 0) {
			*key = names[i].key;
			return names[i].ja;
		}
	*key = NULL;
	return what;
}

#define FAIL(id, ...) sk_fail_msg(err, SK_ERR_INVALID, key, NULL, id, what, ja, __VA_ARGS__)
#define FAIL0(id)     sk_fail_msg(err, SK_ERR_INVALID, key, NULL, id, what, ja)

sk_err sk_text_check_name(const char *what, const char *v, size_t max, sk_buf *err)
{
	const char *key, *ja = what_ja(what, &key);
	if (!v || !*v)
		return FAIL0(SK_M_TEXT_EMPTY);
	size_t n = strlen(v);
	if (n > max)
		return FAIL(SK_M_TEXT_TOO_LONG_BYTES, max);
	if (v[0] == ' ' || v[n - 1] == ' ')
		return FAIL(SK_M_TEXT_SPACE_EDGE, v);
	const unsigned char *p = (const unsigned char *)v;
	for (size_t i = 0; i < n;) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return FAIL0(SK_M_TEXT_CONTROL_CHAR);
		size_t k = utf8_seq(p + i, n - i);
		if (!k)
			return FAIL(SK_M_TEXT_BAD_CHAR, i + 1);
		i += k;
	}
	return SK_OK;
}

sk_err sk_text_check_ident(const char *what, const char *v, size_t max, int flags, sk_buf *err)
{
	const char *key, *ja = what_ja(what, &key);
	int upper = flags & SK_IDENT_UPPER;
	if (!v || !*v)
		return FAIL0(SK_M_TEXT_EMPTY);
	size_t n = strlen(v);
	if (n > max)
		return FAIL(SK_M_TEXT_TOO_LONG_CHARS, 40, v, max);
	int digits = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		         (upper && c >= 'A' && c <= 'Z') ||
		         (i > 0 && (c == '.' || c == '_' || c == '-'));
		if (!ok)
			return FAIL(upper ? SK_M_TEXT_IDENT_CHARS : SK_M_TEXT_IDENT_LOWER, v);
		if (c < '0' || c > '9')
			digits = 0;
	}
	if (digits && !(flags & SK_IDENT_DIGITS))
		return FAIL(SK_M_TEXT_ALL_DIGITS, v);
	return SK_OK;
}
