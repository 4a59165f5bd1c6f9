/*
 * coverage: which of the seed's articles (the profile's `articles:` list) the
 * profile encodes, i.e. some rule, level, role, zone, password kind, MFA
 * setting, retention entry or checklist item cites it; which are marked out
 * of scope; and which nothing encodes yet, so that gaps stay visible.
 */
#include "policy_int.h"

static sk_err add_list(const sk_policy *p, int which, sk_buf *out)
{
	bool first = true;
	sk_err rc = sk_buf_addc(out, '[');
	for (size_t i = 0; rc == SK_OK && i < p->n_articles; i++) {
		const sk_article *a = &p->articles[i];
		int kind = a->cited ? 0 : a->out_of_scope ? 1 : 2;
		if (kind != which)
			continue;
		rc = sk_buf_adds(out, first ? "{\"id\": " : ", {\"id\": ");
		first = false;
		if (rc == SK_OK)
			rc = sk_policy_json_str(out, a->id);
		if (rc == SK_OK)
			rc = sk_buf_adds(out, ", \"title\": ");
		if (rc == SK_OK)
			rc = sk_policy_json_str(out, a->title);
		if (rc == SK_OK && kind == 1) {
			rc = sk_buf_adds(out, ", \"reason\": ");
			if (rc == SK_OK)
				rc = sk_policy_json_str(out, a->out_of_scope);
		}
		if (rc == SK_OK)
			rc = sk_buf_addc(out, '}');
	}
	return rc == SK_OK ? sk_buf_addc(out, ']') : rc;
}

sk_err sk_policy_coverage(const sk_policy *p, bool json, sk_buf *out)
{
	size_t count[3] = {0, 0, 0};
	for (size_t i = 0; i < p->n_articles; i++) {
		const sk_article *a = &p->articles[i];
		count[a->cited ? 0 : a->out_of_scope ? 1 : 2]++;
	}
	sk_err rc;
	if (json) {
		rc = sk_buf_adds(out, "{\"city\": ");
		if (rc == SK_OK)
			rc = sk_policy_json_str(out, p->city_id);
		if (rc == SK_OK)
			rc = sk_buf_addf(out, ", \"articles\": %zu, \"encoded\": ", p->n_articles);
		if (rc == SK_OK)
			rc = add_list(p, 0, out);
		if (rc == SK_OK)
			rc = sk_buf_adds(out, ", \"out_of_scope\": ");
		if (rc == SK_OK)
			rc = add_list(p, 1, out);
		if (rc == SK_OK)
			rc = sk_buf_adds(out, ", \"not_encoded\": ");
		if (rc == SK_OK)
			rc = add_list(p, 2, out);
		return rc == SK_OK ? sk_buf_adds(out, "}\n") : rc;
	}
	static const char *const heads[3] = {"encoded", "out of scope", "NOT encoded"};
	rc = sk_buf_addf(out,
	                 "%s (%s): %zu articles; %zu encoded, %zu out of scope, %zu not encoded\n",
	                 p->city_name, p->city_id, p->n_articles, count[0], count[1], count[2]);
	for (int k = 0; rc == SK_OK && k < 3; k++) {
		rc = sk_buf_addf(out, "\n%s (%zu):\n", heads[k], count[k]);
		for (size_t i = 0; rc == SK_OK && i < p->n_articles; i++) {
			const sk_article *a = &p->articles[i];
			if ((a->cited ? 0 : a->out_of_scope ? 1 : 2) != k)
				continue;
			rc = sk_buf_addf(out, "  %s  %s%s%s\n", a->id, a->title,
			                 k == 1 ? " -- " : "", k == 1 ? a->out_of_scope : "");
		}
	}
	return rc;
}
