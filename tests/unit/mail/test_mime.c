/*
 * test_mime: the MIME scanner (src/mail/mime.c) against GMime's own parser,
 * and the two-stream SHA-256 (src/mail/sha256.c) against libcrypto.
 *
 * For every message of the golden corpus (tests/mail/corpus), of a
 * generated corpus (bench/mail_gen.py, built by meson) and of the malformed
 * layouts below, the part list the scanner finds must be the one a plain
 * GMime walk finds (g_mime_parser_construct_message, then the tree, each
 * leaf decoded): per entity its kind, media type, file name, number of parts
 * (multiparts), content bytes as transferred and decoded size and SHA-256
 * (leaves); and the message's own header fields, names and raw values.
 * Usage (meson does this): test_mime CORPUS-DIR GENERATED-DIR
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>
#include <openssl/evp.h>

#include "testutil.h"

#include "mail/mime.h"
#include "mail/sha256.h"

static GMimeParserOptions *po;
static const char *dirs[2];

static void sha_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[32];
	unsigned hl = 0;
	assert_true(EVP_Digest(p, n, h, &hl, EVP_sha256(), NULL));
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* One entity as either side describes it, in document order. */
typedef struct entry {
	char kind; /* 'L'eaf, 'M'ultipart, 'R' forwarded message */
	char type[128];
	char name[256];
	size_t nchildren;
	char raw[65]; /* SHA-256 of the content as transferred */
	char sha[65]; /* and decoded */
	size_t size;
} entry;

typedef struct list {
	entry *e;
	size_t n, cap;
	GString *headers; /* "name\0value\0" of the message's own fields but Content-* */
} list;

static entry *add(list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->e = realloc(l->e, l->cap * sizeof(*l->e));
		assert_non_null(l->e);
	}
	entry *e = &l->e[l->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

static void type_of(GMimeContentType *ct, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", g_mime_content_type_get_media_type(ct),
	         g_mime_content_type_get_media_subtype(ct));
	for (char *p = out; *p; p++)
		*p = g_ascii_tolower(*p);
}

static void hash_stream(GMimeStream *st, char out[65], size_t *size)
{
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(st));
	sha_hex(ba->data, ba->len, out);
	if (size)
		*size = ba->len;
}

/* The plain GMime walk: the tree depth first, forwarded messages not entered. */
static void gmime_walk(const char *data, size_t len, list *l)
{
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(data, len);
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	g_mime_parser_set_format(p, GMIME_FORMAT_MESSAGE);
	GMimeMessage *m = g_mime_parser_construct_message(p, po);
	assert_non_null(m);
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(m));
	for (int i = 0; i < g_mime_header_list_get_count(hl); i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *raw = g_mime_header_get_raw_value(h);
		g_string_append_len(l->headers, g_mime_header_get_name(h),
		                    (gssize)strlen(g_mime_header_get_name(h)) + 1);
		g_string_append_len(l->headers, raw ? raw : "", (gssize)strlen(raw ? raw : "") + 1);
	}
	GPtrArray *stack = g_ptr_array_new();
	g_ptr_array_add(stack, g_mime_message_get_mime_part(m));
	while (stack->len > 0) {
		GMimeObject *o = g_ptr_array_remove_index(stack, stack->len - 1);
		entry *e = add(l);
		type_of(g_mime_object_get_content_type(o), e->type, sizeof(e->type));
		if (GMIME_IS_MULTIPART(o)) {
			e->kind = 'M';
			int n = g_mime_multipart_get_count(GMIME_MULTIPART(o));
			e->nchildren = (size_t)n;
			for (int i = n - 1; i >= 0; i--)
				g_ptr_array_add(stack,
				                g_mime_multipart_get_part(GMIME_MULTIPART(o), i));
			continue;
		}
		if (GMIME_IS_MESSAGE_PART(o)) {
			e->kind = 'R';
			continue;
		}
		e->kind = 'L';
		const char *f = g_mime_part_get_filename(GMIME_PART(o));
		snprintf(e->name, sizeof(e->name), "%s", f ? f : "");
		GMimeDataWrapper *dw = g_mime_part_get_content(GMIME_PART(o));
		GMimeStream *raw = g_mime_stream_mem_new(), *dec = g_mime_stream_mem_new();
		if (dw) {
			GMimeStream *src = g_mime_data_wrapper_get_stream(dw);
			g_mime_stream_reset(src);
			g_mime_stream_write_to_stream(src, raw);
			g_mime_data_wrapper_write_to_stream(dw, dec);
		}
		hash_stream(raw, e->raw, NULL);
		hash_stream(dec, e->sha, &e->size);
		g_object_unref(raw);
		g_object_unref(dec);
	}
	g_ptr_array_free(stack, TRUE);
	g_object_unref(m);
	g_object_unref(p);
	g_object_unref(st);
}

