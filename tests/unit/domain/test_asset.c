/*
 * Unit tests of src/domain/asset: the register's checks, its audit trail,
 * scope, import (all or nothing) and export, on every storage backend.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/verify.h"
#include "core/sk_clock.h"
#include "core/sk_json.h"
#include "domain/asset.h"
#include "domain/decision.h"
#include "report/csv.h"
#include "store/store.h"

/*
 * A context for actor on s, valid until the next call (which frees what
 * this one loaded): one domain call per context, as the doors make them.
 */
static sk_ctx *as(sk_store *s, const sk_actor *actor)
{
	static sk_ctx c;
	sk_ctx_fini(&c);
	sk_ctx_init(&c, s, NULL, actor);
	return &c;
}

static int64_t count(sk_store *s, const char *sql)
{
	int64_t n = -1;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_store_query_int(s, sql, NULL, 0, &n, &err) != SK_OK)
		fail_msg("%s: %s", sql, err.data);
	sk_buf_free(&err);
	return n;
}

static void exec(sk_store *s, const char *sql)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_store_exec(s, sql, NULL, 0, NULL, &err) != SK_OK)
		fail_msg("%s: %s", sql, err.data);
	sk_buf_free(&err);
}

/* A city (1) with a department somu (2) and its sections it (3) and kikaku (4); zaimu (5) apart. */
static sk_store *fresh(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	exec(s, "INSERT INTO org_unit(id, code, name, kind, parent_id, created_at) VALUES "
	        "(1, 'city', '八王子市', 'municipality', NULL, 0), "
	        "(2, 'somu', '総務部', 'department', 1, 0), "
	        "(3, 'it', '情報政策課', 'section', 2, 0), "
	        "(4, 'kikaku', '企画課', 'section', 2, 0), "
	        "(5, 'zaimu', '財務部', 'department', 1, 0)");
	return s;
}

static void base_input(sk_asset_input *in)
{
	memset(in, 0, sizeof(*in));
	in->v[SK_AF_UNIT] = "it";
	in->v[SK_AF_TYPE] = "ハードウェア";
	in->v[SK_AF_NAME] = "住基端末 X-100";
	in->v[SK_AF_CONF] = "3";
	in->v[SK_AF_INTEG] = "2";
	in->v[SK_AF_AVAIL] = "2";
	in->v[SK_AF_MANAGER] = "情報政策課長";
	in->v[SK_AF_ZONE] = "mynumber";
	in->v[SK_AF_MYNUMBER] = "あり";
	in->v[SK_AF_RECOVERY_HOURS] = "24";
	in->v[SK_AF_ACQUIRED_ON] = "令和7年4月1日";
	in->v[SK_AF_LOCATION] = "サーバ室";
}

static int64_t add_ok(sk_store *s, const sk_asset_input *in)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t id = 0;
	if (sk_asset_add(as(s, sk_actor_cli()), in, &id, &err) != SK_OK)
		fail_msg("add failed: %s", err.data);
	sk_buf_free(&err);
	return id;
}

static json_t *get_ok(sk_store *s, int64_t id)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *j = NULL;
	if (sk_asset_get(as(s, sk_actor_cli()), id, &j, &err) != SK_OK)
		fail_msg("get %lld failed: %s", (long long)id, err.data);
	sk_buf_free(&err);
	return j;
}

static void test_add_show(const char *backend)
{
	sk_store *s = fresh(backend);
	sk_asset_input in;
	base_input(&in);
	int64_t id = add_ok(s, &in);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.add'"), 1);
	json_t *j = get_ok(s, id);
	assert_int_equal(json_integer_value(json_object_get(j, "id")), id);
	assert_int_equal(json_integer_value(json_object_get(j, "unit")), 3);
	assert_string_equal(json_string_value(json_object_get(j, "type")), "hardware");
	assert_int_equal(json_integer_value(json_object_get(j, "conf")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "avail")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "quantity")), 1);
	assert_true(json_is_true(json_object_get(j, "mynumber")));
	assert_true(json_is_true(json_object_get(j, "personal"))); /* implied by mynumber */
	assert_true(json_is_false(json_object_get(j, "backup")));
	assert_string_equal(json_string_value(json_object_get(j, "zone")), "mynumber");
	assert_string_equal(json_string_value(json_object_get(j, "label")),
	                    "機密性3、完全性2、可用性2");
	assert_string_equal(json_string_value(json_object_get(j, "acquired_on")), "2025-04-01");
	assert_int_equal(json_integer_value(json_object_get(j, "recovery_hours")), 24);
	static const char *const keys[] = {"id",       "name",     "type",     "unit",
	                                   "location", "conf",     "integ",    "avail",
	                                   "quantity", "manager",  "backup",   "disposal_method",
	                                   "zone",     "personal", "mynumber", "label"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_object_get(j, keys[i]))
			fail_msg("asset JSON lacks '%s'", keys[i]);
	json_decref(j);
	/* Showing a 機密性3 asset is on record; a 機密性2 one is not. */
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.read'"), 1);
	base_input(&in);
	in.v[SK_AF_CONF] = "機密性２";
	in.v[SK_AF_MYNUMBER] = NULL;
	in.v[SK_AF_ZONE] = "LGWAN接続系";
	int64_t id2 = add_ok(s, &in);
	json_decref(get_ok(s, id2));
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.read'"), 1);
	sk_store_close(s);
}

static void expect_add_fails(sk_store *s, const sk_asset_input *in, sk_err want, const char *msg)
{
	int64_t before = count(s, "SELECT COUNT(*) FROM assets");
	int64_t audit = count(s, "SELECT COUNT(*) FROM audit_log");
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t id = 0;
	sk_err e = sk_asset_add(as(s, sk_actor_cli()), in, &id, &err);
	if (e != want || !strstr(err.data, msg))
		fail_msg("expected error %d containing '%s', got %d: '%s'", want, msg, e, err.data);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets"), before);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), audit);
	sk_buf_free(&err);
}

