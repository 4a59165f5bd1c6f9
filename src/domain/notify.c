/* notify: notifications in-app and by mail, and the outbox the sender drains. */
#include "notify.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_msg.h"

static const struct {
	const char *name;
	sk_msg_id title;
} kinds[SK_NOTIFY__COUNT] = {
    [SK_NOTIFY_REQUEST_TO_DECIDE] = {"request_to_decide", SK_M_NOTIFY_REQUEST_TO_DECIDE},
    [SK_NOTIFY_REQUEST_DECIDED] = {"request_decided", SK_M_NOTIFY_REQUEST_DECIDED},
    [SK_NOTIFY_REQUEST_OVERDUE] = {"request_overdue", SK_M_NOTIFY_REQUEST_OVERDUE},
    [SK_NOTIFY_INCIDENT_ESCALATED] = {"incident_escalated", SK_M_NOTIFY_INCIDENT_ESCALATED},
    [SK_NOTIFY_ACCOUNT_LOCKED] = {"account_locked", SK_M_NOTIFY_ACCOUNT_LOCKED},
    [SK_NOTIFY_INCIDENT_CLOSED] = {"incident_closed", SK_M_NOTIFY_INCIDENT_CLOSED},
    [SK_NOTIFY_TEST] = {"test", SK_M_NOTIFY_TEST},
};

/* The reference types: the number's prefix and where a link leads. */
static const struct {
	const char *name;
	char prefix;
	const char *path; /* printf format taking the id, or a fixed path */
	bool with_id;
} refs[] = {
    {"request", 'R', "/requests/%" PRId64, true},
    {"incident", 'I', "/incidents/%" PRId64, true},
    /* An account's page is an administrator's; its holder reads the notification itself. */
    {"user", 'U', "/notifications", false},
};
#define NREFS (sizeof(refs) / sizeof(refs[0]))

const char *sk_notify_kind_name(sk_notify_kind k)
{
	return (unsigned)k < SK_NOTIFY__COUNT ? kinds[k].name : NULL;
}

static int kind_of(const char *name)
{
	for (int k = 0; k < SK_NOTIFY__COUNT; k++)
		if (strcmp(kinds[k].name, name) == 0)
			return k;
	return -1;
}

static int ref_of(const char *name)
{
	for (size_t i = 0; name && i < NREFS; i++)
		if (strcmp(refs[i].name, name) == 0)
			return (int)i;
	return -1;
}

#define REF_MAX   24
#define TITLE_MAX 256
#define LINK_MAX  600

static void ref_number(int ref, int64_t id, char out[REF_MAX])
{
	snprintf(out, REF_MAX, "%c-%06" PRId64, refs[ref].prefix, id);
}

static void title_of(int kind, const char *refno, sk_lang l, char out[TITLE_MAX])
{
	snprintf(out, TITLE_MAX, sk_msg_format(kinds[kind].title, l), refno);
}

/* The link: the base URL (meta "notify.base_url", without a trailing '/') and the path. */
static void link_of(const char *base, int ref, int64_t id, char out[LINK_MAX])
{
	char path[64];
	if (refs[ref].with_id)
		snprintf(path, sizeof(path), refs[ref].path, id);
	else
		snprintf(path, sizeof(path), "%s", refs[ref].path);
	snprintf(out, LINK_MAX, "%s%s", base ? base : "", path);
}

static sk_err base_url(sk_store *s, sk_buf *out, sk_buf *err)
{
	sk_err e = sk_store_meta_get(s, "notify.base_url", out, err);
	if (e == SK_ERR_NOT_FOUND) {
		sk_buf_reset(out);
		return SK_OK;
	}
	return e;
}

static bool addr_char(unsigned char ch)
{
	return ch > 0x20 && ch < 0x7f && !strchr("\"<>()[],;:\\", ch);
}

