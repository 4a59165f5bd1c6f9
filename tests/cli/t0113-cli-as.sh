# Who the CLI acts for (issue 15 item 6): --as LOGIN proved with the account's password (a file,
# a descriptor) or the admin token, or the Unix user mapped to an account; a person-level command
# without any of them is refused, the admin token alone included (it proves the operator, not a
# person); an installation-level one takes no --as and acts as the operator; the audit log names
# the person. A wrong --as password counts towards the account's lockout as a failed login does,
# and a locked account is acted for by nobody, the admin token included.
. "$SEKISHO_TESTLIB"
fresh_db
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit.key"
expect_in out "$SEKISHO_ADMIN_TOKEN"
[ "$(stat -c %a "$SEKISHO_ADMIN_TOKEN")" = 600 ] || fail "the admin token is readable by others"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --db "$DB" --code joho --name 情報政策課 --kind section --parent somu
printf 'Taro-Passw0rd!x\n' | expect_exit 0 sk user add --db "$DB" --login taro --name 太郎 --unit joho --role staff --password-stdin
printf 'Taro-Passw0rd!x\n' >taro.pw
printf 'Wrong-Passw0rd!x\n' >wrong.pw
me=$(id -un)

# Without the token, a mapping or --as: refused, naming the ways to say who one is.
nosk() { env -u SEKISHO_ADMIN_TOKEN "$SEKISHO_BIN" "$@"; }
expect_exit 2 nosk incident list --db "$DB"
expect_in err "acts for a person"
expect_in err "--as LOGIN"
expect_in err "--unix-user $me"
LANG=ja_JP.UTF-8 expect_exit 2 nosk incident list --db "$DB"
expect_in err "個人として行う操作です"
# Commands without a database need nobody.
expect_exit 0 nosk policy list

# --as with the account's password, from a file or a descriptor; never from the command line.
expect_exit 0 nosk --as taro --password-file taro.pw incident report --db "$DB" --unit joho \
  --title "USBメモリ紛失" --description 庁舎内で紛失 --found-at 2026-04-01T09:00:00+09:00
expect_eq "$(sql "SELECT actor || '|' || address FROM audit_log WHERE action = 'incident.report'")" "taro|cli:password" "audit of --as by password"
expect_exit 2 nosk --as taro --password-file wrong.pw incident list --db "$DB"
expect_in err "the password is not that account's"
SEKISHO_PASSWORD_FD=3 expect_exit 0 nosk --as taro incident list --db "$DB" 3<taro.pw
SEKISHO_PASSWORD_FD=3 expect_exit 2 nosk --as taro incident list --db "$DB" 3<wrong.pw
# No terminal, no file, no descriptor: no password, said so.
expect_exit 2 setsid env -u SEKISHO_ADMIN_TOKEN "$SEKISHO_BIN" --as taro incident list --db "$DB" </dev/null
expect_in err "no password"
expect_exit 2 nosk --as nobody --password-file taro.pw incident list --db "$DB"
expect_in err "no active account 'nobody'"

# A wrong --as password is a failed login: the same count, the same audit entry, the same lock.
# Two wrong and one right password above: one failure counts now. Narita's profile sets no
# threshold, so the default one (10 failures in a row) locks.
expect_eq "$(sql "SELECT failed_logins FROM users WHERE login = 'taro'")" 1 "failures after a right password"
expect_eq "$(sql "SELECT actor || '|' || address || '|' || object FROM audit_log WHERE action = 'auth.login_failed' ORDER BY seq DESC LIMIT 1")" \
  "taro|cli:password|user:taro" "audit of a wrong --as password"
sql "SELECT after_json FROM audit_log WHERE action = 'auth.login_failed' ORDER BY seq DESC LIMIT 1" >detail
expect_in detail '"reason":"wrong_password"'
for i in 2 3 4 5 6 7 8 9; do
  expect_exit 2 nosk --as taro --password-file wrong.pw incident list --db "$DB"
  expect_in err "the password is not that account's"
