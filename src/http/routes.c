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
#include "../core/sk_hex.h"
#include "../core/sk_json.h"
#include "../core/sk_utf8.h"
#include "../web/web.h"
#include "http_int.h"

/* Each route names one capability (policy.h); the profile says which roles hold it. */
#define ANY    SK_HTTP_ANY_ROLE
#define PUBLIC SK_HTTP_ANY_ROLE /* not looked at: the route needs no session */

/* Query parameters, each with its longest value: the handlers' buffers hold one more byte. */
static const sk_http_qparam Q_ASSETS[] = {{"unit", 64}, {"type", 64},   {"conf", 32},  {"zone", 32},
                                          {"q", 400},   {"status", 15}, {"limit", 20}, {NULL, 0}};
static const sk_http_qparam Q_USERS[] = {{"unit", 64}, {"role", 32}, {NULL, 0}};
static const sk_http_qparam Q_ROLES[] = {{"login", 64}, {"role", 32}, {"unit", 64}, {NULL, 0}};
static const sk_http_qparam Q_AUDIT[] = {{"after", 20}, {"limit", 20}, {NULL, 0}};
static const sk_http_qparam Q_REQUESTS[] = {{"box", 8},     {"status", 16}, {"kind", 32},
                                            {"before", 20}, {"limit", 20},  {NULL, 0}};
static const sk_http_qparam Q_NOTIFICATIONS[] = {{"unread", 1}, {"limit", 3}, {NULL, 0}};
static const sk_http_qparam Q_LEDGERS[] = {{"format", 4}, {"encoding", 12}, {"status", 16},
                                           {"unit", 64},  {"from", 32},     {"until", 32},
                                           {"asset", 20}, {NULL, 0}};
static const sk_http_qparam Q_INCIDENTS[] = {{"status", 15}, {"kind", 15}, {NULL, 0}};
static const sk_http_qparam Q_POLICY_DIFF[] = {{"from", 20}, {"to", 20}, {NULL, 0}};
static const sk_http_qparam Q_UNUSED
[] = {{"days", 15}, {NULL, 0}};

