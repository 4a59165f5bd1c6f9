/*
 * Unit tests of src/audit: entry encoding, keys, checkpoints, and the
 * tamper cases of SPEC C9 done through SQL on a real store, on every
 * backend: each must leave the log "not intact" naming the first bad entry.
 */
#include "testutil.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "audit/checkpoint.h"
#include "audit/merkle.h"
#include "audit/read.h"
#include "audit/verify.h"

#define ORIGIN "sekisho.test/unit"

/* A store with a set-up log, its key paths and n entries. */
struct fixture {
	sk_store *s;
	char dir[4096];
	char key[4200];
	sk_audit_signer signer;
};

static void append(sk_store *s, int i)
{
	char obj[32];
	snprintf(obj, sizeof(obj), "user:u%d", i);
	json_t *after = json_pack("{si,ss}", "n", i, "name", "名前");
	sk_audit_event ev = {"alice", "192.0.2.1", "user.add", obj, NULL, after};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t seq = 0;
	assert_int_equal(sk_audit_append(s, &ev, &seq, &err), SK_OK);
	assert_true(seq > 0);
	json_decref(after);
	sk_buf_free(&err);
}

static void setup_log(struct fixture *f, const char *backend, int n)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	f->s = sk_test_open_fresh(backend);
	snprintf(f->dir, sizeof(f->dir), "%s", sk_test_tmpdir());
	snprintf(f->key, sizeof(f->key), "%s/audit-key", f->dir);
	if (sk_audit_setup(f->s, f->key, ORIGIN, &err))
		fail_msg("setup: %s", err.data);
	assert_int_equal(sk_audit_key_load(f->key, &f->signer, &err), SK_OK);
	for (int i = 1; i <= n; i++)
		append(f->s, i);
	sk_buf_free(&err);
}

static void teardown_log(struct fixture *f)
{
	sk_audit_signer_wipe(&f->signer);
	sk_store_close(f->s);
}

static void sql(sk_store *s, const char *q)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_store_exec(s, q, NULL, 0, NULL, &err))
		fail_msg("%s: %s", q, err.data);
	sk_buf_free(&err);
}

/* Verifies with the given outside notes; returns bad_seq (0 if intact) and checks why. */
static int64_t verify(sk_store *s, const char *const *notes, size_t n, const char *why_has,
                      bool want_intact)
{
	size_t lens[8];
	const char *labels[8];
	for (size_t i = 0; i < n; i++) {
		lens[i] = strlen(notes[i]);
		labels[i] = "kept-outside";
	}
	sk_audit_verify_opts o = {
	    .notes = notes, .note_lens = lens, .note_labels = labels, .nnotes = n};
	sk_audit_verify_result r;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_audit_verify_result_init(&r);
	if (sk_audit_verify_store(s, &o, &r, &err))
		fail_msg("verify could not run: %s", err.data);
	if (r.intact != want_intact)
		fail_msg("intact=%d, expected %d: %s", r.intact, want_intact, r.why.data);
	if (why_has && !strstr(r.why.data, why_has))
		fail_msg("reason '%s' lacks '%s'", r.why.data, why_has);
	int64_t bad = r.intact ? 0 : r.bad_seq;
	sk_audit_verify_result_free(&r);
	sk_buf_free(&err);
	return bad;
}

static char *checkpoint(struct fixture *f)
{
	sk_buf note = SK_BUF_INIT(SK_NOTE_MAX), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_audit_checkpoint_create(f->s, &f->signer, &note, NULL, &err))
		fail_msg("checkpoint: %s", err.data);
	sk_buf_free(&err);
	return sk_buf_detach(&note);
}

/* ---- backend-independent ---- */

static void test_encoding(void **state)
{
	(void)state;
	/* Pinned: changing the encoding would orphan every log ever written. */
	sk_audit_entry e = {7,
	                    "2026-01-02T03:04:05.000006+00:00",
	                    "alice",
	                    "192.0.2.1",
	                    "user.add",
	                    "user:bob",
	                    NULL,
	                    "{\"a\":1}",
	                    "0000000000000000000000000000000000000000000000000000000000000000"};
	sk_buf b = SK_BUF_INIT(4096);
	assert_int_equal(sk_audit_entry_bytes(&e, &b), SK_OK);
	assert_string_equal(b.data,
	                    "sekisho-audit/11:7,32:2026-01-02T03:04:05.000006+00:00,5:alice,"
	                    "9:192.0.2.1,8:user.add,8:user:bob,1:-,7:{\"a\":1},64:000000000"
	                    "0000000000000000000000000000000000000000000000000000000,");
	unsigned char h[SK_HASH_LEN];
	char hex[SK_HASH_HEX_LEN + 1];
	sk_audit_leaf_hash(b.data, b.len, h);
	sk_audit_hex(h, hex);
	assert_string_equal(hex,
	                    "1881f0f1b4ebcf3e4ea0669e98ebde56c7f6e651ddde75ef2c0cad93318b2f01");
	sk_buf_free(&b);
}

