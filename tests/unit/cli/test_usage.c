/*
 * Unit tests of src/cli/usage.c: usage lines worded in the reader's language
 * (issue 15 item 1) and --lang. The words expected are written here, as a
 * Japanese reader of the city reads them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"

/* What sk_cli_put_usage prints for usage in language l; the caller frees it. */
static char *put(sk_lang l, const char *lead, const char *usage)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	assert_non_null(f);
	sk_lang_set_env(l);
	sk_cli_put_usage(f, lead, "sekisho request approve", usage);
	fclose(f);
	return text;
}

static void expect(sk_lang l, const char *lead, const char *usage, const char *want)
{
	char *got = put(l, lead, usage);
	assert_string_equal(got, want);
	free(got);
}

static void test_placeholders(void **state)
{
	(void)state;
	const char *u = "--db URL --as LOGIN [--comment TEXT] ID";
	expect(SK_LANG_EN, "usage: ", u,
	       "usage: sekisho request approve --db URL --as LOGIN [--comment TEXT] ID\n");
	expect(SK_LANG_JA, "使い方: ", u,
	       "使い方: sekisho request approve --db データベース --as ログイン名 "
	       "[--comment 文字列] 番号\n");
	/* A placeholder's English word may differ from its token; keys and options stay. */
	expect(SK_LANG_EN, "", "[--email MAIL_ADDR|none] --kind a|b [ADD_OPTIONS]",
	       "sekisho request approve [--email ADDR|none] --kind a|b [any option of add]\n");
	expect(SK_LANG_JA, "", "--from YYYY-MM-DD FILE.csv|FILE.xlsx KIND[,KIND] ID,ID...",
	       "sekisho request approve --from 日付 ファイル.csv|ファイル.xlsx 種類[,種類] "
	       "番号,番号...\n");
	/* Not a placeholder: a word of the table inside another word, or one it does not know. */
	expect(SK_LANG_JA, "", "--x-ID aID IDs NOPE",
	       "sekisho request approve --x-ID aID IDs NOPE\n");
}

static void test_forms(void **state)
{
	(void)state;
	/* A newline starts another form, under the first, past the heading's width. */
	expect(SK_LANG_EN, "usage: ", "FILE\n--in DIR",
	       "usage: sekisho request approve FILE\n       sekisho request approve --in DIR\n");
	expect(SK_LANG_JA, "使い方: ", "FILE\n--in DIR",
	       "使い方: sekisho request approve ファイル\n        sekisho request approve "
	       "--in ディレクトリ\n");
	expect(SK_LANG_EN, "", "", "sekisho request approve\n");
}

static void test_lang(void **state)
{
	(void)state;
	char a0[] = "sekisho", a1[] = "--lang", a2[] = "ja", a3[] = "org", a4[] = "--lang=en",
	     a5[] = "--", a6[] = "--lang", a7[] = "x";
	char *argv[] = {a0, a1, a2, a3, a4, a5, a6, a7, NULL};
	int argc = 8;
	sk_lang_set_env(SK_LANG_JA);
	assert_int_equal(sk_cli_take_lang(&argc, argv), 0);
	/* The last --lang before "--" counts; what follows "--" is the command's. */
	assert_int_equal(sk_lang_from_env(), SK_LANG_EN);
	assert_int_equal(argc, 5);
	assert_string_equal(argv[1], "org");
	assert_string_equal(argv[2], "--");
	assert_string_equal(argv[3], "--lang");
	assert_null(argv[5]);

	char b0[] = "sekisho", b1[] = "--lang=ja_JP.UTF-8";
	char *argv2[] = {b0, b1, NULL};
	argc = 2;
	assert_int_equal(sk_cli_take_lang(&argc, argv2), 0);
	assert_int_equal(sk_lang_from_env(), SK_LANG_JA);
	assert_int_equal(argc, 1);

	char c0[] = "sekisho", c1[] = "--lang", c2[] = "fr";
	char *argv3[] = {c0, c1, c2, NULL};
	argc = 3;
	assert_int_equal(sk_cli_take_lang(&argc, argv3), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_placeholders),
	    cmocka_unit_test(test_forms),
	    cmocka_unit_test(test_lang),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
