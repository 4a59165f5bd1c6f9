/*
 * Unit tests of src/domain/notify and the message framing of src/mail/smtp:
 * a notification commits or rolls back with its caller's transaction; a
 * reader sees and reads only their own; mail goes only to an active account
 * with an address and holds the reference and the link, nothing else; the
 * outbox's claims, retries and backoff, on every backend of the run.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/sk_clock.h"
#include "core/sk_utf8.h"
#include "domain/notify.h"
#include "domain/org.h"
#include "domain/user.h"
#include "dtest.h"
#include "mail/smtp.h"

static int64_t uid_of(sk_store *s, const char *login)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT id FROM users WHERE login = '%s'", login);
	return dt_count(s, sql);
}

static void setup(sk_store *s)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_root(s);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "d1", "部", "department", "city", NULL, &err),
	      &err);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "s1", "課", "section", "d1", NULL, &err), &err);
	char temp[SK_PASSWORD_TEMP_MAX];
	const char *staff[] = {"staff"};
	const char *logins[] = {"a1", "b1", "c1"};
	const char *mails[] = {"a1@city.example", NULL, "c1@city.example"};
	for (int i = 0; i < 3; i++) {
		sk_user_new u = {.login = logins[i],
		                 .name = "利用者",
		                 .unit = "s1",
		                 .roles = staff,
		                 .nroles = 1,
		                 .password = "Pw-12345678",
		                 .password_len = 11,
		                 .email = mails[i]};
		dt_ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), &err);
	}
	dt_ok(sk_user_set_active(tu_ctx(s, sk_actor_cli()), "c1", false, &err), &err);
	sk_buf_free(&err);
}

static sk_actor actor_of(sk_store *s, const char *login)
{
	return (sk_actor){.user_id = uid_of(s, login), .login = login, .address = "192.0.2.1"};
}

static void add_and_rollback(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup(s);
	int64_t a1 = uid_of(s, "a1"), b1 = uid_of(s, "b1"), c1 = uid_of(s, "c1");

	/* Inside a transaction that rolls back: nothing stays, in-app or mail. */
	dt_ok(sk_store_begin(s, &err), &err);
	dt_ok(sk_store_meta_set(s, "test.caller", "x", &err), &err);
	int64_t id = 0;
	dt_ok(sk_notify_add(dt_cli(s), a1, SK_NOTIFY_REQUEST_TO_DECIDE, "request", 123, &id, &err),
	      &err);
	assert_true(id > 0);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM notifications"), 1);
	assert_int_equal(
	    dt_count(s, "SELECT COUNT(*) FROM notifications WHERE mail_to IS NOT NULL"), 1);
	assert_true(sk_store_in_txn(s));
	sk_store_rollback(s);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM notifications"), 0);
	assert_int_equal(
	    dt_count(s, "SELECT COUNT(*) FROM notifications WHERE mail_to IS NOT NULL"), 0);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM meta WHERE key = 'test.caller'"), 0);

	/* A failure inside dooms the caller's transaction: its own write goes too. */
	dt_ok(sk_store_begin(s, &err), &err);
	dt_ok(sk_store_meta_set(s, "test.caller", "x", &err), &err);
	dt_expect(
	    sk_notify_add(dt_cli(s), 999999, SK_NOTIFY_REQUEST_DECIDED, "request", 1, NULL, &err),
	    SK_ERR_NOT_FOUND, &err, "999999");
	assert_int_equal(sk_store_commit(s, &err), SK_ERR_STORE);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM meta WHERE key = 'test.caller'"), 0);

	/* Committed with the caller's change. */
	dt_ok(sk_store_begin(s, &err), &err);
	dt_ok(sk_store_meta_set(s, "test.caller", "x", &err), &err);
	dt_ok(sk_notify_add(dt_cli(s), a1, SK_NOTIFY_REQUEST_TO_DECIDE, "request", 123, NULL, &err),
	      &err);
	/* No address: in-app only. Disabled: in-app only. */
	dt_ok(
	    sk_notify_add(dt_cli(s), b1, SK_NOTIFY_INCIDENT_ESCALATED, "incident", 45, NULL, &err),
	    &err);
	dt_ok(sk_notify_add(dt_cli(s), c1, SK_NOTIFY_ACCOUNT_LOCKED, "user", c1, NULL, &err), &err);
	dt_ok(sk_store_commit(s, &err), &err);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM notifications"), 3);
	assert_int_equal(
	    dt_count(s, "SELECT COUNT(*) FROM notifications WHERE mail_to IS NOT NULL"), 1);
	assert_int_equal(
	    dt_count(s, "SELECT COUNT(*) FROM notifications n WHERE n.mail_to = "
	                "'a1@city.example' AND n.user_id = (SELECT id FROM users WHERE "
	                "login = 'a1') AND n.mail_attempts = 0 AND n.mail_sent_at IS NULL"),
	    1);

	/* Bad arguments write nothing. */
	dt_snap before = dt_snapshot(s);
	int64_t n0 = dt_count(s, "SELECT COUNT(*) FROM notifications");
	dt_expect(sk_notify_add(dt_cli(s), a1, SK_NOTIFY__COUNT, "request", 1, NULL, &err),
	          SK_ERR_INVALID, &err, "kind");
	dt_expect(sk_notify_add(dt_cli(s), a1, SK_NOTIFY_TEST, "asset", 1, NULL, &err),
	          SK_ERR_INVALID, &err, "'asset'");
	dt_expect(sk_notify_add(dt_cli(s), a1, SK_NOTIFY_TEST, "request", 0, NULL, &err),
	          SK_ERR_INVALID, &err, "reference");
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "bad notifications", 0);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM notifications"), n0);
	sk_test_log_intact(s);
	sk_buf_free(&err);
	sk_store_close(s);
}
SK_TEST_EACH_BACKEND(add_and_rollback)

