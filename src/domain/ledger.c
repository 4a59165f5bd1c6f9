/*
 * ledger: the six ledgers of requests (ledger.h), listed as JSON and
 * exported as CSV or .xlsx through one code path: the rows are read once
 * (ledger_read), then rendered by whichever writer the format asks for.
 */
#include "ledger.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_msg.h"
#include "../report/wareki.h"
#include "../report/xlsx.h"
#include "asset.h"
#include "authz.h"
#include "org.h"
#include "schema.h"

#define N(a)     (sizeof(a) / sizeof((a)[0]))
#define COLS_MAX 64
#define ROWS_MAX 1048000 /* what one .xlsx sheet holds, less its title rows */

/* The ledgers: name, the request kind it lists, and its title (八王子・成田 の呼び名). */
static const struct ledger_def {
	const char *name, *kind, *ja, *en;
} ledgers[] = {
    {"take_out", "take_out", "持ち出し記録", "Take-out record"},
    {"disposal", "dispose", "廃棄記録", "Disposal record"},
    {"key_loan", "key_loan", "鍵管理簿", "Key register"},
    {"zone_entry", "zone_entry", "入退室記録", "Zone entry record"},
    {"mynumber_handling", "mynumber_handling", "特定個人情報取扱記録",
     "特定個人情報 handling record"},
    {"exception", "exception", "例外措置一覧", "Exceptions"},
};

const char *const sk_ledger_names[] = {"take_out",          "disposal",  "key_loan", "zone_entry",
                                       "mynumber_handling", "exception", NULL};

static const struct ledger_def *ledger_of(const char *name)
{
	for (size_t i = 0; name && i < N(ledgers); i++)
		if (strcmp(ledgers[i].name, name) == 0)
			return &ledgers[i];
	return NULL;
}

const char *sk_ledger_kind(const char *name)
{
	const struct ledger_def *l = ledger_of(name);
	return l ? l->kind : NULL;
}

const char *sk_ledger_title(const char *name)
{
	const struct ledger_def *l = ledger_of(name);
	return l ? l->ja : NULL;
}

/* --- columns --- */

/* Where a column's value comes from. */
typedef enum { SRC_ROW, SRC_DETAIL, SRC_FOLLOW } col_src;

typedef struct col {
	const char *key; /* the row's JSON key */
	const sk_field *f;
	col_src src;
} col;

typedef struct cols {
	col c[COLS_MAX];
	size_t n;
} cols;

static void add_col(cols *cs, const char *key, const sk_field *f, col_src src)
{
	if (f && cs->n < COLS_MAX)
		cs->c[cs->n++] = (col){key ? key : f->key, f, src};
}

static const sk_field *lf(const char *key) { return sk_schema_field(&sk_schema_ledger, key); }

/* A ledger's columns, in order: who and where, the asset, the kind's fields, the decision. */
static void columns_of(const char *kind, cols *cs)
{
	cs->n = 0;
	static const char *const head[] = {"id",        "status",    "created_at",
	                                   "requester", "unit_code", "unit_name"};
	for (size_t i = 0; i < N(head); i++)
		add_col(cs, NULL, lf(head[i]), SRC_ROW);
	add_col(cs, NULL, sk_schema_field(&sk_schema_request, "asset_id"), SRC_ROW);
	add_col(cs, "asset_name", sk_schema_asset_column("name"), SRC_ROW);
	add_col(cs, "asset_conf", sk_schema_asset_column("conf"), SRC_ROW);
	add_col(cs, "asset_location", sk_schema_asset_column("location"), SRC_ROW);
	add_col(cs, NULL, sk_schema_field(&sk_schema_request, "reason"), SRC_ROW);
	const sk_schema *d = sk_schema_request_details(kind);
	for (size_t i = 0; d && i < d->n; i++)
		add_col(cs, NULL, &d->fields[i], SRC_DETAIL);
	const sk_schema *fu = sk_schema_request_followup(kind);
	for (size_t i = 0; fu && i < fu->n; i++)
		add_col(cs, NULL, &fu->fields[i], SRC_FOLLOW);
	static const char *const tail[] = {"approver_role", "decided_by",   "as_deputy",
	                                   "decided_at",    "completed_at", "steps"};
	for (size_t i = 0; i < N(tail); i++)
		add_col(cs, NULL, lf(tail[i]), SRC_ROW);
}

