"""The HTTP-layer findings of issue #12 (an outside probe), each shown closed:

- request smuggling building blocks: two Content-Length headers (different or
  equal), Content-Length with Transfer-Encoding, or two Transfer-Encoding
  headers are refused with 400 before any handler runs, and the connection
  is closed, so bytes smuggled after the first request are never answered;
- connection exhaustion: slow connections from one address are capped per
  address (serve --max-connections-per-client) and the last eighth of the
  global cap is kept for addresses holding no connection, so another address
  is still served; a --trusted-proxy peer is not capped per address;
- invalid UTF-8 (%ff) in any path parameter or query parameter is a 400
  naming it, never a 5xx, and no error message carries bytes that are not
  UTF-8;
- smaller things: duplicate Cookie or X-CSRF-Token headers are a 400; q=%,
  q=%2 and q=%00 are a 400; dot segments in the path, raw or
  percent-encoded, are a 400; malformed JSON is described in our words
  (no jansson internals, no echo of the input); h2o's own 400 answers to a
  bad body encoding carry the security headers.
"""
import os
import re
import select
import socket
import time

from sktest import City, Client, Server, check, expect, expect_error, fail

city = City()


def connect(srv, source="127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((source, 0))
    s.settimeout(5)
    s.connect((srv.host, srv.port))
    return s


def exchange(srv, data, wait=3.0):
    """Sends data on one connection; returns (everything read, closed by the server)."""
    s = connect(srv)
    s.sendall(data)
    got = b""
    closed = False
    deadline = time.time() + wait
    while time.time() < deadline:
        r, _, _ = select.select([s], [], [], max(0.0, deadline - time.time()))
        if not r:
            break
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        got += chunk
    s.close()
    return got, closed


def statuses(raw):
    return [int(m) for m in re.findall(rb"HTTP/1\.[01] (\d{3}) ", raw)]


srv = Server("--threads", "1")

# ------------------------------------------------------------------ smuggling (finding 3)
def smuggling():
    SMUGGLED = b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n"
    cases = {
        "two different Content-Length":
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: %d\r\n\r\n"
            % len(SMUGGLED) + SMUGGLED,
        "two equal Content-Length":
            b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}" + SMUGGLED,
        "Content-Length and Transfer-Encoding":
            b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + SMUGGLED,
        "Transfer-Encoding and Content-Length":
            b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nContent-Length: 7\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + SMUGGLED,
        "two Transfer-Encoding":
            b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
            + SMUGGLED,
    }
    for what, data in cases.items():
        got, closed = exchange(srv, data)
        st = statuses(got)
        check(st == [400], "%s: answered %r, expected one 400: %r" % (what, st, got[:400]))
        check(b"openapi" not in got, "%s: the smuggled request was answered" % what)
        check(closed, "%s: the connection stayed open" % what)
        check(b"invalid_input" in got and b"x-frame-options: deny" in got.lower(),
              "%s: not our JSON error with the security headers: %r" % (what, got[:600]))
    # One Content-Length, and a keep-alive: two requests on one connection are both answered.
    got, _ = exchange(srv, b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
                      + b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", wait=1.0)
    check(statuses(got) == [200, 200], "a clean keep-alive pair answered %r" % statuses(got))

# ------------------------------------------ h2o's own 400 answers carry the security headers
def h2o_errors():
    for what, data in {
        "unknown transfer coding":
            b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
        "broken chunked body":
            b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "broken Content-Length":
            b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n",
    }.items():
        got, closed = exchange(srv, data)
        head = got.split(b"\r\n\r\n")[0].lower()
        check(statuses(got) == [400], "%s: answered %r" % (what, got[:300]))
        for h in [b"x-content-type-options: nosniff", b"x-frame-options: deny",
                  b"cache-control: no-store", b"content-security-policy: default-src 'none'"]:
            check(h in head, "%s: h2o's 400 lacks %r: %r" % (what, h, head))
        check(closed, "%s: the connection stayed open" % what)
    # A head h2o cannot parse is answered by h2o 2.2 itself, straight onto the socket and past
    # every filter (lib/http1.c, send_bad_request): a fixed text that echoes nothing, then the
    # connection closes. docs/security.md says why that is left so; this notices a change.
    FIXED = (b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
             b"Connection: close\r\nContent-Length: 11\r\n\r\nBad Request")
    for what, data in {
        "a header line without a colon": b"GET / HTTP/1.1\r\nBad <script>\r\n\r\n",
        "a control character in the path": b"GET /\x01<b> HTTP/1.1\r\n\r\n",
        "101 header lines":
            b"GET / HTTP/1.1\r\n" + b"".join(b"X-A%d: 1\r\n" % i for i in range(101)) + b"\r\n",
    }.items():
        got, closed = exchange(srv, data)
        check(got == FIXED and closed, "%s: h2o answered %r" % (what, got[:300]))

# ------------------------------------------------------------------- %ff (finding 5)
def bad_utf8():
    ciso = Client(srv)
    expect(ciso.login(city.login["ciso"]), 200, "login ciso")
    doc = ciso.call("GET", "/api/v1/openapi.json")[2]
    npath = nquery = 0
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            params = op.get("parameters", [])
            if "{" in path:
                p = re.sub(r"\{[a-z]+\}", "%ff", path)
                body = {} if method in ("post", "patch") else None
                got = ciso.call(method.upper(), p, body)
                expect_error(got, 400, "invalid_input", "", "%s %s" % (method, p))
                npath += 1
            for q in [x["name"] for x in params if x.get("in") == "query"]:
                p = re.sub(r"\{[a-z]+\}", "1", path) + "?%s=%%ff" % q
                got = ciso.call(method.upper(), p)
                expect_error(got, 400, "invalid_input", q, "%s %s" % (method, p))
                check(got[2]["error"].get("field") == q, "%s: field is %r" % (p, got[2]["error"]))
                nquery += 1
    check(npath >= 9 and nquery >= 10, "too few parameters tried: %d, %d" % (npath, nquery))
    # A valid but unknown value echoes nothing that is not UTF-8, in either language.
    for lang in ["en", "ja"]:
        got = ciso.raw("GET", "/api/v1/assets?type=%ff%fe", headers={"Accept-Language": lang})
        expect_error(got, 400, "invalid_input", "type", "type=%ff%fe " + lang)
    for p in ["/api/v1/users/%ff", "/api/v1/users/%ff/disable", "/api/v1/users/a%c3"]:
        expect(ciso.call("GET" if p.count("/") == 4 else "POST", p), 400, p)

# ------------------------------------------------------------- smaller things (finding 10)
def smaller():
    staff = Client(srv)
    expect(staff.login(city.login["staff"]), 200, "login staff")
    # Duplicate Cookie and X-CSRF-Token headers.
    dup_cookie = (b"GET /api/v1/session HTTP/1.1\r\nHost: x\r\nCookie: %s\r\nCookie: %s\r\n\r\n"
                  % (staff.cookie.encode(), staff.cookie.encode()))
    got, _ = exchange(srv, dup_cookie, wait=1.0)
    check(statuses(got) == [400] and b"Cookie" in got, "two Cookie headers: %r" % got[:400])
    # The first token is right, the second not: only the first used to be read (200).
    body = b'{"action": "copy"}'
    dup_csrf = (b"POST /api/v1/policy/decide HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n"
                b"X-CSRF-Token: %s\r\nX-CSRF-Token: wrong\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (staff.cookie.encode(), staff.csrf.encode(),
                                                 len(body), body))
    got, _ = exchange(srv, dup_csrf, wait=1.0)
    check(statuses(got) == [400] and b"X-CSRF-Token" in got, "two X-CSRF-Token headers: %r"
          % got[:400])
    # A bad filter is refused, not taken as none.
    for q in ["%", "%2", "%00", "a%", "%zz", "%c3"]:
        expect_error(staff.call("GET", "/api/v1/assets?q=" + q), 400, "invalid_input", "q",
                     "q=" + q)
    # Dot segments, raw or percent-encoded.
    for p in ["/api/v1/session/..%2fassets", "/api/v1/session/%2e%2e/assets",
              "/api/v1/session/../assets", "/api/v1/./assets", "/api/v1/%2E/assets",
              "/api/v1/session/.%2e/assets", "/api/v1/assets%2f1", "/api/v1/assets/..",
              "/api/v1/session/..%5cassets"]:
        expect_error(staff.call("GET", p), 400, "invalid_input", "path", p)
    # Malformed JSON in our words: no jansson internals, no echo of the input.
    for body, fragment in [(b'{"action": "a\\u0000b"}', "NUL"),
                           (b'{"action": nottrue}', "line 1"),
                           (b'{"action": "x", "action": "y"}', "twice"),
                           (b'{"action": "x"', "ends")]:
        got = staff.raw("POST", "/api/v1/policy/decide", body,
                        {"Content-Type": "application/json", "X-CSRF-Token": staff.csrf})
        expect_error(got, 400, "invalid_input", fragment, "body %r" % body)
        msg = got[2]["error"]["message"]
        for bad in ["JSON_", "nottrue", "near", "'x'", "'y'"]:
            check(bad not in msg, "body %r: the message %r says %r" % (body, msg, bad))
    srv.stop()

