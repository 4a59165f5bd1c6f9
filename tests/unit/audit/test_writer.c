/*
 * Unit tests of src/store/writer (group commit) as the audit log uses it:
 * concurrent appenders through one writer produce a contiguous, intact log,
 * and an operation that fails is rolled back alone, with its batchmates
 * committed; operations submitted without a savepoint fail with their whole
 * batch. And the audit head kept in memory across the appends of one
 * transaction (audit.h): entries chain across a batch, and rollbacks (to a
 * savepoint, of an inner or the whole transaction) make the next append read
 * the head again. An operation alone in its batch (no savepoint) that fails
 * is undone by the transaction's rollback. On every backend.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/read.h"
#include "audit/verify.h"
#include "store/writer.h"

enum { THREADS = 6, PER_THREAD = 40 };

struct job {
	int thread, i;
	bool fail; /* make the audit entry invalid after a state change */
};

/* A state change and its entry, as every domain operation does it. */
static sk_err change(sk_store *s, void *ctx, sk_buf *err)
{
	struct job *j = ctx;
	char key[64], obj[80];
	snprintf(key, sizeof(key), "test.t%d.i%d", j->thread, j->i);
	snprintf(obj, sizeof(obj), "meta:%s", key);
	sk_err e = sk_store_meta_set(s, key, "1", err);
	if (e)
		return e;
	sk_audit_event ev = {j->fail ? "" : "alice", "cli", "meta.set", obj, NULL, NULL};
	return sk_audit_append(s, &ev, NULL, err);
}

struct worker {
	sk_writer *w;
	int thread;
	int failed_ok; /* failures seen where expected */
};

static void *work(void *arg)
{
	struct worker *k = arg;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	for (int i = 0; i < PER_THREAD; i++) {
		struct job j = {k->thread, i, i % 10 == 3};
		sk_err e = sk_writer_run(k->w, change, &j, &err);
		if (j.fail) {
			if (e == SK_ERR_INVALID)
				k->failed_ok++;
		} else if (e) {
			fail_msg("thread %d op %d: %s", k->thread, i, err.data);
		}
	}
	sk_buf_free(&err);
	return NULL;
}

static void each(const char *backend)
{
	char url[512];
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), v = SK_BUF_INIT(64);
	sk_test_fresh_url(backend, url, sizeof(url));
	sk_store *s = NULL;
	assert_int_equal(sk_store_open(url, SK_STORE_CREATE, &s, &err), SK_OK);

	sk_writer *w = NULL;
	assert_int_equal(sk_writer_start(url, 16, &w, &err), SK_OK);
	pthread_t th[THREADS];
	struct worker k[THREADS];
	for (int t = 0; t < THREADS; t++) {
		k[t] = (struct worker){w, t, 0};
		assert_int_equal(pthread_create(&th[t], NULL, work, &k[t]), 0);
	}
	for (int t = 0; t < THREADS; t++) {
		pthread_join(th[t], NULL);
		assert_int_equal(k[t].failed_ok, PER_THREAD / 10);
	}
	size_t batches, ops;
	sk_writer_stats(w, &batches, &ops);
	assert_int_equal(ops, THREADS * PER_THREAD);
	assert_true(batches >= 1 && batches <= ops);
	sk_writer_stop(w);

	/* Every good change is stored with its entry; no failed one left a trace. */
	int64_t n = 0;
	const int good = THREADS * (PER_THREAD - PER_THREAD / 10);
	assert_int_equal(sk_store_query_int(s, "SELECT COUNT(*) FROM audit_log", NULL, 0, &n, &err),
	                 SK_OK);
	assert_int_equal(n, good);
	assert_int_equal(sk_store_query_int(s, "SELECT COUNT(*) FROM meta WHERE key LIKE 'test.%'",
	                                    NULL, 0, &n, &err),
	                 SK_OK);
	assert_int_equal(n, good);
	assert_int_equal(sk_store_meta_get(s, "test.t0.i3", &v, &err), SK_ERR_NOT_FOUND);

	assert_int_equal(sk_test_log_intact(s), good);

	sk_store_close(s);
	sk_buf_free(&v);
	sk_buf_free(&err);
}

static void test_group_commit(void **state)
{
	(void)state;
	sk_test_each_backend(each);
}

/* --- sk_writer_submit: the same work handed over without a waiting thread --- */

