/*
 * asset: the register's reads and writes of one asset (add, update, dispose, read, get, the
 * record of a read) with their audit entries; asset.h is the register's interface and
 * asset_int.h what its files share.
 */
#include "asset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_msg.h"
#include "../report/wareki.h"
#include "asset_int.h"

/* What a decision needs of an asset (sk_asset_read with facts_only): no join, few columns. */
#define FACTS_COLS                                                                                 \
	"a.id, a.unit_id, a.type, a.conf, a.integ, a.avail, a.zone, a.personal, a.mynumber, "      \
	"a.status, a.updated_at"

static void row_to_facts(const sk_row *r, sk_asset *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sk_row_int(r, 0);
	a->unit_id = sk_row_int(r, 1);
	a->type = sk_row_text(r, 2);
	a->conf = sk_row_text(r, 3);
	a->integ = sk_row_text(r, 4);
	a->avail = sk_row_text(r, 5);
	a->zone = sk_row_text(r, 6);
	a->personal = sk_row_int(r, 7) != 0;
	a->mynumber = sk_row_int(r, 8) != 0;
	a->status = sk_row_text(r, 9);
	a->updated_at = sk_row_int(r, 10);
	a->unit_code = a->unit_name = a->name = a->location = a->disposal_method = a->manager =
	    a->label = a->note = "";
	a->recovery_hours = -1;
}

/* The stored values as an input, so an update can overlay its changes. */
static sk_err take_input(struct one_asset *o, const sk_asset *a, sk_buf *err)
{
	snprintf(o->buf[0], sizeof(o->buf[0]), "%lld", (long long)a->unit_id);
	snprintf(o->buf[1], sizeof(o->buf[1]), "%lld", (long long)a->quantity);
	if (a->recovery_hours >= 0)
		snprintf(o->buf[2], sizeof(o->buf[2]), "%lld", (long long)a->recovery_hours);
	const char *vals[SK_AF__COUNT] = {
	    [SK_AF_UNIT] = o->buf[0],
	    [SK_AF_TYPE] = a->type,
	    [SK_AF_NAME] = a->name,
	    [SK_AF_QUANTITY] = o->buf[1],
	    [SK_AF_LOCATION] = a->location,
	    [SK_AF_BACKUP] = a->backup ? "1" : "0",
	    [SK_AF_DISPOSAL_METHOD] = a->disposal_method,
	    [SK_AF_CONF] = a->conf,
	    [SK_AF_INTEG] = a->integ,
	    [SK_AF_AVAIL] = a->avail,
	    [SK_AF_MANAGER] = a->manager,
	    [SK_AF_ZONE] = a->zone,
	    [SK_AF_PERSONAL] = a->personal ? "1" : "0",
	    [SK_AF_MYNUMBER] = a->mynumber ? "1" : "0",
	    [SK_AF_RECOVERY_HOURS] = a->recovery_hours >= 0 ? o->buf[2] : "",
	    [SK_AF_ACQUIRED_ON] = a->acquired_on ? a->acquired_on : "",
	    [SK_AF_NOTE] = a->note,
	    [SK_AF_NUMBER] = a->asset_number ? a->asset_number : "",
	};
	for (int f = 0; f < SK_AF__COUNT; f++) {
		o->owned[f] = strdup(vals[f]);
		if (!o->owned[f])
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		o->as_input.v[f] = o->owned[f];
	}
	return SK_OK;
}

/* The row callback of asset_load(): the facts the checks need, then what o->want asks for. */
static sk_err take_asset(void *ctx, const sk_row *row, sk_buf *err)
{
	struct one_asset *o = ctx;
	sk_asset a;
	if (o->want & WANT_FACTS_ONLY)
		row_to_facts(row, &a);
	else
		row_to_asset(row, &a);
	o->found = true;
	o->unit_id = a.unit_id;
	o->top_conf = level_is_top(o->sc, 0, a.conf);
	o->disposed = strcmp(a.status, "active") != 0;
	o->import_id = a.import_id;
	if (o->want & WANT_TEXT) {
		if (sk_asset_render(&a, o->text))
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_ASSET_TOO_BIG);
	}
	if ((o->want & WANT_JSON) && !(o->j = sk_asset_json(&a)))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if (o->want & WANT_CALL) {
		/* The scope lists are loaded already (asset_load()): this asks the database
		 * nothing. */
		sk_err e = may_access(o->cx, a.unit_id, false, &o->in_scope, err);
		if (e || !o->in_scope)
			return e;
		if ((e = o->fn(o->fn_ctx, &a, err)))
			return e;
	}
	if (o->want & WANT_INPUT)
		return take_input(o, &a, err);
	return SK_OK;
}

