/*
 * schema: the field tables of every record type and the checks that read
 * them. Limits that a domain module also needs (a login's length, a unit
 * code's) are that module's macros, named here, so each has one value.
 */
#include "schema.h"

#include <stdio.h>
#include <string.h>

#include "../auth/password.h"
#include "../core/sk_msg.h"
#include "../auth/totp.h"
#include "../core/sk_utf8.h"
#include "asset.h"
#include "incident.h"
#include "notify.h"
#include "org.h"
#include "policyver.h"
#include "user.h"

#define TEXT_MAX SK_ASSET_TEXT_MAX
#define NOTE_MAX SK_ASSET_NOTE_MAX
#define WORD_MAX 64 /* a vocabulary word, or its Japanese name */
#define REF_MAX  64 /* an id or a code */

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* --- the information asset register (八王子 7(2)ア〜ク, SPEC C5) --- */

static const sk_field asset_fields[SK_AF__COUNT] = {
    [SK_AF_UNIT] = {"unit", "所管課", "Owning unit", SK_FT_REF, REF_MAX, 0, 0, SK_FF_REQUIRED,
                    "所管|所属|課名|owning_unit", "所管する課の番号またはコード",
                    "the owning unit's id or code"},
    [SK_AF_TYPE] = {"type", "情報資産の種類", "Type", SK_FT_WORD, WORD_MAX, 0, 0, SK_FF_REQUIRED,
                    "種類|種別",
                    "ハードウェア、ソフトウェア、媒体、施設、文書、データ、ネットワーク、システム",
                    "hardware, software, media, facility, document, data, network or system"},
    [SK_AF_NAME] = {"name", "名称・型番", "Name and model", SK_FT_TEXT, TEXT_MAX, 0, 0,
                    SK_FF_REQUIRED, "名称|情報資産名|資産名", "情報資産の名称または型番",
                    "the asset's name or model"},
    [SK_AF_QUANTITY] = {"quantity", "台数・個数", "Quantity", SK_FT_INT, 0, 0, 1000000000, 0,
                        "台数|個数|数量", "台数または個数（省略時は1）", "how many (default 1)"},
    [SK_AF_LOCATION] = {"location", "保管場所", "Storage location", SK_FT_TEXT, TEXT_MAX, 0, 0,
                        SK_FF_DETAIL, "", "保管している場所", "where it is kept"},
    [SK_AF_BACKUP] = {"backup", "バックアップの有無", "Backup", SK_FT_BOOL, 0, 0, 0, 0,
                      "バックアップ", "あり／なし", "whether a backup exists"},
    [SK_AF_DISPOSAL_METHOD] = {"disposal_method", "廃棄方法", "Disposal method", SK_FT_TEXT,
                               TEXT_MAX, 0, 0, 0, "", "廃棄するときの方法",
                               "how it is to be disposed of"},
    [SK_AF_CONF] = {"conf", "機密性", "Confidentiality", SK_FT_LEVEL, 32, 0, 0, SK_FF_REQUIRED, "",
                    "ポリシーの定める機密性の区分",
                    "confidentiality level as the profile names it"},
    [SK_AF_INTEG] = {"integ", "完全性", "Integrity", SK_FT_LEVEL, 32, 0, 0, SK_FF_REQUIRED, "",
                     "ポリシーの定める完全性の区分", "integrity level as the profile names it"},
    [SK_AF_AVAIL] = {"avail", "可用性", "Availability", SK_FT_LEVEL, 32, 0, 0, SK_FF_REQUIRED, "",
                     "ポリシーの定める可用性の区分", "availability level as the profile names it"},
    [SK_AF_MANAGER] = {"manager", "管理責任者", "Responsible manager", SK_FT_TEXT, TEXT_MAX, 0, 0,
                       SK_FF_REQUIRED, "", "管理の責任を負う者", "who is responsible for it"},
    [SK_AF_ZONE] = {"zone", "ネットワーク区分", "Network zone", SK_FT_WORD, WORD_MAX, 0, 0,
                    SK_FF_REQUIRED, "ネットワーク|系統",
                    "マイナンバー利用事務系、LGWAN接続系、インターネット接続系",
                    "mynumber, lgwan or internet"},
    [SK_AF_PERSONAL] = {"personal", "個人情報", "Personal information", SK_FT_BOOL, 0, 0, 0, 0,
                        "個人情報の有無", "個人情報を含むか", "holds personal information"},
    [SK_AF_MYNUMBER] = {"mynumber", "特定個人情報", "Specific personal information", SK_FT_BOOL, 0,
                        0, 0, 0, "特定個人情報の有無",
                        "特定個人情報（マイナンバーを含む個人情報）を含むか",
                        "holds 特定個人情報 (implies personal information)"},
    [SK_AF_RECOVERY_HOURS] = {"recovery_hours", "復旧目標時間", "Recovery time (hours)", SK_FT_INT,
                              0, 1, 8784, 0, "復旧時間", "最も高い可用性の資産のみ：復旧までの時間",
                              "hours to recover (highest availability level only)"},
    [SK_AF_ACQUIRED_ON] = {"acquired_on", "取得日", "Acquired on", SK_FT_DATE, 64, 0, 0, SK_FF_PAST,
                           "取得年月日|登録日", "西暦または和暦（令和7年4月1日）",
                           "a date, western or 和暦"},
    [SK_AF_NOTE] = {"note", "備考", "Note", SK_FT_LONGTEXT, NOTE_MAX, 0, 0, SK_FF_DETAIL, "",
                    "備考", "a note"},
    [SK_AF_NUMBER] = {"asset_number", "管理番号", "Asset number", SK_FT_TEXT, 64, 0, 0, 0,
                      "資産番号|台帳番号|管理No.|管理No|管理ＮＯ．",
                      "市の台帳の管理番号（一意。再取込みでは同じ番号の資産を更新）",
                      "the city's own number, unique; a re-import updates the asset holding it"},
};

const sk_schema sk_schema_asset = {"asset", "情報資産", "Information asset", asset_fields,
                                   N(asset_fields)};