/*
 * Several accounts told at once (sk_notify_add_each: up to four rows a
 * statement): the same rows, in the same order, as one sk_notify_add_to
 * each, mail only where that would mail; a bad argument writes none.
 */
static void add_each(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup(s);
	int64_t a1 = uid_of(s, "a1"), b1 = uid_of(s, "b1"), c1 = uid_of(s, "c1");
	const sk_notify_to to[] = {
	    {a1, true, "a1@city.example"}, {b1, true, NULL},  {c1, false, "c1@city.example"},
	    {a1, true, "not an address"},  {b1, true, ""},    {c1, true, "c1@city.example"},
	    {a1, true, "a1@city.example"}, {b1, false, NULL}, {c1, true, "c1@city.example"},
	};
	const size_t n = sizeof(to) / sizeof(to[0]);
	for (size_t k = 1; k <= n; k++) {
		int64_t before = dt_count(s, "SELECT COALESCE(MAX(id), 0) FROM notifications");
		dt_ok(sk_store_begin(s, &err), &err);
		dt_ok(sk_notify_add_each(dt_cli(s), to, k, SK_NOTIFY_REQUEST_TO_DECIDE, "request",
		                         (int64_t)k, &err),
		      &err);
		dt_ok(sk_store_commit(s, &err), &err);
		for (size_t i = 0; i < k; i++) {
			char sql[256];
			bool mail = to[i].active && to[i].email && to[i].email[0] &&
			            !sk_notify_addr_check(to[i].email, "email", NULL);
			snprintf(sql, sizeof(sql),
			         "SELECT COUNT(*) FROM notifications WHERE id = %lld AND user_id = "
			         "%lld AND kind = 'request_to_decide' AND ref_type = 'request' AND "
			         "ref_id = %zu AND read_at IS NULL AND %s",
			         (long long)before + 1 + (long long)i, (long long)to[i].user_id, k,
			         mail
			             ? "mail_to = (SELECT email FROM users WHERE id = user_id) AND "
			               "mail_next_at = created_at"
			             : "mail_to IS NULL AND mail_next_at IS NULL");
			if (dt_count(s, sql) != 1)
				fail_msg("%zu of %zu: row %zu is not as told", k, n, i);
		}
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM notifications WHERE ref_id = %zu",
		         k);
		assert_int_equal(dt_count(s, sql), (int64_t)k);
	}
	int64_t rows = dt_count(s, "SELECT COUNT(*) FROM notifications");
	dt_expect(sk_notify_add_each(dt_cli(s), to, n, SK_NOTIFY__COUNT, "request", 1, &err),
	          SK_ERR_INVALID, &err, "kind");
	dt_expect(sk_notify_add_each(dt_cli(s), to, n, SK_NOTIFY_TEST, "request", 0, &err),
	          SK_ERR_INVALID, &err, "reference");
	/* An unknown account fails the statement: none of the rows stays. */
	sk_notify_to gone[] = {{a1, true, NULL}, {999999, true, NULL}};
	assert_int_not_equal(
	    sk_notify_add_each(dt_cli(s), gone, 2, SK_NOTIFY_TEST, "request", 1, &err), SK_OK);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM notifications"), rows);
	sk_buf_free(&err);
	sk_store_close(s);
}
SK_TEST_EACH_BACKEND(add_each)

