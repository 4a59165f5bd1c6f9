/*
 * pages_incidents: incidents and 障害記録 (SPEC C8) and one's notifications.
 * /incidents is the report form for anyone holding incident.report and,
 * for incident.handle holders, the CSIRT board (open incidents by state,
 * severity and age, filtered by GET parameters, 50 a page); /incidents/{id}
 * the incident with its steps and the escalation, response and closure
 * forms. Everything goes through the incident domain (incident.h), as the
 * API's handlers (api_incidents.c) do: who sees what, the chain, who may
 * close are its rules, not this file's. Evidence is attached through the
 * API (base64 in JSON); the page lists what is attached.
 *
 * /notifications lists the account's own (notify.h), newest first, and
 * marks one or all read through sk_notify_read, one audited read each.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_clock.h"
#include "../domain/incident.h"
#include "../domain/notify.h"
#include "../domain/schema.h"
#include "web_int.h"

#define N(a)          (sizeof(a) / sizeof((a)[0]))
#define PAGE_ROWS     50
#define NOTICES_SHOWN 200

static const char *const statuses[] = {"reported", "escalated", "responding", "closed"};
static const sk_msg_id statuses_words[] = {SK_M_UI_INC_ST_REPORTED, SK_M_UI_INC_ST_ESCALATED,
                                           SK_M_UI_INC_ST_RESPONDING, SK_M_UI_INC_ST_CLOSED};
static const char *const step_actions[] = {"report", "escalate", "respond", "close", "attach"};
static const sk_msg_id step_actions_words[] = {SK_M_UI_INC_STEP_REPORT, SK_M_UI_INC_STEP_ESCALATE,
                                               SK_M_UI_INC_STEP_RESPOND, SK_M_UI_INC_STEP_CLOSE,
                                               SK_M_UI_INC_STEP_ATTACH};
static const char *const severities[] = {"high", "medium", "low"};
static const sk_msg_id severities_words[] = {SK_M_UI_INC_SEV_HIGH, SK_M_UI_INC_SEV_MEDIUM,
                                             SK_M_UI_INC_SEV_LOW};
static const char *const kinds[] = {"incident", "failure"};
static const sk_msg_id kinds_words[] = {SK_M_UI_INC_KIND_INCIDENT, SK_M_UI_INC_KIND_FAILURE};

static int index_of(const char *const *words, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(words[i], s) == 0)
			return (int)i;
	return -1;
}

/* A vocabulary word in the reader's language (the word itself when unknown). */
static const char *word(const sk_web_req *w, const char *const *words, const sk_msg_id *ids,
                        size_t n, const char *s)
{
	int i = index_of(words, n, s);
	return i >= 0 ? sk_web_t(w, ids[i]) : (s ? s : "");
}
#define WORD(w, vocab, s) word(w, vocab, vocab##_words, N(vocab), s)

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A role key as the page's reader reads it: the installation's title in the page's language. */
static const char *role_title(const sk_web_req *w, const char *key)
{
	sk_role r;
	return key && sk_role_parse(key, &r) == SK_OK
	           ? sk_policy_role_title(w->r->t->pol, r, w->lang)
	           : (key ? key : "");
}

static const char *field_title(const sk_web_req *w, const sk_schema *sc, const char *key)
{
	const sk_field *f = sk_schema_field(sc, key);
	return f ? (w->lang == SK_LANG_JA ? f->ja : f->en) : key;
}

static const char *field_help(const sk_web_req *w, const sk_schema *sc, const char *key)
{
	const sk_field *f = sk_schema_field(sc, key);
	return f ? (w->lang == SK_LANG_JA ? f->help_ja : f->help_en) : NULL;
}

/* The options of a vocabulary, the first "all" (or "choose") when first is given. */
static void options(sk_web_req *w, sk_html_frag *out, const char *const *words,
                    const sk_msg_id *ids, size_t n, const char *first, const char *sel)
{
	if (first)
		sk_web_option(w, out, "", first, !sel || !*sel);
	for (size_t i = 0; i < n; i++)
		sk_web_option(w, out, words[i], sk_web_t(w, ids[i]), sel && !strcmp(sel, words[i]));
}

/* One field of the incident forms (id and name apart: the detail page has several forms). */
typedef struct ifield {
	const char *id, *name, *label, *help, *value, *error, *type;
	const sk_html_frag *options;
	bool required, textarea;
} ifield;

static bool field(sk_web_req *w, sk_html_frag *out, const ifield *f)
{
	sk_tv v[] = {SK_TV("id", f->id),
	             SK_TV("name", f->name),
	             SK_TV("label", f->label),
	             SK_TV("help", f->help),
	             SK_TV("value", f->value),
	             SK_TV("error", f->error),
	             SK_TV("type", f->type ? f->type : "text"),
	             SK_TF("options", f->options),
	             SK_TV("required", f->required ? "1" : NULL),
	             SK_TV("textarea", f->textarea ? "1" : NULL)};
	return sk_web_render(w, out, "inc_field", v, N(v));
}

/* The error err names for field key, or NULL. */
static const char *error_for(const sk_web_req *w, sk_err e, const sk_buf *err, const char *key)
{
	return e && err && err->field && !strcmp(err->field, key) ? sk_msg_of(err, e, w->lang)
	                                                          : NULL;
}

static void number_of(int64_t id, char out[24]) { snprintf(out, 24, "I-%06" PRId64, id); }

/* How long ago t (RFC 3339) was, in days or hours, in the reader's words. */
static void age_of(const sk_web_req *w, const char *t, char *out, size_t max)
{
	int64_t us;
	out[0] = '\0';
	if (!t || sk_clock_parse_us(t, &us))
		return;
	int64_t s = sk_clock_now() - us / 1000000;
	if (s < 0)
		s = 0;
	if (s >= 86400)
		snprintf(out, max, "%" PRId64 " %s", s / 86400, sk_web_t(w, SK_M_UI_INC_DAYS));
	else
		snprintf(out, max, "%" PRId64 " %s", s / 3600, sk_web_t(w, SK_M_UI_INC_HOURS));
}

