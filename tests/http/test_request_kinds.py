"""Every request kind end to end, in at least two profiles, driving the real server (issue #13).

For each kind of SPEC C7 a staff member files it through POST /api/v1/requests; the test
checks where the profile's chain of command sends it (approver role and unit, written here
from the seed article cited beside it), has it approved or rejected (a rejection needs a
comment), records the follow-through (returned, delivered, provided, certificate → asset
disposed, exit recorded, key returned), finds it in its ledger (JSON and CSV) where the kind
has one, and ends with `sekisho audit verify` on the same database. Three installations:

成田 (成田市 情報セキュリティ対策基準; a city section): the mail server is down while requests
are filed and decided: the notifications wait in the queue and all arrive once the SMTP
sink starts, and none carries a value of the 機密性2+ records (issue #13 part 5).
八王子 (指定管理者ガイドライン; a designated manager's unit under the section that oversees it).
世田谷 (情報セキュリティ対策基準 抜粋 / 外部委託事業者向け): the third profile where a kind is
forbidden in one of the others, or routed differently.

Also shown here: a deputy (代行者) up the chain sees what they may decide in their inbox (and
the nearest one is told of it) and
is recorded as the deputy when they act; self-approval is refused (403 self_approval); an
approver outside the chain gets 404; an exception past its period reads expired; bad input
per kind is a 4xx naming the field with nothing written.
"""
import csv
import datetime
import email
import email.policy
import glob
import http.client
import io
import json
import os
import subprocess

from skcity import build, error, free_port, sql, wait_for
from sktest import BIN, DB, Client, Server, check, expect, password_for, sk

SINK = os.path.join(os.environ["SEKISHO_SRC"], "tests/http/smtp_sink.py")

# Days in Japan (the city's calendar), whatever hour the test runs at.
JST_TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=9)).date()
TODAY = JST_TODAY.isoformat()


def day(n):
    return (JST_TODAY + datetime.timedelta(days=n)).isoformat()


# The ledger's 状態 column in Japanese (the words of the 台帳).
STATUS_JA = {"pending": "承認待ち", "approved": "承認済み", "rejected": "却下",
             "withdrawn": "取下げ", "in_progress": "実施中", "completed": "完了",
             "expired": "失効"}


def asset(unit, conf, name, typ="hardware"):
    out = sk("asset", "add", "--db", DB, "--unit", unit, "--type", typ, "--name", name,
             "--conf", conf, "--integ", "2" if conf[0].isdigit() else "-",
             "--avail", "1" if conf[0].isdigit() else "-", "--manager", "課長", "--zone",
             "lgwan", "--json")
    return json.loads(out)["id"]


class City:
    """One installation being driven: the server, a logged-in client per account."""

    def __init__(self, name, logins, *serve_args):
        self.name = name
        self.srv = Server(*serve_args)
        self.c = {}
        for login in logins:
            cl = Client(self.srv)
            expect(cl.login(login), 200, "%s: login %s" % (name, login))
            self.c[login] = cl

    def file(self, who, kind, details, asset_id=None, safeguards=None, reason="業務上必要なため"):
        body = {"kind": kind, "reason": reason, "details": details}
        if asset_id:
            body["asset_id"] = asset_id
        if safeguards is not None:
            body["safeguards_confirmed"] = safeguards
        return self.c[who].call("POST", "/api/v1/requests", body)

    def filed(self, who, kind, details, asset_id=None, safeguards=None, reason="業務上必要なため"):
        got = self.file(who, kind, details, asset_id, safeguards, reason)
        expect(got, 201, "%s: %s filed by %s" % (self.name, kind, who))
        r = got[2]
        check(r["kind"] == kind and r["requester"] == who, "%s: %s filed: %r" % (self.name, kind, r))
        check([s["action"] for s in r["steps"]][:1] in (["file"], ["report"])
              and r["steps"][0]["actor"] == who, "%s: %s first step: %r" % (self.name, kind, r))
        return r

    def step(self, who, rid, verb, body=None, status=200):
        got = self.c[who].call("POST", "/api/v1/requests/%d/%s" % (rid, verb), body or {})
        expect(got, status, "%s: %s %s request %d" % (self.name, who, verb, rid))
        return got[2]

    def inbox(self, who):
        got = self.c[who].call("GET", "/api/v1/requests?box=inbox")
        expect(got, 200, "%s: %s's inbox" % (self.name, who))
        return [x["id"] for x in got[2]]

    def counts(self, who):
        st, _, reqs = self.c[who].call("GET", "/api/v1/requests?box=all&limit=1000")
        expect((st, None, reqs), 200, "all requests")
        st, _, audit = self.c[who].call("GET", "/api/v1/audit?limit=1000")
        expect((st, None, audit), 200, "audit list")
        return len(reqs), len(audit)

    def ledger(self, who, name, rid, status, **cols):
        """The request is a row of ledger name, in the JSON listing and in the CSV export."""
        got = self.c[who].call("GET", "/api/v1/ledgers/" + name)
        expect(got, 200, "%s: ledger %s" % (self.name, name))
        rows = {r["id"]: r for r in got[2]["rows"]}
        check(rid in rows, "%s: request %d is not in the %s ledger: %r" % (
            self.name, rid, name, sorted(rows)))
        row = rows[rid]
        check(row["status"] == status, "%s: %s ledger row %d status %r, expected %r" % (
            self.name, name, rid, row["status"], status))
        for k, v in cols.items():
            check(row.get(k) == v, "%s: %s ledger row %d: %s is %r, expected %r" % (
                self.name, name, rid, k, row.get(k), v))
        conn = http.client.HTTPConnection(self.srv.host, self.srv.port, timeout=30)
        conn.request("GET", "/api/v1/ledgers/%s?format=csv&encoding=utf-8-bom" % name,
                     headers={"Cookie": self.c[who].cookie})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        check(r.status == 200 and data.startswith(b"\xef\xbb\xbf"),
              "%s: %s CSV export: %d %r" % (self.name, name, r.status, data[:100]))
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        head = table[0]
        check(head[:2] == ["申請番号", "状態"], "%s: %s CSV headings %r" % (self.name, name, head))
        line = [t for t in table[1:] if t and t[0] == str(rid)]
        check(len(line) == 1, "%s: request %d not once in the %s CSV" % (self.name, rid, name))
        check(line[0][1] == STATUS_JA[status], "%s: %s CSV 状態 %r, expected %r" % (
            self.name, name, line[0][1], STATUS_JA[status]))
        return row

    def stop(self):
        self.srv.stop()
        r = subprocess.run([BIN, "audit", "verify", "--db", DB], capture_output=True, text=True)
        check(r.returncode == 0, "%s: audit verify failed: %s %s" % (self.name, r.stdout, r.stderr))


