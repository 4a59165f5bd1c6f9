/*
 * api_decisions: decisions over HTTP: on a stored asset (POST
 * /api/v1/decisions) and bare, on levels given in the body (POST
 * /api/v1/policy/decide). Every decision is audited (SPEC C9) through the
 * group-commit writer (sk_http_pool_decide, sk_http_pool_record): the answer
 * goes out once its entry is committed, and the loop never waits for the disk.
 */
#include <string.h>

#include "../core/sk_json.h"
#include "../domain/decision.h"
#include "http_int.h"
#include "../core/sk_msg.h"

void sk_api_decision(sk_http_rctx *r)
{
	json_int_t id = json_integer_value(json_object_get(r->body, "asset_id"));
	const char *action = sk_http_field_text(r, "action");
	/* The decision is audited: a durable write, appended with group commit off the loop. */
	if (id >= 1 && sk_http_pool_decide(r, (int64_t)id, action))
		return;
	sk_buf out = SK_BUF_INIT(64u << 10), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = id < 1
	               ? sk_fail_msg(&err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_ASSET_ID_MUST_MORE)
	               : sk_decision_for_asset(&c, r->who->roles, (int64_t)id, action, &out, &err);
	sk_ctx_fini(&c);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else
		sk_http_reply_text(r, 200, "application/json; charset=utf-8", out.data, out.len);
	sk_buf_free(&out);
	sk_buf_free(&err);
}

void sk_api_policy_decide(sk_http_rctx *r)
{
	sk_decide_kv_json kv;
	sk_decision_made m; /* asset_id 0: recorded as "classification:-" */
	sk_decision_made_init(&m);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_decide_kv_from_json(r->body, &kv, &err);
	if (!e)
		e = sk_decision_bare(r->t->pol, kv.kv, kv.n, &m, &err);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else if (!sk_http_pool_record(r, &m)) {
		/* No writer to take it: on record here, in a transaction of its own. */
		sk_ctx c;
		sk_http_ctx(r, &c);
		e = sk_decision_record(&c, &m, &err);
		sk_ctx_fini(&c);
		if (e)
			sk_http_reply_fail(r, e, &err);
		else
			sk_http_reply_text(r, 200, "application/json; charset=utf-8", m.answer.data,
			                   m.answer.len);
	}
	sk_decision_made_free(&m);
	sk_buf_free(&err);
}
