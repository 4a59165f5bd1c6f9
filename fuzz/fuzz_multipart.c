/*
 * fuzz_multipart: libFuzzer target for web/multipart, the parser of an
 * upload's body (GMime within our limits). The input's first line is the
 * Content-Type header, the rest the body. On any bytes: no crash or leak;
 * an accepted form holds 1..SK_MULTIPART_PARTS_MAX parts whose names are
 * non-empty, unique, valid UTF-8, whose data is NUL-terminated at len, and
 * whose file names hold no '/' or '\\'.
 * Build with meson -Dfuzz=true (clang); run as BUILD/fuzz/fuzz_multipart.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sk_utf8.h"
#include "web/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const char *nl = memchr(in, '\n', size);
	if (!nl)
		return 0;
	size_t ctlen = (size_t)(nl - in);
	sk_multipart m;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_multipart_parse(in, ctlen, nl + 1, size - ctlen - 1, 1u << 20, &m, &err);
	if (e == SK_OK) {
		if (m.n == 0 || m.n > SK_MULTIPART_PARTS_MAX)
			abort();
		for (size_t i = 0; i < m.n; i++) {
			const sk_multipart_part *p = &m.part[i];
			size_t nn = strlen(p->name);
			if (nn == 0 || !sk_utf8_valid(p->name, nn, NULL) || p->data[p->len] != '\0')
				abort();
			if (p->filename && (strchr(p->filename, '/') || strchr(p->filename, '\\')))
				abort();
			for (size_t k = 0; k < i; k++)
				if (strcmp(m.part[k].name, p->name) == 0)
					abort();
			if (sk_multipart_get(&m, p->name) != p)
				abort();
		}
	} else if (e != SK_ERR_INVALID && e != SK_ERR_TOO_BIG) {
		abort();
	}
	sk_multipart_free(&m);
	sk_buf_free(&err);
	return 0;
}
