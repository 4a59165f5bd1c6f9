/* totp: HOTP/TOTP codes through liboath, otpauth URIs, and the sealed storage of secrets. */
#include "totp.h"

#include <errno.h>
#include <fcntl.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../store/store.h"
#include "../core/sk_msg.h"

/* The key file: this tag, a space, 64 hex digits, a newline. */
#define KEY_TAG      "sekisho-totp-key/1"
#define KEY_FILE_LEN (sizeof(KEY_TAG) + 2 * crypto_secretbox_KEYBYTES + 1)

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_status = OATH_OK;

static void oath_start(void) { oath_status = oath_init(); }

static bool oath_ready(void)
{
	(void)pthread_once(&oath_once, oath_start);
	return oath_status == OATH_OK;
}

sk_err sk_hotp_code(const unsigned char *secret, size_t len, uint64_t counter, int digits,
                    char out[SK_TOTP_CODE_MAX])
{
	out[0] = '\0';
	if (!secret || len == 0 || len > SK_TOTP_SECRET_MAX || digits < 6 || digits > 8)
		return SK_ERR_INVALID;
	if (!oath_ready())
		return SK_ERR_INTERNAL;
	if (oath_hotp_generate((const char *)secret, len, counter, (unsigned)digits, false,
	                       OATH_HOTP_DYNAMIC_TRUNCATION, out) != OATH_OK)
		return SK_ERR_INTERNAL;
	return SK_OK;
}

/* liboath's flag for each algorithm, by sk_totp_alg. */
static const int alg_flags[] = {
    [SK_TOTP_SHA1] = 0,
    [SK_TOTP_SHA256] = OATH_TOTP_HMAC_SHA256,
    [SK_TOTP_SHA512] = OATH_TOTP_HMAC_SHA512,
};

sk_err sk_totp_code(const unsigned char *secret, size_t len, int64_t t, int digits, sk_totp_alg alg,
                    char out[SK_TOTP_CODE_MAX])
{
	out[0] = '\0';
	if (!secret || len == 0 || len > SK_TOTP_SECRET_MAX || digits < 6 || digits > 8 || t < 0 ||
	    (unsigned)alg >= sizeof(alg_flags) / sizeof(alg_flags[0]))
		return SK_ERR_INVALID;
	if (!oath_ready())
		return SK_ERR_INTERNAL;
	if (oath_totp_generate2((const char *)secret, len, (time_t)t, SK_TOTP_STEP, 0,
	                        (unsigned)digits, alg_flags[alg], out) != OATH_OK)
		return SK_ERR_INTERNAL;
	return SK_OK;
}

