/*
 * profile: loads a policy profile (docs/policy-format.md) from YAML,
 * validates every key and value with the line it came from, and builds the
 * compiled sk_policy. Also the policy's simple accessors and the NIST SP
 * 800-63B-4 advisories, which need the lines the loader saw.
 *
 * The loader keeps going after an error so that one run of `policy check`
 * lists every problem it can (up to MAX_ERRORS), and only compiles the
 * decision tables when there were none.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy_int.h"
#include "../core/sk_msg.h"

#define MAX_ERRORS 200

typedef struct ld {
	const char *name;
	sk_buf *diag;
	int nerr;
	sk_policy *p;
} ld;

static void lerr(ld *L, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void lerr(ld *L, int line, const char *fmt, ...)
{
	L->nerr++;
	if (L->nerr > MAX_ERRORS || !L->diag)
		return;
	sk_buf_addf(L->diag, "%s:%d: ", L->name, line);
	va_list ap;
	va_start(ap, fmt);
	sk_buf_vaddf(L->diag, fmt, ap);
	va_end(ap);
	sk_buf_addc(L->diag, '\n');
}

static void *palloc(ld *L, size_t n)
{
	void *m = sk_arena_alloc(&L->p->arena, n ? n : 1);
	if (m)
		memset(m, 0, n ? n : 1);
	else
		lerr(L, 0, "out of memory");
	return m;
}

static const char *pstr(ld *L, const sk_ynode *n)
{
	const char *s = sk_arena_strndup(&L->p->arena, n->s, n->len);
	if (!s)
		lerr(L, n->line, "out of memory");
	return s;
}

static const char *pfmt(ld *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *pfmt(ld *L, const char *fmt, ...)
{
	char tmp[SK_POLICY_MAX_STRING * 2 + 64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		lerr(L, 0, "string too long");
		return "";
	}
	const char *s = sk_arena_strndup(&L->p->arena, tmp, (size_t)n);
	if (!s)
		lerr(L, 0, "out of memory");
	return s ? s : "";
}

static const char *type_name(sk_ynode_type t)
{
	return t == SK_YN_MAP ? "a mapping" : t == SK_YN_SEQ ? "a list" : "a scalar";
}

static bool want(ld *L, const sk_ynode *n, sk_ynode_type t, const char *what)
{
	if (!n) /* a required key that is missing: keys_ok has reported it */
		return false;
	if (n->type == t)
		return true;
	lerr(L, n->line, "%s must be %s, not %s", what, type_name(t), type_name(n->type));
	return false;
}

static bool in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/*
 * Checks a mapping's keys: each must be in allowed and appear once; each of
 * required must be present. Returns false if map is not a mapping.
 */
static bool keys_ok(ld *L, const sk_ynode *map, const char *what, const char *const *allowed,
                    const char *const *required)
{
	if (!want(L, map, SK_YN_MAP, what))
		return false;
	if (map->len > 64) { /* no mapping of the format has that many keys */
		lerr(L, map->line, "%s has %zu keys; the format has at most a few dozen", what,
		     map->len);
		return false;
	}
	for (size_t i = 0; i < map->len; i++) {
		const sk_ynode *k = map->keys[i];
		if (!in_list(allowed, k->s))
			lerr(L, k->line, "unknown key '%s' in %s", k->s, what);
		for (size_t j = 0; j < i; j++)
			if (strcmp(map->keys[j]->s, k->s) == 0)
				lerr(L, k->line, "duplicate key '%s' in %s", k->s, what);
	}
	for (; required && *required; required++)
		if (!sk_ynode_get(map, *required))
			lerr(L, map->line, "%s is missing '%s'", what, *required);
	return true;
}

/* A required non-empty scalar copied into the policy; NULL (reported) otherwise. */
static const char *get_str(ld *L, const sk_ynode *map, const char *key, const char *what)
{
	const sk_ynode *n = sk_ynode_get(map, key);
	if (!n)
		return NULL;
	char w[160];
	snprintf(w, sizeof(w), "'%s' of %s", key, what);
	if (!want(L, n, SK_YN_SCALAR, w))
		return NULL;
	if (n->len == 0) {
		lerr(L, n->line, "%s is empty", w);
		return NULL;
	}
	return pstr(L, n);
}

static bool parse_int_text(const char *s, long min, long max, int *out)
{
	if (!*s)
		return false;
	errno = 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = (int)v;
	return true;
}

static bool get_int(ld *L, const sk_ynode *n, long min, long max, int *out, const char *what)
{
	if (!want(L, n, SK_YN_SCALAR, what))
		return false;
	if (!parse_int_text(n->s, min, max, out)) {
		lerr(L, n->line, "%s must be a whole number from %ld to %ld, not '%s'", what, min,
		     max, n->s);
		return false;
	}
	return true;
}

static bool get_bool(ld *L, const sk_ynode *n, bool *out, const char *what)
{
	if (!want(L, n, SK_YN_SCALAR, what))
		return false;
	if (strcmp(n->s, "true") == 0)
		*out = true;
	else if (strcmp(n->s, "false") == 0)
		*out = false;
	else {
		lerr(L, n->line, "%s must be true or false, not '%s'", what, n->s);
		return false;
	}
	return true;
}

static bool is_ident(const char *s, bool lower_only)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
		if (!lower_only)
			ok = ok || (c >= 'A' && c <= 'Z') || c == '.' || c == ':';
		if (!ok)
			return false;
	}
	return true;
}

/*
 * A scalar or a list of scalars: sets the item list and count (NULL items
 * for a single scalar; scalar_at serves it). False (reported) otherwise.
 */
static bool scalars(ld *L, const sk_ynode *n, const sk_ynode *const **items, size_t *count,
                    const char *what)
{
	if (n->type == SK_YN_SCALAR) {
		*items = NULL; /* scalar_at() serves the scalar itself */
		*count = 1;
		return true;
	}
	if (!want(L, n, SK_YN_SEQ, what))
		return false;
	bool ok = true;
	for (size_t i = 0; i < n->len; i++)
		if (!want(L, n->items[i], SK_YN_SCALAR, what))
			ok = false;
	*items = (const sk_ynode *const *)n->items;
	*count = n->len;
	return ok;
}

/* The i-th scalar of a node that scalars() accepted. */
static const sk_ynode *scalar_at(const sk_ynode *n, size_t i)
{
	return n->type == SK_YN_SCALAR ? n : n->items[i];
}

static size_t scalar_count(ld *L, const sk_ynode *n, const char *what)
{
	const sk_ynode *const *items;
	size_t c = 0;
	if (!scalars(L, n, &items, &c, what))
		return 0;
	return c;
}

static sk_article *find_article(const sk_policy *p, const char *id)
{
	for (size_t i = 0; i < p->n_articles; i++)
		if (strcmp(p->articles[i].id, id) == 0)
			return &p->articles[i];
	return NULL;
}

/*
 * Reads `cite:` (a scalar or list of article ids) into printed citation
 * strings; marks the articles cited. arts (optional) receives the article
 * indexes. inferred appends " (inferred)".
 */
static bool load_cites(ld *L, const sk_ynode *n, bool inferred, unsigned *n_out, const char ***out,
                       unsigned **arts)
{
	*n_out = 0;
	*out = NULL;
	if (arts)
		*arts = NULL;
	if (!n)
		return true;
	size_t c = scalar_count(L, n, "cite");
	if (n->type == SK_YN_SEQ && n->len == 0) {
		lerr(L, n->line, "cite is an empty list");
		return false;
	}
	if (c > SK_POLICY_MAX_CITES) {
		lerr(L, n->line, "more than %d citations", SK_POLICY_MAX_CITES);
		return false;
	}
	if (c == 0)
		return false;
	const char **v = palloc(L, c * sizeof(*v));
	unsigned *a = palloc(L, c * sizeof(*a));
	if (!v || !a)
		return false;
	unsigned k = 0;
	bool ok = true;
	for (size_t i = 0; i < c; i++) {
		const sk_ynode *s = scalar_at(n, i);
		if (s->type != SK_YN_SCALAR)
			continue;
		sk_article *art = find_article(L->p, s->s);
		if (!art) {
			lerr(L, s->line,
			     "cite names article '%s', which is not listed under articles", s->s);
			ok = false;
			continue;
		}
		art->cited = true;
		const char *text = art->citation;
		if (inferred) {
			if (!art->citation_inferred)
				art->citation_inferred = pfmt(L, "%s (inferred)", art->citation);
			text = art->citation_inferred;
		}
		bool dup = false;
		for (unsigned j = 0; j < k; j++)
			dup = dup || v[j] == text;
		if (dup)
			continue;
		v[k] = text;
		a[k] = (unsigned)(art - L->p->articles);
		k++;
	}
	*n_out = k;
	*out = v;
	if (arts)
		*arts = a;
	return ok;
}

/* --- sections --- */

static void load_city(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"id", "name", "short", "source", "version", NULL};
	static const char *const required[] = {"id", "name", "short", NULL};
	if (!keys_ok(L, n, "city", allowed, required))
		return;
	sk_policy *p = L->p;
	p->city_id = get_str(L, n, "id", "city");
	p->city_name = get_str(L, n, "name", "city");
	p->city_short = get_str(L, n, "short", "city");
	p->city_source = get_str(L, n, "source", "city");
	p->city_version = get_str(L, n, "version", "city");
	if (p->city_id && !is_ident(p->city_id, true))
		lerr(L, sk_ynode_get(n, "id")->line,
		     "city id '%s' must use only a-z, 0-9, '_' and '-'", p->city_id);
}

/*
 * document: what the profile is (issue #16): the kind of document the seed
 * is, its date and the units it binds, so `policy list` and `init --help`
 * can say so. Metadata only: no decision reads it.
 */
static void load_document(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"kind", "title", "date", "scope", "template", NULL};
	static const char *const required[] = {"kind", "scope", NULL};
	if (!keys_ok(L, n, "document", allowed, required))
		return;
	sk_policy *p = L->p;
	const sk_ynode *t = sk_ynode_get(n, "template");
	if (t)
		get_bool(L, t, &p->doc_template, "'template' of document");
	const sk_ynode *k = sk_ynode_get(n, "kind");
	if (!k) /* keys_ok required it; said again for the reader (and the analyzer) */
		return;
	const sk_ynode *one[] = {k};
	const sk_ynode *const *kinds = one;
	size_t nk = 1;
	if (k && k->type == SK_YN_SEQ) {
		kinds = (const sk_ynode *const *)k->items;
		nk = k->len;
		if (nk == 0 || nk > 4)
			lerr(L, k->line, "'kind' of document lists 1 to 4 kinds");
	}
	for (size_t i = 0; i < nk && i < 4; i++) {
		if (!want(L, kinds[i], SK_YN_SCALAR, "'kind' of document"))
			return;
		if (!in_list(sk_policy_document_kinds, kinds[i]->s)) {
			lerr(L, kinds[i]->line,
			     "unknown document kind '%s' (basic_policy, standards, "
			     "designated_manager_guideline, contractor_requirements)",
			     kinds[i]->s);
			return;
		}
		p->doc_kinds[p->n_doc_kinds++] = pstr(L, kinds[i]);
	}
	p->doc_title = get_str(L, n, "title", "document");
	p->doc_date = get_str(L, n, "date", "document");
	p->doc_scope = get_str(L, n, "scope", "document");
}

