# Who the CLI acts for (issue 15 item 6): --as LOGIN proved with the account's password (a file,
# a descriptor) or the admin token, the Unix user mapped to an account, the operator by the admin
# token alone; a person-level command without any of them is refused, an installation-level one
# takes no --as; the audit log names the person.
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

# The token alone: the operator, recorded as the Unix user by the token.
expect_exit 0 sk org add --db "$DB" --code kikaku --name 企画課 --kind section --parent somu
expect_eq "$(sql "SELECT actor || '|' || address FROM audit_log WHERE action = 'org.add' ORDER BY seq DESC LIMIT 1")" "cli:$me|cli:admin-token" "audit of the operator by token"
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
expect_in err "only the installation's operator"
expect_exit 2 sk user set --db "$DB" taro --unix-user 'Bad User'
expect_in err "not a Unix user name"
expect_exit 0 sk user set --db "$DB" taro --unix-user "$me"
expect_in out "acts as taro"
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
