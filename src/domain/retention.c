/*
 * retention: which retention entries govern each record, and the purge
 * (retention.h).
 */
#include "retention.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_msg.h"
#include "../core/sk_vec.h"
#include "../report/wareki.h"
#include "schema.h"

#define N(a)  (sizeof(a) / sizeof((a)[0]))
#define JST   (9 * 3600)
#define CHUNK 200 /* ids per DELETE statement */

/*
 * The one table of which retention entries (their ids in the profiles'
 * `retention:`) govern which records. kind NULL: any kind of that record
 * type; mynumber: only records about an asset holding 特定個人情報.
 */
static const struct rule {
	const char *record; /* "request" or "incident" */
	const char *kind;
	bool mynumber;
	const char *retention;
} rules[] = {
    /* 持ち出し・運搬・持ち込みの記録: 八王子 7(7)イ, 10(8); 成田 基準 4(1)①オ */
    {"request", "take_out", false, "take_out_records"},
    {"request", "transport", false, "take_out_records"},
    {"request", "carry_in", false, "take_out_records"},
    /* 提供の記録: 八王子 7(8)ア */
    {"request", "provide_external", false, "provide_records"},
    /* 廃棄の記録: 八王子 7(9)イ; 成田 基準 2(2)⑩イ; 特定個人情報の廃棄記録 7年: 八王子 7(9)ウ・エ
     */
    {"request", "dispose", false, "disposal_records"},
    {"request", "dispose", true, "mynumber_disposal_records"},
    /* 入退室の記録: 八王子 8(5); 成田 基準 3(2)②ア */
    {"request", "zone_entry", false, "entry_records"},
    /* 鍵管理簿: 八王子 8(7) */
    {"request", "key_loan", false, "key_records"},
    /* 例外措置の申請書及び審査結果: 成田 基準 6(5)③ */
    {"request", "exception", false, "exception_records"},
    /* 特定個人情報の取扱記録 7年: 八王子 7(6)ク — the handling records, and any request about
       an asset holding 特定個人情報 (its use and keeping is handling) */
    {"request", "mynumber_handling", false, "mynumber_records"},
    {"request", NULL, true, "mynumber_records"},
    /* 事故等の記録: 八王子 13(3); 成田 基準 4(3)③; 障害記録: 八王子 15(2)ス; 成田 基準 5(1)⑦ */
    {"incident", "incident", false, "incident_records"},
    {"incident", "failure", false, "failure_records"},
    /* 特定個人情報の取り扱いに関する記録 7年: 八王子 15(2)シ */
    {"incident", NULL, true, "mynumber_logs"},
};

/* What governs one record: kept for ever, or for days after its final state. */
typedef struct governs {
	bool forever;
	int64_t days;
	const sk_retention *entry; /* the entry that decides; NULL when none governs */
} governs;

static void govern(const sk_policy *pol, const char *record, const char *kind, bool mynumber,
                   governs *g)
{
	memset(g, 0, sizeof(*g));
	g->forever = true; /* no entry: the seed is silent, the strictest applies */
	const sk_retention *silent = NULL;
	for (size_t i = 0; i < N(rules); i++) {
		const struct rule *r = &rules[i];
		if (strcmp(r->record, record) != 0 || (r->kind && strcmp(r->kind, kind) != 0) ||
		    (r->mynumber && !mynumber))
			continue;
		const sk_retention *e = pol ? sk_policy_retention_find(pol, r->retention) : NULL;
		if (!e)
			continue;
		if (e->unspecified) {
			silent = silent ? silent : e;
			continue;
		}
		/* A period the seed states governs; of several, the longest. */
		if (g->forever || e->days > g->days) {
			g->forever = false;
			g->days = e->days;
			g->entry = e;
		}
	}
	if (g->forever)
		g->entry = silent;
}

static void cites(const sk_retention *e, sk_buf *b)
{
	for (unsigned i = 0; e && i < e->n_citations; i++)
		sk_buf_addf(b, "%s%s", i ? ", " : "", e->citations[i]);
}

