/*
 * api_policy: the installation's profile over HTTP (GET /api/v1/policy) and
 * its policy versions (issue #16, policyver.h): list, import, diff and
 * activation, which needs the CISO's approved policy_activation request
 * (POST /api/v1/requests) exactly as `sekisho policy activate` does.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/policyset.h"
#include "../domain/policyver.h"
#include "http_int.h"
#include "../core/sk_msg.h"

void sk_api_policy_versions(sk_http_rctx *r) { sk_http_reply_read(r, sk_policyver_list); }

/* The version's row, as the list shows it (NULL when absent); a new reference. */
static json_t *version_row(sk_ctx *c, int64_t id, sk_buf *err, sk_err *e)
{
	json_t *list = NULL, *out = NULL;
	*e = sk_policyver_list(c, &list, err);
	size_t i;
	json_t *v;
	json_array_foreach (list, i, v)
		if (json_integer_value(json_object_get(v, "id")) == id)
			out = json_incref(v);
	json_decref(list);
	return out;
}

void sk_api_policy_import(sk_http_rctx *r)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	const char *text = sk_http_field_text(r, "text");
	int64_t id = 0;
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_policyver_import(&c, sk_http_field_text(r, "source"), text ? text : "",
	                               text ? strlen(text) : 0, &id, &err);
	json_t *out = NULL;
	if (!e)
		out = version_row(&c, id, &err, &e);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 201, out);
}

void sk_api_policy_activate(sk_http_rctx *r)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_policyver_activate(&c, r->id, NULL, &err);
	json_t *out = NULL;
	if (!e)
		out = version_row(&c, r->id, &err, &e);
	sk_ctx_fini(&c);
	/* This server takes the version up at its next request, the others within a second. */
	if (!e)
		sk_http_policy_check_soon();
	sk_http_reply_result(r, e, &err, 200, out);
}

void sk_api_policy_set_show(sk_http_rctx *r) { sk_http_reply_read(r, sk_policyset_show); }

void sk_api_policy_set_change(sk_http_rctx *r)
{
	json_t *j = NULL;
	uint32_t kinds = 0;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_policyset_parse_kinds(sk_http_field_text(r, "units_of_kind"), "units_of_kind",
	                                    &kinds, &err);
	if (!e)
		e = sk_policyset_change(&c, r->id, kinds, NULL, &err);
	if (!e)
		e = sk_policyset_show(&c, &j, &err);
	sk_ctx_fini(&c);
	/* As for an activation: this server at its next request, the others within a second. */
	if (!e)
		sk_http_policy_check_soon();
	sk_http_reply_result(r, e, &err, 200, j);
}

/* A version number from the query: false (with err) when absent or not a number. */
static bool version_param(sk_http_rctx *r, const char *name, int64_t *out, sk_buf *err)
{
	char v[24];
	char *end = NULL;
	if (!sk_http_query(r, name, v, sizeof(v)) || !*v) {
		sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_POLICY_VERSION_REQUIRED,
		            name);
		return false;
	}
	long long n = strtoll(v, &end, 10);
	if (*end || n < 1) {
		sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_POLICY_VERSION, name, v);
		return false;
	}
	*out = (int64_t)n;
	return true;
}

void sk_api_policy_diff(sk_http_rctx *r)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), out = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	int64_t a = 0, b = 0;
	sk_err e = SK_ERR_INVALID;
	if (version_param(r, "from", &a, &err) && version_param(r, "to", &b, &err)) {
		sk_ctx c;
		sk_http_ctx(r, &c);
		e = sk_policyver_diff(&c, a, b, &out, &err);
		sk_ctx_fini(&c);
	}
	json_t *lines = e ? NULL : json_array();
	for (char *p = out.data, *nl; !e && p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		json_array_append_new(lines, json_stringn(p, (size_t)(nl - p)));
	}
	sk_buf_free(&out);
	sk_http_reply_result(r, e, &err, 200,
	                     e ? NULL
	                       : json_pack("{s:I, s:I, s:o}", "from", (json_int_t)a, "to",
	                                   (json_int_t)b, "lines", lines));
}

void sk_api_policy_show(sk_http_rctx *r)
{
	const sk_policy *p = r->t->pol;
	json_t *levels = json_object(), *roles = json_array(), *zones = json_object();
	for (int a = 0; a < SK_AXIS__COUNT; a++) {
		json_t *ax = json_array();
		for (int v = 0; v < sk_policy_level_count(p, (sk_axis)a); v++)
			json_array_append_new(
			    ax,
			    json_pack("{s:s, s:s}", "id", sk_policy_level_name(p, (sk_axis)a, v),
			              "label", sk_policy_level_label(p, (sk_axis)a, v)));
		json_object_set_new(levels, sk_axis_name((sk_axis)a),
		                    json_pack("{s:s, s:o}", "title",
		                              sk_policy_axis_title(p, (sk_axis)a), "levels", ax));
	}
	for (int i = 0; i < SK_ROLE__COUNT; i++) {
		const char *t = sk_policy_role_own_title(p, (sk_role)i);
		if (t)
			json_array_append_new(
			    roles,
			    json_pack("{s:s, s:s}", "role", sk_role_name((sk_role)i), "title", t));
	}
	for (int z = 0; z < SK_ZONE__COUNT; z++) {
		const char *t = sk_policy_zone_title(p, (sk_zone)z);
		if (t)
			json_object_set_new(zones, sk_zone_name((sk_zone)z), json_string(t));
	}
	sk_http_reply_json(
	    r, 200,
	    json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "city", sk_policy_city_id(p), "name",
	              sk_policy_city_name(p), "source", sk_policy_source(p), "classification",
	              levels, "roles", roles, "zones", zones, "version",
	              sk_policy_stored_version(p) ? json_integer(sk_policy_stored_version(p))
	                                          : json_null()));
}
