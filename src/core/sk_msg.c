/* sk_msg: the message catalog and the choice of language. */
#include "sk_msg.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *en, *ja;
} catalog[SK_M__COUNT] = {
    [SK_M_BODY_NOT_OBJECT] = {"the body must be a JSON object",
                              "本文は JSON のオブジェクトにしてください"},
    [SK_M_FIELD_UNKNOWN] = {"unknown field '{f}'", "「{f}」という項目はありません"},
    [SK_M_FIELD_REQUIRED] = {"field '{f}' is required", "「{f}」は必須です"},
    [SK_M_FIELD_TOO_LONG] = {"field '{f}' is longer than %u bytes",
                             "「{f}」が長すぎます（%u バイトまで）"},
    [SK_M_FIELD_NUL] = {"field '{f}' holds a NUL character", "「{f}」に NUL 文字が含まれています"},
    [SK_M_FIELD_NOT_STRING] = {"field '{f}' must be a string", "「{f}」は文字列で指定してください"},
    [SK_M_FIELD_NOT_INT] = {"field '{f}' must be an integer", "「{f}」は整数で指定してください"},
    [SK_M_FIELD_NOT_BOOL] = {"field '{f}' must be true or false",
                             "「{f}」は true か false で指定してください"},
    [SK_M_FIELD_NOT_STR_OR_INT] = {"field '{f}' must be a string or an integer",
                                   "「{f}」は文字列か整数で指定してください"},
    [SK_M_FIELD_NOT_LIST] = {"field '{f}' must be an array of strings",
                             "「{f}」は文字列の配列で指定してください"},
    [SK_M_FIELD_NOT_OBJECT] = {"field '{f}' must be a JSON object",
                               "「{f}」は JSON のオブジェクトで指定してください"},
    [SK_M_FIELD_RANGE] = {"field '{f}' must be a whole number from %lld to %lld",
                          "「{f}」は %lld から %lld までの整数で指定してください"},
    [SK_M_FIELD_TOO_MANY] = {"field '{f}' holds more than %u items",
                             "「{f}」の要素が多すぎます（%u 個まで）"},
    [SK_M_FIELD_BAD_ITEM] = {"field '{f}' must hold strings of at most %d bytes",
                             "「{f}」の要素は %d バイト以内の文字列にしてください"},
    [SK_M_FIELD_NOT_IDS] = {"field '{f}' must be an array of whole numbers from 1",
                            "「{f}」は 1 以上の整数の配列で指定してください"},
    [SK_M_TEXT_TOO_LONG] = {"longer than %u bytes", "長すぎます（%u バイトまで）"},
    [SK_M_TEXT_NOT_UTF8] = {"not valid UTF-8", "UTF-8 として正しくありません"},
    [SK_M_TEXT_CONTROL] = {"contains a control character", "制御文字が含まれています"},
    [SK_M_TEXT_DECEPTIVE] = {"contains an invisible or direction-changing character",
                             "見えない文字または文字の向きを変える文字が含まれています"},
    [SK_M_HTTP_NO_SESSION] = {"log in first (POST /api/v1/login)",
                              "先にログインしてください（POST /api/v1/login）"},
    [SK_M_HTTP_NO_BODY_TAKEN] = {"this route takes no body", "この操作は本文を受け付けません"},
    [SK_M_HTTP_BODY_TOO_LARGE] = {"the body is over %zu bytes",
                                  "本文が大きすぎます（%zu バイトまで）"},
    [SK_M_HTTP_MALFORMED_JSON] = {"malformed JSON %s", "JSON の形式が正しくありません（%s）"},
    [SK_M_HTTP_NOT_UTF8] = {"malformed JSON: the body is not valid UTF-8",
                            "JSON の形式が正しくありません: 本文が UTF-8 ではありません"},
    [SK_M_HTTP_NO_PATH] = {"no such path", "そのパスはありません"},
    [SK_M_HTTP_METHOD] = {"this path does not take that method",
                          "このパスはそのメソッドを受け付けません"},
    [SK_M_HTTP_MEDIA_TYPE] = {"the body must be sent as application/json",
                              "本文は application/json で送ってください"},
    [SK_M_HTTP_HEADERS_TOO_LARGE] = {"the request's headers are too large",
                                     "リクエストのヘッダーが大きすぎます"},
    [SK_M_HTTP_JSON_SYNTAX] = {"malformed JSON at line %d, column %d",
                               "JSON の形式が正しくありません（%d 行 %d 桁）"},
    [SK_M_HTTP_JSON_NUL] = {"malformed JSON at line %d, column %d: a string holds a NUL "
                            "character (\\u0000)",
                            "JSON の形式が正しくありません（%d 行 %d 桁）: 文字列に NUL 文字"
                            "（\\u0000）が含まれています"},
    [SK_M_HTTP_JSON_DUP_KEY] = {"malformed JSON at line %d, column %d: a duplicate key (an "
                                "object names a key twice)",
                                "JSON の形式が正しくありません（%d 行 %d 桁）: 同じキーが二度"
                                "あります"},
    [SK_M_HTTP_JSON_END] = {"malformed JSON at line %d, column %d: the body ends before the "
                            "JSON text does",
                            "JSON の形式が正しくありません（%d 行 %d 桁）: JSON の途中で本文が"
                            "終わっています"},
    [SK_M_HTTP_FRAMING] = {"the request gives the length of its body more than once "
                           "(Content-Length, Transfer-Encoding)",
                           "リクエストが本文の長さを二重に指定しています（Content-Length、"
                           "Transfer-Encoding）"},
    [SK_M_HTTP_HEADER_TWICE] = {"the header %s is given more than once",
                                "ヘッダー %s が複数あります"},
    [SK_M_HTTP_PATH_DOT] = {"the path holds a '.' or '..' segment",
                            "パスに「.」か「..」の区切りが含まれています"},
    [SK_M_HTTP_PATH_ENCODING] = {"the path is not valid URL encoding of UTF-8 text (or holds "
                                 "an encoded NUL, '/' or '\\')",
                                 "パスが UTF-8 の正しい URL エンコードではありません（または"
                                 "エンコードされた NUL、「/」、「\\」を含みます）"},
    [SK_M_HTTP_QUERY_UNKNOWN] = {"unknown query parameter '%s'",
                                 "「%s」というクエリパラメーターはありません"},
    [SK_M_HTTP_QUERY_TWICE] = {"query parameter '{f}' is given twice",
                               "クエリパラメーター「{f}」が二度指定されています"},
    [SK_M_HTTP_QUERY_ENCODING] = {"query parameter '{f}' is not valid URL encoding (or holds "
                                  "a NUL)",
                                  "クエリパラメーター「{f}」が正しい URL エンコードではありま"
                                  "せん（または NUL を含みます）"},
    [SK_M_HTTP_QUERY_TOO_LONG] = {"query parameter '{f}' is longer than %zu bytes",
                                  "クエリパラメーター「{f}」が長すぎます（%zu バイトまで）"},
    [SK_M_HTTP_QUERY_NOT_UTF8] = {"query parameter '{f}' is not valid UTF-8",
                                  "クエリパラメーター「{f}」が UTF-8 として正しくありません"},
    [SK_M_AUTH_THROTTLED] = {"too many failed logins from this address: try again in %lld "
                             "seconds",
                             "このアドレスからのログインの失敗が多すぎます。%lld "
                             "秒後に再度お試しください"},
    [SK_M_AUTH_BUSY] = {"too many logins are waiting: try again in %d seconds",
                        "ログインの処理待ちが多すぎます。%d 秒後に再度お試しください"},
    [SK_M_AUTH_MUST_ENROLL] = {"this account must enroll a one-time code (TOTP) first: POST "
                               "/api/v1/totp/enroll, then /api/v1/totp/confirm",
                               "このアカウントは先にワンタイムパスワード（TOTP）を登録してください"
                               "（POST /api/v1/totp/enroll、次に /api/v1/totp/confirm）"},
    [SK_M_NOTIFY_REQUEST_TO_DECIDE] = {"Request %s awaits your decision",
                                       "申請 %s があなたの決裁を待っています"},
    [SK_M_NOTIFY_REQUEST_DECIDED] = {"Your request %s has been decided",
                                     "あなたの申請 %s が決裁されました"},
    [SK_M_NOTIFY_REQUEST_OVERDUE] = {"Request %s is overdue", "申請 %s が期限を過ぎています"},
    [SK_M_NOTIFY_INCIDENT_ESCALATED] = {"Incident %s has been escalated to you",
                                        "インシデント %s があなたに報告されました"},
    [SK_M_NOTIFY_INCIDENT_CLOSED] = {"Your report %s has been closed",
                                     "あなたの報告 %s が終結しました"},
    [SK_M_NOTIFY_ACCOUNT_LOCKED] = {"Account %s has been locked after failed logins",
                                    "アカウント %s がログインの失敗によりロックされました"},
    [SK_M_NOTIFY_TEST] = {"Test notification %s from sekisho", "sekisho のテスト通知 %s"},
    [SK_M_RECORD_NO_RETENTION] =
        {"%s %s %lld (and %zu more): no retention entry of the profile governs %s records, so "
         "they are kept for ever (the strictest, where the seed is silent); nothing was purged",
         "%s %s %lld（ほか%zu件）: %s の記録の保存期間を定める項目がプロファイルにないため永年保存"
         "します（シードが定めていないときは最も厳しく扱います）。何も削除していません"},
    [SK_M_RECORD_KEPT_FOREVER] =
        {"%s %s %lld (and %zu more): kept for ever under retention '%s' (%s; period "
         "unspecified, %s); nothing was purged",
         "%s %s %lld（ほか%zu件）: 保存期間の定め '%s'（%s。期間の定めなし、%s）により永年保存"
         "します。何も削除していません"},
    [SK_M_RECORD_IN_PERIOD] =
        {"%s %s %lld (and %zu more): inside its retention period until %.10s under retention "
         "'%s' (%s; %d years, %s); nothing was purged",
         "%s %s %lld（ほか%zu件）: %.10s まで保存期間中です（保存期間の定め '%s'：%s、%d年、%s）。"
         "何も削除していません"},
    [SK_M_POLICY_NEEDS_APPROVAL] =
        {"activating policy version %lld needs the CISO's approval (成田 基準 7(2)): file a "
         "request of kind policy_activation with details {\"version\": %lld} and have the CISO "
         "approve it; nothing was changed",
         "ポリシーの版 %lld を有効にするには最高情報セキュリティ責任者の承認が必要です（成田 基準 "
         "7(2)）。種類 policy_activation、内容 {\"version\": %lld} で申請し、CISO "
         "の承認を得てくださ"
         "い。何も変更していません"},
    [SK_M_POLICYSET_NEEDS_APPROVAL] =
        {"changing the policy set (version %lld for units of kind %s) needs the CISO's "
         "approval (成田 基準 7(2)): file a request of kind policy_activation with details "
         "{\"version\": %lld, \"units_of_kind\": \"%s\"} and have the CISO approve it; "
         "nothing was changed",
         "ポリシーセットの変更（版 %lld を種類 %s の組織に適用）には最高情報セキュリティ責任者の"
         "承認が必要です（成田 基準 7(2)）。種類 policy_activation、内容 {\"version\": %lld, "
         "\"units_of_kind\": \"%s\"} で申請し、CISO の承認を得てください。何も変更していません"},
    [SK_M_POLICYSET_SAME] = {"{f}: the policy set already gives policy version %lld these "
                             "unit kinds (nothing changed)",
                             "{f}: ポリシーセットはすでに版 %lld をこの種類の組織に適用しています"
                             "（何も変更していません）"},
    [SK_M_POLICY_NO_VERSION] = {"{f}: no policy version %lld",
                                "{f}: ポリシーの版 %lld はありません"},
    [SK_M_POLICY_STORED_ALREADY] = {"{f}: this text is stored already as policy version %lld "
                                    "(activate that version; nothing imported)",
                                    "{f}: この本文はポリシーの版 %lld として取り込み済みです"
                                    "（その版を有効にしてください。何も取り込んでいません）"},
    [SK_M_POLICY_ACTIVE_ALREADY] = {"{f}: policy version %lld is active already",
                                    "{f}: ポリシーの版 %lld はすでに有効です"},
    [SK_M_POLICY_INVALID] = {"%s (the profile is not valid; nothing imported)",
                             "%s（プロファイルとして正しくありません。何も取り込んでいません）"},
    [SK_M_MAIL_LINK_MISMATCH] =
        {"[link_host_mismatch] a link shows %s but leads to %s: the text disguises where it "
         "goes; do not open it",
         "[link_host_mismatch] リンクの表示は %s ですが、実際の行き先は %s です。"
         "表示と行き先が違うリンクは偽装の疑いがあります。開かないでください。"},
    [SK_M_NOTIFY_MAIL_BODY] = {"%s\n\nReference: %s\nOpen: %s\n\nThis message was sent by "
                               "sekisho. Log in to see the details.\n",
                               "%s\n\n参照番号: %s\n確認先: %s\n\nこのメールは sekisho が自動で"
                               "送信しています。詳しい内容は sekisho にログインしてご確認ください。"
                               "\n"},
    [SK_M_ROLE_OWN_GRANT] = {"nobody may grant a role to themselves (separation of duties)",
                             "自分自身に役割を与えることはできません（職務の分離）"},
    [SK_M_ROLE_OWN_REVOKE] = {"nobody may revoke a role of their own (separation of duties)",
                              "自分自身の役割を取り消すことはできません（職務の分離）"},
    [SK_M_ROLE_RANK_GRANT] = {"'%s' stands at or above your own role: only a holder of a "
                              "higher role may grant it",
                              "'%s' はあなたの役割と同じかそれより上位です。より上位の役割の者"
                              "だけが与えられます"},
    [SK_M_ROLE_RANK_REVOKE] = {"'%s' stands at or above your own role: only a holder of a "
                               "higher role may revoke it",
                               "'%s' はあなたの役割と同じかそれより上位です。より上位の役割の"
                               "者だけが取り消せます"},
#define M(id, en, ja) [SK_M_##id] = {en, ja},
#include "sk_msg_text.def"
#include "sk_msg_domain.def"
#include "sk_msg_cli.def"
#include "sk_msg_help.def"
#include "sk_msg_ui.def"
#undef M
};

