/* authz: the scope query, the capability check, and the units in scope. */
#include "authz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "org.h"

#include "../core/sk_msg.h"

struct scope_load {
	const sk_policy *p;
	sk_scope *sc;
	size_t cap;
};

static sk_err take_scope(void *ctx, const sk_row *row, sk_buf *err)
{
	struct scope_load *l = ctx;
	sk_scope *sc = l->sc;
	sk_role r;
	/* A role this build does not know grants nothing. */
	if (sk_role_parse(sk_row_text(row, 1), &r) != SK_OK)
		return SK_OK;
	uint32_t caps = sk_policy_role_caps(l->p, 1u << r);
	sc->roles |= 1u << r;
	sc->caps |= caps;
	if (sk_row_int(row, 2))
		sc->caps_all |= caps;
	if (sc->n == l->cap) {
		size_t nc = l->cap ? 2 * l->cap : 64;
		sk_scope_unit *u = realloc(sc->units, nc * sizeof(*u));
		if (!u)
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		sc->units = u;
		l->cap = nc;
	}
	sk_scope_unit *u = &sc->units[sc->n++];
	*u = (sk_scope_unit){sk_row_int(row, 0), caps, ""};
	snprintf(u->code, sizeof(u->code), "%s", sk_row_text(row, 3));
	return SK_OK;
}

static int cmp_unit(const void *a, const void *b)
{
	int64_t x = ((const sk_scope_unit *)a)->unit, y = ((const sk_scope_unit *)b)->unit;
	return (x > y) - (x < y);
}

sk_err sk_authz_scope_load(sk_store *s, const sk_policy *p, int64_t user_id, sk_scope *out,
                           sk_buf *err)
{
	memset(out, 0, sizeof(*out));
	struct scope_load l = {p, out, 0};
	sk_val v[] = {SK_VINT(user_id)};
	/* First: a change committed between the two reads leaves gen behind the scope, not ahead.
	 */
	if (sk_store_query_int(s, "SELECT n FROM authz_generation WHERE id = 1", NULL, 0, &out->gen,
	                       NULL) != SK_OK)
		out->gen = 0;
	/*
	 * The one scope query: every (unit, role) the account holds, carried
	 * down the tree, and whether the grant sits at the root.
	 */
	sk_err e = sk_store_query(
	    s,
	    "WITH RECURSIVE down(id, role, top, code) AS ("
	    "  SELECT ra.unit_id, ra.role, CASE WHEN o.parent_id IS NULL THEN 1 ELSE 0 END, o.code"
	    "  FROM role_assignment ra JOIN users u ON u.id = ra.user_id"
	    "  JOIN org_unit o ON o.id = ra.unit_id"
	    "  WHERE ra.user_id = ? AND u.status = 'active'"
	    "  UNION SELECT o.id, down.role, 0, o.code FROM org_unit o"
	    "  JOIN down ON o.parent_id = down.id)"
	    " SELECT id, role, top, code FROM down",
	    v, 1, take_scope, &l, err);
	if (e) {
		sk_authz_scope_free(out);
		return e;
	}
	if (out->n > 1) {
		qsort(out->units, out->n, sizeof(*out->units), cmp_unit);
		size_t w = 0;
		for (size_t i = 0; i < out->n; i++) {
			if (w && out->units[w - 1].unit == out->units[i].unit)
				out->units[w - 1].caps |= out->units[i].caps;
			else
				out->units[w++] = out->units[i];
		}
		out->n = w;
	}
	return SK_OK;
}

void sk_authz_scope_free(sk_scope *sc)
{
	free(sc->units);
	memset(sc, 0, sizeof(*sc));
}

sk_err sk_authz_require_held(const sk_authz_principal *p, int cap, sk_buf *err)
{
	if (p && cap < 0 && p->roles)
		return SK_OK;
	if (p && cap >= 0 && cap < SK_CAP__COUNT && ((p->caps >> cap) & 1u))
		return SK_OK;
	if (cap < 0)
		return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_AUTHZ_NO_ROLE);
	return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_AUTHZ_NO_CAP,
	                   sk_cap_name((sk_cap)cap));
}

