/*
 * decide: the decision engine of SPEC §3. sk_policy_compile_actions turns
 * the loaded rules into one table per action (rules in file order, each with
 * its citations as bits of the action's own citation table, and the
 * precomputed "profile is silent" answer), so that sk_policy_decide is a
 * scan of a few bitmask tests that never allocates.
 *
 * Matching semantics (docs/policy-format.md, "How rules combine"): all rules
 * of the action whose conditions hold; only the highest priority among them
 * is kept; the strictest decision wins; safeguards and citations are unions;
 * the approver is named by the most specific rule with the winning decision; an
 * exception is possible only if every kept forbid rule allows one.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "policy_int.h"

void sk_decide_input_init(sk_decide_input *in, sk_action a)
{
	memset(in, 0, sizeof(*in));
	in->action = a;
	for (int i = 0; i < SK_AXIS__COUNT; i++)
		in->level[i] = SK_LEVEL_UNSET;
	in->zone = SK_ZONE_NONE;
	in->to_zone = SK_ZONE_NONE;
	in->actor_role = SK_ROLE_NONE;
	in->asset_type = SK_ASSET_UNKNOWN;
}

/* The facts of one input as the bits the conditions test. */
typedef struct facts {
	uint32_t level_bit[SK_AXIS__COUNT];
	int level[SK_AXIS__COUNT];
	uint32_t zone_bit;
	uint32_t role_bit;
	uint32_t type_bit;
	uint32_t to_zone_bit;
	int mynumber;
	int personal;
} facts;

static inline bool cond_holds(const sk_cond *c, const facts *f)
{
	return (c->level_mask[0] & f->level_bit[0]) && (c->level_mask[1] & f->level_bit[1]) &&
	       (c->level_mask[2] & f->level_bit[2]) && (c->zone_mask & f->zone_bit) &&
	       (c->role_mask & f->role_bit) && (c->type_mask & f->type_bit) &&
	       (c->to_zone_mask & f->to_zone_bit) &&
	       (c->mynumber < 0 || c->mynumber == f->mynumber) &&
	       (c->personal < 0 || c->personal == f->personal);
}

static inline bool rule_matches(const sk_rule *r, const facts *f)
{
	return cond_holds(&r->when, f) && !(r->has_unless && cond_holds(&r->unless, f));
}

static sk_err make_facts(const sk_policy *p, const sk_decide_input *in, facts *f)
{
	if ((unsigned)in->action >= SK_ACT__COUNT || (unsigned)in->zone > SK_ZONE_NONE ||
	    (unsigned)in->actor_role > SK_ROLE_NONE || (unsigned)in->to_zone > SK_ZONE_NONE ||
	    (unsigned)in->asset_type >= SK_ASSET__COUNT)
		return SK_ERR_INVALID;
	for (int a = 0; a < SK_AXIS__COUNT; a++) {
		int n = p->axes[a].n_levels, v = in->level[a];
		if (v == SK_LEVEL_UNSET)
			v = n - 1; /* unclassified: assume the most sensitive level */
		else if (v < 0 || v >= n)
			return SK_ERR_INVALID;
		f->level[a] = v;
		f->level_bit[a] = 1u << v;
	}
	f->zone_bit = 1u << in->zone;
	f->role_bit = 1u << in->actor_role;
	f->type_bit = 1u << in->asset_type;
	f->to_zone_bit = 1u << in->to_zone;
	f->mynumber = in->mynumber;
	f->personal = in->personal;
	return SK_OK;
}

/* What the kept rules add up to, before it becomes an sk_decision. */
typedef struct tally {
	int decision;
	uint32_t safeguards;
	uint64_t cites;
	uint64_t forbid_cites;
	const sk_rule *approver[SK_DEC__COUNT]; /* the rule that names the approvers */
	int approver_spec[SK_DEC__COUNT];       /* conditions of the rule that named it */
	bool forbid_all_exception;
	bool forbid_all_proviso;
	unsigned kept;
	unsigned kept_untyped; /* kept rules without an asset_type condition in when: */
} tally;

static void tally_init(tally *t)
{
	memset(t, 0, sizeof(*t));
	t->decision = -1;
	for (int d = 0; d < SK_DEC__COUNT; d++) {
		t->approver[d] = NULL;
		t->approver_spec[d] = -1;
	}
	t->forbid_all_exception = true;
	t->forbid_all_proviso = true;
}

