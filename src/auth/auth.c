/*
 * auth: logins, lockout, sessions, CSRF tokens, password changes, unlock,
 * TOTP enrollment, the unused-accounts report and the privileged-holders
 * rule (SPEC C3). See auth.h for the contract.
 */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_json.h"
#include "../domain/authz.h"
#include "../domain/ctx.h"
#include "../domain/notify.h"
#include "../core/sk_log.h"
#include "../core/sk_msg.h"
#include "../domain/role.h"
#include "phantom.h"
#include "throttle.h"

/* A session's last-seen time is rewritten only when it is older than this (seconds). */
#define SEEN_GRANULARITY 30
/* The most accounts' passwords the history check verifies (argon2id each). */
#define HISTORY_MAX 24
/* Room for a sealed TOTP secret (hex of nonce, MAC and up to 64 bytes). */
#define SEALED_MAX 512

/* What a refused login says (the catalog's): the same for a wrong login, password or state. */
static const sk_msg_id msg_wrong = SK_M_AUTH_WRONG_LOGIN_PASSWORD;
static const sk_msg_id msg_code = SK_M_AUTH_CODE_NEEDED;

/* --- small helpers --- */

static sk_err load_policy(sk_store *s, const sk_policy *given, const sk_policy **use,
                          sk_policy **owned, sk_buf *err)
{
	*owned = NULL;
	*use = given;
	if (given)
		return SK_OK;
	sk_err e = sk_ctx_load_installation_profile(s, owned, err);
	if (!e && !*owned)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL,
		                SK_M_AUTH_DATABASE_RECORDS_POLICY_PROFILE);
	*use = *owned;
	return e;
}

/* Audit strings must be UTF-8 without control characters; an address is short printable ASCII. */
static sk_err check_address(const char *address, sk_buf *err)
{
	if (!address || !*address)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUTH_CLIENT_ADDRESS_GIVEN);
	size_t n = strlen(address);
	if (n >= SK_AUTH_ADDR_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUTH_CLIENT_ADDRESS_LONGER_BYTES, SK_AUTH_ADDR_MAX - 1);
	for (size_t i = 0; i < n; i++)
		if (address[i] <= ' ' || address[i] > '~')
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_AUTH_CLIENT_ADDRESS_HOLDS_CHARACTER);
	return SK_OK;
}

static sk_err audit(sk_store *s, const char *actor, const char *address, const char *action,
                    const char *login, json_t *after, sk_buf *err)
{
	return sk_audit_change(s, actor, address, action, SK_AUDIT_NONE, after, err, "user:%s",
	                       login ? login : "?");
}

/* --- account rows --- */

struct urec {
	bool found;
	int64_t id, unit_id, temporary, changed_at, created_at, expires_at, last_login_at;
	int64_t failed, locked_until, lockouts, totp_last_step;
	sk_account_kind kind;
	/* It holds a role that needs a one-time code whatever the profile says
	 * (SK_MFA_FLOOR_ROLES_SQL).
	 */
	bool mfa_floor;
	char login[SK_LOGIN_MAX + 1];
	char status[16];
	char zone[16];
	char hash[SK_PASSWORD_HASH_MAX];
	char last_addr[SK_AUTH_ADDR_MAX];
	char totp[SEALED_MAX];
};

/*
 * The columns urec_row reads, from users aliased u; the last one makes the
 * account's kind part of the same query (privileged: it holds one of the
 * privileged roles, sk_role_is_privileged).
 */
#define UREC_COLS                                                                                  \
	"u.id, u.unit_id, u.password_temporary, u.password_changed_at, u.created_at, "             \
	"u.expires_at, u.last_login_at, u.failed_logins, u.locked_until, u.lockouts, "             \
	"u.totp_last_step, u.login, u.status, u.zone, u.password_hash, u.last_login_addr, "        \
	"u.totp_secret, (SELECT COUNT(*) FROM role_assignment ra WHERE ra.user_id = u.id AND "     \
	"ra.role IN (" SK_PRIVILEGED_ROLES_SQL ")), "                                              \
	"(SELECT COUNT(*) FROM role_assignment ra WHERE ra.user_id = u.id AND "                    \
	"ra.role IN (" SK_MFA_FLOOR_ROLES_SQL "))"
#define UREC_NCOLS 19

static sk_err urec_row(void *ctx, const sk_row *r, sk_buf *err)
{
	(void)err;
	struct urec *u = ctx;
	u->found = true;
	int64_t *ints[] = {&u->id,           &u->unit_id,    &u->temporary,     &u->changed_at,
	                   &u->created_at,   &u->expires_at, &u->last_login_at, &u->failed,
	                   &u->locked_until, &u->lockouts,   &u->totp_last_step};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		*ints[i] = sk_row_int(r, i);
	(void)snprintf(u->login, sizeof(u->login), "%s", sk_row_text(r, 11));
	(void)snprintf(u->status, sizeof(u->status), "%s", sk_row_text(r, 12));
	(void)snprintf(u->zone, sizeof(u->zone), "%s", sk_row_text(r, 13));
	(void)snprintf(u->hash, sizeof(u->hash), "%s", sk_row_text(r, 14));
	(void)snprintf(u->last_addr, sizeof(u->last_addr), "%s", sk_row_text(r, 15));
	(void)snprintf(u->totp, sizeof(u->totp), "%s", sk_row_text(r, 16));
	u->kind = sk_row_int(r, 17) > 0 ? SK_KIND_PRIVILEGED : SK_KIND_NORMAL;
	u->mfa_floor = sk_row_int(r, 18) > 0;
	return SK_OK;
}

static sk_err urec_by_login(sk_store *s, const char *login, struct urec *u, sk_buf *err)
{
	memset(u, 0, sizeof(*u));
	sk_val p[] = {sk_vtext(login)};
	return sk_store_query(s, "SELECT " UREC_COLS " FROM users u WHERE u.login = ?", p, 1,
	                      urec_row, u, err);
}

static sk_err urec_by_id(sk_store *s, int64_t id, struct urec *u, sk_buf *err)
{
	memset(u, 0, sizeof(*u));
	sk_val p[] = {SK_VINT(id)};
	return sk_store_query(s, "SELECT " UREC_COLS " FROM users u WHERE u.id = ?", p, 1, urec_row,
	                      u, err);
}

static void urec_wipe(struct urec *u) { sodium_memzero(u, sizeof(*u)); }

static bool rotation_due(const sk_password_rules *r, const struct urec *u, int64_t now)
{
	int64_t since = u->changed_at ? u->changed_at : u->created_at;
	return r->rotation_days > 0 && now - since >= (int64_t)r->rotation_days * 86400;
}

/* --- lockout --- */

static int lockout_threshold(const sk_password_rules *r)
{
	return r->lockout_threshold > 0 ? r->lockout_threshold : SK_AUTH_DEFAULT_LOCKOUT_THRESHOLD;
}

/* When the nth lockout in a row (n >= 1) that starts at now ends. */
static int64_t lockout_until(const sk_password_rules *r, int64_t n, int64_t now)
{
	if (r->lockout_threshold > 0 && r->lockout_minutes == 0)
		return SK_AUTH_LOCKED_FOREVER;
	int64_t minutes =
	    r->lockout_threshold > 0 ? r->lockout_minutes : SK_AUTH_DEFAULT_LOCKOUT_MINUTES;
	for (int64_t i = 1; i < n && minutes < SK_AUTH_MAX_LOCKOUT_MINUTES; i++)
		minutes *= 2;
	if (minutes > SK_AUTH_MAX_LOCKOUT_MINUTES)
		minutes = SK_AUTH_MAX_LOCKOUT_MINUTES;
	return now + minutes * 60;
}

