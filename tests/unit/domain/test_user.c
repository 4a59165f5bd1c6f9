/*
 * Unit tests of src/domain/user: adding accounts (passwords, kinds, expiry),
 * disabling and enabling them, listings, audit images without secrets, and
 * the fault seam, on every backend of the run.
 */
#include <sodium.h>
#include <stdio.h>

#include "auth/password.h"
#include "core/sk_clock.h"
#include "domain/org.h"
#include "domain/role.h"
#include "domain/user.h"
#include "domain/audit_view.h"
#include "dtest.h"

static const char *const staff[] = {"staff"};

static void setup_units(sk_store *s)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_root(s);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "d1", "部", "department", "city", NULL, &err),
	      &err);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "s1", "課", "section", "d1", NULL, &err), &err);
	dt_ok(
	    sk_org_add(tu_ctx(s, sk_actor_cli()), "vendor", "業者", "contractor", "s1", NULL, &err),
	    &err);
	sk_buf_free(&err);
}

struct hash_row {
	char hash[SK_PASSWORD_HASH_MAX];
	int64_t temporary;
};

static sk_err take_hash(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct hash_row *h = ctx;
	snprintf(h->hash, sizeof(h->hash), "%s", sk_row_text(row, 0));
	h->temporary = sk_row_int(row, 1);
	return SK_OK;
}

static struct hash_row stored(sk_store *s, const char *login)
{
	struct hash_row h = {"", -1};
	sk_val p[] = {sk_vtext(login)};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_ok(sk_store_query(s,
	                     "SELECT password_hash, password_temporary FROM users WHERE login = ?",
	                     p, 1, take_hash, &h, &err),
	      &err);
	sk_buf_free(&err);
	return h;
}

static void add(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup_units(s);
	char temp[SK_PASSWORD_TEMP_MAX];
	int64_t id = 0;

	/* A generated password is temporary, shown once, and is what the hash verifies. */
	sk_user_new u = {
	    .login = "taro", .name = "山田 太郎", .unit = "s1", .roles = staff, .nroles = 1};
	dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, &id, temp, &err), &err);
	assert_int_equal(strlen(temp), SK_PASSWORD_TEMP_LEN);
	struct hash_row h = stored(s, "taro");
	assert_int_equal(h.temporary, 1);
	assert_int_equal(sk_password_verify(h.hash, temp, strlen(temp)), SK_OK);
	assert_int_equal(sk_password_verify(h.hash, "wrong", 5), SK_ERR_AUTH);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM password_history"), 1);

	/* A given password is not temporary and nothing is generated. */
	const char *two[] = {"staff", "security_manager"};
	u = (sk_user_new){.login = "hanako",
	                  .name = "佐藤 花子",
	                  .unit = "s1",
	                  .roles = two,
	                  .nroles = 2,
	                  .password = "Correct-Horse-9",
	                  .password_len = 15};
	dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), &err);
	assert_string_equal(temp, "");
	h = stored(s, "hanako");
	assert_int_equal(h.temporary, 0);
	assert_int_equal(sk_password_verify(h.hash, "Correct-Horse-9", 15), SK_OK);

	/* The kind follows the unit unless given. */
	const char *con[] = {"contractor"};
	u = (sk_user_new){
	    .login = "vendor1", .name = "V", .unit = "vendor", .roles = con, .nroles = 1};
	dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), &err);
	json_t *j = NULL;
	dt_ok(sk_user_show(dt_cli(s), "vendor1", &j, &err), &err);
	assert_string_equal(json_string_value(json_object_get(j, "kind")), "contractor");
	json_decref(j);

	/* No audit image holds a hash or a password. */
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE "
	                             "'%argon2%' OR before_json LIKE '%argon2%' OR after_json LIKE "
	                             "'%Horse%'"),
	                 0);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.add'"),
	                 3);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'role.grant'"),
	                 4);

	/* Bad input: one message naming the value, nothing written. */
	dt_snap before = dt_snapshot(s);
	u = (sk_user_new){.login = "taro", .name = "x", .unit = "s1", .roles = staff, .nroles = 1};
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_EXISTS, &err,
	          "'taro'");
	u.login = "jiro";
	u.unit = "nosuch";
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_NOT_FOUND,
	          &err, "'nosuch'");
	u.unit = "s1";
	const char *bad[] = {"staff", "wizard"};
	u.roles = bad;
	u.nroles = 2;
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_INVALID,
	          &err, "'wizard' (valid: ciso, general_manager");
	const char *misplaced[] = {"ciso"};
	u.roles = misplaced;
	u.nroles = 1;
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_INVALID,
	          &err, "not at the section 's1'");
	u.roles = staff;
	u.nroles = 0;
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_INVALID,
	          &err, "at least one role");
	u.nroles = 1;
	u.login = "Jiro";
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_INVALID,
	          &err, "'Jiro'");
	u.login = "ji ro";
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_INVALID,
	          &err, "'ji ro'");
	u.login = "system";
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_INVALID,
	          &err, "reserved");
	u.login = "jiro";
	u.kind = "alien";
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_INVALID,
	          &err, "'alien'");
	u.kind = NULL;
	u.expires_at = sk_clock_now() - 10;
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_INVALID,
	          &err, "past");
	u.expires_at = 0;
	u.password = "short";
	u.password_len = 5;
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_INVALID,
	          &err, "hachioji profile's rules: min_length");
	u.password = "alllowercaseletters";
	u.password_len = strlen(u.password);
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_INVALID,
	          &err, "require_upper");
	u.password = "";
	u.password_len = 0;
	dt_expect(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), SK_ERR_INVALID,
	          &err, "min_length");
	assert_string_equal(temp, "");
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "bad user input", 0);

	/* A development ID keeps its expiry. */
	u = (sk_user_new){
	    .login = "dev1", .name = "開発", .unit = "s1", .roles = staff, .nroles = 1};
	dt_ok(sk_user_parse_expiry("2099-03-31", &u.expires_at, &err), &err);
	dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), &err);
	dt_ok(sk_user_show(dt_cli(s), "dev1", &j, &err), &err);
	/* It works through that day: expires at the midnight after it, JST. */
	assert_string_equal(json_string_value(json_object_get(j, "expires_at")),
	                    "2099-04-01T00:00:00+09:00");
	assert_string_equal(json_string_value(json_object_get(j, "expires_on")), "2099-03-31");
	assert_true(json_is_true(json_object_get(j, "password_temporary")));
	json_decref(j);
	sk_buf_free(&err);
	sk_store_close(s);
}

