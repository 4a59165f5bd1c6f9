#!/usr/bin/env bash
# Installs the Debian packages sekisho needs, if any are missing.
# Usage: scripts/deps.sh build|test      install what is missing
#        scripts/deps.sh list build|test-only   print the package names, one a line
# "build" is what the binary and the demo need; "test" adds the test tools and
# the PostgreSQL server the storage tests start. The release build must never
# need a test-only package: scripts/check-release-build.sh holds it to that.
set -euo pipefail

build_pkgs=(
  gcc pkg-config meson ninja-build python3
  libsqlite3-dev libpq-dev libsodium-dev libssl-dev libjansson-dev libfyaml-dev
  liboath-dev libgmime-3.0-dev libgumbo-dev libxlsxwriter-dev libzip-dev libexpat1-dev libfreexl-dev
  libh2o-evloop-dev zlib1g-dev john-data libcurl4-openssl-dev
)
test_pkgs=(
  libcmocka-dev postgresql sqlite3 clang clang-format clang-tidy libclang-rt-14-dev
  jq curl sqlmap python3-aiosmtpd python3-jsonschema python3-xlwt
  chromium fonts-ipafont-gothic nodejs npm
)

if [ "${1:-}" = list ]; then
  case "${2:-}" in
  build) printf '%s\n' "${build_pkgs[@]}" ;;
  test-only) printf '%s\n' "${test_pkgs[@]}" ;;
  *) echo "usage: $0 list build|test-only" >&2; exit 2 ;;
  esac
  exit 0
fi

want=("${build_pkgs[@]}")
case "${1:-build}" in
build) ;;
test) want+=("${test_pkgs[@]}") ;;
*) echo "usage: $0 build|test | list build|test-only" >&2; exit 2 ;;
esac

# A package another one already provides: NodeSource's nodejs carries npm and conflicts with
# Debian's npm package, so where the command is there the package is not asked for.
provided() {
  case "$1" in
  npm) command -v npm >/dev/null ;;
  *) return 1 ;;
  esac
}

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    provided "$p" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/deps.sh: run as root to install packages (missing: ${missing[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || { echo "scripts/deps.sh: apt-get update failed" >&2; exit 1; }
  apt-get install -y -q --no-install-recommends "${missing[@]}" \
    || { echo "scripts/deps.sh: could not install: ${missing[*]}" >&2; exit 1; }
fi

# The browser tests' npm packages (tests/web: playwright-core, @axe-core/playwright), pinned by
# its package-lock.json. No browser is downloaded: the tests drive Debian's chromium.
if [ "${1:-build}" = test ] && [ ! -d "$(dirname "$0")/../tests/web/node_modules" ]; then
  echo "installing the npm packages of tests/web (npm ci)"
  (cd "$(dirname "$0")/../tests/web" && npm ci --no-audit --no-fund) \
    || { echo "scripts/deps.sh: npm ci in tests/web failed" >&2; exit 1; }
fi