/* The columns the register adds to what is entered: shown and exported, never written. */
static const sk_field asset_record_fields[] = {
    {"id", "登録番号", "Register id", SK_FT_INT, 0, 1, INT64_MAX, 0, "", "sekisho が付けた登録番号",
     "the number sekisho gave the asset"},
    {"label", "分類の表示", "Classification label", SK_FT_TEXT, TEXT_MAX, 0, 0, 0, "",
     "分類から定まる表示", "the label the classification gives"},
    {"status", "状態", "Status", SK_FT_WORD, WORD_MAX, 0, 0, 0, "", "使用中または廃棄済み",
     "active or disposed"},
    {"disposed_on", "廃棄日", "Disposed on", SK_FT_DATE, 64, 0, 0, 0, "", "廃棄した日",
     "the day it was disposed of"},
    {"disposal_operator", "廃棄担当者", "Disposed of by", SK_FT_TEXT, TEXT_MAX, 0, 0, SK_FF_DETAIL,
     "", "廃棄を行った担当者", "who carried out the disposal"},
    {"disposal_record", "廃棄処理内容", "Disposal record", SK_FT_LONGTEXT, NOTE_MAX, 0, 0,
     SK_FF_DETAIL, "", "方法、事業者、証明書番号", "method, company, certificate number"},
    {"updated_at", "更新日時", "Updated at", SK_FT_TEXT, 64, 0, 0, 0, "", "最後に変更した日時",
     "when it last changed"},
};
const sk_schema sk_schema_asset_record = {"asset_record", "情報資産台帳の記録",
                                          "Asset register record", asset_record_fields,
                                          N(asset_record_fields)};

const sk_field *sk_schema_asset_column(const char *key)
{
	const sk_field *f = sk_schema_field(&sk_schema_asset, key);
	return f ? f : sk_schema_field(&sk_schema_asset_record, key);
}

/* 八王子 7(9)イ: 廃棄の日時、担当者及び処理内容を記録する. */
static const sk_field dispose_fields[] = {
    {"operator", "廃棄担当者", "Person in charge", SK_FT_TEXT, TEXT_MAX, 0, 0,
     SK_FF_REQUIRED | SK_FF_DETAIL, "", "廃棄を行った担当者", "who carried out the disposal"},
    {"record", "廃棄処理内容", "Disposal record", SK_FT_LONGTEXT, NOTE_MAX, 0, 0,
     SK_FF_REQUIRED | SK_FF_DETAIL, "", "方法、事業者、証明書番号",
     "method, company, certificate number"},
    {"on", "廃棄日", "Disposed on", SK_FT_DATE, 64, 0, 0, SK_FF_PAST, "",
     "省略時は今日。取得日（なければ登録日）より前、今日より後は不可",
     "date (default today); not before the asset was acquired (or registered), nor in the "
     "future"},
};
const sk_schema sk_schema_asset_dispose = {"asset_dispose", "情報資産の廃棄", "Asset disposal",
                                           dispose_fields, N(dispose_fields)};

/* Removing a row entered by mistake: a correction of the register, not a disposal (廃棄). */
static const sk_field remove_fields[] = {
    {"reason", "訂正の理由", "Reason", SK_FT_LONGTEXT, 1000, 0, 0, SK_FF_REQUIRED, "",
     "誤って登録した理由（例: 二重登録、別の課の資産）",
     "why the row was a mistake (entered twice, another unit's asset)"},
};
const sk_schema sk_schema_asset_remove = {"asset_remove", "情報資産の登録の取消し",
                                          "Removal of an asset entered by mistake", remove_fields,
                                          N(remove_fields)};

/* --- decisions (SPEC §3) --- */

static const sk_field asset_decision_fields[] = {
    {"asset_id", "情報資産", "Asset", SK_FT_INT, 0, 1, INT64_MAX, SK_FF_REQUIRED, "",
     "判断の対象となる情報資産", "the asset"},
    {"action", "行為", "Action", SK_FT_WORD, WORD_MAX, 0, 0, SK_FF_REQUIRED, "",
     "持ち出し、外部提供、廃棄など", "a SPEC §3 action"},
};
const sk_schema sk_schema_asset_decision = {"asset_decision", "取扱いの判断", "Handling decision",
                                            asset_decision_fields, N(asset_decision_fields)};

static const sk_field decide_fields[] = {
    {"action", "行為", "Action", SK_FT_WORD, WORD_MAX, 0, 0, SK_FF_REQUIRED, "",
     "持ち出し、外部提供、廃棄など", "a SPEC §3 action"},
    {"conf", "機密性", "Confidentiality", SK_FT_LEVEL, 32, 0, 0, 0, "", "機密性の区分",
     "confidentiality level"},
    {"integ", "完全性", "Integrity", SK_FT_LEVEL, 32, 0, 0, 0, "", "完全性の区分",
     "integrity level"},
    {"avail", "可用性", "Availability", SK_FT_LEVEL, 32, 0, 0, 0, "", "可用性の区分",
     "availability level"},
    {"mynumber", "特定個人情報", "Specific personal information", SK_FT_BOOL, 0, 0, 0, 0, "",
     "特定個人情報を含むか（個人情報を含むことになる）", "holds 特定個人情報 (implies personal)"},
    {"personal", "個人情報", "Personal information", SK_FT_BOOL, 0, 0, 0, 0, "", "個人情報を含むか",
     "holds personal information"},
    {"zone", "ネットワーク区分", "Network zone", SK_FT_WORD, WORD_MAX, 0, 0, 0, "",
     "資産のあるネットワーク", "mynumber, lgwan or internet"},
    {"to_zone", "接続先のネットワーク区分", "Other end's zone", SK_FT_WORD, WORD_MAX, 0, 0, 0, "",
     "接続・通信の相手側のネットワーク", "the other end's zone (mynumber, lgwan or internet)"},
    {"asset_type", "情報資産の種類", "Asset type", SK_FT_WORD, WORD_MAX, 0, 0, 0, "",
     "ハードウェア、媒体、文書など", "a SPEC C5 asset type"},
    {"actor_role", "行為者の役割", "Actor's role", SK_FT_WORD, WORD_MAX, 0, 0, 0, "",
     "行為を行う者の役割", "the actor's role"},
};
const sk_schema sk_schema_decide = {"decide", "取扱いの判断", "Handling decision", decide_fields,
                                    N(decide_fields)};

/* --- policy versions (issue #16, policyver.h) --- */

/* The unit kinds a version of the policy set applies to (policyset.h): a
 * detail of a policy_activation request and the body of a set change. */
#define F_UNITS_OF_KIND(flags)                                                                                             \
	{                                                                                                                  \
		"units_of_kind", "組織の種類", "Units of kind", SK_FT_TEXT, 160, 0, 0, (flags),                            \
		    "",                                                                                                    \
		    "ポリシーセットの変更: この版を適用する組織の種類（カンマ区切り。none " \
		    "で外す）",                                                                                            \
		    "a change of the policy set: the unit kinds the version applies to "                                   \
		    "(comma-separated; "                                                                                   \
		    "none takes it out)"                                                                                   \
	}