static inline void tally_add(tally *t, const sk_rule *r, uint64_t cite_mask)
{
	if ((int)r->decision > t->decision)
		t->decision = (int)r->decision;
	t->safeguards |= r->safeguards;
	t->cites |= cite_mask;
	/* The most specific rule names the approver; ties go to file order. */
	int spec = (int)(r->when.nkeys + r->unless.nkeys);
	if (r->approver != SK_ROLE_NONE && spec > t->approver_spec[r->decision]) {
		t->approver[r->decision] = r;
		t->approver_spec[r->decision] = spec;
	}
	if (r->decision == SK_DEC_FORBID) {
		t->forbid_all_exception = t->forbid_all_exception && r->exception;
		t->forbid_all_proviso = t->forbid_all_proviso && r->proviso;
		t->forbid_cites |= cite_mask;
	}
	t->kept++;
	t->kept_untyped += r->when.type_mask == UINT32_MAX;
}

/* Copies the approvers of rule r (none when r is NULL) into out. */
static inline void set_approvers(sk_decision *out, const sk_rule *r)
{
	if (!r) {
		out->approver = SK_ROLE_NONE;
		out->approver_mode = SK_APPROVE_ONE;
		out->n_approvers = 0;
		return;
	}
	out->approver = r->approver;
	out->approver_mode = r->approver_mode;
	out->n_approvers = r->n_approvers;
	for (unsigned i = 0; i < r->n_approvers; i++)
		out->approvers[i] = r->approvers[i];
}

static void tally_finish(const tally *t, const char *const *cites, sk_decision *out)
{
	out->decision = (sk_decision_kind)t->decision;
	out->no_rule = false;
	out->exception_possible = false;
	out->proviso = false;
	uint64_t cm = t->cites;
	switch (out->decision) {
	case SK_DEC_FORBID:
		if (t->forbid_all_exception) {
			out->exception_possible = true;
			out->proviso = t->forbid_all_proviso;
			set_approvers(out, t->approver[SK_DEC_FORBID]);
			out->safeguards = t->safeguards;
		} else {
			/* An outright prohibition: nothing to approve, nothing to do. */
			set_approvers(out, NULL);
			out->safeguards = 0;
			cm = t->forbid_cites;
		}
		break;
	case SK_DEC_REQUIRE_APPROVAL:
		set_approvers(out, t->approver[SK_DEC_REQUIRE_APPROVAL]);
		out->safeguards = t->safeguards;
		break;
	default:
		set_approvers(out, NULL);
		out->safeguards = t->safeguards;
		break;
	}
	unsigned n = 0;
	while (cm) {
		int i = __builtin_ctzll(cm);
		out->citations[n++] = cites[i];
		cm &= cm - 1;
	}
	out->n_citations = n;
}

/* One bit per rule of an action's table. */
#define RULE_WORDS SK_RULE_WORDS

/*
 * The rules of table t that match f at the highest matching priority
 * (matched) and, among them, those another of them governs (aside): the
 * kept rules are matched & ~aside. Returns the highest matching priority.
 */
static int match_governed(const sk_action_table *t, const facts *f, uint64_t *matched,
                          uint64_t *aside)
{
	int top = INT_MIN;
	for (unsigned i = 0; i < t->n_rules; i++)
		if (t->rules[i].rule->priority > top && rule_matches(t->rules[i].rule, f))
			top = t->rules[i].rule->priority;
	memset(matched, 0, RULE_WORDS * sizeof(*matched));
	memset(aside, 0, RULE_WORDS * sizeof(*aside));
	for (unsigned i = 0; i < t->n_rules; i++)
		if (t->rules[i].rule->priority == top && rule_matches(t->rules[i].rule, f))
			matched[i / 64] |= 1ull << (i % 64);
	for (unsigned i = 0; i < t->n_rules; i++) {
		if (!(matched[i / 64] >> (i % 64) & 1u))
			continue;
		for (unsigned k = 0; k < t->rules[i].n_governs; k++) {
			unsigned g = t->rules[i].governs[k];
			aside[g / 64] |= 1ull << (g % 64);
		}
	}
	return top;
}