/* One element a line, so that a change to one column of a row is one line of a diff. */
// clang-format off
static const sk_http_route routes[] = {
    {"GET", "/", SK_R_PUBLIC, PUBLIC, sk_api_index, "the web UI's home page (HTML; src/web)", NULL, NULL, NULL, NULL},
    {"GET",
     "/healthz",
     SK_R_PUBLIC,
     PUBLIC,
     sk_api_healthz,
     "liveness and database check",
     NULL,
     NULL,
     NULL,
     "Health"},
    {"GET",
     "/metrics",
     SK_R_ADDRESS_LIST,
     SK_CAP_METRICS_READ,
     sk_api_metrics,
     "Prometheus metrics (clients listed by serve --metrics-from, or a session of the listed "
     "roles)",
     NULL,
     NULL,
     NULL,
     NULL},
    {"GET",
     "/api/v1/openapi.json",
     SK_R_PUBLIC,
     PUBLIC,
     sk_api_openapi,
     "this API as an OpenAPI 3.1 document",
     NULL,
     NULL,
     NULL,
     "OpenAPI"},
    {"POST",
     "/api/v1/login",
     SK_R_PUBLIC | SK_R_BODY,
     PUBLIC,
     sk_api_login,
     "log in: sets the session cookie and returns the CSRF token",
     NULL,
     &sk_schema_login,
     NULL,
     "Session"},
    {"POST",
     "/api/v1/logout",
     SK_R_MUST_CHANGE | SK_R_INVALIDATES,
     ANY,
     sk_api_logout,
     "end the session",
     NULL,
     NULL,
     NULL,
     "LoggedOut"},
    {"POST",
     "/api/v1/password",
     SK_R_MUST_CHANGE | SK_R_BODY | SK_R_INVALIDATES,
     ANY,
     sk_api_password,
     "change the password (ends every session and issues a new one)",
     NULL,
     &sk_schema_password_change,
     NULL,
     "Session"},
    {"GET",
     "/api/v1/session",
     SK_R_MUST_CHANGE,
     ANY,
     sk_api_me,
     "the session's account, roles and CSRF token",
     NULL,
     NULL,
     NULL,
     "Session"},
    {"GET",
     "/api/v1/assets",
     0,
     SK_CAP_ASSET_READ,
     sk_api_asset_list,
     "list assets",
     "only assets of units in the caller's scope are listed",
     NULL,
     Q_ASSETS,
     "Assets"},
    {"POST",
     "/api/v1/assets",
     SK_R_BODY | SK_R_CREATES,
     SK_CAP_ASSET_WRITE,
     sk_api_asset_add,
     "add an asset",
     "the unit must be in the caller's scope for writing",
     &sk_schema_asset,
     NULL,
     "Asset"},
    {"GET",
     "/api/v1/assets/{id}",
     0,
     SK_CAP_ASSET_READ,
     sk_api_asset_get,
     "read an asset",
     "out of scope answers 404",
     NULL,
     NULL,
     "Asset"},
    {"PATCH",
     "/api/v1/assets/{id}",
     SK_R_BODY,
     SK_CAP_ASSET_WRITE,
     sk_api_asset_update,
     "change an asset's fields",
     "out of scope answers 404",
     &sk_schema_asset,
     NULL,
     "Asset"},
    {"DELETE",
     "/api/v1/assets/{id}",
     SK_R_BODY,
     SK_CAP_ASSET_WRITE,
     sk_api_asset_dispose,
     "record the asset's disposal (八王子 7(9)イ)",
     "out of scope answers 404",
     &sk_schema_asset_dispose,
     NULL,
     "Asset"},
    {"POST",
     "/api/v1/assets/{id}/remove",
     SK_R_BODY,
     SK_CAP_ASSET_WRITE,
     sk_api_asset_remove,
     "remove an asset entered by mistake (a correction, not a disposal)",
     "out of scope answers 404; an asset a request or an incident names answers 409",
     &sk_schema_asset_remove,
     NULL,
     "AssetRemoved"},
    {"GET",
     "/api/v1/assets/{id}/history",
     0,
     SK_CAP_ASSET_READ,
     sk_api_asset_history,
     "the asset's change history",
     "out of scope answers 404",
     NULL,
     NULL,
     "History"},
    {"POST",
     "/api/v1/decisions",
     SK_R_BODY,
     SK_CAP_DECIDE,
     sk_api_decision,
     "the SPEC §3 handling decision for a stored asset and the caller",
     "an asset out of scope answers 404",
     &sk_schema_asset_decision,
     NULL,
     "Decision"},
    {"POST",
     "/api/v1/requests",
     SK_R_BODY | SK_R_CREATES | SK_R_POLICY,
     SK_CAP_REQUEST_FILE,
     sk_api_request_file,
     "file a request (take_out, dispose, exception …): decided by the profile and routed to the "
     "approver in the requester's chain of command",
     "an asset out of scope answers 404",
     &sk_schema_request,
     NULL,
     "Request"},
    {"GET",
     "/api/v1/requests",
     0,
     SK_CAP_REQUEST_FILE,
     sk_api_request_list,
     "the caller's requests (box=mine), those they may decide (box=inbox) or every request "
     "of the units where they hold ledger.read (box=all), newest first",
     "only what the box lets the caller see",
     NULL,
     Q_REQUESTS,
     "Requests"},
    {"GET",
     "/api/v1/requests/{id}",
     0,
     SK_CAP_REQUEST_FILE,
     sk_api_request_get,
     "one request with its steps",
     "the requester, its approvers and ledger readers of its unit; others get 404",
     NULL,
     NULL,
     "Request"},
    {"POST",
     "/api/v1/requests/{id}/approve",
     SK_R_BODY,
     SK_CAP_REQUEST_APPROVE,
     sk_api_request_approve,
     "approve a pending request (the approver or their deputy; never one's own)",
     "outside the chain of command answers 404; one's own request 403 self_approval",
     &sk_schema_request_approve,
     NULL,
     "Request"},
    {"POST",
     "/api/v1/requests/{id}/reject",
     SK_R_BODY,
     SK_CAP_REQUEST_APPROVE,
     sk_api_request_reject,
     "reject a pending request, with a comment",
     "outside the chain of command answers 404; one's own request 403 self_approval",
     &sk_schema_request_reject,
     NULL,
     "Request"},
    {"POST",
     "/api/v1/requests/{id}/withdraw",
     SK_R_BODY,
     SK_CAP_REQUEST_FILE,
     sk_api_request_withdraw,
     "the requester withdraws a pending request",
     "others answer 404 (403 to those who may read it)",
     &sk_schema_request_approve,
     NULL,
     "Request"},
    {"POST",
     "/api/v1/requests/{id}/complete",
     SK_R_BODY,
     SK_CAP_REQUEST_FILE,
     sk_api_request_complete,
     "record the follow-through: taken out, returned, the disposal certificate …",
     "the requester or an approver; others answer 404",
     &sk_schema_request_complete,
     NULL,
     "Request"},
    {"GET",
     "/api/v1/ledgers/{name}",
     0,
     SK_CAP_LEDGER_READ,
     sk_api_ledger_get,
     "a ledger of requests (take_out, disposal, key_loan, zone_entry, mynumber_handling, "
     "exception): JSON, or a CSV (encoding utf-8, utf-8-bom, cp932) or .xlsx export with "
     "Japanese headings, recorded in the audit log",
     "rows outside the units where the caller holds ledger.read are not listed; a listing "
     "withholds 機密性3 details",
     NULL,
     Q_LEDGERS,
     "Ledger"},
    {"GET",
     "/api/v1/org",
     0,
     SK_CAP_ORG_READ,
     sk_api_org_list,
     "the units in the caller's scope",
     "units outside the caller's scope are left out",
     NULL,
     NULL,
     "Units"},
    {"POST",
     "/api/v1/org",
     SK_R_BODY | SK_R_INVALIDATES | SK_R_CREATES,
     SK_CAP_ORG_ADMIN,
     sk_api_org_add,
     "add a unit",
     "needs an administrator of the parent unit",
     &sk_schema_unit,
     NULL,
     "Unit"},
    {"GET",
     "/api/v1/org/check",
     0,
     SK_CAP_ORG_ADMIN,
     sk_api_org_check,
     "whether every approver the profile may name has a holder in each unit's chain of command",
     "units outside the caller's org.admin scope are left out",
     NULL,
     NULL,
     "OrgCheck"},
    {"GET",
     "/api/v1/users",
     0,
     SK_CAP_USER_READ,
     sk_api_user_list,
     "list accounts",
     NULL,
     NULL,
     Q_USERS,
     "Users"},
    {"POST",
     "/api/v1/users",
     SK_R_BODY | SK_R_CREATES,
     SK_CAP_USER_ADMIN,
     sk_api_user_add,
     "add an account (answers its temporary password once)",
     "needs an administrator of the unit",
     &sk_schema_user,
     NULL,
     "NewUser"},
    /* Before /api/v1/users/{login}: the first matching row answers. */
    {"GET",
     "/api/v1/users/unused",
     0,
     SK_CAP_USER_READ,
     sk_api_user_unused,
     "accounts not used for days days (no login since, or never and created that long ago)",
     NULL,
     NULL,
     Q_UNUSED,
     "UnusedUsers"},
    {"GET",
     "/api/v1/users/{login}",
     0,
     SK_CAP_USER_READ,
     sk_api_user_show,
     "one account",
     NULL,
     NULL,
     NULL,
     "User"},
    {"POST",
     "/api/v1/users/{login}/disable",
     SK_R_INVALIDATES,
     SK_CAP_USER_ADMIN,
     sk_api_user_disable,
     "disable an account",
     "needs an administrator of the account's unit",
     NULL,
     NULL,
     "User"},
    {"POST",
     "/api/v1/users/{login}/enable",
     SK_R_INVALIDATES,
     SK_CAP_USER_ADMIN,
     sk_api_user_enable,
     "re-enable an account",
     "needs an administrator of the account's unit",
     NULL,
     NULL,
     "User"},
    {"POST",
     "/api/v1/users/{login}/unlock",
     0,
     SK_CAP_USER_ADMIN,
     sk_api_user_unlock,
     "clear an account's lockout (audited auth.unlock)",
     "needs an administrator of the account's unit",
     NULL,
     NULL,
     "User"},
    {"POST",
     "/api/v1/users/{login}/totp/reset",
     SK_R_INVALIDATES,
     SK_CAP_USER_ADMIN,
     sk_api_user_totp_reset,
     "take an account's TOTP secret away and end its sessions (audited auth.totp_reset)",
     "needs an administrator of the account's unit",
     NULL,
     NULL,
     "User"},
    {"POST",
     "/api/v1/totp/enroll",
     SK_R_BODY | SK_R_CREATES | SK_R_ENROLL,
     ANY,
     sk_api_totp_enroll,
     "start TOTP self-enrollment: a pending secret, shown once, active only once confirmed",
     NULL,
     &sk_schema_totp_enroll,
     NULL,
     "TotpEnrollment"},
    {"POST",
     "/api/v1/totp/confirm",
     SK_R_BODY | SK_R_ENROLL | SK_R_INVALIDATES,
     ANY,
     sk_api_totp_confirm,
     "confirm TOTP self-enrollment with a current code of the pending secret",
     NULL,
     &sk_schema_totp_confirm,
     NULL,
     "TotpConfirmed"},
    {"GET", "/api/v1/roles", 0, SK_CAP_USER_READ, sk_api_role_list, "role grants", NULL, NULL, Q_ROLES, "RoleGrants"},
    {"POST",
     "/api/v1/roles",
     SK_R_BODY | SK_R_INVALIDATES | SK_R_CREATES,
     SK_CAP_ROLE_GRANT,
     sk_api_role_grant,
     "grant a role at a unit",
     "needs an administrator of the unit",
     &sk_schema_role_grant,
     NULL,
     "RoleGrants"},
    {"POST",
     "/api/v1/roles/revoke",
     SK_R_BODY | SK_R_INVALIDATES,
     SK_CAP_ROLE_GRANT,
     sk_api_role_revoke,
     "take a role grant back",
     "needs an administrator of the unit",
     &sk_schema_role_grant,
     NULL,
     "RoleGrants"},
    {"GET",
     "/api/v1/audit",
     0,
     SK_CAP_AUDIT_READ,
     sk_api_audit_list,
     "read audit entries",
     NULL,
     NULL,
     Q_AUDIT,
     "AuditEntries"},
    {"GET",
     "/api/v1/audit/verify",
     0,
     SK_CAP_AUDIT_READ,
     sk_api_audit_verify,
     "verify the audit log",
     NULL,
     NULL,
     NULL,
     "AuditVerify"},
    {"POST",
     "/api/v1/audit/checkpoint",
     SK_R_CREATES,
     SK_CAP_AUDIT_CHECKPOINT,
     sk_api_audit_checkpoint,
     "sign a checkpoint of the audit log",
     NULL,
     NULL,
     NULL,
     "Checkpoint"},
    {"GET",
     "/api/v1/notifications",
     0,
     ANY,
     sk_api_notification_list,
     "the caller's own notifications, newest first, with the unread count (?unread=1: unread only)",
     "only the caller's own",
     NULL,
     Q_NOTIFICATIONS,
     "Notifications"},
    {"POST",
     "/api/v1/notifications/{id}/read",
     0,
     ANY,
     sk_api_notification_read,
     "mark one of the caller's notifications read",
     "another's notification answers 404",
     NULL,
     NULL,
     "Notification"},
    {"GET",
     "/api/v1/policy",
     0,
     ANY,
     sk_api_policy_show,
     "the installation's profile",
     NULL,
     NULL,
     NULL,
     "Policy"},
    {"GET",
     "/api/v1/policy/versions",
     0,
     SK_CAP_POLICY_READ,
     sk_api_policy_versions,
     "the installation's policy versions, oldest first (docs/policy-versions.md)",
     NULL,
     NULL,
     NULL,
     "PolicyVersions"},
    {"POST",
     "/api/v1/policy/versions",
     SK_R_BODY | SK_R_CREATES,
     SK_CAP_POLICY_IMPORT,
     sk_api_policy_import,
     "import a profile as a new policy version (not active: activation needs the CISO's "
     "approval of a policy_activation request)",
     NULL,
     &sk_schema_policy_import,
     NULL,
     "PolicyVersion"},
    {"POST",
     "/api/v1/policy/versions/{id}/activate",
     0,
     SK_CAP_POLICY_IMPORT,
     sk_api_policy_activate,
     "make a policy version the installation's policy, under the CISO's approved "
     "policy_activation request (docs/policy-versions.md); running servers take it up",
     "no approved, unused policy_activation request for the version answers 409 conflict, "
     "as does a version active already; an unknown version 404",
     NULL,
     NULL,
     "PolicyVersion"},
    {"GET",
     "/api/v1/policy/set",
     0,
     SK_CAP_POLICY_READ,
     sk_api_policy_set_show,
     "the installation's policy set: the primary (the active version) first, then each other "
     "document with the unit kinds it applies to (docs/policy-set.md)",
     NULL,
     NULL,
     NULL,
     "PolicySet"},
    {"POST",
     "/api/v1/policy/set/{id}",
     SK_R_BODY,
     SK_CAP_POLICY_IMPORT,
     sk_api_policy_set_change,
     "give policy version {id} the unit kinds of the body (none takes it out of the set), under "
     "the CISO's approved policy_activation request naming the same version and kinds; running "
     "servers take it up",
     "no approved, unused policy_activation request for the version and kinds answers 409 "
     "conflict, as does a set that says so already; an unknown version 404; a set that would "
     "not fit together 400",
     &sk_schema_policy_set,
     NULL,
     "PolicySet"},
    {"GET",
     "/api/v1/policy/diff",
     0,
     SK_CAP_POLICY_READ,
     sk_api_policy_diff,
     "what changed from one policy version to another, rule by rule, with citations",
     NULL,
     NULL,
     Q_POLICY_DIFF,
     "PolicyDiff"},
    {"POST",
     "/api/v1/policy/decide",
     SK_R_BODY,
     SK_CAP_DECIDE,
     sk_api_policy_decide,
     "a SPEC §3 decision for a bare classification",
     NULL,
     &sk_schema_decide,
     NULL,
     "Decision"},
    {"GET",
     "/api/v1/incidents",
     0,
     ANY,
     sk_api_incident_list,
     "incidents and 障害記録 visible to the caller, newest first",
     "the caller's own reports and those of units where it holds incident.handle",
     NULL,
     Q_INCIDENTS,
     "Incidents"},
    {"POST",
     "/api/v1/incidents",
     SK_R_BODY | SK_R_CREATES,
     SK_CAP_INCIDENT_REPORT,
     sk_api_incident_report,
     "report an incident (or a 障害記録): routed up the profile's chain",
     "reported at the caller's own unit unless unit names another where it may report",
     &sk_schema_incident,
     NULL,
     "Incident"},
    {"GET",
     "/api/v1/incidents/{id}",
     0,
     ANY,
     sk_api_incident_get,
     "an incident with its steps, routing, deadlines, investigation and attachments",
     "its reporter and holders of incident.handle at its unit; others get 404",
     NULL,
     NULL,
     "Incident"},
    {"POST",
     "/api/v1/incidents/{id}/escalate",
     SK_R_BODY,
     SK_CAP_INCIDENT_HANDLE,
     sk_api_incident_escalate,
     "pass the incident to the next step of the chain",
     "needs incident.handle at the incident's unit; out of scope answers 404",
     &sk_schema_incident_escalate,
     NULL,
     "Incident"},
    {"POST",
     "/api/v1/incidents/{id}/respond",
     SK_R_BODY,
     SK_CAP_INCIDENT_HANDLE,
     sk_api_incident_respond,
     "record the cause, damage, response, recovery and recurrence prevention",
     "needs incident.handle at the incident's unit; out of scope answers 404",
     &sk_schema_incident_respond,
     NULL,
     "Incident"},
    {"POST",
     "/api/v1/incidents/{id}/close",
     SK_R_BODY,
     SK_CAP_INCIDENT_CLOSE,
     sk_api_incident_close,
     "close the incident (only the role the profile names)",
     "needs incident.close and the profile's closing role at the incident's unit or above",
     &sk_schema_incident_close,
     NULL,
     "Incident"},
    {"POST",
     "/api/v1/incidents/{id}/attachments",
     SK_R_BODY | SK_R_CREATES,
     ANY,
     sk_api_incident_attach,
     "attach evidence (base64 content; kept with its SHA-256)",
     "the reporter or a holder of incident.handle at its unit",
     &sk_schema_incident_attach,
     NULL,
     "Incident"},
    {"GET",
     "/api/v1/incidents/attachments/{id}",
     0,
     ANY,
     sk_api_incident_attachment,
     "one attachment of an incident, its bytes in base64",
     "whoever may read the incident; others get 404",
     NULL,
     NULL,
     "Attachment"},
};
// clang-format on

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
		} else if ((pn == 7 && memcmp(ps, "{login}", 7) == 0) ||
		           (pn == 6 && memcmp(ps, "{name}", 6) == 0)) {
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
		return sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, SK_M_HTTP_NO_SESSION);
	sk_http_session ses;
	sk_err e = sk_http_session_find(r->t, token, r->address, &ses, err);
	sodium_memzero(token, sizeof(token));
	if (e)
		return e;
	*ap = *ses.principal;
	if (!(r->route->flags & SK_R_MUST_CHANGE) && (e = sk_auth_require_ready(ap, err)))
		return e;
	/* An account of the MFA floor without a secret may only enroll one (auth.h). */
	if (!(r->route->flags & (SK_R_MUST_CHANGE | SK_R_ENROLL)) &&
	    (e = sk_auth_require_enrolled(ap, err)))
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