static void load_articles(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"id",      "title",        "chapter",
	                                      "cite_as", "out_of_scope", NULL};
	static const char *const required[] = {"id", "title", NULL};
	if (!want(L, n, SK_YN_SEQ, "articles"))
		return;
	if (n->len == 0) {
		lerr(L, n->line, "articles is empty");
		return;
	}
	if (n->len > SK_POLICY_MAX_ARTICLES) {
		lerr(L, n->line, "more than %d articles", SK_POLICY_MAX_ARTICLES);
		return;
	}
	sk_policy *p = L->p;
	p->articles = palloc(L, n->len * sizeof(*p->articles));
	if (!p->articles)
		return;
	const char *shortname = p->city_short ? p->city_short : "?";
	for (size_t i = 0; i < n->len; i++) {
		const sk_ynode *a = n->items[i];
		if (!keys_ok(L, a, "an article", allowed, required))
			continue;
		const char *id = get_str(L, a, "id", "an article");
		const char *title = get_str(L, a, "title", "an article");
		if (!id || !title)
			continue;
		if (find_article(p, id)) {
			lerr(L, sk_ynode_get(a, "id")->line, "duplicate article id '%s'", id);
			continue;
		}
		sk_article *art = &p->articles[p->n_articles++];
		art->id = id;
		art->title = title;
		art->line = a->line;
		art->chapter = get_str(L, a, "chapter", "an article");
		if (!art->chapter) {
			size_t cut = strcspn(id, "(（");
			const char *paren = strstr(id, "（");
			if (paren && (size_t)(paren - id) < cut)
				cut = (size_t)(paren - id);
			art->chapter = sk_arena_strndup(&p->arena, id, cut ? cut : strlen(id));
		}
		const char *cite_as = get_str(L, a, "cite_as", "an article");
		art->citation = cite_as ? cite_as : pfmt(L, "%s %s", shortname, id);
		art->out_of_scope = get_str(L, a, "out_of_scope", "an article");
	}
}

static void load_chapters(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"id", "title", NULL};
	if (!want(L, n, SK_YN_SEQ, "chapters"))
		return;
	sk_policy *p = L->p;
	p->chapters = palloc(L, n->len * sizeof(*p->chapters));
	if (!p->chapters)
		return;
	for (size_t i = 0; i < n->len; i++) {
		const sk_ynode *c = n->items[i];
		if (!keys_ok(L, c, "a chapter", allowed, allowed))
			continue;
		const char *id = get_str(L, c, "id", "a chapter");
		const char *title = get_str(L, c, "title", "a chapter");
		if (!id || !title)
			continue;
		for (size_t j = 0; j < p->n_chapters; j++)
			if (strcmp(p->chapters[j].id, id) == 0)
				lerr(L, c->line, "duplicate chapter id '%s'", id);
		p->chapters[p->n_chapters++] = (sk_chapter){id, title};
	}
}

static void load_axis(ld *L, const sk_ynode *n, sk_axis axis)
{
	static const char *const allowed[] = {"name", "levels", NULL};
	char what[64];
	snprintf(what, sizeof(what), "classification axis '%s'", sk_axis_name(axis));
	if (!keys_ok(L, n, what, allowed, allowed))
		return;
	sk_axis_def *ax = &L->p->axes[axis];
	ax->title = get_str(L, n, "name", what);
	const sk_ynode *lv = sk_ynode_get(n, "levels");
	if (!lv || !want(L, lv, SK_YN_SEQ, "levels"))
		return;
	if (lv->len == 0 || lv->len > SK_POLICY_MAX_LEVELS) {
		lerr(L, lv->line, "an axis needs 1 to %d levels, not %zu", SK_POLICY_MAX_LEVELS,
		     lv->len);
		return;
	}
	static const char *const lallowed[] = {"id", "label", "description", "cite", NULL};
	static const char *const lrequired[] = {"id", "label", NULL};
	for (size_t i = 0; i < lv->len; i++) {
		const sk_ynode *l = lv->items[i];
		if (!keys_ok(L, l, "a level", lallowed, lrequired))
			continue;
		const char *id = get_str(L, l, "id", "a level");
		const char *label = get_str(L, l, "label", "a level");
		if (!id || !label)
			continue;
		if (strpbrk(id, "<>=, ")) {
			lerr(L, sk_ynode_get(l, "id")->line,
			     "level id '%s' may not contain '<', '>', '=', ',' or spaces", id);
			continue;
		}
		bool dup = false;
		for (int j = 0; j < ax->n_levels; j++)
			dup = dup || strcmp(ax->levels[j].id, id) == 0;
		if (dup) {
			lerr(L, sk_ynode_get(l, "id")->line, "duplicate level '%s' on axis %s", id,
			     sk_axis_name(axis));
			continue;
		}
		sk_level *lev = &ax->levels[ax->n_levels++];
		lev->id = id;
		lev->label = label;
		lev->description = get_str(L, l, "description", "a level");
		load_cites(L, sk_ynode_get(l, "cite"), false, &lev->n_cites, &lev->cites, NULL);
	}
}

static void load_classification(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"conf", "integ", "avail", "label_separator", NULL};
	static const char *const required[] = {"conf", "integ", "avail", NULL};
	if (!keys_ok(L, n, "classification", allowed, required))
		return;
	for (int a = 0; a < SK_AXIS__COUNT; a++) {
		const sk_ynode *ax = sk_ynode_get(n, sk_axis_name((sk_axis)a));
		if (ax)
			load_axis(L, ax, (sk_axis)a);
	}
	const sk_ynode *sep = sk_ynode_get(n, "label_separator");
	if (sep && want(L, sep, SK_YN_SCALAR, "label_separator"))
		L->p->label_separator = pstr(L, sep);
}

static void load_roles(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"title", "reports_to", "cite", "duties", NULL};
	static const char *const required[] = {"title", NULL};
	sk_policy *p = L->p;
	if (!want(L, n, SK_YN_MAP, "roles"))
		return;
	const sk_ynode *reports[SK_ROLE__COUNT] = {0};
	for (size_t i = 0; i < n->len; i++) {
		const sk_ynode *k = n->keys[i], *v = n->vals[i];
		sk_role r;
		if (sk_role_parse(k->s, &r) != SK_OK) {
			lerr(L, k->line, "unknown role '%s' (roles are those of SPEC §3)", k->s);
			continue;
		}
		if (p->has_role[r]) {
			lerr(L, k->line, "duplicate role '%s'", k->s);
			continue;
		}
		char what[64];
		snprintf(what, sizeof(what), "role '%s'", k->s);
		if (!keys_ok(L, v, what, allowed, required))
			continue;
		p->has_role[r] = true;
		p->roles[r].title = get_str(L, v, "title", what);
		p->roles[r].duties = get_str(L, v, "duties", what);
		p->roles[r].reports_to = SK_ROLE_NONE;
		reports[r] = sk_ynode_get(v, "reports_to");
		load_cites(L, sk_ynode_get(v, "cite"), false, &p->roles[r].n_cites,
		           &p->roles[r].cites, NULL);
	}
	for (int r = 0; r < SK_ROLE__COUNT; r++) {
		const sk_ynode *rt = reports[r];
		if (!rt || !want(L, rt, SK_YN_SCALAR, "reports_to"))
			continue;
		sk_role to;
		if (sk_role_parse(rt->s, &to) != SK_OK)
			lerr(L, rt->line, "unknown role '%s' in reports_to", rt->s);
		else if (!p->has_role[to])
			lerr(L, rt->line, "reports_to names role '%s', which is not under roles",
			     rt->s);
		else
			p->roles[r].reports_to = to;
	}
	for (int r = 0; r < SK_ROLE__COUNT; r++) {
		sk_role at = (sk_role)r;
		for (int steps = 0; steps <= SK_ROLE__COUNT && at != SK_ROLE_NONE; steps++)
			at = p->roles[at].reports_to;
		if (at != SK_ROLE_NONE && reports[r])
			lerr(L, reports[r]->line, "the chain of command from '%s' is a cycle",
			     sk_role_name((sk_role)r));
	}
}

static void load_zones(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"name", "cite", NULL};
	static const char *const required[] = {"name", NULL};
	if (!want(L, n, SK_YN_MAP, "zones"))
		return;
	for (size_t i = 0; i < n->len; i++) {
		const sk_ynode *k = n->keys[i], *v = n->vals[i];
		sk_zone z;
		if (sk_zone_parse(k->s, &z) != SK_OK) {
			lerr(L, k->line, "unknown zone '%s' (zones are mynumber, lgwan, internet)",
			     k->s);
			continue;
		}
		if (!keys_ok(L, v, "a zone", allowed, required))
			continue;
		L->p->zone_titles[z] = get_str(L, v, "name", "a zone");
		unsigned nc;
		const char **c;
		load_cites(L, sk_ynode_get(v, "cite"), false, &nc, &c, NULL);
	}
}

/* --- conditions --- */

static uint32_t all_bits(int n)
{
	if (n <= 0)
		return 0;
	return n >= 32 ? UINT32_MAX : ((1u << n) - 1u);
}

static int level_index(const sk_axis_def *ax, const char *id)
{
	for (int i = 0; i < ax->n_levels; i++)
		if (strcmp(ax->levels[i].id, id) == 0)
			return i;
	return -1;
}

static bool load_level_cond(ld *L, const sk_ynode *n, sk_axis axis, uint32_t *mask)
{
	const sk_axis_def *ax = &L->p->axes[axis];
	const char *an = sk_axis_name(axis);
	if (n->type == SK_YN_SCALAR) {
		const char *s = n->s;
		int op = 0; /* 0 ==, 1 >=, 2 >, 3 <=, 4 < */
		if (strncmp(s, ">=", 2) == 0)
			op = 1, s += 2;
		else if (strncmp(s, "<=", 2) == 0)
			op = 3, s += 2;
		else if (*s == '>')
			op = 2, s += 1;
		else if (*s == '<')
			op = 4, s += 1;
		while (*s == ' ')
			s++;
		int i = level_index(ax, s);
		if (i < 0 || i >= SK_POLICY_MAX_LEVELS) {
			lerr(L, n->line, "unknown %s level '%s'", an, s);
			return false;
		}
		uint32_t below = all_bits(i);    /* levels < i */
		uint32_t upto = all_bits(i + 1); /* levels <= i */
		uint32_t every = all_bits(ax->n_levels);
		switch (op) {
		case 0:
			*mask = 1u << i;
			break;
		case 1:
			*mask = every & ~below;
			break;
		case 2:
			*mask = every & ~upto;
			break;
		case 3:
			*mask = upto;
			break;
		default:
			*mask = below;
			break;
		}
		if (*mask == 0) {
			lerr(L, n->line, "%s condition '%s' can never hold", an, n->s);
			return false;
		}
		return true;
	}
	if (!want(L, n, SK_YN_SEQ, an))
		return false;
	if (n->len == 0) {
		lerr(L, n->line, "%s condition is an empty list", an);
		return false;
	}
	*mask = 0;
	bool ok = true;
	for (size_t k = 0; k < n->len; k++) {
		const sk_ynode *it = n->items[k];
		if (!want(L, it, SK_YN_SCALAR, an)) {
			ok = false;
			continue;
		}
		int i = level_index(ax, it->s);
		if (i < 0) {
			lerr(L, it->line, "unknown %s level '%s'", an, it->s);
			ok = false;
			continue;
		}
		*mask |= 1u << i;
	}
	return ok;
}

typedef sk_err (*parse_fn)(const char *, int *);

