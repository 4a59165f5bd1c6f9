/*
 * pages_requests: requests and approvals (申請・承認) and the ledgers (台帳).
 * Every fact comes from the domain the API's handlers call
 * (src/http/api_requests.c, api_ledgers.c): the boxes from sk_request_list,
 * one request from sk_request_get, the policy's answer before filing from
 * sk_request_preview (the decision the filing is judged by), the filing
 * and every transition from sk_request_file/approve/reject/withdraw/
 * complete, the ledgers from sk_ledger_list and sk_ledger_export. Forms are
 * generated from the field schema (the kind's details and follow-through);
 * nothing here restates a rule.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/sk_clock.h"
#include "../domain/asset.h"
#include "../domain/ledger.h"
#include "../domain/request.h"
#include "web_int.h"

#define N(a)       (sizeof(a) / sizeof((a)[0]))
#define PAGE_ROWS  50
#define ASSETS_MAX 200 /* the asset choices of a form (a search narrows them) */
#define INBOX_MAX  1000
#define LEDGER_MAX 500 /* rows a ledger page shows; the export has them all */

static const char *const statuses[] = {"pending",     "approved",  "rejected", "withdrawn",
                                       "in_progress", "completed", "expired"};
static const sk_msg_id status_words[] = {SK_M_UI_RQ_ST_PENDING,     SK_M_UI_RQ_ST_APPROVED,
                                         SK_M_UI_RQ_ST_REJECTED,    SK_M_UI_RQ_ST_WITHDRAWN,
                                         SK_M_UI_RQ_ST_IN_PROGRESS, SK_M_UI_RQ_ST_COMPLETED,
                                         SK_M_UI_RQ_ST_EXPIRED};

const char *sk_web_request_status(const sk_web_req *w, const char *status)
{
	for (size_t i = 0; status && i < N(statuses); i++)
		if (!strcmp(statuses[i], status))
			return sk_web_t(w, status_words[i]);
	return status ? status : "";
}

/* The catalog's sentence PREFIX_NAME (name upper-cased), or NULL when there is none. */
static const char *cat(const sk_web_req *w, const char *prefix, const char *name)
{
	char key[96];
	size_t n = (size_t)snprintf(key, sizeof(key), "%s", prefix);
	for (const char *p = name; p && *p && n + 1 < sizeof(key); p++)
		key[n++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
	key[n] = '\0';
	int id = sk_msg_find(key);
	return id >= 0 ? sk_msg_format((sk_msg_id)id, w->lang) : NULL;
}

static const char *kind_title(const sk_web_req *w, const char *kind)
{
	const sk_schema *sc = sk_schema_request_details(kind);
	return sc ? (w->lang == SK_LANG_JA ? sc->ja : sc->en) : (kind ? kind : "");
}

static const char *field_title(const sk_web_req *w, const sk_field *f)
{
	return w->lang == SK_LANG_JA ? f->ja : f->en;
}

/* A safeguard as a person reads it: the catalog's words and the profile's name. */
static void safeguard_text(const sk_web_req *w, const char *name, char *out, size_t max)
{
	const char *t = cat(w, "UI_SG_", name);
	snprintf(out, max, "%s%s%s%s", t ? t : "", t ? " (" : "", name, t ? ")" : "");
}

/* An RFC 3339 time as the city's clock shows it (JST), "YYYY-MM-DD HH:MM". */
static const char *jst(const char *rfc, char out[32])
{
	int64_t us;
	if (!rfc || sk_clock_parse_us(rfc, &us))
		return rfc ? rfc : "";
	time_t t = (time_t)(us / 1000000 + 9 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
	return out;
}

static void dt(sk_web_req *w, sk_html_frag *out, const char *term, const char *value)
{
	sk_tv v[] = {SK_TV("term", term), SK_TV("value", value && *value ? value : "—")};
	sk_html_render(out, "dt", w->lang, v, N(v));
}

static void li(sk_web_req *w, sk_html_frag *out, const char *text)
{
	sk_tv v[] = {SK_TV("text", text)};
	sk_html_render(out, "li", w->lang, v, 1);
}

static void status_options(sk_web_req *w, sk_html_frag *out, const char *chosen)
{
	sk_web_option(w, out, "", sk_web_t(w, SK_M_UI_RQ_ST_ALL), !chosen || !*chosen);
	for (size_t i = 0; i < N(statuses); i++)
		sk_web_option(w, out, statuses[i], sk_web_t(w, status_words[i]),
		              chosen && !strcmp(chosen, statuses[i]));
}

/* After how many days a pending request is overdue: the reminders' (serve --remind-after). */
static int remind_days(const sk_web_req *w) { return w->r->t->cfg->remind_days; }

/* Fails the page with SK_ERR_INVALID naming field (a query parameter out of its range). */
static void bad_param(sk_web_req *w, const char *field)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_fail_msg(&err, SK_ERR_INVALID, field, NULL, SK_M_FIELD_RANGE, 1LL, (long long)INT64_MAX);
	sk_web_fail(w, SK_ERR_INVALID, &err);
	sk_buf_free(&err);
}

static bool parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v = s && *s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || v < 1)
		return false;
	*out = (int64_t)v;
	return true;
}

/* --- /requests: my requests and the inbox --- */

static void request_row(sk_web_req *w, sk_html_frag *out, const json_t *r, int days, int64_t now)
{
	char id[24], number[32], at[32];
	long long n = (long long)json_integer_value(json_object_get(r, "id"));
	snprintf(id, sizeof(id), "%lld", n);
	snprintf(number, sizeof(number), "R-%06lld", n);
	const char *status = json_string_value(json_object_get(r, "status"));
	sk_tv v[] = {SK_TV("id", id),
	             SK_TV("number", number),
	             SK_TV("kind", kind_title(w, json_string_value(json_object_get(r, "kind")))),
	             SK_TV("status", sk_web_request_status(w, status)),
	             SK_TV("status_key", status),
	             SK_TV("requester", json_string_value(json_object_get(r, "requester"))),
	             SK_TV("unit", json_string_value(json_object_get(r, "unit_code"))),
	             SK_TV("filed", jst(json_string_value(json_object_get(r, "created_at")), at)),
	             SK_TV("overdue", sk_request_overdue(r, days, now) ? "1" : NULL)};
	sk_html_render(out, "request_row", w->lang, v, N(v));
}

