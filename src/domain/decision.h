/*
 * decision: the handling decision of SPEC §3 for a stored asset and an actor
 * (POST /api/v1/decisions): the asset's classification, flags and zone come
 * from the register, the actor's role from its grants, the answer from the
 * installation's profile. Scope applies: an asset the actor cannot read is
 * SK_ERR_NOT_FOUND. Every decision is appended to the audit log
 * ("decision", object "asset:<id>"; SPEC C9: every change and every
 * decision) before it is answered.
 *
 * A decision is made in two steps so that the server can make it on the
 * request's thread and hand only the append to the group-commit writer:
 * sk_decision_make reads the asset and decides, recording nothing;
 * sk_decision_record appends the entries. A decision changes nothing, so
 * the asset is read just before the append rather than in its transaction;
 * the entry's image names the asset's updated_at the decision was based on
 * (docs/audit.md).
 */
#ifndef SK_DECISION_H
#define SK_DECISION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct sk_ctx sk_ctx;

#include "../core/sk_buf.h"
#include "../policy/policy.h"
#include "../store/store.h"
#include "actor.h"

/*
 * What a decision takes from the asset: the values by name, for every
 * document of the policy set to read by its own scheme (sk_decide_input_parse
 * through sk_policy_set_decide), so that a stored asset is decided by the
 * same rules as the same values given to `sekisho decide`.
 */
typedef struct sk_decision_facts {
	int64_t unit_id, updated_at;
	bool mynumber, personal;
	char conf[32], integ[32], avail[32], zone[32], type[32];
} sk_decision_facts;

/* A decision made and rendered, not yet on record. Owned by whoever initialized it. */
typedef struct sk_decision_made {
	int64_t asset_id; /* 0: a bare classification decision, recorded as "classification:-" */
	bool record_read; /* 機密性3: the read is recorded too ("asset.read", as sk_asset_get) */
	sk_buf answer;    /* the SPEC §3 JSON object, as sent to the client */
	/*
	 * The "decision" entry's after image, canonical JSON text:
	 * {"action", "actor_role" (null when none), "asset_updated_at" (RFC
	 * 3339), "decision" (the answer's object), "policy_version" (the
	 * stored policy version decided under, policyver.h; null for an
	 * installation older than versions)}.
	 */
	sk_buf image;
	/*
	 * Where image holds the "decision" member's value (sk_decision_canonical's
	 * text), as sk_decision_make (or _unanswered) rendered it; 0 and 0 for the
	 * images of sk_decision_for_unit and sk_decision_bare.
	 */
	size_t decision_at, decision_len;
	/* the decision itself, with the document of each citation (policy.h) */
	sk_set_decision decided;
	sk_decision_facts facts; /* the asset's, as decided on */
} sk_decision_made;

void sk_decision_made_init(sk_decision_made *m);
void sk_decision_made_free(sk_decision_made *m);

/*
 * Decides action (a SPEC §3 action name) on asset id for actor, whose roles
 * (a mask of 1u << sk_role) give the actor role: the most senior one held,
 * in SPEC order, under every document of c's policy set that applies to
 * the asset's unit or the actor's (policyset.h); the answer is the SPEC §3
 * object, and the image adds "documents" (sk_policy_set_documents_json:
 * which document each citation came from); m->decided has both. Reads only; m (reset
 * first) holds the answer and what sk_decision_record appends. Nothing of it
 * may be handed out before sk_decision_record has committed.
 * SK_ERR_INVALID naming an unknown action.
 */
sk_err sk_decision_make(sk_ctx *c, uint32_t roles, int64_t id, const char *action,
                        sk_decision_made *m, sk_buf *err);

/*
 * sk_decision_make without the answer: m->answer is left empty, for a caller
 * that shows the decision inside an answer of its own (a filing, request.h;
 * sk_decision_json gives it the same object).
 */
sk_err sk_decision_make_unanswered(sk_ctx *c, uint32_t roles, int64_t id, const char *action,
                                   sk_decision_made *m, sk_buf *err);

/*
 * The SPEC §3 object of d as canonical JSON (keys sorted, compact), appended
 * to out: the canonical form of sk_decision_to_json's object, written
 * directly so that neither an image nor a stored column needs a parse and
 * re-encoding.
 */
sk_err sk_decision_canonical(const sk_decision *d, sk_buf *out);

/*
 * The SPEC §3 object of d as a new jansson object (the caller owns it; NULL
 * when out of memory): the members in sk_decision_to_json's order, equal to
 * what parsing its text gives, without the text.
 */
json_t *sk_decision_json(const sk_decision *d);

/*
 * Whether the asset m was decided on still holds the facts it was decided
 * on (read again in c's store, in c's actor's scope): a decision made on
 * a reading connection is recorded by a write on another (request.h), and
 * an asset changed in between must be decided again. *holds is false when
 * the asset is gone or out of sight, so that the caller decides again and
 * answers as that decision does.
 */
sk_err sk_decision_still_holds(sk_ctx *c, const sk_decision_made *m, bool *holds, sk_buf *err);

/*
 * Decides the input given by name (kv, as sk_decide_input_parse takes it)
 * for unit, under every document of c's policy set that applies to the
 * unit's kind (`sekisho decide --db URL --unit U`): m holds the answer (the
 * SPEC §3 object) and the "decision" entry's image {"decision" (the
 * answer), "documents", "input", "policy_version", "unit"}, recorded by sk_decision_record as
 * "classification:-". Needs decide at unit.
 */
sk_err sk_decision_for_unit(sk_ctx *c, int64_t unit, const sk_decide_kv *kv, size_t n,
                            sk_decision_made *m, sk_buf *err);

/*
 * The bare decision on levels given by name (kv, as sk_decide_input_parse
 * takes it), decided under p alone (POST /api/v1/policy/decide and the web
 * form's classification mode: both doors call this, so the same input
 * records the same image): m (asset_id 0, recorded as "classification:-")
 * holds the answer and the "decision" entry's image {"action",
 * "actor_role" (null when none), "input" (the classification keys conf,
 * integ, avail, zone, to_zone, asset_type that kv gives a non-empty value,
 * as text), "mynumber", "personal", "decision", "policy_version" (the
 * stored version decided under, or null)}. Records nothing.
 */
sk_err sk_decision_bare(const sk_policy *p, const sk_decide_kv *kv, size_t n, sk_decision_made *m,
                        sk_buf *err);

/*
 * Appends m's audit entries for actor (the asset.read entry first when
 * m->record_read, then the decision) in the caller's transaction or its own.
 * All or nothing only inside a transaction of its own or a savepoint: a
 * caller that runs several in one transaction without savepoints must roll
 * the whole transaction back when one fails.
 */
sk_err sk_decision_record(sk_ctx *c, const sk_decision_made *m, sk_buf *err);

/*
 * sk_decision_make, then sk_decision_record in a transaction of its own (or
 * the caller's), then the answer appended to out.
 */
sk_err sk_decision_for_asset(sk_ctx *c, uint32_t roles, int64_t id, const char *action, sk_buf *out,
                             sk_buf *err);

#endif