static sk_err sink_buf(void *ctx, const char *p, size_t n)
{
	g_byte_array_append(ctx, (const guint8 *)p, (guint)n);
	return SK_OK;
}

static void scanner_walk(sk_mime_scan *sc, const char *data, size_t len, list *l)
{
	assert_int_equal(sk_mime_scan_run(sc, po, data, len, 100000, 200), SK_OK);
	assert_int_equal(sc->skipped + sc->too_deep, 0);
	for (size_t i = 0; i < sc->nheaders; i++) {
		const sk_mime_header *h = &sc->headers[i];
		if (h->name.len >= 8 && g_ascii_strncasecmp(data + h->name.off, "Content-", 8) == 0)
			continue;
		char *name = sk_mime_strdup(sc, h->name), *value = sk_mime_strdup(sc, h->value);
		g_string_append_len(l->headers, name, (gssize)strlen(name) + 1);
		g_string_append_len(l->headers, value, (gssize)strlen(value) + 1);
		g_free(name);
		g_free(value);
	}
	for (size_t i = 0; i < sc->nparts; i++) {
		sk_mime_part *p = &sc->parts[i];
		entry *e = add(l);
		sk_mime_part_type(p, e->type, sizeof(e->type));
		e->kind = p->kind == SK_MIME_MULTIPART ? 'M'
		          : p->kind == SK_MIME_MESSAGE ? 'R'
		                                       : 'L';
		e->nchildren = p->nchildren;
		if (p->kind != SK_MIME_LEAF)
			continue;
		const char *f = sk_mime_part_filename(sc, p);
		snprintf(e->name, sizeof(e->name), "%s", f ? f : "");
		sha_hex(data + p->body.off, p->body.len, e->raw);
		GByteArray *dec = g_byte_array_new();
		uint64_t size = 0;
		assert_int_equal(sk_mime_decode(sc, p, sink_buf, dec, &size), SK_OK);
		assert_int_equal(size, dec->len);
		sha_hex(dec->data, dec->len, e->sha);
		e->size = dec->len;
		g_byte_array_free(dec, TRUE);
	}
}

/*
 * Whether base64 content has anything but the alphabet, line breaks and
 * final padding: there the scanner's lenient decoder (skip what is not
 * base64, as the sanitizer always did) and GMime's may part ways, and only
 * the content as transferred is compared.
 */
static bool odd_base64(const sk_mime_scan *sc, const sk_mime_part *p)
{
	if (p->encoding != GMIME_CONTENT_ENCODING_BASE64)
		return false;
	const char *d = sc->data + p->body.off;
	size_t n = p->body.len;
	while (n > 0 && (d[n - 1] == '\n' || d[n - 1] == '\r' || d[n - 1] == '='))
		n--;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalnum(d[i]) && d[i] != '+' && d[i] != '/' && d[i] != '\n' &&
		    d[i] != '\r')
			return true;
	return false;
}

