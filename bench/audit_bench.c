/*
 * audit_bench: the two measured claims of the audit log (docs/performance.md).
 *
 *   audit_bench append DIR THREADS OPS
 *     OPS durable audit appends from THREADS threads through the group-commit
 *     writer, against a plain SQLite loop inserting rows of the same shape
 *     with the same durability (WAL, synchronous=FULL, one commit per row).
 *   audit_bench verify DIR ENTRIES
 *     sk_audit_verify_store over a log of ENTRIES entries, against OpenSSL
 *     libcrypto SHA-256 hashing the same leaf bytes (already in memory).
 *
 * Prints one "key value" line per figure; run-audit.sh formats them.
 */
#include <inttypes.h>
#include <jansson.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "audit/audit.h"
#include "audit/verify.h"
#include "store/writer.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the whole process (every thread): on a shared machine the
 * wall clock says more about the neighbours than about the code. */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* System CPU time of the whole process: the part of verification spent in
 * the kernel (reading pages), which instruction counts of user code miss. */
static double sys_now(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what, const sk_buf *err)
{
	fprintf(stderr, "audit_bench: %s: %s\n", what, err ? err->data : "");
	exit(1);
}

/* A typical entry: an account change with a small after image. */
static sk_audit_event event(int i, json_t **after)
{
	static __thread char obj[32];
	snprintf(obj, sizeof(obj), "user:u%d", i);
	*after = json_pack("{ss,ss,ss,si}", "login", obj + 5, "name", "山田 太郎", "unit", "somu",
	                   "n", i);
	return (sk_audit_event){"ciso", "192.0.2.10", "user.add", obj, NULL, *after};
}

static sk_err append_op(sk_store *s, void *ctx, sk_buf *err)
{
	json_t *after;
	sk_audit_event ev = event(*(int *)ctx, &after);
	sk_err e = sk_audit_append(s, &ev, NULL, err);
	json_decref(after);
	return e;
}

struct worker {
	sk_writer *w;
	int from, n;
};

static void *work(void *arg)
{
	struct worker *k = arg;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	for (int i = 0; i < k->n; i++) {
		int id = k->from + i;
		if (sk_writer_run(k->w, append_op, &id, &err))
			die("append", &err);
	}
	sk_buf_free(&err);
	return NULL;
}

/* One round of group-commit appends: ops operations from threads threads. */
static double round_writer(const char *url, int threads, int ops, int base, size_t *batches)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_writer *w;
	if (sk_writer_start(url, 0, &w, &err))
		die("writer", &err);
	pthread_t th[256];
	struct worker k[256];
	double t0 = now();
	for (int t = 0; t < threads; t++) {
		int from = base + t * (ops / threads);
		int n = ops / threads + (t == threads - 1 ? ops % threads : 0);
		k[t] = (struct worker){w, from, n};
		pthread_create(&th[t], NULL, work, &k[t]);
	}
	for (int t = 0; t < threads; t++)
		pthread_join(th[t], NULL);
	double t1 = now();
	size_t done;
	sk_writer_stats(w, batches, &done);
	sk_writer_stop(w);
	if (done != (size_t)ops)
		die("writer ran fewer operations than queued", NULL);
	sk_buf_free(&err);
	return t1 - t0;
}

