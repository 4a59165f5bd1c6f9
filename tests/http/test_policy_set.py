"""The installation's policy set through the API, and a running server taking up a change of
the set without a restart (issue #16 item 1, docs/policy-set.md).

A 成田 installation (its 対策基準 the primary) that imports the 八王子 guideline for 指定管理者 and
has a designated manager's unit. Expectations, written here from the seeds and the rule of a
set change:
- GET /api/v1/policy/set: the primary alone, for every unit kind;
- providing a 機密性2 PC's information of the designated manager's unit to an outside party
  (外部提供), asked by its staff member, is answered under 成田's standards while the guideline
  is not in the set: the 情報セキュリティ管理者 approves (成田 基準 2(2)⑨イ);
- POST /api/v1/policy/set/2 without the CISO's approved policy_activation request naming the
  version and the kinds: 409, nothing changed; bad kinds 400 naming units_of_kind; a staff
  member 403; an unknown version 404;
- with it: 200 and the set lists the guideline for designated_manager; the same server's next
  decision for that unit is the guideline's: the primary covers only the kinds no other
  document is given, so the unit follows the guideline alone, and the 情報セキュリティ対策責任者
  approves (八王子 7(8)ア: 「外部にデータを提供する場合は、情報セキュリティ対策責任者が許可
  をし」); the change is audited as policy.set naming the request;
- the approval is used once (409 again); taking the guideline out needs its own approval;
- the audit log verifies.
"""
import json
import os

import sktest
from sktest import DB, KEY, Client, Server, check, expect, password_for, sk

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "policies")

sk("init", "--db", DB, "--profile", "narita", "--admin", "first", "--key", KEY)
sktest.AS = "first"  # the CLI acts for the administrator init makes
os.environ["SEKISHO_AUDIT_KEY"] = KEY
root = json.loads(sk("org", "list", "--db", DB, "--json"))[0]["code"]
sk("policy", "import", "--db", DB, os.path.join(SRC, "hachioji.yaml"))
sk("org", "add", "--db", DB, "--code", "shitei", "--name", "市民会館指定管理者", "--kind",
   "designated_manager", "--parent", root)
for login, role, unit in [("gm", "general_manager", root), ("ciso", "ciso", root),
                          ("sysman", "system_manager", root), ("dmstaff", "staff", "shitei"),
                          ("dmofficer", "dm_officer", "shitei")]:
    sk("user", "add", "--db", DB, "--login", login, "--name", login, "--unit", unit, "--role",
       role, "--password-stdin", stdin=password_for(login) + "\n")
pc = json.loads(sk("asset", "add", "--db", DB, "--unit", "shitei", "--type", "hardware",
                   "--name", "受付用ノートPC", "--conf", "2", "--integ", "2", "--avail", "1",
                   "--manager", "館長", "--zone", "lgwan", "--json"))["id"]

srv = Server()
C = {}
for login in ["gm", "ciso", "dmstaff"]:
    C[login] = Client(srv)
    expect(C[login].login(login), 200, "login " + login)


def the_set():
    got = C["gm"].call("GET", "/api/v1/policy/set")
    expect(got, 200, "the set")
    return [(m["version"], m["primary"], m["city"], sorted(m["unit_kinds"])) for m in got[2]]


def provide():
    got = C["dmstaff"].call("POST", "/api/v1/decisions",
                            {"asset_id": pc, "action": "provide_external"})
    expect(got, 200, "decision")
    return got[2]


def approve(details):
    got = C["gm"].call("POST", "/api/v1/requests", {"kind": "policy_activation",
                                                    "reason": "指定管理者への適用",
                                                    "details": details})
    expect(got, 201, "policy_activation request %r" % (details,))
    check(got[2]["approver_role"] == "ciso", "routed to the CISO: %r" % (got[2],))
    rid = got[2]["id"]
    expect(C["ciso"].call("POST", "/api/v1/requests/%d/approve" % rid, {"comment": "承認"}), 200,
           "the CISO approves %d" % rid)
    return rid


ALL = sorted(["municipality", "department", "section", "designated_manager", "contractor"])
check(the_set() == [(1, True, "narita", ALL)], "the set after init: %r" % the_set())
d = provide()
check(d["decision"] == "require_approval" and d["approver_role"] == "security_manager"
      and "成田 基準 2(2)⑨イ" in d["citations"]
      and not any(c.startswith("八王子") for c in d["citations"]),
      "under 成田's standards alone: %r" % (d,))

# Refused: no approval, bad kinds, no capability, no such version. Nothing changes.
body = {"units_of_kind": "designated_manager"}
got = C["gm"].call("POST", "/api/v1/policy/set/2", body)
expect(got, 409, "a set change without approval")
check("policy_activation" in got[2]["error"]["message"], "says what is missing: %r" % (got[2],))
got = C["gm"].call("POST", "/api/v1/policy/set/2", {"units_of_kind": "no-such-kind"})
expect(got, 400, "an unknown unit kind")
check(got[2]["error"].get("field") == "units_of_kind", "names the field: %r" % (got[2],))
expect(C["gm"].call("POST", "/api/v1/policy/set/2", {}), 400, "no kinds")
expect(C["dmstaff"].call("POST", "/api/v1/policy/set/2", body), 403, "staff cannot change the set")
expect(C["gm"].call("POST", "/api/v1/policy/set/99", body), 404, "no version 99")
check(the_set() == [(1, True, "narita", ALL)], "refusals changed nothing: %r" % the_set())

rid = approve({"version": 2, "units_of_kind": "designated_manager"})
got = C["gm"].call("POST", "/api/v1/policy/set/2", body)
expect(got, 200, "the approved change")
REST = sorted(["municipality", "department", "section", "contractor"])
check([(m["version"], m["primary"], m["city"], sorted(m["unit_kinds"])) for m in got[2]] ==
      [(1, True, "narita", REST), (2, False, "hachioji", ["designated_manager"])],
      "the set after the change: %r" % (got[2],))
check(got[2][1]["request_id"] == rid and got[2][1]["changed_by"] == "gm",
      "the change names its request and actor: %r" % (got[2][1],))
entries = [e for e in json.loads(sk("audit", "tail", "--db", DB, "-n", "30", "--json"))
           if e["action"] == "policy.set"]
check(entries and entries[-1]["actor"] == "gm", "the change is audited: %r" % (entries,))

# The same server's next decision for the designated manager's unit is the guideline's.
d = provide()
check(d["decision"] == "require_approval" and d["approver_role"] == "dm_officer"
      and "八王子 7(8)ア" in d["citations"]
      and not any(c.startswith("成田") for c in d["citations"]),
      "the guideline decides: %r" % (d,))

expect(C["gm"].call("POST", "/api/v1/policy/set/2", body), 409, "the approval is used once")
expect(C["gm"].call("POST", "/api/v1/policy/set/2", {"units_of_kind": "none"}), 409,
       "taking it out needs its own approval")
approve({"version": 2, "units_of_kind": "none"})
expect(C["gm"].call("POST", "/api/v1/policy/set/2", {"units_of_kind": "none"}), 200,
       "taken out")
check(the_set() == [(1, True, "narita", ALL)], "back to the primary alone: %r" % the_set())
d = provide()
check(not any(c.startswith("八王子") for c in d["citations"]), "the guideline is out: %r" % (d,))
srv.stop()
sk("audit", "verify", "--db", DB)
