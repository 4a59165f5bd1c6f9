#!/usr/bin/env bash
# count-web: the web UI's asset list page (issue #14, "Speed") in instructions per request
# (valgrind's callgrind), which a shared or loaded machine does not disturb the way it disturbs
# wall time: GET /assets (its first 50 rows), the same 50 assets as JSON
# (GET /api/v1/assets?limit=50), and nginx serving a static file of the page's size. The same
# city, register and account as bench/run-web.sh: the 成田 demo with ROWS generated assets in 20
# sections under 企画政策部, whose 情報セキュリティ責任者 logs in through the web's form.
# One client, one request at a time on one keep-alive connection. Collection runs only while
# the N requests of each kind are sent (callgrind_control -i); user-space instructions only
# (the kernel's share, the same TCP sends for both servers, is not counted).
# 0.3x nginx's requests/s, when both are CPU-bound on the same CPUs, needs the page at most
# about 3x nginx's instructions per request (a little more: wrk and the kernel's share are
# the same for both and are not counted here).
# The database is built once per ROWS in $work/db-ROWS and reused (delete it to rebuild).
# Usage: bench/count-web.sh [N] [ROWS] [BUILD]   (default 300 100000 build-bench-http)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/assets-lib.sh"
n=${1:-300}
rows=${2:-100000}
build=$(realpath -m "${3:-$root/build-bench-http}")
work=${COUNT_BENCH_DIR:-$root/bench/out/count-web}
port=${COUNT_BENCH_PORT:-18531}
port_ng=$((port + 1))
user=ishikawa.tsuyoshi
[ -d "$build" ] || meson setup "$build" "$root" -Dbuildtype=release >/dev/null
ninja -C "$build" sekisho >/dev/null
bin=$build/sekisho
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
mkdir -p "$work"
cd "$work"
db=$work/db-$rows/demo.db
# The demo writes the operator's admin token beside the database; the CLI's person-level
# commands below (org add, asset import) act for the demo city's CISO (BENCH_AS), proved by it. The database is built in a
# directory of its own and moved into place only when complete, so that a failed build is
# never reused.
if [ ! -s "$db" ]; then
  tmp=$work/db-$rows.tmp
  rm -rf "$tmp" "$work/db-$rows"
  mkdir -p "$tmp"
  export SEKISHO_ADMIN_TOKEN=$tmp/demo.db.admin-token
export BENCH_AS=fujita.masaru
  "$bin" demo --profile narita --db "$tmp/demo.db" --no-serve >/dev/null
  assets_sections "$bin" "$tmp/demo.db" kikaku
  assets_gen "$rows" "$tmp/register.csv"
  "$bin" --as "$BENCH_AS" asset import --db "$tmp/demo.db" "$tmp/register.csv" >/dev/null
  mv "$tmp" "$work/db-$rows"
fi
rm -rf run && mkdir -p run/nginx/www run/nginx/logs
cd run
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$PWD/cg.%p" \
  "$bin" serve --db "$db" --listen "127.0.0.1:$port" >serve.out 2>serve.err &
sk_pid=$!
pids+=("$sk_pid")
for _ in $(seq 300); do grep -q listening serve.out 2>/dev/null && break; sleep 0.2; done

# phase PID NAME URL [COOKIE]: N requests of URL, counted under NAME; the answer is kept in NAME.out.
python3 - "$port" "$n" "$sk_pid" "$user" <<'PY'
import http.client, json, re, subprocess, sys, urllib.parse
port, n, pid, user = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
def get(path, cookie):
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    r = conn.getresponse()
    return r.status, r.read(), r.getheader("Set-Cookie")
# The web's login: the form's CSRF token must match the cookie set with it (double submit).
st, page, sc = get("/login", None)
csrf_cookie = sc.split(";")[0]
token = re.search(rb'name="csrf" value="([^"]*)"', page).group(1).decode()
body = urllib.parse.urlencode({"csrf": token, "login": user, "password": "Demo#2026-" + user})
conn.request("POST", "/login", body=body, headers={
    "Cookie": csrf_cookie, "Content-Type": "application/x-www-form-urlencoded"})
