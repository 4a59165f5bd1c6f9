"""skcity: the set-up the end-to-end workflow tests share (requests, request kinds, notify).

Each of those tests builds one or more installations of a named profile with the CLI, as an
administrator would, reads the database under test directly to see what was stored, and
waits on a server or the SMTP sink. These helpers were written out in each test file; one
copy here keeps the installations they build the same.

Environment: as sktest (SEKISHO_BIN, DB, KEY).
"""
import json
import os
import re
import socket
import sqlite3
import subprocess
import time

from sktest import DB, KEY, Client, check, expect, fail, password_for, sk


def reset_db():
    """A new installation in the same database URL: an empty database and a new audit key."""
    for f in (KEY, KEY + ".pub"):
        if os.path.exists(f):
            os.remove(f)
    if DB.startswith("sqlite:"):
        path = DB[len("sqlite:"):]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    else:
        subprocess.run(["psql", "-q", DB, "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"],
                       check=True, capture_output=True)


def build(profile, units, users):
    """A new installation of profile with units (code, kind, parent or None for the root) and
    users (login, unit or None for the root, role); returns {unit code: id, "ROOT": id}."""
    reset_db()
    out = sk("init", "--db", DB, "--profile", profile, "--admin", "chief", "--key", KEY)
    check(re.search(r"temporary password", out), "init printed no temporary password")
    root = json.loads(sk("org", "list", "--db", DB, "--json"))[0]["code"]
    for code, kind, parent in units:
        sk("org", "add", "--db", DB, "--code", code, "--name", code.upper(), "--kind", kind,
           "--parent", parent or root)
    for login, unit, role in users:
        sk("user", "add", "--db", DB, "--login", login, "--name", login, "--unit",
           unit or root, "--role", role, "--password-stdin", stdin=password_for(login) + "\n")
    ids = {u["code"]: u["id"] for u in json.loads(sk("org", "list", "--db", DB, "--json"))}
    ids["ROOT"] = ids[root]
    return ids


def clients(srv, logins):
    """A logged-in client of srv per login, by login."""
    out = {}
    for login in logins:
        c = Client(srv)
        expect(c.login(login), 200, "login " + login)
        out[login] = c
    return out


def sql(q):
    """Rows of q on the database under test, as lists of strings."""
    if DB.startswith("sqlite:"):
        con = sqlite3.connect(DB[len("sqlite:"):], timeout=30)
        try:
            return [[("" if v is None else str(v)) for v in row] for row in con.execute(q)]
        finally:
            con.close()
    out = subprocess.run(["psql", DB, "-qAt", "-F", "\t", "-c", q], capture_output=True,
                         text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def error(got, status, code, field, what):
    """An error answer with status and code that names field (None: any field); its body."""
    expect(got, status, what)
    e = got[2].get("error", {}) if isinstance(got[2], dict) else {}
    check(e.get("code") == code, "%s: code %r, expected %r (%s)" % (what, e.get("code"), code,
                                                                      e.get("message")))
    if field:
        check(e.get("field") == field or field in e.get("message", ""),
              "%s: the error does not name %s: %r" % (what, field, e))
    return e


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(cond, what, limit=120):
    """Polls cond until it holds; a deadline only against hanging, not a timing assertion."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.2)
    fail("gave up waiting for " + what)
