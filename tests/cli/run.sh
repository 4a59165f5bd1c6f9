#!/usr/bin/env bash
# Runs every tests/cli/t*.sh against one sekisho binary, each in a fresh
# temporary directory (after git's t/tNNNN-*.sh). A test exits 0 to pass.
# Each test is run once per storage backend: SEKISHO_TEST_BACKEND=sqlite, and
# =postgresql when SEKISHO_TEST_PG is set; tests that do not touch storage say
# "# backends: none" in their first lines and run once.
#
# SEKISHO_TEST_JOBS runs that many at once (default 2, the machine's cores):
# every test has its own directory, database and free port, and much of a
# test's time is spent waiting on a server, a password hash or fsync. A
# test that must run alone says "# alone" in its first lines.
# Usage: tests/cli/run.sh /path/to/sekisho [PATTERN]
set -u
# The tests expect English unless they ask for Japanese (with no locale, the CLI is Japanese).
[ -n "${LANG:-}${LC_ALL:-}${LC_MESSAGES:-}" ] || export LANG=C.UTF-8
bin=$(realpath "$1")
pattern=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
export SEKISHO_BIN=$bin SEKISHO_TESTLIB=$here/lib.sh SEKISHO_SRC=$(cd "$here/../.." && pwd)
jobs_max=${SEKISHO_TEST_JOBS:-2}
backends=(sqlite)
[ -n "${SEKISHO_TEST_PG:-}" ] && backends+=(postgresql)
results=$(mktemp -d "${TMPDIR:-/tmp}/sk-cli-results.XXXXXX")
trap 'rm -rf "$results"' EXIT

# run_one NAME BACKEND FILE: runs one test and prints its result as one block.
run_one() {
  local name=$1 be=$2 t=$3 dir start out
  dir=$(mktemp -d "${TMPDIR:-/tmp}/sk-cli.XXXXXX")
  start=$(date +%s)
  if (cd "$dir" && SEKISHO_TEST_BACKEND=$be bash "$t" >"$dir/.out" 2>&1); then
    out="ok   $name [$be] ($(($(date +%s) - start))s)"
    : >"$results/$name.$be.ok"
  else
    out="FAIL $name [$be]
$(tail -n 40 "$dir/.out" | sed 's/^/     /')"
    printf '%s [%s]\n' "$name" "$be" >"$results/$name.$be.fail"
  fi
  rm -rf "$dir"
  # One block at a time, so that parallel results do not interleave.
  flock "$results" printf '%s\n' "$out"
}

running=0
for t in "$here"/t*.sh; do
  name=$(basename "$t" .sh)
  case "$name" in *"$pattern"*) ;; *) continue ;; esac
  runs=("${backends[@]}")
  head -n 5 "$t" | grep -q '^# backends: none' && runs=(none)
  alone=0
  head -n 5 "$t" | grep -q '^# alone' && alone=1
  for be in "${runs[@]}"; do
    if [ "$alone" -eq 1 ] || [ "$jobs_max" -le 1 ]; then
      wait
      running=0
      run_one "$name" "$be" "$t"
      continue
    fi
    if [ "$running" -ge "$jobs_max" ]; then
      wait -n
      running=$((running - 1))
    fi
    run_one "$name" "$be" "$t" &
    running=$((running + 1))
  done
done
wait
passed=$(find "$results" -name '*.ok' | wc -l)
failed=$(find "$results" -name '*.fail' | wc -l)
if [ "$failed" -gt 0 ]; then
  echo "failed:"
  cat "$results"/*.fail | sort | sed 's/^/  /'
fi
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