enum { SUBMITS = 200 };

struct submitted {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int pending, ok, failed;
	struct job jobs[SUBMITS];
	sk_buf errs[SUBMITS];
};

static struct submitted *sub_of_job; /* the done callback's way back (one run at a time) */

static void on_done(void *ctx, sk_err result)
{
	struct job *j = ctx;
	struct submitted *b = sub_of_job;
	pthread_mutex_lock(&b->mu);
	if (result == SK_OK && !j->fail)
		b->ok++;
	else if (result == SK_ERR_INVALID && j->fail)
		b->failed++;
	b->pending--;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

static void submit_each(const char *backend)
{
	char url[512];
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_test_fresh_url(backend, url, sizeof(url));
	sk_store *s = NULL;
	assert_int_equal(sk_store_open(url, SK_STORE_CREATE, &s, &err), SK_OK);
	sk_writer *w = NULL;
	assert_int_equal(sk_writer_start(url, 0, &w, &err), SK_OK);
	struct submitted *b = calloc(1, sizeof(*b));
	assert_non_null(b);
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	sub_of_job = b;
	b->pending = SUBMITS;
	for (int i = 0; i < SUBMITS; i++) {
		b->jobs[i] = (struct job){99, i, i % 10 == 3};
		sk_buf_init(&b->errs[i], SK_BUF_MSG_MAX);
		assert_int_equal(sk_writer_submit(w, change, &b->jobs[i], &b->errs[i], on_done),
		                 SK_OK);
	}
	pthread_mutex_lock(&b->mu);
	while (b->pending > 0)
		pthread_cond_wait(&b->cv, &b->mu);
	pthread_mutex_unlock(&b->mu);
	assert_int_equal(b->ok, SUBMITS - SUBMITS / 10);
	assert_int_equal(b->failed, SUBMITS / 10);
	size_t batches, ops;
	sk_writer_stats(w, &batches, &ops);
	assert_int_equal(ops, SUBMITS);
	/* Nothing waited per operation, so operations queued together shared batches. */
	assert_true(batches >= 1 && batches < ops);
	sk_writer_stop(w);

	int64_t n = 0;
	assert_int_equal(sk_store_query_int(s, "SELECT COUNT(*) FROM audit_log", NULL, 0, &n, &err),
	                 SK_OK);
	assert_int_equal(n, SUBMITS - SUBMITS / 10);
	sk_test_log_intact(s);

	for (int i = 0; i < SUBMITS; i++)
		sk_buf_free(&b->errs[i]);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
	free(b);
	sk_store_close(s);
	sk_buf_free(&err);
}

static void test_submit(void **state)
{
	(void)state;
	sk_test_each_backend(submit_each);
}

/* --- the head kept in memory within a transaction --- */

static void append_ok(sk_store *s, const char *obj, const char *after_text)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_audit_event ev = {"alice", "cli", "test.append", obj, NULL, NULL};
	sk_err e = after_text ? sk_audit_append_text(s, &ev, NULL, after_text, NULL, &err)
	                      : sk_audit_append(s, &ev, NULL, &err);
	if (e)
		fail_msg("append %s: %s", obj, err.data);
	sk_buf_free(&err);
}

static int64_t count_of(sk_store *s, const char *sql)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t n = -1;
	if (sk_store_query_int(s, sql, NULL, 0, &n, &err))
		fail_msg("%s: %s", sql, err.data);
	sk_buf_free(&err);
	return n;
}

/* The log verifies, holds n entries numbered 1..n, and the head says n. */
static void assert_log(sk_store *s, int64_t n)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM audit_log"), n);
	assert_int_equal(count_of(s, "SELECT COALESCE(MAX(seq), 0) FROM audit_log"), n);
	int64_t size = -1;
	assert_int_equal(sk_audit_size(s, &size, &err), SK_OK);
	assert_int_equal(size, n);
	sk_test_log_intact(s);
	sk_buf_free(&err);
}

