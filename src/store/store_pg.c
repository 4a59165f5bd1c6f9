/*
 * store_pg: the PostgreSQL backend on libpq. Statements are written with
 * SQLite's `?` marks; the first use of a statement on a connection rewrites
 * them to $1..$n and prepares it under a generated name, later uses run the
 * prepared statement. Results come back in text format and are typed by the
 * column's type OID: integers and booleans as INT, bytea as BLOB, the rest
 * as TEXT.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_hex.h"
#include "schema.h"
#include "store.h"
#include "store_int.h"
#include "../core/sk_msg.h"

#define CACHE_SLOTS 128u
#define MAX_PARAMS  64
#define MAX_COLS    64

/* Type OIDs from PostgreSQL's pg_type.dat; stable across releases. */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23 };

struct prepared {
	char *sql;
	char name[16];
};

typedef struct pg_store {
	sk_store base; /* first: the wrappers see only this */
	PGconn *conn;
	struct prepared cache[CACHE_SLOTS];
	unsigned next_name;
} pg_store;

static pg_store *cast(sk_store *s) { return (pg_store *)s; }

static sk_err map_result(PGresult *res, pg_store *ps, sk_buf *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = PQerrorMessage(ps->conn);
	if (state && strcmp(state, "23505") == 0)
		return sk_fail(err, SK_ERR_EXISTS, "%s", msg);
	if (state && strncmp(state, "23", 2) == 0)
		return sk_fail(err, SK_ERR_CONFLICT, "%s", msg);
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	              strcmp(state, "55P03") == 0))
		return sk_fail_msg(err, SK_ERR_TEMPFAIL, NULL, NULL, SK_M_STORE_DATABASE_BUSY, msg);
	if (state && strcmp(state, "54000") == 0)
		return sk_fail(err, SK_ERR_TOO_BIG, "%s", msg);
	return sk_fail(err, SK_ERR_STORE, "PostgreSQL: %s", msg);
}

/* Rewrites `?` outside string literals and quoted names to $1, $2, ... */
static char *rewrite(const char *sql, int *nparams)
{
	size_t len = strlen(sql);
	char *out = malloc(len * 4 + 1);
	if (!out)
		return NULL;
	char *o = out, quote = 0;
	int n = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			*o++ = *p;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			*o++ = *p;
		} else if (*p == '?') {
			o += sprintf(o, "$%d", ++n);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	*nparams = n;
	return out;
}

/* Finds or creates the prepared statement for sql; *name is NULL if the cache is full. */
static sk_err prepare(pg_store *ps, const char *sql, const char **name, sk_buf *err)
{
	unsigned h = sk_store_sql_hash(sql);
	*name = NULL;
	for (unsigned probe = 0; probe < 8; probe++) {
		struct prepared *c = &ps->cache[(h + probe) % CACHE_SLOTS];
		if (c->sql && strcmp(c->sql, sql) == 0) {
			*name = c->name;
			return SK_OK;
		}
		if (c->sql)
			continue;
		int n;
		char *text = rewrite(sql, &n);
		if (!text)
			return sk_fail(err, SK_ERR_NOMEM, "out of memory");
		snprintf(c->name, sizeof(c->name), "sk%u", ps->next_name++);
		PGresult *res = PQprepare(ps->conn, c->name, text, 0, NULL);
		free(text);
		sk_err e = SK_OK;
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			e = map_result(res, ps, err);
		PQclear(res);
		if (e)
			return e;
		c->sql = strdup(sql);
		if (!c->sql)
			return sk_fail(err, SK_ERR_NOMEM, "out of memory");
		*name = c->name;
		return SK_OK;
	}
	return SK_OK;
}

