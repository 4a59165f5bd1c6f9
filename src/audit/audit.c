/* audit: appending entries and the entry encoding shared with verification. */
#include "audit.h"

#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/sk_clock.h"
#include "../core/sk_json.h"
#include "../core/sk_msg.h"

#define ENTRY_MAGIC "sekisho-audit/1"
/* The most one JSON image may take: larger objects do not belong in the log. */
#define IMAGE_MAX (1u << 20)
/* The most an entry's actor, address, action or object may take. */
#define FIELD_MAX 1024u

/* Writes the decimal digits of v ending at end; returns where they start. */
static char *digits(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* Appends "<len>:<bytes>," at p; the caller has made room. The length's
 * digits are written in place (no temporary and copy: this runs for every
 * field of every entry verified). */
static char *netstring(char *p, const char *s, size_t n)
{
	/* Most fields are shorter than 100 bytes: their one or two digits
	 * without a loop. */
	if (n < 10) {
		*p++ = (char)('0' + n);
	} else if (n < 100) {
		p[0] = (char)('0' + n / 10);
		p[1] = (char)('0' + n % 10);
		p += 2;
	} else {
		size_t k = 3;
		for (size_t v = n / 1000; v; v /= 10)
			k++;
		p = digits(n, p + k) + k;
	}
	*p++ = ':';
	memcpy(p, s, n);
	p += n;
	*p++ = ',';
	return p;
}

/* Verification encodes every stored entry again, so this measures first and
 * writes once: one growth check per entry, no printf. */
sk_err sk_audit_entry_bytes_n(int64_t seq, const char *const f[8], const size_t n[8], sk_buf *out)
{
	char num[24];
	char *sd = digits(seq < 0 ? 0 - (uint64_t)seq : (uint64_t)seq, num + sizeof(num));
	if (seq < 0)
		*--sd = '-';
	size_t nseq = (size_t)(num + sizeof(num) - sd);
	size_t total = sizeof(ENTRY_MAGIC) - 1 + nseq + 22;
	for (size_t i = 0; i < 8; i++)
		total += n[i] + 22; /* at most 20 digits, ':' and ',' */
	sk_err r = sk_buf_grow(out, total);
	if (r)
		return r;
	char *p = out->data + out->len;
	memcpy(p, ENTRY_MAGIC, sizeof(ENTRY_MAGIC) - 1);
	p += sizeof(ENTRY_MAGIC) - 1;
	p = netstring(p, sd, nseq);
	for (size_t i = 0; i < 8; i++)
		p = netstring(p, f[i], n[i]);
	*p = '\0';
	out->len = (size_t)(p - out->data);
	return SK_OK;
}

sk_err sk_audit_entry_bytes(const sk_audit_entry *e, sk_buf *out)
{
	const char *f[8] = {e->at,     e->actor,       e->address,    e->action,
	                    e->object, e->before_json, e->after_json, e->prev_hash};
	size_t n[8];
	for (size_t i = 0; i < 8; i++) {
		if (!f[i])
			f[i] = "-";
		n[i] = strlen(f[i]);
	}
	return sk_audit_entry_bytes_n(e->seq, f, n, out);
}

void sk_audit_leaf_hash(const void *bytes, size_t len, unsigned char out[SK_HASH_LEN])
{
	SHA256_CTX c;
	static const unsigned char zero = 0x00;
	/* The SHA256_* calls are deprecated in OpenSSL 3 but are its fastest path
	 * for many small inputs: no EVP method lookup per call. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	SHA256_Init(&c);
	SHA256_Update(&c, &zero, 1);
	SHA256_Update(&c, bytes, len);
	SHA256_Final(out, &c);
#pragma GCC diagnostic pop
}

/* Four bytes at a time: each byte's two nibbles are spread into two bytes of
 * a 64-bit word and all eight become ASCII digits together (verification
 * writes the previous-hash field of every entry it reads). */
void sk_audit_hex(const unsigned char h[SK_HASH_LEN], char out[SK_HASH_HEX_LEN + 1])
{
	const uint64_t low = 0x000f000f000f000fu, ones = 0x0101010101010101u;
	for (size_t i = 0; i < SK_HASH_LEN; i += 4) {
		uint64_t x = (uint64_t)h[i] | (uint64_t)h[i + 1] << 16 | (uint64_t)h[i + 2] << 32 |
		             (uint64_t)h[i + 3] << 48;
		uint64_t v = (x >> 4 & low) | (x & low) << 8; /* one nibble per byte, in order */
		/* '0' + nibble, and 'a' - '0' - 10 more where the nibble is above 9. */
		v += 0x30 * ones + ((v + 0x06 * ones) >> 4 & ones) * 0x27;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		memcpy(out + 2 * i, &v, 8);
#else
		for (size_t k = 0; k < 8; k++)
			out[2 * i + k] = (char)(v >> (8 * k));
#endif
	}
	out[SK_HASH_HEX_LEN] = '\0';
}

const char *sk_audit_hash_col(const sk_row *row, size_t i, char out[SK_HASH_HEX_LEN + 1])
{
	const sk_val *v = i < row->ncols ? &row->cols[i] : NULL;
	out[0] = '\0';
	if (v && v->type == SK_VAL_BLOB && v->n == SK_HASH_LEN)
		sk_audit_hex((const unsigned char *)v->p, out);
	return out;
}

/* Fields are single-line text: refuse control characters and invalid UTF-8. */
static sk_err check_field(const char *name, const char *v, sk_buf *err)
{
	if (!v || !*v)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_ENTRY_FIELD_EMPTY,
		                   name);
	size_t n = strlen(v);
	if (n > FIELD_MAX)
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_AUDIT_ENTRY_FIELD_LONGER,
		                   name, FIELD_MAX);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_AUDIT_ENTRY_FIELD_CONTAINS, name);
	if (!sk_json_utf8_valid(v, n))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_AUDIT_ENTRY_FIELD_VALID,
		                   name);
	return SK_OK;
}

