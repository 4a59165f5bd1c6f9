/*
 * mail_bench: the sanitizer's speed against GMime's own bare parse of the
 * same messages in the same process (SPEC §4: at least 50% of it).
 *
 * Every message is read into memory first (not timed). "gmime" parses each
 * from a memory stream with GMime's parser and walks its parts, touching
 * each part's content type, as the least any GMime program does; "sekisho"
 * runs sk_mail_sanitize on it, building the sanitized message (as the
 * --filter path does; the JSON without the body, as the audit record needs).
 * "sha_floor" is the SHA-256 work alone that any sanitizer reporting both
 * hashes must do, through libcrypto one stream at a time; "sha_pair" the same
 * bytes through src/mail/sha256.c, the original paired with the parts as the
 * sanitizer does. Each mode runs ROUNDS times alternately; the best round
 * (in CPU time) counts.
 * Usage: mail_bench DIR [ROUNDS]
 */
#include <dirent.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "mail/sanitize.h"
#include "mail/sha256.h"

typedef struct msg {
	char *data;
	size_t len;
} msg;

static double now(void)
{
	struct timespec ts;
	/* CPU time: the machine is shared, and wall time would count others' work. */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t load(const char *dir, msg **out, size_t *bytes)
{
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		exit(2);
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			char **bigger = realloc(names, cap * sizeof(*names));
			if (!bigger)
				exit(70);
			names = bigger;
		}
		if (!(names[n++] = strdup(de->d_name)))
			exit(70);
	}
	closedir(d);
	if (n == 0) {
		fprintf(stderr, "mail_bench: no messages in %s\n", dir);
		exit(2);
	}
	qsort(names, n, sizeof(*names), by_name);
	*out = calloc(n, sizeof(msg));
	if (!*out)
		exit(70);
	*bytes = 0;
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "rb");
		if (!f) {
			perror(path);
			exit(2);
		}
		fseek(f, 0, SEEK_END);
		long sz = ftell(f);
		fseek(f, 0, SEEK_SET);
		(*out)[i].data = malloc((size_t)sz + 1);
		(*out)[i].len = fread((*out)[i].data, 1, (size_t)sz, f);
		fclose(f);
		*bytes += (*out)[i].len;
		free(names[i]);
	}
	free(names);
	return n;
}

static volatile size_t sink;
/* Decoded bytes of the non-text parts, counted by an untimed pass of gmime_hash_one. */
static size_t part_bytes;
static int counting;

/*
 * Parses m with GMime and calls visit on every part, multiparts included,
 * walking the tree iteratively in document order.
 */
static void gmime_walk(const msg *m, void (*visit)(GMimeObject *o, void *ctx), void *ctx)
{
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(m->data, m->len);
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	GMimeMessage *gm = g_mime_parser_construct_message(p, NULL);
	if (gm) {
		GMimeObject *stack[256];
		size_t n = 0;
		GMimeObject *root = g_mime_message_get_mime_part(gm);
		if (root)
			stack[n++] = root;
		while (n > 0) {
			GMimeObject *o = stack[--n];
			visit(o, ctx);
			if (GMIME_IS_MULTIPART(o)) {
				int c = g_mime_multipart_get_count(GMIME_MULTIPART(o));
				for (int i = c - 1; i >= 0 && n < 256; i--)
					stack[n++] =
					    g_mime_multipart_get_part(GMIME_MULTIPART(o), i);
			}
		}
		g_object_unref(gm);
	}
	g_object_unref(p);
	g_object_unref(st);
}

/* GMime alone: parse, walk, read each part's content type. */
static void read_type(GMimeObject *o, void *ctx)
{
	(void)ctx;
	sink += strlen(g_mime_content_type_get_media_type(g_mime_object_get_content_type(o)));
}

static void gmime_one(const msg *m) { gmime_walk(m, read_type, NULL); }

struct hash_bufs {
	EVP_MD_CTX *md;
	char *in, *out;
};

/*
 * The floor for any sanitizer that lists removed parts with their SHA-256:
 * GMime's parse, then every leaf part that is not text decoded with GMime's
 * own decoder and hashed.
 */
