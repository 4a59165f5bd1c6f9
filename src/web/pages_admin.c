/*
 * pages_admin: administration for the city's administrators. The
 * organization tree with its 責任者/管理者 holders, adding and moving units
 * (sk_org_add, sk_org_move) and the organization check (sk_org_check, as
 * GET /api/v1/org/check); the accounts (sk_user_list, sk_user_show), adding
 * one (sk_user_add, its temporary password shown once), disabling and
 * enabling (sk_user_set_active), unlocking (sk_auth_unlock), taking a TOTP
 * away (sk_auth_totp_reset), and granting and revoking roles
 * (sk_role_grant, sk_role_revoke). Every rule and permission is the
 * domain's: a refusal (separation of duties: no grant to oneself, none at
 * or above one's own role, not the last CISO …) comes back as an error
 * value and is shown beside the field it names.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/org.h"
#include "../domain/role.h"
#include "../domain/schema.h"
#include "../domain/user.h"
#include "web_int.h"

#define N(a)      (sizeof(a) / sizeof((a)[0]))
#define PAGE_ROWS 50

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void li(sk_web_req *w, sk_html_frag *out, const char *text)
{
	sk_tv v[] = {SK_TV("text", text)};
	sk_html_render(out, "li", w->lang, v, 1);
}

/* The message of a failure for the field it names (or dflt when it names none). */
static const char *field_error(const sk_web_req *w, sk_err e, const sk_buf *err, const char *key,
                               const char *dflt)
{
	if (!e)
		return NULL;
	const char *f = err && err->field ? err->field : dflt;
	return f && !strcmp(f, key) ? sk_msg_of(err, e, w->lang) : NULL;
}

/* A form field of a record's schema, its value posted back and its error. */
static bool schema_fields(sk_web_req *w, sk_html_frag *out, const sk_schema *sc,
                          const sk_form *posted, sk_err e, const sk_buf *err, const char *dflt)
{
	for (size_t i = 0; i < sc->n; i++) {
		const sk_field *f = &sc->fields[i];
		if (!sk_web_field(w, out, f, posted ? sk_form_get(posted, f->key) : NULL,
		                  field_error(w, e, err, f->key, dflt)))
			return false;
	}
	return true;
}

/* Every given field of sc checked as typed text (sk_schema_check_text), as the CLI does. */
static sk_err check_text(const sk_schema *sc, const sk_form *form, sk_buf *err)
{
	for (size_t i = 0; i < sc->n; i++) {
		const sk_field *f = &sc->fields[i];
		const char *v = sk_form_get(form, f->key);
		sk_err e = v && *v && f->max ? sk_schema_check_text(f, v, strlen(v), err) : SK_OK;
		if (e)
			return e;
	}
	return SK_OK;
}

/* A form's value, NULL when empty. */
static const char *given(const sk_form *form, const char *key)
{
	const char *v = sk_form_get(form, key);
	return v && *v ? v : NULL;
}

/* A role's title in the profile, with its name. */
static void role_text(const sk_web_req *w, const char *name, char *out, size_t max)
{
	sk_role r;
	const char *t = name && sk_role_parse(name, &r) == SK_OK
	                    ? sk_policy_role_title(w->r->t->pol, r, w->lang)
	                    : NULL;
	snprintf(out, max, "%s (%s)", t ? t : (name ? name : ""), name ? name : "");
}

/* --- the organization --- */

static const struct {
	const char *kind;
	sk_msg_id label;
} kinds[] = {
    {"municipality", SK_M_UI_ORG_KIND_MUNICIPALITY},
    {"department", SK_M_UI_ORG_KIND_DEPARTMENT},
    {"section", SK_M_UI_ORG_KIND_SECTION},
    {"designated_manager", SK_M_UI_ORG_KIND_DESIGNATED_MANAGER},
    {"contractor", SK_M_UI_ORG_KIND_CONTRACTOR},
};

static const char *kind_label(const sk_web_req *w, const char *kind)
{
	for (size_t i = 0; kind && i < N(kinds); i++)
		if (!strcmp(kinds[i].kind, kind))
			return sk_web_t(w, kinds[i].label);
	return kind;
}

