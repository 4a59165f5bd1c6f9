/*
 * coverage: which of the seed's articles (the profile's `articles:` list) the
 * profile encodes, i.e. some rule, level, role, zone, password kind, MFA
 * setting, retention entry or checklist item cites it; which are marked out
 * of scope; and which nothing encodes yet, so that gaps stay visible. It
 * also lists the requirements whose period the seed leaves unstated
 * (retention `period: unspecified`, `rotation_days: unspecified`), which a
 * city has to settle before it can enforce them.
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

/* One unstated period: what it is about and the citations that require it. */
typedef struct unstated {
	const char *id, *what;
	unsigned n_cites;
	const char *const *cites;
} unstated;

/* Fills out (up to cap) with the requirements without a stated period; returns how many. */
static size_t list_unstated(const sk_policy *p, unstated *out, size_t cap)
{
	static const char *const pw_ids[SK_KIND__COUNT] = {"passwords.normal.rotation_days",
	                                                   "passwords.privileged.rotation_days",
	                                                   "passwords.social.rotation_days"};
	size_t n = 0;
	for (size_t i = 0; i < p->n_retention; i++) {
		const sk_retention *r = &p->retention[i];
		if (!r->unspecified)
			continue;
		if (n < cap)
			out[n] = (unstated){r->id, r->what, r->n_citations, r->citations};
		n++;
	}
	for (int k = 0; k < SK_KIND__COUNT; k++) {
		const sk_password_rules *r = &p->pw[k];
		/* Only where it is written: an inherited one is listed once, under normal. */
		if (!p->pw_lines[k].set_rotation || !r->rotation_required || r->rotation_days)
			continue;
		if (n < cap)
			out[n] = (unstated){pw_ids[k], "パスワードの定期的な変更（間隔の定めなし）",
			                    r->n_citations, r->citations};
		n++;
	}
	return n;
}

static sk_err add_unstated(const sk_policy *p, bool json, sk_lang l, sk_buf *out)
{
	unstated u[SK_POLICY_MAX_ITEMS + SK_KIND__COUNT];
	size_t n = list_unstated(p, u, sizeof(u) / sizeof(u[0]));
	sk_err rc = json ? sk_buf_adds(out, ", \"unstated_periods\": [")
	                 : sk_msg_addf(out, l, SK_M_COV_UNSTATED, n);
	for (size_t i = 0; rc == SK_OK && i < n; i++) {
		if (json) {
			rc = sk_buf_adds(out, i ? ", {\"id\": " : "{\"id\": ");
			if (rc == SK_OK)
				rc = sk_policy_json_str(out, u[i].id);
			if (rc == SK_OK)
				rc = sk_buf_adds(out, ", \"what\": ");
			if (rc == SK_OK)
				rc = sk_policy_json_str(out, u[i].what);
			if (rc == SK_OK)
				rc = sk_buf_adds(out, ", \"citations\": [");
			for (unsigned c = 0; rc == SK_OK && c < u[i].n_cites; c++) {
				if (c)
					rc = sk_buf_adds(out, ", ");
				if (rc == SK_OK)
					rc = sk_policy_json_str(out, u[i].cites[c]);
			}
			if (rc == SK_OK)
				rc = sk_buf_adds(out, "]}");
		} else {
			rc = sk_buf_addf(out, "  %s  %s [", u[i].id, u[i].what);
			for (unsigned c = 0; rc == SK_OK && c < u[i].n_cites; c++)
				rc = sk_buf_addf(out, "%s%s", c ? ", " : "", u[i].cites[c]);
			if (rc == SK_OK)
				rc = sk_buf_adds(out, "]\n");
		}
	}
	return rc == SK_OK && json ? sk_buf_addc(out, ']') : rc;
}

/*
 * What a template leaves to the city (`decide:`): one entry per open
 * question with the articles to read. Text: only when there is something
 * to say, so a city's own profile prints as before.
 */
