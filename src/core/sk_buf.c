/* sk_buf: capped growable buffers. */
#include "sk_buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char sk_buf_empty_[1];

void sk_buf_init(sk_buf *b, size_t max)
{
	b->data = sk_buf_empty_;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->field = NULL;
	b->ja = NULL;
}

void sk_buf_free(sk_buf *b)
{
	if (b->cap)
		free(b->data);
	free(b->ja);
	sk_buf_init(b, b->max);
}

void sk_buf_reset(sk_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
	if (b->ja) {
		free(b->ja);
		b->ja = NULL;
	}
	b->field = NULL;
}

sk_err sk_buf_grow(sk_buf *b, size_t n)
{
	if (n > b->max || b->len > b->max - n)
		return SK_ERR_TOO_BIG;
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return SK_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	char *p = realloc(b->cap ? b->data : NULL, cap);
	if (!p)
		return SK_ERR_NOMEM;
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return SK_OK;
}

sk_err sk_buf_add(sk_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return SK_OK;
	sk_err e = sk_buf_grow(b, n);
	if (e)
		return e;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return SK_OK;
}

sk_err sk_buf_adds(sk_buf *b, const char *s) { return sk_buf_add(b, s, strlen(s)); }

sk_err sk_buf_addc(sk_buf *b, char c) { return sk_buf_add(b, &c, 1); }

sk_err sk_buf_add_int(sk_buf *b, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	/* The magnitude as unsigned: INT64_MIN has none as signed. */
	uint64_t u = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return sk_buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

sk_err sk_buf_vaddf(sk_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return SK_ERR_INVALID;
	size_t want = (size_t)n;
	sk_err res = SK_OK;
	if (want > b->max - b->len) {
		want = b->max - b->len;
		res = SK_ERR_TOO_BIG;
	}
	if (want == 0)
		return res;
	sk_err e = sk_buf_grow(b, want);
	if (e)
		return e;
	vsnprintf(b->data + b->len, want + 1, fmt, ap);
	b->len += want;
	return res;
}

sk_err sk_buf_addf(sk_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sk_err e = sk_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return e;
}

char *sk_buf_detach(sk_buf *b)
{
	char *p = b->cap ? b->data : strdup("");
	free(b->ja);
	sk_buf_init(b, b->max);
	return p;
}
