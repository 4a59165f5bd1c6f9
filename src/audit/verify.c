/*
 * verify: the audit log checker and the export format.
 *
 * Checking a large log is dominated by reading rows (more than half of the
 * CPU time, see docs/performance.md) and SHA-256. The store path reads
 * chunks of sequence numbers with one connection per CPU (at most 4); each
 * reader thread encodes its rows' leaf bytes straight from the values the
 * store hands over, hashes them and builds its chunk's Merkle subtree; the
 * calling thread runs every check in sequence order and combines the chunks'
 * subtree roots into the tree. Stored hashes are 32-byte BLOBs compared with
 * memcmp. There is no allocation per row.
 */
#include "verify.h"

#include <inttypes.h>
#include <jansson.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/sk_clock.h"
#include "../core/sk_json.h"
#include "../core/sk_msg.h"

#define BLOCK_ROWS 16384      /* a power of two: see chunk_rows */
#define LINE_MAX_  (8u << 20) /* the longest export line accepted */
#define LABEL_MAX  300

/* One entry as read: its leaf bytes (in the block) and the stored hashes.
 * A stored hash that is damaged (not 32 bytes, or not canonical lower-case
 * hex in an export) has its _ok flag false and matches nothing. */
struct row_in {
	int64_t seq;
	size_t off, len;
	sk_hash stored, prev;
	bool stored_ok, prev_ok;
	bool hashed; /* leaf is filled in already (by a reader thread) */
	sk_hash leaf;
};

struct block {
	size_t n;
	sk_buf bytes;
	/* has_root: root is the Merkle subtree root of the chunk's rows' leaf
	 * hashes, in order (a reader made it; see engine_block). */
	bool has_root;
	sk_hash root;
	struct row_in rows[BLOCK_ROWS];
};

/*
 * Sequence numbers per chunk of the store path: BLOCK_ROWS, or fewer through
 * the test seam. A power of two, so that under RFC 9162's shape every whole
 * chunk is one perfect subtree of the tree: the tree over n leaves splits at
 * the largest power of two below n, which is a multiple of the chunk size
 * whenever n is larger than a chunk.
 */
static size_t chunk_rows = BLOCK_ROWS;
static unsigned chunk_height = 14; /* log2(chunk_rows) */

bool sk_audit_verify_chunk_rows(size_t rows)
{
	if (rows == 0)
		rows = BLOCK_ROWS;
	if (rows > BLOCK_ROWS || (rows & (rows - 1)) != 0)
		return false;
	chunk_rows = rows;
	chunk_height = (unsigned)__builtin_ctzll(rows);
	return true;
}

struct cp {
	uint64_t size;
	sk_hash root;
	char label[LABEL_MAX];
};

/* The hashing and checking side: sees rows strictly in order. */
struct engine {
	sk_audit_verify_result *r;
	int64_t next;
	sk_hash prev; /* the previous entry's leaf hash; zeros before the first */
	sk_merkle_acc acc;
	struct cp *cps;
	size_t ncps, icp;
	uint64_t good_size; /* the largest checkpoint size that matched so far */
	size_t leaves_cap;
	bool keep, failed, oom;
};

void sk_audit_verify_result_init(sk_audit_verify_result *r)
{
	memset(r, 0, sizeof(*r));
	sk_buf_init(&r->why, SK_BUF_MSG_MAX);
	r->intact = true;
}

void sk_audit_verify_result_free(sk_audit_verify_result *r)
{
	sk_buf_free(&r->why);
	free(r->leaves);
	r->leaves = NULL;
}

