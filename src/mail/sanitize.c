/*
 * sanitize: 無害化 of one mail message: our MIME scanner (mime.c) finds the parts,
 * GMime reads header values (encoded words, addresses, parameters), libgumbo reads HTML.
 */
#include "sanitize.h"

#include <gmime/gmime.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/sk_msg.h"
#include "../core/sk_utf8.h"
#include "../core/sk_version.h"
#include "charset.h"
#include "html2text.h"
#include "mime.h"
#include "sha256.h"

void sk_mail_limits_default(sk_mail_limits *l)
{
	l->max_size = 32u << 20;
	l->max_parts = 1000;
	l->max_depth = 32;
	l->max_text = 4u << 20;
	l->max_html_tags = 20000;
	l->max_html_mem = 256u << 20;
}

const char *sk_mail_sanitizer_version(void) { return "sekisho " SK_VERSION; }

struct sk_mail_sanitizer {
	sk_mail_options o;
	GMimeParserOptions *po;
	sk_mail_conv *conv;
	EVP_MD_CTX *md, *md_orig; /* for sha256.c on CPUs without the SHA extensions */
	sk_mime_scan scan;        /* the parts of the message at hand */
	sk_buf raw;               /* a text part's decoded bytes */
	sk_buf text;              /* its text as UTF-8 */
	sk_buf tmp;
};

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;
static void gmime_init_once(void) { g_mime_init(); }

