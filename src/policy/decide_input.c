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

/* The Japanese titles of the inputs, as the field schema's decide record names them. */
static const char *const key_ja[K__COUNT] = {
    [K_ACTION] = "行為",
    [K_CONF] = "機密性",
    [K_INTEG] = "完全性",
    [K_AVAIL] = "可用性",
    [K_ZONE] = "ネットワーク区分",
    [K_TO_ZONE] = "接続先のネットワーク区分",
    [K_ASSET_TYPE] = "情報資産の種類",
    [K_ACTOR_ROLE] = "行為者の役割",
    [K_MYNUMBER] = "特定個人情報",
    [K_PERSONAL] = "個人情報",
};

static sk_err flag(enum key k, const char *v, bool *out, sk_buf *err)
{
	if (strcmp(v, "true") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0)
		*out = false;
	else
		return sk_fail_msg(err, SK_ERR_INVALID, key_names[k], key_ja[k],
		                   SK_M_DECIDE_NOT_BOOL, v);
	return SK_OK;
}

/* "unknown conf level '9' for profile hachioji (levels: 1, 2, 3)" */
static sk_err bad_level(const sk_policy *p, sk_axis axis, const char *v, sk_buf *err)
{
	sk_buf levels = SK_BUF_INIT(1024);
	for (int i = 0; i < sk_policy_level_count(p, axis); i++)
		sk_buf_addf(&levels, "%s%s", i ? ", " : "", sk_policy_level_name(p, axis, i));
	const char *title = sk_policy_axis_title(p, axis);
	sk_err e = sk_fail_msg(err, SK_ERR_INVALID, sk_axis_name(axis), title ? title : NULL,
	                       SK_M_DECIDE_LEVEL_UNKNOWN, v, sk_policy_city_id(p),
	                       levels.data ? levels.data : "");
	sk_buf_free(&levels);
	return e;
}

/*
 * A role by its stable name, by the profile's title for it (情報セキュリティ管理者)
 * or, for a role the profile gives no title, by the national guideline's.
 */
static sk_err parse_role(const sk_policy *p, const char *v, sk_role *out, sk_buf *err)
{
	if (sk_role_parse(v, out) == SK_OK)
		return SK_OK;
	char buf[256];
	size_t n = sk_vocab_fold(v, buf, sizeof(buf));
	/* The profile's titles first: a city's wording wins over the guideline's. */
	for (int pass = 0; pass < 2; pass++)
		for (int r = 0; r < SK_ROLE__COUNT; r++) {
			const char *t = pass ? sk_policy_role_title(p, (sk_role)r, SK_LANG_JA)
			                     : sk_policy_role_own_title(p, (sk_role)r);
			/* The title, or its head before a parenthesis
			 * (情報セキュリティ管理者（…課長等）). */
			if (n && t && strncmp(t, buf, n) == 0 &&
			    (t[n] == '\0' || strncmp(t + n, "（", strlen("（")) == 0 ||
			     t[n] == '(')) {
				*out = (sk_role)r;
				return SK_OK;
			}
		}
	sk_buf roles = SK_BUF_INIT(2048);
	for (int r = 0; r < SK_ROLE__COUNT; r++) {
		sk_buf_addf(&roles, "%s%s (%s)", r ? ", " : "", sk_role_name((sk_role)r),
		            sk_policy_role_title(p, (sk_role)r, SK_LANG_JA));
	}
	sk_err e = sk_fail_msg(err, SK_ERR_INVALID, key_names[K_ACTOR_ROLE], key_ja[K_ACTOR_ROLE],
	                       SK_M_DECIDE_ROLE_UNKNOWN, v, roles.data);
	sk_buf_free(&roles);
	return e;
}

/* A word of vocabulary v by any of its spellings (sk_vocab_find); the list of words if none. */
static sk_err parse_word(sk_vocab v, enum key k, const char *s, int *out, sk_buf *err)
{
	int x = sk_vocab_find(v, s);
	if (x < 0)
		return sk_vocab_unknown(v, key_names[k], key_ja[k], s, err);
	*out = x;
	return SK_OK;
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
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_DECIDE_KEY_UNKNOWN,
			                   kv[i].key);
		if (v[k])
			return sk_fail_msg(err, SK_ERR_INVALID, key_names[k], key_ja[k],
			                   SK_M_DECIDE_KEY_TWICE);
		v[k] = kv[i].value;
	}
	/* Vocabulary first: a bad action or role is bad whatever the profile. */
	int x = 0;
	sk_err e;
	if (!v[K_ACTION])
		return sk_fail_msg(err, SK_ERR_INVALID, key_names[K_ACTION], key_ja[K_ACTION],
		                   SK_M_FIELD_REQUIRED);
	if ((e = parse_word(SK_VOCAB_ACTION, K_ACTION, v[K_ACTION], &x, err)))
		return e;
	sk_decide_input_init(in, (sk_action)x);
	if (v[K_ACTOR_ROLE] && (e = parse_role(p, v[K_ACTOR_ROLE], &in->actor_role, err)))
		return e;
	if (v[K_ZONE]) {
		if ((e = parse_word(SK_VOCAB_ZONE, K_ZONE, v[K_ZONE], &x, err)))
			return e;
		in->zone = (sk_zone)x;
	}
	if (v[K_TO_ZONE]) {
		if ((e = parse_word(SK_VOCAB_ZONE, K_TO_ZONE, v[K_TO_ZONE], &x, err)))
			return e;
		in->to_zone = (sk_zone)x;
	}
	if (v[K_ASSET_TYPE]) {
		if ((e = parse_word(SK_VOCAB_ASSET_TYPE, K_ASSET_TYPE, v[K_ASSET_TYPE], &x, err)))
			return e;
		in->asset_type = (sk_asset_type)x;
	}
	if ((v[K_MYNUMBER] && (e = flag(K_MYNUMBER, v[K_MYNUMBER], &in->mynumber, err))) ||
	    (v[K_PERSONAL] && (e = flag(K_PERSONAL, v[K_PERSONAL], &in->personal, err))))
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
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_DECIDE_NOT_OBJECT);
	const char *key;
	json_t *v;
	json_object_foreach (obj, key, v) {
		if (out->n == SK_DECIDE_KV_MAX)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_DECIDE_TOO_MANY);
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
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_DECIDE_VALUE_TYPE,
			                   key);
		out->n++;
	}
	return SK_OK;
}
