/* writer: the group-commit thread (see writer.h). */
#include "writer.h"
#include "../core/sk_msg.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#define DEFAULT_BATCH 256
#define SAVEPOINT     "sk_op"

struct op {
	sk_writer_fn fn;
	void *ctx;
	sk_buf *err;
	sk_err result;
	bool done;
	struct op *next;
	/* sk_writer_submit: called after the commit, then the op (allocated by submit) is freed */
	sk_writer_done_fn on_done;
	unsigned flags; /* SK_WRITER_* */
	bool broke;     /* its own failure broke the batch: it keeps its own error */
};

struct sk_writer {
	pthread_mutex_t mu;
	pthread_cond_t work; /* the writer waits for operations */
	pthread_cond_t done; /* callers wait for their batch */
	struct op *head, *tail;
	bool stopping;
	size_t max_batch, batches, ops;
	sk_store *s;
	pthread_t thread;
};

/*
 * Runs one operation inside its savepoint; a failure undoes it alone. An
 * operation submitted without a savepoint that fails breaks the batch.
 * alone: the batch holds only this operation, whose failure then rolls the
 * transaction back, undoing it as its savepoint would; without one it is
 * spared the SAVEPOINT and RELEASE statements and, above all, SQLite's copy
 * of every page it changes into the savepoint's journal (about 14,000
 * instructions a filing).
 */
static sk_err run_op(sk_store *s, struct op *o, bool alone, bool *broken)
{
	if ((o->flags & SK_WRITER_NO_SAVEPOINT) || alone) {
		int depth = s->txn_depth;
		sk_err e = o->fn(s, o->ctx, o->err);
		if (!e && s->txn_depth != depth)
			e = sk_fail(o->err, SK_ERR_INTERNAL,
			            "operation left its transactions unbalanced");
		if (e)
			*broken = o->broke = true;
		return e;
	}
	sk_err e = sk_store_savepoint(s, SAVEPOINT, o->err);
	if (e) {
		*broken = true;
		return e;
	}
	int depth = s->txn_depth;
	e = o->fn(s, o->ctx, o->err);
	if (s->txn_depth != depth) {
		/* The operation left its transactions unbalanced (or ended the
		 * batch's): nothing of this batch can be trusted any more. */
		*broken = true;
		return e ? e
		         : sk_fail(o->err, SK_ERR_INTERNAL,
		                   "operation left its transactions unbalanced");
	}
	sk_err e2 = e ? sk_store_rollback_to(s, SAVEPOINT, NULL) : SK_OK;
	if (!e2)
		e2 = sk_store_release(s, SAVEPOINT, e ? NULL : o->err);
	if (e2)
		*broken = true;
	return e ? e : e2;
}

static void run_batch(sk_writer *w, struct op *batch)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	bool broken = false;
	sk_err e = sk_store_begin(w->s, &err);
	bool began = !e;
	bool alone = batch && !batch->next;
	for (struct op *o = batch; o; o = o->next)
		o->result = e ? e : broken ? SK_ERR_STORE : run_op(w->s, o, alone, &broken);
	if (!e && broken) {
		sk_store_rollback(w->s);
		while (sk_store_in_txn(w->s))
			sk_store_rollback(w->s);
		e = sk_fail(&err, SK_ERR_STORE,
		            "the batch was rolled back after a database failure");
	} else if (!e) {
		e = sk_store_commit(w->s, &err);
	}
	/* A failed begin or commit is every operation's failure: none is stored. */
	for (struct op *o = batch; o; o = o->next)
		if (e && (o->result == SK_OK || (broken && !o->broke) || !began)) {
			o->result = e;
			if (o->err)
				sk_fail(o->err, e, "%s", err.data);
		}
	sk_buf_free(&err);
}