sk_err sk_notify_addr_check(const char *addr, const char *field, sk_buf *err)
{
	size_t n = addr ? strlen(addr) : 0;
	const char *at = addr ? strrchr(addr, '@') : NULL;
	bool ok = n > 0 && n <= SK_NOTIFY_ADDR_MAX && at && at != addr && at[1];
	for (size_t i = 0; ok && i < n; i++)
		ok = addr_char((unsigned char)addr[i]) && (addr[i] != '@' || addr + i == at);
	/* The domain: labels of letters, digits and '-', none empty. */
	if (ok) {
		size_t label = 0;
		for (const char *p = at + 1;; p++) {
			if (*p == '.' || *p == '\0') {
				if (!label) {
					ok = false;
					break;
				}
				if (*p == '\0')
					break;
				label = 0;
				continue;
			}
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9') || *p == '-')) {
				ok = false;
				break;
			}
			label++;
		}
	}
	if (!ok)
		return sk_fail_msg(err, SK_ERR_INVALID, field, NULL, SK_M_NOTIFY_ADDR_BAD,
		                   addr ? addr : "");
	return SK_OK;
}

/* --- adding --- */

struct urow {
	bool seen, active;
	char email[SK_NOTIFY_ADDR_MAX + 1];
};

/* s cut to fit the address buffer, as snprintf "%s" cut it, without printf's cost. */
static void email_copy(char out[SK_NOTIFY_ADDR_MAX + 1], const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n > SK_NOTIFY_ADDR_MAX)
		n = SK_NOTIFY_ADDR_MAX;
	if (n)
		memcpy(out, s, n);
	out[n] = '\0';
}

static sk_err urow_cb(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct urow *u = ctx;
	u->seen = true;
	u->active = strcmp(sk_row_text(row, 0), "active") == 0;
	email_copy(u->email, sk_row_text(row, 1));
	return SK_OK;
}

/* What a notification points at, checked once for both ways of adding one; *ref: ref_of's. */
static sk_err check_ref(sk_notify_kind kind, const char *ref_type, int64_t ref_id, int *ref,
                        sk_buf *err)
{
	*ref = ref_of(ref_type);
	if ((unsigned)kind >= SK_NOTIFY__COUNT)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_NOTIFY_KIND_UNKNOWN,
		                   (int)kind);
	if (*ref < 0)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_NOTIFY_REF_UNKNOWN,
		                   ref_type ? ref_type : "");
	if (ref_id <= 0)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_NOTIFY_NO_REF);
	return SK_OK;
}

