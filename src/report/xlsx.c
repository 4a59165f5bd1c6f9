/* xlsx: ledger-style Excel sheets over libxlsxwriter (see xlsx.h). */
#include "xlsx.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "wareki.h"

#include "../core/sk_msg.h"

#define TITLE_ROW    0
#define SUBTITLE_ROW 1
#define HEAD_ROW     3

struct sk_xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *f_title, *f_sub, *f_head, *f_text, *f_num, *f_date;
	size_t ncols;
	lxw_row_t row; /* the next row to write */
	bool headed;
};

static sk_err lxw_fail(sk_buf *err, lxw_error le, const char *what)
{
	return sk_fail_msg(err, le == LXW_ERROR_MEMORY_MALLOC_FAILED ? SK_ERR_NOMEM : SK_ERR_IO,
	                   NULL, NULL, SK_M_XLSX_EXPORT, what, lxw_strerror(le));
}

sk_err sk_xlsx_open(const char *path, const char *sheet, sk_xlsx **out, sk_buf *err)
{
	*out = NULL;
	sk_xlsx *x = calloc(1, sizeof(*x));
	if (!x)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	lxw_workbook_options opt = {
	    .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
	x->wb = workbook_new_opt(path, &opt);
	if (!x->wb) {
		free(x);
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_XLSX_CREATE, path);
	}
	x->ws = workbook_add_worksheet(x->wb, sheet);
	if (!x->ws) {
		workbook_close(x->wb);
		free(x);
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_XLSX_SHEET_NAME, sheet);
	}
	x->f_title = workbook_add_format(x->wb);
	format_set_bold(x->f_title);
	format_set_font_size(x->f_title, 16);
	format_set_align(x->f_title, LXW_ALIGN_CENTER);
	x->f_sub = workbook_add_format(x->wb);
	format_set_align(x->f_sub, LXW_ALIGN_RIGHT);
	x->f_head = workbook_add_format(x->wb);
	format_set_bold(x->f_head);
	format_set_bg_color(x->f_head, 0xD9E1F2);
	format_set_border(x->f_head, LXW_BORDER_THIN);
	format_set_text_wrap(x->f_head);
	format_set_align(x->f_head, LXW_ALIGN_CENTER);
	format_set_align(x->f_head, LXW_ALIGN_VERTICAL_CENTER);
	x->f_text = workbook_add_format(x->wb);
	format_set_border(x->f_text, LXW_BORDER_THIN);
	format_set_text_wrap(x->f_text);
	format_set_align(x->f_text, LXW_ALIGN_VERTICAL_TOP);
	x->f_num = workbook_add_format(x->wb);
	format_set_border(x->f_num, LXW_BORDER_THIN);
	format_set_align(x->f_num, LXW_ALIGN_VERTICAL_TOP);
	x->f_date = workbook_add_format(x->wb);
	format_set_border(x->f_date, LXW_BORDER_THIN);
	format_set_align(x->f_date, LXW_ALIGN_VERTICAL_TOP);
	/* 和暦 as Japanese Excel shows it (令和7年4月1日); LibreOffice reads it too. */
	format_set_num_format(x->f_date, "[$-411]ggge\"年\"m\"月\"d\"日\"");
	worksheet_set_landscape(x->ws);
	worksheet_set_paper(x->ws, 9); /* A4 */
	worksheet_fit_to_pages(x->ws, 1, 0);
	worksheet_set_footer(x->ws, "&C&P / &N");
	*out = x;
	return SK_OK;
}

sk_err sk_xlsx_title(sk_xlsx *x, const char *title, const char *subtitle, size_t ncols, sk_buf *err)
{
	if (!ncols || ncols > 16384 || x->row > TITLE_ROW)
		return sk_fail_msg(err, SK_ERR_INTERNAL, NULL, NULL, SK_M_FAULT_INTERNAL,
		                   "Excel title written out of order");
	x->ncols = ncols;
	lxw_error le = worksheet_set_row(x->ws, TITLE_ROW, 24, NULL);
	if (!le)
		le = worksheet_merge_range(x->ws, TITLE_ROW, 0, TITLE_ROW, (lxw_col_t)(ncols - 1),
		                           title, x->f_title);
	if (!le)
		le = worksheet_merge_range(x->ws, SUBTITLE_ROW, 0, SUBTITLE_ROW,
		                           (lxw_col_t)(ncols - 1), subtitle, x->f_sub);
	x->row = SUBTITLE_ROW + 1;
	return le ? lxw_fail(err, le, "title") : SK_OK;
}

