# Incidents (SPEC C8) through the real server in two profiles: routing up each seed's chain
# with its deadlines, escalation, response, closure by the named role only, evidence with its
# SHA-256, refusals that name their field and write nothing, audit verify at the end
# (tests/http/test_incidents.py).
. "$SEKISHO_TESTLIB"
fresh_db
db1=$DB
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_incidents.py" "$db1" "$DB" ||
	fail "tests/http/test_incidents.py failed"
