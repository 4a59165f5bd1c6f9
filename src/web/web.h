/*
 * web: the server-rendered web UI (issue 14) on the API's server: the
 * HTML routes have their own small table (web.c) and pages (pages_*.c);
 * everything that reaches HTML goes through html.h, every sentence comes
 * from the catalog (sk_msg.h), every domain answer from the same domain
 * functions the API calls.
 */
#ifndef SK_WEB_H
#define SK_WEB_H

#include <stdbool.h>
#include <stddef.h>

struct sk_http_rctx;

/* Whether the path (n bytes, without the query) is one of the web UI's. */
bool sk_web_owns(const char *path, size_t n);

/* Answers r, whose path sk_web_owns. */
void sk_web_dispatch(struct sk_http_rctx *r);

#endif
