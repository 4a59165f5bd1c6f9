/*
 * api_policy: the installation's profile (show) and bare decisions (decide)
 * over HTTP. A bare decision is audited like every decision (SPEC C9),
 * through the same group-commit writer as POST /api/v1/decisions
 * (sk_http_pool_record): the answer goes out once its entry is committed,
 * and the loop never waits for the disk.
 */
#include <string.h>

#include "../core/sk_json.h"
#include "../domain/decision.h"
#include "http_int.h"

/*
 * The "decision" entry's after image for the bare decision in m->answer,
 * canonical JSON text into m->image: {"action", "actor_role", "input" (the
 * levels and zone as given), "mynumber", "personal", "decision"}.
 */
static sk_err bare_image(sk_http_rctx *r, const sk_decide_input *in, sk_decision_made *m,
                         sk_buf *err)
{
	static const char *const keys[] = {"conf", "integ",   "avail",
	                                   "zone", "to_zone", "asset_type"};
	json_t *dec = NULL, *input = json_object();
	sk_err e = sk_json_parse(m->answer.data, m->answer.len, m->answer.len + 1, &dec, err);
	for (size_t i = 0; !e && input && i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = sk_http_field_text(r, keys[i]);
		if (v)
			json_object_set_new(input, keys[i], json_string(v));
	}
	json_t *after =
	    e || !input
	        ? NULL
	        : json_pack("{s:s, s:s?, s:O, s:b, s:b, s:o}", "action", sk_action_name(in->action),
	                    "actor_role",
	                    in->actor_role == SK_ROLE_NONE ? NULL : sk_role_name(in->actor_role),
	                    "input", input, "mynumber", in->mynumber, "personal", in->personal,
	                    "decision", dec);
	if (!e && input)
		dec = NULL; /* json_pack's "o" took it, even on failure (jansson >= 2.11) */
	if (!e && !after)
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	if (!e && sk_json_canonical(after, &m->image))
		e = sk_fail(err, SK_ERR_NOMEM, "the decision's audit image could not be encoded");
	json_decref(after);
	json_decref(input);
	json_decref(dec);
	return e;
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

void sk_api_policy_decide(sk_http_rctx *r)
{
	sk_decide_kv_json kv;
	sk_decide_input in;
	sk_decision d;
	sk_decision_made m; /* asset_id 0: recorded as "classification:-" */
	sk_decision_made_init(&m);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_decide_kv_from_json(r->body, &kv, &err);
	if (!e)
		e = sk_decide_input_parse(r->t->pol, kv.kv, kv.n, &in, &err);
	if (!e && ((e = sk_policy_decide(r->t->pol, &in, &d)) ||
	           (e = sk_decision_to_json(&d, &m.answer))))
		e = sk_fail(&err, e, "the decision could not be made");
	if (!e)
		e = bare_image(r, &in, &m, &err);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else if (!sk_http_pool_record(r, &m)) {
		/* No writer to take it: on record here, in a transaction of its own. */
		if ((e = sk_decision_record(r->t->store, &r->actor, &m, &err)))
			sk_http_reply_fail(r, e, &err);
		else
			sk_http_reply_text(r, 200, "application/json; charset=utf-8", m.answer.data,
			                   m.answer.len);
	}
	sk_decision_made_free(&m);
	sk_buf_free(&err);
}
