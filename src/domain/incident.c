/*
 * incident: reports, the chain they go up, the investigation, closure and
 * evidence (incident.h). The chain, its deadlines and the closing role are
 * the profile's (sk_policy_incident_route); the holders are the
 * organization's (role_assignment), looked for at the incident's unit and
 * then each unit above it, as the seeds' 指示体制 runs.
 */
#include "incident.h"

#include <glib.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_msg.h"
#include "authz.h"
#include "notify.h"
#include "org.h"
#include "schema.h"

#define HOUR 3600

static const char *const kinds[] = {"incident", "failure", NULL};
static const char *const statuses[] = {"reported", "escalated", "responding", "closed", NULL};

static bool in_words(const char *const *w, const char *s)
{
	for (; *w; w++)
		if (strcmp(*w, s) == 0)
			return true;
	return false;
}

/* The Japanese title of an incident's field (its report's, or a later step's), or NULL. */
static const char *field_title(const char *key)
{
	const sk_schema *all[] = {&sk_schema_incident, &sk_schema_incident_escalate,
	                          &sk_schema_incident_respond, &sk_schema_incident_close,
	                          &sk_schema_incident_attach};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const sk_field *f = sk_schema_field(all[i], key);
		if (f)
			return f->ja;
	}
	/* a list's filters, which no body declares */
	return strcmp(key, "status") == 0 ? "状態" : strcmp(key, "kind") == 0 ? "種類" : NULL;
}

/* Names the field a failure is about: its key, which the doors show beside the message. */
#define fail_field(err, code, field, ...)                                                          \
	sk_fail_msg(err, code, field, field_title(field), __VA_ARGS__)

/* Checks a text value against its field in sc (limits, UTF-8, control characters). */
static sk_err check_text(const sk_schema *sc, const char *key, const char *v, bool required,
                         sk_buf *err)
{
	const sk_field *f = sk_schema_field(sc, key);
	if (!v || !*v)
		return required ? fail_field(err, SK_ERR_INVALID, f->key, SK_M_INC_REQUIRED)
		                : SK_OK;
	sk_err e = sk_schema_check_text(f, v, strlen(v), err);
	if (e && err)
		err->field = f->key;
	return e;
}

/* --- the organization: units above, holders of roles --- */

/* The nearest unit of line (nearest first) where role has an active holder; 0 when none. */
static sk_err holder_unit(sk_store *s, sk_role role, const int64_t *line, size_t n, int64_t *out,
                          sk_buf *err)
{
	return sk_org_holder_unit(s, sk_role_name(role), line, n, 0, out, err);
}

/*
 * The first step from `from` on whose role has a holder in line; *step is
 * -1 when none has, and skipped lists the roles passed over: their keys,
 * comma-separated, as the step stores them (incident_steps.skipped_roles).
 */
static sk_err route_from(sk_ctx *c, const sk_incident_route *rt, int from, const int64_t *line,
                         size_t n, int *step, int64_t *unit, sk_buf *skipped, sk_buf *err)
{
	*step = -1;
	*unit = 0;
	for (int i = from; i < (int)rt->n_steps; i++) {
		sk_err e = holder_unit(c->store, rt->steps[i].role, line, n, unit, err);
		if (e)
			return e;
		if (*unit) {
			*step = i;
			return SK_OK;
		}
		sk_buf_addf(skipped, "%s%s", skipped->len ? "," : "",
		            sk_role_name(rt->steps[i].role));
	}
	return SK_OK;
}

/* A role as the reader of l reads it: the profile's title, else the guideline's. */
static const char *role_word(const sk_policy *p, const char *key, sk_lang l)
{
	sk_role r;
	return sk_role_parse(key, &r) == SK_OK ? sk_policy_role_title(p, r, l) : key;
}

/*
 * Appends the roles of a comma-separated list of keys to out by their titles
 * in l, and (arr not NULL) each key to arr.
 */
static void add_role_words(sk_buf *out, json_t *arr, const sk_policy *p, const char *keys,
                           sk_lang l)
{
	bool first = true;
	for (const char *k = keys; k && *k;) {
		size_t n = strcspn(k, ",");
		char key[32];
		snprintf(key, sizeof(key), "%.*s", (int)n, k);
		sk_buf_addf(out, "%s%s", first ? "" : (l == SK_LANG_JA ? "、" : ", "),
		            role_word(p, key, l));
		if (arr)
			json_array_append_new(arr, json_string(key));
		first = false;
		k += n + (k[n] == ',');
	}
}

/*
 * Records a failure whose arguments are worded per language (roles by their
 * titles): the message is formatted once in each, with `l` naming the
 * language in the arguments.
 */
#define fail_worded(e, err, code, id, ...)                                                         \
	do {                                                                                       \
		sk_buf t_[2] = {SK_BUF_INIT(SK_BUF_MSG_MAX), SK_BUF_INIT(SK_BUF_MSG_MAX)};         \
		for (int i_ = 0; i_ < 2; i_++) {                                                   \
			sk_lang l = (sk_lang)i_;                                                   \
			sk_msg_addf(&t_[i_], l, id, __VA_ARGS__);                                  \
		}                                                                                  \
		(e) = sk_fail_texts(err, code, NULL, t_[SK_LANG_EN].data, t_[SK_LANG_JA].data);    \
		sk_buf_free(&t_[0]);                                                               \
		sk_buf_free(&t_[1]);                                                               \
	} while (0)

/* When the holder of step must have passed it on: from `at`, the next step's hours. */
static sk_val due_after(const sk_incident_route *rt, int step, sk_severity sev, int64_t at)
{
	if (step + 1 >= (int)rt->n_steps || !rt->steps[step + 1].due_hours[sev])
		return SK_VNULL;
	return SK_VINT(at + (int64_t)rt->steps[step + 1].due_hours[sev] * HOUR);
}

