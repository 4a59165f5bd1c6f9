#!/usr/bin/env bash
# Builds the release binary and runs the demo with the test-only packages
# hidden, as on a fresh machine where scripts/demo.sh installed only the build
# packages: their pkg-config files are out of pkg-config's path, their
# programs are shadowed by stubs that fail, and there is no CMake for meson
# to find them by. Fails when the release build or the demo needs any of them.
# Usage: scripts/check-release-build.sh WORKDIR
set -uo pipefail
cd "$(dirname "$0")/.."
work=${1:?work directory}
rm -rf "$work"
mkdir -p "$work/pc" "$work/bin"

mapfile -t test_only < <(scripts/deps.sh list test-only)
[ "${#test_only[@]}" -gt 0 ] || { echo "scripts/deps.sh listed no test-only packages"; exit 1; }
hidden=$(for p in "${test_only[@]}"; do dpkg -L "$p" 2>/dev/null; done)
for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
  [ -d "$d" ] || continue
  for f in "$d"/*.pc; do
    [ -e "$f" ] || continue
    grep -qxF "$f" <<<"$hidden" || ln -sf "$f" "$work/pc/"
  done
done
for f in $(grep -E '^/usr/(s?bin|local/bin)/[^/]+$' <<<"$hidden"); do
  printf '#!/bin/sh\necho "%s belongs to a test-only package" >&2\nexit 127\n' "$f" \
    >"$work/bin/$(basename "$f")"
done
printf '#!/bin/sh\nexit 1\n' >"$work/bin/cmake"
chmod +x "$work/bin"/*

export PATH="$work/bin:$PATH" PKG_CONFIG_LIBDIR="$work/pc" PKG_CONFIG_PATH=
if ! meson setup "$work/build" -Dbuildtype=release >"$work/setup.log" 2>&1; then
  echo "the release build does not configure with only the build packages:"
  grep -iE 'error|not found' "$work/setup.log" | tail -n 10
  exit 1
fi
if ! ninja -C "$work/build" >"$work/ninja.log" 2>&1; then
  echo "the release build fails with only the build packages:"; tail -n 30 "$work/ninja.log"
  exit 1
fi
if ! (cd "$work" && build/sekisho demo --no-serve --db demo.db >demo.log 2>&1); then
  echo "sekisho demo fails in the release build:"; tail -n 20 "$work/demo.log"
  exit 1
fi
grep -q "DEMO CREDENTIALS" "$work/demo.log" || { echo "the demo printed no credentials"; exit 1; }
echo "release build and demo: ok with only the build packages"
