# The HTTP-layer findings of issue #12 closed (tests/http/test_probe.py): request smuggling
# building blocks, connection exhaustion, invalid UTF-8 in paths and queries, duplicate
# Cookie/X-CSRF-Token headers, bad filters, dot segments, JSON errors in our words.
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_probe.py" || fail "tests/http/test_probe.py failed"