static sk_err policy_route(sk_ctx *c, const sk_incident_route **rt, sk_buf *err)
{
	const sk_policy *p = NULL;
	sk_err e = sk_ctx_policy(c, &p, err);
	*rt = sk_policy_incident_route(p);
	return e;
}

/* --- one incident --- */

#define ROW_COLS                                                                                   \
	"id, kind, title, description, found_at, severity, status, reporter_id, reporter, "        \
	"unit_id, "                                                                                \
	"step, role, role_unit_id, step_at, due_at, report_due_at, cause, impact, response, "      \
	"recovery, prevention, created_at, updated_at, closed_by, closed_at"

typedef struct inc_row {
	bool found;
	int64_t id, found_at, reporter_id, unit, step, role_unit, step_at, due_at, report_due_at;
	int64_t created_at, updated_at, closed_at;
	bool has_due, has_report_due, closed;
	char kind[16], severity[16], status[16], role[32];
	json_t *j; /* the row's image, built by take_row */
} inc_row;

static void put_time(json_t *o, const char *key, const sk_row *r, size_t i)
{
	if (sk_row_is_null(r, i)) {
		json_object_set_new(o, key, json_null());
		return;
	}
	char t[SK_TIME_STR_MAX];
	sk_clock_format_local(sk_row_int(r, i), t);
	json_object_set_new(o, key, json_string(t));
}

static sk_err take_row(void *ctx, const sk_row *r, sk_buf *err)
{
	inc_row *x = ctx;
	x->found = true;
	x->id = sk_row_int(r, 0);
	snprintf(x->kind, sizeof(x->kind), "%s", sk_row_text(r, 1));
	x->found_at = sk_row_int(r, 4);
	snprintf(x->severity, sizeof(x->severity), "%s", sk_row_text(r, 5));
	snprintf(x->status, sizeof(x->status), "%s", sk_row_text(r, 6));
	x->reporter_id = sk_row_int(r, 7);
	x->unit = sk_row_int(r, 9);
	x->step = sk_row_int(r, 10);
	snprintf(x->role, sizeof(x->role), "%s", sk_row_text(r, 11));
	x->role_unit = sk_row_int(r, 12);
	x->step_at = sk_row_int(r, 13);
	x->has_due = !sk_row_is_null(r, 14);
	x->due_at = sk_row_int(r, 14);
	x->has_report_due = !sk_row_is_null(r, 15);
	x->report_due_at = sk_row_int(r, 15);
	x->created_at = sk_row_int(r, 21);
	x->updated_at = sk_row_int(r, 22);
	x->closed = !sk_row_is_null(r, 24);
	x->closed_at = sk_row_int(r, 24);
	json_t *o = json_object();
	if (!o)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	json_object_set_new(o, "id", json_integer(x->id));
	json_object_set_new(o, "kind", json_string(x->kind));
	json_object_set_new(o, "title", json_string(sk_row_text(r, 2)));
	json_object_set_new(o, "description", json_string(sk_row_text(r, 3)));
	put_time(o, "found_at", r, 4);
	json_object_set_new(o, "severity", json_string(x->severity));
	json_object_set_new(o, "status", json_string(x->status));
	json_object_set_new(o, "reporter", json_string(sk_row_text(r, 8)));
	json_object_set_new(o, "unit", json_integer(x->unit));
	json_object_set_new(o, "step", json_integer(x->step + 1));
	json_object_set_new(o, "role", json_string(x->role));
	json_object_set_new(o, "role_unit", json_integer(x->role_unit));
	put_time(o, "due", r, 14);
	put_time(o, "report_due", r, 15);
	json_object_set_new(o, "reported_late",
	                    json_boolean(x->has_report_due && x->created_at > x->report_due_at));
	static const char *const inv[] = {"cause", "impact", "response", "recovery", "prevention"};
	for (size_t i = 0; i < 5; i++)
		json_object_set_new(o, inv[i], json_string(sk_row_text(r, 16 + i)));
	put_time(o, "created_at", r, 21);
	put_time(o, "updated_at", r, 22);
	if (sk_row_is_null(r, 23))
		json_object_set_new(o, "closed_by", json_null());
	else
		json_object_set_new(o, "closed_by", json_string(sk_row_text(r, 23)));
	put_time(o, "closed_at", r, 24);
	x->j = o;
	return SK_OK;
}

static sk_err load_row(sk_store *s, int64_t id, inc_row *x, sk_buf *err)
{
	memset(x, 0, sizeof(*x));
	sk_val p[] = {SK_VINT(id)};
	sk_err e = sk_store_query(s, "SELECT " ROW_COLS " FROM incidents WHERE id = ?", p, 1,
	                          take_row, x, err);
	if (!e && !x->found)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_INC_NONE, (long long)id);
	return e;
}

/* Whether c's actor reported x, may handle it (incident.handle at its unit). */
static void access_of(sk_ctx *c, const inc_row *x, bool *see, bool *handle)
{
	if (c->actor->superuser) {
		*see = *handle = true;
		return;
	}
	*handle = sk_authz_can(c, SK_CAP_INCIDENT_HANDLE, x->unit);
	*see = *handle || (c->actor->user_id && x->reporter_id == c->actor->user_id);
}

static sk_err not_found(int64_t id, sk_buf *err)
{
	return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_INC_NONE, (long long)id);
}

static sk_err add_ids(void *ctx, const sk_row *r, sk_buf *err)
{
	(void)err;
	json_array_append_new(ctx, json_integer(sk_row_int(r, 0)));
	return SK_OK;
}

