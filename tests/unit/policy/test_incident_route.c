/*
 * Unit tests of the profiles' incident chains (`incidents:`, SPEC C8): each
 * built-in profile's chain, deadlines and closing role as its seed states
 * them (the expectations are the seeds', article by article), the default
 * for a profile without the section, and the loader's refusals.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

static sk_policy *load(const char *name)
{
	sk_policy *p = NULL;
	sk_buf diag = SK_BUF_INIT(1u << 16);
	if (sk_policy_load_builtin(name, &p, &diag) != SK_OK)
		fail_msg("%s: %s", name, diag.data);
	sk_buf_free(&diag);
	return p;
}

static void expect_step(const sk_incident_route *r, unsigned i, sk_role role, int high, int medium,
                        int low)
{
	assert_true(i < r->n_steps);
	assert_int_equal(r->steps[i].role, role);
	assert_int_equal(r->steps[i].due_hours[SK_SEV_HIGH], high);
	assert_int_equal(r->steps[i].due_hours[SK_SEV_MEDIUM], medium);
	assert_int_equal(r->steps[i].due_hours[SK_SEV_LOW], low);
	assert_true(r->steps[i].n_citations > 0);
}

/* 八王子 13(2) up the 指示体制 (6(1)); 13(4) 「直ちに」 (1 h); CSIRT informed (5(8)); 13(3). */
static void test_hachioji(void **state)
{
	(void)state;
	sk_policy *p = load("hachioji");
	const sk_incident_route *r = sk_policy_incident_route(p);
	assert_false(r->is_default);
	assert_int_equal(r->n_steps, 4);
	expect_step(r, 0, SK_ROLE_SECURITY_MANAGER, 1, 1, 1);
	assert_string_equal(r->steps[0].word, "直ちに");
	expect_step(r, 1, SK_ROLE_SECURITY_OFFICER, 0, 0, 0);
	expect_step(r, 2, SK_ROLE_GENERAL_MANAGER, 0, 0, 0);
	expect_step(r, 3, SK_ROLE_CISO, 0, 0, 0);
	assert_int_equal(r->informed, 1u << SK_ROLE_CSIRT);
	assert_int_equal(r->closer, SK_ROLE_SECURITY_MANAGER);
	assert_string_equal(r->close_citations[0], "八王子 13(3)");
	/* The closer holds incident.close, and only it. */
	assert_int_equal(sk_policy_cap_roles(p, SK_CAP_INCIDENT_CLOSE),
	                 1u << SK_ROLE_SECURITY_MANAGER);
	sk_policy_free(p);
}

/* 成田 基準 4(3)①ア・イ 「速やかに」, ①ウ 「必要に応じて」 / 6(3)ウⅱ (high only); 4(3)③. */
static void test_narita(void **state)
{
	(void)state;
	sk_policy *p = load("narita");
	const sk_incident_route *r = sk_policy_incident_route(p);
	assert_int_equal(r->n_steps, 3);
	expect_step(r, 0, SK_ROLE_SECURITY_MANAGER, 1, 4, 24);
	expect_step(r, 1, SK_ROLE_GENERAL_MANAGER, 1, 4, 24);
	expect_step(r, 2, SK_ROLE_CISO, 1, 0, 0);
	assert_int_equal(r->informed,
	                 (1u << SK_ROLE_SYSTEM_MANAGER) | (1u << SK_ROLE_SECURITY_OFFICER));
	assert_int_equal(r->closer, SK_ROLE_GENERAL_MANAGER);
	sk_policy_free(p);
}

/* 世田谷 10(1)イ① 「速やかにCISO補佐に報告」, then the CISO (10(1)). */
static void test_setagaya(void **state)
{
	(void)state;
	sk_policy *p = load("setagaya");
	const sk_incident_route *r = sk_policy_incident_route(p);
	assert_int_equal(r->n_steps, 2);
	expect_step(r, 0, SK_ROLE_GENERAL_MANAGER, 1, 4, 24);
	expect_step(r, 1, SK_ROLE_CISO, 0, 0, 0);
	assert_int_equal(r->closer, SK_ROLE_GENERAL_MANAGER);
	sk_policy_free(p);
}

/* 新潟 別記 第23条: 乙 → 甲 「速やかに」; 甲 closes and holds the capabilities for it. */
static void test_niigata(void **state)
{
	(void)state;
	sk_policy *p = load("niigata");
	const sk_incident_route *r = sk_policy_incident_route(p);
	assert_int_equal(r->n_steps, 1);
	expect_step(r, 0, SK_ROLE_CITY, 1, 4, 24);
	assert_int_equal(r->closer, SK_ROLE_CITY);
	assert_true(sk_policy_cap_roles(p, SK_CAP_INCIDENT_CLOSE) & (1u << SK_ROLE_CITY));
	assert_true(sk_policy_cap_roles(p, SK_CAP_INCIDENT_HANDLE) & (1u << SK_ROLE_CITY));
	sk_policy_free(p);
}

