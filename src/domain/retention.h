/*
 * retention: how long each record is kept (SPEC C7, C8; issue #13 part 3)
 * and the purge of records whose period has ended.
 *
 * Every request, approved or not, and every incident or 障害記録 is a
 * record. Which of the profile's `retention:` entries govern a record is one
 * table (retention.c, `rules`): by record type and kind, and for records
 * about an asset holding 特定個人情報 the 特定個人情報 entries as well
 * (八王子 7(6)ク, 7(9)ウ・エ, 15(2)シ: 7 years). The strictest governs: the
 * longest period, and an entry with `period: unspecified` (the seed asks for
 * the record and names no period) means kept for ever. A record that no
 * entry of the profile governs is kept for ever too: where the seed is
 * silent, nothing is deleted.
 *
 * A purge (the CLI operator's only: `sekisho record purge --before DATE`)
 * takes the requests and closed incidents whose final state (rejected,
 * withdrawn, completed, expired, or approved for a kind with nothing to
 * follow through) was reached before DATE. If any of them is still inside
 * its period, nothing is deleted: SK_ERR_CONFLICT naming the record kind,
 * the retention entry and its citation. Otherwise they are deleted, each
 * with its steps (an incident with its assets' links and attachments) and
 * the notifications about it, in one transaction with one audit entry
 * "record.purge" (object "records") listing the counts and id ranges. The
 * audit log itself is never purged: its chain stays verifiable.
 */
#ifndef SK_RETENTION_H
#define SK_RETENTION_H

#include <jansson.h>
#include <stdbool.h>

#include "../core/sk_buf.h"
#include "ctx.h"

/*
 * Purges as above (dry_run: only says what would be). *out (the caller's)
 * is {"before", "dry_run", "requests": {"count", "ids": [[first, last] …]},
 * "incidents": {…}, "open": the records before DATE not yet in a final
 * state, kept}. A DATE that is not a date is SK_ERR_INVALID naming
 * "before"; anyone but the operator SK_ERR_DENIED.
 */
sk_err sk_record_purge(sk_ctx *c, const char *before, bool dry_run, json_t **out, sk_buf *err);

/*
 * The retention rules as the profile applies them: [{"record", "kind",
 * "mynumber_asset", "retention", "what", "years", "days", "period",
 * "citations"}], a rule whose entry the profile lacks with "retention":
 * null and "period": "forever". *out is the caller's.
 */
sk_err sk_retention_rules(sk_ctx *c, json_t **out, sk_buf *err);

#endif
