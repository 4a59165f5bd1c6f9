# backends: none
# sekisho demo --profile P: each of the four cities gets the organization
# and accounts its policy names and a register of at least 60 assets covering
# every classification level and network zone of its profile. The expected
# levels, zones, roles and chains of command are written here from the seeds
# (/work/shared/seeds) and the profiles' roles: sections, not read from the code.
. "$SEKISHO_TESTLIB"

# check CITY LEVELS(conf|integ|avail) ZONES ROLES CHAINS
#   CHAINS: ";"-separated "ROLE@KIND:role,role,..." — for every account holding
#   ROLE at a unit of KIND, each listed role must have a holder at that unit or above.
check() {
  local p=$1 conf=$2 integ=$3 avail=$4 zones=$5 roles=$6 chains=$7
  expect_exit 0 sk demo --profile "$p" --db "$p.db" --no-serve
  expect_in out "created the demo installation"
  expect_in out "(profile $p)"
  expect_in out "assets in the register"
  expect_exit 0 sk audit verify --db "$p.db"
  expect_exit 0 sk asset list --db "$p.db" --json
  cp out "$p.assets"
  expect_exit 0 sk role list --db "$p.db" --json
  cp out "$p.roles"
  expect_exit 0 sk org list --db "$p.db" --json
  cp out "$p.org"
  expect_exit 0 sk demo --profile "$p" --db "$p.db" --json
  cp out "$p.report"
  python3 - "$p" "$conf" "$integ" "$avail" "$zones" "$roles" "$chains" <<'PY' || fail "$p: demo city check"
import json, sys
p, conf, integ, avail, zones, roles, chains = sys.argv[1:]
assets = json.load(open(p + ".assets"))
grants = json.load(open(p + ".roles"))
units = {u["id"]: u for u in json.load(open(p + ".org"))}
report = json.load(open(p + ".report"))
bad = []
if len(assets) < 60:
    bad.append("%d assets" % len(assets))
if report["profile"] != p or report["assets"] != len(assets) or len(report["units"]) != len(units):
    bad.append("report: profile %s, %s assets, %d units" % (report["profile"], report["assets"], len(report["units"])))
for axis, want in (("conf", conf), ("integ", integ), ("avail", avail)):
    have = {str(a[axis]) for a in assets}
    for lv in want.split():
        if lv not in have:
            bad.append("no asset of %s level %s (have %s)" % (axis, lv, sorted(have)))
    extra = have - set(want.split())
    if extra:
        bad.append("%s levels outside the profile: %s" % (axis, sorted(extra)))
have_zones = {a["zone"] for a in assets}
for z in zones.split():
    if z not in have_zones:
        bad.append("no asset in zone %s" % z)
if not have_zones <= {"mynumber", "lgwan", "internet"}:
    bad.append("unknown zones %s" % sorted(have_zones))
if len({a["unit_code"] for a in assets}) < 8:
    bad.append("assets in only %d units" % len({a["unit_code"] for a in assets}))
for a in assets:
    if not a["manager"] or not a["acquired_on"] or not a["disposal_method"]:
        bad.append("asset %s lacks manager, date or disposal method" % a["name"])
held = {g["role"] for g in grants}
for r in roles.split():
    if r not in held:
        bad.append("nobody holds %s" % r)

def above(uid):
    while uid is not None:
        yield uid
        uid = units[uid]["parent"]

holders = {}
for g in grants:
    holders.setdefault(g["role"], set()).add(g["unit"])
for spec in chains.split(";"):
    who, chain = spec.split(":")
    role, kind = who.split("@")
    mine = [g for g in grants if g["role"] == role and units[g["unit"]]["kind"] == kind]
    if not mine:
        bad.append("nobody holds %s at a %s" % (role, kind))
    for g in mine:
        for r in chain.split(","):
            if not holders.get(r, set()) & set(above(g["unit"])):
                bad.append("%s (%s at %s): no %s at the unit or above" % (g["login"], role, g["unit_code"], r))
if bad:
    print(p + ":\n  " + "\n  ".join(bad))
    sys.exit(1)
PY
}

# 成田 基準 1 and 2(1): 機密性1-3, 完全性1-2, 可用性1-2; the seed names no zones.
# Chain 基準 1: 職員 → 情報セキュリティ管理者（課長）→ 責任者（部長）→ 統括（総務部長）→ CISO
# (副市長); the 情報システム管理者 (行政管理課長) approves take-outs of PCs for every section.
check narita "1 2 3" "1 2" "1 2" "" \
  "ciso general_manager security_officer security_manager system_manager system_staff staff contractor" \
  "staff@section:security_manager,security_officer,general_manager,ciso,system_manager;contractor@contractor:security_manager"

# 新潟 基本方針 2(8)-(10): three zones; the public texts name 甲, 乙 and 職員等 (別記 第1条);
# 乙 reports to and asks permission of 甲.
check niigata "1 2 3" "1 2" "1 2" "mynumber lgwan internet" \
  "city contractor staff" \
  "staff@section:city;contractor@contractor:city"

# 世田谷 抜粋版: 重要性分類Ⅰ-Ⅳ, no 完全性/可用性 classes; 6(1)-(3) three zones.
# 職員等 report to the CISO補佐 (10(1)イ①), who reports to the CISO.
check setagaya "I II III IV" "-" "-" "mynumber lgwan internet" \
  "ciso general_manager security_manager system_manager staff contractor auditor city" \
  "staff@section:general_manager,ciso,security_manager,system_manager,city;contractor@contractor:general_manager"

# 八王子 7(1): 機密性1-3, 完全性1-2, 可用性1-2; 7(11)ア: two networks. Roles 5(1)-(11), 19, 25.
# A 指定管理業務従事者's chain (6(1)): 対策責任者 → 管理者（課長）→ 責任者（部長）→ 総括 → CISO.
check hachioji "1 2 3" "1 2" "1 2" "mynumber internet" \
  "ciso general_manager security_officer security_manager system_manager system_staff csirt dm_officer staff contractor auditor city" \
  "staff@section:security_manager,security_officer,general_manager,ciso;staff@designated_manager:dm_officer,security_manager,security_officer,general_manager,ciso"

# The default is still 八王子; an unknown city and a database holding another city are refused.
expect_exit 0 sk demo --db default.db --json
expect_in out '"profile": "hachioji"'
expect_exit 2 sk demo --profile tokyo --db x.db --no-serve
expect_in err "tokyo"
expect_in err "narita, niigata, setagaya, hachioji"
[ ! -e x.db ] || fail "an unknown profile created a database"
expect_exit 2 sk demo --profile narita --db hachioji.db --no-serve
expect_in err "hachioji.db holds the hachioji installation, not narita"
