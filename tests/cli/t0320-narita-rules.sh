# The Narita (成田) profile: one `sekisho decide` case per encoded handling rule, the silent cases
# (strictest applied), the password rule (基準 4(4)②イ: 4文字以上) and the profile's validity.
# backends: none
. "$SEKISHO_TESTLIB"
P=narita
K="成田 基準 "

# check "ARGS" DECISION APPROVER "SAFEGUARDS" EXCEPTION "CITATIONS"
#   SAFEGUARDS: comma-separated, in the SPEC §3 vocabulary order the engine prints ("" = none).
#   CITATIONS: '|'-separated, compared as a set with the printed citations (so a rule that gains
#   or loses a citation, a safeguard or its approver fails the test).
# Each case runs `decide` at once and queues its expectation; verify_cases (at the end) checks
# them all in one python3 run and names every case that differs.
: >cases.tsv
check() {
	# shellcheck disable=SC2086
	expect_exit 0 sk decide --profile "$P" $1 --json
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$(cat out)" >>cases.tsv
}
verify_cases() {
	python3 - <<'EOF' || fail "decide answers differ from the Narita rules (see above)"
import json, sys
bad_cases = 0
n = 0
for line in open("cases.tsv", encoding="utf-8"):
    args, dec, appr, sg, exc, cit, out = line.rstrip("\n").split("\t")
    n += 1
    got = json.loads(out)
    want = {
        "decision": dec,
        "approver_role": None if appr == "null" else appr,
        "safeguards": [s for s in sg.split(",") if s],
        "exception_possible": exc == "true",
    }
    bad = [f"{k}: got {got.get(k)!r}, expected {v!r}" for k, v in want.items() if got.get(k) != v]
    want_c = set(c for c in cit.split("|") if c)
    got_c = got.get("citations") or []
    if set(got_c) != want_c or len(got_c) != len(set(got_c)):
        bad.append(f"citations: got {got_c}, expected {sorted(want_c)}")
    if bad:
        bad_cases += 1
        print(f"decide {args}:", *bad, sep="\n  ", file=sys.stderr)
if n < 50:
    print(f"only {n} cases ran", file=sys.stderr)
    sys.exit(1)
sys.exit(1 if bad_cases else 0)
EOF
}

L1="--conf 1 --integ 1 --avail 1"
NR="成田 (no rule; strictest applied)"

# --- 作成 2(2)③ and 分類の表示 2(2)②
check "--action create $L1" allow null "" false "${K}2(2)③ア|${K}2(2)③イ|${K}2(2)③ウ"
check "--action create --conf 2 --integ 1 --avail 1" allow_with_safeguards null label false \
	"${K}2(2)③ア|${K}2(2)③イ|${K}2(2)③ウ|${K}2(2)②"
check "--action create --conf 1 --integ 2 --avail 1" allow_with_safeguards null label false \
	"${K}2(2)③ア|${K}2(2)③イ|${K}2(2)③ウ|${K}2(2)②"
check "--action create --conf 1 --integ 1 --avail 2" allow_with_safeguards null label false \
	"${K}2(2)③ア|${K}2(2)③イ|${K}2(2)③ウ|${K}2(2)②"
# --- 入手 2(2)④
check "--action acquire $L1" allow null "" false "${K}2(2)④ア|${K}2(2)④イ|${K}2(2)④ウ"
check "--action acquire --conf 3 --integ 1 --avail 1" allow_with_safeguards null label false \
	"${K}2(2)④ア|${K}2(2)④イ|${K}2(2)④ウ|${K}2(2)②"
# --- 利用 2(2)⑤, 3(4)②, 機密性3「ウイルス対策の徹底」2(1)①
check "--action use $L1" allow null "" false "${K}2(2)⑤ア|${K}2(2)⑤イ|${K}2(2)⑤ウ"
check "--action use --conf 2 --integ 1 --avail 1" allow_with_safeguards null access_restriction false \
	"${K}2(2)⑤ア|${K}2(2)⑤イ|${K}2(2)⑤ウ|${K}3(4)②"
check "--action use --conf 3 --integ 1 --avail 1" allow_with_safeguards null \
	virus_scan,access_restriction false "${K}2(2)⑤ア|${K}2(2)⑤イ|${K}2(2)⑤ウ|${K}3(4)②|${K}2(1)①"