json_t *sk_audit_verify_json(const sk_audit_verify_result *r)
{
	char root[sodium_base64_ENCODED_LEN(SK_HASH_LEN, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(root, sizeof(root), r->root, SK_HASH_LEN, sodium_base64_VARIANT_ORIGINAL);
	return json_pack("{s:b, s:s, s:I, s:s?, s:I, s:o, s:s?}", "intact", r->intact, "origin",
	                 r->origin, "size", (json_int_t)r->size, "root", r->intact ? root : NULL,
	                 "checkpoints", (json_int_t)r->checkpoints, "first_bad_entry",
	                 !r->intact && r->bad_seq ? json_integer((json_int_t)r->bad_seq)
	                                          : json_null(),
	                 "reason", r->intact ? NULL : (r->why.data ? r->why.data : ""));
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool sk_audit_unhex(const char *hex, size_t n, sk_hash out)
{
	if (n != SK_HASH_HEX_LEN)
		return false;
	for (size_t i = 0; i < SK_HASH_LEN; i++) {
		int hi = hexval((unsigned char)hex[2 * i]),
		    lo = hexval((unsigned char)hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

__attribute__((format(printf, 3, 4))) static void fail(struct engine *g, int64_t seq,
                                                       const char *fmt, ...)
{
	if (g->failed)
		return;
	va_list ap;
	g->failed = true;
	g->r->intact = false;
	g->r->bad_seq = seq;
	sk_buf_reset(&g->r->why);
	va_start(ap, fmt);
	(void)sk_buf_vaddf(&g->r->why, fmt, ap);
	va_end(ap);
}

static int cmp_cp(const void *a, const void *b)
{
	const struct cp *x = a, *y = b;
	return x->size < y->size ? -1 : x->size > y->size;
}

static void engine_init(struct engine *g, sk_audit_verify_result *r, bool keep)
{
	memset(g, 0, sizeof(*g));
	g->r = r;
	g->next = 1;
	g->keep = keep;
	sk_merkle_acc_init(&g->acc);
}

static sk_err engine_add_cp(struct engine *g, uint64_t size, const sk_hash root, const char *label)
{
	struct cp *n = realloc(g->cps, (g->ncps + 1) * sizeof(*n));
	if (!n)
		return SK_ERR_NOMEM;
	g->cps = n;
	n[g->ncps].size = size;
	memcpy(n[g->ncps].root, root, SK_HASH_LEN);
	snprintf(n[g->ncps].label, LABEL_MAX, "%s", label);
	g->ncps++;
	return SK_OK;
}

/* Checks every checkpoint whose size the tree has just reached. */
static void engine_checkpoints(struct engine *g)
{
	if (g->icp == 0 && g->acc.size == 0 && g->ncps > 1)
		qsort(g->cps, g->ncps, sizeof(*g->cps), cmp_cp);
	while (!g->failed && g->icp < g->ncps && g->cps[g->icp].size == g->acc.size) {
		sk_hash root;
		const struct cp *c = &g->cps[g->icp];
		sk_merkle_acc_root(&g->acc, root);
		if (memcmp(root, c->root, SK_HASH_LEN) != 0) {
			/* A root covers many entries; the culprit lies after the last
			 * checkpoint that still matched. */
			fail(g, (int64_t)g->good_size + 1,
			     "entry %" PRIu64 ": the log does not match %s (size %" PRIu64
			     "): an entry in %" PRIu64 "..%" PRIu64
			     " was changed, removed or replaced (entries up to %" PRIu64
			     " match an earlier checkpoint)",
			     g->good_size + 1, c->label, c->size, g->good_size + 1, c->size,
			     g->good_size);
			return;
		}
		g->good_size = c->size;
		g->r->checkpoints++;
		g->icp++;
	}
}

/* One row in order. tree: the row's leaf goes into the tree here (false when
 * the whole chunk's subtree root is pushed after its last row). */
static void engine_row(struct engine *g, const struct row_in *w, const char *bytes, bool tree)
{
	if (g->failed)
		return;
	if (w->seq != g->next) {
		if (w->seq > g->next)
			fail(g, g->next,
			     "entry %" PRId64 ": missing (the next stored entry is %" PRId64 ")",
			     g->next, w->seq);
		else
			fail(g, g->next,
			     "entry %" PRId64 ": out of order (found entry %" PRId64
			     " in its place)",
			     g->next, w->seq);
		return;
	}
	sk_hash leaf;
	if (w->hashed)
		memcpy(leaf, w->leaf, SK_HASH_LEN);
	else
		sk_audit_leaf_hash(bytes, w->len, leaf);
	if (!w->stored_ok || memcmp(leaf, w->stored, SK_HASH_LEN) != 0) {
		fail(g, w->seq, "entry %" PRId64 ": stored hash does not match its fields", w->seq);
		return;
	}
	if (!w->prev_ok || memcmp(w->prev, g->prev, SK_HASH_LEN) != 0) {
		if (w->seq == 1)
			fail(g, 1, "entry 1: its previous-hash field is not all zeros");
		else
			/* Entry seq is self-consistent, so either it was rewritten
			 * whole or its predecessor was: name the earlier one. */
			fail(g, w->seq - 1,
			     "entry %" PRId64
			     ": its hash does not match the link stored in entry %" PRId64
			     " (entry %" PRId64 " or %" PRId64 " was rewritten)",
			     w->seq - 1, w->seq, w->seq - 1, w->seq);
		return;
	}
	uint64_t index = (uint64_t)(g->next - 1); /* the leaf's index in the tree */
	if (g->keep) {
		if (index == g->leaves_cap) {
			size_t cap = g->leaves_cap ? 2 * g->leaves_cap : 1024;
			sk_hash *n = realloc(g->r->leaves, cap * sizeof(*n));
			if (!n) {
				g->oom = true;
				fail(g, w->seq, "entry %" PRId64 ": out of memory", w->seq);
				return;
			}
			g->r->leaves = n;
			g->leaves_cap = cap;
		}
		memcpy(g->r->leaves[index], leaf, SK_HASH_LEN);
	}
	memcpy(g->prev, leaf, SK_HASH_LEN);
	g->next++;
	if (tree) {
		sk_merkle_acc_push(&g->acc, leaf);
		engine_checkpoints(g);
	}
}

/* Whether a checkpoint's size lies strictly between tree sizes lo and hi.
 * The checkpoints are sorted by then and no longer change: reader threads
 * ask too. */
static bool checkpoint_inside(const struct engine *g, uint64_t lo, uint64_t hi)
{
	size_t a = 0, b = g->ncps; /* the first checkpoint larger than lo */
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (g->cps[m].size <= lo)
			a = m + 1;
		else
			b = m;
	}
	return a < g->ncps && g->cps[a].size < hi;
}

/*
 * A block's rows, checked one by one in order. When a reader made the
 * subtree root of a whole chunk that starts at a multiple of the chunk size
 * with no checkpoint inside, the tree takes that root after the last row
 * passed, as if its leaves had been pushed one by one (every row that passes
 * is the next leaf in order, so the reader's leaves are the tree's); else
 * each leaf is pushed, and checkpoints inside are checked at their size.
 */
static void engine_block(struct engine *g, const struct block *b)
{
	bool subtree = b->has_root && b->n == chunk_rows && g->acc.size % chunk_rows == 0 &&
	               !checkpoint_inside(g, g->acc.size, g->acc.size + chunk_rows);
	for (size_t i = 0; i < b->n && !g->failed; i++)
		engine_row(g, &b->rows[i],
		           b->rows[i].hashed ? NULL : b->bytes.data + b->rows[i].off, !subtree);
	if (subtree && !g->failed) {
		(void)sk_merkle_acc_push_subtree(&g->acc, b->root, chunk_height);
		engine_checkpoints(g);
	}
}

/* After the last row: the head (when the source has one) and checkpoints past
 * the end. head is the head's hash, NULL when it is damaged. */
static void engine_finish(struct engine *g, bool has_head, int64_t head_seq,
                          const unsigned char *head)
{
	int64_t n = g->next - 1;
	if (g->failed)
		return;
	if (has_head) {
		if (head_seq > n) {
			fail(g, n + 1,
			     "entry %" PRId64 ": missing (the log head records %" PRId64
			     " entries, %" PRId64 " are stored: the log was truncated)",
			     n + 1, head_seq, n);
			return;
		}
		if (head_seq < n) {
			fail(g, head_seq + 1,
			     "entry %" PRId64
			     ": not recorded in the log head (which ends at %" PRId64 ")",
			     head_seq + 1, head_seq);
			return;
		}
		/* g->prev is the last entry's hash, or zeros for an empty log. */
		if (!head || memcmp(head, g->prev, SK_HASH_LEN) != 0) {
			fail(g, n, "entry %" PRId64 ": the log head's hash does not match it", n);
			return;
		}
	}
	if (g->icp < g->ncps) {
		const struct cp *c = &g->cps[g->icp];
		fail(g, n + 1,
		     "entry %" PRId64 ": missing (%s covers %" PRIu64
		     " entries, the log has %" PRId64 ": the log was truncated)",
		     n + 1, c->label, c->size, n);
		return;
	}
	g->r->size = n;
	sk_merkle_acc_root(&g->acc, g->r->root);
}

static void engine_free(struct engine *g) { free(g->cps); }

/* Opens a note from outside or from the log and queues it as a checkpoint. */
static sk_err add_note(struct engine *g, const sk_audit_verifier *v, const char *note, size_t len,
                       const char *label, bool outside, sk_buf *err)
{
	sk_audit_checkpoint cp;
	sk_buf why = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_audit_checkpoint_open(note, len, v, &cp, &why);
	if (e == SK_ERR_INVALID && outside)
		e = sk_fail(err, e, "%s: %s", label, why.data);
	else if (e) {
		/* A bad signature, or a stored note that does not even parse. */
		fail(g, 0, "%s: %s", label, why.data);
		e = SK_OK;
	} else if (engine_add_cp(g, cp.size, cp.root, label)) {
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	}
	sk_buf_free(&why);
	return e;
}

static sk_err add_outside_notes(struct engine *g, const sk_audit_verifier *v,
                                const sk_audit_verify_opts *o, sk_buf *err)
{
	for (size_t i = 0; i < o->nnotes; i++) {
		char label[LABEL_MAX];
		snprintf(label, sizeof(label), "checkpoint %s", o->note_labels[i]);
		sk_err e = add_note(g, v, o->notes[i], o->note_lens[i], label, true, err);
		if (e)
			return e;
	}
	return SK_OK;
}

/* ---- the store path ---- */

/*
 * The entries are read in chunks of chunk_rows sequence numbers by several
 * reader threads, each with its own connection (reading and encoding cost
 * more than hashing, so one reader would be the bottleneck), and checked by
 * the calling thread strictly in chunk order. Chunk c covers sequence
 * numbers (c * chunk_rows, (c + 1) * chunk_rows], bounded by the head's
 * sequence number; chunk 0 has no lower bound, so stray rows with sequence
 * numbers below 1 are seen. Rows past the head are looked for separately.
 * Chunk c goes to slot c % nslots; nslots is a multiple of the number of
 * readers, so one reader fills a slot and the checker empties it.
 */
struct slot {
	struct block b;
	int64_t chunk;
	bool full;
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct slot *slots;
	size_t nslots, nreaders;
	int64_t nchunks, last;  /* last: the head's sequence number */
	const struct engine *g; /* its checkpoints, sorted, for the readers to read */
	atomic_bool stop;
	sk_err error; /* the first reader's failure to read */
	sk_buf error_msg;
};

struct reader {
	struct pipe *p;
	sk_store *s;
	size_t k;
	struct block *cur;
	/* One entry's leaf bytes at a time: the checker needs only the hashes of
	 * what a reader hashed, and a buffer that stays in the L1 cache is
	 * cheaper than a block's worth of bytes written out and never read. */
	sk_buf scratch;
	/* The subtree of the chunk being read, when tree (see read_chunk). */
	sk_merkle_acc acc;
	pthread_t th;
	bool tree;
	bool own; /* a connection of its own, closed at the end */
	bool started;
};

/* The RFC 9162 leaf hash of bytes that start with the 0x00 prefix already:
 * one contiguous update is measurably faster than sk_audit_leaf_hash's two. */
static void leaf_hash_prefixed(const void *bytes, size_t len, sk_hash out)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	SHA256_CTX c;
	SHA256_Init(&c);
	SHA256_Update(&c, bytes, len);
	SHA256_Final(out, &c);
#pragma GCC diagnostic pop
}

/*
 * A text field's bytes; false for a value that is no text (damage). The
 * bytes are encoded exactly as stored, NUL included (append takes C strings,
 * so a NUL can only come from tampering and then cannot match the stored
 * hash unless the entry was rewritten whole, which the chain, the head and
 * checkpoints catch). Not scanning for NULs saves a pass per field.
 */
static bool text_field(const sk_val *v, bool nullable, const char **p, size_t *n)
{
	if (v->type == SK_VAL_TEXT || v->type == SK_VAL_BLOB) {
		*p = v->p;
		*n = v->n;
		return true;
	}
	*p = nullable ? "-" : "";
	*n = nullable ? 1 : 0;
	return nullable && v->type == SK_VAL_NULL;
}

/* A stored hash: a BLOB of exactly 32 bytes. */
static bool hash_field(const sk_val *v, sk_hash out)
{
	if (v->type != SK_VAL_BLOB || v->n != SK_HASH_LEN)
		return false;
	memcpy(out, v->p, SK_HASH_LEN);
	return true;
}

/*
 * Columns: seq, at, actor, address, action, object, before_json, after_json,
 * prev_hash, leaf_hash. The leaf bytes are built from the values and their
 * lengths as the store hands them over, without copies or strlen, right
 * after a 0x00 byte so that the leaf hash is one pass over one buffer.
 */
static sk_err read_row(void *ctx, const sk_row *row, sk_buf *err)
{
	struct reader *rd = ctx;
	if (atomic_load_explicit(&rd->p->stop, memory_order_relaxed))
		return SK_ERR_CORRUPT; /* the checker has its answer: stop reading */
	struct block *b = rd->cur;
	if (b->n == chunk_rows || row->ncols != 10)
		return sk_fail(err, SK_ERR_INTERNAL, "audit chunk overflow");
	struct row_in *w = &b->rows[b->n];
	const sk_val *c = row->cols;
	const char *f[8];
	size_t n[8];
	char prev_hex[SK_HASH_HEX_LEN + 1] = "";
	bool clean = true;
	w->seq = c[0].type == SK_VAL_INT ? c[0].i : 0;
	w->prev_ok = hash_field(&c[8], w->prev);
	w->stored_ok = hash_field(&c[9], w->stored);
	for (size_t i = 0; i < 7; i++)
		clean &= text_field(&c[i + 1], i >= 5, &f[i], &n[i]);
	if (w->prev_ok)
		sk_audit_hex(w->prev, prev_hex);
	f[7] = prev_hex;
	n[7] = w->prev_ok ? SK_HASH_HEX_LEN : 0;
	sk_buf *sc = &rd->scratch;
	sk_buf_reset(sc);
	if (sk_buf_addc(sc, 0x00) != SK_OK || sk_audit_entry_bytes_n(w->seq, f, n, sc) != SK_OK)
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_AUDIT_ENTRY_TOO_LARGE,
		                   (long long)w->seq);
	w->off = 0;
	w->len = sc->len - 1;
	if (!clean)
		w->stored_ok = false;
	/* Hash here: readers run in parallel, the checker does not. */
	leaf_hash_prefixed(sc->data, sc->len, w->leaf);
	w->hashed = true;
	if (rd->tree)
		sk_merkle_acc_push(&rd->acc, w->leaf);
	b->n++;
	return SK_OK;
}

static sk_err read_chunk(struct reader *rd, int64_t c, sk_buf *err)
{
	struct pipe *p = rd->p;
	struct slot *sl = &p->slots[(size_t)c % p->nslots];
	pthread_mutex_lock(&p->mu);
	while (sl->full && !atomic_load(&p->stop))
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	if (atomic_load(&p->stop))
		return SK_OK;
	sl->b.n = 0;
	sl->b.has_root = false;
	sk_buf_reset(&sl->b.bytes);
	rd->cur = &sl->b;
	int64_t rows = (int64_t)chunk_rows;
	int64_t lo = c * rows, hi = lo + rows < p->last ? lo + rows : p->last;
	sk_val params[] = {SK_VINT(lo), SK_VINT(hi), SK_VINT(rows)};
	/* A whole chunk is a subtree of the tree unless a checkpoint lies inside
	 * (the checker then needs the tree at that size): build it here, where
	 * the work runs in parallel, rather than in the checker, which does not. */
	rd->tree = hi - lo == rows && !checkpoint_inside(p->g, (uint64_t)lo, (uint64_t)hi);
	sk_merkle_acc_init(&rd->acc);
	/* seq is the primary key, so (lo, hi] holds at most chunk_rows rows and
	 * needs no LIMIT (one instruction less per row); chunk 0 has no lower
	 * bound, so stray rows below 1 are seen, and keeps it. */
	sk_err e = sk_store_query(
	    rd->s,
	    c == 0 ? "SELECT seq, at, actor, address, action, object, before_json, after_json, "
	             "prev_hash, leaf_hash FROM audit_log WHERE seq <= ? ORDER BY seq LIMIT ?"
	           : "SELECT seq, at, actor, address, action, object, before_json, after_json, "
	             "prev_hash, leaf_hash FROM audit_log WHERE seq > ? AND seq <= ? "
	             "ORDER BY seq",
	    c == 0 ? params + 1 : params, 2, read_row, rd, err);
	if (e == SK_ERR_CORRUPT && atomic_load(&p->stop))
		return SK_OK;
	if (e)
		return e;
	if (rd->tree && sl->b.n == chunk_rows) {
		sk_merkle_acc_root(&rd->acc, sl->b.root);
		sl->b.has_root = true;
	}
	pthread_mutex_lock(&p->mu);
	sl->chunk = c;
	sl->full = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return SK_OK;
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	struct pipe *p = rd->p;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	for (int64_t c = (int64_t)rd->k; c < p->nchunks && !atomic_load(&p->stop);
	     c += (int64_t)p->nreaders) {
		sk_err e = read_chunk(rd, c, &err);
		if (e) {
			pthread_mutex_lock(&p->mu);
			if (!p->error) {
				p->error = e;
				(void)sk_buf_adds(&p->error_msg, err.data);
			}
			atomic_store(&p->stop, true);
			pthread_cond_broadcast(&p->cv);
			pthread_mutex_unlock(&p->mu);
			break;
		}
	}
	sk_buf_free(&err);
	return NULL;
}

/* The checker: takes chunks in order until the end, a failure or a read error. */
static void check_chunks(struct pipe *p, struct engine *g)
{
	for (int64_t c = 0; c < p->nchunks; c++) {
		struct slot *sl = &p->slots[(size_t)c % p->nslots];
		pthread_mutex_lock(&p->mu);
		while (!(sl->full && sl->chunk == c) && !atomic_load(&p->stop))
			pthread_cond_wait(&p->cv, &p->mu);
		bool have = sl->full && sl->chunk == c;
		pthread_mutex_unlock(&p->mu);
		if (!have)
			return;
		engine_block(g, &sl->b);
		pthread_mutex_lock(&p->mu);
		sl->full = false;
		if (g->failed)
			atomic_store(&p->stop, true);
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (g->failed)
			return;
	}
}

/*
 * A reading connection of verification's own. Rows up to the head's sequence
 * number, which the caller's snapshot fixed, were committed before that
 * snapshot and are not changed by appends, so every connection sees the same
 * ones. Each page is read once, in order: a page cache of 64 pages that stays
 * in the CPU's cache, filled by read(), costs measurably less CPU (0.83 s
 * against 0.94 s for a million entries, bench/run-audit.sh) than a memory map,
 * whose page faults cost more than the copies they save.
 */
static sk_store *open_reader(const char *url)
{
	sk_store *o = NULL;
	if (sk_store_open(url, 0, &o, NULL) != SK_OK)
		return NULL;
	if (strcmp(sk_store_backend(o), "sqlite") == 0) {
		(void)sk_store_exec(o, "PRAGMA mmap_size = 0", NULL, 0, NULL, NULL);
		(void)sk_store_exec(o, "PRAGMA cache_size = 64", NULL, 0, NULL, NULL);
	}
	return o;
}

/* How many readers: the CPUs there are, within reason. */
static size_t reader_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 2 ? 2 : n > 4 ? 4 : (size_t)n;
}

/* Reads and checks every entry up to the head's sequence number `last`. */
static sk_err check_entries(sk_store *s, int64_t last, bool own_ok, struct engine *g, sk_buf *err)
{
	struct pipe p = {0};
	struct reader rd[4] = {{0}};
	sk_err e = SK_OK;
	size_t want = reader_count();

	p.last = last > 0 ? last : 0;
	p.g = g;
	p.nchunks = p.last == 0 ? 1 : (p.last + (int64_t)chunk_rows - 1) / (int64_t)chunk_rows;
	sk_buf_init(&p.error_msg, SK_BUF_MSG_MAX);
	/* Extra connections only help with more than one chunk; a reader that
	 * cannot connect is simply not used. */
	p.nreaders = 0;
	for (size_t k = 0; own_ok && k < want && (int64_t)k < p.nchunks && s->url; k++) {
		sk_store *o = open_reader(s->url);
		if (!o)
			break;
		rd[k] = (struct reader){.p = &p, .s = o, .own = true, .k = k};
		sk_buf_init(&rd[k].scratch, SK_BUF_DEFAULT_MAX);
		p.nreaders++;
	}
	if (p.nreaders == 0) {
		/* No extra connection: read through the caller's. */
		rd[0] = (struct reader){.p = &p, .s = s};
		sk_buf_init(&rd[0].scratch, SK_BUF_DEFAULT_MAX);
		p.nreaders = 1;
	}
	p.nslots = 2 * p.nreaders;
	p.slots = calloc(p.nslots, sizeof(*p.slots));
	if (!p.slots) {
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < p.nslots; i++)
		sk_buf_init(&p.slots[i].b.bytes, SK_BUF_DEFAULT_MAX);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	for (size_t k = 0; k < p.nreaders; k++) {
		rd[k].started = pthread_create(&rd[k].th, NULL, reader_main, &rd[k]) == 0;
		if (!rd[k].started) {
			pthread_mutex_lock(&p.mu);
			if (!p.error) {
				p.error = SK_ERR_NOMEM;
				(void)sk_buf_adds(&p.error_msg, "cannot start a reader thread");
			}
			atomic_store(&p.stop, true);
			pthread_cond_broadcast(&p.cv);
			pthread_mutex_unlock(&p.mu);
			break;
		}
	}
	check_chunks(&p, g);
	pthread_mutex_lock(&p.mu);
	atomic_store(&p.stop, true);
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	for (size_t k = 0; k < p.nreaders; k++)
		if (rd[k].started)
			pthread_join(rd[k].th, NULL);
	/* A read error counts only if the checker did not reach a verdict first. */
	if (p.error && !g->failed)
		e = sk_fail(err, p.error, "%s", p.error_msg.data);
	for (size_t i = 0; i < p.nslots; i++)
		sk_buf_free(&p.slots[i].b.bytes);
	free(p.slots);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
out:
	for (size_t k = 0; k < p.nreaders; k++) {
		if (rd[k].own)
			sk_store_close(rd[k].s);
		sk_buf_free(&rd[k].scratch);
	}
	sk_buf_free(&p.error_msg);
	return e;
}

struct head_row {
	bool found, ok; /* ok: the hash is 32 bytes */
	int64_t seq;
	sk_hash hash;
	char hex[SK_HASH_HEX_LEN + 1]; /* "" when damaged */
};

static sk_err take_head_row(void *ctx, const sk_row *row, sk_buf *err)
{
	struct head_row *h = ctx;
	h->found = true;
	h->seq = sk_row_int(row, 0);
	h->ok = hash_field(&row->cols[1], h->hash);
	(void)sk_audit_hash_col(row, 1, h->hex);
	return SK_OK;
}

struct stored_cps {
	struct engine *g;
	const sk_audit_verifier *v;
	sk_err e;
};

static sk_err take_stored_cp(void *ctx, const sk_row *row, sk_buf *err)
{
	struct stored_cps *sc = ctx;
	char label[LABEL_MAX];
	int64_t size = sk_row_int(row, 0);
	snprintf(label, sizeof(label), "the stored checkpoint of size %" PRId64, size);
	size_t before = sc->g->ncps;
	const char *note = sk_row_text(row, 2);
	sk_err e = add_note(sc->g, sc->v, note, strlen(note), label, false, err);
	if (e)
		return e;
	if (sc->g->ncps > before) {
		/* The columns beside the note must say what the note says. */
		const struct cp *c = &sc->g->cps[sc->g->ncps - 1];
		sk_hash col;
		const char *hex = sk_row_text(row, 1);
		if (c->size != (uint64_t)size || !sk_audit_unhex(hex, strlen(hex), col) ||
		    memcmp(col, c->root, SK_HASH_LEN) != 0)
			fail(sc->g, 0, "%s: its size or root column differs from its signed note",
			     label);
	}
	return SK_OK;
}

/* Reads the verifier key the log names, unless the caller pinned one. */
static sk_err log_verifier(sk_store *s, const sk_audit_verify_opts *o, sk_audit_verifier *v,
                           bool *have, struct engine *g, sk_buf *err)
{
	sk_buf text = SK_BUF_INIT(4096), origin = SK_BUF_INIT(4096);
	sk_err e = sk_store_meta_get(s, "audit.origin", &origin, err);
	*have = false;
	if (e == SK_ERR_NOT_FOUND)
		e = SK_OK;
	if (e)
		goto out;
	snprintf(g->r->origin, sizeof(g->r->origin), "%s", origin.data);
	if (o->vkey) {
		*v = *o->vkey;
		*have = true;
		goto out;
	}
	e = sk_store_meta_get(s, "audit.vkey", &text, err);
	if (e == SK_ERR_NOT_FOUND) {
		e = SK_OK;
		goto out;
	}
	if (!e && sk_audit_vkey_parse(text.data, text.len, v, NULL) != SK_OK) {
		/* Damaged, not unreadable: a verdict about the log. */
		fail(g, 0, "the log's verifier key (meta audit.vkey) is damaged");
		goto out;
	}
	*have = !e;
out:
	sk_buf_free(&text);
	sk_buf_free(&origin);
	return e;
}

/*
 * Makes the transaction just begun read one snapshot throughout, while
 * appends go on: PostgreSQL's REPEATABLE READ (an SQLite read transaction is
 * one snapshot already). Inside the caller's transaction (outer) the
 * caller's snapshot is the one read.
 */
static sk_err one_snapshot(sk_store *s, bool outer, sk_buf *err)
{
	if (outer || strcmp(sk_store_backend(s), "postgresql") != 0)
		return SK_OK;
	return sk_store_exec(s, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", NULL, 0, NULL,
	                     err);
}

sk_err sk_audit_verify_store(sk_store *s, const sk_audit_verify_opts *o, sk_audit_verify_result *r,
                             sk_buf *err)
{
	struct engine g;
	sk_audit_verifier v;
	bool have_v = false;
	struct head_row head = {0};

	/* Inside the caller's transaction, uncommitted entries are visible only
	 * through the caller's connection: read through it alone. */
	bool outer = sk_store_in_txn(s);
	engine_init(&g, r, o->keep_leaves);
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	/* One snapshot for head, checkpoints and entries, while appends go on. */
	e = one_snapshot(s, outer, err);
	if (!e)
		e = log_verifier(s, o, &v, &have_v, &g, err);
	if (!e && !have_v && o->nnotes)
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_LOG_HAS_VERIFIER_KEY);
	if (!e && have_v && r->origin[0] && strcmp(r->origin, v.name) != 0)
		fail(&g, 0, "the log's origin '%s' is not the verifier key's name '%s'", r->origin,
		     v.name);
	if (!e && have_v) {
		struct stored_cps sc = {&g, &v, SK_OK};
		e = sk_store_query(s, "SELECT size, root, note FROM audit_checkpoint ORDER BY size",
		                   NULL, 0, take_stored_cp, &sc, err);
	} else if (!e) {
		int64_t n = 0;
		e = sk_store_query_int(s, "SELECT COUNT(*) FROM audit_checkpoint", NULL, 0, &n,
		                       err);
		if (!e && n > 0)
			fail(&g, 0,
			     "the log has %" PRId64 " stored checkpoints but no verifier key", n);
	}
	if (!e && have_v)
		e = add_outside_notes(&g, &v, o, err);
	if (!e)
		e = sk_store_query(s, "SELECT seq, leaf_hash FROM audit_head WHERE id = 1", NULL, 0,
		                   take_head_row, &head, err);
	if (!e && !head.found)
		fail(&g, 0, "the log head (audit_head) is missing");
	if (!e && !g.failed) {
		engine_checkpoints(&g);
		e = check_entries(s, head.seq, !outer, &g, err);
	}
	/* Rows past the head, in the same snapshot as the head. */
	if (!e && !g.failed) {
		int64_t beyond = 0;
		sk_val p[] = {SK_VINT(head.seq > 0 ? head.seq : 0)};
		e = sk_store_query_int(s, "SELECT COUNT(*) FROM audit_log WHERE seq > ?", p, 1,
		                       &beyond, err);
		if (!e && beyond > 0 && g.next - 1 == head.seq)
			fail(&g, head.seq + 1,
			     "entry %" PRId64
			     ": not recorded in the log head (which ends at %" PRId64 ")",
			     head.seq + 1, head.seq);
	}
	/* Read only: committing ends it without dooming a caller's transaction. */
	(void)sk_store_commit(s, NULL);
	if (!e && g.oom)
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory keeping leaf hashes");
	if (!e && !g.failed)
		engine_finish(&g, true, head.seq, head.ok ? head.hash : NULL);
	engine_free(&g);
	return e;
}

/* ---- the export ---- */

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

struct exporter {
	FILE *out;
	bool io_failed;
};

static sk_err put_line(struct exporter *x, json_t *j, sk_buf *err)
{
	if (!j)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	/* Compact, keys in insertion order: the canonical form the reader checks. */
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_ENTRY_CANNOT_EXPORTED_TEXT);
	if (fputs(text, x->out) == EOF || fputc('\n', x->out) == EOF)
		x->io_failed = true;
	free(text);
	return x->io_failed
	           ? sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_AUDIT_CANNOT_WRITE_EXPORT)
	           : SK_OK;
}

