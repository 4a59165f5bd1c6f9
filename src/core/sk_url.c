/* sk_url: URL form decoding (see sk_url.h). */
#include "sk_url.h"

#include "sk_hex.h"

bool sk_url_decode(const char *s, size_t n, char *out, size_t max, size_t *outn)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= n)
				return false;
			int h = sk_hex_digit((unsigned char)s[i + 1]),
			    l = sk_hex_digit((unsigned char)s[i + 2]);
			if (h < 0 || l < 0)
				return false;
			c = (char)(h * 16 + l);
			i += 2;
		}
		if (c == '\0' || o + 1 >= max)
			return false;
		out[o++] = c;
	}
	if (max == 0)
		return false;
	out[o] = '\0';
	if (outn)
		*outn = o;
	return true;
}