static void mail_text(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup(s);
	dt_expect(sk_notify_set_base_url(tu_ctx(s, sk_actor_cli()), "ftp://x", &err),
	          SK_ERR_INVALID, &err, "--base-url");
	dt_expect(sk_notify_set_base_url(tu_ctx(s, sk_actor_cli()), "https://a.example/?q=1", &err),
	          SK_ERR_INVALID, &err, "--base-url");
	dt_ok(sk_notify_set_base_url(tu_ctx(s, sk_actor_cli()), "https://sekisho.city.example/",
	                             &err),
	      &err);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = "
	                             "'notify.configure'"),
	                 1);
	dt_ok(sk_notify_add(dt_cli(s), uid_of(s, "a1"), SK_NOTIFY_REQUEST_TO_DECIDE, "request", 123,
	                    NULL, &err),
	      &err);
	sk_notify_mail *m = NULL;
	size_t n = 0;
	dt_ok(sk_notify_outbox_claim(s, "t1", sk_clock_now(), 60, false, 0, 10, &m, &n, &err),
	      &err);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].to, "a1@city.example");
	assert_string_equal(m[0].subject, "[sekisho] 申請 R-000123 があなたの決裁を待っています");
	assert_non_null(strstr(m[0].body, "参照番号: R-000123"));
	assert_non_null(strstr(m[0].body, "https://sekisho.city.example/requests/123\n"));
	assert_non_null(strstr(m[0].body, "Request R-000123 awaits your decision"));
	sk_notify_mail_free(m, n);
	sk_buf_free(&err);
	sk_store_close(s);
}
SK_TEST_EACH_BACKEND(mail_text)

static const char *item_str(json_t *list, size_t i, const char *key)
{
	return json_string_value(
	    json_object_get(json_array_get(json_object_get(list, "items"), i), key));
}

static void list_and_read(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup(s);
	int64_t a1 = uid_of(s, "a1");
	int64_t first = 0, second = 0;
	dt_ok(sk_notify_add(dt_cli(s), a1, SK_NOTIFY_REQUEST_TO_DECIDE, "request", 7, &first, &err),
	      &err);
	dt_ok(sk_notify_add(dt_cli(s), a1, SK_NOTIFY_INCIDENT_ESCALATED, "incident", 45, &second,
	                    &err),
	      &err);
	sk_actor aa = actor_of(s, "a1"), ab = actor_of(s, "b1");
	sk_ctx ca, cb;
	sk_ctx_init(&ca, s, NULL, &aa);
	sk_ctx_init(&cb, s, NULL, &ab);
	ca.lang = "en";
	json_t *j = NULL;
	dt_ok(sk_notify_list(&ca, false, 100, &j, &err), &err);
	assert_int_equal(json_integer_value(json_object_get(j, "unread")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	/* Newest first. */
	assert_string_equal(item_str(j, 0, "ref"), "I-000045");
	assert_string_equal(item_str(j, 0, "title"), "Incident I-000045 has been escalated to you");
	assert_string_equal(item_str(j, 0, "link"), "/incidents/45");
	assert_string_equal(item_str(j, 1, "kind"), "request_to_decide");
	json_decref(j);
	ca.lang = "ja";
	dt_ok(sk_notify_list(&ca, false, 1, &j, &err), &err);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "unread")), 2);
	assert_string_equal(item_str(j, 0, "title"),
	                    "インシデント I-000045 があなたに報告されました");
	json_decref(j);

	/* Another's: not found, and nothing changes. */
	dt_snap before = dt_snapshot(s);
	dt_expect(sk_notify_read(&cb, first, &j, &err), SK_ERR_NOT_FOUND, &err, "notification");
	assert_null(j);
	dt_expect(sk_notify_read(&ca, 999999, &j, &err), SK_ERR_NOT_FOUND, &err, "notification");
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "another's read", 0);
	assert_int_equal(
	    dt_count(s, "SELECT COUNT(*) FROM notifications WHERE read_at IS NOT NULL"), 0);
	dt_ok(sk_notify_list(&cb, false, 100, &j, &err), &err);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "unread")), 0);
	json_decref(j);

	/* One's own: read once, audited once; reading again changes nothing. */
	dt_ok(sk_notify_read(&ca, first, &j, &err), &err);
	assert_true(json_is_string(json_object_get(j, "read_at")));
	char at[64];
	snprintf(at, sizeof(at), "%s", json_string_value(json_object_get(j, "read_at")));
	json_decref(j);
	int64_t audits = dt_count(s, "SELECT COUNT(*) FROM audit_log");
	dt_ok(sk_notify_read(&ca, first, &j, &err), &err);
	assert_string_equal(json_string_value(json_object_get(j, "read_at")), at);
	json_decref(j);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log"), audits);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = "
	                             "'notification.read'"),
	                 1);
	dt_ok(sk_notify_list(&ca, true, 100, &j, &err), &err);
	assert_int_equal(json_integer_value(json_object_get(j, "unread")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	assert_string_equal(item_str(j, 0, "ref"), "I-000045");
	json_decref(j);
	dt_expect(sk_notify_list(&ca, false, 0, &j, &err), SK_ERR_INVALID, &err, "limit");
	/* The CLI operator is no account and has none. */
	dt_ok(sk_notify_list(dt_cli(s), false, 100, &j, &err), &err);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
	json_decref(j);
	sk_ctx_fini(&ca);
	sk_ctx_fini(&cb);
	sk_test_log_intact(s);
	sk_buf_free(&err);
	sk_store_close(s);
}
SK_TEST_EACH_BACKEND(list_and_read)

/*
 * A mail is made when it is sent, not when the notification is written: a
 * notification written before the base URL was set (or while the SMTP server
 * was down) leaves with the link of the moment it is sent, to the address the
 * account had when it was written.
 */
static void mail_made_when_sent(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup(s);
	dt_ok(sk_notify_add(dt_cli(s), uid_of(s, "a1"), SK_NOTIFY_INCIDENT_ESCALATED, "incident",
	                    45, NULL, &err),
	      &err);
	/* Nothing of the mail's text is stored. */
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM notifications WHERE mail_to = "
	                             "'a1@city.example' AND mail_sent_at IS NULL"),
	                 1);
	dt_ok(sk_user_set_email(tu_ctx(s, sk_actor_cli()), "a1", "a1-new@city.example", &err),
	      &err);
	dt_ok(
	    sk_notify_set_base_url(tu_ctx(s, sk_actor_cli()), "https://sekisho.example/city", &err),
	    &err);
	sk_notify_mail *m = NULL;
	size_t n = 0;
	dt_ok(sk_notify_outbox_claim(s, "t1", sk_clock_now(), 60, false, 0, 10, &m, &n, &err),
	      &err);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].to, "a1@city.example");
	assert_string_equal(m[0].subject,
	                    "[sekisho] インシデント I-000045 があなたに報告されました");
	assert_non_null(strstr(m[0].body, "参照番号: I-000045"));
	assert_non_null(strstr(m[0].body, "https://sekisho.example/city/incidents/45\n"));
	assert_non_null(strstr(m[0].body, "Incident I-000045"));
	sk_notify_mail_free(m, n);
	sk_buf_free(&err);
	sk_store_close(s);
}
SK_TEST_EACH_BACKEND(mail_made_when_sent)