static sk_err export_cp(void *ctx, const sk_row *row, sk_buf *err)
{
	json_t *j = json_object();
	if (j)
		json_object_set_new(j, "checkpoint", json_string(sk_row_text(row, 0)));
	return put_line(ctx, j, err);
}

static sk_err export_entry(void *ctx, const sk_row *row, sk_buf *err)
{
	static const char *const keys[] = {"seq",    "at",     "actor", "address", "action",
	                                   "object", "before", "after", "prev",    "leaf"};
	json_t *j = json_object();
	if (!j)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	json_object_set_new(j, keys[0], json_integer(sk_row_int(row, 0)));
	for (size_t i = 1; i < 8; i++)
		json_object_set_new(j, keys[i],
		                    sk_row_is_null(row, i) ? json_null()
		                                           : json_string(sk_row_text(row, i)));
	/* The hashes as hex; a damaged one as "", which the reader refuses. */
	char hex[SK_HASH_HEX_LEN + 1];
	for (size_t i = 8; i < 10; i++)
		json_object_set_new(j, keys[i], json_string(sk_audit_hash_col(row, i, hex)));
	if (json_object_size(j) != 10) {
		json_decref(j);
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_ENTRY_NOT_EXPORTED,
		                   (long long)sk_row_int(row, 0));
	}
	return put_line(ctx, j, err);
}

