/*
 * xlsx: Excel workbooks for the registers and reports municipalities keep in
 * Excel (libxlsxwriter). One sheet laid out as a ledger: a title row, a
 * subtitle row, one heading row (bold, shaded, wrapped, frozen, with
 * filters, repeated on every printed page) and one row per record, printed
 * landscape on A4 at one page wide.
 *
 * Rows are streamed to disk as they are written (libxlsxwriter's constant
 * memory mode), so a register of a million rows does not sit in memory; they
 * must be written top to bottom.
 */
#ifndef SK_XLSX_H
#define SK_XLSX_H

#include <stddef.h>

#include "../core/sk_buf.h"

typedef struct sk_xlsx sk_xlsx;

typedef enum sk_xlsx_kind {
	SK_XLSX_TEXT,   /* text: UTF-8, written as text (never as a formula) */
	SK_XLSX_NUMBER, /* number */
	SK_XLSX_DATE,   /* text "YYYY-MM-DD", written as an Excel date shown in 和暦 */
} sk_xlsx_kind;

typedef struct sk_xlsx_cell {
	sk_xlsx_kind kind;
	const char *text; /* TEXT and DATE; NULL is an empty cell */
	double number;    /* NUMBER */
} sk_xlsx_cell;

/* Starts a workbook that will be written to path with one sheet named sheet. */
sk_err sk_xlsx_open(const char *path, const char *sheet, sk_xlsx **out, sk_buf *err);
/* The title and subtitle rows, each merged across ncols columns. Call first, once. */
sk_err sk_xlsx_title(sk_xlsx *x, const char *title, const char *subtitle, size_t ncols,
                     sk_buf *err);
/* The heading row and the column widths (in characters). Call after the title, once. */
sk_err sk_xlsx_header(sk_xlsx *x, const char *const *heads, const double *widths, size_t n,
                      sk_buf *err);
/* One record; more than the sheet's 1,048,576 rows is SK_ERR_TOO_BIG. */
sk_err sk_xlsx_row(sk_xlsx *x, const sk_xlsx_cell *cells, size_t n, sk_buf *err);
/*
 * Writes the file and releases x (always, even on failure). err may be NULL
 * when the caller only wants the workbook discarded after an earlier error.
 */
sk_err sk_xlsx_close(sk_xlsx *x, sk_buf *err);

#endif
