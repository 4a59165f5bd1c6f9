/*
 * vocab: the fixed vocabularies of SPEC §3 (actions, roles, safeguards,
 * decisions) and of sekisho (zones, axes, account kinds, password
 * violations) as name tables. The enum order in policy.h is the table order.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/sk_msg.h"
#include "policy.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Each vocabulary a person types or reads, word by word: the stable name
 * (JSON, profiles), the Japanese name (the 総務省 guideline's and the seeds'
 * wording) and other spellings people use ('|'-separated). Parsing takes any
 * of the three; output in Japanese shows the Japanese name.
 */
static const sk_word action_words[] = {
    {"create", "作成", "新規作成"},
    {"acquire", "入手", "取得|受領"},
    {"use", "利用", "使用|利活用"},
    {"store", "保管", "保存"},
    {"copy", "複製", "コピー|複写"},
    {"send_email", "電子メールでの送信", "電子メール送信|メール送信|メールでの送信|送信"},
    {"send_fax", "ファクシミリでの送信", "ファクシミリ送信|FAX送信|ファックス送信|ファクス送信"},
    {"take_out", "持ち出し", "持出し|持出|庁外への持ち出し|外部への持ち出し|外部持ち出し"},
    {"transport", "運搬", "搬送|移送"},
    {"provide_external", "外部への提供", "外部提供|提供|庁外への提供"},
    {"publish", "公表", "公開"},
    {"dispose", "廃棄", "処分|消去"},
    {"carry_in", "持ち込み", "持込み|持込|庁内への持ち込み"},
    {"process_outside", "庁外での処理", "庁外処理|外部での処理|庁外での作業"},
    {"use_private_device", "私物端末の利用", "私物の利用|私物利用|私有端末の利用"},
    {"take_home", "自宅への持ち帰り", "持ち帰り|持帰り"},
    {"store_cloud", "クラウドへの保存", "クラウド保存|クラウドサービスへの保存"},
    {"store_free_cloud", "無料クラウドへの保存", "無料クラウド保存|無料のクラウドサービスへの保存"},
    {"post_social_media", "ソーシャルメディアへの投稿", "SNSへの投稿|SNS投稿"},
    {"install_software", "ソフトウェアの導入", "ソフトウェアのインストール|ソフトウェア導入"},
    {"connect_device", "機器の接続", "外部機器の接続|機器接続|外部記録媒体の接続"},
    {"connect_network", "ネットワークへの接続", "ネットワーク接続"},
};
_Static_assert(N(action_words) == SK_ACT__COUNT, "one word per action");

/*
 * The roles of SPEC §3 with the national guideline's titles, Japanese and
 * English: the one table of them (src/domain/role.c adds where each is held
 * and its rank). A profile may give a role its city's own Japanese title
 * (sk_policy_role_title); these stand in where it gives none.
 */
static const struct {
	const char *name, *ja, *en;
} role_words[] = {
    {"ciso", "最高情報セキュリティ責任者", "Chief Information Security Officer"},
    {"general_manager", "統括情報セキュリティ責任者", "General information security manager"},
    {"security_officer", "情報セキュリティ責任者", "Information security officer"},
    {"security_manager", "情報セキュリティ管理者", "Information security manager"},
    {"system_manager", "情報システム管理者", "Information system manager"},
    {"system_staff", "情報システム担当者", "Information system staff"},
    {"csirt", "CSIRT要員", "CSIRT member"},
    {"dm_officer", "指定管理者の情報セキュリティ対策責任者",
     "Designated manager's security officer"},
    {"staff", "職員等", "Staff member"},
    {"contractor", "外部委託事業者", "Contractor"},
    {"auditor", "情報セキュリティ監査人", "Information security auditor"},
    {"city", "甲（地方公共団体）", "The municipality (party A)"},
};
_Static_assert(N(role_words) == SK_ROLE__COUNT, "one title per role");

