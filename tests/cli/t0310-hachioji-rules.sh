#!/usr/bin/env bash
# backends: none
# The Hachioji profile (policies/hachioji.yaml, built into the binary as
# "hachioji"): one decision check per encoded handling rule of
# 八王子市指定管理者における情報セキュリティガイドライン. Each case asks
# `sekisho decide --profile hachioji ... --json` and compares the decision,
# the approver, the exact set of safeguards and exception_possible, and that
# every listed citation is present. All three levels are always given, because
# an absent level means "the most sensitive".
. "$SEKISHO_TESTLIB"
command -v jq >/dev/null || fail "jq is required by this test"

# HACHIOJI_PROFILE (a file) lets a reviewer run the table against an edited copy.
PROFILE=${HACHIOJI_PROFILE:-hachioji}
L1="--conf 1 --integ 1 --avail 1"
L2="--conf 2 --integ 1 --avail 1"
L3="--conf 3 --integ 1 --avail 1"

# Issue 17 (a rule keeps to its article's subject; the last rows of the table, by asset type):
# 7(4)「組織外から受け取った外部記憶媒体は…事前にウイルスチェック」 and 17(3)「外部からデータ又は
# ソフトウェアを取り入れる場合はウイルスチェック」 speak of media, data and software, not of a paper
# document; 7(6)カ「機密性3の電子データを保存する場合は…暗号化又はパスワード設定」 of electronic
# data; 7(9)ア「マイナンバーを含む情報を直接保存した記憶装置を廃棄する者は、原則として物理的破壊」
# of storage devices (the record of 7(9)ウ stays for every type); 15(1)シ「特定個人情報を保存する
# サーバ等の機器を設置する場合は、情報セキュリティ総括責任者の承認」 of servers and equipment, not
# of a USB memory (16(5)).
# action | extra flags | decision | approver (- = null) | safeguards (sorted, comma) | exception | citations (;)
cases=$(
	cat <<EOF
create           |$L3                     |allow_with_safeguards|-|record|false|八王子 7(2);八王子 7(6)ア
acquire          |$L1                     |allow_with_safeguards|-|record,virus_scan|false|八王子 7(4);八王子 17(3);八王子 7(2)
use              |$L3                     |allow|-||false|八王子 7(5);八王子 10(3)
use              |$L3 --mynumber          |allow_with_safeguards|-|record|false|八王子 7(6)ク
store            |$L1                     |allow|-||false|八王子 7(1) (inferred)
store            |$L2                     |allow_with_safeguards|-|locked_storage|false|八王子 7(6)イ;八王子 7(6)ウ;八王子 8(3)
store            |$L3                     |allow_with_safeguards|-|access_restriction,encrypt_or_password,locked_storage|false|八王子 7(6)カ;八王子 7(1)
store            |--conf 1 --integ 2 --avail 1|allow_with_safeguards|-|backup,locked_storage|false|八王子 7(6)イ
store            |--conf 1 --integ 1 --avail 2|allow_with_safeguards|-|backup,locked_storage|false|八王子 7(6)ウ
store            |$L1 --mynumber          |allow_with_safeguards|-|record|false|八王子 7(6)ク
copy             |$L1                     |allow|-||false|八王子 7(1) (inferred)
copy             |$L2                     |allow|-||false|八王子 7(1)
copy             |$L3                     |forbid|dm_officer|encrypt_or_password|true|八王子 7(3)
send_email       |$L1                     |allow_with_safeguards|-|bcc,confirm_recipient|false|八王子 7(10)イ;八王子 16(8)エ
send_email       |$L2                     |allow_with_safeguards|-|bcc,confirm_recipient,encrypt_or_password|false|八王子 7(10)ア;八王子 16(8)イ
send_email       |$L3                     |forbid|dm_officer|bcc,confirm_recipient,encrypt_or_password,multi_person_check|true|八王子 16(8)ウ;八王子 7(10)ア
send_email       |$L1 --actor-role contractor|forbid|-||false|八王子 15(2)タ(エ)
send_fax         |$L2                     |allow_with_safeguards|-|fax_notice_and_receipt|false|八王子 16(9)イ
send_fax         |$L3                     |forbid|dm_officer|fax_notice_and_receipt|true|八王子 16(9)ア
take_out         |$L1                     |allow_with_safeguards|-|record|false|八王子 10(8)
take_out         |$L2                     |require_approval|dm_officer|encrypt_or_password,locked_case,record|false|八王子 7(7)ア;八王子 7(7)イ
transport        |$L1                     |allow_with_safeguards|-|record|false|八王子 10(8)
transport        |$L3                     |require_approval|dm_officer|encrypt_or_password,locked_case,record|false|八王子 7(7)ア;八王子 7(7)イ
take_home        |$L1                     |allow_with_safeguards|-|record|false|八王子 10(8)
take_home        |$L2                     |forbid|dm_officer|encrypt_or_password,locked_case,record|true|八王子 7(1);八王子 7(7)イ
process_outside  |$L1                     |allow_with_safeguards|-|record|false|八王子 10(5)
process_outside  |$L2                     |require_approval|dm_officer|encrypt_or_password,locked_case,record|false|八王子 7(1);八王子 7(7)イ
process_outside  |--conf 1 --integ 2 --avail 1|require_approval|dm_officer|record|false|八王子 7(1) (inferred)
provide_external |$L1                     |allow|-||false|八王子 7(8)ア (inferred)
provide_external |$L1 --personal          |allow|-||false|八王子 7(8)イ
provide_external |$L2                     |require_approval|dm_officer|encrypt_or_password,locked_case,record|false|八王子 7(8)ア
provide_external |$L3                     |forbid|dm_officer|encrypt_or_password,locked_case,record|true|八王子 7(3);八王子 7(8)ア
publish          |$L1                     |allow|-||false|八王子 7(8)ウ (inferred)
publish          |$L2                     |forbid|-||false|八王子 7(1);八王子 23(4)
post_social_media|$L1                     |allow|-||false|八王子 22(5);八王子 22(14)
post_social_media|$L2                     |forbid|-||false|八王子 22(5);八王子 10(6)
dispose          |$L1                     |allow_with_safeguards|-|disposal_certificate,irrecoverable_erase,record|false|八王子 7(9)イ;八王子 15(1)ク
dispose          |$L2                     |allow_with_safeguards|-|disposal_certificate,irrecoverable_erase,record|false|八王子 7(9)ア
dispose          |$L1 --asset-type hardware|allow_with_safeguards|-|disposal_certificate,irrecoverable_erase,record|false|八王子 7(9)イ;八王子 15(1)ク
dispose          |$L1 --asset-type document|allow_with_safeguards|-|record|false|八王子 7(9)イ
dispose          |$L2 --asset-type media  |allow_with_safeguards|-|irrecoverable_erase,record|false|八王子 7(9)ア;八王子 7(9)イ
dispose          |$L3 --mynumber          |allow_with_safeguards|-|disposal_certificate,irrecoverable_erase,physical_destruction,record|false|八王子 7(9)ウ;八王子 7(9)エ;八王子 7(6)ク
carry_in         |$L3                     |allow_with_safeguards|-|record,virus_scan|false|八王子 10(8);八王子 17(3)
use_private_device|$L1                    |forbid|security_manager||true|八王子 10(7)
use_private_device|$L2                    |forbid|-||false|八王子 7(1)
store_cloud      |$L1                     |allow_with_safeguards|-|access_restriction,backup,record|false|八王子 20(1);八王子 20(10);八王子 20(11)
store_cloud      |$L2                     |allow_with_safeguards|-|access_restriction,backup,domestic_datacenter,record|false|八王子 20(3);八王子 20(12)
store_cloud      |$L3                     |allow_with_safeguards|-|access_restriction,backup,domestic_datacenter,encrypted_transport,record|false|八王子 20(6)
store_free_cloud |$L1                     |forbid|-||false|八王子 16(8)カ
store_free_cloud |$L2                     |forbid|-||false|八王子 20(2);八王子 21
install_software |$L1                     |forbid|security_manager|virus_scan|true|八王子 16(10);八王子 15(2)チ;八王子 17(3)
connect_device   |$L1                     |require_approval|security_manager||false|八王子 16(5);八王子 16(6);八王子 15(2)セ
connect_device   |$L3 --mynumber          |require_approval|general_manager|access_restriction,locked_storage|false|八王子 15(1)シ;八王子 15(1)ス
connect_network  |$L1                     |require_approval|general_manager||false|八王子 15(3)ウ;八王子 15(2)イ;八王子 15(2)ソ
connect_network  |$L1 --asset-type hardware|require_approval|security_manager||false|八王子 15(3)ウ
connect_network  |$L1 --asset-type system |require_approval|general_manager||false|八王子 15(3)ウ;八王子 15(2)イ
connect_network  |$L1 --asset-type network|require_approval|city||false|八王子 15(3)ウ;八王子 15(2)ソ
connect_network  |$L3 --mynumber --zone internet|forbid|-||false|八王子 7(11)ア
connect_network  |$L3 --mynumber --zone mynumber --asset-type hardware|require_approval|security_manager||false|八王子 15(3)ウ
connect_network  |$L1 --zone mynumber --to-zone internet|forbid|-||false|八王子 7(11)ア
connect_network  |$L1 --zone internet --to-zone mynumber --asset-type hardware|forbid|-||false|八王子 7(11)ア
connect_network  |$L1 --zone lgwan --to-zone internet --asset-type hardware|require_approval|security_manager||false|八王子 15(3)ウ
send_email       |$L1 --zone mynumber --to-zone internet|forbid|-||false|八王子 7(11)ア
store            |$L3 --mynumber --zone internet|forbid|-||false|八王子 7(11)ア
use              |$L3 --mynumber --zone internet|forbid|-||false|八王子 7(11)ア
store            |$L3 --mynumber --zone mynumber|allow_with_safeguards|-|access_restriction,encrypt_or_password,locked_storage,record|false|八王子 7(6)ク;八王子 7(6)カ
acquire          |$L1 --asset-type document|allow_with_safeguards|-|record|false|八王子 7(2)
acquire          |$L1 --asset-type media  |allow_with_safeguards|-|record,virus_scan|false|八王子 7(4);八王子 17(3)
store            |$L3 --asset-type document|allow_with_safeguards|-|locked_storage|false|八王子 7(6)イ
store            |$L3 --asset-type data   |allow_with_safeguards|-|access_restriction,encrypt_or_password,locked_storage|false|八王子 7(6)カ
dispose          |$L3 --mynumber --asset-type document|allow_with_safeguards|-|irrecoverable_erase,record|false|八王子 7(9)ア;八王子 7(9)ウ;八王子 7(9)エ
dispose          |$L3 --mynumber --asset-type media|allow_with_safeguards|-|irrecoverable_erase,physical_destruction,record|false|八王子 7(9)ア;八王子 7(9)ウ
carry_in         |$L1 --asset-type document|allow_with_safeguards|-|record|false|八王子 10(8)
carry_in         |$L1 --asset-type software|allow_with_safeguards|-|record,virus_scan|false|八王子 10(8);八王子 17(3)
connect_device   |$L3 --mynumber --asset-type media|require_approval|security_manager||false|八王子 16(5)
connect_device   |$L3 --mynumber --asset-type hardware|require_approval|general_manager|access_restriction,locked_storage|false|八王子 15(1)シ;八王子 15(1)ス
EOF
)

