#!/usr/bin/env bash
# run-http-post: POST /api/v1/decisions alone, for work on its speed. Runs wrk against each
# given sekisho binary in turn, ROUNDS times (alternating, because single runs on a small VM
# move by several percent), each time on a fresh demo database with the settings of
# bench/run-http.sh (2 wrk threads, CONNECTIONS keep-alive connections, a logged-in session,
# the CSRF token, a 機密性2 asset). For every run it prints the requests/s, where the machine's
# CPU went (from /proc/stat: user, system, idle, iowait, softirq), each server thread's CPU
# time and context switches, and the group-commit writer's batches and operations from
# /metrics. nginx is not run: for the ratio the bar is about, use bench/run-http.sh.
# Usage: bench/run-http-post.sh [SECONDS] [CONNECTIONS] [ROUNDS] [BINARY...]
#        (default 8 64 1 and the release build of this tree)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/http-lib.sh"
secs=${1:-8}
conns=${2:-64}
rounds=${3:-1}
shift $(($# < 3 ? $# : 3))
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
  build=$root/build-bench-http
  [ -d "$build" ] || meson setup "$build" "$root" -Dbuildtype=release >/dev/null
  ninja -C "$build" sekisho >/dev/null
  bins=("$build/sekisho")
fi
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null
port=${HTTP_BENCH_PORT:-18491}
work=${HTTP_BENCH_DIR:-$root/bench/out/http-post}
ulimit -n 8192

pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; }
trap cleanup EXIT

# Each thread of the server: "tid user system voluntary involuntary" (ticks, switches).
threads() {
  local t
  for t in /proc/"$pid"/task/*; do
    printf '%s %s %s\n' "${t##*/}" "$(awk '{ print $14, $15 }' "$t/stat")" \
      "$(awk '/voluntary_ctxt/ { printf "%s ", $2 }' "$t/status")"
  done | sort
}

one_run() {
  local bin=$1
  rm -rf "$work"
  mkdir -p "$work"
  cd "$work"
  "$bin" demo --db demo.db --no-serve >/dev/null
  http_serve "$bin" demo.db "$port"
  pid=$sk_pid
  http_session
  threads >threads.0
  local a b out
  read -ra a < <(head -1 /proc/stat)
  out=$(wrk -t2 -c"$conns" -d"${secs}s" -s post.lua "$base/api/v1/decisions")
  read -ra b < <(head -1 /proc/stat)
  threads >threads.1
  if printf '%s\n' "$out" | grep -q Non-2xx; then
    echo "wrk saw non-2xx answers from $bin" >&2
    exit 1
  fi
  echo "$bin: $(printf '%s\n' "$out" | awk '/^Requests\/sec/ { print $2 }') req/s"
  echo "  machine (ticks): user $((b[1] - a[1])) system $((b[3] - a[3])) idle $((b[4] - a[4]))" \
    "iowait $((b[5] - a[5])) softirq $((b[7] - a[7]))"
  join threads.0 threads.1 | awk '{ u = $6 - $2; s = $7 - $3
    if (u + s > 0) printf "  thread %s: user %d system %d ticks; context switches: %d voluntary, %d involuntary\n",
      $1, u, s, $8 - $4, $9 - $5 }'
  curl -s "$base/metrics" | awk '/^sekisho_writer_(batches|operations)_total/ { printf "  %s %s\n", $1, $2 }'
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  cd - >/dev/null
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$rounds"); do
  for bin in "${bins[@]}"; do
    one_run "$(realpath "$bin")"
  done
done
