# sekisho asset add|show|list|update|dispose|history: the register (SPEC C5),
# every change and every 機密性3 read in the audit log, bad input exits 2
# naming the field and writes nothing.
. "$SEKISHO_TESTLIB"
fresh_db
export SEKISHO_DB=$DB
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit.key"
expect_exit 0 sk org add --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --code joho --name 情報政策課 --kind section --parent somu
expect_exit 0 sk org add --code zaimu --name 財務部 --kind department --parent narita

expect_exit 0 sk asset add --unit joho --type ハードウェア --name "住基端末 X-100" --conf 3 \
  --integ 2 --avail 2 --manager 情報政策課長 --zone mynumber --mynumber あり \
  --recovery-hours 24 --acquired-on 令和7年4月1日 --location サーバ室 --backup yes
id=$(cat out)
expect_eq "$id" 1 "first asset id"
expect_exit 0 sk asset add --unit zaimu --type document --name 予算資料 --conf 2 --integ 1 \
  --avail 1 --manager 財政課長 --zone lgwan --quantity 3 --json
expect_in out '"label": "機密性2、完全性1、可用性1"'
expect_in out '"conf": 2'

# A listing is not a recorded read: a 機密性3 asset is listed without its details.
expect_exit 0 sk asset list --json
python3 -c '
import json, sys
a = {x["id"]: x for x in json.load(open("out"))}
assert a[1]["details_withheld"] is True and a[1]["location"] is None, a[1]
assert "details_withheld" not in a[2] and a[2]["name"] == "予算資料", a[2]
' || fail "asset list --json must withhold the 機密性3 asset's details"

# show --json has the API shape; a 機密性3 asset's read is on record.
reads() { sql "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.read' AND object = 'asset:1'"; }
expect_eq "$(reads)" 0 "reads before show"
expect_exit 0 sk asset show 1 --json
for k in id name type unit location conf integ avail quantity manager backup disposal_method \
         zone personal mynumber label; do
  expect_in out "\"$k\":"
done
expect_in out '"zone": "mynumber"'
expect_in out '"personal": true'
expect_in out '"acquired_on": "2025-04-01"'
expect_eq "$(reads)" 1 "reads after show"
# The card in the reader's language: Japanese headings and values, or English ones.
LC_ALL=ja_JP.UTF-8 expect_exit 0 sk asset show 1
expect_in out "分類の表示: 機密性3、完全性2、可用性2"
expect_in out "復旧目標時間: 24 時間"
expect_in out "ネットワーク区分: マイナンバー利用事務系"
expect_in out "状態: 使用中"
expect_in out "更新日時: "
expect_in out "+09:00"
LC_ALL=C expect_exit 0 sk asset show 1
expect_in out "Network zone: mynumber"
expect_in out "Specific personal information: yes"
expect_eq "$(reads)" 3 "reads after third show"


# Filters.
expect_exit 0 sk asset list
expect_eq "$(wc -l <out)" 2 "list lines"
expect_exit 0 sk asset list --unit somu
expect_in out "住基端末"
expect_not_in out "予算資料"
expect_exit 0 sk asset list --conf 2 --zone LGWAN接続系 --text 予算
expect_eq "$(cut -f1 out)" 2 "filtered id"
expect_exit 0 sk asset list --type media
expect_eq "$(wc -c <out)" 0 "no media"
expect_exit 2 sk asset list --unit nowhere
expect_in err "unknown unit 'nowhere'"

# Bad input: exit 2, the field named, nothing written.
count() { sql "SELECT (SELECT COUNT(*) FROM assets) || '/' || (SELECT COUNT(*) FROM audit_log)"; }
before=$(count)
expect_exit 2 sk asset add --unit joho --type laptop --name x --conf 1 --integ 1 --avail 1 --manager m --zone lgwan
expect_in err "type (情報資産の種類): unknown type 'laptop'"
expect_exit 2 sk asset add --unit joho --type data --name x --conf 4 --integ 1 --avail 1 --manager m --zone lgwan
expect_in err "conf (機密性): '4' is not a level of 機密性 (expected 3, 2, 1)"
expect_exit 2 sk asset add --unit joho --type data --name x --conf 1 --integ 1 --avail 1 --manager m --zone lgwan --acquired-on 平成32年1月1日
expect_in err "after 平成 ended"
expect_exit 2 sk asset add --unit joho --type data --name x --conf 1 --integ 1 --avail 1 --zone lgwan
expect_in err "manager (管理責任者): is required"
expect_exit 2 sk asset add --unit joho --bogus
expect_exit 2 sk asset show abc
expect_exit 2 sk asset show 99
expect_in err "no asset 99"
expect_eq "$(count)" "$before" "nothing written by bad input"

# Update and dispose, then the history shows who changed what.
expect_exit 0 sk asset update 1 --location 書庫B --quantity 2
expect_exit 2 sk asset update 1
expect_in err "nothing to change"
expect_exit 2 sk asset dispose 1 --operator 山田
# Issue #12 finding 8: nothing is disposed of before it existed (acquired 2025-04-01) nor on a
# day still to come; each refusal changes nothing.
expect_exit 2 sk asset dispose 1 --operator 山田太郎 --record x --on 1999-04-01
expect_in err "disposal date: 1999-04-01 is before the asset existed (acquired on 2025-04-01)"
expect_exit 2 sk asset dispose 1 --operator 山田太郎 --record x --on 2099-04-01
expect_in err "disposal date: 2099-04-01 is in the future"
expect_exit 2 sk asset add --unit joho --type data --name x --conf 1 --integ 1 --avail 1 \
  --manager m --zone lgwan --acquired-on 2099-01-01
expect_in err "2099-01-01 is in the future"
expect_exit 0 sk asset add --unit joho --type data --name 新規 --conf 1 --integ 1 --avail 1 \
  --manager m --zone lgwan
new=$(cat out)
expect_exit 2 sk asset dispose "$new" --operator 山田太郎 --record x --on 2020-01-01
expect_in err "disposal date: 2020-01-01 is before the asset existed (registered on "
expect_exit 0 sk asset dispose 1 --operator 山田太郎 --record "物理破壊（業者A、証明書123）" --on R8.3.31
expect_exit 2 sk asset dispose 1 --operator 山田 --record x
expect_in err "already disposed"
expect_exit 2 sk asset update 1 --note x
expect_exit 0 sk asset list --status disposed
expect_in out "住基端末"
expect_exit 0 sk asset history 1
expect_in out "asset.add"
expect_in out "location: \"サーバ室\" -> \"書庫B\""
expect_in out "quantity: 1 -> 2"
expect_in out "asset.dispose"
expect_in out "disposed_on: null -> \"2026-03-31\""
expect_in out "ciso"
expect_exit 0 sk asset history 1 --json
expect_in out '"action": "asset.update"'
# The log still verifies after all this.
expect_exit 0 sk audit verify --db "$DB"