static const sk_word safeguard_words[] = {
    {"encrypt_or_password", "暗号化又はパスワードの設定", ""},
    {"locked_case", "施錠できる搬送容器の使用", ""},
    {"record", "記録", ""},
    {"irrecoverable_erase", "復元不可能な消去", ""},
    {"physical_destruction", "物理的な破壊", ""},
    {"multi_person_check", "複数人による確認", ""},
    {"confirm_recipient", "送信先の確認", ""},
    {"bcc", "BCCでの送信", ""},
    {"fax_notice_and_receipt", "送信の事前連絡と受信の確認", ""},
    {"virus_scan", "ウイルスチェック", ""},
    {"domestic_datacenter", "国内のデータセンター", ""},
    {"encrypted_transport", "通信の暗号化", ""},
    {"ip_restriction", "IPアドレスによる接続制限", ""},
    {"backup", "バックアップ", ""},
    {"locked_storage", "施錠保管", ""},
    {"label", "分類の表示", ""},
    {"access_restriction", "アクセス制限", ""},
    {"prior_permission", "事前の許可", ""},
    {"disposal_certificate", "廃棄証明書", ""},
};
_Static_assert(N(safeguard_words) == SK_SG__COUNT, "one word per safeguard");

static const sk_word decision_words[] = {
    {"allow", "許可", ""},
    {"allow_with_safeguards", "対策を講じれば可", ""},
    {"require_approval", "承認が必要", ""},
    {"forbid", "禁止", ""},
};
_Static_assert(N(decision_words) == SK_DEC__COUNT, "one word per decision");

const sk_word sk_zone_words[] = {
    {"mynumber", "マイナンバー利用事務系", "個人番号利用事務系|マイナンバー系"},
    {"lgwan", "LGWAN接続系", "LGWAN系"},
    {"internet", "インターネット接続系", "インターネット系"},
};
_Static_assert(N(sk_zone_words) == SK_ZONE__COUNT, "one word per zone");

/* SK_ASSET_UNKNOWN has no word: entry i is asset type i + 1. */
const sk_word sk_asset_type_words[] = {
    {"hardware", "ハードウェア",
     "機器|端末|パソコン|PC|パーソナルコンピュータ|ノートパソコン|タブレット|スマートフォン|"
     "サーバ|サーバー|プリンタ|プリンター|複合機"},
    {"software", "ソフトウェア", "ソフト|アプリケーション|プログラム"},
    {"media", "外部記憶媒体",
     "記憶媒体|媒体|電磁的記録媒体|外部記録媒体|USBメモリ|USBメモリー|CD-R|DVD-R|外付けHDD"},
    {"facility", "設備", "施設"},
    {"document", "ドキュメント", "文書|紙文書|書類|帳票"},
    {"data", "データ", "電子データ|情報|電磁的記録"},
    {"network", "ネットワーク", "ネットワーク機器|通信回線"},
    {"system", "システム", "情報システム"},
};
_Static_assert(N(sk_asset_type_words) == SK_ASSET__COUNT - 1, "one word per asset type");

static const char *const axis_names[] = {"conf", "integ", "avail"};
_Static_assert(N(axis_names) == SK_AXIS__COUNT, "one name per axis");

static const char *const kind_names[] = {"normal", "privileged", "social"};
_Static_assert(N(kind_names) == SK_KIND__COUNT, "one name per account kind");

static const char *const violation_names[] = {
    "min_length",    "max_length",        "require_upper", "require_lower",
    "require_digit", "require_symbol",    "min_classes",   "common_password",
    "invalid_utf8",  "control_character", "context_word",
};
_Static_assert(N(violation_names) == SK_PWV__COUNT, "one name per violation");

static const char *name_at(const char *const *t, size_t n, int v)
{
	return v >= 0 && (size_t)v < n ? t[v] : NULL;
}

static sk_err parse_in(const char *const *t, size_t n, const char *s, int *out)
{
	if (!s)
		return SK_ERR_INVALID;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i], s) == 0) {
			*out = (int)i;
			return SK_OK;
		}
	}
	return SK_ERR_INVALID;
}

static const char *word_at(const sk_word *t, size_t n, int v)
{
	return v >= 0 && (size_t)v < n ? t[v].name : NULL;
}

static sk_err parse_word(const sk_word *t, size_t n, const char *s, int *out)
{
	if (!s)
		return SK_ERR_INVALID;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].name, s) == 0) {
			*out = (int)i;
			return SK_OK;
		}
	}
	return SK_ERR_INVALID;
}

/* NOLINTBEGIN(bugprone-macro-parentheses): type is a type name */
#define VOCAB(fname, pname, type, table)                                                           \
	const char *fname(type v) { return name_at(table, N(table), (int)v); }                     \
	sk_err pname(const char *s, type *out)                                                     \
	{                                                                                          \
		int v;                                                                             \
		sk_err rc = parse_in(table, N(table), s, &v);                                      \
		if (rc == SK_OK)                                                                   \
			*out = (type)v;                                                            \
		return rc;                                                                         \
	}
