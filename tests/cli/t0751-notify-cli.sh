# Notification settings from the command line (issue #13 part 5): mail
# addresses on accounts (user add/set --email), notify test and configure,
# and serve's mail options; bad input exits 2 naming what is wrong and
# writes nothing.
. "$SEKISHO_TESTLIB"
fresh_db
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit.key"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --db "$DB" --code joho --name 情報政策課 --kind section --parent somu

# An address with the account, shown and audited with it.
expect_exit 0 sk user add --db "$DB" --login taro --name "成田 太郎" --unit joho --role staff --email taro@city.narita.example
expect_exit 0 sk user show --db "$DB" taro --json
expect_in out '"email": "taro@city.narita.example"'
# Malformed addresses: exit 2 naming the field, no account.
for bad in 'not-an-address' 'a b@city.example' 'x@city.example>' 'taro@city..example' '"q"@city.example'; do
	expect_exit 2 sk user add --db "$DB" --login jiro --name 次郎 --unit joho --role staff --email "$bad"
	expect_in err "email"
done
expect_eq "$(sql "SELECT COUNT(*) FROM users WHERE login = 'jiro'")" 0 "accounts after bad addresses"
audit_before=$(sql "SELECT COUNT(*) FROM audit_log")
expect_exit 2 sk user set --db "$DB" taro --email 'taro@city.example
Bcc: x@evil.example'
expect_in err "email"
expect_exit 2 sk user set --db "$DB" taro
expect_in err "--email"
expect_exit 2 sk user set --db "$DB" nobody --email a@b.example
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log")" "$audit_before" "audit entries after refused changes"
expect_eq "$(sql "SELECT email FROM users WHERE login = 'taro'")" "taro@city.narita.example" "address after refused changes"
# Change, then remove: each one audited entry user.email.
expect_exit 0 sk user set --db "$DB" taro --email t.narita@city.narita.example
expect_exit 0 sk user set --db "$DB" taro --email t.narita@city.narita.example
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'user.email'")" 1 "user.email entries"
expect_exit 0 sk user set --db "$DB" taro --email none
expect_in out "in-app notifications only"
expect_eq "$(sql "SELECT COUNT(*) FROM users WHERE login = 'taro' AND email IS NULL")" 1 "address removed"

# notify test: in-app only without an address; audited notify.test.
expect_exit 0 sk notify test --db "$DB" --to taro
expect_in out "no mail"
expect_eq "$(sql "SELECT COUNT(*) FROM notifications WHERE mail_to IS NOT NULL")" 0 "mail without an address"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'notify.test' AND object = 'user:taro'")" 1 "notify.test entries"
expect_exit 0 sk user set --db "$DB" taro --email taro@city.narita.example
expect_exit 0 sk notify test --db "$DB" taro
expect_in out "mail queued"
expect_exit 2 sk notify test --db "$DB" --to nobody
expect_in err "nobody"
expect_exit 2 sk notify test --db "$DB"
expect_eq "$(sql "SELECT COUNT(*) FROM notifications")" 2 "notifications"

# A disabled account's notifications stay in-app.
expect_exit 0 sk user add --db "$DB" --login gone --name 退職者 --unit joho --role staff --email gone@city.narita.example
expect_exit 0 sk user disable --db "$DB" gone
expect_exit 0 sk notify test --db "$DB" --to gone
expect_in out "no mail"
expect_eq "$(sql "SELECT COUNT(*) FROM notifications WHERE mail_to IS NOT NULL")" 1 "mail for a disabled account"

# Links: configure checks the URL and is audited when it changes.
for bad in 'ftp://x.example' 'https://' 'https://x.example/?a=1' 'sekisho.example'; do
	expect_exit 2 sk notify configure --db "$DB" --base-url "$bad"
	expect_in err "--base-url"
done
expect_exit 0 sk notify configure --db "$DB" --base-url https://sekisho.city.narita.example/
expect_exit 0 sk notify configure --db "$DB" --base-url https://sekisho.city.narita.example
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'notify.configure'")" 1 "notify.configure entries"
expect_eq "$(sql "SELECT value FROM meta WHERE key = 'notify.base_url'")" "https://sekisho.city.narita.example" "base URL"

# serve: the mail options go together and are checked before anything starts.
expect_exit 2 sk serve --db "$DB" --listen 127.0.0.1:0 --smtp smtp://127.0.0.1:25
expect_in err "--mail-from"
expect_exit 2 sk serve --db "$DB" --listen 127.0.0.1:0 --mail-from a@b.example
expect_exit 2 sk serve --db "$DB" --listen 127.0.0.1:0 --smtp http://127.0.0.1 --mail-from a@b.example
expect_in err "smtp://"
expect_exit 2 sk serve --db "$DB" --listen 127.0.0.1:0 --smtp smtp://127.0.0.1 --mail-from 'a@b.example>'
expect_in err "--mail-from"
expect_exit 2 sk notify flush --db "$DB" --smtp smtp://127.0.0.1:25
expect_in err "--mail-from"
expect_exit 0 sk audit verify --db "$DB"
