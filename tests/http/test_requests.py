"""Requests and approvals end to end (issue #13, SPEC C7), driving the real server.

Two installations, built with the CLI as an administrator would: Narita (成田市 情報セキュリティ
対策基準) and Hachioji (八王子市 指定管理者ガイドライン). Every expectation comes from the
seed articles named beside it, not from the code:

Narita
- take_out: 基準 4(1)①エ「持ち出してはならない。但し…情報システム管理者の許可」— an ordinary
  approval by the 情報システム管理者 (not a 例外措置), the record (オ) is a safeguard; then taken
  out (in_progress) and returned (completed).
- dispose: 基準 2(2)⑩ウ 情報セキュリティ管理者の許可; ⑩イ the record; the certificate filed marks the
  asset disposed.
- provide_external: 基準 2(2)⑨ 情報セキュリティ管理者; rejected with a comment.
- transport: 基準 2(2)⑧イ 情報セキュリティ管理者; decided by the 情報セキュリティ責任者 as deputy
  (the role the manager reports to).
- connect_device: 基準 5(1)⑯イ 統括情報セキュリティ責任者及び情報システム管理者の許可 (both).
- exception: 基準 6(5)① 最高情報セキュリティ責任者の許可; one past its period reads expired.
- use_private_device: 基準 4(1)①カ 私物 — forbidden outright (422 forbidden_by_policy).
- zone_entry: 基準 3(2)② 入退室管理簿 — a record, approved at once, completed on leaving.
Hachioji (a designated manager's unit, 指定管理者)
- take_out: 7(7)イ 情報セキュリティ対策責任者 (dm_officer) in the unit's chain.
- install_software: 16(10)「導入を行わないこと。ただし、…情報セキュリティ管理者又は情報システム
  管理者の許可を得て」— an ordinary approval by either.
- copy of 機密性3: 7(3)「原則として複製禁止…やむを得ず…対策責任者が許可」— only as an exception,
  which goes to the 対策責任者.
- A city section's take_out needs a 対策責任者 no one in its chain holds: refused at filing,
  naming the role.
"""
import datetime
import json
import subprocess

from skcity import build, clients, error
from sktest import BIN, DB, Server, check, expect, sk


def asset(unit, conf="2", name="端末"):
    out = sk("asset", "add", "--db", DB, "--unit", unit, "--type", "hardware", "--name", name,
             "--conf", conf, "--integ", "2", "--avail", "1", "--manager", "課長", "--zone",
             "lgwan", "--json")
    return json.loads(out)["id"]


def file(c, kind, details, asset_id=None, safeguards=None, reason="業務上必要なため"):
    body = {"kind": kind, "reason": reason, "details": details}
    if asset_id:
        body["asset_id"] = asset_id
    if safeguards is not None:
        body["safeguards_confirmed"] = safeguards
    return c.call("POST", "/api/v1/requests", body)


def ok(got, status, what):
    expect(got, status, what)
    return got[2]


def counts(c):
    """Requests and audit entries on record, as the CISO sees them."""
    st, _, reqs = c.call("GET", "/api/v1/requests?box=all&limit=1000")
    expect((st, None, reqs), 200, "all requests")
    st, _, audit = c.call("GET", "/api/v1/audit?limit=1000")
    expect((st, None, audit), 200, "audit list")
    return len(reqs), len(audit)


def verify():
    r = subprocess.run([BIN, "audit", "verify", "--db", DB], capture_output=True, text=True)
    check(r.returncode == 0, "audit verify failed: %s %s" % (r.stdout, r.stderr))


# The disposal date: it must have happened and not precede the asset's registration (today).
TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=9)).date().isoformat()

# ---------------------------------------------------------------- Narita
U = build("narita",
          [("dept-a", "department", None), ("sec-a1", "section", "dept-a"),
           ("dept-b", "department", None), ("sec-b1", "section", "dept-b")],
          [("staff1", "sec-a1", "staff"), ("sysmgr", "sec-a1", "system_manager"),
           ("secmgr", "sec-a1", "security_manager"), ("secmgr2", "sec-a1", "security_manager"),
           ("officer", "dept-a", "security_officer"), ("ciso", None, "ciso"),
           ("gm", None, "general_manager"), ("outsider", "sec-b1", "security_manager")])