/*
 * Migration 14 moves the outbox of version 12 into the notifications' rows:
 * the unsent mail is still to be sent, with its attempts, its next attempt
 * and its last error; the sent one stays sent; the read one stays read.
 * The database is taken back to the shape of version 12 by hand (as
 * migration 5 made it), then opened again.
 */
static void migration_14(const char *backend)
{
	char url[4096];
	sk_test_fresh_url(backend, url, sizeof(url));
	sk_store *s = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_ok(sk_store_open(url, SK_STORE_CREATE, &s, &err), &err);
	setup(s);
	bool pg = strcmp(sk_store_backend(s), "postgresql") == 0;
	char old_notifications[1024];
	snprintf(old_notifications, sizeof(old_notifications),
	         "CREATE TABLE notifications (id %s, user_id BIGINT NOT NULL REFERENCES users(id), "
	         "kind TEXT NOT NULL, ref_type TEXT NOT NULL CHECK (ref_type IN "
	         "('request','incident','user')), ref_id BIGINT NOT NULL, title TEXT NOT NULL, "
	         "created_at BIGINT NOT NULL, read_at BIGINT)",
	         pg ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
	            : "INTEGER PRIMARY KEY");
	char old_outbox[1024];
	snprintf(old_outbox, sizeof(old_outbox),
	         "CREATE TABLE mail_outbox (id %s, notification_id BIGINT NOT NULL REFERENCES "
	         "notifications(id), to_addr TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT "
	         "NULL, attempts BIGINT NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, "
	         "claim_token TEXT, claimed_until BIGINT, last_error TEXT, sent_at BIGINT, "
	         "created_at BIGINT NOT NULL)",
	         pg ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
	            : "INTEGER PRIMARY KEY");
	const char *rewind[] = {
	    "DROP TABLE notifications",
	    old_notifications,
	    "CREATE INDEX notifications_user ON notifications(user_id, id)",
	    "CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL",
	    old_outbox,
	    /* Migration 13 (an incident step's skipped roles) runs again too. */
	    "ALTER TABLE incident_steps DROP COLUMN skipped_roles",
	    "DELETE FROM schema_migrations WHERE version > 12",
	    /* Unsent, tried twice; sent; in-app only and read. */
	    "INSERT INTO notifications (user_id, kind, ref_type, ref_id, title, created_at) "
	    "SELECT id, 'request_to_decide', 'request', 7, 't', 10 FROM users WHERE login = 'a1'",
	    "INSERT INTO mail_outbox (notification_id, to_addr, subject, body, attempts, "
	    "next_attempt_at, claim_token, claimed_until, last_error, created_at) SELECT id, "
	    "'a1@city.example', 's', 'b', 2, 100, 'dead', 90, 'down', 10 FROM notifications WHERE "
	    "ref_id = 7",
	    "INSERT INTO notifications (user_id, kind, ref_type, ref_id, title, created_at) "
	    "SELECT id, 'request_decided', 'request', 8, 't', 20 FROM users WHERE login = 'a1'",
	    "INSERT INTO mail_outbox (notification_id, to_addr, subject, body, attempts, "
	    "next_attempt_at, sent_at, created_at) SELECT id, 'a1@city.example', 's', 'b', 1, 20, "
	    "50, 20 FROM notifications WHERE ref_id = 8",
	    "INSERT INTO notifications (user_id, kind, ref_type, ref_id, title, created_at, "
	    "read_at) "
	    "SELECT id, 'incident_escalated', 'incident', 9, 't', 30, 60 FROM users WHERE login = "
	    "'b1'",
	};
	for (size_t i = 0; i < sizeof(rewind) / sizeof(rewind[0]); i++)
		dt_ok(sk_store_exec(s, rewind[i], NULL, 0, NULL, &err), &err);
	sk_store_close(s);

	dt_ok(sk_store_open(url, 0, &s, &err), &err);
	int64_t v = 0;
	dt_ok(sk_store_schema_version(s, &v, &err), &err);
	assert_int_equal(v, 14);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM notifications"), 3);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM notifications WHERE ref_id = 7 AND "
	                             "mail_to = 'a1@city.example' AND mail_attempts = 2 AND "
	                             "mail_next_at = 100 AND mail_error = 'down' AND "
	                             "mail_sent_at IS NULL AND mail_claim IS NULL"),
	                 1);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM notifications WHERE ref_id = 8 AND "
	                             "mail_to = 'a1@city.example' AND mail_sent_at = 50"),
	                 1);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM notifications WHERE ref_id = 9 AND "
	                             "mail_to IS NULL AND read_at = 60"),
	                 1);
	/* The unsent one is sent, made from its kind and reference. */
	sk_notify_mail *m = NULL;
	size_t n = 0;
	dt_ok(sk_notify_outbox_claim(s, "t1", 1000, 60, false, 0, 10, &m, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].to, "a1@city.example");
	assert_int_equal(m[0].attempts, 2);
	assert_string_equal(m[0].subject, "[sekisho] 申請 R-000007 があなたの決裁を待っています");
	dt_ok(sk_notify_outbox_sent(s, m[0].id, "t1", 1001, &err), &err);
	sk_notify_mail_free(m, n);
	/* New notifications are written and listed as before. */
	dt_ok(sk_notify_add(dt_cli(s), uid_of(s, "a1"), SK_NOTIFY_REQUEST_DECIDED, "request", 10,
	                    NULL, &err),
	      &err);
	sk_actor a = actor_of(s, "a1");
	sk_ctx ca;
	sk_ctx_init(&ca, s, NULL, &a);
	json_t *j = NULL;
	dt_ok(sk_notify_list(&ca, false, 10, &j, &err), &err);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "unread")), 3);
	json_decref(j);
	sk_ctx_fini(&ca);
	sk_buf_free(&err);
	sk_store_close(s);
}
SK_TEST_EACH_BACKEND(migration_14)