sk_err sk_audit_export(sk_store *s, FILE *out, sk_buf *err)
{
	struct exporter x = {out, false};
	struct head_row head = {0};
	sk_buf origin = SK_BUF_INIT(4096), vkey = SK_BUF_INIT(4096);
	bool outer = sk_store_in_txn(s);
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	e = one_snapshot(s, outer, err);
	sk_err eo = e ? e : sk_store_meta_get(s, "audit.origin", &origin, err);
	sk_err ev = e ? e : sk_store_meta_get(s, "audit.vkey", &vkey, err);
	if (!e && eo && eo != SK_ERR_NOT_FOUND)
		e = eo;
	if (!e && ev && ev != SK_ERR_NOT_FOUND)
		e = ev;
	if (!e)
		e = sk_store_query(s, "SELECT seq, leaf_hash FROM audit_head WHERE id = 1", NULL, 0,
		                   take_head_row, &head, err);
	if (!e && !head.found)
		e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_AUDIT_LOG_HEAD_AUDIT_HEAD);
	if (!e) {
		json_t *h = json_object();
		if (h) {
			json_object_set_new(h, "export", json_string(SK_AUDIT_EXPORT_FORMAT));
			json_object_set_new(h, "origin", str_or_null(eo ? NULL : origin.data));
			json_object_set_new(h, "vkey", str_or_null(ev ? NULL : vkey.data));
			json_object_set_new(h, "size", json_integer(head.seq));
			json_object_set_new(h, "head", json_string(head.hex));
		}
		e = put_line(&x, h, err);
	}
	if (!e)
		e = sk_store_query(s, "SELECT note FROM audit_checkpoint ORDER BY size", NULL, 0,
		                   export_cp, &x, err);
	if (!e)
		e = sk_store_query(s,
		                   "SELECT seq, at, actor, address, action, object, before_json, "
		                   "after_json, prev_hash, leaf_hash FROM audit_log ORDER BY seq",
		                   NULL, 0, export_entry, &x, err);
	(void)sk_store_commit(s, NULL); /* read only, as above */
	if (!e && fflush(out) != 0)
		e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_AUDIT_CANNOT_WRITE_EXPORT);
	sk_buf_free(&origin);
	sk_buf_free(&vkey);
	return e;
}

