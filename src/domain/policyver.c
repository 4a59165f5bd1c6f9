/* policyver: the installation's policy versions (issue #16). */
#include "policyver.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_json.h"
#include "../core/sk_msg.h"
#include "../core/sk_utf8.h"
#include "policyset.h"

#define COLUMNS                                                                                    \
	"id, source, city, kind, title, issued, scope, sha256, status, imported_by, "              \
	"imported_at, activated_by, activated_at, request_id"

/*
 * Whether c may import and activate policies: policy.import held at the root
 * unit (the policy binds the whole city); on a bare database (no unit yet)
 * the operator only.
 */
static sk_err require_import(sk_ctx *c, sk_buf *err)
{
	int64_t root = 0;
	sk_err e = sk_store_query_int(c->store, "SELECT id FROM org_unit WHERE parent_id IS NULL",
	                              NULL, 0, &root, err);
	if (e == SK_ERR_NOT_FOUND) {
		if (err)
			sk_buf_reset(err);
		e = SK_OK;
	}
	return e ? e : sk_authz_require_cap(c, SK_CAP_POLICY_IMPORT, root, err);
}

/* A SHA-256 as 64 lowercase hex digits. */
static void sha256_hex(const char *text, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, len);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* What a version says it is, from its loaded profile. */
typedef struct meta {
	char kind[160];
	const char *city, *title, *date, *scope;
} meta;

static void meta_of(const sk_policy *p, meta *m)
{
	sk_policy_document d;
	sk_policy_document_of(p, &d);
	m->kind[0] = '\0';
	for (unsigned i = 0; i < d.n_kinds; i++) {
		size_t n = strlen(m->kind);
		snprintf(m->kind + n, sizeof(m->kind) - n, "%s%s", i ? "," : "", d.kinds[i]);
	}
	m->city = sk_policy_city_id(p);
	m->title = d.title;
	m->date = d.date;
	m->scope = d.scope;
}

/*
 * Checks text as a profile: UTF-8 without NUL (the database keeps it as
 * text) that loads. On success *out is the loaded profile (the caller's).
 */
static sk_err check_text(const char *source, const char *text, size_t len, sk_policy **out,
                         sk_buf *err)
{
	*out = NULL;
	if (len > SK_POLICYVER_TEXT_MAX)
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_POLICY_TOO_BIG, source);
	size_t bad = 0;
	if (memchr(text, '\0', len) || !sk_utf8_valid(text, len, &bad))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_POLICY_NOT_UTF8, source);
	sk_buf diag = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_policy_load_mem(source, text, len, out, &diag);
	if (e && e != SK_ERR_NOMEM) {
		/* The first line names the file, the line and the problem. */
		char *nl = diag.data ? strchr(diag.data, '\n') : NULL;
		if (nl)
			*nl = '\0';
		e = sk_fail_msg(err, SK_ERR_INVALID, "file", "ファイル", SK_M_POLICY_INVALID,
		                diag.data ? diag.data : source);
	} else if (e) {
		e = sk_fail_msg(err, e, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	sk_buf_free(&diag);
	return e;
}

sk_err sk_policyver_read_source(const char *name_or_path, sk_buf *text, sk_buf *err)
{
	const char *data;
	size_t len;
	if (sk_policy_builtin_text(name_or_path, &data, &len) == SK_OK)
		return sk_buf_add(text, data, len)
		           ? sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM)
		           : SK_OK;
	FILE *f = fopen(name_or_path, "rb");
	if (!f)
		return sk_fail_msg(err, errno == ENOENT ? SK_ERR_NOT_FOUND : SK_ERR_IO, NULL, NULL,
		                   SK_M_POLICY_READ, name_or_path, strerror(errno));
	char chunk[16384];
	size_t n, total = 0;
	sk_err e = SK_OK;
	while (!e && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		total += n;
		if (total > SK_POLICYVER_TEXT_MAX)
			e = sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_POLICY_TOO_BIG,
			                name_or_path);
		else if (sk_buf_add(text, chunk, n))
			e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	if (!e && ferror(f))
		e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_POLICY_READ_SHORT, name_or_path);
	fclose(f);
	return e;
}

