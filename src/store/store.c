/*
 * store: the backend-independent half of the storage interface: URL
 * dispatch, migrations, nested transaction bookkeeping and the fault seam.
 */
#include "store.h"
#include "store_int.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_clock.h"
#include "../core/sk_msg.h"

unsigned sk_store_sql_hash(const char *sql)
{
	unsigned h = 2166136261u;
	for (; *sql; sql++)
		h = (h ^ (unsigned char)*sql) * 16777619u;
	return h;
}

int64_t sk_row_int(const sk_row *r, size_t i)
{
	if (i >= r->ncols)
		return 0;
	const sk_val *v = &r->cols[i];
	if (v->type == SK_VAL_INT)
		return v->i;
	if (v->type == SK_VAL_TEXT)
		return strtoll(v->p, NULL, 10);
	return 0;
}

const char *sk_row_text(const sk_row *r, size_t i)
{
	if (i >= r->ncols || r->cols[i].type != SK_VAL_TEXT)
		return "";
	return r->cols[i].p;
}

bool sk_row_is_null(const sk_row *r, size_t i)
{
	return i >= r->ncols || r->cols[i].type == SK_VAL_NULL;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

sk_err sk_store_open(const char *url, unsigned flags, sk_store **out, sk_buf *err)
{
	*out = NULL;
	if (!url || !*url)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_STORE_DATABASE_GIVEN_USE_DB);
	sk_store *s = NULL;
	sk_err e;
	bool create = flags & SK_STORE_CREATE;
	if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
		e = sk_store_pg_open(url, &s, err);
	} else if (starts_with(url, "sqlite:")) {
		const char *path = url + strlen("sqlite:");
		/* Accept sqlite:///abs/path as well as sqlite:path. */
		if (starts_with(path, "//"))
			path += 2;
		if (!*path)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_STORE_DATABASE_URL_NAMES_FILE, url);
		e = sk_store_sqlite_open(path, create, &s, err);
	} else if (strstr(url, "://")) {
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_STORE_UNSUPPORTED_DATABASE_URL_EXPECTED, url);
	} else {
		e = sk_store_sqlite_open(url, create, &s, err);
	}
	if (e)
		return e;
	s->url = strdup(url);
	if (!s->url) {
		sk_store_close(s);
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	}

	bool has = false;
	e = s->ops->table_exists(s, "schema_migrations", &has, err);
	if (!e && !has && !create)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL,
		                SK_M_STORE_SEKISHO_DATABASE_CREATE_SEKISHO, url);
	int64_t version = 0;
	if (!e && has)
		e = sk_store_schema_version(s, &version, err);
	if (!e && version > (int64_t)s->ops->nmigrations)
		e = sk_fail_msg(err, SK_ERR_UNSUPPORTED, NULL, NULL,
		                SK_M_STORE_DATABASE_SCHEMA_VERSION_NEWER, (long long)version,
		                s->ops->nmigrations);
	if (!e && version < (int64_t)s->ops->nmigrations) {
		e = sk_store_begin(s, err);
		for (size_t i = (size_t)version; !e && i < s->ops->nmigrations; i++) {
			if (!s->ops->migrations[i]) {
				e = sk_fail(err, SK_ERR_INTERNAL, "schema migration %zu is missing",
				            i + 1);
				break;
			}
			e = s->ops->exec_script(s, s->ops->migrations[i], err);
			if (!e) {
				sk_val p[] = {SK_VINT(i + 1), SK_VINT(sk_clock_now())};
				e = sk_store_exec(s,
				                  "INSERT INTO schema_migrations(version, "
				                  "applied_at) VALUES (?, ?)",
				                  p, 2, NULL, err);
			}
		}
		if (e)
			sk_store_rollback(s);
		else
			e = sk_store_commit(s, err);
	}
	if (e) {
		sk_store_close(s);
		return e;
	}
	*out = s;
	return SK_OK;
}

