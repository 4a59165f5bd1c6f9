"""The access-control matrix (SPEC C4): every route of the API, as the server
itself lists them in /api/v1/openapi.json, called by an account of every
role (and one holding no role), with a target inside and outside the
account's scope where the route has one, asserting the status.

The expectation is derived from the document's x-sekisho-roles (a role not
listed answers 403) and from scope (an asset outside the caller's scope
answers 404, never 403). A route missing from the expectations below fails
the test, so a new route cannot slip in untested.
"""
import itertools
import sys

from sktest import (City, Client, Server, ROLES, HOME, OUTSIDE_UNIT, check, expect, fail,
                    password_for, sk, DB, external_address, TOTP_SECRETS, next_code)

city = City()
srv = Server("--metrics-from", "127.0.0.0/8")
admin = Client(srv)
st = admin.login("u-ciso")
expect(st, 200, "login u-ciso")
doc = admin.call("GET", "/api/v1/openapi.json")[2]

ops = []
for path, item in doc["paths"].items():
    for method, op in item.items():
        check("x-sekisho-roles" in op, "%s %s has no x-sekisho-roles" % (method, path))
        ops.append((method.upper(), path, op))

counter = itertools.count(1)


def asset_body(unit):
    return {"unit": city.unit(unit), "type": "data", "name": "matrix asset", "conf": 2,
            "integ": 1, "avail": 1, "manager": "m", "zone": "lgwan"}


# For each route: (status on success, scoped?, how to build the request for a
# target unit). Scoped routes are called with a target in the caller's home
# unit ("in") and in OUTSIDE_UNIT ("out"), where an existing object answers
# 404 and creating one answers 403.
def req_for(method, path, unit, role):
    aid = city.asset[unit]
    n = next(counter)
    table = {
        ("GET", "/"): (200, False, None),
        ("GET", "/healthz"): (200, False, None),
        ("GET", "/metrics"): (200, False, None),
        ("GET", "/api/v1/openapi.json"): (200, False, None),
        ("POST", "/api/v1/login"): (200, False, None),
        ("POST", "/api/v1/logout"): (200, False, None),
        # The same password again: allowed callers get past access control to the rules.
        ("POST", "/api/v1/password"): (400, False, None),
        ("GET", "/api/v1/session"): (200, False, None),
        ("GET", "/api/v1/assets"): (200, False, None),
        ("POST", "/api/v1/assets"): (201, True, ("/api/v1/assets", asset_body(unit))),
        ("GET", "/api/v1/assets/{id}"): (200, True, ("/api/v1/assets/%d" % aid, None)),
        ("PATCH", "/api/v1/assets/{id}"): (200, True, ("/api/v1/assets/%d" % aid,
                                                       {"location": "room %d" % n})),
        ("DELETE", "/api/v1/assets/{id}"): (200, True, None),
        ("GET", "/api/v1/assets/{id}/history"): (200, True,
                                                 ("/api/v1/assets/%d/history" % aid, None)),
        ("POST", "/api/v1/decisions"): (200, True, ("/api/v1/decisions",
                                                    {"asset_id": aid, "action": "copy"})),
        ("GET", "/api/v1/org"): (200, False, None),
        ("POST", "/api/v1/org"): (201, False, ("/api/v1/org", {
            "code": "mx-%d" % n, "name": "MX", "kind": "section", "parent": "dept-b"})),
        ("GET", "/api/v1/users"): (200, False, None),
        ("POST", "/api/v1/users"): (201, False, ("/api/v1/users", {
            "login": "mx-%d" % n, "name": "MX", "unit": "sec-b1", "roles": ["staff"]})),
        ("GET", "/api/v1/users/unused"): (200, False, ("/api/v1/users/unused?days=30", None)),
        ("GET", "/api/v1/users/{login}"): (200, False, ("/api/v1/users/victim", None)),
        ("POST", "/api/v1/users/{login}/disable"): (200, False,
                                                    ("/api/v1/users/victim/disable", None)),
        ("POST", "/api/v1/users/{login}/enable"): (200, False,
                                                   ("/api/v1/users/victim/enable", None)),
        # victim is neither locked nor enrolled: allowed callers reach the domain's 409.
        ("POST", "/api/v1/users/{login}/unlock"): (409, False,
                                                   ("/api/v1/users/victim/unlock", None)),
        ("POST", "/api/v1/users/{login}/totp/reset"): (409, False, (
            "/api/v1/users/victim/totp/reset", None)),
        ("POST", "/api/v1/totp/enroll"): (201, False, None),
        # Nothing pending (409) or a malformed code for the pending secret (400).
        ("POST", "/api/v1/totp/confirm"): ((400, 409), False, ("/api/v1/totp/confirm",
                                                                {"code": "abcdef"})),
        ("GET", "/api/v1/roles"): (200, False, None),
        ("POST", "/api/v1/roles"): (201, False, ("/api/v1/roles", {
            "login": "victim", "role": "auditor", "unit": "sec-b1"})),
        ("POST", "/api/v1/roles/revoke"): (200, False, ("/api/v1/roles/revoke", {
            "login": "victim", "role": "auditor", "unit": "sec-b1"})),
        ("GET", "/api/v1/audit"): (200, False, None),
        ("GET", "/api/v1/audit/verify"): (200, False, None),
        ("POST", "/api/v1/audit/checkpoint"): (201, False, None),
        ("GET", "/api/v1/policy"): (200, False, None),
        ("POST", "/api/v1/policy/decide"): (200, False, ("/api/v1/policy/decide",
                                                         {"action": "copy", "conf": 2})),
    }
    if (method, path) not in table:
        fail("route %s %s is not in the matrix test's expectations" % (method, path))
    ok, scoped, spec = table[(method, path)]
    if method == "DELETE":
        fresh = city.add_asset(unit)
        spec = ("/api/v1/assets/%d" % fresh, {"operator": "op", "record": "shredded"})
    if method == "POST" and path == "/api/v1/login":
        login = city.login.get(role, "u-norole")
        spec = (path, {"login": login, "password": password_for(login)})
        if login in TOTP_SECRETS:  # enrolled by the harness (the MFA floor, issue #12)
            spec[1]["totp"] = next_code(login)
    if method == "POST" and path == "/api/v1/password":
        login = city.login.get(role, "u-norole")
        spec = (path, {"old": password_for(login), "new": password_for(login)})
    if method == "POST" and path == "/api/v1/totp/enroll":
        spec = (path, {"password": password_for(city.login.get(role, "u-norole"))})
    if spec is None:
        spec = (path, None)
    return ok, scoped, spec


