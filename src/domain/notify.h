/*
 * notify: notifications (issue #13 part 5): in-app, a list per person with
 * read and unread, and by mail through a queue kept in the database that a
 * sender drains over SMTP, retrying what failed. The queue is the
 * notifications themselves: a row holds the address captured when it was
 * written and its mail's state (attempts, next attempt, the sender's claim),
 * never the mail's text, which the sender makes when it sends.
 *
 * A notification is a kind and a reference ("request" 123), nothing else:
 * its title and its mail are made from the message catalog out of the kind,
 * the reference number ("R-000123") and a link under the configured base
 * URL. No caller can put free text in one, so a mail never carries a
 * 機密性2 or 3 field value.
 *
 * The mail is sent by src/mail/mailer.h, framed by src/mail/smtp.h.
 *
 * sk_notify_add runs inside the caller's transaction (the change that
 * causes a notification and the notification commit together, or neither),
 * often the request writer's: it is one insert, nothing formatted, no other
 * read than the account's (docs/performance.md).
 */
#ifndef SK_NOTIFY_H
#define SK_NOTIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sk_buf.h"
#include "../store/store.h"
#include "ctx.h"
#include "orgview.h"

/* The longest mail address accepted (RFC 5321's path limit). */
#define SK_NOTIFY_ADDR_MAX 254

/*
 * Whether addr is a plain addr-spec we are willing to put in a header and an
 * SMTP envelope: local@domain, printable ASCII without spaces, quotes, angle
 * brackets, parentheses, commas, semicolons or backslashes, at most
 * SK_NOTIFY_ADDR_MAX bytes, the domain made of dot-separated labels of
 * letters, digits and '-'. SK_ERR_INVALID naming field otherwise.
 */
sk_err sk_notify_addr_check(const char *addr, const char *field, sk_buf *err);

/* What happened. Stored by name; values may be renumbered, names never change. */
typedef enum sk_notify_kind {
	SK_NOTIFY_REQUEST_TO_DECIDE, /* "request_to_decide": a request awaits the user's decision */
	SK_NOTIFY_REQUEST_DECIDED,   /* "request_decided": the user's own request was decided */
	SK_NOTIFY_REQUEST_OVERDUE,   /* "request_overdue": a request is past its deadline */
	SK_NOTIFY_INCIDENT_ESCALATED, /* "incident_escalated": an incident was routed to the user */
	SK_NOTIFY_ACCOUNT_LOCKED,     /* "account_locked": an account was locked (ref "user") */
	SK_NOTIFY_INCIDENT_CLOSED,    /* "incident_closed": the user's own report was closed */
	SK_NOTIFY_TEST,               /* "test": `sekisho notify test`, checking mail settings */
	SK_NOTIFY__COUNT
} sk_notify_kind;

/* The kind's stored name ("request_to_decide"); NULL for a value out of range. */
const char *sk_notify_kind_name(sk_notify_kind k);

/*
 * The reference types, each with its number's prefix: "request" (R-000123),
 * "incident" (I-000045), "user" (U-000012, an account: account_locked and
 * test notifications).
 */

/*
 * Adds a notification of kind about (ref_type, ref_id) for the account
 * user_id, and, when the account is active and has a usable mail address,
 * its mail, due at once, to that address as it is now. Inside the caller's transaction when there
 * is one (its own otherwise). No capability check: the caller decides who is told (the approver of
 * a request, the requester, the next role of an incident's chain) as part of its own checked
 * action; the notification is not audited apart from that action. SK_ERR_INVALID for an unknown
 * kind or ref_type or ref_id <= 0; SK_ERR_NOT_FOUND for an unknown account. *id_out, when not NULL,
 * receives the notification's id.
 */
sk_err sk_notify_add(sk_ctx *c, int64_t user_id, sk_notify_kind kind, const char *ref_type,
                     int64_t ref_id, int64_t *id_out, sk_buf *err);

/*
 * The actor's own notifications, newest first, at most limit (1..500) of
 * them, only the unread when unread_only: {"unread": N (all unread, whatever
 * the filter and limit), "items": [{"id", "kind", "ref_type", "ref_id",
 * "ref", "title" (in c->lang), "link", "created_at", "read_at"}]}. The CLI
 * operator, who is no account, has none.
 */
sk_err sk_notify_list(sk_ctx *c, bool unread_only, int limit, json_t **out, sk_buf *err);

/*
 * Marks the actor's own notification id read (the first read's time stays)
 * and answers it as a list item. Another's, or an unknown id, is
 * SK_ERR_NOT_FOUND. Audited as notification.read.
 */
sk_err sk_notify_read(sk_ctx *c, int64_t id, json_t **out, sk_buf *err);

/*
 * The base URL links in notifications start with (meta "notify.base_url"):
 * http(s)://host[:port][/path] without a query; stored with an audit entry.
 * Until one is set, a link is the path alone ("/requests/123").
 */
sk_err sk_notify_set_base_url(sk_ctx *c, const char *url, sk_buf *err);

/*
 * Sends a test notification to the account login (`sekisho notify test`):
 * a "test" notification referring to the account itself, audited as
 * notify.test. SK_ERR_NOT_FOUND for an unknown login. *mailed tells whether
 * a mail was queued (the account has an address and is active).
 */
sk_err sk_notify_test(sk_ctx *c, const char *login, int64_t *id_out, bool *mailed, sk_buf *err);

