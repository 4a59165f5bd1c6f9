/* authz: which roles an account holds, the role check of a route, and the units in scope. */
#include "authz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../policy/policy.h"
#include "org.h"

static sk_err take_role(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	sk_role r;
	if (sk_role_parse(sk_row_text(row, 0), &r) == SK_OK)
		*(uint32_t *)ctx |= 1u << r;
	return SK_OK;
}

sk_err sk_authz_roles(sk_store *s, int64_t user_id, uint32_t *mask, sk_buf *err)
{
	*mask = 0;
	sk_val p[] = {SK_VINT(user_id)};
	return sk_store_query(s,
	                      "SELECT DISTINCT ra.role FROM role_assignment ra"
	                      " JOIN users u ON u.id = ra.user_id"
	                      " WHERE ra.user_id = ? AND u.status = 'active'",
	                      p, 1, take_role, mask, err);
}

sk_err sk_authz_require(const sk_authz_principal *p, uint32_t allowed, sk_buf *err)
{
	if (p && (p->roles & allowed))
		return SK_OK;
	char names[512];
	size_t o = 0;
	names[0] = '\0';
	for (int r = 0; r < SK_ROLE__COUNT && o < sizeof(names); r++)
		if (allowed & (1u << r)) {
			int k = snprintf(names + o, sizeof(names) - o, "%s%s", o ? ", " : "",
			                 sk_role_name((sk_role)r));
			if (k < 0)
				break;
			o += (size_t)k;
		}
	if (!allowed)
		return sk_fail(err, SK_ERR_DENIED, "no role may do this");
	return sk_fail(err, SK_ERR_DENIED, "this needs one of the roles: %s", names);
}

static sk_err take_unit(void *ctx, const sk_row *row, sk_buf *err)
{
	sk_org_unit u;
	memset(&u, 0, sizeof(u));
	u.id = sk_row_int(row, 0);
	snprintf(u.code, sizeof(u.code), "%s", sk_row_text(row, 1));
	snprintf(u.name, sizeof(u.name), "%s", sk_row_text(row, 2));
	if (sk_org_kind_parse(sk_row_text(row, 3), &u.kind, NULL))
		return sk_fail(err, SK_ERR_CORRUPT, "unit %lld has an unknown kind",
		               (long long)u.id);
	u.parent_id = sk_row_int(row, 4);
	u.created_at = sk_row_int(row, 5);
	json_t *j = sk_org_json(&u);
	if (!j || json_array_append_new((json_t *)ctx, j))
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	return SK_OK;
}

sk_err sk_authz_scope_units(sk_store *s, const sk_actor *actor, json_t **out, sk_buf *err)
{
	*out = NULL;
	if (actor->superuser)
		return sk_org_list(s, out, err);
	json_t *a = json_array();
	if (!a)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	sk_val p[] = {SK_VINT(actor->user_id)};
	sk_err e = sk_store_query(
	    s,
	    "WITH RECURSIVE down(id) AS ("
	    "  SELECT ra.unit_id FROM role_assignment ra JOIN users u ON u.id = ra.user_id"
	    "  WHERE ra.user_id = ? AND u.status = 'active'"
	    "  UNION SELECT o.id FROM org_unit o JOIN down ON o.parent_id = down.id)"
	    " SELECT o.id, o.code, o.name, o.kind, o.parent_id, o.created_at"
	    " FROM org_unit o WHERE o.id IN (SELECT id FROM down) ORDER BY o.id",
	    p, 1, take_unit, a, err);
	if (e) {
		json_decref(a);
		return e;
	}
	*out = a;
	return SK_OK;
}

struct ids {
	int64_t *v;
	size_t n, cap;
};

static sk_err take_id(void *ctx, const sk_row *row, sk_buf *err)
{
	struct ids *l = ctx;
	if (l->n == l->cap) {
		size_t nc = l->cap ? 2 * l->cap : 16;
		int64_t *p = realloc(l->v, nc * sizeof(*p));
		if (!p)
			return sk_fail(err, SK_ERR_NOMEM, "out of memory");
		l->v = p;
		l->cap = nc;
	}
	l->v[l->n++] = sk_row_int(row, 0);
	return SK_OK;
}

sk_err sk_authz_scope_ids(sk_store *s, int64_t user_id, int64_t **ids, size_t *n, sk_buf *err)
{
	*ids = NULL;
	*n = 0;
	struct ids l = {0};
	sk_val p[] = {SK_VINT(user_id)};
	/* The query of asset.c's read scope, ordered so that callers can bsearch. */
	sk_err e = sk_store_query(
	    s,
	    "WITH RECURSIVE down(id) AS ("
	    "  SELECT ra.unit_id FROM role_assignment ra JOIN users u ON u.id = ra.user_id"
	    "  WHERE ra.user_id = ? AND u.status = 'active'"
	    "  UNION SELECT o.id FROM org_unit o JOIN down ON o.parent_id = down.id)"
	    " SELECT id FROM down ORDER BY id",
	    p, 1, take_id, &l, err);
	if (e) {
		free(l.v);
		return e;
	}
	*ids = l.v;
	*n = l.n;
	return SK_OK;
}
