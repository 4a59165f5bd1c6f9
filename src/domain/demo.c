/* demo: the sample city's data and how it is created. */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_msg.h"
#include "asset.h"
#include "ctx.h"
#include "demo_cities.h"
#include "install.h"
#include "org.h"
#include "policyset.h"
#include "policyver.h"
#include "role.h"
#include "user.h"

#define DEMO_DEFAULT_PROFILE "hachioji"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void demo_password(const char *login, char *out, size_t n)
{
	snprintf(out, n, SK_DEMO_PASSWORD_PREFIX "%s", login);
}

/* The 管理責任者 of an asset of unit code: the unit's chief. */
static const char *chief_of(const struct sk_demo_city *city, const char *code)
{
	for (size_t i = 0; i < city->nunits; i++)
		if (strcmp(city->units[i].code, code) == 0)
			return city->units[i].chief;
	return city->root_chief;
}

/* Adds one register entry through the asset domain (checked and audited like any other). */
static sk_err add_asset(sk_ctx *c, const struct sk_demo_city *city, const struct sk_demo_asset *a,
                        sk_buf *err)
{
	char qty[16], hours[16];
	snprintf(qty, sizeof(qty), "%ld", a->quantity);
	snprintf(hours, sizeof(hours), "%ld", a->recovery_hours);
	sk_asset_input in = {{NULL}};
	in.v[SK_AF_UNIT] = a->unit;
	in.v[SK_AF_TYPE] = a->type;
	in.v[SK_AF_NAME] = a->name;
	in.v[SK_AF_QUANTITY] = qty;
	in.v[SK_AF_LOCATION] = a->location;
	in.v[SK_AF_BACKUP] = strchr(a->flags, 'B') ? "yes" : "no";
	in.v[SK_AF_DISPOSAL_METHOD] = a->disposal;
	in.v[SK_AF_CONF] = a->conf;
	in.v[SK_AF_INTEG] = a->integ;
	in.v[SK_AF_AVAIL] = a->avail;
	in.v[SK_AF_MANAGER] = chief_of(city, a->unit);
	in.v[SK_AF_ZONE] = a->zone;
	in.v[SK_AF_PERSONAL] = strpbrk(a->flags, "PM") ? "yes" : "no";
	in.v[SK_AF_MYNUMBER] = strchr(a->flags, 'M') ? "yes" : "no";
	in.v[SK_AF_RECOVERY_HOURS] = a->recovery_hours ? hours : NULL;
	in.v[SK_AF_ACQUIRED_ON] = a->acquired;
	sk_err e = sk_asset_add(c, &in, NULL, err);
	if (e && e != SK_ERR_STORE && e != SK_ERR_NOMEM) {
		/* The tables are ours: a refusal here is a bug in them, so say which entry. */
		char why[512];
		snprintf(why, sizeof(why), "demo asset '%s': %s%s%s", a->name,
		         err->field ? err->field : "", err->field ? ": " : "", err->data);
		return sk_fail_msg(err, SK_ERR_INTERNAL, NULL, NULL, SK_M_FAULT_INTERNAL, why);
	}
	return e;
}

static sk_err create_in_txn(sk_ctx *c, const struct sk_demo_city *city, const char *key_path,
                            bool *key_made, sk_buf *err)
{
	sk_store *s = c->store;
	const struct sk_demo_person *ciso = &city->people[0];
	char pw[128], none[SK_PASSWORD_TEMP_MAX];
	sk_install_result res;
	demo_password(ciso->login, pw, sizeof(pw));
	sk_install_opts o = {.profile = city->profile,
	                     .code = city->root,
	                     .admin_login = ciso->login,
	                     .admin_name = ciso->name,
	                     .admin_password = pw,
	                     .admin_password_len = strlen(pw),
	                     .key_path = key_path};
	sk_err e = sk_install_init(c, &o, &res, err);
	if (e)
		return e;
	*key_made = true;
	/* The policy set's other documents, before anyone decides (policyset.h). */
	for (size_t i = 0; i < city->nset; i++) {
		sk_buf text = SK_BUF_INIT(SK_POLICYVER_TEXT_MAX + 1);
		char source[64];
		int64_t version = 0;
		uint32_t kinds = 0;
		snprintf(source, sizeof(source), "builtin:%s", city->set[i].profile);
		e = sk_policyver_read_source(city->set[i].profile, &text, err);
		if (!e)
			e = sk_policyver_import(c, source, text.data ? text.data : "", text.len,
			                        &version, err);
		sk_buf_free(&text);
		if (!e)
			e = sk_policyset_parse_kinds(city->set[i].kinds, "kinds", &kinds, err);
		if (!e)
			e = sk_policyset_store_initial(c, version, kinds, err);
		if (e)
			return e;
	}
	for (size_t i = 0; i < city->nunits; i++) {
		const struct sk_demo_unit *u = &city->units[i];
		if ((e = sk_org_add(c, u->code, u->name, u->kind, u->parent, NULL, err)))
			return e;
	}
	for (size_t i = 0; i < city->npeople; i++) {
		const struct sk_demo_person *p = &city->people[i];
		if (i > 0) {
			const char *roles[] = {p->role};
			demo_password(p->login, pw, sizeof(pw));
			sk_user_new u = {.login = p->login,
			                 .name = p->name,
			                 .unit = p->unit,
			                 .roles = roles,
			                 .nroles = 1,
			                 .password = pw,
			                 .password_len = strlen(pw)};
			if ((e = sk_user_add(c, &u, NULL, none, err)))
				return e;
		}
		for (size_t g = 0; g < N(p->more) && p->more[g].role; g++)
			if ((e = sk_role_grant(c, p->login, p->more[g].role, p->more[g].unit, err)))
				return e;
	}
	/* The register under the profile the installation now names (c's is loaded once). */
	for (size_t i = 0; !e && i < city->nassets; i++)
		e = add_asset(c, city, &city->assets[i], err);
	if (!e)
		e = sk_demo_activity(s, err);
	if (e)
		return e;
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
			return sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	return SK_OK;
}

