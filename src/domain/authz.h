/*
 * authz: the one access check of every door (SPEC C4): capability and
 * scope. A profile maps roles to capabilities (policy.h, sk_cap); an
 * account holds a capability at each unit where it holds a role granting
 * it, and at every unit below. sk_authz_require_cap is the check the
 * domain makes on every read and write; the HTTP route table names one
 * capability per route, and its dispatcher checks only that the session
 * holds it somewhere (the coarse check), leaving the unit to the domain.
 * Objects out of scope answer SK_ERR_NOT_FOUND to reads, never
 * SK_ERR_DENIED (他課室の情報資産は存在しないものとして扱う).
 *
 * Deny by default: an account with no role, a disabled account and an
 * unknown capability are refused. The CLI operator holds every right.
 */
#ifndef SK_AUTHZ_H
#define SK_AUTHZ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../policy/policy.h"
#include "../store/store.h"
#include "actor.h"
#include "org.h"

struct sk_ctx;

/*
 * One unit of an account's scope, its code (a unit's code never changes: the
 * listings show it without joining org_unit again) and the capabilities the
 * account holds there.
 */
typedef struct sk_scope_unit {
	int64_t unit;
	uint32_t caps; /* bits 1u << sk_cap */
	char code[SK_ORG_CODE_MAX + 1];
} sk_scope_unit;

/* An account's roles, capabilities and scope, as one query finds them. */
typedef struct sk_scope {
	uint32_t roles;       /* bits 1u << sk_role the account holds at some unit */
	uint32_t caps;        /* capabilities held at some unit */
	uint32_t caps_all;    /* capabilities held at the root unit: every unit */
	sk_scope_unit *units; /* sorted by unit, no unit twice */
	size_t n;
	/*
	 * The authorization generation read before the scope (migration 12):
	 * while it stands, so does the scope, and whatever else was read after
	 * it of the roles, accounts' status and the unit tree (request.h's
	 * prepared filing). 0: not known.
	 */
	int64_t gen;
} sk_scope;

/* Who is calling a door, as far as its coarse check needs to know. */
typedef struct sk_authz_principal {
	int64_t user_id;
	const char *login; /* borrowed from the session */
	uint32_t roles;    /* bits 1u << sk_role the account holds at some unit */
	uint32_t caps;     /* bits 1u << sk_cap it holds at some unit */
	bool must_change_password;
} sk_authz_principal;

/*
 * The door's coarse check (the HTTP route table's): SK_OK when p holds cap
 * at some unit, or for cap < 0 any role at all; SK_ERR_DENIED naming the
 * capability otherwise. The unit is the domain's to check.
 */
sk_err sk_authz_require_held(const sk_authz_principal *p, int cap, sk_buf *err);

/*
 * Loads the roles, capabilities (under p; NULL: the default table) and
 * scope of the active account user_id in one query; an inactive or unknown
 * account gets an empty scope. Role names unknown to this build are
 * ignored: they grant nothing. out is the caller's (sk_authz_scope_free).
 */
sk_err sk_authz_scope_load(sk_store *s, const sk_policy *p, int64_t user_id, sk_scope *out,
                           sk_buf *err);
void sk_authz_scope_free(sk_scope *sc);

/* unit's own entry in sc (not the root's cover), or NULL. */
const sk_scope_unit *sk_authz_scope_find(const sk_scope *sc, int64_t unit);

/* The capabilities sc holds at unit (its own scope entry; the root's cover all). */
uint32_t sk_authz_caps_at(const sk_scope *sc, int64_t unit);

/*
 * Whether c's actor holds cap at unit (unit 0: at some unit). False when
 * the scope cannot be loaded; use sk_authz_require_cap to learn why.
 */
bool sk_authz_can(struct sk_ctx *c, sk_cap cap, int64_t unit);

/*
 * SK_OK when c's actor holds cap at unit (0: anywhere); SK_ERR_DENIED
 * naming the capability otherwise. Callers reading a single object map a
 * refusal to SK_ERR_NOT_FOUND themselves.
 */
sk_err sk_authz_require_cap(struct sk_ctx *c, sk_cap cap, int64_t unit, sk_buf *err);

/*
 * sk_authz_require_cap for the domain functions that still take a store and
 * an actor rather than a context: builds one for the call.
 */
sk_err sk_authz_require_cap_of(sk_store *s, const sk_actor *actor, sk_cap cap, int64_t unit,
                               sk_buf *err);

/* Whether c's actor holds cap at the root, that is at every unit (the CLI operator does). */
bool sk_authz_everywhere(struct sk_ctx *c, sk_cap cap);

/*
 * The units where c's actor holds cap (and below) as a JSON array of
 * sk_org_json objects ordered by id; every unit for the CLI operator.
 * *out is the caller's.
 */
sk_err sk_authz_scope_units(struct sk_ctx *c, sk_cap cap, json_t **out, sk_buf *err);

#endif
