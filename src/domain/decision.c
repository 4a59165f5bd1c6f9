/* decision: SPEC §3 decisions for stored assets, read in scope and audited. */
#include "decision.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_json.h"
#include "../core/sk_msg.h"
#include "asset.h"
#include "policyset.h"

void sk_decision_made_init(sk_decision_made *m)
{
	m->asset_id = 0;
	m->record_read = false;
	m->decision_at = m->decision_len = 0;
	sk_buf_init(&m->answer, 64u << 10);
	sk_buf_init(&m->image, 64u << 10);
}

void sk_decision_made_free(sk_decision_made *m)
{
	sk_buf_free(&m->answer);
	sk_buf_free(&m->image);
}

/* s (NULL: "") into dst of n bytes, cut as snprintf's "%s" cuts it. */
static void copy_fact(char *dst, size_t n, const char *s)
{
	size_t len = s ? strnlen(s, n - 1) : 0;
	if (len)
		memcpy(dst, s, len);
	dst[len] = '\0';
}

static sk_err take_facts(void *ctx, const sk_asset *a, sk_buf *err)
{
	(void)err;
	sk_decision_facts *f = ctx;
	f->unit_id = a->unit_id;
	f->updated_at = a->updated_at;
	f->mynumber = a->mynumber;
	f->personal = a->personal;
	copy_fact(f->conf, sizeof(f->conf), a->conf);
	copy_fact(f->integ, sizeof(f->integ), a->integ);
	copy_fact(f->avail, sizeof(f->avail), a->avail);
	copy_fact(f->zone, sizeof(f->zone), a->zone);
	copy_fact(f->type, sizeof(f->type), a->type);
	return SK_OK;
}

sk_err sk_decision_canonical(const sk_decision *d, sk_buf *out)
{
	sk_err e = sk_buf_adds(out, "{\"approver_role\":");
	if (!e)
		e = d->approver == SK_ROLE_NONE
		        ? sk_buf_adds(out, "null")
		        : sk_json_add_str(out, sk_role_name(d->approver),
		                          strlen(sk_role_name(d->approver)));
	if (!e)
		e = sk_buf_adds(out, ",\"citations\":[");
	for (unsigned i = 0; !e && i < d->n_citations; i++) {
		if (i)
			e = sk_buf_addc(out, ',');
		if (!e)
			e = sk_json_add_str(out, d->citations[i], strlen(d->citations[i]));
	}
	const char *kind = sk_decision_name(d->decision);
	if (!e)
		e = sk_buf_adds(out, "],\"decision\":");
	if (!e)
		e = sk_json_add_str(out, kind, strlen(kind));
	if (!e)
		e = sk_buf_adds(out, d->exception_possible ? ",\"exception_possible\":true"
		                                           : ",\"exception_possible\":false");
	if (!e)
		e = sk_buf_adds(out, ",\"safeguards\":[");
	bool first = true;
	for (int s = 0; !e && s < SK_SG__COUNT; s++) {
		if (!(d->safeguards & (1u << s)))
			continue;
		const char *name = sk_safeguard_name((sk_safeguard)s);
		if (!first)
			e = sk_buf_addc(out, ',');
		if (!e)
			e = sk_json_add_str(out, name, strlen(name));
		first = false;
	}
	if (!e)
		e = sk_buf_adds(out, "]}");
	return e;
}

