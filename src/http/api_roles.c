/*
 * api_roles: role grants over HTTP (list, grant, revoke). The domain
 * functions check the capability at the unit concerned (authz.h); the
 * route table has already checked that the session holds it somewhere.
 */
#include "../domain/role.h"
#include "http_int.h"

void sk_api_role_list(sk_http_rctx *r)
{
	char login[72], role[40], unit[72];
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e =
	    sk_role_list(&c, sk_http_query(r, "login", login, sizeof(login)) ? login : NULL,
	                 sk_http_query(r, "role", role, sizeof(role)) ? role : NULL,
	                 sk_http_query(r, "unit", unit, sizeof(unit)) ? unit : NULL, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 200, j);
}

static void grant(sk_http_rctx *r, bool give)
{
	const char *login = sk_http_field_text(r, "login"), *role = sk_http_field_text(r, "role"),
	           *unit = sk_http_field_text(r, "unit");
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = give ? sk_role_grant(&c, login, role, unit, &err)
	                : sk_role_revoke(&c, login, role, unit, &err);
	json_t *j = NULL;
	if (!e)
		e = sk_role_list(&c, login, NULL, NULL, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, give ? 201 : 200, j);
}

void sk_api_role_grant(sk_http_rctx *r) { grant(r, true); }
void sk_api_role_revoke(sk_http_rctx *r) { grant(r, false); }
