/*
 * fuzz_asset_csv: libFuzzer target for the asset register's CSV import: the
 * encoding detection and CP932 decoding, the RFC 4180 reader, the 和暦 date
 * parser and sk_asset_import itself against an in-memory SQLite store. It
 * checks the all-or-nothing contract on every input: an import that fails
 * leaves the register as it was; one that succeeds adds exactly the rows it
 * reports. Build with meson -Dfuzz=true (clang).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/asset.h"
#include "report/csv.h"
#include "report/wareki.h"
#include "fuzz_register.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sk_err ignore(void *ctx, const sk_csv_field *f, size_t n, size_t line, sk_buf *err)
{
	(void)ctx, (void)err, (void)line;
	for (size_t i = 0; i < n; i++)
		if (strlen(f[i].p) != f[i].n)
			abort(); /* a field must never hold a NUL */
	return SK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	sk_buf err = SK_BUF_INIT(1u << 20);

	sk_date d;
	sk_wareki_parse(p, size < SK_WAREKI_MAX_INPUT ? size : SK_WAREKI_MAX_INPUT, &d, &err);

	const char *text;
	size_t tlen;
	char *owned = NULL;
	if (sk_csv_decode(p, size, sk_csv_detect(p, size), &text, &tlen, &owned, &err) == SK_OK) {
		sk_csv_limits lim = {.max_fields = 8, .max_field_bytes = 64};
		sk_csv_parse(text, tlen, &lim, ignore, NULL, &err);
		free(owned);
	}

	sk_store *s = fuzz_register();
	int64_t before = fuzz_register_rows(s);
	sk_asset_import_result res;
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, sk_actor_cli());
	sk_err e = sk_asset_import(&c, p, size, "fuzz.csv", 0, &res, &err);
	sk_ctx_fini(&c);
	int64_t after = fuzz_register_rows(s);
	if (e != SK_OK && after != before)
		abort(); /* a failed import wrote something */
	if (e == SK_OK && after != before + res.added)
		abort();
	if (after > 100000) /* keep the in-memory register small */
		sk_store_exec(s, "DELETE FROM assets", NULL, 0, NULL, NULL);
	sk_buf_free(&err);
	return 0;
}