static void expiry(void **state)
{
	(void)state;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t t = 0;
	dt_ok(sk_user_parse_expiry("2026-04-01", &t, &err), &err);
	/* 2026-04-01 24:00 JST = 2026-04-01 15:00 UTC. */
	assert_int_equal(t, 1775055600);
	dt_ok(sk_user_parse_expiry("2026-04-01T09:00:00+09:00", &t, &err), &err);
	assert_int_equal(t, 1775001600);
	dt_expect(sk_user_parse_expiry("2026-02-30", &t, &err), SK_ERR_INVALID, &err, "2026-02-30");
	dt_expect(sk_user_parse_expiry("tomorrow", &t, &err), SK_ERR_INVALID, &err, "'tomorrow'");
	/* 和暦 and the other ways a ledger writes a day. */
	dt_ok(sk_user_parse_expiry("令和8年4月1日", &t, &err), &err);
	assert_int_equal(t, 1775055600);
	dt_ok(sk_user_parse_expiry("R8.4.1", &t, &err), &err);
	assert_int_equal(t, 1775055600);
	dt_ok(sk_user_parse_expiry("2026/4/1", &t, &err), &err);
	assert_int_equal(t, 1775055600);
	dt_ok(sk_user_parse_expiry("２０２６年４月１日", &t, &err), &err);
	assert_int_equal(t, 1775055600);
	dt_expect(sk_user_parse_expiry("令和8年2月30日", &t, &err), SK_ERR_INVALID, &err,
	          "令和8年2月30日");
	assert_non_null(strstr(err.ja, "日付"));
	sk_buf_free(&err);
}

