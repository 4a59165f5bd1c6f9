/*
 * asset: the information asset register (情報資産台帳, SPEC C5).
 *
 * Every asset carries the items 八王子 7(2)ア〜ク asks a register to hold
 * (type, name/model, quantity, storage location, backup, disposal method,
 * classification, responsible manager) plus its owning unit, network zone,
 * the personal-information and 特定個人情報 flags, the recovery time for the
 * highest availability level (八王子 7(1) 可用性2: 「指定する時間以内の復旧」)
 * and the label text (分類の表示) derived from the classification.
 *
 * Values come in as text, the way the CLI, the API and a CSV file all carry
 * them, through sk_asset_input; every door gets the same checks and the same
 * messages, which name the field. Every change (add, update, dispose,
 * import) runs in one transaction with its audit entry, nested in the
 * caller's when there is one; on any failure nothing is written. Reading an
 * asset of the highest confidentiality class (機密性3) appends an
 * "asset.read" entry (アクセス記録, SPEC C9).
 *
 * Permission (SPEC C4, deny by default): the CLI operator may do anything;
 * an account may read the assets of the units where it holds a role (and
 * the units below them) and change them when that role is one of ciso,
 * general_manager, security_officer, security_manager or system_manager.
 * Assets out of scope answer SK_ERR_NOT_FOUND, as if they did not exist.
 */
#ifndef SK_ASSET_H
#define SK_ASSET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/sk_buf.h"
#include "../store/store.h"
#include "actor.h"
#include "ctx.h"

struct sk_policy;

/* The longest one-line register field and the longest note, in bytes (sk_schema_asset). */
#define SK_ASSET_TEXT_MAX 400
#define SK_ASSET_NOTE_MAX 4000

/* The writable fields, in the order of the register's columns (sk_schema_asset's order). */
typedef enum sk_asset_field {
	SK_AF_UNIT,     /* owning unit: id or code (所管課) */
	SK_AF_TYPE,     /* hardware, software, media, ... or ハードウェア, ... */
	SK_AF_NAME,     /* 名称・型番 */
	SK_AF_QUANTITY, /* 台数・個数, a whole number >= 0; default 1 */
	SK_AF_LOCATION, /* 保管場所 */
	SK_AF_BACKUP,   /* バックアップの有無: yes/no, あり/なし, 有/無, 1/0 */
	SK_AF_DISPOSAL_METHOD, /* 廃棄方法 */
	SK_AF_CONF, /* levels as the profile's scheme names them: "3", "3A", "機密性3" */
	SK_AF_INTEG,
	SK_AF_AVAIL,
	SK_AF_MANAGER,        /* 管理責任者 */
	SK_AF_ZONE,           /* mynumber, lgwan, internet (or the Japanese names) */
	SK_AF_PERSONAL,       /* holds personal information */
	SK_AF_MYNUMBER,       /* holds 特定個人情報 (implies personal) */
	SK_AF_RECOVERY_HOURS, /* only for the highest availability level */
	SK_AF_ACQUIRED_ON,    /* a date, western or 和暦 (令和7年4月1日, R7.4.1) */
	SK_AF_NOTE,           /* 備考 */
	/*
	 * 管理番号: the city's own number for the asset, unique in the installation
	 * (full-width digits and letters fold to ASCII); an import that names one
	 * updates the asset holding it instead of adding another.
	 */
	SK_AF_NUMBER,
	SK_AF__COUNT
} sk_asset_field;

/* The stable key ("disposal_method") and the register's Japanese heading ("廃棄方法"). */
const char *sk_asset_field_key(sk_asset_field f);
const char *sk_asset_field_title(sk_asset_field f);

/* Text values by field; NULL means "not given" (the default on add, unchanged on update). */
typedef struct sk_asset_input {
	const char *v[SK_AF__COUNT];
} sk_asset_input;

/*
 * An asset as stored. Strings belong to whoever produced the struct (a row
 * callback's strings live for the callback only).
 */