static sk_err parse_zone_int(const char *s, int *out)
{
	sk_zone z;
	sk_err rc = sk_zone_parse(s, &z);
	*out = (int)z;
	return rc;
}

static sk_err parse_role_int(const char *s, int *out)
{
	sk_role r;
	sk_err rc = sk_role_parse(s, &r);
	*out = (int)r;
	return rc;
}

static sk_err parse_type_int(const char *s, int *out)
{
	sk_asset_type t = SK_ASSET_UNKNOWN;
	sk_err rc = sk_asset_type_parse(s, &t);
	*out = (int)t;
	return rc;
}

static bool load_name_set(ld *L, const sk_ynode *n, parse_fn parse, const char *what,
                          uint32_t *mask)
{
	size_t c = scalar_count(L, n, what);
	if (c == 0) {
		if (n->type == SK_YN_SEQ)
			lerr(L, n->line, "%s condition is an empty list", what);
		return false;
	}
	*mask = 0;
	bool ok = true;
	for (size_t i = 0; i < c; i++) {
		const sk_ynode *s = scalar_at(n, i);
		int v;
		if (parse(s->s, &v) != SK_OK) {
			lerr(L, s->line, "unknown %s '%s'", what, s->s);
			ok = false;
			continue;
		}
		*mask |= 1u << v;
	}
	return ok;
}

static void load_cond(ld *L, const sk_ynode *n, sk_cond *c, const char *what)
{
	static const char *const allowed[] = {"conf",       "integ", "avail",   "mynumber",
	                                      "personal",   "zone",  "to_zone", "actor_role",
	                                      "asset_type", NULL};
	for (int a = 0; a < SK_AXIS__COUNT; a++)
		c->level_mask[a] = UINT32_MAX;
	c->zone_mask = UINT32_MAX;
	c->to_zone_mask = UINT32_MAX;
	c->role_mask = UINT32_MAX;
	c->type_mask = UINT32_MAX;
	c->mynumber = -1;
	c->personal = -1;
	if (!keys_ok(L, n, what, allowed, NULL))
		return;
	c->nkeys = (unsigned)n->len;
	for (int a = 0; a < SK_AXIS__COUNT; a++) {
		const sk_ynode *v = sk_ynode_get(n, sk_axis_name((sk_axis)a));
		if (v)
			load_level_cond(L, v, (sk_axis)a, &c->level_mask[a]);
	}
	const sk_ynode *v;
	bool b;
	if ((v = sk_ynode_get(n, "mynumber")) && get_bool(L, v, &b, "mynumber"))
		c->mynumber = b;
	if ((v = sk_ynode_get(n, "personal")) && get_bool(L, v, &b, "personal"))
		c->personal = b;
	if ((v = sk_ynode_get(n, "zone")))
		load_name_set(L, v, parse_zone_int, "zone", &c->zone_mask);
	if ((v = sk_ynode_get(n, "actor_role")))
		load_name_set(L, v, parse_role_int, "role", &c->role_mask);
	if ((v = sk_ynode_get(n, "to_zone")))
		load_name_set(L, v, parse_zone_int, "zone", &c->to_zone_mask);
	/*
	 * An unknown type (not given) satisfies every when: type condition and no
	 * unless: one, so all type-conditioned rules stay in play.
	 */
	if ((v = sk_ynode_get(n, "asset_type")) &&
	    load_name_set(L, v, parse_type_int, "asset type", &c->type_mask) &&
	    strcmp(what, "when") == 0)
		c->type_mask |= 1u << SK_ASSET_UNKNOWN;
}

/* --- rules --- */

/* One approver role at node s; false (with the error) when it is not usable. */
static bool approver_role(ld *L, const sk_ynode *s, sk_role *out)
{
	if (!want(L, s, SK_YN_SCALAR, "approver"))
		return false;
	if (sk_role_parse(s->s, out) != SK_OK) {
		lerr(L, s->line, "unknown role '%s' as approver", s->s);
		return false;
	}
	if (!L->p->has_role[*out]) {
		lerr(L, s->line, "approver '%s' has no title under roles", s->s);
		return false;
	}
	return true;
}

/* approvers: {all_of: [A, B]} or {any_of: [A, B]}: 2..SK_POLICY_MAX_APPROVERS distinct roles. */
static void load_approvers(ld *L, const sk_ynode *n, sk_rule *r, const char *what)
{
	static const char *const allowed[] = {"all_of", "any_of", NULL};
	if (!keys_ok(L, n, "approvers", allowed, NULL))
		return;
	if (n->len != 1) {
		lerr(L, n->line, "%s: approvers takes exactly one of all_of and any_of", what);
		return;
	}
	sk_approver_mode mode =
	    strcmp(n->keys[0]->s, "all_of") == 0 ? SK_APPROVE_ALL_OF : SK_APPROVE_ANY_OF;
	const sk_ynode *list = n->vals[0];
	if (!want(L, list, SK_YN_SEQ, n->keys[0]->s))
		return;
	if (list->len < 2 || list->len > SK_POLICY_MAX_APPROVERS) {
		lerr(L, list->line, "%s: %s needs 2 to %d roles (a single role is approver:)", what,
		     n->keys[0]->s, SK_POLICY_MAX_APPROVERS);
		return;
	}
	unsigned k = 0;
	for (size_t i = 0; i < list->len; i++) {
		sk_role role;
		if (!approver_role(L, list->items[i], &role))
			continue;
		for (unsigned j = 0; j < k; j++)
			if (r->approvers[j] == role) {
				lerr(L, list->items[i]->line, "%s: approver '%s' is listed twice",
				     what, list->items[i]->s);
				return;
			}
		r->approvers[k++] = role;
	}
	if (k != list->len)
		return;
	r->n_approvers = k;
	r->approver_mode = mode;
	r->approver = r->approvers[0];
}

static void check_rule_shape(ld *L, const sk_ynode *n, sk_rule *r)
{
	const sk_ynode *ap = sk_ynode_get(n, "approver") ? sk_ynode_get(n, "approver")
	                                                 : sk_ynode_get(n, "approvers"),
	               *sg = sk_ynode_get(n, "safeguards"), *ex = sk_ynode_get(n, "exception");
	const char *d = sk_decision_name(r->decision);
	switch (r->decision) {
	case SK_DEC_ALLOW:
		if (sg && r->safeguards)
			lerr(L, sg->line,
			     "rule '%s': an allow rule has no safeguards "
			     "(use allow_with_safeguards)",
			     r->id);
		__attribute__((fallthrough)); /* an allow rule takes no approver either */
	case SK_DEC_ALLOW_WITH_SAFEGUARDS:
		if (ap)
			lerr(L, ap->line, "rule '%s': %s takes no approver", r->id, d);
		if (ex && r->exception)
			lerr(L, ex->line, "rule '%s': exception is only for forbid", r->id);
		if (r->decision == SK_DEC_ALLOW_WITH_SAFEGUARDS && !r->safeguards)
			lerr(L, n->line, "rule '%s': allow_with_safeguards needs safeguards",
			     r->id);
		break;
	case SK_DEC_REQUIRE_APPROVAL:
		if (!ap)
			lerr(L, n->line, "rule '%s': require_approval needs an approver", r->id);
		if (ex && r->exception)
			lerr(L, ex->line, "rule '%s': exception is only for forbid", r->id);
		if (r->proviso)
			lerr(L, n->line, "rule '%s': proviso is only for forbid", r->id);
		break;
	case SK_DEC_FORBID:
		if (r->exception && !ap)
			lerr(L, n->line,
			     "rule '%s': a forbid rule with exception: true needs the "
			     "approver who may grant it",
			     r->id);
		if (!r->exception && ap)
			lerr(L, ap->line,
			     "rule '%s': a forbid rule without exception takes no "
			     "approver",
			     r->id);
		if (!r->exception && r->proviso)
			lerr(L, n->line, "rule '%s': proviso needs exception: true", r->id);
		if (!r->exception && sg && r->safeguards)
			lerr(L, sg->line,
			     "rule '%s': safeguards on a forbid rule describe its "
			     "exception; set exception: true",
			     r->id);
		break;
	default:
		break;
	}
}

static void load_rule(ld *L, const sk_ynode *n, sk_rule *r)
{
	static const char *const allowed[] = {
	    "id",       "action",    "when",    "unless",   "decision", "exception",
	    "approver", "approvers", "cite",    "inferred", "priority", "safeguards",
	    "note",     "proviso",   "governs", "decide",   NULL};
	static const char *const required[] = {"id", "action", "decision", NULL};
	r->approver = SK_ROLE_NONE;
	r->line = n->line;
	r->id = "?";
	if (!keys_ok(L, n, "a rule", allowed, required))
		return;
	const char *id = get_str(L, n, "id", "a rule");
	if (id)
		r->id = id;
	if (id && !is_ident(r->id, false))
		lerr(L, sk_ynode_get(n, "id")->line,
		     "rule id '%s' must use only letters, digits, '_', '-', '.' and ':'", r->id);
	char what[200];
	snprintf(what, sizeof(what), "rule '%s'", r->id);

	const sk_ynode *v;
	if ((v = sk_ynode_get(n, "action"))) {
		size_t c = scalar_count(L, v, "action");
		if (v->type == SK_YN_SEQ && v->len == 0)
			lerr(L, v->line, "%s: action is an empty list", what);
		for (size_t i = 0; i < c; i++) {
			const sk_ynode *s = scalar_at(v, i);
			sk_action a;
			if (sk_action_parse(s->s, &a) != SK_OK)
				lerr(L, s->line, "unknown action '%s'", s->s);
			else
				r->actions |= 1u << a;
		}
	}
	bool have_decision = false;
	if ((v = sk_ynode_get(n, "decision")) && want(L, v, SK_YN_SCALAR, "decision") &&
	    !(have_decision = sk_decision_parse(v->s, &r->decision) == SK_OK))
		lerr(L, v->line,
		     "unknown decision '%s' (allow, allow_with_safeguards, require_approval, "
		     "forbid)",
		     v->s);
	if ((v = sk_ynode_get(n, "exception")))
		get_bool(L, v, &r->exception, "exception");
	if ((v = sk_ynode_get(n, "proviso")))
		get_bool(L, v, &r->proviso, "proviso");
	if ((v = sk_ynode_get(n, "approver")) && sk_ynode_get(n, "approvers"))
		lerr(L, sk_ynode_get(n, "approvers")->line,
		     "%s: give approver or approvers, not both", what);
	else if (v && approver_role(L, v, &r->approver))
		r->approvers[0] = r->approver, r->n_approvers = 1;
	else if ((v = sk_ynode_get(n, "approvers")))
		load_approvers(L, v, r, what);
	if ((v = sk_ynode_get(n, "safeguards"))) {
		size_t c = scalar_count(L, v, "safeguards");
		for (size_t i = 0; i < c; i++) {
			const sk_ynode *s = scalar_at(v, i);
			sk_safeguard sg;
			if (sk_safeguard_parse(s->s, &sg) != SK_OK)
				lerr(L, s->line, "unknown safeguard '%s'", s->s);
			else
				r->safeguards |= 1u << sg;
		}
	}
	if ((v = sk_ynode_get(n, "priority")))
		get_int(L, v, -1000, 1000, &r->priority, "priority");
	if ((v = sk_ynode_get(n, "note")) && want(L, v, SK_YN_SCALAR, "note"))
		r->note = pstr(L, v);
	r->decide = get_str(L, n, "decide", what); /* NULL when absent */
	if ((v = sk_ynode_get(n, "inferred")) && want(L, v, SK_YN_SCALAR, "inferred")) {
		if (v->len == 0 || strcmp(v->s, "false") == 0)
			lerr(L, v->line, "%s: inferred must say why the rule is inferred", what);
		r->inferred = true;
	}
	if (!load_cites(L, sk_ynode_get(n, "cite"), r->inferred, &r->n_cites, &r->cites,
	                &r->cite_arts))
		r->n_cites = 0;
	if (!sk_ynode_get(n, "cite") && !r->inferred)
		lerr(L, n->line, "%s has no cite: (a rule the seed does not state needs inferred:)",
		     what);
	if (r->inferred && r->n_cites == 0) {
		r->cites = palloc(L, sizeof(*r->cites));
		if (r->cites) {
			r->cites[0] =
			    pfmt(L, "%s (inferred)", L->p->city_short ? L->p->city_short : "?");
			r->n_cites = 1;
		}
	}
	load_cond(
	    L, sk_ynode_get(n, "when") ? sk_ynode_get(n, "when") : &(sk_ynode){.type = SK_YN_MAP},
	    &r->when, "when");
	if ((v = sk_ynode_get(n, "unless"))) {
		load_cond(L, v, &r->unless, "unless");
		r->has_unless = true;
		if (v->type == SK_YN_MAP && v->len == 0)
			lerr(L, v->line, "%s: an empty unless: would exclude every case", what);
	}
	if (have_decision)
		check_rule_shape(L, n, r);
}

