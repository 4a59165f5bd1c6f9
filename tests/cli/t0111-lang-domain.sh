# The domain's refusals speak the reader's language: with LANG=ja_JP.UTF-8 a
# Japanese sentence in the words of the register and the seeds (情報資産, 所管課,
# 申請, 事案 …), with LANG=C the English one; the register import lists every
# bad row in either language, naming line and column, and its notices follow.
. "$SEKISHO_TESTLIB"
unset LC_ALL LC_MESSAGES
fresh_db
export SEKISHO_DB=$DB

ja() { sk_env LANG=ja_JP.UTF-8 "$@"; }
en() { sk_env LANG=C "$@"; }

# both EXIT JA_TEXT EN_TEXT CMD...: the command fails with EXIT in both languages,
# and its message is JA_TEXT in Japanese and EN_TEXT in English (no English in the first).
both() {
  local code=$1 want_ja=$2 want_en=$3
  shift 3
  expect_exit "$code" ja "$@"
  expect_in err "$want_ja"
  expect_exit "$code" en "$@"
  expect_in err "$want_en"
}

expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit-$RANDOM.key"
expect_exit 0 sk org add --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --code joho --name 情報政策課 --kind section --parent somu

# The organization, accounts and installation.
both 2 "組織コード「joho」は既にあります" "unit code 'joho' exists already" \
  org add --code joho --name 情報政策課 --kind section --parent somu
both 2 "部（「x1」）は課「joho」の下に置けません" \
  "a department ('x1') cannot sit under the section 'joho'" \
  org add --code x1 --name 係 --kind department --parent joho
both 2 "ログイン名「12345」は数字だけのため ID と区別できません。英字を含めてください" \
  "the login '12345' is all digits and would read as an id; add a letter" \
  user add --login 12345 --name 職員 --unit joho --role staff
expect_exit 0 sk user add --login dev1 --name 職員 --unit joho --role staff
both 2 "ログイン名「dev1」は既にあります" "login 'dev1' exists already" \
  user add --login dev1 --name 職員 --unit joho --role staff
both 2 "には既にシステムが作成されています。init は新しく作成する場合にだけ使えます" \
  "holds an installation already; init creates a new one only" \
  init --db "$DB" --profile narita --admin ciso --key "$PWD/other.key"

# Objects that are not there, in every register.
both 2 "ID 999 の情報資産はありません" "no asset 999" asset show 999
both 2 "ID 999 の事案はありません" "no incident 999" incident show 999
both 2 "ID 999 の申請はありません" "no request 999" request show 999

# Filters and dates.
both 2 "「gone」という状態はありません（active（使用中）、disposed（廃棄済み）又は all（すべて））" \
  "unknown status 'gone' (expected active, disposed or all)" asset list --status gone
both 2 "状態: 「open」という状態はありません（reported（報告）、escalated（上位へ報告）" \
  "status: unknown status 'open' (reported, escalated, responding or closed)" \
  incident list --status open
both 2 "一覧: 「weird」はありません（mine（自分の申請）、inbox（決裁待ち）、all（すべて））" \
  "box: unknown 'weird' (mine, inbox, all)" request list --box weird
expect_exit 0 sk asset add --unit joho --type hardware --name 端末 --conf 2 --integ 2 --avail 2 \
  --manager 課長 --zone lgwan --acquired-on 2024-04-01
both 2 "廃棄日 2099-01-01 は未来の日付です" "disposal date: 2099-01-01 is in the future" \
  asset dispose 1 --operator 担当 --record 破砕 --on 2099-01-01
both 2 "廃棄日 2020-01-01 が情報資産の取得日（2024-04-01）より前です" \
  "disposal date: 2020-01-01 is before the asset existed (acquired on 2024-04-01)" \
  asset dispose 1 --operator 担当 --record 破砕 --on 2020-01-01
