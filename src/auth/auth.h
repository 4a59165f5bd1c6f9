/*
 * auth: logging in and staying logged in (SPEC C3): password and TOTP
 * checks, lockout with increasing waits, sessions with idle and absolute
 * timeouts, CSRF tokens, password changes under the profile's rules, admin
 * unlock, MFA enrollment (by an administrator, or by the account itself in
 * two steps: a pending secret, then its confirmation) and the
 * unused-accounts report.
 *
 * Who owns what: this module owns the sessions table and the users columns
 * about authentication (failed_logins, locked_until, lockouts, last_login_*,
 * password_*, totp_*, zone). The HTTP layer owns cookies and headers and
 * calls these functions; it never sees a stored hash and never stores a
 * token. A session token is 256 random bits shown once (at login) and kept
 * only as its SHA-256; the CSRF token is derived from the session token
 * with a keyed BLAKE2b, so it needs no storage and can be handed out again
 * by sk_auth_session_check.
 *
 * Policy: every function taking `const sk_policy *pol` uses it as the
 * installation's profile; pol may be NULL, in which case the profile named
 * by meta "policy.profile" is loaded for the call (slower: the server should
 * load it once and pass it). Where the profile states no rule, the defaults
 * below apply (deny by default: there is always a lockout and a timeout).
 *
 * Every authentication event is audited in the same transaction as its
 * effect ("auth.login", "auth.login_failed", "auth.lockout", "auth.unlock",
 * "auth.logout", "auth.password_change", "auth.totp_enroll",
 * "auth.totp_enroll_start", "auth.totp_enroll_failed", "auth.totp_reset",
 * "auth.session_end"), with the account as object ("user:LOGIN") and never
 * with a password, code or token. A failed login for an unknown login is
 * audited with object "user:?" and the attempted login is not recorded
 * (it is often a password typed into the wrong field).
 *
 * All strings are borrowed for the duration of the call. Functions are
 * safe to call from several threads on different sk_store handles.
 */
#ifndef SK_AUTH_H
#define SK_AUTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sk_ctx sk_ctx;

#include "../core/sk_buf.h"
#include "../domain/actor.h"
#include "../domain/user.h"
#include "../policy/policy.h"
#include "../store/store.h"
#include "totp.h"

/* The session cookie's name. */
#define SK_AUTH_COOKIE_NAME "sekisho_session"
/* A session token: base64url (no padding) of 32 random bytes is 43 characters. */
#define SK_AUTH_TOKEN_LEN 43
#define SK_AUTH_TOKEN_MAX (SK_AUTH_TOKEN_LEN + 1)
/* A CSRF token: base64url of a 32-byte BLAKE2b, 43 characters. */
#define SK_AUTH_CSRF_LEN 43
#define SK_AUTH_CSRF_MAX (SK_AUTH_CSRF_LEN + 1)
/* The longest client address accepted (IPv6 with a zone fits). */
#define SK_AUTH_ADDR_MAX 64

/* Defaults for a profile that states no rule (sk_password_rules value 0). */
#define SK_AUTH_DEFAULT_LOCKOUT_THRESHOLD 10
#define SK_AUTH_DEFAULT_LOCKOUT_MINUTES   15
#define SK_AUTH_DEFAULT_IDLE_MINUTES      30
#define SK_AUTH_DEFAULT_ABSOLUTE_MINUTES  (12 * 60)
/* A privileged ID's session limit (max_connection_minutes) when the profile gives none. */
#define SK_AUTH_DEFAULT_PRIVILEGED_MINUTES 60
/* Each further lockout in a row doubles the wait, up to this. */
#define SK_AUTH_MAX_LOCKOUT_MINUTES (24 * 60)
/* locked_until for "until an administrator unlocks" (lockout_minutes 0 with a threshold). */
#define SK_AUTH_LOCKED_FOREVER INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

/* Who a valid session belongs to, as sk_auth_session_check finds it. */
typedef struct sk_auth_principal {
	int64_t session_id;
	int64_t user_id;
	char login[SK_LOGIN_MAX + 1];
	/* SK_KIND_PRIVILEGED when the account holds system_manager or system_staff. */
	sk_account_kind kind;
	/*
	 * The password is temporary: until it is changed the HTTP layer answers
	 * every call but POST /api/v1/password, POST /api/v1/logout and the
	 * session read with 403 must_change_password (sk_auth_require_ready).
	 */
	bool must_change_password;
	/*
	 * The account holds a role of the MFA floor (ciso, general_manager,
	 * system_manager, auditor) and has no TOTP secret: until it enrolls one
	 * the HTTP layer answers every call but the TOTP enrollment routes,
	 * logout, the password change and the session read with 403
	 * must_enroll_totp (sk_auth_require_enrolled).
	 */
	bool must_enroll_totp;
	/* The profile's rotation_days have passed since the last change (a reminder only). */
	bool password_rotation_due;
	int64_t created_at;   /* session start, Unix seconds */
	int64_t expires_at;   /* the absolute end (or the privileged connection limit) */
	int64_t idle_seconds; /* the session ends after this long without a request */
	char csrf_token[SK_AUTH_CSRF_MAX];
} sk_auth_principal;