void asset_one_free(struct one_asset *o)
{
	json_decref(o->j);
	for (int f = 0; f < SK_AF__COUNT; f++)
		free(o->owned[f]);
	memset(o, 0, sizeof(*o));
}

sk_err asset_load(actx *cx, int64_t id, bool write, unsigned want, struct one_asset *o, sk_buf *err)
{
	sk_buf *text = o->text;
	sk_asset_fn fn = o->fn;
	void *fn_ctx = o->fn_ctx;
	memset(o, 0, sizeof(*o));
	o->want = want;
	o->text = text;
	o->fn = fn;
	o->fn_ctx = fn_ctx;
	o->text_start = text ? text->len : 0;
	o->cx = cx;
	sk_err e = with_scheme(cx, err);
	if (e)
		return e;
	o->sc = &cx->sc;
	/* fn must only see an asset in scope, and the row callback must not query: check first. */
	if ((want & WANT_CALL) && !write && (e = may_access(cx, 0, false, &(bool){false}, err)))
		return e;
	sk_val p[] = {SK_VINT(id)};
	e = (want & WANT_FACTS_ONLY)
	        ? sk_store_query(cx->s, "SELECT " FACTS_COLS " FROM assets a WHERE a.id = ?", p, 1,
	                         take_asset, o, err)
	        : sk_store_query(cx->s, "SELECT " ASSET_COLS ASSET_FROM " WHERE a.id = ?", p, 1,
	                         take_asset, o, err);
	bool ok = false;
	if (!e && o->found)
		e = may_access(cx, o->unit_id, write, &ok, err);
	if (!e && (!o->found || !ok))
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_ASSET_NONE, (long long)id);
	if (e) {
		if (o->want & WANT_TEXT) {
			o->text->len = o->text_start;
			if (o->text->cap)
				o->text->data[o->text_start] = '\0';
		}
		asset_one_free(o);
	}
	return e;
}

sk_err asset_audit(actx *cx, const char *action, const char *object, json_t *before, json_t *after,
                   sk_buf *err)
{
	/* The images stay the caller's: sk_audit_change is handed references of its own. */
	return sk_audit_change(cx->s, cx->actor->login, cx->actor->address, action,
	                       before ? json_incref(before) : SK_AUDIT_NONE,
	                       after ? json_incref(after) : SK_AUDIT_NONE, err, "%s", object);
}

/* --- writing --- */

/* Inserts one asset and returns its id. */
static sk_err insert(actx *cx, const norm *n, int64_t now, int64_t *id, sk_buf *err)
{
	sk_val p[INSERT_PARAMS];
	bind_norm(n, 0, now, p);
	*id = 0;
	sk_err e = sk_store_query_int(cx->s, INSERT_HEAD INSERT_ROW " RETURNING id", p,
	                              INSERT_PARAMS, id, err);
	if (e == SK_ERR_NOT_FOUND)
		e = sk_fail_msg(err, SK_ERR_STORE, NULL, NULL, SK_M_FAULT_STORE,
		                "the asset insert returned no id");
	return e;
}

static sk_err take_id(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	*(int64_t *)ctx = sk_row_int(row, 0);
	return SK_OK;
}

sk_err asset_number_owner(actx *cx, const char *number, int64_t *id, sk_buf *err)
{
	*id = 0;
	if (!number)
		return SK_OK;
	sk_val p[] = {sk_vtext(number)};
	return sk_store_query(cx->s, "SELECT id FROM assets WHERE asset_number = ?", p, 1, take_id,
	                      id, err);
}

sk_err asset_number_free(actx *cx, const char *number, int64_t self, sk_buf *err)
{
	int64_t owner;
	sk_err e = asset_number_owner(cx, number, &owner, err);
	if (!e && owner && owner != self)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_ASSET_NUMBER_TAKEN, number,
		                (long long)owner);
	return e;
}

void asset_object_name(int64_t id, char out[48]) { snprintf(out, 48, "asset:%lld", (long long)id); }

sk_err asset_audit_one(actx *cx, const char *action, int64_t id, json_t *before, json_t *after,
                       sk_buf *err)
{
	char obj[48];
	asset_object_name(id, obj);
	return asset_audit(cx, action, obj, before, after, err);
}

