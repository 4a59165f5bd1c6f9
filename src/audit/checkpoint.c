/* checkpoint: Ed25519 key files, C2SP signed notes and checkpoints. */
#include "checkpoint.h"
#include "../core/sk_msg.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/sha.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ALG_ED25519    0x01
#define KEY_FILE_MAX   1024
#define PRIVATE_PREFIX "PRIVATE+KEY+"
#define SIG_PREFIX     "\xe2\x80\x94 " /* U+2014 EM DASH and a space */
#define MAX_SIGS       16

bool sk_audit_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > SK_NOTE_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '+')
			return false;
	return true;
}

static uint32_t key_hash(const char *name, const unsigned char pk[32])
{
	unsigned char d[SHA256_DIGEST_LENGTH];
	static const unsigned char sep[2] = {'\n', ALG_ED25519};
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	SHA256_CTX c;
	SHA256_Init(&c);
	SHA256_Update(&c, name, strlen(name));
	SHA256_Update(&c, sep, 2);
	SHA256_Update(&c, pk, 32);
	SHA256_Final(d, &c);
#pragma GCC diagnostic pop
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
}

static sk_err add_b64(sk_buf *out, const unsigned char *bin, size_t n)
{
	char tmp[256];
	if (sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) > sizeof(tmp))
		return SK_ERR_TOO_BIG;
	sodium_bin2base64(tmp, sizeof(tmp), bin, n, sodium_base64_VARIANT_ORIGINAL);
	return sk_buf_adds(out, tmp);
}

/* Decodes exactly want bytes of canonical padded base64 from s[0..n). */
static bool b64_exact(const char *s, size_t n, unsigned char *out, size_t want)
{
	size_t got = 0;
	const char *end = NULL;
	if (n != sodium_base64_ENCODED_LEN(want, sodium_base64_VARIANT_ORIGINAL) - 1)
		return false;
	if (sodium_base642bin(out, want, s, n, NULL, &got, &end, sodium_base64_VARIANT_ORIGINAL) !=
	        0 ||
	    got != want || end != s + n)
		return false;
	/* Refuse non-canonical encodings (stray low bits) so one value has one text. */
	char again[128];
	sodium_bin2base64(again, sizeof(again), out, want, sodium_base64_VARIANT_ORIGINAL);
	return memcmp(again, s, n) == 0;
}

sk_err sk_audit_vkey_format(const sk_audit_verifier *v, sk_buf *out)
{
	unsigned char k[33];
	k[0] = ALG_ED25519;
	memcpy(k + 1, v->pk, 32);
	sk_err e = sk_buf_addf(out, "%s+%08" PRIx32 "+", v->name, v->hash);
	return e ? e : add_b64(out, k, sizeof(k));
}

static sk_err write_new(const char *path, mode_t mode, const char *data, size_t n, sk_buf *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return sk_fail_msg(err, errno == EEXIST ? SK_ERR_EXISTS : SK_ERR_IO, NULL, NULL,
		                   SK_M_AUDIT_CANNOT_CREATE_KEY_FILE, path,
		                   errno == EEXIST ? "it exists already (refusing to overwrite it)"
		                                   : strerror(errno));
	/* The umask may have widened nothing but may have narrowed: set it exactly. */
	int bad = fchmod(fd, mode) != 0;
	const char *p = data;
	size_t left = n;
	while (!bad && left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			bad = 1;
			break;
		}
		p += w;
		left -= (size_t)w;
	}
	if (!bad && fsync(fd) != 0)
		bad = 1;
	int saved = errno;
	if (close(fd) != 0)
		bad = 1;
	if (bad) {
		unlink(path);
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_AUDIT_CANNOT_WRITE_KEY_FILE,
		                   path, strerror(saved ? saved : EIO));
	}
	return SK_OK;
}

