#!/usr/bin/env bash
# Runs the sanitizer's libFuzzer target for SECONDS (default 20) from the
# mail corpus. New inputs go to a scratch directory inside BUILD-DIR, never
# into the source tree; crashes are written there as crash-* and fail the run.
# Usage: fuzz/run-sanitize.sh BUILD-DIR [SECONDS]
set -euo pipefail
build=$(realpath "$1")
secs=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
work=$build/fuzz/sanitize-work
mkdir -p "$work/corpus" "$work/artifacts"
exec "$build/fuzz/fuzz_sanitize" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
  "$work/corpus" "$here/../tests/mail/corpus"
