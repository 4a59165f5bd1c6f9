# sekisho demo: creates the sample city once, reuses it afterwards, and says
# plainly that its passwords are demo credentials.
# backends: none
. "$SEKISHO_TESTLIB"
SK_AS=$(demo_ciso hachioji)
expect_exit 0 sk demo --no-serve
expect_in out "created the demo installation 八王子市"
expect_in out "DEMO CREDENTIALS"
expect_in out "vendor-sys"
expect_in out "center-dm"
[ -f sekisho-demo.db ] && [ -f sekisho-demo.db.audit-key ] || fail "no demo database or key"
for r in ciso general_manager security_officer security_manager system_manager system_staff csirt dm_officer staff contractor auditor city; do
  expect_in out "$r@"
done
expect_exit 0 sk user list --db sekisho-demo.db --json
n=$(grep -c '"login"' out)
[ "$n" -ge 18 ] && [ "$n" -le 30 ] || fail "$n demo accounts"
expect_not_in out '"password_temporary": true'

# Run again: the same database is reused, not rebuilt.
before=$(sqlite3 sekisho-demo.db "SELECT COUNT(*) FROM audit_log")
expect_exit 0 sk demo --json
expect_in out '"created": false'
expect_in out '"demo": true'
expect_eq "$(sqlite3 sekisho-demo.db "SELECT COUNT(*) FROM audit_log")" "$before" "audit rows after reuse"

# Another path; a file that is not a database is refused and kept.
expect_exit 0 sk demo --db other.db --json
expect_in out '"created": true'
expect_in out '"password": "Demo#2026-yamada.taro"'
echo "hello" >notadb.db
expect_exit 2 sk demo --db notadb.db
expect_in err "notadb.db"
expect_eq "$(cat notadb.db)" hello "the refused file"
expect_exit 2 sk demo --db postgresql://localhost/x
expect_in err "postgresql://localhost/x"
