/*
 * sk_url: the one decoder of URL form encoding (%XX and '+'), for query
 * strings (src/http) and form bodies (src/web).
 */
#ifndef SK_URL_H
#define SK_URL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Decodes the n bytes at s into out (room for max bytes, NUL included) and
 * sets *outn (when not NULL) to the decoded length. false on a bad or cut
 * escape, an encoded or literal NUL, or when it does not fit.
 */
bool sk_url_decode(const char *s, size_t n, char *out, size_t max, size_t *outn);

#endif
