#!/usr/bin/env bash
# backends: none
# Niigata profile (policies/niigata.yaml): one check per encoded rule of the
# 新潟市情報セキュリティ基本方針 and the contractor requirements (別記), through
# `sekisho decide --profile niigata ... --json` (SPEC §3). Each table row is
#   decide args | decision | approver | safeguards (vocabulary order) | exception | citations
# where citations is a "~"-separated list that must all appear in the answer.
. "$SEKISHO_TESTLIB"

profile=niigata
src_yaml="$SEKISHO_SRC/policies/niigata.yaml"
C=contractor

# The profile as shipped validates, and is the one built into the binary.
expect_exit 0 sk policy check "$src_yaml"
expect_in out "ok"

# --- 基本方針 6(3)ア: マイナンバー利用事務系 (every actor) ---
check_table <<EOF
--action take_out --zone mynumber|forbid|null||false|新潟 基本方針 6(3)ア
--action take_home --zone mynumber --actor-role staff|forbid|null||false|新潟 基本方針 6(3)ア
--action take_out --zone mynumber --actor-role $C --conf 1|forbid|null||false|新潟 基本方針 6(3)ア
--action connect_network --zone mynumber|forbid|city||true|新潟 基本方針 6(3)ア
--action connect_network --zone mynumber --actor-role $C|forbid|city||true|新潟 基本方針 6(3)ア~新潟 別記 第9条第2項
EOF

# --- 別記: rules that hold for the contractor (乙); approvals come from 甲 (city) ---
check_table <<EOF
--action use --actor-role $C --conf 3|allow|null||false|新潟 別記 第3条~新潟 別記 第4条
--action store --actor-role $C --conf 2|allow_with_safeguards|null|access_restriction|false|新潟 別記 第5条
--action provide_external --actor-role $C --conf 1|require_approval|city||false|新潟 別記 第6条第1項
--action transport --actor-role $C --conf 2|allow_with_safeguards|null|access_restriction|false|新潟 別記 第6条第2項
--action transport --actor-role $C --conf 3|allow_with_safeguards|null|encrypt_or_password,access_restriction|false|新潟 別記 第6条第2項~新潟 別記 第6条第3項 (inferred)
--action take_out --actor-role $C --conf 1|require_approval|city|record,virus_scan,access_restriction|false|新潟 別記 第6条第4項~新潟 別記 第10条第1項~新潟 別記 第13条~新潟 別記 第6条第2項
--action take_out --actor-role $C --conf 3|require_approval|city|encrypt_or_password,record,virus_scan,access_restriction|false|新潟 別記 第6条第4項~新潟 別記 第6条第3項 (inferred)
--action take_home --actor-role $C --conf 2|require_approval|city|record,virus_scan,access_restriction|false|新潟 別記 第6条第4項~新潟 別記 第6条第2項~新潟 別記 第13条
--action carry_in --actor-role $C|require_approval|city|record,virus_scan,label|false|新潟 別記 第7条第2項~新潟 別記 第11条第2項~新潟 別記 第9条第1項~新潟 別記 第13条
--action dispose --actor-role $C --conf 1|require_approval|city|record,irrecoverable_erase,disposal_certificate|false|新潟 別記 第8条第1項~新潟 別記 第8条第2項~新潟 別記 第8条第3項~新潟 別記 第12条
--action connect_network --actor-role $C --zone lgwan|require_approval|city||false|新潟 別記 第9条第2項
--action use_private_device --actor-role $C|forbid|null||false|新潟 別記 第9条第3項
EOF

# --- asset type: 第9条第1項 labels only computers (hardware) brought in; 第13条 virus-scans only
# electronic media and their files; a type not given applies both (the strict reading, above).
check_table <<EOF
--action carry_in --actor-role $C --asset-type document|require_approval|city|record|false|新潟 別記 第7条第2項
--action carry_in --actor-role $C --asset-type hardware|require_approval|city|record,label|false|新潟 別記 第7条第2項~新潟 別記 第9条第1項
--action carry_in --actor-role $C --asset-type media|require_approval|city|record,virus_scan|false|新潟 別記 第7条第2項~新潟 別記 第13条
--action take_out --actor-role $C --conf 1 --asset-type document|require_approval|city|record,access_restriction|false|新潟 別記 第6条第4項~新潟 別記 第6条第2項
--action take_out --actor-role $C --conf 1 --asset-type data|require_approval|city|record,virus_scan,access_restriction|false|新潟 別記 第13条
EOF
# Issue 17 review. 第8条「第２条第１項第１号イに掲げる情報資産（情報等が記録された紙等の有体物及び
# 電磁的記録媒体）の廃棄…事前に甲の許可」 and 第12条 (持ち込んだコンピュータ等の廃棄): paper, media and
# computers; the 別記 says nothing of disposing of data, software or a system as such.
check_table <<EOF
--action dispose --actor-role $C --conf 1 --asset-type document|require_approval|city|record,irrecoverable_erase,disposal_certificate|false|新潟 別記 第8条第1項~新潟 別記 第8条第2項~新潟 別記 第8条第3項
--action dispose --actor-role $C --conf 1 --asset-type hardware|require_approval|city|record,irrecoverable_erase,disposal_certificate|false|新潟 別記 第12条
--action dispose --actor-role $C --conf 1 --asset-type software|require_approval|city||false|新潟 (no rule; strictest applied)
EOF
# 基本方針 6(3)ア「端末からの情報持ち出し不可設定」: information taken out of a terminal (media, data).
check_table <<EOF
--action take_out --zone mynumber --asset-type media|forbid|null||false|新潟 基本方針 6(3)ア
--action take_out --zone mynumber --asset-type document --actor-role staff|forbid|null||false|新潟 (no rule; strictest applied)
EOF
expect_not_in out "6(3)ア"
# With no asset type (SPEC §3 has no --asset-type) the articles answer, cleanly cited.
for a in "dispose --actor-role $C" "take_out --zone mynumber --actor-role staff"; do
	expect_exit 0 sk decide --profile "$profile" --action $a --json
	expect_not_in out "no rule"
