# The login door against an anonymous attacker (tests/http/test_login_hardening.py, issue #12
# findings 6, 7 and 9): locked and unknown look alike, the per-address throttle, the bounded
# login queue, summarised failures and the MFA floor for privileged accounts.
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_login_hardening.py" || fail "tests/http/test_login_hardening.py failed"
