#!/usr/bin/env bash
# Builds sekisho (release build in build/) and runs `sekisho demo`: an
# embedded SQLite database with a sample city in ./sekisho-demo.db, served on
# http://127.0.0.1:8080 until Ctrl-C.
# Usage: scripts/demo.sh [demo options]   (as root on Debian 12; installs what it needs)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
log=$(mktemp /tmp/sekisho-build.XXXXXX)
trap 'rm -f "$log"' EXIT
# A build directory without build.ninja is what a failed set-up leaves: start it again.
if [ ! -f build/build.ninja ]; then
  rm -rf build
  echo "configuring the release build in build/ ..."
  if ! meson setup build -Dbuildtype=release >"$log" 2>&1; then
    echo "demo: 'meson setup build' failed:" >&2
    tail -n 30 "$log" >&2
    rm -rf build
    exit 1
  fi
fi
echo "building ..."
if ! ninja -C build >"$log" 2>&1; then
  echo "demo: the build failed (ninja -C build):" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
exec build/sekisho demo "$@"
