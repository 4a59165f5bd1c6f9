/*
 * user: accounts (SPEC C3, storage side; logging in comes with the server).
 * An account belongs to one unit, is of a kind (staff, contractor,
 * designated_manager), is active or disabled, may expire (development IDs),
 * and holds an argon2id password hash that never leaves this module's
 * tables: not in JSON images, not in audit entries.
 *
 * Every change runs in one transaction with its audit entry; on any failure
 * nothing is written.
 */
#ifndef SK_USER_H
#define SK_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../auth/password.h"
#include "../core/sk_buf.h"
#include "../store/store.h"
#include "actor.h"
#include "ctx.h"

#define SK_LOGIN_MAX     64
#define SK_USER_NAME_MAX 200 /* bytes of UTF-8 */
/* The most roles one sk_user_add may grant. */
#define SK_USER_ROLES_MAX 12

typedef struct sk_user_new {
	const char *login;
	const char *name;
	const char *unit; /* id or code */
	/* "staff", "contractor" or "designated_manager"; NULL: from the unit's kind */
	const char *kind;
	/* Roles granted at the account's unit, nroles of them (at least one). */
	const char *const *roles;
	size_t nroles;
	/*
	 * The initial password (password_len bytes), or NULL to generate a
	 * temporary one that must be changed at first login. A given password
	 * is not temporary and must meet the installation's profile (meta
	 * "policy.profile"; system_manager and system_staff get the
	 * privileged-ID rules). Borrowed; the caller wipes it.
	 */
	const char *password;
	size_t password_len;
	int64_t expires_at; /* Unix seconds; 0: never (only development IDs expire) */
	/*
	 * Where notification mail goes (src/domain/notify.h); NULL or "": none,
	 * in-app notifications only. Must pass sk_notify_addr_check.
	 */
	const char *email;
	/*
	 * The Unix user mapped to the account (the CLI run by it acts as the
	 * account), or NULL: none. Only the installation's operator maps one.
	 */
	const char *unix_user;
} sk_user_new;

/* The longest Unix user name a mapping takes. */
#define SK_USER_UNIX_MAX 32

/*
 * Adds an account and grants its roles, all in one transaction with its
 * audit entries. Refuses a malformed or duplicate login (SK_ERR_EXISTS
 * naming it), an unknown unit or role, an expiry in the past, a password
 * that breaks the profile's rules (naming the rules). Needs an
 * administrator of the unit. When the password was generated it is written
 * to temp_out (which the caller shows once and wipes); otherwise temp_out[0]
 * is NUL. *id_out, when not NULL, receives the account's id.
 */
sk_err sk_user_add(sk_ctx *c, const sk_user_new *in, int64_t *id_out,
                   char temp_out[SK_PASSWORD_TEMP_MAX], sk_buf *err);

/*
 * Whether login is acceptable as a login: 1-64 of [a-z0-9._-], starting with
 * a letter or digit, not all digits, not reserved ("system").
 */
sk_err sk_user_check_login(const char *login, sk_buf *err);

/*
 * Disables (active = false) or re-enables an account. Disabling the last
 * active ciso is refused (SK_ERR_CONFLICT); so is a change to the state the
 * account is in already.
 */
sk_err sk_user_set_active(sk_ctx *c, const char *login, bool active, sk_buf *err);

/*
 * Sets (or with NULL or "" removes) the account's mail address for
 * notifications, with its audit entry (user.email). The account itself may
 * change its own; anyone else needs user.admin at its unit. A malformed
 * address is SK_ERR_INVALID naming "email"; the same address is no change.
 */
sk_err sk_user_set_email(sk_ctx *c, const char *login, const char *email, sk_buf *err);

/*
 * Maps the Unix user name to the account (or with NULL or "" removes the
 * mapping), with its audit entry (user.unix_user). Only the installation's
 * operator maps (SK_ERR_DENIED); a malformed name is SK_ERR_INVALID and a
 * name mapped to another account SK_ERR_EXISTS, both naming "unix_user".
 */
sk_err sk_user_set_unix_user(sk_ctx *c, const char *login, const char *name, sk_buf *err);

/* Whether name is a Unix user name a mapping takes (POSIX portable: [a-z_][a-z0-9._-]*). */
sk_err sk_user_check_unix_user(const char *name, sk_buf *err);

/*
 * One account as JSON: {"id", "login", "name", "unit", "unit_code", "kind",
 * "status", "password_temporary", "created_at", "disabled_at", "expires_at",
 * "last_login_at", "email" (only when set), "roles": [{"role", "title", "unit",
 * "unit_code"}]};
 * times are RFC 3339 or null. The actor needs user.read at the account's
 * unit, or is the account itself; SK_ERR_NOT_FOUND naming login otherwise
 * and for an unknown login. *out is the caller's.
 */
sk_err sk_user_show(sk_ctx *c, const char *login, json_t **out, sk_buf *err);

/*
 * sk_user_show of the account behind a session its holder just proved
 * (the answer to a login, a session's own account): no scope applies. pol:
 * the installation's profile, for its roles' titles (NULL: the national
 * guideline's).
 */
sk_err sk_user_show_own(sk_store *s, const sk_policy *pol, const char *login, json_t **out,
                        sk_buf *err);

/*
 * The accounts in unit (id or code; NULL: all) holding role (NULL: any)
 * whose unit is in the actor's user.read scope, as an array of
 * sk_user_show objects ordered by login.
 */
sk_err sk_user_list(sk_ctx *c, const char *unit, const char *role, json_t **out, sk_buf *err);

/*
 * The unused-ID report (sk_auth_unused) limited to the accounts whose unit
 * is in the actor's user.read scope.
 */
sk_err sk_user_unused(sk_ctx *c, int days, json_t **out, sk_buf *err);

/*
 * Parses an expiry given on a command line: "YYYY-MM-DD" means the end of
 * that day in Japan (UTC+9), which is when a development ID dated so should
 * stop working; a full RFC 3339 time is taken as given.
 */
sk_err sk_user_parse_expiry(const char *text, int64_t *out, sk_buf *err);

#endif
