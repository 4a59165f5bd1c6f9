# 機密性3 details in the history and the audit list (tests/http/test_conf3.py): the audit
# list withholds them; the history (API and CLI) hands them out only with the read on record.
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_conf3.py" || fail "tests/http/test_conf3.py failed"