/* ---- reading an export ---- */

static const char *const header_keys[] = {"export", "origin", "vkey", "size", "head", NULL};
static const char *const entry_keys[] = {"seq",    "at",    "actor", "address", "action", "object",
                                         "before", "after", "prev",  "leaf",    NULL};
static const char *const cp_keys[] = {"checkpoint", NULL};

/* The field as a string, or NULL for JSON null; *ok false for any other type or a missing key. */
static const char *field(const json_t *j, const char *key, bool nullable, bool *ok)
{
	const json_t *v = json_object_get(j, key);
	if (json_is_string(v))
		return json_string_value(v);
	if (!(nullable && json_is_null(v)))
		*ok = false;
	return NULL;
}

struct export_reader {
	struct engine *g;
	struct block *b;
	const sk_audit_verify_opts *o;
	sk_audit_verifier v;
	bool have_v;
	int state; /* 0: header next, 1: checkpoints or entries, 2: entries */
	int64_t head_seq;
	sk_hash head;
	bool head_ok;
	sk_buf canon;
};

static void flush_block(struct export_reader *x)
{
	engine_block(x->g, x->b);
	x->b->n = 0;
	sk_buf_reset(&x->b->bytes);
}

/* One line; a line that is not exactly as the exporter writes it fails the export. */
static sk_err export_line(struct export_reader *x, const char *line, size_t len, long lineno,
                          sk_buf *err)
{
	struct engine *g = x->g;
	json_t *j = NULL;
	sk_buf why = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = SK_OK;
	bool ok = true;

	if (sk_json_parse(line, len, LINE_MAX_, &j, &why) || !json_is_object(j)) {
		fail(g, 0, "export line %ld: not a JSON object: %s", lineno, why.data);
		goto out;
	}
	char *text = json_dumps(j, JSON_COMPACT);
	if (!text) {
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
		goto out;
	}
	ok = strlen(text) == len && memcmp(text, line, len) == 0;
	free(text);
	if (!ok) {
		fail(g, 0, "export line %ld: not in the canonical form the exporter writes",
		     lineno);
		goto out;
	}

	if (x->state == 0) {
		const char *fmt = field(j, "export", false, &ok);
		const char *origin = field(j, "origin", true, &ok);
		const char *vkey = field(j, "vkey", true, &ok);
		const char *head = field(j, "head", false, &ok);
		json_t *size = json_object_get(j, "size");
		if (sk_json_only_keys(j, header_keys, NULL) || !ok || !json_is_integer(size) ||
		    strcmp(fmt, SK_AUDIT_EXPORT_FORMAT) != 0) {
			fail(g, 0, "export line 1: not a %s header", SK_AUDIT_EXPORT_FORMAT);
			goto out;
		}
		x->head_seq = json_integer_value(size);
		x->head_ok = sk_audit_unhex(head, strlen(head), x->head);
		snprintf(g->r->origin, sizeof(g->r->origin), "%s", origin ? origin : "");
		sk_audit_verifier own;
		bool have_own =
		    vkey && sk_audit_vkey_parse(vkey, strlen(vkey), &own, NULL) == SK_OK;
		if (vkey && !have_own) {
			fail(g, 0, "export line 1: the verifier key is malformed");
			goto out;
		}
		if (have_own && (!origin || strcmp(origin, own.name) != 0)) {
			fail(g, 0, "export line 1: the origin is not the verifier key's name");
			goto out;
		}
		if (x->o->vkey && have_own &&
		    (strcmp(own.name, x->o->vkey->name) != 0 || own.hash != x->o->vkey->hash ||
		     memcmp(own.pk, x->o->vkey->pk, 32) != 0)) {
			fail(g, 0,
			     "export line 1: the export names another verifier key than the "
			     "one given with --key");
			goto out;
		}
		x->have_v = x->o->vkey || have_own;
		if (x->have_v)
			x->v = x->o->vkey ? *x->o->vkey : own;
		if (!x->have_v && x->o->nnotes)
			e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                SK_M_AUDIT_EXPORT_NAMES_VERIFIER_KEY);
		else if (x->have_v)
			e = add_outside_notes(g, &x->v, x->o, err);
		x->state = 1;
		goto out;
	}
	if (x->state == 1 && json_object_get(j, "checkpoint")) {
		const char *note = field(j, "checkpoint", false, &ok);
		if (sk_json_only_keys(j, cp_keys, NULL) || !ok) {
			fail(g, 0, "export line %ld: malformed checkpoint line", lineno);
			goto out;
		}
		if (!x->have_v) {
			fail(g, 0,
			     "export line %ld: a checkpoint, but the export has no verifier key",
			     lineno);
			goto out;
		}
		char label[LABEL_MAX];
		snprintf(label, sizeof(label), "the checkpoint on export line %ld", lineno);
		e = add_note(g, &x->v, note, strlen(note), label, false, err);
		goto out;
	}
	if (x->state == 1) {
		x->state = 2;
		engine_checkpoints(g);
	}
	json_t *seq = json_object_get(j, "seq");
	sk_audit_entry ent = {
	    .at = field(j, "at", false, &ok),
	    .actor = field(j, "actor", false, &ok),
	    .address = field(j, "address", false, &ok),
	    .action = field(j, "action", false, &ok),
	    .object = field(j, "object", false, &ok),
	    .before_json = field(j, "before", true, &ok),
	    .after_json = field(j, "after", true, &ok),
	    .prev_hash = field(j, "prev", false, &ok),
	};
	const char *leaf = field(j, "leaf", false, &ok);
	if (sk_json_only_keys(j, entry_keys, NULL) || !ok || !json_is_integer(seq)) {
		fail(g, 0, "export line %ld: not an audit entry", lineno);
		goto out;
	}
	ent.seq = json_integer_value(seq);
	struct block *b = x->b;
	struct row_in *w = &b->rows[b->n];
	w->seq = ent.seq;
	/* Only canonical lower-case hex reads as a hash. */
	w->prev_ok = sk_audit_unhex(ent.prev_hash, strlen(ent.prev_hash), w->prev);
	w->stored_ok = sk_audit_unhex(leaf, strlen(leaf), w->stored);
	w->hashed = false;
	w->off = b->bytes.len;
	if (sk_audit_entry_bytes(&ent, &b->bytes)) {
		fail(g, ent.seq, "entry %" PRId64 ": too large", ent.seq);
		goto out;
	}
	w->len = b->bytes.len - w->off;
	if (++b->n == BLOCK_ROWS)
		flush_block(x);
