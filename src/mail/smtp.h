/*
 * smtp: outgoing mail for notifications (issue #13 part 5): the RFC 5322
 * message of one notification and its delivery over SMTP with libcurl.
 *
 * The message is plain text in UTF-8 (base64 transfer encoding, so any line
 * length and any character pass unchanged), with the subject as RFC 2047
 * encoded-words. What goes in is made by src/domain/notify.c from the
 * message catalog; this module only frames and sends it.
 *
 * Nothing here logs: errors are returned as sentences that name the server
 * by host and port, never its credentials (a URL may carry a user and a
 * password) and never the message.
 */
#ifndef SK_SMTP_H
#define SK_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"

/* Where and as whom mail is sent. Strings are borrowed. */
typedef struct sk_smtp_config {
	/*
	 * smtp://HOST[:PORT] (STARTTLS when the server offers it) or
	 * smtps://HOST[:PORT] (TLS from the start); a user and password may be
	 * given in the URL as libcurl takes them.
	 */
	const char *url;
	const char *from; /* the envelope sender and From: address */
	long timeout_s;   /* the whole exchange; 0: 60 seconds */
} sk_smtp_config;

/*
 * Checks c before any use: the URL's scheme is smtp or smtps and it names a
 * host, from is a mail address. SK_ERR_INVALID naming the option otherwise.
 */
sk_err sk_smtp_config_check(const sk_smtp_config *c, sk_buf *err);

/*
 * The URL without its user and password ("smtp://mail.example:25"), for a
 * message or a log line, into out.
 */
void sk_smtp_url_public(const char *url, char *out, size_t n);

/*
 * Appends the RFC 5322 message to out: Date (at, Unix seconds, as UTC),
 * From, To, Subject (RFC 2047 base64 encoded-words of UTF-8, each at most
 * 75 characters, never splitting a character), Message-ID (message_id,
 * "<...>" added), MIME-Version, Content-Type text/plain; charset=UTF-8,
 * Content-Transfer-Encoding base64, Auto-Submitted auto-generated, then the
 * body base64 in lines of 76. Lines end in CRLF. subject and body must be
 * valid UTF-8; addresses must pass sk_notify_addr_check.
 */
sk_err sk_smtp_message(const char *from, const char *to, const char *subject, const char *body,
                       int64_t at, const char *message_id, sk_buf *out, sk_buf *err);

/*
 * Initializes libcurl for the process. Call once from the main thread before
 * any thread sends (libcurl's global state is not thread-safe to set up).
 */
sk_err sk_smtp_global_init(sk_buf *err);

/*
 * Sends msg (len bytes, a whole message as sk_smtp_message makes) to to.
 * SK_ERR_IO with the reason (libcurl's sentence and the server's reply code)
 * when the server cannot be reached or refuses; the caller retries later.
 */
sk_err sk_smtp_send(const sk_smtp_config *c, const char *to, const char *msg, size_t len,
                    sk_buf *err);

#endif
