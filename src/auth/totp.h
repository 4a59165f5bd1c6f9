/*
 * totp: one-time codes (RFC 4226 HOTP, RFC 6238 TOTP) on top of liboath,
 * and the at-rest protection of the shared secrets (SPEC C3).
 *
 * This module is pure computation plus the secret-box key file; which
 * account holds which secret, and which step it used last, is kept by
 * auth.c in the users table. Codes are 6 digits, 30-second steps, HMAC-SHA1
 * (what every authenticator app understands) unless a caller asks for
 * otherwise; verification accepts the current step and one step either side
 * (RFC 6238 §5.2) and never the same step twice.
 *
 * Secrets are encrypted at rest with libsodium's crypto_secretbox under a
 * 32-byte key kept in a file of mode 0600 beside the database
 * ("<database path>.totp-key" for SQLite, $SEKISHO_TOTP_KEY for
 * PostgreSQL, which has no file to sit beside), following the audit key's
 * pattern (src/audit/audit.h): whoever steals the database alone cannot
 * mint codes.
 */
#ifndef SK_TOTP_H
#define SK_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../core/sk_err.h"

/* Bytes of a shared secret we generate (160 bits, RFC 4226 §4's recommendation). */
#define SK_TOTP_SECRET_LEN 20
/* The longest secret accepted anywhere (RFC 6238 Appendix B uses 64 for SHA-512). */
#define SK_TOTP_SECRET_MAX 64
/* Room for the base32 text of SK_TOTP_SECRET_MAX bytes, without padding, with its NUL. */
#define SK_TOTP_BASE32_MAX 128
#define SK_TOTP_STEP       30 /* seconds */
#define SK_TOTP_DIGITS     6
/* Room for a code of up to 8 digits with its NUL. */
#define SK_TOTP_CODE_MAX 9

typedef enum sk_totp_alg { SK_TOTP_SHA1, SK_TOTP_SHA256, SK_TOTP_SHA512 } sk_totp_alg;

/*
 * The HOTP value (RFC 4226) of counter under secret, digits (6, 7 or 8)
 * long, zero-padded, into out. SK_ERR_INVALID for a bad length or digit
 * count; SK_ERR_INTERNAL when liboath fails.
 */
sk_err sk_hotp_code(const unsigned char *secret, size_t len, uint64_t counter, int digits,
                    char out[SK_TOTP_CODE_MAX]);

/*
 * The TOTP value (RFC 6238) at Unix time t (seconds) with 30-second steps
 * counted from 0, under alg, into out.
 */
sk_err sk_totp_code(const unsigned char *secret, size_t len, int64_t t, int digits, sk_totp_alg alg,
                    char out[SK_TOTP_CODE_MAX]);

/*
 * Checks a 6-digit SHA-1 code typed by a person at time now against secret:
 * it must match step floor(now/30) - 1, + 0 or + 1 (clock drift), and that
 * step must be later than last_step (the step the account last used, 0 when
 * none), so each code works once. On success *step_out is the matched step,
 * which the caller stores as the new last_step in the same transaction.
 * SK_ERR_AUTH for a wrong, reused or malformed code (no message: the caller
 * decides what the person is told).
 */
sk_err sk_totp_verify(const unsigned char *secret, size_t len, int64_t now, const char *code,
                      int64_t last_step, int64_t *step_out);

/* Fills out with SK_TOTP_SECRET_LEN random bytes (libsodium's CSPRNG). */
void sk_totp_secret_new(unsigned char out[SK_TOTP_SECRET_LEN]);

/* RFC 4648 base32 of len bytes (upper case, no '=' padding), as authenticator apps take it. */
sk_err sk_totp_base32(const unsigned char *secret, size_t len, char out[SK_TOTP_BASE32_MAX]);

/*
 * Appends the otpauth URI (Google Authenticator Key Uri Format) for account
 * at issuer to out: otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...
 * &algorithm=SHA1&digits=6&period=30, both names percent-encoded (UTF-8
 * issuers such as 八王子市 are fine).
 */
sk_err sk_totp_uri(const char *issuer, const char *account, const unsigned char *secret, size_t len,
                   sk_buf *out);

/*
 * The key file path for a database URL: $SEKISHO_TOTP_KEY when set, else
 * "<path>.totp-key" for SQLite; SK_ERR_INVALID naming the way out for a
 * PostgreSQL URL without the variable, and for ":memory:".
 */
sk_err sk_totp_key_path(const char *db_url, sk_buf *out, sk_buf *err);

/*
 * Seals a secret for storage under the key in key_path: appends lower-case
 * hex of nonce || secretbox(secret) to out. When create is true and the file
 * does not exist, a new random key is written there first (mode 0600,
 * O_EXCL). SK_ERR_IO naming the file when it cannot be read or made;
 * SK_ERR_CORRUPT when it is not a key of ours or is readable by others.
 */
sk_err sk_totp_seal(const char *key_path, bool create, const unsigned char *secret, size_t len,
                    sk_buf *out, sk_buf *err);

/*
 * Opens what sk_totp_seal made: the secret into out (room for
 * SK_TOTP_SECRET_MAX bytes), its length into *len. SK_ERR_CORRUPT when the
 * text was altered or sealed under another key. The caller wipes out.
 */
sk_err sk_totp_open(const char *key_path, const char *sealed, unsigned char out[SK_TOTP_SECRET_MAX],
                    size_t *len, sk_buf *err);

#endif
