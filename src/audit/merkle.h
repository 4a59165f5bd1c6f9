/*
 * merkle: the RFC 9162 (Certificate Transparency 2.0) Merkle tree hash over
 * the audit log's leaf hashes, with inclusion and consistency proofs.
 *
 * leaf = SHA-256(0x00 || entry bytes) (sk_audit_leaf_hash), node =
 * SHA-256(0x01 || left || right), and the root of the empty tree is
 * SHA-256(""). Leaf hashes are passed as an array of n 32-byte hashes the
 * caller owns; nothing here allocates except proof generation's recursion,
 * which uses the stack only (depth <= 64).
 */
#ifndef SK_MERKLE_H
#define SK_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_err.h"
#include "audit.h"

/* The longest proof for a tree of up to 2^63 leaves. */
#define SK_MERKLE_MAX_PROOF 64

typedef unsigned char sk_hash[SK_HASH_LEN];

void sk_merkle_node(const sk_hash left, const sk_hash right, sk_hash out);
void sk_merkle_empty_root(sk_hash out);

/*
 * A compact range over the first `size` leaves: one hash per set bit of size
 * (the roots of the perfect subtrees the tree is made of). Push leaves in
 * order; the root of the tree so far is available at any time. This is how
 * verification computes the root at every checkpoint size in one pass.
 */
typedef struct sk_merkle_acc {
	uint64_t size;
	int depth;
	sk_hash stack[64];
} sk_merkle_acc;

void sk_merkle_acc_init(sk_merkle_acc *a);
void sk_merkle_acc_push(sk_merkle_acc *a, const sk_hash leaf);
void sk_merkle_acc_root(const sk_merkle_acc *a, sk_hash out);

/*
 * Pushes the root of a perfect subtree of 2^height leaves at once, as if its
 * leaves had been pushed one by one: the caller computed it elsewhere (a
 * verification reader does, for its chunk). The size so far must be a
 * multiple of 2^height, which RFC 9162's shape needs for the subtree to be
 * one node of the tree; false (nothing pushed) when it is not.
 */
bool sk_merkle_acc_push_subtree(sk_merkle_acc *a, const sk_hash root, unsigned height);

/* The root of the tree over leaves[0..n). */
void sk_merkle_root(const sk_hash *leaves, uint64_t n, sk_hash out);

/*
 * Proof generation (RFC 9162 2.1.3.1 and 2.1.4.1) from all n leaf hashes.
 * proof receives up to SK_MERKLE_MAX_PROOF hashes, *len how many.
 * SK_ERR_INVALID for an index outside the tree, or unless 0 < m <= n for a
 * consistency proof (m == n gives an empty proof).
 */
sk_err sk_merkle_inclusion_proof(const sk_hash *leaves, uint64_t n, uint64_t index,
                                 sk_hash proof[SK_MERKLE_MAX_PROOF], size_t *len);
sk_err sk_merkle_consistency_proof(const sk_hash *leaves, uint64_t m, uint64_t n,
                                   sk_hash proof[SK_MERKLE_MAX_PROOF], size_t *len);

/*
 * Proof verification (RFC 9162 2.1.3.2 and 2.1.4.2). Roots are given with
 * their length, as they arrive from outside; any length but 32 only matches
 * an identical value where no hashing is involved (equal tree sizes).
 * SK_OK when the proof holds, SK_ERR_CORRUPT (with a reason in err) when it
 * does not, SK_ERR_INVALID for impossible sizes.
 */
sk_err sk_merkle_verify_inclusion(uint64_t index, uint64_t size, const sk_hash leaf,
                                  const sk_hash *proof, size_t len, const unsigned char *root,
                                  size_t root_len, sk_buf *err);
sk_err sk_merkle_verify_consistency(uint64_t size1, uint64_t size2, const sk_hash *proof,
                                    size_t len, const unsigned char *root1, size_t root1_len,
                                    const unsigned char *root2, size_t root2_len, sk_buf *err);

#endif