out:
	json_decref(j);
	sk_buf_free(&why);
	return e;
}

sk_err sk_audit_verify_export(FILE *f, const sk_audit_verify_opts *o, sk_audit_verify_result *r,
                              sk_buf *err)
{
	struct engine g;
	struct export_reader x = {.g = &g, .o = o};
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	sk_err e = SK_OK;

	engine_init(&g, r, o->keep_leaves);
	x.b = calloc(1, sizeof(*x.b));
	if (!x.b)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	sk_buf_init(&x.b->bytes, SK_BUF_DEFAULT_MAX);
	for (;;) {
		ssize_t n = getline(&line, &cap, f);
		if (n < 0)
			break;
		lineno++;
		if (n == 0 || line[n - 1] != '\n') {
			fail(&g, 0, "export line %ld: does not end with a newline", lineno);
			break;
		}
		if ((size_t)n > LINE_MAX_) {
			fail(&g, 0, "export line %ld: longer than %u bytes", lineno, LINE_MAX_);
			break;
		}
		e = export_line(&x, line, (size_t)n - 1, lineno, err);
		if (e || g.failed)
			break;
	}
	if (!e && ferror(f))
		e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_AUDIT_CANNOT_READ_EXPORT);
	if (!e && !g.failed && x.state == 0)
		fail(&g, 0, "the export is empty");
	if (!e && !g.failed) {
		if (x.state == 1)
			engine_checkpoints(&g);
		flush_block(&x);
	}
	if (!e && g.oom)
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory keeping leaf hashes");
	if (!e)
		engine_finish(&g, true, x.head_seq, x.head_ok ? x.head : NULL);
	free(line);
	sk_buf_free(&x.b->bytes);
	free(x.b);
	engine_free(&g);
	return e;
}

