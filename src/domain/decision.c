/* decision: SPEC §3 decisions for stored assets, read in scope and audited. */
#include "decision.h"

#include <inttypes.h>
#include <stdio.h>

#include "../audit/audit.h"
#include "../core/sk_json.h"
#include "asset.h"

/* The asset JSON's level (a number or a string such as "3A") parsed by the profile. */
static sk_err level_of(const sk_policy *pol, const json_t *a, const char *key, sk_axis axis,
                       int *out, sk_buf *err)
{
	const json_t *v = json_object_get(a, key);
	char buf[32];
	if (json_is_integer(v))
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_string(v))
		snprintf(buf, sizeof(buf), "%s", json_string_value(v));
	else
		return sk_fail(err, SK_ERR_CORRUPT, "the asset has no %s level", key);
	if (sk_policy_level_parse(pol, axis, buf, out))
		return sk_fail(err, SK_ERR_CONFLICT,
		               "the asset's %s level '%s' is not a level of the profile", key, buf);
	return SK_OK;
}

sk_err sk_decision_for_asset(sk_store *s, const sk_policy *pol, const sk_actor *actor,
                             uint32_t roles, int64_t id, const char *action, sk_buf *out,
                             sk_buf *err)
{
	sk_decide_input in;
	sk_action act;
	if (!action || sk_action_parse(action, &act))
		return sk_fail(err, SK_ERR_INVALID, "unknown action '%s'", action ? action : "");
	sk_decide_input_init(&in, act);
	for (int r = 0; r < SK_ROLE__COUNT; r++)
		if (roles & (1u << r)) {
			in.actor_role = (sk_role)r;
			break;
		}

	json_t *a = NULL, *after = NULL;
	sk_buf dj = SK_BUF_INIT(8192);
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	if ((e = sk_asset_get(s, actor, id, &a, err)))
		goto fail;
	if ((e = level_of(pol, a, "conf", SK_AXIS_CONF, &in.level[SK_AXIS_CONF], err)) ||
	    (e = level_of(pol, a, "integ", SK_AXIS_INTEG, &in.level[SK_AXIS_INTEG], err)) ||
	    (e = level_of(pol, a, "avail", SK_AXIS_AVAIL, &in.level[SK_AXIS_AVAIL], err)))
		goto fail;
	in.mynumber = json_is_true(json_object_get(a, "mynumber"));
	in.personal = json_is_true(json_object_get(a, "personal")) || in.mynumber;
	const char *zone = json_string_value(json_object_get(a, "zone"));
	if (zone && sk_zone_parse(zone, &in.zone))
		in.zone = SK_ZONE_NONE;
	/* An unrecognised type stays SK_ASSET_UNKNOWN: every type-conditioned rule applies. */
	const char *type = json_string_value(json_object_get(a, "type"));
	if (type && sk_asset_type_parse(type, &in.asset_type))
		in.asset_type = SK_ASSET_UNKNOWN;
	sk_decision d;
	if ((e = sk_policy_decide(pol, &in, &d))) {
		e = sk_fail(err, e, "the decision input is out of range for the profile");
		goto fail;
	}
	if ((e = sk_decision_to_json(&d, &dj))) {
		e = sk_fail(err, e, "out of memory");
		goto fail;
	}
	json_t *dec = NULL;
	if ((e = sk_json_parse(dj.data, dj.len, dj.max, &dec, err)))
		goto fail;
	after = json_pack("{s:s, s:s?, s:o}", "action", sk_action_name(act), "actor_role",
	                  in.actor_role == SK_ROLE_NONE ? NULL : sk_role_name(in.actor_role),
	                  "decision", dec);
	if (!after) {
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
		goto fail;
	}
	char obj[48];
	snprintf(obj, sizeof(obj), "asset:%" PRId64, id);
	sk_audit_event ev = {.actor = actor->login,
	                     .address = actor->address,
	                     .action = "decision",
	                     .object = obj,
	                     .after = after};
	if ((e = sk_audit_append(s, &ev, NULL, err)))
		goto fail;
	if ((e = sk_store_commit(s, err)))
		goto done;
	e = sk_buf_add(out, dj.data, dj.len);
	if (e)
		e = sk_fail(err, e, "the decision does not fit the answer");
	goto done;
fail:
	sk_store_rollback(s);
done:
	json_decref(a);
	json_decref(after);
	sk_buf_free(&dj);
	return e;
}