static const sk_field policy_import_fields[] = {
    {"source", "取込元", "Source", SK_FT_TEXT, 200, 0, 0, SK_FF_REQUIRED, "",
     "ファイル名など、版の出どころ", "a file name: where the version came from"},
    {"text", "ポリシーの本文", "Profile text", SK_FT_LONGTEXT, SK_POLICYVER_TEXT_MAX, 0, 0,
     SK_FF_REQUIRED, "", "プロファイル（YAML）の全文", "the whole profile (YAML)"},
};
const sk_schema sk_schema_policy_import = {"policy_import", "ポリシーの取込み", "Policy import",
                                           policy_import_fields, N(policy_import_fields)};

static const sk_field policy_set_fields[] = {F_UNITS_OF_KIND(SK_FF_REQUIRED)};
const sk_schema sk_schema_policy_set = {"policy_set", "ポリシーセットの変更", "Policy set change",
                                        policy_set_fields, N(policy_set_fields)};

/* --- organization and accounts (SPEC C2, C3) --- */

static const sk_field unit_fields[] = {
    {"code", "組織コード", "Unit code", SK_FT_TEXT, SK_ORG_CODE_MAX, 0, 0, SK_FF_REQUIRED, "",
     "英数字のコード（例 joho）", "letters, digits, '.', '_' or '-'"},
    {"name", "組織名", "Unit name", SK_FT_TEXT, SK_ORG_NAME_MAX, 0, 0, SK_FF_REQUIRED, "",
     "例 情報管理課", "e.g. 情報管理課"},
    {"kind", "組織の種類", "Unit kind", SK_FT_WORD, WORD_MAX, 0, 0, SK_FF_REQUIRED, "",
     "部、課、指定管理者、委託事業者", "department, section, designated_manager or contractor"},
    {"parent", "上位組織", "Parent unit", SK_FT_REF, REF_MAX, 0, 0, SK_FF_REQUIRED, "",
     "上位の組織の番号またはコード", "the parent unit's id or code"},
};
const sk_schema sk_schema_unit = {"unit", "組織", "Unit", unit_fields, N(unit_fields)};

static const sk_field user_fields[] = {
    {"login", "ログインID", "Login", SK_FT_TEXT, SK_LOGIN_MAX, 0, 0, SK_FF_REQUIRED, "",
     "英小文字・数字・'.'・'_'・'-'", "lower-case letters, digits, '.', '_' or '-'"},
    {"name", "氏名", "Name", SK_FT_TEXT, SK_USER_NAME_MAX, 0, 0, SK_FF_REQUIRED, "", "利用者の氏名",
     "the person's name"},
    {"unit", "所属", "Unit", SK_FT_REF, REF_MAX, 0, 0, SK_FF_REQUIRED, "",
     "所属する組織の番号またはコード", "the unit's id or code"},
    {"kind", "利用者の種類", "Account kind", SK_FT_WORD, WORD_MAX, 0, 0, 0, "",
     "職員、委託事業者、指定管理者", "staff, contractor or designated_manager"},
    {"roles", "役割", "Roles", SK_FT_WORDS, 12, 0, 0, SK_FF_REQUIRED, "", "その組織で与える役割",
     "roles granted at the unit"},
    {"email", "メールアドレス", "Mail address", SK_FT_TEXT, SK_NOTIFY_ADDR_MAX, 0, 0, 0, "",
     "通知メールの宛先（なければ画面上の通知のみ）",
     "where notification mail goes (none: in-app notifications only)"},
};
const sk_schema sk_schema_user = {"user", "利用者", "Account", user_fields, N(user_fields)};

static const sk_field role_grant_fields[] = {
    {"login", "ログインID", "Login", SK_FT_TEXT, SK_LOGIN_MAX, 0, 0, SK_FF_REQUIRED, "",
     "役割を与える利用者", "the account"},
    {"role", "役割", "Role", SK_FT_WORD, 32, 0, 0, SK_FF_REQUIRED, "", "SPEC §3 の役割",
     "a SPEC §3 role"},
    {"unit", "組織", "Unit", SK_FT_REF, REF_MAX, 0, 0, SK_FF_REQUIRED, "", "組織の番号またはコード",
     "the unit's id or code"},
};
const sk_schema sk_schema_role_grant = {"role_grant", "役割の付与", "Role grant", role_grant_fields,
                                        N(role_grant_fields)};

/* --- authentication --- */

static const sk_field login_fields[] = {
    {"login", "ログインID", "Login", SK_FT_TEXT, SK_LOGIN_MAX, 0, 0, SK_FF_REQUIRED, "",
     "ログインID", "the account's login"},
    {"password", "パスワード", "Password", SK_FT_SECRET, SK_PASSWORD_MAX, 0, 0, SK_FF_REQUIRED, "",
     "パスワード", "the password"},
    {"totp", "確認コード", "One-time code", SK_FT_SECRET, 16, 0, 0, 0, "",
     "認証アプリの6桁のコード", "a one-time code where the profile demands MFA"},
};
const sk_schema sk_schema_login = {"login", "ログイン", "Log in", login_fields, N(login_fields)};

static const sk_field password_fields[] = {
    {"old", "現在のパスワード", "Current password", SK_FT_SECRET, SK_PASSWORD_MAX, 0, 0,
     SK_FF_REQUIRED, "", "現在のパスワード", "the current password"},
    {"new", "新しいパスワード", "New password", SK_FT_SECRET, SK_PASSWORD_MAX, 0, 0, SK_FF_REQUIRED,
     "", "新しいパスワード", "the new password"},
};
const sk_schema sk_schema_password_change = {
    "password_change", "パスワードの変更", "Password change", password_fields, N(password_fields)};

static const sk_field totp_enroll_fields[] = {
    {"password", "パスワード", "Password", SK_FT_SECRET, SK_PASSWORD_MAX, 0, 0, SK_FF_REQUIRED, "",
     "本人確認のためのパスワード", "the account's password, given again"},
};
const sk_schema sk_schema_totp_enroll = {"totp_enroll", "二要素認証の登録", "TOTP enrollment",
                                         totp_enroll_fields, N(totp_enroll_fields)};

static const sk_field totp_confirm_fields[] = {
    {"code", "確認コード", "One-time code", SK_FT_SECRET, 16, 0, 0, SK_FF_REQUIRED, "",
     "認証アプリの現在の6桁のコード", "the authenticator's current 6-digit code"},
};
const sk_schema sk_schema_totp_confirm = {"totp_confirm", "二要素認証の確認", "TOTP confirmation",
                                          totp_confirm_fields, N(totp_confirm_fields)};