static void memo_each(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t base = count_of(s, "SELECT COUNT(*) FROM audit_log");
	assert_int_equal(base, 0);

	/* Several appends in one transaction chain; the head row is current within it. */
	assert_int_equal(sk_store_begin(s, &err), SK_OK);
	append_ok(s, "t:1", NULL);
	append_ok(s, "t:2", "{\"a\":1}");
	int64_t size = 0;
	assert_int_equal(sk_audit_size(s, &size, &err), SK_OK);
	assert_int_equal(size, 2);
	/* A savepoint rolled back undoes its appends; the next append reads the head again. */
	assert_int_equal(sk_store_savepoint(s, "sp", &err), SK_OK);
	append_ok(s, "t:gone", NULL);
	append_ok(s, "t:gone", NULL);
	assert_int_equal(sk_store_rollback_to(s, "sp", &err), SK_OK);
	assert_int_equal(sk_store_release(s, "sp", &err), SK_OK);
	append_ok(s, "t:3", NULL);
	/* A savepoint released keeps them, and the memory stays good. */
	assert_int_equal(sk_store_savepoint(s, "sp", &err), SK_OK);
	append_ok(s, "t:4", NULL);
	assert_int_equal(sk_store_release(s, "sp", &err), SK_OK);
	append_ok(s, "t:5", "{\"b\":[true,null]}");
	assert_int_equal(sk_store_commit(s, &err), SK_OK);
	assert_log(s, 5);
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM audit_log WHERE object = 't:gone'"), 0);
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM audit_log WHERE seq = 5 AND "
	                             "after_json = '{\"b\":[true,null]}'"),
	                 1);

	/* A whole transaction rolled back: the next one starts from the stored head. */
	assert_int_equal(sk_store_begin(s, &err), SK_OK);
	append_ok(s, "t:gone", NULL);
	append_ok(s, "t:gone", NULL);
	sk_store_rollback(s);
	append_ok(s, "t:6", NULL); /* a transaction of its own */
	assert_log(s, 6);

	/* An inner rollback dooms the outer commit: nothing of it stays. */
	assert_int_equal(sk_store_begin(s, &err), SK_OK);
	append_ok(s, "t:gone", NULL);
	assert_int_equal(sk_store_begin(s, &err), SK_OK);
	append_ok(s, "t:gone", NULL);
	sk_store_rollback(s);
	assert_int_equal(sk_store_commit(s, &err), SK_ERR_STORE);
	append_ok(s, "t:7", NULL);
	assert_log(s, 7);

	/* A failed write inside a transaction, then a rollback to a savepoint and more appends. */
	assert_int_equal(sk_store_begin(s, &err), SK_OK);
	append_ok(s, "t:8", NULL);
	assert_int_equal(sk_store_savepoint(s, "sp", &err), SK_OK);
	sk_store_fault(s, SK_FAULT_WRITE, 2); /* this append's head update */
	sk_audit_event ev = {"alice", "cli", "test.append", "t:gone", NULL, NULL};
	assert_int_equal(sk_audit_append(s, &ev, NULL, &err), SK_ERR_STORE);
	sk_store_fault(s, SK_FAULT_WRITE, 0);
	assert_int_equal(sk_store_rollback_to(s, "sp", &err), SK_OK);
	assert_int_equal(sk_store_release(s, "sp", &err), SK_OK);
	append_ok(s, "t:9", NULL);
	assert_int_equal(sk_store_commit(s, &err), SK_OK);
	assert_log(s, 9);

	/* Text images are checked: not UTF-8, or given twice, is refused before any write. */
	json_t *j = json_object();
	sk_audit_event both = {"alice", "cli", "test.append", "t:x", NULL, j};
	assert_int_equal(sk_audit_append_text(s, &both, NULL, "{}", NULL, &err), SK_ERR_INTERNAL);
	json_decref(j);
	assert_int_equal(sk_audit_append_text(s, &ev, NULL, "{\"a\":\"\xff\"}", NULL, &err),
	                 SK_ERR_INVALID);
	sk_audit_event bad = {"al\xc3", "cli", "test.append", "t:x", NULL, NULL};
	assert_int_equal(sk_audit_append(s, &bad, NULL, &err), SK_ERR_INVALID);
	assert_log(s, 9);

	sk_buf_free(&err);
	sk_store_close(s);
}

static void test_head_memo(void **state)
{
	(void)state;
	sk_test_each_backend(memo_each);
}

/*
 * --- batches of appends: with savepoints, an operation that fails after it
 * appended is undone alone; without (SK_WRITER_NO_SAVEPOINT), its batch fails
 * whole. Either way the log stays contiguous and intact. ---
 */

enum { BATCH_OPS = 300 };

