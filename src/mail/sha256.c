/* sha256: SHA-256 with the x86 SHA extensions, two streams interleaved (see sha256.h). */
#include "sha256.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define SK_SHA_NI 1
#endif

static bool use_ni; /* set once by detect */
static pthread_once_t detect_once = PTHREAD_ONCE_INIT;

static void detect(void)
{
#ifdef SK_SHA_NI
	/* The SHA extensions are CPUID leaf 7, EBX bit 29; the code also needs SSE4.1. */
	unsigned a, b, c, d;
	use_ni = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 29 & 1) &&
	         __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3");
#endif
}

#ifdef SK_SHA_NI
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define NI __attribute__((target("sha,sse4.1,ssse3")))

/* The state as SHA256RNDS2 wants it: ABEF and CDGH. */
NI static void load_state(const uint32_t h[8], __m128i *abef, __m128i *cdgh)
{
	__m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)h), 0xB1);
	__m128i s =
	    _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)(h + 4)), 0x1B);
	*abef = _mm_alignr_epi8(t, s, 8);
	*cdgh = _mm_blend_epi16(s, t, 0xF0);
}

NI static void store_state(uint32_t h[8], __m128i abef, __m128i cdgh)
{
	__m128i t = _mm_shuffle_epi32(abef, 0x1B);
	__m128i s = _mm_shuffle_epi32(cdgh, 0xB1);
	_mm_storeu_si128((__m128i *)(void *)h, _mm_blend_epi16(t, s, 0xF0));
	_mm_storeu_si128((__m128i *)(void *)(h + 4), _mm_alignr_epi8(s, t, 8));
}

/* Message words 4g..4g+3 of a block: loaded for g < 4, else from the four before (x[g % 4]). */
NI static inline __m128i schedule(const __m128i x[4], const unsigned char *p, int g, __m128i bswap)
{
	if (g < 4)
		return _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * g)), bswap);
	__m128i w = _mm_add_epi32(_mm_sha256msg1_epu32(x[g & 3], x[(g + 1) & 3]),
	                          _mm_alignr_epi8(x[(g + 3) & 3], x[(g + 2) & 3], 4));
	return _mm_sha256msg2_epu32(w, x[(g + 3) & 3]);
}

/* Blocks of one stream. */
NI static void blocks1(uint32_t h[8], const unsigned char *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i s0, s1;
	load_state(h, &s0, &s1);
	for (; n > 0; n--, p += 64) {
		__m128i a0 = s0, a1 = s1, x[4];
#pragma GCC unroll 16
		for (int g = 0; g < 16; g++) {
			x[g & 3] = schedule(x, p, g, bswap);
			__m128i m = _mm_add_epi32(
			    x[g & 3], _mm_loadu_si128((const __m128i *)(const void *)&K[4 * g]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, m);
			s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(m, 0x0E));
		}
		s0 = _mm_add_epi32(s0, a0);
		s1 = _mm_add_epi32(s1, a1);
	}
	store_state(h, s0, s1);
}

/* Blocks of two streams, interleaved so that one's rounds fill the other's latency. */
NI static void blocks2(uint32_t ha[8], const unsigned char *p, uint32_t hb[8],
                       const unsigned char *q, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i s0, s1, t0, t1;
	load_state(ha, &s0, &s1);
	load_state(hb, &t0, &t1);
	for (; n > 0; n--, p += 64, q += 64) {
		__m128i a0 = s0, a1 = s1, b0 = t0, b1 = t1, x[4], y[4];
#pragma GCC unroll 16
		for (int g = 0; g < 16; g++) {
			x[g & 3] = schedule(x, p, g, bswap);
			y[g & 3] = schedule(y, q, g, bswap);
			__m128i k = _mm_loadu_si128((const __m128i *)(const void *)&K[4 * g]);
			__m128i m = _mm_add_epi32(x[g & 3], k), w = _mm_add_epi32(y[g & 3], k);
			s1 = _mm_sha256rnds2_epu32(s1, s0, m);
			t1 = _mm_sha256rnds2_epu32(t1, t0, w);
			s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(m, 0x0E));
			t0 = _mm_sha256rnds2_epu32(t0, t1, _mm_shuffle_epi32(w, 0x0E));
		}
		s0 = _mm_add_epi32(s0, a0);
		s1 = _mm_add_epi32(s1, a1);
		t0 = _mm_add_epi32(t0, b0);
		t1 = _mm_add_epi32(t1, b1);
	}
	store_state(ha, s0, s1);
	store_state(hb, t0, t1);
}
#else
static void blocks1(uint32_t h[8], const unsigned char *p, size_t n)
{
	(void)h, (void)p, (void)n; /* never called: use_ni stays false */
}
static void blocks2(uint32_t ha[8], const unsigned char *p, uint32_t hb[8], const unsigned char *q,
                    size_t n)
{
	(void)ha, (void)p, (void)hb, (void)q, (void)n;
}
#endif