n=0
while IFS='|' read -r action flags decision approver safeguards exception cites; do
	action=${action%% *}
	[ -n "$action" ] || continue
	flags="${flags%"${flags##*[! ]}"}"
	n=$((n + 1))
	what="case $n: $action $flags"
	# shellcheck disable=SC2086 # flags are words on purpose
	expect_exit 0 sk decide --profile "$PROFILE" --action "$action" $flags --json
	# One jq call per case: "decision|approver|safeguards|exception", then one citation a line.
	jq -r '([.decision, (.approver_role // "-"), (.safeguards | sort | join(",")),
		(.exception_possible | tostring)] | join("|")), .citations[]' out >fields
	expect_eq "$(head -n 1 fields)" "$decision|$approver|$safeguards|$exception" \
		"$what: decision|approver|safeguards|exception"
	got_cites=$(tail -n +2 fields)
	IFS=';' read -ra want <<<"$cites"
	for c in "${want[@]}"; do
		grep -qxF -- "$c" <<<"$got_cites" || fail "$what: citation '$c' missing from: $got_cites"
	done
	# Every case here is one the seed speaks to; none may fall back to "strictest applied".
	! grep -qF "no rule" <<<"$got_cites" || fail "$what: fell back to the no-rule answer"
done <<<"$cases"
[ "$n" -ge 50 ] || fail "only $n cases ran"