void sk_web_requests(sk_web_req *w)
{
	char box[16] = "", status[24] = "", kind[40] = "", before[24] = "";
	sk_http_query(w->r, "box", box, sizeof(box));
	sk_http_query(w->r, "status", status, sizeof(status));
	sk_http_query(w->r, "kind", kind, sizeof(kind));
	sk_http_query(w->r, "before", before, sizeof(before));
	bool can_approve = sk_web_can(w, SK_CAP_REQUEST_APPROVE);
	if (!*box)
		snprintf(box, sizeof(box), "mine");
	bool inbox = !strcmp(box, "inbox");
	if (!inbox && strcmp(box, "mine") != 0)
		return bad_param(w, "box");
	if (inbox && !can_approve)
		return sk_web_not_found(w);
	sk_request_filter f = {
	    .box = box, .status = inbox ? "pending" : status, .kind = kind, .limit = PAGE_ROWS + 1};
	if (*before && !parse_id(before, &f.before))
		return bad_param(w, "before");
	int days = remind_days(w);
	int64_t now = sk_clock_now();
	json_t *list = NULL, *waiting = NULL;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = sk_request_list(&call.c, &f, &list, &call.err);
	int status_code = 200;
	if (e == SK_ERR_INVALID) {
		/* A filter the domain does not take: said at the top, the list empty. */
		sk_web_error(w,
		             call.err.field && !strcmp(call.err.field, "kind") ? "kind" : "status",
		             sk_msg_of(&call.err, e, w->lang));
		status_code = 400;
		e = SK_OK;
	}
	/* The inbox's count and its overdue ones, for the tab (pending requests only). */
	long long n_inbox = 0, n_overdue = 0;
	if (!e && can_approve) {
		sk_request_filter g = {.box = "inbox", .status = "pending", .limit = INBOX_MAX};
		sk_buf gerr = SK_BUF_INIT(SK_BUF_MSG_MAX);
		if (sk_request_list(&call.c, &g, &waiting, &gerr) == SK_OK) {
			size_t i;
			json_t *r;
			json_array_foreach (waiting, i, r) {
				n_inbox++;
				n_overdue += sk_request_overdue(r, days, now);
			}
		}
		sk_buf_free(&gerr);
	}
	if (sk_web_call_done(&call, e))
		return;
	sk_html_frag rows = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT,
	             st_opts = SK_HTML_FRAG_INIT, kind_opts = SK_HTML_FRAG_INIT;
	size_t i, shown = 0;
	json_t *r;
	int64_t last = 0;
	json_array_foreach (list, i, r) {
		if (shown == PAGE_ROWS)
			break;
		request_row(w, &rows, r, days, now);
		last = (int64_t)json_integer_value(json_object_get(r, "id"));
		shown++;
	}
	char next[256] = "";
	if (json_array_size(list) > PAGE_ROWS)
		snprintf(next, sizeof(next), "/requests?box=%s%s%s%s%s&before=%" PRId64, box,
		         *status && !inbox ? "&status=" : "", inbox ? "" : status,
		         *kind ? "&kind=" : "", kind, last);
	status_options(w, &st_opts, status);
	sk_web_option(w, &kind_opts, "", sk_web_t(w, SK_M_UI_RQ_ST_ALL), !*kind);
	for (const char *const *k = sk_request_kinds; *k; k++)
		sk_web_option(w, &kind_opts, *k, kind_title(w, *k), !strcmp(kind, *k));
	char count[24], overdue[24];
	snprintf(count, sizeof(count), "%lld", n_inbox);
	snprintf(overdue, sizeof(overdue), "%lld", n_overdue);
	sk_tv v[] = {SK_TF("rows", &rows),
	             SK_TV("caption", sk_web_t(w, inbox ? SK_M_UI_RQ_INBOX : SK_M_UI_RQ_MINE)),
	             SK_TV("box", box),
	             SK_TV("is_inbox", inbox ? "1" : NULL),
	             SK_TV("is_mine", inbox ? NULL : "1"),
	             SK_TV("can_file", sk_web_can(w, SK_CAP_REQUEST_FILE) ? "1" : NULL),
	             SK_TV("can_approve", can_approve ? "1" : NULL),
	             SK_TV("inbox_count", count),
	             SK_TV("overdue_count", n_overdue ? overdue : NULL),
	             SK_TF("status_options", &st_opts),
	             SK_TF("kind_options", &kind_opts),
	             SK_TV("next", next[0] ? next : NULL)};
	if (sk_web_render(w, &main, "requests", v, N(v)))
		sk_web_page(w, status_code, SK_M_UI_REQUESTS, &main);
	json_decref(list);
	json_decref(waiting);
	sk_html_frag_free(&rows);
	sk_html_frag_free(&main);
	sk_html_frag_free(&st_opts);
	sk_html_frag_free(&kind_opts);
}

/* --- /requests/new: the kinds, and a form per kind --- */

static void kinds_page(sk_web_req *w)
{
	sk_html_frag items = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	for (const char *const *k = sk_request_kinds; *k; k++) {
		const char *line = cat(w, "UI_RQ_KIND_", *k);
		sk_tv v[] = {SK_TV("kind", *k), SK_TV("title", kind_title(w, *k)),
		             SK_TV("line", line ? line : "")};
		sk_html_render(&items, "rq_kind_item", w->lang, v, N(v));
	}
	sk_tv v[] = {SK_TF("kinds", &items)};
	if (sk_web_render(w, &main, "request_kinds", v, N(v)))
		sk_web_page(w, 200, SK_M_UI_RQ_NEW, &main);
	sk_html_frag_free(&items);
	sk_html_frag_free(&main);
}