static void test_validation(const char *backend)
{
	sk_store *s = fresh(backend);
	static const struct {
		sk_asset_field f;
		const char *value, *msg;
	} cases[] = {
	    {SK_AF_UNIT, "nowhere", "unit (所管課): unknown unit 'nowhere'"},
	    {SK_AF_UNIT, "99", "unknown unit '99'"},
	    {SK_AF_TYPE, "laptop", "type (情報資産の種類): unknown type 'laptop'"},
	    {SK_AF_NAME, "", "name (名称・型番): is required"},
	    {SK_AF_NAME, "tab\there", "control character"},
	    {SK_AF_QUANTITY, "-1", "quantity (台数・個数): '-1' is not a whole number"},
	    {SK_AF_QUANTITY, "2x", "'2x' is not a whole number"},
	    {SK_AF_BACKUP, "maybe", "backup (バックアップの有無): 'maybe' is not yes or no"},
	    {SK_AF_CONF, "4", "conf (機密性): '4' is not a level of 機密性 (expected 3, 2, 1)"},
	    {SK_AF_INTEG, "3", "'3' is not a level of 完全性 (expected 2, 1)"},
	    {SK_AF_AVAIL, "", "avail (可用性): is required"},
	    {SK_AF_ZONE, "dmz", "zone (ネットワーク区分): unknown network zone 'dmz'"},
	    {SK_AF_PERSONAL, "なし",
	     "personal (個人情報): must be yes for an asset holding 特定個人情報"},
	    {SK_AF_RECOVERY_HOURS, "0", "'0' is not a number of hours"},
	    {SK_AF_ACQUIRED_ON, "平成32年1月1日",
	     "acquired_on (取得日): '平成32年1月1日' (2020-01-01) "
	     "is after 平成 ended"},
	    {SK_AF_MANAGER, "", "manager (管理責任者): is required"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sk_asset_input in;
		base_input(&in);
		in.v[cases[i].f] = cases[i].value;
		expect_add_fails(s, &in, SK_ERR_INVALID, cases[i].msg);
	}
	/* A recovery time belongs to 可用性2 only. */
	sk_asset_input in;
	base_input(&in);
	in.v[SK_AF_AVAIL] = "1";
	expect_add_fails(s, &in, SK_ERR_INVALID,
	                 "only for the highest availability level (可用性2)");
	/* A failed write leaves nothing behind, audit entry included: the row and the entry's
	 * two writes (three on PostgreSQL, where the head is advanced first: audit.h). */
	base_input(&in);
	bool pg = strcmp(sk_store_backend(s), "postgresql") == 0;
	for (int n = 1; n <= (pg ? 4 : 3); n++) {
		sk_store_fault(s, SK_FAULT_WRITE, n);
		expect_add_fails(s, &in, SK_ERR_STORE, "");
		sk_store_fault(s, SK_FAULT_WRITE, 0);
	}
	sk_store_fault(s, SK_FAULT_COMMIT, 1);
	expect_add_fails(s, &in, SK_ERR_STORE, "");
	sk_store_close(s);
}

static void test_update_dispose_history(const char *backend)
{
	sk_store *s = fresh(backend);
	sk_asset_input in;
	base_input(&in);
	int64_t id = add_ok(s, &in);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);

	sk_asset_input ch = {{0}};
	ch.v[SK_AF_LOCATION] = "書庫B";
	ch.v[SK_AF_QUANTITY] = "２";
	assert_int_equal(sk_asset_update(as(s, sk_actor_cli()), id, &ch, &err), SK_OK);
	/* The same change again changes nothing and writes nothing. */
	int64_t audit = count(s, "SELECT COUNT(*) FROM audit_log");
	assert_int_equal(sk_asset_update(as(s, sk_actor_cli()), id, &ch, &err), SK_OK);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), audit);
	/* A bad change names its field and changes nothing. */
	ch.v[SK_AF_CONF] = "5";
	assert_int_equal(sk_asset_update(as(s, sk_actor_cli()), id, &ch, &err), SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "conf (機密性)"));
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), audit);
	assert_int_equal(sk_asset_update(as(s, sk_actor_cli()), 999, &ch, &err), SK_ERR_NOT_FOUND);

	assert_int_equal(sk_asset_dispose(as(s, sk_actor_cli()), id, "R8.3.31", NULL, "溶解", &err),
	                 SK_ERR_INVALID);
	assert_int_equal(
	    sk_asset_dispose(as(s, sk_actor_cli()), id, "R8.3.32", "山田", "溶解", &err),
	    SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "disposal date"));
	assert_int_equal(sk_asset_dispose(as(s, sk_actor_cli()), id, "R8.3.31", "山田太郎",
	                                  "物理破壊（業者A、証明書 No.123）", &err),
	                 SK_OK);
	assert_int_equal(sk_asset_dispose(as(s, sk_actor_cli()), id, NULL, "山田", "x", &err),
	                 SK_ERR_CONFLICT);
	ch.v[SK_AF_CONF] = NULL;
	assert_int_equal(sk_asset_update(as(s, sk_actor_cli()), id, &ch, &err), SK_ERR_CONFLICT);

	json_t *h = NULL;
	assert_int_equal(sk_asset_history(as(s, sk_actor_cli()), id, &h, &err), SK_OK);
	/* add, update, dispose (reads are not changes but are in the log too). */
	size_t i;
	json_t *ent;
	const char *want[] = {"asset.add", "asset.update", "asset.dispose"};
	size_t k = 0;
	json_array_foreach (h, i, ent) {
		const char *act = json_string_value(json_object_get(ent, "action"));
		if (strcmp(act, "asset.read") == 0)
			continue;
		assert_string_equal(act, k < 3 ? want[k] : "(no more entries expected)");
		assert_non_null(strstr(json_string_value(json_object_get(ent, "actor")), "cli:"));
		if (k == 1) {
			json_t *b = json_object_get(ent, "before"),
			       *a = json_object_get(ent, "after");
			assert_string_equal(json_string_value(json_object_get(b, "location")),
			                    "サーバ室");
			assert_string_equal(json_string_value(json_object_get(a, "location")),
			                    "書庫B");
			assert_int_equal(json_integer_value(json_object_get(a, "quantity")), 2);
		}
		if (k == 2) {
			json_t *a = json_object_get(ent, "after");
			assert_string_equal(json_string_value(json_object_get(a, "disposed_on")),
			                    "2026-03-31");
			assert_string_equal(json_string_value(json_object_get(a, "status")),
			                    "disposed");
		}
		k++;
	}
	assert_int_equal(k, 3);
	json_decref(h);
	sk_buf_free(&err);
	sk_store_close(s);
}

struct ids {
	int64_t v[64];
	size_t n;
};

static sk_err take(void *ctx, const sk_asset *a, sk_buf *err)
{
	(void)err;
	struct ids *l = ctx;
	if (l->n < 64)
		l->v[l->n++] = a->id;
	return SK_OK;
}

static size_t list_n(sk_store *s, const sk_asset_filter *f)
{
	struct ids l = {{0}, 0};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_asset_list(as(s, sk_actor_cli()), f, take, &l, &err) != SK_OK)
		fail_msg("list failed: %s", err.data);
	sk_buf_free(&err);
	return l.n;
}

static void test_list_filters(const char *backend)
{
	sk_store *s = fresh(backend);
	sk_asset_input in;
	base_input(&in);
	add_ok(s, &in); /* it, 3, mynumber */
	in.v[SK_AF_UNIT] = "kikaku";
	in.v[SK_AF_CONF] = "2";
	in.v[SK_AF_ZONE] = "lgwan";
	in.v[SK_AF_MYNUMBER] = "なし";
	in.v[SK_AF_NAME] = "企画資料 100%_版";
	in.v[SK_AF_TYPE] = "document";
	add_ok(s, &in);
	in.v[SK_AF_UNIT] = "zaimu";
	in.v[SK_AF_NAME] = "財務システム";
	in.v[SK_AF_TYPE] = "system";
	int64_t z = add_ok(s, &in);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(sk_asset_dispose(as(s, sk_actor_cli()), z, NULL, "担当", "消去", &err),
	                 SK_OK);

	assert_int_equal(list_n(s, &(sk_asset_filter){0}), 2);
	assert_int_equal(list_n(s, &(sk_asset_filter){.status = "all"}), 3);
	assert_int_equal(list_n(s, &(sk_asset_filter){.status = "disposed"}), 1);
	assert_int_equal(list_n(s, &(sk_asset_filter){.unit = "somu"}), 2); /* the sections below */
	assert_int_equal(list_n(s, &(sk_asset_filter){.unit = "it"}), 1);
	assert_int_equal(list_n(s, &(sk_asset_filter){.unit = "5", .status = "all"}), 1);
	assert_int_equal(list_n(s, &(sk_asset_filter){.conf = "機密性3"}), 1);
	assert_int_equal(list_n(s, &(sk_asset_filter){.zone = "LGWAN接続系"}), 1);
	assert_int_equal(list_n(s, &(sk_asset_filter){.type = "文書"}), 1);
	assert_int_equal(list_n(s, &(sk_asset_filter){.text = "100%_"}), 1);
	assert_int_equal(list_n(s, &(sk_asset_filter){.text = "0%x"}), 0); /* % is literal */
	/* Every filter at once (9 parameters, the recursive unit among them). */
	assert_int_equal(list_n(s, &(sk_asset_filter){.unit = "somu",
	                                              .status = "active",
	                                              .type = "document",
	                                              .conf = "2",
	                                              .zone = "lgwan",
	                                              .text = "企画"}),
	                 1);
	assert_int_equal(list_n(s, &(sk_asset_filter){.text = "X-100"}), 1);
	assert_int_equal(list_n(s, &(sk_asset_filter){.text = "サーバ"}), 2); /* location */
	assert_int_equal(list_n(s, &(sk_asset_filter){.limit = 1}), 1);
	struct ids l = {{0}, 0};
	assert_int_equal(sk_asset_list(as(s, sk_actor_cli()), &(sk_asset_filter){.unit = "nope"},
	                               take, &l, &err),
	                 SK_ERR_INVALID);
	assert_int_equal(
	    sk_asset_list(as(s, sk_actor_cli()), &(sk_asset_filter){.conf = "9"}, take, &l, &err),
	    SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "'9' is not a level"));
	assert_int_equal(sk_asset_list(as(s, sk_actor_cli()), &(sk_asset_filter){.status = "gone"},
	                               take, &l, &err),
	                 SK_ERR_INVALID);
	sk_buf_free(&err);
	sk_store_close(s);
}

