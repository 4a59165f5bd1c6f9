/*
 * html: the escaping writer, the template compiler and the renderer (see
 * html.h). A template is compiled once into a program per language: literal
 * runs (the template's markup with the catalog's sentences, already escaped,
 * merged in), value slots and sections, each section's opening op holding
 * where to jump when it is skipped. A page's render binds the values given
 * to the template's slots and walks the program; the binding of a call's
 * names to slots is remembered (by the names' addresses, string literals,
 * html.h), so that a row rendered fifty times compares no name twice.
 */
#include "html.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_files.h"

void sk_html_frag_free(sk_html_frag *f) { sk_buf_free(&f->b); }

/* The replacement of each byte that needs one (index into REP), 0 for the others. */
static const unsigned char esc_of[256] = {['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5};
static const struct {
	const char *s;
	size_t n;
} REP[] = {{"", 0}, {"&amp;", 5}, {"&lt;", 4}, {"&gt;", 4}, {"&quot;", 6}, {"&#39;", 5}};

/*
 * sk_buf_add without the call while the bytes fit (a page makes some
 * thousand small appends); up to 16 bytes are copied by fixed-size moves,
 * which the compiler makes plain loads and stores, not a call to memcpy.
 */
static inline sk_err put(sk_buf *b, const char *p, size_t n)
{
	if (n < b->cap - b->len) { /* cap > len whenever cap > 0; cap <= max + 1 */
		char *d = b->data + b->len;
		if (n >= 8 && n <= 16) {
			memcpy(d, p, 8);
			memcpy(d + n - 8, p + n - 8, 8);
		} else if (n >= 4 && n < 8) {
			memcpy(d, p, 4);
			memcpy(d + n - 4, p + n - 4, 4);
		} else if (n < 4) {
			for (size_t i = 0; i < n; i++)
				d[i] = p[i];
		} else {
			memcpy(d, p, n);
		}
		b->len += n;
		b->data[b->len] = '\0';
		return SK_OK;
	}
	return sk_buf_add(b, p, n);
}

/*
 * The bytes of x (eight, little-endian) that are one of the five needing
 * escaping, as the high bit of each (SWAR). The lowest bit set is exact (a
 * borrow can mark a byte only above a true match), which is all escape_from
 * uses; no bit set means none of the eight bytes needs anything. Three tests
 * for the five: & (0x26) and ' (0x27) are the bytes that are 0x27 with the
 * low bit set, < (0x3c) and > (0x3e) those that are 0x3e with bit 1 set.
 */
static inline uint64_t special_bits(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
#define ZERO(y) (((y)-ones) & ~(y)&highs)
	uint64_t amp_apos = (x | ones) ^ (ones * 0x27), lt_gt = (x | (ones * 2)) ^ (ones * 0x3e),
	         quot = x ^ (ones * '"');
	return ZERO(amp_apos) | ZERO(lt_gt) | ZERO(quot);
#undef ZERO
}

/* The n (< 8) bytes at p as a word, the rest zero: a zero byte is none of the five. */
static inline uint64_t load_short(const unsigned char *p, size_t n)
{
	uint64_t x = 0;
	unsigned char *d = (unsigned char *)&x;
	if (n >= 4) {
		memcpy(d, p, 4);
		memcpy(d + n - 4, p + n - 4, 4);
	} else {
		for (size_t i = 0; i < n; i++)
			d[i] = p[i];
	}
	return x;
}

/*
 * The escaping of s: from each byte that needs a replacement to the next,
 * found eight bytes at a time (the lowest marked byte of a word), the text
 * between copied at once.
 */
static sk_err escape_from(sk_buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t from = 0, i = 0;
	while (i < len) {
		size_t n = len - i;
		uint64_t x;
		if (n >= 8)
			memcpy(&x, u + i, 8);
		else
			x = load_short(u + i, n);
		uint64_t m = special_bits(x);
		if (!m) {
			i += n >= 8 ? 8 : n;
			continue;
		}
		i += (size_t)__builtin_ctzll(m) / 8;
		unsigned k = esc_of[u[i]];
		sk_err e = put(out, s + from, i - from);
		if (!e)
			e = put(out, REP[k].s, REP[k].n);
		if (e)
			return e;
		from = ++i;
	}
	return put(out, s + from, len - from);
}

/*
 * Most values need nothing replaced: they are looked through first (eight
 * bytes at a time, the last word overlapping the one before it) and then
 * copied at once; a byte that needs a replacement hands over to escape_from.
 */
static inline sk_err escape(sk_buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (len < 8) { /* most values (codes, levels, numbers): a byte at a time is cheaper */
		for (size_t i = 0; i < len; i++)
			if (esc_of[u[i]])
				return escape_from(out, s, len);
		return put(out, s, len);
	}
	uint64_t x, m = 0;
	for (size_t i = 0; !m && len - i > 8; i += 8) {
		memcpy(&x, u + i, 8);
		m = special_bits(x);
	}
	if (!m) {
		memcpy(&x, u + len - 8, 8);
		m = special_bits(x);
	}
	return m ? escape_from(out, s, len) : put(out, s, len);
}

sk_err sk_html_escape(sk_buf *out, const char *s, size_t len) { return escape(out, s, len); }

const char *sk_html_template(const char *name)
{
	for (const sk_web_file *f = sk_web_templates; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f->data;
	return NULL;
}

/* The static assets' URLs ("/static/" and the hashed name), made once with the templates. */
#define ASSET_URLS 16
static char asset_urls[ASSET_URLS][128];
static void init_once(void);
static pthread_once_t once = PTHREAD_ONCE_INIT;

const char *sk_html_asset_url(const char *name)
{
	pthread_once(&once, init_once);
	size_t i = 0;
	for (const sk_web_file *f = sk_web_assets; f->name && i < ASSET_URLS; f++, i++)
		if (strcmp(f->name, name) == 0)
			return asset_urls[i];
	return NULL;
}

const sk_web_file *sk_html_asset_by_url(const char *url_name, size_t len)
{
	for (const sk_web_file *f = sk_web_assets; f->name; f++)
		if (strlen(f->url) == len && memcmp(f->url, url_name, len) == 0)
			return f;
	return NULL;
}

/* --- the compiled form --- */

#define SLOTS_MAX 64 /* names one template may use */
#define NO_SLOT   0xFF
#define SIGS      8 /* remembered bindings per template: its call sites */
#define LANGS     2 /* SK_LANG_EN, SK_LANG_JA */

enum { OP_LIT, OP_VAR, OP_IF, OP_IFNOT };

/* LIT: a, b the run's offset and length in the pool; IF/IFNOT: a the op after the section. */
typedef struct op {
	uint8_t kind, slot;
	uint32_t a, b;
} op;

typedef struct prog {
	op *ops;
	size_t n, cap;
	sk_buf pool;
} prog;

/* A call's names (their addresses) and the slot of each (NO_SLOT: not the template's). */
typedef struct sig {
	size_t nv;
	const char **names;
	uint8_t *slot;
} sig;

struct sk_html_tmpl {
	char *name;
	prog p[LANGS];
	char *slots[SLOTS_MAX];
	size_t nslots;
	struct sigs {
		_Atomic(sig *) s[SIGS];
	} * sigs; /* written while the template is shared: apart from it */
};

/* The template as parsed, before it is lowered into one program per language. */
enum { I_LIT, I_MSG, I_VAR, I_OPEN, I_OPEN_NOT, I_CLOSE };
typedef struct item {
	int kind;
	const char *text; /* I_LIT */
	size_t len;       /* I_LIT */
	int id;           /* I_MSG: the catalog's id; I_VAR, I_OPEN*, I_CLOSE: the slot */
} item;

static unsigned line_of(const char *text, const char *at)
{
	unsigned n = 1;
	for (const char *p = text; p < at; p++)
		n += *p == '\n';
	return n;
}

static bool name_ok(const char *s, size_t n, bool key)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = (c >= '0' && c <= '9') || c == '_' ||
		          (key ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z'));
		if (!ok)
			return false;
	}
	return true;
}

static int slot_of(sk_html_tmpl *t, const char *name, size_t n)
{
	for (size_t i = 0; i < t->nslots; i++)
		if (strlen(t->slots[i]) == n && memcmp(t->slots[i], name, n) == 0)
			return (int)i;
	if (t->nslots == SLOTS_MAX)
		return -1;
	t->slots[t->nslots] = strndup(name, n);
	if (!t->slots[t->nslots])
		return -1;
	return (int)t->nslots++;
}

static sk_err emit(prog *p, int kind, int slot, size_t a, size_t b)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		op *o = realloc(p->ops, cap * sizeof(*o));
		if (!o)
			return SK_ERR_NOMEM;
		p->ops = o;
		p->cap = cap;
	}
	p->ops[p->n++] = (op){(uint8_t)kind, (uint8_t)slot, (uint32_t)a, (uint32_t)b};
	return SK_OK;
}