typedef struct asset_opts {
	sk_web_req *w;
	sk_html_frag *out;
	int64_t chosen;
	bool seen;
} asset_opts;

static sk_err asset_option(void *ctx, const sk_asset *a, sk_buf *err)
{
	(void)err;
	asset_opts *o = ctx;
	char id[24], text[600];
	snprintf(id, sizeof(id), "%" PRId64, a->id);
	const sk_policy *p = o->w->r->t->pol;
	int lv = -1;
	const char *conf = a->conf;
	if (a->conf && !sk_policy_level_parse(p, SK_AXIS_CONF, a->conf, &lv))
		conf = sk_policy_level_label(p, SK_AXIS_CONF, lv);
	snprintf(text, sizeof(text), "%" PRId64 ": %s (%s, %s)", a->id, a->name ? a->name : "",
	         conf ? conf : "", a->unit_code ? a->unit_code : "");
	o->seen = o->seen || a->id == o->chosen;
	sk_web_option(o->w, o->out, id, text, a->id == o->chosen);
	return SK_OK;
}

/* The policy's answer (decision: the SPEC §3 object), as /decide shows it. */
static void policy_answer(sk_web_req *w, sk_html_frag *out, const json_t *d, bool refused,
                          bool recorded)
{
	static const sk_msg_id words[] = {SK_M_UI_DECIDE_ALLOWED, SK_M_UI_DECIDE_CONDITIONAL,
	                                  SK_M_UI_DECIDE_APPROVAL, SK_M_UI_DECIDE_DENIED};
	const sk_policy *p = w->r->t->pol;
	const char *kind = json_string_value(json_object_get(d, "decision"));
	sk_decision_kind k = SK_DEC_FORBID;
	if (kind)
		sk_decision_parse(kind, &k);
	char approver[300] = "";
	const char *ar = json_string_value(json_object_get(d, "approver_role"));
	sk_role role;
	if (ar && sk_role_parse(ar, &role) == SK_OK) {
		const char *t = sk_policy_role_title(p, role, w->lang);
		snprintf(approver, sizeof(approver), "%s (%s)", t ? t : ar, ar);
	}
	sk_html_frag sg = SK_HTML_FRAG_INIT, cites = SK_HTML_FRAG_INIT;
	size_t i;
	json_t *x;
	json_array_foreach (json_object_get(d, "safeguards"), i, x) {
		char t[300];
		safeguard_text(w, json_string_value(x), t, sizeof(t));
		li(w, &sg, t);
	}
	json_array_foreach (json_object_get(d, "citations"), i, x)
		li(w, &cites, json_string_value(x));
	sk_tv v[] = {SK_TV("kind", kind ? kind : "forbid"),
	             SK_TV("verdict", sk_web_t(w, words[refused ? SK_DEC_FORBID : k])),
	             SK_TV("refused", refused ? "1" : NULL),
	             SK_TV("approver", refused ? NULL : approver),
	             SK_TF("safeguards", &sg),
	             SK_TF("cites", &cites),
	             SK_TV("no_approval",
	                   !refused && (k == SK_DEC_ALLOW || k == SK_DEC_ALLOW_WITH_SAFEGUARDS)
	                       ? "1"
	                       : NULL),
	             SK_TV("recorded", recorded ? "1" : NULL)};
	sk_html_render(out, "rq_policy_answer", w->lang, v, N(v));
	sk_html_frag_free(&sg);
	sk_html_frag_free(&cites);
}

/* The message of err for field when err names it, else NULL. */
static const char *error_for(const sk_web_req *w, sk_err e, const sk_buf *err, const char *field)
{
	return e && err && err->field && !strcmp(err->field, field) ? sk_msg_of(err, e, w->lang)
	                                                            : NULL;
}

/* What a form page shows besides its fields. */
typedef struct form_state {
	const char *kind;
	int64_t asset_id;
	const char *aq;
	const sk_form *posted; /* the values sent, or NULL */
	const json_t *decision;
	bool refused, recorded;
	sk_err e;
	const sk_buf *err;
} form_state;

static void form_page(sk_web_req *w, int status, const form_state *s)
{
	const sk_schema *ds = sk_schema_request_details(s->kind);
	bool decided = sk_request_kind_decided(s->kind);
	sk_html_frag assets = SK_HTML_FRAG_INIT, answer = SK_HTML_FRAG_INIT,
	             checklist = SK_HTML_FRAG_INIT, fields = SK_HTML_FRAG_INIT,
	             main = SK_HTML_FRAG_INIT;
	if (decided) {
		sk_web_option(w, &assets, "", sk_web_t(w, SK_M_UI_RQ_NO_ASSET), !s->asset_id);
		asset_opts o = {w, &assets, s->asset_id, false};
		sk_asset_filter f = {.text = s->aq && *s->aq ? s->aq : NULL,
		                     .limit = ASSETS_MAX,
		                     .brief = true,
		                     .withhold = true};
		sk_web_call call;
		sk_web_call_begin(w, &call);
		(void)sk_asset_list(&call.c, &f, asset_option, &o,
		                    &call.err); /* none in scope: no choices */
		sk_web_call_end(&call);
		if (s->asset_id && !o.seen) {
			char id[24];
			snprintf(id, sizeof(id), "%" PRId64, s->asset_id);
			sk_web_option(w, &assets, id, id,
			              true); /* chosen before a search narrowed the list */
		}
	}
	if (s->decision || s->refused)
		policy_answer(w, &answer, s->decision, s->refused, s->recorded);
	size_t i;
	json_t *x;
	json_array_foreach (json_object_get(s->decision, "safeguards"), i, x) {
		char name[96], label[300];
		snprintf(name, sizeof(name), "safeguard_%s", json_string_value(x));
		safeguard_text(w, json_string_value(x), label, sizeof(label));
		const char *on = s->posted ? sk_form_get(s->posted, name) : NULL;
		sk_tv v[] = {SK_TV("name", name), SK_TV("label", label),
		             SK_TV("checked", on && *on ? "1" : NULL)};
		sk_html_render(&checklist, "rq_checkbox", w->lang, v, N(v));
	}
	bool ok = true;
	const sk_field *rf = sk_schema_field(&sk_schema_request, "reason");
	ok = sk_web_field(w, &fields, rf, s->posted ? sk_form_get(s->posted, "reason") : NULL,
	                  error_for(w, s->e, s->err, "reason"));
	for (size_t k = 0; ok && k < ds->n; k++) {
		const sk_field *f = &ds->fields[k];
		ok = sk_web_field(w, &fields, f, s->posted ? sk_form_get(s->posted, f->key) : NULL,
		                  error_for(w, s->e, s->err, f->key));
	}
	sk_tv v[] = {SK_TV("kind", s->kind),
	             SK_TV("csrf", w->ap.csrf_token),
	             SK_TV("aq", s->aq),
	             SK_TF("assets", &assets),
	             SK_TV("asset_required", !strcmp(s->kind, "dispose") ? "1" : NULL),
	             SK_TV("asset_error", error_for(w, s->e, s->err, "asset_id")),
	             SK_TF("answer", &answer),
	             SK_TF("checklist", &checklist),
	             SK_TV("checklist_error", error_for(w, s->e, s->err, "safeguards_confirmed")),
	             SK_TF("fields", &fields)};
	if (ok && sk_web_render(w, &main, "request_form", v, N(v))) {
		char title[200];
		snprintf(title, sizeof(title), "%s: %s", sk_web_t(w, SK_M_UI_RQ_NEW),
		         w->lang == SK_LANG_JA ? ds->ja : ds->en);
		sk_web_page_titled(w, status, title, &main);
	}
	sk_html_frag_free(&assets);
	sk_html_frag_free(&answer);
	sk_html_frag_free(&checklist);
	sk_html_frag_free(&fields);
	sk_html_frag_free(&main);
}

