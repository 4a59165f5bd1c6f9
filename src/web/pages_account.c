/*
 * pages_account: the account's own page: who it is (login, name, unit,
 * roles and their units, whether a one-time code is enrolled) and its
 * preferences, the language of its pages and how dates are written
 * (prefs.h). The preferences are stored on the account, so they follow it
 * to any browser: the language applies again at every login (pages.c sets
 * the language cookie from it), the dates on every page (sk_web_when).
 */
#include <stdio.h>
#include <string.h>

#include "../core/sk_clock.h"
#include "../domain/prefs.h"
#include "../domain/user.h"
#include "web_int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void account_page(sk_web_req *w, int status, const char *lang_err, const char *style_err)
{
	json_t *user = NULL;
	sk_prefs p;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_user_show_own(w->r->t->store, w->r->t->pol, w->ap.login, &user, &err);
	if (!e)
		e = sk_prefs_get(w->r->t->store, w->ap.user_id, &p, &err);
	if (e) {
		sk_web_fail(w, e, &err);
		sk_buf_free(&err);
		json_decref(user);
		return;
	}
	sk_buf_free(&err);
	sk_html_frag roles = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	sk_web_role_items(w, &roles, json_object_get(user, "roles"));
	char enrolled[64] = "", at[SK_TIME_STR_MAX];
	if (p.totp_enrolled_at) {
		sk_clock_format(p.totp_enrolled_at, at);
		sk_web_when(w, at, enrolled, sizeof(enrolled));
	}
	/* What the page shows selected: the stored choice, else what this page is in. */
	const char *lang = p.lang[0] ? p.lang : sk_lang_code(w->lang);
	bool wareki = !strcmp(p.date_style, "wareki");
	char sample[64], now[SK_TIME_STR_MAX];
	sk_clock_format(sk_clock_now(), now);
	sk_tv v[] = {SK_TV("login", w->ap.login),
	             SK_TV("name", json_string_value(json_object_get(user, "name"))),
	             SK_TV("unit", json_string_value(json_object_get(user, "unit_code"))),
	             SK_TF("roles", &roles),
	             SK_TV("mfa", p.totp_enrolled_at ? "1" : NULL),
	             SK_TV("mfa_at", enrolled),
	             SK_TV("csrf", w->ap.csrf_token),
	             SK_TV("lang_ja", !strcmp(lang, "ja") ? "1" : NULL),
	             SK_TV("lang_en", !strcmp(lang, "en") ? "1" : NULL),
	             SK_TV("style_wareki", wareki ? "1" : NULL),
	             SK_TV("style_western", wareki ? NULL : "1"),
	             SK_TV("lang_error", lang_err),
	             SK_TV("style_error", style_err),
	             SK_TV("sample", sk_web_when(w, now, sample, sizeof(sample)))};
	if (sk_web_render(w, &main, "account", v, N(v)))
		sk_web_page(w, status, SK_M_UI_ACCOUNT, &main);
	json_decref(user);
	sk_html_frag_free(&roles);
	sk_html_frag_free(&main);
}

void sk_web_account(sk_web_req *w) { account_page(w, 200, NULL, NULL); }

void sk_web_account_save(sk_web_req *w)
{
	const char *lang = sk_form_get(&w->form, "lang");
	const char *style = sk_form_get(&w->form, "date_style");
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = sk_prefs_set(&call.c, lang, style, &call.err);
	if (!e) {
		/* The new language from this answer on (the cookie), and at every login (the
		 * account). */
		if (lang && (!strcmp(lang, "ja") || !strcmp(lang, "en")))
			sk_web_remember_lang(w, lang);
		sk_web_redirect(w, "/account");
	} else if (e == SK_ERR_INVALID) {
		const char *m = sk_web_error_of(w, e, &call.err);
		bool about_lang = call.err.field && !strcmp(call.err.field, "lang");
		account_page(w, 400, about_lang ? m : NULL, about_lang ? NULL : m);
	} else {
		sk_web_fail(w, e, &call.err);
	}
	sk_web_call_end(&call);
}
