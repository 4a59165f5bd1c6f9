/*
 * decide_input: the one parser of a decision's input (policy.h,
 * sk_decide_input_parse). The CLI and the API used to parse it each in
 * their own way and disagreed (the API implied personal from mynumber, the
 * CLI did not; the API ignored to_zone and asset_type), so the same
 * question got two answers. Every door now hands its values over by name.
 */
#include <stdio.h>
#include <string.h>

#include "policy_int.h"

enum key {
	K_ACTION,
	K_CONF,
	K_INTEG,
	K_AVAIL,
	K_ZONE,
	K_TO_ZONE,
	K_ASSET_TYPE,
	K_ACTOR_ROLE,
	K_MYNUMBER,
	K_PERSONAL,
	K__COUNT
};

static const char *const key_names[K__COUNT] = {
    [K_ACTION] = "action",
    [K_CONF] = "conf",
    [K_INTEG] = "integ",
    [K_AVAIL] = "avail",
    [K_ZONE] = "zone",
    [K_TO_ZONE] = "to_zone",
    [K_ASSET_TYPE] = "asset_type",
    [K_ACTOR_ROLE] = "actor_role",
    [K_MYNUMBER] = "mynumber",
    [K_PERSONAL] = "personal",
};

static sk_err flag(const char *key, const char *v, bool *out, sk_buf *err)
{
	if (strcmp(v, "true") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0)
		*out = false;
	else
		return sk_fail(err, SK_ERR_INVALID, "%s must be true or false, not '%.64s'", key,
		               v);
	return SK_OK;
}

/* "unknown conf level '9' for profile hachioji (levels: 1, 2, 3)" */
static sk_err bad_level(const sk_policy *p, sk_axis axis, const char *v, sk_buf *err)
{
	sk_buf levels = SK_BUF_INIT(1024);
	for (int i = 0; i < sk_policy_level_count(p, axis); i++)
		sk_buf_addf(&levels, "%s%s", i ? ", " : "", sk_policy_level_name(p, axis, i));
	sk_err e =
	    sk_fail(err, SK_ERR_INVALID, "unknown %s level '%.64s' for profile %s (levels: %s)",
	            sk_axis_name(axis), v, sk_policy_city_id(p), levels.data ? levels.data : "");
	sk_buf_free(&levels);
	return e;
}

sk_err sk_decide_input_parse(const sk_policy *p, const sk_decide_kv *kv, size_t n,
                             sk_decide_input *in, sk_buf *err)
{
	const char *v[K__COUNT] = {0};
	for (size_t i = 0; i < n; i++) {
		if (!kv[i].value)
			continue;
		int k = 0;
		while (k < K__COUNT && strcmp(kv[i].key, key_names[k]) != 0)
			k++;
		if (k == K__COUNT)
			return sk_fail(err, SK_ERR_INVALID, "unknown decision input '%.64s'",
			               kv[i].key);
		if (v[k])
			return sk_fail(err, SK_ERR_INVALID, "%s is given twice", key_names[k]);
		v[k] = kv[i].value;
	}
	/* Vocabulary first: a bad action or role is bad whatever the profile. */
	sk_action a;
	if (!v[K_ACTION])
		return sk_fail(err, SK_ERR_INVALID, "action is required");
	if (sk_action_parse(v[K_ACTION], &a) != SK_OK)
		return sk_fail(err, SK_ERR_INVALID, "unknown action '%.64s'", v[K_ACTION]);
	sk_decide_input_init(in, a);
	if (v[K_ACTOR_ROLE] && sk_role_parse(v[K_ACTOR_ROLE], &in->actor_role) != SK_OK)
		return sk_fail(err, SK_ERR_INVALID, "unknown role '%.64s' (actor_role)",
		               v[K_ACTOR_ROLE]);
	if (v[K_ZONE] && sk_zone_parse(v[K_ZONE], &in->zone) != SK_OK)
		return sk_fail(err, SK_ERR_INVALID,
		               "unknown zone '%.64s' (zones are mynumber, lgwan, internet)",
		               v[K_ZONE]);
	if (v[K_TO_ZONE] && sk_zone_parse(v[K_TO_ZONE], &in->to_zone) != SK_OK)
		return sk_fail(err, SK_ERR_INVALID,
		               "unknown to_zone '%.64s' (zones are mynumber, lgwan, internet)",
		               v[K_TO_ZONE]);
	if (v[K_ASSET_TYPE] && sk_asset_type_parse(v[K_ASSET_TYPE], &in->asset_type) != SK_OK)
		return sk_fail(err, SK_ERR_INVALID,
		               "unknown asset type '%.64s' (hardware, software, media, facility, "
		               "document, data, network, system)",
		               v[K_ASSET_TYPE]);
	sk_err e;
	if ((v[K_MYNUMBER] && (e = flag("mynumber", v[K_MYNUMBER], &in->mynumber, err))) ||
	    (v[K_PERSONAL] && (e = flag("personal", v[K_PERSONAL], &in->personal, err))))
		return e;
	/* 特定個人情報 is personal information by definition (番号法 第2条第8項). */
	if (in->mynumber)
		in->personal = true;
	static const enum key axis_key[SK_AXIS__COUNT] = {
	    [SK_AXIS_CONF] = K_CONF, [SK_AXIS_INTEG] = K_INTEG, [SK_AXIS_AVAIL] = K_AVAIL};
	for (int ax = 0; ax < SK_AXIS__COUNT; ax++) {
		const char *lv = v[axis_key[ax]];
		if (lv && sk_policy_level_parse(p, (sk_axis)ax, lv, &in->level[ax]) != SK_OK)
			return bad_level(p, (sk_axis)ax, lv, err);
	}
	return SK_OK;
}

sk_err sk_decide_kv_from_json(json_t *obj, sk_decide_kv_json *out, sk_buf *err)
{
	out->n = 0;
	if (!json_is_object(obj))
		return sk_fail(err, SK_ERR_INVALID, "a decision's input is a JSON object");
	const char *key;
	json_t *v;
	json_object_foreach (obj, key, v) {
		if (out->n == SK_DECIDE_KV_MAX)
			return sk_fail(err, SK_ERR_INVALID,
			               "a decision's input has too many fields");
		sk_decide_kv *kv = &out->kv[out->n];
		kv->key = key;
		if (json_is_string(v))
			kv->value = json_string_value(v);
		else if (json_is_boolean(v))
			kv->value = json_is_true(v) ? "true" : "false";
		else if (json_is_integer(v)) {
			snprintf(out->num[out->n], sizeof(out->num[0]), "%" JSON_INTEGER_FORMAT,
			         json_integer_value(v));
			kv->value = out->num[out->n];
		} else
			return sk_fail(err, SK_ERR_INVALID,
			               "field '%.64s' must be a string, an integer or a boolean",
			               key);
		out->n++;
	}
	return SK_OK;
}