/*
 * The body's JSON error (sk_json_parse's "malformed JSON at line L, column
 * C: <jansson's text>") said in our words: jansson's text names its own
 * flags (JSON_ALLOW_NUL) and quotes the input near the error.
 */
static sk_err json_error(const char *jansson, sk_buf *err)
{
	int line = 0, col = 0;
	static const char at[] = "malformed JSON at line ";
	if (strncmp(jansson, at, sizeof(at) - 1) == 0) {
		char *end;
		line = (int)strtol(jansson + sizeof(at) - 1, &end, 10);
		if (strncmp(end, ", column ", 9) == 0)
			col = (int)strtol(end + 9, NULL, 10);
	}
	if (strstr(jansson, "unable to decode byte"))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_NOT_UTF8);
	if (strstr(jansson, "JSON_ALLOW_NUL"))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_JSON_NUL, line, col);
	if (strstr(jansson, "duplicate object key"))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_JSON_DUP_KEY, line,
		                   col);
	if (strstr(jansson, "near end of file") || strstr(jansson, "premature end of input"))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_JSON_END, line, col);
	return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_JSON_SYNTAX, line, col);
}

/*
 * Refuses a path that is not URL-encoded UTF-8 text (a client's bytes would
 * reach error messages and the log), that hides a separator in an escape
 * (%2f, %5c: a segment that is two to us and one to a proxy), or that holds
 * a dot segment, raw or encoded: h2o resolves those itself, so
 * /api/v1/session/..%2fassets would reach /api/v1/assets under a path no
 * route, log line or proxy rule names.
 */
