/* Unit tests of src/core: errors, buffers, arena, clock, JSON. */
#include "testutil.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/sk_arena.h"
#include "core/sk_buf.h"
#include "core/sk_clock.h"
#include "core/sk_err.h"
#include "core/sk_json.h"
#include "core/sk_msg.h"
#include "core/sk_vec.h"

static void test_err_table(void **state)
{
	(void)state;
	for (int e = 0; e < SK_ERR__COUNT; e++) {
		assert_non_null(sk_err_code((sk_err)e));
		assert_true(strlen(sk_err_str((sk_err)e)) > 0);
	}
	assert_int_equal(sk_err_http_status(SK_ERR_NOT_FOUND), 404);
	assert_int_equal(sk_err_http_status(SK_ERR_LOCKED), 423);
	assert_int_equal(sk_err_http_status(SK_ERR_MUST_CHANGE_PASSWORD), 403);
	assert_string_equal(sk_err_code(SK_ERR_MUST_CHANGE_PASSWORD), "must_change_password");
	assert_int_equal(sk_err_exit_code(SK_OK), 0);
	assert_int_equal(sk_err_exit_code(SK_ERR_INVALID), 2);
	assert_int_equal(sk_err_exit_code(SK_ERR_CORRUPT), 1);
	assert_int_equal(sk_err_exit_code(SK_ERR_TEMPFAIL), 75);
	/* Out-of-range values do not index past the table. */
	assert_int_equal(sk_err_http_status((sk_err)999), 500);
}

static void test_buf_cap(void **state)
{
	(void)state;
	sk_buf b = SK_BUF_INIT(8);
	assert_string_equal(b.data, "");
	assert_int_equal(sk_buf_adds(&b, "abcd"), SK_OK);
	assert_int_equal(sk_buf_adds(&b, "efgh"), SK_OK);
	assert_int_equal(sk_buf_addc(&b, 'x'), SK_ERR_TOO_BIG);
	assert_string_equal(b.data, "abcdefgh");
	sk_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(sk_buf_addf(&b, "%d-%s", 12, "toolongvalue"), SK_ERR_TOO_BIG);
	assert_int_equal(b.len, 8); /* formatted text is cut at the cap */
	assert_string_equal(b.data, "12-toolo");
	sk_buf_free(&b);
	assert_string_equal(b.data, "");

	sk_buf big = SK_BUF_INIT(1 << 20);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(sk_buf_addf(&big, "%04d", i % 10000), SK_OK);
	assert_int_equal(big.len, 40000);
	char *p = sk_buf_detach(&big);
	assert_memory_equal(p, "00000001", 8);
	free(p);
	assert_int_equal(big.len, 0);
}

static void test_fail(void **state)
{
	(void)state;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(sk_fail(&err, SK_ERR_INVALID, "unknown unit '%s'", "x"), SK_ERR_INVALID);
	assert_string_equal(err.data, "unknown unit 'x'");
	assert_int_equal(sk_fail(&err, SK_ERR_EXISTS, "dup"), SK_ERR_EXISTS);
	assert_string_equal(err.data, "dup");
	assert_int_equal(sk_fail(NULL, SK_ERR_IO, "ignored"), SK_ERR_IO);
	sk_buf_free(&err);
}

static void test_arena(void **state)
{
	(void)state;
	sk_arena a = SK_ARENA_INIT;
	char *s = sk_arena_strdup(&a, "hello");
	assert_string_equal(s, "hello");
	for (int i = 0; i < 1000; i++) {
		void *p = sk_arena_alloc(&a, 100);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		memset(p, 0xab, 100);
	}
	void *large = sk_arena_alloc(&a, 100000);
	assert_non_null(large);
	memset(large, 1, 100000);
	sk_arena_free(&a);
	assert_null(a.head);

	sk_arena capped = {NULL, 0, 1024};
	assert_non_null(sk_arena_alloc(&capped, 512));
	assert_null(sk_arena_alloc(&capped, 1024));
	sk_arena_free(&capped);
}

