/* org: the organization tree and its changes. */
#include "org.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_msg.h"
#include "../policy/policy.h"
#include "authz.h"
#include "orgview.h"
#include "role.h"
#include "text.h"

static const char *const kind_names[SK_ORG__COUNT] = {
    [SK_ORG_MUNICIPALITY] = "municipality", [SK_ORG_DEPARTMENT] = "department",
    [SK_ORG_SECTION] = "section",           [SK_ORG_DESIGNATED_MANAGER] = "designated_manager",
    [SK_ORG_CONTRACTOR] = "contractor",
};

#define BIT(k) (1u << (k))
/*
 * The kinds a unit may sit directly under. A section may sit under another
 * (係 under 課); a designated manager or contractor sits under the unit that
 * oversees its contract, whatever its level. A designated manager's own
 * subcontractor sits under it, since its 情報セキュリティ対策責任者 answers
 * for the work it hands on (八王子 19(1)).
 */
static const unsigned allowed_parents[SK_ORG__COUNT] = {
    [SK_ORG_MUNICIPALITY] = 0,
    [SK_ORG_DEPARTMENT] = BIT(SK_ORG_MUNICIPALITY),
    [SK_ORG_SECTION] = BIT(SK_ORG_DEPARTMENT) | BIT(SK_ORG_SECTION),
    [SK_ORG_DESIGNATED_MANAGER] =
        BIT(SK_ORG_MUNICIPALITY) | BIT(SK_ORG_DEPARTMENT) | BIT(SK_ORG_SECTION),
    [SK_ORG_CONTRACTOR] = BIT(SK_ORG_MUNICIPALITY) | BIT(SK_ORG_DEPARTMENT) | BIT(SK_ORG_SECTION) |
                          BIT(SK_ORG_DESIGNATED_MANAGER),
};

/* The kinds as people name them: 部, 課, 係 … (policy.h, sk_word). */
static const sk_word kind_words[SK_ORG__COUNT] = {
    [SK_ORG_MUNICIPALITY] = {"municipality", "地方公共団体",
                             "市|区|町|村|市町村|自治体|市役所|区役所"},
    [SK_ORG_DEPARTMENT] = {"department", "部", "部等|局|部局|本部"},
    [SK_ORG_SECTION] = {"section", "課", "課等|係|室|担当|所属|グループ|班"},
    [SK_ORG_DESIGNATED_MANAGER] = {"designated_manager", "指定管理者", ""},
    [SK_ORG_CONTRACTOR] = {"contractor", "委託先", "外部委託事業者|委託事業者|受託者|受託事業者"},
};

const char *sk_org_kind_name(sk_org_kind k)
{
	return (unsigned)k < SK_ORG__COUNT ? kind_names[k] : "?";
}

const char *sk_org_kind_label(sk_org_kind k, sk_lang l)
{
	if ((unsigned)k >= SK_ORG__COUNT)
		return "?";
	return l == SK_LANG_JA ? kind_words[k].ja : kind_words[k].name;
}

sk_err sk_org_kind_parse(const char *s, sk_org_kind *out, sk_buf *err)
{
	int k = sk_words_find(kind_words, SK_ORG__COUNT, s ? s : "");
	if (k >= 0) {
		*out = (sk_org_kind)k;
		return SK_OK;
	}
	sk_words_unknown(kind_words, SK_ORG__COUNT, SK_M_ORG_KIND_UNKNOWN, "kind", "種類",
	                 s ? s : "", err);
	return SK_ERR_INVALID;
}

#define UNIT_COLS "id, COALESCE(parent_id, 0), kind, code, name, created_at"

struct one_unit {
	sk_org_unit *u;
	bool seen;
};

