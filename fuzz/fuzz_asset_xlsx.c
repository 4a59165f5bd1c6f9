/*
 * fuzz_asset_xlsx: libFuzzer target for the Excel workbook reader
 * (src/report/xlsx_read.c: libzip and expat under caps) and the register
 * import of a workbook. It checks what the reader promises on every input:
 * a row has no more fields than the column cap, each field is as long as it
 * says, valid UTF-8 and no longer than the cell cap; a failed import leaves
 * the register as it was. Build with meson -Dfuzz=true (clang).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/asset.h"
#include "report/csv.h"
#include "report/xlsx_read.h"
#include "fuzz_register.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const sk_xlsx_read_limits lim = {.max_part_bytes = 1u << 20,
                                        .max_total_bytes = 4u << 20,
                                        .max_cells = 10000,
                                        .max_strings = 10000,
                                        .max_columns = 32,
                                        .max_cell_bytes = 256};

static sk_err check_row(void *ctx, const sk_csv_field *f, size_t n, size_t line, sk_buf *err)
{
	(void)ctx, (void)err;
	if (n > lim.max_columns || line == 0)
		abort();
	for (size_t i = 0; i < n; i++)
		if (strlen(f[i].p) != f[i].n || f[i].n > lim.max_cell_bytes ||
		    !sk_csv_utf8_valid(f[i].p, f[i].n, NULL))
			abort();
	return SK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	sk_buf err = SK_BUF_INIT(1u << 20);
	sk_xlsx_read(p, size, &lim, check_row, NULL, &err);

	if (sk_xlsx_read_is_workbook(p, size)) {
		sk_store *s = fuzz_register();
		int64_t before = fuzz_register_rows(s);
		sk_asset_import_result *res = malloc(sizeof(*res));
		if (!res)
			abort();
		sk_ctx c;
		sk_ctx_init(&c, s, NULL, sk_actor_cli());
		sk_err e = sk_asset_import(&c, p, size, "fuzz.xlsx", 0, res, &err);
		sk_ctx_fini(&c);
		int64_t after = fuzz_register_rows(s);
		if (e != SK_OK && after != before)
			abort(); /* a failed import wrote something */
		if (e == SK_OK && after != before + res->added)
			abort();
		free(res);
		if (after > 100000)
			sk_store_exec(s, "DELETE FROM assets", NULL, 0, NULL, NULL);
	}
	sk_buf_free(&err);
	return 0;
}
