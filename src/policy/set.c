/*
 * set: the installation's policy set (issue #16, docs/policy-set.md). The
 * primary (the installation's standards or basic policy) carries the other
 * documents it was put together with, each applying to the units of some
 * kinds. For a unit every document that applies to it decides the same
 * input, and the answers are combined: the strictest decision wins,
 * safeguards and citations are united, the approver is the one the
 * strictest answer names. A rule of a narrower document (one that applies
 * to fewer unit kinds, all of them the broader one's too) may set aside a
 * rule of a broader one where its governs: says so ("standards/rule-id");
 * those references are resolved and checked here, once, when the set is
 * put together.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_arena.h"
#include "../core/sk_msg.h"
#include "policy_int.h"

/* One resolved cross-document governs: doc by's rule `by` sets aside doc to's rule `aside`. */
typedef struct xlink {
	unsigned by_doc, to_doc;
	const sk_rule *by, *aside;
} xlink;

struct sk_pset {
	unsigned n; /* documents, the primary (doc[0], not owned) included */
	const sk_policy *doc[SK_POLICY_SET_MAX]; /* doc[1..] are owned[1..] */
	sk_policy *owned[SK_POLICY_SET_MAX];     /* the same documents, to free */
	uint32_t scope[SK_POLICY_SET_MAX];
	size_t n_links;
	xlink *links;
};

void sk_policy_set_release(sk_policy *p)
{
	struct sk_pset *s = p->set;
	if (!s)
		return;
	p->set = NULL;
	for (unsigned i = 1; i < s->n; i++)
		sk_policy_free(s->owned[i]);
	free(s->links);
	free(s);
}

static const sk_rule *rule_by_id(const sk_policy *p, const char *id)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (strcmp(p->rules[i].id, id) == 0)
			return &p->rules[i];
	return NULL;
}

static bool has_kind(const sk_policy *p, const char *kind)
{
	for (unsigned i = 0; i < p->n_doc_kinds; i++)
		if (strcmp(p->doc_kinds[i], kind) == 0)
			return true;
	return false;
}

/* a's unit kinds are all b's, and b has more: a is the narrower document. */
static bool narrower(uint32_t a, uint32_t b) { return a && (a & ~b) == 0 && a != b; }

static const char *doc_name(const sk_policy *p, char *buf, size_t n)
{
	if (p->stored_version)
		snprintf(buf, n, "policy version %lld (%s)", (long long)p->stored_version,
		         p->city_id);
	else
		snprintf(buf, n, "%s", p->source);
	return buf;
}

/* Resolves every KIND/RULE of every document against the others. */
static sk_err resolve_links(struct sk_pset *s, sk_buf *err)
{
	size_t cap = 0;
	for (unsigned d = 0; d < s->n; d++)
		for (size_t i = 0; i < s->doc[d]->n_rules; i++)
			cap += s->doc[d]->rules[i].n_xgoverns * (s->n - 1);
	s->links = calloc(cap ? cap : 1, sizeof(*s->links));
	if (!s->links)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	for (unsigned d = 0; d < s->n; d++) {
		const sk_policy *p = s->doc[d];
		for (size_t i = 0; i < p->n_rules; i++) {
			const sk_rule *r = &p->rules[i];
			for (unsigned k = 0; k < r->n_xgoverns; k++) {
				const sk_xgov *x = &r->xgoverns[k];
				for (unsigned t = 0; t < s->n; t++) {
					if (t == d || !has_kind(s->doc[t], x->kind))
						continue;
					char a[160], b[160];
					doc_name(p, a, sizeof(a));
					doc_name(s->doc[t], b, sizeof(b));
					const sk_rule *g = rule_by_id(s->doc[t], x->rule);
					if (!g)
						return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
						                   SK_M_POLICYSET_GOVERNS_MISSING,
						                   a, x->line, r->id, x->ref, b,
						                   x->rule);
					if (!narrower(s->scope[d], s->scope[t]))
						return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
						                   SK_M_POLICYSET_GOVERNS_BROADER,
						                   a, x->line, r->id, x->ref, a, b);
					if (!(g->actions & r->actions))
						return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
						                   SK_M_POLICYSET_GOVERNS_ACTIONS,
						                   a, x->line, r->id, x->ref);
					s->links[s->n_links++] = (xlink){d, t, r, g};
				}
			}
		}
	}
	return SK_OK;
}

