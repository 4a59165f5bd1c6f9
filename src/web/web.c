/*
 * web: the web UI's route table and its dispatcher. A page route names its
 * method and path, whether it needs a session, whether it is open while the
 * password must be changed or a one-time code enrolled, the capability it
 * needs (as the API's routes, authz.h) and its query parameters. The
 * dispatcher does the rest before the page runs: the language, the session
 * (none: to /login), the forced steps (to /password, /totp), the
 * capability (not held: 404, as out of scope), the form body and its CSRF
 * token (checked in constant time by sk_auth_csrf_check).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/sk_clock.h"
#include "../core/sk_log.h"
#include "../domain/prefs.h"
#include "../report/wareki.h"
#include "web_files.h"
#include "web_int.h"
#include "../core/sk_msg.h"

#define LANG_COOKIE "sekisho_lang"
#define FORM_MAX    (64u << 10)        /* a form's body; asset notes are 4000 bytes */
#define UPLOAD_MAX  SK_HTTP_MAX_UPLOAD /* an upload's body: a register of some 10,000 rows */

enum {
	W_FORM = 1u << 16,      /* a POST taking an urlencoded form */
	W_OPTIONAL = 1u << 17,  /* public, but the session is looked at when there is one */
	W_MULTIPART = 1u << 18, /* a POST taking a multipart/form-data upload (multipart.h) */
};

static const sk_http_qparam Q_LANG[] = {{"lang", 2}, {NULL, 0}};
static const sk_http_qparam Q_ASSETS[] = {{"lang", 2},    {"unit", 64}, {"type", 64},
                                          {"conf", 32},   {"zone", 32}, {"q", 400},
                                          {"status", 15}, {"page", 9},  {NULL, 0}};
static const sk_http_qparam Q_DECIDE[] = {{"lang", 2}, {"asset", 20}, {NULL, 0}};
static const sk_http_qparam Q_POLICY[] = {{"lang", 2}, {"q", 200}, {NULL, 0}};
static const sk_http_qparam Q_POLICY_DIFF[] = {{"lang", 2}, {"from", 20}, {"to", 20}, {NULL, 0}};
static const sk_http_qparam Q_AUDIT[] = {{"lang", 2},   {"after", 20},   {"action", 64},
                                         {"actor", 80}, {"object", 120}, {"from", 10},
                                         {"until", 10}, {NULL, 0}};
static const sk_http_qparam Q_ADMIN_USERS[] = {{"lang", 2}, {"unit", 64}, {"role", 32},
                                               {"q", 100},  {"page", 9},  {NULL, 0}};
static const sk_http_qparam Q_REQUESTS[] = {{"lang", 2},  {"box", 8},     {"status", 15},
                                            {"kind", 32}, {"before", 20}, {NULL, 0}};
static const sk_http_qparam Q_REQUEST_NEW[] = {
    {"lang", 2}, {"kind", 32}, {"asset", 20}, {"aq", 200}, {NULL, 0}};
static const sk_http_qparam Q_LEDGER[] = {{"lang", 2},  {"status", 15}, {"unit", 64},
                                          {"from", 32}, {"until", 32},  {NULL, 0}};
static const sk_http_qparam Q_INCIDENTS[] = {{"lang", 2},     {"status", 16}, {"kind", 16},
                                             {"severity", 8}, {"page", 9},    {NULL, 0}};
static const sk_http_qparam Q_NOTIFICATIONS[] = {{"lang", 2}, {"unread", 1}, {NULL, 0}};

typedef struct web_route {
	sk_http_route rt; /* method, path, flags, cap, query: as the API's (the handler is page) */
	void (*page)(sk_web_req *w);
	/*
	 * An upload's page that shows a refused body (too large, not a form)
	 * in its own error summary instead of the error page: called in place
	 * of page, so nothing is written; NULL for the error page.
	 */
	void (*refused)(sk_web_req *w, sk_err e, const sk_buf *err);
} web_route;

#define P   SK_R_PUBLIC
#define MC  SK_R_MUST_CHANGE
#define EN  SK_R_ENROLL
#define INV SK_R_INVALIDATES
/* A route; RU: an upload whose refusal its own page shows (web_route.refused). */
#define RU(m, p, f, c, fn, refused, q)                                                             \
	{                                                                                          \
		{m, p, f, c, NULL, NULL, NULL, NULL, q, NULL}, fn, refused                         \
	}
#define R(m, p, f, c, fn, q) RU(m, p, f, c, fn, NULL, q)

