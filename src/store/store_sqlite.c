/*
 * store_sqlite: the embedded backend. One file in WAL mode with
 * synchronous=FULL, so a commit that returned is on disk. Prepared statements
 * are cached by their SQL text: domain code passes string literals, so the
 * cache stays small and every statement is compiled once per connection.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.h"
#include "store.h"
#include "store_int.h"
#include "../core/sk_msg.h"

#define CACHE_SLOTS 128u
#define PTR_SLOTS   64u

struct cached {
	char *sql;
	sqlite3_stmt *stmt;
};

typedef struct sqlite_store {
	sk_store base; /* first: the wrappers see only this */
	sqlite3 *db;
	struct cached cache[CACHE_SLOTS];
	/* A shortcut to a cache slot by the address of the SQL text last found
	 * there: domain code passes literals, whose address is stable, and a hit
	 * costs one string compare instead of hashing the text. The compare is
	 * what makes a hit correct: a reused buffer with other SQL misses. */
	struct {
		const char *sql;
		unsigned slot;
	} by_ptr[PTR_SLOTS];
} sqlite_store;

static sqlite_store *cast(sk_store *s) { return (sqlite_store *)s; }

static sk_err map_rc(sqlite3 *db, int rc, sk_buf *err)
{
	int ext = db ? sqlite3_extended_errcode(db) : rc;
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
			return sk_fail(err, SK_ERR_EXISTS, "%s", msg);
		return sk_fail(err, SK_ERR_CONFLICT, "%s", msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return sk_fail_msg(err, SK_ERR_TEMPFAIL, NULL, NULL, SK_M_STORE_DATABASE_BUSY, msg);
	case SQLITE_NOMEM:
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	case SQLITE_TOOBIG:
		return sk_fail(err, SK_ERR_TOO_BIG, "%s", msg);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return sk_fail_msg(err, SK_ERR_STORE, NULL, NULL,
		                   SK_M_STORE_DATABASE_FILE_DAMAGED_DATABASE, msg);
	default:
		return sk_fail(err, SK_ERR_STORE, "SQLite: %s", msg);
	}
}

static sk_err prepare(sqlite_store *ss, const char *sql, sqlite3_stmt **out, sk_buf *err)
{
	unsigned pi = (unsigned)(((uintptr_t)sql >> 3) % PTR_SLOTS);
	if (ss->by_ptr[pi].sql == sql) {
		struct cached *c = &ss->cache[ss->by_ptr[pi].slot];
		if (c->sql && strcmp(c->sql, sql) == 0) {
			*out = c->stmt;
			return SK_OK;
		}
	}
	unsigned h = sk_store_sql_hash(sql);
	for (unsigned probe = 0; probe < 8; probe++) {
		unsigned slot = (h + probe) % CACHE_SLOTS;
		struct cached *c = &ss->cache[slot];
		if (c->sql && strcmp(c->sql, sql) == 0) {
			ss->by_ptr[pi].sql = sql;
			ss->by_ptr[pi].slot = slot;
			*out = c->stmt;
			return SK_OK;
		}
		if (!c->sql) {
			int rc = sqlite3_prepare_v3(ss->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			                            &c->stmt, NULL);
			if (rc != SQLITE_OK)
				return map_rc(ss->db, rc, err);
			c->sql = strdup(sql);
			if (!c->sql) {
				sqlite3_finalize(c->stmt);
				c->stmt = NULL;
				return sk_fail(err, SK_ERR_NOMEM, "out of memory");
			}
			ss->by_ptr[pi].sql = sql;
			ss->by_ptr[pi].slot = slot;
			*out = c->stmt;
			return SK_OK;
		}
	}
	/* The neighbourhood is full: compile without caching; the caller finalizes. */
	*out = NULL;
	return SK_OK;
}

static sk_err bind_all(sqlite_store *ss, sqlite3_stmt *st, const sk_val *p, size_t n, sk_buf *err)
{
	if ((int)n != sqlite3_bind_parameter_count(st))
		return sk_fail(err, SK_ERR_INTERNAL, "statement takes %d parameters, %zu given",
		               sqlite3_bind_parameter_count(st), n);
	for (size_t i = 0; i < n; i++) {
		int rc, col = (int)i + 1;
		switch (p[i].type) {
		case SK_VAL_NULL:
			rc = sqlite3_bind_null(st, col);
			break;
		case SK_VAL_INT:
			rc = sqlite3_bind_int64(st, col, p[i].i);
			break;
		case SK_VAL_TEXT:
			rc = sqlite3_bind_text64(st, col, p[i].p, p[i].n, SQLITE_STATIC,
			                         SQLITE_UTF8);
			break;
		default:
			rc = sqlite3_bind_blob64(st, col, p[i].p, p[i].n, SQLITE_STATIC);
			break;
		}
		if (rc != SQLITE_OK)
			return map_rc(ss->db, rc, err);
	}
	return SK_OK;
}

