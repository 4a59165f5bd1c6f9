/*
 * fuzz_utf8: libFuzzer target for core/sk_utf8. On any bytes, the validator
 * must agree with jansson's (strict) UTF-8 check and with walking the input
 * through sk_utf8_decode; every decoded character must encode back to the
 * same bytes; a cut never lands inside a character of valid text.
 * Build with meson -Dfuzz=true (clang); run as BUILD/fuzz/fuzz_utf8.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sk_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t bad = 0;
	bool valid = sk_utf8_valid((const char *)data, size, &bad);
	json_t *j = json_stringn((const char *)data, size);
	if (valid != (j != NULL))
		abort();
	json_decref(j);
	size_t i = 0;
	while (i < size) {
		uint32_t cp;
		size_t k = sk_utf8_decode(data + i, size - i, &cp);
		if (k == 0)
			break;
		char back[SK_UTF8_MAX];
		if (sk_utf8_encode(cp, back) != k || memcmp(back, data + i, k) != 0)
			abort();
		i += k;
	}
	if (valid != (i == size) || (!valid && bad != i))
		abort();
	if (valid) {
		size_t max = size ? data[0] % (size + 1) : 0;
		size_t cut = sk_utf8_cut((const char *)data, size, max);
		if (cut > max || !sk_utf8_valid((const char *)data, cut, NULL))
			abort();
	}
	return 0;
}
