/*
 * Unit tests of src/domain/policyset (issue #16, docs/policy-set.md) on every
 * backend of the run: in the demo city (八王子市) a section member, the
 * designated manager's staff and the contractor are each decided under their
 * own document, cited by document and article (the citations' prefixes, and
 * the documents the decision's audit entry names), with the approver the
 * document names held in the unit's chain of command; a change of the set
 * is refused without the CISO's approved policy_activation request (nothing
 * written) and audited with one.
 *
 * Expected values come from the seeds: 成田 基準 2(2)⑩ウ (情報資産の廃棄を行う者は、
 * 情報セキュリティ管理者の許可を得なければならない), 八王子 7(7)イ (持ち出し…する者は、
 * 情報セキュリティ対策責任者の許可をとり、記録を残すこと), 新潟 別記 第6条第4項 (乙は…
 * 庁舎外…へ持ち出す必要がある場合、事前に甲の許可を受けなければならない).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "domain/decision.h"
#include "domain/demo.h"
#include "domain/org.h"
#include "domain/policyset.h"
#include "domain/policyver.h"
#include "domain/request.h"
#include "dtest.h"

/* The unit's id by code. */
static int64_t unit_id(sk_store *s, const char *code)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_org_unit u;
	dt_ok(sk_org_get(s, code, &u, &err), &err);
	sk_buf_free(&err);
	return u.id;
}

/* Whether an active account holds role at unit or above it. */
static bool held_in_chain(sk_store *s, int64_t unit, const char *role)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t line[SK_ORG_LINE_MAX], found = 0;
	size_t n = 0;
	dt_ok(sk_org_line(s, unit, line, &n, &err), &err);
	dt_ok(sk_org_holder_unit(s, role, line, n, 0, &found, &err), &err);
	sk_buf_free(&err);
	return found != 0;
}

