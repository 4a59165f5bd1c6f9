/*
 * dtest: what the domain tests share: row counts, a snapshot of everything a
 * domain operation may write, and the fault-seam loop that fails each write
 * and the commit of an operation in turn and checks that nothing changed.
 */
#ifndef SK_DTEST_H
#define SK_DTEST_H

#include <string.h>

#include <stdio.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "domain/actor.h"
#include "domain/ctx.h"
#include "domain/user.h"
#include "testutil.h"

/* A context for the CLI operator on s (testutil's ring: no sk_ctx_fini needed). */
static inline sk_ctx *dt_cli(sk_store *s) { return tu_ctx(s, sk_actor_cli()); }

/* An account acting in a test: its actor and login. */
typedef struct dt_who {
	sk_actor actor;
	char login[32];
} dt_who;

/* Adds an active account login in unit holding role (its temporary password discarded). */
static inline void dt_add_user(sk_store *s, const char *login, const char *unit, const char *role)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char temp[SK_PASSWORD_TEMP_MAX];
	const char *roles[] = {role};
	sk_user_new u = {.login = login, .name = login, .unit = unit, .roles = roles, .nroles = 1};
	if (sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err) != SK_OK)
		fail_msg("user add %s: %s", login, err.data);
	sk_buf_free(&err);
}

/* The account login as an actor. */
static inline dt_who dt_as(sk_store *s, const char *login)
{
	dt_who w;
	memset(&w, 0, sizeof(w));
	snprintf(w.login, sizeof(w.login), "%s", login);
	sk_val p[] = {sk_vtext(login)};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t id = 0;
	if (sk_store_query_int(s, "SELECT id FROM users WHERE login = ?", p, 1, &id, &err) != SK_OK)
		fail_msg("%s: %s", login, err.data);
	sk_buf_free(&err);
	w.actor = (sk_actor){.user_id = id, .address = "test"};
	return w;
}

static inline int64_t dt_count(sk_store *s, const char *sql)
{
	int64_t n = -1;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_store_query_int(s, sql, NULL, 0, &n, &err) != SK_OK)
		fail_msg("%s: %s", sql, err.data);
	sk_buf_free(&err);
	return n;
}

/* Everything an organization or account change could touch. */
typedef struct dt_snap {
	int64_t v[10];
} dt_snap;

static inline dt_snap dt_snapshot(sk_store *s)
{
	static const char *const q[] = {
	    "SELECT COUNT(*) FROM org_unit",
	    "SELECT COALESCE(SUM(id * COALESCE(parent_id, 0)), 0) FROM org_unit",
	    "SELECT COUNT(*) FROM users",
	    "SELECT COUNT(*) FROM users WHERE status = 'active'",
	    "SELECT COUNT(*) FROM role_assignment",
	    "SELECT COUNT(*) FROM password_history",
	    "SELECT COUNT(*) FROM audit_log",
	    "SELECT seq FROM audit_head",
	    "SELECT COUNT(*) FROM meta",
	    "SELECT COALESCE(SUM(COALESCE(disabled_at, 0)), 0) FROM users",
	};
	dt_snap sn;
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		sn.v[i] = dt_count(s, q[i]);
	return sn;
}

static inline void dt_assert_same(const dt_snap *a, const dt_snap *b, const char *what, int n)
{
	for (size_t i = 0; i < sizeof(a->v) / sizeof(a->v[0]); i++)
		if (a->v[i] != b->v[i])
			fail_msg(
			    "%s: failure injected at %d changed snapshot value %zu (%lld -> %lld)",
			    what, n, i, (long long)a->v[i], (long long)b->v[i]);
}

/* An operation under test; round counts the attempts so it can vary its names if it likes. */
typedef sk_err (*dt_op)(sk_store *s, void *ctx, sk_buf *err);

/*
 * Fails the 1st, 2nd, ... write of op until op gets through, then (on a
 * state where it can run again, which the op's ctx arranges) fails its
 * commit. Every failed attempt must leave the snapshot as it was, and the
 * write loop must have failed at least min_writes times: an operation that
 * writes less than its audit entry would is itself a bug.
 */
static inline void dt_fault_seam(sk_store *s, dt_op op, void *ctx, int min_writes, const char *what)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int n;
	for (n = 1; n < 400; n++) {
		dt_snap before = dt_snapshot(s);
		sk_store_fault(s, SK_FAULT_WRITE, n);
		sk_err e = op(s, ctx, &err);
		sk_store_fault(s, SK_FAULT_WRITE, 0);
		assert_false(sk_store_in_txn(s));
		if (e == SK_OK)
			break;
		if (e != SK_ERR_STORE)
			fail_msg("%s: write %d failed with %d: %s", what, n, e, err.data);
		dt_snap after = dt_snapshot(s);
		dt_assert_same(&before, &after, what, n);
	}
	if (n - 1 < min_writes)
		fail_msg("%s: only %d writes before success, expected at least %d", what, n - 1,
		         min_writes);
	sk_buf_free(&err);
}

/* Fails the commit of op once: nothing may change. The op must be runnable now. */
static inline void dt_fault_commit(sk_store *s, dt_op op, void *ctx, const char *what)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_snap before = dt_snapshot(s);
	sk_store_fault(s, SK_FAULT_COMMIT, 1);
	sk_err e = op(s, ctx, &err);
	sk_store_fault(s, SK_FAULT_COMMIT, 0);
	if (e != SK_ERR_STORE)
		fail_msg("%s: commit failure gave %d: %s", what, e, err.data);
	assert_false(sk_store_in_txn(s));
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, what, 0);
	sk_buf_free(&err);
}

/* Expects e to be code with a message containing text. */
#define dt_expect(e, code, err, text)                                                              \
	do {                                                                                       \
		sk_err got_ = (e);                                                                 \
		if (got_ != (code))                                                                \
			fail_msg("%s:%d: got error %d, expected %d: %s", __FILE__, __LINE__, got_, \
			         (code), (err)->data);                                             \
		if (!strstr((err)->data, (text)))                                                  \
			fail_msg("%s:%d: message '%s' lacks '%s'", __FILE__, __LINE__,             \
			         (err)->data, (text));                                             \
	} while (0)

#define dt_ok(e, err)                                                                              \
	do {                                                                                       \
		sk_err got_ = (e);                                                                 \
		if (got_ != SK_OK)                                                                 \
			fail_msg("%s:%d: error %d: %s", __FILE__, __LINE__, got_, (err)->data);    \
	} while (0)

/*
 * Creates the root unit "city" directly through sk_org_add as the CLI
 * operator, and records the hachioji profile as sekisho init would (chosen
 * passwords are checked against it).
 */
#include "domain/org.h"
static inline void dt_root(sk_store *s)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_ok(sk_store_meta_set(s, "policy.profile", "hachioji", &err), &err);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "city", "テスト市", "municipality", NULL, NULL,
	                 &err),
	      &err);
	sk_buf_free(&err);
}

#endif
