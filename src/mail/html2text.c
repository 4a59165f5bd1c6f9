/* html2text: HTML mail bodies to plain text through libgumbo. */
#include "html2text.h"

#include <gumbo.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/sk_arena.h"
#include "../core/sk_msg.h"

/* What an element does to the text around it. */
enum {
	H_SKIP = 1u << 0,  /* drop the element and everything inside it */
	H_BLOCK = 1u << 1, /* starts and ends a line */
	H_PARA = 1u << 2,  /* a blank line before and after */
	H_BR = 1u << 3,    /* a line break */
	H_LI = 1u << 4,    /* a list item: "- " at the start of its line */
	H_CELL = 1u << 5,  /* a table cell: " | " between cells */
	H_PRE = 1u << 6,   /* whitespace kept as it is */
	H_HR = 1u << 7,    /* a horizontal rule */
	H_LINK = 1u << 8,  /* its address follows its text */
};

static const unsigned tag_flags[GUMBO_TAG_LAST + 1] = {
    [GUMBO_TAG_HEAD] = H_SKIP,
    [GUMBO_TAG_TITLE] = H_SKIP,
    [GUMBO_TAG_STYLE] = H_SKIP,
    [GUMBO_TAG_SCRIPT] = H_SKIP,
    [GUMBO_TAG_NOSCRIPT] = H_SKIP,
    [GUMBO_TAG_TEMPLATE] = H_SKIP,
    [GUMBO_TAG_IMAGE] = H_SKIP,
    [GUMBO_TAG_IMG] = H_SKIP,
    [GUMBO_TAG_IFRAME] = H_SKIP,
    [GUMBO_TAG_EMBED] = H_SKIP,
    [GUMBO_TAG_OBJECT] = H_SKIP,
    [GUMBO_TAG_PARAM] = H_SKIP,
    [GUMBO_TAG_VIDEO] = H_SKIP,
    [GUMBO_TAG_AUDIO] = H_SKIP,
    [GUMBO_TAG_SOURCE] = H_SKIP,
    [GUMBO_TAG_TRACK] = H_SKIP,
    [GUMBO_TAG_CANVAS] = H_SKIP,
    [GUMBO_TAG_MAP] = H_SKIP,
    [GUMBO_TAG_MATH] = H_SKIP,
    [GUMBO_TAG_SVG] = H_SKIP,
    [GUMBO_TAG_INPUT] = H_SKIP,
    [GUMBO_TAG_SELECT] = H_SKIP,
    [GUMBO_TAG_TEXTAREA] = H_SKIP,
    [GUMBO_TAG_BUTTON] = H_SKIP,
    [GUMBO_TAG_DATALIST] = H_SKIP,
    [GUMBO_TAG_KEYGEN] = H_SKIP,
    [GUMBO_TAG_RP] = H_SKIP,
    [GUMBO_TAG_ARTICLE] = H_BLOCK,
    [GUMBO_TAG_SECTION] = H_BLOCK,
    [GUMBO_TAG_NAV] = H_BLOCK,
    [GUMBO_TAG_ASIDE] = H_BLOCK,
    [GUMBO_TAG_H1] = H_PARA,
    [GUMBO_TAG_H2] = H_PARA,
    [GUMBO_TAG_H3] = H_PARA,
    [GUMBO_TAG_H4] = H_PARA,
    [GUMBO_TAG_H5] = H_PARA,
    [GUMBO_TAG_H6] = H_PARA,
    [GUMBO_TAG_HGROUP] = H_BLOCK,
    [GUMBO_TAG_HEADER] = H_BLOCK,
    [GUMBO_TAG_FOOTER] = H_BLOCK,
    [GUMBO_TAG_ADDRESS] = H_BLOCK,
    [GUMBO_TAG_P] = H_PARA,
    [GUMBO_TAG_HR] = H_HR,
    [GUMBO_TAG_PRE] = H_PARA | H_PRE,
    [GUMBO_TAG_BLOCKQUOTE] = H_PARA,
    [GUMBO_TAG_OL] = H_BLOCK,
    [GUMBO_TAG_UL] = H_BLOCK,
    [GUMBO_TAG_LI] = H_BLOCK | H_LI,
    [GUMBO_TAG_DL] = H_BLOCK,
    [GUMBO_TAG_DT] = H_BLOCK,
    [GUMBO_TAG_DD] = H_BLOCK,
    [GUMBO_TAG_FIGURE] = H_BLOCK,
    [GUMBO_TAG_FIGCAPTION] = H_BLOCK,
    [GUMBO_TAG_MAIN] = H_BLOCK,
    [GUMBO_TAG_DIV] = H_BLOCK,
    [GUMBO_TAG_A] = H_LINK,
    [GUMBO_TAG_BR] = H_BR,
    [GUMBO_TAG_TABLE] = H_BLOCK,
    [GUMBO_TAG_CAPTION] = H_BLOCK,
    [GUMBO_TAG_TR] = H_BLOCK,
    [GUMBO_TAG_TD] = H_CELL,
    [GUMBO_TAG_TH] = H_CELL,
    [GUMBO_TAG_FORM] = H_BLOCK,
    [GUMBO_TAG_FIELDSET] = H_BLOCK,
    [GUMBO_TAG_LEGEND] = H_BLOCK,
};

