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

static sk_err take_holder(void *ctx, const sk_row *row, sk_buf *err)
{
	sk_notify_whoms *x = ctx;
	sk_notify_whom *v = sk_vec_room(x->v, x->n, &x->cap, sizeof(*v), 8);
	if (!v)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	x->v = v;
	sk_notify_whom *h = &x->v[x->n++];
	h->user_id = sk_row_int(row, 0);
	snprintf(h->email, sizeof(h->email), "%s",
	         sk_row_is_null(row, 1) ? "" : sk_row_text(row, 1));
	return SK_OK;
}

sk_err sk_notify_holders_find(sk_ctx *c, const char *role, int64_t unit, int64_t not_user,
                              sk_notify_whoms *out, sk_buf *err)
{
	/*
	 * One query for the holders and their addresses (the accounts are not
	 * read again); role_assignment's UNIQUE (user_id, role, unit_id) gives
	 * each holder once, without a DISTINCT's sort. No ORDER BY either: the
	 * order the holders are told in does not matter, and SQLite's temporary
	 * B-tree for it was a third of the query (docs/performance.md).
	 */
	sk_val p[] = {sk_vtext(role), SK_VINT(unit), SK_VINT(not_user)};
	return sk_store_query(c->store,
	                      "SELECT u.id, u.email FROM role_assignment ra JOIN users "
	                      "u ON u.id = ra.user_id WHERE ra.role = ? AND ra.unit_id = ? AND "
	                      "u.status = 'active' AND u.id <> ?",
	                      p, 3, take_holder, out, err);
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
	sk_err e = sk_notify_holders_find(c, role, unit, not_user, &who, err);
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
