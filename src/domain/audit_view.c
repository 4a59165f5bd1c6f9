/* audit_view: pages of the audit log, scoped and with 機密性3 details withheld. */
#include "audit_view.h"

#include <stdlib.h>
#include <string.h>

#include "../audit/read.h"
#include "../core/sk_msg.h"
#include "asset.h"
#include "authz.h"

/* The unit an entry's object belongs to; 0 when it belongs to none or is gone. */
static sk_err object_unit(sk_store *s, const char *object, int64_t *unit, sk_buf *err)
{
	*unit = 0;
	const char *sql = NULL;
	sk_val p[1];
	char *end = NULL;
	if (strncmp(object, "asset:", 6) == 0) {
		long long id = strtoll(object + 6, &end, 10);
		if (*end || end == object + 6)
			return SK_OK;
		p[0] = SK_VINT(id);
		sql = "SELECT unit_id FROM assets WHERE id = ?";
	} else if (strncmp(object, "org_unit:", 9) == 0) {
		long long id = strtoll(object + 9, &end, 10);
		if (*end || end == object + 9)
			return SK_OK;
		*unit = id;
		return SK_OK;
	} else if (strncmp(object, "user:", 5) == 0) {
		p[0] = sk_vtext(object + 5);
		sql = "SELECT unit_id FROM users WHERE login = ?";
	} else
		return SK_OK;
	sk_err e = sk_store_query_int(s, sql, p, 1, unit, err);
	if (e == SK_ERR_NOT_FOUND) {
		if (err)
			sk_buf_reset(err);
		*unit = 0;
		e = SK_OK;
	}
	return e;
}

/*
 * An asset removed as entered by mistake (asset.remove) is gone from the
 * register, but its entries stay readable where it was: its unit is the one
 * its images name.
 */
static int64_t image_unit(json_t *entry)
{
	json_t *u = json_object_get(json_object_get(entry, "before"), "unit");
	if (!json_is_integer(u))
		u = json_object_get(json_object_get(entry, "after"), "unit");
	return json_is_integer(u) ? json_integer_value(u) : 0;
}

/* Withholds the 機密性3 details of an asset entry's images. */
static void withhold(const sk_policy *pol, json_t *entry)
{
	const char *object = json_string_value(json_object_get(entry, "object"));
	if (!object || strncmp(object, "asset:", 6) != 0)
		return;
	sk_asset_image_withhold(pol, json_object_get(entry, "before"));
	sk_asset_image_withhold(pol, json_object_get(entry, "after"));
}

sk_err sk_audit_view_find(sk_ctx *c, const sk_audit_filter *f, bool newest, int64_t limit,
                          json_t **out, sk_buf *err)
{
	*out = NULL;
	const sk_policy *pol;
	sk_err e = sk_ctx_policy(c, &pol, err);
	if (!e)
		e = sk_authz_require_cap(c, SK_CAP_AUDIT_READ, 0, err);
	if (e)
		return e;
	bool all = sk_authz_everywhere(c, SK_CAP_AUDIT_READ);
	json_t *res = json_array();
	if (!res)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	/* Pages of the log until limit entries in scope are found or the log ends. */
	sk_audit_filter page_f = *f;
	while (!e && (int64_t)json_array_size(res) < limit) {
		json_t *page = NULL;
		if ((e = sk_audit_find(c->store, &page_f, newest, limit, &page, err)))
			break;
		size_t i, n = json_array_size(page);
		json_t *x;
		json_array_foreach (page, i, x) {
			if ((int64_t)json_array_size(res) >= limit)
				break;
			int64_t seq = json_integer_value(json_object_get(x, "seq"));
			if (newest)
				page_f.before = seq;
			else
				page_f.after = seq;
			int64_t unit = 0;
			const char *object = json_string_value(json_object_get(x, "object"));
			if (!all) {
				if ((e = object_unit(c->store, object ? object : "", &unit, err)))
					break;
				if (!unit && object && strncmp(object, "asset:", 6) == 0)
					unit = image_unit(x);
				if (!unit || !sk_authz_can(c, SK_CAP_AUDIT_READ, unit))
					continue;
			}
			withhold(pol, x);
			if (json_array_append(res, x)) {
				e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
				break;
			}
		}
		json_decref(page);
		if ((int64_t)n < limit || (newest && page_f.before <= 1))
			break;
	}
	if (e) {
		json_decref(res);
		return e;
	}
	*out = res;
	return SK_OK;
}

sk_err sk_audit_view_list(sk_ctx *c, int64_t after, int64_t limit, json_t **out, sk_buf *err)
{
	sk_audit_filter f = {.after = after};
	return sk_audit_view_find(c, &f, false, limit, out, err);
}