/* Inserts the row and its "policy.import" entry, in the caller's transaction. */
static sk_err insert(sk_ctx *c, const char *source, const char *text, size_t len,
                     const sk_policy *p, const char *status, int64_t *id, sk_buf *err)
{
	meta m;
	meta_of(p, &m);
	char sha[65];
	sha256_hex(text, len, sha);
	int64_t now = sk_clock_now();
	sk_val v[] = {
	    sk_vtext(source),
	    sk_vtext(m.city),
	    m.kind[0] ? sk_vtext(m.kind) : SK_VNULL,
	    sk_vtext(m.title),
	    sk_vtext(m.date),
	    sk_vtext(m.scope),
	    sk_vtext(sha),
	    SK_VTEXTN(text, len),
	    sk_vtext(status),
	    sk_vtext(c->actor->login),
	    SK_VINT(now),
	};
	sk_err e = sk_store_query_int(
	    c->store,
	    "INSERT INTO policy_versions (source, city, kind, title, issued, scope, sha256, text, "
	    "status, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "
	    "id",
	    v, sizeof(v) / sizeof(v[0]), id, err);
	if (e)
		return e;
	return sk_audit_change(
	    c->store, c->actor->login, c->actor->address, "policy.import", SK_AUDIT_NONE,
	    json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s}", "id", (json_int_t)*id, "source", source,
	              "city", m.city, "kind", m.kind[0] ? m.kind : NULL, "title", m.title, "sha256",
	              sha),
	    err, "policy_version:%" PRId64, *id);
}

/*
 * The same text stored again would be a second version nobody can tell from
 * the first: the answer names the version to activate instead.
 */
static sk_err refuse_stored(sk_ctx *c, const char *text, size_t len, sk_buf *err)
{
	char sha[65];
	sha256_hex(text, len, sha);
	sk_val v[] = {sk_vtext(sha)};
	int64_t id = 0;
	sk_err e = sk_store_query_int(c->store, "SELECT id FROM policy_versions WHERE sha256 = ?",
	                              v, 1, &id, err);
	if (e == SK_ERR_NOT_FOUND) {
		if (err)
			sk_buf_reset(err);
		return SK_OK;
	}
	if (e)
		return e;
	return sk_fail_msg(err, SK_ERR_CONFLICT, "text", "ポリシーの本文",
	                   SK_M_POLICY_STORED_ALREADY, (long long)id);
}

sk_err sk_policyver_import(sk_ctx *c, const char *source, const char *text, size_t len,
                           int64_t *id_out, sk_buf *err)
{
	*id_out = 0;
	sk_err e = require_import(c, err);
	if (e)
		return e;
	sk_policy *p = NULL;
	if ((e = check_text(source, text, len, &p, err)))
		return e;
	if (!(e = sk_store_begin(c->store, err))) {
		e = refuse_stored(c, text, len, err);
		if (!e)
			e = insert(c, source, text, len, p, "imported", id_out, err);
		e = sk_store_end(c->store, e, err);
	}
	if (e)
		*id_out = 0;
	sk_policy_free(p);
	return e;
}

