/*
 * fuzz_policy: libFuzzer target for the profile loader (YAML -> compiled
 * policy) and, when a profile loads, for decisions (their input parsed by
 * sk_decide_input_parse from the input's last bytes), advisories, coverage
 * and the OSCAL export over it. Build with meson -Dfuzz=true (clang); run as
 *   LSAN_OPTIONS=suppressions=fuzz/policy.lsan.supp BUILD/fuzz/fuzz_policy fuzz/corpus/policy
 * (the suppression covers a small leak inside libfyaml 0.7.12 itself).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sk_buf diag = SK_BUF_INIT(1u << 20);
	sk_policy *p = NULL;
	if (sk_policy_load_mem("fuzz.yaml", (const char *)data, size, &p, &diag) == SK_OK) {
		sk_buf out = SK_BUF_INIT(64u << 20);
		/* Both languages' sentences are written: the input's length picks one. */
		sk_lang lang = size % 2 ? SK_LANG_JA : SK_LANG_EN;
		sk_policy_advisories(p, lang, &out);
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
			sk_policy_explain(p, &in, (a % 2) ? SK_LANG_JA : SK_LANG_EN, &out);
		}
		/* The one input parser of every door, each key given the input's last bytes. */
		static const char *const keys[] = {
		    "action",     "conf",       "integ",    "avail",    "zone", "to_zone",
		    "asset_type", "actor_role", "mynumber", "personal", "other"};
		char v[65];
		size_t n = size < 64 ? size : 64;
		memcpy(v, data + size - n, n);
		v[n] = '\0';
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			sk_decide_kv kv[] = {{"action", "copy"}, {keys[k], v}};
			sk_decide_input in;
			sk_decision d;
			sk_buf_reset(&diag);
			if (sk_decide_input_parse(p, kv, 2, &in, &diag) == SK_OK)
				sk_policy_decide(p, &in, &d);
		}
		sk_buf_reset(&out);
		sk_policy_coverage(p, true, lang, &out);
		sk_buf_reset(&out);
		sk_policy_export_oscal(p, &out);
		sk_buf_free(&out);
		sk_policy_free(p);
	}
	sk_buf_free(&diag);
	return 0;
}
