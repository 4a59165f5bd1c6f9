/*
 * cmd_audit: `sekisho audit checkpoint|verify|prove|verify-proof|show|tail|export`.
 *
 * verify's exit status is a contract (SPEC): 0 intact, 1 not intact (naming
 * the first failing entry and why), 2 when the log cannot be read.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../audit/checkpoint.h"
#include "../audit/merkle.h"
#include "../audit/read.h"
#include "../audit/verify.h"
#include "../core/sk_clock.h"
#include "../core/sk_json.h"
#include "cli.h"
#include "commands.h"

#define MAX_CHECKPOINTS 64
#define PROOF_FILE_MAX  (1u << 20)

static const char U_CHECKPOINT[] = "[--db URL] [--key KEYFILE] [-o FILE]";
static const char U_VERIFY[] = "[--db URL | --export FILE] [--checkpoint FILE]... [--key PUBFILE] "
                               "[--json]";
static const char U_PROVE[] = "[--db URL] (--index N [--size N] | --consistency OLD NEW) [--key "
                              "PUBFILE]";
static const char U_VERIFY_PROOF[] = "FILE|- [--checkpoint FILE]... [--key PUBFILE]";
static const char U_SHOW[] = "[--db URL] --seq SEQ";
static const char U_TAIL[] = "[--db URL] [-n|--count COUNT] [--json]";
static const char U_EXPORT[] = "[--db URL] [-o FILE]";

static json_t *b64_json(const unsigned char *h, size_t n)
{
	char tmp[128];
	sodium_bin2base64(tmp, sizeof(tmp), h, n, sodium_base64_VARIANT_ORIGINAL);
	return json_string(tmp);
}

/* The verifier to pin: --key PUBFILE, else the .pub beside the default key when it exists. */
static int pinned_vkey(const char *given, const char *db, sk_audit_verifier *v, bool *have)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), path = SK_BUF_INIT(4096);
	sk_err e = SK_OK;
	*have = false;
	if (given) {
		e = sk_audit_vkey_load(given, v, &err);
		*have = !e;
	} else if (db && sk_audit_default_key_path(db, &path, NULL) == SK_OK &&
	           !sk_buf_adds(&path, ".pub") && access(path.data, F_OK) == 0) {
		e = sk_audit_vkey_load(path.data, v, &err);
		*have = !e;
	}
	int rc = e ? sk_cli_fail_buf(e, &err) : 0;
	sk_buf_free(&err);
	sk_buf_free(&path);
	return rc;
}

static int cmd_checkpoint(int argc, char **argv)
{
	const char *db = NULL, *key = NULL, *outpath = NULL;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("key", &key),
	    SK_OPT_STR_L("output", 'o', &outpath),
	    SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, U_CHECKPOINT, opts, 0, &st))
		return st;
	db = sk_cli_db_url(db);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), path = SK_BUF_INIT(4096);
	sk_buf note = SK_BUF_INIT(SK_NOTE_MAX);
	sk_audit_signer signer;
	sk_store *s = NULL;
	uint64_t size = 0;
	int rc = 0;
	sk_err e = key ? sk_buf_adds(&path, key) : sk_audit_default_key_path(db, &path, &err);
	if (!e)
		e = sk_audit_key_load(path.data, &signer, &err);
	if (e) {
		rc = sk_cli_fail_buf(e, &err);
		goto out;
	}
	if ((rc = sk_cli_open_store(db, &s)))
		goto wipe;
	e = sk_audit_checkpoint_create(s, &signer, &note, &size, &err);
	if (e) {
		rc = sk_cli_fail_buf(e, &err);
		goto wipe;
	}
	FILE *f = outpath ? fopen(outpath, "wx") : stdout;
	if (!f) {
		rc = sk_cli_fail(SK_ERR_IO, sk_cli_msg(SK_M_CLI_CANNOT_CREATE_MAY_EXIST), outpath);
		goto wipe;
	}
	if (fputs(note.data, f) == EOF || fflush(f) != 0)
		rc = sk_cli_fail(SK_ERR_IO, "%s", sk_cli_msg(SK_M_CLI_CANNOT_WRITE_CHECKPOINT));
	if (outpath && fclose(f) != 0 && !rc)
		rc = sk_cli_fail(SK_ERR_IO, sk_cli_msg(SK_M_CLI_CANNOT_WRITE), outpath);
	if (!rc && outpath)
		fprintf(stderr, sk_cli_msg(SK_M_CLI_CHECKPOINT_WRITTEN), (unsigned long long)size,
		        outpath);