/*
 * Depth-first search over governs: edges with colours (0 unseen, 1 on the
 * path, 2 done); returns the rule that closes a cycle, or NULL. Linear in
 * rules + edges; the depth is at most the number of rules (2000).
 */
static const sk_rule *governs_cycle(const sk_policy *p, const sk_rule *r, unsigned char *colour)
{
	size_t i = (size_t)(r - p->rules);
	if (colour[i] == 1)
		return r;
	if (colour[i] == 2)
		return NULL;
	colour[i] = 1;
	for (unsigned k = 0; k < r->n_governs; k++) {
		const sk_rule *c = governs_cycle(p, r->governs[k], colour);
		if (c)
			return c;
	}
	colour[i] = 2;
	return NULL;
}

/*
 * Resolves each rule's governs: (rule ids, once every rule is loaded): the
 * rules it sets aside when both match. A governed rule must share an action
 * with the rule that governs it, and no rule may govern itself, directly or
 * through others (some matching rule must always remain).
 */
static int cmp_rule_id(const void *a, const void *b)
{
	return strcmp((*(const sk_rule *const *)a)->id, (*(const sk_rule *const *)b)->id);
}

static void load_governs(ld *L, const sk_ynode *n)
{
	sk_policy *p = L->p;
	/* the rules sorted by id, so each name is found by bisection */
	const sk_rule **by_id = palloc(L, p->n_rules * sizeof(const sk_rule *));
	if (!by_id)
		return;
	for (size_t i = 0; i < p->n_rules; i++)
		by_id[i] = &p->rules[i];
	qsort(by_id, p->n_rules, sizeof(const sk_rule *), cmp_rule_id);
	for (size_t i = 0; i < p->n_rules; i++) {
		sk_rule *r = &p->rules[i];
		const sk_ynode *v = sk_ynode_get(n->items[i], "governs");
		if (!v)
			continue;
		size_t c = scalar_count(L, v, "governs");
		if (v->type == SK_YN_SEQ && v->len == 0)
			lerr(L, v->line, "rule '%s': governs is an empty list", r->id);
		if (c > SK_POLICY_MAX_GOVERNS) {
			lerr(L, v->line, "rule '%s': governs names more than %d rules", r->id,
			     SK_POLICY_MAX_GOVERNS);
			continue;
		}
		if (c == 0)
			continue;
		r->governs = palloc(L, c * sizeof(const sk_rule *));
		r->xgoverns = palloc(L, c * sizeof(sk_xgov));
		if (!r->governs || !r->xgoverns)
			return;
		for (size_t k = 0; k < c; k++) {
			const sk_ynode *s = scalar_at(v, k);
			const char *slash = strchr(s->s, '/');
			if (slash) {
				/*
				 * KIND/RULE: a rule of another document of the installation's
				 * policy set (docs/policy-set.md), resolved when the set is
				 * put together; a profile decided alone has no such document.
				 */
				char kind[64];
				size_t kl = (size_t)(slash - s->s);
				snprintf(kind, sizeof(kind), "%.*s", (int)(kl < 63 ? kl : 63),
				         s->s);
				if (kl >= sizeof(kind) ||
				    !in_list(sk_policy_document_kinds, kind) || !slash[1] ||
				    strchr(slash + 1, '/')) {
					lerr(
					    L, s->line,
					    "rule '%s': governs '%s': another document's rule is "
					    "KIND/RULE with KIND one of basic_policy, standards, "
					    "designated_manager_guideline, contractor_requirements",
					    r->id, s->s);
					continue;
				}
				bool xdup = false;
				for (unsigned j = 0; j < r->n_xgoverns; j++)
					xdup = xdup || strcmp(r->xgoverns[j].ref, s->s) == 0;
				if (xdup) {
					lerr(L, s->line, "rule '%s': governs '%s' twice", r->id,
					     s->s);
					continue;
				}
				sk_xgov *x = &r->xgoverns[r->n_xgoverns++];
				x->ref = pstr(L, s);
				x->kind = sk_arena_strndup(&p->arena, s->s, kl);
				x->rule = x->ref ? x->ref + kl + 1 : NULL;
				x->line = s->line;
				continue;
			}
			const sk_rule key = {.id = s->s}, *kp = &key;
			const sk_rule *const *hit =
			    bsearch(&kp, by_id, p->n_rules, sizeof(const sk_rule *), cmp_rule_id);
			const sk_rule *g = hit ? *hit : NULL;
			if (!g) {
				lerr(L, s->line, "rule '%s': governs unknown rule '%s'", r->id,
				     s->s);
				continue;
			}
			if (g == r) {
				lerr(L, s->line, "rule '%s' cannot govern itself", r->id);
				continue;
			}
			if (!(g->actions & r->actions)) {
				lerr(L, s->line,
				     "rule '%s': governs rule '%s', which has none of its actions",
				     r->id, g->id);
				continue;
			}
			bool dup = false;
			for (unsigned j = 0; j < r->n_governs; j++)
				dup = dup || r->governs[j] == g;
			if (dup) {
				lerr(L, s->line, "rule '%s': governs '%s' twice", r->id, g->id);
				continue;
			}
			r->governs[r->n_governs++] = g;
		}
	}
	unsigned char *colour = palloc(L, p->n_rules ? p->n_rules : 1);
	if (!colour)
		return;
	for (size_t i = 0; i < p->n_rules; i++) {
		const sk_rule *c = colour[i] ? NULL : governs_cycle(p, &p->rules[i], colour);
		if (c) {
			lerr(L, sk_ynode_get(n->items[(size_t)(c - p->rules)], "governs")->line,
			     "rule '%s': governs forms a cycle (the rule governs itself through "
			     "others)",
			     c->id);
			return;
		}
	}
}

static void load_rules(ld *L, const sk_ynode *n)
{
	if (!want(L, n, SK_YN_SEQ, "rules"))
		return;
	if (n->len > SK_POLICY_MAX_RULES) {
		lerr(L, n->line, "more than %d rules", SK_POLICY_MAX_RULES);
		return;
	}
	sk_policy *p = L->p;
	p->rules = palloc(L, n->len * sizeof(*p->rules));
	if (!p->rules)
		return;
	for (size_t i = 0; i < n->len; i++) {
		sk_rule *r = &p->rules[p->n_rules++];
		load_rule(L, n->items[i], r);
		for (size_t j = 0; j + 1 < p->n_rules; j++)
			if (strcmp(p->rules[j].id, r->id) == 0 && strcmp(r->id, "?") != 0)
				lerr(L, n->items[i]->line, "duplicate rule id '%s'", r->id);
	}
	if (L->nerr == 0)
		load_governs(L, n);
}

/* --- passwords --- */

static const char *const pw_keys[] = {
    "min_length",
    "max_length",
    "require",
    "min_classes",
    "history",
    "rotation_days",
    "temporary_must_change",
    "lockout_threshold",
    "lockout_minutes",
    "session_idle_minutes",
    "session_absolute_minutes",
    "mfa",
    "max_connection_minutes",
    "min_holders",
    "cite",
    NULL,
};

/* Which rule fields a kind's section wrote (for inheritance from normal). */
enum {
	PW_MIN_LENGTH = 1 << 0,
	PW_MAX_LENGTH = 1 << 1,
	PW_REQUIRE = 1 << 2,
	PW_MIN_CLASSES = 1 << 3,
	PW_HISTORY = 1 << 4,
	PW_ROTATION = 1 << 5,
	PW_TEMP = 1 << 6,
	PW_LOCK_T = 1 << 7,
	PW_LOCK_M = 1 << 8,
	PW_IDLE = 1 << 9,
	PW_ABS = 1 << 10,
	PW_MFA = 1 << 11,
	PW_MAXCONN = 1 << 12,
	PW_CITE = 1 << 13,
};