/*
 * The policy's answer for the form (sk_request_preview): on record when it
 * is about a stored asset (action: an exception's, or NULL). Errors (an
 * asset out of scope) go to the summary and beside the asset.
 */
static void preview(sk_web_req *w, form_state *s, const char *action, json_t **dj, sk_err *pe,
                    sk_buf *perr)
{
	sk_ctx c;
	sk_http_ctx(w->r, &c);
	*pe = sk_request_preview(&c, s->kind, s->asset_id, action, dj, &s->refused, perr);
	sk_ctx_fini(&c);
	s->decision = *dj;
	s->recorded = *pe == SK_OK && *dj && s->asset_id;
}

void sk_web_request_new(sk_web_req *w)
{
	char kind[40] = "", asset[24] = "", aq[208] = "";
	sk_http_query(w->r, "kind", kind, sizeof(kind));
	sk_http_query(w->r, "asset", asset, sizeof(asset));
	sk_http_query(w->r, "aq", aq, sizeof(aq));
	if (!*kind)
		return kinds_page(w);
	if (!sk_schema_request_details(kind))
		return bad_param(w, "kind");
	form_state s = {.kind = kind, .aq = aq};
	if (*asset && !parse_id(asset, &s.asset_id))
		return bad_param(w, "asset");
	/* A bare decision is not about a stored asset: it is shown at once, not recorded. */
	json_t *dj = NULL;
	sk_err pe = SK_OK;
	sk_buf perr = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (!s.asset_id)
		preview(w, &s, NULL, &dj, &pe, &perr);
	if (pe && sk_err_http_status(pe) >= 500)
		sk_web_fail(w, pe, &perr);
	else
		form_page(w, 200, &s);
	json_decref(dj);
	sk_buf_free(&perr);
}

/* The form's details as the kind's JSON object: numbers and yes/no typed, the rest text. */
static json_t *details_of(const sk_form *form, const sk_schema *ds)
{
	json_t *d = json_object();
	for (size_t i = 0; d && i < ds->n; i++) {
		const sk_field *f = &ds->fields[i];
		const char *v = sk_form_get(form, f->key);
		if (!v || !*v)
			continue;
		char *end;
		long long n = f->type == SK_FT_INT ? strtoll(v, &end, 10) : 0;
		json_t *j = f->type == SK_FT_INT && *end == '\0'         ? json_integer(n)
		            : f->type == SK_FT_BOOL && !strcmp(v, "yes") ? json_true()
		            : f->type == SK_FT_BOOL && !strcmp(v, "no")  ? json_false()
		                                                         : json_string(v);
		json_object_set_new(d, f->key, j); /* a wrong type is the schema check's to name */
	}
	return d;
}

/* Adds err to the summary, linking to its field when the form has one. */
static void summary_error(sk_web_req *w, sk_err e, const sk_buf *err, const sk_schema *ds)
{
	const char *f = err->field;
	bool on_form = f && (!strcmp(f, "reason") || !strcmp(f, "asset_id") ||
	                     !strcmp(f, "safeguards_confirmed") || sk_schema_field(ds, f));
	sk_web_error(w, on_form ? f : NULL, sk_msg_of(err, e, w->lang));
}