/* What a successful login hands the HTTP layer. */
typedef struct sk_auth_session {
	/* The cookie value. The caller sends it once (sk_auth_cookie) and wipes it. */
	char token[SK_AUTH_TOKEN_MAX];
	sk_auth_principal principal;
	/* The login before this one: time (0 when this is the first) and address ("" then). */
	int64_t previous_login_at;
	char previous_login_addr[SK_AUTH_ADDR_MAX];
	/*
	 * Set when the password was right but a one-time code is needed and none
	 * (or a malformed one) was given: the login failed with SK_ERR_AUTH and
	 * the client should ask for the code. Also set on success when a code
	 * was used. Not counted as a failed attempt when no code was given.
	 */
	bool totp_required;
	/* With SK_ERR_THROTTLED: seconds until the client's address may try again. */
	int64_t retry_after;
	/* This failed attempt locked the account (for metrics: the caller is not told). */
	bool locked;
} sk_auth_session;

/*
 * Logs login in with password (password_len bytes) and, where needed, a
 * one-time code (totp, or NULL) from address (the client's IP, or "cli").
 *
 * Results: SK_OK with *out filled and a new session stored (its hash);
 * SK_ERR_AUTH for an unknown login, a wrong password, a disabled account, an
 * expired development ID or a wrong/reused code, all with the same message
 * ("wrong login or password", or "a valid one-time code is needed" once the
 * password was right), taking about the same time (an unknown login still
 * runs one argon2id verification); SK_ERR_LOCKED while locked, the message
 * saying until when (RFC 3339) or "until an administrator unlocks it";
 * SK_ERR_DENIED when the profile demands MFA for the account and no TOTP
 * secret is enrolled (the message says to run 'sekisho user totp-enroll').
 * A temporary password logs in with principal.must_change_password set.
 *
 * Each failure counts towards the profile's lockout_threshold (default
 * SK_AUTH_DEFAULT_LOCKOUT_THRESHOLD); reaching it locks the account for
 * lockout_minutes, doubled for each lockout since the last successful login
 * (capped at SK_AUTH_MAX_LOCKOUT_MINUTES), or until unlocked when the
 * profile gives a threshold with lockout_minutes 0. Success resets the
 * count, records last_login_at/addr and rehashes an old-parameter hash.
 * Audited either way. *out is cleared first on every path.
 */
sk_err sk_auth_login(sk_store *s, const sk_policy *pol, const char *login, const char *password,
                     size_t password_len, const char *totp, const char *address,
                     sk_auth_session *out, sk_buf *err);

/*
 * Whether a command that acts for login without a session (the CLI's --as,
 * src/cli/identity.c) may act for it: SK_ERR_AUTH when the account is
 * unknown, not active or past its expiry; SK_ERR_LOCKED while it is locked
 * (the message saying until when), however it was proved. With a password
 * (password_len bytes; NULL when the caller proved the person otherwise, by
 * the admin token or the mapped Unix user) the password is checked as
 * sk_auth_login checks it: a wrong one counts towards the account's lockout
 * with the same "auth.login_failed" entry (reason "wrong_password") and may
 * lock it; a right one clears the failed count as a login does. Where the
 * login would ask for a one-time code (the account is enrolled, or the
 * profile's MFA rule names it), totp must be a right, unspent code: missing,
 * wrong and not-enrolled answer as sk_auth_login answers them, a wrong code
 * counting towards the lockout, and a right one is spent. No session is made.
 * address is the audit entries' ("cli:password").
 */
sk_err sk_auth_act_as(sk_store *s, const char *login, const char *password, size_t password_len,
                      const char *totp, const char *address, sk_buf *err);

/* *need: whether sk_auth_act_as with a password will ask login's account for a one-time code. */
sk_err sk_auth_act_as_needs_code(sk_store *s, const char *login, bool *need, sk_buf *err);

