/*
 * api_auth: POST /api/v1/login, /logout, /password and GET /api/v1/session.
 * The auth module decides; this file turns its answers into cookies and
 * JSON. Login's argon2id (about 50-100 ms per call) runs on a login worker
 * (pool.c) while the loop serves its other connections; here only when the
 * pool cannot take it.
 */
#include <sodium.h>
#include <string.h>

#include "../auth/auth.h"
#include "../core/sk_clock.h"
#include "../domain/user.h"
#include "http_int.h"

static void set_cookie(sk_http_rctx *r, const char *token)
{
	sk_buf c = SK_BUF_INIT(512);
	if (sk_auth_cookie(token, r->t->cfg->secure_cookies != 0, &c) == SK_OK) {
		char *v = h2o_mem_alloc_pool(&r->req->pool, c.len);
		memcpy(v, c.data, c.len);
		h2o_add_header(&r->req->pool, &r->req->res.headers, H2O_TOKEN_SET_COOKIE, NULL, v,
		               c.len);
	}
	sodium_memzero(c.data, c.len);
	sk_buf_free(&c);
}

/* {"user", "must_change_password", "previous_login", "csrf_token"} for a new session. */
static void answer_session(sk_http_rctx *r, sk_auth_session *s)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *user = NULL;
	sk_err e = sk_user_show_own(r->t->store, r->t->pol, s->principal.login, &user, &err);
	if (e) {
		sk_http_reply_fail(r, e, &err);
		sk_buf_free(&err);
		return;
	}
	char at[SK_TIME_STR_MAX];
	if (s->previous_login_at)
		sk_clock_format_local(s->previous_login_at, at);
	json_t *j = json_pack(
	    "{s:o, s:b, s:b, s:{s:s?, s:s?}, s:s, s:b}", "user", user, "must_change_password",
	    s->principal.must_change_password, "must_enroll_totp", s->principal.must_enroll_totp,
	    "previous_login", "at", s->previous_login_at ? at : NULL, "address",
	    s->previous_login_addr[0] ? s->previous_login_addr : NULL, "csrf_token",
	    s->principal.csrf_token, "password_rotation_due", s->principal.password_rotation_due);
	set_cookie(r, s->token);
	sk_http_reply_json(r, 200, j);
	sk_buf_free(&err);
}

void sk_api_login_finish(sk_http_rctx *r, sk_err e, sk_auth_session *s, const sk_buf *err)
{
	if (e == SK_OK) {
		atomic_fetch_add(&sk_http_m.logins_ok, 1);
		answer_session(r, s);
	} else {
		/* A lock is counted here, though the caller is not told of it (auth.h). */
		atomic_fetch_add(&sk_http_m.logins_failed, 1);
		if (s->locked)
			atomic_fetch_add(&sk_http_m.lockouts, 1);
		if (e == SK_ERR_THROTTLED)
			sk_http_retry_after(r, s->retry_after);
		sk_http_reply_fail(r, e, err);
	}
}

void sk_api_login(sk_http_rctx *r)
{
	const char *login = sk_http_field_text(r, "login");
	const json_t *pw = json_object_get(r->body, "password");
	const char *totp = sk_http_field_text(r, "totp");
	/* argon2id takes 50-100 ms: done by a login worker while this loop serves others. */
	if (sk_http_pool_login(r, login, json_string_value(pw), json_string_length(pw), totp))
		return;
	sk_auth_session s;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_login(r->t->store, r->t->pol, login, json_string_value(pw),
	                         json_string_length(pw), totp, r->address, &s, &err);
	sk_api_login_finish(r, e, &s, &err);
	sodium_memzero(&s, sizeof(s));
	sk_buf_free(&err);
}

void sk_api_logout(sk_http_rctx *r)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_logout(r->t->store, r->session, r->address, &err);
	if (e) {
		sk_http_reply_fail(r, e, &err);
	} else {
		set_cookie(r, NULL);
		sk_http_reply_json(r, 200, json_pack("{s:b}", "logged_out", 1));
	}
	sk_buf_free(&err);
}

void sk_api_password(sk_http_rctx *r)
{
	const json_t *old = json_object_get(r->body, "old"), *nw = json_object_get(r->body, "new");
	sk_auth_session s;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_change_password(
	    r->t->store, r->t->pol, r->session, json_string_value(old), json_string_length(old),
	    json_string_value(nw), json_string_length(nw), r->address, &s, &err);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else
		answer_session(r, &s);
	sodium_memzero(&s, sizeof(s));
	sk_buf_free(&err);
}

void sk_api_me(sk_http_rctx *r)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *user = NULL;
	sk_err e = sk_user_show_own(r->t->store, r->t->pol, r->session->login, &user, &err);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else
		sk_http_reply_json(r, 200,
		                   json_pack("{s:o, s:b, s:b, s:b, s:s}", "user", user,
		                             "must_change_password",
		                             r->session->must_change_password, "must_enroll_totp",
		                             r->session->must_enroll_totp, "password_rotation_due",
		                             r->session->password_rotation_due, "csrf_token",
		                             r->session->csrf_token));
	sk_buf_free(&err);
}
