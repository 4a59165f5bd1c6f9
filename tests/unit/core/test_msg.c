/* Tests of the message catalog: both languages for every message, and the choice between them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sk_msg.h"

/* The printf conversions of fmt in order ("u", "lld", "s"…), so two formats can be compared. */
static void conversions(const char *fmt, char *out, size_t max)
{
	size_t o = 0;
	out[0] = '\0';
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		p++;
		while (*p && strchr("0123456789.-+ #", *p))
			p++;
		while (*p && strchr("hlzjt", *p) && o + 1 < max)
			out[o++] = *p++;
		if (*p && o + 2 < max) {
			out[o++] = *p;
			out[o++] = ',';
		}
		out[o] = '\0';
	}
}

/* Every message exists in both languages and takes the same arguments in both. */
static void test_catalog_complete(void **state)
{
	(void)state;
	for (int id = 0; id < SK_M__COUNT; id++) {
		const char *en = sk_msg_format((sk_msg_id)id, SK_LANG_EN);
		const char *ja = sk_msg_format((sk_msg_id)id, SK_LANG_JA);
		if (!en || !*en || !ja || !*ja)
			fail_msg("message %d lacks a language", id);
		char ce[64], cj[64];
		conversions(en, ce, sizeof(ce));
		conversions(ja, cj, sizeof(cj));
		if (strcmp(ce, cj) != 0)
			fail_msg("message %d: '%s' takes %s, '%s' takes %s", id, en, ce, ja, cj);
		if ((strstr(en, "{f}") != NULL) != (strstr(ja, "{f}") != NULL))
			fail_msg("message %d names its field in one language only", id);
		if ((strstr(en, "{m}") != NULL) != (strstr(ja, "{m}") != NULL))
			fail_msg("message %d encloses a message in one language only", id);
		/* Japanese text, not a copy of the English. */
		int wide = 0;
		for (const unsigned char *u = (const unsigned char *)ja; *u; u++)
			wide += *u >= 0x80;
		if (!wide)
			fail_msg("message %d's Japanese is not Japanese: '%s'", id, ja);
	}
	for (int e = 0; e < SK_ERR__COUNT; e++) {
		const char *ja = sk_err_str_lang((sk_err)e, SK_LANG_JA);
		assert_true(ja && (unsigned char)ja[0] >= 0x80);
		assert_string_equal(sk_err_str_lang((sk_err)e, SK_LANG_EN), sk_err_str((sk_err)e));
	}
	assert_string_equal(sk_err_str_lang(SK_ERR_INVALID, SK_LANG_JA), "入力が正しくありません");
}

static void test_fail_msg(void **state)
{
	(void)state;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(
	    sk_fail_msg(&err, SK_ERR_INVALID, "note", "備考", SK_M_FIELD_TOO_LONG, 4000u),
	    SK_ERR_INVALID);
	assert_string_equal(err.data, "field 'note' is longer than 4000 bytes");
	assert_string_equal(sk_msg_of(&err, SK_ERR_INVALID, SK_LANG_JA),
	                    "「備考」が長すぎます（4000 バイトまで）");
	assert_string_equal(sk_msg_of(&err, SK_ERR_INVALID, SK_LANG_EN), err.data);
	assert_string_equal(err.field, "note");
	/* Without a Japanese title the key stands in; a '%' in it is shown, not interpreted. */
	sk_fail_msg(&err, SK_ERR_INVALID, "a%sb", NULL, SK_M_FIELD_REQUIRED);
	assert_string_equal(err.data, "field 'a%sb' is required");
	assert_string_equal(err.ja, "「a%sb」は必須です");
	/* A plain sk_fail replaces all of it: no stale Japanese text or field. */
	sk_fail(&err, SK_ERR_CONFLICT, "something else");
	assert_null(err.ja);
	assert_null(err.field);
	assert_string_equal(sk_msg_of(&err, SK_ERR_CONFLICT, SK_LANG_JA), "something else");
	sk_buf_reset(&err);
	assert_string_equal(sk_msg_of(&err, SK_ERR_CONFLICT, SK_LANG_JA), "現在の状態と矛盾します");
	sk_fail_msg(&err, SK_ERR_INVALID, NULL, NULL, SK_M_BODY_NOT_OBJECT);
	sk_buf_free(&err); /* frees the Japanese text too (the leak checker of the ASan build) */
	assert_null(err.ja);
}