static void test_keys(void **state)
{
	(void)state;
	char dir[4096], key[4200], pub[4300];
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), vk = SK_BUF_INIT(1024);
	snprintf(dir, sizeof(dir), "%s", sk_test_tmpdir());
	snprintf(key, sizeof(key), "%s/k", dir);
	snprintf(pub, sizeof(pub), "%s/k.pub", dir);
	assert_int_equal(sk_audit_key_create(key, "bad name", NULL, &err), SK_ERR_INVALID);
	assert_int_equal(access(key, F_OK), -1);
	assert_int_equal(sk_audit_key_create(key, ORIGIN, &vk, &err), SK_OK);
	struct stat st;
	assert_int_equal(stat(key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Never overwritten. */
	assert_int_equal(sk_audit_key_create(key, ORIGIN, NULL, &err), SK_ERR_EXISTS);

	sk_audit_signer s;
	sk_audit_verifier v;
	assert_int_equal(sk_audit_key_load(key, &s, &err), SK_OK);
	assert_int_equal(sk_audit_vkey_load(pub, &v, &err), SK_OK);
	assert_memory_equal(v.pk, s.v.pk, 32);
	assert_string_equal(v.name, ORIGIN);
	sk_buf again = SK_BUF_INIT(1024);
	assert_int_equal(sk_audit_vkey_format(&v, &again), SK_OK);
	assert_string_equal(again.data, vk.data);

	/* Group- or world-readable keys are refused. */
	assert_int_equal(chmod(key, 0640), 0);
	assert_int_equal(sk_audit_key_load(key, &s, &err), SK_ERR_DENIED);
	assert_non_null(strstr(err.data, "permissions"));
	assert_int_equal(chmod(key, 0604), 0);
	assert_int_equal(sk_audit_key_load(key, &s, &err), SK_ERR_DENIED);
	assert_int_equal(chmod(key, 0600), 0);
	assert_int_equal(sk_audit_key_load(key, &s, &err), SK_OK);

	/* A verifier key whose hash does not match its key is refused. */
	char *bad = strdup(vk.data);
	char *plus = strchr(bad, '+');
	plus[1] = plus[1] == '0' ? '1' : '0';
	assert_int_equal(sk_audit_vkey_parse(bad, strlen(bad), &v, &err), SK_ERR_INVALID);
	free(bad);

	/* A signed note opens; any change to it does not. */
	unsigned char root[SK_HASH_LEN] = {1, 2, 3};
	sk_buf note = SK_BUF_INIT(SK_NOTE_MAX);
	sk_audit_checkpoint cp;
	assert_int_equal(sk_audit_vkey_parse(vk.data, vk.len, &v, &err), SK_OK);
	assert_int_equal(sk_audit_checkpoint_sign(&s, 42, root, &note, &err), SK_OK);
	assert_int_equal(sk_audit_checkpoint_open(note.data, note.len, &v, &cp, &err), SK_OK);
	assert_int_equal(cp.size, 42);
	assert_memory_equal(cp.root, root, SK_HASH_LEN);
	for (size_t i = 0; i < note.len * 8; i++) {
		note.data[i / 8] ^= (char)(1 << (i % 8));
		if (sk_audit_checkpoint_open(note.data, note.len, &v, &cp, NULL) == SK_OK)
			fail_msg("flipping bit %zu of note byte %zu still opens", i % 8, i / 8);
		note.data[i / 8] ^= (char)(1 << (i % 8));
	}
	sk_audit_signer_wipe(&s);
	sk_buf_free(&note);
	sk_buf_free(&again);
	sk_buf_free(&vk);
	sk_buf_free(&err);
}

static void test_default_key_path(void **state)
{
	(void)state;
	sk_buf p = SK_BUF_INIT(4096), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	unsetenv("SEKISHO_AUDIT_KEY");
	assert_int_equal(sk_audit_default_key_path("sqlite:/x/y.db", &p, &err), SK_OK);
	assert_string_equal(p.data, "/x/y.db.audit-key");
	sk_buf_reset(&p);
	assert_int_equal(sk_audit_default_key_path("y.db", &p, &err), SK_OK);
	assert_string_equal(p.data, "y.db.audit-key");
	assert_int_equal(sk_audit_default_key_path("postgresql://h/db", &p, &err), SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "SEKISHO_AUDIT_KEY"));
	assert_non_null(strstr(sk_msg_of(&err, SK_ERR_INVALID, SK_LANG_JA),
	                       "監査の鍵を置くファイルの場所がありません"));
	sk_buf_free(&p);
	sk_buf_free(&err);
}

/* ---- on every backend ---- */

typedef void (*case_fn)(const char *backend);

static void each_backend(case_fn fn)
{
	const char *names[SK_TEST_MAX_BACKENDS];
	size_t n = sk_test_backends(names);
	for (size_t i = 0; i < n; i++)
		fn(names[i]);
}

static void case_intact(const char *backend)
{
	struct fixture f;
	setup_log(&f, backend, 10);
	assert_int_equal(verify(f.s, NULL, 0, NULL, true), 0);
	char *cp = checkpoint(&f);
	const char *notes[] = {cp};
	assert_int_equal(verify(f.s, notes, 1, NULL, true), 0);
	append(f.s, 11); /* a newer log still matches the older checkpoint */
	assert_int_equal(verify(f.s, notes, 1, NULL, true), 0);
	/* Inside a transaction, its own uncommitted entries are part of the log. */
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(sk_store_begin(f.s, &err), SK_OK);
	append(f.s, 12);
	assert_int_equal(verify(f.s, notes, 1, NULL, true), 0);
	assert_int_equal(sk_store_commit(f.s, &err), SK_OK); /* verifying doomed nothing */
	sk_buf_free(&err);
	free(cp);
	teardown_log(&f);
}

