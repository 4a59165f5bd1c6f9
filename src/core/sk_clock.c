/* sk_clock: real or fake time, and RFC 3339 formatting. */
#include "sk_clock.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* INT64_MIN means "use the system clock". Atomic: server threads read it. */
static _Atomic int64_t fake_us = INT64_MIN;

int64_t sk_clock_now_us(void)
{
	int64_t f = atomic_load(&fake_us);
	if (f != INT64_MIN)
		return f;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t sk_clock_now(void) { return sk_clock_now_us() / 1000000; }

void sk_clock_set_fake_us(int64_t us) { atomic_store(&fake_us, us); }
void sk_clock_advance_us(int64_t delta) { atomic_fetch_add(&fake_us, delta); }
void sk_clock_use_real(void) { atomic_store(&fake_us, INT64_MIN); }

static void split(int64_t us, time_t *secs, long *frac)
{
	int64_t s = us / 1000000, f = us % 1000000;
	if (f < 0) {
		f += 1000000;
		s -= 1;
	}
	*secs = (time_t)s;
	*frac = (long)f;
}

/* n decimal digits of v (0 <= v < 10^n) at p. */
static char *put_digits(char *p, long v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

/*
 * "YYYY-MM-DDTHH:MM:SS" of secs (UTC) at out, written directly: every audit
 * entry's time is formatted on the group-commit writer's thread, where
 * gmtime_r and snprintf cost 3,900 instructions an entry. false (nothing
 * written) for a year outside 0..9999, which the callers format as before.
 */
static bool put_civil(int64_t secs, char *out)
{
	int64_t days = secs / 86400, sod = secs % 86400;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	int64_t y;
	int m, d;
	sk_clock_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return false;
	char *p = put_digits(out, (long)y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p++ = 'T';
	p = put_digits(p, (long)(sod / 3600), 2);
	*p++ = ':';
	p = put_digits(p, (long)(sod / 60 % 60), 2);
	*p++ = ':';
	put_digits(p, (long)(sod % 60), 2);
	return true;
}

void sk_clock_format_us(int64_t us, char out[SK_TIME_STR_MAX])
{
	time_t s;
	long f;
	split(us, &s, &f);
	if (put_civil((int64_t)s, out)) {
		out[19] = '.';
		put_digits(out + 20, f, 6);
		memcpy(out + 26, "+00:00", sizeof("+00:00"));
		return;
	}
	struct tm tm;
	gmtime_r(&s, &tm);
	snprintf(out, SK_TIME_STR_MAX, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld+00:00",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, f);
}

void sk_clock_format(int64_t secs, char out[SK_TIME_STR_MAX])
{
	if (put_civil(secs, out)) {
		memcpy(out + 19, "+00:00", sizeof("+00:00"));
		return;
	}
	time_t s = (time_t)secs;
	struct tm tm;
	gmtime_r(&s, &tm);
	snprintf(out, SK_TIME_STR_MAX, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The zone: its offset east of UTC in seconds, and its name (one of the table's, or "+hh:mm"). */
static _Atomic int zone_offset = 9 * 3600;
static char zone_name[16] = SK_CLOCK_DEFAULT_ZONE;

static const struct {
	const char *name;
	int offset;
} zones[] = {
    {"Asia/Tokyo", 9 * 3600}, {"JST", 9 * 3600}, {"Japan", 9 * 3600}, {"UTC", 0},
    {"Etc/UTC", 0},           {"Z", 0},
};

sk_err sk_clock_zone_parse(const char *name, int *offset)
{
	if (!name)
		return SK_ERR_INVALID;
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcmp(zones[i].name, name) == 0) {
			*offset = zones[i].offset;
			return SK_OK;
		}
	const char *p = name;
	if (strlen(p) == 6 && (p[0] == '+' || p[0] == '-') && p[1] >= '0' && p[1] <= '1' &&
	    p[2] >= '0' && p[2] <= '9' && p[3] == ':' && p[4] >= '0' && p[4] <= '5' &&
	    p[5] >= '0' && p[5] <= '9') {
		int h = (p[1] - '0') * 10 + (p[2] - '0'), m = (p[4] - '0') * 10 + (p[5] - '0');
		if (h > 14)
			return SK_ERR_INVALID;
		*offset = (h * 3600 + m * 60) * (p[0] == '-' ? -1 : 1);
		return SK_OK;
	}
	return SK_ERR_INVALID;
}

sk_err sk_clock_set_zone(const char *name)
{
	int off;
	if (sk_clock_zone_parse(name, &off) != SK_OK || strlen(name) >= sizeof(zone_name))
		return SK_ERR_INVALID;
	snprintf(zone_name, sizeof(zone_name), "%s", name);
	atomic_store(&zone_offset, off);
	return SK_OK;
}

const char *sk_clock_zone_name(void) { return zone_name; }
int sk_clock_zone_offset(void) { return atomic_load(&zone_offset); }

void sk_clock_format_local(int64_t secs, char out[SK_TIME_STR_MAX])
{
	int off = sk_clock_zone_offset();
	time_t s = (time_t)(secs + off);
	struct tm tm;
	gmtime_r(&s, &tm);
	int a = off < 0 ? -off : off;
	snprintf(out, SK_TIME_STR_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	         off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
}

void sk_clock_format_local_us(int64_t us, char out[SK_TIME_STR_MAX])
{
	time_t s;
	long f;
	split(us, &s, &f);
	char whole[SK_TIME_STR_MAX];
	sk_clock_format_local((int64_t)s, whole);
	/* "2027-03-31T09:00:00" + ".000006" + "+09:00" */
	snprintf(out, SK_TIME_STR_MAX, "%.19s.%06ld%.8s", whole, f, whole + 19);
}

void sk_clock_local_day(int64_t secs, int *y, int *m, int *d)
{
	time_t s = (time_t)(secs + sk_clock_zone_offset());
	struct tm tm;
	gmtime_r(&s, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

static int64_t days_from_civil(int64_t y, int m, int d);

int64_t sk_clock_local_day_start(int y, int m, int d)
{
	return days_from_civil(y, m, d) * 86400 - sk_clock_zone_offset();
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* civil_from_days (H. Hinnant), the inverse of days_from_civil. */
void sk_clock_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

sk_err sk_clock_parse_us(const char *s, int64_t *out_us)
{
	int Y, M, D, h, m, sec;
	if (strlen(s) < 20 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) ||
	    s[7] != '-' || digits(s + 8, 2, &D) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &m) || s[16] != ':' ||
	    digits(s + 17, 2, &sec))
		return SK_ERR_INVALID;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (M < 1 || M > 12 || D < 1 || D > mdays[M - 1] || h > 23 || m > 59 || sec > 60)
		return SK_ERR_INVALID;
	int leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
	if (M == 2 && D == 29 && !leap)
		return SK_ERR_INVALID;
	const char *p = s + 19;
	int64_t frac = 0;
	if (*p == '.') {
		int n = 0;
		p++;
		while (*p >= '0' && *p <= '9') {
			if (n < 6)
				frac = frac * 10 + (*p - '0');
			n++;
			p++;
		}
		if (n == 0)
			return SK_ERR_INVALID;
		for (; n < 6; n++)
			frac *= 10;
	}
	int off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 ||
		    om > 59)
			return SK_ERR_INVALID;
		off = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return SK_ERR_INVALID;
	}
	if (*p)
		return SK_ERR_INVALID;
	int64_t secs = days_from_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec - off;
	*out_us = secs * 1000000 + frac;
	return SK_OK;
}
