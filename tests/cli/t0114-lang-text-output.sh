# The text (not --json) output of the listing, show and report commands, with data present, in
# the reader's language (issue 15 item 1): run with LANG=ja_JP.UTF-8 and with LANG=C, a Japanese
# run may show no English word a person reads (ids, codes, logins, file names, hashes and the
# stable name beside a label in parentheses aside: the allow-list below) and an English run no
# Japanese word beyond the data the test entered and the profile's own titles. The words each
# language must show are held here, from the seeds' and the guideline's wording (承認が必要 for
# require_approval, 復元不可能な消去 for irrecoverable_erase, 対応中 for an incident being handled).
. "$SEKISHO_TESTLIB"
fresh_db
P='Tst#2026-textout-X9'
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit.key"
export SEKISHO_AUDIT_KEY="$PWD/audit.key"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --db "$DB" --code kanri --name 管理課 --kind section --parent somu
for u in "sato staff" "suzuki system_manager" "tanaka security_manager"; do
  set -- $u
  printf '%s\n' "$P" | expect_exit 0 sk user add --db "$DB" --login "$1" --name "$1" --unit kanri \
    --role "$2" --expires 2027-03-31 --password-stdin
done
expect_exit 0 sk asset add --db "$DB" --unit kanri --type hardware --name 端末 --conf 2 --integ 2 \
  --avail 1 --manager 管理課長 --zone lgwan --json
PC=$(jq .id out)
expect_exit 0 sk asset update --db "$DB" "$PC" --location 事務室
D='{"destination": "市民会館", "from": "2026-12-10", "until": "2026-12-11", "purpose": "説明会"}'
expect_exit 0 sk request file --db "$DB" --as sato --kind take_out --asset "$PC" --reason 出張 \
  --details "$D" --safeguards record --json
expect_exit 0 sk incident report --db "$DB" --unit kanri --title 誤送信 --description 誤送信 \
  --found-at 2026-01-05T09:00:00+09:00 --severity low --json
INC=$(jq .id out)
expect_exit 0 sk incident respond --db "$DB" "$INC" --cause 宛先の誤り --prevention 二重確認
printf 'log\n' > mail.log
expect_exit 0 sk incident attach --db "$DB" "$INC" mail.log --media-type text/plain
mkdir in outja outen
cp "$SEKISHO_SRC/tests/mail/corpus/05-alternative.eml" in/

# Words a Japanese run may show: ids and codes a person does not read as English (logins, unit
# codes, the actor cli:root and its address, file names, the audit log's action "decision").
allowed=' ciso sato suzuki tanaka narita setagaya somu kanri cli root admin token sha mail log eml
  alternative builtin decision LGWAN ID FILE '
# Japanese the data holds (what the test entered, the city, the profile's titles and levels):
# an English run may show it.
data='成田 (基準|方針) [^ ,]*|総務部|管理課|管理課長|端末|事務室|出張|誤送信|宛先の誤り|二重確認|成田市[^ ]*|成田|基準|機密性[0-9]|完全性[0-9]|可用性[0-9]|[^ ]*責任者[^ ]*|[^ ]*管理者[^ ]*|[^ ]*担当者|職員等|[^ ]*監査人|市民会館|説明会|、'