sk_err sk_mail_sha256_init(sk_mail_sha256 *c, EVP_MD_CTX *evp)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	pthread_once(&detect_once, detect);
	memcpy(c->h, iv, sizeof(iv));
	c->nbuf = 0;
	c->total = 0;
	c->evp = use_ni ? NULL : evp;
	if (!use_ni && !EVP_DigestInit_ex(evp, EVP_sha256(), NULL))
		return SK_ERR_NOMEM;
	return SK_OK;
}

/* Tops up c's partial block from *p; returns whether c's buffer is empty afterwards. */
static bool fill(sk_mail_sha256 *c, const unsigned char **p, size_t *n)
{
	if (c->nbuf == 0)
		return true;
	size_t k = 64 - c->nbuf < *n ? 64 - c->nbuf : *n;
	memcpy(c->buf + c->nbuf, *p, k);
	c->nbuf += k;
	*p += k;
	*n -= k;
	if (c->nbuf < 64)
		return false;
	blocks1(c->h, c->buf, 1);
	c->nbuf = 0;
	return true;
}

/* Keeps the tail of p (less than a block) for later. */
static void keep(sk_mail_sha256 *c, const unsigned char *p, size_t n)
{
	memcpy(c->buf + c->nbuf, p, n);
	c->nbuf += n;
}

sk_err sk_mail_sha256_update(sk_mail_sha256 *c, const void *data, size_t n)
{
	if (c->evp)
		return EVP_DigestUpdate(c->evp, data, n) ? SK_OK : SK_ERR_NOMEM;
	const unsigned char *p = data;
	c->total += n;
	if (!fill(c, &p, &n))
		return SK_OK;
	blocks1(c->h, p, n / 64);
	keep(c, p + n / 64 * 64, n % 64);
	return SK_OK;
}

sk_err sk_mail_sha256_update2(sk_mail_sha256 *a, const void *p, size_t n, sk_mail_sha256 *b,
                              const void *q, size_t m)
{
	if (a->evp || b->evp) {
		sk_err e = sk_mail_sha256_update(a, p, n);
		return e ? e : sk_mail_sha256_update(b, q, m);
	}
	const unsigned char *pp = p, *qq = q;
	a->total += n;
	b->total += m;
	if (!fill(a, &pp, &n) || !fill(b, &qq, &m)) {
		/* One of them is still short of a block: the rest goes one stream at a time. */
		a->total -= n;
		b->total -= m;
		sk_err e = sk_mail_sha256_update(a, pp, n);
		return e ? e : sk_mail_sha256_update(b, qq, m);
	}
	size_t both = (n < m ? n : m) / 64;
	blocks2(a->h, pp, b->h, qq, both);
	pp += both * 64;
	qq += both * 64;
	n -= both * 64;
	m -= both * 64;
	blocks1(a->h, pp, n / 64);
	keep(a, pp + n / 64 * 64, n % 64);
	blocks1(b->h, qq, m / 64);
	keep(b, qq + m / 64 * 64, m % 64);
	return SK_OK;
}

sk_err sk_mail_sha256_final(sk_mail_sha256 *c, unsigned char out[32])
{
	if (c->evp) {
		unsigned len = 0;
		return EVP_DigestFinal_ex(c->evp, out, &len) ? SK_OK : SK_ERR_NOMEM;
	}
	uint64_t bits = c->total * 8;
	unsigned char pad[72] = {0x80};
	size_t padlen = (c->nbuf < 56 ? 56 : 120) - c->nbuf;
	for (int i = 0; i < 8; i++)
		pad[padlen + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
	const unsigned char *p = pad;
	size_t n = padlen + 8;
	if (fill(c, &p, &n))
		blocks1(c->h, p, n / 64);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
	return SK_OK;
}