/* --- filters --- */

/* Today in the installation's zone (the city's calendar). */
static void today_jst(char out[11])
{
	int y, m, d;
	sk_clock_local_day(sk_clock_now(), &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* The Unix time at which day (YYYY-MM-DD or 和暦) begins in the installation's zone, plus add_days.
 */
static sk_err day_start(const char *field, const char *day, int add_days, int64_t *out, sk_buf *err)
{
	sk_date d;
	if (sk_wareki_parse(day, strlen(day), &d, NULL))
		return sk_fail_msg(err, SK_ERR_INVALID, field,
		                   strcmp(field, "until") == 0 ? "終了日" : "開始日",
		                   SK_M_LEDGER_DATE_BAD, day);
	*out = sk_clock_local_day_start(d.y, d.m, d.d) + (int64_t)add_days * 86400;
	return SK_OK;
}

/* The units a listing may show: NULL (with *all) for every unit. */
typedef struct units {
	int64_t *v;
	size_t n;
	bool all;
} units;

struct unit_tree {
	int64_t *id, *parent;
	size_t n, cap;
};

static sk_err take_unit(void *ctx, const sk_row *row, sk_buf *err)
{
	struct unit_tree *t = ctx;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		int64_t *a = realloc(t->id, cap * sizeof(int64_t));
		if (a)
			t->id = a;
		int64_t *b = a ? realloc(t->parent, cap * sizeof(int64_t)) : NULL;
		if (!a || !b)
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		t->parent = b;
		t->cap = cap;
	}
	t->id[t->n] = sk_row_int(row, 0);
	t->parent[t->n++] = sk_row_is_null(row, 1) ? 0 : sk_row_int(row, 1);
	return SK_OK;
}

/* Whether unit lies at or below top in t. */
static bool below(const struct unit_tree *t, int64_t unit, int64_t top)
{
	for (size_t hops = 0; unit && hops <= t->n; hops++) {
		if (unit == top)
			return true;
		int64_t up = 0;
		for (size_t i = 0; i < t->n; i++)
			if (t->id[i] == unit) {
				up = t->parent[i];
				break;
			}
		unit = up;
	}
	return false;
}

/* The units whose requests the actor may list, narrowed to the filter's unit and below. */
static sk_err units_of(sk_ctx *c, const char *unit_ref, units *u, sk_buf *err)
{
	memset(u, 0, sizeof(*u));
	sk_err e = sk_authz_require_cap(c, SK_CAP_LEDGER_READ, 0, err);
	if (e)
		return e;
	int64_t top = 0;
	if (unit_ref && *unit_ref) {
		sk_org_unit ou;
		if ((e = sk_org_get(c->store, unit_ref, &ou, err)))
			return e == SK_ERR_NOT_FOUND
			           ? sk_fail_msg(err, SK_ERR_INVALID, "unit", "組織",
			                         SK_M_LEDGER_UNIT_UNKNOWN, unit_ref)
			           : e;
		top = ou.id;
	}
	bool everywhere = sk_authz_everywhere(c, SK_CAP_LEDGER_READ);
	if (everywhere && !top) {
		u->all = true;
		return SK_OK;
	}
	struct unit_tree t = {0};
	e = sk_store_query(c->store, "SELECT id, parent_id FROM org_unit ORDER BY id", NULL, 0,
	                   take_unit, &t, err);
	int64_t *v = e ? NULL : calloc(t.n + 1, sizeof(int64_t));
	if (!e && !v)
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	u->v = v;
	for (size_t i = 0; v && i < t.n; i++) {
		int64_t id = t.id[i];
		if (top && !below(&t, id, top))
			continue;
		if (!everywhere && !sk_authz_can(c, SK_CAP_LEDGER_READ, id))
			continue;
		v[u->n++] = id;
	}
	free(t.id);
	free(t.parent);
	return e;
}

/* The WHERE clause and its parameters for kind and f (the units already known). */
typedef struct where {
	sk_buf sql;
	sk_val *p;
	size_t n;
	char today[11];
} where;

static sk_err where_build(const char *kind, const sk_ledger_filter *f, const units *u, where *w,
                          sk_buf *err)
{
	today_jst(w->today);
	w->p = calloc(u->n + 8, sizeof(sk_val));
	if (!w->p)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	sk_buf_adds(&w->sql, " WHERE r.kind = ?");
	w->p[w->n++] = sk_vtext(kind);
	const char *st = f->status;
	if (st && *st) {
		static const char *const known[] = {"pending",   "approved",    "rejected",
		                                    "withdrawn", "in_progress", "completed",
		                                    "expired"};
		bool ok = false;
		for (size_t i = 0; i < N(known); i++)
			ok = ok || strcmp(known[i], st) == 0;
		if (!ok)
			return sk_fail_msg(err, SK_ERR_INVALID, "status", "状態",
			                   SK_M_REQUEST_STATUS_UNKNOWN, st);
		/* An approved exception past its period reads as expired (request.h). */
		if (strcmp(st, "expired") == 0) {
			sk_buf_adds(&w->sql,
			            " AND (r.status = 'expired' OR (r.status = 'approved' AND "
			            "r.kind = 'exception' AND r.period_until < ?))");
			w->p[w->n++] = sk_vtext(w->today);
		} else if (strcmp(st, "approved") == 0) {
			sk_buf_adds(&w->sql,
			            " AND r.status = 'approved' AND NOT (r.kind = 'exception' "
			            "AND COALESCE(r.period_until, '9999') < ?)");
			w->p[w->n++] = sk_vtext(w->today);
		} else {
			sk_buf_adds(&w->sql, " AND r.status = ?");
			w->p[w->n++] = sk_vtext(st);
		}
	}
	int64_t from = 0, until = 0;
	sk_err e;
	if (f->from && *f->from) {
		if ((e = day_start("from", f->from, 0, &from, err)))
			return e;
		sk_buf_adds(&w->sql, " AND r.created_at >= ?");
		w->p[w->n++] = SK_VINT(from);
	}
	if (f->until && *f->until) {
		if ((e = day_start("until", f->until, 1, &until, err)))
			return e;
		if (from && until <= from)
			return sk_fail_msg(err, SK_ERR_INVALID, "until", "終了日",
			                   SK_M_LEDGER_UNTIL_BEFORE, f->until, f->from);
		sk_buf_adds(&w->sql, " AND r.created_at < ?");
		w->p[w->n++] = SK_VINT(until);
	}
	if (f->asset_id > 0) {
		sk_buf_adds(&w->sql, " AND r.asset_id = ?");
		w->p[w->n++] = SK_VINT(f->asset_id);
	}
	if (!u->all) {
		sk_buf_adds(&w->sql, " AND r.unit_id IN (0");
		for (size_t i = 0; i < u->n; i++) {
			sk_buf_adds(&w->sql, ", ?");
			w->p[w->n++] = SK_VINT(u->v[i]);
		}
		sk_buf_adds(&w->sql, ")");
	}
	return w->sql.data ? SK_OK : sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
}

/* --- reading --- */

static json_t *time_or_null(const sk_row *row, size_t i)
{
	if (sk_row_is_null(row, i))
		return json_null();
	char at[SK_TIME_STR_MAX];
	sk_clock_format_local(sk_row_int(row, i), at);
	return json_string(at);
}

static json_t *text_or_null(const sk_row *row, size_t i)
{
	return sk_row_is_null(row, i) ? json_null() : json_string(sk_row_text(row, i));
}

static json_t *parsed(const sk_row *row, size_t i)
{
	json_t *j =
	    sk_row_is_null(row, i) ? NULL : json_loads(sk_row_text(row, i), JSON_DECODE_ANY, NULL);
	return json_is_object(j) ? j : (json_decref(j), json_object());
}

typedef struct reading {
	const cols *cs;
	const sk_policy *pol;
	const char *today;
	bool withhold;
	json_t *rows;  /* the rows in id order */
	json_t *by_id; /* "id" → row, to attach the steps */
} reading;

#define ROW_COLS                                                                                   \
	"r.id, r.kind, r.status, r.requester, o.code, o.name, r.asset_id, a.name, a.conf, "        \
	"a.location, r.reason, r.details, r.follow_through, r.approver_role, r.decided_by, "       \
	"r.decided_as_deputy, r.decided_at, r.completed_at, r.created_at, r.period_until"

static sk_err take_row(void *ctx, const sk_row *row, sk_buf *err)
{
	reading *rd = ctx;
	if (json_array_size(rd->rows) >= ROWS_MAX)
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_LEDGER_TOO_MANY, ROWS_MAX);
	json_t *j = json_object(), *details = parsed(row, 11), *follow = parsed(row, 12);
	const char *status = sk_row_text(row, 2);
	const char *until = sk_row_is_null(row, 19) ? NULL : sk_row_text(row, 19);
	if (strcmp(status, "approved") == 0 && strcmp(sk_row_text(row, 1), "exception") == 0 &&
	    until && *until && strcmp(until, rd->today) < 0)
		status = "expired";
	json_object_set_new(j, "id", json_integer(sk_row_int(row, 0)));
	json_object_set_new(j, "status", json_string(status));
	json_object_set_new(j, "created_at", time_or_null(row, 18));
	json_object_set_new(j, "requester", json_string(sk_row_text(row, 3)));
	json_object_set_new(j, "unit_code", json_string(sk_row_text(row, 4)));
	json_object_set_new(j, "unit_name", json_string(sk_row_text(row, 5)));
	json_object_set_new(
	    j, "asset_id", sk_row_is_null(row, 6) ? json_null() : json_integer(sk_row_int(row, 6)));
	json_object_set_new(j, "asset_name", text_or_null(row, 7));
	json_object_set_new(j, "asset_conf", text_or_null(row, 8));
	json_object_set_new(j, "asset_location", text_or_null(row, 9));
	json_object_set_new(j, "reason", json_string(sk_row_text(row, 10)));
	for (size_t i = 0; i < rd->cs->n; i++) {
		const col *cl = &rd->cs->c[i];
		if (cl->src == SRC_ROW)
			continue;
		json_t *v = json_object_get(cl->src == SRC_DETAIL ? details : follow, cl->f->key);
		json_object_set(j, cl->key, v ? v : json_null());
	}
	json_object_set_new(j, "approver_role", text_or_null(row, 13));
	json_object_set_new(j, "decided_by", text_or_null(row, 14));
	json_object_set_new(j, "as_deputy", json_boolean(sk_row_int(row, 15)));
	json_object_set_new(j, "decided_at", time_or_null(row, 16));
	json_object_set_new(j, "completed_at", time_or_null(row, 17));
	json_object_set_new(j, "steps", json_string(""));
	json_decref(details);
	json_decref(follow);
	/* A listing is not a recorded read: the 機密性3 details stay back, as in the register's. */
	if (rd->withhold && !sk_row_is_null(row, 8)) {
		json_t *img = json_pack("{s:s}", "conf", sk_row_text(row, 8));
		if (img && sk_asset_image_withhold(rd->pol, img)) {
			for (size_t i = 0; i < rd->cs->n; i++)
				if (rd->cs->c[i].f->flags & SK_FF_DETAIL)
					json_object_set_new(j, rd->cs->c[i].key, json_null());
			json_object_set_new(j, "details_withheld", json_true());
		}
		json_decref(img);
	}
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)sk_row_int(row, 0));
	if (json_array_append(rd->rows, j) || json_object_set_new(rd->by_id, key, j))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

