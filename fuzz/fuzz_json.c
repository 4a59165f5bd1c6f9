/*
 * fuzz_json: libFuzzer target for core/sk_json_read, the reader behind every
 * JSON body the API takes. On any bytes it must agree with jansson's
 * json_loadb(JSON_REJECT_DUPLICATES | JSON_DECODE_ANY): what it accepts,
 * jansson accepts, as equal values with their members in the same order
 * (compared through sk_json_compact, which keeps the order); what it
 * refuses, jansson refuses, but for one quirk of jansson's: its stream takes
 * a NUL byte right after a character it put back (after a number, say) for
 * the end of its look-ahead and skips it, so it reads "[92\0,1]". The reader
 * refuses every NUL byte; sk_json_parse then asks jansson, whose answer
 * stands, so the two doors still answer alike.
 * Build with meson -Dfuzz=true (clang); run as BUILD/fuzz/fuzz_json.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sk_buf.h"
#include "core/sk_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *want =
	    json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	json_t *got = sk_json_read((const char *)data, size);
	if (got && !want)
		abort();
	if (want && !got && !memchr(data, '\0', size))
		abort();
	if (want && got) {
		if (!json_equal(want, got))
			abort();
		sk_buf a = SK_BUF_INIT(SK_BUF_DEFAULT_MAX), b = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
		if (sk_json_compact(want, &a) != sk_json_compact(got, &b) ||
		    strcmp(a.data, b.data) != 0)
			abort();
		sk_buf_free(&a);
		sk_buf_free(&b);
	}
	json_decref(want);
	json_decref(got);
	return 0;
}
