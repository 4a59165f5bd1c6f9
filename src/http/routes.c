/*
 * routes: the one route table of the HTTP API and the dispatcher that
 * applies it. Each route declares its method and path, who may call it (no
 * session, or a session holding one of the listed roles), whether it may be
 * called while a temporary password is pending, and the JSON fields its
 * body takes. The dispatcher does everything the table says before the
 * handler runs (session, must-change, CSRF, role, body validation); scope
 * is the domain layer's (assets out of scope answer 404 there). The OpenAPI
 * document (openapi.c) and the access-control matrix test both read this
 * table, so a route cannot exist without being documented and tested.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../auth/auth.h"
#include "../core/sk_json.h"
#include "http_int.h"

/* Each route names one capability (policy.h); the profile says which roles hold it. */
#define ANY    SK_HTTP_ANY_ROLE
#define PUBLIC SK_HTTP_ANY_ROLE /* not looked at: the route needs no session */

/* The asset fields a body may carry: sk_asset_field's keys. */
#define ASSET_FIELDS(req)                                                                          \
	{"unit", SK_T_STR_INT, req, 64, "owning unit: id or code"},                                \
	    {"type", SK_T_STR, req, 64,                                                            \
	     "hardware, software, media, facility, document, data, network or system"},            \
	    {"name", SK_T_STR, req, 400, "名称・型番"},                                            \
	    {"quantity", SK_T_INT, false, 0, "台数・個数 (default 1)"},                            \
	    {"location", SK_T_STR, false, 400, "保管場所"},                                        \
	    {"backup", SK_T_BOOL, false, 0, "バックアップの有無"},                                 \
	    {"disposal_method", SK_T_STR, false, 400, "廃棄方法"},                                 \
	    {"conf", SK_T_STR_INT, req, 32, "機密性, as the profile names the level"},             \
	    {"integ", SK_T_STR_INT, req, 32, "完全性"},                                            \
	    {"avail", SK_T_STR_INT, req, 32, "可用性"},                                            \
	    {"manager", SK_T_STR, req, 200, "管理責任者"},                                         \
	    {"zone", SK_T_STR, req, 32, "mynumber, lgwan or internet"},                            \
	    {"personal", SK_T_BOOL, false, 0, "holds personal information"},                       \
	    {"mynumber", SK_T_BOOL, false, 0, "holds 特定個人情報"},                               \
	    {"recovery_hours", SK_T_INT, false, 0, "recovery time (highest 可用性 only)"},         \
	    {"acquired_on", SK_T_STR, false, 64, "date, western or 和暦"},                         \
	{                                                                                          \
		"note", SK_T_STR, false, 2000, "備考"                                            \
	}

static const char *const Q_ASSETS[] = {"unit", "type",   "conf",  "zone",
                                       "q",    "status", "limit", NULL};
static const char *const Q_USERS[] = {"unit", "role", NULL};
static const char *const Q_ROLES[] = {"login", "role", "unit", NULL};
static const char *const Q_AUDIT[] = {"after", "limit", NULL};
static const char *const Q_UNUSED
[] = {"days", NULL};