sk_err sk_audit_key_create(const char *path, const char *name, sk_buf *vkey_out, sk_buf *err)
{
	if (!sk_audit_name_ok(name))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_LOG_ORIGIN_USABLE,
		                   name);
	sk_audit_signer s;
	sk_buf priv = SK_BUF_INIT(KEY_FILE_MAX), pub = SK_BUF_INIT(KEY_FILE_MAX);
	sk_buf pubpath = SK_BUF_INIT(4096);
	unsigned char seed[33];
	sk_err e;

	crypto_sign_keypair(s.v.pk, s.sk);
	snprintf(s.v.name, sizeof(s.v.name), "%s", name);
	s.v.hash = key_hash(name, s.v.pk);
	seed[0] = ALG_ED25519;
	crypto_sign_ed25519_sk_to_seed(seed + 1, s.sk);

	e = sk_buf_addf(&priv, PRIVATE_PREFIX "%s+%08" PRIx32 "+", name, s.v.hash);
	if (!e)
		e = add_b64(&priv, seed, sizeof(seed));
	if (!e)
		e = sk_buf_addc(&priv, '\n');
	if (!e)
		e = sk_audit_vkey_format(&s.v, &pub);
	if (!e)
		e = sk_buf_addc(&pub, '\n');
	if (!e)
		e = sk_buf_addf(&pubpath, "%s.pub", path);
	if (e) {
		e = sk_fail_msg(err, e, NULL, NULL, SK_M_AUDIT_CANNOT_ENCODE_AUDIT_KEY);
		goto out;
	}
	if ((e = write_new(path, 0600, priv.data, priv.len, err)))
		goto out;
	if ((e = write_new(pubpath.data, 0644, pub.data, pub.len, err))) {
		unlink(path);
		goto out;
	}
	if (vkey_out && (e = sk_buf_add(vkey_out, pub.data, pub.len - 1))) {
		unlink(path);
		unlink(pubpath.data);
		e = sk_fail_msg(err, e, NULL, NULL, SK_M_AUDIT_CANNOT_RETURN_VERIFIER_KEY);
	}
out:
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(priv.data, priv.len);
	sk_audit_signer_wipe(&s);
	sk_buf_free(&priv);
	sk_buf_free(&pub);
	sk_buf_free(&pubpath);
	return e;
}

void sk_audit_signer_wipe(sk_audit_signer *s) { sodium_memzero(s, sizeof(*s)); }

sk_err sk_audit_read_file(const char *path, size_t max, sk_buf *out, sk_buf *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_OPEN, path,
		                   strerror(errno));
	char tmp[4096];
	size_t n;
	sk_err e = SK_OK;
	while (!e && (n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		if (out->len + n > max || sk_buf_add(out, tmp, n))
			e = sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_AUDIT_LARGER_BYTES,
			                path, max);
	if (!e && ferror(f))
		e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_AUDIT_CANNOT_READ, path);
	fclose(f);
	return e;
}

/* Splits "<name>+<hash hex>+<b64>" (whitespace trimmed) and checks name and hash syntax. */
static sk_err split_key(const char *text, size_t len, const char *what, char *name, uint32_t *hash,
                        const char **b64, size_t *b64len, sk_buf *err)
{
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' ' || text[len - 1] == '\r'))
		len--;
	const char *end = text + len;
	const char *p1 = memchr(text, '+', len);
	const char *p2 = p1 ? memchr(p1 + 1, '+', (size_t)(end - p1 - 1)) : NULL;
	if (!p2 || memchr(text, '\0', len) || memchr(text, '\n', len))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_FORM_NAME_HASH_KEY,
		                   what);
	size_t nlen = (size_t)(p1 - text);
	if (nlen == 0 || nlen > SK_NOTE_NAME_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_HAS_UNUSABLE_NAME,
		                   what);
	memcpy(name, text, nlen);
	name[nlen] = '\0';
	if (!sk_audit_name_ok(name))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_HAS_UNUSABLE_NAME,
		                   what);
	if (p2 - p1 - 1 != 8)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_HAS_MALFORMED_KEY_HASH, what);
	uint32_t h = 0;
	for (const char *p = p1 + 1; p < p2; p++) {
		int d = (*p >= '0' && *p <= '9')   ? *p - '0'
		        : (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10
		                                   : -1;
		if (d < 0)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_AUDIT_HAS_MALFORMED_KEY_HASH, what);
		h = h << 4 | (uint32_t)d;
	}
	*hash = h;
	*b64 = p2 + 1;
	*b64len = (size_t)(end - p2 - 1);
	return SK_OK;
}

sk_err sk_audit_vkey_parse(const char *text, size_t len, sk_audit_verifier *out, sk_buf *err)
{
	const char *b64;
	size_t b64len;
	unsigned char k[33];
	while (len && (*text == ' ' || *text == '\n')) {
		text++;
		len--;
	}
	sk_err e =
	    split_key(text, len, "the verifier key", out->name, &out->hash, &b64, &b64len, err);
	if (e)
		return e;
	if (!b64_exact(b64, b64len, k, sizeof(k)) || k[0] != ALG_ED25519)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_VERIFIER_KEY_ED_KEY);
	memcpy(out->pk, k + 1, 32);
	if (key_hash(out->name, out->pk) != out->hash)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_VERIFIER_KEY_HASH_DOES);
	return SK_OK;
}

