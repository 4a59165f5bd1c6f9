/* mime: the sanitizer's zero-copy MIME scanner and transfer decoders (see mime.h). */
#include "mime.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SK_B64_AVX2 1
#endif

#define DECODE_CHUNK 65536

/* An open multipart: its boundary as "--B--" and where its entity is in the list. */
typedef struct sk_mime_frame {
	char *b;
	size_t plen, flen; /* "--B" and "--B--" */
	size_t node;
} sk_mime_frame;

enum { FOUND_NOTHING, FOUND_EOS, FOUND_BOUNDARY, FOUND_END };

void sk_mime_scan_init(sk_mime_scan *sc) { memset(sc, 0, sizeof(*sc)); }

static void release_parts(sk_mime_scan *sc)
{
	for (size_t i = 0; i < sc->nparts; i++) {
		if (sc->parts[i].ct)
			g_object_unref(sc->parts[i].ct);
		if (sc->parts[i].cd)
			g_object_unref(sc->parts[i].cd);
	}
	sc->nparts = 0;
	for (size_t i = 0; i < sc->nframes; i++)
		g_free(sc->frames[i].b);
	sc->nframes = 0;
}

void sk_mime_scan_free(sk_mime_scan *sc)
{
	release_parts(sc);
	free(sc->parts);
	free(sc->headers);
	free(sc->frames);
	free(sc->scratch);
	memset(sc, 0, sizeof(*sc));
}

/* Grows *arr (of elem-sized items, *cap of them) to hold one more than n. */
static bool reserve(void *arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return true;
	size_t want = *cap ? *cap * 2 : 16;
	void *bigger = realloc(*(void **)arr, want * elem);
	if (!bigger)
		return false;
	*(void **)arr = bigger;
	*cap = want;
	return true;
}

static bool is_lwsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* GMime's is_boundary: the line starts with b and only linear white space follows. */
static bool is_boundary(const char *line, size_t len, const char *b, size_t blen)
{
	if (blen > len || memcmp(line, b, blen) != 0)
		return false;
	for (size_t i = blen; i < len; i++)
		if (!is_lwsp(line[i]))
			return false;
	return true;
}

/*
 * Whether the line at p (len bytes, without its newline) closes or separates
 * an open multipart, innermost first, an end marker before a separator;
 * *level receives which.
 */
static int check_boundary(const sk_mime_scan *sc, const char *p, size_t len, size_t *level)
{
	if (len > 0 && p[len - 1] == '\r')
		len--;
	if (len < 2 || p[0] != '-' || p[1] != '-')
		return FOUND_NOTHING;
	for (size_t i = sc->nframes; i-- > 0;) {
		const sk_mime_frame *f = &sc->frames[i];
		if (is_boundary(p, len, f->b, f->flen)) {
			*level = i;
			return FOUND_END;
		}
		if (is_boundary(p, len, f->b, f->plen)) {
			*level = i;
			return FOUND_BOUNDARY;
		}
	}
	return FOUND_NOTHING;
}

/* The end of the line starting at p (its newline, or len). */
static size_t line_end(const sk_mime_scan *sc, size_t p)
{
	const char *nl = memchr(sc->data + p, '\n', sc->len - p);
	return nl ? (size_t)(nl - sc->data) : sc->len;
}

/*
 * The first boundary line at or after p (a line start): only lines starting
 * with "--" can be one, and base64 has no '-', so the scan jumps from dash
 * to dash with memchr rather than from line to line.
 */
static int find_boundary(const sk_mime_scan *sc, size_t p, size_t *at, size_t *level)
{
	if (sc->nframes == 0)
		return FOUND_EOS;
	const char *d = sc->data, *end = sc->data + sc->len;
	while (p < sc->len) {
		if (d[p] == '-' && p + 1 < sc->len && d[p + 1] == '-') {
			size_t le = line_end(sc, p);
			int f = check_boundary(sc, d + p, le - p, level);
			if (f) {
				*at = p;
				return f;
			}
		}
		const char *h = d + p;
		do
			h = memchr(h + 1, '-', (size_t)(end - h - 1));
		while (h && !(h[-1] == '\n' && h + 1 < end && h[1] == '-'));
		if (!h)
			break;
		p = (size_t)(h - d);
	}
	return FOUND_EOS;
}

