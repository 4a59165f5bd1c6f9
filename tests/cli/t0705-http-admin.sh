# Account administration and MFA over HTTP (tests/http/test_admin_api.py): admin unlock,
# TOTP self-enrollment and reset, the unused-accounts report, the audited bare decision and
# who may read /metrics.
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_admin_api.py" || fail "tests/http/test_admin_api.py failed"
