/*
 * ledger: the ledgers a city keeps of its requests (SPEC C7, issue #13
 * part 3): 持ち出し記録 (take_out), 廃棄記録 (disposal), 鍵管理簿 (key_loan),
 * 入退室記録 (zone_entry), 特定個人情報取扱記録 (mynumber_handling) and
 * 例外措置一覧 (exception). Each is a view over the requests of one kind:
 * its columns are the ledger columns of the field schema
 * (sk_schema_ledger), the request's, the asset's and the kind's details
 * and follow-through (sk_schema_request_details/_followup), never restated
 * here.
 *
 * Who: ledger.read at a unit shows that unit's requests and those below
 * (a section's chief their units, the CISO and the auditor all); rows out
 * of scope are simply not listed. A listing is not recorded, so, as the
 * asset listing does, it withholds the 機密性3 details (fields flagged
 * SK_FF_DETAIL: the asset's storage location) of rows about a top-level
 * asset ("details_withheld": true). An export carries them and is
 * recorded as a whole ("ledger.export", object "ledger:<name>") once the
 * file is complete: an export that fails (a character CP932 cannot hold)
 * is not recorded and hands nothing out.
 */
#ifndef SK_LEDGER_H
#define SK_LEDGER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../report/csv.h"
#include "ctx.h"

/* The ledgers' names, in the order above, ended by NULL. */
extern const char *const sk_ledger_names[];

/* The request kind a ledger lists and its Japanese title; NULL for an unknown ledger. */
const char *sk_ledger_kind(const char *name);
const char *sk_ledger_title(const char *name);

/* What a ledger lists; every member may be NULL/0 (no filter). */
typedef struct sk_ledger_filter {
	const char
	    *status; /* pending, approved, rejected, withdrawn, in_progress, completed, expired */
	const char *unit;  /* a unit's id or code: its requests and those of the units below */
	const char *from;  /* YYYY-MM-DD: filed on or after this day (in Japan) */
	const char *until; /* YYYY-MM-DD: filed on or before this day */
	int64_t asset_id;  /* only requests about this asset */
} sk_ledger_filter;

/*
 * The ledger as JSON: {"ledger", "title", "title_en", "columns": [{"key",
 * "ja", "en"}], "rows": [{key: value, …, "details_withheld"?}]}, oldest
 * first. An unknown ledger is SK_ERR_NOT_FOUND; a bad filter SK_ERR_INVALID
 * naming it; no ledger.read anywhere SK_ERR_DENIED. *out is the caller's.
 */
sk_err sk_ledger_list(sk_ctx *c, const char *name, const sk_ledger_filter *f, json_t **out,
                      sk_buf *err);

typedef enum sk_ledger_format { SK_LEDGER_CSV, SK_LEDGER_XLSX } sk_ledger_format;

/*
 * The ledger as a file with Japanese headings: CSV in enc, or an .xlsx
 * workbook. *out (malloc'd, *len bytes) is the caller's; both doors write
 * these bytes. The export is recorded ("ledger.export": the ledger, the
 * format, the encoding, the filters, the rows and their id range) after the
 * file is complete and before it is handed out; on any failure nothing is
 * recorded and *out is NULL.
 */
sk_err sk_ledger_export(sk_ctx *c, const char *name, const sk_ledger_filter *f,
                        sk_ledger_format fmt, sk_csv_encoding enc, char **out, size_t *len,
                        sk_buf *err);

/*
 * A file name for the export: "<name>-YYYY-MM-DD.csv" or ".xlsx" (ASCII, the
 * day in Japan), in out.
 */
void sk_ledger_file_name(const char *name, sk_ledger_format fmt, char *out, size_t max);

#endif