static void case_payload(const char *backend)
{
	struct fixture f;
	setup_log(&f, backend, 10);
	sql(f.s, "UPDATE audit_log SET object = 'user:mallory' WHERE seq = 5");
	assert_int_equal(verify(f.s, NULL, 0, "stored hash does not match its fields", false), 5);
	teardown_log(&f);
}

static void case_hash(const char *backend)
{
	struct fixture f;
	setup_log(&f, backend, 10);
	sql(f.s,
	    "UPDATE audit_log SET leaf_hash = "
	    "'00000000000000000000000000000000000000000000000000000000000000ff' WHERE seq = 5");
	assert_int_equal(verify(f.s, NULL, 0, "entry 5: stored hash", false), 5);
	teardown_log(&f);
}

static sk_err take_hex(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	(void)sk_audit_hash_col(row, 0, ctx);
	return SK_OK;
}

/* The hash columns hold bytes: the right hash written as hex text is damage. */
static void case_hash_text(const char *backend)
{
	static const char *const cols[] = {"prev_hash", "leaf_hash"};
	for (size_t i = 0; i < 2; i++) {
		struct fixture f;
		char hex[SK_HASH_HEX_LEN + 1], q[128];
		sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
		setup_log(&f, backend, 10);
		snprintf(q, sizeof(q), "SELECT %s FROM audit_log WHERE seq = 5", cols[i]);
		assert_int_equal(sk_store_query(f.s, q, NULL, 0, take_hex, hex, &err), SK_OK);
		assert_int_equal(strlen(hex), SK_HASH_HEX_LEN);
		snprintf(q, sizeof(q), "UPDATE audit_log SET %s = ? WHERE seq = 5", cols[i]);
		sk_val p[] = {sk_vtext(hex)};
		assert_int_equal(sk_store_exec(f.s, q, p, 1, NULL, &err), SK_OK);
		assert_int_equal(verify(f.s, NULL, 0, "entry 5: stored hash", false), 5);
		sk_buf_free(&err);
		teardown_log(&f);
	}
}

/* A payload edit with the entry's own hash recomputed still breaks the chain. */
struct row5 {
	char f[10][512];
	bool null[10];
};

static sk_err take_row5(void *ctx, const sk_row *row, sk_buf *err)
{
	struct row5 *r = ctx;
	(void)err;
	for (size_t i = 0; i < 10; i++) {
		r->null[i] = sk_row_is_null(row, i);
		/* The hashes are stored as bytes; the encoding takes them as hex. */
		if (i >= 8)
			(void)sk_audit_hash_col(row, i, r->f[i]);
		else
			snprintf(r->f[i], sizeof(r->f[i]), "%s", sk_row_text(row, i));
	}
	return SK_OK;
}

static void case_rehashed(const char *backend)
{
	struct fixture f;
	setup_log(&f, backend, 10);
	sql(f.s, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 5");
	/* Recompute entry 5's stored hash the way an attacker with the code would. */
	struct row5 r;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), bytes = SK_BUF_INIT(1 << 20);
	assert_int_equal(sk_store_query(f.s,
	                                "SELECT seq, at, actor, address, action, object, "
	                                "before_json, after_json, prev_hash, leaf_hash FROM "
	                                "audit_log WHERE seq = 5",
	                                NULL, 0, take_row5, &r, &err),
	                 SK_OK);
	sk_audit_entry e = {5,
	                    r.f[1],
	                    r.f[2],
	                    r.f[3],
	                    r.f[4],
	                    r.f[5],
	                    r.null[6] ? NULL : r.f[6],
	                    r.null[7] ? NULL : r.f[7],
	                    r.f[8]};
	assert_int_equal(sk_audit_entry_bytes(&e, &bytes), SK_OK);
	unsigned char h[SK_HASH_LEN];
	assert_int_equal(strlen(r.f[8]), SK_HASH_HEX_LEN);
	sk_audit_leaf_hash(bytes.data, bytes.len, h);
	sk_val p[] = {SK_VBLOB(h, SK_HASH_LEN)};
	assert_int_equal(sk_store_exec(f.s, "UPDATE audit_log SET leaf_hash = ? WHERE seq = 5", p,
	                               1, NULL, &err),
	                 SK_OK);
	assert_int_equal(verify(f.s, NULL, 0, "link stored in entry 6", false), 5);
	sk_buf_free(&bytes);
	sk_buf_free(&err);
	teardown_log(&f);
}

static void case_deleted(const char *backend)
{
	struct fixture f;
	setup_log(&f, backend, 10);
	sql(f.s, "DELETE FROM audit_log WHERE seq = 5");
	assert_int_equal(verify(f.s, NULL, 0, "entry 5: missing", false), 5);
	teardown_log(&f);
}