# --- 保管 2(2)⑥, 2(1), 5(1)②
S0="${K}2(2)⑥ア|${K}2(2)⑥イ|${K}2(2)⑥ウ|${K}5(1)①ウ"
check "--action store $L1" allow null "" false "$S0"
check "--action store --conf 2 --integ 1 --avail 1" allow_with_safeguards null locked_storage,label false \
	"$S0|${K}2(2)⑥エ|${K}2(2)②"
check "--action store --conf 3 --integ 1 --avail 1" allow_with_safeguards null locked_storage,label false \
	"$S0|${K}2(2)⑥エ|${K}2(2)②|${K}2(1)①"
check "--action store --conf 1 --integ 2 --avail 1" allow_with_safeguards null \
	backup,locked_storage,label false "$S0|${K}2(1)②|${K}2(2)⑥エ|${K}2(2)②|${K}5(1)②"
check "--action store --conf 1 --integ 1 --avail 2" allow_with_safeguards null \
	backup,locked_storage,label false "$S0|${K}2(1)③|${K}2(2)⑥エ|${K}2(2)②|${K}5(1)②"
# no levels given: the highest of every axis is assumed (3/2/2)
check "--action store" allow_with_safeguards null backup,locked_storage,label false \
	"$S0|${K}2(2)⑥エ|${K}2(2)②|${K}2(1)①|${K}2(1)②|${K}2(1)③|${K}5(1)②"
# Issue 17: 2(2)⑥エ「…の情報を記録した外部記録媒体を保管する場合、耐火、耐熱、耐水及び耐湿を講じた
# 施錠可能な場所に保管」 and 2(1)①②③「外部記録媒体の施錠可能な場所への保管」 speak of external media;
# 2(2)②「…ファイル…格納する記録媒体…文書の隅等に、情報資産の分類を表示」 and the backups of
# 2(1)②③ hold for every type. A paper document is labelled and backed up, not put in a fireproof safe.
check "--action store --conf 3 --integ 2 --avail 2 --asset-type document" allow_with_safeguards null \
	backup,label false "$S0|${K}2(2)②|${K}2(1)②|${K}2(1)③|${K}5(1)②"
check "--action store --conf 2 --integ 1 --avail 1 --asset-type data" allow_with_safeguards null \
	label false "$S0|${K}2(2)②"
check "--action store --conf 3 --integ 1 --avail 1 --asset-type media" allow_with_safeguards null \
	locked_storage,label false "$S0|${K}2(2)⑥エ|${K}2(2)②|${K}2(1)①"
check "--action store --conf 1 --integ 2 --avail 1 --asset-type media" allow_with_safeguards null \
	backup,locked_storage,label false "$S0|${K}2(1)②|${K}2(2)⑥エ|${K}2(2)②|${K}5(1)②"
# --- 複製 2(2)①イ, 機密性3「必要以上の複製及び配付禁止」
check "--action copy $L1" allow null "" false "${K}2(2)①イ"
check "--action copy --conf 3 --integ 1 --avail 1" allow_with_safeguards null label false \
	"${K}2(2)①イ|${K}2(2)②|${K}2(1)①"
# --- 送信 2(2)⑦, 5(1)⑬, 5(1)⑭, 5(4)③オ
E0="${K}5(1)⑬ア|${K}5(1)⑬イ|${K}5(1)⑬ウ|${K}5(1)⑬エ|${K}5(4)③オ"
check "--action send_email $L1" allow_with_safeguards null bcc,virus_scan false "$E0"
check "--action send_email --conf 2 --integ 1 --avail 1" allow_with_safeguards null \
	encrypt_or_password,bcc,virus_scan false "$E0|${K}2(2)⑦|${K}5(1)⑭"
check "--action send_email --conf 3 --integ 1 --avail 1" allow_with_safeguards null \
	encrypt_or_password,bcc,virus_scan false "$E0|${K}2(2)⑦|${K}5(1)⑭|${K}2(1)①"
