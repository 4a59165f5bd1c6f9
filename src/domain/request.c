/* request: requests and approvals (SPEC C7), routed in the chain of command and audited. */
#include "request.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_json.h"
#include "../core/sk_msg.h"
#include "../core/sk_vec.h"
#include "../report/wareki.h"
#include "asset.h"
#include "authz.h"
#include "decision.h"
#include "notify.h"
#include "org.h"
#include "orgview.h"
#include "policyset.h"
#include "policyver.h"
#include "schema.h"

#define LIST_DEFAULT 100
#define LIST_MAX     1000
#define ROUTE_MAX    SK_POLICY_MAX_APPROVERS
#define CHAIN_MAX    SK_ORG_LINE_MAX
/* A filing's audit image, as finish's canonical text of it allows. */
#define IMAGE_TEXT_MAX SK_BUF_DEFAULT_MAX

/* Today's date in Japan (UTC+9, no daylight saving), as YYYY-MM-DD. */
static void today_jst(char out[11])
{
	time_t t = (time_t)(sk_clock_now() + 9 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	sk_date_format_iso((sk_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}, out);
}

/* The policy action a kind is, or -1 for a record without a decision (zone_entry …). */
static int kind_action(const char *kind)
{
	sk_action a;
	if (strcmp(kind, "exception") == 0)
		return -1;
	return sk_action_parse(kind, &a) == SK_OK ? (int)a : -1;
}

/* The n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD HH:MM" naming a real day and minute. */
static bool is_minute(const char *s)
{
	if (strlen(s) != 16 || s[10] != ' ' || s[13] != ':')
		return false;
	int h = digits(s + 11, 2), mi = digits(s + 14, 2);
	if (h < 0 || h > 23 || mi < 0 || mi > 59)
		return false;
	sk_date d;
	char day[11];
	memcpy(day, s, 10);
	day[10] = '\0';
	/* The date part as a western date only (the parser takes 和暦 too: not here). */
	return digits(s, 4) > 0 && s[4] == '-' && s[7] == '-' &&
	       sk_wareki_parse(day, 10, &d, NULL) == SK_OK && d.y == digits(s, 4) &&
	       d.m == digits(s + 5, 2) && d.d == digits(s + 8, 2);
}

/*
 * Checks obj against sc (CREATE: the required fields) and writes every date
 * field back in ISO form, so that 和暦 and western dates are stored alike.
 * where ("details") prefixes the message.
 */
/* The Japanese title of a request's own field (sk_schema_request), or NULL. */
static const char *title(const char *key)
{
	const sk_field *f = sk_schema_field(&sk_schema_request, key);
	return f ? f->ja : NULL;
}

/* A request kind's Japanese name ("持ち出し"), or the kind itself. */
static const char *kind_ja(const char *kind)
{
	const sk_schema *sc = kind ? sk_schema_request_details(kind) : NULL;
	return sc ? sc->ja : kind ? kind : "";
}

/* A request status's Japanese name ("承認待ち"), or the status itself. */
static const char *status_ja(const char *status)
{
	static const char *const names[][2] = {
	    {"pending", "承認待ち"}, {"approved", "承認済み"},  {"rejected", "却下"},
	    {"withdrawn", "取下げ"}, {"in_progress", "実施中"}, {"completed", "完了"},
	    {"expired", "期限切れ"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (status && strcmp(names[i][0], status) == 0)
			return names[i][1];
	return status ? status : "";
}

static sk_err check_fields(const sk_schema *sc, sk_schema_mode mode, json_t *obj, const char *where,
                           sk_buf *err)
{
	const char *where_ja = strcmp(where, "details") == 0 ? "内容" : "実施の記録";
	sk_err e = sk_schema_check_json(sc, mode, obj, err);
	if (e) {
		if (err && err->field) {
			const sk_field *f = sk_schema_field(sc, err->field);
			sk_fail_wrap(err, e, err->field, f ? f->ja : NULL, SK_M_REQ_FIELD_IN, where,
			             where_ja);
		}
		return e;
	}
	for (size_t i = 0; i < sc->n; i++) {
		const sk_field *f = &sc->fields[i];
		json_t *v = json_object_get(obj, f->key);
		if (f->type == SK_FT_TEXT || f->type == SK_FT_LONGTEXT) {
			if (v && (e = sk_schema_check_text(f, json_string_value(v),
			                                   json_string_length(v), err)))
				return e;
			if (v && (f->flags & SK_FF_REQUIRED) &&
			    json_string_value(v)[strspn(json_string_value(v), " \t\r\n")] == '\0')
				return sk_fail_msg(err, SK_ERR_INVALID, f->key, f->ja,
				                   SK_M_REQ_FIELD_REQUIRED, where, where_ja);
		}
		if (v && (f->flags & SK_FF_MINUTE) && !is_minute(json_string_value(v)))
			return sk_fail_msg(err, SK_ERR_INVALID, f->key, f->ja,
			                   SK_M_REQ_FIELD_MINUTE, where, where_ja);
		if (f->type != SK_FT_DATE || !v)
			continue;
		sk_date d;
		sk_buf why = SK_BUF_INIT(SK_BUF_MSG_MAX);
		e = sk_wareki_parse(json_string_value(v), json_string_length(v), &d, &why);
		if (e) {
			e = sk_fail_wrap(&why, SK_ERR_INVALID, f->key, f->ja, SK_M_REQ_FIELD_DATE,
			                 where, where_ja);
			sk_fail_texts(err, e, why.field, why.data, why.ja);
			sk_buf_free(&why);
			return e;
		}
		sk_buf_free(&why);
		char iso[11];
		sk_date_format_iso(d, iso);
		json_object_set_new(obj, f->key, json_string(iso));
	}
	return SK_OK;
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* --- the chain of command --- */

/*
 * The line up the tree and its holders, from the connection's organization
 * view (orgview.h) of the generation the step's reads are of: a plan's
 * (its scope's, which the write checks) or, inside a transaction, the
 * current one.
 */
static sk_err org_view(sk_ctx *c, int64_t gen, const sk_orgview **out, sk_buf *err)
{
	return sk_orgview_get(c->store, gen, out, err);
}

static int64_t holder_unit(const sk_orgview *v, sk_role role, const int64_t *chain, size_t n,
                           int64_t not_user)
{
	return sk_orgview_holder_unit(v, sk_role_name(role), chain, n, not_user);
}

/* --- one request as stored --- */

#define REQ_COLS                                                                                   \
	"r.id, r.kind, r.status, r.requester, r.unit_id, r.asset_id, r.reason, r.details, "        \
	"r.decision, r.safeguards_confirmed, r.approver_role, r.approver_unit, r.decided_by, "     \
	"r.decided_as_deputy, r.emergency, r.period_until, r.follow_through, r.created_at, "       \
	"r.updated_at, r.requester_id, r.route, o.code"

/* The JSON text columns: their index in REQ_COLS and their key in the API's object. */
static const struct {
	size_t col;
	const char *key;
} json_cols[] = {
    {7, "details"}, {8, "decision"}, {9, "safeguards_confirmed"}, {16, "follow_through"}};
#define N_JSON_COLS (sizeof(json_cols) / sizeof(json_cols[0]))

typedef struct req_row {
	int64_t id, unit_id, asset_id, approver_unit, requester_id;
	char *kind, *status, *approver_role, *route, *period_until;
	bool found;
	json_t *j;                    /* the API's object (without steps) */
	char *json_text[N_JSON_COLS]; /* the JSON columns' text as stored (NULL: SQL NULL) */
	/*
	 * Set by load_row's caller: the same request read before (in this
	 * transaction). A JSON column whose text is unchanged takes that row's
	 * parsed value instead of parsing the text again.
	 */
	const struct req_row *hint;
	/*
	 * The API's other members, for the text writer (req_text), as row_json
	 * shows them: asset_id and approver_unit 0 stand for null.
	 */
	char *requester, *unit_code, *reason, *decided_by;
	bool deputy, emergency;
	int64_t created_at, updated_at;
	/*
	 * Each JSON column as the answer (api) and the audit image (sorted)
	 * embed it, where that is not the stored text itself: the stored text
	 * is embedded as it is when it is canonical (sk_json_is_canonical), as
	 * every text sekisho writes is; "null" stands for SQL NULL.
	 */
	char *col_api[N_JSON_COLS], *col_sorted[N_JSON_COLS];
	bool bare; /* set by load_row's caller: no j, only what req_text needs */
} req_row;

static void req_row_free(req_row *r)
{
	for (size_t k = 0; k < N_JSON_COLS; k++) {
		free(r->json_text[k]);
		free(r->col_api[k]);
		free(r->col_sorted[k]);
	}
	free(r->requester);
	free(r->unit_code);
	free(r->reason);
	free(r->decided_by);
	free(r->kind);
	free(r->status);
	free(r->approver_role);
	free(r->route);
	free(r->period_until);
	json_decref(r->j);
	memset(r, 0, sizeof(*r));
}

static json_t *json_text_or_null(const sk_row *row, size_t i)
{
	if (sk_row_is_null(row, i))
		return json_null();
	json_t *j = json_loads(sk_row_text(row, i), JSON_DECODE_ANY, NULL);
	return j ? j : json_null();
}

static json_t *time_json(int64_t t)
{
	char at[SK_TIME_STR_MAX];
	sk_clock_format_local(t, at);
	return json_string(at);
}

/* The status a reader sees: an approved exception past its period is expired. */
static const char *shown_status(const char *status, const char *kind, const char *until,
                                const char *today)
{
	if (strcmp(status, "approved") == 0 && strcmp(kind, "exception") == 0 && until && *until &&
	    strcmp(until, today) < 0)
		return "expired";
	return status;
}

/* Column k of json_cols: the hint's value when its text is the same, else parsed. */
static json_t *json_col(const sk_row *row, size_t k, const struct req_row *hint)
{
	size_t i = json_cols[k].col;
	if (hint && hint->j && !sk_row_is_null(row, i) && hint->json_text[k] &&
	    strcmp(hint->json_text[k], sk_row_text(row, i)) == 0) {
		json_t *v = json_object_get(hint->j, json_cols[k].key);
		if (v)
			return json_incref(v);
	}
	return json_text_or_null(row, i);
}

/*
 * The members of a request as the API shows it, in its order: the one list
 * its JSON read (row_json), its answer and its audit image (req_text) are
 * all made from, as sm_key is for its steps. decision_record is only in a
 * filing's image.
 */
enum req_member {
	RM_ID,
	RM_KIND,
	RM_STATUS,
	RM_REQUESTER,
	RM_UNIT,
	RM_UNIT_CODE,
	RM_ASSET_ID,
	RM_REASON,
	RM_DETAILS,
	RM_DECISION,
	RM_SAFEGUARDS,
	RM_APPROVER_ROLE,
	RM_APPROVER_UNIT,
	RM_DECIDED_BY,
	RM_AS_DEPUTY,
	RM_EMERGENCY,
	RM_FOLLOW_THROUGH,
	RM_CREATED_AT,
	RM_UPDATED_AT,
	RM_STEPS,
	RM_DECISION_RECORD,
	RM__COUNT
};

/*
 * A member's key as written after another member: comma, quoted key,
 * colon (the first member's skips the comma; the key itself is s + 2, n - 4).
 */
struct member_key {
	const char *s;
	unsigned char n;
};
#define MEMBER_KEY(name)                                                                           \
	{                                                                                          \
		",\"" name "\":", sizeof(",\"" name "\":") - 1                                     \
	}

static const struct member_key rm_key[RM__COUNT] = {
    [RM_ID] = MEMBER_KEY("id"),
    [RM_KIND] = MEMBER_KEY("kind"),
    [RM_STATUS] = MEMBER_KEY("status"),
    [RM_REQUESTER] = MEMBER_KEY("requester"),
    [RM_UNIT] = MEMBER_KEY("unit"),
    [RM_UNIT_CODE] = MEMBER_KEY("unit_code"),
    [RM_ASSET_ID] = MEMBER_KEY("asset_id"),
    [RM_REASON] = MEMBER_KEY("reason"),
    [RM_DETAILS] = MEMBER_KEY("details"),
    [RM_DECISION] = MEMBER_KEY("decision"),
    [RM_SAFEGUARDS] = MEMBER_KEY("safeguards_confirmed"),
    [RM_APPROVER_ROLE] = MEMBER_KEY("approver_role"),
    [RM_APPROVER_UNIT] = MEMBER_KEY("approver_unit"),
    [RM_DECIDED_BY] = MEMBER_KEY("decided_by"),
    [RM_AS_DEPUTY] = MEMBER_KEY("as_deputy"),
    [RM_EMERGENCY] = MEMBER_KEY("emergency"),
    [RM_FOLLOW_THROUGH] = MEMBER_KEY("follow_through"),
    [RM_CREATED_AT] = MEMBER_KEY("created_at"),
    [RM_UPDATED_AT] = MEMBER_KEY("updated_at"),
    [RM_STEPS] = MEMBER_KEY("steps"),
    [RM_DECISION_RECORD] = MEMBER_KEY("decision_record"),
};

/*
 * The same members with their keys sorted byte-wise, the canonical form's
 * order (sk_json_canonical): the audit image's. test_request's "texts"
 * compares the image with sk_json_canonical's and fails when this is not.
 */
static const unsigned char rm_sorted[RM__COUNT] = {
    RM_APPROVER_ROLE, RM_APPROVER_UNIT, RM_AS_DEPUTY,      RM_ASSET_ID,
    RM_CREATED_AT,    RM_DECIDED_BY,    RM_DECISION,       RM_DECISION_RECORD,
    RM_DETAILS,       RM_EMERGENCY,     RM_FOLLOW_THROUGH, RM_ID,
    RM_KIND,          RM_REASON,        RM_REQUESTER,      RM_SAFEGUARDS,
    RM_STATUS,        RM_STEPS,         RM_UNIT,           RM_UNIT_CODE,
    RM_UPDATED_AT};

/* Member m of the request in row as row_json shows it (a new reference, or NULL). */
static json_t *row_member(const sk_row *row, int m, const char *today, const struct req_row *hint)
{
	switch (m) {
	case RM_ID:
		return json_integer(sk_row_int(row, 0));
	case RM_KIND:
		return json_string(sk_row_text(row, 1));
	case RM_STATUS:
		return json_string(
		    shown_status(sk_row_text(row, 2), sk_row_text(row, 1),
		                 sk_row_is_null(row, 15) ? NULL : sk_row_text(row, 15), today));
	case RM_REQUESTER:
		return json_string(sk_row_text(row, 3));
	case RM_UNIT:
		return json_integer(sk_row_int(row, 4));
	case RM_UNIT_CODE:
		return json_string(sk_row_text(row, 21));
	case RM_ASSET_ID:
		return sk_row_is_null(row, 5) ? json_null() : json_integer(sk_row_int(row, 5));
	case RM_REASON:
		return json_string(sk_row_text(row, 6));
	case RM_DETAILS:
		return json_col(row, 0, hint);
	case RM_DECISION:
		return json_col(row, 1, hint);
	case RM_SAFEGUARDS:
		return json_col(row, 2, hint);
	case RM_APPROVER_ROLE:
		return sk_row_is_null(row, 10) ? json_null() : json_string(sk_row_text(row, 10));
	case RM_APPROVER_UNIT:
		return sk_row_is_null(row, 11) ? json_null() : json_integer(sk_row_int(row, 11));
	case RM_DECIDED_BY:
		return sk_row_is_null(row, 12) ? json_null() : json_string(sk_row_text(row, 12));
	case RM_AS_DEPUTY:
		return json_boolean(sk_row_int(row, 13));
	case RM_EMERGENCY:
		return json_boolean(sk_row_int(row, 14));
	case RM_FOLLOW_THROUGH:
		return json_col(row, 3, hint);
	case RM_CREATED_AT:
		return time_json(sk_row_int(row, 17));
	case RM_UPDATED_AT:
		return time_json(sk_row_int(row, 18));
	default:
		return NULL;
	}
}

/* The request in row as the API shows it, without its steps: rm_key's members up to them. */
static json_t *row_json(const sk_row *row, const char *today, const struct req_row *hint)
{
	json_t *j = json_object();
	for (int m = 0; j && m < RM_STEPS; m++)
		json_object_setn_new(j, rm_key[m].s + 2, rm_key[m].n - 4u,
		                     row_member(row, m, today, hint));
	return j;
}

/*
 * Column k of r whose stored text is not canonical: its value as row_json
 * would show it (json_text_or_null: null when it does not parse), encoded
 * in the answer's order and in the image's.
 */
static sk_err col_recode(req_row *r, size_t k)
{
	json_t *j = json_loads(r->json_text[k], JSON_DECODE_ANY, NULL);
	sk_buf api = SK_BUF_INIT(IMAGE_TEXT_MAX), sorted = SK_BUF_INIT(IMAGE_TEXT_MAX);
	sk_err e = j ? sk_json_compact(j, &api) : sk_buf_add(&api, "null", 4);
	if (!e)
		e = j ? sk_json_canonical(j, &sorted) : sk_buf_add(&sorted, "null", 4);
	json_decref(j);
	if (!e && (!(r->col_api[k] = sk_buf_detach(&api)) ||
	           !(r->col_sorted[k] = sk_buf_detach(&sorted))))
		e = SK_ERR_NOMEM;
	sk_buf_free(&api);
	sk_buf_free(&sorted);
	return e;
}

/* JSON column k of r as the answer (sorted: the audit image) embeds it. */
static const char *col_text(const req_row *r, size_t k, bool sorted)
{
	const char *alt = sorted ? r->col_sorted[k] : r->col_api[k];
	return alt ? alt : r->json_text[k] ? r->json_text[k] : "null";
}

/* --- a request as JSON text: the answer and the audit image --- */

static sk_err add_str_or_null(sk_buf *b, const char *s)
{
	return s ? sk_json_add_str(b, s, strlen(s)) : sk_buf_add(b, "null", 4);
}

static sk_err add_time(sk_buf *b, int64_t t)
{
	char at[SK_TIME_STR_MAX];
	sk_clock_format_local(t, at);
	return sk_json_add_str(b, at, strlen(at));
}

static sk_err add_bool(sk_buf *b, bool v)
{
	return v ? sk_buf_add(b, "true", 4) : sk_buf_add(b, "false", 5);
}

/* What req_text writes besides r's own members. */
typedef struct req_extra {
	const char *steps;  /* the steps' array as text (steps_text), or NULL: no "steps" */
	const char *record; /* the decision's record, canonical text, or NULL: none */
	const char *today;  /* for the status shown (shown_status) */
} req_extra;

static sk_err req_member_value(sk_buf *b, const req_row *r, int m, bool sorted, const req_extra *x)
{
	switch (m) {
	case RM_ID:
		return sk_buf_add_int(b, r->id);
	case RM_KIND:
		return add_str_or_null(b, r->kind);
	case RM_STATUS:
		return add_str_or_null(b,
		                       shown_status(r->status, r->kind, r->period_until, x->today));
	case RM_REQUESTER:
		return add_str_or_null(b, r->requester);
	case RM_UNIT:
		return sk_buf_add_int(b, r->unit_id);
	case RM_UNIT_CODE:
		return add_str_or_null(b, r->unit_code);
	case RM_ASSET_ID:
		return r->asset_id ? sk_buf_add_int(b, r->asset_id) : sk_buf_add(b, "null", 4);
	case RM_REASON:
		return add_str_or_null(b, r->reason);
	case RM_DETAILS:
		return sk_buf_adds(b, col_text(r, 0, sorted));
	case RM_DECISION:
		return sk_buf_adds(b, col_text(r, 1, sorted));
	case RM_SAFEGUARDS:
		return sk_buf_adds(b, col_text(r, 2, sorted));
	case RM_APPROVER_ROLE:
		return add_str_or_null(b, r->approver_role);
	case RM_APPROVER_UNIT:
		return r->approver_unit ? sk_buf_add_int(b, r->approver_unit)
		                        : sk_buf_add(b, "null", 4);
	case RM_DECIDED_BY:
		return add_str_or_null(b, r->decided_by);
	case RM_AS_DEPUTY:
		return add_bool(b, r->deputy);
	case RM_EMERGENCY:
		return add_bool(b, r->emergency);
	case RM_FOLLOW_THROUGH:
		return sk_buf_adds(b, col_text(r, 3, sorted));
	case RM_CREATED_AT:
		return add_time(b, r->created_at);
	case RM_UPDATED_AT:
		return add_time(b, r->updated_at);
	case RM_STEPS:
		return sk_buf_adds(b, x->steps);
	case RM_DECISION_RECORD:
		return sk_buf_adds(b, x->record);
	default:
		return SK_ERR_INTERNAL;
	}
}

/*
 * Appends r as JSON text to out: as the API answers it (compact, in the
 * API's order) or, sorted, as its audit image (the canonical form,
 * sk_json_canonical's bytes). With tail, the text is cut at the id: out
 * ends with its key, and what follows its value goes to tail (a filing's,
 * written before the insert gives the id).
 */
static sk_err req_text(const req_row *r, bool sorted, const req_extra *x, sk_buf *out, sk_buf *tail)
{
	/* Room for it all at once (the keys, times and short values fit in 1 KB). */
	size_t n = 1024 + (x->steps ? strlen(x->steps) : 0) + (x->record ? strlen(x->record) : 0) +
	           (r->reason ? strlen(r->reason) : 0);
	for (size_t k = 0; k < N_JSON_COLS; k++)
		n += strlen(col_text(r, k, sorted));
	sk_err e = sk_buf_grow(out, n);
	if (!e && tail)
		e = sk_buf_grow(tail, n);
	if (!e)
		e = sk_buf_addc(out, '{');
	bool first = true;
	for (int i = 0; !e && i < RM__COUNT; i++) {
		int m = sorted ? rm_sorted[i] : i;
		if ((m == RM_STEPS && !x->steps) || (m == RM_DECISION_RECORD && !x->record))
			continue;
		const struct member_key *k = &rm_key[m];
		if ((e = first ? sk_buf_add(out, k->s + 1, k->n - 1u)
		               : sk_buf_add(out, k->s, k->n)))
			break;
		first = false;
		if (m == RM_ID && tail)
			out = tail; /* the value is the caller's to write between the two */
		else
			e = req_member_value(out, r, m, sorted, x);
	}
	return e ? e : sk_buf_addc(out, '}');
}

/* A step's members, in the API's order (take_step's and steps_text's), and sorted for the image. */
enum step_member { SM_AT, SM_ACTOR, SM_ACTION, SM_COMMENT, SM_AS_DEPUTY, SM__COUNT };
static const struct member_key sm_key[SM__COUNT] = {
    [SM_AT] = MEMBER_KEY("at"),
    [SM_ACTOR] = MEMBER_KEY("actor"),
    [SM_ACTION] = MEMBER_KEY("action"),
    [SM_COMMENT] = MEMBER_KEY("comment"),
    [SM_AS_DEPUTY] = MEMBER_KEY("as_deputy"),
};
static const unsigned char sm_sorted[SM__COUNT] = {SM_ACTION, SM_ACTOR, SM_AS_DEPUTY, SM_AT,
                                                   SM_COMMENT};

/* A request's steps as the answer's and the image's arrays, built up one step at a time. */
typedef struct steps_text {
	sk_buf api, sorted;
	size_t n;
} steps_text;

static void steps_text_init(steps_text *t)
{
	sk_buf_init(&t->api, IMAGE_TEXT_MAX);
	sk_buf_init(&t->sorted, IMAGE_TEXT_MAX);
	t->n = 0;
}

static void steps_text_free(steps_text *t)
{
	sk_buf_free(&t->api);
	sk_buf_free(&t->sorted);
}

/* Appends a step (comment NULL: null) to both arrays. */
static sk_err steps_text_add(steps_text *t, int64_t at, const char *actor, const char *action,
                             const char *comment, bool deputy)
{
	char when[SK_TIME_STR_MAX];
	sk_clock_format_local(at, when);
	sk_err e = SK_OK;
	for (int order = 0; !e && order < 2; order++) {
		sk_buf *b = order ? &t->sorted : &t->api;
		/* A step without its comment is about 130 bytes. */
		e = sk_buf_grow(b, 256 + (comment ? strlen(comment) : 0));
		if (!e)
			e = sk_buf_adds(b, t->n ? ",{" : "[{");
		for (int i = 0; !e && i < SM__COUNT; i++) {
			int m = order ? sm_sorted[i] : i;
			const struct member_key *k = &sm_key[m];
			if ((e = i ? sk_buf_add(b, k->s, k->n)
			           : sk_buf_add(b, k->s + 1, k->n - 1u)))
				break;
			switch (m) {
			case SM_AT:
				e = sk_json_add_str(b, when, strlen(when));
				break;
			case SM_ACTOR:
				e = add_str_or_null(b, actor);
				break;
			case SM_ACTION:
				e = add_str_or_null(b, action);
				break;
			case SM_COMMENT:
				e = add_str_or_null(b, comment);
				break;
			default:
				e = add_bool(b, deputy);
			}
		}
		if (!e)
			e = sk_buf_addc(b, '}');
	}
	t->n++;
	return e;
}

/* Ends both arrays. */
static sk_err steps_text_close(steps_text *t)
{
	sk_err e = SK_OK;
	for (int order = 0; !e && order < 2; order++) {
		sk_buf *b = order ? &t->sorted : &t->api;
		e = sk_buf_adds(b, t->n ? "]" : "[]");
	}
	return e;
}

static char *dup_or_null(const sk_row *row, size_t i)
{
	return sk_row_is_null(row, i) ? NULL : strdup(sk_row_text(row, i));
}

static sk_err take_row(void *ctx, const sk_row *row, sk_buf *err)
{
	req_row *r = ctx;
	char today[11];
	today_jst(today);
	r->found = true;
	r->id = sk_row_int(row, 0);
	r->kind = strdup(sk_row_text(row, 1));
	r->status = strdup(sk_row_text(row, 2));
	r->unit_id = sk_row_int(row, 4);
	r->asset_id = sk_row_int(row, 5);
	r->approver_role = dup_or_null(row, 10);
	r->approver_unit = sk_row_int(row, 11);
	r->period_until = dup_or_null(row, 15);
	r->requester_id = sk_row_int(row, 19);
	r->route = strdup(sk_row_text(row, 20));
	r->requester = strdup(sk_row_text(row, 3));
	r->unit_code = strdup(sk_row_text(row, 21));
	r->reason = strdup(sk_row_text(row, 6));
	r->decided_by = dup_or_null(row, 12);
	r->deputy = sk_row_int(row, 13) != 0;
	r->emergency = sk_row_int(row, 14) != 0;
	r->created_at = sk_row_int(row, 17);
	r->updated_at = sk_row_int(row, 18);
	if (!r->bare)
		r->j = row_json(row, today, r->hint);
	for (size_t k = 0; k < N_JSON_COLS; k++) {
		if (sk_row_is_null(row, json_cols[k].col))
			continue;
		const char *t = sk_row_text(row, json_cols[k].col);
		if (!(r->json_text[k] = strdup(t)) ||
		    (r->bare && !sk_json_is_canonical(t, strlen(t)) && col_recode(r, k)))
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	if (!r->kind || !r->status || !r->route || (!r->bare && !r->j) || !r->requester ||
	    !r->unit_code || !r->reason || (!sk_row_is_null(row, 12) && !r->decided_by))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

/* Reads request id into r; hint (or NULL): the same request read before, see req_row. */
static sk_err load_row(sk_store *s, int64_t id, req_row *r, const req_row *hint, bool bare,
                       sk_buf *err)
{
	memset(r, 0, sizeof(*r));
	r->hint = hint;
	r->bare = bare;
	sk_val p[] = {SK_VINT(id)};
	sk_err e =
	    sk_store_query(s,
	                   "SELECT " REQ_COLS
	                   " FROM requests r JOIN org_unit o ON o.id = r.unit_id WHERE r.id = ?",
	                   p, 1, take_row, r, err);
	if (!e && !r->found)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_REQ_NONE, (long long)id);
	return e;
}

static sk_err take_step(void *ctx, const sk_row *row, sk_buf *err)
{
	json_t *steps = ctx, *st = json_object();
	/* sm_key's members, as steps_text writes them. */
	for (int m = 0; st && m < SM__COUNT; m++) {
		json_t *v =
		    m == SM_AT       ? time_json(sk_row_int(row, 0))
		    : m == SM_ACTOR  ? json_string(sk_row_text(row, 1))
		    : m == SM_ACTION ? json_string(sk_row_text(row, 2))
		    : m == SM_COMMENT
		        ? (sk_row_is_null(row, 3) ? json_null() : json_string(sk_row_text(row, 3)))
		        : json_boolean(sk_row_int(row, 4));
		if (json_object_setn_new(st, sm_key[m].s + 2, sm_key[m].n - 4u, v)) {
			json_decref(st);
			st = NULL;
		}
	}
	if (!st || json_array_append_new(steps, st))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

#define STEPS_SQL                                                                                  \
	"SELECT at, actor, action, comment, as_deputy FROM request_steps WHERE request_id = ? "    \
	"ORDER BY id"

static sk_err add_steps(sk_store *s, req_row *r, sk_buf *err)
{
	json_t *steps = json_array();
	if (!steps)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	sk_val p[] = {SK_VINT(r->id)};
	sk_err e = sk_store_query(s, STEPS_SQL, p, 1, take_step, steps, err);
	if (e) {
		json_decref(steps);
		return e;
	}
	json_object_set_new(r->j, "steps", steps);
	return SK_OK;
}

static sk_err take_step_text(void *ctx, const sk_row *row, sk_buf *err)
{
	if (steps_text_add(ctx, sk_row_int(row, 0), sk_row_text(row, 1), sk_row_text(row, 2),
	                   sk_row_is_null(row, 3) ? NULL : sk_row_text(row, 3),
	                   sk_row_int(row, 4) != 0))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

/* Appends request id's steps on record to t (add_steps' as text; t left open). */
static sk_err read_steps_text(sk_store *s, int64_t id, steps_text *t, sk_buf *err)
{
	sk_val p[] = {SK_VINT(id)};
	return sk_store_query(s, STEPS_SQL, p, 1, take_step_text, t, err);
}

/* --- who may do what --- */

typedef enum { WHO_NONE, WHO_READER, WHO_REQUESTER, WHO_DECIDER, WHO_DEPUTY } who_kind;

/*
 * Whether c's actor may decide r (the approver or, a role above it in the
 * profile's chain, the deputy), and else whether they may read it.
 */
static sk_err who_is(sk_ctx *c, const sk_orgview *v, const req_row *r, who_kind *out, sk_buf *err)
{
	*out = WHO_NONE;
	if (c->actor->superuser) {
		*out = WHO_DECIDER;
		return SK_OK;
	}
	if (c->actor->user_id == r->requester_id) {
		*out = WHO_REQUESTER;
		return SK_OK;
	}
	if (r->approver_role && r->approver_unit &&
	    sk_authz_can(c, SK_CAP_REQUEST_APPROVE, r->approver_unit)) {
		int64_t chain[CHAIN_MAX];
		size_t n;
		sk_err e = sk_orgview_line(v, r->approver_unit, chain, &n);
		if (e)
			return e;
		bool yes = sk_orgview_holds(v, c->actor->user_id, r->approver_role, chain, n);
		if (yes) {
			*out = WHO_DECIDER;
			return SK_OK;
		}
		/* any_of: a holder of another of the rule's roles in the requester's chain decides
		 * too. */
		json_t *route = json_loads(r->route ? r->route : "[]", 0, NULL);
		json_t *alt = json_object_get(route, "any_of");
		if (json_is_array(alt)) {
			int64_t rchain[CHAIN_MAX];
			size_t rn = 0;
			e = sk_orgview_line(v, r->unit_id, rchain, &rn);
			size_t i;
			json_t *alt_role;
			json_array_foreach (alt, i, alt_role) {
				if (e || yes || !json_is_string(alt_role))
					continue;
				yes = sk_orgview_holds(v, c->actor->user_id,
				                       json_string_value(alt_role), rchain, rn);
			}
		}
		json_decref(route);
		if (e)
			return e;
		if (yes) {
			*out = WHO_DECIDER;
			return SK_OK;
		}
		/* 代行者: a role above the approver's in the profile's chain (reports_to). */
		const sk_policy *pol = NULL;
		sk_role role;
		if (!sk_ctx_policy(c, &pol, NULL) && pol &&
		    sk_role_parse(r->approver_role, &role) == SK_OK) {
			for (int hop = 0; hop < SK_ROLE__COUNT && !yes; hop++) {
				role = sk_policy_role_reports_to(pol, role);
				if (role == SK_ROLE_NONE)
					break;
				yes = sk_orgview_holds(v, c->actor->user_id, sk_role_name(role),
				                       chain, n);
			}
			if (yes) {
				*out = WHO_DEPUTY;
				return SK_OK;
			}
		}
	}
	if (sk_authz_can(c, SK_CAP_LEDGER_READ, r->unit_id))
		*out = WHO_READER;
	return SK_OK;
}

/*
 * Loads request id as c's actor may see it: SK_ERR_NOT_FOUND when they may
 * not. v: the organization view to judge by (org_view); bare: without r->j (for
 * req_text only).
 */
static sk_err load_visible(sk_ctx *c, const sk_orgview *v, int64_t id, req_row *r, who_kind *who,
                           bool bare, sk_buf *err)
{
	sk_err e = load_row(c->store, id, r, NULL, bare, err);
	if (!e)
		e = who_is(c, v, r, who, err);
	if (!e && *who == WHO_NONE)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_REQ_NONE, (long long)id);
	if (e)
		req_row_free(r);
	return e;
}

/* --- writing --- */

/* Records a step taken at (the time the answer built in memory shows too). */
static sk_err add_step_at(sk_ctx *c, int64_t id, int64_t at, const char *action,
                          const char *comment, bool deputy, sk_buf *err)
{
	sk_val p[] = {SK_VINT(id),
	              SK_VINT(at),
	              sk_vtext(c->actor->login),
	              sk_vtext(action),
	              sk_vtext(comment && *comment ? comment : NULL),
	              SK_VINT(deputy ? 1 : 0)};
	return sk_store_exec(c->store,
	                     "INSERT INTO request_steps (request_id, at, actor, action, comment, "
	                     "as_deputy) VALUES (?, ?, ?, ?, ?, ?)",
	                     p, 6, NULL, err);
}

static sk_err add_step(sk_ctx *c, int64_t id, const char *action, const char *comment, bool deputy,
                       sk_buf *err)
{
	return add_step_at(c, id, sk_clock_now(), action, comment, deputy, err);
}

/* The audit image of a request: its object as the API shows it, with its steps. */
static sk_err image_of(sk_ctx *c, int64_t id, json_t **out, sk_buf *err)
{
	*out = NULL;
	req_row r;
	sk_err e = load_row(c->store, id, &r, NULL, false, err);
	if (!e)
		e = add_steps(c->store, &r, err);
	if (!e)
		*out = json_incref(r.j);
	req_row_free(&r);
	return e;
}

/*
 * The deputy (代行者) of a request waiting for its approver is told too: the
 * holders of the nearest role above the approver's in the profile's chain
 * (reports_to) that has a holder in the approver unit's line, the one who
 * decides in the approver's absence (who_is lets every role further up act
 * as well; they see it in their inbox but are not each mailed about every
 * request).
 */
static sk_err deputy_find(sk_ctx *c, const sk_orgview *v, const req_row *now, sk_notify_whoms *out,
                          sk_buf *err)
{
	const sk_policy *pol = NULL;
	sk_role role;
	if (sk_ctx_policy(c, &pol, NULL) || !pol ||
	    sk_role_parse(now->approver_role, &role) != SK_OK)
		return SK_OK;
	int64_t chain[CHAIN_MAX];
	size_t n = 0;
	sk_err e = SK_OK;
	for (int hop = 0; hop < SK_ROLE__COUNT; hop++) {
		role = sk_policy_role_reports_to(pol, role);
		if (role == SK_ROLE_NONE)
			break;
		if (!n && (e = sk_orgview_line(v, now->approver_unit, chain, &n)))
			return e;
		int64_t at = holder_unit(v, role, chain, n, now->requester_id);
		if (at)
			return sk_notify_holders_add(v, sk_role_name(role), at, now->requester_id,
			                             out, err);
	}
	return SK_OK;
}

/*
 * Who is told that a request now waits for them (reads only, appended to
 * out): the approver's holders, the deputy's, and for a filing of an
 * any_of rule (八王子 16(10)「…又は…」) the holders of the rule's other
 * roles in the requester's chain, who may decide it too. now: the request
 * as the step leaves it (a filing's before it is written: its id unused).
 */
static sk_err waiting_holders(sk_ctx *c, const sk_orgview *v, const req_row *now, bool filed,
                              sk_notify_whoms *out, sk_buf *err)
{
	if (strcmp(now->status, "pending") != 0 || !now->approver_role || !*now->approver_role ||
	    !now->approver_unit)
		return SK_OK;
	sk_err e = sk_notify_holders_add(v, now->approver_role, now->approver_unit,
	                                 now->requester_id, out, err);
	if (!e)
		e = deputy_find(c, v, now, out, err);
	if (e || !filed || !now->route || !strstr(now->route, "any_of"))
		return e;
	json_t *route = json_loads(now->route, 0, NULL);
	json_t *alt = json_object_get(route, "any_of");
	int64_t chain[CHAIN_MAX];
	size_t n = 0;
	if (json_is_array(alt))
		e = sk_orgview_line(v, now->unit_id, chain, &n);
	size_t i;
	json_t *alt_role;
	json_array_foreach (alt, i, alt_role) {
		const char *role = json_string_value(alt_role);
		if (e || !role || strcmp(role, now->approver_role) == 0)
			continue;
		int64_t at = sk_orgview_holder_unit(v, role, chain, n, now->requester_id);
		if (at)
			e = sk_notify_holders_add(v, role, at, now->requester_id, out, err);
	}
	json_decref(route);
	return e;
}

/* waiting_holders with their addresses, read together (as they are now). */
static sk_err waiting_audience(sk_ctx *c, const sk_orgview *v, const req_row *now, bool filed,
                               sk_notify_whoms *out, sk_buf *err)
{
	size_t from = out->n;
	sk_err e = waiting_holders(c, v, now, filed, out, err);
	return e ? e : sk_notify_whoms_address(c, out, from, err);
}

/*
 * Who is told of a step, in its transaction: the approvers when a request
 * comes to wait for them (filed, or approved by one of several), the
 * requester when it is decided. The notification carries the kind and the
 * number only (notify.h). now: the request as the step left it. told: for
 * a filing, its waiting_audience found when it was prepared.
 */
static sk_err notify_after(sk_ctx *c, const req_row *now, const char *action,
                           const sk_notify_whoms *told, sk_buf *err)
{
	bool filed = strcmp(action, "request.file") == 0;
	bool decided =
	    strcmp(action, "request.approve") == 0 || strcmp(action, "request.reject") == 0;
	if (!filed && !decided)
		return SK_OK;
	sk_err e = SK_OK;
	if (told) {
		e = sk_notify_tell(c, told, SK_NOTIFY_REQUEST_TO_DECIDE, "request", now->id, err);
	} else {
		sk_notify_whoms who = {0};
		const sk_orgview *v = NULL;
		e = org_view(c, 0, &v, err);
		if (!e)
			e = waiting_audience(c, v, now, filed, &who, err);
		if (!e)
			e = sk_notify_tell(c, &who, SK_NOTIFY_REQUEST_TO_DECIDE, "request", now->id,
			                   err);
		sk_notify_whoms_free(&who);
	}
	if (!e && decided && strcmp(now->status, "pending") != 0)
		e = sk_notify_add(c, now->requester_id, SK_NOTIFY_REQUEST_DECIDED, "request",
		                  now->id, NULL, err);
	return e;
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/*
 * Whether who_is answers alike for a and b: it reads the requester, the
 * unit, the approver and the route (and the actor's grants, which a step
 * does not change).
 */
static bool same_routing(const req_row *a, const req_row *b)
{
	return a->requester_id == b->requester_id && a->unit_id == b->unit_id &&
	       a->approver_unit == b->approver_unit &&
	       same_text(a->approver_role, b->approver_role) && same_text(a->route, b->route);
}

/*
 * Ends a transition: the audit entry with the images, the notifications,
 * then commit (or roll back on failure). The after image is also the
 * answer: when out is not NULL it receives the request as sk_request_get
 * shows it to c's actor (SK_ERR_NOT_FOUND, rolling back, when the step left
 * it out of their sight); when text is not NULL the same is appended to it
 * as JSON text (sk_json_compact's bytes). built: the request as the step
 * left it, built in memory from what was written (then taken over), with
 * its images (before_text, image: canonical texts) and answer (JSON text)
 * written ahead; or NULL to read it back in the transaction and audit
 * before (taken) and it. was: the request before the step and what c's
 * actor was to it (who_is), or NULL for a filing (its requester sees it).
 */
static sk_err finish_image(sk_ctx *c, int64_t id, const char *action, json_t *before,
                           const req_row *was, who_kind was_who, req_row *built,
                           const char *before_text, const char *image, sk_buf *answer,
                           const sk_notify_whoms *told, sk_err e, json_t **out, sk_buf *text,
                           sk_buf *err)
{
	req_row now;
	memset(&now, 0, sizeof(now));
	if (built) {
		now = *built;
		memset(built, 0, sizeof(*built));
	}
	if (out)
		*out = NULL;
	size_t text_len = text ? text->len : 0;
	if (!e && !built)
		e = load_row(c->store, id, &now, was, false, err);
	if (!e && !built)
		e = add_steps(c->store, &now, err);
	if (!e && image) {
		json_decref(before);
		before = NULL;
		char obj[48];
		snprintf(obj, sizeof(obj), "request:%" PRId64, id);
		sk_audit_event ev = {.actor = c->actor->login,
		                     .address = c->actor->address,
		                     .action = action,
		                     .object = obj};
		e = sk_audit_append_text(c->store, &ev, before_text, image, NULL, err);
	} else if (!e) {
		e = sk_audit_change(c->store, c->actor->login, c->actor->address, action,
		                    before ? before : SK_AUDIT_NONE, json_incref(now.j), err,
		                    "request:%" PRId64, id);
	} else {
		json_decref(before);
	}
	if (!e)
		e = notify_after(c, &now, action, told, err);
	if (!e && (out || text) && was) {
		who_kind who = was_who;
		const sk_orgview *v = NULL;
		if (!same_routing(was, &now) && !(e = org_view(c, 0, &v, err)))
			e = who_is(c, v, &now, &who, err);
		if (!e && who == WHO_NONE)
			e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_REQ_NONE,
			                (long long)id);
	}
	if (!e && out &&
	    !(*out = answer ? json_loadb(answer->data, answer->len, 0, NULL) : json_incref(now.j)))
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if (!e && text && answer && !text->len) {
		/* Handed over, not copied. */
		sk_buf t = *text;
		*text = *answer;
		*answer = t;
	} else if (!e && text &&
	           (answer ? sk_buf_add(text, answer->data, answer->len)
	                   : sk_json_compact(now.j, text)) != SK_OK) {
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	req_row_free(&now);
	if (!e)
		e = sk_store_commit(c->store, err);
	else
		sk_store_rollback(c->store);
	if (e && out) {
		json_decref(*out);
		*out = NULL;
	}
	if (e && text && text->cap) {
		text->len = text_len;
		text->data[text_len] = '\0';
	}
	return e;
}

static sk_err finish(sk_ctx *c, int64_t id, const char *action, json_t *before, const req_row *was,
                     who_kind was_who, sk_err e, json_t **out, sk_buf *err)
{
	return finish_image(c, id, action, before, was, was_who, NULL, NULL, NULL, NULL, NULL, e,
	                    out, NULL, err);
}

/* --- filing --- */

/*
 * The decision for the request: on its asset (read in the requester's
 * scope; m then holds what sk_decision_record appends in the filing's
 * transaction, so a refused filing records nothing) or bare. *dj is the
 * SPEC §3 object (sk_decision_json) and *canon its canonical text (the
 * stored column), both built from the decision itself: no text is
 * rendered to be parsed back. The caller owns both, even on failure.
 */
static sk_err decide(sk_ctx *c, const sk_policy *pol, sk_action act, int64_t asset_id, int64_t unit,
                     uint32_t roles, sk_decision_made *m, sk_decision *d, json_t **dj, char **canon,
                     sk_buf *err)
{
	(void)pol; /* the documents come from c's policy set (policyset.h) */
	*dj = NULL;
	*canon = NULL;
	if (asset_id) {
		/* Under the documents of the asset's unit and the requester's (policyset.h). */
		sk_err e =
		    sk_decision_make_unanswered(c, roles, asset_id, sk_action_name(act), m, err);
		if (e == SK_ERR_NOT_FOUND)
			e = sk_fail_msg(err, SK_ERR_NOT_FOUND, "asset_id", title("asset_id"),
			                SK_M_REQ_ASSET_NONE, (long long)asset_id);
		if (e)
			return e;
		/* The image holds the decision's canonical text already (decision.h). */
		*dj = sk_decision_json(&m->decided.d);
		*canon = strndup(m->image.data + m->decision_at, m->decision_len);
		if (!*dj || !*canon)
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		*d = m->decided.d; /* with every approver and the proviso flag, for routing */
		return SK_OK;
	}
	/* Bare: under the documents of the requester's unit. */
	const char *role = NULL;
	for (int r = 0; r < SK_ROLE__COUNT && !role; r++)
		if (roles & (1u << r))
			role = sk_role_name((sk_role)r);
	const sk_decide_kv kv[] = {{"action", sk_action_name(act)}, {"actor_role", role}};
	sk_set_decision sd;
	sk_err e = sk_policyset_decide(c, unit, 0, kv, 2, &sd, err);
	if (e)
		return e;
	*d = sd.d;
	sk_buf text = SK_BUF_INIT(64u << 10);
	e = sk_decision_canonical(&sd.d, &text);
	if (!e && (!(*dj = sk_decision_json(&sd.d)) || !(*canon = sk_buf_detach(&text))))
		e = SK_ERR_NOMEM;
	sk_buf_free(&text);
	return e ? sk_fail_msg(err, e, NULL, NULL, SK_M_REQ_NO_DECISION) : SK_OK;
}

static sk_err citations_text(json_t *dj, sk_buf *out)
{
	size_t i;
	json_t *v;
	sk_err e = SK_OK;
	json_array_foreach (json_object_get(dj, "citations"), i, v) {
		if (i)
			e = sk_buf_adds(out, ", ");
		if (!e)
			e = sk_buf_adds(out, json_string_value(v) ? json_string_value(v) : "");
		if (e)
			break;
	}
	return e;
}

/*
 * Whether a filing is refused outright (forbidden_by_policy): an exception
 * where the profile names no exception approver and the rule allows none; any
 * other kind whose decision forbids, unless the rule allows an exception
 * through an ordinary approval (a 「…しないこと。ただし…の許可を得て」 proviso).
 */
static bool refused_outright(bool exception, bool decided, const sk_decision *d,
                             const sk_exception_route *xr)
{
	if (exception)
		return !xr && !(decided && d->decision == SK_DEC_FORBID && d->exception_possible);
	return decided && d->decision == SK_DEC_FORBID && !(d->exception_possible && d->proviso);
}

/* The requester's unit and its code. */
struct home_unit {
	int64_t id;
	char code[128];
};

static sk_err take_requester_unit(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct home_unit *u = ctx;
	u->id = sk_row_int(row, 0);
	snprintf(u->code, sizeof(u->code), "%s", sk_row_text(row, 1));
	return SK_OK;
}

/*
 * A filing checked, decided and routed (prepare_into: reads only), then
 * written (sk_request_commit). The server prepares on its event loop's
 * reading connection and writes on the group-commit writer's, so that the
 * writer's one thread does no more than the writing; the CLI does both in
 * turn (sk_request_file).
 */
struct sk_request_prepared {
	/* the filing as asked for (the input, copied) */
	char *kind, *reason;
	int64_t asset_id;
	json_t *details_in, *safeguards_in;
	/*
	 * What the preparation read is still true while the authorization
	 * generation it read under stands (the roles, the accounts' status and
	 * the unit tree: the scope, the requester's unit, the routing and whom
	 * to tell) and the asset holds the facts it was decided on. again: it
	 * also read what the generation does not cover (the policy versions of
	 * a policy_activation, a record kind's asset), so the write prepares it
	 * again in its transaction.
	 */
	int64_t gen;
	bool again;
	/* what the write needs */
	struct home_unit home;
	int act;
	bool decided, emergency;
	sk_role approver;
	int64_t approver_unit, now;
	json_t *details, *dj, *confirmed;
	char *details_s, *decision_s, *confirmed_s, *route_s;
	sk_decision_made made;
	sk_notify_whoms told; /* waiting_audience: the approvers and the deputies */
	/*
	 * The request as answered and its audit image, both but for the id the
	 * insert gives: the image's canonical text is head, the id, then tail;
	 * the answer's text ahead, the id, then atail.
	 */
	req_row built;
	sk_buf head, tail, ahead, atail;
};

/* The filing's first step, and the comment of its approval when none is needed. */
static const char *first_step(const sk_request_prepared *p)
{
	return p->emergency ? "report" : "file";
}

static const char *auto_comment(const sk_request_prepared *p)
{
	return p->decided ? "no approval needed (the policy's decision)"
	                  : "recorded (no approval needed)";
}

/* Frees what prepare_into filled, keeping the input. */
static void prepared_clear(sk_request_prepared *p)
{
	sk_decision_made_free(&p->made);
	sk_decision_made_init(&p->made);
	json_decref(p->details);
	json_decref(p->dj);
	json_decref(p->confirmed);
	p->details = p->dj = p->confirmed = NULL;
	free(p->details_s);
	free(p->decision_s);
	free(p->confirmed_s);
	free(p->route_s);
	p->details_s = p->decision_s = p->confirmed_s = p->route_s = NULL;
	sk_notify_whoms_free(&p->told);
	req_row_free(&p->built);
	sk_buf *bufs[] = {&p->head, &p->tail, &p->ahead, &p->atail};
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++) {
		sk_buf_free(bufs[i]);
		sk_buf_init(bufs[i], IMAGE_TEXT_MAX);
	}
}

void sk_request_prepared_free(sk_request_prepared *p)
{
	if (!p)
		return;
	prepared_clear(p);
	sk_decision_made_free(&p->made);
	free(p->kind);
	free(p->reason);
	json_decref(p->details_in);
	json_decref(p->safeguards_in);
	free(p);
}

/*
 * The filed request as sk_request_get would read it back, built from what
 * was written (the answer and the audit image need no read after the
 * write), for req_text: its JSON columns are the stored canonical texts
 * (details_s, decision_s, confirmed_s), which the image embeds, and the
 * answer shows details and the decision as the filing holds them (their
 * members in the order given: details as the client sent them).
 */
static sk_err filed_row(sk_ctx *c, req_row *r, const sk_request_prepared *p, const char *status,
                        sk_buf *err)
{
	const char *until = jstr(p->details, "until");
	memset(r, 0, sizeof(*r));
	r->found = r->bare = true;
	r->unit_id = p->home.id;
	r->asset_id = p->asset_id;
	r->approver_unit = p->approver_unit;
	r->requester_id = c->actor->user_id;
	r->kind = strdup(p->kind);
	r->status = strdup(status);
	r->approver_role = p->approver == SK_ROLE_NONE ? NULL : strdup(sk_role_name(p->approver));
	r->route = strdup(p->route_s);
	r->period_until = until ? strdup(until) : NULL;
	r->requester = strdup(c->actor->login);
	r->unit_code = strdup(p->home.code);
	r->reason = strdup(p->reason);
	r->emergency = p->emergency;
	r->created_at = r->updated_at = p->now;
	r->json_text[0] = strdup(p->details_s);
	r->json_text[1] = p->decision_s ? strdup(p->decision_s) : NULL;
	r->json_text[2] = strdup(p->confirmed_s);
	/* The answer's own text only where its order is not the canonical one. */
	bool details_sorted = sk_json_compact_is_canonical(p->details),
	     dj_sorted = !p->dj || sk_json_compact_is_canonical(p->dj);
	r->col_api[0] = details_sorted ? NULL : sk_json_compact_str(p->details);
	r->col_api[1] = dj_sorted ? NULL : sk_json_compact_str(p->dj);
	if (!r->kind || !r->status || !r->route ||
	    (p->approver != SK_ROLE_NONE && !r->approver_role) || (until && !r->period_until) ||
	    !r->requester || !r->unit_code || !r->reason || !r->json_text[0] ||
	    (p->decision_s && !r->json_text[1]) || !r->json_text[2] ||
	    (!details_sorted && !r->col_api[0]) || (!dj_sorted && !r->col_api[1]))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

/*
 * Checks, decides and routes p's input for c's actor, reading only. On a
 * refusal by the policy p->dj still holds the decision (its citations).
 */
static sk_err prepare_into(sk_ctx *c, sk_request_prepared *p, sk_buf *err)
{
	prepared_clear(p);
	p->gen = 0;
	p->again = false;
	if (!c->actor->user_id)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_REQ_BY_ACCOUNT);
	const sk_schema *ds = sk_schema_request_details(p->kind);
	if (!ds)
		return sk_fail_msg(err, SK_ERR_INVALID, "kind", title("kind"),
		                   SK_M_REQ_KIND_UNKNOWN_LIST, p->kind ? p->kind : "");
	if (!p->reason || !p->reason[strspn(p->reason, " \t\r\n")])
		return sk_fail_msg(err, SK_ERR_INVALID, "reason", title("reason"),
		                   SK_M_REQ_REASON_REQUIRED);
	const sk_field *rf = sk_schema_field(&sk_schema_request, "reason");
	sk_err e = sk_schema_check_text(rf, p->reason, strlen(p->reason), err);
	if (e)
		return e;
	if (!json_is_object(p->details_in))
		return sk_fail_msg(err, SK_ERR_INVALID, "details", title("details"),
		                   SK_M_REQ_DETAILS_OBJECT);
	json_t *details = p->details = json_deep_copy(p->details_in);
	if (!details)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if ((e = check_fields(ds, SK_SCHEMA_CREATE, details, "details", err)))
		return e;
	const char *from = jstr(details, "from"), *until = jstr(details, "until");
	if (from && until && strcmp(from, until) > 0)
		return sk_fail_msg(err, SK_ERR_INVALID, "until", "終了日",
		                   SK_M_REQ_UNTIL_BEFORE_FROM, until, from);
	bool exception = strcmp(p->kind, "exception") == 0;
	bool emergency = p->emergency =
	    exception && json_is_true(json_object_get(details, "emergency"));
	const sk_policy *pol = NULL;
	const sk_scope *sc = NULL;
	if ((e = sk_ctx_policy(c, &pol, err)))
		return e;
	if (!pol)
		return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_REQ_NO_PROFILE);
	if ((e = sk_ctx_scope(c, &sc, err)))
		return e;
	/* Read before anything of the requester: see struct sk_request_prepared. */
	p->gen = sc ? sc->gen : 0;
	/*
	 * The organization view of the generation p records, the one view all of
	 * p's routing reads (nothing below reads another on this store).
	 */
	const sk_orgview *ov = NULL;
	if ((e = org_view(c, p->gen, &ov, err)))
		return e;
	/* The requester's unit: their account's (and its code, for the answer). */
	struct home_unit *home = &p->home;
	memset(home, 0, sizeof(*home));
	{
		/* From the view; an account it does not know yet, from the database. */
		const char *code = NULL;
		if (sk_orgview_home(ov, c->actor->user_id, &home->id, &code)) {
			if (code)
				snprintf(home->code, sizeof(home->code), "%s", code);
		} else {
			sk_val v[] = {SK_VINT(c->actor->user_id)};
			e = sk_store_query(
			    c->store,
			    "SELECT u.unit_id, o.code FROM users u JOIN org_unit o ON "
			    "o.id = u.unit_id WHERE u.id = ? AND u.status = 'active'",
			    v, 1, take_requester_unit, home, err);
		}
		if (!e && !home->id)
			e = sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_REQ_ACCOUNT_INACTIVE);
		if (e)
			return e;
	}
	int64_t unit = home->id;
	if ((e = sk_authz_require_cap(c, SK_CAP_REQUEST_FILE, unit, err)))
		return e;
	int act = kind_action(p->kind);
	if (exception && jstr(details, "action")) {
		sk_action a;
		if (sk_action_parse(jstr(details, "action"), &a) != SK_OK)
			return sk_fail_msg(err, SK_ERR_INVALID, "action", "行為",
			                   SK_M_REQ_ACTION_UNKNOWN, jstr(details, "action"));
		act = (int)a;
	}
	p->act = act;
	if (strcmp(p->kind, "dispose") == 0 && !p->asset_id)
		return sk_fail_msg(err, SK_ERR_INVALID, "asset_id", title("asset_id"),
		                   SK_M_REQ_DISPOSE_ASSET);
	if (p->asset_id && act < 0) {
		/* A record kind still names a real asset when it names one. */
		int64_t k = 0;
		sk_val v[] = {SK_VINT(p->asset_id)};
		p->again = true;
		if (sk_store_query_int(c->store, "SELECT unit_id FROM assets WHERE id = ?", v, 1,
		                       &k, err) != SK_OK ||
		    !sk_authz_can(c, SK_CAP_ASSET_READ, k))
			return sk_fail_msg(err, SK_ERR_NOT_FOUND, "asset_id", title("asset_id"),
			                   SK_M_REQ_ASSET_NONE, (long long)p->asset_id);
	}
	uint32_t roles = sc ? sc->roles : 0;
	sk_decision d;
	memset(&d, 0, sizeof(d));
	d.approver = SK_ROLE_NONE;
	bool decided = p->decided = act >= 0;
	if (decided && (e = decide(c, pol, (sk_action)act, p->asset_id, unit, roles, &p->made, &d,
	                           &p->dj, &p->decision_s, err)))
		return e;
	json_t *dj = p->dj;
	/* Who approves, and whether the request is refused outright. */
	sk_role route[ROUTE_MAX];
	size_t nroute = 0;
	bool any_of = false;
	const sk_exception_route *xr = sk_policy_exception_route(pol);
	if (exception) {
		if (xr) {
			route[nroute++] = xr->approver; /* 成田 基準 6(5)①: the CISO's permission */
		} else if (!refused_outright(true, decided, &d, xr)) {
			for (unsigned i = 0; i < d.n_approvers && nroute < ROUTE_MAX; i++)
				route[nroute++] = d.approvers[i];
			any_of = d.approver_mode == SK_APPROVE_ANY_OF;
		} else {
			sk_buf cites = SK_BUF_INIT(SK_BUF_MSG_MAX);
			if (dj)
				citations_text(dj, &cites);
			e = cites.len ? sk_fail_msg(err, SK_ERR_FORBIDDEN_BY_POLICY, "kind",
			                            title("kind"), SK_M_REQ_NO_EXCEPTION_CITED,
			                            cites.data)
			              : sk_fail_msg(err, SK_ERR_FORBIDDEN_BY_POLICY, "kind",
			                            title("kind"), SK_M_REQ_NO_EXCEPTION);
			sk_buf_free(&cites);
			return e;
		}
		if (emergency && !(xr && xr->report_afterwards))
			return sk_fail_msg(err, SK_ERR_INVALID, "emergency", "緊急",
			                   SK_M_REQ_NO_EMERGENCY);
	} else if (refused_outright(false, decided, &d, xr)) {
		sk_buf cites = SK_BUF_INIT(SK_BUF_MSG_MAX);
		citations_text(dj, &cites);
		e = sk_fail_msg(err, SK_ERR_FORBIDDEN_BY_POLICY, "kind", title("kind"),
		                d.exception_possible ? SK_M_REQ_FORBIDDEN_EXCEPTION
		                                     : SK_M_REQ_FORBIDDEN,
		                p->kind, kind_ja(p->kind), cites.data ? cites.data : "");
		sk_buf_free(&cites);
		return e;
	} else if (strcmp(p->kind, "policy_activation") == 0) {
		/* The CISO approves a policy version, whatever the profile (policyver.h). */
		json_t *v = json_object_get(details, "version");
		const char *kinds = jstr(details, "units_of_kind");
		p->again = true;
		/* With units_of_kind, a change of the policy set (policyset.h). */
		if ((e = kinds ? sk_policyset_check_request(c->store, json_integer_value(v), kinds,
		                                            err)
		               : sk_policyver_check_activatable(c->store, json_integer_value(v),
		                                                err)))
			return e;
		route[nroute++] = SK_ROLE_CISO;
	} else if (decided &&
	           (d.decision == SK_DEC_REQUIRE_APPROVAL || d.decision == SK_DEC_FORBID)) {
		for (unsigned i = 0; i < d.n_approvers && nroute < ROUTE_MAX; i++)
			route[nroute++] = d.approvers[i];
		any_of = d.approver_mode == SK_APPROVE_ANY_OF;
	}
	/* Every safeguard the decision lists is confirmed by the requester. */
	json_t *confirmed = p->confirmed = json_array();
	if (!confirmed)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	{
		size_t i;
		json_t *v;
		json_array_foreach (p->safeguards_in, i, v) {
			sk_safeguard sg;
			if (!json_is_string(v) || sk_safeguard_parse(json_string_value(v), &sg))
				return sk_fail_msg(
				    err, SK_ERR_INVALID, "safeguards_confirmed",
				    title("safeguards_confirmed"), SK_M_REQ_SAFEGUARD_UNKNOWN,
				    json_string_value(v) ? json_string_value(v) : "");
			json_array_append(confirmed, v);
		}
		json_array_foreach (json_object_get(dj, "safeguards"), i, v) {
			bool have = false;
			size_t k;
			json_t *w;
			json_array_foreach (confirmed, k, w)
				have = have || json_equal(v, w);
			if (!have)
				return sk_fail_msg(
				    err, SK_ERR_INVALID, "safeguards_confirmed",
				    title("safeguards_confirmed"), SK_M_REQ_SAFEGUARD_NOT_CONFIRMED,
				    json_string_value(v),
				    sk_policy_city_short(pol) ? sk_policy_city_short(pol) : "");
		}
	}
	/* Routing in the requester's chain of command. */
	int64_t chain[CHAIN_MAX];
	size_t nchain = 0;
	int64_t approver_unit = 0;
	sk_role approver = SK_ROLE_NONE;
	if (nroute && (e = sk_orgview_line(ov, unit, chain, &nchain)))
		return e;
	if (nroute) {
		size_t first = 0;
		for (size_t i = 0; i < nroute; i++) {
			approver_unit = holder_unit(ov, route[i], chain, nchain, c->actor->user_id);
			if (approver_unit || !any_of) {
				first = i;
				break;
			}
		}
		approver = route[first];
		if (!approver_unit) {
			return sk_fail_msg(err, SK_ERR_CONFLICT, "approver_role", NULL,
			                   SK_M_REQ_UNROUTABLE,
			                   sk_policy_role_title(pol, approver, SK_LANG_JA),
			                   sk_role_name(approver));
		}
		/* all_of: every later approver must have a holder too, or the request would stall.
		 */
		for (size_t i = first + 1; !any_of && i < nroute; i++) {
			if (!holder_unit(ov, route[i], chain, nchain, c->actor->user_id)) {
				return sk_fail_msg(err, SK_ERR_CONFLICT, "approver_role", NULL,
				                   SK_M_REQ_UNROUTABLE,
				                   sk_policy_role_title(pol, route[i], SK_LANG_JA),
				                   sk_role_name(route[i]));
			}
		}
		if (!any_of) {
			nroute = nroute - first - 1;
			memmove(route, route + first + 1, nroute * sizeof(route[0]));
		}
	}
	p->approver = approver;
	p->approver_unit = approver_unit;
	/*
	 * route: the roles still to approve after the current one (all_of, an
	 * array), or {"any_of": [...]}: every role of the rule, any of whose
	 * holders in the requester's chain may decide (八王子 16(10) 「情報セキュリティ
	 * 管理者又は情報システム管理者」).
	 */
	json_t *rest = json_array();
	for (size_t i = 0; rest && i < nroute; i++)
		json_array_append_new(rest, json_string(sk_role_name(route[i])));
	if (rest && any_of && nroute > 1)
		rest = json_pack("{s:o}", "any_of", rest);
	else if (rest && any_of)
		json_array_clear(rest);
	p->details_s = sk_json_canonical_str(details);
	/* p->decision_s: decide's canonical text of dj. */
	p->confirmed_s = sk_json_canonical_str(confirmed);
	p->route_s = rest ? sk_json_canonical_str(rest) : NULL;
	json_decref(rest);
	if (!p->details_s || (dj && !p->decision_s) || !p->confirmed_s || !p->route_s)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	/* Whom the filing will tell: read here, with the routing, under the same generation. */
	if (approver != SK_ROLE_NONE) {
		req_row w;
		char role[48], pending[] = "pending";
		snprintf(role, sizeof(role), "%s", sk_role_name(approver));
		memset(&w, 0, sizeof(w));
		w.status = pending;
		w.approver_role = role;
		w.approver_unit = approver_unit;
		w.requester_id = c->actor->user_id;
		w.unit_id = unit;
		w.route = p->route_s;
		if ((e = waiting_audience(c, ov, &w, true, &p->told, err)))
			return e;
	}
	p->now = sk_clock_now();
	/* The request as it will be answered and recorded, but for its id (write_prepared). */
	steps_text st;
	steps_text_init(&st);
	if (steps_text_add(&st, p->now, c->actor->login, first_step(p), NULL, false) ||
	    (approver == SK_ROLE_NONE &&
	     steps_text_add(&st, p->now, c->actor->login, "approve", auto_comment(p), false)) ||
	    steps_text_close(&st))
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if (!e)
		e = filed_row(c, &p->built, p, approver == SK_ROLE_NONE ? "approved" : "pending",
		              err);
	char today[11];
	today_jst(today);
	req_extra image = {.steps = st.sorted.data,
	                   .record = p->made.asset_id ? p->made.image.data : NULL,
	                   .today = today},
	          answer = {.steps = st.api.data, .today = today};
	if (!e && (req_text(&p->built, true, &image, &p->head, &p->tail) ||
	           req_text(&p->built, false, &answer, &p->ahead, &p->atail)))
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	steps_text_free(&st);
	return e;
}

sk_err sk_request_prepare(sk_ctx *c, const sk_request_new *in, sk_request_prepared **out,
                          sk_buf *err)
{
	*out = NULL;
	if (in->decision_out)
		*in->decision_out = NULL;
	sk_request_prepared *p = calloc(1, sizeof(*p));
	if (!p)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	sk_decision_made_init(&p->made);
	p->asset_id = in->asset_id;
	p->kind = in->kind ? strdup(in->kind) : NULL;
	p->reason = in->reason ? strdup(in->reason) : NULL;
	/* Copies: the commit may run on another thread while the caller's values live on. */
	p->details_in = in->details ? json_deep_copy(in->details) : NULL;
	p->safeguards_in =
	    in->safeguards_confirmed ? json_deep_copy(in->safeguards_confirmed) : NULL;
	sk_err e = (in->kind && !p->kind) || (in->reason && !p->reason) ||
	                   (in->details && !p->details_in) ||
	                   (in->safeguards_confirmed && !p->safeguards_in)
	               ? sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM)
	               : prepare_into(c, p, err);
	if (in->decision_out && p->dj)
		*in->decision_out = json_incref(p->dj);
	if (e)
		sk_request_prepared_free(p);
	else
		*out = p;
	return e;
}

/*
 * Whether p, prepared outside this transaction, still stands in it (see
 * struct sk_request_prepared); if not, c's actor's scope is read again.
 */
static sk_err still_stands(sk_ctx *c, const sk_request_prepared *p, bool *yes, sk_buf *err)
{
	*yes = false;
	int64_t gen = 0;
	if (p->again || !p->gen)
		return SK_OK;
	sk_err e = sk_store_query_int(c->store, "SELECT n FROM authz_generation WHERE id = 1", NULL,
	                              0, &gen, err);
	if (e || gen != p->gen)
		return e;
	if (!p->made.asset_id) {
		*yes = true;
		return SK_OK;
	}
	return sk_decision_still_holds(c, &p->made, yes, err);
}

/* Writes p in c's store, in one transaction with its audit entry (prepared as it stands). */
static sk_err write_prepared(sk_ctx *c, sk_request_prepared *p, int64_t *id_out,
                             json_t **request_out, sk_buf *text, sk_buf *err)
{
	const char *status = p->approver == SK_ROLE_NONE ? "approved" : "pending";
	int act = p->act;
	int64_t now = p->now, id = 0;
	sk_err e = SK_OK;
	{
		sk_val v[] = {
		    sk_vtext(p->kind),
		    sk_vtext(status),
		    SK_VINT(c->actor->user_id),
		    sk_vtext(c->actor->login),
		    SK_VINT(p->home.id),
		    p->asset_id ? SK_VINT(p->asset_id) : SK_VNULL,
		    act >= 0 ? sk_vtext(sk_action_name((sk_action)act)) : SK_VNULL,
		    sk_vtext(p->reason),
		    sk_vtext(p->details_s),
		    sk_vtext(p->decision_s),
		    sk_vtext(p->confirmed_s),
		    p->approver == SK_ROLE_NONE ? SK_VNULL : sk_vtext(sk_role_name(p->approver)),
		    sk_vtext(p->route_s),
		    p->approver_unit ? SK_VINT(p->approver_unit) : SK_VNULL,
		    SK_VINT(p->emergency ? 1 : 0),
		    sk_vtext(jstr(p->details, "from")),
		    sk_vtext(jstr(p->details, "until")),
		    SK_VINT(now),
		    SK_VINT(now),
		    p->approver == SK_ROLE_NONE ? SK_VINT(now) : SK_VNULL,
		};
		e = sk_store_insert(
		    c->store,
		    "INSERT INTO requests (kind, status, requester_id, requester, unit_id, "
		    "asset_id, action, reason, details, decision, safeguards_confirmed, "
		    "approver_role, route, approver_unit, emergency, period_from, period_until, "
		    "created_at, updated_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		    "?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    v, sizeof(v) / sizeof(v[0]), &id, err);
	}
	/*
	 * The decision is recorded by the filing's own audit entry (its image's
	 * "decision_record"); a 機密性3 asset's read keeps its entry.
	 */
	if (!e && p->made.asset_id && p->made.record_read)
		e = sk_asset_record_read(c, p->made.asset_id, err);
	if (!e)
		e = add_step_at(c, id, now, first_step(p), NULL, false, err);
	if (!e && p->approver == SK_ROLE_NONE)
		e = add_step_at(c, id, now, "approve", auto_comment(p), false, err);
	/* The prepared answer and image take the id (its digits written without printf). */
	req_row built = p->built;
	memset(&p->built, 0, sizeof(p->built));
	built.id = id;
	sk_buf image = SK_BUF_INIT(IMAGE_TEXT_MAX), answer = SK_BUF_INIT(IMAGE_TEXT_MAX);
	if (!e && (sk_buf_add(&image, p->head.data, p->head.len) || sk_buf_add_int(&image, id) ||
	           sk_buf_add(&image, p->tail.data, p->tail.len) ||
	           sk_buf_add(&answer, p->ahead.data, p->ahead.len) ||
	           sk_buf_add_int(&answer, id) || sk_buf_add(&answer, p->atail.data, p->atail.len)))
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	e = finish_image(c, id, "request.file", NULL, NULL, WHO_NONE, e ? NULL : &built, NULL,
	                 image.data, &answer, &p->told, e, request_out, text, err);
	sk_buf_free(&image);
	sk_buf_free(&answer);
	req_row_free(&built);
	if (!e && id_out)
		*id_out = id;
	return e;
}

sk_err sk_request_commit(sk_ctx *c, sk_request_prepared *p, int64_t *id_out, json_t **request_out,
                         json_t **decision_out, sk_buf *text, sk_buf *err)
{
	if (id_out)
		*id_out = 0;
	if (request_out)
		*request_out = NULL;
	if (decision_out)
		*decision_out = NULL;
	if (!p)
		return sk_fail_msg(err, SK_ERR_INTERNAL, NULL, NULL, SK_M_FAULT_INTERNAL,
		                   "no prepared filing");
	sk_err e = sk_store_begin(c->store, err);
	if (e)
		return e;
	bool stands = false;
	if ((e = still_stands(c, p, &stands, err))) {
		sk_store_rollback(c->store);
		return e;
	}
	if (stands) {
		e = write_prepared(c, p, id_out, request_out, text, err);
	} else {
		/*
		 * Something it was prepared from changed: prepared again, in this
		 * transaction, with the actor's scope read again (unless c's was
		 * read under the generation that now stands).
		 */
		int64_t gen = 0;
		sk_actor a = *c->actor;
		if (sk_store_query_int(c->store, "SELECT n FROM authz_generation WHERE id = 1",
		                       NULL, 0, &gen, NULL) != SK_OK ||
		    !c->scope || c->scope->gen != gen)
			a.scope = NULL;
		sk_ctx again;
		sk_ctx_init(&again, c->store, c->policy, &a);
		again.lang = c->lang;
		e = prepare_into(&again, p, err);
		if (!e)
			e = write_prepared(&again, p, id_out, request_out, text, err);
		else
			sk_store_rollback(c->store);
		sk_ctx_fini(&again);
	}
	if (decision_out && p->dj)
		*decision_out = json_incref(p->dj);
	return e;
}

sk_err sk_request_file(sk_ctx *c, const sk_request_new *in, int64_t *id_out, sk_buf *err)
{
	if (id_out)
		*id_out = 0;
	if (in->request_out)
		*in->request_out = NULL;
	sk_request_prepared *p = NULL;
	sk_err e = sk_request_prepare(c, in, &p, err);
	if (e)
		return e;
	if (in->decision_out) {
		json_decref(*in->decision_out);
		*in->decision_out = NULL;
	}
	e = sk_request_commit(c, p, id_out, in->request_out, in->decision_out, NULL, err);
	sk_request_prepared_free(p);
	return e;
}

/* --- before filing --- */

bool sk_request_kind_decided(const char *kind)
{
	return kind && (strcmp(kind, "exception") == 0 || kind_action(kind) >= 0);
}

sk_err sk_request_preview(sk_ctx *c, const char *kind, int64_t asset_id, const char *action,
                          json_t **out, bool *refused, sk_buf *err)
{
	*out = NULL;
	*refused = false;
	if (!sk_schema_request_details(kind))
		return sk_fail_msg(err, SK_ERR_INVALID, "kind", title("kind"),
		                   SK_M_REQ_KIND_UNKNOWN, kind ? kind : "");
	bool exception = strcmp(kind, "exception") == 0;
	int act = kind_action(kind);
	if (exception && action && *action) {
		sk_action a;
		if (sk_action_parse(action, &a) != SK_OK)
			return sk_fail_msg(err, SK_ERR_INVALID, "action", "行為",
			                   SK_M_REQ_ACTION_UNKNOWN, action);
		act = (int)a;
	}
	const sk_policy *pol = NULL;
	const sk_scope *sc = NULL;
	sk_err e = sk_ctx_policy(c, &pol, err);
	if (!e && !pol)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_REQ_NO_PROFILE);
	if (!e)
		e = sk_ctx_scope(c, &sc, err);
	if (e || act < 0) {
		/* A kind without a decision (zone_entry …): an exception's refusal still shows. */
		if (!e && exception)
			*refused =
			    refused_outright(true, false, NULL, sk_policy_exception_route(pol));
		return e;
	}
	uint32_t roles = sc ? sc->roles : 0;
	sk_decision d;
	memset(&d, 0, sizeof(d));
	d.approver = SK_ROLE_NONE;
	sk_decision_made made;
	sk_decision_made_init(&made);
	json_t *dj = NULL;
	/* The requester's unit, whose documents decide (policyset.h); none for the operator. */
	int64_t unit = 0;
	if (!c->actor->superuser && c->actor->user_id &&
	    sk_store_query_int(c->store, "SELECT unit_id FROM users WHERE id = ?",
	                       (sk_val[]){SK_VINT(c->actor->user_id)}, 1, &unit, NULL) != SK_OK)
		unit = 0;
	char *canon = NULL;
	e = decide(c, pol, (sk_action)act, asset_id, unit, roles, &made, &d, &dj, &canon, err);
	free(canon);
	/* Handed out, so on record first (as POST /api/v1/decisions records it). */
	if (!e && made.asset_id)
		e = sk_decision_record(c, &made, err);
	sk_decision_made_free(&made);
	if (e) {
		json_decref(dj);
		return e;
	}
	*refused = refused_outright(exception, true, &d, sk_policy_exception_route(pol));
	*out = dj;
	return SK_OK;
}

bool sk_request_overdue(const json_t *r, int days, int64_t now)
{
	const char *status = json_string_value(json_object_get(r, "status"));
	const char *at = json_string_value(json_object_get(r, "created_at"));
	int64_t us = 0;
	if (!status || strcmp(status, "pending") != 0 || !at || sk_clock_parse_us(at, &us))
		return false;
	return us / 1000000 < now - (int64_t)days * 86400;
}

/* --- decisions --- */

/*
 * The request as an approval or a rejection left it, built from was (read
 * before the step, in its transaction) and what the step wrote, for
 * req_text (its steps are req_text's extra): status (NULL: unchanged), or
 * for an all_of route the next approver (role at unit) and the route still
 * to go.
 */
static char *dup_maybe(const char *s, bool *failed)
{
	char *d = s ? strdup(s) : NULL;
	*failed = *failed || (s && !d);
	return d;
}

static sk_err decided_row(req_row *r, const req_row *was, const char *status, const char *role,
                          int64_t unit, const char *route, const char *by, bool deputy, int64_t now,
                          sk_buf *err)
{
	bool failed = false;
	*r = *was;
	r->hint = NULL;
	r->j = NULL;
	r->bare = true;
	r->kind = dup_maybe(was->kind, &failed);
	r->status = dup_maybe(status ? status : was->status, &failed);
	r->approver_role = dup_maybe(role ? role : was->approver_role, &failed);
	r->route = dup_maybe(route ? route : was->route, &failed);
	r->period_until = dup_maybe(was->period_until, &failed);
	r->requester = dup_maybe(was->requester, &failed);
	r->unit_code = dup_maybe(was->unit_code, &failed);
	r->reason = dup_maybe(was->reason, &failed);
	r->decided_by = dup_maybe(status ? by : was->decided_by, &failed);
	for (size_t k = 0; k < N_JSON_COLS; k++) {
		r->json_text[k] = dup_maybe(was->json_text[k], &failed);
		r->col_api[k] = dup_maybe(was->col_api[k], &failed);
		r->col_sorted[k] = dup_maybe(was->col_sorted[k], &failed);
	}
	if (failed)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if (status)
		r->deputy = deputy;
	else
		r->approver_unit = unit;
	r->updated_at = now;
	return SK_OK;
}

/* --- a step prepared, then written --- */

/*
 * An approval or rejection planned on a reading connection (plan_decision)
 * and written on the writer's (apply_decision), as a filing is: the row
 * read, the next approver found, the answer and both audit images rendered
 * and whom to tell found ahead; the write only updates the row (guarded by
 * the state it was read in), adds the step and appends the images. Other
 * steps (withdraw, complete) are taken whole by the commit (full).
 */
struct sk_request_step_prepared {
	sk_request_step step;
	int64_t id;
	char *comment;
	json_t *fields;
	bool full;
	int64_t gen;
	req_row r, built; /* the request as read, and as the step leaves it */
	who_kind who;
	int64_t now;
	sk_buf before, after; /* the audit images' canonical texts */
	sk_buf answer;        /* the request as the step leaves it, as answered (JSON text) */
	sk_notify_whoms told;
};

void sk_request_step_prepared_free(sk_request_step_prepared *p)
{
	if (!p)
		return;
	free(p->comment);
	json_decref(p->fields);
	req_row_free(&p->built);
	req_row_free(&p->r);
	sk_buf_free(&p->before);
	sk_buf_free(&p->after);
	sk_buf_free(&p->answer);
	sk_notify_whoms_free(&p->told);
	free(p);
}

/* Plans p's approval or rejection for c's actor, reading only (decide_request's checks). */
static sk_err plan_decision(sk_ctx *c, sk_request_step_prepared *p, sk_buf *err)
{
	bool approve = p->step == SK_REQUEST_APPROVE;
	const char *comment = p->comment;
	if (!approve && (!comment || !comment[strspn(comment, " \t\r\n")]))
		return sk_fail_msg(err, SK_ERR_INVALID, "comment", "却下の理由",
		                   SK_M_REQ_COMMENT_REJECT);
	sk_err e = SK_OK;
	if (comment) {
		const sk_field *f = sk_schema_field(&sk_schema_request_reject, "comment");
		if ((e = sk_schema_check_text(f, comment, strlen(comment), err)))
			return e;
	}
	const sk_scope *sc = NULL;
	if ((e = sk_ctx_scope(c, &sc, err)))
		return e;
	p->gen = sc ? sc->gen : 0; /* before the reads it covers */
	req_row *r = &p->r;
	/* Of the generation p records: the write checks it still stands (org_view). */
	const sk_orgview *v = NULL;
	if ((e = org_view(c, p->gen, &v, err)) ||
	    (e = load_visible(c, v, p->id, r, &p->who, true, err)))
		return e;
	if (p->who == WHO_REQUESTER)
		return sk_fail_msg(err, SK_ERR_SELF_APPROVAL, NULL, NULL, SK_M_REQ_SELF_APPROVAL);
	if (p->who != WHO_DECIDER && p->who != WHO_DEPUTY)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_REQ_NONE,
		                   (long long)p->id);
	if (strcmp(r->status, "pending") != 0)
		return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_REQ_NOT_PENDING,
		                   (long long)p->id, r->status, status_ja(r->status));
	int64_t now = p->now = sk_clock_now();
	bool deputy = p->who == WHO_DEPUTY;
	json_t *rest = json_loads(r->route, 0, NULL);
	if (approve && json_array_size(rest) > 0) {
		/* all_of: the next approver in the requester's chain, as decide_request finds it.
		 */
		const char *next = json_string_value(json_array_get(rest, 0));
		char next_role[32] = "";
		if (next)
			snprintf(next_role, sizeof(next_role), "%s", next);
		sk_role role = SK_ROLE_NONE;
		int64_t chain[CHAIN_MAX], unit = 0;
		size_t n = 0;
		json_array_remove(rest, 0);
		char *rest_s = sk_json_canonical_str(rest);
		if (!next || sk_role_parse(next_role, &role) || !rest_s)
			e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_FAULT_CORRUPT,
			                "a request has a bad route");
		if (!e)
			e = sk_orgview_line(v, r->unit_id, chain, &n);
		if (!e)
			unit = holder_unit(v, role, chain, n, r->requester_id);
		if (!e && !unit)
			e = sk_fail_msg(err, SK_ERR_CONFLICT, "approver_role", NULL,
			                SK_M_REQ_NO_HOLDER_ANY_MORE, next_role);
		if (!e)
			e = decided_row(&p->built, r, NULL, next_role, unit, rest_s,
			                c->actor->login, false, now, err);
		free(rest_s);
	} else {
		e = decided_row(&p->built, r, approve ? "approved" : "rejected", NULL, 0, NULL,
		                c->actor->login, deputy, now, err);
	}
	json_decref(rest);
	if (e)
		return e;
	/* Still in the actor's sight afterwards (finish's rule), or the step is not taken. */
	who_kind after = p->who;
	if (!same_routing(r, &p->built) && (e = who_is(c, v, &p->built, &after, err)))
		return e;
	if (after == WHO_NONE)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_REQ_NONE,
		                   (long long)p->id);
	/* The steps as the write leaves them: those on record, then this one. */
	steps_text st;
	steps_text_init(&st);
	e = read_steps_text(c->store, p->id, &st, err);
	if (!e && (steps_text_add(&st, now, c->actor->login, approve ? "approve" : "reject",
	                          comment && *comment ? comment : NULL, deputy) ||
	           steps_text_close(&st)))
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	char today[11];
	today_jst(today);
	req_extra bare = {.today = today}, image = {.steps = st.sorted.data, .today = today},
	          answer = {.steps = st.api.data, .today = today};
	sk_buf_init(&p->before, IMAGE_TEXT_MAX);
	sk_buf_init(&p->after, IMAGE_TEXT_MAX);
	sk_buf_init(&p->answer, IMAGE_TEXT_MAX);
	if (!e && (req_text(r, true, &bare, &p->before, NULL) ||
	           req_text(&p->built, true, &image, &p->after, NULL) ||
	           req_text(&p->built, false, &answer, &p->answer, NULL)))
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	steps_text_free(&st);
	return e ? e : waiting_audience(c, v, &p->built, false, &p->told, err);
}