// clang-format off
static const web_route routes[] = {
    R("GET", "/", P | W_OPTIONAL, SK_HTTP_ANY_ROLE, sk_web_home, Q_LANG),
    R("GET", "/login", P | W_OPTIONAL, SK_HTTP_ANY_ROLE, sk_web_login_form, Q_LANG),
    R("POST", "/login", P | W_FORM, SK_HTTP_ANY_ROLE, sk_web_login_post, Q_LANG),
    R("POST", "/logout", MC | EN | INV | W_FORM, SK_HTTP_ANY_ROLE, sk_web_logout, Q_LANG),
    R("GET", "/password", MC, SK_HTTP_ANY_ROLE, sk_web_password_form, Q_LANG),
    R("POST", "/password", MC | INV | W_FORM, SK_HTTP_ANY_ROLE, sk_web_password_post, Q_LANG),
    R("GET", "/totp", EN, SK_HTTP_ANY_ROLE, sk_web_totp_form, Q_LANG),
    R("POST", "/totp", EN | INV | W_FORM, SK_HTTP_ANY_ROLE, sk_web_totp_post, Q_LANG),
    R("GET", "/assets", 0, SK_CAP_ASSET_READ, sk_web_asset_list, Q_ASSETS),
    R("GET", "/assets/new", 0, SK_CAP_ASSET_WRITE, sk_web_asset_new, Q_LANG),
    R("POST", "/assets/new", W_FORM, SK_CAP_ASSET_WRITE, sk_web_asset_create, Q_LANG),
    R("GET", "/assets/import", 0, SK_CAP_ASSET_WRITE, sk_web_asset_import_form, Q_LANG),
    R("POST", "/assets/import", W_MULTIPART, SK_CAP_ASSET_WRITE, sk_web_asset_import, Q_LANG),
    R("POST", "/assets/export", W_FORM, SK_CAP_ASSET_READ, sk_web_asset_export, Q_LANG),
    R("GET", "/assets/{id}", 0, SK_CAP_ASSET_READ, sk_web_asset, Q_LANG),
    R("GET", "/assets/{id}/edit", 0, SK_CAP_ASSET_WRITE, sk_web_asset_edit, Q_LANG),
    R("POST", "/assets/{id}/edit", W_FORM, SK_CAP_ASSET_WRITE, sk_web_asset_save, Q_LANG),
    R("GET", "/decide", 0, SK_CAP_DECIDE, sk_web_decide, Q_DECIDE),
    R("POST", "/decide", W_FORM, SK_CAP_DECIDE, sk_web_decide_post, Q_LANG),
    R("GET", "/policy", 0, SK_HTTP_ANY_ROLE, sk_web_policy, Q_POLICY),
    R("GET", "/policy/versions", 0, SK_CAP_POLICY_READ, sk_web_policy_versions, Q_LANG),
    RU("POST", "/policy/versions", W_MULTIPART, SK_CAP_POLICY_IMPORT, sk_web_policy_import, sk_web_policy_import_refused, Q_LANG),
    R("GET", "/policy/versions/{id}", 0, SK_CAP_POLICY_READ, sk_web_policy_version, Q_LANG),
    R("POST", "/policy/versions/{id}/request", W_FORM, SK_CAP_REQUEST_FILE, sk_web_policy_version_request, Q_LANG),
    R("POST", "/policy/versions/{id}/activate", W_FORM, SK_CAP_POLICY_IMPORT, sk_web_policy_version_activate, Q_LANG),
    R("GET", "/policy/diff", 0, SK_CAP_POLICY_READ, sk_web_policy_diff, Q_POLICY_DIFF),
    R("GET", "/policy/set", 0, SK_CAP_POLICY_READ, sk_web_policy_set, Q_LANG),
    R("POST", "/policy/set/request", W_FORM, SK_CAP_REQUEST_FILE, sk_web_policy_set_request, Q_LANG),
    R("POST", "/policy/set/apply", W_FORM, SK_CAP_POLICY_IMPORT, sk_web_policy_set_apply, Q_LANG),
    R("GET", "/audit", 0, SK_CAP_AUDIT_READ, sk_web_audit, Q_AUDIT),
    R("POST", "/audit/verify", W_FORM, SK_CAP_AUDIT_READ, sk_web_audit_verify, Q_LANG),
    R("GET", "/requests", 0, SK_HTTP_ANY_ROLE, sk_web_requests, Q_REQUESTS),
    R("GET", "/requests/new", 0, SK_CAP_REQUEST_FILE, sk_web_request_new, Q_REQUEST_NEW),
    R("POST", "/requests/new", W_FORM, SK_CAP_REQUEST_FILE, sk_web_request_create, Q_LANG),
    R("GET", "/requests/{id}", 0, SK_HTTP_ANY_ROLE, sk_web_request, Q_LANG),
    R("POST", "/requests/{id}/approve", W_FORM, SK_CAP_REQUEST_APPROVE, sk_web_request_approve, Q_LANG),
    R("POST", "/requests/{id}/reject", W_FORM, SK_CAP_REQUEST_APPROVE, sk_web_request_reject, Q_LANG),
    R("POST", "/requests/{id}/withdraw", W_FORM, SK_CAP_REQUEST_FILE, sk_web_request_withdraw, Q_LANG),
    R("POST", "/requests/{id}/complete", W_FORM, SK_HTTP_ANY_ROLE, sk_web_request_complete, Q_LANG),
    R("GET", "/ledgers", 0, SK_CAP_LEDGER_READ, sk_web_ledgers, Q_LANG),
    R("GET", "/ledgers/{name}", 0, SK_CAP_LEDGER_READ, sk_web_ledger, Q_LEDGER),
    R("POST", "/ledgers/{name}/export", W_FORM, SK_CAP_LEDGER_READ, sk_web_ledger_export, Q_LANG),
    R("GET", "/incidents", 0, SK_HTTP_ANY_ROLE, sk_web_incidents, Q_INCIDENTS),
    R("POST", "/incidents", W_FORM, SK_CAP_INCIDENT_REPORT, sk_web_incident_report, Q_LANG),
    R("GET", "/incidents/{id}", 0, SK_HTTP_ANY_ROLE, sk_web_incident, Q_LANG),
    R("POST", "/incidents/{id}/escalate", W_FORM, SK_CAP_INCIDENT_HANDLE, sk_web_incident_escalate, Q_LANG),
    R("POST", "/incidents/{id}/respond", W_FORM, SK_CAP_INCIDENT_HANDLE, sk_web_incident_respond, Q_LANG),
    R("POST", "/incidents/{id}/close", W_FORM, SK_CAP_INCIDENT_CLOSE, sk_web_incident_close, Q_LANG),
    RU("POST", "/incidents/{id}/attachments", W_MULTIPART, SK_HTTP_ANY_ROLE, sk_web_incident_attach, sk_web_incident_attach_refused, Q_LANG),
    R("GET", "/incidents/attachments/{id}", 0, SK_HTTP_ANY_ROLE, sk_web_incident_attachment, Q_LANG),
    R("GET", "/notifications", 0, SK_HTTP_ANY_ROLE, sk_web_notifications, Q_NOTIFICATIONS),
    R("POST", "/notifications/read-all", W_FORM, SK_HTTP_ANY_ROLE, sk_web_notifications_read_all, Q_LANG),
    R("POST", "/notifications/{id}/read", W_FORM, SK_HTTP_ANY_ROLE, sk_web_notification_read, Q_LANG),
    R("GET", "/account", 0, SK_HTTP_ANY_ROLE, sk_web_account, Q_LANG),
    R("POST", "/account", W_FORM, SK_HTTP_ANY_ROLE, sk_web_account_save, Q_LANG),
    R("GET", "/audit/{id}", 0, SK_CAP_AUDIT_READ, sk_web_audit_entry, Q_LANG),
    R("GET", "/admin/org", 0, SK_CAP_ORG_ADMIN, sk_web_admin_org, Q_LANG),
    R("POST", "/admin/org", INV | W_FORM, SK_CAP_ORG_ADMIN, sk_web_admin_org_add, Q_LANG),
    R("POST", "/admin/org/move", INV | W_FORM, SK_CAP_ORG_ADMIN, sk_web_admin_org_move, Q_LANG),
    R("GET", "/admin/users", 0, SK_CAP_USER_READ, sk_web_admin_users, Q_ADMIN_USERS),
    R("POST", "/admin/users", W_FORM, SK_CAP_USER_ADMIN, sk_web_admin_user_add, Q_LANG),
    R("GET", "/admin/users/{login}", 0, SK_CAP_USER_READ, sk_web_admin_user, Q_LANG),
    R("POST", "/admin/users/{login}/disable", INV | W_FORM, SK_CAP_USER_ADMIN, sk_web_admin_user_disable, Q_LANG),
    R("POST", "/admin/users/{login}/enable", INV | W_FORM, SK_CAP_USER_ADMIN, sk_web_admin_user_enable, Q_LANG),
    R("POST", "/admin/users/{login}/unlock", W_FORM, SK_CAP_USER_ADMIN, sk_web_admin_user_unlock, Q_LANG),
    R("POST", "/admin/users/{login}/totp-reset", INV | W_FORM, SK_CAP_USER_ADMIN, sk_web_admin_user_totp_reset, Q_LANG),
    R("POST", "/admin/users/{login}/grant", INV | W_FORM, SK_CAP_ROLE_GRANT, sk_web_admin_role_grant, Q_LANG),
    R("POST", "/admin/users/{login}/revoke", INV | W_FORM, SK_CAP_ROLE_GRANT, sk_web_admin_role_revoke, Q_LANG),
};
// clang-format on

