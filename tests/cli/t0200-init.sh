# sekisho init: creates the installation once; bad input exits 2 with a
# message naming the bad value and changes nothing.
. "$SEKISHO_TESTLIB"
fresh_db
key=$PWD/audit.key

# PostgreSQL has no file beside it for the key: --key is required there.
if [ "$SEKISHO_TEST_BACKEND" = postgresql ]; then
  expect_exit 2 env -u SEKISHO_AUDIT_KEY "$SEKISHO_BIN" init --db "$DB" --profile hachioji --admin ciso
  expect_in err "--key"
  expect_exit 2 sk org list --db "$DB" --json
  [ ! -e "$key" ] || fail "a failed init left a key"
fi

# Bad input before anything exists: nothing is created.
expect_exit 2 sk init --db "$DB" --profile atlantis --admin ciso --key "$key"
expect_in err "'atlantis'"
expect_exit 2 sk init --db "$DB" --profile hachioji --admin "Bad Login" --key "$key"
expect_in err "'Bad Login'"
expect_exit 2 sk init --db "$DB" --profile hachioji --key "$key"
expect_in err "--admin"
[ ! -e "$key" ] || fail "a failed init left a key"
if [ "$SEKISHO_TEST_BACKEND" = sqlite ]; then
  [ ! -e "${DB#sqlite:}" ] || fail "a failed init left its database file"
fi
# Not even a schema was made.
expect_exit 2 sk org list --db "$DB" --json
expect_in err "sekisho init"

expect_exit 0 sk init --db "$DB" --profile hachioji --admin ciso --key "$key"
expect_in out "八王子市"
expect_in out "CISO account: ciso"
pw=$(sed -n 's/^temporary password.*: //p' out)
[ ${#pw} -ge 16 ] || fail "temporary password '$pw' too short"
[ -f "$key" ] && [ -f "$key.pub" ] || fail "no audit key files"
[ "$(stat -c %a "$key")" = 600 ] || fail "key file mode $(stat -c %a "$key")"
expect_exit 0 sk org list --db "$DB" --json
expect_in out '"code": "hachioji"'
expect_in out '"kind": "municipality"'
expect_in out '"parent": null'
expect_exit 0 sk user show --db "$DB" ciso --json
expect_in out '"password_temporary": true'
expect_in out '"role": "ciso"'
expect_not_in out 'argon2'
expect_eq "$(sql "SELECT value FROM meta WHERE key = 'policy.profile'")" hachioji "meta policy.profile"
# The password never reaches the audit log.
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%argon2%'")" 0 "hashes in audit"
[ -z "$pw" ] || expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%$pw%'")" 0 "password in audit"

# A second init changes nothing.
sk org list --db "$DB" --json >before.json
audit_before=$(sql "SELECT COUNT(*) FROM audit_log")
expect_exit 2 sk init --db "$DB" --profile narita --admin other --key "$PWD/other.key"
expect_in err "installation already"
[ ! -e "$PWD/other.key" ] || fail "a refused init left a key"
sk org list --db "$DB" --json >after.json
cmp -s before.json after.json || fail "org list changed"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log")" "$audit_before" "audit rows"

# An existing key file is never overwritten.
fresh_db
expect_exit 2 sk init --db "$DB" --profile narita --admin ciso --key "$key"
expect_in err "$key"
if [ "$SEKISHO_TEST_BACKEND" = postgresql ]; then
  expect_eq "$(sql "SELECT COUNT(*) FROM audit_log")" 0 "audit rows after refused init"
fi

# Bad URLs and unreadable databases.
expect_exit 2 sk init --db "mysql://localhost/x" --profile narita --admin ciso --key "$PWD/k2"
expect_in err "mysql://localhost/x"
printf 'this is not a database, just some text that is long enough to look odd......\n' >junk.db
expect_exit 2 sk init --db "$PWD/junk.db" --profile narita --admin ciso --key "$PWD/k3"
expect_in err "junk.db"
expect_exit 2 sk org list --db "$PWD/junk.db"
expect_in err "junk.db"
expect_exit 2 sk org list --db "$PWD/missing.db"
expect_in err "missing.db"
[ ! -e "$PWD/missing.db" ] || fail "org list created a database"

# The four shipped profiles name their city.
for p in niigata:新潟市 narita:成田市 setagaya:世田谷区; do
  fresh_db
  expect_exit 0 sk init --db "$DB" --profile "${p%%:*}" --admin ciso --key "$PWD/key-${p%%:*}"
  expect_exit 0 sk org list --db "$DB" --json
  expect_in out "\"name\": \"${p#*:}\""
  expect_in out "\"code\": \"${p%%:*}\""
done
# A profile file must load; its path is recorded, its city names the root.
printf 'format: 1\ncity: nowhere\n' >broken.yaml
fresh_db
expect_exit 2 sk init --db "$DB" --profile broken.yaml --admin ciso --key "$PWD/kf"
expect_in err "profile 'broken.yaml' is not valid"
[ ! -e "$PWD/kf" ] || fail "a failed init left a key"
cp "$SEKISHO_SRC/policies/example.yaml" city.yaml
expect_exit 0 sk init --db "$DB" --profile city.yaml --admin ciso --key "$PWD/kf"
expect_in out "例示市"
expect_eq "$(sql "SELECT value FROM meta WHERE key = 'policy.profile'")" "$PWD/city.yaml" "profile path"
fresh_db
expect_exit 0 sk init --db "$DB" --profile city.yaml --admin ciso --key "$PWD/kf2" --name テスト町 --code test-town
expect_exit 0 sk org list --db "$DB"
expect_in out "test-town  テスト町"

# The key init made signs checkpoints, and only while nobody else can read it.
fresh_db
key=$PWD/perm.key
expect_exit 0 sk init --db "$DB" --profile hachioji --admin ciso --key "$key"
expect_exit 0 sk audit verify --db "$DB"
chmod 644 "$key"
expect_exit 2 sk audit checkpoint --db "$DB" --key "$key"
expect_in err "permissions"
expect_in err "$key"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_checkpoint")" 0 "checkpoints after refusal"
chmod 600 "$key"
expect_exit 0 sk audit checkpoint --db "$DB" --key "$key"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_checkpoint")" 1 "checkpoints"
