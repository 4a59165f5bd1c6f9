/* user: accounts and their changes. */
#include "user.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../audit/audit.h"
#include "../auth/auth.h"
#include "../core/sk_clock.h"
#include "../core/sk_json.h"
#include "../core/sk_msg.h"
#include "../policy/policy.h"
#include "../report/wareki.h"
#include "authz.h"
#include "ctx.h"
#include "notify.h"
#include "org.h"
#include "role.h"
#include "text.h"

static const char *const kinds[] = {"staff", "contractor", "designated_manager"};

/* The account kind a unit's people are by default. */
static const char *default_kind(sk_org_kind k)
{
	switch (k) {
	case SK_ORG_CONTRACTOR:
		return "contractor";
	case SK_ORG_DESIGNATED_MANAGER:
		return "designated_manager";
	default:
		return "staff";
	}
}

static sk_err check_kind(const char *kind, sk_buf *err)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return SK_OK;
	return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_USER_KIND_UNKNOWN, kind);
}

/* Logins that name the system itself in the audit log. */
static const char *const reserved_logins[] = {"system", "root", "admin-cli"};

sk_err sk_user_check_login(const char *login, sk_buf *err)
{
	sk_err e = sk_text_check_ident("login", login, SK_LOGIN_MAX, 0, err);
	if (e)
		return e;
	for (size_t i = 0; i < sizeof(reserved_logins) / sizeof(reserved_logins[0]); i++)
		if (strcmp(login, reserved_logins[i]) == 0)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_USER_LOGIN_RESERVED, login);
	return SK_OK;
}

static sk_err check_unix_user(sk_ctx *c, const char *name, sk_buf *err);
static sk_err check_unix_user_free(sk_ctx *c, const char *name, int64_t self, sk_buf *err);

/* One account row as read for images and listings. */
struct urow {
	bool seen;
	int64_t id, unit_id, created_at, disabled_at, expires_at, last_login_at;
	int temporary;
	char login[SK_LOGIN_MAX + 1];
	char name[SK_USER_NAME_MAX + 1];
	char unit_code[SK_ORG_CODE_MAX + 1];
	char kind[24];
	char status[16];
	char email[SK_NOTIFY_ADDR_MAX + 1];   /* "" when the account has none */
	char unix_user[SK_USER_UNIX_MAX + 1]; /* "" when no Unix user is mapped to it */
};

#define USER_COLS                                                                                  \
	"u.id, u.login, u.name, u.unit_id, o.code, u.kind, u.status, u.password_temporary, "       \
	"u.created_at, COALESCE(u.disabled_at, 0), COALESCE(u.expires_at, 0), "                    \
	"COALESCE(u.last_login_at, 0), COALESCE(u.email, ''), COALESCE(u.unix_user, '')"
#define USER_FROM " FROM users u JOIN org_unit o ON o.id = u.unit_id "

static void read_urow(const sk_row *row, struct urow *u)
{
	memset(u, 0, sizeof(*u));
	u->seen = true;
	u->id = sk_row_int(row, 0);
	snprintf(u->login, sizeof(u->login), "%s", sk_row_text(row, 1));
	snprintf(u->name, sizeof(u->name), "%s", sk_row_text(row, 2));
	u->unit_id = sk_row_int(row, 3);
	snprintf(u->unit_code, sizeof(u->unit_code), "%s", sk_row_text(row, 4));
	snprintf(u->kind, sizeof(u->kind), "%s", sk_row_text(row, 5));
	snprintf(u->status, sizeof(u->status), "%s", sk_row_text(row, 6));
	u->temporary = sk_row_int(row, 7) != 0;
	u->created_at = sk_row_int(row, 8);
	u->disabled_at = sk_row_int(row, 9);
	u->expires_at = sk_row_int(row, 10);
	u->last_login_at = sk_row_int(row, 11);
	snprintf(u->email, sizeof(u->email), "%s", sk_row_text(row, 12));
	snprintf(u->unix_user, sizeof(u->unix_user), "%s", sk_row_text(row, 13));
}

static sk_err take_urow(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	read_urow(row, ctx);
	return SK_OK;
}

