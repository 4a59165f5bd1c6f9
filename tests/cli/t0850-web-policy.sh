# backends: none (the browser test keeps its own SQLite city: the pages, not the storage, are under test)
# The policy versions and the policy set in a real browser (tests/web/policy.mjs, issue 16):
# imports refused beside the field (no file, no profile, a text stored already) and one with
# hostile text; the diff line for line the API's; activation refused without the CISO's
# approval with the API's answer, then filed, approved by the CISO on the request's page and
# done; the set changed the same way; the staff member gets 404 (the API 403); JavaScript on
# and off, both languages, axe on every page.
. "$SEKISHO_TESTLIB"
web_test policy.mjs
