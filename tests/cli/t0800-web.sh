# backends: none (the browser test keeps its own SQLite city: the pages, not the storage, are under test)
# The web UI in a real browser (tests/web/run.mjs): Debian's chromium driven by playwright-core,
# axe-core for WCAG 2 A/AA, every page in Japanese and English, with JavaScript on and off:
# login, forced password change, TOTP enrollment, assets with hostile text, decide, policy,
# audit, logout. Screenshots: build/web-screenshots. Nothing is skipped silently: without
# chromium or the npm packages (scripts/deps.sh test installs both) this test fails.
. "$SEKISHO_TESTLIB"
web_test run.mjs
