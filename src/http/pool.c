/*
 * pool: work that must not run on an event loop, done by worker threads
 * and answered by the request's loop when it is finished. Two kinds:
 *
 *  - decisions (POST /api/v1/decisions): every decision is audited, a
 *    durable write. The loop reads the asset on its own connection, decides
 *    and renders the answer and the audit image (sk_decision_make), then
 *    submits only the append (sk_decision_record) to the group-commit
 *    writer (src/store/writer.h), which puts every append queued when it
 *    wakes in one transaction and one fsync, without a savepoint each, and
 *    answers through the loop's receiver once that committed. No thread
 *    waits per decision, so a batch grows with the load, the loop never
 *    waits for a disk, and the writer's one thread does as little as it
 *    can per decision;
 *  - logins (POST /api/v1/login): argon2id costs 50-100 ms of CPU; a few
 *    login workers, each with its own store connection, run sk_auth_login so
 *    that the loop keeps serving its other connections meanwhile;
 *  - audit verification (GET /api/v1/audit/verify) re-hashes the whole log,
 *    seconds for a large one: one verify worker with its own connection runs
 *    them one at a time, so neither a loop nor the login workers wait;
 *  - the web pages' long work (register import and export, ledger export,
 *    audit verification and an entry's proof): a few page workers, each with
 *    its own connection, behind a bounded queue; when it is full the page
 *    answers 503 at once (sk_http_pool_work). The web's login goes to the
 *    login workers as the API's does, answered by the web's page.
 *
 * Ownership: a job is allocated and freed by the loop thread of its
 * request; between enqueue and the loop's receipt of the message it belongs
 * to the pool. The request stays valid meanwhile because HTTP/1.1
 * connections read nothing more until the answer is sent (h2c upgrade is
 * off, see server.c), and a loop answers every job it handed out before it
 * stops. A login job holds a copy of the password, wiped when it is freed.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../audit/verify.h"
#include "../auth/auth.h"
#include "../auth/throttle.h"
#include "../core/sk_clock.h"
#include "../core/sk_log.h"
#include "../domain/asset.h"
#include "../domain/decision.h"
#include "../store/writer.h"
#include "http_int.h"
#include "../core/sk_msg.h"

enum job_kind { JOB_DECISION, JOB_LOGIN, JOB_VERIFY, JOB_WRITE, JOB_WORK };

struct sk_http_job {
	h2o_multithread_message_t msg; /* the loop's receiver gets &msg back */
	struct sk_http_job *next;
	enum job_kind kind;
	sk_http_thread *t;
	h2o_req_t *req;
	int64_t start_us;
	char login[SK_HTTP_LOGIN_MAX];
	char address[64];
	sk_lang lang; /* the reader's, for the answer */
	/* the profile the request started under, kept for the job (policy_hold.c) */
	sk_http_polref *polref;
	/* a decision made on the loop, recorded by the writer for actor */
	sk_actor actor;
	sk_decision_made made;
	/* a write prepared on the loop, run by the writer: pfn(ctx, prep, &out), answered with
	 * status; prep freed by prep_free */
	sk_http_prepared_fn pfn;
	void *prep;
	void (*prep_free)(void *);
	json_t *out;
	sk_buf text; /* or the answer as JSON text */
	int status;
	sk_http_write_answer answer;
	/* a login answered by login_done (the web's), or the API's when NULL */
	sk_http_login_done login_done;
	/* page work: run on a page worker, answered on the loop; both with arg */
	sk_http_work_run work_run;
	sk_http_work_answer work_answer;
	void *arg;
	/* login input (password_len bytes at password, owned and wiped) */
	char *password;
	size_t password_len;
	char totp[32];
	bool has_totp;
	/* results */
	sk_err e;
	sk_buf err;
	sk_auth_session session;
	sk_audit_verify_result verify;
};

typedef struct queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	sk_http_job *head, *tail;
	size_t len;
} queue;

#define LOGIN_WORKERS 4
#define WORK_WORKERS  2
/* Seconds a client is told to wait when the login queue is full. */
#define LOGIN_RETRY_AFTER SK_HTTP_BUSY_RETRY_AFTER

