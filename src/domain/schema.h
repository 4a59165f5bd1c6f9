/*
 * schema: the one description of every field a person or a client fills in,
 * per record type (an asset, a unit, an account, a role grant, a login …):
 * its key, its Japanese and English titles, its type and limits, whether it
 * is required and whether it is a 機密性3 detail.
 *
 * The doors are generated from it and never restate it: the HTTP route
 * table names a schema for each body and the dispatcher checks bodies with
 * sk_schema_check_json; the OpenAPI document describes them from it; the
 * CLI's options and usage lines, CSV headings and .xlsx columns take keys
 * and titles from it; the domain takes its limits from it. One limit per
 * field everywhere.
 */
#ifndef SK_SCHEMA_H
#define SK_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"

/* What a field holds, and so which JSON values it takes. */
typedef enum sk_ftype {
	SK_FT_TEXT,     /* one line of text (JSON string) */
	SK_FT_LONGTEXT, /* text that may span lines (JSON string) */
	SK_FT_SECRET,   /* a password or a code: never echoed, never logged (JSON string) */
	SK_FT_DATE,     /* a date, western or 和暦 (JSON string) */
	SK_FT_WORD,     /* one word of a vocabulary: a type, a zone, a role (JSON string) */
	SK_FT_INT,      /* a whole number in [lo, hi] (JSON integer) */
	SK_FT_BOOL,     /* yes or no (JSON true/false) */
	SK_FT_REF,      /* an object by id or code (JSON integer or string) */
	SK_FT_LEVEL,    /* a classification level: 3, "3", "3A", "機密性3" (integer or string) */
	SK_FT_WORDS,    /* a list of words (JSON array of strings) */
	/*
	 * a JSON object of at most max members whose fields another schema
	 * describes (a request's details, by its kind): checked by the domain
	 */
	SK_FT_OBJECT,
	SK_FT_IDS, /* a list of object ids (JSON array of integers >= 1); max: items */
} sk_ftype;

enum {
	SK_FF_REQUIRED = 1u << 0, /* must be given when the record is created */
	SK_FF_DETAIL = 1u << 1,   /* a 機密性3 detail: shown only on a recorded read */
	SK_FF_PAST = 1u << 2,     /* a date that has happened: not after today in Japan */
	SK_FF_MINUTE = 1u << 3,   /* text holding a date and a time: YYYY-MM-DD HH:MM */
};

/* The longest word of an SK_FT_WORDS list, in bytes. */
#define SK_SCHEMA_WORD_MAX 64

typedef struct sk_field {
	const char *key;     /* stable English identifier: JSON key, CLI option, CSV key */
	const char *ja, *en; /* titles: the register's heading, and its English twin */
	sk_ftype type;       /* what it holds */
	uint32_t max;        /* the most bytes (text types) or items (SK_FT_WORDS) */
	int64_t lo, hi;      /* SK_FT_INT: the range accepted */
	unsigned flags;      /* SK_FF_* */
	const char *aliases; /* other headings an import accepts, '|'-separated, or "" */
	const char *help_ja; /* one line for forms and --help */
	const char *help_en;
} sk_field;

typedef struct sk_schema {
	const char *name; /* "asset", "unit", … */
	const char *ja, *en;
	const sk_field *fields;
	size_t n;
} sk_schema;

/* The record types. sk_schema_asset's fields are in sk_asset_field order (asset.h). */
extern const sk_schema sk_schema_asset;
/* The register's read-only columns (管理番号, 分類の表示, 状態, 廃棄日 …), in export order. */
extern const sk_schema sk_schema_asset_record;
extern const sk_schema sk_schema_asset_dispose;
extern const sk_schema sk_schema_asset_remove;
extern const sk_schema sk_schema_asset_decision;
extern const sk_schema sk_schema_decide;
/* A policy version's import (issue #16): the profile's text and where it came from. */
extern const sk_schema sk_schema_policy_import;
extern const sk_schema sk_schema_policy_set;
extern const sk_schema sk_schema_unit;
extern const sk_schema sk_schema_user;
extern const sk_schema sk_schema_role_grant;
extern const sk_schema sk_schema_login;
extern const sk_schema sk_schema_password_change;
extern const sk_schema sk_schema_totp_enroll;
extern const sk_schema sk_schema_totp_confirm;
/* Incidents and 障害記録 (SPEC C8): a report, and each step after it. */
extern const sk_schema sk_schema_incident;
extern const sk_schema sk_schema_incident_escalate;
extern const sk_schema sk_schema_incident_respond;
extern const sk_schema sk_schema_incident_close;
extern const sk_schema sk_schema_incident_attach;

/*
 * Requests (SPEC C7, issue #13): the body of a filing (kind, asset_id,
 * reason, details, safeguards_confirmed), of a decision (comment; required
 * to reject) and of a follow-through (every kind's follow-through fields,
 * all optional here: the kind's own schema says which it needs).
 */
extern const sk_schema sk_schema_request;
extern const sk_schema sk_schema_request_approve;
extern const sk_schema sk_schema_request_reject;
extern const sk_schema sk_schema_request_complete;

/* The columns a ledger adds to a request's own fields (src/domain/ledger.c). */
extern const sk_schema sk_schema_ledger;

/* The request kinds in SPEC C7 order, ended by NULL. */
extern const char *const sk_request_kinds[];
/* The details a request of kind takes (its schema's name is the kind), or NULL for an unknown kind.
 */
const sk_schema *sk_schema_request_details(const char *kind);
/* The follow-through fields of kind, or NULL when the kind has none (it ends at its approval). */
const sk_schema *sk_schema_request_followup(const char *kind);

/* The field named key, or NULL. */
const sk_field *sk_schema_field(const sk_schema *sc, const char *key);

/* An asset column by key, entered (sk_schema_asset) or read-only (sk_schema_asset_record). */
const sk_field *sk_schema_asset_column(const char *key);

/* How a body is checked: a creation needs the required fields, a change needs none. */
typedef enum sk_schema_mode { SK_SCHEMA_CREATE, SK_SCHEMA_CHANGE } sk_schema_mode;

/*
 * Checks a JSON body against sc: an object, no field sc does not name, each
 * value of its field's type and within its limits, no NUL in a string, the
 * required fields present (SK_SCHEMA_CREATE). SK_ERR_INVALID names the
 * first problem and the field's key; the value itself is never echoed (it
 * may be a secret or not even be text).
 */
sk_err sk_schema_check_json(const sk_schema *sc, sk_schema_mode mode, json_t *body, sk_buf *err);

/*
 * Checks one text value as the CLI or a CSV import gives it (len bytes, not
 * yet known to be UTF-8): within f->max bytes, valid UTF-8, and for one-line
 * types no line break or other control character. Emptiness is the
 * caller's concern (a required field is checked by whoever knows whether
 * the record is being created). SK_ERR_INVALID names the limit.
 */
sk_err sk_schema_check_text(const sk_field *f, const char *v, size_t len, sk_buf *err);

/* The field's key as a CLI option name ("disposal_method" → "disposal-method"), in out. */
void sk_schema_option_name(const sk_field *f, char *out, size_t max);

#endif
