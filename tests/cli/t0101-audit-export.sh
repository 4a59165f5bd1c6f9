# sekisho audit export / verify --export: an auditor verifies a log offline,
# without the database; no single-bit change of an export verifies. (The
# unit test flips every bit of an export in-process; here every bit of every
# 16th byte, through the CLI.)
. "$SEKISHO_TESTLIB"
fresh_db
key=$PWD/audit.key
expect_exit 0 sk init --db "$DB" --profile hachioji --admin ciso --key "$key"
expect_exit 0 sk audit checkpoint --db "$DB" --key "$key" -o cp
expect_exit 0 sk audit export --db "$DB" -o log.jsonl
expect_exit 2 sk audit export --db "$DB" -o log.jsonl
expect_in err "exist"
expect_exit 0 sk audit verify --export log.jsonl --checkpoint cp --key "$key.pub"
expect_in out "audit log intact"
expect_in out "2 checkpoints matched"
# From stdin too.
expect_exit 0 sk audit verify --export - < log.jsonl
expect_exit 2 sk audit verify --export no-such.jsonl

# A checkpoint needs a key to be checked with; an export names its own, but
# an auditor pins theirs and a different one is refused.
expect_exit 0 sk audit verify --export log.jsonl --checkpoint cp
fresh_db
expect_exit 0 sk init --db "$DB" --profile hachioji --admin ciso --key "$PWD/other.key"
expect_exit 1 sk audit verify --export log.jsonl --key "$PWD/other.key.pub"
expect_in out "another verifier key"

# Dropping the last entry.
head -n -1 log.jsonl > short.jsonl
expect_exit 1 sk audit verify --export short.jsonl
expect_in out "missing"

# One Python process flips, sekisho verifies each flipped copy. The export
# format does not depend on the backend: flip once.
[ "$SEKISHO_TEST_BACKEND" = sqlite ] || exit 0
python3 - "$SEKISHO_BIN" <<'PY' || fail "a flipped export verified"
import subprocess, sys
data = open("log.jsonl", "rb").read()
tested = 0
for off in range(len(data)):
    if off % 16:
        continue
    for bit in range(8):
        b = bytearray(data)
        b[off] ^= 1 << bit
        r = subprocess.run([sys.argv[1], "audit", "verify", "--export", "-"], input=bytes(b),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode not in (1, 2):
            print("flipping bit %d of byte %d: exit %d (must be 1 or 2)" % (bit, off, r.returncode))
            sys.exit(1)
        tested += 1
print("%d flips, none verified" % tested)
sys.exit(0 if tested >= 1000 else 1)
PY
