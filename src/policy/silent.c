/*
 * silent: every input a profile answers with "<city> (no rule; strictest
 * applied)" — where the profile, and as far as it was read the seed, is
 * silent (`sekisho policy coverage --silent`, docs/policy-silent/).
 *
 * For each action the inputs are enumerated over the dimensions that some
 * rule of the action tests (levels of each axis, personal data, zone, the
 * other end, asset type, actor role); a dimension no rule tests cannot
 * change the answer and is left open. The inputs whose answer is the silent
 * one (no rule matched) are then merged into boxes (a set of values per
 * dimension) and printed one box a line, in a stable order, so the list can
 * be kept in the repository and compared.
 *
 * Not listed: an asset type not given where only type-conditioned rules hold
 * (the silent answer is folded in there, docs/policy-format.md): the type is
 * missing from the question, not from the policy, and every given type is
 * enumerated.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/sk_vec.h"
#include "policy_int.h"

enum { D_CONF, D_INTEG, D_AVAIL, D_DATA, D_ZONE, D_TO_ZONE, D_TYPE, D_ACTOR, D__COUNT };

static const char *const dim_key[D__COUNT] = {"conf", "integ",   "avail", "data",
                                              "zone", "to_zone", "type",  "actor"};

/* personal data: none, personal information, 特定個人情報 (which is personal too) */
static const char *const data_name[3] = {"plain", "personal", "mynumber"};

/*
 * One box: the values (bits) of each dimension, and the answer its inputs
 * get: the silent answer depends on the actor (a rule binding other actors
 * only is left out of it), so boxes with different answers never merge.
 * ans is the lowest actor role with that answer; it comes first so that one
 * memcmp compares it with the dimensions.
 */
typedef struct box {
	uint32_t ans;
	uint32_t v[D__COUNT];
} box;

typedef struct boxes {
	box *b;
	size_t n, cap;
} boxes;

static sk_err push(boxes *bs, const box *x)
{
	box *nb = sk_vec_room(bs->b, bs->n, &bs->cap, sizeof(*nb), 256);
	if (!nb)
		return SK_ERR_NOMEM;
	bs->b = nb;
	bs->b[bs->n++] = *x;
	return SK_OK;
}

/* The values of each dimension for one action: a count, and whether any rule tests it. */
typedef struct space {
	unsigned n[D__COUNT];
	bool tested[D__COUNT];
	int role_of[SK_ROLE__COUNT + 1]; /* actor value -> sk_role (value 0: not given) */
} space;

static bool restricts(const sk_cond *c, int d)
{
	switch (d) {
	case D_CONF:
	case D_INTEG:
	case D_AVAIL:
		return c->level_mask[d - D_CONF] != UINT32_MAX;
	case D_DATA:
		return c->mynumber >= 0 || c->personal >= 0;
	case D_ZONE:
		return c->zone_mask != UINT32_MAX;
	case D_TO_ZONE:
		return c->to_zone_mask != UINT32_MAX;
	case D_TYPE:
		return c->type_mask != UINT32_MAX;
	default:
		return c->role_mask != UINT32_MAX;
	}
}

static void make_space(const sk_policy *p, const sk_action_table *t, space *s)
{
	memset(s, 0, sizeof(*s));
	uint32_t roles = 0;
	for (unsigned i = 0; i < t->n_rules; i++) {
		const sk_rule *r = t->rules[i].rule;
		for (int d = 0; d < D__COUNT; d++)
			s->tested[d] = s->tested[d] || restricts(&r->when, d) ||
			               (r->has_unless && restricts(&r->unless, d));
		/* the roles a condition names count even if the profile gives them no title */
		roles |=
		    (r->when.role_mask == UINT32_MAX ? 0 : r->when.role_mask) |
		    (r->has_unless && r->unless.role_mask != UINT32_MAX ? r->unless.role_mask : 0);
	}
	for (int a = 0; a < SK_AXIS__COUNT; a++)
		s->n[D_CONF + a] = (unsigned)p->axes[a].n_levels;
	s->n[D_DATA] = 3;
	s->n[D_ZONE] = s->n[D_TO_ZONE] = SK_ZONE__COUNT + 1; /* value 0: not given */
	s->n[D_TYPE] = SK_ASSET__COUNT;                      /* value 0: not given */
	unsigned k = 0;
	s->role_of[k++] = SK_ROLE_NONE;
	for (int r = 0; r < SK_ROLE__COUNT; r++)
		if (p->has_role[r] || (roles >> r & 1u))
			s->role_of[k++] = r;
	s->n[D_ACTOR] = k;
	for (int d = 0; d < D__COUNT; d++)
		if (!s->tested[d])
			s->n[d] = 1; /* one representative value, printed as any */
}

