/*
 * xlsx_read: reading a worksheet of an Excel workbook (.xlsx) as records of
 * text, the way csv.h hands a CSV file's, so that a register kept in Excel
 * imports without being saved as CSV first.
 *
 * The workbook is untrusted input: a zip archive of XML parts. Each part is
 * read with a cap on its uncompressed size and on the total (a zip bomb
 * stops at the cap, whatever the archive claims), cells are counted, a
 * document type declaration is refused (no entity expansion at all), and
 * every cell's text is checked to be UTF-8 without control characters
 * other than tab and newline.
 */
#ifndef SK_XLSX_READ_H
#define SK_XLSX_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "csv.h"

typedef struct sk_xlsx_read_limits {
	uint64_t max_part_bytes;  /* uncompressed bytes of one part (sheet, shared strings) */
	uint64_t max_total_bytes; /* uncompressed bytes of every part read */
	size_t max_cells;         /* cells holding a value, in the sheet */
	size_t max_strings;       /* entries of the shared string table */
	size_t max_columns;       /* the last column a row may use (A = 1) */
	size_t max_cell_bytes;    /* of one cell's text */
} sk_xlsx_read_limits;

#define SK_XLSX_READ_LIMITS_DEFAULT                                                                \
	((sk_xlsx_read_limits){.max_part_bytes = 64u << 20,                                        \
	                       .max_total_bytes = 128u << 20,                                      \
	                       .max_cells = 2000000,                                               \
	                       .max_strings = 1000000,                                             \
	                       .max_columns = 256,                                                 \
	                       .max_cell_bytes = 32768})

/* Whether the bytes start as a zip archive does ("PK\3\4"): a workbook, or no register at all. */
bool sk_xlsx_read_is_workbook(const char *p, size_t n);

/*
 * Reads the workbook's first worksheet and calls fn once per row that holds
 * a cell, in order, with line the row's number as Excel shows it and one
 * field per column from A to the row's last cell (empty cells as ""). A
 * cell's text is its shared or inline string (without the furigana of
 * <rPh>), its number as written, TRUE/FALSE as 1/0, and a number formatted
 * as a date as "YYYY-MM-DD". A broken archive or part is SK_ERR_INVALID, a
 * limit exceeded SK_ERR_TOO_BIG, each with a sentence in err; fn's error
 * stops the reading and becomes the result.
 */
sk_err sk_xlsx_read(const char *p, size_t n, const sk_xlsx_read_limits *lim, sk_csv_record_fn fn,
                    void *ctx, sk_buf *err);

#endif
