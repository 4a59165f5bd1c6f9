/*
 * notify_route: requests left pending too long remind their approvers once a
 * day (sk_notify_remind_overdue), through sk_notify_holders (notify.c), in
 * the caller's transaction when there is one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_clock.h"
#include "../core/sk_msg.h"
#include "notify.h"

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
