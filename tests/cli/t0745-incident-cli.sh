# sekisho incident report|list|show|escalate|respond|close|attach as the CISO at the CLI, on a
# third profile (新潟: 乙 reports 「速やかに」 to 甲, 別記 第23条), and the incidents section of a
# profile through `policy check` and `policy coverage`. Bad input exits 2 naming the field and
# writes nothing.
. "$SEKISHO_TESTLIB"

# policy check prints the chain; coverage flags a profile without the section.
expect_exit 0 sk policy check "$SEKISHO_SRC/policies/narita.yaml"
expect_in out "1. Information security manager high:1h medium:4h low:24h (「速やかに」) [成田 基準 4(3)①ア"
expect_in out "3. Chief Information Security Officer high:1h"
expect_in out "closed by: General information security manager [成田 基準 4(3)③"
expect_exit 0 sk policy coverage "$SEKISHO_SRC/policies/example.yaml"
expect_in out "incidents: the profile states no reporting chain"
expect_exit 0 sk policy coverage hachioji --json
jq -e '.incidents_default == false' out >/dev/null || fail "hachioji flagged as default"
cp "$SEKISHO_SRC/policies/example.yaml" inc.yaml
cat >> inc.yaml <<'YAML'
incidents:
  chain:
    - {role: csirt, cite: ["1"]}
    - {role: ciso, due_hours: {high: 2}, cite: ["1"]}
  close: {role: ciso, cite: ["1"]}
YAML
expect_exit 1 sk policy check inc.yaml
expect_in out "chain role 'csirt' has no title under roles"
expect_in out "a step with due_hours needs the seed's word"

fresh_db
expect_exit 0 sk init --db "$DB" --profile niigata --admin chief --key "$PWD/audit.key"
SK_AS=chief
expect_exit 0 sk org add --db "$DB" --code itaku --name 受託者 --kind contractor --parent niigata
expect_exit 0 sk user add --db "$DB" --login ko --name 甲 --unit niigata --role city
# 別記 第23条: 「速やかに甲に報告」; 「速やかに」 is 24 hours at low (policies/niigata.yaml).
expect_exit 0 sk incident report --db "$DB" --unit itaku --title 契約違反のおそれ \
  --description "委託データの誤送信" --found-at 2026-01-05T09:00:00+09:00 --severity low --json
jq -e '.status == "reported" and .routed_to[0].role == "city"
       and .routed_to[0].unit_code == "niigata" and .due == null
       and .report_due == "2026-01-06T09:00:00+09:00" and .reported_late == true' out >/dev/null ||
  fail "routing: $(cat out)"
id=$(jq -r .id out)
expect_exit 0 sk incident list --db "$DB"
expect_in out "契約違反のおそれ"
# 甲 is the only step: there is nowhere to escalate to.
expect_exit 2 sk incident escalate --db "$DB" "$id"
expect_in err "top of the chain"
expect_exit 0 sk incident respond --db "$DB" "$id" --cause 宛先の誤り --prevention 二重確認
printf 'mail log\n' > mail.log
expect_exit 0 sk incident attach --db "$DB" "$id" mail.log --media-type text/plain
expect_in out "$(sha256sum mail.log | cut -d' ' -f1)"
expect_exit 0 sk incident attachment --db "$DB" 1 -o got.log
cmp mail.log got.log || fail "the attachment read back differs"

before=$(sql "SELECT COUNT(*) FROM incidents")-$(sql "SELECT COUNT(*) FROM incident_attachments")-$(sql "SELECT COUNT(*) FROM audit_log")
head -c 524289 /dev/zero > big.bin
expect_exit 2 sk incident attach --db "$DB" "$id" big.bin
expect_in err "content"
# (Without --unit a person reports for their own unit: the operator, who has none, is no longer
# who the CLI acts for.)
expect_exit 2 sk incident report --db "$DB" --unit itaku --title t --description d \
  --found-at 2999-01-01T00:00:00Z
expect_in err "found_at"
expect_exit 2 sk incident report --db "$DB" --unit itaku --description d --found-at 2026-01-01T00:00:00Z
expect_in err "title"
expect_exit 2 sk incident report --db "$DB" --unit itaku --title t --description d \
  --found-at 2026-01-01T00:00:00Z --asset-ids 42
expect_in err "asset_ids"
after=$(sql "SELECT COUNT(*) FROM incidents")-$(sql "SELECT COUNT(*) FROM incident_attachments")-$(sql "SELECT COUNT(*) FROM audit_log")
expect_eq "$after" "$before" "rows after refusals"

# 甲 closes it (別記 第23条: the line's only step).
expect_exit 0 sk --as ko incident close --db "$DB" "$id" --comment 甲の指示どおり対処
expect_exit 0 sk incident show --db "$DB" "$id"
expect_in out "status: closed"
expect_in out "attachment: mail.log 9 bytes"
expect_exit 0 sk audit verify --db "$DB"
expect_in out "intact"
