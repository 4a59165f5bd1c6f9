/*
 * wareki: parsing and writing 和暦 and western dates (see wareki.h).
 *
 * The input is first folded into a short ASCII form (full-width digits and
 * letters to ASCII, era names to one letter, 年/月/日 to y/m/d, every
 * separator to '.', spaces dropped), so one small grammar covers all the
 * spellings: [ERA] YEAR SEP MONTH SEP DAY [d].
 */
#include "wareki.h"

#include "../core/sk_msg.h"
#include "../core/sk_utf8.h"

#include <stdio.h>
#include <string.h>

struct era {
	const char *name;
	sk_date start; /* the first day of the era */
	char letter;
};

/* Oldest first; each era ends the day before the next one starts. */
static const struct era eras[] = {
    {"明治", {1868, 10, 23}, 'M'}, {"大正", {1912, 7, 30}, 'T'}, {"昭和", {1926, 12, 25}, 'S'},
    {"平成", {1989, 1, 8}, 'H'},   {"令和", {2019, 5, 1}, 'R'},
};
#define NERAS (sizeof(eras) / sizeof(eras[0]))

/* Multi-byte spellings and the ASCII they fold to; longer entries first where they share a
 * prefix. */
#define F(s, c)                                                                                    \
	{                                                                                          \
		s, sizeof(s) - 1, c                                                                \
	}
static const struct fold {
	const char *utf8;
	size_t len;
	char to;
} folds[] = {
    F("令和", 'R'), F("平成", 'H'), F("昭和", 'S'), F("大正", 'T'), F("明治", 'M'),
    F("令", 'R'),   F("平", 'H'),   F("昭", 'S'),   F("大", 'T'),   F("明", 'M'),
    F("㋿", 'R'),  F("㍻", 'H'),   F("㍼", 'S'),   F("㍽", 'T'),   F("㍾", 'M'),
    F("元", '#'),   F("年", 'y'),   F("月", 'm'),   F("日", 'd'),   F("．", '.'),
    F("／", '.'),   F("－", '.'),   F("ー", '.'),   F("・", '.'),   F("　", ' '),
};
#undef F

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int sk_date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

static int date_cmp(sk_date a, sk_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	return a.d < b.d ? -1 : a.d > b.d;
}

/* Folds s into out (at most outmax-1 chars). Returns 0 or -1 with a message in err. */
static int fold_input(const char *s, size_t n, char *out, size_t outmax, const char *orig,
                      sk_buf *err)
{
	size_t o = 0;
	size_t i = 0;
	while (i < n) {
		char c = 0;
		const unsigned char *u = (const unsigned char *)s + i;
		size_t used = 0;
		for (size_t f = 0; *u >= 0x80 && f < sizeof(folds) / sizeof(folds[0]); f++) {
			size_t fl = folds[f].len;
			if (fl <= n - i && memcmp(u, folds[f].utf8, fl) == 0) {
				c = folds[f].to;
				used = fl;
				break;
			}
		}
		if (!used) {
			uint32_t cp;
			used = sk_utf8_decode(u, n - i, &cp);
			if (!used) {
				sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_NOT_UTF8,
				            orig);
				return -1;
			}
			if (cp >= 0xff10 && cp <= 0xff19)
				cp = '0' + (cp - 0xff10);
			else if (cp >= 0xff21 && cp <= 0xff3a)
				cp = 'A' + (cp - 0xff21);
			else if (cp >= 0xff41 && cp <= 0xff5a)
				cp = 'A' + (cp - 0xff41);
			else if (cp >= 'a' && cp <= 'z')
				cp = cp - 'a' + 'A';
			if ((cp >= '0' && cp <= '9') || cp == 'M' || cp == 'T' || cp == 'S' ||
			    cp == 'H' || cp == 'R')
				c = (char)cp;
			else if (cp == '.' || cp == '/' || cp == '-')
				c = '.';
			else if (cp == ' ' || cp == '\t')
				c = ' ';
			else {
				sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_BAD_CHAR,
				            orig, i + 1);
				return -1;
			}
		}
		i += used;
		if (c == ' ')
			continue;
		if (o + 1 >= outmax) {
			sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_NOT_DATE, orig);
			return -1;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* Reads 1..maxd digits at *p; -1 if there are none or too many. */
