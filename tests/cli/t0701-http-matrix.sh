# The access-control matrix (tests/http/test_matrix.py): every route x every role (and none)
# x inside/outside scope, against the expected table written in the test from the capabilities.
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_matrix.py" >matrix.txt || { tail -n 5 matrix.txt; fail "tests/http/test_matrix.py failed"; }
head -n 1 matrix.txt
