/*
 * html2text: readable plain text from an HTML mail body, through a real
 * HTML5 parser (libgumbo), for the mail sanitizer (SPEC C14).
 *
 * Scripts, styles, images, embedded objects, forms' hidden parts and
 * comments are dropped; block elements become line breaks; a link shows its
 * text followed by its address in angle brackets (only http, https, ftp and
 * mailto addresses are shown; javascript: and data: ones are dropped).
 *
 * Hostile HTML is bounded three ways: the number of tags is counted before
 * parsing (gumbo's tree building is quadratic in nesting depth), all of
 * gumbo's memory comes from an arena with a cap (when it is reached the
 * parse is abandoned, the arena freed whole), and the tree is walked
 * without recursion.
 */
#ifndef SK_MAIL_HTML2TEXT_H
#define SK_MAIL_HTML2TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/sk_buf.h"

typedef struct sk_mail_html_opts {
	size_t max_tags;   /* start tags allowed in the input */
	size_t max_memory; /* bytes the parser may allocate */
	bool defang_links; /* show addresses as hxxp://host[.]example */
	/*
	 * Called for a link whose text shows a host ("https://www.city.example/",
	 * "www.city.example", "someone@city.example") other than the host its
	 * address leads to (a subdomain of either counts as the same): the
	 * classic disguise of a phishing link. Hosts are lower case. NULL: not
	 * checked.
	 */
	void (*on_link_mismatch)(void *ctx, const char *shown_host, const char *target_host);
	void *link_ctx;
} sk_mail_html_opts;

/*
 * Appends the text of html (UTF-8, len bytes) to out. Returns SK_ERR_TOO_BIG
 * with a sentence in err when a limit was reached: for max_tags and
 * max_memory nothing is appended; for out's cap out keeps the text that fit.
 * SK_ERR_NOMEM when an allocation failed.
 */
sk_err sk_mail_html_to_text(const char *html, size_t len, const sk_mail_html_opts *opts,
                            sk_buf *out, sk_buf *err);

/*
 * Appends url to out with its scheme and dots defanged ("hxxps://city[.]example/a"),
 * so that no mail client turns it into a live link.
 */
sk_err sk_mail_defang_url(const char *url, size_t len, sk_buf *out);

#endif
