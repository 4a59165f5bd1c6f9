/* web_int: what the files of src/web share (the page request and its helpers). */
#ifndef SK_WEB_INT_H
#define SK_WEB_INT_H

#include "../auth/auth.h"
#include "../http/http_int.h"
#include "../report/csv.h"
#include "form.h"
#include "html.h"
#include "multipart.h"
#include "web.h"

/* One page request: the HTTP request, the reader's language, session and form. */
typedef struct sk_web_req {
	sk_http_rctx *r;
	sk_lang lang;
	bool has_session;
	sk_auth_principal ap;
	sk_authz_principal who;
	sk_form form;        /* a POST's fields */
	sk_multipart mp;     /* an upload's parts (W_MULTIPART routes): the file, csrf, ... */
	sk_html_frag errors; /* <li> items of the error summary */
	const char *notice;  /* a sentence shown above the page's content */
	bool lang_chosen;    /* ?lang= or the language cookie decided (not the account's choice) */
	bool wareki;         /* the account writes dates in 和暦 (its preference, prefs.h) */
} sk_web_req;

/* The text of the catalog's sentence id in the page's language. */
const char *sk_web_t(const sk_web_req *w, sk_msg_id id);
/* Whether the session holds capability cap at some unit. */
bool sk_web_can(const sk_web_req *w, int cap);
/* The value of the request's cookie name (at most max bytes with the NUL); false when absent. */
bool sk_web_cookie(sk_web_req *w, const char *name, char *out, size_t max);
/* Adds a header (the value copied) to the answer about to be sent. */
void sk_web_header(sk_web_req *w, const h2o_token_t *tok, const char *v);
/* Adds an item to the error summary: message, linking to the field's input (field may be NULL). */
void sk_web_error(sk_web_req *w, const char *field, const char *message);
/* The error err holds in the page's language, added to the summary; returns it for the field. */
const char *sk_web_error_of(sk_web_req *w, sk_err e, const sk_buf *err);

/*
 * One domain call of a page, the shape every handler shares: a context for
 * the request's actor (sk_http_ctx) and the buffer the call's error goes
 * to. A handler begins, calls its domain function with &k.c and &k.err,
 * then sk_web_call_done (the error page when the call failed) or hands the
 * error to its own answer and sk_web_call_end; what is left is its own.
 */
typedef struct sk_web_call {
	sk_web_req *w;
	sk_ctx c;
	sk_buf err;
} sk_web_call;

void sk_web_call_begin(sk_web_req *w, sk_web_call *k);
/* Releases the context and the error; k may be ended already. */
void sk_web_call_end(sk_web_call *k);
/* Ends k; when e failed, the error page (sk_web_fail) answers first. Whether e failed. */
bool sk_web_call_done(sk_web_call *k, sk_err e);
/* Answers with the layout around main (status 200 unless given), title from the catalog. */
void sk_web_page(sk_web_req *w, int status, sk_msg_id title, const sk_html_frag *main);
/* As sk_web_page with a title that is data (an asset's name). */
void sk_web_page_titled(sk_web_req *w, int status, const char *title, const sk_html_frag *main);
/*
 * As sk_web_page with main in n parts, in their order (a list's rows between
 * the parts of its page around them: sk_html_render_split), which the answer
 * takes as they are, without copying them together: each is left empty. At
 * most SK_HTTP_REPLY_BUFS - 2 parts.
 */
void sk_web_page_parts(sk_web_req *w, int status, sk_msg_id title, sk_html_frag *parts, size_t n);
/* A 303 See Other to location (a path of ours). */
void sk_web_redirect(sk_web_req *w, const char *location);
/* The "not found" page (404): what lies outside the reader's scope looks the same. */
void sk_web_not_found(sk_web_req *w);
/* The page for an error class: 404, 403 (CSRF), 400, 5xx. */
void sk_web_fail(sk_web_req *w, sk_err e, const sk_buf *err);

/*
 * A moment (RFC 3339, as the domain's JSON gives it) as the reader prefers
 * it, in Japan's time: "令和8年12月6日 10:30" or "2026-12-06 10:30". The one
 * date writer of the pages; text that is no moment is given back as it is.
 */
