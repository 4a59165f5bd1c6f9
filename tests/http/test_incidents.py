"""Incidents (SPEC C8, issue #13 part 4) through the real server, in two profiles.

Each profile's chain, deadlines and closing role are taken from its seed, as
the expectations below say article by article; the hours are those the
profile states for the seed's word (「直ちに」, 「速やかに」), checked here from
the numbers written in this file, not read back from the server:

- 八王子 13(2): reported up the 指示体制 (6(1)): 情報セキュリティ管理者 (課長) →
  情報セキュリティ責任者 (部長) → 情報セキュリティ総括責任者 → CIO (CISO); 13(4)
  「直ちに」 to the 管理者 (mapped to 1 hour at every severity); no deadline above;
  the CSIRT is informed (5(8)); the 管理者 closes (13(3)).
- 成田 基準 4(3)①: 職員 → 情報セキュリティ管理者 「速やかに」 → 統括情報セキュリティ責任者
  「速やかに」 (the 情報システム管理者 informed) → CISO 「必要に応じて」, 「速やかに」 when the
  effect outside is serious (6(3)ウⅱ: high only). 「速やかに」 is 1 h (high), 4 h
  (medium), 24 h (low). The 統括 closes (4(3)③, 6(3)エ).

Usage: test_incidents.py DB_HACHIOJI DB_NARITA
"""
import base64
import datetime
import hashlib
import json
import sys

import sktest
from skcity import clients
from sktest import Server, check, expect, expect_error, fail, password_for, sk

HOUR = datetime.timedelta(hours=1)
JST = datetime.timezone(datetime.timedelta(hours=9))
LIMIT = 512 * 1024  # the largest attachment, docs/api.md


def t(s):
    return datetime.datetime.fromisoformat(s) if s else None


def build(db, profile):
    sktest.DB = db
    sk("init", "--db", db, "--profile", profile, "--admin", "chief", "--key",
       sktest.KEY + "." + profile)
    root = json.loads(sk("org", "list", "--db", db, "--json"))[0]["code"]
    for code, kind, parent in [("dept-a", "department", root), ("sec-a1", "section", "dept-a"),
                               ("dept-b", "department", root), ("sec-b1", "section", "dept-b")]:
        sk("org", "add", "--db", db, "--code", code, "--name", code.upper(), "--kind", kind,
           "--parent", parent)
    people = [("staff1", "sec-a1", "staff"), ("kacho", "sec-a1", "security_manager"),
              ("bucho", "dept-a", "security_officer"), ("tokatsu", root, "general_manager"),
              ("ciso2", root, "ciso"), ("sysman", "sec-a1", "system_manager"),
              ("kacho-b", "sec-b1", "security_manager"), ("staff-b", "sec-b1", "staff")]
    if profile == "hachioji":
        people.append(("csirt1", "sec-a1", "csirt"))
    for login, unit, role in people:
        sk("user", "add", "--db", db, "--login", login, "--name", login, "--unit", unit,
           "--role", role, "--password-stdin", stdin=password_for(login) + "\n")
    asset = {}
    for unit in ["sec-a1", "sec-b1"]:
        out = sk("asset", "add", "--db", db, "--unit", unit, "--type", "media", "--name",
                 "USB of " + unit, "--conf", "2", "--integ", "2", "--avail", "1", "--manager",
                 "mgr", "--zone", "lgwan", "--json")
        asset[unit] = json.loads(out)["id"]
    return asset


def routed(inc, i=0):
    r = inc["routed_to"][i]
    return r["role"], r["unit_code"]


def count_incidents(c):
    got = c.call("GET", "/api/v1/incidents")
    expect(got, 200, "list incidents")
    return len(got[2])