static sk_err locked_message(sk_buf *err, int64_t until)
{
	if (until >= SK_AUTH_LOCKED_FOREVER)
		return sk_fail_msg(err, SK_ERR_LOCKED, NULL, NULL,
		                   SK_M_AUTH_ACCOUNT_LOCKED_UNTIL_ADMINISTRATOR);
	char at[SK_TIME_STR_MAX];
	sk_clock_format_local(until, at);
	return sk_fail_msg(err, SK_ERR_LOCKED, NULL, NULL, SK_M_AUTH_ACCOUNT_LOCKED_UNTIL, at);
}

struct counts {
	int64_t failed, lockouts;
};

static sk_err counts_row(void *ctx, const sk_row *r, sk_buf *err)
{
	(void)err;
	struct counts *c = ctx;
	c->failed = sk_row_int(r, 0);
	c->lockouts = sk_row_int(r, 1);
	return SK_OK;
}

/*
 * Counts one failed attempt (its own transaction) and locks the account
 * when the threshold is reached. Returns SK_ERR_AUTH with msg, or
 * SK_ERR_LOCKED when this attempt locked the account.
 */
static sk_err record_failure(sk_store *s, const sk_password_rules *r, const struct urec *u,
                             const char *address, const char *action, const char *reason,
                             sk_msg_id msg, sk_buf *err)
{
	int64_t now = sk_clock_now();
	struct counts c = {0};
	int64_t until = 0;
	sk_val id[] = {SK_VINT(u->id)};
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	e = sk_store_exec(s, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?", id,
	                  1, NULL, err);
	if (!e)
		e = sk_store_query(s, "SELECT failed_logins, lockouts FROM users WHERE id = ?", id,
		                   1, counts_row, &c, err);
	if (!e)
		e = audit(s, u->login, address, action, u->login,
		          json_pack("{s:s, s:I}", "reason", reason, "failed_logins",
		                    (json_int_t)c.failed),
		          err);
	if (!e && c.failed >= lockout_threshold(r)) {
		until = lockout_until(r, c.lockouts + 1, now);
		sk_val p[] = {SK_VINT(until), SK_VINT(u->id)};
		e = sk_store_exec(s,
		                  "UPDATE users SET failed_logins = 0, lockouts = lockouts + 1, "
		                  "locked_until = ? WHERE id = ?",
		                  p, 2, NULL, err);
		if (!e)
			/* Addressed to the holder: the record the in-app notice is made from. */
			e = audit(s, "system", address, "auth.locked", u->login,
			          json_pack("{s:s, s:I, s:o, s:I}", "notify", u->login, "lockout",
			                    (json_int_t)c.lockouts + 1, "locked_until",
			                    until >= SK_AUTH_LOCKED_FOREVER ? json_null()
			                                                    : sk_json_time(until),
			                    "failed_logins", (json_int_t)c.failed),
			          err);
		if (!e) {
			/* The holder is told, in the lock's transaction (issue #12, finding 6). */
			sk_ctx nc;
			sk_ctx_init(&nc, s, NULL, sk_actor_cli());
			e = sk_notify_add(&nc, u->id, SK_NOTIFY_ACCOUNT_LOCKED, "user", u->id, NULL,
			                  err);
			sk_ctx_fini(&nc);
		}
	}
	if ((e = sk_store_end(s, e, err)))
		return e;
	return until ? locked_message(err, until) : sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, msg);
}

/* A failure that does not count towards lockout (unknown login, disabled, locked, no code). */
static sk_err record_refusal(sk_store *s, const char *login, const char *address,
                             const char *reason, sk_err code, sk_msg_id msg, sk_buf *err)
{
	sk_err e = audit(s, login ? login : "anonymous", address, "auth.login_failed", login,
	                 json_pack("{s:s}", "reason", reason), err);
	if (e)
		return e;
	return sk_fail_msg(err, code, NULL, NULL, msg);
}

/* --- tokens --- */

static void token_hash(const char *token, char hex[SK_HASH_HEX_LEN + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hex, SK_HASH_HEX_LEN + 1, h, sizeof(h));
}

static bool token_well_formed(const char *t)
{
	if (!t || strlen(t) != SK_AUTH_TOKEN_LEN)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	return true;
}

/* The CSRF token of a session: keyed BLAKE2b of a fixed label under the session token. */
static void csrf_derive(const char *token, char out[SK_AUTH_CSRF_MAX])
{
	static const char label[] = "sekisho-csrf/1";
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)label, sizeof(label) - 1,
	                   (const unsigned char *)token, strlen(token));
	sodium_bin2base64(out, SK_AUTH_CSRF_MAX, h, sizeof(h),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(h, sizeof(h));
}

static void timeouts(const sk_password_rules *r, sk_account_kind kind, int64_t *idle,
                     int64_t *absolute)
{
	*idle = 60 * (int64_t)(r->session_idle_minutes > 0 ? r->session_idle_minutes
	                                                   : SK_AUTH_DEFAULT_IDLE_MINUTES);
	*absolute =
	    60 * (int64_t)(r->session_absolute_minutes > 0 ? r->session_absolute_minutes
	                                                   : SK_AUTH_DEFAULT_ABSOLUTE_MINUTES);
	/* Privileged sessions are always limited (SPEC C3), by the profile or by the default. */
	int64_t privileged =
	    60 * (int64_t)(r->max_connection_minutes > 0 ? r->max_connection_minutes
	                                                 : SK_AUTH_DEFAULT_PRIVILEGED_MINUTES);
	if (kind == SK_KIND_PRIVILEGED && privileged < *absolute)
		*absolute = privileged;
}

static void principal_fill(sk_auth_principal *p, int64_t session_id, int64_t created_at,
                           const struct urec *u, sk_account_kind kind, const sk_password_rules *r,
                           const char *token, int64_t now)
{
	int64_t absolute = 0;
	p->session_id = session_id;
	p->user_id = u->id;
	(void)snprintf(p->login, sizeof(p->login), "%s", u->login);
	p->kind = kind;
	p->must_change_password = u->temporary != 0;
	p->must_enroll_totp = u->mfa_floor && u->totp[0] == '\0';
	p->password_rotation_due = rotation_due(r, u, now);
	p->created_at = created_at;
	timeouts(r, kind, &p->idle_seconds, &absolute);
	p->expires_at = created_at + absolute;
	if (u->expires_at && u->expires_at < p->expires_at)
		p->expires_at = u->expires_at;
	csrf_derive(token, p->csrf_token);
}

/* Stores a new session for u (inside the caller's transaction) and fills out. */
static sk_err session_new(sk_store *s, const struct urec *u, sk_account_kind kind,
                          const sk_password_rules *r, const char *address, sk_auth_session *out,
                          sk_buf *err)
{
	unsigned char raw[32];
	char hex[SK_HASH_HEX_LEN + 1];
	int64_t now = sk_clock_now(), id = 0;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out->token, sizeof(out->token), raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	token_hash(out->token, hex);
	sk_val p[] = {sk_vtext(hex), SK_VINT(u->id), SK_VINT(now), SK_VINT(now), sk_vtext(address)};
	sk_err e = sk_store_query_int(s,
	                              "INSERT INTO sessions(token_hash, user_id, created_at, "
	                              "last_seen_at, address) VALUES (?, ?, ?, ?, ?) RETURNING id",
	                              p, 5, &id, err);
	if (e == SK_ERR_NOT_FOUND)
		e = sk_fail(err, SK_ERR_STORE, "the new session got no id");
	if (e)
		return e;
	principal_fill(&out->principal, id, now, u, kind, r, out->token, now);
	return SK_OK;
}

static sk_err end_sessions(sk_store *s, int64_t user_id, int64_t *n, sk_buf *err)
{
	sk_val p[] = {SK_VINT(user_id)};
	return sk_store_exec(s, "DELETE FROM sessions WHERE user_id = ?", p, 1, n, err);
}

/* --- login --- */