const sk_scope_unit *sk_authz_scope_find(const sk_scope *sc, int64_t unit)
{
	/* by hand, not bsearch: the listings call it for every row */
	size_t lo = 0, hi = sc ? sc->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t u = sc->units[mid].unit;
		if (u == unit)
			return &sc->units[mid];
		if (u < unit)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint32_t sk_authz_caps_at(const sk_scope *sc, int64_t unit)
{
	if (!sc)
		return 0;
	if (!unit)
		return sc->caps;
	const sk_scope_unit *u = sk_authz_scope_find(sc, unit);
	return (u ? u->caps : 0) | sc->caps_all;
}

bool sk_authz_can(sk_ctx *c, sk_cap cap, int64_t unit)
{
	if (c->actor->superuser)
		return true;
	const sk_scope *sc;
	if ((unsigned)cap >= SK_CAP__COUNT || sk_ctx_scope(c, &sc, NULL))
		return false;
	return (sk_authz_caps_at(sc, unit) >> cap) & 1u;
}

bool sk_authz_everywhere(sk_ctx *c, sk_cap cap)
{
	if (c->actor->superuser)
		return true;
	const sk_scope *sc;
	if ((unsigned)cap >= SK_CAP__COUNT || sk_ctx_scope(c, &sc, NULL) || !sc)
		return false;
	return (sc->caps_all >> cap) & 1u;
}

sk_err sk_authz_require_cap(sk_ctx *c, sk_cap cap, int64_t unit, sk_buf *err)
{
	if (c->actor->superuser)
		return SK_OK;
	const sk_scope *sc;
	sk_err e = sk_ctx_scope(c, &sc, err);
	if (e)
		return e;
	if ((unsigned)cap < SK_CAP__COUNT && ((sk_authz_caps_at(sc, unit) >> cap) & 1u))
		return SK_OK;
	if (!unit)
		return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_AUTHZ_USER_NO_CAP,
		                   c->actor->login, sk_cap_name(cap));
	sk_org_unit u = {0};
	(void)sk_org_get_id(c->store, unit, &u, NULL);
	return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_AUTHZ_USER_NO_CAP_AT,
	                   c->actor->login, u.code[0] ? u.code : "?", sk_cap_name(cap));
}

sk_err sk_authz_require_cap_of(sk_store *s, const sk_actor *actor, sk_cap cap, int64_t unit,
                               sk_buf *err)
{
	if (actor->superuser)
		return SK_OK;
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, actor);
	sk_err e = sk_authz_require_cap(&c, cap, unit, err);
	sk_ctx_fini(&c);
	return e;
}

static sk_err take_unit(void *ctx, const sk_row *row, sk_buf *err)
{
	sk_org_unit u;
	memset(&u, 0, sizeof(u));
	u.id = sk_row_int(row, 0);
	snprintf(u.code, sizeof(u.code), "%s", sk_row_text(row, 1));
	snprintf(u.name, sizeof(u.name), "%s", sk_row_text(row, 2));
	if (sk_org_kind_parse(sk_row_text(row, 3), &u.kind, NULL))
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_FAULT_CORRUPT,
		                   "a unit has an unknown kind");
	u.parent_id = sk_row_int(row, 4);
	u.created_at = sk_row_int(row, 5);
	json_t *j = sk_org_json(&u);
	if (!j || json_array_append_new((json_t *)ctx, j))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

struct units_in_scope {
	sk_ctx *c;
	sk_cap cap;
	json_t *arr;
};

static sk_err take_unit_in_scope(void *ctx, const sk_row *row, sk_buf *err)
{
	struct units_in_scope *u = ctx;
	if (!sk_authz_can(u->c, u->cap, sk_row_int(row, 0)))
		return SK_OK;
	return take_unit(u->arr, row, err);
}

sk_err sk_authz_scope_units(sk_ctx *c, sk_cap cap, json_t **out, sk_buf *err)
{
	*out = NULL;
	if (c->actor->superuser)
		return sk_org_list(c->store, out, err);
	const sk_scope *sc;
	sk_err e = sk_ctx_scope(c, &sc, err);
	if (e)
		return e;
	json_t *a = json_array();
	if (!a)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	struct units_in_scope u = {c, cap, a};
	e = sk_store_query(c->store,
	                   "SELECT o.id, o.code, o.name, o.kind, o.parent_id, o.created_at"
	                   " FROM org_unit o ORDER BY o.id",
	                   NULL, 0, take_unit_in_scope, &u, err);
	if (e) {
		json_decref(a);
		return e;
	}
	*out = a;
	return SK_OK;
}
