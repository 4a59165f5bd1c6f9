/*
 * sk_utf8: the one UTF-8 decoder and validator. Strict as RFC 3629 and
 * Unicode's well-formed byte sequences table: overlong forms (C0 AF,
 * E0 80 AF), surrogates (ED A0 80), code points past U+10FFFF (F4 90 80 80),
 * stray continuation bytes and sequences cut short are all invalid. Every
 * module that reads UTF-8 byte by byte goes through here.
 */
#ifndef SK_UTF8_H
#define SK_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest sequence, in bytes. */
#define SK_UTF8_MAX 4

/*
 * Decodes the sequence at s, of which n > 0 bytes may be read. Returns its
 * length (1-4) and sets *cp to the code point, or returns 0 when the bytes
 * at s do not start a well-formed sequence (then *cp is U+FFFD and a caller
 * that replaces bad input skips one byte). Inline: the mail sanitizer and
 * the JSON writer call it once per character.
 */
static inline size_t sk_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	*cp = 0xfffd;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t k;
	unsigned lo = 0x80, hi = 0xbf; /* the second byte's range (Unicode Table 3-7) */
	if (c >= 0xc2 && c <= 0xdf) {
		k = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* past U+10FFFF */
	} else {
		return 0;
	}
	if (n < k || s[1] < lo || s[1] > hi)
		return 0;
	uint32_t v = c & (0x7fu >> k);
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3fu);
	}
	*cp = v;
	return k;
}

/*
 * Whether cp is invisible or changes the direction of the text around it
 * (U+200B-U+200F, U+202A-U+202E, U+2066-U+2069, U+FEFF): characters that
 * let "invoice\u202Efdp.exe" read as a PDF. A name refuses them; the mail
 * sanitizer shows them as [U+XXXX]. Each is three bytes long in UTF-8.
 */
static inline bool sk_utf8_is_deceptive(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

/*
 * Whether the n bytes at s are well-formed UTF-8 (NUL bytes are). When they
 * are not and bad_at is not NULL, *bad_at is the offset of the first byte
 * of the first bad sequence.
 */
bool sk_utf8_valid(const char *s, size_t n, size_t *bad_at);

/*
 * The length of the longest prefix of the n bytes at s that is at most max
 * bytes and does not end inside a sequence: for cutting valid text to a
 * byte limit without splitting a character.
 */
size_t sk_utf8_cut(const char *s, size_t n, size_t max);

/*
 * Encodes cp into out and returns the number of bytes (1-4), or 0 when cp
 * is a surrogate or past U+10FFFF (nothing is written then).
 */
size_t sk_utf8_encode(uint32_t cp, char out[SK_UTF8_MAX]);

#endif
