/*
 * store: the one storage interface of sekisho.
 *
 * Domain code speaks a small portable SQL (the subset SQLite and PostgreSQL
 * share: `?` placeholders, INSERT ... RETURNING, integers for booleans and
 * times) through these wrappers; each backend implements struct
 * sk_store_ops (after SQLite's sqlite3_io_methods). The wrappers add what
 * every backend needs the same way: transaction bookkeeping, schema
 * migrations and a fault-injection seam for tests.
 *
 * A store is used by one thread at a time. Values passed in are borrowed for
 * the duration of the call; row values handed to a callback are valid only
 * during that callback. TEXT values are always NUL-terminated.
 */
#ifndef SK_STORE_H
#define SK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../core/sk_buf.h"
#include "../core/sk_msg.h"

typedef enum { SK_VAL_NULL, SK_VAL_INT, SK_VAL_TEXT, SK_VAL_BLOB } sk_val_type;

typedef struct sk_val {
	sk_val_type type;
	int64_t i;
	const char *p; /* TEXT or BLOB bytes */
	size_t n;
} sk_val;

#define SK_VNULL          ((sk_val){.type = SK_VAL_NULL})
#define SK_VINT(x)        ((sk_val){.type = SK_VAL_INT, .i = (int64_t)(x)})
#define SK_VTEXTN(s, len) ((sk_val){.type = SK_VAL_TEXT, .p = (s), .n = (len)})
#define SK_VBLOB(s, len)  ((sk_val){.type = SK_VAL_BLOB, .p = (const char *)(s), .n = (len)})
/* A NUL-terminated string; NULL becomes SQL NULL. */
static inline sk_val sk_vtext(const char *s) { return s ? SK_VTEXTN(s, strlen(s)) : SK_VNULL; }

/* One result row: ncols values in select-list order. */
typedef struct sk_row {
	size_t ncols;
	const sk_val *cols;
} sk_row;

/* Accessors that tolerate NULL: int gives 0, text gives "". */
int64_t sk_row_int(const sk_row *r, size_t i);
const char *sk_row_text(const sk_row *r, size_t i);
bool sk_row_is_null(const sk_row *r, size_t i);

/*
 * Called once per result row. Returning anything but SK_OK stops the query
 * and becomes its result.
 */
typedef sk_err (*sk_row_fn)(void *ctx, const sk_row *row, sk_buf *err);

typedef struct sk_store sk_store;

struct sk_store_ops {
	const char *name; /* "sqlite" or "postgresql" */
	void (*close)(sk_store *s);
	sk_err (*begin)(sk_store *s, sk_buf *err);
	sk_err (*commit)(sk_store *s, sk_buf *err);
	void (*rollback)(sk_store *s);
	/*
	 * Runs one statement with n parameters bound to the `?` marks in order.
	 * Rows, if any, go to fn (which may be NULL); *changed, when not NULL,
	 * receives the number of rows an INSERT/UPDATE/DELETE touched.
	 */
	sk_err (*exec)(sk_store *s, const char *sql, const sk_val *params, size_t n, sk_row_fn fn,
	               void *ctx, int64_t *changed, sk_buf *err);
	/*
	 * Runs an INSERT of one row (no RETURNING clause) into a table keyed by
	 * an integer column id, and gives that row's id.
	 */
	sk_err (*insert)(sk_store *s, const char *sql, const sk_val *params, size_t n, int64_t *id,
	                 sk_buf *err);
	/* Whether a table of that name exists. */
	sk_err (*table_exists)(sk_store *s, const char *table, bool *out, sk_buf *err);
	/* Runs a script of several statements without parameters (migrations). */
	sk_err (*exec_script)(sk_store *s, const char *sql, sk_buf *err);
	/* Schema migrations, oldest first; migration i brings the schema to version i+1. */
	const char *const *migrations;
	size_t nmigrations;
};

/* What the fault seam can be told to fail. */
typedef enum { SK_FAULT_WRITE, SK_FAULT_COMMIT } sk_fault_kind;

/* The part of every backend's handle that the wrappers manage. */
struct sk_store {
	const struct sk_store_ops *ops;
	int txn_depth;        /* 0: no transaction; nested begin/commit pairs only count */
	bool txn_failed;      /* an inner failure dooms the outer transaction */
	int64_t fault_write;  /* fail the Nth write from now (0: off) */
	int64_t fault_commit; /* fail the Nth commit from now (0: off) */
	char *url;            /* the URL the store was opened with */
	/*
	 * Changes (to a value no store has had before, never 0) whenever the
	 * outermost transaction begins or ends and whenever a rollback (to a
	 * savepoint, or an inner one) may have undone something: a module may
	 * keep what it wrote in this transaction in memory for as long as this
	 * is unchanged (the audit log's head, src/audit/audit.c).
	 */
	uint64_t txn_epoch;
	/*
	 * That memory, kept here with the handle so that it follows the
	 * connection whatever thread uses it: the audit log's newest seq and
	 * leaf hash, trusted only while memo_epoch == txn_epoch. Only audit.c
	 * reads or writes these.
	 */
	uint64_t memo_epoch;
	int64_t memo_seq;
	unsigned char memo_hash[32];
	/*
	 * The organization view read on this connection (src/domain/orgview.h),
	 * kept here for the same reason; org_view_free releases it when the store
	 * closes. Only orgview.c reads or writes these.
	 */
	void *org_view;
	void (*org_view_free)(void *view);
};