/* A step as the ledger's 経過 column writes it. */
static const char *action_ja(const char *a)
{
	static const char *const map[][2] = {
	    {"file", "申請"},     {"report", "事後報告"}, {"approve", "承認"},
	    {"reject", "却下"},   {"withdraw", "取下げ"}, {"take_out", "持ち出し"},
	    {"complete", "完了"}, {"expire", "失効"},
	};
	for (size_t i = 0; i < N(map); i++)
		if (strcmp(map[i][0], a) == 0)
			return map[i][1];
	return a;
}

static sk_err take_step(void *ctx, const sk_row *row, sk_buf *err)
{
	reading *rd = ctx;
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)sk_row_int(row, 0));
	json_t *j = json_object_get(rd->by_id, key);
	if (!j)
		return SK_OK;
	sk_buf b = SK_BUF_INIT(1u << 20);
	const char *prev = json_string_value(json_object_get(j, "steps"));
	char at[SK_TIME_STR_MAX];
	sk_clock_format_local(sk_row_int(row, 1), at);
	if (prev && *prev)
		sk_buf_addf(&b, "%s\n", prev);
	sk_buf_addf(&b, "%s %s %s%s", at, action_ja(sk_row_text(row, 3)), sk_row_text(row, 2),
	            sk_row_int(row, 5) ? "（代行）" : "");
	if (!sk_row_is_null(row, 4) && *sk_row_text(row, 4))
		sk_buf_addf(&b, "「%s」", sk_row_text(row, 4));
	sk_err e = b.data ? SK_OK : sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if (!e)
		json_object_set_new(j, "steps", json_string(b.data));
	sk_buf_free(&b);
	return e;
}