#define MAX_COLS 64

static sk_err step_all(sqlite_store *ss, sqlite3_stmt *st, sk_row_fn fn, void *ctx, sk_buf *err)
{
	sk_val cols[MAX_COLS];
	int ncols = sqlite3_column_count(st);
	if (ncols > MAX_COLS)
		return sk_fail(err, SK_ERR_INTERNAL,
		               "query returns %d columns, at most %d supported", ncols, MAX_COLS);
	for (;;) {
		int rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			return SK_OK;
		if (rc != SQLITE_ROW)
			return map_rc(ss->db, rc, err);
		if (!fn)
			continue;
		/* One sqlite3_column_value per column, then the value accessors:
		 * each sqlite3_column_* call enters and leaves the connection's
		 * mutex and checks the statement again, a third of the cost of
		 * reading a wide row. The values are "unprotected", which is fine
		 * on a connection one thread uses at a time (SQLITE_OPEN_NOMUTEX). */
		for (int i = 0; i < ncols; i++) {
			sqlite3_value *v = sqlite3_column_value(st, i);
			switch (sqlite3_value_type(v)) {
			case SQLITE_NULL:
				cols[i] = SK_VNULL;
				break;
			case SQLITE_INTEGER:
				cols[i] = SK_VINT(sqlite3_value_int64(v));
				break;
			case SQLITE_BLOB: {
				const void *b = sqlite3_value_blob(v);
				cols[i] = SK_VBLOB(b, (size_t)sqlite3_value_bytes(v));
				break;
			}
			default: { /* TEXT, and FLOAT rendered as text */
				const char *t = (const char *)sqlite3_value_text(v);
				cols[i] = SK_VTEXTN(t ? t : "", (size_t)sqlite3_value_bytes(v));
				break;
			}
			}
		}
		sk_row row = {(size_t)ncols, cols};
		sk_err e = fn(ctx, &row, err);
		if (e)
			return e;
	}
}

static sk_err s_exec(sk_store *s, const char *sql, const sk_val *params, size_t n, sk_row_fn fn,
                     void *ctx, int64_t *changed, sk_buf *err)
{
	sqlite_store *ss = cast(s);
	sqlite3_stmt *st = NULL;
	bool owned = false;
	sk_err e = prepare(ss, sql, &st, err);
	if (e)
		return e;
	if (!st) {
		int rc = sqlite3_prepare_v2(ss->db, sql, -1, &st, NULL);
		if (rc != SQLITE_OK)
			return map_rc(ss->db, rc, err);
		owned = true;
	}
	e = bind_all(ss, st, params, n, err);
	if (!e)
		e = step_all(ss, st, fn, ctx, err);
	if (!e && changed)
		*changed = sqlite3_changes64(ss->db);
	/* A cached statement's parameters need no clearing: bind_all binds every one of them
	 * on each run (it refuses a count that differs), and nothing reads them in between. */
	if (owned)
		sqlite3_finalize(st);
	else
		sqlite3_reset(st);
	return e;
}

/* The id SQLite gave the row: no RETURNING (a temporary table built and dropped per run). */
static sk_err s_insert(sk_store *s, const char *sql, const sk_val *params, size_t n, int64_t *id,
                       sk_buf *err)
{
	int64_t changed = 0;
	sk_err e = s_exec(s, sql, params, n, NULL, NULL, &changed, err);
	if (e)
		return e;
	if (changed != 1)
		return sk_fail(err, SK_ERR_STORE, "an insert of one row added %lld",
		               (long long)changed);
	/* The connection's last rowid: the row's id (INTEGER PRIMARY KEY), not a trigger's. */
	*id = sqlite3_last_insert_rowid(cast(s)->db);
	return SK_OK;
}

