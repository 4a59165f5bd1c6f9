/*
 * asset: the information asset register (see asset.h): field checks shared
 * by every door, the register's reads and writes with their audit entries,
 * and CSV import and CSV/Excel export.
 */
#include "asset.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_json.h"
#include "../policy/policy.h"
#include "../report/csv.h"
#include "../report/wareki.h"
#include "../report/xlsx.h"
#include "authz.h"
#include "ctx.h"
#include "org.h"
#include "schema.h"

#define TEXT_MAX SK_ASSET_TEXT_MAX
#define NOTE_MAX SK_ASSET_NOTE_MAX

/* --- the register's columns --- */

/* The register's columns: keys, headings, aliases and limits are the field schema's. */
static const sk_field *af(sk_asset_field f) { return &sk_schema_asset.fields[f]; }

static bool af_required(sk_asset_field f) { return (af(f)->flags & SK_FF_REQUIRED) != 0; }

/* Columns an export adds, in sk_schema_asset_record's order; an import accepts and ignores them. */
enum {
	RO_ID,
	RO_LABEL,
	RO_STATUS,
	RO_DISPOSED_ON,
	RO_DISPOSAL_OPERATOR,
	RO_DISPOSAL_RECORD,
	RO__COUNT
};

static const sk_field *ro(int r) { return &sk_schema_asset_record.fields[r]; }

const char *sk_asset_field_key(sk_asset_field f)
{
	return (unsigned)f < SK_AF__COUNT ? af(f)->key : NULL;
}

const char *sk_asset_field_title(sk_asset_field f)
{
	return (unsigned)f < SK_AF__COUNT ? af(f)->ja : NULL;
}

/* --- vocabularies: the stable name, the register's Japanese name, other spellings --- */

struct word {
	const char *name, *ja, *aliases;
};

static const struct word types[] = {
    {"hardware", "ハードウェア", "機器|端末"},
    {"software", "ソフトウェア", ""},
    {"media", "外部記憶媒体", "記憶媒体|媒体|電磁的記録媒体"},
    {"facility", "設備", ""},
    {"document", "ドキュメント", "文書|紙文書"},
    {"data", "データ", "電子データ|情報"},
    {"network", "ネットワーク", ""},
    {"system", "システム", "情報システム"},
};

static const struct word zones[] = {
    {"mynumber", "マイナンバー利用事務系", "個人番号利用事務系|マイナンバー系"},
    {"lgwan", "LGWAN接続系", "LGWAN系|ＬＧＷＡＮ接続系"},
    {"internet", "インターネット接続系", "インターネット系"},
};

#define NTYPES (sizeof(types) / sizeof(types[0]))
#define NZONES (sizeof(zones) / sizeof(zones[0]))

/* Whether s equals one of the '|'-separated words of list. */
static bool in_list(const char *list, const char *s)
{
	size_t n = strlen(s);
	for (const char *p = list; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && memcmp(p, s, n) == 0)
			return true;
		p += len + (bar ? 1 : 0);
	}
	return false;
}

static const struct word *find_word(const struct word *w, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, w[i].name) == 0 || strcmp(s, w[i].ja) == 0 ||
		    in_list(w[i].aliases, s))
			return &w[i];
	return NULL;
}

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

/*
 * --- the classification scheme ---
 *
 * Levels are the installation's profile's (meta "policy.profile", a built-in
 * name or a path; sk_policy_open). An installation without a profile (a bare
 * database) uses the scheme the four seed cities share (機密性 3/2/1,
 * 完全性 2/1, 可用性 2/1; 八王子 7(1)); a profile that is named but cannot be
 * loaded is an error, never a silent fallback. Levels are stored as the
 * scheme's names ("3", "3A"), so the register reads the same under either.
 */
static const struct fallback_axis {
	const char *title;
	const char *const *levels; /* lowest first */
	int n;
} fallback[3] = {
    {"機密性", (const char *const[]){"1", "2", "3"}, 3},
    {"完全性", (const char *const[]){"1", "2"}, 2},
    {"可用性", (const char *const[]){"1", "2"}, 2},
};

typedef struct scheme {
	const sk_policy *pol; /* NULL: the fallback */
} scheme;

/* The installation's profile, from the context that loaded it once (sk_ctx_policy). */
static sk_err scheme_open(sk_ctx *c, scheme *sc, sk_buf *err)
{
	return sk_ctx_policy(c, &sc->pol, err);
}

static const char *axis_title(const scheme *sc, int axis)
{
	return sc->pol ? sk_policy_axis_title(sc->pol, (sk_axis)axis) : fallback[axis].title;
}

static int level_count(const scheme *sc, int axis)
{
	return sc->pol ? sk_policy_level_count(sc->pol, (sk_axis)axis) : fallback[axis].n;
}

static const char *level_name(const scheme *sc, int axis, int v)
{
	return sc->pol ? sk_policy_level_name(sc->pol, (sk_axis)axis, v) : fallback[axis].levels[v];
}

/* Folds full-width digits and letters into ASCII (level names typed in Excel). */
static void fold_ascii(const char *s, char *out, size_t max)
{
	size_t o = 0;
	const unsigned char *u = (const unsigned char *)s;
	while (*u && o + 1 < max) {
		if (u[0] == 0xef && u[1] == 0xbc && u[2] >= 0x90 && u[2] <= 0x99) {
			out[o++] = (char)('0' + (u[2] - 0x90));
			u += 3;
		} else if (u[0] == 0xef && u[1] == 0xbc && u[2] >= 0xa1 && u[2] <= 0xba) {
			out[o++] = (char)('A' + (u[2] - 0xa1));
			u += 3;
		} else
			out[o++] = (char)*u++;
	}
	out[o] = '\0';
}

/*
 * The value (0 = lowest) of level s on axis (0 conf, 1 integ, 2 avail),
 * written as the scheme names it ("3", "3A") or with the axis title
 * ("機密性3"), full-width characters allowed; -1 when there is no such level.
 */
static int level_value(const scheme *sc, int axis, const char *s)
{
	char buf[64];
	fold_ascii(s, buf, sizeof(buf));
	const char *v = buf;
	const char *title = axis_title(sc, axis);
	size_t tl = title ? strlen(title) : 0;
	if (tl && strncmp(v, title, tl) == 0)
		v += tl;
	if (sc->pol) {
		int val;
		return sk_policy_level_parse(sc->pol, (sk_axis)axis, v, &val) ? -1 : val;
	}
	for (int i = 0; i < fallback[axis].n; i++)
		if (strcmp(v, fallback[axis].levels[i]) == 0)
			return i;
	return -1;
}

/* The scheme's own spelling of level s, or NULL. */
static const char *level_parse(const scheme *sc, int axis, const char *s)
{
	int v = level_value(sc, axis, s);
	return v < 0 ? NULL : level_name(sc, axis, v);
}

/* Lists the levels of axis for a message, highest first: "3, 2, 1". */
static void level_names(const scheme *sc, int axis, char *out, size_t max)
{
	size_t o = 0;
	out[0] = '\0';
	int n = level_count(sc, axis);
	for (int i = n; i-- > 0 && o < max;)
		o += (size_t)snprintf(out + o, max - o, "%s%s", i + 1 < n ? ", " : "",
		                      level_name(sc, axis, i));
}

/*
 * Whether level (a name of the scheme) is in the top class of the axis: the
 * highest level and any sharing its leading number (3A/3B/3C in the national
 * guideline's scheme). 機密性3 reads are logged; 可用性2 takes a recovery time.
 */
static bool level_is_top(const scheme *sc, int axis, const char *level)
{
	const char *top = level_name(sc, axis, level_count(sc, axis) - 1);
	if (!top || !level)
		return false;
	size_t d = strspn(top, "0123456789");
	return d ? strncmp(level, top, d) == 0 && strspn(level, "0123456789") == d
	         : strcmp(level, top) == 0;
}

/* 分類の表示: "機密性3、完全性2、可用性2" (八王子 7(2)キ's example). */
static sk_err make_label(const scheme *sc, const char *c, const char *i, const char *a, char *out,
                         size_t max)
{
	if (!sc->pol) {
		snprintf(out, max, "%s%s、%s%s、%s%s", fallback[0].title, c, fallback[1].title, i,
		         fallback[2].title, a);
		return SK_OK;
	}
	sk_buf b = SK_BUF_INIT(max - 1);
	sk_err e = sk_policy_label(sc->pol, level_value(sc, 0, c), level_value(sc, 1, i),
	                           level_value(sc, 2, a), &b);
	snprintf(out, max, "%s", b.data);
	sk_buf_free(&b);
	return e;
}

/* --- the context of one operation: the store, the actor, a cache of resolved units --- */

#define UNIT_CACHE_SLOTS 4096u

struct unit_slot {
	char *ref;
	int64_t id;
};

/* Labels already made, by the scheme's level-name pointers (imports repeat a few triples). */
#define LABEL_CACHE 16
struct label_slot {
	const char *c, *i, *a;
	char text[160];
};

typedef struct actx {
	struct label_slot labels[LABEL_CACHE];
	unsigned nlabels;
	sk_ctx *c; /* the call's context: profile and scope come from it */
	sk_store *s;
	const sk_actor *actor;
	scheme sc;       /* loaded on first use (with_scheme) */
	bool utf8_known; /* every input string is known to be valid UTF-8 (an import) */
	bool sc_loaded;
	struct unit_slot *units; /* allocated on first use */
	size_t nunits;
} actx;