/* Reads the ledger's rows (in scope, filtered) with their steps into rd->rows. */
static sk_err ledger_read(sk_ctx *c, const struct ledger_def *l, const sk_ledger_filter *f,
                          reading *rd, sk_buf *err)
{
	units u;
	where w = {.sql = SK_BUF_INIT(1u << 20)};
	sk_buf sql = SK_BUF_INIT(1u << 20);
	sk_err e = units_of(c, f->unit, &u, err);
	if (!e)
		e = sk_ctx_policy(c, &rd->pol, err);
	if (!e)
		e = where_build(l->kind, f, &u, &w, err);
	rd->today = w.today;
	rd->rows = json_array();
	rd->by_id = json_object();
	if (!e && (!rd->rows || !rd->by_id))
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if (!e) {
		sk_buf_addf(&sql,
		            "SELECT " ROW_COLS
		            " FROM requests r JOIN org_unit o ON o.id = r.unit_id "
		            "LEFT JOIN assets a ON a.id = r.asset_id%s ORDER BY r.id",
		            w.sql.data);
		e = sql.data ? sk_store_query(c->store, sql.data, w.p, w.n, take_row, rd, err)
		             : sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	if (!e && json_array_size(rd->rows)) {
		sk_buf_reset(&sql);
		sk_buf_addf(
		    &sql,
		    "SELECT s.request_id, s.at, s.actor, s.action, s.comment, s.as_deputy "
		    "FROM request_steps s WHERE s.request_id IN (SELECT r.id FROM requests r%s) "
		    "ORDER BY s.request_id, s.id",
		    w.sql.data);
		e = sql.data ? sk_store_query(c->store, sql.data, w.p, w.n, take_step, rd, err)
		             : sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	rd->today = NULL;
	sk_buf_free(&sql);
	sk_buf_free(&w.sql);
	free(w.p);
	free(u.v);
	json_decref(rd->by_id);
	rd->by_id = NULL;
	if (e) {
		json_decref(rd->rows);
		rd->rows = NULL;
	}
	return e;
}

static json_t *columns_json(const cols *cs)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < cs->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "key", cs->c[i].key, "ja",
		                                   cs->c[i].f->ja, "en", cs->c[i].f->en));
	return a;
}

