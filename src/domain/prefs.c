/* prefs: an account's own web UI preferences (see prefs.h). */
#include "prefs.h"

#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../core/sk_msg.h"

static sk_err take(void *ctx, const sk_row *r, sk_buf *err)
{
	(void)err;
	sk_prefs *p = ctx;
	snprintf(p->lang, sizeof(p->lang), "%s", sk_row_is_null(r, 0) ? "" : sk_row_text(r, 0));
	snprintf(p->date_style, sizeof(p->date_style), "%s",
	         sk_row_is_null(r, 1) ? "" : sk_row_text(r, 1));
	p->totp_enrolled_at = sk_row_int(r, 2);
	return SK_OK;
}

sk_err sk_prefs_get(sk_store *s, int64_t user_id, sk_prefs *out, sk_buf *err)
{
	memset(out, 0, sizeof(*out));
	sk_val p[] = {SK_VINT(user_id)};
	return sk_store_query(
	    s, "SELECT lang, date_style, COALESCE(totp_enrolled_at, 0) FROM users WHERE id = ?", p,
	    1, take, out, err);
}

static json_t *image(const sk_prefs *p)
{
	return json_pack("{s:s?, s:s?}", "lang", p->lang[0] ? p->lang : NULL, "date_style",
	                 p->date_style[0] ? p->date_style : NULL);
}

static sk_err bad(sk_buf *err, const char *field, sk_msg_id id, const char *v)
{
	return sk_fail_msg(err, SK_ERR_INVALID, field, NULL, id, v);
}

sk_err sk_prefs_set(sk_ctx *c, const char *lang, const char *date_style, sk_buf *err)
{
	if (lang && *lang && strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0)
		return bad(err, "lang", SK_M_PREFS_LANG_UNKNOWN, lang);
	if (date_style && *date_style && strcmp(date_style, "wareki") != 0 &&
	    strcmp(date_style, "western") != 0)
		return bad(err, "date_style", SK_M_PREFS_DATE_STYLE_UNKNOWN, date_style);
	if (!c->actor->user_id)
		return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_PREFS_NO_ACCOUNT);
	sk_store *s = c->store;
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	sk_prefs before, after;
	if ((e = sk_prefs_get(s, c->actor->user_id, &before, err)))
		goto fail;
	after = before;
	if (lang && *lang)
		snprintf(after.lang, sizeof(after.lang), "%s", lang);
	if (date_style && *date_style)
		snprintf(after.date_style, sizeof(after.date_style), "%s", date_style);
	if (!strcmp(before.lang, after.lang) && !strcmp(before.date_style, after.date_style))
		return sk_store_commit(s, err);
	sk_val p[] = {after.lang[0] ? sk_vtext(after.lang) : SK_VNULL,
	              after.date_style[0] ? sk_vtext(after.date_style) : SK_VNULL,
	              SK_VINT(c->actor->user_id)};
	if ((e = sk_store_exec(s, "UPDATE users SET lang = ?, date_style = ? WHERE id = ?", p, 3,
	                       NULL, err)))
		goto fail;
	if ((e = sk_audit_change(s, c->actor->login, c->actor->address, "user.prefs",
	                         image(&before), image(&after), err, "user:%s", c->actor->login)))
		goto fail;
	return sk_store_commit(s, err);
fail:
	sk_store_rollback(s);
	return e;
}