static void test_scope(const char *backend)
{
	sk_store *s = fresh(backend);
	exec(s, "INSERT INTO users(id, login, name, unit_id, kind, status, created_at) VALUES "
	        "(10, 'staff1', '職員', 3, 'staff', 'active', 0), "
	        "(11, 'chief', '課長', 3, 'staff', 'active', 0)");
	exec(s, "INSERT INTO role_assignment(user_id, role, unit_id, granted_at) VALUES "
	        "(10, 'staff', 3, 0), (11, 'security_manager', 3, 0)");
	sk_asset_input in;
	base_input(&in);
	int64_t mine = add_ok(s, &in);
	in.v[SK_AF_UNIT] = "zaimu";
	int64_t other = add_ok(s, &in);
	sk_actor staff = {.user_id = 10, .login = "staff1", .address = "127.0.0.1"};
	sk_actor chief = {.user_id = 11, .login = "chief", .address = "127.0.0.1"};
	sk_actor nobody = {.user_id = 99, .login = "ghost", .address = "127.0.0.1"};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *j = NULL;
	assert_int_equal(sk_asset_get(as(s, &staff), mine, &j, &err), SK_OK);
	json_decref(j);
	j = NULL;
	assert_int_equal(sk_asset_get(as(s, &staff), other, &j, &err), SK_ERR_NOT_FOUND);
	assert_int_equal(sk_asset_get(as(s, &nobody), mine, &j, &err), SK_ERR_NOT_FOUND);
	assert_null(j);
	/* Staff may read but not change; the section's manager may change. */
	sk_asset_input ch = {{0}};
	ch.v[SK_AF_NOTE] = "点検済";
	assert_int_equal(sk_asset_update(as(s, &staff), mine, &ch, &err), SK_ERR_NOT_FOUND);
	assert_int_equal(sk_asset_update(as(s, &chief), mine, &ch, &err), SK_OK);
	assert_int_equal(sk_asset_update(as(s, &chief), other, &ch, &err), SK_ERR_NOT_FOUND);
	base_input(&in);
	in.v[SK_AF_UNIT] = "zaimu";
	int64_t id;
	assert_int_equal(sk_asset_add(as(s, &chief), &in, &id, &err), SK_ERR_DENIED);
	struct ids l = {{0}, 0};
	assert_int_equal(sk_asset_list(as(s, &staff), &(sk_asset_filter){0}, take, &l, &err),
	                 SK_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0], mine);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE actor = 'staff1' AND "
	                          "action = 'asset.read'"),
	                 1);
	/* A limit ends the scan once reached (the rest of the scope is not read) and the
	 * listing still succeeds, with exactly that many rows of the scope in id order. */
	base_input(&in);
	int64_t mine2 = add_ok(s, &in);
	in.v[SK_AF_UNIT] = "zaimu";
	add_ok(s, &in);
	base_input(&in);
	add_ok(s, &in);
	l = (struct ids){{0}, 0};
	assert_int_equal(
	    sk_asset_list(as(s, &staff), &(sk_asset_filter){.limit = 2}, take, &l, &err), SK_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0], mine);
	assert_int_equal(l.v[1], mine2);
	sk_buf_free(&err);
	sk_store_close(s);
}

/*
 * A scope of several runs of unit ids (a department with its sections, and a
 * section elsewhere), which the listing also names in its SQL: exactly the
 * scope's assets, in id order, brief or whole, with and without a limit;
 * none of the units between the runs or outside them.
 */
static void test_scope_runs(const char *backend)
{
	sk_store *s = fresh(backend);
	exec(s, "INSERT INTO org_unit(id, code, name, kind, parent_id, created_at) VALUES "
	        "(6, 'shimin', '市民部', 'department', 1, 0), "
	        "(7, 'kaikei', '会計課', 'section', 5, 0), "
	        "(9, 'nozei', '納税課', 'section', 5, 0)");
	exec(s, "INSERT INTO users(id, login, name, unit_id, kind, status, created_at) VALUES "
	        "(12, 'multi', '兼務職員', 3, 'staff', 'active', 0)");
	exec(s, "INSERT INTO role_assignment(user_id, role, unit_id, granted_at) VALUES "
	        "(12, 'staff', 2, 0), (12, 'staff', 7, 0)");
	/* somu (2) and its sections it (3), kikaku (4); kaikei (7): the runs 2-4 and 7 */
	static const char *const units[] = {"zaimu", "it",     "shimin", "kaikei", "kikaku",
	                                    "nozei", "somu",   "city",   "kaikei", "it",
	                                    "zaimu", "kikaku", "nozei",  "somu"};
	static const bool in_scope[] = {false, true, false, true,  true, false, true,
	                                false, true, true,  false, true, false, true};
	int64_t want[16];
	size_t nwant = 0;
	sk_asset_input in;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		base_input(&in);
		in.v[SK_AF_UNIT] = units[i];
		int64_t id = add_ok(s, &in);
		if (in_scope[i])
			want[nwant++] = id;
	}
	sk_actor multi = {.user_id = 12, .login = "multi", .address = "127.0.0.1"};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	for (int brief = 0; brief < 2; brief++) {
		for (int64_t limit = 0; limit <= (int64_t)nwant + 1; limit++) {
			struct ids l = {{0}, 0};
			sk_asset_filter f = {.limit = limit, .brief = brief, .withhold = true};
			if (sk_asset_list(as(s, &multi), &f, take, &l, &err) != SK_OK)
				fail_msg("list failed: %s", err.data);
			size_t n = limit && (size_t)limit < nwant ? (size_t)limit : nwant;
			assert_int_equal(l.n, n);
			for (size_t i = 0; i < n; i++)
				assert_int_equal(l.v[i], want[i]);
		}
	}
	/* A filter on a unit out of scope finds nothing; one in scope finds its own. */
	struct ids l = {{0}, 0};
	assert_int_equal(
	    sk_asset_list(as(s, &multi), &(sk_asset_filter){.unit = "nozei"}, take, &l, &err),
	    SK_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(
	    sk_asset_list(as(s, &multi), &(sk_asset_filter){.unit = "kaikei"}, take, &l, &err),
	    SK_OK);
	assert_int_equal(l.n, 2);
	sk_buf_free(&err);
	sk_store_close(s);
}

static const char HEAD[] =
    "所管課,情報資産の種類,名称・型番,台数・個数,保管場所,バックアップの有無,"
    "廃棄方法,機密性,完全性,可用性,管理責任者,ネットワーク区分,個人情報,"
    "特定個人情報,復旧目標時間,取得日,備考\r\n";

/* n good rows, with row bad_at (1-based data row; 0 for none) carrying a bad 機密性. */
static char *make_csv(int n, int bad_at, size_t *len)
{
	sk_buf b = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_buf_adds(&b, HEAD);
	for (int i = 1; i <= n; i++)
		sk_buf_addf(
		    &b,
		    "%s,ハードウェア,\"端末 %d, 型\"\"A\"\"\",%d,執務室,あり,業者により廃棄,%s,1,2,"
		    "課長,LGWAN接続系,なし,なし,%s,R7.4.%d,\r\n",
		    i % 2 ? "it" : "kikaku", i, i % 5, i == bad_at ? "9" : "2", i % 3 ? "" : "4",
		    1 + i % 28);
	*len = b.len;
	return sk_buf_detach(&b);
}