sk_err sk_ledger_list(sk_ctx *c, const char *name, const sk_ledger_filter *f, json_t **out,
                      sk_buf *err)
{
	*out = NULL;
	const struct ledger_def *l = ledger_of(name);
	if (!l)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, "name", NULL, SK_M_LEDGER_UNKNOWN,
		                   name ? name : "");
	cols cs;
	columns_of(l->kind, &cs);
	reading rd = {.cs = &cs, .withhold = true};
	sk_err e = ledger_read(c, l, f, &rd, err);
	if (e)
		return e;
	json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:o}", "ledger", l->name, "title", l->ja,
	                      "title_en", l->en, "columns", columns_json(&cs), "rows", rd.rows);
	if (!j)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	*out = j;
	return SK_OK;
}

/* --- export --- */

static const char *status_ja(const char *s)
{
	static const char *const map[][2] = {
	    {"pending", "承認待ち"}, {"approved", "承認済み"},  {"rejected", "却下"},
	    {"withdrawn", "取下げ"}, {"in_progress", "実施中"}, {"completed", "完了"},
	    {"expired", "失効"},
	};
	for (size_t i = 0; i < N(map); i++)
		if (strcmp(map[i][0], s) == 0)
			return map[i][1];
	return s;
}

/* A cell's text: numbers in decimal, booleans あり/なし, null empty; nb holds a number. */
static const char *cell_text(const col *cl, json_t *v, char nb[32])
{
	if (json_is_string(v))
		return strcmp(cl->key, "status") == 0 ? status_ja(json_string_value(v))
		                                      : json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(nb, 32, "%lld", (long long)json_integer_value(v));
		return nb;
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "あり" : "なし";
	return "";
}

