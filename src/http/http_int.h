/*
 * http_int: what the files of src/http share and nothing outside uses: the
 * per-thread context, the per-request context handed to every api_*.c
 * handler, the route table's shape, the reply helpers and the metrics.
 *
 * Ownership: a request context lives on the dispatcher's stack for one
 * request; a handler borrows it, answers exactly once through one of the
 * sk_http_reply_* functions and keeps nothing after it returns.
 */
#ifndef SK_HTTP_INT_H
#define SK_HTTP_INT_H

#ifndef H2O_USE_LIBUV
#define H2O_USE_LIBUV 0
#endif
#include <h2o.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../core/sk_msg.h"
#include "../domain/actor.h"
#include "../domain/authz.h"
#include "../domain/ctx.h"
#include "../domain/decision.h"
#include "../domain/ledger.h"
#include "../domain/schema.h"
#include "../policy/policy.h"
#include "../store/store.h"
#include "http.h"

/* An open client connection, linked into its thread's list until h2o closes it. */
typedef struct sk_http_conn {
	struct sk_http_conn *prev, *next;
	h2o_socket_t *sock;
	struct sk_http_thread *t;
	unsigned char peer[16]; /* what the peer is counted under (server.c, peer_of) */
	bool counted;           /* counted against the peer's share (not a trusted proxy) */
} sk_http_conn;

/* One event loop's world: everything in it is used by that thread only. */
typedef struct sk_http_thread {
	h2o_context_t ctx;
	h2o_accept_ctx_t accept;
	h2o_socket_t *listener;
	sk_store *store;
	/*
	 * The installation's profile for this loop's requests: polref's, replaced
	 * between requests when another version is activated (policy_hold.c).
	 */
	sk_policy *pol;
	struct sk_http_polref *polref;
	uint64_t pol_gen;
	const sk_http_config *cfg;
	const char *db_url;
	int index;
	sk_http_conn conns; /* list head of the open connections */
	size_t nconns;
	size_t inflight;                     /* jobs handed to the pool, not yet answered */
	h2o_multithread_receiver_t receiver; /* answers from the pool (pool.c) */
	struct sk_http_scache *scache;       /* this thread's session cache (scache.c) */
	h2o_globalconf_t *gconf;             /* the server's h2o configuration (server.c) */
	int fd;                              /* the listening socket until loop_init takes it */
} sk_http_thread;

/* --- the installation's profile, taken up anew on activation (policy_hold.c) --- */

typedef struct sk_http_polref sk_http_polref;

/*
 * Makes pol (taken) the server's profile, loaded with the policy set as of
 * its last change set_change (sk_policyset_last_change, read before the
 * load); call before any thread or job runs.
 */
sk_err sk_http_policy_start(sk_policy *pol, int64_t set_change, sk_buf *err);
/* Drops the holder's reference (the profile goes with the last one). */
void sk_http_policy_stop(void);
/* A new reference to the current profile (*ref; NULL before start): release it when done. */
sk_policy *sk_http_policy_acquire(sk_http_polref **ref);
/* Another reference to ref (a job's copy of its loop's, kept until the job is freed); NULL-safe. */
sk_http_polref *sk_http_policy_share(sk_http_polref *ref);
/* The profile ref holds (NULL for NULL). */
sk_policy *sk_http_polref_policy(const sk_http_polref *ref);
/* Drops a reference from sk_http_policy_acquire or _share; NULL is ignored. */
void sk_http_policy_release(sk_http_polref *ref);
/*
 * At the start of each dispatch on t's loop: asks the database (t's store)
 * whether another version is active, at most once a second over all loops,
 * and swaps it in; then points t->pol at the current profile. Requests
 * already running keep theirs.
 */
void sk_http_policy_refresh(sk_http_thread *t, int64_t now_ms);
/* The next dispatch asks the database at once (after an activation through this server). */
void sk_http_policy_check_soon(void);
/* Drops t's reference. */
void sk_http_policy_thread_fini(sk_http_thread *t);

/* --- the session cache (scache.c) --- */

struct sk_auth_principal;