static sk_err add_in_txn(sk_store *s, int64_t user_id, const sk_notify_to *known,
                         sk_notify_kind kind, const char *ref_type, int64_t ref_id, int64_t *id_out,
                         bool *mailed, sk_buf *err)
{
	int ref = -1;
	sk_err ce = check_ref(kind, ref_type, ref_id, &ref, err);
	if (ce)
		return ce;
	struct urow u = {0};
	sk_err e = SK_OK;
	if (known) {
		/* The caller read the account already (sk_notify_holders' one query). */
		u.seen = true;
		u.active = known->active;
		email_copy(u.email, known->email);
	} else {
		sk_val pu[] = {SK_VINT(user_id)};
		e = sk_store_query(s, "SELECT status, email FROM users WHERE id = ?", pu, 1,
		                   urow_cb, &u, err);
	}
	if (e)
		return e;
	if (!u.seen)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_NOTIFY_NO_USER,
		                   (long long)user_id);
	/*
	 * One row: mail only to an active account with a usable address, the
	 * address as it is now; in-app for everyone. The subject and body are
	 * made by the sender when it sends (outbox_claim), not here: this runs
	 * inside the request writer's transaction.
	 */
	bool mail = u.active && u.email[0] && !sk_notify_addr_check(u.email, "email", NULL);
	int64_t now = sk_clock_now(), nid = 0;
	sk_val pn[] = {SK_VINT(user_id),
	               sk_vtext(kinds[kind].name),
	               sk_vtext(refs[ref].name),
	               SK_VINT(ref_id),
	               SK_VINT(now),
	               mail ? sk_vtext(u.email) : SK_VNULL,
	               mail ? SK_VINT(now) : SK_VNULL};
	if ((e = sk_store_insert(s,
	                         "INSERT INTO notifications(user_id, kind, ref_type, ref_id, "
	                         "created_at, mail_to, mail_next_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                         pn, 7, &nid, err)))
		return e;
	if (id_out)
		*id_out = nid;
	if (mailed)
		*mailed = mail;
	return SK_OK;
}

/*
 * The rows of several accounts told of one thing, up to ROWS_MAX in one
 * statement: the same rows, in the same order, as one insert each, for
 * about half the cost of the second and later (one statement run: its
 * cursors opened once, one reset).
 */
#define ROWS_MAX 4
#define INS_HEAD                                                                                   \
	"INSERT INTO notifications(user_id, kind, ref_type, ref_id, created_at, mail_to, "         \
	"mail_next_at) VALUES "
#define INS_ROW "(?, ?, ?, ?, ?, ?, ?)"

static const char *const insert_rows[ROWS_MAX + 1] = {
    NULL,
    INS_HEAD INS_ROW,
    INS_HEAD INS_ROW ", " INS_ROW,
    INS_HEAD INS_ROW ", " INS_ROW ", " INS_ROW,
    INS_HEAD INS_ROW ", " INS_ROW ", " INS_ROW ", " INS_ROW,
};

static sk_err add_each_in_txn(sk_store *s, const sk_notify_to *to, size_t n, sk_notify_kind kind,
                              const char *ref_type, int64_t ref_id, sk_buf *err)
{
	int ref = -1;
	sk_err ce = check_ref(kind, ref_type, ref_id, &ref, err);
	if (ce)
		return ce;
	int64_t now = sk_clock_now();
	sk_err e = SK_OK;
	for (size_t i = 0; !e && i < n;) {
		size_t k = n - i < ROWS_MAX ? n - i : ROWS_MAX;
		sk_val p[ROWS_MAX * 7];
		for (size_t j = 0; j < k; j++) {
			const sk_notify_to *t = &to[i + j];
			/* As add_in_txn: mail only to an active account with a usable address. */
			bool mail = t->active && t->email && t->email[0] &&
			            !sk_notify_addr_check(t->email, "email", NULL);
			sk_val *v = &p[7 * j];
			v[0] = SK_VINT(t->user_id);
			v[1] = sk_vtext(kinds[kind].name);
			v[2] = sk_vtext(refs[ref].name);
			v[3] = SK_VINT(ref_id);
			v[4] = SK_VINT(now);
			v[5] = mail ? sk_vtext(t->email) : SK_VNULL;
			v[6] = mail ? SK_VINT(now) : SK_VNULL;
		}
		int64_t added = 0;
		e = sk_store_exec(s, insert_rows[k], p, 7 * k, &added, err);
		if (!e && added != (int64_t)k)
			e = sk_fail_msg(err, SK_ERR_STORE, NULL, NULL, SK_M_FAULT_STORE,
			                "a notification insert added fewer rows");
		i += k;
	}
	return e;
}

sk_err sk_notify_add_each(sk_ctx *c, const sk_notify_to *to, size_t n, sk_notify_kind kind,
                          const char *ref_type, int64_t ref_id, sk_buf *err)
{
	if (n == 0)
		return SK_OK;
	sk_err e = sk_store_begin(c->store, err);
	if (e)
		return e;
	if ((e = add_each_in_txn(c->store, to, n, kind, ref_type, ref_id, err))) {
		sk_store_rollback(c->store);
		return e;
	}
	return sk_store_commit(c->store, err);
}

static sk_err add(sk_store *s, int64_t user_id, const sk_notify_to *known, sk_notify_kind kind,
                  const char *ref_type, int64_t ref_id, int64_t *id_out, bool *mailed, sk_buf *err)
{
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	if ((e = add_in_txn(s, user_id, known, kind, ref_type, ref_id, id_out, mailed, err))) {
		sk_store_rollback(s);
		return e;
	}
	return sk_store_commit(s, err);
}

sk_err sk_notify_add(sk_ctx *c, int64_t user_id, sk_notify_kind kind, const char *ref_type,
                     int64_t ref_id, int64_t *id_out, sk_buf *err)
{
	return add(c->store, user_id, NULL, kind, ref_type, ref_id, id_out, NULL, err);
}

sk_err sk_notify_add_to(sk_ctx *c, const sk_notify_to *to, sk_notify_kind kind,
                        const char *ref_type, int64_t ref_id, sk_buf *err)
{
	return add(c->store, to->user_id, to, kind, ref_type, ref_id, NULL, NULL, err);
}

/* --- reading --- */

struct list_ctx {
	json_t *items;
	const char *base;
	sk_lang lang;
	sk_err e;
};

static json_t *item_json(const sk_row *row, const char *base, sk_lang lang)
{
	/* id, kind, ref_type, ref_id, created_at, read_at */
	int kind = kind_of(sk_row_text(row, 1)), ref = ref_of(sk_row_text(row, 2));
	int64_t ref_id = sk_row_int(row, 3);
	char refno[REF_MAX] = "", title[TITLE_MAX] = "", link[LINK_MAX] = "";
	if (ref >= 0) {
		ref_number(ref, ref_id, refno);
		link_of(base, ref, ref_id, link);
	}
	if (kind >= 0 && ref >= 0)
		title_of(kind, refno, lang, title);
	char created[SK_TIME_STR_MAX], read[SK_TIME_STR_MAX];
	sk_clock_format_local(sk_row_int(row, 4), created);
	if (!sk_row_is_null(row, 5))
		sk_clock_format_local(sk_row_int(row, 5), read);
	return json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:o}", "id",
	                 (json_int_t)sk_row_int(row, 0), "kind", sk_row_text(row, 1), "ref_type",
	                 sk_row_text(row, 2), "ref_id", (json_int_t)ref_id, "ref", refno, "title",
	                 title, "link", link, "created_at", created, "read_at",
	                 sk_row_is_null(row, 5) ? json_null() : json_string(read));
}

