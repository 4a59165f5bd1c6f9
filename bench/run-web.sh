#!/usr/bin/env bash
# run-web: the web UI's asset list page (issue #14, "Speed"), each bar against its reference in
# the same run, on a register of 100,000 assets:
#   1. server CPU per request of the page GET /assets (its first 50 rows) against the same 50
#      rows as JSON, GET /api/v1/assets?limit=50, one request at a time on one keep-alive
#      connection (bar: the page within 2x the JSON answer's CPU);
#   2. wrk on GET /assets against nginx serving a static file of the same size, same wrk
#      settings (bar: >= 0.3x nginx's requests/s).
# The city is the 成田 demo; the register's 100,000 rows come from bench/assets-lib.sh (the
# generator of bench/run-assets.sh), imported into 20 sections added under 企画政策部, whose
# 情報セキュリティ責任者 (ishikawa.tsuyoshi: not of the MFA floor, so a password is the whole
# login) logs in through the web's own form (POST /login with its CSRF cookie and token) and
# sees them all. Installs wrk and nginx with apt-get when missing. Prints a Markdown section
# for docs/performance.md.
# Usage: bench/run-web.sh [SECONDS] [CONNECTIONS] [THREADS] [ROWS]   (default 10 64 2 100000)
# WEB_BENCH_BUILD: the build directory (default build-bench-http, made when missing);
# WEB_BENCH_CPU_SECS: seconds of each CPU round (default 5; 1 for a smoke run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/http-lib.sh"
. "$root/bench/assets-lib.sh"
build=$(realpath -m "${WEB_BENCH_BUILD:-$root/build-bench-http}")
secs=${1:-10}
conns=${2:-64}
wthreads=${3:-2}
rows=${4:-100000}
csecs=${WEB_BENCH_CPU_SECS:-5} # seconds of one-at-a-time requests per CPU round
work=${HTTP_BENCH_DIR:-$root/bench/out/web}
port_sk=${HTTP_BENCH_PORT:-18521}
port_ng=$((port_sk + 1))
user=ishikawa.tsuyoshi

http_setup "$build" "$work" sqlite3

# The demo writes the operator's admin token beside the database; the CLI's person-level
# commands below (org add, asset import) act for the demo city's CISO (BENCH_AS), proved by it.
export SEKISHO_ADMIN_TOKEN=$work/demo.db.admin-token
export BENCH_AS=fujita.masaru
"$bin" demo --profile narita --db "$work/demo.db" --no-serve >/dev/null
assets_sections "$bin" "$work/demo.db" kikaku
assets_gen "$rows" register.csv
"$bin" --as "$BENCH_AS" asset import --db "$work/demo.db" register.csv >/dev/null
total=$(sqlite3 demo.db "SELECT COUNT(*) FROM assets WHERE status = 'active'")

http_serve "$bin" "$work/demo.db" "$port_sk"
pids+=("$sk_pid")

