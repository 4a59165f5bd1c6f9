# The HTTP API end to end (tests/http/test_api.py): login, sessions, CSRF,
# assets and decisions, bad input answered 4xx with nothing written,
# security headers, metrics, OpenAPI, graceful shutdown on SIGTERM.
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_api.py" || fail "tests/http/test_api.py failed"
