#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS from its seed corpus. New inputs go to
# a scratch directory inside BUILD-DIR, never into the source tree; a crash,
# leak or timeout is written there as crash-*/leak-*/timeout-* and fails the run.
# Usage: fuzz/run.sh BUILD-DIR TARGET SECONDS SEED-DIR [MAX-LEN]
set -euo pipefail
build=$(realpath "$1")
target=$2
secs=$3
seeds=$4
maxlen=${5:-65536}
here=$(cd "$(dirname "$0")" && pwd)
work=$build/fuzz/$target-work
mkdir -p "$work/corpus" "$work/artifacts"
export LSAN_OPTIONS="suppressions=$here/policy.lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
exec "$build/fuzz/$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -max_len="$maxlen" -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
  "$work/corpus" "$seeds"
