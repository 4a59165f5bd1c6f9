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

/*
 * The writes run as sk_http_write_fn: on the group-commit writer (many
 * requests to one fsync) or, when it cannot take them, here.
 */
static sk_err file_w(sk_ctx *c, int64_t unused, json_t *body, json_t **out, sk_buf *err)
{
	(void)unused;
	json_t *aid = json_object_get(body, "asset_id");
	sk_request_new in = {
	    .kind = json_string_value(json_object_get(body, "kind")),
	    .asset_id = aid ? (int64_t)json_integer_value(aid) : 0,
	    .reason = json_string_value(json_object_get(body, "reason")),
	    .details = json_object_get(body, "details"),
	    .safeguards_confirmed = json_object_get(body, "safeguards_confirmed"),
	};
	json_t *decision = NULL, *filed = NULL;
	in.decision_out = &decision;
	in.request_out = &filed; /* the answer, read with the audit image */
	int64_t id = 0;
	sk_err e = sk_request_file(c, &in, &id, err);
	if (e == SK_ERR_FORBIDDEN_BY_POLICY) {
		json_decref(filed);
		*out = decision; /* what the refusal carries (answer below) */
		return e;
	}
	json_decref(decision);
	*out = filed;
	return e;
}

/*
 * A refusal by the policy carries what the policy said: its citations and
 * the whole decision (issue #13's contract); other answers are plain.
 */
static void answer_write(sk_http_rctx *r, sk_err e, sk_buf *err, json_t *out, int status)
{
	if (e != SK_ERR_FORBIDDEN_BY_POLICY || !out) {
		sk_http_reply_result(r, e, err, status, out);
		return;
	}
	json_t *j = json_pack("{s:{s:s, s:s, s:O, s:O}}", "error", "code", sk_err_code(e),
	                      "message", sk_msg_of(err, e, r->lang), "citations",
	                      json_object_get(out, "citations"), "decision", out);
	json_decref(out);
	if (j)
		sk_http_reply_json(r, sk_err_http_status(e), j);
	else
		sk_http_reply_fail(r, SK_ERR_NOMEM, NULL);
	sk_buf_free(err);
}

/* The steps answer the request as it then stands, read with the step's audit image. */
static sk_err approve_w(sk_ctx *c, int64_t id, json_t *body, json_t **out, sk_buf *err)
{
	return sk_request_take(c, SK_REQUEST_APPROVE, id,
	                       json_string_value(json_object_get(body, "comment")), NULL, out, err);
}

static sk_err reject_w(sk_ctx *c, int64_t id, json_t *body, json_t **out, sk_buf *err)
{
	return sk_request_take(c, SK_REQUEST_REJECT, id,
	                       json_string_value(json_object_get(body, "comment")), NULL, out, err);
}

static sk_err withdraw_w(sk_ctx *c, int64_t id, json_t *body, json_t **out, sk_buf *err)
{
	return sk_request_take(c, SK_REQUEST_WITHDRAW, id,
	                       json_string_value(json_object_get(body, "comment")), NULL, out, err);
}

static sk_err complete_w(sk_ctx *c, int64_t id, json_t *body, json_t **out, sk_buf *err)
{
	return sk_request_take(c, SK_REQUEST_COMPLETE, id, NULL, body, out, err);
}

/* Runs fn through the writer, or here when it cannot take it. */
static void write_through(sk_http_rctx *r, sk_http_write_fn fn, int64_t id, int status)
{
	/* A copy the writer's thread owns: the request's body goes with the request. */
	json_t *body = r->body ? json_deep_copy(r->body) : json_object();
	if (body && sk_http_pool_write(r, fn, id, body, status, answer_write))
		return;
	json_t *out = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	json_t *empty = r->body ? NULL : json_object();
	sk_err e = fn(&c, id, r->body ? r->body : empty, &out, &err);
	json_decref(empty);
	sk_ctx_fini(&c);
	answer_write(r, e, &err, out, status);
	sk_buf_free(&err);
}

void sk_api_request_file(sk_http_rctx *r) { write_through(r, file_w, 0, 201); }

void sk_api_request_list(sk_http_rctx *r)
{
	char box[16] = "", status[24] = "", kind[40] = "";
	sk_http_query(r, "box", box, sizeof(box));
	sk_http_query(r, "status", status, sizeof(status));
	sk_http_query(r, "kind", kind, sizeof(kind));
	sk_request_filter f = {.box = box, .status = status, .kind = kind};
	if (!sk_http_query_int(r, "before", 1, INT64_MAX, &f.before) ||
	    !sk_http_query_int(r, "limit", 1, INT64_MAX, &f.limit))
		return;
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

void sk_api_request_approve(sk_http_rctx *r) { write_through(r, approve_w, r->id, 200); }
void sk_api_request_reject(sk_http_rctx *r) { write_through(r, reject_w, r->id, 200); }
void sk_api_request_withdraw(sk_http_rctx *r) { write_through(r, withdraw_w, r->id, 200); }
void sk_api_request_complete(sk_http_rctx *r) { write_through(r, complete_w, r->id, 200); }
