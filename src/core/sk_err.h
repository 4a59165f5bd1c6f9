/*
 * sk_err: the one error enum of sekisho, its messages, and how each error
 * shows at the two outer doors (HTTP status, CLI exit code).
 *
 * Library code returns an sk_err and, where the caller passed one, writes a
 * sentence naming the problem into an sk_buf (see sk_fail). Values are never
 * renumbered: they appear in logs and tests.
 */
#ifndef SK_ERR_H
#define SK_ERR_H

typedef enum sk_err {
	SK_OK = 0,
	SK_ERR_NOMEM = 1,                 /* an allocation failed */
	SK_ERR_INVALID = 2,               /* the caller's input is malformed or out of range */
	SK_ERR_NOT_FOUND = 3,             /* the named object does not exist (or is out of scope) */
	SK_ERR_EXISTS = 4,                /* the object to create exists already */
	SK_ERR_DENIED = 5,                /* the actor may not do this */
	SK_ERR_AUTH = 6,                  /* wrong credentials or no session */
	SK_ERR_LOCKED = 7,                /* the account is locked for now */
	SK_ERR_TOO_BIG = 8,               /* a size limit was exceeded */
	SK_ERR_IO = 9,                    /* a file or socket operation failed */
	SK_ERR_STORE = 10,                /* the database failed or cannot be opened */
	SK_ERR_CORRUPT = 11,              /* stored data failed an integrity check */
	SK_ERR_CONFLICT = 12,             /* the change contradicts the current state */
	SK_ERR_UNSUPPORTED = 13,          /* a valid request this build cannot serve */
	SK_ERR_TEMPFAIL = 14,             /* try again later (busy database, resources) */
	SK_ERR_INTERNAL = 15,             /* a bug: an invariant did not hold */
	SK_ERR_MUST_CHANGE_PASSWORD = 16, /* a temporary password must be changed first */
	SK_ERR_THROTTLED = 17,            /* too many failed attempts from one client; wait */
	SK_ERR_MUST_ENROLL_TOTP = 18,     /* a one-time code must be enrolled first */
	SK_ERR_FORBIDDEN_BY_POLICY = 19,  /* the profile forbids it outright (a request, C7) */
	SK_ERR_SELF_APPROVAL = 20,        /* an approver deciding their own request */
	SK_ERR__COUNT
} sk_err;

struct sk_buf;

/* A stable snake_case code for the error ("invalid_input"), used in API errors. */
const char *sk_err_code(sk_err e);
/* A short English sentence describing the error class. */
const char *sk_err_str(sk_err e);
/* The same sentence in Japanese (sk_msg.h chooses between them for a reader). */
const char *sk_err_str_ja(sk_err e);
/* The HTTP status an API answer carries for this error (200 for SK_OK). */
int sk_err_http_status(sk_err e);
/* The exit status of the CLI for this error (0 for SK_OK). */
int sk_err_exit_code(sk_err e);

/*
 * Records why an operation failed and returns code, so that a failing path
 * reads `return sk_fail(err, SK_ERR_INVALID, "unknown unit '%s'", u);`.
 * err may be NULL; its previous content is replaced.
 */
sk_err sk_fail(struct sk_buf *err, sk_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* As sk_fail, naming the field the failure is about (a static key: the field schema's). */
sk_err sk_fail_at(struct sk_buf *err, sk_err code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
