/*
 * authz: role × scope access control for the doors (SPEC C4), as data the
 * HTTP route table can declare: "which roles may call this" is a bit mask
 * over sk_role, checked here against the roles an account holds; "which
 * units may it see" is the scope, which the domain functions (asset.c)
 * apply themselves so that objects out of scope answer SK_ERR_NOT_FOUND,
 * never SK_ERR_DENIED (他課室の情報資産は存在しないものとして扱う).
 *
 * Deny by default: an account with no role, a disabled account and an
 * empty mask are refused.
 */
#ifndef SK_AUTHZ_H
#define SK_AUTHZ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../store/store.h"
#include "actor.h"

/* Who is calling, as far as access control needs to know. */
typedef struct sk_authz_principal {
	int64_t user_id;
	const char *login; /* borrowed from the session */
	uint32_t roles;    /* bit (1u << sk_role) per role the account holds at some unit */
	bool must_change_password;
} sk_authz_principal;

/* Every role bit: for routes any account with a role may call. */
#define SK_AUTHZ_ANY_ROLE ((1u << 12) - 1u)

/*
 * The roles the active account user_id holds (at any unit) as a mask; 0
 * for a disabled or unknown account. Unknown role names in the table (from
 * a newer build) are ignored: they grant nothing here.
 */
sk_err sk_authz_roles(sk_store *s, int64_t user_id, uint32_t *mask, sk_buf *err);

/*
 * SK_OK when p holds one of the roles in allowed; SK_ERR_DENIED naming the
 * roles that would do otherwise.
 */
sk_err sk_authz_require(const sk_authz_principal *p, uint32_t allowed, sk_buf *err);

/*
 * The ids of the units the active account user_id may read (where it holds
 * a role, and every unit below them), sorted ascending: the same set as
 * sk_authz_scope_units, for callers that cache it (the HTTP session cache
 * hands it to the domain layer as sk_actor.read_units). *ids is the
 * caller's to free (NULL when the set is empty).
 */
sk_err sk_authz_scope_ids(sk_store *s, int64_t user_id, int64_t **ids, size_t *n, sk_buf *err);

/*
 * The units in actor's scope (where it holds a role, and every unit below
 * them) as a JSON array of sk_org_json objects ordered by id; every unit for
 * the CLI operator. *out is the caller's.
 */
sk_err sk_authz_scope_units(sk_store *s, const sk_actor *actor, json_t **out, sk_buf *err);

#endif
