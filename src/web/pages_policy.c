/*
 * pages_policy: 「〜してよいか」 (/decide: by a stored asset with
 * sk_decision_for_asset, as POST /api/v1/decisions; by a classification
 * with the one decision input parser, sk_decide_input_parse, recorded as
 * POST /api/v1/policy/decide records it) and the policy in force
 * (/policy). The audit log's pages are in pages_audit.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_json.h"
#include "../domain/decision.h"
#include "../domain/org.h"
#include "../domain/policyset.h"
#include "web_int.h"
#include "../core/sk_msg.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void decide_page(sk_web_req *w, int status, const char *asset, const char *action,
                        const char *answer)
{
	const sk_policy *p = w->r->t->pol;
	sk_html_frag actions = SK_HTML_FRAG_INIT,
	             lv[SK_AXIS__COUNT] = {SK_HTML_FRAG_INIT, SK_HTML_FRAG_INIT, SK_HTML_FRAG_INIT},
	             zones = SK_HTML_FRAG_INIT, types = SK_HTML_FRAG_INIT, sg = SK_HTML_FRAG_INIT,
	             cites = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	for (int a = 0; a < SK_ACT__COUNT; a++)
		sk_web_option(w, &actions, sk_action_name((sk_action)a),
		              sk_action_name((sk_action)a),
		              action && !strcmp(action, sk_action_name((sk_action)a)));
	for (int ax = 0; ax < SK_AXIS__COUNT; ax++) {
		sk_web_option(w, &lv[ax], "", sk_web_t(w, SK_M_UI_CHOOSE), false);
		for (int v = 0; v < sk_policy_level_count(p, (sk_axis)ax); v++) {
			const char *name = sk_policy_level_name(p, (sk_axis)ax, v);
			sk_web_option(w, &lv[ax], name, name, false);
		}
	}
	sk_web_option(w, &zones, "", sk_web_t(w, SK_M_UI_CHOOSE), false);
	for (int z = 0; z < SK_ZONE__COUNT; z++) {
		const char *t = sk_policy_zone_title(p, (sk_zone)z);
		char text[160];
		snprintf(text, sizeof(text), "%s (%s)", t ? t : sk_zone_name((sk_zone)z),
		         sk_zone_name((sk_zone)z));
		sk_web_option(w, &zones, sk_zone_name((sk_zone)z), text, false);
	}
	sk_web_option(w, &types, "", sk_web_t(w, SK_M_UI_CHOOSE), false);
	for (int t = 1; t < SK_ASSET__COUNT; t++)
		sk_web_option(w, &types, sk_asset_type_name((sk_asset_type)t),
		              sk_asset_type_name((sk_asset_type)t), false);
	const char *kind = NULL, *verdict = NULL, *approver = NULL;
	json_t *d = NULL;
	char approver_text[200];
	if (answer) {
		sk_buf jerr = SK_BUF_INIT(SK_BUF_MSG_MAX);
		sk_json_parse(answer, strlen(answer), strlen(answer) + 1, &d, &jerr);
		sk_buf_free(&jerr);
		kind = json_string_value(json_object_get(d, "decision"));
		sk_decision_kind k = SK_DEC_FORBID;
		if (kind)
			sk_decision_parse(kind, &k);
		static const sk_msg_id words[] = {SK_M_UI_DECIDE_ALLOWED,
		                                  SK_M_UI_DECIDE_CONDITIONAL,
		                                  SK_M_UI_DECIDE_APPROVAL, SK_M_UI_DECIDE_DENIED};
		verdict = sk_web_t(w, words[k]);
		const char *ar = json_string_value(json_object_get(d, "approver_role"));
		sk_role role;
		if (ar && sk_role_parse(ar, &role) == SK_OK) {
			const char *t = sk_policy_role_title(p, role, w->lang);
			snprintf(approver_text, sizeof(approver_text), "%s (%s)", t ? t : ar, ar);
			approver = approver_text;
		}
		size_t i;
		json_t *x;
		json_array_foreach (json_object_get(d, "safeguards"), i, x) {
			sk_tv v[] = {SK_TV("text", json_string_value(x))};
			sk_html_render(&sg, "li", w->lang, v, 1);
		}
		json_array_foreach (json_object_get(d, "citations"), i, x) {
			sk_tv v[] = {SK_TV("text", json_string_value(x))};
			sk_html_render(&cites, "li", w->lang, v, 1);
		}
	}
	sk_tv v[] = {SK_TV("result", answer ? "1" : NULL),
	             SK_TV("kind", kind),
	             SK_TV("verdict", verdict),
	             SK_TF("safeguards", &sg),
	             SK_TV("approver", approver),
	             SK_TF("cites", &cites),
	             SK_TV("csrf", w->ap.csrf_token),
	             SK_TV("asset", asset),
	             SK_TF("actions", &actions),
	             SK_TF("conf", &lv[0]),
	             SK_TF("integ", &lv[1]),
	             SK_TF("avail", &lv[2]),
	             SK_TF("zones", &zones),
	             SK_TF("types", &types)};
	if (sk_web_render(w, &main, "decide", v, N(v)))
		sk_web_page(w, status, SK_M_UI_DECIDE_TITLE, &main);
	json_decref(d);
	sk_html_frag_free(&actions);
	for (int ax = 0; ax < SK_AXIS__COUNT; ax++)
		sk_html_frag_free(&lv[ax]);
	sk_html_frag_free(&zones);
	sk_html_frag_free(&types);
	sk_html_frag_free(&sg);
	sk_html_frag_free(&cites);
	sk_html_frag_free(&main);
}

void sk_web_decide(sk_web_req *w)
{
	char asset[24] = "";
	sk_http_query(w->r, "asset", asset, sizeof(asset));
	decide_page(w, 200, asset, NULL, NULL);
}

void sk_web_decide_post(sk_web_req *w)
{
	const char *mode = sk_form_get(&w->form, "mode");
	const char *action = sk_form_get(&w->form, "action");
	const char *asset = sk_form_get(&w->form, "asset_id");
	sk_buf out = SK_BUF_INIT(64u << 10), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e;
	if (mode && !strcmp(mode, "class")) {
		static const char *const keys[] = {"action", "conf",    "integ",     "avail",
		                                   "zone",   "to_zone", "asset_type"};
		sk_decide_kv kv[N(keys)];
		size_t n = 0;
		for (size_t i = 0; i < N(keys); i++) {
			const char *v = sk_form_get(&w->form, keys[i]);
			if (v && *v)
				kv[n++] = (sk_decide_kv){keys[i], v};
		}
		sk_decision_made m;
		sk_decision_made_init(&m);
		e = sk_decision_bare(w->r->t->pol, kv, n, &m, &err);
		if (!e) {
			sk_ctx c;
			sk_http_ctx(w->r, &c);
			e = sk_decision_record(&c, &m, &err);
			sk_ctx_fini(&c);
		}
		if (!e)
			e = sk_buf_add(&out, m.answer.data, m.answer.len);
		sk_decision_made_free(&m);
	} else {
		char *end = NULL;
		long long id = asset ? strtoll(asset, &end, 10) : 0;
		if (!asset || end == asset || *end || id < 1)
			e = sk_fail_msg(&err, SK_ERR_INVALID, "asset_id", NULL, SK_M_FIELD_RANGE,
			                1LL, (long long)INT64_MAX);
		else {
			sk_ctx c;
			sk_http_ctx(w->r, &c);
			e = sk_decision_for_asset(&c, w->who.roles, (int64_t)id, action, &out,
			                          &err);
			sk_ctx_fini(&c);
		}
	}
	if (e == SK_OK) {
		sk_buf_addc(&out, '\0');
		decide_page(w, 200, asset, action, out.data);
	} else if (e == SK_ERR_INVALID) {
		sk_web_error_of(w, e, &err);
		decide_page(w, 400, asset, action, NULL);
	} else {
		sk_web_fail(w, e, &err);
	}
	sk_buf_free(&out);
	sk_buf_free(&err);
}

/* --- the policy in force --- */