static sk_err get_urow(sk_store *s, const char *login, struct urow *u, sk_buf *err)
{
	u->seen = false;
	if (!login || !*login)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_USER_NO_LOGIN);
	sk_val p[] = {sk_vtext(login)};
	sk_err e = sk_store_query(s, "SELECT " USER_COLS USER_FROM "WHERE u.login = ?", p, 1,
	                          take_urow, u, err);
	if (e)
		return e;
	if (!u->seen)
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_USER_UNKNOWN, login);
	return SK_OK;
}

/* The account's image: everything but secrets and login bookkeeping. */
static json_t *urow_json(const struct urow *u)
{
	json_t *j = json_pack(
	    "{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:b, s:o, s:o, s:o}", "id", (json_int_t)u->id,
	    "login", u->login, "name", u->name, "unit", (json_int_t)u->unit_id, "unit_code",
	    u->unit_code, "kind", u->kind, "status", u->status, "password_temporary", u->temporary,
	    "created_at", sk_json_time(u->created_at), "disabled_at", sk_json_time(u->disabled_at),
	    "expires_at", sk_json_time(u->expires_at));
	/*
	 * The last day the account works, as the person gave it: expires_at is the
	 * midnight that ends that day, which reads as the next day.
	 */
	if (j && u->expires_at) {
		int y, m, d;
		char day[16];
		sk_clock_local_day(u->expires_at - 1, &y, &m, &d);
		snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
		json_object_set_new(j, "expires_on", json_string(day));
	}
	/* Only when set, so the images of accounts without one read as before addresses existed. */
	if (j && u->email[0] && json_object_set_new(j, "email", json_string(u->email))) {
		json_decref(j);
		return NULL;
	}
	if (j && u->unix_user[0] &&
	    json_object_set_new(j, "unix_user", json_string(u->unix_user))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static sk_err add_in_txn(sk_ctx *c, const sk_user_new *in, const char *hash, bool temporary,
                         int64_t *id_out, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	sk_org_unit unit;
	sk_err e;
	if ((e = sk_org_get(s, in->unit, &unit, err)))
		return e;
	const char *kind = in->kind ? in->kind : default_kind(unit.kind);
	if ((e = sk_authz_require_cap(c, SK_CAP_USER_ADMIN, unit.id, err)))
		return e;
	int64_t dup = 0;
	sk_val pl[] = {sk_vtext(in->login)};
	e = sk_store_query_int(s, "SELECT id FROM users WHERE login = ?", pl, 1, &dup, err);
	if (!e)
		return sk_fail_msg(err, SK_ERR_EXISTS, NULL, NULL, SK_M_USER_EXISTS, in->login);
	if (e != SK_ERR_NOT_FOUND)
		return e;

	int64_t now = sk_clock_now();
	struct urow u = {.seen = true,
	                 .unit_id = unit.id,
	                 .created_at = now,
	                 .expires_at = in->expires_at,
	                 .temporary = temporary};
	snprintf(u.login, sizeof(u.login), "%s", in->login);
	snprintf(u.name, sizeof(u.name), "%s", in->name);
	snprintf(u.unit_code, sizeof(u.unit_code), "%s", unit.code);
	snprintf(u.kind, sizeof(u.kind), "%s", kind);
	snprintf(u.status, sizeof(u.status), "active");
	snprintf(u.email, sizeof(u.email), "%s", in->email ? in->email : "");
	snprintf(u.unix_user, sizeof(u.unix_user), "%s", in->unix_user ? in->unix_user : "");
	sk_val p[] = {sk_vtext(u.login),
	              sk_vtext(u.name),
	              SK_VINT(unit.id),
	              sk_vtext(kind),
	              sk_vtext(hash),
	              SK_VINT(temporary),
	              SK_VINT(now),
	              SK_VINT(now),
	              in->expires_at ? SK_VINT(in->expires_at) : SK_VNULL,
	              u.email[0] ? sk_vtext(u.email) : SK_VNULL,
	              u.unix_user[0] ? sk_vtext(u.unix_user) : SK_VNULL};
	if (u.unix_user[0] && (e = check_unix_user_free(c, u.unix_user, 0, err)))
		return e;
	e = sk_store_query_int(s,
	                       "INSERT INTO users(login, name, unit_id, kind, status, "
	                       "password_hash, password_temporary, password_changed_at, "
	                       "created_at, expires_at, email, unix_user) "
	                       "VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                       p, 11, &u.id, err);
	if (e == SK_ERR_EXISTS)
		return sk_fail_msg(err, SK_ERR_EXISTS, NULL, NULL, SK_M_USER_EXISTS, in->login);
	if (e == SK_ERR_NOT_FOUND)
		return sk_fail_msg(err, SK_ERR_STORE, NULL, NULL, SK_M_FAULT_STORE,
		                   "the new account got no id");
	if (e)
		return e;
	sk_val ph[] = {SK_VINT(u.id), sk_vtext(hash), SK_VINT(now)};
	if ((e = sk_store_exec(s,
	                       "INSERT INTO password_history(user_id, password_hash, set_at) "
	                       "VALUES (?, ?, ?)",
	                       ph, 3, NULL, err)))
		return e;
	if ((e = sk_audit_change(s, actor->login, actor->address, "user.add", SK_AUDIT_NONE,
	                         urow_json(&u), err, "user:%s", u.login)))
		return e;
	for (size_t i = 0; i < in->nroles; i++)
		if ((e = sk_role_grant(c, in->login, in->roles[i], unit.code, err)))
			return e;
	if (id_out)
		*id_out = u.id;
	return SK_OK;
}

/* Holders of a privileged role (sk_role_is_privileged) follow the privileged-ID password rules. */
static sk_account_kind password_kind(const sk_user_new *in)
{
	for (size_t i = 0; i < in->nroles; i++) {
		sk_role r;
		if (sk_role_parse(in->roles[i], &r) == SK_OK && sk_role_is_privileged(r))
			return SK_KIND_PRIVILEGED;
	}
	return SK_KIND_NORMAL;
}

/*
 * A chosen password must meet the installation's profile (length,
 * composition) and the floor under every profile (the common-password
 * list, the login); the policy module owns the rules.
 */
static sk_err check_password(sk_ctx *c, const sk_user_new *in, sk_buf *err)
{
	const sk_policy *p = NULL;
	sk_pw_verdict bad = {0};
	sk_err e = sk_ctx_policy(c, &p, err);
	if (!e && !p)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_USER_NO_PROFILE);
	/*
	 * A new account has no code enrolled and no zone yet: it has a second
	 * factor only where the profile requires one for its kind everywhere.
	 */
	sk_pw_subject who = {.kind = password_kind(in), .login = in->login};
	if (!e) {
		who.mfa = sk_policy_mfa_required(p, who.kind, SK_ZONE_NONE);
		e = sk_policy_password_verdict(p, &who, in->password, in->password_len, &bad, err);
	}
	if (!e && (bad.profile || bad.floor)) {
		sk_buf why = SK_BUF_INIT(1024);
		sk_policy_password_explain(p, &bad, &why);
		sk_fail_texts(err, SK_ERR_INVALID, NULL, why.data, why.ja);
		e = sk_fail_wrap(err, SK_ERR_INVALID, NULL, NULL, SK_M_USER_PASSWORD_BAD,
		                 in->login);
		sk_buf_free(&why);
	}
	return e;
}

sk_err sk_user_add(sk_ctx *c, const sk_user_new *in, int64_t *id_out,
                   char temp_out[SK_PASSWORD_TEMP_MAX], sk_buf *err)
{
	sk_store *s = c->store;
	temp_out[0] = '\0';
	sk_err e;
	const sk_role_info *r;
	if ((e = sk_user_check_login(in->login, err)) ||
	    (e = sk_text_check_name("name", in->name, SK_USER_NAME_MAX, err)) ||
	    (in->kind && (e = check_kind(in->kind, err))) ||
	    (in->email && *in->email && (e = sk_notify_addr_check(in->email, "email", err))) ||
	    (in->unix_user && *in->unix_user && (e = check_unix_user(c, in->unix_user, err))))
		return e;
	if (!in->unit || !*in->unit)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_USER_NEEDS_UNIT,
		                   in->login);
	if (in->nroles == 0)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_USER_NEEDS_ROLE,
		                   in->login);
	if (in->nroles > SK_USER_ROLES_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_USER_TOO_MANY_ROLES,
		                   SK_USER_ROLES_MAX);
	for (size_t i = 0; i < in->nroles; i++)
		if ((e = sk_role_lookup(in->roles[i], &r, err)))
			return e;
	if (in->expires_at && in->expires_at <= sk_clock_now())
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_USER_EXPIRED, in->login);

	/* Hash before the transaction: argon2 takes a while and must not hold the write lock. */
	char hash[SK_PASSWORD_HASH_MAX];
	bool temporary = in->password == NULL;
	if (temporary) {
		sk_password_generate(temp_out);
		e = sk_password_hash(temp_out, strlen(temp_out), hash, err);
	} else if (!(e = check_password(c, in, err))) {
		e = sk_password_hash(in->password, in->password_len, hash, err);
	}
	if (!e && !(e = sk_store_begin(s, err))) {
		e = add_in_txn(c, in, hash, temporary, id_out, err);
		e = sk_store_end(s, e, err);
	}
	sodium_memzero(hash, sizeof(hash));
	if (e)
		sodium_memzero(temp_out, SK_PASSWORD_TEMP_MAX);
	return e;
}

