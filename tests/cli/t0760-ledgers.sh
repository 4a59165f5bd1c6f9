# Ledgers, their exports and the retention of records (issue #13 part 3) in a Hachioji
# installation: requests filed and decided through `sekisho request`, every ledger exported as CSV
# (UTF-8, BOM, CP932) and .xlsx with the headings the seeds and the contract name, scope by
# --as, a CP932 failure not recorded, and `record purge` refused inside the retention period
# (八王子 7(6)ク: 7 years; the records the guideline keeps without a period: for ever) and
# allowed after it, with `audit verify` passing afterwards.
. "$SEKISHO_TESTLIB"
fresh_db
# A Hachioji installation: a 課 (市民課) and a designated manager (指定管理者) under 市民部.
expect_exit 0 sk init --db "$DB" --profile hachioji --admin chief --key "$PWD/audit.key"
SK_AS=chief
expect_exit 0 sk org add --db "$DB" --code shimin --name 市民部 --kind department --parent hachioji
expect_exit 0 sk org add --db "$DB" --code shiminka --name 市民課 --kind section --parent shimin
expect_exit 0 sk org add --db "$DB" --code center-dm --name 市民センター指定管理者 \
  --kind designated_manager --parent shimin
for u in ikeda.saki:center-dm:staff mori.akira:center-dm:dm_officer kato.yuki:shiminka:staff \
  kobayashi.mai:shiminka:security_manager abe.naoki:hachioji:auditor; do
  IFS=: read -r login unit role <<<"$u"
  echo "Tst#2026-$login-X9" | expect_exit 0 sk user add --db "$DB" --login "$login" \
    --name "$login" --unit "$unit" --role "$role" --password-stdin
done
asset() { # unit conf name [flags…]: adds an asset, prints its id
  local unit=$1 conf=$2 name=$3; shift 3
  sk asset add --db "$DB" --unit "$unit" --type document --name "$name" --conf "$conf" \
    --integ 2 --avail 1 --manager 責任者 --location 事務室の施錠書庫 "$@"
}
rid() { python3 -c 'import json,sys; print(json.load(open("out"))["id"])'; }
CONF3=$(asset center-dm 3 講座受講者名簿 --zone internet)
USB=$(asset center-dm 2 'USBメモリ（報告書提出用）' --zone internet)
JUKI=$(asset shiminka 3 住民基本台帳データ --zone mynumber --mynumber yes)
SG=encrypt_or_password,locked_case,record

# 持ち出し (八王子 7(7)イ: 情報セキュリティ対策責任者の許可): one approved, one returned.
expect_exit 0 sk request file --db "$DB" --as ikeda.saki --kind take_out --asset "$CONF3" \
  --reason 出張講座 --safeguards $SG --json \
  --details '{"destination":"市民センター分館","from":"2026-12-07","until":"2026-12-08","purpose":"出張講座の受付"}'
T1=$(rid)
expect_exit 0 sk request file --db "$DB" --as ikeda.saki --kind take_out --asset "$USB" \
  --reason 報告書 --safeguards $SG --json \
  --details '{"destination":"八王子市役所","from":"2026-12-07","until":"2026-12-07","purpose":"報告書の提出"}'
T2=$(rid)
expect_exit 0 sk request approve --db "$DB" --as mori.akira "$T1"
expect_exit 0 sk request approve --db "$DB" --as mori.akira --comment 了承 "$T2"
expect_exit 0 sk request complete --db "$DB" --as ikeda.saki --fields '{"returned_on":"2026-12-07"}' "$T2"
# 特定個人情報の取扱記録 (7(6)ク), 鍵管理簿 (8(7)), 入退室 (8(5)).
expect_exit 0 sk request file --db "$DB" --as kato.yuki --kind mynumber_handling --asset "$JUKI" \
  --reason 転入処理 --json --details '{"affair":"住民基本台帳事務","handling":"利用","on":"2026-12-01","records":3}'
M1=$(rid)
expect_exit 0 sk request file --db "$DB" --as kato.yuki --kind key_loan --reason 書庫の鍵 --json \
  --details '{"key":"書庫3","lent_on":"2026-12-01"}'
K1=$(rid)
expect_exit 0 sk request complete --db "$DB" --as kato.yuki --fields '{"returned_on":"2026-12-02"}' "$K1"
expect_exit 0 sk request file --db "$DB" --as kato.yuki --kind zone_entry --reason 保守立会い --json \
  --details '{"zone":"サーバ室","entered_at":"2026-12-01 10:00","escort":"鈴木 一郎"}'