/* The steps being read, and how their reader reads roles. */
struct step_reader {
	json_t *arr;
	const sk_policy *pol;
	sk_lang lang;
};

/*
 * One step: its comment is the person's, followed by the roles the step
 * passed over (stored as keys) worded in the reader's language; the keys
 * stay in skipped_roles for programs.
 */
static sk_err add_step(void *ctx, const sk_row *r, sk_buf *err)
{
	struct step_reader *sr = ctx;
	const char *comment = sk_row_text(r, 3), *skipped = sk_row_text(r, 6);
	sk_buf text = SK_BUF_INIT(SK_INCIDENT_COMMENT_MAX + 2048), roles = SK_BUF_INIT(2048);
	json_t *keys = json_array();
	sk_err e = sk_buf_adds(&text, comment);
	if (!e && *skipped && keys) {
		add_role_words(&roles, keys, sr->pol, skipped, sr->lang);
		if (*comment)
			e = sk_buf_addc(&text, '\n');
		if (!e)
			e = sk_msg_addf(&text, sr->lang, SK_M_INC_STEP_SKIPPED, roles.data);
	}
	json_t *o = json_object();
	if (e || !o || !keys) {
		json_decref(o);
		json_decref(keys);
		sk_buf_free(&text);
		sk_buf_free(&roles);
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	put_time(o, "at", r, 0);
	json_object_set_new(o, "actor", json_string(sk_row_text(r, 1)));
	json_object_set_new(o, "action", json_string(sk_row_text(r, 2)));
	json_object_set_new(o, "comment", json_string(text.data));
	json_object_set_new(o, "skipped_roles", keys);
	bool has_role = !sk_row_is_null(r, 4);
	json_object_set_new(o, "role", has_role ? json_string(sk_row_text(r, 4)) : json_null());
	json_object_set_new(o, "role_label",
	                    has_role ? json_string(role_word(sr->pol, sk_row_text(r, 4), sr->lang))
	                             : json_null());
	json_object_set_new(o, "unit",
	                    sk_row_is_null(r, 5) ? json_null() : json_integer(sk_row_int(r, 5)));
	json_array_append_new(sr->arr, o);
	sk_buf_free(&text);
	sk_buf_free(&roles);
	return SK_OK;
}

static sk_err add_attachment(void *ctx, const sk_row *r, sk_buf *err)
{
	(void)err;
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(sk_row_int(r, 0)));
	json_object_set_new(o, "name", json_string(sk_row_text(r, 1)));
	json_object_set_new(o, "media_type", json_string(sk_row_text(r, 2)));
	json_object_set_new(o, "size", json_integer(sk_row_int(r, 3)));
	json_object_set_new(o, "sha256", json_string(sk_row_text(r, 4)));
	json_object_set_new(o, "actor", json_string(sk_row_text(r, 5)));
	put_time(o, "at", r, 6);
	json_array_append_new(ctx, o);
	return SK_OK;
}

/* {role, title, unit, unit_code, unit_name, informed} for a holder of role at unit. */
static json_t *routed(sk_ctx *c, const sk_policy *p, sk_role role, int64_t unit, bool informed)
{
	sk_org_unit u;
	sk_buf e = SK_BUF_INIT(SK_BUF_MSG_MAX);
	bool ok = sk_org_get_id(c->store, unit, &u, &e) == SK_OK;
	sk_buf_free(&e);
	const char *title = sk_policy_role_title(p, role, sk_lang_of_code(c->lang));
	return json_pack("{s:s, s:s?, s:I, s:s?, s:s?, s:b}", "role", sk_role_name(role), "title",
	                 title, "unit", (json_int_t)unit, "unit_code", ok ? u.code : NULL,
	                 "unit_name", ok ? u.name : NULL, "informed", informed);
}

/*
 * x's full image: the row, its assets and attachments, and (full) the
 * steps and whom it is routed to now. The audit images leave out the steps
 * and routing: each entry says what its one step changed.
 */
