# sekisho sanitize --db records each message in the audit log (message id,
# sender, what was removed), one entry per message, and the log verifies.
. "$SEKISHO_TESTLIB"
fresh_db
corpus=$SEKISHO_SRC/tests/mail/corpus
key=$PWD/audit.key
expect_exit 0 sk init --db "$DB" --profile hachioji --admin ciso --key "$key"
expect_exit 0 sk sanitize --db "$DB" "$corpus/20-archives.eml"
expect_exit 0 sk sanitize --db "$DB" --filter < "$corpus/19-no-mime-raw-sjis.eml"
mkdir in out-dir
cp "$corpus/07-nested-attachments.eml" "$corpus/23-only-attachment.eml" in/
expect_exit 0 sk sanitize --db "$DB" --in in --out out-dir
expect_exit 0 sk audit export --db "$DB" -o log.jsonl
grep -c '"mail.sanitize"' log.jsonl > n || true
expect_eq "$(cat n)" 4 "mail.sanitize entries"
expect_in log.jsonl 'mail:<corpus-20@example.co.jp>'
expect_in log.jsonl 'data.zip'
expect_in log.jsonl 'old.lzh'
expect_in log.jsonl '議事録①.docx'
expect_in log.jsonl "$(sha256sum "$corpus/23-only-attachment.eml" | cut -d' ' -f1)"
expect_exit 0 sk audit verify --db "$DB" --key "$key.pub"
# A database that cannot be opened: nothing is written, 75 as a filter.
expect_exit 75 sk sanitize --filter --db "sqlite:$PWD/nope/none.db" < "$corpus/05-alternative.eml"
[ ! -s out ] || fail "a message was written although it could not be recorded"
expect_exit 2 sk sanitize --db "sqlite:$PWD/nope/none.db" "$corpus/05-alternative.eml"
