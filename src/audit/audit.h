/*
 * audit: the tamper-evident audit log (SPEC C9).
 *
 * Every state change and every decision appends one entry in the same
 * transaction as the change. An entry's stored fields are its truth: the
 * leaf bytes hashed into the RFC 9162 Merkle tree are rebuilt from them by
 * sk_audit_entry_bytes, never read from a stored copy, so an edit of any
 * field shows up as a hash mismatch. Each entry also carries the previous
 * entry's leaf hash (a hash chain), so reordering and deletion are caught
 * even without a checkpoint; signed checkpoints kept outside the database
 * catch truncation and wholesale rewriting.
 */
#ifndef SK_AUDIT_H
#define SK_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../store/store.h"

#define SK_HASH_LEN     32
#define SK_HASH_HEX_LEN 64

/*
 * One event to append. Strings are borrowed and must be valid UTF-8 without
 * control characters; before and after are JSON images of the object
 * (NULL for "none", e.g. before a creation) and are stored in canonical form.
 */
typedef struct sk_audit_event {
	const char *actor;   /* the account's login, or "cli:<unix user>", or "system" */
	const char *address; /* the client's IP address, or "cli" */
	const char *action;  /* dotted verb: "org.add", "user.disable", "asset.read" */
	const char *object;  /* "<kind>:<id or key>", e.g. "org_unit:12", "user:alice" */
	const json_t *before;
	const json_t *after;
} sk_audit_event;

/*
 * Appends ev. Runs inside the caller's transaction when there is one (the
 * normal case: the change and its entry commit together) and in its own
 * otherwise. *seq_out, when not NULL, receives the entry's sequence number
 * (1 for the first entry).
 *
 * The first append of a transaction advances the audit_head row and reads
 * the previous entry's hash from it (which also serializes appenders; on
 * SQLite it only reads it, the transaction holding the write lock since it
 * began, and advances it with the entry's hash); later
 * appends in the same transaction take the head from memory (kept on the
 * store handle, valid while its txn_epoch is unchanged, so a rollback to a
 * savepoint or of the transaction makes the next append read it again), and
 * every append writes the head row, so it is always current for readers in
 * the same transaction.
 */
sk_err sk_audit_append(sk_store *s, const sk_audit_event *ev, int64_t *seq_out, sk_buf *err)
    __attribute__((warn_unused_result));

/*
 * As sk_audit_append, with the images given as text already in canonical
 * form (compact, keys sorted, strings escaped as sk_json_canonical and
 * sk_json_add_str escape them; NULL for none), which a hot path renders
 * without building a json_t. The text is stored as it is, so the caller
 * vouches for its form; its size and UTF-8 are checked. ev->before and
 * ev->after must be NULL.
 */
sk_err sk_audit_append_text(sk_store *s, const sk_audit_event *ev, const char *before_text,
                            const char *after_text, int64_t *seq_out, sk_buf *err)
    __attribute__((warn_unused_result));

/*
 * The image of nothing, for sk_audit_change: before a creation, after a
 * removal. Stored as NULL ("-" in the leaf bytes), as a NULL image of
 * sk_audit_append is. (A JSON null with jansson's "never freed" reference
 * count, so releasing it by mistake does no harm.)
 */
extern json_t sk_audit_none;
#define SK_AUDIT_NONE (&sk_audit_none)

/*
 * Appends the entry about one change: actor at address did action to the
 * object named by object_fmt ("<kind>:<id or key>", printf-style), with the
 * object's images before and after. It takes the images and releases them
 * whatever happens, so a caller builds them in the call's arguments: an
 * image that is absent by design is SK_AUDIT_NONE, and a NULL image is one
 * whose building failed, refused as out of memory (nothing is appended).
 * Callers thus need no out-of-memory branch of their own. As
 * sk_audit_append otherwise (the caller's transaction, or its own).
 */
sk_err sk_audit_change(sk_store *s, const char *actor, const char *address, const char *action,
                       json_t *before, json_t *after, sk_buf *err, const char *object_fmt, ...)
    __attribute__((warn_unused_result, format(printf, 8, 9)));

/* An entry as stored. Strings point into storage the producer owns. */
typedef struct sk_audit_entry {
	int64_t seq;
	const char *at; /* RFC 3339 UTC with offset, microseconds */
	const char *actor;
	const char *address;
	const char *action;
	const char *object;
	const char *before_json; /* canonical JSON text, or NULL */
	const char *after_json;  /* canonical JSON text, or NULL */
	const char *prev_hash;   /* hex leaf hash of entry seq-1; 64 zeros for the first */
	/* (the hash columns store bytes; the encoding and this field are hex) */
} sk_audit_entry;

/*
 * The leaf bytes of an entry (what the Merkle leaf hash covers), appended to
 * out. The encoding is "sekisho-audit/1" followed by every field as a
 * netstring ("<len>:<bytes>,"), NULL JSON images written as "-": unambiguous
 * for any content and cheap to rebuild from stored columns.
 */
sk_err sk_audit_entry_bytes(const sk_audit_entry *e, sk_buf *out);

/*
 * The same encoding from fields given with their lengths, in sk_audit_entry
 * order from at to prev_hash (8 fields, none NULL: a missing JSON image is
 * passed as "-"). For verification, which has the lengths already; the
 * bytes are taken as they are, NUL included.
 */
sk_err sk_audit_entry_bytes_n(int64_t seq, const char *const f[8], const size_t n[8], sk_buf *out);

/* SHA-256(0x00 || bytes): the RFC 9162 leaf hash. */
void sk_audit_leaf_hash(const void *bytes, size_t len, unsigned char out[SK_HASH_LEN]);

/* Lower-case hex of a hash; out has room for SK_HASH_HEX_LEN + 1 bytes. */
void sk_audit_hex(const unsigned char h[SK_HASH_LEN], char out[SK_HASH_HEX_LEN + 1]);

/*
 * The hash columns (audit_log.prev_hash and leaf_hash, audit_head.leaf_hash)
 * hold the 32 hash bytes as a BLOB, while the entry encoding, exports and
 * listings show them as lower-case hex. This writes the hex of column i of
 * row into out and returns out; a damaged value (not a BLOB of 32 bytes)
 * gives "", which no check accepts.
 */
const char *sk_audit_hash_col(const sk_row *row, size_t i, char out[SK_HASH_HEX_LEN + 1]);

/*
 * Sets up the audit log of a new installation, inside the caller's
 * transaction: creates the Ed25519 checkpoint signing key in key_path (a new
 * file, mode 0600, refused if it exists) and its public verifier key line in
 * key_path + ".pub", and stores origin (the checkpoint origin line, e.g.
 * "sekisho.example/3f2a...") and the verifier key in meta ("audit.origin",
 * "audit.vkey"). The private key never enters the database. On failure the
 * key files it created are removed again.
 */
sk_err sk_audit_setup(sk_store *s, const char *key_path, const char *origin, sk_buf *err)
    __attribute__((warn_unused_result));

/*
 * The default signing key path for a database URL: "<path>.audit-key" for
 * SQLite. PostgreSQL has no file beside it, so there the key path must be
 * given (--key or $SEKISHO_AUDIT_KEY, which this function consults) and
 * SK_ERR_INVALID says so when it is not.
 */
sk_err sk_audit_default_key_path(const char *db_url, sk_buf *out, sk_buf *err);

/*
 * Removes the key files sk_audit_setup created (key_path and key_path.pub).
 * For a caller whose own transaction failed after sk_audit_setup succeeded:
 * the key must not outlive the installation it was made for.
 */
void sk_audit_key_remove(const char *key_path);

#endif