static void case_swapped(const char *backend)
{
	struct fixture f;
	setup_log(&f, backend, 10);
	sql(f.s, "UPDATE audit_log SET seq = -3 WHERE seq = 3");
	sql(f.s, "UPDATE audit_log SET seq = 3 WHERE seq = 6");
	sql(f.s, "UPDATE audit_log SET seq = 6 WHERE seq = -3");
	assert_int_equal(verify(f.s, NULL, 0, "entry 3:", false), 3);
	teardown_log(&f);
}

static void case_truncated(const char *backend)
{
	struct fixture f;
	setup_log(&f, backend, 10);
	sql(f.s, "DELETE FROM audit_log WHERE seq > 7");
	assert_int_equal(verify(f.s, NULL, 0, "entry 8: missing", false), 8);
	teardown_log(&f);
}

/* Truncate, rewind the head, append anew and re-checkpoint: only a
 * checkpoint kept outside can tell. */
static void case_rewritten_tail(const char *backend)
{
	struct fixture f;
	setup_log(&f, backend, 6);
	char *cp6 = checkpoint(&f);
	for (int i = 7; i <= 10; i++)
		append(f.s, i);
	char *cp10 = checkpoint(&f);
	sql(f.s, "DELETE FROM audit_log WHERE seq > 6");
	sql(f.s, "DELETE FROM audit_checkpoint");
	sql(f.s, "UPDATE audit_head SET seq = 6, leaf_hash = (SELECT leaf_hash FROM audit_log "
	         "WHERE seq = 6) WHERE id = 1");
	for (int i = 7; i <= 12; i++)
		append(f.s, 100 + i);
	free(checkpoint(&f));
	/* Consistent in itself... */
	assert_int_equal(verify(f.s, NULL, 0, NULL, true), 0);
	/* ...but not with what the auditor kept. */
	const char *only10[] = {cp10};
	assert_int_equal(verify(f.s, only10, 1, "does not match checkpoint kept-outside", false),
	                 1);
	const char *both[] = {cp10, cp6};
	assert_int_equal(verify(f.s, both, 2, "entry 7:", false), 7);
	/* And a kept checkpoint larger than the log catches plain truncation. */
	sql(f.s, "DELETE FROM audit_log WHERE seq > 8");
	sql(f.s, "DELETE FROM audit_checkpoint");
	sql(f.s, "UPDATE audit_head SET seq = 8, leaf_hash = (SELECT leaf_hash FROM audit_log "
	         "WHERE seq = 8) WHERE id = 1");
	const char *c6[] = {cp6};
	assert_int_equal(verify(f.s, c6, 1, NULL, true), 0);
	free(cp6);
	free(cp10);
	teardown_log(&f);
}

static void case_foreign_checkpoint(const char *backend)
{
	struct fixture f;
	setup_log(&f, backend, 5);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), note = SK_BUF_INIT(SK_NOTE_MAX);
	sk_audit_verify_result r;
	sk_audit_verify_opts o = {0};
	sk_audit_verify_result_init(&r);
	assert_int_equal(sk_audit_verify_store(f.s, &o, &r, &err), SK_OK);
	assert_true(r.intact);

	/* The right root and size, signed by another key of the same name. */
	char other[4300];
	sk_audit_signer os;
	snprintf(other, sizeof(other), "%s/other-key", f.dir);
	assert_int_equal(sk_audit_key_create(other, ORIGIN, NULL, &err), SK_OK);
	assert_int_equal(sk_audit_key_load(other, &os, &err), SK_OK);
	assert_int_equal(sk_audit_checkpoint_sign(&os, (uint64_t)r.size, r.root, &note, &err),
	                 SK_OK);
	const char *n1[] = {note.data};
	verify(f.s, n1, 1, "not signed by the audit key", false);
	sk_audit_signer_wipe(&os);

	/* Another origin (another log's key). */
	sk_buf_reset(&note);
	snprintf(other, sizeof(other), "%s/origin-key", f.dir);
	assert_int_equal(sk_audit_key_create(other, "sekisho.test/other", NULL, &err), SK_OK);
	assert_int_equal(sk_audit_key_load(other, &os, &err), SK_OK);
	assert_int_equal(sk_audit_checkpoint_sign(&os, (uint64_t)r.size, r.root, &note, &err),
	                 SK_OK);
	verify(f.s, n1, 1, "not signed by the audit key", false);
	sk_audit_signer_wipe(&os);

	/* A stored checkpoint whose root column was edited. */
	char *cp = checkpoint(&f);
	sql(f.s, "UPDATE audit_checkpoint SET root = "
	         "'1111111111111111111111111111111111111111111111111111111111111111'");
	verify(f.s, NULL, 0, "differs from its signed note", false);
	free(cp);

	/* A malformed note from outside is bad input, not a verdict. */
	const char *junk[] = {"not a note"};
	size_t jl[] = {10};
	const char *lab[] = {"junk"};
	sk_audit_verify_opts bad = {
	    .notes = junk, .note_lens = jl, .note_labels = lab, .nnotes = 1};
	sk_audit_verify_result_free(&r);
	sk_audit_verify_result_init(&r);
	assert_int_equal(sk_audit_verify_store(f.s, &bad, &r, &err), SK_ERR_INVALID);
	sk_audit_verify_result_free(&r);
	sk_buf_free(&note);
	sk_buf_free(&err);
	teardown_log(&f);
}

