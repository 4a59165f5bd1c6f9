# The CLI and the API answer the same workflow questions the same way: a request, the
# requester's list, the organization check and a ledger (tests/http/test_workflow_doors.py).
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_workflow_doors.py" || fail "tests/http/test_workflow_doors.py failed"
