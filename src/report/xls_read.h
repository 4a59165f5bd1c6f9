/*
 * xls_read: reading the first worksheet of an old Excel workbook (.xls,
 * BIFF in an OLE2 compound file) as records of text, through libfreexl, so
 * that a register still kept in the Excel 97-2003 format imports as an
 * .xlsx or a CSV file does.
 *
 * libfreexl reads a file by its path only, so the bytes are written to a
 * private temporary file (mode 0600, removed at once after opening). The
 * limits are those of xlsx_read.h: the columns a row may use, the cells
 * holding a value and the bytes of one cell.
 */
#ifndef SK_XLS_READ_H
#define SK_XLS_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/sk_buf.h"
#include "csv.h"
#include "xlsx_read.h"

/* Whether the bytes start as an OLE2 compound file does (an .xls workbook, or a .doc). */
bool sk_xls_read_is_workbook(const char *p, size_t n);

/*
 * Calls fn once per row of the first worksheet that holds a value, with
 * line the row's number as Excel shows it (1 = the first row) and one field
 * per column up to the row's last value: text as it is (libfreexl converts
 * it to UTF-8), whole numbers without a decimal point, other numbers with up
 * to 15 significant digits, dates as "YYYY-MM-DD". A file libfreexl cannot
 * read (damaged, password-protected, not a workbook) is SK_ERR_INVALID, a
 * limit exceeded SK_ERR_TOO_BIG; fn's error stops the reading.
 */
sk_err sk_xls_read(const char *p, size_t n, const sk_xlsx_read_limits *lim, sk_csv_record_fn fn,
                   void *ctx, sk_buf *err);

#endif