/* Compares both walks of one message; returns the number of differences (and prints them). */
static int compare(sk_mime_scan *sc, const char *what, const char *data, size_t len)
{
	list g = {.headers = g_string_new(NULL)}, s = {.headers = g_string_new(NULL)};
	gmime_walk(data, len, &g);
	scanner_walk(sc, data, len, &s);
	int bad = 0;
	if (g.headers->len != s.headers->len ||
	    memcmp(g.headers->str, s.headers->str, g.headers->len) != 0) {
		fprintf(stderr, "%s: the message's header fields differ\n", what);
		bad++;
	}
	if (g.n != s.n) {
		fprintf(stderr, "%s: GMime finds %zu entities, the scanner %zu\n", what, g.n, s.n);
		bad++;
	}
	for (size_t i = 0; i < g.n && i < s.n; i++) {
		const entry *a = &g.e[i], *b = &s.e[i];
		bool lenient = b->kind == 'L' && odd_base64(sc, &sc->parts[i]);
		bool same = a->kind == b->kind && strcmp(a->type, b->type) == 0 &&
		            strcmp(a->name, b->name) == 0 && strcmp(a->raw, b->raw) == 0 &&
		            (a->kind != 'M' || a->nchildren == b->nchildren) &&
		            (lenient || (a->size == b->size && strcmp(a->sha, b->sha) == 0));
		if (!same) {
			fprintf(stderr,
			        "%s: entity %zu: GMime %c %s \"%s\" %zu parts %zu bytes %.12s raw "
			        "%.12s,"
			        " scanner %c %s \"%s\" %zu parts %zu bytes %.12s raw %.12s\n",
			        what, i, a->kind, a->type, a->name, a->nchildren, a->size, a->sha,
			        a->raw, b->kind, b->type, b->name, b->nchildren, b->size, b->sha,
			        b->raw);
			bad++;
		}
	}
	free(g.e);
	free(s.e);
	g_string_free(g.headers, TRUE);
	g_string_free(s.headers, TRUE);
	return bad;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long sz = ftell(f);
	assert_true(sz >= 0);
	rewind(f);
	char *d = malloc((size_t)sz + 1);
	assert_non_null(d);
	*len = fread(d, 1, (size_t)sz, f);
	fclose(f);
	return d;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .eml of dir through compare; returns how many messages were compared. */
static size_t compare_dir(sk_mime_scan *sc, const char *dir, int *bad)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	char *names[4096];
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && n < 4096)
		if (strstr(de->d_name, ".eml"))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		size_t len;
		char *data = slurp(path, &len);
		*bad += compare(sc, path, data, len);
		free(data);
		free(names[i]);
	}
	return n;
}

static void test_corpora(void **state)
{
	(void)state;
	sk_mime_scan sc;
	sk_mime_scan_init(&sc);
	int bad = 0;
	assert_true(compare_dir(&sc, dirs[0], &bad) >= 24);
	assert_true(compare_dir(&sc, dirs[1], &bad) >= 300);
	sk_mime_scan_free(&sc);
	assert_int_equal(bad, 0);
}

/* Layouts where a MIME parser has to decide something; GMime's decisions are the reference. */
#define L(s)                                                                                       \
	{                                                                                          \
		s, sizeof(s) - 1                                                                   \
	}
