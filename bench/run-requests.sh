#!/usr/bin/env bash
# run-requests: requests and approvals over HTTP (issue #13), each against its reference in the
# same run:
#   1. wrk filing requests (POST /api/v1/requests: decided by the policy engine, routed up the
#      requester's chain, stored with its step and its audit entry in one transaction) and
#      approving them (POST /api/v1/requests/{id}/approve), against nginx serving a static
#      file of the same size as each answer (bar: >= 0.3x nginx's requests/s);
#   2. the approver's inbox (GET /api/v1/requests?box=inbox) once 100,000 requests are on
#      record, against the bare SQL query of the inbox on the same database (bar: <= 20 ms).
# The city is the 成田 demo: 市民課's staff member files 運搬 (transport) requests for a
# 機密性2 asset of the section, which 基準 2(2)⑧ gives to the 情報セキュリティ管理者 (課長).
# Installs wrk and nginx with apt-get when missing. Prints a Markdown section for
# docs/performance.md.
# Usage: bench/run-requests.sh [SECONDS] [CONNECTIONS] [RECORDS]   (default 10 64 100000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/http-lib.sh"
build=$root/build-bench-http
secs=${1:-10}
conns=${2:-64}
records=${3:-100000}
work=${HTTP_BENCH_DIR:-$root/bench/out/requests}
port_sk=${HTTP_BENCH_PORT:-18501}
port_ng=$((port_sk + 1))

http_setup "$build" "$work" sqlite3

"$bin" demo --profile narita --db "$work/demo.db" --no-serve >/dev/null
http_serve "$bin" "$work/demo.db" "$port_sk"
pids+=("$sk_pid")

# login LOGIN: prints "csrf cookie" for the demo account LOGIN (not of the MFA floor).
login() {
  curl -s -c "jar.$1" -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"Demo#2026-$1\"}" "$base/api/v1/login" >"login.$1.json"
  printf '%s %s\n' "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "login.$1.json")" \
    "$(awk '$6 == "sekisho_session" { print "sekisho_session=" $7 }' "jar.$1")"
}
read -r s_csrf s_cookie < <(login nakajima.saori) # 市民課 staff
read -r a_csrf a_cookie < <(login ota.kenji)      # 市民課長: 情報セキュリティ管理者
asset=$(sqlite3 demo.db "SELECT a.id FROM assets a JOIN org_unit o ON o.id = a.unit_id WHERE o.code = 'shiminka' AND a.conf = '2' AND a.status = 'active' ORDER BY a.id LIMIT 1")
[ -n "$asset" ] || { echo "no 機密性2 asset in 市民課" >&2; exit 1; }
safeguards=$(curl -s -b "jar.nakajima.saori" -H "X-CSRF-Token: $s_csrf" -H 'Content-Type: application/json' \
  -d "{\"asset_id\":$asset,\"action\":\"transport\"}" "$base/api/v1/decisions" |
  python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["safeguards"]))')
body="{\"kind\":\"transport\",\"asset_id\":$asset,\"reason\":\"支所窓口での閲覧用\",\"details\":{\"destination\":\"北支所\",\"on\":\"$(date -d tomorrow +%F)\",\"purpose\":\"窓口での閲覧用\"},\"safeguards_confirmed\":$safeguards}"
curl -s -b "jar.nakajima.saori" -H "X-CSRF-Token: $s_csrf" -H 'Content-Type: application/json' \
  -d "$body" "$base/api/v1/requests" >file.json
