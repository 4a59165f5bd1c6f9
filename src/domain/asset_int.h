/*
 * asset_int.h: what the asset register's files (asset*.c) share and nothing else uses: the
 * operation's context with its scope check, the classification scheme's accessors, the
 * vocabularies' tables, normalized input and the row and insert layouts. Not installed.
 *
 * The helpers the hot paths (sk_asset_render, listing, import) call once per row are static
 * inline here, as they were static beside their callers when asset.c was one file.
 */
#ifndef SK_ASSET_INT_H
#define SK_ASSET_INT_H

#include <stdlib.h>
#include <string.h>

#include "../policy/policy.h"
#include "../report/wareki.h"
#include "asset.h"
#include "authz.h"
#include "ctx.h"
#include "schema.h"

/* --- the register's columns (asset_vocab.c) --- */

/* The register's columns: keys, headings, aliases and limits are the field schema's. */
static inline const sk_field *af(sk_asset_field f) { return &sk_schema_asset.fields[f]; }

static inline bool af_required(sk_asset_field f) { return (af(f)->flags & SK_FF_REQUIRED) != 0; }

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

static inline const sk_field *ro(int r) { return &sk_schema_asset_record.fields[r]; }

/*
 * --- vocabularies: the one table of words (policy.h, sk_vocab_*): stable name, Japanese
 * name, other spellings ---
 */

#define asset_types sk_asset_type_words
#define asset_zones sk_zone_words
extern const size_t asset_ntypes, asset_nzones;
#define NTYPES asset_ntypes
#define NZONES asset_nzones

/* The stable name of the word s of v by any of its spellings (sk_vocab_find), or NULL. */
static inline const char *find_word(sk_vocab v, const char *s)
{
	int x = sk_vocab_find(v, s);
	return x < 0 ? NULL : sk_vocab_label(v, x, SK_LANG_EN);
}

/* The register's Japanese name of the stable name, or name itself when w has none. */
const char *asset_word_ja(const sk_word *w, size_t n, const char *name);

/* --- the classification scheme (asset_scheme.c; see there) --- */

struct fallback_axis {
	const char *title;
	const char *const *levels; /* lowest first */
	int n;
};
extern const struct fallback_axis asset_fallback[3];

typedef struct scheme {
	const sk_policy *pol; /* NULL: the fallback */
} scheme;

/* The installation's profile, from the context that loaded it once (sk_ctx_policy). */
sk_err asset_scheme_open(sk_ctx *c, scheme *sc, sk_buf *err);

static inline const char *axis_title(const scheme *sc, int axis)
{
	return sc->pol ? sk_policy_axis_title(sc->pol, (sk_axis)axis) : asset_fallback[axis].title;
}

static inline int level_count(const scheme *sc, int axis)
{
	return sc->pol ? sk_policy_level_count(sc->pol, (sk_axis)axis) : asset_fallback[axis].n;
}

static inline const char *level_name(const scheme *sc, int axis, int v)
{
	return sc->pol ? sk_policy_level_name(sc->pol, (sk_axis)axis, v)
	               : asset_fallback[axis].levels[v];
}

/* Folds full-width digits and letters into ASCII (level names typed in Excel). */
static inline void fold_ascii(const char *s, char *out, size_t max)
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
static inline int level_value(const scheme *sc, int axis, const char *s)
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
	for (int i = 0; i < asset_fallback[axis].n; i++)
		if (strcmp(v, asset_fallback[axis].levels[i]) == 0)
			return i;
	return -1;
}

/* The scheme's own spelling of level s, or NULL. */
static inline const char *level_parse(const scheme *sc, int axis, const char *s)
{
	int v = level_value(sc, axis, s);
	return v < 0 ? NULL : level_name(sc, axis, v);
}

/* Lists the levels of axis for a message, highest first: "3, 2, 1". */
void asset_level_names(const scheme *sc, int axis, char *out, size_t max);

/*
 * Whether level (a name of the scheme) is in the top class of the axis: the
 * highest level and any sharing its leading number (3A/3B/3C in the national
 * guideline's scheme). 機密性3 reads are logged; 可用性2 takes a recovery time.
 */
static inline bool level_is_top(const scheme *sc, int axis, const char *level)
{
	const char *top = level_name(sc, axis, level_count(sc, axis) - 1);
	if (!top || !level)
		return false;
	size_t d = strspn(top, "0123456789");
	return d ? strncmp(level, top, d) == 0 && strspn(level, "0123456789") == d
	         : strcmp(level, top) == 0;
}

/* 分類の表示: "機密性3、完全性2、可用性2" (八王子 7(2)キ's example). */
sk_err asset_make_label(const scheme *sc, const char *c, const char *i, const char *a, char *out,
                        size_t max);

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
	/*
	 * When set, asset_normalize reports every bad field of the input to
	 * on_bad (the field and the message) and goes on checking the others, so
	 * that an import lists every error of a row at once; it still returns
	 * SK_ERR_INVALID in the end.
	 */
	void (*on_bad)(void *ctx, sk_asset_field f, const sk_buf *msg);
	void *on_bad_ctx;
} actx;

/* Frees the unit cache (asset_check.c). */
void asset_actx_free(actx *cx);