pc = asset("sec-a1")
old = asset("sec-a1", name="旧端末")
srv = Server()
C = clients(srv, ["staff1", "sysmgr", "secmgr", "secmgr2", "officer", "ciso", "gm", "outsider"])
st1 = C["staff1"]

# take_out: an ordinary approval by the 情報システム管理者 in the staff's own section.
r = ok(file(st1, "take_out", {"destination": "市民会館", "from": "2026-12-10",
                               "until": "2026-12-11", "purpose": "出張説明会"}, pc, ["record"]),
       201, "narita take_out")
check(set(r) >= {"id", "kind", "status", "requester", "unit", "asset_id", "decision",
                 "approver_role", "approver_unit", "created_at", "steps"}, "fields: %r" % r)
check(r["status"] == "pending" and r["approver_role"] == "system_manager"
      and r["approver_unit"] == U["sec-a1"] and r["requester"] == "staff1"
      and r["unit"] == U["sec-a1"] and r["asset_id"] == pc, "take_out routing: %r" % r)
check("成田 基準 4(1)①エ" in r["decision"]["citations"], "take_out cites 4(1)①エ")
check([s["action"] for s in r["steps"]] == ["file"] and r["steps"][0]["actor"] == "staff1",
      "take_out steps: %r" % r["steps"])
tid = r["id"]
inbox = ok(C["sysmgr"].call("GET", "/api/v1/requests?box=inbox"), 200, "sysmgr inbox")
check([x["id"] for x in inbox] == [tid], "sysmgr inbox: %r" % inbox)
check(ok(C["secmgr"].call("GET", "/api/v1/requests?box=inbox"), 200, "secmgr inbox") == [],
      "the take_out is not the security manager's to decide")
error(C["outsider"].call("POST", "/api/v1/requests/%d/approve" % tid, {}), 404, "not_found",
      None, "an approver outside the chain")
error(C["outsider"].call("GET", "/api/v1/requests/%d" % tid), 404, "not_found", None,
      "a reader outside the scope")
r = ok(C["sysmgr"].call("POST", "/api/v1/requests/%d/approve" % tid, {"comment": "了承"}), 200,
       "approve take_out")
check(r["status"] == "approved" and r["steps"][-1]["actor"] == "sysmgr"
      and r["steps"][-1]["action"] == "approve" and r["steps"][-1]["comment"] == "了承",
      "approved: %r" % r)
r = ok(st1.call("POST", "/api/v1/requests/%d/complete" % tid, {"taken_out_on": "2026-12-10"}),
       200, "taken out")
check(r["status"] == "in_progress", "taken out: %r" % r["status"])
error(st1.call("POST", "/api/v1/requests/%d/complete" % tid, {"returned_on": "2026-12-01"}),
      400, "invalid_input", "returned_on", "returned before it left")
r = ok(st1.call("POST", "/api/v1/requests/%d/complete" % tid, {"returned_on": "2026-12-11"}),
       200, "returned")
check(r["status"] == "completed" and r["follow_through"]["returned_on"] == "2026-12-11",
      "returned: %r" % r)

# Bad input: each a 4xx naming the field, nothing written.
before = counts(C["ciso"])
error(file(st1, "take_out", {"destination": "x", "from": "2026-12-10", "until": "2026-12-11"},
           pc, ["record"]), 400, "invalid_input", "purpose", "missing purpose")
error(file(st1, "take_out", {"destination": "x", "from": "2026-12-12", "until": "2026-12-11",
                             "purpose": "p"}, pc, ["record"]), 400, "invalid_input", "until",
      "from after until")
error(file(st1, "take_out", {"destination": "x", "from": "2026-13-01", "until": "2026-12-11",
                             "purpose": "p"}, pc, ["record"]), 400, "invalid_input", "from",
      "a date that is no date")
error(file(st1, "take_out", {"destination": "x", "from": "2026-12-10", "until": "2026-12-11",
                             "purpose": "p"}, 999999, ["record"]), 404, "not_found", "asset_id",
      "unknown asset")
error(file(st1, "take_out", {"destination": "x", "from": "2026-12-10", "until": "2026-12-11",
                             "purpose": "p"}, pc, []), 400, "invalid_input",
      "safeguards_confirmed", "the record (4(1)①オ) not confirmed")
