/*
 * Unit tests of src/domain/policyver (issue #16): policy versions stored in
 * the database on every backend of the run: the first version active, an
 * import refused with nothing written, an activation refused without the
 * CISO's approved request and allowed with it (once), the active version
 * loaded stamped with its id and refused when its text no longer matches its
 * hash; and the rule-by-rule diff of src/policy.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "auth/password.h"
#include "domain/org.h"
#include "domain/policyver.h"
#include "domain/request.h"
#include "domain/user.h"
#include "dtest.h"

/* The shipped Narita profile's text, and the same with one rule's approver changed. */
static char *narita(bool edited, size_t *len)
{
	const char *data;
	size_t n;
	assert_int_equal(sk_policy_builtin_text("narita", &data, &n), SK_OK);
	char *t = malloc(n + 64);
	assert_non_null(t);
	memcpy(t, data, n + 1);
	if (edited) {
		/* 基準 4(1)①エ names the 情報システム管理者; the edit names the
		 * 情報セキュリティ管理者. */
		char *r = strstr(t, "- id: take-out\n");
		assert_non_null(r);
		char *a = strstr(r, "approver: system_manager");
		assert_non_null(a);
		const char *to = "approver: security_manager";
		size_t old = strlen("approver: system_manager"), nw = strlen(to);
		memmove(a + nw, a + old, strlen(a + old) + 1);
		memcpy(a, to, nw);
		n = n - old + nw;
	}
	*len = n;
	return t;
}

static int64_t user(sk_store *s, const char *login, const char *role)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char temp[SK_PASSWORD_TEMP_MAX];
	const char *roles[] = {role};
	sk_user_new u = {
	    .login = login, .name = login, .unit = "city", .roles = roles, .nroles = 1};
	int64_t id = 0;
	dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, &id, temp, &err), &err);
	sk_buf_free(&err);
	return id;
}

static int64_t count(sk_store *s, const char *sql) { return dt_count(s, sql); }