done
expect_eq "$(sql "SELECT failed_logins FROM users WHERE login = 'taro'")" 9 "failures counted"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.locked'")" 0 "locked before the threshold"
# The tenth locks the account, answered as any wrong password is (the log says it, as for a login).
expect_exit 2 nosk --as taro --password-file wrong.pw incident list --db "$DB"
expect_in err "the password is not that account's"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.locked' AND object = 'user:taro'")" 1 "the lock's audit entry"
expect_eq "$(sql "SELECT COUNT(*) FROM users WHERE login = 'taro' AND locked_until IS NOT NULL")" 1 "taro locked"
# Locked: the right password, the admin token, the web door, all refused; no password is asked for.
expect_exit 2 nosk --as taro --password-file taro.pw incident list --db "$DB"
expect_in err "'taro' is locked"
expect_exit 2 sk --as taro incident list --db "$DB"
expect_in err "'taro' is locked"
LANG=ja_JP.UTF-8 expect_exit 2 sk --as taro incident list --db "$DB"
expect_in err "アカウント「taro」はロックされています"
expect_exit 2 setsid env -u SEKISHO_ADMIN_TOKEN "$SEKISHO_BIN" --as taro incident list --db "$DB" </dev/null
expect_in err "'taro' is locked"
failures=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed'")
expect_exit 2 nosk --as taro --password-file wrong.pw incident list --db "$DB"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed'")" "$failures" "attempts on a locked account audited each"
# An administrator unlocks it; then the password works and the count starts afresh.
expect_exit 0 sk user unlock --db "$DB" taro
expect_eq "$(sql "SELECT actor FROM audit_log WHERE action = 'auth.unlock' ORDER BY seq DESC LIMIT 1")" ciso "who unlocked"
expect_exit 2 nosk --as taro --password-file wrong.pw incident list --db "$DB"
expect_exit 0 nosk --as taro --password-file taro.pw incident list --db "$DB"
expect_eq "$(sql "SELECT failed_logins FROM users WHERE login = 'taro'")" 0 "failures after a right password"

# --as with the admin token: the account's rights, no more (staff adds no accounts).
expect_exit 0 sk --as taro incident list --db "$DB"
expect_exit 2 sk --as taro user add --db "$DB" --login jiro --name 次郎 --unit joho --role staff
expect_eq "$(sql "SELECT COUNT(*) FROM users WHERE login = 'jiro'")" 0 "account added by staff"
expect_exit 0 sk --as taro incident report --db "$DB" --unit joho --title 誤送信 \
  --description メールの誤送信 --found-at 2026-04-02T09:00:00+09:00
expect_eq "$(sql "SELECT actor || '|' || address FROM audit_log WHERE action = 'incident.report' ORDER BY seq DESC LIMIT 1")" "taro|cli:admin-token" "audit of --as by token"
# The request and ledger commands' own --as is the same one.
expect_exit 0 sk request list --db "$DB" --as taro --json
expect_exit 2 sk --as ciso request list --db "$DB" --as taro
expect_in err "--as is given twice"

# The token alone proves the operator, not a person: a person-level command, reading or
# writing, says for whom it acts, and nothing is written.
expect_exit 2 "$SEKISHO_BIN" org add --db "$DB" --code kikaku --name 企画課 --kind section --parent somu
expect_in err "'sekisho org add' acts for a person"
expect_in err "--as LOGIN"
expect_eq "$(sql "SELECT COUNT(*) FROM org_unit WHERE code = 'kikaku'")" 0 "unit added for nobody"
for cmd in "incident list" "user list" "asset list" "request list" "audit tail" "org list"; do
  # shellcheck disable=SC2086 # cmd is two words on purpose
  expect_exit 2 "$SEKISHO_BIN" $cmd --db "$DB"
  expect_in err "acts for a person"
