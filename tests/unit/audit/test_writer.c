/*
 * Unit tests of src/store/writer (group commit) as the audit log uses it:
 * concurrent appenders through one writer produce a contiguous, intact log,
 * and an operation that fails is rolled back alone, with its batchmates
 * committed. On every backend.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
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

	sk_audit_verify_opts o = {0};
	sk_audit_verify_result r;
	sk_audit_verify_result_init(&r);
	assert_int_equal(sk_audit_verify_store(s, &o, &r, &err), SK_OK);
	if (!r.intact)
		fail_msg("%s", r.why.data);
	assert_int_equal(r.size, good);
	sk_audit_verify_result_free(&r);

	sk_store_close(s);
	sk_buf_free(&v);
	sk_buf_free(&err);
}

static void test_group_commit(void **state)
{
	(void)state;
	const char *names[SK_TEST_MAX_BACKENDS];
	size_t n = sk_test_backends(names);
	for (size_t i = 0; i < n; i++)
		each(names[i]);
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
	sk_audit_verify_opts o = {0};
	sk_audit_verify_result r;
	sk_audit_verify_result_init(&r);
	assert_int_equal(sk_audit_verify_store(s, &o, &r, &err), SK_OK);
	if (!r.intact)
		fail_msg("%s", r.why.data);
	sk_audit_verify_result_free(&r);

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
	const char *names[SK_TEST_MAX_BACKENDS];
	size_t n = sk_test_backends(names);
	for (size_t i = 0; i < n; i++)
		submit_each(names[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_group_commit),
	    cmocka_unit_test(test_submit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