static void hash_leaf(GMimeObject *o, void *ctx)
{
	struct hash_bufs *b = ctx;
	if (GMIME_IS_MULTIPART(o))
		return;
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	GMimeDataWrapper *dw = GMIME_IS_PART(o) ? g_mime_part_get_content(GMIME_PART(o)) : NULL;
	if (!dw || g_mime_content_type_is_type(ct, "text", "*"))
		return;
	GMimeStream *src = g_mime_data_wrapper_get_stream(dw);
	GMimeEncoding enc;
	g_mime_encoding_init_decode(&enc, g_mime_data_wrapper_get_encoding(dw));
	g_mime_stream_reset(src);
	EVP_DigestInit_ex(b->md, EVP_sha256(), NULL);
	ssize_t r;
	while ((r = g_mime_stream_read(src, b->in, 65536)) > 0) {
		size_t k = g_mime_encoding_step(&enc, b->in, (size_t)r, b->out);
		part_bytes += counting ? k : 0;
		EVP_DigestUpdate(b->md, b->out, k);
	}
	size_t k = g_mime_encoding_flush(&enc, b->in, 0, b->out);
	part_bytes += counting ? k : 0;
	EVP_DigestUpdate(b->md, b->out, k);
	unsigned char h[32];
	unsigned hl;
	EVP_DigestFinal_ex(b->md, h, &hl);
	sink += h[0];
}

static void gmime_hash_one(const msg *m, EVP_MD_CTX *md, char *in, char *out)
{
	struct hash_bufs b = {md, in, out};
	gmime_walk(m, hash_leaf, &b);
}

/*
 * Not a loop over GMime: the SHA-256 work any sanitizer that reports both
 * hashes must do, whatever its parser. Every whole message (the
 * X-Sekisho-Sanitized hash), then as many bytes as the non-text parts decode
 * to (SHA-256 costs the same for any bytes, so a fixed buffer stands in).
 */
static void sha_floor(const msg *msgs, size_t n, EVP_MD_CTX *md, const char *buf)
{
	unsigned char h[32];
	unsigned hl;
	for (size_t i = 0; i < n; i++) {
		EVP_DigestInit_ex(md, EVP_sha256(), NULL);
		EVP_DigestUpdate(md, msgs[i].data, msgs[i].len);
		EVP_DigestFinal_ex(md, h, &hl);
		sink += h[0];
	}
	for (size_t left = part_bytes; left > 0;) {
		size_t k = left < 65536 ? left : 65536;
		EVP_DigestInit_ex(md, EVP_sha256(), NULL);
		EVP_DigestUpdate(md, buf, k);
		EVP_DigestFinal_ex(md, h, &hl);
		sink += h[0];
		left -= k;
	}
}

/* sha_floor's bytes as the sanitizer hashes them: each message paired with its parts' share. */
static void sha_pair(const msg *msgs, size_t n, EVP_MD_CTX *md, const char *buf)
{
	unsigned char h[32];
	size_t share = part_bytes / n, extra = part_bytes % n;
	for (size_t i = 0; i < n; i++) {
		sk_mail_sha256 a, b;
		sk_mail_sha256_init(&a, md);
		size_t done = 0, parts = share + (i < extra ? 1 : 0);
		for (size_t left = parts; left > 0;) {
			size_t k = left < 65536 ? left : 65536;
			size_t m = msgs[i].len - done < k ? msgs[i].len - done : k;
			sk_mail_sha256_init(&b, md);
			sk_mail_sha256_update2(&b, buf, k, &a, msgs[i].data + done, m);
			sk_mail_sha256_final(&b, h);
			sink += h[0];
			done += m;
			left -= k;
		}
		sk_mail_sha256_update(&a, msgs[i].data + done, msgs[i].len - done);
		sk_mail_sha256_final(&a, h);
		sink += h[0];
	}
}