static sk_err list_cb(void *ctx, const sk_row *row, sk_buf *err)
{
	struct list_ctx *l = ctx;
	json_t *it = item_json(row, l->base, l->lang);
	if (!it || json_array_append_new(l->items, it))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

static sk_lang ctx_lang(const sk_ctx *c)
{
	return c->lang && strcmp(c->lang, "en") == 0 ? SK_LANG_EN : SK_LANG_JA;
}

#define COLS "id, kind, ref_type, ref_id, created_at, read_at"

sk_err sk_notify_list(sk_ctx *c, bool unread_only, int limit, json_t **out, sk_buf *err)
{
	*out = NULL;
	if (limit < 1 || limit > 500)
		return sk_fail_msg(err, SK_ERR_INVALID, "limit", NULL, SK_M_NOTIFY_LIMIT);
	sk_store *s = c->store;
	int64_t uid = c->actor ? c->actor->user_id : 0, unread = 0;
	sk_buf base = SK_BUF_INIT(LINK_MAX);
	struct list_ctx l = {.items = json_array(), .lang = ctx_lang(c)};
	sk_val p[] = {SK_VINT(uid), SK_VINT(limit)};
	sk_err e = l.items ? base_url(s, &base, err) : SK_ERR_NOMEM;
	if (!e)
		e = sk_store_query_int(
		    s, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL",
		    p, 1, &unread, err);
	l.base = base.data;
	if (!e)
		e = sk_store_query(s,
		                   unread_only
		                       ? "SELECT " COLS " FROM notifications WHERE user_id = ? "
		                         "AND read_at IS NULL ORDER BY id DESC LIMIT ?"
		                       : "SELECT " COLS " FROM notifications WHERE user_id = ? "
		                         "ORDER BY id DESC LIMIT ?",
		                   p, 2, list_cb, &l, err);
	sk_buf_free(&base);
	if (!e && !(*out = json_pack("{s:I, s:o}", "unread", (json_int_t)unread, "items", l.items)))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	if (e)
		json_decref(l.items);
	return e;
}

struct one_ctx {
	json_t *j;
	const char *base;
	sk_lang lang;
};

static sk_err one_cb(void *ctx, const sk_row *row, sk_buf *err)
{
	struct one_ctx *o = ctx;
	json_decref(o->j);
	if (!(o->j = item_json(row, o->base, o->lang)))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

static sk_err read_in_txn(sk_ctx *c, int64_t id, json_t **out, sk_buf *err)
{
	sk_store *s = c->store;
	/* The CLI operator and the system are no account and have no notifications. */
	if (!c->actor || !c->actor->user_id)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_NOTIFY_NONE,
		                   (long long)id);
	int64_t uid = c->actor->user_id;
	sk_buf base = SK_BUF_INIT(LINK_MAX);
	struct one_ctx before = {.lang = ctx_lang(c)}, after = {.lang = ctx_lang(c)};
	sk_val p[] = {SK_VINT(id), SK_VINT(uid)};
	sk_err e = base_url(s, &base, err);
	before.base = after.base = base.data;
	if (!e)
		e = sk_store_query(
		    s, "SELECT " COLS " FROM notifications WHERE id = ? AND user_id = ?", p, 2,
		    one_cb, &before, err);
	/* Another's notification is not there for this reader: the same answer as none. */
	if (!e && !before.j)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_NOTIFY_NONE, (long long)id);
	if (!e && json_is_null(json_object_get(before.j, "read_at"))) {
		sk_val pr[] = {SK_VINT(sk_clock_now()), SK_VINT(id), SK_VINT(uid)};
		if (!(e = sk_store_exec(s,
		                        "UPDATE notifications SET read_at = ? WHERE id = ? AND "
		                        "user_id = ? AND read_at IS NULL",
		                        pr, 3, NULL, err)) &&
		    !(e = sk_store_query(s,
		                         "SELECT " COLS " FROM notifications WHERE id = ? AND "
		                         "user_id = ?",
		                         p, 2, one_cb, &after, err)))
			e = sk_audit_change(
			    s, c->actor->login, c->actor->address, "notification.read",
			    json_pack("{s:O}", "read_at", json_object_get(before.j, "read_at")),
			    json_pack("{s:O}", "read_at", json_object_get(after.j, "read_at")), err,
			    "notification:%" PRId64, id);
	} else if (!e) {
		after.j = json_incref(before.j);
	}
	sk_buf_free(&base);
	json_decref(before.j);
	if (e) {
		json_decref(after.j);
		return e;
	}
	*out = after.j;
	return SK_OK;
}