static sk_err add_open(const sk_policy *p, bool json, sk_lang l, sk_buf *out)
{
	size_t n = sk_policy_question_count(p);
	sk_policy_document d;
	sk_policy_document_of(p, &d);
	sk_err rc;
	if (json)
		rc = sk_buf_addf(out, ", \"template\": %s, \"to_decide\": [",
		                 d.is_template ? "true" : "false");
	else if (n == 0 && !d.is_template)
		return SK_OK;
	else
		rc = sk_msg_addf(out, l, SK_M_COV_OPEN, n);
	sk_policy_question o;
	for (size_t i = 0; rc == SK_OK && sk_policy_question_at(p, i, &o); i++) {
		if (json) {
			rc = sk_buf_adds(out, i ? ", {\"id\": " : "{\"id\": ");
			if (rc == SK_OK)
				rc = sk_policy_json_str(out, o.id);
			if (rc == SK_OK)
				rc = sk_buf_adds(out, ", \"what\": ");
			if (rc == SK_OK)
				rc = sk_policy_json_str(out, o.what);
			if (rc == SK_OK)
				rc = sk_buf_adds(out, ", \"rule\": ");
			if (rc == SK_OK)
				rc = o.rule ? sk_policy_json_str(out, o.rule)
				            : sk_buf_adds(out, "null");
			if (rc == SK_OK)
				rc = sk_buf_adds(out, ", \"citations\": [");
			for (unsigned c = 0; rc == SK_OK && c < o.n_citations; c++) {
				if (c)
					rc = sk_buf_adds(out, ", ");
				if (rc == SK_OK)
					rc = sk_policy_json_str(out, o.citations[c]);
			}
			if (rc == SK_OK)
				rc = sk_buf_adds(out, "]}");
		} else {
			rc = sk_buf_addf(out, "  %s%s  %s [",
			                 o.rule ? sk_msg_format(SK_M_COV_RULE, l) : "", o.id,
			                 o.what);
			for (unsigned c = 0; rc == SK_OK && c < o.n_citations; c++)
				rc = sk_buf_addf(out, "%s%s", c ? ", " : "", o.citations[c]);
			if (rc == SK_OK)
				rc = sk_buf_adds(out, "]\n");
		}
	}
	return rc == SK_OK && json ? sk_buf_addc(out, ']') : rc;
}

sk_err sk_policy_coverage(const sk_policy *p, bool json, sk_lang l, sk_buf *out)
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
		if (rc == SK_OK)
			rc = add_unstated(p, true, l, out);
		if (rc == SK_OK)
			rc =
			    sk_buf_addf(out, ", \"incidents_default\": %s",
			                sk_policy_incident_route(p)->is_default ? "true" : "false");
		if (rc == SK_OK)
			rc = add_open(p, true, l, out);
		return rc == SK_OK ? sk_buf_adds(out, "}\n") : rc;
	}
	static const sk_msg_id heads[3] = {SK_M_COV_ENCODED, SK_M_COV_OUT_OF_SCOPE,
	                                   SK_M_COV_NOT_ENCODED};
	rc = sk_msg_addf(out, l, SK_M_COV_SUMMARY, p->city_name, p->city_id, p->n_articles,
	                 count[0], count[1], count[2]);
	for (int k = 0; rc == SK_OK && k < 3; k++) {
		rc = sk_msg_addf(out, l, heads[k], count[k]);
		for (size_t i = 0; rc == SK_OK && i < p->n_articles; i++) {
			const sk_article *a = &p->articles[i];
			if ((a->cited ? 0 : a->out_of_scope ? 1 : 2) != k)
				continue;
			rc = sk_buf_addf(out, "  %s  %s%s%s\n", a->id, a->title,
			                 k == 1 ? " -- " : "", k == 1 ? a->out_of_scope : "");
		}
	}
	if (rc == SK_OK)
		rc = add_unstated(p, false, l, out);
	/* A profile without `incidents:` routes reports by the default in code: say so. */
	if (rc == SK_OK && sk_policy_incident_route(p)->is_default)
		rc = sk_msg_addf(out, l, SK_M_COV_INCIDENTS_DEFAULT);
	if (rc == SK_OK)
		rc = add_open(p, false, l, out);
	return rc;
}