static sk_err complete(sk_ctx *c, inc_row *x, bool full, sk_buf *err)
{
	sk_val p[] = {SK_VINT(x->id)};
	json_t *ids = json_array(), *att = json_array();
	json_object_set_new(x->j, "asset_ids", ids);
	json_object_set_new(x->j, "attachments", att);
	sk_err e = sk_store_query(c->store,
	                          "SELECT asset_id FROM incident_assets WHERE incident_id = ? "
	                          "ORDER BY asset_id",
	                          p, 1, add_ids, ids, err);
	if (!e)
		e = sk_store_query(
		    c->store,
		    "SELECT id, name, media_type, size, sha256, actor, created_at FROM "
		    "incident_attachments WHERE incident_id = ? ORDER BY id",
		    p, 1, add_attachment, att, err);
	if (e || !full)
		return e;
	/* loaded before the steps: their callback words roles and must not query */
	const sk_policy *pol = NULL;
	if ((e = sk_ctx_policy(c, &pol, err)))
		return e;
	sk_lang lang = sk_lang_of_code(c->lang);
	struct step_reader sr = {json_array(), pol, lang};
	json_object_set_new(x->j, "steps", sr.arr);
	e = sk_store_query(c->store,
	                   "SELECT at, actor, action, comment, role, unit_id, skipped_roles "
	                   "FROM incident_steps WHERE incident_id = ? ORDER BY id",
	                   p, 1, add_step, &sr, err);
	if (e)
		return e;
	const sk_incident_route *rt = sk_policy_incident_route(pol);
	json_object_set_new(x->j, "role_label", json_string(role_word(pol, x->role, lang)));
	json_t *to = json_array();
	json_object_set_new(x->j, "routed_to", to);
	sk_role cur;
	if (sk_role_parse(x->role, &cur) == SK_OK)
		json_array_append_new(to, routed(c, pol, cur, x->role_unit, false));
	int64_t line[SK_ORG_LINE_MAX];
	size_t n;
	if ((e = sk_org_line(c->store, x->unit, line, &n, err)))
		return e;
	for (int r = 0; r < SK_ROLE__COUNT; r++) {
		int64_t u;
		if (!(rt->informed & (1u << r)))
			continue;
		if ((e = holder_unit(c->store, (sk_role)r, line, n, &u, err)))
			return e;
		if (u)
			json_array_append_new(to, routed(c, pol, (sk_role)r, u, true));
	}
	json_t *chain = json_array();
	json_object_set_new(x->j, "chain", chain);
	sk_severity sev = SK_SEV_HIGH;
	sk_severity_parse(x->severity, &sev);
	for (unsigned i = 0; i < rt->n_steps; i++) {
		const sk_incident_step *st = &rt->steps[i];
		json_t *cites = json_array();
		for (unsigned k = 0; k < st->n_citations; k++)
			json_array_append_new(cites, json_string(st->citations[k]));
		json_array_append_new(
		    chain,
		    json_pack("{s:s, s:s, s:o, s:s?, s:o}", "role", sk_role_name(st->role),
		              "role_label", sk_policy_role_title(pol, st->role, lang), "due_hours",
		              st->due_hours[sev] ? json_integer(st->due_hours[sev]) : json_null(),
		              "word", st->word, "citations", cites));
	}
	return SK_OK;
}

sk_err sk_incident_get(sk_ctx *c, int64_t id, json_t **out, sk_buf *err)
{
	*out = NULL;
	inc_row x;
	sk_err e = load_row(c->store, id, &x, err);
	bool see = false, handle = false;
	if (!e) {
		access_of(c, &x, &see, &handle);
		if (!see)
			e = not_found(id, err);
	}
	if (!e)
		e = complete(c, &x, true, err);
	if (!e) {
		*out = x.j;
		x.j = NULL;
	}
	json_decref(x.j);
	return e;
}

/* --- listing --- */

struct lister {
	sk_ctx *c;
	const sk_policy *pol; /* loaded before the query: the row callback words roles */
	json_t *arr;
};

static sk_err list_row(void *ctx, const sk_row *r, sk_buf *err)
{
	struct lister *l = ctx;
	if (json_array_size(l->arr) >= SK_INCIDENT_LIST_MAX)
		return SK_OK;
	inc_row x;
	memset(&x, 0, sizeof(x));
	sk_err e = take_row(&x, r, err);
	if (e)
		return e;
	bool see, handle;
	access_of(l->c, &x, &see, &handle);
	if (see) {
		/* A listing names each incident; its details stay with the incident. */
		static const char *const drop[] = {"description", "cause",    "impact",
		                                   "response",    "recovery", "prevention"};
		for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
			json_object_del(x.j, drop[i]);
		json_object_set_new(
		    x.j, "role_label",
		    json_string(role_word(l->pol, x.role, sk_lang_of_code(l->c->lang))));
		json_array_append_new(l->arr, x.j);
	} else
		json_decref(x.j);
	return SK_OK;
}

sk_err sk_incident_list(sk_ctx *c, const sk_incident_filter *f, json_t **out, sk_buf *err)
{
	*out = NULL;
	const sk_scope *sc = NULL;
	const sk_policy *pol = NULL;
	sk_err e = sk_ctx_scope(c, &sc, err);
	if (!e)
		e = sk_ctx_policy(c, &pol, err);
	if (e)
		return e;
	if (f && f->status && !in_words(statuses, f->status))
		return fail_field(err, SK_ERR_INVALID, "status", SK_M_INC_STATUS_UNKNOWN,
		                  f->status);
	if (f && f->kind && !in_words(kinds, f->kind))
		return fail_field(err, SK_ERR_INVALID, "kind", SK_M_INC_KIND_UNKNOWN, f->kind);
	sk_val p[2];
	size_t np = 0;
	char sql[512];
	snprintf(sql, sizeof(sql),
	         "SELECT " ROW_COLS " FROM incidents WHERE 1 = 1%s%s ORDER BY id DESC",
	         f && f->status ? " AND status = ?" : "", f && f->kind ? " AND kind = ?" : "");
	if (f && f->status)
		p[np++] = sk_vtext(f->status);
	if (f && f->kind)
		p[np++] = sk_vtext(f->kind);
	struct lister l = {c, pol, json_array()};
	if (!l.arr)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	e = sk_store_query(c->store, sql, p, np, list_row, &l, err);
	if (e) {
		json_decref(l.arr);
		return e;
	}
	*out = l.arr;
	return SK_OK;
}

/* --- writing --- */