sk_err sk_totp_verify(const unsigned char *secret, size_t len, int64_t now, const char *code,
                      int64_t last_step, int64_t *step_out)
{
	*step_out = 0;
	if (!code || strlen(code) != SK_TOTP_DIGITS || now < SK_TOTP_STEP)
		return SK_ERR_AUTH;
	for (size_t i = 0; i < SK_TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return SK_ERR_AUTH;
	int64_t step = now / SK_TOTP_STEP;
	int64_t found = 0;
	/* Every candidate is computed and compared, so the time taken does not say which matched.
	 */
	for (int64_t d = -1; d <= 1; d++) {
		char want[SK_TOTP_CODE_MAX];
		if (sk_hotp_code(secret, len, (uint64_t)(step + d), SK_TOTP_DIGITS, want) != SK_OK)
			return SK_ERR_AUTH;
		if (sodium_memcmp(want, code, SK_TOTP_DIGITS) == 0 && step + d > last_step &&
		    !found)
			found = step + d;
		sodium_memzero(want, sizeof(want));
	}
	if (!found)
		return SK_ERR_AUTH;
	*step_out = found;
	return SK_OK;
}

void sk_totp_secret_new(unsigned char out[SK_TOTP_SECRET_LEN])
{
	randombytes_buf(out, SK_TOTP_SECRET_LEN);
}

sk_err sk_totp_base32(const unsigned char *secret, size_t len, char out[SK_TOTP_BASE32_MAX])
{
	out[0] = '\0';
	if (!secret || len == 0 || len > SK_TOTP_SECRET_MAX)
		return SK_ERR_INVALID;
	/* liboath's encoder; it pads with '=', which authenticator apps do not take. */
	char *b32 = NULL;
	size_t n = 0;
	if (oath_base32_encode((const char *)secret, len, &b32, &n) != OATH_OK || !b32)
		return SK_ERR_NOMEM;
	while (n > 0 && b32[n - 1] == '=')
		n--;
	sk_err e = n < SK_TOTP_BASE32_MAX ? SK_OK : SK_ERR_INVALID;
	if (!e) {
		memcpy(out, b32, n);
		out[n] = '\0';
	}
	sodium_memzero(b32, strlen(b32));
	free(b32);
	return e;
}

/* RFC 3986 unreserved characters pass; everything else (UTF-8 bytes included) is %XX. */
static sk_err add_escaped(sk_buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bool plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		             (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
		             *p == '~';
		sk_err e = plain ? sk_buf_addf(out, "%c", *p) : sk_buf_addf(out, "%%%02X", *p);
		if (e)
			return e;
	}
	return SK_OK;
}

sk_err sk_totp_uri(const char *issuer, const char *account, const unsigned char *secret, size_t len,
                   sk_buf *out)
{
	char b32[SK_TOTP_BASE32_MAX];
	sk_err e = sk_totp_base32(secret, len, b32);
	if (!e)
		e = sk_buf_adds(out, "otpauth://totp/");
	if (!e)
		e = add_escaped(out, issuer);
	if (!e)
		e = sk_buf_adds(out, ":");
	if (!e)
		e = add_escaped(out, account);
	if (!e)
		e = sk_buf_addf(out, "?secret=%s&issuer=", b32);
	if (!e)
		e = add_escaped(out, issuer);
	if (!e)
		e = sk_buf_addf(out, "&algorithm=SHA1&digits=%d&period=%d", SK_TOTP_DIGITS,
		                SK_TOTP_STEP);
	sodium_memzero(b32, sizeof(b32));
	return e;
}

sk_err sk_totp_key_path(const char *db_url, sk_buf *out, sk_buf *err)
{
	return sk_store_file_beside(db_url, ".totp-key", "SEKISHO_TOTP_KEY", SK_M_TOTP_KEY_NO_PLACE,
	                            out, err);
}

/* Makes a new key file; EEXIST is left for the caller, who then reads the winner's key. */
static sk_err key_create(const char *path, unsigned char key[crypto_secretbox_KEYBYTES],
                         sk_buf *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST
		           ? SK_ERR_EXISTS
		           : sk_fail_msg(err, SK_ERR_IO, NULL, NULL,
		                         SK_M_AUTH_CANNOT_CREATE_TOTP_KEY, path, strerror(errno));
	char text[KEY_FILE_LEN + 1];
	char hex[2 * crypto_secretbox_KEYBYTES + 1];
	crypto_secretbox_keygen(key);
	sodium_bin2hex(hex, sizeof(hex), key, crypto_secretbox_KEYBYTES);
	int n = snprintf(text, sizeof(text), "%s %s\n", KEY_TAG, hex);
	bool ok = n > 0 && write(fd, text, (size_t)n) == n && fsync(fd) == 0;
	int saved = errno;
	ok = (close(fd) == 0) && ok;
	sodium_memzero(text, sizeof(text));
	sodium_memzero(hex, sizeof(hex));
	if (!ok) {
		(void)unlink(path);
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_AUTH_CANNOT_WRITE_TOTP_KEY,
		                   path, strerror(saved));
	}
	return SK_OK;
}

