/*
 * cidr: address ranges for `serve --trusted-proxy` and `--metrics-from`,
 * and finding the client's address behind trusted proxies from
 * X-Forwarded-For (http.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_int.h"
#include "../core/sk_msg.h"

/* Parses one address; an IPv4 address mapped into IPv6 is taken as IPv4. */
static bool parse_addr(const char *text, int *family, unsigned char out[16])
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, text, out) == 1) {
		*family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, text, out) != 1)
		return false;
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (memcmp(out, mapped, sizeof(mapped)) == 0) {
		memmove(out, out + 12, 4);
		memset(out + 4, 0, 12);
		*family = AF_INET;
	} else {
		*family = AF_INET6;
	}
	return true;
}

sk_err sk_http_cidr_parse(const char *text, sk_http_cidr *out, sk_buf *err)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : strlen(text);
	if (n == 0 || n >= sizeof(addr))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_ADDRESS_CIDR_RANGE,
		                   text);
	memcpy(addr, text, n);
	addr[n] = '\0';
	if (!parse_addr(addr, &out->family, out->addr))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_ADDRESS_CIDR_RANGE,
		                   text);
	unsigned maxbits = out->family == AF_INET ? 32 : 128;
	out->bits = maxbits;
	if (slash) {
		char *end = NULL;
		long b = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || b < 0 || (unsigned long)b > maxbits)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_HTTP_PREFIX_LENGTH_MUST, text, maxbits);
		out->bits = (unsigned)b;
	}
	return SK_OK;
}

static bool in_range(const sk_http_cidr *c, int family, const unsigned char *a)
{
	if (c->family != family)
		return false;
	unsigned full = c->bits / 8, rest = c->bits % 8;
	if (memcmp(c->addr, a, full) != 0)
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xff00u >> rest);
	return (c->addr[full] & mask) == (a[full] & mask);
}

bool sk_http_cidr_match(const sk_http_cidr *list, size_t n, const char *address)
{
	int family;
	unsigned char a[16];
	if (!n || !parse_addr(address, &family, a))
		return false;
	for (size_t i = 0; i < n; i++)
		if (in_range(&list[i], family, a))
			return true;
	return false;
}

/*
 * Walks one X-Forwarded-For value from its right end. Each well-formed hop
 * becomes the address; returns true once a hop is not a trusted proxy (the
 * client) or a hop is malformed (the address stays the last good hop: what
 * lies to its left was written by someone we cannot vouch for).
 */
static bool walk_value(const sk_http_config *c, h2o_iovec_t v, char *address, size_t max)
{
	const char *end = v.base + v.len;
	while (end > v.base) {
		const char *start = end;
		while (start > v.base && start[-1] != ',')
			start--;
		const char *a = start, *b = end;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		char text[INET6_ADDRSTRLEN + 1];
		int family;
		unsigned char bin[16];
		if (b == a || (size_t)(b - a) >= sizeof(text))
			return true;
		memcpy(text, a, (size_t)(b - a));
		text[b - a] = '\0';
		if (!parse_addr(text, &family, bin) ||
		    !inet_ntop(family, bin, address, (socklen_t)max))
			return true;
		if (!sk_http_cidr_match(c->trusted_proxies, c->n_trusted_proxies, address))
			return true;
		end = start > v.base ? start - 1 : v.base;
	}
	return false;
}

void sk_http_client_address(const sk_http_config *c, h2o_req_t *req, char *address, size_t max)
{
	if (!sk_http_cidr_match(c->trusted_proxies, c->n_trusted_proxies, address))
		return;
	/* Several header lines read as one list, in order: walk them from the last. */
	ssize_t idx[16];
	size_t n = 0;
	for (ssize_t i = -1;
	     (i = h2o_find_header(&req->headers, H2O_TOKEN_X_FORWARDED_FOR, i)) != -1;) {
		/* More lines than any proxy chain writes: trust none of them. */
		if (n == sizeof(idx) / sizeof(idx[0]))
			return;
		idx[n++] = i;
	}
	while (n-- > 0)
		if (walk_value(c, req->headers.entries[idx[n]].value, address, max))
			return;
}