/* The rows as CSV in enc, into a memory stream. */
static sk_err write_csv(const cols *cs, json_t *rows, sk_csv_encoding enc, char **out, size_t *len,
                        sk_buf *err)
{
	FILE *m = open_memstream(out, len);
	if (!m)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	sk_csv_writer *w = NULL;
	sk_err e = sk_csv_writer_new(m, enc, &w, err);
	const char *vals[COLS_MAX];
	char nb[COLS_MAX][32];
	for (size_t i = 0; i < cs->n; i++)
		vals[i] = cs->c[i].f->ja;
	if (!e)
		e = sk_csv_write_record(w, vals, cs->n, err);
	size_t k;
	json_t *r;
	json_array_foreach (rows, k, r) {
		if (e)
			break;
		for (size_t i = 0; i < cs->n; i++)
			vals[i] = cell_text(&cs->c[i], json_object_get(r, cs->c[i].key), nb[i]);
		e = sk_csv_write_record(w, vals, cs->n, err);
		if (e == SK_ERR_INVALID) {
			/* Name the record and the column, so the fix can be found. */
			sk_fail_wrap(err, e, NULL, NULL, SK_M_LEDGER_REQUEST,
			             (long long)json_integer_value(json_object_get(r, "id")));
		}
	}
	if (!e)
		e = sk_csv_writer_finish(w, err);
	sk_csv_writer_free(w);
	if (fclose(m) != 0 && !e)
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if (e) {
		free(*out);
		*out = NULL;
		*len = 0;
	}
	return e;
}

static sk_err slurp(const char *path, char **out, size_t *len, sk_buf *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_FILE_READ, path,
		                   strerror(errno));
	sk_err e = SK_OK;
	char *buf = NULL;
	long n = -1;
	if (fseek(fp, 0, SEEK_END) == 0)
		n = ftell(fp);
	if (n >= 0 && fseek(fp, 0, SEEK_SET) == 0 && !(buf = malloc((size_t)n + 1)))
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	else if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n)
		e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_FILE_READ_SHORT, path);
	fclose(fp);
	if (e) {
		free(buf);
		return e;
	}
	*out = buf;
	*len = (size_t)n;
	return SK_OK;
}

/* The rows as an .xlsx workbook, built in a private temporary file and read back. */
static sk_err write_xlsx(const struct ledger_def *l, const cols *cs, json_t *rows, char **out,
                         size_t *len, sk_buf *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/sekisho-ledger-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_FILE_TEMP, strerror(errno));
	close(fd);
	sk_xlsx *x = NULL;
	sk_err e = sk_xlsx_open(path, l->ja, &x, err);
	if (e) {
		unlink(path);
		return e;
	}
	const char *heads[COLS_MAX];
	double widths[COLS_MAX];
	for (size_t i = 0; i < cs->n; i++) {
		heads[i] = cs->c[i].f->ja;
		widths[i] = cs->c[i].f->type == SK_FT_LONGTEXT ? 40
		            : cs->c[i].f->type == SK_FT_TEXT   ? 18
		                                               : 10;
	}
	char today[11], sub[160];
	today_jst(today);
	snprintf(sub, sizeof(sub), "出力日: %s", today);
	e = sk_xlsx_title(x, l->ja, sub, cs->n, err);
	if (!e)
		e = sk_xlsx_header(x, heads, widths, cs->n, err);
	size_t k;
	json_t *r;
	sk_xlsx_cell cells[COLS_MAX];
	char nb[COLS_MAX][32];
	json_array_foreach (rows, k, r) {
		if (e)
			break;
		for (size_t i = 0; i < cs->n; i++) {
			const col *cl = &cs->c[i];
			json_t *v = json_object_get(r, cl->key);
			if (json_is_integer(v) && cl->f->type == SK_FT_INT)
				cells[i] = (sk_xlsx_cell){SK_XLSX_NUMBER, NULL,
				                          (double)json_integer_value(v)};
			else if (cl->f->type == SK_FT_DATE && json_is_string(v) &&
			         strlen(json_string_value(v)) == 10)
				cells[i] = (sk_xlsx_cell){SK_XLSX_DATE, json_string_value(v), 0};
			else
				cells[i] = (sk_xlsx_cell){SK_XLSX_TEXT, cell_text(cl, v, nb[i]), 0};
		}
		e = sk_xlsx_row(x, cells, cs->n, err);
	}
	sk_err ce = sk_xlsx_close(x, e ? NULL : err);
	if (!e)
		e = ce;
	if (!e)
		e = slurp(path, out, len, err);
	unlink(path);
	return e;
}