static const char *const owned_prefixes[] = {
    "/login",         "/logout",  "/password", "/totp",    "/assets",
    "/decide",        "/policy",  "/audit",    "/static/", "/incidents",
    "/notifications", "/account", "/requests", "/ledgers", "/admin"};

bool sk_web_owns(const char *path, size_t n)
{
	if (n == 1 && path[0] == '/')
		return true;
	for (size_t i = 0; i < sizeof(owned_prefixes) / sizeof(owned_prefixes[0]); i++) {
		size_t k = strlen(owned_prefixes[i]);
		if (n >= k && memcmp(path, owned_prefixes[i], k) == 0 &&
		    (n == k || path[k] == '/' || owned_prefixes[i][k - 1] == '/'))
			return true;
	}
	return false;
}

/*
 * Matches pattern ("/assets/{id}/edit") against the path; {id} a positive
 * integer into *id, {name} a word of [a-z0-9_] (a ledger's name) and {login}
 * one path segment (no '%', space or control byte), each shorter than pmax,
 * into param.
 */
static bool match(const char *pat, const char *path, size_t n, int64_t *id, char *param,
                  size_t pmax)
{
	const char *p = path, *end = path + n;
	while (*pat) {
		if (strncmp(pat, "{name}", 6) == 0) {
			size_t k = 0;
			while (p < end && k + 1 < pmax &&
			       ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
				param[k++] = *p++;
			param[k] = '\0';
			if (k == 0 || (p < end && *p != '/'))
				return false;
			pat += 6;
		} else if (strncmp(pat, "{login}", 7) == 0) {
			const char *s = p;
			while (p < end && *p != '/' && *p != '%' && (unsigned char)*p > 0x20)
				p++;
			if (p == s || (size_t)(p - s) >= pmax || (p < end && *p != '/'))
				return false;
			memcpy(param, s, (size_t)(p - s));
			param[p - s] = '\0';
			pat += 7;
		} else if (strncmp(pat, "{id}", 4) == 0) {
			int64_t v = 0;
			const char *s = p;
			while (p < end && *p >= '0' && *p <= '9' && p - s < 18)
				v = v * 10 + (*p++ - '0');
			if (p == s || v <= 0 || (p < end && *p != '/'))
				return false;
			*id = v;
			pat += 4;
		} else {
			if (p == end || *p != *pat)
				return false;
			p++;
			pat++;
		}
	}
	return p == end;
}

/* --- language --- */

static bool cookie_value(h2o_req_t *req, const char *name, char *out, size_t max);

bool sk_web_cookie(sk_web_req *w, const char *name, char *out, size_t max)
{
	return cookie_value(w->r->req, name, out, max);
}

static bool cookie_value(h2o_req_t *req, const char *name, char *out, size_t max)
{
	h2o_iovec_t ck = sk_http_header(req, "cookie");
	size_t nl = strlen(name);
	for (size_t i = 0; i + nl < ck.len; i++) {
		if ((i == 0 || ck.base[i - 1] == ' ' || ck.base[i - 1] == ';') &&
		    memcmp(ck.base + i, name, nl) == 0 && ck.base[i + nl] == '=') {
			size_t s = i + nl + 1, k = 0;
			while (s + k < ck.len && ck.base[s + k] != ';' && k + 1 < max)
				k++;
			memcpy(out, ck.base + s, k);
			out[k] = '\0';
			return true;
		}
	}
	return false;
}

void sk_web_header(sk_web_req *w, const h2o_token_t *tok, const char *v)
{
	h2o_req_t *req = w->r->req;
	h2o_iovec_t c = h2o_strdup(&req->pool, v, strlen(v));
	h2o_add_header(&req->pool, &req->res.headers, tok, NULL, c.base, c.len);
}

void sk_web_remember_lang(sk_web_req *w, const char *code)
{
	char c[128];
	snprintf(c, sizeof(c),
	         LANG_COOKIE "=%s; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly%s", code,
	         w->r->t->cfg->secure_cookies ? "; Secure" : "");
	sk_web_header(w, H2O_TOKEN_SET_COOKIE, c);
}

/*
 * ?lang= (remembered in a cookie), else the cookie, else (once the session
 * is known, apply_prefs) the account's choice, else Accept-Language, else
 * Japanese. A login sets the cookie to the account's choice (pages.c), so
 * the account's language applies again at every login.
 */
static void choose_language(sk_web_req *w)
{
	char v[8];
	h2o_req_t *req = w->r->req;
	if (sk_http_query(w->r, "lang", v, sizeof(v)) && (!strcmp(v, "en") || !strcmp(v, "ja"))) {
		w->lang = v[0] == 'e' ? SK_LANG_EN : SK_LANG_JA;
		w->lang_chosen = true;
		sk_web_remember_lang(w, v);
		return;
	}
	if (cookie_value(req, LANG_COOKIE, v, sizeof(v)) &&
	    (!strcmp(v, "en") || !strcmp(v, "ja"))) {
		w->lang = v[0] == 'e' ? SK_LANG_EN : SK_LANG_JA;
		w->lang_chosen = true;
		return;
	}
	h2o_iovec_t al = sk_http_header(req, "accept-language");
	w->lang = sk_lang_from_accept(al.base, al.len, SK_LANG_JA);
}

/* The session's account's preferences (prefs.h): its language unless one was chosen, its dates. */
static void apply_prefs(sk_web_req *w)
{
	sk_prefs p;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_prefs_get(w->r->t->store, w->ap.user_id, &p, &err) == SK_OK) {
		if (!w->lang_chosen && p.lang[0])
			w->lang = w->r->lang = strcmp(p.lang, "en") == 0 ? SK_LANG_EN : SK_LANG_JA;
		w->wareki = strcmp(p.date_style, "wareki") == 0;
	}
	sk_buf_free(&err);
}