/* Where the line at p ends including its newline, or NONE when it runs to the end. */
static size_t next_line(const sk_mime_scan *sc, size_t p)
{
	size_t le = line_end(sc, p);
	return le < sc->len ? le + 1 : SK_MIME_NONE;
}

/* The raw header values a part's meaning comes from. */
typedef struct hdrinfo {
	size_t count; /* valid header fields */
	sk_mime_span ctype_first, ctype, cdisp_first, cdisp, cte;
} hdrinfo;

static bool name_is(const char *d, size_t off, size_t len, const char *want)
{
	return strlen(want) == len && g_ascii_strncasecmp(d + off, want, len) == 0;
}

static void note_header(const sk_mime_scan *sc, hdrinfo *hi, sk_mime_span name, sk_mime_span v)
{
	const char *d = sc->data;
	hi->count++;
	if (name.len < 12 || g_ascii_strncasecmp(d + name.off, "Content-", 8) != 0)
		return;
	if (name_is(d, name.off, name.len, "Content-Type")) {
		if (!hi->ctype_first.set)
			hi->ctype_first = v;
		hi->ctype = v;
	} else if (name_is(d, name.off, name.len, "Content-Disposition")) {
		if (!hi->cdisp_first.set)
			hi->cdisp_first = v;
		hi->cdisp = v;
	} else if (name_is(d, name.off, name.len, "Content-Transfer-Encoding")) {
		hi->cte = v;
	}
}

/* Ends a field: a valid one is noted, and with top kept in sc->headers. */
static void end_field(sk_mime_scan *sc, hdrinfo *hi, bool top, sk_mime_span name,
                      sk_mime_span value, bool *nomem)
{
	note_header(sc, hi, name, value);
	if (!top)
		return;
	if (reserve(&sc->headers, &sc->headers_cap, sc->nheaders, sizeof(*sc->headers)))
		sc->headers[sc->nheaders++] = (sk_mime_header){name, value};
	else
		*nomem = true;
}

/*
 * A header block at p, as GMime 3 reads one: fields "Name:" (blanks allowed
 * before the colon) with continuation lines, lines that are no field
 * ignored with their continuations, up to an empty line, the end, or (inside
 * a multipart) a boundary line. *content receives where the content starts;
 * the return value is the boundary found, or FOUND_NOTHING. With top, the
 * fields are also kept in sc->headers.
 */
static int parse_headers(sk_mime_scan *sc, size_t p, bool top, hdrinfo *hi, size_t *content,
                         size_t *level, bool *nomem)
{
	const char *d = sc->data;
	size_t n = sc->len;
	memset(hi, 0, sizeof(*hi));
	sk_mime_span name = {0}, value = {0};
	bool open = false, valid = false; /* a field (valid or not) waits for continuations */
	int found = FOUND_NOTHING;
	while (p < n) {
		size_t le = line_end(sc, p), next = le < n ? le + 1 : n;
		if (open && (d[p] == ' ' || d[p] == '\t')) {
			value.len = next - value.off;
			p = next;
			continue;
		}
		if (open && valid)
			end_field(sc, hi, top, name, value, nomem);
		size_t ll = le - p;
		if (ll == 0 || (ll == 1 && d[p] == '\r')) {
			*content = next;
			return FOUND_NOTHING;
		}
		if ((found = check_boundary(sc, d + p, ll, level)) != FOUND_NOTHING) {
			*content = p;
			return found;
		}
		size_t q = p;
		while (q < le && d[q] != ':' && (unsigned char)d[q] > ' ' && d[q] != 0x7F)
			q++;
		size_t ne = q;
		while (q < le && (d[q] == ' ' || d[q] == '\t'))
			q++;
		open = true;
		valid = q < le && d[q] == ':';
		name = (sk_mime_span){p, ne - p, true};
		value = (sk_mime_span){q + 1, valid ? next - (q + 1) : 0, true};
		p = next;
	}
	if (open && valid)
		end_field(sc, hi, top, name, value, nomem);
	*content = n;
	return FOUND_EOS;
}