sk_err sk_retention_rules(sk_ctx *c, json_t **out, sk_buf *err)
{
	const sk_policy *pol = NULL;
	sk_err e = sk_ctx_policy(c, &pol, err);
	if (e)
		return e;
	json_t *a = json_array();
	for (size_t i = 0; a && i < N(rules); i++) {
		const sk_retention *r =
		    pol ? sk_policy_retention_find(pol, rules[i].retention) : NULL;
		json_t *cs = json_array();
		for (unsigned k = 0; r && cs && k < r->n_citations; k++)
			json_array_append_new(cs, json_string(r->citations[k]));
		json_array_append_new(
		    a, json_pack("{s:s, s:s?, s:b, s:s, s:s?, s:I, s:I, s:s, s:o}", "record",
		                 rules[i].record, "kind", rules[i].kind, "mynumber_asset",
		                 rules[i].mynumber, "retention", rules[i].retention, "what",
		                 r ? r->what : NULL, "years", (json_int_t)(r ? r->years : 0),
		                 "days", (json_int_t)(r ? r->days : 0), "period",
		                 !r               ? "forever (no entry: the seed is silent)"
		                 : r->unspecified ? "forever (period unspecified)"
		                                  : "days",
		                 "citations", cs ? cs : json_array()));
	}
	if (!a)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	*out = a;
	return SK_OK;
}

/* --- the purge --- */

typedef struct rec {
	int64_t id, final_at;
	char kind[32];
	bool mynumber, final;
} rec;

typedef struct recs {
	rec *v;
	size_t n, cap;
	const char *today;
} recs;

/* A new record in rs with the columns requests and incidents share read from row. */
static rec *rec_add(recs *rs, const sk_row *row, sk_buf *err)
{
	rec *v = sk_vec_room(rs->v, rs->n, &rs->cap, sizeof(rec), 256);
	if (!v) {
		sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		return NULL;
	}
	rs->v = v;
	rec *r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	/* Both kinds of record are read as id, kind, ..., mynumber (column 5). */
	r->id = sk_row_int(row, 0);
	snprintf(r->kind, sizeof(r->kind), "%s", sk_row_text(row, 1));
	r->mynumber = sk_row_int(row, 5) != 0;
	return r;
}

static int64_t day_epoch(const char *iso)
{
	char rfc[40];
	int64_t us;
	snprintf(rfc, sizeof(rfc), "%.10sT00:00:00+09:00", iso);
	return sk_clock_parse_us(rfc, &us) ? 0 : us / 1000000;
}

/* A request's final state and when it was reached (request.h's statuses). */
static sk_err take_request(void *ctx, const sk_row *row, sk_buf *err)
{
	recs *rs = ctx;
	rec *r = rec_add(rs, row, err);
	if (!r)
		return SK_ERR_NOMEM;
	const char *st = sk_row_text(row, 2);
	r->final_at = sk_row_int(row, 3);
	const char *until = sk_row_is_null(row, 4) ? NULL : sk_row_text(row, 4);
	bool approved = strcmp(st, "approved") == 0;
	bool exception = strcmp(r->kind, "exception") == 0;
	/* Ended: refused, withdrawn, done, expired, or approved with nothing to follow through. */
	r->final = !strcmp(st, "rejected") || !strcmp(st, "withdrawn") ||
	           !strcmp(st, "completed") || !strcmp(st, "expired") ||
	           (approved && !exception && !sk_schema_request_followup(r->kind));
	/* An approved exception ends with its period: final the day after it. */
	if (approved && exception && until && strcmp(until, rs->today) < 0) {
		r->final = true;
		int64_t end = day_epoch(until) + 86400;
		if (end > r->final_at)
			r->final_at = end;
	}
	return SK_OK;
}

static sk_err take_incident(void *ctx, const sk_row *row, sk_buf *err)
{
	recs *rs = ctx;
	rec *r = rec_add(rs, row, err);
	if (!r)
		return SK_ERR_NOMEM;
	r->final = strcmp(sk_row_text(row, 2), "closed") == 0 && !sk_row_is_null(row, 3);
	r->final_at = r->final ? sk_row_int(row, 3) : sk_row_int(row, 4);
	return SK_OK;
}

/* Records before cutoff: the candidates (final) and how many are still open. */
static sk_err candidates(recs *rs, int64_t cutoff, int64_t *open)
{
	size_t k = 0;
	for (size_t i = 0; i < rs->n; i++) {
		if (!rs->v[i].final)
			(*open)++;
		else if (rs->v[i].final_at < cutoff)
			rs->v[k++] = rs->v[i];
	}
	rs->n = k;
	return SK_OK;
}

