# sekisho audit verify-proof over every inclusion and consistency vector of
# transparency-dev/merkle: valid ones verify (exit 0), mutated ones do not.
# backends: none
. "$SEKISHO_TESTLIB"
dir=$SEKISHO_SRC/tests/unit/audit/testdata/transparency-dev-merkle/testdata
count=0
for f in $(find "$dir/inclusion" "$dir/consistency" -name '*.json' | sort); do
  set +e; sk audit verify-proof "$f" >out 2>err; rc=$?; set -e
  if grep -q '"wantErr": true' "$f"; then
    [ "$rc" -ne 0 ] || fail "$f verified but must not"
  else
    [ "$rc" -eq 0 ] || { cat out err; fail "$f did not verify (exit $rc)"; }
  fi
  count=$((count + 1))
done
[ "$count" -ge 196 ] || fail "only $count vectors found"
