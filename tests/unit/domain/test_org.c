/*
 * Unit tests of src/domain/org: the tree's rules, lookups, moves, audit
 * entries and the fault seam, on every backend of the run.
 */
#include <stdio.h>
#include <string.h>

#include "domain/org.h"
#include "domain/role.h"
#include "domain/user.h"
#include "dtest.h"

static sk_err add_unit(sk_store *s, const char *code, const char *kind, const char *parent,
                       sk_buf *err)
{
	return sk_org_add(tu_ctx(s, sk_actor_cli()), code, code, kind, parent, NULL, err);
}

static void tree(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	/* Nothing but the municipality may come first, and it takes no parent. */
	dt_expect(add_unit(s, "somu", "department", NULL, &err), SK_ERR_INVALID, &err,
	          "needs a parent");
	dt_expect(add_unit(s, "city", "municipality", "x", &err), SK_ERR_INVALID, &err,
	          "takes no parent");
	dt_root(s);
	dt_expect(add_unit(s, "city2", "municipality", NULL, &err), SK_ERR_CONFLICT, &err, "root");
	/* The schema itself holds one root only, whatever a racing writer does. */
	assert_int_equal(
	    sk_store_exec(s,
	                  "INSERT INTO org_unit(code, name, kind, parent_id, created_at) "
	                  "VALUES ('r2', 'r2', 'municipality', NULL, 0)",
	                  NULL, 0, NULL, &err),
	    SK_ERR_EXISTS);
	int64_t dep = 0;
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "somu", "総務部", "department", "city", &dep,
	                 &err),
	      &err);
	char depid[24];
	snprintf(depid, sizeof(depid), "%lld", (long long)dep);
	/* A parent is accepted by id as well as by code. */
	dt_ok(add_unit(s, "joho", "section", depid, &err), &err);
	dt_ok(add_unit(s, "kakari", "section", "joho", &err), &err);
	dt_ok(add_unit(s, "vendor", "contractor", "joho", &err), &err);
	dt_ok(add_unit(s, "center", "designated_manager", "city", &err), &err);
	/* The designated manager's subcontractor (八王子 19(1)). */
	dt_ok(add_unit(s, "center-sub", "contractor", "center", &err), &err);

	/* Bad input names the bad value and changes nothing. */
	dt_snap before = dt_snapshot(s);
	dt_expect(add_unit(s, "x1", "section", "nosuch", &err), SK_ERR_NOT_FOUND, &err, "'nosuch'");
	dt_expect(add_unit(s, "x1", "section", "999", &err), SK_ERR_NOT_FOUND, &err, "'999'");
	dt_expect(add_unit(s, "joho", "section", "somu", &err), SK_ERR_EXISTS, &err, "'joho'");
	dt_expect(add_unit(s, "x1", "planet", "somu", &err), SK_ERR_INVALID, &err, "'planet'");
	dt_expect(add_unit(s, "x1", "section", "city", &err), SK_ERR_INVALID, &err,
	          "cannot sit under the municipality 'city'");
	dt_expect(add_unit(s, "x1", "department", "somu", &err), SK_ERR_INVALID, &err,
	          "cannot sit under");
	dt_expect(add_unit(s, "x1", "section", "vendor", &err), SK_ERR_INVALID, &err,
	          "cannot sit under the contractor");
	dt_expect(add_unit(s, "x1", "section", "center", &err), SK_ERR_INVALID, &err,
	          "cannot sit under the designated_manager");
	/* A code that is some unit's id would make that id ambiguous. */
	dt_expect(add_unit(s, depid, "section", "somu", &err), SK_ERR_INVALID, &err,
	          "is the id of");
	/* A name that U+202E turns around, or U+200B hides a part of (issue #12). */
	dt_expect(sk_org_add(tu_ctx(s, sk_actor_cli()), "x1", "情報\xe2\x80\xae課理管", "section",
	                     "somu", NULL, &err),
	          SK_ERR_INVALID, &err, "direction-changing");
	dt_expect(sk_org_add(tu_ctx(s, sk_actor_cli()), "x1", "情報\xe2\x80\x8b管理課", "section",
	                     "somu", NULL, &err),
	          SK_ERR_INVALID, &err, "invisible");
	dt_expect(add_unit(s, "a b", "section", "somu", &err), SK_ERR_INVALID, &err, "'a b'");
	dt_expect(add_unit(s, "-ab", "section", "somu", &err), SK_ERR_INVALID, &err, "'-ab'");
	dt_expect(
	    sk_org_add(tu_ctx(s, sk_actor_cli()), "x1", "bad\xff", "section", "somu", NULL, &err),
	    SK_ERR_INVALID, &err, "UTF-8");
	dt_expect(
	    sk_org_add(tu_ctx(s, sk_actor_cli()), "x1", "a\nb", "section", "somu", NULL, &err),
	    SK_ERR_INVALID, &err, "control");
	dt_expect(sk_org_add(tu_ctx(s, sk_actor_cli()), "x1", "", "section", "somu", NULL, &err),
	          SK_ERR_INVALID, &err, "empty");
	char longname[SK_ORG_NAME_MAX + 2];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	dt_expect(
	    sk_org_add(tu_ctx(s, sk_actor_cli()), "x1", longname, "section", "somu", NULL, &err),
	    SK_ERR_INVALID, &err, "longer");
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "bad input", 0);

	/* Lookups by id and code agree; the JSON has the contract's keys. */
	sk_org_unit a, b;
	dt_ok(sk_org_get(s, "somu", &a, &err), &err);
	dt_ok(sk_org_get(s, depid, &b, &err), &err);
	assert_int_equal(a.id, b.id);
	assert_string_equal(b.name, "総務部");
	assert_int_equal(b.kind, SK_ORG_DEPARTMENT);
	json_t *list = NULL;
	dt_ok(sk_org_list(s, &list, &err), &err);
	assert_int_equal(json_array_size(list), 7);
	json_t *root = json_array_get(list, 0), *second = json_array_get(list, 1);
	assert_string_equal(json_string_value(json_object_get(root, "code")), "city");
	assert_true(json_is_null(json_object_get(root, "parent")));
	assert_int_equal(json_integer_value(json_object_get(second, "parent")),
	                 json_integer_value(json_object_get(root, "id")));
	assert_string_equal(json_string_value(json_object_get(second, "kind")), "department");
	assert_int_equal(json_object_size(second), 5);
	json_decref(list);

	/* Each unit has exactly one org.add entry naming it. */
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'org.add'"), 7);
	assert_int_equal(
	    dt_count(s, "SELECT COUNT(*) FROM org_unit o WHERE (SELECT COUNT(*) FROM audit_log a "
	                "WHERE a.object = 'org_unit:' || CAST(o.id AS TEXT)) = 1"),
	    7);
	sk_buf_free(&err);
	sk_store_close(s);
}