# fax: the seed is silent and the profile has no fax rule at all
check "--action send_fax $L1" forbid null "" false "$NR"
# --- 持ち出し 4(1)①イ・エ・オ (原則禁止、情報システム管理者の許可で例外、記録)
T0="${K}4(1)①イ|${K}4(1)①エ|${K}4(1)①オ"
check "--action take_out $L1" forbid system_manager record true "$T0"
check "--action take_home --conf 3 --integ 2 --avail 2" forbid system_manager record true "$T0"
# --- 運搬 2(2)⑧ (機密性2以上: 情報セキュリティ管理者の許可), 4(1)④イ (委託事業者)
R0="${K}2(2)⑧ア|${K}2(2)⑧イ"
check "--action transport --conf 2 --integ 1 --avail 1" require_approval security_manager \
	encrypt_or_password,locked_case false "$R0"
check "--action transport --conf 3 --integ 1 --avail 1" require_approval security_manager \
	encrypt_or_password,locked_case false "$R0|${K}2(1)①"
check "--action transport --conf 2 --integ 1 --avail 1 --actor-role contractor" require_approval \
	security_manager encrypt_or_password,locked_case false "$R0|${K}4(1)④イ"
# 機密性1の運搬: the seed states rules for 機密性2以上 only -> strictest of the action
check "--action transport $L1" require_approval security_manager encrypt_or_password,locked_case \
	false "$NR"
# --- 持込み 5(4)③イ, 3(2)③; 委託事業者の搬入 4(1)④イ (完全性2 / 可用性2 too)
C0="${K}5(4)③イ|${K}3(2)③ア|${K}3(2)③イ"
check "--action carry_in $L1" allow_with_safeguards null virus_scan false "$C0"
check "--action carry_in --conf 1 --integ 2 --avail 1 --actor-role contractor" allow_with_safeguards \
	null encrypt_or_password,virus_scan false "$C0|${K}4(1)④イ"
check "--action carry_in --conf 1 --integ 1 --avail 2 --actor-role contractor" allow_with_safeguards \
	null encrypt_or_password,virus_scan false "$C0|${K}4(1)④イ"
check "--action carry_in $L1 --actor-role contractor" allow_with_safeguards null virus_scan false "$C0"
# --- 外部提供 2(2)⑨
P0="${K}2(2)⑨ア|${K}2(2)⑨イ"
check "--action provide_external --conf 2 --integ 1 --avail 1 --asset-type document" \
	require_approval security_manager encrypt_or_password false "$P0"
check "--action provide_external --conf 3 --integ 1 --avail 1 --asset-type data" require_approval \
	security_manager encrypt_or_password,locked_case false "$P0|${K}2(1)①"
check "--action provide_external $L1 --asset-type document" require_approval security_manager \
	encrypt_or_password false "$NR"
# 他団体との情報・ソフトウェアの交換 5(1)③ (統括 及び 情報セキュリティ責任者): system/software only
check "--action provide_external $L1 --asset-type software" require_approval general_manager "" \
	false "${K}5(1)③"
# (equally specific rules: the first in file order, 2(2)⑨イ, names approver_role)
check "--action provide_external --conf 2 --integ 1 --avail 1 --asset-type system" require_approval \
	security_manager encrypt_or_password false "$P0|${K}5(1)③"
# type not given: the type-conditioned rule applies too (strictest)...
check "--action provide_external --conf 2 --integ 1 --avail 1" require_approval security_manager \
	encrypt_or_password false "$P0|${K}5(1)③"
# ...and when it is the only rule that holds, the silent answer is folded in as well
check "--action provide_external $L1" require_approval general_manager encrypt_or_password false \
	"${K}5(1)③|$NR"
# --- 公表 (inferred rules, marked so)
check "--action publish $L1" allow null "" false "${K}2(1)① (inferred)|${K}2(2)⑨ウ (inferred)"
check "--action publish --conf 2 --integ 1 --avail 1" require_approval security_manager "" false \
	"${K}2(2)⑨イ (inferred)|${K}2(1)① (inferred)"
check "--action publish" require_approval security_manager "" false \
	"${K}2(2)⑨イ (inferred)|${K}2(1)① (inferred)"
# --- 廃棄 2(2)⑩ (許可・記録は全分類、復元不可能な処置は機密性2以上)
D0="${K}2(2)⑩イ|${K}2(2)⑩ウ"
check "--action dispose $L1 --asset-type document" require_approval security_manager record false \
	"$D0"