/*
 * What one change to an account does between reading its row and recording
 * it: checks the change against before and writes it, giving after (a copy of
 * before) its new values and *kind the audit kind; *kind left NULL means the
 * account already reads so and nothing is written.
 */
typedef sk_err (*user_change)(sk_ctx *c, const struct urow *before, struct urow *after,
                              const void *arg, const char **kind, sk_buf *err);

/*
 * Every single-account change (enable or disable, e-mail address, Unix user)
 * runs in this frame, so each is one transaction with its audit entry and
 * the read, the rollback and the before/after images are written once.
 */
static sk_err change_user(sk_ctx *c, const char *login, user_change change, const void *arg,
                          sk_buf *err)
{
	sk_store *s = c->store;
	struct urow before = {0}, after;
	const char *kind = NULL;
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	if (!(e = get_urow(s, login, &before, err))) {
		after = before;
		e = change(c, &before, &after, arg, &kind, err);
	}
	if (!e && kind)
		e = sk_audit_change(s, c->actor->login, c->actor->address, kind, urow_json(&before),
		                    urow_json(&after), err, "user:%s", after.login);
	return sk_store_end(s, e, err);
}

static sk_err set_active_change(sk_ctx *c, const struct urow *before, struct urow *after,
                                const void *arg, const char **kind, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	const bool active = *(const bool *)arg;
	const char *login = before->login;
	sk_err e;
	if ((e = sk_authz_require_cap(c, SK_CAP_USER_ADMIN, before->unit_id, err)))
		return e;
	/* As with roles: an account disables or enables only accounts below its own rank. */
	if (!actor->superuser) {
		int mine = 0, theirs = 0;
		if ((e = sk_role_top_rank(s, actor->user_id, &mine, err)) ||
		    (e = sk_role_top_rank(s, before->id, &theirs, err)))
			return e;
		if (actor->user_id == before->id || theirs >= mine)
			return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL,
			                   active ? SK_M_USER_RANK_ENABLE : SK_M_USER_RANK_DISABLE,
			                   login);
	}
	bool is_active = strcmp(before->status, "active") == 0;
	if (is_active == active)
		return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL,
		                   active ? SK_M_USER_ACTIVE_ALREADY : SK_M_USER_DISABLED_ALREADY,
		                   login);
	if (!active) {
		int64_t holders = 0, held = 0;
		sk_val pu[] = {SK_VINT(before->id)};
		if ((e = sk_role_count_active(s, "ciso", &holders, err)) ||
		    (e = sk_store_query_int(s,
		                            "SELECT COUNT(*) FROM role_assignment "
		                            "WHERE user_id = ? AND role = 'ciso'",
		                            pu, 1, &held, err)))
			return e;
		if (held && holders == 1)
			return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_USER_LAST_CISO,
			                   login);
	}
	snprintf(after->status, sizeof(after->status), "%s", active ? "active" : "disabled");
	after->disabled_at = active ? 0 : sk_clock_now();
	sk_val p[] = {sk_vtext(after->status),
	              after->disabled_at ? SK_VINT(after->disabled_at) : SK_VNULL,
	              SK_VINT(before->id)};
	if ((e = sk_store_exec(s, "UPDATE users SET status = ?, disabled_at = ? WHERE id = ?", p, 3,
	                       NULL, err)))
		return e;
	/* A disabled account's sessions end with the change, not at their next use. */
	if (!active && (e = sk_auth_end_sessions(s, before->id, "disabled", NULL, err)))
		return e;
	*kind = active ? "user.enable" : "user.disable";
	return SK_OK;
}

