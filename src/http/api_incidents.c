/*
 * api_incidents: incidents and 障害記録 over HTTP (SPEC C8): report, list,
 * read, escalate, respond, close and attach evidence. Visibility and the
 * chain are the domain's (incident.c): an incident the caller may not see
 * answers 404. Evidence comes base64-encoded in a JSON body, so it fits the
 * API's one body limit; the domain refuses more than SK_INCIDENT_ATTACH_MAX
 * bytes once decoded (413, naming "content"). An attachment is read back the
 * same way, as JSON with its bytes in base64: never served with the media
 * type its sender claimed.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/incident.h"
#include "http_int.h"
#include "../core/sk_msg.h"

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

/*
 * Whether the n bytes at s are base64 (RFC 4648, with padding; line breaks and
 * spaces allowed): GLib's decoder skips what it does not know, so a mistyped
 * file is refused here rather than kept as something else.
 */
static bool base64_ok(const char *s, size_t n)
{
	size_t k = 0, pad = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == ' ' || ch == '\r' || ch == '\n')
			continue;
		if (ch == '=')
			pad++;
		else if (pad || !(g_ascii_isalnum(ch) || ch == '+' || ch == '/'))
			return false;
		k++;
	}
	return k % 4 == 0 && pad <= 2;
}

void sk_api_incident_attach(sk_http_rctx *r)
{
	json_t *cv = json_object_get(r->body, "content");
	const char *b64 = json_string_value(cv);
	size_t b64_len = json_string_length(cv), len = 0;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = SK_OK;
	/* The schema bounds the text, and so what it decodes to (a little over the limit). */
	guchar *bin = g_malloc(b64_len / 4 * 3 + 3);
	if (!base64_ok(b64, b64_len)) {
		e = sk_fail_msg(&err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_CONTENT_VALID_BASE);
		err.field = "content";
	} else {
		gint state = 0;
		guint save = 0;
		len = g_base64_decode_step(b64, b64_len, bin, &state, &save);
	}
	sk_ctx c;
	sk_http_ctx(r, &c);
	int64_t att = 0;
	if (!e)
		e = sk_incident_attach(&c, r->id, sk_http_field_text(r, "name"),
		                       sk_http_field_text(r, "media_type"), bin, len, &att, NULL,
		                       &err);
	g_free(bin);
	answer(r, &c, e, &err, 201, r->id);
	sk_buf_free(&err);
}

void sk_api_incident_attachment(sk_http_rctx *r)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *j = NULL;
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_incident_attachment_get(&c, r->id, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 200, j);
	sk_buf_free(&err);
}
