/*
 * maint: the housekeeping thread of `sekisho serve`. See maint.h.
 */
#include "maint.h"

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "../core/sk_log.h"
#include "../core/sk_msg.h"
#include "ctx.h"
#include "notify.h"
#include "request.h"

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t th;
	bool running, stop;
	sk_store *store;
	int remind_days;
	int64_t poll;
} maint = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

sk_err sk_maint_round(sk_ctx *c, int remind_days, int64_t *expired, int64_t *reminded, sk_buf *err)
{
	*expired = *reminded = 0;
	sk_err e = sk_request_expire_due(c, expired, err);
	if (!e && remind_days > 0)
		e = sk_notify_remind_overdue(c, remind_days, reminded, err);
	return e;
}

/* The server's own actor: it holds every right, as the operator who started it does. */
static const sk_actor system_actor = {.login = "system", .address = "server", .superuser = true};

static void *maint_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&maint.mu);
	while (!maint.stop) {
		pthread_mutex_unlock(&maint.mu);
		sk_ctx c;
		sk_ctx_init(&c, maint.store, NULL, &system_actor);
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		int64_t expired = 0, reminded = 0;
		if (sk_maint_round(&c, maint.remind_days, &expired, &reminded, &err) != SK_OK)
			sk_log(SK_LOG_ERROR, "housekeeping round failed: %s", err.data);
		else if (expired || reminded)
			sk_log(SK_LOG_INFO,
			       "housekeeping: %lld exception(s) expired, %lld overdue "
			       "request(s) reminded",
			       (long long)expired, (long long)reminded);
		sk_buf_free(&err);
		sk_ctx_fini(&c);
		pthread_mutex_lock(&maint.mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)maint.poll;
		while (!maint.stop && pthread_cond_timedwait(&maint.cv, &maint.mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&maint.mu);
	return NULL;
}

sk_err sk_maint_start(const char *db_url, int remind_days, int64_t poll, sk_buf *err)
{
	if (maint.running)
		return sk_fail_msg(err, SK_ERR_INTERNAL, NULL, NULL, SK_M_FAULT_INTERNAL,
		                   "the housekeeping thread runs already");
	sk_err e = sk_store_open(db_url, 0, &maint.store, err);
	if (e)
		return e;
	maint.remind_days = remind_days;
	maint.poll = poll > 0 ? poll : 60;
	maint.stop = false;
	if (pthread_create(&maint.th, NULL, maint_main, NULL) != 0) {
		sk_store_close(maint.store);
		maint.store = NULL;
		return sk_fail_msg(err, SK_ERR_INTERNAL, NULL, NULL, SK_M_FAULT_INTERNAL,
		                   "the housekeeping thread could not start");
	}
	maint.running = true;
	return SK_OK;
}

void sk_maint_stop(void)
{
	if (!maint.running)
		return;
	pthread_mutex_lock(&maint.mu);
	maint.stop = true;
	pthread_cond_signal(&maint.cv);
	pthread_mutex_unlock(&maint.mu);
	pthread_join(maint.th, NULL);
	sk_store_close(maint.store);
	maint.store = NULL;
	maint.running = false;
}
