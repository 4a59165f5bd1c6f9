/*
 * Unit tests of sk_web_when (src/web/web.c), the one writer of dates on the
 * pages: a moment in Japan's time (UTC+9, the day changing at 15:00 UTC),
 * western or 和暦 as the account prefers (令和 from 2019-05-01, 元年 for its
 * first year, 平成 before it), and text that is no moment given back as it is.
 */
#include "testutil.h"

#include <string.h>

#include "web/web_int.h"

static const char *when(bool wareki, const char *t, char *out, size_t max)
{
	sk_web_req w;
	memset(&w, 0, sizeof(w));
	w.wareki = wareki;
	return sk_web_when(&w, t, out, max);
}

static void test_when(void **state)
{
	(void)state;
	char out[64];
	/* 15:30 UTC is 00:30 the next day in Japan. */
	assert_string_equal(when(false, "2026-12-06T15:30:00+00:00", out, sizeof(out)),
	                    "2026-12-07 00:30");
	assert_string_equal(when(true, "2026-12-06T15:30:00+00:00", out, sizeof(out)),
	                    "令和8年12月7日 00:30");
	/* An offset given is honoured; microseconds (audit entries) are dropped. */
	assert_string_equal(when(true, "2019-05-01T09:00:00.123456+09:00", out, sizeof(out)),
	                    "令和元年5月1日 09:00");
	assert_string_equal(when(true, "2019-04-30T14:59:00Z", out, sizeof(out)),
	                    "平成31年4月30日 23:59");
	/* Not a moment: as it is (NULL stays NULL, so a template leaves the value out). */
	assert_string_equal(when(true, "yesterday", out, sizeof(out)), "yesterday");
	assert_null(when(false, NULL, out, sizeof(out)));
	assert_string_equal(when(false, "", out, sizeof(out)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_when)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
