/*
 * diff: what changed between two versions of a profile (`sekisho policy
 * diff`, issue #16), rule by rule. Rules are matched by their id, the one
 * name a rule keeps across edits; a rule's content is compared as its YAML
 * tree (keys in any order, comments and layout ignored), so a line says
 * which keys of the rule changed and from what to what.
 */
#include <string.h>

#include "policy_int.h"

/* Renders n as compact JSON-like text with the keys of each mapping sorted. */
static sk_err render(const sk_ynode *n, sk_buf *out)
{
	if (!n)
		return sk_buf_adds(out, "-");
	if (n->type == SK_YN_SCALAR)
		return sk_json_add_str(out, n->s, n->len);
	sk_err e = sk_buf_addc(out, n->type == SK_YN_SEQ ? '[' : '{');
	if (n->type == SK_YN_SEQ) {
		for (size_t i = 0; !e && i < n->len; i++) {
			if (i)
				e = sk_buf_addc(out, ',');
			if (!e)
				e = render(n->items[i], out);
		}
		return e ? e : sk_buf_addc(out, ']');
	}
	/* Keys are few (the format's mappings have at most a few dozen): selection order. */
	const char *last = NULL;
	for (size_t k = 0; !e && k < n->len; k++) {
		size_t best = n->len;
		for (size_t i = 0; i < n->len; i++) {
			const char *s = n->keys[i]->s;
			if ((!last || strcmp(s, last) > 0) &&
			    (best == n->len || strcmp(s, n->keys[best]->s) < 0))
				best = i;
		}
		if (best == n->len)
			break;
		if (k)
			e = sk_buf_addc(out, ',');
		if (!e)
			e = sk_json_add_str(out, n->keys[best]->s, n->keys[best]->len);
		if (!e)
			e = sk_buf_addc(out, ':');
		if (!e)
			e = render(n->vals[best], out);
		last = n->keys[best]->s;
	}
	return e ? e : sk_buf_addc(out, '}');
}

static bool same(const sk_ynode *a, const sk_ynode *b, sk_buf *x, sk_buf *y)
{
	sk_buf_reset(x);
	sk_buf_reset(y);
	if (render(a, x) || render(b, y))
		return false;
	return x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
}

/* The rule with this id in rules, or NULL. */
static const sk_ynode *rule_by_id(const sk_ynode *rules, const char *id)
{
	for (size_t i = 0; rules && rules->type == SK_YN_SEQ && i < rules->len; i++) {
		const sk_ynode *v = sk_ynode_get(rules->items[i], "id");
		if (v && v->type == SK_YN_SCALAR && strcmp(v->s, id) == 0)
			return rules->items[i];
	}
	return NULL;
}

/*
 * "<kind> rule ID (actions) [cite, ...]": the citations as decisions print
 * them (the compiled rule's, so an article's cite_as is honoured).
 */
static sk_err head(const char *what, const sk_ynode *r, const sk_policy *p, sk_buf *out)
{
	const sk_ynode *id = sk_ynode_get(r, "id"), *act = sk_ynode_get(r, "action");
	sk_err e = sk_buf_addf(out, "%s rule %s (", what, id ? id->s : "?");
	if (!e && act && act->type == SK_YN_SCALAR)
		e = sk_buf_adds(out, act->s);
	for (size_t i = 0; !e && act && act->type == SK_YN_SEQ && i < act->len; i++)
		e = sk_buf_addf(out, "%s%s", i ? ", " : "", act->items[i]->s);
	if (!e)
		e = sk_buf_adds(out, ")");
	sk_policy_rule_info ri;
	for (size_t i = 0; !e && id && sk_policy_rule_at(p, i, &ri); i++) {
		if (strcmp(ri.id, id->s) != 0)
			continue;
		for (unsigned c = 0; !e && c < ri.n_citations; c++)
			e = sk_buf_addf(out, "%s%s", c ? ", " : " [", ri.citations[c]);
		if (!e && ri.n_citations)
			e = sk_buf_adds(out, "]");
		break;
	}
	return e;
}