/* The unit at index i of units and, under it, its children (recursively: depth is bounded). */
static void org_unit(sk_web_req *w, const json_t *units, size_t i, const json_t *grants,
                     sk_html_frag *out, int depth)
{
	const json_t *u = json_array_get(units, i);
	json_int_t id = json_integer_value(json_object_get(u, "id"));
	const char *code = jstr(u, "code");
	sk_html_frag holders = SK_HTML_FRAG_INIT, children = SK_HTML_FRAG_INIT;
	size_t k;
	const json_t *g;
	/* The posts of the unit: every role held there but the staff's. */
	json_array_foreach (grants, k, g) {
		const char *role = jstr(g, "role"), *uc = jstr(g, "unit_code");
		if (!role || !uc || !code || strcmp(uc, code) != 0 || !strcmp(role, "staff"))
			continue;
		char rt[200], line[480];
		role_text(w, role, rt, sizeof(rt));
		snprintf(line, sizeof(line), "%s: %s (%s)", rt,
		         jstr(g, "name") ? jstr(g, "name") : "",
		         jstr(g, "login") ? jstr(g, "login") : "");
		li(w, &holders, line);
	}
	if (depth < SK_ORG_DEPTH_MAX) {
		const json_t *c;
		json_array_foreach (units, k, c) {
			const json_t *p = json_object_get(c, "parent");
			if (json_is_integer(p) && json_integer_value(p) == id)
				org_unit(w, units, k, grants, &children, depth + 1);
		}
	}
	char ids[24];
	snprintf(ids, sizeof(ids), "%" JSON_INTEGER_FORMAT, id);
	sk_tv v[] = {SK_TV("id", ids),
	             SK_TV("code", code),
	             SK_TV("name", jstr(u, "name")),
	             SK_TV("kind", kind_label(w, jstr(u, "kind"))),
	             SK_TF("holders", &holders),
	             SK_TF("children", &children)};
	sk_html_render(out, "org_unit", w->lang, v, N(v));
	sk_html_frag_free(&holders);
	sk_html_frag_free(&children);
}

/* The organization check's findings, a line each. */
static void check_lines(sk_web_req *w, const json_t *chk, sk_html_frag *out)
{
	size_t i;
	const json_t *m;
	json_array_foreach (json_object_get(chk, "missing"), i, m) {
		const json_t *f = json_object_get(m, "for");
		char rq[200], rl[200], what[160], line[800];
		role_text(w, jstr(m, "requester_role"), rq, sizeof(rq));
		role_text(w, jstr(m, "role"), rl, sizeof(rl));
		if (json_is_string(f))
			snprintf(what, sizeof(what), "%s",
			         sk_web_t(w, !strcmp(json_string_value(f), "incidents")
			                         ? SK_M_UI_ORG_CHECK_INCIDENTS
			                         : SK_M_UI_ORG_CHECK_EXCEPTIONS));
		else {
			const json_t *conf = json_object_get(f, "conf");
			char cv[32] = "";
			if (json_is_integer(conf))
				snprintf(cv, sizeof(cv), "%" JSON_INTEGER_FORMAT,
				         json_integer_value(conf));
			else if (json_is_string(conf))
				snprintf(cv, sizeof(cv), "%s", json_string_value(conf));
			snprintf(what, sizeof(what), "%s%s%s%s",
			         jstr(f, "action") ? jstr(f, "action") : "", *cv ? " (" : "", cv,
			         *cv ? ")" : "");
		}
		snprintf(line, sizeof(line), "%s (%s) — %s %s — %s %s — %s",
		         jstr(m, "unit_name") ? jstr(m, "unit_name") : "",
		         jstr(m, "unit") ? jstr(m, "unit") : "",
		         sk_web_t(w, SK_M_UI_ORG_CHECK_FROM), rq,
		         sk_web_t(w, SK_M_UI_ORG_CHECK_NEEDS), rl, what);
		li(w, out, line);
	}
}

