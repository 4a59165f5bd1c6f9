"""The two doors of a bare decision give the same answer (issue #11): a grid of
inputs (every SPEC §3 action x every confidentiality level of the profile
and none x no flag / personal / mynumber x every actor role and none, for
two profiles) is decided by `sekisho decide --json` and by POST
/api/v1/policy/decide on a running server of an installation of that
profile, and the two JSON objects must be equal (compared as parsed JSON,
so key order and spacing do not matter). A few more inputs use zone,
to_zone and asset_type, which the API used to ignore.

The CLI answers the whole grid through `decide --batch` (one process, the
API's JSON bodies on standard input), and a sample of it — every action,
every flag and every role at least once — through the options of one
`sekisho decide` each, so the options' way into the one parser is compared
too without starting thousands of processes.

Usage: test_decide_doors.py DB1 PROFILE1 DB2 PROFILE2
"""
import concurrent.futures
import json
import subprocess
import sys

import sktest
from sktest import Client, Server, check, expect, fail, password_for, sk

ACTIONS = ["create", "acquire", "use", "store", "copy", "send_email", "send_fax", "take_out",
           "transport", "provide_external", "publish", "dispose", "carry_in", "process_outside",
           "use_private_device", "take_home", "store_cloud", "store_free_cloud",
           "post_social_media", "install_software", "connect_device", "connect_network"]
FLAGS = [{}, {"personal": True}, {"mynumber": True}]
ZONES = ["mynumber", "lgwan", "internet"]


def cli_decide(profile, body):
    args = [sktest.BIN, "decide", "--profile", profile, "--json"]
    for k, v in body.items():
        opt = "--" + k.replace("_", "-")
        if v is True:
            args.append(opt)
        else:
            args += [opt, str(v)]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        fail("%s exited %d: %s" % (" ".join(args), r.returncode, r.stderr))
    return json.loads(r.stdout)