sk_err sk_policy_set_attach(sk_policy *primary, uint32_t primary_scope, sk_policy **members,
                            const uint32_t *scopes, size_t n, sk_buf *err)
{
	sk_policy_set_release(primary);
	struct sk_pset *s = NULL;
	sk_err e = SK_OK;
	if (n + 1 <= SK_POLICY_SET_MAX)
		s = calloc(1, sizeof(*s));
	if (!s) {
		e = n + 1 > SK_POLICY_SET_MAX
		        ? sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_POLICYSET_TOO_MANY,
		                      SK_POLICY_SET_MAX)
		        : sk_fail(err, SK_ERR_NOMEM, "out of memory");
		for (size_t i = 0; i < n; i++)
			sk_policy_free(members[i]);
		return e;
	}
	s->doc[0] = primary;
	s->scope[0] = primary_scope;
	s->n = 1;
	for (size_t i = 0; i < n; i++) {
		s->doc[s->n] = s->owned[s->n] = members[i];
		s->scope[s->n++] = scopes[i];
	}
	primary->set = s;
	if ((e = resolve_links(s, err)))
		sk_policy_set_release(primary);
	return e;
}

size_t sk_policy_set_count(const sk_policy *p) { return p->set ? p->set->n : 1; }

const sk_policy *sk_policy_set_doc(const sk_policy *p, size_t i, uint32_t *scope)
{
	if (!p->set) {
		if (scope)
			*scope = UINT32_MAX;
		return i == 0 ? p : NULL;
	}
	if (i >= p->set->n)
		return NULL;
	if (scope)
		*scope = p->set->scope[i];
	return p->set->doc[i];
}

/* The index of rule r in p's table for action a, or -1. */
static int table_index(const sk_policy *p, sk_action a, const sk_rule *r)
{
	const sk_action_table *t = &p->actions[a];
	for (unsigned i = 0; i < t->n_rules; i++)
		if (t->rules[i].rule == r)
			return (int)i;
	return -1;
}

static bool bit(const uint64_t *w, int i) { return i >= 0 && (w[i / 64] >> (i % 64) & 1u); }

/* Adds citation c of document d once; SK_ERR_TOO_BIG past the answer's room. */
static sk_err add_cite(sk_set_decision *out, const char *c, unsigned d)
{
	for (unsigned i = 0; i < out->d.n_citations; i++)
		if (strcmp(out->d.citations[i], c) == 0)
			return SK_OK;
	if (out->d.n_citations == SK_DECISION_MAX_CITATIONS)
		return SK_ERR_TOO_BIG;
	out->doc[out->d.n_citations] = (unsigned char)d;
	out->d.citations[out->d.n_citations++] = c;
	return SK_OK;
}

