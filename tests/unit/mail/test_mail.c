/*
 * test_mail: the mail sanitizer's pieces (src/mail): charset decoding with
 * CP932 extensions, HTML to text and its limits, sanitizing whole messages
 * with limits and encoded words, and the audit record on every backend.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "testutil.h"

#include "audit/audit.h"
#include "mail/charset.h"
#include "mail/html2text.h"
#include "mail/record.h"
#include "mail/sanitize.h"

static void decode_eq(const char *label, const char *in, size_t len, const char *want,
                      size_t want_replaced)
{
	sk_mail_conv *c = sk_mail_conv_new();
	sk_buf out = SK_BUF_INIT(1u << 20);
	sk_mail_decode_info info;
	assert_int_equal(sk_mail_decode(c, label, in, len, true, &out, &info), SK_OK);
	assert_string_equal(out.data, want);
	assert_int_equal(info.replaced, want_replaced);
	sk_buf_free(&out);
	sk_mail_conv_free(c);
}

static void test_iso2022jp_cp932_extensions(void **state)
{
	(void)state;
	/* ① (row 13 0x2D21), ㈱ (0x2D6A), then ｶﾅ by ESC ( I, and by SO/SI. */
	static const char jis[] = "\x1b$B-!-j\x1b(I6E\x1b(B ok \x0e\x36\x45\x0f!";
	decode_eq("ISO-2022-JP", jis, sizeof(jis) - 1, "①㈱ｶﾅ ok ｶﾅ!", 0);
	decode_eq("iso-2022-jp", jis, sizeof(jis) - 1, "①㈱ｶﾅ ok ｶﾅ!", 0);
	/* A line end without ESC ( B returns to ASCII, as broken mailers expect. */
	static const char noreset[] = "\x1b$BF|\nabc";
	decode_eq("ISO-2022-JP", noreset, sizeof(noreset) - 1, "日\nabc", 0);
	/* Sniffed when the label is missing or says us-ascii. */
	decode_eq(NULL, jis, sizeof(jis) - 1, "①㈱ｶﾅ ok ｶﾅ!", 0);
	decode_eq("us-ascii", jis, sizeof(jis) - 1, "①㈱ｶﾅ ok ｶﾅ!", 0);
	/* A cut double-byte character is one replacement, not a crash. */
	static const char cut[] = "\x1b$BF";
	decode_eq("ISO-2022-JP", cut, sizeof(cut) - 1, "\xEF\xBF\xBD", 1);
}

static void test_shift_jis_euc_jp_utf8(void **state)
{
	(void)state;
	/* 表 has 0x5C as its trail byte; ① and ㈱ are NEC extensions; ｱ is one byte. */
	static const char sj[] = "\x95\x5c\x87\x40\x87\x8a\xb1\\";
	decode_eq("Shift_JIS", sj, sizeof(sj) - 1, "表①㈱ｱ\\", 0);
	decode_eq("x-sjis", sj, sizeof(sj) - 1, "表①㈱ｱ\\", 0);
	decode_eq("SJIS", sj, sizeof(sj) - 1, "表①㈱ｱ\\", 0);
	decode_eq(NULL, sj, sizeof(sj) - 1, "表①㈱ｱ\\", 0);
	static const char euc[] = "\xc6\xfc\xcb\xdc\xad\xa1\x8e\xb1";
	decode_eq("EUC-JP", euc, sizeof(euc) - 1, "日本①ｱ", 0);
	decode_eq("UTF-8", "a\r\nb\rc\0d\x1b[1m\xff", 13, "a\nb\ncd[1m\xEF\xBF\xBD", 1);
	/* An undecodable byte in the middle: replaced, and the rest still decoded. */
	decode_eq("Shift_JIS", "\x95\x5c\xa0\x95\x5c", 5, "表\xEF\xBF\xBD表", 1);
}

static void test_unknown_charset(void **state)
{
	(void)state;
	sk_mail_conv *c = sk_mail_conv_new();
	sk_buf out = SK_BUF_INIT(1024);
	sk_mail_decode_info info;
	assert_int_equal(sk_mail_decode(c, "x-no-such-charset", "abc", 3, true, &out, &info),
	                 SK_OK);
	assert_true(info.unknown);
	assert_string_equal(out.data, "abc");
	/* Header text: newlines and tabs become spaces. */
	sk_buf_reset(&out);
	assert_int_equal(sk_mail_decode(c, "utf-8", "a\r\n\tb", 5, false, &out, &info), SK_OK);
	assert_string_equal(out.data, "a  b");
	/* The cap: what fits is kept and TOO_BIG reported. */
	sk_buf small = SK_BUF_INIT(4);
	assert_int_equal(sk_mail_decode(c, "utf-8", "abcdefgh", 8, true, &small, &info),
	                 SK_ERR_TOO_BIG);
	assert_true(small.len <= 4);
	sk_buf_free(&small);
	sk_buf_free(&out);
	sk_mail_conv_free(c);
}

