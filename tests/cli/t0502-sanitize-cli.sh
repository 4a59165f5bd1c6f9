# sekisho sanitize as a command and as a mail-server filter: exit codes,
# -o written whole or not at all, --keep-original, limits, batches.
# backends: none
. "$SEKISHO_TESTLIB"
corpus=$SEKISHO_SRC/tests/mail/corpus

# stdin by default; -o writes the file.
expect_exit 0 sk sanitize < "$corpus/05-alternative.eml"
expect_in out "X-Sekisho-Sanitized:"
expect_exit 0 sk sanitize "$corpus/05-alternative.eml" -o safe.eml
[ -s safe.eml ] || fail "-o wrote nothing"
cmp -s safe.eml "$SEKISHO_SRC/tests/mail/golden/05-alternative.out.eml" || fail "-o differs from stdout"

# Not mail, empty, unreadable: 2; as a filter 65 (cannot be parsed) and 75.
printf 'this is not a mail message\n' > junk
expect_exit 2 sk sanitize junk
expect_in err "does not start with a mail header"
expect_exit 65 sk sanitize --filter < junk
: > empty
expect_exit 2 sk sanitize empty
expect_in err "empty"
expect_exit 65 sk sanitize --filter < empty
expect_exit 2 sk sanitize no-such-file
expect_in err "no-such-file"
expect_exit 75 sk sanitize --filter no-such-file
expect_exit 2 sk sanitize --bogus
expect_exit 75 sk sanitize --filter --bogus
expect_exit 2 sk sanitize --max-parts 0 junk
expect_exit 2 sk sanitize --in "$corpus"
expect_in err "--in and --out go together"
# Output that cannot be written: nothing half-written, 75 as a filter.
expect_exit 75 sk sanitize --filter -o no-such-dir/out.eml < "$corpus/01-iso2022jp-cp932.eml"
expect_exit 0 sk sanitize --filter < "$corpus/01-iso2022jp-cp932.eml"
if [ -w /dev/full ]; then
  set +e; sk sanitize --filter "$corpus/01-iso2022jp-cp932.eml" >/dev/full 2>err; rc=$?; set -e
  expect_eq "$rc" 75 "exit status when stdout is full"
  set +e; sk sanitize "$corpus/01-iso2022jp-cp932.eml" >/dev/full 2>err; rc=$?; set -e
  expect_eq "$rc" 70 "exit status when stdout is full, not a filter"
fi

# The size limit: the headers survive, the rest is listed as removed.
expect_exit 0 sk sanitize --json --max-size 1000 "$corpus/07-nested-attachments.eml"
expect_in out "[size_limit]"
expect_in out '"subject": "添付ファイル"'
expect_in out '"type": "message/rfc822"'
size=$(wc -c < "$corpus/07-nested-attachments.eml")
expect_in out "\"size\": $size"
sha=$(sha256sum "$corpus/07-nested-attachments.eml" | cut -d' ' -f1)
expect_in out "$sha"
# Part and depth limits from the command line.
expect_exit 0 sk sanitize --json --max-parts 3 "$corpus/07-nested-attachments.eml"
expect_in out "[parts_limit]"
expect_exit 0 sk sanitize --json --max-depth 1 "$corpus/07-nested-attachments.eml"
expect_in out "[depth_limit]"

# --defang-links.
expect_exit 0 sk sanitize --json --defang-links "$corpus/06-html-only-sjis.eml"
expect_in out "hxxps[:]//www[.]city[.]example[.]lg[.]jp/info"
expect_not_in out "https://www.city"

# --keep-original stores the original under its SHA-256.
mkdir keep
expect_exit 0 sk sanitize --keep-original keep "$corpus/20-archives.eml"
sha=$(sha256sum "$corpus/20-archives.eml" | cut -d' ' -f1)
cmp -s "keep/$sha.eml" "$corpus/20-archives.eml" || fail "original not kept as keep/$sha.eml"
expect_in out "original-sha256=$sha"
[ "$(ls -A keep | wc -l)" -eq 1 ] || fail "temporary files left in keep/"
expect_exit 2 sk sanitize --keep-original no-such-dir "$corpus/20-archives.eml"

# A batch over a directory of .eml files, and over a maildir.
mkdir in out-dir md md/new md/cur md/tmp
cp "$corpus/01-iso2022jp-cp932.eml" "$corpus/20-archives.eml" in/
cp junk in/zz-junk.eml
expect_exit 1 sk sanitize --in in --out out-dir
expect_in out "ok   01-iso2022jp-cp932.eml removed=0"
expect_in out "ok   20-archives.eml removed=2"
expect_in out "fail zz-junk.eml"
expect_in out "sanitized 2, failed 1"
cmp -s out-dir/01-iso2022jp-cp932.eml "$SEKISHO_SRC/tests/mail/golden/01-iso2022jp-cp932.out.eml" ||
  fail "batch output differs from the golden"
[ ! -e out-dir/zz-junk.eml ] || fail "a failed message left an output file"
cp "$corpus/02-shift_jis.eml" md/new/1700000000.M1P1.host
cp "$corpus/03-euc-jp.eml" md/cur/1700000001.M2P2.host:2,S
mkdir md-out
expect_exit 0 sk sanitize --in md --out md-out --json
expect_in out "sanitized 2, failed 0"
expect_in md-out/1700000000.M1P1.host.json "表計算ソフトの資料①②"
