/* Unit tests of src/report/csv: RFC 4180 reading with limits, encodings both ways. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/csv.h"

/* Records joined as "f1|f2;f1|f2;" with line numbers "@L" before each. */
struct collect {
	char out[1024];
	size_t len;
};

static sk_err collect(void *ctx, const sk_csv_field *f, size_t n, size_t line, sk_buf *err)
{
	(void)err;
	struct collect *c = ctx;
	c->len += (size_t)snprintf(c->out + c->len, sizeof(c->out) - c->len, "@%zu:", line);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strlen(f[i].p), f[i].n); /* NUL-terminated, no NUL inside */
		c->len += (size_t)snprintf(c->out + c->len, sizeof(c->out) - c->len, "%s%s",
		                           i ? "|" : "", f[i].p);
	}
	c->len += (size_t)snprintf(c->out + c->len, sizeof(c->out) - c->len, ";");
	return SK_OK;
}

static void parse_ok(const char *in, size_t n, const char *want)
{
	struct collect c = {{0}, 0};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_csv_limits lim = SK_CSV_LIMITS_DEFAULT;
	sk_err e = sk_csv_parse(in, n, &lim, collect, &c, &err);
	if (e)
		fail_msg("parse failed: %s", err.data);
	assert_string_equal(c.out, want);
	sk_buf_free(&err);
}

static void parse_bad(const char *in, size_t n, const sk_csv_limits *lim, sk_err want,
                      const char *msg)
{
	struct collect c = {{0}, 0};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_csv_limits def = SK_CSV_LIMITS_DEFAULT;
	sk_err e = sk_csv_parse(in, n, lim ? lim : &def, collect, &c, &err);
	assert_int_equal(e, want);
	if (!strstr(err.data, msg))
		fail_msg("message '%s' does not contain '%s'", err.data, msg);
	sk_buf_free(&err);
}

#define S(lit) lit, sizeof(lit) - 1

static void test_parse(void **state)
{
	(void)state;
	parse_ok(S("a,b,c\n1,2,3\n"), "@1:a|b|c;@2:1|2|3;");
	parse_ok(S("a,b\r\n1,2"), "@1:a|b;@2:1|2;");
	parse_ok(S("\"x,y\",\"say \"\"hi\"\"\",\n"), "@1:x,y|say \"hi\"|;");
	parse_ok(S("\"multi\nline\",z\nnext,1\n"), "@1:multi\nline|z;@3:next|1;");
	parse_ok(S("a\n\n\r\nb\n"), "@1:a;@4:b;");
	parse_ok(S(",,\n"), "@1:||;");
	parse_ok(S("\"\"\n"), "@1:;");
	parse_ok(S("日本語,テスト\n"), "@1:日本語|テスト;");
	parse_ok(S("a\rb,c\n"), "@1:a\rb|c;"); /* a lone CR is data */
	parse_ok(S(""), "");
}

static void test_parse_errors(void **state)
{
	(void)state;
	parse_bad(S("a,b\nc,\"open\n"), NULL, SK_ERR_INVALID,
	          "line 2, column 2: quoted field is never closed");
	parse_bad(S("a,b\"c\n"), NULL, SK_ERR_INVALID,
	          "line 1, column 2: quote inside an unquoted");
	parse_bad(S("\"a\"b,c\n"), NULL, SK_ERR_INVALID,
	          "line 1, column 1: text after the closing quote");
	parse_bad(S("a\n\"x\ny\"z\n"), NULL, SK_ERR_INVALID, "line 3, column 1: text after");
	parse_bad(S("a,b\0c\n"), NULL, SK_ERR_INVALID, "NUL byte");
	parse_bad(S("\"a\0\"\n"), NULL, SK_ERR_INVALID, "NUL byte");
	sk_csv_limits small = {.max_fields = 2, .max_field_bytes = 4};
	parse_bad(S("a,b,c\n"), &small, SK_ERR_TOO_BIG, "line 1: more than 2 fields");
	parse_bad(S("a\nabcde\n"), &small, SK_ERR_TOO_BIG, "line 2, column 1: field longer than 4");
	parse_bad(S("\"ab\"\"cd\"\n"), &small, SK_ERR_TOO_BIG, "field longer than 4");
	parse_ok(S("\"ab\"\"c\"\n"), "@1:ab\"c;");
}