static int read_num(const char **p, int maxd)
{
	int v = 0, nd = 0;
	while (**p >= '0' && **p <= '9') {
		if (++nd > maxd)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	return nd ? v : -1;
}

sk_err sk_wareki_parse(const char *s, size_t n, sk_date *out, sk_buf *err)
{
	char orig[SK_WAREKI_MAX_INPUT + 1];
	if (n > SK_WAREKI_MAX_INPUT)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_TOO_LONG,
		                   SK_WAREKI_MAX_INPUT);
	memcpy(orig, s, n);
	orig[n] = '\0';
	if (memchr(orig, '\0', n))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_NUL);
	char f[SK_WAREKI_MAX_INPUT + 1];
	if (fold_input(s, n, f, sizeof(f), orig, err))
		return SK_ERR_INVALID;
	if (!*f)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_EMPTY);

	const char *p = f;
	const struct era *era = NULL;
	for (size_t i = 0; i < NERAS; i++)
		if (*p == eras[i].letter)
			era = &eras[i];
	if (era)
		p++;
	int year;
	if (*p == '#') {
		if (!era)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_GANNEN,
			                   orig);
		year = 1;
		p++;
	} else {
		const char *y0 = p;
		year = read_num(&p, 4);
		if (year < 0)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_NO_YEAR,
			                   orig);
		if (!era && p - y0 != 4)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_YEAR_DIGITS,
			                   orig, year);
	}
	if (*p != 'y' && *p != '.')
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_NO_YEAR_SEP, orig);
	char style = *p++;
	int month = read_num(&p, 2);
	if (month < 0)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_NO_MONTH, orig);
	if (*p != (style == 'y' ? 'm' : '.'))
		return sk_fail_msg(
		    err, SK_ERR_INVALID, NULL, NULL,
		    style == 'y' ? SK_M_WAREKI_NO_MONTH_SEP : SK_M_WAREKI_NO_MONTH_DOT, orig);
	p++;
	int day = read_num(&p, 2);
	if (day < 0)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_NO_DAY, orig);
	if (*p == 'd')
		p++;
	if (*p)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_TRAILING, orig);

	sk_date d = {year, month, day};
	if (era) {
		if (year < 1)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_YEAR_ZERO,
			                   orig, era->name);
		d.y = era->start.y + year - 1;
	}
	if (!sk_date_valid(d.y, d.m, d.d))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_NOT_REAL, orig);
	if (era) {
		char a[11], b[11];
		if (date_cmp(d, era->start) < 0) {
			sk_date_format_iso(era->start, a);
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_BEFORE_ERA,
			                   orig, era->name, a);
		}
		if (era + 1 < eras + NERAS && date_cmp(d, era[1].start) >= 0) {
			sk_date last = era[1].start;
			/* The day before the next era: step back one day. */
			if (--last.d == 0) {
				if (--last.m == 0) {
					last.m = 12;
					last.y--;
				}
				last.d = days_in_month(last.y, last.m);
			}
			sk_date_format_iso(last, a);
			sk_date_format_iso(d, b);
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WAREKI_AFTER_ERA,
			                   orig, b, era->name, a);
		}
	}
	*out = d;
	return SK_OK;
}

void sk_date_format_iso(sk_date d, char out[11])
{
	/* Digit by digit: clamped fields always fit, and no format can truncate. */
	unsigned y = d.y < 0 ? 0u : d.y > 9999 ? 9999u : (unsigned)d.y;
	unsigned m = d.m < 0 ? 0u : d.m > 99 ? 99u : (unsigned)d.m;
	unsigned dd = d.d < 0 ? 0u : d.d > 99 ? 99u : (unsigned)d.d;
	const unsigned v[] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10,  10,
	                      m / 10,   m % 10,       10,          dd / 10, dd % 10};
	for (int i = 0; i < 10; i++)
		out[i] = v[i] == 10 ? '-' : (char)('0' + v[i]);
	out[10] = '\0';
}

sk_err sk_date_format_wareki(sk_date d, sk_buf *out)
{
	const struct era *era = NULL;
	for (size_t i = 0; i < NERAS; i++)
		if (date_cmp(d, eras[i].start) >= 0)
			era = &eras[i];
	if (!era)
		return sk_buf_addf(out, "%d年%d月%d日", d.y, d.m, d.d);
	int ey = d.y - era->start.y + 1;
	if (ey == 1)
		return sk_buf_addf(out, "%s元年%d月%d日", era->name, d.m, d.d);
	return sk_buf_addf(out, "%s%d年%d月%d日", era->name, ey, d.m, d.d);
}
