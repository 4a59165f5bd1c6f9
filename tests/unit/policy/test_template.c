/*
 * Unit tests of the starting 対策基準 (policies/standards-template.yaml,
 * docs/policy-template.md; issue #16 item 2): it loads as a built-in
 * profile marked a template; every rule cites one of the three seeds that
 * bind a city's own staff (成田, 世田谷, 新潟 基本方針) and never the
 * 八王子 guideline or the 新潟 別記; coverage lists the questions the city
 * must still decide; and a city staff member's held-out cases answer as the
 * seeds' articles say. Every expectation below is written from the seeds,
 * not read from the profile.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

static sk_policy *load(void)
{
	sk_policy *p = NULL;
	sk_buf diag = SK_BUF_INIT(1u << 16);
	if (sk_policy_load_builtin("standards-template", &p, &diag) != SK_OK)
		fail_msg("standards-template: %s", diag.data ? diag.data : "");
	sk_buf_free(&diag);
	return p;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A citation of one of the three seeds that bind a city's own staff. */
static bool own_staff_seed(const char *c)
{
	return starts_with(c, "成田 基準 ") || starts_with(c, "成田 方針 ") ||
	       starts_with(c, "世田谷 ") || starts_with(c, "新潟 基本方針 ");
}

static void test_loads_as_template(void **state)
{
	(void)state;
	sk_policy *p = load();
	sk_policy_document d;
	sk_policy_document_of(p, &d);
	assert_true(d.is_template);
	assert_int_equal(d.n_kinds, 1);
	assert_string_equal(d.kinds[0], "standards");
	assert_non_null(d.scope);
	/* The shipped cities' profiles are not templates. */
	const char *cities[] = {"narita", "setagaya", "niigata", "hachioji"};
	for (size_t i = 0; i < 4; i++) {
		sk_policy *c = NULL;
		assert_int_equal(sk_policy_load_builtin(cities[i], &c, NULL), SK_OK);
		sk_policy_document_of(c, &d);
		assert_false(d.is_template);
		assert_int_equal(sk_policy_question_count(c), 0);
		sk_policy_free(c);
	}
	sk_policy_free(p);
}

static void test_every_rule_cites_a_seed(void **state)
{
	(void)state;
	sk_policy *p = load();
	size_t n = sk_policy_rule_count(p);
	assert_true(n >= 40);
	sk_policy_rule_info r;
	size_t narita = 0, setagaya = 0, niigata = 0;
	for (size_t i = 0; sk_policy_rule_at(p, i, &r); i++) {
		assert_true(r.n_citations > 0);
		bool seed = false;
		for (unsigned c = 0; c < r.n_citations; c++) {
			const char *cite = r.citations[c];
			if (!own_staff_seed(cite))
				fail_msg("rule %s cites '%s', not 成田, 世田谷 or 新潟 基本方針",
				         r.id, cite);
			seed = true;
			narita += starts_with(cite, "成田 ");
			setagaya += starts_with(cite, "世田谷 ");
			niigata += starts_with(cite, "新潟 基本方針 ");
		}
		assert_true(seed);
	}
	/* All three seeds contribute. */
	assert_true(narita > 0);
	assert_true(setagaya > 0);
	assert_true(niigata > 0);
	sk_policy_free(p);
}

/* The open questions, in the order coverage lists them: top-level first, then rules. */
static const struct {
	const char *id, *rule, *cite; /* cite: one article the city must read */
} OPEN[] = {
    {"classification-scheme", NULL, "成田 基準 2(1)①"},
    {"role-holders", NULL, "成田 基準 1(1)①"},
    {"password-length", NULL, "世田谷 8(7)エ④"},
    {"retention-periods", NULL, "成田 基準 5(1)⑥ア"},
    {"incident-deadlines", NULL, "成田 基準 4(3)①ア"},
    {"take-out", "take-out", "成田 基準 4(1)①エ"},
    {"publish-conf2", "publish-conf2", "成田 基準 2(2)⑨イ (inferred)"},
    {"free-cloud", "free-cloud", "成田 基準 5(1)⑬オ"},
    {"mynumber-take-out", "mynumber-take-out", "世田谷 6(1)イ②"},
    {"mynumber-connect-network", "mynumber-connect-network", "世田谷 6(1)ア"},
    {"lgwan-internet-split", "lgwan-internet-split", "新潟 基本方針 6(3)イ"},
};

static void test_open_questions(void **state)
{
	(void)state;
	sk_policy *p = load();
	size_t n = sizeof(OPEN) / sizeof(OPEN[0]);
	assert_int_equal(sk_policy_question_count(p), n);
	sk_policy_question q;
	for (size_t i = 0; i < n; i++) {
		assert_true(sk_policy_question_at(p, i, &q));
		assert_string_equal(q.id, OPEN[i].id);
		if (OPEN[i].rule)
			assert_string_equal(q.rule, OPEN[i].rule);
		else
			assert_null(q.rule);
		assert_true(q.what && *q.what);
		bool found = false;
		for (unsigned c = 0; c < q.n_citations; c++)
			found = found || strcmp(q.citations[c], OPEN[i].cite) == 0;
		if (!found)
			fail_msg("open question %s does not point at %s", q.id, OPEN[i].cite);
	}
	assert_false(sk_policy_question_at(p, n, &q));

	/* coverage --json lists them under to_decide, and says it is a template. */
	sk_buf out = SK_BUF_INIT(1u << 22);
	assert_int_equal(sk_policy_coverage(p, true, SK_LANG_EN, &out), SK_OK);
	json_error_t je;
	json_t *cov = json_loads(out.data, 0, &je);
	assert_non_null(cov);
	assert_true(json_is_true(json_object_get(cov, "template")));
	json_t *td = json_object_get(cov, "to_decide");
	assert_int_equal(json_array_size(td), n);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(td, i);
		assert_string_equal(json_string_value(json_object_get(e, "id")), OPEN[i].id);
		assert_true(json_array_size(json_object_get(e, "citations")) > 0);
	}
	json_decref(cov);
	sk_buf_free(&out);

	/* The text report names them too, with the article to read. */
	out = (sk_buf)SK_BUF_INIT(1u << 22);
	assert_int_equal(sk_policy_coverage(p, false, SK_LANG_EN, &out), SK_OK);
	assert_non_null(strstr(out.data, "the city must still decide (11"));
	assert_non_null(strstr(out.data, "rule take-out"));
	sk_buf_free(&out);

	/* policy check's lines: one per question, with the file's line. */
	out = (sk_buf)SK_BUF_INIT(1u << 22);
	assert_int_equal(sk_policy_questions_describe(p, &out), (int)n);
	assert_non_null(strstr(out.data, ": decide: free-cloud: "));
	sk_buf_free(&out);
	sk_policy_free(p);
}