sk_err sk_policy_set_decide(const sk_policy *primary, uint32_t kinds, const sk_decide_kv *kv,
                            size_t n, sk_set_decision *out, sk_buf *err)
{
	const struct sk_pset one = {.n = 1, .doc = {primary}, .scope = {UINT32_MAX}};
	const struct sk_pset *s = primary->set ? primary->set : &one;
	memset(out, 0, sizeof(*out));
	out->d.approver = SK_ROLE_NONE;
	sk_decide_input in[SK_POLICY_SET_MAX];
	uint32_t apply = 0;
	for (unsigned d = 0; d < s->n; d++) {
		if (kinds ? !(s->scope[d] & kinds) : d != 0)
			continue;
		/* Each document reads the levels by its own scheme. */
		sk_err e = sk_decide_input_parse(s->doc[d], kv, n, &in[d], err);
		if (e) {
			char a[160];
			if (s->n > 1 && err)
				sk_buf_addf(err, " (%s)", doc_name(s->doc[d], a, sizeof(a)));
			return e;
		}
		apply |= 1u << d;
	}
	if (!apply)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_POLICYSET_NONE_APPLIES);
	/* What narrower documents set aside in broader ones, for this input. */
	uint64_t aside[SK_POLICY_SET_MAX][SK_RULE_WORDS];
	bool has_aside[SK_POLICY_SET_MAX] = {false};
	for (size_t l = 0; l < s->n_links; l++) {
		const xlink *x = &s->links[l];
		if (!(apply >> x->by_doc & 1u) || !(apply >> x->to_doc & 1u))
			continue;
		sk_action a = in[x->by_doc].action;
		const sk_policy *bp = s->doc[x->by_doc], *tp = s->doc[x->to_doc];
		int bi = table_index(bp, a, x->by), ti = table_index(tp, a, x->aside);
		if (bi < 0 || ti < 0)
			continue;
		uint64_t kept[SK_RULE_WORDS];
		if (sk_policy_kept_rules(bp, &in[x->by_doc], kept) != SK_OK || !bit(kept, bi))
			continue;
		if (!has_aside[x->to_doc]) {
			memset(aside[x->to_doc], 0, sizeof(aside[x->to_doc]));
			has_aside[x->to_doc] = true;
		}
		aside[x->to_doc][ti / 64] |= 1ull << (ti % 64);
	}
	sk_decision dd[SK_POLICY_SET_MAX];
	int top = -1;
	for (unsigned d = 0; d < s->n; d++) {
		if (!(apply >> d & 1u))
			continue;
		bool silenced = false;
		if (sk_policy_decide_aside(s->doc[d], &in[d], has_aside[d] ? aside[d] : NULL,
		                           &dd[d], &silenced) != SK_OK)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_DECISION_OUT_OF_RANGE);
		if (silenced)
			continue;
		out->docs |= 1u << d;
		if ((int)dd[d].decision > top)
			top = (int)dd[d].decision;
	}
	if (!out->docs)
		return sk_fail(err, SK_ERR_INTERNAL, "every document of the set was set aside");
	sk_decision *o = &out->d;
	o->decision = (sk_decision_kind)top;
	/* forbid: an exception only if every forbidding document allows one */
	bool all_exc = true, all_proviso = true, all_silent = true;
	for (unsigned d = 0; d < s->n; d++) {
		if (!(out->docs >> d & 1u))
			continue;
		all_silent = all_silent && dd[d].no_rule;
		if (dd[d].decision == SK_DEC_FORBID) {
			all_exc = all_exc && dd[d].exception_possible;
			all_proviso = all_proviso && dd[d].proviso;
		}
	}
	bool outright = o->decision == SK_DEC_FORBID && !all_exc;
	o->exception_possible = o->decision == SK_DEC_FORBID && all_exc;
	o->proviso = o->exception_possible && all_proviso;
	o->no_rule = all_silent;
	/*
	 * The approver: the strictest answer's; between documents answering
	 * equally strictly, the narrowest document's (it speaks of these units
	 * most nearly), then the first in the set.
	 */
	int named = -1;
	if (o->decision == SK_DEC_REQUIRE_APPROVAL || o->exception_possible)
		for (unsigned d = 0; d < s->n; d++) {
			if (!(out->docs >> d & 1u) || (int)dd[d].decision != top ||
			    dd[d].approver == SK_ROLE_NONE)
				continue;
			if (named < 0 ||
			    __builtin_popcount(s->scope[d]) < __builtin_popcount(s->scope[named]))
				named = (int)d;
		}
	if (named >= 0) {
		o->approver = dd[named].approver;
		o->approver_mode = dd[named].approver_mode;
		o->n_approvers = dd[named].n_approvers;
		memcpy(o->approvers, dd[named].approvers, sizeof(o->approvers));
		out->approver_doc = (unsigned)named;
	}
	for (unsigned d = 0; d < s->n; d++) {
		if (!(out->docs >> d & 1u))
			continue;
		/* An outright prohibition answers with the prohibiting documents only. */
		if (outright && dd[d].decision != SK_DEC_FORBID)
			continue;
		if (!outright)
			o->safeguards |= dd[d].safeguards;
		for (unsigned c = 0; c < dd[d].n_citations; c++)
			if (add_cite(out, dd[d].citations[c], d))
				return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL,
				                   SK_M_POLICYSET_TOO_MANY_CITATIONS,
				                   SK_DECISION_MAX_CITATIONS);
	}
	return SK_OK;
}

/* The documents JSON's punctuation: [0] spaced, [1] compact (canonical). */
static const char *const docs_comma[2] = {", ", ","}, *const docs_colon[2] = {": ", ":"};

/* "]<,>"city"<:>…<,>"kind"<:>[…]<,>"primary"<:>": what follows a document's citations. */
static sk_err docs_mid(const sk_policy *p, int f, sk_buf *out)
{
	sk_err rc = sk_buf_addf(out, "]%s\"city\"%s", docs_comma[f], docs_colon[f]);
	if (rc == SK_OK)
		rc = sk_policy_json_str(out, p->city_id);
	if (rc == SK_OK)
		rc = sk_buf_addf(out, "%s\"kind\"%s[", docs_comma[f], docs_colon[f]);
	for (unsigned k = 0; rc == SK_OK && k < p->n_doc_kinds; k++) {
		if (k)
			rc = sk_buf_adds(out, docs_comma[f]);
		if (rc == SK_OK)
			rc = sk_policy_json_str(out, p->doc_kinds[k]);
	}
	if (rc == SK_OK)
		rc = sk_buf_addf(out, "]%s\"primary\"%s", docs_comma[f], docs_colon[f]);
	return rc;
}