static void states_and_lists(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup_units(s);
	char temp[SK_PASSWORD_TEMP_MAX];
	const char *ciso[] = {"ciso"};
	sk_user_new u = {.login = "boss", .name = "B", .unit = "city", .roles = ciso, .nroles = 1};
	dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), &err);
	u = (sk_user_new){.login = "a1", .name = "A", .unit = "s1", .roles = staff, .nroles = 1};
	dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), &err);
	u.login = "a2";
	u.unit = "d1";
	dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), &err);

	dt_snap before = dt_snapshot(s);
	dt_expect(sk_user_set_active(tu_ctx(s, sk_actor_cli()), "boss", false, &err),
	          SK_ERR_CONFLICT, &err, "last active ciso");
	dt_expect(sk_user_set_active(tu_ctx(s, sk_actor_cli()), "a1", true, &err), SK_ERR_CONFLICT,
	          &err, "active already");
	dt_expect(sk_user_set_active(tu_ctx(s, sk_actor_cli()), "nobody", false, &err),
	          SK_ERR_NOT_FOUND, &err, "'nobody'");
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "bad state changes", 0);

	dt_ok(sk_user_set_active(tu_ctx(s, sk_actor_cli()), "a1", false, &err), &err);
	json_t *j = NULL;
	dt_ok(sk_user_show(dt_cli(s), "a1", &j, &err), &err);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "disabled");
	assert_true(json_is_string(json_object_get(j, "disabled_at")));
	assert_null(json_object_get(j, "password_hash"));
	json_t *roles = json_object_get(j, "roles");
	assert_int_equal(json_array_size(roles), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(roles, 0), "role")),
	                    "staff");
	json_decref(j);
	dt_ok(sk_user_set_active(tu_ctx(s, sk_actor_cli()), "a1", true, &err), &err);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE object = 'user:a1' AND "
	                             "action IN ('user.disable', 'user.enable')"),
	                 2);

	dt_ok(sk_user_list(dt_cli(s), NULL, NULL, &j, &err), &err);
	assert_int_equal(json_array_size(j), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "login")),
	                    "a1");
	json_decref(j);
	dt_ok(sk_user_list(dt_cli(s), "s1", NULL, &j, &err), &err);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
	dt_ok(sk_user_list(dt_cli(s), NULL, "ciso", &j, &err), &err);
	assert_int_equal(json_array_size(j), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "login")),
	                    "boss");
	json_decref(j);
	dt_expect(sk_user_list(dt_cli(s), "zz", NULL, &j, &err), SK_ERR_NOT_FOUND, &err, "'zz'");
	dt_expect(sk_user_list(dt_cli(s), NULL, "king", &j, &err), SK_ERR_INVALID, &err, "'king'");
	sk_buf_free(&err);
	sk_store_close(s);
}

/* Reads of accounts, grants and the audit log are scoped by the reader's capability. */
static sk_ctx *as_user(sk_store *s, sk_ctx *c, sk_actor *a, const char *login)
{
	char q[128];
	snprintf(q, sizeof(q), "SELECT id FROM users WHERE login = '%s'", login);
	*a = (sk_actor){.user_id = dt_count(s, q), .login = login, .address = "127.0.0.1"};
	sk_ctx_init(c, s, NULL, a);
	return c;
}

static bool has_login(const json_t *arr, const char *key, const char *value)
{
	size_t i;
	const json_t *x;
	json_array_foreach (arr, i, x)
		if (strcmp(json_string_value(json_object_get(x, key)), value) == 0)
			return true;
	return false;
}

