#!/usr/bin/env bash
# Installs the Debian packages sekisho needs, if any are missing.
# Usage: scripts/deps.sh build|test
# "build" is what the binary and the demo need; "test" adds the test tools and
# the PostgreSQL server the storage tests start.
set -euo pipefail

build_pkgs=(
  gcc pkg-config meson ninja-build
  libsqlite3-dev libpq-dev libsodium-dev libssl-dev libjansson-dev libfyaml-dev
  liboath-dev libgmime-3.0-dev libgumbo-dev libxlsxwriter-dev
  libh2o-evloop-dev zlib1g-dev john-data
)
test_pkgs=(
  libcmocka-dev postgresql sqlite3 clang clang-format clang-tidy libclang-rt-14-dev
  python3 jq curl sqlmap
)

want=("${build_pkgs[@]}")
if [ "${1:-build}" = test ]; then
  want+=("${test_pkgs[@]}")
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/deps.sh: run as root to install packages (missing: ${missing[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