static int64_t outbox_int(sk_store *s, const char *col, int64_t id)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT COALESCE(%s, -1) FROM notifications WHERE id = %lld",
	         col, (long long)id);
	return dt_count(s, sql);
}

static void outbox(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup(s);
	int64_t a1 = uid_of(s, "a1");
	dt_ok(sk_notify_add(dt_cli(s), a1, SK_NOTIFY_REQUEST_DECIDED, "request", 1, NULL, &err),
	      &err);
	int64_t now = 2000000000;
	sk_notify_mail *m = NULL;
	size_t n = 0;
	dt_ok(sk_notify_outbox_claim(s, "A", now, 600, false, 0, 10, &m, &n, &err), &err);
	assert_int_equal(n, 1);
	int64_t id = m[0].id;
	assert_int_equal(m[0].attempts, 0);
	sk_notify_mail_free(m, n);
	/* Claimed: no second sender gets it, scheduled or not. */
	dt_ok(sk_notify_outbox_claim(s, "B", now, 600, true, 0, 10, &m, &n, &err), &err);
	assert_int_equal(n, 0);
	sk_notify_mail_free(m, n);
	/* A failure: counted, its reason kept, retried after the base delay, then doubling. */
	dt_ok(sk_notify_outbox_failed(s, id, "A", now, 30, "server down", &err), &err);
	assert_int_equal(outbox_int(s, "mail_attempts", id), 1);
	assert_int_equal(outbox_int(s, "mail_next_at", id), now + 30);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM notifications WHERE mail_error = "
	                             "'server down' AND mail_claim IS NULL"),
	                 1);
	/* Not claimed by A any more. */
	dt_expect(sk_notify_outbox_sent(s, id, "A", now, &err), SK_ERR_CONFLICT, &err, "claimed");
	dt_ok(sk_notify_outbox_claim(s, "B", now + 29, 600, false, 0, 10, &m, &n, &err), &err);
	assert_int_equal(n, 0);
	dt_ok(sk_notify_outbox_claim(s, "B", now + 30, 600, false, 0, 10, &m, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].attempts, 1);
	sk_notify_mail_free(m, n);
	dt_ok(sk_notify_outbox_failed(s, id, "B", now + 30, 30, "again", &err), &err);
	assert_int_equal(outbox_int(s, "mail_next_at", id), now + 30 + 60);
	/* The operator's "now" takes it before its time; after_id skips what was tried. */
	dt_ok(sk_notify_outbox_claim(s, "C", now + 31, 600, true, id, 10, &m, &n, &err), &err);
	assert_int_equal(n, 0);
	dt_ok(sk_notify_outbox_claim(s, "C", now + 31, 600, true, 0, 10, &m, &n, &err), &err);
	assert_int_equal(n, 1);
	sk_notify_mail_free(m, n);
	dt_ok(sk_notify_outbox_sent(s, id, "C", now + 32, &err), &err);
	assert_int_equal(outbox_int(s, "mail_sent_at", id), now + 32);
	assert_int_equal(outbox_int(s, "mail_attempts", id), 3);
	/* Sent is sent: nobody claims it again, and a late sender cannot mark it. */
	dt_ok(sk_notify_outbox_claim(s, "D", now + 999999, 600, true, 0, 10, &m, &n, &err), &err);
	assert_int_equal(n, 0);
	dt_expect(sk_notify_outbox_failed(s, id, "C", now, 30, "late", &err), SK_ERR_CONFLICT, &err,
	          "claimed");

	/* A claim whose sender died runs out, and another sender takes the row. */
	dt_ok(sk_notify_add(dt_cli(s), a1, SK_NOTIFY_REQUEST_OVERDUE, "request", 2, NULL, &err),
	      &err);
	dt_ok(sk_notify_outbox_claim(s, "E", now, 10, false, 0, 10, &m, &n, &err), &err);
	assert_int_equal(n, 1);
	int64_t id2 = m[0].id;
	sk_notify_mail_free(m, n);
	dt_ok(sk_notify_outbox_claim(s, "F", now + 9, 10, false, 0, 10, &m, &n, &err), &err);
	assert_int_equal(n, 0);
	dt_ok(sk_notify_outbox_claim(s, "F", now + 10, 10, false, 0, 10, &m, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].id, id2);
	sk_notify_mail_free(m, n);
	dt_expect(sk_notify_outbox_sent(s, id2, "E", now + 11, &err), SK_ERR_CONFLICT, &err,
	          "claimed");
	dt_ok(sk_notify_outbox_sent(s, id2, "F", now + 11, &err), &err);

	/* The backoff stops growing at its ceiling. */
	dt_ok(sk_notify_add(dt_cli(s), a1, SK_NOTIFY_TEST, "user", a1, NULL, &err), &err);
	for (int i = 0; i < 20; i++) {
		dt_ok(sk_notify_outbox_claim(s, "G", now, 60, true, 0, 10, &m, &n, &err), &err);
		assert_int_equal(n, 1);
		id = m[0].id;
		sk_notify_mail_free(m, n);
		dt_ok(sk_notify_outbox_failed(s, id, "G", now, 60, "down", &err), &err);
	}
	assert_int_equal(outbox_int(s, "mail_attempts", id), 20);
	assert_int_equal(outbox_int(s, "mail_next_at", id), now + SK_NOTIFY_RETRY_MAX);
	assert_int_equal(
	    dt_count(s, "SELECT COUNT(*) FROM notifications WHERE mail_to IS NOT NULL"), 3);
	sk_buf_free(&err);
	sk_store_close(s);
}
SK_TEST_EACH_BACKEND(outbox)