const char *sk_lang_code(sk_lang l) { return l == SK_LANG_JA ? "ja" : "en"; }

/* The q of one Accept-Language element's parameters ("; q=0.5"), in thousandths. */
static int qvalue(const char *p, const char *end)
{
	while (p < end) {
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			p += 2;
			int q = 0, scale = 1000;
			if (p < end && *p == '1')
				return 1000;
			if (p < end && *p == '0')
				p++;
			if (p < end && *p == '.')
				for (p++; p < end && *p >= '0' && *p <= '9' && scale > 1; p++)
					q += (*p - '0') * (scale /= 10);
			return q;
		}
		while (p < end && *p != ';')
			p++;
	}
	return 1000;
}

sk_lang sk_lang_from_accept(const char *h, size_t n, sk_lang dflt)
{
	int best_ja = -1, best_en = -1;
	const char *p = h, *end = h ? h + n : NULL;
	while (p && p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		while (p < stop && (*p == ' ' || *p == '\t'))
			p++;
		const char *tag = p;
		while (p < stop && *p != ';' && *p != ' ')
			p++;
		size_t tl = (size_t)(p - tag);
		int q = qvalue(p, stop);
		bool star = tl == 1 && tag[0] == '*';
		if (star ||
		    (tl >= 2 && strncasecmp(tag, "ja", 2) == 0 && (tl == 2 || tag[2] == '-')))
			best_ja = q > best_ja ? q : best_ja;
		if (star ||
		    (tl >= 2 && strncasecmp(tag, "en", 2) == 0 && (tl == 2 || tag[2] == '-')))
			best_en = q > best_en ? q : best_en;
		p = stop + (comma != NULL);
	}
	if (best_ja <= 0 && best_en <= 0)
		return dflt;
	if (best_ja == best_en)
		return dflt;
	return best_ja > best_en ? SK_LANG_JA : SK_LANG_EN;
}