def forbidden(got, citation, what):
    """A 422 forbidden_by_policy naming the article that forbids it."""
    e = error(got, 422, "forbidden_by_policy", None, what)
    check(citation in e.get("citations", []) and e["decision"]["decision"] == "forbid",
          "%s: the refusal does not cite %s: %r" % (what, citation, e))


# =============================================================== 成田
# A section (sec-a1) of a department (dept-a); the 情報システム管理者 (行政管理課長) and the
# 統括情報セキュリティ責任者 (総務部長) and the CISO (副市長) are city-wide, at the root
# (基準 1(2), 1(5)); dept-b/sec-b1 is another department's section.
U = build("narita",
          [("dept-a", "department", None), ("sec-a1", "section", "dept-a"),
           ("dept-b", "department", None), ("sec-b1", "section", "dept-b")],
          [("staff1", "sec-a1", "staff"), ("secmgr", "sec-a1", "security_manager"),
           ("secmgr2", "sec-a1", "security_manager"), ("officer", "dept-a", "security_officer"),
           ("sysmgr", None, "system_manager"), ("gm", None, "general_manager"),
           ("ciso", None, "ciso"), ("outsider", "sec-b1", "security_manager")])
N_LOGINS = ["staff1", "secmgr", "secmgr2", "officer", "sysmgr", "gm", "ciso", "outsider"]
for login in N_LOGINS:
    sk("user", "set", "--db", DB, login, "--email", login + "@city.example")
# The 機密性2+ records whose values no mail may carry.
SECRET = {"pc": "住民税課税台帳端末", "old": "旧住民記録サーバ", "top": "職員人事評価ファイル",
          "reason": "課税資料の照合のため", "dest": "千葉県税事務所"}
pc = asset("sec-a1", "2", SECRET["pc"])
old = asset("sec-a1", "2", SECRET["old"])
top = asset("sec-a1", "3", SECRET["top"], typ="data")
port = free_port()  # nothing listens there yet: the mail server is down
N = City("成田", N_LOGINS, "--smtp", "smtp://127.0.0.1:%d" % port, "--mail-from",
         "sekisho@city.example", "--mail-retry", "1", "--base-url", "https://sekisho.example")

# --- take_out: 基準 4(1)①エ「持ち出してはならない。但し…情報システム管理者の許可を受けたときは、この
# 限りでない」: an ordinary approval (not a 例外措置) by the 情報システム管理者, found at the root
# (the staff member's section and department hold none); オ the record is a safeguard.
r = N.filed("staff1", "take_out", {"destination": SECRET["dest"], "from": day(1), "until": day(2),
                                   "purpose": "課税資料の照合"}, pc, ["record"], SECRET["reason"])
check(r["status"] == "pending" and r["approver_role"] == "system_manager"
      and r["approver_unit"] == U["ROOT"] and "成田 基準 4(1)①エ" in r["decision"]["citations"],
      "成田 take_out routing: %r" % r)
tid = r["id"]
check(tid in N.inbox("sysmgr"), "the 情報システム管理者 does not see the take-out")
# The 統括情報セキュリティ責任者, whom the 情報システム管理者 reports to (基準 6(3)ウⅰ), may act
# as the deputy and sees it too; a section's 管理者 does not.
check(tid in N.inbox("gm"), "the deputy (統括) does not see the take-out in the inbox")
check(tid not in N.inbox("secmgr"), "the take-out is not the section chief's to decide")
error(N.c["outsider"].call("POST", "/api/v1/requests/%d/approve" % tid, {}), 404, "not_found",
      None, "an approver outside the chain")
r = N.step("sysmgr", tid, "approve", {"comment": "了承"})
check(r["status"] == "approved" and r["decided_by"] == "sysmgr" and r["as_deputy"] is False,
      "take_out approved: %r" % r)
check(tid not in N.inbox("gm"), "a decided request stays in the deputy's inbox")
r = N.step("staff1", tid, "complete", {"taken_out_on": day(1)})
check(r["status"] == "in_progress", "taken out: %r" % r["status"])
r = N.step("staff1", tid, "complete", {"returned_on": day(2)})
check(r["status"] == "completed", "returned: %r" % r["status"])
N.ledger("secmgr", "take_out", tid, "completed", decided_by="sysmgr", returned_on=day(2))

# --- transport: 基準 2(2)⑧イ 機密性２以上は情報セキュリティ管理者の許可; the 情報セキュリティ責任者
# the 管理者 reports to (基準 1(3)) is the deputy. First rejected (a comment is required), then
# filed again and approved by the deputy, then delivered.
sg = ["encrypt_or_password", "locked_case"]
r = N.filed("staff1", "transport", {"destination": "本庁舎", "on": day(3), "purpose": "移設"}, pc, sg)
check(r["status"] == "pending" and r["approver_role"] == "security_manager"
      and r["approver_unit"] == U["sec-a1"] and "成田 基準 2(2)⑧イ" in r["decision"]["citations"],
      "成田 transport routing: %r" % r)
