/*
 * api_incidents: incidents and 障害記録 over HTTP (SPEC C8): report, list,
 * read, escalate, respond, close and attach evidence. Visibility and the
 * chain are the domain's (incident.c): an incident the caller may not see
 * answers 404. Evidence comes base64-encoded in a JSON body, so it fits the
 * API's one body limit; the domain refuses more than SK_INCIDENT_ATTACH_MAX
 * bytes once decoded (413, naming "content").
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/incident.h"
#include "http_int.h"

/* The incident as it is now, answered with status (or the failure e). */
static void answer(sk_http_rctx *r, sk_ctx *c, sk_err e, sk_buf *err, int status, int64_t id)
{
	json_t *j = NULL;
	if (!e)
		e = sk_incident_get(c, id, &j, err);
	sk_ctx_fini(c);
	sk_http_reply_result(r, e, err, status, j);
}

void sk_api_incident_report(sk_http_rctx *r)
{
	int64_t ids[SK_INCIDENT_ASSETS_MAX];
	size_t n = 0, i;
	json_t *v, *list = json_object_get(r->body, "asset_ids");
	/* The route table checked the list: integers >= 1, at most SK_INCIDENT_ASSETS_MAX. */
	json_array_foreach (list, i, v)
		if (n < SK_INCIDENT_ASSETS_MAX)
			ids[n++] = (int64_t)json_integer_value(v);
	sk_incident_report in = {
	    .kind = sk_http_field_text(r, "kind"),
	    .title = sk_http_field_text(r, "title"),
	    .description = sk_http_field_text(r, "description"),
	    .found_at = sk_http_field_text(r, "found_at"),
	    .severity = sk_http_field_text(r, "severity"),
	    .unit = sk_http_field_text(r, "unit"),
	    .asset_ids = ids,
	    .n_assets = n,
	};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	int64_t id = 0;
	sk_err e = sk_incident_report_new(&c, &in, &id, &err);
	answer(r, &c, e, &err, 201, id);
	sk_buf_free(&err);
}

void sk_api_incident_list(sk_http_rctx *r)
{
	char status[24], kind[24];
	sk_incident_filter f = {
	    sk_http_query(r, "status", status, sizeof(status)) ? status : NULL,
	    sk_http_query(r, "kind", kind, sizeof(kind)) ? kind : NULL,
	};
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_incident_list(&c, &f, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 200, j);
	sk_buf_free(&err);
}

void sk_api_incident_get(sk_http_rctx *r)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	answer(r, &c, SK_OK, &err, 200, r->id);
	sk_buf_free(&err);
}

void sk_api_incident_escalate(sk_http_rctx *r)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_incident_escalate(&c, r->id, sk_http_field_text(r, "comment"), &err);
	answer(r, &c, e, &err, 200, r->id);
	sk_buf_free(&err);
}

void sk_api_incident_respond(sk_http_rctx *r)
{
	sk_incident_response in = {
	    .cause = sk_http_field_text(r, "cause"),
	    .impact = sk_http_field_text(r, "impact"),
	    .response = sk_http_field_text(r, "response"),
	    .recovery = sk_http_field_text(r, "recovery"),
	    .prevention = sk_http_field_text(r, "prevention"),
	    .comment = sk_http_field_text(r, "comment"),
	};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_incident_respond(&c, r->id, &in, &err);
	answer(r, &c, e, &err, 200, r->id);
	sk_buf_free(&err);
}

void sk_api_incident_close(sk_http_rctx *r)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_incident_close(&c, r->id, sk_http_field_text(r, "comment"), &err);
	answer(r, &c, e, &err, 200, r->id);
	sk_buf_free(&err);
}

void sk_api_incident_attach(sk_http_rctx *r)
{
	json_t *cv = json_object_get(r->body, "content");
	const char *b64 = json_string_value(cv);
	size_t b64_len = json_string_length(cv);
	/* One byte more than the limit: a larger file is told apart from one at the limit. */
	size_t cap = SK_INCIDENT_ATTACH_MAX + 1, len = 0;
	unsigned char *bin = malloc(cap);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = SK_OK;
	if (!bin)
		e = sk_fail(&err, SK_ERR_NOMEM, "out of memory");
	else if (sodium_base642bin(bin, cap, b64, b64_len, " \r\n", &len, NULL,
	                           sodium_base64_VARIANT_ORIGINAL) != 0) {
		/* The schema's limit on the text keeps the decoded size near the limit. */
		if (b64_len / 4 * 3 > SK_INCIDENT_ATTACH_MAX)
			e = sk_fail(&err, SK_ERR_TOO_BIG,
			            "content: more than the %u bytes an attachment may hold",
			            SK_INCIDENT_ATTACH_MAX);
		else
			e = sk_fail(&err, SK_ERR_INVALID, "content: not valid base64");
		err.field = "content";
	}
	sk_ctx c;
	sk_http_ctx(r, &c);
	int64_t att = 0;
	if (!e)
		e = sk_incident_attach(&c, r->id, sk_http_field_text(r, "name"),
		                       sk_http_field_text(r, "media_type"), bin, len, &att, NULL,
		                       &err);
	free(bin);
	answer(r, &c, e, &err, 201, r->id);
	sk_buf_free(&err);
}
