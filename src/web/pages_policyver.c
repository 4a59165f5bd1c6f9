/*
 * pages_policyver: the policy versions and the policy set from the web
 * (issue #16, docs/policy-versions.md, docs/policy-set.md). Every page is
 * the API's route in another dress, through the same domain functions:
 * the list (sk_policyver_list), an import (a file uploaded as
 * multipart/form-data, checked against the API's own body schema
 * sk_schema_policy_import, then sk_policyver_import on a page worker), the
 * diff (sk_policyver_diff: the lines GET /api/v1/policy/diff answers), the
 * activation (sk_policyver_activate: only under the CISO's approved
 * policy_activation request, which the version's page files with
 * sk_request_file) and the set (sk_policyset_show, sk_policyset_change
 * under the same kind of approval).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/org.h"
#include "../domain/policyset.h"
#include "../domain/policyver.h"
#include "../domain/request.h"
#include "../domain/schema.h"
#include "web_int.h"
#include "../core/sk_msg.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* --- what the pages share --- */

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t jint(const json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

static const char *status_word(const sk_web_req *w, const char *status)
{
	if (status && !strcmp(status, "active"))
		return sk_web_t(w, SK_M_UI_PV_ST_ACTIVE);
	if (status && !strcmp(status, "retired"))
		return sk_web_t(w, SK_M_UI_PV_ST_RETIRED);
	return sk_web_t(w, SK_M_UI_PV_ST_IMPORTED);
}

/* The unit kinds named in kinds (a JSON array) in the page's language, apart by 、 or commas. */
static void kinds_text(const sk_web_req *w, const json_t *kinds, sk_buf *out)
{
	size_t k;
	json_t *kind;
	json_array_foreach (kinds, k, kind) {
		sk_org_kind ok;
		if (sk_org_kind_parse(json_string_value(kind), &ok, NULL) != SK_OK)
			continue;
		if (out->len)
			sk_buf_adds(out, w->lang == SK_LANG_JA ? "、" : ", ");
		sk_buf_adds(out, sk_org_kind_label(ok, w->lang));
	}
	sk_buf_addc(out, '\0');
}

/* One option per version ("2: title"), chosen the one numbered chosen. */
static void version_options(sk_web_req *w, sk_html_frag *out, const json_t *list, int64_t chosen)
{
	sk_web_option(w, out, "", sk_web_t(w, SK_M_UI_CHOOSE), chosen == 0);
	size_t i;
	json_t *v;
	json_array_foreach (list, i, v) {
		char id[24], text[400];
		snprintf(id, sizeof(id), "%" PRId64, jint(v, "id"));
		snprintf(text, sizeof(text), "%s: %s (%s)", id,
		         jstr(v, "title") ? jstr(v, "title") : "",
		         status_word(w, jstr(v, "status")));
		sk_web_option(w, out, id, text, jint(v, "id") == chosen);
	}
}

/* The message of err for field when err names it, else NULL. */
static const char *error_for(const sk_web_req *w, sk_err e, const sk_buf *err, const char *field)
{
	return e && err && err->field && !strcmp(err->field, field) ? sk_msg_of(err, e, w->lang)
	                                                            : NULL;
}

/* A positive version number from text (a form's or the query's); false when it is none. */
static bool parse_version(const char *s, int64_t *out)
{
	char *end = NULL;
	long long n = s && *s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || n < 1)
		return false;
	*out = (int64_t)n;
	return true;
}

/* The versions for the reader (policy.read), or the error page (false). */
static bool versions(sk_web_req *w, json_t **list)
{
	sk_web_call k;
	sk_web_call_begin(w, &k);
	return !sk_web_call_done(&k, sk_policyver_list(&k.c, list, &k.err));
}

/* --- /policy/versions: the list, the import and the diff's choice --- */