sk_err sk_audit_vkey_load(const char *path, sk_audit_verifier *out, sk_buf *err)
{
	sk_buf text = SK_BUF_INIT(KEY_FILE_MAX);
	sk_err e = sk_audit_read_file(path, KEY_FILE_MAX, &text, err);
	if (!e) {
		e = sk_audit_vkey_parse(text.data, text.len, out, err);
		if (e) {
			sk_buf msg = SK_BUF_INIT(SK_BUF_MSG_MAX);
			(void)sk_buf_adds(&msg, err ? err->data : "");
			sk_fail(err, e, "%s: %s", path, msg.data);
			sk_buf_free(&msg);
		}
	}
	sk_buf_free(&text);
	return e;
}

sk_err sk_audit_key_load(const char *path, sk_audit_signer *out, sk_buf *err)
{
	memset(out, 0, sizeof(*out));
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_AUDIT_CANNOT_OPEN_AUDIT_KEY,
		                   path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_KEY_FILE_REGULAR,
		                   path);
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077)) {
		close(fd);
		return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL,
		                   SK_M_AUDIT_WRONG_PERMISSIONS_AUDIT_KEY, path,
		                   (unsigned)(st.st_mode & 07777), (long)st.st_uid);
	}
	char text[KEY_FILE_MAX + 1];
	ssize_t n = read(fd, text, sizeof(text));
	close(fd);
	if (n < 0 || n > KEY_FILE_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_CANNOT_READ_AUDIT_KEY, path);
	sk_err e = SK_OK;
	size_t plen = strlen(PRIVATE_PREFIX);
	const char *b64 = NULL;
	size_t b64len = 0;
	unsigned char seed[33] = {0};
	if ((size_t)n <= plen || memcmp(text, PRIVATE_PREFIX, plen) != 0)
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_SIGNING_KEY_FILE, path);
	if (!e)
		e = split_key(text + plen, (size_t)n - plen, "the audit signing key", out->v.name,
		              &out->v.hash, &b64, &b64len, err);
	if (!e && (!b64_exact(b64, b64len, seed, sizeof(seed)) || seed[0] != ALG_ED25519))
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_DOES_HOLD_ED_KEY, path);
	if (!e) {
		crypto_sign_seed_keypair(out->v.pk, out->sk, seed + 1);
		if (key_hash(out->v.name, out->v.pk) != out->v.hash)
			e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                SK_M_AUDIT_KEY_HASH_DOES_MATCH, path);
	}
	sodium_memzero(text, sizeof(text));
	sodium_memzero(seed, sizeof(seed));
	if (e)
		sk_audit_signer_wipe(out);
	return e;
}

sk_err sk_audit_checkpoint_sign(const sk_audit_signer *s, uint64_t size,
                                const unsigned char root[SK_HASH_LEN], sk_buf *out, sk_buf *err)
{
	sk_buf body = SK_BUF_INIT(SK_NOTE_MAX);
	unsigned char sig[4 + crypto_sign_BYTES];
	sk_err e = sk_buf_addf(&body, "%s\n%" PRIu64 "\n", s->v.name, size);
	if (!e)
		e = add_b64(&body, root, SK_HASH_LEN);
	if (!e)
		e = sk_buf_addc(&body, '\n');
	if (!e) {
		sig[0] = (unsigned char)(s->v.hash >> 24);
		sig[1] = (unsigned char)(s->v.hash >> 16);
		sig[2] = (unsigned char)(s->v.hash >> 8);
		sig[3] = (unsigned char)s->v.hash;
		crypto_sign_detached(sig + 4, NULL, (const unsigned char *)body.data, body.len,
		                     s->sk);
		e = sk_buf_add(out, body.data, body.len);
	}
	if (!e)
		e = sk_buf_addf(out, "\n" SIG_PREFIX "%s ", s->v.name);
	if (!e)
		e = add_b64(out, sig, sizeof(sig));
	if (!e)
		e = sk_buf_addc(out, '\n');
	sk_buf_free(&body);
	return e ? sk_fail_msg(err, e, NULL, NULL, SK_M_AUDIT_CANNOT_FORMAT_CHECKPOINT) : SK_OK;
}

/* Parses a decimal without sign or leading zeros. */
static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
	if (n == 0 || n > 19 || (n > 1 && s[0] == '0'))
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

static sk_err parse_body(const char *body, size_t n, sk_audit_checkpoint *cp, sk_buf *err)
{
	const char *lines[3];
	size_t lens[3];
	const char *p = body, *end = body + n;
	for (int i = 0; i < 3; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_AUDIT_CHECKPOINT_HAS_FEWER_LINES);
		lines[i] = p;
		lens[i] = (size_t)(nl - p);
		p = nl + 1;
	}
	/* Any further lines are extension lines, which C2SP allows and we ignore. */
	if (lens[0] == 0 || lens[0] > SK_NOTE_NAME_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_CHECKPOINT_ORIGIN_EMPTY_TOO);
	memcpy(cp->origin, lines[0], lens[0]);
	cp->origin[lens[0]] = '\0';
	if (!sk_audit_name_ok(cp->origin))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_CHECKPOINT_ORIGIN_MALFORMED);
	if (!parse_u64(lines[1], lens[1], &cp->size) || cp->size > INT64_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_CHECKPOINT_SIZE_DECIMAL_NUMBER);
	if (!b64_exact(lines[2], lens[2], cp->root, SK_HASH_LEN))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_CHECKPOINT_ROOT_BASE_HASH);
	return SK_OK;
}

