# sekisho sanitize over the mail corpus (tests/mail/corpus, built by
# tests/mail/make-corpus.py) matches the goldens checked by eye in
# tests/mail/golden: the JSON of SPEC §3 and the sanitized message itself.
# backends: none
. "$SEKISHO_TESTLIB"
corpus=$SEKISHO_SRC/tests/mail/corpus
golden=$SEKISHO_SRC/tests/mail/golden
n=0
for f in "$corpus"/*.eml; do
  name=$(basename "$f" .eml)
  expect_exit 0 sk sanitize --json "$f"
  diff -u "$golden/$name.json" out || fail "$name: JSON differs from the golden"
  expect_exit 0 sk sanitize "$f"
  cmp -s "$golden/$name.out.eml" out || { diff -u "$golden/$name.out.eml" out; fail "$name: message differs"; }
  # The output is one text/plain UTF-8 part, marked as sanitized.
  expect_in out "Content-Type: text/plain; charset=UTF-8"
  expect_in out "X-Sekisho-Sanitized: sekisho "
  n=$((n + 1))
done
[ "$n" -ge 25 ] || fail "only $n corpus messages"

# Spot checks that say what the goldens hold, so a wrong golden cannot pass.
j() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }
expect_eq "$(j "$golden/01-iso2022jp-cp932.json" "d['headers']['subject']")" "【ご案内】説明会①のお知らせ㈱"
expect_in "$golden/01-iso2022jp-cp932.json" "半角カナ: ｻﾝﾌﾟﾙ ﾃｽﾄ"
expect_in "$golden/02-shift_jis.json" "表計算ソフトの資料①②をお送りします。"
expect_in "$golden/03-euc-jp.json" "①② ｶﾅ"
expect_in "$golden/06-html-only-sjis.json" "市のお知らせ <https://www.city.example.lg.jp/info>"
expect_not_in "$golden/06-html-only-sjis.json" "alert"
expect_not_in "$golden/06-html-only-sjis.json" "隠された文字"
expect_not_in "$golden/06-html-only-sjis.json" "color: red"
expect_eq "$(j "$golden/07-nested-attachments.json" "[r['name'] for r in d['removed']]")" \
  "['', '見積書 ①.pdf', '議事録①.docx', 'memo.txt']"
expect_eq "$(j "$golden/08-rfc2231-names.json" "[r['name'] for r in d['removed']]")" \
  "['会議資料_第三回.xlsx', '予算表.csv']"
expect_eq "$(j "$golden/10-display-name-tricks.json" "d['headers']['from']")" \
  '"総務課 <soumu@city.example.lg.jp>" <attacker@evil.example>'
expect_in "$golden/15-deep-nesting.json" "[depth_limit]"
expect_in "$golden/16-many-parts.json" "[parts_limit]"
expect_in "$golden/17-html-bomb.json" "[html_limit]"
expect_in "$golden/18-rlo-filename.json" "請求書[U+202E]fdp.exe"
expect_in "$golden/20-archives.json" "[archive]"
# The zip's own bytes are hashed, never its members listed.
expect_not_in "$golden/20-archives.json" "evil.exe"
# Boundary layouts: a boundary where headers were due leaves an empty part, a uuencoded
# file decodes from its "begin" line ("abc"), a digest entry without headers is a
# forwarded message, and a part with no final boundary still counts.
expect_eq "$(j "$golden/25-boundary-layouts.json" "[(r['name'], r['size']) for r in d['removed']]")" \
  "[('cut.pdf', 0), ('uu.bin', 3), ('内応', 45), ('last.gif', 14)]"
expect_in "$golden/25-boundary-layouts.json" "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
expect_in "$golden/25-boundary-layouts.json" "body text\n\nplain in digest"
