"""sqlmap (Debian's package) against every parameter of the HTTP API (issue #4).

The routes and their parameters are read from the running server's
GET /api/v1/openapi.json (generated from src/http/routes.c), so a new route or
field is scanned without touching this file; the test fails when a parameter
of the document was not reported as tested by sqlmap. For each route one
sqlmap run covers its path parameter (a custom "*" marker in the URL), its
query parameters and every field of its JSON body, logged in with a session
cookie and the X-CSRF-Token header.

sqlmap exits 0 even when it finds an injection, so its output is parsed: any
"identified the following injection point", "... is vulnerable", "might be
injectable" or "appears to be ... injectable" line, a non-empty log file in
its --output-dir or a data row in its --results-file CSV is a finding and
fails the test. So does a run that did not reach the server: a [CRITICAL]
line (connection refused, no parameter found...), a base request answered
401/403 where a session is used, a 401 seen by sqlmap where the route does not
take a password, too few requests counted in the server's /metrics, or any
5xx at all.

Before the real scan, the same options and the same parser are pointed at a
deliberately injectable endpoint (a throwaway http.server with a
string-concatenated sqlite3 query, started here): the parser must report it,
so the test is known to be able to fail. SEKISHO_SQLMAP_DEMO_FAIL=1 adds that
endpoint to the real scan, which then fails as a real finding would.

Options (see docs/api.md, "sqlmap"): --level 3 --risk 2 with every technique
(BEUSTQ) and --dbms set to the backend under test for ordinary routes (~1 s
per parameter); --level 1 --risk 1 --technique BEU for the three routes that
verify a password with argon2id (login, password, totp/enroll: each request
costs ~50-100 ms and their timing is too noisy for time-based tests);
--time-sec 1, --threads 2 (a 2-core machine), --skip of the cookie and the
User-Agent/Referer/Host headers (not API parameters; injecting the cookie
only logs the scan out), --flush-session and a fresh --output-dir per run.

Environment: SEKISHO_BIN, DB (sktest), SEKISHO_SQLMAP (default: sqlmap on PATH).
"""
import csv
import http.server
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

from sktest import City, Client, Server, DB, check, expect, fail, password_for, sk

SQLMAP = os.environ.get("SEKISHO_SQLMAP") or shutil.which("sqlmap")
check(SQLMAP, "sqlmap is not installed (Debian package sqlmap; scripts/deps.sh test)")
WORK = os.path.join(os.getcwd(), "sqlmap")
os.makedirs(WORK, exist_ok=True)
DBMS = "sqlite" if DB.startswith("sqlite:") else "PostgreSQL"

# --skip-waf: sqlmap's WAF probe adds an undeclared query parameter, which the server refuses
# with a 400 by design (issue #11); that is input checking, not a WAF hiding answers.
COMMON = ["--batch", "--flush-session", "--disable-coloring", "--skip-waf", "--threads", "2",
          "--time-sec", "1", "--timeout", "20", "--retries", "1",
          "--skip", "sekisho_session,User-Agent,Referer,Host"]
# 404 and 409 are ordinary answers here: a state-changing route's base request consumes its
# target (a revoked grant, a disposed asset, a unit that now exists), and sqlmap would stop at
# the first one otherwise. They are still counted and checked below.
FULL = ["--level", "3", "--risk", "2", "--technique", "BEUSTQ", "--ignore-code", "404,409"]
# Routes that verify a password (argon2id) per request: fewer, timing-free payloads.
# They answer 401 (wrong password: the base value is wrong on purpose, so nothing changes)
# and 423 once the account locks; sqlmap would stop at the first 401 without --ignore-code.
LIGHT = ["--level", "1", "--risk", "1", "--technique", "BEU", "--ignore-code",
         "401,404,409,423"]
PASSWORD_ROUTES = {("POST", "/api/v1/login"), ("POST", "/api/v1/password"),
                   ("POST", "/api/v1/totp/enroll")}
# Routes whose every answer is a new object (a new id, creation time and step times around
# a short echoed body): the page is never stable, so sqlmap's sequence matcher sees the echo
# of each payload as a difference. Their true and false pages are told apart by status code.
BY_CODE = {("POST", "/api/v1/requests"): ["--code", "201"]}

FINDING_RES = [re.compile(p, re.I) for p in (
    r"identified the following injection point",
    r"resumed the following injection point",
    r"parameter '[^']*' is vulnerable",
    r"\bmight be injectable",
    r"appears to be '[^']*' injectable",
    r"\bis vulnerable\b",
)]
# The normal end of a clean run (sqlmap 1.7 logs it as an error).
BENIGN_ERRORS = re.compile(r"all tested parameters do not appear to be injectable")
TESTED_RE = re.compile(r"testing for SQL injection on (?:\(custom\) )?\S+ parameter '([^']+)'")
CODES_RE = re.compile(r"(\d{3}) \([^)]*\) - (\d+) times")