static struct {
	queue login;
	atomic_bool quit; /* read by workers under their queue's lock, so atomic */
	int nlogin;
	pthread_t login_workers[LOGIN_WORKERS];
	sk_store *login_stores[LOGIN_WORKERS];
	sk_writer *writer;
	queue verify;
	bool verifier_running;
	pthread_t verifier;
	sk_store *verify_store;
	queue work;
	int nwork;
	pthread_t work_workers[WORK_WORKERS];
	sk_store *work_stores[WORK_WORKERS];
} pool = {
    .login = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0},
    .verify = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0},
    .work = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0},
};

/* Queues j unless max (0: no limit) jobs wait already; false then. */
static bool push_bounded(queue *q, sk_http_job *j, size_t max)
{
	pthread_mutex_lock(&q->mu);
	bool room = max == 0 || q->len < max;
	if (room) {
		if (q->tail)
			q->tail->next = j;
		else
			q->head = j;
		q->tail = j;
		q->len++;
		pthread_cond_signal(&q->cv);
	}
	pthread_mutex_unlock(&q->mu);
	return room;
}

static void push(queue *q, sk_http_job *j) { (void)push_bounded(q, j, 0); }

/* The next job, or NULL once the pool quits with the queue empty. */
static sk_http_job *pop(queue *q)
{
	pthread_mutex_lock(&q->mu);
	while (!q->head && !atomic_load(&pool.quit))
		pthread_cond_wait(&q->cv, &q->mu);
	sk_http_job *j = q->head;
	if (j) {
		q->head = j->next;
		if (!q->head)
			q->tail = NULL;
		q->len--;
	}
	pthread_mutex_unlock(&q->mu);
	return j;
}

/* Runs on the writer's thread, inside the batch's transaction (without a savepoint). */
static sk_err run_decision(sk_store *s, void *ctx, sk_buf *err)
{
	sk_http_job *j = ctx;
	/* The decision was made and checked on the loop: recording loads neither profile nor scope.
	 */
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, &j->actor);
	sk_err e = sk_decision_record(&c, &j->made, err);
	sk_ctx_fini(&c);
	return e;
}

/* Runs on the writer's thread once the decision's batch has committed (or failed). */
static void decision_done(void *ctx, sk_err result)
{
	sk_http_job *j = ctx;
	j->e = result;
	h2o_multithread_send_message(&j->t->receiver, &j->msg);
}

static void *login_worker(void *arg)
{
	sk_store *s = arg;
	sk_http_job *j;
	while ((j = pop(&pool.login))) {
		j->e = sk_auth_login(s, sk_http_polref_policy(j->polref), j->login, j->password,
		                     j->password_len, j->has_totp ? j->totp : NULL, j->address,
		                     &j->session, &j->err);
		h2o_multithread_send_message(&j->t->receiver, &j->msg);
	}
	return NULL;
}

static void *verify_worker(void *arg)
{
	sk_store *s = arg;
	sk_http_job *j;
	while ((j = pop(&pool.verify))) {
		sk_audit_verify_opts o = {0};
		j->e = sk_audit_verify_store(s, &o, &j->verify, &j->err);
		h2o_multithread_send_message(&j->t->receiver, &j->msg);
	}
	return NULL;
}

static void *work_worker(void *arg)
{
	sk_store *s = arg;
	sk_http_job *j;
	while ((j = pop(&pool.work))) {
		j->work_run(j->arg, s, sk_http_polref_policy(j->polref));
		h2o_multithread_send_message(&j->t->receiver, &j->msg);
	}
	return NULL;
}

static void wake_all(void)
{
	queue *qs[] = {&pool.login, &pool.verify, &pool.work};
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		pthread_mutex_lock(&qs[i]->mu);
		pthread_cond_broadcast(&qs[i]->cv);
		pthread_mutex_unlock(&qs[i]->mu);
	}
}