static sk_err take_unit(void *ctx, const sk_row *row, sk_buf *err)
{
	struct one_unit *o = ctx;
	sk_org_unit *u = o->u;
	memset(u, 0, sizeof(*u));
	u->id = sk_row_int(row, 0);
	u->parent_id = sk_row_int(row, 1);
	sk_err e = sk_org_kind_parse(sk_row_text(row, 2), &u->kind, err);
	if (e)
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_FAULT_CORRUPT,
		                   "a unit has an unknown kind");
	snprintf(u->code, sizeof(u->code), "%s", sk_row_text(row, 3));
	snprintf(u->name, sizeof(u->name), "%s", sk_row_text(row, 4));
	u->created_at = sk_row_int(row, 5);
	o->seen = true;
	return SK_OK;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

sk_err sk_org_get_id(sk_store *s, int64_t id, sk_org_unit *out, sk_buf *err)
{
	struct one_unit o = {out, false};
	sk_val p[] = {SK_VINT(id)};
	sk_err e = sk_store_query(s, "SELECT " UNIT_COLS " FROM org_unit WHERE id = ?", p, 1,
	                          take_unit, &o, err);
	if (e)
		return e;
	if (!o.seen)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_ORG_UNKNOWN_ID,
		                   (long long)id);
	return SK_OK;
}

static sk_err unit_by_id(sk_store *s, const char *digits, struct one_unit *o, sk_buf *err)
{
	errno = 0;
	long long id = strtoll(digits, NULL, 10);
	if (errno)
		return SK_OK; /* no such id: o->seen stays false */
	sk_val p[] = {SK_VINT(id)};
	return sk_store_query(s, "SELECT " UNIT_COLS " FROM org_unit WHERE id = ?", p, 1, take_unit,
	                      o, err);
}

static sk_err unit_by_code(sk_store *s, const char *code, struct one_unit *o, sk_buf *err)
{
	sk_val p[] = {sk_vtext(code)};
	return sk_store_query(s, "SELECT " UNIT_COLS " FROM org_unit WHERE code = ?", p, 1,
	                      take_unit, o, err);
}

sk_err sk_org_get(sk_store *s, const char *ref, sk_org_unit *out, sk_buf *err)
{
	if (!ref || !*ref)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ORG_NONE);
	if (strlen(ref) > 64)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_ORG_UNKNOWN, ref);
	struct one_unit o = {out, false};
	sk_err e;
	/* "id:12" and "code:151009" say which they are; a code never holds ':'. */
	if (strncmp(ref, "id:", 3) == 0 && all_digits(ref + 3))
		e = unit_by_id(s, ref + 3, &o, err);
	else if (strncmp(ref, "code:", 5) == 0)
		e = unit_by_code(s, ref + 5, &o, err);
	else if (all_digits(ref)) {
		/*
		 * Digits are an id, or the code of a unit whose code is all digits (a
		 * 地方公共団体コード). When they are both, for two units, the caller must
		 * say which: never a guess.
		 */
		sk_org_unit by_code;
		struct one_unit oc = {&by_code, false};
		if ((e = unit_by_id(s, ref, &o, err)) || (e = unit_by_code(s, ref, &oc, err)))
			return e;
		if (o.seen && oc.seen && by_code.id != out->id) {
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ORG_REF_AMBIGUOUS,
			                   ref, by_code.name, out->name, ref, ref);
		}
		if (oc.seen && !o.seen) {
			*out = by_code;
			o.seen = true;
		}
	} else
		e = unit_by_code(s, ref, &o, err);
	if (e)
		return e;
	if (!o.seen)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_ORG_UNKNOWN, ref);
	return SK_OK;
}

/* How many units lie above id (0 for the root); refuses a broken tree. */
static sk_err depth_of(sk_store *s, int64_t id, int *out, sk_buf *err)
{
	sk_org_unit u;
	int d = 0;
	for (;;) {
		sk_err e = sk_org_get_id(s, id, &u, err);
		if (e)
			return e == SK_ERR_NOT_FOUND ? SK_ERR_CORRUPT : e;
		if (!u.parent_id)
			break;
		if (++d > SK_ORG_DEPTH_MAX)
			return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_FAULT_CORRUPT,
			                   "the organization tree is too deep or has a cycle");
		id = u.parent_id;
	}
	*out = d;
	return SK_OK;
}

