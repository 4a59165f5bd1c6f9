/*
 * Unit tests of src/domain/install and src/domain/demo: creating an
 * installation once, its failure modes (nothing written, no key file left
 * behind) and the sample city, on every backend of the run.
 */
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/password.h"
#include "domain/demo.h"
#include "domain/install.h"
#include "domain/role.h"
#include "domain/user.h"
#include "dtest.h"

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void key_paths(char *key, char *pub, size_t n)
{
	const char *dir = sk_test_tmpdir();
	snprintf(key, n, "%s/audit-key", dir);
	snprintf(pub, n, "%s/audit-key.pub", dir);
}

static void init(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char key[512], pub[512];
	sk_install_result res;
	key_paths(key, pub, sizeof(key));
	sk_install_opts o = {.profile = "setagaya", .admin_login = "ciso", .key_path = key};

	/* Bad input first: nothing is written and no key is made. */
	dt_snap before = dt_snapshot(s);
	o.profile = "atlantis";
	dt_expect(sk_install_init(tu_ctx(s, sk_actor_cli()), &o, &res, &err), SK_ERR_INVALID, &err,
	          "'atlantis'");
	o.profile = key; /* not an existing file */
	dt_expect(sk_install_init(tu_ctx(s, sk_actor_cli()), &o, &res, &err), SK_ERR_INVALID, &err,
	          key);
	o.profile = "setagaya";
	o.admin_login = "Bad Login";
	dt_expect(sk_install_init(tu_ctx(s, sk_actor_cli()), &o, &res, &err), SK_ERR_INVALID, &err,
	          "'Bad Login'");
	o.admin_login = "ciso";
	sk_actor web = {.user_id = 1, .login = "someone", .address = "192.0.2.9"};
	dt_expect(sk_install_init(tu_ctx(s, &web), &o, &res, &err), SK_ERR_DENIED, &err, "CLI");
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "bad init", 0);
	assert_false(exists(key));

	dt_ok(sk_install_init(tu_ctx(s, sk_actor_cli()), &o, &res, &err), &err);
	assert_int_equal(strlen(res.temp_password), SK_PASSWORD_TEMP_LEN);
	assert_string_equal(res.root_name, "世田谷区");
	assert_string_equal(res.root_code, "setagaya");
	assert_true(exists(key) && exists(pub));
	sk_org_unit root;
	dt_ok(sk_org_get(s, "setagaya", &root, &err), &err);
	assert_string_equal(root.name, "世田谷区");
	assert_int_equal(root.kind, SK_ORG_MUNICIPALITY);
	sk_buf v = SK_BUF_INIT(4096);
	dt_ok(sk_store_meta_get(s, "policy.profile", &v, &err), &err);
	assert_string_equal(v.data, "setagaya");
	dt_ok(sk_store_meta_get(s, "audit.origin", &v, &err), &err);
	assert_non_null(strstr(v.data, "sekisho.setagaya/"));
	sk_buf_free(&v);
	json_t *j = NULL;
	dt_ok(sk_user_show(dt_cli(s), "ciso", &j, &err), &err);
	assert_true(json_is_true(json_object_get(j, "password_temporary")));
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(j, "roles"), 0), "role")),
	                    "ciso");
	json_decref(j);

	/* A second init changes nothing, whatever its arguments. */
	before = dt_snapshot(s);
	o.profile = "narita";
	o.admin_login = "other";
	char key2[600];
	snprintf(key2, sizeof(key2), "%s2", key);
	o.key_path = key2;
	dt_expect(sk_install_init(tu_ctx(s, sk_actor_cli()), &o, &res, &err), SK_ERR_CONFLICT, &err,
	          "installation already");
	after = dt_snapshot(s);
	dt_assert_same(&before, &after, "second init", 0);
	assert_false(exists(key2));
	sk_buf_free(&err);
	sk_store_close(s);
}

