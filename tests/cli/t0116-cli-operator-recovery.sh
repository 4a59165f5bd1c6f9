# When no person can (issue 15 item 6 follow-ups), the operator acts, audited as the operator:
# - `user unlock` with the admin token and no --as unlocks an account that could unlock others
#   (it holds user.admin somewhere: the CISO, an administrator), so that the last such account
#   being locked is not the end; any other account is unlocked by a person, named with --as.
# - `user disable|enable` of the CISO: no role ranks above it, so nobody may; like appointing
#   the CISO, it is installation-level, the operator's act, and takes no --as.
. "$SEKISHO_TESTLIB"
fresh_db
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit.key"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --db "$DB" --code joho --name 情報政策課 --kind section --parent somu
printf 'Taro-Passw0rd!x\n' | expect_exit 0 sk user add --db "$DB" --login taro --name 太郎 --unit joho --role staff --password-stdin
me=$(id -un)
far=4102444800 # 2100-01-01, a lock that lasts until someone lifts it
lock() { sql "UPDATE users SET locked_until = $far, failed_logins = 10, lockouts = 1 WHERE login = '$1'" >/dev/null; }
op() { "$SEKISHO_BIN" "$@"; }

# The only CISO, the only account that may unlock, is locked: --as it is refused ...
lock ciso
expect_exit 2 sk user unlock --db "$DB" taro
expect_in err "'ciso' is locked"
# ... the operator, with the admin token and no --as, unlocks it, audited as the operator.
expect_exit 0 op user unlock --db "$DB" ciso
expect_eq "$(sql "SELECT COUNT(*) FROM users WHERE login = 'ciso' AND locked_until IS NULL AND failed_logins = 0")" 1 "ciso unlocked"
expect_eq "$(sql "SELECT actor || '|' || address || '|' || object FROM audit_log WHERE action = 'auth.unlock' ORDER BY seq DESC LIMIT 1")" \
  "cli:$me|cli:admin-token|user:ciso" "the operator's unlock audited as the operator"
# Without the admin token the operator is not proved: refused, nothing changed.
lock ciso
expect_exit 2 env -u SEKISHO_ADMIN_TOKEN "$SEKISHO_BIN" user unlock --db "$DB" ciso
expect_in err "acts for a person"
expect_eq "$(sql "SELECT COUNT(*) FROM users WHERE login = 'ciso' AND locked_until IS NULL")" 0 "still locked without the token"
expect_exit 0 op user unlock --db "$DB" ciso

# An account that could not unlock anyone is a person's to unlock: the token alone is refused
# (both languages), and --as an administrator does it.
lock taro
expect_exit 2 op user unlock --db "$DB" taro
expect_in err "acts for a person"
LANG=ja_JP.UTF-8 expect_exit 2 op user unlock --db "$DB" taro
expect_in err "個人として行う操作です"
expect_eq "$(sql "SELECT COUNT(*) FROM users WHERE login = 'taro' AND locked_until IS NULL")" 0 "taro still locked"
expect_exit 0 sk user unlock --db "$DB" taro
expect_eq "$(sql "SELECT actor || '|' || address FROM audit_log WHERE action = 'auth.unlock' ORDER BY seq DESC LIMIT 1")" \
  "ciso|cli:admin-token" "a person's unlock audited as the person"
# With --as the person acts, for the CISO too (no operator's act when a person is named).
lock ciso
expect_exit 2 sk user unlock --db "$DB" ciso
expect_in err "'ciso' is locked"
expect_exit 0 op user unlock --db "$DB" ciso

# Disabling or enabling the CISO: nobody ranks above it, so it is the operator's act (the last
# active CISO stays, so a second one is appointed first, by the operator too).
expect_exit 2 op user disable --db "$DB" ciso
expect_in err "last active ciso"
printf 'Hanako-Passw0rd!x\n' | expect_exit 0 op user add --db "$DB" --login hanako --name 花子 --unit narita --role ciso --password-stdin
expect_exit 2 sk user disable --db "$DB" ciso
expect_in err "installation command"
expect_in err "leave out --as"
LANG=ja_JP.UTF-8 expect_exit 2 sk user disable --db "$DB" ciso
expect_in err "インストールの管理コマンド"
expect_exit 0 op user disable --db "$DB" ciso
expect_eq "$(sql "SELECT status FROM users WHERE login = 'ciso'")" disabled "ciso disabled by the operator"
expect_eq "$(sql "SELECT actor || '|' || address FROM audit_log WHERE action = 'user.disable' ORDER BY seq DESC LIMIT 1")" \
  "cli:$me|cli" "the operator's disable audited as the operator"
expect_exit 0 env -u SEKISHO_ADMIN_TOKEN "$SEKISHO_BIN" user enable --db "$DB" ciso
expect_eq "$(sql "SELECT status FROM users WHERE login = 'ciso'")" active "ciso enabled by the operator"
expect_eq "$(sql "SELECT actor || '|' || address FROM audit_log WHERE action = 'user.enable' ORDER BY seq DESC LIMIT 1")" \
  "cli:$me|cli" "the operator's enable audited as the operator"
# Any other account stays a person's act under the rank rule.
expect_exit 2 op user disable --db "$DB" taro
expect_in err "acts for a person"
expect_exit 0 sk user disable --db "$DB" taro
expect_eq "$(sql "SELECT actor FROM audit_log WHERE action = 'user.disable' ORDER BY seq DESC LIMIT 1")" ciso "a person's disable"
expect_exit 0 sk user enable --db "$DB" taro