sk_err sk_notify_read(sk_ctx *c, int64_t id, json_t **out, sk_buf *err)
{
	*out = NULL;
	sk_err e = sk_store_begin(c->store, err);
	if (e)
		return e;
	if ((e = read_in_txn(c, id, out, err))) {
		sk_store_rollback(c->store);
		return e;
	}
	if ((e = sk_store_commit(c->store, err))) {
		json_decref(*out);
		*out = NULL;
	}
	return e;
}

/* --- settings and the test --- */

static sk_err check_base_url(const char *url, sk_buf *err)
{
	size_t n = url ? strlen(url) : 0;
	size_t sch = n >= 8 && strncasecmp(url, "https://", 8) == 0  ? 8
	             : n >= 7 && strncasecmp(url, "http://", 7) == 0 ? 7
	                                                             : 0;
	bool ok = sch && n > sch && n < LINK_MAX - 64 && url[sch] != '/';
	for (size_t i = 0; ok && i < n; i++)
		ok = url[i] > 0x20 && url[i] < 0x7f && !strchr("\"<>\\^`{|}?#", url[i]);
	if (!ok)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_NOTIFY_BASE_URL,
		                   url ? url : "");
	return SK_OK;
}

sk_err sk_notify_set_base_url(sk_ctx *c, const char *url, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	sk_err e = check_base_url(url, err);
	if (e)
		return e;
	char trimmed[LINK_MAX];
	snprintf(trimmed, sizeof(trimmed), "%s", url);
	for (size_t n = strlen(trimmed); n > 0 && trimmed[n - 1] == '/'; n--)
		trimmed[n - 1] = '\0';
	sk_buf old = SK_BUF_INIT(LINK_MAX);
	if ((e = sk_store_begin(s, err)))
		goto out;
	if ((e = base_url(s, &old, err)))
		goto fail;
	if (strcmp(old.data ? old.data : "", trimmed) == 0) {
		e = sk_store_commit(s, err);
		goto out;
	}
	if ((e = sk_store_meta_set(s, "notify.base_url", trimmed, err)) ||
	    (e = sk_audit_change(s, actor->login, actor->address, "notify.configure",
	                         old.len ? json_pack("{s:s}", "base_url", old.data) : SK_AUDIT_NONE,
	                         json_pack("{s:s}", "base_url", trimmed), err,
	                         "meta:notify.base_url")))
		goto fail;
	e = sk_store_commit(s, err);
	goto out;
fail:
	sk_store_rollback(s);
out:
	sk_buf_free(&old);
	return e;
}