sk_err sk_asset_add(sk_ctx *c, const sk_asset_input *in, int64_t *id_out, sk_buf *err)
{
	sk_store *s = c->store;
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	norm n;
	sk_asset_field bad;
	struct one_asset after = {0};
	int64_t id = 0;
	sk_err e = asset_normalize(&cx, in, &n, &bad, err);
	if (e) {
		asset_name_field(e, bad, err);
		goto out;
	}
	bool ok;
	if ((e = may_access(&cx, n.unit_id, true, &ok, err)))
		goto out;
	if (!ok) {
		e = sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_ASSET_NO_RIGHT_ADD,
		                in->v[SK_AF_UNIT]);
		goto out;
	}
	if ((e = sk_store_begin(s, err)))
		goto out;
	e = asset_number_free(&cx, n.number, 0, err);
	if (!e)
		e = insert(&cx, &n, sk_clock_now(), &id, err);
	if (!e)
		e = asset_load(&cx, id, false, WANT_JSON, &after, err);
	if (!e)
		e = asset_audit_one(&cx, "asset.add", id, NULL, after.j, err);
	e = sk_store_end(s, e, err);
	if (!e && id_out)
		*id_out = id;
out:
	asset_one_free(&after);
	asset_actx_free(&cx);
	return e;
}

sk_err asset_write_update(actx *cx, int64_t id, const norm *n, json_t *before, bool *changed,
                          sk_buf *err)
{
	sk_store *s = cx->s;
	struct one_asset after = {0};
	*changed = false;
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	sk_val p[] = {
	    SK_VINT(n->unit_id),
	    sk_vtext(n->type),
	    sk_vtext(n->name),
	    SK_VINT(n->quantity),
	    sk_vtext(n->location),
	    SK_VINT(n->backup),
	    sk_vtext(n->disposal_method),
	    sk_vtext(n->conf),
	    sk_vtext(n->integ),
	    sk_vtext(n->avail),
	    sk_vtext(n->manager),
	    sk_vtext(n->zone),
	    SK_VINT(n->personal),
	    SK_VINT(n->mynumber),
	    n->recovery_hours < 0 ? SK_VNULL : SK_VINT(n->recovery_hours),
	    sk_vtext(n->label),
	    n->acquired_on[0] ? sk_vtext(n->acquired_on) : SK_VNULL,
	    sk_vtext(n->note),
	    n->number ? sk_vtext(n->number) : SK_VNULL,
	    SK_VINT(id),
	};
	e = sk_store_exec(
	    s,
	    "UPDATE assets SET unit_id = ?, type = ?, name = ?, quantity = ?, "
	    "location = ?, backup = ?, disposal_method = ?, conf = ?, integ = ?, "
	    "avail = ?, manager = ?, zone = ?, personal = ?, mynumber = ?, "
	    "recovery_hours = ?, label = ?, acquired_on = ?, note = ?, asset_number = ? "
	    "WHERE id = ?",
	    p, sizeof(p) / sizeof(p[0]), NULL, err);
	if (!e)
		e = asset_load(cx, id, false, WANT_JSON, &after, err);
	if (e || json_equal(before, after.j))
		goto done; /* nothing changed: no entry (the caller rolls back if it is outermost)
		            */
	sk_val q[] = {SK_VINT(sk_clock_now()), SK_VINT(id)};
	e = sk_store_exec(s, "UPDATE assets SET updated_at = ? WHERE id = ?", q, 2, NULL, err);
	asset_one_free(&after);
	if (!e)
		e = asset_load(cx, id, false, WANT_JSON, &after, err);
	if (!e) {
		/* The images leave out updated_at so the entry shows only what the change changed.
		 */
		json_t *b = json_deep_copy(before);
		json_object_del(b, "updated_at");
		json_object_del(after.j, "updated_at");
		e = b ? asset_audit_one(cx, "asset.update", id, b, after.j, err)
		      : sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		json_decref(b);
		*changed = !e;
	}
done:
	/* An unchanged row wrote the values it had: committing that keeps an enclosing
	 * transaction (an import) alive, where a rollback would doom it. */
	e = sk_store_end(s, e, err);
	if (e)
		*changed = false;
	asset_one_free(&after);
	return e;
}

