#!/usr/bin/env bash
# run-audit: the two measured claims of the audit log, each against its reference in the
# same run:
#   1. durable audit appends through the group-commit writer (src/store/writer.c) from many
#      threads, against a plain SQLite loop with the same durability (WAL, synchronous=FULL,
#      one commit per row), rounds alternating so both see the same disk and load;
#   2. `audit verify` (sk_audit_verify_store) over ENTRIES entries, against OpenSSL libcrypto
#      SHA-256 hashing the same leaf bytes already in memory.
# Prints a Markdown section for docs/performance.md.
# Usage: bench/run-audit.sh [ENTRIES] [THREADS] [OPS_PER_ROUND]   (default 1000000 64 2000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AUDIT_BENCH_BUILD:-$root/build-bench-audit}
entries=${1:-1000000}
threads=${2:-64}
ops=${3:-2000}
work=${AUDIT_BENCH_DIR:-$root/bench/out/audit}
mkdir -p "$work"

if [ ! -d "$build" ]; then
  meson setup "$build" "$root" -Dbuildtype=release >/dev/null
fi
ninja -C "$build" bench/audit_bench >/dev/null

rm -f "$work"/append.db* "$work"/reference.db*
load=$(uptime | sed 's/.*load average: //')
append=$("$build/bench/audit_bench" append "$work" "$threads" "$ops")
verify=$("$build/bench/audit_bench" verify "$work" "$entries")
get() { printf '%s\n' "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "## Audit log (group-commit appends, verification)"
echo
echo "Command: \`bench/run-audit.sh $entries $threads $ops\` ($(date -u +%Y-%m-%d), $cpu,"
echo "$(nproc) CPUs, SQLite $(sqlite3 --version | cut -d' ' -f1), $(openssl version | cut -d' ' -f1-2)),"
echo "release build, database files under \`$work\`."
echo
echo "| Measure | sekisho | Reference (same run) | Ratio |"
echo "|---|---|---|---|"
echo "| Durable appends/s, $(get "$append" append_threads) threads, $(get "$append" append_ops) appends | $(get "$append" append_rate) ($(get "$append" append_batches) commits) | $(get "$append" reference_rate) (plain SQLite insert loop, WAL + synchronous=FULL, one commit per row) | $(pct "$(get "$append" append_rate)" "$(get "$append" reference_rate)") |"
echo "| Entries verified/s, $(get "$verify" verify_entries) entries ($(get "$verify" leaf_bytes) leaf bytes) | $(get "$verify" verify_rate) ($(get "$verify" verify_seconds) s) | $(get "$verify" reference_hash_rate) (libcrypto SHA-256 of the same leaf bytes in memory, $(get "$verify" reference_hash_seconds) s) | $(pct "$(get "$verify" verify_rate)" "$(get "$verify" reference_hash_rate)") |"
echo "| CPU seconds for the same work (all threads) | $(get "$verify" verify_cpu_seconds) s | $(get "$verify" reference_cpu_seconds) s | $(pct "$(get "$verify" reference_cpu_seconds)" "$(get "$verify" verify_cpu_seconds)") |"
echo
echo "An append is a full \`sk_audit_append\` (head update, entry insert, canonical JSON) in its"
echo "own SAVEPOINT; a caller returns only after its batch's COMMIT returned. Verification reads"
echo "every entry from the database, rebuilds its leaf bytes from the stored fields, hashes them,"
echo "checks sequence, stored hash, hash chain and head, and builds the Merkle root (one node"
echo "hash per entry more than the reference); it reads with one connection per CPU (at most"
echo "4), each reader encoding and hashing its rows, while the calling thread checks in order and"
echo "builds the tree. Best of 3 runs for each. Load at the start of the run (\`uptime\`):"
echo "$load. On a shared machine the CPU-seconds row is the steadier comparison: the reference"
echo "is one thread, verification uses every CPU, so the wall-clock ratio can reach at most"
echo "(number of CPUs) x the CPU ratio, and only on an otherwise idle machine."
