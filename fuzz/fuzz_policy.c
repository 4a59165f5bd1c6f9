/*
 * fuzz_policy: libFuzzer target for the profile loader (YAML -> compiled
 * policy) and, when a profile loads, for decisions, advisories, coverage and
 * the OSCAL export over it. Build with meson -Dfuzz=true (clang); run as
 *   LSAN_OPTIONS=suppressions=fuzz/policy.lsan.supp BUILD/fuzz/fuzz_policy fuzz/corpus/policy
 * (the suppression covers a small leak inside libfyaml 0.7.12 itself).
 */
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sk_buf diag = SK_BUF_INIT(1u << 20);
	sk_policy *p = NULL;
	if (sk_policy_load_mem("fuzz.yaml", (const char *)data, size, &p, &diag) == SK_OK) {
		sk_buf out = SK_BUF_INIT(64u << 20);
		sk_policy_advisories(p, &out);
		for (int a = 0; a < SK_ACT__COUNT; a++) {
			sk_decide_input in;
			sk_decide_input_init(&in, (sk_action)a);
			sk_decision d;
			sk_policy_decide(p, &in, &d);
			in.level[SK_AXIS_CONF] = 0;
			in.actor_role = SK_ROLE_CONTRACTOR;
			in.zone = SK_ZONE_MYNUMBER;
			in.mynumber = true;
			sk_policy_decide(p, &in, &d);
			sk_buf_reset(&out);
			sk_policy_explain(p, &in, &out);
		}
		sk_buf_reset(&out);
		sk_policy_coverage(p, true, &out);
		sk_buf_reset(&out);
		sk_policy_export_oscal(p, &out);
		sk_buf_free(&out);
		sk_policy_free(p);
	}
	sk_buf_free(&diag);
	return 0;
}