def run_sqlmap(tag, url, method, data, cookie, headers, dbms, options):
    """Runs sqlmap once; returns (stdout text, output dir, results csv path, seconds)."""
    out_dir = os.path.join(WORK, tag)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    results = os.path.join(out_dir, "results.csv")
    cmd = [SQLMAP, "-u", url, "--method", method, "--output-dir", out_dir,
           "--results-file", results, "--dbms", dbms] + COMMON + options
    if data is not None:
        cmd += ["--data", data]
    if cookie:
        cmd += ["--cookie", cookie]
    if headers:
        cmd += ["--headers", "\n".join("%s: %s" % kv for kv in headers.items())]
    start = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    took = time.monotonic() - start
    text = r.stdout + r.stderr
    with open(os.path.join(out_dir, "stdout.txt"), "w") as f:
        f.write(text)
    if r.returncode != 0:
        fail("%s: sqlmap exited %d:\n%s" % (tag, r.returncode, text[-2000:]))
    return text, out_dir, results, took


def parse(text, out_dir, results):
    """What sqlmap reported: findings, tested parameter names, problems, HTTP codes seen."""
    findings = [ln.strip() for ln in text.splitlines() if any(p.search(ln) for p in FINDING_RES)]
    for root, _, files in os.walk(out_dir):
        for name in files:
            if name == "log" and os.path.getsize(os.path.join(root, name)) > 0:
                with open(os.path.join(root, name), errors="replace") as f:
                    findings.append("log %s: %s" % (os.path.join(root, name), f.read(300)))
    if os.path.exists(results):
        with open(results, newline="") as f:
            rows = [row for row in csv.reader(f) if row]
        for row in rows[1:]:
            findings.append("results CSV: " + ",".join(row))
    tested = set()
    for m in TESTED_RE.finditer(text):
        tested.add(m.group(1)[5:] if m.group(1).startswith("JSON ") else m.group(1))
    problems = []
    for ln in text.splitlines():
        if "[CRITICAL]" in ln or ("[ERROR]" in ln and not BENIGN_ERRORS.search(ln)):
            problems.append(ln.strip())
        if re.search(r"connection refused|unable to connect|target URL is not responding", ln,
                     re.I):
            problems.append(ln.strip())
    check("testing connection to the target URL" in text,
          "sqlmap did not try to reach the target:\n" + text[-1500:])
    codes = {}
    m = re.search(r"HTTP error codes detected during run:\s*\n([^\n]*)", text)
    if m:
        for c, n in CODES_RE.findall(m.group(1)):
            codes[int(c)] = int(n)
    return findings, tested, problems, codes


# ------------------------------------------------------------ the injectable self-check target

class Vulnerable(http.server.BaseHTTPRequestHandler):
    """GET /items?name=X and POST /find {"name": X}: both concatenate X into SQL."""
    db_path = None

    def log_message(self, *args):
        pass

    def answer(self, name):
        con = sqlite3.connect(self.db_path)
        try:
            rows = con.execute("SELECT id, name FROM items WHERE name = '" + name + "'").fetchall()
            status, body = 200, json.dumps([{"id": i, "name": n} for i, n in rows])
        except sqlite3.Error:
            status, body = 400, json.dumps({"error": "bad query"})
        finally:
            con.close()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        self.answer(q.get("name", [""])[0])

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        try:
            self.answer(str(json.loads(self.rfile.read(n)).get("name", "")))
        except (ValueError, AttributeError):
            self.answer("")


def start_vulnerable():
    path = os.path.join(WORK, "vulnerable.db")
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
    con.executemany("INSERT INTO items(name) VALUES (?)", [("apple",), ("pear",), ("plum",)])
    con.commit()
    con.close()
    Vulnerable.db_path = path
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Vulnerable)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def scan_vulnerable(port, tag):
    text, out_dir, results, took = run_sqlmap(
        tag, "http://127.0.0.1:%d/items?name=apple" % port, "POST", '{"name":"apple"}', None,
        {"Content-Type": "application/json"}, "sqlite", FULL)
    return parse(text, out_dir, results) + (took,)


vuln = start_vulnerable()
findings, tested, problems, codes, took = scan_vulnerable(vuln.server_address[1], "selfcheck")
check(findings, "self-check: sqlmap found nothing in a string-concatenated query, so the parser "
      "(or sqlmap) is broken; see %s" % os.path.join(WORK, "selfcheck", "stdout.txt"))