/*
 * Finds the session of token (the cookie value) and fills *out: SK_ERR_AUTH
 * ("no session" / "the session has expired") when the token is unknown,
 * malformed, idle longer than the profile's session_idle_minutes, older
 * than session_absolute_minutes (privileged accounts: max_connection_minutes,
 * or SK_AUTH_DEFAULT_PRIVILEGED_MINUTES when the profile gives none, if shorter), or its account is
 * disabled or past its expiry; an ended session is deleted and audited ("auth.session_end" with the
 * reason). A valid session's last-seen time is refreshed (written at most every 30 seconds, so a
 * busy client does not write on every request). address is recorded as the session's latest
 * address; sessions are not bound to one address (NAT and mobile clients change it). Does not fail
 * for a temporary password: see principal.must_change_password and sk_auth_require_ready.
 */
sk_err sk_auth_session_check(sk_store *s, const sk_policy *pol, const char *token,
                             const char *address, sk_auth_principal *out, sk_buf *err);

/*
 * SK_ERR_MUST_CHANGE_PASSWORD ("the temporary password must be changed
 * first") when p->must_change_password, SK_OK otherwise. For every call
 * except changing the password, logging out and reading the session.
 */
sk_err sk_auth_require_ready(const sk_auth_principal *p, sk_buf *err);

/*
 * SK_ERR_MUST_ENROLL_TOTP when p->must_enroll_totp, SK_OK otherwise. For
 * every call except the TOTP self-enrollment routes and those
 * sk_auth_require_ready lets through.
 */
sk_err sk_auth_require_enrolled(const sk_auth_principal *p, sk_buf *err);

/*
 * Whether header (the X-CSRF-Token value, may be NULL) is this session's
 * CSRF token, compared in constant time. SK_OK or SK_ERR_DENIED ("missing or
 * wrong CSRF token"); the HTTP layer calls it for every state-changing
 * request made with a session cookie.
 */
sk_err sk_auth_csrf_check(const sk_auth_principal *p, const char *header, sk_buf *err);

/* Ends p's session (deletes it) and audits "auth.logout". */
sk_err sk_auth_logout(sk_store *s, const sk_auth_principal *p, const char *address, sk_buf *err);

/*
 * Ends every session of the account user_id (reason goes into the audit
 * entry: "disabled", "password_change", "admin"); for callers such as
 * account disabling, inside their transaction. *ended, when not NULL,
 * receives how many there were.
 */
sk_err sk_auth_end_sessions(sk_store *s, int64_t user_id, const char *reason, int64_t *ended,
                            sk_buf *err);

/*
 * Changes p's password from old to new (lengths in bytes). SK_ERR_AUTH when
 * old is wrong (counted towards lockout like a failed login); SK_ERR_INVALID
 * naming the broken rules (sk_policy_password_check for the account's kind:
 * length, classes, the common-password list), "the new password must differ
 * from the old one", or "the new password was used recently" when it
 * matches the current hash or one of the profile's last `history` ones.
 * On success the password is no longer temporary, password_history gains
 * the old hash (trimmed to what history needs), every session of the
 * account ends, and when out is not NULL a fresh session is issued into it
 * for the caller to set as the new cookie (the old token stops working).
 * One transaction with "auth.password_change".
 */
sk_err sk_auth_change_password(sk_store *s, const sk_policy *pol, const sk_auth_principal *p,
                               const char *old, size_t old_len, const char *newpw, size_t new_len,
                               const char *address, sk_auth_session *out, sk_buf *err);

/*
 * Clears login's lockout (failed_logins, locked_until and the lockout count)
 * and audits "auth.unlock". Needs an administrator of the account's unit
 * (capability user.admin there). SK_ERR_NOT_FOUND naming login; SK_ERR_CONFLICT
 * ("'LOGIN' is not locked") when there is nothing to clear.
 */
sk_err sk_auth_unlock(sk_ctx *c, const char *login, sk_buf *err);

/*
 * Enrolls (or re-enrolls) login for TOTP: a new random secret, sealed with
 * the key file of the database (sk_totp_key_path of the store's URL, created
 * on first use), replaces any earlier one. The otpauth URI (issuer: the
 * profile's city name + " sekisho") is appended to uri and the base32
 * secret written to secret_b32, for the caller to show once and wipe.
 * Needs an administrator of the account's unit. Audits "auth.totp_enroll"
 * (without the secret).
 */
sk_err sk_auth_totp_enroll(sk_ctx *c, const char *login, sk_buf *uri,
                           char secret_b32[SK_TOTP_BASE32_MAX], sk_buf *err);

/* How long a self-enrollment started with sk_auth_totp_begin waits for its confirmation. */
#define SK_AUTH_TOTP_PENDING_SECONDS 600

