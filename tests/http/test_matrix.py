"""The access-control matrix (SPEC C4): every route of the API called by an
account of every role (and one holding no role), with a target inside and
outside the account's scope where the route has one, asserting the status.

The expectation is written here, from the seeds and the capability table
(docs/policy-format.md), not read back from the server: CAPS says which
roles hold each capability under the Hachioji profile the test city runs,
ROUTES which capability each route needs. The server is asked only for its
list of routes (OpenAPI), so that a route missing from ROUTES fails the
test and a new route cannot slip in untested. Changing the capability of
one route in src/http/routes.c, or a role of one capability in the profile,
makes this test fail.

Scope: an object out of the caller's scope answers 404, never 403; lists
leave it out (assets, accounts, grants, audit entries).
"""
import itertools
import os
import json

from sktest import (City, Client, Server, ROLES, HOME, OUTSIDE_UNIT, check, expect, fail,
                    password_for, sk, DB, external_address, TOTP_SECRETS, next_code)

EVERY = frozenset(ROLES)
ADMINS = {"ciso", "general_manager"}
# Who holds each capability under policies/hachioji.yaml: its capabilities: section where the
# seed speaks, the defaults of docs/policy-format.md where it is silent.
CAPS = {
    "asset.read": EVERY,
    # 八王子 7(2): the designated manager keeps the 情報資産台帳 of its work.
    "asset.write": ADMINS | {"security_officer", "security_manager", "system_manager",
                             "dm_officer"},
    "org.read": EVERY,
    "org.admin": ADMINS,
    # 八王子 5(4), 5(5): the city's 情報セキュリティ責任者 and 管理者 answer for their units.
    "user.read": ADMINS | {"security_officer", "security_manager", "auditor", "csirt"},
    "user.admin": ADMINS,
    "role.grant": ADMINS,
    "audit.read": {"ciso", "security_officer", "security_manager", "auditor", "csirt"},
    "audit.checkpoint": {"ciso", "auditor"},
    "metrics.read": ADMINS | {"auditor"},
    "decide": EVERY,
    # Every person files requests; the city (甲) is a party to contracts, not a filer.
    "request.file": EVERY - {"city"},
    # 八王子 7(7)ア: the chiefs of the line and the designated manager's 対策責任者 approve.
    "request.approve": ADMINS | {"security_officer", "security_manager", "system_manager",
                                 "dm_officer"},
    # Every person reports incidents; the 甲 of contract documents acts through no account.
    "incident.report": EVERY - {"city"},
    # The defaults: the chiefs of the line and the CSIRT (the guideline is silent).
    "incident.handle": ADMINS | {"security_officer", "security_manager", "system_manager",
                                 "csirt"},
    # 八王子 13(3): the cause, record and recurrence prevention go to the 情報セキュリティ管理者.
    "incident.close": {"security_manager"},
    # The defaults (the seed gives no reader of the ledgers): the chiefs of the line, the auditor
    # and the CSIRT (docs/policy-format.md).
    "ledger.read": ADMINS | {"security_officer", "security_manager", "system_manager", "auditor",
                             "csirt"},
    # The defaults (issue #16, docs/policy-versions.md): the administrators and the auditor read
    # the policy versions; the administrators import them.
    "policy.read": ADMINS | {"auditor"},
    "policy.import": ADMINS,
}
SESSION = "any role"  # any account holding some role (its own session and password)
PUBLIC = None
# The capability each route needs.
ROUTES = {
    ("GET", "/"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/metrics"): "metrics.read",  # --metrics-from clients need none (far pass below)
    ("GET", "/api/v1/openapi.json"): PUBLIC,
    ("POST", "/api/v1/login"): PUBLIC,
    ("POST", "/api/v1/logout"): SESSION,
    ("POST", "/api/v1/password"): SESSION,
    ("GET", "/api/v1/session"): SESSION,
    ("GET", "/api/v1/assets"): "asset.read",
    ("POST", "/api/v1/assets"): "asset.write",
    ("GET", "/api/v1/assets/{id}"): "asset.read",
    ("PATCH", "/api/v1/assets/{id}"): "asset.write",
    ("DELETE", "/api/v1/assets/{id}"): "asset.write",
    ("POST", "/api/v1/assets/{id}/remove"): "asset.write",
    ("GET", "/api/v1/assets/{id}/history"): "asset.read",
    ("POST", "/api/v1/decisions"): "decide",
    ("GET", "/api/v1/org"): "org.read",
    ("POST", "/api/v1/org"): "org.admin",
    ("GET", "/api/v1/org/check"): "org.admin",
    ("GET", "/api/v1/users"): "user.read",
    ("POST", "/api/v1/users"): "user.admin",
    ("GET", "/api/v1/users/unused"): "user.read",
    ("GET", "/api/v1/users/{login}"): "user.read",
    ("POST", "/api/v1/users/{login}/disable"): "user.admin",
    ("POST", "/api/v1/users/{login}/enable"): "user.admin",
    ("POST", "/api/v1/users/{login}/unlock"): "user.admin",
    ("POST", "/api/v1/users/{login}/totp/reset"): "user.admin",
    ("POST", "/api/v1/totp/enroll"): SESSION,
    ("POST", "/api/v1/totp/confirm"): SESSION,
    ("GET", "/api/v1/roles"): "user.read",
    ("POST", "/api/v1/roles"): "role.grant",
    ("POST", "/api/v1/roles/revoke"): "role.grant",
    ("GET", "/api/v1/audit"): "audit.read",
    ("GET", "/api/v1/audit/verify"): "audit.read",
    ("POST", "/api/v1/audit/checkpoint"): "audit.checkpoint",
    ("GET", "/api/v1/policy"): SESSION,
    ("POST", "/api/v1/policy/decide"): "decide",
    ("GET", "/api/v1/policy/versions"): "policy.read",
    ("POST", "/api/v1/policy/versions"): "policy.import",
    ("GET", "/api/v1/policy/diff"): "policy.read",
    ("POST", "/api/v1/policy/versions/{id}/activate"): "policy.import",
    ("GET", "/api/v1/policy/set"): "policy.read",
    ("POST", "/api/v1/policy/set/{id}"): "policy.import",
    ("POST", "/api/v1/requests"): "request.file",
    ("GET", "/api/v1/requests"): "request.file",
    ("GET", "/api/v1/requests/{id}"): "request.file",
    ("POST", "/api/v1/requests/{id}/approve"): "request.approve",
    ("POST", "/api/v1/requests/{id}/reject"): "request.approve",
    ("POST", "/api/v1/requests/{id}/withdraw"): "request.file",
    ("POST", "/api/v1/requests/{id}/complete"): "request.file",
    ("GET", "/api/v1/ledgers/{name}"): "ledger.read",
    # Everyone's own notifications (issue #13 part 5); another's is 404.
    ("GET", "/api/v1/notifications"): SESSION,
    ("POST", "/api/v1/notifications/{id}/read"): SESSION,
    ("GET", "/api/v1/incidents"): SESSION,
    ("POST", "/api/v1/incidents"): "incident.report",
    ("GET", "/api/v1/incidents/{id}"): SESSION,
    ("POST", "/api/v1/incidents/{id}/escalate"): "incident.handle",
    ("POST", "/api/v1/incidents/{id}/respond"): "incident.handle",
    ("POST", "/api/v1/incidents/{id}/close"): "incident.close",
    ("POST", "/api/v1/incidents/{id}/attachments"): SESSION,
    ("GET", "/api/v1/incidents/attachments/{id}"): SESSION,
}


def holds(role, cap):
    if cap is PUBLIC:
        return True
    if role == "(none)":
        return False
    return True if cap == SESSION else role in CAPS[cap]


city = City()
# An account at each home unit, so that reading an account has an in-scope target.
TARGET = {}
for unit, role in [("ROOT", "staff"), ("dept-a", "staff"), ("sec-a1", "staff"),
                   ("dm-a", "staff"), ("vendor-a", "contractor")]:
    login = "t-" + unit.lower()
    sk("user", "add", "--db", DB, "--login", login, "--name", login, "--unit", city.unit(unit),
       "--role", role, "--password-stdin", stdin=password_for(login) + "\n")
    TARGET[unit] = login
TARGET[OUTSIDE_UNIT] = "victim"
# A notification for every principal and for victim (the one nobody else may read).
NOTE = {}
for login in list(city.login.values()) + ["u-norole", "victim"]:
    out = sk("notify", "test", "--db", DB, "--to", login)
    NOTE[login] = int(out.split()[1])

srv = Server("--metrics-from", "127.0.0.0/8")
admin = Client(srv)
expect(admin.login("u-ciso"), 200, "login u-ciso")
doc = admin.call("GET", "/api/v1/openapi.json")[2]
ops = []
for path, item in doc["paths"].items():
    for method, op in item.items():
        if (method.upper(), path) not in ROUTES:
            fail("route %s %s is not in the matrix test's expectations" % (method.upper(), path))
        ops.append((method.upper(), path, op))
check({(m, p) for m, p, _ in ops} == set(ROUTES), "a route of ROUTES is not served")

counter = itertools.count(1)
# A valid profile for the import route (the synthetic one: small).
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "policies",
                       "example.yaml"), encoding="utf-8") as f:
    EXAMPLE_PROFILE = f.read()


