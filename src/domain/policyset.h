/*
 * policyset: the installation's policy set (issue #16, SPEC C1,
 * docs/policy-set.md). Beside the active policy version (the primary: the
 * installation's standards or basic policy, which also supplies roles,
 * capabilities, password rules and the chain of command), stored versions
 * may apply to the units of the kinds they are given (a designated-manager
 * guideline to `designated_manager` units, contractor requirements to
 * `contractor` units). The primary applies to every unit kind no other
 * document is given, and to the kinds it is given itself. A unit is decided
 * under every document that applies to its kind, combined by
 * sk_policy_set_decide (policy.h).
 *
 * The set is stored in policy_set (migration 10), one row per change; a
 * change needs, like an activation, the CISO's approved policy_activation
 * request, whose details name the version and the unit kinds
 * ({"version": N, "units_of_kind": "designated_manager"}, "none" to take
 * the version out of the set); each approval changes the set once. Every
 * change is one transaction with its "policy.set" audit entry.
 */
#ifndef SK_POLICYSET_H
#define SK_POLICYSET_H

#include <jansson.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../policy/policy.h"
#include "../store/store.h"
#include "ctx.h"

/*
 * Parses a comma-separated list of unit kinds (org.h: municipality,
 * department, section, designated_manager, contractor, or their Japanese
 * names) into bits 1u << sk_org_kind; "none" is the empty set (taking a
 * version out of the set). SK_ERR_INVALID naming field and the bad kind.
 */
sk_err sk_policyset_parse_kinds(const char *list, const char *field, uint32_t *out, sk_buf *err);

/*
 * Attaches the installation's set to its loaded primary (the active
 * version): loads every other version of the set, each checked against its
 * SHA-256, and resolves the documents' cross references (policy.h,
 * sk_policy_set_attach). Nothing to do for an installation without a set.
 * SK_ERR_CORRUPT when a stored document no longer loads or fits.
 */
sk_err sk_policyset_load(sk_store *s, sk_policy *primary, sk_buf *err);

/*
 * The id of the set's last change (0 when it was never changed): a running
 * server compares it to take up a change (src/http/policy_hold.c).
 */
sk_err sk_policyset_last_change(sk_store *s, int64_t *out, sk_buf *err);

/*
 * The set: [{"version", "city", "kind", "title", "primary", "unit_kinds":
 * [...], "changed_by", "changed_at", "request_id"}], the primary first with
 * the unit kinds it applies to. Needs policy.read.
 */
sk_err sk_policyset_show(sk_ctx *c, json_t **out, sk_buf *err);

/*
 * Gives version the unit kinds in kinds (bits as sk_policyset_parse_kinds;
 * 0 takes it out of the set), under an approved policy_activation request
 * naming the same version and kinds that no change has used yet:
 * SK_ERR_CONFLICT without one (nothing written). SK_ERR_NOT_FOUND
 * for no such version, SK_ERR_CONFLICT when the set already says so,
 * SK_ERR_INVALID when the set would not fit together (a cross reference
 * that does not resolve, too many documents). Needs policy.import at the
 * root. *request_out (may be NULL) receives the request.
 */
sk_err sk_policyset_change(sk_ctx *c, int64_t version, uint32_t kinds, int64_t *request_out,
                           sk_buf *err);

/*
 * The same without an approval, inside the caller's transaction: for the
 * CLI operator creating an installation (sk_demo_create), as the first
 * version is stored without one.
 */
sk_err sk_policyset_store_initial(sk_ctx *c, int64_t version, uint32_t kinds, sk_buf *err);

/*
 * The filing's check of a policy_activation request that names unit kinds
 * (request.c): the version exists and the kinds parse.
 */
sk_err sk_policyset_check_request(sk_store *s, int64_t version, const char *kinds, sk_buf *err);

/* The kinds (bits 1u << sk_org_kind) of the units an installation decides for. */
#define SK_POLICYSET_ALL_KINDS 0x1fu

/*
 * Decides the named input (kv) under c's policy set for the units given:
 * every document applying to the kind of unit_a or of unit_b (0: none; the
 * asset's unit and the requester's, say) takes part. With neither unit, the
 * primary alone decides.
 */
sk_err sk_policyset_decide(sk_ctx *c, int64_t unit_a, int64_t unit_b, const sk_decide_kv *kv,
                           size_t n, sk_set_decision *out, sk_buf *err);

#endif