/* Makes id active and retires the one before, with the "policy.activate" entry. */
static sk_err make_active(sk_ctx *c, int64_t id, int64_t request, sk_buf *err)
{
	int64_t before = 0;
	sk_err e =
	    sk_store_query_int(c->store, "SELECT id FROM policy_versions WHERE status = 'active'",
	                       NULL, 0, &before, err);
	if (e == SK_ERR_NOT_FOUND) {
		if (err)
			sk_buf_reset(err);
		e = SK_OK;
	}
	if (e)
		return e;
	/* Retire first: the unique index allows one active row at any moment. */
	if (before)
		e = sk_store_exec(c->store,
		                  "UPDATE policy_versions SET status = 'retired' WHERE id = ?",
		                  (sk_val[]){SK_VINT(before)}, 1, NULL, err);
	int64_t changed = 0;
	if (!e) {
		sk_val v[] = {sk_vtext(c->actor->login), SK_VINT(sk_clock_now()),
		              request ? SK_VINT(request) : SK_VNULL, SK_VINT(id)};
		e = sk_store_exec(c->store,
		                  "UPDATE policy_versions SET status = 'active', activated_by = ?, "
		                  "activated_at = ?, request_id = ? WHERE id = ?",
		                  v, 4, &changed, err);
	}
	if (!e && changed != 1)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_POLICY_NO_SUCH_VERSION,
		                (long long)id);
	if (e)
		return e;
	return sk_audit_change(
	    c->store, c->actor->login, c->actor->address, "policy.activate",
	    before ? json_pack("{s:I}", "active", (json_int_t)before) : SK_AUDIT_NONE,
	    request
	        ? json_pack("{s:I, s:I}", "active", (json_int_t)id, "request", (json_int_t)request)
	        : json_pack("{s:I}", "active", (json_int_t)id),
	    err, "policy_version:%" PRId64, id);
}

sk_err sk_policyver_store_initial(sk_ctx *c, const char *source, const char *text, size_t len,
                                  int64_t *id_out, sk_buf *err)
{
	*id_out = 0;
	if (!c->actor->superuser)
		return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_INSTALL_OPERATOR_ONLY);
	sk_policy *p = NULL;
	sk_err e = check_text(source, text, len, &p, err);
	if (e)
		return e;
	if (!(e = sk_store_begin(c->store, err))) {
		e = insert(c, source, text, len, p, "imported", id_out, err);
		if (!e)
			e = make_active(c, *id_out, 0, err);
		e = sk_store_end(c->store, e, err);
	}
	sk_policy_free(p);
	return e;
}

/* --- reading --- */

static json_t *text_or_null(const sk_row *r, size_t i)
{
	return sk_row_is_null(r, i) ? json_null() : json_string(sk_row_text(r, i));
}

static json_t *time_or_null(const sk_row *r, size_t i)
{
	return sk_row_is_null(r, i) ? json_null() : sk_json_time(sk_row_int(r, i));
}

static sk_err take_version(void *ctx, const sk_row *r, sk_buf *err)
{
	json_t *arr = ctx;
	json_t *o = json_pack(
	    "{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	    (json_int_t)sk_row_int(r, 0), "source", text_or_null(r, 1), "city", text_or_null(r, 2),
	    "kind", text_or_null(r, 3), "title", text_or_null(r, 4), "date", text_or_null(r, 5),
	    "scope", text_or_null(r, 6), "sha256", text_or_null(r, 7), "status", text_or_null(r, 8),
	    "imported_by", text_or_null(r, 9), "imported_at", time_or_null(r, 10), "activated_by",
	    text_or_null(r, 11), "activated_at", time_or_null(r, 12), "request_id",
	    sk_row_is_null(r, 13) ? json_null() : json_integer(sk_row_int(r, 13)));
	if (!o || json_array_append_new(arr, o))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

sk_err sk_policyver_list(sk_ctx *c, json_t **out, sk_buf *err)
{
	*out = NULL;
	sk_err e = sk_authz_require_cap(c, SK_CAP_POLICY_READ, 0, err);
	if (e)
		return e;
	json_t *arr = json_array();
	if (!arr)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	e = sk_store_query(c->store, "SELECT " COLUMNS " FROM policy_versions ORDER BY id", NULL, 0,
	                   take_version, arr, err);
	if (e)
		json_decref(arr);
	else
		*out = arr;
	return e;
}

/* One version's status and text. */
typedef struct version_row {
	bool found;
	char status[16];
	char sha[65];
	sk_buf text;
} version_row;

static sk_err take_text(void *ctx, const sk_row *r, sk_buf *err)
{
	version_row *v = ctx;
	v->found = true;
	snprintf(v->status, sizeof(v->status), "%s", sk_row_text(r, 0));
	snprintf(v->sha, sizeof(v->sha), "%s", sk_row_text(r, 1));
	const sk_val *t = &r->cols[2];
	if (sk_buf_add(&v->text, t->p ? t->p : "", t->p ? t->n : 0))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

static sk_err read_version(sk_store *s, int64_t id, version_row *v, sk_buf *err)
{
	v->found = false;
	sk_buf_reset(&v->text);
	return sk_store_query(s, "SELECT status, sha256, text FROM policy_versions WHERE id = ?",
	                      (sk_val[]){SK_VINT(id)}, 1, take_text, v, err);
}

sk_err sk_policyver_check_activatable(sk_store *s, int64_t id, sk_buf *err)
{
	version_row v = {.text = SK_BUF_INIT(SK_POLICYVER_TEXT_MAX + 1)};
	sk_err e = read_version(s, id, &v, err);
	if (!e && !v.found)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, "details.version", "ポリシーの版",
		                SK_M_POLICY_NO_VERSION, (long long)id);
	else if (!e && strcmp(v.status, "active") == 0)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, "details.version", "ポリシーの版",
		                SK_M_POLICY_ACTIVE_ALREADY, (long long)id);
	sk_buf_free(&v.text);
	return e;
}