/* A hash to verify against for unknown logins, so they take as long as known ones. */
static char dummy_hash[SK_PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
	char pw[SK_PASSWORD_TEMP_MAX];
	sk_password_generate(pw);
	if (sk_password_hash(pw, strlen(pw), dummy_hash, NULL) != SK_OK)
		dummy_hash[0] = '\0';
	sodium_memzero(pw, sizeof(pw));
}

static void dummy_verify(const char *password, size_t len)
{
	(void)pthread_once(&dummy_once, dummy_make);
	/* The answer is known (no); only the time it takes matters. */
	sk_err ignored = sk_password_verify(dummy_hash, password, len);
	(void)ignored;
}

/* A failure that names no account to the log: counted towards the throttle and summarised. */
static sk_err anonymous_failure(const char *address, sk_throttle_reason why, int64_t now,
                                sk_buf *err)
{
	sk_throttle_fail(address, now);
	sk_throttle_note(address, why, now);
	return sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, msg_wrong);
}

/*
 * A login that names no account: argon2id on a dummy hash, then counted
 * and locked in memory (phantom.h) by the ordinary account's rules, exactly
 * as a known account would be, so that an anonymous caller learns nothing
 * from when a 423 comes. The attempt that locks answers 401, as it does
 * for a known account (counted_failure).
 */
static sk_err unknown_login(const sk_policy *pol, const char *login, const char *password,
                            size_t password_len, const char *address, int64_t now, sk_buf *err)
{
	dummy_verify(password, password_len);
	sk_phantom st = sk_phantom_get(login);
	if (st.locked_until > now) {
		(void)anonymous_failure(address, SK_THROTTLE_UNKNOWN_LOGIN, now, err);
		return locked_message(err, st.locked_until);
	}
	const sk_password_rules *r = sk_policy_password_rules(pol, SK_KIND_NORMAL);
	if (st.locked_until)
		st.locked_until =
		    0; /* the lock has ended: count afresh, as users.locked_until does */
	if (++st.failed >= lockout_threshold(r)) {
		st.failed = 0;
		st.lockouts++;
		st.locked_until = lockout_until(r, st.lockouts, now);
	}
	sk_phantom_put(login, &st, now);
	return anonymous_failure(address, SK_THROTTLE_UNKNOWN_LOGIN, now, err);
}

/*
 * A failure that counts towards the account's lockout (recorded per account:
 * the lockout's evidence). The attempt that locks answers as any wrong
 * password does: the lock shows in the log ("auth.locked"), not to the caller.
 */
static sk_err counted_failure(sk_store *s, const sk_password_rules *r, const struct urec *u,
                              const char *address, const char *reason, sk_msg_id msg,
                              sk_auth_session *out, sk_buf *err)
{
	sk_err e = record_failure(s, r, u, address, "auth.login_failed", reason, msg, err);
	if (e != SK_ERR_LOCKED)
		return e;
	out->locked = true;
	return sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, msg);
}

static sk_zone zone_of(const struct urec *u)
{
	sk_zone z = SK_ZONE_NONE;
	return u->zone[0] && sk_zone_parse(u->zone, &z) == SK_OK ? z : SK_ZONE_NONE;
}

/* The TOTP step check: opens the sealed secret and verifies code against it. */
static sk_err totp_check(sk_store *s, const struct urec *u, const char *code, int64_t *step,
                         sk_buf *err)
{
	sk_buf path = SK_BUF_INIT(4096);
	unsigned char secret[SK_TOTP_SECRET_MAX];
	size_t len = 0;
	sk_err e = sk_totp_key_path(s->url, &path, err);
	if (!e)
		e = sk_totp_open(path.data, u->totp, secret, &len, err);
	if (!e)
		e = sk_totp_verify(secret, len, sk_clock_now(), code, u->totp_last_step, step);
	sodium_memzero(secret, sizeof(secret));
	sk_buf_free(&path);
	return e;
}

/*
 * Spends the one-time code of step (0: none was asked for), inside the caller's
 * transaction: the guard makes a code usable once even when two logins race with it.
 */
static sk_err spend_code(sk_store *s, const struct urec *u, int64_t step, sk_buf *err)
{
	if (!step)
		return SK_OK;
	int64_t changed = 0;
	sk_val p[] = {SK_VINT(step), SK_VINT(u->id), SK_VINT(step)};
	sk_err e = sk_store_exec(s,
	                         "UPDATE users SET totp_last_step = ? WHERE id = ? AND "
	                         "totp_last_step < ?",
	                         p, 3, &changed, err);
	if (!e && changed != 1)
		e = sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, msg_code);
	return e;
}

static sk_err login_success(sk_store *s, const sk_password_rules *r, struct urec *u,
                            sk_account_kind kind, const char *rehash, int64_t step,
                            const char *address, sk_auth_session *out, sk_buf *err)
{
	int64_t now = sk_clock_now(), purged = 0;
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	e = spend_code(s, u, step, err);
	if (!e) {
		sk_val p[] = {SK_VINT(now), sk_vtext(address), SK_VINT(u->id)};
		e = sk_store_exec(
		    s,
		    "UPDATE users SET failed_logins = 0, lockouts = 0, locked_until = NULL, "
		    "last_login_at = ?, last_login_addr = ? WHERE id = ?",
		    p, 3, NULL, err);
	}
	if (!e && rehash) {
		sk_val p[] = {sk_vtext(rehash), SK_VINT(u->id)};
		e = sk_store_exec(s, "UPDATE users SET password_hash = ? WHERE id = ?", p, 2, NULL,
		                  err);
	}
	if (!e) {
		/* Sessions past the absolute limit are dropped here, as nobody may check them
		 * again. */
		int64_t idle = 0, absolute = 0;
		timeouts(r, kind, &idle, &absolute);
		sk_val p[] = {SK_VINT(u->id), SK_VINT(now - absolute), SK_VINT(now - idle)};
		e = sk_store_exec(s,
		                  "DELETE FROM sessions WHERE user_id = ? AND (created_at <= ? OR "
		                  "last_seen_at <= ?)",
		                  p, 3, &purged, err);
	}
	if (!e)
		e = session_new(s, u, kind, r, address, out, err);
	if (!e)
		e = audit(s, u->login, address, "auth.login", u->login,
		          json_pack("{s:I, s:b, s:b, s:b, s:I}", "session",
		                    (json_int_t)out->principal.session_id, "mfa", step != 0,
		                    "must_change_password", u->temporary != 0, "must_enroll_totp",
		                    out->principal.must_enroll_totp, "expired_sessions_removed",
		                    (json_int_t)purged),
		          err);
	if ((e = sk_store_end(s, e, err))) {
		sodium_memzero(out, sizeof(*out));
		return e;
	}
	out->previous_login_at = u->last_login_at;
	(void)snprintf(out->previous_login_addr, sizeof(out->previous_login_addr), "%s",
	               u->last_login_at ? u->last_addr : "");
	out->totp_required = step != 0;
	return SK_OK;
}

