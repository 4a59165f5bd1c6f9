/*
 * asset_check: the checks every door's values go through (the fields of an add, an update and
 * each imported row), normalizing them, and resolving unit references with the operation's
 * cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_msg.h"
#include "../report/csv.h"
#include "../report/wareki.h"
#include "asset_int.h"
#include "org.h"

static const struct {
	const char *text;
	int value;
} bools[] = {
    {"1", 1},    {"0", 0},    {"yes", 1},    {"no", 0},   {"true", 1},   {"false", 0}, {"あり", 1},
    {"なし", 0}, {"有", 1},   {"無", 0},     {"有り", 1}, {"無し", 0},   {"○", 1},     {"〇", 1},
    {"×", 0},    {"はい", 1}, {"いいえ", 0}, {"該当", 1}, {"非該当", 0}, {"", -1},
};

/* 1, 0, or -1 for an empty value (the default); -2 when s is not a yes/no word. */
static int parse_bool(const char *s)
{
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
		if (strcasecmp(s, bools[i].text) == 0)
			return bools[i].value;
	return -2;
}

void asset_actx_free(actx *cx)
{
	if (cx->units) {
		for (size_t i = 0; i < UNIT_CACHE_SLOTS; i++)
			free(cx->units[i].ref);
		free(cx->units);
	}
}

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct by_name {
	int64_t id;
	int n;
};

static sk_err take_unit_id(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct by_name *b = ctx;
	b->id = sk_row_int(row, 0);
	b->n++;
	return SK_OK;
}

/* A register names a unit as people do, by its name: one unit, or it says which code to give. */
static sk_err unit_by_name(actx *cx, const char *ref, sk_org_unit *unit, sk_buf *err)
{
	struct by_name b = {0};
	sk_val p[] = {sk_vtext(ref)};
	sk_err e =
	    sk_store_query(cx->s, "SELECT id FROM org_unit WHERE name = ? ORDER BY id LIMIT 2", p,
	                   1, take_unit_id, &b, err);
	if (e)
		return e;
	if (b.n == 0)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ASSET_UNIT_UNKNOWN, ref);
	if (b.n > 1)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ASSET_UNIT_AMBIGUOUS, ref);
	unit->id = b.id;
	return SK_OK;
}

sk_err asset_unit_resolve(actx *cx, const char *ref, int64_t *id, sk_buf *err)
{
	*id = 0;
	unsigned h = hash_str(ref);
	if (cx->units)
		for (unsigned probe = 0; probe < UNIT_CACHE_SLOTS; probe++) {
			struct unit_slot *u = &cx->units[(h + probe) % UNIT_CACHE_SLOTS];
			if (!u->ref)
				break;
			if (strcmp(u->ref, ref) == 0) {
				*id = u->id;
				return SK_OK;
			}
		}
	sk_org_unit unit;
	sk_err e = sk_org_get(cx->s, ref, &unit, err);
	/* An unknown unit is bad input here, whichever door it came through. */
	if (e == SK_ERR_NOT_FOUND)
		e = *ref ? unit_by_name(cx, ref, &unit, err) : SK_ERR_INVALID;
	if (e)
		return e;
	*id = unit.id;
	if (!cx->units)
		cx->units = calloc(UNIT_CACHE_SLOTS, sizeof(*cx->units));
	if (cx->units && cx->nunits < UNIT_CACHE_SLOTS / 2) {
		for (unsigned probe = 0;; probe++) {
			struct unit_slot *u = &cx->units[(h + probe) % UNIT_CACHE_SLOTS];
			if (!u->ref) {
				u->ref = strdup(ref);
				if (u->ref) {
					u->id = *id;
					cx->nunits++;
				}
				break;
			}
		}
	}
	return SK_OK;
}

/* --- checking and normalizing input --- */

static bool has_ctl(const char *s, bool newlines)
{
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		if ((*u < 0x20 && !(newlines && (*u == '\n' || *u == '\r' || *u == '\t'))) ||
		    *u == 0x7f)
			return true;
	return false;
}

/* utf8_known: the caller has validated the whole input already (an import). */
static sk_err check_text_in(const char *v, bool required, size_t max, bool newlines,
                            bool utf8_known, sk_buf *err)
{
	size_t n = strlen(v);
	if (required && !n)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ASSET_TEXT_EMPTY);
	if (n > max)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ASSET_TEXT_TOO_LONG, max);
	if (!utf8_known && !sk_csv_utf8_valid(v, n, NULL))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_TEXT_NOT_UTF8);
	if (has_ctl(v, newlines))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_TEXT_CONTROL);
	return SK_OK;
}

sk_err asset_check_text(const char *v, bool required, size_t max, bool newlines, sk_buf *err)
{
	return check_text_in(v, required, max, newlines, false, err);
}

