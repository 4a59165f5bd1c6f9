# The starting 対策基準 (issue #16 item 2; docs/policy-template.md): a city that has not encoded
# its own standards starts from the template built from 成田, 世田谷 and the 新潟 basic policy,
# sees what it must still decide, and makes it its own through import, diff, the CISO's approval
# and activation. The walk below is the guide's, step by step.
. "$SEKISHO_TESTLIB"
fresh_db
P='Tst#2026-template-Q7'

# policy list and init --help say what it is: a standards document, a template.
expect_exit 0 sk policy list
expect_in out "standards-template standards (template);"
expect_exit 0 sk policy list --json
expect_eq "$(jq -r '.[] | select(.name == "standards-template") | "\(.kind[0]) \(.template)"' out)" \
  "standards true" "the template in policy list --json"
expect_eq "$(jq -r '[.[] | select(.template)] | length' out)" 1 "only the template is one"
expect_exit 0 sk init --help
expect_in out "standards-template"

# Valid; check and coverage name every open question with the article to read.
expect_exit 0 sk policy check "$SEKISHO_SRC/policies/standards-template.yaml"
expect_in out ": decide: take-out: "
expect_in out ": decide: classification-scheme: "
expect_exit 0 sk policy coverage standards-template --json
expect_eq "$(jq -r '.template' out)" true "coverage says template"
expect_eq "$(jq -r '[.to_decide[].id] | join(",")' out)" \
  "classification-scheme,role-holders,password-length,retention-periods,incident-deadlines,take-out,publish-conf2,free-cloud,mynumber-take-out,mynumber-connect-network,lgwan-internet-split" \
  "the open questions"
expect_eq "$(jq -r '.to_decide[] | select(.id == "take-out") | .citations | index("成田 基準 4(1)①エ") != null' out)" \
  true "take-out points at 成田 基準 4(1)①エ"
# A city's own profile has none.
expect_exit 0 sk policy coverage narita --json
expect_eq "$(jq -r '"\(.template) \(.to_decide | length)"' out)" "false 0" "narita is no template"

# 1. init from the template: version 1, active.
expect_exit 0 sk init --db "$DB" --profile standards-template --admin ciso --key "$PWD/audit.key"
export SEKISHO_AUDIT_KEY="$PWD/audit.key"
expect_exit 0 sk policy versions --db "$DB" --json
expect_eq "$(jq -r '[.[] | "\(.id) \(.status) \(.source) \(.kind)"] | join(",")' out)" \
  "1 active builtin:standards-template standards" "the versions after init"
expect_exit 0 sk decide --profile standards-template --action take_out --conf 3 --actor-role staff --json
expect_in out '"approver_role": "system_manager"'

# 2. The city settles one question: take-out is permitted by the section chief (情報セキュリティ
# 管理者), as 運搬 (成田 基準 2(2)⑧イ); the decide: marker goes.
cp "$SEKISHO_SRC/policies/standards-template.yaml" city.yaml
sed -i '/- id: take-out$/,/^- id:/ { s/approver: system_manager/approver: security_manager/; /^  decide: /d }' city.yaml
expect_exit 0 sk policy check city.yaml
expect_not_in out "decide: take-out:"
expect_exit 0 sk policy coverage city.yaml --json
expect_eq "$(jq -r '.to_decide | length' out)" 10 "one question settled"

# 3. import and diff: the changed rule, with its citations.
expect_exit 0 sk policy import --db "$DB" city.yaml
expect_in out "policy version 2"
expect_exit 0 sk policy diff --db "$DB" 1 2
expect_in out "changed rule take-out (take_out, take_home) [成田 基準 4(1)①イ, 成田 基準 4(1)①エ, 成田 基準 4(1)①オ]"
expect_in out '  approver: "system_manager" -> "security_manager"'

# 4. activation needs the CISO's approval of a policy_activation request.
expect_exit 2 sk policy activate --db "$DB" 2
expect_in err "needs the CISO's approval"
printf '%s\n' "$P" | sk user add --db "$DB" --login yamada --name 山田 --unit standards-template \
  --role general_manager --password-stdin >/dev/null || fail "user add"
expect_exit 0 sk request file --db "$DB" --as yamada --kind policy_activation --reason 雛形の決定 \
  --details '{"version": 2}' --json
RID=$(jq -r .id out)
expect_exit 0 sk request approve --db "$DB" --as ciso --comment 承認 "$RID"
expect_exit 0 sk policy activate --db "$DB" 2
expect_in out "policy version 2 is active"
expect_exit 0 sk policy versions --db "$DB" --json
expect_eq "$(jq -r '[.[] | "\(.id) \(.status)"] | join(",")' out)" "1 retired,2 active" "after activation"
