/* orgview: the unit tree and the role assignments in memory, per connection and generation. */
#include "orgview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_msg.h"
#include "../core/sk_vec.h"

struct unit {
	int64_t id, parent; /* parent 0 for the root */
	char code[SK_ORG_CODE_MAX + 1];
};

struct account {
	int64_t id, unit;
	bool active;
};

struct holder {
	size_t role;         /* index into roles */
	int64_t unit, grant; /* grant: role_assignment's id, the order of the holders */
	sk_orgview_holder h;
};

struct sk_orgview {
	int64_t gen;
	/* The transaction it was read in (store.h's txn_epoch), 0: read outside any. */
	uint64_t epoch;
	struct unit *units; /* sorted by id */
	size_t nunits, capunits;
	struct account *accounts; /* sorted by id */
	size_t naccounts, capaccounts;
	struct holder *holders; /* sorted by role, unit, grant */
	size_t nholders, capholders;
	sk_orgview_holder
	    *flat;    /* holders[i].h, in the same order: what sk_orgview_holders hands out */
	char **roles; /* the distinct role names, as stored */
	size_t nroles, caproles;
};

static void view_free(void *p)
{
	sk_orgview *v = p;
	if (!v)
		return;
	for (size_t i = 0; i < v->nroles; i++)
		free(v->roles[i]);
	free(v->roles);
	free(v->units);
	free(v->accounts);
	free(v->holders);
	free(v->flat);
	free(v);
}

static sk_err take_unit(void *ctx, const sk_row *row, sk_buf *err)
{
	sk_orgview *v = ctx;
	struct unit *u = sk_vec_room(v->units, v->nunits, &v->capunits, sizeof(*u), 64);
	if (!u)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	v->units = u;
	u = &v->units[v->nunits++];
	*u = (struct unit){sk_row_int(row, 0), sk_row_int(row, 1), ""};
	snprintf(u->code, sizeof(u->code), "%s", sk_row_text(row, 2));
	return SK_OK;
}

static sk_err take_account(void *ctx, const sk_row *row, sk_buf *err)
{
	sk_orgview *v = ctx;
	struct account *a = sk_vec_room(v->accounts, v->naccounts, &v->capaccounts, sizeof(*a), 64);
	if (!a)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	v->accounts = a;
	v->accounts[v->naccounts++] =
	    (struct account){sk_row_int(row, 0), sk_row_int(row, 1), sk_row_int(row, 2) != 0};
	return SK_OK;
}

/* The index of role in v's names, or v->nroles when it has none. */
static size_t role_index(const sk_orgview *v, const char *role)
{
	size_t i = 0;
	while (i < v->nroles && strcmp(v->roles[i], role) != 0)
		i++;
	return i;
}

static sk_err take_holder(void *ctx, const sk_row *row, sk_buf *err)
{
	sk_orgview *v = ctx;
	const char *name = sk_row_text(row, 0);
	size_t r = role_index(v, name);
	if (r == v->nroles) {
		char **names = sk_vec_room(v->roles, v->nroles, &v->caproles, sizeof(*names), 16);
		if (!names)
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		v->roles = names;
		if (!(v->roles[v->nroles] = strdup(name)))
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		v->nroles++;
	}
	struct holder *h = sk_vec_room(v->holders, v->nholders, &v->capholders, sizeof(*h), 64);
	if (!h)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	v->holders = h;
	v->holders[v->nholders++] = (struct holder){r,
	                                            sk_row_int(row, 1),
	                                            sk_row_int(row, 3),
	                                            {sk_row_int(row, 2), sk_row_int(row, 4) != 0}};
	return SK_OK;
}

static int cmp_i64(int64_t x, int64_t y) { return (x > y) - (x < y); }

static int cmp_unit(const void *a, const void *b)
{
	return cmp_i64(((const struct unit *)a)->id, ((const struct unit *)b)->id);
}

static int cmp_account(const void *a, const void *b)
{
	return cmp_i64(((const struct account *)a)->id, ((const struct account *)b)->id);
}

static int cmp_holder(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;
	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	if (x->unit != y->unit)
		return cmp_i64(x->unit, y->unit);
	return cmp_i64(x->grant, y->grant);
}

/* Reads the view of generation gen (read just before, in the same transaction if any). */
static sk_err view_read(sk_store *s, int64_t gen, sk_orgview **out, sk_buf *err)
{
	*out = NULL;
	sk_orgview *v = calloc(1, sizeof(*v));
	if (!v)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	v->gen = gen;
	v->epoch = sk_store_in_txn(s) ? s->txn_epoch : 0;
	sk_err e = sk_store_query(s, "SELECT id, COALESCE(parent_id, 0), code FROM org_unit", NULL,
	                          0, take_unit, v, err);
	/* An account added later is not here: its reader asks the database (sk_orgview_home). */
	if (!e)
		e = sk_store_query(s,
		                   "SELECT id, unit_id, CASE WHEN status = 'active' THEN 1 ELSE 0 "
		                   "END FROM users",
		                   NULL, 0, take_account, v, err);
	/*
	 * Every assignment, the disabled accounts' too (holds_in asks whatever
	 * the status); a LEFT JOIN, as an assignment is matched by its user id
	 * alone there.
	 */
	if (!e)
		e = sk_store_query(s,
		                   "SELECT ra.role, ra.unit_id, ra.user_id, ra.id, CASE WHEN "
		                   "u.status = 'active' THEN 1 ELSE 0 END FROM role_assignment ra "
		                   "LEFT JOIN users u ON u.id = ra.user_id",
		                   NULL, 0, take_holder, v, err);
	/* Never NULL once read, however few the holders. */
	if (!e && !(v->flat = malloc((v->nholders ? v->nholders : 1) * sizeof(*v->flat))))
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if (e) {
		view_free(v);
		return e;
	}
	if (v->nunits > 1)
		qsort(v->units, v->nunits, sizeof(*v->units), cmp_unit);
	if (v->naccounts > 1)
		qsort(v->accounts, v->naccounts, sizeof(*v->accounts), cmp_account);
	if (v->nholders > 1)
		qsort(v->holders, v->nholders, sizeof(*v->holders), cmp_holder);
	for (size_t i = 0; v->flat && i < v->nholders; i++)
		v->flat[i] = v->holders[i].h;
	*out = v;
	return SK_OK;
}

