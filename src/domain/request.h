/*
 * request: requests and approvals (申請・承認, SPEC C7, issue #13).
 *
 * A request of one of the kinds in sk_request_kinds carries the kind's
 * details (declared once in the field schema, sk_schema_request_details).
 * A kind that is a policy action (take_out, dispose, …) is decided by the
 * engine with the asset's classification and the requester's role:
 *
 *   allow / allow_with_safeguards  → recorded as `approved` at once;
 *   require_approval               → `pending`, routed to the role the
 *                                    decision names, in the requester's
 *                                    chain of command;
 *   forbid, exception_possible, and the rule a 「…しないこと。ただし…の許可を
 *   得て」 proviso                  → the same ordinary approval;
 *   forbid, exception_possible     → only as kind `exception`, to the
 *                                    profile's exception approver
 *                                    (`exceptions:`) or the rule's;
 *   forbid                         → SK_ERR_FORBIDDEN_BY_POLICY (422) with
 *                                    the citations.
 *
 * Routing: the holder of the role at the requester's unit or the nearest
 * unit above it (the requester never counts as a holder); no holder is
 * SK_ERR_CONFLICT naming the missing role, and nothing is written. Every
 * safeguard the decision lists must be in safeguards_confirmed.
 *
 * Statuses: pending → approved | rejected | withdrawn; approved →
 * in_progress (take_out taken out) → completed (returned, certificate
 * filed …); an approved exception whose period has ended reads as expired.
 *
 * Who: the requester sees and withdraws their own; a decider is the holder
 * of approver_role at approver_unit or a unit above it, or — as the deputy
 * (代行者), recorded as such — the holder of a role above it in the
 * profile's chain (reports_to) there; both need request.approve at the
 * unit. Nobody decides their own request (SK_ERR_SELF_APPROVAL, 403).
 * Anyone else, unless they hold ledger.read over the request's unit, gets
 * SK_ERR_NOT_FOUND. The CLI operator holds every right.
 *
 * Every transition is one transaction with its step and its audit entry
 * ("request.file", "request.approve", "request.reject", "request.withdraw",
 * "request.complete", "request.expire"; object "request:<id>").
 */
#ifndef SK_REQUEST_H
#define SK_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "ctx.h"

/* A filing. The JSON values are borrowed. */
typedef struct sk_request_new {
	const char *kind;             /* one of sk_request_kinds */
	int64_t asset_id;             /* 0: none */
	const char *reason;           /* required */
	json_t *details;              /* an object: the kind's fields */
	json_t *safeguards_confirmed; /* an array of safeguard names, or NULL */
	/*
	 * When not NULL, receives the SPEC §3 decision the filing was judged by
	 * (a new reference, also when it was refused: the citations of a
	 * forbidden_by_policy), or stays NULL for a kind without a decision.
	 */
	json_t **decision_out;
	/*
	 * When not NULL, receives the request as filed, as sk_request_get shows
	 * it (a new reference), read in the filing's transaction; NULL on failure.
	 */
	json_t **request_out;
} sk_request_new;

/*
 * Files a request for c's actor (who must be an account: the CLI files as
 * one with --as). *id_out receives its id. SK_ERR_INVALID names the field
 * at fault ("details.until" in the message, field "until").
 */
sk_err sk_request_file(sk_ctx *c, const sk_request_new *in, int64_t *id_out, sk_buf *err);

/*
 * sk_request_file in two halves, for a server that reads on one connection
 * and writes on another (the group-commit writer's): sk_request_prepare
 * checks, decides and routes in's filing, reading only (in->decision_out
 * as sk_request_file's; in->request_out unused), and *out (the caller's,
 * sk_request_prepared_free) is what sk_request_commit then writes, in one
 * transaction with its audit entry. The commit first makes sure that what
 * the preparation read still stands (the authorization generation, the
 * asset's facts); if not, it prepares again in its transaction, so that a
 * role revoked or an asset reclassified in between is never filed past.
 */
typedef struct sk_request_prepared sk_request_prepared;

sk_err sk_request_prepare(sk_ctx *c, const sk_request_new *in, sk_request_prepared **out,
                          sk_buf *err);
/*
 * text (may be NULL): where the filed request is also appended as JSON
 * text, the bytes sk_json_compact writes of *request_out, written ahead by
 * the preparation (a server sends it as it is).
 */
sk_err sk_request_commit(sk_ctx *c, sk_request_prepared *p, int64_t *id_out, json_t **request_out,
                         json_t **decision_out, sk_buf *text, sk_buf *err);
void sk_request_prepared_free(sk_request_prepared *p);

/* Approves (comment optional); an all_of route moves on to its next approver. */
sk_err sk_request_approve(sk_ctx *c, int64_t id, const char *comment, sk_buf *err);
/* Rejects; comment required (SK_ERR_INVALID naming "comment"). */
sk_err sk_request_reject(sk_ctx *c, int64_t id, const char *comment, sk_buf *err);
/* The requester withdraws their pending request. */
sk_err sk_request_withdraw(sk_ctx *c, int64_t id, const char *comment, sk_buf *err);
/*
 * Records the follow-through (fields: an object of the kind's
 * sk_schema_request_followup fields): take_out taken out → in_progress,
 * returned → completed; dispose with its certificate → completed, and the
 * asset is marked disposed in the same transaction; the other kinds with
 * follow-through → completed. SK_ERR_CONFLICT for a kind without one or a
 * request not approved.
 */