def zone_entry():
    """A request every filer may file: a record, approved at once (成田 基準 3(2)②)."""
    return {"kind": "zone_entry", "reason": "matrix",
            "details": {"zone": "server room", "entered_at": "2026-12-01 10:00"}}


# Each filer's own request (theirs to read), and one of victim's outside everyone's scope
# but the root's: no one else may decide, withdraw or follow it through (404).
OWN = {}
for role in ROLES + ["victim"]:
    if role == "city":
        continue
    login = city.login.get(role, role)
    c = Client(srv)
    expect(c.login(login), 200, "login " + login)
    got = c.call("POST", "/api/v1/requests", zone_entry())
    expect(got, 201, "a request filed by " + login)
    OWN[role] = got[2]["id"]
VICTIM_REQ = OWN["victim"]
def cli_incident(unit):
    """An incident reported by the CLI operator at unit (no account of the matrix reported it)."""
    out = sk("incident", "report", "--db", DB, "--unit", city.unit(unit), "--title",
             "matrix incident", "--description", "d", "--found-at", "2026-01-01T00:00:00Z",
             "--json")
    return json.loads(out)["id"]


# Each role's own report (the reporter sees it whatever its capabilities), and one at the root
# and one outside every non-root scope, which only their unit's handlers see.
INCIDENT = {"ROOT": cli_incident("ROOT"), OUTSIDE_UNIT: cli_incident(OUTSIDE_UNIT)}
ATTACHMENT = {}
for role in ROLES:
    if role in CAPS["incident.report"]:
        rc = Client(srv)
        expect(rc.login(city.login[role]), 200, "login " + role)
        got = rc.call("POST", "/api/v1/incidents", {"title": "own", "description": "d",
                                                    "found_at": "2026-01-01T00:00:00Z"})
        expect(got, 201, "own incident of " + role)
        INCIDENT[role] = got[2]["id"]
        got = rc.call("POST", "/api/v1/incidents/%d/attachments" % INCIDENT[role],
                      {"name": "own.txt", "content": "eA=="})
        expect(got, 201, "own attachment of " + role)
        ATTACHMENT[INCIDENT[role]] = got[2]["attachments"][0]["id"]
