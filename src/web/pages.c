/*
 * pages: the web UI's pages. Each calls the same domain and auth functions
 * as the API's handler of the same task (src/http/api_*.c) and renders
 * their answer through templates (html.h); none runs a query of its own.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../audit/verify.h"
#include "../core/sk_json.h"
#include "../domain/asset.h"
#include "../domain/audit_view.h"
#include "../domain/decision.h"
#include "../domain/notify.h"
#include "../domain/prefs.h"
#include "../domain/request.h"
#include "../domain/schema.h"
#include "web_int.h"
#include "../core/sk_msg.h"

#define N(a)      (sizeof(a) / sizeof((a)[0]))
#define PAGE_ROWS 50

static void set_session_cookie(sk_web_req *w, const char *token)
{
	sk_buf c = SK_BUF_INIT(512);
	if (sk_auth_cookie(token, w->r->t->cfg->secure_cookies != 0, &c) == SK_OK) {
		char *v = h2o_mem_alloc_pool(&w->r->req->pool, c.len);
		memcpy(v, c.data, c.len);
		h2o_add_header(&w->r->req->pool, &w->r->req->res.headers, H2O_TOKEN_SET_COOKIE,
		               NULL, v, c.len);
	}
	sodium_memzero(c.data, c.len);
	sk_buf_free(&c);
}

/* A form field not of a record's schema (login, password change, TOTP): same template. */
static bool plain_field(sk_web_req *w, sk_html_frag *out, const char *key, sk_msg_id label,
                        const char *help, const char *type, const char *autocomplete,
                        const char *value, const char *error)
{
	sk_tv v[] = {SK_TV("key", key),     SK_TV("label", sk_web_t(w, label)),
	             SK_TV("help", help),   SK_TV("required", "1"),
	             SK_TV("error", error), SK_TV("value", value),
	             SK_TV("type", type),   SK_TV("autocomplete", autocomplete)};
	return sk_web_render(w, out, "field", v, N(v));
}

/* --- home --- */

/*
 * The newest requests of box (the inbox's pending ones, or one's own), a
 * line each: number, kind in the reader's language, status, linking to the
 * request's page. What a 8:30 Monday needs first.
 */
static void request_lines(sk_web_req *w, const char *box, sk_html_frag *out)
{
	bool inbox = strcmp(box, "inbox") == 0;
	sk_request_filter f = {.box = box, .status = inbox ? "pending" : NULL, .limit = 10};
	json_t *list = NULL, *r;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	if (sk_request_list(&call.c, &f, &list, &call.err) == SK_OK) {
		size_t i;
		json_array_foreach (list, i, r) {
			const char *kind = json_string_value(json_object_get(r, "kind"));
			const sk_schema *sc = kind ? sk_schema_request_details(kind) : NULL;
			char line[300], href[48];
			long long id = (long long)json_integer_value(json_object_get(r, "id"));
			snprintf(
			    line, sizeof(line), "R-%06lld %s — %s%s%s", id,
			    sc ? (w->lang == SK_LANG_JA ? sc->ja : sc->en) : (kind ? kind : ""),
			    sk_web_request_status(w,
			                          json_string_value(json_object_get(r, "status"))),
			    inbox ? " — " : "",
			    inbox ? json_string_value(json_object_get(r, "requester")) : "");
			snprintf(href, sizeof(href), "/requests/%lld", id);
			sk_tv v[] = {SK_TV("href", href), SK_TV("text", line)};
			sk_html_render(out, "rq_link_item", w->lang, v, 2);
		}
	}
	json_decref(list);
	sk_web_call_end(&call);
}

/* The unread notifications' titles (each a kind and a number only, notify.h). */
static void notice_lines(sk_web_req *w, sk_html_frag *out)
{
	json_t *list = NULL, *n;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	call.c.lang = sk_lang_code(w->lang);
	if (sk_notify_list(&call.c, true, 10, &list, &call.err) == SK_OK) {
		size_t i;
		json_array_foreach (json_object_get(list, "items"), i, n) {
			sk_tv v[] = {SK_TV("text", json_string_value(json_object_get(n, "title")))};
			sk_html_render(out, "li", w->lang, v, 1);
		}
	}
	json_decref(list);
	sk_web_call_end(&call);
}

