# http-lib: what the HTTP benchmarks share; sourced by bench/run-http*.sh, run-requests.sh and
# run-web.sh.

http_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Prepares a run of the server against nginx: installs wrk, nginx and each further COMMAND
# named (the Debian package of that name) with apt-get when missing; sets up BUILD (a release
# build of the tree) when missing, builds sekisho there and sets bin to it and nginx_bin; empties
# WORK (with nginx/www and nginx/logs in it) and enters it; raises the open-file limit; and
# kills every process whose id is added to the array pids when the script exits.
# Usage: http_setup BUILD WORK [COMMAND ...]
http_setup() {
  local build=$1 work=$2 need=() c
  shift 2
  command -v wrk >/dev/null || need+=(wrk)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  for c in "$@"; do
    command -v "$c" >/dev/null || need+=("$c")
  done
  if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" >/dev/null
  fi
  # shellcheck disable=SC2034 # nginx_bin, bin and hz are for the scripts that source this
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  [ -d "$build" ] || meson setup "$build" "$http_root" -Dbuildtype=release >/dev/null
  ninja -C "$build" sekisho >/dev/null
  # shellcheck disable=SC2034
  bin=$build/sekisho
  rm -rf "$work"
  mkdir -p "$work/nginx/logs" "$work/nginx/www"
  cd "$work" || exit 1
  ulimit -n 8192
  pids=()
  trap http_cleanup EXIT
}

http_cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}

# CPU time (user + system of every thread, in clock ticks) process PID and its children
# (nginx's workers) have used so far; hz is the ticks in a second. Usage: cpu_ticks PID
# shellcheck disable=SC2034
hz=$(getconf CLK_TCK)
cpu_ticks() {
  local p t=0
  for p in "$1" $(pgrep -P "$1"); do
    t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
  done
  echo "$t"
}

# Starts `BIN serve` on DB at 127.0.0.1:PORT in the current directory (serve.out, serve.err)
# and waits until it listens; sets sk_pid and base. Every load comes from 127.0.0.1 (wrk's
# connections, the 1,000 idle ones), so the per-client cap is lifted to the global one.
# Usage: http_serve BIN DB PORT
http_serve() {
  "$1" serve --db "$2" --listen "127.0.0.1:$3" --max-connections-per-client 4096 \
    --metrics-from 127.0.0.1/32 \
    >serve.out 2>serve.err &
  sk_pid=$!
  for _ in $(seq 50); do grep -q listening serve.out && break; sleep 0.1; done
  base=http://127.0.0.1:$3
}

# Logs in as the demo's 市民課長 (情報セキュリティ管理者: not of the MFA floor, so a password
# is the whole login) and registers an asset of 機密性2 (reads of
# 機密性3 are audited, i.e. a durable write each); sets csrf, cookie and id, and leaves the
# cookie jar in ./jar. Then writes post.lua, the wrk script for POST /api/v1/decisions on it.
# Usage: http_session   (after http_serve)
http_session() {
  curl -s -c jar -H 'Content-Type: application/json' \
    -d '{"login":"kobayashi.mai","password":"Demo#2026-kobayashi.mai"}' "$base/api/v1/login" >login.json
  csrf=$(python3 -c 'import json; print(json.load(open("login.json"))["csrf_token"])')
  cookie=$(awk '$6 == "sekisho_session" { print "sekisho_session=" $7 }' jar)
  curl -s -b jar -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"unit":"shiminka","type":"document","name":"窓口対応マニュアル","conf":2,"integ":2,"avail":1,"manager":"市民課長","zone":"lgwan","location":"市民課書庫"}' \
    "$base/api/v1/assets" >asset.json
  id=$(python3 -c 'import json; print(json.load(open("asset.json"))["id"])')
  cat >post.lua <<LUA
wrk.method = "POST"
wrk.body = '{"asset_id":$id,"action":"copy"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-CSRF-Token"] = "$csrf"
wrk.headers["Cookie"] = "$cookie"
LUA
}

# Starts nginx (the reference) serving DIR/www at 127.0.0.1:PORT with as many workers as
# cores, access log off and unlimited keep-alive, as the fairest static server; waits until
# it runs and sets ng_pid. Usage: http_nginx NGINX_BIN DIR PORT
http_nginx() {
  mkdir -p "$2/www" "$2/logs"
  cat >"$2/nginx.conf" <<NGINX
worker_processes $(nproc);
pid $2/nginx.pid;
error_log $2/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$3 reuseport;
    root $2/www;
    location / { default_type application/json; }
  }
}
NGINX
  "$1" -p "$2" -c "$2/nginx.conf" -g 'daemon off;' &
  ng_pid=$!
  for _ in $(seq 50); do [ -s "$2/nginx.pid" ] && break; sleep 0.1; done
}
