/*
 * Unit tests of src/audit/merkle: every inclusion and consistency vector of
 * transparency-dev/merkle (testdata/, Apache-2.0, valid and mutated), and
 * generated proofs for every tree up to 70 leaves checked against a direct
 * recursive implementation of RFC 9162's MTH.
 */
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/merkle.h"

#ifndef SK_VECTORS_DIR
#error "SK_VECTORS_DIR must name the test vector directory"
#endif

struct b64 {
	unsigned char b[128];
	size_t n;
};

/* Decodes a base64 member; "" and null give length 0. */
static void get_b64(const json_t *j, const char *key, struct b64 *out)
{
	const json_t *v = json_object_get(j, key);
	out->n = 0;
	if (!v || json_is_null(v))
		return;
	assert_true(json_is_string(v));
	assert_int_equal(sodium_base642bin(out->b, sizeof(out->b), json_string_value(v),
	                                   json_string_length(v), NULL, &out->n, NULL,
	                                   sodium_base64_VARIANT_ORIGINAL),
	                 0);
}

/* The proof's elements; false when one is not a 32-byte hash (such a proof must fail). */
static bool get_proof(const json_t *j, sk_hash *proof, size_t *n)
{
	const json_t *a = json_object_get(j, "proof");
	*n = 0;
	if (json_is_null(a))
		return true;
	assert_true(json_is_array(a));
	assert_true(json_array_size(a) <= SK_MERKLE_MAX_PROOF);
	bool ok = true;
	for (size_t i = 0; i < json_array_size(a); i++) {
		struct b64 h;
		json_t *wrap = json_pack("{sO}", "h", json_array_get(a, i));
		get_b64(wrap, "h", &h);
		json_decref(wrap);
		if (h.n != SK_HASH_LEN)
			ok = false;
		else
			memcpy(proof[i], h.b, SK_HASH_LEN);
	}
	*n = json_array_size(a);
	return ok;
}

/* Sizes and indices are uint64 and some vectors use 2^64-1, beyond jansson's
 * int64: read them from the text directly. */
static uint64_t raw_u64(const char *text, const char *key)
{
	char pat[32];
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	const char *p = strstr(text, pat);
	assert_non_null(p);
	p += strlen(pat);
	while (*p == ' ')
		p++;
	char *end;
	unsigned long long v = strtoull(p, &end, 10);
	assert_true(end > p);
	return v;
}

static int run_vector(const char *path, bool inclusion)
{
	json_error_t je;
	char text[16384];
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	size_t tl = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[tl] = '\0';
	json_t *j = json_loads(text, JSON_DECODE_INT_AS_REAL, &je);
	if (!j)
		fail_msg("%s: %s", path, je.text);
	sk_hash proof[SK_MERKLE_MAX_PROOF];
	size_t n;
	bool elems_ok = get_proof(j, proof, &n);
	bool want_err = json_is_true(json_object_get(j, "wantErr"));
	sk_err e;
	if (inclusion) {
		struct b64 root, leaf;
		get_b64(j, "root", &root);
		get_b64(j, "leafHash", &leaf);
		uint64_t idx = raw_u64(text, "leafIdx"), size = raw_u64(text, "treeSize");
		if (!elems_ok || leaf.n != SK_HASH_LEN)
			e = SK_ERR_INVALID;
		else
			e = sk_merkle_verify_inclusion(idx, size, leaf.b, proof, n, root.b, root.n,
			                               NULL);
	} else {
		struct b64 r1, r2;
		get_b64(j, "root1", &r1);
		get_b64(j, "root2", &r2);
		uint64_t s1 = raw_u64(text, "size1"), s2 = raw_u64(text, "size2");
		if (!elems_ok)
			e = SK_ERR_INVALID;
		else
			e = sk_merkle_verify_consistency(s1, s2, proof, n, r1.b, r1.n, r2.b, r2.n,
			                                 NULL);
	}
	if ((e != SK_OK) != want_err)
		fail_msg("%s: wantErr %d but verification gave %d", path, want_err, e);
	json_decref(j);
	return 1;
}