error(file(st1, "use_private_device", {"device": "私物PC", "purpose": "在宅"}), 422,
      "forbidden_by_policy", None, "私物 (基準 4(1)①カ) outside the exception path")
got = file(st1, "use_private_device", {"device": "私物PC", "purpose": "在宅"})
check("4(1)①カ" in got[2]["error"]["message"]
      and "成田 基準 4(1)①カ" in got[2]["error"]["citations"]
      and got[2]["error"]["decision"]["decision"] == "forbid", "forbidden_by_policy cites: %r" % got[2])
error(file(st1, "teleport", {}), 400, "invalid_input", "kind", "unknown kind")
error(file(st1, "zone_entry", {"zone": "サーバ室", "entered_at": "2026-12-03 25:00"}), 400,
      "invalid_input", "entered_at", "an hour that is no hour")
error(file(st1, "take_out", {"destination": "x", "from": "2026-12-10", "until": "2026-12-11",
                             "purpose": "p", "colour": "red"}, pc, ["record"]), 400,
      "invalid_input", "colour", "unknown detail")
check(counts(C["ciso"]) == before, "a refused filing wrote something")

# dispose: the 情報セキュリティ管理者; self-approval refused; the certificate marks the asset disposed.
r = ok(file(C["secmgr"], "dispose", {"method": "物理的破壊", "date": TODAY,
                                       "person_in_charge": "情報 太郎",
                                       "operator_company": "廃棄株式会社",
                                       "serial_number": "SN-001"}, old,
            ["record", "irrecoverable_erase"]), 201, "narita dispose")
check(r["status"] == "pending" and r["approver_role"] == "security_manager"
      and r["approver_unit"] == U["sec-a1"], "dispose routing: %r" % r)
did = r["id"]
error(C["secmgr"].call("POST", "/api/v1/requests/%d/approve" % did, {}), 403, "self_approval",
      None, "approving one's own request")
r = ok(C["secmgr2"].call("POST", "/api/v1/requests/%d/approve" % did, {}), 200, "approve dispose")
check(r["status"] == "approved", "dispose approved")
error(C["secmgr"].call("POST", "/api/v1/requests/%d/complete" % did, {}), 400, "invalid_input",
      "certificate", "no certificate")
r = ok(C["secmgr"].call("POST", "/api/v1/requests/%d/complete" % did,
                        {"certificate": "CERT-2026-77"}), 200, "certificate filed")
check(r["status"] == "completed", "dispose completed: %r" % r["status"])
a = ok(C["ciso"].call("GET", "/api/v1/assets/%d" % old), 200, "the disposed asset")
check(a["status"] == "disposed" and a["disposed_on"] == TODAY
      and "CERT-2026-77" in a["disposal_record"], "asset not disposed: %r" % a)

# provide_external: rejected, with a comment required.
r = ok(file(st1, "provide_external", {"recipient": "県", "purpose": "統計", "method": "メール"},
            pc, ["encrypt_or_password"]), 201, "narita provide_external")
check(r["approver_role"] == "security_manager", "provide_external routing: %r" % r)
pid = r["id"]
error(C["secmgr"].call("POST", "/api/v1/requests/%d/reject" % pid, {}), 400, "invalid_input",
      "comment", "reject without a comment")
r = ok(C["secmgr"].call("POST", "/api/v1/requests/%d/reject" % pid, {"comment": "暗号化の方法が不明"}),
       200, "reject")
check(r["status"] == "rejected" and r["steps"][-1]["comment"] == "暗号化の方法が不明", "rejected")
error(C["secmgr2"].call("POST", "/api/v1/requests/%d/approve" % pid, {}), 409, "conflict", None,
      "approving a rejected request")

# transport: decided by the deputy (the 情報セキュリティ責任者 the manager reports to).
r = ok(file(st1, "transport", {"destination": "本庁舎", "on": "2026-12-05", "purpose": "移設"},
            pc, ["encrypt_or_password", "locked_case"]), 201, "narita transport")
check(r["approver_role"] == "security_manager", "transport routing: %r" % r)
r = ok(C["officer"].call("POST", "/api/v1/requests/%d/approve" % r["id"], {"comment": "代行"}),
       200, "deputy approves")
check(r["status"] == "approved" and r["as_deputy"] is True and r["steps"][-1]["as_deputy"] is True
      and r["decided_by"] == "officer", "deputy not recorded: %r" % r)