/*
 * Both a version's activation (here) and a change of its unit kinds
 * (policyset.c) are done under an approved policy_activation request; the
 * two differ only in whether the details name units_of_kind, so one lookup
 * serves both rather than each door keeping its own copy of the query.
 */
typedef struct approval {
	int64_t version, request;
	const uint32_t *kinds;
} approval;

static sk_err take_approval(void *ctx, const sk_row *r, sk_buf *err)
{
	(void)err;
	approval *a = ctx;
	if (a->request)
		return SK_OK;
	json_t *d = json_loads(sk_row_text(r, 1), 0, NULL);
	json_t *v = json_object_get(d, "version");
	const char *k = json_string_value(json_object_get(d, "units_of_kind"));
	uint32_t kinds = 0;
	bool fits =
	    a->kinds ? k && sk_policyset_parse_kinds(k, "units_of_kind", &kinds, NULL) == SK_OK &&
	                   kinds == *a->kinds
	             : !json_object_get(d, "units_of_kind");
	if (json_is_integer(v) && json_integer_value(v) == a->version && fits)
		a->request = sk_row_int(r, 0);
	json_decref(d);
	return SK_OK;
}

sk_err sk_policyver_find_approval(sk_store *s, int64_t version, const uint32_t *kinds,
                                  int64_t *request, sk_buf *err)
{
	approval a = {.version = version, .kinds = kinds};
	/* A request is spent once either table names it: each approval acts once. */
	sk_err e = sk_store_query(
	    s,
	    "SELECT id, details FROM requests WHERE kind = 'policy_activation' "
	    "AND status = 'approved' AND id NOT IN (SELECT request_id FROM "
	    "policy_versions WHERE request_id IS NOT NULL UNION SELECT request_id FROM "
	    "policy_set WHERE request_id IS NOT NULL) ORDER BY id",
	    NULL, 0, take_approval, &a, err);
	*request = e ? 0 : a.request;
	return e;
}

sk_err sk_policyver_activate(sk_ctx *c, int64_t id, int64_t *request_out, sk_buf *err)
{
	if (request_out)
		*request_out = 0;
	sk_err e = require_import(c, err);
	if (e)
		return e;
	version_row v = {.text = SK_BUF_INIT(SK_POLICYVER_TEXT_MAX + 1)};
	sk_policy *p = NULL;
	int64_t request = 0;
	if ((e = sk_store_begin(c->store, err)))
		goto out;
	e = read_version(c->store, id, &v, err);
	if (!e && !v.found)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, "version", "ポリシーの版",
		                SK_M_POLICY_NO_VERSION, (long long)id);
	else if (!e && strcmp(v.status, "active") == 0)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, "version", "ポリシーの版",
		                SK_M_POLICY_ACTIVE_ALREADY, (long long)id);
	/* What becomes every decision's policy must load, as stored. */
	if (!e)
		e = check_text("stored", v.text.data ? v.text.data : "", v.text.len, &p, err);
	if (!e)
		e = sk_policyver_find_approval(c->store, id, NULL, &request, err);
	if (!e && !request)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_POLICY_NEEDS_APPROVAL,
		                (long long)id, (long long)id);
	if (!e)
		e = make_active(c, id, request, err);
	e = sk_store_end(c->store, e, err);
	if (!e && request_out)
		*request_out = request;