/* The classification scheme of the installation, loaded once per operation. */
static inline sk_err with_scheme(actx *cx, sk_buf *err)
{
	if (cx->sc_loaded)
		return SK_OK;
	sk_err e = asset_scheme_open(cx->c, &cx->sc, err);
	cx->sc_loaded = !e;
	return e;
}

/*
 * Resolves a unit reference (id, code, or the unit's name as a register
 * writes it, "情報政策課") to its id; 0 and a message when there is none or
 * when the name is shared by several units.
 */
sk_err asset_unit_resolve(actx *cx, const char *ref, int64_t *id, sk_buf *err);

/* --- permission (SPEC C4) --- */

/*
 * SK_OK with *ok when the actor holds asset.read (or asset.write) at unit
 * (authz.h: capability and scope, one check); unit 0 only loads the scope,
 * so that a row callback later need not query.
 */
static inline sk_err may_access(actx *cx, int64_t unit, bool write, bool *ok, sk_buf *err)
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
	const char *number;               /* 管理番号 folded to ASCII (numbuf), or NULL */
	int64_t quantity, recovery_hours; /* recovery_hours -1: none */
	int backup, personal, mynumber;
	char acquired_on[11]; /* "" when none */
	char label[160];
	char numbuf[65];
} norm;

/* Checks a text of at most max bytes (newlines only when newlines), not empty when required. */
sk_err asset_check_text(const char *v, bool required, size_t max, bool newlines, sk_buf *err);

/*
 * Checks every field of in (a complete set: what an add or an update leads
 * to) and fills *o. On failure *bad is the field at fault and err says what
 * is wrong with it, without naming the field (the caller knows how to).
 */
sk_err asset_normalize(actx *cx, const sk_asset_input *in, norm *o, sk_asset_field *bad,
                       sk_buf *err);

/* Prefixes the message in err with the field's key. */
sk_err asset_name_field(sk_err e, sk_asset_field f, sk_buf *err);

/* --- reading (asset.c) --- */

#define ASSET_COLS                                                                                 \
	"a.id, a.unit_id, o.code, o.name, a.type, a.name, a.quantity, a.location, a.backup, "      \
	"a.disposal_method, a.conf, a.integ, a.avail, a.manager, a.zone, a.personal, "             \
	"a.mynumber, a.recovery_hours, a.label, a.acquired_on, a.note, a.status, a.disposed_on, "  \
	"a.disposal_operator, a.disposal_record, a.import_id, a.created_at, a.updated_at, "        \
	"a.asset_number"
#define ASSET_FROM " FROM assets a JOIN org_unit o ON o.id = a.unit_id"

static inline const char *opt_text(const sk_row *r, size_t i)
{
	return sk_row_is_null(r, i) ? NULL : sk_row_text(r, i);
}

static inline void row_to_asset(const sk_row *r, sk_asset *a)
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
	a->asset_number = opt_text(r, 28);
}

/* What asset_load() makes of the row besides the checks' facts. */
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

/*
 * Loads asset id if it exists and is in the actor's scope; SK_ERR_NOT_FOUND
 * otherwise. want says what to make of it (WANT_*); o's other fields are
 * set by the call.
 */
sk_err asset_load(actx *cx, int64_t id, bool write, unsigned want, struct one_asset *o,
                  sk_buf *err);
void asset_one_free(struct one_asset *o);

/* The audit entry of a change, in the caller's transaction. */
sk_err asset_audit(actx *cx, const char *action, const char *object, json_t *before, json_t *after,
                   sk_buf *err);

/* "asset:<id>", the audit log's name of an asset. */
void asset_object_name(int64_t id, char out[48]);

/*
 * asset_audit for one asset, named "asset:<id>": every write to a single
 * asset (add, update, dispose, remove, a recorded read) names it so.
 */
sk_err asset_audit_one(actx *cx, const char *action, int64_t id, json_t *before, json_t *after,
                       sk_buf *err);

/* Today's date in Japan (UTC+9, no daylight saving), for a disposal without a date. */
sk_date asset_today_jst(void);

/* --- writing (asset.c; asset_import.c writes batches) --- */

/* The asset holding 管理番号 number (any scope, any status), or 0; number NULL: 0. */
sk_err asset_number_owner(actx *cx, const char *number, int64_t *id, sk_buf *err);

/* SK_ERR_CONFLICT when number is the 管理番号 of an asset other than self (0: none). */
sk_err asset_number_free(actx *cx, const char *number, int64_t self, sk_buf *err);

/*
 * Writes n over asset id, whose image before (sk_asset_json) the caller
 * loaded in scope for writing, with its "asset.update" entry, in a nested
 * transaction; *changed says whether anything changed (nothing is written
 * otherwise).
 */
sk_err asset_write_update(actx *cx, int64_t id, const norm *n, json_t *before, bool *changed,
                          sk_buf *err);

#define INSERT_HEAD                                                                                \
	"INSERT INTO assets(unit_id, type, name, quantity, location, backup, disposal_method, "    \
	"conf, integ, avail, manager, zone, personal, mynumber, recovery_hours, label, "           \
	"acquired_on, note, status, import_id, created_at, updated_at, asset_number) VALUES "
#define INSERT_ROW    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)"
#define INSERT_PARAMS 22

static inline void bind_norm(const norm *n, int64_t import_id, int64_t now, sk_val *p)
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
	p[i++] = n->number ? sk_vtext(n->number) : SK_VNULL;
}

#endif