static char *html(const char *in, bool defang, sk_err want)
{
	sk_mail_html_opts o = {.max_tags = 1000, .max_memory = 8u << 20, .defang_links = defang};
	sk_buf out = SK_BUF_INIT(1u << 20);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(sk_mail_html_to_text(in, strlen(in), &o, &out, &err), want);
	sk_buf_free(&err);
	return sk_buf_detach(&out);
}

static void test_html_to_text(void **state)
{
	(void)state;
	char *t = html("<html><head><title>T</title><style>b{}</style></head><body>"
	               "<script>evil()</script><p>Hello <b>world</b></p><p>second&nbsp;&amp; "
	               "<a href=\"https://x.example/a\">link</a> <a href=\"javascript:x()\">js</a>"
	               "</p><img src=x alt=pic><ul><li>one<li>two</ul>a<br>b"
	               "<div hidden>secret</div><span style=\"DISPLAY: none\">secret2</span>"
	               "<!-- comment --></body></html>",
	               false, SK_OK);
	assert_string_equal(t, "Hello world\n\nsecond\xC2\xA0& link <https://x.example/a> js\n\n"
	                       "- one\n- two\na\nb");
	free(t);
	t = html("<a href=\"http://a.example.com/x\">here</a>", true, SK_OK);
	assert_string_equal(t, "here <hxxp[:]//a[.]example[.]com/x>");
	free(t);
	/* A link whose text is its address is shown once. */
	t = html("<p><a href=\"mailto:a@b.example\">a@b.example</a></p>", false, SK_OK);
	assert_string_equal(t, "a@b.example");
	free(t);
	t = html(
	    "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table><pre> x\n  y</pre>",
	    false, SK_OK);
	assert_string_equal(t, "a | b\nc\n\n x\n  y");
	free(t);
}

static void test_html_limits(void **state)
{
	(void)state;
	/* Too many tags: refused before parsing, nothing written. */
	size_t n = 1001;
	char *deep = malloc(n * 5 + 2);
	for (size_t i = 0; i < n; i++)
		memcpy(deep + 5 * i, "<div>", 5);
	strcpy(deep + 5 * n, "x");
	char *t = html(deep, false, SK_ERR_TOO_BIG);
	assert_string_equal(t, "");
	free(t);
	/* 1000 nested elements are fine, and walked without recursion. */
	deep[5 * 1000] = 'y';
	deep[5 * 1000 + 1] = '\0';
	t = html(deep, false, SK_OK);
	assert_string_equal(t, "y");
	free(t);
	free(deep);
	/* The parser's memory cap: the parse is abandoned, not crashed. */
	sk_mail_html_opts o = {.max_tags = 1000, .max_memory = 512};
	sk_buf out = SK_BUF_INIT(1u << 20);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	static const char big[] = "<p>a long enough paragraph to need more than half a kilobyte "
	                          "once gumbo has built its tree and its buffers</p>";
	assert_int_equal(sk_mail_html_to_text(big, strlen(big), &o, &out, &err), SK_ERR_TOO_BIG);
	assert_non_null(strstr(err.data, "memory"));
	assert_int_equal(out.len, 0);
	sk_buf_free(&out);
	sk_buf_free(&err);
}

static sk_mail_sanitizer *sanitizer(size_t max_parts, size_t max_depth)
{
	sk_mail_options o = {.render = true, .json_body = true};
	sk_mail_limits_default(&o.limits);
	o.limits.max_parts = max_parts;
	o.limits.max_depth = max_depth;
	sk_mail_sanitizer *s = NULL;
	assert_int_equal(sk_mail_sanitizer_new(&o, &s, NULL), SK_OK);
	return s;
}

/*
 * Sanitizes msg; the original's SHA-256, computed alongside the parts' (or
 * first, for a message cut at the size limit), must be libcrypto's.
 */