static int forced = -1; /* sk_lang_set_env's, or -1 */

void sk_lang_set_env(sk_lang l) { forced = (int)l; }

sk_lang sk_lang_from_env(void)
{
	if (forced >= 0)
		return (sk_lang)forced;
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "ja", 2) == 0 ? SK_LANG_JA : SK_LANG_EN;
	}
	/* No locale at all (a bare root shell, a container): the city's language. */
	return SK_LANG_JA;
}

/* The web UI's sentences by name, sorted once (sk_msg_find answers by binary search). */
typedef struct msg_name {
	const char *key;
	sk_msg_id id;
} msg_name;
static msg_name names[] = {
#define M(id, en, ja) {#id, SK_M_##id},
#include "sk_msg_ui.def"
#undef M
};
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static int by_key(const void *a, const void *b)
{
	return strcmp(((const msg_name *)a)->key, ((const msg_name *)b)->key);
}

static void sort_names(void)
{
	qsort(names, sizeof(names) / sizeof(names[0]), sizeof(names[0]), by_key);
}

int sk_msg_find(const char *key)
{
	pthread_once(&names_once, sort_names);
	const msg_name want = {key, 0}, *m = bsearch(&want, names, sizeof(names) / sizeof(names[0]),
	                                             sizeof(names[0]), by_key);
	return m ? (int)m->id : -1;
}