def cli_batch(profile, bodies):
    text = "".join(json.dumps(b) + "\n" for b in bodies)
    r = subprocess.run([sktest.BIN, "decide", "--profile", profile, "--batch"], input=text,
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail("decide --batch exited %d: %s %s" % (r.returncode, r.stderr, r.stdout[-500:]))
    lines = r.stdout.splitlines()
    check(len(lines) == len(bodies), "decide --batch answered %d lines for %d inputs"
          % (len(lines), len(bodies)))
    return [json.loads(line) for line in lines]


def sample(bodies):
    """Every 25th input, and the first with each action, flag set and role."""
    seen, out = set(), []
    for i, b in enumerate(bodies):
        keys = {("action", b["action"]), ("role", b.get("actor_role")),
                ("flags", b.get("mynumber", False), b.get("personal", False))}
        if i % 25 == 0 or not keys <= seen:
            out.append(i)
            seen |= keys
    return out


def grid(levels):
    for action in ACTIONS:
        for conf in [None] + levels:
            for flags in FLAGS:
                for role in [None] + sktest.ROLES:
                    body = {"action": action}
                    if conf is not None:
                        body["conf"] = conf
                    body.update(flags)
                    if role:
                        body["actor_role"] = role
                    yield body
    # zone, to_zone and asset_type reach the rules through both doors.
    for action in ACTIONS:
        for zone in ZONES:
            for to_zone in ZONES:
                yield {"action": action, "conf": levels[-1], "zone": zone, "to_zone": to_zone,
                       "actor_role": "staff"}
        for t in ["hardware", "media", "document", "data"]:
            yield {"action": action, "conf": levels[0], "asset_type": t, "mynumber": True}


def run(db, profile):
    sktest.DB = db
    sk("init", "--db", db, "--profile", profile, "--admin", "chief", "--key",
       sktest.KEY + "." + profile)
    root = json.loads(sk("org", "list", "--db", db, "--json"))[0]["code"]
    sk("user", "add", "--db", db, "--login", "asker", "--name", "asker", "--unit", root,
       "--role", "staff", "--password-stdin", stdin=password_for("asker") + "\n")
    srv = Server()
    # Four connections: each API decision waits for its audit entry's commit.
    clients = [Client(srv) for _ in range(4)]
    for c in clients:
        expect(c.login("asker"), 200, "login asker")
    c = clients[0]
    pol = c.call("GET", "/api/v1/policy")
    expect(pol, 200, "policy")
    levels = [lv["id"] for lv in pol[2]["classification"]["conf"]["levels"]]
    bodies = list(grid(levels))
    cli = cli_batch(profile, bodies)
    picked = sample(bodies)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        one_by_one = list(ex.map(lambda i: cli_decide(profile, bodies[i]), picked))
    for i, got in zip(picked, one_by_one):
        check(json.dumps(got, sort_keys=True) == json.dumps(cli[i], sort_keys=True),
              "%s: decide with options and decide --batch differ for %s:\n  %s\n  %s"
              % (profile, json.dumps(bodies[i]), json.dumps(got), json.dumps(cli[i])))

    def api_part(i):
        return [clients[i].call("POST", "/api/v1/policy/decide", b)
                for b in bodies[i::len(clients)]]

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(clients)) as ex:
        parts = list(ex.map(api_part, range(len(clients))))
    api = [None] * len(bodies)
    for i, part in enumerate(parts):
        api[i::len(clients)] = part
    differ = []
    kinds = set()
    for body, want, got in zip(bodies, cli, api):
        expect(got, 200, "POST /api/v1/policy/decide %r" % body)
        kinds.add(want["decision"])
        if json.dumps(got[2], sort_keys=True) != json.dumps(want, sort_keys=True):
            differ.append((body, want, got[2]))
    # Japanese words (issue #15) answer as the stable names do, through the API as through
    # the CLI: 持ち出し for take_out, the level's label (機密性3), マイナンバー利用事務系, パソコン.
    ja_words = {"take_out": "持ち出し", "dispose": "廃棄", "copy": "複製",
                "provide_external": "外部への提供", "send_email": "電子メールでの送信"}
    for lv in pol[2]["classification"]["conf"]["levels"]:
        for action, word in ja_words.items():
            en = {"action": action, "conf": lv["id"], "zone": "mynumber",
                  "asset_type": "hardware"}
            ja = {"action": word, "conf": lv["label"], "zone": "マイナンバー利用事務系",
                  "asset_type": "パソコン"}
            want = c.call("POST", "/api/v1/policy/decide", en)
            got = c.call("POST", "/api/v1/policy/decide", ja)
            expect(want, 200, "POST %r" % en)
            expect(got, 200, "POST %r" % ja)
            check(got[2] == want[2], "%s: %r answers %r, %r answers %r"
                  % (profile, ja, got[2], en, want[2]))
            check(cli_decide(profile, ja) == want[2],
                  "%s: the CLI answers %r differently from the API" % (profile, ja))
    # An unknown word gets the accepted words, in Japanese for a Japanese reader.
    st, _, body = c.raw("POST", "/api/v1/policy/decide",
                        json.dumps({"action": "持ち出す"}).encode(),
                        {"Content-Type": "application/json", "Accept-Language": "ja",
                         "X-CSRF-Token": c.csrf or ""})
    check(st == 400 and "持ち出し（take_out）" in body["error"]["message"],
          "an unknown action in Japanese: %s %r" % (st, body))
    srv.stop()
    for body, want, got in differ[:5]:
        print("differs for %s:\n  cli %s\n  api %s" % (json.dumps(body), json.dumps(want),
                                                     json.dumps(got)), file=sys.stderr)
    check(not differ, "%s: %d of %d decisions differ between the CLI and the API"
          % (profile, len(differ), len(bodies)))
    # A grid that only ever said one thing would prove little.
    check(len(kinds) >= 3, "%s: the grid reached only %s" % (profile, sorted(kinds)))
    print("%s: %d inputs (%d of them also as options), the CLI and the API agree (%s)"
          % (profile, len(bodies), len(picked), ", ".join(sorted(kinds))))


if len(sys.argv) != 5:
    fail("usage: test_decide_doors.py DB1 PROFILE1 DB2 PROFILE2")
run(sys.argv[1], sys.argv[2])
run(sys.argv[3], sys.argv[4])
