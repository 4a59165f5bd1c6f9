# Notifications in-app and by mail (issue #13 part 5): the SMTP sink down,
# then up, through the server's sender and the CLI's flush
# (tests/http/test_notify.py; the sink is Debian's python3-aiosmtpd).
. "$SEKISHO_TESTLIB"
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || fail "python3-aiosmtpd is missing (scripts/deps.sh test)"
fresh_db
python3 "$SEKISHO_SRC/tests/http/test_notify.py" || fail "tests/http/test_notify.py failed"