python3 - file.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r.get("status") == "pending" and r.get("approver_role") == "security_manager", r
PY
fsize=$(stat -c %s file.json)
head -c "$fsize" /dev/zero | tr '\0' 'x' >nginx/www/file.json
cat >file.lua <<LUA
wrk.method = "POST"
wrk.body = [[$body]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-CSRF-Token"] = "$s_csrf"
wrk.headers["Cookie"] = "$s_cookie"
LUA

http_nginx "$nginx_bin" "$work/nginx" "$port_ng"
pids+=("$ng_pid")

# wrk: prints "rps p99 non2xx"
run() {
  local out
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@")
  printf '%s %s %s\n' "$(printf '%s\n' "$out" | awk '/^Requests\/sec/ { print $2 }')" \
    "$(printf '%s\n' "$out" | awk '$1 == "99%" { print $2 }')" \
    "$(printf '%s\n' "$out" | awk '/Non-2xx/ { print $NF } END { }' | tail -1)"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
file_sk=$(run -s file.lua "$base/api/v1/requests")
file_ng=$(run "http://127.0.0.1:$port_ng/file.json")
[ -z "$(echo "$file_sk" | cut -d' ' -f3)" ] || { echo "filing answered non-2xx: $file_sk" >&2; exit 1; }

# Top up to RECORDS requests (all pending): the approval run below approves each at most once,
# and the inbox is then timed with that many on record.
while [ "$(sqlite3 demo.db 'SELECT COUNT(*) FROM requests')" -lt "$records" ]; do
  wrk -t2 -c"$conns" -d10s -s file.lua "$base/api/v1/requests" >/dev/null
done

# Approving: each pending request once, oldest first, as many as wrk can take in the run.
sqlite3 demo.db "SELECT id FROM requests WHERE status = 'pending' AND approver_role = 'security_manager' ORDER BY id" >pending.txt
npending=$(wc -l <pending.txt)
{
  echo "local ids = {}"
  echo "for line in io.lines('$work/pending.txt') do ids[#ids + 1] = line end"
  echo "local n = 0"
  echo "local threads = {}"
  echo "function setup(t) t:set('tid', #threads); table.insert(threads, t) end"
  echo "function init(args) n = tid or 0 end"
  echo "function request()"
  echo "  n = n + 2"
  echo "  local id = ids[n] or ids[#ids]"
  echo "  return wrk.format('POST', '/api/v1/requests/' .. id .. '/approve', {['Content-Type'] = 'application/json', ['X-CSRF-Token'] = '$a_csrf', ['Cookie'] = '$a_cookie'}, '{}')"
  echo "end"
} >approve.lua
curl -s -b "jar.ota.kenji" -H "X-CSRF-Token: $a_csrf" -H 'Content-Type: application/json' \
  -d '{}' "$base/api/v1/requests/$(sed -n 1p pending.txt)/approve" >approve.json
asize=$(stat -c %s approve.json)
head -c "$asize" /dev/zero | tr '\0' 'x' >nginx/www/approve.json
approve_sk=$(run -s approve.lua "$base/api/v1/requests")
approve_ng=$(run "http://127.0.0.1:$port_ng/approve.json")
approved=$(sqlite3 demo.db "SELECT COUNT(*) FROM requests WHERE status = 'approved'")
# Answers beyond the pending list would be 409 (already decided): the list must outlast the run.
[ "$approved" -lt "$npending" ] || { echo "the approval run used up the $npending pending requests: give more RECORDS" >&2; exit 1; }
[ -z "$(echo "$approve_sk" | cut -d' ' -f3)" ] || { echo "approving answered non-2xx: $approve_sk" >&2; exit 1; }

total=$(sqlite3 demo.db 'SELECT COUNT(*) FROM requests')
inbox_sk=$(run -H "Cookie: $a_cookie" "$base/api/v1/requests?box=inbox&limit=50")
curl -s -b "jar.ota.kenji" "$base/api/v1/requests?box=inbox&limit=50" >inbox.json
isize=$(stat -c %s inbox.json)
# The bare query: the inbox index read by sqlite3 itself, 1,000 times.
unit=$(sqlite3 demo.db "SELECT id FROM org_unit WHERE code = 'shiminka'")
for _ in $(seq 1000); do
  echo "SELECT id FROM requests WHERE approver_role = 'security_manager' AND approver_unit = $unit AND status = 'pending' ORDER BY id DESC LIMIT 50;"
done >inbox.sql
sql_ms=$( { time -p sqlite3 demo.db <inbox.sql >/dev/null; } 2>&1 | awk '/^real/ { printf "%.3f", $2 }')
# The floor under a filing: bare SQLite writing the rows one filing leaves (bench/rows_bench.c)
# on a copy of this database, 32 filings a transaction (about sekisho's batch under 64
# connections), then only the request's row and its audit entry.
ninja -C "$build" bench/rows_bench >/dev/null
sqlite3 demo.db ".backup rows.db" # a consistent copy: the server still has the WAL open
rows_all=$("$build/bench/rows_bench" rows.db "$secs" 32)
rows_bare=$("$build/bench/rows_bench" rows.db "$secs" 32 bare)
rm -f rows.db rows.db-wal rows.db-shm
p50=$(wrk -t1 -c1 -d5s --latency -H "Cookie: $a_cookie" "$base/api/v1/requests?box=inbox&limit=50" | awk '$1 == "50%" { print $2 }')

f() { printf '%s\n' "$1" | cut -d' ' -f"$2"; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "## Requests and approvals over HTTP (issue #13: ≥ 0.3× nginx; inbox ≤ 20 ms at 100,000 requests)"
echo
echo "Command: \`bench/run-requests.sh $secs $conns $records\` ($(date -u +%Y-%m-%d), $cpu, $(nproc) CPUs),"
echo "release build, \`sekisho serve\` on SQLite (WAL, synchronous=FULL) with the 成田 demo city;"
echo "nginx serving a static file of the same size as each answer. wrk: 2 threads, $conns"
echo "keep-alive connections, ${secs} s."
echo
echo "| Request | sekisho req/s | sekisho p99 | nginx req/s (same size) | nginx p99 | Ratio |"
echo "|---|---|---|---|---|---|"
echo "| \`POST /api/v1/requests\` (transport, decided, routed, audited; $fsize bytes) | $(f "$file_sk" 1) | $(f "$file_sk" 2) | $(f "$file_ng" 1) | $(f "$file_ng" 2) | $(pct "$(f "$file_sk" 1)" "$(f "$file_ng" 1)") |"
echo "| \`POST /api/v1/requests/{id}/approve\` (step and audit entry; $asize bytes) | $(f "$approve_sk" 1) | $(f "$approve_sk" 2) | $(f "$approve_ng" 1) | $(f "$approve_ng" 2) | $(pct "$(f "$approve_sk" 1)" "$(f "$approve_ng" 1)") |"
echo
echo "The floor under a filing, in the same run: bare SQLite (\`bench/rows_bench.c\`: prepared"
echo "statements, no savepoints, no JSON or HTTP) writing on a copy of the same database the rows"
echo "a filing leaves (the request, its step, two notifications, an audit entry of the same size, the"
echo "audit head), 32 filings a transaction: **$rows_all filings/s, $(pct "$rows_all" "$(f "$file_ng" 1)") of nginx**;"
echo "only the request's row and its audit entry: $rows_bare/s ($(pct "$rows_bare" "$(f "$file_ng" 1)")). sekisho files"
echo "$(pct "$(f "$file_sk" 1)" "$rows_all") of the bare SQLite rate."
echo
echo "The approver's inbox with $total requests on record ($isize bytes, 50 rows):"
echo "median $p50 for one client in a row (wrk -c1), p99 $(f "$inbox_sk" 2) and $(f "$inbox_sk" 1) req/s"
echo "under $conns connections; the bare SQL query of the same page through the sqlite3 shell"
echo "takes $(awk -v t="$sql_ms" 'BEGIN { printf "%.2f", t }') ms per query (1,000 in one process)."
echo
echo "Load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)."
