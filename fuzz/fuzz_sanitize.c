/*
 * fuzz_sanitize: libFuzzer target for the mail sanitizer (SPEC C14): any
 * bytes through sk_mail_sanitize, its JSON and the rendered message; the
 * MIME scanner directly with limits taken from the input (every range it
 * reports inside the input, every part decoded, the limits kept); the
 * two-stream SHA-256 against libcrypto; and the charset decoders and HTML
 * converter directly with labels taken from the input. Build with meson -Dfuzz=true (clang); seeds:
 * tests/mail/corpus. Run: fuzz/run.sh BUILD-DIR fuzz_sanitize SECONDS tests/mail/corpus
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>
#include <openssl/evp.h>

#include "mail/charset.h"
#include "mail/html2text.h"
#include "mail/mime.h"
#include "mail/sanitize.h"
#include "mail/sha256.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sk_err count(void *ctx, const char *p, size_t n)
{
	(void)p;
	*(size_t *)ctx += n;
	return SK_OK;
}

/* The scanner alone, with small limits, and the SHA-256 of the input two ways. */
static void scan(const uint8_t *data, size_t size)
{
	static sk_mime_scan sc;
	static GMimeParserOptions *po;
	static EVP_MD_CTX *e1, *e2;
	if (!po) {
		g_mime_init();
		po = g_mime_parser_options_new();
		e1 = EVP_MD_CTX_new();
		e2 = EVP_MD_CTX_new();
		sk_mime_scan_init(&sc);
	}
	size_t max_parts = size ? 1 + data[0] % 64 : 8, max_depth = size > 1 ? data[1] % 40 : 4;
	if (sk_mime_scan_run(&sc, po, (const char *)data, size, max_parts, max_depth) != SK_OK)
		abort();
	if (sc.nparts > max_parts)
		abort();
	for (size_t i = 0; i < sc.nparts; i++) {
		sk_mime_part *p = &sc.parts[i];
		if (p->body.off > size || p->body.len > size - p->body.off ||
		    p->depth > max_depth || (p->parent != SK_MIME_NONE && p->parent >= i))
			abort();
		size_t n = 0;
		uint64_t made = 0;
		(void)sk_mime_body_kind(&sc, p);
		if (p->kind != SK_MIME_MULTIPART &&
		    (sk_mime_decode(&sc, p, count, &n, &made) != SK_OK || made != n))
			abort();
	}
	unsigned char a[32], b[32], c[32];
	unsigned al = 0;
	sk_mail_sha256 h1, h2;
	size_t cut = size ? data[size - 1] % (size + 1) : 0;
	if (!EVP_Digest(data, size, a, &al, EVP_sha256(), NULL) || sk_mail_sha256_init(&h1, e1) ||
	    sk_mail_sha256_init(&h2, e2) ||
	    sk_mail_sha256_update2(&h1, data, cut, &h2, data, size) ||
	    sk_mail_sha256_update(&h1, data + cut, size - cut) || sk_mail_sha256_final(&h1, b) ||
	    sk_mail_sha256_final(&h2, c) || memcmp(a, b, 32) != 0 || memcmp(a, c, 32) != 0)
		abort();
}

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
	scan(data, size);
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
