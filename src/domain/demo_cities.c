/*
 * demo_cities: the four sample cities as tables (demo_cities.h). Each city
 * has the organization its policy names (see the profile's `roles:`
 * section and the seed it cites), people holding every role the profile
 * defines where a requester's chain of command finds them (a section
 * member's chain runs 課長 → 部長 → 統括 → CISO), and a register that
 * covers every classification level and zone of the profile. People and
 * places are invented; the titles are the policies' own.
 */
#include "demo_cities.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Disposal methods (廃棄方法), as a register writes them. */
#define D_HW    "記憶装置のデータ消去後に物理的破壊（廃棄証明書を受領）"
#define D_SYS   "機器のデータを復元不可能な方法で消去し事業者へ返却（消去証明書を受領）"
#define D_DATA  "復元不可能な方法による消去"
#define D_PAPER "シュレッダー裁断又は溶解処理（溶解証明書を受領）"
#define D_PUB   "古紙として処分"
#define D_MEDIA "物理的破壊（破砕）"
#define D_SW    "アンインストールしライセンスを返却"
#define D_NET   "設定情報を消去して撤去"
#define D_FAC   "専門業者による撤去"

/* ------------------------------------------------------------------ 成田市 */
/*
 * 成田市情報セキュリティポリシー 基準 1: CISO 副市長, 統括情報セキュリティ責任者
 * 総務部長, 情報セキュリティ責任者 各部の長 (消防長 included), 情報セキュリティ管理者
 * 各課等の長, 情報システム管理者 行政管理課長 (city-wide, so held at the root),
 * 情報システム担当者 行政管理課情報推進室の職員. The seed names no network zones; the
 * register uses the national three-tier model.
 */
#define NA_DC  "成田市外部データセンター（委託先）サーバラック"
#define NA_SRV "本庁舎地下1階 サーバ室（入退室管理区域）"

// clang-format off
static const struct sk_demo_unit narita_units[] = {
    {"kikaku", "企画政策部", "department", "narita", "企画政策部長"},
    {"somu", "総務部", "department", "narita", "総務部長"},
    {"zaisei", "財政部", "department", "narita", "財政部長"},
    {"shimin", "市民生活部", "department", "narita", "市民生活部長"},
    {"fukushi", "福祉部", "department", "narita", "福祉部長"},
    {"kyoiku", "教育総務部", "department", "narita", "教育総務部長"},
    {"shobo", "消防本部", "department", "narita", "消防長"},
    {"kohou", "広報課", "section", "kikaku", "広報課長"},
    {"gyosei", "行政管理課", "section", "somu", "行政管理課長"},
    {"johosuishin", "行政管理課情報推進室", "section", "gyosei", "情報推進室長"},
    {"shiminzei", "市民税課", "section", "zaisei", "市民税課長"},
    {"shuno", "収納課", "section", "zaisei", "収納課長"},
    {"shiminka", "市民課", "section", "shimin", "市民課長"},
    {"shogai", "障がい者福祉課", "section", "fukushi", "障がい者福祉課長"},
    {"kaigo", "介護保険課", "section", "fukushi", "介護保険課長"},
    {"gakumu", "学務課", "section", "kyoiku", "学務課長"},
    {"shobosomu", "消防本部総務課", "section", "shobo", "消防本部総務課長"},
    {"vendor-kikan", "株式会社なりた情報サービス（住民情報系システム保守）", "contractor", "gyosei", "業務責任者"},
    {"vendor-web", "株式会社サンプルウェブ（市ホームページ運用）", "contractor", "kohou", "業務責任者"},
};

static const struct sk_demo_person narita_people[] = {
    {"fujita.masaru", "藤田 勝（副市長）", "narita", "ciso", {{0}}},
    {"okada.naomi", "岡田 直美（総務部長）", "somu", "security_officer", {{"general_manager", "narita"}}},
    {"ishikawa.tsuyoshi", "石川 剛（企画政策部長）", "kikaku", "security_officer", {{0}}},
    {"maeda.kaoru", "前田 薫（財政部長）", "zaisei", "security_officer", {{0}}},
    {"ogawa.hiroshi", "小川 浩（市民生活部長）", "shimin", "security_officer", {{0}}},
    {"goto.keiko", "後藤 恵子（福祉部長）", "fukushi", "security_officer", {{0}}},
    {"hasegawa.osamu", "長谷川 修（教育総務部長）", "kyoiku", "security_officer", {{0}}},
    {"murakami.isao", "村上 功（消防長）", "shobo", "security_officer", {{0}}},
    {"kondo.satoshi", "近藤 聡（行政管理課長）", "gyosei", "security_manager", {{"system_manager", "narita"}}},
    {"sakamoto.rie", "坂本 理恵（情報推進室長）", "johosuishin", "security_manager", {{"csirt", "narita"}}},
    {"endo.takuya", "遠藤 拓也（情報推進室）", "johosuishin", "system_staff", {{"csirt", "narita"}}},
    {"aoki.yoko", "青木 陽子（広報課長）", "kohou", "security_manager", {{0}}},
    {"fukuda.shin", "福田 慎（市民税課長）", "shiminzei", "security_manager", {{0}}},
    {"nishimura.ai", "西村 愛（収納課長）", "shuno", "security_manager", {{0}}},
    {"ota.kenji", "太田 健司（市民課長）", "shiminka", "security_manager", {{0}}},
    {"miura.yumiko", "三浦 由美子（障がい者福祉課長）", "shogai", "security_manager", {{0}}},
    {"fujii.hideo", "藤井 英夫（介護保険課長）", "kaigo", "security_manager", {{0}}},
    {"okamoto.jun", "岡本 純（学務課長）", "gakumu", "security_manager", {{0}}},
    {"matsuda.kazuki", "松田 和樹（消防本部総務課長）", "shobosomu", "security_manager", {{0}}},
    {"nakajima.saori", "中島 沙織", "shiminka", "staff", {{0}}},
    {"harada.yuta", "原田 雄太", "shiminzei", "staff", {{0}}},
    {"ono.misaki", "小野 美咲（会計年度任用職員）", "kaigo", "staff", {{0}}},
    {"takeda.ryo", "竹田 亮", "gakumu", "staff", {{0}}},
    {"tamura.ken", "田村 健", "shobosomu", "staff", {{0}}},
    {"kaneko.tetsuya", "金子 哲也", "vendor-kikan", "contractor", {{0}}},
    {"wada.mika", "和田 美香", "vendor-web", "contractor", {{0}}},
    {"sugiyama.noriko", "杉山 典子（監査委員事務局長）", "narita", "auditor", {{0}}},
};

