"""sktest: helpers for the HTTP tests of sekisho.

Builds a small city with the CLI (one account per SPEC §3 role, each at a
unit of its own side of the tree, plus a second department that is outside
everyone's scope but the root's), starts `sekisho serve` on a free port, and
talks to it with http.client, keeping the session cookie and CSRF token.

Environment: SEKISHO_BIN (the binary), DB (the database URL under test).
"""
import http.client
import json
import os
import atexit
import base64
import hashlib
import hmac
import re
import signal
import socket
import struct
import subprocess
import sys
import time

import jsonschema  # Debian: python3-jsonschema

BIN = os.environ["SEKISHO_BIN"]
DB = os.environ["DB"]
KEY = os.path.join(os.getcwd(), "audit.key")
os.environ["SEKISHO_AUDIT_KEY"] = KEY
# TOTP secrets are sealed under a key file: beside an SQLite database, named by
# $SEKISHO_TOTP_KEY for PostgreSQL (which has no file to sit beside).
if not DB.startswith("sqlite:"):
    os.environ.setdefault("SEKISHO_TOTP_KEY", os.path.join(os.getcwd(), "totp.key"))

ROLES = ["ciso", "general_manager", "security_officer", "security_manager",
         "system_manager", "system_staff", "csirt", "dm_officer", "staff",
         "contractor", "auditor", "city"]

# Where each role's account sits. Roles held at the root see every unit, so
# they have no "outside" case.
HOME = {
    "ciso": "ROOT", "general_manager": "ROOT", "city": "ROOT",
    "security_officer": "dept-a", "security_manager": "sec-a1",
    "system_manager": "sec-a1", "system_staff": "sec-a1", "csirt": "sec-a1",
    "dm_officer": "dm-a", "staff": "sec-a1", "contractor": "vendor-a",
    "auditor": "sec-a1",
}
OUTSIDE_UNIT = "sec-b1"
# The roles that need a one-time code whatever the profile says (issue #12, finding 9).
MFA_FLOOR = ["ciso", "general_manager", "system_manager", "auditor"]


def password_for(login):
    return "Tst#2026-" + login + "X9"


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


# The account a person-level command acts for (issue 15 item 6) when the test names none with
# --as: the one `init --admin chief` makes, proved by the admin token (lib.sh's
# SEKISHO_ADMIN_TOKEN). A test whose installation has another administrator sets sktest.AS.
AS = "chief"
# Installation-level commands: they act as the operator and take no --as.
INSTALL_NOUNS = {"init", "demo", "admin-token", "serve", "sanitize"}
INSTALL_VERBS = {("audit", "checkpoint"), ("audit", "verify"), ("audit", "prove"),
                 ("audit", "verify-proof"), ("audit", "export"), ("notify", "flush"),
                 ("notify", "configure"), ("notify", "remind"), ("record", "purge")}


def person_level(args):
    """Whether `sekisho ARGS` acts for a person and names nobody (lib.sh's sk_person_level)."""
    if any(a == "--as" or a.startswith("--as=") for a in args):
        return False
    noun, verb = (list(args) + ["", ""])[:2]
    if noun in INSTALL_NOUNS or (noun, verb) in INSTALL_VERBS:
        return False
    operator = any(a == "--unix-user" or a.startswith("--unix-user=") or a == "--role=ciso"
                   for a in args) or any(a == "--role" and b == "ciso"
                                         for a, b in zip(args, list(args)[1:]))
    return not ((noun, verb) in (("user", "add"), ("user", "set"), ("role", "grant"),
                                 ("role", "revoke")) and operator)


