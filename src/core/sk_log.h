/*
 * sk_log: diagnostics on stderr. Never pass a secret (password, token, key)
 * to these functions: they print what they are given.
 */
#ifndef SK_LOG_H
#define SK_LOG_H

typedef enum { SK_LOG_DEBUG, SK_LOG_INFO, SK_LOG_WARN, SK_LOG_ERROR } sk_log_level;

void sk_log_set_level(sk_log_level lvl);
void sk_log(sk_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