sk_err sk_mail_sanitizer_new(const sk_mail_options *opts, sk_mail_sanitizer **out, sk_buf *err)
{
	pthread_once(&gmime_once, gmime_init_once);
	sk_mail_sanitizer *s = calloc(1, sizeof(*s));
	if (!s)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	s->o = *opts;
	s->po = g_mime_parser_options_new();
	g_mime_parser_options_set_address_compliance_mode(s->po, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_allow_addresses_without_domain(s->po, TRUE);
	g_mime_parser_options_set_parameter_compliance_mode(s->po, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_rfc2047_compliance_mode(s->po, GMIME_RFC_COMPLIANCE_LOOSE);
	const char *fallback[] = {"UTF-8", "CP932", NULL};
	g_mime_parser_options_set_fallback_charsets(s->po, fallback);
	s->conv = sk_mail_conv_new();
	s->md = EVP_MD_CTX_new();
	s->md_orig = EVP_MD_CTX_new();
	sk_mime_scan_init(&s->scan);
	sk_buf_init(&s->raw, opts->limits.max_size + 1);
	sk_buf_init(&s->text, opts->limits.max_text);
	sk_buf_init(&s->tmp, opts->limits.max_size + 1);
	if (!s->conv || !s->md || !s->md_orig) {
		sk_mail_sanitizer_free(s);
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	}
	*out = s;
	return SK_OK;
}

void sk_mail_sanitizer_free(sk_mail_sanitizer *s)
{
	if (!s)
		return;
	if (s->po)
		g_mime_parser_options_free(s->po);
	sk_mail_conv_free(s->conv);
	EVP_MD_CTX_free(s->md);
	EVP_MD_CTX_free(s->md_orig);
	sk_mime_scan_free(&s->scan);
	sk_buf_free(&s->raw);
	sk_buf_free(&s->text);
	sk_buf_free(&s->tmp);
	free(s);
}

void sk_mail_result_free(sk_mail_result *r)
{
	json_decref(r->json);
	r->json = NULL;
	sk_buf_free(&r->message);
}

/* ---- one run ---- */

typedef struct run {
	sk_mail_sanitizer *s;
	json_t *headers, *removed, *notices;
	sk_buf body;
	sk_err e; /* the first allocation failure; everything after it is skipped */
	/*
	 * The original's SHA-256, when the caller did not give it, is computed
	 * alongside the removed parts' (sha256.h): orig_left bytes at orig_p
	 * are still to go into orig.
	 */
	sk_mail_sha256 orig;
	const char *orig_p;
	size_t orig_left;
	bool orig_open;
	bool body_truncated;
	size_t text_parts;
	InternetAddressList *addr[3]; /* From, To, Cc as parsed, for rendering */
	char *subject, *date, *message_id;
} run;

static void notice(run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notice(run *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap); /* a cut notice beats none */
	va_end(ap);
	sk_buf clean = SK_BUF_INIT(sizeof(msg) * 2);
	if (sk_mail_utf8_clean(msg, strlen(msg), false, &clean, NULL) == SK_OK &&
	    json_array_append_new(r->notices, json_stringn(clean.data, clean.len)) != 0)
		r->e = SK_ERR_NOMEM;
	sk_buf_free(&clean);
}

/*
 * A link whose text shows one host and leads to another (html2text.h), in
 * the catalog's Japanese, the language of every notice. The hosts are
 * defanged (city[.]example) so that the notice itself is no live link.
 */
static void link_mismatch(void *ctx, const char *shown, const char *target)
{
	run *r = ctx;
	char a[3 * 256], b[3 * 256];
	size_t k = 0;
	for (const char *c = shown; *c && k + 4 < sizeof(a); c++)
		k += (size_t)snprintf(a + k, sizeof(a) - k, *c == '.' ? "[.]" : "%c", *c);
	k = 0;
	for (const char *c = target; *c && k + 4 < sizeof(b); c++)
		k += (size_t)snprintf(b + k, sizeof(b) - k, *c == '.' ? "[.]" : "%c", *c);
	char msg[2048];
	snprintf(msg, sizeof(msg), sk_msg_format(SK_M_MAIL_LINK_MISMATCH, SK_LANG_JA), a, b);
	notice(r, "%s", msg);
}

static void hex32(const unsigned char h[32], char out[65])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[64] = '\0';
}

/*
 * Appends as much of p as fits under out's cap, as appending byte by byte
 * would, so that a name cut at its cap is cut at the same byte as before.
 */
static sk_err add_upto(sk_buf *out, const char *p, size_t n)
{
	sk_err e = sk_buf_add(out, p, n);
	if (e != SK_ERR_TOO_BIG)
		return e;
	size_t room = out->max > out->len ? out->max - out->len : 0;
	sk_err e2 = sk_buf_add(out, p, room < n ? room : n);
	return e2 ? e2 : e;
}

/* In names and headers, deceptive characters (sk_utf8_is_deceptive) are shown as [U+XXXX]. */
static sk_err escape_invisible(const char *s, size_t n, sk_buf *out)
{
	sk_err e = SK_OK;
	size_t from = 0; /* start of the bytes not yet written: copied a run at a time */
	for (size_t i = 0; i < n && !e; i++) {
		const unsigned char *p = (const unsigned char *)s + i;
		uint32_t cp;
		/* Every character listed is three bytes long and starts E2 or EF. */
		if ((p[0] == 0xE2 || p[0] == 0xEF) && sk_utf8_decode(p, n - i, &cp) == 3) {
			if (sk_utf8_is_deceptive(cp)) {
				e = add_upto(out, s + from, i - from);
				e = e ? e : sk_buf_addf(out, "[U+%04X]", (unsigned)cp);
				i += 2;
				from = i + 1;
			}
		}
	}
	return e ? e : add_upto(out, s + from, n - from);
}

/* ---- headers ---- */

/*
 * Copies p (n bytes) into out, turning each esc followed by two hex digits
 * into that byte (RFC 2047 Q: '=', with '_' for a space; RFC 2231: '%').
 * Anything else, a malformed escape included, is copied as it is.
 */
static sk_err unescape_hex(const char *p, size_t n, char esc, bool underscore_space, sk_buf *out)
{
	sk_err e = SK_OK;
	for (size_t i = 0; i < n && !e; i++) {
		if (underscore_space && p[i] == '_') {
			e = sk_buf_addc(out, ' ');
		} else if (p[i] == esc && i + 2 < n + 0 && g_ascii_isxdigit(p[i + 1]) &&
		           g_ascii_isxdigit(p[i + 2])) {
			e = sk_buf_addc(out, (char)(g_ascii_xdigit_value(p[i + 1]) * 16 +
			                            g_ascii_xdigit_value(p[i + 2])));
			i += 2;
		} else {
			e = sk_buf_addc(out, p[i]);
		}
	}
	return e;
}

/* Decodes RFC 2047 B or Q text into out (bytes, not yet a charset). */
static sk_err decode_ew_payload(char enc, const char *p, size_t n, sk_buf *out)
{
	if (enc == 'Q' || enc == 'q')
		return unescape_hex(p, n, '=', true, out);
	/*
	 * Base64 through GLib's decoder, which is lenient as headers need: stray
	 * characters skipped, missing padding tolerated. Three bytes per four
	 * characters is room enough.
	 */
	sk_err e = sk_buf_grow(out, n / 4 * 3 + 3);
	if (e)
		return e;
	gint state = 0;
	guint save = 0;
	out->len += g_base64_decode_step(p, n, (guchar *)out->data + out->len, &state, &save);
	out->data[out->len] = '\0';
	return SK_OK;
}

/* An encoded word =?charset[*lang]?B|Q?text?= at p: its parts and its length, or 0. */
typedef struct ew {
	const char *cs;
	size_t cs_len;
	char enc;
	const char *text;
	size_t text_len;
} ew;

static size_t parse_ew(const char *p, const char *end, ew *w)
{
	if (end - p < 8 || p[0] != '=' || p[1] != '?')
		return 0;
	const char *q = p + 2, *cs = q;
	while (q < end && *q != '?' && *q > ' ' && *q < 0x7F)
		q++;
	if (q >= end || *q != '?' || q == cs || end - q < 5)
		return 0;
	w->cs = cs;
	w->cs_len = (size_t)(q - cs);
	const char *star = memchr(cs, '*', w->cs_len); /* RFC 2231 language suffix */
	if (star)
		w->cs_len = (size_t)(star - cs);
	w->enc = q[1];
	if (!strchr("BbQq", w->enc) || q[2] != '?')
		return 0;
	const char *t = q + 3, *x = t;
	while (x + 1 < end && !(x[0] == '?' && x[1] == '=') && x[0] > ' ')
		x++;
	if (x + 1 >= end || x[0] != '?' || x[1] != '=')
		return 0;
	w->text = t;
	w->text_len = (size_t)(x - t);
	return (size_t)(x + 2 - p);
}

static int is_wsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/*
 * Decodes an unstructured header value to clean UTF-8 (control characters,
 * including the newlines of folding, become spaces). Adjacent encoded words
 * in the same charset are joined before decoding, so a character split
 * across two of them survives; whitespace between encoded words is dropped.
 * When ew_utf8 is set, encoded words are instead rewritten as UTF-8 encoded
 * words, leaving the structure of an address header for GMime to parse.
 */
static sk_err decode_header(run *r, const char *v, size_t n, bool ew_utf8, sk_buf *out)
{
	sk_mail_sanitizer *s = r->s;
	const char *p = v, *end = v + n;
	sk_buf *bytes = &s->raw;
	sk_err e = SK_OK;
	while (p < end && !e) {
		ew w;
		size_t wl = parse_ew(p, end, &w);
		if (!wl) {
			/* A run of plain text up to the next possible encoded word. */
			const char *q = p + 1;
			while (q < end && !(q[0] == '=' && q + 1 < end && q[1] == '?'))
				q++;
			sk_mail_decode_info info;
			e = sk_mail_decode(s->conv, NULL, p, (size_t)(q - p), false, out, &info);
			p = q;
			continue;
		}
		/* Collect the run of encoded words sharing this charset. */
		char cs[48];
		snprintf(cs, sizeof(cs), "%.*s", (int)(w.cs_len < 47 ? w.cs_len : 47), w.cs);
		sk_buf_reset(bytes);
		for (;;) {
			if ((e = decode_ew_payload(w.enc, w.text, w.text_len, bytes)))
				break;
			p += wl;
			const char *q = p;
			while (q < end && is_wsp(*q))
				q++;
			ew nw;
			size_t nl = parse_ew(q, end, &nw);
			if (!nl)
				break;
			if (nw.cs_len != strlen(cs) || strncasecmp(nw.cs, cs, nw.cs_len) != 0) {
				p = q; /* whitespace between encoded words is not text */
				break;
			}
			p = q;
			w = nw;
			wl = nl;
		}
		if (e)
			break;
		sk_mail_decode_info info;
		if (!ew_utf8) {
			e = sk_mail_decode(s->conv, cs, bytes->data, bytes->len, false, out, &info);
			continue;
		}
		sk_buf_reset(&s->tmp);
		if ((e = sk_mail_decode(s->conv, cs, bytes->data, bytes->len, false, &s->tmp,
		                        &info)))
			break;
		gchar *b64 = g_base64_encode((const guchar *)s->tmp.data, s->tmp.len);
		e = sk_buf_addf(out, "=?UTF-8?B?%s?=", b64);
		g_free(b64);
	}
	sk_buf_reset(bytes);
	return e;
}

/* Trims spaces at both ends of b and collapses runs of spaces. */
static void squeeze_spaces(sk_buf *b)
{
	size_t j = 0;
	for (size_t i = 0; i < b->len; i++) {
		if (b->data[i] == ' ' && (j == 0 || b->data[j - 1] == ' '))
			continue;
		b->data[j++] = b->data[i];
	}
	while (j > 0 && b->data[j - 1] == ' ')
		j--;
	b->len = j;
	b->data[j] = '\0';
}

static char *buf_strdup(const sk_buf *b) { return g_strndup(b->data, b->len); }

static const struct {
	const char *name; /* as in the message */
	const char *key;  /* in the JSON object */
	int addr;         /* index into run.addr, or -1 */
} wanted_headers[] = {
    {"From", "from", 0},
    {"To", "to", 1},
    {"Cc", "cc", 2},
    {"Date", "date", -1},
    {"Subject", "subject", -1},
    {"Message-ID", "message-id", -1},
};

#define NWANTED (sizeof(wanted_headers) / sizeof(wanted_headers[0]))

static sk_err escape_invisible(const char *s, size_t n, sk_buf *out);

/* A display name as a phrase: encoded when it is not ASCII, quoted when it has specials. */
static sk_err add_name(sk_buf *out, const char *name, bool encode)
{
	bool ascii = true, plain = true;
	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x80)
			ascii = false;
		else if (!g_ascii_isalnum(c) && !strchr(" !#$%&'*+-/=?^_`{|}~", c))
			plain = false;
	}
	if (encode && !ascii) {
		char *v = g_mime_utils_header_encode_phrase(NULL, name, "UTF-8");
		sk_err e = sk_buf_adds(out, v ? v : "");
		g_free(v);
		return e;
	}
	if (plain)
		return sk_buf_adds(out, name);
	sk_err e = sk_buf_addc(out, '"');
	for (const char *p = name; *p && !e; p++)
		e = (*p == '"' || *p == '\\') ? sk_buf_addf(out, "\\%c", *p) : sk_buf_addc(out, *p);
	return e ? e : sk_buf_addc(out, '"');
}

