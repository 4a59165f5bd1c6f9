"""The CLI and the API answer the same workflow questions the same way (issue #13).

One request, the organization check and a ledger are read through both doors and the answers
compared: the CLI with --json (the operator, or --as the account), the API as the same
account or one holding the same scope (the CISO, at the root).
"""
import json
import subprocess

from sktest import BIN, City, Client, Server, DB, check, expect, sk

city = City()
srv = Server()
staff = Client(srv)
expect(staff.login(city.login["staff"]), 200, "staff login")
ciso = Client(srv)
expect(ciso.login(city.login["ciso"]), 200, "ciso login")

# A request filed through the API (入退室: a record the 八王子 guideline keeps, 13).
got = staff.call("POST", "/api/v1/requests", {
    "kind": "zone_entry", "reason": "サーバ室の点検",
    "details": {"zone": "サーバ室", "entered_at": "2026-12-01 10:00"}})
expect(got, 201, "file a zone entry")
rid = got[2]["id"]

# The same request through both doors, as its requester.
api = staff.call("GET", "/api/v1/requests/%d" % rid)
expect(api, 200, "the request over the API")
cli = json.loads(sk("request", "show", "--db", DB, "--as", city.login["staff"], "--json",
                    str(rid)))
check(cli == api[2], "request %d: the CLI shows %r, the API %r" % (rid, cli, api[2]))

# The requester's own list: the same requests in the same order.
api = staff.call("GET", "/api/v1/requests?box=mine")
expect(api, 200, "my requests over the API")
cli = json.loads(sk("request", "list", "--db", DB, "--as", city.login["staff"], "--box",
                    "mine", "--json"))
check(cli == api[2], "box=mine: the CLI lists %r, the API %r" % (cli, api[2]))

# The organization check: the CISO (org.admin at the root, so every unit) through the CLI and
# through the API.
api = ciso.call("GET", "/api/v1/org/check")
expect(api, 200, "org check over the API")
r = subprocess.run([BIN, "--as", city.login["ciso"], "org", "check", "--db", DB, "--json"],
                   capture_output=True, text=True)
check(r.returncode in (0, 1), "org check exited %d: %s" % (r.returncode, r.stderr))
cli = json.loads(r.stdout)
check(cli == api[2], "org check: the CLI says %r, the API %r" % (cli, api[2]))
check((r.returncode == 0) == cli["ok"], "org check: exit %d for ok=%r" % (r.returncode,
                                                                        cli["ok"]))

# A ledger: the operator through the CLI, the CISO (ledger.read at the root) through the API.
api = ciso.call("GET", "/api/v1/ledgers/zone_entry?format=json")
expect(api, 200, "the entry ledger over the API")
cli = json.loads(sk("ledger", "list", "zone_entry", "--db", DB, "--json"))
check(cli == api[2], "ledger zone_entry: the CLI lists %r, the API %r" % (cli, api[2]))
check(any(row.get("id") == rid or row.get("request_id") == rid
          for row in (api[2]["rows"] if isinstance(api[2], dict) and "rows" in api[2]
                      else api[2])),
      "the filed entry is not in the ledger: %r" % api[2])
# The third door: the web UI's home page lists the requester's own request, in Japanese by
# default, with the kind's name from the field schema (入退室) and nothing of its details.
page = staff.raw("GET", "/", headers={"Accept-Language": "ja"})
expect(page, 200, "the home page")
check("R-%06d" % rid in page[2] and "入退室" in page[2],
      "the home page does not list request %d: %s" % (rid, page[2][:2000]))
check("サーバ室の点検" not in page[2], "the home page shows the request's reason")
# Its status as the API gives it, in the page's words (the UI's catalog).
JA_STATUS = {"pending": "承認待ち", "approved": "承認済み", "completed": "完了"}
status = got[2]["status"]
line = [l for l in page[2].splitlines() if "R-%06d" % rid in l]
check(line and JA_STATUS[status] in line[0] and status not in line[0],
      "the home page's line for request %d does not say %s in Japanese: %r"
      % (rid, status, line))
srv.stop()
print("workflow doors: the request, the requester's list, the org check and a ledger agree")