static void version_row(sk_web_req *w, sk_html_frag *out, const json_t *v)
{
	char id[24], href[48], rq[24] = "", rqhref[48] = "", when[64], act[64];
	snprintf(id, sizeof(id), "%" PRId64, jint(v, "id"));
	snprintf(href, sizeof(href), "/policy/versions/%s", id);
	if (jint(v, "request_id")) {
		snprintf(rq, sizeof(rq), "%" PRId64, jint(v, "request_id"));
		snprintf(rqhref, sizeof(rqhref), "/requests/%s", rq);
	}
	const char *at = jstr(v, "activated_at");
	sk_tv t[] = {
	    SK_TV("id", id),
	    SK_TV("href", href),
	    SK_TV("title", jstr(v, "title")),
	    SK_TV("city", jstr(v, "city")),
	    SK_TV("kind", jstr(v, "kind")),
	    SK_TV("source", jstr(v, "source")),
	    SK_TV("sha256", jstr(v, "sha256")),
	    SK_TV("status", status_word(w, jstr(v, "status"))),
	    SK_TV("active",
	          !strcmp(jstr(v, "status") ? jstr(v, "status") : "", "active") ? "1" : NULL),
	    SK_TV("imported_by", jstr(v, "imported_by")),
	    SK_TV("imported_at", sk_web_when(w, jstr(v, "imported_at"), when, sizeof(when))),
	    SK_TV("activated_by", jstr(v, "activated_by")),
	    SK_TV("activated_at", at ? sk_web_when(w, at, act, sizeof(act)) : NULL),
	    SK_TV("request", rq[0] ? rq : NULL),
	    SK_TV("request_href", rqhref)};
	sk_html_render(out, "pv_row", w->lang, t, N(t));
}

/* The list page; file_error beside the upload's field (the summary holds it too). */
static void versions_page(sk_web_req *w, int status, const json_t *list, const char *file_error)
{
	sk_html_frag rows = SK_HTML_FRAG_INIT, from = SK_HTML_FRAG_INIT, to = SK_HTML_FRAG_INIT,
	             main = SK_HTML_FRAG_INIT;
	size_t i;
	json_t *v;
	int64_t last = 0, before = 0;
	json_array_foreach (list, i, v) {
		version_row(w, &rows, v);
		before = last;
		last = jint(v, "id");
	}
	version_options(w, &from, list, before);
	version_options(w, &to, list, last);
	sk_tv t[] = {SK_TV("csrf", w->ap.csrf_token),
	             SK_TF("rows", &rows),
	             SK_TF("from", &from),
	             SK_TF("to", &to),
	             SK_TV("can_import", sk_web_can(w, SK_CAP_POLICY_IMPORT) ? "1" : NULL),
	             SK_TV("error", file_error)};
	if (sk_web_render(w, &main, "pv_list", t, N(t)))
		sk_web_page(w, status, SK_M_UI_PV_TITLE, &main);
	sk_html_frag_free(&rows);
	sk_html_frag_free(&from);
	sk_html_frag_free(&to);
	sk_html_frag_free(&main);
}

/* The list page again after a refused import: the error in the summary and beside the file. */
static void import_refused(sk_web_req *w, int status, const char *message)
{
	json_t *list = NULL;
	sk_web_error(w, "file", message);
	if (versions(w, &list))
		versions_page(w, status, list, message);
	json_decref(list);
}

void sk_web_policy_versions(sk_web_req *w)
{
	json_t *list = NULL;
	if (versions(w, &list))
		versions_page(w, 200, list, NULL);
	json_decref(list);
}

/* An import handed to a page worker: the upload's bytes and name, and the new version. */
typedef struct import_job {
	const char *data;
	size_t len;
	const char *name;
	int64_t id;
} import_job;

/*
 * On a page worker: the API's body ({"source", "text"}) checked against
 * its schema (the same limits, the same messages), then the one import.
 */
static sk_err import_work(sk_ctx *c, void *data, sk_buf *err)
{
	import_job *j = data;
	json_t *body = json_pack("{s:s, s:s%}", "source", j->name, "text", j->data, j->len);
	sk_err e = body
	               ? sk_schema_check_json(&sk_schema_policy_import, SK_SCHEMA_CREATE, body, err)
	               : sk_fail_msg(err, SK_ERR_INVALID, "text", NULL, SK_M_UI_PV_NOT_TEXT);
	json_decref(body);
	if (!e)
		e = sk_policyver_import(c, j->name, j->data, j->len, &j->id, err);
	return e;
}

static void import_answer(sk_web_req *w, void *data, sk_err e, sk_buf *err)
{
	import_job *j = data;
	int status = sk_err_http_status(e);
	if (!e) {
		char loc[48];
		snprintf(loc, sizeof(loc), "/policy/versions/%" PRId64, j->id);
		sk_web_redirect(w, loc);
	} else if (status >= 500 || status == 404 || e == SK_ERR_DENIED) {
		sk_web_fail(w, e, err);
	} else {
		/* Every problem of the file, its source or its text, is the upload's field's. */
		import_refused(w, status, sk_msg_of(err, e, w->lang));
	}
}

