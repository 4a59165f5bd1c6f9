/*
 * sk_msg: the message catalog: every sentence sekisho says to a person, in
 * Japanese and English, chosen per reader (Accept-Language for the API, the
 * locale for the CLI), and errors that carry the field they are about.
 *
 * A message is a printf format per language, taking the same arguments in
 * the same order in both; "{f}" stands for the field, which is its key in
 * English and its Japanese title in Japanese. sk_fail_msg renders both
 * languages when the error happens, so whoever answers later needs nothing
 * but the sk_buf: data holds the English text (logs and today's callers
 * read it), ja the Japanese, field the key.
 */
#ifndef SK_MSG_H
#define SK_MSG_H

#include <stddef.h>

#include "sk_buf.h"

typedef enum sk_lang { SK_LANG_EN, SK_LANG_JA } sk_lang;

/* "en" or "ja". */
const char *sk_lang_code(sk_lang l);

/*
 * The language an Accept-Language header (n bytes, not NUL-terminated)
 * prefers among ours: the highest q of a ja or en range ("ja-JP", "en;q=0.5";
 * "*" counts for both); dflt when it names neither or is absent.
 */
sk_lang sk_lang_from_accept(const char *h, size_t n, sk_lang dflt);

/*
 * The CLI's language: LC_ALL, else LC_MESSAGES, else LANG: "ja…" is
 * Japanese, any other locale (C, en_US.UTF-8 …) English; with none set,
 * Japanese.
 */
sk_lang sk_lang_from_env(void);
/* Makes sk_lang_from_env answer l whatever the environment says (the CLI's --lang). */
void sk_lang_set_env(sk_lang l);

typedef enum sk_msg_id {
	/* a request body or a record, field by field (src/domain/schema.c) */
	SK_M_BODY_NOT_OBJECT,
	SK_M_FIELD_UNKNOWN,
	SK_M_FIELD_REQUIRED,
	SK_M_FIELD_TOO_LONG,
	SK_M_FIELD_NUL,
	SK_M_FIELD_NOT_STRING,
	SK_M_FIELD_NOT_INT,
	SK_M_FIELD_NOT_BOOL,
	SK_M_FIELD_NOT_STR_OR_INT,
	SK_M_FIELD_NOT_LIST,
	SK_M_FIELD_NOT_OBJECT,
	SK_M_FIELD_RANGE,
	SK_M_FIELD_TOO_MANY,
	SK_M_FIELD_BAD_ITEM,
	SK_M_FIELD_NOT_IDS,
	SK_M_TEXT_TOO_LONG,
	SK_M_TEXT_NOT_UTF8,
	SK_M_TEXT_CONTROL,
	SK_M_TEXT_DECEPTIVE,
	/* the HTTP door (src/http/routes.c) */
	SK_M_HTTP_NO_SESSION,
	SK_M_HTTP_NO_BODY_TAKEN,
	SK_M_HTTP_BODY_TOO_LARGE,
	SK_M_HTTP_MALFORMED_JSON,
	SK_M_HTTP_NOT_UTF8,
	SK_M_HTTP_NO_PATH,
	SK_M_HTTP_METHOD,
	SK_M_HTTP_MEDIA_TYPE,
	SK_M_HTTP_HEADERS_TOO_LARGE,
	SK_M_HTTP_JSON_SYNTAX,
	SK_M_HTTP_JSON_NUL,
	SK_M_HTTP_JSON_DUP_KEY,
	SK_M_HTTP_JSON_END,
	SK_M_HTTP_FRAMING,
	SK_M_HTTP_HEADER_TWICE,
	SK_M_HTTP_PATH_DOT,
	SK_M_HTTP_PATH_ENCODING,
	SK_M_HTTP_QUERY_UNKNOWN,
	SK_M_HTTP_QUERY_TWICE,
	SK_M_HTTP_QUERY_ENCODING,
	SK_M_HTTP_QUERY_TOO_LONG,
	SK_M_HTTP_QUERY_NOT_UTF8,
	/* logging in (src/auth, src/http/pool.c) */
	SK_M_AUTH_THROTTLED,
	SK_M_AUTH_BUSY,
	SK_M_AUTH_MUST_ENROLL,
	/*
	 * notifications (src/domain/notify.c): one title per kind, each taking
	 * the reference number ("R-000123") as its only argument, and the mail
	 * made of a title, the reference and a link (three %s, in that order):
	 * by construction a notification carries no free text.
	 */
	SK_M_NOTIFY_REQUEST_TO_DECIDE,
	SK_M_NOTIFY_REQUEST_DECIDED,
	SK_M_NOTIFY_REQUEST_OVERDUE,
	SK_M_NOTIFY_INCIDENT_ESCALATED,
	SK_M_NOTIFY_ACCOUNT_LOCKED,
	SK_M_NOTIFY_INCIDENT_CLOSED,
	SK_M_NOTIFY_TEST,
	SK_M_NOTIFY_MAIL_BODY,
	/*
	 * a purge refused (src/domain/retention.c): the record type, its kind, its
	 * id and how many more share the reason, then the retention entry
	 */
	SK_M_RECORD_NO_RETENTION,
	SK_M_RECORD_KEPT_FOREVER,
	SK_M_RECORD_IN_PERIOD,
	/* grants and revocations refused (src/domain/role.c); RANK: the role */
	SK_M_ROLE_OWN_GRANT,
	SK_M_ROLE_OWN_REVOKE,
	SK_M_ROLE_RANK_GRANT,
	SK_M_ROLE_RANK_REVOKE,
	/* policy versions (src/domain/policyver.c, issue #16): the version's number */
	SK_M_POLICY_NEEDS_APPROVAL,
	SK_M_POLICY_NO_VERSION,
	SK_M_POLICY_ACTIVE_ALREADY,
	SK_M_POLICY_STORED_ALREADY,
	/* the policy set (src/domain/policyset.c): the version (twice) and the unit kinds */
	SK_M_POLICYSET_NEEDS_APPROVAL,
	SK_M_POLICYSET_SAME,
	/* the profile refused: its first "FILE:LINE: message" */
	SK_M_POLICY_INVALID,
	/*
	 * the mail sanitizer's notice of a disguised link (src/mail/sanitize.c):
	 * the host the link's text shows, then the host it leads to
	 */
	SK_M_MAIL_LINK_MISMATCH,
/* the domain and the CLI: sk_msg_text.def */
#define M(id, en, ja) SK_M_##id,
#include "sk_msg_text.def"
#undef M
/* the domain and the reports (src/domain, src/report): sk_msg_domain.def */
#define M(id, en, ja) SK_M_##id,
#include "sk_msg_domain.def"
#undef M
/* the CLI and the modules below the domain: sk_msg_cli.def */
#define M(id, en, ja) SK_M_##id,
#include "sk_msg_cli.def"
#undef M
/* the CLI's --help: sk_msg_help.def */
#define M(id, en, ja) SK_M_##id,
#include "sk_msg_help.def"
#undef M
/* the web UI (src/web): sk_msg_ui.def */
#define M(id, en, ja) SK_M_##id,
#include "sk_msg_ui.def"
#undef M
	SK_M__COUNT
} sk_msg_id;