static void test_import(const char *backend)
{
	sk_store *s = fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_asset_import_result res;
	size_t len;

	/* One bad row among thousands: nothing is written and the row is named. */
	char *csv = make_csv(3000, 2345, &len);
	int64_t audit = count(s, "SELECT COUNT(*) FROM audit_log");
	if (sk_asset_import(as(s, sk_actor_cli()), csv, len, "bad.csv", 0, &res, &err) !=
	    SK_ERR_INVALID)
		fail_msg("the import with a bad row: %s", err.data);
	/* Data row 2345 is on line 2346 (the heading is line 1); 機密性 is column 8. */
	if (!strstr(err.data, "line 2346, column 8 (機密性): '9' is not a level of 機密性"))
		fail_msg("message: %s", err.data);
	assert_non_null(strstr(err.data, "1 of 3000 rows are bad; nothing was imported"));
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets"), 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM asset_import"), 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), audit);
	free(csv);

	/* The good file, in each encoding. */
	csv = make_csv(300, 0, &len);
	assert_int_equal(
	    sk_asset_import(as(s, sk_actor_cli()), csv, len, "good.csv", 0, &res, &err), SK_OK);
	assert_int_equal(res.rows, 300);
	assert_string_equal(res.encoding, "utf-8");
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets"), 300);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets WHERE recovery_hours = 4"), 100);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets WHERE name = '端末 7, 型\"A\"'"), 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.import'"),
	                 1);

	/* The same file with a BOM, and in CP932. */
	sk_buf b = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_buf_add(&b, "\xef\xbb\xbf", 3);
	sk_buf_add(&b, csv, len);
	assert_int_equal(
	    sk_asset_import(as(s, sk_actor_cli()), b.data, b.len, "bom.csv", 0, &res, &err), SK_OK);
	assert_string_equal(res.encoding, "utf-8-bom");
	sk_buf_free(&b);
	char *sj = NULL;
	size_t sjlen = 0;
	FILE *f = open_memstream(&sj, &sjlen);
	sk_csv_writer *w;
	/* Build the CP932 file by writing the UTF-8 one's records through the writer. */
	assert_int_equal(sk_csv_writer_new(f, SK_CSV_CP932, &w, &err), SK_OK);
	const char *rec[] = {"所管課", "情報資産の種類", "名称・型番", "機密性",
	                     "完全性", "可用性",         "管理責任者", "ネットワーク区分"};
	assert_int_equal(sk_csv_write_record(w, rec, 8, &err), SK_OK);
	const char *row[] = {"it", "外部記憶媒体", "ＵＳＢメモリ〜１",    "３", "１",
	                     "１", "係長",         "インターネット接続系"};
	assert_int_equal(sk_csv_write_record(w, row, 8, &err), SK_OK);
	assert_int_equal(sk_csv_writer_finish(w, &err), SK_OK);
	sk_csv_writer_free(w);
	fclose(f);
	assert_int_equal(
	    sk_asset_import(as(s, sk_actor_cli()), sj, sjlen, "sjis.csv", 0, &res, &err), SK_OK);
	assert_string_equal(res.encoding, "cp932");
	assert_int_equal(
	    count(s, "SELECT COUNT(*) FROM assets WHERE type = 'media' AND conf = '3'"), 1);
	free(sj);

	/* An imported asset's history shows the import that created it. */
	int64_t first = count(s, "SELECT MIN(id) FROM assets");
	json_t *h = NULL;
	assert_int_equal(sk_asset_history(as(s, sk_actor_cli()), first, &h, &err), SK_OK);
	assert_int_equal(json_array_size(h), 1);
	json_t *after = json_object_get(json_array_get(h, 0), "after");
	assert_string_equal(json_string_value(json_object_get(after, "file")), "good.csv");
	assert_int_equal(json_integer_value(json_object_get(after, "rows")), 300);
	assert_int_equal(strlen(json_string_value(json_object_get(after, "sha256"))), 64);
	json_decref(h);

	/* Heading problems name line 1 and the column. */
	static const struct {
		const char *csv, *msg;
	} heads[] = {
	    {"所管課,種類,名称,謎の列\n", "line 1, column 4: unknown heading '謎の列'"},
	    {"unit,type,name,conf,integ,avail,manager\n",
	     "required column ネットワーク区分 (zone)"},
	    {"unit,type,type\n", "line 1, column 3: heading 'type' repeats"},
	    {"", "the file is empty"},
	    {"unit,type,name,conf,integ,avail,manager,zone\n", "no assets"},
	    /* A short row's missing cells are empty (Excel leaves them out). */
	    {"unit,type,name,conf,integ,avail,manager,zone\nit,data,x,1,1,1,m\n",
	     "line 2, column 8 (ネットワーク区分): is required"},
	    {"unit,type,name,conf,integ,avail,manager,zone\nit,data,x,1,1,1,m,lgwan,extra\n",
	     "line 2, column 9: a value beyond the last heading"},
	    {"unit,type,name,conf,integ,avail,manager,zone\nit,data,\"x,1,1,1,m,lgwan\n",
	     "line 2, column 3: quoted field is never closed"},
	};
	int64_t n_assets = count(s, "SELECT COUNT(*) FROM assets");
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		assert_int_equal(sk_asset_import(as(s, sk_actor_cli()), heads[i].csv,
		                                 strlen(heads[i].csv), "h.csv", 0, &res, &err),
		                 SK_ERR_INVALID);
		if (!strstr(err.data, heads[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.data, heads[i].msg);
	}
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets"), n_assets);

	/*
	 * A store failure at any write (or the commit) rolls the whole import back. The file
	 * differs from good.csv by a trailing empty line: good.csv itself, whose rows have no
	 * 管理番号, is refused a second time (test_reimport).
	 */
	char *csv2 = malloc(len + 3);
	assert_non_null(csv2);
	memcpy(csv2, csv, len);
	memcpy(csv2 + len, "\n\n", 3);
	free(csv);
	csv = csv2;
	len += 1;
	int n = 1;
	for (;; n++) {
		sk_store_fault(s, SK_FAULT_WRITE, n);
		sk_err e = sk_asset_import(as(s, sk_actor_cli()), csv, len, "f.csv", 0, &res, &err);
		sk_store_fault(s, SK_FAULT_WRITE, 0);
		if (e == SK_OK) /* n is past the import's last write */
			break;
		assert_int_equal(e, SK_ERR_STORE);
		assert_int_equal(count(s, "SELECT COUNT(*) FROM assets"), n_assets);
		assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = "
		                          "'asset.import'"),
		                 3);
	}
	assert_true(n > 10); /* every batch of the 300 rows was a failure point */
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets"), n_assets + 300);
	sk_store_fault(s, SK_FAULT_COMMIT, 1);
	assert_int_equal(
	    sk_asset_import(as(s, sk_actor_cli()), csv, len + 1, "f.csv", 0, &res, &err),
	    SK_ERR_STORE);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets"), n_assets + 300);
	free(csv);
	sk_buf_free(&err);
	sk_store_close(s);
}

