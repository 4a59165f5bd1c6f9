/* api_policy: the installation's profile over HTTP (GET /api/v1/policy). */
#include "http_int.h"

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
		const char *t = sk_policy_role_title(p, (sk_role)i);
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
	sk_http_reply_json(r, 200,
	                   json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "city", sk_policy_city_id(p),
	                             "name", sk_policy_city_name(p), "source", sk_policy_source(p),
	                             "classification", levels, "roles", roles, "zones", zones));
}
