/*
 * Tests of the web UI's escaping writer and template renderer (src/web/html.c):
 * every value is escaped, fragments pass as rendered, sections, catalog
 * sentences in both languages, and every catalog key any template names exists;
 * the compiled form (sk_html_compile): escaping, sections, the catalog, and
 * the faults refused when a template is compiled rather than at render.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/html.h"
#include "web/web_files.h"

static char *escaped(const char *s)
{
	sk_buf b = SK_BUF_INIT(1 << 16);
	assert_int_equal(sk_html_escape(&b, s, strlen(s)), SK_OK);
	return sk_buf_detach(&b);
}

/* The five characters that break out of text or an attribute, and nothing else touched. */
static void test_escape(void **state)
{
	(void)state;
	char *s = escaped("<script>alert('x')</script>\"&amp;");
	assert_string_equal(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;amp;");
	free(s);
	s = escaped("機密性3 javascript:x `tick` {{t:UI_APP}}");
	assert_string_equal(s, "機密性3 javascript:x `tick` {{t:UI_APP}}");
	free(s);
	s = escaped("");
	assert_string_equal(s, "");
	free(s);
}

/*
 * Every length from 0 to 40 with each of the five (and bytes either side of
 * them, high bytes of UTF-8 among them) at every position, once and twice:
 * the writer looks through words of eight bytes, so a byte at a word's edge,
 * in a short tail or after a first match is where a fault would hide. The
 * expected text is made here byte by byte.
 */
static void test_escape_every_position(void **state)
{
	(void)state;
	static const char *const rep[256] = {
	    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"};
	const char specials[] = "&<>\"'", fill[] = "a\xe6\xa9\x9f%=;\x01\x7f?";
	char in[48], want[48 * 6 + 1];
	for (size_t len = 0; len <= 40; len++)
		for (size_t at = 0; at <= len; at++)
			for (size_t k = 0; k < 5; k++)
				for (size_t twice = 0; twice < 2; twice++) {
					for (size_t i = 0; i < len; i++)
						in[i] = fill[(i * 7 + k) % (sizeof(fill) - 1)];
					if (at < len)
						in[at] = specials[k];
					if (twice && at + 3 < len)
						in[at + 3] = specials[(k + 1) % 5];
					in[len] = '\0';
					size_t n = 0;
					for (size_t i = 0; i < len; i++) {
						const char *r = rep[(unsigned char)in[i]];
						if (r) {
							memcpy(want + n, r, strlen(r));
							n += strlen(r);
						} else {
							want[n++] = in[i];
						}
					}
					want[n] = '\0';
					sk_buf b = SK_BUF_INIT(1 << 16);
					assert_int_equal(sk_html_escape(&b, in, len), SK_OK);
					assert_int_equal(b.len, n);
					assert_memory_equal(b.data, want, n);
					sk_buf_free(&b);
				}
	/* Every other byte value passes as it is, in a short value and in a word. */
	for (unsigned c = 1; c < 256; c++) {
		if (rep[c])
			continue;
		for (size_t len = 3; len <= 11; len += 8) {
			memset(in, (int)c, len);
			in[len] = '\0';
			sk_buf b = SK_BUF_INIT(1 << 16);
			assert_int_equal(sk_html_escape(&b, in, len), SK_OK);
			assert_int_equal(b.len, len);
			assert_memory_equal(b.data, in, len);
			sk_buf_free(&b);
		}
	}
}

/* A value never becomes markup or a template tag, in text or in an attribute. */
static void test_values_escaped(void **state)
{
	(void)state;
	sk_html_frag out = SK_HTML_FRAG_INIT;
	sk_tv v[] = {SK_TV("message", "<b onclick=\"x\">{{t:UI_APP}}</b>"),
	             SK_TV("href", "#f-'a\"")};
	assert_int_equal(sk_html_render(&out, "error_item", SK_LANG_EN, v, 2), SK_OK);
	assert_non_null(
	    strstr(out.b.data, "&lt;b onclick=&quot;x&quot;&gt;{{t:UI_APP}}&lt;/b&gt;"));
	assert_non_null(strstr(out.b.data, "href=\"#f-&#39;a&quot;\""));
	assert_null(strstr(out.b.data, "<b"));
	sk_html_frag_free(&out);
}

/* A fragment (made by the renderer) is written as it is; sections follow the values. */
static void test_fragments_and_sections(void **state)
{
	(void)state;
	sk_html_frag items = SK_HTML_FRAG_INIT, out = SK_HTML_FRAG_INIT;
	sk_tv li[] = {SK_TV("text", "a<b")};
	assert_int_equal(sk_html_render(&items, "li", SK_LANG_JA, li, 1), SK_OK);
	assert_string_equal(items.b.data, "<li>a&lt;b</li>\n");
	/* error_item: {{#href}} link {{/href}}{{^href}} text {{/href}} */
	sk_tv v[] = {SK_TV("message", "m")};
	assert_int_equal(sk_html_render(&out, "error_item", SK_LANG_JA, v, 1), SK_OK);
	assert_string_equal(out.b.data, "<li>m</li>\n");
	sk_buf_reset(&out.b);
	sk_tv home[] = {SK_TV("login", "taro"), SK_TF("roles", &items)};
	assert_int_equal(sk_html_render(&out, "home", SK_LANG_JA, home, 2), SK_OK);
	assert_non_null(strstr(out.b.data, "<ul><li>a&lt;b</li>\n</ul>"));
	assert_null(strstr(out.b.data, "役割が付与されていません"));
	sk_html_frag_free(&items);
	sk_html_frag_free(&out);
}

/* Catalog sentences come out in the page's language. */
static void test_catalog_sentences(void **state)
{
	(void)state;
	sk_html_frag ja = SK_HTML_FRAG_INIT, en = SK_HTML_FRAG_INIT;
	assert_int_equal(sk_html_render(&ja, "landing", SK_LANG_JA, NULL, 0), SK_OK);
	assert_int_equal(sk_html_render(&en, "landing", SK_LANG_EN, NULL, 0), SK_OK);
	assert_non_null(strstr(ja.b.data, ">ログイン</a>"));
	assert_non_null(strstr(en.b.data, ">Log in</a>"));
	sk_html_frag_free(&ja);
	sk_html_frag_free(&en);
}

/* Every {{t:KEY}} of every template is in the catalog, with text in both languages. */
static void test_every_template_key_exists(void **state)
{
	(void)state;
	size_t keys = 0;
	for (const sk_web_file *f = sk_web_templates; f->name; f++) {
		for (const char *p = f->data; (p = strstr(p, "{{t:")); p += 4) {
			const char *end = strstr(p, "}}");
			assert_non_null(end);
			char key[96];
			size_t n = (size_t)(end - p - 4);
			assert_true(n < sizeof(key));
			memcpy(key, p + 4, n);
			key[n] = '\0';
			int id = sk_msg_find(key);
			if (id < 0)
				fail_msg("template %s names %s, which the catalog lacks", f->name,
				         key);
			assert_true(strlen(sk_msg_format((sk_msg_id)id, SK_LANG_JA)) > 0);
			assert_true(strlen(sk_msg_format((sk_msg_id)id, SK_LANG_EN)) > 0);
			keys++;
		}
		/* Every template renders (balanced sections) in both languages. */
		sk_html_frag out = SK_HTML_FRAG_INIT;
		assert_int_equal(sk_html_render(&out, f->name, SK_LANG_JA, NULL, 0), SK_OK);
		assert_null(strstr(out.b.data, "[[missing:"));
		sk_html_frag_free(&out);
	}
	assert_true(keys > 50);
	assert_int_equal(sk_msg_find("UI_NO_SUCH_KEY"), -1);
}

/* No template holds inline script or style (the CSP forbids both). */
static void test_no_inline_script_or_style(void **state)
{
	(void)state;
	for (const sk_web_file *f = sk_web_templates; f->name; f++) {
		const char *s = f->data;
		if (strstr(s, "<style") || strstr(s, " style=") || strstr(s, " onclick") ||
		    strstr(s, " onload") || strstr(s, "javascript:"))
			fail_msg("template %s holds inline style or script", f->name);
		for (const char *p = s; (p = strstr(p, "<script")); p++)
			if (strncmp(p, "<script src=", 12) != 0)
				fail_msg("template %s holds an inline script", f->name);
	}
}

/* A broken template is refused, not half-rendered. */
static void test_unknown_template(void **state)
{
	(void)state;
	sk_html_frag out = SK_HTML_FRAG_INIT;
	assert_int_equal(sk_html_render(&out, "no_such_template", SK_LANG_JA, NULL, 0),
	                 SK_ERR_NOT_FOUND);
	sk_html_frag_free(&out);
	assert_non_null(sk_html_asset_url("app.css"));
	assert_non_null(strstr(sk_html_asset_url("app.css"), "/static/app-"));
}

/* A test template compiled from text; the test fails with the compiler's message if refused. */
static sk_html_tmpl *compiled(const char *text)
{
	sk_html_tmpl *t = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_html_compile("t", text, &t, &err) != SK_OK)
		fail_msg("refused: %s", err.data);
	sk_buf_free(&err);
	return t;
}

static char *rendered(const sk_html_tmpl *t, sk_lang l, const sk_tv *v, size_t nv)
{
	sk_html_frag out = SK_HTML_FRAG_INIT;
	assert_int_equal(sk_html_render_tmpl(&out, t, l, v, nv), SK_OK);
	return sk_buf_detach(&out.b);
}

/* The compiled form escapes every text value, in text and in attributes; a fragment passes. */
static void test_compiled_escapes_by_construction(void **state)
{
	(void)state;
	sk_html_tmpl *t = compiled("<a href=\"{{u}}\" title='{{u}}'>{{x}}</a>{{f}}");
	sk_html_frag f = SK_HTML_FRAG_INIT;
	sk_tv inner[] = {SK_TV("u", "<i>")};
	sk_html_tmpl *i = compiled("<b>{{u}}</b>");
	assert_int_equal(sk_html_render_tmpl(&f, i, SK_LANG_JA, inner, 1), SK_OK);
	sk_tv v[] = {SK_TV("u", "\"' onmouseover=x javascript:y"), SK_TV("x", "<script>{{u}}"),
	             SK_TF("f", &f)};
	char *s = rendered(t, SK_LANG_EN, v, 3);
	assert_string_equal(s, "<a href=\"&quot;&#39; onmouseover=x javascript:y\" "
	                       "title='&quot;&#39; onmouseover=x javascript:y'>"
	                       "&lt;script&gt;{{u}}</a><b>&lt;i&gt;</b>");
	free(s);
	sk_html_frag_free(&f);
	sk_html_tmpl_free(i);
	sk_html_tmpl_free(t);
}

/* Sections, nested and inverted; a value not given is not set and writes nothing. */
static void test_compiled_sections(void **state)
{
	(void)state;
	sk_html_tmpl *t = compiled("[{{#a}}A{{#b}}B{{b}}{{/b}}{{^b}}nob{{/b}}{{/a}}"
	                           "{{^a}}noa{{/a}}|{{c}}]");
	sk_tv none[] = {SK_TV("a", NULL)};
	char *s = rendered(t, SK_LANG_JA, none, 1);
	assert_string_equal(s, "[noa|]");
	free(s);
	sk_tv empty[] = {SK_TV("a", "1"), SK_TV("b", "")}; /* empty text: not set */
	s = rendered(t, SK_LANG_JA, empty, 2);
	assert_string_equal(s, "[Anob|]");
	free(s);
	sk_tv both[] = {SK_TV("b", "x<"), SK_TV("a", "1"), SK_TV("c", "c"), SK_TV("zz", "unused")};
	s = rendered(t, SK_LANG_JA, both, 4);
	assert_string_equal(s, "[ABx&lt;|c]");
	free(s);
	/* The same call again: the remembered binding gives the same page. */
	for (int k = 0; k < 3; k++) {
		s = rendered(t, SK_LANG_JA, both, 4);
		assert_string_equal(s, "[ABx&lt;|c]");
		free(s);
	}
	/* A name given twice: the first wins, remembered or not. */
	sk_tv twice[] = {SK_TV("c", "first"), SK_TV("c", "second")};
	for (int k = 0; k < 2; k++) {
		s = rendered(t, SK_LANG_JA, twice, 2);
		assert_string_equal(s, "[noa|first]");
		free(s);
	}
	/* More call sites than the renderer remembers (names at distinct addresses, not
	 * literals here): each still binds by name, twice over. */
	static char names[20][2] = {"c", "c", "c", "c", "c", "c", "c", "c", "c", "c",
	                            "c", "c", "c", "c", "c", "c", "c", "c", "c", "c"};
	for (int round = 0; round < 2; round++)
		for (size_t k = 0; k < 20; k++) {
			char want[16], val[8];
			snprintf(want, sizeof(want), "[noa|%zu]", k);
			snprintf(val, sizeof(val), "%zu", k);
			sk_tv site[] = {{names[k], val, NULL}};
			s = rendered(t, SK_LANG_JA, site, 1);
			assert_string_equal(s, want);
			free(s);
		}
	sk_html_tmpl_free(t);
}

/* Catalog sentences are resolved when compiled, in both languages, escaped. */
static void test_compiled_catalog(void **state)
{
	(void)state;
	sk_html_tmpl *t = compiled("<a>{{t:UI_LOGIN_TITLE}}</a>");
	char *ja = rendered(t, SK_LANG_JA, NULL, 0), *en = rendered(t, SK_LANG_EN, NULL, 0);
	assert_string_equal(ja, "<a>ログイン</a>");
	assert_string_equal(en, "<a>Log in</a>");
	free(ja);
	free(en);
	sk_html_tmpl_free(t);
}

/* What cannot render is refused when compiled (at build and start), naming the line. */
static void test_compiled_refusals(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "x\n{{t:UI_NO_SUCH_KEY}}",  /* a catalog key the catalog lacks */
	    "{{#a}}open",               /* a section not closed */
	    "{{/a}}",                   /* closed, never opened */
	    "{{#a}}{{#b}}{{/a}}{{/b}}", /* crossed */
	    "{{a b}}",                  /* not a name */
	    "{{}}",                     /* empty */
	    "{{Name}}",                 /* names are lower case; keys upper */
	    "{{t:ui_login}}",           /* a key in lower case */
	    "text {{a",                 /* a tag without its end */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sk_html_tmpl *t = (sk_html_tmpl *)1;
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		if (sk_html_compile("bad", bad[i], &t, &err) != SK_ERR_INVALID)
			fail_msg("accepted: %s", bad[i]);
		assert_null(t);
		assert_non_null(strstr(err.data, "template bad, line "));
		sk_buf_free(&err);
	}
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_html_tmpl *t = NULL;
	assert_int_equal(sk_html_compile("bad", "a\nb\n{{t:UI_NO_SUCH_KEY}}", &t, &err),
	                 SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "line 3"));
	sk_buf_free(&err);
	/* Every built-in template compiles: the server's start check. */
	assert_int_equal(sk_html_init(&err), SK_OK);
	sk_buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_escape_every_position),
	    cmocka_unit_test(test_values_escaped),
	    cmocka_unit_test(test_fragments_and_sections),
	    cmocka_unit_test(test_catalog_sentences),
	    cmocka_unit_test(test_every_template_key_exists),
	    cmocka_unit_test(test_no_inline_script_or_style),
	    cmocka_unit_test(test_unknown_template),
	    cmocka_unit_test(test_compiled_escapes_by_construction),
	    cmocka_unit_test(test_compiled_sections),
	    cmocka_unit_test(test_compiled_catalog),
	    cmocka_unit_test(test_compiled_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