static void export_to(sk_store *s, char **buf, size_t *len)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	FILE *m = open_memstream(buf, len);
	assert_non_null(m);
	if (sk_audit_export(s, m, &err))
		fail_msg("export: %s", err.data);
	fclose(m);
	sk_buf_free(&err);
}

/* SK_OK and intact, or why not. */
static bool export_verifies(char *buf, size_t len, const sk_audit_verify_opts *o)
{
	sk_audit_verify_result r;
	sk_audit_verify_result_init(&r);
	FILE *m = fmemopen(buf, len, "r");
	assert_non_null(m);
	sk_err e = sk_audit_verify_export(m, o, &r, NULL);
	fclose(m);
	bool ok = !e && r.intact;
	sk_audit_verify_result_free(&r);
	return ok;
}

static void case_export_bitflips(const char *backend)
{
	struct fixture f;
	setup_log(&f, backend, 3);
	char *cp = checkpoint(&f);
	char *buf;
	size_t len;
	export_to(f.s, &buf, &len);
	sk_audit_verify_opts o = {0};
	assert_true(export_verifies(buf, len, &o));
	/* Pinned key and an outside checkpoint. */
	size_t cl = strlen(cp);
	const char *notes[] = {cp};
	const char *labels[] = {"cp"};
	sk_audit_verify_opts pinned = {.vkey = &f.signer.v,
	                               .notes = notes,
	                               .note_lens = &cl,
	                               .note_labels = labels,
	                               .nnotes = 1};
	assert_true(export_verifies(buf, len, &pinned));
	size_t flips = 0;
	for (size_t i = 0; i < len * 8; i++) {
		buf[i / 8] ^= (char)(1 << (i % 8));
		if (export_verifies(buf, len, &o))
			fail_msg("flipping bit %zu of byte %zu ('%c') still verifies", i % 8, i / 8,
			         buf[i / 8]);
		buf[i / 8] ^= (char)(1 << (i % 8));
		flips++;
	}
	assert_true(flips > 1000);
	/* Dropping the last line or the last entry is caught too. */
	assert_false(export_verifies(buf, len - 1, &o));
	char *last = buf + len - 2;
	while (*last != '\n')
		last--;
	assert_false(export_verifies(buf, (size_t)(last - buf) + 1, &o));
	free(buf);
	free(cp);
	teardown_log(&f);
}

/* The same tamper cases seen through an export (the offline auditor's view). */
static void case_export_tamper(const char *backend)
{
	struct fixture f;
	setup_log(&f, backend, 4);
	sql(f.s, "UPDATE audit_log SET action = 'user.delete' WHERE seq = 2");
	char *buf;
	size_t len;
	export_to(f.s, &buf, &len);
	sk_audit_verify_result r;
	sk_audit_verify_opts o = {0};
	sk_audit_verify_result_init(&r);
	FILE *m = fmemopen(buf, len, "r");
	assert_int_equal(sk_audit_verify_export(m, &o, &r, NULL), SK_OK);
	fclose(m);
	assert_false(r.intact);
	assert_int_equal(r.bad_seq, 2);
	sk_audit_verify_result_free(&r);
	free(buf);
	teardown_log(&f);
}

/* The leaf hashes a log stores, in order. */
struct stored_leaves {
	sk_hash h[64];
	size_t n;
};

/* A log of several chunks (verification reads 1024 entries at a time here,
 * with several readers): tampering anywhere, and at chunk edges, is still
 * named. */
static void case_large(const char *backend)
{
	struct fixture f;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_true(sk_audit_verify_chunk_rows(1024));
	setup_log(&f, backend, 0);
	assert_int_equal(sk_store_begin(f.s, &err), SK_OK);
	for (int i = 1; i <= 9000; i++)
		append(f.s, i);
	assert_int_equal(sk_store_commit(f.s, &err), SK_OK);
	char *cp = checkpoint(&f);
	const char *notes[] = {cp};
	assert_int_equal(verify(f.s, notes, 1, NULL, true), 0);
	sql(f.s, "UPDATE audit_log SET actor = 'x' WHERE seq = 8500");
	assert_int_equal(verify(f.s, NULL, 0, "entry 8500: stored hash", false), 8500);
	sql(f.s, "UPDATE audit_log SET actor = 'x' WHERE seq = 4097");
	assert_int_equal(verify(f.s, NULL, 0, "entry 4097: stored hash", false), 4097);
	sql(f.s, "DELETE FROM audit_log WHERE seq = 4096");
	assert_int_equal(verify(f.s, NULL, 0, "entry 4096: missing", false), 4096);
	sql(f.s, "DELETE FROM audit_log WHERE seq = 3");
	assert_int_equal(verify(f.s, notes, 1, "entry 3: missing", false), 3);
	free(cp);
	sk_buf_free(&err);
	teardown_log(&f);
	assert_true(sk_audit_verify_chunk_rows(0));
}

static sk_err take_leaf(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct stored_leaves *l = ctx;
	assert_true(l->n < sizeof(l->h) / sizeof(*l->h));
	assert_int_equal(row->cols[0].type, SK_VAL_BLOB);
	assert_int_equal(row->cols[0].n, SK_HASH_LEN);
	memcpy(l->h[l->n++], row->cols[0].p, SK_HASH_LEN);
	return SK_OK;
}