char *sk_mime_strdup(const sk_mime_scan *sc, sk_mime_span v)
{
	const char *p = sc->data + v.off;
	const char *nul = memchr(p, 0, v.len);
	return g_strndup(p, nul ? (size_t)(nul - p) : v.len);
}

static void parse_type(sk_mime_scan *sc, sk_mime_part *p)
{
	if (p->ctype.set) {
		char *v = sk_mime_strdup(sc, p->ctype);
		p->ct = g_mime_content_type_parse(sc->po, v);
		g_free(v);
	}
	if (p->cte.set) {
		char *v = sk_mime_strdup(sc, p->cte);
		p->encoding = g_mime_content_encoding_from_string(v);
		g_free(v);
	}
}

bool sk_mime_part_is(const sk_mime_part *p, const char *type, const char *subtype)
{
	if (p->ct)
		return g_mime_content_type_is_type(p->ct, type, subtype);
	size_t tl = strlen(type);
	const char *d = p->default_type;
	return g_ascii_strncasecmp(d, type, tl) == 0 && d[tl] == '/' &&
	       (strcmp(subtype, "*") == 0 || g_ascii_strcasecmp(d + tl + 1, subtype) == 0);
}

void sk_mime_part_type(const sk_mime_part *p, char *out, size_t n)
{
	const char *t = p->ct ? g_mime_content_type_get_media_type(p->ct) : NULL;
	const char *st = p->ct ? g_mime_content_type_get_media_subtype(p->ct) : NULL;
	if (p->ct)
		g_snprintf(out, n, "%s/%s", t ? t : "application", st ? st : "octet-stream");
	else
		g_strlcpy(out, p->default_type, n);
	for (char *c = out; *c; c++) {
		*c = g_ascii_tolower(*c);
		if ((unsigned char)*c < 0x21 || (unsigned char)*c > 0x7E)
			*c = '_';
	}
}

const char *sk_mime_part_filename(sk_mime_scan *sc, sk_mime_part *p)
{
	if (!p->cd && p->cdisp.set) {
		char *v = sk_mime_strdup(sc, p->cdisp);
		p->cd = g_mime_content_disposition_parse(sc->po, v);
		g_free(v);
	}
	const char *f = p->cd ? g_mime_content_disposition_get_parameter(p->cd, "filename") : NULL;
	if (!f && p->ct)
		f = g_mime_content_type_get_parameter(p->ct, "name");
	return f;
}

int sk_mime_body_kind(sk_mime_scan *sc, sk_mime_part *p)
{
	if (p->kind_cache)
		return p->kind_cache - 1;
	int kind = 0;
	if (p->kind == SK_MIME_LEAF) {
		bool plain = sk_mime_part_is(p, "text", "plain");
		if (plain || sk_mime_part_is(p, "text", "html")) {
			const char *f = sk_mime_part_filename(sc, p);
			bool attachment = p->cd && g_mime_content_disposition_is_attachment(p->cd);
			kind = attachment || f ? 0 : plain ? 1 : 2;
		}
	}
	p->kind_cache = kind + 1;
	return kind;
}

static void release_part(sk_mime_part *p)
{
	if (p->ct)
		g_object_unref(p->ct);
	if (p->cd)
		g_object_unref(p->cd);
	p->ct = NULL;
	p->cd = NULL;
}

/* Whether GMime read no type/subtype in the Content-Type (and so reports application/octet-stream).
 */
static bool unreadable_type(const sk_mime_scan *sc, const sk_mime_part *p)
{
	if (!sk_mime_part_is(p, "application", "octet-stream"))
		return false;
	const char *v = sc->data + p->ctype.off, *end = v + p->ctype.len;
	while (v < end && is_lwsp(*v))
		v++;
	static const char want[] = "application/octet-stream";
	return (size_t)(end - v) < sizeof(want) - 1 ||
	       g_ascii_strncasecmp(v, want, sizeof(want) - 1) != 0;
}

/* What GMime makes of an entity: a multipart, a forwarded message, or content. */
static sk_mime_kind kind_of(const sk_mime_part *p)
{
	if (sk_mime_part_is(p, "multipart", "*"))
		return SK_MIME_MULTIPART;
	bool msg = sk_mime_part_is(p, "message", "rfc822") ||
	           sk_mime_part_is(p, "message", "news") || sk_mime_part_is(p, "message", "global");
	bool encoded = p->encoding == GMIME_CONTENT_ENCODING_BASE64 ||
	               p->encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
	               p->encoding == GMIME_CONTENT_ENCODING_UUENCODE;
	return msg && !encoded ? SK_MIME_MESSAGE : SK_MIME_LEAF;
}