sk_err sk_xlsx_header(sk_xlsx *x, const char *const *heads, const double *widths, size_t n,
                      sk_buf *err)
{
	if (n != x->ncols || x->headed || x->row > HEAD_ROW)
		return sk_fail_msg(err, SK_ERR_INTERNAL, NULL, NULL, SK_M_FAULT_INTERNAL,
		                   "Excel heading written out of order");
	lxw_error le = LXW_NO_ERROR;
	for (size_t c = 0; !le && c < n; c++)
		le = worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
	if (!le)
		le = worksheet_set_row(x->ws, HEAD_ROW, 32, NULL);
	for (size_t c = 0; !le && c < n; c++)
		le = worksheet_write_string(x->ws, HEAD_ROW, (lxw_col_t)c, heads[c], x->f_head);
	if (!le)
		le = worksheet_repeat_rows(x->ws, HEAD_ROW, HEAD_ROW);
	worksheet_freeze_panes(x->ws, HEAD_ROW + 1, 0);
	x->row = HEAD_ROW + 1;
	x->headed = true;
	return le ? lxw_fail(err, le, "heading") : SK_OK;
}

static lxw_error write_date(sk_xlsx *x, lxw_col_t col, const char *iso)
{
	sk_date d;
	if (sk_wareki_parse(iso, strlen(iso), &d, NULL) != SK_OK)
		return worksheet_write_string(x->ws, x->row, col, iso, x->f_text);
	lxw_datetime dt = {d.y, d.m, d.d, 0, 0, 0.0};
	return worksheet_write_datetime(x->ws, x->row, col, &dt, x->f_date);
}

sk_err sk_xlsx_row(sk_xlsx *x, const sk_xlsx_cell *cells, size_t n, sk_buf *err)
{
	if (!x->headed || n != x->ncols)
		return sk_fail_msg(err, SK_ERR_INTERNAL, NULL, NULL, SK_M_FAULT_INTERNAL,
		                   "Excel row before the heading");
	if (x->row >= LXW_ROW_MAX)
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_XLSX_TOO_MANY_ROWS,
		                   LXW_ROW_MAX - HEAD_ROW - 1);
	lxw_error le = LXW_NO_ERROR;
	for (size_t c = 0; !le && c < n; c++) {
		lxw_col_t col = (lxw_col_t)c;
		switch (cells[c].kind) {
		case SK_XLSX_NUMBER:
			le = worksheet_write_number(x->ws, x->row, col, cells[c].number, x->f_num);
			break;
		case SK_XLSX_DATE:
			le = cells[c].text && *cells[c].text
			         ? write_date(x, col, cells[c].text)
			         : worksheet_write_blank(x->ws, x->row, col, x->f_text);
			break;
		default:
			le = cells[c].text && *cells[c].text
			         ? worksheet_write_string(x->ws, x->row, col, cells[c].text,
			                                  x->f_text)
			         : worksheet_write_blank(x->ws, x->row, col, x->f_text);
			break;
		}
	}
	x->row++;
	return le ? lxw_fail(err, le, "row") : SK_OK;
}

sk_err sk_xlsx_close(sk_xlsx *x, sk_buf *err)
{
	lxw_error le = LXW_NO_ERROR;
	if (x->headed)
		le = worksheet_autofilter(x->ws, HEAD_ROW, 0,
		                          x->row > HEAD_ROW + 1 ? x->row - 1 : HEAD_ROW,
		                          (lxw_col_t)(x->ncols - 1));
	lxw_error ce = workbook_close(x->wb);
	free(x);
	if (!le)
		le = ce;
	return le ? lxw_fail(err, le, "cannot write the workbook") : SK_OK;
}
