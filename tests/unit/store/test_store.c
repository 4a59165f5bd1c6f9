/*
 * Unit tests of src/store, run against every backend of the run: the same
 * statements, the same answers.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "store/store.h"

struct collect {
	int rows;
	char text[256];
	int64_t ints[8];
	bool nulls[8];
};

static sk_err collect_row(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct collect *c = ctx;
	if (c->rows < 8) {
		c->ints[c->rows] = sk_row_int(row, 0);
		c->nulls[c->rows] = sk_row_is_null(row, 1);
		if (row->ncols > 1 && c->rows == 0)
			snprintf(c->text, sizeof(c->text), "%s", sk_row_text(row, 1));
	}
	c->rows++;
	return SK_OK;
}

static void exercise(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	assert_string_equal(sk_store_backend(s), backend);
	int64_t v;
	assert_int_equal(sk_store_schema_version(s, &v, &err), SK_OK);
	assert_int_equal(v, sk_store_schema_latest(s));

	/* Insert with RETURNING, text with Japanese and quotes, NULL. */
	sk_val p[] = {sk_vtext("D01"), sk_vtext("総務部 'it''s'"), sk_vtext("department"), SK_VNULL,
	              SK_VINT(1700000000)};
	int64_t id = 0;
	assert_int_equal(
	    sk_store_query_int(s,
	                       "INSERT INTO org_unit(code, name, kind, parent_id, created_at) "
	                       "VALUES (?, ?, ?, ?, ?) RETURNING id",
	                       p, 5, &id, &err),
	    SK_OK);
	assert_true(id > 0);
	struct collect c = {0};
	sk_val q[] = {SK_VINT(id)};
	assert_int_equal(sk_store_query(s, "SELECT id, name, parent_id FROM org_unit WHERE id = ?",
	                                q, 1, collect_row, &c, &err),
	                 SK_OK);
	assert_int_equal(c.rows, 1);
	assert_int_equal(c.ints[0], id);
	assert_string_equal(c.text, "総務部 'it''s'");

	/* A literal '?' inside a string is not a parameter. */
	memset(&c, 0, sizeof(c));
	assert_int_equal(
	    sk_store_query(s, "SELECT 7, 'what?' FROM meta WHERE 1 = ? UNION ALL SELECT 8, 'x'",
	                   (sk_val[]){SK_VINT(0)}, 1, collect_row, &c, &err),
	    SK_OK);
	assert_int_equal(c.rows, 1);
	assert_int_equal(c.ints[0], 8);

	/* Unique violation maps to SK_ERR_EXISTS on both backends. */
	assert_int_equal(
	    sk_store_exec(s,
	                  "INSERT INTO org_unit(code, name, kind, parent_id, created_at) "
	                  "VALUES (?, ?, ?, ?, ?)",
	                  p, 5, NULL, &err),
	    SK_ERR_EXISTS);
	/* CHECK violation maps to SK_ERR_CONFLICT. */
	sk_val bad[] = {sk_vtext("D02"), sk_vtext("x"), sk_vtext("planet"), SK_VNULL, SK_VINT(1)};
	assert_int_equal(
	    sk_store_exec(s,
	                  "INSERT INTO org_unit(code, name, kind, parent_id, created_at) "
	                  "VALUES (?, ?, ?, ?, ?)",
	                  bad, 5, NULL, &err),
	    SK_ERR_CONFLICT);

	/* A rolled-back transaction leaves nothing; nested commit only counts. */
	assert_int_equal(sk_store_begin(s, &err), SK_OK);
	assert_int_equal(sk_store_meta_set(s, "k", "v1", &err), SK_OK);
	assert_int_equal(sk_store_begin(s, &err), SK_OK);
	assert_int_equal(sk_store_meta_set(s, "k2", "v2", &err), SK_OK);
	assert_int_equal(sk_store_commit(s, &err), SK_OK);
	assert_true(sk_store_in_txn(s));
	sk_store_rollback(s);
	assert_false(sk_store_in_txn(s));
	sk_buf val = SK_BUF_INIT(1024);
	assert_int_equal(sk_store_meta_get(s, "k", &val, &err), SK_ERR_NOT_FOUND);
	assert_int_equal(sk_store_meta_get(s, "k2", &val, &err), SK_ERR_NOT_FOUND);

	/* An inner rollback dooms the outer commit. */
	assert_int_equal(sk_store_begin(s, &err), SK_OK);
	assert_int_equal(sk_store_meta_set(s, "k", "v1", &err), SK_OK);
	assert_int_equal(sk_store_begin(s, &err), SK_OK);
	sk_store_rollback(s);
	assert_int_equal(sk_store_commit(s, &err), SK_ERR_STORE);
	assert_int_equal(sk_store_meta_get(s, "k", &val, &err), SK_ERR_NOT_FOUND);

	/* Upsert and read back. */
	assert_int_equal(sk_store_meta_set(s, "k", "v1", &err), SK_OK);
	assert_int_equal(sk_store_meta_set(s, "k", "v2", &err), SK_OK);
	assert_int_equal(sk_store_meta_get(s, "k", &val, &err), SK_OK);
	assert_string_equal(val.data, "v2");

	/* Changed-row counts. */
	int64_t changed = -1;
	assert_int_equal(sk_store_exec(s, "UPDATE meta SET value = ? WHERE key = ?",
	                               (sk_val[]){sk_vtext("v3"), sk_vtext("k")}, 2, &changed,
	                               &err),
	                 SK_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(sk_store_exec(s, "DELETE FROM meta WHERE key = ?",
	                               (sk_val[]){sk_vtext("nope")}, 1, &changed, &err),
	                 SK_OK);
	assert_int_equal(changed, 0);

	/* Fault seam: the 2nd write fails and the transaction leaves nothing. */
	sk_store_fault(s, SK_FAULT_WRITE, 2);
	assert_int_equal(sk_store_begin(s, &err), SK_OK);
	assert_int_equal(sk_store_meta_set(s, "f1", "a", &err), SK_OK);
	assert_int_equal(sk_store_meta_set(s, "f2", "b", &err), SK_ERR_STORE);
	assert_string_equal(err.data, "injected write failure");
	sk_store_rollback(s);
	assert_int_equal(sk_store_meta_get(s, "f1", &val, &err), SK_ERR_NOT_FOUND);
	/* ...and the commit fault. */
	sk_store_fault(s, SK_FAULT_COMMIT, 1);
	assert_int_equal(sk_store_begin(s, &err), SK_OK);
	assert_int_equal(sk_store_meta_set(s, "f3", "c", &err), SK_OK);
	assert_int_equal(sk_store_commit(s, &err), SK_ERR_STORE);
	assert_false(sk_store_in_txn(s));
	assert_int_equal(sk_store_meta_get(s, "f3", &val, &err), SK_ERR_NOT_FOUND);
	/* Reads are not writes: a SELECT never trips the write fault. */
	sk_store_fault(s, SK_FAULT_WRITE, 1);
	assert_int_equal(sk_store_meta_get(s, "k", &val, &err), SK_OK);
	sk_store_fault(s, SK_FAULT_WRITE, 0);

	/* A syntax error is a store error with the backend's message. */
	assert_int_equal(sk_store_exec(s, "SELEKT 1", NULL, 0, NULL, &err), SK_ERR_STORE);
	assert_true(err.len > 0);

	sk_buf_free(&val);
	sk_buf_free(&err);
	sk_store_close(s);
}