/* The scan in progress: where the last boundary search stopped. */
typedef struct cursor {
	int found;
	size_t at, level;
} cursor;

/* Content from p up to the boundary c found (the newline before it belongs to it). */
static sk_mime_span content_span(const sk_mime_scan *sc, size_t p, const cursor *c)
{
	if (c->found == FOUND_EOS)
		return (sk_mime_span){p, sc->len - p, true};
	size_t le = line_end(sc, c->at);
	size_t crlf = sc->data[le - 1] == '\r' ? 2 : 1;
	size_t end = c->at >= p + crlf ? c->at - crlf : p;
	return (sk_mime_span){p, end - p, true};
}

/*
 * Opens the entity whose header block was just read (content at p): counts
 * it against the limits, records it when examined, and either pushes its
 * boundary (a multipart examined) or finds where its content ends.
 */
static sk_err open_entity(sk_mime_scan *sc, const hdrinfo *hi, size_t parent, size_t p,
                          const size_t lim[2], size_t *visited, cursor *c)
{
	sk_mime_part tmp = {.parent = parent,
	                    .first_plain = SK_MIME_NONE,
	                    .ctype_first = hi->ctype_first,
	                    .ctype = hi->ctype,
	                    .cdisp_first = hi->cdisp_first,
	                    .cdisp = hi->cdisp,
	                    .cte = hi->cte,
	                    .default_type = "text/plain"};
	sk_mime_part *par = parent == SK_MIME_NONE ? NULL : &sc->parts[parent];
	bool examined = true;
	if (par) {
		tmp.depth = par->depth + 1;
		tmp.index = par->nchildren++;
		if (sk_mime_part_is(par, "multipart", "digest"))
			tmp.default_type = "message/rfc822";
		if (tmp.depth > lim[1]) {
			sc->too_deep++;
			examined = false;
		}
	}
	if (examined && *visited >= lim[0]) {
		sc->skipped++;
		examined = false;
	}
	bool want_kind = par && par->alternative && par->first_plain == SK_MIME_NONE;
	if (examined || want_kind) {
		parse_type(sc, &tmp);
		tmp.kind = kind_of(&tmp);
		/* GMime's structure takes an unreadable type for the default (its type stays
		 * application/octet-stream): in a digest, a forwarded message. */
		if (tmp.kind == SK_MIME_LEAF && tmp.ct && tmp.default_type[0] == 'm' &&
		    unreadable_type(sc, &tmp))
			tmp.kind = SK_MIME_MESSAGE;
	}
	if (want_kind && sk_mime_body_kind(sc, &tmp) == 1)
		par->first_plain = tmp.index;
	if (!examined) {
		release_part(&tmp);
		c->found = find_boundary(sc, p, &c->at, &c->level);
		return SK_OK;
	}
	if (!reserve(&sc->parts, &sc->parts_cap, sc->nparts, sizeof(*sc->parts))) {
		release_part(&tmp);
		return SK_ERR_NOMEM;
	}
	(*visited)++;
	size_t me = sc->nparts++;
	sk_mime_part *self = &sc->parts[me];
	*self = tmp;
	self->alternative =
	    self->kind == SK_MIME_MULTIPART && sk_mime_part_is(self, "multipart", "alternative");
	const char *b = self->kind == SK_MIME_MULTIPART && self->ct
	                    ? g_mime_content_type_get_parameter(self->ct, "boundary")
	                    : NULL;
	if (b) {
		if (!reserve(&sc->frames, &sc->frames_cap, sc->nframes, sizeof(*sc->frames)))
			return SK_ERR_NOMEM;
		sk_mime_frame *f = &sc->frames[sc->nframes++];
		f->b = g_strdup_printf("--%s--", b);
		f->plen = strlen(b) + 2;
		f->flen = f->plen + 2;
		f->node = me;
	}
	c->found = find_boundary(sc, p, &c->at, &c->level);
	if (!b)
		self->body = content_span(sc, p, c);
	else
		self->body = (sk_mime_span){p, 0, true};
	return SK_OK;
}