struct bjob {
	int i;
	bool fail_after; /* append, then fail */
	sk_err result;
	bool answered;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int pending;
} bsync = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};

static sk_err append_then(sk_store *s, void *ctx, sk_buf *err)
{
	struct bjob *j = ctx;
	char key[64], obj[80];
	snprintf(key, sizeof(key), "batch.%d", j->i);
	snprintf(obj, sizeof(obj), "meta:%s", key);
	sk_err e = sk_store_meta_set(s, key, "1", err);
	sk_audit_event ev = {"alice", "cli", "meta.set", obj, NULL, NULL};
	if (!e)
		e = sk_audit_append_text(s, &ev, NULL, "{\"v\":\"1\"}", NULL, err);
	if (!e)
		e = sk_audit_append(s, &ev, NULL,
		                    err); /* a second entry: from the head in memory */
	if (!e && j->fail_after)
		e = sk_fail(err, SK_ERR_CONFLICT, "failing after the appends, as asked");
	return e;
}

static void bdone(void *ctx, sk_err result)
{
	struct bjob *j = ctx;
	pthread_mutex_lock(&bsync.mu);
	j->result = result;
	j->answered = true;
	bsync.pending--;
	pthread_cond_signal(&bsync.cv);
	pthread_mutex_unlock(&bsync.mu);
}

static void batch_each(const char *backend, unsigned flags)
{
	char url[512];
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_test_fresh_url(backend, url, sizeof(url));
	sk_store *s = NULL;
	assert_int_equal(sk_store_open(url, SK_STORE_CREATE, &s, &err), SK_OK);
	sk_writer *w = NULL;
	assert_int_equal(sk_writer_start(url, 16, &w, &err), SK_OK);
	struct bjob *jobs = calloc(BATCH_OPS, sizeof(*jobs));
	sk_buf *errs = calloc(BATCH_OPS, sizeof(*errs));
	assert_non_null(jobs);
	assert_non_null(errs);
	bsync.pending = BATCH_OPS;
	for (int i = 0; i < BATCH_OPS; i++) {
		jobs[i] = (struct bjob){.i = i, .fail_after = i % 37 == 5};
		sk_buf_init(&errs[i], SK_BUF_MSG_MAX);
		assert_int_equal(
		    sk_writer_submit_flags(w, append_then, &jobs[i], &errs[i], bdone, flags),
		    SK_OK);
	}
	pthread_mutex_lock(&bsync.mu);
	while (bsync.pending > 0)
		pthread_cond_wait(&bsync.cv, &bsync.mu);
	pthread_mutex_unlock(&bsync.mu);
	/* Every operation was counted before it was answered. */
	size_t batches = 0, ops = 0;
	sk_writer_stats(w, &batches, &ops);
	assert_int_equal(ops, BATCH_OPS);
	assert_true(batches < ops); /* operations did share transactions */
	sk_writer_stop(w);

	/* Each operation answered OK has its change and its two entries; no other has any. */
	int ok = 0, failed_whole = 0;
	for (int i = 0; i < BATCH_OPS; i++) {
		char sql[128];
		snprintf(sql, sizeof(sql),
		         "SELECT COUNT(*) FROM audit_log WHERE object = 'meta:batch.%d'", i);
		int64_t n = count_of(s, sql);
		assert_true(jobs[i].answered);
		if (jobs[i].fail_after) {
			assert_int_equal(jobs[i].result, SK_ERR_CONFLICT);
			assert_int_equal(n, 0);
		} else if (jobs[i].result == SK_OK) {
			assert_int_equal(n, 2);
			ok++;
		} else {
			/* Only without savepoints does a batchmate's failure take others down. */
			assert_true(flags & SK_WRITER_NO_SAVEPOINT);
			assert_int_equal(n, 0);
			failed_whole++;
		}
	}
	if (!(flags & SK_WRITER_NO_SAVEPOINT))
		assert_int_equal(ok, BATCH_OPS - (BATCH_OPS + 31) / 37);
	else
		assert_true(ok > 0 && failed_whole > 0);
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM meta WHERE key LIKE 'batch.%'"), ok);
	assert_log(s, 2 * ok);

	for (int i = 0; i < BATCH_OPS; i++)
		sk_buf_free(&errs[i]);
	free(errs);
	free(jobs);
	sk_store_close(s);
	sk_buf_free(&err);
}

