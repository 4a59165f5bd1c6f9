# The server's session cache never outlives logout, password change, account disable or role
# revoke (tests/http/test_session_cache.py), through the API and through the CLI.
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_session_cache.py" || fail "tests/http/test_session_cache.py failed"