/* Export in each encoding and import into a fresh database: the same register comes back. */
static void test_export_roundtrip(const char *backend)
{
	sk_store *s = fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_asset_input in;
	base_input(&in);
	in.v[SK_AF_NOTE] = "=危険な式\n二行目, \"引用\"";
	add_ok(s, &in);
	in.v[SK_AF_UNIT] = "kikaku";
	in.v[SK_AF_NOTE] = NULL;
	in.v[SK_AF_CONF] = "1";
	in.v[SK_AF_MYNUMBER] = NULL;
	in.v[SK_AF_ACQUIRED_ON] = NULL;
	in.v[SK_AF_RECOVERY_HOURS] = NULL;
	in.v[SK_AF_ZONE] = "internet";
	add_ok(s, &in);
	for (int enc = SK_CSV_UTF8; enc <= SK_CSV_CP932; enc++)
		for (int ja = 0; ja < 2; ja++) {
			char *buf = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&buf, &len);
			assert_int_equal(sk_asset_export_csv(as(s, sk_actor_cli()),
			                                     &(sk_asset_filter){0}, f, enc, ja,
			                                     &err),
			                 SK_OK);
			fclose(f);
			assert_int_equal(sk_csv_detect(buf, len), enc);
			sk_store *t = fresh(backend);
			sk_asset_import_result res;
			if (sk_asset_import(as(t, sk_actor_cli()), buf, len, "export.csv", 0, &res,
			                    &err))
				fail_msg("re-import (enc %d, ja %d): %s", enc, ja, err.data);
			assert_int_equal(res.rows, 2);
			/* Same stored values (ids and times aside). */
			assert_int_equal(
			    count(s, "SELECT COUNT(*) FROM assets WHERE note LIKE '=危険%'"), 1);
			assert_int_equal(
			    count(
			        t,
			        "SELECT COUNT(*) FROM assets WHERE note = '=危険な式\n二行目, "
			        "\"引用\"' AND conf = '3' AND mynumber = 1 AND recovery_hours = 24 "
			        "AND acquired_on = '2025-04-01' AND unit_id = 3"),
			    1);
			assert_int_equal(count(t,
			                       "SELECT COUNT(*) FROM assets WHERE unit_id = 4 AND "
			                       "conf = '1' AND zone = 'internet' AND personal = 0 "
			                       "AND acquired_on IS NULL"),
			                 1);
			sk_store_close(t);
			free(buf);
		}
	/* Excel: a zip (xlsx) file appears only on success. */
	char path[512];
	snprintf(path, sizeof(path), "%s/register.xlsx", sk_test_tmpdir());
	assert_int_equal(
	    sk_asset_export_xlsx(as(s, sk_actor_cli()), &(sk_asset_filter){0}, path, &err), SK_OK);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char magic[4] = {0};
	assert_int_equal(fread(magic, 1, 4, f), 4);
	fclose(f);
	assert_memory_equal(magic, "PK\x03\x04", 4);
	snprintf(path, sizeof(path), "%s/no-such-dir/register.xlsx", sk_test_tmpdir());
	assert_int_not_equal(
	    sk_asset_export_xlsx(as(s, sk_actor_cli()), &(sk_asset_filter){0}, path, &err), SK_OK);
	sk_buf_free(&err);
	sk_store_close(s);
}

/* With a profile whose scheme says 3A/3B/3C, levels are its names. */
static void test_profile_scheme(const char *backend)
{
	sk_store *s = fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(
	    sk_store_meta_set(s, "policy.profile", SK_SOURCE_ROOT "/policies/example.yaml", &err),
	    SK_OK);
	sk_asset_input in;
	base_input(&in);
	expect_add_fails(s, &in, SK_ERR_INVALID, "'3' is not a level of 機密性 (expected 3A, 3B");
	in.v[SK_AF_CONF] = "機密性３Ａ";
	int64_t id = add_ok(s, &in);
	json_t *j = get_ok(s, id);
	assert_string_equal(json_string_value(json_object_get(j, "conf")), "3A");
	assert_string_equal(json_string_value(json_object_get(j, "label")),
	                    "機密性3A、完全性2、可用性2");
	json_decref(j);
	/* 3A is in the 機密性3 class: the read is on record. */
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.read'"), 1);
	/* A profile that cannot be loaded is an error, not a silent fallback. */
	assert_int_equal(sk_store_meta_set(s, "policy.profile", "no-such-profile", &err), SK_OK);
	base_input(&in);
	int64_t x;
	assert_int_equal(sk_asset_add(as(s, sk_actor_cli()), &in, &x, &err), SK_ERR_CORRUPT);
	assert_non_null(strstr(err.data, "no-such-profile"));
	sk_buf_free(&err);
	sk_store_close(s);
}

/* --- the asset's JSON text (sk_asset_render) --- */

static json_t *opt_json_str(const char *v) { return v ? json_string(v) : json_null(); }

static json_t *level_ref(const char *v)
{
	size_t n = strlen(v);
	if (n && n <= 9 && strspn(v, "0123456789") == n)
		return json_integer(strtoll(v, NULL, 10));
	return json_string(v);
}

/* What jansson's compact encoding of the same object, keys in the same order, gives. */
static char *reference(const sk_asset *a)
{
	char ct[SK_TIME_STR_MAX], ut[SK_TIME_STR_MAX];
	sk_clock_format_local(a->created_at, ct);
	sk_clock_format_local(a->updated_at, ut);
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(a->id));
	json_object_set_new(j, "asset_number", opt_json_str(a->asset_number));
	json_object_set_new(j, "unit", json_integer(a->unit_id));
	json_object_set_new(j, "unit_code", json_string(a->unit_code));
	json_object_set_new(j, "unit_name", json_string(a->unit_name));
	json_object_set_new(j, "name", json_string(a->name));
	json_object_set_new(j, "type", json_string(a->type));
	json_object_set_new(j, "location", json_string(a->location));
	json_object_set_new(j, "conf", level_ref(a->conf));
	json_object_set_new(j, "integ", level_ref(a->integ));
	json_object_set_new(j, "avail", level_ref(a->avail));
	json_object_set_new(j, "quantity", json_integer(a->quantity));
	json_object_set_new(j, "manager", json_string(a->manager));
	json_object_set_new(j, "backup", json_boolean(a->backup));
	json_object_set_new(j, "disposal_method", json_string(a->disposal_method));
	json_object_set_new(j, "zone", json_string(a->zone));
	json_object_set_new(j, "personal", json_boolean(a->personal));
	json_object_set_new(j, "mynumber", json_boolean(a->mynumber));
	json_object_set_new(j, "recovery_hours",
	                    a->recovery_hours < 0 ? json_null() : json_integer(a->recovery_hours));
	json_object_set_new(j, "label", json_string(a->label));
	json_object_set_new(j, "acquired_on", opt_json_str(a->acquired_on));
	json_object_set_new(j, "note", json_string(a->note));
	json_object_set_new(j, "status", json_string(a->status));
	json_object_set_new(j, "disposed_on", opt_json_str(a->disposed_on));
	json_object_set_new(j, "disposal_operator", opt_json_str(a->disposal_operator));
	json_object_set_new(j, "disposal_record", opt_json_str(a->disposal_record));
	json_object_set_new(j, "created_at", json_string(ct));
	json_object_set_new(j, "updated_at", json_string(ut));
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	assert_non_null(text);
	return text;
}

static void render_matches(const sk_asset *a)
{
	sk_buf b = SK_BUF_INIT(1u << 20);
	assert_int_equal(sk_buf_adds(&b, "prefix:"), SK_OK);
	assert_int_equal(sk_asset_render(a, &b), SK_OK);
	char *want = reference(a);
	if (strcmp(b.data + 7, want) != 0)
		fail_msg("render:\n%s\nwant:\n%s", b.data + 7, want);
	free(want);
	sk_buf_free(&b);
}

