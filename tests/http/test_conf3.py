"""機密性3 details in the history and the audit list (SPEC C4, C9 アクセス記録).

The single read of a 機密性3 asset (GET /api/v1/assets/{id}) is handed out
only once an "asset.read" entry is on record. Its history and the audit
entries hold the same details in their before/after images, so:
- GET /api/v1/audit withholds them (location, note, disposal_operator,
  disposal_record null, "details_withheld": true), for every reader;
- GET /api/v1/assets/{id}/history and `sekisho asset history` hand them
  out only after recording the read, as the single read does.
A 機密性2 asset is shown in full and its reads are not recorded.
"""
import json
import urllib.parse

from sktest import City, Client, Server, check, expect, sk, DB

SECRET, SECRET2, NOTE = "金庫室A-secret", "金庫室B-secret", "note-secret"

city = City()
out = sk("asset", "add", "--db", DB, "--unit", "sec-a1", "--type", "document", "--name",
         "給与台帳", "--conf", "3", "--integ", "2", "--avail", "1", "--manager", "課長",
         "--zone", "lgwan", "--location", SECRET, "--note", NOTE, "--json")
top = json.loads(out)["id"]
sk("asset", "update", "--db", DB, str(top), "--location", SECRET2)
low = city.asset["sec-a1"]  # 機密性2
sk("asset", "update", "--db", DB, str(low), "--location", "書庫-open")

srv = Server()
ciso, auditor, mgr = Client(srv), Client(srv), Client(srv)
for c, who in [(ciso, "u-ciso"), (auditor, "u-auditor"), (mgr, "u-security-manager")]:
    expect(c.login(who), 200, "login " + who)


def reads_recorded(asset_id):
    st, _, entries = ciso.call("GET", "/api/v1/audit?limit=1000")
    expect((st, None, entries), 200, "audit list")
    return sum(1 for e in entries
               if e["object"] == "asset:%d" % asset_id and e["action"] == "asset.read")


# The audit list: withheld for everyone who may read it, the CISO included.
reads_before = reads_recorded(top)
for c, who in [(ciso, "ciso"), (auditor, "auditor"), (mgr, "security_manager")]:
    got = c.call("GET", "/api/v1/audit?limit=1000")
    expect(got, 200, "audit list as " + who)
    text = json.dumps(got[2], ensure_ascii=False)
    check(SECRET not in text and SECRET2 not in text and NOTE not in text,
          "the audit list shows a 機密性3 detail to " + who)
    mine = [e for e in got[2] if e["object"] == "asset:%d" % top]
    check(len(mine) >= 2, "%s sees %d entries of the 機密性3 asset" % (who, len(mine)))
    for e in mine:
        for img in (e["before"], e["after"]):
            if img:
                check(img.get("details_withheld") is True and img["location"] is None
                      and img["note"] is None, "%s: image not withheld: %r" % (who, img))
                check(img["name"] == "給与台帳", "the rest of the image is kept")
    check("書庫-open" in text, "a 機密性2 asset's details are withheld too")
check(reads_recorded(top) == reads_before, "listing the audit log recorded a read")

# The history: handed out in full only with the read on record.
before = reads_recorded(top)
got = mgr.call("GET", "/api/v1/assets/%d/history" % top)
expect(got, 200, "history of the 機密性3 asset")
text = json.dumps(got[2], ensure_ascii=False)
check(SECRET in text and SECRET2 in text, "the history shows the details once recorded")
check(reads_recorded(top) == before + 1, "the history's read was not recorded")
st, _, entries = ciso.call("GET", "/api/v1/audit?limit=1000")
last = [e for e in entries if e["object"] == "asset:%d" % top][-1]
check(last["action"] == "asset.read" and last["actor"] == "u-security-manager",
      "the recorded read names its reader: %r" % last)

# The CLI's history records its read too (as the CLI operator).
before = reads_recorded(top)
out = sk("asset", "history", "--db", DB, str(top), "--json")
check(SECRET2 in out, "sekisho asset history shows the details")
check(reads_recorded(top) == before + 1, "sekisho asset history did not record its read")

# A 機密性2 asset: shown in full, no read recorded.
got = mgr.call("GET", "/api/v1/assets/%d/history" % low)
expect(got, 200, "history of the 機密性2 asset")
check("書庫-open" in json.dumps(got[2], ensure_ascii=False), "機密性2 history withheld")
check(reads_recorded(low) == 0, "a 機密性2 history recorded a read")

# Issue #12 finding 1: search must not reach what a listing withholds. Searching for a piece
# of the 機密性3 asset's location or note finds nothing, while the same kind of search finds the
# 機密性2 asset by its location; a search by name still finds the 機密性3 asset.
def search(c, text):
    got = c.call("GET", "/api/v1/assets?q=" + urllib.parse.quote(text))
    expect(got, 200, "search %r" % text)
    return [a["id"] for a in got[2]]


for piece in [SECRET2[:2], SECRET2, NOTE[:3]]:
    for c, who in [(ciso, "ciso"), (mgr, "security_manager")]:
        check(top not in search(c, piece),
              "search %r as %s finds the 機密性3 asset by a withheld detail" % (piece, who))
check(low in search(mgr, "書庫-open"), "search no longer finds a 機密性2 asset by its location")
check(top in search(mgr, "給与台帳"), "search by name no longer finds the 機密性3 asset")

# Out of scope: 404, and nothing recorded.
outside = city.add_asset("sec-b1", conf="3")
before = reads_recorded(outside)
expect(mgr.call("GET", "/api/v1/assets/%d/history" % outside), 404, "history out of scope")
check(reads_recorded(outside) == before, "an out-of-scope history recorded a read")
print("機密性3 history and audit list: details withheld unless the read is recorded")
srv.stop()