sk_err sk_policy_decide(const sk_policy *p, const sk_decide_input *in, sk_decision *out)
{
	return sk_policy_decide_aside(p, in, NULL, out, NULL);
}

sk_err sk_policy_kept_rules(const sk_policy *p, const sk_decide_input *in, uint64_t *kept)
{
	facts f;
	if (make_facts(p, in, &f) != SK_OK)
		return SK_ERR_INVALID;
	uint64_t aside[RULE_WORDS];
	match_governed(&p->actions[in->action], &f, kept, aside);
	for (unsigned w = 0; w < RULE_WORDS; w++)
		kept[w] &= ~aside[w];
	return SK_OK;
}

sk_err sk_policy_decide_aside(const sk_policy *p, const sk_decide_input *in, const uint64_t *xaside,
                              sk_decision *out, bool *silenced)
{
	facts f;
	if (silenced)
		*silenced = false;
	if (make_facts(p, in, &f) != SK_OK)
		return SK_ERR_INVALID;
	const sk_action_table *t = &p->actions[in->action];
	tally ty;
	tally_init(&ty);
	if (t->has_governs || xaside) {
		/* Some rule governs another: match first, then set the governed aside. */
		uint64_t matched[RULE_WORDS], aside[RULE_WORDS];
		match_governed(t, &f, matched, aside);
		bool any = false;
		for (unsigned w = 0; w < RULE_WORDS; w++) {
			any = any || matched[w];
			if (xaside)
				aside[w] |= xaside[w];
		}
		for (unsigned i = 0; i < t->n_rules; i++)
			if ((matched[i / 64] & ~aside[i / 64]) >> (i % 64) & 1u)
				tally_add(&ty, t->rules[i].rule, t->rules[i].cite_mask);
		if (any && ty.kept == 0) {
			/* Only another document's rules set these aside: this one says nothing. */
			if (silenced)
				*silenced = true;
			return SK_OK;
		}
	} else {
		int top = INT_MIN;
		if (!t->uniform_priority) {
			for (unsigned i = 0; i < t->n_rules; i++) {
				const sk_rule *r = t->rules[i].rule;
				if (r->priority > top && rule_matches(r, &f))
					top = r->priority;
			}
		}
		for (unsigned i = 0; i < t->n_rules; i++) {
			const sk_rule *r = t->rules[i].rule;
			if ((t->uniform_priority || r->priority == top) && rule_matches(r, &f))
				tally_add(&ty, r, t->rules[i].cite_mask);
		}
	}
	if (ty.kept == 0) {
		*out = *t->fallback[in->actor_role];
		return SK_OK;
	}
	bool also_silent = in->asset_type == SK_ASSET_UNKNOWN && ty.kept_untyped == 0;
	if (also_silent) {
		/*
		 * Every kept rule holds only because the type is unknown; the asset
		 * may as well be of a type no rule covers, so the silent answer for
		 * this actor (the strictest rules that can hold for it; a kept rule
		 * is one, so there are some) is folded in too.
		 */
		int top = t->fallback_top[in->actor_role];
		for (unsigned i = 0; i < t->n_rules; i++)
			if ((int)t->rules[i].rule->decision == top &&
			    (t->rules[i].admits & f.role_bit))
				tally_add(&ty, t->rules[i].rule, 0);
	}
	tally_finish(&ty, t->cites, out);
	if (also_silent)
		out->citations[out->n_citations++] = p->no_rule_citation;
	return SK_OK;
}

/* --- compiling --- */

static int cite_slot(sk_action_table *t, const char *c)
{
	for (unsigned i = 0; i < t->n_cites; i++)
		if (t->cites[i] == c || strcmp(t->cites[i], c) == 0)
			return (int)i;
	if (t->n_cites == SK_POLICY_ACTION_CITES)
		return -1;
	t->cites[t->n_cites] = c;
	return (int)t->n_cites++;
}

/*
 * The actors rule r can hold for (bit SK_ROLE_NONE: no actor given): those
 * its when: admits, less those an unless: of the actor alone excludes
 * (「…以外の者は…」 written the other way round).
 */
static uint32_t rule_admits(const sk_rule *r)
{
	uint32_t roles = r->when.role_mask & ((1u << (SK_ROLE_NONE + 1)) - 1u);
	if (r->has_unless && r->unless.nkeys == 1 && r->unless.role_mask != UINT32_MAX)
		roles &= ~r->unless.role_mask;
	return roles;
}

