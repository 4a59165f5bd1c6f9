/*
 * Unit tests of src/auth/totp: the RFC 4226 Appendix D and RFC 6238
 * Appendix B vectors, the ±1-step window and single use, base32 and URIs,
 * and sealing secrets under the key file.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/totp.h"
#include "testutil.h"

static const unsigned char seed20[] = "12345678901234567890";
static const unsigned char seed32[] = "12345678901234567890123456789012";
static const unsigned char seed64[] =
    "1234567890123456789012345678901234567890123456789012345678901234";

static void rfc4226_vectors(void **state)
{
	(void)state;
	static const char *const want[] = {"755224", "287082", "359152", "969429", "338314",
	                                   "254676", "287922", "162583", "399871", "520489"};
	char code[SK_TOTP_CODE_MAX];
	for (uint64_t c = 0; c < 10; c++) {
		assert_int_equal(sk_hotp_code(seed20, 20, c, 6, code), SK_OK);
		assert_string_equal(code, want[c]);
	}
	assert_int_equal(sk_hotp_code(seed20, 20, 0, 5, code), SK_ERR_INVALID);
	assert_int_equal(sk_hotp_code(seed20, 0, 0, 6, code), SK_ERR_INVALID);
}

static void rfc6238_vectors(void **state)
{
	(void)state;
	static const struct {
		int64_t t;
		const char *sha1, *sha256, *sha512;
	} v[] = {
	    {59, "94287082", "46119246", "90693936"},
	    {1111111109, "07081804", "68084774", "25091201"},
	    {1111111111, "14050471", "67062674", "99943326"},
	    {1234567890, "89005924", "91819424", "93441116"},
	    {2000000000, "69279037", "90698825", "38618901"},
	    {20000000000, "65353130", "77737706", "47863826"},
	};
	char code[SK_TOTP_CODE_MAX];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(sk_totp_code(seed20, 20, v[i].t, 8, SK_TOTP_SHA1, code), SK_OK);
		assert_string_equal(code, v[i].sha1);
		assert_int_equal(sk_totp_code(seed32, 32, v[i].t, 8, SK_TOTP_SHA256, code), SK_OK);
		assert_string_equal(code, v[i].sha256);
		assert_int_equal(sk_totp_code(seed64, 64, v[i].t, 8, SK_TOTP_SHA512, code), SK_OK);
		assert_string_equal(code, v[i].sha512);
	}
}

static void verify_window_and_reuse(void **state)
{
	(void)state;
	const int64_t now = 1111111111; /* step 37037037, 1 s into it... */
	const int64_t step = now / SK_TOTP_STEP;
	char code[SK_TOTP_CODE_MAX];
	int64_t got = 0;
	for (int64_t d = -3; d <= 3; d++) {
		assert_int_equal(
		    sk_totp_code(seed20, 20, now + d * SK_TOTP_STEP, 6, SK_TOTP_SHA1, code), SK_OK);
		sk_err want = (d >= -1 && d <= 1) ? SK_OK : SK_ERR_AUTH;
		assert_int_equal(sk_totp_verify(seed20, 20, now, code, 0, &got), want);
		assert_int_equal(got, want == SK_OK ? step + d : 0);
		/* Used once: the step is no longer later than the last one used. */
		if (want == SK_OK) {
			assert_int_equal(sk_totp_verify(seed20, 20, now, code, got, &got),
			                 SK_ERR_AUTH);
			/* An older code after a newer one was used is refused too. */
			assert_int_equal(sk_totp_verify(seed20, 20, now, code, step + 1, &got),
			                 SK_ERR_AUTH);
		}
	}
	/* The code of the current step is what a person types: it verifies. */
	assert_int_equal(sk_totp_code(seed20, 20, now, 6, SK_TOTP_SHA1, code), SK_OK);
	assert_int_equal(sk_totp_verify(seed20, 20, now, code, step - 1, &got), SK_OK);
	assert_int_equal(got, step);
	/* Malformed codes never verify. */
	static const char *const bad[] = {"", "12345", "1234567", "12a456", " 12345", NULL};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sk_totp_verify(seed20, 20, now, bad[i], 0, &got), SK_ERR_AUTH);
	/* Another secret's code does not verify. */
	assert_int_equal(sk_totp_code((const unsigned char *)"abcdefghijabcdefghij", 20, now, 6,
	                              SK_TOTP_SHA1, code),
	                 SK_OK);
	assert_int_equal(sk_totp_verify(seed20, 20, now, code, 0, &got), SK_ERR_AUTH);
}