void sk_web_home(sk_web_req *w)
{
	sk_html_frag main = SK_HTML_FRAG_INIT, roles = SK_HTML_FRAG_INIT;
	sk_html_frag inbox = SK_HTML_FRAG_INIT, mine = SK_HTML_FRAG_INIT,
	             notices = SK_HTML_FRAG_INIT;
	if (!w->has_session) {
		if (sk_web_render(w, &main, "landing", NULL, 0))
			sk_web_page(w, 200, SK_M_UI_APP, &main);
		goto out;
	}
	if (w->ap.must_change_password)
		return sk_web_redirect(w, "/password");
	if (w->ap.must_enroll_totp)
		return sk_web_redirect(w, "/totp");
	json_t *user = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_user_show_own(w->r->t->store, w->r->t->pol, w->ap.login, &user, &err);
	if (e) {
		sk_web_fail(w, e, &err);
		sk_buf_free(&err);
		goto out;
	}
	sk_buf_free(&err);
	sk_web_role_items(w, &roles, json_object_get(user, "roles"));
	char num[32];
	const sk_field *nf = sk_schema_field(&sk_schema_user, "name");
	const char *unit = sk_web_jtext(w, json_object_get(user, "unit_code"), num, sizeof(num));
	sk_tv v[] = {
	    SK_TV("login", w->ap.login),
	    SK_TV("name", json_string_value(json_object_get(user, "name"))),
	    SK_TV("name_title", nf ? (w->lang == SK_LANG_JA ? nf->ja : nf->en) : "name"),
	    SK_TV("unit", unit),
	    SK_TF("roles", &roles),
	    SK_TV("rotation", w->ap.password_rotation_due ? "1" : NULL),
	    SK_TV("can_assets", sk_web_can(w, SK_CAP_ASSET_READ) ? "1" : NULL),
	    SK_TV("can_write", sk_web_can(w, SK_CAP_ASSET_WRITE) ? "1" : NULL),
	    SK_TV("can_decide", sk_web_can(w, SK_CAP_DECIDE) ? "1" : NULL),
	    SK_TV("can_audit", sk_web_can(w, SK_CAP_AUDIT_READ) ? "1" : NULL),
	    SK_TF("inbox", &inbox),
	    SK_TF("mine", &mine),
	    SK_TF("notices", &notices),
	};
	if (sk_web_can(w, SK_CAP_REQUEST_APPROVE))
		request_lines(w, "inbox", &inbox);
	if (sk_web_can(w, SK_CAP_REQUEST_FILE))
		request_lines(w, "mine", &mine);
	notice_lines(w, &notices);
	if (sk_web_render(w, &main, "home", v, N(v)))
		sk_web_page(w, 200, SK_M_UI_HOME_TITLE, &main);
	json_decref(user);
out:
	sk_html_frag_free(&main);
	sk_html_frag_free(&roles);
	sk_html_frag_free(&inbox);
	sk_html_frag_free(&mine);
	sk_html_frag_free(&notices);
}

/* --- login, logout, password, TOTP --- */

/*
 * The login form has no session to derive a CSRF token from, so it carries
 * a random one that must match a cookie set with the form (double submit,
 * compared in constant time): another site cannot log a browser in to an
 * account of its choosing (login CSRF).
 */
#define LOGIN_CSRF_COOKIE "sekisho_login_csrf"

static void login_token(sk_web_req *w, char out[SK_AUTH_CSRF_MAX])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, SK_AUTH_CSRF_MAX, raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char c[160];
	snprintf(c, sizeof(c), LOGIN_CSRF_COOKIE "=%s; Path=/login; HttpOnly; SameSite=Strict%s",
	         out, w->r->t->cfg->secure_cookies ? "; Secure" : "");
	sk_web_header(w, H2O_TOKEN_SET_COOKIE, c);
}

static bool login_token_ok(sk_web_req *w)
{
	char cookie[SK_AUTH_CSRF_MAX + 1];
	const char *field = sk_form_get(&w->form, "csrf");
	if (!field || strlen(field) != SK_AUTH_CSRF_LEN ||
	    !sk_web_cookie(w, LOGIN_CSRF_COOKIE, cookie, sizeof(cookie)) ||
	    strlen(cookie) != SK_AUTH_CSRF_LEN)
		return false;
	return sodium_memcmp(cookie, field, SK_AUTH_CSRF_LEN) == 0;
}

static void login_page(sk_web_req *w, int status, const char *login, bool totp,
                       const char *login_err, const char *pw_err, const char *totp_err)
{
	sk_html_frag fields = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	bool ok = plain_field(w, &fields, "login", SK_M_UI_LOGIN_LOGIN, NULL, "text", "username",
	                      login, login_err) &&
	          plain_field(w, &fields, "password", SK_M_UI_LOGIN_PASSWORD, NULL, "password",
	                      "current-password", NULL, pw_err) &&
	          (!totp || plain_field(w, &fields, "totp", SK_M_UI_LOGIN_TOTP,
	                                sk_web_t(w, SK_M_UI_LOGIN_TOTP_HELP), "text",
	                                "one-time-code", NULL, totp_err));
	char token[SK_AUTH_CSRF_MAX];
	login_token(w, token);
	sk_tv v[] = {SK_TF("fields", &fields), SK_TV("csrf", token)};
	if (ok && sk_web_render(w, &main, "login", v, N(v)))
		sk_web_page(w, status, SK_M_UI_LOGIN_TITLE, &main);
	sk_html_frag_free(&fields);
	sk_html_frag_free(&main);
}