/*
 * The answer when no rule matches, for an actor of role `role`: the
 * strictest of the action's rules that can hold for that actor, regardless
 * of their other conditions, cited as "no rule; strictest applied". A rule
 * that binds other actors only is not the policy speaking to this one (新潟
 * 別記 第22条第2項 lets the contractor work off-site, it says nothing of
 * staff), so when no rule can hold for the actor the answer is a flat
 * forbid, as for an action with no rule at all.
 */
static void compute_fallback(const sk_policy *p, const sk_action_table *t, int role,
                             sk_decision *fb, int *top_out)
{
	memset(fb, 0, sizeof(*fb));
	fb->approver = SK_ROLE_NONE;
	fb->decision = SK_DEC_FORBID;
	uint32_t bit = 1u << role;
	int top = -1;
	for (unsigned i = 0; i < t->n_rules; i++)
		if ((t->rules[i].admits & bit) && (int)t->rules[i].rule->decision > top)
			top = (int)t->rules[i].rule->decision;
	*top_out = top;
	if (top >= 0) {
		tally ty;
		tally_init(&ty);
		for (unsigned i = 0; i < t->n_rules; i++)
			if ((t->rules[i].admits & bit) && (int)t->rules[i].rule->decision == top)
				tally_add(&ty, t->rules[i].rule, 0);
		tally_finish(&ty, t->cites, fb);
	}
	fb->no_rule = true;
	fb->n_citations = 1;
	fb->citations[0] = p->no_rule_citation;
}

static bool decision_equal(const sk_decision *a, const sk_decision *b)
{
	if (a->decision != b->decision || a->approver != b->approver ||
	    a->approver_mode != b->approver_mode || a->n_approvers != b->n_approvers ||
	    a->safeguards != b->safeguards || a->exception_possible != b->exception_possible ||
	    a->proviso != b->proviso || a->no_rule != b->no_rule ||
	    a->n_citations != b->n_citations)
		return false;
	for (unsigned i = 0; i < a->n_approvers; i++)
		if (a->approvers[i] != b->approvers[i])
			return false;
	for (unsigned i = 0; i < a->n_citations; i++)
		if (a->citations[i] != b->citations[i])
			return false;
	return true;
}

/* Fills t's silent answers, one per actor role, sharing equal ones. */
static sk_err compute_fallbacks(sk_policy *p, sk_action_table *t)
{
	sk_decision *made[SK_ROLE__COUNT + 1];
	unsigned n_made = 0;
	for (int role = 0; role <= SK_ROLE_NONE; role++) {
		sk_decision fb;
		int top;
		compute_fallback(p, t, role, &fb, &top);
		t->fallback_top[role] = top;
		sk_decision *same = NULL;
		for (unsigned k = 0; k < n_made && !same; k++)
			if (decision_equal(made[k], &fb))
				same = made[k];
		if (!same) {
			if (!(same = sk_arena_alloc(&p->arena, sizeof(*same))))
				return SK_ERR_NOMEM;
			*same = fb;
			made[n_made++] = same;
		}
		t->fallback[role] = same;
	}
	return SK_OK;
}

/*
 * Turns each rule's governs: into indexes of the action's table, keeping
 * only the governed rules that have this action too.
 */
static sk_err compile_governs(sk_policy *p, sk_action_table *t, sk_action a, uint16_t *slot)
{
	/* slot: a rule's index in p->rules -> its index in this action's table */
	for (unsigned j = 0; j < t->n_rules; j++)
		slot[t->rules[j].rule - p->rules] = (uint16_t)j;
	for (unsigned i = 0; i < t->n_rules; i++) {
		const sk_rule *r = t->rules[i].rule;
		if (!r->n_governs)
			continue;
		uint16_t *g = sk_arena_alloc(&p->arena, r->n_governs * sizeof(*g));
		if (!g)
			return SK_ERR_NOMEM;
		unsigned n = 0;
		for (unsigned k = 0; k < r->n_governs; k++)
			if ((r->governs[k]->actions >> a) & 1u)
				g[n++] = slot[r->governs[k] - p->rules];
		t->rules[i].governs = g;
		t->rules[i].n_governs = n;
		t->has_governs = t->has_governs || n > 0;
	}
	return SK_OK;
}

