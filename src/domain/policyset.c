/* policyset: the installation's policy set (issue #16, docs/policy-set.md). */
#include "policyset.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_json.h"
#include "../core/sk_msg.h"
#include "org.h"
#include "policyver.h"

/* Each version's newest row, when it puts the version in the set. */
#define CURRENT                                                                                    \
	"SELECT s.version_id, s.unit_kinds, s.changed_by, s.changed_at, s.request_id FROM "        \
	"policy_set s WHERE s.id = (SELECT MAX(t.id) FROM policy_set t WHERE t.version_id = "      \
	"s.version_id) AND s.unit_kinds <> '' ORDER BY s.version_id"

sk_err sk_policyset_parse_kinds(const char *list, const char *field, uint32_t *out, sk_buf *err)
{
	*out = 0;
	if (!list || !*list)
		return sk_fail_at(err, SK_ERR_INVALID, field, "%s: name at least one unit kind",
		                  field);
	if (strcmp(list, "none") == 0)
		return SK_OK;
	char buf[256];
	if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
		return sk_fail_at(err, SK_ERR_INVALID, field, "%s: too long", field);
	char *save = NULL;
	for (char *k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		sk_org_kind kind;
		if (sk_org_kind_parse(k, &kind, err)) {
			if (err)
				err->field = field;
			return SK_ERR_INVALID;
		}
		*out |= 1u << kind;
	}
	if (!*out)
		return sk_fail_at(err, SK_ERR_INVALID, field, "%s: name at least one unit kind",
		                  field);
	return SK_OK;
}

/* The kinds as a comma list in the org module's names ("" for none). */
static void kinds_text(uint32_t kinds, char *out, size_t n)
{
	out[0] = '\0';
	for (int k = 0; k < SK_ORG__COUNT; k++)
		if (kinds >> k & 1u) {
			size_t used = strlen(out);
			snprintf(out + used, n - used, "%s%s", used ? "," : "",
			         sk_org_kind_name((sk_org_kind)k));
		}
}

static json_t *kinds_json(uint32_t kinds)
{
	json_t *a = json_array();
	for (int k = 0; a && k < SK_ORG__COUNT; k++)
		if (kinds >> k & 1u)
			json_array_append_new(a, json_string(sk_org_kind_name((sk_org_kind)k)));
	return a;
}

/* One member of the stored set. */
typedef struct member {
	int64_t version, request, at;
	uint32_t kinds;
	char by[128];
} member;

typedef struct members {
	size_t n;
	member m[SK_POLICY_SET_MAX];
	bool overflow;
	bool bad; /* a stored kind list that does not parse */
} members;

static sk_err take_member(void *ctx, const sk_row *r, sk_buf *err)
{
	(void)err;
	members *ms = ctx;
	if (ms->n == SK_POLICY_SET_MAX) {
		ms->overflow = true;
		return SK_OK;
	}
	member *m = &ms->m[ms->n++];
	m->version = sk_row_int(r, 0);
	if (sk_policyset_parse_kinds(sk_row_text(r, 1), "unit_kinds", &m->kinds, NULL))
		ms->bad = true;
	snprintf(m->by, sizeof(m->by), "%s", sk_row_text(r, 2));
	m->at = sk_row_int(r, 3);
	m->request = sk_row_is_null(r, 4) ? 0 : sk_row_int(r, 4);
	return SK_OK;
}

static sk_err read_members(sk_store *s, members *ms, sk_buf *err)
{
	memset(ms, 0, sizeof(*ms));
	sk_err e = sk_store_query(s, CURRENT, NULL, 0, take_member, ms, err);
	if (!e && (ms->overflow || ms->bad))
		e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_POLICYSET_UNREADABLE);
	return e;
}

static sk_err active_version(sk_store *s, int64_t *out, sk_buf *err)
{
	*out = 0;
	sk_err e = sk_store_query_int(s, "SELECT id FROM policy_versions WHERE status = 'active'",
	                              NULL, 0, out, err);
	if (e == SK_ERR_NOT_FOUND) {
		if (err)
			sk_buf_reset(err);
		e = SK_OK;
	}
	return e;
}

