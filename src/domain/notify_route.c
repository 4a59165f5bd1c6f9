/*
 * notify_route: who is told. A request's approver and an incident's step
 * name a role at a unit; every active holder of that role there is told
 * (sk_notify_holders). Requests left pending too long remind their
 * approvers once a day (sk_notify_remind_overdue). Both run inside the
 * caller's transaction, as sk_notify_add does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_clock.h"
#include "../core/sk_msg.h"
#include "../core/sk_vec.h"
#include "notify.h"
#include "orgview.h"

sk_err sk_notify_holders_add(const sk_orgview *v, const char *role, int64_t unit, int64_t not_user,
                             sk_notify_whoms *out, sk_buf *err)
{
	const sk_orgview_holder *h = NULL;
	size_t k = sk_orgview_holders(v, role, unit, &h);
	for (size_t i = 0; i < k; i++) {
		if (!h[i].active || h[i].user_id == not_user)
			continue;
		sk_notify_whom *w = sk_vec_room(out->v, out->n, &out->cap, sizeof(*w), 8);
		if (!w)
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		out->v = w;
		w = &out->v[out->n++];
		w->user_id = h[i].user_id;
		w->email[0] = '\0';
	}
	return SK_OK;
}

/* The accounts of l from index from to index to, whose addresses a query answers. */
struct addresses {
	sk_notify_whoms *l;
	size_t from, to;
};

static sk_err take_address(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct addresses *a = ctx;
	int64_t id = sk_row_int(row, 0);
	const char *email = sk_row_is_null(row, 1) ? "" : sk_row_text(row, 1);
	/* An account may be there twice (two roles held): each entry gets it. */
	for (size_t i = a->from; i < a->to; i++)
		if (a->l->v[i].user_id == id)
			snprintf(a->l->v[i].email, sizeof(a->l->v[i].email), "%s", email);
	return SK_OK;
}

sk_err sk_notify_whoms_address(sk_ctx *c, sk_notify_whoms *l, size_t from, sk_buf *err)
{
	sk_err e = SK_OK;
	/*
	 * Two accounts a query (an approver and a deputy: most filings), each a
	 * lookup by key: not "id IN (...)", for which SQLite builds an ephemeral
	 * table on every run, dearer than two queries.
	 */
	for (size_t i = from; !e && i < l->n; i += 2) {
		size_t k = l->n - i < 2 ? 1 : 2;
		sk_val p[] = {SK_VINT(l->v[i].user_id), SK_VINT(l->v[i + k - 1].user_id)};
		struct addresses a = {l, i, i + k};
		e = sk_store_query(c->store,
		                   k == 1 ? "SELECT id, email FROM users WHERE id = ?"
		                          : "SELECT id, email FROM users WHERE id = ? UNION ALL "
		                            "SELECT id, email FROM users WHERE id = ?",
		                   p, k, take_address, &a, err);
	}
	return e;
}

sk_err sk_notify_holders_find(sk_ctx *c, const sk_orgview *v, const char *role, int64_t unit,
                              int64_t not_user, sk_notify_whoms *out, sk_buf *err)
{
	size_t from = out->n;
	sk_err e = v ? SK_OK : sk_orgview_get(c->store, 0, &v, err);
	if (!e)
		e = sk_notify_holders_add(v, role, unit, not_user, out, err);
	if (!e)
		e = sk_notify_whoms_address(c, out, from, err);
	return e;
}

sk_err sk_notify_tell(sk_ctx *c, const sk_notify_whoms *l, sk_notify_kind kind,
                      const char *ref_type, int64_t ref_id, sk_buf *err)
{
	/* Found active (sk_notify_holders_find), so told as such; all of them at once. */
	sk_notify_to few[8] = {{0}}, *to = l->n <= 8 ? few : calloc(l->n, sizeof(*to));
	if (!to)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	for (size_t i = 0; i < l->n; i++)
		to[i] = (sk_notify_to){
		    .user_id = l->v[i].user_id, .active = true, .email = l->v[i].email};
	sk_err e = sk_notify_add_each(c, to, l->n, kind, ref_type, ref_id, err);
	if (to != few)
		free(to);
	return e;
}

void sk_notify_whoms_free(sk_notify_whoms *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

sk_err sk_notify_holders(sk_ctx *c, const char *role, int64_t unit, int64_t not_user,
                         sk_notify_kind kind, const char *ref_type, int64_t ref_id, sk_buf *err)
{
	sk_notify_whoms who = {0};
	sk_err e = sk_notify_holders_find(c, NULL, role, unit, not_user, &who, err);
	if (!e)
		e = sk_notify_tell(c, &who, kind, ref_type, ref_id, err);
	sk_notify_whoms_free(&who);
	return e;
}

/* A pending request and whom it waits for. */
struct waiting {
	int64_t id, unit, requester;
	char role[40];
};

struct waitings {
	struct waiting *v;
	size_t n, cap;
};

static sk_err take_waiting(void *ctx, const sk_row *row, sk_buf *err)
{
	struct waitings *w = ctx;
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 16;
		struct waiting *v = realloc(w->v, cap * sizeof(*v));
		if (!v)
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		w->v = v;
		w->cap = cap;
	}
	struct waiting *x = &w->v[w->n++];
	x->id = sk_row_int(row, 0);
	x->unit = sk_row_int(row, 1);
	x->requester = sk_row_int(row, 3);
	snprintf(x->role, sizeof(x->role), "%s", sk_row_text(row, 2));
	return SK_OK;
}

sk_err sk_notify_remind_overdue(sk_ctx *c, int days, int64_t *n_out, sk_buf *err)
{
	*n_out = 0;
	int64_t now = sk_clock_now();
	struct waitings w = {0};
	/*
	 * Pending for more than days, and not reminded of in the last day: the
	 * notifications themselves are the record, so a restart reminds no
	 * one twice.
	 */
	sk_val p[] = {SK_VINT(now - (int64_t)days * 86400), SK_VINT(now - 86400)};
	sk_err e = sk_store_query(
	    c->store,
	    "SELECT r.id, r.approver_unit, r.approver_role, r.requester_id FROM requests r WHERE "
	    "r.status = 'pending' AND r.approver_role IS NOT NULL AND r.created_at < ? AND NOT "
	    "EXISTS (SELECT 1 FROM notifications n WHERE n.ref_type = 'request' AND n.ref_id = "
	    "r.id "
	    "AND n.kind = 'request_overdue' AND n.created_at >= ?) ORDER BY r.id LIMIT 1000",
	    p, 2, take_waiting, &w, err);
	bool began = !e && !(e = sk_store_begin(c->store, err));
	for (size_t i = 0; !e && i < w.n; i++)
		e = sk_notify_holders(c, w.v[i].role, w.v[i].unit, w.v[i].requester,
		                      SK_NOTIFY_REQUEST_OVERDUE, "request", w.v[i].id, err);
	if (began && e)
		sk_store_rollback(c->store);
	else if (began)
		e = sk_store_commit(c->store, err);
	if (!e)
		*n_out = (int64_t)w.n;
	free(w.v);
	return e;
}
