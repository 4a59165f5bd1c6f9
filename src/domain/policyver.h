/*
 * policyver: the installation's policy as data in the database (issue #16,
 * SPEC C1): every profile the installation has followed or may follow is a
 * version, a row of policy_versions holding its text, its SHA-256, what it
 * says it is (city, document kind, title, date, scope), who imported it and
 * when, and its status: imported, active (exactly one, the installation's
 * policy) or retired. A file on disk is read once, at import: editing it
 * afterwards changes nothing until it is imported again and activated.
 *
 * Activation needs the CISO's approval: an approved request of kind
 * `policy_activation` whose details name the version (request.h; its
 * approver is the CISO whatever the profile says, 成田 基準 7(2): 最高情報
 * セキュリティ責任者は…必要な見直しを行い). Each approval activates once.
 * `init` stores the chosen profile as version 1, active, as part of the
 * installation. Every step is one transaction with its audit entry
 * ("policy.import", "policy.activate"; object "policy_version:<id>"), and
 * every decision's entry names the version it was made under
 * (decision.h).
 */
#ifndef SK_POLICYVER_H
#define SK_POLICYVER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../policy/policy.h"
#include "../store/store.h"
#include "ctx.h"

/* The longest profile text a version holds: the loader's limit. */
#define SK_POLICYVER_TEXT_MAX (1u << 20)

/*
 * Stores len bytes of text (a profile; source names it in messages and the
 * list: a file name) as a new version, status imported. The text must load
 * as a profile: otherwise SK_ERR_INVALID with the first problem
 * ("SOURCE:LINE: message", field "file") and nothing is written.
 * Needs policy.import at the root. *id_out receives the version.
 */
sk_err sk_policyver_import(sk_ctx *c, const char *source, const char *text, size_t len,
                           int64_t *id_out, sk_buf *err);

/*
 * The text of what --profile names: a built-in profile's name (its text as
 * built in) or a file (at most SK_POLICYVER_TEXT_MAX bytes), appended to
 * text. SK_ERR_NOT_FOUND when it is neither; SK_ERR_IO, SK_ERR_TOO_BIG.
 */
sk_err sk_policyver_read_source(const char *name_or_path, sk_buf *text, sk_buf *err);

/*
 * Stores the installation's first version, active, inside the caller's
 * transaction (sk_install_init): no approval, as creating the installation
 * is the operator's. Audited as "policy.import" and "policy.activate".
 */
sk_err sk_policyver_store_initial(sk_ctx *c, const char *source, const char *text, size_t len,
                                  int64_t *id_out, sk_buf *err);

/*
 * The versions, oldest first: [{"id", "source", "city", "kind", "title",
 * "date", "scope", "sha256", "status", "imported_by", "imported_at",
 * "activated_by", "activated_at", "request_id"}] (times RFC 3339, absent
 * values null). Needs policy.read.
 */
sk_err sk_policyver_list(sk_ctx *c, json_t **out, sk_buf *err);

/*
 * Makes version id the active one (the one active before is retired).
 * SK_ERR_CONFLICT (409) when no approved policy_activation request for id is
 * left unused (nothing is written), or when it is active already; SK_ERR_NOT_FOUND for no such
 * version. *request_out (may be
 * NULL) receives the request it was done under.
 */
sk_err sk_policyver_activate(sk_ctx *c, int64_t id, int64_t *request_out, sk_buf *err);

/*
 * Checks that id names a version that an activation request may name (it
 * exists and is not active): the filing's check (request.c).
 */
sk_err sk_policyver_check_activatable(sk_store *s, int64_t id, sk_buf *err);

/*
 * The oldest approved policy_activation request for version that no
 * activation or policy-set change has used yet, into *request (0 when there
 * is none). kinds NULL: a request to activate the version (its details name
 * no unit kinds); otherwise one whose units_of_kind are exactly *kinds
 * (policyset.h). Read inside the caller's transaction.
 */
sk_err sk_policyver_find_approval(sk_store *s, int64_t version, const uint32_t *kinds,
                                  int64_t *request, sk_buf *err);

/* Appends sk_policy_diff of versions a and b to out. Needs policy.read. */
sk_err sk_policyver_diff(sk_ctx *c, int64_t a, int64_t b, sk_buf *out, sk_buf *err);

/*
 * Loads the active version into *out, stamped with its id
 * (sk_policy_stored_version). SK_ERR_NOT_FOUND (no message) when the
 * installation has no version (created before versions existed, or a bare
 * database); SK_ERR_CORRUPT when the stored text no longer matches its
 * SHA-256 or does not load.
 */
sk_err sk_policyver_load_active(sk_store *s, sk_policy **out, sk_buf *err);
/*
 * The active version's id into *id: one indexed row, cheap enough for a
 * running server to ask once a second whether another version has been
 * activated (src/http/policy_hold.c). SK_ERR_NOT_FOUND (no message) when
 * the installation has no version.
 */
sk_err sk_policyver_active_id(sk_store *s, int64_t *id, sk_buf *err);

/*
 * Loads version id into *out the same way, whatever its status (the
 * documents of the policy set, policyset.h). SK_ERR_NOT_FOUND (no message)
 * when there is no such version.
 */
sk_err sk_policyver_load(sk_store *s, int64_t id, sk_policy **out, sk_buf *err);

#endif
