/*
 * audit_view: the audit log as a person may read it (GET /api/v1/audit):
 * scoped to the units where the reader holds audit.read, and with the
 * 機密性3 details of asset images withheld, since a page of the log
 * records no read (sk_asset_history does; SPEC C9 アクセス記録).
 */
#ifndef SK_AUDIT_VIEW_H
#define SK_AUDIT_VIEW_H

#include <jansson.h>
#include <stdint.h>

#include "../audit/read.h"
#include "../core/sk_buf.h"
#include "ctx.h"

/*
 * The entries with seq > after, oldest first, at most limit (as
 * sk_audit_list), that c's actor may read: every entry with audit.read at
 * the root (the CISO, the auditor); otherwise the entries about an asset,
 * an account or a unit in its audit.read scope (entries about nothing of a
 * unit, such as checkpoints and imports, stay the root's). Asset images
 * of 機密性3 carry null details and "details_withheld": true. *out is the
 * caller's.
 */
sk_err sk_audit_view_list(sk_ctx *c, int64_t after, int64_t limit, json_t **out, sk_buf *err);

/*
 * As sk_audit_view_list for the entries f admits (read.h), the oldest
 * first or with newest the newest first: the auditor's entry browser
 * (/audit) and one entry (/audit/{seq}: after = seq - 1, before = seq + 1).
 */
sk_err sk_audit_view_find(sk_ctx *c, const sk_audit_filter *f, bool newest, int64_t limit,
                          json_t **out, sk_buf *err);

#endif
