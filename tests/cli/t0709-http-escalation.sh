# Issue #12 finding 2: no self-grants, nothing at or above one's own role, the
# auditor apart from the administration (tests/http/test_escalation.py).
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_escalation.py" || fail "tests/http/test_escalation.py failed"
