/* password: argon2id hashing and verification, temporary-password generation. */
#include "password.h"
#include "../core/sk_msg.h"

#include <sodium.h>
#include <string.h>

_Static_assert(SK_PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");

sk_err sk_password_hash(const char *pw, size_t len, char out[SK_PASSWORD_HASH_MAX], sk_buf *err)
{
	out[0] = '\0';
	if (len == 0)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUTH_PASSWORD_EMPTY);
	if (len > SK_PASSWORD_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUTH_PASSWORD_LONGER_BYTES,
		                   SK_PASSWORD_MAX);
	if (memchr(pw, '\0', len))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUTH_PASSWORD_CONTAINS_NUL_BYTE);
	if (crypto_pwhash_str_alg(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0)
		return sk_fail(err, SK_ERR_NOMEM, "not enough memory to hash the password");
	return SK_OK;
}

sk_err sk_password_verify(const char *hash, const char *pw, size_t len)
{
	if (!hash || strncmp(hash, crypto_pwhash_argon2id_STRPREFIX,
	                     strlen(crypto_pwhash_argon2id_STRPREFIX)) != 0)
		return SK_ERR_AUTH;
	if (len == 0 || len > SK_PASSWORD_MAX)
		return SK_ERR_AUTH;
	return crypto_pwhash_str_verify(hash, pw, len) == 0 ? SK_OK : SK_ERR_AUTH;
}

bool sk_password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

/* The character classes of a temporary password, each without look-alikes. */
static const char *const classes[] = {
    "ABCDEFGHJKLMNPQRSTUVWXYZ", /* no I, O */
    "abcdefghijkmnpqrstuvwxyz", /* no l, o */
    "23456789",                 /* no 0, 1 */
    "#$%&*+-=?@",               /* no quotes, slashes or shell-awkward marks */
};
#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

void sk_password_generate(char out[SK_PASSWORD_TEMP_MAX])
{
	char alphabet[96];
	size_t n = 0;
	for (size_t c = 0; c < NCLASSES; c++) {
		size_t k = strlen(classes[c]);
		memcpy(alphabet + n, classes[c], k);
		n += k;
	}
	/*
	 * Draw every character uniformly and start over if a class is missing:
	 * that keeps the distribution uniform over all passwords that have
	 * every class (forcing a class into a fixed slot would not), and with
	 * 20 characters a retry is rare.
	 */
	for (;;) {
		bool seen[NCLASSES] = {false};
		for (size_t i = 0; i < SK_PASSWORD_TEMP_LEN; i++) {
			char ch = alphabet[randombytes_uniform((uint32_t)n)];
			out[i] = ch;
			for (size_t c = 0; c < NCLASSES; c++)
				if (strchr(classes[c], ch))
					seen[c] = true;
		}
		out[SK_PASSWORD_TEMP_LEN] = '\0';
		bool all = true;
		for (size_t c = 0; c < NCLASSES; c++)
			all = all && seen[c];
		if (all)
			return;
	}
}