/* One mailbox: "Name <addr>", or the bare address without a name. */
static sk_err add_mailbox(sk_buf *out, InternetAddress *ia, bool encode)
{
	const char *name = internet_address_get_name(ia);
	const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
	sk_err e = SK_OK;
	if (name && *name)
		e = add_name(out, name, encode);
	return e ? e : sk_buf_addf(out, name && *name ? " <%s>" : "%s", addr ? addr : "");
}

/*
 * An address list as people read it ("Name <addr>, ...") or, with encode,
 * as a header carries it. GMime's own formatter converts every address to
 * IDNA on the way, which was a tenth of the sanitizer's time.
 */
static sk_err format_addresses(InternetAddressList *list, bool encode, sk_buf *out)
{
	sk_err e = SK_OK;
	int n = internet_address_list_length(list);
	for (int i = 0; i < n && !e; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (i > 0)
			e = sk_buf_adds(out, ", ");
		if (e)
			break;
		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			e = add_mailbox(out, ia, encode);
			continue;
		}
		if (!INTERNET_ADDRESS_IS_GROUP(ia))
			continue;
		/* Groups do not nest (RFC 5322): their members are mailboxes. */
		const char *name = internet_address_get_name(ia);
		InternetAddressList *m =
		    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
		e = add_name(out, name ? name : "", encode);
		e = e ? e : sk_buf_adds(out, ": ");
		int k = m ? internet_address_list_length(m) : 0;
		for (int j = 0, shown = 0; j < k && !e; j++) {
			InternetAddress *mb = internet_address_list_get_address(m, j);
			if (!INTERNET_ADDRESS_IS_MAILBOX(mb))
				continue;
			if (shown++ > 0)
				e = sk_buf_adds(out, ", ");
			e = e ? e : add_mailbox(out, mb, encode);
		}
		e = e ? e : sk_buf_addc(out, ';');
	}
	return e;
}

/*
 * Flags display names that look like an address other than the real one,
 * and escapes invisible characters in every name, for the JSON and for the
 * rendered message alike.
 */
static void check_display_names(run *r, const char *hname, InternetAddressList *list)
{
	int n = internet_address_list_length(list);
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		const char *name = internet_address_get_name(ia);
		if (name) {
			sk_buf esc = SK_BUF_INIT(64u << 10);
			if (escape_invisible(name, strlen(name), &esc) == SK_OK &&
			    strcmp(esc.data, name) != 0)
				internet_address_set_name(ia, esc.data);
			sk_buf_free(&esc);
			name = internet_address_get_name(ia);
		}
		const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
		if (name && addr && strchr(name, '@') && !strstr(name, addr))
			notice(r,
			       "[display_name_address] %s "
			       "の表示名「%s」はメールアドレスのように見えますが、"
			       "実際のアドレスは <%s> です。",
			       hname, name, addr);
	}
}

