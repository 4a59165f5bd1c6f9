/* sk_err: the error table. One row per error, in enum order. */
#include "sk_err.h"

#include <stdarg.h>

#include "sk_buf.h"

static const struct {
	const char *code;
	const char *msg; /* English */
	int http;
	int exit;
	const char *ja; /* the same sentence in Japanese */
} err_table[SK_ERR__COUNT] = {
    [SK_OK] = {"ok", "success", 200, 0, "成功しました"},
    [SK_ERR_NOMEM] = {"out_of_memory", "out of memory", 503, 70, "メモリが不足しています"},
    [SK_ERR_INVALID] = {"invalid_input", "invalid input", 400, 2, "入力が正しくありません"},
    [SK_ERR_NOT_FOUND] = {"not_found", "not found", 404, 2, "見つかりません"},
    [SK_ERR_EXISTS] = {"exists", "already exists", 409, 2, "すでに存在します"},
    [SK_ERR_DENIED] = {"forbidden", "permission denied", 403, 2, "権限がありません"},
    [SK_ERR_AUTH] = {"unauthorized", "authentication required or failed", 401, 2,
                     "ログインが必要です。またはログインに失敗しました"},
    [SK_ERR_LOCKED] = {"locked", "account locked", 423, 2, "アカウントがロックされています"},
    [SK_ERR_TOO_BIG] = {"too_large", "size limit exceeded", 413, 2, "大きさの上限を超えています"},
    [SK_ERR_IO] = {"io_error", "input/output error", 500, 2, "入出力でエラーが発生しました"},
    [SK_ERR_STORE] = {"storage_error", "database error", 500, 2,
                      "データベースでエラーが発生しました"},
    [SK_ERR_CORRUPT] = {"integrity_failure", "integrity check failed", 500, 1,
                        "完全性の検証に失敗しました"},
    [SK_ERR_CONFLICT] = {"conflict", "conflicts with the current state", 409, 2,
                         "現在の状態と矛盾します"},
    [SK_ERR_UNSUPPORTED] = {"unsupported", "not supported", 501, 2, "対応していません"},
    [SK_ERR_TEMPFAIL] = {"temporary_failure", "temporary failure, try again", 503, 75,
                         "一時的に処理できません。しばらくしてから再度お試しください"},
    [SK_ERR_INTERNAL] = {"internal_error", "internal error", 500, 70, "内部エラーが発生しました"},
    [SK_ERR_MUST_CHANGE_PASSWORD] = {"must_change_password",
                                     "the temporary password must be changed first", 403, 2,
                                     "先に仮パスワードを変更してください"},
    [SK_ERR_THROTTLED] = {"too_many_attempts", "too many failed attempts, try again later", 429, 75,
                          "失敗した試行が多すぎます。しばらくしてから再度お試しください"},
    [SK_ERR_MUST_ENROLL_TOTP] = {"must_enroll_totp",
                                 "a one-time code (TOTP) must be enrolled first", 403, 2,
                                 "先にワンタイムパスワード（TOTP）を登録してください"},
    /* 422: the request is well formed but the policy refuses it (issue #13's contract). */
    [SK_ERR_FORBIDDEN_BY_POLICY] = {"forbidden_by_policy", "forbidden by the policy", 422, 2,
                                    "ポリシーにより禁止されています"},
    [SK_ERR_SELF_APPROVAL] = {"self_approval", "an approver cannot decide their own request", 403,
                              2, "自分の申請を承認することはできません"},
};

static int valid(sk_err e) { return (int)e >= 0 && e < SK_ERR__COUNT; }

const char *sk_err_code(sk_err e) { return valid(e) ? err_table[e].code : "internal_error"; }
const char *sk_err_str(sk_err e) { return valid(e) ? err_table[e].msg : "unknown error"; }
const char *sk_err_str_ja(sk_err e) { return valid(e) ? err_table[e].ja : "不明なエラーです"; }
int sk_err_http_status(sk_err e) { return valid(e) ? err_table[e].http : 500; }
int sk_err_exit_code(sk_err e) { return valid(e) ? err_table[e].exit : 70; }

/* sk_fail and sk_fail_at: the message in err (if any), naming field. */
static void vfail(struct sk_buf *err, const char *field, const char *fmt, va_list ap)
{
	if (!err)
		return;
	sk_buf_reset(err);
	/* A message too long for the buffer's cap is cut, never dropped. */
	(void)sk_buf_vaddf(err, fmt, ap);
	err->field = field;
}

sk_err sk_fail(struct sk_buf *err, sk_err code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, NULL, fmt, ap);
	va_end(ap);
	return code;
}

sk_err sk_fail_at(struct sk_buf *err, sk_err code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, field, fmt, ap);
	va_end(ap);
	return code;
}
