/*
 * api_users: the account administration and MFA routes that call the auth
 * module: admin unlock, TOTP self-enrollment (start, confirm), an
 * administrator's TOTP reset and the unused-accounts report. Each is the
 * same domain call as its CLI verb (`sekisho user unlock`, `user unused`,
 * `user totp-enroll`), so both doors audit the same way.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "../auth/auth.h"
#include "../core/sk_clock.h"
#include "../domain/user.h"
#include "http_int.h"

/* Answers e with err's message, or j (consumed) with status; frees err. */
static void finish(sk_http_rctx *r, sk_err e, sk_buf *err, int status, json_t *j)
{
	if (e) {
		json_decref(j);
		sk_http_reply_fail(r, e, err);
	} else if (!j) {
		sk_http_reply_error(r, SK_ERR_NOMEM, "the answer could not be built");
	} else {
		sk_http_reply_json(r, status, j);
	}
	sk_buf_free(err);
}

void sk_api_user_unlock(sk_http_rctx *r)
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_unlock(r->t->store, &r->actor, r->param, &err);
	if (!e)
		e = sk_http_user_show(r, r->param, &j, &err);
	finish(r, e, &err, 200, j);
}

void sk_api_user_totp_reset(sk_http_rctx *r)
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_totp_reset(r->t->store, &r->actor, r->param, &err);
	if (!e)
		e = sk_http_user_show(r, r->param, &j, &err);
	finish(r, e, &err, 200, j);
}

void sk_api_user_unused(sk_http_rctx *r)
{
	char days[16];
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = SK_OK;
	long long n = 0;
	if (!sk_http_query(r, "days", days, sizeof(days))) {
		e = sk_fail(&err, SK_ERR_INVALID,
		            "query parameter 'days' is required (1 to 36500)");
	} else {
		char *end = NULL;
		n = strtoll(days, &end, 10);
		if (!days[0] || !end || *end || n < 1 || n > 36500)
			e = sk_fail(
			    &err, SK_ERR_INVALID,
			    "query parameter 'days' must be a whole number from 1 to 36500");
	}
	if (!e) {
		sk_ctx c;
		sk_http_ctx(r, &c);
		e = sk_user_unused(&c, (int)n, &j, &err);
		sk_ctx_fini(&c);
	}
	finish(r, e, &err, 200, j);
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
		sk_clock_format(until, at);
		j = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "otpauth_uri", uri.data, "secret",
		              b32, "expires_at", at, "algorithm", "SHA1", "digits", SK_TOTP_DIGITS,
		              "period", SK_TOTP_STEP);
	}
	sodium_memzero(b32, sizeof(b32));
	sodium_memzero(uri.data, uri.len);
	sk_buf_free(&uri);
	finish(r, e, &err, 201, j);
}

void sk_api_totp_confirm(sk_http_rctx *r)
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_auth_totp_confirm(r->t->store, r->session, sk_http_field_text(r, "code"),
	                                r->address, &err);
	if (!e)
		e = sk_user_show_own(r->t->store, r->session->login, &j, &err);
	finish(r, e, &err, 200, e ? NULL : json_pack("{s:b, s:o}", "mfa_enrolled", 1, "user", j));
}
