# Activation of a policy version through the API, and a running server taking up a version
# activated by the API or the CLI without a restart (tests/http/test_policy_activate.py,
# issue #16).
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_policy_activate.py" || fail "tests/http/test_policy_activate.py failed"
