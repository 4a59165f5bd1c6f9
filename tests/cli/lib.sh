# Helpers for CLI tests. Source it: . "$SEKISHO_TESTLIB"
# Every helper fails the test (exit 1) with a message naming what differed.
set -eu
# sk ARGS: runs sekisho. A person-level command (issue 15 item 6) acts for a person: unless ARGS
# name one (--as), it acts for the account $SK_AS (default ciso, the account `init --admin ciso`
# makes), proved by the admin token below. Installation-level commands (init, demo, admin-token,
# serve, sanitize, the audit log's key commands, the notice queue's, record purge, mapping a Unix
# user, appointing a CISO) take no --as and act as the operator. Run "$SEKISHO_BIN" itself to
# give no --as.
sk() { sk_env "$@"; }
# sk_env [VAR=VALUE...] ARGS: sk with those variables set for the binary only (LANG=... before a
# shell function would set this shell's locale too, and bash warns about a missing one).
sk_env() {
  local vars=() as=()
  while [ $# -gt 0 ] && [[ $1 == [A-Za-z_]*=* ]]; do vars+=("$1"); shift; done
  if sk_person_level "$@"; then as=(--as "${SK_AS:-ciso}"); fi
  env "${vars[@]}" "$SEKISHO_BIN" "${as[@]}" "$@"
}
# sk_person_level ARGS: whether sekisho ARGS is a person-level command that names nobody (--as).
# (The same list is in tests/http/sktest.py and tests/web/lib.mjs.)
sk_person_level() {
  local a
  for a; do
    case $a in --as | --as=*) return 1 ;; esac
  done
  while [ $# -gt 0 ]; do
    case $1 in
    --password-file | --admin-token) shift 2 ;;
    --password-file=* | --admin-token=*) shift ;;
    *) break ;;
    esac
  done
  case "${1:-}" in init | demo | admin-token | serve | sanitize) return 1 ;; esac
  case "${1:-} ${2:-}" in
  "audit checkpoint" | "audit verify" | "audit prove" | "audit verify-proof" | "audit export" | \
    "notify flush" | "notify configure" | "notify remind" | "record purge") return 1 ;;
  "user add" | "user set" | "role grant" | "role revoke")
    local prev=
    for a; do
      case "$a" in --unix-user | --unix-user=* | --role=ciso) return 1 ;; esac
      [ "$prev $a" = "--role ciso" ] && return 1
      prev=$a
    done
    ;;
  esac
  return 0
}
# demo_ciso PROFILE: the login of the CISO `sekisho demo --profile PROFILE` makes (the demo cities'
# own names), for SK_AS. The default demo city is hachioji.
demo_ciso() {
  case "$1" in
  narita) echo fujita.masaru ;;
  hachioji) echo yamada.taro ;;
  niigata) echo nishida.makoto ;;
  setagaya) echo hoshino.akio ;;
  *) fail "demo_ciso: no demo city '$1'" ;;
  esac
}
# The operator's admin token (issue 15): init and demo write it here (or take the one here), and
# proves the accounts sk acts for.
export SEKISHO_ADMIN_TOKEN="$PWD/admin-token"

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

# Runs one SQL statement against $DB on the backend under test; prints rows as a|b|c.
sql() {
  case "${SEKISHO_TEST_BACKEND:-sqlite}" in
  postgresql) psql "$DB" -qAt -c "$1" ;;
  *) sqlite3 "${DB#sqlite:}" "$1" ;;
  esac
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

# check_decision ARGS DECISION APPROVER SAFEGUARDS EXCEPTION CITATIONS: runs
# `sekisho decide --profile $profile ARGS --json` and compares the SPEC §3
# object: approver "null" for none, safeguards comma-joined in vocabulary
# order, citations a "~"-separated list that must all appear (and never none).
check_decision() {
	local args=$1 want_dec=$2 want_appr=$3 want_sg=$4 want_exc=$5 want_cites=$6
	# shellcheck disable=SC2086 # args is a word list on purpose
	expect_exit 0 sk decide --profile "$profile" $args --json
	local got
	got=$(jq -r '[.decision, (.approver_role // "null"), (.safeguards | join(",")),
		(.exception_possible | tostring)] | join("|")' out) ||
		fail "decide $args: output is not the §3 JSON object: $(cat out)"
	expect_eq "$got" "$want_dec|$want_appr|$want_sg|$want_exc" "decide $args"
	jq -e '.citations | length > 0' out >/dev/null || fail "decide $args: empty citations"
	local IFS='~' c
	for c in $want_cites; do
		jq -e --arg c "$c" '.citations | index($c) != null' out >/dev/null ||
			fail "decide $args: citation '$c' missing from $(jq -c .citations out)"
	done
}

# check_table < TABLE: check_decision for each "args|decision|approver|safeguards|exception|citations" line.
check_table() {
	local args dec appr sg exc cites
	while IFS='|' read -r args dec appr sg exc cites; do
		[ -z "$args" ] && continue
		check_decision "$args" "$dec" "$appr" "$sg" "$exc" "$cites"
	done
}

# web_test FILE: runs the browser test tests/web/FILE (lib.mjs: chromium, axe, both languages,
# JavaScript on and off); screenshots go to the build directory's web-screenshots. Nothing is
# skipped silently: without chromium or the npm packages (scripts/deps.sh test) it fails.
web_test() {
  local web="$SEKISHO_SRC/tests/web" out
  [ -x /usr/bin/chromium ] || fail "chromium is not installed (scripts/deps.sh test)"
  [ -d "$web/node_modules/playwright-core" ] || fail "tests/web/node_modules is missing (cd tests/web && npm ci)"
  out="$(dirname "$SEKISHO_BIN")/web-screenshots"
  mkdir -p "$out"
  node "$web/$1" "$SEKISHO_BIN" "$out" >web.txt 2>&1 \
    || { grep -E "FAIL|Error|ERROR|Sanitizer|runtime error" web.txt | head -n 20; fail "tests/web/$1 failed"; }
  tail -n 1 web.txt
}
