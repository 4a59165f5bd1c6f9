/* mailer: the sender of the notification outbox (src/domain/notify.h) over SMTP. */
#include "mailer.h"

#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/sk_clock.h"
#include "../core/sk_log.h"
#include "../core/sk_msg.h"
#include "../domain/notify.h"

/* --- sending --- */

/* A claim lasts longer than any one send can take (the transfer's timeout is 60 s). */
#define CLAIM_LEASE 600
#define BATCH       16

static void new_token(char out[33])
{
	unsigned char r[16];
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(out, 33, r, sizeof(r));
}

/* The Message-ID: the same for every attempt of a row, so a receiver can drop a duplicate. */
static void message_id(const sk_notify_mail *m, const char *from, char *out, size_t n)
{
	const char *at = strrchr(from, '@');
	snprintf(out, n, "sekisho.%" PRId64 ".%" PRId64 "%s", m->id, m->created_at,
	         at ? at : "@localhost");
}

sk_err sk_mailer_flush(sk_store *s, const sk_smtp_config *smtp, int64_t retry_base,
                       bool ignore_schedule, sk_mailer_stats *st, sk_buf *err)
{
	st->sent = st->failed = 0;
	char token[33];
	new_token(token);
	char pub[300];
	sk_smtp_url_public(smtp->url, pub, sizeof(pub));
	/*
	 * Each row is tried at most once per flush: rows are claimed in id order
	 * after the last one tried (with ignore_schedule a failed row would be
	 * due again at once).
	 */
	int64_t after = 0;
	for (;;) {
		sk_notify_mail *m = NULL;
		size_t n = 0;
		sk_err e = sk_notify_outbox_claim(s, token, sk_clock_now(), CLAIM_LEASE,
		                                  ignore_schedule, after, BATCH, &m, &n, err);
		if (e)
			return e;
		if (!n)
			return SK_OK;
		for (size_t i = 0; i < n; i++) {
			sk_buf msg = SK_BUF_INIT(1u << 20), why = SK_BUF_INIT(SK_BUF_MSG_MAX);
			char mid[128];
			message_id(&m[i], smtp->from, mid, sizeof(mid));
			after = m[i].id;
			e = sk_smtp_message(smtp->from, m[i].to, m[i].subject, m[i].body,
			                    sk_clock_now(), mid, &msg, &why);
			if (!e)
				e = sk_smtp_send(smtp, m[i].to, msg.data, msg.len, &why);
			sk_err e2;
			if (!e) {
				st->sent++;
				e2 = sk_notify_outbox_sent(s, m[i].id, token, sk_clock_now(), err);
				sk_log(SK_LOG_INFO, "notify: mail %" PRId64 " sent through %s",
				       m[i].id, pub);
			} else {
				st->failed++;
				sk_log(SK_LOG_WARN,
				       "notify: mail %" PRId64 " not sent (attempt %" PRId64
				       "): %s",
				       m[i].id, m[i].attempts + 1, why.data ? why.data : "");
				e2 = sk_notify_outbox_failed(s, m[i].id, token, sk_clock_now(),
				                             retry_base, why.data, err);
			}
			sk_buf_free(&msg);
			sk_buf_free(&why);
			if (e2) {
				/*
				 * The rest of the batch stays claimed until the lease ends,
				 * then is sent again: never lost.
				 */
				sk_notify_mail_free(m, n);
				return e2;
			}
		}
		sk_notify_mail_free(m, n);
	}
}

/* --- the sender thread --- */

static struct {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool running, stop;
	sk_store *store;
	char *url, *from;
	sk_smtp_config smtp;
	int64_t retry_base, poll;
} sender = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void *sender_main(void *arg)
{
	(void)arg;
	/* The server's signals are for its loops; a send in flight is never interrupted. */
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	pthread_mutex_lock(&sender.mu);
	while (!sender.stop) {
		pthread_mutex_unlock(&sender.mu);
		sk_mailer_stats st;
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		sk_err e = sk_mailer_flush(sender.store, &sender.smtp, sender.retry_base, false,
		                           &st, &err);
		if (e)
			sk_log(SK_LOG_WARN, "notify: the outbox could not be read: %s",
			       sk_msg_of(&err, e, SK_LANG_EN));
		sk_buf_free(&err);
		pthread_mutex_lock(&sender.mu);
		if (sender.stop)
			break;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += sender.poll;
		pthread_cond_timedwait(&sender.cv, &sender.mu, &until);
	}
	pthread_mutex_unlock(&sender.mu);
	return NULL;
}

sk_err sk_mailer_start(const char *db_url, const sk_smtp_config *smtp, int64_t retry_base,
                       int64_t poll, sk_buf *err)
{
	if (sender.running)
		return sk_fail(err, SK_ERR_INTERNAL, "the mail sender runs already");
	sk_err e = sk_smtp_config_check(smtp, err);
	if (e)
		return e;
	if ((e = sk_store_open(db_url, 0, &sender.store, err)))
		return e;
	sender.url = strdup(smtp->url);
	sender.from = strdup(smtp->from);
	if (!sender.url || !sender.from) {
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory starting the mail sender");
		goto fail;
	}
	sender.smtp =
	    (sk_smtp_config){.url = sender.url, .from = sender.from, .timeout_s = smtp->timeout_s};
	sender.retry_base = retry_base > 0 ? retry_base : 60;
	sender.poll = poll > 0 ? poll : 5;
	sender.stop = false;
	if (pthread_create(&sender.th, NULL, sender_main, NULL) != 0) {
		e = sk_fail(err, SK_ERR_INTERNAL, "the mail sender thread could not start");
		goto fail;
	}
	sender.running = true;
	return SK_OK;
fail:
	sk_store_close(sender.store);
	sender.store = NULL;
	free(sender.url);
	free(sender.from);
	sender.url = sender.from = NULL;
	return e;
}

void sk_mailer_stop(void)
{
	if (!sender.running)
		return;
	pthread_mutex_lock(&sender.mu);
	sender.stop = true;
	pthread_cond_signal(&sender.cv);
	pthread_mutex_unlock(&sender.mu);
	pthread_join(sender.th, NULL);
	sk_store_close(sender.store);
	free(sender.url);
	free(sender.from);
	sender.store = NULL;
	sender.url = sender.from = NULL;
	sender.running = false;
}