static unsigned load_pw_kind(ld *L, const sk_ynode *n, sk_account_kind kind)
{
	sk_policy *p = L->p;
	sk_password_rules *r = &p->pw[kind];
	sk_pw_lines *ln = &p->pw_lines[kind];
	char what[64];
	snprintf(what, sizeof(what), "passwords.%s", sk_account_kind_name(kind));
	static const char *const required[] = {"cite", NULL};
	ln->section = n->line;
	if (!keys_ok(L, n, what, pw_keys, required))
		return 0;
	unsigned set = 0;
	const sk_ynode *v;
	struct {
		const char *key;
		int *dst;
		unsigned bit;
		long max;
	} ints[] = {
	    {"min_length", &r->min_length, PW_MIN_LENGTH, 1024},
	    {"max_length", &r->max_length, PW_MAX_LENGTH, 4096},
	    {"min_classes", &r->min_classes, PW_MIN_CLASSES, 4},
	    {"history", &r->history, PW_HISTORY, 100},
	    {"rotation_days", &r->rotation_days, PW_ROTATION, 3650},
	    {"lockout_threshold", &r->lockout_threshold, PW_LOCK_T, 1000},
	    {"lockout_minutes", &r->lockout_minutes, PW_LOCK_M, 525600},
	    {"session_idle_minutes", &r->session_idle_minutes, PW_IDLE, 525600},
	    {"session_absolute_minutes", &r->session_absolute_minutes, PW_ABS, 525600},
	    {"max_connection_minutes", &r->max_connection_minutes, PW_MAXCONN, 525600},
	};
	/* 「定期的に変更」 with no interval: rotation is required, its period unstated. */
	if ((v = sk_ynode_get(n, "rotation_days")) && v->type == SK_YN_SCALAR &&
	    strcmp(v->s, "unspecified") == 0) {
		r->rotation_required = true;
		set |= PW_ROTATION;
		ln->rotation_days = v->line, ln->set_rotation = true;
	}
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		if (ints[i].bit == PW_ROTATION && r->rotation_required)
			continue;
		if ((v = sk_ynode_get(n, ints[i].key)) &&
		    get_int(L, v, 0, ints[i].max, ints[i].dst, ints[i].key)) {
			set |= ints[i].bit;
			if (ints[i].bit == PW_MIN_LENGTH)
				ln->min_length = v->line, ln->set_min_length = true;
			if (ints[i].bit == PW_MAX_LENGTH)
				ln->max_length = v->line, ln->set_max_length = true;
			if (ints[i].bit == PW_MIN_CLASSES)
				ln->min_classes = v->line, ln->set_min_classes = true;
			if (ints[i].bit == PW_ROTATION)
				ln->rotation_days = v->line, ln->set_rotation = true;
		}
	}
	if ((v = sk_ynode_get(n, "require"))) {
		static const char *const cls[] = {"upper", "lower", "digit", "symbol"};
		size_t c = scalar_count(L, v, "require");
		for (size_t i = 0; i < c; i++) {
			const sk_ynode *s = scalar_at(v, i);
			bool found = false;
			for (unsigned k = 0; k < 4; k++)
				if (strcmp(s->s, cls[k]) == 0)
					r->require |= 1u << k, found = true;
			if (!found)
				lerr(L, s->line,
				     "unknown character class '%s' (upper, lower, digit, symbol)",
				     s->s);
		}
		set |= PW_REQUIRE;
		ln->require = v->line;
		ln->set_require = true;
	}
	if (r->rotation_days > 0)
		r->rotation_required = true;
	if ((v = sk_ynode_get(n, "min_holders"))) {
		if (kind != SK_KIND_PRIVILEGED)
			lerr(L, v->line,
			     "%s: min_holders is a rule for privileged IDs only (put it under "
			     "passwords.privileged)",
			     what);
		else if (get_int(L, v, 1, 100, &r->min_holders, "min_holders"))
			ln->min_holders = v->line;
	}
	bool b;
	if ((v = sk_ynode_get(n, "temporary_must_change")) &&
	    get_bool(L, v, &b, "temporary_must_change"))
		r->temporary_must_change = b, set |= PW_TEMP;
	if ((v = sk_ynode_get(n, "mfa")) && get_bool(L, v, &b, "mfa"))
		r->mfa = b, set |= PW_MFA, ln->mfa = v->line;
	if ((v = sk_ynode_get(n, "cite"))) {
		const char **c;
		load_cites(L, v, false, &r->n_citations, &c, NULL);
		r->citations = c;
		set |= PW_CITE;
	}
	if (r->max_length && r->min_length > r->max_length)
		lerr(L, n->line, "%s: min_length %d is above max_length %d", what, r->min_length,
		     r->max_length);
	if (r->min_classes && r->require &&
	    (unsigned)r->min_classes < (unsigned)__builtin_popcount(r->require))
		lerr(L, n->line, "%s: min_classes %d is below the %d required classes", what,
		     r->min_classes, __builtin_popcount(r->require));
	return set;
}

static void inherit_pw(sk_policy *p, sk_account_kind k, unsigned set)
{
	const sk_password_rules *nr = &p->pw[SK_KIND_NORMAL];
	sk_password_rules *r = &p->pw[k];
	sk_pw_lines *ln = &p->pw_lines[k];
	const sk_pw_lines *nl = &p->pw_lines[SK_KIND_NORMAL];
#define INH(bit, field)                                                                            \
	if (!(set & (bit)))                                                                        \
	r->field = nr->field
	INH(PW_MIN_LENGTH, min_length);
	INH(PW_MAX_LENGTH, max_length);
	INH(PW_REQUIRE, require);
	INH(PW_MIN_CLASSES, min_classes);
	INH(PW_HISTORY, history);
	INH(PW_ROTATION, rotation_days);
	INH(PW_ROTATION, rotation_required);
	INH(PW_TEMP, temporary_must_change);
	INH(PW_LOCK_T, lockout_threshold);
	INH(PW_LOCK_M, lockout_minutes);
	INH(PW_IDLE, session_idle_minutes);
	INH(PW_ABS, session_absolute_minutes);
	INH(PW_MFA, mfa);
	INH(PW_MAXCONN, max_connection_minutes);
#undef INH
	if (!(set & PW_CITE)) {
		r->citations = nr->citations;
		r->n_citations = nr->n_citations;
	}
	if (!(set & PW_MIN_LENGTH))
		ln->min_length = nl->min_length;
	if (!(set & PW_MFA))
		ln->mfa = nl->mfa;
}

static void load_passwords(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"normal", "privileged", "social", NULL};
	static const char *const required[] = {"normal", NULL};
	if (!keys_ok(L, n, "passwords", allowed, required))
		return;
	sk_policy *p = L->p;
	p->has_passwords = true;
	unsigned set[SK_KIND__COUNT] = {0};
	for (int k = 0; k < SK_KIND__COUNT; k++) {
		const sk_ynode *v = sk_ynode_get(n, sk_account_kind_name((sk_account_kind)k));
		if (v) {
			p->pw_kind_written[k] = true;
			set[k] = load_pw_kind(L, v, (sk_account_kind)k);
		}
	}
	for (int k = SK_KIND_PRIVILEGED; k < SK_KIND__COUNT; k++)
		inherit_pw(p, (sk_account_kind)k, set[k]);
}

static void load_mfa(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"zones", "cite", NULL};
	static const char *const required[] = {"zones", "cite", NULL};
	if (!keys_ok(L, n, "mfa", allowed, required))
		return;
	const sk_ynode *z = sk_ynode_get(n, "zones");
	if (z)
		load_name_set(L, z, parse_zone_int, "zone", &L->p->mfa_zones);
	load_cites(L, sk_ynode_get(n, "cite"), false, &L->p->mfa_n_cites, &L->p->mfa_cites, NULL);
}

static void load_retention(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"id",     "what", "years", "days",
	                                      "period", "cite", NULL};
	static const char *const required[] = {"id", "what", "cite", NULL};
	if (!want(L, n, SK_YN_SEQ, "retention"))
		return;
	if (n->len > SK_POLICY_MAX_ITEMS) {
		lerr(L, n->line, "more than %d retention entries", SK_POLICY_MAX_ITEMS);
		return;
	}
	sk_policy *p = L->p;
	p->retention = palloc(L, n->len * sizeof(*p->retention));
	if (!p->retention)
		return;
	for (size_t i = 0; i < n->len; i++) {
		const sk_ynode *e = n->items[i];
		if (!keys_ok(L, e, "a retention entry", allowed, required))
			continue;
		sk_retention *r = &p->retention[p->n_retention];
		r->id = get_str(L, e, "id", "a retention entry");
		r->what = get_str(L, e, "what", "a retention entry");
		if (!r->id || !r->what)
			continue;
		if (!is_ident(r->id, false))
			lerr(L, sk_ynode_get(e, "id")->line,
			     "retention id '%s' is not an identifier", r->id);
		if (sk_policy_retention_find(p, r->id))
			lerr(L, sk_ynode_get(e, "id")->line, "duplicate retention id '%s'", r->id);
		const sk_ynode *y = sk_ynode_get(e, "years"), *d = sk_ynode_get(e, "days"),
		               *pd = sk_ynode_get(e, "period");
		if ((y != NULL) + (d != NULL) + (pd != NULL) != 1)
			lerr(L, e->line,
			     "retention '%s' needs exactly one of years and days (or period: "
			     "unspecified when the seed names no period)",
			     r->id);
		else if (pd) {
			if (want(L, pd, SK_YN_SCALAR, "period") &&
			    strcmp(pd->s, "unspecified") != 0)
				lerr(L, pd->line,
				     "retention '%s': period must be 'unspecified' (the seed "
				     "names no period); give a period as years or days",
				     r->id);
			r->unspecified = true;
		} else if (y && get_int(L, y, 1, 100, &r->years, "years"))
			r->days = 366 * r->years;
		else if (d)
			get_int(L, d, 1, 36600, &r->days, "days");
		const char **c;
		load_cites(L, sk_ynode_get(e, "cite"), false, &r->n_citations, &c, NULL);
		r->citations = c;
		p->n_retention++;
	}
}

static void load_checklist(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"id", "section", "text", "answered_by", "cite", NULL};
	static const char *const required[] = {"id", "section", "text", "cite", NULL};
	if (!want(L, n, SK_YN_SEQ, "checklist"))
		return;
	if (n->len > SK_POLICY_MAX_ITEMS) {
		lerr(L, n->line, "more than %d checklist items", SK_POLICY_MAX_ITEMS);
		return;
	}
	sk_policy *p = L->p;
	p->checklist = palloc(L, n->len * sizeof(*p->checklist));
	if (!p->checklist)
		return;
	for (size_t i = 0; i < n->len; i++) {
		const sk_ynode *e = n->items[i];
		if (!keys_ok(L, e, "a checklist item", allowed, required))
			continue;
		sk_checklist_item *c = &p->checklist[p->n_checklist];
		c->id = get_str(L, e, "id", "a checklist item");
		c->section = get_str(L, e, "section", "a checklist item");
		c->text = get_str(L, e, "text", "a checklist item");
		if (!c->id || !c->section || !c->text)
			continue;
		if (!is_ident(c->id, false))
			lerr(L, sk_ynode_get(e, "id")->line,
			     "checklist id '%s' is not an identifier", c->id);
		for (size_t j = 0; j < p->n_checklist; j++)
			if (strcmp(p->checklist[j].id, c->id) == 0)
				lerr(L, sk_ynode_get(e, "id")->line, "duplicate checklist id '%s'",
				     c->id);
		c->answered_by = SK_ROLE_SECURITY_MANAGER;
		const sk_ynode *ab = sk_ynode_get(e, "answered_by");
		if (ab && want(L, ab, SK_YN_SCALAR, "answered_by") &&
		    sk_role_parse(ab->s, &c->answered_by) != SK_OK)
			lerr(L, ab->line, "unknown role '%s' in answered_by", ab->s);
		const char **cc;
		load_cites(L, sk_ynode_get(e, "cite"), false, &c->n_citations, &cc, NULL);
		c->citations = cc;
		p->n_checklist++;
	}
}

/* exceptions: {approver: R, report_afterwards: true, note: ..., cite: [...]} (never a decision) */
static void load_exceptions(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"approver", "report_afterwards", "note", "cite",
	                                      NULL};
	static const char *const required[] = {"approver", "cite", NULL};
	if (!keys_ok(L, n, "exceptions", allowed, required))
		return;
	sk_exception_route *x = &L->p->exception_route;
	const sk_ynode *v;
	if ((v = sk_ynode_get(n, "approver")) && approver_role(L, v, &x->approver))
		L->p->has_exception_route = true;
	if ((v = sk_ynode_get(n, "report_afterwards")))
		get_bool(L, v, &x->report_afterwards, "report_afterwards");
	if ((v = sk_ynode_get(n, "note")) && want(L, v, SK_YN_SCALAR, "note"))
		x->note = pstr(L, v);
	const char **c = NULL;
	load_cites(L, sk_ynode_get(n, "cite"), false, &x->n_citations, &c, NULL);
	x->citations = c;
}

/* A role of the incident chain at node s, which the profile must title under roles. */
static bool incident_role(ld *L, const sk_ynode *s, const char *what, sk_role *out)
{
	if (!want(L, s, SK_YN_SCALAR, what))
		return false;
	if (sk_role_parse(s->s, out) != SK_OK) {
		lerr(L, s->line, "unknown role '%s' in %s", s->s, what);
		return false;
	}
	if (!L->p->has_role[*out]) {
		lerr(L, s->line, "%s '%s' has no title under roles", what, s->s);
		return false;
	}
	return true;
}

