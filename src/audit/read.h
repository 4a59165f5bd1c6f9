/*
 * read: reading the audit log for people (GET /api/v1/audit, `sekisho audit
 * show|tail`, /metrics): a page of entries and the log's size. Verification
 * lives in verify.h; this module only shows what is stored and vouches for
 * nothing.
 */
#ifndef SK_AUDIT_READ_H
#define SK_AUDIT_READ_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../store/store.h"

/* The most entries one page holds. */
#define SK_AUDIT_PAGE_MAX 1000

/*
 * The entries with seq > after, oldest first, at most limit (1 ..
 * SK_AUDIT_PAGE_MAX), as a JSON array of {"seq", "at", "actor", "address",
 * "action", "object", "before", "after", "prev", "leaf"} with before/after
 * parsed back into JSON (or null) and the hashes in hex: the one shape of an
 * audit entry, for the API and the CLI (`audit show`, `audit tail`). SK_ERR_INVALID for a limit out
 * of range or a negative after. *out is the caller's.
 */
sk_err sk_audit_list(sk_store *s, int64_t after, int64_t limit, json_t **out, sk_buf *err);

/*
 * What a page of entries may be narrowed to; every member unset (0 or
 * NULL or "") is no restriction. action and actor match exactly, object
 * exactly or, ending in ':' ("asset:"), every object of that kind; from and
 * until are RFC 3339 UTC times as entries store them ("at" >= from and
 * < until); after and before bound the sequence numbers (seq > after,
 * seq < before).
 */
typedef struct sk_audit_filter {
	int64_t after, before;
	const char *action, *actor, *object;
	const char *from, *until;
} sk_audit_filter;

/*
 * As sk_audit_list, for the entries f admits: the oldest first, or with
 * newest the newest first (pages going back: before = the last seq shown).
 */
sk_err sk_audit_find(sk_store *s, const sk_audit_filter *f, bool newest, int64_t limit,
                     json_t **out, sk_buf *err);

/*
 * The stored checkpoints, smallest size first, as a JSON array of {"size",
 * "root" (hex, as stored), "created_at" (RFC 3339), "note" (the signed
 * note, as `sekisho audit checkpoint` writes it)}. *out is the caller's.
 */
sk_err sk_audit_checkpoints(sk_store *s, json_t **out, sk_buf *err);

/* The number of entries in the log (the head's sequence number). */
sk_err sk_audit_size(sk_store *s, int64_t *out, sk_buf *err);

#endif