# connect_device: both the 統括情報セキュリティ責任者 and the 情報システム管理者 (5(1)⑯イ).
r = ok(file(st1, "connect_device", {"device": "USBメモリ", "purpose": "データ移行"}, pc), 201,
       "narita connect_device")
check(r["status"] == "pending" and r["approver_role"] == "general_manager"
      and r["approver_unit"] == U["ROOT"], "connect_device first approver: %r" % r)
r = ok(C["gm"].call("POST", "/api/v1/requests/%d/approve" % r["id"], {}), 200, "gm approves")
check(r["status"] == "pending" and r["approver_role"] == "system_manager"
      and r["approver_unit"] == U["sec-a1"], "connect_device second approver: %r" % r)
r = ok(C["sysmgr"].call("POST", "/api/v1/requests/%d/approve" % r["id"], {}), 200, "sysmgr")
check(r["status"] == "approved", "connect_device approved by both")

# install_software: the 統括情報セキュリティ責任者 (5(1)⑮), virus scan confirmed.
r = ok(file(st1, "install_software", {"name": "PDF閲覧ソフト", "version": "2.1",
                                       "licence_checked": True}, pc, ["virus_scan"]), 201,
       "narita install_software")
check(r["approver_role"] == "general_manager", "install_software routing: %r" % r)
r = ok(st1.call("POST", "/api/v1/requests/%d/withdraw" % r["id"], {}), 200, "withdraw")
check(r["status"] == "withdrawn", "withdrawn")

# exception: the CISO (6(5)①); one whose period ended reads expired.
r = ok(file(C["sysmgr"], "exception", {"scope": "庁内LAN", "from": "2020-04-01",
                                         "until": "2020-04-30", "measures": "ログ監視を強化",
                                         "action": "connect_network"}, None, ["virus_scan"]),
       201, "exception")
check(r["status"] == "pending" and r["approver_role"] == "ciso"
      and r["approver_unit"] == U["ROOT"], "exception routing: %r" % r)
xid = r["id"]
r = ok(C["ciso"].call("POST", "/api/v1/requests/%d/approve" % xid, {}), 200, "ciso approves")
check(r["status"] == "expired", "an exception past its period: %r" % r["status"])
ex = ok(C["ciso"].call("GET", "/api/v1/requests?box=all&status=expired&kind=exception"), 200,
        "expired exceptions")
check([x["id"] for x in ex] == [xid], "expired filter: %r" % ex)
r = ok(file(st1, "exception", {"scope": "窓口端末", "from": "2026-12-01", "until": "2026-12-02",
                               "measures": "事後に報告", "emergency": True}), 201, "emergency")
check(r["status"] == "pending" and r["approver_role"] == "ciso" and r["emergency"] is True
      and r["steps"][0]["action"] == "report", "emergency exception: %r" % r)

# zone_entry: a record, approved at once; completed on leaving.
r = ok(file(st1, "zone_entry", {"zone": "サーバ室", "entered_at": "2026-12-03 10:00",
                                "escort": "sysmgr"}), 201, "zone_entry")
check(r["status"] == "approved" and r["approver_role"] is None, "zone_entry: %r" % r)
error(st1.call("POST", "/api/v1/requests/%d/complete" % r["id"], {"left_at": "2026-12-03 09:00"}),
      400, "invalid_input", "left_at", "left before entering")
r = ok(st1.call("POST", "/api/v1/requests/%d/complete" % r["id"], {"left_at": "2026-12-03 11:00"}),
       200, "left")
check(r["status"] == "completed", "zone_entry completed")

mine = ok(st1.call("GET", "/api/v1/requests?box=mine"), 200, "mine")
check(len(mine) == 7 and all(x["requester"] == "staff1" for x in mine)
      and [x["id"] for x in mine] == sorted([x["id"] for x in mine], reverse=True),
      "mine: %r" % [(x["id"], x["kind"]) for x in mine])
error(st1.call("GET", "/api/v1/requests?box=everything"), 400, "invalid_input", "box", "bad box")
srv.stop()
verify()