const char *sk_msg_format(sk_msg_id id, sk_lang l)
{
	if ((unsigned)id >= SK_M__COUNT)
		return "";
	return l == SK_LANG_JA ? catalog[id].ja : catalog[id].en;
}

/*
 * fmt with "{f}" replaced by field and "{m}" by inner, their '%' doubled so
 * printf shows them as they are. NULL when out of memory.
 */
static char *with_field(const char *fmt, const char *field, const char *inner)
{
	size_t fl = field ? strlen(field) : 0, il = inner ? strlen(inner) : 0, n = 1;
	for (const char *p = fmt; *p; p++)
		n += p[0] == '{' && (p[1] == 'f' || p[1] == 'm') && p[2] == '}'
		         ? 2 * (p[1] == 'f' ? fl : il)
		         : 1;
	char *out = malloc(n);
	if (!out)
		return NULL;
	size_t o = 0;
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '{' && (p[1] == 'f' || p[1] == 'm') && p[2] == '}') {
			const char *sub = p[1] == 'f' ? field : inner;
			for (const char *f = sub ? sub : ""; *f; f++) {
				if (*f == '%')
					out[o++] = '%';
				out[o++] = *f;
			}
			p += 2;
			continue;
		}
		out[o++] = *p;
	}
	out[o] = '\0';
	return out;
}