done
for t in document hardware; do
	expect_exit 0 sk decide --profile "$profile" --action carry_in --actor-role $C --asset-type $t --json
	expect_not_in out "第13条"
done
# --- 基本方針 6(3)イ: LGWAN接続系 <-> インターネット接続系 (to_zone): no direct connection; the
# exception is a route that lets only safe traffic through (無害化 itself: checklist kh-06-3i)
check_table <<EOF
--action connect_network --zone lgwan --to-zone internet|forbid|city|virus_scan,ip_restriction|true|新潟 基本方針 6(3)イ~新潟 基本方針 2(11)
--action connect_network --zone internet --to-zone lgwan --actor-role $C|forbid|city|virus_scan,ip_restriction|true|新潟 基本方針 6(3)イ~新潟 別記 第9条第2項
--action connect_network --zone lgwan --to-zone lgwan --actor-role $C|require_approval|city||false|新潟 別記 第9条第2項
EOF
expect_exit 0 sk decide --profile "$profile" --action connect_network --zone lgwan --actor-role $C --json
expect_not_in out "6(3)イ"

# An unclassified asset is treated as the most sensitive: the 第6条第3項 encryption applies.
check_decision "--action transport --actor-role $C" allow_with_safeguards null \
	"encrypt_or_password,access_restriction" false "新潟 別記 第6条第3項 (inferred)"

# Where the public documents are silent the strictest rule of the action applies, and the
# citation says so. 別記 第1条: the 要求事項 are 「乙が遵守すべき行為及び判断等の基準」, so its rules
# bind the contractor only and are no answer for anyone else: a staff member's take-out falls
# back to 基本方針 6(3)ア's forbid (a rule for every actor), a staff member's disposal or
# provision (only 別記 rules) is forbidden outright, and copying (no rule at all) is forbidden.
no_rule="新潟 (no rule; strictest applied)"
check_decision "--action take_out --actor-role staff --conf 1" forbid null "" false "$no_rule"
check_decision "--action dispose --actor-role staff --conf 1" forbid null "" false "$no_rule"
check_decision "--action dispose --conf 1" forbid null "" false "$no_rule"
check_decision "--action provide_external --actor-role staff" forbid null "" false "$no_rule"
expect_eq "$(jq -c .citations out)" "[\"$no_rule\"]" "staff provide_external citations"
check_decision "--action copy --actor-role $C --conf 1" forbid null "" false "$no_rule"
# The contractor's own silence still falls back to the contractor's rules: 第8条 speaks of
# disposing of 媒体等 and computers, not of software, whose disposal takes its strictest rule.
check_decision "--action dispose --actor-role $C --conf 1 --asset-type software" require_approval \
	city "" false "$no_rule"

# Issue 17, fault 2. 別記 第22条第2項: 「乙は，甲の庁舎外で委託業務を行う場合は，甲の情報セキュリティ
# 水準と同等以上の水準を確保するとともに，その管理体制を甲に対し明確にしなければならない。」
# Off-site work by the contractor is permitted under conditions (no permission is asked for):
# allowed, the management structure made clear to 甲 (record), cited — not the silent answer.
for lv in 1 2 3; do
	check_decision "--action process_outside --actor-role $C --conf $lv" allow_with_safeguards null \
		"record" false "新潟 別記 第22条第2項"
	expect_not_in out "no rule"
done
check_decision "--action process_outside --actor-role $C" allow_with_safeguards null "record" false \
	"新潟 別記 第22条第2項"
# The article speaks of 乙 only. Staff, or a question that names no actor, are not 乙: the public
# documents say nothing of their off-site work (基本方針 9, 10: the 対策基準 is not public), so
# the answer is the silent one, and with no rule that binds them it is forbid, not 第22条第2項's
# allowance carried over to them.
for who in "" "--actor-role staff" "--actor-role city"; do
	check_decision "--action process_outside $who" forbid null "" false "$no_rule"
	expect_eq "$(jq -c .citations out)" "[\"$no_rule\"]" "process_outside ${who:-(no actor)} citations"
	expect_not_in out "第22条"
	expect_not_in out "record"
done
expect_exit 0 sk decide --profile "$profile" --action process_outside --actor-role staff --explain
expect_in out "every rule of process_outside binds other actors only"

# Bad input names the bad value and exits 2.
expect_exit 2 sk decide --profile "$profile" --action take_out --conf 3A --json
expect_in err "3A"
expect_exit 2 sk decide --profile "$profile" --action take_out --actor-role kou --json
expect_in err "kou"
