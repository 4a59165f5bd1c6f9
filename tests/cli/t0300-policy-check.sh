# `sekisho policy check`: a valid profile exits 0 (advisories on stdout), a broken one exits 1
# with FILE:LINE: errors, an unreadable one exits 2; list/coverage/export work on a file path.
# backends: none
. "$SEKISHO_TESTLIB"
EX=$SEKISHO_SRC/policies/example.yaml

expect_exit 0 sk policy check "$EX"
expect_in out "example.yaml: ok (例示市"
expect_in out "example.yaml:164: advisory: passwords.normal.require"
expect_in out "advisory: passwords.normal.rotation_days"

# a broken profile: several errors, each with its line
sed -e 's/action: copy$/action: fly/' -e 's/decision: allow_with_safeguards$/decision: maybe/' \
    -e 's/approver: city$/approver: csirt/' "$EX" > broken.yaml
expect_exit 1 sk policy check broken.yaml
expect_in out "broken.yaml:80: unknown action 'fly'"
expect_in out "broken.yaml:86: unknown decision 'maybe'"
expect_in out "broken.yaml:114: approver 'csirt' has no title under roles"
expect_not_in out ": ok ("
expect_not_in out "an allow rule has no safeguards"

# capabilities: an unknown capability, an unknown or repeated role, a missing roles list
cp "$EX" caps.yaml
cat >> caps.yaml <<'YAML'
capabilities:
  asset.write:
    roles: [ciso, security_manager]
    cite: ["1(1)"]
  asset.fly:
    roles: [ciso]
  audit.read:
    roles: [ciso, king, ciso]
  decide:
    cite: ["1(1)"]
YAML
base=$(wc -l < "$EX")
expect_exit 1 sk policy check caps.yaml
expect_in out "caps.yaml:$((base + 5)): unknown capability 'asset.fly'"
expect_in out "caps.yaml:$((base + 8)): unknown role 'king' in capability 'audit.read'"
expect_in out "caps.yaml:$((base + 8)): role 'ciso' is listed twice in capability 'audit.read'"
expect_in out "caps.yaml:$((base + 10)): capability 'decide' is missing 'roles'"
head -n $((base + 4)) caps.yaml > caps-ok.yaml
expect_exit 0 sk policy check caps-ok.yaml

# YAML syntax errors carry libfyaml's line
printf 'format: 1\nrules: [a, b\n' > syntax.yaml
expect_exit 1 sk policy check syntax.yaml
expect_in out "syntax.yaml:3: YAML syntax error"

expect_exit 2 sk policy check no-such-file.yaml
expect_in err "cannot read profile 'no-such-file.yaml'"
expect_exit 2 sk policy check
expect_exit 2 sk policy

# every built-in profile is valid
expect_exit 0 sk policy list
for p in $(awk '{print $1}' out); do
  expect_exit 0 sk policy check "$SEKISHO_SRC/policies/$p.yaml"
done

# coverage: encoded, out of scope and missing articles
expect_exit 0 sk policy coverage "$EX" --json
python3 - <<'PY' || fail "coverage json"
import json
c = json.load(open("out"))
assert c["city"] == "example" and c["articles"] == 15, c
assert [a["id"] for a in c["out_of_scope"]] == ["3(5)"], c
assert [a["id"] for a in c["not_encoded"]] == ["3(4)", "3(6)"], c
assert len(c["encoded"]) == 12, c
PY
expect_exit 0 sk policy coverage "$EX"
expect_in out "NOT encoded (2):"

# OSCAL catalog
expect_exit 0 sk policy export --oscal "$EX"
python3 - <<'PY' || fail "oscal json"
import json, re
c = json.load(open("out"))["catalog"]
assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", c["uuid"])
m = c["metadata"]
assert m["oscal-version"] == "1.1.2" and m["title"] and m["last-modified"] and m["version"]
ids = [g["id"] for g in c["groups"]]
assert ids[:2] == ["ch-1", "ch-2"], ids
rules = [r for g in c["groups"] for a in g["controls"] for r in a.get("controls", [])]
byid = {r["id"]: r for r in rules}
p = {(x["name"], x["value"]) for x in byid["rule-copy-conf3"]["props"]}
assert ("decision", "forbid") in p and ("approver-role", "security_manager") in p, p
assert ("safeguard", "encrypt_or_password") in p and ("exception-possible", "true") in p, p
PY
expect_exit 2 sk policy export "$EX"
expect_in err "--oscal"
