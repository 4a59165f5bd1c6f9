"""Ledgers over HTTP (issue #13 part 3): GET /api/v1/ledgers/{name}?format=json|csv|xlsx.

A Hachioji installation (八王子市 指定管理者ガイドライン) built with the CLI: a designated manager's
take-out of a 機密性3 list, approved by its 情報セキュリティ対策責任者 (7(7)イ: 許可をとり、記録を
残す), read as the 持ち出し記録. Expectations, written here:
- the JSON listing is scoped (the 情報セキュリティ管理者 of the designated manager's department
  reads it, the one of another department reads no row), withholds the 機密性3 storage location
  and is not an audit entry;
- the CSV (UTF-8, UTF-8 with BOM, CP932) and .xlsx exports carry Japanese headings, are sent as
  attachments with a file name, carry the location and are each one `ledger.export` entry;
- a character CP932 cannot hold fails the export (400) and records nothing;
- bad filters name the parameter; an unknown ledger is 404; a filer without ledger.read is 403;
- the audit log verifies at the end.
"""
import http.client
import io
import json
import re
import subprocess
import urllib.parse
import zipfile

from sktest import BIN, DB, KEY, Client, Server, check, expect, fail, password_for, sk

HEAD = ("申請番号,状態,申請日時,申請者,所属コード,所属,情報資産,名称・型番,機密性,保管場所,理由,"
        "持ち出し先,持ち出し日,返却予定日,目的,持ち出す物,持ち出した日,返却日,"
        "承認者の役職,承認者,代行,決裁日時,完了日時,経過")

out = sk("init", "--db", DB, "--profile", "hachioji", "--admin", "chief", "--key", KEY)
check(re.search(r"temporary password", out), "init printed no temporary password")
root = json.loads(sk("org", "list", "--db", DB, "--json"))[0]["code"]
for code, kind, parent in [("dept-a", "department", root), ("dm-a", "designated_manager", "dept-a"),
                           ("dept-b", "department", root)]:
    sk("org", "add", "--db", DB, "--code", code, "--name", code.upper(), "--kind", kind,
       "--parent", parent)
for login, unit, role in [("dmstaff", "dm-a", "staff"), ("dmchief", "dm-a", "dm_officer"),
                          ("mgr-a", "dept-a", "security_manager"),
                          ("mgr-b", "dept-b", "security_manager"), ("ciso", root, "ciso")]:
    sk("user", "add", "--db", DB, "--login", login, "--name", login, "--unit", unit, "--role",
       role, "--password-stdin", stdin=password_for(login) + "\n")
top = json.loads(sk("asset", "add", "--db", DB, "--unit", "dm-a", "--type", "document", "--name",
                    "講座受講者名簿", "--conf", "3", "--integ", "2", "--avail", "1", "--manager",
                    "センター長", "--zone", "internet", "--location", "事務室の施錠書庫",
                    "--json"))["id"]

srv = Server()
C = {}
for login in ["dmstaff", "dmchief", "mgr-a", "mgr-b", "ciso"]:
    C[login] = Client(srv)
    expect(C[login].login(login), 200, "login " + login)

SG = ["encrypt_or_password", "locked_case", "record"]
got = C["dmstaff"].call("POST", "/api/v1/requests", {
    "kind": "take_out", "asset_id": top, "reason": "出張講座", "safeguards_confirmed": SG,
    "details": {"destination": "分館", "from": "2026-12-10", "until": "2026-12-11",
                "purpose": "出張講座の受付"}})
expect(got, 201, "take_out filed")
rid = got[2]["id"]
expect(C["dmchief"].call("POST", "/api/v1/requests/%d/approve" % rid, {"comment": "了承"}), 200,
       "approved by the 対策責任者")


def exports():
    st, _, entries = C["ciso"].call("GET", "/api/v1/audit?limit=1000")
    expect((st, None, entries), 200, "audit list")
    return sum(1 for e in entries if e["action"] == "ledger.export")


def get_bytes(c, path):
    """The raw answer (status, headers, bytes): the exports are not text in every encoding."""
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=30)
    conn.request("GET", path, headers={"Cookie": c.cookie})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


# The listing: scoped, 機密性3 location withheld, not recorded.
n0 = exports()
got = C["mgr-a"].call("GET", "/api/v1/ledgers/take_out")
expect(got, 200, "the 持ち出し記録 as the 情報セキュリティ管理者 of dept-a")
check(got[2]["title"] == "持ち出し記録", "title %r" % got[2]["title"])
check([c["ja"] for c in got[2]["columns"]] == HEAD.split(","), "columns %r" % got[2]["columns"])
row = got[2]["rows"][0]
check(row["id"] == rid and row["decided_by"] == "dmchief" and row["destination"] == "分館",
      "row %r" % row)
