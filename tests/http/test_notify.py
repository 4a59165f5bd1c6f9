"""Notifications (issue #13 part 5) through the real server and a real SMTP
sink (tests/http/smtp_sink.py, Debian's python3-aiosmtpd).

With the sink DOWN, notifications are created and their mail waits in the
queue, each failed attempt counted; then the sink starts and every mail
arrives exactly once, to the right address, with a Japanese subject that
decodes to the catalog's title, the reference number and the link, and no
field value of any record (a 機密性3 asset's name is in the database to be
looked for). In-app: each person lists and reads only their own. The CLI's
`notify flush` is checked the same way (down: exit 75, counted; up: sent
once). Nothing about an address, a subject or a password reaches the
server's log.

The expectations (titles, reference format, link paths) are written here
from the issue and the catalog's wording, not read from the code.
"""
import email
import email.header
import email.policy
import glob
import json
import os
import subprocess

from skcity import free_port, sql, wait_for
from sktest import (City, Client, Server, DB, check, expect, password_for, sk, BIN)

SINK = os.path.join(os.environ["SEKISHO_SRC"], "tests/http/smtp_sink.py")
FROM = "sekisho@city.example"
BASE = "https://sekisho.city.example"
SECRET_NAME = "職員給与データ（極秘）"


class Sink:
    def __init__(self, port, outdir):
        self.outdir = outdir
        self.proc = subprocess.Popen(["/usr/bin/python3", SINK, str(port), outdir],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        check(line.strip() == "ready", "the SMTP sink did not start: %r" % line)

    def mails(self):
        out = []
        for j in sorted(glob.glob(os.path.join(self.outdir, "*.json"))):
            env = json.load(open(j))
            raw = open(j[:-5] + ".eml", "rb").read()
            out.append((env, raw, email.message_from_bytes(raw, policy=email.policy.default)))
        return out

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=15)


def note_id(out):
    # "notification 12 for LOGIN; ..."
    return int(out.split()[1])


def check_mail(env, raw, msg, login, addr, uid):
    ref = "U-%06d" % uid
    check(env["to"] == [addr], "mail for %s went to %s" % (login, env["to"]))
    check(env["from"] == FROM, "envelope sender %s" % env["from"])
    check(msg["To"] == "<%s>" % addr or msg["To"] == addr, "To: %s" % msg["To"])
    check(msg["Date"] is not None and msg["Message-ID"] is not None,
          "Date or Message-ID missing")
    raw_subject = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    check("=?UTF-8?B?" in raw_subject, "the subject is not RFC 2047 encoded")
    subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
    # The catalog's title of a test notification: 「sekisho のテスト通知 U-000012」.
    check(subject == "[sekisho] sekisho のテスト通知 " + ref, "subject decodes to %r" % subject)
    body = msg.get_content()
    check("参照番号: " + ref in body, "the body lacks the reference: %r" % body)
    check(BASE + "/notifications" in body, "the body lacks the link: %r" % body)
    check(SECRET_NAME not in body and SECRET_NAME not in subject, "a field value in a mail")
    check(password_for(login) not in raw.decode("ascii"), "a password in a mail")


city = City()
for login, addr in [("u-staff", "staff@city.example"),
                    ("u-security-manager", "sm@city.example")]:
    sk("user", "set", "--db", DB, login, "--email", addr)
# A 機密性3 record whose name no mail may carry.
sk("asset", "add", "--db", DB, "--unit", "sec-a1", "--type", "data", "--name", SECRET_NAME,
   "--conf", "3", "--integ", "2", "--avail", "2", "--manager", "mgr", "--zone", "lgwan")
uid = {row[0]: int(row[1]) for row in sql("SELECT login, id FROM users")}

port = free_port()
smtp = "smtp://127.0.0.1:%d" % port
srv = Server("--smtp", smtp, "--mail-from", FROM, "--mail-retry", "1", "--base-url", BASE)

# --- the sink is down: mail waits, attempts are counted ---
notes = {}
for login in ["u-staff", "u-security-manager", "u-csirt"]:
    out = sk("notify", "test", "--db", DB, "--to", login)
    check(("mail queued" in out) == (login != "u-csirt"), "notify test said: " + out)
    notes[login] = note_id(out)