sk_err sk_policy_compile_actions(sk_policy *p, sk_buf *diag)
{
	uint16_t *table_slot =
	    sk_arena_alloc(&p->arena, (p->n_rules ? p->n_rules : 1) * sizeof(*table_slot));
	if (!table_slot)
		return SK_ERR_NOMEM;
	for (int a = 0; a < SK_ACT__COUNT; a++) {
		sk_action_table *t = &p->actions[a];
		unsigned n = 0;
		for (size_t i = 0; i < p->n_rules; i++)
			n += (p->rules[i].actions >> a) & 1u;
		t->rules = sk_arena_alloc(&p->arena, (n ? n : 1) * sizeof(*t->rules));
		t->cites = sk_arena_alloc(&p->arena, SK_POLICY_ACTION_CITES * sizeof(*t->cites));
		if (!t->rules || !t->cites)
			return SK_ERR_NOMEM;
		t->uniform_priority = true;
		for (size_t i = 0; i < p->n_rules; i++) {
			const sk_rule *r = &p->rules[i];
			if (!((r->actions >> a) & 1u))
				continue;
			uint64_t mask = 0;
			for (unsigned c = 0; c < r->n_cites; c++) {
				int slot = cite_slot(t, r->cites[c]);
				if (slot < 0) {
					if (diag)
						sk_buf_addf(diag,
						            "%s:%d: rule '%s': action %s has more "
						            "than %d distinct citations\n",
						            p->source, r->line, r->id,
						            sk_action_name((sk_action)a),
						            SK_POLICY_ACTION_CITES);
					return SK_ERR_INVALID;
				}
				mask |= 1ull << slot;
			}
			if (t->n_rules && r->priority != t->rules[0].rule->priority)
				t->uniform_priority = false;
			t->rules[t->n_rules++] = (sk_action_rule){r, mask, 0, rule_admits(r), NULL};
		}
		if (compile_governs(p, t, (sk_action)a, table_slot) != SK_OK ||
		    compute_fallbacks(p, t) != SK_OK)
			return SK_ERR_NOMEM;
	}
	return SK_OK;
}

/* --- rendering --- */

sk_err sk_decision_to_json(const sk_decision *d, sk_buf *out)
{
	/* Pieces rather than a format: a decision is rendered on every request that makes one. */
	sk_err rc = sk_buf_adds(out, "{\"decision\": \"");
	if (rc == SK_OK)
		rc = sk_buf_adds(out, sk_decision_name(d->decision));
	if (rc == SK_OK)
		rc = sk_buf_adds(out, "\", \"approver_role\": ");
	if (rc == SK_OK && d->approver == SK_ROLE_NONE)
		rc = sk_buf_adds(out, "null");
	else if (rc == SK_OK && (rc = sk_buf_addc(out, '"')) == SK_OK &&
	         (rc = sk_buf_adds(out, sk_role_name(d->approver))) == SK_OK)
		rc = sk_buf_addc(out, '"');
	if (rc == SK_OK)
		rc = sk_buf_adds(out, ", \"safeguards\": [");
	bool first = true;
	for (int s = 0; rc == SK_OK && s < SK_SG__COUNT; s++) {
		if (!(d->safeguards & (1u << s)))
			continue;
		rc = sk_buf_adds(out, first ? "\"" : ", \"");
		if (rc == SK_OK)
			rc = sk_buf_adds(out, sk_safeguard_name((sk_safeguard)s));
		if (rc == SK_OK)
			rc = sk_buf_addc(out, '"');
		first = false;
	}
	if (rc == SK_OK)
		rc = sk_buf_adds(out, d->exception_possible
		                          ? "], \"exception_possible\": true, \"citations\": ["
		                          : "], \"exception_possible\": false, \"citations\": [");
	for (unsigned i = 0; rc == SK_OK && i < d->n_citations; i++) {
		if (i)
			rc = sk_buf_adds(out, ", ");
		if (rc == SK_OK)
			rc = sk_policy_json_str(out, d->citations[i]);
	}
	if (rc == SK_OK)
		rc = sk_buf_adds(out, "]}");
	return rc;
}

/* --- explaining --- */