static sk_err login_known(sk_store *s, const sk_policy *pol, struct urec *u, const char *password,
                          size_t password_len, const char *totp, const char *address,
                          sk_auth_session *out, sk_buf *err)
{
	int64_t now = sk_clock_now();
	sk_account_kind kind = u->kind;
	sk_err e = SK_OK;
	const sk_password_rules *r = sk_policy_password_rules(pol, kind);
	/*
	 * A locked account answers 423 with the time it ends (SPEC §3), as a
	 * locked unknown login does (unknown_login below): the lock says neither
	 * that the account exists nor whether the password was right (argon2id
	 * runs on a dummy hash). Such attempts do not count and are summarised
	 * per address (throttle.h), not audited each.
	 */
	if (u->locked_until > now) {
		dummy_verify(password, password_len);
		(void)anonymous_failure(address, SK_THROTTLE_LOCKED, now, err);
		return locked_message(err, u->locked_until);
	}
	bool right = sk_password_verify(u->hash, password, password_len) == SK_OK;
	/* Disabled and expired accounts answer as a wrong password would, whatever was typed. */
	if (strcmp(u->status, "active") != 0)
		return anonymous_failure(address, SK_THROTTLE_DISABLED, now, err);
	if (u->expires_at && u->expires_at <= now)
		return anonymous_failure(address, SK_THROTTLE_EXPIRED, now, err);
	if (!right) {
		sk_throttle_fail(address, now);
		return counted_failure(s, r, u, address, "wrong_password", msg_wrong, out, err);
	}
	int64_t step = 0;
	bool enrolled = u->totp[0] != '\0';
	if (enrolled || sk_policy_mfa_required(pol, kind, zone_of(u))) {
		out->totp_required = true;
		if (!enrolled)
			return record_refusal(s, u->login, address, "mfa_not_enrolled",
			                      SK_ERR_DENIED, SK_M_AUTH_MFA_NOT_ENROLLED, err);
		if (!totp || !*totp)
			return record_refusal(s, u->login, address, "totp_missing", SK_ERR_AUTH,
			                      msg_code, err);
		e = totp_check(s, u, totp, &step, err);
		if (e == SK_ERR_AUTH) {
			sk_throttle_fail(address, now);
			return counted_failure(s, r, u, address, "totp_wrong", msg_code, out, err);
		}
		if (e)
			return e;
	}
	char rehash[SK_PASSWORD_HASH_MAX] = "";
	if (sk_password_needs_rehash(u->hash) &&
	    sk_password_hash(password, password_len, rehash, NULL) != SK_OK)
		rehash[0] = '\0';
	e = login_success(s, r, u, kind, rehash[0] ? rehash : NULL, step, address, out, err);
	sodium_memzero(rehash, sizeof(rehash));
	return e;
}

sk_err sk_auth_login(sk_store *s, const sk_policy *pol, const char *login, const char *password,
                     size_t password_len, const char *totp, const char *address,
                     sk_auth_session *out, sk_buf *err)
{
	memset(out, 0, sizeof(*out));
	if (!password)
		password_len = 0;
	sk_err e = check_address(address, err);
	if (e)
		return e;
	const sk_policy *use = NULL;
	sk_policy *owned = NULL;
	if ((e = load_policy(s, pol, &use, &owned, err)))
		return e;
	int64_t now = sk_clock_now();
	/* The summaries of minutes that have ended; a failure here must not stop a login. */
	sk_buf ferr = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_throttle_flush(s, now, false, &ferr) != SK_OK)
		sk_log(SK_LOG_ERROR, "auth.failures not written: %s", ferr.data);
	sk_buf_free(&ferr);
	/* A throttled address verifies nothing and counts against no account. */
	if (!sk_throttle_allows(address, now, &out->retry_after)) {
		sk_throttle_note(address, SK_THROTTLE_THROTTLED, now);
		int64_t wait = out->retry_after;
		sk_policy_free(owned);
		e = sk_fail_msg(err, SK_ERR_THROTTLED, NULL, NULL, SK_M_AUTH_THROTTLED,
		                (long long)wait);
		out->retry_after = wait;
		return e;
	}
	struct urec u;
	memset(&u, 0, sizeof(u));
	if (login && sk_user_check_login(login, NULL) == SK_OK)
		e = urec_by_login(s, login, &u, err);
	if (!e && !u.found) {
		e = unknown_login(use, login, password ? password : "", password_len, address, now,
		                  err);
	} else if (!e) {
		e = login_known(s, use, &u, password ? password : "", password_len, totp, address,
		                out, err);
	}
	if (e) {
		bool need_code = out->totp_required, locked = out->locked;
		sodium_memzero(out, sizeof(*out));
		out->totp_required = need_code && (e == SK_ERR_AUTH || e == SK_ERR_DENIED);
		out->locked = locked;
	}
	urec_wipe(&u);
	sk_policy_free(owned);
	return e;
}

/* Whether u's account needs a one-time code: enrolled, or the profile's MFA rule names it. */
static bool code_needed(const sk_policy *pol, const struct urec *u)
{
	return u->totp[0] != '\0' || sk_policy_mfa_required(pol, u->kind, zone_of(u));
}

sk_err sk_auth_act_as_needs_code(sk_store *s, const char *login, bool *need, sk_buf *err)
{
	*need = false;
	struct urec u;
	memset(&u, 0, sizeof(u));
	const sk_policy *use = NULL;
	sk_policy *owned = NULL;
	sk_err e = SK_OK;
	if (login && sk_user_check_login(login, NULL) == SK_OK &&
	    !(e = urec_by_login(s, login, &u, err)) && u.found &&
	    !(e = load_policy(s, NULL, &use, &owned, err)))
		*need = code_needed(use, &u);
	sk_policy_free(owned);
	urec_wipe(&u);
	return e;
}

/*
 * The person proved by password (and the one-time code where the login
 * would ask for one): the code is spent, as a login spends it, and the
 * failure count starts afresh (login_success).
 */
static sk_err act_as_proved(sk_store *s, const struct urec *u, int64_t step, sk_buf *err)
{
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	e = spend_code(s, u, step, err);
	if (!e && (u->failed || u->lockouts || u->locked_until)) {
		sk_val p[] = {SK_VINT(u->id)};
		e = sk_store_exec(s,
		                  "UPDATE users SET failed_logins = 0, lockouts = 0, "
		                  "locked_until = NULL WHERE id = ?",
		                  p, 1, NULL, err);
	}
	return sk_store_end(s, e, err);
}

/*
 * --as with a password: checked as sk_auth_login checks it, the one-time code
 * included where the login would ask for one; a right proof is recorded by
 * act_as_proved.
 */
static sk_err act_as_password(sk_store *s, const struct urec *u, const char *password,
                              size_t password_len, const char *totp, const char *address,
                              sk_buf *err)
{
	const sk_policy *use = NULL;
	sk_policy *owned = NULL;
	int64_t step = 0;
	sk_auth_session ignored;
	memset(&ignored, 0, sizeof(ignored));
	sk_err e = load_policy(s, NULL, &use, &owned, err);
	if (e)
		return e;
	if (sk_password_verify(u->hash, password, password_len) != SK_OK)
		e = counted_failure(s, sk_policy_password_rules(use, u->kind), u, address,
		                    "wrong_password", msg_wrong, &ignored, err);
	else if (code_needed(use, u) && u->totp[0] == '\0')
		e = record_refusal(s, u->login, address, "mfa_not_enrolled", SK_ERR_DENIED,
		                   SK_M_AUTH_MFA_NOT_ENROLLED, err);
	else if (code_needed(use, u) && (!totp || !*totp))
		e = record_refusal(s, u->login, address, "totp_missing", SK_ERR_AUTH, msg_code,
		                   err);
	else if (code_needed(use, u) && (e = totp_check(s, u, totp, &step, err)) == SK_ERR_AUTH)
		e = counted_failure(s, sk_policy_password_rules(use, u->kind), u, address,
		                    "totp_wrong", msg_code, &ignored, err);
	if (!e)
		e = act_as_proved(s, u, step, err);
	sk_policy_free(owned);
	return e;
}

sk_err sk_auth_act_as(sk_store *s, const char *login, const char *password, size_t password_len,
                      const char *totp, const char *address, sk_buf *err)
{
	sk_err e = check_address(address, err);
	if (e)
		return e;
	struct urec u;
	memset(&u, 0, sizeof(u));
	if (login && sk_user_check_login(login, NULL) == SK_OK &&
	    (e = urec_by_login(s, login, &u, err)))
		return e;
	int64_t now = sk_clock_now();
	if (!u.found || strcmp(u.status, "active") != 0 || (u.expires_at && u.expires_at <= now))
		e = sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, msg_wrong);
	else if (u.locked_until > now)
		e = locked_message(err, u.locked_until);
	else if (password) /* else proved otherwise (admin token, mapped Unix user): the lock only
	                    */
		e = act_as_password(s, &u, password, password_len, totp, address, err);
	urec_wipe(&u);
	return e;
}