static void base32_and_uri(void **state)
{
	(void)state;
	char b32[SK_TOTP_BASE32_MAX];
	/* RFC 4648 §10, without the padding. */
	static const struct {
		const char *in, *out;
	} v[] = {{"f", "MY"},         {"fo", "MZXQ"},        {"foo", "MZXW6"},
	         {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"}};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(
		    sk_totp_base32((const unsigned char *)v[i].in, strlen(v[i].in), b32), SK_OK);
		assert_string_equal(b32, v[i].out);
	}
	assert_int_equal(sk_totp_base32(seed20, 20, b32), SK_OK);
	assert_string_equal(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");

	sk_buf uri = SK_BUF_INIT(4096);
	assert_int_equal(sk_totp_uri("八王子市 sekisho", "alice", seed20, 20, &uri), SK_OK);
	assert_string_equal(uri.data,
	                    "otpauth://totp/%E5%85%AB%E7%8E%8B%E5%AD%90%E5%B8%82%20sekisho:alice"
	                    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	                    "&issuer=%E5%85%AB%E7%8E%8B%E5%AD%90%E5%B8%82%20sekisho"
	                    "&algorithm=SHA1&digits=6&period=30");
	sk_buf_free(&uri);

	unsigned char a[SK_TOTP_SECRET_LEN], b[SK_TOTP_SECRET_LEN];
	sk_totp_secret_new(a);
	sk_totp_secret_new(b);
	assert_memory_not_equal(a, b, sizeof(a));
}

static void key_path(void **state)
{
	(void)state;
	sk_buf out = SK_BUF_INIT(4096), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	unsetenv("SEKISHO_TOTP_KEY");
	assert_int_equal(sk_totp_key_path("/srv/x.db", &out, &err), SK_OK);
	assert_string_equal(out.data, "/srv/x.db.totp-key");
	sk_buf_reset(&out);
	assert_int_equal(sk_totp_key_path("sqlite:///srv/y.db", &out, &err), SK_OK);
	assert_string_equal(out.data, "/srv/y.db.totp-key");
	sk_buf_reset(&out);
	assert_int_equal(sk_totp_key_path("postgresql://h/db", &out, &err), SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "SEKISHO_TOTP_KEY"));
	/* In the reader's language: a whole Japanese sentence, no English phrase inside. */
	assert_non_null(strstr(sk_msg_of(&err, SK_ERR_INVALID, SK_LANG_JA),
	                       "TOTP の鍵を置くファイルの場所がありません"));
	assert_int_equal(sk_totp_key_path(":memory:", &out, &err), SK_ERR_INVALID);
	setenv("SEKISHO_TOTP_KEY", "/k/file", 1);
	sk_buf_reset(&out);
	assert_int_equal(sk_totp_key_path("postgresql://h/db", &out, &err), SK_OK);
	assert_string_equal(out.data, "/k/file");
	unsetenv("SEKISHO_TOTP_KEY");
	sk_buf_free(&out);
	sk_buf_free(&err);
}

static void seal_and_open(void **state)
{
	(void)state;
	char path[512], other[512];
	snprintf(path, sizeof(path), "%s/totp-key", sk_test_tmpdir());
	snprintf(other, sizeof(other), "%s/other-key", sk_test_tmpdir());
	sk_buf sealed = SK_BUF_INIT(1024), sealed2 = SK_BUF_INIT(1024),
	       err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	unsigned char out[SK_TOTP_SECRET_MAX];
	size_t len = 0;

	/* Without create, a missing key file is an error naming it. */
	assert_int_equal(sk_totp_seal(path, false, seed20, 20, &sealed, &err), SK_ERR_IO);
	assert_non_null(strstr(err.data, path));
	assert_int_equal(access(path, F_OK), -1);

	assert_int_equal(sk_totp_seal(path, true, seed20, 20, &sealed, &err), SK_OK);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Not the secret in any readable form, and a fresh nonce each time. */
	assert_null(strstr(sealed.data, "3132333435"));
	assert_int_equal(sk_totp_seal(path, true, seed20, 20, &sealed2, &err), SK_OK);
	assert_string_not_equal(sealed.data, sealed2.data);

	assert_int_equal(sk_totp_open(path, sealed.data, out, &len, &err), SK_OK);
	assert_int_equal(len, 20);
	assert_memory_equal(out, seed20, 20);

	/* One flipped bit anywhere is caught. */
	char *t = strdup(sealed.data);
	t[strlen(t) - 1] = t[strlen(t) - 1] == '0' ? '1' : '0';
	assert_int_equal(sk_totp_open(path, t, out, &len, &err), SK_ERR_CORRUPT);
	t[0] = t[0] == '0' ? '1' : '0';
	free(t);
	assert_int_equal(sk_totp_open(path, "zz", out, &len, &err), SK_ERR_CORRUPT);
	assert_int_equal(sk_totp_open(path, "", out, &len, &err), SK_ERR_CORRUPT);

	/* Another key does not open it. */
	assert_int_equal(sk_totp_seal(other, true, seed32, 32, &sealed2, &err), SK_OK);
	assert_int_equal(sk_totp_open(other, sealed.data, out, &len, &err), SK_ERR_CORRUPT);

	/* A key file others can read is refused. */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(sk_totp_open(path, sealed.data, out, &len, &err), SK_ERR_CORRUPT);
	assert_non_null(strstr(err.data, "0600"));
	assert_int_equal(chmod(path, 0600), 0);
	/* A damaged key file is refused. */
	FILE *f = fopen(other, "w");
	assert_non_null(f);
	fputs("not a key\n", f);
	fclose(f);
	assert_int_equal(sk_totp_open(other, sealed.data, out, &len, &err), SK_ERR_CORRUPT);
	assert_non_null(strstr(err.data, "not a sekisho TOTP key"));

	sk_buf_free(&sealed);
	sk_buf_free(&sealed2);
	sk_buf_free(&err);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rfc4226_vectors),
	    cmocka_unit_test(rfc6238_vectors),
	    cmocka_unit_test(verify_window_and_reuse),
	    cmocka_unit_test(base32_and_uri),
	    cmocka_unit_test(key_path),
	    cmocka_unit_test(seal_and_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
