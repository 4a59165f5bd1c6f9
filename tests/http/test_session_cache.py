"""The server's session cache (src/http/scache.c) never outlives a change:
after logout, a password change, disabling the account (through the API:
at once; through the CLI, another process: within the cache's staleness
bound of 1 s) and taking a role back (API and CLI), the old session or the
old rights no longer work. Granting a role widens the scope at once.

Every session is used a few times before the change, so that the cache
certainly holds it. The CLI cases poll with a short sleep under a generous
bound: they check that the change takes effect, not how fast.
"""
import atexit
import time

from sktest import City, Client, Server, check, expect, expect_error, password_for, sk, DB

city = City()
srv = Server()
# A failed check exits at once: do not leave the server behind.
atexit.register(lambda: srv.proc.poll() is None and srv.proc.kill())
ASSET = "/api/v1/assets/%d" % city.asset["sec-a1"]
OUTSIDE = "/api/v1/assets/%d" % city.asset["sec-b1"]
BOUND = 10.0  # seconds: far above the 1 s staleness bound, so a loaded machine still passes


def user(login, unit="sec-a1", role="staff"):
    sk("user", "add", "--db", DB, "--login", login, "--name", login, "--unit", unit,
       "--role", role, "--password-stdin", stdin=password_for(login) + "\n")


def session(login):
    c = Client(srv)
    expect(c.login(login), 200, "login " + login)
    warm(c, login)
    return c


def warm(c, what, path=ASSET):
    for _ in range(5):
        expect(c.call("GET", path), 200, "%s reads %s" % (what, path))


def eventually(c, path, statuses, what):
    """Polls path until it answers one of statuses, for at most BOUND seconds."""
    deadline = time.monotonic() + BOUND
    while True:
        got = c.call("GET", path)
        if got[0] in statuses:
            return got
        check(time.monotonic() < deadline,
              "%s: still answered %d after %.0f s" % (what, got[0], BOUND))
        time.sleep(0.05)


admin = Client(srv)
expect(admin.login("u-ciso"), 200, "login ciso")

# --- logout: the cookie is dead at once, on every connection ---
for name in ["c-logout", "c-pw", "c-pw2", "c-dis", "c-dis-cli", "c-rev", "c-rev-cli", "c-grant"]:
    user(name)
a = session("c-logout")
other = Client(srv)
other.cookie = a.cookie
warm(other, "second connection of c-logout")
expect(a.call("POST", "/api/v1/logout"), 200, "logout")
expect_error(a.call("GET", ASSET), 401, "unauthorized", "", "after logout")
expect_error(other.call("GET", ASSET), 401, "unauthorized", "", "after logout, other connection")

# --- password change: every older session of the account ends at once ---
p1 = session("c-pw")
p2 = session("c-pw")
old_cookie = p1.cookie
newpw = "Nw#2026-c-pwQ7z"
got = p1.call("POST", "/api/v1/password", {"old": password_for("c-pw"), "new": newpw})
expect(got, 200, "password change")
expect_error(p2.call("GET", ASSET), 401, "unauthorized", "", "other session after password change")
stale = Client(srv)
stale.cookie = old_cookie
expect_error(stale.call("GET", ASSET), 401, "unauthorized", "", "old cookie after password change")

# --- disabling through the API: at once ---
d = session("c-dis")
expect(admin.call("POST", "/api/v1/users/c-dis/disable"), 200, "disable c-dis")
expect_error(d.call("GET", ASSET), 401, "unauthorized", "", "disabled account (API)")

# --- disabling through the CLI (another process): within the staleness bound ---
dc = session("c-dis-cli")
sk("user", "disable", "--db", DB, "c-dis-cli")
eventually(dc, ASSET, (401,), "disabled account (CLI)")
# ... and it stays dead once the database said so.
expect_error(dc.call("GET", ASSET), 401, "unauthorized", "", "disabled account (CLI), again")

# --- taking the only role back through the API: no rights left at once ---
r = session("c-rev")
expect(admin.call("POST", "/api/v1/roles/revoke",
                  {"login": "c-rev", "role": "staff", "unit": "sec-a1"}), 200, "revoke c-rev")
got = r.call("GET", ASSET)
check(got[0] in (403, 404), "revoked role (API) still reads the asset: %d" % got[0])

# --- the same through the CLI: within the staleness bound ---
rc = session("c-rev-cli")
sk("role", "revoke", "--db", DB, "--login", "c-rev-cli", "--role", "staff", "--unit", "sec-a1")
eventually(rc, ASSET, (403, 404), "revoked role (CLI)")

# --- granting a role elsewhere widens the cached scope at once ---
g = session("c-grant")
expect_error(g.call("GET", OUTSIDE), 404, "not_found", "", "outside scope before the grant")
expect(admin.call("POST", "/api/v1/roles", {"login": "c-grant", "role": "staff", "unit": "sec-b1"}),
       201, "grant c-grant at sec-b1")
expect(g.call("GET", OUTSIDE), 200, "inside scope after the grant")
# ... and revoking it narrows the scope again, while the other role still works.
expect(admin.call("POST", "/api/v1/roles/revoke",
                  {"login": "c-grant", "role": "staff", "unit": "sec-b1"}), 200, "revoke again")
expect_error(g.call("GET", OUTSIDE), 404, "not_found", "", "outside scope after the revoke")
expect(g.call("GET", ASSET), 200, "the remaining role still reads its unit")

srv.stop()
print("http session cache: all checks passed")