/* A checked session, borrowed from the thread's cache until its next lookup. */
typedef struct sk_http_session {
	const struct sk_auth_principal *principal;
	const sk_scope *scope; /* the account's roles, capabilities and units in scope */
} sk_http_session;

/*
 * The session of token (the cookie value) seen from address, from t's cache
 * when the entry is fresh (see scache.c for what that means), otherwise
 * checked in t's store (sk_auth_session_check, the roles and the scope) and
 * cached. Errors are sk_auth_session_check's.
 */
sk_err sk_http_session_find(sk_http_thread *t, const char *token, const char *address,
                            sk_http_session *out, sk_buf *err);
/*
 * Makes every cached session of this process be checked again on its next
 * use. Called after a change to sessions, accounts, roles or units has
 * committed.
 */
void sk_http_sessions_invalidate(void);
/* How many times the caches were invalidated since the process started (for /metrics). */
uint64_t sk_http_sessions_invalidations(void);
/* Wipes and frees t's cache (on t's thread, or after it stopped). */
void sk_http_scache_free(sk_http_thread *t);

/* --- the route table --- */

/* A query parameter a route declares. */
typedef struct sk_http_qparam {
	const char *name;
	size_t max; /* the longest value accepted, in bytes once URL-decoded */
} sk_http_qparam;

struct sk_http_rctx;
typedef void (*sk_http_handler)(struct sk_http_rctx *r);

/* Route flags. */
enum {
	SK_R_PUBLIC = 1u << 0,      /* no session needed (and none is looked at) */
	SK_R_MUST_CHANGE = 1u << 1, /* allowed while the password must be changed */
	SK_R_BODY = 1u << 2,        /* takes a JSON object body described by fields */
	/* changes sessions, accounts, roles or units: answering it invalidates the session caches
	 */
	SK_R_INVALIDATES = 1u << 3,
	/* open without a session to the --metrics-from clients; others need a session holding the
	   capability */
	SK_R_ADDRESS_LIST = 1u << 4,
	/* creates something: answers 201 Created (the OpenAPI document says so) */
	SK_R_CREATES = 1u << 5,
	/* allowed while a TOTP secret must be enrolled (the self-enrollment routes) */
	SK_R_ENROLL = 1u << 6,
	/* may be refused by the policy itself: answers 422 forbidden_by_policy (requests, C7) */
	SK_R_POLICY = 1u << 7,
};

/* A route's capability (sk_cap), or any session holding some role (logout, own password). */
#define SK_HTTP_ANY_ROLE (-1)

typedef struct sk_http_route {
	const char *method;  /* "GET", "POST", "PATCH", "DELETE" */
	const char *path;    /* "/api/v1/assets/{id}": {id} an integer, {login} a string */
	unsigned flags;      /* SK_R_* */
	int cap;             /* the sk_cap the session must hold somewhere, or SK_HTTP_ANY_ROLE */
	sk_http_handler run; /* answers the request */
	const char *summary;
	const char *scope;     /* how scope limits the answer, for the OpenAPI document */
	const sk_schema *body; /* the body's fields (SK_R_BODY): a PATCH needs none of them */
	/* The query parameters accepted, ended by a NULL name; NULL: none. */
	const sk_http_qparam *query;
	/* The shape of a success answer: a schema of src/http/answers.json (NULL: not JSON). */
	const char *answer;
} sk_http_route;

/* The table and its length. */
const sk_http_route *sk_http_routes(size_t *n);

/* --- client addresses (cidr.c) --- */

/* Whether address (text, as the peer's address is kept) lies in one of the n ranges. */
bool sk_http_cidr_match(const sk_http_cidr *list, size_t n, const char *address);
/*
 * Replaces address (the peer's, max bytes) with the client's from
 * X-Forwarded-For when the peer is one of c's trusted proxies (http.h);
 * otherwise leaves it.
 */
void sk_http_client_address(const sk_http_config *c, h2o_req_t *req, char *address, size_t max);

/* --- the request --- */

