#!/usr/bin/env bash
# backends: none
# Setagaya profile (policies/setagaya.yaml): one check per encoded rule of the
# 世田谷区情報セキュリティ対策基準（委託先事業者等公開用抜粋版）, through
# `sekisho decide --profile setagaya ... --json` (SPEC §3). Each table row is
#   decide args | decision | approver | safeguards (vocabulary order) | exception | citations
# where citations is a "~"-separated list that must all appear in the answer.
# Levels are the excerpt's 重要性分類 (I is the most important), on the conf axis.
. "$SEKISHO_TESTLIB"

profile=setagaya
src_yaml="$SEKISHO_SRC/policies/setagaya.yaml"
C=contractor

# The profile as shipped validates (its one advisory: the excerpt states no minimum length).
expect_exit 0 sk policy check "$src_yaml"
expect_in out "ok"

# 留意事項 / 3(1): 職員等 includes contractors, so the rules hold for them too.
check_table <<TABLE
--action connect_network --zone mynumber --actor-role $C|forbid|city|ip_restriction|true|世田谷 6(1)ア
--action connect_network --zone mynumber --actor-role system_manager|forbid|city|ip_restriction|true|世田谷 6(1)ア
--action take_out --zone mynumber --actor-role $C --conf IV|forbid|city||true|世田谷 6(1)イ②
--action take_home --zone mynumber --actor-role staff|forbid|city||true|世田谷 6(1)イ②
--action connect_network --actor-role staff --zone lgwan|forbid|null||false|世田谷 7(1)エ③~世田谷 7(1)エ④
--action connect_network --actor-role $C --zone lgwan|require_approval|city||false|世田谷 7(1)エ④
--action connect_network --actor-role system_manager --zone lgwan|allow|null||false|世田谷 7(1)エ④
--action store --actor-role $C --conf III|allow_with_safeguards|null|access_restriction|false|世田谷 9(1)オ~世田谷 9(2)ア
--action store --actor-role $C --conf II|allow_with_safeguards|null|backup,access_restriction|false|世田谷 9(1)カ~世田谷 7(1)ア~世田谷 9(1)オ
--action store --conf I|allow_with_safeguards|null|backup,access_restriction|false|世田谷 9(1)カ
--action send_email --actor-role $C --conf IV|allow_with_safeguards|null|encrypt_or_password|false|世田谷 9(1)タ
--action provide_external --actor-role $C --conf II|allow_with_safeguards|null|encrypt_or_password|false|世田谷 9(1)タ
--action install_software --actor-role $C|require_approval|system_manager||false|世田谷 9(3)ウ③(b)~世田谷 9(4)ア③~世田谷 12(2)
--action dispose --actor-role $C --conf III|allow_with_safeguards|null|irrecoverable_erase|false|世田谷 9(3)キ①
--action store_free_cloud --actor-role $C --conf I|forbid|null||false|世田谷 14(1)②
--action store_free_cloud --actor-role staff --conf II|forbid|null||false|世田谷 14(1)②
--action store_free_cloud --actor-role staff --conf III|require_approval|security_manager||false|世田谷 14~世田谷 14(2)①~世田谷 14(2)②
--action store_free_cloud --conf IV|require_approval|security_manager||false|世田谷 14(2)②
TABLE

# Issue 17, fault 1. 6(1)ア: 「マイナンバー利用事務系と他の領域を通信できないようにしなければ
# ならない。ただし、マイナンバー利用事務系と外部との通信をする必要がある場合は、通信経路の限定
# (IP アドレス)及びアプリケーションプロトコル（ポート番号）のレベルでの限定を行わなければならない。」
# 6(2)ア: 「LGWAN 接続系とインターネット接続系は両環境間の通信環境を分離した上で、必要な通信だけを
# 許可できるようにしなければならない。」 7(1)エ④: 「情報化基盤管理者、情報システム管理者及び契約に
# より操作を認められた外部委託事業者等以外の者が配線を変更、追加してはならない。」
# 7(1)エ④ is about who may change the cabling: with no actor given it has nothing to say, so a
# zone connection keeps the exception of its own article and the ip_restriction it requires.
check_decision "--action connect_network --zone mynumber" forbid city "ip_restriction" true "世田谷 6(1)ア"
expect_not_in out "7(1)エ④"
check_decision "--action connect_network --zone lgwan --to-zone internet" forbid city "ip_restriction" \
	true "世田谷 6(2)ア"
