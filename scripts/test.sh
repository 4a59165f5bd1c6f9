#!/usr/bin/env bash
# The whole test suite: style checks, a -Werror build and an
# AddressSanitizer + UndefinedBehaviorSanitizer build, each running the unit
# tests against SQLite and a throwaway PostgreSQL cluster, then the CLI tests
# against the sanitized binary. Ends with one line "N passed, N failed".
# Usage: scripts/test.sh            (as root on Debian 12; installs what it needs)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/deps.sh test || exit 1

work=$(mktemp -d /tmp/sekisho-test.XXXXXX)
chmod 0755 "$work"
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"
pgdir="$work/pg"
cleanup() { scripts/pg-stop.sh "$pgdir"; rm -rf "$work"; }
trap cleanup EXIT

passed=0
failed=0
failures=()
step() { # step NAME COMMAND...: runs one counted step
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

eval "$(scripts/pg-start.sh "$pgdir")" || { echo "cannot start PostgreSQL"; exit 1; }
export SEKISHO_REQUIRE_PG=1

setup() { # setup DIR ARGS...: configures a build directory once, then builds it
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >"$work/setup-$(basename "$dir").log" 2>&1 \
      || { cat "$work/setup-$(basename "$dir").log"; return 1; }
  fi
  ninja -C "$dir" >"$work/ninja-$(basename "$dir").log" 2>&1 \
    || { cat "$work/ninja-$(basename "$dir").log"; return 1; }
}

unit() { # unit DIR: runs the unit tests of a build
  meson test -C "$1" --print-errorlogs --num-processes 2 >"$work/unit-$(basename "$1").log" 2>&1
  local rc=$?
  grep -E '^ *[0-9]+/[0-9]+ ' "$work/unit-$(basename "$1").log"
  [ $rc -eq 0 ] || cat "$work/unit-$(basename "$1").log" | tail -n 80
  return $rc
}

step "format" scripts/check-style.sh format
step "build -Werror" setup build-test -Dwerror=true -Dbuildtype=debugoptimized
step "unit tests (-Werror build)" unit build-test
step "build ASan+UBSan" setup build-asan -Dwerror=true -Dbuildtype=debug \
  -Db_sanitize=address,undefined -Db_lundef=false
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
step "unit tests (ASan+UBSan build)" unit build-asan
step "CLI tests (ASan+UBSan build)" tests/cli/run.sh "$root/build-asan/sekisho"
step "clang-tidy" scripts/check-style.sh tidy build-test

echo
if [ "$failed" -gt 0 ]; then
  echo "failed steps: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
