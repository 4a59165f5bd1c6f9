/*
 * read: reading the audit log for people (GET /api/v1/audit, `sekisho audit
 * show|tail`, /metrics): a page of entries and the log's size. Verification
 * lives in verify.h; this module only shows what is stored and vouches for
 * nothing.
 */
#ifndef SK_AUDIT_READ_H
#define SK_AUDIT_READ_H

#include <jansson.h>
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

/* The number of entries in the log (the head's sequence number). */
sk_err sk_audit_size(sk_store *s, int64_t *out, sk_buf *err);

#endif
