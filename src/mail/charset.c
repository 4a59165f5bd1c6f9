/* charset: MIME charset labels to clean UTF-8, with CP932 for Japanese mail. */
#include "charset.h"

#include "../core/sk_utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum decoder { DEC_UTF8, DEC_ISO2022JP, DEC_ICONV };

/* Labels seen in real mail, mapped to what actually decodes them. */
static const struct {
	const char *label;
	enum decoder dec;
	const char *iconv_name;
} charset_table[] = {
    {"utf-8", DEC_UTF8, "UTF-8"},
    {"utf8", DEC_UTF8, "UTF-8"},
    {"us-ascii", DEC_UTF8, "UTF-8"},
    {"ascii", DEC_UTF8, "UTF-8"},
    {"ansi_x3.4-1968", DEC_UTF8, "UTF-8"},
    {"iso-2022-jp", DEC_ISO2022JP, "ISO-2022-JP"},
    {"csiso2022jp", DEC_ISO2022JP, "ISO-2022-JP"},
    {"iso-2022-jp-1", DEC_ISO2022JP, "ISO-2022-JP"},
    {"iso-2022-jp-2", DEC_ISO2022JP, "ISO-2022-JP"},
    {"iso-2022-jp-3", DEC_ISO2022JP, "ISO-2022-JP"},
    {"iso-2022-jp-ms", DEC_ISO2022JP, "ISO-2022-JP"},
    {"cp50220", DEC_ISO2022JP, "ISO-2022-JP"},
    {"cp50221", DEC_ISO2022JP, "ISO-2022-JP"},
    {"cp50222", DEC_ISO2022JP, "ISO-2022-JP"},
    {"shift_jis", DEC_ICONV, "CP932"},
    {"shift-jis", DEC_ICONV, "CP932"},
    {"sjis", DEC_ICONV, "CP932"},
    {"x-sjis", DEC_ICONV, "CP932"},
    {"ms_kanji", DEC_ICONV, "CP932"},
    {"csshiftjis", DEC_ICONV, "CP932"},
    {"windows-31j", DEC_ICONV, "CP932"},
    {"cp932", DEC_ICONV, "CP932"},
    {"ms932", DEC_ICONV, "CP932"},
    {"x-ms-cp932", DEC_ICONV, "CP932"},
    {"euc-jp", DEC_ICONV, "EUC-JP-MS"},
    {"eucjp", DEC_ICONV, "EUC-JP-MS"},
    {"x-euc-jp", DEC_ICONV, "EUC-JP-MS"},
    {"cseucpkdfmtjapanese", DEC_ICONV, "EUC-JP-MS"},
    {"euc-jp-ms", DEC_ICONV, "EUC-JP-MS"},
};

#define CONV_SLOTS 8

struct sk_mail_conv {
	struct {
		char name[40];
		iconv_t cd;
		bool open;
	} slot[CONV_SLOTS];
	size_t next; /* the slot to reuse when all are taken */
	sk_buf scratch;
};

sk_mail_conv *sk_mail_conv_new(void)
{
	sk_mail_conv *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	sk_buf_init(&c->scratch, SK_BUF_DEFAULT_MAX);
	return c;
}

void sk_mail_conv_free(sk_mail_conv *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < CONV_SLOTS; i++)
		if (c->slot[i].open)
			iconv_close(c->slot[i].cd);
	sk_buf_free(&c->scratch);
	free(c);
}

/* iconv_open's failure value, (iconv_t)-1, compared in one place. */
static bool iconv_failed(iconv_t cd)
{
	return cd == (iconv_t)-1; // NOLINT(performance-no-int-to-ptr): iconv's own API
}

/* A cached iconv handle from name to UTF-8, reset to its initial state; false if none. */
static bool conv_get(sk_mail_conv *c, const char *name, iconv_t *out)
{
	for (size_t i = 0; i < CONV_SLOTS; i++)
		if (c->slot[i].open && strcmp(c->slot[i].name, name) == 0) {
			iconv(c->slot[i].cd, NULL, NULL, NULL, NULL);
			*out = c->slot[i].cd;
			return true;
		}
	if (strlen(name) >= sizeof(c->slot[0].name))
		return false;
	iconv_t cd = iconv_open("UTF-8", name);
	if (iconv_failed(cd))
		return false;
	size_t i = c->next;
	c->next = (c->next + 1) % CONV_SLOTS;
	if (c->slot[i].open)
		iconv_close(c->slot[i].cd);
	c->slot[i].cd = cd;
	c->slot[i].open = true;
	strcpy(c->slot[i].name, name);
	*out = cd;
	return true;
}

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