wipe:
	sk_audit_signer_wipe(&signer);
out:
	if (s)
		sk_store_close(s);
	sk_buf_free(&err);
	sk_buf_free(&path);
	sk_buf_free(&note);
	return rc;
}

struct notes {
	const char *label[MAX_CHECKPOINTS];
	char *text[MAX_CHECKPOINTS];
	size_t len[MAX_CHECKPOINTS];
	size_t n;
};

static int add_checkpoint_file(struct notes *n, const char *path, const char *usage)
{
	if (n->n == MAX_CHECKPOINTS)
		return sk_cli_usage_error(usage, sk_cli_msg(SK_M_CLI_MOST_CHECKPOINT_FILES),
		                          MAX_CHECKPOINTS);
	sk_buf b = SK_BUF_INIT(SK_NOTE_MAX + 1), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_audit_read_file(path, SK_NOTE_MAX, &b, &err);
	if (e) {
		int rc = sk_cli_fail_buf(e, &err);
		sk_buf_free(&b);
		sk_buf_free(&err);
		return rc;
	}
	n->len[n->n] = b.len;
	n->text[n->n] = sk_buf_detach(&b);
	n->label[n->n] = path;
	n->n++;
	sk_buf_free(&err);
	return n->text[n->n - 1] ? 0 : sk_cli_fail(SK_ERR_NOMEM, "out of memory");
}

/* --checkpoint FILE, given once per file. */
static int checkpoint_option(void *notes, const char *path, const char *usage)
{
	return add_checkpoint_file(notes, path, usage);
}

static void free_notes(struct notes *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->text[i]);
}

static int report(const sk_audit_verify_result *r, bool json)
{
	if (json) {
		int rc = sk_cli_print_json(sk_audit_verify_json(r));
		return rc ? rc : r->intact ? 0 : 1;
	}
	if (!r->intact) {
		printf(sk_cli_msg(SK_M_CLI_AUDIT_NOT_INTACT), sk_cli_err(&r->why, SK_ERR_CORRUPT));
		return 1;
	}
	char b64[64];
	sodium_bin2base64(b64, sizeof(b64), r->root, SK_HASH_LEN, sodium_base64_VARIANT_ORIGINAL);
	printf(sk_cli_msg(SK_M_CLI_OUT_AUDIT_INTACT), (long long)r->size, b64, r->checkpoints,
	       r->checkpoints == 1 ? "" : "s");
	return 0;
}