static void test_clock(void **state)
{
	(void)state;
	char out[SK_TIME_STR_MAX];
	sk_clock_set_fake_us(1763767179123456LL);
	assert_int_equal(sk_clock_now(), 1763767179);
	sk_clock_format_us(sk_clock_now_us(), out);
	assert_string_equal(out, "2025-11-21T23:19:39.123456+00:00");
	sk_clock_advance_us(1000000);
	sk_clock_format(sk_clock_now(), out);
	assert_string_equal(out, "2025-11-21T23:19:40+00:00");
	sk_clock_use_real();
	assert_true(sk_clock_now() > 1763767179);
	/* Written without gmtime_r and snprintf: the same text as they give, across days,
	 * leap years, the epoch and times before it, and the years past 9999 they still give. */
	static const int64_t secs[] = {
	    0,          -1,           59,           86399,        86400,
	    951782400,  951868799,    951868800,    1709164800,   1709251199,
	    4107542399, -2208988801,  -62135596800, 253402300799, 253402300800,
	    1763767179, -62167219200, -62167219201};
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
		for (int64_t k = -2; k <= 2; k++) {
			int64_t t = secs[i] + k * 3601;
			time_t tt = (time_t)t;
			struct tm tm;
			char want[SK_TIME_STR_MAX];
			assert_non_null(gmtime_r(&tt, &tm));
			snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d+00:00",
			         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			         tm.tm_min, tm.tm_sec);
			sk_clock_format(t, out);
			assert_string_equal(out, want);
			snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%06ld+00:00",
			         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			         tm.tm_min, tm.tm_sec, (long)(k + 2) * 123457 % 1000000);
			sk_clock_format_us(t * 1000000 + (k + 2) * 123457 % 1000000, out);
			assert_string_equal(out, want);
		}

	int64_t us;
	assert_int_equal(sk_clock_parse_us("2025-11-21T23:19:39.123456+00:00", &us), SK_OK);
	assert_int_equal(us, 1763767179123456LL);
	assert_int_equal(sk_clock_parse_us("2025-11-22T08:19:39+09:00", &us), SK_OK);
	assert_int_equal(us, 1763767179000000LL);
	assert_int_equal(sk_clock_parse_us("2024-02-29T00:00:00Z", &us), SK_OK);
	assert_int_equal(sk_clock_parse_us("2025-02-29T00:00:00Z", &us), SK_ERR_INVALID);
	assert_int_equal(sk_clock_parse_us("2025-11-21 23:19", &us), SK_ERR_INVALID);
	assert_int_equal(sk_clock_parse_us("2025-11-21T23:19:39", &us), SK_ERR_INVALID);
	assert_int_equal(sk_clock_parse_us("2025-11-21T23:19:39Zjunk", &us), SK_ERR_INVALID);
}

/* Asserts that the encoder writes what jansson writes for j, sorted and in insertion order. */
static void same_as_jansson(const json_t *j)
{
	char *want_sorted = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	char *want_ordered = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	assert_non_null(want_sorted);
	assert_non_null(want_ordered);
	sk_buf out = SK_BUF_INIT(1u << 20);
	assert_int_equal(sk_buf_adds(&out, "x"), SK_OK); /* appends after what out holds */
	assert_int_equal(sk_json_canonical(j, &out), SK_OK);
	assert_string_equal(out.data + 1, want_sorted);
	char *str = sk_json_canonical_str(j);
	assert_non_null(str);
	assert_string_equal(str, want_sorted);
	free(str);
	sk_buf_reset(&out);
	assert_int_equal(sk_json_compact(j, &out), SK_OK);
	assert_string_equal(out.data, want_ordered);
	if (sk_json_compact_is_canonical(j))
		assert_string_equal(want_ordered, want_sorted);
	sk_buf_free(&out);
	free(want_sorted);
	free(want_ordered);
}