/* --- helpers for the pages --- */

const char *sk_web_when(const sk_web_req *w, const char *rfc3339, char *out, size_t max)
{
	int64_t us;
	if (!rfc3339 || !*rfc3339 || max < 2 || sk_clock_parse_us(rfc3339, &us))
		return rfc3339;
	/* The city's calendar and clock: Japan, UTC+9 all year. */
	time_t t = (time_t)(us / 1000000 + 9 * 3600);
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return rfc3339;
	sk_date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
	if (w->wareki) {
		sk_buf b = SK_BUF_INIT(128);
		if (sk_date_format_wareki(d, &b) == SK_OK && b.len)
			snprintf(out, max, "%s %02d:%02d", b.data, tm.tm_hour, tm.tm_min);
		else
			out[0] = '\0';
		sk_buf_free(&b);
		if (out[0])
			return out;
	}
	char iso[11];
	sk_date_format_iso(d, iso);
	snprintf(out, max, "%s %02d:%02d", iso, tm.tm_hour, tm.tm_min);
	return out;
}

const char *sk_web_jtext(const sk_web_req *w, const json_t *v, char *num, size_t max)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(num, max, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return num;
	}
	if (json_is_boolean(v))
		return sk_web_t(w, json_is_true(v) ? SK_M_UI_YES : SK_M_UI_NO);
	return NULL;
}

void sk_web_qadd(sk_buf *q, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	sk_buf_addf(q, "%s%s=", q->len ? "&" : "?", name);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')
			sk_buf_addc(q, (char)*p);
		else
			sk_buf_addf(q, "%%%02X", *p);
}

const char *sk_web_t(const sk_web_req *w, sk_msg_id id) { return sk_msg_format(id, w->lang); }

bool sk_web_can(const sk_web_req *w, int cap)
{
	if (!w->has_session)
		return false;
	return cap < 0 ? w->who.roles != 0 : (w->who.caps & (1u << cap)) != 0;
}

void sk_web_error(sk_web_req *w, const char *field, const char *message)
{
	char href[80] = "";
	if (field)
		snprintf(href, sizeof(href), "#f-%s", field);
	sk_tv v[] = {SK_TV("href", href), SK_TV("message", message)};
	sk_html_render(&w->errors, "error_item", w->lang, v, 2);
}

const char *sk_web_error_of(sk_web_req *w, sk_err e, const sk_buf *err)
{
	const char *m = sk_msg_of(err, e, w->lang);
	sk_web_error(w, err ? err->field : NULL, m);
	return m;
}

const char *sk_web_decimal(char buf[24], int64_t n)
{
	char *d = buf + 24;
	*--d = '\0';
	uint64_t u = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
	do
		*--d = (char)('0' + u % 10);
	while (u /= 10);
	if (n < 0)
		*--d = '-';
	return d;
}

/* A render's failure answered as the page's (the template named). */
static bool rendered(sk_web_req *w, sk_err e, const char *name)
{
	if (e) {
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		sk_fail_msg(&err, e, NULL, NULL, SK_M_WEB_TEMPLATE_COULD_RENDERED, name);
		sk_web_fail(w, e == SK_ERR_TOO_BIG ? e : SK_ERR_INTERNAL, &err);
		sk_buf_free(&err);
		return false;
	}
	return true;
}

bool sk_web_render(sk_web_req *w, sk_html_frag *out, const char *name, const sk_tv *vars, size_t nv)
{
	return rendered(w, sk_html_render(out, name, w->lang, vars, nv), name);
}

bool sk_web_render_split(sk_web_req *w, sk_html_frag *before, sk_html_frag *after, const char *hole,
                         const char *name, const sk_tv *vars, size_t nv)
{
	return rendered(w, sk_html_render_split(before, after, hole, name, w->lang, vars, nv),
	                name);
}

bool sk_web_field(sk_web_req *w, sk_html_frag *out, const sk_field *f, const char *value,
                  const char *error)
{
	bool ja = w->lang == SK_LANG_JA;
	bool longtext = f->type == SK_FT_LONGTEXT;
	const char *type = f->type == SK_FT_SECRET ? "password"
	                   : f->type == SK_FT_INT  ? "number"
	                                           : "text";
	char hint[160] = "";
	if (f->max && f->type != SK_FT_INT && f->type != SK_FT_BOOL)
		snprintf(hint, sizeof(hint), sk_web_t(w, SK_M_UI_FIELD_MAX_BYTES), f->max);
	sk_tv v[] = {SK_TV("key", f->key),
	             SK_TV("label", ja ? f->ja : f->en),
	             SK_TV("help", ja ? f->help_ja : f->help_en),
	             SK_TV("hint", hint),
	             SK_TV("required", (f->flags & SK_FF_REQUIRED) ? "1" : NULL),
	             SK_TV("error", error),
	             SK_TV("value", f->type == SK_FT_SECRET ? NULL : value),
	             SK_TV("type", type),
	             SK_TV("textarea", longtext ? "1" : NULL),
	             SK_TV("bool", f->type == SK_FT_BOOL ? "1" : NULL),
	             SK_TV("is_yes", value && !strcmp(value, "yes") ? "1" : NULL),
	             SK_TV("is_no", value && !strcmp(value, "no") ? "1" : NULL)};
	return sk_web_render(w, out, "field", v, sizeof(v) / sizeof(v[0]));
}