static void actx_free(actx *cx)
{
	if (cx->units) {
		for (size_t i = 0; i < UNIT_CACHE_SLOTS; i++)
			free(cx->units[i].ref);
		free(cx->units);
	}
}

/* The classification scheme of the installation, loaded once per operation. */
static sk_err with_scheme(actx *cx, sk_buf *err)
{
	if (cx->sc_loaded)
		return SK_OK;
	sk_err e = scheme_open(cx->c, &cx->sc, err);
	cx->sc_loaded = !e;
	return e;
}

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Resolves a unit reference (id or code) to its id; 0 and a message when there is none. */
static sk_err unit_resolve(actx *cx, const char *ref, int64_t *id, sk_buf *err)
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
		e = SK_ERR_INVALID;
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

/* --- permission (SPEC C4) --- */

/*
 * SK_OK with *ok when the actor holds asset.read (or asset.write) at unit
 * (authz.h: capability and scope, one check); unit 0 only loads the scope,
 * so that a row callback later need not query.
 */
static sk_err may_access(actx *cx, int64_t unit, bool write, bool *ok, sk_buf *err)
{
	*ok = false;
	if (cx->actor->superuser) {
		*ok = true;
		return SK_OK;
	}
	const sk_scope *sc;
	sk_err e = sk_ctx_scope(cx->c, &sc, err);
	if (e)
		return e;
	*ok =
	    unit &&
	    ((sk_authz_caps_at(sc, unit) >> (write ? SK_CAP_ASSET_WRITE : SK_CAP_ASSET_READ)) & 1u);
	return SK_OK;
}

/* --- checking and normalizing input --- */

typedef struct norm {
	int64_t unit_id;
	const char *type, *name, *location, *disposal_method, *conf, *integ, *avail, *manager,
	    *zone, *note;
	int64_t quantity, recovery_hours; /* recovery_hours -1: none */
	int backup, personal, mynumber;
	char acquired_on[11]; /* "" when none */
	char label[160];
} norm;

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
		return sk_fail(err, SK_ERR_INVALID, "must not be empty");
	if (n > max)
		return sk_fail(err, SK_ERR_INVALID, "longer than %zu bytes", max);
	if (!utf8_known && !sk_csv_utf8_valid(v, n, NULL))
		return sk_fail(err, SK_ERR_INVALID, "not valid UTF-8");
	if (has_ctl(v, newlines))
		return sk_fail(err, SK_ERR_INVALID, "contains a control character");
	return SK_OK;
}

static sk_err check_text(const char *v, bool required, size_t max, bool newlines, sk_buf *err)
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

static void word_names(const struct word *w, size_t n, char *out, size_t max)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && o < max; i++)
		o += (size_t)snprintf(out + o, max - o, "%s%s", i ? ", " : "", w[i].name);
}

#define V(f) (in->v[f] ? in->v[f] : "")

/*
 * Checks every field of in (a complete set: what an add or an update leads
 * to) and fills *o. On failure *bad is the field at fault and err says what
 * is wrong with it, without naming the field (the caller knows how to).
 */
static sk_err normalize(actx *cx, const sk_asset_input *in, norm *o, sk_asset_field *bad,
                        sk_buf *err)
{
	memset(o, 0, sizeof(*o));
	sk_err e;
	char list[256];
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (af_required(f) && !*V(f)) {
			*bad = (sk_asset_field)f;
			return sk_fail(err, SK_ERR_INVALID, "is required");
		}
	*bad = SK_AF_UNIT;
	if ((e = unit_resolve(cx, V(SK_AF_UNIT), &o->unit_id, err)))
		return e;
	*bad = SK_AF_TYPE;
	const struct word *w = find_word(types, NTYPES, V(SK_AF_TYPE));
	if (!w) {
		word_names(types, NTYPES, list, sizeof(list));
		return sk_fail(err, SK_ERR_INVALID, "unknown type '%s' (expected %s)",
		               V(SK_AF_TYPE), list);
	}
	o->type = w->name;
	*bad = SK_AF_NAME;
	if ((e = check_text_in(V(SK_AF_NAME), true, af(SK_AF_NAME)->max, false, cx->utf8_known,
	                       err)))
		return e;
	o->name = V(SK_AF_NAME);
	*bad = SK_AF_QUANTITY;
	o->quantity = *V(SK_AF_QUANTITY) ? parse_count(V(SK_AF_QUANTITY), 0, 1000000000) : 1;
	if (o->quantity < 0)
		return sk_fail(err, SK_ERR_INVALID,
		               "'%s' is not a whole number between 0 and 1000000000",
		               V(SK_AF_QUANTITY));
	static const sk_asset_field plain[] = {SK_AF_LOCATION, SK_AF_DISPOSAL_METHOD,
	                                       SK_AF_MANAGER};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		*bad = plain[i];
		if ((e = check_text_in(V(plain[i]), af_required(plain[i]), af(plain[i])->max, false,
		                       cx->utf8_known, err)))
			return e;
	}
	o->location = V(SK_AF_LOCATION);
	o->disposal_method = V(SK_AF_DISPOSAL_METHOD);
	o->manager = V(SK_AF_MANAGER);
	*bad = SK_AF_NOTE;
	if ((e = check_text_in(V(SK_AF_NOTE), false, af(SK_AF_NOTE)->max, true, cx->utf8_known,
	                       err)))
		return e;
	o->note = V(SK_AF_NOTE);

	static const sk_asset_field flags[] = {SK_AF_BACKUP, SK_AF_PERSONAL, SK_AF_MYNUMBER};
	int *flag_out[] = {&o->backup, &o->personal, &o->mynumber};
	for (size_t i = 0; i < 3; i++) {
		*bad = flags[i];
		*flag_out[i] = parse_bool(V(flags[i]));
		if (*flag_out[i] == -2)
			return sk_fail(err, SK_ERR_INVALID,
			               "'%s' is not yes or no (あり/なし, 有/無, yes/no, 1/0)",
			               V(flags[i]));
	}
	if (o->backup < 0)
		o->backup = 0;
	if (o->mynumber < 0)
		o->mynumber = 0;
	/* 特定個人情報 is personal information: an unstated flag follows, a contrary one is an
	 * error. */
	if (o->personal < 0)
		o->personal = o->mynumber;
	if (o->mynumber && !o->personal) {
		*bad = SK_AF_PERSONAL;
		return sk_fail(err, SK_ERR_INVALID,
		               "must be yes for an asset holding 特定個人情報 (it is personal "
		               "information)");
	}

	static const sk_asset_field axes[] = {SK_AF_CONF, SK_AF_INTEG, SK_AF_AVAIL};
	const char **lv[] = {&o->conf, &o->integ, &o->avail};
	const scheme *sc = &cx->sc;
	for (int a = 0; a < 3; a++) {
		*bad = axes[a];
		if ((e = with_scheme(cx, err)))
			return e;
		*lv[a] = level_parse(sc, a, V(axes[a]));
		if (!*lv[a]) {
			level_names(sc, a, list, sizeof(list));
			return sk_fail(err, SK_ERR_INVALID,
			               "'%s' is not a level of %s (expected %s)", V(axes[a]),
			               axis_title(sc, a), list);
		}
	}
	*bad = SK_AF_ZONE;
	w = find_word(zones, NZONES, V(SK_AF_ZONE));
	if (!w) {
		word_names(zones, NZONES, list, sizeof(list));
		return sk_fail(err, SK_ERR_INVALID, "unknown network zone '%s' (expected %s)",
		               V(SK_AF_ZONE), list);
	}
	o->zone = w->name;

	*bad = SK_AF_RECOVERY_HOURS;
	o->recovery_hours = -1;
	if (*V(SK_AF_RECOVERY_HOURS)) {
		if (!level_is_top(sc, 2, o->avail))
			return sk_fail(err, SK_ERR_INVALID,
			               "a recovery time is set only for the highest availability "
			               "level (%s%s)",
			               axis_title(sc, 2),
			               level_name(sc, 2, level_count(sc, 2) - 1));
		o->recovery_hours = parse_count(V(SK_AF_RECOVERY_HOURS), 1, 8784);
		if (o->recovery_hours < 0)
			return sk_fail(err, SK_ERR_INVALID,
			               "'%s' is not a number of hours between 1 and 8784",
			               V(SK_AF_RECOVERY_HOURS));
	}
	*bad = SK_AF_ACQUIRED_ON;
	if (*V(SK_AF_ACQUIRED_ON)) {
		sk_date d;
		if ((e = sk_wareki_parse(V(SK_AF_ACQUIRED_ON), strlen(V(SK_AF_ACQUIRED_ON)), &d,
		                         err)))
			return e;
		sk_date_format_iso(d, o->acquired_on);
	}
	for (unsigned k = 0; k < cx->nlabels; k++) {
		const struct label_slot *l = &cx->labels[k];
		if (l->c == o->conf && l->i == o->integ && l->a == o->avail) {
			memcpy(o->label, l->text, sizeof(o->label));
			return SK_OK;
		}
	}
	*bad = SK_AF_CONF;
	if (make_label(sc, o->conf, o->integ, o->avail, o->label, sizeof(o->label)))
		return sk_fail(err, SK_ERR_INVALID, "the label text is too long");
	if (cx->nlabels < LABEL_CACHE) {
		struct label_slot *l = &cx->labels[cx->nlabels++];
		l->c = o->conf;
		l->i = o->integ;
		l->a = o->avail;
		memcpy(l->text, o->label, sizeof(l->text));
	}
	return SK_OK;
}

