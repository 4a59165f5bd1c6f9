/*
 * demo: the sample city behind `sekisho demo`: a 八王子市-like installation
 * (hachioji profile) with departments, sections, a designated manager and a
 * contractor, and about twenty people holding every role of SPEC §3.
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

#include "../core/sk_buf.h"
#include "../store/store.h"
#include "actor.h"

#define SK_DEMO_PASSWORD_PREFIX "Demo#2026-"

/*
 * Creates the sample city in s, which must hold no installation yet, in one
 * transaction (audit key at key_path included). *report receives
 * {"city", "profile", "units": [org objects], "accounts": [{"login", "name",
 * "unit_code", "kind", "roles": ["role@unit", ...], "password"}]}; it is the
 * caller's.
 */
sk_err sk_demo_create(sk_store *s, const sk_actor *actor, const char *key_path, json_t **report,
                      sk_buf *err);

/*
 * What an existing installation holds, in the same shape without passwords
 * ("demo": true when sk_demo_create made it).
 */
sk_err sk_demo_describe(sk_store *s, json_t **report, sk_buf *err);

#endif