/* A step to take on request id, with copies of its input (the commit may run on another thread). */
static sk_err step_new(sk_request_step step, int64_t id, const char *comment, json_t *fields,
                       sk_request_step_prepared **out, sk_buf *err)
{
	*out = NULL;
	sk_request_step_prepared *p = calloc(1, sizeof(*p));
	if (!p) {
		sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		return SK_ERR_NOMEM;
	}
	p->step = step;
	p->id = id;
	p->comment = comment ? strdup(comment) : NULL;
	p->fields = fields ? json_deep_copy(fields) : NULL;
	if ((comment && !p->comment) || (fields && !p->fields)) {
		sk_request_step_prepared_free(p);
		sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		return SK_ERR_NOMEM;
	}
	*out = p;
	return SK_OK;
}

sk_err sk_request_take_prepare(sk_ctx *c, sk_request_step step, int64_t id, const char *comment,
                               json_t *fields, sk_request_step_prepared **out, sk_buf *err)
{
	sk_request_step_prepared *p = NULL;
	sk_err e = step_new(step, id, comment, fields, &p, err);
	if (e)
		return e;
	if (step == SK_REQUEST_APPROVE || step == SK_REQUEST_REJECT)
		e = plan_decision(c, p, err);
	else
		p->full = true;
	if (e)
		sk_request_step_prepared_free(p);
	else
		*out = p;
	return e;
}