Z1=$(rid)
expect_exit 0 sk request complete --db "$DB" --as kato.yuki --fields '{"left_at":"2026-12-01 11:30"}' "$Z1"

# The headings, written from the seeds and the contract: the request, the asset (八王子 7(2)),
# the kind's fields, the decision and its steps.
HEAD='申請番号,状態,申請日時,申請者,所属コード,所属,情報資産,名称・型番,機密性,保管場所,理由'
TAIL='承認者の役職,承認者,代行,決裁日時,完了日時,経過'
declare -A WANT=(
  [take_out]="$HEAD,持ち出し先,持ち出し日,返却予定日,目的,持ち出す物,持ち出した日,返却日,$TAIL"
  [disposal]="$HEAD,廃棄方法,廃棄日,担当者,廃棄事業者,製造番号,廃棄証明書,廃棄した日,$TAIL"
  [key_loan]="$HEAD,鍵,借受者,貸出日,返却日,$TAIL"
  [zone_entry]="$HEAD,管理区域,入室日時,立会者,目的,退室日時,$TAIL"
  [mynumber_handling]="$HEAD,事務,取扱いの内容,取扱日,件数,$TAIL"
  [exception]="$HEAD,適用範囲,期間（開始）,期間（終了）,代替措置,対象の行為,緊急（事後報告）,$TAIL"
)
exports() { sql "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.export'"; }
for name in take_out disposal key_loan zone_entry mynumber_handling exception; do
  want=${WANT[$name]}
  expect_exit 0 sk ledger export --db "$DB" --format csv --out "$name.csv" "$name"
  expect_eq "$(head -n 1 "$name.csv" | tr -d '\r')" "$want" "$name UTF-8 headings"
  expect_exit 0 sk ledger export --db "$DB" --format csv --encoding utf-8-bom --out "$name-bom.csv" "$name"
  expect_eq "$(head -c 3 "$name-bom.csv" | od -An -tx1 | tr -d ' \n')" efbbbf "$name BOM"
  expect_exit 0 sk ledger export --db "$DB" --format csv --encoding cp932 --out "$name-sjis.csv" "$name"
  # The CP932 bytes of the headings, encoded here by Python's codec, not by sekisho.
  python3 - "$name-sjis.csv" "$want" <<'PY' || fail "$name: CP932 headings"
import sys
data = open(sys.argv[1], "rb").read()
want = (sys.argv[2] + "\r\n").encode("cp932")
sys.exit(0 if data.startswith(want) else 1)
PY
  expect_exit 0 sk ledger export --db "$DB" --format xlsx --out "$name.xlsx" "$name"
  unzip -p "$name.xlsx" 'xl/worksheets/sheet1.xml' 'xl/sharedStrings.xml' >sheet 2>/dev/null || true
  IFS=, read -ra heads <<<"$want"
  for h in "${heads[@]}"; do expect_in sheet "$h"; done
done
expect_eq "$(exports)" 24 "one ledger.export entry per export"
# Rows: the take-out ledger holds both, the returned one completed, its steps and approver.
expect_in take_out.csv 市民センター分館
expect_in take_out.csv 了承
expect_in take_out.csv 完了
expect_in mynumber_handling.csv 住民基本台帳事務
expect_in key_loan.csv 書庫3
expect_in zone_entry.csv 2026-12-01 11:30
# An export carries the 機密性3 asset's details (recorded as a whole); a listing withholds them.
loc=$(sql "SELECT location FROM assets WHERE id = $CONF3")
expect_in take_out.csv "$loc"
expect_exit 0 sk ledger list --db "$DB" --json take_out
python3 - "$T1" <<'PY' || fail "the listing shows a 機密性3 location"
import json, sys
rows = {r["id"]: r for r in json.load(open("out"))["rows"]}
r = rows[int(sys.argv[1])]
sys.exit(0 if r.get("details_withheld") and r["asset_location"] is None else 1)
PY
# Filters: status, unit, dates.
expect_exit 0 sk ledger list --db "$DB" --json --status completed take_out
python3 -c 'import json,sys; ids=[r["id"] for r in json.load(open("out"))["rows"]]; sys.exit(0 if ids == [int(sys.argv[1])] else 1)' "$T2" \
  || fail "status filter"
