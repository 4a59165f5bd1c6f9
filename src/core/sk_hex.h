/*
 * sk_hex: the value of one hexadecimal digit, either case (percent-encoding,
 * PostgreSQL's bytea text). The audit log's hashes are lower-case only and
 * keep their own stricter reader (src/audit/verify.c).
 */
#ifndef SK_HEX_H
#define SK_HEX_H

/* 0-15 for a hexadecimal digit, -1 for anything else. */
static inline int sk_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