/* Runs every .json under dir (recursively); returns how many. */
static int run_dir(const char *dir, bool inclusion)
{
	DIR *d = opendir(dir);
	if (!d) {
		fail_msg("cannot open %s", dir);
		return 0;
	}
	int count = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		char path[4096];
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		size_t l = strlen(de->d_name);
		if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0)
			count += run_vector(path, inclusion);
		else
			count += run_dir(path, inclusion);
	}
	closedir(d);
	return count;
}

static void test_vectors(void **state)
{
	(void)state;
	int inc = run_dir(SK_VECTORS_DIR "/inclusion", true);
	int con = run_dir(SK_VECTORS_DIR "/consistency", false);
	/* The vector set as shipped: a missing directory must not pass silently. */
	assert_true(inc >= 98);
	assert_true(con >= 98);
	printf("# %d inclusion and %d consistency vectors\n", inc, con);
}

/* RFC 9162 MTH, recursively, as the specification states it. */
static void mth(const sk_hash *d, uint64_t n, sk_hash out)
{
	if (n == 0) {
		sk_merkle_empty_root(out);
		return;
	}
	if (n == 1) {
		memcpy(out, d[0], SK_HASH_LEN);
		return;
	}
	uint64_t k = 1;
	while (k * 2 < n)
		k *= 2;
	sk_hash l, r;
	mth(d, k, l);
	mth(d + k, n - k, r);
	sk_merkle_node(l, r, out);
}

static void test_generated(void **state)
{
	(void)state;
	enum { N = 70 };
	sk_hash leaves[N], root, ref, proof[SK_MERKLE_MAX_PROOF];
	size_t len;
	for (int i = 0; i < N; i++) {
		char b[16];
		int n = snprintf(b, sizeof(b), "leaf %d", i);
		sk_audit_leaf_hash(b, (size_t)n, leaves[i]);
	}
	/* The empty tree's root is SHA-256 of nothing. */
	sk_merkle_root(leaves, 0, root);
	assert_memory_equal(root, "\xe3\xb0\xc4\x42\x98\xfc\x1c\x14", 8);
	for (uint64_t n = 1; n <= N; n++) {
		sk_merkle_root(leaves, n, root);
		mth(leaves, n, ref);
		assert_memory_equal(root, ref, SK_HASH_LEN);
		for (uint64_t i = 0; i < n; i++) {
			assert_int_equal(sk_merkle_inclusion_proof(leaves, n, i, proof, &len),
			                 SK_OK);
			assert_int_equal(sk_merkle_verify_inclusion(i, n, leaves[i], proof, len,
			                                            root, SK_HASH_LEN, NULL),
			                 SK_OK);
			/* The proof is for that leaf only. */
			assert_int_not_equal(sk_merkle_verify_inclusion(i, n, leaves[(i + 1) % N],
			                                                proof, len, root,
			                                                SK_HASH_LEN, NULL),
			                     SK_OK);
			if (len) {
				proof[len - 1][0] ^= 1;
				assert_int_not_equal(sk_merkle_verify_inclusion(i, n, leaves[i],
				                                                proof, len, root,
				                                                SK_HASH_LEN, NULL),
				                     SK_OK);
			}
		}
		for (uint64_t m = 1; m <= n; m++) {
			sk_hash old;
			mth(leaves, m, old);
			assert_int_equal(sk_merkle_consistency_proof(leaves, m, n, proof, &len),
			                 SK_OK);
			assert_int_equal(sk_merkle_verify_consistency(m, n, proof, len, old,
			                                              SK_HASH_LEN, root,
			                                              SK_HASH_LEN, NULL),
			                 SK_OK);
			if (m < n) {
				/* A different old tree is not consistent. */
				sk_hash other;
				mth(leaves + 1, m, other);
				assert_int_not_equal(sk_merkle_verify_consistency(
				                         m, n, proof, len, other, SK_HASH_LEN, root,
				                         SK_HASH_LEN, NULL),
				                     SK_OK);
			}
		}
	}
	assert_int_equal(sk_merkle_inclusion_proof(leaves, 3, 3, proof, &len), SK_ERR_INVALID);
	assert_int_equal(sk_merkle_consistency_proof(leaves, 0, 3, proof, &len), SK_ERR_INVALID);
	assert_int_equal(sk_merkle_consistency_proof(leaves, 4, 3, proof, &len), SK_ERR_INVALID);
}