static json_t *sanitize(sk_mail_sanitizer *s, const char *msg, size_t total, sk_mail_result *r)
{
	sk_mail_input in = {.data = msg, .len = strlen(msg), .total = total};
	assert_int_equal(sk_mail_sanitize(s, &in, r, NULL), SK_OK);
	unsigned char h[32];
	unsigned hl = 0;
	char want[65];
	assert_true(EVP_Digest(msg, in.len, h, &hl, EVP_sha256(), NULL));
	for (int i = 0; i < 32; i++)
		snprintf(want + 2 * i, 3, "%02x", h[i]);
	assert_string_equal(r->sha256, want);
	return r->json;
}

static bool has_notice(json_t *j, const char *code)
{
	size_t i;
	json_t *v;
	json_array_foreach (json_object_get(j, "notices"), i, v) {
		if (strstr(json_string_value(v), code))
			return true;
	}
	return false;
}

static const char multi[] = "From: a@example.jp\nSubject: =?UTF-8?B?5pel?=\n =?UTF-8?B?5pys?="
                            " =?utf-8?q?=E8=AA?= =?utf-8?q?=9E?= x\n"
                            "Content-Type: multipart/mixed; boundary=b\n\n"
                            "--b\nContent-Type: text/plain; charset=utf-8\n\nbody\n"
                            "--b\nContent-Type: multipart/mixed; boundary=c\n\n"
                            "--c\nContent-Type: application/pdf; name=a.pdf\n\n%PDF\n"
                            "--c--\n--b\nContent-Type: image/gif; name=b.gif\n\nGIF\n--b--\n";

static void test_sanitize_message(void **state)
{
	(void)state;
	sk_mail_sanitizer *s = sanitizer(1000, 32);
	sk_mail_result r;
	json_t *j = sanitize(s, multi, 0, &r);
	/* Exactly the four keys of SPEC §3. */
	assert_int_equal(json_object_size(j), 4);
	/* Encoded words are joined before decoding, even with a character split between them. */
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(j, "headers"), "subject")),
	    "日本語 x");
	assert_int_equal(json_array_size(json_object_get(j, "removed")), 2);
	json_t *pdf = json_array_get(json_object_get(j, "removed"), 0);
	assert_string_equal(json_string_value(json_object_get(pdf, "name")), "a.pdf");
	/* The line end before a boundary belongs to the boundary: the content is "%PDF". */
	assert_int_equal(json_integer_value(json_object_get(pdf, "size")), 4);
	assert_string_equal(json_string_value(json_object_get(pdf, "sha256")),
	                    "315d429b7714cedb6ad04ac31240145257692630457f3c88253c5beceac76027");
	const char *body = json_string_value(json_object_get(j, "body"));
	assert_non_null(strstr(body, "body\n"));
	assert_non_null(strstr(body, "a.pdf"));
	assert_non_null(strstr(r.message.data, "Content-Type: text/plain; charset=UTF-8"));
	assert_null(strstr(r.message.data, "multipart"));
	assert_int_equal(r.nremoved, 2);
	sk_mail_result_free(&r);
	sk_mail_sanitizer_free(s);

	/* Limits become notices. */
	s = sanitizer(3, 32);
	j = sanitize(s, multi, 0, &r);
	assert_true(has_notice(j, "[parts_limit]"));
	sk_mail_result_free(&r);
	sk_mail_sanitizer_free(s);
	s = sanitizer(1000, 1);
	j = sanitize(s, multi, 0, &r);
	assert_true(has_notice(j, "[depth_limit]"));
	assert_int_equal(json_array_size(json_object_get(j, "removed")), 1);
	sk_mail_result_free(&r);
	/* A message cut at the size limit keeps its headers; the rest is listed whole. */
	j = sanitize(s, multi, 100u << 20, &r);
	assert_true(has_notice(j, "[size_limit]"));
	json_t *whole = json_array_get(json_object_get(j, "removed"), 0);
	assert_int_equal(json_integer_value(json_object_get(whole, "size")), 100u << 20);
	assert_string_equal(json_string_value(json_object_get(whole, "type")), "message/rfc822");
	sk_mail_result_free(&r);

	/* Not mail at all. */
	sk_mail_input in = {.data = "no header here\n", .len = 15};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(sk_mail_sanitize(s, &in, &r, &err), SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "mail header"));
	sk_mail_result_free(&r);
	sk_buf_free(&err);
	sk_mail_sanitizer_free(s);
}