/*
 * One buffer reused for different SQL texts (as dynamically built queries do) must run each
 * text, never the statement cached for the buffer's previous text.
 */
static void reused_buffer(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char sql[64];
	for (int round = 0; round < 3; round++)
		for (int k = 1; k <= 5; k++) {
			snprintf(sql, sizeof(sql), "SELECT %d + ?", k * 10);
			sk_val p[] = {SK_VINT(round)};
			int64_t v = -1;
			assert_int_equal(sk_store_query_int(s, sql, p, 1, &v, &err), SK_OK);
			assert_int_equal(v, k * 10 + round);
		}
	sk_buf_free(&err);
	sk_store_close(s);
}

/*
 * sk_store_insert gives each new row's own id (not a trigger's or an older
 * row's), fails cleanly on a constraint, and counts as a write for the
 * fault seam.
 */
static void insert_ids(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	static const char *const sql =
	    "INSERT INTO org_unit (code, name, kind, parent_id, created_at) VALUES (?, ?, ?, ?, 1)";
	int64_t root = 0, id = 0, last = 0;
	for (int k = 0; k < 3; k++) {
		char code[16];
		snprintf(code, sizeof(code), "ins%d", k);
		sk_val p[] = {sk_vtext(code), sk_vtext("課"),
		              sk_vtext(k ? "section" : "municipality"),
		              k ? SK_VINT(root) : SK_VNULL};
		assert_int_equal(sk_store_insert(s, sql, p, 4, &id, &err), SK_OK);
		assert_true(id > last);
		int64_t found = 0;
		sk_val q[] = {sk_vtext(code)};
		assert_int_equal(sk_store_query_int(s, "SELECT id FROM org_unit WHERE code = ?", q,
		                                    1, &found, &err),
		                 SK_OK);
		assert_int_equal(found, id);
		if (!k)
			root = id;
		last = id;
	}
	/* The same code again breaks the unique constraint: an error, no id. */
	sk_val dup[] = {sk_vtext("ins1"), sk_vtext("課"), sk_vtext("section"), SK_VINT(root)};
	id = -1;
	assert_int_not_equal(sk_store_insert(s, sql, dup, 4, &id, &err), SK_OK);
	assert_int_equal(id, -1);
	/* A write for the fault seam. */
	sk_store_fault(s, SK_FAULT_WRITE, 1);
	sk_val p[] = {sk_vtext("ins9"), sk_vtext("課"), sk_vtext("section"), SK_VINT(root)};
	assert_int_equal(sk_store_insert(s, sql, p, 4, &id, &err), SK_ERR_STORE);
	assert_int_equal(id, -1);
	sk_buf_free(&err);
	sk_store_close(s);
}