/* Flags for sk_store_open. */
#define SK_STORE_CREATE 1u /* create the database and its schema if there is none */

/*
 * Opens the store named by url: a path or "sqlite:PATH" for SQLite,
 * "postgresql://..." or "postgres://..." for PostgreSQL, and brings an
 * existing schema up to date in one transaction. Without SK_STORE_CREATE a
 * missing or empty database is an error naming the URL; with it, the schema
 * is created. A database newer than this build is refused.
 * On success *out is the caller's, to be closed with sk_store_close.
 */
sk_err sk_store_open(const char *url, unsigned flags, sk_store **out, sk_buf *err);
void sk_store_close(sk_store *s);
/* "sqlite" or "postgresql". */
const char *sk_store_backend(const sk_store *s);
/* The schema version the database is at, and the one this build expects. */
sk_err sk_store_schema_version(sk_store *s, int64_t *out, sk_buf *err);
int64_t sk_store_schema_latest(const sk_store *s);

/*
 * Transactions. begin/commit nest: only the outermost pair reaches the
 * database, so a domain function may open one whether or not its caller has.
 * After any failure inside, the outermost commit rolls back and fails.
 * rollback always ends the whole transaction.
 */
sk_err sk_store_begin(sk_store *s, sk_buf *err);
sk_err sk_store_commit(sk_store *s, sk_buf *err);
void sk_store_rollback(sk_store *s);
/*
 * Ends the transaction the caller began by what happened inside it: e (an
 * error) rolls back and is returned; SK_OK commits and returns the commit's
 * answer. The one ending every write path needs, so it is not re-written in each.
 */
sk_err sk_store_end(sk_store *s, sk_err e, sk_buf *err);
bool sk_store_in_txn(const sk_store *s);

/*
 * Savepoints inside a transaction (same SQL on both backends), for running
 * several independent operations in one transaction: group commit
 * (src/store/writer.h). rollback_to undoes what followed the savepoint and
 * lifts the doom an inner failure since then put on the transaction; the
 * caller must only use it when nothing failed before the savepoint. name is
 * a fixed SQL identifier, never input.
 */
sk_err sk_store_savepoint(sk_store *s, const char *name, sk_buf *err);
sk_err sk_store_release(sk_store *s, const char *name, sk_buf *err);
sk_err sk_store_rollback_to(sk_store *s, const char *name, sk_buf *err);

/* Statements; see struct sk_store_ops.exec. */
sk_err sk_store_exec(sk_store *s, const char *sql, const sk_val *params, size_t n, int64_t *changed,
                     sk_buf *err);
sk_err sk_store_query(sk_store *s, const char *sql, const sk_val *params, size_t n, sk_row_fn fn,
                      void *ctx, sk_buf *err);
/*
 * A query expected to give one row whose first column is an integer:
 * SK_ERR_NOT_FOUND when there is no row.
 */
sk_err sk_store_query_int(sk_store *s, const char *sql, const sk_val *params, size_t n,
                          int64_t *out, sk_buf *err);

/*
 * An INSERT of exactly one row, written without a RETURNING clause, into a
 * table whose key is the integer column `id`: *id receives the new row's
 * id. Cheaper than "... RETURNING id" through sk_store_query_int on
 * SQLite, where every run of a RETURNING statement builds and drops a
 * temporary table; PostgreSQL runs it with RETURNING id. A write for the
 * fault seam.
 */
sk_err sk_store_insert(sk_store *s, const char *sql, const sk_val *params, size_t n, int64_t *id,
                       sk_buf *err);

/*
 * The fault seam: the nth write (exec of a non-SELECT statement) or commit
 * from now fails with SK_ERR_STORE as if the database had. n = 0 turns it off.
 */
void sk_store_fault(sk_store *s, sk_fault_kind kind, int64_t n);

/* Backend entry points; use sk_store_open instead. */
sk_err sk_store_sqlite_open(const char *path, bool create, sk_store **out, sk_buf *err);
sk_err sk_store_pg_open(const char *conninfo, sk_store **out, sk_buf *err);

/*
 * Appends to out the path of a file kept beside the database named by url:
 * the SQLite file's path followed by suffix (".audit-key"). env, when set and
 * not empty in the environment, overrides it with its value. A PostgreSQL URL
 * has no file to put anything beside: SK_ERR_INVALID with the catalog's
 * sentence no_file (saying what the file holds and how to name one instead).
 */
sk_err sk_store_file_beside(const char *url, const char *suffix, const char *env, sk_msg_id no_file,
                            sk_buf *out, sk_buf *err);

/* Key-value settings of an installation (table meta). */
sk_err sk_store_meta_get(sk_store *s, const char *key, sk_buf *out, sk_buf *err);
sk_err sk_store_meta_set(sk_store *s, const char *key, const char *value, sk_buf *err);

#endif