/* A pseudo-random value: every type, keys that sort by bytes and by length, escapes. */
static json_t *random_value(unsigned *seed, int depth)
{
	static const char *const words[] = {
	    "",         "a",         "ab",           "b",   "B",  "情報",
	    "情報資産", "機密性2",   "\"q\"",        "\\",  "/",  "tab\there",
	    "nl\nend",  "\x01\x1f",  "\x7f",         "é",   "😀",  "Z",
	    "aa",       "a\xc2\xa0", "\xe3\x80\x80", "key", "ke", "k"};
	size_t nw = sizeof(words) / sizeof(words[0]);
	*seed = *seed * 1103515245u + 12345u;
	unsigned r = (*seed >> 8) % (depth > 3 ? 7 : 9);
	switch (r) {
	case 0:
		return json_null();
	case 1:
		return json_boolean((*seed >> 4) & 1);
	case 2: {
		static const json_int_t ints[] = {0,         1,          -1,        9,        10,
		                                  123456789, -987654321, INT64_MAX, INT64_MIN};
		return json_integer(ints[(*seed >> 3) % (sizeof(ints) / sizeof(ints[0]))]);
	}
	case 3: {
		static const double reals[] = {0.0, 1.5, -2.25, 1e300, 1e-7, 100.0, 0.1};
		return json_real(reals[(*seed >> 3) % (sizeof(reals) / sizeof(reals[0]))]);
	}
	case 4:
	case 5:
	case 6:
		return json_string(words[(*seed >> 3) % nw]);
	case 7: {
		json_t *a = json_array();
		for (unsigned i = 0; i < (*seed >> 5) % 5; i++)
			json_array_append_new(a, random_value(seed, depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		unsigned n =
		    (*seed >> 5) % 40; /* past 32 members too (the encoder's stack array) */
		for (unsigned i = 0; i < n; i++) {
			*seed = *seed * 1103515245u + 12345u;
			char key[64];
			snprintf(key, sizeof(key), "%s%s", words[(*seed >> 4) % nw],
			         (*seed >> 9) % 3 ? "" : words[(*seed >> 12) % nw]);
			json_object_set_new(o, key, random_value(seed, depth + 1));
		}
		return o;
	}
	}
}

static void test_json_encoder(void **state)
{
	(void)state;
	unsigned seed = 2026;
	for (int i = 0; i < 400; i++) {
		json_t *j = random_value(&seed, 0);
		same_as_jansson(j);
		json_decref(j);
	}
	/* Keys in order at every depth are recognised as such. */
	json_t *in_order = json_loads("{\"a\":[{\"x\":1,\"y\":2}],\"b\":{}}", 0, NULL),
	       *out_of_order = json_loads("{\"a\":[{\"y\":1,\"x\":2}],\"b\":{}}", 0, NULL);
	assert_true(sk_json_compact_is_canonical(in_order));
	assert_false(sk_json_compact_is_canonical(out_of_order));
	json_decref(in_order);
	json_decref(out_of_order);
	/* A key with a NUL byte in it sorts by its bytes, its length last. */
	json_t *o = json_object();
	json_object_setn_new(o, "a\0b", 3, json_integer(1));
	json_object_setn_new(o, "a", 1, json_integer(2));
	json_object_setn_new(o, "a\0", 2, json_integer(3));
	same_as_jansson(o);
	json_decref(o);
	/* What jansson cannot encode fails, leaving the buffer as it was. */
	sk_buf out = SK_BUF_INIT(64);
	assert_int_equal(sk_buf_adds(&out, "keep"), SK_OK);
	json_t *bad = json_stringn_nocheck("\xff", 1);
	assert_int_equal(sk_json_canonical(bad, &out), SK_ERR_NOMEM);
	assert_string_equal(out.data, "keep");
	json_decref(bad);
	json_t *big =
	    json_string("0123456789012345678901234567890123456789012345678901234567890123");
	assert_int_equal(sk_json_compact(big, &out), SK_ERR_TOO_BIG);
	assert_string_equal(out.data, "keep");
	json_decref(big);
	sk_buf_free(&out);
}

/*
 * What sk_json_is_canonical vouches for is what parsing and encoding again
 * gives back byte for byte (the request's stored JSON columns are embedded
 * in answers and audit images on its word).
 */
static void assert_canonical_sound(const char *t, size_t n)
{
	if (!sk_json_is_canonical(t, n))
		return;
	json_t *j = json_loadb(t, n, JSON_DECODE_ANY, NULL);
	assert_non_null(j);
	sk_buf out = SK_BUF_INIT(1u << 20);
	assert_int_equal(sk_json_canonical(j, &out), SK_OK);
	assert_int_equal(out.len, n);
	assert_memory_equal(out.data, t, n);
	sk_buf_free(&out);
	json_decref(j);
}

/* Whether j holds what the checker leaves to the slow path: reals, 19-digit integers, escaped
 * keys. */
static bool beyond_checker(json_t *j)
{
	size_t i;
	const char *k;
	json_t *v;
	if (json_is_real(j) ||
	    (json_is_integer(j) && (json_integer_value(j) >= 1000000000000000000 ||
	                            json_integer_value(j) <= -1000000000000000000)))
		return true;
	if (json_is_array(j))
		json_array_foreach (j, i, v)
			if (beyond_checker(v))
				return true;
	if (json_is_object(j))
		json_object_foreach (j, k, v)
			if (beyond_checker(v) || strpbrk(k, "\"\\\x01\x1f\t\n"))
				return true;
	return false;
}

static void test_json_is_canonical(void **state)
{
	(void)state;
	unsigned seed = 1207;
	for (int i = 0; i < 400; i++) {
		json_t *j = random_value(&seed, 0);
		char *canon = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		char *ordered = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		assert_non_null(canon);
		assert_non_null(ordered);
		/* The canonical text of anything without reals or escaped keys is vouched for. */
		if (!beyond_checker(j) && !strstr(canon, "\\u0000"))
			assert_true(sk_json_is_canonical(canon, strlen(canon)));
		assert_canonical_sound(canon, strlen(canon));
		assert_canonical_sound(ordered, strlen(ordered));
		/* Every one-byte change is either refused or still exact. */
		size_t n = strlen(canon);
		for (size_t k = 0; k < n && k < 64; k++) {
			static const char subst[] = " \"\\,:{}[]0-1eE.u0Aa\x80\xff";
			char save = canon[k];
			for (size_t m = 0; m < sizeof(subst) - 1; m++) {
				canon[k] = subst[m];
				assert_canonical_sound(canon, n);
			}
			canon[k] = save;
			assert_canonical_sound(canon, k); /* cut short */
		}
		free(canon);
		free(ordered);
		json_decref(j);
	}
	static const char *const no[] = {"",
	                                 " {}",
	                                 "{} ",
	                                 "{\"b\":1,\"a\":2}",
	                                 "{\"a\":1,\"a\":2}",
	                                 "1.0",
	                                 "1e3",
	                                 "-0",
	                                 "01",
	                                 "+1",
	                                 "\"\\u0000\"",
	                                 "\"\\u000a\"",
	                                 "\"\\u001f\"",
	                                 "\"\\u007F\"",
	                                 "\"\\/\"",
	                                 "\"\xff\"",
	                                 "[1,]",
	                                 "{\"a\":1",
	                                 "\"\x01\"",
	                                 "{\"\\n\":1}",
	                                 "[1 ]",
	                                 "123456789012345678901",
	                                 "nul",
	                                 "\"\\u00e9\"",
	                                 "\"\\a\""};
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(sk_json_is_canonical(no[i], strlen(no[i])));
	static const char *const yes[] = {"{}",
	                                  "[]",
	                                  "null",
	                                  "-12",
	                                  "0",
	                                  "\"\\u001F\\n\\\"\\\\/\"",
	                                  "{\"a\":[1,{\"b\":true,\"ba\":false}],\"aa\":\"情報\"}"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		assert_true(sk_json_is_canonical(yes[i], strlen(yes[i])));
		assert_canonical_sound(yes[i], strlen(yes[i]));
	}
}

static void test_json(void **state)
{
	(void)state;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), out = SK_BUF_INIT(1024);
	json_t *j = NULL;
	const char *text = "{\"b\": 1, \"a\": \"情報\", \"c\": [true, null]}";
	assert_int_equal(sk_json_parse(text, strlen(text), 1024, &j, &err), SK_OK);
	assert_int_equal(sk_json_canonical(j, &out), SK_OK);
	assert_string_equal(out.data, "{\"a\":\"情報\",\"b\":1,\"c\":[true,null]}");

	const char *s;
	int64_t i;
	bool b;
	assert_int_equal(sk_json_get_str(j, "a", true, &s, &err), SK_OK);
	assert_string_equal(s, "情報");
	assert_int_equal(sk_json_get_int(j, "b", true, &i, &err), SK_OK);
	assert_int_equal(i, 1);
	assert_int_equal(sk_json_get_str(j, "b", true, &s, &err), SK_ERR_INVALID);
	assert_string_equal(err.data, "field 'b' must be a string");
	assert_int_equal(sk_json_get_bool(j, "zz", false, &b, &err), SK_ERR_NOT_FOUND);
	assert_int_equal(sk_json_get_bool(j, "zz", true, &b, &err), SK_ERR_INVALID);
	assert_string_equal(err.data, "field 'zz' is required");
	static const char *const allowed[] = {"a", "b", NULL};
	assert_int_equal(sk_json_only_keys(j, allowed, &err), SK_ERR_INVALID);
	assert_string_equal(err.data, "unknown field 'c'");
	json_decref(j);

	const char *dup = "{\"a\":1,\"a\":2}";
	assert_int_equal(sk_json_parse(dup, strlen(dup), 1024, &j, &err), SK_ERR_INVALID);
	const char *bad = "{\"a\":\"\xff\"}";
	assert_int_equal(sk_json_parse(bad, strlen(bad), 1024, &j, &err), SK_ERR_INVALID);
	assert_int_equal(sk_json_parse(text, strlen(text), 10, &j, &err), SK_ERR_TOO_BIG);
	/* NUL inside strings is refused at parse time, not passed on to C strings. */
	const char *nul = "{\"a\":\"x\\u0000y\"}";
	assert_int_equal(sk_json_parse(nul, strlen(nul), 1024, &j, &err), SK_ERR_INVALID);
	sk_buf_free(&err);
	sk_buf_free(&out);
}

/*
 * sk_json_utf8_valid and sk_json_add_str agree with jansson (which the
 * canonical form uses): the same byte strings are valid, and a valid one is
 * written exactly as jansson's compact encoding writes it.
 */
static void json_str_agrees(const unsigned char *b, size_t n)
{
	json_t *j = json_stringn((const char *)b, n);
	bool valid = sk_json_utf8_valid((const char *)b, n);
	if (valid != (j != NULL))
		fail_msg("validity of %zu bytes starting %02x %02x differs from jansson's", n, b[0],
		         n > 1 ? b[1] : 0);
	sk_buf out = SK_BUF_INIT(1024);
	sk_err e = sk_json_add_str(&out, (const char *)b, n);
	if (!j) {
		assert_int_equal(e, SK_ERR_INVALID);
		assert_int_equal(out.len, 0);
	} else {
		assert_int_equal(e, SK_OK);
		char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		assert_non_null(want);
		if (strlen(want) != out.len || memcmp(want, out.data, out.len) != 0)
			fail_msg("sk_json_add_str wrote %s, jansson %s", out.data, want);
		free(want);
	}
	json_decref(j);
	sk_buf_free(&out);
}

static void test_json_str(void **state)
{
	(void)state;
	unsigned char b[8];
	/* Every one- and two-byte string. */
	for (unsigned x = 0; x < 256; x++) {
		b[0] = (unsigned char)x;
		json_str_agrees(b, 1);
		for (unsigned y = 0; y < 256; y++) {
			b[1] = (unsigned char)y;
			json_str_agrees(b, 2);
		}
	}
	/* Three bytes: every lead byte from 0xe0 with every second byte, and a few thirds. */
	static const unsigned char thirds[] = {0x00, 0x41, 0x7f, 0x80, 0x9f,
	                                       0xa0, 0xbf, 0xc0, 0xff};
	for (unsigned x = 0xc0; x < 256; x++)
		for (unsigned y = 0x70; y < 0xd0; y++)
			for (size_t k = 0; k < sizeof(thirds); k++) {
				b[0] = (unsigned char)x;
				b[1] = (unsigned char)y;
				b[2] = thirds[k];
				json_str_agrees(b, 3);
				b[3] = 0x80;
				json_str_agrees(b, 4);
				b[3] = 0xbf;
				json_str_agrees(b, 4);
			}
	/* Longer text, escapes in the middle of runs. */
	const char *t = "ab\"cd\\ef/\x01gh\x1f\x7fij\n\r\t\b\f 日本語 \xf4\x8f\xbf\xbf end";
	json_str_agrees((const unsigned char *)t, strlen(t));
	json_str_agrees((const unsigned char *)"a\0b", 3);
	/* A buffer too small: the error, and nothing appended. */
	sk_buf small = SK_BUF_INIT(8);
	assert_int_equal(sk_buf_adds(&small, "ab"), SK_OK);
	assert_int_equal(sk_json_add_str(&small, "0123456789", 10), SK_ERR_TOO_BIG);
	assert_string_equal(small.data, "ab");
	assert_int_equal(sk_json_add_str(&small, "a\"b", 3), SK_OK);
	assert_string_equal(small.data, "ab\"a\\\"b\"");
	sk_buf_free(&small);
}

/* The display zone: JST by default, fixed offsets, no other zone guessed at. */
static void test_zone(void **state)
{
	(void)state;
	char out[SK_TIME_STR_MAX];
	assert_string_equal(sk_clock_zone_name(), SK_CLOCK_DEFAULT_ZONE);
	sk_clock_format_local(1775055600, out); /* 2026-04-01T15:00:00Z */
	assert_string_equal(out, "2026-04-02T00:00:00+09:00");
	sk_clock_format_local_us(1775055600000006, out);
	assert_string_equal(out, "2026-04-02T00:00:00.000006+09:00");
	int y, m, d;
	sk_clock_local_day(1775055600 - 1, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20260401);
	assert_int_equal(sk_clock_local_day_start(2026, 4, 2), 1775055600);
	assert_int_equal(sk_clock_set_zone("America/New_York"), SK_ERR_INVALID);
	assert_string_equal(sk_clock_zone_name(), SK_CLOCK_DEFAULT_ZONE);
	assert_int_equal(sk_clock_set_zone("UTC"), SK_OK);
	sk_clock_format_local(1775055600, out);
	assert_string_equal(out, "2026-04-01T15:00:00+00:00");
	assert_int_equal(sk_clock_set_zone("-09:30"), SK_OK);
	sk_clock_format_local(1775055600, out);
	assert_string_equal(out, "2026-04-01T05:30:00-09:30");
	assert_int_equal(sk_clock_set_zone("+15:00"), SK_ERR_INVALID);
	/* The formatter writes what gmtime_r and snprintf write, in every zone and year. */
	static const char *const zones[] = {"UTC", "-09:30", "+14:00", "-12:00",
	                                    SK_CLOCK_DEFAULT_ZONE};
	unsigned seed = 7;
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		assert_int_equal(sk_clock_set_zone(zones[z]), SK_OK);
		int off = sk_clock_zone_offset(), ab = off < 0 ? -off : off;
		for (int i = 0; i < 4000; i++) {
			seed = seed * 1103515245u + 12345u;
			int64_t t =
			    i < 8 ? (int64_t[]){0,      -1,           1,           86399, 86400,
			                        -86400, -62167219200, 253402300799}[i]
			          : ((int64_t)seed << 12 ^ seed) % 253402300799 *
			                (seed & 1 ? 1 : -1) / (i % 3 + 1);
			time_t s = (time_t)(t + off);
			struct tm tm;
			gmtime_r(&s, &tm);
			char want[SK_TIME_STR_MAX];
			snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
			         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			         tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+', ab / 3600,
			         ab % 3600 / 60);
			sk_clock_format_local(t, out);
			assert_string_equal(out, want);
		}
	}
	assert_int_equal(sk_clock_set_zone(SK_CLOCK_DEFAULT_ZONE), SK_OK);
	assert_int_equal(sk_clock_set_zone(SK_CLOCK_DEFAULT_ZONE), SK_OK);
	/* Stored times stay UTC. */
	sk_clock_format(1775055600, out);
	assert_string_equal(out, "2026-04-01T15:00:00+00:00");
}