sk_err sk_request_complete(sk_ctx *c, int64_t id, json_t *fields, sk_buf *err);

/* A step taken on a request by sk_request_take. */
typedef enum sk_request_step {
	SK_REQUEST_APPROVE,
	SK_REQUEST_REJECT,
	SK_REQUEST_WITHDRAW,
	SK_REQUEST_COMPLETE,
} sk_request_step;

/*
 * Takes step on request id as the four functions above do (comment for
 * approve, reject and withdraw; fields for complete). When out is not
 * NULL, *out receives the request as it then stands, as sk_request_get
 * shows it to c's actor (a new reference), read once in the step's
 * transaction with its audit image; NULL on failure.
 */
sk_err sk_request_take(sk_ctx *c, sk_request_step step, int64_t id, const char *comment,
                       json_t *fields, json_t **out, sk_buf *err);

/*
 * sk_request_take in two halves, as sk_request_prepare and
 * sk_request_commit are for a filing: an approval or rejection is checked,
 * planned and rendered by sk_request_take_prepare (reads only; its refusals
 * are sk_request_take's), and sk_request_take_commit writes it in one
 * transaction with its audit entry, provided the request is still in the
 * state it was read in and the authorization generation has not moved;
 * otherwise, and for the other steps, the commit takes the step whole.
 * *out of the prepare is the caller's (sk_request_step_prepared_free).
 */
typedef struct sk_request_step_prepared sk_request_step_prepared;

sk_err sk_request_take_prepare(sk_ctx *c, sk_request_step step, int64_t id, const char *comment,
                               json_t *fields, sk_request_step_prepared **out, sk_buf *err);
/*
 * text (may be NULL): where the request as it then stands is also appended
 * as JSON text, the bytes sk_json_compact writes of *out (for a planned
 * step written ahead by the preparation; a server sends it as it is).
 */
sk_err sk_request_take_commit(sk_ctx *c, sk_request_step_prepared *p, json_t **out, sk_buf *text,
                              sk_buf *err);
void sk_request_step_prepared_free(sk_request_step_prepared *p);

/*
 * The request as the API shows it: {"id", "kind", "status", "requester",
 * "unit", "unit_code", "asset_id", "reason", "details", "decision",
 * "safeguards_confirmed", "approver_role", "approver_unit", "emergency",
 * "follow_through", "decided_by", "as_deputy", "created_at", "updated_at",
 * "steps": [{"at", "actor", "action", "comment", "as_deputy"}]}. *out is
 * the caller's.
 */
sk_err sk_request_get(sk_ctx *c, int64_t id, json_t **out, sk_buf *err);

/* What sk_request_list selects. */
typedef struct sk_request_filter {
	const char *box;    /* "mine" (default), "inbox" (what the actor may decide), "all" */
	const char *status; /* NULL: any */
	const char *kind;   /* NULL: any */
	int64_t before;     /* keyset paging: only ids below it (0: from the newest) */
	int64_t limit;      /* 0: 100 */
} sk_request_filter;

/* The requests of the box, newest first, as an array of sk_request_get's objects without steps. */
sk_err sk_request_list(sk_ctx *c, const sk_request_filter *f, json_t **out, sk_buf *err);

/*
 * Whether a request of kind is decided by the policy engine (a policy
 * action, or an exception, decided on the action its details name), and so
 * is about an asset when one is named: what a form offers the asset for.
 */
bool sk_request_kind_decided(const char *kind);

/*
 * The decision a filing of kind about asset_id (0: none) would be judged by,
 * for c's actor, before filing: what a form shows (the safeguards to
 * confirm, the approver, the cited articles). action: for an exception, the
 * action its details name (NULL: none). *out is a new reference to the SPEC
 * §3 decision, or NULL for a kind without one; *refused whether the filing
 * would be refused outright (forbidden_by_policy). A decision on a stored
 * asset is recorded ("decision", as POST /api/v1/decisions) before it is
 * handed out; an asset out of scope is SK_ERR_NOT_FOUND.
 */
sk_err sk_request_preview(sk_ctx *c, const char *kind, int64_t asset_id, const char *action,
                          json_t **out, bool *refused, sk_buf *err);

/*
 * Whether the request r (as sk_request_get shows it) is overdue at now:
 * pending for more than days, the rule by which sk_notify_remind_overdue
 * reminds its approvers.
 */
bool sk_request_overdue(const json_t *r, int days, int64_t now);

/*
 * Marks approved exceptions whose period ended before today (in Japan) as
 * expired, each with its step and audit entry; *n_out (may be NULL) the
 * number. Reads show them expired before the sweep runs too.
 */
sk_err sk_request_expire_due(sk_ctx *c, int64_t *n_out, sk_buf *err);

#endif