/* --- requests and approvals (SPEC C7, issue #13) --- */

/*
 * Every kind's details are required only where the contract or a seed asks
 * for them; the rest may be given. Dates are YYYY-MM-DD (or 和暦) and are
 * checked by the domain (from <= until).
 */
#define RQ_DATE(k, ja, en, fl, hja, hen)                                                           \
	{                                                                                          \
		k, ja, en, SK_FT_DATE, 64, 0, 0, fl, "", hja, hen                                  \
	}
#define RQ_TEXT(k, ja, en, fl, hja, hen)                                                           \
	{                                                                                          \
		k, ja, en, SK_FT_TEXT, TEXT_MAX, 0, 0, fl, "", hja, hen                            \
	}
#define RQ_NOTE(k, ja, en, fl, hja, hen)                                                           \
	{                                                                                          \
		k, ja, en, SK_FT_LONGTEXT, NOTE_MAX, 0, 0, fl, "", hja, hen                        \
	}
#define RQ_BOOL(k, ja, en, fl, hja, hen)                                                           \
	{                                                                                          \
		k, ja, en, SK_FT_BOOL, 0, 0, 0, fl, "", hja, hen                                   \
	}
#define R SK_FF_REQUIRED

/* 持ち出し: 成田 基準 4(1)①エ（情報システム管理者の許可）・オ（持ち出しの記録）, 八王子 7(7)イ,
 * 10(8). */
static const sk_field rq_take_out[] = {
    RQ_TEXT("destination", "持ち出し先", "Destination", R, "持ち出す先", "where it goes"),
    RQ_DATE("from", "持ち出し日", "From", R, "持ち出す日（YYYY-MM-DD）", "first day (YYYY-MM-DD)"),
    RQ_DATE("until", "返却予定日", "Until", R, "戻す予定の日（持ち出し日以降）",
            "day it comes back (not before from)"),
    RQ_TEXT("purpose", "目的", "Purpose", R, "持ち出す目的（業務上の必要）",
            "why (the business need, 成田 基準 4(1)①エ)"),
    RQ_TEXT("items", "持ち出す物", "Items", 0, "台帳にない物を持ち出すときの品名",
            "what is taken, when it is not a registered asset"),
};
static const sk_field fu_take_out[] = {
    RQ_DATE("taken_out_on", "持ち出した日", "Taken out on", 0, "実際に持ち出した日",
            "the day it actually left"),
    RQ_DATE("returned_on", "返却日", "Returned on", 0, "返却した日（これで完了）",
            "the day it came back (completes the request)"),
};

/* 運搬: 成田 基準 2(2)⑧（情報セキュリティ管理者の許可）, 八王子 7(7)ア. */
static const sk_field rq_transport[] = {
    RQ_TEXT("destination", "運搬先", "Destination", R, "運搬する先", "where it goes"),
    RQ_DATE("on", "運搬日", "On", R, "運搬する日", "the day of the transport"),
    RQ_TEXT("method", "運搬方法", "Method", 0, "手渡し、郵送など", "by hand, by post …"),
    RQ_TEXT("purpose", "目的", "Purpose", R, "運搬する目的", "why"),
};
static const sk_field fu_transport[] = {
    RQ_DATE("delivered_on", "到着日", "Delivered on", R, "届いた日", "the day it arrived"),
};

/* 外部提供: 成田 基準 2(2)⑨ア・イ, 八王子 7(8)ア（許可をとり、記録を残す）, 新潟 別記 第6条. */
static const sk_field rq_provide[] = {
    RQ_TEXT("recipient", "提供先", "Recipient", R, "提供する相手", "who receives it"),
    RQ_TEXT("purpose", "目的", "Purpose", R, "提供する目的", "why"),
    RQ_TEXT("method", "提供方法", "Method", R, "電子メール、媒体の手渡しなど",
            "e-mail, handing over media …"),
    RQ_TEXT("agreement", "契約・取決め", "Agreement", 0, "提供の根拠となる契約又は取決め",
            "the contract or agreement the provision rests on"),
};
static const sk_field fu_provide[] = {
    RQ_DATE("provided_on", "提供日", "Provided on", R, "提供した日", "the day it was provided"),
};

/* 持ち込み: 成田 基準 3(2)③ア・イ, 5(4)③イ（ウイルス検査）, 八王子 10(8), 17(3). */
static const sk_field rq_carry_in[] = {
    RQ_TEXT("item", "持ち込む物", "Item", R, "機器又は記録媒体", "the equipment or media"),
    RQ_TEXT("purpose", "目的", "Purpose", R, "持ち込む目的", "why"),
    RQ_DATE("on", "持ち込み日", "On", R, "持ち込む日", "the day"),
};

/* 複製: 八王子 7(3)（機密性3は原則複製禁止）, 成田 基準 2(2)②. */
static const sk_field rq_copy[] = {
    {"copies", "部数", "Copies", SK_FT_INT, 0, 1, 1000, R, "", "作る複製の数", "how many copies"},
    RQ_TEXT("purpose", "目的", "Purpose", R, "複製する目的", "why"),
    RQ_TEXT("medium", "複製先の媒体", "Medium", 0, "複製を置く媒体", "what the copy goes on"),
};

/* 廃棄: 成田 基準 2(2)⑩イ（日時、担当者及び処理内容を記録）, 八王子 7(9)イ, 15(1)ク（証明書）. */
static const sk_field rq_dispose[] = {
    RQ_TEXT("method", "廃棄方法", "Method", R, "消去、物理的破壊、溶解など",
            "erasure, destruction, dissolution …"),
    RQ_DATE("date", "廃棄日", "Date", R, "廃棄する日", "the day of the disposal"),
    RQ_TEXT("person_in_charge", "担当者", "Person in charge", R, "廃棄を行う担当者",
            "who carries it out (成田 基準 2(2)⑩イ)"),
    RQ_TEXT("operator_company", "廃棄事業者", "Operator company", 0, "委託する事業者",
            "the company doing it, when outsourced"),
    RQ_TEXT("serial_number", "製造番号", "Serial number", 0, "機器の製造番号",
            "the device's serial"),
};
static const sk_field fu_dispose[] = {
    RQ_TEXT("certificate", "廃棄証明書", "Disposal certificate", R, "受領した証明書の番号",
            "the number of the certificate received (八王子 15(1)ク)"),
    RQ_DATE("disposed_on", "廃棄した日", "Disposed on", 0, "省略時は廃棄日",
            "default: the date filed"),
};

