# Requests and approvals end to end over HTTP (tests/http/test_requests.py): Narita and
# Hachioji, every kind's routing, follow-through, self-approval, deputy, expiry, bad input.
. "$SEKISHO_TESTLIB"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_requests.py" || fail "tests/http/test_requests.py failed"