/* due_hours: {high: 1, medium: 4, low: 24}: any of the severities, each in hours. */
static void load_due_hours(ld *L, const sk_ynode *n, sk_incident_step *st)
{
	static const char *const allowed[] = {"high", "medium", "low", NULL};
	if (!keys_ok(L, n, "due_hours", allowed, NULL))
		return;
	for (int v = 0; v < SK_SEV__COUNT; v++) {
		const sk_ynode *h = sk_ynode_get(n, sk_severity_name((sk_severity)v));
		if (h)
			get_int(L, h, 1, SK_INCIDENT_DUE_MAX, &st->due_hours[v], "due_hours");
	}
}

/*
 * incidents: {chain: [{role, due_hours?, word?, cite}], informed?: {roles, cite},
 * close: {role, cite}} (SPEC C8). The chain is what the seed's 事故等の報告
 * names, in order; each deadline the seed words (「速やかに」) is mapped to hours
 * by the profile, which keeps the word beside them.
 */
static void load_incidents(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"chain", "informed", "close", NULL};
	static const char *const required[] = {"chain", "close", NULL};
	static const char *const step_keys[] = {"role", "due_hours", "word", "cite", NULL};
	static const char *const step_req[] = {"role", "cite", NULL};
	static const char *const inf_keys[] = {"roles", "cite", NULL};
	static const char *const close_keys[] = {"role", "cite", NULL};
	if (!keys_ok(L, n, "incidents", allowed, required))
		return;
	sk_incident_route *x = &L->p->incidents;
	const sk_ynode *ch = sk_ynode_get(n, "chain"), *v;
	if (ch && want(L, ch, SK_YN_SEQ, "chain")) {
		if (ch->len == 0 || ch->len > SK_INCIDENT_MAX_STEPS)
			lerr(L, ch->line, "the incident chain needs 1 to %d steps",
			     SK_INCIDENT_MAX_STEPS);
		for (size_t i = 0; i < ch->len && i < SK_INCIDENT_MAX_STEPS; i++) {
			const sk_ynode *e = ch->items[i];
			if (!keys_ok(L, e, "a step of the incident chain", step_keys, step_req))
				continue;
			sk_incident_step *st = &x->steps[x->n_steps];
			if (!(v = sk_ynode_get(e, "role")) ||
			    !incident_role(L, v, "chain role", &st->role))
				continue;
			for (unsigned j = 0; j < x->n_steps; j++)
				if (x->steps[j].role == st->role)
					lerr(L, v->line, "role '%s' is twice in the incident chain",
					     v->s);
			if ((v = sk_ynode_get(e, "due_hours")))
				load_due_hours(L, v, st);
			if ((v = sk_ynode_get(e, "word")) && want(L, v, SK_YN_SCALAR, "word"))
				st->word = pstr(L, v);
			bool timed = false;
			for (int k = 0; k < SK_SEV__COUNT; k++)
				timed = timed || st->due_hours[k];
			if (timed && !st->word)
				lerr(L, e->line,
				     "a step with due_hours needs the seed's word they were mapped "
				     "from (word:)");
			const char **c = NULL;
			load_cites(L, sk_ynode_get(e, "cite"), false, &st->n_citations, &c, NULL);
			st->citations = c;
			x->n_steps++;
		}
	}
	if ((v = sk_ynode_get(n, "informed")) && keys_ok(L, v, "informed", inf_keys, inf_keys)) {
		const sk_ynode *rl = sk_ynode_get(v, "roles");
		if (rl && want(L, rl, SK_YN_SEQ, "roles"))
			for (size_t i = 0; i < rl->len; i++) {
				sk_role r;
				if (incident_role(L, rl->items[i], "informed role", &r))
					x->informed |= 1u << r;
			}
		const char **c = NULL;
		load_cites(L, sk_ynode_get(v, "cite"), false, &x->n_informed_citations, &c, NULL);
		x->informed_citations = c;
	}
	if ((v = sk_ynode_get(n, "close")) && keys_ok(L, v, "close", close_keys, close_keys)) {
		const sk_ynode *r = sk_ynode_get(v, "role");
		if (r)
			incident_role(L, r, "close role", &x->closer);
		const char **c = NULL;
		load_cites(L, sk_ynode_get(v, "cite"), false, &x->n_close_citations, &c, NULL);
		x->close_citations = c;
	}
	L->p->has_incidents = x->n_steps > 0;
}

/*
 * separation: [{role: auditor, excludes: [ciso, ...], cite: [...], note: ...}]:
 * pairs of roles one account may not hold, added to the built-in floor
 * (sk_policy_role_excludes). A role named twice keeps the citations of its
 * first entry.
 */
static void load_separation(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"role", "excludes", "cite", "note", NULL};
	static const char *const required[] = {"role", "excludes", "cite", NULL};
	sk_policy *p = L->p;
	if (!want(L, n, SK_YN_SEQ, "separation"))
		return;
	for (size_t i = 0; i < n->len; i++) {
		const sk_ynode *e = n->items[i];
		if (!keys_ok(L, e, "a separation entry", allowed, required))
			continue;
		const sk_ynode *rn = sk_ynode_get(e, "role"), *xs = sk_ynode_get(e, "excludes"),
		               *note;
		sk_role r;
		if (!want(L, rn, SK_YN_SCALAR, "role") || !want(L, xs, SK_YN_SEQ, "excludes"))
			continue;
		if (sk_role_parse(rn->s, &r) != SK_OK) {
			lerr(L, rn->line, "unknown role '%s' in separation", rn->s);
			continue;
		}
		uint32_t mask = 0;
		for (size_t j = 0; j < xs->len; j++) {
			const sk_ynode *x = xs->items[j];
			sk_role o;
			if (!want(L, x, SK_YN_SCALAR, "a role"))
				continue;
			if (sk_role_parse(x->s, &o) != SK_OK)
				lerr(L, x->line, "unknown role '%s' in separation of '%s'", x->s,
				     rn->s);
			else if (o == r)
				lerr(L, x->line, "role '%s' cannot exclude itself", x->s);
			else
				mask |= 1u << o;
		}
		if ((note = sk_ynode_get(e, "note")))
			want(L, note, SK_YN_SCALAR, "note");
		unsigned nc = 0;
		const char **cc = NULL;
		load_cites(L, sk_ynode_get(e, "cite"), false, &nc, &cc, NULL);
		p->sep_excludes[r] |= mask;
		if (!p->sep_n_cites[r]) {
			p->sep_n_cites[r] = nc;
			p->sep_cites[r] = cc;
		}
	}
}

/*
 * capabilities: {asset.write: {roles: [ciso, ...], cite: [...], note: ...}}:
 * each capability named replaces its default row (capability.c); a role
 * need not be under roles (an installation may grant any role of SPEC §3).
 */
static void load_capabilities(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"roles", "cite", "note", NULL};
	static const char *const required[] = {"roles", NULL};
	sk_policy *p = L->p;
	if (!want(L, n, SK_YN_MAP, "capabilities"))
		return;
	for (size_t i = 0; i < n->len; i++) {
		const sk_ynode *k = n->keys[i], *v = n->vals[i];
		sk_cap c;
		if (sk_cap_parse(k->s, &c) != SK_OK) {
			lerr(L, k->line, "unknown capability '%s' (see docs/policy-format.md)",
			     k->s);
			continue;
		}
		if (p->cap_given[c]) {
			lerr(L, k->line, "duplicate capability '%s'", k->s);
			continue;
		}
		char what[64];
		snprintf(what, sizeof(what), "capability '%s'", k->s);
		if (!keys_ok(L, v, what, allowed, required))
			continue;
		const sk_ynode *rl = sk_ynode_get(v, "roles");
		if (!rl || !want(L, rl, SK_YN_SEQ, "roles"))
			continue;
		uint32_t mask = 0;
		for (size_t j = 0; j < rl->len; j++) {
			const sk_ynode *r = rl->items[j];
			sk_role role;
			if (!want(L, r, SK_YN_SCALAR, "a role"))
				continue;
			if (sk_role_parse(r->s, &role) != SK_OK)
				lerr(L, r->line, "unknown role '%s' in capability '%s'", r->s,
				     k->s);
			else if (mask & (1u << role))
				lerr(L, r->line, "role '%s' is listed twice in capability '%s'",
				     r->s, k->s);
			else
				mask |= 1u << role;
		}
		const sk_ynode *note = sk_ynode_get(v, "note");
		if (note)
			want(L, note, SK_YN_SCALAR, "note");
		p->cap_given[c] = true;
		p->cap_roles[c] = mask;
		load_cites(L, sk_ynode_get(v, "cite"), false, &p->cap_n_cites[c], &p->cap_cites[c],
		           NULL);
	}
}

/*
 * decide: (top level) the questions a template leaves to the city that are
 * not one rule's answer (its classification scheme, its titles, periods the
 * seeds do not state). Each names the articles to read before deciding.
 */
static void load_open(ld *L, const sk_ynode *n)
{
	static const char *const allowed[] = {"id", "what", "cite", NULL};
	static const char *const required[] = {"id", "what", "cite", NULL};
	if (!want(L, n, SK_YN_SEQ, "decide"))
		return;
	if (n->len > SK_POLICY_MAX_ITEMS) {
		lerr(L, n->line, "more than %d entries in decide", SK_POLICY_MAX_ITEMS);
		return;
	}
	sk_policy *p = L->p;
	p->open = palloc(L, (n->len ? n->len : 1) * sizeof(*p->open));
	/* An open question encodes nothing: its articles stay as coverage found them. */
	bool *was_cited = palloc(L, (p->n_articles ? p->n_articles : 1) * sizeof(bool));
	if (!p->open || !was_cited)
		return;
	for (size_t a = 0; a < p->n_articles; a++)
		was_cited[a] = p->articles[a].cited;
	for (size_t i = 0; i < n->len; i++) {
		const sk_ynode *e = n->items[i];
		if (!keys_ok(L, e, "an entry of decide", allowed, required))
			continue;
		sk_open_item *o = &p->open[p->n_open];
		o->id = get_str(L, e, "id", "an entry of decide");
		o->what = get_str(L, e, "what", "an entry of decide");
		o->line = e->line;
		if (!o->id || !o->what)
			continue;
		if (!is_ident(o->id, false)) {
			lerr(L, sk_ynode_get(e, "id")->line,
			     "decide id '%s' must use only letters, digits, '_', '-', '.' and ':'",
			     o->id);
			continue;
		}
		bool dup = false;
		for (size_t j = 0; j < p->n_open; j++)
			dup = dup || strcmp(p->open[j].id, o->id) == 0;
		if (dup) {
			lerr(L, sk_ynode_get(e, "id")->line, "duplicate decide id '%s'", o->id);
			continue;
		}
		if (load_cites(L, sk_ynode_get(e, "cite"), false, &o->n_cites, &o->cites, NULL))
			p->n_open++;
	}
	for (size_t a = 0; a < p->n_articles; a++)
		p->articles[a].cited = was_cited[a];
}