/* The parsed items as the program of language l: literal runs merged, sections' jumps set. */
static sk_err lower(const item *it, size_t n, sk_lang l, prog *p)
{
	size_t stack[SLOTS_MAX * 2], depth = 0, run = 0; /* run: where the pending literal began */
	sk_err e = SK_OK;
	p->pool = (sk_buf)SK_BUF_INIT(SK_HTML_FRAG_MAX);
	for (size_t i = 0; i <= n && !e; i++) {
		if (i < n && it[i].kind == I_LIT) {
			e = sk_buf_add(&p->pool, it[i].text, it[i].len);
			continue;
		}
		if (i < n && it[i].kind == I_MSG) {
			const char *s = sk_msg_format((sk_msg_id)it[i].id, l);
			e = sk_html_escape(&p->pool, s, strlen(s));
			continue;
		}
		if (p->pool.len > run && (e = emit(p, OP_LIT, 0, run, p->pool.len - run)))
			break;
		run = p->pool.len;
		if (i == n)
			break;
		switch (it[i].kind) {
		case I_VAR:
			e = emit(p, OP_VAR, it[i].id, 0, 0);
			break;
		case I_OPEN:
		case I_OPEN_NOT:
			if (depth == sizeof(stack) / sizeof(stack[0]))
				return SK_ERR_TOO_BIG;
			stack[depth++] = p->n;
			e = emit(p, it[i].kind == I_OPEN ? OP_IF : OP_IFNOT, it[i].id, 0, 0);
			break;
		case I_CLOSE:
			p->ops[stack[--depth]].a = (uint32_t)p->n;
			break;
		}
	}
	return e;
}

