/*
 * api_assets: the asset register over HTTP (SPEC §3: GET/POST
 * /api/v1/assets, GET/PATCH/DELETE /api/v1/assets/{id}, the history).
 * Scope is the domain's: asset.c answers SK_ERR_NOT_FOUND for an asset the
 * actor cannot see, which becomes 404.
 */
#include <stdlib.h>
#include <string.h>

#include "../domain/asset.h"
#include "http_int.h"
#include "../core/sk_msg.h"

#define LIST_DEFAULT_LIMIT 1000
#define LIST_MAX_LIMIT     10000

/* The body's asset fields as sk_asset_input (the route table checked the types). */
static void input_of(sk_http_rctx *r, sk_asset_input *in)
{
	memset(in, 0, sizeof(*in));
	for (int f = 0; f < SK_AF__COUNT; f++)
		in->v[f] = sk_http_field_text(r, sk_asset_field_key((sk_asset_field)f));
}

/* The asset's JSON text goes out as rendered (sk_asset_render): no json_t on the way. */
static void answer_asset(sk_http_rctx *r, int status, int64_t id)
{
	sk_buf out = SK_BUF_INIT(1u << 20), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_asset_get_text(&c, id, &out, &err);
	sk_ctx_fini(&c);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else
		sk_http_reply_text(r, status, "application/json; charset=utf-8", out.data, out.len);
	sk_buf_free(&out);
	sk_buf_free(&err);
}

void sk_api_asset_get(sk_http_rctx *r) { answer_asset(r, 200, r->id); }

/* A write's answer: the error e, or the asset id as it now stands. Frees err. */
static void reply_asset(sk_http_rctx *r, sk_err e, sk_buf *err, int status, int64_t id)
{
	if (e)
		sk_http_reply_fail(r, e, err);
	else
		answer_asset(r, status, id);
	sk_buf_free(err);
}

void sk_api_asset_add(sk_http_rctx *r)
{
	sk_asset_input in;
	input_of(r, &in);
	int64_t id = 0;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_asset_add(&c, &in, &id, &err);
	sk_ctx_fini(&c);
	reply_asset(r, e, &err, 201, id);
}

void sk_api_asset_update(sk_http_rctx *r)
{
	sk_asset_input in;
	input_of(r, &in);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_asset_update(&c, r->id, &in, &err);
	sk_ctx_fini(&c);
	reply_asset(r, e, &err, 200, r->id);
}

void sk_api_asset_dispose(sk_http_rctx *r)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_asset_dispose(&c, r->id, sk_http_field_text(r, "on"),
	                            sk_http_field_text(r, "operator"),
	                            sk_http_field_text(r, "record"), &err);
	sk_ctx_fini(&c);
	reply_asset(r, e, &err, 200, r->id);
}

void sk_api_asset_remove(sk_http_rctx *r)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_asset_remove(&c, r->id, sk_http_field_text(r, "reason"), &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 200,
	                     e ? NULL
	                       : json_pack("{s:I, s:b}", "id", (json_int_t)r->id, "removed", 1));
}

void sk_api_asset_history(sk_http_rctx *r)
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_asset_history(&c, r->id, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 200, j);
}

/* Appends the asset to the array text being built (ctx: the sk_buf, after its '['). */
static sk_err list_one(void *ctx, const sk_asset *a, sk_buf *err)
{
	sk_buf *b = ctx;
	sk_err e = b->len > 1 ? sk_buf_addc(b, ',') : SK_OK;
	if (!e)
		e = sk_asset_render(a, b);
	if (e)
		return sk_fail_msg(err, e, NULL, NULL, SK_M_HTTP_LIST_DOES_FIT_ANSWER);
	return SK_OK;
}

void sk_api_asset_list(sk_http_rctx *r)
{
	char unit[72], type[72], conf[40], zone[40], q[408], status[16];
	sk_asset_filter f = {.withhold = true}; /* 機密性3 details: GET /assets/{id}, recorded */
	if (sk_http_query(r, "unit", unit, sizeof(unit)))
		f.unit = unit;
	if (sk_http_query(r, "type", type, sizeof(type)))
		f.type = type;
	if (sk_http_query(r, "conf", conf, sizeof(conf)))
		f.conf = conf;
	if (sk_http_query(r, "zone", zone, sizeof(zone)))
		f.zone = zone;
	if (sk_http_query(r, "q", q, sizeof(q)))
		f.text = q;
	if (sk_http_query(r, "status", status, sizeof(status)))
		f.status = status;
	f.limit = LIST_DEFAULT_LIMIT;
	if (!sk_http_query_int(r, "limit", 1, LIST_MAX_LIMIT, &f.limit))
		return;
	sk_buf a = SK_BUF_INIT(SK_BUF_DEFAULT_MAX), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_buf_addc(&a, '[');
	if (e)
		sk_fail(&err, SK_ERR_NOMEM, "out of memory");
	else {
		sk_ctx c;
		sk_http_ctx(r, &c);
		e = sk_asset_list(&c, &f, list_one, &a, &err);
		sk_ctx_fini(&c);
	}
	if (!e && (e = sk_buf_addc(&a, ']')))
		sk_fail_msg(&err, e, NULL, NULL, SK_M_HTTP_LIST_DOES_FIT_ANSWER);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else
		sk_http_reply_text(r, 200, "application/json; charset=utf-8", a.data, a.len);
	sk_buf_free(&a);
	sk_buf_free(&err);
}