#define VOCAB_W(fname, pname, type, table)                                                         \
	const char *fname(type v) { return word_at(table, N(table), (int)v); }                     \
	sk_err pname(const char *s, type *out)                                                     \
	{                                                                                          \
		int v;                                                                             \
		sk_err rc = parse_word(table, N(table), s, &v);                                    \
		if (rc == SK_OK)                                                                   \
			*out = (type)v;                                                            \
		return rc;                                                                         \
	}

VOCAB_W(sk_action_name, sk_action_parse, sk_action, action_words)
VOCAB_W(sk_safeguard_name, sk_safeguard_parse, sk_safeguard, safeguard_words)
VOCAB_W(sk_decision_name, sk_decision_parse, sk_decision_kind, decision_words)
VOCAB_W(sk_zone_name, sk_zone_parse, sk_zone, sk_zone_words)
VOCAB(sk_account_kind_name, sk_account_kind_parse, sk_account_kind, kind_names)
/* NOLINTEND(bugprone-macro-parentheses) */

const char *sk_role_name(sk_role r)
{
	return (unsigned)r < SK_ROLE__COUNT ? role_words[r].name : NULL;
}

sk_err sk_role_parse(const char *s, sk_role *out)
{
	for (int r = 0; s && r < SK_ROLE__COUNT; r++)
		if (strcmp(role_words[r].name, s) == 0) {
			*out = (sk_role)r;
			return SK_OK;
		}
	return SK_ERR_INVALID;
}

const char *sk_role_title(sk_role r, sk_lang l)
{
	if ((unsigned)r >= SK_ROLE__COUNT)
		return NULL;
	return l == SK_LANG_JA ? role_words[r].ja : role_words[r].en;
}

const char *sk_asset_type_name(sk_asset_type t)
{
	return t == SK_ASSET_UNKNOWN
	           ? NULL
	           : word_at(sk_asset_type_words, N(sk_asset_type_words), (int)t - 1);
}

sk_err sk_asset_type_parse(const char *s, sk_asset_type *out)
{
	int v;
	sk_err rc = parse_word(sk_asset_type_words, N(sk_asset_type_words), s, &v);
	if (rc == SK_OK)
		*out = (sk_asset_type)(v + 1);
	return rc;
}

/* --- words as people type and read them --- */

static const struct {
	const sk_word *w;
	size_t n;
	int first; /* the enum value of entry 0 */
} vocabs[SK_VOCAB__COUNT] = {
    [SK_VOCAB_ACTION] = {action_words, N(action_words), 0},
    [SK_VOCAB_ZONE] = {sk_zone_words, N(sk_zone_words), 0},
    [SK_VOCAB_ASSET_TYPE] = {sk_asset_type_words, N(sk_asset_type_words), SK_ASSET_HARDWARE},
    [SK_VOCAB_DECISION] = {decision_words, N(decision_words), 0},
    [SK_VOCAB_SAFEGUARD] = {safeguard_words, N(safeguard_words), 0},
};

const sk_word *sk_vocab_words(sk_vocab v, size_t *n, int *first)
{
	if ((unsigned)v >= SK_VOCAB__COUNT) {
		*n = 0;
		return NULL;
	}
	*n = vocabs[v].n;
	if (first)
		*first = vocabs[v].first;
	return vocabs[v].w;
}

size_t sk_vocab_fold(const char *s, char *out, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0;
	/* Leading spaces, ASCII or the ideographic U+3000. */
	for (;;) {
		if (*u == ' ' || *u == '\t')
			u++;
		else if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
			u += 3;
		else
			break;
	}
	while (*u && o + 1 < max) {
		/* U+FF01..U+FF5E, the full-width forms of '!'..'~': EF BC 81..BF, EF BD 80..9E. */
		if (u[0] == 0xef && u[1] == 0xbc && u[2] >= 0x81 && u[2] <= 0xbf) {
			out[o++] = (char)('!' + (u[2] - 0x81));
			u += 3;
			continue;
		}
		if (u[0] == 0xef && u[1] == 0xbd && u[2] >= 0x80 && u[2] <= 0x9e) {
			out[o++] = (char)('`' + (u[2] - 0x80));
			u += 3;
			continue;
		}
		if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) {
			out[o++] = ' ';
			u += 3;
			continue;
		}
		/* Roman numerals Ⅰ..Ⅻ (U+2160..U+216B), as level names are written (世田谷). */
		if (u[0] == 0xe2 && u[1] == 0x85 && u[2] >= 0xa0 && u[2] <= 0xab) {
			static const char *const roman[] = {"I",  "II", "III", "IV",
			                                    "V",  "VI", "VII", "VIII",
			                                    "IX", "X",  "XI",  "XII"};
			const char *r = roman[u[2] - 0xa0];
			size_t rl = strlen(r);
			if (o + rl + 1 > max)
				break;
			memcpy(out + o, r, rl);
			o += rl;
			u += 3;
			continue;
		}
		out[o++] = (char)*u++;
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return o;
}