/* The text being written, with the whitespace still owed to it. */
typedef struct writer {
	sk_buf *out;
	size_t start;      /* out->len when this conversion began */
	int nl_owed;       /* newlines to write before the next text (at most 2) */
	int space_owed;    /* a collapsed space before the next text */
	int line_has_text; /* the current line holds something */
	int li_owed;       /* "- " before the next text */
	int cell_owed;     /* " | " before the next text */
	int pre;           /* depth inside <pre> */
	sk_err e;
} writer;

static void w_raw(writer *w, const char *s, size_t n)
{
	if (!w->e)
		w->e = sk_buf_add(w->out, s, n);
}

/* Writes what is owed before text: newlines, list marks, separators, a space. */
static void w_owed(writer *w)
{
	if (w->nl_owed && w->out->len > w->start) {
		w_raw(w, "\n\n", (size_t)w->nl_owed);
		w->line_has_text = 0;
	}
	w->nl_owed = 0;
	if (w->li_owed) {
		w_raw(w, "- ", 2);
		w->line_has_text = 1;
		w->li_owed = 0;
		w->space_owed = 0;
	}
	if (w->cell_owed) {
		if (w->line_has_text)
			w_raw(w, " | ", 3);
		w->cell_owed = 0;
		w->space_owed = 0;
	}
	if (w->space_owed && w->line_has_text)
		w_raw(w, " ", 1);
	w->space_owed = 0;
}

static void w_newlines(writer *w, int n)
{
	/* A line that is already empty counts as one of the newlines asked for. */
	int need = w->line_has_text ? n : n - 1;
	if (need > w->nl_owed)
		w->nl_owed = need;
	w->space_owed = 0;
}

static int is_html_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void w_text(writer *w, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	if (w->pre) {
		for (; p < end; p++) {
			if (*p == '\n') {
				w_raw(w, "\n", 1);
				w->line_has_text = 0;
				continue;
			}
			w_owed(w);
			w_raw(w, (const char *)p, 1);
			w->line_has_text = 1;
		}
		return;
	}
	while (p < end) {
		if (is_html_space(*p)) {
			w->space_owed = 1;
			p++;
			continue;
		}
		const unsigned char *q = p;
		while (q < end && !is_html_space(*q))
			q++;
		w_owed(w);
		w_raw(w, (const char *)p, (size_t)(q - p));
		w->line_has_text = 1;
		p = q;
	}
}

/* Schemes whose addresses are shown; anything else (javascript:, data:, ...) is dropped. */
static const char *const shown_schemes[] = {"http://", "https://", "ftp://", "mailto:"};

static int shown_url(const char *url)
{
	for (size_t i = 0; i < sizeof(shown_schemes) / sizeof(shown_schemes[0]); i++)
		if (strncasecmp(url, shown_schemes[i], strlen(shown_schemes[i])) == 0)
			return 1;
	return 0;
}

