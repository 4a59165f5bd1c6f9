/*
 * maint: the server's housekeeping thread. Every poll seconds, on a store
 * connection of its own, it marks exceptions whose period has ended as
 * expired (sk_request_expire_due) and reminds approvers of requests left
 * pending longer than remind_days (sk_notify_remind_overdue). Each round is
 * audited by the functions it calls; a failed round is logged and retried
 * at the next.
 */
#ifndef SK_MAINT_H
#define SK_MAINT_H

#include <stdint.h>

#include "../core/sk_buf.h"

/* Reminders by default after this many days pending. */
#define SK_MAINT_DEFAULT_REMIND_DAYS 3

/* Starts the thread (once per process); the store is opened here, so a bad URL fails at once. */
sk_err sk_maint_start(const char *db_url, int remind_days, int64_t poll, sk_buf *err);

/* Runs one round on the caller's thread (tests, and `sekisho notify remind`). */
struct sk_ctx;
sk_err sk_maint_round(struct sk_ctx *c, int remind_days, int64_t *expired, int64_t *reminded,
                      sk_buf *err);

/* Stops the thread, waiting for a round in progress, if it runs. */
void sk_maint_stop(void);

#endif