sk_err sk_asset_update(sk_ctx *c, int64_t id, const sk_asset_input *ch, sk_buf *err)
{
	sk_store *s = c->store;
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct one_asset before = {0};
	bool changed = false;
	sk_err e = sk_store_begin(s, err);
	if (e)
		goto out;
	if ((e = asset_load(&cx, id, true, WANT_JSON | WANT_INPUT, &before, err)))
		goto done;
	if (before.disposed) {
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_ASSET_DISPOSED_NO_CHANGE,
		                (long long)id);
		goto done;
	}
	sk_asset_input merged = before.as_input;
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (ch->v[f])
			merged.v[f] = ch->v[f];
	norm n;
	sk_asset_field bad;
	if ((e = asset_normalize(&cx, &merged, &n, &bad, err))) {
		asset_name_field(e, bad, err);
		goto done;
	}
	bool ok = true;
	if (ch->v[SK_AF_UNIT] && (e = may_access(&cx, n.unit_id, true, &ok, err)))
		goto done;
	if (!ok) {
		e = sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_ASSET_NO_RIGHT_MOVE,
		                ch->v[SK_AF_UNIT]);
		goto done;
	}
	if ((e = asset_number_free(&cx, n.number, id, err)))
		goto done;
	e = asset_write_update(&cx, id, &n, before.j, &changed, err);
done:
	if (e || !changed)
		sk_store_rollback(s);
	else
		e = sk_store_commit(s, err);
out:
	asset_one_free(&before);
	asset_actx_free(&cx);
	return e;
}

/* The date in Japan (UTC+9, no daylight saving) at Unix time at. */
static sk_date date_jst(int64_t at)
{
	time_t t = (time_t)(at + 9 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	return (sk_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

/* Today's date in Japan, for a disposal without a date. */
sk_date asset_today_jst(void) { return date_jst(sk_clock_now()); }

sk_err sk_asset_dispose(sk_ctx *c, int64_t id, const char *on, const char *operator_name,
                        const char *record, sk_buf *err)
{
	sk_store *s = c->store;
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct one_asset before = {0}, after = {0};
	char date[11];
	sk_err e = SK_OK;
	if (on && *on) {
		sk_date d;
		if ((e = sk_wareki_parse(on, strlen(on), &d, err))) {
			return sk_fail_wrap(err, e, "on", NULL, SK_M_ASSET_DISPOSAL_DATE);
		}
		sk_date_format_iso(d, date);
	} else
		sk_date_format_iso(asset_today_jst(), date);
	char today[11];
	sk_date_format_iso(asset_today_jst(), today);
	const sk_field *on_f = sk_schema_field(&sk_schema_asset_dispose, "on");
	if ((on_f->flags & SK_FF_PAST) && strcmp(date, today) > 0) /* ISO dates order as text */
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ASSET_DISPOSAL_FUTURE,
		                   date, today);
	const sk_field *op_f = sk_schema_field(&sk_schema_asset_dispose, "operator");
	const sk_field *rec_f = sk_schema_field(&sk_schema_asset_dispose, "record");
	if (!operator_name || asset_check_text(operator_name, true, op_f->max, false, err))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ASSET_DISPOSAL_OPERATOR);
	if (!record || asset_check_text(record, true, rec_f->max, true, err))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ASSET_DISPOSAL_RECORD);
	if ((e = sk_store_begin(s, err)))
		goto out;
	if ((e = asset_load(&cx, id, true, WANT_JSON, &before, err)))
		goto done;
	if (before.disposed) {
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_ASSET_DISPOSED_ALREADY,
		                (long long)id);
		goto done;
	}
	/* Nothing is disposed of before it existed: acquired, or else entered in the register. */
	const char *acq = json_string_value(json_object_get(before.j, "acquired_on"));
	char since[11];
	if (acq && strlen(acq) == 10) {
		memcpy(since, acq, 11);
	} else {
		int64_t created = 0;
		sk_val pid[] = {SK_VINT(id)};
		if ((e = sk_store_query_int(s, "SELECT created_at FROM assets WHERE id = ?", pid, 1,
		                            &created, err)))
			goto done;
		sk_date_format_iso(date_jst(created), since);
	}
	if (strcmp(date, since) < 0) {
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                acq ? SK_M_ASSET_DISPOSAL_BEFORE_ACQUIRED
		                    : SK_M_ASSET_DISPOSAL_BEFORE_REGISTERED,
		                date, since);
		goto done;
	}
	sk_val p[] = {sk_vtext(date), sk_vtext(operator_name), sk_vtext(record),
	              SK_VINT(sk_clock_now()), SK_VINT(id)};
	e = sk_store_exec(s,
	                  "UPDATE assets SET status = 'disposed', disposed_on = ?, "
	                  "disposal_operator = ?, disposal_record = ?, updated_at = ? WHERE id = ?",
	                  p, 5, NULL, err);
	if (!e)
		e = asset_load(&cx, id, false, WANT_JSON, &after, err);
	if (!e)
		e = asset_audit_one(&cx, "asset.dispose", id, before.j, after.j, err);