static const sk_http_route routes[] = {
    {"GET", "/", SK_R_PUBLIC, PUBLIC, sk_api_index, "a page naming the API", NULL, {{0}}, NULL},
    {"GET",
     "/healthz",
     SK_R_PUBLIC,
     PUBLIC,
     sk_api_healthz,
     "liveness and database check",
     NULL,
     {{0}},
     NULL},
    {"GET",
     "/metrics",
     SK_R_LOOPBACK,
     SK_CAP_METRICS_READ,
     sk_api_metrics,
     "Prometheus metrics (loopback clients, or a session of the listed roles)",
     NULL,
     {{0}},
     NULL},
    {"GET",
     "/api/v1/openapi.json",
     SK_R_PUBLIC,
     PUBLIC,
     sk_api_openapi,
     "this API as an OpenAPI 3.1 document",
     NULL,
     {{0}},
     NULL},
    {"POST",
     "/api/v1/login",
     SK_R_PUBLIC | SK_R_BODY | SK_R_INVALIDATES,
     PUBLIC,
     sk_api_login,
     "log in: sets the session cookie and returns the CSRF token",
     NULL,
     {{"login", SK_T_STR, true, 64, "the account's login"},
      {"password", SK_T_STR, true, 1024, "the password"},
      {"totp", SK_T_STR, false, 16, "a one-time code where the profile demands MFA"},
      {0}},
     NULL},
    {"POST",
     "/api/v1/logout",
     SK_R_MUST_CHANGE | SK_R_INVALIDATES,
     ANY,
     sk_api_logout,
     "end the session",
     NULL,
     {{0}},
     NULL},
    {"POST",
     "/api/v1/password",
     SK_R_MUST_CHANGE | SK_R_BODY | SK_R_INVALIDATES,
     ANY,
     sk_api_password,
     "change the password (ends every session and issues a new one)",
     NULL,
     {{"old", SK_T_STR, true, 1024, "the current password"},
      {"new", SK_T_STR, true, 1024, "the new password"},
      {0}},
     NULL},
    {"GET",
     "/api/v1/session",
     SK_R_MUST_CHANGE,
     ANY,
     sk_api_me,
     "the session's account, roles and CSRF token",
     NULL,
     {{0}},
     NULL},
    {"GET",
     "/api/v1/assets",
     0,
     SK_CAP_ASSET_READ,
     sk_api_asset_list,
     "list assets",
     "only assets of units in the caller's scope are listed",
     {{0}},
     Q_ASSETS},
    {"POST",
     "/api/v1/assets",
     SK_R_BODY,
     SK_CAP_ASSET_WRITE,
     sk_api_asset_add,
     "add an asset",
     "the unit must be in the caller's scope for writing",
     {ASSET_FIELDS(true), {0}},
     NULL},
    {"GET",
     "/api/v1/assets/{id}",
     0,
     SK_CAP_ASSET_READ,
     sk_api_asset_get,
     "read an asset",
     "out of scope answers 404",
     {{0}},
     NULL},
    {"PATCH",
     "/api/v1/assets/{id}",
     SK_R_BODY,
     SK_CAP_ASSET_WRITE,
     sk_api_asset_update,
     "change an asset's fields",
     "out of scope answers 404",
     {ASSET_FIELDS(false), {0}},
     NULL},
    {"DELETE",
     "/api/v1/assets/{id}",
     SK_R_BODY,
     SK_CAP_ASSET_WRITE,
     sk_api_asset_dispose,
     "record the asset's disposal (八王子 7(9)イ)",
     "out of scope answers 404",
     {{"operator", SK_T_STR, true, 200, "person in charge"},
      {"record", SK_T_STR, true, 2000, "method, company, certificate number"},
      {"on", SK_T_STR, false, 64, "date (default today)"},
      {0}},
     NULL},
    {"GET",
     "/api/v1/assets/{id}/history",
     0,
     SK_CAP_ASSET_READ,
     sk_api_asset_history,
     "the asset's change history",
     "out of scope answers 404",
     {{0}},
     NULL},
    {"POST",
     "/api/v1/decisions",
     SK_R_BODY,
     SK_CAP_DECIDE,
     sk_api_decision,
     "the SPEC §3 handling decision for a stored asset and the caller",
     "an asset out of scope answers 404",
     {{"asset_id", SK_T_INT, true, 0, "the asset"},
      {"action", SK_T_STR, true, 64, "a SPEC §3 action"},
      {0}},
     NULL},
    {"GET",
     "/api/v1/org",
     0,
     SK_CAP_ORG_READ,
     sk_api_org_list,
     "the units in the caller's scope",
     "units outside the caller's scope are left out",
     {{0}},
     NULL},
    {"POST",
     "/api/v1/org",
     SK_R_BODY | SK_R_INVALIDATES,
     SK_CAP_ORG_ADMIN,
     sk_api_org_add,
     "add a unit",
     "needs an administrator of the parent unit",
     {{"code", SK_T_STR, true, 32, "unit code"},
      {"name", SK_T_STR, true, 200, "unit name"},
      {"kind", SK_T_STR, true, 32, "department, section, designated_manager, contractor"},
      {"parent", SK_T_STR_INT, true, 64, "parent unit: id or code"},
      {0}},
     NULL},
    {"GET",
     "/api/v1/users",
     0,
     SK_CAP_USER_READ,
     sk_api_user_list,
     "list accounts",
     NULL,
     {{0}},
     Q_USERS},
    {"POST",
     "/api/v1/users",
     SK_R_BODY,
     SK_CAP_USER_ADMIN,
     sk_api_user_add,
     "add an account (answers its temporary password once)",
     "needs an administrator of the unit",
     {{"login", SK_T_STR, true, 64, "login"},
      {"name", SK_T_STR, true, 200, "name"},
      {"unit", SK_T_STR_INT, true, 64, "unit: id or code"},
      {"kind", SK_T_STR, false, 32, "staff, contractor or designated_manager"},
      {"roles", SK_T_STR_ARRAY, true, 12, "roles granted at the unit"},
      {0}},
     NULL},
    /* Before /api/v1/users/{login}: the first matching row answers. */
    {"GET",
     "/api/v1/users/unused",
     0,
     SK_CAP_USER_READ,
     sk_api_user_unused,
     "accounts not used for days days (no login since, or never and created that long ago)",
     NULL,
     {{0}},
     Q_UNUSED},
    {"GET",
     "/api/v1/users/{login}",
     0,
     SK_CAP_USER_READ,
     sk_api_user_show,
     "one account",
     NULL,
     {{0}},
     NULL},
    {"POST",
     "/api/v1/users/{login}/disable",
     SK_R_INVALIDATES,
     SK_CAP_USER_ADMIN,
     sk_api_user_disable,
     "disable an account",
     "needs an administrator of the account's unit",
     {{0}},
     NULL},
    {"POST",
     "/api/v1/users/{login}/enable",
     SK_R_INVALIDATES,
     SK_CAP_USER_ADMIN,
     sk_api_user_enable,
     "re-enable an account",
     "needs an administrator of the account's unit",
     {{0}},
     NULL},
    {"POST",
     "/api/v1/users/{login}/unlock",
     0,
     SK_CAP_USER_ADMIN,
     sk_api_user_unlock,
     "clear an account's lockout (audited auth.unlock)",
     "needs an administrator of the account's unit",
     {{0}},
     NULL},
    {"POST",
     "/api/v1/users/{login}/totp/reset",
     SK_R_INVALIDATES,
     SK_CAP_USER_ADMIN,
     sk_api_user_totp_reset,
     "take an account's TOTP secret away and end its sessions (audited auth.totp_reset)",
     "needs an administrator of the account's unit",
     {{0}},
     NULL},
    {"POST",
     "/api/v1/totp/enroll",
     SK_R_BODY,
     ANY,
     sk_api_totp_enroll,
     "start TOTP self-enrollment: a pending secret, shown once, active only once confirmed",
     NULL,
     {{"password", SK_T_STR, true, 1024, "the account's password, given again"}, {0}},
     NULL},
    {"POST",
     "/api/v1/totp/confirm",
     SK_R_BODY,
     ANY,
     sk_api_totp_confirm,
     "confirm TOTP self-enrollment with a current code of the pending secret",
     NULL,
     {{"code", SK_T_STR, true, 16, "the authenticator's current 6-digit code"}, {0}},
     NULL},
    {"GET",
     "/api/v1/roles",
     0,
     SK_CAP_USER_READ,
     sk_api_role_list,
     "role grants",
     NULL,
     {{0}},
     Q_ROLES},
    {"POST",
     "/api/v1/roles",
     SK_R_BODY | SK_R_INVALIDATES,
     SK_CAP_ROLE_GRANT,
     sk_api_role_grant,
     "grant a role at a unit",
     "needs an administrator of the unit",
     {{"login", SK_T_STR, true, 64, "account"},
      {"role", SK_T_STR, true, 32, "a SPEC §3 role"},
      {"unit", SK_T_STR_INT, true, 64, "unit: id or code"},
      {0}},
     NULL},
    {"POST",
     "/api/v1/roles/revoke",
     SK_R_BODY | SK_R_INVALIDATES,
     SK_CAP_ROLE_GRANT,
     sk_api_role_revoke,
     "take a role grant back",
     "needs an administrator of the unit",
     {{"login", SK_T_STR, true, 64, "account"},
      {"role", SK_T_STR, true, 32, "a SPEC §3 role"},
      {"unit", SK_T_STR_INT, true, 64, "unit: id or code"},
      {0}},
     NULL},
    {"GET",
     "/api/v1/audit",
     0,
     SK_CAP_AUDIT_READ,
     sk_api_audit_list,
     "read audit entries",
     NULL,
     {{0}},
     Q_AUDIT},
    {"GET",
     "/api/v1/audit/verify",
     0,
     SK_CAP_AUDIT_READ,
     sk_api_audit_verify,
     "verify the audit log",
     NULL,
     {{0}},
     NULL},
    {"POST",
     "/api/v1/audit/checkpoint",
     0,
     SK_CAP_AUDIT_CHECKPOINT,
     sk_api_audit_checkpoint,
     "sign a checkpoint of the audit log",
     NULL,
     {{0}},
     NULL},
    {"GET",
     "/api/v1/policy",
     0,
     ANY,
     sk_api_policy_show,
     "the installation's profile",
     NULL,
     {{0}},
     NULL},
    {"POST",
     "/api/v1/policy/decide",
     SK_R_BODY,
     SK_CAP_DECIDE,
     sk_api_policy_decide,
     "a SPEC §3 decision for a bare classification",
     NULL,
     {{"action", SK_T_STR, true, 64, "a SPEC §3 action"},
      {"conf", SK_T_STR_INT, false, 32, "機密性"},
      {"integ", SK_T_STR_INT, false, 32, "完全性"},
      {"avail", SK_T_STR_INT, false, 32, "可用性"},
      {"mynumber", SK_T_BOOL, false, 0, "holds 特定個人情報"},
      {"personal", SK_T_BOOL, false, 0, "holds personal information"},
      {"zone", SK_T_STR, false, 32, "mynumber, lgwan or internet"},
      {"actor_role", SK_T_STR, false, 32, "the actor's role"},
      {0}},
     NULL},
};

