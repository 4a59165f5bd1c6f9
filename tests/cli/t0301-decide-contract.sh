# `sekisho decide`: the SPEC §3 JSON object, exit 0 whatever the decision, exit 2 naming any
# bad value; --explain shows the rules; levels as the profile's scheme names them (3A...).
# backends: none
. "$SEKISHO_TESTLIB"
EX=$SEKISHO_SRC/policies/example.yaml

shape() {
python3 - <<'PY' || fail "decision shape"
import json
d = json.load(open("out"))
assert set(d) == {"decision", "approver_role", "safeguards", "exception_possible", "citations"}, d
assert d["decision"] in ("allow", "allow_with_safeguards", "require_approval", "forbid")
assert d["approver_role"] is None or isinstance(d["approver_role"], str)
assert isinstance(d["safeguards"], list) and isinstance(d["exception_possible"], bool)
assert d["citations"] and all(isinstance(c, str) and c for c in d["citations"])
if d["exception_possible"]:
    assert d["decision"] == "forbid" and d["approver_role"]
if d["decision"] == "require_approval":
    assert d["approver_role"]
if d["decision"] in ("allow", "allow_with_safeguards"):
    assert d["approver_role"] is None
PY
}

expect_exit 0 sk decide --profile "$EX" --action copy --conf 3A --json
shape
expect_eq "$(cat out)" '{"decision": "forbid", "approver_role": "security_manager", "safeguards": ["encrypt_or_password", "record"], "exception_possible": true, "citations": ["例示 2(2)"]}'

expect_exit 0 sk decide --profile "$EX" --action copy --conf 2 --mynumber --json
shape
expect_eq "$(cat out)" '{"decision": "forbid", "approver_role": null, "safeguards": [], "exception_possible": false, "citations": ["例示 2(2)"]}'

expect_exit 0 sk decide --profile "$EX" --action copy --conf 1 --integ 1 --avail 1 --json
expect_in out '"decision": "allow"'

# the actor's role changes the answer: contractors need the city's approval
expect_exit 0 sk decide --profile "$EX" --action transport --conf 2 --actor-role contractor --json
shape
expect_in out '"approver_role": "city"'
expect_in out '"例示 1(3)"'
expect_exit 0 sk decide --profile "$EX" --action transport --conf 2 --json
expect_in out '"approver_role": "security_manager"'

# zone and personal flags
expect_exit 0 sk decide --profile "$EX" --action send_email --conf 3C --zone lgwan --json
expect_in out '(no rule; strictest applied)'
expect_exit 0 sk decide --profile "$EX" --action dispose --conf 1 --personal --json
expect_in out '"disposal_certificate"'

# silence: strictest applied, never an empty citation list
expect_exit 0 sk decide --profile "$EX" --action publish --json
shape
expect_in out '"citations": ["例示 (no rule; strictest applied)"]'

# every action answers with the contract's shape
for a in create acquire use store copy send_email send_fax take_out transport provide_external \
         publish dispose carry_in process_outside use_private_device take_home store_cloud \
         store_free_cloud post_social_media install_software connect_device connect_network; do
  expect_exit 0 sk decide --profile "$EX" --action "$a" --conf 2 --json
  shape
done

# --explain: a readable trail
expect_exit 0 sk decide --profile "$EX" --action copy --conf 2 --explain
expect_in out "copy-conf3 (line"
expect_in out "conf is 2, the rule wants 3C|3B|3A -> not matched"
expect_in out "copy-conf2 (line"
expect_in out "result: {\"decision\": \"allow_with_safeguards\""
expect_exit 0 sk decide --profile "$EX" --action copy --conf 2 --explain --json
expect_in err "copy-conf2"
shape

# plain text
expect_exit 0 sk decide --profile "$EX" --action copy --conf 3B
expect_in out "decision: forbid"
expect_in out "approver: security_manager (Information security manager)"