/* ソフトウェア導入: 八王子 16(10)（許可を得て、使用許諾条件を確認した上で）, 成田 基準 5(1)⑮. */
static const sk_field rq_install[] = {
    RQ_TEXT("name", "ソフトウェア名", "Software", R, "導入するソフトウェア", "what is installed"),
    RQ_TEXT("version", "バージョン", "Version", 0, "版", "its version"),
    RQ_BOOL("licence_checked", "使用許諾条件の確認", "Licence checked", R,
            "使用許諾条件を確認したか（八王子 16(10)）", "licence terms checked (八王子 16(10))"),
    RQ_TEXT("purpose", "目的", "Purpose", 0, "業務上の必要", "the business need"),
};

/* 機器の接続: 成田 基準 5(1)⑯イ, 八王子 16(5)・(6), 15(2)セ. */
static const sk_field rq_connect[] = {
    RQ_TEXT("device", "機器", "Device", R, "接続する機器（USBメモリ等）",
            "the device (USB stick …)"),
    RQ_TEXT("purpose", "目的", "Purpose", R, "接続する目的", "why"),
    RQ_TEXT("terminal", "接続先端末", "Terminal", 0, "接続するパソコン等", "the terminal"),
};

/* 私物端末の利用: 八王子 10(7)（原則禁止。情報セキュリティ管理者の許可）, 成田 基準 4(1)①カ. */
static const sk_field rq_private[] = {
    RQ_TEXT("device", "端末", "Device", R, "利用する私物の端末", "the private device"),
    RQ_TEXT("purpose", "目的", "Purpose", R, "利用する目的", "why"),
    RQ_DATE("from", "開始日", "From", 0, "利用を始める日", "first day"),
    RQ_DATE("until", "終了日", "Until", 0, "利用を終える日", "last day"),
};

/* 例外措置: 成田 基準 6(5)①（理由、範囲、期間、代替措置）・②（緊急時は事後報告）・③. */
static const sk_field rq_exception[] = {
    RQ_TEXT("scope", "適用範囲", "Scope", R, "例外を適用する範囲", "what the departure covers"),
    RQ_DATE("from", "期間（開始）", "From", R, "例外措置の開始日", "first day"),
    RQ_DATE("until", "期間（終了）", "Until", R, "例外措置の終了日（過ぎると失効）",
            "last day (expires after it)"),
    RQ_NOTE("measures", "代替措置", "Compensating measures", R, "代わりに講じる措置",
            "the measures taken instead"),
    {"action", "対象の行為", "Action", SK_FT_WORD, WORD_MAX, 0, 0, 0, "",
     "例外とする取扱い（take_out など）", "the SPEC §3 action departed from"},
    RQ_BOOL("emergency", "緊急（事後報告）", "Emergency", 0,
            "緊急のため実施済みで事後に報告する（成田 基準 6(5)②）",
            "already taken in an emergency, reported afterwards"),
};

/* 管理区域の入退室: 成田 基準 3(2)②ア（入退室管理簿）, 八王子 13. */
static const sk_field rq_zone[] = {
    RQ_TEXT("zone", "管理区域", "Zone", R, "入室する区域", "the security zone"),
    RQ_TEXT("entered_at", "入室日時", "Entered at", R | SK_FF_MINUTE, "YYYY-MM-DD HH:MM",
            "YYYY-MM-DD HH:MM"),
    RQ_TEXT("escort", "立会者", "Escort", 0, "立ち会う職員", "who accompanies"),
    RQ_TEXT("purpose", "目的", "Purpose", 0, "入室の目的", "why"),
};
static const sk_field fu_zone[] = {
    RQ_TEXT("left_at", "退室日時", "Left at", R | SK_FF_MINUTE, "YYYY-MM-DD HH:MM",
            "YYYY-MM-DD HH:MM"),
};

/* 鍵の貸出し（鍵管理簿）: 成田 基準 3(1)④, 八王子 13. */
static const sk_field rq_key[] = {
    RQ_TEXT("key", "鍵", "Key", R, "貸し出す鍵", "which key"),
    RQ_TEXT("borrower", "借受者", "Borrower", 0, "省略時は申請者", "default: the requester"),
    RQ_DATE("lent_on", "貸出日", "Lent on", R, "貸し出す日", "the day it is lent"),
};
static const sk_field fu_key[] = {
    RQ_DATE("returned_on", "返却日", "Returned on", R, "返却された日", "the day it came back"),
};

/* 特定個人情報の取扱記録: 八王子 7(6)ク（取扱記録、7年保存）, 番号法. */
static const sk_field rq_mynumber[] = {
    RQ_TEXT("affair", "事務", "Affair", R, "個人番号を取り扱う事務", "the affair"),
    RQ_TEXT("handling", "取扱いの内容", "Handling", R, "利用、提供、廃棄など", "use, provision …"),
    RQ_DATE("on", "取扱日", "On", R, "取り扱った日", "the day"),
    {"records", "件数", "Records", SK_FT_INT, 0, 0, 100000000, 0, "", "取り扱った件数",
     "how many records"},
};
/*
 * ポリシーの有効化 (issue #16): the policy version to make the installation's
 * policy. Its approver is the CISO, whatever the profile (成田 基準 7(2):
 * 最高情報セキュリティ責任者は…必要な見直しを行い); policyver.h.
 */
static const sk_field rq_policy[] = {
    {"version", "ポリシーの版", "Policy version", SK_FT_INT, 0, 1, INT64_MAX, R, "",
     "有効にする版（sekisho policy versions）",
     "the version to activate (sekisho policy versions)"},
    F_UNITS_OF_KIND(0),
};
#undef R

#define KIND(name, ja, en, f)                                                                      \
	{                                                                                          \
		name, ja, en, f, N(f)                                                              \
	}