/* Prefixes the message in err with the field's key. */
static sk_err name_field(sk_err e, sk_asset_field f, sk_buf *err)
{
	if (!err || e == SK_ERR_STORE || e == SK_ERR_NOMEM)
		return e;
	sk_buf msg = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_buf_adds(&msg, err->data);
	sk_fail(err, e, "%s (%s): %s", af(f)->key, af(f)->ja, msg.data);
	sk_buf_free(&msg);
	return e;
}

/* --- reading --- */

#define ASSET_COLS                                                                                 \
	"a.id, a.unit_id, o.code, o.name, a.type, a.name, a.quantity, a.location, a.backup, "      \
	"a.disposal_method, a.conf, a.integ, a.avail, a.manager, a.zone, a.personal, "             \
	"a.mynumber, a.recovery_hours, a.label, a.acquired_on, a.note, a.status, a.disposed_on, "  \
	"a.disposal_operator, a.disposal_record, a.import_id, a.created_at, a.updated_at"
#define ASSET_FROM " FROM assets a JOIN org_unit o ON o.id = a.unit_id"

static const char *opt_text(const sk_row *r, size_t i)
{
	return sk_row_is_null(r, i) ? NULL : sk_row_text(r, i);
}

static void row_to_asset(const sk_row *r, sk_asset *a)
{
	a->withheld = false;
	a->id = sk_row_int(r, 0);
	a->unit_id = sk_row_int(r, 1);
	a->unit_code = sk_row_text(r, 2);
	a->unit_name = sk_row_text(r, 3);
	a->type = sk_row_text(r, 4);
	a->name = sk_row_text(r, 5);
	a->quantity = sk_row_int(r, 6);
	a->location = sk_row_text(r, 7);
	a->backup = sk_row_int(r, 8) != 0;
	a->disposal_method = sk_row_text(r, 9);
	a->conf = sk_row_text(r, 10);
	a->integ = sk_row_text(r, 11);
	a->avail = sk_row_text(r, 12);
	a->manager = sk_row_text(r, 13);
	a->zone = sk_row_text(r, 14);
	a->personal = sk_row_int(r, 15) != 0;
	a->mynumber = sk_row_int(r, 16) != 0;
	a->recovery_hours = sk_row_is_null(r, 17) ? -1 : sk_row_int(r, 17);
	a->label = sk_row_text(r, 18);
	a->acquired_on = opt_text(r, 19);
	a->note = sk_row_text(r, 20);
	a->status = sk_row_text(r, 21);
	a->disposed_on = opt_text(r, 22);
	a->disposal_operator = opt_text(r, 23);
	a->disposal_record = opt_text(r, 24);
	a->import_id = sk_row_is_null(r, 25) ? 0 : sk_row_int(r, 25);
	a->created_at = sk_row_int(r, 26);
	a->updated_at = sk_row_int(r, 27);
}

#define BRIEF_COLS                                                                                 \
	"a.id, a.unit_id, o.code, a.type, a.name, a.conf, a.integ, a.avail, a.zone, a.status"

/* What a decision needs of an asset (sk_asset_read with facts_only): no join, few columns. */
#define FACTS_COLS                                                                                 \
	"a.id, a.unit_id, a.type, a.conf, a.integ, a.avail, a.zone, a.personal, a.mynumber, "      \
	"a.status, a.updated_at"

static void row_to_facts(const sk_row *r, sk_asset *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sk_row_int(r, 0);
	a->unit_id = sk_row_int(r, 1);
	a->type = sk_row_text(r, 2);
	a->conf = sk_row_text(r, 3);
	a->integ = sk_row_text(r, 4);
	a->avail = sk_row_text(r, 5);
	a->zone = sk_row_text(r, 6);
	a->personal = sk_row_int(r, 7) != 0;
	a->mynumber = sk_row_int(r, 8) != 0;
	a->status = sk_row_text(r, 9);
	a->updated_at = sk_row_int(r, 10);
	a->unit_code = a->unit_name = a->name = a->location = a->disposal_method = a->manager =
	    a->label = a->note = "";
	a->recovery_hours = -1;
}

static void row_to_brief(const sk_row *r, sk_asset *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sk_row_int(r, 0);
	a->unit_id = sk_row_int(r, 1);
	a->unit_code = sk_row_text(r, 2);
	a->type = sk_row_text(r, 3);
	a->name = sk_row_text(r, 4);
	a->conf = sk_row_text(r, 5);
	a->integ = sk_row_text(r, 6);
	a->avail = sk_row_text(r, 7);
	a->zone = sk_row_text(r, 8);
	a->status = sk_row_text(r, 9);
	a->unit_name = a->location = a->disposal_method = a->manager = a->label = a->note = "";
	a->recovery_hours = -1;
}

/*
 * --- the asset's JSON: the one place that decides its shape ---
 *
 * Written straight into a buffer (no json_t): GET /api/v1/assets/{id} sends
 * these bytes as they are, and code that needs a json_t (the audit images of
 * changes, the CLI) parses them (sk_asset_json). The text is what jansson's
 * compact encoding of the same object in this key order gave before.
 */

/* "YYYY-MM-DDTHH:MM:SS+00:00" as sk_clock_format writes it, without gmtime and printf. */
static void format_time(int64_t secs, char out[SK_TIME_STR_MAX])
{
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	/* civil_from_days (H. Hinnant), proleptic Gregorian. */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	if (y < 0 || y > 9999) {
		sk_clock_format(secs, out);
		return;
	}
	int v[6] = {(int)y,         (int)m, (int)d, (int)(rem / 3600), (int)(rem / 60 % 60),
	            (int)(rem % 60)};
	char *p = out;
	for (int i = 0; i < 6; i++) {
		if (i == 0) {
			*p++ = (char)('0' + v[0] / 1000);
			*p++ = (char)('0' + v[0] / 100 % 10);
		}
		*p++ = (char)('0' + v[i] / 10 % 10);
		*p++ = (char)('0' + v[i] % 10);
		*p++ = "--T::+"[i];
	}
	memcpy(p, "00:00", 6);
}

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
	format_time(a->created_at, ct);
	format_time(a->updated_at, ut);
	size_t start = out->len;
	sk_err e = sk_buf_grow(out, 640);
#define KEY(k) (e = e ? e : PUT(out, k))
#define VAL(x) (e = e ? e : (x))
	KEY("{\"id\":");
	VAL(put_int(out, a->id));
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

/* What load() makes of the row besides the checks' facts. */
enum {
	WANT_JSON = 1u << 0,
	WANT_INPUT = 1u << 1,
	WANT_TEXT = 1u << 2,
	WANT_CALL = 1u << 3,
	WANT_FACTS_ONLY = 1u << 4, /* read FACTS_COLS only (with WANT_CALL alone) */
};

struct one_asset {
	const scheme *sc;
	unsigned want;
	bool found;
	int64_t unit_id;
	bool top_conf, disposed;
	int64_t import_id;
	json_t *j;         /* WANT_JSON: the asset as sk_asset_json */
	sk_buf *text;      /* WANT_TEXT: the rendered JSON is appended here */
	size_t text_start; /* where it starts in text */
	sk_asset_fn fn;    /* WANT_CALL: called with the asset, once it is known in scope */
	void *fn_ctx;
	actx *cx; /* WANT_CALL: for the scope check inside the row callback */
	bool in_scope;
	sk_asset_input as_input; /* WANT_INPUT, for updates: the stored values as text */
	char buf[4][32];
	char *owned[SK_AF__COUNT];
};

/* The stored values as an input, so an update can overlay its changes. */
static sk_err take_input(struct one_asset *o, const sk_asset *a, sk_buf *err)
{
	snprintf(o->buf[0], sizeof(o->buf[0]), "%lld", (long long)a->unit_id);
	snprintf(o->buf[1], sizeof(o->buf[1]), "%lld", (long long)a->quantity);
	if (a->recovery_hours >= 0)
		snprintf(o->buf[2], sizeof(o->buf[2]), "%lld", (long long)a->recovery_hours);
	const char *vals[SK_AF__COUNT] = {
	    [SK_AF_UNIT] = o->buf[0],
	    [SK_AF_TYPE] = a->type,
	    [SK_AF_NAME] = a->name,
	    [SK_AF_QUANTITY] = o->buf[1],
	    [SK_AF_LOCATION] = a->location,
	    [SK_AF_BACKUP] = a->backup ? "1" : "0",
	    [SK_AF_DISPOSAL_METHOD] = a->disposal_method,
	    [SK_AF_CONF] = a->conf,
	    [SK_AF_INTEG] = a->integ,
	    [SK_AF_AVAIL] = a->avail,
	    [SK_AF_MANAGER] = a->manager,
	    [SK_AF_ZONE] = a->zone,
	    [SK_AF_PERSONAL] = a->personal ? "1" : "0",
	    [SK_AF_MYNUMBER] = a->mynumber ? "1" : "0",
	    [SK_AF_RECOVERY_HOURS] = a->recovery_hours >= 0 ? o->buf[2] : "",
	    [SK_AF_ACQUIRED_ON] = a->acquired_on ? a->acquired_on : "",
	    [SK_AF_NOTE] = a->note,
	};
	for (int f = 0; f < SK_AF__COUNT; f++) {
		o->owned[f] = strdup(vals[f]);
		if (!o->owned[f])
			return sk_fail(err, SK_ERR_NOMEM, "out of memory");
		o->as_input.v[f] = o->owned[f];
	}
	return SK_OK;
}