bool sk_mail_utf8_valid(const char *s, size_t len) { return sk_utf8_valid(s, len, NULL); }

/*
 * Length of the valid UTF-8 sequence at p (1..4), or 0 when it is invalid;
 * *cp receives the code point.
 */
static inline size_t utf8_seq(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
	return sk_utf8_decode(p, (size_t)(end - p), cp);
}

/*
 * Appends a run of text that passes unchanged. Should it not fit under the
 * cap, as much is appended as appending each ASCII stretch and each
 * multi-byte character on its own would have, so text cut at the limit is
 * cut where it always was, and never inside a character.
 */
static sk_err add_run(sk_buf *out, const unsigned char *p, const unsigned char *q)
{
	sk_err e = sk_buf_add(out, p, (size_t)(q - p));
	while (e == SK_ERR_TOO_BIG && p < q) {
		const unsigned char *r = p;
		while (r < q && *r < 0x80)
			r++;
		if (r == p) {
			uint32_t cp;
			r = p + utf8_seq(p, q, &cp);
		}
		if (sk_buf_add(out, p, (size_t)(r - p)) != SK_OK)
			break;
		p = r;
	}
	return e;
}

sk_err sk_mail_utf8_clean(const char *s, size_t len, bool keep_newlines, sk_buf *out,
                          size_t *replaced)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	sk_err e = sk_buf_grow(out, len < out->max - out->len ? len : out->max - out->len);
	if (e)
		return e;
	while (p < end) {
		/*
		 * Runs of what passes unchanged (printable ASCII, well-formed UTF-8
		 * beyond the C1 controls) are copied at once: Japanese text is mostly
		 * three-byte sequences, and one append per character was most of
		 * the cost of this function.
		 */
		const unsigned char *q = p;
		while (q < end) {
			if (*q >= 0x20 && *q < 0x7F) {
				q++;
				continue;
			}
			uint32_t rc;
			size_t rn = *q >= 0x80 ? utf8_seq(q, end, &rc) : 0;
			if (rn == 0 || rc <= 0x9F)
				break;
			q += rn;
		}
		if (q > p) {
			if ((e = add_run(out, p, q)))
				return e;
			p = q;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_seq(p, end, &cp);
		if (n == 0) {
			if (replaced)
				(*replaced)++;
			if ((e = sk_buf_add(out, replacement, 3)))
				return e;
			p++;
			continue;
		}
		if (cp == '\r') {
			e = sk_buf_addc(out, keep_newlines ? '\n' : ' ');
			p += (p + 1 < end && p[1] == '\n') ? 2 : 1;
		} else if (cp == '\n' || cp == '\t') {
			e = sk_buf_addc(out, keep_newlines ? (char)cp : ' ');
			p++;
		} else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
			p += n; /* NUL, ESC and the other controls are dropped */
		} else {
			e = sk_buf_add(out, p, n);
			p += n;
		}
		if (e)
			return e;
	}
	return SK_OK;
}

/*
 * Converts in[0..len) from the iconv charset cd decodes into out (as clean
 * UTF-8). Undecodable bytes become U+FFFD, one per byte.
 */
static sk_err iconv_decode(iconv_t cd, const char *in, size_t len, bool keep_newlines, sk_buf *out,
                           size_t *replaced)
{
	char tmp[8192];
	char *ip;
	memcpy(&ip, &in, sizeof(ip)); /* iconv takes char ** but does not write the input */
	size_t il = len;
	sk_err e = SK_OK;
	while (il > 0) {
		char *op = tmp;
		size_t ol = sizeof(tmp);
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		int saved = errno;
		if ((e = sk_mail_utf8_clean(tmp, (size_t)(op - tmp), keep_newlines, out, replaced)))
			return e;
		if (r != (size_t)-1)
			break;
		if (saved == E2BIG)
			continue;
		/* EILSEQ, or EINVAL for a sequence cut off by the end of the input. */
		(*replaced)++;
		if ((e = sk_buf_add(out, replacement, 3)))
			return e;
		ip++;
		il--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	char *op = tmp;
	size_t ol = sizeof(tmp);
	iconv(cd, NULL, NULL, &op, &ol);
	return sk_mail_utf8_clean(tmp, (size_t)(op - tmp), keep_newlines, out, replaced);
}

/* Flushes the CP932 bytes collected from ISO-2022-JP into out. */
static sk_err flush_cp932(sk_mail_conv *c, iconv_t cd, bool keep_newlines, sk_buf *out,
                          size_t *replaced)
{
	if (c->scratch.len == 0)
		return SK_OK;
	sk_err e = iconv_decode(cd, c->scratch.data, c->scratch.len, keep_newlines, out, replaced);
	sk_buf_reset(&c->scratch);
	return e;
}

/*
 * Appends one or two bytes: in place while there is room (the common case),
 * through sk_buf_add (growing, and failing at the cap) otherwise. The
 * ISO-2022-JP decoder appends byte by byte, and a call that grows each
 * time was most of its cost.
 */
static inline sk_err put_bytes(sk_buf *b, const unsigned char *p, size_t n)
{
	if (b->len + n < b->cap) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return SK_OK;
	}
	return sk_buf_add(b, p, n);
}