void sk_web_request_create(sk_web_req *w)
{
	const sk_form *fm = &w->form;
	const char *kind = sk_form_get(fm, "kind"), *op = sk_form_get(fm, "op");
	const char *asset = sk_form_get(fm, "asset_id");
	const sk_schema *ds = sk_schema_request_details(kind);
	if (!ds)
		return bad_param(w, "kind");
	form_state s = {.kind = kind, .posted = fm};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), perr = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *dj = NULL, *pj = NULL;
	sk_err e = SK_OK, pe = SK_OK;
	if (asset && *asset && !parse_id(asset, &s.asset_id))
		e = sk_fail_msg(&err, SK_ERR_INVALID, "asset_id", NULL, SK_M_FIELD_RANGE, 1LL,
		                (long long)INT64_MAX);
	if (!e && op && !strcmp(op, "check")) {
		preview(w, &s, sk_form_get(fm, "action"), &pj, &e, &err);
		if (e == SK_OK || sk_err_http_status(e) < 500) {
			if (e)
				summary_error(w, e, &err, ds);
			s.e = e;
			s.err = &err;
			form_page(w, e ? 400 : 200, &s);
		} else {
			sk_web_fail(w, e, &err);
		}
		goto out;
	}
	if (!e) {
		json_t *details = details_of(fm, ds), *confirmed = json_array();
		for (size_t i = 0; confirmed && i < fm->n; i++)
			if (!strncmp(fm->name[i], "safeguard_", 10) && fm->value[i][0])
				json_array_append_new(confirmed, json_string(fm->name[i] + 10));
		sk_request_new in = {.kind = kind,
		                     .asset_id = s.asset_id,
		                     .reason = sk_form_get(fm, "reason"),
		                     .details = details,
		                     .safeguards_confirmed = confirmed,
		                     .decision_out = &dj};
		int64_t id = 0;
		sk_ctx c;
		sk_http_ctx(w->r, &c);
		e = sk_request_file(&c, &in, &id, &err);
		sk_ctx_fini(&c);
		json_decref(details);
		json_decref(confirmed);
		if (!e) {
			char loc[48];
			snprintf(loc, sizeof(loc), "/requests/%" PRId64, id);
			sk_web_redirect(w, loc);
			goto out;
		}
	}
	if (e == SK_ERR_FORBIDDEN_BY_POLICY) {
		/* The refusal carries what the policy said, as the API's 422 does. */
		sk_web_error(w, NULL, sk_msg_of(&err, e, w->lang));
		s.decision = dj;
		s.refused = true;
		form_page(w, 422, &s);
	} else if (e == SK_ERR_INVALID || e == SK_ERR_CONFLICT || e == SK_ERR_NOT_FOUND) {
		summary_error(w, e, &err, ds);
		s.e = e;
		s.err = &err;
		/* The answer beside the errors, on record as any decision handed out. */
		if (!(err.field && !strcmp(err.field, "asset_id")))
			preview(w, &s, sk_form_get(fm, "action"), &pj, &pe, &perr);
		form_page(w, e == SK_ERR_CONFLICT ? 409 : 400, &s);
	} else {
		sk_web_fail(w, e, &err);
	}
out:
	json_decref(dj);
	json_decref(pj);
	sk_buf_free(&err);
	sk_buf_free(&perr);
}

/* --- /requests/{id} --- */