/* --- the list and the report form --- */

/* The board's order: state along the chain, then severity, then the oldest first. */
static int board_order(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int d = index_of(statuses, N(statuses), jstr(x, "status")) -
	        index_of(statuses, N(statuses), jstr(y, "status"));
	if (!d)
		d = index_of(severities, N(severities), jstr(x, "severity")) -
		    index_of(severities, N(severities), jstr(y, "severity"));
	if (!d) {
		json_int_t i = json_integer_value(json_object_get(x, "id")),
		           j = json_integer_value(json_object_get(y, "id"));
		d = i < j ? -1 : i > j;
	}
	return d;
}

typedef struct report_form {
	const sk_form *posted; /* the form sent back with its errors, or NULL */
	sk_err e;
	const sk_buf *err;
} report_form;

static bool render_report_form(sk_web_req *w, sk_html_frag *out, const report_form *rf)
{
	const sk_schema *sc = &sk_schema_incident;
	const sk_form *p = rf->posted;
#define POSTED(k) (p ? sk_form_get(p, k) : NULL)
	sk_html_frag kind_opts = SK_HTML_FRAG_INIT, sev_opts = SK_HTML_FRAG_INIT;
	options(w, &kind_opts, kinds, kinds_words, N(kinds), NULL,
	        POSTED("kind") ? POSTED("kind") : "incident");
	options(w, &sev_opts, severities, severities_words, N(severities), NULL,
	        POSTED("severity") ? POSTED("severity") : "high");
	ifield fs[] = {
	    {"f-kind", "kind", field_title(w, sc, "kind"), NULL, NULL,
	     error_for(w, rf->e, rf->err, "kind"), NULL, &kind_opts, true, false},
	    {"f-title", "title", field_title(w, sc, "title"), field_help(w, sc, "title"),
	     POSTED("title"), error_for(w, rf->e, rf->err, "title"), NULL, NULL, true, false},
	    {"f-description", "description", field_title(w, sc, "description"),
	     field_help(w, sc, "description"), POSTED("description"),
	     error_for(w, rf->e, rf->err, "description"), NULL, NULL, true, true},
	    {"f-found_at", "found_at", field_title(w, sc, "found_at"),
	     sk_web_t(w, SK_M_UI_INC_FOUND_AT_HELP), POSTED("found_at"),
	     error_for(w, rf->e, rf->err, "found_at"), "datetime-local", NULL, true, false},
	    {"f-severity", "severity", field_title(w, sc, "severity"),
	     sk_web_t(w, SK_M_UI_INC_SEVERITY_HELP), NULL, error_for(w, rf->e, rf->err, "severity"),
	     NULL, &sev_opts, true, false},
	    {"f-asset_ids", "asset_ids", field_title(w, sc, "asset_ids"),
	     sk_web_t(w, SK_M_UI_INC_ASSETS_HELP), POSTED("asset_ids"),
	     error_for(w, rf->e, rf->err, "asset_ids"), NULL, NULL, false, false},
	};
#undef POSTED
	sk_html_frag fields = SK_HTML_FRAG_INIT;
	bool ok = true;
	for (size_t i = 0; ok && i < N(fs); i++)
		ok = field(w, &fields, &fs[i]);
	sk_tv v[] = {SK_TF("fields", &fields), SK_TV("csrf", w->ap.csrf_token)};
	ok = ok && sk_web_render(w, out, "incident_report", v, N(v));
	sk_html_frag_free(&fields);
	sk_html_frag_free(&kind_opts);
	sk_html_frag_free(&sev_opts);
	return ok;
}

