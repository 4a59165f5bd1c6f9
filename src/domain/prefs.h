/*
 * prefs: what an account chose for itself in the web UI (issue 14): the
 * language of its pages and how dates are written (和暦 or western). Both
 * are the account's own: only its holder reads or sets them, so no
 * capability is needed beyond being that account. Stored on the user
 * (migration 7); a change is audited as user.prefs.
 */
#ifndef SK_PREFS_H
#define SK_PREFS_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../store/store.h"
#include "ctx.h"

typedef struct sk_prefs {
	char lang[4];       /* "ja", "en", or "" when not chosen (the browser's language then) */
	char date_style[8]; /* "wareki", "western", or "" when not chosen (western then) */
	int64_t totp_enrolled_at; /* when its one-time code was enrolled (shown only), 0: never */
} sk_prefs;

/*
 * The preferences of account user_id (a session's own account, which its
 * holder just proved: no scope applies), with the time its one-time code
 * was enrolled, for the account page. An unknown account has none.
 */
sk_err sk_prefs_get(sk_store *s, int64_t user_id, sk_prefs *out, sk_buf *err);

/*
 * Sets the actor's own preferences: lang "ja" or "en", date_style "wareki"
 * or "western"; NULL or "" leaves one as it is. SK_ERR_INVALID naming the
 * field for any other value; SK_ERR_DENIED for an actor that is no account
 * (the CLI operator). One transaction with its audit entry (user.prefs,
 * object "user:<login>"); the same values are no change.
 */
sk_err sk_prefs_set(sk_ctx *c, const char *lang, const char *date_style, sk_buf *err);

#endif
