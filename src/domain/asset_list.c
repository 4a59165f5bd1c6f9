/*
 * asset_list: listing the register (sk_asset_list): filters, scope and the withholding of
 * 機密性3 details.
 */
#include <stdio.h>
#include <string.h>

#include "../core/sk_msg.h"
#include "../report/csv.h"
#include "asset_int.h"

/*
 * A brief listing's columns; the unit's code (from the join) last, left out
 * when the codes come from the actor's scope (see sk_asset_list).
 */
#define BRIEF_COLS_NOCODE                                                                          \
	"a.id, a.unit_id, a.type, a.name, a.conf, a.integ, a.avail, a.zone, a.status"
#define BRIEF_COLS BRIEF_COLS_NOCODE ", o.code"

static void row_to_brief(const sk_row *r, bool code, sk_asset *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sk_row_int(r, 0);
	a->unit_id = sk_row_int(r, 1);
	a->type = sk_row_text(r, 2);
	a->name = sk_row_text(r, 3);
	a->conf = sk_row_text(r, 4);
	a->integ = sk_row_text(r, 5);
	a->avail = sk_row_text(r, 6);
	a->zone = sk_row_text(r, 7);
	a->status = sk_row_text(r, 8);
	a->unit_code = code ? sk_row_text(r, 9) : "";
	a->unit_name = a->location = a->disposal_method = a->manager = a->label = a->note = "";
	a->recovery_hours = -1;
}

/* --- listing --- */

/*
 * The most parameters an actor's scope may take in the listing's SQL (two
 * per run of consecutive unit ids); a scope of more runs is left to
 * list_row's check alone, as every scope was before.
 */
#define SCOPE_IN 64

struct list_ctx {
	actx *cx;
	sk_asset_fn fn;
	void *ctx;
	int64_t limit, seen;
	bool brief, withhold, full; /* full: limit rows passed on; the scan stopped */
	const sk_scope *codes;      /* brief, not joined: the units' codes from the scope */
};

static sk_err list_row(void *ctx, const sk_row *row, sk_buf *err)
{
	struct list_ctx *l = ctx;
	sk_asset a;
	if (l->brief)
		row_to_brief(row, !l->codes, &a);
	else
		row_to_asset(row, &a);
	bool ok;
	sk_err e = may_access(l->cx, a.unit_id, false, &ok, err);
	if (e || !ok)
		return e;
	if (l->codes) {
		/* a row may_access let through is of a unit of the scope (no root cover: see below)
		 */
		const sk_scope_unit *u = sk_authz_scope_find(l->codes, a.unit_id);
		if (!u)
			return SK_OK;
		a.unit_code = u->code;
	}
	if (l->limit && l->seen >= l->limit) {
		l->full = true; /* stop reading: the rest of the scope would only be skipped */
		return SK_ERR_CONFLICT;
	}
	l->seen++;
	if (l->withhold && !l->brief && level_is_top(&l->cx->sc, 0, a.conf)) {
		a.location = a.note = a.disposal_operator = a.disposal_record = NULL;
		a.withheld = true;
	}
	return l->fn(l->ctx, &a, err);
}

/* Escapes LIKE's wildcards so the text matches literally (ESCAPE '\'). */
static sk_err like_pattern(const char *text, sk_buf *out)
{
	sk_err e = sk_buf_addc(out, '%');
	for (const char *p = text; !e && *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			e = sk_buf_addc(out, '\\');
		if (!e)
			e = sk_buf_addc(out, *p);
	}
	return e ? e : sk_buf_addc(out, '%');
}

