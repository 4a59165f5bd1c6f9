# backends: none (the browser test keeps its own SQLite city: the pages, not the storage, are under test)
# The request, approval and ledger pages in a real browser (tests/web/requests.mjs): a staff
# member files a take-out of a 機密性3 asset with the safeguard checklist, the
# 情報セキュリティ対策責任者 Hachioji's profile names approves it from the inbox, another is
# rejected with a comment, a private device is refused citing 八王子 10(7), self-approval is
# refused, the ledger is exported; hostile text escaped, axe on every page, both languages,
# JavaScript on and off. Screenshots: build/web-screenshots.
. "$SEKISHO_TESTLIB"
web_test requests.mjs
