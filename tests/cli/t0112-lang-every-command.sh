# Every CLI command speaks the reader's language (issue 15): each command `sekisho --help` lists
# is run with LANG=ja_JP.UTF-8 and with LANG=C, with a bad option, with nothing but --db, and
# with the not-found and bad-argument errors a person meets; a Japanese run may not print an
# English sentence on the error output, an English run no Japanese one. A sample of messages is
# checked word for word in both languages.
. "$SEKISHO_TESTLIB"
fresh_db
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit.key"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --db "$DB" --code joho --name 情報政策課 --kind section --parent somu

# The messages of src/domain and src/report come with their catalog on another branch: until it
# is merged, a Japanese run of a case marked D is not held to Japanese (the English run is).
domain_done=false
[ -f "$SEKISHO_SRC/src/core/sk_msg_domain.def" ] && domain_done=true
pending=0

# english_lines FILE: the lines that are an English sentence: only ASCII, two words in a row, not
# a usage line listing a command's options ("  sekisho asset add [--db URL] ...").
english_lines() {
  LC_ALL=C grep -vP '[^\x00-\x7f]' "$1" | grep -vE '^\s+sekisho ' | grep -E '[A-Za-z]{2,} [a-z]{2,}' || true
}
# japanese_lines FILE: the lines holding a Japanese sentence: hiragana or katakana outside
# parentheses and quotes, where English names a Japanese term ("ledgers (持ち出し記録 …)") or
# quotes a value a person gave.
japanese_lines() {
  sed -E "s/\([^)]*\)//g; s/'[^']*'//g" "$1" | grep -P '[\x{3041}-\x{30ff}]' || true
}

# run TAG ARGS...: runs sekisho ARGS in both languages (stdin empty) and checks the error output.
run() {
  local tag=$1; shift
  set +e
  sk_env LANG=ja_JP.UTF-8 LC_ALL= LC_MESSAGES= "$@" </dev/null >ja.out 2>ja.err
  sk_env LANG=C LC_ALL= LC_MESSAGES= "$@" </dev/null >en.out 2>en.err
  set -e
  local bad
  bad=$(english_lines ja.err)
  if [ -n "$bad" ]; then
    if [ "$tag" = D ] && ! $domain_done; then
      pending=$((pending + 1))
      echo "# pending the domain catalog: sekisho $*: $bad"
    else
      fail "LANG=ja_JP.UTF-8 sekisho $*: English on the error output: $bad"
    fi
  fi
  bad=$(japanese_lines en.err)
  [ -z "$bad" ] || fail "LANG=C sekisho $*: Japanese on the error output: $bad"
  return 0
}

# Every command: a bad option, and nothing but --db (what is required is said to be missing).
commands=$(sk --help | awk '/^  [a-z]/ {print $1}')
[ "$(echo "$commands" | wc -l)" -ge 18 ] || fail "sekisho --help lists too few commands: $commands"
for noun in $commands; do
  verbs=$(sk "$noun" --help 2>&1 | awk -v n="$noun" '$1 == "sekisho" && $2 == n && $3 !~ /^[-[]/ && $3 ~ /^[a-z]/ {print $3}' | sort -u)
  # A noun without verbs is one command.
  [ -n "$verbs" ] || verbs=-
  for verb in $verbs; do
    cmd=("$noun"); [ "$verb" = - ] || cmd+=("$verb")
    run C "${cmd[@]}" --no-such-option
    [ "$noun" = version ] || { [ -s ja.err ] && [ -s en.err ]; } || fail "sekisho ${cmd[*]} --no-such-option: no error output"
    case "$noun" in
      serve | demo) ;; # they would serve
      *) run D "${cmd[@]}" --db "$DB" ;;
    esac
  done
done
run C asset add --no-such-option
expect_in ja.err "オプションが不明か、値がありません: 「--no-such-option」"
expect_in en.err "unknown option or missing value: '--no-such-option'"
run C asset nosuchverb
expect_in ja.err "「asset nosuchverb」というコマンドはありません"
expect_in en.err "unknown command 'asset nosuchverb'"
run C nosuchnoun
expect_in ja.err "「nosuchnoun」というコマンドはありません"
run C asset
expect_in ja.err "「asset」の後にコマンドを指定してください"