/* --- sessions --- */

struct srec {
	bool found;
	int64_t id, created_at, last_seen_at;
	char address[SK_AUTH_ADDR_MAX];
	struct urec u;
};

/* A session and its account: the UREC_COLS, then the session's own columns. */
static sk_err srec_row(void *ctx, const sk_row *r, sk_buf *err)
{
	struct srec *x = ctx;
	x->found = true;
	x->id = sk_row_int(r, UREC_NCOLS);
	x->created_at = sk_row_int(r, UREC_NCOLS + 1);
	x->last_seen_at = sk_row_int(r, UREC_NCOLS + 2);
	(void)snprintf(x->address, sizeof(x->address), "%s", sk_row_text(r, UREC_NCOLS + 3));
	return urec_row(&x->u, r, err);
}

/* Deletes an ended session with its audit entry, then answers SK_ERR_AUTH. */
static sk_err session_expire(sk_store *s, const struct srec *x, const char *login,
                             const char *address, const char *reason, sk_buf *err)
{
	sk_val p[] = {SK_VINT(x->id)};
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	int64_t n = 0;
	e = sk_store_exec(s, "DELETE FROM sessions WHERE id = ?", p, 1, &n, err);
	if (!e && n == 1) /* a concurrent request may have ended it first */
		e = audit(s, "system", address, "auth.session_end", login,
		          json_pack("{s:I, s:s}", "session", (json_int_t)x->id, "reason", reason),
		          err);
	if ((e = sk_store_end(s, e, err)))
		return e;
	return sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, SK_M_AUTH_SESSION_HAS_EXPIRED);
}

sk_err sk_auth_session_check(sk_store *s, const sk_policy *pol, const char *token,
                             const char *address, sk_auth_principal *out, sk_buf *err)
{
	memset(out, 0, sizeof(*out));
	sk_err e = check_address(address, err);
	if (e)
		return e;
	if (!token_well_formed(token))
		return sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, SK_M_AUTH_SESSION);
	char hex[SK_HASH_HEX_LEN + 1];
	token_hash(token, hex);
	const sk_policy *use = NULL;
	sk_policy *owned = NULL;
	struct srec x;
	memset(&x, 0, sizeof(x));
	sk_val p[] = {sk_vtext(hex)};
	if ((e = load_policy(s, pol, &use, &owned, err)))
		return e;
	e = sk_store_query(
	    s,
	    "SELECT " UREC_COLS ", s.id, s.created_at, s.last_seen_at, s.address "
	    "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
	    p, 1, srec_row, &x, err);
	if (!e && !x.found)
		e = sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, SK_M_AUTH_SESSION);
	if (!e) {
		const struct urec *u = &x.u;
		const sk_password_rules *r = sk_policy_password_rules(use, u->kind);
		int64_t now = sk_clock_now(), idle = 0, absolute = 0;
		timeouts(r, u->kind, &idle, &absolute);
		const char *why = NULL;
		if (strcmp(u->status, "active") != 0)
			why = "disabled";
		else if (u->expires_at && u->expires_at <= now)
			why = "account_expired";
		else if (now - x.created_at >= absolute)
			why =
			    u->kind == SK_KIND_PRIVILEGED ? "privileged_limit" : "absolute_timeout";
		else if (now - x.last_seen_at >= idle)
			why = "idle_timeout";
		if (why) {
			e = session_expire(s, &x, u->login, address, why, err);
		} else {
			if (now - x.last_seen_at >= SEEN_GRANULARITY ||
			    strcmp(x.address, address) != 0) {
				sk_val q[] = {SK_VINT(now), sk_vtext(address), SK_VINT(x.id)};
				e = sk_store_exec(
				    s,
				    "UPDATE sessions SET last_seen_at = ?, address = ? "
				    "WHERE id = ?",
				    q, 3, NULL, err);
			}
			if (!e)
				principal_fill(out, x.id, x.created_at, u, u->kind, r, token, now);
		}
	}
	if (e)
		memset(out, 0, sizeof(*out));
	urec_wipe(&x.u);
	sk_policy_free(owned);
	return e;
}

sk_err sk_auth_require_enrolled(const sk_auth_principal *p, sk_buf *err)
{
	if (p->must_enroll_totp)
		return sk_fail_msg(err, SK_ERR_MUST_ENROLL_TOTP, NULL, NULL, SK_M_AUTH_MUST_ENROLL);
	return SK_OK;
}

sk_err sk_auth_require_ready(const sk_auth_principal *p, sk_buf *err)
{
	if (p->must_change_password)
		return sk_fail_msg(err, SK_ERR_MUST_CHANGE_PASSWORD, NULL, NULL,
		                   SK_M_AUTH_TEMPORARY_PASSWORD_MUST_CHANGED);
	return SK_OK;
}

sk_err sk_auth_csrf_check(const sk_auth_principal *p, const char *header, sk_buf *err)
{
	/* Both sides are compared at the fixed token length; a wrong length fails after the same
	 * work. */
	char given[SK_AUTH_CSRF_MAX] = {0};
	bool len_ok = header && strlen(header) == SK_AUTH_CSRF_LEN;
	if (len_ok)
		memcpy(given, header, SK_AUTH_CSRF_LEN);
	bool ok = p->session_id != 0 && p->csrf_token[0] &&
	          sodium_memcmp(given, p->csrf_token, SK_AUTH_CSRF_LEN) == 0 && len_ok;
	return ok ? SK_OK
	          : sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_AUTH_MISSING_WRONG_CSRF_TOKEN);
}

sk_err sk_auth_logout(sk_store *s, const sk_auth_principal *p, const char *address, sk_buf *err)
{
	sk_err e = check_address(address, err);
	if (e)
		return e;
	int64_t n = 0;
	sk_val q[] = {SK_VINT(p->session_id), SK_VINT(p->user_id)};
	if ((e = sk_store_begin(s, err)))
		return e;
	e = sk_store_exec(s, "DELETE FROM sessions WHERE id = ? AND user_id = ?", q, 2, &n, err);
	if (!e && n != 1)
		e = sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, SK_M_AUTH_SESSION);
	if (!e)
		e = audit(s, p->login, address, "auth.logout", p->login,
		          json_pack("{s:I}", "session", (json_int_t)p->session_id), err);
	return sk_store_end(s, e, err);
}

sk_err sk_auth_end_sessions(sk_store *s, int64_t user_id, const char *reason, int64_t *ended,
                            sk_buf *err)
{
	int64_t n = 0;
	struct urec u;
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	if (!(e = urec_by_id(s, user_id, &u, err)) && !u.found)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_AUTH_ACCOUNT_ID,
		                (long long)user_id);
	if (!e)
		e = end_sessions(s, user_id, &n, err);
	if (!e && n > 0)
		e = audit(s, "system", "system", "auth.session_end", u.login,
		          json_pack("{s:s, s:I}", "reason", reason ? reason : "admin", "sessions",
		                    (json_int_t)n),
		          err);
	urec_wipe(&u);
	if ((e = sk_store_end(s, e, err)))
		return e;
	if (ended)
		*ended = n;
	return SK_OK;
}

/* --- password change --- */

struct hist {
	size_t n;
	char hash[HISTORY_MAX][SK_PASSWORD_HASH_MAX];
};

static sk_err hist_row(void *ctx, const sk_row *r, sk_buf *err)
{
	(void)err;
	struct hist *h = ctx;
	if (h->n < HISTORY_MAX)
		(void)snprintf(h->hash[h->n++], SK_PASSWORD_HASH_MAX, "%s", sk_row_text(r, 0));
	return SK_OK;
}

