/*
 * Unit tests of sk_json_read, the reader behind sk_json_parse: named inputs
 * with the answer each must give (RFC 8259's grammar and the rules
 * sk_json.h promises: no duplicate keys, no \u0000, surrogates in pairs,
 * integers within json_int_t, jansson's depth limit), the values read
 * (compact text, members in input order), then jansson itself on mutations
 * of valid bodies, which must give the same answer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sk_buf.h"
#include "core/sk_json.h"

/* The compact text of what sk_json_read makes of in, or NULL where it refuses. */
static char *read_compact(const char *in, size_t n)
{
	json_t *j = sk_json_read(in, n);
	if (!j)
		return NULL;
	sk_buf b = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	assert_int_equal(sk_json_compact(j, &b), SK_OK);
	json_decref(j);
	return sk_buf_detach(&b);
}

static void test_named(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *want; /* compact text; NULL: refused */
	} cases[] = {
	    {"{}", "{}"},
	    {" [ ] ", "[]"},
	    {"{\"b\":1,\"a\":[true,false,null]}", "{\"b\":1,\"a\":[true,false,null]}"},
	    {"\"支所\"", "\"支所\""},
	    {"\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\""},
	    {"\"\\u00e9\\u652f\"", "\"é支\""},
	    {"\"\\ud83d\\ude00\"", "\"😀\""},
	    {"-0", "0"},
	    {"9223372036854775807", "9223372036854775807"},
	    {"-9223372036854775808", "-9223372036854775808"},
	    {"1.5", "1.5"},
	    {"1e2", "100.0"},
	    {"1E-2", "0.01"},
	    {"1e-400", "0.0"},
	    {"{\"\":\"\"}", "{\"\":\"\"}"},
	    /* refused */
	    {"", NULL},
	    {"   ", NULL},
	    {"{\"a\":1,\"a\":2}", NULL},
	    {"{\"a\":1,}", NULL},
	    {"[1,]", NULL},
	    {"[1 2]", NULL},
	    {"{\"a\" 1}", NULL},
	    {"{a:1}", NULL},
	    {"'a'", NULL},
	    {"01", NULL},
	    {"-", NULL},
	    {"1.", NULL},
	    {".5", NULL},
	    {"+1", NULL},
	    {"1e", NULL},
	    {"1e+", NULL},
	    {"9223372036854775808", NULL},
	    {"-9223372036854775809", NULL},
	    {"1e400", NULL},
	    {"tru", NULL},
	    {"truex", NULL},
	    {"nul", NULL},
	    {"\"\\u0000\"", NULL},
	    {"\"\\ud800\"", NULL},
	    {"\"\\udc00\"", NULL},
	    {"\"\\ud800\\u0041\"", NULL},
	    {"\"\\u12\"", NULL},
	    {"\"\\x41\"", NULL},
	    {"\"a\tb\"", NULL},
	    {"\"\xed\xa0\x80\"", NULL},
	    {"\"\xc0\xaf\"", NULL},
	    {"\"open", NULL},
	    {"[1]x", NULL},
	    {"\xef\xbb\xbf{}", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = read_compact(cases[i].in, strlen(cases[i].in));
		if (!cases[i].want) {
			if (got)
				fail_msg("%s: read as %s, want refused", cases[i].in, got);
		} else {
			if (!got)
				fail_msg("%s: refused, want %s", cases[i].in, cases[i].want);
			assert_string_equal(got, cases[i].want);
		}
		free(got);
	}
	/* A NUL byte is refused inside a string and outside. */
	assert_null(sk_json_read("\"a\0b\"", 5));
	assert_null(sk_json_read("[1]\0", 4));
	/* Long keys and strings with escapes past any fixed buffer. */
	sk_buf big = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	assert_int_equal(sk_buf_adds(&big, "{\""), SK_OK);
	for (int i = 0; i < 500; i++)
		assert_int_equal(sk_buf_adds(&big, "鍵\\n"), SK_OK);
	assert_int_equal(sk_buf_adds(&big, "\":\"v\"}"), SK_OK);
	json_t *j = sk_json_read(big.data, big.len);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 1);
	const char *key = json_object_iter_key(json_object_iter(j));
	assert_int_equal(strlen(key), 500 * 4);
	json_decref(j);
	sk_buf_free(&big);
}

/* n arrays one inside the other around inner. */
static char *nest(int n, const char *inner)
{
	size_t k = strlen(inner), len = 2 * (size_t)n + k;
	char *s = malloc(len + 1);
	assert_non_null(s);
	memset(s, '[', (size_t)n);
	memcpy(s + n, inner, k);
	memset(s + n + k, ']', (size_t)n);
	s[len] = '\0';
	return s;
}

/* jansson's limit counts every value: 2048 arrays, or 2047 around a scalar. */
static void test_depth(void **state)
{
	(void)state;
	static const struct {
		int n;
		const char *inner;
		bool ok;
	} cases[] = {{2047, "1", true}, {2048, "", true}, {2048, "1", false}, {2049, "", false}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = nest(cases[i].n, cases[i].inner);
		json_t *j = sk_json_read(s, strlen(s));
		assert_int_equal(j != NULL, cases[i].ok);
		json_decref(j);
		free(s);
	}
}

/* The same answer as jansson on every cut and one-byte change of valid bodies. */
static void test_as_jansson(void **state)
{
	(void)state;
	static const char *bodies[] = {
	    "{\"kind\":\"transport\",\"asset_id\":6,\"reason\":\"支所窓口での閲覧用\",\"details\":{"
	    "\"destination\":\"北支所\",\"on\":\"2026-12-08\",\"purpose\":\"窓口での閲覧用\"},"
	    "\"safeguards_confirmed\":[\"encrypt_or_password\",\"locked_case\"]}",
	    "[\"\\u00e9\\ud83d\\ude00\\n\",-0,1.5e-3,-12,true,false,null,{\"a\":{}},[]]",
	};
	static const char subst[] = "\"\\{}[],:0-.eE+u \x01\x80\xe3\xed";
	long checked = 0;
	for (size_t b = 0; b < sizeof(bodies) / sizeof(bodies[0]); b++) {
		size_t n = strlen(bodies[b]);
		char *s = malloc(n + 1);
		assert_non_null(s);
		for (size_t at = 0; at <= n; at++) {
			for (size_t k = 0; k <= sizeof(subst) - 1; k++) {
				memcpy(s, bodies[b], n + 1);
				size_t len = n;
				if (k == sizeof(subst) - 1)
					len = at; /* cut here */
				else if (at < n)
					s[at] = subst[k];
				else
					continue;
				json_error_t je;
				json_t *want = json_loadb(
				    s, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
				json_t *got = sk_json_read(s, len);
				if ((want == NULL) != (got == NULL))
					fail_msg("%.*s: jansson %s, sk_json_read %s", (int)len, s,
					         want ? "reads it" : "refuses it",
					         got ? "reads it" : "refuses it");
				if (want && !json_equal(want, got))
					fail_msg("%.*s: different values", (int)len, s);
				json_decref(want);
				json_decref(got);
				checked++;
			}
		}
		free(s);
	}
	assert_true(checked > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_named),
	    cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_as_jansson),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
