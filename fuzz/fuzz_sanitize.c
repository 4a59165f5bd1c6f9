/*
 * fuzz_sanitize: libFuzzer target for the mail sanitizer (SPEC C14): any
 * bytes through sk_mail_sanitize, its JSON and the rendered message, and
 * the charset decoders and HTML converter directly with labels taken from
 * the input. Build with meson -Dfuzz=true (clang); seeds: tests/mail/corpus.
 * Run: fuzz/run.sh BUILD-DIR fuzz_sanitize SECONDS tests/mail/corpus
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/charset.h"
#include "mail/html2text.h"
#include "mail/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const labels[] = {"ISO-2022-JP", "Shift_JIS", "EUC-JP", "UTF-8",
                                     NULL,          "x-unknown", "CP932",  "us-ascii"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sk_mail_sanitizer *s;
	static sk_mail_conv *conv;
	if (!s) {
		sk_mail_options o = {.render = true, .json_body = true};
		sk_mail_limits_default(&o.limits);
		o.limits.max_size = 1u << 20;
		o.limits.max_html_mem = 64u << 20;
		if (sk_mail_sanitizer_new(&o, &s, NULL) != SK_OK || !(conv = sk_mail_conv_new()))
			abort();
	}
	sk_mail_input in = {.data = (const char *)data, .len = size};
	sk_mail_result r;
	if (sk_mail_sanitize(s, &in, &r, NULL) == SK_OK) {
		char *j = json_dumps(r.json, JSON_COMPACT);
		if (!j || !r.message.len)
			abort();
		free(j);
	}
	sk_mail_result_free(&r);
	if (size > 0) {
		sk_buf out = SK_BUF_INIT(1u << 20);
		sk_mail_decode_info info;
		(void)sk_mail_decode(conv, labels[data[0] % 8], (const char *)data + 1, size - 1,
		                     data[0] & 8, &out, &info);
		if (!sk_mail_utf8_valid(out.data, out.len))
			abort(); /* the decoders promise valid UTF-8 */
		sk_buf_reset(&out);
		sk_mail_html_opts ho = {
		    .max_tags = 2000, .max_memory = 16u << 20, .defang_links = data[0] & 1};
		(void)sk_mail_html_to_text((const char *)data, size, &ho, &out, NULL);
		sk_buf_free(&out);
	}
	return 0;
}