expect_not_in out "7(1)エ④"
check_decision "--action connect_network --zone internet --to-zone lgwan" forbid city "ip_restriction" \
	true "世田谷 6(2)ア"
expect_not_in out "7(1)エ④"
# Nor does it speak, without an actor, of a connection inside one zone: the excerpt is silent.
# The silent answer is the strictest rule that can hold with no actor given: 6(1)ア / 6(2)ア's
# forbid with their exception (by the ward) and ip_restriction, not 7(1)エ④'s flat forbid, which
# binds named people only and so is no more an answer here than a match.
check_decision "--action connect_network --zone lgwan" forbid city "ip_restriction" true \
	"世田谷 (no rule; strictest applied)"
expect_eq "$(jq -c .citations out)" '["世田谷 (no rule; strictest applied)"]' "silent citations"
expect_exit 0 sk decide --profile "$profile" --action connect_network --zone lgwan --explain
expect_in out "that can hold with no actor given applies (3 rule(s) for named actors only left out)"

# Issue 17 review: each rule keeps to its article's subject (asset type; not given = every type).
# 9(2)ア「利用者がその権限を超えて情報システムを利用することができないように適正な措置」: use.
check_decision "--action use --actor-role $C --conf IV" allow_with_safeguards null access_restriction \
	false "世田谷 9(2)ア"
expect_not_in out "no rule"
# 6(1)イ②「USB メモリ等の電磁的記録媒体による端末からの情報持ち出し」: media and data, not paper.
check_decision "--action take_out --zone mynumber --asset-type media --conf IV" forbid city "" true \
	"世田谷 6(1)イ②"
expect_not_in out "no rule"
check_decision "--action take_out --zone mynumber --asset-type document --conf IV" forbid city "" true \
	"世田谷 (no rule; strictest applied)"
expect_not_in out "6(1)イ②"
# 9(1)カ「重要性の高い情報資産を取扱うシステム等に記録された情報…定期的にバックアップ」: not paper.
check_decision "--action store --asset-type document --conf I" allow_with_safeguards null \
	access_restriction false "世田谷 9(1)オ~世田谷 9(2)ア"
check_decision "--action store --asset-type data --conf I" allow_with_safeguards null \
	backup,access_restriction false "世田谷 9(1)カ"
# 9(1)タ「外部に送るデータ…暗号化又はパスワード設定等」: e-mail and electronic data, not paper.
check_decision "--action provide_external --asset-type data --conf III" allow_with_safeguards null \
	encrypt_or_password false "世田谷 9(1)タ"
expect_not_in out "no rule"
check_decision "--action provide_external --asset-type document --conf III" allow_with_safeguards \
	null encrypt_or_password false "世田谷 (no rule; strictest applied)"
# 9(3)キ①「電磁的記録媒体を有する機器について…修理又は廃棄させる場合には、情報資産が消去された状態
# で」: equipment (hardware, system), not a paper document.
check_decision "--action dispose --asset-type hardware --conf III" allow_with_safeguards null \
	irrecoverable_erase false "世田谷 9(3)キ①"
expect_not_in out "no rule"
check_decision "--action dispose --asset-type document --conf III" allow_with_safeguards null \
	irrecoverable_erase false "世田谷 (no rule; strictest applied)"

# With no asset type (SPEC §3 has no --asset-type) those articles answer, cleanly cited.
for a in "take_out --zone mynumber" "provide_external --conf III" "dispose --conf III"; do
	expect_exit 0 sk decide --profile "$profile" --action $a --json
	expect_not_in out "no rule"
