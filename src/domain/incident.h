/*
 * incident: information security incidents and 障害記録 (SPEC C8).
 *
 * Anyone holding incident.report reports what happened; the report goes up
 * the profile's chain (sk_policy_incident_route: 職員 → 情報セキュリティ
 * 管理者 → … → CISO, with the CSIRT informed), each step to the holder of
 * the step's role at the reporter's unit or the nearest unit above, with
 * the deadline the profile maps from the seed's word for the severity.
 * Handlers (incident.handle in scope) escalate it and record the
 * investigation (原因, 被害・影響範囲), the response, the recovery and the
 * recurrence prevention, with evidence attached and kept with its SHA-256;
 * only the role the profile names closes it (and it needs incident.close).
 * A 障害記録 (kind "failure") is kept the same way.
 *
 * Visibility: the reporter sees their own reports, handlers those of the
 * units in their scope; to anyone else an incident does not exist
 * (SK_ERR_NOT_FOUND). Every change is one transaction with its audit entry
 * (incident.report, incident.escalate, incident.respond, incident.close,
 * incident.attach), object "incident:<id>".
 */
#ifndef SK_INCIDENT_H
#define SK_INCIDENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "ctx.h"

/* Field limits, in bytes (the field schema, schema.c, names them). */
#define SK_INCIDENT_TITLE_MAX      200
#define SK_INCIDENT_TEXT_MAX       8000
#define SK_INCIDENT_COMMENT_MAX    2000
#define SK_INCIDENT_NAME_MAX       255
#define SK_INCIDENT_MEDIA_TYPE_MAX 127
#define SK_INCIDENT_ASSETS_MAX     64
/*
 * The largest attachment, decoded. Its base64 (with the JSON around it) must
 * fit the API's one body limit (SK_HTTP_MAX_BODY, 1 MiB): 512 KiB is 683 KiB
 * of base64. A larger log is cut or compressed before it is attached.
 */
#define SK_INCIDENT_ATTACH_MAX     (512u * 1024u)
#define SK_INCIDENT_ATTACH_B64_MAX (((SK_INCIDENT_ATTACH_MAX + 2u) / 3u) * 4u)
/* The most incidents one listing answers, newest first. */
#define SK_INCIDENT_LIST_MAX 1000

/* A report; NULL members are absent. */
typedef struct sk_incident_report {
	const char *kind;        /* "incident" (default) or "failure" (障害記録) */
	const char *title;       /* required */
	const char *description; /* required: 事案の状況 */
	const char *found_at;    /* required: RFC 3339 with an offset, not in the future */
	const char *severity;    /* "high" (default), "medium", "low" */
	const char *unit;        /* id or code; default the reporter's own unit */
	const int64_t *asset_ids;
	size_t n_assets;
} sk_incident_report;

/*
 * Records a report and routes it to the first step of the chain that has a
 * holder in the reporter's line (a step without one is passed over, and the
 * report step says so; with none at all the report is refused, naming the
 * first role). *id_out receives the incident's id. SK_ERR_INVALID names the
 * field (title, description, found_at, severity, kind, unit, asset_ids; an
 * asset out of the reporter's scope is unknown to them).
 */
sk_err sk_incident_report_new(sk_ctx *c, const sk_incident_report *in, int64_t *id_out,
                              sk_buf *err);

/*
 * The incident as JSON: its fields, "routed_to" (the current step's role and
 * unit, then the informed roles' holders), "due" (by when the current holder
 * must pass it on, null where the seed sets no deadline), "report_due" and
 * "reported_late", the investigation, "asset_ids", "steps" and
 * "attachments" (name, media type, size, sha256). SK_ERR_NOT_FOUND when it
 * is not visible to c's actor.
 */
sk_err sk_incident_get(sk_ctx *c, int64_t id, json_t **out, sk_buf *err);

typedef struct sk_incident_filter {
	const char *status; /* reported, escalated, responding, closed; NULL: all */
	const char *kind;   /* incident, failure; NULL: both */
} sk_incident_filter;

/* The incidents visible to c's actor, newest first, at most SK_INCIDENT_LIST_MAX. */
sk_err sk_incident_list(sk_ctx *c, const sk_incident_filter *f, json_t **out, sk_buf *err);

/*
 * Passes the incident to the next step of the chain that has a holder
 * (incident.handle at its unit). SK_ERR_CONFLICT when it is closed or at
 * the top already.
 */
sk_err sk_incident_escalate(sk_ctx *c, int64_t id, const char *comment, sk_buf *err);

/* What a handler records; NULL members are left as they are. At least one is needed. */
typedef struct sk_incident_response {
	const char *cause;      /* 原因 */
	const char *impact;     /* 被害・影響範囲 */
	const char *response;   /* 対応 (拡大防止) */
	const char *recovery;   /* 復旧 */
	const char *prevention; /* 再発防止策 */
	const char *comment;
} sk_incident_response;

/* Records the investigation and response (incident.handle at its unit); status "responding". */
sk_err sk_incident_respond(sk_ctx *c, int64_t id, const sk_incident_response *in, sk_buf *err);

/*
 * Closes the incident: the actor must hold incident.close at its unit and
 * the role the profile names (closer) at its unit or above; SK_ERR_DENIED
 * naming the role otherwise (SK_ERR_NOT_FOUND if they cannot see it).
 */
sk_err sk_incident_close(sk_ctx *c, int64_t id, const char *comment, sk_buf *err);

/*
 * Keeps len bytes of evidence with the incident (the reporter or a handler;
 * not once closed). SK_ERR_TOO_BIG naming "content" over
 * SK_INCIDENT_ATTACH_MAX; nothing is written then. *att_id and sha256 (hex,
 * 65 bytes), when not NULL, receive the attachment's id and digest.
 */
sk_err sk_incident_attach(sk_ctx *c, int64_t id, const char *name, const char *media_type,
                          const void *data, size_t len, int64_t *att_id, char *sha256, sk_buf *err);

/*
 * Attachment att_id, of an incident visible to the caller (else
 * SK_ERR_NOT_FOUND), as {"id", "incident_id", "name", "media_type", "size",
 * "sha256", "actor", "at", "content"} with the bytes base64-encoded in content.
 */
sk_err sk_incident_attachment_get(sk_ctx *c, int64_t att_id, json_t **out, sk_buf *err);

#endif
