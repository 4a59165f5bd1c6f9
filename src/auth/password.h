/*
 * password: storing and checking passwords, and making temporary ones
 * (SPEC C3). Hashes are libsodium's argon2id strings ("$argon2id$v=19$..."),
 * which carry their own salt and cost, so a hash can be verified without
 * knowing the parameters it was made with.
 *
 * This module knows nothing of a city's password rules (length,
 * composition, reuse): those belong to the policy module, which checks a
 * password before it gets here.
 */
#ifndef SK_PASSWORD_H
#define SK_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/sk_buf.h"

/* Room for an argon2id hash string with its NUL (crypto_pwhash_STRBYTES). */
#define SK_PASSWORD_HASH_MAX 128
/* The longest password accepted: argon2 takes any length, but input is capped. */
#define SK_PASSWORD_MAX 1024
/* The length of a generated temporary password, and room for it with its NUL. */
#define SK_PASSWORD_TEMP_LEN 20
#define SK_PASSWORD_TEMP_MAX (SK_PASSWORD_TEMP_LEN + 1)

/*
 * Hashes the len bytes at pw with argon2id at libsodium's "interactive"
 * cost into out (NUL-terminated). Refuses an empty password and one longer
 * than SK_PASSWORD_MAX. SK_ERR_NOMEM when the 64 MiB argon2 needs cannot be
 * had. The caller keeps pw and wipes it.
 */
sk_err sk_password_hash(const char *pw, size_t len, char out[SK_PASSWORD_HASH_MAX], sk_buf *err)
    __attribute__((warn_unused_result));

/*
 * Checks the len bytes at pw against a stored hash: SK_OK when they match,
 * SK_ERR_AUTH when they do not (or the hash is not one of ours). The
 * comparison inside libsodium takes the same time whatever the password.
 */
sk_err sk_password_verify(const char *hash, const char *pw, size_t len)
    __attribute__((warn_unused_result));

/* Whether hash was made with weaker parameters than today's and should be redone at login. */
bool sk_password_needs_rehash(const char *hash);

/*
 * Writes a new temporary password of SK_PASSWORD_TEMP_LEN characters into
 * out: drawn uniformly from an alphabet without look-alikes (no 0/O, 1/l/I),
 * and always holding an upper-case letter, a lower-case letter, a digit and
 * a symbol, so it meets any of the four cities' composition rules. The
 * caller wipes it (sodium_memzero) once shown.
 */
void sk_password_generate(char out[SK_PASSWORD_TEMP_MAX]);

#endif