/*
 * An operation alone in its batch runs without a savepoint (writer.c): if it
 * fails after its appends, the transaction's rollback must undo them as the
 * savepoint would, answer its own error, and leave the next operation a log
 * that chains on (its head read again, not taken from memory).
 */
static void alone_each(const char *backend)
{
	char url[512];
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_test_fresh_url(backend, url, sizeof(url));
	sk_store *s = NULL;
	assert_int_equal(sk_store_open(url, SK_STORE_CREATE, &s, &err), SK_OK);
	sk_writer *w = NULL;
	assert_int_equal(sk_writer_start(url, 16, &w, &err), SK_OK);
	struct bjob ok1 = {.i = 1}, bad = {.i = 2, .fail_after = true}, ok3 = {.i = 3};
	assert_int_equal(sk_writer_run(w, append_then, &ok1, &err), SK_OK);
	assert_int_equal(sk_writer_run(w, append_then, &bad, &err), SK_ERR_CONFLICT);
	assert_non_null(strstr(err.data, "failing after the appends"));
	assert_int_equal(sk_writer_run(w, append_then, &ok3, &err), SK_OK);
	size_t batches = 0, ops = 0;
	sk_writer_stats(w, &batches, &ops);
	assert_int_equal(batches, 3); /* each alone in its batch */
	sk_writer_stop(w);
	assert_int_equal(
	    count_of(s, "SELECT COUNT(*) FROM audit_log WHERE object = 'meta:batch.2'"), 0);
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM meta WHERE key = 'batch.2'"), 0);
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM meta WHERE key LIKE 'batch.%'"), 2);
	assert_log(s, 4);
	sk_store_close(s);
	sk_buf_free(&err);
}

static void test_alone(void **state)
{
	(void)state;
	sk_test_each_backend(alone_each);
}

/*
 * Appenders on connections of their own, each append its own transaction,
 * all at once: the head is read without being advanced first on SQLite
 * (audit.c), which is safe only because the transaction holds the write
 * lock from its BEGIN; entries must come out contiguous and chained.
 */
enum { RACERS = 4, RACER_APPENDS = 25 };

struct racer {
	const char *url;
	int thread;
	int failed;
};

static void *race_appends(void *arg)
{
	struct racer *r = arg;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_store *s = NULL;
	if (sk_store_open(r->url, 0, &s, &err) != SK_OK) {
		r->failed = RACER_APPENDS;
		sk_buf_free(&err);
		return NULL;
	}
	for (int i = 0; i < RACER_APPENDS; i++) {
		char obj[64];
		snprintf(obj, sizeof(obj), "race:%d.%d", r->thread, i);
		sk_audit_event ev = {"alice", "cli", "test.race", obj, NULL, NULL};
		if (sk_audit_append(s, &ev, NULL, &err) != SK_OK)
			r->failed++;
	}
	sk_store_close(s);
	sk_buf_free(&err);
	return NULL;
}

static void racing_each(const char *backend)
{
	char url[512];
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_test_fresh_url(backend, url, sizeof(url));
	sk_store *s = NULL;
	assert_int_equal(sk_store_open(url, SK_STORE_CREATE, &s, &err), SK_OK);
	pthread_t t[RACERS];
	struct racer r[RACERS];
	for (int i = 0; i < RACERS; i++) {
		r[i] = (struct racer){.url = url, .thread = i};
		assert_int_equal(pthread_create(&t[i], NULL, race_appends, &r[i]), 0);
	}
	for (int i = 0; i < RACERS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(r[i].failed, 0);
	}
	assert_log(s, RACERS * RACER_APPENDS);
	sk_store_close(s);
	sk_buf_free(&err);
}

static void test_racing_connections(void **state)
{
	(void)state;
	sk_test_each_backend(racing_each);
}

static void test_batches(void **state)
{
	(void)state;
	const char *names[SK_TEST_MAX_BACKENDS];
	size_t n = sk_test_backends(names);
	for (size_t i = 0; i < n; i++) {
		batch_each(names[i], 0);
		batch_each(names[i], SK_WRITER_NO_SAVEPOINT);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_group_commit), cmocka_unit_test(test_submit),
	    cmocka_unit_test(test_head_memo),    cmocka_unit_test(test_batches),
	    cmocka_unit_test(test_alone),        cmocka_unit_test(test_racing_connections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
