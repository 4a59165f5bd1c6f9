/* api_misc: GET /, /healthz, /metrics and /api/v1/openapi.json. */
#include <stdlib.h>
#include <string.h>

#include "http_int.h"

/* A small bilingual page: the web UI is not served yet; this says where the API is. */
static const char INDEX_HTML[] =
    "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
    "<title>sekisho 関所</title></head><body>\n"
    "<h1>sekisho 関所</h1>\n"
    "<p>情報セキュリティポリシーを動くソフトウェアに。この版ではウェブ画面はまだ提供していません。"
    "JSON API は <code>/api/v1</code> にあります。</p>\n"
    "<p lang=\"en\">The web UI is not served by this build yet. The JSON API lives under "
    "<code>/api/v1</code>.</p>\n<ul>\n"
    "<li><a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> — API 仕様 (OpenAPI)</li>\n"
    "<li><code>POST /api/v1/login</code> — ログイン / log in</li>\n"
    "<li><code>/api/v1/assets</code> — 情報資産台帳 / asset register</li>\n"
    "<li><code>POST /api/v1/decisions</code> — 取扱いの判定 / handling decisions</li>\n"
    "<li><a href=\"/healthz\">/healthz</a>, <a href=\"/metrics\">/metrics</a></li>\n"
    "</ul>\n</body></html>\n";

void sk_api_index(sk_http_rctx *r)
{
	sk_http_reply_text(r, 200, "text/html; charset=utf-8", INDEX_HTML, sizeof(INDEX_HTML) - 1);
}

void sk_api_healthz(sk_http_rctx *r)
{
	int64_t v;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_store_schema_version(r->t->store, &v, &err);
	if (e) {
		sk_buf_free(&err);
		sk_http_reply_error_raw(r->req, 503, "unavailable", "the database does not answer");
		r->answered = true;
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