static const struct {
	const char *m;
	size_t len;
} odd[] = {
    /* A line end before a CRLF boundary: the boundary's own line end says how much is its. */
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\nabc\n--x\r\n\nd\n--x--"),
    /* Empty parts, and a boundary where the content would start. */
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\n--x\n\n\n--x--\n"),
    /* A boundary inside a header block ends it. */
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n"
      "--x\nContent-Type: image/png\n\nDATA\n--x--\n"),
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\n--x\nContent-Type: "
      "image/png\n\nD\n--x--"),
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\nA: 1\n --x\nContent-Type: "
      "image/png\n\nD\n--x--"),
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\nA: 1\n--x--\nContent-Type: "
      "image/png\n\nD\n--x--"),
    /* Boundaries with white space after them, an epilogue that looks like a part. */
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\nA: b\n\nab\n--x \t \nB: "
      "c\n\ncd\n--x--  \npost\n--x\nC: d\n\nzz\n"),
    /* Cut off in headers, after a boundary, with no final boundary. */
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\nA: b"),
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x"),
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\n"),
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: "
      "application/pdf\n\n%PDF"),
    /* Not boundaries: a longer word, a boundary with a space in it. */
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--xyz\n\nab\n--x\n\ncd\n"),
    L("Subject: a\nContent-Type: multipart/mixed; boundary=\"x \"\n\n--x \n\nab\n--x\n\ncd\n"),
    /* The parent's boundary in a child's preface, nested alternatives, a digest. */
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: "
      "multipart/mixed; boundary=y\n\npre\n--x\nContent-Type: text/plain\n\nt\n--x--\n"),
    L("Subject: a\nContent-Type: multipart/alternative; boundary=x\n\n--x\nContent-Type: "
      "multipart/related; boundary=y\n\n--y\nContent-Type: text/html\n\n<b>h</b>\n--y\n"
      "Content-Type: image/png; name=i.png\nContent-Transfer-Encoding: base64\n\niVBORw0K\n"
      "--y--\n--x\nContent-Type: text/plain\n\nplain\n--x--\n"),
    L("Subject: a\nContent-Type: multipart/digest; boundary=x\n\n--x\n\nSubject: in\n\nbody\n"
      "--x\nContent-Type: foo\n\nzz\n--x--\n"),
    /* Which Content-Type counts when there are two; ones GMime cannot read. */
    L("Subject: a\nContent-Type: text/html\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\n"
      "body\n--x--\n"),
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\nContent-Type: text/html\n\n--x\n\n"
      "body\n--x--\n"),
    L("Subject: a\nContent-Type: garbage\n\nbody\n"),
    L("Subject: a\nContent-Type: multipart/; boundary=x\n\n--x\n\nbody\n--x--\n"),
    L("Subject: a\nContent-Type: multipart/mixed\n\n--x\n\nbody\n--x--\n"),
    /* Forwarded messages, encoded (then a plain part) or not, empty. */
    L("Subject: a\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
      "U3ViamVjdDogYgoKYm9keQo=\n"),
    L("Subject: a\nContent-Type: Message/RFC822\n\nSubject: b\n\nbody\n"),
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: "
      "message/rfc822\n\n--x\nContent-Type: text/plain\n\nt\n--x--\n"),
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: "
      "message/rfc822\n\nSubject: in\nContent-Type: multipart/mixed; boundary=y\n\n--y\n\nin\n"
      "--y--\n--x\nContent-Type: image/gif; name=\"=?UTF-8?B?5bGx?=.gif\"\n\nGIF\n--x--\n"),
    /* Header lines that are no field, blanks before a colon, 8-bit names, an mbox line. */
    L("From foo@example.jp Mon Nov 16 09:30:00 2026\nSubject: a\r\n  b\r\nX-Bad header: 1\n"
      "From : x\n\xe4\xb8\x80: y\n: empty\ngarbage\n\nbody\n"),
    L("Subject\t: a\nTo : b\n\tfolded\n\nbody"),
    /* Transfer encodings: quoted-printable, uuencode, an unknown one, one with junk after. */
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: "
      "application/octet-stream\nContent-Transfer-Encoding: quoted-printable\n\na=3Db=\nc =\r\n"
      "d=ZZ\n--x\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: "
      "x-uuencode\n\nbegin 644 f\n#86)C\n`\nend\n--x\nContent-Type: image/png\n"
      "Content-Transfer-Encoding:  Base64 junk\n\nAAAA\n--x\nContent-Transfer-Encoding: "
      "x-unknown\nContent-Type: image/png\n\nraw\n--x--\n"),
    /* NUL bytes in content and in a header; CR alone. */
    L("Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: image/png\n"
      "X-N: a\0b\n\n\0\0\r\r\n--x--\n"),
};