/* The row callback of load(): the facts the checks need, then what o->want asks for. */
static sk_err take_asset(void *ctx, const sk_row *row, sk_buf *err)
{
	struct one_asset *o = ctx;
	sk_asset a;
	if (o->want & WANT_FACTS_ONLY)
		row_to_facts(row, &a);
	else
		row_to_asset(row, &a);
	o->found = true;
	o->unit_id = a.unit_id;
	o->top_conf = level_is_top(o->sc, 0, a.conf);
	o->disposed = strcmp(a.status, "active") != 0;
	o->import_id = a.import_id;
	if (o->want & WANT_TEXT) {
		if (sk_asset_render(&a, o->text))
			return sk_fail(err, SK_ERR_NOMEM, "the asset does not fit the answer");
	}
	if ((o->want & WANT_JSON) && !(o->j = sk_asset_json(&a)))
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	if (o->want & WANT_CALL) {
		/* The scope lists are loaded already (load()): this asks the database nothing. */
		sk_err e = may_access(o->cx, a.unit_id, false, &o->in_scope, err);
		if (e || !o->in_scope)
			return e;
		if ((e = o->fn(o->fn_ctx, &a, err)))
			return e;
	}
	if (o->want & WANT_INPUT)
		return take_input(o, &a, err);
	return SK_OK;
}

static void one_asset_free(struct one_asset *o)
{
	json_decref(o->j);
	for (int f = 0; f < SK_AF__COUNT; f++)
		free(o->owned[f]);
	memset(o, 0, sizeof(*o));
}

/*
 * Loads asset id if it exists and is in the actor's scope; SK_ERR_NOT_FOUND
 * otherwise. want says what to make of it (WANT_*); o's other fields are
 * set by the call.
 */
static sk_err load(actx *cx, int64_t id, bool write, unsigned want, struct one_asset *o,
                   sk_buf *err)
{
	sk_buf *text = o->text;
	sk_asset_fn fn = o->fn;
	void *fn_ctx = o->fn_ctx;
	memset(o, 0, sizeof(*o));
	o->want = want;
	o->text = text;
	o->fn = fn;
	o->fn_ctx = fn_ctx;
	o->text_start = text ? text->len : 0;
	o->cx = cx;
	sk_err e = with_scheme(cx, err);
	if (e)
		return e;
	o->sc = &cx->sc;
	/* fn must only see an asset in scope, and the row callback must not query: check first. */
	if ((want & WANT_CALL) && !write && (e = may_access(cx, 0, false, &(bool){false}, err)))
		return e;
	sk_val p[] = {SK_VINT(id)};
	e = (want & WANT_FACTS_ONLY)
	        ? sk_store_query(cx->s, "SELECT " FACTS_COLS " FROM assets a WHERE a.id = ?", p, 1,
	                         take_asset, o, err)
	        : sk_store_query(cx->s, "SELECT " ASSET_COLS ASSET_FROM " WHERE a.id = ?", p, 1,
	                         take_asset, o, err);
	bool ok = false;
	if (!e && o->found)
		e = may_access(cx, o->unit_id, write, &ok, err);
	if (!e && (!o->found || !ok))
		e = sk_fail(err, SK_ERR_NOT_FOUND, "no asset %lld", (long long)id);
	if (e) {
		if (o->want & WANT_TEXT) {
			o->text->len = o->text_start;
			if (o->text->cap)
				o->text->data[o->text_start] = '\0';
		}
		one_asset_free(o);
	}
	return e;
}

static sk_err audit(actx *cx, const char *action, const char *object, const json_t *before,
                    const json_t *after, sk_buf *err)
{
	sk_audit_event ev = {.actor = cx->actor->login,
	                     .address = cx->actor->address,
	                     .action = action,
	                     .object = object,
	                     .before = before,
	                     .after = after};
	return sk_audit_append(cx->s, &ev, NULL, err);
}

/* --- writing --- */

#define INSERT_HEAD                                                                                \
	"INSERT INTO assets(unit_id, type, name, quantity, location, backup, disposal_method, "    \
	"conf, integ, avail, manager, zone, personal, mynumber, recovery_hours, label, "           \
	"acquired_on, note, status, import_id, created_at, updated_at) VALUES "
#define INSERT_ROW    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)"
#define INSERT_PARAMS 21

static void bind_norm(const norm *n, int64_t import_id, int64_t now, sk_val *p)
{
	size_t i = 0;
	p[i++] = SK_VINT(n->unit_id);
	p[i++] = sk_vtext(n->type);
	p[i++] = sk_vtext(n->name);
	p[i++] = SK_VINT(n->quantity);
	p[i++] = sk_vtext(n->location);
	p[i++] = SK_VINT(n->backup);
	p[i++] = sk_vtext(n->disposal_method);
	p[i++] = sk_vtext(n->conf);
	p[i++] = sk_vtext(n->integ);
	p[i++] = sk_vtext(n->avail);
	p[i++] = sk_vtext(n->manager);
	p[i++] = sk_vtext(n->zone);
	p[i++] = SK_VINT(n->personal);
	p[i++] = SK_VINT(n->mynumber);
	p[i++] = n->recovery_hours < 0 ? SK_VNULL : SK_VINT(n->recovery_hours);
	p[i++] = sk_vtext(n->label);
	p[i++] = n->acquired_on[0] ? sk_vtext(n->acquired_on) : SK_VNULL;
	p[i++] = sk_vtext(n->note);
	p[i++] = import_id ? SK_VINT(import_id) : SK_VNULL;
	p[i++] = SK_VINT(now);
	p[i++] = SK_VINT(now);
}

/* Inserts one asset and returns its id. */
static sk_err insert(actx *cx, const norm *n, int64_t now, int64_t *id, sk_buf *err)
{
	sk_val p[INSERT_PARAMS];
	bind_norm(n, 0, now, p);
	*id = 0;
	sk_err e = sk_store_query_int(cx->s, INSERT_HEAD INSERT_ROW " RETURNING id", p,
	                              INSERT_PARAMS, id, err);
	if (e == SK_ERR_NOT_FOUND)
		e = sk_fail(err, SK_ERR_STORE, "the asset insert returned no id");
	return e;
}

static void object_name(int64_t id, char out[48])
{
	snprintf(out, 48, "asset:%lld", (long long)id);
}

sk_err sk_asset_add(sk_ctx *c, const sk_asset_input *in, int64_t *id_out, sk_buf *err)
{
	sk_store *s = c->store;
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	norm n;
	sk_asset_field bad;
	struct one_asset after = {0};
	int64_t id = 0;
	sk_err e = normalize(&cx, in, &n, &bad, err);
	if (e) {
		name_field(e, bad, err);
		goto out;
	}
	bool ok;
	if ((e = may_access(&cx, n.unit_id, true, &ok, err)))
		goto out;
	if (!ok) {
		e = sk_fail(err, SK_ERR_DENIED, "no right to add assets to unit '%s'",
		            in->v[SK_AF_UNIT]);
		goto out;
	}
	if ((e = sk_store_begin(s, err)))
		goto out;
	char obj[48];
	e = insert(&cx, &n, sk_clock_now(), &id, err);
	if (!e)
		e = load(&cx, id, false, WANT_JSON, &after, err);
	if (!e) {
		object_name(id, obj);
		e = audit(&cx, "asset.add", obj, NULL, after.j, err);
	}
	if (e)
		sk_store_rollback(s);
	else
		e = sk_store_commit(s, err);
	if (!e && id_out)
		*id_out = id;
out:
	one_asset_free(&after);
	actx_free(&cx);
	return e;
}