/* Appends fmt (its "{f}" and "{m}" filled first) with ap to out. */
static sk_err render(sk_buf *out, const char *fmt, const char *field, const char *inner, va_list ap)
{
	char *f = with_field(fmt, field, inner);
	if (!f)
		return SK_ERR_NOMEM;
	sk_err e = sk_buf_vaddf(out, f, ap);
	free(f);
	return e;
}

/* Records the message id in both languages in err; inner_en/_ja fill "{m}". */
static void fail_both(sk_buf *err, const char *field, const char *field_ja, const char *inner_en,
                      const char *inner_ja, sk_msg_id id, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	sk_buf en = SK_BUF_INIT(err->max ? err->max : SK_BUF_MSG_MAX);
	sk_buf ja = SK_BUF_INIT(err->max ? err->max : SK_BUF_MSG_MAX);
	(void)render(&en, sk_msg_format(id, SK_LANG_EN), field, inner_en, ap);
	(void)render(&ja, sk_msg_format(id, SK_LANG_JA), field_ja ? field_ja : field, inner_ja,
	             ap2);
	va_end(ap2);
	sk_buf_reset(err);
	(void)sk_buf_add(err, en.data, en.len);
	/* a failed copy leaves the English text, which still says it */
	err->ja = ja.len ? sk_buf_detach(&ja) : NULL;
	err->field = field;
	sk_buf_free(&en);
	sk_buf_free(&ja);
}

sk_err sk_fail_msg(sk_buf *err, sk_err code, const char *field, const char *field_ja, sk_msg_id id,
                   ...)
{
	if (!err)
		return code;
	va_list ap;
	va_start(ap, id);
	fail_both(err, field, field_ja, NULL, NULL, id, ap);
	va_end(ap);
	return code;
}

sk_err sk_fail_wrap(sk_buf *err, sk_err code, const char *field, const char *field_ja, sk_msg_id id,
                    ...)
{
	if (!err)
		return code;
	char *en = strdup(err->data), *ja = strdup(err->ja ? err->ja : err->data);
	if (!field)
		field = err->field;
	va_list ap;
	va_start(ap, id);
	fail_both(err, field, field_ja, en ? en : "", ja ? ja : "", id, ap);
	va_end(ap);
	free(en);
	free(ja);
	return code;
}

sk_err sk_fail_texts(sk_buf *err, sk_err code, const char *field, const char *en, const char *ja)
{
	if (!err)
		return code;
	sk_buf_reset(err);
	(void)sk_buf_adds(err, en ? en : "");
	err->ja = ja ? strdup(ja) : NULL;
	err->field = field;
	return code;
}

sk_err sk_msg_addf(sk_buf *out, sk_lang l, sk_msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	sk_err e = render(out, sk_msg_format(id, l), NULL, NULL, ap);
	va_end(ap);
	return e;
}

sk_lang sk_lang_of_code(const char *code)
{
	return code && strcmp(code, "en") == 0 ? SK_LANG_EN : SK_LANG_JA;
}

const char *sk_err_str_lang(sk_err e, sk_lang l)
{
	return l == SK_LANG_JA ? sk_err_str_ja(e) : sk_err_str(e);
}

const char *sk_msg_of(const sk_buf *err, sk_err e, sk_lang l)
{
	if (!err || !err->len)
		return sk_err_str_lang(e, l);
	return l == SK_LANG_JA && err->ja ? err->ja : err->data;
}