static void *writer_main(void *arg)
{
	sk_writer *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->work, &w->mu);
		if (!w->head)
			break;
		/* Take up to max_batch operations; later arrivals wait for the next batch. */
		struct op *batch = w->head, *last = batch;
		size_t n = 1;
		while (last->next && n < w->max_batch) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&w->mu);

		run_batch(w, batch);
		/* Counted before anyone hears of the batch: whoever reads the counters after
		 * an answer sees it counted. */
		pthread_mutex_lock(&w->mu);
		w->batches++;
		w->ops += n;
		pthread_mutex_unlock(&w->mu);

		/* Submitted operations are answered here, without the lock; the caller owns
		 * nothing of the op, and a callback may submit again. */
		bool waiters = false;
		struct op **pp = &batch;
		while (*pp) {
			struct op *o = *pp;
			if (o->on_done) {
				*pp = o->next;
				o->on_done(o->ctx, o->result);
				free(o);
			} else {
				waiters = true;
				pp = &o->next;
			}
		}
		pthread_mutex_lock(&w->mu);
		for (struct op *o = batch; o; o = o->next)
			o->done = true;
		/* Only sk_writer_run callers wait; a batch of submissions wakes nobody. */
		if (waiters)
			pthread_cond_broadcast(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

sk_err sk_writer_start(const char *url, size_t max_batch, sk_writer **out, sk_buf *err)
{
	*out = NULL;
	sk_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	w->max_batch = max_batch ? max_batch : DEFAULT_BATCH;
	sk_err e = sk_store_open(url, 0, &w->s, err);
	if (e) {
		free(w);
		return e;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		sk_store_close(w->s);
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->work);
		pthread_cond_destroy(&w->done);
		free(w);
		return sk_fail(err, SK_ERR_NOMEM, "cannot start the writer thread");
	}
	*out = w;
	return SK_OK;
}

sk_err sk_writer_submit(sk_writer *w, sk_writer_fn fn, void *ctx, sk_buf *err,
                        sk_writer_done_fn on_done)
{
	return sk_writer_submit_flags(w, fn, ctx, err, on_done, 0);
}

sk_err sk_writer_submit_flags(sk_writer *w, sk_writer_fn fn, void *ctx, sk_buf *err,
                              sk_writer_done_fn on_done, unsigned flags)
{
	struct op *o = calloc(1, sizeof(*o));
	if (!o)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	*o = (struct op){.fn = fn, .ctx = ctx, .err = err, .on_done = on_done, .flags = flags};
	pthread_mutex_lock(&w->mu);
	if (w->stopping) {
		pthread_mutex_unlock(&w->mu);
		free(o);
		return sk_fail_msg(err, SK_ERR_TEMPFAIL, NULL, NULL, SK_M_STORE_WRITER_STOPPING);
	}
	if (w->tail)
		w->tail->next = o;
	else
		w->head = o;
	w->tail = o;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	return SK_OK;
}

sk_err sk_writer_run(sk_writer *w, sk_writer_fn fn, void *ctx, sk_buf *err)
{
	struct op o = {fn, ctx, err, SK_OK, false, NULL, NULL, 0, false};
	pthread_mutex_lock(&w->mu);
	if (w->stopping) {
		pthread_mutex_unlock(&w->mu);
		return sk_fail_msg(err, SK_ERR_TEMPFAIL, NULL, NULL, SK_M_STORE_WRITER_STOPPING);
	}
	if (w->tail)
		w->tail->next = &o;
	else
		w->head = &o;
	w->tail = &o;
	pthread_cond_signal(&w->work);
	while (!o.done)
		pthread_cond_wait(&w->done, &w->mu);
	pthread_mutex_unlock(&w->mu);
	return o.result;
}

void sk_writer_stop(sk_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	sk_store_close(w->s);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->done);
	free(w);
}

void sk_writer_stats(sk_writer *w, size_t *batches, size_t *ops)
{
	pthread_mutex_lock(&w->mu);
	*batches = w->batches;
	*ops = w->ops;
	pthread_mutex_unlock(&w->mu);
}
