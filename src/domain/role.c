/* role: the role table, grants and the administration check. */
#include "role.h"

#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../auth/auth.h"
#include "../core/sk_msg.h"
#include "../core/sk_clock.h"
#include "authz.h"
#include "ctx.h"
#include "org.h"

#define K(k)      (1u << (k))
#define ANY_UNIT  (K(SK_ORG__COUNT) - 1u)
#define CITY_SIDE (K(SK_ORG_MUNICIPALITY) | K(SK_ORG_DEPARTMENT) | K(SK_ORG_SECTION))

/*
 * Where each role of SPEC §3 is held (its titles are the policy layer's,
 * sk_role_title): the city-wide posts at the root, the chiefs at their
 * department or section, a designated manager's officer and a contractor at
 * their own unit.
 */
static const sk_role_info roles[] = {
    {SK_ROLE_CISO, "ciso", K(SK_ORG_MUNICIPALITY), 6},
    {SK_ROLE_GENERAL_MANAGER, "general_manager", K(SK_ORG_MUNICIPALITY), 5},
    {SK_ROLE_SECURITY_OFFICER, "security_officer", K(SK_ORG_MUNICIPALITY) | K(SK_ORG_DEPARTMENT),
     4},
    {SK_ROLE_SECURITY_MANAGER, "security_manager", K(SK_ORG_DEPARTMENT) | K(SK_ORG_SECTION), 3},
    {SK_ROLE_SYSTEM_MANAGER, "system_manager", CITY_SIDE, 3},
    {SK_ROLE_SYSTEM_STAFF, "system_staff", ANY_UNIT, 2},
    {SK_ROLE_CSIRT, "csirt", CITY_SIDE, 2},
    {SK_ROLE_DM_OFFICER, "dm_officer", K(SK_ORG_DESIGNATED_MANAGER), 3},
    {SK_ROLE_STAFF, "staff", ANY_UNIT & ~K(SK_ORG_CONTRACTOR), 1},
    {SK_ROLE_CONTRACTOR, "contractor", K(SK_ORG_CONTRACTOR), 1},
    /* Appointed by the CISO (世田谷 16(1)ア), so only the CISO may grant it. */
    {SK_ROLE_AUDITOR, "auditor", ANY_UNIT, 5},
    {SK_ROLE_CITY, "city", K(SK_ORG_MUNICIPALITY), 5},
};
_Static_assert(sizeof(roles) / sizeof(roles[0]) == SK_ROLE__COUNT, "one entry per role");
#define NROLES (sizeof(roles) / sizeof(roles[0]))

const sk_role_info *sk_role_table(size_t *n)
{
	*n = NROLES;
	return roles;
}

const sk_role_info *sk_role_find(const char *name)
{
	for (size_t i = 0; name && i < NROLES; i++)
		if (strcmp(roles[i].name, name) == 0)
			return &roles[i];
	return NULL;
}

sk_err sk_role_lookup(const char *name, const sk_role_info **out, sk_buf *err)
{
	*out = sk_role_find(name);
	if (*out)
		return SK_OK;
	char valid[512] = "";
	size_t used = 0;
	for (size_t i = 0; i < NROLES; i++) {
		int n = snprintf(valid + used, sizeof(valid) - used, "%s%s", i ? ", " : "",
		                 roles[i].name);
		if (n < 0 || (size_t)n >= sizeof(valid) - used)
			break;
		used += (size_t)n;
	}
	return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ROLE_UNKNOWN, name ? name : "",
	                   valid);
}

static const char *kinds_text(unsigned kinds, sk_lang l, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned k = 0; k < SK_ORG__COUNT; k++) {
		if (!(kinds & K(k)))
			continue;
		int w = snprintf(buf + used, n - used, "%s%s",
		                 used ? (l == SK_LANG_JA ? "又は" : " or ") : "",
		                 l == SK_LANG_JA ? sk_org_kind_label((sk_org_kind)k, l)
		                                 : sk_org_kind_name((sk_org_kind)k));
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	return buf;
}

sk_err sk_role_count_active(sk_store *s, const char *role, int64_t *out, sk_buf *err)
{
	sk_val p[] = {sk_vtext(role)};
	return sk_store_query_int(s,
	                          "SELECT COUNT(DISTINCT r.user_id) FROM role_assignment r "
	                          "JOIN users u ON u.id = r.user_id "
	                          "WHERE r.role = ? AND u.status = 'active'",
	                          p, 1, out, err);
}

