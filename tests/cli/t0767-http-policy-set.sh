# The installation's policy set through the API (GET /api/v1/policy/set, POST
# /api/v1/policy/set/{id}) and a running server taking up a change of the set
# (tests/http/test_policy_set.py, issue #16).
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_policy_set.py" || fail "tests/http/test_policy_set.py failed"