def bad_input(c, asset, profile):
    """Each refusal names its field and writes nothing."""
    ciso = c["ciso2"]
    before = count_incidents(ciso)
    past = (datetime.datetime.now(JST) - 3 * HOUR).isoformat(timespec="seconds")
    future = (datetime.datetime.now(JST) + 48 * HOUR).isoformat(timespec="seconds")
    base = {"title": "t", "description": "d", "found_at": past}
    cases = [
        ({"description": "d", "found_at": past}, "title"),
        (dict(base, found_at=future), "found_at"),
        (dict(base, found_at="yesterday"), "found_at"),
        (dict(base, severity="urgent"), "severity"),
        (dict(base, asset_ids=[999999]), "asset_ids"),
        # An asset of another department is unknown to a reporter of sec-a1.
        (dict(base, asset_ids=[asset["sec-b1"]]), "asset_ids"),
        (dict(base, asset_ids=["1"]), "asset_ids"),
        (dict(base, kind="accident"), "kind"),
    ]
    for body, field in cases:
        got = c["staff1"].call("POST", "/api/v1/incidents", body)
        expect(got, 400, "%s: bad %s" % (profile, field))
        check(got[2]["error"].get("field") == field,
              "%s: refusal of %s names %r" % (profile, field, got[2]["error"].get("field")))
    check(count_incidents(ciso) == before, profile + ": a refused report was written")


def attachments(c, iid, profile):
    staff = c["staff1"]
    data = ("2026-12-06 09:00:01 deny 10.0.0.5 -> 203.0.113.7:445\n" * 50).encode()
    got = staff.call("POST", "/api/v1/incidents/%d/attachments" % iid,
                     {"name": "fw.log", "media_type": "text/plain",
                      "content": base64.b64encode(data).decode()})
    expect(got, 201, profile + ": attach")
    att = got[2]["attachments"]
    check(len(att) == 1 and att[0]["sha256"] == hashlib.sha256(data).hexdigest()
          and att[0]["size"] == len(data) and att[0]["name"] == "fw.log",
          profile + ": attachment kept with the SHA-256 of what was sent: %r" % att)
    # One byte over the limit: 413 naming content, nothing written.
    big = base64.b64encode(b"\0" * (LIMIT + 1)).decode()
    got = staff.call("POST", "/api/v1/incidents/%d/attachments" % iid,
                     {"name": "big.bin", "content": big})
    expect_error(got, 413, "too_large", "content", profile + ": oversized attachment")
    check(got[2]["error"].get("field") == "content", profile + ": oversized names content")
    got = staff.call("POST", "/api/v1/incidents/%d/attachments" % iid,
                     {"name": "x.bin", "content": "not base64!"})
    expect(got, 400, profile + ": bad base64")
    check(got[2]["error"].get("field") == "content", profile + ": bad base64 names content")
    got = staff.call("GET", "/api/v1/incidents/%d" % iid)
    check(len(got[2]["attachments"]) == 1, profile + ": a refused attachment was written")
    # Read back: the same bytes, as JSON (never served under the sender's media type).
    url = "/api/v1/incidents/attachments/%d" % att[0]["id"]
    got = c["kacho"].call("GET", url)
    expect(got, 200, profile + ": read the attachment")
    check(base64.b64decode(got[2]["content"]) == data and got[2]["incident_id"] == iid
          and got[2]["sha256"] == hashlib.sha256(data).hexdigest(),
          profile + ": the attachment read back differs")
    expect(c["staff-b"].call("GET", url), 404, profile + ": attachment read from outside")
    expect(c["kacho"].call("GET", "/api/v1/incidents/attachments/999999"), 404,
           profile + ": no such attachment")
    # Someone outside the incident's line cannot attach to it: it does not exist for them.
    got = c["staff-b"].call("POST", "/api/v1/incidents/%d/attachments" % iid,
                            {"name": "a.txt", "content": "eA=="})
    expect(got, 404, profile + ": attach from outside")