/* Senders racing for the outbox, each on its own connection. */
#define RACE_MAILS   120
#define RACE_SENDERS 4

struct racer {
	const char *url;
	char token[8];
	int64_t *claimed; /* claimed[id]: how many claims got row id */
	pthread_mutex_t *mu;
	int64_t max_id;
	char error[256];
};

static void *race(void *arg)
{
	struct racer *r = arg;
	sk_store *s = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_store_open(r->url, 0, &s, &err)) {
		snprintf(r->error, sizeof(r->error), "open: %s", err.data);
		sk_buf_free(&err);
		return NULL;
	}
	for (;;) {
		sk_notify_mail *m = NULL;
		size_t n = 0;
		if (sk_notify_outbox_claim(s, r->token, 2000000000, 600, false, 0, 7, &m, &n,
		                           &err)) {
			snprintf(r->error, sizeof(r->error), "claim: %s", err.data);
			break;
		}
		pthread_mutex_lock(r->mu);
		for (size_t i = 0; i < n; i++)
			if (m[i].id > 0 && m[i].id <= r->max_id)
				r->claimed[m[i].id]++;
		pthread_mutex_unlock(r->mu);
		for (size_t i = 0; i < n; i++)
			if (sk_notify_outbox_sent(s, m[i].id, r->token, 2000000001, &err)) {
				snprintf(r->error, sizeof(r->error), "sent: %s", err.data);
				n = 0;
				break;
			}
		sk_notify_mail_free(m, n ? n : 0);
		if (!n)
			break;
	}
	sk_buf_free(&err);
	sk_store_close(s);
	return NULL;
}