/* A word of the vocabulary v as the reader of l reads it: its label in Japanese, its name in
 * English. */
static const char *word(sk_lang l, sk_vocab v, int x, const char *name)
{
	const char *s = l == SK_LANG_JA ? sk_vocab_label(v, x, l) : NULL;
	return s ? s : name;
}

static const char *axis_word(sk_lang l, int a)
{
	static const sk_msg_id ids[SK_AXIS__COUNT] = {SK_M_EX_W_CONF, SK_M_EX_W_INTEG,
	                                              SK_M_EX_W_AVAIL};
	return sk_msg_format(ids[a], l);
}

static const char *zone_word(sk_lang l, sk_zone z)
{
	return z == SK_ZONE_NONE ? NULL : word(l, SK_VOCAB_ZONE, (int)z, sk_zone_name(z));
}

static const char *type_word(sk_lang l, sk_asset_type t)
{
	return word(l, SK_VOCAB_ASSET_TYPE, (int)t, sk_asset_type_name(t));
}

static void add_mask_levels(const sk_policy *p, int axis, uint32_t mask, sk_buf *out)
{
	bool first = true;
	for (int i = 0; i < p->axes[axis].n_levels; i++) {
		if (!(mask & (1u << i)))
			continue;
		sk_buf_addf(out, "%s%s", first ? "" : "|", p->axes[axis].levels[i].id);
		first = false;
	}
}

/* "w is v, the rule wants " in l, v "not given" when NULL. */
static void add_fails(sk_lang l, sk_msg_id w, const char *v, sk_buf *out)
{
	sk_msg_addf(out, l, SK_M_EX_FAILS, sk_msg_format(w, l),
	            v ? v : sk_msg_format(SK_M_EX_NOT_GIVEN, l));
}

static const char *truth(sk_lang l, int b)
{
	return sk_msg_format(b ? SK_M_EX_TRUE : SK_M_EX_FALSE, l);
}

/* Names the first condition of c that does not hold, or returns false if all hold. */
static bool first_failure(const sk_policy *p, const sk_cond *c, const facts *f,
                          const sk_decide_input *in, sk_lang l, sk_buf *out)
{
	for (int a = 0; a < SK_AXIS__COUNT; a++) {
		if (c->level_mask[a] & f->level_bit[a])
			continue;
		sk_msg_addf(out, l, SK_M_EX_FAILS, axis_word(l, a),
		            p->axes[a].levels[f->level[a]].id);
		add_mask_levels(p, a, c->level_mask[a], out);
		return true;
	}
	if (!(c->zone_mask & f->zone_bit)) {
		add_fails(l, SK_M_EX_W_ZONE, zone_word(l, in->zone), out);
		for (int z = 0, first = 1; z < SK_ZONE__COUNT; z++)
			if (c->zone_mask & (1u << z))
				sk_buf_addf(out, "%s%s", first ? "" : "|",
				            zone_word(l, (sk_zone)z)),
				    first = 0;
		return true;
	}
	if (!(c->type_mask & f->type_bit)) {
		add_fails(l, SK_M_EX_W_TYPE,
		          in->asset_type == SK_ASSET_UNKNOWN ? NULL : type_word(l, in->asset_type),
		          out);
		for (int y = 1, first = 1; y < SK_ASSET__COUNT; y++)
			if (c->type_mask & (1u << y))
				sk_buf_addf(out, "%s%s", first ? "" : "|",
				            type_word(l, (sk_asset_type)y)),
				    first = 0;
		return true;
	}
	if (!(c->to_zone_mask & f->to_zone_bit)) {
		add_fails(l, SK_M_EX_W_TO_ZONE, zone_word(l, in->to_zone), out);
		for (int z = 0, first = 1; z < SK_ZONE__COUNT; z++)
			if (c->to_zone_mask & (1u << z))
				sk_buf_addf(out, "%s%s", first ? "" : "|",
				            zone_word(l, (sk_zone)z)),
				    first = 0;
		return true;
	}
	if (!(c->role_mask & f->role_bit)) {
		add_fails(l, SK_M_EX_W_ROLE,
		          in->actor_role == SK_ROLE_NONE
		              ? NULL
		              : sk_policy_role_title(p, in->actor_role, l),
		          out);
		for (int r = 0, first = 1; r < SK_ROLE__COUNT; r++)
			if (c->role_mask & (1u << r))
				sk_buf_addf(out, "%s%s", first ? "" : "|",
				            sk_policy_role_title(p, (sk_role)r, l)),
				    first = 0;
		return true;
	}
	if (c->mynumber >= 0 && c->mynumber != f->mynumber) {
		add_fails(l, SK_M_EX_W_MYNUMBER, truth(l, f->mynumber), out);
		sk_buf_adds(out, truth(l, c->mynumber));
		return true;
	}
	if (c->personal >= 0 && c->personal != f->personal) {
		add_fails(l, SK_M_EX_W_PERSONAL, truth(l, f->personal), out);
		sk_buf_adds(out, truth(l, c->personal));
		return true;
	}
	return false;
}

