/*
 * demo: the sample cities behind `sekisho demo --profile P`, one per shipped
 * profile (narita, niigata, setagaya, hachioji; hachioji by default): the
 * organization and the accounts that city's policy names, every role the
 * profile defines held by someone in each chain of command, and a
 * 情報資産台帳 of some sixty assets covering every classification level and
 * network zone the profile knows. The cities are data (demo_cities.c).
 *
 * The demo accounts have known passwords (SK_DEMO_PASSWORD_PREFIX followed
 * by the login) that are not temporary, so that anyone can log in and try
 * the product. They are for a throwaway demo database only, and the CLI
 * says so whenever it prints them. They go through sk_user_add, so they
 * meet the password floor (policy.h): the prefix's 10 characters and a
 * login of at least 5 make the 15 a privileged ID without a second factor
 * needs, and the prefix's letters keep the password from being a variant
 * of the login.
 */
#ifndef SK_DEMO_H
#define SK_DEMO_H

#include <jansson.h>

typedef struct sk_ctx sk_ctx;

#include "../core/sk_buf.h"
#include "../store/store.h"
#include "actor.h"

#define SK_DEMO_PASSWORD_PREFIX "Demo#2026-"

/* The profile `sekisho demo` builds when none is named. */
const char *sk_demo_default_profile(void);

/*
 * Whether there is a demo city for profile (NULL: the default);
 * SK_ERR_INVALID naming field "profile" and listing the valid ones if not.
 */
sk_err sk_demo_lookup(const char *profile, sk_buf *err);

/*
 * Creates the sample city of profile (NULL: the default) in s, which must
 * hold no installation yet, in one transaction (audit key at key_path
 * included): units, accounts and the register, each through its domain
 * function, so checked and audited. *report receives {"city", "profile",
 * "demo", "assets" (how many in the register), "units": [org objects],
 * "accounts": [{"login", "name", "unit_code", "kind", "roles":
 * ["role@unit", ...], "password"}]}; it is the caller's.
 */
sk_err sk_demo_create(sk_ctx *c, const char *profile, const char *key_path, json_t **report,
                      sk_buf *err);

/*
 * What an existing installation holds, in the same shape without passwords
 * ("demo": true when sk_demo_create made it).
 */
sk_err sk_demo_describe(sk_store *s, json_t **report, sk_buf *err);

/*
 * The requests and incidents a sample city starts with, in every state,
 * filed and decided by its people through the request and incident
 * functions (demo_activity.c). Part of sk_demo_create's transaction.
 */
sk_err sk_demo_activity(sk_store *s, sk_buf *err);

#endif