/* Parses a whole number in [min, max], full-width digits allowed; -1 when it is not one. */
static int64_t parse_count(const char *s, int64_t min, int64_t max)
{
	char buf[32];
	fold_ascii(s, buf, sizeof(buf));
	size_t n = strlen(buf);
	if (!n || n > 12 || strspn(buf, "0123456789") != n)
		return -1;
	int64_t v = strtoll(buf, NULL, 10);
	return v < min || v > max ? -1 : v;
}

#define V(f) (in->v[f] ? in->v[f] : "")

/*
 * A bad field: stop at it, or (cx->on_bad, an import) report it and go on
 * with the next field, so that a row's every error is listed at once.
 */
static sk_err report_bad(actx *cx, sk_asset_field f, sk_err e, sk_asset_field *bad, int *nbad,
                         sk_buf *err)
{
	*bad = f;
	if (e != SK_ERR_INVALID || !cx->on_bad || !err)
		return e;
	cx->on_bad(cx->on_bad_ctx, f, err);
	(*nbad)++;
	return SK_OK;
}

#define BAD(f, ...)                                                                                \
	do {                                                                                       \
		if ((e = report_bad(cx, f,                                                         \
		                    sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, __VA_ARGS__),     \
		                    bad, &nbad, err)))                                             \
			return e;                                                                  \
	} while (0)
#define CHECK(f, call)                                                                             \
	((e = (call)) && (e = report_bad(cx, f, e, bad, &nbad, err)) ? true : (e = SK_OK, false))