const char *sk_web_when(const sk_web_req *w, const char *rfc3339, char *out, size_t max);
/* The text of a JSON value for a page: strings as they are, numbers in decimal (into num), yes/no.
 */
const char *sk_web_jtext(const sk_web_req *w, const json_t *v, char *num, size_t max);
/* Appends name=value (URL-encoded; nothing when value is empty) to a query string being built. */
void sk_web_qadd(sk_buf *q, const char *name, const char *value);
/* Remembers the page language code ("ja", "en") in the browser's language cookie. */
void sk_web_remember_lang(sk_web_req *w, const char *code);

/* The "busy, try again shortly" page: 503 with Retry-After (a bounded queue of pool.c is full). */
void sk_web_busy(sk_web_req *w);

/*
 * Work off the event loop (pool.c): a page whose work may take long (an
 * import, an export, a verification) hands it to the page workers and is
 * answered when it is done, so no other connection of the loop waits.
 * work(c, data, err) runs on a worker with a context for the session's
 * actor on the worker's own store (no w there: what it needs is in data,
 * which may point to the values of w->form and the bytes, names and types
 * of w->mp's parts, kept alive with the job, but not to w->mp's part
 * structs, which move); then
 * answer(w, data, e, err) on the request's loop with w rebuilt (language,
 * session, form, upload, path id and parameter). data_free(data) runs
 * after the answer, or at once when the queue is full: then the page
 * answers the busy page itself. Either way the request is answered.
 */
typedef sk_err (*sk_web_work_fn)(sk_ctx *c, void *data, sk_buf *err);
typedef void (*sk_web_answer_fn)(sk_web_req *w, void *data, sk_err e, sk_buf *err);
void sk_web_off_loop(sk_web_req *w, sk_web_work_fn work, sk_web_answer_fn answer, void *data,
                     void (*data_free)(void *));
/*
 * The login's argon2id on the login workers (as the API's): answer(w,
 * data, e, s, err) on the loop with w rebuilt (no session yet); false when
 * the queue is full or the pool cannot take it (data still the caller's).
 */
typedef void (*sk_web_login_answer_fn)(sk_web_req *w, void *data, sk_err e, sk_auth_session *s,
                                       const sk_buf *err);
bool sk_web_login_off_loop(sk_web_req *w, const char *login, const char *password, const char *totp,
                           sk_web_login_answer_fn answer, void *data, void (*data_free)(void *));

/* Renders template name into out; false (and a 500 answer) on failure. */
/*
 * n in decimal, written backwards into buf (24 bytes), without printf's
 * machinery (a list writes one per row); answers where the digits begin.
 */
const char *sk_web_decimal(char buf[24], int64_t n);
bool sk_web_render(sk_web_req *w, sk_html_frag *out, const char *name, const sk_tv *vars,
                   size_t nv);
/* sk_web_render split at the value hole (sk_html_render_split). */
bool sk_web_render_split(sk_web_req *w, sk_html_frag *before, sk_html_frag *after, const char *hole,
                         const char *name, const sk_tv *vars, size_t nv);

/* One form field from the field schema, rendered into out (value and error may be NULL). */
bool sk_web_field(sk_web_req *w, sk_html_frag *out, const sk_field *f, const char *value,
                  const char *error);

/* One <option> of a select into out: its value, its text, and whether it is the one selected. */
void sk_web_option(sk_web_req *w, sk_html_frag *out, const char *value, const char *text,
                   bool selected);

/*
 * An account's roles (the array of a user's show: title, role, unit_code)
 * as list items into out, one "title (role) — unit" each.
 */
void sk_web_role_items(sk_web_req *w, sk_html_frag *out, const json_t *roles);

/*
 * An export form's choice: format "csv" or "xlsx" (anything else refused, naming the
 * field) and, for CSV, the encoding (UTF-8 with BOM unless given).
 */
sk_err sk_web_export_format(sk_web_req *w, bool *xlsx, sk_csv_encoding *enc, sk_buf *err);

/* A request's status in the page's language (pages_requests.c). */
const char *sk_web_request_status(const sk_web_req *w, const char *status);

