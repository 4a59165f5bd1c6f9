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
 * Parses an RFC 3339 time with an offset (Z or +hh:mm), optional fraction.
 * Writes microseconds since the epoch.
 */
sk_err sk_clock_parse_us(const char *s, int64_t *out_us);

#endif