check(len(sql("SELECT id FROM notifications WHERE mail_to IS NOT NULL")) == 2, "two mails queued (u-csirt has no address)")
wait_for(lambda: all(int(r[0]) >= 2 for r in sql("SELECT mail_attempts FROM notifications WHERE mail_to IS NOT NULL")),
         "two failed attempts of each queued mail")
rows = sql("SELECT mail_to, mail_sent_at, mail_error FROM notifications WHERE mail_to IS NOT NULL ORDER BY id")
for to, sent, err in rows:
    check(sent == "", "mail to %s marked sent with the sink down" % to)
    check("127.0.0.1:%d" % port in err, "last_error %r does not name the server" % err)
# What waits is the notification and its mail's state, not the mail: the subject and the body
# are made when the sender sends (checked by check_mail once the sink is up).
stored = repr(sql("SELECT * FROM notifications"))
check("テスト通知" not in stored and BASE not in stored and "U-0" not in stored,
      "the mail's text is stored with the notification: %s" % stored)
audit = sql("SELECT COUNT(*) FROM audit_log WHERE action = 'notify.test'")[0][0]
check(audit == "3", "notify test audited %s times, expected 3" % audit)

# --- the sink starts: everything arrives, once ---
sink = Sink(port, os.path.join(os.getcwd(), "mail"))
wait_for(lambda: all(r[0] != "" for r in sql("SELECT mail_sent_at FROM notifications WHERE mail_to IS NOT NULL")),
         "every queued mail sent")
wait_for(lambda: len(sink.mails()) >= 2, "the sink to hold both mails")
mails = sink.mails()
check(len(mails) == 2, "%d mails arrived, expected 2" % len(mails))
by_to = {env["to"][0]: (env, raw, msg) for env, raw, msg in mails}
check(set(by_to) == {"staff@city.example", "sm@city.example"}, "recipients %s" % list(by_to))
check_mail(*by_to["staff@city.example"], "u-staff", "staff@city.example", uid["u-staff"])
check_mail(*by_to["sm@city.example"], "u-security-manager", "sm@city.example",
           uid["u-security-manager"])
check(len({m["Message-ID"] for _, _, m in mails}) == 2, "Message-IDs repeat")

# --- in-app: one's own only ---
staff, csirt = Client(srv), Client(srv)
expect(staff.login("u-staff"), 200, "login u-staff")
expect(csirt.login("u-csirt"), 200, "login u-csirt")
got = staff.raw("GET", "/api/v1/notifications", headers={"Accept-Language": "ja"})
expect(got, 200, "list")
check(got[2]["unread"] == 1 and len(got[2]["items"]) == 1, "u-staff's list: %s" % got[2])
item = got[2]["items"][0]
check(item["id"] == notes["u-staff"] and item["kind"] == "test"
      and item["ref"] == "U-%06d" % uid["u-staff"] and item["read_at"] is None
      and item["title"] == "sekisho のテスト通知 U-%06d" % uid["u-staff"]
      and item["link"] == BASE + "/notifications", "u-staff's notification: %s" % item)
got = staff.raw("GET", "/api/v1/notifications", headers={"Accept-Language": "en"})
check(got[2]["items"][0]["title"] == "Test notification U-%06d from sekisho" % uid["u-staff"],
      "English title: %s" % got[2]["items"][0]["title"])