static void test_render(void **state)
{
	(void)state;
	sk_asset a = {
	    .id = 42,
	    .unit_id = 3,
	    .unit_code = "it",
	    .unit_name = "情報政策課",
	    .type = "hardware",
	    /* every character class the escaping distinguishes */
	    .name = "q\"b\\s/\x01\x1f\x7f\n\t\b\f\r 日本語 \xf0\x9f\x98\x80 \xe2\x80\xa8",
	    .quantity = -5,
	    .location = "",
	    .backup = true,
	    .disposal_method = "溶解",
	    .conf = "3",
	    .integ = "3A",
	    .avail = "007",
	    .manager = "課長",
	    .zone = "lgwan",
	    .personal = false,
	    .mynumber = true,
	    .recovery_hours = -1,
	    .label = "機密性3、完全性3A、可用性007",
	    .acquired_on = NULL,
	    .note = "line1\nline2",
	    .status = "active",
	    .disposed_on = NULL,
	    .disposal_operator = NULL,
	    .disposal_record = NULL,
	    .created_at = 0,
	    .updated_at = 951782400, /* 2000-02-29 */
	};
	render_matches(&a);

	sk_buf b = SK_BUF_INIT(1u << 20);
	assert_int_equal(sk_asset_render(&a, &b), SK_OK);
	assert_non_null(strstr(b.data, "\"name\":\"q\\\"b\\\\s/\\u0001\\u001F\x7f\\n\\t\\b\\f\\r "
	                               "日本語 \xf0\x9f\x98\x80 \xe2\x80\xa8\""));
	assert_non_null(strstr(b.data, "\"conf\":3,\"integ\":\"3A\",\"avail\":7,"));
	assert_non_null(strstr(b.data, "\"recovery_hours\":null,"));
	assert_non_null(strstr(b.data, "\"acquired_on\":null,"));
	assert_non_null(strstr(b.data, "\"disposal_record\":null,"));
	/* Times in the installation's zone (JST by default; UTC where it says so). */
	assert_non_null(strstr(b.data, "\"created_at\":\"1970-01-01T09:00:00+09:00\""));
	assert_non_null(strstr(b.data, "\"updated_at\":\"2000-02-29T09:00:00+09:00\"}"));
	assert_int_equal(sk_clock_set_zone("UTC"), SK_OK);
	sk_buf_reset(&b);
	assert_int_equal(sk_asset_render(&a, &b), SK_OK);
	assert_non_null(strstr(b.data, "\"created_at\":\"1970-01-01T00:00:00+00:00\""));
	assert_int_equal(sk_clock_set_zone("-03:30"), SK_OK);
	sk_buf_reset(&b);
	assert_int_equal(sk_asset_render(&a, &b), SK_OK);
	assert_non_null(strstr(b.data, "\"created_at\":\"1969-12-31T20:30:00-03:30\""));
	assert_int_equal(sk_clock_set_zone(SK_CLOCK_DEFAULT_ZONE), SK_OK);
	/* The json_t view is the same object. */
	json_t *j = sk_asset_json(&a);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "name")), a.name);
	assert_true(json_is_null(json_object_get(j, "acquired_on")));
	json_decref(j);

	/* Set optional fields and other times: still what jansson writes. */
	a.acquired_on = "2025-04-01";
	a.disposed_on = "2026-01-31";
	a.disposal_operator = "担当 \"太郎\"";
	a.disposal_record = "証明書\tNo.1";
	a.status = "disposed";
	a.recovery_hours = 24;
	a.backup = false;
	a.personal = true;
	static const int64_t times[] = {-1,         -86401,       59,          86399,
	                                951868799,  1735689600,   4102444799,  253402300799,
	                                1773000000, -62135596800, 253402300800};
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		a.created_at = times[i];
		a.updated_at = times[i] + 3600 * 13 + 61;
		render_matches(&a);
	}

	/* Text that is not UTF-8 is refused and leaves the buffer as it was. */
	sk_buf_reset(&b);
	assert_int_equal(sk_buf_adds(&b, "keep"), SK_OK);
	a.note = "bad \xff byte";
	assert_int_equal(sk_asset_render(&a, &b), SK_ERR_INVALID);
	assert_string_equal(b.data, "keep");
	a.note = "overlong \xc0\xaf";
	assert_int_equal(sk_asset_render(&a, &b), SK_ERR_INVALID);
	a.note = "surrogate \xed\xa0\x80";
	assert_int_equal(sk_asset_render(&a, &b), SK_ERR_INVALID);
	a.note = "cut \xe6\x97";
	assert_int_equal(sk_asset_render(&a, &b), SK_ERR_INVALID);
	assert_string_equal(b.data, "keep");
	sk_buf_free(&b);
}

/* sk_asset_get_text gives the text the GET sends; sk_asset_get the same object. */
static void test_get_text(const char *backend)
{
	sk_store *s = fresh(backend);
	sk_asset_input in;
	base_input(&in);
	in.v[SK_AF_NOTE] = "注意 \"引用\" \\ タブ\tあり";
	int64_t id = add_ok(s, &in);
	sk_buf t = SK_BUF_INIT(1u << 20), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(sk_buf_adds(&t, "["), SK_OK);
	int64_t reads = count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.read'");
	assert_int_equal(sk_asset_get_text(as(s, sk_actor_cli()), id, &t, &err), SK_OK);
	/* 機密性3: on record, as sk_asset_get does. */
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.read'"),
	                 reads + 1);
	json_t *j = get_ok(s, id);
	char *want = json_dumps(j, JSON_COMPACT);
	assert_string_equal(t.data + 1, want);
	free(want);
	json_decref(j);
	/* Out of scope or missing: not found, and the buffer keeps what it had. */
	sk_actor nobody = {.login = "nobody", .address = "127.0.0.1", .user_id = 999};
	assert_int_equal(sk_asset_get_text(as(s, &nobody), id, &t, &err), SK_ERR_NOT_FOUND);
	assert_int_equal(sk_asset_get_text(as(s, sk_actor_cli()), id + 100, &t, &err),
	                 SK_ERR_NOT_FOUND);
	assert_int_equal(t.data[0], '[');
	assert_int_equal(t.data[t.len - 1], '}');
	sk_buf_free(&t);
	sk_buf_free(&err);
	sk_store_close(s);
}

/* --- decisions: made on one side, recorded on the other --- */

static void test_decision(const char *backend)
{
	sk_store *s = fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), diag = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_policy *pol = NULL;
	if (sk_policy_open(SK_SOURCE_ROOT "/policies/hachioji.yaml", &pol, &diag))
		fail_msg("profile: %s", diag.data);
	sk_asset_input in;
	base_input(&in);
	int64_t top = add_ok(s, &in); /* 機密性3 */
	in.v[SK_AF_CONF] = "2";
	in.v[SK_AF_MYNUMBER] = "なし";
	in.v[SK_AF_ZONE] = "lgwan";
	int64_t two = add_ok(s, &in);
	int64_t entries = count(s, "SELECT COUNT(*) FROM audit_log");

	sk_decision_made m;
	sk_decision_made_init(&m);
	for (int act = 0; act < SK_ACT__COUNT; act++) {
		const char *name = sk_action_name((sk_action)act);
		for (int k = 0; k < 2; k++) {
			int64_t id = k ? top : two;
			uint32_t roles = k ? 0 : 1u << SK_ROLE_STAFF;
			assert_int_equal(sk_decision_make(tu_ctx_pol(s, pol, sk_actor_cli()), roles,
			                                  id, name, &m, &err),
			                 SK_OK);
			/* Making records nothing. */
			assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), entries);
			assert_true(m.record_read == (id == top));
			/* The image is canonical: what sk_json_canonical makes of it. */
			json_t *img = NULL, *ans = NULL;
			assert_int_equal(
			    sk_json_parse(m.image.data, m.image.len, 1u << 20, &img, &err), SK_OK);
			sk_buf canon = SK_BUF_INIT(1u << 20);
			assert_int_equal(sk_json_canonical(img, &canon), SK_OK);
			assert_string_equal(m.image.data, canon.data);
			/* ... and holds the answer, the action, the role and the asset's version.
			 */
			assert_int_equal(
			    sk_json_parse(m.answer.data, m.answer.len, 1u << 20, &ans, &err),
			    SK_OK);
			assert_true(json_equal(json_object_get(img, "decision"), ans));
			/*
			 * A filing's decision, built without the text: the same object, its
			 * members in the same order, and the image's own canonical text.
			 */
			json_t *built = sk_decision_json(&m.decided.d);
			assert_non_null(built);
			char *t1 = json_dumps(ans, 0), *t2 = json_dumps(built, 0);
			assert_string_equal(t1, t2);
			free(t1);
			free(t2);
			json_decref(built);
			sk_buf dc = SK_BUF_INIT(1u << 20), ac = SK_BUF_INIT(1u << 20);
			assert_int_equal(sk_decision_canonical(&m.decided.d, &dc), SK_OK);
			assert_int_equal(sk_json_canonical(ans, &ac), SK_OK);
			assert_string_equal(dc.data, ac.data);
			assert_int_equal(m.decision_len, dc.len);
			assert_memory_equal(m.image.data + m.decision_at, dc.data, dc.len);
			sk_decision_made u;
			sk_decision_made_init(&u);
			assert_int_equal(
			    sk_decision_make_unanswered(tu_ctx_pol(s, pol, sk_actor_cli()), roles,
			                                id, name, &u, &err),
			    SK_OK);
			assert_int_equal(u.answer.len, 0);
			assert_string_equal(u.image.data, m.image.data);
			assert_int_equal(u.decision_at, m.decision_at);
			assert_int_equal(u.decision_len, m.decision_len);
			sk_decision_made_free(&u);
			sk_buf_free(&dc);
			sk_buf_free(&ac);
			assert_string_equal(json_string_value(json_object_get(img, "action")),
			                    name);
			if (k)
				assert_true(json_is_null(json_object_get(img, "actor_role")));
			else
				assert_string_equal(
				    json_string_value(json_object_get(img, "actor_role")), "staff");
			assert_non_null(
			    json_string_value(json_object_get(img, "asset_updated_at")));
			json_decref(img);
			json_decref(ans);
			sk_buf_free(&canon);
		}
	}
	/* Recording: the read of a 機密性3 asset first, then the decision, in one transaction. */
	assert_int_equal(
	    sk_decision_make(tu_ctx_pol(s, pol, sk_actor_cli()), 0, top, "copy", &m, &err), SK_OK);
	assert_int_equal(sk_decision_record(tu_ctx(s, sk_actor_cli()), &m, &err), SK_OK);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), entries + 2);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'decision' AND "
	                          "after_json LIKE '%\"action\":\"copy\"%'"),
	                 1);
	/* A failed append leaves nothing: the read's entry goes with it. */
	sk_store_fault(s, SK_FAULT_WRITE,
	               4); /* the decision's own INSERT, after the read's entry */
	assert_int_equal(sk_decision_record(tu_ctx(s, sk_actor_cli()), &m, &err), SK_ERR_STORE);
	sk_store_fault(s, SK_FAULT_WRITE, 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), entries + 2);
	/* The one-call form answers what was made. */
	sk_buf out = SK_BUF_INIT(1u << 16);
	assert_int_equal(
	    sk_decision_for_asset(tu_ctx_pol(s, pol, sk_actor_cli()), 0, two, "copy", &out, &err),
	    SK_OK);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), entries + 3);
	assert_int_equal(
	    sk_decision_make(tu_ctx_pol(s, pol, sk_actor_cli()), 0, two, "copy", &m, &err), SK_OK);
	assert_string_equal(out.data, m.answer.data);
	/* Unknown action, unknown asset, out of scope: errors, nothing recorded. */
	assert_int_equal(
	    sk_decision_for_asset(tu_ctx_pol(s, pol, sk_actor_cli()), 0, two, "nope", &out, &err),
	    SK_ERR_INVALID);
	assert_int_equal(sk_decision_for_asset(tu_ctx_pol(s, pol, sk_actor_cli()), 0, two + 100,
	                                       "copy", &out, &err),
	                 SK_ERR_NOT_FOUND);
	sk_actor nobody = {.login = "nobody", .address = "127.0.0.1", .user_id = 999};
	assert_int_equal(
	    sk_decision_for_asset(tu_ctx_pol(s, pol, &nobody), 0, two, "copy", &out, &err),
	    SK_ERR_NOT_FOUND);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), entries + 3);

	sk_test_log_intact(s);
	sk_decision_made_free(&m);
	sk_buf_free(&out);
	sk_policy_free(pol);
	sk_buf_free(&err);
	sk_buf_free(&diag);
	sk_store_close(s);
}