sk_err sk_user_set_active(sk_ctx *c, const char *login, bool active, sk_buf *err)
{
	return change_user(c, login, set_active_change, &active, err);
}

sk_err sk_user_check_unix_user(const char *name, sk_buf *err)
{
	/* POSIX's portable user names, as useradd takes them by default. */
	size_t n = strlen(name);
	bool ok =
	    n >= 1 && n <= SK_USER_UNIX_MAX && (islower((unsigned char)name[0]) || name[0] == '_');
	for (size_t i = 1; ok && i < n; i++)
		ok = islower((unsigned char)name[i]) || isdigit((unsigned char)name[i]) ||
		     strchr("._-", name[i]) || (name[i] == '$' && i == n - 1);
	return ok ? SK_OK
	          : sk_fail_msg(err, SK_ERR_INVALID, "unix_user", "Unixユーザー名",
	                        SK_M_USER_BAD_UNIX_USER, name);
}

/*
 * Mapping a Unix user to an account lets whoever logs in as it act as the
 * account without a password: only the installation's operator says so.
 */
static sk_err check_unix_user(sk_ctx *c, const char *name, sk_buf *err)
{
	if (!c->actor->superuser)
		return sk_fail_msg(err, SK_ERR_DENIED, "unix_user", "Unixユーザー名",
		                   SK_M_USER_UNIX_USER_OPERATOR);
	return sk_user_check_unix_user(name, err);
}