static void detail_page(sk_web_req *w, int status, sk_err fe, const sk_buf *ferr)
{
	json_t *r = NULL;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	if (sk_web_call_done(&call, sk_request_get(&call.c, w->r->id, &r, &call.err)))
		return;
	const sk_policy *p = w->r->t->pol;
	const char *kind = json_string_value(json_object_get(r, "kind"));
	const char *st = json_string_value(json_object_get(r, "status"));
	const char *requester = json_string_value(json_object_get(r, "requester"));
	bool mine = requester && !strcmp(requester, w->ap.login);
	bool pending = st && !strcmp(st, "pending");
	sk_html_frag summary = SK_HTML_FRAG_INIT, details = SK_HTML_FRAG_INIT,
	             decision = SK_HTML_FRAG_INIT, follow = SK_HTML_FRAG_INIT,
	             steps = SK_HTML_FRAG_INIT, comment = SK_HTML_FRAG_INIT,
	             complete = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	char number[32], num[32], at[32], approver[300] = "", decided[200] = "", asset[32] = "";
	snprintf(number, sizeof(number), "R-%06" PRId64, w->r->id);
	dt(w, &summary, sk_web_t(w, SK_M_UI_RQ_NO), number);
	dt(w, &summary, sk_web_t(w, SK_M_UI_RQ_KIND), kind_title(w, kind));
	dt(w, &summary, sk_web_t(w, SK_M_UI_STATUS), sk_web_request_status(w, st));
	dt(w, &summary, sk_web_t(w, SK_M_UI_RQ_REQUESTER), requester);
	dt(w, &summary, sk_web_t(w, SK_M_UI_RQ_UNIT),
	   json_string_value(json_object_get(r, "unit_code")));
	const json_t *aid = json_object_get(r, "asset_id");
	if (json_is_integer(aid))
		snprintf(asset, sizeof(asset), "%" JSON_INTEGER_FORMAT, json_integer_value(aid));
	if (asset[0] && sk_web_can(w, SK_CAP_ASSET_READ)) {
		char href[48];
		snprintf(href, sizeof(href), "/assets/%s", asset);
		sk_tv v[] = {SK_TV("term", sk_web_t(w, SK_M_UI_RQ_ASSET)), SK_TV("value", asset),
		             SK_TV("href", href)};
		sk_html_render(&summary, "rq_dt_link", w->lang, v, N(v));
	} else {
		dt(w, &summary, sk_web_t(w, SK_M_UI_RQ_ASSET),
		   asset[0] ? asset : sk_web_t(w, SK_M_UI_RQ_NO_ASSET));
	}
	const sk_field *rf = sk_schema_field(&sk_schema_request, "reason");
	dt(w, &summary, field_title(w, rf), json_string_value(json_object_get(r, "reason")));
	const char *ar = json_string_value(json_object_get(r, "approver_role"));
	sk_role role;
	if (ar && sk_role_parse(ar, &role) == SK_OK) {
		const char *t = sk_policy_role_title(p, role, w->lang);
		snprintf(approver, sizeof(approver), "%s (%s)", t ? t : ar, ar);
	}
	dt(w, &summary, sk_web_t(w, SK_M_UI_RQ_APPROVER_ROLE), approver);
	const char *by = json_string_value(json_object_get(r, "decided_by"));
	if (by)
		snprintf(decided, sizeof(decided), "%s%s%s%s", by,
		         json_is_true(json_object_get(r, "as_deputy")) ? " (" : "",
		         json_is_true(json_object_get(r, "as_deputy"))
		             ? sk_web_t(w, SK_M_UI_RQ_AS_DEPUTY)
		             : "",
		         json_is_true(json_object_get(r, "as_deputy")) ? ")" : "");
	dt(w, &summary, sk_web_t(w, SK_M_UI_RQ_DECIDED_BY), decided);
	if (json_is_true(json_object_get(r, "emergency")))
		dt(w, &summary, sk_web_t(w, SK_M_UI_RQ_EMERGENCY), sk_web_t(w, SK_M_UI_YES));
	dt(w, &summary, sk_web_t(w, SK_M_UI_RQ_FILED),
	   jst(json_string_value(json_object_get(r, "created_at")), at));
	dt(w, &summary, sk_web_t(w, SK_M_UI_RQ_UPDATED),
	   jst(json_string_value(json_object_get(r, "updated_at")), at));
	const sk_schema *ds = sk_schema_request_details(kind);
	const json_t *dv = json_object_get(r, "details");
	for (size_t i = 0; ds && i < ds->n; i++)
		dt(w, &details, field_title(w, &ds->fields[i]),
		   sk_web_jtext(w, json_object_get(dv, ds->fields[i].key), num, sizeof(num)));
	/* The decision the filing was judged by, and the safeguards the requester confirmed. */
	const json_t *d = json_object_get(r, "decision");
	const char *verdict = NULL;
	if (json_is_object(d)) {
		static const sk_msg_id words[] = {SK_M_UI_DECIDE_ALLOWED,
		                                  SK_M_UI_DECIDE_CONDITIONAL,
		                                  SK_M_UI_DECIDE_APPROVAL, SK_M_UI_DECIDE_DENIED};
		sk_decision_kind k = SK_DEC_FORBID;
		const char *dk = json_string_value(json_object_get(d, "decision"));
		if (dk)
			sk_decision_parse(dk, &k);
		verdict = sk_web_t(w, words[k]);
		sk_buf sg = SK_BUF_INIT(4096), ct = SK_BUF_INIT(4096);
		size_t i;
		json_t *x;
		json_array_foreach (json_object_get(r, "safeguards_confirmed"), i, x) {
			char t[300];
			safeguard_text(w, json_string_value(x), t, sizeof(t));
			sk_buf_addf(&sg, "%s%s", i ? "、" : "", t);
		}
		json_array_foreach (json_object_get(d, "citations"), i, x)
			sk_buf_addf(&ct, "%s%s", i ? ", " : "",
			            json_string_value(x) ? json_string_value(x) : "");
		dt(w, &decision, sk_web_t(w, SK_M_UI_RQ_CONFIRMED), sg.data);
		dt(w, &decision, sk_web_t(w, SK_M_UI_DECIDE_CITES), ct.data);
		sk_buf_free(&sg);
		sk_buf_free(&ct);
	}
	const sk_schema *fs = sk_schema_request_followup(kind);
	const json_t *fv = json_object_get(r, "follow_through");
	for (size_t i = 0; fs && json_is_object(fv) && i < fs->n; i++) {
		const char *t =
		    sk_web_jtext(w, json_object_get(fv, fs->fields[i].key), num, sizeof(num));
		if (t)
			dt(w, &follow, field_title(w, &fs->fields[i]), t);
	}
	size_t i;
	json_t *x;
	json_array_foreach (json_object_get(r, "steps"), i, x) {
		const char *act = json_string_value(json_object_get(x, "action"));
		const char *word = cat(w, "UI_RQ_STEP_", act);
		char when[32];
		sk_tv v[] = {
		    SK_TV("at", jst(json_string_value(json_object_get(x, "at")), when)),
		    SK_TV("actor", json_string_value(json_object_get(x, "actor"))),
		    SK_TV("deputy", json_is_true(json_object_get(x, "as_deputy")) ? "1" : NULL),
		    SK_TV("action", word ? word : act),
		    SK_TV("comment", json_string_value(json_object_get(x, "comment")))};
		sk_html_render(&steps, "rq_step_row", w->lang, v, N(v));
	}
	/* What the reader may do next; the domain decides whether they may (404, 403, 409). */
	bool can_decide = pending && !mine && sk_web_can(w, SK_CAP_REQUEST_APPROVE);
	bool ok = true;
	if (can_decide) {
		const char *cv = fe ? sk_form_get(&w->form, "comment") : NULL;
		sk_tv v[] = {SK_TV("key", "comment"),
		             SK_TV("label", sk_web_t(w, SK_M_UI_RQ_COMMENT)),
		             SK_TV("help", sk_web_t(w, SK_M_UI_RQ_COMMENT_HELP)),
		             SK_TV("error", error_for(w, fe, ferr, "comment")),
		             SK_TV("value", cv),
		             SK_TV("textarea", "1")};
		ok = sk_web_render(w, &comment, "field", v, N(v));
	}
	bool followable = fs && st && (!strcmp(st, "approved") || !strcmp(st, "in_progress")) &&
	                  (mine || sk_web_can(w, SK_CAP_REQUEST_APPROVE));
	for (size_t k = 0; ok && followable && k < fs->n; k++) {
		const sk_field *f = &fs->fields[k];
		ok = sk_web_field(w, &complete, f, fe ? sk_form_get(&w->form, f->key) : NULL,
		                  error_for(w, fe, ferr, f->key));
	}
	char id[24];
	snprintf(id, sizeof(id), "%" PRId64, w->r->id);
	sk_tv v[] = {
	    SK_TV("id", id),
	    SK_TV("kind", kind_title(w, kind)),
	    SK_TV("status", sk_web_request_status(w, st)),
	    SK_TV("status_key", st),
	    SK_TV("overdue", sk_request_overdue(r, remind_days(w), sk_clock_now()) ? "1" : NULL),
	    SK_TF("summary", &summary),
	    SK_TF("details", &details),
	    SK_TF("decision", &decision),
	    SK_TV("verdict", verdict),
	    SK_TF("follow", &follow),
	    SK_TF("steps", &steps),
	    SK_TV("self", pending && mine && sk_web_can(w, SK_CAP_REQUEST_APPROVE) ? "1" : NULL),
	    SK_TV("can_decide", can_decide ? "1" : NULL),
	    SK_TF("comment", &comment),
	    SK_TV("can_withdraw", pending && mine ? "1" : NULL),
	    SK_TF("complete", &complete),
	    SK_TV("complete_title", fs ? (w->lang == SK_LANG_JA ? fs->ja : fs->en) : NULL),
	    SK_TV("csrf", w->ap.csrf_token)};
	if (ok && sk_web_render(w, &main, "request", v, N(v))) {
		char title[200];
		snprintf(title, sizeof(title), "%s %s", number, kind_title(w, kind));
		sk_web_page_titled(w, status, title, &main);
	}
	json_decref(r);
	sk_html_frag_free(&summary);
	sk_html_frag_free(&details);
	sk_html_frag_free(&decision);
	sk_html_frag_free(&follow);
	sk_html_frag_free(&steps);
	sk_html_frag_free(&comment);
	sk_html_frag_free(&complete);
	sk_html_frag_free(&main);
}

