# Ledgers over HTTP (tests/http/test_ledgers.py): the 持ち出し記録 listed in and out of scope and
# exported as CSV (UTF-8, BOM, CP932) and .xlsx, each export audited, a failed one not.
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_ledgers.py" || fail "tests/http/test_ledgers.py failed"