json_t *sk_decision_json(const sk_decision *d)
{
	/* The members in sk_decision_to_json's order, as parsing its text inserted them. */
	json_t *o = json_object(), *sg = json_array(), *cites = json_array();
	bool ok = o && sg && cites;
	for (int s = 0; ok && s < SK_SG__COUNT; s++)
		if (d->safeguards & (1u << s))
			ok = json_array_append_new(
			         sg, json_string_nocheck(sk_safeguard_name((sk_safeguard)s))) == 0;
	/* A profile's citations are UTF-8 (the loader checked); json_string checks again. */
	for (unsigned i = 0; ok && i < d->n_citations; i++)
		ok = json_array_append_new(cites, json_string(d->citations[i])) == 0;
	ok = ok &&
	     !json_object_set_new_nocheck(o, "decision",
	                                  json_string_nocheck(sk_decision_name(d->decision))) &&
	     !json_object_set_new_nocheck(o, "approver_role",
	                                  d->approver == SK_ROLE_NONE
	                                      ? json_null()
	                                      : json_string_nocheck(sk_role_name(d->approver)));
	ok = ok && !json_object_set_nocheck(o, "safeguards", sg) &&
	     !json_object_set_new_nocheck(o, "exception_possible",
	                                  json_boolean(d->exception_possible)) &&
	     !json_object_set_nocheck(o, "citations", cites);
	json_decref(sg);
	json_decref(cites);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * {"action","actor_role","asset_updated_at","decision","policy_version"}:
 * sorted, as sk_json_canonical sorts. policy_version is the stored version
 * the decision was made under (issue #16), null for an installation made
 * before versions.
 */
static sk_err render_image(sk_action act, sk_role role, int64_t updated_at, const sk_policy *pol,
                           const sk_set_decision *d, int64_t version, sk_buf *out, size_t *dec_at,
                           size_t *dec_len)
{
	char at[SK_TIME_STR_MAX];
	sk_clock_format(updated_at, at);
	const char *name = sk_action_name(act);
	sk_err e = sk_buf_adds(out, "{\"action\":");
	if (!e)
		e = sk_json_add_str(out, name, strlen(name));
	if (!e)
		e = sk_buf_adds(out, ",\"actor_role\":");
	if (!e)
		e = role == SK_ROLE_NONE
		        ? sk_buf_adds(out, "null")
		        : sk_json_add_str(out, sk_role_name(role), strlen(sk_role_name(role)));
	if (!e)
		e = sk_buf_adds(out, ",\"asset_updated_at\":");
	if (!e)
		e = sk_json_add_str(out, at, strlen(at));
	if (!e)
		e = sk_buf_adds(out, ",\"decision\":");
	*dec_at = out->len;
	if (!e)
		e = sk_decision_canonical(&d->d, out);
	*dec_len = out->len - *dec_at;
	/* The documents of the policy set whose rules the answer cites (policyset.h). */
	if (!e)
		e = sk_buf_adds(out, ",\"documents\":");
	if (!e)
		e = sk_policy_set_documents_json(pol, d, true, out);
	if (!e)
		e = sk_buf_adds(out, ",\"policy_version\":");
	if (!e)
		e = version ? sk_buf_add_int(out, version) : sk_buf_adds(out, "null");
	if (!e)
		e = sk_buf_addc(out, '}');
	return e;
}

/* The unit of the acting account, 0 for the CLI operator or an account without one. */
static sk_err actor_unit(sk_ctx *c, int64_t *out, sk_buf *err)
{
	*out = 0;
	if (!c->actor || c->actor->superuser || !c->actor->user_id)
		return SK_OK;
	sk_err e = sk_store_query_int(c->store, "SELECT unit_id FROM users WHERE id = ?",
	                              (sk_val[]){SK_VINT(c->actor->user_id)}, 1, out, err);
	if (e == SK_ERR_NOT_FOUND) {
		if (err)
			sk_buf_reset(err);
		e = SK_OK;
	}
	return e;
}

/* sk_decision_make, with the answer rendered or (answer false) left empty. */
static sk_err make(sk_ctx *c, uint32_t roles, int64_t id, const char *action, bool answer,
                   sk_decision_made *m, sk_buf *err)
{
	sk_buf_reset(&m->answer);
	sk_buf_reset(&m->image);
	m->asset_id = id;
	m->record_read = false;
	m->decision_at = m->decision_len = 0;
	const sk_policy *pol = NULL;
	sk_err e = sk_ctx_policy(c, &pol, err);
	if (!e && !pol)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_PROFILE_NONE);
	if (e)
		return e;
	sk_decide_input in;
	/* The action alone first: an unknown one is refused before the asset is read. */
	const sk_decide_kv act_kv[] = {{"action", action ? action : ""}};
	if ((e = sk_decide_input_parse(pol, act_kv, 1, &in, err)))
		return e;
	sk_action act = in.action;
	sk_decision_facts f;
	memset(&f, 0, sizeof(f));
	e = sk_asset_read(c, id, true, take_facts, &f, &m->record_read, err);
	m->facts = f;
	int64_t unit = 0;
	/* The actor's unit matters only where the set holds more than the primary. */
	if (!e && sk_policy_set_count(pol) > 1)
		e = actor_unit(c, &unit, err);
	if (e)
		return e;
	sk_role role = SK_ROLE_NONE;
	for (int r = 0; r < SK_ROLE__COUNT; r++)
		if (roles & (1u << r)) {
			role = (sk_role)r;
			break;
		}
	const sk_decide_kv kv[] = {
	    {"action", action},
	    {"conf", f.conf[0] ? f.conf : NULL},
	    {"integ", f.integ[0] ? f.integ : NULL},
	    {"avail", f.avail[0] ? f.avail : NULL},
	    {"mynumber", f.mynumber ? "true" : "false"},
	    {"personal", f.personal ? "true" : "false"},
	    {"zone", f.zone[0] ? f.zone : NULL},
	    {"asset_type", f.type[0] ? f.type : NULL},
	    {"actor_role", role == SK_ROLE_NONE ? NULL : sk_role_name(role)},
	};
	/* The documents of the asset's unit and of the actor's (policyset.h). */
	sk_buf why = SK_BUF_INIT(SK_BUF_MSG_MAX);
	e = sk_policyset_decide(c, f.unit_id, unit, kv, sizeof(kv) / sizeof(kv[0]), &m->decided,
	                        &why);
	if (e == SK_ERR_INVALID)
		e = sk_fail_wrap(&why, SK_ERR_CONFLICT, NULL, NULL, SK_M_DECISION_ASSET_UNFIT);
	if (e)
		sk_fail_texts(err, e, why.field, why.data, why.ja);
	sk_buf_free(&why);
	if (e)
		return e;
	if ((answer && (e = sk_decision_to_json(&m->decided.d, &m->answer))) ||
	    (e = render_image(act, role, f.updated_at, pol, &m->decided,
	                      sk_policy_stored_version(pol), &m->image, &m->decision_at,
	                      &m->decision_len)))
		return sk_fail_msg(err, e, NULL, NULL, SK_M_DECISION_TOO_BIG);
	return SK_OK;
}

sk_err sk_decision_make(sk_ctx *c, uint32_t roles, int64_t id, const char *action,
                        sk_decision_made *m, sk_buf *err)
{
	return make(c, roles, id, action, true, m, err);
}

sk_err sk_decision_make_unanswered(sk_ctx *c, uint32_t roles, int64_t id, const char *action,
                                   sk_decision_made *m, sk_buf *err)
{
	return make(c, roles, id, action, false, m, err);
}

sk_err sk_decision_still_holds(sk_ctx *c, const sk_decision_made *m, bool *holds, sk_buf *err)
{
	*holds = false;
	if (!m->asset_id)
		return SK_OK;
	sk_decision_facts now;
	memset(&now, 0, sizeof(now));
	bool top = false;
	sk_err e = sk_asset_read(c, m->asset_id, true, take_facts, &now, &top, err);
	if (e == SK_ERR_NOT_FOUND) {
		if (err)
			sk_buf_reset(err);
		return SK_OK;
	}
	const sk_decision_facts *was = &m->facts;
	if (!e)
		*holds = top == m->record_read && now.unit_id == was->unit_id &&
		         now.updated_at == was->updated_at && now.mynumber == was->mynumber &&
		         now.personal == was->personal && strcmp(now.conf, was->conf) == 0 &&
		         strcmp(now.integ, was->integ) == 0 && strcmp(now.avail, was->avail) == 0 &&
		         strcmp(now.zone, was->zone) == 0 && strcmp(now.type, was->type) == 0;
	return e;
}

sk_err sk_decision_for_unit(sk_ctx *c, int64_t unit, const sk_decide_kv *kv, size_t n,
                            sk_decision_made *m, sk_buf *err)
{
	sk_buf_reset(&m->answer);
	sk_buf_reset(&m->image);
	m->asset_id = 0;
	m->record_read = false;
	m->decision_at = m->decision_len = 0;
	const sk_policy *pol = NULL;
	sk_err e = sk_ctx_policy(c, &pol, err);
	if (!e && !pol)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_PROFILE_NONE);
	if (!e)
		e = sk_authz_require_cap(c, SK_CAP_DECIDE, unit, err);
	if (!e)
		e = sk_policyset_decide(c, unit, 0, kv, n, &m->decided, err);
	if (e)
		return e;
	sk_decide_input in; /* the primary's reading, for the image's action and role */
	if (sk_decide_input_parse(pol, kv, n, &in, NULL) != SK_OK)
		sk_decide_input_init(&in, SK_ACT_USE);
	json_t *input = json_object();
	for (size_t i = 0; input && i < n; i++)
		if (kv[i].value)
			json_object_set_new(input, kv[i].key, json_string(kv[i].value));
	sk_buf dec = SK_BUF_INIT(64u << 10), docs = SK_BUF_INIT(64u << 10);
	json_t *dj = NULL, *dd = NULL;
	if (!(e = sk_decision_to_json(&m->decided.d, &m->answer)) &&
	    !(e = sk_decision_canonical(&m->decided.d, &dec)) &&
	    !(e = sk_policy_set_documents_json(pol, &m->decided, true, &docs))) {
		dj = json_loadb(dec.data, dec.len, 0, NULL);
		dd = json_loadb(docs.data, docs.len, 0, NULL);
	}
	int64_t version = sk_policy_stored_version(pol);
	json_t *after = e || !dj || !dd || !input
	                    ? NULL
	                    : json_pack("{s:O, s:O, s:O, s:I, s:o}", "input", input, "decision", dj,
	                                "documents", dd, "unit", (json_int_t)unit, "policy_version",
	                                version ? json_integer(version) : json_null());
	json_decref(dj);
	json_decref(dd);
	if (!after && !e)
		e = SK_ERR_NOMEM;
	if (!e && sk_json_canonical(after, &m->image))
		e = SK_ERR_NOMEM;
	json_decref(after);
	json_decref(input);
	sk_buf_free(&dec);
	sk_buf_free(&docs);
	return e ? sk_fail_msg(err, e, NULL, NULL, SK_M_DECISION_TOO_BIG) : SK_OK;
}

