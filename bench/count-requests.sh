#!/usr/bin/env bash
# count-requests: the server's CPU cost of filing, approving and deciding over HTTP, in
# instructions per request (valgrind's callgrind), which a shared or loaded machine does not
# disturb the way it disturbs wall time. The same city and requests as run-requests.sh: the
# 成田 demo, 市民課's staff member files 運搬 requests for a 機密性2 asset, the 課長 approves
# them; POST /api/v1/decisions on the same asset for comparison. One client, one request at a
# time (keep-alive), so every write is its own group commit: the dearest case per request.
# Collection runs only while the N requests of each kind are sent (callgrind_control -i).
# Usage: bench/count-requests.sh [N] [BUILD]   (default 200 build-bench-http)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-200}
build=$(realpath -m "${2:-$root/build-bench-http}")
work=${COUNT_BENCH_DIR:-$root/bench/out/count}
port=${COUNT_BENCH_PORT:-18511}
[ -d "$build" ] || meson setup "$build" "$root" -Dbuildtype=release >/dev/null
ninja -C "$build" sekisho >/dev/null
bin=$build/sekisho
rm -rf "$work"
mkdir -p "$work"
cd "$work"
"$bin" demo --profile narita --db "$work/demo.db" --no-serve >/dev/null
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg.%p" \
  "$bin" serve --db "$work/demo.db" --listen "127.0.0.1:$port" >serve.out 2>serve.err &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 300); do grep -q listening serve.out 2>/dev/null && break; sleep 0.2; done
# phase NAME: counts from here to the next dump under NAME.
python3 - "$port" "$n" "$pid" <<'PY'
import http.client, json, subprocess, sys, datetime, re, os
port, n, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
def call(method, path, body=None, cookie=None, csrf=None):
    h = {"Content-Type": "application/json"}
    if cookie: h["Cookie"] = cookie
    if csrf: h["X-CSRF-Token"] = csrf
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = conn.getresponse()
    data = r.read()
    return r.status, data, r.getheader("Set-Cookie")
def login(who):
    st, data, sc = call("POST", "/api/v1/login", {"login": who, "password": "Demo#2026-" + who})
    assert st == 200, (st, data)
    return sc.split(";")[0], json.loads(data)["csrf_token"]
s = login("nakajima.saori")  # 市民課 staff
a = login("ota.kenji")       # 市民課長
db = os.path.join(os.getcwd(), "demo.db")
asset = subprocess.check_output(["sqlite3", db, "SELECT a.id FROM assets a JOIN org_unit o ON o.id = a.unit_id WHERE o.code = 'shiminka' AND a.conf = '2' AND a.status = 'active' ORDER BY a.id LIMIT 1"], text=True).strip()
st, data, _ = call("POST", "/api/v1/decisions", {"asset_id": int(asset), "action": "transport"}, *s)
assert st == 200, (st, data)
sg = json.loads(data)["safeguards"]
tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
body = {"kind": "transport", "asset_id": int(asset), "reason": "支所窓口での閲覧用",
        "details": {"destination": "北支所", "on": tomorrow, "purpose": "窓口での閲覧用"},
        "safeguards_confirmed": sg}
def phase(name, fn):
    subprocess.check_call(["callgrind_control", "-z", pid], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.check_call(["callgrind_control", "-i", "on", pid], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = [fn(i) for i in range(n)]
    subprocess.check_call(["callgrind_control", "-i", "off", pid], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.check_call(["callgrind_control", "-d", name, pid], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out
def file(i):
    st, data, _ = call("POST", "/api/v1/requests", body, *s)
    assert st == 201, (st, data)
    return json.loads(data)["id"]
ids = phase("file", file)
def approve(i):
    st, data, _ = call("POST", "/api/v1/requests/%d/approve" % ids[i], {}, *a)
    assert st == 200, (st, data)
phase("approve", approve)
def decide(i):
    st, data, _ = call("POST", "/api/v1/decisions", {"asset_id": int(asset), "action": "transport"}, *s)
    assert st == 200, (st, data)
phase("decide", decide)
PY
kill $pid
wait $pid 2>/dev/null || true
trap - EXIT
for f in file approve decide; do
  # The dump of a phase (every thread's: the loop's, the writer's, …).
  total=0
  for d in "$work"/cg.$pid.*; do
    grep -q "^desc: Trigger: dump $f\$" "$d" || continue
    total=$(awk '/^totals:/ { print $2 }' "$d")
  done
  printf '%-8s %12d instructions per request (%d requests)\n' "$f" $((total / n)) "$n"
done