# The web's login: the form's CSRF token must match the cookie set with it (double submit).
curl -s -c jar "$base/login" >login.html
token=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' login.html | head -1)
code=$(curl -s -b jar -c jar -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$token" \
  --data-urlencode "login=$user" --data-urlencode "password=Demo#2026-$user" "$base/login")
cookie=$(awk '$6 == "sekisho_session" { print "sekisho_session=" $7 }' jar)
[ "$code" = 303 ] && [ -n "$cookie" ] || { echo "the web login failed ($code)" >&2; exit 1; }

page=/assets
json="/api/v1/assets?limit=50"
curl -s -H "Cookie: $cookie" "$base$page" >page.html
curl -s -H "Cookie: $cookie" "$base$json" >page.json
# The same 50 assets, in the same order, in both answers.
diff <(grep -o 'href="/assets/[0-9]*"' page.html | grep -o '[0-9]*') \
  <(python3 -c 'import json; [print(a["id"]) for a in json.load(open("page.json"))]') >/dev/null ||
  { echo "the page and the JSON answer list different assets" >&2; exit 1; }
nrows=$(grep -c 'href="/assets/[0-9]' page.html)
[ "$nrows" = 50 ] || { echo "the page shows $nrows rows, not 50" >&2; exit 1; }
psize=$(stat -c %s page.html)
jsize=$(stat -c %s page.json)
head -c "$psize" /dev/zero | tr '\0' 'x' >nginx/www/assets.html

http_nginx "$nginx_bin" "$work/nginx" "$port_ng"
pids+=("$ng_pid")
for _ in $(seq 50); do [ -s "$work/nginx/nginx.pid" ] && break; sleep 0.1; done
ng_pid=$(cat "$work/nginx/nginx.pid")

# wrk: prints "rps p99 cpu_ticks requests"; the CPU is that of process $pid_cpu.
pid_cpu=
run() {
  local out c0 c1 non2xx
  c0=$(cpu_ticks "$pid_cpu")
  out=$(wrk --latency "$@")
  c1=$(cpu_ticks "$pid_cpu")
  non2xx=$(printf '%s\n' "$out" | awk '/Non-2xx/ { print $NF }')
  [ -z "$non2xx" ] || { echo "wrk saw $non2xx non-2xx answers for $*" >&2; exit 1; }
  printf '%s %s %s %s\n' "$(printf '%s\n' "$out" | awk '/^Requests\/sec/ { print $2 }')" \
    "$(printf '%s\n' "$out" | awk '$1 == "99%" { print $2 }')" "$((c1 - c0))" \
    "$(printf '%s\n' "$out" | awk '/requests in/ { print $1 }')"
}
f() { printf '%s\n' "$1" | cut -d' ' -f"$2"; }
us() { awk -v t="$1" -v n="$2" -v hz="$hz" 'BEGIN { printf "%.0f", 1e6 * t / hz / n }'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
pid_cpu=$sk_pid
# 1. CPU per request, one request at a time on one connection, alternating page and JSON
# twice; each side's ticks and requests are summed over its two rounds.
wrk -t1 -c1 -d1s -H "Cookie: $cookie" "$base$page" >/dev/null # warm the session cache
pt=0 pn=0 jt=0 jn=0
for _ in 1 2; do
  r=$(run -t1 -c1 -d"${csecs}s" -H "Cookie: $cookie" "$base$page")
  pt=$((pt + $(f "$r" 3))) pn=$((pn + $(f "$r" 4)))
  r=$(run -t1 -c1 -d"${csecs}s" -H "Cookie: $cookie" "$base$json")
  jt=$((jt + $(f "$r" 3))) jn=$((jn + $(f "$r" 4)))
done
page_us=$(us "$pt" "$pn")
json_us=$(us "$jt" "$jn")
cpu_ratio=$(awk -v a="$page_us" -v b="$json_us" 'BEGIN { printf "%.2g", a / b }')
cpu_met=$(awk -v r="$cpu_ratio" 'BEGIN { print (r <= 2 ? "met" : "not met") }')

# 2. Throughput: the page under wrk, then nginx's static file of the same size.
web_sk=$(run -t"$wthreads" -c"$conns" -d"${secs}s" -H "Cookie: $cookie" "$base$page")
pid_cpu=$ng_pid
web_ng=$(run -t"$wthreads" -c"$conns" -d"${secs}s" "http://127.0.0.1:$port_ng/assets.html")
rps_ratio=$(awk -v a="$(f "$web_sk" 1)" -v b="$(f "$web_ng" 1)" 'BEGIN { printf "%.2g", a / b }')
rps_met=$(awk -v r="$rps_ratio" 'BEGIN { print (r >= 0.3 ? "met" : "not met") }')
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "## Web UI: the asset list page (issue #14: page ≤ 2× the JSON's CPU; ≥ 0.3× nginx)"
echo
echo "Command: \`bench/run-web.sh $secs $conns $wthreads $rows\` ($(date -u +%Y-%m-%d), $cpu, $(nproc) CPUs,"
echo "$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $("$nginx_bin" -v 2>&1 | cut -d' ' -f3)), release build,"
echo "\`sekisho serve\` on SQLite (WAL) with the 成田 demo city and $rows generated assets"
echo "(bench/assets-lib.sh, the register of bench/run-assets.sh) in 20 sections under 企画政策部:"
echo "$total active assets on record, all but $((total - rows)) in the scope of the"
echo "情報セキュリティ責任者 of 企画政策部, who logs in through the web's form (\`POST /login\`)."
echo "Both answers below list the same first 50 assets of that scope, in the same order."
echo
echo "**CPU per request** (one request at a time on one keep-alive connection, \`wrk -t1 -c1\`,"
echo "${csecs} s per round, page and JSON alternating twice; user + system CPU time of every"
echo "thread of the server divided by the requests answered):"
echo
echo "| Request | bytes | requests | server CPU µs/req |"
echo "|---|---:|---:|---:|"
echo "| \`GET $page\` (the page: 50 rows, filters, paging, layout) | $psize | $pn | $page_us |"
echo "| \`GET $json\` (the same 50 assets as JSON) | $jsize | $jn | $json_us |"
echo "| ratio page / JSON (bar: ≤ 2) | | | **$cpu_ratio** ($cpu_met) |"
echo
echo "**Throughput** (wrk: $wthreads threads, $conns keep-alive connections, ${secs} s; nginx with one"
echo "worker per CPU serving a static file of the page's size):"
echo
echo "| Request | req/s | p99 | server CPU µs/req |"
echo "|---|---:|---:|---:|"
echo "| sekisho \`GET $page\` ($psize bytes, session checked) | $(f "$web_sk" 1) | $(f "$web_sk" 2) | $(us "$(f "$web_sk" 3)" "$(f "$web_sk" 4)") |"
echo "| nginx, static file of $psize bytes | $(f "$web_ng" 1) | $(f "$web_ng" 2) | $(us "$(f "$web_ng" 3)" "$(f "$web_ng" 4)") |"
echo "| ratio sekisho / nginx (bar: ≥ 0.3) | **$rps_ratio** ($rps_met) | | |"
echo
echo "Load average before the runs: $load_before; after: $load_after ($(nproc) CPUs)."