# Logout last: it ends the session the other calls use.
ops.sort(key=lambda o: o[1] == "/api/v1/logout")
rows = []
principals = ROLES + ["(none)"]
for role in principals:
    login = city.login.get(role, "u-norole")
    c = Client(srv)
    expect(c.login(login), 200, "login " + login)
    for method, path, op in ops:
        allowed = role in op["x-sekisho-roles"]
        # Address-list routes (/metrics): this server lists loopback; see the far pass below.
        public = op.get("x-sekisho-public", False) or op.get("x-sekisho-address-list", False)
        scopes = ["in"]
        ok, scoped, _ = req_for(method, path, "sec-a1", role)
        root_role = HOME.get(role) == "ROOT"
        if scoped and not root_role and role != "(none)":
            scopes.append("out")
        for scope in scopes:
            unit = HOME.get(role, "sec-a1") if scope == "in" else OUTSIDE_UNIT
            ok, scoped, (p, body) = req_for(method, path, unit, role)
            if public:
                want = ok
            elif not allowed:
                want = 403
            elif scope == "out" and method == "POST" and path == "/api/v1/assets":
                # Creating in a unit out of scope: the unit is not hidden (the org
                # tree is visible), the right to write there is missing.
                want = 403
            elif scope == "out":
                want = 404
            else:
                want = ok
            got = c.call(method, p, body)
            label = "%s %s as %s (%s scope)" % (method, path, role, scope)
            expect(got, want, label)
            if want in (403, 404):
                check(got[2]["error"]["code"] == ("forbidden" if want == 403 else "not_found"),
                      label + ": error code " + got[2]["error"]["code"])
            rows.append((method, path, role, scope if scoped else "n/a", got[0]))
            # Listing: the outside asset never shows; the inside one does.
            if method == "GET" and path == "/api/v1/assets" and allowed:
                ids = {a["id"] for a in got[2]}
                check(city.asset[OUTSIDE_UNIT] not in ids or root_role,
                      "%s lists an asset outside its scope" % role)
                check(city.asset[HOME[role]] in ids, "%s does not list its own asset" % role)

# Routes open to the --metrics-from clients only: from an address not listed they
# need a session holding one of their roles (401 without one, 403 with another role).
loopback_ops = [(m, p, op) for m, p, op in ops if op.get("x-sekisho-address-list")]
check(("GET", "/metrics") in {(m, p) for m, p, _ in loopback_ops},
      "/metrics is not limited to listed addresses")
ext = external_address()
if ext is None:
    print("NOTE: no non-loopback IPv4 address on this host: the far pass is skipped")
else:
    far = Server(listen=ext + ":0")
    for method, path, op in loopback_ops:
        got = Client(far).call(method, path)
        expect(got, 401, "%s %s from %s without a session" % (method, path, ext))
        for role in principals:
            c = Client(far)
            expect(c.login(city.login.get(role, "u-norole")), 200, "far login as " + role)
            want = 200 if role in op["x-sekisho-roles"] else 403
            got = c.call(method, path)
            expect(got, want, "%s %s from %s as %s" % (method, path, ext, role))
            rows.append((method, path, role, "far", got[0]))
    far.stop()

# Every route was exercised by every principal.
seen = {(m, p) for m, p, _, _, _ in rows}
check(seen == {(m, p) for m, p, _ in ops}, "some routes were not exercised")
for role in principals:
    check({(m, p) for m, p, r, _, _ in rows if r == role} == seen,
          "not every route was called as " + role)
print("access-control matrix: %d routes x %d principals, %d calls, all as expected"
      % (len(ops), len(principals), len(rows)))
for r in rows:
    print("  %-6s %-34s %-17s %-4s %d" % r)
srv.stop()
