/*
 * api_org: the organization tree, accounts and role grants over HTTP. The
 * domain functions check the capability at the unit concerned (authz.h);
 * the route table has already checked that the session holds it somewhere.
 */
#include <sodium.h>
#include <string.h>

#include "../domain/authz.h"
#include "../domain/org.h"
#include "../domain/role.h"
#include "../domain/user.h"
#include "http_int.h"

/* Answers e with err's message, or j (consumed) with status. */
static void finish(sk_http_rctx *r, sk_err e, sk_buf *err, int status, json_t *j)
{
	if (e) {
		json_decref(j);
		sk_http_reply_fail(r, e, err);
	} else {
		sk_http_reply_json(r, status, j);
	}
	sk_buf_free(err);
}

sk_err sk_http_user_show(sk_http_rctx *r, const char *login, json_t **out, sk_buf *err)
{
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_user_show(&c, login, out, err);
	sk_ctx_fini(&c);
	return e;
}

void sk_api_org_list(sk_http_rctx *r)
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_authz_scope_units(&c, SK_CAP_ORG_READ, &j, &err);
	sk_ctx_fini(&c);
	finish(r, e, &err, 200, j);
}

void sk_api_org_add(sk_http_rctx *r)
{
	int64_t id = 0;
	sk_org_unit u;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_org_add(r->t->store, &r->actor, sk_http_field_text(r, "code"),
	                      sk_http_field_text(r, "name"), sk_http_field_text(r, "kind"),
	                      sk_http_field_text(r, "parent"), &id, &err);
	if (!e)
		e = sk_org_get_id(r->t->store, id, &u, &err);
	finish(r, e, &err, 201, e ? NULL : sk_org_json(&u));
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
	finish(r, e, &err, 200, j);
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
	    .roles = names,
	    .nroles = n,
	};
	char temp[SK_PASSWORD_TEMP_MAX];
	temp[0] = '\0';
	json_t *user = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = n == 0 ? sk_fail(&err, SK_ERR_INVALID, "field 'roles' needs at least one role")
	                  : sk_user_add(r->t->store, &r->actor, &in, NULL, temp, &err);
	if (!e)
		e = sk_http_user_show(r, in.login, &user, &err);
	json_t *j = e ? NULL : json_pack("{s:o, s:s}", "user", user, "temporary_password", temp);
	sodium_memzero(temp, sizeof(temp));
	finish(r, e, &err, 201, j);
}

void sk_api_user_show(sk_http_rctx *r)
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_http_user_show(r, r->param, &j, &err);
	finish(r, e, &err, 200, j);
}

static void set_active(sk_http_rctx *r, bool active)
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_user_set_active(r->t->store, &r->actor, r->param, active, &err);
	if (!e)
		e = sk_http_user_show(r, r->param, &j, &err);
	finish(r, e, &err, 200, j);
}

void sk_api_user_disable(sk_http_rctx *r) { set_active(r, false); }
void sk_api_user_enable(sk_http_rctx *r) { set_active(r, true); }

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
	finish(r, e, &err, 200, j);
}

static void grant(sk_http_rctx *r, bool give)
{
	const char *login = sk_http_field_text(r, "login"), *role = sk_http_field_text(r, "role"),
	           *unit = sk_http_field_text(r, "unit");
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = give ? sk_role_grant(r->t->store, &r->actor, login, role, unit, &err)
	                : sk_role_revoke(r->t->store, &r->actor, login, role, unit, &err);
	json_t *j = NULL;
	if (!e) {
		sk_ctx c;
		sk_http_ctx(r, &c);
		e = sk_role_list(&c, login, NULL, NULL, &j, &err);
		sk_ctx_fini(&c);
	}
	finish(r, e, &err, give ? 201 : 200, j);
}

void sk_api_role_grant(sk_http_rctx *r) { grant(r, true); }
void sk_api_role_revoke(sk_http_rctx *r) { grant(r, false); }