static void take_header(run *r, size_t k, const char *raw)
{
	sk_mail_sanitizer *s = r->s;
	sk_buf v = SK_BUF_INIT(64u << 10);
	sk_buf shown = SK_BUF_INIT(128u << 10);
	size_t rawlen = strlen(raw);
	int ai = wanted_headers[k].addr;
	sk_err e;
	if (ai >= 0) {
		e = decode_header(r, raw, rawlen, true, &v);
		if (!e) {
			InternetAddressList *list = internet_address_list_parse(s->po, v.data);
			if (!list)
				list = internet_address_list_new();
			r->addr[ai] = list;
			check_display_names(r, wanted_headers[k].name, list);
			sk_buf txt = SK_BUF_INIT(128u << 10);
			e = format_addresses(list, false, &txt);
			sk_buf_reset(&v);
			e = e ? e : sk_mail_utf8_clean(txt.data, txt.len, false, &v, NULL);
			sk_buf_free(&txt);
		}
	} else {
		e = decode_header(r, raw, rawlen, false, &v);
	}
	if (e == SK_ERR_TOO_BIG) {
		notice(r, "[header_limit] %s ヘッダーが長すぎるため切り詰めました。",
		       wanted_headers[k].name);
		e = SK_OK;
	}
	if (e) {
		r->e = e;
	} else {
		squeeze_spaces(&v);
		if (escape_invisible(v.data, v.len, &shown) ||
		    json_object_set_new(r->headers, wanted_headers[k].key,
		                        json_stringn(shown.data, shown.len)))
			r->e = SK_ERR_NOMEM;
		if (strcmp(wanted_headers[k].key, "subject") == 0)
			r->subject = buf_strdup(&shown);
		else if (strcmp(wanted_headers[k].key, "date") == 0)
			r->date = buf_strdup(&shown);
		else if (strcmp(wanted_headers[k].key, "message-id") == 0)
			r->message_id = buf_strdup(&shown);
	}
	sk_buf_free(&v);
	sk_buf_free(&shown);
}

static void take_headers(run *r)
{
	const sk_mime_scan *sc = &r->s->scan;
	bool seen[NWANTED] = {false};
	for (size_t i = 0; i < sc->nheaders && !r->e; i++) {
		const sk_mime_header *h = &sc->headers[i];
		for (size_t k = 0; k < NWANTED; k++) {
			const char *want = wanted_headers[k].name;
			if (h->name.len != strlen(want) ||
			    g_ascii_strncasecmp(sc->data + h->name.off, want, h->name.len) != 0)
				continue;
			if (seen[k]) {
				notice(r,
				       "[duplicate_header] %s "
				       "ヘッダーが複数あります。最初のものを示しています。",
				       want);
			} else {
				seen[k] = true;
				char *raw = sk_mime_strdup(sc, h->value);
				take_header(r, k, raw);
				g_free(raw);
			}
			break;
		}
	}
}

/* ---- parts ---- */

/* A removed part's digest, with the run whose original's digest goes alongside. */
typedef struct part_hash {
	run *r;
	sk_mail_sha256 h;
} part_hash;

static sk_err sink_hash(void *ctx, const char *p, size_t n)
{
	part_hash *ph = ctx;
	run *r = ph->r;
	if (!r->orig_open)
		return sk_mail_sha256_update(&ph->h, p, n);
	size_t k = r->orig_left < n ? r->orig_left : n;
	sk_err e = sk_mail_sha256_update2(&ph->h, p, n, &r->orig, r->orig_p, k);
	r->orig_p += k;
	r->orig_left -= k;
	return e;
}

/* Hashes what is left of the original and writes its digest. */
static sk_err finish_orig(run *r, unsigned char sha[32])
{
	if (!r->orig_open)
		return SK_OK;
	r->orig_open = false;
	sk_err e = sk_mail_sha256_update(&r->orig, r->orig_p, r->orig_left);
	return e ? e : sk_mail_sha256_final(&r->orig, sha);
}

static sk_err sink_buf(void *ctx, const char *p, size_t n) { return sk_buf_add(ctx, p, n); }

/* File types that are archives: listed like everything else, and said so, never opened. */
static const char *const archive_types[] = {
    "application/zip",   "application/x-zip-compressed", "application/x-7z-compressed",
    "application/x-rar", "application/vnd.rar",          "application/x-rar-compressed",
    "application/gzip",  "application/x-gzip",           "application/x-tar",
    "application/x-lzh", "application/x-lzh-compressed", "application/x-bzip2",
    "application/x-xz",
};
static const char *const archive_suffixes[] = {".zip", ".7z",  ".rar", ".gz", ".tgz", ".tar",
                                               ".lzh", ".lha", ".bz2", ".xz", ".cab"};

static bool is_archive(const char *type, const char *name)
{
	for (size_t i = 0; i < sizeof(archive_types) / sizeof(archive_types[0]); i++)
		if (strcasecmp(type, archive_types[i]) == 0)
			return true;
	size_t nl = strlen(name);
	for (size_t i = 0; i < sizeof(archive_suffixes) / sizeof(archive_suffixes[0]); i++) {
		size_t sl = strlen(archive_suffixes[i]);
		if (nl > sl && strcasecmp(name + nl - sl, archive_suffixes[i]) == 0)
			return true;
	}
	return false;
}

static void add_removed(run *r, const char *name, const char *type, uint64_t size,
                        const unsigned char sha[32])
{
	char hex[65];
	hex32(sha, hex);
	sk_buf clean = SK_BUF_INIT(8192);
	sk_buf shown = SK_BUF_INIT(16384);
	if (sk_mail_utf8_clean(name, strlen(name), false, &clean, NULL) == SK_ERR_NOMEM ||
	    escape_invisible(clean.data, clean.len, &shown) == SK_ERR_NOMEM) {
		r->e = SK_ERR_NOMEM;
	} else {
		json_t *o = json_pack("{s:s%,s:s,s:I,s:s}", "name", shown.data, shown.len, "type",
		                      type, "size", (json_int_t)size, "sha256", hex);
		if (!o || json_array_append_new(r->removed, o))
			r->e = SK_ERR_NOMEM;
		if (is_archive(type, shown.data))
			notice(r,
			       "[archive] 「%s」は圧縮ファイル (%s) です。中身は開いていません。",
			       shown.data, type);
	}
	sk_buf_free(&clean);
	sk_buf_free(&shown);
}