/* No section: the default in code, flagged, and said so by coverage. */
static void test_default(void **state)
{
	(void)state;
	sk_policy *p = NULL;
	char path[4096];
	snprintf(path, sizeof(path), "%s/example.yaml", getenv("SK_POLICIES_DIR"));
	assert_int_equal(sk_policy_load_file(path, &p, NULL), SK_OK);
	const sk_incident_route *r = sk_policy_incident_route(p);
	assert_true(r->is_default);
	assert_int_equal(r->steps[0].role, SK_ROLE_SECURITY_MANAGER);
	assert_int_equal(r->closer, SK_ROLE_GENERAL_MANAGER);
	assert_true(sk_policy_incident_route(NULL)->is_default);
	sk_buf out = SK_BUF_INIT(1u << 20);
	assert_int_equal(sk_policy_coverage(p, true, SK_LANG_EN, &out), SK_OK);
	assert_non_null(strstr(out.data, "\"incidents_default\": true"));
	sk_buf_free(&out);
	sk_policy_free(p);
	sk_severity s;
	assert_int_equal(sk_severity_parse("medium", &s), SK_OK);
	assert_int_equal(s, SK_SEV_MEDIUM);
	assert_int_equal(sk_severity_parse("urgent", &s), SK_ERR_INVALID);
}

/* The loader's refusals, each with its line. */
static void test_refusals(void **state)
{
	(void)state;
	static const char base[] =
	    "format: 1\n"
	    "city: {id: t, name: 試験市, short: 試験, source: s}\n"
	    "articles:\n"
	    "  - {id: \"1\", title: 報告}\n"
	    "classification:\n"
	    "  conf: {name: 機密性, levels: [{id: \"1\", label: 機密性1}]}\n"
	    "  integ: {name: 完全性, levels: [{id: \"1\", label: 完全性1}]}\n"
	    "  avail: {name: 可用性, levels: [{id: \"1\", label: 可用性1}]}\n"
	    "roles:\n"
	    "  ciso: {title: CISO, cite: [\"1\"]}\n"
	    "  security_manager: {title: 管理者, reports_to: ciso, cite: [\"1\"]}\n"
	    "rules:\n"
	    "  - {id: r, action: copy, decision: allow, cite: [\"1\"]}\n";
	struct {
		const char *section, *want;
	} cases[] = {
	    {"incidents:\n  chain: []\n  close: {role: ciso, cite: [\"1\"]}\n", "1 to 8 steps"},
	    {"incidents:\n  chain:\n    - {role: csirt, cite: [\"1\"]}\n  close: {role: ciso, "
	     "cite: "
	     "[\"1\"]}\n",
	     "no title under roles"},
	    {"incidents:\n  chain:\n    - {role: ciso, cite: [\"1\"]}\n    - {role: ciso, cite: "
	     "[\"1\"]}\n  close: {role: ciso, cite: [\"1\"]}\n",
	     "twice in the incident chain"},
	    {"incidents:\n  chain:\n    - {role: ciso, due_hours: {high: 2}, cite: [\"1\"]}\n  "
	     "close: {role: ciso, cite: [\"1\"]}\n",
	     "needs the seed's word"},
	    {"incidents:\n  chain:\n    - {role: ciso, due_hours: {urgent: 2}, word: w, cite: "
	     "[\"1\"]}\n  close: {role: ciso, cite: [\"1\"]}\n",
	     "unknown key 'urgent'"},
	    {"incidents:\n  chain:\n    - {role: ciso, due_hours: {high: 0}, word: w, cite: "
	     "[\"1\"]}\n  close: {role: ciso, cite: [\"1\"]}\n",
	     "due_hours must be a whole number"},
	    {"incidents:\n  chain:\n    - {role: ciso, cite: [\"1\"]}\n", "missing 'close'"},
	};
	sk_policy *p = NULL;
	sk_buf diag = SK_BUF_INIT(1u << 16);
	assert_int_equal(sk_policy_load_mem("t.yaml", base, strlen(base), &p, &diag), SK_OK);
	assert_true(sk_policy_incident_route(p)->is_default);
	sk_policy_free(p);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sk_buf y = SK_BUF_INIT(1u << 16);
		sk_buf_adds(&y, base);
		sk_buf_adds(&y, cases[i].section);
		sk_buf_reset(&diag);
		p = NULL;
		if (sk_policy_load_mem("t.yaml", y.data, y.len, &p, &diag) != SK_ERR_INVALID ||
		    !strstr(diag.data, cases[i].want))
			fail_msg("case %zu: expected '%s', got: %s", i, cases[i].want, diag.data);
		sk_buf_free(&y);
	}
	sk_buf_free(&diag);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hachioji), cmocka_unit_test(test_narita),
	    cmocka_unit_test(test_setagaya), cmocka_unit_test(test_niigata),
	    cmocka_unit_test(test_default),  cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
