# Helpers for CLI tests. Source it: . "$SEKISHO_TESTLIB"
# Every helper fails the test (exit 1) with a message naming what differed.
set -eu
sk() { "$SEKISHO_BIN" "$@"; }

# A fresh database URL for the backend under test, in $DB.
fresh_db() {
  case "${SEKISHO_TEST_BACKEND:-sqlite}" in
  postgresql)
    local name="skcli_$$_${RANDOM}${RANDOM}"
    psql "$SEKISHO_TEST_PG" -qAt -c "CREATE DATABASE $name" >/dev/null
    DB=$(printf '%s' "$SEKISHO_TEST_PG" | sed "s|:///postgres?|:///$name?|")
    ;;
  *) DB="sqlite:$PWD/test-${RANDOM}.db" ;;
  esac
  export DB
}

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_exit CODE CMD...: runs CMD, stdout to ./out, stderr to ./err.
expect_exit() {
  local want=$1; shift
  set +e; "$@" >out 2>err; local got=$?; set -e
  if [ "$got" -ne "$want" ]; then
    echo "--- stdout"; cat out; echo "--- stderr"; cat err
    fail "'$*' exited $got, expected $want"
  fi
}

# expect_in FILE TEXT: FILE contains TEXT (fixed string).
expect_in() { grep -qF -- "$2" "$1" || { cat "$1"; fail "$1 does not contain '$2'"; }; }
expect_not_in() { ! grep -qF -- "$2" "$1" || { cat "$1"; fail "$1 contains '$2'"; }; }
# expect_eq GOT WANT [WHAT]
expect_eq() { [ "$1" = "$2" ] || fail "${3:-value}: got '$1', expected '$2'"; }