# check_ja FILE / check_en FILE: the output of a Japanese run holds no English word a person
# reads once the parentheses (the stable names beside labels), JSON images and hashes are left
# out, but the allow-list's; an English run's no hiragana or katakana outside parentheses and data.
check_ja() {
  local w bad
  bad=$(sed -E 's/（[^）]*）//g; s/\([^)]*\)//g; s/\{.*\}//; s/sha256[=: ][0-9a-f]+//g; s/[a-z_]+\.[a-z_]+//g' "$1" |
    grep -oE '[A-Za-z]{2,}' | sort -u | while read -r w; do
      case "$allowed" in *" $w "*) ;; *) echo "$w" ;; esac
    done)
  [ -z "$bad" ] || { cat "$1"; fail "$1: English words in a Japanese run: $(echo $bad)"; }
}
check_en() {
  local bad
  bad=$(sed -E 's/（[^）]*）//g; s/\([^)]*\)//g' "$1" | sed -E "s/$data//g" |
    grep -P '[\x{3041}-\x{30ff}]' || true)
  [ -z "$bad" ] || { cat "$1"; fail "$1: Japanese in an English run: $bad"; }
}
# lang ja|en NAME ARGS...: runs sekisho ARGS in one language into NAME.ja or NAME.en and checks it.
lang() {
  local l=$1 name=$2 rc; shift 2
  set +e
  sk_env LANG="$([ "$l" = ja ] && echo ja_JP.UTF-8 || echo C)" LC_ALL= LC_MESSAGES= "$@" \
    </dev/null >"$name.$l" 2>"$name.$l.err"
  rc=$?
  set -e
  [ "$rc" -le 1 ] || { cat "$name.$l.err"; fail "LANG $l sekisho $*: exit $rc"; }
  [ -s "$name.$l" ] || fail "LANG $l sekisho $*: printed nothing"
  "check_$l" "$name.$l"
}
# both NAME ARGS...: the same command in both languages (one that changes nothing).
both() { lang ja "$@"; lang en "$@"; }
# filtered ja|en NAME FILTER ARGS...: runs sekisho ARGS in one language (it must succeed; its whole
# output stays in out), passes the output through the shell function FILTER (which leaves out what
# is data, not sentences) into NAME.ja or NAME.en and checks that.
filtered() {
  local l=$1 name=$2 filter=$3; shift 3
  expect_exit 0 sk_env LANG="$([ "$l" = ja ] && echo ja_JP.UTF-8 || echo C)" "$@"
  "$filter" <out >"$name.$l"
  "check_$l" "$name.$l"
}

both decide decide --profile narita --action dispose --conf 3
expect_in decide.ja "判断: 承認が必要（require_approval）"
expect_in decide.ja "安全対策: 復元不可能な消去（irrecoverable_erase）"
expect_in decide.ja "根拠: 成田 基準 2(2)⑩ウ"
expect_in decide.en "decision: require_approval"
expect_in decide.en "safeguard: irrecoverable_erase"
both forbid decide --profile narita --action take_out --conf 3
expect_in forbid.ja "判断: 禁止（forbid）"
expect_in forbid.ja "例外措置: 可能"
expect_in forbid.en "exception possible: yes"
both unit decide --db "$DB" --unit kanri --action take_out --conf 2
expect_in unit.ja "文書: 成田市"
expect_in unit.ja "、主たる文書）"
expect_in unit.en ", primary)"

both incshow incident show --db "$DB" "$INC"
expect_in incshow.ja "件名: 誤送信"
expect_in incshow.ja "種別: 情報セキュリティインシデント"
expect_in incshow.ja "重大度: 低"
expect_in incshow.ja "状態: 対応中"
expect_in incshow.ja "対応者: 情報セキュリティ管理者"
expect_in incshow.ja "再発防止策: 二重確認"
expect_in incshow.ja "証拠: mail.log 4 バイト"
expect_in incshow.en "status: responding"
expect_in incshow.en "attachment: mail.log 4 bytes"
# Times in the city's time zone.
expect_in incshow.ja "+09:00"
expect_not_in incshow.ja "+00:00"
# A step that passed over a role nobody holds (no 統括情報セキュリティ責任者 is appointed here):
# the role by 成田's title in Japanese, by the guideline's English title in English, its key in
# the JSON (issue 15 item 1: nothing English is stored).
expect_exit 0 sk incident report --db "$DB" --unit kanri --title 誤送信 --description 誤送信 \
  --found-at 2026-01-05T09:00:00+09:00 --severity low --json
INC2=$(jq .id out)
expect_exit 0 sk incident escalate --db "$DB" "$INC2" --comment 二重確認
both incskip incident show --db "$DB" "$INC2"
expect_in incskip.ja "二重確認"
expect_in incskip.ja "報告経路に役割を持つ者がいないため飛ばしました：統括情報セキュリティ責任者（総務部長）"
expect_in incskip.ja "対応者: 最高情報セキュリティ責任者（副市長）"
expect_in incskip.en "passed over (no holder in the reporting line): General information security manager"
expect_in incskip.en "role: Chief Information Security Officer"
expect_not_in incskip.en "general_manager"
LANG=C expect_exit 0 sk incident show --db "$DB" "$INC2" --json
jq -e '.steps[1].skipped_roles == ["general_manager"] and .steps[1].role == "ciso"
       and .steps[1].role_label == "Chief Information Security Officer"
       and .steps[1].comment == "二重確認\npassed over (no holder in the reporting line): General information security manager"' \
  out >/dev/null || fail "skipped roles in the JSON: $(cat out)"
[ "$(sql "SELECT skipped_roles || '|' || comment FROM incident_steps WHERE incident_id = $INC2 AND action = 'escalate'")" = "general_manager|二重確認" ] ||
  fail "the step's stored data: $(sql "SELECT skipped_roles, comment FROM incident_steps")"