void sk_web_policy_import(sk_web_req *w)
{
	const sk_multipart_part *file = sk_multipart_get(&w->mp, "file");
	if (!file || !file->filename || !*file->filename || file->len == 0)
		/* A browser sends the file part empty when none was chosen. */
		return import_refused(w, 400, sk_web_t(w, SK_M_UI_PV_NO_FILE));
	import_job *j = calloc(1, sizeof(*j));
	if (!j)
		return sk_web_busy(w);
	/* The upload's buffers go with the job (sk_web_off_loop): these pointers stay good. */
	j->data = file->data;
	j->len = file->len;
	j->name = file->filename;
	sk_web_off_loop(w, import_work, import_answer, j, free);
}

void sk_web_policy_import_refused(sk_web_req *w, sk_err e, const sk_buf *err)
{
	import_refused(w, sk_err_http_status(e), sk_msg_of(err, e, w->lang));
}

/* --- /policy/versions/{id}: one version, its activation request, its activation --- */

static void version_page(sk_web_req *w, int status, sk_err fe, const sk_buf *ferr)
{
	json_t *list = NULL;
	if (!versions(w, &list))
		return;
	const json_t *v = NULL, *x;
	size_t i;
	json_array_foreach (list, i, x)
		if (jint(x, "id") == w->r->id)
			v = x;
	if (!v) {
		json_decref(list);
		return sk_web_not_found(w);
	}
	sk_html_frag dl = SK_HTML_FRAG_INIT, reason = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	version_row(w, &dl, v);
	bool active = jstr(v, "status") && !strcmp(jstr(v, "status"), "active");
	const sk_field *rf = sk_schema_field(&sk_schema_request, "reason");
	bool ok = sk_web_field(w, &reason, rf, sk_form_get(&w->form, "reason"),
	                       error_for(w, fe, ferr, "reason"));
	char id[24], prev[24] = "";
	snprintf(id, sizeof(id), "%" PRId64, w->r->id);
	if (w->r->id > 1)
		snprintf(prev, sizeof(prev), "%" PRId64, w->r->id - 1);
	sk_tv t[] = {
	    SK_TV("csrf", w->ap.csrf_token),
	    SK_TV("id", id),
	    SK_TV("prev", prev[0] ? prev : NULL),
	    SK_TF("row", &dl),
	    SK_TV("scope", jstr(v, "scope")),
	    SK_TV("date", jstr(v, "date")),
	    SK_TV("active", active ? "1" : NULL),
	    SK_TV("can_request", !active && sk_web_can(w, SK_CAP_REQUEST_FILE) ? "1" : NULL),
	    SK_TF("reason", &reason),
	    SK_TV("can_activate", !active && sk_web_can(w, SK_CAP_POLICY_IMPORT) ? "1" : NULL)};
	if (ok && sk_web_render(w, &main, "pv_one", t, N(t))) {
		char title[300];
		snprintf(title, sizeof(title), "%s %s: %s", sk_web_t(w, SK_M_UI_PV_VERSION), id,
		         jstr(v, "title") ? jstr(v, "title") : "");
		sk_web_page_titled(w, status, title, &main);
	}
	sk_html_frag_free(&dl);
	sk_html_frag_free(&reason);
	sk_html_frag_free(&main);
	json_decref(list);
}

void sk_web_policy_version(sk_web_req *w) { version_page(w, 200, SK_OK, NULL); }

/*
 * Files the CISO's policy_activation request for version (and, for a set
 * change, the unit kinds), as POST /api/v1/requests files it; *id the new
 * request.
 */
static sk_err file_activation(sk_web_req *w, int64_t version, const char *kinds, int64_t *id,
                              sk_buf *err)
{
	json_t *details = json_pack("{s:I}", "version", (json_int_t)version);
	if (details && kinds)
		json_object_set_new(details, "units_of_kind", json_string(kinds));
	sk_request_new in = {.kind = "policy_activation",
	                     .reason = sk_form_get(&w->form, "reason"),
	                     .details = details};
	sk_ctx c;
	sk_http_ctx(w->r, &c);
	sk_err e = details ? sk_request_file(&c, &in, id, err)
	                   : sk_fail(err, SK_ERR_NOMEM, "out of memory");
	sk_ctx_fini(&c);
	json_decref(details);
	return e;
}