both 2 "廃棄日: 「令和9年2月30日」は存在しない日付です" \
  "disposal date: '令和9年2月30日' is not a real date" \
  asset dispose 1 --operator 担当 --record 破砕 --on 令和9年2月30日
both 2 "「機密性9」は機密性の区分にありません" "'機密性9' is not a level of 機密性" \
  asset add --unit joho --type hardware --name 端末 --conf 機密性9 --integ 2 --avail 2 \
  --manager 課長 --zone lgwan

# A register with every kind of bad row: each listed at once, with line and column.
cat >bad.csv <<'CSV'
情報資産台帳（令和6年度）
No.,管理番号,所管課,種類,名称,機密性,完全性,可用性,管理責任者,系統,
1,B-1,存在しない課,ふしぎな物,端末,9,2,2,課長,mynumber,
2,B-2,joho,hardware,,3,2,2,課長,どこか,
,,,,,,,,,,
3,B-1,joho,hardware,端末,3,2,2,課長,mynumber,
CSV
expect_exit 2 ja asset import bad.csv
expect_in err "1 行目：見出し行ではないため、表題として読み飛ばしました: 情報資産台帳（令和6年度）"
expect_in err "2 行目 1 列目：「No.」列は行の番号のため、読み飛ばしました"
expect_in err "2 行目：見出しのない 1 列を読み飛ばしました"
expect_in err "空の行 1 行を読み飛ばしました: 5 行目"
expect_in err "sekisho: 3 行に誤りがあります（全 3 行）。何も取り込んでいません:"
expect_in err "3 行目 3 列目（所管課）: 「存在しない課」という所管課はありません"
expect_in err "3 行目 4 列目（情報資産の種類）: 「ふしぎな物」は情報資産の種類として受け付けていません"
expect_in err "ハードウェア（hardware）"
expect_in err "3 行目 6 列目（機密性）: 「9」は機密性の区分にありません"
expect_in err "4 行目 5 列目（名称・型番）: 必須です"
expect_in err "4 行目 10 列目（ネットワーク区分）: 「どこか」はネットワーク区分として受け付けていません"
expect_in err "6 行目 2 列目（管理番号）: この管理番号はファイルの前の行でも使われています"
expect_not_in err "line "
expect_not_in err "is required"
expect_exit 2 en asset import bad.csv
expect_in err "line 1: not a heading line, skipped as a title: 情報資産台帳（令和6年度）"
expect_in err "1 empty row(s) skipped: lines 5"
expect_in err "sekisho: 3 of 3 rows are bad; nothing was imported:"
expect_in err "line 3, column 3 (所管課): unknown unit '存在しない課'"
expect_in err "line 3, column 6 (機密性): '9' is not a level of 機密性"
expect_in err "line 4, column 5 (名称・型番): is required"
expect_in err "line 6, column 2 (管理番号): this 管理番号 is given to an earlier row of the file too"
expect_not_in err "行目"

# A CSV file that is neither UTF-8 nor Shift_JIS, and one whose quote is never closed.
printf 'unit,type\n\x80\xff,x\n' >binary.csv
both 2 "2 行目: ファイルが UTF-8 でも Shift_JIS（CP932）でもありません" \
  "line 2: the file is neither UTF-8 nor Shift_JIS (CP932)" asset import binary.csv
printf '所管課,種類,名称,機密性,完全性,可用性,管理責任者,系統\njoho,"hardware,端末,3,2,2,課長,lgwan\n' >quote.csv
both 2 "2 行目 2 列目: 引用符が閉じられていません" \
  "line 2, column 2: quoted field is never closed" asset import quote.csv

# Re-importing rows without 管理番号 is refused in the reader's language.
printf '所管課,種類,名称,機密性,完全性,可用性,管理責任者,系統\n情報政策課,パソコン,端末,3,2,2,課長,mynumber\n' >plain.csv
expect_exit 0 ja asset import plain.csv
both 2 "このファイルは取込み済み（取込み " "this file was imported already (import " \
  asset import plain.csv