void sk_web_option(sk_web_req *w, sk_html_frag *out, const char *value, const char *text,
                   bool selected)
{
	sk_tv v[] = {SK_TV("value", value), SK_TV("text", text),
	             SK_TV("selected", selected ? "1" : NULL)};
	sk_html_render(out, "option", w->lang, v, sizeof(v) / sizeof(v[0]));
}

void sk_web_role_items(sk_web_req *w, sk_html_frag *out, const json_t *roles)
{
	size_t i;
	const json_t *r;
	json_array_foreach (roles, i, r) {
		const char *rn = json_string_value(json_object_get(r, "role"));
		const char *t = json_string_value(json_object_get(r, "title"));
		const char *uc = json_string_value(json_object_get(r, "unit_code"));
		char line[300];
		snprintf(line, sizeof(line), "%s (%s) — %s", t && *t ? t : (rn ? rn : ""),
		         rn ? rn : "", uc ? uc : "");
		sk_tv v[] = {SK_TV("text", line)};
		sk_html_render(out, "li", w->lang, v, 1);
	}
}

/* --- one domain call --- */

void sk_web_call_begin(sk_web_req *w, sk_web_call *k)
{
	k->w = w;
	sk_http_ctx(w->r, &k->c);
	sk_buf_init(&k->err, SK_BUF_MSG_MAX);
}

void sk_web_call_end(sk_web_call *k)
{
	sk_ctx_fini(&k->c);
	sk_buf_free(&k->err);
}

bool sk_web_call_done(sk_web_call *k, sk_err e)
{
	if (e)
		sk_web_fail(k->w, e, &k->err);
	sk_web_call_end(k);
	return e != SK_OK;
}

/* --- answers --- */

/*
 * The page: the layout around main, or around the parts (main in pieces,
 * handed over). The layout is rendered in two pieces, before and after main,
 * and the pieces and main are handed to the answer as they are: the page's
 * bytes are not copied into one buffer, nor again into h2o's.
 */
static void page_out(sk_web_req *w, int status, const char *title, const sk_html_frag *main,
                     sk_html_frag *parts, size_t nparts)
{
	sk_html_frag main_copy = SK_HTML_FRAG_INIT;
	if (!parts) { /* main stays the caller's: the answer takes a copy of it */
		if (sk_buf_add(&main_copy.b, main->b.data, main->b.len)) {
			sk_http_reply_error(w->r, SK_ERR_INTERNAL,
			                    "the page could not be rendered");
			return;
		}
		parts = &main_copy;
		nparts = 1;
	}
	main = &parts[0]; /* for the layout's {{#main}}: set when some part is */
	for (size_t i = 0; i < nparts; i++)
		if (parts[i].b.len) {
			main = &parts[i];
			break;
		}
	const char *path_end = memchr(w->r->req->path.base, '?', w->r->req->path.len);
	size_t pn = path_end ? (size_t)(path_end - w->r->req->path.base) : w->r->req->path.len;
	char other[600]; /* the path (or "/" when too long) and ?lang= the other language */
	if (pn >= 500)
		pn = 0;
	memcpy(other, pn ? w->r->req->path.base : "/", pn ? pn : 1);
	memcpy(other + (pn ? pn : 1), w->lang == SK_LANG_JA ? "?lang=en" : "?lang=ja", 9);
	const char *city = sk_policy_city_name(w->r->t->pol);
	/* The idle timeout, told on every page; the script warns shortly before it (app.js). */
	char idle_buf[24], idle_min_buf[24];
	const char *idle = NULL, *idle_min = "";
	if (w->has_session && w->ap.idle_seconds > 0) {
		idle = sk_web_decimal(idle_buf, w->ap.idle_seconds);
		idle_min = sk_web_decimal(idle_min_buf, w->ap.idle_seconds / 60);
	}
	sk_tv v[] = {
	    SK_TV("idle", idle),
	    SK_TV("idle_minutes", idle_min),
	    SK_TV("lang", sk_lang_code(w->lang)),
	    SK_TV("title", title),
	    SK_TV("css", sk_html_asset_url("app.css")),
	    SK_TV("js", sk_html_asset_url("app.js")),
	    SK_TV("city", city),
	    SK_TV("user", w->has_session && !w->ap.must_change_password && !w->ap.must_enroll_totp
	                      ? w->ap.login
	                      : NULL),
	    SK_TV("session_user", w->has_session ? w->ap.login : NULL),
	    SK_TV("csrf", w->has_session ? w->ap.csrf_token : NULL),
	    SK_TV("can_assets", sk_web_can(w, SK_CAP_ASSET_READ) ? "1" : NULL),
	    SK_TV("can_decide", sk_web_can(w, SK_CAP_DECIDE) ? "1" : NULL),
	    SK_TV("can_audit", sk_web_can(w, SK_CAP_AUDIT_READ) ? "1" : NULL),
	    SK_TV("can_requests",
	          sk_web_can(w, SK_CAP_REQUEST_FILE) || sk_web_can(w, SK_CAP_REQUEST_APPROVE)
	              ? "1"
	              : NULL),
	    SK_TV("can_ledgers", sk_web_can(w, SK_CAP_LEDGER_READ) ? "1" : NULL),
	    SK_TV("can_incidents",
	          sk_web_can(w, SK_CAP_INCIDENT_REPORT) || sk_web_can(w, SK_CAP_INCIDENT_HANDLE)
	              ? "1"
	              : NULL),
	    SK_TV("can_admin_users", sk_web_can(w, SK_CAP_USER_READ) ? "1" : NULL),
	    SK_TV("can_admin_org", sk_web_can(w, SK_CAP_ORG_ADMIN) ? "1" : NULL),
	    SK_TV("lang_other_url", other),
	    SK_TV("lang_other", w->lang == SK_LANG_JA ? "en" : "ja"),
	    SK_TV("lang_is_ja", w->lang == SK_LANG_JA ? "1" : NULL),
	    SK_TF("errors", &w->errors),
	    SK_TV("notice", w->notice),
	    SK_TF("main", main)};
	sk_html_frag before = SK_HTML_FRAG_INIT, after = SK_HTML_FRAG_INIT;
	/* The layout's two pieces at their size at once (a failure only means growing). */
	(void)sk_buf_grow(&before.b, 4096);
	(void)sk_buf_grow(&after.b, 1024);
	sk_buf *bufs[SK_HTTP_REPLY_BUFS];
	size_t n = 0;
	sk_err e = sk_html_render_split(&before, &after, "main", "layout", w->lang, v,
	                                sizeof(v) / sizeof(v[0]));
	if (!e && nparts + 2 > SK_HTTP_REPLY_BUFS)
		e = SK_ERR_TOO_BIG;
	if (e) {
		sk_http_reply_error(w->r, SK_ERR_INTERNAL, "the page could not be rendered");
	} else {
		bufs[n++] = &before.b;
		for (size_t i = 0; i < nparts; i++)
			bufs[n++] = &parts[i].b;
		bufs[n++] = &after.b;
		sk_web_header(w, H2O_TOKEN_CONTENT_LANGUAGE, sk_lang_code(w->lang));
		sk_http_reply_bufs(w->r, status, "text/html; charset=utf-8", bufs, n);
	}
	sk_html_frag_free(&before);
	sk_html_frag_free(&after);
	sk_html_frag_free(&main_copy);
}