static void to_request(sk_web_req *w, int64_t id)
{
	char loc[48];
	snprintf(loc, sizeof(loc), "/requests/%" PRId64, id);
	sk_web_redirect(w, loc);
}

/* A refusal a form shows (4xx but 404 and 403), or the error page. */
static bool shown_on_form(sk_err e)
{
	int status = sk_err_http_status(e);
	return status >= 400 && status < 500 && status != 404 && e != SK_ERR_DENIED;
}

void sk_web_policy_version_request(sk_web_req *w)
{
	int64_t rid = 0;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = file_activation(w, w->r->id, NULL, &rid, &err);
	if (!e) {
		to_request(w, rid);
	} else if (shown_on_form(e)) {
		sk_web_error(w, err.field && !strcmp(err.field, "reason") ? "reason" : NULL,
		             sk_msg_of(&err, e, w->lang));
		version_page(w, sk_err_http_status(e), e, &err);
	} else {
		sk_web_fail(w, e, &err);
	}
	sk_buf_free(&err);
}

void sk_web_policy_version_activate(sk_web_req *w)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(w->r, &c);
	sk_err e = sk_policyver_activate(&c, w->r->id, NULL, &err);
	sk_ctx_fini(&c);
	if (!e) {
		/* As the API's: this server at its next request, the others within a second. */
		sk_http_policy_check_soon();
		w->notice = sk_web_t(w, SK_M_UI_PV_ACTIVATED);
		version_page(w, 200, SK_OK, NULL);
	} else if (shown_on_form(e)) {
		sk_web_error(w, NULL, sk_msg_of(&err, e, w->lang));
		version_page(w, sk_err_http_status(e), SK_OK, NULL);
	} else {
		sk_web_fail(w, e, &err);
	}
	sk_buf_free(&err);
}

/* --- /policy/diff: what changed from one version to another, rule by rule --- */

void sk_web_policy_diff(sk_web_req *w)
{
	char qf[24] = "", qt[24] = "";
	sk_http_query(w->r, "from", qf, sizeof(qf));
	sk_http_query(w->r, "to", qt, sizeof(qt));
	int64_t a = 0, b = 0;
	json_t *list = NULL;
	if (!versions(w, &list))
		return;
	sk_buf out = SK_BUF_INIT(SK_BUF_DEFAULT_MAX), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = SK_OK;
	const char *ferr = NULL, *terr = NULL;
	/* The page without a choice yet: the form, the last two versions chosen. */
	bool asked = *qf || *qt;
	if (asked && !parse_version(qf, &a))
		ferr = sk_web_t(w, SK_M_UI_PV_CHOOSE_VERSION);
	if (asked && !parse_version(qt, &b))
		terr = sk_web_t(w, SK_M_UI_PV_CHOOSE_VERSION);
	if (!asked) {
		size_t i;
		json_t *v;
		json_array_foreach (list, i, v) {
			a = b;
			b = jint(v, "id");
		}
	}
	if (ferr)
		sk_web_error(w, "from", ferr);
	if (terr)
		sk_web_error(w, "to", terr);
	if (asked && !ferr && !terr) {
		sk_ctx c;
		sk_http_ctx(w->r, &c);
		e = sk_policyver_diff(&c, a, b, &out, &err);
		sk_ctx_fini(&c);
		if (e && !shown_on_form(e)) {
			sk_web_fail(w, e, &err);
			json_decref(list);
			sk_buf_free(&out);
			sk_buf_free(&err);
			return;
		}
		if (e)
			sk_web_error(w, NULL, sk_msg_of(&err, e, w->lang));
	}
	sk_html_frag lines = SK_HTML_FRAG_INIT, from = SK_HTML_FRAG_INIT, to = SK_HTML_FRAG_INIT,
	             main = SK_HTML_FRAG_INIT;
	/* One item per line, as GET /api/v1/policy/diff answers them in "lines". */
	for (char *p = out.data, *nl; !e && p && *p; p = nl + 1) {
		if (!(nl = strchr(p, '\n')))
			break;
		*nl = '\0';
		sk_tv v[] = {SK_TV("line", p)};
		sk_html_render(&lines, "import_line", w->lang, v, N(v));
	}
	version_options(w, &from, list, a);
	version_options(w, &to, list, b);
	bool shown = asked && !ferr && !terr && !e;
	sk_tv t[] = {SK_TF("lines", &lines),
	             SK_TV("shown", shown ? "1" : NULL),
	             SK_TV("same", shown && !out.len ? "1" : NULL),
	             SK_TF("from", &from),
	             SK_TF("to", &to),
	             SK_TV("from_error", ferr),
	             SK_TV("to_error", terr)};
	if (sk_web_render(w, &main, "pv_diff", t, N(t)))
		sk_web_page(w,
		            e              ? sk_err_http_status(e)
		            : ferr || terr ? 400
		                           : 200,
		            SK_M_UI_PV_DIFF_TITLE, &main);
	sk_html_frag_free(&lines);
	sk_html_frag_free(&from);
	sk_html_frag_free(&to);
	sk_html_frag_free(&main);
	json_decref(list);
	sk_buf_free(&out);
	sk_buf_free(&err);
}

