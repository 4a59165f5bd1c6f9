/*
 * api_notifications: the session's own notifications over HTTP: the list
 * (newest first, with the unread count; ?unread=1 for the unread only) and
 * marking one read. Nobody reads another's: an id that is not the caller's
 * answers 404, as an unknown one does (src/domain/notify.h).
 */
#include <stdlib.h>
#include <string.h>

#include "../domain/notify.h"
#include "http_int.h"

void sk_api_notification_list(sk_http_rctx *r)
{
	char unread[4] = "";
	int64_t limit = 100;
	bool only_unread = false;
	if (sk_http_query(r, "unread", unread, sizeof(unread))) {
		if (strcmp(unread, "1") != 0 && strcmp(unread, "0") != 0)
			return sk_http_reply_bad_query(r, "unread", SK_M_HTTP_QUERY_UNREAD);
		only_unread = unread[0] == '1';
	}
	if (!sk_http_query_int(r, "limit", 1, 500, &limit))
		return;
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	c.lang = sk_lang_code(r->lang);
	sk_err e = sk_notify_list(&c, only_unread, (int)limit, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 200, j);
}

void sk_api_notification_read(sk_http_rctx *r)
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	c.lang = sk_lang_code(r->lang);
	sk_err e = sk_notify_read(&c, r->id, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 200, j);
}
