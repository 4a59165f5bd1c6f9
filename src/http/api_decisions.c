/*
 * api_decisions: decisions over HTTP: on a stored asset (POST
 * /api/v1/decisions) and bare, on levels given in the body (POST
 * /api/v1/policy/decide). Every decision is audited (SPEC C9) through the
 * group-commit writer (sk_http_pool_decide, sk_http_pool_record): the answer
 * goes out once its entry is committed, and the loop never waits for the disk.
 */
#include <string.h>

#include "../core/sk_json.h"
#include "../domain/decision.h"
#include "http_int.h"
#include "../core/sk_msg.h"

void sk_api_decision(sk_http_rctx *r)
{
	json_int_t id = json_integer_value(json_object_get(r->body, "asset_id"));
	const char *action = sk_http_field_text(r, "action");
	/* The decision is audited: a durable write, appended with group commit off the loop. */
	if (id >= 1 && sk_http_pool_decide(r, (int64_t)id, action))
		return;
	sk_buf out = SK_BUF_INIT(64u << 10), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = id < 1
	               ? sk_fail_msg(&err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_ASSET_ID_MUST_MORE)
	               : sk_decision_for_asset(&c, r->who->roles, (int64_t)id, action, &out, &err);
	sk_ctx_fini(&c);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else
		sk_http_reply_text(r, 200, "application/json; charset=utf-8", out.data, out.len);
	sk_buf_free(&out);
	sk_buf_free(&err);
}

/*
 * The "decision" entry's after image for the bare decision in m->answer,
 * canonical JSON text into m->image: {"action", "actor_role", "input" (the
 * levels and zone as given), "mynumber", "personal", "decision",
 * "policy_version" (the stored version decided under, or null)}.
 */
static json_t *policy_version(const sk_policy *p)
{
	int64_t v = sk_policy_stored_version(p);
	return v ? json_integer(v) : json_null();
}

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
	        : json_pack("{s:s, s:s?, s:O, s:b, s:b, s:o, s:o}", "action",
	                    sk_action_name(in->action), "actor_role",
	                    in->actor_role == SK_ROLE_NONE ? NULL : sk_role_name(in->actor_role),
	                    "input", input, "mynumber", in->mynumber, "personal", in->personal,
	                    "decision", dec, "policy_version", policy_version(r->t->pol));
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
		e = sk_fail_msg(&err, e, NULL, NULL, SK_M_HTTP_DECISION_COULD_MADE);
	if (!e)
		e = bare_image(r, &in, &m, &err);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else if (!sk_http_pool_record(r, &m)) {
		/* No writer to take it: on record here, in a transaction of its own. */
		sk_ctx c;
		sk_http_ctx(r, &c);
		e = sk_decision_record(&c, &m, &err);
		sk_ctx_fini(&c);
		if (e)
			sk_http_reply_fail(r, e, &err);
		else
			sk_http_reply_text(r, 200, "application/json; charset=utf-8", m.answer.data,
			                   m.answer.len);
	}
	sk_decision_made_free(&m);
	sk_buf_free(&err);
}