/* --- /policy/set: which document applies to which unit kinds --- */

static void set_row(sk_web_req *w, sk_html_frag *out, const json_t *m)
{
	char id[24], href[48], rq[24] = "", rqhref[48] = "", when[64];
	snprintf(id, sizeof(id), "%" PRId64, jint(m, "version"));
	snprintf(href, sizeof(href), "/policy/versions/%s", id);
	if (jint(m, "request_id")) {
		snprintf(rq, sizeof(rq), "%" PRId64, jint(m, "request_id"));
		snprintf(rqhref, sizeof(rqhref), "/requests/%s", rq);
	}
	sk_buf kinds = SK_BUF_INIT(1024);
	kinds_text(w, json_object_get(m, "unit_kinds"), &kinds);
	const char *at = jstr(m, "changed_at");
	sk_tv t[] = {SK_TV("id", id),
	             SK_TV("href", href),
	             SK_TV("title", jstr(m, "title")),
	             SK_TV("city", jstr(m, "city")),
	             SK_TV("kind", jstr(m, "kind")),
	             SK_TV("primary", json_is_true(json_object_get(m, "primary")) ? "1" : NULL),
	             SK_TV("kinds", kinds.data ? kinds.data : ""),
	             SK_TV("changed_by", jstr(m, "changed_by")),
	             SK_TV("changed_at", at ? sk_web_when(w, at, when, sizeof(when)) : NULL),
	             SK_TV("request", rq[0] ? rq : NULL),
	             SK_TV("request_href", rqhref)};
	sk_html_render(out, "pv_set_row", w->lang, t, N(t));
	sk_buf_free(&kinds);
}

/* The kinds ticked on the form, as sk_policyset_parse_kinds reads them ("none" for none). */
static void ticked_kinds(const sk_web_req *w, char *out, size_t max)
{
	size_t n = 0;
	out[0] = '\0';
	for (int k = 0; k < SK_ORG__COUNT; k++) {
		char name[64];
		snprintf(name, sizeof(name), "kind_%s", sk_org_kind_name((sk_org_kind)k));
		const char *v = sk_form_get(&w->form, name);
		if (v && *v)
			n += (size_t)snprintf(out + n, n < max ? max - n : 0, "%s%s", n ? "," : "",
			                      sk_org_kind_name((sk_org_kind)k));
	}
	if (!n)
		snprintf(out, max, "none");
}

