/*
 * multipart: a multipart/form-data body read by GMime (the MIME library
 * sekisho links for the mail sanitizer), within limits. No MIME is parsed
 * here by hand: GMime reads the type and its boundary, the parts and their
 * Content-Disposition; this file counts, checks and copies.
 */
#include "multipart.h"

#include <gmime/gmime.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/sk_utf8.h"
#include "../core/sk_msg.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
/* g_mime_init counts its callers: the sanitizer's own call (src/mail) does no harm. */
static void init_once(void) { g_mime_init(); }

void sk_multipart_free(sk_multipart *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->part[i].name);
		free(m->part[i].filename);
		free(m->part[i].ctype);
		free(m->part[i].data);
	}
	memset(m, 0, sizeof(*m));
}

const sk_multipart_part *sk_multipart_get(const sk_multipart *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->part[i].name, name) == 0)
			return &m->part[i];
	return NULL;
}

static size_t count_of(const char *hay, size_t n, const char *needle, size_t k)
{
	size_t c = 0;
	for (const char *p = hay; (p = memmem(p, (size_t)(hay + n - p), needle, k)); p += k)
		c++;
	return c;
}

static char *dup_text(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/*
 * A file part's media type ("type/subtype", parameters left out) as the
 * browser sent it, or NULL: only printable ASCII without space or quote is
 * kept, a claim for the record and never used to serve the bytes.
 */
static char *media_type_of(GMimeObject *o)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	char *mt = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	char *out = NULL;
	size_t n = mt ? strlen(mt) : 0;
	bool ok = n > 2 && n < 128;
	for (size_t i = 0; ok && i < n; i++)
		ok = mt[i] > 0x20 && mt[i] < 0x7f && mt[i] != '"' && mt[i] != '\\';
	if (ok)
		out = dup_text(mt, n);
	g_free(mt);
	return out;
}

/* One leaf part into *p: its name, file name, media type and decoded bytes. */
static sk_err take_part(GMimeObject *o, sk_multipart *m, sk_buf *err)
{
	if (!GMIME_IS_PART(o))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_WEB_PART_FORM_ITSELF_MULTIPART);
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(o);
	const char *disp = d ? g_mime_content_disposition_get_disposition(d) : NULL;
	const char *name = d ? g_mime_content_disposition_get_parameter(d, "name") : NULL;
	const char *fn = d ? g_mime_content_disposition_get_parameter(d, "filename") : NULL;
	if (!disp || strcasecmp(disp, "form-data") != 0 || !name || !*name)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WEB_PART_FORM_HAS_FORM);
	if (!sk_utf8_valid(name, strlen(name), NULL) ||
	    (fn && !sk_utf8_valid(fn, strlen(fn), NULL)))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WEB_PART_NAME_FILE_NAME);
	if (sk_multipart_get(m, name))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WEB_FORM_FIELD_GIVEN_TWICE,
		                   name);
	if (fn) {
		/* A browser may send the path the file had on the client: its last segment is the
		 * name. */
		const char *s = strrchr(fn, '/'), *b = strrchr(fn, '\\');
		if (b && (!s || b > s))
			s = b;
		if (s)
			fn = s + 1;
	}
	sk_multipart_part *p = &m->part[m->n];
	memset(p, 0, sizeof(*p));
	GMimeStream *out = g_mime_stream_mem_new();
	GMimeDataWrapper *dw = g_mime_part_get_content(GMIME_PART(o));
	sk_err e = SK_OK;
	if (!out || (dw && g_mime_data_wrapper_write_to_stream(dw, out) < 0))
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WEB_PART_FORM_CANNOT_READ);
	if (!e) {
		GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
		p->data = dup_text(ba && ba->len ? (const char *)ba->data : "", ba ? ba->len : 0);
		p->len = ba ? ba->len : 0;
		p->name = dup_text(name, strlen(name));
		p->filename = fn ? dup_text(fn, strlen(fn)) : NULL;
		p->ctype = fn ? media_type_of(o) : NULL;
		m->n++; /* owned from here on, freed by sk_multipart_free */
		if (!p->data || !p->name || (fn && !p->filename))
			e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	}
	if (out)
		g_object_unref(out);
	return e;
}

