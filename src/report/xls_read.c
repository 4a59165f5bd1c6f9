/*
 * xls_read: the first worksheet of an .xls workbook as records of text (libfreexl). See
 * xls_read.h.
 */
#include "xls_read.h"

#include "../core/sk_msg.h"

#include <errno.h>
#include <freexl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool sk_xls_read_is_workbook(const char *p, size_t n)
{
	static const unsigned char magic[8] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};
	return n >= 8 && memcmp(p, magic, 8) == 0;
}

/* Writes the bytes to a private temporary file and opens it with libfreexl. */
static sk_err open_xls(const char *p, size_t n, const void **h, sk_buf *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/sekisho-xls-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_FILE_TEMP, strerror(errno));
	sk_err e = SK_OK;
	for (size_t off = 0; off < n && !e;) {
		ssize_t w = write(fd, p + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_FILE_TEMP_WRITE,
			                strerror(errno));
		else
			off += (size_t)w;
	}
	close(fd);
	if (!e && freexl_open(path, h) != FREEXL_OK) {
		*h = NULL;
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_XLS_UNREADABLE);
	}
	unlink(path);
	return e;
}

sk_err sk_xls_read(const char *p, size_t n, const sk_xlsx_read_limits *lim, sk_csv_record_fn fn,
                   void *ctx, sk_buf *err)
{
	const void *h = NULL;
	sk_err e = open_xls(p, n, &h, err);
	if (e)
		return e;
	unsigned int rows = 0;
	unsigned short cols = 0;
	if (freexl_select_active_worksheet(h, 0) != FREEXL_OK ||
	    freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
		freexl_close(h);
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_XLS_NO_SHEET);
	}
	if (cols > lim->max_columns) {
		freexl_close(h);
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_XLS_TOO_MANY_COLUMNS,
		                   (unsigned)cols, lim->max_columns);
	}
	sk_csv_field *fields = calloc(cols ? cols : 1, sizeof(*fields));
	char(*cells)[64] = calloc(cols ? cols : 1, sizeof(*cells));
	char **owned = calloc(cols ? cols : 1, sizeof(*owned));
	static char empty[1];
	size_t nonempty = 0;
	if (!fields || !cells || !owned) {
		free(owned);
		free(cells);
		free(fields);
		freexl_close(h);
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	for (unsigned r = 0; !e && r < rows; r++) {
		size_t last = 0;
		for (unsigned short c = 0; !e && c < cols; c++) {
			FreeXL_CellValue v;
			const char *text = "";
			if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK) {
				e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
				                SK_M_XLS_ROW_UNREADABLE, r + 1);
				break;
			}
			switch (v.type) {
			case FREEXL_CELL_INT:
				snprintf(cells[c], sizeof(cells[c]), "%d", v.value.int_value);
				text = cells[c];
				break;
			case FREEXL_CELL_DOUBLE:
				if (isfinite(v.value.double_value) &&
				    v.value.double_value == floor(v.value.double_value) &&
				    fabs(v.value.double_value) < 1e15)
					snprintf(cells[c], sizeof(cells[c]), "%.0f",
					         v.value.double_value);
				else
					snprintf(cells[c], sizeof(cells[c]), "%.15g",
					         v.value.double_value);
				text = cells[c];
				break;
			case FREEXL_CELL_DATE:
			case FREEXL_CELL_DATETIME:
				/* "YYYY-MM-DD" and "YYYY-MM-DD HH:MM:SS": the day is what a
				 * register holds */
				snprintf(cells[c], sizeof(cells[c]), "%.10s",
				         v.value.text_value ? v.value.text_value : "");
				text = cells[c];
				break;
			case FREEXL_CELL_TEXT:
			case FREEXL_CELL_SST_TEXT:
			case FREEXL_CELL_TIME:
				text = v.value.text_value ? v.value.text_value : "";
				break;
			default:
				break;
			}
			size_t tl = strlen(text);
			free(owned[c]);
			owned[c] = NULL;
			fields[c] = (sk_csv_field){empty, 0};
			if (!tl)
				continue;
			if (tl > lim->max_cell_bytes)
				e = sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL,
				                SK_M_XLS_CELL_TOO_LONG, r + 1, lim->max_cell_bytes);
			else if (!sk_csv_utf8_valid(text, tl, NULL))
				e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
				                SK_M_XLS_ROW_NOT_UTF8, r + 1);
			else if (++nonempty > lim->max_cells)
				e = sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL,
				                SK_M_XLS_TOO_MANY_CELLS, lim->max_cells);
			else if (!(owned[c] = strdup(text)))
				e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
			else {
				fields[c] = (sk_csv_field){owned[c], tl};
				last = (size_t)c + 1;
			}
		}
		if (!e && last)
			e = fn(ctx, fields, last, r + 1, err);
	}
	for (unsigned short c = 0; c < cols; c++)
		free(owned[c]);
	free(owned);
	free(cells);
	free(fields);
	freexl_close(h);
	return e;
}
