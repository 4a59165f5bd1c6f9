#!/usr/bin/env bash
# run-http: the server's measured claims (SPEC §4), each against its reference in the same run:
#   1. wrk on loopback against GET /api/v1/assets/{id} and POST /api/v1/decisions with a
#      logged-in session, and against nginx serving a static file of the same size as the
#      asset answer (same wrk settings, same machine, alternating);
#   2. resident memory of `sekisho serve` with 1,000 open idle (keep-alive) connections.
# Installs wrk and nginx with apt-get when missing. Prints a Markdown section for
# docs/performance.md.
# Usage: bench/run-http.sh [SECONDS] [CONNECTIONS] [THREADS]   (default 10 64 2)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/http-lib.sh"
build=$root/build-bench-http
secs=${1:-10}
conns=${2:-64}
wthreads=${3:-2}
work=${HTTP_BENCH_DIR:-$root/bench/out/http}
port_sk=${HTTP_BENCH_PORT:-18481}
port_ng=$((port_sk + 1))

http_setup "$build" "$work"

"$bin" demo --db "$work/demo.db" --no-serve >/dev/null
http_serve "$bin" "$work/demo.db" "$port_sk"
pids+=("$sk_pid")
http_session
curl -s -b jar "$base/api/v1/assets/$id" >answer.json
size=$(stat -c %s answer.json)
head -c "$size" /dev/zero | tr '\0' 'x' >nginx/www/asset.json
dsize=$(curl -s -b jar -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d "{\"asset_id\":$id,\"action\":\"copy\"}" "$base/api/v1/decisions" | wc -c)
head -c "$dsize" /dev/zero | tr '\0' 'x' >nginx/www/decision.json

http_nginx "$nginx_bin" "$work/nginx" "$port_ng"
pids+=("$ng_pid")

# runs wrk and prints "rps p99 cpu_us_per_request", the last measured on process $pid_cpu
# (the server under test): CPU-seconds are less disturbed by other load than requests/s.
pid_cpu=
run() {
  local out c0 c1
  c0=$(cpu_ticks "$pid_cpu")
  out=$(wrk -t"$wthreads" -c"$conns" -d"${secs}s" --latency "$@")
  c1=$(cpu_ticks "$pid_cpu")
  local rps p99 non2xx reqs
  rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec/ { print $2 }')
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" { print $2 }')
  reqs=$(printf '%s\n' "$out" | awk '/requests in/ { print $1 }')
  non2xx=$(printf '%s\n' "$out" | awk '/Non-2xx/ { print $NF }')
  [ -z "$non2xx" ] || { echo "wrk saw $non2xx non-2xx answers for $*" >&2; exit 1; }
  echo "$rps $p99 $(awk -v t=$((c1 - c0)) -v hz="$hz" -v n="$reqs" 'BEGIN { printf "%.1f", 1e6 * t / hz / n }')"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq 50); do [ -s "$work/nginx/nginx.pid" ] && break; sleep 0.1; done
ng_pid=$(cat "$work/nginx/nginx.pid")
pid_cpu=$sk_pid
get_sk=$(run -H "Cookie: $cookie" "$base/api/v1/assets/$id")
pid_cpu=$ng_pid
get_ng=$(run "http://127.0.0.1:$port_ng/asset.json")
pid_cpu=$sk_pid
post_sk=$(run -s post.lua "$base/api/v1/decisions")
pid_cpu=$ng_pid
post_ng=$(run "http://127.0.0.1:$port_ng/decision.json")

# Resident memory with 1,000 idle keep-alive connections (each has made one request).
rss_before=$(awk '/VmRSS/ { print $2 }' /proc/$sk_pid/status)
read -r rss_idle open_conns < <(python3 "$root/bench/http_idle.py" "$port_sk" "$sk_pid" 1000)

f() { printf '%s\n' "$1" | cut -d' ' -f"$2"; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "## HTTP server (wrk against sekisho and nginx)"
echo
echo "Command: \`bench/run-http.sh $secs $conns $wthreads\` ($(date -u +%Y-%m-%d), $cpu, $(nproc) CPUs,"
echo "$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $("$nginx_bin" -v 2>&1 | cut -d' ' -f3)), release build,"
echo "\`sekisho serve\` with one event loop per CPU on SQLite (WAL, synchronous=FULL), nginx with"
echo "one worker per CPU serving a static file of the same size as sekisho's answer. wrk:"
echo "$wthreads threads, $conns keep-alive connections, ${secs} s, on the same machine."
echo
echo "| Request | sekisho req/s | sekisho p99 | sekisho CPU µs/req | nginx req/s (same size static file) | nginx p99 | nginx CPU µs/req | Ratio |"
echo "|---|---|---|---|---|---|---|---|"
echo "| \`GET /api/v1/assets/$id\` ($size bytes, session checked, 機密性2) | $(f "$get_sk" 1) | $(f "$get_sk" 2) | $(f "$get_sk" 3) | $(f "$get_ng" 1) | $(f "$get_ng" 2) | $(f "$get_ng" 3) | $(pct "$(f "$get_sk" 1)" "$(f "$get_ng" 1)") |"
echo "| \`POST /api/v1/decisions\` ($dsize bytes, CSRF checked, audited) | $(f "$post_sk" 1) | $(f "$post_sk" 2) | $(f "$post_sk" 3) | $(f "$post_ng" 1) | $(f "$post_ng" 2) | $(f "$post_ng" 3) | $(pct "$(f "$post_sk" 1)" "$(f "$post_ng" 1)") |"
echo
echo "Resident memory of \`sekisho serve\`: $((rss_before / 1024)) MiB after the runs above,"
echo "$((rss_idle / 1024)) MiB with 1,000 idle keep-alive connections open"
echo "(\`sekisho_http_connections_open\` said $open_conns while they were open; limit 50 MB)."
echo
echo "CPU µs/req: user + system CPU time of the server process (sekisho: every thread; nginx:"
echo "master and workers) during the run, divided by the requests wrk completed; less disturbed"
echo "by other load on the machine than requests/s."
echo
echo "Every \`POST /api/v1/decisions\` appends an audit entry durably: the loop reads the asset,"
echo "decides and renders the answer and the entry's image on its own connection, then submits"
echo "only the append to the group-commit writer (every append queued when it wakes shares one"
echo "transaction and one fsync), whose thread hands the answer back once it is committed"
echo "(src/http/pool.c). A \`GET\` reads the asset with one query and sends the JSON text"
echo "rendered straight from the row (sk_asset_render); the session, its roles and its scope"
echo "come from the loop's session cache (src/http/scache.c: invalidated at once by changes made"
echo "through the server, re-checked in the database after 1 s for changes made by other"
echo "processes)."
echo "Load average before the runs: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)."
