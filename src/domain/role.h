/*
 * role: the roles of SPEC §3 and their assignment to accounts, each scoped to
 * an organization unit (a section chief is security_manager *of that
 * section*). A role held at a unit covers the units below it.
 *
 * The role names are a stable contract (the decision engine and outside
 * tests use them); each profile maps them to its own titles, and the policy
 * layer's table (sk_role_title) gives the national guideline's as the default.
 */
#ifndef SK_ROLE_H
#define SK_ROLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../store/store.h"
#include "actor.h"
#include "ctx.h"

/* A role's titles are the policy layer's: sk_role_title, sk_policy_role_title. */
typedef struct sk_role_info {
	sk_role role;
	const char *name;    /* "security_manager", sk_role_name(role) */
	unsigned unit_kinds; /* bit (1 << sk_org_kind) per kind of unit it may be held at */
	int rank;            /* height in the chain of command: only a higher rank grants it */
} sk_role_info;

/* The role table, in SPEC order; *n receives its length. */
const sk_role_info *sk_role_table(size_t *n);
/* The role named name, or NULL. */
const sk_role_info *sk_role_find(const char *name);
/* As sk_role_find, but SK_ERR_INVALID listing the valid names when there is none. */
sk_err sk_role_lookup(const char *name, const sk_role_info **out, sk_buf *err);

/*
 * Grants role to the account login at unit (id or code). Refuses an unknown
 * account, role or unit, a unit of a kind the role is not held at, and a
 * grant the account has already (SK_ERR_EXISTS). Needs an administrator of
 * the unit (capability role.grant there) whose own highest role stands above
 * role (SK_ERR_DENIED; nobody grants to themselves), and refuses a role that
 * may not go with one the account holds (SK_ERR_CONFLICT: an auditor holds
 * no administrative role). Runs in one transaction with its audit entry
 * ("role.grant"), nested in the caller's when there is one.
 */
sk_err sk_role_grant(sk_ctx *c, const char *login, const char *role, const char *unit, sk_buf *err);

/*
 * Takes the grant back: SK_ERR_NOT_FOUND when the account does not hold
 * role at unit; SK_ERR_CONFLICT when it is the last active holder of ciso;
 * SK_ERR_DENIED unless the actor's own highest role stands above role.
 */
sk_err sk_role_revoke(sk_ctx *c, const char *login, const char *role, const char *unit,
                      sk_buf *err);

/*
 * The grants matching every filter given (NULL: any) at units in the
 * actor's user.read scope, as a JSON array of
 * {"login", "name", "role", "title", "unit", "unit_code", "granted_at"},
 * ordered by login, role and unit. An unknown unit or role filter is an
 * error naming it. *out is the caller's.
 */
sk_err sk_role_list(sk_ctx *c, const char *login, const char *role, const char *unit, json_t **out,
                    sk_buf *err);

/*
 * The highest rank among the roles the account user_id holds, active or not
 * (0 for none): an account grants, revokes, disables and enables only below
 * it, so a disabled CISO is not re-enabled by a general manager either.
 */
sk_err sk_role_top_rank(sk_store *s, int64_t user_id, int *rank, sk_buf *err);

/* How many active accounts hold role (at any unit). */
sk_err sk_role_count_active(sk_store *s, const char *role, int64_t *out, sk_buf *err);

#endif