/*
 * The installation's policy set (docs/policy-set.md): each document with the
 * unit kinds it governs, for a reader who may read the set (policy.read);
 * nothing for anyone else, as GET /api/v1/policy/set answers them 403.
 */
static void policy_set(sk_web_req *w, sk_html_frag *out)
{
	json_t *members = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(w->r, &c);
	sk_err e = sk_policyset_show(&c, &members, &err);
	sk_ctx_fini(&c);
	size_t i;
	json_t *m;
	json_array_foreach (e ? NULL : members, i, m) {
		char term[320];
		const char *title = json_string_value(json_object_get(m, "title"));
		snprintf(term, sizeof(term), "%s (%s %lld%s)", title ? title : "?",
		         sk_msg_format(SK_M_UI_POLICY_SET_VERSION, w->lang),
		         (long long)json_integer_value(json_object_get(m, "version")),
		         json_is_true(json_object_get(m, "primary"))
		             ? sk_msg_format(SK_M_UI_POLICY_SET_PRIMARY, w->lang)
		             : "");
		sk_buf kinds = SK_BUF_INIT(1024);
		size_t k;
		json_t *kind;
		json_array_foreach (json_object_get(m, "unit_kinds"), k, kind) {
			sk_org_kind ok;
			if (sk_org_kind_parse(json_string_value(kind), &ok, NULL) != SK_OK)
				continue;
			if (kinds.len)
				sk_buf_adds(&kinds, w->lang == SK_LANG_JA ? "、" : ", ");
			sk_buf_adds(&kinds, sk_org_kind_label(ok, w->lang));
		}
		sk_tv t[] = {SK_TV("term", term), SK_TV("value", kinds.data ? kinds.data : "")};
		sk_html_render(out, "dt", w->lang, t, N(t));
		sk_buf_free(&kinds);
	}
	json_decref(members);
	sk_buf_free(&err);
}

