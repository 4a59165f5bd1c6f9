/* ctx: the domain call's context, loading the profile and the scope on first use. */
#include "ctx.h"

#include <string.h>

#include "policyset.h"
#include "policyver.h"

#include "../core/sk_msg.h"

sk_err sk_ctx_load_installation_profile(sk_store *s, sk_policy **out, sk_buf *err)
{
	*out = NULL;
	/* The active version (issue #16); the name in meta only for an installation made before. */
	sk_err e = sk_policyver_load_active(s, out, err);
	if (!e && (e = sk_policyset_load(s, *out, err))) {
		/* The other documents of its policy set come with it (policyset.h). */
		sk_policy_free(*out);
		*out = NULL;
	}
	if (e != SK_ERR_NOT_FOUND)
		return e;
	if (err)
		sk_buf_reset(err);
	sk_buf name = SK_BUF_INIT(4096), diag = SK_BUF_INIT(SK_BUF_MSG_MAX);
	e = sk_store_meta_get(s, "policy.profile", &name, err);
	if (e == SK_ERR_NOT_FOUND) {
		if (err)
			sk_buf_reset(err);
		e = SK_OK;
	} else if (!e && (e = sk_policy_open(name.data, out, &diag)))
		e = sk_fail_msg(err, e == SK_ERR_NOMEM ? e : SK_ERR_CORRUPT, NULL, NULL,
		                SK_M_PROFILE_NOT_LOADING, name.data, diag.data);
	sk_buf_free(&name);
	sk_buf_free(&diag);
	return e;
}

void sk_ctx_init(sk_ctx *c, sk_store *s, const sk_policy *pol, const sk_actor *actor)
{
	memset(c, 0, sizeof(*c));
	c->store = s;
	c->actor = actor;
	c->policy = pol;
	c->policy_known = pol != NULL;
	c->scope = actor ? actor->scope : NULL;
}

void sk_ctx_fini(sk_ctx *c)
{
	sk_policy_free(c->own_policy);
	c->own_policy = NULL;
	sk_authz_scope_free(&c->own_scope);
	c->policy = NULL;
	c->policy_known = false;
	c->scope = NULL;
}

sk_err sk_ctx_policy(sk_ctx *c, const sk_policy **out, sk_buf *err)
{
	if (!c->policy_known) {
		sk_err e = sk_ctx_load_installation_profile(c->store, &c->own_policy, err);
		if (e)
			return e;
		c->policy = c->own_policy;
		c->policy_known = true;
	}
	*out = c->policy;
	return SK_OK;
}

sk_err sk_ctx_scope(sk_ctx *c, const sk_scope **out, sk_buf *err)
{
	*out = NULL;
	if (c->actor->superuser)
		return SK_OK;
	if (!c->scope) {
		const sk_policy *p;
		sk_err e = sk_ctx_policy(c, &p, err);
		if (!e)
			e = sk_authz_scope_load(c->store, p, c->actor->user_id, &c->own_scope, err);
		if (e)
			return e;
		c->scope = &c->own_scope;
	}
	*out = c->scope;
	return SK_OK;
}
