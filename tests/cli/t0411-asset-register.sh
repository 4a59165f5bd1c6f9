# sekisho asset import of registers as cities keep them: a title line, a No. column, an empty
# last column, empty rows, units by name, Japanese types and levels, full-width digits, 管理番号
# (re-import updates, the same file changes nothing, --dry-run), every error at once, an .xlsx
# workbook read directly (a zip bomb and a DOCTYPE refused), an .xls one through libfreexl,
# asset remove as a correction, and the export: unit names, the city in the workbook's title,
# levels as numbers, a failed export unrecorded.
. "$SEKISHO_TESTLIB"
fresh_db
export SEKISHO_DB=$DB
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit-$RANDOM.key"
expect_exit 0 sk org add --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --code joho --name 情報政策課 --kind section --parent somu
expect_exit 0 sk org add --code kikaku --name 企画課 --kind section --parent somu
count() { sql "SELECT COUNT(*) FROM assets $1"; }
entries() { sql "SELECT COUNT(*) FROM audit_log"; }

# As Excel saves it: CP932, CRLF, a title, an empty line, No., an empty last column, empty rows.
cat >reg.txt <<'CSV'
情報資産台帳（令和6年度）,,,,,,,,,,,,
,,,,,,,,,,,,
No.,管理番号,所管課,情報資産の種類,名称・型番,台数・個数,機密性,完全性,可用性,管理責任者,ネットワーク区分,取得日,
１,J-0001,情報政策課,ハードウェア,住民記録端末,１２,機密性２,２,２,情報政策課長,マイナンバー利用事務系,令和6年4月1日,
２,J-0002,企画課,文書,計画書綴り,1,２,1,1,企画課長,インターネット接続系,R6.4.1,
,,,,,,,,,,,,
３,Ｊ－０００３,総務部,データ,職員名簿,,2,2,1,総務部長,LGWAN接続系,2024/4/1,
,,,,,,,,,,,,
CSV
sed 's/$/\r/' reg.txt | iconv -f UTF-8 -t CP932 >reg.csv
expect_exit 0 sk asset import reg.csv
expect_in out "3 added, 0 changed, 0 unchanged"
expect_in err "line 1: not a heading line, skipped as a title: 情報資産台帳（令和6年度）"
expect_in err "the 'No.' column numbers the rows; ignored"
expect_in err "1 column(s) without a heading; ignored"
expect_in err "2 empty row(s) skipped: lines 6, 8"
expect_eq "$(count "WHERE asset_number = 'J-0001' AND quantity = 12 AND conf = '2' AND acquired_on = '2024-04-01'")" 1 "J-0001"
expect_eq "$(count "a JOIN org_unit o ON o.id = a.unit_id WHERE o.code = 'kikaku' AND a.type = 'document'")" 1 "unit by name"
# Full-width digits fold; the full-width hyphen is kept as it is.
expect_eq "$(count "WHERE asset_number = 'J－0003'")" 1 "full-width number"

# The same file again: nothing changes, nothing is recorded.
n=$(entries)
expect_exit 0 sk asset import reg.csv
expect_in out "nothing to change: the 3 assets"
expect_eq "$(entries)" "$n" "audit entries after the re-import"
expect_eq "$(count "")" 3 "assets after the re-import"

# A changed register: --dry-run says what would happen and writes nothing; then it happens.
sed -e 's/計画書綴り/計画書綴り（改訂）/' -e '5a ４,J-0004,企画課,媒体,USBメモリ,2,2,1,1,企画課長,インターネット接続系,,' reg.txt >reg2.csv
expect_exit 0 sk asset import --dry-run reg2.csv
expect_in out "line 5: change asset"
expect_in out "(管理番号 J-0002): name"
expect_in out "line 6: add 管理番号 J-0004: USBメモリ"
expect_in out "dry run: 1 to add, 1 to change, 2 unchanged; nothing was written"
expect_eq "$(entries)" "$n" "audit entries after the dry run"
expect_exit 0 sk asset import reg2.csv --json
expect_in out '"added": 1'
expect_in out '"changed": 1'
expect_eq "$(count "")" 4 "assets after the update"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.update'")" 1 "update entries"

