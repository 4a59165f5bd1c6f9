#!/usr/bin/env bash
# Runs every tests/cli/t*.sh against one sekisho binary, each in a fresh
# temporary directory (after git's t/tNNNN-*.sh). A test exits 0 to pass.
# Each test is run once per storage backend: SEKISHO_TEST_BACKEND=sqlite, and
# =postgresql when SEKISHO_TEST_PG is set; tests that do not touch storage say
# "# backends: none" in their first lines and run once.
# Usage: tests/cli/run.sh /path/to/sekisho [PATTERN]
set -u
bin=$(realpath "$1")
pattern=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
export SEKISHO_BIN=$bin SEKISHO_TESTLIB=$here/lib.sh SEKISHO_SRC=$(cd "$here/../.." && pwd)
passed=0; failed=0; failures=()
backends=(sqlite)
[ -n "${SEKISHO_TEST_PG:-}" ] && backends+=(postgresql)
for t in "$here"/t*.sh; do
  name=$(basename "$t" .sh)
  case "$name" in *"$pattern"*) ;; *) continue ;; esac
  runs=("${backends[@]}")
  head -n 5 "$t" | grep -q '^# backends: none' && runs=(none)
  for be in "${runs[@]}"; do
    dir=$(mktemp -d "${TMPDIR:-/tmp}/sk-cli.XXXXXX")
    start=$(date +%s)
    if (cd "$dir" && SEKISHO_TEST_BACKEND=$be bash "$t" >"$dir/.out" 2>&1); then
      passed=$((passed + 1)); echo "ok   $name [$be] ($(( $(date +%s) - start ))s)"
    else
      failed=$((failed + 1)); failures+=("$name [$be]")
      echo "FAIL $name [$be]"; tail -n 40 "$dir/.out" | sed 's/^/     /'
    fi
    rm -rf "$dir"
  done
done
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