done:
	e = sk_store_end(s, e, err);
out:
	asset_one_free(&before);
	asset_one_free(&after);
	asset_actx_free(&cx);
	return e;
}

sk_err sk_asset_remove(sk_ctx *c, int64_t id, const char *reason, sk_buf *err)
{
	sk_store *s = c->store;
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct one_asset before = {0};
	const sk_field *rf = sk_schema_field(&sk_schema_asset_remove, "reason");
	if (!reason || asset_check_text(reason, true, rf->max, true, err))
		return sk_fail_msg(err, SK_ERR_INVALID, "reason", rf->ja, SK_M_ASSET_REMOVE_REASON,
		                   (unsigned)rf->max);
	sk_err e = sk_store_begin(s, err);
	if (e)
		goto out;
	if ((e = asset_load(&cx, id, true, WANT_JSON, &before, err)))
		goto done;
	int64_t uses = 0;
	sk_val p[] = {SK_VINT(id), SK_VINT(id)};
	if ((e = sk_store_query_int(s,
	                            "SELECT (SELECT COUNT(*) FROM requests WHERE asset_id = ?) + "
	                            "(SELECT COUNT(*) FROM incident_assets WHERE asset_id = ?)",
	                            p, 2, &uses, err)))
		goto done;
	if (uses) {
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_ASSET_REMOVE_IN_USE,
		                (long long)id, (long long)uses);
		goto done;
	}
	sk_val q[] = {SK_VINT(id)};
	if ((e = sk_store_exec(s, "DELETE FROM assets WHERE id = ?", q, 1, NULL, err)))
		goto done;
	json_t *after = json_pack("{s:s, s:b}", "reason", reason, "removed", 1);
	e = after ? asset_audit_one(&cx, "asset.remove", id, before.j, after, err)
	          : sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	json_decref(after);
done:
	e = sk_store_end(s, e, err);
out:
	asset_one_free(&before);
	asset_actx_free(&cx);
	return e;
}

sk_err sk_asset_record_read(sk_ctx *c, int64_t id, sk_buf *err)
{
	sk_store *s = c->store;
	/*
	 * Only a read that must be recorded takes a transaction: on SQLite a
	 * transaction is BEGIN IMMEDIATE, which would serialize every reader of
	 * the register (the server's threads) on the write lock.
	 */
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	sk_err e = sk_store_begin(s, err);
	if (!e) {
		e = asset_audit_one(&cx, "asset.read", id, NULL, NULL, err);
		e = sk_store_end(s, e, err);
	}
	return e;
}

sk_err sk_asset_read(sk_ctx *c, int64_t id, bool facts_only, sk_asset_fn fn, void *ctx,
                     bool *top_conf, sk_buf *err)
{
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct one_asset o = {.fn = fn, .fn_ctx = ctx};
	*top_conf = false;
	sk_err e =
	    asset_load(&cx, id, false, WANT_CALL | (facts_only ? WANT_FACTS_ONLY : 0u), &o, err);
	if (!e)
		*top_conf = o.top_conf;
	asset_one_free(&o);
	asset_actx_free(&cx);
	return e;
}

sk_err sk_asset_get_text(sk_ctx *c, int64_t id, sk_buf *out, sk_buf *err)
{
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct one_asset o = {.text = out};
	size_t start = out->len;
	sk_err e = asset_load(&cx, id, false, WANT_TEXT, &o, err);
	if (!e && o.top_conf && (e = sk_asset_record_read(c, id, err))) {
		/* Not on record: nothing of it is handed out. */
		out->len = start;
		if (out->cap)
			out->data[start] = '\0';
	}
	asset_one_free(&o);
	asset_actx_free(&cx);
	return e;
}

sk_err sk_asset_get(sk_ctx *c, int64_t id, json_t **out, sk_buf *err)
{
	*out = NULL;
	sk_buf text = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_err e = sk_asset_get_text(c, id, &text, err);
	if (!e && !(*out = json_loadb(text.data, text.len, 0, NULL)))
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	sk_buf_free(&text);
	return e;
}