static void incidents_page(sk_web_req *w, int status, const report_form *rf)
{
	char st[24] = "", kind[24] = "", sev[16] = "", pg[16] = "";
	sk_http_query(w->r, "status", st, sizeof(st));
	sk_http_query(w->r, "kind", kind, sizeof(kind));
	sk_http_query(w->r, "severity", sev, sizeof(sev));
	bool board = sk_web_can(w, SK_CAP_INCIDENT_HANDLE);
	bool can_report = sk_web_can(w, SK_CAP_INCIDENT_REPORT);
	if (!board && !can_report)
		return sk_web_not_found(w);
	if (!board) /* one's own reports: all of them, newest first */
		st[0] = kind[0] = sev[0] = '\0';
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = SK_OK;
	long page = 1;
	if (sk_http_query(w->r, "page", pg, sizeof(pg))) {
		char *end;
		page = strtol(pg, &end, 10);
		if (*end || end == pg || page < 1 || page > 1000)
			e = sk_fail_msg(&call.err, SK_ERR_INVALID, "page", NULL, SK_M_FIELD_RANGE,
			                1LL, 1000LL);
	}
	if (!e && *sev && index_of(severities, N(severities), sev) < 0)
		e = sk_fail_msg(&call.err, SK_ERR_INVALID, "severity", NULL,
		                SK_M_UI_INC_BAD_SEVERITY);
	/* "open" (the board's default): every state but closed; "all": closed too. */
	bool open_only = board && (!*st || !strcmp(st, "open"));
	sk_incident_filter f = {open_only || !*st || !strcmp(st, "all") ? NULL : st,
	                        *kind ? kind : NULL};
	json_t *list = NULL;
	if (!e)
		e = sk_incident_list(&call.c, &f, &list, &call.err);
	if (sk_web_call_done(&call, e))
		return;
	/* What the filters keep, in the board's order. */
	size_t n = json_array_size(list), kept = 0;
	json_t **items = calloc(n ? n : 1, sizeof(json_t *));
	for (size_t i = 0; items && i < n; i++) {
		json_t *x = json_array_get(list, i);
		if (open_only && !strcmp(jstr(x, "status") ? jstr(x, "status") : "", "closed"))
			continue;
		if (*sev && strcmp(jstr(x, "severity") ? jstr(x, "severity") : "", sev) != 0)
			continue;
		items[kept++] = x;
	}
	if (board && kept > 1)
		qsort((void *)items, kept, sizeof(json_t *), board_order);
	sk_html_frag rows = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT, form = SK_HTML_FRAG_INIT,
	             st_opts = SK_HTML_FRAG_INIT, kind_opts = SK_HTML_FRAG_INIT,
	             sev_opts = SK_HTML_FRAG_INIT;
	size_t from = (size_t)(page - 1) * PAGE_ROWS;
	for (size_t i = from; i < kept && i < from + PAGE_ROWS; i++) {
		json_t *x = items[i];
		char id[24], num[24], found[64], created[64], due[64], age[64];
		json_int_t xid = json_integer_value(json_object_get(x, "id"));
		snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT, xid);
		number_of(xid, num);
		sk_tv v[] = {
		    SK_TV("id", id),
		    SK_TV("number", num),
		    SK_TV("title", jstr(x, "title")),
		    SK_TV("kind", WORD(w, kinds, jstr(x, "kind"))),
		    SK_TV("severity", WORD(w, severities, jstr(x, "severity"))),
		    SK_TV("sev_class", jstr(x, "severity")),
		    SK_TV("status", WORD(w, statuses, jstr(x, "status"))),
		    SK_TV("role", role_title(w, jstr(x, "role"))),
		    SK_TV("found", sk_web_when(w, jstr(x, "found_at"), found, sizeof(found))),
		    SK_TV("created",
		          sk_web_when(w, jstr(x, "created_at"), created, sizeof(created))),
		    SK_TV("due", sk_web_when(w, jstr(x, "due"), due, sizeof(due))),
		    SK_TV("age", (age_of(w, jstr(x, "created_at"), age, sizeof(age)), age)),
		    SK_TV("late", json_is_true(json_object_get(x, "reported_late")) ? "1" : NULL)};
		sk_html_render(&rows, "incident_row", w->lang, v, N(v));
	}
	sk_buf base = SK_BUF_INIT(1024), prev = SK_BUF_INIT(1024), next = SK_BUF_INIT(1024);
	/* Only known words go back into the links (the domain refused any other). */
	if (*st)
		sk_buf_addf(&base, "&status=%s", st);
	if (*kind)
		sk_buf_addf(&base, "&kind=%s", kind);
	if (*sev)
		sk_buf_addf(&base, "&severity=%s", sev);
	if (page > 1)
		sk_buf_addf(&prev, "/incidents?page=%ld%s", page - 1, base.len ? base.data : "");
	if (from + PAGE_ROWS < kept)
		sk_buf_addf(&next, "/incidents?page=%ld%s", page + 1, base.len ? base.data : "");
	sk_web_option(w, &st_opts, "open", sk_web_t(w, SK_M_UI_INC_OPEN), open_only);
	for (size_t i = 0; i < N(statuses); i++)
		sk_web_option(w, &st_opts, statuses[i], sk_web_t(w, statuses_words[i]),
		              !strcmp(st, statuses[i]));
	sk_web_option(w, &st_opts, "all", sk_web_t(w, SK_M_UI_STATUS_ALL), !strcmp(st, "all"));
	options(w, &kind_opts, kinds, kinds_words, N(kinds), sk_web_t(w, SK_M_UI_STATUS_ALL), kind);
	options(w, &sev_opts, severities, severities_words, N(severities),
	        sk_web_t(w, SK_M_UI_STATUS_ALL), sev);
	report_form none = {NULL, SK_OK, NULL};
	bool ok = !can_report || render_report_form(w, &form, rf ? rf : &none);
	char count[24], pnum[24];
	snprintf(count, sizeof(count), "%zu", kept);
	snprintf(pnum, sizeof(pnum), "%ld", page);
	sk_tv v[] = {SK_TF("form", &form),
	             SK_TF("rows", &rows),
	             SK_TV("board", board ? "1" : NULL),
	             SK_TV("count", count),
	             SK_TV("page", pnum),
	             SK_TV("prev", prev.len ? prev.data : NULL),
	             SK_TV("next", next.len ? next.data : NULL),
	             SK_TF("status_options", &st_opts),
	             SK_TF("kind_options", &kind_opts),
	             SK_TF("severity_options", &sev_opts),
	             SK_TV("kind_title", field_title(w, &sk_schema_incident, "kind")),
	             SK_TV("severity_title", field_title(w, &sk_schema_incident, "severity")),
	             SK_TV("title_title", field_title(w, &sk_schema_incident, "title")),
	             SK_TV("found_title", field_title(w, &sk_schema_incident, "found_at"))};
	if (ok && sk_web_render(w, &main, "incidents", v, N(v)))
		sk_web_page(w, status, SK_M_UI_INCIDENTS, &main);
	free(items);
	json_decref(list);
	sk_buf_free(&base);
	sk_buf_free(&prev);
	sk_buf_free(&next);
	sk_html_frag_free(&rows);
	sk_html_frag_free(&main);
	sk_html_frag_free(&form);
	sk_html_frag_free(&st_opts);
	sk_html_frag_free(&kind_opts);
	sk_html_frag_free(&sev_opts);
}

void sk_web_incidents(sk_web_req *w) { incidents_page(w, 200, NULL); }

/*
 * A browser's datetime-local ("2026-12-06T10:30", or with seconds) is a
 * time in Japan: the offset is added; anything else goes to the domain as
 * typed, which checks it (RFC 3339 with an offset, not in the future).
 */