check({"name"} <= tested, "self-check: parameters tested %r" % tested)
print("self-check: the injectable endpoint is reported (%d finding lines, %.1f s)"
      % (len(findings), took))

# ------------------------------------------------------------ the installation under test

city = City()
for login in ("scan-login", "scan-pw", "scan-totp"):
    sk("user", "add", "--db", DB, "--login", login, "--name", login, "--unit", "sec-a1",
       "--role", "staff", "--password-stdin", stdin=password_for(login) + "\n")
# The login throttle (issue #12) would answer sqlmap's login payloads 429 after a few
# failures, hiding the route from the scan: it is off here and tested in test_login_hardening.
srv = Server("--metrics-from", "127.0.0.0/8", "--login-throttle", "0")
main = Client(srv)
expect(main.login("u-ciso"), 200, "login u-ciso")
aux = {}
# u-security-manager: under hachioji only the 情報セキュリティ管理者 closes incidents (13(3)).
for login in ("scan-pw", "scan-totp", "u-security-manager"):
    aux[login] = Client(srv)
    expect(aux[login].login(login), 200, "login " + login)
doc = main.call("GET", "/api/v1/openapi.json")[2]
spare_asset = city.add_asset("sec-a1")
# A closed incident: every step on it answers the same 409, so its answers stay stable.
closed_incident = json.loads(sk("incident", "report", "--db", DB, "--unit", "sec-a1", "--title",
                                "scan", "--description", "d", "--found-at",
                                "2026-01-01T00:00:00Z", "--json"))["id"]
with open("evidence.txt", "w") as f:
    f.write("evidence\n")
closed_attachment = json.loads(sk("incident", "attach", "--db", DB, str(closed_incident),
                                  "evidence.txt", "--json"))["attachments"][0]["id"]
# Closed by the line's 情報セキュリティ管理者 (八王子 13(3)), as the CLI acts for a person.
sk("--as", city.login["security_manager"], "incident", "close", "--db", DB, str(closed_incident))

# Base values: the unchanged request should get past validation where it can, so
# sqlmap compares real answers. Keys are field names, or (path, field) to override.
BASE = {
    "unit": "sec-a1", "type": "document", "name": "scan", "quantity": 1, "location": "room",
    "backup": True, "disposal_method": "shred", "conf": "2", "integ": "2", "avail": "1",
    "manager": "mgr", "zone": "lgwan", "personal": False, "mynumber": False,
    "recovery_hours": 4, "acquired_on": "2020-04-01", "note": "n", "operator": "op",
    "record": "shredded", "on": "2026-01-05", "asset_id": city.asset["sec-a1"],
    "action": "copy", "code": "scan-unit", "kind": "section", "parent": "dept-b",
    "to_zone": "internet", "asset_type": "document",
    "login": "victim", "roles": ["staff"], "role": "auditor", "actor_role": "staff",
    "password": "not-the-password", "old": "not-the-password", "new": "An0ther#Passw0rd-2026",
    "totp": "123456", "q": "doc", "status": "active", "limit": "10", "after": "0", "days": "30",
    "email": "scan@city.example", "unread": "1",
    ("/api/v1/login", "login"): "scan-login",
    ("/api/v1/users", "login"): "scan-new", ("/api/v1/users", "unit"): "sec-b1",
    ("/api/v1/roles", "unit"): "sec-b1", ("/api/v1/roles/revoke", "unit"): "sec-b1",
    ("/api/v1/totp/confirm", "code"): "123456",
    ("/api/v1/users", "role"): "staff", ("/api/v1/roles", "role"): "auditor",
    "title": "scan", "description": "d", "found_at": "2026-01-01T00:00:00Z", "severity": "low",
    "asset_ids": [city.asset["sec-a1"]], "comment": "c", "cause": "c", "impact": "i",
    "response": "r", "recovery": "r", "prevention": "p", "content": "eA==",
    "media_type": "text/plain", ("/api/v1/incidents", "kind"): "incident",
    ("/api/v1/incidents", "status"): "reported",
    # Requests: a record kind every filer may file, and its follow-through fields.
    ("/api/v1/requests", "kind"): "zone_entry", ("/api/v1/requests", "status"): "pending",
    "asset_number": "SCAN-0001", "source": "scan.yaml", "from": "1", "to": "1",
    "units_of_kind": "section",
    # A profile import's base is a real profile, so the injected text reaches past the parser.
    "text": open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                              "policies", "example.yaml"), encoding="utf-8").read(),
    "reason": "scan", "details": {"zone": "server room", "entered_at": "2026-12-01 10:00"},
    "safeguards_confirmed": ["record"], "comment": "scan", "box": "mine", "before": "1000",
    "taken_out_on": "2026-12-01", "returned_on": "2026-12-02", "delivered_on": "2026-12-02",
    "provided_on": "2026-12-02", "disposed_on": "2026-12-02", "certificate": "C-1",
    "left_at": "2026-12-01 11:00",
    # The ledger route: a CSV export in UTF-8 of approved take-outs in 2026 of one asset.
    ("/api/v1/ledgers/{name}", "format"): "csv", ("/api/v1/ledgers/{name}", "encoding"): "utf-8",
    ("/api/v1/ledgers/{name}", "status"): "approved", ("/api/v1/ledgers/{name}", "from"):
    "2026-01-01", ("/api/v1/ledgers/{name}", "until"): "2026-12-31",
    ("/api/v1/ledgers/{name}", "asset"): str(city.asset["sec-a1"]),
}
# A request's id: one no one filed, so the scan reaches the domain's lookup (404), never
# one's own request (self_approval is a 403 the base request must not meet).
PATH_BASE = {"id": lambda path: 999999 if "/requests/" in path
             else spare_asset if "DELETE" in path else closed_attachment
             if "/incidents/attachments/" in path else closed_incident
             if "/incidents/" in path else city.asset["sec-a1"],
             "login": lambda path: "victim", "name": lambda path: "take_out"}


