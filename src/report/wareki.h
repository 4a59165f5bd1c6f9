/*
 * wareki: calendar dates as Japanese ledgers write them. Municipal registers
 * kept in Excel mix 和暦 (令和7年4月1日, R7.4.1, 令和元年5月1日, ㋿7.4.1) and
 * western dates (2025/4/1, 2025-04-01, 2025年4月1日), often with full-width
 * digits; this module turns any of them into one calendar date and writes
 * dates back both ways.
 *
 * Eras and their first days (Gregorian): 明治 1868-10-23, 大正 1912-07-30,
 * 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01. A 和暦 date outside its
 * era (平成32年, 昭和64年1月8日) is refused rather than guessed at.
 */
#ifndef SK_WAREKI_H
#define SK_WAREKI_H

#include <stddef.h>

#include "../core/sk_buf.h"

typedef struct sk_date {
	int y, m, d;
} sk_date;

/* The longest input accepted, in bytes; anything longer is not a date. */
#define SK_WAREKI_MAX_INPUT 64

/*
 * Parses the n bytes at s (UTF-8, surrounding spaces allowed) as a date in
 * any of the forms above. On failure writes a sentence naming what is wrong
 * into err and returns SK_ERR_INVALID; *out is then untouched.
 */
sk_err sk_wareki_parse(const char *s, size_t n, sk_date *out, sk_buf *err);

/* Whether y-m-d is a real Gregorian date in years 1..9999. */
int sk_date_valid(int y, int m, int d);

/* "2025-04-01"; out has room for 11 bytes. */
void sk_date_format_iso(sk_date d, char out[11]);

/*
 * The 和暦 spelling, "令和7年4月1日" (元年 for the first year), appended to
 * out. Dates before 明治 are written the western way ("1850年1月1日").
 */
sk_err sk_date_format_wareki(sk_date d, sk_buf *out);

#endif
