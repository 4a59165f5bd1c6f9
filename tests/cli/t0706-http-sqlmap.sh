# sqlmap against every parameter of every route in /api/v1/openapi.json, logged in, after a
# self-check that the same options and parser report a deliberately injectable endpoint
# (tests/http/test_sqlmap.py; SEKISHO_SQLMAP_DEMO_FAIL=1 makes it fail on that endpoint).
. "$SEKISHO_TESTLIB"
command -v sqlmap >/dev/null || fail "sqlmap is not installed (scripts/deps.sh test)"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_sqlmap.py" >sqlmap.txt || { tail -n 30 sqlmap.txt; fail "tests/http/test_sqlmap.py failed"; }
head -n 2 sqlmap.txt