static int cmd_verify(int argc, char **argv)
{
	const char *db = NULL, *exp = NULL, *key = NULL;
	bool json = false;
	struct notes notes = {0};
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("export", &exp),
	    SK_OPT_FN("checkpoint", &notes, checkpoint_option),
	    SK_OPT_STR("key", &key),
	    SK_OPT_FLAG("json", &json),
	    SK_OPT_END,
	};
	int rc = 0;
	if (!sk_cli_options(argc, argv, U_VERIFY, opts, 0, &rc))
		goto out;
	if (db && exp) {
		rc = sk_cli_usage_error(U_VERIFY, "%s", sk_cli_msg(SK_M_CLI_GIVE_DB_EXPORT_BOTH));
		goto out;
	}
	sk_audit_verifier v;
	bool have_v = false;
	if ((rc = pinned_vkey(key, exp ? NULL : sk_cli_db_url(db), &v, &have_v)))
		goto out;
	sk_audit_verify_opts o = {.vkey = have_v ? &v : NULL,
	                          .notes = (const char *const *)notes.text,
	                          .note_lens = notes.len,
	                          .note_labels = notes.label,
	                          .nnotes = notes.n};
	sk_audit_verify_result r;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e;
	sk_audit_verify_result_init(&r);
	if (exp) {
		FILE *f = strcmp(exp, "-") == 0 ? stdin : fopen(exp, "rb");
		if (!f)
			e = sk_fail_msg(&err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_OPEN_2, exp);
		else {
			e = sk_audit_verify_export(f, &o, &r, &err);
			if (f != stdin)
				fclose(f);
		}
	} else {
		sk_store *s = NULL;
		if ((rc = sk_cli_open_store(db, &s))) {
			sk_audit_verify_result_free(&r);
			sk_buf_free(&err);
			goto out;
		}
		e = sk_audit_verify_store(s, &o, &r, &err);
		sk_store_close(s);
	}
	/* A failure to read is "cannot tell" (2), never "not intact". */
	rc = e ? (sk_cli_fail_buf(e, &err), 2) : report(&r, json);
	sk_audit_verify_result_free(&r);
	sk_buf_free(&err);
out:
	free_notes(&notes);
	return rc;
}

static json_t *proof_json(const sk_hash *p, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, b64_json(p[i], SK_HASH_LEN));
	return a;
}

static int cmd_prove(int argc, char **argv)
{
	const char *db = NULL, *key = NULL;
	long long index = -1, size = -1, old = -1, new_ = -1;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_NUM("index", &index, 0, INT64_MAX - 1),
	    SK_OPT_NUM("size", &size, 1, INT64_MAX),
	    SK_OPT_NUM("consistency", &old, 1, INT64_MAX),
	    SK_OPT_STR("key", &key),
	    SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, U_PROVE, opts, SK_CLI_ANY_ARGS, &st))
		return st;
	/* --consistency OLD NEW: NEW is the one argument left once the options are read. */
	if (old >= 0 && optind < argc && !sk_cli_parse_int(argv[optind++], 1, INT64_MAX, &new_))
		return sk_cli_usage_error(U_PROVE, "%s",
		                          sk_cli_msg(SK_M_CLI_CONSISTENCY_NEEDS_OLD_NEW));
	if (old >= 0 && new_ < 0)
		return sk_cli_usage_error(U_PROVE, "%s",
		                          sk_cli_msg(SK_M_CLI_CONSISTENCY_NEEDS_OLD_NEW));
	if ((st = sk_cli_no_args(argc, argv, U_PROVE)))
		return st;
	if ((index >= 0) == (old >= 0))
		return sk_cli_usage_error(U_PROVE, "%s",
		                          sk_cli_msg(SK_M_CLI_GIVE_EITHER_INDEX_CONSISTENCY));
	if (old > new_)
		return sk_cli_usage_error(U_PROVE, sk_cli_msg(SK_M_CLI_OLD_LARGER_NEW), old, new_);

	sk_audit_verifier v;
	bool have_v = false;
	int rc = pinned_vkey(key, sk_cli_db_url(db), &v, &have_v);
	sk_store *s = NULL;
	if (rc || (rc = sk_cli_open_store(db, &s)))
		return rc;
	sk_audit_verify_opts o = {.vkey = have_v ? &v : NULL, .keep_leaves = true};
	sk_audit_verify_result r;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_audit_verify_result_init(&r);
	/* Proofs come only from a log that verifies: never prove a damaged one. */
	sk_err e = sk_audit_verify_store(s, &o, &r, &err);
	sk_store_close(s);
	if (e) {
		rc = sk_cli_fail_buf(e, &err);
		goto out;
	}
	if (!r.intact) {
		rc = sk_cli_fail(SK_ERR_CORRUPT, sk_cli_msg(SK_M_CLI_AUDIT_LOG_INTACT),
		                 sk_cli_err(&r.why, SK_ERR_CORRUPT));
		goto out;
	}
	json_t *j = NULL;
	if (index >= 0) {
		if (size < 0)
			size = r.size;
		if (size > r.size || index >= size) {
			rc = sk_cli_fail(SK_ERR_INVALID, sk_cli_msg(SK_M_CLI_INDEX_OUTSIDE), index,
			                 size, (long long)r.size);
			goto out;
		}
		/* The one shape of an inclusion proof, shared with the web UI's entry page. */
		if (!(j = sk_audit_inclusion_json(&r, (uint64_t)index, (uint64_t)size))) {
			rc = sk_cli_fail(SK_ERR_NOMEM, "out of memory");
			goto out;
		}
	} else {
		if (new_ > r.size) {
			rc = sk_cli_fail(SK_ERR_INVALID, sk_cli_msg(SK_M_CLI_SIZE_LARGER_THAN_LOG),
			                 new_, (long long)r.size);
			goto out;
		}
		sk_hash proof[SK_MERKLE_MAX_PROOF], root, root1;
		size_t n = 0;
		(void)sk_merkle_consistency_proof(r.leaves, (uint64_t)old, (uint64_t)new_, proof,
		                                  &n);
		sk_merkle_root(r.leaves, (uint64_t)old, root1);
		sk_merkle_root(r.leaves, (uint64_t)new_, root);
		j = json_object();
		json_object_set_new(j, "size1", json_integer(old));
		json_object_set_new(j, "size2", json_integer(new_));
		json_object_set_new(j, "root1", b64_json(root1, SK_HASH_LEN));
		json_object_set_new(j, "root2", b64_json(root, SK_HASH_LEN));
		json_object_set_new(j, "proof", proof_json(proof, n));
	}
	rc = sk_cli_print_json(j);