static const struct sk_demo_asset narita_assets[] = {
    /* 市民課 */
    {"shiminka", "system", "住民基本台帳システム", 1, NA_DC, "3", "2", "2", "mynumber", "BM", 24, "2020-01-06", D_SYS},
    {"shiminka", "data", "住民基本台帳データベース", 1, NA_DC, "3", "2", "2", "mynumber", "BM", 24, "2020-01-06", D_DATA},
    {"shiminka", "hardware", "住民票等発行用端末", 6, "本庁舎1階 市民課窓口", "3", "2", "2", "mynumber", "M", 8, "2022-10-03", D_HW},
    {"shiminka", "document", "住民異動届（紙の申請書）", 1200, "市民課 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"shiminka", "document", "印鑑登録原票", 1, "市民課 耐火書庫", "3", "2", "2", "lgwan", "P", 72, "2010-04-01", D_PAPER},
    {"shiminka", "hardware", "職員の端末（市民課）", 18, "本庁舎1階 市民課執務室", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    {"shiminka", "document", "窓口案内パンフレット", 500, "本庁舎1階 市民課窓口", "1", "1", "1", "lgwan", "", 0, "2025-04-01", D_PUB},
    /* 市民税課 */
    {"shiminzei", "system", "個人住民税課税システム", 1, NA_DC, "3", "2", "2", "mynumber", "BM", 48, "2020-01-06", D_SYS},
    {"shiminzei", "document", "課税台帳（個人住民税）", 1, "市民税課 施錠書庫", "3", "2", "2", "mynumber", "M", 72, "2015-04-01", D_PAPER},
    {"shiminzei", "document", "給与支払報告書（紙）", 15000, "市民税課 施錠書庫", "3", "2", "1", "mynumber", "M", 0, "2026-01-31", D_PAPER},
    {"shiminzei", "data", "eLTAX受信データ", 1, NA_DC, "3", "2", "1", "mynumber", "BM", 0, "2026-02-02", D_DATA},
    {"shiminzei", "media", "USBメモリ（暗号化機能付き・課税資料受渡し用）", 3, "市民税課 施錠キャビネット", "3", "1", "1", "mynumber", "M", 0, "2023-06-01", D_MEDIA},
    {"shiminzei", "hardware", "職員の端末（市民税課）", 14, "本庁舎2階 市民税課執務室", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 収納課 */
    {"shuno", "system", "収納管理システム", 1, NA_DC, "3", "2", "2", "mynumber", "BM", 48, "2020-01-06", D_SYS},
    {"shuno", "document", "滞納整理記録（紙）", 800, "収納課 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2024-04-01", D_PAPER},
    {"shuno", "document", "口座振替依頼書", 3000, "収納課 施錠書庫", "3", "1", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"shuno", "hardware", "職員の端末（収納課）", 10, "本庁舎2階 収納課執務室", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 介護保険課 */
    {"kaigo", "system", "介護保険システム", 1, NA_DC, "3", "2", "2", "mynumber", "BM", 48, "2021-04-01", D_SYS},
    {"kaigo", "document", "要介護認定調査票", 2400, "介護保険課 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"kaigo", "hardware", "タブレット端末（認定調査用）", 8, "介護保険課 施錠キャビネット", "2", "1", "1", "lgwan", "P", 0, "2023-10-02", D_HW},
    {"kaigo", "document", "介護保険被保険者証（未交付分）", 300, "介護保険課 金庫", "2", "1", "1", "lgwan", "P", 0, "2026-03-01", D_PAPER},
    /* 障がい者福祉課 */
    {"shogai", "system", "障害者福祉システム", 1, NA_DC, "3", "2", "2", "mynumber", "BM", 48, "2021-04-01", D_SYS},
    {"shogai", "document", "身体障害者手帳交付申請書", 600, "障がい者福祉課 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"shogai", "document", "障がい福祉サービス受給者台帳", 1, "障がい者福祉課 施錠書庫", "3", "2", "2", "lgwan", "P", 72, "2018-04-01", D_PAPER},
    {"shogai", "hardware", "職員の端末（障がい者福祉課）", 9, "本庁舎1階 障がい者福祉課執務室", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 広報課 */
    {"kohou", "system", "市ホームページCMS", 1, "委託先クラウド（ASP）", "1", "2", "2", "internet", "B", 12, "2022-04-01", D_SYS},
    {"kohou", "data", "広報なりた原稿データ", 1, "インターネット接続系ファイルサーバ", "1", "1", "1", "internet", "B", 0, "2025-04-01", D_DATA},
    {"kohou", "hardware", "デジタルカメラ（取材用）", 3, "広報課 備品庫", "1", "1", "1", "internet", "", 0, "2021-07-01", D_HW},
    {"kohou", "software", "画像編集ソフトウェア", 3, "広報課 インターネット接続系端末", "1", "1", "1", "internet", "", 0, "2024-04-01", D_SW},
    {"kohou", "data", "市公式SNSアカウントの認証情報", 1, "広報課 施錠キャビネット", "2", "2", "1", "internet", "", 0, "2019-10-01", D_DATA},
    {"kohou", "document", "報道発表資料（発表前）", 40, "広報課 執務室", "2", "1", "1", "lgwan", "", 0, "2026-04-01", D_PAPER},
    /* 行政管理課・情報推進室 */
    {"gyosei", "document", "情報資産台帳（紙の控え）", 1, "行政管理課 施錠キャビネット", "2", "2", "1", "lgwan", "", 0, "2025-04-01", D_PAPER},
    {"gyosei", "system", "文書管理システム", 1, NA_SRV, "2", "2", "2", "lgwan", "B", 24, "2019-04-01", D_SYS},
    {"gyosei", "data", "電子決裁文書データ", 1, NA_SRV, "2", "2", "2", "lgwan", "B", 24, "2019-04-01", D_DATA},
    {"gyosei", "document", "例規集（原本）", 1, "行政管理課 書庫", "1", "2", "1", "lgwan", "", 0, "2012-04-01", D_PUB},
    {"johosuishin", "system", "財務会計システム", 1, NA_SRV, "2", "2", "2", "lgwan", "B", 24, "2021-04-01", D_SYS},
    {"johosuishin", "system", "グループウェア", 1, NA_SRV, "2", "1", "2", "lgwan", "B", 12, "2020-10-01", D_SYS},
    {"johosuishin", "hardware", "LGWAN接続系ファイルサーバ", 2, NA_SRV, "2", "2", "2", "lgwan", "B", 24, "2022-03-01", D_HW},
    {"johosuishin", "network", "マイナンバー利用事務系ネットワーク", 1, NA_SRV, "3", "2", "2", "mynumber", "", 8, "2017-07-01", D_NET},
    {"johosuishin", "network", "庁内LAN（LGWAN接続系）", 1, NA_SRV, "2", "2", "2", "lgwan", "", 8, "2017-07-01", D_NET},
    {"johosuishin", "network", "インターネット接続系ネットワーク", 1, NA_SRV, "2", "1", "2", "internet", "", 8, "2017-07-01", D_NET},
    {"johosuishin", "hardware", "無害化通信装置（メール・ファイル）", 2, NA_SRV, "2", "2", "2", "lgwan", "", 8, "2017-07-01", D_HW},
    {"johosuishin", "system", "仮想ブラウザ環境（インターネット閲覧）", 1, NA_SRV, "1", "1", "2", "internet", "", 24, "2021-10-01", D_SYS},
    {"johosuishin", "hardware", "認証サーバ（二要素認証）", 2, NA_SRV, "3", "2", "2", "mynumber", "B", 8, "2022-03-01", D_HW},
    {"johosuishin", "facility", "サーバ室（入退室管理設備を含む）", 1, NA_SRV, "2", "2", "2", "lgwan", "", 4, "2005-04-01", D_FAC},
    {"johosuishin", "facility", "無停電電源装置（UPS）", 4, NA_SRV, "1", "1", "2", "lgwan", "", 4, "2023-02-01", D_FAC},
    {"johosuishin", "media", "バックアップ用LTOテープ", 40, "遠隔地保管庫（委託先）", "3", "2", "2", "mynumber", "M", 24, "2024-04-01", D_MEDIA},
    {"johosuishin", "software", "OSライセンス（職員用端末）", 900, "各課 職員の端末", "1", "1", "1", "lgwan", "", 0, "2024-08-01", D_SW},
    {"johosuishin", "software", "ウイルス対策ソフトウェア", 900, "各課 職員の端末", "1", "2", "2", "lgwan", "", 24, "2025-04-01", D_SW},
    {"johosuishin", "document", "ネットワーク構成図", 1, "情報推進室 施錠キャビネット", "3", "2", "1", "lgwan", "", 0, "2025-04-01", D_PAPER},
    {"johosuishin", "document", "特権ID・パスワード管理台帳", 1, "情報推進室 金庫", "3", "2", "1", "lgwan", "", 0, "2025-04-01", D_PAPER},
    {"johosuishin", "media", "USBメモリ（データ移送用・暗号化）", 5, "情報推進室 施錠キャビネット", "3", "1", "1", "mynumber", "", 0, "2023-06-01", D_MEDIA},
    {"johosuishin", "hardware", "職員の端末（情報推進室）", 8, "本庁舎3階 情報推進室", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 学務課 */
    {"gakumu", "system", "学齢簿システム", 1, NA_DC, "3", "2", "2", "mynumber", "BM", 48, "2021-04-01", D_SYS},
    {"gakumu", "document", "就学援助申請書", 900, "学務課 施錠書庫", "3", "1", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"gakumu", "hardware", "職員の端末（学務課）", 6, "教育委員会庁舎2階 学務課", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 消防本部総務課 */
    {"shobosomu", "system", "消防指令システム", 1, "消防本部 通信指令室", "2", "2", "2", "lgwan", "B", 1, "2020-04-01", D_SYS},
    {"shobosomu", "data", "救急活動記録", 1, "消防本部 通信指令室", "3", "2", "2", "lgwan", "BP", 24, "2020-04-01", D_DATA},
    {"shobosomu", "document", "危険物施設台帳", 1, "消防本部総務課 書庫", "2", "2", "1", "lgwan", "", 0, "2016-04-01", D_PAPER},
    {"shobosomu", "hardware", "職員の端末（消防本部）", 12, "消防本部 事務室", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 部が直接管理するもの */
    {"somu", "document", "職員人事記録", 1, "総務部 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2015-04-01", D_PAPER},
    {"zaisei", "document", "予算編成資料（公表前）", 1, "財政部 執務室", "2", "1", "1", "lgwan", "", 0, "2026-01-15", D_PAPER},
    {"fukushi", "document", "生活保護ケース記録", 450, "福祉部 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2024-04-01", D_PAPER},
};
// clang-format on

/* ---------------------------------------------------------------- 八王子市 */
/*
 * 八王子市指定管理者における情報セキュリティガイドライン 5, 6: CISO (副市長), the
 * 情報セキュリティ総括責任者, the 部長 and 課長 who oversee a designated manager's
 * work (情報セキュリティ責任者・管理者), the 情報システム管理者 and 担当者, the CSIRT,
 * and at each designated manager its 情報セキュリティ対策責任者 (dm_officer) and
 * 従事者; the designated manager's subcontractor (19(1)) is a unit below it.
 * The seed knows two networks (7(11)ア); the city's own desks are on LGWAN.
 */
#define HA_DC  "八王子市 庁外データセンター（委託先）"
#define HA_SRV "本庁舎 サーバ室（入退室管理区域）"
#define HA_CTR "市民センター 事務室"
#define HA_GYM "市民体育館 事務室"

// clang-format off
static const struct sk_demo_unit hachioji_units[] = {
    {"somu", "総務部", "department", "hachioji", "総務部長"},
    {"shimin", "市民部", "department", "hachioji", "市民部長"},
    {"fukushi", "福祉部", "department", "hachioji", "福祉部長"},
    {"kyoiku", "教育委員会学校教育部", "department", "hachioji", "学校教育部長"},
    {"shokuin", "職員課", "section", "somu", "職員課長"},
    {"joho", "情報管理課", "section", "somu", "情報管理課長"},
    {"shiminka", "市民課", "section", "shimin", "市民課長"},
    {"zeimu", "住民税課", "section", "shimin", "住民税課長"},
    {"kyodo", "協働推進課", "section", "shimin", "協働推進課長"},
    {"fukushika", "福祉政策課", "section", "fukushi", "福祉政策課長"},
    {"kaigo", "介護保険課", "section", "fukushi", "介護保険課長"},
    {"gakko", "学校教育政策課", "section", "kyoiku", "学校教育政策課長"},
    {"shido", "教育指導課", "section", "kyoiku", "教育指導課長"},
    {"sports", "スポーツ振興課", "section", "kyoiku", "スポーツ振興課長"},
    {"center-dm", "市民センター指定管理者（一般財団法人はちおうじ地域振興会）", "designated_manager", "kyodo", "情報セキュリティ対策責任者（センター長）"},
    {"gym-dm", "市民体育館指定管理者（株式会社はちおうじスポーツサービス）", "designated_manager", "sports", "情報セキュリティ対策責任者（館長）"},
    {"center-dm-sys", "株式会社サンプル予約システム（施設予約システム保守・指定管理者の委託先）", "contractor", "center-dm", "業務責任者"},
    {"vendor-sys", "株式会社サンプル情報システム（基幹系保守）", "contractor", "joho", "業務責任者"},
};

static const struct sk_demo_person hachioji_people[] = {
    {"yamada.taro", "山田 太郎（副市長）", "hachioji", "ciso", {{0}}},
    {"sato.hanako", "佐藤 花子（総務部長）", "somu", "security_officer", {{"general_manager", "hachioji"}, {"city", "hachioji"}}},
    {"suzuki.ichiro", "鈴木 一郎（情報管理課長）", "joho", "security_manager", {{"system_manager", "joho"}}},
    {"takahashi.ken", "高橋 健", "joho", "system_staff", {{"csirt", "hachioji"}}},
    {"tanaka.yumi", "田中 由美", "joho", "staff", {{"csirt", "hachioji"}}},
    {"ito.makoto", "伊藤 誠（職員課長）", "shokuin", "security_manager", {{0}}},
    {"watanabe.aya", "渡辺 彩", "shokuin", "staff", {{0}}},
    {"nakamura.susumu", "中村 進（市民部長）", "shimin", "security_officer", {{0}}},
    {"kobayashi.mai", "小林 舞（市民課長）", "shiminka", "security_manager", {{0}}},
    {"kato.yuki", "加藤 由紀", "shiminka", "staff", {{0}}},
    {"yoshida.koji", "吉田 浩二（住民税課長）", "zeimu", "security_manager", {{"system_manager", "zeimu"}}},
    {"yamamoto.emi", "山本 恵美", "zeimu", "staff", {{0}}},
    {"okubo.hiromi", "大久保 裕美（協働推進課長）", "kyodo", "security_manager", {{0}}},
    {"matsumoto.ryo", "松本 亮（福祉部長）", "fukushi", "security_officer", {{0}}},
    {"inoue.kana", "井上 佳奈（福祉政策課長）", "fukushika", "security_manager", {{0}}},
    {"hayashi.tomoko", "林 智子（介護保険課長）", "kaigo", "security_manager", {{0}}},
    {"kimura.jun", "木村 潤", "kaigo", "staff", {{0}}},
    {"shimizu.daisuke", "清水 大輔（教育部長）", "kyoiku", "security_officer", {{0}}},
    {"kondo.yuka", "近藤 由佳（学校教育政策課長）", "gakko", "security_manager", {{0}}},
    {"yamaguchi.sho", "山口 翔", "gakko", "staff", {{0}}},
    {"fujiwara.gen", "藤原 玄（教育指導課長）", "shido", "security_manager", {{0}}},
    {"nomura.kiyoshi", "野村 清（スポーツ振興課長）", "sports", "security_manager", {{0}}},
    {"mori.akira", "森 明（センター長）", "center-dm", "dm_officer", {{0}}},
    {"ikeda.saki", "池田 咲", "center-dm", "staff", {{0}}},
    {"sakai.yosuke", "酒井 洋介（館長）", "gym-dm", "dm_officer", {{0}}},
    {"ueda.chika", "上田 千佳", "gym-dm", "staff", {{0}}},
    {"hashimoto.takeshi", "橋本 剛", "vendor-sys", "contractor", {{0}}},
    {"kubo.tatsuya", "久保 達也", "center-dm-sys", "contractor", {{0}}},
    {"abe.naoki", "阿部 直樹（監査委員事務局）", "hachioji", "auditor", {{0}}},
};

static const struct sk_demo_asset hachioji_assets[] = {
    /* 市民課 */
    {"shiminka", "system", "住民基本台帳システム", 1, HA_DC, "3", "2", "2", "mynumber", "BM", 24, "2020-01-06", D_SYS},
    {"shiminka", "data", "住民基本台帳データベース", 1, HA_DC, "3", "2", "2", "mynumber", "BM", 24, "2020-01-06", D_DATA},
    {"shiminka", "hardware", "証明書発行用端末", 8, "本庁舎1階 市民課窓口", "3", "2", "2", "mynumber", "M", 8, "2022-10-03", D_HW},
    {"shiminka", "document", "住民異動届（紙の申請書）", 1500, "市民課 施錠書庫", "3", "2", "1", "mynumber", "M", 0, "2025-04-01", D_PAPER},
    {"shiminka", "document", "戸籍附票の写し交付請求書", 600, "市民課 施錠書庫", "3", "1", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"shiminka", "hardware", "職員の端末（市民課）", 20, "本庁舎1階 市民課執務室", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    {"shiminka", "document", "窓口案内パンフレット", 500, "本庁舎1階 市民課窓口", "1", "1", "1", "lgwan", "", 0, "2025-04-01", D_PUB},
    /* 住民税課 */
    {"zeimu", "system", "住民税課税システム", 1, HA_DC, "3", "2", "2", "mynumber", "BM", 48, "2020-01-06", D_SYS},
    {"zeimu", "document", "課税台帳（個人住民税）", 1, "住民税課 施錠書庫", "3", "2", "2", "mynumber", "M", 72, "2015-04-01", D_PAPER},
    {"zeimu", "document", "給与支払報告書（紙）", 18000, "住民税課 施錠書庫", "3", "2", "1", "mynumber", "M", 0, "2026-01-31", D_PAPER},
    {"zeimu", "data", "eLTAX受信データ", 1, HA_DC, "3", "2", "1", "mynumber", "BM", 0, "2026-02-02", D_DATA},
    {"zeimu", "media", "USBメモリ（暗号化・課税資料受渡し用）", 3, "住民税課 施錠キャビネット", "3", "1", "1", "mynumber", "M", 0, "2023-06-01", D_MEDIA},
    {"zeimu", "hardware", "職員の端末（住民税課）", 16, "本庁舎2階 住民税課執務室", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 情報管理課 */
    {"joho", "system", "財務会計システム", 1, HA_SRV, "2", "2", "2", "lgwan", "B", 24, "2021-04-01", D_SYS},
    {"joho", "system", "グループウェア", 1, HA_SRV, "2", "1", "2", "lgwan", "B", 12, "2020-10-01", D_SYS},
    {"joho", "network", "特定個人情報を取り扱うネットワーク", 1, HA_SRV, "3", "2", "2", "mynumber", "", 8, "2017-07-01", D_NET},
    {"joho", "network", "庁内LAN（LGWAN接続系）", 1, HA_SRV, "2", "2", "2", "lgwan", "", 8, "2017-07-01", D_NET},
    {"joho", "network", "インターネットに接続するネットワーク", 1, HA_SRV, "2", "1", "2", "internet", "", 8, "2017-07-01", D_NET},
    {"joho", "hardware", "無害化通信装置", 2, HA_SRV, "2", "2", "2", "lgwan", "", 8, "2017-07-01", D_HW},
    {"joho", "hardware", "ファイルサーバ", 2, HA_SRV, "2", "2", "2", "lgwan", "B", 24, "2022-03-01", D_HW},
    {"joho", "facility", "サーバ室（入退室管理設備を含む）", 1, HA_SRV, "2", "2", "2", "lgwan", "", 4, "2006-04-01", D_FAC},
    {"joho", "media", "バックアップ用LTOテープ", 48, "遠隔地保管庫（委託先）", "3", "2", "2", "mynumber", "M", 24, "2024-04-01", D_MEDIA},
    {"joho", "software", "ウイルス対策ソフトウェア", 2600, "各課 職員の端末", "1", "2", "2", "lgwan", "", 24, "2025-04-01", D_SW},
    {"joho", "software", "OSライセンス（職員用端末）", 2600, "各課 職員の端末", "1", "1", "1", "lgwan", "", 0, "2024-08-01", D_SW},
    {"joho", "document", "ネットワーク構成図", 1, "情報管理課 施錠キャビネット", "3", "2", "1", "lgwan", "", 0, "2025-04-01", D_PAPER},
    {"joho", "document", "特権ID・パスワード管理台帳", 1, "情報管理課 金庫", "3", "2", "1", "lgwan", "", 0, "2025-04-01", D_PAPER},
    {"joho", "system", "インターネット閲覧用仮想ブラウザ", 1, HA_SRV, "1", "1", "2", "internet", "", 24, "2021-10-01", D_SYS},
    {"joho", "hardware", "職員の端末（情報管理課）", 10, "本庁舎3階 情報管理課", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 職員課 */
    {"shokuin", "system", "人事給与システム", 1, HA_SRV, "3", "2", "2", "mynumber", "BM", 48, "2019-04-01", D_SYS},
    {"shokuin", "document", "職員の扶養控除等申告書", 3000, "職員課 施錠書庫", "3", "2", "1", "mynumber", "M", 0, "2026-01-10", D_PAPER},
    {"shokuin", "document", "職員人事記録", 1, "職員課 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2015-04-01", D_PAPER},
    {"shokuin", "hardware", "職員の端末（職員課）", 9, "本庁舎4階 職員課", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 福祉部 */
    {"fukushika", "system", "福祉総合システム", 1, HA_DC, "3", "2", "2", "mynumber", "BM", 48, "2021-04-01", D_SYS},
    {"fukushika", "document", "生活保護ケース記録", 700, "福祉政策課 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2024-04-01", D_PAPER},
    {"fukushika", "hardware", "職員の端末（福祉政策課）", 12, "本庁舎2階 福祉政策課", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    {"kaigo", "system", "介護保険システム", 1, HA_DC, "3", "2", "2", "mynumber", "BM", 48, "2021-04-01", D_SYS},
    {"kaigo", "document", "要介護認定調査票", 3000, "介護保険課 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"kaigo", "hardware", "タブレット端末（認定調査用）", 10, "介護保険課 施錠キャビネット", "2", "1", "1", "lgwan", "P", 0, "2023-10-02", D_HW},
    /* 教育委員会 */
    {"gakko", "system", "学齢簿システム", 1, HA_DC, "3", "2", "2", "mynumber", "BM", 48, "2021-04-01", D_SYS},
    {"gakko", "document", "就学援助申請書", 1100, "学校教育政策課 施錠書庫", "3", "1", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"shido", "data", "教材用デジタルコンテンツ", 1, "教育センター ファイルサーバ", "1", "1", "1", "internet", "B", 0, "2023-04-01", D_DATA},
    {"shido", "hardware", "研修用ノートパソコン", 20, "教育センター 研修室", "1", "1", "1", "internet", "", 0, "2022-04-01", D_HW},
    {"sports", "document", "体育施設の指定管理協定書", 1, "スポーツ振興課 書庫", "2", "2", "1", "lgwan", "", 0, "2024-04-01", D_PAPER},
    /* 協働推進課 */
    {"kyodo", "document", "市民センター指定管理者の事業報告書", 5, "協働推進課 書庫", "2", "1", "1", "lgwan", "", 0, "2025-06-30", D_PAPER},
    {"kyodo", "document", "市民センターの指定管理協定書", 1, "協働推進課 書庫", "2", "2", "1", "lgwan", "", 0, "2024-04-01", D_PAPER},
    /* 市民センター指定管理者 */
    {"center-dm", "system", "施設予約システム", 1, "委託先クラウド（ASP）", "2", "2", "2", "internet", "B", 24, "2024-04-01", D_SYS},
    {"center-dm", "data", "施設利用者名簿", 1, "委託先クラウド（ASP）", "3", "2", "1", "internet", "BP", 0, "2024-04-01", D_DATA},
    {"center-dm", "document", "施設利用申込書（紙の申請書）", 2000, HA_CTR " 施錠書庫", "3", "1", "1", "internet", "P", 0, "2025-04-01", D_PAPER},
    {"center-dm", "document", "講座受講者名簿", 40, HA_CTR " 施錠キャビネット", "3", "1", "1", "internet", "P", 0, "2025-04-01", D_PAPER},
    {"center-dm", "hardware", "受付用パソコン", 3, HA_CTR " 受付", "2", "1", "1", "internet", "", 0, "2024-04-01", D_HW},
    {"center-dm", "hardware", "複合機（コピー・スキャナ）", 1, HA_CTR, "2", "1", "1", "internet", "", 0, "2024-04-01", D_HW},
    {"center-dm", "media", "USBメモリ（市への報告書提出用・暗号化）", 2, HA_CTR " 施錠キャビネット", "2", "1", "1", "internet", "", 0, "2024-04-01", D_MEDIA},
    {"center-dm", "data", "センターだより原稿データ", 1, HA_CTR " 受付用パソコン", "1", "1", "1", "internet", "", 0, "2025-04-01", D_DATA},
    {"center-dm", "facility", "防犯カメラ設備", 6, "市民センター 館内", "2", "1", "2", "internet", "", 72, "2024-04-01", D_FAC},
    {"center-dm", "document", "鍵管理簿", 1, HA_CTR, "2", "2", "1", "internet", "", 0, "2024-04-01", D_PAPER},
    /* 市民体育館指定管理者 */
    {"gym-dm", "data", "会員名簿（トレーニング室利用者）", 1, HA_GYM " 受付用パソコン", "3", "2", "1", "internet", "BP", 0, "2024-04-01", D_DATA},
    {"gym-dm", "document", "教室参加申込書", 800, HA_GYM " 施錠書庫", "3", "1", "1", "internet", "P", 0, "2025-04-01", D_PAPER},
    {"gym-dm", "hardware", "受付用パソコン", 2, HA_GYM " 受付", "2", "1", "1", "internet", "", 0, "2024-04-01", D_HW},
    {"gym-dm", "system", "入退館管理システム", 1, HA_GYM, "2", "2", "2", "internet", "B", 24, "2024-04-01", D_SYS},
    {"gym-dm", "document", "施設点検記録", 12, HA_GYM, "1", "2", "1", "internet", "", 0, "2025-04-01", D_PAPER},
    {"gym-dm", "data", "館内掲示用イベント案内", 1, HA_GYM " 受付用パソコン", "1", "1", "1", "internet", "", 0, "2025-04-01", D_DATA},
};
// clang-format on

/* ------------------------------------------------------------------ 新潟市 */
/*
 * 新潟市情報セキュリティ基本方針 and 別記 情報セキュリティに関する要求事項: the public
 * documents name only 甲 (the city), 乙 (the contractor) and 職員等; the city's
 * internal titles are in the non-public 対策基準. So: the CISO every
 * installation has, 甲's representatives for information security (held at
 * the root, found from every unit), 職員等 at their sections, and one 乙 unit
 * under each section that entrusts work to it.
 */
#define NI_DC  "新潟市 庁外データセンター（乙の運用）"
#define NI_SRV "本館地下1階 サーバ室（入退室管理区域）"

// clang-format off
static const struct sk_demo_unit niigata_units[] = {
    {"somu", "総務部", "department", "niigata", "総務部長"},
    {"zaimu", "財務部", "department", "niigata", "財務部長"},
    {"fukushi", "福祉部", "department", "niigata", "福祉部長"},
    {"chuo-ku", "中央区役所", "department", "niigata", "中央区長"},
    {"kyoiku", "教育委員会事務局", "department", "niigata", "教育次長"},
    {"suido", "水道局", "department", "niigata", "水道局長"},
    {"digital", "デジタル行政推進課", "section", "somu", "デジタル行政推進課長"},
    {"jinji", "人事課", "section", "somu", "人事課長"},
    {"shiminzei", "市民税課", "section", "zaimu", "市民税課長"},
    {"nozei", "納税課", "section", "zaimu", "納税課長"},
    {"kaigo", "介護保険課", "section", "fukushi", "介護保険課長"},
    {"kumin", "中央区役所区民生活課", "section", "chuo-ku", "区民生活課長"},
    {"gakumu", "学務課", "section", "kyoiku", "学務課長"},
    {"eigyo", "水道局営業課", "section", "suido", "営業課長"},
    {"otsu-kikan", "株式会社にいがた情報システム（基幹系システム運用委託・乙）", "contractor", "digital", "業務責任者"},
    {"otsu-punch", "株式会社サンプルデータ入力（課税資料データ入力委託・乙）", "contractor", "shiminzei", "業務責任者"},
    {"otsu-kenshin", "株式会社サンプル検針サービス（水道メーター検針委託・乙）", "contractor", "eigyo", "業務責任者"},
};

static const struct sk_demo_person niigata_people[] = {
    {"nishida.makoto", "西田 誠（副市長・最高情報セキュリティ責任者）", "niigata", "ciso", {{0}}},
    {"kawai.yoshiko", "河合 佳子（総務部長・甲の情報セキュリティ担当）", "somu", "staff", {{"city", "niigata"}}},
    {"shibata.koichi", "柴田 浩一（デジタル行政推進課長・甲の情報セキュリティ担当）", "digital", "staff", {{"city", "niigata"}}},
    {"arai.tomomi", "新井 友美（人事課長）", "jinji", "staff", {{0}}},
    {"kojima.hajime", "小島 一（市民税課長）", "shiminzei", "staff", {{0}}},
    {"hirano.sachiko", "平野 幸子（納税課長）", "nozei", "staff", {{0}}},
    {"kudo.masato", "工藤 正人（介護保険課長）", "kaigo", "staff", {{0}}},
    {"honda.erika", "本田 恵理香（区民生活課長）", "kumin", "staff", {{0}}},
    {"iwasaki.go", "岩崎 剛（学務課長）", "gakumu", "staff", {{0}}},
    {"sugawara.toru", "菅原 徹（営業課長）", "eigyo", "staff", {{0}}},
    {"kikuchi.haruka", "菊地 遥（デジタル行政推進課）", "digital", "staff", {{0}}},
    {"noguchi.taku", "野口 拓（市民税課）", "shiminzei", "staff", {{0}}},
    {"mizuno.aoi", "水野 葵（区民生活課・会計年度任用職員）", "kumin", "staff", {{0}}},
    {"otsuka.shun", "大塚 駿（介護保険課）", "kaigo", "staff", {{0}}},
    {"yano.kazuya", "矢野 和也", "otsu-kikan", "contractor", {{0}}},
    {"kubota.rina", "久保田 里奈", "otsu-kikan", "contractor", {{0}}},
    {"maruyama.sho", "丸山 翔", "otsu-punch", "contractor", {{0}}},
    {"takano.mitsuru", "高野 充", "otsu-kenshin", "contractor", {{0}}},
};

static const struct sk_demo_asset niigata_assets[] = {
    /* 区民生活課 */
    {"kumin", "system", "住民基本台帳システム", 1, NI_DC, "3", "2", "2", "mynumber", "BM", 24, "2021-01-04", D_SYS},
    {"kumin", "data", "住民基本台帳データベース", 1, NI_DC, "3", "2", "2", "mynumber", "BM", 24, "2021-01-04", D_DATA},
    {"kumin", "hardware", "証明書自動交付機", 2, "中央区役所1階 ロビー", "3", "2", "2", "mynumber", "M", 8, "2022-10-03", D_HW},
    {"kumin", "document", "住民異動届（紙の申請書）", 1400, "区民生活課 施錠書庫", "3", "2", "1", "mynumber", "M", 0, "2025-04-01", D_PAPER},
    {"kumin", "document", "印鑑登録申請書", 500, "区民生活課 施錠書庫", "3", "1", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"kumin", "hardware", "職員の端末（区民生活課）", 22, "中央区役所2階 区民生活課", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    {"kumin", "document", "区役所窓口案内", 800, "中央区役所1階 総合窓口", "1", "1", "1", "lgwan", "", 0, "2025-04-01", D_PUB},
    /* 市民税課 */
    {"shiminzei", "system", "市民税課税システム", 1, NI_DC, "3", "2", "2", "mynumber", "BM", 48, "2021-01-04", D_SYS},
    {"shiminzei", "document", "課税台帳（個人市民税）", 1, "市民税課 施錠書庫", "3", "2", "2", "mynumber", "M", 72, "2016-04-01", D_PAPER},
    {"shiminzei", "document", "給与支払報告書（紙）", 40000, "市民税課 施錠書庫", "3", "2", "1", "mynumber", "M", 0, "2026-01-31", D_PAPER},
    {"shiminzei", "document", "データ入力用の申告書写し（乙へ提供）", 6000, "乙の作業場所（施錠保管庫）", "3", "2", "1", "mynumber", "M", 0, "2026-02-16", D_PAPER},
    {"shiminzei", "media", "データ入力結果の受渡し用外付けハードディスク（暗号化）", 2, "市民税課 施錠キャビネット", "3", "2", "1", "mynumber", "M", 0, "2023-01-10", D_MEDIA},
    {"shiminzei", "data", "eLTAX受信データ", 1, NI_DC, "3", "2", "1", "mynumber", "BM", 0, "2026-02-02", D_DATA},
    {"shiminzei", "hardware", "職員の端末（市民税課）", 30, "本館3階 市民税課", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 納税課 */
    {"nozei", "system", "収納・滞納管理システム", 1, NI_DC, "3", "2", "2", "mynumber", "BM", 48, "2021-01-04", D_SYS},
    {"nozei", "document", "滞納処分記録", 1200, "納税課 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2024-04-01", D_PAPER},
    {"nozei", "document", "口座振替依頼書", 5000, "納税課 施錠書庫", "3", "1", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"nozei", "hardware", "職員の端末（納税課）", 18, "本館3階 納税課", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 介護保険課 */
    {"kaigo", "system", "介護保険システム", 1, NI_DC, "3", "2", "2", "mynumber", "BM", 48, "2021-04-01", D_SYS},
    {"kaigo", "document", "要介護認定調査票", 5000, "介護保険課 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"kaigo", "hardware", "タブレット端末（認定調査用）", 15, "介護保険課 施錠キャビネット", "2", "1", "1", "lgwan", "P", 0, "2023-10-02", D_HW},
    {"kaigo", "document", "介護保険事業計画（策定中の資料）", 1, "介護保険課 執務室", "2", "1", "1", "lgwan", "", 0, "2026-03-01", D_PAPER},
    /* 人事課 */
    {"jinji", "system", "人事給与システム", 1, NI_SRV, "3", "2", "2", "mynumber", "BM", 48, "2019-04-01", D_SYS},
    {"jinji", "document", "職員の扶養控除等申告書", 9000, "人事課 施錠書庫", "3", "2", "1", "mynumber", "M", 0, "2026-01-10", D_PAPER},
    {"jinji", "document", "職員人事記録", 1, "人事課 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2015-04-01", D_PAPER},
    {"jinji", "document", "採用試験問題（実施前）", 1, "人事課 金庫", "3", "2", "1", "lgwan", "", 0, "2026-04-01", D_PAPER},
    /* デジタル行政推進課 */
    {"digital", "system", "財務会計システム", 1, NI_SRV, "2", "2", "2", "lgwan", "B", 24, "2020-04-01", D_SYS},
    {"digital", "system", "グループウェア", 1, NI_SRV, "2", "1", "2", "lgwan", "B", 12, "2020-10-01", D_SYS},
    {"digital", "hardware", "LGWAN接続系ファイルサーバ", 2, NI_SRV, "2", "2", "2", "lgwan", "B", 24, "2022-03-01", D_HW},
    {"digital", "network", "マイナンバー利用事務系ネットワーク", 1, NI_SRV, "3", "2", "2", "mynumber", "", 8, "2017-07-01", D_NET},
    {"digital", "network", "ＬＧＷＡＮ接続系ネットワーク", 1, NI_SRV, "2", "2", "2", "lgwan", "", 8, "2017-07-01", D_NET},
    {"digital", "network", "インターネット接続系ネットワーク", 1, NI_SRV, "2", "1", "2", "internet", "", 8, "2017-07-01", D_NET},
    {"digital", "hardware", "無害化通信装置", 2, NI_SRV, "2", "2", "2", "lgwan", "", 8, "2017-07-01", D_HW},
    {"digital", "system", "インターネット接続系メールシステム", 1, "自治体情報セキュリティクラウド", "2", "1", "2", "internet", "B", 24, "2021-10-01", D_SYS},
    {"digital", "system", "市ホームページCMS", 1, "委託先クラウド（ASP）", "1", "2", "2", "internet", "B", 12, "2022-04-01", D_SYS},
    {"digital", "facility", "サーバ室（入退室管理設備を含む）", 1, NI_SRV, "2", "2", "2", "lgwan", "", 4, "2007-04-01", D_FAC},
    {"digital", "facility", "無停電電源装置（UPS）", 6, NI_SRV, "1", "1", "2", "lgwan", "", 4, "2023-02-01", D_FAC},
    {"digital", "media", "バックアップ用LTOテープ", 60, "遠隔地保管庫（乙の管理）", "3", "2", "2", "mynumber", "M", 24, "2024-04-01", D_MEDIA},
    {"digital", "software", "OSライセンス（職員用端末）", 4800, "各課 職員の端末", "1", "1", "1", "lgwan", "", 0, "2024-08-01", D_SW},
    {"digital", "software", "ウイルス対策ソフトウェア", 4800, "各課 職員の端末", "1", "2", "2", "lgwan", "", 24, "2025-04-01", D_SW},
    {"digital", "document", "ネットワーク構成図", 1, "デジタル行政推進課 施錠キャビネット", "3", "2", "1", "lgwan", "", 0, "2025-04-01", D_PAPER},
    {"digital", "document", "特権ID・パスワード管理台帳", 1, "デジタル行政推進課 金庫", "3", "2", "1", "lgwan", "", 0, "2025-04-01", D_PAPER},
    {"digital", "document", "乙から提出された作業報告書・使用記録", 24, "デジタル行政推進課 書庫", "2", "2", "1", "lgwan", "", 0, "2025-04-30", D_PAPER},
    {"digital", "media", "USBメモリ（データ移送用・暗号化）", 6, "デジタル行政推進課 施錠キャビネット", "3", "1", "1", "mynumber", "", 0, "2023-06-01", D_MEDIA},
    {"digital", "hardware", "職員の端末（デジタル行政推進課）", 14, "本館4階 デジタル行政推進課", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    {"digital", "data", "オープンデータ（統計情報）", 1, "オープンデータサイト", "1", "1", "1", "internet", "B", 0, "2020-04-01", D_DATA},
    /* 学務課 */
    {"gakumu", "system", "学齢簿システム", 1, NI_DC, "3", "2", "2", "mynumber", "BM", 48, "2021-04-01", D_SYS},
    {"gakumu", "document", "就学援助申請書", 3000, "学務課 施錠書庫", "3", "1", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"gakumu", "hardware", "職員の端末（学務課）", 10, "教育委員会 学務課", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    {"gakumu", "data", "学校配付用のお知らせ原稿", 1, "学務課 ファイルサーバ", "1", "1", "1", "lgwan", "", 0, "2025-04-01", D_DATA},
    /* 水道局営業課 */
    {"eigyo", "system", "水道料金システム", 1, NI_DC, "3", "2", "2", "lgwan", "BP", 24, "2019-04-01", D_SYS},
    {"eigyo", "hardware", "検針用ハンディターミナル（乙へ貸与）", 120, "乙の営業所 施錠保管庫", "3", "2", "1", "lgwan", "P", 0, "2022-04-01", D_HW},
    {"eigyo", "data", "検針データ", 1, NI_DC, "3", "2", "2", "lgwan", "BP", 24, "2019-04-01", D_DATA},
    {"eigyo", "document", "給水装置工事申込書", 900, "営業課 施錠書庫", "2", "1", "1", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"eigyo", "hardware", "職員の端末（営業課）", 12, "水道局庁舎2階 営業課", "2", "1", "1", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 部・区役所が直接管理するもの */
    {"chuo-ku", "document", "区自治協議会の会議資料（公開前）", 10, "中央区役所 地域総務課", "2", "1", "1", "lgwan", "", 0, "2026-03-01", D_PAPER},
    {"chuo-ku", "hardware", "区役所の防災無線設備", 1, "中央区役所 防災室", "2", "2", "2", "lgwan", "", 4, "2018-04-01", D_FAC},
    {"somu", "document", "情報資産台帳（紙の控え）", 1, "総務部 施錠キャビネット", "2", "2", "1", "lgwan", "", 0, "2025-04-01", D_PAPER},
    {"zaimu", "document", "予算編成資料（公表前）", 1, "財務部 執務室", "2", "1", "1", "lgwan", "", 0, "2026-01-15", D_PAPER},
    {"fukushi", "document", "生活保護ケース記録", 1500, "福祉部 施錠書庫", "3", "2", "1", "lgwan", "P", 0, "2024-04-01", D_PAPER},
    {"suido", "document", "水道施設の配管図", 1, "水道局 施錠書庫", "3", "2", "2", "lgwan", "", 72, "2012-04-01", D_PAPER},
};
// clang-format on

/* ---------------------------------------------------------------- 世田谷区 */
/*
 * 世田谷区情報セキュリティ対策基準（委託先事業者等公開用抜粋版）: CISO, CISO補佐,
 * 情報化管理者 (one per department here: the 部 is where a section's chain
 * finds it), 情報システム管理者 (at the section running the system) and
 * 情報化基盤管理者 (the city-wide infrastructure, held at the root), 職員等,
 * 外部委託事業者等, and the 情報セキュリティ監査責任者 the CISO appoints (16(1)ア).
 * The 抜粋版 has 重要性分類 only: 完全性 and 可用性 are undivided ("-").
 */
#define SE_DC  "世田谷区 庁外データセンター（委託先）"
#define SE_SRV "本庁舎 サーバ室（入退室管理区域）"

// clang-format off
static const struct sk_demo_unit setagaya_units[] = {
    {"seisaku", "政策経営部", "department", "setagaya", "政策経営部長"},
    {"somu", "総務部", "department", "setagaya", "総務部長"},
    {"chiiki", "地域行政部", "department", "setagaya", "地域行政部長"},
    {"zaimu", "財務部", "department", "setagaya", "財務部長"},
    {"korei", "高齢福祉部", "department", "setagaya", "高齢福祉部長"},
    {"kyoiku", "教育委員会事務局", "department", "setagaya", "教育政策・生涯学習部長"},
    {"sogo", "世田谷総合支所", "department", "setagaya", "世田谷総合支所長"},
    {"dx", "DX推進担当課", "section", "seisaku", "DX推進担当課長"},
    {"johoseisaku", "情報政策課", "section", "seisaku", "情報政策課長"},
    {"somuka", "総務課", "section", "somu", "総務課長"},
    {"jumin", "住民記録・戸籍課", "section", "chiiki", "住民記録・戸籍課長"},
    {"kazei", "課税課", "section", "zaimu", "課税課長"},
    {"nozei", "納税課", "section", "zaimu", "納税課長"},
    {"kaigo", "介護保険課", "section", "korei", "介護保険課長"},
    {"gakumu", "学務課", "section", "kyoiku", "学務課長"},
    {"kumin", "世田谷総合支所区民課", "section", "sogo", "区民課長"},
    {"vendor-juki", "株式会社せたがや情報サービス（住民記録システム運用）", "contractor", "jumin", "業務責任者"},
    {"vendor-cloud", "株式会社サンプルクラウド（庁内クラウドサービス提供）", "contractor", "johoseisaku", "業務責任者"},
};

static const struct sk_demo_person setagaya_people[] = {
    {"hoshino.akio", "星野 明夫（副区長・CISO）", "setagaya", "ciso", {{0}}},
    {"taniguchi.mayumi", "谷口 真由美（政策経営部長・CISO補佐）", "setagaya", "general_manager", {{"city", "setagaya"}}},
    {"nagai.kenta", "永井 健太（情報政策課長・情報化基盤管理者）", "johoseisaku", "system_manager", {{"system_manager", "setagaya"}}},
    {"sakurai.emiko", "桜井 恵美子（DX推進担当課長・政策経営部情報化管理者）", "dx", "staff", {{"security_manager", "seisaku"}}},
    {"kitamura.shin", "北村 慎（総務課長・総務部情報化管理者）", "somuka", "staff", {{"security_manager", "somu"}}},
    {"imai.noriyuki", "今井 規之（住民記録・戸籍課長・情報システム管理者）", "jumin", "system_manager", {{"security_manager", "chiiki"}}},
    {"takagi.rei", "高木 玲（課税課長・財務部情報化管理者）", "kazei", "staff", {{"security_manager", "zaimu"}}},
    {"murata.kazue", "村田 和枝（納税課長）", "nozei", "staff", {{0}}},
    {"ando.yusuke", "安藤 雄介（介護保険課長・高齢福祉部情報化管理者）", "kaigo", "staff", {{"security_manager", "korei"}}},
    {"ishida.asami", "石田 麻美（学務課長・教育委員会事務局情報化管理者）", "gakumu", "staff", {{"security_manager", "kyoiku"}}},
    {"ueno.takashi", "上野 隆（区民課長・世田谷総合支所情報化管理者）", "kumin", "staff", {{"security_manager", "sogo"}}},
    {"morita.yui", "森田 結衣（情報政策課）", "johoseisaku", "staff", {{0}}},
    {"shibuya.ken", "渋谷 健（住民記録・戸籍課）", "jumin", "staff", {{0}}},
    {"koike.nana", "小池 菜々（区民課・会計年度任用職員）", "kumin", "staff", {{0}}},
    {"hirota.daiki", "広田 大樹（課税課）", "kazei", "staff", {{0}}},
    {"yokoyama.jin", "横山 仁", "vendor-juki", "contractor", {{0}}},
    {"miyazaki.aya", "宮崎 彩", "vendor-cloud", "contractor", {{0}}},
    {"kanda.michio", "神田 道雄（情報セキュリティ監査責任者）", "setagaya", "auditor", {{0}}},
};

static const struct sk_demo_asset setagaya_assets[] = {
    /* 住民記録・戸籍課 */
    {"jumin", "system", "住民記録システム", 1, SE_DC, "I", "-", "-", "mynumber", "BM", 0, "2021-01-04", D_SYS},
    {"jumin", "data", "住民基本台帳データベース", 1, SE_DC, "I", "-", "-", "mynumber", "BM", 0, "2021-01-04", D_DATA},
    {"jumin", "system", "戸籍情報システム", 1, SE_DC, "I", "-", "-", "mynumber", "BP", 0, "2020-02-03", D_SYS},
    {"jumin", "document", "戸籍届書（紙）", 2500, "住民記録・戸籍課 施錠書庫", "I", "-", "-", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"jumin", "media", "USBメモリ（暗号化・法務局への提出データ用）", 2, "住民記録・戸籍課 施錠キャビネット", "I", "-", "-", "mynumber", "M", 0, "2023-06-01", D_MEDIA},
    {"jumin", "hardware", "職員の端末（住民記録・戸籍課）", 24, "本庁舎 住民記録・戸籍課", "III", "-", "-", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 世田谷総合支所区民課 */
    {"kumin", "hardware", "証明書発行用端末", 6, "世田谷総合支所 区民課窓口", "I", "-", "-", "mynumber", "M", 0, "2022-10-03", D_HW},
    {"kumin", "document", "住民異動届（紙の申請書）", 1800, "区民課 施錠書庫", "I", "-", "-", "mynumber", "M", 0, "2025-04-01", D_PAPER},
    {"kumin", "document", "印鑑登録申請書", 600, "区民課 施錠書庫", "II", "-", "-", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"kumin", "hardware", "職員の端末（区民課）", 20, "世田谷総合支所 区民課", "III", "-", "-", "lgwan", "", 0, "2024-08-01", D_HW},
    {"kumin", "document", "窓口案内パンフレット", 1000, "世田谷総合支所 区民課窓口", "IV", "-", "-", "lgwan", "", 0, "2025-04-01", D_PUB},
    /* 課税課・納税課 */
    {"kazei", "system", "住民税課税システム", 1, SE_DC, "I", "-", "-", "mynumber", "BM", 0, "2021-01-04", D_SYS},
    {"kazei", "document", "課税台帳（特別区民税）", 1, "課税課 施錠書庫", "I", "-", "-", "mynumber", "M", 0, "2016-04-01", D_PAPER},
    {"kazei", "document", "給与支払報告書（紙）", 50000, "課税課 施錠書庫", "I", "-", "-", "mynumber", "M", 0, "2026-01-31", D_PAPER},
    {"kazei", "data", "eLTAX受信データ", 1, SE_DC, "I", "-", "-", "mynumber", "BM", 0, "2026-02-02", D_DATA},
    {"kazei", "hardware", "職員の端末（課税課）", 40, "本庁舎 課税課", "III", "-", "-", "lgwan", "", 0, "2024-08-01", D_HW},
    {"kazei", "document", "税制改正説明資料", 200, "課税課 執務室", "IV", "-", "-", "lgwan", "", 0, "2026-01-15", D_PUB},
    {"nozei", "system", "収納管理システム", 1, SE_DC, "I", "-", "-", "mynumber", "BM", 0, "2021-01-04", D_SYS},
    {"nozei", "document", "滞納整理記録", 1500, "納税課 施錠書庫", "II", "-", "-", "lgwan", "P", 0, "2024-04-01", D_PAPER},
    {"nozei", "document", "口座振替依頼書", 6000, "納税課 施錠書庫", "II", "-", "-", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"nozei", "hardware", "職員の端末（納税課）", 25, "本庁舎 納税課", "III", "-", "-", "lgwan", "", 0, "2024-08-01", D_HW},
    /* 介護保険課 */
    {"kaigo", "system", "介護保険システム", 1, SE_DC, "I", "-", "-", "mynumber", "BM", 0, "2021-04-01", D_SYS},
    {"kaigo", "document", "要介護認定調査票", 6000, "介護保険課 施錠書庫", "II", "-", "-", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"kaigo", "hardware", "タブレット端末（認定調査用）", 20, "介護保険課 施錠キャビネット", "II", "-", "-", "lgwan", "P", 0, "2023-10-02", D_HW},
    {"kaigo", "document", "介護サービス事業者一覧", 1, "介護保険課 執務室", "IV", "-", "-", "internet", "", 0, "2025-04-01", D_PUB},
    /* 学務課 */
    {"gakumu", "system", "学齢簿システム", 1, SE_DC, "I", "-", "-", "mynumber", "BM", 0, "2021-04-01", D_SYS},
    {"gakumu", "document", "就学援助申請書", 4000, "学務課 施錠書庫", "II", "-", "-", "lgwan", "P", 0, "2025-04-01", D_PAPER},
    {"gakumu", "hardware", "職員の端末（学務課）", 12, "教育委員会 学務課", "III", "-", "-", "lgwan", "", 0, "2024-08-01", D_HW},
    {"gakumu", "data", "学校選択制の案内資料", 1, "学務課 ファイルサーバ", "IV", "-", "-", "internet", "", 0, "2025-09-01", D_DATA},
    /* 総務課 */
    {"somuka", "system", "文書管理システム", 1, SE_SRV, "III", "-", "-", "lgwan", "B", 0, "2019-04-01", D_SYS},
    {"somuka", "data", "電子決裁文書データ", 1, SE_SRV, "II", "-", "-", "lgwan", "B", 0, "2019-04-01", D_DATA},
    {"somuka", "document", "区議会答弁資料（答弁前）", 30, "総務課 執務室", "II", "-", "-", "lgwan", "", 0, "2026-02-20", D_PAPER},
    {"somuka", "document", "例規集", 1, "総務課 書庫", "IV", "-", "-", "lgwan", "", 0, "2012-04-01", D_PUB},
    {"somuka", "document", "職員人事記録", 1, "総務課 施錠書庫", "I", "-", "-", "lgwan", "P", 0, "2015-04-01", D_PAPER},
    /* 情報政策課（情報化基盤） */
    {"johoseisaku", "system", "財務会計システム", 1, SE_SRV, "III", "-", "-", "lgwan", "B", 0, "2020-04-01", D_SYS},
    {"johoseisaku", "system", "グループウェア", 1, SE_SRV, "III", "-", "-", "lgwan", "B", 0, "2020-10-01", D_SYS},
    {"johoseisaku", "hardware", "LGWAN接続系ファイルサーバ", 2, SE_SRV, "II", "-", "-", "lgwan", "B", 0, "2022-03-01", D_HW},
    {"johoseisaku", "network", "マイナンバー利用事務系ネットワーク", 1, SE_SRV, "I", "-", "-", "mynumber", "", 0, "2017-07-01", D_NET},
    {"johoseisaku", "network", "LGWAN接続系ネットワーク", 1, SE_SRV, "II", "-", "-", "lgwan", "", 0, "2017-07-01", D_NET},
    {"johoseisaku", "network", "インターネット接続系ネットワーク", 1, SE_SRV, "III", "-", "-", "internet", "", 0, "2017-07-01", D_NET},
    {"johoseisaku", "hardware", "無害化通信装置", 2, SE_SRV, "II", "-", "-", "lgwan", "", 0, "2017-07-01", D_HW},
    {"johoseisaku", "hardware", "ネットワーク接続口（情報コンセント）", 1200, "本庁舎 各執務室", "III", "-", "-", "lgwan", "", 0, "2017-07-01", D_NET},
    {"johoseisaku", "facility", "サーバ室（入退室管理設備を含む）", 1, SE_SRV, "II", "-", "-", "lgwan", "", 0, "2008-04-01", D_FAC},
    {"johoseisaku", "facility", "通信ケーブル・電源ケーブル（サーバ室）", 1, SE_SRV, "III", "-", "-", "lgwan", "", 0, "2008-04-01", D_FAC},
    {"johoseisaku", "media", "バックアップ用LTOテープ", 80, "遠隔地保管庫（委託先）", "I", "-", "-", "mynumber", "M", 0, "2024-04-01", D_MEDIA},
    {"johoseisaku", "data", "サーバ・ネットワーク機器のアクセスログ", 1, SE_SRV, "II", "-", "-", "lgwan", "B", 0, "2022-04-01", D_DATA},
    {"johoseisaku", "software", "OSライセンス（職員用端末）", 6000, "各課 職員の端末", "IV", "-", "-", "lgwan", "", 0, "2024-08-01", D_SW},
    {"johoseisaku", "software", "ウイルス対策ソフトウェア", 6000, "各課 職員の端末", "III", "-", "-", "lgwan", "", 0, "2025-04-01", D_SW},
    {"johoseisaku", "document", "ネットワーク構成図", 1, "情報政策課 施錠キャビネット", "I", "-", "-", "lgwan", "", 0, "2025-04-01", D_PAPER},
    {"johoseisaku", "document", "特権ID・パスワード管理台帳", 1, "情報政策課 金庫", "I", "-", "-", "lgwan", "", 0, "2025-04-01", D_PAPER},
    {"johoseisaku", "system", "インターネット接続系メールシステム", 1, "自治体情報セキュリティクラウド", "III", "-", "-", "internet", "B", 0, "2021-10-01", D_SYS},
    {"johoseisaku", "system", "約款による外部サービス（Web会議）", 1, "外部クラウドサービス", "III", "-", "-", "internet", "", 0, "2021-04-01", D_SW},
    {"johoseisaku", "hardware", "職員の端末（情報政策課）", 15, "本庁舎 情報政策課", "III", "-", "-", "lgwan", "", 0, "2024-08-01", D_HW},
    {"johoseisaku", "document", "情報資産台帳（紙の控え）", 1, "情報政策課 施錠キャビネット", "II", "-", "-", "lgwan", "", 0, "2025-04-01", D_PAPER},
    /* DX推進担当課 */
    {"dx", "system", "区ホームページCMS", 1, "委託先クラウド（ASP）", "IV", "-", "-", "internet", "B", 0, "2022-04-01", D_SYS},
    {"dx", "data", "オープンデータ（統計情報）", 1, "オープンデータサイト", "IV", "-", "-", "internet", "B", 0, "2020-04-01", D_DATA},
    {"dx", "system", "電子申請システム", 1, "委託先クラウド（ASP）", "II", "-", "-", "internet", "BP", 0, "2023-04-01", D_SYS},
    {"dx", "hardware", "モバイル端末（テレワーク用）", 50, "DX推進担当課 施錠保管庫", "III", "-", "-", "internet", "", 0, "2023-07-01", D_HW},
    {"dx", "data", "区公式SNSアカウントの認証情報", 1, "DX推進担当課 施錠キャビネット", "II", "-", "-", "internet", "", 0, "2019-10-01", D_DATA},
    /* 部・支所が直接管理するもの */
    {"seisaku", "document", "基本計画の検討資料（公表前）", 20, "政策経営部 執務室", "III", "-", "-", "lgwan", "", 0, "2026-02-01", D_PAPER},
    {"sogo", "hardware", "支所の防災無線設備", 1, "世田谷総合支所 防災室", "III", "-", "-", "lgwan", "", 0, "2018-04-01", D_FAC},
    {"zaimu", "document", "予算編成資料（公表前）", 1, "財務部 執務室", "III", "-", "-", "lgwan", "", 0, "2026-01-15", D_PAPER},
};
// clang-format on

static const struct sk_demo_city cities[] = {
    {"narita", "narita", "副市長", narita_units, N(narita_units), narita_people, N(narita_people),
     narita_assets, N(narita_assets)},
    {"niigata", "niigata", "副市長", niigata_units, N(niigata_units), niigata_people,
     N(niigata_people), niigata_assets, N(niigata_assets)},
    {"setagaya", "setagaya", "副区長", setagaya_units, N(setagaya_units), setagaya_people,
     N(setagaya_people), setagaya_assets, N(setagaya_assets)},
    {"hachioji", "hachioji", "副市長", hachioji_units, N(hachioji_units), hachioji_people,
     N(hachioji_people), hachioji_assets, N(hachioji_assets)},
};

const struct sk_demo_city *sk_demo_city_table(size_t *n)
{
	*n = N(cities);
	return cities;
}

const struct sk_demo_city *sk_demo_city_find(const char *profile)
{
	for (size_t i = 0; profile && i < N(cities); i++)
		if (strcmp(cities[i].profile, profile) == 0)
			return &cities[i];
	return NULL;
}