typedef struct sk_asset {
	int64_t id, unit_id;
	const char *unit_code, *unit_name;
	const char *type, *name;
	int64_t quantity;
	const char *location;
	bool backup;
	const char *disposal_method, *conf, *integ, *avail, *manager, *zone;
	bool personal, mynumber;
	int64_t recovery_hours; /* -1 when not set */
	const char *label;
	const char *acquired_on; /* "YYYY-MM-DD" or NULL */
	const char *note;
	const char *status;      /* "active" or "disposed" */
	const char *disposed_on; /* "YYYY-MM-DD" or NULL */
	const char *disposal_operator, *disposal_record;
	int64_t import_id;        /* 0 when not imported */
	const char *asset_number; /* 管理番号, or NULL */
	int64_t created_at, updated_at;
	/*
	 * A listing's view of a 機密性3 asset (sk_asset_filter.withhold):
	 * location, note and the disposal operator and record are NULL, and the
	 * JSON says "details_withheld": true.
	 */
	bool withheld;
} sk_asset;

/*
 * The asset as the API shows it, appended to out as compact JSON text: {"id",
 * "unit" (id), "unit_code", "unit_name", "name", "type", "location", "conf",
 * "integ", "avail" (numbers when the level's name is a number, else strings
 * such as "3A"), "quantity", "manager", "backup", "disposal_method", "zone",
 * "personal", "mynumber", "recovery_hours" (or null), "label", "acquired_on",
 * "note", "status", "disposed_on", "disposal_operator", "disposal_record"
 * (null when not set), "created_at", "updated_at"}, in that order. This is
 * the one place that decides the shape; strings are escaped as the
 * canonical JSON form escapes them (sk_json_add_str). SK_ERR_INVALID for a
 * string that is not UTF-8, the buffer's errors otherwise; on failure out is
 * as it was.
 */
sk_err sk_asset_render(const sk_asset *a, sk_buf *out);

/* sk_asset_render's text parsed, for callers that need a json_t. New reference; NULL on OOM. */
json_t *sk_asset_json(const sk_asset *a);

/*
 * Adds an asset. Required: unit, type, name, conf, integ, avail, manager,
 * zone. *id_out, when not NULL, receives its id. SK_ERR_INVALID names the
 * field and the value at fault.
 */
sk_err sk_asset_add(sk_ctx *c, const sk_asset_input *in, int64_t *id_out, sk_buf *err);

/*
 * Changes the fields given in ch (the others stay). A disposed asset cannot
 * change (SK_ERR_CONFLICT). The audit entry holds the images before and
 * after. A change that changes nothing writes nothing and returns SK_OK.
 */
sk_err sk_asset_update(sk_ctx *c, int64_t id, const sk_asset_input *ch, sk_buf *err);

/*
 * Records the disposal (八王子 7(9)イ: 日時、担当者及び処理内容): on is the date
 * (western or 和暦; NULL for today in Japan), operator the person in charge
 * and record what was done (method, company, certificate number). operator
 * and record are required. An asset is disposed once (SK_ERR_CONFLICT).
 */
sk_err sk_asset_dispose(sk_ctx *c, int64_t id, const char *on, const char *operator_name,
                        const char *record, sk_buf *err);

/*
 * Removes an asset entered by mistake (entered twice, another unit's): a
 * correction of the register, recorded as "asset.remove" with the asset's
 * image before and the reason, never as a disposal (廃棄), which is a fact
 * about a real asset. reason is required. An asset that a request or an
 * incident names is part of their record and cannot be removed
 * (SK_ERR_CONFLICT): it is disposed of, or corrected by update.
 */
sk_err sk_asset_remove(sk_ctx *c, int64_t id, const char *reason, sk_buf *err);

/*
 * Reads one asset as sk_asset_json. For the highest confidentiality class
 * this appends an "asset.read" audit entry (sk_asset_record_read), so *out
 * is only handed out once the read is on record. *out is the caller's.
 */