out:
	sk_audit_verify_result_free(&r);
	sk_buf_free(&err);
	return rc;
}

/* Base64 of a JSON string member; a missing or null member gives length 0. */
static bool get_b64(const json_t *j, const char *key, unsigned char *out, size_t *len)
{
	const json_t *v = json_object_get(j, key);
	*len = 0;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	return sodium_base642bin(out, 64, s, strlen(s), NULL, len, NULL,
	                         sodium_base64_VARIANT_ORIGINAL) == 0;
}

/*
 * A tree size or index as the transparency-dev vectors write them: unsigned
 * 64-bit, so up to 2^64-1. jansson holds integers as int64, so a file with a
 * larger one is read again with integers as reals (see cmd_verify_proof);
 * a real that is integral and non-negative is taken, values past 2^64-1
 * saturate (no tree is that large, so such a proof fails in verification).
 */
static bool get_u64(const json_t *j, const char *key, uint64_t *out)
{
	const json_t *v = json_object_get(j, key);
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return true;
	}
	if (!json_is_real(v))
		return false;
	double d = json_real_value(v);
	if (!(d >= 0))
		return false;
	if (d >= 0x1p64) {
		*out = UINT64_MAX;
		return true;
	}
	*out = (uint64_t)d;
	return (double)*out == d;
}