static sk_err uid_cb(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	*(int64_t *)ctx = sk_row_int(row, 0);
	return SK_OK;
}

sk_err sk_notify_test(sk_ctx *c, const char *login, int64_t *id_out, bool *mailed, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	int64_t uid = 0, nid = 0;
	bool m = false;
	sk_val p[] = {sk_vtext(login)};
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	if ((e = sk_store_query(s, "SELECT id FROM users WHERE login = ?", p, 1, uid_cb, &uid,
	                        err)))
		goto fail;
	if (!uid) {
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_ACCOUNT_UNKNOWN,
		                login ? login : "");
		goto fail;
	}
	if ((e = add_in_txn(s, uid, NULL, SK_NOTIFY_TEST, "user", uid, &nid, &m, err)) ||
	    (e = sk_audit_change(s, actor->login, actor->address, "notify.test", SK_AUDIT_NONE,
	                         json_pack("{s:s, s:I, s:b}", "to", login, "notification",
	                                   (json_int_t)nid, "mailed", m),
	                         err, "user:%s", login)))
		goto fail;
	if ((e = sk_store_commit(s, err)))
		return e;
	if (id_out)
		*id_out = nid;
	if (mailed)
		*mailed = m;
	return SK_OK;
fail:
	sk_store_rollback(s);
	return e;
}

/* --- the outbox --- */

void sk_notify_mail_free(sk_notify_mail *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++) {
		free(m[i].to);
		free(m[i].subject);
		free(m[i].body);
	}
	free(m);
}

/*
 * The mail of a notification, made when it is sent: the subject and the
 * body, Japanese first (the city's language), then English, in one
 * text/plain part; the title, the reference number and the link only.
 */
