/*
 * sk_buf: a growable byte buffer with a mandatory cap (after curl's dynbuf
 * and git's strbuf).
 *
 * Invariants: data is never NULL and is always NUL-terminated, so it can be
 * printed at any time; len never exceeds max. An append that would pass max
 * appends nothing... except sk_buf_vaddf, which keeps what fits (it is used
 * for messages, where a cut sentence beats none) and still reports TOO_BIG.
 * The buffer owns data; sk_buf_free releases it and leaves an empty buffer.
 */
#ifndef SK_BUF_H
#define SK_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "sk_err.h"

typedef struct sk_buf {
	char *data;
	size_t len;
	size_t cap; /* bytes allocated; 0 while data points at the shared empty string */
	size_t max; /* the most bytes the buffer will ever hold */
	/*
	 * Used as an error (sk_fail_msg, sk_msg.h): the field the error is about
	 * (a static string) and the message in Japanese where the catalog has
	 * one; both NULL otherwise. Emptying the buffer clears them.
	 */
	const char *field;
	char *ja;
} sk_buf;

extern char sk_buf_empty_[1];

#define SK_BUF_INIT(maxbytes)                                                                      \
	{                                                                                          \
		sk_buf_empty_, 0, 0, (maxbytes), NULL, NULL                                        \
	}

/* Common caps. */
#define SK_BUF_MSG_MAX     4096u       /* error and log messages */
#define SK_BUF_DEFAULT_MAX (64u << 20) /* anything else not capped tighter */

void sk_buf_init(sk_buf *b, size_t max);
void sk_buf_free(sk_buf *b);
/* Empties the buffer but keeps its memory. */
void sk_buf_reset(sk_buf *b);
sk_err sk_buf_add(sk_buf *b, const void *p, size_t n);
sk_err sk_buf_adds(sk_buf *b, const char *s);
sk_err sk_buf_addc(sk_buf *b, char c);
/* v in decimal, as "%" PRId64 writes it, without printf (answers and images write many). */
sk_err sk_buf_add_int(sk_buf *b, int64_t v);
sk_err sk_buf_addf(sk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
sk_err sk_buf_vaddf(sk_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Makes room for n more bytes without changing len. */
sk_err sk_buf_grow(sk_buf *b, size_t n);
/* Hands data to the caller (free with free()) and leaves b empty. NULL on OOM. */
char *sk_buf_detach(sk_buf *b);

#endif