static inline sk_err put_byte(sk_buf *b, unsigned char c) { return put_bytes(b, &c, 1); }

enum jis_mode { JIS_ASCII, JIS_KANJI, JIS_KANA, JIS_OTHER94x2 };

/* The escape sequences of ISO-2022-JP and its relatives, and the mode each selects. */
static const struct {
	const char *seq; /* the bytes after ESC */
	enum jis_mode mode;
} jis_escapes[] = {
    {"(B", JIS_ASCII},  {"(J", JIS_ASCII},      {"(H", JIS_ASCII},     {"(I", JIS_KANA},
    {"$@", JIS_KANJI},  {"$B", JIS_KANJI},      {"$(Q", JIS_KANJI},    {"$(O", JIS_KANJI},
    {"$(B", JIS_KANJI}, {"$(D", JIS_OTHER94x2}, {"$A", JIS_OTHER94x2}, {"$(C", JIS_OTHER94x2},
};

/*
 * ISO-2022-JP as Windows writes it: JIS X 0208 rows including NEC row 13 and
 * the IBM rows map arithmetically onto CP932's lead and trail bytes, and
 * half-width katakana arrive as ESC ( I, SO/SI or raw 8-bit bytes.
 */
static sk_err iso2022jp_decode(sk_mail_conv *c, const unsigned char *p, size_t len,
                               bool keep_newlines, sk_buf *out, size_t *replaced)
{
	iconv_t cd;
	if (!conv_get(c, "CP932", &cd))
		return sk_mail_utf8_clean((const char *)p, len, keep_newlines, out, replaced);
	const unsigned char *end = p + len;
	enum jis_mode mode = JIS_ASCII, before_so = JIS_ASCII;
	sk_buf *s = &c->scratch;
	sk_buf_reset(s);
	sk_err e = SK_OK;
	while (p < end && !e) {
		unsigned b = *p;
		if (b == 0x1B) {
			size_t k, n = 0;
			for (k = 0; k < sizeof(jis_escapes) / sizeof(jis_escapes[0]); k++) {
				n = strlen(jis_escapes[k].seq);
				if ((size_t)(end - p - 1) >= n &&
				    memcmp(p + 1, jis_escapes[k].seq, n) == 0)
					break;
			}
			if (k < sizeof(jis_escapes) / sizeof(jis_escapes[0])) {
				mode = jis_escapes[k].mode;
				p += 1 + n;
			} else if (end - p >= 3 && p[1] == '&' && p[2] == '@') {
				p += 3; /* JIS X 0208-1990 announcer before ESC $ B */
			} else {
				p++; /* an unknown escape: dropped, like every control */
			}
			continue;
		}
		if (b == 0x0E || b == 0x0F) {
			if (b == 0x0E && mode != JIS_KANA)
				before_so = mode;
			mode = b == 0x0E ? JIS_KANA : before_so;
			p++;
			continue;
		}
		if (b == '\r' || b == '\n') {
			/* Broken mailers forget ESC ( B at the end of a line. */
			mode = JIS_ASCII;
			e = put_byte(s, (unsigned char)b);
			p++;
			continue;
		}
		if (b >= 0xA1 && b <= 0xDF) {
			e = put_byte(s, (unsigned char)b); /* raw half-width katakana */
			p++;
			continue;
		}
		if ((mode == JIS_KANJI || mode == JIS_OTHER94x2) && b >= 0x21 && b <= 0x7E) {
			if (end - p < 2 || p[1] < 0x21 || p[1] > 0x7E) {
				if (!(e = flush_cp932(c, cd, keep_newlines, out, replaced))) {
					(*replaced)++;
					e = sk_buf_add(out, replacement, 3);
				}
				p++;
				continue;
			}
			if (mode == JIS_OTHER94x2) {
				if (!(e = flush_cp932(c, cd, keep_newlines, out, replaced))) {
					(*replaced)++;
					e = sk_buf_add(out, replacement, 3);
				}
				p += 2;
				continue;
			}
			unsigned j1 = p[0], j2 = p[1];
			unsigned char sj[2];
			sj[0] = (unsigned char)(((j1 + 1) >> 1) + (j1 <= 0x5E ? 0x70 : 0xB0));
			sj[1] = (unsigned char)(j2 + ((j1 & 1) ? (j2 < 0x60 ? 0x1F : 0x20) : 0x7E));
			e = put_bytes(s, sj, 2);
			p += 2;
			continue;
		}
		if (mode == JIS_KANA && b >= 0x21 && b <= 0x5F) {
			e = put_byte(s, (unsigned char)(b + 0x80));
			p++;
			continue;
		}
		e = put_byte(s, (unsigned char)b);
		p++;
	}
	if (!e)
		e = flush_cp932(c, cd, keep_newlines, out, replaced);
	sk_buf_reset(s);
	return e;
}