static void move(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_root(s);
	dt_ok(add_unit(s, "d1", "department", "city", &err), &err);
	dt_ok(add_unit(s, "d2", "department", "city", &err), &err);
	dt_ok(add_unit(s, "s1", "section", "d1", &err), &err);
	dt_ok(add_unit(s, "s2", "section", "s1", &err), &err);
	dt_snap before = dt_snapshot(s);
	dt_expect(sk_org_move(tu_ctx(s, sk_actor_cli()), "s1", "s2", &err), SK_ERR_CONFLICT, &err,
	          "cycle");
	dt_expect(sk_org_move(tu_ctx(s, sk_actor_cli()), "s1", "s1", &err), SK_ERR_CONFLICT, &err,
	          "under itself");
	dt_expect(sk_org_move(tu_ctx(s, sk_actor_cli()), "city", "d1", &err), SK_ERR_INVALID, &err,
	          "root");
	dt_expect(sk_org_move(tu_ctx(s, sk_actor_cli()), "s1", "d1", &err), SK_ERR_CONFLICT, &err,
	          "already");
	dt_expect(sk_org_move(tu_ctx(s, sk_actor_cli()), "s1", "city", &err), SK_ERR_INVALID, &err,
	          "cannot sit under");
	dt_expect(sk_org_move(tu_ctx(s, sk_actor_cli()), "s1", "zz", &err), SK_ERR_NOT_FOUND, &err,
	          "'zz'");
	dt_expect(sk_org_move(tu_ctx(s, sk_actor_cli()), "zz", "d1", &err), SK_ERR_NOT_FOUND, &err,
	          "'zz'");
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "bad moves", 0);

	dt_ok(sk_org_move(tu_ctx(s, sk_actor_cli()), "s1", "d2", &err), &err);
	sk_org_unit s2, d2;
	dt_ok(sk_org_get(s, "s1", &s2, &err), &err);
	dt_ok(sk_org_get(s, "d2", &d2, &err), &err);
	assert_int_equal(s2.parent_id, d2.id);
	bool within = false;
	dt_ok(sk_org_get(s, "s2", &s2, &err), &err);
	dt_ok(sk_org_is_within(s, s2.id, d2.id, &within, &err), &err);
	assert_true(within);
	/* The move's entry carries both images. */
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'org.move' "
	                             "AND before_json IS NOT NULL AND after_json IS NOT NULL"),
	                 1);
	sk_buf_free(&err);
	sk_store_close(s);
}

