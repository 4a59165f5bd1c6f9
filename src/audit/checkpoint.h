/*
 * checkpoint: the audit log's signing key and its C2SP signed notes.
 *
 * A checkpoint is a C2SP tlog-checkpoint ("<origin>\n<size>\n<base64
 * root>\n") in a C2SP signed note, signed with Ed25519 (signature type
 * 0x01). The key's name is the log's origin. Key files use the formats of
 * golang.org/x/mod/sumdb/note, so standard tools read them:
 *   private (mode 0600): PRIVATE+KEY+<name>+<keyhash hex>+<base64(0x01||seed)>
 *   public  (PATH.pub):  <name>+<keyhash hex>+<base64(0x01||public key)>
 * where keyhash is the first 4 bytes (big-endian) of
 * SHA-256(name || "\n" || 0x01 || public key).
 *
 * Secret key bytes live only in sk_audit_signer, which callers wipe with
 * sk_audit_signer_wipe.
 */
#ifndef SK_CHECKPOINT_H
#define SK_CHECKPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "audit.h"

#define SK_NOTE_NAME_MAX 255
#define SK_NOTE_MAX      8192 /* the largest note accepted from outside */

typedef struct sk_audit_verifier {
	char name[SK_NOTE_NAME_MAX + 1];
	uint32_t hash;
	unsigned char pk[32];
} sk_audit_verifier;

typedef struct sk_audit_signer {
	sk_audit_verifier v;
	unsigned char sk[64]; /* libsodium secret key (seed || public key) */
} sk_audit_signer;

/* A parsed checkpoint body. */
typedef struct sk_audit_checkpoint {
	char origin[SK_NOTE_NAME_MAX + 1];
	uint64_t size;
	unsigned char root[SK_HASH_LEN];
} sk_audit_checkpoint;

/* Whether name is usable as a key name and origin: 1-255 printable ASCII, no space or '+'. */
bool sk_audit_name_ok(const char *name);

/*
 * Creates a new key named name in path (O_EXCL, mode 0600: an existing file
 * is never overwritten) and its verifier key line in path + ".pub". On
 * failure nothing is left behind. vkey_out, when not NULL, receives the
 * verifier key line (without newline).
 */
sk_err sk_audit_key_create(const char *path, const char *name, sk_buf *vkey_out, sk_buf *err);

/*
 * Loads a private key file. Refuses (SK_ERR_DENIED) a file that is not a
 * regular file owned by the current user with no group or other permission
 * bits, so a leaked-readable key is noticed rather than used.
 */
sk_err sk_audit_key_load(const char *path, sk_audit_signer *out, sk_buf *err);
void sk_audit_signer_wipe(sk_audit_signer *s);

/* Parses a verifier key line (surrounding whitespace ignored) and checks its key hash. */
sk_err sk_audit_vkey_parse(const char *text, size_t len, sk_audit_verifier *out, sk_buf *err);
/* Reads a verifier key from a file (a .pub file). */
sk_err sk_audit_vkey_load(const char *path, sk_audit_verifier *out, sk_buf *err);
/* The verifier key line of v (no newline). */
sk_err sk_audit_vkey_format(const sk_audit_verifier *v, sk_buf *out);

/* Appends the signed checkpoint note for (origin = signer's name, size, root) to out. */
sk_err sk_audit_checkpoint_sign(const sk_audit_signer *s, uint64_t size,
                                const unsigned char root[SK_HASH_LEN], sk_buf *out, sk_buf *err);

/*
 * Parses and verifies a signed checkpoint note of len bytes. It verifies
 * when its body is a well-formed checkpoint and one signature line carries
 * v's name and key hash and verifies under v; signatures by other keys are
 * ignored, as C2SP prescribes. The origin must equal v's name.
 * SK_ERR_INVALID: not a note/checkpoint (or over SK_NOTE_MAX);
 * SK_ERR_CORRUPT: well-formed but not signed by v, or another origin.
 */
sk_err sk_audit_checkpoint_open(const char *note, size_t len, const sk_audit_verifier *v,
                                sk_audit_checkpoint *out, sk_buf *err);

/* Reads a whole small file (at most max bytes) into out. */
sk_err sk_audit_read_file(const char *path, size_t max, sk_buf *out, sk_buf *err);

#endif