static sk_err stop_at_two(void *ctx, const sk_csv_field *f, size_t n, size_t line, sk_buf *err)
{
	(void)ctx, (void)f, (void)n;
	return line == 2 ? sk_fail(err, SK_ERR_CONFLICT, "stop") : SK_OK;
}

static void test_callback_stops(void **state)
{
	(void)state;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_csv_limits lim = SK_CSV_LIMITS_DEFAULT;
	assert_int_equal(sk_csv_parse(S("a\nb\nc\n"), &lim, stop_at_two, NULL, &err),
	                 SK_ERR_CONFLICT);
	sk_buf_free(&err);
}

static void test_detect_decode(void **state)
{
	(void)state;
	/* 「情報資産」 in UTF-8, UTF-8 with BOM and CP932. */
	const char utf8[] = "\xe6\x83\x85\xe5\xa0\xb1\xe8\xb3\x87\xe7\x94\xa3,1\n";
	const char bom[] = "\xef\xbb\xbf\xe6\x83\x85\xe5\xa0\xb1\xe8\xb3\x87\xe7\x94\xa3,1\n";
	const char sjis[] = "\x8f\xee\x95\xf1\x8e\x91\x8e\x59,1\n";
	assert_int_equal(sk_csv_detect(S(utf8)), SK_CSV_UTF8);
	assert_int_equal(sk_csv_detect(S(bom)), SK_CSV_UTF8_BOM);
	assert_int_equal(sk_csv_detect(S(sjis)), SK_CSV_CP932);
	assert_int_equal(sk_csv_detect(S("plain,ascii\n")), SK_CSV_UTF8);
	const char *inputs[] = {utf8, bom, sjis};
	size_t lens[] = {sizeof(utf8) - 1, sizeof(bom) - 1, sizeof(sjis) - 1};
	for (int i = 0; i < 3; i++) {
		const char *out;
		size_t n;
		char *owned;
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		assert_int_equal(sk_csv_decode(inputs[i], lens[i],
		                               sk_csv_detect(inputs[i], lens[i]), &out, &n, &owned,
		                               &err),
		                 SK_OK);
		assert_int_equal(n, sizeof(utf8) - 1);
		assert_memory_equal(out, utf8, n);
		assert_true((owned != NULL) == (i == 2));
		free(owned);
		sk_buf_free(&err);
	}
	/* decode_auto: the same answers in one call. */
	for (int i = 0; i < 3; i++) {
		const char *out;
		size_t n;
		char *owned;
		sk_csv_encoding enc;
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		assert_int_equal(
		    sk_csv_decode_auto(inputs[i], lens[i], &enc, &out, &n, &owned, &err), SK_OK);
		assert_int_equal(enc, (sk_csv_encoding)i);
		assert_int_equal(n, sizeof(utf8) - 1);
		assert_memory_equal(out, utf8, n);
		free(owned);
		sk_buf_free(&err);
	}
	/* Bytes that are neither: 0x85 0x40 is unassigned... use a lone lead byte at the end. */
	const char broken[] = "ok\nok\n\x8f";
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	const char *out;
	size_t n;
	char *owned;
	assert_int_equal(sk_csv_decode(S(broken), SK_CSV_CP932, &out, &n, &owned, &err),
	                 SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "line 3"));
	assert_int_equal(sk_csv_decode(S("a\n\xe6\x83"), SK_CSV_UTF8, &out, &n, &owned, &err),
	                 SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "line 2: invalid UTF-8"));
	assert_int_equal(sk_csv_decode(S("a\n"), SK_CSV_UTF8_BOM, &out, &n, &owned, &err),
	                 SK_ERR_INVALID);
	sk_buf_free(&err);
}