xid = r["id"]
check(xid in N.inbox("secmgr") and xid in N.inbox("secmgr2"), "the 管理者 do not see the transport")
check(xid in N.inbox("officer"), "the deputy (情報セキュリティ責任者) does not see the transport")
# The deputy is told of it as well (a request to decide), not only shown it in the inbox.
for who in ["secmgr", "officer"]:
    got = N.c[who].call("GET", "/api/v1/notifications")
    expect(got, 200, "成田: %s's notifications" % who)
    check(any(n["kind"] == "request_to_decide" and n["ref"] == "R-%06d" % xid
              for n in got[2]["items"]), "成田: %s is not told of the transport: %r" % (
                  who, got[2]["items"]))
check(xid not in N.inbox("outsider"), "another department's 管理者 sees the transport")
error(N.c["secmgr"].call("POST", "/api/v1/requests/%d/reject" % xid, {}), 400, "invalid_input",
      "comment", "a rejection without a comment")
r = N.step("secmgr", xid, "reject", {"comment": "施錠できるケースを用意すること"})
check(r["status"] == "rejected" and r["steps"][-1]["comment"] == "施錠できるケースを用意すること",
      "transport rejected: %r" % r)
error(N.c["staff1"].call("POST", "/api/v1/requests/%d/complete" % xid, {"delivered_on": day(3)}),
      409, "conflict", None, "a rejected transport delivered")
r = N.filed("staff1", "transport", {"destination": "本庁舎", "on": day(3), "purpose": "移設"}, pc, sg)
r = N.step("officer", r["id"], "approve", {"comment": "課長不在のため代行"})
check(r["status"] == "approved" and r["as_deputy"] is True and r["decided_by"] == "officer"
      and r["steps"][-1]["as_deputy"] is True, "the deputy is not recorded: %r" % r)
r = N.step("staff1", r["id"], "complete", {"delivered_on": day(3)})
check(r["status"] == "completed" and r["follow_through"]["delivered_on"] == day(3),
      "transport delivered: %r" % r)

# --- provide_external: 基準 2(2)⑨ア・イ 情報セキュリティ管理者の許可, encrypted.
r = N.filed("staff1", "provide_external", {"recipient": "千葉県", "purpose": "統計調査",
                                           "method": "暗号化した電子メール",
                                           "agreement": "統計調査協定"}, pc, ["encrypt_or_password"])
check(r["status"] == "pending" and r["approver_role"] == "security_manager"
      and r["approver_unit"] == U["sec-a1"] and "成田 基準 2(2)⑨イ" in r["decision"]["citations"],
      "成田 provide_external routing: %r" % r)
r = N.step("secmgr2", r["id"], "approve")
r = N.step("staff1", r["id"], "complete", {"provided_on": day(4)})
check(r["status"] == "completed", "provision recorded: %r" % r["status"])

# --- carry_in: 基準 5(4)③イ 外部から取り入れる時はウイルスチェック: no permission, recorded at once.
error(N.file("staff1", "carry_in", {"item": "説明会資料のUSBメモリ", "purpose": "資料の取り込み",
                                    "on": day(1)}, pc, []), 400, "invalid_input",
      "safeguards_confirmed", "the virus check (5(4)③イ) not confirmed")
r = N.filed("staff1", "carry_in", {"item": "説明会資料のUSBメモリ", "purpose": "資料の取り込み",
                                   "on": day(1)}, pc, ["virus_scan"])
check(r["status"] == "approved" and r["approver_role"] is None
      and "成田 基準 5(4)③イ" in r["decision"]["citations"], "成田 carry_in: %r" % r)

# --- copy of 機密性3: 基準 2(1)① 取扱制限「必要以上の複製及び配付禁止」 and 2(2)①イ (the copy is
# managed by the same classification, 2(2)② labelled): no permission, recorded at once.
r = N.filed("staff1", "copy", {"copies": 1, "purpose": "評価会議用", "medium": "暗号化USB"}, top,
            ["label"])
check(r["status"] == "approved" and r["approver_role"] is None
      and "成田 基準 2(2)①イ" in r["decision"]["citations"], "成田 copy of 機密性3: %r" % r)

# --- dispose: 基準 2(2)⑩ウ 情報セキュリティ管理者の許可; ⑩イ the record; ⑩ア/3(1)⑤ erased.
# The 管理者 files it: they cannot approve it themselves; the other 管理者 of the section does.
r = N.filed("secmgr", "dispose", {"method": "物理的破壊", "date": TODAY,
                                  "person_in_charge": "情報 太郎", "operator_company": "廃棄株式会社",
                                  "serial_number": "SN-0001"}, old,
            ["record", "irrecoverable_erase"])
check(r["status"] == "pending" and r["approver_role"] == "security_manager"
      and r["approver_unit"] == U["sec-a1"] and "成田 基準 2(2)⑩ウ" in r["decision"]["citations"],
      "成田 dispose routing: %r" % r)
did = r["id"]
check(did not in N.inbox("secmgr"), "one's own request in one's inbox")
error(N.c["secmgr"].call("POST", "/api/v1/requests/%d/approve" % did, {}), 403, "self_approval",
      None, "approving one's own request")
N.step("secmgr2", did, "approve")
error(N.c["secmgr"].call("POST", "/api/v1/requests/%d/complete" % did, {}), 400, "invalid_input",
      "certificate", "a disposal completed without its certificate")
r = N.step("secmgr", did, "complete", {"certificate": "CERT-N-0001"})
check(r["status"] == "completed", "disposal completed: %r" % r["status"])
a = N.c["ciso"].call("GET", "/api/v1/assets/%d" % old)
check(a[0] == 200 and a[2]["status"] == "disposed" and "CERT-N-0001" in a[2]["disposal_record"],
      "the asset is not marked disposed: %r" % (a[2],))
