/*
 * orgview: the organization as routing reads it, held in memory: the parent
 * of every unit and every role assignment (role, unit, account, whether the
 * account is active). Filing and deciding a request walk the chain of
 * command and ask who holds a role at each unit of it; with the view that is
 * a lookup in memory instead of a query per unit (docs/performance.md).
 *
 * Freshness: everything in the view is covered by the authorization
 * generation (migration 12: the counter bumped in the same transaction by
 * every change of role_assignment, of an account's status or unit, and of
 * the unit tree, from any door). A view is read under one generation and
 * answers only for it. An account added moves no generation, so an account
 * the view does not know is asked of the database; the accounts' mail
 * addresses and names are not covered and are not in it (read them from
 * the database). A unit's code never changes.
 *
 * One view per store connection, kept with the handle (a store is used by
 * one thread at a time). A view read inside a transaction may hold that
 * transaction's own uncommitted changes: it is trusted only within that
 * transaction (store.h's txn_epoch), never after it.
 */
#ifndef SK_ORGVIEW_H
#define SK_ORGVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../store/store.h"
#include "org.h"

typedef struct sk_orgview sk_orgview;

/* One holder of a role at a unit. */
typedef struct sk_orgview_holder {
	int64_t user_id;
	bool active; /* the account's status is 'active' */
} sk_orgview_holder;

/*
 * s's view for reads that must be of generation gen: the plan that records
 * gen (its scope's, sk_scope.gen, read before anything it covers), or 0 for
 * the current generation. Inside a transaction the view is always of the
 * generation that transaction reads (the current one, with its own
 * changes), whatever gen says: what is written there must be of it.
 * Outside one, when the database has moved past gen, the view is of the
 * current generation, later than gen: a plan recording gen is then refused
 * by its write, which finds the generation moved (request.h).
 *
 * *out is s's: valid until the next sk_orgview_get on s, or s's close. Costs
 * no query when s's view is of gen already (outside a transaction), one
 * when the generation must be read, and three more when the view must be
 * read again (the units, the accounts, the role assignments).
 */
sk_err sk_orgview_get(sk_store *s, int64_t gen, const sk_orgview **out, sk_buf *err);

/*
 * Where user works, as the view knows it: false when v does not know the
 * account (added after v was read: ask the database). Otherwise true, with
 * *unit its unit and *code that unit's code (v's), or *unit 0 and *code NULL
 * when the account is not active.
 */
bool sk_orgview_home(const sk_orgview *v, int64_t user, int64_t *unit, const char **code);

/* The generation v was read under. */
int64_t sk_orgview_gen(const sk_orgview *v);

/*
 * unit and the units above it, nearest first, as sk_org_line gives them: *n
 * is 0 for unit 0; SK_ERR_NOT_FOUND (without a message) when a unit of the
 * line is not in v.
 */
sk_err sk_orgview_line(const sk_orgview *v, int64_t unit, int64_t line[SK_ORG_LINE_MAX], size_t *n);

/*
 * The nearest unit of line where an active account other than not_user (0:
 * anyone) holds role, as sk_org_holder_unit finds it; 0 when none.
 */
int64_t sk_orgview_holder_unit(const sk_orgview *v, const char *role, const int64_t *line, size_t n,
                               int64_t not_user);

/* Whether user holds role at one of the units of line, whatever the account's status. */
bool sk_orgview_holds(const sk_orgview *v, int64_t user, const char *role, const int64_t *line,
                      size_t n);

/*
 * The holders of role at unit, active or not, in the order their roles were
 * granted (role_assignment's id): *first points at n of them, v's.
 */
size_t sk_orgview_holders(const sk_orgview *v, const char *role, int64_t unit,
                          const sk_orgview_holder **first);

#endif