static const sk_schema rq_details[] = {
    KIND("take_out", "持ち出し", "Take-out", rq_take_out),
    KIND("transport", "運搬", "Transport", rq_transport),
    KIND("provide_external", "外部提供", "Provision to outside", rq_provide),
    KIND("carry_in", "持ち込み", "Carry-in", rq_carry_in),
    KIND("copy", "複製", "Copy", rq_copy),
    KIND("dispose", "廃棄", "Disposal", rq_dispose),
    KIND("install_software", "ソフトウェア導入", "Software installation", rq_install),
    KIND("connect_device", "機器の接続", "Device connection", rq_connect),
    KIND("use_private_device", "私物端末の利用", "Private device use", rq_private),
    KIND("exception", "例外措置", "Exception", rq_exception),
    KIND("zone_entry", "管理区域への入退室", "Zone entry", rq_zone),
    KIND("key_loan", "鍵の貸出し", "Key loan", rq_key),
    KIND("mynumber_handling", "特定個人情報の取扱い", "特定個人情報 handling", rq_mynumber),
    KIND("policy_activation", "ポリシーの有効化", "Policy activation", rq_policy),
};
static const sk_schema rq_followups[] = {
    KIND("take_out", "持ち出しの返却", "Take-out return", fu_take_out),
    KIND("transport", "運搬の完了", "Transport done", fu_transport),
    KIND("provide_external", "提供の完了", "Provision done", fu_provide),
    KIND("dispose", "廃棄の完了", "Disposal done", fu_dispose),
    KIND("zone_entry", "退室", "Zone exit", fu_zone),
    KIND("key_loan", "鍵の返却", "Key return", fu_key),
};
#undef KIND

const char *const sk_request_kinds[] = {
    "take_out",   "transport",        "provide_external",  "carry_in",           "copy",
    "dispose",    "install_software", "connect_device",    "use_private_device", "exception",
    "zone_entry", "key_loan",         "mynumber_handling", "policy_activation",  NULL};

const sk_schema *sk_schema_request_details(const char *kind)
{
	for (size_t i = 0; kind && i < N(rq_details); i++)
		if (strcmp(rq_details[i].name, kind) == 0)
			return &rq_details[i];
	return NULL;
}

const sk_schema *sk_schema_request_followup(const char *kind)
{
	for (size_t i = 0; kind && i < N(rq_followups); i++)
		if (strcmp(rq_followups[i].name, kind) == 0)
			return &rq_followups[i];
	return NULL;
}

static const sk_field request_fields[] = {
    {"kind", "申請の種類", "Kind", SK_FT_WORD, WORD_MAX, 0, 0, SK_FF_REQUIRED, "",
     "take_out、dispose、exception など", "take_out, dispose, exception …"},
    {"asset_id", "情報資産", "Asset", SK_FT_INT, 0, 1, INT64_MAX, 0, "", "対象の情報資産（あれば）",
     "the asset concerned, if any"},
    RQ_NOTE("reason", "理由", "Reason", SK_FF_REQUIRED, "申請の理由", "why"),
    {"details", "内容", "Details", SK_FT_OBJECT, 32, 0, 0, SK_FF_REQUIRED, "",
     "申請の種類ごとの項目", "the kind's fields"},
    {"safeguards_confirmed", "講じる安全措置", "Safeguards confirmed", SK_FT_WORDS, 32, 0, 0, 0, "",
     "判断が求める安全措置のうち講じるもの", "the safeguards the decision lists, each confirmed"},
};
const sk_schema sk_schema_request = {"request", "申請", "Request", request_fields,
                                     N(request_fields)};

static const sk_field approve_fields[] = {
    RQ_NOTE("comment", "コメント", "Comment", 0, "承認のコメント", "a comment"),
};
const sk_schema sk_schema_request_approve = {"request_approve", "承認", "Approval", approve_fields,
                                             N(approve_fields)};
static const sk_field reject_fields[] = {
    RQ_NOTE("comment", "却下の理由", "Comment", SK_FF_REQUIRED, "却下する理由（必須）",
            "why it is rejected (required)"),
};
const sk_schema sk_schema_request_reject = {"request_reject", "却下", "Rejection", reject_fields,
                                            N(reject_fields)};

/*
 * The columns every ledger (src/domain/ledger.c) shows of a request besides
 * the request's own fields (asset_id, reason: sk_schema_request), the
 * asset's (name, conf, location: sk_schema_asset) and the kind's details and
 * follow-through: who filed it, where, and who decided it when.
 */
static const sk_field ledger_fields[] = {
    {"id", "申請番号", "Request no.", SK_FT_INT, 0, 1, INT64_MAX, 0, "", "申請の番号",
     "the request's number"},
    {"status", "状態", "Status", SK_FT_WORD, WORD_MAX, 0, 0, 0, "",
     "承認待ち、承認済み、却下、取下げ、実施中、完了、失効", "pending, approved, rejected …"},
    RQ_TEXT("created_at", "申請日時", "Filed at", 0, "申請した日時", "when it was filed"),
    RQ_TEXT("requester", "申請者", "Requester", 0, "申請した者", "who filed it"),
    RQ_TEXT("unit_code", "所属コード", "Unit code", 0, "申請者の所属の番号", "the unit's code"),
    RQ_TEXT("unit_name", "所属", "Unit", 0, "申請者の所属", "the requester's unit"),
    RQ_TEXT("approver_role", "承認者の役職", "Approver role", 0, "承認する役職",
            "the role that decides"),
    RQ_TEXT("decided_by", "承認者", "Decided by", 0, "承認又は却下した者", "who decided"),
    RQ_BOOL("as_deputy", "代行", "As deputy", 0, "代行者が決裁したか", "decided by the deputy"),
    RQ_TEXT("decided_at", "決裁日時", "Decided at", 0, "承認又は却下した日時", "when decided"),
    RQ_TEXT("completed_at", "完了日時", "Completed at", 0, "完了を記録した日時",
            "when the follow-through completed it"),
    RQ_NOTE("steps", "経過", "Steps", 0, "申請から完了までの各段階", "every step taken on it"),
};
const sk_schema sk_schema_ledger = {"ledger", "台帳", "Ledger", ledger_fields, N(ledger_fields)};

/* Every follow-through field once (the same key has the same meaning in every kind). */
static const sk_field complete_fields[] = {
    RQ_DATE("taken_out_on", "持ち出した日", "Taken out on", 0, "take_out", "take_out"),
    RQ_DATE("returned_on", "返却日", "Returned on", 0, "take_out, key_loan", "take_out, key_loan"),
    RQ_DATE("delivered_on", "到着日", "Delivered on", 0, "transport", "transport"),
    RQ_DATE("provided_on", "提供日", "Provided on", 0, "provide_external", "provide_external"),
    RQ_TEXT("certificate", "廃棄証明書", "Disposal certificate", 0, "dispose", "dispose"),
    RQ_DATE("disposed_on", "廃棄した日", "Disposed on", 0, "dispose", "dispose"),
    RQ_TEXT("left_at", "退室日時", "Left at", SK_FF_MINUTE, "zone_entry", "zone_entry"),
};
const sk_schema sk_schema_request_complete = {"request_complete", "完了の記録", "Follow-through",
                                              complete_fields, N(complete_fields)};