sk_err sk_asset_list(sk_ctx *c, const sk_asset_filter *f, sk_asset_fn fn, void *ctx, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	sk_buf sql = SK_BUF_INIT(4096), pat = SK_BUF_INIT(2048);
	/*
	 * recursive unit, status, type, conf, zone, 4 text patterns, the top levels: at most 16;
	 * and the scope's units
	 */
	sk_val p[16 + SCOPE_IN];
	size_t np = 0;
	int64_t unit_id = 0;
	sk_err e = SK_OK;
	char list[256];
	const char *status = f->status ? f->status : "active";

	int64_t children = 0;
	if (f->unit && (e = asset_unit_resolve(&cx, f->unit, &unit_id, err)))
		goto out;
	if (f->unit) {
		sk_val q[] = {SK_VINT(unit_id)};
		if ((e = sk_store_query_int(s, "SELECT COUNT(*) FROM org_unit WHERE parent_id = ?",
		                            q, 1, &children, err)))
			goto out;
	}
	if (children) {
		sk_buf_adds(&sql,
		            "WITH RECURSIVE down(id) AS (SELECT CAST(? AS BIGINT) UNION "
		            "SELECT o2.id FROM org_unit o2 JOIN down ON o2.parent_id = down.id) ");
		p[np++] = SK_VINT(unit_id);
	}
	/*
	 * A brief listing for an actor whose reading is not granted at the root
	 * sees only rows of units in its scope, and the scope holds their codes
	 * (loaded with it, kept fresh with it; a unit's code never changes): the
	 * join to org_unit, a tenth of the page's SQLite work, is left out.
	 */
	const sk_scope *codes = NULL;
	if (f->brief && !actor->superuser) {
		const sk_scope *sc;
		if ((e = sk_ctx_scope(c, &sc, err)))
			goto out;
		if (sc && !((sc->caps_all >> SK_CAP_ASSET_READ) & 1u))
			codes = sc;
	}
	sk_buf_adds(&sql, codes      ? "SELECT " BRIEF_COLS_NOCODE " FROM assets a WHERE 1 = 1"
	                  : f->brief ? "SELECT " BRIEF_COLS ASSET_FROM " WHERE 1 = 1"
	                             : "SELECT " ASSET_COLS ASSET_FROM " WHERE 1 = 1");
	/*
	 * A leaf unit (a section) uses the unit index. A subtree is read by a scan
	 * in id order ("+" keeps the planner off the index): a department's assets
	 * are a large share of the register, and fetching them through the index
	 * and sorting them again cost SQLite ten times a scan (measured).
	 */
	if (children)
		sk_buf_adds(&sql, " AND +a.unit_id IN (SELECT id FROM down)");
	else if (f->unit) {
		sk_buf_adds(&sql, " AND a.unit_id = ?");
		p[np++] = SK_VINT(unit_id);
	}
	/*
	 * The actor's scope in the SQL too, when it is a few runs of unit ids (a
	 * department and its sections): SQLite then passes over the rows of other
	 * units (the status and the unit compared) instead of joining, decoding
	 * and handing each to list_row only to be refused there, and the limit can
	 * be SQL's. list_row's check stays the one that decides; this only
	 * narrows what reaches it. Runs (BETWEEN) rather than an IN list, which
	 * SQLite would build into a temporary index on every run of the query;
	 * the "+" keeps the planner on the scan in id order, as above.
	 */
	bool scoped_sql = actor->superuser;
	if (!actor->superuser) {
		const sk_scope *sc;
		if ((e = sk_ctx_scope(c, &sc, err)))
			goto out;
		if (sc && ((sc->caps_all >> SK_CAP_ASSET_READ) & 1u)) {
			scoped_sql = true; /* read everywhere: every row passes list_row */
		} else if (sc) {
			/* units are sorted (authz.h): count the runs of consecutive ids first */
			size_t runs = 0;
			int64_t last = 0;
			for (size_t i = 0; i < sc->n; i++) {
				if (!((sc->units[i].caps >> SK_CAP_ASSET_READ) & 1u))
					continue;
				runs += !(runs && sc->units[i].unit == last + 1);
				last = sc->units[i].unit;
			}
			if (runs > 0 && runs * 2 <= SCOPE_IN) {
				sk_buf_adds(&sql, " AND (");
				size_t r = 0;
				for (size_t i = 0; i < sc->n; i++) {
					if (!((sc->units[i].caps >> SK_CAP_ASSET_READ) & 1u))
						continue;
					int64_t u = sc->units[i].unit;
					if (r && u == p[np - 1].i + 1) {
						p[np - 1].i = u; /* the run goes on */
						continue;
					}
					sk_buf_adds(&sql, r++ ? " OR +a.unit_id BETWEEN ? AND ?"
					                      : "+a.unit_id BETWEEN ? AND ?");
					p[np++] = SK_VINT(u);
					p[np++] = SK_VINT(u);
				}
				sk_buf_adds(&sql, ")");
				scoped_sql = true;
			}
		}
	}
	if (strcmp(status, "all") != 0) {
		if (strcmp(status, "active") != 0 && strcmp(status, "disposed") != 0) {
			e = sk_fail_msg(err, SK_ERR_INVALID, "status", NULL,
			                SK_M_ASSET_STATUS_UNKNOWN, status);
			goto out;
		}
		sk_buf_adds(&sql, " AND a.status = ?");
		p[np++] = sk_vtext(status);
	}
	if (f->type) {
		const char *w = find_word(SK_VOCAB_ASSET_TYPE, f->type);
		if (!w) {
			e = sk_vocab_unknown(SK_VOCAB_ASSET_TYPE, "type", "情報資産の種類", f->type,
			                     err);
			goto out;
		}
		sk_buf_adds(&sql, " AND a.type = ?");
		p[np++] = sk_vtext(w);
	}
	if (f->conf) {
		if ((e = with_scheme(&cx, err)))
			goto out;
		const char *lv = level_parse(&cx.sc, 0, f->conf);
		if (!lv) {
			asset_level_names(&cx.sc, 0, list, sizeof(list));
			e = sk_fail_msg(err, SK_ERR_INVALID, "conf", NULL, SK_M_ASSET_LEVEL_BAD,
			                f->conf, axis_title(&cx.sc, 0), list);
			goto out;
		}
		sk_buf_adds(&sql, " AND a.conf = ?");
		p[np++] = sk_vtext(lv);
	}
	if (f->zone) {
		const char *w = find_word(SK_VOCAB_ZONE, f->zone);
		if (!w) {
			e = sk_vocab_unknown(SK_VOCAB_ZONE, "network zone", "ネットワーク区分",
			                     f->zone, err);
			goto out;
		}
		sk_buf_adds(&sql, " AND a.zone = ?");
		p[np++] = sk_vtext(w);
	}
	if (f->text) {
		if (strlen(f->text) > 256 || !sk_csv_utf8_valid(f->text, strlen(f->text), NULL)) {
			e = sk_fail_msg(err, SK_ERR_INVALID, "q", NULL, SK_M_ASSET_SEARCH_BAD);
			goto out;
		}
		like_pattern(f->text, &pat);
		sk_buf_adds(&sql,
		            " AND (a.name LIKE ? ESCAPE '\\' OR a.manager LIKE ? ESCAPE '\\'");
		p[np++] = sk_vtext(pat.data);
		p[np++] = sk_vtext(pat.data);
		/*
		 * A listing that withholds the 機密性3 details must not search them either,
		 * or the search answers what the listing hides, one character at a time
		 * (issue #12, finding 1): location and note match only below the top class.
		 */
		if (f->withhold) {
			if ((e = with_scheme(&cx, err)))
				goto out;
			sk_buf_adds(&sql, " OR (a.conf NOT IN (''");
			for (int v = 0; v < level_count(&cx.sc, 0); v++) {
				const char *lv = level_name(&cx.sc, 0, v);
				if (!level_is_top(&cx.sc, 0, lv))
					continue;
				/* Fail closed: a level left out of the list would be searchable. */
				if (np + 2 >= sizeof(p) / sizeof(p[0])) {
					e = sk_fail_msg(err, SK_ERR_UNSUPPORTED, NULL, NULL,
					                SK_M_ASSET_SEARCH_LEVELS);
					goto out;
				}
				sk_buf_adds(&sql, ", ?");
				p[np++] = sk_vtext(lv);
			}
			sk_buf_adds(&sql, ") AND");
		} else {
			sk_buf_adds(&sql, " OR (");
		}
		sk_buf_adds(&sql,
		            " (a.location LIKE ? ESCAPE '\\' OR a.note LIKE ? ESCAPE '\\')))");
		p[np++] = sk_vtext(pat.data);
		p[np++] = sk_vtext(pat.data);
	}
	if (f->limit < 0) {
		e = sk_fail_msg(err, SK_ERR_INVALID, "limit", NULL, SK_M_LIMIT_NEGATIVE);
		goto out;
	}
	/* A limit in SQL only when every row is in scope; otherwise list_row counts. */
	sk_buf_adds(&sql, " ORDER BY a.id");
	if (f->limit && scoped_sql)
		sk_buf_addf(&sql, " LIMIT %lld", (long long)f->limit);
	if (f->withhold && !f->brief && (e = with_scheme(&cx, err)))
		goto out;
	struct list_ctx l = {&cx, fn, ctx, f->limit, 0, f->brief, f->withhold, false, codes};
	e = sk_store_query(s, sql.data, p, np, list_row, &l, err);
	if (l.full)
		e = SK_OK;
out:
	sk_buf_free(&sql);
	sk_buf_free(&pat);
	asset_actx_free(&cx);
	return e;
}