check "--action dispose --conf 2 --integ 1 --avail 1 --asset-type media" require_approval \
	security_manager record,irrecoverable_erase false "$D0|${K}2(2)⑩ア"
check "--action dispose --conf 3 --integ 1 --avail 1 --asset-type document" require_approval \
	security_manager record,irrecoverable_erase false "$D0|${K}2(2)⑩ア|${K}2(1)①"
# 機器の廃棄等 3(1)⑤: equipment is erased whatever its classification; unknown type = equipment too
check "--action dispose $L1 --asset-type hardware" require_approval security_manager \
	record,irrecoverable_erase false "$D0|${K}3(1)⑤"
check "--action dispose $L1" require_approval security_manager record,irrecoverable_erase false \
	"$D0|${K}3(1)⑤"
# --- 外部での情報処理 4(1)①ウ・エ・オ
O0="${K}4(1)①エ|${K}4(1)①オ"
check "--action process_outside $L1" forbid system_manager record true "$O0"
check "--action process_outside --conf 2 --integ 1 --avail 1" forbid system_manager record true \
	"$O0|${K}4(1)①ウ"
check "--action process_outside --conf 3 --integ 1 --avail 1" forbid system_manager record true \
	"$O0|${K}4(1)①ウ|${K}2(1)①"
check "--action process_outside --conf 1 --integ 2 --avail 1" forbid system_manager record true \
	"$O0|${K}4(1)①ウ|${K}2(1)②"
check "--action process_outside --conf 1 --integ 1 --avail 2" forbid system_manager record true \
	"$O0|${K}4(1)①ウ"
# --- 私物 4(1)①カ, 機密性3「私物パソコンでの作業禁止」 (no exception)
check "--action use_private_device $L1" forbid null "" false "${K}4(1)①カ"
check "--action use_private_device --conf 3 --integ 1 --avail 1" forbid null "" false \
	"${K}4(1)①カ|${K}2(1)①"
# --- ネットワークストレージサービス等 5(1)⑬オ
check "--action store_free_cloud $L1" forbid null "" false "${K}5(1)⑬オ"
check "--action store_cloud $L1" forbid null "" false "${K}5(1)⑬オ"
check "--action post_social_media $L1" forbid null "" false "$NR"
# --- ソフトウェア 5(1)⑮, 機器 5(1)⑯, ネットワーク 5(1)⑰ / 5(2)②カ
check "--action install_software $L1" require_approval general_manager virus_scan false \
	"${K}5(1)⑮ア|${K}5(1)⑮イ|${K}5(1)⑮ウ|${K}5(4)③イ"
check "--action connect_device $L1" forbid general_manager "" true "${K}5(1)⑯ア|${K}5(1)⑯イ"
check "--action connect_network $L1" require_approval general_manager virus_scan false \
	"${K}5(1)⑰|${K}5(2)②カ"
# 外部ネットワークとの接続 5(1)⑩ア (CISO 及び 統括) only when the other end is outside
check "--action connect_network $L1 --to-zone internet" require_approval ciso virus_scan false \
	"${K}5(1)⑰|${K}5(2)②カ|${K}5(1)⑩ア"
# 外部からのアクセス 5(2)②ア・エ (統括 及び 情報システム管理者; 暗号化)
check "--action connect_network $L1 --zone internet" require_approval general_manager \
	virus_scan,encrypted_transport false "${K}5(1)⑰|${K}5(2)②カ|${K}5(2)②ア|${K}5(2)②エ"

verify_cases

# --- both approvers (「A及びB」) reach the text output and --explain, in the seed's order
# (the text output's role titles are left out of the comparison)
approvers() { # ARGS... EXPECTED-LINES: the approver lines of the text output
	want="$1"
	shift
	expect_exit 0 sk decide --profile "$P" "$@"
	got=$(grep '^approver' out | sed 's/ (.*//' | tr '\n' ';')
	[ "$got" = "$want" ] || fail "decide $*: approvers '$got', expected '$want'"
}
approvers "approvers: all of, in this order;approver: general_manager;approver: system_manager;" \
	--action install_software --conf 1 --integ 1 --avail 1
approvers "approvers: all of, in this order;approver: general_manager;approver: system_manager;" \
	--action connect_device --conf 1 --integ 1 --avail 1