static const char *found_at_of(const char *v, char *out, size_t max)
{
	size_t n = v ? strlen(v) : 0;
	if ((n == 16 || n == 19) && v[4] == '-' && v[7] == '-' && v[10] == 'T' && v[13] == ':' &&
	    strspn(v, "0123456789-T:") == n) {
		snprintf(out, max, "%s%s+09:00", v, n == 16 ? ":00" : "");
		return out;
	}
	return v;
}

/* "12, 40 7" as ids; SK_ERR_INVALID naming asset_ids for anything but whole numbers from 1. */
static sk_err asset_ids_of(const char *v, int64_t *ids, size_t *n, sk_buf *err)
{
	*n = 0;
	const char *p = v ? v : "";
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '\t' || (unsigned char)*p == 0xe3) {
			/* "、" (E3 80 81) and a full-width space (E3 80 80) separate too. */
			if ((unsigned char)*p == 0xe3) {
				if ((unsigned char)p[1] == 0x80 &&
				    ((unsigned char)p[2] == 0x81 || (unsigned char)p[2] == 0x80))
					p += 2;
				else
					goto bad;
			}
			p++;
		}
		if (!*p)
			break;
		char *end;
		if (*p < '0' || *p > '9')
			goto bad;
		long long x = strtoll(p, &end, 10);
		if (x < 1 || end - p > 18 || *n == SK_INCIDENT_ASSETS_MAX)
			goto bad;
		ids[(*n)++] = x;
		p = end;
	}
	return SK_OK;
bad:
	return sk_fail_msg(err, SK_ERR_INVALID, "asset_ids", "関係する情報資産",
	                   SK_M_FIELD_NOT_IDS);
}

void sk_web_incident_report(sk_web_req *w)
{
	const sk_form *fm = &w->form;
	int64_t ids[SK_INCIDENT_ASSETS_MAX];
	size_t n = 0;
	char found[64];
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = SK_OK;
	static const char *const texts[] = {"title", "description"};
	for (size_t i = 0; !e && i < N(texts); i++) {
		const char *v = sk_form_get(fm, texts[i]);
		if (v && *v)
			e = sk_schema_check_text(sk_schema_field(&sk_schema_incident, texts[i]), v,
			                         strlen(v), &call.err);
	}
	if (!e)
		e = asset_ids_of(sk_form_get(fm, "asset_ids"), ids, &n, &call.err);
	int64_t id = 0;
	if (!e) {
		const char *fa = sk_form_get(fm, "found_at");
		sk_incident_report in = {
		    .kind = sk_form_get(fm, "kind"),
		    .title = sk_form_get(fm, "title"),
		    .description = sk_form_get(fm, "description"),
		    .found_at = fa && *fa ? found_at_of(fa, found, sizeof(found)) : NULL,
		    .severity = sk_form_get(fm, "severity"),
		    .asset_ids = ids,
		    .n_assets = n,
		};
		if (in.title && !*in.title)
			in.title = NULL;
		if (in.description && !*in.description)
			in.description = NULL;
		if (in.kind && !*in.kind)
			in.kind = NULL;
		if (in.severity && !*in.severity)
			in.severity = NULL;
		e = sk_incident_report_new(&call.c, &in, &id, &call.err);
	}
	if (!e) {
		char loc[48];
		snprintf(loc, sizeof(loc), "/incidents/%" PRId64, id);
		sk_web_redirect(w, loc);
	} else if (sk_err_http_status(e) < 500 && e != SK_ERR_DENIED) {
		sk_web_error_of(w, e, &call.err);
		report_form rf = {fm, e, &call.err};
		incidents_page(w, sk_err_http_status(e), &rf);
	} else {
		sk_web_fail(w, e, &call.err);
	}
	sk_web_call_end(&call);
}

/* --- one incident --- */

static void dt(sk_web_req *w, sk_html_frag *out, const char *term, const char *value)
{
	if (!value || !*value)
		return;
	sk_tv v[] = {SK_TV("term", term), SK_TV("value", value)};
	sk_html_render(out, "dt", w->lang, v, N(v));
}

static void li(sk_web_req *w, sk_html_frag *out, const char *text)
{
	sk_tv v[] = {SK_TV("text", text)};
	sk_html_render(out, "li", w->lang, v, 1);
}

/* "security_manager (情報セキュリティ管理者) — jouhou 情報政策課" */
static void holder_line(const json_t *r, char *out, size_t max)
{
	/* the role by its title in the reader's language (the answer's "title") */
	const char *t = jstr(r, "title"), *code = jstr(r, "unit_code"),
	           *name = jstr(r, "unit_name");
	snprintf(out, max, "%s — %s %s", t ? t : (jstr(r, "role") ? jstr(r, "role") : ""),
	         code ? code : "", name ? name : "");
}

typedef struct detail_state {
	sk_err e;          /* the failure of a form sent back, or SK_OK */
	const sk_buf *err; /* its message */
	const char *form;  /* which form it was: "escalate", "respond", "close" */
} detail_state;

/*
 * The comment field of the detail page's form named form (escalate, close), described by
 * schema sc: as posted and with its error when that form was the one refused (ds), else empty.
 */
static bool comment_field(sk_web_req *w, sk_html_frag *out, const char *form, const sk_schema *sc,
                          const detail_state *ds)
{
	bool mine = ds && ds->e && ds->form && !strcmp(ds->form, form);
	char id[32];
	snprintf(id, sizeof(id), "f-%s-comment", form);
	ifield f = {id,
	            "comment",
	            field_title(w, sc, "comment"),
	            field_help(w, sc, "comment"),
	            mine ? sk_form_get(&w->form, "comment") : NULL,
	            mine ? error_for(w, ds->e, ds->err, "comment") : NULL,
	            NULL,
	            NULL,
	            false,
	            true};
	return field(w, out, &f);
}

