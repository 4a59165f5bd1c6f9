# sekisho org add|list|move: the tree, ids or codes for units, refused
# cycles; bad input exits 2 naming the value and changes nothing.
. "$SEKISHO_TESTLIB"
fresh_db
expect_exit 0 sk init --db "$DB" --profile setagaya --admin ciso --key "$PWD/audit.key"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent setagaya
expect_in out "added unit somu"
dep=$(sed -n 's/.*(id \([0-9]*\)).*/\1/p' out)
# A parent by id works as well as by code.
expect_exit 0 sk org add --db "$DB" --code joho --name 情報政策課 --kind section --parent "$dep"
expect_exit 0 sk org add --db "$DB" --code kakari --name 情報係 --kind section --parent joho
expect_exit 0 sk org add --db "$DB" --code kuyaku --name 区民部 --kind department --parent setagaya
expect_exit 0 sk org add --db "$DB" --code vendor --name "株式会社 例" --kind contractor --parent joho
expect_exit 0 sk org add --db "$DB" --code center --name 区民会館指定管理者 --kind designated_manager --parent kuyaku
expect_exit 0 sk org list --db "$DB"
expect_in out "    kakari  情報係  [section"

snapshot() {
  sk org list --db "$DB" --json >"$1"
  sql "SELECT COUNT(*) FROM audit_log" >>"$1"
}
snapshot before
bad() { # bad TEXT-IN-ERR CMD...
  local text=$1; shift
  expect_exit 2 "$@"
  expect_in err "$text"
  [ "$(wc -l <err)" -le 3 ] || fail "more than one message: $(cat err)"
}
bad "'nosuch'" sk org add --db "$DB" --code x1 --name X --kind section --parent nosuch
bad "'9999'" sk org add --db "$DB" --code x1 --name X --kind section --parent 9999
bad "'joho'" sk org add --db "$DB" --code joho --name X --kind section --parent somu
bad "'galaxy'" sk org add --db "$DB" --code x1 --name X --kind galaxy --parent somu
bad "'a b'" sk org add --db "$DB" --code "a b" --name X --kind section --parent somu
# A code may be all digits (the 地方公共団体コード), but not one that is a unit's id already.
bad "is the id of unit" sk org add --db "$DB" --code 2 --name X --kind section --parent somu
bad "cannot sit under" sk org add --db "$DB" --code x1 --name X --kind section --parent setagaya
bad "needs a parent" sk org add --db "$DB" --code x1 --name X --kind section
bad "--code" sk org add --db "$DB" --name X --kind section --parent somu
bad "cycle" sk org move --db "$DB" --unit somu --parent kakari
bad "under itself" sk org move --db "$DB" --unit joho --parent joho
bad "root" sk org move --db "$DB" --unit setagaya --parent somu
bad "'nosuch'" sk org move --db "$DB" --unit nosuch --parent somu
bad "--bogus" sk org add --db "$DB" --bogus
snapshot after
cmp -s before after || fail "bad input changed something: $(diff before after)"

expect_exit 0 sk org move --db "$DB" --unit joho --parent kuyaku
expect_exit 0 sk org list --db "$DB" --json
kuyaku=$(sql "SELECT id FROM org_unit WHERE code = 'kuyaku'")
expect_eq "$(sql "SELECT parent_id FROM org_unit WHERE code = 'joho'")" "$kuyaku" "joho's parent"
# Each change has its entry: 7 units and one move.
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'org.add'")" 7 "org.add entries"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'org.move' AND object = 'org_unit:' || (SELECT id FROM org_unit WHERE code = 'joho')")" 1 "org.move entries"