/* One round of the reference: the same durability, one commit per row, one thread. */
static double round_reference(sqlite3 *db, sqlite3_stmt *st, int ops, int base)
{
	static const unsigned char hash[32] = {0x9f, 0x86, 0xd0, 0x81};
	double r0 = now();
	for (int i = base; i < base + ops; i++) {
		json_t *after;
		sk_audit_event ev = event(i, &after);
		char *text = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
		sqlite3_bind_int64(st, 1, i + 1);
		sqlite3_bind_text(st, 2, "2026-01-01T00:00:00.000000+00:00", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, ev.actor, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, ev.address, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, ev.action, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, ev.object, -1, SQLITE_STATIC);
		sqlite3_bind_null(st, 7);
		sqlite3_bind_text(st, 8, text, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 9, hash, sizeof(hash), SQLITE_STATIC);
		sqlite3_bind_blob(st, 10, hash, sizeof(hash), SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			die("reference insert", NULL);
		sqlite3_reset(st);
		free(text);
		json_decref(after);
	}
	return now() - r0;
}

/* Rounds alternate between the two so that both see the same disk and load. */
static void bench_append(const char *dir, int threads, int ops)
{
	enum { ROUNDS = 3 };
	char url[4200], ref[4200];
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	snprintf(url, sizeof(url), "sqlite:%s/append.db", dir);
	snprintf(ref, sizeof(ref), "%s/reference.db", dir);
	sk_store *s;
	if (sk_store_open(url, SK_STORE_CREATE, &s, &err))
		die("open", &err);
	sk_store_close(s);

	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open(ref, &db) != SQLITE_OK)
		die("reference open", NULL);
	sqlite3_exec(
	    db,
	    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "CREATE TABLE t (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
	    " address TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL,"
	    " before_json TEXT, after_json TEXT, prev_hash BLOB NOT NULL,"
	    " leaf_hash BLOB NOT NULL);",
	    NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &st,
	                   NULL);

	double tw = 0, tr = 0;
	size_t batches = 0;
	for (int r = 0; r < ROUNDS; r++) {
		size_t b = 0;
		tw += round_writer(url, threads, ops, r * ops, &b);
		batches += b;
		tr += round_reference(db, st, ops, r * ops);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	int total = ROUNDS * ops;
	printf("append_ops %d\nappend_threads %d\nappend_seconds %.3f\nappend_rate %.0f\n"
	       "append_batches %zu\nreference_rows %d\nreference_seconds %.3f\n"
	       "reference_rate %.0f\n",
	       total, threads, tw, total / tw, batches, total, tr, total / tr);
	sk_buf_free(&err);
}

/* Every entry's leaf bytes, read once into memory for the reference. */
struct corpus {
	sk_buf bytes;
	size_t *off;
	size_t n, cap;
};

static sk_err take(void *ctx, const sk_row *row, sk_buf *err)
{
	struct corpus *c = ctx;
	char prev[SK_HASH_HEX_LEN + 1];
	(void)err;
	sk_audit_entry e = {sk_row_int(row, 0),
	                    sk_row_text(row, 1),
	                    sk_row_text(row, 2),
	                    sk_row_text(row, 3),
	                    sk_row_text(row, 4),
	                    sk_row_text(row, 5),
	                    sk_row_is_null(row, 6) ? NULL : sk_row_text(row, 6),
	                    sk_row_is_null(row, 7) ? NULL : sk_row_text(row, 7),
	                    sk_audit_hash_col(row, 8, prev)};
	if (c->n + 1 >= c->cap) {
		c->cap = c->cap ? 2 * c->cap : 1 << 16;
		c->off = realloc(c->off, c->cap * sizeof(*c->off));
	}
	c->off[c->n++] = c->bytes.len;
	return sk_audit_entry_bytes(&e, &c->bytes);
}

static void read_corpus(sk_store *s, struct corpus *c)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_store_query(s,
	                   "SELECT seq, at, actor, address, action, object, before_json, "
	                   "after_json, prev_hash FROM audit_log ORDER BY seq",
	                   NULL, 0, take, c, &err))
		die("read", &err);
	c->off[c->n] = c->bytes.len;
	sk_buf_free(&err);
}

static void corpus_free(struct corpus *c)
{
	free(c->off);
	sk_buf_free(&c->bytes);
}

/* The log the `verify` run builds in dir (flags: SK_STORE_CREATE for that run). */
static sk_store *open_verify_db(const char *dir, int flags)
{
	char url[4200];
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	snprintf(url, sizeof(url), "sqlite:%s/verify.db", dir);
	sk_store *s;
	if (sk_store_open(url, flags, &s, &err))
		die("open", &err);
	sk_buf_free(&err);
	return s;
}

/* The reference: every entry's leaf hash from bytes already in memory. Not
 * inlined, so that callgrind can count it alone (--toggle-collect). */
__attribute__((noinline)) static unsigned char reference_hash(const struct corpus *c)
{
	unsigned char sink = 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	for (size_t i = 0; i < c->n; i++) {
		SHA256_CTX x;
		unsigned char h[32];
		static const unsigned char zero = 0;
		SHA256_Init(&x);
		SHA256_Update(&x, &zero, 1);
		SHA256_Update(&x, c->bytes.data + c->off[i], c->off[i + 1] - c->off[i]);
		SHA256_Final(h, &x);
		sink ^= h[0];
	}
#pragma GCC diagnostic pop
	return sink;
}