sk_err sk_asset_update(sk_ctx *c, int64_t id, const sk_asset_input *ch, sk_buf *err)
{
	sk_store *s = c->store;
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct one_asset before = {0}, after = {0};
	sk_err e = sk_store_begin(s, err);
	if (e)
		goto out;
	if ((e = load(&cx, id, true, WANT_JSON | WANT_INPUT, &before, err)))
		goto done;
	if (before.disposed) {
		e = sk_fail(err, SK_ERR_CONFLICT, "asset %lld is disposed and cannot change",
		            (long long)id);
		goto done;
	}
	sk_asset_input merged = before.as_input;
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (ch->v[f])
			merged.v[f] = ch->v[f];
	norm n;
	sk_asset_field bad;
	if ((e = normalize(&cx, &merged, &n, &bad, err))) {
		name_field(e, bad, err);
		goto done;
	}
	bool ok = true;
	if (ch->v[SK_AF_UNIT] && (e = may_access(&cx, n.unit_id, true, &ok, err)))
		goto done;
	if (!ok) {
		e = sk_fail(err, SK_ERR_DENIED, "no right to move assets to unit '%s'",
		            ch->v[SK_AF_UNIT]);
		goto done;
	}
	sk_val p[] = {
	    SK_VINT(n.unit_id),
	    sk_vtext(n.type),
	    sk_vtext(n.name),
	    SK_VINT(n.quantity),
	    sk_vtext(n.location),
	    SK_VINT(n.backup),
	    sk_vtext(n.disposal_method),
	    sk_vtext(n.conf),
	    sk_vtext(n.integ),
	    sk_vtext(n.avail),
	    sk_vtext(n.manager),
	    sk_vtext(n.zone),
	    SK_VINT(n.personal),
	    SK_VINT(n.mynumber),
	    n.recovery_hours < 0 ? SK_VNULL : SK_VINT(n.recovery_hours),
	    sk_vtext(n.label),
	    n.acquired_on[0] ? sk_vtext(n.acquired_on) : SK_VNULL,
	    sk_vtext(n.note),
	    SK_VINT(id),
	};
	e = sk_store_exec(s,
	                  "UPDATE assets SET unit_id = ?, type = ?, name = ?, quantity = ?, "
	                  "location = ?, backup = ?, disposal_method = ?, conf = ?, integ = ?, "
	                  "avail = ?, manager = ?, zone = ?, personal = ?, mynumber = ?, "
	                  "recovery_hours = ?, label = ?, acquired_on = ?, note = ? WHERE id = ?",
	                  p, sizeof(p) / sizeof(p[0]), NULL, err);
	if (!e)
		e = load(&cx, id, false, WANT_JSON, &after, err);
	if (e)
		goto done;
	if (json_equal(before.j, after.j))
		goto done; /* nothing changed: roll back the no-op, write no entry */
	sk_val q[] = {SK_VINT(sk_clock_now()), SK_VINT(id)};
	e = sk_store_exec(s, "UPDATE assets SET updated_at = ? WHERE id = ?", q, 2, NULL, err);
	one_asset_free(&after);
	if (!e)
		e = load(&cx, id, false, WANT_JSON, &after, err);
	if (!e) {
		char obj[48];
		object_name(id, obj);
		/* The images leave out updated_at so the entry shows only what the change changed.
		 */
		json_object_del(before.j, "updated_at");
		json_object_del(after.j, "updated_at");
		e = audit(&cx, "asset.update", obj, before.j, after.j, err);
	}
done:
	if (e || (after.j && json_equal(before.j, after.j)))
		sk_store_rollback(s);
	else
		e = sk_store_commit(s, err);
out:
	one_asset_free(&before);
	one_asset_free(&after);
	actx_free(&cx);
	return e;
}