const sk_http_route *sk_http_routes(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}

/* --- matching --- */

static bool seg_eq(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && memcmp(a, b, an) == 0;
}

/* Whether path (len bytes) matches pattern; fills r->id / r->param. */
static bool path_match(const char *pat, const char *path, size_t len, sk_http_rctx *r)
{
	const char *p = path, *end = path + len;
	while (*pat && p <= end) {
		if (*pat != '/' || p == end || *p != '/')
			return false;
		pat++, p++;
		const char *ps = pat, *xs = p;
		while (*pat && *pat != '/')
			pat++;
		while (p < end && *p != '/')
			p++;
		size_t pn = (size_t)(pat - ps), xn = (size_t)(p - xs);
		if (pn == 4 && memcmp(ps, "{id}", 4) == 0) {
			if (xn == 0 || xn > 18)
				return false;
			int64_t v = 0;
			for (size_t i = 0; i < xn; i++) {
				if (xs[i] < '0' || xs[i] > '9')
					return false;
				v = v * 10 + (xs[i] - '0');
			}
			if (v <= 0)
				return false;
			r->id = v;
		} else if (pn == 7 && memcmp(ps, "{login}", 7) == 0) {
			if (xn == 0 || xn >= sizeof(r->param))
				return false;
			for (size_t i = 0; i < xn; i++)
				if (xs[i] == '%' || (unsigned char)xs[i] < 0x21)
					return false;
			memcpy(r->param, xs, xn);
			r->param[xn] = '\0';
		} else if (!seg_eq(ps, pn, xs, xn))
			return false;
	}
	return !*pat && p == end;
}

