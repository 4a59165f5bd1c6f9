/*
 * mailer: sends the notification outbox (src/domain/notify.h) over SMTP
 * (smtp.h): once from the CLI (`sekisho notify flush`), or as a thread of
 * `sekisho serve --smtp`. Claims, results and retries are the outbox's
 * (sk_notify_outbox_*); this module only drives them.
 */
#ifndef SK_MAILER_H
#define SK_MAILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../store/store.h"
#include "smtp.h"

/* What one flush did. */
typedef struct sk_mailer_stats {
	size_t sent, failed;
} sk_mailer_stats;

/*
 * Sends what is due once (`sekisho notify flush`, and each round of the
 * sender thread): claims batches and sends each mail over smtp, recording
 * each result, each row tried at most once; with ignore_schedule the rows
 * waiting for a retry are tried too (an operator's "now"). Log
 * lines name the outbox row and the server, never an address, a subject or
 * a body.
 */
sk_err sk_mailer_flush(sk_store *s, const sk_smtp_config *smtp, int64_t retry_base,
                       bool ignore_schedule, sk_mailer_stats *st, sk_buf *err);

/*
 * The sender thread of `sekisho serve --smtp`: opens its own store on db_url
 * and flushes every poll seconds until stopped. smtp's strings are copied.
 * Call sk_smtp_global_init before.
 */
sk_err sk_mailer_start(const char *db_url, const sk_smtp_config *smtp, int64_t retry_base,
                       int64_t poll, sk_buf *err);
/* Stops the sender thread (waiting for a send in flight) if it runs. */
void sk_mailer_stop(void);

#endif
