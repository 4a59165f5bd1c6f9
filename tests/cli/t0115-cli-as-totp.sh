# --as with a password asks for the one-time code the web login would ask for (issue 15 item 6,
# SPEC C3): an enrolled account is not proved by its password alone. The code comes from the same
# source as the password (the file's second line); a missing code is refused, a wrong one counts
# towards the lockout as a failed login does, and a right one acts once and is spent.
. "$SEKISHO_TESTLIB"
fresh_db
case "${SEKISHO_TEST_BACKEND:-sqlite}" in
postgresql) export SEKISHO_TOTP_KEY=$PWD/totp.key ;;
*) unset SEKISHO_TOTP_KEY ;;
esac
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit.key"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --db "$DB" --code joho --name 情報政策課 --kind section --parent somu
printf 'Taro-Passw0rd!x\n' | expect_exit 0 sk user add --db "$DB" --login taro --name 太郎 --unit joho --role staff --password-stdin
nosk() { env -u SEKISHO_ADMIN_TOKEN "$SEKISHO_BIN" "$@"; }
printf 'Taro-Passw0rd!x\n' >taro.pw
# Not enrolled, and the profile asks no code of a staff account: the password alone acts.
expect_exit 0 nosk --as taro --password-file taro.pw incident list --db "$DB"

expect_exit 0 sk user totp-enroll --db "$DB" taro
secret=$(sed -n 's/^  secret: //p' out)
[ "${#secret}" -eq 32 ] || fail "no secret printed"
# RFC 6238 (SHA-1, 6 digits, 30 s) written here, not taken from sekisho.
code() {
  python3 -c 'import base64,hmac,hashlib,struct,sys,time
k=base64.b32decode(sys.argv[1]); c=int(time.time())//30+int(sys.argv[2])
h=hmac.new(k,struct.pack(">Q",c),hashlib.sha1).digest(); o=h[-1]&15
print("%06d"%((struct.unpack(">I",h[o:o+4])[0]&0x7fffffff)%1000000))' "$secret" "${1:-0}"
}
failed() { sql "SELECT failed_logins FROM users WHERE login = 'taro'"; }

# The password alone no longer proves taro: the code is asked for, nothing is done.
n0=$(sql "SELECT COUNT(*) FROM audit_log")
expect_exit 2 nosk --as taro --password-file taro.pw incident report --db "$DB" --title 漏えい \
  --description 調査中 --found-at 2026-12-01T09:30:00+09:00
expect_in err "one-time code"
expect_eq "$(sql "SELECT COUNT(*) FROM incidents")" 0 "an incident reported without the code"
LANG=ja_JP.UTF-8 expect_exit 2 nosk --as taro --password-file taro.pw incident list --db "$DB"
expect_in err "ワンタイムコード"

# A wrong code: refused, counted, recorded as the login records it.
right=$(code)
wrong=$(printf '%06d' $(((10#$right + 1) % 1000000)))
printf 'Taro-Passw0rd!x\n%s\n' "$wrong" >wrong.pw
expect_exit 2 nosk --as taro --password-file wrong.pw incident list --db "$DB"
expect_in err "one-time code is not right"
expect_eq "$(failed)" 1 "failed count after a wrong code"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed' AND
  object = 'user:taro' AND address = 'cli:password' AND after_json LIKE '%totp_wrong%'")" 1 "the wrong code's entry"

# The right code (from the descriptor too): acts, recorded as taro, the count starts afresh.
printf 'Taro-Passw0rd!x\n%s\n' "$right" >right.pw
expect_exit 0 nosk --as taro --password-file right.pw incident report --db "$DB" --title 漏えい \
  --description 調査中 --found-at 2026-12-01T09:30:00+09:00 --json
expect_eq "$(sql "SELECT actor FROM audit_log WHERE action = 'incident.report'")" taro "the reporter"
expect_eq "$(failed)" 0 "failed count after the right code"
# A code is spent once, as at the web login.
expect_exit 2 nosk --as taro --password-file right.pw incident list --db "$DB"
expect_in err "one-time code is not right"
next=$(code 1)
SEKISHO_PASSWORD_FD=3 expect_exit 0 nosk --as taro incident list --db "$DB" 3< <(printf 'Taro-Passw0rd!x\n%s\n' "$next")
# The admin token proves the operator's act for taro without a code, as before.
expect_exit 0 sk --as taro incident list --db "$DB"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" -gt "$n0" ] || fail "nothing recorded"
