/* api_misc: GET /, /healthz, /metrics and /api/v1/openapi.json. */
#include <stdlib.h>
#include <string.h>

#include "../web/web.h"
#include "http_int.h"

/* The web UI's home page (src/web): a landing page without a session, the dashboard with one. */
void sk_api_index(sk_http_rctx *r) { sk_web_dispatch(r); }

void sk_api_healthz(sk_http_rctx *r)
{
	int64_t v;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_store_schema_version(r->t->store, &v, &err);
	if (e) {
		sk_buf_free(&err);
		sk_http_reply_msg(r, 503, "unavailable", SK_M_HTTP_DATABASE_NOT_ANSWERING);
		return;
	}
	json_t *j = json_pack("{s:s, s:s, s:I}", "status", "ok", "store",
	                      sk_store_backend(r->t->store), "schema", (json_int_t)v);
	sk_buf_free(&err);
	sk_http_reply_json(r, 200, j);
}

void sk_api_metrics(sk_http_rctx *r)
{
	sk_buf out = SK_BUF_INIT(1u << 20), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_http_metrics_render(r->t->store, &out, &err);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else
		sk_http_reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", out.data,
		                   out.len);
	sk_buf_free(&out);
	sk_buf_free(&err);
}

void sk_api_openapi(sk_http_rctx *r)
{
	json_t *j = sk_http_openapi();
	if (!j) {
		sk_http_reply_error(r, SK_ERR_NOMEM, "the document could not be built");
		return;
	}
	sk_http_reply_json(r, 200, j);
}
