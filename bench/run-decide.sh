#!/usr/bin/env bash
# run-decide: decisions per second of sekisho's engine (in-process, one core) against
# node-casbin evaluating an equivalent ABAC model of the same profile's rules, in the same run.
# Prints a Markdown section for docs/performance.md.
# Usage: bench/run-decide.sh [PROFILE ...]   (default: every built-in profile, else example)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench-decide
out=$root/bench/out
seconds=${SECONDS_PER_RUN:-3}
mkdir -p "$out/casbin"

if [ ! -d "$build" ]; then
  meson setup "$build" "$root" -Dbuildtype=release >/dev/null
fi
ninja -C "$build" bench/decide_bench >/dev/null

cp "$root/bench/casbin/package.json" "$root/bench/casbin/package-lock.json" "$out/casbin/"
if [ ! -d "$out/casbin/node_modules/casbin" ]; then
  (cd "$out/casbin" && npm ci --no-audit --no-fund --silent >/dev/null)
fi

profiles=("$@")
if [ ${#profiles[@]} -eq 0 ]; then
  for f in hachioji niigata narita setagaya; do
    [ -f "$root/policies/$f.yaml" ] && profiles+=("$f")
  done
  [ ${#profiles[@]} -eq 0 ] && profiles=("$root/policies/example.yaml")
fi

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "## Decisions (sekisho decide engine vs node-casbin)"
echo
echo "Command: \`bench/run-decide.sh ${*:-}\` ($(date -u +%Y-%m-%d), $cpu, node $(node --version))."
echo "Each run times every combination of action, levels, flags, zone and actor role of the"
echo "profile, each with an asset type (unknown included) and a to_zone (none included) in turn,"
echo "for ${seconds}s on one core (\`taskset -c 0\`). The casbin model is generated from"
echo "the same rules (one policy line per rule and action, one set-membership test per attribute"
echo "through a function registered with addFunction, first match over lines sorted by priority"
echo "and strictness) and is first checked to reach the same"
echo "decision as sekisho on every input. casbin returns only the decision; sekisho also builds"
echo "the safeguards, approver and citations."
echo
echo "| profile | rules | inputs | sekisho decisions/s | casbin decisions/s | ratio | casbin disagreements | folded (not checked) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for p in "${profiles[@]}"; do
  dump=$out/decide-$(basename "$p" .yaml).json
  s=$(taskset -c 0 "$build/bench/decide_bench" "$p" --seconds "$seconds" --dump "$dump")
  c=$(CASBIN_DIR=$out/casbin taskset -c 0 node "$root/bench/casbin/decide_casbin.js" "$dump" "$seconds")
  python3 - "$s" "$c" <<'PY'
import json, sys
s, c = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"| {s['profile']} | {s['rules']} | {s['inputs']} | {s['per_second']:,.0f} | "
      f"{c['per_second']:,.0f} | {s['per_second'] / c['per_second']:,.0f}x | {c['mismatches']} | "
      f"{c['folded_unchecked']} |")
if c["mismatches"]:
    print(f"\nfirst disagreement: {json.dumps(c['first_mismatch'], ensure_ascii=False)}")
PY
done
echo
echo "\"folded\": inputs with no asset type where only type-conditioned rules held, so sekisho"
echo "also folds in the action's silent answer (docs/policy-format.md); a first-match casbin"
echo "model has no equivalent, so they are timed but not compared."
echo
echo "Quality bar (SPEC §4): at least 1,000,000 decisions per second on one core."