/*
 * Writes p's plan in one transaction: *stale (nothing written) when the
 * authorization generation moved or the request is no longer in the state
 * it was planned from.
 */
static sk_err apply_decision(sk_ctx *c, sk_request_step_prepared *p, bool check_gen, bool *stale,
                             json_t **out, sk_buf *text, sk_buf *err)
{
	*stale = false;
	bool approve = p->step == SK_REQUEST_APPROVE, deputy = p->who == WHO_DEPUTY;
	const req_row *r = &p->r, *b = &p->built;
	sk_err e = sk_store_begin(c->store, err);
	if (e)
		return e;
	int64_t gen = 0, changed = 0;
	if (check_gen &&
	    (!p->gen ||
	     (e = sk_store_query_int(c->store, "SELECT n FROM authz_generation WHERE id = 1", NULL,
	                             0, &gen, err)) ||
	     gen != p->gen)) {
		sk_store_rollback(c->store);
		*stale = !e;
		return e;
	}
	if (b->status && strcmp(b->status, "pending") == 0) {
		sk_val v[] = {sk_vtext(b->approver_role),
		              SK_VINT(b->approver_unit),
		              sk_vtext(b->route),
		              SK_VINT(p->now),
		              SK_VINT(p->id),
		              sk_vtext(r->approver_role),
		              r->approver_unit ? SK_VINT(r->approver_unit) : SK_VNULL,
		              sk_vtext(r->route)};
		e = sk_store_exec(
		    c->store,
		    "UPDATE requests SET approver_role = ?, approver_unit = ?, route = ?, "
		    "updated_at = ? WHERE id = ? AND status = 'pending' AND approver_role IS NOT "
		    "DISTINCT FROM ? AND approver_unit IS NOT DISTINCT FROM ? AND route IS NOT "
		    "DISTINCT FROM ?",
		    v, 8, &changed, err);
	} else {
		sk_val v[] = {sk_vtext(b->status),
		              sk_vtext(c->actor->login),
		              SK_VINT(deputy),
		              SK_VINT(p->now),
		              SK_VINT(p->now),
		              SK_VINT(p->id),
		              sk_vtext(r->approver_role),
		              r->approver_unit ? SK_VINT(r->approver_unit) : SK_VNULL,
		              sk_vtext(r->route)};
		e = sk_store_exec(
		    c->store,
		    "UPDATE requests SET status = ?, decided_by = ?, decided_as_deputy = "
		    "?, decided_at = ?, updated_at = ? WHERE id = ? AND status = 'pending' AND "
		    "approver_role IS NOT DISTINCT FROM ? AND approver_unit IS NOT DISTINCT FROM ? "
		    "AND route IS NOT DISTINCT FROM ?",
		    v, 9, &changed, err);
	}
	if (!e && changed != 1) {
		sk_store_rollback(c->store);
		*stale = true;
		return SK_OK;
	}
	if (!e)
		e = add_step_at(c, p->id, p->now, approve ? "approve" : "reject", p->comment,
		                deputy, err);
	req_row built = p->built;
	memset(&p->built, 0, sizeof(p->built));
	e = finish_image(c, p->id, approve ? "request.approve" : "request.reject", NULL, NULL,
	                 WHO_NONE, e ? NULL : &built, p->before.data, p->after.data, &p->answer,
	                 &p->told, e, out, text, err);
	req_row_free(&built);
	return e;
}