static void incident_page(sk_web_req *w, int status, const detail_state *ds)
{
	json_t *x = NULL;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	call.c.lang = sk_lang_code(w->lang); /* the page's language words the roles and steps */
	if (sk_web_call_done(&call, sk_incident_get(&call.c, w->r->id, &x, &call.err)))
		return;
	const sk_schema *sc = &sk_schema_incident;
	sk_html_frag summary = SK_HTML_FRAG_INIT, investigation = SK_HTML_FRAG_INIT,
	             routed = SK_HTML_FRAG_INIT, informed = SK_HTML_FRAG_INIT,
	             steps = SK_HTML_FRAG_INIT, chain = SK_HTML_FRAG_INIT,
	             attachments = SK_HTML_FRAG_INIT, assets = SK_HTML_FRAG_INIT,
	             esc_fields = SK_HTML_FRAG_INIT, resp_fields = SK_HTML_FRAG_INIT,
	             close_fields = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	char t1[64], t2[64], t3[64], t4[64], t5[64], line[600];
	const char *status_word = WORD(w, statuses, jstr(x, "status"));
	dt(w, &summary, field_title(w, sc, "kind"), WORD(w, kinds, jstr(x, "kind")));
	dt(w, &summary, sk_web_t(w, SK_M_UI_STATUS), status_word);
	dt(w, &summary, field_title(w, sc, "severity"), WORD(w, severities, jstr(x, "severity")));
	dt(w, &summary, field_title(w, sc, "found_at"),
	   sk_web_when(w, jstr(x, "found_at"), t1, sizeof(t1)));
	dt(w, &summary, sk_web_t(w, SK_M_UI_INC_REPORTER), jstr(x, "reporter"));
	dt(w, &summary, sk_web_t(w, SK_M_UI_INC_REPORTED_AT),
	   sk_web_when(w, jstr(x, "created_at"), t2, sizeof(t2)));
	dt(w, &summary, sk_web_t(w, SK_M_UI_INC_REPORT_DUE),
	   sk_web_when(w, jstr(x, "report_due"), t3, sizeof(t3)));
	if (json_is_true(json_object_get(x, "reported_late")))
		dt(w, &summary, sk_web_t(w, SK_M_UI_INC_LATE), sk_web_t(w, SK_M_UI_YES));
	dt(w, &summary, sk_web_t(w, SK_M_UI_INC_DUE),
	   sk_web_when(w, jstr(x, "due"), t4, sizeof(t4)));
	dt(w, &summary, sk_web_t(w, SK_M_UI_INC_CLOSED_BY), jstr(x, "closed_by"));
	dt(w, &summary, sk_web_t(w, SK_M_UI_INC_CLOSED_AT),
	   sk_web_when(w, jstr(x, "closed_at"), t5, sizeof(t5)));
	static const char *const inv[] = {"cause", "impact", "response", "recovery", "prevention"};
	for (size_t i = 0; i < N(inv); i++)
		dt(w, &investigation, field_title(w, &sk_schema_incident_respond, inv[i]),
		   jstr(x, inv[i]));
	size_t i;
	json_t *r;
	json_array_foreach (json_object_get(x, "routed_to"), i, r) {
		holder_line(r, line, sizeof(line));
		li(w, json_is_true(json_object_get(r, "informed")) ? &informed : &routed, line);
	}
	json_array_foreach (json_object_get(x, "steps"), i, r) {
		char at[64];
		sk_tv v[] = {SK_TV("at", sk_web_when(w, jstr(r, "at"), at, sizeof(at))),
		             SK_TV("actor", jstr(r, "actor")),
		             SK_TV("action", WORD(w, step_actions, jstr(r, "action"))),
		             SK_TV("role", jstr(r, "role_label")),
		             SK_TV("comment", jstr(r, "comment"))};
		sk_html_render(&steps, "incident_step", w->lang, v, N(v));
	}
	json_array_foreach (json_object_get(x, "chain"), i, r) {
		const json_t *cites = json_object_get(r, "citations");
		sk_buf cb = SK_BUF_INIT(1024);
		size_t k;
		json_t *ct;
		json_array_foreach (cites, k, ct)
			sk_buf_addf(&cb, "%s%s", k ? ", " : "", json_string_value(ct));
		const json_t *h = json_object_get(r, "due_hours");
		char hours[48] = "";
		if (json_is_integer(h))
			snprintf(hours, sizeof(hours), "%" JSON_INTEGER_FORMAT " %s",
			         json_integer_value(h), sk_web_t(w, SK_M_UI_INC_HOURS));
		const char *wd = jstr(r, "word");
		snprintf(line, sizeof(line), "%zu. %s%s%s%s%s%s [%s]", i + 1, jstr(r, "role_label"),
		         hours[0] ? " — " : "", hours, wd ? " (「" : "", wd ? wd : "",
		         wd ? "」)" : "", cb.len ? cb.data : "");
		li(w, &chain, line);
		sk_buf_free(&cb);
	}
	json_array_foreach (json_object_get(x, "attachments"), i, r) {
		char aid[24], size[48], at[64];
		snprintf(aid, sizeof(aid), "%" JSON_INTEGER_FORMAT,
		         json_integer_value(json_object_get(r, "id")));
		snprintf(size, sizeof(size), "%" JSON_INTEGER_FORMAT " %s",
		         json_integer_value(json_object_get(r, "size")),
		         sk_web_t(w, SK_M_UI_BYTES));
		sk_tv v[] = {SK_TV("id", aid),
		             SK_TV("name", jstr(r, "name")),
		             SK_TV("media_type", jstr(r, "media_type")),
		             SK_TV("size", size),
		             SK_TV("sha256", jstr(r, "sha256")),
		             SK_TV("actor", jstr(r, "actor")),
		             SK_TV("at", sk_web_when(w, jstr(r, "at"), at, sizeof(at)))};
		sk_html_render(&attachments, "incident_attachment", w->lang, v, N(v));
	}
	json_array_foreach (json_object_get(x, "asset_ids"), i, r) {
		char aid[24];
		snprintf(aid, sizeof(aid), "%" JSON_INTEGER_FORMAT, json_integer_value(r));
		sk_tv v[] = {SK_TV("id", aid),
		             SK_TV("can_assets", sk_web_can(w, SK_CAP_ASSET_READ) ? "1" : NULL)};
		sk_html_render(&assets, "incident_asset", w->lang, v, N(v));
	}
	bool closed = !strcmp(jstr(x, "status") ? jstr(x, "status") : "", "closed");
	bool handle = !closed && sk_web_can(w, SK_CAP_INCIDENT_HANDLE);
	bool can_close = !closed && sk_web_can(w, SK_CAP_INCIDENT_CLOSE);
	/* Who may attach is the domain's rule (the reporter or a handler); the form follows it. */
	const char *reporter = jstr(x, "reporter");
	bool can_attach = !closed && (sk_web_can(w, SK_CAP_INCIDENT_HANDLE) ||
	                              (reporter && !strcmp(reporter, w->ap.login)));
	const sk_err fe = ds ? ds->e : SK_OK;
	const sk_buf *ferr = ds ? ds->err : NULL;
	const char *which = ds && ds->form ? ds->form : "";
	bool ok = true;
	const sk_form *p = ds && ds->e ? &w->form : NULL;
#define POSTED(k) (p ? sk_form_get(p, k) : NULL)
	if (handle) {
		ok = comment_field(w, &esc_fields, "escalate", &sk_schema_incident_escalate, ds);
		const sk_schema *rs = &sk_schema_incident_respond;
		for (size_t k = 0; ok && k < rs->n; k++) {
			const sk_field *f = &rs->fields[k];
			char id[48];
			snprintf(id, sizeof(id), "f-%s%s",
			         strcmp(f->key, "comment") ? "" : "respond-", f->key);
			bool mine = !strcmp(which, "respond");
			ifield rf = {id,
			             f->key,
			             w->lang == SK_LANG_JA ? f->ja : f->en,
			             w->lang == SK_LANG_JA ? f->help_ja : f->help_en,
			             mine ? POSTED(f->key) : jstr(x, f->key),
			             mine ? error_for(w, fe, ferr, f->key) : NULL,
			             NULL,
			             NULL,
			             false,
			             true};
			ok = field(w, &resp_fields, &rf);
		}
	}
	if (ok && can_close) {
		ok = comment_field(w, &close_fields, "close", &sk_schema_incident_close, ds);
	}
#undef POSTED
	char id[24], num[24];
	json_int_t xid = json_integer_value(json_object_get(x, "id"));
	snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT, xid);
	number_of(xid, num);
	sk_tv v[] = {SK_TV("id", id),
	             SK_TV("number", num),
	             SK_TV("description_title", field_title(w, sc, "description")),
	             SK_TV("description", jstr(x, "description")),
	             SK_TV("assets_title", field_title(w, sc, "asset_ids")),
	             SK_TF("summary", &summary),
	             SK_TF("investigation", &investigation),
	             SK_TF("routed", &routed),
	             SK_TF("informed", &informed),
	             SK_TF("steps", &steps),
	             SK_TF("chain", &chain),
	             SK_TF("attachments", &attachments),
	             SK_TF("assets", &assets),
	             SK_TV("csrf", w->ap.csrf_token),
	             SK_TV("handle", handle ? "1" : NULL),
	             SK_TV("can_close", can_close ? "1" : NULL),
	             SK_TV("can_attach", can_attach ? "1" : NULL),
	             SK_TV("file_error",
	                   !strcmp(which, "attach") && fe ? sk_msg_of(ferr, fe, w->lang) : NULL),

	             SK_TV("closed", closed ? "1" : NULL),
	             SK_TF("esc_fields", &esc_fields),
	             SK_TF("resp_fields", &resp_fields),
	             SK_TF("close_fields", &close_fields),
	             SK_TV("esc_title", sk_web_t(w, SK_M_UI_INC_ESCALATE)),
	             SK_TV("resp_title", w->lang == SK_LANG_JA ? sk_schema_incident_respond.ja
	                                                       : sk_schema_incident_respond.en),
	             SK_TV("close_title", w->lang == SK_LANG_JA ? sk_schema_incident_close.ja
	                                                        : sk_schema_incident_close.en)};
	if (ok && sk_web_render(w, &main, "incident", v, N(v))) {
		char title[400];
		snprintf(title, sizeof(title), "%s %s", num,
		         jstr(x, "title") ? jstr(x, "title") : "");
		sk_web_page_titled(w, status, title, &main);
	}
	json_decref(x);
	sk_html_frag *all[] = {&summary,    &investigation, &routed,       &informed,
	                       &steps,      &chain,         &attachments,  &assets,
	                       &esc_fields, &resp_fields,   &close_fields, &main};
	for (size_t k = 0; k < N(all); k++)
		sk_html_frag_free(all[k]);
}