static sk_err key_read(const char *path, unsigned char key[crypto_secretbox_KEYBYTES], sk_buf *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT
		           ? SK_ERR_NOT_FOUND
		           : sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_AUTH_CANNOT_OPEN_TOTP_KEY,
		                         path, strerror(errno));
	struct stat st;
	char text[KEY_FILE_LEN + 1] = {0};
	sk_err e = SK_OK;
	if (fstat(fd, &st) != 0)
		e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_AUTH_CANNOT_READ_TOTP_KEY, path,
		                strerror(errno));
	else if (!S_ISREG(st.st_mode) || (st.st_mode & 077))
		e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_AUTH_TOTP_KEY_FILE_MUST,
		                path);
	else if (read(fd, text, sizeof(text)) != (ssize_t)KEY_FILE_LEN)
		e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_AUTH_TOTP_KEY_FILE_SEKISHO,
		                path);
	(void)close(fd);
	if (!e &&
	    (memcmp(text, KEY_TAG " ", sizeof(KEY_TAG)) != 0 || text[KEY_FILE_LEN - 1] != '\n' ||
	     sodium_hex2bin(key, crypto_secretbox_KEYBYTES, text + sizeof(KEY_TAG),
	                    2 * crypto_secretbox_KEYBYTES, NULL, NULL, NULL) != 0))
		e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_AUTH_TOTP_KEY_FILE_SEKISHO,
		                path);
	sodium_memzero(text, sizeof(text));
	return e;
}

static sk_err key_get(const char *path, bool create, unsigned char key[crypto_secretbox_KEYBYTES],
                      sk_buf *err)
{
	sk_err e = key_read(path, key, err);
	if (e == SK_ERR_NOT_FOUND && create) {
		e = key_create(path, key, err);
		if (e == SK_ERR_EXISTS)
			e = key_read(path, key, err);
	}
	if (e == SK_ERR_NOT_FOUND)
		e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_AUTH_TOTP_KEY_FILE_DOES, path);
	return e;
}

sk_err sk_totp_seal(const char *key_path, bool create, const unsigned char *secret, size_t len,
                    sk_buf *out, sk_buf *err)
{
	if (!secret || len == 0 || len > SK_TOTP_SECRET_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUTH_TOTP_SECRET_BYTES,
		                   SK_TOTP_SECRET_MAX);
	unsigned char key[crypto_secretbox_KEYBYTES];
	sk_err e = key_get(key_path, create, key, err);
	if (e)
		return e;
	unsigned char
	    box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SK_TOTP_SECRET_MAX];
	char hex[2 * sizeof(box) + 1];
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	(void)crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, secret, len, box, key);
	size_t n = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	sodium_bin2hex(hex, sizeof(hex), box, n);
	e = sk_buf_adds(out, hex)
	        ? sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_AUTH_SEALED_SECRET_TOO_LONG)
	        : SK_OK;
	sodium_memzero(key, sizeof(key));
	return e;
}

sk_err sk_totp_open(const char *key_path, const char *sealed, unsigned char out[SK_TOTP_SECRET_MAX],
                    size_t *len, sk_buf *err)
{
	*len = 0;
	unsigned char
	    box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SK_TOTP_SECRET_MAX];
	size_t n = 0;
	size_t hexlen = sealed ? strlen(sealed) : 0;
	if (hexlen > 2 * sizeof(box) ||
	    sodium_hex2bin(box, sizeof(box), sealed ? sealed : "", hexlen, NULL, &n, NULL) != 0 ||
	    n != hexlen / 2 || n <= crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
		                   SK_M_AUTH_STORED_TOTP_SECRET_MALFORMED);
	unsigned char key[crypto_secretbox_KEYBYTES];
	sk_err e = key_get(key_path, false, key, err);
	if (e)
		return e;
	size_t clen = n - crypto_secretbox_NONCEBYTES;
	if (crypto_secretbox_open_easy(out, box + crypto_secretbox_NONCEBYTES, clen, box, key) != 0)
		e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_AUTH_STORED_TOTP_SECRET_DOES,
		                key_path);
	else
		*len = clen - crypto_secretbox_MACBYTES;
	sodium_memzero(key, sizeof(key));
	return e;
}
