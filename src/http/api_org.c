/*
 * api_org: the organization tree over HTTP (list, add). The domain
 * functions check the capability at the unit concerned (authz.h); the
 * route table has already checked that the session holds it somewhere.
 */
#include "../domain/authz.h"
#include "../domain/org.h"
#include "http_int.h"

void sk_api_org_list(sk_http_rctx *r)
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_authz_scope_units(&c, SK_CAP_ORG_READ, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 200, j);
}

void sk_api_org_add(sk_http_rctx *r)
{
	int64_t id = 0;
	sk_org_unit u;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e =
	    sk_org_add(&c, sk_http_field_text(r, "code"), sk_http_field_text(r, "name"),
	               sk_http_field_text(r, "kind"), sk_http_field_text(r, "parent"), &id, &err);
	sk_ctx_fini(&c);
	if (!e)
		e = sk_org_get_id(r->t->store, id, &u, &err);
	sk_http_reply_result(r, e, &err, 201, e ? NULL : sk_org_json(&u));
}

void sk_api_org_check(sk_http_rctx *r) { sk_http_reply_read(r, sk_org_check); }