void sk_web_request(sk_web_req *w) { detail_page(w, 200, SK_OK, NULL); }

/* After a transition: back to the request, or the request again with what went wrong. */
static void after(sk_web_req *w, sk_err e, sk_buf *err)
{
	if (e == SK_OK) {
		char loc[48];
		snprintf(loc, sizeof(loc), "/requests/%" PRId64, w->r->id);
		return sk_web_redirect(w, loc);
	}
	if (e == SK_ERR_INVALID || e == SK_ERR_CONFLICT || e == SK_ERR_SELF_APPROVAL) {
		/* Self-approval is refused and said so (403), not hidden as out of scope. */
		const char *f = err->field;
		bool on_page =
		    f && (!strcmp(f, "comment") || sk_schema_field(&sk_schema_request_complete, f));
		sk_web_error(w, on_page ? f : NULL, sk_msg_of(err, e, w->lang));
		return detail_page(w, sk_err_http_status(e), e, err);
	}
	sk_web_fail(w, e, err);
}

static const char *comment_of(sk_web_req *w)
{
	const char *v = sk_form_get(&w->form, "comment");
	return v && *v ? v : NULL;
}

typedef sk_err (*decide_fn)(sk_ctx *c, int64_t id, const char *comment, sk_buf *err);

static void transition(sk_web_req *w, decide_fn fn)
{
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = fn(&call.c, w->r->id, comment_of(w), &call.err);
	after(w, e, &call.err);
	sk_web_call_end(&call);
}

void sk_web_request_approve(sk_web_req *w) { transition(w, sk_request_approve); }
void sk_web_request_reject(sk_web_req *w) { transition(w, sk_request_reject); }
void sk_web_request_withdraw(sk_web_req *w) { transition(w, sk_request_withdraw); }

void sk_web_request_complete(sk_web_req *w)
{
	/* The follow-through fields given, as the API's body (sk_schema_request_complete). */
	json_t *fields = json_object();
	const sk_schema *cs = &sk_schema_request_complete;
	for (size_t i = 0; fields && i < cs->n; i++) {
		const char *v = sk_form_get(&w->form, cs->fields[i].key);
		if (v && *v)
			json_object_set_new(fields, cs->fields[i].key, json_string(v));
	}
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = fields ? sk_schema_check_json(cs, SK_SCHEMA_CHANGE, fields, &call.err)
	                  : sk_fail(&call.err, SK_ERR_NOMEM, "out of memory");
	if (!e) {
		e = sk_request_complete(&call.c, w->r->id, fields, &call.err);
	}
	json_decref(fields);
	after(w, e, &call.err);
	sk_web_call_end(&call);
}

/* --- /ledgers --- */

static const char *ledger_title(const sk_web_req *w, const char *name)
{
	const char *t = cat(w, "UI_LEDGER_", name);
	return t ? t : sk_ledger_title(name);
}

void sk_web_ledgers(sk_web_req *w)
{
	sk_html_frag items = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	for (const char *const *n = sk_ledger_names; *n; n++) {
		char href[96];
		snprintf(href, sizeof(href), "/ledgers/%s", *n);
		sk_tv v[] = {SK_TV("href", href), SK_TV("text", ledger_title(w, *n)),
		             SK_TV("line", w->lang == SK_LANG_JA ? NULL : sk_ledger_title(*n))};
		sk_html_render(&items, "rq_link_item", w->lang, v, N(v));
	}
	sk_tv v[] = {SK_TF("items", &items)};
	if (sk_web_render(w, &main, "ledgers", v, N(v)))
		sk_web_page(w, 200, SK_M_UI_LEDGERS, &main);
	sk_html_frag_free(&items);
	sk_html_frag_free(&main);
}

/* The ledger's filters, from the query (a page) or the form (an export). */
typedef struct ledger_q {
	char status[24], unit[72], from[40], until[40];
} ledger_q;

static void ledger_filter(const ledger_q *q, sk_ledger_filter *f)
{
	*f = (sk_ledger_filter){.status = q->status[0] ? q->status : NULL,
	                        .unit = q->unit[0] ? q->unit : NULL,
	                        .from = q->from[0] ? q->from : NULL,
	                        .until = q->until[0] ? q->until : NULL};
}

