/*
 * mime: a zero-copy MIME structure scanner for the sanitizer (SPEC C14).
 *
 * sk_mime_scan_run finds, in one pass over a message held in memory, the
 * message's own header fields, every MIME entity the sanitizer examines
 * (in document order: a multipart before its parts) with the byte range of
 * its content, and how many entities the part and depth limits left out.
 * Nothing is copied: every range points into the caller's bytes. Nesting is
 * followed with an explicit stack of at most max_depth + 1 boundaries, never
 * by recursion on the input.
 *
 * The structure follows GMime 3's parser exactly (where a header block ends,
 * which lines are boundaries, where content ends), so that a plain GMime walk
 * and this scanner find the same parts (tests/unit/mail/test_mime.c checks
 * that). What a header value means is left to GMime itself: Content-Type and
 * Content-Disposition values (parameters, RFC 2231) are parsed by
 * g_mime_content_type_parse and g_mime_content_disposition_parse, the
 * transfer encoding by g_mime_content_encoding_from_string.
 *
 * Entities the limits leave out, and whatever lies inside a forwarded
 * message (message/rfc822), are never parsed into parts: their extent is
 * where the next enclosing boundary line is, which is also where GMime's
 * full parse of them ends, unless an inner boundary is spelled like an
 * outer one.
 */
#ifndef SK_MAIL_MIME_H
#define SK_MAIL_MIME_H

#include <gmime/gmime.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_err.h"

#define SK_MIME_NONE ((size_t)-1)

/* A byte range of the scanned message; set is false when the header is absent. */
typedef struct sk_mime_span {
	size_t off, len;
	bool set;
} sk_mime_span;

typedef enum sk_mime_kind {
	SK_MIME_LEAF,      /* content to transfer-decode */
	SK_MIME_MULTIPART, /* its parts follow it in the list */
	SK_MIME_MESSAGE,   /* message/rfc822, news or global: body is the whole inner message */
} sk_mime_kind;

/* A header field: name, and raw value (after the colon, folding and line ends kept). */
typedef struct sk_mime_header {
	sk_mime_span name, value;
} sk_mime_header;

typedef struct sk_mime_part {
	sk_mime_kind kind;
	unsigned depth;     /* multipart nesting: 0 for the message's own entity */
	size_t parent;      /* index of the enclosing multipart, or SK_MIME_NONE */
	size_t index;       /* position among the parent's parts */
	size_t nchildren;   /* multipart: parts found, examined or not */
	size_t first_plain; /* multipart/alternative: first part with body kind 1, or NONE */
	bool alternative;   /* multipart/alternative */
	sk_mime_span body;  /* content as transferred (leaf), the inner message (message) */
	/* Raw values: GMime reads a part's name from the first, its meaning from the last. */
	sk_mime_span ctype_first, ctype, cdisp_first, cdisp, cte;
	GMimeContentEncoding encoding;
	GMimeContentType *ct;        /* parsed from ctype; NULL when there is none */
	const char *default_type;    /* the type when ct is NULL */
	GMimeContentDisposition *cd; /* parsed on demand from cdisp */
	int kind_cache;              /* body kind + 1, 0 when not yet known */
} sk_mime_part;

/* One scan's results; reused from message to message (arrays are kept). */
typedef struct sk_mime_scan {
	const char *data; /* borrowed for the scan and until the next one */
	size_t len;
	GMimeParserOptions *po; /* borrowed: how header values are parsed */
	sk_mime_part *parts;    /* the entities examined, in document order */
	size_t nparts, parts_cap;
	sk_mime_header *headers; /* the message's own header fields, in order */
	size_t nheaders, headers_cap;
	size_t skipped;  /* entities past max_parts, not examined */
	size_t too_deep; /* entities past max_depth, not examined */
	struct sk_mime_frame *frames;
	size_t nframes, frames_cap;
	char *scratch; /* transfer-decoding output */
	size_t scratch_len;
} sk_mime_scan;

void sk_mime_scan_init(sk_mime_scan *sc);
void sk_mime_scan_free(sk_mime_scan *sc);

/*
 * Scans data[0, len) (which must start with a header block: the sanitizer
 * checks that first). At most max_parts entities are examined, and parts
 * nested deeper than max_depth multiparts are only counted. Returns SK_OK or
 * SK_ERR_NOMEM; any bytes at all make some structure.
 */
sk_err sk_mime_scan_run(sk_mime_scan *sc, GMimeParserOptions *po, const char *data, size_t len,
                        size_t max_parts, size_t max_depth);

/* The part's media type as GMime reports it ("type/subtype" into out, lower-cased). */
void sk_mime_part_type(const sk_mime_part *p, char *out, size_t n);
bool sk_mime_part_is(const sk_mime_part *p, const char *type, const char *subtype);

/* GMime's file name of a part (Content-Disposition filename, else Content-Type name), or NULL. */
const char *sk_mime_part_filename(sk_mime_scan *sc, sk_mime_part *p);

/*
 * What a reader sees as the text of the message: 1 for an inline text/plain
 * leaf without a file name, 2 for such a text/html, 0 for anything else.
 */
int sk_mime_body_kind(sk_mime_scan *sc, sk_mime_part *p);

/* A copy of a span as a C string, cut at a NUL as GMime reads it. Free with g_free. */
char *sk_mime_strdup(const sk_mime_scan *sc, sk_mime_span v);

/* The value of the first header named name in the header block data[off, off+len). */
bool sk_mime_find_header(const char *data, size_t off, size_t len, const char *name,
                         sk_mime_span *value);

/* Whether a leaf's or message's content is its own decoding (7bit, 8bit, binary, none). */
bool sk_mime_identity(const sk_mime_part *p);

typedef sk_err (*sk_mime_sink)(void *ctx, const char *p, size_t n);

/*
 * Streams a leaf's or message's content, transfer-decoded, into sink in
 * chunks (plain 7bit/8bit/binary content straight from the message, base64
 * through an AVX2 decoder where the CPU has it, quoted-printable and
 * uuencode through GMime's decoders). *size receives the decoded length.
 * Returns the first error sink returned, or SK_OK.
 */
sk_err sk_mime_decode(sk_mime_scan *sc, const sk_mime_part *p, sk_mime_sink sink, void *ctx,
                      uint64_t *size);

#endif
