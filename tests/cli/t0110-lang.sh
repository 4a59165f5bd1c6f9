# Every command speaks the reader's language: with LANG=ja_JP.UTF-8 its usage
# and the errors of its command line are Japanese sentences, with LANG=C
# English ones; words a person types are taken in Japanese as well, and
# `decide` answers 持ち出し/機密性3 exactly as take_out/3.
# backends: none
. "$SEKISHO_TESTLIB"
unset LC_ALL LC_MESSAGES

ja() { sk_env LANG=ja_JP.UTF-8 "$@"; }
en() { sk_env LANG=C "$@"; }

# The message of stderr's first line (after "sekisho: ") is a Japanese sentence.
is_ja() {
  local line
  line=$(head -n 1 err)
  line=${line#sekisho: }
  printf '%s' "$line" | LC_ALL=C grep -q '[^ -~]' || fail "$*: not translated: '$line'"
}
is_en() {
  local line
  line=$(head -n 1 err)
  printf '%s' "$line" | LC_ALL=C grep -q '^sekisho: [ -~]*[a-z]' || fail "$*: not English: '$line'"
}

# Every noun, and every verb of a noun that has verbs.
expect_exit 0 en --help
nouns=$(sed -n 's/^  \([a-z]*\) .*/\1/p' out)
[ -n "$nouns" ] || fail "no commands listed"
expect_exit 0 ja --help
expect_in out "使い方: sekisho <コマンド>"
expect_in out "コマンド:"
# With no locale at all (a bare root shell, a container): Japanese, the city's language.
env -u LANG -u LC_ALL -u LC_MESSAGES "$SEKISHO_BIN" --help >out 2>err || fail "--help, no locale"
expect_in out "使い方: sekisho <コマンド>"
for n in $nouns; do
  grep -E "^  $n +" out | LC_ALL=C grep -q '[^ -~]' || fail "the summary of '$n' is not translated"
done

commands=""
for n in $nouns; do
  [ "$n" = version ] && continue
  expect_exit 0 en "$n" --help
  verbs=$(sed -n "s/^  sekisho $n \\([a-z-]*\\)\\( .*\\)\\{0,1\\}\$/\\1/p" out)
  if [ -n "$verbs" ]; then
    # A noun with verbs: asked for nothing, or for an unknown verb.
    expect_exit 2 ja "$n"; is_ja "$n"; expect_in err "使い方:"
    expect_exit 2 en "$n"; is_en "$n"; expect_in err "usage:"
    expect_exit 2 ja "$n" no-such-verb; is_ja "$n no-such-verb"
    expect_exit 2 en "$n" no-such-verb; is_en "$n no-such-verb"
    expect_exit 0 ja "$n" --help; expect_in out "使い方:"
    for v in $verbs; do commands="$commands $n:$v"; done
  else
    commands="$commands $n"
  fi
done

for c in $commands; do
  set -- $(printf '%s' "$c" | tr ':' ' ')
  # Usage, and an option no command takes.
  expect_exit 0 ja "$@" --help; expect_in out "使い方: sekisho $*"
  expect_exit 0 en "$@" --help; expect_in out "usage: sekisho $*"
  expect_exit 2 ja "$@" --no-such-option; is_ja "$* --no-such-option"; expect_in err "使い方: sekisho $*"
  expect_exit 2 en "$@" --no-such-option; is_en "$* --no-such-option"; expect_in err "usage: sekisho $*"
done
expect_exit 2 ja no-such-command; is_ja no-such-command
expect_exit 2 en no-such-command; is_en no-such-command

# Numbers out of range and arguments too many, through the shared option parser.
expect_exit 2 ja audit tail --limit 0; is_ja "audit tail --limit 0"
expect_exit 2 en audit tail --limit 0; is_en "audit tail --limit 0"
expect_exit 2 ja decide --profile hachioji --action copy extra; is_ja "decide extra"

expect_exit 2 ja decide --action copy; is_ja "decide without --profile"; expect_in err "--profile"
expect_exit 2 ja decide --profile hachioji; is_ja "decide without --action"
expect_exit 2 en decide --profile hachioji; expect_in err "--action is required"
expect_exit 2 ja decide --profile hachioji --batch --json; is_ja "decide --batch --json"

# Words a person types: an unknown one gets the accepted words, in Japanese in ja.
expect_exit 2 ja decide --profile hachioji --action 持ち出す
is_ja; expect_in err "「持ち出す」は行為として受け付けていません"; expect_in err "持ち出し（take_out）"
expect_exit 2 en decide --profile hachioji --action 持ち出す
expect_in err "unknown action '持ち出す' (accepted: create, acquire,"
expect_exit 2 ja decide --profile hachioji --action copy --conf 機密性9; is_ja; expect_in err "機密性"
expect_exit 2 ja decide --profile hachioji --action copy --zone 月面; is_ja
expect_in err "マイナンバー利用事務系（mynumber）"
expect_exit 2 ja decide --profile hachioji --action copy --asset-type 宇宙船; is_ja
expect_in err "ハードウェア（hardware）"
expect_exit 2 ja decide --profile hachioji --action copy --actor-role 王様; is_ja

# 持ち出し / 機密性3 is take_out / 3, in every profile, JSON and text alike.
for p in hachioji narita niigata setagaya; do
  levels="機密性3:3 機密性２:2 機密性1:1"
  # 世田谷 names its levels 重要性分類Ⅰ..Ⅳ; people type Ⅱ, II or ＩＩ.
  [ $p = setagaya ] && levels="重要性分類Ⅰ:I 重要性分類ＩＩ:II Ⅳ:IV"
  for lv in $levels; do
    lv=$(printf '%s' "$lv" | tr ':' ' ')
    set -- $lv
    expect_exit 0 sk decide --profile $p --action take_out --conf "$2" --json; cp out want
    expect_exit 0 sk decide --profile $p --action 持ち出し --conf "$1" --json
    cmp -s out want || fail "$p: 持ち出し/$1 answers $(cat out), take_out/$2 $(cat want)"
    expect_exit 0 sk decide --profile $p --action 持出し --conf "$2" --zone LGWAN接続系 \
      --asset-type パソコン --json; cp out got
    expect_exit 0 sk decide --profile $p --action take_out --conf "$2" --zone lgwan \
      --asset-type hardware --json
    cmp -s out got || fail "$p: synonyms answer differently"
    expect_exit 0 en decide --profile $p --action take_out --conf "$2"; cp out want
    expect_exit 0 en decide --profile $p --action 持ち出し --conf "$1"
    cmp -s out want || fail "$p: the text forms differ"
  done
done

# The decision in Japanese for people; the English text and the JSON stay as they were.
expect_exit 0 en decide --profile hachioji --action take_out --conf 3
expect_in out "decision: require_approval"
expect_in out "safeguard: encrypt_or_password"
expect_exit 0 ja decide --profile hachioji --action take_out --conf 3
expect_in out "判断: 承認が必要（require_approval）"
expect_in out "安全対策: 暗号化又はパスワードの設定（encrypt_or_password）"
expect_in out "根拠: 八王子 7(7)"
expect_not_in out "decision:"
expect_exit 0 ja decide --profile hachioji --action take_out --conf 3 --json
jq -e '.decision == "require_approval" and (keys | length) == 5' out >/dev/null ||
  fail "the JSON changed in ja: $(cat out)"
# --explain quotes the article each kept rule comes from.
expect_exit 0 en decide --profile hachioji --action take_out --conf 3 --explain
expect_in out "    note: 「"

# 和暦 and all-digit unit codes (the 地方公共団体コード), Japanese unit kinds.
fresh_db
expect_exit 0 sk init --db "$DB" --profile hachioji --admin ciso --code 132012 --key "$PWD/k"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind 部 --parent 132012
expect_exit 0 sk org add --db "$DB" --code joho --name 情報政策課 --kind 課 --parent somu
expect_exit 2 ja org add --db "$DB" --code x --name x --kind 係長 --parent somu
is_ja; expect_in err "課（section）"
expect_exit 0 sk org list --db "$DB" --json
jq -e '.[0].code == "132012" and .[1].kind == "department" and .[2].kind == "section"' out \
  >/dev/null || fail "org list: $(cat out)"
expect_exit 0 sk user add --db "$DB" --login dev1 --name 開発 --unit 132012 --role staff \
  --expires 令和9年3月31日
expect_exit 0 sk user show --db "$DB" dev1 --json
expect_in out '"expires_on": "2027-03-31"'
expect_exit 0 ja user show --db "$DB" dev1
expect_in out "2027-03-31 まで有効"
expect_exit 2 ja user add --db "$DB" --login dev2 --name 開発 --unit joho --role staff \
  --expires 令和9年2月30日
is_ja
expect_exit 2 ja init --db "sqlite:$PWD/other.db" --profile hachioji --admin ciso --time-zone Mars/Olympus
is_ja