/* ---- making checkpoints ---- */

static sk_err take_note(void *ctx, const sk_row *row, sk_buf *err)
{
	if (sk_buf_adds(ctx, sk_row_text(row, 0)))
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL,
		                   SK_M_AUDIT_STORED_CHECKPOINT_TOO_LARGE);
	return SK_OK;
}

static json_t *b64(const unsigned char *h)
{
	char tmp[128];
	sodium_bin2base64(tmp, sizeof(tmp), h, SK_HASH_LEN, sodium_base64_VARIANT_ORIGINAL);
	return json_string(tmp);
}

json_t *sk_audit_inclusion_json(const sk_audit_verify_result *r, uint64_t index, uint64_t size)
{
	if (!r->leaves || index >= size || size > (uint64_t)r->size)
		return NULL;
	sk_hash proof[SK_MERKLE_MAX_PROOF], root;
	size_t n = 0;
	if (sk_merkle_inclusion_proof(r->leaves, size, index, proof, &n))
		return NULL;
	sk_merkle_root(r->leaves, size, root);
	json_t *p = json_array();
	for (size_t i = 0; p && i < n; i++)
		json_array_append_new(p, b64(proof[i]));
	return json_pack("{s:I, s:I, s:o, s:o, s:o*}", "leafIdx", (json_int_t)index, "treeSize",
	                 (json_int_t)size, "root", b64(root), "leafHash", b64(r->leaves[index]),
	                 "proof", p);
}