sk_err sk_decision_bare(const sk_policy *p, const sk_decide_kv *kv, size_t n, sk_decision_made *m,
                        sk_buf *err)
{
	static const char *const keys[] = {"conf", "integ",   "avail",
	                                   "zone", "to_zone", "asset_type"};
	sk_buf_reset(&m->answer);
	sk_buf_reset(&m->image);
	m->asset_id = 0;
	m->record_read = false;
	m->decision_at = m->decision_len = 0;
	sk_decide_input in;
	sk_decision d;
	sk_err e = sk_decide_input_parse(p, kv, n, &in, err);
	if (!e && ((e = sk_policy_decide(p, &in, &d)) || (e = sk_decision_to_json(&d, &m->answer))))
		return sk_fail_msg(err, e, NULL, NULL, SK_M_HTTP_DECISION_COULD_MADE);
	if (e)
		return e;
	json_t *dec = NULL, *input = json_object();
	e = sk_json_parse(m->answer.data, m->answer.len, m->answer.len + 1, &dec, err);
	/* The parse refused a repeated key, so each key stands at most once. */
	for (size_t i = 0; !e && input && i < n; i++)
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (kv[i].value && *kv[i].value && !strcmp(kv[i].key, keys[k]))
				json_object_set_new(input, keys[k], json_string(kv[i].value));
	int64_t version = sk_policy_stored_version(p);
	json_t *after =
	    e || !input
	        ? NULL
	        : json_pack("{s:s, s:s?, s:O, s:b, s:b, s:o, s:o}", "action",
	                    sk_action_name(in.action), "actor_role",
	                    in.actor_role == SK_ROLE_NONE ? NULL : sk_role_name(in.actor_role),
	                    "input", input, "mynumber", in.mynumber, "personal", in.personal,
	                    "decision", dec, "policy_version",
	                    version ? json_integer(version) : json_null());
	if (!e && input)
		dec = NULL; /* json_pack's "o" took it, even on failure (jansson >= 2.11) */
	if (!e && !after)
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	if (!e && sk_json_canonical(after, &m->image))
		e = sk_fail(err, SK_ERR_NOMEM, "the decision's audit image could not be encoded");
	json_decref(after);
	json_decref(input);
	json_decref(dec);
	return e;
}