typedef struct sk_http_rctx {
	h2o_req_t *req;
	sk_http_thread *t;
	const sk_http_route *route;
	json_t *body;                            /* the parsed body (SK_R_BODY), borrowed */
	int64_t id;                              /* the {id} path parameter */
	char param[128];                         /* the {login} path parameter */
	sk_authz_principal *who;                 /* NULL on public routes */
	const struct sk_auth_principal *session; /* the session behind who; NULL on public routes */
	sk_actor actor;                          /* who acts, for the domain layer */
	sk_lang lang;                            /* the reader's language (Accept-Language) */
	char address[64]; /* the client's IP address: the peer's, or X-Forwarded-For's */
	bool answered;
	bool deferred;    /* the pool answers later (and observes the metrics then) */
	int64_t start_us; /* when dispatch began (monotonic) */
} sk_http_rctx;

/*
 * The domain context of the request: the thread's store and profile, the
 * session's actor with its cached scope. Release with sk_ctx_fini.
 */
static inline void sk_http_ctx(sk_http_rctx *r, sk_ctx *c)
{
	sk_ctx_init(c, r->t->store, r->t->pol, &r->actor);
}

/*
 * Checks the request's query string against the route's declared
 * parameters before the handler runs: SK_ERR_INVALID naming the first
 * parameter that is not declared, given twice, not valid URL encoding (or
 * holding a NUL) or longer than declared. A parameter the handler reads is
 * then either absent or whole, never silently dropped.
 */
sk_err sk_http_query_check(const sk_http_rctx *r, sk_buf *err);

/*
 * A query parameter's value copied into out (URL-decoded); false when
 * absent or too long for out (which sk_http_query_check has ruled out for a
 * buffer longer than the parameter's declared max).
 */
bool sk_http_query(const sk_http_rctx *r, const char *name, char *out, size_t max);

/*
 * A whole-number query parameter in [min, max] into *out, left as it is
 * when absent. true: go on; false: the 400 naming the parameter (name, a
 * static key) is answered, in the reader's language.
 */
bool sk_http_query_int(sk_http_rctx *r, const char *name, int64_t min, int64_t max, int64_t *out);

/* A 400 about the query parameter name (a static key): the catalog's sentence id. */
void sk_http_reply_bad_query(sk_http_rctx *r, const char *name, sk_msg_id id);

/* The header's value (a slice into the request), or a zero-length iovec. */
h2o_iovec_t sk_http_header(h2o_req_t *req, const char *name);

/*
 * The body field key as text in the request's pool: strings as given,
 * integers in decimal, booleans as "yes"/"no"; NULL when absent.
 */
const char *sk_http_field_text(sk_http_rctx *r, const char *key);

/* --- answers (each sets the security headers; call exactly one per request) --- */

/* Sends j (consumed) with status. */
void sk_http_reply_json(sk_http_rctx *r, int status, json_t *j);
/* Sends the len bytes of canonical or pre-built JSON text. */
void sk_http_reply_text(sk_http_rctx *r, int status, const char *ctype, const char *body,
                        size_t len);
/*
 * The answer made of the bytes of bufs in their order, sent as they are (no
 * copy): each buffer is handed over to the request, which frees it once the
 * answer is sent, and is left empty. At most SK_HTTP_REPLY_BUFS non-empty.
 */
#define SK_HTTP_REPLY_BUFS 8
void sk_http_reply_bufs(sk_http_rctx *r, int status, const char *ctype, sk_buf *const *bufs,
                        size_t n);
/* {"error": {"code", "message"}} with the status the error maps to. */
void sk_http_reply_error(sk_http_rctx *r, sk_err e, const char *message);
/*
 * The error err recorded: {"error": {"code", "field", "message"}}, the
 * message in the reader's language where the catalog has it (sk_msg.h),
 * "field" when the error names one. 5xx answers say only the error class.
 */
void sk_http_reply_fail(sk_http_rctx *r, sk_err e, const sk_buf *err);
/*
 * A handler's answer: the error e as sk_http_reply_fail, or else j
 * (consumed; NULL when it could not be built) with status. Frees err, the
 * handler's, so a handler ends with this one call.
 */