sk_err sk_http_pool_start(const char *db_url, sk_buf *err)
{
	sk_err e = sk_writer_start(db_url, 0, &pool.writer, err);
	if (e)
		return e;
	atomic_store(&pool.quit, false);
	for (pool.nlogin = 0; pool.nlogin < LOGIN_WORKERS; pool.nlogin++) {
		if ((e = sk_store_open(db_url, 0, &pool.login_stores[pool.nlogin], err)))
			break;
		if (pthread_create(&pool.login_workers[pool.nlogin], NULL, login_worker,
		                   pool.login_stores[pool.nlogin])) {
			sk_store_close(pool.login_stores[pool.nlogin]);
			e = sk_fail_msg(err, SK_ERR_TEMPFAIL, NULL, NULL,
			                SK_M_HTTP_CANNOT_START_LOGIN_WORKERS);
			break;
		}
	}
	for (pool.nwork = 0; !e && pool.nwork < WORK_WORKERS; pool.nwork++) {
		if ((e = sk_store_open(db_url, 0, &pool.work_stores[pool.nwork], err)))
			break;
		if (pthread_create(&pool.work_workers[pool.nwork], NULL, work_worker,
		                   pool.work_stores[pool.nwork])) {
			sk_store_close(pool.work_stores[pool.nwork]);
			e = sk_fail_msg(err, SK_ERR_TEMPFAIL, NULL, NULL, SK_M_HTTP_PAGE_WORKERS);
			break;
		}
	}
	if (!e && !(e = sk_store_open(db_url, 0, &pool.verify_store, err))) {
		if (pthread_create(&pool.verifier, NULL, verify_worker, pool.verify_store)) {
			sk_store_close(pool.verify_store);
			pool.verify_store = NULL;
			e = sk_fail_msg(err, SK_ERR_TEMPFAIL, NULL, NULL,
			                SK_M_HTTP_CANNOT_START_VERIFY_WORKER);
		} else {
			pool.verifier_running = true;
		}
	}
	if (e)
		sk_http_pool_stop();
	return e;
}

/* The writer's scopes (below). */
#define WSCOPE_SLOTS 64
struct wscope;
static struct wscope *wscope_at(size_t i);
static void wscope_clear(struct wscope *w);

void sk_http_pool_stop(void)
{
	if (!pool.writer)
		return;
	atomic_store(&pool.quit, true);
	wake_all();
	for (int i = 0; i < pool.nlogin; i++)
		pthread_join(pool.login_workers[i], NULL);
	/* The failed logins counted in this last minute are written before the stores close. */
	if (pool.nlogin > 0) {
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		if (sk_throttle_flush(pool.login_stores[0], sk_clock_now(), true, &err))
			sk_log(SK_LOG_ERROR, "auth.failures not written at shutdown: %s", err.data);
		sk_buf_free(&err);
	}
	for (int i = 0; i < pool.nlogin; i++)
		sk_store_close(pool.login_stores[i]);
	for (int i = 0; i < pool.nwork; i++) {
		pthread_join(pool.work_workers[i], NULL);
		sk_store_close(pool.work_stores[i]);
	}
	pool.nwork = 0;
	if (pool.verifier_running) {
		pthread_join(pool.verifier, NULL);
		sk_store_close(pool.verify_store);
		pool.verify_store = NULL;
		pool.verifier_running = false;
	}
	sk_writer_stop(pool.writer);
	pool.writer = NULL;
	for (size_t i = 0; i < WSCOPE_SLOTS; i++)
		wscope_clear(wscope_at(i));
	pool.nlogin = 0;
}

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static sk_http_job *job_new(sk_http_rctx *r, enum job_kind kind)
{
	sk_http_job *j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->kind = kind;
	j->t = r->t;
	j->req = r->req;
	j->start_us = r->start_us ? r->start_us : mono_us();
	snprintf(j->address, sizeof(j->address), "%s", r->address);
	j->lang = r->lang;
	j->polref = sk_http_policy_share(r->t->polref);
	sk_buf_init(&j->err, SK_BUF_MSG_MAX);
	sk_buf_init(&j->text, SK_BUF_DEFAULT_MAX);
	sk_decision_made_init(&j->made);
	sk_audit_verify_result_init(&j->verify);
	return j;
}

