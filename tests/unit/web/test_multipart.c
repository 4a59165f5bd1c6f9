/*
 * Tests of the web multipart parser (src/web/multipart.c): a browser's
 * upload read whole (binary bytes kept exactly, a Japanese file name, a
 * client path cut to the name), and the limits: type, boundary, parts,
 * size, names, nesting, a missing closing boundary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/multipart.h"

#define CT "multipart/form-data; boundary=----x7MA4YWxk"
#define B  "------x7MA4YWxk"

static sk_err parse_ct(const char *ct, const char *body, size_t len, size_t max, sk_multipart *m)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_multipart_parse(ct, strlen(ct), body, len, max, m, &err);
	sk_buf_free(&err);
	return e;
}

static sk_err parse(const char *body, size_t len, sk_multipart *m)
{
	return parse_ct(CT, body, len, 1u << 20, m);
}

static void test_reads_upload(void **state)
{
	(void)state;
	/* The file holds NUL, CR, LF and a line that starts like a delimiter but is not one. */
	static const char file[] = "a\0b\r\n--not\r\n\r\n\xff\xfe end";
	sk_buf body = SK_BUF_INIT(1u << 16);
	sk_buf_adds(&body, B "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok123\r\n");
	sk_buf_adds(&body, B "\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\n1\r\n");
	sk_buf_adds(&body, B "\r\nContent-Disposition: form-data; name=\"file\"; "
	                     "filename=\"C:\\\\Users\\\\taro\\\\台帳.csv\"\r\n"
	                     "Content-Type: text/csv\r\n\r\n");
	sk_buf_add(&body, file, sizeof(file) - 1);
	sk_buf_adds(&body, "\r\n" B "--\r\n");
	sk_multipart m;
	assert_int_equal(parse(body.data, body.len, &m), SK_OK);
	assert_int_equal(m.n, 3);
	const sk_multipart_part *p = sk_multipart_get(&m, "csrf");
	assert_non_null(p);
	assert_string_equal(p->data, "tok123");
	assert_null(p->filename);
	assert_string_equal(sk_multipart_get(&m, "dry_run")->data, "1");
	p = sk_multipart_get(&m, "file");
	assert_non_null(p);
	assert_string_equal(p->filename, "台帳.csv");
	assert_string_equal(p->ctype, "text/csv"); /* the claim, kept for the record */
	assert_null(sk_multipart_get(&m, "csrf")->ctype);
	assert_int_equal(p->len, sizeof(file) - 1);
	assert_memory_equal(p->data, file, sizeof(file) - 1);
	assert_null(sk_multipart_get(&m, "other"));
	sk_multipart_free(&m);
	sk_buf_free(&body);
}

static void test_refuses(void **state)
{
	(void)state;
	sk_multipart m;
	const char ok[] =
	    B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" B "--\r\n";
	/* Not form-data, no boundary, a boundary too long. */
	assert_int_equal(
	    parse_ct("multipart/mixed; boundary=----x7MA4YWxk", ok, strlen(ok), 1024, &m),
	    SK_ERR_INVALID);
	sk_multipart_free(&m);
	assert_int_equal(parse_ct("multipart/form-data", ok, strlen(ok), 1024, &m), SK_ERR_INVALID);
	sk_multipart_free(&m);
	assert_int_equal(parse_ct("application/x-www-form-urlencoded", ok, strlen(ok), 1024, &m),
	                 SK_ERR_INVALID);
	sk_multipart_free(&m);
	char longct[200];
	snprintf(longct, sizeof(longct), "multipart/form-data; boundary=%071d", 7);
	assert_int_equal(parse_ct(longct, ok, strlen(ok), 1024, &m), SK_ERR_INVALID);
	sk_multipart_free(&m);
	/* The good one, then too big for its cap. */
	assert_int_equal(parse(ok, strlen(ok), &m), SK_OK);
	sk_multipart_free(&m);
	assert_int_equal(parse_ct(CT, ok, strlen(ok), strlen(ok) - 1, &m), SK_ERR_TOO_BIG);
	sk_multipart_free(&m);
	/* Cut off before the closing delimiter. */
	const char cut[] = B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n";
	assert_int_equal(parse(cut, strlen(cut), &m), SK_ERR_INVALID);
	sk_multipart_free(&m);
	/* A part without a name; a name given twice; not form-data. */
	const char noname[] = B "\r\nContent-Disposition: form-data\r\n\r\n1\r\n" B "--\r\n";
	assert_int_equal(parse(noname, strlen(noname), &m), SK_ERR_INVALID);
	sk_multipart_free(&m);
	const char twice[] =
	    B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" B
	      "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n" B "--\r\n";
	assert_int_equal(parse(twice, strlen(twice), &m), SK_ERR_INVALID);
	sk_multipart_free(&m);
	const char attach[] =
	    B "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n" B "--\r\n";
	assert_int_equal(parse(attach, strlen(attach), &m), SK_ERR_INVALID);
	sk_multipart_free(&m);
	/* A multipart inside the form. */
	const char nested[] =
	    B "\r\nContent-Disposition: form-data; name=\"a\"\r\n"
	      "Content-Type: multipart/mixed; boundary=in\r\n\r\n"
	      "--in\r\nContent-Type: text/plain\r\n\r\nx\r\n--in--\r\n\r\n" B "--\r\n";
	assert_int_equal(parse(nested, strlen(nested), &m), SK_ERR_INVALID);
	sk_multipart_free(&m);
	/* An empty name (GMime turns 8-bit names into UTF-8 by its fallback charsets). */
	const char badname[] =
	    B "\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n" B "--\r\n";
	assert_int_equal(parse(badname, strlen(badname), &m), SK_ERR_INVALID);
	sk_multipart_free(&m);
	/* Not multipart at all. */
	assert_int_equal(parse("hello", 5, &m), SK_ERR_INVALID);
	sk_multipart_free(&m);
}

static void test_parts_max(void **state)
{
	(void)state;
	sk_buf body = SK_BUF_INIT(1u << 16);
	for (int i = 0; i <= SK_MULTIPART_PARTS_MAX; i++)
		sk_buf_addf(&body,
		            B "\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n%d\r\n", i,
		            i);
	sk_buf_adds(&body, B "--\r\n");
	sk_multipart m;
	assert_int_equal(parse(body.data, body.len, &m), SK_ERR_TOO_BIG);
	sk_multipart_free(&m);
	sk_buf_free(&body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reads_upload),
	    cmocka_unit_test(test_refuses),
	    cmocka_unit_test(test_parts_max),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