/* Today's date in Japan (UTC+9, no daylight saving), for a disposal without a date. */
static sk_date today_jst(void)
{
	time_t t = (time_t)(sk_clock_now() + 9 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	return (sk_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

sk_err sk_asset_dispose(sk_ctx *c, int64_t id, const char *on, const char *operator_name,
                        const char *record, sk_buf *err)
{
	sk_store *s = c->store;
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct one_asset before = {0}, after = {0};
	char date[11];
	sk_err e = SK_OK;
	if (on && *on) {
		sk_date d;
		if ((e = sk_wareki_parse(on, strlen(on), &d, err))) {
			sk_buf msg = SK_BUF_INIT(SK_BUF_MSG_MAX);
			sk_buf_adds(&msg, err ? err->data : "");
			sk_fail(err, e, "disposal date: %s", msg.data);
			sk_buf_free(&msg);
			return e;
		}
		sk_date_format_iso(d, date);
	} else
		sk_date_format_iso(today_jst(), date);
	const sk_field *op_f = sk_schema_field(&sk_schema_asset_dispose, "operator");
	const sk_field *rec_f = sk_schema_field(&sk_schema_asset_dispose, "record");
	if (!operator_name || check_text(operator_name, true, op_f->max, false, err))
		return sk_fail(
		    err, SK_ERR_INVALID,
		    "the person in charge of the disposal (担当者) is required, one line "
		    "of text");
	if (!record || check_text(record, true, rec_f->max, true, err))
		return sk_fail(
		    err, SK_ERR_INVALID,
		    "what was done (処理内容: method, company, certificate) is required");
	if ((e = sk_store_begin(s, err)))
		goto out;
	if ((e = load(&cx, id, true, WANT_JSON, &before, err)))
		goto done;
	if (before.disposed) {
		e = sk_fail(err, SK_ERR_CONFLICT, "asset %lld is already disposed", (long long)id);
		goto done;
	}
	sk_val p[] = {sk_vtext(date), sk_vtext(operator_name), sk_vtext(record),
	              SK_VINT(sk_clock_now()), SK_VINT(id)};
	e = sk_store_exec(s,
	                  "UPDATE assets SET status = 'disposed', disposed_on = ?, "
	                  "disposal_operator = ?, disposal_record = ?, updated_at = ? WHERE id = ?",
	                  p, 5, NULL, err);
	if (!e)
		e = load(&cx, id, false, WANT_JSON, &after, err);
	if (!e) {
		char obj[48];
		object_name(id, obj);
		e = audit(&cx, "asset.dispose", obj, before.j, after.j, err);
	}
done:
	if (e)
		sk_store_rollback(s);
	else
		e = sk_store_commit(s, err);
out:
	one_asset_free(&before);
	one_asset_free(&after);
	actx_free(&cx);
	return e;
}

sk_err sk_asset_record_read(sk_ctx *c, int64_t id, sk_buf *err)
{
	sk_store *s = c->store;
	/*
	 * Only a read that must be recorded takes a transaction: on SQLite a
	 * transaction is BEGIN IMMEDIATE, which would serialize every reader of
	 * the register (the server's threads) on the write lock.
	 */
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	char obj[48];
	object_name(id, obj);
	sk_err e = sk_store_begin(s, err);
	if (!e) {
		e = audit(&cx, "asset.read", obj, NULL, NULL, err);
		if (e)
			sk_store_rollback(s);
		else
			e = sk_store_commit(s, err);
	}
	return e;
}

sk_err sk_asset_read(sk_ctx *c, int64_t id, bool facts_only, sk_asset_fn fn, void *ctx,
                     bool *top_conf, sk_buf *err)
{
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct one_asset o = {.fn = fn, .fn_ctx = ctx};
	*top_conf = false;
	sk_err e = load(&cx, id, false, WANT_CALL | (facts_only ? WANT_FACTS_ONLY : 0u), &o, err);
	if (!e)
		*top_conf = o.top_conf;
	one_asset_free(&o);
	actx_free(&cx);
	return e;
}

sk_err sk_asset_get_text(sk_ctx *c, int64_t id, sk_buf *out, sk_buf *err)
{
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct one_asset o = {.text = out};
	size_t start = out->len;
	sk_err e = load(&cx, id, false, WANT_TEXT, &o, err);
	if (!e && o.top_conf && (e = sk_asset_record_read(c, id, err))) {
		/* Not on record: nothing of it is handed out. */
		out->len = start;
		if (out->cap)
			out->data[start] = '\0';
	}
	one_asset_free(&o);
	actx_free(&cx);
	return e;
}

sk_err sk_asset_get(sk_ctx *c, int64_t id, json_t **out, sk_buf *err)
{
	*out = NULL;
	sk_buf text = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_err e = sk_asset_get_text(c, id, &text, err);
	if (!e && !(*out = json_loadb(text.data, text.len, 0, NULL)))
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	sk_buf_free(&text);
	return e;
}

/* --- listing --- */

struct list_ctx {
	actx *cx;
	sk_asset_fn fn;
	void *ctx;
	int64_t limit, seen;
	bool brief, withhold;
};

static sk_err list_row(void *ctx, const sk_row *row, sk_buf *err)
{
	struct list_ctx *l = ctx;
	sk_asset a;
	if (l->brief)
		row_to_brief(row, &a);
	else
		row_to_asset(row, &a);
	bool ok;
	sk_err e = may_access(l->cx, a.unit_id, false, &ok, err);
	if (e || !ok)
		return e;
	if (l->limit && l->seen >= l->limit)
		return SK_OK;
	l->seen++;
	if (l->withhold && !l->brief && level_is_top(&l->cx->sc, 0, a.conf)) {
		a.location = a.note = a.disposal_operator = a.disposal_record = NULL;
		a.withheld = true;
	}
	return l->fn(l->ctx, &a, err);
}

/* Escapes LIKE's wildcards so the text matches literally (ESCAPE '\'). */
static sk_err like_pattern(const char *text, sk_buf *out)
{
	sk_err e = sk_buf_addc(out, '%');
	for (const char *p = text; !e && *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			e = sk_buf_addc(out, '\\');
		if (!e)
			e = sk_buf_addc(out, *p);
	}
	return e ? e : sk_buf_addc(out, '%');
}

sk_err sk_asset_list(sk_ctx *c, const sk_asset_filter *f, sk_asset_fn fn, void *ctx, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	sk_buf sql = SK_BUF_INIT(4096), pat = SK_BUF_INIT(2048);
	sk_val p[12]; /* recursive unit, status, type, conf, zone, 4 text patterns: 9 */
	size_t np = 0;
	int64_t unit_id = 0;
	sk_err e = SK_OK;
	char list[256];
	const char *status = f->status ? f->status : "active";

	int64_t children = 0;
	if (f->unit && (e = unit_resolve(&cx, f->unit, &unit_id, err)))
		goto out;
	if (f->unit) {
		sk_val q[] = {SK_VINT(unit_id)};
		if ((e = sk_store_query_int(s, "SELECT COUNT(*) FROM org_unit WHERE parent_id = ?",
		                            q, 1, &children, err)))
			goto out;
	}
	if (children) {
		sk_buf_adds(&sql,
		            "WITH RECURSIVE down(id) AS (SELECT CAST(? AS BIGINT) UNION "
		            "SELECT o2.id FROM org_unit o2 JOIN down ON o2.parent_id = down.id) ");
		p[np++] = SK_VINT(unit_id);
	}
	sk_buf_adds(&sql, f->brief ? "SELECT " BRIEF_COLS ASSET_FROM " WHERE 1 = 1"
	                           : "SELECT " ASSET_COLS ASSET_FROM " WHERE 1 = 1");
	/*
	 * A leaf unit (a section) uses the unit index. A subtree is read by a scan
	 * in id order ("+" keeps the planner off the index): a department's assets
	 * are a large share of the register, and fetching them through the index
	 * and sorting them again cost SQLite ten times a scan (measured).
	 */
	if (children)
		sk_buf_adds(&sql, " AND +a.unit_id IN (SELECT id FROM down)");
	else if (f->unit) {
		sk_buf_adds(&sql, " AND a.unit_id = ?");
		p[np++] = SK_VINT(unit_id);
	}
	if (strcmp(status, "all") != 0) {
		if (strcmp(status, "active") != 0 && strcmp(status, "disposed") != 0) {
			e = sk_fail(err, SK_ERR_INVALID,
			            "unknown status '%s' (expected active, disposed or all)",
			            status);
			goto out;
		}
		sk_buf_adds(&sql, " AND a.status = ?");
		p[np++] = sk_vtext(status);
	}
	if (f->type) {
		const struct word *w = find_word(types, NTYPES, f->type);
		if (!w) {
			word_names(types, NTYPES, list, sizeof(list));
			e = sk_fail(err, SK_ERR_INVALID, "unknown type '%s' (expected %s)", f->type,
			            list);
			goto out;
		}
		sk_buf_adds(&sql, " AND a.type = ?");
		p[np++] = sk_vtext(w->name);
	}
	if (f->conf) {
		if ((e = with_scheme(&cx, err)))
			goto out;
		const char *lv = level_parse(&cx.sc, 0, f->conf);
		if (!lv) {
			level_names(&cx.sc, 0, list, sizeof(list));
			e = sk_fail(err, SK_ERR_INVALID, "'%s' is not a level of %s (expected %s)",
			            f->conf, axis_title(&cx.sc, 0), list);
			goto out;
		}
		sk_buf_adds(&sql, " AND a.conf = ?");
		p[np++] = sk_vtext(lv);
	}
	if (f->zone) {
		const struct word *w = find_word(zones, NZONES, f->zone);
		if (!w) {
			word_names(zones, NZONES, list, sizeof(list));
			e = sk_fail(err, SK_ERR_INVALID, "unknown network zone '%s' (expected %s)",
			            f->zone, list);
			goto out;
		}
		sk_buf_adds(&sql, " AND a.zone = ?");
		p[np++] = sk_vtext(w->name);
	}
	if (f->text) {
		if (strlen(f->text) > 256 || !sk_csv_utf8_valid(f->text, strlen(f->text), NULL)) {
			e = sk_fail(err, SK_ERR_INVALID,
			            "search text must be UTF-8 of at most 256 "
			            "bytes");
			goto out;
		}
		like_pattern(f->text, &pat);
		sk_buf_adds(&sql, " AND (a.name LIKE ? ESCAPE '\\' OR a.location LIKE ? ESCAPE '\\'"
		                  " OR a.manager LIKE ? ESCAPE '\\' OR a.note LIKE ? ESCAPE '\\')");
		for (int i = 0; i < 4; i++)
			p[np++] = sk_vtext(pat.data);
	}
	if (f->limit < 0) {
		e = sk_fail(err, SK_ERR_INVALID, "limit must not be negative");
		goto out;
	}
	/* A limit in SQL only when every row is in scope; otherwise list_row counts. */
	sk_buf_adds(&sql, " ORDER BY a.id");
	if (f->limit && actor->superuser)
		sk_buf_addf(&sql, " LIMIT %lld", (long long)f->limit);
	if (f->withhold && !f->brief && (e = with_scheme(&cx, err)))
		goto out;
	struct list_ctx l = {&cx, fn, ctx, f->limit, 0, f->brief, f->withhold};
	e = sk_store_query(s, sql.data, p, np, list_row, &l, err);
out:
	sk_buf_free(&sql);
	sk_buf_free(&pat);
	actx_free(&cx);
	return e;
}

/* --- history --- */

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
		return sk_fail(err, SK_ERR_CORRUPT, "audit entry %lld holds malformed JSON",
		               (long long)sk_row_int(row, 0));
	}
	json_t *j = json_pack("{sI ss ss ss ss so so}", "seq", (json_int_t)sk_row_int(row, 0), "at",
	                      sk_row_text(row, 1), "actor", sk_row_text(row, 2), "address",
	                      sk_row_text(row, 3), "action", sk_row_text(row, 4), "before",
	                      before ? before : json_null(), "after", after ? after : json_null());
	if (!j || json_array_append_new(arr, j))
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
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
	sk_err e = load(&cx, id, false, 0, &o, err);
	json_t *arr = json_array();
	if (!e && !arr)
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	if (!e) {
		char obj[48], imp[48];
		object_name(id, obj);
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
	one_asset_free(&o);
	actx_free(&cx);
	return e;
}

/* --- import --- */

#define COL_IGNORED (-1)

/*
 * Imports insert BATCH rows per statement: one multi-row INSERT costs the
 * statement overhead (lookup, bind checks, reset) once instead of BATCH
 * times, and an import has no use for per-row ids. Each row's strings are
 * copied out of the parser's scratch, which the next record overwrites.
 */
#define BATCH 32
/* store_pg.c binds at most 64 parameters a statement: 3 rows of 21. */
#define BATCH_PG   (64 / INSERT_PARAMS)
#define BATCH_TEXT (4 * (TEXT_MAX + 1) + NOTE_MAX + 1)

struct batch_row {
	norm n;
	char text[BATCH_TEXT];
};

struct import_ctx {
	actx *cx;
	struct batch_row *batch; /* BATCH rows */
	size_t nbatch, batch_max;
	sk_val *params; /* BATCH * INSERT_PARAMS */
	sk_buf sql;     /* the statement for a full batch */
	int cols[256];  /* the field of each column, or COL_IGNORED */
	size_t ncols;
	bool have_header;
	sk_buf errors; /* one line per bad row */
	int64_t rows, bad, first_id, last_id, import_id, now;
};

/* The field a heading names: a key, the Japanese title or an alias; -2 for none. */
static int heading_field(const char *h)
{
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (strcmp(h, af(f)->key) == 0 || strcmp(h, af(f)->ja) == 0 ||
		    in_list(af(f)->aliases, h))
			return f;
	for (int r = 0; r < RO__COUNT; r++)
		if (strcmp(h, ro(r)->key) == 0 || strcmp(h, ro(r)->ja) == 0)
			return COL_IGNORED;
	return -2;
}

/* Trims ASCII and ideographic spaces around a field in place. */
static char *trim(char *p)
{
	for (;;) {
		if (*p == ' ' || *p == '\t')
			p++;
		else if (strncmp(p, "\xe3\x80\x80", 3) == 0)
			p += 3;
		else
			break;
	}
	size_t n = strlen(p);
	for (;;) {
		if (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		else if (n >= 3 && memcmp(p + n - 3, "\xe3\x80\x80", 3) == 0)
			n -= 3;
		else
			break;
	}
	p[n] = '\0';
	return p;
}

static sk_err header(struct import_ctx *ic, const sk_csv_field *fl, size_t n, sk_buf *err)
{
	bool seen[SK_AF__COUNT] = {0};
	if (n > sizeof(ic->cols) / sizeof(ic->cols[0]))
		return sk_fail(err, SK_ERR_INVALID, "line 1: too many columns (%zu)", n);
	for (size_t c = 0; c < n; c++) {
		char *h = trim(fl[c].p);
		int f = heading_field(h);
		if (f == -2)
			return sk_fail(err, SK_ERR_INVALID,
			               "line 1, column %zu: unknown heading '%s' (see "
			               "docs/asset-register.md for the columns)",
			               c + 1, h);
		if (f >= 0 && seen[f])
			return sk_fail(err, SK_ERR_INVALID,
			               "line 1, column %zu: heading '%s' repeats column %s", c + 1,
			               h, af(f)->ja);
		if (f >= 0)
			seen[f] = true;
		ic->cols[c] = f;
	}
	for (int f = 0; f < SK_AF__COUNT; f++)
		if (af_required(f) && !seen[f])
			return sk_fail(err, SK_ERR_INVALID,
			               "line 1: the required column %s (%s) is "
			               "missing",
			               af(f)->ja, af(f)->key);
	ic->ncols = n;
	ic->have_header = true;
	return SK_OK;
}

static size_t column_of(const struct import_ctx *ic, sk_asset_field f)
{
	for (size_t c = 0; c < ic->ncols; c++)
		if (ic->cols[c] == (int)f)
			return c + 1;
	return 0;
}

static sk_err bad_row(struct import_ctx *ic, size_t line, size_t col, const char *title,
                      const char *msg)
{
	ic->bad++;
	if (ic->bad > SK_ASSET_IMPORT_MAX_ERRORS)
		return SK_OK;
	if (col)
		sk_buf_addf(&ic->errors, "line %zu, column %zu (%s): %s\n", line, col, title, msg);
	else
		sk_buf_addf(&ic->errors, "line %zu: %s\n", line, msg);
	return SK_OK;
}

/* Appends the SQL of a k-row insert to out. */
static sk_err batch_sql(size_t k, sk_buf *out)
{
	sk_err e = sk_buf_adds(out, INSERT_HEAD);
	for (size_t i = 0; !e && i < k; i++)
		e = sk_buf_adds(out, i ? ", " INSERT_ROW : INSERT_ROW);
	return e;
}

static sk_err flush(struct import_ctx *ic, sk_buf *err)
{
	size_t k = ic->nbatch;
	if (!k)
		return SK_OK;
	ic->nbatch = 0;
	for (size_t i = 0; i < k; i++)
		bind_norm(&ic->batch[i].n, ic->import_id, ic->now, ic->params + i * INSERT_PARAMS);
	if (k == ic->batch_max) {
		if (!ic->sql.len && batch_sql(k, &ic->sql))
			return sk_fail(err, SK_ERR_NOMEM, "out of memory");
		return sk_store_exec(ic->cx->s, ic->sql.data, ic->params, k * INSERT_PARAMS, NULL,
		                     err);
	}
	sk_buf tail = SK_BUF_INIT(1u << 16);
	sk_err e = batch_sql(k, &tail) ? sk_fail(err, SK_ERR_NOMEM, "out of memory")
	                               : sk_store_exec(ic->cx->s, tail.data, ic->params,
	                                               k * INSERT_PARAMS, NULL, err);
	sk_buf_free(&tail);
	return e;
}

static sk_err import_record(void *ctx, const sk_csv_field *fl, size_t n, size_t line, sk_buf *err)
{
	struct import_ctx *ic = ctx;
	if (!ic->have_header)
		return header(ic, fl, n, err);
	ic->rows++;
	if (n != ic->ncols) {
		char msg[128];
		snprintf(msg, sizeof(msg), "%zu fields, but the heading line has %zu", n,
		         ic->ncols);
		return bad_row(ic, line, 0, "", msg);
	}
	sk_asset_input in = {{0}};
	for (size_t c = 0; c < n; c++) {
		if (ic->cols[c] < 0)
			continue;
		char *v = fl[c].p;
		if (sk_csv_is_guarded(v, fl[c].n))
			v++;
		in.v[ic->cols[c]] = trim(v);
	}
	norm nm;
	sk_asset_field bad;
	sk_buf msg = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = normalize(ic->cx, &in, &nm, &bad, &msg);
	if (e == SK_ERR_INVALID) {
		bad_row(ic, line, column_of(ic, bad), af(bad)->ja, msg.data);
		sk_buf_free(&msg);
		return SK_OK;
	}
	sk_buf_free(&msg);
	if (e)
		return sk_fail(err, e, "line %zu: %s", line, msg.data);
	bool ok;
	if ((e = may_access(ic->cx, nm.unit_id, true, &ok, err)))
		return e;
	if (!ok)
		return bad_row(ic, line, column_of(ic, SK_AF_UNIT), af(SK_AF_UNIT)->ja,
		               "no right to add assets to this unit");
	if (ic->bad) /* the import fails anyway: keep checking, stop writing */
		return SK_OK;
	struct batch_row *b = &ic->batch[ic->nbatch++];
	b->n = nm;
	/* Copy the strings that point into the record into the row's own text. */
	const char **strs[] = {&b->n.name, &b->n.location, &b->n.disposal_method, &b->n.manager,
	                       &b->n.note};
	size_t off = 0;
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		size_t sl = strlen(*strs[i]);
		memcpy(b->text + off, *strs[i], sl + 1);
		*strs[i] = b->text + off;
		off += sl + 1;
	}
	return ic->nbatch == ic->batch_max ? flush(ic, err) : SK_OK;
}

static sk_err take_range(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct import_ctx *ic = ctx;
	ic->first_id = sk_row_int(row, 0);
	ic->last_id = sk_row_int(row, 1);
	return SK_OK;
}

static void sha256_hex(const char *p, size_t n, char out[65])
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hl = 0;
	EVP_Digest(p, n, h, &hl, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32 && i < hl; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

sk_err sk_asset_import(sk_ctx *c, const char *data, size_t len, const char *file_name,
                       sk_asset_import_result *res, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	memset(res, 0, sizeof(*res));
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	struct import_ctx ic = {.cx = &cx, .now = sk_clock_now()};
	sk_buf_init(&ic.errors, SK_BUF_DEFAULT_MAX);
	sk_buf_init(&ic.sql, 1u << 16);
	ic.batch_max = strcmp(sk_store_backend(s), "postgresql") == 0 ? BATCH_PG : BATCH;
	ic.batch = malloc(BATCH * sizeof(*ic.batch));
	ic.params = malloc(BATCH * INSERT_PARAMS * sizeof(*ic.params));
	char *owned = NULL;
	const char *text = NULL;
	size_t tlen = 0;
	sk_csv_encoding enc = SK_CSV_UTF8;
	sha256_hex(data, len, res->sha256);
	sk_err e = (ic.batch && ic.params)
	               ? sk_csv_decode_auto(data, len, &enc, &text, &tlen, &owned, err)
	               : sk_fail(err, SK_ERR_NOMEM, "out of memory");
	res->encoding = sk_csv_encoding_name(enc);
	if (e)
		goto out;
	if (!file_name || check_text(file_name, true, TEXT_MAX, false, NULL))
		file_name = "(unnamed)";
	cx.utf8_known = true; /* sk_csv_decode validated (or produced) the whole text */
	if ((e = sk_store_begin(s, err)))
		goto out;
	sk_val p[] = {sk_vtext(actor->login), sk_vtext(file_name), sk_vtext(res->sha256),
	              sk_vtext(res->encoding), SK_VINT(ic.now)};
	e = sk_store_query_int(s,
	                       "INSERT INTO asset_import(actor, file_name, file_sha256, encoding, "
	                       "rows, created_at) VALUES (?, ?, ?, ?, 0, ?) RETURNING id",
	                       p, 5, &ic.import_id, err);
	if (!e) {
		sk_csv_limits lim = {.max_fields = 256, .max_field_bytes = NOTE_MAX + 1};
		e = sk_csv_parse(text, tlen, &lim, import_record, &ic, err);
	}
	if (!e && !ic.bad)
		e = flush(&ic, err);
	if (!e && !ic.have_header)
		e = sk_fail(err, SK_ERR_INVALID, "the file is empty: no heading line");
	if (!e && ic.bad) {
		if (ic.bad > SK_ASSET_IMPORT_MAX_ERRORS)
			sk_buf_addf(&ic.errors, "... and %lld more bad rows\n",
			            (long long)(ic.bad - SK_ASSET_IMPORT_MAX_ERRORS));
		if (ic.errors.len) /* no newline after the last line */
			ic.errors.data[--ic.errors.len] = '\0';
		/* The summary first: a caller's small buffer keeps it and cuts the list. */
		e = sk_fail(err, SK_ERR_INVALID,
		            "%lld of %lld rows are bad; nothing was imported:\n%s",
		            (long long)ic.bad, (long long)ic.rows, ic.errors.data);
	}
	if (!e && !ic.rows)
		e = sk_fail(err, SK_ERR_INVALID, "the file holds a heading line but no assets");
	if (!e) {
		sk_val q[] = {SK_VINT(ic.import_id)};
		e = sk_store_query(s, "SELECT MIN(id), MAX(id) FROM assets WHERE import_id = ?", q,
		                   1, take_range, &ic, err);
	}
	if (!e) {
		sk_val q[] = {SK_VINT(ic.rows), SK_VINT(ic.import_id)};
		e = sk_store_exec(s, "UPDATE asset_import SET rows = ? WHERE id = ?", q, 2, NULL,
		                  err);
	}
	if (!e) {
		char obj[48];
		snprintf(obj, sizeof(obj), "asset_import:%lld", (long long)ic.import_id);
		json_t *after = json_pack(
		    "{ss ss ss sI sI sI sI}", "file", file_name, "sha256", res->sha256, "encoding",
		    res->encoding, "rows", (json_int_t)ic.rows, "first_id", (json_int_t)ic.first_id,
		    "last_id", (json_int_t)ic.last_id, "import_id", (json_int_t)ic.import_id);
		e = after ? audit(&cx, "asset.import", obj, NULL, after, err)
		          : sk_fail(err, SK_ERR_NOMEM, "out of memory");
		json_decref(after);
	}
	if (e)
		sk_store_rollback(s);
	else
		e = sk_store_commit(s, err);
	res->rows = ic.rows;
	res->bad_rows = ic.bad;
	if (!e)
		res->import_id = ic.import_id;
out:
	free(owned);
	free(ic.batch);
	free(ic.params);
	sk_buf_free(&ic.sql);
	sk_buf_free(&ic.errors);
	actx_free(&cx);
	return e;
}

/* --- export --- */

#define EXPORT_COLS (1 + SK_AF__COUNT + RO__COUNT - 1)

static const char *ja_word(const struct word *w, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(w[i].name, name) == 0)
			return w[i].ja;
	return name;
}

/* The export row: 管理番号, the writable fields, then the read-only ones. */
static void export_values(const sk_asset *a, bool japanese, char nbuf[3][24],
                          const char *out[EXPORT_COLS])
{
	snprintf(nbuf[0], 24, "%lld", (long long)a->id);
	snprintf(nbuf[1], 24, "%lld", (long long)a->quantity);
	nbuf[2][0] = '\0';
	if (a->recovery_hours >= 0)
		snprintf(nbuf[2], 24, "%lld", (long long)a->recovery_hours);
	const char *yes = japanese ? "あり" : "yes", *no = japanese ? "なし" : "no";
	size_t i = 0;
	out[i++] = nbuf[0];
	out[i++] = a->unit_code;
	out[i++] = japanese ? ja_word(types, NTYPES, a->type) : a->type;
	out[i++] = a->name;
	out[i++] = nbuf[1];
	out[i++] = a->location;
	out[i++] = a->backup ? yes : no;
	out[i++] = a->disposal_method;
	out[i++] = a->conf;
	out[i++] = a->integ;
	out[i++] = a->avail;
	out[i++] = a->manager;
	out[i++] = japanese ? ja_word(zones, NZONES, a->zone) : a->zone;
	out[i++] = a->personal ? yes : no;
	out[i++] = a->mynumber ? yes : no;
	out[i++] = nbuf[2];
	out[i++] = a->acquired_on ? a->acquired_on : "";
	out[i++] = a->note;
	out[i++] = a->label;
	out[i++] = japanese ? (strcmp(a->status, "active") == 0 ? "使用中" : "廃棄済") : a->status;
	out[i++] = a->disposed_on ? a->disposed_on : "";
	out[i++] = a->disposal_operator ? a->disposal_operator : "";
	out[i++] = a->disposal_record ? a->disposal_record : "";
}

static void export_headings(bool japanese, const char *out[EXPORT_COLS])
{
	size_t i = 0;
	out[i++] = japanese ? ro(RO_ID)->ja : ro(RO_ID)->key;
	for (int f = 0; f < SK_AF__COUNT; f++)
		out[i++] = japanese ? af(f)->ja : af(f)->key;
	for (int r = RO_LABEL; r < RO__COUNT; r++)
		out[i++] = japanese ? ro(r)->ja : ro(r)->key;
}

/*
 * Appends "asset.export" before an export hands anything out: an export
 * carries every detail of every asset it lists, 機密性3 ones included, so it
 * is recorded once as a whole (what was asked for, by whom) rather than as a
 * read of each asset.
 */
static sk_err record_export(sk_ctx *c, const char *format, const sk_asset_filter *f, sk_buf *err)
{
	sk_store *s = c->store;
	actx cx = {.s = c->store, .actor = c->actor, .c = c};
	json_t *after =
	    json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:I}", "format", format, "unit",
	              f->unit, "type", f->type, "conf", f->conf, "zone", f->zone, "text", f->text,
	              "status", f->status ? f->status : "active", "limit", (json_int_t)f->limit);
	sk_err e = after ? sk_store_begin(s, err) : sk_fail(err, SK_ERR_NOMEM, "out of memory");
	if (!e) {
		e = audit(&cx, "asset.export", "assets", NULL, after, err);
		if (e)
			sk_store_rollback(s);
		else
			e = sk_store_commit(s, err);
	}
	json_decref(after);
	actx_free(&cx);
	return e;
}