/* The page; add_e/move_e: a failed form, posted back with its error beside the field. */
static void org_page(sk_web_req *w, int status, sk_err add_e, const sk_buf *add_err, sk_err move_e,
                     const sk_buf *move_err)
{
	json_t *units = NULL, *grants = NULL, *chk = NULL;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = sk_authz_scope_units(&call.c, SK_CAP_ORG_READ, &units, &call.err);
	if (!e)
		e = sk_org_check(&call.c, &chk, &call.err);
	/* The holders need user.read; without it the tree shows the units alone. */
	if (!e && sk_role_list(&call.c, NULL, NULL, NULL, &grants, NULL) != SK_OK)
		grants = NULL;
	if (e) {
		sk_web_fail(w, e, &call.err);
		goto out;
	}
	sk_html_frag tree = SK_HTML_FRAG_INIT, missing = SK_HTML_FRAG_INIT, add = SK_HTML_FRAG_INIT,
	             move = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	/* The tops of the tree the reader sees: units whose parent is not shown. */
	size_t i;
	const json_t *u;
	json_array_foreach (units, i, u) {
		const json_t *p = json_object_get(u, "parent");
		bool shown = false;
		size_t k;
		const json_t *o;
		if (json_is_integer(p))
			json_array_foreach (units, k, o)
				if (json_integer_value(json_object_get(o, "id")) ==
				    json_integer_value(p))
					shown = true;
		if (!shown)
			org_unit(w, units, i, grants, &tree, 0);
	}
	check_lines(w, chk, &missing);
	const sk_form *posted_add = add_e ? &w->form : NULL,
	              *posted_move = move_e ? &w->form : NULL;
	bool ok = schema_fields(w, &add, &sk_schema_unit, posted_add, add_e, add_err, "parent");
	static const struct {
		const char *key;
		sk_msg_id label, help;
	} mv[] = {{"unit", SK_M_UI_ORG_MOVE_UNIT, SK_M_UI_ORG_REF_HELP},
	          {"new_parent", SK_M_UI_ORG_MOVE_PARENT, SK_M_UI_ORG_REF_HELP}};
	for (size_t k = 0; ok && k < N(mv); k++) {
		sk_tv v[] = {
		    SK_TV("key", mv[k].key),
		    SK_TV("label", sk_web_t(w, mv[k].label)),
		    SK_TV("help", sk_web_t(w, mv[k].help)),
		    SK_TV("required", "1"),
		    SK_TV("error", field_error(w, move_e, move_err, mv[k].key, "unit")),
		    SK_TV("value", posted_move ? sk_form_get(posted_move, mv[k].key) : NULL),
		    SK_TV("type", "text")};
		ok = sk_web_render(w, &move, "field", v, N(v));
	}
	sk_tv v[] = {SK_TF("tree", &tree),
	             SK_TV("check_ok", json_is_true(json_object_get(chk, "ok")) ? "1" : NULL),
	             SK_TF("missing", &missing),
	             SK_TV("csrf", w->ap.csrf_token),
	             SK_TF("add", &add),
	             SK_TF("move", &move)};
	if (ok && sk_web_render(w, &main, "org", v, N(v)))
		sk_web_page(w, status, SK_M_UI_ADMIN_ORG, &main);
	sk_html_frag_free(&tree);
	sk_html_frag_free(&missing);
	sk_html_frag_free(&add);
	sk_html_frag_free(&move);
	sk_html_frag_free(&main);
out:
	json_decref(units);
	json_decref(grants);
	json_decref(chk);
	sk_web_call_end(&call);
}

void sk_web_admin_org(sk_web_req *w) { org_page(w, 200, SK_OK, NULL, SK_OK, NULL); }

/* After a form's write: back to page on success, the page with the error when it is the form's. */
static bool form_failed(sk_web_req *w, sk_err e, sk_buf *err)
{
	if (e == SK_OK)
		return false;
	int st = sk_err_http_status(e);
	if (st >= 500 || e == SK_ERR_NOMEM) {
		sk_web_fail(w, e, err);
		return false;
	}
	sk_web_error_of(w, e, err);
	return true;
}

void sk_web_admin_org_add(sk_web_req *w)
{
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = check_text(&sk_schema_unit, &w->form, &call.err);
	if (!e) {
		e = sk_org_add(&call.c, given(&w->form, "code"), given(&w->form, "name"),
		               given(&w->form, "kind"), given(&w->form, "parent"), NULL, &call.err);
	}
	if (!e)
		sk_web_redirect(w, "/admin/org");
	else if (form_failed(w, e, &call.err))
		org_page(w, sk_err_http_status(e), e, &call.err, SK_OK, NULL);
	sk_web_call_end(&call);
}

