/* html: the escaping writer and the template renderer (see html.h). */
#include "html.h"

#include <stdio.h>
#include <string.h>

#include "web_files.h"

void sk_html_frag_free(sk_html_frag *f) { sk_buf_free(&f->b); }

sk_err sk_html_escape(sk_buf *out, const char *s, size_t len)
{
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		sk_err e = sk_buf_add(out, s + from, i - from);
		if (!e)
			e = sk_buf_adds(out, rep);
		if (e)
			return e;
		from = i + 1;
	}
	return sk_buf_add(out, s + from, len - from);
}

const char *sk_html_template(const char *name)
{
	for (const sk_web_file *f = sk_web_templates; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f->data;
	return NULL;
}

const char *sk_html_asset_url(const char *name)
{
	static __thread char url[16][128]; /* one per asset: a page names several at once */
	size_t i = 0;
	for (const sk_web_file *f = sk_web_assets; f->name && i < 16; f++, i++)
		if (strcmp(f->name, name) == 0) {
			snprintf(url[i], sizeof(url[i]), "/static/%s", f->url);
			return url[i];
		}
	return NULL;
}

const sk_web_file *sk_html_asset_by_url(const char *url_name, size_t len)
{
	for (const sk_web_file *f = sk_web_assets; f->name; f++)
		if (strlen(f->url) == len && memcmp(f->url, url_name, len) == 0)
			return f;
	return NULL;
}

static const sk_tv *find_var(const sk_tv *vars, size_t nv, const char *name, size_t n)
{
	for (size_t i = 0; i < nv; i++)
		if (strlen(vars[i].name) == n && memcmp(vars[i].name, name, n) == 0)
			return &vars[i];
	return NULL;
}

static bool var_set(const sk_tv *v)
{
	return v && ((v->text && *v->text) || (v->frag && v->frag->b.len));
}

/* Where the section opened at p (just after its tag) ends: the start of its {{/name}}. */
static const char *section_end(const char *p, const char *end, const char *name, size_t n)
{
	int depth = 0;
	while (p < end) {
		const char *o = strstr(p, "{{");
		if (!o || o >= end)
			return NULL;
		const char *c = strstr(o, "}}");
		if (!c)
			return NULL;
		const char *tag = o + 2;
		size_t tn = (size_t)(c - tag);
		if ((tag[0] == '#' || tag[0] == '^') && tn - 1 == n &&
		    memcmp(tag + 1, name, n) == 0)
			depth++;
		else if (tag[0] == '/' && tn - 1 == n && memcmp(tag + 1, name, n) == 0) {
			if (depth == 0)
				return o;
			depth--;
		}
		p = c + 2;
	}
	return NULL;
}

static sk_err render(sk_buf *out, const char *p, const char *end, sk_lang l, const sk_tv *vars,
                     size_t nv)
{
	while (p < end) {
		const char *o = strstr(p, "{{");
		if (!o || o >= end)
			return sk_buf_add(out, p, (size_t)(end - p));
		sk_err e = sk_buf_add(out, p, (size_t)(o - p));
		if (e)
			return e;
		const char *c = strstr(o + 2, "}}");
		if (!c || c > end)
			return SK_ERR_INVALID;
		const char *tag = o + 2;
		size_t tn = (size_t)(c - tag);
		p = c + 2;
		if (tn > 2 && tag[0] == 't' && tag[1] == ':') {
			char key[96];
			if (tn - 2 >= sizeof(key))
				return SK_ERR_INVALID;
			memcpy(key, tag + 2, tn - 2);
			key[tn - 2] = '\0';
			int id = sk_msg_find(key);
			const char *s = id >= 0 ? sk_msg_format((sk_msg_id)id, l) : NULL;
			if (s)
				e = sk_html_escape(out, s, strlen(s));
			else if (!(e = sk_buf_adds(out, "[[missing:")) &&
			         !(e = sk_html_escape(out, key, strlen(key))))
				e = sk_buf_adds(out, "]]");
		} else if (tn > 1 && (tag[0] == '#' || tag[0] == '^')) {
			const char *se = section_end(p, end, tag + 1, tn - 1);
			if (!se)
				return SK_ERR_INVALID;
			bool on = var_set(find_var(vars, nv, tag + 1, tn - 1));
			if (on == (tag[0] == '#'))
				e = render(out, p, se, l, vars, nv);
			p = strstr(se, "}}") + 2;
		} else if (tn > 0 && tag[0] == '/') {
			return SK_ERR_INVALID; /* a close without its open */
		} else {
			const sk_tv *v = find_var(vars, nv, tag, tn);
			if (v && v->frag)
				e = sk_buf_add(out, v->frag->b.data, v->frag->b.len);
			else if (v && v->text)
				e = sk_html_escape(out, v->text, strlen(v->text));
		}
		if (e)
			return e;
	}
	return SK_OK;
}

sk_err sk_html_render(sk_html_frag *out, const char *name, sk_lang l, const sk_tv *vars, size_t nv)
{
	const char *t = sk_html_template(name);
	if (!t)
		return SK_ERR_NOT_FOUND;
	return render(&out->b, t, t + strlen(t), l, vars, nv);
}