static void versions(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_root(s);
	size_t n1, n2;
	char *v1 = narita(false, &n1), *v2 = narita(true, &n2);

	/* No version yet: the active one is not found. */
	sk_policy *p = NULL;
	assert_int_equal(sk_policyver_load_active(s, &p, &err), SK_ERR_NOT_FOUND);
	assert_null(p);

	int64_t id = 0;
	dt_ok(sk_policyver_store_initial(dt_cli(s), "builtin:narita", v1, n1, &id, &err), &err);
	assert_int_equal(id, 1);
	dt_ok(sk_policyver_load_active(s, &p, &err), &err);
	assert_string_equal(sk_policy_city_id(p), "narita");
	assert_int_equal(sk_policy_stored_version(p), 1);
	sk_policy_free(p);
	/* The context loads the active version, whatever meta still names (hachioji). */
	const sk_policy *cp = NULL;
	dt_ok(sk_ctx_policy(dt_cli(s), &cp, &err), &err);
	assert_string_equal(sk_policy_city_id(cp), "narita");
	assert_int_equal(sk_policy_stored_version(cp), 1);

	/* A broken profile is refused naming its line; nothing is written. */
	dt_snap before = dt_snapshot(s);
	const char *bad = "format: 1\ncity: {id: x, name: x, short: x}\n";
	dt_expect(sk_policyver_import(dt_cli(s), "bad.yaml", bad, strlen(bad), &id, &err),
	          SK_ERR_INVALID, &err, "bad.yaml:");
	assert_string_equal(err.field, "file");
	dt_expect(sk_policyver_import(dt_cli(s), "nul.yaml", "format: 1\0x", 11, &id, &err),
	          SK_ERR_INVALID, &err, "not UTF-8 text");
	/* Who may not import: an account without policy.import. */
	int64_t staff = user(s, "staff1", "staff");
	before = dt_snapshot(s);
	sk_actor st = {.user_id = staff, .login = "staff1", .address = "test"};
	dt_expect(sk_policyver_import(tu_ctx(s, &st), "n.yaml", v2, n2, &id, &err), SK_ERR_DENIED,
	          &err, "policy.import");
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "refused import", 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM policy_versions"), 1);

	dt_ok(sk_policyver_import(dt_cli(s), "n.yaml", v2, n2, &id, &err), &err);
	assert_int_equal(id, 2);
	json_t *list = NULL;
	dt_ok(sk_policyver_list(dt_cli(s), &list, &err), &err);
	assert_int_equal(json_array_size(list), 2);
	json_t *second = json_array_get(list, 1);
	assert_string_equal(json_string_value(json_object_get(second, "status")), "imported");
	assert_string_equal(json_string_value(json_object_get(second, "kind")),
	                    "basic_policy,standards");
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)v2, n2);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert_string_equal(json_string_value(json_object_get(second, "sha256")), hex);
	json_decref(list);

	/* The diff names the changed rule, its actions and citations, and the key. */
	sk_buf d = SK_BUF_INIT(1u << 20);
	dt_ok(sk_policyver_diff(dt_cli(s), 1, 2, &d, &err), &err);
	assert_string_equal(d.data,
	                    "changed rule take-out (take_out, take_home) [成田 基準 4(1)①イ, "
	                    "成田 基準 4(1)①エ, 成田 基準 4(1)①オ]\n"
	                    "  approver: \"system_manager\" -> \"security_manager\"\n");
	sk_buf_free(&d);

	/* Activation without an approved request: refused, nothing written. */
	before = dt_snapshot(s);
	dt_expect(sk_policyver_activate(dt_cli(s), 2, NULL, &err), SK_ERR_CONFLICT, &err,
	          "CISO's approval");
	dt_expect(sk_policyver_activate(dt_cli(s), 1, NULL, &err), SK_ERR_CONFLICT, &err,
	          "active already");
	dt_expect(sk_policyver_activate(dt_cli(s), 9, NULL, &err), SK_ERR_NOT_FOUND, &err,
	          "no policy version 9");
	after = dt_snapshot(s);
	dt_assert_same(&before, &after, "refused activation", 0);

	/* The request is routed to the CISO; approved, it activates version 2 once. */
	int64_t ciso = user(s, "ciso", "ciso"), gm = user(s, "gm", "general_manager");
	sk_actor gma = {.user_id = gm, .login = "gm", .address = "test"};
	sk_actor cisoa = {.user_id = ciso, .login = "ciso", .address = "test"};
	json_t *det = json_pack("{s:I}", "version", (json_int_t)2);
	sk_request_new rn = {.kind = "policy_activation", .reason = "見直し", .details = det};
	int64_t rid = 0;
	dt_ok(sk_request_file(tu_ctx(s, &gma), &rn, &rid, &err), &err);
	json_t *r = NULL;
	dt_ok(sk_request_get(dt_cli(s), rid, &r, &err), &err);
	assert_string_equal(json_string_value(json_object_get(r, "approver_role")), "ciso");
	assert_string_equal(json_string_value(json_object_get(r, "status")), "pending");
	json_decref(r);
	dt_expect(sk_policyver_activate(dt_cli(s), 2, NULL, &err), SK_ERR_CONFLICT, &err,
	          "CISO's approval");
	dt_ok(sk_request_approve(tu_ctx(s, &cisoa), rid, NULL, &err), &err);
	/* An approval for another version does not count. */
	json_object_set_new(det, "version", json_integer(1));
	dt_expect(sk_request_file(tu_ctx(s, &gma), &rn, NULL, &err), SK_ERR_CONFLICT, &err,
	          "active already");
	json_decref(det);

	int64_t used = 0;
	dt_ok(sk_policyver_activate(dt_cli(s), 2, &used, &err), &err);
	assert_int_equal(used, rid);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM policy_versions WHERE status = 'active'"),
	                 1);
	assert_int_equal(count(s, "SELECT id FROM policy_versions WHERE status = 'active'"), 2);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = "
	                          "'policy.activate' AND object = 'policy_version:2'"),
	                 1);
	dt_ok(sk_policyver_load_active(s, &p, &err), &err);
	assert_int_equal(sk_policy_stored_version(p), 2);
	sk_policy_free(p);
	/* Back to version 1 needs an approval of its own: the one used is used. */
	dt_expect(sk_policyver_activate(dt_cli(s), 1, NULL, &err), SK_ERR_CONFLICT, &err,
	          "CISO's approval");

	/* A stored text that no longer matches its hash does not load. */
	dt_ok(sk_store_exec(s, "UPDATE policy_versions SET text = text || '#' WHERE id = 2", NULL,
	                    0, NULL, &err),
	      &err);
	dt_expect(sk_policyver_load_active(s, &p, &err), SK_ERR_CORRUPT, &err, "SHA-256");
	assert_null(p);

	free(v1);
	free(v2);
	sk_buf_free(&err);
	sk_store_close(s);
}

