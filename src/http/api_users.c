/*
 * api_users: accounts over HTTP: list, add, show, disable and enable, an
 * administrator's unlock and TOTP reset, the unused-accounts report, and the
 * session's own TOTP enrollment (start, confirm). Each is the same domain
 * call as its CLI verb (`sekisho user ...`), so both doors check and audit
 * the same way; reads are scoped by the domain (out of scope is 404).
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "../auth/auth.h"
#include "../core/sk_clock.h"
#include "../domain/user.h"
#include "http_int.h"
#include "../core/sk_msg.h"

/* sk_user_show of login for the request's actor (scoped: out of scope is 404). */
static sk_err user_show(sk_http_rctx *r, const char *login, json_t **out, sk_buf *err)
{
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_user_show(&c, login, out, err);
	sk_ctx_fini(&c);
	return e;
}

void sk_api_user_list(sk_http_rctx *r)
{
	char unit[72], role[40];
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e =
	    sk_user_list(&c, sk_http_query(r, "unit", unit, sizeof(unit)) ? unit : NULL,
	                 sk_http_query(r, "role", role, sizeof(role)) ? role : NULL, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 200, j);
}

void sk_api_user_add(sk_http_rctx *r)
{
	const json_t *roles = json_object_get(r->body, "roles");
	const char *names[SK_USER_ROLES_MAX];
	size_t n = json_array_size(roles);
	for (size_t i = 0; i < n && i < SK_USER_ROLES_MAX; i++)
		names[i] = json_string_value(json_array_get(roles, i));
	sk_user_new in = {
	    .login = sk_http_field_text(r, "login"),
	    .name = sk_http_field_text(r, "name"),
	    .unit = sk_http_field_text(r, "unit"),
	    .kind = sk_http_field_text(r, "kind"),
	    .email = sk_http_field_text(r, "email"),
	    .roles = names,
	    .nroles = n,
	};
	char temp[SK_PASSWORD_TEMP_MAX];
	temp[0] = '\0';
	json_t *user = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = n == 0 ? sk_fail_msg(&err, SK_ERR_INVALID, NULL, NULL,
	                                SK_M_HTTP_FIELD_ROLES_NEEDS_LEAST)
	                  : sk_user_add(&c, &in, NULL, temp, &err);
	sk_ctx_fini(&c);
	if (!e)
		e = user_show(r, in.login, &user, &err);
	json_t *j = e ? NULL : json_pack("{s:o, s:s}", "user", user, "temporary_password", temp);
	sodium_memzero(temp, sizeof(temp));
	sk_http_reply_result(r, e, &err, 201, j);
}

void sk_api_user_show(sk_http_rctx *r)
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = user_show(r, r->param, &j, &err);
	sk_http_reply_result(r, e, &err, 200, j);
}

/*
 * A change to the account the path names, answered with the account as it
 * now reads (scoped as sk_user_show): disable, enable, unlock and TOTP reset
 * differ only in the domain call.
 */
static void change_then_show(sk_http_rctx *r, sk_err (*change)(sk_ctx *, const char *, sk_buf *))
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = change(&c, r->param, &err);
	sk_ctx_fini(&c);
	if (!e)
		e = user_show(r, r->param, &j, &err);
	sk_http_reply_result(r, e, &err, 200, j);
}

static sk_err disable(sk_ctx *c, const char *login, sk_buf *err)
{
	return sk_user_set_active(c, login, false, err);
}

static sk_err enable(sk_ctx *c, const char *login, sk_buf *err)
{
	return sk_user_set_active(c, login, true, err);
}

void sk_api_user_disable(sk_http_rctx *r) { change_then_show(r, disable); }
void sk_api_user_enable(sk_http_rctx *r) { change_then_show(r, enable); }
void sk_api_user_unlock(sk_http_rctx *r) { change_then_show(r, sk_auth_unlock); }
void sk_api_user_totp_reset(sk_http_rctx *r) { change_then_show(r, sk_auth_totp_reset); }

void sk_api_user_unused(sk_http_rctx *r)
{
	char days[16];
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = SK_OK;
	long long n = 0;
	if (!sk_http_query(r, "days", days, sizeof(days))) {
		e = sk_fail_msg(&err, SK_ERR_INVALID, NULL, NULL,
		                SK_M_HTTP_QUERY_PARAMETER_DAYS_REQUIRED);
	} else {
		char *end = NULL;
		n = strtoll(days, &end, 10);
		if (!days[0] || !end || *end || n < 1 || n > 36500)
			e = sk_fail_msg(&err, SK_ERR_INVALID, NULL, NULL,
			                SK_M_HTTP_QUERY_PARAMETER_DAYS_MUST);
	}
	if (!e) {
		sk_ctx c;
		sk_http_ctx(r, &c);
		e = sk_user_unused(&c, (int)n, &j, &err);
		sk_ctx_fini(&c);
	}
	sk_http_reply_result(r, e, &err, 200, j);
}

void sk_api_totp_enroll(sk_http_rctx *r)
{
	const json_t *pw = json_object_get(r->body, "password");
	sk_buf uri = SK_BUF_INIT(4096), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char b32[SK_TOTP_BASE32_MAX];
	int64_t until = 0;
	sk_err e = sk_auth_totp_begin(r->t->store, r->t->pol, r->session, json_string_value(pw),
	                              json_string_length(pw), r->address, &uri, b32, &until, &err);
	json_t *j = NULL;
	if (!e) {
		char at[SK_TIME_STR_MAX];
		sk_clock_format_local(until, at);
		j = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "otpauth_uri", uri.data, "secret",
		              b32, "expires_at", at, "algorithm", "SHA1", "digits", SK_TOTP_DIGITS,
		              "period", SK_TOTP_STEP);
	}
	sodium_memzero(b32, sizeof(b32));
	sodium_memzero(uri.data, uri.len);
	sk_buf_free(&uri);
	sk_http_reply_result(r, e, &err, 201, j);
}

void sk_api_totp_confirm(sk_http_rctx *r)
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_totp_confirm(r->t->store, r->session, sk_http_field_text(r, "code"),
	                                r->address, &err);
	if (!e)
		e = sk_user_show_own(r->t->store, r->t->pol, r->session->login, &j, &err);
	sk_http_reply_result(r, e, &err, 200,
	                     e ? NULL : json_pack("{s:b, s:o}", "mfa_enrolled", 1, "user", j));
}