sk_err sk_store_file_beside(const char *url, const char *suffix, const char *env, sk_msg_id no_file,
                            sk_buf *out, sk_buf *err)
{
	const char *given = env ? getenv(env) : NULL;
	if (given && *given)
		return sk_buf_adds(out, given) ? sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL,
		                                             SK_M_STORE_PATH_TOO_LONG, env)
		                               : SK_OK;
	if (!url || !*url)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_STORE_DATABASE_GIVEN);
	if (starts_with(url, "postgresql://") || starts_with(url, "postgres://"))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, no_file);
	const char *path = url;
	if (starts_with(path, "sqlite:")) {
		path += strlen("sqlite:");
		if (starts_with(path, "//"))
			path += 2;
	}
	if (!*path || strcmp(path, ":memory:") == 0)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_STORE_DATABASE_URL_NAMES_FILE, url);
	if (sk_buf_addf(out, "%s%s", path, suffix))
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_STORE_PATH_TOO_LONG,
		                   suffix);
	return SK_OK;
}

void sk_store_close(sk_store *s)
{
	if (!s)
		return;
	if (s->txn_depth)
		s->ops->rollback(s);
	if (s->org_view_free)
		s->org_view_free(s->org_view);
	free(s->url);
	s->ops->close(s);
}

const char *sk_store_backend(const sk_store *s) { return s->ops->name; }

int64_t sk_store_schema_latest(const sk_store *s) { return (int64_t)s->ops->nmigrations; }

sk_err sk_store_schema_version(sk_store *s, int64_t *out, sk_buf *err)
{
	*out = 0;
	sk_err e = sk_store_query_int(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
	                              NULL, 0, out, err);
	return e == SK_ERR_NOT_FOUND ? SK_OK : e;
}

/* Every store's txn_epoch values come from this one counter, so none repeats. */
static atomic_uint_fast64_t epochs;

static void new_epoch(sk_store *s) { s->txn_epoch = (uint64_t)atomic_fetch_add(&epochs, 1) + 1; }

sk_err sk_store_begin(sk_store *s, sk_buf *err)
{
	if (s->txn_depth++ > 0)
		return SK_OK;
	new_epoch(s);
	s->txn_failed = false;
	sk_err e = s->ops->begin(s, err);
	if (e)
		s->txn_depth = 0;
	return e;
}

sk_err sk_store_commit(sk_store *s, sk_buf *err)
{
	if (s->txn_depth <= 0)
		return sk_fail(err, SK_ERR_INTERNAL, "commit without a transaction");
	if (--s->txn_depth > 0)
		return SK_OK;
	new_epoch(s);
	if (s->txn_failed) {
		s->ops->rollback(s);
		return sk_fail(err, SK_ERR_STORE,
		               "transaction rolled back after an earlier failure");
	}
	if (s->fault_commit > 0 && --s->fault_commit == 0) {
		s->ops->rollback(s);
		return sk_fail(err, SK_ERR_STORE, "injected commit failure");
	}
	sk_err e = s->ops->commit(s, err);
	if (e)
		s->ops->rollback(s);
	return e;
}

void sk_store_rollback(sk_store *s)
{
	if (s->txn_depth <= 0)
		return;
	new_epoch(s);
	if (--s->txn_depth > 0) {
		s->txn_failed = true;
		return;
	}
	s->ops->rollback(s);
}

sk_err sk_store_end(sk_store *s, sk_err e, sk_buf *err)
{
	if (e) {
		sk_store_rollback(s);
		return e;
	}
	return sk_store_commit(s, err);
}

bool sk_store_in_txn(const sk_store *s) { return s->txn_depth > 0; }

static sk_err savepoint_sql(sk_store *s, const char *verb, const char *name, sk_buf *err)
{
	char sql[128];
	if (s->txn_depth <= 0)
		return sk_fail(err, SK_ERR_INTERNAL, "%s outside a transaction", verb);
	/* Copied, not formatted: the group-commit writer runs two of these per write. */
	size_t nv = strlen(verb), nn = strlen(name);
	if (nv + 1 + nn >= sizeof(sql))
		return sk_fail(err, SK_ERR_INTERNAL, "savepoint name too long");
	memcpy(sql, verb, nv + 1);
	sql[nv] = ' ';
	memcpy(sql + nv + 1, name, nn + 1);
	return s->ops->exec(s, sql, NULL, 0, NULL, NULL, NULL, err);
}

