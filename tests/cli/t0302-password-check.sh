# `sekisho password check`: {"ok", "violations"} from the profile's rules per account kind and
# from Debian john-data's common-password list; bad input exits 2.
# backends: none
. "$SEKISHO_TESTLIB"
EX=$SEKISHO_SRC/policies/example.yaml

echo 'Abcdefg1' | expect_exit 0 sk password check --profile "$EX" --json
expect_eq "$(cat out)" '{"ok": true, "violations": []}'

echo 'abcdefgh' | expect_exit 0 sk password check --profile "$EX" --json
expect_eq "$(cat out)" '{"ok": false, "violations": ["require_upper", "require_digit"]}'

# privileged: 12 characters and a symbol
echo 'Abcdefg1' | expect_exit 0 sk password check --profile "$EX" --kind privileged --json
expect_eq "$(cat out)" '{"ok": false, "violations": ["min_length", "require_symbol"]}'

# social media: 15 characters, no composition
echo 'correct horse battery staple' | expect_exit 0 sk password check --profile "$EX" --kind social --json
expect_eq "$(cat out)" '{"ok": true, "violations": []}'

# john-data's list, case-insensitively
if [ -r /usr/share/john/password.lst ]; then
  echo 'Password1' | expect_exit 0 sk password check --profile "$EX" --json
  expect_in out '"common_password"'
  echo 'qwertyuiopasdfgh' | expect_exit 0 sk password check --profile "$EX" --kind social --json
  grep -qix 'qwertyuiopasdfgh' /usr/share/john/password.lst && expect_in out common_password
fi

echo 'abcdefgh' | expect_exit 0 sk password check --profile "$EX"
expect_in out "violation: require_upper"

echo 'x' | expect_exit 2 sk password check --profile "$EX" --kind boss --json
expect_in err "unknown account kind 'boss'"
echo 'x' | expect_exit 2 sk password check --profile atlantis --json
expect_in err "unknown profile 'atlantis'"
echo 'x' | expect_exit 2 sk password check --json
expect_in err "--profile is required"
