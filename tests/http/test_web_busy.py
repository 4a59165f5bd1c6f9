"""The web UI's slow work runs off the event loops, behind bounded queues (issue #12 finding 7,
issue #14): a full queue answers at once with the "busy" page, 503 and Retry-After, instead of
stalling every connection of a loop.

1. The web login's argon2id goes to the API's login workers (32 may wait): 120 simultaneous
   POST /login find the queue full; each refused one is the busy page in the reader's language.
   Were the login run on the loop, every one would wait its turn and none would be refused.
2. The register's export (and import, ledger export, audit verification and an entry's proof)
   goes to the page workers (8 may wait): 40 simultaneous .xlsx exports of a 3,000-asset
   register find that queue full too; every export answered is one asset.export entry, a
   refused one writes nothing. After each flood the page works again.
"""
import json
import os
import re
import threading
from urllib.parse import urlencode

from sktest import City, Client, Server, DB, check, sk

city = City()
# A register large enough that one .xlsx export keeps a worker busy for a while.
path = os.path.join(os.getcwd(), "big.csv")
with open(path, "w", encoding="utf-8") as f:
    f.write("unit,type,name,conf,integ,avail,manager,zone\n")
    for i in range(3000):
        f.write("sec-a1,document,register doc %d,2,2,1,mgr,lgwan\n" % i)
sk("asset", "import", "--db", DB, path)

BUSY = {"ja": "ただいま処理が混み合っています。数秒後にもう一度お試しください。",
        "en": "Many requests are being handled just now. Try again in a few seconds."}


def audit_count(action):
    out = sk("audit", "tail", "--db", DB, "--count", "100000", "--json")
    return len([e for e in json.loads(out) if e["action"] == action])


def login_form(c, lang):
    """The login form's token and its cookie (the double-submit pair of pages.c)."""
    st, hd, body = c.raw("GET", "/login", None, {"Accept-Language": lang})
    check(st == 200, "GET /login: %d" % st)
    token = re.search(r'name="csrf" value="([^"]+)"', body).group(1)
    return token, hd["set-cookie"].split(";")[0]


def web_login(c, login, password, token, cookie, lang="ja"):
    body = urlencode({"login": login, "password": password, "csrf": token}).encode()
    return c.raw("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded",
                                          "Cookie": cookie, "Accept-Language": lang})


def flood(n, prepare, send):
    """n clients, each prepared on its own connection, then sending at once."""
    got = [None] * n
    go = threading.Barrier(n)

    def one(i):
        c = Client(srv)
        c.conn.connect()
        state = prepare(c, i)
        go.wait()
        got[i] = send(c, i, state)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return got


def check_busy(got, what):
    codes = [g[0] for g in got]
    busy = [g for g in got if g[0] == 503]
    check(busy, "%s: %d simultaneous requests never found the queue full: %r" % (
        what, len(got), sorted(set(codes))))
    for st, hd, body, lang in busy:
        check(hd.get("retry-after", "").isdigit(), "%s: a 503 without Retry-After" % what)
        check(hd.get("content-type", "").startswith("text/html"), "%s: the 503 is no page" % what)
        check(BUSY[lang] in body and ('lang="%s"' % lang) in body,
              "%s: the busy page is not in %s: %s" % (what, lang, body[:300]))
    return codes


srv = Server("--login-throttle", "0", "--max-connections-per-client", "1000")

# ---------------------------------------------------------------- 1. the web login
N = 120


def prep_login(c, i):
    lang = "en" if i % 2 else "ja"
    return lang, login_form(c, lang)


def send_login(c, i, state):
    lang, (token, cookie) = state
    st, hd, body = web_login(c, "flood-%d" % i, "wrong", token, cookie, lang)
    return st, hd, body, lang


got = flood(N, prep_login, send_login)
codes = check_busy(got, "web login")
# A refused login is the login form again (200, the error in its summary), never a session.
check(set(codes) <= {200, 503}, "web login flood answers %r" % sorted(set(codes)))
for st, hd, body, lang in got:
    if st == 200:
        check("error-summary" in body and "sekisho_session=" not in hd.get("set-cookie", ""),
              "a wrong password was not refused on the form")
# The queue drains: a right password is served.
c = Client(srv)
token, cookie = login_form(c, "ja")
st, hd, _ = web_login(c, "u-staff", "Tst#2026-u-staffX9", token, cookie)
check(st == 303 and hd.get("location") == "/", "web login after the flood: %d %r" % (
    st, hd.get("location")))

# ---------------------------------------------------------------- 2. the page workers
staff = Client(srv)
check(staff.login("u-staff")[0] == 200, "u-staff logs in")
before = audit_count("asset.export")
M = 40


def prep_export(c, i):
    c.cookie = staff.cookie
    return "en" if i % 2 else "ja"


def send_export(c, i, lang):
    body = urlencode({"csrf": staff.csrf, "format": "xlsx"}).encode()
    st, hd, data = c.raw("POST", "/assets/export?lang=" + lang, body,
                         {"Content-Type": "application/x-www-form-urlencoded"})
    return st, hd, data, lang


got = flood(M, prep_export, send_export)
codes = check_busy(got, "register export")
check(set(codes) <= {200, 503}, "export flood answers %r" % sorted(set(codes)))
for st, hd, body, lang in got:
    if st == 200:
        check(hd.get("content-disposition", "").startswith("attachment;"),
              "an export is not a download: %r" % hd)
srv.stop()
# Each export answered is recorded once; a refused one wrote nothing.
check(audit_count("asset.export") - before == codes.count(200),
      "%d asset.export entries for %d exports answered" % (
          audit_count("asset.export") - before, codes.count(200)))
# The queue drains: an export is served again.
srv = Server()
staff = Client(srv)
check(staff.login("u-staff")[0] == 200, "u-staff logs in again")
body = urlencode({"csrf": staff.csrf, "format": "csv"}).encode()
st, hd, data = staff.raw("POST", "/assets/export", body,
                         {"Content-Type": "application/x-www-form-urlencoded"})
check(st == 200 and "register doc 2999" in data, "export after the flood: %d" % st)
srv.stop()
print("ok")