# bad input: exit 2 naming the bad value
expect_exit 2 sk decide --profile "$EX" --action fly --json
expect_in err "unknown action 'fly'"
expect_exit 2 sk decide --profile "$EX" --action copy --conf 3 --json
expect_in err "unknown conf level '3'"
expect_in err "3C, 3B, 3A"
expect_exit 2 sk decide --profile "$EX" --action copy --integ 7 --json
expect_in err "unknown integ level '7'"
expect_exit 2 sk decide --profile "$EX" --action copy --actor-role king --json
expect_in err "unknown role 'king'"
expect_exit 2 sk decide --profile "$EX" --action copy --zone moon --json
expect_in err "unknown zone 'moon'"
expect_exit 2 sk decide --profile atlantis --action copy --json
expect_in err "unknown profile 'atlantis'"
expect_exit 2 sk decide --action copy --json
expect_in err "--profile is required"
expect_exit 2 sk decide --profile "$EX" --json
expect_in err "--action is required"
expect_exit 2 sk decide --profile "$EX" --action copy --bogus
expect_exit 2 sk decide --profile "$EX" --action copy extra
printf 'format: 1\n' > broken.yaml
expect_exit 2 sk decide --profile broken.yaml --action copy --json
expect_in err "broken.yaml:1: the profile is missing 'rules'"
expect_eq "$(cat out)" ""

# built-in profiles are found by name; each answers every action with the contract's shape
expect_exit 0 sk policy list
for p in $(awk '{print $1}' out); do
  expect_exit 0 sk decide --profile "$p" --action copy --json
  shape
  expect_exit 0 sk decide --profile "$p" --action take_out --actor-role contractor --mynumber --json
  shape
done

# the newer inputs (--asset-type, --to-zone) and several approvers keep the §3 object as it is:
# the same five keys, approver_role one role (the first listed)
cp "$EX" ex2.yaml
cat >>ex2.yaml <<'YAML'
exceptions: {approver: ciso, report_afterwards: true, cite: ["2(2)"]}
YAML
expect_exit 0 sk policy check ex2.yaml
expect_exit 0 sk decide --profile ex2.yaml --action connect_network --asset-type hardware \
	--zone lgwan --to-zone internet --json
shape
expect_exit 0 sk decide --profile ex2.yaml --action copy --conf 3A --json
expect_eq "$(cat out)" '{"decision": "forbid", "approver_role": "security_manager", "safeguards": ["encrypt_or_password", "record"], "exception_possible": true, "citations": ["例示 2(2)"]}'
expect_exit 0 sk decide --profile hachioji --action connect_device --conf 1 --integ 1 --avail 1 \
	--asset-type media --json
shape
expect_in out '"approver_role": "security_manager"'
expect_exit 2 sk decide --profile "$EX" --action copy --asset-type Hardware --json
expect_in err "unknown asset_type 'Hardware' (accepted: hardware, software,"

# --batch: the API's JSON bodies, one a line, answered one a line in order, each the
# same object the options give; a bad line is answered with its error and makes the exit 2.
expect_exit 0 sk decide --profile "$EX" --action take_out --conf 3A --json
want=$(cat out)
printf '%s\n' '{"action": "take_out", "conf": "3A"}' '' '{"action": "take_out", "conf": "3A"}' \
  >batch.in
expect_exit 0 sk decide --profile "$EX" --batch <batch.in
expect_eq "$(wc -l <out | tr -d ' ')" 2 "answers to two inputs and a blank line"
expect_eq "$(sed -n 1p out)" "$want" "batch answer 1"
expect_eq "$(sed -n 2p out)" "$want" "batch answer 2"
printf '%s\n' '{"action": "fly"}' '{"action": "take_out", "colour": "red"}' 'nope' \
  '{"action": "take_out", "conf": "3A"}' >batch.in
expect_exit 2 sk decide --profile "$EX" --batch <batch.in
jq -e '.error.code == "invalid_input" and
       (.error.message | startswith("unknown action '"'"'fly'"'"' (accepted: create, acquire,"))' \
  <<<"$(sed -n 1p out)" >/dev/null || fail "an unknown action: $(sed -n 1p out)"
expect_in out "unknown field 'colour'"
expect_in out '"code":"invalid_input","message":"malformed JSON'
expect_eq "$(sed -n 4p out)" "$want" "a good line after bad ones"
expect_exit 2 sk decide --profile "$EX" --batch --action take_out </dev/null
expect_in err "--batch reads every input from standard input"
