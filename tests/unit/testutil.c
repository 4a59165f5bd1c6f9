/* testutil: fresh databases for storage tests, and the checks many tests share. */
#include "testutil.h"

#include "domain/actor.h"
#include "domain/ctx.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/verify.h"

size_t sk_test_backends(const char *names[SK_TEST_MAX_BACKENDS])
{
	size_t n = 0;
	names[n++] = "sqlite";
	const char *pg = getenv("SEKISHO_TEST_PG");
	if (pg && *pg) {
		names[n++] = "postgresql";
	} else {
		const char *req = getenv("SEKISHO_REQUIRE_PG");
		if (req && strcmp(req, "1") == 0)
			fail_msg("SEKISHO_REQUIRE_PG=1 but SEKISHO_TEST_PG is not set");
	}
	return n;
}

const char *sk_test_tmpdir(void)
{
	static char path[4096];
	const char *base = getenv("TMPDIR");
	snprintf(path, sizeof(path), "%s/sk-unit-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(path))
		fail_msg("mkdtemp failed");
	return path;
}

static unsigned counter;

void sk_test_fresh_url(const char *backend, char *url, size_t n)
{
	if (strcmp(backend, "sqlite") == 0) {
		snprintf(url, n, "sqlite:%s/test.db", sk_test_tmpdir());
		return;
	}
	const char *admin = getenv("SEKISHO_TEST_PG");
	assert_non_null(admin);
	PGconn *c = PQconnectdb(admin);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("cannot reach the test PostgreSQL: %s", PQerrorMessage(c));
	char name[64], sql[128];
	snprintf(name, sizeof(name), "sk_t%ld_%u", (long)getpid(), counter++);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("CREATE DATABASE failed: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	/* The admin URL names the maintenance database as its path: swap in ours. */
	const char *q = strchr(admin, '?');
	const char *slash = strstr(admin, "://");
	slash = slash ? strchr(slash + 3, '/') : NULL;
	if (!slash || (q && slash > q))
		fail_msg("SEKISHO_TEST_PG must look like postgresql://HOST/DB?...");
	snprintf(url, n, "%.*s/%s%s", (int)(slash - admin), admin, name, q ? q : "");
}

sk_store *sk_test_open_fresh(const char *backend)
{
	char url[4096];
	sk_test_fresh_url(backend, url, sizeof(url));
	sk_store *s = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_store_open(url, SK_STORE_CREATE, &s, &err);
	if (e)
		fail_msg("opening %s failed: %s", url, err.data);
	sk_buf_free(&err);
	return s;
}

void sk_test_each_backend(void (*fn)(const char *backend))
{
	const char *names[SK_TEST_MAX_BACKENDS];
	size_t n = sk_test_backends(names);
	for (size_t i = 0; i < n; i++)
		fn(names[i]);
}

int64_t sk_test_log_intact(sk_store *s)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_audit_verify_opts o = {0};
	sk_audit_verify_result r;
	sk_audit_verify_result_init(&r);
	if (sk_audit_verify_store(s, &o, &r, &err))
		fail_msg("audit verify could not run: %s", err.data);
	if (!r.intact)
		fail_msg("the audit log is not intact: %s", r.why.data);
	int64_t size = (int64_t)r.size;
	sk_audit_verify_result_free(&r);
	sk_buf_free(&err);
	return size;
}

sk_ctx *tu_ctx_pol(sk_store *s, const sk_policy *pol, const sk_actor *actor)
{
	static sk_ctx ring[8];
	static unsigned next;
	sk_ctx *c = &ring[next++ % 8];
	sk_ctx_fini(c);
	sk_ctx_init(c, s, pol, actor);
	return c;
}

sk_ctx *tu_ctx(sk_store *s, const sk_actor *actor) { return tu_ctx_pol(s, NULL, actor); }