both inclist incident list --db "$DB"
expect_in inclist.ja "対応中"
expect_in inclist.en "responding"

both users user list --db "$DB"
expect_in users.ja "有効"
expect_in users.ja "（2027-03-31 まで有効）"
expect_in users.ja "組織 kanri: 情報セキュリティ管理者"
expect_in users.en "security_manager at kanri"
both user user show --db "$DB" sato
expect_in user.ja "作成 "
expect_in user.en "created "
both roles role list --db "$DB"
expect_in roles.ja "情報システム管理者"
lang ja grant role grant --db "$DB" --login sato --role auditor --unit narita
expect_in grant.ja "役割 情報セキュリティ監査人 を sato に付与しました"
lang ja revoke role revoke --db "$DB" --login sato --role auditor --unit narita
expect_in revoke.ja "役割 情報セキュリティ監査人 を sato から取り消しました"
lang en grant role grant --db "$DB" --login sato --role auditor --unit narita
expect_in grant.en "granted role Information security auditor to sato at narita"
lang en revoke role revoke --db "$DB" --login sato --role auditor --unit narita
expect_in revoke.en "revoked role Information security auditor from sato at narita"

both requests request list --db "$DB" --as suzuki --box all
expect_in requests.ja "持ち出し 承認待ち 申請者=sato 承認者=情報システム管理者"
expect_in requests.en "take_out pending requester=sato approver=system_manager"

both orgs org list --db "$DB"
expect_in orgs.ja "kanri  管理課  [課、ID 3]"
expect_in orgs.en "kanri  管理課  [section, id 3]"
both check org check --db "$DB"
expect_in check.ja "必要ですが"

both assets asset list --db "$DB"
expect_in assets.ja "ハードウェア"
expect_in assets.ja "LGWAN接続系"
expect_in assets.ja "使用中"
expect_in assets.en "hardware"
both card asset show --db "$DB" "$PC"
expect_in card.ja "情報資産の種類: ハードウェア"
both history asset history --db "$DB" "$PC"
expect_in history.ja "+09:00"
expect_not_in history.ja "+00:00 "

both versions policy versions --db "$DB"
expect_in versions.ja "1 適用中 narita"
both set policy set show --db "$DB"
expect_in set.ja "主たる文書"
expect_in set.ja "地方公共団体、部、課"
# policy check's verdict line (its advisories and the reporting chain are src/policy's text).
LANG=ja_JP.UTF-8 expect_exit 0 sk policy check "$SEKISHO_SRC/policies/narita.yaml"
tail -n 1 out | sed "s|$SEKISHO_SRC/policies/narita.yaml|FILE|" >pcheck.ja
check_ja pcheck.ja
expect_in pcheck.ja "正しいプロファイルです（成田市、助言 2 件）"
LANG=C expect_exit 0 sk policy check "$SEKISHO_SRC/policies/narita.yaml"
expect_in out "narita.yaml: ok (成田市, 2 advisories)"

both purgedry record purge --db "$DB" --before 2020-01-01 --dry-run
expect_in purgedry.ja "試行のため何も削除していません"
expect_in purgedry.en "would purge 0 requests and 0 incidents"
both purge record purge --db "$DB" --before 2020-01-01
expect_in purge.ja "を削除しました"
expect_in purge.en "purged 0 requests"

lang ja san sanitize --in in --out outja
lang en san sanitize --in in --out outen
expect_in san.ja "成功 05-alternative.eml"
expect_in san.ja "無害化 1 通、失敗 0 通"
expect_in san.en "ok   05-alternative.eml"
expect_in san.en "sanitized 1, failed 0"

# The retention of records: the kinds by their titles, the periods in words (the entries' ids,
# the profile's identifiers, aside).
lang en retention record retention --db "$DB"
expect_in retention.en "request take_out → take_out_records: forever (period unspecified) [成田 基準 4(1)①オ]"
LANG=ja_JP.UTF-8 expect_exit 0 sk record retention --db "$DB"
sed -E 's/ → [a-z_]+:/ →:/' out >retention.ja
check_ja retention.ja
expect_in retention.ja "申請 持ち出し →: 期限なし（保存期間が示されていません） [成田 基準 4(1)①オ]"
expect_in retention.ja "インシデント 障害記録 →: "