void sk_http_reply_result(sk_http_rctx *r, sk_err e, sk_buf *err, int status, json_t *j);
/*
 * A read with nothing to parse: read for the request's actor (scoped by the
 * domain), answered 200 with what it gives or the error. The handlers of
 * such reads (the policy versions, the policy set, the unit check) are
 * this one line each rather than each its own context and answer.
 */
void sk_http_reply_read(sk_http_rctx *r, sk_err (*read)(sk_ctx *, json_t **, sk_buf *));
/* An error answer with an explicit status and code and a catalog message. */
void sk_http_reply_msg(sk_http_rctx *r, int status, const char *code, sk_msg_id id);
/* Adds Retry-After: seconds (at least 1) to the answer about to be sent. */
void sk_http_retry_after(sk_http_rctx *r, int64_t seconds);
/* Adds the security headers every answer carries (CSP, nosniff, frame denial, no-store). */
void sk_http_security_headers(h2o_req_t *req, bool html);

/* --- metrics --- */

enum { SK_LAT_BUCKETS = 12 };
extern const double sk_http_lat_bounds[SK_LAT_BUCKETS]; /* seconds */

typedef struct sk_http_metrics {
	atomic_uint_fast64_t requests[6]; /* by status class: 1xx..5xx, [0] other */
	atomic_uint_fast64_t lat_bucket[SK_LAT_BUCKETS + 1];
	atomic_uint_fast64_t lat_sum_us;
	atomic_uint_fast64_t logins_ok, logins_failed, lockouts, logins_busy;
	atomic_uint_fast64_t conns_open, conns_total, conns_refused, conns_refused_client;
	atomic_uint_fast64_t bad_requests;
} sk_http_metrics;

extern sk_http_metrics sk_http_m;
void sk_http_metrics_observe(int status, int64_t micros);
/* The Prometheus text exposition, with the audit log's size read from s. */
sk_err sk_http_metrics_render(sk_store *s, sk_buf *out, sk_buf *err);

/* --- the write pool (pool.c) --- */

#define SK_HTTP_LOGIN_MAX 72

typedef struct sk_http_job sk_http_job;

/*
 * Starts the login workers and the group-commit writer on db_url; each job
 * runs under the profile its request started with (sk_http_policy_share).
 */
sk_err sk_http_pool_start(const char *db_url, sk_buf *err);
/* Lets the workers finish what is queued, then stops them and the writer. */
void sk_http_pool_stop(void);
/*
 * Makes the decision (SPEC §3) for asset_id and action on this loop and
 * hands its audit append to the pool; the loop answers when it is durable
 * (or at once, with the error, when the decision cannot be made). false when
 * the pool cannot take it (the caller then decides synchronously).
 */
bool sk_http_pool_decide(sk_http_rctx *r, int64_t asset_id, const char *action);
/*
 * Records m, a decision made on the loop, through the group-commit writer and
 * answers m->answer once it is committed. Takes m's buffers (m is left
 * empty). false when the writer cannot take it: m is as it was.
 */
bool sk_http_pool_record(sk_http_rctx *r, sk_decision_made *m);
/*
 * How the loop answers a write: with out (taken) and status, or the error e
 * (out may then hold what the error answer carries). NULL: the plain
 * answer, sk_http_reply_result.
 */
typedef void (*sk_http_write_answer)(sk_http_rctx *r, sk_err e, sk_buf *err, json_t *out,
                                     int status);
/*
 * A durable write of the domain, prepared on the loop (its reads done on
 * the loop's connection, e.g. sk_request_prepare) and run by fn on the
 * group-commit writer's thread (many to one transaction and one fsync, each
 * under its own savepoint) with a context for the request's actor on the
 * writer's store and the server's profile, and prep, which the job owns
 * from here and releases with prep_free either way; fn leaves its answer in
 * *out, or as JSON text in text (sent as it is: written ahead on the loop,
 * the writer's thread only hands it over), which the loop answers with
 * status, or the error. false when the writer cannot take it (prep not
 * taken: still the caller's, who then writes synchronously).
 */
typedef sk_err (*sk_http_prepared_fn)(sk_ctx *c, void *prep, json_t **out, sk_buf *text,
                                      sk_buf *err);