sk_err sk_mime_scan_run(sk_mime_scan *sc, GMimeParserOptions *po, const char *data, size_t len,
                        size_t max_parts, size_t max_depth)
{
	release_parts(sc);
	sc->nheaders = 0;
	sc->skipped = sc->too_deep = 0;
	sc->data = data;
	sc->len = len;
	sc->po = po;
	const size_t lim[2] = {max_parts, max_depth};
	size_t visited = 0, content = 0;
	bool nomem = false;
	hdrinfo hi;
	cursor c = {0};
	parse_headers(sc, 0, true, &hi, &content, &c.level, &nomem);
	sk_err e =
	    nomem ? SK_ERR_NOMEM : open_entity(sc, &hi, SK_MIME_NONE, content, lim, &visited, &c);
	while (!e && sc->nframes > 0) {
		size_t inner = sc->nframes - 1;
		sk_mime_frame *top = &sc->frames[inner];
		if (c.found == FOUND_BOUNDARY && c.level == inner) {
			/* The next part: its header block starts on the line after the boundary. */
			size_t next = next_line(sc, c.at);
			if (next == SK_MIME_NONE) {
				c.found = FOUND_EOS;
				continue;
			}
			size_t hl;
			int hf = parse_headers(sc, next, false, &hi, &content, &hl, &nomem);
			if (hf != FOUND_NOTHING && hi.count == 0) {
				/* A boundary, or the end, where headers were due: no part. */
				c = (cursor){hf, content, hl};
				continue;
			}
			e = open_entity(sc, &hi, top->node, content, lim, &visited, &c);
			continue;
		}
		/* The multipart ends: after its end marker comes an epilogue, up to an outer
		 * boundary. */
		size_t node = top->node;
		bool own_end = c.found == FOUND_END && c.level == inner;
		size_t after = own_end ? next_line(sc, c.at) : SK_MIME_NONE;
		g_free(top->b);
		sc->nframes--;
		if (own_end)
			c.found = after == SK_MIME_NONE ? FOUND_EOS
			                                : find_boundary(sc, after, &c.at, &c.level);
		sk_mime_part *mp = &sc->parts[node];
		size_t end = c.found == FOUND_EOS ? len : c.at;
		mp->body.len = end > mp->body.off ? end - mp->body.off : 0;
	}
	return e;
}

/* ---- transfer decoding ---- */

/*
 * Base64 as attachments carry it, four characters at a time where they are
 * clean (GMime's decoder goes a character at a time). Anything outside the
 * alphabet is skipped; '=' ends a group, so concatenated encodings decode too.
 */
#define B64_SKIP 0x80u
#define B64_PAD  0x40u

static unsigned char b64_table[256];
static pthread_once_t b64_once = PTHREAD_ONCE_INIT;
static bool b64_use_avx2; /* set once by b64_init */

static void b64_init(void)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	memset(b64_table, B64_SKIP, sizeof(b64_table));
	for (unsigned i = 0; i < 64; i++)
		b64_table[(unsigned char)alphabet[i]] = (unsigned char)i;
	b64_table['='] = B64_PAD;
#ifdef SK_B64_AVX2
	b64_use_avx2 = __builtin_cpu_supports("avx2");
#endif
}

/* Clean groups of four characters at p (up to *n of them), decoded to o; returns them. */
static inline size_t b64_quads(const unsigned char *p, size_t len, unsigned char **o)
{
	size_t i = 0;
	unsigned char *w = *o;
	for (; len - i >= 4; i += 4, w += 3) {
		unsigned a = b64_table[p[i]], b = b64_table[p[i + 1]], c = b64_table[p[i + 2]],
		         d = b64_table[p[i + 3]];
		if ((a | b | c | d) & (B64_SKIP | B64_PAD))
			break;
		unsigned v = a << 18 | b << 12 | c << 6 | d;
		w[0] = (unsigned char)(v >> 16);
		w[1] = (unsigned char)(v >> 8);
		w[2] = (unsigned char)v;
	}
	*o = w;
	return i;
}