#define MAX_SEGMENTS 64

/*
 * The parameter want (filename or name) of a raw Content-Disposition or
 * Content-Type value, decoded to UTF-8 by our own decoders: RFC 2231
 * (charset'lang'%XX, continuations) and RFC 2047 words in quoted values.
 * GMime decodes these strictly, which turns ① in ISO-2022-JP into "?".
 */
static bool raw_param(run *r, const char *raw, const char *want, sk_buf *out)
{
	size_t wl = strlen(want), len = strlen(raw);
	struct seg {
		const char *p;
		size_t n;
		bool ext;
	} seg[MAX_SEGMENTS] = {{0}};
	const char *plain = NULL;
	size_t plain_n = 0;
	char *copy = g_strndup(raw, len); /* quoted values are unescaped in place */
	char *p = strchr(copy, ';'), *end = copy + len;
	while (p && p < end) {
		p++;
		while (p < end && (is_wsp(*p) || *p == ';'))
			p++;
		char *name = p;
		while (p < end && *p != '=' && *p != ';')
			p++;
		if (p >= end || *p != '=')
			continue;
		char *ne = p;
		while (ne > name && is_wsp(ne[-1]))
			ne--;
		p++;
		while (p < end && is_wsp(*p))
			p++;
		char *v = p, *w;
		if (p < end && *p == '"') {
			v = w = ++p;
			while (p < end && *p != '"') {
				if (*p == '\\' && p + 1 < end)
					p++;
				*w++ = *p++;
			}
			if (p < end)
				p++;
		} else {
			while (p < end && *p != ';' && !is_wsp(*p))
				p++;
			w = p;
		}
		size_t nl = (size_t)(ne - name), vn = (size_t)(w - v);
		if (nl < wl || g_ascii_strncasecmp(name, want, wl) != 0)
			goto next;
		if (nl == wl) {
			plain = v;
			plain_n = vn;
		} else if (name[wl] == '*') {
			const char *q = name + wl + 1;
			unsigned idx = 0;
			bool ext = false;
			if (q == ne) {
				ext = true; /* name*=charset'lang'value */
			} else {
				while (q < ne && *q >= '0' && *q <= '9' && idx < MAX_SEGMENTS)
					idx = idx * 10 + (unsigned)(*q++ - '0');
				ext = q < ne && *q == '*';
				if (q + (ext ? 1 : 0) != ne)
					goto next;
			}
			if (idx < MAX_SEGMENTS)
				seg[idx] = (struct seg){v, vn, ext};
		}
	next:
		p = memchr(p, ';', (size_t)(end - p));
	}
	bool found = false;
	sk_mail_sanitizer *s = r->s;
	if (seg[0].p) {
		char cs[48] = "";
		sk_buf bytes = SK_BUF_INIT(64u << 10);
		for (size_t i = 0; i < MAX_SEGMENTS && seg[i].p; i++) {
			const char *v = seg[i].p;
			size_t vn = seg[i].n;
			if (i == 0 && seg[i].ext) {
				const char *q1 = memchr(v, '\'', vn);
				const char *q2 =
				    q1 ? memchr(q1 + 1, '\'', vn - (size_t)(q1 + 1 - v)) : NULL;
				if (q2) {
					snprintf(cs, sizeof(cs), "%.*s", (int)(q1 - v), v);
					vn -= (size_t)(q2 + 1 - v);
					v = q2 + 1;
				}
			}
			if (seg[i].ext ? unescape_hex(v, vn, '%', false, &bytes)
			               : sk_buf_add(&bytes, v, vn))
				break;
		}
		found =
		    sk_mail_decode(s->conv, cs, bytes.data, bytes.len, false, out, NULL) == SK_OK;
		sk_buf_free(&bytes);
	} else if (plain) {
		found = decode_header(r, plain, plain_n, false, out) == SK_OK;
	}
	g_free(copy);
	return found && out->len > 0;
}

/* A part's file name: our decoding of its raw headers first, GMime's otherwise. */
static void part_name(run *r, sk_mime_part *p, sk_buf *out)
{
	sk_mime_scan *sc = &r->s->scan;
	const sk_mime_span where[] = {p->cdisp_first, p->ctype_first};
	const char *const param[] = {"filename", "name"};
	for (size_t i = 0; i < 2; i++) {
		sk_buf_reset(out);
		if (!where[i].set)
			continue;
		char *raw = sk_mime_strdup(sc, where[i]);
		bool found = raw_param(r, raw, param[i], out);
		g_free(raw);
		if (found)
			return;
	}
	sk_buf_reset(out);
	const char *g = p->kind == SK_MIME_LEAF ? sk_mime_part_filename(sc, p) : NULL;
	if (g)
		(void)sk_buf_adds(out, g);
}

/*
 * A forwarded message's subject, as GMime decodes it, to name it by when
 * its part has no file name.
 */
static char *inner_subject(run *r, const sk_mime_part *p)
{
	sk_mime_scan *sc = &r->s->scan;
	sk_mime_span v;
	if (p->body.len == 0 ||
	    !sk_mime_find_header(sc->data, p->body.off, p->body.len, "Subject", &v))
		return NULL;
	char *raw = sk_mime_strdup(sc, v);
	char *unfolded = g_mime_utils_header_unfold(raw);
	char *subject = g_mime_utils_header_decode_text(r->s->po, unfolded);
	g_free(raw);
	g_free(unfolded);
	return subject;
}

/*
 * Removes a leaf part: hashes its decoded content and lists it. A forwarded
 * message is hashed as it was sent, inner headers and all.
 */
