# Policies are data in the database (issue #16 item 3): init stores the profile as version 1,
# active; a profile edited on disk changes no decision until it is imported and activated;
# activation without the CISO's approval (a policy_activation request, 成田 基準 7(2)) is
# refused and changes nothing; every decision's audit entry names the version it was made
# under; `policy diff` lists the changed rule with its citations. Narita: a take-out needs the
# 情報システム管理者's permission (基準 4(1)①エ); the edited copy names the 情報セキュリティ管理者.
. "$SEKISHO_TESTLIB"
fresh_db
P='Tst#2026-policyver-X9'
cp "$SEKISHO_SRC/policies/narita.yaml" city.yaml
expect_exit 0 sk init --db "$DB" --profile "$PWD/city.yaml" --admin ciso --key "$PWD/audit.key"
export SEKISHO_AUDIT_KEY="$PWD/audit.key"
expect_exit 0 sk policy versions --db "$DB" --json
expect_eq "$(jq -r '[.[] | "\(.id) \(.status) \(.city) \(.kind)"] | join(",")' out)" \
  "1 active narita basic_policy,standards" "the versions after init"
expect_eq "$(jq -r '.[0].sha256' out)" "$(sha256sum city.yaml | cut -d' ' -f1)" "version 1's hash"

expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --db "$DB" --code kanri --name 管理課 --kind section --parent somu
for u in "sato kanri staff" "suzuki kanri system_manager" "tanaka kanri security_manager" \
  "yamada narita general_manager"; do
  set -- $u
  printf '%s\n' "$P" | sk user add --db "$DB" --login "$1" --name "$1" --unit "$2" --role "$3" \
    --password-stdin >/dev/null || fail "user add $1"
done
expect_exit 0 sk asset add --db "$DB" --unit kanri --type hardware --name ノートPC --conf 2 \
  --integ 2 --avail 1 --manager 管理課長 --zone lgwan --json
PC=$(jq -r .id out)
D='{"destination": "市民会館", "from": "2026-12-10", "until": "2026-12-11", "purpose": "説明会"}'
take_out() {
  expect_exit 0 sk request file --db "$DB" --as sato --kind take_out --asset "$PC" --reason 出張 \
    --details "$D" --safeguards record --json
  jq -r '.approver_role' out
}
# The record of the newest filing's decision: its approver and the version it names. A
# filing's decision is recorded in its request.file entry (docs/audit.md), not apart.
last_decision() {
  sql "SELECT after_json FROM audit_log WHERE action = 'request.file' ORDER BY seq DESC LIMIT 1" |
    jq -r '"\(.decision_record.decision.approver_role) \(.decision_record.policy_version)"'
}
expect_eq "$(take_out)" system_manager "take-out under version 1"
expect_eq "$(last_decision)" "system_manager 1" "the decision's entry under version 1"

# The file on disk is edited: nothing changes.
sed -i '/id: take-out$/,/cite:/ s/approver: system_manager/approver: security_manager/' city.yaml
grep -q 'approver: security_manager' city.yaml || fail "the edit did not apply"
expect_eq "$(take_out)" system_manager "take-out after editing the file on disk"
expect_eq "$(last_decision)" "system_manager 1" "the decision's entry after the edit"

# A bad file is refused by line and nothing is written.
printf 'format: 1\ncity: {id: x, name: x, short: x}\n' >broken.yaml
sql "SELECT COUNT(*) FROM policy_versions" >before
sql "SELECT COUNT(*) FROM audit_log" >>before
expect_exit 2 sk policy import --db "$DB" broken.yaml
expect_in err "broken.yaml:"
expect_in err "nothing imported"
expect_exit 2 sk policy import --db "$DB" no-such.yaml
expect_in err "no-such.yaml"
expect_exit 2 sk policy activate --db "$DB" x
expect_exit 2 sk policy diff --db "$DB" 1
sql "SELECT COUNT(*) FROM policy_versions" >after
sql "SELECT COUNT(*) FROM audit_log" >>after
cmp -s before after || fail "bad input changed something"