static sk_err path_check(h2o_req_t *req, sk_buf *err)
{
	size_t n = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
	const char *s = req->path.base;
	char *d = h2o_mem_alloc_pool(&req->pool, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			int h = i + 2 < n ? sk_hex_digit((unsigned char)s[i + 1]) : -1;
			int l = i + 2 < n ? sk_hex_digit((unsigned char)s[i + 2]) : -1;
			if (h < 0 || l < 0)
				return sk_fail_msg(err, SK_ERR_INVALID, "path", NULL,
				                   SK_M_HTTP_PATH_ENCODING);
			c = (char)(h * 16 + l);
			i += 2;
			if (c == '\0' || c == '/' || c == '\\')
				return sk_fail_msg(err, SK_ERR_INVALID, "path", NULL,
				                   SK_M_HTTP_PATH_ENCODING);
		}
		d[o++] = c;
	}
	d[o] = '\0';
	uint32_t cp;
	for (size_t i = 0, k; i < o; i += k)
		if (!(k = sk_utf8_decode((const unsigned char *)d + i, o - i, &cp)))
			return sk_fail_msg(err, SK_ERR_INVALID, "path", NULL,
			                   SK_M_HTTP_PATH_ENCODING);
	for (const char *seg = d; seg <= d + o;) {
		const char *slash = memchr(seg, '/', (size_t)(d + o - seg));
		size_t len = (size_t)((slash ? slash : d + o) - seg);
		if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
			return sk_fail_msg(err, SK_ERR_INVALID, "path", NULL, SK_M_HTTP_PATH_DOT);
		if (!slash)
			break;
		seg = slash + 1;
	}
	return SK_OK;
}

