/* Tests of the field schema: the body checks every door relies on, and the tables' own rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "domain/schema.h"

static sk_err check(const sk_schema *sc, sk_schema_mode mode, const char *text, sk_buf *err)
{
	json_error_t je;
	json_t *j = json_loads(text, JSON_ALLOW_NUL | JSON_DECODE_ANY, &je);
	assert_non_null(j);
	sk_err e = sk_schema_check_json(sc, mode, j, err);
	json_decref(j);
	return e;
}

static void expect_refused(const sk_schema *sc, sk_schema_mode mode, const char *text,
                           const char *says)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(check(sc, mode, text, &err), SK_ERR_INVALID);
	if (!strstr(err.data, says))
		fail_msg("'%s' was refused with '%s', expected it to say '%s'", text, err.data,
		         says);
	sk_buf_free(&err);
}

static void expect_ok(const sk_schema *sc, sk_schema_mode mode, const char *text)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (check(sc, mode, text, &err))
		fail_msg("'%s' was refused: %s", text, err.data);
	sk_buf_free(&err);
}

/* A creation needs every required field; a change needs none, but checks what it is given. */
static void test_asset_bodies(void **state)
{
	(void)state;
	const char *full =
	    "{\"unit\": \"joho\", \"type\": \"hardware\", \"name\": \"PC\", "
	    "\"conf\": 3, \"integ\": \"2\", \"avail\": \"2\", \"manager\": \"課長\", "
	    "\"zone\": \"lgwan\"}";
	expect_ok(&sk_schema_asset, SK_SCHEMA_CREATE, full);
	expect_refused(&sk_schema_asset, SK_SCHEMA_CREATE, "{\"name\": \"PC\"}",
	               "field 'unit' is required");
	expect_ok(&sk_schema_asset, SK_SCHEMA_CHANGE, "{\"name\": \"PC\"}");
	expect_refused(&sk_schema_asset, SK_SCHEMA_CHANGE, "{\"colour\": \"red\"}",
	               "unknown field 'colour'");
	expect_refused(&sk_schema_asset, SK_SCHEMA_CHANGE, "{\"location\": 5}",
	               "field 'location' must be a string");
	expect_refused(&sk_schema_asset, SK_SCHEMA_CHANGE, "{\"backup\": \"yes\"}",
	               "field 'backup' must be true or false");
	expect_refused(&sk_schema_asset, SK_SCHEMA_CHANGE, "{\"quantity\": -1}",
	               "field 'quantity' must be a whole number from 0 to 1000000000");
	expect_refused(&sk_schema_asset, SK_SCHEMA_CHANGE, "{\"recovery_hours\": 8785}",
	               "field 'recovery_hours' must be a whole number from 1 to 8784");
	expect_refused(&sk_schema_asset, SK_SCHEMA_CHANGE, "{\"name\": \"a\\u0000b\"}",
	               "field 'name' holds a NUL character");
	expect_refused(&sk_schema_asset, SK_SCHEMA_CHANGE, "[1]", "must be a JSON object");
}

/* The note takes 4,000 bytes through every door (the CSV import's limit), the name 400. */
static void test_text_limits(void **state)
{
	(void)state;
	char body[4200];
	memcpy(body, "{\"note\": \"", 10);
	memset(body + 10, 'n', 4000);
	memcpy(body + 4010, "\"}", 3);
	expect_ok(&sk_schema_asset, SK_SCHEMA_CHANGE, body);
	memcpy(body + 4010, "n\"}", 4);
	expect_refused(&sk_schema_asset, SK_SCHEMA_CHANGE, body,
	               "field 'note' is longer than 4000 bytes");

	const sk_field *name = sk_schema_field(&sk_schema_asset, "name");
	assert_non_null(name);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char v[402];
	memset(v, 'a', sizeof(v));
	assert_int_equal(sk_schema_check_text(name, v, 400, &err), SK_OK);
	assert_int_equal(sk_schema_check_text(name, v, 401, &err), SK_ERR_INVALID);
	assert_int_equal(sk_schema_check_text(name, "a\nb", 3, &err), SK_ERR_INVALID);
	assert_int_equal(sk_schema_check_text(name, "\xc0\xaf", 2, &err), SK_ERR_INVALID);
	/* "abc" U+202E "gpj.exe" reads as "abcexe.jpg": refused, as in a name (issue #12). */
	assert_int_equal(sk_schema_check_text(name, "abc\xe2\x80\xaegpj.exe", 13, &err),
	                 SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "direction-changing"));
	assert_int_equal(sk_schema_check_text(name,
	                                      "a\xe2\x80\x8b"
	                                      "b",
	                                      5, &err),
	                 SK_ERR_INVALID);
	assert_int_equal(sk_schema_check_text(name, "情報管理課", strlen("情報管理課"), &err),
	                 SK_OK);
	const sk_field *note = sk_schema_field(&sk_schema_asset, "note");
	assert_int_equal(sk_schema_check_text(note, "a\nb", 3, &err), SK_OK);
	assert_int_equal(sk_schema_check_text(note,
	                                      "a\x01"
	                                      "b",
	                                      3, &err),
	                 SK_ERR_INVALID);
	sk_buf_free(&err);
	/*
	 * The JSON doors refuse the same text: a manager "課長" U+202E "gnp.exe"
	 * (reads as 課長exe.png) through POST /api/v1/assets as through the CLI.
	 */
	expect_refused(&sk_schema_asset, SK_SCHEMA_CHANGE,
	               "{\"manager\": \"\u8ab2\u9577\u202egnp.exe\"}", "direction-changing");
	expect_refused(&sk_schema_asset, SK_SCHEMA_CHANGE, "{\"name\": \"a\\tb\"}", "control");
	expect_ok(&sk_schema_asset, SK_SCHEMA_CHANGE, "{\"note\": \"a\\nb\"}");
	expect_ok(&sk_schema_login, SK_SCHEMA_CREATE,
	          "{\"login\": \"x\", \"password\": \"p\\u202eq\"}");
}