void sk_web_login_form(sk_web_req *w)
{
	if (w->has_session)
		return sk_web_redirect(w, "/");
	login_page(w, 200, NULL, false, NULL, NULL, NULL);
}

/* A login on its way to a login worker: what its answer needs of the form. */
typedef struct login_try {
	char login[SK_HTTP_LOGIN_MAX];
	bool totp; /* a one-time code was given */
} login_try;

/* The login's answer, on the loop: the session's cookie and the next page, or the form again. */
static void login_answer(sk_web_req *w, void *data, sk_err e, sk_auth_session *s, const sk_buf *err)
{
	const login_try *t = data;
	if (e == SK_OK) {
		atomic_fetch_add(&sk_http_m.logins_ok, 1);
		set_session_cookie(w, s->token);
		/* The account's language applies again from each login on (prefs.h). */
		sk_prefs pf;
		sk_buf perr = SK_BUF_INIT(SK_BUF_MSG_MAX);
		if (sk_prefs_get(w->r->t->store, s->principal.user_id, &pf, &perr) == SK_OK &&
		    pf.lang[0])
			sk_web_remember_lang(w, pf.lang);
		sk_buf_free(&perr);
		sk_web_redirect(w, s->principal.must_change_password ? "/password"
		                   : s->principal.must_enroll_totp   ? "/totp"
		                                                     : "/");
		return;
	}
	atomic_fetch_add(&sk_http_m.logins_failed, 1);
	if (s && s->locked)
		atomic_fetch_add(&sk_http_m.lockouts, 1);
	if (e == SK_ERR_AUTH && s && s->totp_required) {
		const char *m = sk_web_t(w, SK_M_UI_LOGIN_NEED_TOTP);
		sk_web_error(w, "totp", m);
		login_page(w, 200, t->login, true, NULL, NULL, m);
	} else {
		const char *m = e == SK_ERR_AUTH ? sk_web_t(w, SK_M_UI_LOGIN_FAILED)
		                                 : sk_msg_of(err, e, w->lang);
		sk_web_error(w, "password", m);
		login_page(w, e == SK_ERR_THROTTLED ? 429 : 200, t->login, t->totp, NULL, m, NULL);
	}
}

void sk_web_login_post(sk_web_req *w)
{
	const char *login = sk_form_get(&w->form, "login");
	const char *pw = sk_form_get(&w->form, "password");
	const char *totp = sk_form_get(&w->form, "totp");
	if (totp && !*totp)
		totp = NULL;
	if (!login_token_ok(w)) {
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		sk_fail_msg(&err, SK_ERR_DENIED, NULL, NULL, SK_M_WEB_LOGIN_FORM_TOKEN_DOES);
		sk_web_fail(w, SK_ERR_DENIED, &err);
		sk_buf_free(&err);
		return;
	}
	if (!login || !*login || !pw || !*pw) {
		const char *m = sk_web_t(w, SK_M_UI_LOGIN_FAILED);
		sk_web_error(w, !login || !*login ? "login" : "password", m);
		return login_page(w, 200, login, totp != NULL, !login || !*login ? m : NULL,
		                  login && *login ? m : NULL, NULL);
	}
	/* What the answer needs of the form, which goes with the job (the password is copied). */
	login_try *t = calloc(1, sizeof(*t));
	if (t) {
		snprintf(t->login, sizeof(t->login), "%s", login);
		t->totp = totp != NULL;
	}
	/* A login longer than any account's cannot succeed: no worker needed to say so. */
	if (t && strlen(login) >= sizeof(t->login)) {
		login_answer(w, t, SK_ERR_AUTH, NULL, NULL);
		free(t);
		return;
	}
	/* argon2id (50-100 ms) on the login workers, as the API's: the loop serves others
	 * meanwhile.
	 */
	if (!t || !sk_web_login_off_loop(w, login, pw, totp, login_answer, t, free)) {
		free(t);
		sk_web_busy(w);
	}
}

void sk_web_logout(sk_web_req *w)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_logout(w->r->t->store, &w->ap, w->r->address, &err);
	if (e)
		sk_web_fail(w, e, &err);
	else {
		set_session_cookie(w, NULL);
		sk_web_redirect(w, "/login");
	}
	sk_buf_free(&err);
}

