# sekisho asset import|export: CSV in UTF-8, UTF-8 with BOM and CP932, 和暦
# dates, all-or-nothing import naming the bad row, Excel export.
. "$SEKISHO_TESTLIB"
setup() {
  fresh_db
  export SEKISHO_DB=$DB
  expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit-$RANDOM.key"
  expect_exit 0 sk org add --code somu --name 総務部 --kind department --parent narita
  expect_exit 0 sk org add --code joho --name 情報政策課 --kind section --parent somu
}
setup
head='所管課,情報資産の種類,名称・型番,台数・個数,保管場所,バックアップの有無,廃棄方法,機密性,完全性,可用性,管理責任者,ネットワーク区分,個人情報,特定個人情報,復旧目標時間,取得日,備考'
# 5,000 rows; row 4,321 (line 4,322) has 機密性 5.
awk -v head="$head" 'BEGIN {
  print head
  for (i = 1; i <= 5000; i++) {
    c = (i == 4321) ? 5 : 1 + i % 3
    printf "%s,ハードウェア,\"端末 %d, 型\"\"A\"\"\",%d,執務室,あり,業者により廃棄,%s,1,%d,課長,LGWAN接続系,なし,なし,%s,%s,\n", \
      (i % 2 ? "joho" : "somu"), i, i % 7, c, 1 + i % 2, (i % 2 ? "8" : ""), \
      (i % 3 == 0 ? "令和元年5月" (1 + i % 28) "日" : (i % 3 == 1 ? "R7.4.1" : "2024/2/29"))
  }
}' >big.csv
expect_exit 2 sk asset import big.csv
expect_in err "line 4322, column 8 (機密性): '5' is not a level of 機密性"
expect_in err "1 of 5000 rows are bad; nothing was imported"
expect_eq "$(sql 'SELECT COUNT(*) FROM assets')" 0 "assets after the failed import"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.import'")" 0 "import entries"

# Fixed, it imports whole, with one summary audit entry.
sed '4322s/,5,1,/,3,1,/' big.csv >good.csv
expect_exit 0 sk asset import good.csv --json
expect_in out '"rows": 5000'
expect_in out '"encoding": "utf-8"'
expect_eq "$(sql 'SELECT COUNT(*) FROM assets')" 5000 "assets imported"
expect_eq "$(sql "SELECT COUNT(*) FROM assets WHERE acquired_on = '2025-04-01'")" 1667 "R7.4.1 dates"
expect_eq "$(sql "SELECT COUNT(*) FROM assets WHERE acquired_on = '2024-02-29'")" 1667 "western dates"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.import'")" 1 "import entries"
expect_exit 0 sk asset history "$(sql "SELECT MIN(id) FROM assets")"  # ids need not start at 1 (PostgreSQL sequences skip)
expect_in out "asset.import"
expect_in out "good.csv"

# UTF-8 with BOM and CP932, detected.
printf '\xef\xbb\xbf' >bom.csv; head -n 11 good.csv >>bom.csv
expect_exit 0 sk asset import bom.csv
expect_in out "imported 10 assets"
expect_in out "(utf-8-bom,"
head -n 11 good.csv | iconv -f UTF-8 -t CP932 >sjis.csv
expect_exit 0 sk asset import sjis.csv
expect_in out "(cp932,"
expect_eq "$(sql "SELECT COUNT(*) FROM assets WHERE name = '端末 3, 型\"A\"'")" 3 "same name from each encoding"
printf 'unit,type,name\n\x82\n' >broken.csv
expect_exit 2 sk asset import broken.csv
expect_in err "line 2: the file is neither UTF-8 nor Shift_JIS"

# Export in each encoding; each imports into a fresh installation unchanged.
expect_exit 0 sk asset export --unit joho -o joho.csv
expect_eq "$(head -c 12 joho.csv)" "管理番号" "first heading"
# An export carries every detail, 機密性3 included: it is on record, with what was asked for.
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.export' AND after_json LIKE '%\"format\":\"csv\"%' AND after_json LIKE '%\"unit\":\"joho\"%'")" 1 "CSV export recorded"
for enc in utf-8 utf-8-bom cp932; do
  expect_exit 0 sk asset export --unit joho --encoding $enc -o "out-$enc.csv"
done
expect_eq "$(head -c 3 out-utf-8-bom.csv | od -An -tx1 | tr -d ' ')" "efbbbf" "BOM written"
iconv -f CP932 -t UTF-8 out-cp932.csv >/dev/null || fail "CP932 export is not CP932"
sql "SELECT a.name, quantity, conf, avail, recovery_hours, acquired_on FROM assets a JOIN org_unit o ON o.id = a.unit_id WHERE o.code = 'joho' ORDER BY a.id" >orig.txt
for enc in utf-8 utf-8-bom cp932; do
  setup
  expect_exit 0 sk asset import "out-$enc.csv"
  sql "SELECT name, quantity, conf, avail, recovery_hours, acquired_on FROM assets ORDER BY id" >got.txt
  cmp -s orig.txt got.txt || { diff orig.txt got.txt | head; fail "round trip through $enc changed the register"; }
done
expect_exit 2 sk asset export --encoding latin1
expect_in err "unknown encoding 'latin1'"

# A character CP932 lacks is named, and no file is left behind.
expect_exit 0 sk asset add --unit joho --type data --name "絵文字 😀" --conf 1 --integ 1 --avail 1 --manager m --zone internet
expect_exit 2 sk asset export --encoding cp932 -o emoji.csv
expect_in err "U+1F600"
[ ! -e emoji.csv ] || fail "a failed export left emoji.csv"

# Excel: a workbook with the register's Japanese headings and one row per asset.
expect_exit 0 sk asset export --format xlsx -o register.xlsx
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.export' AND after_json LIKE '%\"format\":\"xlsx\"%'")" 1 "Excel export recorded"
N=$(sql "SELECT COUNT(*) FROM assets") python3 - <<'PY' || fail "register.xlsx is not the expected workbook"
import os, re, zipfile
z = zipfile.ZipFile("register.xlsx")
sheet = z.read("xl/worksheets/sheet1.xml").decode()
book = z.read("xl/workbook.xml").decode()
assert "情報資産台帳" in book
for h in ["管理番号", "所管課", "名称・型番", "機密性", "ネットワーク区分", "分類の表示"]:
    assert h in sheet, h
assert "絵文字 😀" in sheet
# title, subtitle and heading rows, then one row per asset
assert len(re.findall(r"<row ", sheet)) == 3 + int(os.environ["N"]), len(re.findall(r"<row ", sheet))
assert "<autoFilter" in sheet and "<pane " in sheet
PY
expect_exit 2 sk asset export --format xlsx
expect_in err "needs -o FILE"
