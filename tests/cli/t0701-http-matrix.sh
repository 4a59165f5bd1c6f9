# The access-control matrix (tests/http/test_matrix.py): every route of
# /api/v1/openapi.json x every role (and none) x inside/outside scope.
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_matrix.py" >matrix.txt || { tail -n 5 matrix.txt; fail "tests/http/test_matrix.py failed"; }
head -n 1 matrix.txt
