"""Activating a policy version through the API, and a running server taking up a version
activated anywhere without a restart (issue #16, docs/policy-versions.md).

A Narita installation. Expectations, written here from the seed and the rule of activation:
- a staff member's take-out of a 機密性2 PC needs the 情報システム管理者 (成田 基準 4(1)①エ)
  under version 1, and the decision's audit entry names version 1;
- POST /api/v1/policy/versions/{id}/activate without an approved policy_activation request
  answers 409 and changes nothing; a staff member (no policy.import) 403; an unknown version
  404;
- once the CISO approved, the activation through the API answers the version, active, under
  that request; the very next decision answers under it (the edit's 情報セキュリティ管理者) and
  its audit entry names version 2; the activation's own entry (policy.activate) names the
  request and its actor;
- a version activated with the CLI while the server runs (the edit naming the 統括情報セキュリティ
  責任者) is taken up by the running server: decisions answer under version 3;
- going back to version 1 needs a new approval (409 without); the audit log verifies.
"""
import json
import os
import time

import sktest
from sktest import DB, KEY, Client, Server, check, expect, password_for, sk

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "policies",
                   "narita.yaml")
with open(SRC, encoding="utf-8") as f:
    V1 = f.read()
head, sep, rest = V1.partition("- id: take-out\n")
check(sep, "the narita profile has no take-out rule")


def with_approver(role):
    return head + sep + rest.replace("approver: system_manager", "approver: " + role, 1)


sk("init", "--db", DB, "--profile", "narita", "--admin", "first", "--key", KEY)
sktest.AS = "first"  # the CLI acts for the administrator init makes
os.environ["SEKISHO_AUDIT_KEY"] = KEY
root = json.loads(sk("org", "list", "--db", DB, "--json"))[0]["code"]
for login, role in [("gm", "general_manager"), ("staff1", "staff"), ("ciso", "ciso")]:
    sk("user", "add", "--db", DB, "--login", login, "--name", login, "--unit", root, "--role",
       role, "--password-stdin", stdin=password_for(login) + "\n")
pc = json.loads(sk("asset", "add", "--db", DB, "--unit", root, "--type", "hardware", "--name",
                   "ノートPC", "--conf", "2", "--integ", "2", "--avail", "1", "--manager", "課長",
                   "--zone", "lgwan", "--json"))["id"]

srv = Server()
C = {}
for login in ["gm", "staff1", "ciso"]:
    C[login] = Client(srv)
    expect(C[login].login(login), 200, "login " + login)


def last_entry(action):
    entries = json.loads(sk("audit", "tail", "--db", DB, "-n", "20", "--json"))
    found = [e for e in entries if e["action"] == action]
    check(found, "no %s entry among the newest" % action)
    return found[-1]


def take_out():
    """The staff member's take-out decision and the version its audit entry names."""
    got = C["staff1"].call("POST", "/api/v1/decisions", {"asset_id": pc, "action": "take_out"})
    expect(got, 200, "decision")
    return got[2]["approver_role"], last_entry("decision")["after"]["policy_version"]


def approve_activation(version):
    got = C["gm"].call("POST", "/api/v1/requests", {"kind": "policy_activation",
                                                    "reason": "見直し",
                                                    "details": {"version": version}})
    expect(got, 201, "activation request for %d" % version)
    check(got[2]["approver_role"] == "ciso", "routed to the CISO: %r" % (got[2],))
    rid = got[2]["id"]
    expect(C["ciso"].call("POST", "/api/v1/requests/%d/approve" % rid, {"comment": "承認"}), 200,
           "the CISO approves %d" % rid)
    return rid


def statuses():
    return [(v["id"], v["status"]) for v in json.loads(sk("policy", "versions", "--db", DB,
                                                           "--json"))]


check(take_out() == ("system_manager", 1), "under version 1")

got = C["gm"].call("POST", "/api/v1/policy/versions",
                   {"source": "edited.yaml", "text": with_approver("security_manager")})
expect(got, 201, "import version 2")
check(got[2]["id"] == 2, "version 2: %r" % (got[2],))

# Without the CISO's approval: 409, and nothing changes. Without the capability: 403.
before = statuses()
got = C["gm"].call("POST", "/api/v1/policy/versions/2/activate")
expect(got, 409, "activation without approval")
check("policy_activation" in got[2]["error"]["message"], "says what is missing: %r" % (got[2],))
expect(C["staff1"].call("POST", "/api/v1/policy/versions/2/activate"), 403, "staff cannot activate")
expect(C["gm"].call("POST", "/api/v1/policy/versions/99/activate"), 404, "no version 99")
check(statuses() == before, "refused activations changed nothing: %r" % statuses())
check(take_out() == ("system_manager", 1), "still under version 1")

rid = approve_activation(2)
got = C["gm"].call("POST", "/api/v1/policy/versions/2/activate")
expect(got, 200, "activation through the API")
check(got[2]["id"] == 2 and got[2]["status"] == "active" and got[2]["request_id"] == rid
      and got[2]["activated_by"] == "gm", "the active version: %r" % (got[2],))
entry = last_entry("policy.activate")
check(entry["actor"] == "gm" and entry["object"] == "policy_version:2"
      and entry["after"]["request"] == rid, "the activation's entry: %r" % (entry,))
check(statuses() == [(1, "retired"), (2, "active")], "versions: %r" % statuses())
# The next decision of this server is made under version 2 and says so.
check(take_out() == ("security_manager", 2), "under version 2")
got = C["staff1"].call("GET", "/api/v1/policy")
check(got[2]["version"] == 2, "GET /api/v1/policy names version 2: %r" % (got[2],))
expect(C["gm"].call("POST", "/api/v1/policy/versions/2/activate"), 409, "active already")

# The CLI activates version 3 while the server runs: the server takes it up (it asks the
# database at most once a second), no restart.
with open("v3.yaml", "w", encoding="utf-8") as f:
    f.write(with_approver("general_manager"))
check("policy version 3" in sk("policy", "import", "--db", DB, "v3.yaml"), "import version 3")
rid3 = approve_activation(3)
check("policy version 3 is active (approved in request %d)" % rid3 in
      sk("policy", "activate", "--db", DB, "3"), "the CLI activates version 3")
deadline = time.monotonic() + 30
while True:
    seen = take_out()
    if seen != ("security_manager", 2) or time.monotonic() > deadline:
        break
    time.sleep(0.2)
check(seen == ("general_manager", 3), "the running server took up version 3: %r" % (seen,))

# Going back is an activation like any other: it needs its own approval.
expect(C["gm"].call("POST", "/api/v1/policy/versions/1/activate"), 409, "back to 1 unapproved")
approve_activation(1)
expect(C["gm"].call("POST", "/api/v1/policy/versions/1/activate"), 200, "back to 1")
check(take_out() == ("system_manager", 1), "under version 1 again")
srv.stop()
sk("audit", "verify", "--db", DB)