/* Whether s's view may be used now: read outside a transaction, or inside this one. */
static bool usable(const sk_store *s, const sk_orgview *v)
{
	return v && (!v->epoch || (sk_store_in_txn(s) && v->epoch == s->txn_epoch));
}

sk_err sk_orgview_get(sk_store *s, int64_t gen, const sk_orgview **out, sk_buf *err)
{
	*out = NULL;
	sk_orgview *have = s->org_view;
	bool in_txn = sk_store_in_txn(s);
	if (gen && !in_txn && usable(s, have) && have->gen == gen) {
		*out = have;
		return SK_OK;
	}
	/* Read before the view: a change committed meanwhile leaves the view's label behind it. */
	int64_t now = 0;
	sk_err e = sk_store_query_int(s, "SELECT n FROM authz_generation WHERE id = 1", NULL, 0,
	                              &now, err);
	if (e == SK_ERR_NOT_FOUND)
		e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_FAULT_CORRUPT,
		                "the authorization generation is missing");
	if (e)
		return e;
	if (usable(s, have) && have->gen == now) {
		*out = have;
		return SK_OK;
	}
	sk_orgview *v = NULL;
	if ((e = view_read(s, now, &v, err)))
		return e;
	view_free(have);
	s->org_view = v;
	s->org_view_free = view_free;
	*out = v;
	return SK_OK;
}

int64_t sk_orgview_gen(const sk_orgview *v) { return v->gen; }

static const struct unit *unit_of(const sk_orgview *v, int64_t unit)
{
	size_t lo = 0, hi = v->nunits;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t id = v->units[mid].id;
		if (id == unit)
			return &v->units[mid];
		if (id < unit)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The parent of unit: 0 for the root, -1 for a unit v does not have. */
static int64_t parent_of(const sk_orgview *v, int64_t unit)
{
	const struct unit *u = unit_of(v, unit);
	return u ? u->parent : -1;
}

bool sk_orgview_home(const sk_orgview *v, int64_t user, int64_t *unit, const char **code)
{
	*unit = 0;
	*code = NULL;
	size_t lo = 0, hi = v->naccounts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct account *a = &v->accounts[mid];
		if (a->id == user) {
			const struct unit *u = a->active ? unit_of(v, a->unit) : NULL;
			if (u) {
				*unit = u->id;
				*code = u->code;
			}
			return true;
		}
		if (a->id < user)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

sk_err sk_orgview_line(const sk_orgview *v, int64_t unit, int64_t line[SK_ORG_LINE_MAX], size_t *n)
{
	*n = 0;
	while (unit && *n < SK_ORG_LINE_MAX) {
		line[(*n)++] = unit;
		int64_t parent = parent_of(v, unit);
		if (parent < 0)
			return SK_ERR_NOT_FOUND;
		unit = parent;
	}
	return SK_OK;
}

size_t sk_orgview_holders(const sk_orgview *v, const char *role, int64_t unit,
                          const sk_orgview_holder **first)
{
	*first = NULL;
	size_t r = role ? role_index(v, role) : v->nroles;
	if (r == v->nroles)
		return 0;
	/* The first holder at or after (r, unit), then the run of them. */
	size_t lo = 0, hi = v->nholders;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct holder *h = &v->holders[mid];
		if (h->role < r || (h->role == r && h->unit < unit))
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < v->nholders && v->holders[end].role == r && v->holders[end].unit == unit)
		end++;
	if (end > lo)
		*first = &v->flat[lo];
	return end - lo;
}

int64_t sk_orgview_holder_unit(const sk_orgview *v, const char *role, const int64_t *line, size_t n,
                               int64_t not_user)
{
	for (size_t i = 0; i < n; i++) {
		const sk_orgview_holder *h;
		size_t k = sk_orgview_holders(v, role, line[i], &h);
		for (size_t j = 0; h && j < k; j++)
			if (h[j].active && h[j].user_id != not_user)
				return line[i];
	}
	return 0;
}

bool sk_orgview_holds(const sk_orgview *v, int64_t user, const char *role, const int64_t *line,
                      size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const sk_orgview_holder *h;
		size_t k = sk_orgview_holders(v, role, line[i], &h);
		for (size_t j = 0; h && j < k; j++)
			if (h[j].user_id == user)
				return true;
	}
	return false;
}
