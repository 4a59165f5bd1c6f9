#!/usr/bin/env bash
# backends: none
# The Hachioji profile's password rules, through `sekisho password check --profile hachioji`:
# 八王子 14(8) 「パスワードは8桁以上とし、数字、アルファベット、大文字小文字、記号を混ぜ」 for
# every ID (normal, and privileged IDs, which 14(5)(6) give no other length or composition);
# 八王子 22(3) 「パスワードは15桁以上」 for social-media accounts, which keep 14's composition;
# 八王子 14(10) 「定期的に変更…（推奨：90日）」 as a rotation reminder (reported by policy check).
# Hachioji requires no second factor for privileged IDs, so the floor under every profile
# (NIST SP 800-63B-4 3.1.1.2) asks 15 characters of them unless the account has one (--mfa).
. "$SEKISHO_TESTLIB"

# kind | password | expected violations (comma-separated, in the tool's order; empty = ok)
cases=$(
	cat <<'EOF'
normal     |Zq7!kLm#          |
normal     |Zq7!kLm           |min_length
normal     |zq7!klm#          |require_upper
normal     |ZQ7!KLM#          |require_lower
normal     |Zqx!kLm#          |require_digit
normal     |Zq7xkLmax         |require_symbol
normal     |zqxxklmxx         |require_upper,require_digit,require_symbol
privileged |Zq7!kLm#Zq7!kLm   |
privileged |zq7!klm#zq7!klm   |require_upper
privileged |Zq7!kLm#          |min_length
social     |Zq7!kLm#Zq7!kLm#  |
social     |Zq7!kLm#Zq7!kL    |min_length
social     |Zq7xkLmxZq7xkLmx  |require_symbol
EOF
)

n=0
while IFS='|' read -r kind pw want; do
	kind=${kind%% *}
	[ -n "$kind" ] || continue
	pw=${pw%% *}
	want=${want%% *}
	n=$((n + 1))
	printf '%s\n' "$pw" | expect_exit 0 sk password check --profile hachioji --kind "$kind" --json
	got=$(jq -r '.violations | join(",")' out)
	expect_eq "$got" "$want" "case $n: $kind '$pw' violations"
	expect_eq "$(jq -r .ok out)" "$([ -z "$want" ] && echo true || echo false)" "case $n: ok"
done <<<"$cases"
[ "$n" -ge 13 ] || fail "only $n cases ran"
# With a second factor the privileged ID's password needs only the profile's 8.
printf 'Zq7!kLm#\n' | expect_exit 0 sk password check --profile hachioji --kind privileged --mfa --json
expect_eq "$(jq -r .ok out)" true "privileged with a second factor"

# Common passwords are refused whatever the profile says (SPEC C3).
if [ -r /usr/share/john/password.lst ]; then
	echo 'Password1' | expect_exit 0 sk password check --profile hachioji --json
	expect_in out '"common_password"'
fi

# policy check states the profile's rotation and composition rules as NIST advisories:
# they exist because 14(8) and 14(10) say so (the profile wins; exit status stays 0).
expect_exit 0 sk policy check "$SEKISHO_SRC/policies/hachioji.yaml"
expect_in out "passwords.normal.rotation_days"
expect_in out "passwords.normal.require"
expect_in out "passwords.normal.min_length 8"
