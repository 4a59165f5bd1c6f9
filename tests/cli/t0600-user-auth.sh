# sekisho user unlock|unused|totp-enroll|zone: the authentication verbs.
# Lockouts are made by the server; here they are set in the database and
# cleared with unlock, which is audited. Bad input exits 2 naming the value
# and changes nothing.
. "$SEKISHO_TESTLIB"
fresh_db
case "${SEKISHO_TEST_BACKEND:-sqlite}" in
postgresql) export SEKISHO_TOTP_KEY=$PWD/totp.key; keyfile=$SEKISHO_TOTP_KEY ;;
*) unset SEKISHO_TOTP_KEY; keyfile=${DB#sqlite:}.totp-key ;;
esac
expect_exit 0 sk init --db "$DB" --profile hachioji --admin ciso --key "$PWD/audit.key"
printf 'Taro-Passw0rd!\n' | expect_exit 0 sk user add --db "$DB" --login taro --name 太郎 --unit hachioji --role staff --password-stdin
printf 'Admin-Passw0rd!1\n' | expect_exit 0 sk user add --db "$DB" --login sysadm --name 管理者 --unit hachioji --role system_manager --password-stdin

# unlock
sql "UPDATE users SET failed_logins = 5, lockouts = 2, locked_until = 4102444800 WHERE login = 'taro'"
expect_exit 0 sk user unlock --db "$DB" taro
expect_in out "unlocked user taro"
expect_eq "$(sql "SELECT failed_logins || ' ' || lockouts || ' ' || COALESCE(locked_until, 0) FROM users WHERE login = 'taro'")" "0 0 0" "lock state"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.unlock' AND object = 'user:taro' AND actor = 'ciso'")" 1 "unlock entry"
expect_exit 2 sk user unlock --db "$DB" taro
expect_in err "'taro' is not locked"

# unused: ciso never logged in (created 200 days ago), taro logged in 10 days ago.
sql "UPDATE users SET created_at = created_at - 200 * 86400"
sql "UPDATE users SET last_login_at = $(( $(date +%s) - 10 * 86400 )), last_login_addr = '192.0.2.1' WHERE login = 'taro'"
expect_exit 0 sk user unused --db "$DB" --days 90 --json
expect_in out '"login": "ciso"'
expect_in out '"login": "sysadm"'
expect_not_in out '"login": "taro"'
expect_in out '"last_login_at": null'
expect_in out '"days_unused": 200'
expect_exit 0 sk user unused --db "$DB" --days 5
expect_in out "taro"
expect_in out "3 accounts not used for 5 days or more"
expect_in out "last login never"

# totp-enroll: the URI and secret are printed once; the database holds neither.
expect_exit 0 sk user totp-enroll --db "$DB" sysadm
expect_in out "otpauth://totp/"
expect_in out ":sysadm?secret="
expect_in out "&issuer="
secret=$(sed -n 's/^  secret: //p' out)
[ "${#secret}" -eq 32 ] || fail "secret '$secret' is not 32 base32 characters"
expect_eq "$(sql "SELECT COUNT(*) FROM users WHERE totp_secret LIKE '%$secret%'")" 0 "secret in clear"
expect_eq "$(sql "SELECT COUNT(*) FROM users WHERE login = 'sysadm' AND totp_secret IS NOT NULL AND totp_enrolled_at IS NOT NULL")" 1 "sealed secret"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%$secret%'")" 0 "secret in audit"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.totp_enroll'")" 1 "enroll entry"
[ -f "$keyfile" ] || fail "no key file at $keyfile"
expect_eq "$(stat -c %a "$keyfile")" 600 "key file mode"
# Re-enrolling gives a new secret under the same key.
cp "$keyfile" key.before
expect_exit 0 sk user totp-enroll --db "$DB" --login sysadm
secret2=$(sed -n 's/^  secret: //p' out)
[ "$secret" != "$secret2" ] || fail "re-enrollment kept the secret"
cmp -s "$keyfile" key.before || fail "the key file changed"
# A key file others can read is refused.
chmod 644 "$keyfile"
expect_exit 1 sk user totp-enroll --db "$DB" sysadm
expect_in err "0600"
chmod 600 "$keyfile"

# zone
expect_exit 0 sk user zone --db "$DB" taro mynumber
expect_eq "$(sql "SELECT zone FROM users WHERE login = 'taro'")" mynumber "zone"
expect_exit 0 sk user zone --db "$DB" taro none
expect_eq "$(sql "SELECT COALESCE(zone, '-') FROM users WHERE login = 'taro'")" - "zone cleared"

# Bad input: exit 2, a message naming the problem, nothing changed.
snap() { sql "SELECT COUNT(*) FROM audit_log"; sql "SELECT login, COALESCE(zone, '-'), failed_logins FROM users ORDER BY login"; }
snap >before
bad() {
  local text=$1; shift
  expect_exit 2 "$@"
  expect_in err "$text"
}
bad "'ghost'" sk user unlock --db "$DB" ghost
bad "which account" sk user unlock --db "$DB"
bad "unexpected argument 'x'" sk user unlock --db "$DB" taro x
bad "--days is required" sk user unused --db "$DB"
bad "'0'" sk user unused --db "$DB" --days 0
bad "'ten'" sk user unused --db "$DB" --days ten
bad "'99999'" sk user unused --db "$DB" --days 99999
bad "'--json'" sk user unlock --db "$DB" taro --json
bad "'ghost'" sk user totp-enroll --db "$DB" ghost
bad "unknown zone 'moon'" sk user zone --db "$DB" taro moon
bad "missing argument" sk user zone --db "$DB" taro
bad "'ghost'" sk user zone --db "$DB" ghost lgwan
snap >after
cmp -s before after || fail "bad input changed something: $(diff before after)"