static void racing_senders(const char *backend)
{
	char url[4096];
	sk_test_fresh_url(backend, url, sizeof(url));
	sk_store *s = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_ok(sk_store_open(url, SK_STORE_CREATE, &s, &err), &err);
	setup(s);
	int64_t a1 = uid_of(s, "a1");
	dt_ok(sk_store_begin(s, &err), &err);
	for (int i = 1; i <= RACE_MAILS; i++)
		dt_ok(sk_notify_add(dt_cli(s), a1, SK_NOTIFY_REQUEST_TO_DECIDE, "request", i, NULL,
		                    &err),
		      &err);
	dt_ok(sk_store_commit(s, &err), &err);
	int64_t max_id = dt_count(s, "SELECT MAX(id) FROM notifications");
	int64_t *claimed = calloc((size_t)max_id + 1, sizeof(int64_t));
	assert_non_null(claimed);
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	struct racer r[RACE_SENDERS];
	pthread_t th[RACE_SENDERS];
	for (int i = 0; i < RACE_SENDERS; i++) {
		r[i] = (struct racer){.url = url, .claimed = claimed, .mu = &mu, .max_id = max_id};
		snprintf(r[i].token, sizeof(r[i].token), "T%d", i);
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (int i = 0; i < RACE_SENDERS; i++) {
		pthread_join(th[i], NULL);
		if (r[i].error[0])
			fail_msg("sender %d: %s", i, r[i].error);
	}
	/* Every mail claimed once, by one sender, and marked sent. */
	int64_t total = 0;
	for (int64_t id = 1; id <= max_id; id++) {
		if (claimed[id] > 1)
			fail_msg("mail %lld was claimed %lld times", (long long)id,
			         (long long)claimed[id]);
		total += claimed[id];
	}
	assert_int_equal(total, RACE_MAILS);
	assert_int_equal(
	    dt_count(s, "SELECT COUNT(*) FROM notifications WHERE mail_sent_at IS NULL"), 0);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM notifications WHERE mail_attempts <> 1"),
	                 0);
	free(claimed);
	sk_buf_free(&err);
	sk_store_close(s);
}
SK_TEST_EACH_BACKEND(racing_senders)

/* Decodes one RFC 2047 "=?UTF-8?B?...?=" word and appends its text to out. */
static void decode_word(const char *w, size_t len, char *out, size_t max)
{
	assert_true(len <= 75);
	assert_true(len > 12 && strncmp(w, "=?UTF-8?B?", 10) == 0 &&
	            strncmp(w + len - 2, "?=", 2) == 0);
	unsigned char bin[64];
	size_t n = 0;
	assert_int_equal(sodium_base642bin(bin, sizeof(bin), w + 10, len - 12, NULL, &n, NULL,
	                                   sodium_base64_VARIANT_ORIGINAL),
	                 0);
	/* Each word holds whole characters (RFC 2047 section 5). */
	assert_true(sk_utf8_valid((const char *)bin, n, NULL));
	size_t have = strlen(out);
	assert_true(have + n < max);
	memcpy(out + have, bin, n);
	out[have + n] = '\0';
}