expect_exit 2 sk ledger list --db "$DB" --status done take_out
expect_in err status
expect_exit 2 sk ledger list --db "$DB" --from 2026-12-10 --until 2026-12-01 take_out
expect_in err until
expect_exit 2 sk ledger list --db "$DB" nosuch
expect_exit 0 sk ledger list --db "$DB" --json --from 2099-01-01 take_out
expect_in out '"rows": []'

# Scope: the 市民課長 reads the 市民課's ledgers, not the designated manager's; the auditor
# (at the root) reads all; a member of staff holds no ledger.read.
expect_exit 0 sk ledger list --db "$DB" --as kobayashi.mai --json take_out
expect_in out '"rows": []'
expect_exit 0 sk ledger list --db "$DB" --as kobayashi.mai --json mynumber_handling
expect_in out 住民基本台帳事務
expect_exit 0 sk ledger export --db "$DB" --as abe.naoki --format csv take_out
expect_in out 市民センター分館
expect_exit 2 sk ledger list --db "$DB" --as kato.yuki take_out
expect_in err ledger.read

# A character CP932 cannot hold: the export fails, writes no file and is not recorded.
expect_exit 0 sk request file --db "$DB" --as kato.yuki --kind key_loan --reason '𠮷野家の鍵' --json \
  --details '{"key":"倉庫","lent_on":"2026-12-03"}'
before=$(exports)
expect_exit 2 sk ledger export --db "$DB" --format csv --encoding cp932 --out bad.csv key_loan
[ ! -e bad.csv ] || fail "a failed export left bad.csv"
expect_eq "$(exports)" "$before" "a failed export is not recorded"

# Retention. A 特定個人情報 handling record is kept 7 years (八王子 7(6)ク): three years old, a
# purge is refused, naming the entry and its citation, and nothing is deleted.
ago() { date -u -d "$1" +%s; }
# --before names a day of the city's calendar (JST); a UTC date is yesterday there before 09:00.
day() { date -u -d "@$(($(date -u -d "$1" +%s) + 9 * 3600))" +%F; }
sql "UPDATE requests SET created_at = $(ago '-3 years'), updated_at = $(ago '-3 years') WHERE id = $M1"
n=$(sql "SELECT COUNT(*) FROM requests")
expect_exit 2 sk record purge --db "$DB" --before "$(day '-2 years')"
expect_in err mynumber_records
expect_in err '7(6)ク'
expect_eq "$(sql "SELECT COUNT(*) FROM requests")" "$n" "nothing purged"
# The key register names no period (8(7)): kept for ever, whatever its age.
sql "UPDATE requests SET created_at = $(ago '-8 years'), updated_at = $(ago '-8 years') WHERE id = $M1"
sql "UPDATE requests SET created_at = $(ago '-9 years'), updated_at = $(ago '-9 years') WHERE id = $K1"
expect_exit 2 sk record purge --db "$DB" --before "$(day '-2 years')"
expect_in err key_records
expect_in err '8(7)'
expect_eq "$(sql "SELECT COUNT(*) FROM requests")" "$n" "nothing purged"
sql "UPDATE requests SET created_at = $(ago '-1 day'), updated_at = $(ago '-1 day') WHERE id = $K1"
# Eight years old, the handling record's period has ended: a dry run, then the purge.
sql "UPDATE requests SET created_at = $(ago '-8 years'), updated_at = $(ago '-8 years') WHERE id = $M1"
expect_exit 0 sk record purge --db "$DB" --before "$(day '-7 years')" --dry-run --json
expect_in out '"count": 1'
expect_eq "$(sql "SELECT COUNT(*) FROM requests")" "$n" "a dry run deletes nothing"
expect_exit 0 sk record purge --db "$DB" --before "$(day '-7 years')" --json
python3 -c 'import json,sys; r=json.load(open("out"))["requests"]; sys.exit(0 if r["ids"] == [[int(sys.argv[1])] * 2] else 1)' "$M1" \
  || fail "the purge names the record it deleted"
expect_eq "$(sql "SELECT COUNT(*) FROM requests")" "$((n - 1))" "one record purged"
expect_eq "$(sql "SELECT COUNT(*) FROM request_steps WHERE request_id = $M1")" 0 "its steps purged"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'record.purge'")" 1 "one record.purge entry"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE object = 'request:$M1'")" -ge 1 ] || fail "its audit entries are gone"
# Today's take-outs: kept for ever under take_out_records (7(7)イ).
expect_exit 2 sk record purge --db "$DB" --before "$(day '+1 day')"
expect_in err take_out_records
expect_in err '7(7)イ'
expect_exit 0 sk audit verify --db "$DB"
