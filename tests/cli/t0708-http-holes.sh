# Holes of issue #11 closed in the HTTP server (tests/http/test_http_holes.py): logins
# invalidate no cached session, query parameters are declared and checked, X-Forwarded-For
# only from trusted proxies, /metrics only to listed clients or sessions, verify off the loop.
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_http_holes.py" || fail "tests/http/test_http_holes.py failed"