/*
 * The id of the message named key ("UI_LOGIN_TITLE" for SK_M_UI_LOGIN_TITLE;
 * the web UI's sentences only), or -1. Templates name sentences this way.
 */
int sk_msg_find(const char *key);

/* The message's format in l ("{f}" still in it). */
const char *sk_msg_format(sk_msg_id id, sk_lang l);

/*
 * Records the error as sk_fail does, with the message id's text in both
 * languages: field (a static key such as "note", or NULL) and field_ja (its
 * Japanese title, or NULL to show the key) stand for "{f}"; the arguments
 * fill the rest of the format. Returns code.
 */
sk_err sk_fail_msg(sk_buf *err, sk_err code, const char *field, const char *field_ja, sk_msg_id id,
                   ...);

/*
 * As sk_fail_msg, for a failure that encloses the one err holds already
 * ("asset 3: …"): "{m}" in the message's formats stands for err's message in
 * the same language; field and field_ja as for sk_fail_msg, err's own field
 * when field is NULL. Returns code.
 */
sk_err sk_fail_wrap(sk_buf *err, sk_err code, const char *field, const char *field_ja, sk_msg_id id,
                    ...);

/*
 * Records a message whose two texts the caller composed of catalog
 * sentences (the import's list of every row's errors). Returns code.
 */
sk_err sk_fail_texts(sk_buf *err, sk_err code, const char *field, const char *en, const char *ja);

/* Appends the message id in l to out, the arguments filling its format ("{f}" left empty). */
sk_err sk_msg_addf(sk_buf *out, sk_lang l, sk_msg_id id, ...);

/* The language a domain context names ("en"; anything else, NULL too, is Japanese). */
sk_lang sk_lang_of_code(const char *code);

/*
 * The message err holds in l: its Japanese text when l is Japanese and it
 * has one, its English text otherwise, and e's general sentence in l when
 * err is empty.
 */
const char *sk_msg_of(const sk_buf *err, sk_err e, sk_lang l);

/* The general sentence for an error class in l ("invalid input", "入力が正しくありません"). */
const char *sk_err_str_lang(sk_err e, sk_lang l);

#endif