static void bench_verify(const char *dir, int entries)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_store *s = open_verify_db(dir, SK_STORE_CREATE);
	int64_t have = 0, old = 0;
	sk_store_query_int(s, "SELECT COUNT(*) FROM audit_log", NULL, 0, &have, &err);
	/* A log made before the hashes were stored as bytes reads as damaged. */
	sk_store_query_int(s, "SELECT COUNT(*) FROM audit_log WHERE typeof(leaf_hash) <> 'blob'",
	                   NULL, 0, &old, &err);
	if (old > 0) {
		fprintf(stderr, "audit_bench: %s/verify.db has an older schema: remove it\n", dir);
		exit(1);
	}
	double g0 = now();
	for (int i = (int)have; i < entries;) {
		if (sk_store_begin(s, &err))
			die("begin", &err);
		for (int j = 0; j < 20000 && i < entries; j++, i++)
			if (append_op(s, &i, &err))
				die("append", &err);
		if (sk_store_commit(s, &err))
			die("commit", &err);
	}
	double g1 = now();
	if (have < entries)
		fprintf(stderr, "audit_bench: built %d entries in %.1fs\n", entries, g1 - g0);

	struct corpus c = {.bytes = SK_BUF_INIT(SIZE_MAX / 2)};
	read_corpus(s, &c);

	double best_ref = 1e9, best_ver = 1e9, cpu_ref = 1e9, cpu_ver = 1e9, sys_ver = 0;
	unsigned char sink = 0;
	for (int round = 0; round < 3; round++) {
		double a = now(), ca = cpu_now();
		sink ^= reference_hash(&c);
		double b = now(), cb = cpu_now();
		if (b - a < best_ref)
			best_ref = b - a;
		if (cb - ca < cpu_ref)
			cpu_ref = cb - ca;

		sk_audit_verify_opts o = {0};
		sk_audit_verify_result r;
		sk_audit_verify_result_init(&r);
		a = now();
		ca = cpu_now();
		double sa = sys_now();
		if (sk_audit_verify_store(s, &o, &r, &err))
			die("verify", &err);
		b = now();
		cb = cpu_now();
		if (cb - ca < cpu_ver) {
			cpu_ver = cb - ca;
			sys_ver = sys_now() - sa;
		}
		if (!r.intact || r.size != entries)
			die("verify says not intact", &r.why);
		sk_audit_verify_result_free(&r);
		if (b - a < best_ver)
			best_ver = b - a;
	}
	printf("verify_entries %zu\nleaf_bytes %zu\nreference_hash_seconds %.3f\n"
	       "reference_hash_rate %.0f\nreference_cpu_seconds %.3f\nverify_seconds %.3f\n"
	       "verify_rate %.0f\nverify_cpu_seconds %.3f\nverify_sys_seconds %.3f\nsink %u\n",
	       c.n, c.bytes.len, best_ref, (double)c.n / best_ref, cpu_ref, best_ver,
	       (double)c.n / best_ver, cpu_ver, sys_ver, sink);
	sk_store_close(s);
	corpus_free(&c);
	sk_buf_free(&err);
}

static sk_err take_nothing(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	*(int64_t *)ctx += row->cols[0].i;
	return SK_OK;
}

/*
 * What verification cannot do without, in CPU seconds, best of ROUNDS: the
 * store reading every row's ten columns (one connection, the readers'
 * query and page cache, nothing done with the values), the reference's leaf
 * hashes, and the Merkle tree over as many leaves. Their sum over the number
 * of CPUs bounds verification's wall-clock time from below.
 */