/* Decodes bytea's hex output ("\x0a1b...") in place; returns the length. */
static size_t unhex_inplace(char *s, size_t len)
{
	if (len < 2 || s[0] != '\\' || s[1] != 'x')
		return len;
	size_t o = 0;
	for (size_t i = 2; i + 1 < len; i += 2) {
		int hi = sk_hex_digit((unsigned char)s[i]),
		    lo = sk_hex_digit((unsigned char)s[i + 1]);
		if (hi < 0 || lo < 0)
			break;
		s[o++] = (char)(hi << 4 | lo);
	}
	return o;
}

static sk_err deliver(pg_store *ps, PGresult *res, sk_row_fn fn, void *ctx, sk_buf *err)
{
	(void)ps;
	int ncols = PQnfields(res), nrows = PQntuples(res);
	if (ncols > MAX_COLS)
		return sk_fail(err, SK_ERR_INTERNAL,
		               "query returns %d columns, at most %d supported", ncols, MAX_COLS);
	sk_val cols[MAX_COLS];
	for (int r = 0; r < nrows; r++) {
		for (int c = 0; c < ncols; c++) {
			if (PQgetisnull(res, r, c)) {
				cols[c] = SK_VNULL;
				continue;
			}
			char *v = PQgetvalue(res, r, c);
			size_t len = (size_t)PQgetlength(res, r, c);
			switch (PQftype(res, c)) {
			case OID_INT8:
			case OID_INT4:
			case OID_INT2:
				cols[c] = SK_VINT(strtoll(v, NULL, 10));
				break;
			case OID_BOOL:
				cols[c] = SK_VINT(v[0] == 't');
				break;
			case OID_BYTEA:
				/* libpq's result memory is ours to modify until PQclear. */
				cols[c] = SK_VBLOB(v, unhex_inplace(v, len));
				break;
			default:
				cols[c] = SK_VTEXTN(v, len);
				break;
			}
		}
		sk_row row = {(size_t)ncols, cols};
		sk_err e = fn(ctx, &row, err);
		if (e)
			return e;
	}
	return SK_OK;
}

static sk_err p_exec(sk_store *s, const char *sql, const sk_val *params, size_t n, sk_row_fn fn,
                     void *ctx, int64_t *changed, sk_buf *err)
{
	pg_store *ps = cast(s);
	if (n > MAX_PARAMS)
		return sk_fail(err, SK_ERR_INTERNAL, "too many parameters (%zu)", n);
	const char *values[MAX_PARAMS];
	int lengths[MAX_PARAMS], formats[MAX_PARAMS];
	char ints[MAX_PARAMS][24];
	for (size_t i = 0; i < n; i++) {
		lengths[i] = 0;
		formats[i] = 0;
		switch (params[i].type) {
		case SK_VAL_NULL:
			values[i] = NULL;
			break;
		case SK_VAL_INT:
			snprintf(ints[i], sizeof(ints[i]), "%lld", (long long)params[i].i);
			values[i] = ints[i];
			break;
		case SK_VAL_TEXT:
			values[i] = params[i].p;
			break;
		default:
			values[i] = params[i].p;
			lengths[i] = (int)params[i].n;
			formats[i] = 1;
			break;
		}
	}
	const char *name;
	sk_err e = prepare(ps, sql, &name, err);
	if (e)
		return e;
	PGresult *res;
	if (name) {
		res = PQexecPrepared(ps->conn, name, (int)n, values, lengths, formats, 0);
	} else {
		int np;
		char *text = rewrite(sql, &np);
		if (!text)
			return sk_fail(err, SK_ERR_NOMEM, "out of memory");
		res = PQexecParams(ps->conn, text, (int)n, NULL, values, lengths, formats, 0);
		free(text);
	}
	ExecStatusType st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK) {
		if (fn)
			e = deliver(ps, res, fn, ctx, err);
	} else if (st != PGRES_COMMAND_OK) {
		e = map_result(res, ps, err);
	}
	if (!e && changed) {
		const char *t = PQcmdTuples(res);
		*changed = *t ? strtoll(t, NULL, 10) : 0;
	}
	PQclear(res);
	return e;
}