struct head {
	bool seen;
	int64_t seq;
	unsigned char hash[SK_HASH_LEN];
	char hex[SK_HASH_HEX_LEN + 1];
};

static sk_err take_head(void *ctx, const sk_row *row, sk_buf *err)
{
	struct head *h = ctx;
	if (!*sk_audit_hash_col(row, 1, h->hex))
		return sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_AUDIT_LOG_HEAD_DAMAGED);
	h->seen = true;
	h->seq = sk_row_int(row, 0);
	memcpy(h->hash, row->cols[1].p, SK_HASH_LEN);
	return SK_OK;
}

/* The canonical text of an image given as a json_t (encoded into out) or as text. */
static sk_err image(const json_t *j, const char *given, sk_buf *out, const char **text, sk_buf *err)
{
	*text = NULL;
	if (given) {
		size_t n = strlen(given);
		if (j)
			return sk_fail(err, SK_ERR_INTERNAL,
			               "an audit image was given both as JSON and as text");
		if (n > IMAGE_MAX)
			return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL,
			                   SK_M_AUDIT_IMAGE_LARGER_BYTES, IMAGE_MAX);
		if (!sk_json_utf8_valid(given, n))
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_AUDIT_IMAGE_VALID_UTF);
		*text = given;
		return SK_OK;
	}
	if (!j)
		return SK_OK;
	sk_err e = sk_json_canonical(j, out);
	if (e == SK_ERR_TOO_BIG || (!e && out->len > IMAGE_MAX))
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_AUDIT_IMAGE_LARGER_BYTES,
		                   IMAGE_MAX);
	if (e)
		return sk_fail_msg(err, e, NULL, NULL, SK_M_AUDIT_CANNOT_ENCODE_AUDIT_IMAGE);
	*text = out->data;
	return SK_OK;
}

sk_err sk_audit_append(sk_store *s, const sk_audit_event *ev, int64_t *seq_out, sk_buf *err)
{
	return sk_audit_append_text(s, ev, NULL, NULL, seq_out, err);
}

json_t sk_audit_none = {.type = JSON_NULL, .refcount = (size_t)-1};

/* Releases an image given to sk_audit_change (NULL and SK_AUDIT_NONE hold nothing). */
static void image_release(json_t *j)
{
	if (j != SK_AUDIT_NONE)
		json_decref(j);
}

sk_err sk_audit_change(sk_store *s, const char *actor, const char *address, const char *action,
                       json_t *before, json_t *after, sk_buf *err, const char *object_fmt, ...)
{
	/* Room for the longest field check_field lets through, and one byte to see it exceeded. */
	char object[FIELD_MAX + 2];
	va_list ap;
	va_start(ap, object_fmt);
	int n = vsnprintf(object, sizeof(object), object_fmt, ap);
	va_end(ap);
	sk_err e;
	if (!before || !after)
		e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	else if (n < 0 || (size_t)n > FIELD_MAX)
		e = sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_AUDIT_ENTRY_FIELD_OBJECT,
		                FIELD_MAX);
	else {
		sk_audit_event ev = {.actor = actor,
		                     .address = address,
		                     .action = action,
		                     .object = object,
		                     .before = before == SK_AUDIT_NONE ? NULL : before,
		                     .after = after == SK_AUDIT_NONE ? NULL : after};
		e = sk_audit_append(s, &ev, NULL, err);
	}
	image_release(before);
	image_release(after);
	return e;
}

