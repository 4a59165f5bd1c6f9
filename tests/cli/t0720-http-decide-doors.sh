# One question, one answer: `sekisho decide` and POST /api/v1/policy/decide
# agree on a grid of inputs for two profiles (tests/http/test_decide_doors.py).
# backends: none   (a bare decision reads no stored data; one backend is enough)
. "$SEKISHO_TESTLIB"
fresh_db
db1=$DB
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_decide_doors.py" "$db1" hachioji "$DB" narita ||
	fail "tests/http/test_decide_doors.py failed"