def sk(*args, stdin=None):
    pre = ["--as", AS] if person_level(args) else []
    r = subprocess.run([BIN] + pre + list(args), input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        fail("sekisho %s exited %d: %s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


class City:
    """The test installation: units, one account per role, assets per unit."""

    def __init__(self):
        out = sk("init", "--db", DB, "--profile", "hachioji", "--admin", "chief",
                 "--key", KEY)
        m = re.search(r"temporary password[^:]*: (\S+)", out)
        check(m, "init printed no temporary password")
        self.chief_temp = m.group(1)
        units = json.loads(sk("org", "list", "--db", DB, "--json"))
        self.root = units[0]["code"]
        for code, kind, parent in [("dept-a", "department", self.root),
                                   ("sec-a1", "section", "dept-a"),
                                   ("dm-a", "designated_manager", "dept-a"),
                                   ("vendor-a", "contractor", "sec-a1"),
                                   ("dept-b", "department", self.root),
                                   ("sec-b1", "section", "dept-b")]:
            sk("org", "add", "--db", DB, "--code", code, "--name", code.upper(),
               "--kind", kind, "--parent", parent)
        self.login = {}
        for role in ROLES:
            login = "u-" + role.replace("_", "-")
            sk("user", "add", "--db", DB, "--login", login, "--name", login,
               "--unit", self.unit(HOME[role]), "--role", role, "--password-stdin",
               stdin=password_for(login) + "\n")
            self.login[role] = login
            if role in MFA_FLOOR:
                # Enrolled by the operator, as `sekisho user totp-enroll` does: the secret's
                # first login may use the step before the current one, so three logins fit
                # in a step (Client.login sends the codes).
                out = sk("user", "totp-enroll", "--db", DB, login)
                m = re.search(r"secret: ([A-Z2-7]+)", out)
                check(m, "totp-enroll printed no secret")
                TOTP_SECRETS[login] = [m.group(1), 0]
        # An account whose only role is taken back: deny by default.
        sk("user", "add", "--db", DB, "--login", "u-norole", "--name", "no role",
           "--unit", "sec-a1", "--role", "staff", "--password-stdin",
           stdin=password_for("u-norole") + "\n")
        sk("role", "revoke", "--db", DB, "--login", "u-norole", "--role", "staff",
           "--unit", "sec-a1")
        # Targets for the account routes.
        sk("user", "add", "--db", DB, "--login", "victim", "--name", "victim",
           "--unit", "sec-b1", "--role", "staff", "--password-stdin",
           stdin=password_for("victim") + "\n")
        self.asset = {}
        for u in ["ROOT", "dept-a", "sec-a1", "dm-a", "vendor-a", "sec-b1"]:
            self.asset[u] = self.add_asset(u)

    def unit(self, u):
        return self.root if u == "ROOT" else u

    def add_asset(self, u, conf="2"):
        out = sk("asset", "add", "--db", DB, "--unit", self.unit(u), "--type", "document",
                 "--name", "doc of " + u, "--conf", conf, "--integ", "2", "--avail", "1",
                 "--manager", "mgr", "--zone", "lgwan", "--json")
        return json.loads(out)["id"]


def totp_code(secret_b32, at=None, step_offset=0):
    """The RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret at time at."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // 30) + step_offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000)


# The TOTP secrets this run enrolled: login -> [base32 secret, the last step used].
TOTP_SECRETS = {}


def next_code(login):
    """The code of the first step the server still accepts for login (waits when none yet).

    The server takes the current step and one either side, never a step at or before
    the last one used, so a third login within a step waits for the next one.
    """
    secret, last = TOTP_SECRETS[login]
    t = time.time()
    now = int(t // 30)
    # The previous step only early in this one: late in a step, a loaded server may reach
    # the next step before it checks the code, and now - 1 would then be out of its window.
    step = max(last + 1, now - 1 if t % 30 < 20 else now)
    if step > now + 1:
        time.sleep((step - 1) * 30 - time.time() + 0.2)
    TOTP_SECRETS[login][1] = step
    return totp_code(secret, at=step * 30)


def external_address():
    """An IPv4 address of this host that is not loopback, or None when it has none."""
    for probe in ("192.0.2.1", "10.255.255.255", "8.8.8.8"):
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.connect((probe, 9))  # UDP: picks the route, sends nothing
            addr = s.getsockname()[0]
            s.close()
            if not addr.startswith("127.") and addr != "0.0.0.0":
                return addr
        except OSError:
            pass
    return None


class Server:
    def __init__(self, *extra, listen="127.0.0.1:0"):
        self.proc = subprocess.Popen([BIN, "serve", "--db", DB, "--listen", listen]
                                     + list(extra), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r"listening on http://([0-9.]+):(\d+)", line)
        if not m:
            self.proc.kill()
            fail("serve did not start: %r %s" % (line, self.proc.stderr.read()))
        self.host, self.port = m.group(1), int(m.group(2))
        self.answers = None  # the OpenAPI document's answer schemas, read at the first answer
        # A failing test exits without stop(): do not leave the server running.
        atexit.register(lambda p=self.proc: p.poll() is None and p.kill())

    def check_answer(self, method, path, status, body):
        """Checks a success answer against the schema its route declares in the server's
        OpenAPI document (src/http/answers.json): the response contract, on every call
        of every HTTP test."""
        if self.answers is None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            conn.request("GET", "/api/v1/openapi.json")
            doc = json.loads(conn.getresponse().read())
            conn.close()
            self.answers = []
            for template, item in doc["paths"].items():
                rx = re.escape(template).replace(r"\{id\}", r"[0-9]+")
                rx = re.sub(r"\\\{\w+\\\}", "[^/]+", rx)
                for m, op in item.items():
                    self.answers.append((m.upper(), template, re.compile(rx + "$"), op))
            # A literal segment wins over a parameter (/users/unused before /users/{login}).
            self.answers.sort(key=lambda a: a[1].count("{"))
            self.components = doc["components"]
        bare = path.split("?")[0]
        for m, template, rx, op in self.answers:
            if m == method and rx.match(bare):
                break
        else:
            fail("%s %s answered %d but no route of the OpenAPI document matches" % (
                method, path, status))
        resp = op["responses"].get(str(status))
        check(resp is not None, "%s %s answered %d, which %s does not declare" % (
            method, path, status, template))
        schema = resp.get("content", {}).get("application/json", {}).get("schema")
        check(schema is not None, "%s %s: the OpenAPI document has no answer schema" % (
            method, template))
        root = dict(schema)
        root["components"] = self.components
        errors = sorted(jsonschema.Draft202012Validator(root).iter_errors(body),
                        key=lambda e: list(e.path))
        if errors:
            e = errors[0]
            fail("%s %s answered %d not as its schema says: %s at %s (%d problems)" % (
                method, path, status, e.message[:300], "/".join(map(str, e.path)), len(errors)))

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("serve did not stop within 15 s of SIGTERM")
        check(rc == 0, "serve exited %d after SIGTERM: %s" % (rc, self.proc.stderr.read()))


class Client:
    def __init__(self, srv):
        self.srv = srv
        self.conn = http.client.HTTPConnection(srv.host, srv.port, timeout=30)
        self.cookie = None
        self.csrf = None

    def raw(self, method, path, body=None, headers=None):
        """Sends body (bytes or None) as is; returns (status, headers, parsed body or text)."""
        h = dict(headers or {})
        if self.cookie and "cookie" not in {k.lower() for k in h}:
            h["Cookie"] = self.cookie
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closes after error answers; reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.srv.host, self.srv.port,
                                                       timeout=30)
                if attempt:
                    raise
        if r.getheader("connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.srv.host, self.srv.port, timeout=30)
        ctype = r.getheader("content-type", "")
        parsed = data.decode("utf-8", "replace")
        if ctype.startswith("application/json"):
            try:
                parsed = json.loads(data)
            except ValueError:
                fail("%s %s answered invalid JSON: %r" % (method, path, data[:200]))
        if 200 <= r.status < 300 and ctype.startswith("application/json"):
            self.srv.check_answer(method, path, r.status, parsed)
        return r.status, {k.lower(): v for k, v in r.getheaders()}, parsed

    def call(self, method, path, obj=None, csrf=True):
        h = {}
        body = None
        if obj is not None:
            body = json.dumps(obj).encode()
            h["Content-Type"] = "application/json"
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        return self.raw(method, path, body, h)

    def login(self, login, password=None, totp=None, enroll=True):
        """Logs in, with the next one-time code when this run enrolled the account.

        An account of the MFA floor (ciso, general_manager, system_manager, auditor)
        without a secret logs in limited to enrollment (must_enroll_totp): unless
        enroll is False, this enrolls it (POST /api/v1/totp/enroll and /confirm) and
        keeps the secret, so the session and later logins work as before.
        """
        password = password or password_for(login)
        req = {"login": login, "password": password}
        if totp is not None:
            req["totp"] = totp
        elif login in TOTP_SECRETS:
            req["totp"] = next_code(login)
        st, hd, body = self.call("POST", "/api/v1/login", req)
        if st == 200:
            self.cookie = hd["set-cookie"].split(";")[0]
            self.csrf = body["csrf_token"]
            if (enroll and body.get("must_enroll_totp")
                    and not body.get("must_change_password")):
                self.enroll_totp(login, password)
        return st, hd, body

    def enroll_totp(self, login, password=None):
        """Enrolls the session's account for TOTP; returns the base32 secret."""
        st, _, got = self.call("POST", "/api/v1/totp/enroll",
                               {"password": password or password_for(login)})
        check(st == 201, "TOTP enrollment of %s: status %d %r" % (login, st, got))
        secret = got["secret"]
        step = int(time.time() // 30)
        st, _, got = self.call("POST", "/api/v1/totp/confirm",
                               {"code": totp_code(secret, at=step * 30)})
        check(st == 200, "TOTP confirmation of %s: status %d %r" % (login, st, got))
        TOTP_SECRETS[login] = [secret, step]
        return secret


def expect(got, want, what):
    st = got[0]
    if isinstance(want, int):
        want = (want,)
    if st not in want:
        fail("%s: status %d, expected %s; body %s" % (what, st, want, json.dumps(got[2])[:300]
                                                      if not isinstance(got[2], str)
                                                      else got[2][:300]))


def expect_error(got, status, code, fragment, what):
    expect(got, status, what)
    body = got[2]
    check(isinstance(body, dict) and set(body) == {"error"}
          and set(body["error"]) in ({"code", "message"}, {"code", "field", "message"})
          and isinstance(body["error"].get("field", ""), str),
          "%s: error body is not {error:{code,field?,message}}: %r" % (what, body))
    check(body["error"]["code"] == code,
          "%s: error code %r, expected %r" % (what, body["error"]["code"], code))
    check(fragment.lower() in body["error"]["message"].lower(),
          "%s: message %r does not mention %r" % (what, body["error"]["message"], fragment))