static sk_err render_mail(sk_notify_mail *m, const char *kind_name, const char *ref_type,
                          int64_t ref_id, const char *base, sk_buf *err)
{
	/* ref_type is one of refs (the table's CHECK); a kind this version does not know (a
	 * row written by a newer one) is sent under its name rather than held up forever. */
	int kind = kind_of(kind_name), ref = ref_of(ref_type);
	char refno[REF_MAX] = "", title_ja[TITLE_MAX], title_en[TITLE_MAX], link[LINK_MAX] = "";
	if (ref >= 0) {
		ref_number(ref, ref_id, refno);
		link_of(base, ref, ref_id, link);
	}
	if (kind >= 0) {
		title_of(kind, refno, SK_LANG_JA, title_ja);
		title_of(kind, refno, SK_LANG_EN, title_en);
	} else {
		snprintf(title_ja, sizeof(title_ja), "%s %s", kind_name, refno);
		snprintf(title_en, sizeof(title_en), "%s %s", kind_name, refno);
	}
	sk_buf subject = SK_BUF_INIT(1024), body = SK_BUF_INIT(8192);
	sk_err e = SK_OK;
	if (sk_buf_addf(&subject, "[sekisho] %s", title_ja) ||
	    sk_buf_addf(&body, sk_msg_format(SK_M_NOTIFY_MAIL_BODY, SK_LANG_JA), title_ja, refno,
	                link) ||
	    sk_buf_adds(&body, "\n-- \n\n") ||
	    sk_buf_addf(&body, sk_msg_format(SK_M_NOTIFY_MAIL_BODY, SK_LANG_EN), title_en, refno,
	                link) ||
	    !(m->subject = strdup(subject.data)) || !(m->body = strdup(body.data)))
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_NOTIFY_MAIL_TOO_BIG);
	sk_buf_free(&subject);
	sk_buf_free(&body);
	return e;
}

struct claim_ctx {
	sk_notify_mail *v;
	size_t n, cap;
	const char *base;
};

static sk_err claim_cb(void *ctx, const sk_row *row, sk_buf *err)
{
	/* id, mail_to, kind, ref_type, ref_id, mail_attempts, created_at */
	struct claim_ctx *cl = ctx;
	if (cl->n == cl->cap)
		return sk_fail_msg(err, SK_ERR_INTERNAL, NULL, NULL, SK_M_FAULT_INTERNAL,
		                   "more mails claimed than asked for");
	sk_notify_mail *m = &cl->v[cl->n];
	m->id = sk_row_int(row, 0);
	m->attempts = sk_row_int(row, 5);
	m->created_at = sk_row_int(row, 6);
	cl->n++;
	if (!(m->to = strdup(sk_row_text(row, 1))))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return render_mail(m, sk_row_text(row, 2), sk_row_text(row, 3), sk_row_int(row, 4),
	                   cl->base, err);
}