/* The primary's kinds: every kind no other member has, and those given to it. */
static uint32_t primary_kinds(const members *ms, int64_t primary)
{
	uint32_t others = 0, own = 0;
	for (size_t i = 0; i < ms->n; i++) {
		if (ms->m[i].version == primary)
			own |= ms->m[i].kinds;
		else
			others |= ms->m[i].kinds;
	}
	return (SK_POLICYSET_ALL_KINDS & ~others) | own;
}

/* Loads ms's documents (the primary's own row aside) and attaches them to primary. */
static sk_err attach(sk_store *s, sk_policy *primary, const members *ms, sk_buf *err)
{
	int64_t pv = sk_policy_stored_version(primary);
	sk_policy *docs[SK_POLICY_SET_MAX];
	uint32_t scopes[SK_POLICY_SET_MAX];
	size_t n = 0;
	sk_err e = SK_OK;
	for (size_t i = 0; !e && i < ms->n; i++) {
		if (ms->m[i].version == pv)
			continue;
		if (n + 1 >= SK_POLICY_SET_MAX) {
			e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_POLICYSET_TOO_MANY,
			                SK_POLICY_SET_MAX);
			break;
		}
		e = sk_policyver_load(s, ms->m[i].version, &docs[n], err);
		if (e == SK_ERR_NOT_FOUND)
			e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
			                SK_M_POLICYSET_VERSION_GONE, (long long)ms->m[i].version);
		if (!e)
			scopes[n++] = ms->m[i].kinds;
	}
	if (e) {
		for (size_t i = 0; i < n; i++)
			sk_policy_free(docs[i]);
		return e;
	}
	return sk_policy_set_attach(primary, primary_kinds(ms, pv), docs, scopes, n, err);
}

sk_err sk_policyset_load(sk_store *s, sk_policy *primary, sk_buf *err)
{
	members ms;
	sk_err e = read_members(s, &ms, err);
	if (e || ms.n == 0)
		return e;
	if ((e = attach(s, primary, &ms, err)) && e != SK_ERR_NOMEM) {
		/* The message is formatted into err: copy the cause out first. */
		char why[SK_BUF_MSG_MAX];
		snprintf(why, sizeof(why), "%s", err && err->data ? err->data : "");
		e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_POLICYSET_UNFIT, why);
	}
	return e;
}

/* --- showing --- */

static sk_err take_version_meta(void *ctx, const sk_row *r, sk_buf *err)
{
	json_t *o = ctx;
	(void)err;
	json_object_set_new(o, "city", json_string(sk_row_text(r, 0)));
	json_object_set_new(o, "kind",
	                    sk_row_is_null(r, 1) ? json_null() : json_string(sk_row_text(r, 1)));
	json_object_set_new(o, "title",
	                    sk_row_is_null(r, 2) ? json_null() : json_string(sk_row_text(r, 2)));
	json_object_set_new(o, "status", json_string(sk_row_text(r, 3)));
	return SK_OK;
}

static sk_err member_json(sk_store *s, int64_t version, uint32_t kinds, bool primary,
                          const member *m, json_t *arr, sk_buf *err)
{
	json_t *o = json_pack("{s:I, s:b, s:o}", "version", (json_int_t)version, "primary", primary,
	                      "unit_kinds", kinds_json(kinds));
	if (!o)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	sk_err e =
	    sk_store_query(s, "SELECT city, kind, title, status FROM policy_versions WHERE id = ?",
	                   (sk_val[]){SK_VINT(version)}, 1, take_version_meta, o, err);
	if (!e) {
		json_object_set_new(o, "changed_by", m ? json_string(m->by) : json_null());
		json_object_set_new(o, "changed_at", m ? sk_json_time(m->at) : json_null());
		json_object_set_new(o, "request_id",
		                    m && m->request ? json_integer(m->request) : json_null());
	}
	if (!e && json_array_append_new(arr, o))
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	else if (e)
		json_decref(o);
	return e;
}

sk_err sk_policyset_last_change(sk_store *s, int64_t *out, sk_buf *err)
{
	*out = 0;
	return sk_store_query_int(s, "SELECT COALESCE(MAX(id), 0) FROM policy_set", NULL, 0, out,
	                          err);
}