static sk_zone zone_of(unsigned v) { return v == 0 ? SK_ZONE_NONE : (sk_zone)(v - 1); }

/* The lowest actor role whose silent answer for t is the same as role's. */
static uint32_t answer_of(const sk_action_table *t, sk_role role)
{
	uint32_t r = 0;
	while (t->fallback[r] != t->fallback[role])
		r++;
	return r;
}

/* Enumerates the action's inputs; pushes the silent ones as one-value boxes. */
static sk_err enumerate(const sk_policy *p, sk_action a, const space *s, boxes *out)
{
	unsigned idx[D__COUNT] = {0};
	for (;;) {
		sk_decide_input in;
		sk_decide_input_init(&in, a);
		for (int ax = 0; ax < SK_AXIS__COUNT; ax++)
			in.level[ax] =
			    s->tested[D_CONF + ax] ? (int)idx[D_CONF + ax] : SK_LEVEL_UNSET;
		in.personal = idx[D_DATA] >= 1;
		in.mynumber = idx[D_DATA] == 2;
		in.zone = zone_of(idx[D_ZONE]);
		in.to_zone = zone_of(idx[D_TO_ZONE]);
		in.asset_type = (sk_asset_type)idx[D_TYPE];
		in.actor_role = (sk_role)s->role_of[idx[D_ACTOR]];
		sk_decision d;
		sk_err rc = sk_policy_decide(p, &in, &d);
		if (rc != SK_OK)
			return rc;
		if (d.no_rule) {
			box x;
			x.ans = answer_of(&p->actions[a], in.actor_role);
			for (int k = 0; k < D__COUNT; k++)
				x.v[k] = s->tested[k] ? 1u << idx[k] : UINT32_MAX;
			if ((rc = push(out, &x)) != SK_OK)
				return rc;
		}
		int k = D__COUNT - 1;
		while (k >= 0 && ++idx[k] == s->n[k])
			idx[k--] = 0;
		if (k < 0)
			return SK_OK;
	}
}

static int cmp_lex(const void *x, const void *y)
{
	const box *a = x, *b = y;
	if (a->ans != b->ans)
		return a->ans < b->ans ? -1 : 1;
	for (int k = 0; k < D__COUNT; k++)
		if (a->v[k] != b->v[k])
			return a->v[k] < b->v[k] ? -1 : 1;
	return 0;
}

static void swap_dim(boxes *bs, int d)
{
	for (size_t i = 0; i < bs->n; i++) {
		uint32_t t = bs->b[i].v[d];
		bs->b[i].v[d] = bs->b[i].v[D__COUNT - 1];
		bs->b[i].v[D__COUNT - 1] = t;
	}
}

/*
 * Merges boxes that differ in dimension d only; returns true if any merged.
 * Dimension d is moved last for the sort, so equal boxes but for d are adjacent.
 */
static bool merge_along(boxes *bs, int d)
{
	if (bs->n < 2)
		return false;
	swap_dim(bs, d);
	qsort(bs->b, bs->n, sizeof(box), cmp_lex);
	size_t w = 0;
	bool merged = false;
	for (size_t i = 0; i < bs->n; i++) {
		/* the answer and every dimension but the last (d) */
		if (w > 0 && memcmp(&bs->b[w - 1], &bs->b[i], D__COUNT * sizeof(uint32_t)) == 0) {
			bs->b[w - 1].v[D__COUNT - 1] |= bs->b[i].v[D__COUNT - 1];
			merged = true;
		} else {
			bs->b[w++] = bs->b[i];
		}
	}
	bs->n = w;
	swap_dim(bs, d);
	return merged;
}

static int cmp_box(const void *x, const void *y)
{
	const box *a = x, *b = y;
	for (int k = 0; k < D__COUNT; k++)
		if (a->v[k] != b->v[k]) {
			/* lowest first value first, then the narrower set */
			unsigned fa = (unsigned)__builtin_ctz(a->v[k]),
			         fb = (unsigned)__builtin_ctz(b->v[k]);
			if (fa != fb)
				return fa < fb ? -1 : 1;
			return a->v[k] < b->v[k] ? -1 : 1;
		}
	return a->ans < b->ans ? -1 : a->ans > b->ans;
}

