/*
 * api_ledgers: GET /api/v1/ledgers/{name}?format=json|csv|xlsx (issue #13's
 * contract). JSON is the listing (sk_ledger_list: 機密性3 details withheld,
 * not recorded); csv and xlsx are the export the CLI writes too
 * (sk_ledger_export: recorded as "ledger.export"), sent as an attachment.
 * Scope is the domain's: rows outside the caller's ledger.read units are
 * not listed; an unknown ledger answers 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/ledger.h"
#include "http_int.h"

void sk_api_ledger_get(sk_http_rctx *r)
{
	char format[8] = "", encoding[16] = "", status[24] = "", unit[72] = "", from[40] = "",
	     until[40] = "";
	sk_http_query(r, "format", format, sizeof(format));
	sk_http_query(r, "encoding", encoding, sizeof(encoding));
	sk_http_query(r, "status", status, sizeof(status));
	sk_http_query(r, "unit", unit, sizeof(unit));
	sk_http_query(r, "from", from, sizeof(from));
	sk_http_query(r, "until", until, sizeof(until));
	sk_ledger_filter f = {.status = status, .unit = unit, .from = from, .until = until};
	if (!sk_http_query_int(r, "asset", 1, INT64_MAX, &f.asset_id))
		return;
	bool json = !*format || strcmp(format, "json") == 0;
	bool xlsx = strcmp(format, "xlsx") == 0;
	if (!json && !xlsx && strcmp(format, "csv") != 0)
		return sk_http_reply_bad_query(r, "format", SK_M_HTTP_QUERY_FORMAT);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_csv_encoding enc = SK_CSV_UTF8;
	if (*encoding && (xlsx || json || sk_csv_encoding_parse(encoding, &enc, &err))) {
		sk_buf_free(&err);
		return sk_http_reply_bad_query(r, "encoding", SK_M_HTTP_QUERY_CSV_ENCODING);
	}
	sk_ctx c;
	sk_http_ctx(r, &c);
	if (json) {
		json_t *j = NULL;
		sk_err e = sk_ledger_list(&c, r->param, &f, &j, &err);
		sk_ctx_fini(&c);
		sk_http_reply_result(r, e, &err, 200, j);
		sk_buf_free(&err);
		return;
	}
	char *buf = NULL;
	size_t n = 0;
	sk_ledger_format fmt = xlsx ? SK_LEDGER_XLSX : SK_LEDGER_CSV;
	sk_err e = sk_ledger_export(&c, r->param, &f, fmt, enc, &buf, &n, &err);
	sk_ctx_fini(&c);
	if (e) {
		sk_http_reply_fail(r, e, &err);
		sk_buf_free(&err);
		return;
	}
	sk_buf_free(&err);
	sk_api_ledger_send(r, r->param, fmt, enc, buf, n);
}

void sk_api_ledger_send(sk_http_rctx *r, const char *ledger, sk_ledger_format fmt,
                        sk_csv_encoding enc, char *buf, size_t n)
{
	bool xlsx = fmt == SK_LEDGER_XLSX;
	/*
	 * An ASCII name, and the ledger's Japanese title for the clients that read RFC 6266's
	 * filename* ("持ち出し記録-2026-12-06.csv"), percent-encoded as RFC 5987 asks.
	 */
	char name[128], disp[640], title[384];
	sk_ledger_file_name(ledger, fmt, name, sizeof(name));
	const char *ja = sk_ledger_title(ledger), *rest = strchr(name, '-');
	size_t tn = 0;
	for (const unsigned char *p = (const unsigned char *)(ja ? ja : ""); *p; p++)
		tn += (size_t)snprintf(title + tn, sizeof(title) - tn, "%%%02X", *p);
	int dn = snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"; filename*=UTF-8''%s%s",
	                  name, title, rest ? rest : "");
	h2o_req_t *req = r->req;
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_DISPOSITION, NULL,
	               h2o_strdup(&req->pool, disp, (size_t)dn).base, (size_t)dn);
	const char *ctype =
	    xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	    : enc == SK_CSV_CP932 ? "text/csv; charset=Shift_JIS"
	                          : "text/csv; charset=utf-8";
	/* The bytes are copied into the request's pool: buf is ours to free now. */
	h2o_iovec_t body = h2o_strdup(&req->pool, buf ? buf : "", n);
	free(buf);
	sk_http_reply_text(r, 200, ctype, body.base, n);
}
