/*
 * policy_hold: the installation's profile as the running server holds it,
 * taken up anew when another policy version is activated (by the API or by
 * the CLI, in another process) without a restart (docs/policy-versions.md).
 *
 * One holder owns the current profile through a reference-counted cell.
 * Every loop thread keeps a reference to the cell it serves under and every
 * job a request hands to the pool (a write, a login) shares its loop's
 * reference until the job is freed, so a request keeps the profile it
 * started with and an old profile is freed by whoever drops its last
 * reference, never while in use. Whether the active version changed is
 * asked of the database at most once a second (the active version's id: one
 * indexed row), by whichever loop thread dispatches first after the second
 * has passed; the swap is then seen by each loop at its next dispatch
 * through an atomic generation counter. An activation through this server
 * asks at once (sk_http_policy_check_soon).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "../core/sk_log.h"
#include "../domain/ctx.h"
#include "../domain/policyset.h"
#include "../domain/policyver.h"
#include "http_int.h"

struct sk_http_polref {
	sk_policy *pol;
	atomic_int refs;
};

static struct {
	pthread_mutex_t mu;
	sk_http_polref *current;    /* under mu; holds one reference of its own */
	atomic_uint_fast64_t gen;   /* bumped at every swap */
	atomic_int_fast64_t due_ms; /* when the database is next asked (monotonic ms) */
	atomic_flag asking;         /* one thread asks at a time */
	/* The policy set's last change the current profile was loaded with (set
	 * at start; then only the asking thread reads or writes it). */
	int64_t set_change;
} hold = {.mu = PTHREAD_MUTEX_INITIALIZER, .asking = ATOMIC_FLAG_INIT};

#define CHECK_EVERY_MS 1000

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static sk_http_polref *ref_new(sk_policy *pol)
{
	sk_http_polref *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->pol = pol;
	atomic_init(&r->refs, 1);
	return r;
}

void sk_http_policy_release(sk_http_polref *ref)
{
	if (ref && atomic_fetch_sub(&ref->refs, 1) == 1) {
		sk_policy_free(ref->pol);
		free(ref);
	}
}

sk_http_polref *sk_http_policy_share(sk_http_polref *ref)
{
	if (ref)
		atomic_fetch_add(&ref->refs, 1);
	return ref;
}

sk_policy *sk_http_polref_policy(const sk_http_polref *ref) { return ref ? ref->pol : NULL; }

sk_policy *sk_http_policy_acquire(sk_http_polref **ref)
{
	pthread_mutex_lock(&hold.mu);
	sk_http_polref *r = hold.current;
	if (r)
		atomic_fetch_add(&r->refs, 1);
	pthread_mutex_unlock(&hold.mu);
	*ref = r;
	return r ? r->pol : NULL;
}

sk_err sk_http_policy_start(sk_policy *pol, int64_t set_change, sk_buf *err)
{
	hold.set_change = set_change;
	sk_http_polref *r = ref_new(pol);
	if (!r)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	pthread_mutex_lock(&hold.mu);
	sk_http_polref *old = hold.current;
	hold.current = r;
	pthread_mutex_unlock(&hold.mu);
	atomic_fetch_add(&hold.gen, 1);
	atomic_store(&hold.due_ms, mono_ms() + CHECK_EVERY_MS);
	sk_http_policy_release(old);
	return SK_OK;
}

void sk_http_policy_stop(void)
{
	pthread_mutex_lock(&hold.mu);
	sk_http_polref *old = hold.current;
	hold.current = NULL;
	pthread_mutex_unlock(&hold.mu);
	sk_http_policy_release(old);
}

void sk_http_policy_check_soon(void) { atomic_store(&hold.due_ms, 0); }

/* The version the holder's profile was loaded from (0: none, a pre-versions installation). */
static int64_t current_version(void)
{
	pthread_mutex_lock(&hold.mu);
	int64_t v = hold.current ? sk_policy_stored_version(hold.current->pol) : 0;
	pthread_mutex_unlock(&hold.mu);
	return v;
}

/*
 * Asks the database for the active version and the policy set's last change
 * and, when either changed, loads the installation's policy with its set
 * (as the server's own start does) and swaps it in.
 */
static void ask(sk_store *s)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t active = 0, change = 0;
	sk_err e = sk_policyver_active_id(s, &active, &err);
	if (e == SK_ERR_NOT_FOUND || (!e && active == 0)) {
		sk_buf_free(&err);
		return; /* no versions (an installation older than them) */
	}
	if (!e)
		e = sk_policyset_last_change(s, &change, &err);
	if (!e && active == current_version() && change == hold.set_change) {
		sk_buf_free(&err);
		return; /* no change */
	}
	sk_policy *p = NULL;
	if (!e)
		e = sk_ctx_load_installation_profile(s, &p, &err);
	if (!e) {
		sk_http_polref *r = ref_new(p);
		if (!r) {
			sk_policy_free(p);
			e = SK_ERR_NOMEM;
		} else {
			pthread_mutex_lock(&hold.mu);
			sk_http_polref *old = hold.current;
			hold.current = r;
			pthread_mutex_unlock(&hold.mu);
			atomic_fetch_add(&hold.gen, 1);
			sk_http_policy_release(old);
			/* Scopes hold capabilities the profile grants: load them again. */
			sk_http_sessions_invalidate();
			sk_log(SK_LOG_INFO,
			       "policy version %" PRId64 " with its set (change %" PRId64
			       ") taken up",
			       active, change);
			hold.set_change = change;
		}
	}
	if (e)
		sk_log(SK_LOG_WARN,
		       "the active policy version cannot be taken up (%s); keeping "
		       "the current one",
		       err.data ? err.data : sk_err_str(e));
	sk_buf_free(&err);
}

void sk_http_policy_refresh(sk_http_thread *t, int64_t now_ms)
{
	if (now_ms >= atomic_load(&hold.due_ms) && !atomic_flag_test_and_set(&hold.asking)) {
		if (now_ms >= atomic_load(&hold.due_ms)) {
			atomic_store(&hold.due_ms, now_ms + CHECK_EVERY_MS);
			ask(t->store);
		}
		atomic_flag_clear(&hold.asking);
	}
	uint64_t g = atomic_load(&hold.gen);
	if (g == t->pol_gen && t->polref)
		return;
	sk_http_polref *old = t->polref;
	t->pol = sk_http_policy_acquire(&t->polref);
	t->pol_gen = g;
	sk_http_policy_release(old);
}

void sk_http_policy_thread_fini(sk_http_thread *t)
{
	sk_http_policy_release(t->polref);
	t->polref = NULL;
	t->pol = NULL;
}