static void profile_file(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char key[512], pub[512], prof[600];
	sk_install_result res;
	key_paths(key, pub, sizeof(key));
	snprintf(prof, sizeof(prof), "%s.yaml", key);
	/* A profile that does not load is refused with its first problem. */
	FILE *f = fopen(prof, "w");
	assert_non_null(f);
	fputs("format: 1\ncity: nowhere\n", f);
	fclose(f);
	sk_install_opts o = {.profile = prof, .admin_login = "ciso", .key_path = key};
	dt_expect(sk_install_init(tu_ctx(s, sk_actor_cli()), &o, &res, &err), SK_ERR_INVALID, &err,
	          "is not valid");
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM org_unit"), 0);
	/* The project's example profile loads; its city names the root unless overridden. */
	const char *example = SK_SOURCE_ROOT "/policies/example.yaml";
	o.profile = example;
	o.name = "テスト町";
	dt_ok(sk_install_init(tu_ctx(s, sk_actor_cli()), &o, &res, &err), &err);
	sk_org_unit root;
	dt_ok(sk_org_get(s, "example", &root, &err), &err);
	assert_string_equal(root.name, "テスト町");
	sk_buf v = SK_BUF_INIT(4096);
	dt_ok(sk_store_meta_get(s, "policy.profile", &v, &err), &err);
	assert_true(v.data[0] == '/');
	assert_non_null(strstr(v.data, "policies/example.yaml"));
	sk_buf_free(&v);
	sk_buf_free(&err);
	sk_store_close(s);
}

static const char *fault_key;

static sk_err op_init(sk_store *s, void *ctx, sk_buf *err)
{
	(void)ctx;
	sk_install_result res;
	sk_install_opts o = {.profile = "niigata", .admin_login = "ciso", .key_path = fault_key};
	sk_err e = sk_install_init(tu_ctx(s, sk_actor_cli()), &o, &res, err);
	/* A failed init must not leave its key behind. */
	if (e && exists(fault_key))
		fail_msg("init failed (%s) but left %s", err->data, fault_key);
	return e;
}

static void faults(const char *backend)
{
	char key[512], pub[512];
	key_paths(key, pub, sizeof(key));
	fault_key = key;
	sk_store *s = sk_test_open_fresh(backend);
	dt_fault_commit(s, op_init, NULL, "init commit");
	assert_false(exists(key));
	/* meta (2), install entry (3), root (3), account (2 + 2 + 3), audit meta (2): 17 (audit
	 * entries after a transaction's first take the head from memory: 2 writes, audit.h). */
	dt_fault_seam(s, op_init, NULL, 17, "init");
	assert_true(exists(key));
	sk_store_close(s);
}

static void demo(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char key[512], pub[512];
	key_paths(key, pub, sizeof(key));

	/* A failure anywhere in the middle leaves nothing. */
	dt_snap before = dt_snapshot(s);
	json_t *r = NULL;
	sk_store_fault(s, SK_FAULT_WRITE, 60);
	dt_expect(sk_demo_create(tu_ctx(s, sk_actor_cli()), NULL, key, &r, &err), SK_ERR_STORE,
	          &err, "injected");
	sk_store_fault(s, SK_FAULT_WRITE, 0);
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "demo", 60);
	assert_false(exists(key));
	assert_null(r);
	/* Nor one while the register is being written. */
	sk_store_fault(s, SK_FAULT_WRITE, 400);
	dt_expect(sk_demo_create(tu_ctx(s, sk_actor_cli()), NULL, key, &r, &err), SK_ERR_STORE,
	          &err, "injected");
	sk_store_fault(s, SK_FAULT_WRITE, 0);
	after = dt_snapshot(s);
	dt_assert_same(&before, &after, "demo", 400);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM assets"), 0);
	assert_false(exists(key));

	dt_ok(sk_demo_create(tu_ctx(s, sk_actor_cli()), NULL, key, &r, &err), &err);
	assert_true(json_is_true(json_object_get(r, "demo")));
	assert_string_equal(json_string_value(json_object_get(r, "profile")), "hachioji");
	size_t nunits = json_array_size(json_object_get(r, "units"));
	json_t *accounts = json_object_get(r, "accounts");
	assert_true(nunits >= 12);
	assert_true(json_array_size(accounts) >= 18);
	/* Every role of SPEC §3 is held by someone. */
	size_t n;
	const sk_role_info *t = sk_role_table(&n);
	for (size_t i = 0; i < n; i++) {
		int64_t holders = 0;
		dt_ok(sk_role_count_active(s, t[i].name, &holders, &err), &err);
		if (holders < 1)
			fail_msg("no demo account holds %s", t[i].name);
	}
	assert_true(dt_count(s, "SELECT COUNT(*) FROM org_unit WHERE kind = 'contractor'") >= 1);
	assert_true(
	    dt_count(s, "SELECT COUNT(*) FROM org_unit WHERE kind = 'designated_manager'") >= 1);
	/* The register: as many assets as the report says, each with its audit entry. */
	json_int_t nassets = json_integer_value(json_object_get(r, "assets"));
	assert_true(nassets >= 60);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM assets"), nassets);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.add'"),
	                 nassets);
	/* Demo passwords are the printed ones, and not temporary. */
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM users WHERE password_temporary <> 0"),
	                 0);
	json_t *a = json_array_get(accounts, 0);
	const char *login = json_string_value(json_object_get(a, "login"));
	const char *pw = json_string_value(json_object_get(a, "password"));
	char want[128];
	snprintf(want, sizeof(want), SK_DEMO_PASSWORD_PREFIX "%s", login);
	assert_string_equal(pw, want);
	json_t *u = NULL;
	dt_ok(sk_user_show(dt_cli(s), login, &u, &err), &err);
	json_decref(u);
	json_decref(r);

	/* Described again, it is the same city without passwords. */
	dt_ok(sk_demo_describe(s, &r, &err), &err);
	assert_int_equal(json_array_size(json_object_get(r, "units")), nunits);
	assert_null(json_object_get(json_array_get(json_object_get(r, "accounts"), 0), "password"));
	json_decref(r);
	/* And it cannot be created twice. */
	char key2[600];
	snprintf(key2, sizeof(key2), "%s2", key);
	dt_expect(sk_demo_create(tu_ctx(s, sk_actor_cli()), NULL, key2, &r, &err), SK_ERR_CONFLICT,
	          &err, "already");
	sk_buf_free(&err);
	sk_store_close(s);
}

