/* Unit tests of src/auth/password: argon2id hashing and temporary passwords. */
#include <sodium.h>
#include <string.h>

#include "auth/password.h"
#include "testutil.h"

static void hash_and_verify(void **state)
{
	(void)state;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char h1[SK_PASSWORD_HASH_MAX], h2[SK_PASSWORD_HASH_MAX];
	const char *pw = "八王子-Passw0rd!";
	assert_int_equal(sk_password_hash(pw, strlen(pw), h1, &err), SK_OK);
	assert_int_equal(sk_password_hash(pw, strlen(pw), h2, &err), SK_OK);
	/* argon2id, and salted: the same password hashes differently. */
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_string_not_equal(h1, h2);
	assert_int_equal(sk_password_verify(h1, pw, strlen(pw)), SK_OK);
	assert_int_equal(sk_password_verify(h2, pw, strlen(pw)), SK_OK);
	assert_int_equal(sk_password_verify(h1, pw, strlen(pw) - 1), SK_ERR_AUTH);
	assert_int_equal(sk_password_verify(h1, "x", 1), SK_ERR_AUTH);
	assert_int_equal(sk_password_verify(h1, "", 0), SK_ERR_AUTH);
	assert_false(sk_password_needs_rehash(h1));
	/* Only argon2id hashes are ours; anything else never verifies. */
	assert_int_equal(sk_password_verify("plain", "plain", 5), SK_ERR_AUTH);
	assert_int_equal(sk_password_verify(NULL, "plain", 5), SK_ERR_AUTH);
	char weak[SK_PASSWORD_HASH_MAX];
	assert_int_equal(crypto_pwhash_str(weak, "pw", 2, crypto_pwhash_OPSLIMIT_MIN,
	                                   crypto_pwhash_MEMLIMIT_MIN),
	                 0);
	assert_true(sk_password_needs_rehash(weak));

	assert_int_equal(sk_password_hash("", 0, h1, &err), SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "empty"));
	assert_string_equal(h1, "");
	static char big[SK_PASSWORD_MAX + 2];
	memset(big, 'a', sizeof(big) - 1);
	assert_int_equal(sk_password_hash(big, SK_PASSWORD_MAX + 1, h1, &err), SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "longer"));
	assert_int_equal(sk_password_hash(big, SK_PASSWORD_MAX, h1, &err), SK_OK);
	assert_int_equal(sk_password_hash("a\0b", 3, h1, &err), SK_ERR_INVALID);
	sk_buf_free(&err);
}

static void temporary(void **state)
{
	(void)state;
	const char *lookalikes = "0O1lI\"'`\\/ ";
	int seen[256] = {0};
	char prev[SK_PASSWORD_TEMP_MAX] = "";
	for (int round = 0; round < 2000; round++) {
		char pw[SK_PASSWORD_TEMP_MAX];
		sk_password_generate(pw);
		assert_int_equal(strlen(pw), SK_PASSWORD_TEMP_LEN);
		assert_string_not_equal(pw, prev);
		int up = 0, low = 0, dig = 0, sym = 0;
		for (const char *p = pw; *p; p++) {
			unsigned char c = (unsigned char)*p;
			assert_null(strchr(lookalikes, c));
			assert_true(c > 0x20 && c < 0x7f);
			seen[c]++;
			up += c >= 'A' && c <= 'Z';
			low += c >= 'a' && c <= 'z';
			dig += c >= '0' && c <= '9';
			sym += !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') &&
			       !(c >= '0' && c <= '9');
		}
		assert_true(up && low && dig && sym);
		memcpy(prev, pw, sizeof(pw));
	}
	/* Every character of the alphabet turns up (66 symbols, 40,000 draws). */
	int distinct = 0;
	for (int c = 0; c < 256; c++)
		distinct += seen[c] > 0;
	assert_int_equal(distinct, 24 + 24 + 8 + 10);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hash_and_verify),
	    cmocka_unit_test(temporary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