#ifdef SK_B64_AVX2
/*
 * Base64 lines into out (which must have room for 8 bytes more than it
 * gets): blocks of 32 characters with AVX2 as long as all 32 are in the
 * alphabet, then clean groups of four, then the line break, and again;
 * returns the characters consumed, *made the bytes made. At '=' or a stray
 * byte it stops, and the scalar code takes over. The vector method is Muła
 * and Lemire's (ACM TOWEB 2018): nibble tables validate, a third maps ASCII
 * to 6-bit values, and two multiply-adds pack them.
 */
__attribute__((target("avx2"))) static size_t b64_avx2(const unsigned char *in, size_t len,
                                                       unsigned char *out, size_t *made)
{
	const __m256i lut_lo =
	    _mm256_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A,
	                     0x1B, 0x1B, 0x1B, 0x1A, 0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
	                     0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
	const __m256i lut_hi =
	    _mm256_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10,
	                     0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08,
	                     0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
	const __m256i lut_roll =
	    _mm256_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 19, 4,
	                     -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
	const __m256i nib = _mm256_set1_epi8(0x0F);
	size_t i = 0;
	unsigned char *o = out;
	for (;;) {
		for (; len - i >= 32; i += 32, o += 24) {
			__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(in + i));
			__m256i hi_n = _mm256_and_si256(_mm256_srli_epi32(v, 4), nib);
			__m256i lo_n = _mm256_and_si256(v, nib);
			/* A byte >= 0x80 has a high nibble of 8-F: 0x10 in lut_hi, a bit every
			 * lut_lo has. */
			__m256i hi = _mm256_shuffle_epi8(lut_hi, hi_n);
			__m256i lo = _mm256_shuffle_epi8(lut_lo, lo_n);
			__m256i high_bit = _mm256_cmpgt_epi8(_mm256_setzero_si256(), v);
			if (!_mm256_testz_si256(lo, hi) || !_mm256_testz_si256(high_bit, high_bit))
				break;
			__m256i eq_slash = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(0x2F));
			__m256i roll =
			    _mm256_shuffle_epi8(lut_roll, _mm256_add_epi8(eq_slash, hi_n));
			v = _mm256_add_epi8(v, roll);
			v = _mm256_maddubs_epi16(v, _mm256_set1_epi32(0x01400140));
			v = _mm256_madd_epi16(v, _mm256_set1_epi32(0x00011000));
			v = _mm256_shuffle_epi8(v, _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14,
			                                            13, 12, -1, -1, -1, -1, 2, 1, 0,
			                                            6, 5, 4, 10, 9, 8, 14, 13, 12,
			                                            -1, -1, -1, -1));
			v = _mm256_permutevar8x32_epi32(v,
			                                _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7));
			_mm256_storeu_si256((__m256i *)(void *)o, v);
		}
		i += b64_quads(in + i, len - i, &o);
		/* A 76-character line is two blocks, three groups and its line break. */
		if (i < len && in[i] == '\n')
			i++;
		else if (len - i >= 2 && in[i] == '\r' && in[i + 1] == '\n')
			i += 2;
		else
			break;
	}
	*made = (size_t)(o - out);
	return i;
}
#endif

typedef struct b64_state {
	unsigned acc;
	unsigned n; /* characters in acc */
} b64_state;

static size_t b64_flush(b64_state *st, unsigned char *o)
{
	size_t k = 0;
	if (st->n == 2) {
		o[k++] = (unsigned char)(st->acc >> 4);
	} else if (st->n == 3) {
		o[k++] = (unsigned char)(st->acc >> 10);
		o[k++] = (unsigned char)(st->acc >> 2);
	}
	st->acc = st->n = 0;
	return k;
}

/* Decodes len bytes; out needs room for len * 3 / 4 + 8 bytes. */
static size_t b64_step(b64_state *st, const unsigned char *p, size_t len, unsigned char *out)
{
	const unsigned char *end = p + len;
	unsigned char *o = out;
	while (p < end) {
		if (st->n == 0) {
#ifdef SK_B64_AVX2
			if (b64_use_avx2) {
				size_t made;
				p += b64_avx2(p, (size_t)(end - p), o, &made);
				o += made;
			} else
#endif
				p += b64_quads(p, (size_t)(end - p), &o);
			if (p >= end)
				break;
		}
		unsigned v = b64_table[*p++];
		if (v & B64_SKIP)
			continue;
		if (v == B64_PAD) {
			o += b64_flush(st, o);
			continue;
		}
		st->acc = st->acc << 6 | v;
		if (++st->n == 4) {
			o[0] = (unsigned char)(st->acc >> 16);
			o[1] = (unsigned char)(st->acc >> 8);
			o[2] = (unsigned char)st->acc;
			o += 3;
			st->acc = st->n = 0;
		}
	}
	return (size_t)(o - out);
}