/* Every shipped profile has its city; an unknown one is refused before anything is written. */
static void demo_cities(const char *backend)
{
	static const char *const profiles[] = {"narita", "niigata", "setagaya"};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char key[512], pub[512];
	key_paths(key, pub, sizeof(key));
	json_t *r = NULL;
	sk_store *s = sk_test_open_fresh(backend);
	dt_expect(sk_demo_create(tu_ctx(s, sk_actor_cli()), "tokyo", key, &r, &err), SK_ERR_INVALID,
	          &err, "tokyo");
	assert_string_equal(err.field, "profile");
	assert_false(exists(key));
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM org_unit"), 0);
	sk_store_close(s);
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		s = sk_test_open_fresh(backend);
		unlink(key);
		unlink(pub);
		dt_ok(sk_demo_create(tu_ctx(s, sk_actor_cli()), profiles[i], key, &r, &err), &err);
		assert_string_equal(json_string_value(json_object_get(r, "profile")), profiles[i]);
		assert_true(json_integer_value(json_object_get(r, "assets")) >= 60);
		assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM org_unit"),
		                 json_array_size(json_object_get(r, "units")));
		json_decref(r);
		sk_store_close(s);
	}
	sk_buf_free(&err);
}

static void lock_file(void **state)
{
	(void)state;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char path[512];
	snprintf(path, sizeof(path), "%s/db", sk_test_tmpdir());
	sk_install_lock l;
	/* A new file is fresh, and a failure removes it. */
	dt_ok(sk_install_lock_file(path, &l, &err), &err);
	assert_true(l.fresh);
	assert_true(exists(path));
	sk_install_unlock_file(&l, true);
	assert_false(exists(path));
	/* A file with content is not ours to remove. */
	dt_ok(sk_install_lock_file(path, &l, &err), &err);
	assert_int_equal(write(l.fd, "x", 1), 1);
	sk_install_unlock_file(&l, false);
	dt_ok(sk_install_lock_file(path, &l, &err), &err);
	assert_false(l.fresh);
	sk_install_unlock_file(&l, true);
	assert_true(exists(path));
	snprintf(path, sizeof(path), "/nonexistent-dir-%d/db", (int)getpid());
	dt_expect(sk_install_lock_file(path, &l, &err), SK_ERR_STORE, &err, path);
	sk_buf_free(&err);
}

SK_TEST_EACH_BACKEND(init)
SK_TEST_EACH_BACKEND(profile_file)
SK_TEST_EACH_BACKEND(faults)
SK_TEST_EACH_BACKEND(demo)
SK_TEST_EACH_BACKEND(demo_cities)

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lock_file),        cmocka_unit_test(init_all),
	    cmocka_unit_test(profile_file_all), cmocka_unit_test(faults_all),
	    cmocka_unit_test(demo_all),         cmocka_unit_test(demo_cities_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
