/*
 * multipart: the parser of a web form sent as multipart/form-data (a file
 * upload). GMime reads the MIME structure (boundaries, part headers,
 * Content-Disposition parameters); this module only puts limits around it:
 * the body is capped by the caller's max, the parts by SK_MULTIPART_PARTS_MAX,
 * every part must be a leaf named by a Content-Disposition "form-data"
 * parameter name (UTF-8, no repeated name), and the closing boundary must be
 * there (a cut-off upload is refused, not half read).
 */
#ifndef SK_MULTIPART_H
#define SK_MULTIPART_H

#include <stddef.h>

#include "../core/sk_buf.h"

#define SK_MULTIPART_PARTS_MAX 8

typedef struct sk_multipart_part {
	char *name;     /* the field's name; UTF-8 */
	char *filename; /* the file's name without any directory, or NULL for a text field */
	char *ctype;    /* a file's media type as sent ("text/plain"), or NULL when none or odd */
	char *data;     /* the part's bytes, with a NUL after them (not counted in len) */
	size_t len;
} sk_multipart_part;

typedef struct sk_multipart {
	size_t n;
	sk_multipart_part part[SK_MULTIPART_PARTS_MAX];
} sk_multipart;

/*
 * Parses the len bytes at body, sent with the Content-Type header
 * content_type (ctlen bytes), into *m (free with sk_multipart_free, also
 * after a failure). SK_ERR_TOO_BIG when len > max or there are more than
 * SK_MULTIPART_PARTS_MAX parts; SK_ERR_INVALID for a type that is not
 * multipart/form-data with a boundary, a body that is not one, a nested
 * multipart, a part without a name, a name or file name that is not UTF-8,
 * or a repeated name.
 */
sk_err sk_multipart_parse(const char *content_type, size_t ctlen, const char *body, size_t len,
                          size_t max, sk_multipart *m, sk_buf *err);

/* The part named name, or NULL. */
const sk_multipart_part *sk_multipart_get(const sk_multipart *m, const char *name);

void sk_multipart_free(sk_multipart *m);

#endif