/* A Unix user acts as one account at most: another account holding name is a conflict. */
static sk_err check_unix_user_free(sk_ctx *c, const char *name, int64_t self, sk_buf *err)
{
	sk_val p[] = {sk_vtext(name), SK_VINT(self)};
	int64_t n = 0;
	sk_err e = sk_store_query_int(
	    c->store, "SELECT COUNT(*) FROM users WHERE unix_user = ? AND id <> ?", p, 2, &n, err);
	if (e)
		return e;
	return n ? sk_fail_msg(err, SK_ERR_EXISTS, "unix_user", "Unixユーザー名",
	                       SK_M_USER_UNIX_USER_TAKEN, name)
	         : SK_OK;
}

static sk_err set_unix_change(sk_ctx *c, const struct urow *before, struct urow *after,
                              const void *arg, const char **kind, sk_buf *err)
{
	const char *name = arg;
	snprintf(after->unix_user, sizeof(after->unix_user), "%s", name ? name : "");
	if (strcmp(before->unix_user, after->unix_user) == 0)
		return SK_OK;
	sk_err e;
	if (after->unix_user[0] && (e = check_unix_user_free(c, after->unix_user, before->id, err)))
		return e;
	sk_val p[] = {after->unix_user[0] ? sk_vtext(after->unix_user) : SK_VNULL,
	              SK_VINT(before->id)};
	if ((e = sk_store_exec(c->store, "UPDATE users SET unix_user = ? WHERE id = ?", p, 2, NULL,
	                       err)))
		return e;
	*kind = "user.unix_user";
	return SK_OK;
}

sk_err sk_user_set_unix_user(sk_ctx *c, const char *login, const char *name, sk_buf *err)
{
	sk_err e;
	if (!c->actor->superuser)
		return sk_fail_msg(err, SK_ERR_DENIED, "unix_user", "Unixユーザー名",
		                   SK_M_USER_UNIX_USER_OPERATOR);
	if (name && *name && (e = sk_user_check_unix_user(name, err)))
		return e;
	return change_user(c, login, set_unix_change, name, err);
}