bool sk_mime_identity(const sk_mime_part *p)
{
	return p->kind != SK_MIME_LEAF || (p->encoding != GMIME_CONTENT_ENCODING_BASE64 &&
	                                   p->encoding != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE &&
	                                   p->encoding != GMIME_CONTENT_ENCODING_UUENCODE);
}

sk_err sk_mime_decode(sk_mime_scan *sc, const sk_mime_part *p, sk_mime_sink sink, void *ctx,
                      uint64_t *size)
{
	const char *in = sc->data + p->body.off;
	size_t left = p->body.len;
	GMimeContentEncoding enc = p->encoding;
	*size = 0;
	if (sk_mime_identity(p)) {
		*size = left;
		return sink(ctx, in, left);
	}
	if (!sc->scratch) {
		GMimeEncoding probe;
		g_mime_encoding_init_decode(&probe, GMIME_CONTENT_ENCODING_UUENCODE);
		size_t want = g_mime_encoding_outlen(&probe, DECODE_CHUNK) + 64;
		sc->scratch_len = want < DECODE_CHUNK + 64 ? DECODE_CHUNK + 64 : want;
		if (!(sc->scratch = malloc(sc->scratch_len)))
			return SK_ERR_NOMEM;
	}
	if (enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		/* As GMime's filter: nothing before a "begin " line, which is no data itself. */
		size_t at = 0;
		while (at < left && !(left - at >= 6 && memcmp(in + at, "begin ", 6) == 0)) {
			const char *nl = memchr(in + at, '\n', left - at);
			at = nl ? (size_t)(nl - in) + 1 : left;
		}
		const char *nl = at < left ? memchr(in + at, '\n', left - at) : NULL;
		at = nl ? (size_t)(nl - in) + 1 : left;
		in += at;
		left -= at;
	}
	bool b64 = enc == GMIME_CONTENT_ENCODING_BASE64;
	b64_state bst = {0};
	GMimeEncoding st;
	if (b64)
		pthread_once(&b64_once, b64_init);
	else
		g_mime_encoding_init_decode(&st, enc);
	if (enc == GMIME_CONTENT_ENCODING_UUENCODE)
		st.state |= GMIME_UUDECODE_STATE_BEGIN;
	unsigned char *out = (unsigned char *)sc->scratch;
	sk_err e = SK_OK;
	while (left > 0 && !e) {
		size_t n = left < DECODE_CHUNK ? left : DECODE_CHUNK;
		size_t o = b64 ? b64_step(&bst, (const unsigned char *)in, n, out)
		               : g_mime_encoding_step(&st, in, n, sc->scratch);
		in += n;
		left -= n;
		*size += o;
		e = sink(ctx, sc->scratch, o);
	}
	if (e)
		return e;
	size_t o = b64 ? b64_flush(&bst, out) : g_mime_encoding_flush(&st, in, 0, sc->scratch);
	*size += o;
	return sink(ctx, sc->scratch, o);
}

bool sk_mime_find_header(const char *data, size_t off, size_t len, const char *name,
                         sk_mime_span *value)
{
	sk_mime_scan sc = {.data = data + off, .len = len};
	size_t content, level;
	bool nomem = false;
	hdrinfo hi;
	(void)parse_headers(&sc, 0, true, &hi, &content, &level, &nomem);
	bool found = false;
	for (size_t i = 0; i < sc.nheaders && !found; i++) {
		sk_mime_header *h = &sc.headers[i];
		if (name_is(sc.data, h->name.off, h->name.len, name)) {
			*value = (sk_mime_span){h->value.off + off, h->value.len, true};
			found = true;
		}
	}
	free(sc.headers);
	return found;
}