sk_err sk_asset_get(sk_ctx *c, int64_t id, json_t **out, sk_buf *err);

/*
 * As sk_asset_get, appending the asset's text (sk_asset_render) to out
 * instead: what the API sends as it is. On failure out is as it was.
 */
sk_err sk_asset_get_text(sk_ctx *c, int64_t id, sk_buf *out, sk_buf *err);

/*
 * Reads asset id in the actor's scope (SK_ERR_NOT_FOUND otherwise, and fn
 * is not called) and calls fn(ctx, asset) once; the asset's strings are
 * valid during that call only, and fn's error becomes the result. With
 * facts_only, only id, unit_id, type, conf, integ, avail, zone, personal,
 * mynumber, status and updated_at are read (what a decision needs, at a
 * fraction of the cost); the other strings are "" and numbers 0. Records
 * nothing: *top_conf says whether the asset is of the highest
 * confidentiality class, whose read the caller must record with
 * sk_asset_record_read before it hands out anything it learnt (a decision
 * does so in the transaction of its own audit entry).
 */
typedef sk_err (*sk_asset_fn)(void *ctx, const sk_asset *a, sk_buf *err);
sk_err sk_asset_read(sk_ctx *c, int64_t id, bool facts_only, sk_asset_fn fn, void *ctx,
                     bool *top_conf, sk_buf *err);

/*
 * Appends the "asset.read" entry (アクセス記録, SPEC C9) for actor's read
 * of asset id, in the caller's transaction or its own.
 */
sk_err sk_asset_record_read(sk_ctx *c, int64_t id, sk_buf *err);

/* What sk_asset_list selects; NULL or 0 fields do not filter. */
typedef struct sk_asset_filter {
	const char *unit;   /* id or code: the unit and every unit below it */
	const char *type;   /* a type name */
	const char *conf;   /* a confidentiality level name */
	const char *zone;   /* a zone name */
	const char *text;   /* substring of name, location, manager or note */
	const char *status; /* "active" (the default when NULL), "disposed" or "all" */
	int64_t limit;      /* 0: no limit */
	/*
	 * Fill only id, unit_id, unit_code, type, name, conf, integ, avail, zone
	 * and status; the other strings are "" and numbers 0 (a listing's
	 * columns, read at a fraction of the cost).
	 */
	bool brief;
	/*
	 * Leave out the details of assets of the top 機密性 level (location,
	 * note, disposal operator and record): a listing is not recorded as a
	 * read of each asset, so those details are shown only by the
	 * single-asset read, which is (アクセス記録, SPEC C9). The API's and the
	 * CLI's listings set it; exports, which are recorded as a whole, do not.
	 */
	bool withhold;
} sk_asset_filter;

/* sk_asset_list calls its sk_asset_fn once per asset; non-SK_OK stops the listing. */

/*
 * Lists the assets in the actor's scope that match f, ordered by id. A bad
 * filter value (an unknown unit, type, level or zone) is SK_ERR_INVALID
 * naming it. Listing shows register columns, not a read of details, so it
 * appends no audit entry.
 */
sk_err sk_asset_list(sk_ctx *c, const sk_asset_filter *f, sk_asset_fn fn, void *ctx, sk_buf *err);

/*
 * The asset's change history from the audit log, oldest first, as a JSON
 * array of {"seq", "at", "actor", "address", "action", "before", "after"}:
 * the entries of object "asset:<id>" and, for an imported asset, the entry
 * of the import that created it. The images hold the asset's details, so a
 * 機密性3 asset (now or in any image) is read as sk_asset_get reads it: the
 * history is handed out only once an "asset.read" entry is on record.
 * *out is the caller's.
 */
sk_err sk_asset_history(sk_ctx *c, int64_t id, json_t **out, sk_buf *err);

/*
 * Withholds from image (an asset as an audit entry's before or after image
 * holds it) the details the listing withholds (location, note,
 * disposal_operator, disposal_record) when its conf is the highest level
 * of pol's scheme (NULL: the shared fallback scheme): sets them to null and
 * adds "details_withheld": true. Returns whether it did.
 */