sk_err sk_audit_checkpoint_open(const char *note, size_t len, const sk_audit_verifier *v,
                                sk_audit_checkpoint *out, sk_buf *err)
{
	if (len > SK_NOTE_MAX)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_CHECKPOINT_LARGER_BYTES, SK_NOTE_MAX);
	if (memchr(note, '\0', len))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_CHECKPOINT_CONTAINS_NUL_BYTE);
	/* The text ends at the first blank line; signatures follow, one per line. */
	const char *sep = NULL;
	for (size_t i = 0; i + 1 < len; i++)
		if (note[i] == '\n' && note[i + 1] == '\n') {
			sep = note + i;
			break;
		}
	if (!sep || len == 0 || note[len - 1] != '\n')
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_SIGNED_NOTE_BLANK_LINE);
	size_t tlen = (size_t)(sep - note) + 1;
	sk_err e = parse_body(note, tlen, out, err);
	if (e)
		return e;

	bool signed_by_v = false;
	int nsigs = 0;
	const char *p = sep + 2, *end = note + len;
	size_t plen = strlen(SIG_PREFIX);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = (size_t)(nl - p);
		if (++nsigs > MAX_SIGS)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_AUDIT_NOTE_HAS_MORE_SIGNATURES, MAX_SIGS);
		const char *sp = l > plen ? memchr(p + plen, ' ', l - plen) : NULL;
		if (l <= plen || memcmp(p, SIG_PREFIX, plen) != 0 || !sp)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_AUDIT_MALFORMED_SIGNATURE_LINE_NOTE);
		size_t nlen = (size_t)(sp - p - (ptrdiff_t)plen);
		const char *b64 = sp + 1;
		size_t b64len = (size_t)(nl - b64);
		unsigned char raw[4 + crypto_sign_BYTES];
		size_t got = 0;
		/* Another signer's signature may be of any type and length: only its
		 * syntax as base64 is checked. */
		if (b64len == 0 || b64len > 1024 || memchr(b64, ' ', b64len))
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_AUDIT_MALFORMED_SIGNATURE_NOTE);
		if (nlen == strlen(v->name) && memcmp(p + plen, v->name, nlen) == 0 &&
		    b64_exact(b64, b64len, raw, sizeof(raw))) {
			uint32_t h = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 |
			             (uint32_t)raw[2] << 8 | raw[3];
			if (h == v->hash &&
			    crypto_sign_verify_detached(raw + 4, (const unsigned char *)note, tlen,
			                                v->pk) == 0)
				signed_by_v = true;
		}
		(void)got;
		p = nl + 1;
	}
	if (nsigs == 0)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_AUDIT_NOTE_CARRIES_SIGNATURE);
	if (!signed_by_v)
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
		                   SK_M_AUDIT_CHECKPOINT_NOT_SIGNED, v->name, (unsigned)v->hash);
	if (strcmp(out->origin, v->name) != 0)
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL,
		                   SK_M_AUDIT_CHECKPOINT_ORIGIN_LOG, out->origin, v->name);
	return SK_OK;
}

sk_err sk_audit_default_key_path(const char *db_url, sk_buf *out, sk_buf *err)
{
	return sk_store_file_beside(db_url, ".audit-key", "SEKISHO_AUDIT_KEY",
	                            SK_M_AUDIT_KEY_NO_PLACE, out, err);
}

sk_err sk_audit_setup(sk_store *s, const char *key_path, const char *origin, sk_buf *err)
{
	sk_buf vkey = SK_BUF_INIT(KEY_FILE_MAX);
	sk_err e = sk_audit_key_create(key_path, origin, &vkey, err);
	if (e)
		goto out;
	e = sk_store_begin(s, err);
	if (!e) {
		if (!(e = sk_store_meta_set(s, "audit.origin", origin, err)))
			e = sk_store_meta_set(s, "audit.vkey", vkey.data, err);
		e = sk_store_end(s, e, err);
	}
	if (e)
		sk_audit_key_remove(key_path);
out:
	sk_buf_free(&vkey);
	return e;
}

void sk_audit_key_remove(const char *key_path)
{
	sk_buf pubpath = SK_BUF_INIT(4096);
	unlink(key_path);
	if (!sk_buf_addf(&pubpath, "%s.pub", key_path))
		unlink(pubpath.data);
	sk_buf_free(&pubpath);
}