static void load_root(ld *L, const sk_ynode *root)
{
	static const char *const allowed[] = {
	    "format",     "city",         "articles",  "chapters",   "classification", "roles",
	    "zones",      "rules",        "passwords", "mfa",        "retention",      "checklist",
	    "exceptions", "capabilities", "incidents", "separation", "document",       "decide",
	    NULL};
	static const char *const required[] = {"format", "city",  "articles", "classification",
	                                       "roles",  "rules", NULL};
	if (!keys_ok(L, root, "the profile", allowed, required))
		return;
	const sk_ynode *v;
	if ((v = sk_ynode_get(root, "format")) && want(L, v, SK_YN_SCALAR, "format") &&
	    strcmp(v->s, "1") != 0)
		lerr(L, v->line, "unsupported format '%s' (this sekisho reads format 1)", v->s);
	/* Order matters: citations need the articles, rules need levels and roles. */
	if ((v = sk_ynode_get(root, "city")))
		load_city(L, v);
	if ((v = sk_ynode_get(root, "document")))
		load_document(L, v);
	if ((v = sk_ynode_get(root, "articles")))
		load_articles(L, v);
	if ((v = sk_ynode_get(root, "chapters")))
		load_chapters(L, v);
	if ((v = sk_ynode_get(root, "classification")))
		load_classification(L, v);
	if ((v = sk_ynode_get(root, "roles")))
		load_roles(L, v);
	if ((v = sk_ynode_get(root, "zones")))
		load_zones(L, v);
	if ((v = sk_ynode_get(root, "rules")))
		load_rules(L, v);
	if ((v = sk_ynode_get(root, "passwords")))
		load_passwords(L, v);
	if ((v = sk_ynode_get(root, "mfa")))
		load_mfa(L, v);
	if ((v = sk_ynode_get(root, "retention")))
		load_retention(L, v);
	if ((v = sk_ynode_get(root, "checklist")))
		load_checklist(L, v);
	if ((v = sk_ynode_get(root, "exceptions")))
		load_exceptions(L, v);
	if ((v = sk_ynode_get(root, "capabilities")))
		load_capabilities(L, v);
	if ((v = sk_ynode_get(root, "separation")))
		load_separation(L, v);
	if ((v = sk_ynode_get(root, "incidents")))
		load_incidents(L, v);
	if ((v = sk_ynode_get(root, "decide")))
		load_open(L, v);
}

/* --- public: loading --- */

sk_err sk_policy_load_mem(const char *name, const char *data, size_t len, sk_policy **out,
                          sk_buf *diag)
{
	*out = NULL;
	if (len > SK_POLICY_MAX_BYTES) {
		if (diag)
			sk_buf_addf(diag, "%s:1: the profile is larger than 1 MiB\n", name);
		return SK_ERR_TOO_BIG;
	}
	sk_policy *p = calloc(1, sizeof(*p));
	if (!p)
		return SK_ERR_NOMEM;
	sk_arena tmp = SK_ARENA_INIT;
	sk_ynode *root = NULL;
	sk_err rc = sk_yaml_parse(name, data, len, &tmp, &root, diag);
	if (rc != SK_OK)
		goto fail;
	p->source = sk_arena_strdup(&p->arena, name);
	p->label_separator = "、";
	ld L = {.name = name, .diag = diag, .p = p};
	load_root(&L, root);
	if (L.nerr == 0) {
		p->no_rule_citation = pfmt(&L, "%s (no rule; strictest applied)", p->city_short);
		if (L.nerr == 0 && sk_policy_compile_actions(p, diag) != SK_OK)
			L.nerr++;
		if (L.nerr == 0 && sk_policy_docs_json_prepare(p) != SK_OK) {
			rc = SK_ERR_NOMEM;
			goto fail;
		}
	}
	if (L.nerr > MAX_ERRORS && diag)
		sk_buf_addf(diag, "%s: %d more errors not shown\n", name, L.nerr - MAX_ERRORS);
	rc = L.nerr ? SK_ERR_INVALID : SK_OK;
fail:
	sk_arena_free(&tmp);
	if (rc != SK_OK) {
		sk_policy_free(p);
		return rc;
	}
	*out = p;
	return SK_OK;
}

sk_err sk_policy_load_file(const char *path, sk_policy **out, sk_buf *diag)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (diag)
			sk_buf_addf(diag, "%s: cannot open: %s\n", path, strerror(errno));
		return errno == ENOENT ? SK_ERR_NOT_FOUND : SK_ERR_IO;
	}
	sk_buf data = SK_BUF_INIT(SK_POLICY_MAX_BYTES);
	char chunk[65536];
	size_t n;
	sk_err rc = SK_OK;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (sk_buf_add(&data, chunk, n) != SK_OK) {
			rc = SK_ERR_TOO_BIG;
			if (diag)
				sk_buf_addf(diag, "%s:1: the profile is larger than 1 MiB\n", path);
			break;
		}
	}
	if (rc == SK_OK && ferror(f)) {
		rc = SK_ERR_IO;
		if (diag)
			sk_buf_addf(diag, "%s: read error\n", path);
	}
	fclose(f);
	if (rc == SK_OK)
		rc = sk_policy_load_mem(path, data.data, data.len, out, diag);
	sk_buf_free(&data);
	return rc;
}

const char *const *sk_policy_builtin_names(void)
{
	return sk_builtin_profile_names; /* NULL-terminated and sorted by embed_profiles.py */
}

sk_err sk_policy_load_builtin(const char *name, sk_policy **out, sk_buf *diag)
{
	*out = NULL;
	for (size_t i = 0; i < sk_builtin_profiles_count; i++) {
		if (strcmp(sk_builtin_profile_names[i], name) != 0)
			continue;
		char src[128];
		snprintf(src, sizeof(src), "builtin:%s", name);
		return sk_policy_load_mem(src, (const char *)sk_builtin_profile_data[i],
		                          sk_builtin_profile_lens[i], out, diag);
	}
	return sk_fail_msg(diag, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_POLICY_UNKNOWN_PROFILE, name);
}

sk_err sk_policy_builtin_text(const char *name, const char **data, size_t *len)
{
	for (size_t i = 0; i < sk_builtin_profiles_count; i++)
		if (strcmp(sk_builtin_profile_names[i], name) == 0) {
			*data = (const char *)sk_builtin_profile_data[i];
			*len = sk_builtin_profile_lens[i];
			return SK_OK;
		}
	return SK_ERR_NOT_FOUND;
}

sk_err sk_policy_open(const char *name_or_path, sk_policy **out, sk_buf *diag)
{
	*out = NULL;
	for (size_t i = 0; i < sk_builtin_profiles_count; i++)
		if (strcmp(sk_builtin_profile_names[i], name_or_path) == 0)
			return sk_policy_load_builtin(name_or_path, out, diag);
	struct stat st;
	if (stat(name_or_path, &st) != 0 || !S_ISREG(st.st_mode))
		return sk_fail_msg(diag, SK_ERR_NOT_FOUND, NULL, NULL,
		                   SK_M_POLICY_UNKNOWN_PROFILE_NEITHER_BUILT, name_or_path);
	return sk_policy_load_file(name_or_path, out, diag);
}

void sk_policy_free(sk_policy *p)
{
	if (!p)
		return;
	sk_policy_set_release(p);
	sk_arena_free(&p->arena);
	free(p);
}

/* --- public: accessors --- */

const char *sk_policy_city_id(const sk_policy *p) { return p->city_id; }
const char *sk_policy_city_name(const sk_policy *p) { return p->city_name; }
const char *sk_policy_city_short(const sk_policy *p) { return p->city_short; }
const char *sk_policy_source(const sk_policy *p) { return p->source; }

const char *const sk_policy_document_kinds[] = {
    "basic_policy", "standards", "designated_manager_guideline", "contractor_requirements", NULL};

void sk_policy_set_stored_version(sk_policy *p, int64_t version) { p->stored_version = version; }
int64_t sk_policy_stored_version(const sk_policy *p) { return p ? p->stored_version : 0; }

void sk_policy_document_of(const sk_policy *p, sk_policy_document *out)
{
	memset(out, 0, sizeof(*out));
	out->n_kinds = p->n_doc_kinds;
	for (unsigned i = 0; i < p->n_doc_kinds; i++)
		out->kinds[i] = p->doc_kinds[i];
	out->title = p->doc_title ? p->doc_title : p->city_source;
	out->date = p->doc_date ? p->doc_date : p->city_version;
	out->scope = p->doc_scope;
	out->is_template = p->doc_template;
}

size_t sk_policy_rule_count(const sk_policy *p) { return p->n_rules; }

bool sk_policy_rule_at(const sk_policy *p, size_t i, sk_policy_rule_info *out)
{
	if (i >= p->n_rules)
		return false;
	const sk_rule *r = &p->rules[i];
	*out = (sk_policy_rule_info){r->id, r->line, r->inferred, r->decide, r->n_cites, r->cites};
	return true;
}

size_t sk_policy_question_count(const sk_policy *p)
{
	size_t n = p->n_open;
	for (size_t i = 0; i < p->n_rules; i++)
		n += p->rules[i].decide != NULL;
	return n;
}

bool sk_policy_question_at(const sk_policy *p, size_t i, sk_policy_question *out)
{
	if (i < p->n_open) {
		const sk_open_item *o = &p->open[i];
		*out = (sk_policy_question){o->id, o->what, NULL, o->line, o->n_cites, o->cites};
		return true;
	}
	i -= p->n_open;
	for (size_t r = 0; r < p->n_rules; r++) {
		const sk_rule *ru = &p->rules[r];
		if (!ru->decide)
			continue;
		if (i-- == 0) {
			*out = (sk_policy_question){ru->id,   ru->decide,  ru->id,
			                            ru->line, ru->n_cites, ru->cites};
			return true;
		}
	}
	return false;
}

int sk_policy_questions_describe(const sk_policy *p, sk_buf *out)
{
	int n = 0;
	sk_policy_question o;
	for (size_t i = 0; sk_policy_question_at(p, i, &o); i++, n++) {
		sk_buf_addf(out, "%s:%d: decide: %s: %s [", p->source, o.line, o.id, o.what);
		for (unsigned c = 0; c < o.n_citations; c++)
			sk_buf_addf(out, "%s%s", c ? ", " : "", o.citations[c]);
		sk_buf_adds(out, "]\n");
	}
	return n;
}

const char *sk_policy_axis_title(const sk_policy *p, sk_axis axis)
{
	return (unsigned)axis < SK_AXIS__COUNT ? p->axes[axis].title : NULL;
}

int sk_policy_level_count(const sk_policy *p, sk_axis axis)
{
	return (unsigned)axis < SK_AXIS__COUNT ? p->axes[axis].n_levels : 0;
}

sk_err sk_policy_level_parse(const sk_policy *p, sk_axis axis, const char *name, int *value)
{
	if ((unsigned)axis >= SK_AXIS__COUNT || !name)
		return SK_ERR_INVALID;
	int i = level_index(&p->axes[axis], name);
	if (i < 0) {
		/* As people write it: "機密性3", "３", "機密性 ３Ａ". */
		char buf[128];
		sk_vocab_fold(name, buf, sizeof(buf));
		const char *v = buf, *title = p->axes[axis].title;
		size_t tl = title ? strlen(title) : 0;
		if (tl && strncmp(v, title, tl) == 0)
			for (v += tl; *v == ' ';)
				v++;
		i = level_index(&p->axes[axis], v);
		for (int k = 0; i < 0 && k < p->axes[axis].n_levels; k++) {
			const char *lb = p->axes[axis].levels[k].label;
			char fl[128];
			if (lb && (strcmp(lb, name) == 0 ||
			           (sk_vocab_fold(lb, fl, sizeof(fl)), strcmp(fl, buf) == 0)))
				i = k;
		}
	}
	if (i < 0)
		return SK_ERR_INVALID;
	*value = i;
	return SK_OK;
}