# ---------------------------------------------------------------- Hachioji
U = build("hachioji",
          [("dept-a", "department", None), ("dm-a", "designated_manager", "dept-a"),
           ("sec-a1", "section", "dept-a")],
          [("dmstaff", "dm-a", "staff"), ("dmchief", "dm-a", "dm_officer"),
           ("secmgr", "dept-a", "security_manager"), ("sysmgr", "dept-a", "system_manager"),
           ("staff1", "sec-a1", "staff"),
           ("ciso", None, "ciso")])
doc = asset("dm-a")
top = asset("dm-a", conf="3", name="利用者名簿")
cityasset = asset("sec-a1")
srv = Server()
C = clients(srv, ["dmstaff", "dmchief", "secmgr", "sysmgr", "staff1", "ciso"])
r = ok(file(C["dmstaff"], "take_out", {"destination": "市役所", "from": "2026-12-10",
                                         "until": "2026-12-10", "purpose": "報告"}, doc,
            ["encrypt_or_password", "locked_case", "record"]), 201, "hachioji take_out")
check(r["status"] == "pending" and r["approver_role"] == "dm_officer"
      and r["approver_unit"] == U["dm-a"], "hachioji take_out routing (7(7)イ): %r" % r)
r = ok(C["dmchief"].call("POST", "/api/v1/requests/%d/approve" % r["id"], {}), 200, "dm approves")
r = ok(C["dmstaff"].call("POST", "/api/v1/requests/%d/complete" % r["id"],
                         {"returned_on": "2026-12-10"}), 200, "returned")
check(r["status"] == "completed", "hachioji take_out completed")

r = ok(file(C["dmstaff"], "install_software", {"name": "会計ソフト", "licence_checked": True},
            doc, ["virus_scan"]), 201, "hachioji install_software (16(10) ただし)")
check(r["status"] == "pending" and r["approver_role"] in ("security_manager", "system_manager"),
      "16(10) is an ordinary approval: %r" % r)
check(r["approver_role"] == "security_manager" and r["approver_unit"] == U["dept-a"],
      "routed up the chain to the 情報セキュリティ管理者: %r" % r)
# 「又は」: the 情報システム管理者 may give the permission as well (any_of).
r = ok(C["sysmgr"].call("POST", "/api/v1/requests/%d/approve" % r["id"], {}), 200,
       "the other role of 16(10) approves")
check(r["status"] == "approved" and r["decided_by"] == "sysmgr" and r["as_deputy"] is False,
      "any_of approval: %r" % r)

error(file(C["dmstaff"], "copy", {"copies": 1, "purpose": "控え"}, top, ["encrypt_or_password"]),
      422, "forbidden_by_policy", None, "a copy of 機密性3 (7(3)) outside the exception path")
r = ok(file(C["dmstaff"], "exception", {"scope": "名簿の複製1部", "from": "2026-12-01",
                                          "until": "2026-12-31", "measures": "暗号化して保管",
                                          "action": "copy"}, top, ["encrypt_or_password"]),
       201, "the copy as an exception")
check(r["approver_role"] == "dm_officer" and r["approver_unit"] == U["dm-a"],
      "the exception goes to the 対策責任者 (7(3)): %r" % r)
r = ok(C["dmchief"].call("POST", "/api/v1/requests/%d/approve" % r["id"], {}), 200, "exception ok")
check(r["status"] == "approved", "exception approved")

r = ok(file(C["dmstaff"], "key_loan", {"key": "書庫の鍵", "lent_on": "2026-12-01"}), 201, "key")
r = ok(C["dmstaff"].call("POST", "/api/v1/requests/%d/complete" % r["id"],
                         {"returned_on": "2026-12-02"}), 200, "key returned")
check(r["status"] == "completed", "key_loan completed")
r = ok(file(C["dmstaff"], "mynumber_handling", {"affair": "利用料の減免", "handling": "利用",
                                                 "on": "2026-12-01"}), 201, "mynumber")
check(r["status"] == "approved", "a handling record is recorded at once")

before = counts(C["ciso"])
got = file(C["staff1"], "take_out", {"destination": "x", "from": "2026-12-10",
                                     "until": "2026-12-10", "purpose": "p"}, cityasset,
           ["encrypt_or_password", "locked_case", "record"])
error(got, 409, "conflict", None, "a rule naming a role no one in the chain holds")
check("dm_officer" in got[2]["error"]["message"], "the refusal names the role: %r" % got[2])
check(counts(C["ciso"]) == before, "the refused filing wrote something")
srv.stop()
verify()
print("ok")
