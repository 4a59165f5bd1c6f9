#!/usr/bin/env bash
# Builds sekisho (release build in build/) and runs `sekisho demo`: an
# embedded SQLite database with a sample city in ./sekisho-demo.db.
# Usage: scripts/demo.sh [demo options]   (as root on Debian 12; installs what it needs)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
if [ ! -f build/build.ninja ]; then
  meson setup build -Dbuildtype=release >/dev/null
fi
ninja -C build >/dev/null
exec build/sekisho demo "$@"