static sk_err check_new_password(sk_store *s, const sk_policy *pol, sk_account_kind kind,
                                 const struct urec *u, const char *newpw, size_t new_len,
                                 sk_buf *err)
{
	/*
	 * The account has a second factor when a code is enrolled or when login
	 * refuses it without one (login_known): only then may a privileged ID's
	 * password be as short as the floor's 8.
	 */
	sk_pw_subject who = {.kind = kind,
	                     .login = u->login,
	                     .mfa = u->totp[0] != '\0' ||
	                            sk_policy_mfa_required(pol, kind, zone_of(u))};
	sk_pw_verdict bad;
	if (new_len == 0 || new_len > SK_PASSWORD_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUTH_NEW_PASSWORD_MUST_BYTES, SK_PASSWORD_MAX);
	if (sk_password_verify(u->hash, newpw, new_len) == SK_OK)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUTH_NEW_PASSWORD_MUST_DIFFER);
	sk_err e = sk_policy_password_verdict(pol, &who, newpw, new_len, &bad, err);
	if (e)
		return e;
	if (bad.profile || bad.floor) {
		sk_buf why = SK_BUF_INIT(1024);
		sk_policy_password_explain(pol, &bad, &why);
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUTH_NEW_PASSWORD, why.data);
		sk_buf_free(&why);
		return e;
	}
	const sk_password_rules *r = sk_policy_password_rules(pol, kind);
	int n = r->history < HISTORY_MAX ? r->history : HISTORY_MAX;
	if (n <= 0)
		return SK_OK;
	struct hist *h = calloc(1, sizeof(*h));
	if (!h)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	sk_val p[] = {SK_VINT(u->id), SK_VINT(n)};
	e = sk_store_query(s,
	                   "SELECT password_hash FROM password_history WHERE user_id = ? "
	                   "ORDER BY set_at DESC, id DESC LIMIT ?",
	                   p, 2, hist_row, h, err);
	for (size_t i = 0; !e && i < h->n; i++)
		if (sk_password_verify(h->hash[i], newpw, new_len) == SK_OK)
			e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                SK_M_AUTH_NEW_PASSWORD_WAS_USED, sk_policy_city_id(pol), n);
	sodium_memzero(h, sizeof(*h));
	free(h);
	return e;
}

sk_err sk_auth_change_password(sk_store *s, const sk_policy *pol, const sk_auth_principal *p,
                               const char *old, size_t old_len, const char *newpw, size_t new_len,
                               const char *address, sk_auth_session *out, sk_buf *err)
{
	if (out)
		memset(out, 0, sizeof(*out));
	sk_err e = check_address(address, err);
	if (e)
		return e;
	if (!old)
		old_len = 0;
	if (!newpw)
		new_len = 0;
	const sk_policy *use = NULL;
	sk_policy *owned = NULL;
	struct urec u;
	sk_account_kind kind = SK_KIND_NORMAL;
	char hash[SK_PASSWORD_HASH_MAX] = "";
	memset(&u, 0, sizeof(u));
	if ((e = load_policy(s, pol, &use, &owned, err)))
		return e;
	if (!(e = urec_by_id(s, p->user_id, &u, err)) && !u.found)
		e = sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, SK_M_AUTH_SESSION);
	kind = u.kind;
	const sk_password_rules *r = sk_policy_password_rules(use, kind);
	if (!e && u.locked_until > sk_clock_now())
		e = locked_message(err, u.locked_until);
	if (!e && sk_password_verify(u.hash, old ? old : "", old_len) != SK_OK)
		e = record_failure(s, r, &u, address, "auth.password_change_failed",
		                   "wrong_password", SK_M_AUTH_OLD_PASSWORD_WRONG, err);
	if (!e)
		e = check_new_password(s, use, kind, &u, newpw, new_len, err);
	if (!e)
		e = sk_password_hash(newpw, new_len, hash, err);
	if (!e && !(e = sk_store_begin(s, err))) {
		int64_t now = sk_clock_now(), ended = 0;
		sk_val q[] = {sk_vtext(hash), SK_VINT(now), SK_VINT(u.id)};
		e = sk_store_exec(s,
		                  "UPDATE users SET password_hash = ?, password_temporary = 0, "
		                  "password_changed_at = ?, failed_logins = 0 WHERE id = ?",
		                  q, 3, NULL, err);
		if (!e) {
			sk_val h[] = {SK_VINT(u.id), sk_vtext(hash), SK_VINT(now)};
			e = sk_store_exec(
			    s,
			    "INSERT INTO password_history(user_id, password_hash, set_at) "
			    "VALUES (?, ?, ?)",
			    h, 3, NULL, err);
		}
		if (!e) {
			/* Only what the history rule can still ask about is kept. */
			int keep = r->history > 1
			               ? (r->history < HISTORY_MAX ? r->history : HISTORY_MAX)
			               : 1;
			sk_val h[] = {SK_VINT(u.id), SK_VINT(u.id), SK_VINT(keep)};
			e = sk_store_exec(
			    s,
			    "DELETE FROM password_history WHERE user_id = ? AND id NOT IN "
			    "(SELECT id FROM password_history WHERE user_id = ? "
			    "ORDER BY set_at DESC, id DESC LIMIT ?)",
			    h, 3, NULL, err);
		}
		if (!e)
			e = end_sessions(s, u.id, &ended, err);
		if (!e)
			e = audit(s, u.login, address, "auth.password_change", u.login,
			          json_pack("{s:b, s:I}", "was_temporary", u.temporary != 0,
			                    "sessions_ended", (json_int_t)ended),
			          err);
		if (!e && out) {
			u.temporary = 0;
			u.changed_at = now;
			e = session_new(s, &u, kind, r, address, out, err);
			if (!e)
				e = audit(s, u.login, address, "auth.login", u.login,
				          json_pack("{s:I, s:s}", "session",
				                    (json_int_t)out->principal.session_id, "via",
				                    "password_change"),
				          err);
		}
		e = sk_store_end(s, e, err);
	}
	if (e && out)
		sodium_memzero(out, sizeof(*out));
	sodium_memzero(hash, sizeof(hash));
	urec_wipe(&u);
	sk_policy_free(owned);
	return e;
}

/* --- administration --- */

static sk_err admin_target(sk_ctx *c, const char *login, struct urec *u, sk_buf *err)
{
	sk_store *s = c->store;
	memset(u, 0, sizeof(*u));
	sk_err e = login && sk_user_check_login(login, NULL) == SK_OK
	               ? urec_by_login(s, login, u, err)
	               : sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUTH_VALID_LOGIN,
	                             login ? login : "");
	if (!e && !u->found)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_AUTH_ACCOUNT, login);
	if (!e)
		e = sk_authz_require_cap(c, SK_CAP_USER_ADMIN, u->unit_id, err);
	return e;
}

sk_err sk_auth_unlock(sk_ctx *c, const char *login, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	struct urec u;
	int64_t now = sk_clock_now();
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	e = admin_target(c, login, &u, err);
	if (!e && u.locked_until <= now && u.failed == 0 && u.lockouts == 0)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_AUTH_LOCKED, login);
	if (!e) {
		sk_val p[] = {SK_VINT(u.id)};
		e = sk_store_exec(
		    s,
		    "UPDATE users SET failed_logins = 0, lockouts = 0, locked_until = NULL "
		    "WHERE id = ?",
		    p, 1, NULL, err);
	}
	if (!e)
		e = audit(s, actor->login, actor->address, "auth.unlock", u.login,
		          json_pack("{s:b, s:I, s:I}", "was_locked", u.locked_until > now,
		                    "failed_logins", (json_int_t)u.failed, "lockouts",
		                    (json_int_t)u.lockouts),
		          err);
	urec_wipe(&u);
	return sk_store_end(s, e, err);
}