void sk_web_admin_org_move(sk_web_req *w)
{
	sk_web_call call;
	sk_web_call_begin(w, &call);
	const char *unit = given(&w->form, "unit"), *parent = given(&w->form, "new_parent");
	sk_err e = SK_OK;
	if (!unit || !parent)
		e = sk_fail_msg(&call.err, SK_ERR_INVALID, unit ? "new_parent" : "unit", NULL,
		                SK_M_UI_FIELD_NEEDED);
	if (!e) {
		e = sk_org_move(&call.c, unit, parent, &call.err);
	}
	if (!e)
		sk_web_redirect(w, "/admin/org");
	else if (form_failed(w, e, &call.err))
		org_page(w, sk_err_http_status(e), SK_OK, NULL, e, &call.err);
	sk_web_call_end(&call);
}

/* --- accounts --- */

static const char *status_label(const sk_web_req *w, const char *status)
{
	return sk_web_t(w, status && !strcmp(status, "active") ? SK_M_UI_USER_ACTIVE
	                                                       : SK_M_UI_USER_DISABLED);
}

/* The account's roles, "name@unit" each, for a row of the list. */
static void roles_line(const json_t *u, char *out, size_t max)
{
	size_t i, n = 0;
	const json_t *r;
	out[0] = '\0';
	json_array_foreach (json_object_get(u, "roles"), i, r) {
		int k = snprintf(out + n, max - n, "%s%s@%s", n ? ", " : "",
		                 jstr(r, "role") ? jstr(r, "role") : "",
		                 jstr(r, "unit_code") ? jstr(r, "unit_code") : "");
		if (k < 0 || (size_t)k >= max - n)
			break;
		n += (size_t)k;
	}
}

static void users_page(sk_web_req *w, int status, sk_err add_e, const sk_buf *add_err)
{
	char unit[72] = "", role[40] = "", q[104] = "", pg[16] = "";
	sk_http_query(w->r, "unit", unit, sizeof(unit));
	sk_http_query(w->r, "role", role, sizeof(role));
	sk_http_query(w->r, "q", q, sizeof(q));
	long page = 1;
	if (sk_http_query(w->r, "page", pg, sizeof(pg))) {
		char *end;
		page = strtol(pg, &end, 10);
		if (*end || end == pg || page < 1 || page > 100000)
			page = 1;
	}
	json_t *list = NULL;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e =
	    sk_user_list(&call.c, *unit ? unit : NULL, *role ? role : NULL, &list, &call.err);
	const char *unit_err = NULL;
	if (e == SK_ERR_INVALID || e == SK_ERR_NOT_FOUND) {
		/* An unknown unit or role of the filter: said beside it, nothing listed. */
		unit_err = sk_msg_of(&call.err, e, w->lang);
		sk_web_error(w, NULL, unit_err);
		status = 400;
		e = SK_OK;
	}
	if (e) {
		sk_web_fail(w, e, &call.err);
		sk_web_call_end(&call);
		return;
	}
	sk_html_frag rows = SK_HTML_FRAG_INIT, roles = SK_HTML_FRAG_INIT, add = SK_HTML_FRAG_INIT,
	             main = SK_HTML_FRAG_INIT;
	long seen = 0, shown = 0;
	bool more = false;
	size_t i;
	const json_t *u;
	json_array_foreach (list, i, u) {
		const char *login = jstr(u, "login"), *name = jstr(u, "name");
		if (*q && !(login && strstr(login, q)) && !(name && strstr(name, q)))
			continue;
		if (seen++ < (page - 1) * PAGE_ROWS)
			continue;
		if (shown == PAGE_ROWS) {
			more = true;
			break;
		}
		shown++;
		char href[96], rl[600];
		snprintf(href, sizeof(href), "/admin/users/%s", login ? login : "");
		roles_line(u, rl, sizeof(rl));
		sk_tv v[] = {SK_TV("href", href),
		             SK_TV("login", login),
		             SK_TV("name", name),
		             SK_TV("unit", jstr(u, "unit_code")),
		             SK_TV("kind", jstr(u, "kind")),
		             SK_TV("status", status_label(w, jstr(u, "status"))),
		             SK_TV("roles", rl)};
		sk_html_render(&rows, "user_row", w->lang, v, N(v));
	}
	size_t nroles;
	const sk_role_info *rt = sk_role_table(&nroles);
	sk_web_option(w, &roles, "", sk_web_t(w, SK_M_UI_STATUS_ALL), !*role);
	for (size_t k = 0; k < nroles; k++) {
		char t[200];
		role_text(w, rt[k].name, t, sizeof(t));
		sk_web_option(w, &roles, rt[k].name, t, !strcmp(role, rt[k].name));
	}
	bool ok = true;
	bool can_add = sk_web_can(w, SK_CAP_USER_ADMIN);
	if (ok && can_add)
		ok = schema_fields(w, &add, &sk_schema_user, add_e ? &w->form : NULL, add_e,
		                   add_err, "login");
	sk_buf base = SK_BUF_INIT(1024), prev = SK_BUF_INIT(1024), next = SK_BUF_INIT(1024);
	/* The filters again, URL-encoded, for the pages before and after. */
	const char *keep[][2] = {{"unit", unit}, {"role", role}, {"q", q}};
	sk_buf_adds(&base, "/admin/users?");
	for (size_t k = 0; k < N(keep); k++) {
		sk_buf_addf(&base, "%s%s=", k ? "&" : "", keep[k][0]);
		for (const unsigned char *p = (const unsigned char *)keep[k][1]; *p; p++)
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')
				sk_buf_addc(&base, (char)*p);
			else
				sk_buf_addf(&base, "%%%02X", *p);
	}
	if (page > 1)
		sk_buf_addf(&prev, "%s&page=%ld", base.data, page - 1);
	if (more)
		sk_buf_addf(&next, "%s&page=%ld", base.data, page + 1);
	char pnum[24];
	snprintf(pnum, sizeof(pnum), "%ld", page);
	sk_tv v[] = {SK_TV("unit", unit),
	             SK_TV("unit_error", unit_err),
	             SK_TF("roles", &roles),
	             SK_TV("q", q),
	             SK_TF("rows", &rows),
	             SK_TV("none", shown ? NULL : "1"),
	             SK_TV("page", pnum),
	             SK_TV("prev", prev.len ? prev.data : NULL),
	             SK_TV("next", next.len ? next.data : NULL),
	             SK_TV("can_add", can_add ? "1" : NULL),
	             SK_TV("csrf", w->ap.csrf_token),
	             SK_TF("add", &add)};
	if (ok && sk_web_render(w, &main, "users", v, N(v)))
		sk_web_page(w, status, SK_M_UI_ADMIN_USERS, &main);
	json_decref(list);
	sk_web_call_end(&call);
	sk_buf_free(&base);
	sk_buf_free(&prev);
	sk_buf_free(&next);
	sk_html_frag_free(&rows);
	sk_html_frag_free(&roles);
	sk_html_frag_free(&add);
	sk_html_frag_free(&main);
}

