#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests and prints the
# environment line that points the tests at it. PostgreSQL refuses to run as
# root, so the cluster belongs to the postgres user (or to the caller when
# not root) and listens only on a Unix socket inside its own directory.
# Usage: eval "$(scripts/pg-start.sh DIR)"   then   scripts/pg-stop.sh DIR
set -euo pipefail
dir=$1
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "pg-start: no PostgreSQL server installed" >&2; exit 1; }
mkdir -p "$dir"
run=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  chmod 0700 "$dir"
  run=(runuser -u postgres --)
fi
"${run[@]}" "$bindir/initdb" -D "$dir/data" --auth=trust --username=postgres \
  --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# fsync stays on: the crash tests rely on the same durability as production.
"${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-k $dir -c listen_addresses='' -p 54329 -c max_connections=200" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
echo "export SEKISHO_TEST_PG='postgresql:///postgres?host=$dir&port=54329&user=postgres'"