sk_err sk_request_take_commit(sk_ctx *c, sk_request_step_prepared *p, json_t **out, sk_buf *text,
                              sk_buf *err)
{
	if (out)
		*out = NULL;
	bool stale = p->full;
	sk_err e = p->full ? SK_OK : apply_decision(c, p, true, &stale, out, text, err);
	if (e || !stale)
		return e;
	/*
	 * Taken whole, in the commit's own transaction: a step not planned, or
	 * one whose plan no longer stands (with the actor's scope read again
	 * unless c's was read under the generation that now stands).
	 */
	int64_t gen = 0;
	sk_actor a = *c->actor;
	if (!p->full && (sk_store_query_int(c->store, "SELECT n FROM authz_generation WHERE id = 1",
	                                    NULL, 0, &gen, NULL) != SK_OK ||
	                 !c->scope || c->scope->gen != gen))
		a.scope = NULL;
	sk_ctx again;
	sk_ctx_init(&again, c->store, c->policy, &a);
	again.lang = c->lang;
	json_t *j = NULL;
	e = sk_request_take(&again, p->step, p->id, p->comment, p->fields, out || text ? &j : NULL,
	                    err);
	sk_ctx_fini(&again);
	/* Committed: an answer that cannot be encoded is the loop's to report (no text). */
	if (!e && text)
		(void)sk_json_compact(j, text);
	if (out)
		*out = j;
	else
		json_decref(j);
	return e;
}