/* For text without a usable label: ISO-2022-JP escapes, UTF-8, else CP932. */
static enum decoder sniff(const char *in, size_t len, const char **iconv_name)
{
	bool ascii = true, esc = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)in[i];
		if (b >= 0x80)
			ascii = false;
		else if (b == 0x1B && i + 1 < len && (in[i + 1] == '$' || in[i + 1] == '('))
			esc = true;
	}
	*iconv_name = "CP932";
	if (ascii && esc)
		return DEC_ISO2022JP;
	if (sk_mail_utf8_valid(in, len))
		return DEC_UTF8;
	return DEC_ICONV;
}

static const char *decoder_name(enum decoder d, const char *iconv_name)
{
	return d == DEC_UTF8 ? "UTF-8" : d == DEC_ISO2022JP ? "ISO-2022-JP" : iconv_name;
}

sk_err sk_mail_decode(sk_mail_conv *c, const char *label, const char *in, size_t len,
                      bool keep_newlines, sk_buf *out, sk_mail_decode_info *info)
{
	sk_mail_decode_info dummy;
	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	enum decoder dec = DEC_ICONV;
	const char *iconv_name = NULL;
	if (label && *label) {
		for (size_t i = 0; i < sizeof(charset_table) / sizeof(charset_table[0]); i++)
			if (strcasecmp(label, charset_table[i].label) == 0) {
				dec = charset_table[i].dec;
				iconv_name = charset_table[i].iconv_name;
				break;
			}
		/* Labels outside the table go to iconv as they are (it knows many aliases). */
		if (!iconv_name) {
			iconv_name = label;
			iconv_t probe;
			if (!conv_get(c, label, &probe)) {
				info->unknown = true;
				dec = sniff(in, len, &iconv_name);
			}
		}
		/* US-ASCII text with ISO-2022-JP escapes is mislabelled Japanese. */
		if (dec == DEC_UTF8 && memchr(in, 0x1B, len)) {
			const char *n;
			if (sniff(in, len, &n) == DEC_ISO2022JP)
				dec = DEC_ISO2022JP;
		}
	} else {
		dec = sniff(in, len, &iconv_name);
	}
	info->used =
	    dec == DEC_ICONV && iconv_name == label ? "iconv" : decoder_name(dec, iconv_name);
	switch (dec) {
	case DEC_UTF8:
		return sk_mail_utf8_clean(in, len, keep_newlines, out, &info->replaced);
	case DEC_ISO2022JP:
		return iso2022jp_decode(c, (const unsigned char *)in, len, keep_newlines, out,
		                        &info->replaced);
	case DEC_ICONV:
		break;
	}
	iconv_t cd;
	if (!conv_get(c, iconv_name, &cd)) {
		info->unknown = true;
		return sk_mail_utf8_clean(in, len, keep_newlines, out, &info->replaced);
	}
	return iconv_decode(cd, in, len, keep_newlines, out, &info->replaced);
}