void sk_web_page_titled(sk_web_req *w, int status, const char *title, const sk_html_frag *main)
{
	page_out(w, status, title, main, NULL, 0);
}

void sk_web_page_parts(sk_web_req *w, int status, sk_msg_id title, sk_html_frag *parts, size_t n)
{
	page_out(w, status, sk_web_t(w, title), NULL, parts, n);
}

void sk_web_page(sk_web_req *w, int status, sk_msg_id title, const sk_html_frag *main)
{
	sk_web_page_titled(w, status, sk_web_t(w, title), main);
}

void sk_web_redirect(sk_web_req *w, const char *location)
{
	sk_web_header(w, H2O_TOKEN_LOCATION, location);
	sk_http_reply_text(w->r, 303, "text/plain; charset=utf-8", "", 0);
}

/* A page that only says text (in the reader's language already). */
static void text_page(sk_web_req *w, int status, sk_msg_id title, const char *text)
{
	sk_html_frag main = SK_HTML_FRAG_INIT;
	sk_tv v[] = {SK_TV("text", text)};
	if (sk_web_render(w, &main, "message", v, 1))
		sk_web_page(w, status, title, &main);
	sk_html_frag_free(&main);
}

static void message_page(sk_web_req *w, int status, sk_msg_id title, sk_msg_id text)
{
	text_page(w, status, title, sk_web_t(w, text));
}

void sk_web_not_found(sk_web_req *w)
{
	message_page(w, 404, SK_M_UI_NOT_FOUND_TITLE, SK_M_UI_NOT_FOUND);
}

void sk_web_fail(sk_web_req *w, sk_err e, const sk_buf *err)
{
	if (w->r->answered)
		return;
	int status = sk_err_http_status(e ? e : SK_ERR_INTERNAL);
	if (status == 404 || (status == 403 && e != SK_ERR_DENIED))
		return sk_web_not_found(w);
	if (status >= 500) {
		sk_log(SK_LOG_ERROR, "web %.*s: %s", (int)w->r->req->path_normalized.len,
		       w->r->req->path_normalized.base,
		       err && err->len ? err->data : sk_err_str(e));
		return message_page(w, status, SK_M_UI_SERVER_ERROR_TITLE, SK_M_UI_SERVER_ERROR);
	}
	if (e == SK_ERR_DENIED)
		return message_page(w, 403, SK_M_UI_FORBIDDEN_TITLE, SK_M_UI_FORBIDDEN);
	text_page(w, status, SK_M_UI_BAD_REQUEST_TITLE, sk_msg_of(err, e, w->lang));
}

void sk_web_busy(sk_web_req *w)
{
	sk_http_retry_after(w->r, SK_HTTP_BUSY_RETRY_AFTER);
	message_page(w, 503, SK_M_UI_BUSY_TITLE, SK_M_UI_BUSY);
}

/* --- work off the event loop --- */

/*
 * What a page handed off keeps of its request: the page's state, copied,
 * and its form and upload, moved (the request's own are freed when the
 * dispatcher returns); the loop rebuilds the page's sk_web_req from it.
 */
typedef struct web_job {
	sk_lang lang;
	bool lang_chosen, wareki, has_session;
	sk_auth_principal ap;
	sk_authz_principal who;
	sk_actor actor;
	char address[64];
	int64_t id;
	char param[sizeof(((sk_http_rctx *)0)->param)];
	sk_form form;
	sk_multipart mp;
	sk_web_work_fn work;
	sk_web_answer_fn answer;
	sk_web_login_answer_fn login_answer;
	void *data;
	void (*data_free)(void *);
	sk_err e;
	sk_buf err;
} web_job;

static web_job *job_take(sk_web_req *w, void *data, void (*data_free)(void *))
{
	web_job *j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->lang = w->lang;
	j->lang_chosen = w->lang_chosen;
	j->wareki = w->wareki;
	j->has_session = w->has_session;
	j->ap = w->ap;
	j->who = w->who;
	j->who.login = j->ap.login;
	snprintf(j->address, sizeof(j->address), "%s", w->r->address);
	j->actor = w->r->actor;
	j->actor.login = j->ap.login;
	j->actor.address = j->address;
	j->actor.scope = NULL; /* the session cache's: the worker loads its own */
	j->id = w->r->id;
	memcpy(j->param, w->r->param, sizeof(j->param));
	j->form = w->form;
	j->mp = w->mp;
	j->data = data;
	j->data_free = data_free;
	sk_buf_init(&j->err, SK_BUF_DEFAULT_MAX);
	return j;
}