with open("evidence.txt", "w") as f:
    f.write("evidence\n")
for key in ("ROOT", OUTSIDE_UNIT):
    out = json.loads(sk("incident", "attach", "--db", DB, str(INCIDENT[key]), "evidence.txt",
                        "--json"))
    ATTACHMENT[INCIDENT[key]] = out["attachments"][0]["id"]


def asset_body(unit):
    return {"unit": city.unit(unit), "type": "data", "name": "matrix asset", "conf": 2,
            "integ": 1, "avail": 1, "manager": "m", "zone": "lgwan"}


# For each route: (status on success, scoped?, the request for a target unit). Scoped
# routes are called with a target in the caller's home unit ("in") and in OUTSIDE_UNIT
# ("out"), where an existing object answers 404 and creating one answers 403.
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
        ("POST", "/api/v1/assets/{id}/remove"): (200, True, None),
        ("GET", "/api/v1/assets/{id}/history"): (200, True,
                                                 ("/api/v1/assets/%d/history" % aid, None)),
        ("POST", "/api/v1/decisions"): (200, True, ("/api/v1/decisions",
                                                    {"asset_id": aid, "action": "copy"})),
        ("GET", "/api/v1/org"): (200, False, None),
        ("POST", "/api/v1/org"): (201, False, ("/api/v1/org", {
            "code": "mx-%d" % n, "name": "MX", "kind": "section", "parent": "dept-b"})),
        ("GET", "/api/v1/org/check"): (200, False, None),
        ("GET", "/api/v1/users"): (200, False, None),
        ("POST", "/api/v1/users"): (201, False, ("/api/v1/users", {
            "login": "mx-%d" % n, "name": "MX", "unit": "sec-b1", "roles": ["staff"]})),
        ("GET", "/api/v1/users/unused"): (200, False, ("/api/v1/users/unused?days=30", None)),
        ("GET", "/api/v1/users/{login}"): (200, True, ("/api/v1/users/" + TARGET[unit], None)),
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
            "login": "victim", "role": "csirt", "unit": "sec-b1"})),
        ("POST", "/api/v1/roles/revoke"): (200, False, ("/api/v1/roles/revoke", {
            "login": "victim", "role": "csirt", "unit": "sec-b1"})),
        ("GET", "/api/v1/audit"): (200, False, ("/api/v1/audit?limit=1000", None)),
        ("GET", "/api/v1/audit/verify"): (200, False, None),
        ("POST", "/api/v1/audit/checkpoint"): (201, False, None),
        ("GET", "/api/v1/policy"): (200, False, None),
        ("POST", "/api/v1/policy/decide"): (200, False, ("/api/v1/policy/decide",
                                                         {"action": "copy", "conf": 2})),
        ("GET", "/api/v1/policy/versions"): (200, False, None),
        ("POST", "/api/v1/policy/versions"): (201, False, ("/api/v1/policy/versions", {
            # A text of its own each time: the same text twice is refused (409), naming it.
            "source": "example.yaml", "text": EXAMPLE_PROFILE + "\n# matrix %d\n" % n})),
        ("GET", "/api/v1/policy/diff"): (200, False, ("/api/v1/policy/diff?from=1&to=1", None)),
        # Version 1 is active already: allowed callers reach the domain's 409 (activating
        # anything else needs the CISO's approval, which answers 409 as well).
        ("POST", "/api/v1/policy/versions/{id}/activate"): (409, False, (
            "/api/v1/policy/versions/1/activate", None)),
        ("GET", "/api/v1/policy/set"): (200, False, None),
        # Without the CISO's approved policy_activation request naming the kinds: 409.
        ("POST", "/api/v1/policy/set/{id}"): (409, False, (
            "/api/v1/policy/set/1", {"units_of_kind": "section"})),
        ("POST", "/api/v1/requests"): (201, False, ("/api/v1/requests", zone_entry())),
        ("GET", "/api/v1/requests"): (200, False, ("/api/v1/requests?box=mine", None)),
        # Every filer's zone_entry request is on the 入退室記録; the listing is scoped.
        ("GET", "/api/v1/ledgers/{name}"): (200, False, ("/api/v1/ledgers/zone_entry", None)),
        ("GET", "/api/v1/requests/{id}"): (200, False, (
            "/api/v1/requests/%d" % OWN.get(role, VICTIM_REQ), None)),
        ("POST", "/api/v1/requests/{id}/approve"): (404, False, (
            "/api/v1/requests/%d/approve" % VICTIM_REQ, {})),
        ("POST", "/api/v1/requests/{id}/reject"): (404, False, (
            "/api/v1/requests/%d/reject" % VICTIM_REQ, {"comment": "no"})),
        ("POST", "/api/v1/requests/{id}/withdraw"): (404, False, (
            "/api/v1/requests/%d/withdraw" % VICTIM_REQ, {})),
        ("POST", "/api/v1/requests/{id}/complete"): (404, False, (
            "/api/v1/requests/%d/complete" % VICTIM_REQ, {"left_at": "2026-12-01 11:00"})),
        ("GET", "/api/v1/notifications"): (200, False, None),
        # One's own ("in"), or victim's ("out": not found, as if there were none).
        ("POST", "/api/v1/notifications/{id}/read"): (200, True, (
            "/api/v1/notifications/%d/read" % NOTE[
                "victim" if unit == OUTSIDE_UNIT else city.login.get(role, "u-norole")], None)),
        ("GET", "/api/v1/incidents"): (200, False, None),
        ("POST", "/api/v1/incidents"): (201, False, ("/api/v1/incidents", {
            "title": "matrix %d" % n, "description": "d", "found_at": "2026-01-01T00:00:00Z"})),
        # In scope: the caller's own report. The city reports none and handles none: the
        # root's incident does not exist for it.
        ("GET", "/api/v1/incidents/{id}"): (404 if role == "city" else 200, True, (
            "/api/v1/incidents/%d" % own_incident(unit, role), None)),
        ("POST", "/api/v1/incidents/{id}/escalate"): (200, True, None),
        ("POST", "/api/v1/incidents/{id}/respond"): (200, True, None),
        ("POST", "/api/v1/incidents/{id}/close"): (200, True, None),
        ("POST", "/api/v1/incidents/{id}/attachments"): (404 if role == "city" else 201, True, (
            "/api/v1/incidents/%d/attachments" % own_incident(unit, role),
            {"name": "m.txt", "content": "eA=="})),
        ("GET", "/api/v1/incidents/attachments/{id}"): (404 if role == "city" else 200, True, (
            "/api/v1/incidents/attachments/%d" % ATTACHMENT[own_incident(unit, role)], None)),
    }
    ok, scoped, spec = table[(method, path)]
    if method == "POST" and path.startswith("/api/v1/incidents/{id}/") and \
            not path.endswith("/attachments"):
        # A fresh incident of the target unit each time: each step changes it.
        verb = path.rsplit("/", 1)[1]
        fresh = cli_incident(unit)
        spec = ("/api/v1/incidents/%d/%s" % (fresh, verb), {"cause": "c"} if verb == "respond"
                else {})
    if method == "DELETE":
        fresh = city.add_asset(unit)
        spec = ("/api/v1/assets/%d" % fresh, {"operator": "op", "record": "shredded"})
    if method == "POST" and path == "/api/v1/assets/{id}/remove":
        # A fresh asset each time: a removal leaves nothing to remove again.
        fresh = city.add_asset(unit)
        spec = ("/api/v1/assets/%d/remove" % fresh, {"reason": "entered twice"})
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