struct csv_out {
	sk_csv_writer *w;
	bool japanese;
};

static sk_err csv_row(void *ctx, const sk_asset *a, sk_buf *err)
{
	struct csv_out *co = ctx;
	char nbuf[3][24];
	const char *vals[EXPORT_COLS];
	export_values(a, co->japanese, nbuf, vals);
	sk_err e = sk_csv_write_record(co->w, vals, EXPORT_COLS, err);
	if (e == SK_ERR_INVALID) {
		sk_buf msg = SK_BUF_INIT(SK_BUF_MSG_MAX);
		sk_buf_adds(&msg, err ? err->data : "");
		sk_fail(err, e, "asset %lld: %s", (long long)a->id, msg.data);
		sk_buf_free(&msg);
	}
	return e;
}

sk_err sk_asset_export_csv(sk_ctx *c, const sk_asset_filter *f, FILE *out, int enc, bool japanese,
                           sk_buf *err)
{
	if (enc < SK_CSV_UTF8 || enc > SK_CSV_CP932)
		return sk_fail(err, SK_ERR_INVALID, "unknown CSV encoding");
	struct csv_out co = {NULL, japanese};
	sk_err e = record_export(c, "csv", f, err);
	if (!e)
		e = sk_csv_writer_new(out, (sk_csv_encoding)enc, &co.w, err);
	if (e)
		return e;
	const char *heads[EXPORT_COLS];
	export_headings(japanese, heads);
	e = sk_csv_write_record(co.w, heads, EXPORT_COLS, err);
	if (!e)
		e = sk_asset_list(c, f, csv_row, &co, err);
	if (!e)
		e = sk_csv_writer_finish(co.w, err);
	sk_csv_writer_free(co.w);
	return e;
}