sk_err sk_multipart_parse(const char *content_type, size_t ctlen, const char *body, size_t len,
                          size_t max, sk_multipart *m, sk_buf *err)
{
	memset(m, 0, sizeof(*m));
	pthread_once(&once, init_once);
	if (len > max || len > (1u << 30)) /* GMime's byte array counts in guint */
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_WEB_FORM_LARGER_BYTES,
		                   max);
	if (ctlen == 0 || ctlen > 1000 || memchr(content_type, '\0', ctlen) ||
	    memchr(content_type, '\n', ctlen) || memchr(content_type, '\r', ctlen))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_WEB_MULTIPART_FORM_DATA_BODY);
	char *ct = dup_text(content_type, ctlen);
	if (!ct)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	GMimeContentType *type = g_mime_content_type_parse(NULL, ct);
	const char *boundary = type ? g_mime_content_type_get_parameter(type, "boundary") : NULL;
	sk_err e = SK_OK;
	GByteArray *ba = NULL;
	GMimeStream *in = NULL;
	GMimeParser *parser = NULL;
	GMimeObject *obj = NULL;
	char delim[80];
	size_t bn = boundary ? strlen(boundary) : 0;
	if (!type || !g_mime_content_type_is_type(type, "multipart", "form-data") || bn == 0 ||
	    bn > 70) {
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                SK_M_WEB_MULTIPART_FORM_DATA_BODY_2);
		goto out;
	}
	/*
	 * Before GMime builds an object per part: the parts are counted by their
	 * delimiters, and the closing delimiter must be there (RFC 2046 5.1.1).
	 */
	int dn = snprintf(delim, sizeof(delim), "--%s", boundary);
	if (count_of(body, len, delim, (size_t)dn) > SK_MULTIPART_PARTS_MAX + 1) {
		e = sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_WEB_FORM_HAS_MORE_PARTS,
		                SK_MULTIPART_PARTS_MAX);
		goto out;
	}
	snprintf(delim + dn, sizeof(delim) - (size_t)dn, "--");
	if (!memmem(body, len, delim, (size_t)dn + 2)) {
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WEB_FORM_ENDS_BEFORE_CLOSING);
		goto out;
	}
	/* GMime reads an entity: the header the request carried, then the body. */
	ba = g_byte_array_sized_new((guint)(len + ctlen + 20));
	g_byte_array_append(ba, (const guint8 *)"Content-Type: ", 14);
	g_byte_array_append(ba, (const guint8 *)ct, (guint)ctlen);
	g_byte_array_append(ba, (const guint8 *)"\r\n\r\n", 4);
	if (len)
		g_byte_array_append(ba, (const guint8 *)body, (guint)len);
	in = g_mime_stream_mem_new_with_byte_array(ba); /* owns ba */
	parser = g_mime_parser_new_with_stream(in);
	obj = g_mime_parser_construct_part(parser, NULL);
	if (!obj || !GMIME_IS_MULTIPART(obj)) {
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WEB_MULTIPART_FORM_DATA_BODY);
		goto out;
	}
	int n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
	if (n <= 0) {
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WEB_FORM_HAS_PARTS);
		goto out;
	}
	if (n > SK_MULTIPART_PARTS_MAX) {
		e = sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_WEB_FORM_HAS_MORE_PARTS,
		                SK_MULTIPART_PARTS_MAX);
		goto out;
	}
	for (int i = 0; i < n && !e; i++)
		e = take_part(g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), m, err);
out:
	if (obj)
		g_object_unref(obj);
	if (parser)
		g_object_unref(parser);
	if (in)
		g_object_unref(in);
	if (type)
		g_object_unref(type);
	free(ct);
	return e;
}