static void job_free(sk_http_job *j)
{
	if (j->password) {
		sodium_memzero(j->password, j->password_len);
		free(j->password);
	}
	sodium_memzero(&j->session, sizeof(j->session));
	sodium_memzero(j->totp, sizeof(j->totp));
	sk_buf_free(&j->err);
	sk_buf_free(&j->text);
	json_decref(j->out);
	if (j->prep_free)
		j->prep_free(j->prep);
	sk_decision_made_free(&j->made);
	sk_audit_verify_result_free(&j->verify);
	sk_http_policy_release(j->polref);
	free(j);
}

/* Hands j's decision, made on the loop, to the writer; false (j still the caller's) if it cannot.
 */
static bool submit_made(sk_http_rctx *r, sk_http_job *j)
{
	snprintf(j->login, sizeof(j->login), "%s", r->actor.login);
	j->actor = r->actor;
	j->actor.login = j->login;
	j->actor.address = j->address;
	/* The writer needs no scope (the read is done), and the session cache's entry may go. */
	j->actor.scope = NULL;
	if (sk_writer_submit_flags(pool.writer, run_decision, j, &j->err, decision_done,
	                           SK_WRITER_NO_SAVEPOINT))
		return false;
	r->deferred = true;
	r->answered = true;
	r->t->inflight++;
	return true;
}

/*
 * The writer's scopes: the actor's roles, capabilities and units, loaded by
 * the writer once and reused by its later writes while the authorization
 * generation (the authz_generation row, bumped by a trigger in the very
 * transaction of every change of roles, accounts' status or the unit tree,
 * from any door: the CLI too) has not moved. Read in the write's own
 * transaction, so a role revoked a moment ago stops the next write. Each
 * slot holds a reference to the profile it was loaded under, so a profile
 * swapped meanwhile is never mistaken for the new one. Touched only by the
 * writer's one thread (and by sk_http_pool_stop once it has stopped).
 */
static struct wscope {
	bool used;
	int64_t user_id, gen;
	sk_http_polref *polref;
	sk_scope scope;
} wscopes[WSCOPE_SLOTS];

static struct wscope *wscope_at(size_t i) { return &wscopes[i]; }

static void wscope_clear(struct wscope *w)
{
	sk_authz_scope_free(&w->scope);
	sk_http_policy_release(w->polref);
	memset(w, 0, sizeof(*w));
}

/* The scope of j's actor for a write in s's transaction, or NULL: the write loads its own. */
static const sk_scope *wscope_get(sk_store *s, sk_http_job *j)
{
	const sk_policy *pol = sk_http_polref_policy(j->polref);
	int64_t uid = j->actor.user_id, gen = 0;
	if (j->actor.superuser || uid <= 0 || !pol ||
	    sk_store_query_int(s, "SELECT n FROM authz_generation WHERE id = 1", NULL, 0, &gen,
	                       NULL) != SK_OK)
		return NULL;
	struct wscope *w = &wscopes[(uint64_t)uid % WSCOPE_SLOTS];
	if (w->used && w->user_id == uid && w->gen == gen &&
	    sk_http_polref_policy(w->polref) == pol)
		return &w->scope;
	wscope_clear(w);
	if (sk_authz_scope_load(s, pol, uid, &w->scope, NULL) != SK_OK) {
		memset(&w->scope, 0, sizeof(w->scope));
		return NULL;
	}
	w->polref = sk_http_policy_share(j->polref);
	w->user_id = uid;
	w->gen = gen;
	w->used = true;
	return &w->scope;
}

/* Runs on the writer's thread, inside the batch's transaction and the job's savepoint. */
static sk_err run_write(sk_store *s, void *ctx, sk_buf *err)
{
	sk_http_job *j = ctx;
	sk_ctx c;
	j->actor.scope = wscope_get(s, j);
	sk_ctx_init(&c, s, sk_http_polref_policy(j->polref), &j->actor);
	c.lang = sk_lang_code(j->lang);
	sk_err e = j->pfn(&c, j->prep, &j->out, &j->text, err);
	sk_ctx_fini(&c);
	j->actor.scope = NULL; /* the writer's slot, not the job's */
	return e;
}

