#!/usr/bin/env bash
# The sanitizer benchmark (SPEC §4: at least 50% of GMime's bare parse speed
# over the same corpus): builds a release build in build-bench-mail, generates
# 10,000 realistic messages (bench/mail_gen.py, fixed seed), runs
# sekisho's sanitize loop, GMime's parse loop and the SHA-256 floors in one process
# (bench/mail_bench.c), then Python's email module as a reference, and prints
# a Markdown section for docs/performance.md.
# Usage: bench/run-mail.sh [COUNT] [ROUNDS]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-10000}
rounds=${2:-3}
build=$src/build-bench-mail
[ -d "$build" ] || meson setup "$build" "$src" -Dbuildtype=release >/dev/null
ninja -C "$build" bench/mail_bench >/dev/null
corpus=$build/mail-corpus-$count
[ -d "$corpus" ] || python3 "$src/bench/mail_gen.py" "$corpus" "$count" >/dev/null
c_out=$("$build/bench/mail_bench" "$corpus" "$rounds")
py_out=$(python3 "$src/bench/mail_python.py" "$corpus" 1)
msgs=$(echo "$c_out" | sed -n 's/^messages=\([0-9]*\).*/\1/p')
bytes=$(echo "$c_out" | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
row() { echo "$1" | awk -v name="$2" '{printf "| %s | %s | %s | %s |\n", name, $2, $4, $6}'; }
cat <<MD
### Mail sanitizer (SPEC C14, §4: ≥50% of GMime's bare parse)

Corpus: $msgs generated messages, $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB
(bench/mail_gen.py: plain ISO-2022-JP/UTF-8/Shift_JIS, multipart/alternative, HTML-only
newsletters, and 25% with 1–3 attachments of median ~60 KB). $(nproc) cores, $(uname -m);
best of $rounds rounds (CPU time: the machine is shared), one core, messages already in memory.

| loop | CPU seconds | messages/s | MB/s |
|---|---|---|---|
$(row "$(echo "$c_out" | grep '^gmime_parse')" "GMime 3 parse + walk parts (reference)")
$(row "$(echo "$c_out" | grep '^gmime_hash')" "GMime 3 parse + decode (GMime's decoder) and SHA-256 of every non-text part")
$(row "$(echo "$c_out" | grep '^sha_floor')" "SHA-256 alone (libcrypto): every whole message and every decoded non-text part (no parsing)")
$(row "$(echo "$c_out" | grep '^sha_pair')" "SHA-256 alone, the same bytes two streams at a time (src/mail/sha256.c)")
$(row "$(echo "$c_out" | grep '^sekisho')" "sekisho sanitize (scan, decode, hash parts and original, HTML→text, render)")
$(row "$py_out" "Python $(python3 -c 'import sys;print(sys.version.split()[0])') email (parse + walk)")

sekisho reaches **$(echo "$c_out" | awk '/^ratio/{print $2}')** of GMime's bare parse speed; decoding and hashing
the removed parts alone already brings GMime to
$(echo "$c_out" | awk '/^gmime_parse/{g=$2} /^gmime_hash/{h=$2} END{printf "%.0f%%", 100*g/h}') of its bare parse.
The two SHA-256 passes every sanitized message needs (the original, for the
\`X-Sekisho-Sanitized\` header and \`--keep-original\`, and each removed part, for the list)
cost $(echo "$c_out" | awk '/^gmime_parse/{g=$2} /^sha_floor/{f=$2} END{printf "%.0f%%", 100*f/g}') of GMime's whole parse by themselves through libcrypto (SHA-NI), and
$(echo "$c_out" | awk '/^gmime_parse/{g=$2} /^sha_pair/{f=$2} END{printf "%.0f%%", 100*f/g}') with the two streams interleaved as the sanitizer hashes them; the
sanitizer finds the structure with its own scanner, without GMime's object tree (docs/sanitize.md).
Command: \`bench/run-mail.sh $count $rounds\`
MD