struct add_ctx {
	int round;
};

static sk_err op_add(sk_store *s, void *ctx, sk_buf *err)
{
	struct add_ctx *c = ctx;
	char code[32];
	snprintf(code, sizeof(code), "u%d", c->round);
	sk_err e = add_unit(s, code, "department", "city", err);
	if (!e)
		c->round++;
	return e;
}

static int move_to_d2;

static sk_err op_move(sk_store *s, void *ctx, sk_buf *err)
{
	(void)ctx;
	sk_err e = sk_org_move(tu_ctx(s, sk_actor_cli()), "s1", move_to_d2 ? "d2" : "d1", err);
	if (!e)
		move_to_d2 = !move_to_d2;
	return e;
}

static void faults(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_root(s);
	struct add_ctx c = {0};
	/* An add writes its row and its audit entry (2 statements on SQLite, where the head is
	 * read and not advanced first, audit.h; 3 on PostgreSQL): at least 3 writes. */
	dt_fault_seam(s, op_add, &c, 3, "org add");
	dt_fault_commit(s, op_add, &c, "org add commit");
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM org_unit"), 2);
	dt_ok(add_unit(s, "d1", "department", "city", &err), &err);
	dt_ok(add_unit(s, "d2", "department", "city", &err), &err);
	dt_ok(add_unit(s, "s1", "section", "d1", &err), &err);
	move_to_d2 = 1;
	dt_fault_seam(s, op_move, NULL, 3, "org move");
	dt_fault_commit(s, op_move, NULL, "org move commit");
	sk_buf_free(&err);
	sk_store_close(s);
}

/* Accounts other than the CLI operator need ciso or general_manager above the unit. */
static void permissions(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_root(s);
	dt_ok(add_unit(s, "d1", "department", "city", &err), &err);
	dt_ok(add_unit(s, "d2", "department", "city", &err), &err);
	const char *gm[] = {"security_officer"};
	sk_user_new u = {.login = "boss",
	                 .name = "Boss",
	                 .unit = "d1",
	                 .roles = gm,
	                 .nroles = 1,
	                 .password = "Passw0rd!x",
	                 .password_len = 10};
	char temp[SK_PASSWORD_TEMP_MAX];
	int64_t id = 0;
	dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, &id, temp, &err), &err);
	sk_actor boss = {
	    .user_id = id, .login = "boss", .address = "192.0.2.1", .superuser = false};
	/* security_officer is not an administrator: denied, nothing written. */
	dt_snap before = dt_snapshot(s);
	dt_expect(sk_org_add(tu_ctx(s, &boss), "s1", "s1", "section", "d1", NULL, &err),
	          SK_ERR_DENIED, &err, "'d1'");
	dt_expect(sk_org_add(tu_ctx(s, &boss), "c2", "c2", "municipality", NULL, NULL, &err),
	          SK_ERR_DENIED, &err, "root");
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "denied", 0);
	/* general_manager is held at the root only; at the root it covers every unit. */
	dt_expect(sk_role_grant(tu_ctx(s, sk_actor_cli()), "boss", "general_manager", "d1", &err),
	          SK_ERR_INVALID, &err, "municipality");
	dt_ok(sk_role_grant(tu_ctx(s, sk_actor_cli()), "boss", "general_manager", "city", &err),
	      &err);
	dt_ok(sk_org_add(tu_ctx(s, &boss), "s1", "s1", "section", "d1", NULL, &err), &err);
	dt_ok(sk_org_add(tu_ctx(s, &boss), "s2", "s2", "section", "d2", NULL, &err), &err);
	/* The actor's login is the audit entry's actor. */
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE actor = 'boss' AND "
	                             "address = '192.0.2.1' AND action = 'org.add'"),
	                 2);
	/* A disabled account has no rights left. */
	const char *staff[] = {"staff"};
	u = (sk_user_new){.login = "other", .name = "O", .unit = "d1", .roles = staff, .nroles = 1};
	dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), &err);
	dt_ok(sk_user_set_active(tu_ctx(s, sk_actor_cli()), "boss", false, &err), &err);
	dt_expect(sk_org_add(tu_ctx(s, &boss), "s3", "s3", "section", "d1", NULL, &err),
	          SK_ERR_DENIED, &err, "may not");
	sk_buf_free(&err);
	sk_store_close(s);
}