/* The first record still inside its period, as the refusal names it. */
static sk_err check_periods(const sk_policy *pol, const char *record, const recs *rs, int64_t now,
                            sk_buf *err)
{
	for (size_t i = 0; i < rs->n; i++) {
		const rec *r = &rs->v[i];
		governs g;
		govern(pol, record, r->kind, r->mynumber, &g);
		if (!g.forever && r->final_at + g.days * 86400 <= now)
			continue;
		size_t same = 0;
		for (size_t j = 0; j < rs->n; j++) {
			governs h;
			govern(pol, record, rs->v[j].kind, rs->v[j].mynumber, &h);
			same += h.entry == g.entry && strcmp(rs->v[j].kind, r->kind) == 0 &&
			        (h.forever || rs->v[j].final_at + h.days * 86400 > now);
		}
		sk_buf c = SK_BUF_INIT(1024);
		cites(g.entry, &c);
		sk_err e;
		const char *cs = c.data ? c.data : "";
		if (!g.entry)
			e = sk_fail_msg(err, SK_ERR_CONFLICT, "before", NULL,
			                SK_M_RECORD_NO_RETENTION, record, r->kind, (long long)r->id,
			                same - 1, r->kind);
		else if (g.forever)
			e = sk_fail_msg(err, SK_ERR_CONFLICT, "before", NULL,
			                SK_M_RECORD_KEPT_FOREVER, record, r->kind, (long long)r->id,
			                same - 1, g.entry->id, g.entry->what, cs);
		else {
			char until[SK_TIME_STR_MAX];
			sk_clock_format_local(r->final_at + g.days * 86400, until);
			e = sk_fail_msg(err, SK_ERR_CONFLICT, "before", NULL, SK_M_RECORD_IN_PERIOD,
			                record, r->kind, (long long)r->id, same - 1, until,
			                g.entry->id, g.entry->what, g.entry->years, cs);
		}
		sk_buf_free(&c);
		return e;
	}
	return SK_OK;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const rec *)a)->id, y = ((const rec *)b)->id;
	return x < y ? -1 : x > y;
}

/* {"count", "ids": [[first, last], …]} of the records (sorted by id). */
static json_t *summary(recs *rs)
{
	if (rs->n) /* qsort takes no NULL array, even an empty one */
		qsort(rs->v, rs->n, sizeof(rec), by_id);
	json_t *ranges = json_array();
	for (size_t i = 0; ranges && i < rs->n;) {
		size_t j = i;
		while (j + 1 < rs->n && rs->v[j + 1].id == rs->v[j].id + 1)
			j++;
		json_array_append_new(
		    ranges, json_pack("[I, I]", (json_int_t)rs->v[i].id, (json_int_t)rs->v[j].id));
		i = j + 1;
	}
	return json_pack("{s:I, s:o}", "count", (json_int_t)rs->n, "ids", ranges);
}

/* Runs each statement of sqls over the ids in chunks ("… IN (%s)"). */
static sk_err delete_ids(sk_store *s, const char *const *sqls, size_t nsql, const recs *rs,
                         sk_buf *err)
{
	sk_val p[CHUNK];
	sk_buf sql = SK_BUF_INIT(1u << 16), in = SK_BUF_INIT(1u << 16);
	sk_err e = SK_OK;
	for (size_t at = 0; !e && at < rs->n; at += CHUNK) {
		size_t n = rs->n - at < CHUNK ? rs->n - at : CHUNK;
		sk_buf_reset(&in);
		for (size_t i = 0; i < n; i++) {
			sk_buf_adds(&in, i ? ", ?" : "?");
			p[i] = SK_VINT(rs->v[at + i].id);
		}
		for (size_t k = 0; !e && k < nsql; k++) {
			sk_buf_reset(&sql);
			sk_buf_addf(&sql, sqls[k], in.data);
			e = sql.data ? sk_store_exec(s, sql.data, p, n, NULL, err)
			             : sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		}
	}
	sk_buf_free(&sql);
	sk_buf_free(&in);
	return e;
}