sk_err sk_mail_defang_url(const char *url, size_t len, sk_buf *out)
{
	sk_err e = SK_OK;
	size_t i = 0;
	if (len >= 4 && strncasecmp(url, "http", 4) == 0) {
		e = sk_buf_add(out, "hxxp", 4);
		i = 4;
	} else if (len >= 3 && strncasecmp(url, "ftp", 3) == 0) {
		e = sk_buf_add(out, "fxp", 3);
		i = 3;
	}
	for (; i < len && !e; i++)
		e = url[i] == '.' ? sk_buf_add(out, "[.]", 3)
		    : url[i] == ':' && i + 2 < len && url[i + 1] == '/' && url[i + 2] == '/'
		        ? sk_buf_add(out, "[:]", 3)
		        : sk_buf_addc(out, url[i]);
	return e;
}

static int is_hidden(const GumboElement *el)
{
	if (gumbo_get_attribute(&el->attributes, "hidden"))
		return 1;
	const GumboAttribute *st = gumbo_get_attribute(&el->attributes, "style");
	if (!st)
		return 0;
	/* display:none and visibility:hidden hide text from the reader, not from us. */
	char squeezed[256];
	size_t n = 0;
	for (const char *p = st->value; *p && n + 1 < sizeof(squeezed); p++)
		if (!is_html_space((unsigned char)*p))
			squeezed[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	squeezed[n] = '\0';
	return strstr(squeezed, "display:none") || strstr(squeezed, "visibility:hidden");
}

/* One open element on the walk: which child comes next, and its link if any. */
typedef struct frame {
	const GumboNode *node;
	unsigned i;
	unsigned flags;
	const char *href;
	size_t text_start;
} frame;

static void enter(writer *w, frame *f)
{
	unsigned fl = f->flags;
	if (fl & (H_BLOCK | H_PARA | H_HR))
		w_newlines(w, fl & H_PARA ? 2 : 1);
	if (fl & H_BR) {
		w_owed(w);
		w_raw(w, "\n", 1);
		w->line_has_text = 0;
		w->space_owed = 0;
	}
	if (fl & H_HR) {
		w_owed(w);
		w_raw(w, "----", 4);
		w->line_has_text = 1;
		w_newlines(w, 1);
	}
	if (fl & H_LI)
		w->li_owed = 1;
	if (fl & H_CELL)
		w->cell_owed = 1;
	if (fl & H_PRE)
		w->pre++;
	f->text_start = w->out->len;
}

/* --- a link's text that shows another host than the link's own --- */

#define HOST_MAX 256

static bool host_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

/* Copies a host of n bytes lower-cased, without a trailing dot; false when it is none. */
static bool take_host(const char *h, size_t n, char out[HOST_MAX])
{
	while (n && h[n - 1] == '.')
		n--;
	if (!n || n >= HOST_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 : h[i]);
	out[n] = '\0';
	return true;
}

/* The host an address leads to: after "scheme://" and any "user@", or a mailto's domain. */
static bool href_host(const char *href, char out[HOST_MAX])
{
	const char *h;
	if (strncasecmp(href, "mailto:", 7) == 0) {
		const char *at = strchr(href + 7, '@');
		if (!at)
			return false;
		h = at + 1;
		return take_host(h, strcspn(h, "?>,; "), out);
	}
	const char *sep = strstr(href, "://");
	if (!sep)
		return false;
	h = sep + 3;
	size_t auth = strcspn(h, "/?#");
	const char *at = memchr(h, '@', auth);
	while (at) { /* the last '@' of the authority ends the user part */
		auth -= (size_t)(at + 1 - h);
		h = at + 1;
		at = memchr(h, '@', auth);
	}
	if (*h == '[') /* an IPv6 literal: compared as it is written */
		return take_host(h, strcspn(h, "]/?#") + (h[strcspn(h, "]/?#")] == ']'), out);
	return take_host(h, strcspn(h, ":/?#"), out);
}

/*
 * The host the text of a link shows, if it shows one: a URL's host, an
 * address's domain, or a word that looks like a domain name (letters, digits
 * and hyphens in labels joined by dots, the last label letters only).
 */
static bool text_host(const char *t, size_t n, char out[HOST_MAX])
{
	for (size_t i = 0; i < n;) {
		if (!host_char((unsigned char)t[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && host_char((unsigned char)t[j]))
			j++;
		/* "https://host": the word before "://" is the scheme; the host follows. */
		if (j + 3 <= n && memcmp(t + j, "://", 3) == 0) {
			size_t k = j + 3, a = k;
			while (k < n && (host_char((unsigned char)t[k]) || t[k] == '@')) {
				if (t[k] == '@')
					a = k + 1;
				k++;
			}
			if (k > a)
				return take_host(t + a, k - a, out);
			i = k;
			continue;
		}
		/* user@host: the host. */
		size_t w0 = i;
		if (j < n && t[j] == '@') {
			w0 = j + 1;
			j = w0;
			while (j < n && host_char((unsigned char)t[j]))
				j++;
		}
		size_t wl = j - w0;
		while (wl && t[w0 + wl - 1] == '.')
			wl--;
		const char *dot = wl ? memchr(t + w0, '.', wl) : NULL;
		if (dot) {
			const char *last = t + w0 + wl;
			const char *ld = last;
			while (ld > t + w0 && ld[-1] != '.')
				ld--;
			size_t tld = (size_t)(last - ld);
			bool alpha = tld >= 2;
			for (const char *c = ld; alpha && c < last; c++)
				alpha = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z');
			if (alpha && t[w0] != '.' && t[w0] != '-')
				return take_host(t + w0, wl, out);
		}
		i = j;
	}
	return false;
}

/* Whether a and b are one host, or one is a subdomain of the other. */
static bool same_site(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la == lb)
		return strcmp(a, b) == 0;
	const char *longer = la > lb ? a : b, *shorter = la > lb ? b : a;
	size_t ll = la > lb ? la : lb, ls = la > lb ? lb : la;
	return longer[ll - ls - 1] == '.' && strcmp(longer + ll - ls, shorter) == 0;
}

static void check_link(const sk_mail_html_opts *opts, const char *text, size_t tl, const char *href)
{
	char shown[HOST_MAX], target[HOST_MAX];
	if (!opts->on_link_mismatch || !text_host(text, tl, shown) || !href_host(href, target))
		return;
	if (!same_site(shown, target))
		opts->on_link_mismatch(opts->link_ctx, shown, target);
}

static void leave(writer *w, const frame *f, const sk_mail_html_opts *opts)
{
	bool defang = opts->defang_links;
	unsigned fl = f->flags;
	if (fl & H_PRE)
		w->pre--;
	if ((fl & H_LINK) && f->href) {
		size_t hl = strlen(f->href);
		const char *text = w->out->data + f->text_start;
		size_t tl = w->out->len - f->text_start;
		while (tl > 0 &&
		       is_html_space((unsigned char)*text)) { /* newlines owed before it */
			text++;
			tl--;
		}
		check_link(opts, text, tl, f->href);
		const char *bare = f->href;
		if (strncasecmp(bare, "mailto:", 7) == 0)
			bare += 7;
		/* A link whose text is its own address is shown once. */
		if (!(tl == strlen(bare) && memcmp(text, bare, tl) == 0) &&
		    !(tl == hl && memcmp(text, f->href, tl) == 0)) {
			w_owed(w);
			if (w->line_has_text)
				w_raw(w, " ", 1);
			w_raw(w, "<", 1);
			if (defang) {
				if (!w->e)
					w->e = sk_mail_defang_url(f->href, hl, w->out);
			} else {
				w_raw(w, f->href, hl);
			}
			w_raw(w, ">", 1);
			w->line_has_text = 1;
		}
	}
	if (fl & (H_BLOCK | H_PARA))
		w_newlines(w, fl & H_PARA ? 2 : 1);
}

/* Parser memory: everything from one capped arena; past the cap, the parse is abandoned. */
typedef struct parse_mem {
	sk_arena arena;
	jmp_buf abandon;
} parse_mem;

static void *gumbo_alloc(void *userdata, size_t size)
{
	parse_mem *m = userdata;
	void *p = sk_arena_alloc(&m->arena, size);
	if (!p)
		longjmp(m->abandon,
		        1); /* gumbo cannot handle NULL; nothing of it outlives the arena */
	return p;
}

static void gumbo_free(void *userdata, void *p)
{
	(void)userdata;
	(void)p;
}

/* Start tags in the input: an upper bound of the tree's depth, counted before parsing. */
static size_t count_tags(const char *s, size_t n)
{
	size_t count = 0;
	const char *end = s + n;
	while ((s = memchr(s, '<', (size_t)(end - s))) != NULL) {
		s++;
		if (s < end && ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z'))
			count++;
	}
	return count;
}

static sk_err walk(const GumboNode *root, const sk_mail_html_opts *opts, writer *w, sk_buf *err)
{
	size_t cap = 64, depth = 0;
	frame *stack = malloc(cap * sizeof(*stack));
	if (!stack)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory converting HTML");
	stack[depth++] = (frame){.node = root};
	while (depth > 0 && !w->e) {
		frame *f = &stack[depth - 1];
		const GumboVector *kids =
		    f->node->type == GUMBO_NODE_ELEMENT || f->node->type == GUMBO_NODE_TEMPLATE
		        ? &f->node->v.element.children
		    : f->node->type == GUMBO_NODE_DOCUMENT ? &f->node->v.document.children
		                                           : NULL;
		if (!kids || f->i >= kids->length) {
			leave(w, f, opts);
			depth--;
			continue;
		}
		const GumboNode *child = kids->data[f->i++];
		switch (child->type) {
		case GUMBO_NODE_TEXT:
		case GUMBO_NODE_CDATA:
		case GUMBO_NODE_WHITESPACE:
			w_text(w, child->v.text.text, strlen(child->v.text.text));
			continue;
		case GUMBO_NODE_ELEMENT:
			break;
		default:
			continue; /* comments, templates, the document */
		}
		const GumboElement *el = &child->v.element;
		unsigned fl = el->tag <= GUMBO_TAG_LAST ? tag_flags[el->tag] : 0;
		if (el->tag_namespace != GUMBO_NAMESPACE_HTML || (fl & H_SKIP) || is_hidden(el))
			continue;
		if (depth == cap) {
			frame *bigger = realloc(stack, 2 * cap * sizeof(*stack));
			if (!bigger) {
				free(stack);
				return sk_fail(err, SK_ERR_NOMEM, "out of memory converting HTML");
			}
			stack = bigger;
			cap *= 2;
		}
		frame *nf = &stack[depth++];
		*nf = (frame){.node = child, .flags = fl};
		if (fl & H_LINK) {
			const GumboAttribute *href = gumbo_get_attribute(&el->attributes, "href");
			if (href && shown_url(href->value))
				nf->href = href->value;
		}
		enter(w, nf);
	}
	free(stack);
	return w->e;
}

sk_err sk_mail_html_to_text(const char *html, size_t len, const sk_mail_html_opts *opts,
                            sk_buf *out, sk_buf *err)
{
	size_t tags = count_tags(html, len);
	if (tags > opts->max_tags)
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_MAIL_HTML_HAS_TAGS_MORE,
		                   tags, opts->max_tags);
	parse_mem *m = calloc(1, sizeof(*m));
	if (!m)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory converting HTML");
	m->arena.max = opts->max_memory;
	GumboOptions go = kGumboDefaultOptions;
	go.allocator = gumbo_alloc;
	go.deallocator = gumbo_free;
	go.userdata = m;
	go.max_errors = 0;
	volatile sk_err e;
	if (setjmp(m->abandon) == 0) {
		GumboOutput *g = gumbo_parse_with_options(&go, html, len);
		writer w = {.out = out, .start = out->len};
		e = walk(g->document, opts, &w, err);
		if (e == SK_ERR_TOO_BIG)
			sk_fail_msg(err, e, NULL, NULL, SK_M_MAIL_TEXT_HTML_LONGER_LIMIT);
		/* Trailing whitespace owed is simply not written. */
	} else {
		e = sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_MAIL_PARSING_HTML_NEEDED_MORE,
		                opts->max_memory);
	}
	sk_arena_free(&m->arena);
	free(m);
	return e;
}
