/*
 * fuzz_form: libFuzzer target for web/form, the parser of every web form's
 * body. On any bytes: no crash or leak; an accepted form holds at most
 * SK_FORM_FIELDS_MAX fields whose names are non-empty and unique and whose
 * names and values are valid UTF-8 without NUL; encoding the fields again
 * and parsing that gives the same fields.
 * Build with meson -Dfuzz=true (clang); run as BUILD/fuzz/fuzz_form.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sk_utf8.h"
#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void encode(sk_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sk_buf_addf(b, "%%%02X", (unsigned char)s[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sk_form f;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_form_parse((const char *)data, size, 1u << 16, &f, &err);
	if (e == SK_OK) {
		if (f.n > SK_FORM_FIELDS_MAX)
			abort();
		sk_buf again = SK_BUF_INIT(1u << 20);
		for (size_t i = 0; i < f.n; i++) {
			size_t nn = strlen(f.name[i]);
			if (nn == 0 || !sk_utf8_valid(f.name[i], nn, NULL) ||
			    strlen(f.value[i]) != f.value_len[i] ||
			    !sk_utf8_valid(f.value[i], f.value_len[i], NULL))
				abort();
			for (size_t k = 0; k < i; k++)
				if (strcmp(f.name[k], f.name[i]) == 0)
					abort();
			if (i)
				sk_buf_addc(&again, '&');
			encode(&again, f.name[i], nn);
			sk_buf_addc(&again, '=');
			encode(&again, f.value[i], f.value_len[i]);
		}
		sk_form g;
		sk_buf err2 = SK_BUF_INIT(SK_BUF_MSG_MAX);
		if (sk_form_parse(again.data, again.len, again.len, &g, &err2) != SK_OK ||
		    g.n != f.n)
			abort();
		for (size_t i = 0; i < f.n; i++)
			if (strcmp(g.name[i], f.name[i]) || strcmp(g.value[i], f.value[i]))
				abort();
		sk_form_free(&g);
		sk_buf_free(&err2);
		sk_buf_free(&again);
	} else if (e != SK_ERR_INVALID && e != SK_ERR_TOO_BIG) {
		abort();
	}
	sk_form_free(&f);
	sk_buf_free(&err);
	return 0;
}