/* "<,>"title"<:>…<,>"version"<:>": what follows "primary"'s value. */
static sk_err docs_title(const sk_policy *p, int f, sk_buf *out)
{
	sk_err rc = sk_buf_addf(out, "%s\"title\"%s", docs_comma[f], docs_colon[f]);
	const char *title = p->doc_title ? p->doc_title : p->city_source;
	if (rc == SK_OK)
		rc = title ? sk_policy_json_str(out, title) : sk_buf_adds(out, "null");
	if (rc == SK_OK)
		rc = sk_buf_addf(out, "%s\"version\"%s", docs_comma[f], docs_colon[f]);
	return rc;
}

sk_err sk_policy_docs_json_prepare(sk_policy *p)
{
	/* A profile's strings are UTF-8 (the loader checked), so only memory can fail here. */
	for (int f = 0; f < 2; f++) {
		sk_buf mid = SK_BUF_INIT(SK_POLICY_MAX_BYTES),
		       title = SK_BUF_INIT(SK_POLICY_MAX_BYTES);
		sk_err rc = docs_mid(p, f, &mid);
		if (rc == SK_OK)
			rc = docs_title(p, f, &title);
		if (rc == SK_OK &&
		    (!(p->docs_json_mid[f] = sk_arena_strdup(&p->arena, mid.data)) ||
		     !(p->docs_json_title[f] = sk_arena_strdup(&p->arena, title.data))))
			rc = SK_ERR_NOMEM;
		sk_buf_free(&mid);
		sk_buf_free(&title);
		if (rc != SK_OK)
			return rc;
	}
	return SK_OK;
}

sk_err sk_policy_set_documents_json(const sk_policy *primary, const sk_set_decision *d,
                                    bool compact, sk_buf *out)
{
	/* Keys in sorted order, so that the compact form is canonical JSON (audit images). */
	int f = compact ? 1 : 0;
	sk_err rc = sk_buf_addc(out, '[');
	bool first = true;
	for (size_t i = 0; rc == SK_OK && i < sk_policy_set_count(primary); i++) {
		if (!(d->docs >> i & 1u))
			continue;
		const sk_policy *p = sk_policy_set_doc(primary, i, NULL);
		bool cited = false;
		for (unsigned c = 0; c < d->d.n_citations; c++)
			cited = cited || d->doc[c] == i;
		if (!cited)
			continue;
		if (!first)
			rc = sk_buf_adds(out, docs_comma[f]);
		if (rc == SK_OK)
			rc = sk_buf_adds(out, "{\"citations\"");
		if (rc == SK_OK)
			rc = sk_buf_adds(out, docs_colon[f]);
		if (rc == SK_OK)
			rc = sk_buf_addc(out, '[');
		first = false;
		bool cf = true;
		for (unsigned c = 0; rc == SK_OK && c < d->d.n_citations; c++) {
			if (d->doc[c] != i)
				continue;
			if (!cf)
				rc = sk_buf_adds(out, docs_comma[f]);
			cf = false;
			if (rc == SK_OK)
				rc = sk_policy_json_str(out, d->d.citations[c]);
		}
		/* The members that never change, as rendered at load (the same text). */
		if (rc == SK_OK)
			rc = p->docs_json_mid[f] ? sk_buf_adds(out, p->docs_json_mid[f])
			                         : docs_mid(p, f, out);
		if (rc == SK_OK)
			rc = sk_buf_adds(out, i == 0 ? "true" : "false");
		if (rc == SK_OK)
			rc = p->docs_json_title[f] ? sk_buf_adds(out, p->docs_json_title[f])
			                           : docs_title(p, f, out);
		/* The stored version is set after load (policyver.c), so it is written here. */
		if (rc == SK_OK)
			rc = p->stored_version ? sk_buf_add_int(out, p->stored_version)
			                       : sk_buf_adds(out, "null");
		if (rc == SK_OK)
			rc = sk_buf_addc(out, '}');
	}
	if (rc == SK_OK)
		rc = sk_buf_addc(out, ']');
	return rc;
}

sk_err sk_policy_set_decision_to_json(const sk_policy *primary, const sk_set_decision *d,
                                      sk_buf *out)
{
	/* The SPEC §3 object, then the documents its citations came from. */
	sk_err rc = sk_decision_to_json(&d->d, out);
	if (rc == SK_OK) {
		out->len--; /* reopen the object: drop its closing brace */
		out->data[out->len] = '\0';
		rc = sk_buf_adds(out, ", \"documents\": ");
	}
	if (rc == SK_OK)
		rc = sk_policy_set_documents_json(primary, d, false, out);
	if (rc == SK_OK)
		rc = sk_buf_adds(out, "}");
	return rc;
}