done
LANG=ja_JP.UTF-8 expect_exit 2 "$SEKISHO_BIN" org list --db "$DB"
expect_in err "管理トークンは運用者であることを示すだけ"
expect_in err "--as LOGIN"
# Named with --as, the same command acts, and the log names the person.
expect_exit 0 "$SEKISHO_BIN" --as ciso org add --db "$DB" --code kikaku --name 企画課 --kind section --parent somu
expect_eq "$(sql "SELECT actor || '|' || address FROM audit_log WHERE action = 'org.add' ORDER BY seq DESC LIMIT 1")" "ciso|cli:admin-token" "audit of --as ciso by token"
# Installation-level commands act as the operator without --as, the token alone or no token.
expect_exit 0 "$SEKISHO_BIN" record purge --db "$DB" --before 2000-01-01 --dry-run
# A token another installation made, or one others may read, proves nothing here.
cp "$SEKISHO_ADMIN_TOKEN" open.token && chmod 644 open.token
expect_exit 2 env SEKISHO_ADMIN_TOKEN="$PWD/open.token" "$SEKISHO_BIN" incident list --db "$DB"
expect_in err "chmod 600"
(umask 077; printf 'sekisho-admin-token:%064d\n' 0 >other.token)
expect_exit 2 env SEKISHO_ADMIN_TOKEN="$PWD/other.token" "$SEKISHO_BIN" incident list --db "$DB"
expect_in err "not this installation's"
expect_exit 2 nosk --admin-token "$PWD/other.token" --as taro incident list --db "$DB"

# An installation-level command acts as the operator and takes no --as.
expect_exit 2 sk --as taro audit verify --db "$DB" --key "$PWD/audit.key.pub"
expect_in err "installation command"
expect_exit 0 nosk audit verify --db "$DB" --key "$PWD/audit.key.pub"

# The Unix user mapped to an account: only the operator maps; then no --as is needed.
expect_exit 2 nosk --as taro --password-file taro.pw user set --db "$DB" taro --unix-user "$me"
expect_in err "'sekisho user set --unix-user' is an installation command"
expect_exit 2 sk --as ciso user add --db "$DB" --login hanako --name 花子 --unit joho --role staff --unix-user "$me"
expect_in err "'sekisho user add --unix-user' is an installation command"
expect_exit 2 sk user set --db "$DB" taro --unix-user 'Bad User'
expect_in err "not a Unix user name"
expect_exit 0 sk user set --db "$DB" taro --unix-user "$me"
expect_in out "acts as taro"
expect_eq "$(sql "SELECT actor || '|' || address FROM audit_log WHERE action = 'user.unix_user' ORDER BY seq DESC LIMIT 1")" "cli:$me|cli" "audit of the operator's mapping"
expect_exit 0 sk user show --db "$DB" taro --json
expect_in out "\"unix_user\": \"$me\""
expect_exit 2 sk user add --db "$DB" --login hanako --name 花子 --unit joho --role staff --unix-user "$me"
expect_in err "mapped to another account"
expect_exit 0 nosk incident report --db "$DB" --unit joho --title 盗難 --description 端末の盗難 \
  --found-at 2026-04-03T09:00:00+09:00
expect_eq "$(sql "SELECT actor || '|' || address FROM audit_log WHERE action = 'incident.report' ORDER BY seq DESC LIMIT 1")" "taro|cli:unix-user" "audit of the mapped Unix user"
# --as naming the mapped account needs no password either; another account does.
expect_exit 0 nosk --as taro incident list --db "$DB"
expect_exit 2 setsid env -u SEKISHO_ADMIN_TOKEN "$SEKISHO_BIN" --as ciso incident list --db "$DB" </dev/null
# A disabled account acts no more.
expect_exit 0 sk user disable --db "$DB" taro
expect_exit 2 nosk incident list --db "$DB"
expect_in err "not active"
expect_exit 0 sk user set --db "$DB" taro --unix-user none
expect_exit 0 sk user show --db "$DB" taro --json
expect_not_in out unix_user

# An installation made before admin tokens gets one from admin-token.
sql "DELETE FROM meta WHERE key = 'admin.token_sha256'"
expect_exit 2 sk incident list --db "$DB"
expect_in err "no admin token"
rm "$SEKISHO_ADMIN_TOKEN"
expect_exit 2 sk incident list --db "$DB"
expect_in err "cannot read the admin token"
expect_exit 0 sk admin-token --db "$DB"
expect_exit 0 sk incident list --db "$DB"
expect_exit 2 sk admin-token --db "$DB"
expect_in err "--replace"