/* --- body validation --- */

static bool type_ok(const json_t *v, sk_http_type t, size_t max)
{
	switch (t) {
	case SK_T_STR:
		return json_is_string(v) && json_string_length(v) <= max;
	case SK_T_INT:
		return json_is_integer(v);
	case SK_T_BOOL:
		return json_is_boolean(v);
	case SK_T_STR_INT:
		return (json_is_string(v) && json_string_length(v) <= max) || json_is_integer(v);
	case SK_T_STR_ARRAY: {
		if (!json_is_array(v) || json_array_size(v) > max)
			return false;
		size_t i;
		json_t *x;
		json_array_foreach (v, i, x)
			if (!json_is_string(x) || json_string_length(x) > 64)
				return false;
		return true;
	}
	}
	return false;
}

static const char *type_name(sk_http_type t)
{
	static const char *const names[] = {
	    [SK_T_STR] = "a string",
	    [SK_T_INT] = "an integer",
	    [SK_T_BOOL] = "true or false",
	    [SK_T_STR_INT] = "a string or an integer",
	    [SK_T_STR_ARRAY] = "an array of strings",
	};
	return names[t];
}

static size_t field_max(const sk_http_field *f) { return f->max ? f->max : 1024; }

/* Checks the body against the route's fields; names the first problem. */
static sk_err check_body(const sk_http_route *rt, json_t *body, sk_buf *err)
{
	if (!json_is_object(body))
		return sk_fail(err, SK_ERR_INVALID, "the body must be a JSON object");
	const char *key;
	json_t *v;
	json_object_foreach (body, key, v) {
		const sk_http_field *f = NULL;
		for (const sk_http_field *x = rt->fields; x->name; x++)
			if (strcmp(x->name, key) == 0) {
				f = x;
				break;
			}
		if (!f)
			return sk_fail(err, SK_ERR_INVALID, "unknown field '%.64s'", key);
		if (!type_ok(v, f->type, field_max(f))) {
			if ((f->type == SK_T_STR || f->type == SK_T_STR_INT) && json_is_string(v))
				return sk_fail(err, SK_ERR_INVALID,
				               "field '%s' is longer than %zu bytes", key,
				               field_max(f));
			return sk_fail(
			    err, SK_ERR_INVALID, "field '%s' must be %s%s", key, type_name(f->type),
			    f->type == SK_T_STR_ARRAY ? " (at most the allowed count)" : "");
		}
		if (json_is_string(v) && memchr(json_string_value(v), '\0', json_string_length(v)))
			return sk_fail(err, SK_ERR_INVALID, "field '%s' holds a NUL character",
			               key);
	}
	for (const sk_http_field *x = rt->fields; x->name; x++)
		if (x->required && !json_object_get(body, x->name))
			return sk_fail(err, SK_ERR_INVALID, "field '%s' is required", x->name);
	return SK_OK;
}