# password check: a refusal names the rule by its label, and the floor's reason in words.
printf 'password1\n' >pw
LANG=ja_JP.UTF-8 expect_exit 0 sk password check --profile narita <pw
sed 's/NIST SP 800-63B-4 3.1.1.2//' out >pw.ja
check_ja pw.ja
expect_in pw.ja "違反: よく使われるパスワードの禁止"
expect_in pw.ja "よく使われるパスワード又はその変形です"
LANG=C expect_exit 0 sk password check --profile narita <pw
cp out pw.en
check_en pw.en
expect_in pw.en "violation: common_password (the floor under every profile"

# A ledger: headings, status, the approver's role and yes/no in the reader's language (the
# steps column is src/domain's text, Japanese in both runs, so the English run is not scanned).
lang ja ledger ledger list --db "$DB" take_out
expect_in ledger.ja "申請番号	状態	申請日時"
expect_in ledger.ja "	承認待ち	"
LANG=C expect_exit 0 sk ledger list --db "$DB" take_out
expect_in out "Request no.	Status	Filed at"
expect_in out "	pending	"

# decide --explain: the trail's sentences in the reader's language (issue 15 item 1); the rules'
# ids stand in parentheses, the articles are quoted as the profile gives them (data).
lang ja explain decide --profile narita --action dispose --conf 3 --explain
LANG=C expect_exit 0 sk decide --profile narita --action dispose --conf 3 --explain
grep -v '^    note: ' out >explain.en
check_en explain.en
expect_in explain.ja "件の規則（行為: 廃棄）:"
expect_in explain.ja "承認が必要: 該当 → 採用 [成田 基準 2(2)⑩イ, 成田 基準 2(2)⑩ウ]"
expect_in explain.ja "    条文: 情報資産の廃棄を行う者は"
expect_in explain.ja "採用した判断のうち最も厳しいもの: 承認が必要"
expect_in explain.ja "結果: {"
expect_in explain.en "rule(s) for dispose:"
expect_in explain.en "require_approval: matched -> kept [成田 基準 2(2)⑩イ, 成田 基準 2(2)⑩ウ]"
expect_in explain.en "strictest kept decision: require_approval"
# (What a rule wants is the profile's words: its roles untitled in 世田谷's excerpt by their names.)
LANG=ja_JP.UTF-8 expect_exit 0 sk decide --profile setagaya --action connect_network --zone lgwan --explain
sed -E 's/規則が求めるのは .* →/→/' out >silent.ja
check_ja silent.ja
lang en silent decide --profile setagaya --action connect_network --zone lgwan --explain
expect_in silent.ja "該当しない"
expect_in silent.ja "行為者の指定なしで成り立ち得る最も厳しいものを適用"
expect_in silent.en "that can hold with no actor given applies (3 rule(s) for named actors only left out)"

# policy check's reporting chain (sk_policy_incident_describe): the roles by the profile's titles,
# the severities and hours in words; the article's wording 「…」 and the citations are data.
chain_ja() { sed -n '/^インシデント:/,/^  終結させる者:/p'; }
chain_en() { sed -n '/^incidents:/,/^  closed by:/p' | sed -E 's/ \(「[^」]*」[^)]*\)//'; }
filtered ja chain chain_ja policy check "$SEKISHO_SRC/policies/narita.yaml"
expect_in chain.ja "  1. 情報セキュリティ管理者"
expect_in chain.ja " 高:1 時間 中:4 時間 低:24 時間"
expect_in chain.ja "  報告を受ける者: 情報セキュリティ責任者"
expect_in chain.ja "  終結させる者: 統括情報セキュリティ責任者（総務部長） [成田 基準 4(3)③"
filtered en chain chain_en policy check "$SEKISHO_SRC/policies/narita.yaml"
expect_in chain.en "  1. Information security manager high:1h medium:4h low:24h"
expect_in chain.en "  informed: Information security officer, Information system manager"
expect_in chain.en "  closed by: General information security manager [成田 基準 4(3)③"

# policy check's advisories: the profile's keys (passwords.…) and the guideline's name are not
# sentences; the rest is in the reader's language.
adv_ja() { grep ': 助言: ' | sed -E 's|^[^ ]*narita.yaml:[0-9]+:||; s/passwords\.[a-z_.]+//; s/NIST SP 800-63B-4//'; }
adv_en() { grep ': advisory: '; }
filtered ja adv adv_ja policy check "$SEKISHO_SRC/policies/narita.yaml"
[ "$(wc -l <adv.ja)" -eq 2 ] || fail "two advisories expected in Japanese: $(cat out)"
expect_in out "助言: passwords.normal.min_length 4 は、NIST SP 800-63B-4 がすべてのパスワードに求める 8 文字を下回っています"
filtered en adv adv_en policy check "$SEKISHO_SRC/policies/narita.yaml"
expect_in adv.en "advisory: passwords.normal.min_length 4 is below the 8 characters"