N.ledger("ciso", "disposal", did, "completed", decided_by="secmgr2", certificate="CERT-N-0001",
         person_in_charge="情報 太郎")

# --- install_software: 基準 5(1)⑮イ 統括情報セキュリティ責任者及び情報システム管理者の許可 (both, in
# that order), the virus check (5(4)③イ).
r = N.filed("staff1", "install_software", {"name": "地図閲覧ソフト", "version": "3.2",
                                           "licence_checked": True}, pc, ["virus_scan"])
check(r["status"] == "pending" and r["approver_role"] == "general_manager"
      and r["approver_unit"] == U["ROOT"], "成田 install_software first approver: %r" % r)
r = N.step("gm", r["id"], "approve")
check(r["status"] == "pending" and r["approver_role"] == "system_manager",
      "成田 install_software second approver: %r" % r)
r = N.step("sysmgr", r["id"], "approve")
check(r["status"] == "approved", "install_software approved by both: %r" % r["status"])

# --- connect_device: 基準 5(1)⑯ア「行ってはならない」イ「業務上…統括情報セキュリティ責任者及び情報
# システム管理者の許可を得なければならない」: an ordinary approval by both; the second rejects.
r = N.filed("staff1", "connect_device", {"device": "USBメモリ", "purpose": "データ移行"}, pc)
check(r["status"] == "pending" and r["approver_role"] == "general_manager"
      and "成田 基準 5(1)⑯イ" in r["decision"]["citations"], "成田 connect_device: %r" % r)
r = N.step("gm", r["id"], "approve")
r = N.step("sysmgr", r["id"], "reject", {"comment": "庁内の共有フォルダで移行すること"})
check(r["status"] == "rejected", "connect_device rejected by the second approver: %r" % r)

# --- use_private_device: 基準 4(1)①カ「私物のパソコン及び記録媒体を執務室内に持ち込んではならない」:
# no proviso, no exception in the article: refused, citing it.
forbidden(N.file("staff1", "use_private_device", {"device": "私物のノートPC", "purpose": "在宅作業"}),
          "成田 基準 4(1)①カ", "成田 私物 (4(1)①カ)")
# 基準 6(5)①: where keeping a rule is difficult, the 情報セキュリティ管理者 may depart from it with
# the CISO's permission (例外措置), whatever the rule: the private device as an exception.
r = N.filed("secmgr", "exception", {"scope": "私物のノートPC1台（災害時の臨時窓口）",
                                    "from": TODAY, "until": day(3),
                                    "measures": "庁内ネットワークに接続しない",
                                    "action": "use_private_device"})
check(r["status"] == "pending" and r["approver_role"] == "ciso" and r["approver_unit"] == U["ROOT"]
      and "成田 基準 4(1)①カ" in r["decision"]["citations"],
      "成田 私物 as an exception (6(5)①): %r" % r)
r = N.step("ciso", r["id"], "approve")
N.ledger("ciso", "exception", r["id"], "approved")

# --- exception: 基準 6(5)① 情報システム管理者 may, with the CISO's permission, depart from a rule
# (理由・範囲・期間・代替措置); ③ the application and result kept (例外措置一覧).
r = N.filed("sysmgr", "exception", {"scope": "窓口端末3台", "from": TODAY, "until": day(30),
                                    "measures": "ログ監視を強化", "action": "connect_network"},
            None, ["virus_scan"])
check(r["status"] == "pending" and r["approver_role"] == "ciso" and r["approver_unit"] == U["ROOT"],
      "成田 exception routing (6(5)①): %r" % r)
eid = r["id"]
check(eid in N.inbox("ciso"), "the CISO does not see the exception")
r = N.step("ciso", eid, "approve", {"comment": "期間内に限り許可"})
check(r["status"] == "approved", "exception approved: %r" % r["status"])
N.ledger("ciso", "exception", eid, "approved", decided_by="ciso")
# 6(5)② 緊急…事後速やかに最高情報セキュリティ責任者に報告: reported afterwards, then reviewed.
r = N.filed("secmgr", "exception", {"scope": "災害対応端末", "from": day(-2), "until": day(5),
                                    "measures": "事後に報告", "emergency": True})
check(r["status"] == "pending" and r["emergency"] is True and r["approver_role"] == "ciso"
      and r["steps"][0]["action"] == "report", "成田 emergency exception (6(5)②): %r" % r)
emid = r["id"]
r = N.step("ciso", emid, "approve", {"comment": "事後報告を確認"})
check(r["status"] == "approved", "emergency exception reviewed: %r" % r["status"])
N.ledger("ciso", "exception", emid, "approved", emergency=True)
# One whose period has ended reads expired, in the request and in the ledger.
r = N.filed("sysmgr", "exception", {"scope": "旧端末", "from": day(-40), "until": day(-10),
                                    "measures": "隔離", "action": "connect_network"}, None,
            ["virus_scan"])
r = N.step("ciso", r["id"], "approve")
check(r["status"] == "expired", "an exception past its period: %r" % r["status"])
N.ledger("ciso", "exception", r["id"], "expired")
error(N.file("sysmgr", "exception", {"scope": "x", "from": day(5), "until": day(1),
                                     "measures": "m"}), 400, "invalid_input", "until",
      "an exception ending before it starts")

# --- zone_entry: 基準 3(2)②ア 管理区域の入退室管理簿: a record, approved at once; exit recorded.
r = N.filed("staff1", "zone_entry", {"zone": "サーバ室", "entered_at": TODAY + " 10:00",
                                     "escort": "sysmgr", "purpose": "機器の確認"})
check(r["status"] == "approved" and r["approver_role"] is None, "成田 zone_entry: %r" % r)
error(N.c["staff1"].call("POST", "/api/v1/requests/%d/complete" % r["id"],
                         {"left_at": TODAY + " 09:00"}), 400, "invalid_input", "left_at",
      "left before entering")