static bool is_json_type(h2o_iovec_t ct)
{
	static const char want[] = "application/json";
	size_t n = sizeof(want) - 1;
	if (ct.len < n || strncasecmp(ct.base, want, n) != 0)
		return false;
	return ct.len == n || ct.base[n] == ';' || ct.base[n] == ' ';
}

/* --- the session --- */

/* inet_ntop's text of an IPv4 address (out has room for 16 bytes), without its sprintf. */
static void ipv4_text(const unsigned char b[4], char *out)
{
	for (int i = 0; i < 4; i++) {
		unsigned v = b[i];
		if (v >= 100)
			*out++ = (char)('0' + v / 100);
		if (v >= 10)
			*out++ = (char)('0' + v / 10 % 10);
		*out++ = (char)('0' + v % 10);
		if (i < 3)
			*out++ = '.';
	}
	*out = '\0';
}

static void peer_address(h2o_req_t *req, char *out, size_t max)
{
	struct sockaddr_storage ss;
	socklen_t sl = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
	out[0] = '\0';
	if (sl != 0 && ss.ss_family == AF_INET && max >= INET_ADDRSTRLEN) {
		ipv4_text((const unsigned char *)&((struct sockaddr_in *)&ss)->sin_addr, out);
		return;
	}
	if (sl == 0 || !inet_ntop(ss.ss_family,
	                          ss.ss_family == AF_INET6
	                              ? (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr
	                              : (const void *)&((struct sockaddr_in *)&ss)->sin_addr,
	                          out, (socklen_t)max))
		snprintf(out, max, "unknown");
}

/* Whether the peer is this host (127.0.0.0/8, ::1, or either mapped into IPv6). */
static bool is_loopback(const char *address)
{
	return strncmp(address, "127.", 4) == 0 || strcmp(address, "::1") == 0 ||
	       strncmp(address, "::ffff:127.", 11) == 0;
}

static bool state_changing(h2o_iovec_t m)
{
	return !h2o_memis(m.base, m.len, H2O_STRLIT("GET")) &&
	       !h2o_memis(m.base, m.len, H2O_STRLIT("HEAD"));
}

/* Finds the session, then applies must-change, CSRF and the route's capability. */
static sk_err authenticate(sk_http_rctx *r, sk_auth_principal *ap, sk_authz_principal *who,
                           sk_buf *err)
{
	char token[SK_AUTH_TOKEN_MAX];
	h2o_iovec_t ck = sk_http_header(r->req, "cookie");
	char *cookie = ck.len ? h2o_mem_alloc_pool(&r->req->pool, ck.len + 1) : NULL;
	if (cookie) {
		memcpy(cookie, ck.base, ck.len);
		cookie[ck.len] = '\0';
	}
	if (sk_auth_cookie_token(cookie, token))
		return sk_fail(err, SK_ERR_AUTH, "log in first (POST /api/v1/login)");
	sk_http_session ses;
	sk_err e = sk_http_session_find(r->t, token, r->address, &ses, err);
	sodium_memzero(token, sizeof(token));
	if (e)
		return e;
	*ap = *ses.principal;
	if (!(r->route->flags & SK_R_MUST_CHANGE) && (e = sk_auth_require_ready(ap, err)))
		return e;
	if (state_changing(r->req->method)) {
		h2o_iovec_t h = sk_http_header(r->req, "x-csrf-token");
		char csrf[SK_AUTH_CSRF_MAX + 1];
		csrf[0] = '\0';
		if (h.len && h.len < sizeof(csrf)) {
			memcpy(csrf, h.base, h.len);
			csrf[h.len] = '\0';
		}
		if ((e = sk_auth_csrf_check(ap, h.len ? csrf : NULL, err)))
			return e;
	}
	who->user_id = ap->user_id;
	who->login = ap->login;
	who->must_change_password = ap->must_change_password;
	who->roles = ses.scope->roles;
	who->caps = ses.scope->caps;
	if ((e = sk_authz_require_held(who, r->route->cap, err)))
		return e;
	sk_auth_actor(ap, r->address, &r->actor);
	r->actor.scope = ses.scope;
	r->who = who;
	r->session = ap;
	return SK_OK;
}

/* --- dispatch --- */

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static size_t header_bytes(const h2o_req_t *req)
{
	size_t n = req->path.len + req->method.len;
	for (size_t i = 0; i < req->headers.size; i++)
		n += req->headers.entries[i].name->len + req->headers.entries[i].value.len + 4;
	return n;
}

static void route_request(sk_http_rctx *r)
{
	h2o_req_t *req = r->req;
	size_t n;
	const sk_http_route *rt = sk_http_routes(&n);
	bool path_found = false;
	h2o_iovec_t path = req->path_normalized;
	for (size_t i = 0; i < n; i++) {
		if (!path_match(rt[i].path, path.base, path.len, r))
			continue;
		path_found = true;
		size_t ml = strlen(rt[i].method);
		bool head = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")) &&
		            strcmp(rt[i].method, "GET") == 0;
		if (head ||
		    (req->method.len == ml && memcmp(req->method.base, rt[i].method, ml) == 0)) {
			r->route = &rt[i];
			break;
		}
	}
	if (!r->route) {
		r->answered = true;
		if (path_found)
			sk_http_reply_error_raw(req, 405, "method_not_allowed",
			                        "this path does not take that method");
		else
			sk_http_reply_error_raw(req, 404, "not_found", "no such path");
		return;
	}
	const sk_http_route *route = r->route;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *body = NULL;
	sk_auth_principal ap;
	sk_authz_principal who;
	sk_err e = SK_OK;

	if (header_bytes(req) > r->t->cfg->max_header) {
		r->answered = true;
		sk_http_reply_error_raw(req, 431, "headers_too_large",
		                        "the request's headers are too large");
		goto out;
	}
	if (req->entity.len > r->t->cfg->max_body) {
		e = sk_fail(&err, SK_ERR_TOO_BIG, "the body is over %zu bytes",
		            r->t->cfg->max_body);
		goto fail;
	}
	/* Session first: who may not call the route learns nothing from its validation. */
	bool no_session = (route->flags & SK_R_PUBLIC) ||
	                  ((route->flags & SK_R_LOOPBACK) && is_loopback(r->address));
	if (!no_session && (e = authenticate(r, &ap, &who, &err)))
		goto fail;
	if (route->flags & SK_R_BODY) {
		if (!is_json_type(sk_http_header(req, "content-type"))) {
			r->answered = true;
			sk_http_reply_error_raw(req, 415, "unsupported_media_type",
			                        "the body must be sent as application/json");
			goto out;
		}
		if ((e = sk_json_parse(req->entity.base ? req->entity.base : "", req->entity.len,
		                       r->t->cfg->max_body, &body, &err))) {
			if (e != SK_ERR_TOO_BIG) {
				sk_buf m = SK_BUF_INIT(SK_BUF_MSG_MAX);
				if (strncmp(err.data, "malformed JSON", 14) != 0)
					sk_buf_adds(&m, "malformed JSON: ");
				sk_buf_adds(&m, err.data);
				if (strstr(err.data, "unable to decode byte"))
					sk_buf_adds(&m, " (the body is not valid UTF-8)");
				sk_buf_reset(&err);
				sk_buf_add(&err, m.data, m.len);
				sk_buf_free(&m);
				e = SK_ERR_INVALID;
			}
			goto fail;
		}
		if ((e = check_body(route, body, &err)))
			goto fail;
		r->body = body;
	} else if (req->entity.len) {
		/* A body where none is taken is a client mistake; say so rather than ignore it. */
		bool empty_obj = req->entity.len == 2 && memcmp(req->entity.base, "{}", 2) == 0;
		if (!empty_obj) {
			e = sk_fail(&err, SK_ERR_INVALID, "this route takes no body");
			goto fail;
		}
	}
	/* A route flagged SK_R_INVALIDATES invalidates the session caches as it answers (reply.c).
	 */
	route->run(r);
	if (!r->answered)
		sk_http_reply_error(r, SK_ERR_INTERNAL, "the handler gave no answer");
	goto out;
fail:
	if (e == SK_ERR_INVALID || e == SK_ERR_TOO_BIG)
		atomic_fetch_add(&sk_http_m.bad_requests, 1);
	sk_http_reply_error(r, e, err.data);
out:
	/* who and session point into this frame; they end with it. */
	r->who = NULL;
	r->session = NULL;
	sodium_memzero(&ap, sizeof(ap));
	json_decref(body);
	sk_buf_free(&err);
}

int sk_http_dispatch(sk_http_thread *t, h2o_req_t *req)
{
	int64_t start = mono_us();
	sk_http_rctx r;
	memset(&r, 0, sizeof(r));
	r.req = req;
	r.t = t;
	r.start_us = start;
	peer_address(req, r.address, sizeof(r.address));
	route_request(&r);
	if (!r.deferred)
		sk_http_metrics_observe(req->res.status, mono_us() - start);
	return 0;
}
