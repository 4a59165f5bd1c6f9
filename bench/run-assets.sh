#!/usr/bin/env bash
# bench/run-assets.sh: the asset register's performance bars (SPEC §4, issue 3):
#  1. importing a 1,000,000-row register CSV with `sekisho asset import` takes at most
#     twice as long as `sqlite3 DB ".import --csv FILE t"` of the same file, measured in the
#     same run on the same disk;
#  2. listing and filtering 100,000 assets from the CLI takes well under 100 ms.
# Builds a release binary in build-bench-assets/, works in a temporary directory, and prints
# a Markdown section for docs/performance.md.
# Usage: bench/run-assets.sh [ROWS] [LIST_ROWS]   (defaults 1000000 and 100000)
set -euo pipefail
rows=${1:-1000000}
list_rows=${2:-100000}
src=$(cd "$(dirname "$0")/.." && pwd)
. "$src/bench/assets-lib.sh"
build=$src/build-bench-assets
if [ ! -d "$build" ]; then
  meson setup "$build" "$src" -Dbuildtype=release >/dev/null
fi
ninja -C "$build" sekisho >/dev/null
bin=$build/sekisho
work=$(mktemp -d "${TMPDIR:-/tmp}/sk-bench-assets.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# The CLI acts for a person (issue 15): init's CISO, proved by the admin token it writes.
export BENCH_AS=ciso
install() { # install DBPATH
  export SEKISHO_ADMIN_TOKEN=$PWD/$1.admin-token
  "$bin" init --db "$1" --profile narita --admin ciso --key "$1.key" >/dev/null
  "$bin" --as ciso org add --db "$1" --code honbu --name 本部 --kind department --parent narita >/dev/null
  assets_sections "$bin" "$1" honbu
}
now() { date +%s.%N; }

assets_gen "$rows" big.csv
size=$(du -m big.csv | cut -f1)

# 1. Import: three runs each, alternating, fresh databases; the best of each counts. Wall time
# is the bar; CPU time (user + system) is shown too because this machine may be shared.
timed() { # timed CMD...: runs CMD, sets WALL and CPU (seconds)
  /usr/bin/time -f "%e %U %S" -o time.txt "$@" >/dev/null
  read -r WALL u s <time.txt
  CPU=$(echo "$u + $s" | bc)
}
min() { echo "if ($1 < $2) $1 else $2" | bc; }
best_sk=999999; best_ref=999999; cpu_sk=999999; cpu_ref=999999
for run in 1 2 3; do
  rm -f sk.db* ref.db*
  install sk.db
  sync
  timed "$bin" --as ciso asset import --db sk.db big.csv
  best_sk=$(min "$WALL" "$best_sk"); cpu_sk=$(min "$CPU" "$cpu_sk"); sk=$WALL
  sync
  timed sqlite3 ref.db ".import --csv big.csv t"
  best_ref=$(min "$WALL" "$best_ref"); cpu_ref=$(min "$CPU" "$cpu_ref"); ref=$WALL
  [ "$(sqlite3 ref.db 'SELECT COUNT(*) FROM t')" = "$rows" ] || { echo "reference import lost rows" >&2; exit 1; }
  [ "$(sqlite3 sk.db 'SELECT COUNT(*) FROM assets')" = "$rows" ] || { echo "sekisho import lost rows" >&2; exit 1; }
  echo "run $run: sekisho ${sk}s, sqlite3 .import ${ref}s" >&2
done
ratio=$(echo "scale=2; $best_sk / $best_ref" | bc)
cpu_ratio=$(echo "scale=2; $cpu_sk / $cpu_ref" | bc)
import_load=$(cut -d' ' -f1-3 /proc/loadavg)

# 2. Listing and filtering 100,000 assets.
rm -f list.db*
install list.db
head -n $((list_rows + 1)) big.csv >list.csv
"$bin" --as ciso asset import --db list.db list.csv >/dev/null
export SEKISHO_DB=$work/list.db SEKISHO_ADMIN_TOKEN=$work/list.db.admin-token
declare -a names cmds
names+=("list all ($list_rows rows)");                 cmds+=("$bin --as ciso asset list")
names+=("filter: section");                            cmds+=("$bin --as ciso asset list --unit sec07")
names+=("filter: 機密性3 in the mynumber zone");         cmds+=("$bin --as ciso asset list --conf 3 --zone mynumber")
names+=("filter: text search");                        cmds+=("$bin --as ciso asset list --text TX-42")
names+=("filter: department (subtree), type");         cmds+=("$bin --as ciso asset list --unit honbu --type media")
table=""
for i in "${!cmds[@]}"; do
  n=$(${cmds[$i]} | wc -l)
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 3 --runs 20 --export-json h.json "${cmds[$i]}" >/dev/null 2>&1
    ms=$(python3 -c 'import json; r=json.load(open("h.json"))["results"][0]; print("%.1f ± %.1f | %.1f" % (r["mean"]*1000, r["stddev"]*1000, (r["user"]+r["system"])*1000))')
  else
    t0=$(now); for _ in $(seq 20); do ${cmds[$i]} >/dev/null; done; t1=$(now)
    ms="$(echo "scale=1; ($t1 - $t0) * 1000 / 20" | bc) | -"
  fi
  table+="| ${names[$i]} | $n | $ms |"$'\n'
done

cat <<EOF
## Asset register (bench/run-assets.sh)

Machine: $(nproc) CPUs, $(uname -srm); SQLite $(sqlite3 --version | cut -d' ' -f1); release build.
Command: \`bench/run-assets.sh $rows $list_rows\`

**Import** of a $rows-row register CSV ($size MB, UTF-8, 17 columns, 和暦 and western dates,
quoted fields) into a fresh installation, against \`sqlite3 DB ".import --csv FILE t"\` of the same
file into a fresh database (best of 3 runs each, alternating):

| | wall s | CPU s |
|---|---|---|
| \`sekisho asset import\` (detect encoding, validate every field, resolve units, 和暦, 21 columns + label, 1 index, foreign keys, one transaction, one audit entry) | $best_sk | $cpu_sk |
| \`sqlite3 .import --csv\` (17 text columns, no checks) | $best_ref | $cpu_ref |
| ratio (bar: wall ≤ 2.0) | **$ratio** | $cpu_ratio |

Load average after the import runs: $import_load on $(nproc) CPUs.

**Listing and filtering** $list_rows assets (\`sekisho asset list\`, output to a pipe; bar: well
under 100 ms; 20 runs with hyperfine -N, whole process: start, open, query, print). Wall time is
the mean ± σ; CPU is user + system time, which is what the process itself costs when the machine
is not shared (load average during this run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs).

| query | rows | wall ms | CPU ms |
|---|---|---|---|
$table
EOF
