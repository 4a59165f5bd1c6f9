#!/usr/bin/env bash
# count-audit: instructions (callgrind) of `audit verify` and of its reference, libcrypto
# SHA-256 of the same leaf bytes in memory, over the log bench/run-audit.sh left in its
# directory (the same one; a log of ENTRIES entries is built there when there is none, and
# an existing log is counted whatever its size). Instruction counts do not depend on the
# machine's load, which wall-clock and CPU seconds on a shared machine do.
#
# Under valgrind, OpenSSL cannot use the CPU's SHA extensions (valgrind does not emulate
# them), so both sides hash with the same portable code and hashing counts for far more
# instructions than it costs on the hardware: read the "outside libcrypto" column for what
# verification costs beyond hashing, and bench/run-audit.sh's CPU seconds for the ratio.
# Usage: bench/count-audit.sh [ENTRIES]   (default 200000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AUDIT_BENCH_BUILD:-$root/build-bench-audit}
entries=${1:-200000}
work=${AUDIT_BENCH_DIR:-$root/bench/out/audit}
mkdir -p "$work"
if [ ! -d "$build" ]; then
  meson setup "$build" "$root" -Dbuildtype=release >/dev/null
fi
ninja -C "$build" bench/audit_bench >/dev/null
bench=$build/bench/audit_bench
[ -f "$work/verify.db" ] || "$bench" verify "$work" "$entries" >/dev/null

# count FILE: total instructions and those in libcrypto, from a callgrind output file.
count() {
  callgrind_annotate "$1" 2>/dev/null | awk '
    /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
    /libcrypto/ { gsub(",", "", $1); crypto += $1 }
    END { printf "%.0f %.0f\n", total, crypto }'
}
cg() { valgrind --tool=callgrind --callgrind-out-file="$1" --collect-atstart=no "${@:2}" 2>/dev/null >/dev/null; }

cg "$work/cg.reference" --toggle-collect=reference_hash "$bench" reference-only "$work"
# Verification runs in the calling thread and its reader threads: count both.
cg "$work/cg.verify" --toggle-collect=sk_audit_verify_store --toggle-collect=reader_main \
  "$bench" verify-only "$work" 1
read -r ref ref_crypto < <(count "$work/cg.reference")
read -r ver ver_crypto < <(count "$work/cg.verify")
n=$(sqlite3 "$work/verify.db" 'SELECT COUNT(*) FROM audit_log')
awk -v n="$n" -v r="$ref" -v rc="$ref_crypto" -v v="$ver" -v vc="$ver_crypto" 'BEGIN {
  printf "| Instructions (callgrind), %d entries | total | per entry | in libcrypto | outside libcrypto per entry |\n", n
  printf "|---|---:|---:|---:|---:|\n"
  printf "| reference: SHA-256 of the leaf bytes in memory | %.0f | %.0f | %.0f | %.0f |\n", r, r / n, rc, (r - rc) / n
  printf "| audit verify (every thread) | %.0f | %.0f | %.0f | %.0f |\n", v, v / n, vc, (v - vc) / n
  printf "| ratio reference / verify | %.2f | | | |\n", r / v
}'