static sk_err import_text(sk_store *s, const char *csv, unsigned flags, sk_asset_import_result *res,
                          sk_buf *err)
{
	return sk_asset_import(as(s, sk_actor_cli()), csv, strlen(csv), "register.csv", flags, res,
	                       err);
}

/*
 * A register as a city keeps it in Excel and saves as CSV: a title line and
 * an empty line before the headings, a No. column, an empty last column,
 * empty rows, units by name, Japanese types and levels, full-width digits,
 * and the city's own 管理番号, which makes a re-import update instead of add.
 */
static void test_register_shapes(const char *backend)
{
	sk_store *s = fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_asset_import_result *res = malloc(sizeof(*res));
	assert_non_null(res);
	const char *reg =
	    "情報資産台帳（令和6年度）,,,,,,,,,,,\r\n"
	    ",,,,,,,,,,,\r\n"
	    "No.,管理番号,所管課,情報資産の種類,名称・型番,台数・個数,機密性,完全性,可用性,"
	    "管理責任者,ネットワーク区分,\r\n"
	    "１,A-001,情報政策課,ハードウェア,住基端末,２,機密性３,２,２,課長,"
	    "マイナンバー利用事務系,\r\n"
	    "２,Ａ００２,企画課,文書,申請書綴り,1,２,1,1,係長,インターネット接続系,\r\n"
	    ",,,,,,,,,,,\r\n"
	    "３,A-003,somu,データ,住民データ,,2,2,1,部長,LGWAN接続系,\r\n"
	    ",,,,,,,,,,,\r\n";
	int64_t audit = count(s, "SELECT COUNT(*) FROM audit_log");
	if (import_text(s, reg, 0, res, &err))
		fail_msg("register: %s", err.data);
	assert_int_equal(res->rows, 3);
	assert_int_equal(res->added, 3);
	assert_int_equal(res->skipped, 2);
	assert_true(res->import_id > 0);
	/* The notices are the reader's language: Japanese unless the context says English. */
	assert_non_null(strstr(res->notices,
	                       "1 行目：見出し行ではないため、表題として読み飛ばしました"
	                       ": 情報資産台帳（令和6年度）"));
	assert_non_null(
	    strstr(res->notices, "3 行目 1 列目：「No.」列は行の番号のため、読み飛ばしました"));
	assert_non_null(strstr(res->notices, "見出しのない 1 列を読み飛ばしました"));
	assert_non_null(strstr(res->notices, "空の行 2 行を読み飛ばしました: 6, 8 行目"));
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets WHERE asset_number = 'A-001' AND "
	                          "unit_id = 3 AND quantity = 2 AND conf = '3' AND type = "
	                          "'hardware' AND zone = 'mynumber'"),
	                 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets WHERE asset_number = 'A002' AND "
	                          "unit_id = 4 AND type = 'document'"),
	                 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets WHERE asset_number = 'A-003' AND "
	                          "unit_id = 2 AND quantity = 1"),
	                 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), audit + 1);

	/* The same file again changes nothing and records nothing. */
	audit = count(s, "SELECT COUNT(*) FROM audit_log");
	if (import_text(s, reg, 0, res, &err))
		fail_msg("re-import: %s", err.data);
	assert_int_equal(res->import_id, 0);
	assert_int_equal(res->added, 0);
	assert_int_equal(res->changed, 0);
	assert_int_equal(res->unchanged, 3);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets"), 3);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM asset_import"), 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), audit);

	/* A changed row and a new one: the dry run says so and writes nothing. */
	const char *next = "管理番号,所管課,種類,名称,機密性,完全性,可用性,管理責任者,系統\n"
	                   "A-001,it,hardware,住基端末,3,2,2,課長,mynumber\n"
	                   "A002,kikaku,document,申請書綴り（令和6年度）,2,1,1,係長,internet\n"
	                   "A-004,kikaku,media,USBメモリ,2,1,1,係長,internet\n";
	if (import_text(s, next, SK_ASSET_IMPORT_DRY_RUN, res, &err))
		fail_msg("dry run: %s", err.data);
	assert_int_equal(res->added, 1);
	assert_int_equal(res->changed, 1);
	assert_int_equal(res->unchanged, 1);
	assert_int_equal(res->import_id, 0);
	if (!strstr(res->changes, "3 行目：情報資産 ") ||
	    !strstr(res->changes, "（管理番号 A002）を変更: name"))
		fail_msg("changes: %s", res->changes);
	assert_non_null(strstr(res->changes, "4 行目：管理番号 A-004 を追加: USBメモリ"));
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets"), 3);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), audit);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets WHERE name = '申請書綴り'"), 1);
	/* Done: the change is an update of the same asset, on record as such. */
	int64_t a002 = count(s, "SELECT id FROM assets WHERE asset_number = 'A002'");
	if (import_text(s, next, 0, res, &err))
		fail_msg("update: %s", err.data);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets"), 4);
	assert_int_equal(count(s, "SELECT id FROM assets WHERE name = '申請書綴り（令和6年度）'"),
	                 a002);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.update'"),
	                 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), audit + 2);

	/* Every error of every row at once, with line and column. */
	const char *bad = "管理番号,所管課,種類,名称,機密性,完全性,可用性,管理責任者,系統\n"
	                  "B-1,存在しない課,よくわからない物,端末,9,2,2,課長,mynumber\n"
	                  "B-2,it,hardware,,3,2,2,課長,どこか\n"
	                  "B-1,it,hardware,端末,3,2,2,課長,mynumber\n";
	audit = count(s, "SELECT COUNT(*) FROM audit_log");
	assert_int_equal(import_text(s, bad, 0, res, &err), SK_ERR_INVALID);
	static const char *const want[] = {
	    "3 of 3 rows are bad; nothing was imported",
	    "line 2, column 2 (所管課): unknown unit '存在しない課'",
	    "line 2, column 3 (情報資産の種類): unknown type 'よくわからない物'",
	    "line 2, column 5 (機密性): '9' is not a level of 機密性",
	    "line 3, column 4 (名称・型番): is required",
	    "line 3, column 9 (ネットワーク区分): unknown network zone 'どこか'",
	    "line 4, column 1 (管理番号): this 管理番号 is given to an earlier row",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(err.data, want[i]))
			fail_msg("'%s' lacks '%s'", err.data, want[i]);
	/* The same list in Japanese, for a Japanese reader: every row, line and column named. */
	static const char *const want_ja[] = {
	    "3 行に誤りがあります（全 3 行）。何も取り込んでいません",
	    "2 行目 2 列目（所管課）: 「存在しない課」という所管課はありません",
	    "2 行目 3 列目（情報資産の種類）: 「よくわからない物」は情報資産の種類として受け付けて"
	    "いません",
	    "2 行目 5 列目（機密性）: 「9」は機密性の区分にありません",
	    "3 行目 4 列目（名称・型番）: 必須です",
	    "3 行目 9 列目（ネットワーク区分）: "
	    "「どこか」はネットワーク区分として受け付けていません",
	    "4 行目 1 列目（管理番号）: この管理番号はファイルの前の行でも使われています",
	};
	assert_non_null(err.ja);
	for (size_t i = 0; i < sizeof(want_ja) / sizeof(want_ja[0]); i++)
		if (!strstr(err.ja, want_ja[i]))
			fail_msg("'%s' lacks '%s'", err.ja, want_ja[i]);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets"), 4);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), audit);

	/* A file whose rows have no 管理番号 cannot be told apart on a second import: refused. */
	const char *plain = "所管課,種類,名称,機密性,完全性,可用性,管理責任者,系統\n"
	                    "it,data,台帳,1,1,1,係長,lgwan\n";
	assert_int_equal(import_text(s, plain, 0, res, &err), SK_OK);
	assert_int_equal(import_text(s, plain, 0, res, &err), SK_ERR_CONFLICT);
	assert_non_null(strstr(err.data, "imported already"));
	assert_int_equal(count(s, "SELECT COUNT(*) FROM assets"), 5);

	/* 管理番号 is unique: an add that reuses one is refused. */
	sk_asset_input in;
	base_input(&in);
	in.v[SK_AF_NUMBER] = "Ａ－００１"; /* the full-width hyphen is not folded: a new number */
	int64_t id = 0;
	assert_int_equal(sk_asset_add(as(s, sk_actor_cli()), &in, &id, &err), SK_OK);
	in.v[SK_AF_NUMBER] = "Ａ-００１";
	assert_int_equal(sk_asset_add(as(s, sk_actor_cli()), &in, &id, &err), SK_ERR_CONFLICT);
	assert_non_null(strstr(err.data, "管理番号 'A-001' is already"));

	sk_test_log_intact(s);
	free(res);
	sk_buf_free(&err);
	sk_store_close(s);
}

