/*
 * verify: checking the audit log, from the database or from an export.
 *
 * Verification trusts no stored hash: it rebuilds every entry's leaf bytes
 * from the entry's stored fields, re-hashes them and checks, in sequence
 * order from 1: contiguity of sequence numbers, the stored leaf hash, the
 * previous-hash chain, the log head, and the Merkle root at the size of
 * every checkpoint (those stored in the log and those given from outside,
 * each verified against the log's Ed25519 verifier key first). It stops at
 * the first failure and names the entry.
 *
 * The result's why buffer and leaves array belong to the result; release
 * them with sk_audit_verify_result_free.
 */
#ifndef SK_VERIFY_H
#define SK_VERIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "../core/sk_buf.h"
#include "../store/store.h"
#include "checkpoint.h"
#include "merkle.h"

/* The magic of an export's first line. */
#define SK_AUDIT_EXPORT_FORMAT "sekisho-audit-export/1"

typedef struct sk_audit_verify_opts {
	/* The verifier key to trust; NULL: the one the log names (meta
	 * audit.vkey, or an export's header). An auditor pins their own. */
	const sk_audit_verifier *vkey;
	/* Signed checkpoint notes kept outside the log, with a label each for messages. */
	const char *const *notes;
	const size_t *note_lens;
	const char *const *note_labels;
	size_t nnotes;
	/* Keep every leaf hash in the result (for proofs). */
	bool keep_leaves;
} sk_audit_verify_opts;

typedef struct sk_audit_verify_result {
	bool intact;
	int64_t size;       /* entries read and verified */
	sk_hash root;       /* the root over the verified entries (when intact) */
	int64_t bad_seq;    /* the first failing entry; 0 when the failure is not an entry's */
	sk_buf why;         /* what failed, a sentence starting with "entry N:" when bad_seq */
	size_t checkpoints; /* checkpoints checked and matching */
	sk_hash *leaves;    /* keep_leaves: the size leaf hashes */
	char origin[SK_NOTE_NAME_MAX + 1];
} sk_audit_verify_result;

void sk_audit_verify_result_init(sk_audit_verify_result *r);
void sk_audit_verify_result_free(sk_audit_verify_result *r);

/*
 * The one JSON shape of a verification result, written by `sekisho audit
 * verify --json` and GET /api/v1/audit/verify alike: {"intact", "origin",
 * "size", "root" (base64, as checkpoint notes and `audit prove` write
 * hashes, so it can be compared with them; null when not intact),
 * "checkpoints", "first_bad_entry" (the sequence number of the first entry
 * that fails, null when intact or when the failure is not an entry's),
 * "reason" (why, null when intact)}. Every key is always present. A new
 * reference; NULL when out of memory.
 */
json_t *sk_audit_verify_json(const sk_audit_verify_result *r);

/*
 * Verifies the log in s. SK_OK means the check ran: r->intact says whether
 * the log is intact. Other errors (with err) mean it could not run: the
 * database cannot be read, a given note is malformed, or no verifier key.
 */
sk_err sk_audit_verify_store(sk_store *s, const sk_audit_verify_opts *o, sk_audit_verify_result *r,
                             sk_buf *err);

/*
 * Verifies an export (see sk_audit_export) read from f. A malformed line is
 * a failure of the export (r->intact false, naming the line), not an error:
 * only I/O errors and bad options are.
 */
sk_err sk_audit_verify_export(FILE *f, const sk_audit_verify_opts *o, sk_audit_verify_result *r,
                              sk_buf *err);

/*
 * Writes the log as JSON lines: a header {"export", "origin", "vkey",
 * "size", "head"}, one line per entry with its stored fields {"seq", "at",
 * "actor", "address", "action", "object", "before", "after", "prev",
 * "leaf"}, then one {"checkpoint": note} line per stored checkpoint. Every
 * line is in canonical form (compact, keys in that order), which the reader
 * insists on, so a changed byte can never read as the same export.
 */
sk_err sk_audit_export(sk_store *s, FILE *out, sk_buf *err);

/*
 * Makes a checkpoint: verifies the whole log first (a checkpoint never
 * vouches for a damaged log: SK_ERR_CORRUPT with the reason), signs its
 * current size and root with signer, stores the note in audit_checkpoint
 * and appends it to note. A checkpoint of a size already stored returns the
 * stored note. *size_out receives the size.
 */
sk_err sk_audit_checkpoint_create(sk_store *s, const sk_audit_signer *signer, sk_buf *note,
                                  uint64_t *size_out, sk_buf *err);

/*
 * The inclusion proof of leaf index (seq - 1) in the tree of the first size
 * leaves of r (verified with keep_leaves), in the one shape `sekisho audit
 * prove --index` prints and `sekisho audit verify-proof` reads: {"leafIdx",
 * "treeSize", "root", "leafHash", "proof": [...]}, hashes in base64. NULL
 * when index >= size, size > r->size or out of memory. A new reference.
 */
json_t *sk_audit_inclusion_json(const sk_audit_verify_result *r, uint64_t index, uint64_t size);

/*
 * The proof of entry seq for a reader (the web UI's /audit/{seq}): verifies
 * the whole log first (a damaged log proves nothing: SK_ERR_CORRUPT with
 * the reason), then proves the entry's inclusion in the smallest stored
 * checkpoint that covers it, or in the whole log when none does yet.
 * *out: {"proof": as sk_audit_inclusion_json, "checkpoint": the signed note
 * or null, "vkey": the log's verifier key line or null}. SK_ERR_NOT_FOUND
 * for a seq outside the log. Access is the caller's to check. *out is the
 * caller's.
 */
sk_err sk_audit_prove_entry(sk_store *s, int64_t seq, json_t **out, sk_buf *err);

/*
 * Test seam: verification of a store reads entries in chunks of this many
 * sequence numbers (a power of two up to the default, 16384; 0 restores the
 * default), so that tests reach chunk edges with small logs. False, and no
 * change, for any other value. Process-wide; not for use while verifying.
 */
bool sk_audit_verify_chunk_rows(size_t rows);

/* Lower-case hex of exactly 64 digits to a hash; false for anything else. */
bool sk_audit_unhex(const char *hex, size_t n, sk_hash out);

#endif