static int cmd_verify_proof(int argc, char **argv)
{
	const char *key = NULL;
	struct notes notes = {0};
	const sk_cli_opt opts[] = {
	    SK_OPT_FN("checkpoint", &notes, checkpoint_option),
	    SK_OPT_STR("key", &key),
	    SK_OPT_END,
	};
	int rc = 0;
	json_t *j = NULL;
	sk_buf text = SK_BUF_INIT(PROOF_FILE_MAX), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (!sk_cli_options(argc, argv, U_VERIFY_PROOF, opts, SK_CLI_ANY_ARGS, &rc))
		goto out;
	if (optind != argc - 1) {
		rc = sk_cli_usage_error(U_VERIFY_PROOF, "%s",
		                        sk_cli_msg(SK_M_CLI_GIVE_PROOF_FILE_STDIN));
		goto out;
	}
	if (notes.n && !key) {
		rc = sk_cli_usage_error(U_VERIFY_PROOF, "%s",
		                        sk_cli_msg(SK_M_CLI_CHECKPOINT_NEEDS_KEY_PUBFILE));
		goto out;
	}
	const char *path = argv[optind];
	sk_err e = strcmp(path, "-") == 0
	               ? sk_audit_read_file("/dev/stdin", PROOF_FILE_MAX, &text, &err)
	               : sk_audit_read_file(path, PROOF_FILE_MAX, &text, &err);
	if (!e)
		e = sk_json_parse(text.data, text.len, PROOF_FILE_MAX, &j, &err);
	/* An index past INT64_MAX is a proof that must fail, not malformed input. */
	if (e == SK_ERR_INVALID &&
	    (j = json_loadb(text.data, text.len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL,
	                    NULL)) != NULL)
		e = SK_OK;
	if (!e && !json_is_object(j))
		e = sk_fail_msg(&err, SK_ERR_INVALID, NULL, NULL, SK_M_CLI_PROOF_JSON_OBJECT);
	if (e) {
		rc = sk_cli_fail_buf(e, &err);
		goto out;
	}
	bool incl = json_object_get(j, "leafIdx") != NULL;
	static const char *const incl_keys[] = {"leafIdx", "treeSize", "root",    "leafHash",
	                                        "proof",   "desc",     "wantErr", NULL};
	static const char *const cons_keys[] = {"size1", "size2", "root1",   "root2",
	                                        "proof", "desc",  "wantErr", NULL};
	uint64_t a = 0, b = 0;
	unsigned char r1[64], r2[64], leaf[64];
	size_t r1n = 0, r2n = 0, leafn = 0;
	json_t *pj = json_object_get(j, "proof");
	size_t n = json_is_array(pj) ? json_array_size(pj) : 0;
	sk_hash proof[SK_MERKLE_MAX_PROOF];
	bool ok = !sk_json_only_keys(j, incl ? incl_keys : cons_keys, NULL) &&
	          (json_is_array(pj) || json_is_null(pj)) && n <= SK_MERKLE_MAX_PROOF &&
	          get_u64(j, incl ? "leafIdx" : "size1", &a) &&
	          get_u64(j, incl ? "treeSize" : "size2", &b) &&
	          get_b64(j, incl ? "root" : "root1", r1, &r1n) &&
	          (incl ? get_b64(j, "leafHash", leaf, &leafn) : get_b64(j, "root2", r2, &r2n));
	/* A proof element that is not a 32-byte hash makes the proof fail, not the input. */
	bool elems_ok = true;
	for (size_t i = 0; ok && i < n; i++) {
		unsigned char h[64];
		size_t hn = 0;
		const json_t *el = json_array_get(pj, i);
		if (!json_is_string(el) ||
		    sodium_base642bin(h, sizeof(h), json_string_value(el), json_string_length(el),
		                      NULL, &hn, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
			ok = false;
		else if (hn != SK_HASH_LEN)
			elems_ok = false;
		else
			memcpy(proof[i], h, SK_HASH_LEN);
	}
	if (!ok) {
		rc = sk_cli_fail(SK_ERR_INVALID, sk_cli_msg(SK_M_CLI_PROOF_SEKISHO_AUDIT_PROVE),
		                 path);
		goto out;
	}
	if (!elems_ok)
		e = sk_fail_msg(&err, SK_ERR_CORRUPT, NULL, NULL, SK_M_CLI_PROOF_ELEMENT_BYTE_HASH);
	else if (incl && leafn != SK_HASH_LEN)
		e = sk_fail_msg(&err, SK_ERR_CORRUPT, NULL, NULL, SK_M_CLI_LEAF_HASH_BYTE_HASH);
	else if (incl)
		e = sk_merkle_verify_inclusion(a, b, leaf, proof, n, r1, r1n, &err);
	else
		e = sk_merkle_verify_consistency(a, b, proof, n, r1, r1n, r2, r2n, &err);
	if (!e && notes.n) {
		sk_audit_verifier v;
		if ((e = sk_audit_vkey_load(key, &v, &err))) {
			rc = sk_cli_fail_buf(e, &err);
			goto out;
		}
		for (size_t i = 0; !e && i < notes.n; i++) {
			sk_audit_checkpoint cp;
			e = sk_audit_checkpoint_open(notes.text[i], notes.len[i], &v, &cp, &err);
			if (e == SK_ERR_INVALID) {
				rc = sk_cli_fail(e, "%s: %s", notes.label[i], sk_cli_err(&err, e));
				goto out;
			}
			bool match = (cp.size == b && r1n == SK_HASH_LEN && incl &&
			              memcmp(cp.root, r1, SK_HASH_LEN) == 0) ||
			             (!incl && cp.size == a && r1n == SK_HASH_LEN &&
			              memcmp(cp.root, r1, SK_HASH_LEN) == 0) ||
			             (!incl && cp.size == b && r2n == SK_HASH_LEN &&
			              memcmp(cp.root, r2, SK_HASH_LEN) == 0);
			if (!e && !match)
				e = sk_fail_msg(&err, SK_ERR_CORRUPT, NULL, NULL,
				                SK_M_CLI_CHECKPOINT_MATCHES_NO_ROOT, notes.label[i],
				                (unsigned long long)cp.size);
		}
	}
	if (e == SK_ERR_CORRUPT || e == SK_ERR_INVALID) {
		printf(sk_cli_msg(SK_M_CLI_PROOF_NOT_VERIFIED), sk_cli_err(&err, e));
		rc = 1;
	} else if (e) {
		rc = sk_cli_fail_buf(e, &err);
	} else {
		fputs(sk_cli_msg(SK_M_CLI_OUT_PROOF_VERIFIES), stdout);
	}
out:
	json_decref(j);
	free_notes(&notes);
	sk_buf_free(&text);
	sk_buf_free(&err);
	return rc;
}

/*
 * One line per entry for people: seq, time (in the installation's zone; the
 * JSON keeps the entry's own UTC text, which its hash covers), actor,
 * address, action, object.
 */
static void print_entry_line(const json_t *e)
{
	const char *at = json_string_value(json_object_get(e, "at"));
	char local[SK_TIME_STR_MAX];
	int64_t us;
	if (at && sk_clock_parse_us(at, &us) == SK_OK) {
		sk_clock_format_local_us(us, local);
		at = local;
	}
	printf("%-6" JSON_INTEGER_FORMAT " %s  %s  %s  %s  %s\n",
	       json_integer_value(json_object_get(e, "seq")), at ? at : "",
	       json_string_value(json_object_get(e, "actor")),
	       json_string_value(json_object_get(e, "address")),
	       json_string_value(json_object_get(e, "action")),
	       json_string_value(json_object_get(e, "object")));
}

/* Entries are read through sk_audit_list, the API's reader: one shape for both doors. */
static int cmd_show(int argc, char **argv)
{
	const char *db = NULL;
	long long seq = -1;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_NUM("seq", &seq, 1, INT64_MAX),
	    SK_OPT_END,
	};
	int rc;
	if (!sk_cli_options(argc, argv, U_SHOW, opts, 0, &rc))
		return rc;
	if (seq < 0)
		return sk_cli_usage_error(U_SHOW, "%s", sk_cli_msg(SK_M_CLI_GIVE_SEQ_N));
	sk_store *s = NULL;
	if ((rc = sk_cli_open_store(db, &s)))
		return rc;
	json_t *page = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_audit_list(s, seq - 1, 1, &page, &err);
	sk_store_close(s);
	json_t *entry = json_array_get(page, 0);
	if (e)
		rc = sk_cli_fail_buf(e, &err);
	else if (!entry || json_integer_value(json_object_get(entry, "seq")) != seq)
		rc = sk_cli_fail(SK_ERR_NOT_FOUND, sk_cli_msg(SK_M_CLI_THERE_AUDIT_ENTRY), seq);
	else
		rc = sk_cli_print_json(json_incref(entry));
	json_decref(page);
	sk_buf_free(&err);
	return rc;
}

static int cmd_tail(int argc, char **argv)
{
	const char *db = NULL;
	long long count = 10;
	bool json = false;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_NUM_L("count", 'n', &count, 1, 100000),
	    SK_OPT_FLAG("json", &json),
	    SK_OPT_END,
	};
	sk_store *s = NULL;
	int rc;
	if (!sk_cli_options_store(argc, argv, U_TAIL, opts, &db, &s, &rc))
		return rc;
	json_t *all = json_array();
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t size = 0;
	sk_err e =
	    all ? sk_audit_size(s, &size, &err) : sk_fail(&err, SK_ERR_NOMEM, "out of memory");
	/* The last count entries, a page at a time. */
	int64_t after = size > count ? size - count : 0;
	while (!e && after < size) {
		json_t *page = NULL;
		int64_t want = size - after < SK_AUDIT_PAGE_MAX ? size - after : SK_AUDIT_PAGE_MAX;
		if ((e = sk_audit_list(s, after, want, &page, &err)))
			break;
		if (json_array_size(page) == 0) {
			json_decref(page);
			break;
		}
		after = json_integer_value(
		    json_object_get(json_array_get(page, json_array_size(page) - 1), "seq"));
		json_array_extend(all, page);
		json_decref(page);
	}
	sk_store_close(s);
	if (e) {
		rc = sk_cli_fail_buf(e, &err);
	} else if (json) {
		rc = sk_cli_print_json(json_incref(all));
	} else {
		size_t i;
		json_t *x;
		json_array_foreach (all, i, x)
			print_entry_line(x);
		if (fflush(stdout) != 0)
			rc = 70;
	}
	json_decref(all);
	sk_buf_free(&err);
	return rc;
}