void sk_html_tmpl_free(sk_html_tmpl *t)
{
	if (!t)
		return;
	free(t->name);
	for (int l = 0; l < LANGS; l++) {
		free(t->p[l].ops);
		sk_buf_free(&t->p[l].pool);
	}
	for (size_t i = 0; i < t->nslots; i++)
		free(t->slots[i]);
	for (int i = 0; t->sigs && i < SIGS; i++) {
		sig *g = atomic_load(&t->sigs->s[i]);
		if (g) {
			free(g->names);
			free(g->slot);
			free(g);
		}
	}
	free(t->sigs);
	free(t);
}

sk_err sk_html_compile(const char *name, const char *text, sk_html_tmpl **out, sk_buf *err)
{
	*out = NULL;
	sk_html_tmpl *t = calloc(1, sizeof(*t));
	item *it = NULL;
	size_t n = 0, cap = 0, open[SLOTS_MAX * 2], depth = 0;
	const char *bad = NULL, *why = NULL;
	sk_err e = SK_OK;
	if (!t || !(t->name = strdup(name)) || !(t->sigs = calloc(1, sizeof(*t->sigs)))) {
		e = SK_ERR_NOMEM;
		goto out;
	}
	for (const char *p = text; *p;) {
		if (n + 2 > cap) {
			cap = cap ? cap * 2 : 64;
			item *x = realloc(it, cap * sizeof(*x));
			if (!x) {
				e = SK_ERR_NOMEM;
				goto out;
			}
			it = x;
		}
		const char *o = strstr(p, "{{");
		if (!o) {
			it[n++] = (item){I_LIT, p, strlen(p), 0};
			break;
		}
		if (o > p)
			it[n++] = (item){I_LIT, p, (size_t)(o - p), 0};
		const char *c = strstr(o + 2, "}}");
		if (!c) {
			bad = o, why = "a {{ without its }}";
			break;
		}
		const char *tag = o + 2;
		size_t tn = (size_t)(c - tag);
		p = c + 2;
		if (tn > 2 && tag[0] == 't' && tag[1] == ':') {
			char key[96];
			if (tn - 2 >= sizeof(key) || !name_ok(tag + 2, tn - 2, true)) {
				bad = o, why = "a malformed catalog key";
				break;
			}
			memcpy(key, tag + 2, tn - 2);
			key[tn - 2] = '\0';
			int id = sk_msg_find(key);
			if (id < 0) {
				bad = o, why = "a catalog key the catalog lacks";
				break;
			}
			it[n++] = (item){I_MSG, NULL, 0, id};
			continue;
		}
		bool sec = tn > 0 && (tag[0] == '#' || tag[0] == '^' || tag[0] == '/');
		const char *nm = sec ? tag + 1 : tag;
		size_t nn = sec ? tn - 1 : tn;
		if (!name_ok(nm, nn, false)) {
			bad = o, why = "a malformed tag";
			break;
		}
		int slot = slot_of(t, nm, nn);
		if (slot < 0) {
			bad = o, why = "too many names";
			break;
		}
		if (!sec) {
			it[n++] = (item){I_VAR, NULL, 0, slot};
		} else if (tag[0] != '/') {
			if (depth == sizeof(open) / sizeof(open[0])) {
				bad = o, why = "sections nested too deep";
				break;
			}
			open[depth++] = (size_t)slot;
			it[n++] = (item){tag[0] == '#' ? I_OPEN : I_OPEN_NOT, NULL, 0, slot};
		} else {
			if (depth == 0 || open[depth - 1] != (size_t)slot) {
				bad = o, why = depth ? "a section closed across another"
				                     : "a section closed that is not open";
				break;
			}
			depth--;
			it[n++] = (item){I_CLOSE, NULL, 0, slot};
		}
	}
	if (!bad && depth) {
		bad = text + strlen(text), why = "a section not closed";
	}
	if (bad) {
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WEB_TEMPLATE_BAD, name,
		                line_of(text, bad), why);
		goto out;
	}
	for (int l = 0; l < LANGS && !e; l++)
		e = lower(it, n, (sk_lang)l, &t->p[l]);
	if (e)
		sk_fail_msg(err, e, NULL, NULL, SK_M_WEB_TEMPLATE_COMPILE, name);