# Every error of every row at once, with line and column.
cat >bad.csv <<'CSV'
管理番号,所管課,種類,名称,機密性,完全性,可用性,管理責任者,系統
B-1,存在しない課,ふしぎな物,端末,9,2,2,課長,mynumber
B-2,joho,hardware,,3,2,2,課長,どこか
CSV
n=$(entries)
expect_exit 2 sk asset import bad.csv
expect_in err "2 of 2 rows are bad; nothing was imported"
expect_in err "line 2, column 2 (所管課): unknown unit '存在しない課'"
expect_in err "line 2, column 3 (情報資産の種類): unknown type 'ふしぎな物'"
expect_in err "line 2, column 5 (機密性): '9' is not a level of 機密性"
expect_in err "line 3, column 4 (名称・型番): is required"
expect_in err "line 3, column 9 (ネットワーク区分): unknown network zone 'どこか'"
expect_eq "$(entries)" "$n" "audit entries after the bad file"

# An Excel workbook, read directly: shared strings with furigana, numbers, a date cell.
python3 - <<'PY'
import zipfile
def x(s): return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + s
ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
strings = ["情報資産台帳（令和6年度）", "No.", "管理番号", "所管課", "情報資産の種類", "名称・型番",
           "機密性", "完全性", "可用性", "管理責任者", "ネットワーク区分", "取得日",
           "X-01", "ハードウェア", "庁内LAN端末", "課長", "LGWAN接続系", "X-02", "ソフトウェア", "財務会計システム"]
def si(t):
    if t == "情報政策課":
        return '<si><t>情報政策課</t><rPh sb="0" eb="5"><t>ジョウホウセイサクカ</t></rPh></si>'
    return "<si><t>%s</t></si>" % t
strings.append("情報政策課")
S = {t: i for i, t in enumerate(strings)}
def s(ref, t): return '<c r="%s" t="s"><v>%d</v></c>' % (ref, S[t])
def n(ref, v, style=None): return '<c r="%s"%s><v>%s</v></c>' % (ref, ' s="%d"' % style if style else "", v)
rows = ['<row r="1">' + s("A1", "情報資産台帳（令和6年度）") + '</row>',
        '<row r="3">' + "".join(s("%s3" % c, h) for c, h in zip("ABCDEFGHIJKL",
            ["No.", "管理番号", "所管課", "情報資産の種類", "名称・型番", "機密性", "完全性", "可用性", "管理責任者", "ネットワーク区分", "取得日"])) + '</row>',
        '<row r="4">' + n("A4", 1) + s("B4", "X-01") + s("C4", "情報政策課") + s("D4", "ハードウェア") + s("E4", "庁内LAN端末")
            + n("F4", 2) + n("G4", 2) + n("H4", 1) + s("I4", "課長") + s("J4", "LGWAN接続系") + n("K4", 45383, 1) + '</row>',
        '<row r="5"></row>',
        '<row r="6">' + n("A6", 2) + s("B6", "X-02") + '<c r="C6" t="inlineStr"><is><t>joho</t></is></c>' + s("D6", "ソフトウェア")
            + s("E6", "財務会計システム") + n("F6", 2) + n("G6", 2) + n("H6", 2) + s("I6", "課長") + s("J6", "LGWAN接続系") + '</row>']
