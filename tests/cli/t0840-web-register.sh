# backends: none (the browser test keeps its own SQLite city: the pages, not the storage, are under test)
# The register's import and export in a real browser (tests/web/register.mjs): a CSV imported
# by the asset manager (a dry run first, then for real), a file with two bad rows listing both
# errors and writing nothing, staff refused the page (404), uploads and exports without the
# CSRF token refused (403), the export downloaded as CSV (UTF-8, CP932) and .xlsx; JavaScript on
# and off, both languages, axe on every page.
. "$SEKISHO_TESTLIB"
web_test register.mjs