static sk_err set_email_change(sk_ctx *c, const struct urow *before, struct urow *after,
                               const void *arg, const char **kind, sk_buf *err)
{
	const char *email = arg;
	sk_err e;
	/* One's own address is one's own to keep right; anyone else's needs user.admin there. */
	if (c->actor->user_id != before->id &&
	    (e = sk_authz_require_cap(c, SK_CAP_USER_ADMIN, before->unit_id, err)))
		return e;
	snprintf(after->email, sizeof(after->email), "%s", email ? email : "");
	if (strcmp(before->email, after->email) == 0)
		return SK_OK;
	sk_val p[] = {after->email[0] ? sk_vtext(after->email) : SK_VNULL, SK_VINT(before->id)};
	if ((e = sk_store_exec(c->store, "UPDATE users SET email = ? WHERE id = ?", p, 2, NULL,
	                       err)))
		return e;
	*kind = "user.email";
	return SK_OK;
}

sk_err sk_user_set_email(sk_ctx *c, const char *login, const char *email, sk_buf *err)
{
	sk_err e;
	if (email && *email && (e = sk_notify_addr_check(email, "email", err)))
		return e;
	return change_user(c, login, set_email_change, email, err);
}

struct role_rows {
	json_t *arr;
	const sk_policy *pol; /* the city's titles (NULL: the national guideline's) */
};

static sk_err role_row(void *ctx, const sk_row *row, sk_buf *err)
{
	struct role_rows *rr = ctx;
	const sk_role_info *r = sk_role_find(sk_row_text(row, 0));
	json_t *j = json_pack("{s:s, s:s, s:I, s:s}", "role", sk_row_text(row, 0), "title",
	                      r ? sk_policy_role_title(rr->pol, r->role, SK_LANG_JA) : "", "unit",
	                      (json_int_t)sk_row_int(row, 1), "unit_code", sk_row_text(row, 2));
	if (!j || json_array_append_new(rr->arr, j))
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	return SK_OK;
}

static sk_err full_json(sk_store *s, const sk_policy *pol, const struct urow *u, json_t **out,
                        sk_buf *err)
{
	json_t *j = urow_json(u);
	json_t *roles = json_array();
	if (!j || !roles ||
	    json_object_set_new(j, "last_login_at", sk_json_time(u->last_login_at)) ||
	    json_object_set(j, "roles", roles)) {
		json_decref(j);
		json_decref(roles);
		return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	sk_val p[] = {SK_VINT(u->id)};
	sk_err e = sk_store_query(s,
	                          "SELECT r.role, o.id, o.code FROM role_assignment r "
	                          "JOIN org_unit o ON o.id = r.unit_id WHERE r.user_id = ? "
	                          "ORDER BY r.role, o.code",
	                          p, 1, role_row, &(struct role_rows){roles, pol}, err);
	json_decref(roles);
	if (e) {
		json_decref(j);
		return e;
	}
	*out = j;
	return SK_OK;
}

sk_err sk_user_show(sk_ctx *c, const char *login, json_t **out, sk_buf *err)
{
	*out = NULL;
	struct urow u = {0};
	sk_err e = get_urow(c->store, login, &u, err);
	if (e)
		return e;
	/* Out of scope is as if it did not exist; an account always sees itself. */
	const sk_scope *sc;
	if ((e = sk_ctx_scope(c, &sc, err)))
		return e;
	if (u.id != c->actor->user_id && !sk_authz_can(c, SK_CAP_USER_READ, u.unit_id))
		return sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_USER_UNKNOWN, login);
	const sk_policy *pol = NULL;
	if ((e = sk_ctx_policy(c, &pol, err)))
		return e;
	return full_json(c->store, pol, &u, out, err);
}

sk_err sk_user_show_own(sk_store *s, const sk_policy *pol, const char *login, json_t **out,
                        sk_buf *err)
{
	*out = NULL;
	struct urow u = {0};
	sk_err e = get_urow(s, login, &u, err);
	return e ? e : full_json(s, pol, &u, out, err);
}

struct collect {
	struct urow *rows;
	size_t n, cap;
};