sk_err sk_record_purge(sk_ctx *c, const char *before, bool dry_run, json_t **out, sk_buf *err)
{
	*out = NULL;
	if (!c->actor->superuser)
		return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_RETENTION_OPERATOR_ONLY);
	sk_date d;
	if (!before || sk_wareki_parse(before, strlen(before), &d, NULL)) {
		sk_fail_msg(err, SK_ERR_INVALID, "before", NULL, SK_M_RETENTION_BEFORE_BAD,
		            before ? before : "");
		if (err)
			err->field = "before";
		return SK_ERR_INVALID;
	}
	char iso[11], today[11];
	sk_date_format_iso(d, iso);
	int64_t cutoff = day_epoch(iso), now = sk_clock_now();
	time_t t = (time_t)(now + JST);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	const sk_policy *pol = NULL;
	sk_err e = sk_ctx_policy(c, &pol, err);
	if (e)
		return e;
	recs rq = {.today = today}, inc = {.today = today};
	int64_t open = 0;
	sk_val p[] = {SK_VINT(cutoff)};
	if ((e = sk_store_begin(c->store, err)))
		return e;
	e = sk_store_query(c->store,
	                   "SELECT r.id, r.kind, r.status, r.updated_at, r.period_until, "
	                   "COALESCE(a.mynumber, 0) FROM requests r LEFT JOIN assets a ON a.id = "
	                   "r.asset_id WHERE r.created_at < ? ORDER BY r.id",
	                   p, 1, take_request, &rq, err);
	if (!e)
		e = sk_store_query(
		    c->store,
		    "SELECT i.id, i.kind, i.status, i.closed_at, i.updated_at, "
		    "(SELECT COUNT(*) FROM incident_assets ia JOIN assets a ON a.id = "
		    "ia.asset_id WHERE ia.incident_id = i.id AND a.mynumber <> 0) "
		    "FROM incidents i WHERE i.created_at < ? ORDER BY i.id",
		    p, 1, take_incident, &inc, err);
	if (!e) {
		candidates(&rq, cutoff, &open);
		candidates(&inc, cutoff, &open);
		e = check_periods(pol, "request", &rq, now, err);
	}
	if (!e)
		e = check_periods(pol, "incident", &inc, now, err);
	json_t *res = NULL;
	if (!e) {
		res = json_pack("{s:s, s:b, s:o, s:o, s:I}", "before", iso, "dry_run", dry_run,
		                "requests", summary(&rq), "incidents", summary(&inc), "open",
		                (json_int_t)open);
		if (!res)
			e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	if (!e && !dry_run && (rq.n || inc.n)) {
		/* NOLINTBEGIN(bugprone-suspicious-missing-comma): one long statement is split */
		static const char *const del_rq[] = {
		    "DELETE FROM notifications WHERE ref_type = 'request' AND ref_id IN (%s)",
		    "DELETE FROM request_steps WHERE request_id IN (%s)",
		    "DELETE FROM requests WHERE id IN (%s)",
		};
		static const char *const del_inc[] = {
		    "DELETE FROM notifications WHERE ref_type = 'incident' AND ref_id IN (%s)",
		    "DELETE FROM incident_steps WHERE incident_id IN (%s)",
		    "DELETE FROM incident_assets WHERE incident_id IN (%s)",
		    "DELETE FROM incident_attachments WHERE incident_id IN (%s)",
		    "DELETE FROM incidents WHERE id IN (%s)",
		};
		/* NOLINTEND(bugprone-suspicious-missing-comma) */
		e = delete_ids(c->store, del_rq, N(del_rq), &rq, err);
		if (!e)
			e = delete_ids(c->store, del_inc, N(del_inc), &inc, err);
		if (!e)
			e = sk_audit_change(c->store, c->actor->login, c->actor->address,
			                    "record.purge", SK_AUDIT_NONE,
			                    json_pack("{s:s, s:O, s:O}", "before", iso, "requests",
			                              json_object_get(res, "requests"), "incidents",
			                              json_object_get(res, "incidents")),
			                    err, "records");
	}
	if (e || dry_run)
		sk_store_rollback(c->store);
	else
		e = sk_store_commit(c->store, err);
	free(rq.v);
	free(inc.v);
	if (e) {
		json_decref(res);
		return e;
	}
	*out = res;
	return SK_OK;
}