approvers "approvers: all of, in this order;approver: ciso;approver: general_manager;" \
	--action connect_network --conf 1 --integ 1 --avail 1 --to-zone internet
approvers "approvers: all of, in this order;approver: general_manager;approver: security_officer;" \
	--action provide_external --conf 1 --integ 1 --avail 1 --asset-type software
approvers "approver: security_manager;" \
	--action provide_external --conf 2 --integ 1 --avail 1 --asset-type document
expect_exit 0 sk decide --profile "$P" --action install_software --json --explain
expect_in err "approvers (all_of): General information security manager, Information system manager"
# Issue 17, the ban with a permission: 4(1)①エ「…執務室外に持ち出してはならない。但し、業務上必要な
# 場合で、情報システム管理者の許可を受けたときは、この限りでない」 governs both take_out and
# process_outside (外部で処理するための持ち出し): forbid, exception, the 情報システム管理者 as approver,
# and the permission is the proviso's ordinary approval.
for a in take_out process_outside; do
	expect_exit 0 sk decide --profile "$P" --action $a $L1 --explain
	expect_in out "approver_role\": \"system_manager\""
	expect_in out "the exception is the seed's proviso"
done
# 基準 6(5) 例外措置: shown by --explain as a procedure; it does not make an outright prohibition
# excepted (private devices stay forbid with exception_possible false, checked above too)
expect_exit 0 sk decide --profile "$P" --action use_private_device --explain
expect_in out "profile-wide exception route (a procedure, not part of this decision): Chief Information Security Officer may permit a departure; an emergency one is reported afterwards [成田 基準 6(5)①, 成田 基準 6(5)②]"
expect_in out '"exception_possible": false'
expect_exit 2 sk decide --profile "$P" --action dispose --asset-type spaceship --json
expect_in err "unknown asset_type 'spaceship'"
expect_in err "accepted: hardware"
expect_exit 2 sk decide --profile "$P" --action connect_network --to-zone moon --json
expect_in err "unknown to_zone 'moon'"

# --- bad input: a level the profile does not have
expect_exit 2 sk decide --profile "$P" --action store --conf 3A --json
expect_in err "3A"

# --- passwords: 基準 4(4)②イ「パスワードは基本的に4文字以上」; temporary passwords must change
echo 'Zq7' >pw
expect_exit 0 sk password check --profile "$P" --json <pw
python3 -c 'import json,sys; d=json.load(open("out")); sys.exit(0 if d["ok"] is False and "min_length" in d["violations"] else 1)' ||
	fail "a 3-character password must violate min_length"
# 4 characters meet the profile, not the floor under every profile (NIST SP 800-63B-4: 8).
echo 'Zq7k' >pw
expect_exit 0 sk password check --profile "$P" --json <pw
expect_eq "$(jq -c .refusals out)" '[{"rule":"min_length","source":"floor"}]' "4 characters"
echo 'Zq7kWm4x' >pw
expect_exit 0 sk password check --profile "$P" --json <pw
python3 -c 'import json,sys; d=json.load(open("out")); sys.exit(0 if d["ok"] is True and d["violations"] == [] else 1)' ||
	fail "an 8-character uncommon password must pass"

# --- the shipped file validates; the 4-character minimum draws the NIST advisory (expected)
f="$SEKISHO_SRC/policies/narita.yaml"
expect_exit 0 sk policy check "$f"
expect_in out "advisory: passwords.normal.min_length 4"
expect_exit 0 sk policy coverage "$f"
expect_in out "0 not encoded"
# records required without a stated period, and 4(4)②エ rotation without an interval
expect_in out "required, but the seed states no period (9)"
expect_in out "  access_log  各種アクセス記録"
expect_in out "passwords.normal.rotation_days"
expect_exit 0 sk policy coverage "$f" --json
python3 - <<'EOF' || fail "coverage --json must list the unstated periods"
import json
d = json.load(open("out"))
ids = [u["id"] for u in d["unstated_periods"]]
want = ["take_out_records", "disposal_records", "entry_records", "incident_records", "work_records",
        "access_log", "failure_records", "exception_records", "passwords.normal.rotation_days"]
assert ids == want, ids
assert d["unstated_periods"][5]["citations"] == ["成田 基準 5(1)⑥ア"], d["unstated_periods"][5]
EOF
