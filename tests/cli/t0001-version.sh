# The binary runs, answers --help and rejects unknown commands with exit 2.
# backends: none
. "$SEKISHO_TESTLIB"
expect_exit 0 sk version
expect_in out "sekisho "
expect_exit 0 sk --help
expect_in out "usage: sekisho"
expect_exit 2 sk no-such-command
expect_in err "unknown command 'no-such-command'"
expect_exit 2 sk
