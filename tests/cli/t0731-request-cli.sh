# sekisho request file|list|show|approve|reject|withdraw|complete (issue #13): the CLI door.
# Narita: a take-out needs the 情報システム管理者's permission (基準 4(1)①エ) and its record
# (オ); a disposal the 情報セキュリティ管理者's (2(2)⑩ウ). Bad input exits 2 naming the field and
# changes nothing; the audit log verifies.
. "$SEKISHO_TESTLIB"
fresh_db
P='Tst#2026-requests-X9'
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit.key"
export SEKISHO_AUDIT_KEY="$PWD/audit.key"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --db "$DB" --code kanri --name 管理課 --kind section --parent somu
for u in "sato kanri staff" "suzuki kanri system_manager" "tanaka kanri security_manager"; do
  set -- $u
  printf '%s\n' "$P" | sk user add --db "$DB" --login "$1" --name "$1" --unit "$2" --role "$3" \
    --password-stdin >/dev/null || fail "user add $1"
done
expect_exit 0 sk asset add --db "$DB" --unit kanri --type hardware --name ノートPC --conf 2 \
  --integ 2 --avail 1 --manager 管理課長 --zone lgwan --json
PC=$(python3 -c 'import json,sys; print(json.load(open("out"))["id"])')

# request file --help: the kinds and their fields follow the usage line, each field with its title.
LANG=C expect_exit 0 sk request file --help
expect_in out "  take_out (Take-out)"
grep -qE '^    destination\* +' out || fail "request file --help: no take_out fields: $(cat out)"
expect_in out "  dispose ("

D='{"destination": "市民会館", "from": "2026-12-10", "until": "2026-12-11", "purpose": "説明会"}'
expect_exit 0 sk request file --db "$DB" --as sato --kind take_out --asset "$PC" --reason 出張 \
  --details "$D" --safeguards record --json
expect_in out '"status": "pending"'
expect_in out '"approver_role": "system_manager"'
ID=$(python3 -c 'import json,sys; print(json.load(open("out"))["id"])')
expect_exit 0 sk request list --db "$DB" --as suzuki --box inbox
expect_in out "$ID take_out pending requester=sato approver=system_manager"
expect_exit 0 sk request list --db "$DB" --as tanaka --box inbox
expect_eq "$(wc -c <out)" 0 "the security manager's inbox"

sql "SELECT COUNT(*) FROM requests" >before
sql "SELECT COUNT(*) FROM audit_log" >>before
bad() {
  local text=$1; shift
  expect_exit 2 "$@"
  expect_in err "$text"
}
bad "own request" sk request approve --db "$DB" --as sato "$ID"
bad "purpose" sk request file --db "$DB" --as sato --kind take_out --asset "$PC" --reason r \
  --details '{"destination": "x", "from": "2026-12-10", "until": "2026-12-11"}' --safeguards record
bad "details.until" sk request file --db "$DB" --as sato --kind take_out --asset "$PC" --reason r \
  --details '{"destination": "x", "from": "2026-12-12", "until": "2026-12-11", "purpose": "p"}' \
  --safeguards record
bad "asset_id" sk request file --db "$DB" --as sato --kind take_out --asset 99999 --reason r \
  --details "$D" --safeguards record
bad "record" sk request file --db "$DB" --as sato --kind take_out --asset "$PC" --reason r \
  --details "$D"
bad "成田 基準 4(1)①カ" sk request file --db "$DB" --as sato --kind use_private_device \
  --reason r --details '{"device": "私物PC", "purpose": "在宅"}'
bad "no active account 'nobody'" sk request list --db "$DB" --as nobody
bad "--details" sk request file --db "$DB" --as sato --kind take_out --reason r --details '{'
bad "comment" sk request reject --db "$DB" --as suzuki "$ID"
bad "one request ID" sk request show --db "$DB"
sql "SELECT COUNT(*) FROM requests" >after
sql "SELECT COUNT(*) FROM audit_log" >>after
cmp -s before after || fail "bad input changed something"

expect_exit 0 sk request approve --db "$DB" --as suzuki --comment 了承 "$ID"
expect_in out "approved"
expect_exit 0 sk request complete --db "$DB" --as sato --fields '{"returned_on": "2026-12-11"}' "$ID"
expect_in out "completed"
expect_exit 0 sk request show --db "$DB" "$ID"
expect_in out '"returned_on": "2026-12-11"'
expect_in out '"comment": "了承"'
expect_exit 0 sk request file --db "$DB" --as sato --kind zone_entry --reason 保守 \
  --details '{"zone": "サーバ室", "entered_at": "2026-12-03 10:00"}'
expect_in out "zone_entry approved"
ZID=$(sed 's/ .*//' out)
bad "not pending" sk request withdraw --db "$DB" --as sato "$ZID"
expect_exit 0 sk request list --db "$DB" --json --kind take_out --status completed
expect_in out "\"id\": $ID"
expect_exit 0 sk audit verify --db "$DB"