/*
 * An approval or rejection taken whole, in one transaction: planned and
 * written there (plan_decision, apply_decision), as a server plans it on
 * one connection and writes it on another.
 */
static sk_err decide_request(sk_ctx *c, int64_t id, bool approve, const char *comment, json_t **out,
                             sk_buf *err)
{
	sk_request_step_prepared *p = NULL;
	sk_err e =
	    step_new(approve ? SK_REQUEST_APPROVE : SK_REQUEST_REJECT, id, comment, NULL, &p, err);
	if (e)
		return e;
	if ((e = sk_store_begin(c->store, err))) {
		sk_request_step_prepared_free(p);
		return e;
	}
	bool stale = false;
	e = plan_decision(c, p, err);
	if (!e)
		e = apply_decision(c, p, false, &stale, out, NULL, err);
	/* In one transaction only a concurrent writer (PostgreSQL) can have moved it. */
	if (!e && stale)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_REQ_NOT_PENDING,
		                (long long)id, "", "");
	if (e)
		sk_store_rollback(c->store);
	else
		e = sk_store_commit(c->store, err);
	sk_request_step_prepared_free(p);
	return e;
}

static sk_err withdraw(sk_ctx *c, int64_t id, const char *comment, json_t **out, sk_buf *err)
{
	req_row r;
	who_kind who;
	const sk_orgview *v = NULL;
	sk_err e = org_view(c, 0, &v, err);
	if (!e)
		e = load_visible(c, v, id, &r, &who, false, err);
	if (e)
		return e;
	if (who != WHO_REQUESTER) {
		/* Only the requester withdraws: to anyone else the request is not theirs to see. */
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_REQ_NONE_OF_YOURS,
		                (long long)id);
		goto out;
	}
	if (strcmp(r.status, "pending") != 0) {
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_REQ_NOT_PENDING,
		                (long long)id, r.status, status_ja(r.status));
		goto out;
	}
	json_t *before = json_incref(r.j);
	if ((e = sk_store_begin(c->store, err))) {
		json_decref(before);
		goto out;
	}
	sk_val p[] = {SK_VINT(sk_clock_now()), SK_VINT(id)};
	e = sk_store_exec(c->store,
	                  "UPDATE requests SET status = 'withdrawn', updated_at = ? WHERE id = ?",
	                  p, 2, NULL, err);
	if (!e)
		e = add_step(c, id, "withdraw", comment, false, err);
	e = finish(c, id, "request.withdraw", before, &r, who, e, out, err);
