/* merkle: RFC 9162 tree hashes, proofs and proof verification. */
#include "merkle.h"
#include "../core/sk_msg.h"

#include <openssl/sha.h>
#include <string.h>

/* The SHA256_* calls are deprecated in OpenSSL 3 but avoid EVP's per-call
 * method lookup, which dominates for 65-byte inputs. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
void sk_merkle_node(const sk_hash left, const sk_hash right, sk_hash out)
{
	/* One contiguous update: measurably cheaper than three (verification
	 * hashes one node per entry). */
	unsigned char b[1 + 2 * SK_HASH_LEN];
	b[0] = 0x01;
	memcpy(b + 1, left, SK_HASH_LEN);
	memcpy(b + 1 + SK_HASH_LEN, right, SK_HASH_LEN);
	SHA256_CTX c;
	SHA256_Init(&c);
	SHA256_Update(&c, b, sizeof(b));
	SHA256_Final(out, &c);
}

void sk_merkle_empty_root(sk_hash out) { SHA256((const unsigned char *)"", 0, out); }
#pragma GCC diagnostic pop

void sk_merkle_acc_init(sk_merkle_acc *a)
{
	a->size = 0;
	a->depth = 0;
}

/* Pushes a perfect subtree of 2^height leaves at a size that is a multiple of
 * 2^height: as a leaf one level up, each trailing 1 bit of the size in units
 * of the subtree is a perfect subtree of the same height it completes. */
static inline void push_at(sk_merkle_acc *a, const sk_hash node, unsigned height)
{
	sk_hash h;
	memcpy(h, node, SK_HASH_LEN);
	for (uint64_t s = a->size >> height; s & 1; s >>= 1)
		sk_merkle_node(a->stack[--a->depth], h, h);
	memcpy(a->stack[a->depth++], h, SK_HASH_LEN);
	a->size += UINT64_C(1) << height;
}

void sk_merkle_acc_push(sk_merkle_acc *a, const sk_hash leaf) { push_at(a, leaf, 0); }

bool sk_merkle_acc_push_subtree(sk_merkle_acc *a, const sk_hash root, unsigned height)
{
	if (height >= 63 || (a->size & ((UINT64_C(1) << height) - 1)) != 0)
		return false;
	push_at(a, root, height);
	return true;
}

void sk_merkle_acc_root(const sk_merkle_acc *a, sk_hash out)
{
	if (a->depth == 0) {
		sk_merkle_empty_root(out);
		return;
	}
	memcpy(out, a->stack[a->depth - 1], SK_HASH_LEN);
	for (int i = a->depth - 2; i >= 0; i--)
		sk_merkle_node(a->stack[i], out, out);
}

void sk_merkle_root(const sk_hash *leaves, uint64_t n, sk_hash out)
{
	sk_merkle_acc a;
	sk_merkle_acc_init(&a);
	for (uint64_t i = 0; i < n; i++)
		sk_merkle_acc_push(&a, leaves[i]);
	sk_merkle_acc_root(&a, out);
}

/* The largest power of two smaller than n (n > 1). */
static uint64_t split(uint64_t n)
{
	uint64_t k = 1;
	while (k << 1 < n)
		k <<= 1;
	return k;
}

static void path(const sk_hash *d, uint64_t m, uint64_t n, sk_hash *proof, size_t *len)
{
	if (n <= 1)
		return;
	uint64_t k = split(n);
	if (m < k) {
		path(d, m, k, proof, len);
		sk_merkle_root(d + k, n - k, proof[(*len)++]);
	} else {
		path(d + k, m - k, n - k, proof, len);
		sk_merkle_root(d, k, proof[(*len)++]);
	}
}

sk_err sk_merkle_inclusion_proof(const sk_hash *leaves, uint64_t n, uint64_t index,
                                 sk_hash proof[SK_MERKLE_MAX_PROOF], size_t *len)
{
	*len = 0;
	if (index >= n)
		return SK_ERR_INVALID;
	path(leaves, index, n, proof, len);
	return SK_OK;
}

static void subproof(const sk_hash *d, uint64_t m, uint64_t n, int whole, sk_hash *proof,
                     size_t *len)
{
	if (m == n) {
		if (!whole)
			sk_merkle_root(d, m, proof[(*len)++]);
		return;
	}
	uint64_t k = split(n);
	if (m <= k) {
		subproof(d, m, k, whole, proof, len);
		sk_merkle_root(d + k, n - k, proof[(*len)++]);
	} else {
		subproof(d + k, m - k, n - k, 0, proof, len);
		sk_merkle_root(d, k, proof[(*len)++]);
	}
}