/* Lists, ids-or-codes and levels take the JSON types the API has always taken. */
static void test_other_types(void **state)
{
	(void)state;
	expect_ok(&sk_schema_user, SK_SCHEMA_CREATE,
	          "{\"login\": \"a.b\", \"name\": \"A\", \"unit\": 3, \"roles\": [\"staff\"]}");
	expect_refused(&sk_schema_user, SK_SCHEMA_CREATE,
	               "{\"login\": \"a.b\", \"name\": \"A\", \"unit\": 3, \"roles\": [1]}",
	               "field 'roles' must hold strings");
	expect_refused(&sk_schema_user, SK_SCHEMA_CREATE,
	               "{\"login\": \"a.b\", \"name\": \"A\", \"unit\": 3, \"roles\": \"staff\"}",
	               "field 'roles' must be an array of strings");
	expect_refused(&sk_schema_role_grant, SK_SCHEMA_CREATE,
	               "{\"login\": \"a\", \"role\": \"staff\", \"unit\": true}",
	               "field 'unit' must be a string or an integer");
	expect_refused(&sk_schema_asset_decision, SK_SCHEMA_CREATE,
	               "{\"asset_id\": \"1\", \"action\": \"copy\"}",
	               "field 'asset_id' must be an integer");
	/* A secret's value is never repeated in the message. */
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_int_equal(check(&sk_schema_login, SK_SCHEMA_CREATE,
	                       "{\"login\": \"a\", \"password\": 12345678}", &err),
	                 SK_ERR_INVALID);
	assert_null(strstr(err.data, "12345678"));
	sk_buf_free(&err);
}

/* Every field of every record type is described in both languages, once. */
static void test_tables(void **state)
{
	(void)state;
	const sk_schema *all[] = {&sk_schema_asset,         &sk_schema_asset_record,
	                          &sk_schema_asset_dispose, &sk_schema_asset_decision,
	                          &sk_schema_decide,        &sk_schema_unit,
	                          &sk_schema_user,          &sk_schema_role_grant,
	                          &sk_schema_login,         &sk_schema_password_change,
	                          &sk_schema_totp_enroll,   &sk_schema_totp_confirm};
	for (size_t s = 0; s < sizeof(all) / sizeof(all[0]); s++) {
		const sk_schema *sc = all[s];
		assert_true(sc->n > 0 && *sc->ja && *sc->en);
		for (size_t i = 0; i < sc->n; i++) {
			const sk_field *f = &sc->fields[i];
			if (!*f->ja || !*f->en || !*f->help_ja || !*f->help_en)
				fail_msg("%s.%s lacks a title or help text", sc->name, f->key);
			if (f->type == SK_FT_INT ? f->lo > f->hi
			                         : f->type != SK_FT_BOOL && f->max == 0)
				fail_msg("%s.%s has no limit", sc->name, f->key);
			for (size_t j = 0; j < i; j++)
				if (strcmp(sc->fields[j].key, f->key) == 0)
					fail_msg("%s.%s is declared twice", sc->name, f->key);
		}
	}
	/* The register's columns as 八王子 7(2) names them, in the export's order. */
	static const char *const heads[] = {"所管課",     "情報資産の種類", "名称・型番",
	                                    "台数・個数", "保管場所",       "バックアップの有無",
	                                    "廃棄方法",   "機密性",         "完全性",
	                                    "可用性",     "管理責任者"};
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		assert_string_equal(sk_schema_asset.fields[i].ja, heads[i]);
	char opt[32];
	sk_schema_option_name(sk_schema_field(&sk_schema_asset, "disposal_method"), opt,
	                      sizeof(opt));
	assert_string_equal(opt, "disposal-method");
	/* 保管場所 and 備考 are the 機密性3 details a listing withholds. */
	assert_true(sk_schema_field(&sk_schema_asset, "location")->flags & SK_FF_DETAIL);
	assert_true(sk_schema_field(&sk_schema_asset, "note")->flags & SK_FF_DETAIL);
	assert_false(sk_schema_field(&sk_schema_asset, "name")->flags & SK_FF_DETAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_asset_bodies),
	    cmocka_unit_test(test_text_limits),
	    cmocka_unit_test(test_other_types),
	    cmocka_unit_test(test_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
