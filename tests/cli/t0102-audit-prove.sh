# sekisho audit prove / verify-proof: inclusion and consistency proofs of the
# log verify, changed ones do not, and they tie to signed checkpoints.
. "$SEKISHO_TESTLIB"
fresh_db
key=$PWD/audit.key
expect_exit 0 sk init --db "$DB" --profile hachioji --admin ciso --key "$key"
expect_exit 0 sk audit checkpoint --db "$DB" --key "$key" -o cp-old
old=$(sed -n 2p cp-old)
for c in a b c; do
  expect_exit 0 sk org add --db "$DB" --code "dep-$c" --name "部$c" --kind department --parent hachioji
done
expect_exit 0 sk audit checkpoint --db "$DB" --key "$key" -o cp-new
new=$(sed -n 2p cp-new)
[ "$new" -gt "$old" ] || fail "log did not grow ($old -> $new)"

expect_exit 0 sk audit prove --db "$DB" --index 1
mv out incl.json
expect_in incl.json '"leafIdx": 1'
expect_exit 0 sk audit verify-proof incl.json
expect_in out "proof verifies"
expect_exit 0 sk audit verify-proof incl.json --checkpoint cp-new --key "$key.pub"
# The proof is not for the old tree.
expect_exit 1 sk audit verify-proof incl.json --checkpoint cp-old --key "$key.pub"
# Another leaf index with the same proof fails.
sed 's/"leafIdx": 1/"leafIdx": 2/' incl.json > wrong.json
expect_exit 1 sk audit verify-proof wrong.json
expect_in out "does NOT verify"

expect_exit 0 sk audit prove --db "$DB" --consistency "$old" "$new"
mv out cons.json
expect_exit 0 sk audit verify-proof cons.json --checkpoint cp-old --checkpoint cp-new --key "$key.pub"
expect_exit 0 sk audit verify-proof - < cons.json
sed "s/\"size1\": $old/\"size1\": $((old - 1))/" cons.json > wrong.json
expect_exit 1 sk audit verify-proof wrong.json

# Bad input.
expect_exit 2 sk audit prove --db "$DB" --index 999
expect_exit 2 sk audit prove --db "$DB" --consistency 3 2
expect_exit 2 sk audit prove --db "$DB"
echo '{"nonsense": 1}' > junk.json
expect_exit 2 sk audit verify-proof junk.json
expect_exit 2 sk audit verify-proof no-such.json

# A damaged log gives no proofs.
case "$SEKISHO_TEST_BACKEND" in
postgresql) psql "$DB" -qAt -c "UPDATE audit_log SET actor = 'x' WHERE seq = 2" ;;
*) sqlite3 "${DB#sqlite:}" "UPDATE audit_log SET actor = 'x' WHERE seq = 2" ;;
esac
expect_exit 1 sk audit prove --db "$DB" --index 0
expect_in err "entry 2"