static void test_backends(void **state)
{
	(void)state;
	const char *names[SK_TEST_MAX_BACKENDS];
	size_t n = sk_test_backends(names);
	for (size_t i = 0; i < n; i++) {
		exercise(names[i]);
		reused_buffer(names[i]);
		insert_ids(names[i]);
	}
}

static void test_open_errors(void **state)
{
	(void)state;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_store *s = NULL;
	assert_int_equal(sk_store_open("/nonexistent/dir/x.db", 0, &s, &err), SK_ERR_NOT_FOUND);
	assert_non_null(strstr(err.data, "/nonexistent/dir/x.db"));
	assert_int_equal(sk_store_open("mysql://x", 0, &s, &err), SK_ERR_INVALID);
	assert_non_null(strstr(err.data, "mysql://x"));
	assert_int_equal(sk_store_open("", 0, &s, &err), SK_ERR_INVALID);
	assert_int_equal(
	    sk_store_open("postgresql://127.0.0.1:1/none?connect_timeout=2", 0, &s, &err),
	    SK_ERR_STORE);
	assert_non_null(strstr(err.data, "cannot connect to PostgreSQL"));

	/* A file that is not a database. */
	char path[4200];
	snprintf(path, sizeof(path), "%s/junk.db", sk_test_tmpdir());
	FILE *f = fopen(path, "w");
	fputs("this is not a database, just text that is long enough to look like a header....", f);
	fclose(f);
	assert_int_equal(sk_store_open(path, 0, &s, &err), SK_ERR_STORE);
	/* An empty SQLite file that is not ours. */
	snprintf(path, sizeof(path), "%s/empty.db", sk_test_tmpdir());
	f = fopen(path, "w");
	fclose(f);
	assert_int_equal(sk_store_open(path, 0, &s, &err), SK_ERR_NOT_FOUND);
	assert_non_null(strstr(err.data, "not a sekisho database"));
	assert_null(s);
	sk_buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_backends),
	    cmocka_unit_test(test_open_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