# The file in the tree is valid, and the copy built into the binary answers the same.
expect_exit 0 sk policy check "$SEKISHO_SRC/policies/hachioji.yaml"
expect_in out "ok (八王子市"
expect_exit 0 sk decide --profile "$SEKISHO_SRC/policies/hachioji.yaml" --action copy --conf 3 --integ 1 --avail 1 --json
cp out from_file
expect_exit 0 sk decide --profile hachioji --action copy --conf 3 --integ 1 --avail 1 --json
cmp -s out from_file || fail "built-in hachioji profile differs from policies/hachioji.yaml"

# Several approvers: 16(10) 「情報セキュリティ管理者又は情報システム管理者」 (either), 16(5)
# application to the 情報セキュリティ管理者 who consults the 総括責任者 (both, in that order).
expect_exit 0 sk decide --profile "$PROFILE" --action install_software $L1
expect_eq "$(grep '^approver' out | sed 's/ (.*//' | tr '\n' ';')" \
	"approvers: any one of;approver: security_manager;approver: system_manager;" "16(10) approvers"
expect_exit 0 sk decide --profile "$PROFILE" --action connect_device $L1 --asset-type hardware
expect_eq "$(grep '^approver' out | sed 's/ (.*//' | tr '\n' ';')" \
	"approvers: all of, in this order;approver: security_manager;approver: general_manager;" \
	"16(5) approvers"
expect_exit 0 sk policy export --oscal "$PROFILE"
expect_eq "$(jq -r '[.. | objects | select(.title? == "device-storage-mobile") | .props[]
	| select(.name == "approver-role" or .name == "approver-mode") | .value] | join(",")' out)" \
	"security_manager,general_manager,all_of" "OSCAL approvers of 16(5)"

# Every article of the seed is either encoded or explicitly out of scope.
expect_exit 0 sk policy coverage hachioji --json
expect_eq "$(jq -r '.not_encoded | length' out)" "0" "articles not encoded"
expect_eq "$(jq -r '.city' out)" "hachioji" "coverage city"