done

# An unclassified asset is treated as 重要性分類Ⅰ: no free cloud service, and backups.
check_decision "--action store_free_cloud --actor-role staff" forbid null "" false "世田谷 14(1)②"
check_decision "--action store" allow_with_safeguards null "backup,access_restriction" false "世田谷 9(1)カ"

# A member of staff may not change the cabling (7(1)エ④), but a connection from the mynumber
# zone is the subject of 6(1)ア, which governs it (governs:, issue 17): the exception and its
# ip_restriction stand, and --explain says the cabling rule was set aside and by which article.
check_decision "--action connect_network --zone mynumber --actor-role staff" forbid city \
	"ip_restriction" true "世田谷 6(1)ア"
expect_not_in out "7(1)エ④"
check_decision "--action connect_network --zone lgwan --to-zone internet --actor-role staff" forbid \
	city "ip_restriction" true "世田谷 6(2)ア"
expect_exit 0 sk decide --profile "$profile" --action connect_network --zone mynumber \
	--actor-role staff --explain
expect_in out "network-wiring-others"
expect_in out "matched, but set aside: mynumber-connect-network [世田谷 6(1)ア] governs it"
# Inside one zone no article of 6 speaks, so the cabling rule still forbids staff outright.
check_decision "--action connect_network --zone lgwan --actor-role staff" forbid null "" false \
	"世田谷 7(1)エ④"

# 6(2)ア (to_zone): LGWAN接続系 and インターネット接続系 are separated, only needed traffic is
# allowed (the exception, ip_restriction); connecting within LGWAN is not touched by it.
check_decision "--action connect_network --zone lgwan --to-zone internet --actor-role $C" forbid city \
	"ip_restriction" true "世田谷 6(2)ア~世田谷 7(1)エ④"
check_decision "--action connect_network --zone internet --to-zone lgwan --actor-role system_manager" \
	forbid city "ip_restriction" true "世田谷 6(2)ア"
check_decision "--action connect_network --zone lgwan --actor-role system_manager" allow null "" false \
	"世田谷 7(1)エ④"
check_decision "--action connect_network --zone lgwan --to-zone lgwan --actor-role $C" require_approval \
	city "" false "世田谷 7(1)エ④"

# 9(1)ウ①「一定期間保存」, 9(1)エ 障害記録「常に活用できるように保存」 and 9(2)ウ⑤ privileged
# rotation: required, no period stated.
expect_exit 0 sk policy coverage "$profile" --json
expect_eq "$(jq -r '[.unstated_periods[] | .id + "=" + (.citations | join(","))] | join(";")' out)" \
	"access_log=世田谷 9(1)ウ①;failure_records=世田谷 9(1)エ;passwords.privileged.rotation_days=世田谷 9(2)ウ⑤" \
	"unstated periods"

# Where the excerpt is silent the strictest rule of the action applies, and says so.
no_rule="世田谷 (no rule; strictest applied)"
check_decision "--action copy --actor-role $C --conf IV" forbid null "" false "$no_rule"
check_decision "--action take_out --actor-role $C --conf IV --zone lgwan" forbid city "" true "$no_rule"
expect_exit 0 sk decide --profile "$profile" --action send_fax --conf IV --json
expect_eq "$(jq -c .citations out)" "[\"$no_rule\"]" "send_fax citations"

# Levels are the profile's own (重要性分類 I..IV): the other cities' "3" is bad input here.
expect_exit 2 sk decide --profile "$profile" --action store --conf 3 --json
expect_in err "'3'"
expect_in err "IV"

# No length is stated (8(7)エ④「十分な長さ」), so a short password trips no min_length rule,
# only the common-password list.
printf 'password\n' >pw
expect_exit 0 sk password check --profile "$profile" --json <pw
expect_eq "$(jq -r '.violations | join(",")' out)" "common_password" "setagaya password rules"