r = N.step("staff1", r["id"], "complete", {"left_at": TODAY + " 11:30"})
check(r["status"] == "completed", "exit recorded: %r" % r["status"])
N.ledger("secmgr", "zone_entry", r["id"], "completed", left_at=TODAY + " 11:30")

# --- key_loan: 基準 3(2)① 管理区域の鍵 (成田 names no 鍵管理簿; the loan is still a record).
r = N.filed("staff1", "key_loan", {"key": "サーバ室の鍵", "lent_on": TODAY})
check(r["status"] == "approved" and r["approver_role"] is None, "成田 key_loan: %r" % r)
error(N.c["staff1"].call("POST", "/api/v1/requests/%d/complete" % r["id"], {}), 400,
      "invalid_input", "returned_on", "a key returned without a day")
r = N.step("staff1", r["id"], "complete", {"returned_on": TODAY})
check(r["status"] == "completed", "key returned: %r" % r["status"])
N.ledger("secmgr", "key_loan", r["id"], "completed", returned_on=TODAY)

# --- mynumber_handling: 成田's 対策基準 names no 特定個人情報 record; the handling is recorded
# at once (番号法) and kept in the 特定個人情報取扱記録.
r = N.filed("staff1", "mynumber_handling", {"affair": "住民税の賦課", "handling": "利用",
                                            "on": TODAY, "records": 12})
check(r["status"] == "approved", "成田 mynumber_handling: %r" % r)
N.ledger("ciso", "mynumber_handling", r["id"], "approved", records=12)

# --- bad input, kind by kind: a 4xx naming the field, nothing written.
before = N.counts("ciso")
for kind, details, field in [
        ("transport", {"destination": "x", "purpose": "p"}, "on"),
        ("provide_external", {"recipient": "x", "purpose": "p"}, "method"),
        ("dispose", {"method": "m", "date": TODAY, "serial_number": "s"}, "person_in_charge"),
        ("install_software", {"name": "x"}, "licence_checked"),
        ("copy", {"copies": 0, "purpose": "p"}, "copies"),
        ("key_loan", {"lent_on": TODAY}, "key"),
        ("mynumber_handling", {"affair": "a", "handling": "h", "on": "2026-02-30"}, "on"),
        ("take_out", {"destination": "x", "from": day(3), "until": day(1), "purpose": "p"}, "until"),
        ("exception", {"scope": "s", "from": day(1), "until": day(2)}, "measures")]:
    error(N.file("staff1", kind, details, pc if kind in ("transport", "provide_external",
                                                         "dispose", "copy", "take_out") else None,
                 ["record"]), 400, "invalid_input", field, "成田 %s without %s" % (kind, field))
error(N.file("staff1", "carry_in", {"item": "x", "purpose": "p", "on": TODAY}, 987654,
             ["virus_scan"]), 404, "not_found", "asset_id", "an unknown asset")
error(N.file("outsider", "take_out", {"destination": "x", "from": day(1), "until": day(1),
                                      "purpose": "p"}, pc, ["record"]), 404, "not_found",
      "asset_id", "an asset of another department")
check(N.counts("ciso") == before, "a refused filing wrote something")

# --- the mail: the server has been unable to reach the SMTP server all along.
queued = sql("SELECT id, mail_to, mail_sent_at FROM notifications WHERE mail_to IS NOT NULL ORDER BY id")
check(len(queued) >= 10 and all(r[2] == "" for r in queued),
      "the mail should wait in the queue while the server is down: %r" % queued)
wait_for(lambda: all(int(r[0]) >= 1 for r in sql("SELECT mail_attempts FROM notifications WHERE mail_to IS NOT NULL")),
         "a failed attempt at every queued mail")
outdir = os.path.join(os.getcwd(), "mail")
sink = subprocess.Popen(["/usr/bin/python3", SINK, str(port), outdir], stdout=subprocess.PIPE,
                        text=True)
check(sink.stdout.readline().strip() == "ready", "the SMTP sink did not start")
wait_for(lambda: all(r[0] != "" for r in sql("SELECT mail_sent_at FROM notifications WHERE mail_to IS NOT NULL")),
         "every queued mail sent once the sink is up")
wait_for(lambda: len(glob.glob(os.path.join(outdir, "*.json"))) >= len(queued),
         "the sink to hold every mail")
mails = sorted(glob.glob(os.path.join(outdir, "*.eml")))
check(len(mails) == len(sql("SELECT id FROM notifications WHERE mail_to IS NOT NULL")),
      "%d mails arrived for %d queued" % (len(mails), len(queued)))
to = sorted({json.load(open(m[:-4] + ".json"))["to"][0] for m in mails})
for who in ["sysmgr", "staff1", "secmgr", "ciso", "gm"]:
    check(who + "@city.example" in to, "no mail reached %s: %r" % (who, to))