bool sk_vocab_in_aliases(const char *list, const char *s)
{
	size_t n = strlen(s);
	for (const char *p = list; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && memcmp(p, s, n) == 0)
			return true;
		p += len + (bar ? 1 : 0);
	}
	return false;
}

int sk_words_find(const sk_word *w, size_t n, const char *s)
{
	if (!s)
		return -1;
	char buf[256];
	sk_vocab_fold(s, buf, sizeof(buf));
	for (size_t i = 0; i < n; i++)
		if (strcmp(buf, w[i].name) == 0 || strcmp(buf, w[i].ja) == 0 ||
		    sk_vocab_in_aliases(w[i].aliases, buf))
			return (int)i;
	return -1;
}

int sk_vocab_find(sk_vocab v, const char *s)
{
	if ((unsigned)v >= SK_VOCAB__COUNT)
		return -1;
	int i = sk_words_find(vocabs[v].w, vocabs[v].n, s);
	return i < 0 ? -1 : vocabs[v].first + i;
}

const char *sk_vocab_label(sk_vocab v, int value, sk_lang l)
{
	if ((unsigned)v >= SK_VOCAB__COUNT)
		return NULL;
	int i = value - vocabs[v].first;
	if (i < 0 || (size_t)i >= vocabs[v].n)
		return NULL;
	return l == SK_LANG_JA ? vocabs[v].w[i].ja : vocabs[v].w[i].name;
}

void sk_words_list(const sk_word *w, size_t n, sk_lang l, sk_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (l == SK_LANG_JA)
			sk_buf_addf(out, "%s%s（%s）", i ? "、" : "", w[i].ja, w[i].name);
		else
			sk_buf_addf(out, "%s%s", i ? ", " : "", w[i].name);
	}
}

void sk_vocab_list(sk_vocab v, sk_lang l, sk_buf *out)
{
	if ((unsigned)v < SK_VOCAB__COUNT)
		sk_words_list(vocabs[v].w, vocabs[v].n, l, out);
}

sk_err sk_words_unknown(const sk_word *w, size_t n, sk_msg_id id, const char *field,
                        const char *field_ja, const char *value, sk_buf *err)
{
	if (!err)
		return SK_ERR_INVALID;
	sk_buf en = SK_BUF_INIT(SK_BUF_MSG_MAX), ja = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_words_list(w, n, SK_LANG_EN, &en);
	sk_words_list(w, n, SK_LANG_JA, &ja);
	/* One message, two lists: each language's text is made with its own list. */
	sk_buf tmp = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_fail_msg(&tmp, SK_ERR_INVALID, field, field_ja, id, value, ja.data);
	sk_fail_msg(err, SK_ERR_INVALID, field, field_ja, id, value, en.data);
	free(err->ja);
	err->ja = tmp.ja;
	tmp.ja = NULL;
	sk_buf_free(&tmp);
	sk_buf_free(&en);
	sk_buf_free(&ja);
	return SK_ERR_INVALID;
}

sk_err sk_vocab_unknown(sk_vocab v, const char *field, const char *field_ja, const char *value,
                        sk_buf *err)
{
	if ((unsigned)v >= SK_VOCAB__COUNT)
		return SK_ERR_INVALID;
	return sk_words_unknown(vocabs[v].w, vocabs[v].n, SK_M_VOCAB_UNKNOWN, field, field_ja,
	                        value, err);
}

const char *sk_axis_name(sk_axis a) { return name_at(axis_names, N(axis_names), (int)a); }

const char *sk_pw_violation_name(sk_pw_violation v)
{
	return name_at(violation_names, N(violation_names), (int)v);
}

static const char *const approver_mode_names[] = {"one", "any_of", "all_of"};
_Static_assert(N(approver_mode_names) == SK_APPROVE__COUNT, "one name per approver mode");

const char *sk_approver_mode_name(sk_approver_mode m)
{
	return name_at(approver_mode_names, N(approver_mode_names), (int)m);
}