sk_err sk_store_savepoint(sk_store *s, const char *name, sk_buf *err)
{
	return savepoint_sql(s, "SAVEPOINT", name, err);
}

sk_err sk_store_release(sk_store *s, const char *name, sk_buf *err)
{
	return savepoint_sql(s, "RELEASE SAVEPOINT", name, err);
}

sk_err sk_store_rollback_to(sk_store *s, const char *name, sk_buf *err)
{
	new_epoch(s);
	sk_err e = savepoint_sql(s, "ROLLBACK TO SAVEPOINT", name, err);
	if (!e)
		s->txn_failed = false;
	return e;
}

static bool is_read(const char *sql)
{
	while (isspace((unsigned char)*sql))
		sql++;
	return strncasecmp(sql, "SELECT", 6) == 0 || strncasecmp(sql, "WITH", 4) == 0;
}

static sk_err run(sk_store *s, const char *sql, const sk_val *params, size_t n, sk_row_fn fn,
                  void *ctx, int64_t *changed, sk_buf *err)
{
	if (s->fault_write > 0 && !is_read(sql) && --s->fault_write == 0)
		return sk_fail(err, SK_ERR_STORE, "injected write failure");
	return s->ops->exec(s, sql, params, n, fn, ctx, changed, err);
}

sk_err sk_store_exec(sk_store *s, const char *sql, const sk_val *params, size_t n, int64_t *changed,
                     sk_buf *err)
{
	return run(s, sql, params, n, NULL, NULL, changed, err);
}

sk_err sk_store_query(sk_store *s, const char *sql, const sk_val *params, size_t n, sk_row_fn fn,
                      void *ctx, sk_buf *err)
{
	return run(s, sql, params, n, fn, ctx, NULL, err);
}

sk_err sk_store_insert(sk_store *s, const char *sql, const sk_val *params, size_t n, int64_t *id,
                       sk_buf *err)
{
	if (s->fault_write > 0 && --s->fault_write == 0)
		return sk_fail(err, SK_ERR_STORE, "injected write failure");
	return s->ops->insert(s, sql, params, n, id, err);
}

struct one_int {
	bool seen;
	int64_t v;
};

static sk_err take_int(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct one_int *o = ctx;
	if (!o->seen) {
		o->seen = true;
		o->v = sk_row_int(row, 0);
	}
	return SK_OK;
}

sk_err sk_store_query_int(sk_store *s, const char *sql, const sk_val *params, size_t n,
                          int64_t *out, sk_buf *err)
{
	struct one_int o = {false, 0};
	sk_err e = sk_store_query(s, sql, params, n, take_int, &o, err);
	if (e)
		return e;
	if (!o.seen)
		return SK_ERR_NOT_FOUND;
	*out = o.v;
	return SK_OK;
}

void sk_store_fault(sk_store *s, sk_fault_kind kind, int64_t n)
{
	if (kind == SK_FAULT_WRITE)
		s->fault_write = n;
	else
		s->fault_commit = n;
}

struct text_out {
	bool seen;
	sk_buf *out;
	sk_err e;
};

static sk_err take_text(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct text_out *t = ctx;
	t->seen = true;
	sk_buf_reset(t->out);
	return sk_buf_adds(t->out, sk_row_text(row, 0));
}

sk_err sk_store_meta_get(sk_store *s, const char *key, sk_buf *out, sk_buf *err)
{
	struct text_out t = {false, out, SK_OK};
	sk_val p[] = {sk_vtext(key)};
	sk_err e =
	    sk_store_query(s, "SELECT value FROM meta WHERE key = ?", p, 1, take_text, &t, err);
	if (e)
		return e;
	return t.seen ? SK_OK : SK_ERR_NOT_FOUND;
}

sk_err sk_store_meta_set(sk_store *s, const char *key, const char *value, sk_buf *err)
{
	sk_val p[] = {sk_vtext(key), sk_vtext(value)};
	return sk_store_exec(s,
	                     "INSERT INTO meta(key, value) VALUES (?, ?) "
	                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	                     p, 2, NULL, err);
}