/* Pages (pages.c). */
void sk_web_home(sk_web_req *w);
void sk_web_login_form(sk_web_req *w);
void sk_web_login_post(sk_web_req *w);
void sk_web_logout(sk_web_req *w);
void sk_web_password_form(sk_web_req *w);
void sk_web_password_post(sk_web_req *w);
void sk_web_totp_form(sk_web_req *w);
void sk_web_totp_post(sk_web_req *w);
void sk_web_asset_list(sk_web_req *w);
void sk_web_asset(sk_web_req *w);
void sk_web_asset_new(sk_web_req *w);
void sk_web_asset_create(sk_web_req *w);
void sk_web_asset_edit(sk_web_req *w);
void sk_web_asset_save(sk_web_req *w);
/* Import and export of the register (pages_import.c). */
void sk_web_asset_import_form(sk_web_req *w);
void sk_web_asset_import(sk_web_req *w);
void sk_web_asset_export(sk_web_req *w);
void sk_web_decide(sk_web_req *w);
void sk_web_decide_post(sk_web_req *w);
void sk_web_policy(sk_web_req *w);
/* Policy versions and the policy set (pages_policyver.c). */
void sk_web_policy_versions(sk_web_req *w);
void sk_web_policy_import(sk_web_req *w);
void sk_web_policy_import_refused(sk_web_req *w, sk_err e, const sk_buf *err);
void sk_web_policy_version(sk_web_req *w);
void sk_web_policy_version_request(sk_web_req *w);
void sk_web_policy_version_activate(sk_web_req *w);
void sk_web_policy_diff(sk_web_req *w);
void sk_web_policy_set(sk_web_req *w);
void sk_web_policy_set_request(sk_web_req *w);
void sk_web_policy_set_apply(sk_web_req *w);
void sk_web_audit(sk_web_req *w);
void sk_web_audit_verify(sk_web_req *w);
/* Requests, approvals and ledgers (pages_requests.c). */
void sk_web_requests(sk_web_req *w);
void sk_web_request_new(sk_web_req *w);
void sk_web_request_create(sk_web_req *w);
void sk_web_request(sk_web_req *w);
void sk_web_request_approve(sk_web_req *w);
void sk_web_request_reject(sk_web_req *w);
void sk_web_request_withdraw(sk_web_req *w);
void sk_web_request_complete(sk_web_req *w);
void sk_web_ledgers(sk_web_req *w);
void sk_web_ledger(sk_web_req *w);
void sk_web_ledger_export(sk_web_req *w);
/* Incidents, notifications and the account's preferences (pages_incidents.c, pages_account.c). */
void sk_web_incidents(sk_web_req *w);
void sk_web_incident_report(sk_web_req *w);
void sk_web_incident(sk_web_req *w);
void sk_web_incident_escalate(sk_web_req *w);
void sk_web_incident_respond(sk_web_req *w);
void sk_web_incident_close(sk_web_req *w);
/* Evidence: the upload (and its refused body, shown on the incident's page), the download. */
void sk_web_incident_attach(sk_web_req *w);
void sk_web_incident_attach_refused(sk_web_req *w, sk_err e, const sk_buf *err);
void sk_web_incident_attachment(sk_web_req *w);
void sk_web_notifications(sk_web_req *w);
void sk_web_notification_read(sk_web_req *w);
void sk_web_notifications_read_all(sk_web_req *w);
void sk_web_account(sk_web_req *w);
void sk_web_account_save(sk_web_req *w);

/* Administration (pages_admin.c) and the audit log (pages_audit.c). */
void sk_web_admin_org(sk_web_req *w);
void sk_web_admin_org_add(sk_web_req *w);
void sk_web_admin_org_move(sk_web_req *w);
void sk_web_admin_users(sk_web_req *w);
void sk_web_admin_user_add(sk_web_req *w);
void sk_web_admin_user(sk_web_req *w);
void sk_web_admin_user_disable(sk_web_req *w);
void sk_web_admin_user_enable(sk_web_req *w);
void sk_web_admin_user_unlock(sk_web_req *w);
void sk_web_admin_user_totp_reset(sk_web_req *w);
void sk_web_admin_role_grant(sk_web_req *w);
void sk_web_admin_role_revoke(sk_web_req *w);
void sk_web_audit_entry(sk_web_req *w);

#endif
