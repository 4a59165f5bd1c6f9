/*
 * org_check: whether every request and report the profile routes from a
 * unit can reach a holder (issue #13: a request is refused at filing when
 * the role its decision names has no holder in the requester's chain; the
 * check says so beforehand). See sk_org_check in org.h.
 */
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "ctx.h"
#include "org.h"

#include "../core/sk_msg.h"

/* One kind of account at one unit: who may file from there. */
struct member {
	int64_t unit;
	sk_role role;
	sk_org_kind kind; /* the unit's: which documents of the policy set decide for it */
	char code[SK_ORG_CODE_MAX + 1];
	char name[SK_ORG_NAME_MAX + 1];
};

struct members {
	struct member *v;
	size_t n, cap;
};

static sk_err take_member(void *ctx, const sk_row *row, sk_buf *err)
{
	struct members *m = ctx;
	sk_role r;
	if (sk_role_parse(sk_row_text(row, 1), &r) != SK_OK)
		return SK_OK; /* a role this build does not know files nothing */
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct member *v = realloc(m->v, cap * sizeof(*v));
		if (!v)
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		m->v = v;
		m->cap = cap;
	}
	struct member *x = &m->v[m->n++];
	memset(x, 0, sizeof(*x));
	x->unit = sk_row_int(row, 0);
	x->role = r;
	if (sk_org_kind_parse(sk_row_text(row, 4), &x->kind, NULL) != SK_OK)
		x->kind = SK_ORG_SECTION;
	strncpy(x->code, sk_row_text(row, 2), SK_ORG_CODE_MAX);
	strncpy(x->name, sk_row_text(row, 3), SK_ORG_NAME_MAX);
	return SK_OK;
}

/* What one member's line lacks: a role, and the first case that names it. */
struct gap {
	sk_role role;
	json_t *first; /* {"action", "conf"}, or a string */
	int64_t cases;
};

struct line_state {
	sk_store *s;
	int64_t line[SK_ORG_LINE_MAX];
	size_t n;
	int8_t held[SK_ROLE__COUNT]; /* 0 unknown, 1 held in the line, -1 not */
	struct gap gaps[SK_ROLE__COUNT];
};

/* Counts a case naming role; looks its holder up once per line. */
static sk_err need(struct line_state *ls, sk_role role, json_t *what, sk_buf *err)
{
	if ((unsigned)role >= SK_ROLE__COUNT) {
		json_decref(what);
		return SK_OK;
	}
	if (!ls->held[role]) {
		int64_t at = 0;
		sk_err e =
		    sk_org_holder_unit(ls->s, sk_role_name(role), ls->line, ls->n, 0, &at, err);
		if (e) {
			json_decref(what);
			return e;
		}
		ls->held[role] = at ? 1 : -1;
	}
	struct gap *g = &ls->gaps[role];
	if (ls->held[role] > 0) {
		json_decref(what);
		return SK_OK;
	}
	g->role = role;
	g->cases++;
	if (!g->first)
		g->first = what;
	else
		json_decref(what);
	return SK_OK;
}

/* Every decision the profile may give a member of this kind, and who it names. */
static sk_err check_decisions(const sk_policy *pol, struct line_state *ls, sk_role who, sk_buf *err)
{
	int nconf = sk_policy_level_count(pol, SK_AXIS_CONF);
	for (int a = 0; a < SK_ACT__COUNT; a++)
		for (int conf = 0; conf < nconf; conf++)
			for (int z = 0; z <= SK_ZONE__COUNT; z++)
				for (int my = 0; my < 2; my++) {
					sk_decide_input in;
					sk_decide_input_init(&in, (sk_action)a);
					in.level[SK_AXIS_CONF] = conf;
					in.zone = (sk_zone)z; /* SK_ZONE__COUNT is SK_ZONE_NONE */
					in.mynumber = my != 0;
					in.personal = my != 0;
					in.actor_role = who;
					sk_decision d;
					if (sk_policy_decide(pol, &in, &d) != SK_OK)
						continue;
					for (unsigned i = 0; i < d.n_approvers; i++) {
						json_t *what = json_pack(
						    "{s:s, s:s}", "action",
						    sk_action_name((sk_action)a), "conf",
						    sk_policy_level_name(pol, SK_AXIS_CONF, conf));
						sk_err e = need(ls, d.approvers[i], what, err);
						if (e)
							return e;
					}
				}
	return SK_OK;
}

static sk_err check_member(sk_ctx *c, const sk_policy *pol, const struct member *m, json_t *missing,
                           sk_buf *err)
{
	struct line_state ls = {.s = c->store};
	sk_err e = sk_org_line(c->store, m->unit, ls.line, &ls.n, err);
	/* Every document of the policy set that decides for the unit's kind (policyset.h). */
	for (size_t i = 0; !e && i < sk_policy_set_count(pol); i++) {
		uint32_t scope = 0;
		const sk_policy *doc = sk_policy_set_doc(pol, i, &scope);
		if (scope >> m->kind & 1u)
			e = check_decisions(doc, &ls, m->role, err);
	}
	const sk_exception_route *x = sk_policy_exception_route(pol);
	if (!e && x)
		e = need(&ls, x->approver, json_string("exceptions"), err);
	const sk_incident_route *ir = sk_policy_incident_route(pol);
	if (!e && ir && ir->n_steps)
		e = need(&ls, ir->steps[0].role, json_string("incidents"), err);
	for (int r = 0; r < SK_ROLE__COUNT; r++) {
		struct gap *g = &ls.gaps[r];
		if (!g->first)
			continue;
		if (!e &&
		    json_array_append_new(
		        missing, json_pack("{s:s, s:s, s:s, s:s, s:O, s:I}", "unit", m->code,
		                           "unit_name", m->name, "requester_role",
		                           sk_role_name(m->role), "role", sk_role_name(g->role),
		                           "for", g->first, "cases", (json_int_t)g->cases)))
			e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		json_decref(g->first);
	}
	return e;
}

sk_err sk_org_check(sk_ctx *c, json_t **out, sk_buf *err)
{
	*out = NULL;
	const sk_policy *pol = NULL;
	sk_err e = sk_authz_require_cap(c, SK_CAP_ORG_ADMIN, 0, err);
	if (!e)
		e = sk_ctx_policy(c, &pol, err);
	if (!e && !pol)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_PROFILE_NONE);
	if (e)
		return e;
	struct members m = {0};
	e = sk_store_query(
	    c->store,
	    "SELECT DISTINCT u.unit_id, ra.role, o.code, o.name, o.kind FROM users u JOIN "
	    "role_assignment ra ON ra.user_id = u.id JOIN org_unit o ON o.id = "
	    "u.unit_id WHERE u.status = 'active' ORDER BY u.unit_id, ra.role",
	    NULL, 0, take_member, &m, err);
	json_t *missing = json_array();
	if (!e && !missing)
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	for (size_t i = 0; !e && i < m.n; i++)
		if (sk_authz_can(c, SK_CAP_ORG_ADMIN, m.v[i].unit))
			e = check_member(c, pol, &m.v[i], missing, err);
	free(m.v);
	if (!e && !(*out = json_pack("{s:b, s:O}", "ok", json_array_size(missing) == 0, "missing",
	                             missing)))
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	json_decref(missing);
	return e;
}
