# sekisho audit verify-proof over every inclusion and consistency vector of
# transparency-dev/merkle: valid ones verify (exit 0), mutated ones do not.
# backends: none
# A mutated vector must be refused by the proof check itself (exit 1 with "proof does
# NOT verify"), never by the reader (exit 2, "not a proof"): a vector the parser rejects
# proves nothing about verification.
. "$SEKISHO_TESTLIB"
dir=$SEKISHO_SRC/tests/unit/audit/testdata/transparency-dev-merkle/testdata
count=0
for f in $(find "$dir/inclusion" "$dir/consistency" -name '*.json' | sort); do
  set +e; sk audit verify-proof "$f" >out 2>err; rc=$?; set -e
  if grep -q '"wantErr": true' "$f"; then
    [ "$rc" -eq 1 ] || { cat out err; fail "$f: exit $rc, want 1 (refused by verification)"; }
    grep -q '^proof does NOT verify: ' out || { cat out err; fail "$f: not refused by verification"; }
    [ ! -s err ] || { cat err; fail "$f: unexpected message on stderr"; }
  else
    [ "$rc" -eq 0 ] || { cat out err; fail "$f did not verify (exit $rc)"; }
  fi
  count=$((count + 1))
done
[ "$count" -ge 196 ] || fail "only $count vectors found"