static void set_page(sk_web_req *w, int status, sk_err fe, const sk_buf *ferr)
{
	json_t *members = NULL, *list = NULL;
	sk_web_call k;
	sk_web_call_begin(w, &k);
	sk_err e = sk_policyset_show(&k.c, &members, &k.err);
	if (!e)
		e = sk_policyver_list(&k.c, &list, &k.err);
	if (sk_web_call_done(&k, e)) {
		json_decref(members);
		json_decref(list);
		return;
	}
	sk_html_frag rows = SK_HTML_FRAG_INIT, opts = SK_HTML_FRAG_INIT, boxes = SK_HTML_FRAG_INIT,
	             reason = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	size_t i;
	json_t *m;
	json_array_foreach (members, i, m)
		set_row(w, &rows, m);
	int64_t chosen = 0;
	parse_version(sk_form_get(&w->form, "version"), &chosen);
	version_options(w, &opts, list, chosen);
	for (int kd = 0; kd < SK_ORG__COUNT; kd++) {
		char name[64];
		snprintf(name, sizeof(name), "kind_%s", sk_org_kind_name((sk_org_kind)kd));
		const char *on = sk_form_get(&w->form, name);
		sk_tv v[] = {SK_TV("name", name),
		             SK_TV("label", sk_org_kind_label((sk_org_kind)kd, w->lang)),
		             SK_TV("checked", on && *on ? "1" : NULL)};
		sk_html_render(&boxes, "rq_checkbox", w->lang, v, N(v));
	}
	bool ok = true;
	if (sk_web_can(w, SK_CAP_REQUEST_FILE))
		ok =
		    sk_web_field(w, &reason, sk_schema_field(&sk_schema_request, "reason"),
		                 sk_form_get(&w->form, "reason"), error_for(w, fe, ferr, "reason"));
	bool can_request = sk_web_can(w, SK_CAP_REQUEST_FILE),
	     can_apply = sk_web_can(w, SK_CAP_POLICY_IMPORT);
	sk_tv t[] = {SK_TV("csrf", w->ap.csrf_token),
	             SK_TF("rows", &rows),
	             SK_TF("versions", &opts),
	             SK_TF("boxes", &boxes),
	             SK_TF("reason", &reason),
	             SK_TV("version_error", error_for(w, fe, ferr, "version")),
	             SK_TV("kinds_error", error_for(w, fe, ferr, "units_of_kind")),
	             SK_TV("can_change", can_request || can_apply ? "1" : NULL),
	             SK_TV("can_request", can_request ? "1" : NULL),
	             SK_TV("can_apply", can_apply ? "1" : NULL)};
	if (ok && sk_web_render(w, &main, "pv_set", t, N(t)))
		sk_web_page(w, status, SK_M_UI_PV_SET_TITLE, &main);
	sk_html_frag_free(&rows);
	sk_html_frag_free(&opts);
	sk_html_frag_free(&boxes);
	sk_html_frag_free(&reason);
	sk_html_frag_free(&main);
	json_decref(members);
	json_decref(list);
}

void sk_web_policy_set(sk_web_req *w) { set_page(w, 200, SK_OK, NULL); }

/* The set's form refused: the error in the summary, linked to its field, and the form again. */
static void set_refused(sk_web_req *w, sk_err e, const sk_buf *err)
{
	if (!shown_on_form(e))
		return sk_web_fail(w, e, err);
	const char *f = err->field;
	const char *field = !f                                              ? NULL
	                    : !strcmp(f, "units_of_kind")                   ? "kind_municipality"
	                    : !strcmp(f, "version") || !strcmp(f, "reason") ? f
	                                                                    : NULL;
	sk_web_error(w, field, sk_msg_of(err, e, w->lang));
	set_page(w, sk_err_http_status(e), e, err);
}

/* The version the set's form chose: false (the error on the form) when none. */
static bool set_version(sk_web_req *w, int64_t *version, sk_buf *err)
{
	if (parse_version(sk_form_get(&w->form, "version"), version))
		return true;
	sk_fail_msg(err, SK_ERR_INVALID, "version", NULL, SK_M_UI_PV_CHOOSE_VERSION_ERR);
	set_refused(w, SK_ERR_INVALID, err);
	return false;
}

void sk_web_policy_set_request(sk_web_req *w)
{
	int64_t version = 0, rid = 0;
	char kinds[200];
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (set_version(w, &version, &err)) {
		ticked_kinds(w, kinds, sizeof(kinds));
		sk_err e = file_activation(w, version, kinds, &rid, &err);
		if (!e)
			to_request(w, rid);
		else
			set_refused(w, e, &err);
	}
	sk_buf_free(&err);
}

void sk_web_policy_set_apply(sk_web_req *w)
{
	int64_t version = 0;
	char list[200];
	uint32_t kinds = 0;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (set_version(w, &version, &err)) {
		ticked_kinds(w, list, sizeof(list));
		sk_ctx c;
		sk_http_ctx(w->r, &c);
		sk_err e = sk_policyset_parse_kinds(list, "units_of_kind", &kinds, &err);
		if (!e)
			e = sk_policyset_change(&c, version, kinds, NULL, &err);
		sk_ctx_fini(&c);
		if (!e) {
			/* As an activation: this server at its next request, the others within a
			 * second. */
			sk_http_policy_check_soon();
			w->notice = sk_web_t(w, SK_M_UI_PV_SET_CHANGED);
			set_page(w, 200, SK_OK, NULL);
		} else {
			set_refused(w, e, &err);
		}
	}
	sk_buf_free(&err);
}
