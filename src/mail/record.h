/*
 * record: the audit-log entry for one sanitized message (SPEC C14 with C9),
 * so that the LGWAN side can show which mail came in, from whom, and what
 * was taken out of it.
 */
#ifndef SK_MAIL_RECORD_H
#define SK_MAIL_RECORD_H

#include "../core/sk_buf.h"
#include "../store/store.h"
#include "sanitize.h"

/*
 * Appends one "mail.sanitize" entry for r in its own transaction (or the
 * caller's): object "mail:<Message-ID>" (or "mail:sha256:<hex>" without
 * one), after = {"message_id", "from", "sha256", "size", "removed": [...]}.
 * actor and address are borrowed; *seq_out, when not NULL, gets the entry's
 * sequence number.
 */
sk_err sk_mail_record(sk_store *st, const sk_mail_result *r, const char *actor, const char *address,
                      int64_t *seq_out, sk_buf *err) __attribute__((warn_unused_result));

#endif
