/* sk_log: one line per message, with UTC time and level. */
#include "sk_log.h"

#include <stdarg.h>
#include <stdio.h>

#include "sk_clock.h"

static sk_log_level min_level = SK_LOG_INFO;

void sk_log_set_level(sk_log_level lvl) { min_level = lvl; }

void sk_log(sk_log_level lvl, const char *fmt, ...)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	if (lvl < min_level)
		return;
	char ts[SK_TIME_STR_MAX], line[2048];
	sk_clock_format(sk_clock_now(), ts);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap); /* a longer message is cut, by design */
	va_end(ap);
	fprintf(stderr, "%s %s %s\n", ts, names[lvl], line);
}