void sk_web_incident(sk_web_req *w) { incident_page(w, 200, NULL); }

/* After a step: back to the incident, or the incident with the step's error. */
static void after_step(sk_web_req *w, sk_err e, sk_buf *err, const char *form)
{
	if (!e) {
		char loc[64];
		snprintf(loc, sizeof(loc), "/incidents/%" PRId64, w->r->id);
		sk_web_redirect(w, loc);
	} else if (sk_err_http_status(e) == 404 || sk_err_http_status(e) >= 500) {
		sk_web_fail(w, e, err);
	} else {
		/* Refused (the top of the chain, not the closing role, bad text): said on the page.
		 */
		const char *m = sk_msg_of(err, e, w->lang);
		char field[48] = "";
		if (err->field)
			snprintf(field, sizeof(field), "%s%s",
			         strcmp(err->field, "comment") ? "" : form,
			         strcmp(err->field, "comment") ? err->field : "-comment");
		sk_web_error(w, field[0] ? field : NULL, m);
		detail_state ds = {e, err, form};
		incident_page(w, sk_err_http_status(e), &ds);
	}
}

static const char *given(const sk_form *f, const char *key)
{
	const char *v = sk_form_get(f, key);
	return v && *v ? v : NULL;
}

/* Checks the given text fields of sc as typed text (sk_schema_check_text), naming the field. */
static sk_err check_texts(const sk_form *fm, const sk_schema *sc, sk_buf *err)
{
	for (size_t i = 0; i < sc->n; i++) {
		const char *v = given(fm, sc->fields[i].key);
		sk_err e = v ? sk_schema_check_text(&sc->fields[i], v, strlen(v), err) : SK_OK;
		if (e)
			return e;
	}
	return SK_OK;
}