/* Gives the form and upload back to w (the job could not be queued), and frees j. */
static void job_drop(web_job *j, sk_web_req *w)
{
	w->form = j->form;
	w->mp = j->mp;
	sk_buf_free(&j->err);
	sodium_memzero(&j->ap, sizeof(j->ap));
	free(j);
}

static void job_free(web_job *j)
{
	if (j->data_free)
		j->data_free(j->data);
	sk_form_free(&j->form);
	sk_multipart_free(&j->mp);
	sk_buf_free(&j->err);
	sodium_memzero(&j->ap, sizeof(j->ap));
	free(j);
}

/* The page's request again, on the loop, for the same HTTP request r. */
static void job_resume(web_job *j, sk_http_rctx *r, sk_web_req *w)
{
	memset(w, 0, sizeof(*w));
	w->r = r;
	w->lang = r->lang = j->lang;
	w->lang_chosen = j->lang_chosen;
	w->wareki = j->wareki;
	w->has_session = j->has_session;
	w->errors = (sk_html_frag)SK_HTML_FRAG_INIT;
	r->id = j->id;
	memcpy(r->param, j->param, sizeof(r->param));
	if (j->has_session) {
		w->ap = j->ap;
		w->who = j->who;
		w->who.login = w->ap.login;
		r->actor = j->actor;
		r->who = &w->who;
		r->session = &w->ap;
	}
	w->form = j->form;
	w->mp = j->mp;
}

static void job_done(sk_web_req *w)
{
	w->r->who = NULL;
	w->r->session = NULL;
	sk_html_frag_free(&w->errors);
	sodium_memzero(&w->ap, sizeof(w->ap));
}

static void work_run(void *arg, sk_store *s, const sk_policy *pol)
{
	web_job *j = arg;
	sk_ctx c;
	sk_ctx_init(&c, s, pol, &j->actor);
	c.lang = sk_lang_code(j->lang);
	j->e = j->work(&c, j->data, &j->err);
	sk_ctx_fini(&c);
}

static void work_answer(void *arg, sk_http_rctx *r)
{
	web_job *j = arg;
	sk_web_req w;
	job_resume(j, r, &w);
	j->answer(&w, j->data, j->e, &j->err);
	if (!r->answered)
		sk_http_reply_error(r, SK_ERR_INTERNAL, "the page gave no answer");
	job_done(&w);
	job_free(j);
}

void sk_web_off_loop(sk_web_req *w, sk_web_work_fn work, sk_web_answer_fn answer, void *data,
                     void (*data_free)(void *))
{
	web_job *j = job_take(w, data, data_free);
	if (j) {
		memset(&w->form, 0, sizeof(w->form));
		memset(&w->mp, 0, sizeof(w->mp));
		j->work = work;
		j->answer = answer;
		if (sk_http_pool_work(w->r, work_run, work_answer, j))
			return;
		job_drop(j, w);
	}
	if (data_free)
		data_free(data);
	sk_web_busy(w);
}

static void login_answer(void *arg, sk_http_rctx *r, sk_err e, sk_auth_session *s,
                         const sk_buf *err)
{
	web_job *j = arg;
	sk_web_req w;
	job_resume(j, r, &w);
	j->login_answer(&w, j->data, e, s, err);
	if (!r->answered)
		sk_http_reply_error(r, SK_ERR_INTERNAL, "the page gave no answer");
	job_done(&w);
	job_free(j);
}

bool sk_web_login_off_loop(sk_web_req *w, const char *login, const char *password, const char *totp,
                           sk_web_login_answer_fn answer, void *data, void (*data_free)(void *))
{
	web_job *j = job_take(w, data, data_free);
	if (!j)
		return false;
	memset(&w->form, 0, sizeof(w->form));
	memset(&w->mp, 0, sizeof(w->mp));
	j->login_answer = answer;
	if (sk_http_pool_login_to(w->r, login, password, strlen(password), totp, login_answer, j))
		return true;
	job_drop(j, w);
	return false;
}

/* --- static assets: /static/NAME-HASH.EXT, cached for a year (the hash changes with them) --- */

static void serve_static(sk_http_rctx *r, const char *name, size_t n)
{
	const sk_web_file *f = sk_html_asset_by_url(name, n);
	if (!f) {
		sk_http_reply_msg(r, 404, "not_found", SK_M_HTTP_NO_PATH);
		return;
	}
	h2o_add_header(&r->req->pool, &r->req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
	               H2O_STRLIT("public, max-age=31536000, immutable"));
	sk_http_reply_text(r, 200, f->ctype, f->data, f->len);
}

/* --- the session --- */

/* Finds the request's session; false when there is none (or it ended). */
static bool find_session(sk_web_req *w)
{
	char token[SK_AUTH_TOKEN_MAX];
	h2o_iovec_t ck = sk_http_header(w->r->req, "cookie");
	char *cookie = ck.len ? h2o_mem_alloc_pool(&w->r->req->pool, ck.len + 1) : NULL;
	if (!cookie)
		return false;
	memcpy(cookie, ck.base, ck.len);
	cookie[ck.len] = '\0';
	if (sk_auth_cookie_token(cookie, token))
		return false;
	sk_http_session ses;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_http_session_find(w->r->t, token, w->r->address, &ses, &err);
	sodium_memzero(token, sizeof(token));
	sk_buf_free(&err);
	if (e)
		return false;
	w->ap = *ses.principal;
	w->who.user_id = w->ap.user_id;
	w->who.login = w->ap.login;
	w->who.must_change_password = w->ap.must_change_password;
	w->who.roles = ses.scope->roles;
	w->who.caps = ses.scope->caps;
	sk_auth_actor(&w->ap, w->r->address, &w->r->actor);
	w->r->actor.scope = ses.scope;
	w->r->who = &w->who;
	w->r->session = &w->ap;
	w->has_session = true;
	apply_prefs(w);
	return true;
}

static bool is_form_type(h2o_iovec_t ct)
{
	static const char want[] = "application/x-www-form-urlencoded";
	size_t n = sizeof(want) - 1;
	return ct.len >= n && strncasecmp(ct.base, want, n) == 0 &&
	       (ct.len == n || ct.base[n] == ';' || ct.base[n] == ' ');
}