/* Asks the template for a staff member's decision and compares the §3 JSON. */
static void expect(const sk_policy *p, const char *action, const char *conf, const char *zone,
                   const char *type, const char *want)
{
	sk_decide_kv kv[] = {{"action", action},
	                     {"conf", conf},
	                     {"zone", zone},
	                     {"asset_type", type},
	                     {"actor_role", "staff"}};
	sk_decide_input in;
	sk_buf err = SK_BUF_INIT(1024);
	if (sk_decide_input_parse(p, kv, sizeof(kv) / sizeof(kv[0]), &in, &err) != SK_OK)
		fail_msg("%s: %s", action, err.data);
	sk_buf_free(&err);
	sk_decision d;
	assert_int_equal(sk_policy_decide(p, &in, &d), SK_OK);
	sk_buf out = SK_BUF_INIT(1u << 16);
	assert_int_equal(sk_decision_to_json(&d, &out), SK_OK);
	if (strcmp(out.data, want) != 0)
		fail_msg("%s conf %s:\n got  %s\n want %s", action, conf, out.data, want);
	sk_buf_free(&out);
}

/*
 * Held-out cases for a city staff member, each as the seed's articles say:
 * - take-out of 機密性3 (成田 基準 4(1)①エ: 「持ち出してはならない。但し、業務上必要な場合で、
 *   情報システム管理者の許可を受けたときは、この限りでない」; ①オ the record of it; ①イ no
 *   take-out for other than work): forbid with the 情報システム管理者's permission, a record;
 * - in the マイナンバー利用事務系, an electronic medium (新潟 基本方針 6(3)ア 「端末からの
 *   情報持ち出し不可設定」, 世田谷 6(1)イ②): forbidden, no exception in the template;
 * - disposal of a 機密性3 medium (成田 基準 2(2)⑩ア 復元できないように処置, ⑩イ 日時・担当者・
 *   処理内容の記録, ⑩ウ 情報セキュリティ管理者の許可; 2(1)① 機密性3 「復元不可能な処理を施しての
 *   廃棄」): the 情報セキュリティ管理者 approves, record and irrecoverable erase;
 * - provision of 機密性3 data outside (成田 基準 2(2)⑨ア 暗号化又はパスワード, ⑨イ 情報セキュリティ
 *   管理者の許可; 2(1)① 提供時における暗号化・パスワード設定や鍵付きケースへの格納; 世田谷 9(1)タ
 *   外部に送るデータの暗号化又はパスワード設定): the 情報セキュリティ管理者 approves.
 */
static void test_staff_scenarios(void **state)
{
	(void)state;
	sk_policy *p = load();
	expect(p, "take_out", "3", NULL, NULL,
	       "{\"decision\": \"forbid\", \"approver_role\": \"system_manager\", \"safeguards\": "
	       "[\"record\"], \"exception_possible\": true, \"citations\": [\"成田 基準 4(1)①イ\", "
	       "\"成田 基準 4(1)①エ\", \"成田 基準 4(1)①オ\"]}");
	expect(p, "take_out", "3", "mynumber", "media",
	       "{\"decision\": \"forbid\", \"approver_role\": null, \"safeguards\": [], "
	       "\"exception_possible\": false, \"citations\": [\"成田 基準 4(1)①イ\", \"成田 基準 "
	       "4(1)①エ\", \"成田 基準 4(1)①オ\", \"新潟 基本方針 6(3)ア\", \"世田谷 6(1)イ②\"]}");
	expect(p, "dispose", "3", NULL, "media",
	       "{\"decision\": \"require_approval\", \"approver_role\": \"security_manager\", "
	       "\"safeguards\": [\"record\", \"irrecoverable_erase\"], \"exception_possible\": "
	       "false, \"citations\": [\"成田 基準 2(2)⑩イ\", \"成田 基準 2(2)⑩ウ\", \"成田 基準 "
	       "2(2)⑩ア\", \"成田 基準 2(1)①\"]}");
	expect(
	    p, "provide_external", "3", NULL, "data",
	    "{\"decision\": \"require_approval\", \"approver_role\": \"security_manager\", "
	    "\"safeguards\": [\"encrypt_or_password\", \"locked_case\"], \"exception_possible\": "
	    "false, \"citations\": [\"成田 基準 2(2)⑨ア\", \"成田 基準 2(2)⑨イ\", \"成田 基準 "
	    "2(1)①\", \"世田谷 9(1)タ\"]}");
	sk_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_loads_as_template),
	    cmocka_unit_test(test_every_rule_cites_a_seed),
	    cmocka_unit_test(test_open_questions),
	    cmocka_unit_test(test_staff_scenarios),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