/*
 * The formatting as it was written before it was made arithmetic: gmtime_r and
 * snprintf, the zone a fixed offset. frac < 0: whole seconds; utc_us: as
 * sk_clock_format_us wrote it (one snprintf; the local form spliced the
 * fraction into the whole seconds' text). false when gmtime_r cannot
 * represent the instant (the text was then undefined).
 */
static bool old_format(int64_t secs, long frac, int off, bool utc_us, char out[SK_TIME_STR_MAX])
{
	time_t s = (time_t)(secs + off);
	struct tm tm;
	if (!gmtime_r(&s, &tm))
		return false;
	if (utc_us) {
		snprintf(out, SK_TIME_STR_MAX, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld+00:00",
		         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		         tm.tm_sec, frac);
		return true;
	}
	int a = off < 0 ? -off : off;
	char whole[SK_TIME_STR_MAX];
	snprintf(whole, sizeof(whole), "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	         off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
	if (frac < 0)
		snprintf(out, SK_TIME_STR_MAX, "%s", whole);
	else
		snprintf(out, SK_TIME_STR_MAX, "%.19s.%06ld%.8s", whole, frac, whole + 19);
	return true;
}

/* strftime's reading of secs + off (years 1000 to 9999, where %Y has four digits). */
static void strftime_format(int64_t secs, int off, char out[SK_TIME_STR_MAX])
{
	time_t s = (time_t)(secs + off);
	struct tm tm;
	assert_non_null(gmtime_r(&s, &tm));
	size_t n = strftime(out, SK_TIME_STR_MAX, "%Y-%m-%dT%H:%M:%S", &tm);
	int a = off < 0 ? -off : off;
	snprintf(out + n, SK_TIME_STR_MAX - n, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600,
	         a % 3600 / 60);
}

static uint64_t next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * The arithmetic formatting writes what gmtime_r, strftime and snprintf wrote,
 * for many instants in every zone form known, and what the system's tzdata says
 * Asia/Tokyo's local time is since Japan's last daylight saving (1951).
 */
static void test_clock_format_exact(void **state)
{
	(void)state;
	static const char *const zones[] = {"UTC",    "Asia/Tokyo", "-09:30",
	                                    "+14:59", "-14:59",     "+05:45"};
	static const int64_t fixed[] = {0,
	                                -1,
	                                86399,
	                                86400,
	                                951782400 /* 2000-02-29 */,
	                                -2203891200 /* 1900-03-01 */,
	                                4107456000 /* 2100-02-28 */,
	                                4107542400,
	                                253402300799 /* 9999-12-31T23:59:59Z */,
	                                253402300800,
	                                -62167219200 /* 0000-01-01 */,
	                                -62167219201,
	                                -30610224000 /* 1000-01-01 */,
	                                1775055600,
	                                INT32_MAX,
	                                INT32_MIN,
	                                (int64_t)1 << 40,
	                                -((int64_t)1 << 40)};
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char got[SK_TIME_STR_MAX], want[SK_TIME_STR_MAX];
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		assert_int_equal(sk_clock_set_zone(zones[z]), SK_OK);
		int off = sk_clock_zone_offset();
		for (size_t i = 0; i < 20000 + sizeof(fixed) / sizeof(fixed[0]); i++) {
			int64_t secs;
			if (i < sizeof(fixed) / sizeof(fixed[0]))
				secs = fixed[i];
			else if (i % 2)
				secs = (int64_t)(next_rand(&x) % (1ull << 41)) - ((int64_t)1 << 40);
			else /* 0000..9999, where the fast path runs */
				secs = (int64_t)(next_rand(&x) % 315569520000ull) - 62167219200 -
				       86400;
			long frac = (long)(next_rand(&x) % 1000000);
			if (old_format(secs, -1, off, false, want)) {
				sk_clock_format_local(secs, got);
				assert_string_equal(got, want);
				sk_clock_format_local_us(secs * 1000000 + frac, got);
				assert_true(old_format(secs, frac, off, false, want));
				assert_string_equal(got, want);
			}
			if (old_format(secs, -1, 0, false, want)) {
				sk_clock_format(secs, got);
				assert_string_equal(got, want);
				sk_clock_format_us(secs * 1000000 + frac, got);
				assert_true(old_format(secs, frac, 0, true, want));
				assert_string_equal(got, want);
			}
			if (secs + off >= -30610224000 && secs + off < 253402300800) {
				strftime_format(secs, off, want);
				sk_clock_format_local(secs, got);
				assert_string_equal(got, want);
			}
		}
	}
	assert_int_equal(sk_clock_set_zone(SK_CLOCK_DEFAULT_ZONE), SK_OK);
	/* Asia/Tokyo as the system knows it, from 1952 to 2200, where it has stayed UTC+9. */
	if (access("/usr/share/zoneinfo/Asia/Tokyo", R_OK) == 0) {
		const char *was = getenv("TZ");
		char *saved = was ? strdup(was) : NULL;
		setenv("TZ", "Asia/Tokyo", 1);
		tzset();
		for (int i = 0; i < 20000; i++) {
			time_t s = (time_t)(-567993600 + (int64_t)(next_rand(&x) % 7279747200ull));
			struct tm tm;
			assert_non_null(localtime_r(&s, &tm));
			char z[8];
			size_t n = strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%S", &tm);
			strftime(z, sizeof(z), "%z", &tm); /* "+0900" */
			snprintf(want + n, sizeof(want) - n, "%.3s:%s", z, z + 3);
			sk_clock_format_local((int64_t)s, got);
			assert_string_equal(got, want);
		}
		if (saved)
			setenv("TZ", saved, 1);
		else
			unsetenv("TZ");
		free(saved);
		tzset();
	}
}