# policy coverage: the summary and the headings in the reader's language (the articles listed
# under them are the profile's ids and titles: data, so only the other lines are checked).
headings() { grep -v '^  '; }
filtered ja cov headings policy coverage "$SEKISHO_SRC/policies/narita.yaml"
expect_in cov.ja "成田市（narita）: 条項 "
expect_in cov.ja "符号化済み（"
expect_in cov.ja "義務はあるが、原文に期間の定めがないもの（"
filtered en cov headings policy coverage "$SEKISHO_SRC/policies/narita.yaml"
expect_in cov.en "成田市 (narita): "
expect_in cov.en "required, but the seed states no period ("

# --help and the usage after a bad command line, for every noun and verb `sekisho --help` lists
# (issue 15 item 1): in Japanese the headings, placeholders and descriptions are Japanese, only
# option names, the words a person types (keys: take_out, yes|no) and the program's name stay
# ASCII; in English (LANG=C or --lang en) they read as before.
# Words a Japanese help may show: the names of formats, systems and titles a Japanese reader
# reads in Latin letters, and the environment variables named.
help_allowed=' sekisho CSV JSON OSCAL LGWAN CISO HTTP API Web Unix LANG '
# check_help_ja FILE: FILE holds no English word but those, once option names (--db, -o), the
# command's name (sekisho asset add), keys offered as alternatives (csv|xlsx, .xlsx) and the keys
# that begin an indented line (a request kind's fields, init's profiles) are left out.
check_help_ja() {
  local w bad
  bad=$(sed -E 's/（[^）]*）//g; s/「[a-z][a-z -]*」//g; s/SEKISHO_[A-Z_]+//g; s/(^|[ [(|]|「)--?[a-z][a-z0-9-]*/\1/g;
      s/sekisho( [a-z][a-z-]*)*//g; s/[a-z0-9_.-]*(\|[a-z0-9_.-]+)+//g; s/\|[a-z]+//g;
      s/\.[a-z]+//g; s/^ +[a-z][a-z0-9_-]*\*?//' "$1" |
    grep -oE '[A-Za-z]{2,}' | sort -u | while read -r w; do
      case "$help_allowed" in *" $w "*) ;; *) echo "$w" ;; esac
    done)
  [ -z "$bad" ] || { cat "$1"; fail "$1: English words in a Japanese help: $(echo $bad)"; }
}
# help_both NAME ARGS...: sekisho ARGS --help in both languages (Japanese by LANG, English by
# LANG=C, and by --lang en over a Japanese LANG), each starting with its heading; then an option
# no command takes: the message and the usage on stderr, exit 2, in each language.
help_both() {
  local name=$1; shift
  sk_env LANG=ja_JP.UTF-8 LC_ALL= LC_MESSAGES= "$@" --help </dev/null >"$name.ja" 2>&1 ||
    fail "sekisho $* --help in Japanese: exit $?"
  head -n 1 "$name.ja" | grep -q '^使い方: sekisho' || fail "sekisho $* --help: $(head -n 1 "$name.ja")"
  check_help_ja "$name.ja"
  sk_env LANG=C LC_ALL= LC_MESSAGES= "$@" --help </dev/null >"$name.en" 2>&1 ||
    fail "sekisho $* --help in English: exit $?"
  head -n 1 "$name.en" | grep -q '^usage: sekisho' || fail "sekisho $* --help: $(head -n 1 "$name.en")"
  sk_env LANG=ja_JP.UTF-8 LC_ALL= LC_MESSAGES= "$@" --help --lang en </dev/null >"$name.lang" 2>&1
  cmp -s "$name.en" "$name.lang" || fail "sekisho $* --help --lang en differs from LANG=C"
  # (init's shipped profiles describe themselves in Japanese: data.)
  sed '/^shipped profiles/,$d' "$name.en" >"$name.en.own"
  check_en "$name.en.own"
  local rc
  set +e
  sk_env LANG=ja_JP.UTF-8 LC_ALL= LC_MESSAGES= "$@" --no-such-option </dev/null >/dev/null 2>"$name.bad.ja"
  rc=$?
  sk_env LANG=C LC_ALL= LC_MESSAGES= "$@" --no-such-option </dev/null >/dev/null 2>"$name.bad.en"
  set -e
  [ "$rc" -eq 2 ] || fail "sekisho $* --no-such-option: exit $rc"
  grep -q '^使い方: sekisho' "$name.bad.ja" || fail "sekisho $* --no-such-option: no usage: $(cat "$name.bad.ja")"
  grep -q '^usage: sekisho' "$name.bad.en" || fail "sekisho $* --no-such-option: no usage: $(cat "$name.bad.en")"
  check_help_ja "$name.bad.ja"
  check_en "$name.bad.en"
}