out:
	sk_policy_free(p);
	sk_buf_free(&v.text);
	return e;
}

sk_err sk_policyver_diff(sk_ctx *c, int64_t a, int64_t b, sk_buf *out, sk_buf *err)
{
	sk_err e = sk_authz_require_cap(c, SK_CAP_POLICY_READ, 0, err);
	if (e)
		return e;
	version_row va = {.text = SK_BUF_INIT(SK_POLICYVER_TEXT_MAX + 1)};
	version_row vb = {.text = SK_BUF_INIT(SK_POLICYVER_TEXT_MAX + 1)};
	e = read_version(c->store, a, &va, err);
	if (!e)
		e = read_version(c->store, b, &vb, err);
	if (!e && (!va.found || !vb.found))
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, va.found ? "to" : "from", "ポリシーの版",
		                SK_M_POLICY_NO_VERSION, (long long)(va.found ? b : a));
	if (!e) {
		char an[32], bn[32];
		snprintf(an, sizeof(an), "version %" PRId64, a);
		snprintf(bn, sizeof(bn), "version %" PRId64, b);
		sk_buf diag = SK_BUF_INIT(SK_BUF_MSG_MAX);
		e = sk_policy_diff(an, va.text.data ? va.text.data : "", va.text.len, bn,
		                   vb.text.data ? vb.text.data : "", vb.text.len, out, &diag);
		if (e)
			e = sk_fail_msg(err, e == SK_ERR_NOMEM ? e : SK_ERR_CORRUPT, NULL, NULL,
			                SK_M_POLICY_STORED_BAD, diag.data ? diag.data : "");
		sk_buf_free(&diag);
	}
	sk_buf_free(&va.text);
	sk_buf_free(&vb.text);
	return e;
}

sk_err sk_policyver_active_id(sk_store *s, int64_t *id, sk_buf *err)
{
	*id = 0;
	sk_err e = sk_store_query_int(s, "SELECT id FROM policy_versions WHERE status = 'active'",
	                              NULL, 0, id, err);
	if (e == SK_ERR_NOT_FOUND && err)
		sk_buf_reset(err);
	return e;
}

sk_err sk_policyver_load(sk_store *s, int64_t id, sk_policy **out, sk_buf *err)
{
	*out = NULL;
	version_row v = {.text = SK_BUF_INIT(SK_POLICYVER_TEXT_MAX + 1)};
	sk_err e = read_version(s, id, &v, err);
	if (!e && !v.found)
		e = SK_ERR_NOT_FOUND; /* retired between two reads, or never there */
	if (!e) {
		char sha[65];
		sha256_hex(v.text.data ? v.text.data : "", v.text.len, sha);
		if (strcmp(sha, v.sha) != 0)
			e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_POLICY_HASH_BAD,
			                (long long)id);
	}
	if (!e) {
		char name[48];
		snprintf(name, sizeof(name), "policy version %" PRId64, id);
		sk_buf diag = SK_BUF_INIT(SK_BUF_MSG_MAX);
		e = sk_policy_load_mem(name, v.text.data ? v.text.data : "", v.text.len, out,
		                       &diag);
		if (e)
			e = sk_fail_msg(err, e == SK_ERR_NOMEM ? e : SK_ERR_CORRUPT, NULL, NULL,
			                SK_M_POLICY_ACTIVE_BAD, diag.data ? diag.data : "");
		else
			sk_policy_set_stored_version(*out, id);
		sk_buf_free(&diag);
	}
	sk_buf_free(&v.text);
	return e;
}

sk_err sk_policyver_load_active(sk_store *s, sk_policy **out, sk_buf *err)
{
	*out = NULL;
	int64_t id = 0;
	sk_err e = sk_policyver_active_id(s, &id, err);
	if (!e)
		e = sk_policyver_load(s, id, out, err);
	return e;
}