/* Dates by day number from 1970-01-01, worked out by hand from the calendar. */
static void test_civil_from_days(void **state)
{
	(void)state;
	static const struct {
		int64_t days, y;
		int m, d;
	} v[] = {
	    {0, 1970, 1, 1},     {-1, 1969, 12, 31},      {11016, 2000, 2, 29},
	    {19723, 2024, 1, 1}, {2932896, 9999, 12, 31}, {-25567, 1900, 1, 1},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int64_t y = 0;
		int m = 0, d = 0;
		sk_clock_civil_from_days(v[i].days, &y, &m, &d);
		assert_int_equal(y, v[i].y);
		assert_int_equal(m, v[i].m);
		assert_int_equal(d, v[i].d);
	}
}

/* sk_vec_room: grows by doubling from first, keeps what was pushed, refuses an overflow. */
static void test_vec_room(void **state)
{
	(void)state;
	int *v = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 100; i++) {
		int *room = sk_vec_room(v, n, &cap, sizeof(*v), 4);
		assert_non_null(room);
		v = room;
		assert_true(n < cap);
		v[n++] = i;
	}
	assert_int_equal(cap, 128); /* 4, 8, ..., 128 */
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i], i);
	/* Room left: the same array, cap unchanged. */
	assert_ptr_equal(sk_vec_room(v, n, &cap, sizeof(*v), 4), v);
	assert_int_equal(cap, 128);
	/* A size that would overflow: NULL, the array and cap untouched. */
	size_t big = SIZE_MAX / 2 + 1;
	assert_null(sk_vec_room(v, big, &big, sizeof(*v), 4));
	assert_int_equal(big, SIZE_MAX / 2 + 1);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_err_table),
	    cmocka_unit_test(test_buf_cap),
	    cmocka_unit_test(test_fail),
	    cmocka_unit_test(test_arena),
	    cmocka_unit_test(test_clock),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_json_str),
	    cmocka_unit_test(test_json_encoder),
	    cmocka_unit_test(test_json_is_canonical),
	    cmocka_unit_test(test_zone),
	    cmocka_unit_test(test_civil_from_days),
	    cmocka_unit_test(test_vec_room),
	    cmocka_unit_test(test_clock_format_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