/* skipped: the keys of the roles the step passed over, comma-separated (NULL: none). */
static sk_err add_step_row(sk_ctx *c, int64_t id, int64_t at, const char *action,
                           const char *comment, const char *role, int64_t unit, const char *skipped,
                           sk_buf *err)
{
	sk_val p[] = {SK_VINT(id),
	              SK_VINT(at),
	              sk_vtext(c->actor->login),
	              sk_vtext(action),
	              sk_vtext(comment ? comment : ""),
	              sk_vtext(role),
	              unit ? SK_VINT(unit) : SK_VNULL,
	              sk_vtext(skipped ? skipped : "")};
	return sk_store_exec(c->store,
	                     "INSERT INTO incident_steps(incident_id, at, actor, action, comment, "
	                     "role, unit_id, skipped_roles) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	                     p, sizeof(p) / sizeof(p[0]), NULL, err);
}

/* The audit entry of one change of incident id, with its images before and after. */
static sk_err audit(sk_ctx *c, int64_t id, const char *action, json_t *before, sk_buf *err)
{
	inc_row after;
	sk_err e = load_row(c->store, id, &after, err);
	if (!e)
		e = complete(c, &after, false, err);
	if (e) {
		json_decref(after.j);
		return e;
	}
	e = sk_audit_change(c->store, c->actor->login, c->actor->address, action,
	                    before ? json_incref(before) : SK_AUDIT_NONE, after.j, err,
	                    "incident:%lld", (long long)id);
	/*
	 * Whoever the incident now waits for is told, in the step's transaction:
	 * the holders of its role at its unit, when reported or escalated (the
	 * one who did it is not told of their own step).
	 */
	if (!e &&
	    (strcmp(action, "incident.report") == 0 || strcmp(action, "incident.escalate") == 0))
		e = sk_notify_holders(c, after.role, after.role_unit, c->actor->user_id,
		                      SK_NOTIFY_INCIDENT_ESCALATED, "incident", id, err);
	/* The reporter learns that their report was closed (not when they closed it themselves). */
	if (!e && strcmp(action, "incident.close") == 0 && after.reporter_id &&
	    after.reporter_id != c->actor->user_id)
		e = sk_notify_add(c, after.reporter_id, SK_NOTIFY_INCIDENT_CLOSED, "incident", id,
		                  NULL, err);
	return e;
}

static sk_err check_report(const sk_incident_report *in, int64_t now, int64_t *found,
                           sk_severity *sev, sk_buf *err)
{
	const sk_schema *sc = &sk_schema_incident;
	sk_err e;
	if ((e = check_text(sc, "title", in->title, true, err)) ||
	    (e = check_text(sc, "description", in->description, true, err)) ||
	    (e = check_text(sc, "found_at", in->found_at, true, err)))
		return e;
	int64_t us;
	if (sk_clock_parse_us(in->found_at, &us) != SK_OK)
		return fail_field(err, SK_ERR_INVALID, "found_at", SK_M_INC_FOUND_AT_BAD,
		                  in->found_at);
	*found = us / 1000000;
	if (*found > now)
		return fail_field(err, SK_ERR_INVALID, "found_at", SK_M_INC_FOUND_AT_FUTURE,
		                  in->found_at);
	*sev = SK_SEV_HIGH;
	if (in->severity && sk_severity_parse(in->severity, sev) != SK_OK)
		return fail_field(err, SK_ERR_INVALID, "severity", SK_M_INC_SEVERITY_UNKNOWN,
		                  in->severity);
	if (in->kind && !in_words(kinds, in->kind))
		return fail_field(err, SK_ERR_INVALID, "kind", SK_M_INC_KIND_UNKNOWN, in->kind);
	if (in->n_assets > SK_INCIDENT_ASSETS_MAX)
		return fail_field(err, SK_ERR_INVALID, "asset_ids", SK_M_INC_TOO_MANY_ASSETS,
		                  SK_INCIDENT_ASSETS_MAX);
	return SK_OK;
}

/* The reporting unit: the one named (where the actor may report), else the actor's own. */
static sk_err report_unit(sk_ctx *c, const char *ref, int64_t *unit, sk_buf *err)
{
	sk_err e;
	if (ref && *ref) {
		sk_org_unit u;
		if (sk_org_get(c->store, ref, &u, err) != SK_OK)
			return fail_field(err, SK_ERR_INVALID, "unit", SK_M_INC_UNIT_UNKNOWN, ref);
		*unit = u.id;
	} else if (c->actor->superuser) {
		return fail_field(err, SK_ERR_INVALID, "unit", SK_M_INC_UNIT_NEEDED);
	} else {
		sk_val p[] = {SK_VINT(c->actor->user_id)};
		if ((e = sk_store_query_int(c->store, "SELECT unit_id FROM users WHERE id = ?", p,
		                            1, unit, err)))
			return e == SK_ERR_NOT_FOUND ? sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL,
			                                           SK_M_INC_NO_ACCOUNT)
			                             : e;
	}
	return sk_authz_require_cap(c, SK_CAP_INCIDENT_REPORT, *unit, err);
}

/* Each asset must exist and be readable by the reporter: others are unknown to them. */
static sk_err check_assets(sk_ctx *c, const sk_incident_report *in, sk_buf *err)
{
	for (size_t i = 0; i < in->n_assets; i++) {
		int64_t unit = 0;
		sk_val p[] = {SK_VINT(in->asset_ids[i])};
		sk_err e = sk_store_query_int(c->store, "SELECT unit_id FROM assets WHERE id = ?",
		                              p, 1, &unit, err);
		if (e && e != SK_ERR_NOT_FOUND)
			return e;
		if (e || !sk_authz_can(c, SK_CAP_ASSET_READ, unit))
			return fail_field(err, SK_ERR_INVALID, "asset_ids", SK_M_INC_ASSET_NONE,
			                  (long long)in->asset_ids[i]);
		for (size_t j = 0; j < i; j++)
			if (in->asset_ids[j] == in->asset_ids[i])
				return fail_field(err, SK_ERR_INVALID, "asset_ids",
				                  SK_M_INC_ASSET_TWICE,
				                  (long long)in->asset_ids[i]);
	}
	return SK_OK;
}