/* Column widths of the Excel register, in characters, in export order. */
static const double xlsx_widths[EXPORT_COLS] = {
    8, 12, 14, 30, 8, 18, 10, 20, 7, 7, 7, 14, 18, 8, 10, 10, 12, 24, 26, 8, 12, 12, 24,
};

static sk_err xlsx_row(void *ctx, const sk_asset *a, sk_buf *err)
{
	sk_xlsx *x = ctx;
	char nbuf[3][24];
	const char *vals[EXPORT_COLS];
	export_values(a, true, nbuf, vals);
	sk_xlsx_cell cells[EXPORT_COLS];
	for (size_t i = 0; i < EXPORT_COLS; i++)
		cells[i] = (sk_xlsx_cell){SK_XLSX_TEXT, vals[i], 0};
	/* Numbers and dates as Excel values, so that the ledger sorts and sums. */
	cells[0] = (sk_xlsx_cell){SK_XLSX_NUMBER, NULL, (double)a->id};
	cells[4] = (sk_xlsx_cell){SK_XLSX_NUMBER, NULL, (double)a->quantity};
	if (a->recovery_hours >= 0)
		cells[15] = (sk_xlsx_cell){SK_XLSX_NUMBER, NULL, (double)a->recovery_hours};
	if (a->acquired_on)
		cells[16] = (sk_xlsx_cell){SK_XLSX_DATE, a->acquired_on, 0};
	if (a->disposed_on)
		cells[20] = (sk_xlsx_cell){SK_XLSX_DATE, a->disposed_on, 0};
	return sk_xlsx_row(x, cells, EXPORT_COLS, err);
}

sk_err sk_asset_export_xlsx(sk_ctx *c, const sk_asset_filter *f, const char *path, sk_buf *err)
{
	sk_buf tmp = SK_BUF_INIT(4096);
	if (sk_buf_addf(&tmp, "%s.tmp-%ld", path, (long)getpid()))
		return sk_fail(err, SK_ERR_INVALID, "output path too long");
	/* Claim the temporary name first: a bad directory is a clear error before any work. */
	FILE *probe = fopen(tmp.data, "wx");
	if (!probe) {
		sk_err pe =
		    sk_fail(err, SK_ERR_IO, "cannot create '%s': %s", tmp.data, strerror(errno));
		sk_buf_free(&tmp);
		return pe;
	}
	fclose(probe);
	sk_xlsx *x = NULL;
	sk_err e = sk_xlsx_open(tmp.data, "情報資産台帳", &x, err);
	if (e) {
		unlink(tmp.data);
		sk_buf_free(&tmp);
		return e;
	}
	const char *heads[EXPORT_COLS];
	export_headings(true, heads);
	char today[11], sub[160];
	sk_date d = today_jst();
	sk_date_format_iso(d, today);
	sk_buf wa = SK_BUF_INIT(64);
	sk_date_format_wareki(d, &wa);
	snprintf(sub, sizeof(sub), "出力日: %s（%s）", wa.data, today);
	sk_buf_free(&wa);
	e = sk_xlsx_title(x, "情報資産台帳", sub, EXPORT_COLS, err);
	if (!e)
		e = sk_xlsx_header(x, heads, xlsx_widths, EXPORT_COLS, err);
	if (!e)
		e = sk_asset_list(c, f, xlsx_row, x, err);
	sk_err ce = sk_xlsx_close(x, e ? NULL : err);
	if (!e)
		e = ce;
	if (!e)
		e = record_export(c, "xlsx", f, err);
	if (!e && rename(tmp.data, path) != 0)
		e = sk_fail(err, SK_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	if (e)
		unlink(tmp.data);
	sk_buf_free(&tmp);
	return e;
}