sk_err sk_auth_totp_enroll(sk_ctx *c, const char *login, sk_buf *uri,
                           char secret_b32[SK_TOTP_BASE32_MAX], sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	secret_b32[0] = '\0';
	struct urec u;
	unsigned char secret[SK_TOTP_SECRET_LEN];
	sk_buf path = SK_BUF_INIT(4096), sealed = SK_BUF_INIT(SEALED_MAX),
	       issuer = SK_BUF_INIT(1024);
	const sk_policy *use = NULL;
	sk_totp_secret_new(secret);
	sk_err e = sk_ctx_policy(c, &use, err);
	if (!e && !use)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL,
		                SK_M_AUTH_DATABASE_RECORDS_POLICY_PROFILE);
	if (!e)
		e = sk_totp_key_path(s->url, &path, err);
	if (!e)
		e = sk_store_begin(s, err);
	if (e)
		goto out;
	e = admin_target(c, login, &u, err);
	if (!e)
		e = sk_totp_seal(path.data, true, secret, sizeof(secret), &sealed, err);
	if (!e) {
		sk_val p[] = {sk_vtext(sealed.data), SK_VINT(sk_clock_now()), SK_VINT(u.id)};
		e = sk_store_exec(s,
		                  "UPDATE users SET totp_secret = ?, totp_last_step = 0, "
		                  "totp_enrolled_at = ? WHERE id = ?",
		                  p, 3, NULL, err);
	}
	if (!e)
		e = audit(
		    s, actor->login, actor->address, "auth.totp_enroll", u.login,
		    json_pack("{s:s, s:b}", "algorithm", "SHA1/6/30", "replaced", u.totp[0] != 0),
		    err);
	urec_wipe(&u);
	if ((e = sk_store_end(s, e, err)))
		goto out;
	if (sk_buf_addf(&issuer, "%s sekisho", sk_policy_city_name(use)) ||
	    sk_totp_uri(issuer.data, login, secret, sizeof(secret), uri) ||
	    sk_totp_base32(secret, sizeof(secret), secret_b32))
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory writing the enrollment URI");
out:
	sodium_memzero(secret, sizeof(secret));
	if (sealed.len)
		sodium_memzero(sealed.data, sealed.len);
	sk_buf_free(&sealed);
	sk_buf_free(&path);
	sk_buf_free(&issuer);
	return e;
}

/* --- TOTP self-enrollment --- */

/*
 * A pending self-enrollment is kept in meta, one key per account, as
 * "<lapses at> <sealed secret>": it needs no column of its own, is sealed
 * like an active secret, and is only ever read back by its own account.
 */
static void pending_key(int64_t user_id, char out[48])
{
	(void)snprintf(out, 48, "auth.totp_pending.%lld", (long long)user_id);
}

sk_err sk_auth_totp_begin(sk_store *s, const sk_policy *pol, const sk_auth_principal *p,
                          const char *password, size_t password_len, const char *address,
                          sk_buf *uri, char secret_b32[SK_TOTP_BASE32_MAX], int64_t *expires_at,
                          sk_buf *err)
{
	secret_b32[0] = '\0';
	*expires_at = 0;
	sk_err e = check_address(address, err);
	if (e)
		return e;
	if (!password)
		password_len = 0;
	const sk_policy *use = NULL;
	sk_policy *owned = NULL;
	struct urec u;
	memset(&u, 0, sizeof(u));
	unsigned char secret[SK_TOTP_SECRET_LEN];
	sk_buf path = SK_BUF_INIT(4096), sealed = SK_BUF_INIT(SEALED_MAX),
	       issuer = SK_BUF_INIT(1024), val = SK_BUF_INIT(SEALED_MAX + 32);
	char key[48];
	int64_t now = sk_clock_now(), until = now + SK_AUTH_TOTP_PENDING_SECONDS;
	sk_totp_secret_new(secret);
	if ((e = load_policy(s, pol, &use, &owned, err)))
		goto out;
	if (!(e = urec_by_id(s, p->user_id, &u, err)) && !u.found)
		e = sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, SK_M_AUTH_SESSION);
	if (!e && u.locked_until > now)
		e = locked_message(err, u.locked_until);
	if (!e && sk_password_verify(u.hash, password ? password : "", password_len) != SK_OK)
		e = record_failure(s, sk_policy_password_rules(use, u.kind), &u, address,
		                   "auth.totp_enroll_failed", "wrong_password",
		                   SK_M_AUTH_PASSWORD_WRONG, err);
	if (!e)
		e = sk_totp_key_path(s->url, &path, err);
	if (!e)
		e = sk_totp_seal(path.data, true, secret, sizeof(secret), &sealed, err);
	if (!e && sk_buf_addf(&val, "%lld %s", (long long)until, sealed.data))
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	if (!e)
		e = sk_store_begin(s, err);
	if (e)
		goto out;
	pending_key(u.id, key);
	e = sk_store_meta_set(s, key, val.data, err);
	if (!e)
		e = audit(s, u.login, address, "auth.totp_enroll_start", u.login,
		          json_pack("{s:s, s:b, s:o}", "algorithm", "SHA1/6/30", "active_secret",
		                    u.totp[0] != 0, "expires_at", sk_json_time(until)),
		          err);
	if ((e = sk_store_end(s, e, err)))
		goto out;
	if (sk_buf_addf(&issuer, "%s sekisho", sk_policy_city_name(use)) ||
	    sk_totp_uri(issuer.data, u.login, secret, sizeof(secret), uri) ||
	    sk_totp_base32(secret, sizeof(secret), secret_b32))
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory writing the enrollment URI");
	else
		*expires_at = until;
out:
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(sealed.data, sealed.len);
	sodium_memzero(val.data, val.len);
	sk_buf_free(&sealed);
	sk_buf_free(&val);
	sk_buf_free(&path);
	sk_buf_free(&issuer);
	urec_wipe(&u);
	sk_policy_free(owned);
	return e;
}

/* Audits a refused confirmation in a transaction of its own, then answers SK_ERR_INVALID. */
static sk_err confirm_refused(sk_store *s, const struct urec *u, const char *address, sk_buf *err)
{
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	e = audit(s, u->login, address, "auth.totp_enroll_failed", u->login,
	          json_pack("{s:s}", "reason", "totp_wrong"), err);
	if ((e = sk_store_end(s, e, err)))
		return e;
	return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUTH_TIME_CODE_DOES_MATCH);
}

sk_err sk_auth_totp_confirm(sk_store *s, const sk_auth_principal *p, const char *code,
                            const char *address, sk_buf *err)
{
	sk_err e = check_address(address, err);
	if (e)
		return e;
	struct urec u;
	char key[48];
	sk_buf val = SK_BUF_INIT(SEALED_MAX + 32), path = SK_BUF_INIT(4096);
	unsigned char secret[SK_TOTP_SECRET_MAX];
	size_t len = 0;
	int64_t step = 0, now = sk_clock_now(), changed = 0;
	const char *sealed = NULL;
	if (!(e = urec_by_id(s, p->user_id, &u, err)) && !u.found)
		e = sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL, SK_M_AUTH_SESSION);
	pending_key(p->user_id, key);
	if (!e && (e = sk_store_meta_get(s, key, &val, err)) == SK_ERR_NOT_FOUND)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL,
		                SK_M_AUTH_TOTP_ENROLLMENT_PENDING_START, u.login);
	if (!e) {
		char *end = NULL;
		long long until = strtoll(val.data, &end, 10);
		if (!end || *end != ' ')
			e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
			                SK_M_AUTH_PENDING_TOTP_ENROLLMENT_DAMAGED);
		else if (until <= now)
			e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL,
			                SK_M_AUTH_PENDING_TOTP_ENROLLMENT_LAPSED,
			                SK_AUTH_TOTP_PENDING_SECONDS / 60);
		else
			sealed = end + 1;
	}
	if (!e)
		e = sk_totp_key_path(s->url, &path, err);
	if (!e)
		e = sk_totp_open(path.data, sealed, secret, &len, err);
	if (!e && (!code || sk_totp_verify(secret, len, now, code, 0, &step) != SK_OK))
		e = confirm_refused(s, &u, address, err);
	if (!e && !(e = sk_store_begin(s, err))) {
		/* Only the pending secret that was verified: a racing start replaced it otherwise.
		 */
		sk_val q[] = {sk_vtext(key), sk_vtext(val.data)};
		e = sk_store_exec(s, "DELETE FROM meta WHERE key = ? AND value = ?", q, 2, &changed,
		                  err);
		if (!e && changed != 1)
			e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL,
			                SK_M_AUTH_PENDING_TOTP_ENROLLMENT_CHANGED);
		if (!e) {
			sk_val w[] = {sk_vtext(sealed), SK_VINT(step), SK_VINT(now), SK_VINT(u.id)};
			e = sk_store_exec(s,
			                  "UPDATE users SET totp_secret = ?, totp_last_step = ?, "
			                  "totp_enrolled_at = ? WHERE id = ?",
			                  w, 4, NULL, err);
		}
		if (!e)
			e = audit(s, u.login, address, "auth.totp_enroll", u.login,
			          json_pack("{s:s, s:b, s:b}", "algorithm", "SHA1/6/30", "replaced",
			                    u.totp[0] != 0, "self", 1),
			          err);
		e = sk_store_end(s, e, err);
	}
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(val.data, val.len);
	sk_buf_free(&val);
	sk_buf_free(&path);
	urec_wipe(&u);
	return e;
}