void sk_web_admin_users(sk_web_req *w) { users_page(w, 200, SK_OK, NULL); }

/*
 * One account's page. temp: the temporary password of an account just
 * added, shown this once; act_e: a failed action or grant (grant: its form
 * posted back with the refusal beside the field).
 */
static void user_page(sk_web_req *w, const char *login, int status, const char *temp,
                      sk_err grant_e, const sk_buf *grant_err)
{
	json_t *u = NULL;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	if (sk_web_call_done(&call, sk_user_show(&call.c, login, &u, &call.err)))
		return;
	sk_html_frag details = SK_HTML_FRAG_INIT, roles = SK_HTML_FRAG_INIT,
	             role_opts = SK_HTML_FRAG_INIT, grant = SK_HTML_FRAG_INIT,
	             main = SK_HTML_FRAG_INIT;
	bool can_grant = sk_web_can(w, SK_CAP_ROLE_GRANT);
	static const struct {
		const char *key;
		sk_msg_id term;
	} rows[] = {{"login", SK_M_UI_LOGIN_LOGIN},
	            {"name", SK_M_UI_USER_NAME},
	            {"unit_code", SK_M_UI_HOME_UNIT},
	            {"kind", SK_M_UI_USER_KIND},
	            {"created_at", SK_M_UI_USER_CREATED},
	            {"last_login_at", SK_M_UI_USER_LAST_LOGIN},
	            {"disabled_at", SK_M_UI_USER_DISABLED_AT},
	            {"expires_at", SK_M_UI_USER_EXPIRES},
	            {"email", SK_M_UI_USER_EMAIL}};
	for (size_t i = 0; i < N(rows); i++) {
		const char *t = jstr(u, rows[i].key);
		sk_tv v[] = {SK_TV("term", sk_web_t(w, rows[i].term)), SK_TV("value", t ? t : "—")};
		sk_html_render(&details, "dt", w->lang, v, N(v));
	}
	{
		sk_tv v[] = {SK_TV("term", sk_web_t(w, SK_M_UI_STATUS)),
		             SK_TV("value", status_label(w, jstr(u, "status")))};
		sk_html_render(&details, "dt", w->lang, v, N(v));
		sk_tv p[] = {
		    SK_TV("term", sk_web_t(w, SK_M_UI_USER_TEMPORARY)),
		    SK_TV("value",
		          sk_web_t(w, json_is_true(json_object_get(u, "password_temporary"))
		                          ? SK_M_UI_YES
		                          : SK_M_UI_NO))};
		sk_html_render(&details, "dt", w->lang, p, N(p));
	}
	char action[160];
	snprintf(action, sizeof(action), "/admin/users/%s", login);
	size_t i;
	const json_t *r;
	json_array_foreach (json_object_get(u, "roles"), i, r) {
		char t[200];
		role_text(w, jstr(r, "role"), t, sizeof(t));
		sk_tv v[] = {SK_TV("title", t),
		             SK_TV("role", jstr(r, "role")),
		             SK_TV("unit", jstr(r, "unit_code")),
		             SK_TV("can_grant", can_grant ? "1" : NULL),
		             SK_TV("action", action),
		             SK_TV("csrf", w->ap.csrf_token)};
		sk_html_render(&roles, "role_row", w->lang, v, N(v));
	}
	bool ok = true;
	if (can_grant) {
		const char *want = grant_e ? sk_form_get(&w->form, "role") : NULL;
		size_t nroles;
		const sk_role_info *rt = sk_role_table(&nroles);
		sk_web_option(w, &role_opts, "", sk_web_t(w, SK_M_UI_CHOOSE), !want);
		for (size_t k = 0; k < nroles; k++) {
			char t[200];
			role_text(w, rt[k].name, t, sizeof(t));
			sk_web_option(w, &role_opts, rt[k].name, t,
			              want && !strcmp(want, rt[k].name));
		}
		const char *unit = grant_e ? sk_form_get(&w->form, "unit") : jstr(u, "unit_code");
		sk_tv v[] = {SK_TV("key", "unit"),
		             SK_TV("label", sk_web_t(w, SK_M_UI_USER_GRANT_UNIT)),
		             SK_TV("help", sk_web_t(w, SK_M_UI_ORG_REF_HELP)),
		             SK_TV("required", "1"),
		             SK_TV("error", field_error(w, grant_e, grant_err, "unit", "role")),
		             SK_TV("value", unit),
		             SK_TV("type", "text")};
		ok = sk_web_render(w, &grant, "field", v, N(v));
	}
	const char *st = jstr(u, "status");
	bool active = st && !strcmp(st, "active");
	sk_tv v[] = {SK_TF("details", &details),
	             SK_TF("roles", &roles),
	             SK_TV("temp", temp),
	             SK_TV("action", action),
	             SK_TV("csrf", w->ap.csrf_token),
	             SK_TV("can_admin", sk_web_can(w, SK_CAP_USER_ADMIN) ? "1" : NULL),
	             SK_TV("active", active ? "1" : NULL),
	             SK_TV("can_grant", can_grant ? "1" : NULL),
	             SK_TF("role_options", &role_opts),
	             SK_TV("role_error", field_error(w, grant_e, grant_err, "role", "role")),
	             SK_TF("grant_unit", &grant)};
	if (ok && sk_web_render(w, &main, "user", v, N(v))) {
		const char *name = jstr(u, "name");
		char title[300];
		snprintf(title, sizeof(title), "%s (%s)", name ? name : "", login);
		sk_web_page_titled(w, status, title, &main);
	}
	json_decref(u);
	sk_html_frag_free(&details);
	sk_html_frag_free(&roles);
	sk_html_frag_free(&role_opts);
	sk_html_frag_free(&grant);
	sk_html_frag_free(&main);
}

