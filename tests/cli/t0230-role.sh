# sekisho role grant|revoke|list|names: role names exactly as SPEC §3, grants
# scoped to units; bad input exits 2 naming the value and changes nothing.
. "$SEKISHO_TESTLIB"
expect_exit 0 sk role names
for r in ciso general_manager security_officer security_manager system_manager system_staff csirt dm_officer staff contractor auditor city; do
  expect_in out "$r "
done
expect_eq "$(wc -l <out)" 12 "role count"

fresh_db
expect_exit 0 sk init --db "$DB" --profile niigata --admin ciso --key "$PWD/audit.key"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent niigata
expect_exit 0 sk org add --db "$DB" --code dm --name 指定管理者 --kind designated_manager --parent somu
expect_exit 0 sk user add --db "$DB" --login mori --name 森 --unit dm --role staff
expect_exit 0 sk role grant --db "$DB" --login mori --role dm_officer --unit dm
expect_exit 0 sk role grant --db "$DB" --login mori --role csirt --unit niigata
expect_exit 0 sk role list --db "$DB" --login mori --json
expect_in out '"role": "dm_officer"'
# The title in the reader's language; 新潟 gives dm_officer none, so the guideline's in Japanese.
expect_in out '"title": "Designated manager'"'"'s security officer"'
LANG=ja_JP.UTF-8 expect_exit 0 sk role list --db "$DB" --login mori --json
expect_in out '"title": "指定管理者の情報セキュリティ対策責任者"'
expect_exit 0 sk role list --db "$DB" --role csirt
expect_in out "mori"

sk role list --db "$DB" --json >before
sql "SELECT COUNT(*) FROM audit_log" >>before
bad() {
  local text=$1; shift
  expect_exit 2 "$@"
  expect_in err "$text"
}
bad "'admin' (valid: ciso, general_manager, security_officer, security_manager, system_manager, system_staff, csirt, dm_officer, staff, contractor, auditor, city)" \
  sk role grant --db "$DB" --login mori --role admin --unit dm
bad "'nobody'" sk role grant --db "$DB" --login nobody --role staff --unit dm
bad "'nounit'" sk role grant --db "$DB" --login mori --role staff --unit nounit
bad "already" sk role grant --db "$DB" --login mori --role dm_officer --unit dm
bad "municipality" sk role grant --db "$DB" --login mori --role ciso --unit somu
bad "does not hold" sk role revoke --db "$DB" --login mori --role auditor --unit dm
# Appointing or removing a CISO is the operator's act (nobody ranks above): the last one stays.
bad "last active ciso" sk role revoke --db "$DB" --login ciso --role ciso --unit niigata
expect_exit 2 sk --as ciso role revoke --db "$DB" --login ciso --role ciso --unit niigata
expect_in err "'sekisho role revoke --role ciso' is an installation command"
sk role list --db "$DB" --json >after
sql "SELECT COUNT(*) FROM audit_log" >>after
cmp -s before after || fail "bad input changed something"

expect_exit 0 sk role revoke --db "$DB" --login mori --role csirt --unit niigata
expect_exit 0 sk role list --db "$DB" --login mori
expect_not_in out csirt
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE object = 'user:mori' AND action IN ('role.grant', 'role.revoke')")" 4 "role entries"
