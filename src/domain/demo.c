/* demo: the sample city's data and how it is created. */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "install.h"
#include "org.h"
#include "role.h"
#include "user.h"

#define DEMO_PROFILE "hachioji"
#define DEMO_ROOT    "hachioji"

/* Units in creation order: each parent comes before its children. */
static const struct demo_unit {
	const char *code, *name, *kind, *parent;
} demo_units[] = {
    {"somu", "総務部", "department", DEMO_ROOT},
    {"shimin", "市民部", "department", DEMO_ROOT},
    {"fukushi", "福祉部", "department", DEMO_ROOT},
    {"kyoiku", "教育委員会学校教育部", "department", DEMO_ROOT},
    {"shokuin", "職員課", "section", "somu"},
    {"joho", "情報管理課", "section", "somu"},
    {"shiminka", "市民課", "section", "shimin"},
    {"zeimu", "住民税課", "section", "shimin"},
    {"fukushika", "福祉政策課", "section", "fukushi"},
    {"kaigo", "介護保険課", "section", "fukushi"},
    {"gakko", "学校教育政策課", "section", "kyoiku"},
    {"shido", "教育指導課", "section", "kyoiku"},
    {"center-dm", "市民センター指定管理者（一般財団法人はちおうじ地域振興会）",
     "designated_manager", "shimin"},
    {"vendor-sys", "株式会社サンプル情報システム（基幹系保守）", "contractor", "joho"},
};

/* Grants beyond the first role, which is held at the person's own unit. */
struct grant {
	const char *role, *unit;
};

