/*
 * ctx: the context of one domain call: the store, the installation's
 * profile (loaded once and handed on), the actor with its roles,
 * capabilities and scope, and the reader's language. Every domain function
 * converted so far takes one (see docs/ARCHITECTURE.md for those still
 * taking a store and an actor); doors build it once per request or command.
 */
#ifndef SK_CTX_H
#define SK_CTX_H

#include <stdbool.h>

#include "../core/sk_buf.h"
#include "../policy/policy.h"
#include "../store/store.h"
#include "actor.h"
#include "authz.h"

typedef struct sk_ctx {
	sk_store *store;
	const sk_actor *actor;
	const char *lang; /* "ja" (the default when NULL) or "en" */
	/*
	 * The rest is the context's own, filled by sk_ctx_init and loaded on
	 * first use: read it through sk_ctx_policy and sk_ctx_scope.
	 */
	const sk_policy *policy; /* given, or loaded (own_policy) */
	bool policy_known;       /* policy is the installation's (NULL: a bare database) */
	const sk_scope *scope;   /* the actor's (given or own_scope); NULL until known */
	sk_policy *own_policy;
	sk_scope own_scope;
} sk_ctx;

/*
 * Prepares c for actor on s. pol, when not NULL, is the installation's
 * profile the caller loaded once (the server's, borrowed for c's life);
 * otherwise the profile named in the database is loaded when first needed.
 * The actor's scope is actor->scope when the caller knows it (the server's
 * session cache), otherwise loaded when first needed. Nothing here fails;
 * release with sk_ctx_fini.
 */
void sk_ctx_init(sk_ctx *c, sk_store *s, const sk_policy *pol, const sk_actor *actor);
/* Frees what c loaded. c may be zeroed or finished already. */
void sk_ctx_fini(sk_ctx *c);

/*
 * The installation's profile (meta "policy.profile"): *out NULL for a bare
 * database without one; an error when the named profile does not load.
 */
sk_err sk_ctx_policy(sk_ctx *c, const sk_policy **out, sk_buf *err);

/* The actor's roles, capabilities and scope; *out NULL for the CLI operator (every right). */
sk_err sk_ctx_scope(sk_ctx *c, const sk_scope **out, sk_buf *err);

/*
 * Loads the installation's policy into *out (the caller's; NULL for a bare
 * database): its active policy version (policyver.h), stamped with the
 * version's id; for an installation created before policy versions, the
 * profile meta "policy.profile" names. The active version carries the
 * other documents of the installation's policy set (policyset.h). The one
 * place a profile is found
 * from a database: long-running callers load it once and hand it to every
 * context.
 */
sk_err sk_ctx_load_installation_profile(sk_store *s, sk_policy **out, sk_buf *err);

#endif