check(row["asset_location"] is None and row.get("details_withheld") is True,
      "the listing shows a 機密性3 location: %r" % row)
got = C["mgr-b"].call("GET", "/api/v1/ledgers/take_out")
expect(got, 200, "the 持ち出し記録 as the 情報セキュリティ管理者 of dept-b")
check(got[2]["rows"] == [], "dept-b's manager reads dept-a's take-out: %r" % got[2]["rows"])
expect(C["dmstaff"].call("GET", "/api/v1/ledgers/take_out"), 403, "a filer has no ledger.read")
expect(C["mgr-a"].call("GET", "/api/v1/ledgers/nosuch"), 404, "an unknown ledger")
for q, name in [("status=done", "status"), ("from=2026-12-10&until=2026-12-01", "until"),
                ("format=pdf", "format"), ("encoding=cp932", "encoding"), ("asset=x", "asset")]:
    got = C["mgr-a"].call("GET", "/api/v1/ledgers/take_out?" + q)
    expect(got, 400, "bad " + q)
    err = got[2]["error"]
    check(err.get("field") == name or name in err["message"], "%s: %r" % (q, err))
check(exports() == n0, "a listing was recorded as an export")

# The exports: headings, attachment, location, one entry each.
for enc, prefix, charset in [("utf-8", b"", "utf-8"), ("utf-8-bom", b"\xef\xbb\xbf", "utf-8"),
                             ("cp932", b"", "Shift_JIS")]:
    st, h, data = get_bytes(C["mgr-a"], "/api/v1/ledgers/take_out?format=csv&encoding=" + enc)
    check(st == 200, "csv %s: %d %r" % (enc, st, data[:200]))
    check(h["content-type"] == "text/csv; charset=" + charset, "content-type %r" % h)
    check(re.match(r'attachment; filename="take_out-(\d{4}-\d{2}-\d{2})\.csv"; '
                   r"filename\*=UTF-8''" + re.escape(urllib.parse.quote("持ち出し記録")) +
                   r"-\d{4}-\d{2}-\d{2}\.csv$", h.get("content-disposition", "")),
          "disposition %r" % h)
    want = prefix + (HEAD + "\r\n").encode("cp932" if enc == "cp932" else "utf-8")
    check(data.startswith(want), "csv %s headings: %r" % (enc, data[:120]))
    codec = "cp932" if enc == "cp932" else "utf-8-sig"
    text = data.decode(codec)
    check("事務室の施錠書庫" in text and "了承" in text, "csv %s rows: %r" % (enc, text))
st, h, data = get_bytes(C["mgr-a"], "/api/v1/ledgers/take_out?format=xlsx")
check(st == 200 and h["content-type"].startswith("application/vnd.openxmlformats"),
      "xlsx: %d %r" % (st, h))
check(re.search(r'filename="take_out-[0-9-]+\.xlsx"', h.get("content-disposition", ""))
      and h["content-disposition"].endswith(".xlsx"), "xlsx disposition %r" % h)
z = zipfile.ZipFile(io.BytesIO(data))
xml = "".join(z.read(n).decode() for n in z.namelist()
              if n in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"))
for head in HEAD.split(","):
    check(head in xml, "xlsx heading %s missing" % head)
check("事務室の施錠書庫" in xml, "xlsx row missing")
check(exports() == n0 + 4, "each export is one ledger.export entry: %d" % (exports() - n0))
st, h, data = get_bytes(C["mgr-b"], "/api/v1/ledgers/take_out?format=csv")
check(st == 200 and data.decode("utf-8").strip() == HEAD, "dept-b exports no row: %r" % data)

# CP932 lacks 𠮷: the export fails and is not recorded; UTF-8 still carries it.
got = C["dmstaff"].call("POST", "/api/v1/requests", {
    "kind": "take_out", "asset_id": top, "reason": "𠮷田さんへの届け物", "safeguards_confirmed": SG,
    "details": {"destination": "分館", "from": "2026-12-12", "until": "2026-12-12",
                "purpose": "届け物"}})
expect(got, 201, "a take-out naming 𠮷")
n1 = exports()
st, h, data = get_bytes(C["mgr-a"], "/api/v1/ledgers/take_out?format=csv&encoding=cp932")
check(st == 400, "a CP932 export of 𠮷: %d %r" % (st, data[:200]))
check(exports() == n1, "a failed export was recorded")
st, h, data = get_bytes(C["mgr-a"], "/api/v1/ledgers/take_out?format=csv&encoding=utf-8")
check(st == 200 and "𠮷" in data.decode("utf-8"), "the UTF-8 export")
srv.stop()
r = subprocess.run([BIN, "audit", "verify", "--db", DB], capture_output=True, text=True)
check(r.returncode == 0, "audit verify failed: %s %s" % (r.stdout, r.stderr))
print("ledgers over HTTP: ok")