sk_err sk_incident_report_new(sk_ctx *c, const sk_incident_report *in, int64_t *id_out, sk_buf *err)
{
	int64_t now = sk_clock_now(), found = 0, unit = 0, id = 0, line[SK_ORG_DEPTH_MAX + 1];
	size_t n = 0;
	sk_severity sev = SK_SEV_HIGH;
	const sk_incident_route *rt;
	sk_err e;
	if ((e = check_report(in, now, &found, &sev, err)) ||
	    (e = report_unit(c, in->unit, &unit, err)) || (e = check_assets(c, in, err)) ||
	    (e = policy_route(c, &rt, err)) || (e = sk_org_line(c->store, unit, line, &n, err)))
		return e;
	int step;
	int64_t to;
	sk_buf skipped = SK_BUF_INIT(1024);
	if ((e = route_from(c, rt, 0, line, n, &step, &to, &skipped, err)))
		goto out;
	if (step < 0) {
		const sk_policy *pol = NULL;
		(void)sk_ctx_policy(c, &pol, err); /* loaded already, by policy_route */
		fail_worded(e, err, SK_ERR_CONFLICT, SK_M_INC_UNROUTABLE,
		            sk_policy_role_title(pol, rt->steps[0].role, l));
		goto out;
	}
	int first_hours = rt->steps[0].due_hours[sev];
	sk_val p[] = {
	    sk_vtext(in->kind ? in->kind : "incident"),
	    sk_vtext(in->title),
	    sk_vtext(in->description),
	    SK_VINT(found),
	    sk_vtext(sk_severity_name(sev)),
	    c->actor->user_id ? SK_VINT(c->actor->user_id) : SK_VNULL,
	    sk_vtext(c->actor->login),
	    SK_VINT(unit),
	    SK_VINT(step),
	    sk_vtext(sk_role_name(rt->steps[step].role)),
	    SK_VINT(to),
	    SK_VINT(now),
	    due_after(rt, step, sev, now),
	    first_hours ? SK_VINT(found + (int64_t)first_hours * HOUR) : SK_VNULL,
	    SK_VINT(now),
	    SK_VINT(now),
	};
	if ((e = sk_store_begin(c->store, err)))
		goto out;
	e = sk_store_query_int(
	    c->store,
	    "INSERT INTO incidents(kind, title, description, found_at, severity, "
	    "status, reporter_id, reporter, unit_id, step, role, role_unit_id, "
	    "step_at, due_at, report_due_at, created_at, updated_at) VALUES (?, "
	    "?, ?, ?, ?, 'reported', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    p, sizeof(p) / sizeof(p[0]), &id, err);
	for (size_t i = 0; !e && i < in->n_assets; i++) {
		sk_val q[] = {SK_VINT(id), SK_VINT(in->asset_ids[i])};
		e = sk_store_exec(
		    c->store, "INSERT INTO incident_assets(incident_id, asset_id) VALUES (?, ?)", q,
		    2, NULL, err);
	}
	if (!e)
		e = add_step_row(c, id, now, "report", NULL, sk_role_name(rt->steps[step].role), to,
		                 skipped.data, err);
	if (!e)
		e = audit(c, id, "incident.report", NULL, err);
	e = sk_store_end(c->store, e, err);
	if (!e && id_out)
		*id_out = id;
out:
	sk_buf_free(&skipped);
	return e;
}

/*
 * Opens a change of incident id inside a transaction: loads it, checks the
 * actor may see it (else NOT_FOUND) and handle it (else DENIED), and that it
 * is open. The caller commits or rolls back.
 */
static sk_err begin_change(sk_ctx *c, int64_t id, bool need_handle, sk_msg_id what, inc_row *x,
                           sk_buf *err)
{
	memset(x, 0, sizeof(*x));
	sk_err e = sk_store_begin(c->store, err);
	if (e)
		return e;
	bool see = false, handle = false;
	if (!(e = load_row(c->store, id, x, err))) {
		access_of(c, x, &see, &handle);
		if (!see)
			e = not_found(id, err);
		else if (need_handle && !handle)
			e = sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, what, (long long)id);
		else if (x->closed)
			e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_INC_CLOSED,
			                (long long)id);
	}
	if (!e)
		e = complete(c, x, false, err);
	if (e)
		sk_store_rollback(c->store);
	return e;
}

sk_err sk_incident_escalate(sk_ctx *c, int64_t id, const char *comment, sk_buf *err)
{
	sk_err e = check_text(&sk_schema_incident_escalate, "comment", comment, false, err);
	if (e)
		return e;
	inc_row x;
	if ((e = begin_change(c, id, true, SK_M_INC_DENIED_ESCALATE, &x, err)))
		goto out;
	const sk_incident_route *rt;
	int64_t line[SK_ORG_LINE_MAX], to = 0, now = sk_clock_now();
	size_t n;
	int step = -1;
	sk_buf skipped = SK_BUF_INIT(1024);
	sk_severity sev = SK_SEV_HIGH;
	sk_severity_parse(x.severity, &sev);
	if (!(e = policy_route(c, &rt, err)) && !(e = sk_org_line(c->store, x.unit, line, &n, err)))
		e = route_from(c, rt, (int)x.step + 1, line, n, &step, &to, &skipped, err);
	if (!e && step < 0) {
		const sk_policy *pol = NULL;
		(void)sk_ctx_policy(c, &pol, err); /* loaded already, by policy_route */
		sk_buf words[2] = {SK_BUF_INIT(2048), SK_BUF_INIT(2048)};
		for (int l = 0; l < 2; l++)
			add_role_words(&words[l], NULL, pol, skipped.data, (sk_lang)l);
		if (skipped.len)
			fail_worded(e, err, SK_ERR_CONFLICT, SK_M_INC_TOP_SKIPPED, (long long)id,
			            role_word(pol, x.role, l), words[l].data);
		else
			fail_worded(e, err, SK_ERR_CONFLICT, SK_M_INC_TOP, (long long)id,
			            role_word(pol, x.role, l));
		sk_buf_free(&words[0]);
		sk_buf_free(&words[1]);
	}
	if (!e) {
		sk_val p[] = {SK_VINT(step),
		              sk_vtext(sk_role_name(rt->steps[step].role)),
		              SK_VINT(to),
		              SK_VINT(now),
		              due_after(rt, step, sev, now),
		              SK_VINT(now),
		              SK_VINT(id)};
		e = sk_store_exec(
		    c->store,
		    "UPDATE incidents SET status = CASE WHEN status = 'reported' THEN "
		    "'escalated' ELSE status END, step = ?, role = ?, role_unit_id = ?, "
		    "step_at = ?, due_at = ?, updated_at = ? WHERE id = ?",
		    p, sizeof(p) / sizeof(p[0]), NULL, err);
	}
	if (!e)
		e = add_step_row(c, id, now, "escalate", comment,
		                 sk_role_name(rt->steps[step].role), to, skipped.data, err);
	if (!e)
		e = audit(c, id, "incident.escalate", x.j, err);
	e = sk_store_end(c->store, e, err);
	sk_buf_free(&skipped);
out:
	json_decref(x.j);
	return e;
}