static bool contains(const char *hay, const char *needle)
{
	return !needle || !*needle || strstr(hay, needle) != NULL;
}

void sk_web_policy(sk_web_req *w)
{
	char q[208] = "";
	sk_http_query(w->r, "q", q, sizeof(q));
	const sk_policy *p = w->r->t->pol;
	sk_html_frag levels = SK_HTML_FRAG_INIT, roles = SK_HTML_FRAG_INIT,
	             rules = SK_HTML_FRAG_INIT, set = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	policy_set(w, &set);
	for (int ax = 0; ax < SK_AXIS__COUNT; ax++)
		for (int v = 0; v < sk_policy_level_count(p, (sk_axis)ax); v++) {
			sk_tv t[] = {SK_TV("term", sk_policy_level_name(p, (sk_axis)ax, v)),
			             SK_TV("value", sk_policy_level_label(p, (sk_axis)ax, v))};
			sk_html_render(&levels, "dt", w->lang, t, N(t));
		}
	for (int i = 0; i < SK_ROLE__COUNT; i++) {
		const char *title = sk_policy_role_own_title(p, (sk_role)i);
		if (title) {
			sk_tv t[] = {SK_TV("term", sk_role_name((sk_role)i)),
			             SK_TV("value", title)};
			sk_html_render(&roles, "dt", w->lang, t, N(t));
		}
	}
	/* Every rule of every action with its citation, as sk_policy_explain lists them. */
	for (int a = 0; a < SK_ACT__COUNT; a++) {
		sk_decide_input in;
		sk_decide_input_init(&in, (sk_action)a);
		sk_buf text = SK_BUF_INIT(1u << 20);
		if (sk_policy_explain(p, &in, w->lang, &text) == SK_OK &&
		    (contains(text.data, q) || contains(sk_action_name((sk_action)a), q))) {
			sk_tv t[] = {SK_TV("action", sk_action_name((sk_action)a)),
			             SK_TV("text", text.data)};
			sk_html_render(&rules, "policy_rule", w->lang, t, N(t));
		}
		sk_buf_free(&text);
	}
	sk_tv v[] = {SK_TV("city", sk_policy_city_name(p)),
	             SK_TV("source", sk_policy_source(p)),
	             SK_TV("q", q),
	             SK_TV("can_versions", sk_web_can(w, SK_CAP_POLICY_READ) ? "1" : NULL),
	             SK_TF("set", &set),
	             SK_TF("levels", &levels),
	             SK_TF("roles", &roles),
	             SK_TF("rules", &rules)};
	if (sk_web_render(w, &main, "policy", v, N(v)))
		sk_web_page(w, 200, SK_M_UI_POLICY_TITLE, &main);
	sk_html_frag_free(&set);
	sk_html_frag_free(&levels);
	sk_html_frag_free(&roles);
	sk_html_frag_free(&rules);
	sk_html_frag_free(&main);
}
