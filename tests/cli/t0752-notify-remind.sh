# Requests left waiting remind their approvers (issue #13: "reminders for overdue requests"),
# once a day per request; `sekisho notify remind` runs the round `serve` runs every minute.
. "$SEKISHO_TESTLIB"
fresh_db
expect_exit 0 sk init --db "$DB" --profile narita --admin ciso --key "$PWD/audit.key"
expect_exit 0 sk org add --db "$DB" --code somu --name 総務部 --kind department --parent narita
expect_exit 0 sk org add --db "$DB" --code shiminka --name 市民課 --kind section --parent somu
pw() { printf 'Remind#2026-%s-long\n' "$1"; }
pw tanaka | expect_exit 0 sk user add --db "$DB" --login tanaka --name 田中 --unit shiminka \
  --role staff --password-stdin
pw kacho | expect_exit 0 sk user add --db "$DB" --login kacho --name 市民課長 --unit shiminka \
  --role security_manager --password-stdin
expect_exit 0 sk asset add --db "$DB" --unit shiminka --type document --name 窓口記録 --conf 2 \
  --integ 2 --avail 1 --manager 市民課長 --zone lgwan --location 書庫
asset=$(sql "SELECT MAX(id) FROM assets")
# 成田 基準 2(2)⑧: a transport of 機密性2 needs the 情報セキュリティ管理者's permission.
sg=$(sk decide --profile narita --action transport --conf 2 --json |
  python3 -c 'import json, sys; print(",".join(json.load(sys.stdin)["safeguards"]))')
expect_exit 0 sk request file --db "$DB" --as tanaka --kind transport --asset "$asset" \
  --reason 閲覧用 --details '{"destination": "北支所", "on": "2030-01-10", "purpose": "閲覧"}' \
  ${sg:+--safeguards "$sg"}
rid=$(sql "SELECT MAX(id) FROM requests")
expect_eq "$(sql "SELECT status FROM requests WHERE id = $rid")" pending "the transport"
# Filing told the 課長 at once; nothing is overdue yet.
expect_eq "$(sql "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.login = 'kacho' AND n.kind = 'request_to_decide'")" 1 "the approver's notice"
expect_exit 0 sk notify remind --db "$DB"
expect_in out "0 overdue request(s) reminded"

# Four days later (the filing moved back in time): reminded, once.
sql "UPDATE requests SET created_at = created_at - 4 * 86400 WHERE id = $rid" >/dev/null
expect_exit 0 sk notify remind --db "$DB"
expect_in out "1 overdue request(s) reminded"
expect_exit 0 sk notify remind --db "$DB"
expect_in out "0 overdue request(s) reminded"
expect_eq "$(sql "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.login = 'kacho' AND n.kind = 'request_overdue' AND n.ref_id = $rid")" 1 "one reminder"
# The requester is not reminded of their own request.
expect_eq "$(sql "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.login = 'tanaka' AND n.kind = 'request_overdue'")" 0 "the requester"
# A day after the reminder, another.
sql "UPDATE notifications SET created_at = created_at - 86400 - 60 WHERE kind = 'request_overdue'" >/dev/null
expect_exit 0 sk notify remind --db "$DB"
expect_in out "1 overdue request(s) reminded"

# Decided requests are no longer reminded of; the requester is told of the decision.
expect_exit 0 sk request approve --db "$DB" --as kacho "$rid"
sql "UPDATE notifications SET created_at = created_at - 2 * 86400 WHERE kind = 'request_overdue'" >/dev/null
expect_exit 0 sk notify remind --db "$DB"
expect_in out "0 overdue request(s) reminded"
expect_eq "$(sql "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.login = 'tanaka' AND n.kind = 'request_decided' AND n.ref_id = $rid")" 1 "the decision's notice"
expect_exit 2 sk notify remind --db "$DB" --after 0
expect_exit 0 sk audit verify --db "$DB"
