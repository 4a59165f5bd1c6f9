# alone
# Two inits racing on one database: exactly one wins, the other is refused
# with exit 2, and the installation has one root and one CISO.
. "$SEKISHO_TESTLIB"
for round in 1 2 3 4 5; do
  fresh_db
  set +e
  "$SEKISHO_BIN" init --db "$DB" --profile hachioji --admin alice --key "$PWD/a$round.key" >a.out 2>a.err &
  pa=$!
  "$SEKISHO_BIN" init --db "$DB" --profile narita --admin bob --key "$PWD/b$round.key" >b.out 2>b.err &
  pb=$!
  wait $pa; ra=$?
  wait $pb; rb=$?
  set -e
  [ $((ra == 0)) -ne $((rb == 0)) ] || fail "round $round: exits $ra and $rb (a: $(cat a.err) b: $(cat b.err))"
  [ "$ra" -eq 0 ] || [ "$ra" -eq 2 ] || fail "round $round: alice's init exited $ra: $(cat a.err)"
  [ "$rb" -eq 0 ] || [ "$rb" -eq 2 ] || fail "round $round: bob's init exited $rb: $(cat b.err)"
  expect_eq "$(sql "SELECT COUNT(*) FROM org_unit")" 1 "round $round: units"
  expect_eq "$(sql "SELECT COUNT(*) FROM users")" 1 "round $round: accounts"
  # The loser's key is gone; the winner's stays.
  if [ "$ra" -eq 0 ]; then loser=b; else loser=a; fi
  [ ! -e "$PWD/$loser$round.key" ] || fail "round $round: the refused init left its key"
  expect_exit 0 sk audit verify --db "$DB"
done