/* An account to tell, as the caller read it: its id, whether active, its mail address. */
typedef struct sk_notify_to {
	int64_t user_id;
	bool active;
	const char *email; /* NULL or "": none */
} sk_notify_to;

/* sk_notify_add for an account the caller read already (no read of the account again). */
sk_err sk_notify_add_to(sk_ctx *c, const sk_notify_to *to, sk_notify_kind kind,
                        const char *ref_type, int64_t ref_id, sk_buf *err);

/*
 * sk_notify_add_to for each of the n accounts of to (borrowed), in this
 * order, in as few statements as may be; no ids are given back. Inside the
 * caller's transaction when there is one; all or none.
 */
sk_err sk_notify_add_each(sk_ctx *c, const sk_notify_to *to, size_t n, sk_notify_kind kind,
                          const char *ref_type, int64_t ref_id, sk_buf *err);

/* --- who is told (notify_route.c) --- */

/*
 * Notifies every active holder of role at unit (a request's approver unit,
 * an incident's step), but not_user (the one whose own action it is; 0:
 * nobody left out). Inside the caller's transaction.
 */
sk_err sk_notify_holders(sk_ctx *c, const char *role, int64_t unit, int64_t not_user,
                         sk_notify_kind kind, const char *ref_type, int64_t ref_id, sk_buf *err);

/*
 * The accounts sk_notify_holders would tell, found ahead of the write that
 * tells them (a filing prepared on a reading connection, request.h): the
 * holders are read now, appended to a list the caller owns, and told later
 * by sk_notify_tell in the write's transaction.
 */
typedef struct sk_notify_whom {
	int64_t user_id;
	char email[SK_NOTIFY_ADDR_MAX + 1];
} sk_notify_whom;

typedef struct sk_notify_whoms {
	sk_notify_whom *v;
	size_t n, cap;
} sk_notify_whoms;

/*
 * v: the organization view the caller's reads are of (orgview.h), or NULL
 * for the current generation's: who holds role at unit and is active is
 * the generation's. The addresses are read from the accounts as they are
 * now (a changed address moves no generation).
 */
sk_err sk_notify_holders_find(sk_ctx *c, const sk_orgview *v, const char *role, int64_t unit,
                              int64_t not_user, sk_notify_whoms *out, sk_buf *err);
/*
 * The two halves of sk_notify_holders_find, for a caller collecting several
 * roles' holders: sk_notify_holders_add appends them from v without their
 * addresses; sk_notify_whoms_address then reads the addresses of l's
 * accounts from index from on, two accounts a query.
 */
sk_err sk_notify_holders_add(const sk_orgview *v, const char *role, int64_t unit, int64_t not_user,
                             sk_notify_whoms *out, sk_buf *err);
sk_err sk_notify_whoms_address(sk_ctx *c, sk_notify_whoms *l, size_t from, sk_buf *err);
/* Tells every account of l (active when found) of kind about ref_type ref_id. */
sk_err sk_notify_tell(sk_ctx *c, const sk_notify_whoms *l, sk_notify_kind kind,
                      const char *ref_type, int64_t ref_id, sk_buf *err);
void sk_notify_whoms_free(sk_notify_whoms *l);

/*
 * Reminds the approvers of requests pending for more than days days
 * (request_overdue), at most once a day per request (the notifications are
 * the record, so a restart reminds no one twice); *n_out receives how many
 * requests were reminded of. In a transaction of its own (or the caller's).
 */
sk_err sk_notify_remind_overdue(sk_ctx *c, int days, int64_t *n_out, sk_buf *err);

/* --- the outbox --- */

/*
 * One queued mail a sender has claimed, its subject and body made at the
 * claim from the notification's kind and reference and the base URL of that
 * moment. Strings are the caller's (sk_notify_mail_free). id is the
 * notification's.
 */
typedef struct sk_notify_mail {
	int64_t id;
	char *to, *subject, *body;
	int64_t attempts; /* before this one */
	int64_t created_at;
} sk_notify_mail;

void sk_notify_mail_free(sk_notify_mail *m, size_t n);

/*
 * Claims up to max unsent mails with an id above after_id that are due at
 * now (all unsent ones when ignore_schedule) and not claimed by another
 * sender, for lease seconds,
 * under token (a random string naming this claim), in one statement that
 * two senders cannot both win for the same row (PostgreSQL: FOR UPDATE SKIP
 * LOCKED and the conditions checked again on the locked row). A claim whose
 * lease ran out (its sender died) may be claimed again. *out (n of them,
 * oldest first) is the caller's; NULL when none was claimed.
 */
sk_err sk_notify_outbox_claim(sk_store *s, const char *token, int64_t now, int64_t lease,
                              bool ignore_schedule, int64_t after_id, size_t max,
                              sk_notify_mail **out, size_t *n, sk_buf *err);

/* Records mail id, claimed under token, as sent at now. */
sk_err sk_notify_outbox_sent(sk_store *s, int64_t id, const char *token, int64_t now, sk_buf *err);

/*
 * Records a failed attempt of mail id, claimed under token: attempts + 1,
 * why as last_error, and the next attempt at now + retry_base * 2^(attempts)
 * seconds, at most SK_NOTIFY_RETRY_MAX later. The row stays until sent.
 */
#define SK_NOTIFY_RETRY_MAX (6 * 3600)
sk_err sk_notify_outbox_failed(sk_store *s, int64_t id, const char *token, int64_t now,
                               int64_t retry_base, const char *why, sk_buf *err);

#endif