/* The incremental accumulator gives the root at every size. */
static void test_acc(void **state)
{
	(void)state;
	sk_hash leaves[40], a, b;
	sk_merkle_acc acc;
	sk_merkle_acc_init(&acc);
	for (int i = 0; i < 40; i++) {
		sk_audit_leaf_hash(&i, sizeof(i), leaves[i]);
		sk_merkle_acc_push(&acc, leaves[i]);
		sk_merkle_acc_root(&acc, a);
		mth(leaves, (uint64_t)i + 1, b);
		assert_memory_equal(a, b, SK_HASH_LEN);
	}
}

/*
 * The root over whole chunks' subtree roots (each of 2^h leaves, as a
 * verification reader computes them) and the remaining leaves one by one,
 * as verification's checker combines them.
 */
static void chunked_root(const sk_hash *d, uint64_t n, unsigned h, sk_hash out)
{
	uint64_t c = UINT64_C(1) << h, i = 0;
	sk_merkle_acc acc;
	sk_merkle_acc_init(&acc);
	for (; i + c <= n; i += c) {
		sk_hash sub;
		sk_merkle_root(d + i, c, sub);
		assert_true(sk_merkle_acc_push_subtree(&acc, sub, h));
	}
	for (; i < n; i++)
		sk_merkle_acc_push(&acc, d[i]);
	assert_int_equal(acc.size, n);
	sk_merkle_acc_root(&acc, out);
}

/* Chunks of a power of two are subtrees of RFC 9162's tree, at every size
 * around their edges, with the chunk size verification uses and small ones. */
static void test_subtree(void **state)
{
	(void)state;
	enum { C = 1 << 14, N = 3 * C + 5 };
	sk_hash *leaves = malloc(N * sizeof(*leaves)), a, b;
	assert_non_null(leaves);
	for (int i = 0; i < N; i++)
		sk_audit_leaf_hash(&i, sizeof(i), leaves[i]);
	for (unsigned h = 0; h <= 4; h++)
		for (uint64_t n = 0; n <= 70; n++) {
			chunked_root(leaves, n, h, a);
			mth(leaves, n, b);
			assert_memory_equal(a, b, SK_HASH_LEN);
		}
	static const uint64_t sizes[] = {1,         C - 1,     C,     C + 1,     2 * C - 1, 2 * C,
	                                 2 * C + 1, 3 * C - 1, 3 * C, 3 * C + 1, 3 * C + 5};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		chunked_root(leaves, sizes[i], 14, a);
		mth(leaves, sizes[i], b);
		assert_memory_equal(a, b, SK_HASH_LEN);
	}
	/* A subtree can only be pushed where it is one node of the tree. */
	sk_merkle_acc acc;
	sk_merkle_acc_init(&acc);
	sk_merkle_acc_push(&acc, leaves[0]);
	assert_false(sk_merkle_acc_push_subtree(&acc, leaves[1], 1));
	assert_int_equal(acc.size, 1);
	assert_true(sk_merkle_acc_push_subtree(&acc, leaves[1], 0));
	assert_true(sk_merkle_acc_push_subtree(&acc, leaves[2], 1));
	assert_int_equal(acc.size, 4);
	free(leaves);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_generated),
	    cmocka_unit_test(test_acc),
	    cmocka_unit_test(test_subtree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