void sk_web_admin_user(sk_web_req *w) { user_page(w, w->r->param, 200, NULL, SK_OK, NULL); }

/* The roles field of the add form: words apart by spaces or commas. */
static size_t split_roles(char *text, const char *names[SK_USER_ROLES_MAX])
{
	size_t n = 0;
	for (char *save = NULL, *t = strtok_r(text, " ,、\t", &save); t && n < SK_USER_ROLES_MAX;
	     t = strtok_r(NULL, " ,、\t", &save))
		names[n++] = t;
	return n;
}

void sk_web_admin_user_add(sk_web_req *w)
{
	sk_web_call call;
	sk_web_call_begin(w, &call);
	const char *names[SK_USER_ROLES_MAX];
	char roles[256] = "";
	const char *given_roles = sk_form_get(&w->form, "roles");
	snprintf(roles, sizeof(roles), "%s", given_roles ? given_roles : "");
	size_t n = split_roles(roles, names);
	sk_user_new in = {.login = given(&w->form, "login"),
	                  .name = given(&w->form, "name"),
	                  .unit = given(&w->form, "unit"),
	                  .kind = given(&w->form, "kind"),
	                  .email = given(&w->form, "email"),
	                  .roles = names,
	                  .nroles = n};
	char temp[SK_PASSWORD_TEMP_MAX];
	temp[0] = '\0';
	sk_err e = check_text(&sk_schema_user, &w->form, &call.err);
	if (!e && n == 0)
		e = sk_fail_msg(&call.err, SK_ERR_INVALID, "roles", NULL, SK_M_UI_FIELD_NEEDED);
	if (!e) {
		e = sk_user_add(&call.c, &in, NULL, temp, &call.err);
	}
	if (!e) {
		/* Shown once, on this answer only; never stored, never sent again. */
		w->notice = sk_web_t(w, SK_M_UI_USER_ADDED);
		sk_web_header(w, H2O_TOKEN_CACHE_CONTROL, "no-store");
		user_page(w, in.login, 201, temp[0] ? temp : NULL, SK_OK, NULL);
	} else if (form_failed(w, e, &call.err))
		users_page(w, sk_err_http_status(e), e, &call.err);
	sodium_memzero(temp, sizeof(temp));
	sk_web_call_end(&call);
}