void sk_web_ledger(sk_web_req *w)
{
	const char *name = w->r->param;
	if (!sk_ledger_kind(name))
		return sk_web_not_found(w);
	ledger_q q = {0};
	sk_http_query(w->r, "status", q.status, sizeof(q.status));
	sk_http_query(w->r, "unit", q.unit, sizeof(q.unit));
	sk_http_query(w->r, "from", q.from, sizeof(q.from));
	sk_http_query(w->r, "until", q.until, sizeof(q.until));
	sk_ledger_filter f;
	ledger_filter(&q, &f);
	json_t *j = NULL;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = sk_ledger_list(&call.c, name, &f, &j, &call.err);
	int status = 200;
	if (e == SK_ERR_INVALID) {
		const char *fl = call.err.field;
		bool known = fl && (!strcmp(fl, "status") || !strcmp(fl, "unit") ||
		                    !strcmp(fl, "from") || !strcmp(fl, "until"));
		sk_web_error(w, known ? fl : NULL, sk_msg_of(&call.err, e, w->lang));
		status = 400;
		e = SK_OK;
	}
	if (sk_web_call_done(&call, e))
		return;
	sk_html_frag head = SK_HTML_FRAG_INIT, rows = SK_HTML_FRAG_INIT, st = SK_HTML_FRAG_INIT,
	             main = SK_HTML_FRAG_INIT;
	const json_t *cols = json_object_get(j, "columns");
	size_t i, k;
	json_t *col, *row;
	json_array_foreach (cols, i, col) {
		sk_tv v[] = {SK_TV("text", json_string_value(json_object_get(
		                               col, w->lang == SK_LANG_JA ? "ja" : "en")))};
		sk_html_render(&head, "rq_th", w->lang, v, 1);
	}
	json_array_foreach (json_object_get(j, "rows"), i, row) {
		if (i == LEDGER_MAX)
			break;
		sk_html_frag cells = SK_HTML_FRAG_INIT;
		bool withheld = json_is_true(json_object_get(row, "details_withheld"));
		json_array_foreach (cols, k, col) {
			const char *key = json_string_value(json_object_get(col, "key"));
			const json_t *val = json_object_get(row, key ? key : "");
			char num[32], href[48] = "";
			const char *t = sk_web_jtext(w, val, num, sizeof(num));
			if (key && !strcmp(key, "id") && t)
				snprintf(href, sizeof(href), "/requests/%s", t);
			if (key && !strcmp(key, "status"))
				t = sk_web_request_status(w, t);
			char when[32];
			size_t kl = key ? strlen(key) : 0;
			if (t && kl > 3 && !strcmp(key + kl - 3, "_at"))
				t = jst(t, when); /* the times of the record, in the city's clock */
			const sk_field *af = key ? sk_schema_asset_column(key) : NULL;
			if (!t && withheld && af && (af->flags & SK_FF_DETAIL))
				t = sk_web_t(w, SK_M_UI_LEDGER_WITHHELD);
			sk_tv v[] = {SK_TV("text", t ? t : ""), SK_TV("href", href)};
			sk_html_render(&cells, "rq_td", w->lang, v, N(v));
		}
		sk_tv v[] = {SK_TF("cells", &cells)};
		sk_html_render(&rows, "rq_tr", w->lang, v, 1);
		sk_html_frag_free(&cells);
	}
	status_options(w, &st, q.status);
	char count[24];
	snprintf(count, sizeof(count), "%zu", json_array_size(json_object_get(j, "rows")));
	const char *title = ledger_title(w, name);
	bool more = json_array_size(json_object_get(j, "rows")) > LEDGER_MAX;
	sk_tv v[] = {SK_TV("more", more ? "1" : NULL),
	             SK_TV("name", name),
	             SK_TV("caption", title),
	             SK_TF("head", &head),
	             SK_TF("rows", &rows),
	             SK_TV("count", count),
	             SK_TF("status_options", &st),
	             SK_TV("status", q.status),
	             SK_TV("unit", q.unit),
	             SK_TV("from", q.from),
	             SK_TV("until", q.until),
	             SK_TV("csrf", w->ap.csrf_token)};
	if (sk_web_render(w, &main, "ledger", v, N(v)))
		sk_web_page_titled(w, status, title, &main);
	json_decref(j);
	sk_html_frag_free(&head);
	sk_html_frag_free(&rows);
	sk_html_frag_free(&st);
	sk_html_frag_free(&main);
}

/* A ledger's export handed to a page worker: its name, filter and format, then the file. */
typedef struct ledger_job {
	char name[sizeof(((sk_http_rctx *)0)->param)];
	ledger_q q;
	sk_ledger_filter f; /* pointing into q */
	bool xlsx;
	sk_csv_encoding enc;
	char *buf;
	size_t n;
} ledger_job;

static void ledger_job_free(void *data)
{
	ledger_job *j = data;
	free(j->buf);
	free(j);
}

/* On a page worker: sk_ledger_export, which records the export once the file is complete. */
static sk_err ledger_work(sk_ctx *c, void *data, sk_buf *err)
{
	ledger_job *j = data;
	return sk_ledger_export(c, j->name, &j->f, j->xlsx ? SK_LEDGER_XLSX : SK_LEDGER_CSV, j->enc,
	                        &j->buf, &j->n, err);
}

/* On the loop: sent as the API sends it. */
static void ledger_answer(sk_web_req *w, void *data, sk_err e, sk_buf *err)
{
	ledger_job *j = data;
	if (e)
		return sk_web_fail(w, e, err);
	sk_api_ledger_send(w->r, j->name, j->xlsx ? SK_LEDGER_XLSX : SK_LEDGER_CSV, j->enc, j->buf,
	                   j->n);
	j->buf = NULL; /* sent (the API's sender takes it) */
}

void sk_web_ledger_export(sk_web_req *w)
{
	const char *name = w->r->param;
	if (!sk_ledger_kind(name))
		return sk_web_not_found(w);
	ledger_job *j = calloc(1, sizeof(*j));
	if (!j)
		return sk_web_busy(w);
	snprintf(j->name, sizeof(j->name), "%s", name);
	static const char *const keys[] = {"status", "unit", "from", "until"};
	char *dst[] = {j->q.status, j->q.unit, j->q.from, j->q.until};
	size_t max[] = {sizeof(j->q.status), sizeof(j->q.unit), sizeof(j->q.from),
	                sizeof(j->q.until)};
	for (size_t i = 0; i < N(keys); i++) {
		const char *v = sk_form_get(&w->form, keys[i]);
		snprintf(dst[i], max[i], "%s", v ? v : "");
	}
	ledger_filter(&j->q, &j->f);
	j->enc = SK_CSV_UTF8_BOM;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_web_export_format(w, &j->xlsx, &j->enc, &err);
	if (e) {
		ledger_job_free(j);
		sk_web_fail(w, e, &err);
	} else {
		sk_web_off_loop(w, ledger_work, ledger_answer, j, ledger_job_free);
	}
	sk_buf_free(&err);
}