bool sk_http_pool_write_prepared(sk_http_rctx *r, sk_http_prepared_fn fn, void *prep,
                                 void (*prep_free)(void *), int status,
                                 sk_http_write_answer answer);
/* How many logins may wait for a login worker; more answer 503 with Retry-After. */
#define SK_HTTP_LOGIN_QUEUE_MAX 32
/*
 * Hands a login to the login workers (argon2id off the loop); the loop
 * answers through sk_api_login_finish. The password is copied (and wiped
 * later). When SK_HTTP_LOGIN_QUEUE_MAX logins wait already it answers 503
 * with Retry-After itself (true: answered). false when the pool cannot take
 * it for another reason (not running, overlong login).
 */
bool sk_http_pool_login(sk_http_rctx *r, const char *login, const char *password,
                        size_t password_len, const char *totp);
/* Seconds a client is told to wait (Retry-After) when a bounded queue of the pool is full. */
#define SK_HTTP_BUSY_RETRY_AFTER 2
/*
 * As sk_http_pool_login, answered on the loop by done(arg, r, ...) instead
 * of the API's JSON (the web's login page). false when the pool cannot
 * take it (queue full, not running, overlong login): nothing is answered
 * and arg is still the caller's; once taken, done runs exactly once and
 * owns arg.
 */
struct sk_auth_session;
typedef void (*sk_http_login_done)(void *arg, sk_http_rctx *r, sk_err e, struct sk_auth_session *s,
                                   const sk_buf *err);
bool sk_http_pool_login_to(sk_http_rctx *r, const char *login, const char *password,
                           size_t password_len, const char *totp, sk_http_login_done done,
                           void *arg);
/*
 * Work that would hold a loop for long (the web's register import and
 * export, ledger export, audit verification and proofs): run(arg, s, pol)
 * on one of the page workers, each with its own store connection, then
 * answer(arg, r) on the request's loop with a fresh context for the same
 * request; answer owns arg from then on. At most SK_HTTP_WORK_QUEUE_MAX
 * wait; false (nothing answered, arg still the caller's) when the queue is
 * full or the pool is not running: the caller answers 503 with
 * SK_HTTP_BUSY_RETRY_AFTER rather than make every page wait behind it.
 */
#define SK_HTTP_WORK_QUEUE_MAX 8
typedef void (*sk_http_work_run)(void *arg, sk_store *s, const sk_policy *pol);
typedef void (*sk_http_work_answer)(void *arg, sk_http_rctx *r);
bool sk_http_pool_work(sk_http_rctx *r, sk_http_work_run run, sk_http_work_answer answer,
                       void *arg);
/*
 * Hands a verification of the whole audit log to the verify worker; the
 * loop answers through sk_api_audit_verify_finish. false when the pool
 * cannot take it.
 */
bool sk_http_pool_verify(sk_http_rctx *r);
/* The loop's receiver callback for finished jobs. */
void sk_http_pool_on_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages);
/* The group-commit writer's batches and operations so far (both 0 when it is not running). */
void sk_http_pool_writer_stats(size_t *batches, size_t *ops);

/* --- the dispatcher and generated documents --- */

/*
 * Whether req's head gives the length of its body at most once: no second
 * Content-Length (equal or not), no second Transfer-Encoding, not both. h2o
 * 2.2 keeps neither header in req->headers and quietly believes one of
 * them, so this reads the head as it arrived on the connection (server.c).
 */
bool sk_http_framing_ok(h2o_req_t *req);

int sk_http_dispatch(sk_http_thread *t, h2o_req_t *req);
/* The OpenAPI 3.1 document generated from the route table. New reference. */
json_t *sk_http_openapi(void);

/* --- handlers, one per route, in api_*.c --- */