/*
 * Kinds by their Japanese names; a code of digits only (the 地方公共団体コード)
 * is a code, and digits that are both a code and an id are refused, never guessed.
 */
static void digit_codes(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_root(s);
	dt_ok(add_unit(s, "somu", "部", "city", &err), &err);
	dt_ok(add_unit(s, "151009", "課", "somu", &err), &err);
	dt_ok(add_unit(s, "kakari", "係", "151009", &err), &err);
	dt_ok(add_unit(s, "v", "外部委託事業者", "somu", &err), &err);
	sk_org_unit u;
	dt_ok(sk_org_get(s, "151009", &u, &err), &err);
	assert_string_equal(u.code, "151009");
	assert_int_equal(u.kind, SK_ORG_SECTION);
	dt_ok(sk_org_get(s, "kakari", &u, &err), &err);
	assert_int_equal(u.kind, SK_ORG_SECTION);
	dt_ok(sk_org_get(s, "v", &u, &err), &err);
	assert_int_equal(u.kind, SK_ORG_CONTRACTOR);
	dt_ok(sk_org_get(s, "somu", &u, &err), &err);
	char ref[24], pref[32];
	snprintf(ref, sizeof(ref), "%lld", (long long)u.id);
	dt_ok(sk_org_get(s, ref, &u, &err), &err);
	assert_string_equal(u.code, "somu");
	/* A code that is the next unit's id: once that unit exists, the digits could be either. */
	int64_t next = dt_count(s, "SELECT MAX(id) FROM org_unit") + 2;
	snprintf(ref, sizeof(ref), "%lld", (long long)next);
	dt_ok(add_unit(s, ref, "課", "somu", &err), &err);
	dt_ok(sk_org_get(s, ref, &u, &err), &err);
	int64_t by_code = u.id;
	assert_true(by_code != next);
	dt_ok(add_unit(s, "x7", "課", "somu", &err), &err);
	dt_ok(sk_org_get(s, "x7", &u, &err), &err);
	assert_int_equal(u.id, next);
	dt_expect(sk_org_get(s, ref, &u, &err), SK_ERR_INVALID, &err, "or id:");
	snprintf(pref, sizeof(pref), "code:%s", ref);
	dt_ok(sk_org_get(s, pref, &u, &err), &err);
	assert_int_equal(u.id, by_code);
	snprintf(pref, sizeof(pref), "id:%s", ref);
	dt_ok(sk_org_get(s, pref, &u, &err), &err);
	assert_string_equal(u.code, "x7");
	dt_expect(add_unit(s, "x8", "係長", "somu", &err), SK_ERR_INVALID, &err, "'係長'");
	assert_non_null(strstr(err.ja, "課（section）"));
	sk_buf_free(&err);
	sk_store_close(s);
}

SK_TEST_EACH_BACKEND(tree)
SK_TEST_EACH_BACKEND(digit_codes)
SK_TEST_EACH_BACKEND(move)
SK_TEST_EACH_BACKEND(faults)
SK_TEST_EACH_BACKEND(permissions)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(tree_all),        cmocka_unit_test(digit_codes_all),
	    cmocka_unit_test(move_all),        cmocka_unit_test(faults_all),
	    cmocka_unit_test(permissions_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
