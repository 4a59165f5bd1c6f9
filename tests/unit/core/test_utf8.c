/*
 * Unit tests of sk_utf8: the tricky byte sequences by name, an exhaustive
 * comparison with a reference decoder written from the definition (decode
 * any lead byte's bits, then refuse what RFC 3629 forbids), encode/decode
 * round trips over every scalar value, and cutting at a byte limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/sk_utf8.h"

/* Decodes the n bytes given as a string; returns the length and sets *cp. */
static size_t dec(const char *s, size_t n, uint32_t *cp)
{
	return sk_utf8_decode((const unsigned char *)s, n, cp);
}

static void test_named_cases(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		size_t n;
		size_t want_len; /* 0: invalid */
		uint32_t want_cp;
	} cases[] = {
	    {"A", 1, 1, 'A'},
	    {"\x00", 1, 1, 0},
	    {"\xc2\x80", 2, 2, 0x80},
	    {"\xdf\xbf", 2, 2, 0x7ff},
	    {"\xe0\xa0\x80", 3, 3, 0x800},
	    {"\xe6\x97\xa5", 3, 3, 0x65e5}, /* 日 */
	    {"\xed\x9f\xbf", 3, 3, 0xd7ff},
	    {"\xee\x80\x80", 3, 3, 0xe000},
	    {"\xef\xbf\xbf", 3, 3, 0xffff},
	    {"\xf0\x90\x80\x80", 4, 4, 0x10000},
	    {"\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff},
	    /* overlong forms of '/' and of U+0000 */
	    {"\xc0\xaf", 2, 0, 0},
	    {"\xc1\xbf", 2, 0, 0},
	    {"\xc0\x80", 2, 0, 0},
	    {"\xe0\x80\xaf", 3, 0, 0},
	    {"\xe0\x9f\xbf", 3, 0, 0},
	    {"\xf0\x80\x80\xaf", 4, 0, 0},
	    {"\xf0\x8f\xbf\xbf", 4, 0, 0},
	    /* surrogates, high and low */
	    {"\xed\xa0\x80", 3, 0, 0},
	    {"\xed\xbf\xbf", 3, 0, 0},
	    /* past U+10FFFF, and lead bytes that can never start a sequence */
	    {"\xf4\x90\x80\x80", 4, 0, 0},
	    {"\xf5\x80\x80\x80", 4, 0, 0},
	    {"\xf8\x88\x80\x80\x80", 5, 0, 0},
	    {"\xff", 1, 0, 0},
	    /* stray continuation bytes */
	    {"\x80", 1, 0, 0},
	    {"\xbf\x41", 2, 0, 0},
	    /* truncated: by the buffer's end, or by a byte that is not a continuation */
	    {"\xc3", 1, 0, 0},
	    {"\xe6\x97", 2, 0, 0},
	    {"\xf0\x90\x80", 3, 0, 0},
	    {"\xe6\x97\x41", 3, 0, 0},
	    {"\xc3\xc3\xa9", 3, 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t cp = 12345;
		size_t k = dec(cases[i].bytes, cases[i].n, &cp);
		if (k != cases[i].want_len)
			fail_msg("case %zu: length %zu, want %zu", i, k, cases[i].want_len);
		if (k && cp != cases[i].want_cp)
			fail_msg("case %zu: U+%04X, want U+%04X", i, (unsigned)cp,
			         (unsigned)cases[i].want_cp);
		if (!k)
			assert_int_equal(cp, 0xfffd);
		size_t bad = 999;
		bool valid = sk_utf8_valid(cases[i].bytes, cases[i].n, &bad);
		assert_int_equal(valid, k == cases[i].n);
		if (!k)
			assert_int_equal(bad, 0);
	}
	/* The offset of the first bad byte, past an ASCII run read eight at a time. */
	size_t bad = 0;
	const char *t = "0123456789abcdef\xe6\x97\xa5xyz\xed\xa0\x80tail";
	assert_false(sk_utf8_valid(t, strlen(t), &bad));
	assert_int_equal(bad, 22);
	assert_true(sk_utf8_valid(t, 22, NULL));
	assert_true(sk_utf8_valid("", 0, NULL));
}

/* The reference: decode the bits any lead byte announces, then apply RFC 3629's limits. */
static size_t ref_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	size_t k = c < 0x80                ? 1
	           : c >= 0xc0 && c < 0xe0 ? 2
	           : c >= 0xe0 && c < 0xf0 ? 3
	           : c >= 0xf0 && c < 0xf8 ? 4
	                                   : 0;
	if (k == 0 || n < k)
		return 0;
	uint32_t v = k == 1 ? c : c & (0x7fu >> k);
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3fu);
	}
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	if (v < min[k] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return k;
}

static void agree(const unsigned char *b, size_t n)
{
	uint32_t a = 0, r = 0;
	size_t ka = sk_utf8_decode(b, n, &a), kr = ref_decode(b, n, &r);
	if (ka != kr || (ka && a != r))
		fail_msg("%zu bytes %02x %02x %02x %02x: %zu/U+%X, reference %zu/U+%X", n, b[0],
		         n > 1 ? b[1] : 0, n > 2 ? b[2] : 0, n > 3 ? b[3] : 0, ka, (unsigned)a, kr,
		         (unsigned)r);
}

static void test_against_reference(void **state)
{
	(void)state;
	unsigned char b[4];
	static const unsigned char tails[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90,
	                                      0x9f, 0xa0, 0xbf, 0xc0, 0xf4, 0xff};
	for (unsigned x = 0; x < 256; x++) {
		b[0] = (unsigned char)x;
		agree(b, 1);
		for (unsigned y = 0; y < 256; y++) {
			b[1] = (unsigned char)y;
			agree(b, 2);
			for (size_t z = 0; z < sizeof(tails); z++) {
				b[2] = tails[z];
				agree(b, 3);
				for (size_t w = 0; w < sizeof(tails); w++) {
					b[3] = tails[w];
					agree(b, 4);
				}
			}
		}
	}
}

static void test_encode_round_trip(void **state)
{
	(void)state;
	char out[SK_UTF8_MAX];
	for (uint32_t cp = 0; cp <= 0x110000; cp++) {
		size_t k = sk_utf8_encode(cp, out);
		if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
			assert_int_equal(k, 0);
			continue;
		}
		uint32_t back = 0;
		size_t d = sk_utf8_decode((const unsigned char *)out, k, &back);
		if (d != k || back != cp)
			fail_msg("U+%X: encoded %zu bytes, decoded %zu bytes as U+%X", (unsigned)cp,
			         k, d, (unsigned)back);
	}
}

static void test_cut(void **state)
{
	(void)state;
	const char *s = "ab日本"; /* 2 + 3 + 3 bytes */
	size_t n = strlen(s);
	assert_int_equal(sk_utf8_cut(s, n, 100), n);
	assert_int_equal(sk_utf8_cut(s, n, n), n);
	assert_int_equal(sk_utf8_cut(s, n, 7), 5);
	assert_int_equal(sk_utf8_cut(s, n, 5), 5);
	assert_int_equal(sk_utf8_cut(s, n, 4), 2);
	assert_int_equal(sk_utf8_cut(s, n, 2), 2);
	assert_int_equal(sk_utf8_cut(s, n, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_named_cases),
	    cmocka_unit_test(test_against_reference),
	    cmocka_unit_test(test_encode_round_trip),
	    cmocka_unit_test(test_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