static sk_err take_id(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	int64_t *id = ctx;
	*id = sk_row_int(row, 0);
	return SK_OK;
}

static sk_err p_insert(sk_store *s, const char *sql, const sk_val *params, size_t n, int64_t *id,
                       sk_buf *err)
{
	static const char tail[] = " RETURNING id";
	size_t len = strlen(sql);
	char *text = malloc(len + sizeof(tail));
	if (!text)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	snprintf(text, len + sizeof(tail), "%s%s", sql, tail);
	int64_t got = 0;
	sk_err e = p_exec(s, text, params, n, take_id, &got, NULL, err);
	free(text);
	if (!e && got <= 0)
		e = sk_fail(err, SK_ERR_STORE, "an insert of one row gave no id");
	if (!e)
		*id = got;
	return e;
}

static sk_err p_script(sk_store *s, const char *sql, sk_buf *err)
{
	pg_store *ps = cast(s);
	PGresult *res = PQexec(ps->conn, sql);
	ExecStatusType st = PQresultStatus(res);
	sk_err e =
	    (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? SK_OK : map_result(res, ps, err);
	PQclear(res);
	return e;
}

static sk_err p_begin(sk_store *s, sk_buf *err) { return p_script(s, "BEGIN", err); }
static sk_err p_commit(sk_store *s, sk_buf *err) { return p_script(s, "COMMIT", err); }

static void p_rollback(sk_store *s)
{
	pg_store *ps = cast(s);
	if (PQtransactionStatus(ps->conn) != PQTRANS_IDLE)
		PQclear(PQexec(ps->conn, "ROLLBACK"));
}

static sk_err p_table_exists(sk_store *s, const char *table, bool *out, sk_buf *err)
{
	int64_t n = 0;
	sk_val p[] = {sk_vtext(table)};
	sk_err e = sk_store_query_int(s,
	                              "SELECT count(*) FROM information_schema.tables "
	                              "WHERE table_schema = current_schema() AND table_name = ?",
	                              p, 1, &n, err);
	*out = !e && n > 0;
	return e;
}

static void p_close(sk_store *s)
{
	pg_store *ps = cast(s);
	for (unsigned i = 0; i < CACHE_SLOTS; i++)
		free(ps->cache[i].sql);
	PQfinish(ps->conn);
	free(ps);
}

static const struct sk_store_ops pg_ops = {
    .name = "postgresql",
    .close = p_close,
    .begin = p_begin,
    .commit = p_commit,
    .rollback = p_rollback,
    .exec = p_exec,
    .insert = p_insert,
    .table_exists = p_table_exists,
    .exec_script = p_script,
    .migrations = sk_schema_pg,
    .nmigrations = SK_SCHEMA_VERSION,
};

sk_err sk_store_pg_open(const char *conninfo, sk_store **out, sk_buf *err)
{
	*out = NULL;
	pg_store *ps = calloc(1, sizeof(*ps));
	if (!ps)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	ps->base.ops = &pg_ops;
	ps->conn = PQconnectdb(conninfo);
	if (!ps->conn || PQstatus(ps->conn) != CONNECTION_OK) {
		/* libpq's message may quote the URL; it never includes the password. */
		const char *msg = ps->conn ? PQerrorMessage(ps->conn) : "out of memory";
		size_t len = strlen(msg);
		while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
			len--;
		sk_fail_msg(err, SK_ERR_STORE, NULL, NULL, SK_M_STORE_CANNOT_CONNECT_POSTGRESQL,
		            (int)len, msg);
		PQfinish(ps->conn);
		free(ps);
		return SK_ERR_STORE;
	}
	sk_err e = p_script(&ps->base,
	                    "SET client_encoding = 'UTF8'; SET client_min_messages = warning; "
	                    "SET TIME ZONE 'UTC'",
	                    err);
	if (e) {
		p_close(&ps->base);
		return e;
	}
	*out = &ps->base;
	return SK_OK;
}