got = csirt.call("GET", "/api/v1/notifications")
check([i["id"] for i in got[2]["items"]] == [notes["u-csirt"]], "u-csirt's list: %s" % got[2])
# Another's notification: 404, and it stays unread.
got = csirt.call("POST", "/api/v1/notifications/%d/read" % notes["u-staff"])
expect(got, 404, "reading another's notification")
check(got[2]["error"]["code"] == "not_found", "error code %s" % got[2]["error"]["code"])
expect(staff.call("POST", "/api/v1/notifications/999999/read"), 404, "an unknown id")
got = staff.call("POST", "/api/v1/notifications/%d/read" % notes["u-staff"])
expect(got, 200, "reading one's own")
check(got[2]["read_at"] is not None, "read_at not set: %s" % got[2])
got = staff.call("GET", "/api/v1/notifications?unread=1")
check(got[2]["unread"] == 0 and got[2]["items"] == [], "unread after reading: %s" % got[2])
got = staff.call("GET", "/api/v1/notifications")
check(len(got[2]["items"]) == 1, "the read notification left the list")
expect(staff.call("GET", "/api/v1/notifications?unread=2"), 400, "unread=2")
expect(staff.call("GET", "/api/v1/notifications?limit=0"), 400, "limit=0")
expect(staff.call("GET", "/api/v1/notifications?limit=1000"), 400, "limit=1000")
expect(staff.call("GET", "/api/v1/notifications?since=1"), 400, "an undeclared parameter")
# An account's address through the API: checked like the CLI's, and used.
chief = Client(srv)
expect(chief.login("u-ciso"), 200, "login u-ciso")
got = chief.call("POST", "/api/v1/users", {"login": "mail-bad", "name": "X", "unit": "sec-a1",
                                          "roles": ["staff"], "email": "x@y.example\r\nBcc: z@w"})
expect(got, 400, "an address with a header in it")
check(got[2]["error"].get("field") == "email" or "email" in got[2]["error"]["message"],
      "the error does not name email: %s" % got[2])
check(sql("SELECT COUNT(*) FROM users WHERE login = 'mail-bad'") == [["0"]], "account written")
got = chief.call("POST", "/api/v1/users", {"login": "mail-ok", "name": "X", "unit": "sec-a1",
                                          "roles": ["staff"], "email": "ok@city.example"})
expect(got, 201, "an account with an address")
got = chief.call("GET", "/api/v1/users/mail-ok")
check(got[2].get("email") == "ok@city.example", "the account's address: %s" % got[2])
srv.stop()
log = srv.proc.stderr.read()
for secret in ["staff@city.example", "sm@city.example", "テスト通知", password_for("u-staff"),
               SECRET_NAME]:
    check(secret not in log, "the server's log holds %r" % secret)

# --- the CLI's flush: down (exit 75, counted), then up (sent once) ---
sink.stop()
out = sk("notify", "test", "--db", DB, "--to", "u-staff")
r = subprocess.run([BIN, "notify", "flush", "--db", DB, "--smtp", smtp, "--mail-from", FROM],
                   capture_output=True, text=True)
check(r.returncode == 75, "flush with the sink down exited %d: %s" % (r.returncode, r.stderr))
check("1 not sent" in r.stdout and "staff@city.example" not in r.stderr,
      "flush said: %s / %s" % (r.stdout, r.stderr))
check(sql("SELECT mail_attempts, mail_sent_at FROM notifications WHERE id = %d"
          % note_id(out)) == [["1", ""]], "the failed flush was not counted")
# Due later: a plain flush leaves it; --now tries it at once.
sink = Sink(port, os.path.join(os.getcwd(), "mail2"))
check("sent 0 mails" in sk("notify", "flush", "--db", DB, "--smtp", smtp, "--mail-from", FROM),
      "a flush sent mail not yet due")
check("sent 1 mail," in sk("notify", "flush", "--db", DB, "--smtp", smtp, "--mail-from", FROM,
                           "--now"), "flush --now did not send the waiting mail")
check("sent 0 mails" in sk("notify", "flush", "--db", DB, "--smtp", smtp, "--mail-from", FROM,
                           "--now"), "a second flush sent again")
mails = sink.mails()
check(len(mails) == 1 and mails[0][0]["to"] == ["staff@city.example"],
      "the CLI's flush delivered %s" % [m[0] for m in mails])
check_mail(*mails[0], "u-staff", "staff@city.example", uid["u-staff"])
sink.stop()
# Bad settings are refused before anything is sent.
for args, frag in [(["--smtp", "http://x", "--mail-from", FROM], "smtp://"),
                   (["--smtp", smtp, "--mail-from", "no address"], "--mail-from")]:
    r = subprocess.run([BIN, "notify", "flush", "--db", DB] + args, capture_output=True,
                       text=True)
    check(r.returncode == 2 and frag in r.stderr, "flush %s: %d %s" % (args, r.returncode,
                                                                       r.stderr))
print("notifications: queued while the sink was down, delivered once, own-only in-app")