/* A row entered by mistake is removed as a correction: its own entry, never a 廃棄. */
static void test_remove(const char *backend)
{
	sk_store *s = fresh(backend);
	exec(s, "INSERT INTO users(id, login, name, unit_id, kind, status, created_at) VALUES "
	        "(10, 'staff1', '職員', 3, 'staff', 'active', 0), "
	        "(11, 'chief', '課長', 3, 'staff', 'active', 0)");
	exec(s, "INSERT INTO role_assignment(user_id, role, unit_id, granted_at) VALUES "
	        "(10, 'staff', 3, 0), (11, 'security_manager', 3, 0)");
	sk_actor staff = {.user_id = 10, .login = "staff1", .address = "127.0.0.1"};
	sk_actor chief = {.user_id = 11, .login = "chief", .address = "127.0.0.1"};
	sk_asset_input in;
	base_input(&in);
	int64_t twice = add_ok(s, &in), named = add_ok(s, &in);
	in.v[SK_AF_UNIT] = "zaimu";
	int64_t other = add_ok(s, &in);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t audit = count(s, "SELECT COUNT(*) FROM audit_log");
	/* A reason is required; staff may not change the register; out of scope is not found. */
	assert_int_equal(sk_asset_remove(as(s, &chief), twice, "", &err), SK_ERR_INVALID);
	assert_int_equal(sk_asset_remove(as(s, &chief), twice, NULL, &err), SK_ERR_INVALID);
	assert_int_equal(sk_asset_remove(as(s, &staff), twice, "二重登録", &err), SK_ERR_NOT_FOUND);
	assert_int_equal(sk_asset_remove(as(s, &chief), other, "二重登録", &err), SK_ERR_NOT_FOUND);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log"), audit);
	assert_int_equal(sk_asset_remove(as(s, &chief), twice, "二重登録", &err), SK_OK);
	char q[400];
	snprintf(q, sizeof(q), "SELECT COUNT(*) FROM assets WHERE id = %lld", (long long)twice);
	assert_int_equal(count(s, q), 0);
	assert_int_equal(count(s,
	                       "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.remove' AND "
	                       "actor = 'chief' AND after_json LIKE '%二重登録%' AND before_json "
	                       "LIKE '%住基端末%'"),
	                 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'asset.dispose'"),
	                 0);
	assert_int_equal(sk_asset_remove(as(s, &chief), twice, "二重登録", &err), SK_ERR_NOT_FOUND);
	/* An asset a request names was real: it is disposed of, not removed. */
	snprintf(q, sizeof(q),
	         "INSERT INTO requests(kind, status, requester_id, requester, unit_id, asset_id, "
	         "reason, details, safeguards_confirmed, created_at, updated_at) VALUES "
	         "('take_out', 'pending', 10, 'staff1', 3, %lld, 'r', '{}', '[]', 0, 0)",
	         (long long)named);
	exec(s, q);
	assert_int_equal(sk_asset_remove(as(s, &chief), named, "誤登録", &err), SK_ERR_CONFLICT);
	assert_non_null(strstr(err.data, "disposed of"));
	sk_test_log_intact(s);
	sk_buf_free(&err);
	sk_store_close(s);
}

SK_TEST_EACH_BACKEND(test_add_show)
SK_TEST_EACH_BACKEND(test_validation)
SK_TEST_EACH_BACKEND(test_update_dispose_history)
SK_TEST_EACH_BACKEND(test_list_filters)
SK_TEST_EACH_BACKEND(test_scope)
SK_TEST_EACH_BACKEND(test_scope_runs)
SK_TEST_EACH_BACKEND(test_import)
SK_TEST_EACH_BACKEND(test_remove)
SK_TEST_EACH_BACKEND(test_register_shapes)
SK_TEST_EACH_BACKEND(test_export_roundtrip)
SK_TEST_EACH_BACKEND(test_profile_scheme)
SK_TEST_EACH_BACKEND(test_get_text)
SK_TEST_EACH_BACKEND(test_decision)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_add_show_all),
	    cmocka_unit_test(test_validation_all),
	    cmocka_unit_test(test_update_dispose_history_all),
	    cmocka_unit_test(test_list_filters_all),
	    cmocka_unit_test(test_scope_all),
	    cmocka_unit_test(test_scope_runs_all),
	    cmocka_unit_test(test_import_all),
	    cmocka_unit_test(test_remove_all),
	    cmocka_unit_test(test_register_shapes_all),
	    cmocka_unit_test(test_export_roundtrip_all),
	    cmocka_unit_test(test_profile_scheme_all),
	    cmocka_unit_test(test_render),
	    cmocka_unit_test(test_get_text_all),
	    cmocka_unit_test(test_decision_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