/*
 * Self-enrollment, step 1: the account of session p, after giving its
 * password again (password_len bytes; a wrong one counts towards lockout
 * like a failed login and is audited "auth.totp_enroll_failed"), gets a new
 * random secret that stays PENDING: it is stored sealed (as
 * sk_auth_totp_enroll seals) beside the account, any earlier pending one
 * is replaced, and an active secret keeps working; nothing changes at login
 * until sk_auth_totp_confirm. The otpauth URI is appended to uri and the
 * base32 secret written to secret_b32 for the caller to show once and
 * wipe; *expires_at is when the pending secret lapses
 * (SK_AUTH_TOTP_PENDING_SECONDS). SK_ERR_LOCKED while locked. Audits
 * "auth.totp_enroll_start" (never the secret).
 */
sk_err sk_auth_totp_begin(sk_store *s, const sk_policy *pol, const sk_auth_principal *p,
                          const char *password, size_t password_len, const char *address,
                          sk_buf *uri, char secret_b32[SK_TOTP_BASE32_MAX], int64_t *expires_at,
                          sk_buf *err);

/*
 * Self-enrollment, step 2: code must be the current one-time code of the
 * pending secret (RFC 6238, +-1 step). Only then does the secret become
 * the account's (replacing an earlier one; the matched step counts as used)
 * and MFA active at its next login. SK_ERR_CONFLICT when no enrollment is
 * pending or it has lapsed; SK_ERR_INVALID for a malformed or wrong code
 * (audited "auth.totp_enroll_failed"; the pending secret stays until it
 * lapses). Audits "auth.totp_enroll" with "self": true.
 */
sk_err sk_auth_totp_confirm(sk_store *s, const sk_auth_principal *p, const char *code,
                            const char *address, sk_buf *err);

/*
 * Takes login's TOTP secret and any pending enrollment away and ends the
 * account's sessions (a lost or stolen authenticator). Needs an
 * administrator of the account's unit. SK_ERR_CONFLICT ("'LOGIN' has no
 * TOTP enrolled") when there is nothing to take. Where the profile demands
 * MFA for the account, it cannot log in until enrolled again
 * (sk_auth_totp_enroll). Audits "auth.totp_reset".
 */
sk_err sk_auth_totp_reset(sk_ctx *c, const char *login, sk_buf *err);

/*
 * Records the network zone login works in (SK_ZONE_NONE: none), which
 * decides MFA through sk_policy_mfa_required (e.g. every account in the
 * マイナンバー利用事務系 zone). Needs an administrator of the unit; audited
 * ("auth.zone").
 */
sk_err sk_auth_set_zone(sk_ctx *c, const char *login, sk_zone zone, sk_buf *err);

/*
 * The accounts not used for days days or more (no login since then, or
 * never logged in and created that long ago), as a JSON array ordered by
 * login of {"login", "name", "unit_code", "kind", "status", "created_at",
 * "last_login_at" (RFC 3339 or null), "days_unused"}. days must be 1..36500.
 */
sk_err sk_auth_unused(sk_store *s, int days, json_t **out, sk_buf *err);

/*
 * The "privileged IDs keep at least two holders" rule (SPEC C3), for role
 * revocation (sk_role_revoke calls it): called inside the revoking
 * transaction AFTER the grant of role to user_id was deleted, it answers
 * SK_ERR_CONFLICT ("revoking ROLE from LOGIN would leave N active
 * holder(s); a privileged role keeps at least two ...") when fewer than two
 * active, unexpired accounts still hold role at any unit, so the caller
 * rolls back. SK_OK for roles other than system_manager and system_staff.
 */
sk_err sk_auth_privileged_min_holders_check(sk_store *s, const char *role, int64_t user_id,
                                            sk_buf *err);

/*
 * Appends a Set-Cookie value for token to out:
 * "sekisho_session=TOKEN; Path=/; HttpOnly; SameSite=Strict[; Secure]". The
 * cookie has no Max-Age (it dies with the browser; the server enforces the
 * timeouts). With token NULL it is the clearing cookie for logout (empty
 * value, Max-Age=0).
 */
sk_err sk_auth_cookie(const char *token, bool secure, sk_buf *out);

/*
 * Finds the session token in a Cookie request header (may be NULL) and
 * copies it to out: SK_ERR_AUTH when there is none or it is not
 * SK_AUTH_TOKEN_LEN base64url characters.
 */
sk_err sk_auth_cookie_token(const char *cookie_header, char out[SK_AUTH_TOKEN_MAX]);

/* An actor for domain calls made under p's session from address. */
void sk_auth_actor(const sk_auth_principal *p, const char *address, sk_actor *out);

#endif