sk_err sk_merkle_consistency_proof(const sk_hash *leaves, uint64_t m, uint64_t n,
                                   sk_hash proof[SK_MERKLE_MAX_PROOF], size_t *len)
{
	*len = 0;
	if (m == 0 || m > n)
		return SK_ERR_INVALID;
	subproof(leaves, m, n, 1, proof, len);
	return SK_OK;
}

static int same_root(const sk_hash h, const unsigned char *root, size_t root_len)
{
	return root_len == SK_HASH_LEN && memcmp(h, root, SK_HASH_LEN) == 0;
}

sk_err sk_merkle_verify_inclusion(uint64_t index, uint64_t size, const sk_hash leaf,
                                  const sk_hash *proof, size_t len, const unsigned char *root,
                                  size_t root_len, sk_buf *err)
{
	if (index >= size)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_LEAF_INDEX_OUTSIDE_TREE, (unsigned long long)index,
		                   (unsigned long long)size);
	uint64_t fn = index, sn = size - 1;
	sk_hash r;
	memcpy(r, leaf, SK_HASH_LEN);
	for (size_t i = 0; i < len; i++) {
		if (sn == 0)
			return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
			                   SK_M_AUDIT_INCLUSION_PROOF_TOO_LONG);
		if ((fn & 1) || fn == sn) {
			sk_merkle_node(proof[i], r, r);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			sk_merkle_node(r, proof[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
		                   SK_M_AUDIT_INCLUSION_PROOF_TOO_SHORT);
	if (!same_root(r, root, root_len))
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
		                   SK_M_AUDIT_INCLUSION_PROOF_DOES_LEAD);
	return SK_OK;
}

sk_err sk_merkle_verify_consistency(uint64_t size1, uint64_t size2, const sk_hash *proof,
                                    size_t len, const unsigned char *root1, size_t root1_len,
                                    const unsigned char *root2, size_t root2_len, sk_buf *err)
{
	if (size2 < size1)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_OLD_SIZE_LARGER_NEW,
		                   (unsigned long long)size1, (unsigned long long)size2);
	if (size1 == size2) {
		sk_hash empty;
		sk_merkle_empty_root(empty);
		if (len != 0)
			return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
			                   SK_M_AUDIT_PROOF_BETWEEN_EQUAL_SIZES);
		if (root1_len != root2_len || memcmp(root1, root2, root1_len) != 0)
			return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
			                   SK_M_AUDIT_ROOTS_EQUAL_SIZES_DIFFER);
		if (size1 == 0 && !same_root(empty, root1, root1_len))
			return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
			                   SK_M_AUDIT_ROOT_EMPTY_TREE);
		return SK_OK;
	}
	/* Every tree extends the empty one: such a proof would prove nothing, so
	 * it is refused rather than accepted vacuously. */
	if (size1 == 0)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_CONSISTENCY_PROOF_SIZE_PROVES);
	if (len == 0)
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
		                   SK_M_AUDIT_CONSISTENCY_PROOF_EMPTY);

	const unsigned char *seed = proof[0];
	size_t next = 1;
	if ((size1 & (size1 - 1)) == 0) {
		/* The old tree is a perfect subtree: its root starts the path. */
		if (root1_len != SK_HASH_LEN)
			return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
			                   SK_M_AUDIT_OLD_ROOT_BYTE_HASH);
		seed = root1;
		next = 0;
	}
	uint64_t fn = size1 - 1, sn = size2 - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	sk_hash fr, sr;
	memcpy(fr, seed, SK_HASH_LEN);
	memcpy(sr, seed, SK_HASH_LEN);
	for (size_t i = next; i < len; i++) {
		if (sn == 0)
			return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
			                   SK_M_AUDIT_CONSISTENCY_PROOF_TOO_LONG);
		if ((fn & 1) || fn == sn) {
			sk_merkle_node(proof[i], fr, fr);
			sk_merkle_node(proof[i], sr, sr);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			sk_merkle_node(sr, proof[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
		                   SK_M_AUDIT_CONSISTENCY_PROOF_TOO_SHORT);
	if (!same_root(fr, root1, root1_len))
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
		                   SK_M_AUDIT_CONSISTENCY_PROOF_DOES_LEAD);
	if (!same_root(sr, root2, root2_len))
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
		                   SK_M_AUDIT_CONSISTENCY_PROOF_DOES_LEAD_2);
	return SK_OK;
}
