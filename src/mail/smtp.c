/* smtp: the RFC 5322 message of a notification and its delivery with libcurl. */
#include "smtp.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/sk_utf8.h"
#include "../domain/notify.h"
#include "../core/sk_msg.h"

static bool addr_char(unsigned char ch)
{
	return ch > 0x20 && ch < 0x7f && !strchr("\"<>()[],;:\\", ch);
}

/* The scheme's length when url starts with smtp:// or smtps://, else 0. */
static size_t smtp_scheme(const char *url)
{
	if (strncasecmp(url, "smtp://", 7) == 0)
		return 7;
	if (strncasecmp(url, "smtps://", 8) == 0)
		return 8;
	return 0;
}

void sk_smtp_url_public(const char *url, char *out, size_t n)
{
	size_t sch = url ? smtp_scheme(url) : 0;
	if (!sch) {
		snprintf(out, n, "(not an smtp URL)");
		return;
	}
	const char *host = url + sch;
	const char *end = host + strcspn(host, "/?#");
	/* userinfo ends at the last '@' before the path */
	for (const char *p = host; p < end; p++)
		if (*p == '@')
			host = p + 1;
	snprintf(out, n, "%.*s%.*s", (int)sch, url, (int)(end - host), host);
}

sk_err sk_smtp_config_check(const sk_smtp_config *c, sk_buf *err)
{
	size_t sch = c->url ? smtp_scheme(c->url) : 0;
	if (!sch)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_MAIL_SMTP_URL_MUST_START);
	char pub[300];
	sk_smtp_url_public(c->url, pub, sizeof(pub));
	if (strlen(pub) <= sch || strchr(c->url, '\r') || strchr(c->url, '\n') ||
	    strchr(c->url, ' '))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_MAIL_SMTP_URL_NAMES_HOST);
	return sk_notify_addr_check(c->from, "--mail-from", err);
}

static sk_err add_b64(sk_buf *out, const unsigned char *p, size_t n)
{
	size_t need = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
	sk_err e = sk_buf_grow(out, need);
	if (e)
		return e;
	sodium_bin2base64(out->data + out->len, need, p, n, sodium_base64_VARIANT_ORIGINAL);
	out->len += need - 1;
	out->data[out->len] = '\0';
	return SK_OK;
}

/*
 * The subject as encoded-words of at most 75 characters: 45 bytes of text
 * make 60 base64 characters plus the 12 of "=?UTF-8?B?" and "?=". A word
 * ends before a character that would not fit whole (RFC 2047 section 5).
 */
static sk_err add_subject(sk_buf *out, const char *subject)
{
	sk_err e = sk_buf_adds(out, "Subject:");
	const unsigned char *p = (const unsigned char *)subject;
	size_t n = strlen(subject);
	while (!e && n) {
		size_t take = sk_utf8_cut((const char *)p, n, 45);
		if (!take) /* not UTF-8: cannot happen after the check, but never loop */
			take = n < 45 ? n : 45;
		if ((e = sk_buf_adds(out, " =?UTF-8?B?")) || (e = add_b64(out, p, take)) ||
		    (e = sk_buf_adds(out, "?=")))
			break;
		p += take;
		n -= take;
		if (n)
			e = sk_buf_adds(out, "\r\n");
	}
	return e ? e : sk_buf_adds(out, "\r\n");
}

static sk_err add_date(sk_buf *out, int64_t at)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)at;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return SK_ERR_INTERNAL;
	return sk_buf_addf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
	                   tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	                   tm.tm_sec);
}