const char *sk_demo_default_profile(void) { return DEMO_DEFAULT_PROFILE; }

sk_err sk_demo_lookup(const char *profile, sk_buf *err)
{
	if (sk_demo_city_find(profile ? profile : DEMO_DEFAULT_PROFILE))
		return SK_OK;
	size_t n;
	const struct sk_demo_city *t = sk_demo_city_table(&n);
	char list[128] = "";
	for (size_t i = 0, used = 0; i < n; i++) {
		int w =
		    snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", t[i].profile);
		if (w < 0 || (size_t)w >= sizeof(list) - used)
			break;
		used += (size_t)w;
	}
	sk_err e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_DEMO_NO_CITY, profile, list);
	err->field = "profile";
	return e;
}

sk_err sk_demo_create(sk_ctx *c, const char *profile, const char *key_path, json_t **report,
                      sk_buf *err)
{
	sk_store *s = c->store;
	*report = NULL;
	bool key_made = false;
	sk_err e = sk_demo_lookup(profile, err);
	if (e)
		return e;
	const struct sk_demo_city *city =
	    sk_demo_city_find(profile ? profile : DEMO_DEFAULT_PROFILE);
	if ((e = sk_store_begin(s, err)))
		return e;
	if ((e = create_in_txn(c, city, key_path, &key_made, err)))
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

static sk_err count_asset(void *ctx, const sk_asset *a, sk_buf *err)
{
	(void)a;
	(void)err;
	(*(json_int_t *)ctx)++;
	return SK_OK;
}

sk_err sk_demo_describe(sk_store *s, json_t **report, sk_buf *err)
{
	*report = NULL;
	json_t *units = NULL, *users = NULL;
	json_int_t nassets = 0;
	sk_buf profile = SK_BUF_INIT(4096), demo = SK_BUF_INIT(64);
	sk_err e = sk_org_list(s, &units, err);
	if (!e) {
		sk_ctx c;
		sk_ctx_init(&c, s, NULL, sk_actor_cli());
		e = sk_user_list(&c, NULL, NULL, &users, err);
		/* The register in use (disposed assets are history, not the city's). */
		sk_asset_filter f = {.brief = true};
		if (!e)
			e = sk_asset_list(&c, &f, count_asset, &nassets, err);
		sk_ctx_fini(&c);
	}
	if (!e)
		e = sk_store_meta_get(s, "policy.profile", &profile, err);
	if (e == SK_ERR_NOT_FOUND)
		e = sk_fail_msg(err, SK_ERR_CORRUPT, NULL, NULL, SK_M_DEMO_NO_PROFILE);
	sk_err de = e ? SK_OK : sk_store_meta_get(s, "demo.created_at", &demo, err);
	if (!e && de && de != SK_ERR_NOT_FOUND)
		e = de;
	json_t *accounts = e ? NULL : json_array(), *u;
	size_t i;
	if (accounts)
		json_array_foreach (users, i, u) {
			json_t *a = account_summary(u);
			if (!a || json_array_append_new(accounts, a)) {
				e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
				break;
			}
		}
	json_t *root = units ? json_array_get(units, 0) : NULL;
	if (!e) {
		*report = json_pack("{s:s, s:s, s:b, s:I, s:O, s:O}", "city",
		                    root ? json_string_value(json_object_get(root, "name")) : "",
		                    "profile", profile.data, "demo", de == SK_OK, "assets", nassets,
		                    "units", units, "accounts", accounts);
		if (!*report)
			e = sk_fail_msg(err, SK_ERR_NOMEM, NULL, NULL, SK_M_FAULT_NOMEM);
	}
	json_decref(units);
	json_decref(users);
	json_decref(accounts);
	sk_buf_free(&profile);
	sk_buf_free(&demo);
	return e;
}