static void test_odd_layouts(void **state)
{
	(void)state;
	sk_mime_scan sc;
	sk_mime_scan_init(&sc);
	int bad = 0;
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		char what[32];
		snprintf(what, sizeof(what), "layout %zu", i);
		bad += compare(&sc, what, odd[i].m, odd[i].len);
	}
	sk_mime_scan_free(&sc);
	assert_int_equal(bad, 0);
}

/* Deep nesting: the scanner keeps at most max_depth + 1 boundaries and counts the rest. */
static void test_limits(void **state)
{
	(void)state;
	GString *m = g_string_new("Subject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n");
	enum { LEVELS = 3000 };
	for (int i = 1; i < LEVELS; i++)
		g_string_append_printf(m, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n",
		                       i - 1, i);
	g_string_append_printf(m, "--b%d\nContent-Type: text/plain\n\nhi\n", LEVELS - 1);
	for (int i = LEVELS - 1; i >= 0; i--)
		g_string_append_printf(m, "--b%d--\n", i);
	for (int i = 0; i < 5000; i++)
		g_string_append(m, "--b0\nContent-Type: text/plain\n\nmore\n");
	sk_mime_scan sc;
	sk_mime_scan_init(&sc);
	assert_int_equal(sk_mime_scan_run(&sc, po, m->str, m->len, 1000, 32), SK_OK);
	assert_int_equal(sc.nparts, 33); /* depths 0 to 32 */
	assert_int_equal(sc.too_deep, 1);
	/* After b0's end marker every further part is epilogue. */
	assert_int_equal(sc.skipped, 0);
	assert_int_equal(sk_mime_scan_run(&sc, po, m->str, m->len, 10, 32), SK_OK);
	assert_int_equal(sc.nparts, 10);
	assert_int_equal(sc.skipped, 1);
	sk_mime_scan_free(&sc);
	g_string_free(m, TRUE);
}

/*
 * Hostile sizes end, with everything past the limits counted: a 4 MiB header
 * line, 200,000 empty parts, 100,000 nested multiparts that never close,
 * a multipart/alternative of 50,000 HTML parts, and lines of dashes.
 */
static void test_hostile(void **state)
{
	(void)state;
	sk_mime_scan sc;
	sk_mime_scan_init(&sc);
	GString *m = g_string_new("Subject: ");
	for (int i = 0; i < (4 << 20) / 8; i++)
		g_string_append(m, "=?x?B?a");
	g_string_append(m, "\nContent-Type: text/plain\n\nbody\n");
	assert_int_equal(sk_mime_scan_run(&sc, po, m->str, m->len, 1000, 32), SK_OK);
	assert_int_equal(sc.nheaders, 2);
	assert_int_equal(sc.parts[0].body.len, 5);

	g_string_assign(m, "Subject: many\nContent-Type: multipart/mixed; boundary=b\n\n");
	for (int i = 0; i < 200000; i++)
		g_string_append(m, "--b\n\n");
	assert_int_equal(sk_mime_scan_run(&sc, po, m->str, m->len, 1000, 32), SK_OK);
	assert_int_equal(sc.nparts, 1000);
	assert_int_equal(sc.skipped, 200000 - 999);

	g_string_assign(m, "Subject: nest\nContent-Type: multipart/mixed; boundary=b0\n\n");
	for (int i = 1; i < 100000; i++)
		g_string_append_printf(m, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n",
		                       i - 1, i);
	assert_int_equal(sk_mime_scan_run(&sc, po, m->str, m->len, 1000, 32), SK_OK);
	assert_int_equal(sc.nparts, 33);
	assert_int_equal(sc.too_deep, 1);

	g_string_assign(m, "Subject: alt\nContent-Type: multipart/alternative; boundary=b\n\n");
	for (int i = 0; i < 50000; i++)
		g_string_append(m, "--b\nContent-Type: text/html\n\n<p>x</p>\n");
	g_string_append(m, "--b\nContent-Type: text/plain\n\nplain\n--b--\n");
	assert_int_equal(sk_mime_scan_run(&sc, po, m->str, m->len, 10, 32), SK_OK);
	assert_int_equal(sc.parts[0].first_plain, 50000); /* found past the part limit */
	assert_int_equal(sc.parts[0].nchildren, 50001);

	g_string_assign(m, "Subject: dashes\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\n");
	for (int i = 0; i < 500000; i++)
		g_string_append(m, "--------\n- - - -\n");
	g_string_append(m, "--b--\n");
	assert_int_equal(sk_mime_scan_run(&sc, po, m->str, m->len, 1000, 32), SK_OK);
	assert_int_equal(sc.nparts, 2);
	assert_int_equal(sc.parts[1].body.len, 500000 * 17 - 1);
	sk_mime_scan_free(&sc);
	g_string_free(m, TRUE);
}

