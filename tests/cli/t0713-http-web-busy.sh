# The web UI's slow work off the event loops (tests/http/test_web_busy.py, issue #12 finding 7,
# issue #14): the web login on the login workers and the register export on the page workers,
# each behind a bounded queue whose overflow is the busy page (503, Retry-After, ja and en).
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_web_busy.py" || fail "tests/http/test_web_busy.py failed"
