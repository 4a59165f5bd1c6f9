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
 * A filing is prepared here, on the loop's connection (checked, decided,
 * routed: reads only), and written by the group-commit writer, whose one
 * thread then only writes (request.h's sk_request_commit).
 */
static sk_err commit_w(sk_ctx *c, void *prep, json_t **out, sk_buf *text, sk_buf *err)
{
	json_t *decision = NULL;
	sk_err e = sk_request_commit(c, prep, NULL, NULL, &decision, text, err);
	if (e == SK_ERR_FORBIDDEN_BY_POLICY) {
		*out = decision; /* what the refusal carries (answer_write) */
		return e;
	}
	json_decref(decision);
	return e;
}

static void prepared_free(void *p) { sk_request_prepared_free(p); }

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

/*
 * The steps: approve and reject are planned here, on the loop's connection,
 * and written by the writer (request.h's sk_request_take_commit); withdraw
 * and complete are taken whole by the writer. Each answers the request as
 * it then stands.
 */
static sk_err take_w(sk_ctx *c, void *prep, json_t **out, sk_buf *text, sk_buf *err)
{
	(void)out;
	return sk_request_take_commit(c, prep, NULL, text, err);
}

static void step_prepared_free(void *p) { sk_request_step_prepared_free(p); }

static void take(sk_http_rctx *r, sk_request_step step)
{
	json_t *body = r->body;
	const char *comment = json_string_value(json_object_get(body, "comment"));
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_request_step_prepared *p = NULL;
	json_t *out = NULL;
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_request_take_prepare(&c, step, r->id, comment,
	                                   step == SK_REQUEST_COMPLETE ? body : NULL, &p, &err);
	sk_ctx_fini(&c);
	if (!e) {
		if (sk_http_pool_write_prepared(r, take_w, p, step_prepared_free, 200, NULL)) {
			sk_buf_free(&err);
			return;
		}
		/* The writer cannot take it: written here. */
		sk_http_ctx(r, &c);
		e = sk_request_take_commit(&c, p, &out, NULL, &err);
		sk_ctx_fini(&c);
		sk_request_step_prepared_free(p);
	}
	sk_http_reply_result(r, e, &err, 200, out);
	sk_buf_free(&err);
}

void sk_api_request_file(sk_http_rctx *r)
{
	json_t *body = r->body, *aid = json_object_get(body, "asset_id"), *decision = NULL;
	sk_request_new in = {
	    .kind = json_string_value(json_object_get(body, "kind")),
	    .asset_id = aid ? (int64_t)json_integer_value(aid) : 0,
	    .reason = json_string_value(json_object_get(body, "reason")),
	    .details = json_object_get(body, "details"),
	    .safeguards_confirmed = json_object_get(body, "safeguards_confirmed"),
	    .decision_out = &decision,
	};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_request_prepared *p = NULL;
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_request_prepare(&c, &in, &p, &err);
	sk_ctx_fini(&c);
	if (!e) {
		json_decref(decision);
		decision = NULL;
		if (sk_http_pool_write_prepared(r, commit_w, p, prepared_free, 201, answer_write)) {
			sk_buf_free(&err);
			return;
		}
		/* The writer cannot take it: written here (decision: the answer, as commit_w's). */
		json_t *filed = NULL;
		sk_http_ctx(r, &c);
		e = sk_request_commit(&c, p, NULL, &filed, &decision, NULL, &err);
		sk_ctx_fini(&c);
		sk_request_prepared_free(p);
		if (e != SK_ERR_FORBIDDEN_BY_POLICY) {
			json_decref(decision);
			decision = filed;
		} else {
			json_decref(filed);
		}
	} else if (e != SK_ERR_FORBIDDEN_BY_POLICY) {
		json_decref(decision);
		decision = NULL;
	}
	answer_write(r, e, &err, decision, 201);
	sk_buf_free(&err);
}

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

void sk_api_request_approve(sk_http_rctx *r) { take(r, SK_REQUEST_APPROVE); }
void sk_api_request_reject(sk_http_rctx *r) { take(r, SK_REQUEST_REJECT); }
void sk_api_request_withdraw(sk_http_rctx *r) { take(r, SK_REQUEST_WITHDRAW); }
void sk_api_request_complete(sk_http_rctx *r) { take(r, SK_REQUEST_COMPLETE); }