def base(path, name):
    if (path, name) in BASE:
        return BASE[(path, name)]
    if name in BASE:
        return BASE[name]
    fail("no base value for %s field %r: add one to BASE in %s" % (path, name, __file__))


def alive(what):
    """Fails with the server's last words (a sanitizer report, say) if it has died."""
    if srv.proc.poll() is not None:
        fail("the server exited (status %s) %s:\n%s" % (srv.proc.returncode, what,
                                                        srv.proc.stderr.read()[-4000:]))


def metrics_total():
    st, _, text = Client(srv).call("GET", "/metrics")
    expect((st, None, text), 200, "metrics")
    counts = dict(re.findall(r'sekisho_http_requests_total\{code="(\w+)"\} (\d+)', text))
    return sum(int(v) for v in counts.values()), int(counts.get("5xx", 0))


def plan(method, path, op):
    """The request sqlmap starts from and the parameter names it must report as tested."""
    expected = set()
    url_path = path
    for p in op.get("parameters", []):
        if p["in"] == "path":
            url_path = url_path.replace("{%s}" % p["name"],
                                        "%s*" % PATH_BASE[p["name"]](method + path))
            expected.add("#1*")
    query = [(p["name"], base(path, p["name"])) for p in op.get("parameters", [])
             if p["in"] == "query"]
    url = "http://%s:%d%s" % (srv.host, srv.port, url_path)
    if query and "#1*" in expected:
        # With a marker in the path sqlmap tests only marked places: mark each query value
        # too; sqlmap names them by position after the path's ("#2*", "#3*" …).
        url += "?" + "&".join("%s=%s*" % (urllib.parse.quote(n), urllib.parse.quote(str(v)))
                              for n, v in query)
        expected |= {"#%d*" % (i + 2) for i in range(len(query))}
    elif query:
        expected |= {n for n, _ in query}
        url += "?" + urllib.parse.urlencode(query)
    body = None
    if "requestBody" in op:
        props = op["requestBody"]["content"]["application/json"]["schema"]["properties"]
        body = {n: base(path, n) for n in props}
        # sqlmap names a JSON field by its key, but an array's items by their marker's
        # position among the body's marked values ("#5*" for the fifth); one mark per field.
        # An object's members (a request's details) are marked one by one, by their keys.
        mark = 0
        for n in props:
            if props[n].get("type") == "array":
                check(len(body[n]) == 1, "%s: base value of array %r must hold one item"
                      % (path, n))
                mark += 1
                expected.add("#%d*" % mark)
            elif props[n].get("type") == "object":
                check(all(not isinstance(v, (list, dict)) for v in body[n].values()),
                      "%s: base value of object %r must hold scalars" % (path, n))
                mark += len(body[n])
                expected |= set(body[n])
            else:
                mark += 1
                expected.add(n)
    return url, body, expected


