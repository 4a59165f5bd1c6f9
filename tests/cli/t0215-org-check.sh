# sekisho org check: every approver the profile may name for the people of a unit must have a
# holder at the unit or above, or their requests could not be routed (issue #13). Expectations
# from 成田 基準 2(2)⑧ (運搬 and 外部提供 need the 情報セキュリティ管理者's permission) and
# 基準 6(5)① (例外措置: the CISO's permission).
. "$SEKISHO_TESTLIB"
fresh_db
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit.key"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --db "$DB" --code gyokan --name 行政管理課 --kind section --parent somu
pw() { printf 'Check#2026-%s-long\n' "$1"; }
pw tanaka | expect_exit 0 sk user add --db "$DB" --login tanaka --name 田中 --unit gyokan \
  --role staff --password-stdin

# The section's staff have no 情報セキュリティ管理者 above them: reported, exit 1.
expect_exit 1 sk org check --db "$DB"
expect_in out "gyokan (行政管理課): Staff member's requests need 'Information security manager'"
expect_exit 1 sk org check --db "$DB" --json
python3 - out <<'PY' || fail "org check --json"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] is False, r
need = {(m["unit"], m["requester_role"], m["role"]) for m in r["missing"]}
assert ("gyokan", "staff", "security_manager") in need, need
# The exception approver (the CISO, 基準 6(5)①) is held at the root: never missing.
assert all(m["role"] != "ciso" for m in r["missing"]), r["missing"]
PY

# A 課長 as 情報セキュリティ管理者 of the section, a 部長 as 情報セキュリティ責任者 above it, the
# 総務部長 as 統括情報セキュリティ責任者 and the 行政管理課長 as 情報システム管理者 (パソコン等の持ち出し,
# 基準 4(1)①エ) city-wide: the staff's line is complete.
pw kacho | expect_exit 0 sk user add --db "$DB" --login kacho --name 課長 --unit gyokan \
  --role security_manager --password-stdin
pw bucho | expect_exit 0 sk user add --db "$DB" --login bucho --name 部長 --unit somu \
  --role security_officer --password-stdin
pw tokatsu | expect_exit 0 sk user add --db "$DB" --login tokatsu --name 総務部長 --unit narita \
  --role general_manager --password-stdin
pw sysman | expect_exit 0 sk user add --db "$DB" --login sysman --name 行政管理課長 --unit narita \
  --role system_manager --password-stdin
sk org check --db "$DB" --json >out 2>err || true
python3 - out <<'PY' || fail "org check after the chiefs were added"
import json, sys
r = json.load(open(sys.argv[1]))
staff = [m for m in r["missing"] if m["unit"] == "gyokan" and m["requester_role"] == "staff"]
assert not staff, staff
PY

# A disabled holder holds nothing.
expect_exit 0 sk user disable --db "$DB" kacho
sk org check --db "$DB" --json >out 2>err || true
expect_in out '"role": "security_manager"'

# Bad input: an unknown option exits 2.
expect_exit 2 sk org check --db "$DB" --bogus