static void message(void **state)
{
	(void)state;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), out = SK_BUF_INIT(1 << 16);
	const char *subject =
	    "[sekisho] 申請 R-000123 があなたの決裁を待っています（長い件名の折り返し"
	    "を確かめるための文字列）";
	dt_ok(sk_smtp_message("sekisho@city.example", "a1@city.example", subject,
	                      "一行目\n二行目\n", 1796515200, "sekisho.1.2@city.example", &out,
	                      &err),
	      &err);
	const char *t = out.data;
	assert_non_null(strstr(t, "Date: Sun, 06 Dec 2026 00:00:00 +0000\r\n"));
	assert_non_null(strstr(t, "From: <sekisho@city.example>\r\n"));
	assert_non_null(strstr(t, "To: <a1@city.example>\r\n"));
	assert_non_null(strstr(t, "Message-ID: <sekisho.1.2@city.example>\r\n"));
	assert_non_null(strstr(t, "Content-Type: text/plain; charset=UTF-8\r\n"));
	/* The subject: encoded-words on folded lines, decoding to the text given. */
	const char *p = strstr(t, "Subject:");
	assert_non_null(p);
	p += 8;
	char decoded[512] = "";
	int words = 0;
	while (*p == ' ') {
		p++;
		size_t len = strcspn(p, " \r");
		decode_word(p, len, decoded, sizeof(decoded));
		words++;
		p += len;
		if (strncmp(p, "\r\n ", 3) == 0)
			p += 2;
	}
	assert_true(words > 1);
	assert_string_equal(decoded, subject);
	/* Only ASCII in the whole message, and every line ends in CRLF. */
	for (const char *q = t; *q; q++) {
		assert_true((unsigned char)*q < 0x80);
		if (*q == '\n')
			assert_true(q > t && q[-1] == '\r');
	}
	/* The body, base64 of the text with CRLF line ends. */
	const char *body = strstr(t, "\r\n\r\n");
	assert_non_null(body);
	body += 4;
	unsigned char bin[256];
	size_t n = 0;
	assert_int_equal(sodium_base642bin(bin, sizeof(bin), body, strlen(body), "\r\n", &n, NULL,
	                                   sodium_base64_VARIANT_ORIGINAL),
	                 0);
	assert_int_equal(n, strlen("一行目\r\n二行目\r\n"));
	assert_memory_equal(bin, "一行目\r\n二行目\r\n", n);

	/* What no header may carry. */
	dt_expect(sk_smtp_message("sekisho@city.example", "a1@city.example\r\nBcc: x@y.z", "s", "b",
	                          0, "m@x", &out, &err),
	          SK_ERR_INVALID, &err, "to");
	const char *bad[] = {"",        "a",       "@x.y",    "a@",         "a@b..c",
	                     "a b@c.d", "a@b@c.d", "<a@b.c>", "a@b.c,d@e.f"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (sk_notify_addr_check(bad[i], "email", &err) != SK_ERR_INVALID)
			fail_msg("'%s' passed as a mail address", bad[i]);
	dt_ok(sk_notify_addr_check("taro.yamada+x@city.example.lg.jp", "email", &err), &err);

	/* Credentials never leave the URL's owner. */
	char pub[128];
	sk_smtp_url_public("smtp://user:secret@mail.example:587/", pub, sizeof(pub));
	assert_string_equal(pub, "smtp://mail.example:587");
	sk_smtp_config c = {.url = "http://mail.example", .from = "a@b.c"};
	dt_expect(sk_smtp_config_check(&c, &err), SK_ERR_INVALID, &err, "--smtp");
	c = (sk_smtp_config){.url = "smtp://mail.example", .from = "nobody"};
	dt_expect(sk_smtp_config_check(&c, &err), SK_ERR_INVALID, &err, "--mail-from");
	sk_buf_free(&out);
	sk_buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(message),
	    cmocka_unit_test(add_and_rollback_all),
	    cmocka_unit_test(add_each_all),
	    cmocka_unit_test(mail_text_all),
	    cmocka_unit_test(list_and_read_all),
	    cmocka_unit_test(outbox_all),
	    cmocka_unit_test(racing_senders_all),
	    cmocka_unit_test(mail_made_when_sent_all),
	    cmocka_unit_test(migration_14_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
