# backends: none (the browser test keeps its own SQLite city: the pages, not the storage, are under test)
# The administration and audit pages in a real browser (tests/web/admin.mjs), with JavaScript
# on and off, in Japanese and English: an administrator adds a unit and an account (its
# temporary password shown once), grants a role, is refused a grant to themselves (the
# refusal beside the field), disables and re-enables the account; a staff member finds no
# /admin page (404); an auditor filters the log, opens an entry with its proof and verifies
# the log. Hostile text in unit and account names is shown escaped; axe on every page.
. "$SEKISHO_TESTLIB"
web_test admin.mjs