/* An import fails whole at each of its writes and at its commit. */
static sk_err import_op(sk_store *s, void *ctx, sk_buf *err)
{
	(void)ctx;
	size_t n;
	char *t = narita(true, &n);
	int64_t id = 0;
	sk_err e = sk_policyver_import(dt_cli(s), "n.yaml", t, n, &id, err);
	free(t);
	return e;
}

static void faults(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	dt_root(s);
	int64_t before = count(s, "SELECT COUNT(*) FROM policy_versions");
	dt_fault_commit(s, import_op, NULL, "import");
	assert_int_equal(count(s, "SELECT COUNT(*) FROM policy_versions"), before);
	dt_fault_seam(s, import_op, NULL, 2, "import");
	assert_int_equal(count(s, "SELECT COUNT(*) FROM policy_versions"), before + 1);
	sk_store_close(s);
}

/* sk_policy_diff on texts: rules added, removed and changed, and other sections. */
static void diff(void **state)
{
	(void)state;
	const char *ex = SK_SOURCE_ROOT "/policies/example.yaml";
	FILE *f = fopen(ex, "rb");
	assert_non_null(f);
	static char a[1 << 20];
	size_t n = fread(a, 1, sizeof(a) - 1, f);
	fclose(f);
	a[n] = '\0';
	sk_buf out = SK_BUF_INIT(1u << 20), diag = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(sk_policy_diff("a", a, n, "b", a, n, &out, &diag), SK_OK);
	assert_int_equal(out.len, 0);
	/* A broken side is refused naming it. */
	assert_int_equal(sk_policy_diff("a", a, n, "b", "format: 1\n", 10, &out, &diag),
	                 SK_ERR_INVALID);
	assert_non_null(strstr(diag.data, "b:"));
	/* A rule renamed is one removed and one added; a section edited is named. */
	size_t nn;
	char *t = narita(false, &nn), *u = malloc(nn + 64);
	assert_non_null(u);
	char *r = strstr(t, "- id: take-out\n"), *sc = strstr(t, "  scope: ");
	assert_true(r && sc && r < sc);
	size_t k = (size_t)(r - t) + strlen("- id: take-out");
	memcpy(u, t, k);
	memcpy(u + k, "2", 1);
	size_t at = (size_t)(sc - t) + strlen("  scope: ");
	memcpy(u + k + 1, t + k, at - k);
	memcpy(u + at + 1, "X", 1);
	memcpy(u + at + 2, t + at, nn - at + 1);
	sk_buf_reset(&out);
	assert_int_equal(sk_policy_diff("a", t, nn, "b", u, nn + 2, &out, &diag), SK_OK);
	assert_string_equal(out.data, "removed rule take-out (take_out, take_home) [成田 基準 "
	                              "4(1)①イ, 成田 基準 4(1)①エ, 成田 基準 4(1)①オ]\n"
	                              "added rule take-out2 (take_out, take_home) [成田 基準 "
	                              "4(1)①イ, 成田 基準 4(1)①エ, 成田 基準 4(1)①オ]\n"
	                              "changed section document\n");
	free(t);
	free(u);
	sk_buf_free(&out);
	sk_buf_free(&diag);
}

SK_TEST_EACH_BACKEND(versions)
SK_TEST_EACH_BACKEND(faults)

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(versions_all),
	    cmocka_unit_test(faults_all),
	    cmocka_unit_test(diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