static const struct demo_person {
	const char *login, *name, *unit, *role; /* role: held at unit */
	struct grant more[3];
} people[] = {
    {"yamada.taro", "山田 太郎（副市長）", DEMO_ROOT, "ciso", {{0}}},
    {"sato.hanako",
     "佐藤 花子（総務部長）",
     "somu",
     "security_officer",
     {{"general_manager", DEMO_ROOT}, {"city", DEMO_ROOT}}},
    {"suzuki.ichiro",
     "鈴木 一郎（情報管理課長）",
     "joho",
     "security_manager",
     {{"system_manager", "joho"}}},
    {"takahashi.ken", "高橋 健", "joho", "system_staff", {{"csirt", DEMO_ROOT}}},
    {"tanaka.yumi", "田中 由美", "joho", "staff", {{"csirt", DEMO_ROOT}}},
    {"ito.makoto", "伊藤 誠（職員課長）", "shokuin", "security_manager", {{0}}},
    {"watanabe.aya", "渡辺 彩", "shokuin", "staff", {{0}}},
    {"nakamura.susumu", "中村 進（市民部長）", "shimin", "security_officer", {{0}}},
    {"kobayashi.mai", "小林 舞（市民課長）", "shiminka", "security_manager", {{0}}},
    {"kato.yuki", "加藤 由紀", "shiminka", "staff", {{0}}},
    {"yoshida.koji",
     "吉田 浩二（住民税課長）",
     "zeimu",
     "security_manager",
     {{"system_manager", "zeimu"}}},
    {"yamamoto.emi", "山本 恵美", "zeimu", "staff", {{0}}},
    {"matsumoto.ryo", "松本 亮（福祉部長）", "fukushi", "security_officer", {{0}}},
    {"inoue.kana", "井上 佳奈（福祉政策課長）", "fukushika", "security_manager", {{0}}},
    {"hayashi.tomoko", "林 智子（介護保険課長）", "kaigo", "security_manager", {{0}}},
    {"kimura.jun", "木村 潤", "kaigo", "staff", {{0}}},
    {"shimizu.daisuke", "清水 大輔（教育部長）", "kyoiku", "security_officer", {{0}}},
    {"yamaguchi.sho", "山口 翔", "gakko", "staff", {{0}}},
    {"mori.akira", "森 明（センター長）", "center-dm", "dm_officer", {{0}}},
    {"ikeda.saki", "池田 咲", "center-dm", "staff", {{0}}},
    {"hashimoto.takeshi", "橋本 剛", "vendor-sys", "contractor", {{0}}},
    {"abe.naoki", "阿部 直樹（監査委員事務局）", DEMO_ROOT, "auditor", {{0}}},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void demo_password(const char *login, char *out, size_t n)
{
	snprintf(out, n, SK_DEMO_PASSWORD_PREFIX "%s", login);
}

static sk_err create_in_txn(sk_store *s, const sk_actor *actor, const char *key_path,
                            bool *key_made, sk_buf *err)
{
	const struct demo_person *ciso = &people[0];
	char pw[128], none[SK_PASSWORD_TEMP_MAX];
	sk_install_result res;
	demo_password(ciso->login, pw, sizeof(pw));
	sk_install_opts o = {.profile = DEMO_PROFILE,
	                     .code = DEMO_ROOT,
	                     .admin_login = ciso->login,
	                     .admin_name = ciso->name,
	                     .admin_password = pw,
	                     .admin_password_len = strlen(pw),
	                     .key_path = key_path};
	sk_err e = sk_install_init(s, actor, &o, &res, err);
	if (e)
		return e;
	*key_made = true;
	for (size_t i = 0; i < N(demo_units); i++)
		if ((e = sk_org_add(s, actor, demo_units[i].code, demo_units[i].name,
		                    demo_units[i].kind, demo_units[i].parent, NULL, err)))
			return e;
	for (size_t i = 1; i < N(people); i++) {
		const struct demo_person *p = &people[i];
		const char *roles[] = {p->role};
		demo_password(p->login, pw, sizeof(pw));
		sk_user_new u = {.login = p->login,
		                 .name = p->name,
		                 .unit = p->unit,
		                 .roles = roles,
		                 .nroles = 1,
		                 .password = pw,
		                 .password_len = strlen(pw)};
		if ((e = sk_user_add(s, actor, &u, NULL, none, err)))
			return e;
		for (size_t g = 0; g < N(p->more) && p->more[g].role; g++)
			if ((e = sk_role_grant(s, actor, p->login, p->more[g].role, p->more[g].unit,
			                       err)))
				return e;
	}
	char now[32];
	snprintf(now, sizeof(now), "%lld", (long long)sk_clock_now());
	return sk_store_meta_set(s, "demo.created_at", now, err);
}

/* Adds "password" to each account of a description: the demo's known ones. */
static sk_err add_passwords(json_t *report, sk_buf *err)
{
	json_t *accounts = json_object_get(report, "accounts"), *a;
	size_t i;
	json_array_foreach (accounts, i, a) {
		char pw[128];
		demo_password(json_string_value(json_object_get(a, "login")), pw, sizeof(pw));
		if (json_object_set_new(a, "password", json_string(pw)))
			return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	}
	return SK_OK;
}

sk_err sk_demo_create(sk_store *s, const sk_actor *actor, const char *key_path, json_t **report,
                      sk_buf *err)
{
	*report = NULL;
	bool key_made = false;
	sk_err e = sk_store_begin(s, err);
	if (e)
		return e;
	if ((e = create_in_txn(s, actor, key_path, &key_made, err)))
		sk_store_rollback(s);
	else
		e = sk_store_commit(s, err);
	if (e) {
		/* The key belongs to a demo that did not happen. */
		if (key_made)
			sk_audit_key_remove(key_path);
		return e;
	}
	if ((e = sk_demo_describe(s, report, err)))
		return e;
	if ((e = add_passwords(*report, err))) {
		json_decref(*report);
		*report = NULL;
	}
	return e;
}

/* Boils an account from sk_user_list down to what the demo prints. */
static json_t *account_summary(json_t *u)
{
	json_t *roles = json_array(), *r;
	size_t i;
	json_array_foreach (json_object_get(u, "roles"), i, r) {
		char buf[128];
		snprintf(buf, sizeof(buf), "%s@%s", json_string_value(json_object_get(r, "role")),
		         json_string_value(json_object_get(r, "unit_code")));
		json_array_append_new(roles, json_string(buf));
	}
	return json_pack("{s:O, s:O, s:O, s:O, s:O, s:o}", "login", json_object_get(u, "login"),
	                 "name", json_object_get(u, "name"), "unit_code",
	                 json_object_get(u, "unit_code"), "kind", json_object_get(u, "kind"),
	                 "status", json_object_get(u, "status"), "roles", roles);
}

sk_err sk_demo_describe(sk_store *s, json_t **report, sk_buf *err)
{
	*report = NULL;
	json_t *units = NULL, *users = NULL;
	sk_buf profile = SK_BUF_INIT(4096), demo = SK_BUF_INIT(64);
	sk_err e = sk_org_list(s, &units, err);
	if (!e) {
		sk_ctx c;
		sk_ctx_init(&c, s, NULL, sk_actor_cli());
		e = sk_user_list(&c, NULL, NULL, &users, err);
	}
	if (!e)
		e = sk_store_meta_get(s, "policy.profile", &profile, err);
	if (e == SK_ERR_NOT_FOUND)
		e = sk_fail(err, SK_ERR_CORRUPT, "the installation records no profile");
	sk_err de = e ? SK_OK : sk_store_meta_get(s, "demo.created_at", &demo, err);
	if (!e && de && de != SK_ERR_NOT_FOUND)
		e = de;
	json_t *accounts = e ? NULL : json_array(), *u;
	size_t i;
	if (accounts)
		json_array_foreach (users, i, u) {
			json_t *a = account_summary(u);
			if (!a || json_array_append_new(accounts, a)) {
				e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
				break;
			}
		}
	json_t *root = units ? json_array_get(units, 0) : NULL;
	if (!e) {
		*report = json_pack("{s:s, s:s, s:b, s:O, s:O}", "city",
		                    root ? json_string_value(json_object_get(root, "name")) : "",
		                    "profile", profile.data, "demo", de == SK_OK, "units", units,
		                    "accounts", accounts);
		if (!*report)
			e = sk_fail(err, SK_ERR_NOMEM, "out of memory");
	}
	json_decref(units);
	json_decref(users);
	json_decref(accounts);
	sk_buf_free(&profile);
	sk_buf_free(&demo);
	return e;
}