sk_err sk_org_is_within(sk_store *s, int64_t unit, int64_t ancestor, bool *out, sk_buf *err)
{
	*out = false;
	sk_org_unit u;
	for (int d = 0; unit && d <= SK_ORG_DEPTH_MAX; d++) {
		if (unit == ancestor) {
			*out = true;
			return SK_OK;
		}
		sk_err e = sk_org_get_id(s, unit, &u, err);
		if (e)
			return e;
		unit = u.parent_id;
	}
	return SK_OK;
}

json_t *sk_org_json(const sk_org_unit *u)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)u->id, "code", u->code,
	                 "name", u->name, "parent",
	                 u->parent_id ? json_integer(u->parent_id) : json_null(), "kind",
	                 sk_org_kind_name(u->kind));
}

static sk_err check_parent_kind(const sk_org_unit *parent, sk_org_kind kind, const char *code,
                                sk_buf *err)
{
	if (allowed_parents[kind] & BIT(parent->kind))
		return SK_OK;
	return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ORG_KIND_UNDER,
	                   sk_org_kind_name(kind), sk_org_kind_label(kind, SK_LANG_JA), code,
	                   sk_org_kind_name(parent->kind),
	                   sk_org_kind_label(parent->kind, SK_LANG_JA), parent->code);
}

static sk_err add_in_txn(sk_ctx *c, const char *code, const char *name, sk_org_kind kind,
                         const char *parent, int64_t *id_out, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	sk_org_unit par = {0}, u = {0};
	sk_err e;
	if (kind == SK_ORG_MUNICIPALITY) {
		if (!actor->superuser)
			return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_ORG_ROOT_BY_INIT);
		int64_t n = 0;
		if ((e = sk_store_query_int(s, "SELECT COUNT(*) FROM org_unit", NULL, 0, &n, err)))
			return e;
		if (n)
			return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_ORG_ROOT_EXISTS);
	} else {
		if ((e = sk_org_get(s, parent, &par, err)))
			return e;
		if ((e = check_parent_kind(&par, kind, code, err)))
			return e;
		int d = 0;
		if ((e = depth_of(s, par.id, &d, err)))
			return e;
		if (d + 1 > SK_ORG_DEPTH_MAX)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ORG_TOO_DEEP, code,
			                   SK_ORG_DEPTH_MAX);
		if ((e = sk_authz_require_cap(c, SK_CAP_ORG_ADMIN, par.id, err)))
			return e;
	}
	int64_t dup = 0;
	if (all_digits(code)) {
		/* A code that is some unit's id would make that id ambiguous at once. */
		sk_org_unit other;
		struct one_unit oi = {&other, false};
		if ((e = unit_by_id(s, code, &oi, err)))
			return e;
		if (oi.seen)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ORG_CODE_IS_ID,
			                   code, other.name);
	}
	sk_val pc[] = {sk_vtext(code)};
	e = sk_store_query_int(s, "SELECT id FROM org_unit WHERE code = ?", pc, 1, &dup, err);
	if (!e)
		return sk_fail_msg(err, SK_ERR_EXISTS, NULL, NULL, SK_M_ORG_CODE_EXISTS, code);
	if (e != SK_ERR_NOT_FOUND)
		return e;

	u.parent_id = par.id;
	u.kind = kind;
	u.created_at = sk_clock_now();
	snprintf(u.code, sizeof(u.code), "%s", code);
	snprintf(u.name, sizeof(u.name), "%s", name);
	sk_val p[] = {sk_vtext(code), sk_vtext(name), sk_vtext(sk_org_kind_name(kind)),
	              par.id ? SK_VINT(par.id) : SK_VNULL, SK_VINT(u.created_at)};
	e = sk_store_query_int(s,
	                       "INSERT INTO org_unit(code, name, kind, parent_id, created_at) "
	                       "VALUES (?, ?, ?, ?, ?) RETURNING id",
	                       p, 5, &u.id, err);
	if (e == SK_ERR_EXISTS)
		return sk_fail_msg(err, SK_ERR_EXISTS, NULL, NULL, SK_M_ORG_CODE_EXISTS, code);
	if (e == SK_ERR_NOT_FOUND)
		return sk_fail_msg(err, SK_ERR_STORE, NULL, NULL, SK_M_FAULT_STORE,
		                   "the new unit got no id");
	if (e)
		return e;
	if ((e = sk_audit_change(s, actor->login, actor->address, "org.add", SK_AUDIT_NONE,
	                         sk_org_json(&u), err, "org_unit:%lld", (long long)u.id)))
		return e;
	if (id_out)
		*id_out = u.id;
	return SK_OK;
}