static void scoped_reads(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup_units(s);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "d2", "部2", "department", "city", NULL, &err),
	      &err);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "s3", "課3", "section", "d2", NULL, &err),
	      &err);
	static const char *const people[][3] = {{"boss", "city", "ciso"},
	                                        {"aud1", "s1", "auditor"},
	                                        {"m1", "s1", "security_manager"},
	                                        {"st1", "s1", "staff"},
	                                        {"st3", "s3", "staff"}};
	for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		char temp[SK_PASSWORD_TEMP_MAX];
		const char *role[] = {people[i][2]};
		sk_user_new u = {.login = people[i][0],
		                 .name = people[i][0],
		                 .unit = people[i][1],
		                 .roles = role,
		                 .nroles = 1};
		dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), &err);
	}
	sk_ctx c;
	sk_actor a;
	json_t *j = NULL;
	/* The auditor of s1 (user.read, audit.read there): s1 and below, nothing of s3 or the root.
	 */
	as_user(s, &c, &a, "aud1");
	dt_ok(sk_user_list(&c, NULL, NULL, &j, &err), &err);
	assert_true(has_login(j, "login", "st1") && has_login(j, "login", "m1"));
	assert_false(has_login(j, "login", "st3") || has_login(j, "login", "boss"));
	json_decref(j);
	dt_ok(sk_user_show(&c, "st1", &j, &err), &err);
	json_decref(j);
	dt_expect(sk_user_show(&c, "st3", &j, &err), SK_ERR_NOT_FOUND, &err, "'st3'");
	dt_ok(sk_role_list(&c, NULL, NULL, NULL, &j, &err), &err);
	assert_true(has_login(j, "login", "st1"));
	assert_false(has_login(j, "login", "st3") || has_login(j, "login", "boss"));
	json_decref(j);
	dt_ok(sk_audit_view_list(&c, 0, 1000, &j, &err), &err);
	assert_true(has_login(j, "object", "user:st1"));
	assert_false(has_login(j, "object", "user:st3") || has_login(j, "object", "user:boss"));
	json_decref(j);
	sk_ctx_fini(&c);
	/* The section's chief (八王子 5(5): user.read, audit.read at s1) sees its section. */
	as_user(s, &c, &a, "m1");
	dt_ok(sk_user_list(&c, NULL, NULL, &j, &err), &err);
	assert_true(has_login(j, "login", "st1") && has_login(j, "login", "aud1"));
	assert_false(has_login(j, "login", "st3") || has_login(j, "login", "boss"));
	json_decref(j);
	dt_expect(sk_user_show(&c, "st3", &j, &err), SK_ERR_NOT_FOUND, &err, "'st3'");
	sk_ctx_fini(&c);
	/* Staff hold no user.read: their own account only, and no audit log. */
	as_user(s, &c, &a, "st1");
	dt_ok(sk_user_show(&c, "st1", &j, &err), &err);
	json_decref(j);
	dt_expect(sk_user_show(&c, "m1", &j, &err), SK_ERR_NOT_FOUND, &err, "'m1'");
	dt_ok(sk_user_list(&c, NULL, NULL, &j, &err), &err);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	dt_expect(sk_audit_view_list(&c, 0, 10, &j, &err), SK_ERR_DENIED, &err, "audit.read");
	sk_ctx_fini(&c);
	/* The CISO at the root sees everything. */
	as_user(s, &c, &a, "boss");
	dt_ok(sk_user_list(&c, NULL, NULL, &j, &err), &err);
	assert_int_equal(json_array_size(j), 5);
	json_decref(j);
	dt_ok(sk_audit_view_list(&c, 0, 1000, &j, &err), &err);
	assert_int_equal((int64_t)json_array_size(j),
	                 dt_count(s, "SELECT COUNT(*) FROM audit_log"));
	json_decref(j);
	sk_ctx_fini(&c);
	sk_buf_free(&err);
	sk_store_close(s);
}

struct op_ctx {
	int round;
};

static sk_err op_add(sk_store *s, void *ctx, sk_buf *err)
{
	struct op_ctx *c = ctx;
	char login[32], temp[SK_PASSWORD_TEMP_MAX];
	snprintf(login, sizeof(login), "f%d", c->round);
	const char *two[] = {"staff", "security_manager"};
	/* A given password keeps the loop fast; generation is tested above. */
	sk_user_new u = {.login = login,
	                 .name = "F",
	                 .unit = "s1",
	                 .roles = two,
	                 .nroles = 2,
	                 .password = "Pw-12345678",
	                 .password_len = 11};
	sk_err e = sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, err);
	if (!e)
		c->round++;
	return e;
}

static int disabled;

static sk_err op_toggle(sk_store *s, void *ctx, sk_buf *err)
{
	(void)ctx;
	sk_err e = sk_user_set_active(tu_ctx(s, sk_actor_cli()), "f0", disabled, err);
	if (!e)
		disabled = !disabled;
	return e;
}

static void faults(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	setup_units(s);
	struct op_ctx c = {0};
	/* user row, history, audit (the first of a transaction: 2 on SQLite, where the head is
	 * read and not advanced first, 3 on PostgreSQL), two grants with audit (3 each: later
	 * entries take the head from memory, audit.h): at least 10 writes. */
	dt_fault_seam(s, op_add, &c, 10, "user add");
	dt_fault_commit(s, op_add, &c, "user add commit");
	disabled = 0;
	dt_fault_seam(s, op_toggle, NULL, 3, "user disable");
	dt_fault_commit(s, op_toggle, NULL, "user enable commit");
	sk_store_close(s);
}

SK_TEST_EACH_BACKEND(add)
SK_TEST_EACH_BACKEND(states_and_lists)
SK_TEST_EACH_BACKEND(faults)
SK_TEST_EACH_BACKEND(scoped_reads)

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(add_all),
	    cmocka_unit_test(expiry),
	    cmocka_unit_test(states_and_lists_all),
	    cmocka_unit_test(faults_all),
	    cmocka_unit_test(scoped_reads_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