/* A failure enclosing another keeps each language's text of the inner one. */
static void test_fail_wrap(void **state)
{
	(void)state;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_fail_msg(&err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_NOT_REAL, "2027-02-30");
	assert_int_equal(sk_fail_wrap(&err, SK_ERR_INVALID, "on", NULL, SK_M_ASSET_DISPOSAL_DATE),
	                 SK_ERR_INVALID);
	assert_string_equal(err.data, "disposal date: '2027-02-30' is not a real date");
	assert_string_equal(err.ja, "廃棄日: 「2027-02-30」は存在しない日付です");
	assert_string_equal(err.field, "on");
	/* The field stays when none is given; a '%' in the inner text is shown as it is. */
	sk_fail_texts(&err, SK_ERR_INVALID, "note", "100% wrong", "100% 誤り");
	sk_fail_wrap(&err, SK_ERR_INVALID, NULL, NULL, SK_M_IMPORT_ROW_FAILED, (size_t)7);
	assert_string_equal(err.data, "line 7: 100% wrong");
	assert_string_equal(err.ja, "7 行目: 100% 誤り");
	assert_string_equal(err.field, "note");
	/* An inner text without Japanese is enclosed as it is. */
	sk_fail(&err, SK_ERR_INVALID, "plain");
	sk_fail_wrap(&err, SK_ERR_INVALID, NULL, NULL, SK_M_LEDGER_REQUEST, 3LL);
	assert_string_equal(err.ja, "申請 3: plain");
	/* Messages longer than the old fixed buffers are whole in both languages. */
	char big[3000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sk_fail_texts(&err, SK_ERR_INVALID, NULL, big, big);
	sk_fail_wrap(&err, SK_ERR_INVALID, NULL, NULL, SK_M_IMPORT_ROWS_BAD, 1LL, 2LL);
	assert_non_null(strstr(err.ja, big));
	sk_buf out = SK_BUF_INIT(256);
	sk_msg_addf(&out, SK_LANG_JA, SK_M_IMPORT_AT_LINE_COL, (size_t)5, (size_t)3);
	assert_string_equal(out.data, "5 行目 3 列目");
	assert_int_equal(sk_lang_of_code("en"), SK_LANG_EN);
	assert_int_equal(sk_lang_of_code(NULL), SK_LANG_JA);
	sk_buf_free(&out);
	sk_buf_free(&err);
}

static sk_lang accept(const char *h) { return sk_lang_from_accept(h, strlen(h), SK_LANG_EN); }

static void test_accept_language(void **state)
{
	(void)state;
	assert_int_equal(accept("ja"), SK_LANG_JA);
	assert_int_equal(accept("ja-JP"), SK_LANG_JA);
	assert_int_equal(accept("ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7"), SK_LANG_JA);
	assert_int_equal(accept("en-US,en;q=0.9,ja;q=0.8"), SK_LANG_EN);
	assert_int_equal(accept("en;q=0.2, ja;q=0.5"), SK_LANG_JA);
	assert_int_equal(accept("ja;q=0, en"), SK_LANG_EN);
	assert_int_equal(accept("fr-FR,fr;q=0.9"), SK_LANG_EN);
	assert_int_equal(sk_lang_from_accept("fr", 2, SK_LANG_JA), SK_LANG_JA);
	assert_int_equal(sk_lang_from_accept("*", 1, SK_LANG_JA), SK_LANG_JA);
	assert_int_equal(accept("jav"), SK_LANG_EN); /* Javanese is not Japanese */
	assert_int_equal(accept(""), SK_LANG_EN);
	assert_int_equal(sk_lang_from_accept(NULL, 0, SK_LANG_JA), SK_LANG_JA);
	/* Only n bytes are read: the header is not NUL-terminated in a request. */
	assert_int_equal(accept("ja;q=0.1,en;q=0.2") == SK_LANG_EN, 1);
	assert_int_equal(sk_lang_from_accept("en,ja", 2, SK_LANG_JA), SK_LANG_EN);
}

static void test_env(void **state)
{
	(void)state;
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "ja_JP.UTF-8", 1);
	assert_int_equal(sk_lang_from_env(), SK_LANG_JA);
	setenv("LC_ALL", "C", 1);
	assert_int_equal(sk_lang_from_env(), SK_LANG_EN);
	unsetenv("LC_ALL");
	setenv("LANG", "en_US.UTF-8", 1);
	assert_int_equal(sk_lang_from_env(), SK_LANG_EN);
	/* No locale at all: the city's language (issue #15: Japanese by default). */
	unsetenv("LC_ALL");
	unsetenv("LANG");
	assert_int_equal(sk_lang_from_env(), SK_LANG_JA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_catalog_complete),
	    cmocka_unit_test(test_fail_msg),
	    cmocka_unit_test(test_fail_wrap),
	    cmocka_unit_test(test_accept_language),
	    cmocka_unit_test(test_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