bool sk_http_pool_write_prepared(sk_http_rctx *r, sk_http_prepared_fn fn, void *prep,
                                 void (*prep_free)(void *), int status, sk_http_write_answer answer)
{
	sk_http_job *j = NULL;
	if (!pool.writer || strlen(r->actor.login) >= SK_HTTP_LOGIN_MAX ||
	    !(j = job_new(r, JOB_WRITE)))
		return false;
	j->pfn = fn;
	j->status = status;
	j->answer = answer;
	snprintf(j->login, sizeof(j->login), "%s", r->actor.login);
	j->actor = r->actor;
	j->actor.login = j->login;
	j->actor.address = j->address;
	/* The session cache's scope belongs to the loop and may go: the writer loads its own. */
	j->actor.scope = NULL;
	j->prep = prep;
	j->prep_free = prep_free;
	if (sk_writer_submit(pool.writer, run_write, j, &j->err, decision_done)) {
		j->prep_free = NULL; /* not taken: still the caller's */
		job_free(j);
		return false;
	}
	r->deferred = true;
	r->answered = true;
	r->t->inflight++;
	return true;
}

bool sk_http_pool_decide(sk_http_rctx *r, int64_t asset_id, const char *action)
{
	if (!pool.writer || strlen(r->actor.login) >= SK_HTTP_LOGIN_MAX)
		return false;
	sk_http_job *j = job_new(r, JOB_DECISION);
	if (!j)
		return false;
	/* Read, scope check and decision on this loop's connection: the writer only appends. */
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e =
	    sk_decision_make(&c, r->who ? r->who->roles : 0, asset_id, action, &j->made, &j->err);
	sk_ctx_fini(&c);
	if (e) {
		sk_http_reply_fail(r, e, &j->err);
		job_free(j);
		return true;
	}
	if (submit_made(r, j))
		return true;
	job_free(j);
	return false;
}

bool sk_http_pool_record(sk_http_rctx *r, sk_decision_made *m)
{
	if (!pool.writer || strlen(r->actor.login) >= SK_HTTP_LOGIN_MAX)
		return false;
	sk_http_job *j = job_new(r, JOB_DECISION);
	if (!j)
		return false;
	sk_decision_made_free(&j->made);
	j->made = *m;
	sk_decision_made_init(m);
	if (submit_made(r, j))
		return true;
	*m = j->made; /* given back */
	sk_decision_made_init(&j->made);
	job_free(j);
	return false;
}

/* A login job for the workers, or NULL when the pool cannot take one (not running, overlong). */
static sk_http_job *login_job(sk_http_rctx *r, const char *login, const char *password,
                              size_t password_len, const char *totp)
{
	if (!pool.writer || pool.nlogin == 0 || !login || strlen(login) >= SK_HTTP_LOGIN_MAX ||
	    (totp && strlen(totp) >= sizeof(((sk_http_job *)0)->totp)))
		return NULL;
	sk_http_job *j = job_new(r, JOB_LOGIN);
	if (!j)
		return NULL;
	j->password = malloc(password_len + 1);
	if (!j->password) {
		job_free(j);
		return NULL;
	}
	memcpy(j->password, password, password_len);
	j->password[password_len] = '\0';
	j->password_len = password_len;
	snprintf(j->login, sizeof(j->login), "%s", login);
	if (totp) {
		snprintf(j->totp, sizeof(j->totp), "%s", totp);
		j->has_totp = true;
	}
	return j;
}

/* The request waits for its job from here on: the loop answers it when the job comes back. */
static void deferred(sk_http_rctx *r)
{
	r->t->inflight++;
	r->deferred = true;
	r->answered = true;
}

bool sk_http_pool_login_to(sk_http_rctx *r, const char *login, const char *password,
                           size_t password_len, const char *totp, sk_http_login_done done,
                           void *arg)
{
	sk_http_job *j = login_job(r, login, password, password_len, totp);
	if (!j)
		return false;
	j->login_done = done;
	j->arg = arg;
	if (!push_bounded(&pool.login, j, SK_HTTP_LOGIN_QUEUE_MAX)) {
		j->arg = NULL; /* still the caller's */
		job_free(j);
		atomic_fetch_add(&sk_http_m.logins_busy, 1);
		return false;
	}
	deferred(r);
	return true;
}

