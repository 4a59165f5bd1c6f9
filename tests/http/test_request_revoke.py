"""A role revoked from the CLI stops the next write through the API at once (issue #13).

The request writer keeps the scopes it loaded and reuses one while the authorization
generation (a counter every change of roles, accounts and units bumps in its own transaction,
whatever door made it) stands still. Here the writer has just filed a request for the staff
member, so it holds their scope; the CLI (another process) then revokes their only role, and
the very next filing is refused with nothing written, although the server's session cache may
still say they hold the role (that cache is trusted for up to a second, for reads). Granted
again, the next filing goes through.
"""
import json
import time

from sktest import City, Client, Server, DB, check, expect, sk

city = City()
srv = Server()
staff = Client(srv)
expect(staff.login(city.login["staff"]), 200, "staff login")
ENTRY = {"kind": "zone_entry", "reason": "サーバ室の点検",
         "details": {"zone": "サーバ室", "entered_at": "2026-12-01 10:00"}}


def mine():
    """The requests on record, as the operator lists them (the CLI)."""
    return len(json.loads(sk("request", "list", "--db", DB, "--box", "all", "--json")))


# Twice, so that the writer has the staff member's scope in hand.
for _ in range(2):
    expect(staff.call("POST", "/api/v1/requests", ENTRY), 201, "file a zone entry")
check(mine() == 2, "two filings, %d requests" % mine())

sk("role", "revoke", "--db", DB, "--login", city.login["staff"], "--role", "staff",
   "--unit", "sec-a1")
got = staff.call("POST", "/api/v1/requests", ENTRY)
check(got[0] in (401, 403, 404), "a filing after the role was revoked answered %r" % (got,))
check(mine() == 2, "a filing after the role was revoked wrote something")

sk("role", "grant", "--db", DB, "--login", city.login["staff"], "--role", "staff",
   "--unit", "sec-a1")
# The door's own check reads the session cache, which sees another process's grant within a
# second (src/http/scache.c); the writer sees it at once. So the filing is tried until the door
# lets it through.
for _ in range(50):
    got = staff.call("POST", "/api/v1/requests", ENTRY)
    if got[0] != 403:
        break
    time.sleep(0.1)
expect(got, 201, "file once the role is back")
check(mine() == 3, "the filing after the grant is not there: %d requests" % mine())
srv.stop()
print("request writer: a role revoked from the CLI stops the next filing at once")