/* Verifies an intact log of size entries and checks its root against the
 * root over the leaf hashes stored in the log (RFC 9162's tree, built here
 * leaf by leaf), and the checkpoints verification matched. */
static void check_root(sk_store *s, int64_t size, const char *const *notes, size_t nnotes,
                       size_t checkpoints)
{
	struct stored_leaves l = {0};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_store_query(s, "SELECT leaf_hash FROM audit_log ORDER BY seq", NULL, 0, take_leaf,
	                   &l, &err))
		fail_msg("leaves: %s", err.data);
	assert_int_equal(l.n, size);
	sk_hash want;
	sk_merkle_root(l.h, l.n, want);
	size_t lens[8];
	const char *labels[8];
	for (size_t i = 0; i < nnotes; i++) {
		lens[i] = strlen(notes[i]);
		labels[i] = "kept-outside";
	}
	sk_audit_verify_opts o = {.notes = notes,
	                          .note_lens = lens,
	                          .note_labels = labels,
	                          .nnotes = nnotes,
	                          .keep_leaves = true};
	sk_audit_verify_result r;
	sk_audit_verify_result_init(&r);
	if (sk_audit_verify_store(s, &o, &r, &err))
		fail_msg("verify could not run: %s", err.data);
	if (!r.intact)
		fail_msg("size %" PRId64 ": %s", size, r.why.data);
	assert_int_equal(r.size, size);
	assert_memory_equal(r.root, want, SK_HASH_LEN);
	assert_memory_equal(r.leaves, l.h, (size_t)size * SK_HASH_LEN);
	assert_int_equal(r.checkpoints, checkpoints);
	sk_audit_verify_result_free(&r);
	sk_buf_free(&err);
}

/*
 * Readers build each whole chunk's subtree and the checker combines them
 * (chunks of 4 here): the root is RFC 9162's at every size around chunk
 * edges, with checkpoints inside chunks and at their edges, stored and kept
 * outside; and a checkpoint that does not match inside a chunk is named.
 */
static void case_chunk_roots(const char *backend)
{
	struct fixture f;
	assert_true(sk_audit_verify_chunk_rows(4));
	setup_log(&f, backend, 0);
	static const int64_t sizes[] = {1, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17};
	int64_t n = 0;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		while (n < sizes[i])
			append(f.s, (int)++n);
		check_root(f.s, n, NULL, 0, 0);
	}
	/* Checkpoints at 17 (now), 18 (inside a chunk), 20 (the edge of a chunk
	 * with checkpoints inside) and 24 (the edge of a whole chunk). */
	char *c17 = checkpoint(&f);
	append(f.s, (int)++n);
	char *c18 = checkpoint(&f);
	append(f.s, (int)++n);
	append(f.s, (int)++n);
	char *c20 = checkpoint(&f);
	for (int i = 0; i < 4; i++)
		append(f.s, (int)++n);
	char *c24 = checkpoint(&f);
	for (int i = 0; i < 5; i++)
		append(f.s, (int)++n); /* 29 */
	const char *notes[] = {c17, c18, c20, c24};
	check_root(f.s, n, notes, 4, 8);
	/* The same verdict with the default chunk (the whole log in one). */
	assert_true(sk_audit_verify_chunk_rows(0));
	check_root(f.s, n, notes, 4, 8);
	assert_true(sk_audit_verify_chunk_rows(4));
	/* Entry 18 rewritten with its hash and the links after it rehashed is
	 * caught by the checkpoint at 18, inside a chunk, naming entry 18. */
	sql(f.s, "DELETE FROM audit_checkpoint");
	sql(f.s, "DELETE FROM audit_log WHERE seq > 17");
	sql(f.s, "UPDATE audit_head SET seq = 17, leaf_hash = (SELECT leaf_hash FROM audit_log "
	         "WHERE seq = 17) WHERE id = 1");
	for (int i = 18; i <= 29; i++)
		append(f.s, 1000 + i);
	assert_int_equal(verify(f.s, notes, 4, "entry 18: the log does not match", false), 18);
	assert_int_equal(verify(f.s, notes + 2, 1, "entries up to 0", false), 1);
	assert_int_equal(verify(f.s, notes + 3, 1, "entries up to 0", false), 1);
	const char *edge[] = {c17, c24};
	assert_int_equal(verify(f.s, edge, 2, "entry 18: the log does not match", false), 18);
	free(c17);
	free(c18);
	free(c20);
	free(c24);
	teardown_log(&f);
	assert_true(sk_audit_verify_chunk_rows(0));
}

/* How many entries match the where clause. */
static int64_t entries(sk_store *s, const char *where)
{
	char q[512];
	snprintf(q, sizeof(q), "SELECT COUNT(*) FROM audit_log WHERE %s", where);
	int64_t n = -1;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_store_query_int(s, q, NULL, 0, &n, &err))
		fail_msg("%s: %s", q, err.data);
	sk_buf_free(&err);
	return n;
}

/*
 * sk_audit_change: the entry it appends is sk_audit_append's, SK_AUDIT_NONE
 * stored as no image; a NULL image (one that could not be built) or an
 * object too long appends nothing. The images are released in every case
 * (the sanitizer build's leak check sees any left).
 */
