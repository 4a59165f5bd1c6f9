/*
 * csv: RFC 4180 reading and writing for the registers municipalities keep in
 * Excel, in the three encodings those files come in: UTF-8, UTF-8 with a
 * byte-order mark (what Excel writes for "CSV UTF-8") and Shift_JIS as
 * Windows writes it (CP932).
 *
 * Reading works on a whole UTF-8 buffer in memory: sk_csv_decode turns any
 * of the encodings into UTF-8 first, then sk_csv_parse hands each record to
 * a callback. Every field has a size limit, every record a field-count
 * limit, and malformed quoting is an error naming the line and column.
 * Writing goes through sk_csv_writer, which encodes as it writes.
 */
#ifndef SK_CSV_H
#define SK_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../core/sk_buf.h"

typedef enum sk_csv_encoding {
	SK_CSV_UTF8 = 0,
	SK_CSV_UTF8_BOM = 1,
	SK_CSV_CP932 = 2,
} sk_csv_encoding;

/* "utf-8", "utf-8-bom", "cp932". */
const char *sk_csv_encoding_name(sk_csv_encoding e);
/*
 * Parses an encoding name as a user types it: utf-8/utf8, utf-8-bom/utf8bom,
 * cp932/sjis/shift_jis/windows-31j (case-insensitive).
 */
sk_err sk_csv_encoding_parse(const char *name, sk_csv_encoding *out, sk_buf *err);

/*
 * Guesses the encoding of raw file bytes: a UTF-8 byte-order mark means
 * UTF-8 with BOM; otherwise bytes that are valid UTF-8 are UTF-8 (pure ASCII
 * included); anything else is taken for CP932, which sk_csv_decode then
 * checks strictly.
 */
sk_csv_encoding sk_csv_detect(const char *p, size_t n);

/* Whether the n bytes at p are valid UTF-8 (no overlongs, no surrogates). */
bool sk_csv_utf8_valid(const char *p, size_t n, size_t *bad_at);

/*
 * Converts the raw bytes (p, n) in encoding enc to UTF-8 without a BOM.
 * When the input needs no conversion, *out points into p and *owned is NULL;
 * otherwise *out is *owned, a malloc'd buffer the caller frees. Bytes that
 * are not valid in enc are an SK_ERR_INVALID naming the line.
 */
sk_err sk_csv_decode(const char *p, size_t n, sk_csv_encoding enc, const char **out, size_t *outlen,
                     char **owned, sk_buf *err);

/*
 * Detects the encoding of raw file bytes (as sk_csv_detect) and converts
 * them to UTF-8 (as sk_csv_decode) with one validation pass over UTF-8
 * input instead of two. *enc receives what was detected; the rest is as for
 * sk_csv_decode.
 */
sk_err sk_csv_decode_auto(const char *p, size_t n, sk_csv_encoding *enc, const char **out,
                          size_t *outlen, char **owned, sk_buf *err);

/*
 * One field of a record: NUL-terminated, valid during the callback only. The
 * bytes are the parser's scratch copy: the callback may change them in place
 * (trim them, say) but not past n.
 */
typedef struct sk_csv_field {
	char *p;
	size_t n;
} sk_csv_field;

typedef struct sk_csv_limits {
	size_t max_fields;      /* per record */
	size_t max_field_bytes; /* after unquoting */
} sk_csv_limits;

#define SK_CSV_LIMITS_DEFAULT ((sk_csv_limits){.max_fields = 256, .max_field_bytes = 65536})

/*
 * Called once per record. line is the 1-based line on which the record
 * starts (quoted fields may span lines). Returning anything but SK_OK stops
 * the parse and becomes its result.
 */
typedef sk_err (*sk_csv_record_fn)(void *ctx, const sk_csv_field *fields, size_t nfields,
                                   size_t line, sk_buf *err);

/*
 * Parses the UTF-8 text (p, n) as RFC 4180 CSV: fields separated by commas,
 * records by CRLF or LF, fields optionally in double quotes with "" for a
 * quote. Empty lines are skipped. A NUL byte, a quote inside an unquoted
 * field, text after a closing quote, an unterminated quote or a limit
 * exceeded is SK_ERR_INVALID (SK_ERR_TOO_BIG for limits) with
 * "line L, column C: ..." in err.
 */
sk_err sk_csv_parse(const char *p, size_t n, const sk_csv_limits *lim, sk_csv_record_fn fn,
                    void *ctx, sk_buf *err);

/*
 * A writer of CSV records to a stdio stream, in one encoding, with CRLF line
 * ends (RFC 4180; what Excel expects). The stream stays the caller's.
 */
typedef struct sk_csv_writer sk_csv_writer;

/*
 * Starts writing to f; writes the byte-order mark for SK_CSV_UTF8_BOM.
 * *out is the caller's, released with sk_csv_writer_free.
 */
sk_err sk_csv_writer_new(FILE *f, sk_csv_encoding enc, sk_csv_writer **out, sk_buf *err);
/*
 * Writes one record of n UTF-8 fields (NULL is written as an empty field).
 * Fields are quoted when they hold a comma, quote, CR or LF. A field that
 * Excel would run as a formula (starting with = + - @ or a tab) is written
 * with a leading apostrophe, as OWASP advises against CSV injection; the
 * reader of sk_asset_import strips it again. In CP932 a character the code
 * page lacks is SK_ERR_INVALID naming it, never silently replaced.
 */
sk_err sk_csv_write_record(sk_csv_writer *w, const char *const *fields, size_t n, sk_buf *err);
/* Flushes; SK_ERR_IO if the stream failed at any point. */
sk_err sk_csv_writer_finish(sk_csv_writer *w, sk_buf *err);
void sk_csv_writer_free(sk_csv_writer *w);

/*
 * Whether a field read back was protected against formula injection by the
 * writer: an apostrophe followed by = + - @ or a tab. Importers drop the
 * apostrophe of such fields.
 */
bool sk_csv_is_guarded(const char *p, size_t n);

#endif
