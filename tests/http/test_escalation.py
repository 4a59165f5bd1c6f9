"""Issue #12 finding 2: the general manager cannot take over. Each step the probe took is
refused: granting herself a role (auditor, ciso), granting or revoking a role at or above her
own, disabling the CISO's account, holding the auditor's role beside an administrative one. The
seeds place the CISO above the 統括情報セキュリティ責任者 (八王子 4, 成田 基準 1); the CISO appoints
the auditor (世田谷 16(1)ア); the auditor is independent of what is audited (national guideline).
"""
import json
import subprocess

import sktest
from sktest import City, Client, Server, check, expect, expect_error, sk, DB


def sk_any(*args):
    """Runs sekisho; (exit status, stdout and stderr) whatever the status."""
    pre = ["--as", sktest.AS] if sktest.person_level(args) else []
    r = subprocess.run([sktest.BIN] + pre + list(args), capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


city = City()
srv = Server()
gm = Client(srv)
expect(gm.login(city.login["general_manager"]), 200, "login general_manager")
ciso = Client(srv)
expect(ciso.login(city.login["ciso"]), 200, "login ciso")
me, boss = city.login["general_manager"], city.login["ciso"]
root = city.root

# Nobody grants a role to themselves.
for role in ["auditor", "ciso", "staff"]:
    got = gm.call("POST", "/api/v1/roles", {"login": me, "role": role, "unit": root})
    check(got[0] == 403, "self-grant of %s answered %d %r" % (role, got[0], got[2]))
# Nothing at or above one's own role, to anyone.
for role in ["ciso", "general_manager", "auditor"]:
    got = gm.call("POST", "/api/v1/roles", {"login": "victim", "role": role, "unit": root})
    expect_error(got, 403, "forbidden", "at or above your own role", "GM grants %s" % role)
expect_error(gm.call("POST", "/api/v1/roles/revoke", {"login": boss, "role": "ciso",
                                                      "unit": root}),
             403, "forbidden", "at or above your own role", "GM revokes the CISO's role")
expect_error(gm.call("POST", "/api/v1/users/%s/disable" % boss), 403, "forbidden",
             "at or above your own", "GM disables the CISO")
# Below her own role she still administers: a grant and its revocation go through.
expect(gm.call("POST", "/api/v1/roles", {"login": "victim", "role": "csirt", "unit": root}),
       201, "GM grants csirt")
expect(gm.call("POST", "/api/v1/roles/revoke", {"login": "victim", "role": "csirt",
                                                "unit": root}), 200, "GM revokes csirt")
# The CISO appoints the auditor, but not onto an administrator: separation of duties.
expect_error(ciso.call("POST", "/api/v1/roles", {"login": me, "role": "auditor", "unit": root}),
             409, "conflict", "may not be held with", "auditor onto the general manager")
expect(ciso.call("POST", "/api/v1/roles", {"login": "victim", "role": "auditor",
                                           "unit": root}), 201, "CISO appoints an auditor")
expect_error(ciso.call("POST", "/api/v1/roles", {"login": "victim", "role": "system_manager",
                                                 "unit": root}),
             409, "conflict", "may not be held with", "an administrative role onto the auditor")
# At the CLI too (acting for the chief administrator): the separation is the policy's.
rc, out = sk_any("role", "grant", "--db", DB, "--login", "victim", "--role", "security_officer",
                 "--unit", root)
check(rc == 2 and "may not be held with" in out,
      "the CLI granted an administrative role to the auditor: %d %r" % (rc, out))
# None of the refused steps changed anything: the roles are as they were.
grants = json.loads(sk("role", "list", "--db", DB, "--login", me, "--json"))
check(sorted(g["role"] for g in grants) == ["general_manager"],
      "the general manager's roles changed: %r" % grants)
srv.stop()
print("escalation steps refused")