sk_err sk_smtp_message(const char *from, const char *to, const char *subject, const char *body,
                       int64_t at, const char *message_id, sk_buf *out, sk_buf *err)
{
	sk_err e;
	if ((e = sk_notify_addr_check(from, "from", err)) ||
	    (e = sk_notify_addr_check(to, "to", err)))
		return e;
	if (!sk_utf8_valid(subject, strlen(subject), NULL) ||
	    !sk_utf8_valid(body, strlen(body), NULL))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_MAIL_SUBJECT_BODY_VALID);
	for (const char *p = message_id; *p; p++)
		if (!addr_char((unsigned char)*p) && *p != '@')
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_MAIL_MESSAGE_ID_HOLDS_CHARACTER);
	if ((e = add_date(out, at)) || (e = sk_buf_addf(out, "From: <%s>\r\n", from)) ||
	    (e = sk_buf_addf(out, "To: <%s>\r\n", to)) || (e = add_subject(out, subject)) ||
	    (e = sk_buf_addf(out, "Message-ID: <%s>\r\n", message_id)) ||
	    (e = sk_buf_adds(out, "MIME-Version: 1.0\r\n"
	                          "Content-Type: text/plain; charset=UTF-8\r\n"
	                          "Content-Transfer-Encoding: base64\r\n"
	                          "Auto-Submitted: auto-generated\r\n"
	                          "\r\n")))
		return sk_fail_msg(err, e, NULL, NULL, SK_M_MAIL_DOES_FIT_MEMORY);
	/* Text is encoded in its canonical form, lines ending in CRLF (RFC 2045 section 6.8). */
	sk_buf crlf = SK_BUF_INIT(out->max);
	for (const char *q = body; *q && !e; q++)
		e = *q == '\n' && (q == body || q[-1] != '\r') ? sk_buf_add(&crlf, "\r\n", 2)
		                                               : sk_buf_addc(&crlf, *q);
	if (e) {
		sk_buf_free(&crlf);
		return sk_fail_msg(err, e, NULL, NULL, SK_M_MAIL_DOES_FIT_MEMORY);
	}
	const unsigned char *p = (const unsigned char *)(crlf.data ? crlf.data : "");
	size_t n = crlf.len;
	while (n) {
		size_t take = n < 57 ? n : 57; /* 57 bytes are 76 base64 characters */
		if ((e = add_b64(out, p, take)) || (e = sk_buf_adds(out, "\r\n"))) {
			sk_buf_free(&crlf);
			return sk_fail_msg(err, e, NULL, NULL, SK_M_MAIL_DOES_FIT_MEMORY);
		}
		p += take;
		n -= take;
	}
	sk_buf_free(&crlf);
	return SK_OK;
}

sk_err sk_smtp_global_init(sk_buf *err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return sk_fail(err, SK_ERR_INTERNAL, "libcurl could not be initialized");
	return SK_OK;
}

struct reader {
	const char *p;
	size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *ctx)
{
	struct reader *r = ctx;
	size_t n = size * nitems;
	if (n > r->left)
		n = r->left;
	memcpy(buf, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

sk_err sk_smtp_send(const sk_smtp_config *c, const char *to, const char *msg, size_t len,
                    sk_buf *err)
{
	char pub[300];
	sk_smtp_url_public(c->url, pub, sizeof(pub));
	CURL *h = curl_easy_init();
	if (!h)
		return sk_fail(err, SK_ERR_NOMEM, "libcurl could not start a transfer");
	char from[SK_NOTIFY_ADDR_MAX + 3], rcpt[SK_NOTIFY_ADDR_MAX + 3];
	snprintf(from, sizeof(from), "<%s>", c->from);
	snprintf(rcpt, sizeof(rcpt), "<%s>", to);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	struct reader r = {msg, len};
	long timeout = c->timeout_s > 0 ? c->timeout_s : 60;
	CURLcode rc = rcpts ? CURLE_OK : CURLE_OUT_OF_MEMORY;
	if (!rc && !(rc = curl_easy_setopt(h, CURLOPT_URL, c->url)) &&
	    !(rc = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps")) &&
	    !(rc = curl_easy_setopt(h, CURLOPT_MAIL_FROM, from)) &&
	    !(rc = curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts)) &&
	    !(rc = curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb)) &&
	    !(rc = curl_easy_setopt(h, CURLOPT_READDATA, &r)) &&
	    !(rc = curl_easy_setopt(h, CURLOPT_UPLOAD, 1L)) &&
	    !(rc = curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len)) &&
	    /* STARTTLS when the server offers it; smtps:// is TLS from the start. */
	    !(rc = curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY)) &&
	    !(rc = curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L)) &&
	    !(rc = curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout)) &&
	    /* A thread of a server: no signals (libcurl's DNS timeouts would raise SIGALRM). */
	    !(rc = curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L)))
		rc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(h);
	if (rc == CURLE_OK)
		return SK_OK;
	if (code)
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_MAIL_SERVER_REPLIED, pub,
		                   curl_easy_strerror(rc), code);
	return sk_fail(err, SK_ERR_IO, "%s: %s", pub, curl_easy_strerror(rc));
}