sk_err asset_normalize(actx *cx, const sk_asset_input *in, norm *o, sk_asset_field *bad,
                       sk_buf *err)
{
	memset(o, 0, sizeof(*o));
	sk_err e = SK_OK;
	int nbad = 0;
	char list[256];
	bool missing[SK_AF__COUNT] = {0};
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (af_required(f) && !*V(f)) {
			missing[f] = true;
			BAD((sk_asset_field)f, SK_M_ASSET_REQUIRED);
		}
	if (!missing[SK_AF_UNIT] &&
	    CHECK(SK_AF_UNIT, asset_unit_resolve(cx, V(SK_AF_UNIT), &o->unit_id, err)))
		return e;
	o->type = find_word(SK_VOCAB_ASSET_TYPE, V(SK_AF_TYPE));
	if (!o->type && !missing[SK_AF_TYPE] &&
	    CHECK(SK_AF_TYPE, sk_vocab_unknown(SK_VOCAB_ASSET_TYPE, "type", "情報資産の種類",
	                                       V(SK_AF_TYPE), err)))
		return e;
	if (!missing[SK_AF_NAME] &&
	    CHECK(SK_AF_NAME, check_text_in(V(SK_AF_NAME), true, af(SK_AF_NAME)->max, false,
	                                    cx->utf8_known, err)))
		return e;
	o->name = V(SK_AF_NAME);
	o->quantity = *V(SK_AF_QUANTITY) ? parse_count(V(SK_AF_QUANTITY), 0, 1000000000) : 1;
	if (o->quantity < 0)
		BAD(SK_AF_QUANTITY, SK_M_ASSET_QUANTITY_BAD, V(SK_AF_QUANTITY));
	static const sk_asset_field plain[] = {SK_AF_LOCATION, SK_AF_DISPOSAL_METHOD,
	                                       SK_AF_MANAGER};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!missing[plain[i]] &&
		    CHECK(plain[i], check_text_in(V(plain[i]), af_required(plain[i]),
		                                  af(plain[i])->max, false, cx->utf8_known, err)))
			return e;
	o->location = V(SK_AF_LOCATION);
	o->disposal_method = V(SK_AF_DISPOSAL_METHOD);
	o->manager = V(SK_AF_MANAGER);
	if (CHECK(SK_AF_NOTE, check_text_in(V(SK_AF_NOTE), false, af(SK_AF_NOTE)->max, true,
	                                    cx->utf8_known, err)))
		return e;
	o->note = V(SK_AF_NOTE);
	/* 管理番号 typed in Excel with full-width digits is the same number. */
	if (*V(SK_AF_NUMBER)) {
		if (CHECK(SK_AF_NUMBER,
		          check_text_in(V(SK_AF_NUMBER), false, 3 * af(SK_AF_NUMBER)->max, false,
		                        cx->utf8_known, err)))
			return e;
		fold_ascii(V(SK_AF_NUMBER), o->numbuf, sizeof(o->numbuf));
		if (strlen(o->numbuf) >= af(SK_AF_NUMBER)->max)
			BAD(SK_AF_NUMBER, SK_M_ASSET_TEXT_TOO_LONG, (size_t)af(SK_AF_NUMBER)->max);
		else
			o->number = o->numbuf;
	}

	static const sk_asset_field flags[] = {SK_AF_BACKUP, SK_AF_PERSONAL, SK_AF_MYNUMBER};
	int *flag_out[] = {&o->backup, &o->personal, &o->mynumber};
	for (size_t i = 0; i < 3; i++) {
		*flag_out[i] = parse_bool(V(flags[i]));
		if (*flag_out[i] == -2) {
			BAD(flags[i], SK_M_ASSET_FLAG_BAD, V(flags[i]));
			*flag_out[i] = -1;
		}
	}
	if (o->backup < 0)
		o->backup = 0;
	if (o->mynumber < 0)
		o->mynumber = 0;
	/* 特定個人情報 is personal information: an unstated flag follows, a contrary one is an
	 * error. */
	if (o->personal < 0)
		o->personal = o->mynumber;
	if (o->mynumber && !o->personal)
		BAD(SK_AF_PERSONAL, SK_M_ASSET_MYNUMBER_PERSONAL);

	static const sk_asset_field axes[] = {SK_AF_CONF, SK_AF_INTEG, SK_AF_AVAIL};
	const char **lv[] = {&o->conf, &o->integ, &o->avail};
	const scheme *sc = &cx->sc;
	if ((e = with_scheme(cx, err))) {
		*bad = SK_AF_CONF;
		return e;
	}
	for (int a = 0; a < 3; a++) {
		*lv[a] = level_parse(sc, a, V(axes[a]));
		if (!*lv[a] && !missing[axes[a]]) {
			asset_level_names(sc, a, list, sizeof(list));
			BAD(axes[a], SK_M_ASSET_LEVEL_BAD, V(axes[a]), axis_title(sc, a), list);
		}
	}
	o->zone = find_word(SK_VOCAB_ZONE, V(SK_AF_ZONE));
	if (!o->zone && !missing[SK_AF_ZONE] &&
	    CHECK(SK_AF_ZONE, sk_vocab_unknown(SK_VOCAB_ZONE, "network zone", "ネットワーク区分",
	                                       V(SK_AF_ZONE), err)))
		return e;

	o->recovery_hours = -1;
	if (*V(SK_AF_RECOVERY_HOURS) && o->avail) {
		if (!level_is_top(sc, 2, o->avail))
			BAD(SK_AF_RECOVERY_HOURS, SK_M_ASSET_RECOVERY_NOT_TOP, axis_title(sc, 2),
			    level_name(sc, 2, level_count(sc, 2) - 1));
		else if ((o->recovery_hours = parse_count(V(SK_AF_RECOVERY_HOURS), 1, 8784)) < 0)
			BAD(SK_AF_RECOVERY_HOURS, SK_M_ASSET_RECOVERY_BAD, V(SK_AF_RECOVERY_HOURS));
	}
	if (*V(SK_AF_ACQUIRED_ON)) {
		sk_date d;
		sk_err pe =
		    sk_wareki_parse(V(SK_AF_ACQUIRED_ON), strlen(V(SK_AF_ACQUIRED_ON)), &d, err);
		if (pe) {
			if ((e = report_bad(cx, SK_AF_ACQUIRED_ON, pe, bad, &nbad, err)))
				return e;
		} else {
			sk_date_format_iso(d, o->acquired_on);
			char today[11];
			sk_date_format_iso(asset_today_jst(), today);
			if ((af(SK_AF_ACQUIRED_ON)->flags & SK_FF_PAST) &&
			    strcmp(o->acquired_on, today) > 0)
				BAD(SK_AF_ACQUIRED_ON, SK_M_ASSET_DATE_FUTURE, o->acquired_on,
				    today);
		}
	}
	if (nbad)
		return SK_ERR_INVALID;
	for (unsigned k = 0; k < cx->nlabels; k++) {
		const struct label_slot *l = &cx->labels[k];
		if (l->c == o->conf && l->i == o->integ && l->a == o->avail) {
			memcpy(o->label, l->text, sizeof(o->label));
			return SK_OK;
		}
	}
	*bad = SK_AF_CONF;
	if (asset_make_label(sc, o->conf, o->integ, o->avail, o->label, sizeof(o->label)))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_ASSET_LABEL_TOO_LONG);
	if (cx->nlabels < LABEL_CACHE) {
		struct label_slot *l = &cx->labels[cx->nlabels++];
		l->c = o->conf;
		l->i = o->integ;
		l->a = o->avail;
		memcpy(l->text, o->label, sizeof(l->text));
	}
	return SK_OK;
}

#undef BAD
#undef CHECK

sk_err asset_name_field(sk_err e, sk_asset_field f, sk_buf *err)
{
	if (!err || e == SK_ERR_STORE || e == SK_ERR_NOMEM)
		return e;
	return sk_fail_wrap(err, e, af(f)->key, af(f)->ja, SK_M_ASSET_FIELD_BAD, af(f)->ja);
}