def run(db, profile):
    asset = build(db, profile)
    srv = Server()
    logins = ["staff1", "kacho", "bucho", "tokatsu", "ciso2", "sysman", "kacho-b", "staff-b"]
    if profile == "hachioji":
        logins.append("csirt1")
    c = clients(srv, logins)
    found = datetime.datetime.now(JST) - 2 * HOUR
    severity = "medium" if profile == "hachioji" else "high"
    body = {"title": "USBメモリの紛失", "description": "課のUSBメモリが見当たらない。",
            "found_at": found.isoformat(timespec="seconds"), "severity": severity,
            "asset_ids": [asset["sec-a1"]]}
    got = c["staff1"].call("POST", "/api/v1/incidents", body)
    expect(got, 201, profile + ": report")
    inc = got[2]
    iid = inc["id"]
    check(inc["status"] == "reported", profile + ": status %r" % inc["status"])
    check(inc["asset_ids"] == [asset["sec-a1"]], profile + ": assets %r" % inc["asset_ids"])
    check(routed(inc) == ("security_manager", "sec-a1"),
          profile + ": routed to %r" % (routed(inc),))
    created = t(inc["created_at"])
    found_s = t(inc["found_at"])
    check(found_s == found.replace(microsecond=0), profile + ": found_at %r" % inc["found_at"])
    informed = {(r["role"], r["unit_code"]) for r in inc["routed_to"][1:]}
    if profile == "hachioji":
        # 13(4) 「直ちに」: 1 hour from discovery, two hours ago: late. Nothing above is timed.
        check(t(inc["report_due"]) == found_s + HOUR, "hachioji: report_due %r" % inc["report_due"])
        check(inc["reported_late"] is True, "hachioji: reported_late")
        check(inc["due"] is None, "hachioji: due %r" % inc["due"])
        check(("csirt", "sec-a1") in informed, "hachioji: CSIRT not informed: %r" % informed)
    else:
        # 4(3)①ア 「速やかに」, high: 1 h from discovery (late); ①イ: the 管理者 passes it on
        # within 1 h.
        check(t(inc["report_due"]) == found_s + HOUR, "narita: report_due %r" % inc["report_due"])
        check(t(inc["due"]) == created + HOUR, "narita: due %r" % inc["due"])
        check(("system_manager", "sec-a1") in informed, "narita: informed %r" % informed)

    # The routed 管理者 is told (a notification naming only the incident's number); the
    # reporter is not told of their own report.
    def incident_notes(who):
        got = c[who].call("GET", "/api/v1/notifications")
        expect(got, 200, profile + ": notifications of " + who)
        return [n for n in got[2]["items"]
                if n["kind"] == "incident_escalated" and n["ref_id"] == iid]
    notes = incident_notes("kacho")
    check(len(notes) == 1 and notes[0]["ref"] == "I-%06d" % iid,
          profile + ": the routed manager was not notified: %r" % notes)
    check("USB" not in notes[0]["title"], profile + ": the title carries the incident's text")
    check(not incident_notes("staff1"), profile + ": the reporter was notified")

    # Visibility: the reporter sees it; other departments do not know it exists.
    expect(c["staff1"].call("GET", "/api/v1/incidents/%d" % iid), 200, profile + ": reporter")
    expect(c["staff-b"].call("GET", "/api/v1/incidents/%d" % iid), 404, profile + ": outsider")
    expect(c["kacho-b"].call("GET", "/api/v1/incidents/%d" % iid), 404,
           profile + ": other section's manager")
    ids = {x["id"] for x in c["staff-b"].call("GET", "/api/v1/incidents")[2]}
    check(iid not in ids, profile + ": listed to an outsider")
    ids = {x["id"] for x in c["kacho"].call("GET", "/api/v1/incidents?status=reported")[2]}
    check(iid in ids, profile + ": not listed to the routed manager")
    # Escalation needs incident.handle in scope.
    expect(c["staff1"].call("POST", "/api/v1/incidents/%d/escalate" % iid, {}), 403,
           profile + ": reporter escalates")
    expect(c["kacho-b"].call("POST", "/api/v1/incidents/%d/escalate" % iid, {}), 404,
           profile + ": escalation from another section")

    got = c["kacho"].call("POST", "/api/v1/incidents/%d/escalate" % iid,
                          {"comment": "情報システムに関連"})
    expect(got, 200, profile + ": escalate")
    inc = got[2]
    check(inc["status"] == "escalated", profile + ": status after escalation")
    at = t(inc["steps"][-1]["at"])
    if profile == "hachioji":
        check(routed(inc) == ("security_officer", "dept-a"), "hachioji: %r" % (routed(inc),))
        check(inc["due"] is None, "hachioji: due after escalation")
        for who, role in [("bucho", "general_manager"), ("tokatsu", "ciso")]:
            got = c[who].call("POST", "/api/v1/incidents/%d/escalate" % iid, {})
            expect(got, 200, "hachioji: escalate by " + who)
            check(routed(got[2])[0] == role, "hachioji: next step %r" % (routed(got[2]),))
        root = routed(got[2])[1]
        check(got[2]["routed_to"][0]["unit"] == got[2]["routed_to"][0]["unit"] and root,
              "hachioji: the CISO's unit")
        handler = "csirt1"
    else:
        check(routed(inc)[0] == "general_manager", "narita: %r" % (routed(inc),))
        # 6(3)ウⅱ: to the CISO 「速やかに」 for a high one: 1 h.
        check(t(inc["due"]) == at + HOUR, "narita: due after escalation %r" % inc["due"])
        got = c["tokatsu"].call("POST", "/api/v1/incidents/%d/escalate" % iid, {})
        expect(got, 200, "narita: escalate to the CISO")
        check(routed(got[2])[0] == "ciso", "narita: %r" % (routed(got[2]),))
        check(got[2]["due"] is None, "narita: the CISO is the last step")
        handler = "tokatsu"
    expect(c["ciso2"].call("POST", "/api/v1/incidents/%d/escalate" % iid, {}), 409,
           profile + ": beyond the top of the chain")

    inv = {"cause": "机上への置き忘れ", "impact": "暗号化済みで漏えいなし",
           "response": "所在確認", "recovery": "回収済み", "prevention": "持出し記録の徹底"}
    got = c[handler].call("POST", "/api/v1/incidents/%d/respond" % iid, inv)
    expect(got, 200, profile + ": respond")
    check(got[2]["status"] == "responding" and all(got[2][k] == v for k, v in inv.items()),
          profile + ": investigation recorded")
    expect(c[handler].call("POST", "/api/v1/incidents/%d/respond" % iid, {}), 400,
           profile + ": empty response")

    attachments(c, iid, profile)

    if profile == "hachioji":
        # Only 管理者 hold incident.close here; another section's 管理者 cannot see it.
        closer, refused = "kacho", [("bucho", 403), ("tokatsu", 403), ("csirt1", 403),
                                    ("kacho-b", 404)]
    else:
        # The 統括 closes; the 管理者 and the CISO hold no incident.close of the 管理者's kind:
        # the CISO holds the capability (the default) but is not the role 4(3)③ names.
        closer, refused = "tokatsu", [("kacho", 403), ("ciso2", 403), ("kacho-b", 403)]
    for who, status in refused:
        got = c[who].call("POST", "/api/v1/incidents/%d/close" % iid, {})
        expect(got, status, "%s: close by %s" % (profile, who))
    got = c[closer].call("POST", "/api/v1/incidents/%d/close" % iid, {"comment": "再発防止策を確認"})
    expect(got, 200, profile + ": close by " + closer)
    check(got[2]["status"] == "closed" and got[2]["closed_by"] == closer,
          profile + ": closed by %r" % got[2]["closed_by"])
    expect(c[closer].call("POST", "/api/v1/incidents/%d/close" % iid, {}), 409,
           profile + ": closed twice")
    actions = [s["action"] for s in got[2]["steps"]]
    check(actions[0] == "report" and actions[-1] == "close" and "attach" in actions,
          profile + ": steps %r" % actions)

    # A 障害記録 is kept the same way.
    got = c["sysman"].call("POST", "/api/v1/incidents",
                           {"title": "ファイルサーバ停止", "description": "ディスク障害",
                            "found_at": found.isoformat(timespec="seconds"), "kind": "failure",
                            "severity": "low"})
    expect(got, 201, profile + ": failure record")
    check(got[2]["kind"] == "failure", profile + ": kind")
    kinds = {x["kind"] for x in c["kacho"].call("GET", "/api/v1/incidents?kind=failure")[2]}
    check(kinds == {"failure"}, profile + ": kind filter %r" % kinds)

    bad_input(c, asset, profile)
    srv.stop()
    out = sk("audit", "verify", "--db", db)
    check("intact" in out, profile + ": audit verify: " + out)
    entries = sk("audit", "export", "--db", db)
    for action in ["incident.report", "incident.escalate", "incident.respond", "incident.attach",
                   "incident.close"]:
        check(action in entries, "%s: no %s audit entry" % (profile, action))


if len(sys.argv) != 3:
    fail("usage: test_incidents.py DB_HACHIOJI DB_NARITA")
run(sys.argv[1], "hachioji")
run(sys.argv[2], "narita")
print("incidents: hachioji and narita chains, deadlines, closure, evidence and refusals as expected")