static size_t header_count(const h2o_req_t *req, const char *name)
{
	size_t n = 0, len = strlen(name);
	for (ssize_t i = -1; (i = h2o_find_header_by_str(&req->headers, name, len, i)) >= 0;)
		n++;
	return n;
}

/*
 * What is refused before a route is looked for, whatever the route: a body
 * whose length is given twice (the connection is then closed: what follows
 * cannot be told apart from the body, RFC 9112 §6.3), a bad path, and a
 * second Cookie or X-CSRF-Token header (only the first would be read, while
 * a proxy in front may have judged the other).
 */
static sk_err request_check(sk_http_rctx *r, sk_buf *err)
{
	h2o_req_t *req = r->req;
	if (!sk_http_framing_ok(req)) {
		req->http1_is_persistent = 0;
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_FRAMING);
	}
	sk_err e = path_check(req, err);
	if (e)
		return e;
	static const struct {
		const char *name, *shown;
	} once[] = {{"cookie", "Cookie"}, {"x-csrf-token", "X-CSRF-Token"}};
	for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++)
		if (header_count(req, once[i].name) > 1)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_HEADER_TWICE,
			                   once[i].shown);
	return SK_OK;
}

static void route_request(sk_http_rctx *r)
{
	h2o_req_t *req = r->req;
	size_t n;
	const sk_http_route *rt = sk_http_routes(&n);
	bool path_found = false;
	h2o_iovec_t path = req->path_normalized;
	{
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		sk_err e = request_check(r, &err);
		if (e) {
			atomic_fetch_add(&sk_http_m.bad_requests, 1);
			sk_http_reply_fail(r, e, &err);
		}
		sk_buf_free(&err);
		if (e)
			return;
	}
	/*
	 * The web UI's pages have their own table (src/web/web.c). "/" is in
	 * both: the API's table lists it (public, HTML) for the OpenAPI document,
	 * the web's answers it (its query takes ?lang=).
	 */
	if (sk_web_owns(path.base, path.len)) {
		sk_web_dispatch(r);
		return;
	}
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
		if (path_found)
			sk_http_reply_msg(r, 405, "method_not_allowed", SK_M_HTTP_METHOD);
		else
			sk_http_reply_msg(r, 404, "not_found", SK_M_HTTP_NO_PATH);
		return;
	}
	const sk_http_route *route = r->route;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *body = NULL;
	sk_auth_principal ap;
	sk_authz_principal who;
	sk_err e = SK_OK;

	if (header_bytes(req) > r->t->cfg->max_header) {
		sk_http_reply_msg(r, 431, "headers_too_large", SK_M_HTTP_HEADERS_TOO_LARGE);
		goto out;
	}
	if (req->entity.len > r->t->cfg->max_body) {
		e = sk_fail_msg(&err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_HTTP_BODY_TOO_LARGE,
		                r->t->cfg->max_body);
		goto fail;
	}
	/* Session first: who may not call the route learns nothing from its validation. */
	bool no_session =
	    (route->flags & SK_R_PUBLIC) ||
	    ((route->flags & SK_R_ADDRESS_LIST) &&
	     sk_http_cidr_match(r->t->cfg->metrics_from, r->t->cfg->n_metrics_from, r->address));
	if (!no_session && (e = authenticate(r, &ap, &who, &err)))
		goto fail;
	if ((e = sk_http_query_check(r, &err)))
		goto fail;
	if (route->flags & SK_R_BODY) {
		if (!is_json_type(sk_http_header(req, "content-type"))) {
			sk_http_reply_msg(r, 415, "unsupported_media_type", SK_M_HTTP_MEDIA_TYPE);
			goto out;
		}
		if ((e = sk_json_parse(req->entity.base ? req->entity.base : "", req->entity.len,
		                       r->t->cfg->max_body, &body, &err))) {
			if (e != SK_ERR_TOO_BIG)
				e = json_error(err.data, &err);
			goto fail;
		}
		sk_schema_mode mode =
		    strcmp(route->method, "PATCH") == 0 ? SK_SCHEMA_CHANGE : SK_SCHEMA_CREATE;
		if ((e = sk_schema_check_json(route->body, mode, body, &err)))
			goto fail;
		r->body = body;
	} else if (req->entity.len) {
		/* A body where none is taken is a client mistake; say so rather than ignore it. */
		bool empty_obj = req->entity.len == 2 && memcmp(req->entity.base, "{}", 2) == 0;
		if (!empty_obj) {
			e = sk_fail_msg(&err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_NO_BODY_TAKEN);
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
	sk_http_reply_fail(r, e, &err);
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
	/* The profile this request runs under: a newly activated version from here on. */
	sk_http_policy_refresh(t, start / 1000);
	peer_address(req, r.address, sizeof(r.address));
	sk_http_client_address(t->cfg, req, r.address, sizeof(r.address));
	h2o_iovec_t al = sk_http_header(req, "accept-language");
	r.lang = sk_lang_from_accept(al.base, al.len, SK_LANG_EN);
	route_request(&r);
	if (!r.deferred)
		sk_http_metrics_observe(req->res.status, mono_us() - start);
	return 0;
}