sk_err sk_audit_append_text(sk_store *s, const sk_audit_event *ev, const char *before_text,
                            const char *after_text, int64_t *seq_out, sk_buf *err)
{
	sk_err e;
	if ((e = check_field("actor", ev->actor, err)) ||
	    (e = check_field("address", ev->address, err)) ||
	    (e = check_field("action", ev->action, err)) ||
	    (e = check_field("object", ev->object, err)))
		return e;

	/* Images given as json_t are encoded into before and after. */
	sk_buf before = SK_BUF_INIT(IMAGE_MAX + 1), after = SK_BUF_INIT(IMAGE_MAX + 1);
	sk_buf bytes = SK_BUF_INIT(3 * IMAGE_MAX);
	sk_audit_entry ent = {0};
	char at[SK_TIME_STR_MAX];
	unsigned char leaf[SK_HASH_LEN];
	struct head head = {0};

	if ((e = image(ev->before, before_text, &before, &ent.before_json, err)) ||
	    (e = image(ev->after, after_text, &after, &ent.after_json, err)))
		goto out;
	if ((e = sk_store_begin(s, err)))
		goto out;
	/* The head this connection's last append wrote in this transaction (store.h: memo_*),
	 * trusted while nothing may have undone it. */
	bool from_memo = s->memo_epoch != 0 && s->memo_epoch == s->txn_epoch;
	bool sqlite = strcmp(sk_store_backend(s), "sqlite") == 0;
	s->memo_epoch = 0; /* until this append has written the head again */
	if (from_memo) {
		/* The transaction holds the head's lock since its first append. */
		head.seq = s->memo_seq + 1;
		memcpy(head.hash, s->memo_hash, SK_HASH_LEN);
		sk_audit_hex(head.hash, head.hex);
	} else if (sqlite) {
		/* The transaction holds the database's write lock since its BEGIN
		 * IMMEDIATE (store_sqlite.c): appends are serialized already, and a
		 * plain read spares the temporary table SQLite builds for every run
		 * of a RETURNING statement. The head is advanced below. */
		e = sk_store_query(s, "SELECT seq, leaf_hash FROM audit_head WHERE id = 1", NULL, 0,
		                   take_head, &head, err);
		head.seq++;
	} else {
		/* Advancing the head row first takes its row lock: appends are
		 * serialized before we read prev_hash. */
		e = sk_store_query(
		    s, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, leaf_hash",
		    NULL, 0, take_head, &head, err);
	}
	if (!e && !from_memo && (!head.seen || head.seq == 0))
		e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_AUDIT_LOG_HEAD_MISSING);
	if (!e) {
		sk_clock_format_us(sk_clock_now_us(), at);
		ent.seq = head.seq;
		ent.at = at;
		ent.actor = ev->actor;
		ent.address = ev->address;
		ent.action = ev->action;
		ent.object = ev->object;
		ent.prev_hash = head.hex;
		e = sk_audit_entry_bytes(&ent, &bytes);
		if (e)
			sk_fail_msg(err, e, NULL, NULL, SK_M_AUDIT_CANNOT_ENCODE_AUDIT_ENTRY);
	}
	if (!e) {
		sk_audit_leaf_hash(bytes.data, bytes.len, leaf);
		sk_val p[] = {SK_VINT(ent.seq),
		              sk_vtext(ent.at),
		              sk_vtext(ent.actor),
		              sk_vtext(ent.address),
		              sk_vtext(ent.action),
		              sk_vtext(ent.object),
		              sk_vtext(ent.before_json),
		              sk_vtext(ent.after_json),
		              SK_VBLOB(head.hash, SK_HASH_LEN),
		              SK_VBLOB(leaf, SK_HASH_LEN)};
		e = sk_store_exec(s,
		                  "INSERT INTO audit_log(seq, at, actor, address, action, object, "
		                  "before_json, after_json, prev_hash, leaf_hash) "
		                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		                  p, 10, NULL, err);
	}
	if (!e) {
		sk_val p[] = {SK_VINT(ent.seq), SK_VBLOB(leaf, SK_HASH_LEN)};
		e = from_memo || sqlite
		        ? sk_store_exec(s,
		                        "UPDATE audit_head SET seq = ?, leaf_hash = ? WHERE id = 1",
		                        p, 2, NULL, err)
		        : sk_store_exec(s, "UPDATE audit_head SET leaf_hash = ? WHERE id = 1",
		                        p + 1, 1, NULL, err);
	}
	if (!e) {
		/* Set before the commit: if that commit is the outermost, the epoch moves on. */
		s->memo_epoch = s->txn_epoch;
		s->memo_seq = ent.seq;
		memcpy(s->memo_hash, leaf, SK_HASH_LEN);
	}
	e = sk_store_end(s, e, err);
	if (!e && seq_out)
		*seq_out = ent.seq;
out:
	sk_buf_free(&before);
	sk_buf_free(&after);
	sk_buf_free(&bytes);
	return e;
}
