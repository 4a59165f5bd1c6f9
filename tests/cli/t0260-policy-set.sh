# The installation's policy set (issue #16 item 1, docs/policy-set.md). In the demo city (八王子市)
# its own sections follow standards (成田 基準), the designated manager `center-dm` the 八王子
# guideline and the contractor `vendor-sys` the 新潟 contractor requirements: one decision for
# each, answered under its own document, cited by document and article, with the approver the
# document names held in that unit's chain. A change of the set is refused without the CISO's
# approved policy_activation request, changing nothing, and is audited with one. Expected
# values from the seeds: 成田 基準 2(2)⑩ウ (廃棄…情報セキュリティ管理者の許可), 八王子 7(7)イ
# (持ち出し…情報セキュリティ対策責任者の許可), 新潟 別記 第6条第4項 (持ち出す…事前に甲の許可).
. "$SEKISHO_TESTLIB"
fresh_db

# holds ROLE UNIT...: some demo account holds ROLE at one of the units (the unit's chain).
holds() {
  local role=$1
  shift
  sk user list --db demo.db --json >users.json
  jq -e --arg r "$role" --args '[.[] | select(.status == "active") | .roles[] |
    select(.role == $r and (.unit_code as $u | $ARGS.positional | index($u)))] | length > 0' \
    "$@" <users.json >/dev/null || fail "nobody holds $role in $*"
}
# decided UNIT DECISION APPROVER CITATION VERSION KIND: the newest answer in out.
decided() {
  expect_eq "$(jq -r .decision out)" "$2" "$1: decision"
  expect_eq "$(jq -r .approver_role out)" "$3" "$1: approver"
  jq -e --arg c "$4" '.citations | index($c)' out >/dev/null || fail "$1: no citation $4"
  expect_eq "$(jq -r '.documents | length' out)" 1 "$1: documents"
  expect_eq "$(jq -r '.documents[0].version' out)" "$5" "$1: the document's version"
  jq -e --arg k "$6" '.documents[0].kind | index($k)' out >/dev/null || fail "$1: kind $6"
  jq -e --arg c "$4" '.documents[0].citations | index($c)' out >/dev/null ||
    fail "$1: $4 is not the document's"
}

if [ "${SEKISHO_TEST_BACKEND:-sqlite}" = sqlite ]; then
  expect_exit 0 sk demo --db demo.db --no-serve
  SK_AS=$(demo_ciso hachioji)
  expect_exit 0 sk policy set show --db demo.db --json
  expect_eq "$(jq -r '[.[] | "\(.version) \(.primary) \(.city) \(.unit_kinds | join(","))"] |
    join(";")' out)" \
    "1 true hachioji designated_manager;2 false narita municipality,department,section;3 false niigata contractor" \
    "the demo's policy set"
  # A section member (市民課): a disposal, under 成田's standards.
  expect_exit 0 sk decide --db demo.db --unit shiminka --action dispose --conf 3 --actor-role staff --json
  decided shiminka require_approval security_manager "成田 基準 2(2)⑩ウ" 2 standards
  holds security_manager shiminka shimin hachioji
  # The designated manager's staff: a take-out, under the 八王子 guideline.
  expect_exit 0 sk decide --db demo.db --unit center-dm --action take_out --conf 3 --actor-role staff --json
  decided center-dm require_approval dm_officer "八王子 7(7)イ" 1 designated_manager_guideline
  holds dm_officer center-dm kyodo shimin hachioji
  # The contractor: a take-out, under 新潟's contractor requirements; 甲 is the city.
  expect_exit 0 sk decide --db demo.db --unit vendor-sys --action take_out --conf 3 --actor-role contractor --json
  decided vendor-sys require_approval city "新潟 別記 第6条第4項" 3 contractor_requirements
  holds city vendor-sys joho somu hachioji
  # The API's answer is the SPEC §3 object; each decision is on record with its documents.
  n=$(sqlite3 demo.db "SELECT COUNT(*) FROM audit_log WHERE action = 'decision' AND
    after_json LIKE '%\"documents\"%'")
  [ "$n" -ge 3 ] || fail "$n decisions recorded with their documents"
  # The text form names the document.
  expect_exit 0 sk decide --db demo.db --unit center-dm --action take_out --conf 3 --actor-role staff
  expect_in out "document: 八王子市指定管理者における情報セキュリティガイドライン (policy version 1, primary)"
  # The contractor's own request is routed to 甲 as 新潟 別記 says.
  expect_exit 0 sk request file --db demo.db --as hashimoto.takeshi --kind take_out \
    --reason 保守作業 --details '{"destination": "委託先事業所", "from": "2027-01-10",
    "until": "2027-01-11", "purpose": "障害調査"}' --safeguards encrypt_or_password,record,virus_scan,access_restriction --json
  expect_eq "$(jq -r .approver_role out)" city "the contractor's take-out request"
  # Bad input: the unit names one; --profile and --unit are one or the other.
  expect_exit 2 sk decide --db demo.db --unit no-such --action take_out
  expect_in err "no-such"
  expect_exit 2 sk decide --db demo.db --unit center-dm --profile narita --action take_out
  SK_AS=ciso