r = conn.getresponse()
r.read()
assert r.status == 303, r.status
cookie = [c.split(";")[0] for c in r.headers.get_all("Set-Cookie") if c.startswith("sekisho_session=")][0]
def phase(name, path):
    get(path, cookie)  # once before counting: the session cache, SQLite's pages
    subprocess.check_call(["callgrind_control", "-z", pid], stdout=subprocess.DEVNULL)
    subprocess.check_call(["callgrind_control", "-i", "on", pid], stdout=subprocess.DEVNULL)
    for _ in range(n):
        st, data, _ = get(path, cookie)
        assert st == 200, (st, data[:200])
    subprocess.check_call(["callgrind_control", "-i", "off", pid], stdout=subprocess.DEVNULL)
    subprocess.check_call(["callgrind_control", "-d", name, pid], stdout=subprocess.DEVNULL)
    open(name + ".out", "wb").write(data)
phase("page", "/assets")
phase("json", "/api/v1/assets?limit=50")
PY
# The same 50 assets, in the same order, in both answers.
diff <(grep -o 'href="/assets/[0-9]*"' page.out | grep -o '[0-9]*') \
  <(python3 -c 'import json; [print(a["id"]) for a in json.load(open("json.out"))]') >/dev/null ||
  { echo "the page and the JSON answer list different assets" >&2; exit 1; }
psize=$(stat -c %s page.out)
kill "$sk_pid"
wait "$sk_pid" 2>/dev/null || true

# nginx: one process (no master, one worker), so that callgrind sees all of its work.
head -c "$psize" /dev/zero | tr '\0' 'x' >nginx/www/assets.html
cat >nginx/nginx.conf <<NGINX
worker_processes 1;
master_process off;
daemon off;
pid $PWD/nginx/nginx.pid;
error_log $PWD/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$port_ng;
    root $PWD/nginx/www;
    location / { default_type text/html; }
  }
}
NGINX
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$PWD/cg.%p" \
  "$nginx_bin" -p "$PWD/nginx" -c "$PWD/nginx/nginx.conf" >nginx.out 2>nginx.err &
ng_pid=$!
pids+=("$ng_pid")
for _ in $(seq 100); do [ -s nginx/nginx.pid ] && break; sleep 0.2; done
python3 - "$port_ng" "$n" "$ng_pid" <<'PY'
import http.client, subprocess, sys
port, n, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
def get():
    conn.request("GET", "/assets.html")
    r = conn.getresponse()
    data = r.read()
    assert r.status == 200, r.status
get()
subprocess.check_call(["callgrind_control", "-z", pid], stdout=subprocess.DEVNULL)
subprocess.check_call(["callgrind_control", "-i", "on", pid], stdout=subprocess.DEVNULL)
for _ in range(n):
    get()
subprocess.check_call(["callgrind_control", "-i", "off", pid], stdout=subprocess.DEVNULL)
subprocess.check_call(["callgrind_control", "-d", "nginx", pid], stdout=subprocess.DEVNULL)
PY
kill "$ng_pid"
wait "$ng_pid" 2>/dev/null || true
trap - EXIT

# The instructions of a phase: the totals of every dump under its name (every thread's).
count() {
  local total=0 d
  for d in cg.*; do
    grep -q "^desc: Trigger: dump $1\$" "$d" || continue
    total=$((total + $(awk '/^totals:/ { print $2 }' "$d")))
  done
  echo $((total / n))
}
page=$(count page)
json=$(count json)
ng=$(count nginx)
echo "GET /assets ($psize bytes): $page instructions per request"
echo "GET /api/v1/assets?limit=50: $json instructions per request"
echo "nginx, static file of $psize bytes: $ng instructions per request"
awk -v p="$page" -v j="$json" -v g="$ng" 'BEGIN {
  printf "page / JSON: %.2f (bar: <= 2); page / nginx: %.2f (bar for 0.3x: <= about 3)\n", p / j, p / g }'