static void password_page(sk_web_req *w, const char *old_err, const char *new_err)
{
	sk_html_frag fields = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	bool ok = plain_field(w, &fields, "old", SK_M_UI_PW_OLD, NULL, "password",
	                      "current-password", NULL, old_err) &&
	          plain_field(w, &fields, "new", SK_M_UI_PW_NEW, sk_web_t(w, SK_M_UI_PW_NEW_HELP),
	                      "password", "new-password", NULL, new_err);
	sk_tv v[] = {SK_TF("fields", &fields), SK_TV("csrf", w->ap.csrf_token)};
	if (ok && sk_web_render(w, &main, "password", v, N(v)))
		sk_web_page(w, 200, SK_M_UI_PW_TITLE, &main);
	sk_html_frag_free(&fields);
	sk_html_frag_free(&main);
}

void sk_web_password_form(sk_web_req *w) { password_page(w, NULL, NULL); }

void sk_web_password_post(sk_web_req *w)
{
	const char *old = sk_form_get(&w->form, "old"), *nw = sk_form_get(&w->form, "new");
	old = old ? old : "";
	nw = nw ? nw : "";
	sk_auth_session s;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_change_password(w->r->t->store, w->r->t->pol, &w->ap, old, strlen(old),
	                                   nw, strlen(nw), w->r->address, &s, &err);
	if (e == SK_OK) {
		set_session_cookie(w, s.token);
		sk_web_redirect(w, s.principal.must_enroll_totp ? "/totp" : "/");
	} else if (sk_err_http_status(e) >= 500) {
		sk_web_fail(w, e, &err);
	} else {
		const char *m = sk_msg_of(&err, e, w->lang);
		bool about_old = e == SK_ERR_AUTH || (err.field && !strcmp(err.field, "old"));
		sk_web_error(w, about_old ? "old" : "new", m);
		password_page(w, about_old ? m : NULL, about_old ? NULL : m);
	}
	sodium_memzero(&s, sizeof(s));
	sk_buf_free(&err);
}

static void totp_page(sk_web_req *w, const char *secret, const char *uri, const char *error)
{
	sk_html_frag fields = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	bool ok = secret ? plain_field(w, &fields, "code", SK_M_UI_LOGIN_TOTP,
	                               sk_web_t(w, SK_M_UI_LOGIN_TOTP_HELP), "text",
	                               "one-time-code", NULL, error)
	                 : plain_field(w, &fields, "password", SK_M_UI_LOGIN_PASSWORD,
	                               sk_web_t(w, SK_M_UI_TOTP_PASSWORD_HELP), "password",
	                               "current-password", NULL, error);
	sk_tv v[] = {SK_TF("fields", &fields), SK_TV("csrf", w->ap.csrf_token),
	             SK_TV("secret", secret), SK_TV("uri", uri)};
	if (ok && sk_web_render(w, &main, "totp", v, N(v)))
		sk_web_page(w, 200, SK_M_UI_TOTP_TITLE, &main);
	sk_html_frag_free(&fields);
	sk_html_frag_free(&main);
}

void sk_web_totp_form(sk_web_req *w) { totp_page(w, NULL, NULL, NULL); }

void sk_web_totp_post(sk_web_req *w)
{
	const char *step = sk_form_get(&w->form, "step");
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), uri = SK_BUF_INIT(1024);
	if (step && !strcmp(step, "confirm")) {
		const char *code = sk_form_get(&w->form, "code");
		sk_err e = sk_auth_totp_confirm(w->r->t->store, &w->ap, code ? code : "",
		                                w->r->address, &err);
		if (e == SK_OK)
			sk_web_redirect(w, "/");
		else if (e == SK_ERR_CONFLICT || sk_err_http_status(e) >= 500)
			sk_web_fail(w, e, &err);
		else {
			/* The pending secret stays: the page asks for the password again. */
			const char *m = sk_msg_of(&err, e, w->lang);
			sk_web_error(w, "password", m);
			totp_page(w, NULL, NULL, m);
		}
	} else {
		const char *pw = sk_form_get(&w->form, "password");
		pw = pw ? pw : "";
		char secret[SK_TOTP_BASE32_MAX];
		int64_t expires = 0;
		sk_err e = sk_auth_totp_begin(w->r->t->store, w->r->t->pol, &w->ap, pw, strlen(pw),
		                              w->r->address, &uri, secret, &expires, &err);
		if (e == SK_OK)
			totp_page(w, secret, uri.data, NULL);
		else if (sk_err_http_status(e) >= 500)
			sk_web_fail(w, e, &err);
		else {
			const char *m = e == SK_ERR_AUTH ? sk_web_t(w, SK_M_UI_LOGIN_FAILED)
			                                 : sk_msg_of(&err, e, w->lang);
			sk_web_error(w, "password", m);
			totp_page(w, NULL, NULL, m);
		}
		sodium_memzero(secret, sizeof(secret));
	}
	sodium_memzero(uri.data, uri.len);
	sk_buf_free(&uri);
	sk_buf_free(&err);
}