out:
	req_row_free(&r);
	return e;
}

/* --- follow-through --- */

static sk_err complete(sk_ctx *c, int64_t id, json_t *fields, json_t **out, sk_buf *err)
{
	req_row r;
	who_kind who;
	const sk_orgview *v = NULL;
	sk_err e = org_view(c, 0, &v, err);
	if (!e)
		e = load_visible(c, v, id, &r, &who, false, err);
	if (e)
		return e;
	json_t *f = NULL, *before = NULL;
	const sk_schema *fs = sk_schema_request_followup(r.kind);
	if (who == WHO_READER) {
		/* The requester or an approver records the follow-through; a ledger reader may not.
		 */
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_REQ_NONE_TO_FOLLOW,
		                (long long)id);
		goto out;
	}
	if (!fs) {
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_REQ_NO_FOLLOW_THROUGH,
		                r.kind, kind_ja(r.kind));
		goto out;
	}
	bool take_out = strcmp(r.kind, "take_out") == 0;
	if (strcmp(r.status, "approved") != 0 &&
	    !(take_out && strcmp(r.status, "in_progress") == 0)) {
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_REQ_NOT_APPROVED,
		                (long long)id, r.status, status_ja(r.status));
		goto out;
	}
	if (!(f = fields ? json_deep_copy(fields) : json_object())) {
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		goto out;
	}
	if ((e = check_fields(fs, SK_SCHEMA_CREATE, f, "follow-through", err)))
		goto out;
	const char *details_from = jstr(json_object_get(r.j, "details"), "from");
	const char *status = "completed";
	if (take_out) {
		const char *ret = jstr(f, "returned_on"), *out_on = jstr(f, "taken_out_on");
		if (!ret && !out_on) {
			e = sk_fail_msg(err, SK_ERR_INVALID, "returned_on", "返却日",
			                SK_M_REQ_RETURNED_REQUIRED);
			goto out;
		}
		if (ret && details_from && strcmp(ret, details_from) < 0) {
			e = sk_fail_msg(err, SK_ERR_INVALID, "returned_on", "返却日",
			                SK_M_REQ_RETURNED_BEFORE, ret, details_from);
			goto out;
		}
		if (!ret)
			status = "in_progress";
	}
	const char *entered = jstr(json_object_get(r.j, "details"), "entered_at");
	if (jstr(f, "left_at") && entered && strcmp(jstr(f, "left_at"), entered) < 0) {
		e = sk_fail_msg(err, SK_ERR_INVALID, "left_at", "退室日時", SK_M_REQ_LEFT_BEFORE,
		                jstr(f, "left_at"), entered);
		goto out;
	}
	/* The follow-through so far, merged with what this step adds. */
	json_t *ft = json_object_get(r.j, "follow_through");
	json_t *merged = json_is_object(ft) ? json_deep_copy(ft) : json_object();
	if (!merged || json_object_update(merged, f)) {
		json_decref(merged);
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		goto out;
	}
	char *ft_s = sk_json_canonical_str(merged);
	json_decref(merged);
	if (!ft_s) {
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		goto out;
	}
	before = json_incref(r.j);
	if ((e = sk_store_begin(c->store, err))) {
		free(ft_s);
		goto out;
	}
	int64_t now = sk_clock_now();
	sk_val p[] = {sk_vtext(status), sk_vtext(ft_s), SK_VINT(now),
	              SK_VINT(strcmp(status, "completed") == 0 ? now : 0), SK_VINT(id)};
	e = sk_store_exec(c->store,
	                  "UPDATE requests SET status = ?, follow_through = ?, updated_at = ?, "
	                  "completed_at = NULLIF(?, 0) WHERE id = ?",
	                  p, 5, NULL, err);
	free(ft_s);
	if (!e && strcmp(r.kind, "dispose") == 0) {
		/*
		 * The approved request is the authority for the disposal: the asset is
		 * marked disposed (八王子 7(9)イ: 日時、担当者及び処理内容) in this
		 * transaction, recorded under the same login, whoever files the
		 * certificate (the requester need not hold asset.write).
		 */
		json_t *dt = json_object_get(r.j, "details");
		sk_buf rec = SK_BUF_INIT(SK_BUF_MSG_MAX);
		const char *company = jstr(dt, "operator_company"),
		           *serial = jstr(dt, "serial_number");
		sk_buf_addf(&rec, "request %" PRId64 "; method: %s; certificate: %s", id,
		            jstr(dt, "method") ? jstr(dt, "method") : "", jstr(f, "certificate"));
		if (company)
			sk_buf_addf(&rec, "; company: %s", company);
		if (serial)
			sk_buf_addf(&rec, "; serial: %s", serial);
		sk_actor as = *c->actor;
		as.superuser = true;
		as.scope = NULL;
		sk_ctx ac;
		sk_ctx_init(&ac, c->store, c->policy, &as);
		const char *on = jstr(f, "disposed_on") ? jstr(f, "disposed_on") : jstr(dt, "date");
		e = sk_asset_dispose(&ac, r.asset_id, on, jstr(dt, "person_in_charge"), rec.data,
		                     err);
		sk_ctx_fini(&ac);
		sk_buf_free(&rec);
		if (e == SK_ERR_INVALID && err)
			err->field = "disposed_on";
	}
	if (!e)
		e = add_step(c, id, strcmp(status, "completed") == 0 ? "complete" : "take_out",
		             NULL, false, err);
	e = finish(c, id, "request.complete", before, &r, who, e, out, err);
	before = NULL;