static void run(sk_web_req *w, const web_route *rt)
{
	sk_http_rctx *r = w->r;
	h2o_req_t *req = r->req;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = SK_OK;
	unsigned fl = rt->rt.flags;
	if ((e = sk_http_query_check(r, &err)))
		goto fail;
	if (!(fl & SK_R_PUBLIC) || (fl & W_OPTIONAL))
		find_session(w);
	if (!(fl & SK_R_PUBLIC)) {
		if (!w->has_session) {
			sk_web_redirect(w, "/login");
			goto out;
		}
		if (w->ap.must_change_password && !(fl & SK_R_MUST_CHANGE)) {
			sk_web_redirect(w, "/password");
			goto out;
		}
		if (w->ap.must_enroll_totp && !(fl & (SK_R_MUST_CHANGE | SK_R_ENROLL))) {
			sk_web_redirect(w, "/totp");
			goto out;
		}
		if (sk_authz_require_held(&w->who, rt->rt.cap, &err)) {
			sk_web_not_found(w); /* a page one may not use is a page one cannot see */
			goto out;
		}
	}
	if (fl & W_FORM) {
		if (!is_form_type(sk_http_header(req, "content-type"))) {
			sk_http_reply_msg(r, 415, "unsupported_media_type", SK_M_HTTP_MEDIA_TYPE);
			goto out;
		}
		if ((e = sk_form_parse(req->entity.base ? req->entity.base : "", req->entity.len,
		                       FORM_MAX, &w->form, &err))) {
			sk_buf_reset(&err);
			e = sk_fail_msg(&err, e, NULL, NULL,
			                e == SK_ERR_TOO_BIG ? SK_M_UI_FORM_TOO_BIG
			                                    : SK_M_UI_FORM_BAD);
			goto fail;
		}
		if (w->has_session &&
		    (e = sk_auth_csrf_check(&w->ap, sk_form_get(&w->form, "csrf"), &err)))
			goto fail;
	} else if (fl & W_MULTIPART) {
		h2o_iovec_t ct = sk_http_header(req, "content-type");
		static const char mp[] = "multipart/form-data";
		if (ct.len < sizeof(mp) - 1 || strncasecmp(ct.base, mp, sizeof(mp) - 1) != 0) {
			sk_http_reply_msg(r, 415, "unsupported_media_type", SK_M_HTTP_MEDIA_TYPE);
			goto out;
		}
		if ((e = sk_multipart_parse(ct.base, ct.len,
		                            req->entity.base ? req->entity.base : "",
		                            req->entity.len, UPLOAD_MAX, &w->mp, &err))) {
			sk_buf_reset(&err);
			e = sk_fail_msg(&err, e, NULL, NULL,
			                e == SK_ERR_TOO_BIG ? SK_M_UI_UPLOAD_TOO_BIG
			                                    : SK_M_UI_FORM_BAD);
			if (!rt->refused)
				goto fail;
			sk_multipart_free(&w->mp);
			rt->refused(w, e, &err);
			goto answered;
		}
		/* The token, as every form's: a text part named csrf. */
		const sk_multipart_part *tok = sk_multipart_get(&w->mp, "csrf");
		if ((e = sk_auth_csrf_check(&w->ap, tok && !tok->filename ? tok->data : NULL,
		                            &err)))
			goto fail;
	} else if (req->entity.len) {
		e = sk_fail_msg(&err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_NO_BODY_TAKEN);
		goto fail;
	}
	rt->page(w);
answered:
	if (!r->answered)
		sk_http_reply_error(r, SK_ERR_INTERNAL, "the page gave no answer");
	goto out;
fail:
	sk_web_fail(w, e, &err);
out:
	sk_buf_free(&err);
}

void sk_web_dispatch(sk_http_rctx *r)
{
	h2o_req_t *req = r->req;
	h2o_iovec_t path = req->path_normalized;
	if (path.len > 8 && memcmp(path.base, "/static/", 8) == 0) {
		if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) ||
		    h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")))
			serve_static(r, path.base + 8, path.len - 8);
		else
			sk_http_reply_msg(r, 405, "method_not_allowed", SK_M_HTTP_METHOD);
		return;
	}
	sk_web_req w;
	memset(&w, 0, sizeof(w));
	w.r = r;
	w.errors = (sk_html_frag)SK_HTML_FRAG_INIT;
	const web_route *found = NULL;
	bool path_found = false;
	bool head = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		int64_t id = 0;
		if (!match(routes[i].rt.path, path.base, path.len, &id, r->param, sizeof(r->param)))
			continue;
		path_found = true;
		const char *m = routes[i].rt.method;
		if ((head && !strcmp(m, "GET")) ||
		    h2o_memis(req->method.base, req->method.len, m, strlen(m))) {
			found = &routes[i];
			r->id = id;
			break;
		}
	}
	if (found)
		r->route = &found->rt;
	choose_language(&w);
	r->lang = w.lang;
	if (!found) {
		if (path_found)
			sk_http_reply_msg(r, 405, "method_not_allowed", SK_M_HTTP_METHOD);
		else
			sk_web_not_found(&w);
	} else {
		run(&w, found);
	}
	r->who = NULL;
	r->session = NULL;
	sodium_memzero(&w.ap, sizeof(w.ap));
	sk_form_free(&w.form);
	sk_multipart_free(&w.mp);
	sk_html_frag_free(&w.errors);
}

sk_err sk_web_export_format(sk_web_req *w, bool *xlsx, sk_csv_encoding *enc, sk_buf *err)
{
	const char *format = sk_form_get(&w->form, "format");
	const char *encoding = sk_form_get(&w->form, "encoding");
	*xlsx = format && !strcmp(format, "xlsx");
	if (!*xlsx && (!format || strcmp(format, "csv") != 0))
		return sk_fail_msg(err, SK_ERR_INVALID, "format", NULL, SK_M_UI_FORM_BAD);
	if (!*xlsx && encoding && *encoding)
		return sk_csv_encoding_parse(encoding, enc, err);
	return SK_OK;
}
