/* read: pages of audit entries as JSON, and the log's size. */
#include "read.h"

#include <stdio.h>
#include <string.h>

#include "../core/sk_clock.h"
#include "audit.h"
#include "../core/sk_msg.h"

static json_t *parsed(const sk_row *row, size_t i)
{
	if (sk_row_is_null(row, i))
		return json_null();
	const char *t = sk_row_text(row, i);
	json_t *j = json_loads(t, JSON_DECODE_ANY, NULL);
	/* Stored images are canonical JSON we wrote; if not, show the text as is. */
	return j ? j : json_string(t);
}

static sk_err take_entry(void *ctx, const sk_row *row, sk_buf *err)
{
	char leaf[SK_HASH_HEX_LEN + 1], prev[SK_HASH_HEX_LEN + 1];
	json_t *e = json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s}", "seq",
	    (json_int_t)sk_row_int(row, 0), "at", sk_row_text(row, 1), "actor", sk_row_text(row, 2),
	    "address", sk_row_text(row, 3), "action", sk_row_text(row, 4), "object",
	    sk_row_text(row, 5), "before", parsed(row, 6), "after", parsed(row, 7), "prev",
	    sk_audit_hash_col(row, 8, prev), "leaf", sk_audit_hash_col(row, 9, leaf));
	if (!e || json_array_append_new((json_t *)ctx, e))
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	return SK_OK;
}

sk_err sk_audit_list(sk_store *s, int64_t after, int64_t limit, json_t **out, sk_buf *err)
{
	*out = NULL;
	if (after < 0)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_AFTER_MUST_MORE);
	if (limit < 1 || limit > SK_AUDIT_PAGE_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_LIMIT_MUST,
		                   SK_AUDIT_PAGE_MAX);
	json_t *a = json_array();
	if (!a)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	sk_val p[] = {SK_VINT(after), SK_VINT(limit)};
	sk_err e = sk_store_query(s,
	                          "SELECT seq, at, actor, address, action, object, before_json,"
	                          " after_json, prev_hash, leaf_hash FROM audit_log WHERE seq > ?"
	                          " ORDER BY seq LIMIT ?",
	                          p, 2, take_entry, a, err);
	if (e) {
		json_decref(a);
		return e;
	}
	*out = a;
	return SK_OK;
}

static bool given(const char *s) { return s && *s; }

sk_err sk_audit_find(sk_store *s, const sk_audit_filter *f, bool newest, int64_t limit,
                     json_t **out, sk_buf *err)
{
	*out = NULL;
	if (f->after < 0 || f->before < 0)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_AFTER_BEFORE_MUST_MORE);
	if (limit < 1 || limit > SK_AUDIT_PAGE_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_LIMIT_MUST,
		                   SK_AUDIT_PAGE_MAX);
	/* Parameterized: only fixed text is appended to the statement. */
	char sql[768];
	sk_val p[8];
	size_t n = 0;
	int k = snprintf(sql, sizeof(sql),
	                 "SELECT seq, at, actor, address, action, object, before_json,"
	                 " after_json, prev_hash, leaf_hash FROM audit_log WHERE seq > ?");
	p[n++] = SK_VINT(f->after);
	if (f->before > 0) {
		k += snprintf(sql + k, sizeof(sql) - (size_t)k, " AND seq < ?");
		p[n++] = SK_VINT(f->before);
	}
	if (given(f->action)) {
		k += snprintf(sql + k, sizeof(sql) - (size_t)k, " AND action = ?");
		p[n++] = sk_vtext(f->action);
	}
	if (given(f->actor)) {
		k += snprintf(sql + k, sizeof(sql) - (size_t)k, " AND actor = ?");
		p[n++] = sk_vtext(f->actor);
	}
	if (given(f->object)) {
		size_t ol = strlen(f->object);
		if (f->object[ol - 1] == ':') {
			/* A kind: the objects starting so (compared as bytes, whatever the
			 * collation). */
			k += snprintf(sql + k, sizeof(sql) - (size_t)k,
			              " AND substr(object, 1, ?) = ?");
			p[n++] = SK_VINT((int64_t)ol);
			p[n++] = sk_vtext(f->object);
		} else {
			k += snprintf(sql + k, sizeof(sql) - (size_t)k, " AND object = ?");
			p[n++] = sk_vtext(f->object);
		}
	}
	if (given(f->from)) {
		k += snprintf(sql + k, sizeof(sql) - (size_t)k, " AND at >= ?");
		p[n++] = sk_vtext(f->from);
	}
	if (given(f->until)) {
		k += snprintf(sql + k, sizeof(sql) - (size_t)k, " AND at < ?");
		p[n++] = sk_vtext(f->until);
	}
	snprintf(sql + k, sizeof(sql) - (size_t)k, " ORDER BY seq %s LIMIT %lld",
	         newest ? "DESC" : "ASC", (long long)limit);
	json_t *a = json_array();
	if (!a)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	sk_err e = sk_store_query(s, sql, p, n, take_entry, a, err);
	if (e) {
		json_decref(a);
		return e;
	}
	*out = a;
	return SK_OK;
}

static sk_err take_checkpoint(void *ctx, const sk_row *row, sk_buf *err)
{
	char at[SK_TIME_STR_MAX];
	sk_clock_format(sk_row_int(row, 3), at);
	json_t *c =
	    json_pack("{s:I, s:s, s:s, s:s}", "size", (json_int_t)sk_row_int(row, 0), "root",
	              sk_row_text(row, 1), "created_at", at, "note", sk_row_text(row, 2));
	if (!c || json_array_append_new((json_t *)ctx, c))
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	return SK_OK;
}

sk_err sk_audit_checkpoints(sk_store *s, json_t **out, sk_buf *err)
{
	*out = json_array();
	if (!*out)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	sk_err e = sk_store_query(
	    s, "SELECT size, root, note, created_at FROM audit_checkpoint ORDER BY size", NULL, 0,
	    take_checkpoint, *out, err);
	if (e) {
		json_decref(*out);
		*out = NULL;
	}
	return e;
}

sk_err sk_audit_size(sk_store *s, int64_t *out, sk_buf *err)
{
	return sk_store_query_int(s, "SELECT seq FROM audit_head WHERE id = 1", NULL, 0, out, err);
}
