#!/usr/bin/env bash
# Regenerates tests/mail/golden/ from tests/mail/corpus/ with a sekisho
# binary: NAME.json (sanitize --json) and NAME.out.eml (the sanitized
# message). Inspect `git diff tests/mail/golden` by eye before committing:
# the goldens are what tests/cli/t0501-sanitize-corpus.sh holds the
# sanitizer to.
# Usage: tests/mail/update-golden.sh BUILD/sekisho
set -euo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/golden"
for f in "$here"/corpus/*.eml; do
  name=$(basename "$f" .eml)
  "$bin" sanitize --json "$f" >"$here/golden/$name.json"
  "$bin" sanitize "$f" >"$here/golden/$name.out.eml"
done
echo "updated $(ls "$here"/corpus/*.eml | wc -l) goldens in $here/golden"
