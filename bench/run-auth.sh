#!/usr/bin/env bash
# run-auth: what authenticating one API request costs (src/auth/auth.c):
# sk_auth_session_check against the bare lookup of the session row by its token hash through
# the same SQLite store, in the same run; plus the time of one login (argon2id by design).
# Builds a release binary in build-bench-auth/ and prints a Markdown section for
# docs/performance.md.
# Usage: bench/run-auth.sh [CHECKS]   (default 200000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench-auth
n=${1:-200000}
if [ ! -d "$build" ]; then
  meson setup "$build" "$root" -Dbuildtype=release >/dev/null
fi
ninja -C "$build" bench/auth_bench >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/sk-bench-auth.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "## Authentication: session check per request"
echo
echo "Command: \`bench/run-auth.sh $n\` ($(nproc) CPUs, $(uname -m), SQLite $(sqlite3 --version | cut -d' ' -f1))."
echo
"$build/bench/auth_bench" "$work" "$n"
