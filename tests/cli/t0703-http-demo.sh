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

# A port something else listens on: the demo says so and exits non-zero before
# it builds the city. A second sekisho on the same port (both asking for
# SO_REUSEPORT) must be refused as well, not share the port.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True); time.sleep(60)' >port &
holder=$!
for _ in $(seq 100); do [ -s port ] && break; sleep 0.1; done
port=$(cat port)
expect_exit 2 sk demo --db taken.db --listen "127.0.0.1:$port"
expect_in err "cannot listen on 127.0.0.1:$port: another program is already serving there"
[ ! -e taken.db ] || fail "the demo built its city although it could not serve"
kill "$holder"; wait "$holder" 2>/dev/null || true

"$SEKISHO_BIN" demo --db city.db --listen 127.0.0.1:0 >out1 2>err1 &
pid=$!
for _ in $(seq 600); do grep -q "listening on" out1 && break; sleep 0.1; done
addr=$(sed -n 's/^listening on http:\/\///p' out1)
[ -n "$addr" ] || { kill "$pid"; fail "the first demo did not start"; }
expect_exit 2 sk serve --db city.db --listen "$addr"
expect_in err "another program is already serving there"
kill -TERM "$pid"; wait "$pid" || true
