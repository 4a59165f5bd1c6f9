# sekisho serve: bad options and an unusable database are refused with a
# message before anything listens.
. "$SEKISHO_TESTLIB"
fresh_db
expect_exit 2 sk serve --db "$DB" --listen nonsense
expect_in err "ADDR:PORT"
expect_exit 2 sk serve --db "$DB" --listen 127.0.0.1:99999
expect_in err "bad port"
expect_exit 2 sk serve --db "$DB" --threads 0
expect_in err "--threads"
expect_exit 2 sk serve --db "$DB" --request-timeout 0
expect_in err "--request-timeout must be a whole number from 1 to 3600"
expect_exit 2 sk serve --db "$DB" --max-body 12k
expect_exit 2 sk serve --db "$DB" --max-connections-per-client 0
expect_in err "--max-connections-per-client must be a whole number from 1 to 1000000"
expect_in err "--max-body"
expect_exit 2 sk serve --db "$DB" --trusted-proxy 10.0.0.0/33
expect_in err "--trusted-proxy: '10.0.0.0/33': the prefix length must be 0 to 32"
expect_exit 2 sk serve --db "$DB" --metrics-from proxy.example
expect_in err "--metrics-from: 'proxy.example' is not an address or CIDR range"
expect_exit 2 sk serve --db "$DB" --trusted-proxy ::1/129
expect_in err "must be 0 to 128"
expect_exit 2 sk serve --db "$DB" --bogus
expect_in err "unknown option"
expect_in err "usage: sekisho serve"
expect_exit 2 sk serve --db "$DB" stray
expect_in err "unexpected argument 'stray'"
# --help: the usage line on stdout, nothing started.
expect_exit 0 sk serve --help
expect_in out "usage: sekisho serve [--db URL]"
# A database with no installation.
set +e; sk serve --db "$DB" --listen 127.0.0.1:0 >out 2>err; rc=$?; set -e
[ "$rc" -ne 0 ] || fail "serve started on an empty database"
grep -qiE "no installation|no database|not a sekisho database" err || { cat err; fail "no reason given"; }