bool sk_asset_image_withhold(const struct sk_policy *pol, json_t *image);

/* The most bad rows an import lists before it stops listing (it still checks every row). */
#define SK_ASSET_IMPORT_MAX_ERRORS 50

/* The most added and changed rows an import lists (it counts them all). */
#define SK_ASSET_IMPORT_MAX_CHANGES 200

/* sk_asset_import's flags. */
enum {
	/* Check and compute everything, write nothing: res says what would be added and changed. */
	SK_ASSET_IMPORT_DRY_RUN = 1u << 0,
};

typedef struct sk_asset_import_result {
	int64_t import_id; /* 0 when nothing was written (a dry run, or nothing to change) */
	int64_t rows;      /* the rows holding an asset (empty rows and titles not counted) */
	int64_t bad_rows;
	int64_t added, changed, unchanged; /* rows by what they did (or would do) */
	int64_t skipped;                   /* empty rows */
	const char *encoding;              /* "utf-8", "utf-8-bom", "cp932" or "xlsx"; static */
	char sha256[65];                   /* of the file's bytes as given */
	char notices[2048];                /* what was skipped, one line each */
	char changes[16384]; /* "line 5: add ...", "line 6: change asset 12 (...): location" */
} sk_asset_import_result;

/*
 * Imports a register: a CSV file (the encoding is detected: UTF-8, UTF-8
 * with BOM, CP932) or an Excel workbook (.xlsx or .xls, its first sheet). The
 * register may be as cities keep it: lines before the heading line that
 * name no column (a title such as 情報資産台帳（令和6年度）) are skipped, as
 * are a 'No.' column, columns without a heading and empty rows, each with a
 * notice in res->notices. The heading line names the columns (the keys or
 * the Japanese headings of sk_asset_field; the read-only columns of an
 * export are accepted and ignored); units are given by id, code or name.
 * A row whose 管理番号 is an asset's already updates that asset (its
 * columns over the asset's values: "asset.update" entries), and changes
 * nothing when they are the same; any other row adds an asset. Importing
 * the same file twice therefore changes nothing; a file already imported
 * with rows lacking a 管理番号 is refused (SK_ERR_CONFLICT), as those rows
 * would be added twice.
 *
 * All or nothing: every row is checked, and if any is bad err gets "N of
 * M rows are bad; nothing was imported:" and then one line per error, every
 * error of every row ("line L, column C (HEADING): message"; "row R, column
 * X" for a workbook), up to SK_ASSET_IMPORT_MAX_ERRORS rows; SK_ERR_INVALID
 * is returned and nothing is written. file_name is recorded. One
 * transaction holds the assets, an asset_import row and one "asset.import"
 * audit entry naming the file's SHA-256, its row count, what was added,
 * changed and left alone and the range of ids created (docs/asset-register.md
 * says why not one entry per row). With SK_ASSET_IMPORT_DRY_RUN nothing is
 * written and res says what would be done.
 */
sk_err sk_asset_import(sk_ctx *c, const char *data, size_t len, const char *file_name,
                       unsigned flags, sk_asset_import_result *res, sk_buf *err);

/*
 * Writes the assets matching f as CSV to out in encoding enc (a
 * sk_csv_encoding), with Japanese headings and values (japanese) or the
 * stable keys and values. What it writes can be imported again.
 */
sk_err sk_asset_export_csv(sk_ctx *c, const sk_asset_filter *f, FILE *out, int enc, bool japanese,
                           sk_buf *err);

/*
 * Writes the assets matching f to a new Excel workbook at path, laid out as
 * a municipal 情報資産台帳 (title, Japanese headings, one row per asset,
 * filters, print setup). An existing file is replaced only on success.
 */
sk_err sk_asset_export_xlsx(sk_ctx *c, const sk_asset_filter *f, const char *path, sk_buf *err);

#endif