/* A POST action on /admin/users/{login}/…: back to the account, or its page with the error. */
static void after_action(sk_web_req *w, sk_err e, sk_buf *err)
{
	if (!e) {
		char loc[160];
		snprintf(loc, sizeof(loc), "/admin/users/%s", w->r->param);
		sk_web_redirect(w, loc);
	} else if (form_failed(w, e, err))
		user_page(w, w->r->param, sk_err_http_status(e), NULL, SK_OK, NULL);
}

static void set_active(sk_web_req *w, bool active)
{
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = sk_user_set_active(&call.c, w->r->param, active, &call.err);
	after_action(w, e, &call.err);
	sk_web_call_end(&call);
}

void sk_web_admin_user_disable(sk_web_req *w) { set_active(w, false); }
void sk_web_admin_user_enable(sk_web_req *w) { set_active(w, true); }

void sk_web_admin_user_unlock(sk_web_req *w)
{
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = sk_auth_unlock(&call.c, w->r->param, &call.err);
	after_action(w, e, &call.err);
	sk_web_call_end(&call);
}

void sk_web_admin_user_totp_reset(sk_web_req *w)
{
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = sk_auth_totp_reset(&call.c, w->r->param, &call.err);
	after_action(w, e, &call.err);
	sk_web_call_end(&call);
}

static void grant_or_revoke(sk_web_req *w, bool grant)
{
	sk_web_call call;
	sk_web_call_begin(w, &call);
	const char *role = given(&w->form, "role"), *unit = given(&w->form, "unit");
	sk_err e = SK_OK;
	if (!role || !unit)
		e = sk_fail_msg(&call.err, SK_ERR_INVALID, role ? "unit" : "role", NULL,
		                SK_M_UI_FIELD_NEEDED);
	if (!e) {
		e = grant ? sk_role_grant(&call.c, w->r->param, role, unit, &call.err)
		          : sk_role_revoke(&call.c, w->r->param, role, unit, &call.err);
	}
	if (!e) {
		char loc[160];
		snprintf(loc, sizeof(loc), "/admin/users/%s", w->r->param);
		sk_web_redirect(w, loc);
	} else if (form_failed(w, e, &call.err)) {
		/* The refusal beside the field it names (the role when it names none). */
		user_page(w, w->r->param, sk_err_http_status(e), NULL, grant ? e : SK_OK,
		          grant ? &call.err : NULL);
	}
	sk_web_call_end(&call);
}

void sk_web_admin_role_grant(sk_web_req *w) { grant_or_revoke(w, true); }
void sk_web_admin_role_revoke(sk_web_req *w) { grant_or_revoke(w, false); }