/* sha256.c against libcrypto, one stream and two, split anywhere. */
static void test_sha256(void **state)
{
	(void)state;
	enum { N = 3000 };
	static unsigned char a[N], b[N];
	uint32_t x = 7;
	for (size_t i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		a[i] = (unsigned char)(x >> 16);
		b[i] = (unsigned char)(x >> 8);
	}
	EVP_MD_CTX *e1 = EVP_MD_CTX_new(), *e2 = EVP_MD_CTX_new();
	for (size_t len = 0; len < N; len += len < 200 ? 1 : 97) {
		char want_a[65], want_b[65], got[65];
		sha_hex(a, len, want_a);
		sha_hex(b, N - len, want_b);
		sk_mail_sha256 ha, hb;
		assert_int_equal(sk_mail_sha256_init(&ha, e1), SK_OK);
		assert_int_equal(sk_mail_sha256_init(&hb, e2), SK_OK);
		/* Uneven pieces, so that partial blocks meet full ones. */
		size_t pa = 0, pb = 0, step = 1 + len % 131;
		while (pa < len || pb < N - len) {
			size_t ka = len - pa < step ? len - pa : step;
			size_t kb = N - len - pb < step * 2 + 3 ? N - len - pb : step * 2 + 3;
			if ((pa + pb) % 3 == 0) {
				assert_int_equal(sk_mail_sha256_update(&ha, a + pa, ka), SK_OK);
				assert_int_equal(sk_mail_sha256_update(&hb, b + pb, kb), SK_OK);
			} else {
				assert_int_equal(
				    sk_mail_sha256_update2(&ha, a + pa, ka, &hb, b + pb, kb),
				    SK_OK);
			}
			pa += ka;
			pb += kb;
		}
		unsigned char h[32];
		assert_int_equal(sk_mail_sha256_final(&ha, h), SK_OK);
		for (int i = 0; i < 32; i++)
			snprintf(got + 2 * i, 3, "%02x", h[i]);
		assert_string_equal(got, want_a);
		assert_int_equal(sk_mail_sha256_final(&hb, h), SK_OK);
		for (int i = 0; i < 32; i++)
			snprintf(got + 2 * i, 3, "%02x", h[i]);
		assert_string_equal(got, want_b);
	}
	EVP_MD_CTX_free(e1);
	EVP_MD_CTX_free(e2);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_mime CORPUS-DIR GENERATED-DIR\n");
		return 2;
	}
	dirs[0] = argv[1];
	dirs[1] = argv[2];
	g_mime_init();
	po = g_mime_parser_options_new();
	g_mime_parser_options_set_address_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_rfc2047_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corpora), cmocka_unit_test(test_odd_layouts),
	    cmocka_unit_test(test_limits),  cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_sha256),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	g_mime_parser_options_free(po);
	g_mime_shutdown();
	return rc;
}