static sk_err rank_row(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	int *rank = ctx;
	const sk_role_info *r = sk_role_find(sk_row_text(row, 0));
	if (r && r->rank > *rank)
		*rank = r->rank;
	return SK_OK;
}

sk_err sk_role_top_rank(sk_store *s, int64_t user_id, int *rank, sk_buf *err)
{
	*rank = 0;
	sk_val p[] = {SK_VINT(user_id)};
	return sk_store_query(s, "SELECT DISTINCT role FROM role_assignment WHERE user_id = ?", p,
	                      1, rank_row, rank, err);
}

struct excl_ctx {
	uint32_t excluded; /* the roles that may not go with the one granted */
	char clash[32];
};

static sk_err excl_row(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct excl_ctx *x = ctx;
	const char *held = sk_row_text(row, 0);
	sk_role h;
	if (!x->clash[0] && sk_role_parse(held, &h) == SK_OK && (x->excluded & (1u << h)))
		snprintf(x->clash, sizeof(x->clash), "%s", held);
	return SK_OK;
}

/*
 * SK_ERR_CONFLICT when the account uid holds a role that may not go with r:
 * the separation of duties of the installation's profile, which always
 * includes the floor (an auditor is independent of what is audited,
 * sk_policy_role_excludes).
 */
static sk_err check_separation(sk_ctx *c, int64_t uid, const char *login, const sk_role_info *r,
                               sk_buf *err)
{
	sk_store *s = c->store;
	sk_role granted;
	if (sk_role_parse(r->name, &granted) != SK_OK)
		return SK_OK; /* a role this build does not know grants nothing */
	const sk_policy *pol = NULL;
	sk_err e = sk_ctx_policy(c, &pol, err);
	struct excl_ctx x = {.excluded = sk_policy_role_excludes(pol, granted)};
	sk_val p[] = {SK_VINT(uid)};
	if (!e)
		e = sk_store_query(s, "SELECT DISTINCT role FROM role_assignment WHERE user_id = ?",
		                   p, 1, excl_row, &x, err);
	if (!e && x.clash[0]) {
		sk_role held = SK_ROLE_NONE;
		(void)sk_role_parse(x.clash, &held);
		unsigned n = 0;
		const char *const *cites = sk_policy_separation_citations(pol, granted, held, &n);
		e = n ? sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_ROLE_SEPARATION, login,
		                    x.clash, r->name, cites[0])
		      : sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_ROLE_AUDITOR_INDEPENDENT,
		                    login, x.clash, r->name);
	}
	return e;
}

/*
 * An account changes only the roles below its own highest (the chain of
 * command of 八王子 4 and 成田 基準 1: CISO → 統括情報セキュリティ責任者 →
 * 情報セキュリティ責任者 → 情報セキュリティ管理者), and never its own. The CLI
 * operator, who holds the installation, is above every role.
 */
static sk_err check_rank(sk_ctx *c, int64_t uid, const sk_role_info *r, const char *verb,
                         sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	if (actor->superuser)
		return SK_OK;
	bool grant = strcmp(verb, "grant") == 0;
	/* Named on the role field: a form shows the refusal beside it. */
	if (actor->user_id == uid)
		return sk_fail_msg(err, SK_ERR_DENIED, "role", NULL,
		                   grant ? SK_M_ROLE_OWN_GRANT : SK_M_ROLE_OWN_REVOKE);
	int mine = 0;
	sk_err e = sk_role_top_rank(s, actor->user_id, &mine, err);
	if (e)
		return e;
	if (r->rank >= mine)
		return sk_fail_msg(err, SK_ERR_DENIED, "role", NULL,
		                   grant ? SK_M_ROLE_RANK_GRANT : SK_M_ROLE_RANK_REVOKE, r->name);
	return SK_OK;
}

static sk_err user_id(sk_store *s, const char *login, int64_t *id, sk_buf *err)
{
	if (!login || !*login)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ROLE_NO_ACCOUNT);
	sk_val p[] = {sk_vtext(login)};
	sk_err e = sk_store_query_int(s, "SELECT id FROM users WHERE login = ?", p, 1, id, err);
	if (e == SK_ERR_NOT_FOUND)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_USER_UNKNOWN, login);
	return e;
}