def own_incident(unit, role):
    """The caller's own report at its home unit; outside its scope, one it cannot see."""
    if unit == OUTSIDE_UNIT:
        return INCIDENT[OUTSIDE_UNIT]
    return INCIDENT.get(role, INCIDENT["ROOT"])


def check_list_scope(method, path, role, body):
    """A list answered to a role held below the root leaves out what lies outside its scope."""
    root_role = HOME.get(role) == "ROOT"
    home = HOME[role]
    if path == "/api/v1/assets":
        ids = {a["id"] for a in body}
        check(city.asset[OUTSIDE_UNIT] not in ids or root_role,
              "%s lists an asset outside its scope" % role)
        check(city.asset[home] in ids, "%s does not list its own asset" % role)
    elif path == "/api/v1/users":
        logins = {u["login"] for u in body}
        check(("victim" in logins) == root_role, "%s: victim listed: %s" % (role, "victim" in logins))
        check(TARGET[home] in logins, "%s does not list %s" % (role, TARGET[home]))
    elif path == "/api/v1/roles":
        units = {g["unit_code"] for g in body}
        check(("sec-b1" in units) == root_role, "%s: grants at sec-b1 listed" % role)
        check(city.unit(home) in units, "%s does not list the grants of its unit" % role)
    elif path == "/api/v1/incidents":
        ids = {i["id"] for i in body}
        check((INCIDENT[OUTSIDE_UNIT] in ids) == (root_role and role in CAPS["incident.handle"]),
              "%s: an incident outside its scope listed" % role)
        if role in INCIDENT:
            check(INCIDENT[role] in ids, "%s does not list its own report" % role)
    elif path == "/api/v1/audit":
        objects = {e["object"] for e in body}
        out_asset = "asset:%d" % city.asset[OUTSIDE_UNIT]
        check((out_asset in objects) == root_role,
              "%s: audit entry of an asset outside its scope listed" % role)
        check("asset:%d" % city.asset[home] in objects,
              "%s: audit entries of its own unit's asset missing" % role)
        check(("user:victim" in objects) == root_role, "%s: victim's entries listed" % role)
    elif path == "/api/v1/ledgers/{name}":
        ids = {r["id"] for r in body["rows"]}
        check((VICTIM_REQ in ids) == root_role,
              "%s: the ledger lists a request outside its scope: %s" % (role, VICTIM_REQ in ids))
        check(OWN["staff"] in ids, "%s: the ledger misses a request of sec-a1" % role)
    elif path == "/api/v1/notifications":
        # Nobody's list holds another's notification, whatever the role.
        ids = {n["id"] for n in body["items"]}
        check(NOTE["victim"] not in ids, "%s lists victim's notification" % role)
        check(NOTE[city.login[role]] in ids, "%s does not list its own notification" % role)


# Logout last: it ends the session the other calls use.
ops.sort(key=lambda o: o[1] == "/api/v1/logout")
rows = []
principals = ROLES + ["(none)"]
for role in principals:
    login = city.login.get(role, "u-norole")
    c = Client(srv)
    expect(c.login(login), 200, "login " + login)
    for method, path, op in ops:
        cap = ROUTES[(method, path)]
        allowed = holds(role, cap)
        # Address-list routes (/metrics): this server lists loopback; see the far pass below.
        public = cap is PUBLIC or op.get("x-sekisho-address-list", False)
        scopes = ["in"]
        ok, scoped, _ = req_for(method, path, "sec-a1", role)
        root_role = HOME.get(role) == "ROOT"
        # A notification is its holder's alone: even a role at the root gets 404 for another's.
        owned = path == "/api/v1/notifications/{id}/read"
        if scoped and (not root_role or owned) and role != "(none)":
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
            if method == "GET" and allowed and got[0] == 200 and role != "(none)":
                check_list_scope(method, path, role, got[2])

# Routes open to the --metrics-from clients only: from an address not listed they
# need a session holding their capability (401 without one, 403 without the capability).
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
            want = 200 if holds(role, ROUTES[(method, path)]) else 403
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
