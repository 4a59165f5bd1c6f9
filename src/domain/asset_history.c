/*
 * asset_history: an asset's change history from the audit log (sk_asset_history) and the
 * withholding of 機密性3 details from its images (sk_asset_image_withhold).
 */
#include <stdio.h>
#include <string.h>

#include "../core/sk_json.h"
#include "../core/sk_msg.h"
#include "asset_int.h"

static sk_err take_entry(void *ctx, const sk_row *row, sk_buf *err)
{
	json_t *arr = ctx;
	json_t *before = NULL, *after = NULL;
	sk_err e = SK_OK;
	if (!sk_row_is_null(row, 5))
		e = sk_json_parse(sk_row_text(row, 5), strlen(sk_row_text(row, 5)), 1u << 21,
		                  &before, err);
	if (!e && !sk_row_is_null(row, 6))
		e = sk_json_parse(sk_row_text(row, 6), strlen(sk_row_text(row, 6)), 1u << 21,
		                  &after, err);
	if (e) {
		json_decref(before);
		char why[64];
		snprintf(why, sizeof(why), "audit entry %lld holds malformed JSON",
		         (long long)sk_row_int(row, 0));
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_FAULT_CORRUPT, why);
	}
	json_t *j = json_pack("{sI ss ss ss ss so so}", "seq", (json_int_t)sk_row_int(row, 0), "at",
	                      sk_row_text(row, 1), "actor", sk_row_text(row, 2), "address",
	                      sk_row_text(row, 3), "action", sk_row_text(row, 4), "before",
	                      before ? before : json_null(), "after", after ? after : json_null());
	if (!j || json_array_append_new(arr, j))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

/* The details an image of a 機密性3 asset keeps back (the listing's withheld fields). */
static const char *const withheld_keys[] = {"location", "note", "disposal_operator",
                                            "disposal_record"};

static bool image_top(const scheme *sc, const json_t *image)
{
	/* Levels are numbers where the scheme's names are ("conf": 3), strings otherwise ("3A"). */
	const json_t *c = json_object_get(image, "conf");
	char num[24];
	if (json_is_integer(c)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(c));
		return level_is_top(sc, 0, num);
	}
	return json_is_string(c) ? level_is_top(sc, 0, json_string_value(c)) : false;
}

bool sk_asset_image_withhold(const sk_policy *pol, json_t *image)
{
	scheme sc = {pol};
	if (!json_is_object(image) || !image_top(&sc, image))
		return false;
	for (size_t i = 0; i < sizeof(withheld_keys) / sizeof(withheld_keys[0]); i++)
		if (json_object_get(image, withheld_keys[i]))
			json_object_set_new(image, withheld_keys[i], json_null());
	json_object_set_new(image, "details_withheld", json_true());
	return true;
}

/* Whether any entry of a history shows a 機密性3 image. */
static bool history_top(const scheme *sc, const json_t *arr)
{
	size_t i;
	const json_t *x;
	json_array_foreach (arr, i, x)
		if (image_top(sc, json_object_get(x, "before")) ||
		    image_top(sc, json_object_get(x, "after")))
			return true;
	return false;
}

sk_err sk_asset_history(sk_ctx *c, int64_t id, json_t **out, sk_buf *err)
{
	sk_store *s = c->store;
	*out = NULL;
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct one_asset o = {0};
	sk_err e = asset_load(&cx, id, false, 0, &o, err);
	json_t *arr = json_array();
	if (!e && !arr)
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if (!e) {
		char obj[48], imp[48];
		asset_object_name(id, obj);
		snprintf(imp, sizeof(imp), "asset_import:%lld", (long long)o.import_id);
		sk_val p[] = {sk_vtext(obj), sk_vtext(imp)};
		e = sk_store_query(
		    s,
		    "SELECT seq, at, actor, address, action, before_json, after_json "
		    "FROM audit_log WHERE object = ? OR object = ? ORDER BY seq",
		    p, 2, take_entry, arr, err);
	}
	/* Not on record: nothing of it is handed out (as sk_asset_get_text). */
	if (!e && (o.top_conf || history_top(&cx.sc, arr)))
		e = sk_asset_record_read(c, id, err);
	if (e)
		json_decref(arr);
	else
		*out = arr;
	asset_one_free(&o);
	asset_actx_free(&cx);
	return e;
}