# Not found, and arguments that are not what they should be.
run D asset show --db "$DB" 999
run C asset show --db "$DB" abc
expect_in ja.err "「abc」は資産の ID ではありません"
expect_in en.err "'abc' is not an asset id"
run D asset update --db "$DB" 999 --name x
run D asset dispose --db "$DB" 999 --operator x --record y
run D asset remove --db "$DB" 999 --reason x
run D asset history --db "$DB" 999
run C asset import --db "$DB" "$PWD/no-such.csv"
expect_in ja.err "を開けません"
run C asset export --db "$DB" --format pdf
expect_in ja.err "「pdf」という形式はありません（csv 又は xlsx）"
expect_in en.err "unknown format 'pdf' (csv or xlsx)"
run C audit show --db "$DB" --seq 999
expect_in ja.err "監査ログに 999 番の記録はありません"
expect_in en.err "there is no audit entry 999"
run C audit verify --export "$PWD/no-such.jsonl"
run C audit verify-proof "$PWD/no-such.json"
run C audit prove --db "$DB" --consistency 5 2
expect_in ja.err "旧件数 5 が新件数 2 より大きくなっています"
run C audit tail --db "$DB" -n abc
expect_in ja.err "--count には 1 から"
run D incident show --db "$DB" 999
run C incident show --db "$DB" abc
expect_in ja.err "「abc」はインシデントの ID ではありません"
run D incident escalate --db "$DB" 999
run D incident respond --db "$DB" 999 --cause x
run D incident close --db "$DB" 999
run C incident attach --db "$DB" 999 "$PWD/no-such.pdf"
run C incident attachment --db "$DB" abc
expect_in ja.err "「abc」は添付ファイルの ID ではありません"
run C ledger list --db "$DB" no-such-ledger
expect_in ja.err "「no-such-ledger」という記録簿はありません"
run C ledger export --db "$DB" --format pdf takeout
run D notify test --db "$DB" --to nobody
run C notify flush --db "$DB" --smtp ftp://x --mail-from a@example.jp
expect_in ja.err "URL は smtp:// 又は smtps:// で始めてください"
run D notify configure --db "$DB" --base-url not-a-url
run C notify remind --db "$DB" --after -1
run D org add --db "$DB" --code x1 --name X --kind planet --parent somu
run D org move --db "$DB" --unit nowhere --parent somu
run C password check --profile no-such-profile
expect_in ja.err "「no-such-profile」というプロファイルはありません"
run C password check --profile narita --kind galactic
expect_in ja.err "「galactic」というアカウントの種類はありません"
run C policy check "$PWD/no-such.yaml"
run C policy coverage no-such-profile
run C policy export --oscal no-such-profile
run D policy import --db "$DB" "$PWD/no-such.yaml"
run D policy activate --db "$DB" 999
run C policy activate --db "$DB" abc
expect_in ja.err "「abc」はポリシーの版番号ではありません"
run D policy diff --db "$DB" 1 999
run D record purge --db "$DB" --before someday
run D request file --db "$DB" --as nobody --kind take_out --reason x --details '{}'
expect_in ja.err "「nobody」という有効なアカウントはありません"
run D request show --db "$DB" 999
run D request approve --db "$DB" --as ciso 999
run D request reject --db "$DB" --as ciso 999
run D request withdraw --db "$DB" --as ciso 999
run D request complete --db "$DB" --as ciso --fields '{}' 999
run D role grant --db "$DB" --login nobody --role staff --unit joho
run D role revoke --db "$DB" --login nobody --role staff --unit joho
run D role list --db "$DB" --login nobody
run C sanitize "$PWD/no-such.eml"
run C sanitize --in "$PWD/no-such-dir" --out "$PWD/out-dir"
run C serve --db "$DB" --listen not-an-address
expect_in ja.err "ADDR:PORT の形式ではありません"
run D user show --db "$DB" nobody
run D user disable --db "$DB" nobody
run D user enable --db "$DB" nobody
run C user unlock --db "$DB" nobody
expect_in ja.err "「nobody」というアカウントはありません"
run C user unused --db "$DB" --days 0
run C user totp-enroll --db "$DB" nobody
run C user zone --db "$DB" nobody mars
expect_in ja.err "「mars」という区域はありません"
run D user set --db "$DB" nobody --email a@example.jp
run C user set --db "$DB" ciso --unix-user 'Not A Name'
expect_in ja.err "Unix のユーザー名ではありません"
run C decide --profile no-such-profile --action take_out
run D decide --profile narita --action nosuchaction
run C init --db "$DB" --profile narita
expect_in ja.err "--profile と --admin を指定してください"
run C admin-token --db "$DB"
expect_in ja.err "既に管理トークンがあります"
run C --as nobody --password-file "$PWD/no-such.pw" user list --db "$DB"
run C version --no-such-option
# Who one is: refused in the reader's language.
env -u SEKISHO_ADMIN_TOKEN bash -c 'LANG=ja_JP.UTF-8 "$SEKISHO_BIN" user list --db "$0"' "$DB" 2>ja.err && fail "user list without an account ran"
expect_in ja.err "個人として行う操作です"
# A database that is not there.
run C user list --db "sqlite:$PWD/nowhere/none.db"
$domain_done || echo "# $pending case(s) print src/domain's English in Japanese until the domain catalog is merged"
