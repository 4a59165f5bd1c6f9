/* record: one audit entry per sanitized message. */
#include "record.h"

#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../core/sk_utf8.h"

/* Cuts s to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t max) { return sk_utf8_cut(s, strlen(s), max); }

sk_err sk_mail_record(sk_store *st, const sk_mail_result *r, const char *actor, const char *address,
                      int64_t *seq_out, sk_buf *err)
{
	json_t *headers = json_object_get(r->json, "headers");
	const char *id = json_string_value(json_object_get(headers, "message-id"));
	const char *from = json_string_value(json_object_get(headers, "from"));
	char object[320];
	if (id && *id)
		snprintf(object, sizeof(object), "mail:%.*s", (int)utf8_cut(id, 256), id);
	else
		snprintf(object, sizeof(object), "mail:sha256:%s", r->sha256);
	json_t *after = json_pack("{s:s?,s:s?,s:s,s:I,s:O}", "message_id", id, "from", from,
	                          "sha256", r->sha256, "size", (json_int_t)r->size, "removed",
	                          json_object_get(r->json, "removed"));
	if (!after)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory recording the message");
	sk_audit_event ev = {.actor = actor,
	                     .address = address,
	                     .action = "mail.sanitize",
	                     .object = object,
	                     .before = NULL,
	                     .after = after};
	sk_err e = sk_store_begin(st, err);
	if (!e) {
		e = sk_audit_append(st, &ev, seq_out, err);
		e = sk_store_end(st, e, err);
	}
	json_decref(after);
	return e;
}