z = zipfile.ZipFile("reg.xlsx", "w", zipfile.ZIP_DEFLATED)
z.writestr("[Content_Types].xml", x('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'))
z.writestr("xl/workbook.xml", x('<workbook %s><sheets><sheet name="台帳" sheetId="1" r:id="rId1"/></sheets></workbook>' % ns))
z.writestr("xl/_rels/workbook.xml.rels", x('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
z.writestr("xl/sharedStrings.xml", x('<sst %s count="%d" uniqueCount="%d">%s</sst>' % (ns, len(strings), len(strings), "".join(si(t) for t in strings))))
z.writestr("xl/styles.xml", x('<styleSheet %s><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>' % ns))
z.writestr("xl/worksheets/sheet1.xml", x('<worksheet %s><sheetData>%s</sheetData></worksheet>' % (ns, "".join(rows))))
z.close()
# A zip bomb: a sheet of 80 MB of spaces, a few dozen kilobytes compressed.
z = zipfile.ZipFile("bomb.xlsx", "w", zipfile.ZIP_DEFLATED)
z.writestr("xl/workbook.xml", x('<workbook %s><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>' % ns))
z.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + " " * (80 << 20) + "</worksheet>")
z.close()
# An entity declaration (billion laughs and its kin): refused before any expansion.
z = zipfile.ZipFile("doctype.xlsx", "w", zipfile.ZIP_DEFLATED)
z.writestr("xl/workbook.xml", x('<!DOCTYPE w [<!ENTITY a "aaaa">]><workbook %s/>' % ns))
z.close()
PY
expect_exit 0 sk asset import reg.xlsx
expect_in out "2 added"
expect_in out "(xlsx,"
expect_in err "row 1: not a heading line, skipped as a title"
expect_eq "$(count "a JOIN org_unit o ON o.id = a.unit_id WHERE a.asset_number = 'X-01' AND o.code = 'joho' AND a.conf = '2' AND a.avail = '1' AND a.acquired_on = '2024-04-01' AND a.type = 'hardware'")" 1 "X-01 from the workbook"
expect_eq "$(count "WHERE asset_number = 'X-02' AND type = 'software' AND zone = 'lgwan'")" 1 "X-02 from the workbook"
expect_exit 0 sk asset import reg.xlsx
expect_in out "nothing to change"
expect_exit 2 sk asset import bomb.xlsx
expect_in err "larger than"
expect_exit 2 sk asset import doctype.xlsx
expect_in err "document type"

# An Excel 97-2003 workbook (.xls), read through libfreexl: written here with python3-xlwt.
/usr/bin/python3 - <<'PY'
import datetime, xlwt
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("台帳")
ws.write(0, 0, "情報資産台帳（令和5年度）")
for c, h in enumerate(["No.", "管理番号", "所管課", "種類", "名称・型番", "機密性", "完全性", "可用性", "管理責任者", "ネットワーク区分", "取得日"]):
    ws.write(2, c, h)
date = xlwt.easyxf(num_format_str="yyyy/mm/dd")
for r, (num, unit, name) in enumerate([("L-01", "企画課", "旧台帳の端末"), ("L-02", "joho", "旧台帳の媒体")]):
    row = 3 + r * 2  # an empty row between the two
    for c, v in enumerate([r + 1, num, unit, "ハードウェア" if r == 0 else "記憶媒体", name, 2, 1, 1, "課長", "LGWAN接続系"]):
        ws.write(row, c, v)
    ws.write(row, 10, datetime.date(2023, 4, 1), date)
wb.save("old.xls")
PY
expect_exit 0 sk asset import old.xls
expect_in out "2 added"
expect_in out "(xls,"
expect_in err "row 1: not a heading line, skipped as a title"
expect_eq "$(count "WHERE asset_number = 'L-01' AND type = 'hardware' AND conf = '2' AND acquired_on = '2023-04-01'")" 1 "L-01 from the .xls"
expect_eq "$(count "WHERE asset_number = 'L-02' AND type = 'media'")" 1 "L-02 from the .xls"
expect_exit 0 sk asset import old.xls
expect_in out "nothing to change"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 not really a workbook' >broken.xls
expect_exit 2 sk asset import broken.xls
expect_in err "not a readable Excel 97-2003 workbook"

# A row entered by mistake is removed as a correction, with its reason; not a 廃棄.
id=$(sql "SELECT id FROM assets WHERE asset_number = 'X-02'")
expect_exit 2 sk asset remove "$id"
expect_in err "--reason is required"
expect_exit 0 sk asset remove "$id" --reason "二重登録（財務課の台帳にあり）"
expect_eq "$(count "WHERE id = $id")" 0 "removed asset"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.remove' AND object = 'asset:$id' AND after_json LIKE '%二重登録%'")" 1 "remove entry"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.dispose'")" 0 "no 廃棄 recorded"

# Export: the unit by name; the workbook's title holds the city and the date; levels are numbers.
expect_exit 0 sk asset export -o out.csv
expect_eq "$(head -n1 out.csv | cut -d, -f1-3)" "管理番号,登録番号,所管課" "export headings"
expect_in out.csv ",情報政策課,"
expect_exit 0 sk asset export --format xlsx -o out.xlsx
python3 - <<'PY' || fail "out.xlsx is not the expected workbook"
import re, zipfile
z = zipfile.ZipFile("out.xlsx")
sheet = z.read("xl/worksheets/sheet1.xml").decode()
strings = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() else ""
text = sheet + strings
assert re.search(r"成田市 情報資産台帳（令和\d+年\d+月\d+日現在）", text), "title"
# The 機密性 column (J) of the first asset row (row 5, after the title, date and headings) is a number.
cell = re.search(r'<c r="J5"[^>]*>(.*?)</c>', sheet).group(0)
assert 't="s"' not in cell and 't="str"' not in cell and 't="inlineStr"' not in cell, cell
PY

# A failed export (a character CP932 cannot hold) hands out nothing and records nothing.
expect_exit 0 sk asset add --unit joho --type data --name "絵文字 😀" --conf 1 --integ 1 --avail 1 --manager m --zone internet
n=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.export'")
expect_exit 2 sk asset export --encoding cp932 -o emoji.csv
expect_in err "U+1F600"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.export'")" "$n" "failed export recorded"