static void floor_costs(const char *dir, int rounds)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_store *s = open_verify_db(dir, 0);
	struct corpus c = {.bytes = SK_BUF_INIT(SIZE_MAX / 2)};
	read_corpus(s, &c);
	(void)sk_store_exec(s, "PRAGMA mmap_size = 0", NULL, 0, NULL, NULL);
	(void)sk_store_exec(s, "PRAGMA cache_size = 64", NULL, 0, NULL, NULL);
	sk_hash *leaves = calloc(c.n ? c.n : 1, sizeof(*leaves));
	if (!leaves)
		die("out of memory", NULL);
	for (size_t i = 0; i < c.n; i++)
		memcpy(leaves[i], &i, sizeof(i));
	double rd = 1e9, ref = 1e9, mk = 1e9;
	int64_t sum = 0;
	unsigned char sink = 0;
	for (int r = 0; r < rounds; r++) {
		double a = cpu_now();
		if (sk_store_begin(s, &err) ||
		    sk_store_query(s,
		                   "SELECT seq, at, actor, address, action, object, before_json, "
		                   "after_json, prev_hash, leaf_hash FROM audit_log ORDER BY seq",
		                   NULL, 0, take_nothing, &sum, &err))
			die("read", &err);
		sk_store_rollback(s);
		double b = cpu_now();
		sink ^= reference_hash(&c);
		double d = cpu_now();
		sk_hash root;
		sk_merkle_root((const sk_hash *)leaves, c.n, root);
		sink ^= root[0];
		double e = cpu_now();
		rd = b - a < rd ? b - a : rd;
		ref = d - b < ref ? d - b : ref;
		mk = e - d < mk ? e - d : mk;
	}
	printf("entries %zu\nread_cpu_seconds %.3f\nreference_cpu_seconds %.3f\n"
	       "merkle_cpu_seconds %.3f\nsink %u %u\n",
	       c.n, rd, ref, mk, sink, (unsigned)(sum & 1));
	free(leaves);
	sk_store_close(s);
	corpus_free(&c);
	sk_buf_free(&err);
}

/* The reference alone, over the log a `verify` run built: for callgrind
 * (bench/count-audit.sh), counting reference_hash only. */
static void reference_only(const char *dir)
{
	sk_store *s = open_verify_db(dir, 0);
	struct corpus c = {.bytes = SK_BUF_INIT(SIZE_MAX / 2)};
	read_corpus(s, &c);
	printf("reference_entries %zu\nleaf_bytes %zu\nsink %u\n", c.n, c.bytes.len,
	       reference_hash(&c));
	sk_store_close(s);
	corpus_free(&c);
}

/* Verification alone, ROUNDS times, over the log a `verify` run built: for
 * profilers, which should see neither the build nor the reference. */
static void verify_only(const char *dir, int rounds)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_store *s = open_verify_db(dir, 0);
	double best = 1e9, best_cpu = 1e9;
	int64_t size = 0;
	for (int i = 0; i < rounds; i++) {
		sk_audit_verify_opts o = {0};
		sk_audit_verify_result r;
		sk_audit_verify_result_init(&r);
		double a = now(), ca = cpu_now();
		if (sk_audit_verify_store(s, &o, &r, &err))
			die("verify", &err);
		double b = now(), cb = cpu_now();
		if (!r.intact)
			die("verify says not intact", &r.why);
		size = r.size;
		sk_audit_verify_result_free(&r);
		best = b - a < best ? b - a : best;
		best_cpu = cb - ca < best_cpu ? cb - ca : best_cpu;
	}
	printf("verify_entries %" PRId64 "\nverify_seconds %.3f\nverify_cpu_seconds %.3f\n", size,
	       best, best_cpu);
	sk_store_close(s);
	sk_buf_free(&err);
}

static int count(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 1 || v > 100000000) {
		fprintf(stderr, "audit_bench: '%s' is not a count\n", s);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "append") == 0)
		bench_append(argv[2], count(argv[3]), count(argv[4]));
	else if (argc == 4 && strcmp(argv[1], "verify") == 0)
		bench_verify(argv[2], count(argv[3]));
	else if (argc == 4 && strcmp(argv[1], "verify-only") == 0)
		verify_only(argv[2], count(argv[3]));
	else if (argc == 3 && strcmp(argv[1], "reference-only") == 0)
		reference_only(argv[2]);
	else if (argc == 4 && strcmp(argv[1], "floor") == 0)
		floor_costs(argv[2], count(argv[3]));
	else {
		fprintf(stderr, "usage: audit_bench append DIR THREADS OPS | verify DIR ENTRIES | "
		                "verify-only DIR ROUNDS | reference-only DIR | floor DIR ROUNDS\n");
		return 2;
	}
	return 0;
}