static sk_err collect_row(void *ctx, const sk_row *row, sk_buf *err)
{
	struct collect *c = ctx;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct urow *r = realloc(c->rows, cap * sizeof(*r));
		if (!r)
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
		c->rows = r;
		c->cap = cap;
	}
	read_urow(row, &c->rows[c->n++]);
	return SK_OK;
}

sk_err sk_user_list(sk_ctx *c, const char *unit, const char *role, json_t **out, sk_buf *err)
{
	*out = NULL;
	sk_store *s = c->store;
	const sk_scope *sc;
	sk_err e = sk_ctx_scope(c, &sc, err);
	if (e)
		return e;
	sk_org_unit ou = {0};
	const sk_role_info *r = NULL;
	if (unit && (e = sk_org_get(s, unit, &ou, err)))
		return e;
	if (role && (e = sk_role_lookup(role, &r, err)))
		return e;
	sk_val p[] = {unit ? SK_VINT(ou.id) : SK_VNULL, unit ? SK_VINT(ou.id) : SK_VNULL,
	              r ? sk_vtext(r->name) : SK_VNULL, r ? sk_vtext(r->name) : SK_VNULL};
	const sk_policy *pol = NULL;
	if ((e = sk_ctx_policy(c, &pol, err)))
		return e;
	struct collect rows = {NULL, 0, 0};
	e = sk_store_query(s,
	                   "SELECT " USER_COLS USER_FROM
	                   "WHERE (CAST(? AS BIGINT) IS NULL OR u.unit_id = ?) "
	                   "AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM "
	                   "role_assignment ra WHERE ra.user_id = u.id AND ra.role = ?)) "
	                   "ORDER BY u.login",
	                   p, 4, collect_row, &rows, err);
	json_t *arr = e ? NULL : json_array();
	if (!e && !arr)
		e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	for (size_t i = 0; !e && i < rows.n; i++) {
		json_t *j = NULL;
		if (!sk_authz_can(c, SK_CAP_USER_READ, rows.rows[i].unit_id))
			continue;
		e = full_json(s, pol, &rows.rows[i], &j, err);
		if (!e && json_array_append_new(arr, j))
			e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	free(rows.rows);
	if (e) {
		json_decref(arr);
		return e;
	}
	*out = arr;
	return SK_OK;
}

struct unused_filter {
	sk_ctx *c;
	json_t *out;
};

sk_err sk_user_unused(sk_ctx *c, int days, json_t **out, sk_buf *err)
{
	*out = NULL;
	json_t *all = NULL;
	const sk_scope *sc;
	sk_err e = sk_ctx_scope(c, &sc, err);
	if (!e)
		e = sk_auth_unused(c->store, days, &all, err);
	if (e || sk_authz_everywhere(c, SK_CAP_USER_READ)) {
		*out = all;
		return e;
	}
	json_t *arr = json_array();
	size_t i;
	json_t *u;
	json_array_foreach (all, i, u) {
		sk_org_unit ou;
		const char *code = json_string_value(json_object_get(u, "unit_code"));
		if ((e = sk_org_get(c->store, code, &ou, err)))
			break;
		if (sk_authz_can(c, SK_CAP_USER_READ, ou.id) && json_array_append(arr, u)) {
			e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
			break;
		}
	}
	json_decref(all);
	if (e)
		json_decref(arr);
	else
		*out = arr;
	return e;
}

sk_err sk_user_parse_expiry(const char *text, int64_t *out, sk_buf *err)
{
	if (!text || !*text)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_DATE_EMPTY);
	/* A day in any form a ledger writes it (2027-03-31, 令和9年3月31日, R9.3.31). */
	sk_date d;
	if (strlen(text) <= SK_WAREKI_MAX_INPUT &&
	    sk_wareki_parse(text, strlen(text), &d, NULL) == SK_OK) {
		/* The account works through that day: it ends at the next midnight, local time. */
		*out = sk_clock_local_day_start(d.y, d.m, d.d) + 86400;
		return SK_OK;
	}
	int64_t us = 0;
	if (strlen(text) > 64 || sk_clock_parse_us(text, &us) != SK_OK)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_DATE_BAD, text);
	*out = us / 1000000;
	return SK_OK;
}
