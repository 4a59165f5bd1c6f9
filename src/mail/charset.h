/*
 * charset: decoding the character sets Japanese mail really carries into
 * clean UTF-8 (part of the mail sanitizer, SPEC C14).
 *
 * Mail labelled ISO-2022-JP or Shift_JIS is in practice written by Windows
 * mailers in Microsoft's code page 932, with NEC and IBM extensions (①, ㈱)
 * that strict decoders reject. So Shift_JIS labels decode as CP932, and
 * ISO-2022-JP is decoded here by its escape sequences into CP932 bytes
 * (the JIS-to-Shift_JIS mapping is arithmetic and covers every row), which
 * iconv then turns into UTF-8. EUC-JP decodes as EUC-JP-MS, its superset.
 *
 * Output is always valid UTF-8 without NUL or other control characters
 * except tab and newline; CRLF and lone CR become LF. Bytes that cannot be
 * decoded become U+FFFD and are counted, never dropped silently.
 */
#ifndef SK_MAIL_CHARSET_H
#define SK_MAIL_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/sk_buf.h"

/* An iconv handle cache; one per sanitizer, used by one thread at a time. */
typedef struct sk_mail_conv sk_mail_conv;

sk_mail_conv *sk_mail_conv_new(void);
void sk_mail_conv_free(sk_mail_conv *c);

/* What a decode did, for the sanitizer's notices. */
typedef struct sk_mail_decode_info {
	size_t replaced;  /* bytes or sequences turned into U+FFFD */
	bool unknown;     /* the label named no charset we can decode; bytes were guessed */
	const char *used; /* the decoder used ("UTF-8", "CP932", ...), static storage */
} sk_mail_decode_info;

/*
 * Appends the UTF-8 decoding of in[0..len) to out. label is the MIME charset
 * parameter (NULL or "" when absent: then the bytes are sniffed: ISO-2022-JP
 * escapes, valid UTF-8, else CP932). When keep_newlines is false, newlines and
 * tabs become spaces too (for header text). Returns SK_ERR_TOO_BIG when out's
 * cap is reached (out keeps what fit) and SK_ERR_NOMEM on allocation failure.
 */
sk_err sk_mail_decode(sk_mail_conv *c, const char *label, const char *in, size_t len,
                      bool keep_newlines, sk_buf *out, sk_mail_decode_info *info);

/*
 * Appends s as clean UTF-8 (invalid sequences as U+FFFD, controls removed
 * as in sk_mail_decode); the building block for text already in UTF-8.
 */
sk_err sk_mail_utf8_clean(const char *s, size_t len, bool keep_newlines, sk_buf *out,
                          size_t *replaced);

/* Whether s[0..len) is valid UTF-8 (shortest forms, no surrogates). */
bool sk_mail_utf8_valid(const char *s, size_t len);

#endif