static sk_err s_script(sk_store *s, const char *sql, sk_buf *err)
{
	sqlite_store *ss = cast(s);
	int rc = sqlite3_exec(ss->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? SK_OK : map_rc(ss->db, rc, err);
}

/*
 * BEGIN and COMMIT run from the statement cache like any other statement:
 * through sqlite3_exec each was parsed and compiled again on every
 * transaction (about 3,000 instructions each).
 */
static sk_err s_begin(sk_store *s, sk_buf *err)
{
	/* IMMEDIATE takes the write lock now, so two writers queue instead of deadlocking. */
	return s_exec(s, "BEGIN IMMEDIATE", NULL, 0, NULL, NULL, NULL, err);
}

static sk_err s_commit(sk_store *s, sk_buf *err)
{
	return s_exec(s, "COMMIT", NULL, 0, NULL, NULL, NULL, err);
}

static void s_rollback(sk_store *s)
{
	sqlite_store *ss = cast(s);
	if (!sqlite3_get_autocommit(ss->db))
		sqlite3_exec(ss->db, "ROLLBACK", NULL, NULL, NULL);
}

static sk_err s_table_exists(sk_store *s, const char *table, bool *out, sk_buf *err)
{
	int64_t n = 0;
	sk_val p[] = {sk_vtext(table)};
	sk_err e = sk_store_query_int(
	    s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", p, 1, &n,
	    err);
	*out = !e && n > 0;
	return e;
}

static void s_close(sk_store *s)
{
	sqlite_store *ss = cast(s);
	for (unsigned i = 0; i < CACHE_SLOTS; i++) {
		if (ss->cache[i].sql) {
			sqlite3_finalize(ss->cache[i].stmt);
			free(ss->cache[i].sql);
		}
	}
	sqlite3_close_v2(ss->db);
	free(ss);
}

static const struct sk_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = s_close,
    .begin = s_begin,
    .commit = s_commit,
    .rollback = s_rollback,
    .exec = s_exec,
    .insert = s_insert,
    .table_exists = s_table_exists,
    .exec_script = s_script,
    .migrations = sk_schema_sqlite,
    .nmigrations = SK_SCHEMA_VERSION,
};

/* SQLite's memory statistics take a global mutex on every allocation; nothing here reads
 * them. sqlite3_config works only before the library initializes (it fails harmlessly,
 * SQLITE_MISUSE, if something else in the process initialized it first). */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static void configure(void) { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

sk_err sk_store_sqlite_open(const char *path, bool create, sk_store **out, sk_buf *err)
{
	*out = NULL;
	pthread_once(&config_once, configure);
	if (!create && access(path, F_OK) != 0)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL,
		                   SK_M_STORE_DATABASE_CREATE_SEKISHO_INIT, path);
	if (access(path, F_OK) == 0) {
		struct stat st;
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			return sk_fail_msg(err, SK_ERR_STORE, NULL, NULL, SK_M_STORE_REGULAR_FILE,
			                   path);
		if (access(path, R_OK | W_OK) != 0)
			return sk_fail_msg(err, SK_ERR_STORE, NULL, NULL,
			                   SK_M_STORE_CANNOT_READ_WRITE_DATABASE, path);
	}
	sqlite_store *ss = calloc(1, sizeof(*ss));
	if (!ss)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	ss->base.ops = &sqlite_ops;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &ss->db, flags, NULL);
	if (rc != SQLITE_OK) {
		sk_fail_msg(err, SK_ERR_STORE, NULL, NULL, SK_M_STORE_CANNOT_OPEN_DATABASE, path,
		            ss->db ? sqlite3_errmsg(ss->db) : sqlite3_errstr(rc));
		sqlite3_close_v2(ss->db);
		free(ss);
		return SK_ERR_STORE;
	}
	sqlite3_extended_result_codes(ss->db, 1);
	sqlite3_busy_timeout(ss->db, 10000);
	/*
	 * temp_store=MEMORY: a savepoint journals each page it first touches, and
	 * SQLite spills that sub-journal to a temporary file past 64 KiB. The
	 * group-commit writer runs every write of a batch in its own savepoint, so
	 * a filing wrote about 80 KiB to /var/tmp in small pwrites, nine times what
	 * it wrote to the WAL (docs/performance.md). The sub-journal only serves a
	 * rollback inside the transaction; durability is the WAL's. Sorts and
	 * temporary tables then stay in memory too, which a city's register affords.
	 */
	const char *setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
	                    "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF; "
	                    "PRAGMA temp_store=MEMORY;";
	sk_err e = s_script(&ss->base, setup, err);
	if (e) {
		sk_buf msg = SK_BUF_INIT(SK_BUF_MSG_MAX);
		sk_buf_adds(&msg, err ? err->data : "");
		sk_fail_msg(err, SK_ERR_STORE, NULL, NULL, SK_M_STORE_CANNOT_USE_DATABASE, path,
		            msg.data);
		sk_buf_free(&msg);
		s_close(&ss->base);
		return SK_ERR_STORE;
	}
	*out = &ss->base;
	return SK_OK;
}
