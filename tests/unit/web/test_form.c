/* Tests of the web form parser (src/web/form.c): decoding, limits, strict UTF-8, repeats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/form.h"

static sk_err parse(const char *body, size_t max, sk_form *f, sk_buf *err)
{
	return sk_form_parse(body, strlen(body), max, f, err);
}

static void test_decodes(void **state)
{
	(void)state;
	sk_form f;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(parse("login=taro&password=a+b%26c%3D&empty=&flag&name=%E6%A9%9F%E5%AF%86",
	                       1024, &f, &err),
	                 SK_OK);
	assert_int_equal(f.n, 5);
	assert_string_equal(sk_form_get(&f, "login"), "taro");
	assert_string_equal(sk_form_get(&f, "password"), "a b&c=");
	assert_string_equal(sk_form_get(&f, "empty"), "");
	assert_string_equal(sk_form_get(&f, "flag"), "");
	assert_string_equal(sk_form_get(&f, "name"), "機密");
	assert_null(sk_form_get(&f, "missing"));
	sk_form_free(&f);
	/* Empty parts and an empty body are nothing. */
	assert_int_equal(parse("&&a=1&", 1024, &f, &err), SK_OK);
	assert_int_equal(f.n, 1);
	sk_form_free(&f);
	assert_int_equal(parse("", 1024, &f, &err), SK_OK);
	assert_int_equal(f.n, 0);
	sk_form_free(&f);
	sk_buf_free(&err);
}

static void test_refuses(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "a=%",         "a=%4",     "a=%zz",    "a=%00",   "%00=1",     "=1",     "a=%C3%28",
	    "a=%ED%A0%80", "a=%F8%88", "a=%C0%AF", "a=1&a=2", "%61=1&a=2", "a=\xff",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sk_form f;
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		if (parse(bad[i], 1024, &f, &err) != SK_ERR_INVALID)
			fail_msg("accepted %s", bad[i]);
		assert_true(err.len > 0);
		sk_form_free(&f);
		sk_buf_free(&err);
	}
	/* A repeated name names the field. */
	sk_form f;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(parse("csrf=x&csrf=y", 1024, &f, &err), SK_ERR_INVALID);
	assert_string_equal(err.field, "csrf");
	sk_form_free(&f);
	sk_buf_free(&err);
}

static void test_limits(void **state)
{
	(void)state;
	sk_form f;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(parse("a=123456", 7, &f, &err), SK_ERR_TOO_BIG);
	sk_form_free(&f);
	sk_buf_reset(&err);
	assert_int_equal(parse("a=123456", 8, &f, &err), SK_OK);
	sk_form_free(&f);
	char body[SK_FORM_FIELDS_MAX * 8 + 16] = "";
	size_t o = 0;
	for (int i = 0; i <= SK_FORM_FIELDS_MAX; i++)
		o += (size_t)snprintf(body + o, sizeof(body) - o, "%sf%d=1", i ? "&" : "", i);
	assert_int_equal(parse(body, sizeof(body), &f, &err), SK_ERR_TOO_BIG);
	sk_form_free(&f);
	sk_buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decodes),
	    cmocka_unit_test(test_refuses),
	    cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