static const char *value_name(const sk_policy *p, const space *s, int d, unsigned v)
{
	switch (d) {
	case D_CONF:
	case D_INTEG:
	case D_AVAIL:
		return p->axes[d - D_CONF].levels[v].id;
	case D_DATA:
		return data_name[v];
	case D_ZONE:
	case D_TO_ZONE:
		return v == 0 ? "-" : sk_zone_name(zone_of(v));
	case D_TYPE:
		return v == 0 ? "-" : sk_asset_type_name((sk_asset_type)v);
	default:
		return s->role_of[v] == SK_ROLE_NONE ? "-" : sk_role_name((sk_role)s->role_of[v]);
	}
}

/* "forbid", "forbid, exception by city, safeguards ip_restriction", ... */
static sk_err add_answer(const sk_decision *d, sk_buf *out)
{
	sk_err rc = sk_buf_adds(out, sk_decision_name(d->decision));
	if (rc == SK_OK && d->exception_possible)
		rc = sk_buf_adds(out, ", exception");
	if (rc == SK_OK && d->n_approvers > 0) {
		rc = sk_buf_adds(out, d->n_approvers > 1 && d->approver_mode == SK_APPROVE_ALL_OF
		                          ? " by all of "
		                      : d->n_approvers > 1 ? " by any of "
		                                           : " by ");
		for (unsigned i = 0; rc == SK_OK && i < d->n_approvers; i++)
			rc = sk_buf_addf(out, "%s%s", i ? "," : "", sk_role_name(d->approvers[i]));
	}
	bool first = true;
	for (int g = 0; rc == SK_OK && g < SK_SG__COUNT; g++)
		if (d->safeguards >> g & 1u) {
			rc = sk_buf_addf(out, "%s%s", first ? ", safeguards " : ",",
			                 sk_safeguard_name((sk_safeguard)g));
			first = false;
		}
	return rc;
}

static sk_err add_action(const sk_policy *p, sk_action a, sk_buf *out)
{
	const sk_action_table *t = &p->actions[a];
	space s;
	make_space(p, t, &s);
	boxes bs = {0};
	sk_err rc = enumerate(p, a, &s, &bs);
	/* merge until nothing changes: each pass joins boxes that differ in one dimension */
	for (bool again = true; rc == SK_OK && again;) {
		again = false;
		for (int d = D__COUNT - 1; d >= 0; d--)
			again = merge_along(&bs, d) || again;
	}
	if (rc == SK_OK && bs.n)
		qsort(bs.b, bs.n, sizeof(box), cmp_box);
	for (size_t i = 0; rc == SK_OK && i < bs.n; i++) {
		rc = sk_buf_addf(out, "%s:", sk_action_name(a));
		bool any = false;
		for (int d = 0; rc == SK_OK && d < D__COUNT; d++) {
			uint32_t all = s.n[d] >= 32 ? UINT32_MAX : (1u << s.n[d]) - 1u;
			if (!s.tested[d] || (bs.b[i].v[d] & all) == all)
				continue;
			rc = sk_buf_addf(out, " %s=", dim_key[d]);
			bool first = true;
			for (unsigned v = 0; rc == SK_OK && v < s.n[d]; v++)
				if (bs.b[i].v[d] >> v & 1u) {
					rc = sk_buf_addf(out, "%s%s", first ? "" : ",",
					                 value_name(p, &s, d, v));
					first = false;
				}
			any = true;
		}
		if (rc == SK_OK && !any)
			rc = sk_buf_adds(out, " every input");
		if (rc == SK_OK)
			rc = sk_buf_adds(out, " => ");
		if (rc == SK_OK)
			rc = add_answer(t->fallback[bs.b[i].ans], out);
		if (rc == SK_OK)
			rc = sk_buf_addc(out, '\n');
	}
	free(bs.b);
	return rc;
}

sk_err sk_policy_silent(const sk_policy *p, sk_buf *out)
{
	sk_err rc = sk_buf_addf(
	    out,
	    "# sekisho policy coverage --silent %s\n"
	    "# %s: the inputs answered \"%s\".\n"
	    "# One line per set of inputs: the action, then each condition that narrows the set\n"
	    "# (key=value,value; a key not shown takes any value; \"-\" is not given), then the\n"
	    "# answer given. data is plain, personal or mynumber; actor is \"-\" or a role the\n"
	    "# profile titles or a rule names.\n",
	    p->city_id, p->city_name, p->no_rule_citation);
	for (int a = 0; rc == SK_OK && a < SK_ACT__COUNT; a++)
		rc = add_action(p, (sk_action)a, out);
	return rc;
}