static void test_utf8_valid(void **state)
{
	(void)state;
	size_t at;
	assert_true(sk_csv_utf8_valid(S("abcdefghijklmnop日本"), &at));
	assert_false(sk_csv_utf8_valid(S("abcdefgh\xc0\x80"), &at)); /* overlong */
	assert_int_equal(at, 8);
	assert_false(sk_csv_utf8_valid(S("\xed\xa0\x80"), &at));     /* surrogate */
	assert_false(sk_csv_utf8_valid(S("\xf4\x90\x80\x80"), &at)); /* > U+10FFFF */
	assert_false(sk_csv_utf8_valid(S("\xe6\x83"), &at));         /* truncated */
	assert_true(sk_csv_utf8_valid(S("\xf0\x9f\x98\x80"), &at));
}

/* Writes records with w and returns what came out. */
static char *write_all(sk_csv_encoding enc, const char *const *fields, size_t n, size_t *len,
                       sk_err *e_out, sk_buf *err)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	assert_non_null(f);
	sk_csv_writer *w;
	assert_int_equal(sk_csv_writer_new(f, enc, &w, err), SK_OK);
	*e_out = sk_csv_write_record(w, fields, n, err);
	if (!*e_out)
		*e_out = sk_csv_writer_finish(w, err);
	sk_csv_writer_free(w);
	fclose(f);
	return buf;
}

static void test_write(void **state)
{
	(void)state;
	const char *fields[] = {"a",  "b,c",      "say \"hi\"", "two\nlines",
	                        NULL, "=SUM(A1)", "-1",         "情報"};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	size_t len;
	sk_err e;
	char *out = write_all(SK_CSV_UTF8, fields, 8, &len, &e, &err);
	assert_int_equal(e, SK_OK);
	assert_string_equal(out, "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",,'=SUM(A1),'-1,"
	                         "情報\r\n");
	/* It reads back as written, apostrophes marking the guarded fields. */
	struct collect c = {{0}, 0};
	sk_csv_limits lim = SK_CSV_LIMITS_DEFAULT;
	assert_int_equal(sk_csv_parse(out, len, &lim, collect, &c, &err), SK_OK);
	assert_string_equal(c.out, "@1:a|b,c|say \"hi\"|two\nlines||'=SUM(A1)|'-1|情報;");
	assert_true(sk_csv_is_guarded(S("'=SUM(A1)")));
	assert_false(sk_csv_is_guarded(S("'quoted'")));
	free(out);

	out = write_all(SK_CSV_UTF8_BOM, fields, 1, &len, &e, &err);
	assert_int_equal(e, SK_OK);
	assert_memory_equal(out,
	                    "\xef\xbb\xbf"
	                    "a\r\n",
	                    6);
	free(out);

	const char *ja[] = {"情報資産", "〜"}; /* WAVE DASH: CP932 has it as 0x8160 */
	out = write_all(SK_CSV_CP932, ja, 2, &len, &e, &err);
	assert_int_equal(e, SK_OK);
	assert_int_equal(len, 13);
	assert_memory_equal(out, "\x8f\xee\x95\xf1\x8e\x91\x8e\x59,\x81\x60\r\n", 13);
	free(out);

	const char *emoji[] = {"ok", "pic \xf0\x9f\x98\x80"};
	out = write_all(SK_CSV_CP932, emoji, 2, &len, &e, &err);
	assert_int_equal(e, SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "U+1F600"));
	free(out);
	sk_buf_free(&err);
}

static void test_encoding_names(void **state)
{
	(void)state;
	sk_csv_encoding e;
	assert_int_equal(sk_csv_encoding_parse("Shift_JIS", &e, NULL), SK_OK);
	assert_int_equal(e, SK_CSV_CP932);
	assert_int_equal(sk_csv_encoding_parse("UTF-8-BOM", &e, NULL), SK_OK);
	assert_int_equal(e, SK_CSV_UTF8_BOM);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(sk_csv_encoding_parse("latin1", &e, &err), SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "latin1"));
	sk_buf_free(&err);
	assert_string_equal(sk_csv_encoding_name(SK_CSV_CP932), "cp932");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),          cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_callback_stops), cmocka_unit_test(test_detect_decode),
	    cmocka_unit_test(test_utf8_valid),     cmocka_unit_test(test_write),
	    cmocka_unit_test(test_encoding_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