static void remove_part(run *r, sk_mime_part *p)
{
	sk_mail_sanitizer *s = r->s;
	char type[128];
	sk_mime_part_type(p, type, sizeof(type));
	uint64_t size = 0;
	unsigned char sha[32] = {0};
	char *subject = NULL;
	const char *name = NULL;
	part_hash ph = {.r = r};
	sk_buf namebuf = SK_BUF_INIT(64u << 10);
	part_name(r, p, &namebuf);
	if (namebuf.len)
		name = namebuf.data;
	if (!name && p->kind == SK_MIME_MESSAGE)
		name = subject = inner_subject(r, p);
	if (sk_mail_sha256_init(&ph.h, s->md) ||
	    sk_mime_decode(&s->scan, p, sink_hash, &ph, &size) || sk_mail_sha256_final(&ph.h, sha))
		r->e = SK_ERR_NOMEM;
	add_removed(r, name ? name : "", type, size, sha);
	g_free(subject);
	sk_buf_free(&namebuf);
}

/* Appends a text part's content as UTF-8 to the body. */
static void take_text(run *r, sk_mime_part *part, bool html)
{
	sk_mail_sanitizer *s = r->s;
	uint64_t size;
	sk_buf_reset(&s->raw);
	sk_buf_reset(&s->text);
	/* Text that is not transfer-encoded is read where it lies. */
	const char *raw = s->scan.data + part->body.off;
	size_t rawlen = part->body.len;
	sk_err e = SK_OK;
	if (!sk_mime_identity(part)) {
		e = sk_mime_decode(&s->scan, part, sink_buf, &s->raw, &size);
		raw = s->raw.data;
		rawlen = s->raw.len;
	}
	if (e == SK_ERR_NOMEM) {
		r->e = e;
		return;
	}
	const char *cs = part->ct ? g_mime_content_type_get_parameter(part->ct, "charset") : NULL;
	sk_mail_decode_info info;
	e = sk_mail_decode(s->conv, cs, raw, rawlen, true, &s->text, &info);
	if (e == SK_ERR_NOMEM) {
		r->e = e;
		return;
	}
	if (info.unknown)
		notice(r,
		       "[charset_unknown] 文字コード「%s」は分からないため、%s として読みました。",
		       cs ? cs : "", info.used);
	if (info.replaced)
		notice(
		    r,
		    "[charset_replaced] 文字コード %s として読めないバイト列 %zu 個を U+FFFD (�) "
		    "に置き換えました。",
		    cs && *cs ? cs : info.used, info.replaced);
	if (r->text_parts++ > 0 && r->body.len > 0)
		e = sk_buf_adds(&r->body, "\n\n");
	if (!html) {
		e = e ? e : sk_buf_add(&r->body, s->text.data, s->text.len);
	} else {
		sk_mail_html_opts ho = {.max_tags = s->o.limits.max_html_tags,
		                        .max_memory = s->o.limits.max_html_mem,
		                        .defang_links = s->o.defang_links,
		                        .on_link_mismatch = link_mismatch,
		                        .link_ctx = r};
		sk_buf herr = SK_BUF_INIT(SK_BUF_MSG_MAX);
		size_t before = r->body.len;
		e = e ? e : sk_mail_html_to_text(s->text.data, s->text.len, &ho, &r->body, &herr);
		if (e == SK_ERR_TOO_BIG && r->body.len == before) {
			notice(r,
			       "[html_limit] HTML を本文に変換できませんでした (%s)。HTML "
			       "は削除しました。",
			       herr.data);
			remove_part(r, part);
			e = SK_OK;
		} else if (!e) {
			notice(r, "[html_converted] HTML の本文をテキストに変換しました "
			          "(スクリプト・スタイル・画像は削除、リンクは文字で表示)。");
		}
		sk_buf_free(&herr);
	}
	if (e == SK_ERR_TOO_BIG) {
		r->body_truncated = true;
		e = SK_OK;
	}
	if (e)
		r->e = e;
}

/*
 * Takes the text parts and removes the rest, in document order. The scanner
 * already applied the part and depth limits; what is left is whether a text
 * part is the one its multipart/alternative shows (plain text first, else
 * the last part), which is known once the alternative's parts are all found.
 */
static void walk(run *r)
{
	sk_mime_scan *sc = &r->s->scan;
	const sk_mail_limits *L = &r->s->o.limits;
	bool *unchosen = calloc(sc->nparts + 1, sizeof(*unchosen));
	if (!unchosen) {
		r->e = SK_ERR_NOMEM;
		return;
	}
	for (size_t i = 0; i < sc->nparts && !r->e; i++) {
		sk_mime_part *p = &sc->parts[i];
		if (p->parent != SK_MIME_NONE) {
			const sk_mime_part *mp = &sc->parts[p->parent];
			size_t chosen = !mp->alternative                  ? SK_MIME_NONE
			                : mp->first_plain != SK_MIME_NONE ? mp->first_plain
			                                                  : mp->nchildren - 1;
			unchosen[i] =
			    unchosen[p->parent] || (chosen != SK_MIME_NONE && p->index != chosen);
		}
		if (p->kind == SK_MIME_MULTIPART)
			continue;
		int kind = sk_mime_body_kind(sc, p);
		if (kind && unchosen[i])
			continue;
		if (kind)
			take_text(r, p, kind == 2);
		else
			remove_part(r, p);
	}
	free(unchosen);
	if (sc->skipped)
		notice(r,
		       "[parts_limit] パートの数が上限 %zu を超えました。残りの %zu "
		       "個は調べずに削除しました。",
		       L->max_parts, sc->skipped);
	if (sc->too_deep)
		notice(r,
		       "[depth_limit] 入れ子が上限 %zu 段を超えました。その内側の %zu "
		       "個のパートは調べずに"
		       "削除しました。",
		       L->max_depth, sc->too_deep);
}

/* ---- output ---- */