for m in mails:
    raw = open(m, "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    text = str(msg["Subject"]) + "\n" + msg.get_content()
    for k, v in SECRET.items():
        check(v not in text and v.encode() not in raw,
              "a mail carries the %s of a 機密性2+ record: %s" % (k, m))
sink.terminate()
sink.wait(timeout=15)
N.stop()

# =============================================================== 八王子
# 指定管理者ガイドライン: the designated manager dm-a (its 情報セキュリティ対策責任者 5(9)ア and its
# 従事者 5(11)) under the city section sec-a1 that oversees it (情報セキュリティ管理者 5(5) and
# 情報システム管理者 5(6), the 課長等), in dept-a (情報セキュリティ責任者 5(4)).
U = build("hachioji",
          [("dept-a", "department", None), ("sec-a1", "section", "dept-a"),
           ("dm-a", "designated_manager", "sec-a1")],
          [("dmstaff", "dm-a", "staff"), ("dmchief", "dm-a", "dm_officer"),
           ("secmgr", "sec-a1", "security_manager"), ("sysmgr", "sec-a1", "system_manager"),
           ("officer", "dept-a", "security_officer"), ("ciso", None, "ciso")])
doc = asset("dm-a", "2", "利用者アンケート", typ="document")
roster = asset("dm-a", "3", "講座受講者名簿", typ="document")
dpc = asset("dm-a", "2", "受付端末")
oldpc = asset("dm-a", "2", "旧受付端末")
leaflet = asset("dm-a", "1", "講座案内チラシ原稿", typ="document")
H = City("八王子", ["dmstaff", "dmchief", "secmgr", "sysmgr", "officer", "ciso"])
HSG = ["encrypt_or_password", "locked_case", "record"]

# --- take_out: 7(7)イ「情報セキュリティ対策責任者の許可をとり、記録を残す」; the 情報セキュリティ管理者
# the 対策責任者 reports to (10(2)) is the deputy: sees it in the inbox and acts, recorded.
r = H.filed("dmstaff", "take_out", {"destination": "市役所", "from": day(1), "until": day(1),
                                    "purpose": "報告書の提出"}, doc, HSG)
check(r["status"] == "pending" and r["approver_role"] == "dm_officer"
      and r["approver_unit"] == U["dm-a"] and "八王子 7(7)イ" in r["decision"]["citations"],
      "八王子 take_out routing: %r" % r)
hid = r["id"]
check(hid in H.inbox("dmchief"), "the 対策責任者 does not see the take-out")
check(hid in H.inbox("secmgr"), "the deputy (情報セキュリティ管理者) does not see the take-out")
check(hid in H.inbox("officer"), "the deputy further up (情報セキュリティ責任者) does not see it")
check(hid not in H.inbox("sysmgr"), "the 情報システム管理者 is no deputy of the 対策責任者")
r = H.step("secmgr", hid, "approve", {"comment": "対策責任者不在のため代行"})
check(r["status"] == "approved" and r["as_deputy"] is True and r["decided_by"] == "secmgr",
      "八王子 deputy not recorded: %r" % r)
check(hid not in H.inbox("dmchief"), "a decided request stays in the inbox")
r = H.step("dmstaff", hid, "complete", {"taken_out_on": day(1)})
r = H.step("dmstaff", hid, "complete", {"returned_on": day(1)})
check(r["status"] == "completed", "八王子 take_out returned: %r" % r["status"])
H.ledger("secmgr", "take_out", hid, "completed", decided_by="secmgr", as_deputy=True)

# --- transport: 7(7)ア・イ the same permission of the 対策責任者 and the record.
r = H.filed("dmstaff", "transport", {"destination": "分館", "on": day(2), "purpose": "展示"}, dpc,
            HSG)
check(r["status"] == "pending" and r["approver_role"] == "dm_officer"
      and "八王子 7(7)ア" in r["decision"]["citations"], "八王子 transport routing: %r" % r)
r = H.step("dmchief", r["id"], "approve")
r = H.step("dmstaff", r["id"], "complete", {"delivered_on": day(2)})
check(r["status"] == "completed", "八王子 transport delivered: %r" % r["status"])

# --- provide_external: 7(8)ア「許可をとり、記録を残す」 for 機密性2, the 対策責任者; rejected with
# a comment. 機密性3: 7(3) 原則として外部提供禁止: not as an ordinary request.
r = H.filed("dmstaff", "provide_external", {"recipient": "協力団体", "purpose": "共催事業",
                                            "method": "手渡し"}, doc, HSG)
check(r["status"] == "pending" and r["approver_role"] == "dm_officer"
      and "八王子 7(8)ア" in r["decision"]["citations"], "八王子 provide_external: %r" % r)
r = H.step("dmchief", r["id"], "reject", {"comment": "協定の締結後に再申請"})
check(r["status"] == "rejected", "八王子 provision rejected: %r" % r["status"])
forbidden(H.file("dmstaff", "provide_external", {"recipient": "協力団体", "purpose": "共催",
                                                 "method": "手渡し"}, roster, HSG),
          "八王子 7(3)", "八王子 provision of 機密性3 (7(3))")

# --- carry_in: 10(8) 持ち込みの記録 (of equipment; 17(3)'s virus check is about data and
# software, not a terminal): recorded at once.
r = H.filed("dmstaff", "carry_in", {"item": "講師持参のノートPC", "purpose": "講座資料の投影",
                                    "on": day(1)}, dpc, ["record"])
check(r["status"] == "approved" and r["approver_role"] is None
      and "八王子 10(8)" in r["decision"]["citations"], "八王子 carry_in: %r" % r)

# --- copy: 7(3)「機密性3…原則として複製禁止…やむを得ず複製する場合は対策責任者が許可」: forbidden
# as a copy, filed as an exception to the 対策責任者 (the 例外措置一覧); 機密性2 copies freely (7(1)).
forbidden(H.file("dmstaff", "copy", {"copies": 1, "purpose": "控え"}, roster,
                 ["encrypt_or_password"]), "八王子 7(3)", "八王子 copy of 機密性3")
r = H.filed("dmstaff", "copy", {"copies": 2, "purpose": "配布"}, doc, [])
check(r["status"] == "approved" and "八王子 7(1)" in r["decision"]["citations"],
      "八王子 copy of 機密性2: %r" % r)
r = H.filed("dmstaff", "exception", {"scope": "名簿の複製1部", "from": TODAY, "until": day(10),
                                     "measures": "暗号化して施錠保管", "action": "copy"}, roster,
            ["encrypt_or_password"])
check(r["status"] == "pending" and r["approver_role"] == "dm_officer"
      and r["approver_unit"] == U["dm-a"], "八王子 copy as an exception (7(3)): %r" % r)
r = H.step("dmchief", r["id"], "approve")
check(r["status"] == "approved", "八王子 exception approved: %r" % r["status"])
# The guideline has no 例外措置 taken first and reported afterwards (成田 6(5)② has): refused.
before = H.counts("ciso")
error(H.file("dmstaff", "exception", {"scope": "名簿の複製", "from": TODAY, "until": day(1),
                                      "measures": "暗号化", "action": "copy", "emergency": True},
             roster, ["encrypt_or_password"]), 400, "invalid_input", "emergency",
      "八王子 an emergency exception reported afterwards")
check(H.counts("ciso") == before, "a refused emergency exception wrote something")
H.ledger("secmgr", "exception", r["id"], "approved", decided_by="dmchief")

# --- dispose of equipment: 7(9)イ the record, 15(1)ク erased and, when outsourced, the
# certificate; 7(9)ア erased: no permission named, recorded at once; the certificate marks the
# asset disposed.
r = H.filed("dmstaff", "dispose", {"method": "物理的破壊", "date": TODAY,
                                   "person_in_charge": "受付 花子",
                                   "operator_company": "廃棄処理株式会社",
                                   "serial_number": "HX-2231"}, oldpc,
            ["record", "irrecoverable_erase", "disposal_certificate"])
check(r["status"] == "approved" and r["approver_role"] is None
      and "八王子 15(1)ク" in r["decision"]["citations"], "八王子 dispose: %r" % r)
r = H.step("dmstaff", r["id"], "complete", {"certificate": "溶解証明 H-77"})
check(r["status"] == "completed", "八王子 disposal completed: %r" % r["status"])
a = H.c["ciso"].call("GET", "/api/v1/assets/%d" % oldpc)
check(a[2]["status"] == "disposed", "八王子 asset not disposed: %r" % a[2])
H.ledger("secmgr", "disposal", r["id"], "completed", certificate="溶解証明 H-77")

# --- install_software: 16(10)「導入を行わないこと。ただし、…情報セキュリティ管理者又は情報システム
# 管理者の許可を得て」: an ordinary approval (not a 例外措置), up the chain to the section.
r = H.filed("dmstaff", "install_software", {"name": "会計ソフト", "licence_checked": True}, dpc,
            ["virus_scan"])
check(r["status"] == "pending" and r["approver_role"] == "security_manager"
      and r["approver_unit"] == U["sec-a1"] and "八王子 16(10)" in r["decision"]["citations"],
      "八王子 install_software (16(10) ただし): %r" % r)
# 「又は」: the 情報システム管理者 may decide it as well, and so sees it in the inbox and is told
# of it (a request to decide, R-NNNNNN), as is the 管理者.
check(r["id"] in H.inbox("secmgr") and r["id"] in H.inbox("sysmgr"),
      "八王子 install_software is not in both inboxes of 16(10)")
for who in ["secmgr", "sysmgr"]:
    got = H.c[who].call("GET", "/api/v1/notifications")
    expect(got, 200, "八王子: %s's notifications" % who)
    check(any(n["kind"] == "request_to_decide" and n["ref"] == "R-%06d" % r["id"]
              for n in got[2]["items"]), "八王子: %s is not told of the install_software: %r" % (
                  who, got[2]["items"]))
r = H.step("sysmgr", r["id"], "approve")
check(r["status"] == "approved" and r["as_deputy"] is False and r["decided_by"] == "sysmgr",
      "16(10) approved: %r" % r)
check(r["id"] not in H.inbox("secmgr"), "a decided request stays in the inbox")

# --- connect_device: 16(5)「使用を開始する前に、情報セキュリティ管理者に申請し、情報セキュリティ
# 管理者は、情報セキュリティ総括責任者に協議すること」: the 管理者, then the 総括 (デジタル推進室長,
# city-wide). With no 総括 appointed yet the request cannot be routed: refused at filing, naming
# the role, nothing written; once one is, it goes to both in turn.
before = H.counts("ciso")
got = H.file("dmstaff", "connect_device", {"device": "外付けHDD", "purpose": "バックアップ"}, dpc)
e = error(got, 409, "conflict", None, "八王子 connect_device with no 総括 in the chain")
check("general_manager" in e["message"], "the refusal does not name the role: %r" % e)
check(H.counts("ciso") == before, "a refused filing wrote something")
sk("user", "add", "--db", DB, "--login", "gm", "--name", "gm", "--unit",
   json.loads(sk("org", "list", "--db", DB, "--json"))[0]["code"], "--role",
   "general_manager", "--password-stdin", stdin=password_for("gm") + "\n")
H.c["gm"] = Client(H.srv)
expect(H.c["gm"].login("gm"), 200, "八王子: login gm")
r = H.filed("dmstaff", "connect_device", {"device": "外付けHDD", "purpose": "バックアップ"}, dpc)
check(r["status"] == "pending" and r["approver_role"] == "security_manager"
      and r["approver_unit"] == U["sec-a1"] and "八王子 16(5)" in r["decision"]["citations"],
      "八王子 connect_device: %r" % r)
r = H.step("secmgr", r["id"], "approve", {"comment": "総括に協議済み"})
check(r["status"] == "pending" and r["approver_role"] == "general_manager"
      and r["approver_unit"] == U["ROOT"], "八王子 connect_device second approver: %r" % r)
r = H.step("gm", r["id"], "reject", {"comment": "市の貸与媒体を使うこと"})
check(r["status"] == "rejected", "八王子 connect_device rejected: %r" % r["status"])

# --- use_private_device: 10(7)「…以外のパソコン等の利用は原則として禁止する。ただし、情報セキュリティ
# 管理者の許可を得た場合はこの限りではない」: 原則禁止, so only as an exception, to the 管理者, and
# only for 機密性1: for 機密性2 and 3, and for information not named, 7(1)「私物の端末による作業禁止」
# (no 原則, no exception) refuses it outright.
forbidden(H.file("dmstaff", "use_private_device", {"device": "私物タブレット", "purpose": "受付"},
                 leaflet), "八王子 10(7)", "八王子 私物 outside the exception path (10(7))")
forbidden(H.file("dmstaff", "exception", {"scope": "私物タブレット1台", "from": TODAY,
                                          "until": day(7), "measures": "保存しない",
                                          "action": "use_private_device"}),
          "八王子 7(1)", "八王子 私物 exception for information not named (7(1))")
r = H.filed("dmstaff", "exception", {"scope": "私物タブレット1台", "from": TODAY, "until": day(7),
                                     "measures": "業務データを保存しない",
                                     "action": "use_private_device"}, leaflet)
check(r["status"] == "pending" and r["approver_role"] == "security_manager"
      and r["approver_unit"] == U["sec-a1"], "八王子 私物 as an exception (10(7)): %r" % r)
r = H.step("secmgr", r["id"], "approve")
H.ledger("officer", "exception", r["id"], "approved")
forbidden(H.file("dmstaff", "use_private_device", {"device": "私物PC", "purpose": "名簿整理"}, dpc),
          "八王子 7(1)", "八王子 私物 with 機密性2 (7(1))")

# --- zone_entry: 8(5) 入退室の記録; key_loan: 8(7) 鍵管理簿; mynumber_handling: 7(6)ク 取扱記録.
r = H.filed("dmstaff", "zone_entry", {"zone": "サーバ室", "entered_at": TODAY + " 13:00",
                                      "escort": "dmchief"})
r = H.step("dmstaff", r["id"], "complete", {"left_at": TODAY + " 13:20"})
H.ledger("secmgr", "zone_entry", r["id"], "completed", escort="dmchief")
r = H.filed("dmstaff", "key_loan", {"key": "書庫の鍵", "borrower": "dmstaff", "lent_on": TODAY})
r = H.step("dmstaff", r["id"], "complete", {"returned_on": TODAY})
H.ledger("secmgr", "key_loan", r["id"], "completed", key="書庫の鍵")
r = H.filed("dmstaff", "mynumber_handling", {"affair": "利用料の減免", "handling": "利用",
                                             "on": TODAY})
check(r["status"] == "approved", "八王子 mynumber_handling: %r" % r)
H.ledger("ciso", "mynumber_handling", r["id"], "approved", affair="利用料の減免")
H.stop()

# =============================================================== 世田谷
# 情報セキュリティ対策基準 抜粋: the section's staff; the 情報システム管理者 (9(3)ウ③) at the section,
# the CISO補佐 and the CISO at the root.
U = build("setagaya",
          [("dept-a", "department", None), ("sec-a1", "section", "dept-a")],
          [("staff1", "sec-a1", "staff"), ("sysmgr", "sec-a1", "system_manager"),
           ("gm", None, "general_manager"), ("ciso", None, "ciso")])
spc = asset("sec-a1", "II", "窓口端末")
S = City("世田谷", ["staff1", "sysmgr", "gm", "ciso"])
# provide_external: 9(1)タ 暗号化: allowed with the safeguard, recorded at once.
r = S.filed("staff1", "provide_external", {"recipient": "委託先", "purpose": "保守",
                                           "method": "暗号化した媒体"}, spc, ["encrypt_or_password"])
check(r["status"] == "approved" and "世田谷 9(1)タ" in r["decision"]["citations"],
      "世田谷 provide_external: %r" % r)
r = S.step("staff1", r["id"], "complete", {"provided_on": TODAY})
check(r["status"] == "completed", "世田谷 provision recorded: %r" % r["status"])
# install_software: 9(3)ウ③(b) 情報システム管理者 removes software not permitted: its permission;
# the CISO補佐 the 管理者 reports to is the deputy, and sees it.
r = S.filed("staff1", "install_software", {"name": "翻訳ソフト", "licence_checked": True}, spc)
check(r["status"] == "pending" and r["approver_role"] == "system_manager"
      and r["approver_unit"] == U["sec-a1"] and "世田谷 9(3)ウ③(b)" in r["decision"]["citations"],
      "世田谷 install_software routing: %r" % r)
check(r["id"] in S.inbox("sysmgr") and r["id"] in S.inbox("gm"),
      "世田谷: the 情報システム管理者 or the deputy does not see it")
r = S.step("sysmgr", r["id"], "approve")
check(r["status"] == "approved", "世田谷 install_software approved: %r" % r["status"])
# dispose: 9(3)キ① 復元できないよう消去: recorded at once; the certificate marks it disposed.
r = S.filed("staff1", "dispose", {"method": "データ消去", "date": TODAY, "person_in_charge": "区 一郎"},
            spc, ["irrecoverable_erase"])
check(r["status"] == "approved" and "世田谷 9(3)キ①" in r["decision"]["citations"],
      "世田谷 dispose: %r" % r)
r = S.step("staff1", r["id"], "complete", {"certificate": "S-CERT-1"})
S.ledger("ciso", "disposal", r["id"], "completed")
# The seed excerpt says nothing of private devices: the strictest rule applies and says so.
forbidden(S.file("staff1", "use_private_device", {"device": "私物PC", "purpose": "在宅"}),
          "世田谷 (no rule; strictest applied)", "世田谷 私物 (silent: strictest)")
# Records: zone entry, key loan and 特定個人情報 handling, kept in their ledgers.
r = S.filed("staff1", "zone_entry", {"zone": "電算室", "entered_at": TODAY + " 09:00"})
r = S.step("staff1", r["id"], "complete", {"left_at": TODAY + " 09:45"})
S.ledger("ciso", "zone_entry", r["id"], "completed")
r = S.filed("staff1", "key_loan", {"key": "電算室の鍵", "lent_on": TODAY})
S.ledger("ciso", "key_loan", r["id"], "approved")
r = S.filed("staff1", "mynumber_handling", {"affair": "住民記録", "handling": "提供", "on": TODAY})
S.ledger("ciso", "mynumber_handling", r["id"], "approved")
S.stop()
print("every request kind: ok")