LANG=C expect_exit 0 sk --help
nouns=$(awk '/^  [a-z]/ {print $1}' out)
[ "$(echo "$nouns" | wc -l)" -ge 18 ] || fail "sekisho --help lists too few commands: $nouns"
LANG=ja_JP.UTF-8 expect_exit 0 sk --help
cp out top.ja
check_help_ja top.ja
expect_in top.ja "使い方: sekisho <コマンド> [<引数>]"
expect_in top.ja "--lang ja|en"
helps=0
for n in $nouns; do
  help_both "$n" "$n"
  helps=$((helps + 1))
  # The verbs of a noun (and of a noun within it: policy set): each with its line of description.
  verbs=$(awk -v n="$n" '$1 == "sekisho" && $2 == n && $3 ~ /^[a-z]/ {print $3}' "$n.en")
  for v in $verbs; do
    help_both "$n-$v" "$n" "$v"
    helps=$((helps + 1))
    subs=$(awk -v n="$n" -v v="$v" '$1 == "sekisho" && $2 == n && $3 == v && $4 ~ /^[a-z]/ && $4 !~ /\|/ {print $4}' "$n-$v.en")
    for s in $subs; do
      help_both "$n-$v-$s" "$n" "$v" "$s"
      helps=$((helps + 1))
    done
  done
done
[ "$helps" -ge 70 ] || fail "only $helps commands' --help were read"
# Every verb's line is followed by its description in the reader's language.
expect_in request.ja "  sekisho request approve --db データベース --as ログイン名 [--comment 文字列] 番号"
grep -A1 '^  sekisho request approve ' request.ja | tail -n 1 | grep -q '^      .*承認' ||
  fail "request --help: no description under approve: $(cat request.ja)"
grep -A1 '^  sekisho request approve ' request.en | tail -n 1 | grep -q '^      approve' ||
  fail "request --help: no English description under approve"
expect_in policy-set.ja "  sekisho policy set add --db データベース 版 --units-of-kind 種類[,種類]"
expect_in request-approve.ja "使い方: sekisho request approve --db データベース --as ログイン名 [--comment 文字列] 番号"
expect_in request-approve.en "usage: sekisho request approve --db URL --as LOGIN [--comment TEXT] ID"
# An audit entry is named by its number (番号), not a count (数).
expect_in audit-show.ja "使い方: sekisho audit show [--db データベース] --seq 番号"
expect_in audit-show.en "usage: sekisho audit show [--db URL] --seq N"
# request file: every kind's details, each key beside its title from the field schema.
expect_in request-file.ja "申請の種類と詳細の項目（* は必須）:"
expect_in request-file.ja "  take_out（持ち出し）"
grep -qE '^    destination\* +持ち出し先$' request-file.ja || fail "request file --help: $(cat request-file.ja)"
expect_in request-file.en "kinds and their details (* required):"
grep -qE '^    destination\* +Destination' request-file.en || fail "request file --help: $(cat request-file.en)"
# asset add: the register's headings as the values' names.
expect_in asset-add.ja "--conf 機密性 --integ 完全性 --avail 可用性"
expect_in asset-add.en "--conf CONF --integ INTEG --avail AVAIL"
# Two forms of one command, the second under the first.
expect_in sanitize.ja "        sekisho sanitize --in ディレクトリ --out ディレクトリ"
expect_in sanitize.en "       sekisho sanitize --in DIR --out DIR"
# A bad --lang, and --lang before the command.
LANG=ja_JP.UTF-8 expect_exit 2 sk --lang fr version
expect_in err "「fr」という言語はありません"
LANG=ja_JP.UTF-8 expect_exit 0 sk --lang en org --help
expect_in out "usage: sekisho org <command> [<args>]"
LANG=C expect_exit 0 sk --lang=ja org --help
expect_in out "使い方: sekisho org <コマンド> [<引数>]"