static sk_err footer(run *r)
{
	sk_buf *b = &r->body;
	sk_err e = SK_OK;
	/* The footer is always written, even past the text limit. */
	b->max = b->len + 64 + 1024 * (json_array_size(r->removed) + json_array_size(r->notices)) +
	         65536;
	while (b->len > 0 && (b->data[b->len - 1] == '\n' || b->data[b->len - 1] == ' '))
		b->data[--b->len] = '\0';
	if (b->len)
		e = sk_buf_adds(b, "\n\n");
	e = e ? e : sk_buf_addf(b, "======== 無害化 (%s) ========\n", sk_mail_sanitizer_version());
	size_t nr = json_array_size(r->removed);
	if (!e && nr == 0)
		e = sk_buf_adds(b, "削除したものはありません。\n");
	if (!e && nr)
		e = sk_buf_addf(b, "削除した添付ファイル・パート (%zu):\n", nr);
	for (size_t i = 0; i < nr && !e; i++) {
		json_t *o = json_array_get(r->removed, i);
		const char *name = json_string_value(json_object_get(o, "name"));
		e = sk_buf_addf(b,
		                "%zu. %s\n   種類: %s  サイズ: %" JSON_INTEGER_FORMAT
		                " バイト\n   SHA-256: %s\n",
		                i + 1, *name ? name : "(名前なし)",
		                json_string_value(json_object_get(o, "type")),
		                json_integer_value(json_object_get(o, "size")),
		                json_string_value(json_object_get(o, "sha256")));
	}
	size_t nn = json_array_size(r->notices);
	if (!e && nn)
		e = sk_buf_adds(b, "注意:\n");
	for (size_t i = 0; i < nn && !e; i++)
		e = sk_buf_addf(b, "- %s\n", json_string_value(json_array_get(r->notices, i)));
	return e;
}

/*
 * Appends "Name: value" folded at spaces so that lines stay within 78
 * characters where the words allow (a longer word stays whole).
 */
static sk_err add_folded(sk_buf *out, const char *name, const char *value)
{
	sk_err e = sk_buf_addf(out, "%s:", name);
	size_t line = strlen(name) + 1;
	const char *p = value;
	while (!e && *p) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, " \t\r\n");
		if (line + 1 + n > 78 && line > strlen(name) + 1) {
			e = sk_buf_adds(out, "\n");
			line = 0;
		}
		if (!e)
			e = sk_buf_addc(out, ' ');
		if (!e)
			e = sk_buf_add(out, p, n);
		line += 1 + n;
		p += n;
	}
	return e ? e : sk_buf_addc(out, '\n');
}

static bool is_ascii_text(const char *s, size_t n)
{
	size_t line = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || (c < 0x20 && c != '\n' && c != '\t'))
			return false;
		line = c == '\n' ? 0 : line + 1;
		if (line > 998)
			return false;
	}
	return true;
}

/*
 * The body as base64 in lines of 76 (RFC 2045), by GLib's encoder, written
 * straight into out's room. GLib breaks a line after every 76 characters;
 * the close is asked for no newline of its own and one is added only where
 * the last line is unterminated, so a body of a multiple of 57 bytes gets
 * no empty line.
 */
static sk_err add_base64(sk_buf *out, const char *p, size_t n)
{
	/* Four characters per three bytes, a newline per 57 bytes, and the last one. */
	sk_err e = sk_buf_grow(out, (n + 2) / 3 * 4 + n / 57 + 2);
	if (e)
		return e;
	gint state = 0, save = 0;
	char *o = out->data + out->len;
	size_t k = g_base64_encode_step((const guchar *)p, n, TRUE, o, &state, &save);
	k += g_base64_encode_close(FALSE, o + k, &state, &save);
	if (k && o[k - 1] != '\n')
		o[k++] = '\n';
	out->len += k;
	out->data[out->len] = '\0';
	return SK_OK;
}

/*
 * Writes the sanitized message. Names and the subject are encoded by GMime
 * (RFC 2047, UTF-8); the rest is ours, several times faster than building a
 * GMimeMessage for it.
 */
static sk_err render(run *r, size_t nremoved, const char *sha_hex, sk_buf *out)
{
	static const char *const names[3] = {"From", "To", "Cc"};
	sk_err e = SK_OK;
	for (int i = 0; i < 3 && !e; i++) {
		if (!r->addr[i] || internet_address_list_length(r->addr[i]) == 0)
			continue;
		sk_buf v = SK_BUF_INIT(256u << 10);
		e = format_addresses(r->addr[i], true, &v);
		e = e ? e : add_folded(out, names[i], v.data);
		sk_buf_free(&v);
	}
	if (!e && r->date && *r->date) {
		char *v = g_mime_utils_header_encode_text(NULL, r->date, "UTF-8");
		e = add_folded(out, "Date", v ? v : "");
		g_free(v);
	}
	if (!e && r->subject) {
		char *v = g_mime_utils_header_encode_text(NULL, r->subject, "UTF-8");
		e = add_folded(out, "Subject", v ? v : "");
		g_free(v);
	}
	if (!e && r->message_id) {
		/* Only a well-formed identifier is carried over; anything else is in the JSON. */
		const char *id = r->message_id;
		size_t il = strlen(id);
		bool ok = il > 2 && il < 990 && id[0] == '<' && id[il - 1] == '>';
		for (size_t i = 1; ok && i + 1 < il; i++)
			ok = id[i] > ' ' && id[i] < 0x7F && id[i] != '<' && id[i] != '>';
		if (ok)
			e = sk_buf_addf(out, "Message-ID: %s\n", id);
	}
	bool ascii = is_ascii_text(r->body.data, r->body.len);
	if (!e)
		e = sk_buf_addf(out,
		                "MIME-Version: 1.0\n"
		                "X-Sekisho-Sanitized: %s; removed=%zu;\n original-sha256=%s\n"
		                "Content-Type: text/plain; charset=UTF-8\n"
		                "Content-Transfer-Encoding: %s\n\n",
		                sk_mail_sanitizer_version(), nremoved, sha_hex,
		                ascii ? "7bit" : "base64");
	if (!e)
		e = ascii ? sk_buf_add(out, r->body.data, r->body.len)
		          : add_base64(out, r->body.data, r->body.len);
	if (!e && ascii && r->body.len && r->body.data[r->body.len - 1] != '\n')
		e = sk_buf_addc(out, '\n');
	return e;
}

