/*
 * sk_clock: the one source of "now" for sekisho. Tests replace it with a
 * fixed or stepped clock so that lockouts, expiries and timeouts can be
 * checked without sleeping.
 */
#ifndef SK_CLOCK_H
#define SK_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "sk_err.h"

/* Microseconds since the Unix epoch, UTC. */
int64_t sk_clock_now_us(void);
/* Seconds since the Unix epoch, UTC. */
int64_t sk_clock_now(void);

/* Freezes the clock at us; later sk_clock_advance_us moves it. For tests. */
void sk_clock_set_fake_us(int64_t us);
void sk_clock_advance_us(int64_t delta);
/* Returns to the system clock. */
void sk_clock_use_real(void);

/* Room for "2026-11-21T23:19:39.123456+00:00", with slack for any year. */
#define SK_TIME_STR_MAX 96

/* Formats us as RFC 3339 UTC with microseconds and an explicit +00:00 offset. */
void sk_clock_format_us(int64_t us, char out[SK_TIME_STR_MAX]);
/* Formats seconds as "2026-11-21T23:19:39+00:00". */
void sk_clock_format(int64_t secs, char out[SK_TIME_STR_MAX]);
/*
 * The installation's time zone, in which every door shows times to people
 * (times are stored and logged in UTC). A city works in JST: the default is
 * Asia/Tokyo, UTC+9 with no daylight saving. Only zones with one fixed offset
 * are known: "Asia/Tokyo" (or "JST"), "UTC" (or "Etc/UTC"), or an offset
 * written "+09:00". SK_ERR_INVALID for anything else, the zone unchanged.
 * Set once when an installation is opened; threads only read it.
 */
#define SK_CLOCK_DEFAULT_ZONE "Asia/Tokyo"
sk_err sk_clock_set_zone(const char *name);
/* Checks a zone name as sk_clock_set_zone does and gives its offset, changing nothing. */
sk_err sk_clock_zone_parse(const char *name, int *offset);
/* The zone's name as set ("Asia/Tokyo") and its offset east of UTC in seconds. */
const char *sk_clock_zone_name(void);
int sk_clock_zone_offset(void);

/* Formats secs in the installation's zone: "2027-03-31T09:00:00+09:00". */
void sk_clock_format_local(int64_t secs, char out[SK_TIME_STR_MAX]);
/* The same with microseconds: "2027-03-31T09:00:00.000006+09:00". */
void sk_clock_format_local_us(int64_t us, char out[SK_TIME_STR_MAX]);
/*
 * The proleptic Gregorian date days after 1970-01-01 (negative: before);
 * the one conversion the export's times and the .xlsx reader's serial
 * dates both need, without gmtime's range limits.
 */
void sk_clock_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
/* The calendar day secs falls on in the installation's zone. */
void sk_clock_local_day(int64_t secs, int *y, int *m, int *d);
/* The first second (Unix seconds) of day y-m-d in the installation's zone. */
int64_t sk_clock_local_day_start(int y, int m, int d);

/*
 * Parses an RFC 3339 time with an offset (Z or +hh:mm), optional fraction.
 * Writes microseconds since the epoch.
 */
sk_err sk_clock_parse_us(const char *s, int64_t *out_us);

#endif