static sk_err audit_grant(sk_ctx *c, const char *action, const char *login, const sk_role_info *r,
                          const sk_org_unit *u, bool granted, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	json_t *img = json_pack("{s:s, s:s, s:I, s:s}", "login", login, "role", r->name, "unit",
	                        (json_int_t)u->id, "unit_code", u->code);
	return sk_audit_change(s, actor->login, actor->address, action,
	                       granted ? SK_AUDIT_NONE : img, granted ? img : SK_AUDIT_NONE, err,
	                       "user:%s", login);
}

static sk_err grant_in_txn(sk_ctx *c, const char *login, int64_t uid, const sk_role_info *r,
                           const sk_org_unit *unit, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_org_unit u = *unit;
	sk_err e;
	if (!(r->unit_kinds & K(u.kind))) {
		char kinds[128], kinds_ja[128];
		return sk_fail_msg(
		    err, SK_ERR_INVALID, NULL, NULL, SK_M_ROLE_WRONG_KIND, r->name,
		    kinds_text(r->unit_kinds, SK_LANG_EN, kinds, sizeof(kinds)),
		    kinds_text(r->unit_kinds, SK_LANG_JA, kinds_ja, sizeof(kinds_ja)),
		    sk_org_kind_name(u.kind), sk_org_kind_label(u.kind, SK_LANG_JA), u.code);
	}
	if ((e = sk_authz_require_cap(c, SK_CAP_ROLE_GRANT, u.id, err)) ||
	    (e = check_rank(c, uid, r, "grant", err)) ||
	    (e = check_separation(c, uid, login, r, err)))
		return e;
	sk_val p[] = {SK_VINT(uid), sk_vtext(r->name), SK_VINT(u.id), SK_VINT(sk_clock_now())};
	int64_t one = 0;
	e = sk_store_query_int(s,
	                       "SELECT 1 FROM role_assignment WHERE user_id = ? AND role = ? "
	                       "AND unit_id = ?",
	                       p, 3, &one, err);
	if (!e)
		return sk_fail_msg(err, SK_ERR_EXISTS, NULL, NULL, SK_M_ROLE_HELD_ALREADY, login,
		                   r->name, u.code);
	if (e != SK_ERR_NOT_FOUND)
		return e;
	e = sk_store_exec(s,
	                  "INSERT INTO role_assignment(user_id, role, unit_id, granted_at) "
	                  "VALUES (?, ?, ?, ?)",
	                  p, 4, NULL, err);
	if (e == SK_ERR_EXISTS)
		return sk_fail_msg(err, SK_ERR_EXISTS, NULL, NULL, SK_M_ROLE_HELD_ALREADY, login,
		                   r->name, u.code);
	if (e)
		return e;
	return audit_grant(c, "role.grant", login, r, &u, true, err);
}

typedef sk_err (*role_change_fn)(sk_ctx *c, const char *login, int64_t uid, const sk_role_info *r,
                                 const sk_org_unit *unit, sk_buf *err);

/*
 * Names role r, the account and the unit, then runs change (grant or revoke)
 * in a transaction of its own (or the caller's): both changes start from the
 * same three lookups, so they are made here once.
 */
static sk_err change_in_txn(sk_ctx *c, const char *login, const char *role, const char *unit,
                            role_change_fn change, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_role_info *r;
	sk_err e = sk_role_lookup(role, &r, err);
	if (e)
		return e;
	if ((e = sk_store_begin(s, err)))
		return e;
	int64_t uid = 0;
	sk_org_unit u;
	if (!(e = user_id(s, login, &uid, err)) && !(e = sk_org_get(s, unit, &u, err)))
		e = change(c, login, uid, r, &u, err);
	return sk_store_end(s, e, err);
}

sk_err sk_role_grant(sk_ctx *c, const char *login, const char *role, const char *unit, sk_buf *err)
{
	return change_in_txn(c, login, role, unit, grant_in_txn, err);
}