sk_err sk_incident_respond(sk_ctx *c, int64_t id, const sk_incident_response *in, sk_buf *err)
{
	const char *const keys[] = {"cause", "impact", "response", "recovery", "prevention"};
	const char *const vals[] = {in->cause, in->impact, in->response, in->recovery,
	                            in->prevention};
	bool any = in->comment && *in->comment;
	sk_err e = SK_OK;
	for (size_t i = 0; !e && i < 5; i++) {
		e = check_text(&sk_schema_incident_respond, keys[i], vals[i], false, err);
		any = any || (vals[i] && *vals[i]);
	}
	if (!e)
		e = check_text(&sk_schema_incident_respond, "comment", in->comment, false, err);
	if (e)
		return e;
	if (!any)
		return fail_field(err, SK_ERR_INVALID, "cause", SK_M_INC_RESPONSE_EMPTY);
	inc_row x;
	if ((e = begin_change(c, id, true, SK_M_INC_DENIED_RESPOND, &x, err)))
		goto out;
	int64_t now = sk_clock_now();
	for (size_t i = 0; !e && i < 5; i++) {
		if (!vals[i] || !*vals[i])
			continue;
		/* The column name comes from keys[], never from the caller. */
		char sql[96];
		snprintf(sql, sizeof(sql), "UPDATE incidents SET %s = ? WHERE id = ?", keys[i]);
		sk_val p[] = {sk_vtext(vals[i]), SK_VINT(id)};
		e = sk_store_exec(c->store, sql, p, 2, NULL, err);
	}
	if (!e) {
		sk_val p[] = {SK_VINT(now), SK_VINT(id)};
		e = sk_store_exec(
		    c->store,
		    "UPDATE incidents SET status = 'responding', updated_at = ? WHERE "
		    "id = ?",
		    p, 2, NULL, err);
	}
	if (!e)
		e = add_step_row(c, id, now, "respond", in->comment, NULL, 0, NULL, err);
	if (!e)
		e = audit(c, id, "incident.respond", x.j, err);
	e = sk_store_end(c->store, e, err);
out:
	json_decref(x.j);
	return e;
}

/* Whether the actor holds role at unit or a unit above it. */
static sk_err holds_in_line(sk_ctx *c, sk_role role, int64_t unit, bool *out, sk_buf *err)
{
	*out = false;
	int64_t line[SK_ORG_LINE_MAX];
	size_t n;
	sk_err e = sk_org_line(c->store, unit, line, &n, err);
	for (size_t i = 0; !e && i < n && !*out; i++) {
		int64_t k = 0;
		sk_val p[] = {SK_VINT(c->actor->user_id), sk_vtext(sk_role_name(role)),
		              SK_VINT(line[i])};
		e = sk_store_query_int(c->store,
		                       "SELECT COUNT(*) FROM role_assignment WHERE user_id = ? AND "
		                       "role = ? AND unit_id = ?",
		                       p, 3, &k, err);
		*out = k > 0;
	}
	return e;
}

sk_err sk_incident_close(sk_ctx *c, int64_t id, const char *comment, sk_buf *err)
{
	sk_err e = check_text(&sk_schema_incident_close, "comment", comment, false, err);
	if (e)
		return e;
	inc_row x;
	if ((e = begin_change(c, id, false, SK_M_INC_DENIED_CLOSE, &x, err)))
		goto out;
	const sk_incident_route *rt;
	const sk_policy *pol = NULL;
	if (!(e = policy_route(c, &rt, err)) && !c->actor->superuser) {
		bool holds = false;
		sk_ctx_policy(c, &pol, err);
		if (sk_authz_can(c, SK_CAP_INCIDENT_CLOSE, x.unit))
			e = holds_in_line(c, rt->closer, x.unit, &holds, err);
		if (!e && !holds) {
			if (rt->n_close_citations)
				fail_worded(e, err, SK_ERR_DENIED, SK_M_INC_CLOSE_ONLY,
				            sk_policy_role_title(pol, rt->closer, l),
				            rt->close_citations[0]);
			else
				fail_worded(e, err, SK_ERR_DENIED, SK_M_INC_CLOSE_ONLY_DEFAULT,
				            sk_policy_role_title(pol, rt->closer, l));
		}
	}
	int64_t now = sk_clock_now();
	if (!e) {
		sk_val p[] = {sk_vtext(c->actor->login), SK_VINT(now), SK_VINT(now), SK_VINT(id)};
		e = sk_store_exec(
		    c->store,
		    "UPDATE incidents SET status = 'closed', closed_by = ?, closed_at = ?, "
		    "due_at = NULL, updated_at = ? WHERE id = ?",
		    p, 4, NULL, err);
	}
	if (!e)
		e = add_step_row(c, id, now, "close", comment, sk_role_name(rt->closer), 0, NULL,
		                 err);
	if (!e)
		e = audit(c, id, "incident.close", x.j, err);
	e = sk_store_end(c->store, e, err);
out:
	json_decref(x.j);
	return e;
}

