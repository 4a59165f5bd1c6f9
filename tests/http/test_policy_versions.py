"""Policy versions over HTTP (issue #16, docs/policy-versions.md).

A Narita installation built with the CLI. Expectations, written here:
- GET /api/v1/policy/versions lists version 1 (the profile init chose), active, with the
  SHA-256 of the shipped text;
- POST /api/v1/policy/versions stores an edited copy as version 2, imported (not active), with
  the SHA-256 of the text sent; a text that is not a profile answers 400 naming the line and
  stores nothing; a staff member without policy.import is 403;
- GET /api/v1/policy/diff?from=1&to=2 names the changed rule with its citations and the changed
  key (基準 4(1)①エ: 情報システム管理者 → the edit's 情報セキュリティ管理者); a missing or bad
  parameter answers 400 naming it; an unknown version 404;
- a policy_activation request is routed to the CISO; once approved through the API, the CLI
  activates version 2; the audit log verifies.
"""
import hashlib
import json
import os

import sktest
from sktest import DB, KEY, Client, Server, check, expect, password_for, sk

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "policies",
                   "narita.yaml")
with open(SRC, encoding="utf-8") as f:
    V1 = f.read()
head, sep, rest = V1.partition("- id: take-out\n")
check(sep, "the narita profile has no take-out rule")
V2 = head + sep + rest.replace("approver: system_manager", "approver: security_manager", 1)

sk("init", "--db", DB, "--profile", "narita", "--admin", "first", "--key", KEY)
sktest.AS = "first"  # the CLI acts for the administrator init makes
root = json.loads(sk("org", "list", "--db", DB, "--json"))[0]["code"]
for login, role in [("gm", "general_manager"), ("aud", "auditor"), ("staff1", "staff"),
                    ("ciso", "ciso")]:
    sk("user", "add", "--db", DB, "--login", login, "--name", login, "--unit", root, "--role",
       role, "--password-stdin", stdin=password_for(login) + "\n")

srv = Server()
C = {}
for login in ["gm", "aud", "staff1", "ciso"]:
    C[login] = Client(srv)
    expect(C[login].login(login), 200, "login " + login)

got = C["staff1"].call("GET", "/api/v1/policy")
expect(got, 200, "the policy")
check(got[2]["version"] == 1 and got[2]["city"] == "narita", "decided under: %r" % (got[2],))
got = C["aud"].call("GET", "/api/v1/policy/versions")
expect(got, 200, "versions")
check([(v["id"], v["status"], v["source"]) for v in got[2]] == [(1, "active", "builtin:narita")],
      "versions after init: %r" % got[2])
check(got[2][0]["sha256"] == hashlib.sha256(V1.encode()).hexdigest(), "version 1's SHA-256")

got = C["gm"].call("POST", "/api/v1/policy/versions", {"source": "edited.yaml", "text": V2})
expect(got, 201, "import")
check(got[2]["id"] == 2 and got[2]["status"] == "imported", "the import: %r" % got[2])
check(got[2]["sha256"] == hashlib.sha256(V2.encode()).hexdigest(), "version 2's SHA-256")
check(got[2]["imported_by"] == "gm", "imported_by")

got = C["gm"].call("POST", "/api/v1/policy/versions",
                   {"source": "bad.yaml", "text": "format: 1\ncity: {id: x}\n"})
expect(got, 400, "a broken profile")
check("bad.yaml:" in got[2]["error"]["message"], "the message names the file and line: %r" % (got,))
expect(C["staff1"].call("POST", "/api/v1/policy/versions", {"source": "s.yaml", "text": V2}), 403,
       "staff cannot import")
expect(C["staff1"].call("GET", "/api/v1/policy/versions"), 403, "staff cannot list")
got = C["aud"].call("GET", "/api/v1/policy/versions")
check(len(got[2]) == 2, "refused imports stored nothing: %r" % [v["id"] for v in got[2]])

got = C["aud"].call("GET", "/api/v1/policy/diff?from=1&to=2")
expect(got, 200, "diff")
check(got[2]["lines"] == [
    "changed rule take-out (take_out, take_home) [成田 基準 4(1)①イ, 成田 基準 4(1)①エ, "
    "成田 基準 4(1)①オ]",
    '  approver: "system_manager" -> "security_manager"'], "diff lines: %r" % got[2])
got = C["aud"].call("GET", "/api/v1/policy/diff?from=1")
expect(got, 400, "diff without to")
check("to" in got[2]["error"]["message"], "names to: %r" % got[2])
expect(C["aud"].call("GET", "/api/v1/policy/diff?from=1&to=x"), 400, "diff with a bad to")
expect(C["aud"].call("GET", "/api/v1/policy/diff?from=1&to=9"), 404, "diff with no version 9")

got = C["gm"].call("POST", "/api/v1/requests", {"kind": "policy_activation", "reason": "見直し",
                                                "details": {"version": 2}})
expect(got, 201, "activation request")
check(got[2]["approver_role"] == "ciso" and got[2]["status"] == "pending", "routed to the CISO")
rid = got[2]["id"]
expect(C["ciso"].call("POST", "/api/v1/requests/%d/approve" % rid, {"comment": "承認"}), 200,
       "the CISO approves")
out = sk("policy", "activate", "--db", DB, "2")
check("policy version 2 is active (approved in request %d)" % rid in out, out)
got = C["aud"].call("GET", "/api/v1/policy/versions")
check([(v["id"], v["status"], v["request_id"]) for v in got[2]] ==
      [(1, "retired", None), (2, "active", rid)], "versions after activation: %r" % got[2])
sk("audit", "verify", "--db", DB)