/* "ledger.export", once the file is complete: what was asked for, by whom, and what went out. */
static sk_err record_export(sk_ctx *c, const struct ledger_def *l, const sk_ledger_filter *f,
                            const char *format, const char *encoding, json_t *rows, sk_buf *err)
{
	size_t n = json_array_size(rows);
	json_int_t lo = 0, hi = 0;
	if (n) {
		lo = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
		hi = json_integer_value(json_object_get(json_array_get(rows, n - 1), "id"));
	}
	json_t *after = json_pack(
	    "{s:s, s:s, s:s?, s:{s:s?, s:s?, s:s?, s:s?, s:I}, s:I, s:I, s:I}", "ledger", l->name,
	    "format", format, "encoding", encoding, "filter", "status",
	    f->status && *f->status ? f->status : NULL, "unit",
	    f->unit && *f->unit ? f->unit : NULL, "from", f->from && *f->from ? f->from : NULL,
	    "until", f->until && *f->until ? f->until : NULL, "asset_id", (json_int_t)f->asset_id,
	    "rows", (json_int_t)n, "first_id", lo, "last_id", hi);
	sk_err e = sk_store_begin(c->store, err);
	if (e) {
		json_decref(after);
		return e;
	}
	e = sk_audit_change(c->store, c->actor->login, c->actor->address, "ledger.export",
	                    SK_AUDIT_NONE, after, err, "ledger:%s", l->name);
	e = sk_store_end(c->store, e, err);
	return e;
}

sk_err sk_ledger_export(sk_ctx *c, const char *name, const sk_ledger_filter *f,
                        sk_ledger_format fmt, sk_csv_encoding enc, char **out, size_t *len,
                        sk_buf *err)
{
	*out = NULL;
	*len = 0;
	const struct ledger_def *l = ledger_of(name);
	if (!l)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, "name", NULL, SK_M_LEDGER_UNKNOWN,
		                   name ? name : "");
	if (fmt == SK_LEDGER_CSV && (enc < SK_CSV_UTF8 || enc > SK_CSV_CP932))
		return sk_fail_msg(err, SK_ERR_INVALID, "encoding", "文字コード",
		                   SK_M_LEDGER_ENCODING);
	cols cs;
	columns_of(l->kind, &cs);
	reading rd = {.cs = &cs, .withhold = false};
	sk_err e = ledger_read(c, l, f, &rd, err);
	if (e)
		return e;
	char *buf = NULL;
	size_t n = 0;
	if (fmt == SK_LEDGER_XLSX)
		e = write_xlsx(l, &cs, rd.rows, &buf, &n, err);
	else
		e = write_csv(&cs, rd.rows, enc, &buf, &n, err);
	if (!e)
		e = record_export(c, l, f, fmt == SK_LEDGER_XLSX ? "xlsx" : "csv",
		                  fmt == SK_LEDGER_XLSX ? NULL : sk_csv_encoding_name(enc), rd.rows,
		                  err);
	json_decref(rd.rows);
	if (e) {
		free(buf);
		return e;
	}
	*out = buf;
	*len = n;
	return SK_OK;
}

void sk_ledger_file_name(const char *name, sk_ledger_format fmt, char *out, size_t max)
{
	char today[11];
	today_jst(today);
	snprintf(out, max, "%s-%s.%s", name, today, fmt == SK_LEDGER_XLSX ? "xlsx" : "csv");
}
