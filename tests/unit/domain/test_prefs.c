/*
 * Unit tests of src/domain/prefs: an account's own language and date style
 * (issue 14: Japanese or English, 和暦 or western), unset until chosen, set
 * only by the account itself with its audit entry, bad values refused naming
 * the field with nothing written, on every storage backend.
 */
#include "testutil.h"

#include <string.h>

#include "domain/prefs.h"
#include "dtest.h"
#include "store/store.h"

static void exec(sk_store *s, const char *sql)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_store_exec(s, sql, NULL, 0, NULL, &err) != SK_OK)
		fail_msg("%s: %s", sql, err.data);
	sk_buf_free(&err);
}

static sk_store *fresh(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	exec(s, "INSERT INTO org_unit(id, code, name, kind, parent_id, created_at) VALUES "
	        "(1, 'city', '市', 'municipality', NULL, 0)");
	exec(s, "INSERT INTO users(id, login, name, unit_id, kind, status, created_at) VALUES "
	        "(10, 'taro', '太郎', 1, 'staff', 'active', 0), "
	        "(11, 'hanako', '花子', 1, 'staff', 'active', 0)");
	return s;
}

static sk_prefs get(sk_store *s, int64_t id)
{
	sk_prefs p;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_ok(sk_prefs_get(s, id, &p, &err), &err);
	sk_buf_free(&err);
	return p;
}

static void test_prefs(const char *backend)
{
	sk_store *s = fresh(backend);
	sk_actor taro = {.user_id = 10, .login = "taro", .address = "127.0.0.1"};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	/* Nothing chosen: the browser's language and western dates apply. */
	sk_prefs p = get(s, 10);
	assert_string_equal(p.lang, "");
	assert_string_equal(p.date_style, "");
	assert_int_equal(p.totp_enrolled_at, 0);

	dt_ok(sk_prefs_set(tu_ctx(s, &taro), "en", "wareki", &err), &err);
	p = get(s, 10);
	assert_string_equal(p.lang, "en");
	assert_string_equal(p.date_style, "wareki");
	/* Another account's are its own. */
	p = get(s, 11);
	assert_string_equal(p.lang, "");
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.prefs' "
	                             "AND object = 'user:taro'"),
	                 1);
	/* One left out stays; the same values again are no change (no second entry). */
	dt_ok(sk_prefs_set(tu_ctx(s, &taro), "ja", NULL, &err), &err);
	p = get(s, 10);
	assert_string_equal(p.lang, "ja");
	assert_string_equal(p.date_style, "wareki");
	dt_ok(sk_prefs_set(tu_ctx(s, &taro), "ja", "", &err), &err);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.prefs'"),
	                 2);

	/* Bad values name their field and write nothing. */
	dt_snap before = dt_snapshot(s);
	dt_expect(sk_prefs_set(tu_ctx(s, &taro), "fr", NULL, &err), SK_ERR_INVALID, &err, "fr");
	assert_string_equal(err.field, "lang");
	sk_buf_reset(&err);
	dt_expect(sk_prefs_set(tu_ctx(s, &taro), NULL, "meiji", &err), SK_ERR_INVALID, &err,
	          "meiji");
	assert_string_equal(err.field, "date_style");
	/* The CLI operator is no account: it has no preferences to set. */
	dt_expect(sk_prefs_set(dt_cli(s), "en", NULL, &err), SK_ERR_DENIED, &err, "account");
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "refusals", 0);
	assert_string_equal(get(s, 10).lang, "ja");
	assert_int_equal(sk_test_log_intact(s), dt_count(s, "SELECT COUNT(*) FROM audit_log"));
	sk_buf_free(&err);
	sk_store_close(s);
}
SK_TEST_EACH_BACKEND(test_prefs)

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_prefs_all)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