out:
	free(it);
	if (e)
		sk_html_tmpl_free(t);
	else
		*out = t;
	return e;
}

/* --- the built-in templates, compiled once --- */

static sk_html_tmpl **compiled; /* in the order of sk_web_templates (sorted by name) */
static size_t ncompiled;
static sk_err init_err;
static char init_msg[512];

static int by_name(const void *a, const void *b)
{
	return strcmp((*(sk_html_tmpl *const *)a)->name, (*(sk_html_tmpl *const *)b)->name);
}

static void init_once(void)
{
	size_t k = 0;
	for (const sk_web_file *f = sk_web_assets; f->name && k < ASSET_URLS; f++, k++)
		snprintf(asset_urls[k], sizeof(asset_urls[k]), "/static/%s", f->url);
	size_t n = 0;
	while (sk_web_templates[n].name)
		n++;
	compiled = calloc(n ? n : 1, sizeof(sk_html_tmpl *));
	if (!compiled) {
		init_err = SK_ERR_NOMEM;
		return;
	}
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	for (size_t i = 0; i < n; i++) {
		init_err = sk_html_compile(sk_web_templates[i].name, sk_web_templates[i].data,
		                           &compiled[i], &err);
		if (init_err) {
			snprintf(init_msg, sizeof(init_msg), "%s", err.data);
			break;
		}
		ncompiled++;
	}
	sk_buf_free(&err);
	qsort(compiled, ncompiled, sizeof(sk_html_tmpl *), by_name);
}

sk_err sk_html_init(sk_buf *err)
{
	pthread_once(&once, init_once);
	if (init_err)
		return sk_fail(err, init_err, "%s",
		               init_msg[0] ? init_msg : "templates not compiled");
	return SK_OK;
}

