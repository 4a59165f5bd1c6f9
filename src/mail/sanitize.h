/*
 * sanitize: 無害化 of internet mail for the LGWAN side (SPEC C14).
 *
 * One RFC 5322 / MIME message in, one safe message out: a single
 * text/plain; charset=UTF-8 part holding the message's text (the text/plain
 * part, or the HTML part converted to text), the From, To, Cc, Date, Subject
 * and Message-ID headers decoded to UTF-8, and at the end of the body a list
 * of everything removed (every attachment and every non-text part: its file
 * name, type, decoded size and SHA-256) and of every notice (limits reached,
 * undecodable bytes, suspicious display names). Nothing the sender wrote is
 * executed, opened or followed: archives are listed, never unpacked; links
 * are shown as text.
 *
 * Hostile mail is bounded by sk_mail_limits; each limit reached becomes a
 * notice in the output, never a crash. The structure is found by our own
 * scanner (mime.h) without recursion; GMime reads header values.
 */
#ifndef SK_MAIL_SANITIZE_H
#define SK_MAIL_SANITIZE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"

typedef struct sk_mail_limits {
	size_t max_size;      /* bytes of the whole message parsed; beyond, only its headers */
	size_t max_parts;     /* MIME entities examined */
	size_t max_depth;     /* multipart nesting examined */
	size_t max_text;      /* bytes of body text written */
	size_t max_html_tags; /* start tags in an HTML part converted to text */
	size_t max_html_mem;  /* bytes the HTML parser may allocate for one part */
} sk_mail_limits;

/* 32 MiB, 1000 parts, 32 levels, 4 MiB of text, 20000 HTML tags, 256 MiB for HTML. */
void sk_mail_limits_default(sk_mail_limits *l);

typedef struct sk_mail_options {
	sk_mail_limits limits;
	bool defang_links; /* show link addresses as hxxps://host[.]example */
	bool render;       /* also build the sanitized message (sk_mail_result.message) */
	bool json_body;    /* also put the body text into sk_mail_result.json (for --json) */
} sk_mail_options;

/*
 * A sanitizer holds what is reused from message to message (GMime options,
 * iconv handles, the scanner's arrays, buffers). One thread at a time; create as many as threads.
 */
typedef struct sk_mail_sanitizer sk_mail_sanitizer;

/* Initialises GMime once per process. *out is the caller's, freed with sk_mail_sanitizer_free. */
sk_err sk_mail_sanitizer_new(const sk_mail_options *opts, sk_mail_sanitizer **out, sk_buf *err);
void sk_mail_sanitizer_free(sk_mail_sanitizer *s);

/* A message as read: the bytes held, and what is known of all of it. */
typedef struct sk_mail_input {
	const char *data; /* borrowed for the call */
	size_t len;
	/*
	 * The full size of the message: more than len when the reader stopped
	 * keeping bytes at limits.max_size (then only the headers are used). 0
	 * means len.
	 */
	uint64_t total;
	/* SHA-256 of all total bytes, or NULL to have it computed from data. */
	const unsigned char *sha256;
} sk_mail_input;

typedef struct sk_mail_result {
	/*
	 * The SPEC object {"headers": {"from", "to", "cc", "date", "subject",
	 * "message-id"} (only those present), "body": text, "removed": [{"name",
	 * "type", "size", "sha256"}], "notices": [text]}. Owned by the result.
	 * "body" is there only with options.json_body: the audit record and the
	 * rendered message do not need a second copy of the text.
	 */
	json_t *json;
	sk_buf message;  /* the sanitized message, when options.render */
	char sha256[65]; /* of the original message, lower-case hex */
	uint64_t size;   /* of the original message */
	size_t nremoved; /* entries in "removed" */
} sk_mail_result;

/*
 * Sanitizes one message into *out (which the caller frees with
 * sk_mail_result_free, also after a failure). Returns SK_OK whenever a safe
 * message could be made, even if everything but the headers was removed;
 * SK_ERR_INVALID when the input is not a mail message at all (empty, or no
 * header); SK_ERR_NOMEM when memory ran out.
 */
sk_err sk_mail_sanitize(sk_mail_sanitizer *s, const sk_mail_input *in, sk_mail_result *out,
                        sk_buf *err);

void sk_mail_result_free(sk_mail_result *r);

/* The version string written into the X-Sekisho-Sanitized header. */
const char *sk_mail_sanitizer_version(void);

#endif