fi

# A change of the set, on every backend: refused without the CISO's approval, audited with it.
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit.key"
export SEKISHO_AUDIT_KEY="$PWD/audit.key"
expect_exit 0 sk policy import --db "$DB" "$SEKISHO_SRC/policies/hachioji.yaml"
expect_exit 0 sk org add --db "$DB" --code shitei --name 指定管理者 --kind designated_manager --parent narita
P='Tst#2026-policyset-X9'
printf '%s\n' "$P" | sk user add --db "$DB" --login gm --name gm --unit narita \
  --role general_manager --password-stdin >/dev/null || fail "user add gm"
expect_exit 0 sk policy set show --db "$DB" --json
expect_eq "$(jq -r '[.[] | "\(.version) \(.primary) \(.unit_kinds | length)"] | join(";")' out)" \
  "1 true 5" "the set after init: the primary for every unit"
sql "SELECT COUNT(*) FROM audit_log" >before
sql "SELECT COUNT(*) FROM policy_set" >>before
expect_exit 2 sk policy set add --db "$DB" 2 --units-of-kind designated_manager
expect_in err "needs the CISO's approval"
expect_in err '"units_of_kind": "designated_manager"'
expect_exit 2 sk policy set add --db "$DB" 2 --units-of-kind shop
expect_in err "shop"
expect_exit 2 sk policy set add --db "$DB" 2
expect_exit 2 sk policy set add --db "$DB" 9 --units-of-kind contractor
sql "SELECT COUNT(*) FROM audit_log" >after
sql "SELECT COUNT(*) FROM policy_set" >>after
cmp -s before after || fail "a refused set change changed something"

expect_exit 0 sk request file --db "$DB" --as gm --kind policy_activation --reason 指定管理者向け \
  --details '{"version": 2, "units_of_kind": "designated_manager"}' --json
expect_in out '"approver_role": "ciso"'
RID=$(jq -r .id out)
expect_exit 0 sk request approve --db "$DB" --as ciso --comment 承認 "$RID"
# The approval changes the set; it activates nothing.
expect_exit 2 sk policy activate --db "$DB" 2
expect_exit 0 sk policy set add --db "$DB" 2 --units-of-kind designated_manager
expect_in out "approved in request $RID"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.set' AND object = 'policy_version:2'")" \
  1 "the set change's audit entry"
expect_exit 0 sk audit verify --db "$DB"
expect_exit 0 sk policy set show --db "$DB" --json
expect_eq "$(jq -r '[.[] | "\(.version) \(.primary) \(.unit_kinds | join(","))"] | join(";")' out)" \
  "1 true municipality,department,section,contractor;2 false designated_manager" "the set after the change"
expect_exit 0 sk decide --db "$DB" --unit shitei --action take_out --conf 3 --actor-role staff --json
decided shitei require_approval dm_officer "八王子 7(7)イ" 2 designated_manager_guideline
expect_exit 0 sk decide --db "$DB" --unit narita --action take_out --conf 3 --actor-role staff --json
expect_eq "$(jq -r '.documents[0].version' out)" 1 "the city's own units: the primary"
# One approval changes the set once: taking it out needs another.
expect_exit 2 sk policy set remove --db "$DB" 2
expect_in err "needs the CISO's approval"
