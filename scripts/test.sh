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
# The browser tests (tests/cli/t0800-web.sh) need tests/web's npm packages; they fail, never
# skip, without them.
if [ ! -d tests/web/node_modules ]; then
  (cd tests/web && npm ci --no-audit --no-fund) || { echo "npm ci in tests/web failed"; exit 1; }
fi

work=$(mktemp -d /tmp/sekisho-test.XXXXXX)
chmod 0755 "$work"
export TMPDIR="$work/tmp"
# The tests expect the CLI's English unless they ask for Japanese; with no locale at all the
# CLI answers in Japanese (sk_lang_from_env), as a city's bare root shell would get.
[ -n "${LANG:-}${LC_ALL:-}${LC_MESSAGES:-}" ] || export LANG=C.UTF-8
mkdir -p "$TMPDIR"
pgdir="$work/pg"
cleanup() { scripts/pg-stop.sh "$pgdir"; rm -rf "$work"; }
trap cleanup EXIT

# Counts are of tests, not steps: a unit-test step adds meson's per-executable
# results, the CLI step its per-script results, every other step counts as one.
passed=0
failed=0
failures=()
counted=0 # set by a step that reports its own counts through add_counts
add_counts() { passed=$((passed + $1)); failed=$((failed + $2)); counted=1; }
step() { # step NAME COMMAND...: runs one step
  local name=$1; shift
  echo "== $name"
  counted=0
  if "$@"; then
    [ $counted -eq 1 ] || passed=$((passed + 1))
  else
    [ $counted -eq 1 ] || failed=$((failed + 1))
    failures+=("$name")
  fi
}

eval "$(scripts/pg-start.sh "$pgdir")" || { echo "cannot start PostgreSQL"; exit 1; }
export SEKISHO_REQUIRE_PG=1

setup() { # setup DIR ARGS...: configures a build directory once, then builds it
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    # A failed set-up leaves a directory the next run would take as configured: remove it.
    meson setup "$dir" "$@" >"$work/setup-$(basename "$dir").log" 2>&1 \
      || { tail -n 40 "$work/setup-$(basename "$dir").log"; rm -rf "$dir"; return 1; }
  fi
  ninja -C "$dir" >"$work/ninja-$(basename "$dir").log" 2>&1 \
    || { cat "$work/ninja-$(basename "$dir").log"; return 1; }
}

unit() { # unit DIR [MESON-TEST-ARGS]: runs the unit tests of a build
  local dir=$1; shift
  local log="$work/unit-$(basename "$dir").log"
  meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" >"$log" 2>&1
  local rc=$?
  grep -E '^ *[0-9]+/[0-9]+ ' "$log"
  [ $rc -eq 0 ] || tail -n 80 "$log"
  local ok fail
  ok=$(awk '/^Ok:/ {print $2}' "$log"); fail=$(awk '/^Fail:/ {print $2}' "$log")
  add_counts "${ok:-0}" "$(( ${fail:-0} + (rc != 0 && ${fail:-0} == 0) ))"
  return $rc
}

cli() { # cli BINARY: runs the CLI tests
  local log="$work/cli.log"
  tests/cli/run.sh "$1" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line
  line=$(grep -E '^cli: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  local ok fail
  ok=$(echo "$line" | awk '{print $2}'); fail=$(echo "$line" | awk '{print $4}')
  add_counts "${ok:-0}" "$(( ${fail:-0} + (rc != 0 && ${fail:-0} == 0) ))"
  return $rc
}

step "format" scripts/check-style.sh format
step "one UTF-8 decoder" scripts/check-style.sh utf8
# Every sentence for a person from the catalog (issue 15): no English literal at an error site.
step "messages from the catalog" python3 scripts/check-messages.py src
step "release build and demo with only the build packages" \
  scripts/check-release-build.sh "$work/release"
step "build -Werror" setup build-test -Dwerror=true -Dbuildtype=debugoptimized
step "unit tests (-Werror build)" unit build-test --suite unit
step "build ASan+UBSan" setup build-asan -Dwerror=true -Dbuildtype=debug \
  -Db_sanitize=address,undefined -Db_lundef=false
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
step "unit tests (ASan+UBSan build)" unit build-asan --suite unit
step "CLI tests (ASan+UBSan build)" cli "$root/build-asan/sekisho"
setup_fuzz() { # libFuzzer needs clang; fuzzer-no-link instruments the library as well
  CC=clang setup build-fuzz -Dfuzz=true -Dbuildtype=debug -Db_sanitize=address,undefined \
    -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link
}
step "build fuzz targets (clang, libFuzzer)" setup_fuzz
step "fuzz each parser for a short run" unit build-fuzz --suite fuzz
step "clang-tidy" scripts/check-style.sh tidy build-test

echo
if [ "$failed" -gt 0 ]; then
  echo "failed steps: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