sk_err sk_org_add(sk_ctx *c, const char *code, const char *name, const char *kind,
                  const char *parent, int64_t *id_out, sk_buf *err)
{
	sk_store *s = c->store;
	sk_org_kind k;
	sk_err e;
	if ((e = sk_text_check_ident("unit code", code, SK_ORG_CODE_MAX,
	                             SK_IDENT_UPPER | SK_IDENT_DIGITS, err)) ||
	    (e = sk_text_check_name("unit name", name, SK_ORG_NAME_MAX, err)) ||
	    (e = sk_org_kind_parse(kind, &k, err)))
		return e;
	if (k == SK_ORG_MUNICIPALITY && parent && *parent)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ORG_ROOT_NO_PARENT,
		                   parent);
	if (k != SK_ORG_MUNICIPALITY && (!parent || !*parent))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ORG_NEEDS_PARENT,
		                   sk_org_kind_name(k), sk_org_kind_label(k, SK_LANG_JA));
	if ((e = sk_store_begin(s, err)))
		return e;
	e = add_in_txn(c, code, name, k, parent, id_out, err);
	return sk_store_end(s, e, err);
}

/* The height of the subtree under id (0 for a leaf), bounded by the depth limit. */
static sk_err height_of(sk_store *s, int64_t id, int64_t *out, sk_buf *err)
{
	sk_val p[] = {SK_VINT(id), SK_VINT(SK_ORG_DEPTH_MAX + 1)};
	return sk_store_query_int(s,
	                          "WITH RECURSIVE sub(id, d) AS ("
	                          "  SELECT id, 0 FROM org_unit WHERE id = ?"
	                          "  UNION ALL SELECT o.id, sub.d + 1 FROM org_unit o"
	                          "  JOIN sub ON o.parent_id = sub.id WHERE sub.d < ?)"
	                          " SELECT MAX(d) FROM sub",
	                          p, 2, out, err);
}

