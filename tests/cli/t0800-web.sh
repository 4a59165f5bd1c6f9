# backends: none (the browser test keeps its own SQLite city: the pages, not the storage, are under test)
# The web UI in a real browser (tests/web/run.mjs): Debian's chromium driven by playwright-core,
# axe-core for WCAG 2 A/AA, every page in Japanese and English, with JavaScript on and off:
# login, forced password change, TOTP enrollment, assets with hostile text, decide, policy,
# audit, logout. Screenshots: build/web-screenshots. Nothing is skipped silently: without
# chromium or the npm packages (scripts/deps.sh test installs both) this test fails.
. "$SEKISHO_TESTLIB"
web="$SEKISHO_SRC/tests/web"
[ -x /usr/bin/chromium ] || fail "chromium is not installed (scripts/deps.sh test)"
[ -d "$web/node_modules/playwright-core" ] || fail "tests/web/node_modules is missing (cd tests/web && npm ci)"
out="$(dirname "$SEKISHO_BIN")/web-screenshots"
mkdir -p "$out"
node "$web/run.mjs" "$SEKISHO_BIN" "$out" >web.txt 2>&1 || { grep -E "FAIL|Error" web.txt | head -n 20; fail "tests/web/run.mjs failed"; }
tail -n 1 web.txt
