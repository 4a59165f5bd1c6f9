/*
 * api_requests: requests and approvals over HTTP (issue #13's contract:
 * POST /api/v1/requests, GET /api/v1/requests[/{id}], POST
 * /api/v1/requests/{id}/approve|reject|withdraw|complete). The route table
 * checked the body against its schema; the kind's details, routing, scope
 * (404 outside it) and self-approval (403) are request.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "../domain/request.h"
#include "http_int.h"

/* Answers the request id as sk_request_get shows it (after a change: as it now stands). */
static void answer(sk_http_rctx *r, int status, int64_t id)
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_request_get(&c, id, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, status, j);
	sk_buf_free(&err);
}

void sk_api_request_file(sk_http_rctx *r)
{
	json_t *aid = json_object_get(r->body, "asset_id");
	sk_request_new in = {
	    .kind = json_string_value(json_object_get(r->body, "kind")),
	    .asset_id = aid ? (int64_t)json_integer_value(aid) : 0,
	    .reason = json_string_value(json_object_get(r->body, "reason")),
	    .details = json_object_get(r->body, "details"),
	    .safeguards_confirmed = json_object_get(r->body, "safeguards_confirmed"),
	};
	json_t *decision = NULL;
	in.decision_out = &decision;
	int64_t id = 0;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_request_file(&c, &in, &id, &err);
	sk_ctx_fini(&c);
	if (e == SK_ERR_FORBIDDEN_BY_POLICY && decision) {
		/* The refusal carries what the policy said: its citations and the whole decision.
		 */
		json_t *j = json_pack("{s:{s:s, s:s, s:O, s:O}}", "error", "code", sk_err_code(e),
		                      "message", sk_msg_of(&err, e, r->lang), "citations",
		                      json_object_get(decision, "citations"), "decision", decision);
		if (j)
			sk_http_reply_json(r, sk_err_http_status(e), j);
		else
			sk_http_reply_fail(r, SK_ERR_NOMEM, NULL);
	} else if (e) {
		sk_http_reply_fail(r, e, &err);
	} else {
		answer(r, 201, id);
	}
	json_decref(decision);
	sk_buf_free(&err);
}

void sk_api_request_list(sk_http_rctx *r)
{
	char box[16] = "", status[24] = "", kind[40] = "", before[24] = "", limit[24] = "";
	sk_http_query(r, "box", box, sizeof(box));
	sk_http_query(r, "status", status, sizeof(status));
	sk_http_query(r, "kind", kind, sizeof(kind));
	sk_http_query(r, "before", before, sizeof(before));
	sk_http_query(r, "limit", limit, sizeof(limit));
	sk_request_filter f = {.box = box, .status = status, .kind = kind};
	char *end;
	if (*before && ((f.before = strtoll(before, &end, 10)) <= 0 || *end)) {
		sk_http_reply_error(r, SK_ERR_INVALID, "before: a request id");
		return;
	}
	if (*limit && ((f.limit = strtoll(limit, &end, 10)) <= 0 || *end)) {
		sk_http_reply_error(r, SK_ERR_INVALID, "limit: a whole number above 0");
		return;
	}
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_request_list(&c, &f, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 200, j);
	sk_buf_free(&err);
}

void sk_api_request_get(sk_http_rctx *r) { answer(r, 200, r->id); }

typedef sk_err (*decide_fn)(sk_ctx *c, int64_t id, const char *comment, sk_buf *err);

static void transition(sk_http_rctx *r, decide_fn fn)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = fn(&c, r->id, json_string_value(json_object_get(r->body, "comment")), &err);
	sk_ctx_fini(&c);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else
		answer(r, 200, r->id);
	sk_buf_free(&err);
}

void sk_api_request_approve(sk_http_rctx *r) { transition(r, sk_request_approve); }
void sk_api_request_reject(sk_http_rctx *r) { transition(r, sk_request_reject); }
void sk_api_request_withdraw(sk_http_rctx *r) { transition(r, sk_request_withdraw); }

void sk_api_request_complete(sk_http_rctx *r)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_request_complete(&c, r->id, r->body, &err);
	sk_ctx_fini(&c);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else
		answer(r, 200, r->id);
	sk_buf_free(&err);
}