static int by_id(const void *a, const void *b)
{
	const sk_notify_mail *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

sk_err sk_notify_outbox_claim(sk_store *s, const char *token, int64_t now, int64_t lease,
                              bool ignore_schedule, int64_t after_id, size_t max,
                              sk_notify_mail **out, size_t *n, sk_buf *err)
{
	*out = NULL;
	*n = 0;
	if (max == 0)
		return SK_OK;
	struct claim_ctx cl = {.v = calloc(max, sizeof(sk_notify_mail)), .cap = max};
	if (!cl.v)
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	bool pg = strcmp(sk_store_backend(s), "postgresql") == 0;
	/*
	 * One statement claims: the materialized CTE picks candidates once (on
	 * PostgreSQL locking them and skipping rows another sender holds; a
	 * plain "IN (SELECT ... LIMIT ... SKIP LOCKED)" may be run again by the
	 * planner and claim more than asked), and the conditions are checked
	 * again on each row as it is updated, so a row another sender claimed
	 * in between is left alone. SQLite has one writer at a time.
	 */
	char sql[1024];
	snprintf(
	    sql, sizeof(sql),
	    "WITH c AS MATERIALIZED (SELECT id FROM notifications WHERE mail_to IS NOT NULL "
	    "AND mail_sent_at IS NULL AND id > ? AND (mail_next_at <= ? OR ? = 1) "
	    "AND (mail_claimed_until IS NULL OR mail_claimed_until <= ?) ORDER BY id LIMIT ?%s) "
	    "UPDATE notifications SET mail_claim = ?, mail_claimed_until = ? "
	    "WHERE id IN (SELECT id FROM c) AND mail_to IS NOT NULL AND mail_sent_at IS NULL "
	    "AND (mail_claimed_until IS NULL OR mail_claimed_until <= ?) "
	    "RETURNING id, mail_to, kind, ref_type, ref_id, mail_attempts, created_at",
	    pg ? " FOR UPDATE SKIP LOCKED" : "");
	sk_val p[] = {SK_VINT(after_id),    SK_VINT(now),          SK_VINT(ignore_schedule ? 1 : 0),
	              SK_VINT(now),         SK_VINT((int64_t)max), sk_vtext(token),
	              SK_VINT(now + lease), SK_VINT(now)};
	/* The link is made with the base URL as it is when the mail is sent. */
	sk_buf base = SK_BUF_INIT(LINK_MAX);
	sk_err e = sk_store_begin(s, err);
	if (!e) {
		e = base_url(s, &base, err);
		cl.base = base.data;
		if (!e)
			e = sk_store_query(s, sql, p, 8, claim_cb, &cl, err);
		if (e)
			sk_store_rollback(s);
		else
			e = sk_store_commit(s, err);
	}
	sk_buf_free(&base);
	if (e) {
		sk_notify_mail_free(cl.v, cl.n);
		return e;
	}
	if (cl.n == 0) { /* nothing claimed: nothing for the caller to free */
		free(cl.v);
		return SK_OK;
	}
	qsort(cl.v, cl.n, sizeof(*cl.v), by_id);
	*out = cl.v;
	*n = cl.n;
	return SK_OK;
}

sk_err sk_notify_outbox_sent(sk_store *s, int64_t id, const char *token, int64_t now, sk_buf *err)
{
	sk_val p[] = {SK_VINT(now), SK_VINT(id), sk_vtext(token)};
	int64_t changed = 0;
	sk_err e = sk_store_exec(s,
	                         "UPDATE notifications SET mail_sent_at = ?, mail_attempts = "
	                         "mail_attempts + 1, mail_error = NULL, mail_claim = NULL, "
	                         "mail_claimed_until = NULL WHERE id = ? AND mail_claim = ? AND "
	                         "mail_sent_at IS NULL",
	                         p, 3, &changed, err);
	if (!e && changed != 1)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_NOTIFY_NOT_CLAIMED,
		                (long long)id);
	return e;
}

sk_err sk_notify_outbox_failed(sk_store *s, int64_t id, const char *token, int64_t now,
                               int64_t retry_base, const char *why, sk_buf *err)
{
	int64_t attempts = 0;
	sk_val pa[] = {SK_VINT(id), sk_vtext(token)};
	sk_err e = sk_store_query_int(
	    s,
	    "SELECT mail_attempts FROM notifications WHERE id = ? AND mail_claim = ? AND "
	    "mail_sent_at IS NULL",
	    pa, 2, &attempts, err);
	if (e == SK_ERR_NOT_FOUND)
		return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_NOTIFY_NOT_CLAIMED,
		                   (long long)id);
	if (e)
		return e;
	int64_t delay = retry_base > 0 ? retry_base : 60;
	for (int64_t i = 0; i < attempts && delay < SK_NOTIFY_RETRY_MAX; i++)
		delay *= 2;
	if (delay > SK_NOTIFY_RETRY_MAX)
		delay = SK_NOTIFY_RETRY_MAX;
	char reason[512];
	snprintf(reason, sizeof(reason), "%s", why ? why : "");
	sk_val p[] = {sk_vtext(reason), SK_VINT(now + delay), SK_VINT(id), sk_vtext(token)};
	int64_t changed = 0;
	e = sk_store_exec(s,
	                  "UPDATE notifications SET mail_attempts = mail_attempts + 1, "
	                  "mail_error = ?, mail_next_at = ?, mail_claim = NULL, "
	                  "mail_claimed_until = NULL WHERE id = ? AND mail_claim = ? AND "
	                  "mail_sent_at IS NULL",
	                  p, 4, &changed, err);
	if (!e && changed != 1)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_NOTIFY_NOT_CLAIMED,
		                (long long)id);
	return e;
}