#undef RQ_DATE
#undef RQ_TEXT
#undef RQ_NOTE
#undef RQ_BOOL
/* --- incidents and 障害記録 (SPEC C8) --- */

/*
 * 事案の状況 (世田谷 10(1)イ①(a)〜(d)): what happened, when it was found, the
 * assets concerned. found_at is a moment (RFC 3339 with an offset), not a
 * day: deadlines run in hours from it.
 */
static const sk_field incident_fields[] = {
    {"title", "件名", "Title", SK_FT_TEXT, SK_INCIDENT_TITLE_MAX, 0, 0, SK_FF_REQUIRED, "",
     "何が起きたかを一行で", "what happened, in one line"},
    {"description", "事案の状況", "Description", SK_FT_LONGTEXT, SK_INCIDENT_TEXT_MAX, 0, 0,
     SK_FF_REQUIRED, "", "発生した事案の状況、場所、影響を受けたシステム、想定される原因",
     "what happened, where, the systems affected, the suspected cause"},
    {"found_at", "発見日時", "Found at", SK_FT_TEXT, 40, 0, 0, SK_FF_REQUIRED | SK_FF_PAST, "",
     "発見した日時（例 2026-12-01T09:30:00+09:00）。未来は不可",
     "when it was found, RFC 3339 with an offset; not in the future"},
    {"severity", "重大度", "Severity", SK_FT_WORD, 16, 0, 0, 0, "",
     "high、medium、low（省略時は high：最も短い期限）",
     "high, medium or low (default high: the shortest deadlines)"},
    {"asset_ids", "関係する情報資産", "Assets concerned", SK_FT_IDS, SK_INCIDENT_ASSETS_MAX, 0, 0,
     0, "", "台帳の管理番号の一覧", "the register numbers of the assets concerned"},
    {"kind", "種別", "Kind", SK_FT_WORD, 16, 0, 0, 0, "",
     "incident（情報セキュリティインシデント）または failure（障害記録）。省略時は incident",
     "incident or failure (a 障害記録); default incident"},
    {"unit", "報告する組織", "Reporting unit", SK_FT_REF, REF_MAX, 0, 0, 0, "",
     "省略時は報告者の所属。CLI の操作者は必須",
     "default: the reporter's own unit; required of the CLI operator"},
};
const sk_schema sk_schema_incident = {"incident", "情報セキュリティインシデントの報告",
                                      "Incident report", incident_fields, N(incident_fields)};

static const sk_field incident_escalate_fields[] = {
    {"comment", "コメント", "Comment", SK_FT_LONGTEXT, SK_INCIDENT_COMMENT_MAX, 0, 0, 0, "",
     "上位へ報告する理由や補足", "why it goes up, or what to add"},
};
const sk_schema sk_schema_incident_escalate = {"incident_escalate", "上位への報告", "Escalation",
                                               incident_escalate_fields,
                                               N(incident_escalate_fields)};

/* 成田 基準 6(3)イ〜エ: 障害の内容、原因、被害・影響範囲、復旧、再発防止の措置. */
static const sk_field incident_respond_fields[] = {
    {"cause", "原因", "Cause", SK_FT_LONGTEXT, SK_INCIDENT_TEXT_MAX, 0, 0, 0, "",
     "事案が発生した原因", "what caused it"},
    {"impact", "被害・影響範囲", "Damage and extent", SK_FT_LONGTEXT, SK_INCIDENT_TEXT_MAX, 0, 0, 0,
     "", "確認した被害・影響範囲", "the damage found and its extent"},
    {"response", "対応", "Response", SK_FT_LONGTEXT, SK_INCIDENT_TEXT_MAX, 0, 0, 0, "",
     "拡大防止などの対応", "what was done to contain it"},
    {"recovery", "復旧", "Recovery", SK_FT_LONGTEXT, SK_INCIDENT_TEXT_MAX, 0, 0, 0, "",
     "復旧の措置", "how it was recovered from"},
    {"prevention", "再発防止策", "Recurrence prevention", SK_FT_LONGTEXT, SK_INCIDENT_TEXT_MAX, 0,
     0, 0, "", "再発防止の措置", "what keeps it from happening again"},
    {"comment", "コメント", "Comment", SK_FT_LONGTEXT, SK_INCIDENT_COMMENT_MAX, 0, 0, 0, "",
     "経過の記録", "a note for the record"},
};
const sk_schema sk_schema_incident_respond = {"incident_respond", "調査・対応の記録",
                                              "Investigation and response", incident_respond_fields,
                                              N(incident_respond_fields)};

static const sk_field incident_close_fields[] = {
    {"comment", "コメント", "Comment", SK_FT_LONGTEXT, SK_INCIDENT_COMMENT_MAX, 0, 0, 0, "",
     "終結の理由", "why it is closed"},
};
const sk_schema sk_schema_incident_close = {"incident_close", "事案の終結", "Closure",
                                            incident_close_fields, N(incident_close_fields)};

/*
 * Evidence (ログ等, 世田谷 10(1)イ①(d)) in a JSON body: the content in
 * base64, so an attachment fits the API's one body limit; the domain
 * refuses more than SK_INCIDENT_ATTACH_MAX bytes once decoded.
 */
static const sk_field incident_attach_fields[] = {
    {"name", "ファイル名", "File name", SK_FT_TEXT, SK_INCIDENT_NAME_MAX, 0, 0, SK_FF_REQUIRED, "",
     "添付するファイルの名前", "the file's name"},
    {"media_type", "メディアタイプ", "Media type", SK_FT_TEXT, SK_INCIDENT_MEDIA_TYPE_MAX, 0, 0, 0,
     "", "例 text/plain（省略時は application/octet-stream）",
     "e.g. text/plain (default application/octet-stream)"},
    {"content", "内容", "Content", SK_FT_TEXT, SK_INCIDENT_ATTACH_B64_MAX, 0, 0, SK_FF_REQUIRED, "",
     "ファイルの内容（base64）", "the file's bytes, base64-encoded"},
};
const sk_schema sk_schema_incident_attach = {"incident_attach", "証拠の添付", "Attachment",
                                             incident_attach_fields, N(incident_attach_fields)};

/* --- checks --- */

const sk_field *sk_schema_field(const sk_schema *sc, const char *key)
{
	for (size_t i = 0; i < sc->n; i++)
		if (strcmp(sc->fields[i].key, key) == 0)
			return &sc->fields[i];
	return NULL;
}