static sk_err move_in_txn(sk_ctx *c, const char *unit, const char *new_parent, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	sk_org_unit u = {0}, par = {0};
	sk_err e;
	/*
	 * Touching the root row first serializes moves on both backends (a row
	 * lock in PostgreSQL, the write lock in SQLite), so two moves that are
	 * each acyclic cannot together close a loop.
	 */
	if ((e = sk_store_exec(s,
	                       "UPDATE org_unit SET created_at = created_at "
	                       "WHERE parent_id IS NULL",
	                       NULL, 0, NULL, err)))
		return e;
	if ((e = sk_org_get(s, unit, &u, err)) || (e = sk_org_get(s, new_parent, &par, err)))
		return e;
	if (!u.parent_id)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ORG_ROOT_NO_MOVE, u.code);
	bool inside = false;
	if ((e = sk_org_is_within(s, par.id, u.id, &inside, err)))
		return e;
	if (inside && par.id == u.id)
		return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_ORG_MOVE_SELF, u.code);
	if (inside)
		return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_ORG_MOVE_CYCLE, u.code,
		                   par.code, par.code, u.code);
	if (par.id == u.parent_id)
		return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_ORG_MOVE_ALREADY, u.code,
		                   par.code);
	if ((e = check_parent_kind(&par, u.kind, u.code, err)))
		return e;
	int d = 0;
	int64_t h = 0;
	if ((e = depth_of(s, par.id, &d, err)) || (e = height_of(s, u.id, &h, err)))
		return e;
	if (d + 1 + h > SK_ORG_DEPTH_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ORG_MOVE_TOO_DEEP, u.code,
		                   par.code, SK_ORG_DEPTH_MAX);
	if ((e = sk_authz_require_cap(c, SK_CAP_ORG_ADMIN, u.parent_id, err)) ||
	    (e = sk_authz_require_cap(c, SK_CAP_ORG_ADMIN, par.id, err)))
		return e;
	sk_org_unit after = u;
	after.parent_id = par.id;
	sk_val p[] = {SK_VINT(par.id), SK_VINT(u.id)};
	int64_t changed = 0;
	if ((e = sk_store_exec(s, "UPDATE org_unit SET parent_id = ? WHERE id = ?", p, 2, &changed,
	                       err)))
		return e;
	if (changed != 1)
		return sk_fail_msg(err, SK_ERR_STORE, NULL, NULL, SK_M_FAULT_STORE,
		                   "a unit changed while being moved");
	return sk_audit_change(s, actor->login, actor->address, "org.move", sk_org_json(&u),
	                       sk_org_json(&after), err, "org_unit:%lld", (long long)u.id);
}

sk_err sk_org_move(sk_ctx *c, const char *unit, const char *new_parent, sk_buf *err)
{
	sk_store *s = c->store;
	if (!unit || !*unit || !new_parent || !*new_parent)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ORG_MOVE_NEEDS);
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	e = move_in_txn(c, unit, new_parent, err);
	return sk_store_end(s, e, err);
}

struct list_ctx {
	json_t *arr;
};

static sk_err list_row(void *ctx, const sk_row *row, sk_buf *err)
{
	struct list_ctx *l = ctx;
	sk_org_unit u;
	struct one_unit o = {&u, false};
	sk_err e = take_unit(&o, row, err);
	if (e)
		return e;
	json_t *j = sk_org_json(&u);
	if (!j || json_array_append_new(l->arr, j))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

sk_err sk_org_list(sk_store *s, json_t **out, sk_buf *err)
{
	*out = NULL;
	struct list_ctx l = {json_array()};
	if (!l.arr)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	sk_err e = sk_store_query(s, "SELECT " UNIT_COLS " FROM org_unit ORDER BY id", NULL, 0,
	                          list_row, &l, err);
	if (e) {
		json_decref(l.arr);
		return e;
	}
	*out = l.arr;
	return SK_OK;
}

/*
 * The line and its holders come from the connection's view of the current
 * generation (orgview.h): one query to learn the generation instead of one
 * per unit.
 */
sk_err sk_org_line(sk_store *s, int64_t unit, int64_t line[SK_ORG_LINE_MAX], size_t *n, sk_buf *err)
{
	*n = 0;
	const sk_orgview *v = NULL;
	sk_err e = unit ? sk_orgview_get(s, 0, &v, err) : SK_OK;
	return e || !unit ? e : sk_orgview_line(v, unit, line, n);
}

sk_err sk_org_holder_unit(sk_store *s, const char *role, const int64_t *line, size_t n,
                          int64_t not_user, int64_t *found, sk_buf *err)
{
	*found = 0;
	const sk_orgview *v = NULL;
	sk_err e = n ? sk_orgview_get(s, 0, &v, err) : SK_OK;
	if (!e && n)
		*found = sk_orgview_holder_unit(v, role, line, n, not_user);
	return e;
}
