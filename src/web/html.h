/*
 * html: the one way text reaches a web page. A page is made by rendering
 * a template (web/templates/NAME.html, built into the binary) with named
 * values; every value is written through the HTML-escaping writer. The only
 * thing written unescaped is a fragment (sk_html_frag), which only this
 * module makes: by rendering a template. A C string cannot pass as one (it
 * is a distinct struct type), so no caller can write unescaped text by
 * accident.
 *
 * Template syntax (nothing else is special):
 *   {{name}}          the value of name, escaped (text) or, for a fragment, as rendered
 *   {{t:KEY}}         the catalog's sentence KEY (sk_msg.h, SK_M_KEY) in the page's language
 *   {{#name}}…{{/name}} the part only when name is set (non-empty text or fragment)
 *   {{^name}}…{{/name}} the part only when name is not set
 * A name is [a-z0-9_]+, a KEY [A-Z0-9_]+; sections nest properly. A value
 * not given renders as nothing (and its sections as not set).
 *
 * Templates are compiled once, not read again per page: the build
 * (embed_web.py) refuses a template that is malformed or names a catalog key
 * the catalog lacks; sk_html_init compiles every template into literal runs
 * (the catalog's sentences already in them, escaped, one program per
 * language), value slots and sections with their jumps, refusing the same
 * faults again, before the server takes a request. Rendering is then a walk
 * over that program: nothing is searched for per page.
 */
#ifndef SK_HTML_H
#define SK_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../core/sk_msg.h"

/* HTML made by this module. Free with sk_html_frag_free. */
typedef struct sk_html_frag {
	sk_buf b;
} sk_html_frag;

#define SK_HTML_FRAG_MAX (8u << 20)
#define SK_HTML_FRAG_INIT                                                                          \
	{                                                                                          \
		SK_BUF_INIT(SK_HTML_FRAG_MAX)                                                      \
	}

void sk_html_frag_free(sk_html_frag *f);

/* Appends s (len bytes) to out with & < > " ' escaped; any other byte as it is. */
sk_err sk_html_escape(sk_buf *out, const char *s, size_t len);

/* A value handed to a template. */
typedef struct sk_tv {
	const char *name;
	const char *text;         /* escaped when written; NULL: not set */
	const sk_html_frag *frag; /* written as it is; NULL: not set */
} sk_tv;

/*
 * The name must be a string literal (the "" n "" makes anything else a
 * compile error): the renderer remembers how a call's names map to the
 * template's slots by their addresses, which a literal keeps for good.
 */
#define SK_TV(n, s) ((sk_tv){("" n ""), (s), NULL})
#define SK_TF(n, f) ((sk_tv){("" n ""), NULL, (f)})

/*
 * Compiles every template built into the binary (once; later calls answer
 * the first one's result). The server calls it before it listens, so a bad
 * template stops it there; sk_html_render calls it too.
 */
sk_err sk_html_init(sk_buf *err);

/*
 * Renders the template called name with the nv values vars in language l,
 * appending to out. SK_ERR_NOT_FOUND when there is no such template,
 * SK_ERR_INVALID when the templates did not compile (sk_html_init),
 * SK_ERR_TOO_BIG when out is full. A value the template does not name is
 * not written.
 */
sk_err sk_html_render(sk_html_frag *out, const char *name, sk_lang l, const sk_tv *vars, size_t nv);

/*
 * The built-in template called name, compiled (sk_html_init), or NULL: for
 * a caller rendering it many times over (a list's rows) with
 * sk_html_render_tmpl, which then looks nothing up per row.
 */
const struct sk_html_tmpl *sk_html_find(const char *name);
/*
 * Renders the template called name as sk_html_render does, but split at the
 * value called hole (a fragment the caller sends itself, between the two
 * parts, rather than have it copied): what comes before that value is
 * appended to before, what comes after it to after, and the value is not
 * written. Where the template does not reach the value (a section not
 * shown), everything is in before. The value given for hole still decides
 * its sections ({{#hole}}: set when it is a non-empty fragment).
 */
sk_err sk_html_render_split(sk_html_frag *before, sk_html_frag *after, const char *hole,
                            const char *name, sk_lang l, const sk_tv *vars, size_t nv);
/* The template's text (for the tests), or NULL. */
const char *sk_html_template(const char *name);

/*
 * A compiled template made from text (the tests' own templates; the built-in
 * ones are compiled by sk_html_init). SK_ERR_INVALID, naming the line, for an
 * unbalanced or crossed section, a malformed tag or a catalog key the
 * catalog lacks.
 */
typedef struct sk_html_tmpl sk_html_tmpl;
sk_err sk_html_compile(const char *name, const char *text, sk_html_tmpl **out, sk_buf *err);
sk_err sk_html_render_tmpl(sk_html_frag *out, const sk_html_tmpl *t, sk_lang l, const sk_tv *vars,
                           size_t nv);
void sk_html_tmpl_free(sk_html_tmpl *t);

/* The hashed URL of a static asset ("/static/app-…css") or NULL; and the asset by its URL name. */
const char *sk_html_asset_url(const char *name);
struct sk_web_file;
const struct sk_web_file *sk_html_asset_by_url(const char *url_name, size_t len);

#endif