static void sekisho_one(sk_mail_sanitizer *s, const msg *m)
{
	sk_mail_input in = {.data = m->data, .len = m->len};
	sk_mail_result r;
	if (sk_mail_sanitize(s, &in, &r, NULL) != SK_OK) {
		fprintf(stderr, "mail_bench: a message failed to sanitize\n");
		exit(1);
	}
	sink += r.message.len + r.nremoved;
	sk_mail_result_free(&r);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mail_bench DIR [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
	if (rounds < 1)
		rounds = 1;
	msg *msgs;
	size_t bytes;
	size_t n = load(argv[1], &msgs, &bytes);
	/* MAIL_BENCH_NO_RENDER=1 leaves out building the message, to see what it costs. */
	sk_mail_options o = {.render = getenv("MAIL_BENCH_NO_RENDER") == NULL};
	sk_mail_limits_default(&o.limits);
	sk_mail_sanitizer *s;
	if (sk_mail_sanitizer_new(&o, &s, NULL) != SK_OK) {
		for (size_t i = 0; i < n; i++)
			free(msgs[i].data);
		free(msgs);
		return 1;
	}
	double best_g = 1e9, best_s = 1e9, best_h = 1e9, best_f = 1e9, best_p = 1e9;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char *inbuf = malloc(65536), *outbuf = malloc(65536 * 2);
	if (!md || !inbuf || !outbuf) {
		fprintf(stderr, "mail_bench: out of memory\n");
		exit(70);
	}
	/* MAIL_BENCH_ONLY_SEKISHO=1 runs only the sanitize loop, for profiling it alone. */
	if (getenv("MAIL_BENCH_ONLY_SEKISHO")) {
		for (int r = 0; r < rounds; r++)
			for (size_t i = 0; i < n; i++)
				sekisho_one(s, &msgs[i]);
		rounds = 0;
	} else {
		counting = 1;
		for (size_t i = 0; i < n; i++)
			gmime_hash_one(&msgs[i], md, inbuf, outbuf);
		counting = 0;
		memset(outbuf, 'x', 65536);
	}
	for (int r = 0; r < rounds; r++) {
		double t0 = now();
		for (size_t i = 0; i < n; i++)
			gmime_one(&msgs[i]);
		double t1 = now();
		for (size_t i = 0; i < n; i++)
			sekisho_one(s, &msgs[i]);
		double t2 = now();
		for (size_t i = 0; i < n; i++)
			gmime_hash_one(&msgs[i], md, inbuf, outbuf);
		double t3 = now();
		sha_floor(msgs, n, md, outbuf);
		double t4 = now();
		sha_pair(msgs, n, md, outbuf);
		double t5 = now();
		if (t5 - t4 < best_p)
			best_p = t5 - t4;
		if (t4 - t3 < best_f)
			best_f = t4 - t3;
		if (t1 - t0 < best_g)
			best_g = t1 - t0;
		if (t2 - t1 < best_s)
			best_s = t2 - t1;
		if (t3 - t2 < best_h)
			best_h = t3 - t2;
	}
	EVP_MD_CTX_free(md);
	free(inbuf);
	free(outbuf);
	double mb = (double)bytes / 1e6;
	printf("messages=%zu bytes=%zu rounds=%d\n", n, bytes, rounds);
	printf("gmime_parse   %.3f s  %.0f msg/s  %.1f MB/s\n", best_g, (double)n / best_g,
	       mb / best_g);
	printf("gmime_hash    %.3f s  %.0f msg/s  %.1f MB/s\n", best_h, (double)n / best_h,
	       mb / best_h);
	printf("sha_floor     %.3f s  %.0f msg/s  %.1f MB/s  part_bytes=%zu\n", best_f,
	       (double)n / best_f, mb / best_f, part_bytes);
	printf("sha_pair      %.3f s  %.0f msg/s  %.1f MB/s\n", best_p, (double)n / best_p,
	       mb / best_p);
	printf("sekisho       %.3f s  %.0f msg/s  %.1f MB/s\n", best_s, (double)n / best_s,
	       mb / best_s);
	printf("ratio         %.0f%%\n", 100.0 * best_g / best_s);
	sk_mail_sanitizer_free(s);
	for (size_t i = 0; i < n; i++)
		free(msgs[i].data);
	free(msgs);
	return 0;
}
