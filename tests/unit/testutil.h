/*
 * testutil: what unit tests share: fresh databases on every backend the run
 * has, temporary directories, and cmocka glue.
 *
 * Storage tests loop over sk_test_backends(): SQLite always; PostgreSQL when
 * the test script exported SEKISHO_TEST_PG (a libpq URL of a throwaway
 * cluster's maintenance database). With SEKISHO_REQUIRE_PG=1 a missing
 * PostgreSQL fails the test instead of being skipped.
 */
#ifndef SK_TESTUTIL_H
#define SK_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/actor.h"
#include "domain/ctx.h"
#include "store/store.h"

#define SK_TEST_MAX_BACKENDS 2

/* The backend names this run tests: "sqlite" and, when available, "postgresql". */
size_t sk_test_backends(const char *names[SK_TEST_MAX_BACKENDS]);

/*
 * Writes into url (of size n) the URL of a new, empty database on backend
 * ("sqlite" or "postgresql"). Fails the current test if it cannot.
 */
void sk_test_fresh_url(const char *backend, char *url, size_t n);

/* Opens a fresh database with its schema on backend; fails the test on error. */
sk_store *sk_test_open_fresh(const char *backend);

/* Calls fn once for each backend this run tests. */
void sk_test_each_backend(void (*fn)(const char *backend));

/* Defines a cmocka test fn_all(state) that runs fn(backend) on every backend. */
#define SK_TEST_EACH_BACKEND(fn)                                                                   \
	static void fn##_all(void **state)                                                         \
	{                                                                                          \
		(void)state;                                                                       \
		sk_test_each_backend(fn);                                                          \
	}

/*
 * Verifies the audit log of s (sk_audit_verify_store) and fails the current
 * test, saying why, unless it is intact. Returns the log's size.
 */
int64_t sk_test_log_intact(sk_store *s);

/* A new private temporary directory (removed by nobody: the test script owns TMPDIR). */
const char *sk_test_tmpdir(void);

/*
 * A context for actor on s, for one domain call in a test: one of a ring of
 * eight, the oldest released and reused, so that a few can be in use at once.
 */
sk_ctx *tu_ctx(sk_store *s, const sk_actor *actor);
/* The same with the profile given (borrowed), as the server hands its own on. */
sk_ctx *tu_ctx_pol(sk_store *s, const sk_policy *pol, const sk_actor *actor);

#endif
