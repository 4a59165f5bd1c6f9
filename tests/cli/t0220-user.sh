# sekisho user add|list|show|disable|enable: temporary or given passwords,
# kinds from the unit, development IDs; bad input exits 2 naming the value
# and changes nothing.
. "$SEKISHO_TESTLIB"
fresh_db
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit.key"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --db "$DB" --code joho --name 情報政策課 --kind section --parent somu
expect_exit 0 sk org add --db "$DB" --code vendor --name ベンダー --kind contractor --parent joho

expect_exit 0 sk user add --db "$DB" --login taro --name "成田 太郎" --unit joho --role staff --role security_manager
expect_in out "added user taro"
expect_in out "temporary password"
expect_exit 0 sk user show --db "$DB" taro --json
expect_in out '"password_temporary": true'
expect_in out '"kind": "staff"'
expect_in out '"role": "security_manager"'
# The role's title is the city's own (成田 基準: the 情報セキュリティ管理者 is the 課長).
expect_in out '"title": "情報セキュリティ管理者（'
expect_not_in out 'argon2'

# --password-stdin: not temporary, nothing printed about a password.
printf 'Given-Passw0rd!\n' | expect_exit 0 sk user add --db "$DB" --login hanako --name 花子 --unit joho --role staff --password-stdin
expect_not_in out "password"
expect_exit 0 sk user show --db "$DB" --login hanako --json
expect_in out '"password_temporary": false'
expect_eq "$(sql "SELECT COUNT(*) FROM password_history h JOIN users u ON u.id = h.user_id WHERE u.login = 'hanako'")" 1 "history rows"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%Given-Passw0rd%' OR after_json LIKE '%argon2%'")" 0 "secrets in audit"

# The kind follows the unit; a development ID expires.
expect_exit 0 sk user add --db "$DB" --login dev1 --name 開発者 --unit vendor --role contractor --expires 2099-12-31
expect_exit 0 sk user show --db "$DB" dev1 --json
expect_in out '"kind": "contractor"'
# Shown in the city's time zone: the account works through 2099-12-31 (JST).
expect_in out '"expires_at": "2100-01-01T00:00:00+09:00"'
expect_in out '"expires_on": "2099-12-31"'
# 和暦 wherever a date is asked for: 令和9年3月31日 is 2027-03-31.
expect_exit 0 sk user add --db "$DB" --login dev2 --name 開発者二 --unit vendor --role contractor --expires 令和9年3月31日
expect_exit 0 sk user show --db "$DB" dev2 --json
expect_in out '"expires_on": "2027-03-31"'
expect_in out '"expires_at": "2027-04-01T00:00:00+09:00"'

snapshot() {
  sk user list --db "$DB" --json >"$1"
  sql "SELECT COUNT(*) FROM audit_log" >>"$1"
}
snapshot before
bad() {
  local text=$1; shift
  expect_exit 2 "$@"
  expect_in err "$text"
  [ "$(wc -l <err)" -le 3 ] || fail "more than one message: $(cat err)"
}
bad "'taro'" sk user add --db "$DB" --login taro --name X --unit joho --role staff
bad "'nowhere'" sk user add --db "$DB" --login jiro --name X --unit nowhere --role staff
bad "'overlord' (valid: ciso, general_manager" sk user add --db "$DB" --login jiro --name X --unit joho --role overlord
bad "'Jiro'" sk user add --db "$DB" --login Jiro --name X --unit joho --role staff
bad "'martian'" sk user add --db "$DB" --login jiro --name X --unit joho --role staff --kind martian
bad "past" sk user add --db "$DB" --login jiro --name X --unit joho --role staff --expires 2020-01-01
bad "'someday'" sk user add --db "$DB" --login jiro --name X --unit joho --role staff --expires someday
bad "not at the section" sk user add --db "$DB" --login jiro --name X --unit joho --role ciso
bad "--role" sk user add --db "$DB" --login jiro --name X --unit joho
printf 'abc\n' | expect_exit 2 sk user add --db "$DB" --login jiro --name X --unit joho --role staff --password-stdin
expect_in err "breaks the narita profile's rules"
printf '\n' | expect_exit 2 sk user add --db "$DB" --login jiro --name X --unit joho --role staff --password-stdin
expect_in err "no password"
# The last CISO stays. No account ranks above it, so disabling it is the operator's act (an
# installation command, no --as), and the operator is refused the last active one.
bad "installation command" sk user disable --db "$DB" ciso
bad "last active ciso" "$SEKISHO_BIN" user disable --db "$DB" ciso
bad "'ghost'" sk user disable --db "$DB" ghost
bad "'ghost'" sk user show --db "$DB" ghost
bad "active already" sk user enable --db "$DB" taro
snapshot after
cmp -s before after || fail "bad input changed something: $(diff before after)"

expect_exit 0 sk user disable --db "$DB" taro
expect_exit 0 sk user show --db "$DB" taro --json
expect_in out '"status": "disabled"'
expect_exit 0 sk user enable --db "$DB" taro
expect_exit 0 sk user show --db "$DB" taro
expect_in out "active"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE object = 'user:taro' AND action IN ('user.disable', 'user.enable')")" 2 "state entries"

expect_exit 0 sk user list --db "$DB" --unit joho --json
expect_in out '"login": "hanako"'
expect_not_in out '"login": "dev1"'
expect_exit 0 sk user list --db "$DB" --role contractor
expect_in out "dev1"
expect_not_in out "taro"
expect_exit 2 sk user list --db "$DB" --role nope
expect_in err "'nope'"