/* One step's domain call, given the form (its texts checked against the step's schema). */
typedef sk_err (*step_fn)(sk_ctx *c, int64_t id, const sk_form *f, sk_buf *err);

/* A step posted from the incident's page: the form's texts checked, the call, the answer. */
static void step(sk_web_req *w, const sk_schema *sc, const char *form, step_fn fn)
{
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = check_texts(&w->form, sc, &call.err);
	if (!e)
		e = fn(&call.c, w->r->id, &w->form, &call.err);
	after_step(w, e, &call.err, form);
	sk_web_call_end(&call);
}

static sk_err escalate(sk_ctx *c, int64_t id, const sk_form *f, sk_buf *err)
{
	return sk_incident_escalate(c, id, given(f, "comment"), err);
}

static sk_err respond(sk_ctx *c, int64_t id, const sk_form *f, sk_buf *err)
{
	sk_incident_response in = {given(f, "cause"),      given(f, "impact"),
	                           given(f, "response"),   given(f, "recovery"),
	                           given(f, "prevention"), given(f, "comment")};
	return sk_incident_respond(c, id, &in, err);
}

static sk_err close_it(sk_ctx *c, int64_t id, const sk_form *f, sk_buf *err)
{
	return sk_incident_close(c, id, given(f, "comment"), err);
}

void sk_web_incident_escalate(sk_web_req *w)
{
	step(w, &sk_schema_incident_escalate, "escalate", escalate);
}

void sk_web_incident_respond(sk_web_req *w)
{
	step(w, &sk_schema_incident_respond, "respond", respond);
}

void sk_web_incident_close(sk_web_req *w) { step(w, &sk_schema_incident_close, "close", close_it); }

/* --- evidence --- */

/* The form's help (UI_INC_ATTACH_HELP) names the limit in words. */
_Static_assert(SK_INCIDENT_ATTACH_MAX / 1024u == 512u, "UI_INC_ATTACH_HELP says 512 KiB");

/*
 * The page's words for a refused attachment: the domain names the field
 * "content" for a file too large or empty (its sentence is the log's), the
 * file's name and media type by the schema's catalogued sentences.
 */
static sk_err attach_error(sk_err e, sk_buf *err)
{
	if (!err->field || strcmp(err->field, "content") != 0)
		return e;
	sk_buf_reset(err);
	if (e == SK_ERR_TOO_BIG)
		return sk_fail_msg(err, e, "file", NULL, SK_M_UI_INC_ATTACH_TOO_BIG,
		                   SK_INCIDENT_ATTACH_MAX / 1024);
	return sk_fail_msg(err, e, "file", NULL, SK_M_UI_INC_ATTACH_NO_FILE);
}

/* The incident's page again, with the upload's error in the summary and beside the file. */
static void attach_page(sk_web_req *w, sk_err e, sk_buf *err)
{
	sk_web_error(w, "file", sk_msg_of(err, e, w->lang));
	detail_state ds = {e, err, "attach"};
	incident_page(w, sk_err_http_status(e), &ds);
}

/*
 * Evidence from the page (a log, a screenshot): the multipart upload's file
 * part, kept by sk_incident_attach as the API's route keeps it (one
 * transaction with its incident.attach entry, its SHA-256 recorded).
 */
void sk_web_incident_attach(sk_web_req *w)
{
	const sk_multipart_part *file = sk_multipart_get(&w->mp, "file");
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e;
	if (!file || !file->filename || !*file->filename || file->len == 0) {
		/* A browser sends the file part empty when none was chosen. */
		e = sk_fail_msg(&call.err, SK_ERR_INVALID, "file", NULL,
		                SK_M_UI_INC_ATTACH_NO_FILE);
	} else {
		e = sk_incident_attach(&call.c, w->r->id, file->filename, file->ctype, file->data,
		                       file->len, NULL, NULL, &call.err);
		if (e && call.err.field && !strcmp(call.err.field, "name"))
			call.err.field = "file";
		e = attach_error(e, &call.err);
	}
	int status = sk_err_http_status(e);
	if (!e) {
		char loc[64];
		snprintf(loc, sizeof(loc), "/incidents/%" PRId64 "#inc-att", w->r->id);
		sk_web_redirect(w, loc);
	} else if (status == 404 || status >= 500) {
		sk_web_fail(w, e, &call.err);
	} else {
		attach_page(w, e, &call.err);
	}
	sk_web_call_end(&call);
}

void sk_web_incident_attach_refused(sk_web_req *w, sk_err e, const sk_buf *why)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (e == SK_ERR_TOO_BIG)
		sk_fail_msg(&err, e, "file", NULL, SK_M_UI_INC_ATTACH_TOO_BIG,
		            SK_INCIDENT_ATTACH_MAX / 1024);
	else
		sk_fail_msg(&err, e, "file", NULL, SK_M_UI_FORM_BAD);
	(void)why;
	attach_page(w, e, &err);
	sk_buf_free(&err);
}