static const sk_level *level_at(const sk_policy *p, sk_axis axis, int value)
{
	if ((unsigned)axis >= SK_AXIS__COUNT || value < 0 || value >= p->axes[axis].n_levels)
		return NULL;
	return &p->axes[axis].levels[value];
}

const char *sk_policy_level_name(const sk_policy *p, sk_axis axis, int value)
{
	const sk_level *l = level_at(p, axis, value);
	return l ? l->id : NULL;
}

const char *sk_policy_level_label(const sk_policy *p, sk_axis axis, int value)
{
	const sk_level *l = level_at(p, axis, value);
	return l ? l->label : NULL;
}

sk_err sk_policy_label(const sk_policy *p, int conf, int integ, int avail, sk_buf *buf)
{
	int v[SK_AXIS__COUNT] = {conf, integ, avail};
	for (int a = 0; a < SK_AXIS__COUNT; a++)
		if (v[a] != SK_LEVEL_UNSET && !level_at(p, (sk_axis)a, v[a]))
			return SK_ERR_INVALID;
	bool first = true;
	for (int a = 0; a < SK_AXIS__COUNT; a++) {
		if (v[a] == SK_LEVEL_UNSET)
			continue;
		sk_err rc = first ? SK_OK : sk_buf_adds(buf, p->label_separator);
		if (rc == SK_OK)
			rc = sk_buf_adds(buf, level_at(p, (sk_axis)a, v[a])->label);
		if (rc != SK_OK)
			return rc;
		first = false;
	}
	return SK_OK;
}

const char *sk_policy_role_own_title(const sk_policy *p, sk_role r)
{
	return p && (unsigned)r < SK_ROLE__COUNT && p->has_role[r] ? p->roles[r].title : NULL;
}

const char *sk_policy_role_title(const sk_policy *p, sk_role r, sk_lang l)
{
	const char *own = l == SK_LANG_JA ? sk_policy_role_own_title(p, r) : NULL;
	return own && *own ? own : sk_role_title(r, l);
}

sk_role sk_policy_role_reports_to(const sk_policy *p, sk_role r)
{
	return (unsigned)r < SK_ROLE__COUNT && p->has_role[r] ? p->roles[r].reports_to
	                                                      : SK_ROLE_NONE;
}

uint32_t sk_policy_any_of_partners(const sk_policy *p, sk_role r)
{
	uint32_t bits = 0;
	for (size_t i = 0; p && i < p->n_rules; i++) {
		const sk_rule *x = &p->rules[i];
		bool has = false;
		for (unsigned k = 0; k < x->n_approvers; k++)
			has = has || x->approvers[k] == r;
		if (!has || x->approver_mode != SK_APPROVE_ANY_OF)
			continue;
		for (unsigned k = 0; k < x->n_approvers; k++)
			if (x->approvers[k] != r && (unsigned)x->approvers[k] < SK_ROLE__COUNT)
				bits |= 1u << x->approvers[k];
	}
	return bits;
}

const char *sk_policy_zone_title(const sk_policy *p, sk_zone z)
{
	return (unsigned)z < SK_ZONE__COUNT ? p->zone_titles[z] : NULL;
}

const sk_password_rules *sk_policy_password_rules(const sk_policy *p, sk_account_kind kind)
{
	if ((unsigned)kind >= SK_KIND__COUNT)
		kind = SK_KIND_NORMAL;
	return &p->pw[kind];
}

/*
 * The chain when a profile states none: the national guideline's line
 * (総務省 地方公共団体における情報セキュリティポリシーに関するガイドライン,
 * 事故等の報告): the section's 情報セキュリティ管理者, the 統括情報セキュリティ
 * 責任者, then the CISO, with the CSIRT informed and the 統括 closing. No
 * deadlines: none is the profile's to invent. `policy coverage` flags it.
 */
static const sk_incident_route default_incidents = {
    .n_steps = 3,
    .steps = {{.role = SK_ROLE_SECURITY_MANAGER},
              {.role = SK_ROLE_GENERAL_MANAGER},
              {.role = SK_ROLE_CISO}},
    .informed = 1u << SK_ROLE_CSIRT,
    .closer = SK_ROLE_GENERAL_MANAGER,
    .is_default = true,
};

const sk_incident_route *sk_policy_incident_route(const sk_policy *p)
{
	return p && p->has_incidents ? &p->incidents : &default_incidents;
}

static const char *const severity_names[SK_SEV__COUNT] = {"high", "medium", "low"};

const char *sk_severity_name(sk_severity s)
{
	return (unsigned)s < SK_SEV__COUNT ? severity_names[s] : NULL;
}

sk_err sk_severity_parse(const char *s, sk_severity *out)
{
	for (int i = 0; s && i < SK_SEV__COUNT; i++)
		if (strcmp(s, severity_names[i]) == 0) {
			*out = (sk_severity)i;
			return SK_OK;
		}
	return SK_ERR_INVALID;
}

static sk_err add_cites(sk_buf *out, unsigned n, const char *const *c)
{
	sk_err rc = SK_OK;
	for (unsigned i = 0; rc == SK_OK && i < n; i++)
		rc = sk_buf_addf(out, "%s%s", i ? ", " : " [", c[i]);
	return rc == SK_OK && n ? sk_buf_addc(out, ']') : rc;
}

sk_err sk_policy_incident_describe(const sk_policy *p, sk_lang l, sk_buf *out)
{
	static const sk_msg_id sev_ja[SK_SEV__COUNT] = {
	    SK_M_UI_INC_SEV_HIGH, SK_M_UI_INC_SEV_MEDIUM, SK_M_UI_INC_SEV_LOW};
	const sk_incident_route *x = sk_policy_incident_route(p);
	sk_err rc =
	    sk_msg_addf(out, l, x->is_default ? SK_M_INC_CHAIN_DEFAULT : SK_M_INC_CHAIN_HEAD);
	for (unsigned i = 0; rc == SK_OK && i < x->n_steps; i++) {
		const sk_incident_step *st = &x->steps[i];
		rc = sk_buf_addf(out, "  %u. %s", i + 1, sk_policy_role_title(p, st->role, l));
		for (int v = 0; rc == SK_OK && v < SK_SEV__COUNT; v++)
			if (st->due_hours[v])
				rc = sk_msg_addf(out, l, SK_M_INC_CHAIN_DUE,
				                 l == SK_LANG_JA ? sk_msg_format(sev_ja[v], l)
				                                 : severity_names[v],
				                 st->due_hours[v]);
		if (rc == SK_OK && st->word)
			rc = sk_buf_addf(out, " (「%s」)", st->word);
		if (rc == SK_OK)
			rc = add_cites(out, st->n_citations, st->citations);
		if (rc == SK_OK)
			rc = sk_buf_addc(out, '\n');
	}
	if (rc == SK_OK && x->informed) {
		rc = sk_msg_addf(out, l, SK_M_INC_CHAIN_INFORMED);
		/* titles hold spaces in English: a comma between them */
		for (int r = 0, first = 1; rc == SK_OK && r < SK_ROLE__COUNT; r++)
			if (x->informed & (1u << r)) {
				rc = sk_buf_addf(out, "%s%s",
				                 first ? " " : (l == SK_LANG_JA ? "、" : ", "),
				                 sk_policy_role_title(p, (sk_role)r, l));
				first = 0;
			}
		if (rc == SK_OK)
			rc = add_cites(out, x->n_informed_citations, x->informed_citations);
		if (rc == SK_OK)
			rc = sk_buf_addc(out, '\n');
	}
	if (rc == SK_OK)
		rc = sk_msg_addf(out, l, SK_M_INC_CHAIN_CLOSER,
		                 sk_policy_role_title(p, x->closer, l));
	if (rc == SK_OK)
		rc = add_cites(out, x->n_close_citations, x->close_citations);
	return rc == SK_OK ? sk_buf_addc(out, '\n') : rc;
}

const sk_exception_route *sk_policy_exception_route(const sk_policy *p)
{
	return p->has_exception_route ? &p->exception_route : NULL;
}

int sk_policy_privileged_min_holders(const sk_policy *p)
{
	return p->pw[SK_KIND_PRIVILEGED].min_holders;
}

bool sk_policy_mfa_required(const sk_policy *p, sk_account_kind kind, sk_zone zone)
{
	if ((unsigned)kind < SK_KIND__COUNT && p->pw[kind].mfa)
		return true;
	return (unsigned)zone < SK_ZONE__COUNT && (p->mfa_zones & (1u << zone));
}

size_t sk_policy_retention_count(const sk_policy *p) { return p->n_retention; }

const sk_retention *sk_policy_retention_at(const sk_policy *p, size_t i)
{
	return i < p->n_retention ? &p->retention[i] : NULL;
}

const sk_retention *sk_policy_retention_find(const sk_policy *p, const char *id)
{
	for (size_t i = 0; i < p->n_retention; i++)
		if (p->retention[i].id && strcmp(p->retention[i].id, id) == 0)
			return &p->retention[i];
	return NULL;
}

size_t sk_policy_checklist_count(const sk_policy *p) { return p->n_checklist; }

const sk_checklist_item *sk_policy_checklist_at(const sk_policy *p, size_t i)
{
	return i < p->n_checklist ? &p->checklist[i] : NULL;
}

/* --- NIST SP 800-63B-4 advisories --- */

int sk_policy_advisories(const sk_policy *p, sk_lang l, sk_buf *out)
{
	int n = 0;
	const char *src = p->source;
	for (int k = 0; k < SK_KIND__COUNT; k++) {
		if (!p->has_passwords || !p->pw_kind_written[k])
			continue;
		const sk_password_rules *r = &p->pw[k];
		const sk_pw_lines *ln = &p->pw_lines[k];
		const char *kn = sk_account_kind_name((sk_account_kind)k);
		if (ln->set_require && r->require) {
			sk_msg_addf(out, l, SK_M_ADV_REQUIRE, src, ln->require, kn);
			n++;
		}
		if (ln->set_min_classes && r->min_classes) {
			sk_msg_addf(out, l, SK_M_ADV_MIN_CLASSES, src, ln->min_classes, kn);
			n++;
		}
		if (ln->set_rotation && r->rotation_required) {
			sk_msg_addf(out, l, SK_M_ADV_ROTATION, src, ln->rotation_days, kn);
			n++;
		}
		if (ln->set_max_length && r->max_length && r->max_length < 64) {
			sk_msg_addf(out, l, SK_M_ADV_MAX_LENGTH, src, ln->max_length, kn,
			            r->max_length);
			n++;
		}
		bool own_len = ln->set_min_length || k == SK_KIND_NORMAL;
		if (!own_len && !(ln->mfa && !p->pw_lines[SK_KIND_NORMAL].mfa))
			continue;
		int line = ln->min_length ? ln->min_length : ln->section;
		if (r->min_length == 0) {
			sk_msg_addf(out, l, SK_M_ADV_NO_MIN_LENGTH, src, line, kn);
			n++;
		} else if (r->min_length < 8) {
			sk_msg_addf(out, l, SK_M_ADV_MIN_LENGTH_8, src, line, kn, r->min_length);
			n++;
		} else if (r->min_length < 15 && !r->mfa) {
			sk_msg_addf(out, l, SK_M_ADV_MIN_LENGTH_15, src, line, kn, r->min_length);
			n++;
		}
	}
	return n;
}