sk_err sk_auth_totp_reset(sk_ctx *c, const char *login, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	struct urec u;
	char key[48];
	int64_t pending = 0, ended = 0;
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	e = admin_target(c, login, &u, err);
	if (!e) {
		pending_key(u.id, key);
		sk_val q[] = {sk_vtext(key)};
		e = sk_store_exec(s, "DELETE FROM meta WHERE key = ?", q, 1, &pending, err);
	}
	if (!e && !u.totp[0] && pending == 0)
		e = sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_AUTH_HAS_TOTP_ENROLLED,
		                login);
	if (!e) {
		sk_val p[] = {SK_VINT(u.id)};
		e = sk_store_exec(s,
		                  "UPDATE users SET totp_secret = NULL, totp_last_step = 0, "
		                  "totp_enrolled_at = NULL WHERE id = ?",
		                  p, 1, NULL, err);
	}
	if (!e)
		e = end_sessions(s, u.id, &ended, err);
	if (!e)
		e = audit(s, actor->login, actor->address, "auth.totp_reset", u.login,
		          json_pack("{s:b, s:b, s:I}", "had_secret", u.totp[0] != 0, "had_pending",
		                    pending > 0, "sessions_ended", (json_int_t)ended),
		          err);
	urec_wipe(&u);
	return sk_store_end(s, e, err);
}

sk_err sk_auth_set_zone(sk_ctx *c, const char *login, sk_zone zone, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	if (zone != SK_ZONE_NONE && !sk_zone_name(zone))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUTH_UNKNOWN_ZONE);
	struct urec u;
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	e = admin_target(c, login, &u, err);
	const char *name = zone == SK_ZONE_NONE ? NULL : sk_zone_name(zone);
	if (!e) {
		sk_val p[] = {sk_vtext(name), SK_VINT(u.id)};
		e = sk_store_exec(s, "UPDATE users SET zone = ? WHERE id = ?", p, 2, NULL, err);
	}
	if (!e)
		e = audit(s, actor->login, actor->address, "auth.zone", u.login,
		          json_pack("{s:o, s:o}", "before",
		                    u.zone[0] ? json_string(u.zone) : json_null(), "zone",
		                    name ? json_string(name) : json_null()),
		          err);
	urec_wipe(&u);
	return sk_store_end(s, e, err);
}

/* --- reports and rules --- */

struct unused_ctx {
	json_t *arr;
	int64_t now;
};

static sk_err unused_row(void *ctx, const sk_row *r, sk_buf *err)
{
	struct unused_ctx *c = ctx;
	int64_t last = sk_row_int(r, 6), since = last ? last : sk_row_int(r, 5);
	json_t *j = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:I}", "login", sk_row_text(r, 0), "name",
	    sk_row_text(r, 1), "unit_code", sk_row_text(r, 2), "kind", sk_row_text(r, 3), "status",
	    sk_row_text(r, 4), "created_at", sk_json_time(sk_row_int(r, 5)), "last_login_at",
	    sk_json_time(last), "days_unused", (json_int_t)((c->now - since) / 86400));
	if (!j || json_array_append_new(c->arr, j))
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	return SK_OK;
}

sk_err sk_auth_unused(sk_store *s, int days, json_t **out, sk_buf *err)
{
	*out = NULL;
	if (days < 1 || days > 36500)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUTH_DAYS_MUST, days);
	struct unused_ctx c = {json_array(), sk_clock_now()};
	if (!c.arr)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	sk_val p[] = {SK_VINT(c.now - (int64_t)days * 86400)};
	sk_err e =
	    sk_store_query(s,
	                   "SELECT u.login, u.name, o.code, u.kind, u.status, u.created_at, "
	                   "u.last_login_at FROM users u JOIN org_unit o ON o.id = u.unit_id "
	                   "WHERE COALESCE(u.last_login_at, u.created_at) <= ? "
	                   "ORDER BY u.login",
	                   p, 1, unused_row, &c, err);
	if (e) {
		json_decref(c.arr);
		return e;
	}
	*out = c.arr;
	return SK_OK;
}

sk_err sk_auth_privileged_min_holders_check(sk_store *s, const char *role, int64_t user_id,
                                            sk_buf *err)
{
	sk_role r;
	if (!role || sk_role_parse(role, &r) != SK_OK || !sk_role_is_privileged(r))
		return SK_OK;
	int64_t holders = 0;
	sk_val p[] = {sk_vtext(role), SK_VINT(sk_clock_now())};
	sk_err e = sk_store_query_int(s,
	                              "SELECT COUNT(DISTINCT r.user_id) FROM role_assignment r "
	                              "JOIN users u ON u.id = r.user_id "
	                              "WHERE r.role = ? AND u.status = 'active' "
	                              "AND (u.expires_at IS NULL OR u.expires_at > ?)",
	                              p, 2, &holders, err);
	if (e)
		return e;
	if (holders >= 2)
		return SK_OK;
	struct urec u;
	e = urec_by_id(s, user_id, &u, err);
	if (!e)
		e = sk_fail_msg(
		    err, SK_ERR_CONFLICT, NULL, NULL, SK_M_AUTH_REVOKING_WOULD_LEAVE_ACTIVE, role,
		    u.found ? u.login : "?", (long long)holders, holders == 1 ? "" : "s");
	urec_wipe(&u);
	return e;
}

/* --- cookies and actors --- */

sk_err sk_auth_cookie(const char *token, bool secure, sk_buf *out)
{
	if (token && !token_well_formed(token))
		return SK_ERR_INVALID;
	return sk_buf_addf(out, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", SK_AUTH_COOKIE_NAME,
	                   token ? token : "", token ? "" : "; Max-Age=0",
	                   secure ? "; Secure" : "");
}

sk_err sk_auth_cookie_token(const char *cookie_header, char out[SK_AUTH_TOKEN_MAX])
{
	out[0] = '\0';
	static const char name[] = SK_AUTH_COOKIE_NAME "=";
	for (const char *p = cookie_header; p && *p;) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == sizeof(name) - 1 + SK_AUTH_TOKEN_LEN &&
		    memcmp(p, name, sizeof(name) - 1) == 0) {
			memcpy(out, p + sizeof(name) - 1, SK_AUTH_TOKEN_LEN);
			out[SK_AUTH_TOKEN_LEN] = '\0';
			if (token_well_formed(out))
				return SK_OK;
			out[0] = '\0';
		}
		if (!end)
			break;
		p = end + 1;
	}
	return SK_ERR_AUTH;
}

void sk_auth_actor(const sk_auth_principal *p, const char *address, sk_actor *out)
{
	out->user_id = p->user_id;
	out->login = p->login;
	out->address = address;
	out->superuser = false;
}