/* One line per key of the rule that differs: "  key: old -> new". */
static sk_err changed_keys(const sk_ynode *a, const sk_ynode *b, sk_buf *x, sk_buf *y, sk_buf *out)
{
	sk_err e = SK_OK;
	for (int side = 0; !e && side < 2; side++) {
		const sk_ynode *m = side ? b : a, *o = side ? a : b;
		for (size_t i = 0; !e && i < m->len; i++) {
			const char *k = m->keys[i]->s;
			if (side && sk_ynode_get(a, k))
				continue; /* listed from a's side already */
			const sk_ynode *va = side ? sk_ynode_get(o, k) : m->vals[i];
			const sk_ynode *vb = side ? m->vals[i] : sk_ynode_get(o, k);
			if (same(va, vb, x, y))
				continue;
			e = sk_buf_addf(out, "  %s: %s -> %s\n", k, x->data ? x->data : "-",
			                y->data ? y->data : "-");
		}
	}
	return e;
}

sk_err sk_policy_diff(const char *an, const char *a, size_t alen, const char *bn, const char *b,
                      size_t blen, sk_buf *out, sk_buf *diag)
{
	sk_policy *pa = NULL, *pb = NULL;
	sk_err e = sk_policy_load_mem(an, a, alen, &pa, diag);
	if (!e)
		e = sk_policy_load_mem(bn, b, blen, &pb, diag);
	if (e) {
		sk_policy_free(pa);
		return e;
	}
	sk_arena arena = SK_ARENA_INIT;
	sk_ynode *ra = NULL, *rb = NULL;
	sk_buf x = SK_BUF_INIT(SK_POLICY_MAX_BYTES * 2), y = SK_BUF_INIT(SK_POLICY_MAX_BYTES * 2);
	e = sk_yaml_parse(an, a, alen, &arena, &ra, diag);
	if (!e)
		e = sk_yaml_parse(bn, b, blen, &arena, &rb, diag);
	const sk_ynode *rules_a = sk_ynode_get(ra, "rules"), *rules_b = sk_ynode_get(rb, "rules");
	/* Removed and changed, in a's order; then added, in b's order. */
	for (size_t i = 0; !e && rules_a && i < rules_a->len; i++) {
		const sk_ynode *r = rules_a->items[i], *id = sk_ynode_get(r, "id");
		const sk_ynode *o = id ? rule_by_id(rules_b, id->s) : NULL;
		if (!o)
			e = head("removed", r, pa, out);
		else if (!same(r, o, &x, &y))
			e = head("changed", o, pb, out);
		else
			continue;
		if (!e)
			e = sk_buf_addc(out, '\n');
		if (!e && o)
			e = changed_keys(r, o, &x, &y, out);
	}
	for (size_t i = 0; !e && rules_b && i < rules_b->len; i++) {
		const sk_ynode *r = rules_b->items[i], *id = sk_ynode_get(r, "id");
		if (id && rule_by_id(rules_a, id->s))
			continue;
		e = head("added", r, pb, out);
		if (!e)
			e = sk_buf_addc(out, '\n');
	}
	/* The other sections, as wholes: which changed. */
	for (int side = 0; !e && side < 2; side++) {
		const sk_ynode *m = side ? rb : ra;
		for (size_t i = 0; !e && m && m->type == SK_YN_MAP && i < m->len; i++) {
			const char *k = m->keys[i]->s;
			if (strcmp(k, "rules") == 0 || (side && sk_ynode_get(ra, k)))
				continue;
			if (!same(sk_ynode_get(ra, k), sk_ynode_get(rb, k), &x, &y))
				e = sk_buf_addf(out, "changed section %s\n", k);
		}
	}
	sk_buf_free(&x);
	sk_buf_free(&y);
	sk_arena_free(&arena);
	sk_policy_free(pa);
	sk_policy_free(pb);
	return e;
}
