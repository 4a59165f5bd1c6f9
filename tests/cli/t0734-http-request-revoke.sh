# A role revoked from the CLI stops the next write through the API at once: the request
# writer's scopes are checked against the authorization generation (tests/http/test_request_revoke.py).
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_request_revoke.py" || fail "tests/http/test_request_revoke.py failed"