/*
 * A file name for Content-Disposition (RFC 6266): an ASCII stand-in in
 * filename (every byte outside [A-Za-z0-9._-] an underscore, no leading
 * dot) and the name itself percent-encoded in filename*, so no quote,
 * semicolon, line break or path reaches the header.
 */
static void disposition(const char *name, sk_buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	sk_buf_addf(out, "attachment; filename=\"");
	size_t n = strlen(name), kept = 0;
	for (size_t i = 0; i < n && kept < 120; i++, kept++) {
		unsigned char ch = (unsigned char)name[i];
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		          (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || (ch == '.' && i);
		sk_buf_addf(out, "%c", ok ? ch : '_');
	}
	if (!n)
		sk_buf_addf(out, "evidence");
	sk_buf_addf(out, "\"; filename*=UTF-8''");
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.')
			sk_buf_addf(out, "%c", ch);
		else
			sk_buf_addf(out, "%%%c%c", hex[ch >> 4], hex[ch & 15]);
	}
}

/*
 * One attachment, downloaded: whoever may read the incident
 * (sk_incident_attachment_get, the API's read), as a file to save, never
 * as the media type its sender claimed (application/octet-stream, nosniff).
 */
void sk_web_incident_attachment(sk_web_req *w)
{
	json_t *a = NULL;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	if (sk_web_call_done(&call, sk_incident_attachment_get(&call.c, w->r->id, &a, &call.err)))
		return;
	gsize n = 0;
	const char *b64 = jstr(a, "content");
	guchar *bytes = g_base64_decode(b64 ? b64 : "", &n);
	h2o_req_t *req = w->r->req;
	sk_buf disp = SK_BUF_INIT(4096);
	disposition(jstr(a, "name") ? jstr(a, "name") : "", &disp);
	sk_web_header(w, H2O_TOKEN_CONTENT_DISPOSITION, disp.data ? disp.data : "attachment");
	sk_web_header(w, H2O_TOKEN_CACHE_CONTROL, "private, no-store");
	char *body = h2o_mem_alloc_pool(&req->pool, n ? n : 1);
	if (n)
		memcpy(body, bytes, n);
	sk_http_reply_text(w->r, 200, "application/octet-stream", body, n);
	g_free(bytes);
	sk_buf_free(&disp);
	json_decref(a);
}

/* --- notifications --- */

/* The path of a notification's link (the base URL, when one is set, is the mail's). */
static const char *local_path(const char *link)
{
	if (!link)
		return NULL;
	if (link[0] == '/')
		return link;
	const char *s = strstr(link, "://");
	if (strncmp(link, "http", 4) != 0 || !s)
		return NULL;
	const char *p = strchr(s + 3, '/');
	return p ? p : "/";
}

void sk_web_notifications(sk_web_req *w)
{
	char u[4] = "";
	sk_http_query(w->r, "unread", u, sizeof(u));
	bool unread_only = !strcmp(u, "1");
	json_t *list = NULL, *n;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	call.c.lang = sk_lang_code(w->lang);
	if (sk_web_call_done(&call,
	                     sk_notify_list(&call.c, unread_only, NOTICES_SHOWN, &list, &call.err)))
		return;
	sk_html_frag items = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	size_t i;
	json_array_foreach (json_object_get(list, "items"), i, n) {
		char id[24], at[64], rat[64];
		snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT,
		         json_integer_value(json_object_get(n, "id")));
		bool unread = json_is_null(json_object_get(n, "read_at"));
		sk_tv v[] = {SK_TV("id", id),
		             SK_TV("title", jstr(n, "title")),
		             SK_TV("link", local_path(jstr(n, "link"))),
		             SK_TV("at", sk_web_when(w, jstr(n, "created_at"), at, sizeof(at))),
		             SK_TV("read_at", sk_web_when(w, jstr(n, "read_at"), rat, sizeof(rat))),
		             SK_TV("unread", unread ? "1" : NULL),
		             SK_TV("csrf", w->ap.csrf_token)};
		sk_html_render(&items, "notification_item", w->lang, v, N(v));
	}
	char unread[24];
	snprintf(unread, sizeof(unread), "%" JSON_INTEGER_FORMAT,
	         json_integer_value(json_object_get(list, "unread")));
	sk_tv v[] = {
	    SK_TF("items", &items), SK_TV("unread", unread),
	    SK_TV("any_unread", json_integer_value(json_object_get(list, "unread")) ? "1" : NULL),
	    SK_TV("unread_only", unread_only ? "1" : NULL), SK_TV("csrf", w->ap.csrf_token)};
	if (sk_web_render(w, &main, "notifications", v, N(v)))
		sk_web_page(w, 200, SK_M_UI_NOTIFICATIONS, &main);
	json_decref(list);
	sk_html_frag_free(&items);
	sk_html_frag_free(&main);
}

void sk_web_notification_read(sk_web_req *w)
{
	json_t *one = NULL;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = sk_notify_read(&call.c, w->r->id, &one, &call.err);
	json_decref(one);
	if (!sk_web_call_done(&call, e))
		sk_web_redirect(w, "/notifications");
}

/* Marks every unread one read: sk_notify_read on each, as the API's one-by-one reads do. */
void sk_web_notifications_read_all(sk_web_req *w)
{
	json_t *list = NULL, *n;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = sk_notify_list(&call.c, true, 500, &list, &call.err);
	size_t i;
	json_array_foreach (json_object_get(list, "items"), i, n) {
		json_t *one = NULL;
		if (e)
			break;
		e = sk_notify_read(&call.c, json_integer_value(json_object_get(n, "id")), &one,
		                   &call.err);
		json_decref(one);
	}
	json_decref(list);
	if (!sk_web_call_done(&call, e))
		sk_web_redirect(w, "/notifications");
}
