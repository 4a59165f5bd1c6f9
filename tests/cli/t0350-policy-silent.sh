#!/usr/bin/env bash
# backends: none
# The "silent" lists (issue 17): every input a shipped profile answers with "<city> (no rule;
# strictest applied)" is committed in docs/policy-silent/<profile>.txt. This test regenerates
# each list with `sekisho policy coverage --silent` and fails on any difference, so a new gap
# (a rule narrowed or removed) or a closed one cannot go unnoticed: update the list, having
# checked the seed for an article that speaks to each new line (docs/policy-silent/README.md).
. "$SEKISHO_TESTLIB"

dir="$SEKISHO_SRC/docs/policy-silent"
n=0
for p in $(sk policy list | awk '{print $1}'); do
	n=$((n + 1))
	[ -f "$dir/$p.txt" ] || fail "built-in profile $p has no committed list $dir/$p.txt"
	expect_exit 0 sk policy coverage --silent "$p"
	if ! diff -u "$dir/$p.txt" out >"$p.diff"; then
		cat "$p.diff" >&2
		fail "the inputs profile $p answers 'no rule; strictest applied' changed (diff above):" \
			"check the seed, then regenerate $dir/$p.txt"
	fi
	# The file in the tree gives the same list as the built-in copy.
	expect_exit 0 sk policy coverage --silent "$SEKISHO_SRC/policies/$p.yaml"
	diff -q "$dir/$p.txt" out >/dev/null || fail "policies/$p.yaml and the built-in $p differ"
done
expect_eq "$n" "5" "built-in profiles (four seeds and the standards template)"
# Every committed list belongs to a built-in profile (a renamed profile leaves no stale list).
for f in "$dir"/*.txt; do
	sk policy list | awk '{print $1}' | grep -qx "$(basename "$f" .txt)" || fail "$f names no built-in profile"
done

# What the lists say, checked against the seeds (not against the code):
# 新潟 別記 第22条第2項 speaks to a contractor's off-site work, so it is not silent (issue 17) ...
expect_not_in "$dir/niigata.txt" "process_outside: every input"
grep -q '^process_outside: actor=-,staff,city => forbid$' "$dir/niigata.txt" ||
	fail "niigata: process_outside by a contractor must not be silent, by others it is (forbid)"
# The 別記 binds 乙 only (第1条「乙が遵守すべき行為及び判断等の基準」): its rules are no silent answer
# for staff or for a question with no actor, so where only 別記 rules exist the answer is forbid.
for a in use store transport provide_external dispose carry_in; do
	grep -q "^$a: actor=-,staff,city => forbid\$" "$dir/niigata.txt" ||
		fail "niigata: $a by staff or no actor must be answered forbid (the 別記 binds 乙 only)"
done
# ... while neither public 新潟 document says anything of copying, for anyone.
expect_in "$dir/niigata.txt" "copy: every input => forbid"
# 世田谷 6(1)ア answers a connection from the マイナンバー利用事務系 with or without an actor.
expect_not_in "$dir/setagaya.txt" "zone=mynumber to_zone"
# 7(1)エ④ binds people, so without an actor its flat forbid is no silent answer either: the
# strictest rules left are 6(1)ア / 6(2)ア's, with their exception and ip_restriction.
grep -q '^connect_network: zone=lgwan to_zone=-,mynumber,lgwan actor=- => forbid, exception by city, safeguards ip_restriction$' \
	"$dir/setagaya.txt" || fail "setagaya: 7(1)エ④ says nothing without an actor"
# 成田 has no article on fax or social media; 八王子 speaks to every input.
expect_in "$dir/narita.txt" "send_fax: every input => forbid"
expect_in "$dir/narita.txt" "post_social_media: every input => forbid"
expect_eq "$(grep -vc '^#' "$dir/hachioji.txt" || true)" "0" "hachioji silent inputs"

# A new gap shows up: drop niigata's 第22条第2項 rule from a copy of the profile.
python3 - "$SEKISHO_SRC/policies/niigata.yaml" <<'PY' >gap.yaml
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
out, skip = [], False
for l in lines:
    if l.startswith("  - id: "):
        skip = l.strip() == "- id: contractor-process-outside"
    if not skip:
        out.append(l)
print("\n".join(out), end="")
PY
expect_exit 0 sk policy coverage --silent "$PWD/gap.yaml"
expect_in out "process_outside: every input => forbid"

# --profile P names the profile as decide's option does; one profile only.
expect_exit 0 sk policy coverage --silent --profile narita
diff -q "$dir/narita.txt" out >/dev/null || fail "--profile narita gives another list"
expect_exit 2 sk policy coverage --silent --profile narita niigata
# --silent is a text list.
expect_exit 2 sk policy coverage --silent --json niigata
expect_in err "--silent"