static sk_err revoke_in_txn(sk_ctx *c, const char *login, int64_t uid, const sk_role_info *r,
                            const sk_org_unit *unit, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_org_unit u = *unit;
	sk_err e;
	if ((e = sk_authz_require_cap(c, SK_CAP_ROLE_GRANT, u.id, err)) ||
	    (e = check_rank(c, uid, r, "revoke", err)))
		return e;
	if (strcmp(r->name, "ciso") == 0) {
		int64_t holders = 0, held = 0;
		sk_val pu[] = {SK_VINT(uid)};
		if ((e = sk_role_count_active(s, "ciso", &holders, err)) ||
		    (e = sk_store_query_int(s,
		                            "SELECT COUNT(*) FROM role_assignment r JOIN users u "
		                            "ON u.id = r.user_id WHERE r.user_id = ? AND "
		                            "r.role = 'ciso' AND u.status = 'active'",
		                            pu, 1, &held, err)))
			return e;
		if (holders == 1 && held == 1)
			return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_ROLE_LAST_CISO,
			                   login);
	}
	sk_val p[] = {SK_VINT(uid), sk_vtext(r->name), SK_VINT(u.id)};
	int64_t changed = 0;
	if ((e = sk_store_exec(s,
	                       "DELETE FROM role_assignment WHERE user_id = ? AND role = ? "
	                       "AND unit_id = ?",
	                       p, 3, &changed, err)))
		return e;
	if (changed == 0)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_ROLE_NOT_HELD, login,
		                   r->name, u.code);
	if ((e = sk_auth_privileged_min_holders_check(s, r->name, uid, err)))
		return e;
	return audit_grant(c, "role.revoke", login, r, &u, false, err);
}

sk_err sk_role_revoke(sk_ctx *c, const char *login, const char *role, const char *unit, sk_buf *err)
{
	return change_in_txn(c, login, role, unit, revoke_in_txn, err);
}

struct list_ctx {
	sk_ctx *c;
	const sk_policy *pol; /* loaded before the query: the row callback must not query */
	json_t *arr;
};

static sk_err list_row(void *ctx, const sk_row *row, sk_buf *err)
{
	struct list_ctx *l = ctx;
	json_t *arr = l->arr;
	/* Grants at units out of the actor's scope are left out. */
	if (!sk_authz_can(l->c, SK_CAP_USER_READ, sk_row_int(row, 3)))
		return SK_OK;
	const sk_role_info *r = sk_role_find(sk_row_text(row, 2));
	char at[SK_TIME_STR_MAX];
	sk_clock_format_local(sk_row_int(row, 5), at);
	json_t *j = json_pack(
	    "{s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "login", sk_row_text(row, 0), "name",
	    sk_row_text(row, 1), "role", sk_row_text(row, 2), "title",
	    r ? sk_policy_role_title(l->pol, r->role, sk_lang_of_code(l->c->lang)) : "", "unit",
	    (json_int_t)sk_row_int(row, 3), "unit_code", sk_row_text(row, 4), "granted_at", at);
	if (!j || json_array_append_new(arr, j))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

sk_err sk_role_list(sk_ctx *c, const char *login, const char *role, const char *unit, json_t **out,
                    sk_buf *err)
{
	*out = NULL;
	sk_store *s = c->store;
	const sk_scope *sc;
	const sk_policy *pol = NULL;
	/* loaded now: the row callback must not query */
	sk_err e = sk_ctx_scope(c, &sc, err);
	if (!e)
		e = sk_ctx_policy(c, &pol, err);
	if (e)
		return e;
	const sk_role_info *r = NULL;
	sk_org_unit u = {0};
	int64_t uid = 0;
	if (role && (e = sk_role_lookup(role, &r, err)))
		return e;
	if (unit && (e = sk_org_get(s, unit, &u, err)))
		return e;
	if (login && (e = user_id(s, login, &uid, err)))
		return e;
	json_t *arr = json_array();
	if (!arr)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	struct list_ctx l = {c, pol, arr};
	/* A NULL filter matches everything: "? IS NULL OR column = ?". */
	sk_val p[] = {login ? SK_VINT(uid) : SK_VNULL,  login ? SK_VINT(uid) : SK_VNULL,
	              r ? sk_vtext(r->name) : SK_VNULL, r ? sk_vtext(r->name) : SK_VNULL,
	              unit ? SK_VINT(u.id) : SK_VNULL,  unit ? SK_VINT(u.id) : SK_VNULL};
	e = sk_store_query(s,
	                   "SELECT u.login, u.name, r.role, o.id, o.code, r.granted_at "
	                   "FROM role_assignment r JOIN users u ON u.id = r.user_id "
	                   "JOIN org_unit o ON o.id = r.unit_id "
	                   "WHERE (CAST(? AS BIGINT) IS NULL OR r.user_id = ?) "
	                   "AND (CAST(? AS TEXT) IS NULL OR r.role = ?) "
	                   "AND (CAST(? AS BIGINT) IS NULL OR r.unit_id = ?) "
	                   "ORDER BY u.login, r.role, o.code",
	                   p, 6, list_row, &l, err);
	if (e) {
		json_decref(arr);
		return e;
	}
	*out = arr;
	return SK_OK;
}
