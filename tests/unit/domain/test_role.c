/*
 * Unit tests of src/domain/role: the role table, grants and revocations with
 * their audit entries, the last-CISO guard, listings and the fault seam, on
 * every backend of the run.
 */
#include <stdio.h>

#include "domain/org.h"
#include "domain/role.h"
#include "domain/user.h"
#include "dtest.h"

static void table(void **state)
{
	(void)state;
	static const char *const spec[] = {"ciso",
	                                   "general_manager",
	                                   "security_officer",
	                                   "security_manager",
	                                   "system_manager",
	                                   "system_staff",
	                                   "csirt",
	                                   "dm_officer",
	                                   "staff",
	                                   "contractor",
	                                   "auditor",
	                                   "city"};
	size_t n;
	const sk_role_info *t = sk_role_table(&n);
	assert_int_equal(n, sizeof(spec) / sizeof(spec[0]));
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(t[i].name, spec[i]);
		/* One table: the entry's role is the policy layer's, which titles it. */
		assert_int_equal(t[i].role, (sk_role)i);
		assert_string_equal(sk_role_name(t[i].role), spec[i]);
		assert_true(strlen(sk_role_title(t[i].role, SK_LANG_JA)) > 0);
		assert_true(strlen(sk_role_title(t[i].role, SK_LANG_EN)) > 0);
		assert_ptr_equal(sk_role_find(spec[i]), &t[i]);
		/* Every role can be held somewhere. */
		assert_true(t[i].unit_kinds != 0);
	}
	const sk_role_info *r;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_expect(sk_role_lookup("CISO", &r, &err), SK_ERR_INVALID, &err, "'CISO'");
	assert_non_null(strstr(err.data, "auditor, city"));
	assert_null(sk_role_find("admin"));
	sk_buf_free(&err);
}

static void setup(sk_store *s)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_root(s);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "d1", "部", "department", "city", NULL, &err),
	      &err);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "s1", "課", "section", "d1", NULL, &err), &err);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "dm", "指定管理者", "designated_manager", "d1",
	                 NULL, &err),
	      &err);
	char temp[SK_PASSWORD_TEMP_MAX];
	const char *ciso[] = {"ciso"}, *staff[] = {"staff"};
	sk_user_new u = {.login = "boss",
	                 .name = "B",
	                 .unit = "city",
	                 .roles = ciso,
	                 .nroles = 1,
	                 .password = "Pw-12345678",
	                 .password_len = 11};
	dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), &err);
	u = (sk_user_new){.login = "a1",
	                  .name = "A",
	                  .unit = "s1",
	                  .roles = staff,
	                  .nroles = 1,
	                  .password = "Pw-12345678",
	                  .password_len = 11};
	dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), &err);
	sk_buf_free(&err);
}

static void grants(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup(s);
	const sk_actor *cli = sk_actor_cli();
	dt_snap before = dt_snapshot(s);
	dt_expect(sk_role_grant(tu_ctx(s, cli), "a1", "boss", "s1", &err), SK_ERR_INVALID, &err,
	          "'boss'");
	dt_expect(sk_role_grant(tu_ctx(s, cli), "zz", "staff", "s1", &err), SK_ERR_NOT_FOUND, &err,
	          "'zz'");
	dt_expect(sk_role_grant(tu_ctx(s, cli), "a1", "csirt", "nowhere", &err), SK_ERR_NOT_FOUND,
	          &err, "'nowhere'");
	dt_expect(sk_role_grant(tu_ctx(s, cli), "a1", "staff", "s1", &err), SK_ERR_EXISTS, &err,
	          "already");
	dt_expect(sk_role_grant(tu_ctx(s, cli), "a1", "dm_officer", "s1", &err), SK_ERR_INVALID,
	          &err, "designated_manager");
	dt_expect(sk_role_grant(tu_ctx(s, cli), "a1", "contractor", "d1", &err), SK_ERR_INVALID,
	          &err, "contractor");
	dt_expect(sk_role_revoke(tu_ctx(s, cli), "a1", "auditor", "s1", &err), SK_ERR_NOT_FOUND,
	          &err, "does not hold");
	dt_expect(sk_role_revoke(tu_ctx(s, cli), "boss", "ciso", "city", &err), SK_ERR_CONFLICT,
	          &err, "last active ciso");
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "bad grants", 0);

	dt_ok(sk_role_grant(tu_ctx(s, cli), "a1", "security_manager", "s1", &err), &err);
	dt_ok(sk_role_grant(tu_ctx(s, cli), "a1", "dm_officer", "dm", &err), &err);
	dt_ok(sk_role_grant(tu_ctx(s, cli), "a1", "ciso", "city", &err), &err);
	/* With a second CISO the first may go. */
	dt_ok(sk_role_revoke(tu_ctx(s, cli), "boss", "ciso", "city", &err), &err);
	json_t *j = NULL;
	dt_ok(sk_role_list(dt_cli(s), "a1", NULL, NULL, &j, &err), &err);
	assert_int_equal(json_array_size(j), 4);
	json_t *first = json_array_get(j, 0);
	assert_string_equal(json_string_value(json_object_get(first, "role")), "ciso");
	/* the profile's (八王子's) own title, in Japanese */
	assert_string_equal(json_string_value(json_object_get(first, "title")),
	                    "最高情報責任者（CIO）（デジタル推進室に関する事務を所掌する副市長。"
	                    "最高情報セキュリティ責任者（CISO）を兼務）");
	json_decref(j);
	dt_ok(sk_role_list(dt_cli(s), NULL, "ciso", NULL, &j, &err), &err);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
	dt_ok(sk_role_list(dt_cli(s), NULL, NULL, "s1", &j, &err), &err);
	assert_int_equal(json_array_size(j), 2);
	json_decref(j);
	dt_expect(sk_role_list(dt_cli(s), NULL, "x", NULL, &j, &err), SK_ERR_INVALID, &err, "'x'");
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'role.revoke' "
	                             "AND object = 'user:boss' AND after_json IS NULL"),
	                 1);
	sk_buf_free(&err);
	sk_store_close(s);
}

static int held;

static sk_err op_toggle(sk_store *s, void *ctx, sk_buf *err)
{
	(void)ctx;
	sk_err e = held ? sk_role_revoke(tu_ctx(s, sk_actor_cli()), "a1", "auditor", "d1", err)
	                : sk_role_grant(tu_ctx(s, sk_actor_cli()), "a1", "auditor", "d1", err);
	if (!e)
		held = !held;
	return e;
}

static void faults(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	setup(s);
	held = 0;
	/* The row and the audit entry (2 writes on SQLite, 3 on PostgreSQL: audit.h). */
	dt_fault_seam(s, op_toggle, NULL, 3, "role grant");
	dt_fault_commit(s, op_toggle, NULL, "role revoke commit");
	dt_fault_seam(s, op_toggle, NULL, 3, "role revoke");
	dt_fault_commit(s, op_toggle, NULL, "role grant commit");
	sk_store_close(s);
}

SK_TEST_EACH_BACKEND(grants)
SK_TEST_EACH_BACKEND(faults)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(table),
	    cmocka_unit_test(grants_all),
	    cmocka_unit_test(faults_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