sk_err sk_decision_record(sk_ctx *c, const sk_decision_made *m, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	char obj[48] = "classification:-";
	if (m->asset_id)
		snprintf(obj, sizeof(obj), "asset:%" PRId64, m->asset_id);
	sk_audit_event ev = {
	    .actor = actor->login, .address = actor->address, .action = "decision", .object = obj};
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	/* Recording needs neither the profile nor the scope: the read was checked. */
	if (m->record_read)
		e = sk_asset_record_read(c, m->asset_id, err);
	if (!e)
		e = sk_audit_append_text(s, &ev, NULL, m->image.data, NULL, err);
	return sk_store_end(s, e, err);
}

sk_err sk_decision_for_asset(sk_ctx *c, uint32_t roles, int64_t id, const char *action, sk_buf *out,
                             sk_buf *err)
{
	sk_decision_made m;
	sk_decision_made_init(&m);
	sk_err e = sk_decision_make(c, roles, id, action, &m, err);
	if (!e)
		e = sk_decision_record(c, &m, err);
	if (!e && (e = sk_buf_add(out, m.answer.data, m.answer.len)))
		e = sk_fail_msg(err, e, NULL, NULL, SK_M_DECISION_TOO_BIG);
	sk_decision_made_free(&m);
	return e;
}