bool sk_http_pool_work(sk_http_rctx *r, sk_http_work_run run, sk_http_work_answer answer, void *arg)
{
	if (pool.nwork == 0)
		return false;
	sk_http_job *j = job_new(r, JOB_WORK);
	if (!j)
		return false;
	j->work_run = run;
	j->work_answer = answer;
	j->arg = arg;
	if (!push_bounded(&pool.work, j, SK_HTTP_WORK_QUEUE_MAX)) {
		job_free(j);
		return false;
	}
	deferred(r);
	return true;
}

bool sk_http_pool_login(sk_http_rctx *r, const char *login, const char *password,
                        size_t password_len, const char *totp)
{
	sk_http_job *j = login_job(r, login, password, password_len, totp);
	if (!j)
		return false;
	if (!push_bounded(&pool.login, j, SK_HTTP_LOGIN_QUEUE_MAX)) {
		/* Full: fail fast rather than make every login wait behind a flood. */
		job_free(j);
		atomic_fetch_add(&sk_http_m.logins_busy, 1);
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		sk_err e = sk_fail_msg(&err, SK_ERR_TEMPFAIL, NULL, NULL, SK_M_AUTH_BUSY,
		                       LOGIN_RETRY_AFTER);
		sk_http_retry_after(r, LOGIN_RETRY_AFTER);
		sk_http_reply_fail(r, e, &err);
		sk_buf_free(&err);
		return true;
	}
	deferred(r);
	return true;
}

bool sk_http_pool_verify(sk_http_rctx *r)
{
	if (!pool.verifier_running)
		return false;
	sk_http_job *j = job_new(r, JOB_VERIFY);
	if (!j)
		return false;
	r->deferred = true;
	r->answered = true;
	r->t->inflight++;
	push(&pool.verify, j);
	return true;
}

void sk_http_pool_writer_stats(size_t *batches, size_t *ops)
{
	*batches = *ops = 0;
	if (pool.writer)
		sk_writer_stats(pool.writer, batches, ops);
}

/* The loop's receiver: answers the jobs its requests handed out. */
void sk_http_pool_on_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
	/* Walks the list without unlinking one by one (every message is taken), then empties it. */
	h2o_linklist_t *n = messages->next;
	while (n != messages) {
		h2o_linklist_t *next = n->next;
		sk_http_job *j = H2O_STRUCT_FROM_MEMBER(sk_http_job, msg.link, n);
		sk_http_rctx r;
		memset(&r, 0, sizeof(r));
		r.req = j->req;
		r.t = j->t;
		snprintf(r.address, sizeof(r.address), "%s", j->address);
		r.lang = j->lang;
		if (j->kind == JOB_LOGIN && j->login_done) {
			j->login_done(j->arg, &r, j->e, &j->session, &j->err);
		} else if (j->kind == JOB_LOGIN) {
			/* No invalidation: a login changes no other session (scache.c). */
			sk_api_login_finish(&r, j->e, &j->session, &j->err);
		} else if (j->kind == JOB_WORK) {
			j->work_answer(j->arg, &r);
		} else if (j->kind == JOB_VERIFY) {
			sk_api_audit_verify_finish(&r, j->e, &j->verify, j->err.data);
		} else if (j->kind == JOB_WRITE) {
			sk_buf *text = &j->text;
			if (!j->e && text->len && !j->out)
				sk_http_reply_bufs(&r, j->status, "application/json; charset=utf-8",
				                   &text, 1);
			else if (j->answer)
				j->answer(&r, j->e, &j->err, j->out, j->status);
			else
				sk_http_reply_result(&r, j->e, &j->err, j->status, j->out);
			j->out = NULL; /* the answer took it */
		} else if (j->e) {
			sk_http_reply_fail(&r, j->e, &j->err);
		} else {
			sk_http_reply_text(&r, 200, "application/json; charset=utf-8",
			                   j->made.answer.data, j->made.answer.len);
		}
		sk_http_metrics_observe(j->req->res.status, mono_us() - j->start_us);
		j->t->inflight--;
		job_free(j);
		n = next;
	}
	h2o_linklist_init_anchor(messages);
	(void)receiver;
}
