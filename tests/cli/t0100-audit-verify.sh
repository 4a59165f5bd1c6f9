# sekisho audit verify: 0 for an intact log, 1 naming the first bad entry for
# each kind of tampering (SPEC C9), 2 when the log or a given file cannot be
# read. Tampering is done with the database's own SQL client.
. "$SEKISHO_TESTLIB"
# A fresh installation with 10 entries; its key in $PWD/$1.key.
setup() {
  fresh_db
  key=$PWD/$1.key
  expect_exit 0 sk init --db "$DB" --profile hachioji --admin ciso --key "$key"
  for c in a b c d e f; do
    expect_exit 0 sk org add --db "$DB" --code "sec-$c" --name "課$c" --kind department --parent hachioji
  done
  n=$(sql "SELECT COUNT(*) FROM audit_log")
  [ "$n" -ge 10 ] || fail "expected at least 10 entries, have $n"
}
verify() { sk audit verify --db "$DB" --key "$key.pub" "$@"; }

setup one
expect_exit 0 verify
expect_in out "audit log intact: $n entries"
expect_exit 0 sk audit checkpoint --db "$DB" --key "$key" -o cp1
expect_in cp1 "$(head -n1 "$key.pub" | cut -d+ -f1)"
expect_exit 0 verify --checkpoint cp1 --json
expect_in out '"intact": true'
expect_in out '"checkpoints": 2'
# The checkpoint file is never overwritten.
expect_exit 2 sk audit checkpoint --db "$DB" --key "$key" -o cp1
# One shape for a verification result, whatever the verdict (GET /api/v1/audit/verify too).
jq -e 'keys == ["checkpoints","first_bad_entry","intact","origin","reason","root","size"]
	and .first_bad_entry == null and .reason == null and (.root | length) == 44' out >/dev/null ||
	fail "verify --json shape: $(cat out)"

# show and tail read entries through the API's reader: one shape for an entry.
entry_keys='["action","actor","address","after","at","before","leaf","object","prev","seq"]'
expect_exit 0 sk audit show --db "$DB" --seq 2
jq -e --argjson k "$entry_keys" 'keys == $k and .seq == 2 and (.prev | length) == 64' out \
	>/dev/null || fail "audit show: $(cat out)"
expect_exit 2 sk audit show --db "$DB" --seq 9999
expect_in err "there is no audit entry 9999"
expect_exit 0 sk audit tail --db "$DB" -n 3 --json
last=$(sql "SELECT MAX(seq) FROM audit_log")
jq -e --argjson k "$entry_keys" --argjson last "$last" \
	'length == 3 and (.[0] | keys) == $k and .[2].seq == $last and .[0].seq == $last - 2' out \
	>/dev/null || fail "audit tail: $(cat out)"
expect_exit 0 sk audit tail --db "$DB" -n 2
[ "$(wc -l <out)" -eq 2 ] || fail "audit tail -n 2 printed $(wc -l <out) lines"
expect_in out "org_unit:"

# Cannot read: exit 2, never a verdict.
expect_exit 2 sk audit verify --db "sqlite:$PWD/nonexistent.db"
expect_exit 2 verify --checkpoint no-such-file
echo "not a note" > junk.note
expect_exit 2 verify --checkpoint junk.note
expect_in err "junk.note"
# A key file others can read is refused.
chmod 644 "$key"
expect_exit 2 sk audit checkpoint --db "$DB" --key "$key"
expect_in err "permissions"
chmod 600 "$key"

# One entry's payload edited.
sql "UPDATE audit_log SET object = 'org_unit:999' WHERE seq = 3"
expect_exit 1 verify
expect_in out "entry 3: stored hash does not match its fields"
expect_exit 1 verify --json
expect_in out '"first_bad_entry": 3'
jq -e '.intact == false and .root == null and (.reason | test("entry 3"))' out >/dev/null ||
	fail "verify --json of a bad log: $(cat out)"

# Its stored hash edited.
setup two
sql "UPDATE audit_log SET leaf_hash = '00000000000000000000000000000000000000000000000000000000000000ff' WHERE seq = 4"
expect_exit 1 verify
expect_in out "entry 4: stored hash does not match its fields"

# A middle entry deleted.
setup three
sql "DELETE FROM audit_log WHERE seq = 5"
expect_exit 1 verify
expect_in out "entry 5: missing"

# Two entries swapped.
setup four
sql "UPDATE audit_log SET seq = -1 WHERE seq = 6"
sql "UPDATE audit_log SET seq = 6 WHERE seq = 8"
sql "UPDATE audit_log SET seq = 8 WHERE seq = -1"
expect_exit 1 verify
expect_in out "entry 6:"

# The tail truncated, new entries appended and re-checkpointed: consistent in
# itself, caught by the older checkpoint the auditor kept outside.
setup five
expect_exit 0 sk audit checkpoint --db "$DB" --key "$key" -o kept-early
for c in g h; do
  expect_exit 0 sk org add --db "$DB" --code "sec-$c" --name "課$c" --kind department --parent hachioji
done
expect_exit 0 sk audit checkpoint --db "$DB" --key "$key" -o kept-late
sql "DELETE FROM audit_log WHERE seq > $n"
sql "DELETE FROM audit_checkpoint"
sql "DELETE FROM org_unit WHERE code IN ('sec-g', 'sec-h')"
sql "UPDATE audit_head SET seq = $n, leaf_hash = (SELECT leaf_hash FROM audit_log WHERE seq = $n) WHERE id = 1"
for c in x y z; do
  expect_exit 0 sk org add --db "$DB" --code "sec-$c" --name "課$c" --kind department --parent hachioji
done
expect_exit 0 sk audit checkpoint --db "$DB" --key "$key" -o forged
expect_exit 0 verify
expect_exit 0 verify --checkpoint kept-early
expect_exit 1 verify --checkpoint kept-early --checkpoint kept-late
expect_in out "entry $((n + 1)): the log does not match checkpoint kept-late"

# A checkpoint signed by another key, and one of another log (origin).
setup six
expect_exit 0 sk audit checkpoint --db "$DB" --key "$key" -o own
other_db=$DB
setup seven
expect_exit 0 sk audit checkpoint --db "$DB" --key "$key" -o foreign
DB=$other_db key=$PWD/six.key
expect_exit 1 verify --checkpoint foreign
expect_in out "checkpoint foreign: the checkpoint is not signed by the audit key"
# A signature that does not verify under the key.
name=$(cut -d+ -f1 "$key.pub")
cp own forged-own
sed -i '$d' forged-own
sig=$(tail -n1 own | cut -d' ' -f3)
# Change the signature's last signature byte: it no longer verifies.
case "$sig" in *A=) bad=${sig%A=}Q= ;; *) bad=${sig%?=}A= ;; esac
printf '— %s %s\n' "$name" "$bad" >> forged-own
expect_exit 1 verify --checkpoint forged-own
expect_in out "not signed by the audit key"