out:
	json_decref(before);
	json_decref(f);
	req_row_free(&r);
	return e;
}

/* --- the steps, as the API and the CLI take them --- */

sk_err sk_request_take(sk_ctx *c, sk_request_step step, int64_t id, const char *comment,
                       json_t *fields, json_t **out, sk_buf *err)
{
	if (out)
		*out = NULL;
	switch (step) {
	case SK_REQUEST_APPROVE:
		return decide_request(c, id, true, comment, out, err);
	case SK_REQUEST_REJECT:
		return decide_request(c, id, false, comment, out, err);
	case SK_REQUEST_WITHDRAW:
		return withdraw(c, id, comment, out, err);
	case SK_REQUEST_COMPLETE:
		return complete(c, id, fields, out, err);
	}
	return sk_fail_msg(err, SK_ERR_INTERNAL, NULL, NULL, SK_M_FAULT_INTERNAL,
	                   "unknown request step");
}

sk_err sk_request_approve(sk_ctx *c, int64_t id, const char *comment, sk_buf *err)
{
	return decide_request(c, id, true, comment, NULL, err);
}

sk_err sk_request_reject(sk_ctx *c, int64_t id, const char *comment, sk_buf *err)
{
	return decide_request(c, id, false, comment, NULL, err);
}

sk_err sk_request_withdraw(sk_ctx *c, int64_t id, const char *comment, sk_buf *err)
{
	return withdraw(c, id, comment, NULL, err);
}

sk_err sk_request_complete(sk_ctx *c, int64_t id, json_t *fields, sk_buf *err)
{
	return complete(c, id, fields, NULL, err);
}

/* --- reads --- */

sk_err sk_request_get(sk_ctx *c, int64_t id, json_t **out, sk_buf *err)
{
	*out = NULL;
	req_row r;
	who_kind who;
	const sk_orgview *v = NULL;
	sk_err e = org_view(c, 0, &v, err);
	if (!e)
		e = load_visible(c, v, id, &r, &who, false, err);
	if (!e)
		e = add_steps(c->store, &r, err);
	if (!e)
		*out = json_incref(r.j);
	req_row_free(&r);
	return e;
}

struct list_ctx {
	json_t *arr;
	char today[11];
};