/* Names the matched rules that govern rule i of t, with their articles. */
static void explain_governed(const sk_action_table *t, unsigned i, const uint64_t *matched,
                             sk_lang l, sk_buf *out)
{
	sk_msg_addf(out, l, SK_M_EX_ASIDE);
	bool first = true;
	for (unsigned j = 0; j < t->n_rules; j++) {
		if (!(matched[j / 64] >> (j % 64) & 1u))
			continue;
		for (unsigned k = 0; k < t->rules[j].n_governs; k++) {
			if (t->rules[j].governs[k] != i)
				continue;
			const sk_rule *g = t->rules[j].rule;
			sk_msg_addf(out, l, SK_M_EX_GOVERNOR, first ? "" : ", ", g->id);
			for (unsigned c = 0; c < g->n_cites; c++)
				sk_buf_addf(out, "%s%s", c ? ", " : "", g->cites[c]);
			sk_buf_adds(out, "]");
			first = false;
		}
	}
	sk_msg_addf(out, l, SK_M_EX_GOVERNS);
}

sk_err sk_policy_explain(const sk_policy *p, const sk_decide_input *in, sk_lang l, sk_buf *out)
{
	facts f;
	if (make_facts(p, in, &f) != SK_OK)
		return SK_ERR_INVALID;
	const char *action = word(l, SK_VOCAB_ACTION, (int)in->action, sk_action_name(in->action));
	sk_msg_addf(out, l, SK_M_EX_PROFILE, p->city_id, p->source);
	sk_msg_addf(out, l, SK_M_EX_ACTION, action);
	for (int a = 0; a < SK_AXIS__COUNT; a++)
		sk_msg_addf(
		    out, l, SK_M_EX_LEVEL, axis_word(l, a), p->axes[a].levels[f.level[a]].id,
		    in->level[a] == SK_LEVEL_UNSET ? sk_msg_format(SK_M_EX_LEVEL_UNSET, l) : "");
	const char *zone = zone_word(l, in->zone), *to_zone = zone_word(l, in->to_zone);
	sk_msg_addf(
	    out, l, SK_M_EX_FACTS, sk_msg_format(in->mynumber ? SK_M_EX_YES : SK_M_EX_NO, l),
	    sk_msg_format(in->personal ? SK_M_EX_YES : SK_M_EX_NO, l), zone ? zone : "-",
	    to_zone ? to_zone : "-",
	    in->asset_type == SK_ASSET_UNKNOWN ? sk_msg_format(SK_M_EX_TYPE_UNSET, l)
	                                       : type_word(l, in->asset_type),
	    in->actor_role == SK_ROLE_NONE ? "-" : sk_policy_role_title(p, in->actor_role, l));
	const sk_action_table *t = &p->actions[in->action];
	uint64_t matched[RULE_WORDS], aside[RULE_WORDS];
	int top = match_governed(t, &f, matched, aside);
	sk_msg_addf(out, l, SK_M_EX_RULES, t->n_rules, action);
	for (unsigned i = 0; i < t->n_rules; i++) {
		const sk_rule *r = t->rules[i].rule;
		sk_msg_addf(out, l, SK_M_EX_RULE, r->id, r->line);
		if (r->priority)
			sk_msg_addf(out, l, SK_M_EX_PRIORITY, r->priority);
		sk_msg_addf(
		    out, l, SK_M_EX_RULE_DECISION,
		    word(l, SK_VOCAB_DECISION, (int)r->decision, sk_decision_name(r->decision)),
		    r->exception ? sk_msg_format(SK_M_EX_EXCEPTION_POSSIBLE, l) : "");
		if (first_failure(p, &r->when, &f, in, l, out)) {
			sk_msg_addf(out, l, SK_M_EX_NOT_MATCHED);
			continue;
		}
		if (r->has_unless && cond_holds(&r->unless, &f)) {
			sk_msg_addf(out, l, SK_M_EX_UNLESS);
			continue;
		}
		if (r->priority != top) {
			sk_msg_addf(out, l, SK_M_EX_OVERRIDDEN, top);
			continue;
		}
		if (aside[i / 64] >> (i % 64) & 1u) {
			explain_governed(t, i, matched, l, out);
			continue;
		}
		sk_msg_addf(out, l, SK_M_EX_KEPT);
		for (unsigned c = 0; c < r->n_cites; c++)
			sk_buf_addf(out, "%s%s", c ? ", " : "", r->cites[c]);
		sk_buf_adds(out, "]\n");
		/* The article's own words, as the profile quotes them. */
		if (r->note && *r->note)
			sk_msg_addf(out, l, SK_M_EX_NOTE, r->note);
	}
	sk_decision d;
	if (sk_policy_decide(p, in, &d) != SK_OK)
		return SK_ERR_INVALID;
	unsigned others = 0; /* rules of the action that bind other actors only */
	for (unsigned i = 0; i < t->n_rules; i++)
		others += !(t->rules[i].admits & f.role_bit);
	bool anon = in->actor_role == SK_ROLE_NONE;
	if (d.no_rule && t->fallback_top[in->actor_role] < 0 && others)
		sk_msg_addf(out, l, SK_M_EX_BINDS_OTHERS, action,
		            sk_msg_format(anon ? SK_M_EX_NAMED_NONE : SK_M_EX_OTHERS_ONLY, l));
	else if (d.no_rule && others)
		sk_msg_addf(out, l, SK_M_EX_STRICTEST_HOLDS, action,
		            sk_msg_format(anon ? SK_M_EX_NO_ACTOR : SK_M_EX_THIS_ACTOR, l), others,
		            sk_msg_format(anon ? SK_M_EX_NAMED : SK_M_EX_OTHER, l));
	else if (d.no_rule)
		sk_msg_addf(out, l, SK_M_EX_STRICTEST, action);
	else if (d.n_citations && d.citations[d.n_citations - 1] == p->no_rule_citation)
		sk_msg_addf(out, l, SK_M_EX_FOLDED, action);
	else
		sk_msg_addf(
		    out, l, SK_M_EX_STRICTEST_KEPT,
		    word(l, SK_VOCAB_DECISION, (int)d.decision, sk_decision_name(d.decision)));
	if (d.n_approvers > 0) {
		sk_msg_addf(out, l, SK_M_EX_APPROVERS, sk_approver_mode_name(d.approver_mode));
		for (unsigned i = 0; i < d.n_approvers; i++)
			sk_buf_addf(out, "%s %s", i ? "," : "",
			            sk_policy_role_title(p, d.approvers[i], l));
		if (d.approver_mode == SK_APPROVE_ALL_OF)
			sk_msg_addf(out, l, SK_M_EX_ALL_OF);
		else if (d.approver_mode == SK_APPROVE_ANY_OF)
			sk_msg_addf(out, l, SK_M_EX_ANY_OF);
		else
			sk_buf_addc(out, '\n');
	}
	if (d.exception_possible)
		sk_msg_addf(out, l, d.proviso ? SK_M_EX_PROVISO : SK_M_EX_DEPARTURE);
	const sk_exception_route *x = sk_policy_exception_route(p);
	if (x) {
		sk_msg_addf(out, l, SK_M_EX_ROUTE, sk_policy_role_title(p, x->approver, l),
		            x->report_afterwards ? sk_msg_format(SK_M_EX_ROUTE_AFTER, l) : "");
		for (unsigned c = 0; c < x->n_citations; c++)
			sk_buf_addf(out, "%s%s", c ? ", " : "", x->citations[c]);
		sk_buf_adds(out, "]\n");
	}
	sk_msg_addf(out, l, SK_M_EX_RESULT);
	sk_decision_to_json(&d, out);
	return sk_buf_addc(out, '\n');
}
