/*
 * asset_render: an asset's JSON, the one place that decides its shape (sk_asset_render and
 * sk_asset_json).
 */
#include <stdlib.h>
#include <string.h>

#include "../core/sk_clock.h"
#include "../core/sk_json.h"
#include "asset_int.h"

/*
 * --- the asset's JSON: the one place that decides its shape ---
 *
 * Written straight into a buffer (no json_t): GET /api/v1/assets/{id} sends
 * these bytes as they are, and code that needs a json_t (the audit images of
 * changes, the CLI) parses them (sk_asset_json). The text is what jansson's
 * compact encoding of the same object in this key order gave before.
 */

static sk_err put_lit(sk_buf *b, const char *s, size_t n) { return sk_buf_add(b, s, n); }
#define PUT(b, lit) put_lit((b), (lit), sizeof(lit) - 1)

static sk_err put_int(sk_buf *b, int64_t v)
{
	char num[24], *p = num + sizeof(num);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return sk_buf_add(b, p, (size_t)(num + sizeof(num) - p));
}

static sk_err put_str(sk_buf *b, const char *s)
{
	return s ? sk_json_add_str(b, s, strlen(s)) : PUT(b, "null");
}

/* A level as a number when its name is one (up to 9 digits), else as a string ("3A"). */
static sk_err put_level(sk_buf *b, const char *name)
{
	size_t n = strlen(name);
	if (n && n <= 9 && strspn(name, "0123456789") == n)
		return put_int(b, strtoll(name, NULL, 10));
	return sk_json_add_str(b, name, n);
}

static sk_err put_bool(sk_buf *b, bool v) { return v ? PUT(b, "true") : PUT(b, "false"); }

sk_err sk_asset_render(const sk_asset *a, sk_buf *out)
{
	char ct[SK_TIME_STR_MAX], ut[SK_TIME_STR_MAX];
	sk_clock_format_local(a->created_at, ct);
	sk_clock_format_local(a->updated_at, ut);
	size_t start = out->len;
	sk_err e = sk_buf_grow(out, 640);
#define KEY(k) (e = e ? e : PUT(out, k))
#define VAL(x) (e = e ? e : (x))
	KEY("{\"id\":");
	VAL(put_int(out, a->id));
	KEY(",\"asset_number\":");
	VAL(put_str(out, a->asset_number));
	KEY(",\"unit\":");
	VAL(put_int(out, a->unit_id));
	KEY(",\"unit_code\":");
	VAL(put_str(out, a->unit_code));
	KEY(",\"unit_name\":");
	VAL(put_str(out, a->unit_name));
	KEY(",\"name\":");
	VAL(put_str(out, a->name));
	KEY(",\"type\":");
	VAL(put_str(out, a->type));
	KEY(",\"location\":");
	VAL(put_str(out, a->location));
	KEY(",\"conf\":");
	VAL(put_level(out, a->conf));
	KEY(",\"integ\":");
	VAL(put_level(out, a->integ));
	KEY(",\"avail\":");
	VAL(put_level(out, a->avail));
	KEY(",\"quantity\":");
	VAL(put_int(out, a->quantity));
	KEY(",\"manager\":");
	VAL(put_str(out, a->manager));
	KEY(",\"backup\":");
	VAL(put_bool(out, a->backup));
	KEY(",\"disposal_method\":");
	VAL(put_str(out, a->disposal_method));
	KEY(",\"zone\":");
	VAL(put_str(out, a->zone));
	KEY(",\"personal\":");
	VAL(put_bool(out, a->personal));
	KEY(",\"mynumber\":");
	VAL(put_bool(out, a->mynumber));
	KEY(",\"recovery_hours\":");
	VAL(a->recovery_hours < 0 ? PUT(out, "null") : put_int(out, a->recovery_hours));
	KEY(",\"label\":");
	VAL(put_str(out, a->label));
	KEY(",\"acquired_on\":");
	VAL(put_str(out, a->acquired_on));
	KEY(",\"note\":");
	VAL(put_str(out, a->note));
	KEY(",\"status\":");
	VAL(put_str(out, a->status));
	KEY(",\"disposed_on\":");
	VAL(put_str(out, a->disposed_on));
	KEY(",\"disposal_operator\":");
	VAL(put_str(out, a->disposal_operator));
	KEY(",\"disposal_record\":");
	VAL(put_str(out, a->disposal_record));
	KEY(",\"created_at\":");
	VAL(put_str(out, ct));
	KEY(",\"updated_at\":");
	VAL(put_str(out, ut));
	if (a->withheld)
		KEY(",\"details_withheld\":true");
	KEY("}");
#undef KEY
#undef VAL
	if (e) {
		out->len = start;
		if (out->cap)
			out->data[start] = '\0';
	}
	return e;
}

json_t *sk_asset_json(const sk_asset *a)
{
	sk_buf text = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	json_t *j = NULL;
	if (!sk_asset_render(a, &text))
		j = json_loadb(text.data, text.len, 0, NULL);
	sk_buf_free(&text);
	return j;
}