sk_err sk_policyset_show(sk_ctx *c, json_t **out, sk_buf *err)
{
	*out = NULL;
	sk_err e = sk_authz_require_cap(c, SK_CAP_POLICY_READ, 0, err);
	members ms;
	int64_t pv = 0;
	if (!e)
		e = read_members(c->store, &ms, err);
	if (!e)
		e = active_version(c->store, &pv, err);
	if (e)
		return e;
	json_t *arr = json_array();
	if (!arr)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	const member *own = NULL;
	for (size_t i = 0; i < ms.n; i++)
		if (ms.m[i].version == pv)
			own = &ms.m[i];
	if (pv)
		e = member_json(c->store, pv, primary_kinds(&ms, pv), true, own, arr, err);
	for (size_t i = 0; !e && i < ms.n; i++)
		if (ms.m[i].version != pv)
			e = member_json(c->store, ms.m[i].version, ms.m[i].kinds, false, &ms.m[i],
			                arr, err);
	if (e)
		json_decref(arr);
	else
		*out = arr;
	return e;
}

/* --- changing --- */

/* The root unit: where policy.import must be held. */
static sk_err root_unit(sk_store *s, int64_t *out, sk_buf *err)
{
	*out = 0;
	sk_err e = sk_store_query_int(s, "SELECT id FROM org_unit WHERE parent_id IS NULL", NULL, 0,
	                              out, err);
	if (e == SK_ERR_NOT_FOUND) {
		if (err)
			sk_buf_reset(err);
		e = SK_OK;
	}
	return e;
}

/*
 * The set with version given kinds must fit together: its documents load
 * and their cross references resolve. Checked on a throwaway primary.
 */
static sk_err check_fits(sk_store *s, members *ms, int64_t version, uint32_t kinds, sk_buf *err)
{
	size_t i = 0;
	while (i < ms->n && ms->m[i].version != version)
		i++;
	if (i == ms->n) {
		if (ms->n == SK_POLICY_SET_MAX)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_POLICYSET_TOO_MANY,
			                   SK_POLICY_SET_MAX);
		memset(&ms->m[i], 0, sizeof(ms->m[i]));
		ms->m[i].version = version;
		ms->n++;
	}
	ms->m[i].kinds = kinds;
	if (!kinds) {
		ms->m[i] = ms->m[ms->n - 1];
		ms->n--;
	}
	sk_policy *primary = NULL;
	sk_err e = sk_policyver_load_active(s, &primary, err);
	if (e == SK_ERR_NOT_FOUND)
		return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_POLICYSET_NO_ACTIVE);
	if (!e)
		e = attach(s, primary, ms, err);
	sk_policy_free(primary);
	return e;
}

/* Appends the row and its "policy.set" entry, in the caller's transaction. */
static sk_err write_change(sk_ctx *c, int64_t version, uint32_t before, uint32_t kinds,
                           int64_t request, sk_buf *err)
{
	char text[160];
	kinds_text(kinds, text, sizeof(text));
	sk_val v[] = {SK_VINT(version), sk_vtext(text), sk_vtext(c->actor->login),
	              SK_VINT(sk_clock_now()), request ? SK_VINT(request) : SK_VNULL};
	sk_err e = sk_store_exec(c->store,
	                         "INSERT INTO policy_set (version_id, unit_kinds, changed_by, "
	                         "changed_at, request_id) VALUES (?, ?, ?, ?, ?)",
	                         v, 5, NULL, err);
	if (e)
		return e;
	json_t *after = json_pack("{s:I, s:o}", "version", (json_int_t)version, "unit_kinds",
	                          kinds_json(kinds));
	if (after && request)
		json_object_set_new(after, "request", json_integer(request));
	return sk_audit_change(c->store, c->actor->login, c->actor->address, "policy.set",
	                       before ? json_pack("{s:I, s:o}", "version", (json_int_t)version,
	                                          "unit_kinds", kinds_json(before))
	                              : SK_AUDIT_NONE,
	                       after, err, "policy_version:%" PRId64, version);
}

static uint32_t kinds_of(const members *ms, int64_t version)
{
	for (size_t i = 0; i < ms->n; i++)
		if (ms->m[i].version == version)
			return ms->m[i].kinds;
	return 0;
}