static void case_change(const char *backend)
{
	struct fixture f;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup_log(&f, backend, 0);
	assert_int_equal(sk_audit_change(f.s, "alice", "192.0.2.1", "org.add", SK_AUDIT_NONE,
	                                 json_pack("{si}", "a", 1), &err, "org_unit:%d", 7),
	                 SK_OK);
	assert_int_equal(entries(f.s, "seq = 1 AND actor = 'alice' AND address = '192.0.2.1' "
	                              "AND action = 'org.add' AND object = 'org_unit:7' AND "
	                              "before_json IS NULL AND after_json = '{\"a\":1}'"),
	                 1);
	assert_int_equal(sk_audit_change(f.s, "alice", "192.0.2.1", "role.revoke",
	                                 json_pack("{si}", "b", 2), SK_AUDIT_NONE, &err, "user:%s",
	                                 "bob"),
	                 SK_OK);
	assert_int_equal(entries(f.s, "seq = 2 AND object = 'user:bob' AND "
	                              "before_json = '{\"b\":2}' AND after_json IS NULL"),
	                 1);
	assert_int_equal(sk_audit_change(f.s, "alice", "192.0.2.1", "org.move",
	                                 json_pack("{si}", "c", 3), NULL, &err, "org_unit:%d", 7),
	                 SK_ERR_NOMEM);
	assert_int_equal(sk_audit_change(f.s, "alice", "192.0.2.1", "org.move", NULL, SK_AUDIT_NONE,
	                                 &err, "org_unit:%d", 7),
	                 SK_ERR_NOMEM);
	char longer[1100];
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_int_equal(sk_audit_change(f.s, "alice", "192.0.2.1", "org.add", SK_AUDIT_NONE,
	                                 json_pack("{si}", "d", 4), &err, "org_unit:%s", longer),
	                 SK_ERR_TOO_BIG);
	assert_int_equal(entries(f.s, "1 = 1"), 2);
	json_decref(SK_AUDIT_NONE); /* released by mistake: no harm */
	assert_int_equal(verify(f.s, NULL, 0, NULL, true), 0);
	sk_buf_free(&err);
	teardown_log(&f);
}

/* The sequence numbers of a page sk_audit_find answers, as "1,2,3". */
static const char *found(sk_store *s, const sk_audit_filter *f, bool newest, int64_t limit)
{
	static char out[256];
	json_t *a = NULL, *x;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_audit_find(s, f, newest, limit, &a, &err))
		fail_msg("find: %s", err.data);
	size_t i, n = 0;
	out[0] = '\0';
	json_array_foreach (a, i, x)
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%" JSON_INTEGER_FORMAT,
		                      i ? "," : "", json_integer_value(json_object_get(x, "seq")));
	json_decref(a);
	sk_buf_free(&err);
	return out;
}

static size_t unb64(const char *s, unsigned char *out)
{
	size_t n = 0;
	assert_int_equal(sodium_base642bin(out, 64, s, strlen(s), NULL, &n, NULL,
	                                   sodium_base64_VARIANT_ORIGINAL),
	                 0);
	return n;
}

/*
 * sk_audit_find's filters (the web UI's entry browser), the stored
 * checkpoints, and sk_audit_prove_entry: a proof that verifies, in the
 * smallest checkpoint covering the entry, or in the whole log past the last.
 */