expect_exit 0 sk policy import --db "$DB" city.yaml
expect_in out "policy version 2"
# The same text again would be a version nobody could tell from version 2: refused, naming it.
sql "SELECT COUNT(*) FROM policy_versions" >before
expect_exit 2 sk policy import --db "$DB" city.yaml
expect_in err "policy version 2"
sql "SELECT COUNT(*) FROM policy_versions" >after
cmp -s before after || fail "importing the same text twice stored a second version"
expect_exit 0 sk policy diff --db "$DB" 1 2
expect_in out "changed rule take-out (take_out, take_home) [成田 基準 4(1)①イ, 成田 基準 4(1)①エ, 成田 基準 4(1)①オ]"
expect_in out '  approver: "system_manager" -> "security_manager"'
expect_eq "$(wc -l <out)" 2 "the diff names one rule and one key"
expect_exit 0 sk policy diff --db "$DB" 2 2
expect_in out "no rule or section differs"
expect_exit 2 sk policy diff --db "$DB" 1 9
expect_in err "no policy version 9"

# Activation without the CISO's approval is refused, and changes nothing.
sql "SELECT COUNT(*) FROM audit_log" >before
sql "SELECT id, status FROM policy_versions ORDER BY id" >>before
expect_exit 2 sk policy activate --db "$DB" 2
expect_in err "needs the CISO's approval"
expect_in err "policy_activation"
sql "SELECT COUNT(*) FROM audit_log" >after
sql "SELECT id, status FROM policy_versions ORDER BY id" >>after
cmp -s before after || fail "a refused activation changed something"
expect_eq "$(take_out)" system_manager "take-out before activation"

# The request goes to the CISO; an approval by anyone else, or a pending one, does not count.
expect_exit 0 sk request file --db "$DB" --as yamada --kind policy_activation --reason 見直し \
  --details '{"version": 2}' --json
expect_in out '"approver_role": "ciso"'
expect_in out '"status": "pending"'
RID=$(jq -r .id out)
expect_exit 2 sk policy activate --db "$DB" 2
expect_in err "needs the CISO's approval"
expect_exit 2 sk request approve --db "$DB" --as suzuki "$RID"
expect_in err "no request $RID"
sql "SELECT COUNT(*) FROM requests" >before
expect_exit 2 sk request file --db "$DB" --as yamada --kind policy_activation --reason x \
  --details '{"version": 1}'
expect_in err "policy version 1 is active already"
expect_exit 2 sk request file --db "$DB" --as yamada --kind policy_activation --reason x \
  --details '{"version": 7}'
expect_in err "no policy version 7"
expect_exit 2 sk request file --db "$DB" --as yamada --kind policy_activation --reason x \
  --details '{}'
expect_in err "version"
sql "SELECT COUNT(*) FROM requests" >after
cmp -s before after || fail "a refused activation request was filed"
expect_exit 0 sk request approve --db "$DB" --as ciso --comment 承認 "$RID"
expect_exit 0 sk policy activate --db "$DB" 2
expect_in out "policy version 2 is active (approved in request $RID)"
expect_exit 0 sk policy versions --db "$DB" --json
expect_eq "$(jq -r '[.[] | "\(.id) \(.status) \(.request_id)"] | join(",")' out)" \
  "1 retired null,2 active $RID" "the versions after activation"
# One approval activates once.
expect_exit 0 sk policy versions --db "$DB"
expect_in out "2 active"

expect_eq "$(take_out)" security_manager "take-out under version 2"
expect_eq "$(last_decision)" "security_manager 2" "the decision's entry under version 2"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.activate' AND object = 'policy_version:2'")" 1 "the activation's entry"
expect_exit 0 sk audit verify --db "$DB"
