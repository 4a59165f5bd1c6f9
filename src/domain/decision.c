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

void sk_decision_made_init(sk_decision_made *m)
{
	m->asset_id = 0;
	m->record_read = false;
	sk_buf_init(&m->answer, 64u << 10);
	sk_buf_init(&m->image, 64u << 10);
}

void sk_decision_made_free(sk_decision_made *m)
{
	sk_buf_free(&m->answer);
	sk_buf_free(&m->image);
}

/* What the decision takes from the asset, filled by the read's callback. */
struct facts {
	const sk_policy *pol;
	const char *action;
	sk_decide_input *in;
	int64_t updated_at;
};

/*
 * The asset's classification, flags, zone and type through the one input
 * parser (sk_decide_input_parse), so that a stored asset is decided by the
 * same rules as the same values given to `sekisho decide`.
 */
static sk_err take_facts(void *ctx, const sk_asset *a, sk_buf *err)
{
	struct facts *f = ctx;
	const sk_decide_kv kv[] = {
	    {"action", f->action},
	    {"conf", a->conf},
	    {"integ", a->integ},
	    {"avail", a->avail},
	    {"mynumber", a->mynumber ? "true" : "false"},
	    {"personal", a->personal ? "true" : "false"},
	    {"zone", a->zone && *a->zone ? a->zone : NULL},
	    {"asset_type", a->type && *a->type ? a->type : NULL},
	};
	sk_buf why = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_decide_input_parse(f->pol, kv, sizeof(kv) / sizeof(kv[0]), f->in, &why);
	if (e)
		e = sk_fail_wrap(&why, SK_ERR_CONFLICT, NULL, NULL, SK_M_DECISION_ASSET_UNFIT);
	if (e)
		sk_fail_texts(err, e, why.field, why.data, why.ja);
	sk_buf_free(&why);
	f->updated_at = a->updated_at;
	return e;
}

/*
 * The decision as canonical JSON (keys sorted, compact): the same object as
 * sk_decision_to_json's, written directly so that the audit image needs no
 * parse and re-encoding.
 */
static sk_err canonical_decision(const sk_decision *d, sk_buf *out)
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

/*
 * {"action","actor_role","asset_updated_at","decision","policy_version"}:
 * sorted, as sk_json_canonical sorts. policy_version is the stored version
 * the decision was made under (issue #16), null for an installation made
 * before versions.
 */
static sk_err render_image(sk_action act, sk_role role, int64_t updated_at, const sk_decision *d,
                           int64_t version, sk_buf *out)
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
	if (!e)
		e = canonical_decision(d, out);
	if (!e)
		e = version ? sk_buf_addf(out, ",\"policy_version\":%" PRId64 "}", version)
		            : sk_buf_adds(out, ",\"policy_version\":null}");
	return e;
}

sk_err sk_decision_make(sk_ctx *c, uint32_t roles, int64_t id, const char *action,
                        sk_decision_made *m, sk_buf *err)
{
	sk_buf_reset(&m->answer);
	sk_buf_reset(&m->image);
	m->asset_id = id;
	m->record_read = false;
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
	struct facts f = {.pol = pol, .action = action, .in = &in};
	e = sk_asset_read(c, id, true, take_facts, &f, &m->record_read, err);
	if (e)
		return e;
	for (int r = 0; r < SK_ROLE__COUNT; r++)
		if (roles & (1u << r)) {
			in.actor_role = (sk_role)r;
			break;
		}
	sk_decision d;
	if ((e = sk_policy_decide(pol, &in, &d)))
		return sk_fail_msg(err, e, NULL, NULL, SK_M_DECISION_OUT_OF_RANGE);
	if ((e = sk_decision_to_json(&d, &m->answer)) ||
	    (e = render_image(act, in.actor_role, f.updated_at, &d, sk_policy_stored_version(pol),
	                      &m->image)))
		return sk_fail_msg(err, e, NULL, NULL, SK_M_DECISION_TOO_BIG);
	return SK_OK;
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
	if (e) {
		sk_store_rollback(s);
		return e;
	}
	return sk_store_commit(s, err);
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