/* The end of the header block in data: where the body would start, or len. */
static size_t header_end(const char *data, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (data[i] == '\n' &&
		    (data[i + 1] == '\n' ||
		     (data[i + 1] == '\r' && i + 2 < len && data[i + 2] == '\n')))
			return i + 1;
	return len;
}

/* Whether the bytes start like a header field ("Name:"); GMime accepts anything. */
static bool looks_like_mail(const char *d, size_t n)
{
	size_t i = 0;
	if (n >= 5 && memcmp(d, "From ", 5) == 0) { /* an mbox separator line */
		const char *nl = memchr(d, '\n', n);
		if (!nl)
			return false;
		i = (size_t)(nl - d) + 1;
	}
	size_t start = i;
	while (i < n && d[i] > ' ' && d[i] < 0x7F && d[i] != ':')
		i++;
	while (i < n && (d[i] == ' ' || d[i] == '\t'))
		i++;
	return i > start && i < n && d[i] == ':';
}

sk_err sk_mail_sanitize(sk_mail_sanitizer *s, const sk_mail_input *in, sk_mail_result *out,
                        sk_buf *err)
{
	memset(out, 0, sizeof(*out));
	sk_buf_init(&out->message, SK_BUF_DEFAULT_MAX);
	out->size = in->total ? in->total : in->len;
	unsigned char sha[32] = {0};
	run r = {.s = s};
	if (in->sha256) {
		memcpy(sha, in->sha256, 32);
	} else {
		r.orig_open = true;
		r.orig_p = in->data;
		r.orig_left = in->len;
		if (sk_mail_sha256_init(&r.orig, s->md_orig))
			return sk_fail(err, SK_ERR_NOMEM, "cannot compute SHA-256");
	}
	if (!looks_like_mail(in->data, in->len)) {
		if (finish_orig(&r, sha))
			return sk_fail(err, SK_ERR_NOMEM, "cannot compute SHA-256");
		hex32(sha, out->sha256);
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   in->len ? SK_M_MAIL_NO_HEADER : SK_M_MAIL_INPUT_EMPTY);
	}

	r.headers = json_object();
	r.removed = json_array();
	r.notices = json_array();
	sk_buf_init(&r.body, s->o.limits.max_text);
	bool oversize = out->size > s->o.limits.max_size || in->len > s->o.limits.max_size;
	size_t parse_len = oversize ? header_end(in->data, in->len) : in->len;

	/* GMime reads header values as C strings: a NUL would hide the rest of a header. */
	char *copy = NULL;
	const char *data = in->data;
	size_t hend = header_end(in->data, parse_len);
	if (memchr(in->data, 0, hend)) {
		copy = malloc(parse_len);
		if (copy) {
			memcpy(copy, in->data, parse_len);
			for (size_t i = 0; i < hend; i++)
				if (copy[i] == '\0')
					copy[i] = ' ';
			data = copy;
			notice(&r,
			       "[nul_bytes] ヘッダーにあった NUL バイトを空白に置き換えました。");
		} else {
			r.e = SK_ERR_NOMEM;
		}
	}
	if (!r.e && !(r.headers && r.removed && r.notices))
		r.e = SK_ERR_NOMEM;
	if (!r.e)
		r.e = sk_mime_scan_run(&s->scan, s->po, data, parse_len, s->o.limits.max_parts,
		                       s->o.limits.max_depth);
	if (!r.e) {
		take_headers(&r);
		if (oversize) {
			notice(&r,
			       "[size_limit] メールの大きさ %" PRIu64
			       " バイトが上限 %zu バイトを超えています。"
			       "本文と添付はすべて削除しました。",
			       out->size, s->o.limits.max_size);
			r.e = finish_orig(&r, sha);
			add_removed(&r, "", "message/rfc822", out->size, sha);
		} else {
			walk(&r);
		}
		if (!r.e && r.text_parts == 0)
			notice(&r, "[no_text] 本文として読めるテキストのパートがありません。");
		if (!r.e && r.body_truncated)
			notice(
			    &r,
			    "[text_limit] 本文が上限 %zu バイトを超えたため、残りを削除しました。",
			    s->o.limits.max_text);
	}
	sk_err he = finish_orig(&r, sha); /* also after a failure: the digest is always reported */
	r.e = r.e ? r.e : he;
	if (!he)
		hex32(sha, out->sha256);
	if (!r.e)
		r.e = footer(&r);
	if (!r.e) {
		out->nremoved = json_array_size(r.removed);
		/* The body is copied (and checked again as UTF-8) only for callers that print it.
		 */
		out->json = s->o.json_body ? json_pack("{s:o,s:s%,s:o,s:o}", "headers", r.headers,
		                                       "body", r.body.data, r.body.len, "removed",
		                                       r.removed, "notices", r.notices)
		                           : json_pack("{s:o,s:o,s:o}", "headers", r.headers,
		                                       "removed", r.removed, "notices", r.notices);
		r.headers = r.removed = r.notices = NULL;
		if (!out->json)
			r.e = SK_ERR_NOMEM;
	}
	if (!r.e && s->o.render)
		r.e = render(&r, out->nremoved, out->sha256, &out->message);

	free(copy); /* only now: every part was read from it */
	for (int i = 0; i < 3; i++)
		if (r.addr[i])
			g_object_unref(r.addr[i]);
	g_free(r.subject);
	g_free(r.date);
	g_free(r.message_id);
	json_decref(r.headers);
	json_decref(r.removed);
	json_decref(r.notices);
	sk_buf_free(&r.body);
	if (r.e)
		return sk_fail_msg(err, r.e, NULL, NULL, SK_M_MAIL_WHILE_SANITIZING_MESSAGE,
		                   sk_err_str(r.e));
	return SK_OK;
}