static const sk_html_tmpl *find(const char *name)
{
	size_t lo = 0, hi = ncompiled;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, compiled[mid]->name);
		if (c == 0)
			return compiled[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* --- rendering --- */

/* Binds vars to t's slots: from a remembered binding of the same names, else by name. */
static void bind(const sk_html_tmpl *t, const sk_tv *vars, size_t nv, const sk_tv **bound)
{
	for (int s = 0; s < SIGS; s++) {
		const sig *g = atomic_load_explicit(&t->sigs->s[s], memory_order_acquire);
		if (!g)
			break;
		if (g->nv != nv)
			continue;
		size_t i = 0;
		while (i < nv && g->names[i] == vars[i].name)
			i++;
		if (i < nv)
			continue;
		for (i = nv; i-- > 0;) /* backwards: the first of a name given twice wins */
			if (g->slot[i] != NO_SLOT)
				bound[g->slot[i]] = &vars[i];
		return;
	}
	/* Remembered only while there is a place for it: past SIGS call sites, bound by name. */
	bool room = !atomic_load_explicit(&t->sigs->s[SIGS - 1], memory_order_acquire);
	sig *g = room ? malloc(sizeof(*g)) : NULL;
	const char **names = g ? malloc((nv ? nv : 1) * sizeof(*names)) : NULL;
	uint8_t *slot = names ? malloc(nv ? nv : 1) : NULL;
	for (size_t i = nv; i-- > 0;) {
		uint8_t k = NO_SLOT;
		for (size_t j = 0; j < t->nslots; j++)
			if (strcmp(t->slots[j], vars[i].name) == 0) {
				k = (uint8_t)j;
				break;
			}
		if (k != NO_SLOT)
			bound[k] = &vars[i];
		if (slot)
			slot[i] = k;
		if (names)
			names[i] = vars[i].name;
	}
	if (!g || !names || !slot)
		goto drop;
	*g = (sig){nv, names, slot};
	for (int s = 0; s < SIGS; s++) {
		sig *none = NULL;
		if (atomic_compare_exchange_strong(&t->sigs->s[s], &none, g))
			return;
	}
drop: /* every place taken (or no memory): this call site binds by name each time */
	free(g);
	free(names);
	free(slot);
}

static bool is_set(const sk_tv *v)
{
	return v && ((v->text && *v->text) || (v->frag && v->frag->b.len));
}

const sk_html_tmpl *sk_html_find(const char *name)
{
	pthread_once(&once, init_once);
	return init_err ? NULL : find(name);
}

/*
 * The walk over t's program for language l, appending to out; at the value
 * of slot hole (if any, and only its first), the rest goes to after instead
 * and the value itself is not written (sk_html_render_split).
 */
static sk_err render(sk_html_frag *out, sk_html_frag *after, int hole, const sk_html_tmpl *t,
                     sk_lang l, const sk_tv *vars, size_t nv)
{
	const sk_tv *bound[SLOTS_MAX];
	memset(bound, 0, t->nslots * sizeof(const sk_tv *));
	bind(t, vars, nv, bound);
	const prog *p = &t->p[l == SK_LANG_JA ? SK_LANG_JA : SK_LANG_EN];
	const char *pool = p->pool.data;
	sk_buf *b = &out->b;
	sk_err e = SK_OK;
	for (size_t i = 0; i < p->n && !e;) {
		const op *o = &p->ops[i++];
		const sk_tv *v;
		switch (o->kind) {
		case OP_LIT:
			e = put(b, pool + o->a, o->b);
			break;
		case OP_VAR:
			v = bound[o->slot];
			if (o->slot == hole) {
				b = &after->b;
				hole = -1;
			} else if (v && v->frag) {
				e = put(b, v->frag->b.data, v->frag->b.len);
			} else if (v && v->text) {
				e = escape(b, v->text, strlen(v->text));
			}
			break;
		case OP_IF:
			if (!is_set(bound[o->slot]))
				i = o->a;
			break;
		default: /* OP_IFNOT */
			if (is_set(bound[o->slot]))
				i = o->a;
			break;
		}
	}
	return e;
}

sk_err sk_html_render_tmpl(sk_html_frag *out, const sk_html_tmpl *t, sk_lang l, const sk_tv *vars,
                           size_t nv)
{
	return render(out, NULL, -1, t, l, vars, nv);
}

sk_err sk_html_render_split(sk_html_frag *before, sk_html_frag *after, const char *hole,
                            const char *name, sk_lang l, const sk_tv *vars, size_t nv)
{
	const sk_html_tmpl *t = sk_html_find(name);
	if (!t)
		return init_err ? SK_ERR_INVALID : SK_ERR_NOT_FOUND;
	int slot = -1;
	for (size_t j = 0; j < t->nslots && slot < 0; j++)
		if (strcmp(t->slots[j], hole) == 0)
			slot = (int)j;
	return render(before, after, slot, t, l, vars, nv);
}

sk_err sk_html_render(sk_html_frag *out, const char *name, sk_lang l, const sk_tv *vars, size_t nv)
{
	pthread_once(&once, init_once);
	if (init_err)
		return SK_ERR_INVALID;
	const sk_html_tmpl *t = find(name);
	if (!t)
		return SK_ERR_NOT_FOUND;
	return sk_html_render_tmpl(out, t, l, vars, nv);
}