void sk_api_index(sk_http_rctx *r);
void sk_api_healthz(sk_http_rctx *r);
void sk_api_metrics(sk_http_rctx *r);
void sk_api_openapi(sk_http_rctx *r);
void sk_api_login(sk_http_rctx *r);
/* Answers a login done by the pool: cookie and session, or the error (and counts it). */
struct sk_auth_session;
void sk_api_login_finish(sk_http_rctx *r, sk_err e, struct sk_auth_session *s, const sk_buf *err);
void sk_api_logout(sk_http_rctx *r);
void sk_api_password(sk_http_rctx *r);
void sk_api_me(sk_http_rctx *r);
void sk_api_asset_list(sk_http_rctx *r);
void sk_api_asset_add(sk_http_rctx *r);
void sk_api_asset_get(sk_http_rctx *r);
void sk_api_asset_update(sk_http_rctx *r);
void sk_api_asset_dispose(sk_http_rctx *r);
void sk_api_asset_remove(sk_http_rctx *r);
void sk_api_asset_history(sk_http_rctx *r);
void sk_api_decision(sk_http_rctx *r);
void sk_api_request_file(sk_http_rctx *r);
void sk_api_request_list(sk_http_rctx *r);
void sk_api_ledger_get(sk_http_rctx *r);
/*
 * Sends an export of ledger (sk_ledger_export's bytes, buf: freed here) as an
 * attachment named for it: the API's and the web UI's export buttons alike.
 */
void sk_api_ledger_send(sk_http_rctx *r, const char *ledger, sk_ledger_format fmt,
                        sk_csv_encoding enc, char *buf, size_t n);
void sk_api_request_get(sk_http_rctx *r);
void sk_api_request_approve(sk_http_rctx *r);
void sk_api_request_reject(sk_http_rctx *r);
void sk_api_request_withdraw(sk_http_rctx *r);
void sk_api_request_complete(sk_http_rctx *r);
void sk_api_org_list(sk_http_rctx *r);
void sk_api_org_add(sk_http_rctx *r);
void sk_api_org_check(sk_http_rctx *r);
void sk_api_user_list(sk_http_rctx *r);
void sk_api_user_add(sk_http_rctx *r);
void sk_api_user_show(sk_http_rctx *r);
void sk_api_user_disable(sk_http_rctx *r);
void sk_api_user_enable(sk_http_rctx *r);
void sk_api_notification_list(sk_http_rctx *r);
void sk_api_notification_read(sk_http_rctx *r);
void sk_api_role_list(sk_http_rctx *r);
void sk_api_role_grant(sk_http_rctx *r);
void sk_api_role_revoke(sk_http_rctx *r);
void sk_api_audit_list(sk_http_rctx *r);
void sk_api_audit_verify(sk_http_rctx *r);
/* Answers a verification done by the pool: the result's one JSON shape, or the error. */
struct sk_audit_verify_result;
void sk_api_audit_verify_finish(sk_http_rctx *r, sk_err e, const struct sk_audit_verify_result *res,
                                const char *msg);
void sk_api_audit_checkpoint(sk_http_rctx *r);
void sk_api_policy_show(sk_http_rctx *r);
void sk_api_policy_decide(sk_http_rctx *r);
void sk_api_policy_versions(sk_http_rctx *r);
void sk_api_policy_import(sk_http_rctx *r);
void sk_api_policy_diff(sk_http_rctx *r);
void sk_api_policy_activate(sk_http_rctx *r);
void sk_api_policy_set_show(sk_http_rctx *r);
void sk_api_policy_set_change(sk_http_rctx *r);
void sk_api_user_unlock(sk_http_rctx *r);
void sk_api_user_unused(sk_http_rctx *r);
void sk_api_user_totp_reset(sk_http_rctx *r);
void sk_api_incident_report(sk_http_rctx *r);
void sk_api_incident_list(sk_http_rctx *r);
void sk_api_incident_get(sk_http_rctx *r);
void sk_api_incident_escalate(sk_http_rctx *r);
void sk_api_incident_respond(sk_http_rctx *r);
void sk_api_incident_close(sk_http_rctx *r);
void sk_api_incident_attach(sk_http_rctx *r);
void sk_api_incident_attachment(sk_http_rctx *r);
void sk_api_totp_enroll(sk_http_rctx *r);
void sk_api_totp_confirm(sk_http_rctx *r);

#endif