static sk_err list_one(void *ctx, const sk_row *row, sk_buf *err)
{
	struct list_ctx *l = ctx;
	json_t *j = row_json(row, l->today, NULL);
	if (!j || json_array_append_new(l->arr, j))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

/* The status filter as SQL (an approved exception past its period reads as expired). */
static sk_err status_clause(const char *status, sk_buf *sql, sk_val *p, size_t *np,
                            const char *today, sk_buf *err)
{
	static const char *const known[] = {"pending",     "approved",  "rejected", "withdrawn",
	                                    "in_progress", "completed", "expired",  NULL};
	if (!status || !*status)
		return SK_OK;
	bool ok = false;
	for (size_t i = 0; known[i]; i++)
		ok = ok || strcmp(known[i], status) == 0;
	if (!ok)
		return sk_fail_msg(err, SK_ERR_INVALID, "status", "状態",
		                   SK_M_REQUEST_STATUS_UNKNOWN, status);
	if (strcmp(status, "expired") == 0) {
		sk_buf_adds(sql,
		            " AND (r.status = 'expired' OR (r.status = 'approved' AND r.kind = "
		            "'exception' AND r.period_until < ?))");
		p[(*np)++] = sk_vtext(today);
	} else if (strcmp(status, "approved") == 0) {
		sk_buf_adds(sql, " AND r.status = 'approved' AND NOT (r.kind = 'exception' AND "
		                 "COALESCE(r.period_until, '9999') < ?)");
		p[(*np)++] = sk_vtext(today);
	} else {
		sk_buf_adds(sql, " AND r.status = ?");
		p[(*np)++] = sk_vtext(status);
	}
	return SK_OK;
}

/* One query of a box: base WHERE already in sql; filters, keyset and limit added. */
static sk_err run_box(sk_ctx *c, const sk_request_filter *f, sk_buf *sql, sk_val *p, size_t np,
                      struct list_ctx *l, int64_t limit, sk_buf *err)
{
	sk_err e = status_clause(f->status, sql, p, &np, l->today, err);
	if (e)
		return e;
	if (f->kind && *f->kind) {
		if (!sk_schema_request_details(f->kind))
			return sk_fail_msg(err, SK_ERR_INVALID, "kind", title("kind"),
			                   SK_M_REQ_KIND_UNKNOWN, f->kind);
		sk_buf_adds(sql, " AND r.kind = ?");
		p[np++] = sk_vtext(f->kind);
	}
	if (f->before > 0) {
		sk_buf_adds(sql, " AND r.id < ?");
		p[np++] = SK_VINT(f->before);
	}
	sk_buf_adds(sql, " ORDER BY r.id DESC LIMIT ?");
	p[np++] = SK_VINT(limit);
	if (!sql->data)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return sk_store_query(c->store, sql->data, p, np, list_one, l, err);
}

/* A listed request and its id, for putting the answers of several queries in order. */
struct listed {
	json_int_t id;
	json_t *j;
};

static int by_id_desc(const void *a, const void *b)
{
	json_int_t x = ((const struct listed *)a)->id, y = ((const struct listed *)b)->id;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* arr (the answers of one query per grant) newest first, at most limit of them. */
static sk_err merge_newest_first(json_t *arr, size_t limit, sk_buf *err)
{
	size_t n = json_array_size(arr);
	struct listed *v = calloc(n, sizeof(struct listed));
	if (!v)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	for (size_t i = 0; i < n; i++) {
		v[i].j = json_incref(json_array_get(arr, i));
		v[i].id = json_integer_value(json_object_get(v[i].j, "id"));
	}
	qsort(v, n, sizeof(struct listed), by_id_desc);
	json_array_clear(arr);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		/* a request two pairs of the actor's both reach is listed once */
		if (kept < limit && (i == 0 || v[i].id != v[i - 1].id)) {
			json_array_append(arr, v[i].j);
			kept++;
		}
		json_decref(v[i].j);
	}
	free(v);
	return SK_OK;
}

/*
 * A (role, unit) pair: a grant an account holds, or an approver a request is
 * routed to. alt, when not empty, is the role (held at alt_unit) by which the
 * account decides the pair's requests as another of the rule's any_of roles:
 * only those whose route names alt, from a unit at or below alt_unit.
 */
struct grant {
	char role[32];
	int64_t unit;
	char alt[32];
	int64_t alt_unit;
};
struct grants {
	struct grant *g;
	size_t n, cap;
};

static sk_err take_grant(void *ctx, const sk_row *row, sk_buf *err)
{
	struct grants *gs = ctx;
	struct grant *room = sk_vec_room(gs->g, gs->n, &gs->cap, sizeof(*gs->g), 16);
	if (!room)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	gs->g = room;
	struct grant *g = &gs->g[gs->n++];
	snprintf(g->role, sizeof(g->role), "%s", sk_row_text(row, 0));
	g->unit = sk_row_int(row, 1);
	g->alt[0] = '\0';
	g->alt_unit = 0;
	return SK_OK;
}

/* A unit and its parent (0 for the root), as the inbox walks the tree. */
struct unit_parent {
	int64_t id, parent;
};
struct tree {
	struct unit_parent *u;
	size_t n, cap;
};

static sk_err take_unit(void *ctx, const sk_row *row, sk_buf *err)
{
	struct tree *t = ctx;
	struct unit_parent *room = sk_vec_room(t->u, t->n, &t->cap, sizeof(*t->u), 64);
	if (!room)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	t->u = room;
	t->u[t->n].id = sk_row_int(row, 0);
	t->u[t->n++].parent = sk_row_int(row, 1);
	return SK_OK;
}

static int64_t parent_of(const struct tree *t, int64_t id)
{
	size_t lo = 0, hi = t->n; /* t->u is ordered by id */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->u[mid].id == id)
			return t->u[mid].parent;
		if (t->u[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Whether unit is anc or lies below it. */
static bool unit_within(const struct tree *t, int64_t unit, int64_t anc)
{
	for (size_t hop = 0; unit && hop < CHAIN_MAX; hop++, unit = parent_of(t, unit))
		if (unit == anc)
			return true;
	return false;
}

/*
 * The approver roles a holder of role may decide for (bits 1u << sk_role):
 * the role itself and, as the deputy (代行者), every role whose chain of
 * reports_to reaches it, as who_is reads the chain.
 */
static uint32_t decided_roles(const sk_policy *pol, sk_role role)
{
	uint32_t bits = 1u << role;
	for (int x = 0; pol && x < SK_ROLE__COUNT; x++) {
		sk_role y = (sk_role)x;
		for (int hop = 0; hop < SK_ROLE__COUNT; hop++) {
			y = sk_policy_role_reports_to(pol, y);
			if (y == SK_ROLE_NONE)
				break;
			if (y == role) {
				bits |= 1u << x;
				break;
			}
		}
	}
	return bits;
}

/*
 * The (approver role, approver unit) pairs whose pending requests c's actor
 * may decide, as who_is decides it: a role they hold at a unit at or above
 * the approver's unit, or, as the deputy, a role above the approver's in
 * the profile's chain held there; and request.approve at that unit. The
 * pairs are those some account holds (a request is routed to a holder), so
 * each is one indexed inbox query. A holder of another of a rule's any_of
 * roles (八王子 16(10) 「…又は…」) decides in the requester's chain: for them
 * a pair carries the role they hold (alt) and the query keeps the requests
 * whose route names it, from the units at or below where they hold it.
 */
static sk_err inbox_pairs(sk_ctx *c, struct grants *out, sk_buf *err)
{
	struct grants mine = {0}, held = {0};
	struct tree t = {0};
	uint32_t want[64];
	sk_val q[] = {SK_VINT(c->actor->user_id)};
	const sk_policy *pol = NULL;
	if (sk_ctx_policy(c, &pol, NULL))
		pol = NULL;
	sk_err e =
	    sk_store_query(c->store, "SELECT role, unit_id FROM role_assignment WHERE user_id = ?",
	                   q, 1, take_grant, &mine, err);
	if (!e)
		e = sk_store_query(
		    c->store, "SELECT DISTINCT role, unit_id FROM role_assignment ORDER BY 1, 2",
		    NULL, 0, take_grant, &held, err);
	if (!e)
		e = sk_store_query(c->store,
		                   "SELECT id, COALESCE(parent_id, 0) FROM org_unit ORDER BY id",
		                   NULL, 0, take_unit, &t, err);
	size_t nmine = 0;
	for (size_t i = 0; !e && i < mine.n && nmine < 64; i++) {
		sk_role r;
		if (sk_role_parse(mine.g[i].role, &r) != SK_OK ||
		    !sk_authz_can(c, SK_CAP_REQUEST_APPROVE, mine.g[i].unit))
			continue;
		mine.g[nmine] = mine.g[i];
		want[nmine++] = decided_roles(pol, r);
	}
	for (size_t i = 0; !e && i < held.n; i++) {
		sk_role x;
		if (sk_role_parse(held.g[i].role, &x) != SK_OK ||
		    !sk_authz_can(c, SK_CAP_REQUEST_APPROVE, held.g[i].unit))
			continue;
		bool taken = false;
		for (size_t k = 0; !e && k < nmine; k++) {
			struct grant g = held.g[i];
			sk_role r = SK_ROLE_NONE;
			if (!taken && (want[k] >> x) & 1u &&
			    unit_within(&t, held.g[i].unit, mine.g[k].unit)) {
				taken = true; /* decided as the approver or the deputy */
			} else if (sk_role_parse(mine.g[k].role, &r) == SK_OK &&
			           (sk_policy_any_of_partners(pol, r) >> x) & 1u) {
				snprintf(g.alt, sizeof(g.alt), "%s", mine.g[k].role);
				g.alt_unit = mine.g[k].unit;
			} else {
				continue;
			}
			struct grant *ng = sk_vec_room(out->g, out->n, &out->cap, sizeof(*ng), 16);
			if (!ng) {
				e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
				break;
			}
			out->g = ng;
			out->g[out->n++] = g;
		}
	}
	free(mine.g);
	free(held.g);
	free(t.u);
	return e;
}

sk_err sk_request_list(sk_ctx *c, const sk_request_filter *f, json_t **out, sk_buf *err)
{
	*out = NULL;
	const char *box = f->box && *f->box ? f->box : "mine";
	int64_t limit = f->limit > 0 ? (f->limit > LIST_MAX ? LIST_MAX : f->limit) : LIST_DEFAULT;
	struct list_ctx l = {.arr = json_array()};
	if (!l.arr)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	today_jst(l.today);
	sk_buf sql = SK_BUF_INIT(1u << 16);
	sk_val p[16];
	sk_err e = SK_OK;
	const char *head =
	    "SELECT " REQ_COLS " FROM requests r JOIN org_unit o ON o.id = r.unit_id";
	if (strcmp(box, "mine") == 0) {
		sk_buf_addf(&sql, "%s WHERE r.requester_id = ?", head);
		p[0] = SK_VINT(c->actor->user_id);
		e = run_box(c, f, &sql, p, 1, &l, limit, err);
	} else if (strcmp(box, "inbox") == 0) {
		/*
		 * What the actor may decide: pending requests routed to a (role, unit)
		 * they may decide for (inbox_pairs: their own roles at or above the
		 * approver's unit, and as the deputy the roles below theirs), where
		 * they hold request.approve. One indexed query per pair
		 * (requests_inbox), merged newest first.
		 */
		struct grants gs = {0};
		if (c->actor->superuser)
			e = sk_store_query(
			    c->store,
			    "SELECT DISTINCT approver_role, approver_unit FROM requests "
			    "WHERE status = 'pending' AND approver_role IS NOT NULL",
			    NULL, 0, take_grant, &gs, err);
		else
			e = inbox_pairs(c, &gs, err);
		for (size_t i = 0; !e && i < gs.n; i++) {
			if (!sk_authz_can(c, SK_CAP_REQUEST_APPROVE, gs.g[i].unit))
				continue;
			sk_buf_reset(&sql);
			sk_buf_addf(&sql,
			            "%s WHERE r.approver_role = ? AND r.approver_unit = ? AND "
			            "r.status = 'pending' AND r.requester_id <> ?",
			            head);
			p[0] = sk_vtext(gs.g[i].role);
			p[1] = SK_VINT(gs.g[i].unit);
			p[2] = SK_VINT(c->actor->user_id);
			size_t np = 3;
			char like[48];
			if (gs.g[i].alt[0]) {
				/* another of the rule's any_of roles, held in the requester's chain
				 */
				snprintf(like, sizeof(like), "%%\"%s\"%%", gs.g[i].alt);
				sk_buf_adds(
				    &sql, " AND r.route LIKE '%\"any_of\"%' AND r.route LIKE ? "
				          "AND r.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT id "
				          "FROM org_unit WHERE id = ? UNION ALL SELECT o.id FROM "
				          "org_unit o JOIN sub ON o.parent_id = sub.id) SELECT id "
				          "FROM sub)");
				p[np++] = sk_vtext(like);
				p[np++] = SK_VINT(gs.g[i].alt_unit);
			}
			sk_request_filter g = *f;
			if (g.status && *g.status && strcmp(g.status, "pending") != 0)
				break; /* an inbox holds pending requests only */
			g.status = NULL;
			e = run_box(c, &g, &sql, p, np, &l, limit, err);
		}
		if (!e && gs.n > 1 && json_array_size(l.arr) > 1)
			e = merge_newest_first(l.arr, (size_t)limit, err);
		free(gs.g);
	} else if (strcmp(box, "all") == 0) {
		/* Every request of the units where the actor holds ledger.read. */
		if (sk_authz_everywhere(c, SK_CAP_LEDGER_READ)) {
			sk_buf_addf(&sql, "%s WHERE 1 = 1", head);
			e = run_box(c, f, &sql, p, 0, &l, limit, err);
		} else {
			const sk_scope *sc = NULL;
			if (!(e = sk_ctx_scope(c, &sc, err)) && sc) {
				sk_buf_addf(&sql, "%s WHERE r.unit_id IN (0", head);
				/* The units, then room for the filters run_box adds. */
				sk_val *up = calloc(sc->n + 8, sizeof(sk_val));
				if (!up) {
					e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL,
					                SK_M_FAULT_NOMEM);
				} else {
					size_t nu = 0;
					for (size_t i = 0; i < sc->n; i++)
						if ((sc->units[i].caps >> SK_CAP_LEDGER_READ) &
						    1u) {
							sk_buf_adds(&sql, ", ?");
							up[nu++] = SK_VINT(sc->units[i].unit);
						}
					sk_buf_adds(&sql, ")");
					e = run_box(c, f, &sql, up, nu, &l, limit, err);
				}
				free(up);
			}
		}
	} else {
		e = sk_fail_msg(err, SK_ERR_INVALID, "box", "一覧", SK_M_REQ_BOX_UNKNOWN, box);
	}
	sk_buf_free(&sql);
	if (e) {
		json_decref(l.arr);
		return e;
	}
	*out = l.arr;
	return SK_OK;
}

/* --- expiry --- */

struct due {
	int64_t ids[256];
	size_t n;
};

static sk_err take_due(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct due *d = ctx;
	if (d->n < sizeof(d->ids) / sizeof(d->ids[0]))
		d->ids[d->n++] = sk_row_int(row, 0);
	return SK_OK;
}

sk_err sk_request_expire_due(sk_ctx *c, int64_t *n_out, sk_buf *err)
{
	if (n_out)
		*n_out = 0;
	char today[11];
	today_jst(today);
	for (;;) {
		struct due d = {.n = 0};
		sk_val p[] = {sk_vtext(today)};
		sk_err e =
		    sk_store_query(c->store,
		                   "SELECT id FROM requests WHERE kind = 'exception' AND status "
		                   "= 'approved' AND period_until < ? ORDER BY id LIMIT 256",
		                   p, 1, take_due, &d, err);
		if (e)
			return e;
		if (d.n == 0)
			return SK_OK;
		for (size_t i = 0; i < d.n; i++) {
			json_t *before = NULL;
			if ((e = image_of(c, d.ids[i], &before, err)))
				return e;
			if ((e = sk_store_begin(c->store, err))) {
				json_decref(before);
				return e;
			}
			sk_val q[] = {SK_VINT(sk_clock_now()), SK_VINT(d.ids[i])};
			e = sk_store_exec(
			    c->store,
			    "UPDATE requests SET status = 'expired', updated_at = ? WHERE "
			    "id = ? AND status = 'approved'",
			    q, 2, NULL, err);
			if (!e)
				e = add_step(c, d.ids[i], "expire", NULL, false, err);
			if ((e = finish(c, d.ids[i], "request.expire", before, NULL, WHO_NONE, e,
			                NULL, err)))
				return e;
			if (n_out)
				(*n_out)++;
		}
	}
}
