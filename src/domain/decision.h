/*
 * decision: the handling decision of SPEC §3 for a stored asset and an actor
 * (POST /api/v1/decisions): the asset's classification, flags and zone come
 * from the register, the actor's role from its grants, the answer from the
 * installation's profile. Scope applies: an asset the actor cannot read is
 * SK_ERR_NOT_FOUND. Every decision is appended to the audit log
 * ("decision", object "asset:<id>") in the same transaction as the read
 * (SPEC C9: every change and every decision).
 */
#ifndef SK_DECISION_H
#define SK_DECISION_H

#include <stdint.h>

#include "../core/sk_buf.h"
#include "../policy/policy.h"
#include "../store/store.h"
#include "actor.h"

/*
 * Decides action (a SPEC §3 action name) on asset id for actor, whose roles
 * (a mask of 1u << sk_role) give the actor role: the most senior one held,
 * in SPEC order. pol is the installation's profile. Appends the SPEC §3
 * JSON object to out. SK_ERR_INVALID naming an unknown action.
 */
sk_err sk_decision_for_asset(sk_store *s, const sk_policy *pol, const sk_actor *actor,
                             uint32_t roles, int64_t id, const char *action, sk_buf *out,
                             sk_buf *err);

#endif
