# Every request kind end to end in at least two profiles (成田, 八王子, 世田谷), driving the real
# server: routing in the chain, approve/reject, follow-through, ledgers (JSON and CSV), the
# deputy's inbox, and mail queued while the SMTP server is down (tests/http/test_request_kinds.py).
. "$SEKISHO_TESTLIB"
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || fail "python3-aiosmtpd is missing (scripts/deps.sh test)"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_request_kinds.py" || fail "tests/http/test_request_kinds.py failed"