static bool has_string(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach (arr, i, v)
		if (json_string_value(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/*
 * Decides for the unit and checks the answer: decision, approver, one
 * citation, the one document it came from (version, kind), and the
 * approver held in the unit's chain.
 */
static void expect(sk_store *s, const char *unit, const sk_decide_kv *kv, size_t n,
                   const char *decision, const char *approver, const char *citation,
                   int64_t version, const char *kind)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_decision_made m;
	sk_decision_made_init(&m);
	int64_t u = unit_id(s, unit);
	dt_ok(sk_decision_for_unit(dt_cli(s), u, kv, n, &m, &err), &err);
	json_t *a = json_loadb(m.answer.data, m.answer.len, 0, NULL);
	assert_non_null(a);
	assert_string_equal(json_string_value(json_object_get(a, "decision")), decision);
	assert_string_equal(json_string_value(json_object_get(a, "approver_role")), approver);
	if (!has_string(json_object_get(a, "citations"), citation))
		fail_msg("%s: no citation %s in %s", unit, citation, m.answer.data);
	/* The answer is the SPEC §3 object; its entry names the document of each citation. */
	assert_null(json_object_get(a, "documents"));
	json_t *img = json_loadb(m.image.data, m.image.len, 0, NULL);
	assert_non_null(img);
	assert_true(json_equal(json_object_get(img, "decision"), a));
	json_t *docs = json_object_get(img, "documents");
	assert_int_equal(json_array_size(docs), 1);
	json_t *d = json_array_get(docs, 0);
	assert_int_equal(json_integer_value(json_object_get(d, "version")), version);
	assert_true(has_string(json_object_get(d, "kind"), kind));
	assert_true(has_string(json_object_get(d, "citations"), citation));
	if (!held_in_chain(s, u, approver))
		fail_msg("%s: nobody holds %s in the unit's chain", unit, approver);
	/* On record, with the answer in its image. */
	int64_t before = dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'decision'");
	dt_ok(sk_decision_record(dt_cli(s), &m, &err), &err);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'decision'"),
	                 before + 1);
	json_decref(img);
	json_decref(a);
	sk_decision_made_free(&m);
	sk_buf_free(&err);
}

static void demo_city(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char key[512];
	snprintf(key, sizeof(key), "%s/audit-key", sk_test_tmpdir());
	unlink(key);
	json_t *r = NULL;
	dt_ok(sk_demo_create(dt_cli(s), NULL, key, &r, &err), &err);
	json_decref(r);

	/* The set: the guideline (the primary) for the designated managers, 成田's standards
	 * for the city's own units, 新潟's requirements for the contractors. */
	json_t *set = NULL;
	dt_ok(sk_policyset_show(dt_cli(s), &set, &err), &err);
	assert_int_equal(json_array_size(set), 3);
	json_t *p = json_array_get(set, 0);
	assert_true(json_is_true(json_object_get(p, "primary")));
	assert_string_equal(json_string_value(json_object_get(p, "city")), "hachioji");
	assert_true(has_string(json_object_get(p, "unit_kinds"), "designated_manager"));
	assert_int_equal(json_array_size(json_object_get(p, "unit_kinds")), 1);
	json_decref(set);

	/* A section member's disposal: 成田 基準 2(2)⑩ウ, the 情報セキュリティ管理者. */
	const sk_decide_kv dispose[] = {
	    {"action", "dispose"}, {"conf", "3"}, {"actor_role", "staff"}};
	expect(s, "shiminka", dispose, 3, "require_approval", "security_manager",
	       "成田 基準 2(2)⑩ウ", 2, "standards");
	/* The designated manager's staff taking out: 八王子 7(7)イ, the 対策責任者. */
	const sk_decide_kv take_out[] = {
	    {"action", "take_out"}, {"conf", "3"}, {"actor_role", "staff"}};
	expect(s, "center-dm", take_out, 3, "require_approval", "dm_officer", "八王子 7(7)イ", 1,
	       "designated_manager_guideline");
	/* The contractor taking out: 新潟 別記 第6条第4項, 甲 (the city). */
	const sk_decide_kv take_out_c[] = {
	    {"action", "take_out"}, {"conf", "3"}, {"actor_role", "contractor"}};
	expect(s, "vendor-sys", take_out_c, 3, "require_approval", "city", "新潟 別記 第6条第4項",
	       3, "contractor_requirements");

	/* A stored asset of the designated manager, decided for its staff (POST /decisions). */
	int64_t asset = dt_count(s, "SELECT MIN(a.id) FROM assets a JOIN org_unit u ON u.id = "
	                            "a.unit_id WHERE u.code = 'center-dm' AND a.conf = '3'");
	int64_t ikeda = dt_count(s, "SELECT id FROM users WHERE login = 'ikeda.saki'");
	sk_actor who = {.user_id = ikeda, .login = "ikeda.saki", .address = "test"};
	sk_decision_made m;
	sk_decision_made_init(&m);
	dt_ok(sk_decision_make(tu_ctx(s, &who), 1u << SK_ROLE_STAFF, asset, "take_out", &m, &err),
	      &err);
	assert_non_null(strstr(m.answer.data, "\"approver_role\": \"dm_officer\""));
	assert_non_null(strstr(m.answer.data, "八王子 7(7)イ"));
	assert_null(strstr(m.answer.data, "成田"));
	sk_decision_made_free(&m);
	sk_buf_free(&err);
	sk_store_close(s);
}

static void change(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_root(s);
	const char *text;
	size_t n;
	int64_t v1 = 0, v2 = 0;
	assert_int_equal(sk_policy_builtin_text("narita", &text, &n), SK_OK);
	dt_ok(sk_policyver_store_initial(dt_cli(s), "builtin:narita", text, n, &v1, &err), &err);
	assert_int_equal(sk_policy_builtin_text("hachioji", &text, &n), SK_OK);
	dt_ok(sk_policyver_import(dt_cli(s), "builtin:hachioji", text, n, &v2, &err), &err);
	dt_ok(sk_org_add(dt_cli(s), "dm", "指定管理者", "designated_manager", "city", NULL, &err),
	      &err);
	dt_add_user(s, "ciso", "city", "ciso");
	dt_add_user(s, "gm", "city", "general_manager");
	uint32_t dm = 0;
	dt_ok(sk_policyset_parse_kinds("指定管理者", "units_of_kind", &dm, &err), &err);
	assert_int_equal(dm, 1u << SK_ORG_DESIGNATED_MANAGER);
	dt_expect(sk_policyset_parse_kinds("section,shop", "units_of_kind", &dm, &err),
	          SK_ERR_INVALID, &err, "shop");
	assert_string_equal(err.field, "units_of_kind");
	dm = 1u << SK_ORG_DESIGNATED_MANAGER;

	/* Without the CISO's approval: refused, nothing written. */
	dt_snap before = dt_snapshot(s);
	dt_expect(sk_policyset_change(dt_cli(s), v2, dm, NULL, &err), SK_ERR_CONFLICT, &err,
	          "CISO's approval");
	/* An approval of an activation of the same version does not count either. */
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "refused set change", 0);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM policy_set"), 0);

	/* Filed by the 統括, approved by the CISO: the set changes once, audited. */
	dt_who gm = dt_as(s, "gm"), ciso = dt_as(s, "ciso");
	gm.actor.login = gm.login;
	ciso.actor.login = ciso.login;
	json_t *det = json_pack("{s:I, s:s}", "version", (json_int_t)v2, "units_of_kind",
	                        "designated_manager");
	sk_request_new rn = {
	    .kind = "policy_activation", .reason = "指定管理者向け", .details = det};
	int64_t rid = 0;
	dt_ok(sk_request_file(tu_ctx(s, &gm.actor), &rn, &rid, &err), &err);
	json_t *req = NULL;
	dt_ok(sk_request_get(dt_cli(s), rid, &req, &err), &err);
	assert_string_equal(json_string_value(json_object_get(req, "approver_role")), "ciso");
	json_decref(req);
	dt_ok(sk_request_approve(tu_ctx(s, &ciso.actor), rid, NULL, &err), &err);
	/* The approval names these kinds: another set of kinds is still refused. */
	dt_expect(sk_policyset_change(dt_cli(s), v2, dm | 1u << SK_ORG_SECTION, NULL, &err),
	          SK_ERR_CONFLICT, &err, "CISO's approval");
	/* Nor does it activate the version. */
	dt_expect(sk_policyver_activate(dt_cli(s), v2, NULL, &err), SK_ERR_CONFLICT, &err,
	          "CISO's approval");
	int64_t used = 0;
	dt_ok(sk_policyset_change(dt_cli(s), v2, dm, &used, &err), &err);
	assert_int_equal(used, rid);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.set'"),
	                 1);
	/* Used once. */
	dt_expect(sk_policyset_change(dt_cli(s), v2, 0, NULL, &err), SK_ERR_CONFLICT, &err,
	          "CISO's approval");
	dt_expect(sk_policyset_change(dt_cli(s), v2, dm, NULL, &err), SK_ERR_CONFLICT, &err,
	          "already");

	/* Loaded with the installation: the designated manager under the guideline. */
	sk_policy *p = NULL;
	dt_ok(sk_ctx_load_installation_profile(s, &p, &err), &err);
	assert_int_equal(sk_policy_set_count(p), 2);
	sk_policy_free(p);
	const sk_decide_kv kv[] = {{"action", "take_out"}, {"conf", "3"}, {"actor_role", "staff"}};
	sk_set_decision d;
	dt_ok(sk_policyset_decide(dt_cli(s), unit_id(s, "dm"), 0, kv, 3, &d, &err), &err);
	assert_int_equal(d.d.approver, SK_ROLE_DM_OFFICER);
	dt_ok(sk_policyset_decide(dt_cli(s), unit_id(s, "city"), 0, kv, 3, &d, &err), &err);
	assert_int_equal(d.d.approver, SK_ROLE_SYSTEM_MANAGER); /* 成田 基準 4(1)①エ */
	json_decref(det);
	sk_buf_free(&err);
	sk_store_close(s);
}

SK_TEST_EACH_BACKEND(demo_city)
SK_TEST_EACH_BACKEND(change)

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(change_all),
	    cmocka_unit_test(demo_city_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
