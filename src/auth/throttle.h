/*
 * throttle: what one client address did at the login door lately, kept in
 * this process's memory (issue #12, findings 6 and 7).
 *
 *  - The throttle: after `failures` failed logins from one address within
 *    `window` seconds, that address is refused (SK_ERR_THROTTLED, 429 with
 *    Retry-After) until the window that started with its first failure
 *    ends. A refused attempt neither verifies a password nor counts
 *    against the account it names, so one address cannot lock accounts
 *    faster than the throttle lets it guess.
 *  - The summary: failures that say nothing about an account's holder
 *    (unknown login, locked, disabled or expired account, throttled) are
 *    counted per address and minute and written to the audit log as one
 *    "auth.failures" entry per address and minute, not one entry each.
 *
 * The table is fixed in size (SK_THROTTLE_SLOTS addresses); when it is full
 * the entry seen longest ago gives way (its summary is written first). Safe
 * to call from every thread; nothing here touches the database except
 * sk_throttle_flush.
 */
#ifndef SK_THROTTLE_H
#define SK_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../store/store.h"

#define SK_THROTTLE_SLOTS 4096
/* Defaults: 20 failures from one address within 10 minutes. */
#define SK_THROTTLE_DEFAULT_FAILURES 20
#define SK_THROTTLE_DEFAULT_WINDOW   600

/* The reasons a summarised failure is counted under. */
typedef enum sk_throttle_reason {
	SK_THROTTLE_UNKNOWN_LOGIN,
	SK_THROTTLE_LOCKED,
	SK_THROTTLE_DISABLED,
	SK_THROTTLE_EXPIRED,
	SK_THROTTLE_THROTTLED,
	SK_THROTTLE__COUNT
} sk_throttle_reason;

/*
 * Sets the throttle for the whole process: failures (0 turns the throttle
 * off) within window seconds. Also empties the table and the phantom locks (tests).
 */
void sk_throttle_configure(int failures, int window);

/*
 * Whether address may try a login at now: false with *retry_after (seconds,
 * at least 1) when it has used up its failures for the current window.
 */
bool sk_throttle_allows(const char *address, int64_t now, int64_t *retry_after);

/* Counts one failed login from address towards the throttle. */
void sk_throttle_fail(const char *address, int64_t now);

/* Counts one summarised failure (see above) from address in the minute of now. */
void sk_throttle_note(const char *address, sk_throttle_reason why, int64_t now);

/*
 * Writes the "auth.failures" entries of the minutes that have ended by now
 * (all of them when all is true: at shutdown), one per address and minute:
 * {"address", "count", "from", "to", "reasons": {"unknown_login": n, ...}},
 * actor "anonymous", object "address:ADDR", in one transaction. Summaries
 * that fail to be written are kept under the address "other" for the next
 * flush, so a failing database loses no count (only the addresses).
 */
sk_err sk_throttle_flush(sk_store *s, int64_t now, bool all, sk_buf *err);

#endif