struct cover {
	int64_t seq, size;
	sk_buf *note;
};

static sk_err take_cover(void *ctx, const sk_row *row, sk_buf *err)
{
	struct cover *c = ctx;
	c->size = sk_row_int(row, 0);
	if (sk_buf_adds(c->note, sk_row_text(row, 1)))
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL,
		                   SK_M_AUDIT_CHECKPOINT_TOO_LARGE);
	return SK_OK;
}

sk_err sk_audit_prove_entry(sk_store *s, int64_t seq, json_t **out, sk_buf *err)
{
	*out = NULL;
	sk_audit_verify_opts o = {.keep_leaves = true};
	sk_audit_verify_result r;
	sk_audit_verify_result_init(&r);
	sk_buf note = SK_BUF_INIT(SK_NOTE_MAX), vkey = SK_BUF_INIT(SK_NOTE_MAX);
	struct cover cv = {seq, 0, &note};
	sk_err e = sk_audit_verify_store(s, &o, &r, err);
	if (!e && !r.intact)
		e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_CLI_AUDIT_LOG_INTACT,
		                r.why.data);
	if (!e && (seq < 1 || seq > r.size))
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_AUDIT_ENTRY,
		                (long long)seq);
	if (!e) {
		sk_val p[] = {SK_VINT(seq), SK_VINT(r.size)};
		e = sk_store_query(s,
		                   "SELECT size, note FROM audit_checkpoint WHERE size >= ?"
		                   " AND size <= ? ORDER BY size LIMIT 1",
		                   p, 2, take_cover, &cv, err);
	}
	if (!e && sk_store_meta_get(s, "audit.vkey", &vkey, NULL) != SK_OK)
		sk_buf_reset(&vkey);
	if (!e) {
		json_t *proof = sk_audit_inclusion_json(&r, (uint64_t)(seq - 1),
		                                        (uint64_t)(cv.size ? cv.size : r.size));
		*out = proof ? json_pack("{s:o, s:s?, s:s?}", "proof", proof, "checkpoint",
		                         cv.size ? note.data : NULL, "vkey",
		                         vkey.len ? vkey.data : NULL)
		             : NULL;
		if (!*out)
			e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	}
	sk_buf_free(&note);
	sk_buf_free(&vkey);
	sk_audit_verify_result_free(&r);
	return e;
}

sk_err sk_audit_checkpoint_create(sk_store *s, const sk_audit_signer *signer, sk_buf *note,
                                  uint64_t *size_out, sk_buf *err)
{
	if (!signer)
		return sk_fail(err, SK_ERR_INTERNAL, "no signing key");
	sk_audit_verify_opts o = {.vkey = &signer->v};
	sk_audit_verify_result r;
	sk_audit_verify_result_init(&r);
	sk_err e = sk_audit_verify_store(s, &o, &r, err);
	if (!e && !r.intact)
		e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_AUDIT_LOG_INTACT_SIGNING,
		                r.why.data);
	if (!e && r.origin[0] && strcmp(r.origin, signer->v.name) != 0)
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_KEY_ORIGIN_LOG,
		                signer->v.name, r.origin);
	if (e)
		goto out;
	sk_buf existing = SK_BUF_INIT(SK_NOTE_MAX), fresh = SK_BUF_INIT(SK_NOTE_MAX);
	char hex[SK_HASH_HEX_LEN + 1];
	sk_audit_hex(r.root, hex);
	sk_val sz[] = {SK_VINT(r.size)};
	if (!(e = sk_store_begin(s, err)))
		e = sk_store_query(s, "SELECT note FROM audit_checkpoint WHERE size = ?", sz, 1,
		                   take_note, &existing, err);
	if (!e && existing.len == 0) {
		e = sk_audit_checkpoint_sign(signer, (uint64_t)r.size, r.root, &fresh, err);
		sk_val p[] = {SK_VINT(r.size), sk_vtext(hex), sk_vtext(fresh.data),
		              SK_VINT(sk_clock_now())};
		if (!e)
			e = sk_store_exec(
			    s,
			    "INSERT INTO audit_checkpoint(size, root, note, created_at) "
			    "VALUES (?, ?, ?, ?)",
			    p, 4, NULL, err);
	}
	e = sk_store_end(s, e, err);
	if (!e && sk_buf_adds(note, existing.len ? existing.data : fresh.data))
		e = sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_AUDIT_CHECKPOINT_TOO_LARGE);
	if (!e && size_out)
		*size_out = (uint64_t)r.size;
	sk_buf_free(&existing);
	sk_buf_free(&fresh);
out:
	sk_audit_verify_result_free(&r);
	return e;
}
