# sekisho demo serves the sample city: it prints the accounts and the
# address, a demo account can log in, and SIGTERM ends it cleanly.
# backends: none
. "$SEKISHO_TESTLIB"
"$SEKISHO_BIN" demo --db city.db --listen 127.0.0.1:0 >out 2>err &
pid=$!
for _ in $(seq 600); do grep -q "listening on" out && break; sleep 0.1; done
expect_in out "DEMO CREDENTIALS"
expect_in out "yamada.taro"
addr=$(sed -n 's/^listening on //p' out)
[ -n "$addr" ] || { kill "$pid"; cat err; fail "demo did not print its address"; }
curl -sf "$addr/healthz" >health || { kill "$pid"; fail "healthz did not answer"; }
expect_in health '"status":"ok"'
curl -s -o login -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"login":"sato.hanako","password":"Demo#2026-sato.hanako"}' "$addr/api/v1/login" >code
expect_eq "$(cat code)" 200 "demo login status"
expect_in login '"csrf_token"'
kill -TERM "$pid"
set +e; wait "$pid"; rc=$?; set -e
expect_eq "$rc" 0 "demo exit status after SIGTERM"
