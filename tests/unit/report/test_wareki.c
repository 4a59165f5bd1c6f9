/* Unit tests of src/report/wareki: every spelling of a date a ledger may hold. */
#include "testutil.h"

#include <string.h>

#include "report/wareki.h"

static void expect_date(const char *in, int y, int m, int d)
{
	sk_date got = {0, 0, 0};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_wareki_parse(in, strlen(in), &got, &err);
	if (e != SK_OK)
		fail_msg("'%s' was refused: %s", in, err.data);
	if (got.y != y || got.m != m || got.d != d)
		fail_msg("'%s' gave %d-%d-%d, expected %d-%d-%d", in, got.y, got.m, got.d, y, m, d);
	sk_buf_free(&err);
}

static void expect_bad(const char *in, const char *msg_part)
{
	sk_date got = {7, 7, 7};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_wareki_parse(in, strlen(in), &got, &err);
	if (e != SK_ERR_INVALID)
		fail_msg("'%s' was accepted as %d-%d-%d", in, got.y, got.m, got.d);
	if (!strstr(err.data, msg_part))
		fail_msg("'%s': message '%s' does not mention '%s'", in, err.data, msg_part);
	assert_int_equal(got.y, 7); /* untouched on failure */
	sk_buf_free(&err);
}

static void test_eras(void **state)
{
	(void)state;
	expect_date("令和7年4月1日", 2025, 4, 1);
	expect_date("令和元年5月1日", 2019, 5, 1);
	expect_date("令和1年5月1日", 2019, 5, 1);
	expect_date("平成31年4月30日", 2019, 4, 30);
	expect_date("平成元年1月8日", 1989, 1, 8);
	expect_date("昭和64年1月7日", 1989, 1, 7);
	expect_date("昭和元年12月25日", 1926, 12, 25);
	expect_date("大正15年12月24日", 1926, 12, 24);
	expect_date("大正元年7月30日", 1912, 7, 30);
	expect_date("明治45年7月29日", 1912, 7, 29);
	expect_date("明治元年10月23日", 1868, 10, 23);
}

static void test_abbreviations(void **state)
{
	(void)state;
	expect_date("R7.4.1", 2025, 4, 1);
	expect_date("r7.4.1", 2025, 4, 1);
	expect_date("R07/04/01", 2025, 4, 1);
	expect_date("H31-4-30", 2019, 4, 30);
	expect_date("S64.1.7", 1989, 1, 7);
	expect_date("T15.12.24", 1926, 12, 24);
	expect_date("M45.7.29", 1912, 7, 29);
	expect_date("Ｒ７．４．１", 2025, 4, 1);
	expect_date("令7.4.1", 2025, 4, 1);
	expect_date("㋿7年4月1日", 2025, 4, 1);
	expect_date("㍻31.4.30", 2019, 4, 30);
	expect_date("令和７年４月１日", 2025, 4, 1);
	expect_date("令和 7年 4月 1日", 2025, 4, 1);
	expect_date("　令和7年4月1日　", 2025, 4, 1);
}

static void test_western(void **state)
{
	(void)state;
	expect_date("2025-04-01", 2025, 4, 1);
	expect_date("2025/4/1", 2025, 4, 1);
	expect_date("2025.4.1", 2025, 4, 1);
	expect_date("2025年4月1日", 2025, 4, 1);
	expect_date("２０２５年４月１日", 2025, 4, 1);
	expect_date("2024/2/29", 2024, 2, 29);
	expect_date("2000-02-29", 2000, 2, 29);
}

static void test_bad(void **state)
{
	(void)state;
	expect_bad("", "empty");
	expect_bad("平成32年1月1日", "after 平成 ended (2019-04-30)");
	expect_bad("令和元年4月30日", "before 令和 began (2019-05-01)");
	expect_bad("昭和64年1月8日", "after 昭和 ended");
	expect_bad("令和0年5月1日", "no year 0");
	expect_bad("元年5月1日", "needs an era");
	expect_bad("7.4.1", "four digits");
	expect_bad("2023/2/29", "not a real date");
	expect_bad("1900-02-29", "not a real date");
	expect_bad("2025/13/1", "not a real date");
	expect_bad("2025/4/31", "not a real date");
	expect_bad("2025/4", "and then a day");
	expect_bad("2025/4/", "expected a day");
	expect_bad("2025年4/1", "expected 月 after the month");
	expect_bad("2025/4/1 12:00", "unexpected character");
	expect_bad("令和7年4月1日頃", "unexpected character");
	expect_bad("2025/4/1/2", "unexpected text after the day");
	expect_bad("R12345.1.1", "expected a year");
	expect_bad("\xff\xfe", "not valid UTF-8");
	/* an overlong '1' and a surrogate: once read as a digit and as nothing */
	expect_bad("2025/4/\xe0\x80\xb1", "not valid UTF-8");
	expect_bad("2025/4/1\xed\xa0\x80", "not valid UTF-8");
	char longs[100];
	memset(longs, '1', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	expect_bad(longs, "longer than");
}

static void test_format(void **state)
{
	(void)state;
	char iso[11];
	sk_date_format_iso((sk_date){2025, 4, 1}, iso);
	assert_string_equal(iso, "2025-04-01");
	static const struct {
		sk_date d;
		const char *want;
	} cases[] = {
	    {{2025, 4, 1}, "令和7年4月1日"},    {{2019, 5, 1}, "令和元年5月1日"},
	    {{2019, 4, 30}, "平成31年4月30日"}, {{1989, 1, 7}, "昭和64年1月7日"},
	    {{1850, 1, 1}, "1850年1月1日"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sk_buf b = SK_BUF_INIT(64);
		assert_int_equal(sk_date_format_wareki(cases[i].d, &b), SK_OK);
		assert_string_equal(b.data, cases[i].want);
		/* What is written reads back as the same date. */
		if (cases[i].d.y >= 1868)
			expect_date(b.data, cases[i].d.y, cases[i].d.m, cases[i].d.d);
		sk_buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_eras),    cmocka_unit_test(test_abbreviations),
	    cmocka_unit_test(test_western), cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