static void case_find_prove(const char *backend)
{
	struct fixture f;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup_log(&f, backend, 5); /* 1-5: alice, user.add, user:u1 … user:u5 */
	sk_audit_event ev = {"bob", "cli", "org.add", "org_unit:3", NULL, NULL};
	assert_int_equal(sk_audit_append(f.s, &ev, NULL, &err), SK_OK); /* 6 */
	sk_audit_event ev2 = {"bob", "cli", "user.add", "usera:1", NULL, NULL};
	assert_int_equal(sk_audit_append(f.s, &ev2, NULL, &err), SK_OK); /* 7 */
	sk_audit_filter all = {0};
	assert_string_equal(found(f.s, &all, false, 100), "1,2,3,4,5,6,7");
	assert_string_equal(found(f.s, &all, true, 3), "7,6,5");
	sk_audit_filter fa = {.action = "user.add", .actor = "alice"};
	assert_string_equal(found(f.s, &fa, false, 100), "1,2,3,4,5");
	sk_audit_filter fo = {.object = "user:u3"};
	assert_string_equal(found(f.s, &fo, false, 100), "3");
	sk_audit_filter fk = {.object = "user:"}; /* the kind: not usera:1 */
	assert_string_equal(found(f.s, &fk, false, 100), "1,2,3,4,5");
	sk_audit_filter fb = {.after = 2, .before = 5};
	assert_string_equal(found(f.s, &fb, false, 100), "3,4");
	assert_string_equal(found(f.s, &fb, true, 1), "4");
	sk_audit_filter ft = {.from = "2000-01-01T00:00:00.000000+00:00",
	                      .until = "9999-01-01T00:00:00.000000+00:00"};
	assert_string_equal(found(f.s, &ft, false, 100), "1,2,3,4,5,6,7");
	sk_audit_filter fu = {.until = "2000-01-01T00:00:00.000000+00:00"};
	assert_string_equal(found(f.s, &fu, false, 100), "");
	json_t *a = NULL;
	sk_audit_filter neg = {.after = -1};
	assert_int_equal(sk_audit_find(f.s, &neg, false, 10, &a, &err), SK_ERR_INVALID);
	assert_int_equal(sk_audit_find(f.s, &all, false, 0, &a, &err), SK_ERR_INVALID);

	/* A checkpoint at 7, then entry 8 past it. */
	char *note = checkpoint(&f);
	append(f.s, 8);
	assert_int_equal(sk_audit_checkpoints(f.s, &a, &err), SK_OK);
	assert_int_equal(json_array_size(a), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(a, 0), "size")), 7);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "note")), note);
	json_decref(a);
	for (int64_t seq = 1; seq <= 8; seq++) {
		json_t *p = NULL;
		assert_int_equal(sk_audit_prove_entry(f.s, seq, &p, &err), SK_OK);
		const json_t *pr = json_object_get(p, "proof");
		int64_t size = json_integer_value(json_object_get(pr, "treeSize"));
		assert_int_equal(json_integer_value(json_object_get(pr, "leafIdx")), seq - 1);
		assert_int_equal(size, seq <= 7 ? 7 : 8);
		const char *cp = json_string_value(json_object_get(p, "checkpoint"));
		if (seq <= 7)
			assert_string_equal(cp, note);
		else
			assert_null(cp);
		assert_non_null(json_string_value(json_object_get(p, "vkey")));
		unsigned char leaf[64], root[64], el[64];
		sk_hash proof[SK_MERKLE_MAX_PROOF];
		assert_int_equal(unb64(json_string_value(json_object_get(pr, "leafHash")), leaf),
		                 32);
		size_t rn = unb64(json_string_value(json_object_get(pr, "root")), root);
		size_t i, n = json_array_size(json_object_get(pr, "proof"));
		const json_t *x;
		json_array_foreach (json_object_get(pr, "proof"), i, x) {
			assert_int_equal(unb64(json_string_value(x), el), 32);
			memcpy(proof[i], el, 32);
		}
		if (sk_merkle_verify_inclusion((uint64_t)seq - 1, (uint64_t)size, leaf, proof, n,
		                               root, rn, &err))
			fail_msg("entry %" PRId64 ": %s", seq, err.data);
		json_decref(p);
	}
	json_t *p = NULL;
	assert_int_equal(sk_audit_prove_entry(f.s, 9, &p, &err), SK_ERR_NOT_FOUND);
	assert_int_equal(sk_audit_prove_entry(f.s, 0, &p, &err), SK_ERR_NOT_FOUND);
	/* A damaged log proves nothing. */
	sql(f.s, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
	assert_int_equal(sk_audit_prove_entry(f.s, 3, &p, &err), SK_ERR_CORRUPT);
	assert_null(p);
	free(note);
	sk_buf_free(&err);
	teardown_log(&f);
}

#define BACKEND_TEST(name)                                                                         \
	static void test_##name(void **state)                                                      \
	{                                                                                          \
		(void)state;                                                                       \
		each_backend(case_##name);                                                         \
	}
BACKEND_TEST(intact)
BACKEND_TEST(payload)
BACKEND_TEST(hash)
BACKEND_TEST(hash_text)
BACKEND_TEST(rehashed)
BACKEND_TEST(deleted)
BACKEND_TEST(swapped)
BACKEND_TEST(truncated)
BACKEND_TEST(rewritten_tail)
BACKEND_TEST(foreign_checkpoint)
BACKEND_TEST(export_bitflips)
BACKEND_TEST(export_tamper)
BACKEND_TEST(large)
BACKEND_TEST(chunk_roots)
BACKEND_TEST(change)
BACKEND_TEST(find_prove)

/* The tamper cases again with chunks of 4 entries, so that their entries
 * fall in whole chunks, partial chunks and at chunk edges. */
static void small_chunks(case_fn fn)
{
	assert_true(sk_audit_verify_chunk_rows(4));
	each_backend(fn);
	assert_true(sk_audit_verify_chunk_rows(0));
}

static void test_small_chunks(void **state)
{
	(void)state;
	static const case_fn cases[] = {case_intact,    case_payload,        case_hash,
	                                case_rehashed,  case_deleted,        case_swapped,
	                                case_truncated, case_rewritten_tail, case_find_prove};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		small_chunks(cases[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_encoding),
	    cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_default_key_path),
	    cmocka_unit_test(test_intact),
	    cmocka_unit_test(test_payload),
	    cmocka_unit_test(test_hash),
	    cmocka_unit_test(test_hash_text),
	    cmocka_unit_test(test_rehashed),
	    cmocka_unit_test(test_deleted),
	    cmocka_unit_test(test_swapped),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_rewritten_tail),
	    cmocka_unit_test(test_foreign_checkpoint),
	    cmocka_unit_test(test_export_bitflips),
	    cmocka_unit_test(test_export_tamper),
	    cmocka_unit_test(test_large),
	    cmocka_unit_test(test_chunk_roots),
	    cmocka_unit_test(test_small_chunks),
	    cmocka_unit_test(test_change),
	    cmocka_unit_test(test_find_prove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