static bool is_text(sk_ftype t)
{
	return t == SK_FT_TEXT || t == SK_FT_LONGTEXT || t == SK_FT_SECRET || t == SK_FT_DATE ||
	       t == SK_FT_WORD;
}

/* The message that refuses a value of another JSON type than the field takes. */
static sk_msg_id wrong_type(sk_ftype t)
{
	switch (t) {
	case SK_FT_INT:
		return SK_M_FIELD_NOT_INT;
	case SK_FT_BOOL:
		return SK_M_FIELD_NOT_BOOL;
	case SK_FT_REF:
	case SK_FT_LEVEL:
		return SK_M_FIELD_NOT_STR_OR_INT;
	case SK_FT_WORDS:
		return SK_M_FIELD_NOT_LIST;
	case SK_FT_OBJECT:
		return SK_M_FIELD_NOT_OBJECT;
	case SK_FT_IDS:
		return SK_M_FIELD_NOT_IDS;
	default:
		return SK_M_FIELD_NOT_STRING;
	}
}

#define FAIL(f, id, ...) sk_fail_msg(err, SK_ERR_INVALID, (f)->key, (f)->ja, id, ##__VA_ARGS__)

static sk_err check_value(const sk_field *f, json_t *v, sk_buf *err)
{
	if (json_is_string(v)) {
		if (!is_text(f->type) && f->type != SK_FT_REF && f->type != SK_FT_LEVEL)
			return FAIL(f, wrong_type(f->type));
		size_t n = json_string_length(v);
		if (n > f->max)
			return FAIL(f, SK_M_FIELD_TOO_LONG, (unsigned)f->max);
		if (memchr(json_string_value(v), '\0', n))
			return FAIL(f, SK_M_FIELD_NUL);
		/*
		 * Text is text through every door: the same control and direction-
		 * changing characters are refused here as in the CLI, the CSV import
		 * and the web forms (a secret is whatever its holder chose).
		 */
		if (f->type != SK_FT_SECRET && is_text(f->type))
			return sk_schema_check_text(f, json_string_value(v), n, err);
		return SK_OK;
	}
	if (json_is_integer(v)) {
		if (f->type == SK_FT_REF || f->type == SK_FT_LEVEL)
			return SK_OK;
		if (f->type != SK_FT_INT)
			return FAIL(f, wrong_type(f->type));
		json_int_t x = json_integer_value(v);
		if (x < f->lo || x > f->hi)
			return FAIL(f, SK_M_FIELD_RANGE, (long long)f->lo, (long long)f->hi);
		return SK_OK;
	}
	if (json_is_boolean(v))
		return f->type == SK_FT_BOOL ? SK_OK : FAIL(f, wrong_type(f->type));
	if (json_is_object(v) && f->type == SK_FT_OBJECT)
		return json_object_size(v) > f->max ? FAIL(f, SK_M_FIELD_TOO_MANY, (unsigned)f->max)
		                                    : SK_OK;
	if (f->type == SK_FT_IDS) {
		if (!json_is_array(v))
			return FAIL(f, SK_M_FIELD_NOT_IDS);
		if (json_array_size(v) > f->max)
			return FAIL(f, SK_M_FIELD_TOO_MANY, (unsigned)f->max);
		size_t i;
		json_t *x;
		json_array_foreach (v, i, x)
			if (!json_is_integer(x) || json_integer_value(x) < 1)
				return FAIL(f, SK_M_FIELD_NOT_IDS);
		return SK_OK;
	}
	if (!json_is_array(v) || f->type != SK_FT_WORDS)
		return FAIL(f, wrong_type(f->type));
	if (json_array_size(v) > f->max)
		return FAIL(f, SK_M_FIELD_TOO_MANY, (unsigned)f->max);
	size_t i;
	json_t *x;
	json_array_foreach (v, i, x)
		if (!json_is_string(x) || json_string_length(x) > SK_SCHEMA_WORD_MAX ||
		    memchr(json_string_value(x), '\0', json_string_length(x)))
			return FAIL(f, SK_M_FIELD_BAD_ITEM, SK_SCHEMA_WORD_MAX);
	return SK_OK;
}

sk_err sk_schema_check_json(const sk_schema *sc, sk_schema_mode mode, json_t *body, sk_buf *err)
{
	if (!json_is_object(body))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_BODY_NOT_OBJECT);
	const char *key;
	json_t *v;
	sk_err e;
	json_object_foreach (body, key, v) {
		const sk_field *f = sk_schema_field(sc, key);
		if (!f) {
			/* An unknown key is the client's text: named, but never more than 64 bytes.
			 */
			char k[65];
			snprintf(k, sizeof(k), "%s", key);
			sk_fail_msg(err, SK_ERR_INVALID, k, NULL, SK_M_FIELD_UNKNOWN);
			err->field = NULL; /* k is gone when this returns; field must be static */
			return SK_ERR_INVALID;
		}
		if ((e = check_value(f, v, err)))
			return e;
	}
	if (mode == SK_SCHEMA_CREATE)
		for (size_t i = 0; i < sc->n; i++)
			if ((sc->fields[i].flags & SK_FF_REQUIRED) &&
			    !json_object_get(body, sc->fields[i].key))
				return FAIL(&sc->fields[i], SK_M_FIELD_REQUIRED);
	return SK_OK;
}

sk_err sk_schema_check_text(const sk_field *f, const char *v, size_t len, sk_buf *err)
{
	if (len > f->max)
		return FAIL(f, SK_M_TEXT_TOO_LONG, (unsigned)f->max);
	if (!sk_utf8_valid(v, len, NULL))
		return FAIL(f, SK_M_TEXT_NOT_UTF8);
	bool lines = f->type == SK_FT_LONGTEXT;
	for (size_t i = 0; i < len;) {
		unsigned char u = (unsigned char)v[i];
		if ((u < 0x20 && !(lines && (u == '\n' || u == '\r' || u == '\t'))) || u == 0x7f)
			return FAIL(f, SK_M_TEXT_CONTROL);
		uint32_t cp;
		size_t k = sk_utf8_decode((const unsigned char *)v + i, len - i, &cp);
		if (sk_utf8_is_deceptive(cp))
			return FAIL(f, SK_M_TEXT_DECEPTIVE);
		i += k ? k : 1;
	}
	return SK_OK;
}

void sk_schema_option_name(const sk_field *f, char *out, size_t max)
{
	size_t i = 0;
	for (; f->key[i] && i + 1 < max; i++)
		out[i] = f->key[i] == '_' ? '-' : f->key[i];
	out[i] = '\0';
}
