/*
 * sha256: SHA-256 for the sanitizer, two messages at a time.
 *
 * Every sanitized message needs two SHA-256 passes: one over the whole
 * original (the X-Sekisho-Sanitized header's original-sha256) and one over
 * each removed part's decoded bytes. On CPUs with the SHA extensions one
 * SHA-256 stream is bound by the latency of SHA256RNDS2, so running two
 * independent streams through the same loop costs little more than one
 * (about 1.6 times the throughput here, docs/sanitize.md):
 * sk_mail_sha256_update2 feeds both. Without the extensions every call
 * goes to libcrypto (EVP), one stream at a time. The digests are those of
 * FIPS 180-4 either way (tests/unit/mail checks them against libcrypto).
 */
#ifndef SK_MAIL_SHA256_H
#define SK_MAIL_SHA256_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_err.h"

typedef struct sk_mail_sha256 {
	uint32_t h[8];
	unsigned char buf[64];
	size_t nbuf;
	uint64_t total;
	EVP_MD_CTX *evp; /* the caller's, used when the CPU has no SHA extensions */
} sk_mail_sha256;

/* Starts a digest; evp (the caller's, reused) is only used without the SHA extensions. */
sk_err sk_mail_sha256_init(sk_mail_sha256 *c, EVP_MD_CTX *evp);
sk_err sk_mail_sha256_update(sk_mail_sha256 *c, const void *p, size_t n);
/* The same as updating a with p[0, n) and b with q[0, m), faster. */
sk_err sk_mail_sha256_update2(sk_mail_sha256 *a, const void *p, size_t n, sk_mail_sha256 *b,
                              const void *q, size_t m);
sk_err sk_mail_sha256_final(sk_mail_sha256 *c, unsigned char out[32]);

#endif
