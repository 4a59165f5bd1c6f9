# backends: none (the browser test keeps its own SQLite city: the pages, not the storage, are under test)
# The incident and notification pages and the account's preferences in a real browser
# (tests/web/incidents.mjs): a report with hostile text in every free-text field, the CSIRT
# board, response, escalation and closure, the reporter's notification, English and 和暦
# chosen on /account applying at the next login; JavaScript on and off, axe on every page.
. "$SEKISHO_TESTLIB"
web_test incidents.mjs