routes = [(m.upper(), p, op) for p, item in doc["paths"].items() for m, op in item.items()]
check(routes, "the OpenAPI document lists no routes")
report = []
seen_5xx = metrics_total()[1]
total_start = time.monotonic()
all_findings = []
for method, path, op in routes:
    url, body, expected = plan(method, path, op)
    if not expected:
        report.append((method, path, "-", 0, 0.0, "no parameters"))
        continue
    public = op.get("x-sekisho-public", False)
    client = {"/api/v1/password": aux["scan-pw"],
              "/api/v1/totp/enroll": aux["scan-totp"],
              "/api/v1/incidents/{id}/close": aux["u-security-manager"]}.get(path, main)
    cookie = None if public else client.cookie
    headers = {"Content-Type": "application/json"}
    if not public and method not in ("GET", "HEAD"):
        headers["X-CSRF-Token"] = client.csrf
    alive("before %s %s was scanned" % (method, path))
    # The base request, sent as sqlmap will send it: the session must be accepted.
    raw = url.replace("*", "")[len("http://%s:%d" % (srv.host, srv.port)):]
    try:
        st = client.raw(method, raw, json.dumps(body).encode() if body is not None else None,
                        dict(headers, **({"Cookie": cookie} if cookie else {})) if not public
                        else headers)
    except ConnectionError as e:
        time.sleep(1)
        alive("answering the base request of %s %s (%s)" % (method, path, e))
        raise
    password_route = (method, path) in PASSWORD_ROUTES
    check(st[0] < 500, "%s %s base request answered %d" % (method, path, st[0]))
    if not public and not password_route:
        check(st[0] not in (401, 403), "%s %s base request refused (%d %s): the scan would not "
              "get past the session check" % (method, path, st[0], st[2]))
    before, _ = metrics_total()
    tag = re.sub(r"[^A-Za-z0-9]+", "_", method + path).strip("_")
    text, out_dir, results, took = run_sqlmap(
        tag, url, method, json.dumps(body) if body is not None else None, cookie, headers, DBMS,
        (LIGHT if password_route else FULL) + BY_CODE.get((method, path), []))
    alive("while sqlmap scanned %s %s" % (method, path))
    findings, tested, problems, codes = parse(text, out_dir, results)
    after, _ = metrics_total()
    all_findings += ["%s %s: %s" % (method, path, f) for f in findings]
    check(not problems, "%s %s: sqlmap did not run cleanly:\n  %s\n(see %s)"
          % (method, path, "\n  ".join(problems), os.path.join(out_dir, "stdout.txt")))
    missing = expected - tested
    check(not missing, "%s %s: parameters of the OpenAPI document not tested by sqlmap: %s "
          "(tested %s; see %s)" % (method, path, sorted(missing), sorted(tested),
                                   os.path.join(out_dir, "stdout.txt")))
    # -1 for the /metrics request itself; each parameter costs sqlmap dozens of requests.
    served = after - before - 1
    check(served >= 10 * len(expected), "%s %s: the server counted only %d requests for %d "
          "parameters: sqlmap did not reach it" % (method, path, served, len(expected)))
    bad = {c: n for c, n in codes.items() if c >= 500}
    check(not bad, "%s %s: server errors during the scan: %r" % (method, path, bad))
    if not public and not password_route:
        check(401 not in codes, "%s %s: %d answers were 401: the session was not accepted"
              % (method, path, codes.get(401, 0)))
    if password_route:
        check(set(c for c in codes if c >= 400) <= {400, 401, 403, 404, 409, 423},
              "%s %s: unexpected codes %r" % (method, path, codes))
    report.append((method, path, ",".join(sorted(tested)), served, took,
                   "FINDING" if findings else "clean"))

if os.environ.get("SEKISHO_SQLMAP_DEMO_FAIL") == "1":
    f, t, p, c, took = scan_vulnerable(vuln.server_address[1], "demo_fail")
    all_findings += ["demo endpoint (SEKISHO_SQLMAP_DEMO_FAIL=1): %s" % x for x in f]
    report.append(("POST", "/items (injectable demo)", ",".join(sorted(t)), 0, took,
                   "FINDING" if f else "clean"))
vuln.shutdown()

# The scan's own session survived, and nothing failed on the server side.
expect(main.call("GET", "/api/v1/session"), 200, "the scan's session after the scan")
check(metrics_total()[1] == seen_5xx, "the server answered 5xx during the scan")
total = time.monotonic() - total_start
print("sqlmap (%s, --dbms %s): %d routes, %d scanned, %.0f s" % (
    os.path.basename(SQLMAP), DBMS, len(routes), sum(1 for r in report if r[3]), total))
for r in report:
    print("  %-6s %-36s %-8s %5d req %5.1f s  %s" % (r[0], r[1], r[5], r[3], r[4], r[2]))
if all_findings:
    print("\n".join(all_findings), file=sys.stderr)
    fail("sqlmap reported %d injection finding line(s) (above)" % len(all_findings))
srv.stop()