static void sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned hl = 0;
	EVP_Digest(p, n, h, &hl, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

sk_err sk_incident_attach(sk_ctx *c, int64_t id, const char *name, const char *media_type,
                          const void *data, size_t len, int64_t *att_id, char *sha256, sk_buf *err)
{
	const sk_schema *sc = &sk_schema_incident_attach;
	sk_err e;
	if ((e = check_text(sc, "name", name, true, err)) ||
	    (e = check_text(sc, "media_type", media_type, false, err)))
		return e;
	if (len > SK_INCIDENT_ATTACH_MAX)
		return fail_field(err, SK_ERR_TOO_BIG, "content", SK_M_INC_ATTACH_TOO_BIG, len,
		                  SK_INCIDENT_ATTACH_MAX);
	if (len == 0)
		return fail_field(err, SK_ERR_INVALID, "content", SK_M_INC_ATTACH_EMPTY);
	inc_row x;
	if ((e = begin_change(c, id, false, SK_M_INC_DENIED_ATTACH, &x, err)))
		goto out;
	bool see, handle;
	access_of(c, &x, &see, &handle);
	if (!handle && !(c->actor->user_id && x.reporter_id == c->actor->user_id))
		e = sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_INC_ATTACH_DENIED);
	char hex[65];
	sha256_hex(data, len, hex);
	int64_t now = sk_clock_now(), aid = 0;
	if (!e) {
		sk_val p[] = {
		    SK_VINT(id),
		    sk_vtext(name),
		    sk_vtext(media_type && *media_type ? media_type : "application/octet-stream"),
		    SK_VINT((int64_t)len),
		    sk_vtext(hex),
		    SK_VBLOB(data, len),
		    sk_vtext(c->actor->login),
		    SK_VINT(now)};
		e = sk_store_query_int(
		    c->store,
		    "INSERT INTO incident_attachments(incident_id, name, media_type, "
		    "size, sha256, content, actor, created_at) VALUES (?, ?, ?, ?, ?, "
		    "?, ?, ?) RETURNING id",
		    p, sizeof(p) / sizeof(p[0]), &aid, err);
	}
	if (!e) {
		char note[SK_INCIDENT_NAME_MAX + 100];
		snprintf(note, sizeof(note), "%s (sha256 %s)", name, hex);
		e = add_step_row(c, id, now, "attach", note, NULL, 0, NULL, err);
	}
	if (!e) {
		sk_val p[] = {SK_VINT(now), SK_VINT(id)};
		e = sk_store_exec(c->store, "UPDATE incidents SET updated_at = ? WHERE id = ?", p,
		                  2, NULL, err);
	}
	if (!e)
		e = audit(c, id, "incident.attach", x.j, err);
	e = sk_store_end(c->store, e, err);
	if (!e) {
		if (att_id)
			*att_id = aid;
		if (sha256)
			memcpy(sha256, hex, 65);
	}
out:
	json_decref(x.j);
	return e;
}

/* The attachment's row into box's "list", its bytes (base64) into box's "content". */
static sk_err take_content(void *ctx, const sk_row *r, sk_buf *err)
{
	json_t *box = ctx;
	sk_err e = add_attachment(json_object_get(box, "list"), r, err);
	const sk_val *v = &r->cols[7];
	gchar *b64 = g_base64_encode((const guchar *)(v->p ? v->p : ""), v->n);
	json_object_set_new(box, "content", json_string(b64));
	g_free(b64);
	return e;
}

sk_err sk_incident_attachment_get(sk_ctx *c, int64_t att_id, json_t **out, sk_buf *err)
{
	*out = NULL;
	int64_t id = 0;
	sk_val q[] = {SK_VINT(att_id)};
	sk_err e = sk_store_query_int(
	    c->store, "SELECT incident_id FROM incident_attachments WHERE id = ?", q, 1, &id, err);
	if (e == SK_ERR_NOT_FOUND)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_INC_NO_ATTACHMENT,
		                   (long long)att_id);
	if (e)
		return e;
	inc_row x;
	bool see = false, handle = false;
	if (!(e = load_row(c->store, id, &x, err)))
		access_of(c, &x, &see, &handle);
	json_decref(x.j);
	if (e)
		return e;
	if (!see) /* the same answer as for no attachment at all */
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_INC_NO_ATTACHMENT,
		                   (long long)att_id);
	json_t *box = json_pack("{s:[]}", "list");
	if (!box)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	e = sk_store_query(c->store,
	                   "SELECT id, name, media_type, size, sha256, actor, created_at, content "
	                   "FROM incident_attachments WHERE id = ?",
	                   q, 1, take_content, box, err);
	json_t *one = json_array_get(json_object_get(box, "list"), 0);
	if (!e && !one)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_INC_NO_ATTACHMENT,
		                (long long)att_id);
	if (!e) {
		json_object_set(one, "content", json_object_get(box, "content"));
		json_object_set_new(one, "incident_id", json_integer(id));
		*out = json_incref(one);
	}
	json_decref(box);
	return e;
}