/* The number of notices about disguised links, and whether one names both hosts (defanged). */
static size_t link_notices(json_t *j, const char *shown, const char *target)
{
	size_t i, n = 0;
	json_t *v;
	json_array_foreach (json_object_get(j, "notices"), i, v) {
		const char *t = json_string_value(v);
		if (!strstr(t, "[link_host_mismatch]"))
			continue;
		n++;
		if (shown && (!strstr(t, shown) || !strstr(t, target)))
			fail_msg("notice '%s' lacks '%s' or '%s'", t, shown, target);
		/* In Japanese, from the catalog. */
		assert_non_null(strstr(t, "実際の行き先"));
	}
	return n;
}

static json_t *html_mail(sk_mail_sanitizer *s, const char *html, sk_mail_result *r)
{
	static char msg[4096];
	snprintf(msg, sizeof(msg),
	         "From: portal@example.jp\nSubject: x\nContent-Type: text/html; charset=utf-8\n\n"
	         "<html><body>%s</body></html>\n",
	         html);
	return sanitize(s, msg, 0, r);
}

/* A link whose text shows one host and whose address leads to another is pointed out. */
static void test_link_host_mismatch(void **state)
{
	(void)state;
	sk_mail_sanitizer *s = sanitizer(1000, 32);
	sk_mail_result r;
	static const struct {
		const char *html, *shown, *target;
		size_t notices;
	} cases[] = {
	    /* the text shows the city's portal, the address another site */
	    {"<a href=\"https://evil.example/login\">https://www.city.narita.chiba.jp/portal</a>",
	     "www[.]city[.]narita[.]chiba[.]jp", "evil[.]example", 1},
	    {"こちら（<a href=\"http://203.0.113.5/\">www.city.hachioji.tokyo.jp</a>）",
	     "www[.]city[.]hachioji[.]tokyo[.]jp", "203[.]0[.]113[.]5", 1},
	    {"<a href=\"https://user@evil.example/\">info@City.Niigata.lg.jp</a>",
	     "city[.]niigata[.]lg[.]jp", "evil[.]example", 1},
	    {"<a href=\"mailto:a@evil.example\">soumu@city.example.jp</a>", "city[.]example[.]jp",
	     "evil[.]example", 1},
	    /* the same host, a subdomain, or a text that shows no host: nothing to say */
	    {"<a href=\"https://www.city.narita.chiba.jp/x\">www.city.narita.chiba.jp</a>", NULL,
	     NULL, 0},
	    {"<a href=\"https://www.city.narita.chiba.jp/x\">city.narita.chiba.jp</a>", NULL, NULL,
	     0},
	    {"<a href=\"https://evil.example/login\">こちら（市役所ポータル）</a>", NULL, NULL, 0},
	    {"<a href=\"https://evil.example/\">version 1.2 of the form</a>", NULL, NULL, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = html_mail(s, cases[i].html, &r);
		size_t n = link_notices(j, cases[i].shown, cases[i].target);
		if (n != cases[i].notices)
			fail_msg("case %zu (%s): %zu notices", i, cases[i].html, n);
		sk_mail_result_free(&r);
	}
	sk_mail_sanitizer_free(s);
}

static void test_addresses(void **state)
{
	(void)state;
	sk_mail_sanitizer *s = sanitizer(1000, 32);
	sk_mail_result r;
	static const char m[] = "From: \"a\\\"b, c\" <x@example.jp>\n"
	                        "To: team: a@example.jp, =?UTF-8?B?5bGx55Sw?= <b@example.jp>;\n"
	                        "Cc: =?UTF-8?Q?x=0D=0ABcc:_v@evil.example?= <c@example.jp>\n\nhi\n";
	json_t *h = json_object_get(sanitize(s, m, 0, &r), "headers");
	assert_string_equal(json_string_value(json_object_get(h, "from")),
	                    "\"a\\\"b, c\" <x@example.jp>");
	assert_string_equal(json_string_value(json_object_get(h, "to")),
	                    "team: a@example.jp, 山田 <b@example.jp>;");
	/* CR LF inside an encoded word stays inside the name; the real address is c@. */
	assert_string_equal(json_string_value(json_object_get(h, "cc")),
	                    "\"x Bcc: v@evil.example\" <c@example.jp>");
	assert_true(has_notice(r.json, "[display_name_address]"));
	/* The rendered headers carry the same addresses, the name encoded. */
	assert_non_null(strstr(r.message.data, "To: team: a@example.jp, =?UTF-8?b?5bGx55Sw?= "
	                                       "<b@example.jp>;\n"));
	assert_null(strstr(r.message.data, "\nBcc:"));
	sk_mail_result_free(&r);
	sk_mail_sanitizer_free(s);
}

static void test_sha256_of_parts(void **state)
{
	(void)state;
	sk_mail_sanitizer *s = sanitizer(1000, 32);
	sk_mail_result r;
	/* Base64 of "hello\n"; its SHA-256 is well known. */
	static const char m[] = "From: a@example.jp\nContent-Type: multipart/mixed; boundary=b\n\n"
	                        "--b\nContent-Type: application/octet-stream; name=h.txt\n"
	                        "Content-Transfer-Encoding: base64\n\naGVsbG8K\n--b--\n";
	json_t *j = sanitize(s, m, 0, &r);
	json_t *h = json_array_get(json_object_get(j, "removed"), 0);
	assert_int_equal(json_integer_value(json_object_get(h, "size")), 6);
	assert_string_equal(json_string_value(json_object_get(h, "sha256")),
	                    "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
	assert_true(has_notice(j, "[no_text]"));
	sk_mail_result_free(&r);
	sk_mail_sanitizer_free(s);
}

/*
 * Attachments decode the same whatever their base64 looks like: lines of 76
 * (two 32-character blocks for the vector decoder, then the scalar rest),
 * CRLF, one long line, odd line lengths, and stray characters anywhere
 * (skipped). The listed size and SHA-256 must be those of the bytes encoded.
 */
static void test_base64_layouts(void **state)
{
	(void)state;
	enum { N = 5003 };
	static unsigned char raw[N];
	uint32_t x = 12345;
	for (size_t i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		raw[i] = (unsigned char)(x >> 16);
	}
	unsigned char h[32];
	unsigned hl = 0;
	assert_true(EVP_Digest(raw, N, h, &hl, EVP_sha256(), NULL));
	char want[65];
	for (int i = 0; i < 32; i++)
		snprintf(want + 2 * i, 3, "%02x", h[i]);
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static char b64[N / 3 * 4 + 8];
	size_t bl = 0;
	for (size_t i = 0; i < N; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (i + 1 < N ? (unsigned)raw[i + 1] << 8 : 0) |
		             (i + 2 < N ? raw[i + 2] : 0);
		b64[bl++] = al[v >> 18];
		b64[bl++] = al[(v >> 12) & 63];
		b64[bl++] = i + 1 < N ? al[(v >> 6) & 63] : '=';
		b64[bl++] = i + 2 < N ? al[v & 63] : '=';
	}
	static const struct {
		size_t line;     /* characters per line, 0 for one line */
		const char *eol; /* line end */
		size_t every;    /* a stray character after every this many, 0 for none */
		char stray;
	} layouts[] = {
	    {76, "\n", 0, 0}, {76, "\r\n", 0, 0}, {0, "\n", 0, 0},      {64, "\n", 0, 0},
	    {33, "\n", 0, 0}, {0, "\n", 37, ' '}, {76, "\n", 101, '!'}, {72, " \t\r\n", 0, 0},
	};
	sk_mail_sanitizer *s = sanitizer(1000, 32);
	for (size_t k = 0; k < sizeof(layouts) / sizeof(layouts[0]); k++) {
		sk_buf m = SK_BUF_INIT(1u << 20);
		assert_int_equal(sk_buf_adds(&m,
		                             "From: a@example.jp\nContent-Type: multipart/mixed; "
		                             "boundary=b\n\n--b\nContent-Type: text/plain\n\nx\n"
		                             "--b\nContent-Type: application/octet-stream; "
		                             "name=r.bin\nContent-Transfer-Encoding: base64\n\n"),
		                 SK_OK);
		for (size_t i = 0; i < bl; i++) {
			assert_int_equal(sk_buf_addc(&m, b64[i]), SK_OK);
			if (layouts[k].every && (i + 1) % layouts[k].every == 0)
				assert_int_equal(sk_buf_addc(&m, layouts[k].stray), SK_OK);
			if (layouts[k].line && (i + 1) % layouts[k].line == 0)
				assert_int_equal(sk_buf_adds(&m, layouts[k].eol), SK_OK);
		}
		assert_int_equal(sk_buf_adds(&m, "\n--b--\n"), SK_OK);
		sk_mail_result r;
		json_t *j = sanitize(s, m.data, 0, &r);
		json_t *o = json_array_get(json_object_get(j, "removed"), 0);
		assert_int_equal(json_integer_value(json_object_get(o, "size")), N);
		assert_string_equal(json_string_value(json_object_get(o, "sha256")), want);
		sk_mail_result_free(&r);
		sk_buf_free(&m);
	}
	sk_mail_sanitizer_free(s);
}

/* Without json_body the JSON lacks only the body; the rendered message is the same. */
static void test_json_without_body(void **state)
{
	(void)state;
	sk_mail_sanitizer *with = sanitizer(1000, 32);
	sk_mail_options o = {.render = true};
	sk_mail_limits_default(&o.limits);
	sk_mail_sanitizer *without = NULL;
	assert_int_equal(sk_mail_sanitizer_new(&o, &without, NULL), SK_OK);
	sk_mail_result a, b;
	json_t *ja = sanitize(with, multi, 0, &a);
	json_t *jb = sanitize(without, multi, 0, &b);
	assert_non_null(json_object_get(ja, "body"));
	assert_null(json_object_get(jb, "body"));
	assert_int_equal(json_object_size(jb), 3);
	assert_true(json_object_del(ja, "body") == 0);
	assert_true(json_equal(ja, jb));
	assert_int_equal(a.message.len, b.message.len);
	assert_memory_equal(a.message.data, b.message.data, a.message.len);
	assert_string_equal(a.sha256, b.sha256);
	sk_mail_result_free(&a);
	sk_mail_result_free(&b);
	sk_mail_sanitizer_free(with);
	sk_mail_sanitizer_free(without);
}

static sk_err count_row(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	char *buf = ctx;
	snprintf(buf, 512, "%s|%s|%s", sk_row_text(row, 0), sk_row_text(row, 1),
	         sk_row_text(row, 2));
	return SK_OK;
}

static void test_record_every_backend(void **state)
{
	(void)state;
	const char *names[SK_TEST_MAX_BACKENDS];
	size_t nb = sk_test_backends(names);
	for (size_t b = 0; b < nb; b++) {
		sk_store *st = sk_test_open_fresh(names[b]);
		sk_mail_sanitizer *s = sanitizer(1000, 32);
		sk_mail_result r;
		char m[512];
		snprintf(m, sizeof(m), "Message-ID: <x1@example.jp>\n%s", multi);
		sanitize(s, m, 0, &r);
		int64_t seq = 0;
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		assert_int_equal(sk_mail_record(st, &r, "cli:test", "cli", &seq, &err), SK_OK);
		assert_true(seq > 0);
		char row[512] = "";
		assert_int_equal(sk_store_query(st,
		                                "SELECT action, object, after_json FROM audit_log "
		                                "WHERE seq = ?",
		                                (sk_val[]){SK_VINT(seq)}, 1, count_row, row, &err),
		                 SK_OK);
		assert_non_null(strstr(row, "mail.sanitize|mail:<x1@example.jp>|"));
		assert_non_null(strstr(row, "\"a.pdf\""));
		assert_non_null(strstr(row, "\"from\":\"a@example.jp\""));
		/* A failing write leaves no entry: the record is its own transaction. */
		sk_store_fault(st, SK_FAULT_WRITE, 1);
		assert_int_not_equal(sk_mail_record(st, &r, "cli:test", "cli", NULL, &err), SK_OK);
		int64_t n = 0;
		assert_int_equal(
		    sk_store_query_int(st, "SELECT COUNT(*) FROM audit_log WHERE object = ?",
		                       (sk_val[]){sk_vtext("mail:<x1@example.jp>")}, 1, &n, &err),
		    SK_OK);
		assert_int_equal(n, 1);
		sk_buf_free(&err);
		sk_mail_result_free(&r);
		sk_mail_sanitizer_free(s);
		sk_store_close(st);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_iso2022jp_cp932_extensions),
	    cmocka_unit_test(test_shift_jis_euc_jp_utf8),
	    cmocka_unit_test(test_unknown_charset),
	    cmocka_unit_test(test_html_to_text),
	    cmocka_unit_test(test_html_limits),
	    cmocka_unit_test(test_sanitize_message),
	    cmocka_unit_test(test_link_host_mismatch),
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_sha256_of_parts),
	    cmocka_unit_test(test_base64_layouts),
	    cmocka_unit_test(test_json_without_body),
	    cmocka_unit_test(test_record_every_backend),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