static int cmd_export(int argc, char **argv)
{
	const char *db = NULL, *outpath = NULL;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR_L("output", 'o', &outpath),
	    SK_OPT_END,
	};
	sk_store *s = NULL;
	int rc;
	if (!sk_cli_options_store(argc, argv, U_EXPORT, opts, &db, &s, &rc))
		return rc;
	FILE *f = outpath ? fopen(outpath, "wx") : stdout;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (!f) {
		rc = sk_cli_fail(SK_ERR_IO, sk_cli_msg(SK_M_CLI_CANNOT_CREATE_MAY_EXIST), outpath);
	} else {
		sk_err e = sk_audit_export(s, f, &err);
		if (outpath && fclose(f) != 0 && !e)
			e = sk_fail_msg(&err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_WRITE,
			                outpath);
		if (e) {
			rc = sk_cli_fail_buf(e, &err);
			if (outpath)
				unlink(outpath); /* nothing half-written */
		}
	}
	sk_store_close(s);
	sk_buf_free(&err);
	return rc;
}

int sk_cmd_audit(int argc, char **argv)
{
	static const struct sk_cli_verb verbs[] = {
	    {"checkpoint", cmd_checkpoint, U_CHECKPOINT, SK_CLI_INSTALL,
	     SK_M_VERB_AUDIT_CHECKPOINT},
	    {"verify", cmd_verify, U_VERIFY, SK_CLI_INSTALL, SK_M_VERB_AUDIT_VERIFY},
	    {"prove", cmd_prove, U_PROVE, SK_CLI_INSTALL, SK_M_VERB_AUDIT_PROVE},
	    {"verify-proof", cmd_verify_proof, U_VERIFY_PROOF, SK_CLI_INSTALL,
	     SK_M_VERB_AUDIT_VERIFY_PROOF},
	    {"show", cmd_show, U_SHOW, SK_CLI_PERSON, SK_M_VERB_AUDIT_SHOW},
	    {"tail", cmd_tail, U_TAIL, SK_CLI_PERSON, SK_M_VERB_AUDIT_TAIL},
	    {"export", cmd_export, U_EXPORT, SK_CLI_INSTALL, SK_M_VERB_AUDIT_EXPORT},
	    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
	};
	return sk_cli_dispatch("audit", verbs, argc - 1, argv + 1);
}