static sk_err version_exists(sk_store *s, int64_t version, const char *field, sk_buf *err)
{
	int64_t one = 0;
	sk_err e = sk_store_query_int(s, "SELECT id FROM policy_versions WHERE id = ?",
	                              (sk_val[]){SK_VINT(version)}, 1, &one, err);
	if (e == SK_ERR_NOT_FOUND)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, field, "ポリシーの版",
		                SK_M_POLICY_NO_VERSION, (long long)version);
	return e;
}

static sk_err change_in_txn(sk_ctx *c, int64_t version, uint32_t kinds, bool approved,
                            int64_t *request, sk_buf *err)
{
	members ms;
	sk_err e = version_exists(c->store, version, "version", err);
	if (!e)
		e = read_members(c->store, &ms, err);
	if (e)
		return e;
	uint32_t before = kinds_of(&ms, version);
	if (before == kinds)
		return sk_fail_msg(err, SK_ERR_CONFLICT, "units_of_kind", "組織の種類",
		                   SK_M_POLICYSET_SAME, (long long)version);
	int64_t approval = 0;
	if (approved) {
		e = sk_policyver_find_approval(c->store, version, &kinds, &approval, err);
		if (!e && !approval) {
			char text[160];
			kinds_text(kinds, text, sizeof(text));
			e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL,
			                SK_M_POLICYSET_NEEDS_APPROVAL, (long long)version,
			                text[0] ? text : "none", (long long)version,
			                text[0] ? text : "none");
		}
	}
	if (!e)
		e = check_fits(c->store, &ms, version, kinds, err);
	if (!e)
		e = write_change(c, version, before, kinds, approval, err);
	if (!e && request)
		*request = approval;
	return e;
}

sk_err sk_policyset_change(sk_ctx *c, int64_t version, uint32_t kinds, int64_t *request_out,
                           sk_buf *err)
{
	if (request_out)
		*request_out = 0;
	int64_t root = 0;
	sk_err e = root_unit(c->store, &root, err);
	if (!e)
		e = sk_authz_require_cap(c, SK_CAP_POLICY_IMPORT, root, err);
	if (!e && (e = sk_store_begin(c->store, err)) == SK_OK) {
		e = change_in_txn(c, version, kinds, true, request_out, err);
		e = sk_store_end(c->store, e, err);
	}
	if (e && request_out)
		*request_out = 0;
	return e;
}

sk_err sk_policyset_store_initial(sk_ctx *c, int64_t version, uint32_t kinds, sk_buf *err)
{
	if (!c->actor->superuser)
		return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_POLICYSET_OPERATOR_ONLY);
	sk_err e = sk_store_begin(c->store, err);
	if (e)
		return e;
	if ((e = change_in_txn(c, version, kinds, false, NULL, err)))
		sk_store_rollback(c->store);
	else
		e = sk_store_commit(c->store, err);
	return e;
}

sk_err sk_policyset_check_request(sk_store *s, int64_t version, const char *kinds, sk_buf *err)
{
	uint32_t k;
	sk_err e = sk_policyset_parse_kinds(kinds, "details.units_of_kind", &k, err);
	if (!e)
		e = version_exists(s, version, "details.version", err);
	return e;
}

/* --- deciding --- */

static sk_err kind_of(sk_store *s, int64_t unit, uint32_t *kinds, sk_buf *err)
{
	if (!unit)
		return SK_OK;
	sk_org_unit u;
	sk_err e = sk_org_get_id(s, unit, &u, err);
	if (!e)
		*kinds |= 1u << u.kind;
	return e;
}

sk_err sk_policyset_decide(sk_ctx *c, int64_t unit_a, int64_t unit_b, const sk_decide_kv *kv,
                           size_t n, sk_set_decision *out, sk_buf *err)
{
	const sk_policy *pol = NULL;
	sk_err e = sk_ctx_policy(c, &pol, err);
	if (!e && !pol)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_PROFILE_NONE);
	uint32_t kinds = 0;
	/* A primary alone decides for every unit: no unit need be read. */
	if (!e && sk_policy_set_count(pol) == 1)
		kinds = unit_a || unit_b ? SK_POLICYSET_ALL_KINDS : 0;
	else if (!e)
		e = kind_of(c->store, unit_a, &kinds, err);
	if (!e && sk_policy_set_count(pol) > 1)
		e = kind_of(c->store, unit_b, &kinds, err);
	if (!e)
		e = sk_policy_set_decide(pol, kinds, kv, n, out, err);
	return e;
}
