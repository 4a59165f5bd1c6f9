#!/usr/bin/env bash
# Style gates run by the test suite.
#   check-style.sh format          clang-format: every C file is formatted
#   check-style.sh tidy BUILDDIR   clang-tidy with .clang-tidy over src/
#   check-style.sh fix             reformats every C file in place
#   check-style.sh utf8            no UTF-8 decoder outside src/core (sk_utf8.h is the one)
set -uo pipefail
cd "$(dirname "$0")/.."
files() { git ls-files -co --exclude-standard -- 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' \
            'fuzz/*.c' 'bench/*.c' | while read -r f; do [ -f "$f" ] && echo "$f"; done; }
case "${1:-}" in
format)
  bad=$(files | xargs -r clang-format --dry-run 2>&1 | grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error)' \
        | cut -d: -f1 | sort -u)
  if [ -n "$bad" ]; then
    echo "not clang-formatted (run scripts/check-style.sh fix):"; echo "$bad"; exit 1
  fi ;;
tidy)
  build=${2:?build directory}
  files | grep '^src/.*\.c$' | xargs -r -P 2 -n 8 clang-tidy -p "$build" --quiet 2>"$build/tidy.err" \
    >"$build/tidy.log"
  rc=$?
  if [ $rc -ne 0 ] || grep -q 'error:' "$build/tidy.log"; then
    grep -A3 -E 'error:' "$build/tidy.log" | head -n 80; exit 1
  fi ;;
fix)
  files | xargs -r clang-format -i ;;
utf8)
  # A decoder shows itself by testing for continuation bytes (b & 0xC0) == 0x80, by
  # sorting lead bytes into lengths (0xC2/0xE0/0xF0 ranges) or by gathering six bits
  # per continuation byte ((b & 0x3F) << 6).
  bad=$(files | grep '^src/' | grep -v '^src/core/' | xargs -r grep -nEi \
        '&[[:space:]]*0xc0\)?[[:space:]]*[!=]=[[:space:]]*0x80|>=[[:space:]]*0x(c2|e0|f0)\b|0x3fu?\)[[:space:]]*<<[[:space:]]*6')
  if [ -n "$bad" ]; then
    echo "UTF-8 decoded by hand outside src/core (use core/sk_utf8.h):"; echo "$bad"; exit 1
  fi ;;
*) echo "usage: $0 format|tidy BUILDDIR|fix|utf8" >&2; exit 2 ;;
esac
