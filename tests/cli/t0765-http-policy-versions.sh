# Policy versions over HTTP (tests/http/test_policy_versions.py, issue #16): list, import, diff,
# and an activation approved by the CISO through the API.
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_policy_versions.py" || fail "tests/http/test_policy_versions.py failed"