# ------------------------------------------------------- connection exhaustion (finding 4)
def connections():


    def hold(srv, n, source="127.0.0.1"):
        """Opens n connections from source, each with half a request; returns them."""
        held = []
        for _ in range(n):
            try:
                s = connect(srv, source)
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost:")
                held.append(s)
            except OSError:
                pass
        return held


    def still_open(socks, wait=1.0):
        """How many of socks the server has not closed after wait seconds."""
        time.sleep(wait)
        n = 0
        for s in socks:
            r, _, _ = select.select([s], [], [], 0)
            if r:
                try:
                    if s.recv(1, socket.MSG_PEEK) == b"":
                        continue
                except OSError:
                    continue
            n += 1
        return n


    def served(srv, source):
        s = connect(srv, source)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        got = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
        except OSError:
            pass
        s.close()
        return statuses(got) == [200]


    # The default per-client cap (64) holds 127.0.0.1 below a global cap of 100.
    srv = Server("--threads", "1", "--max-connections", "100")
    held = hold(srv, 150)
    n = still_open(held)
    check(n == 64, "127.0.0.1 holds %d connections, expected the default cap of 64" % n)
    check(served(srv, "127.0.0.2"), "127.0.0.2 is not served while 127.0.0.1 holds 150")
    for s in held:
        s.close()
    srv.stop()

    # An explicit cap; 200 slow connections from one address leave another served.
    srv = Server("--threads", "2", "--max-connections-per-client", "50")
    held = hold(srv, 200)
    n = still_open(held)
    check(n == 50, "127.0.0.1 holds %d connections, expected 50" % n)
    check(served(srv, "127.0.0.2"), "127.0.0.2 is not served while 127.0.0.1 holds 200")
    for s in held:
        s.close()
    time.sleep(0.5)
    check(served(srv, "127.0.0.1"), "127.0.0.1 is not served once its connections closed")
    srv.stop()

    # With no per-client cap to speak of, the reserve (an eighth of the global cap) is kept for
    # addresses that hold no connection.
    srv = Server("--threads", "1", "--max-connections", "80", "--max-connections-per-client",
                 "1000")
    held = hold(srv, 120)
    n = still_open(held)
    check(n == 70, "127.0.0.1 holds %d connections, expected 80 less the reserve of 10" % n)
    check(served(srv, "127.0.0.2"), "127.0.0.2 is not served from the reserve")
    for s in held:
        s.close()
    srv.stop()

    # A trusted proxy carries many clients: it is not capped per address.
    srv = Server("--threads", "1", "--max-connections-per-client", "5", "--trusted-proxy",
                 "127.0.0.1/32")
    held = hold(srv, 20)
    n = still_open(held)
    check(n == 20, "the trusted proxy holds %d connections, expected all 20" % n)
    for s in held:
        s.close()
    srv.stop()
# SKPROBE_ONLY=name,... runs only those sections (to see each fail on an older build).
ONLY = os.environ.get("SKPROBE_ONLY", "smuggling,h2o_errors,bad_utf8,smaller,connections")
for section in [smuggling, h2o_errors, bad_utf8, smaller]:
    if section.__name__ in ONLY.split(","):
        section()
srv.stop()
if "connections" in ONLY.split(","):
    connections()
print("ok")
