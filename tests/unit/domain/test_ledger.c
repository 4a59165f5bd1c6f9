/*
 * Unit tests of src/domain/ledger and src/domain/retention on every backend
 * of the run, under the Hachioji profile: the take-out ledger (7(7)イ) and the
 * 特定個人情報 handling record (7(6)ク, kept 7 years) read in and out of
 * scope, 機密性3 details withheld from a listing, an export recorded once and a
 * failed one not at all, and a purge refused inside the retention period,
 * refused for records kept for ever, and done after the period with the audit
 * log still intact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "auth/password.h"
#include "core/sk_clock.h"
#include "domain/asset.h"
#include "domain/incident.h"
#include "domain/ledger.h"
#include "domain/org.h"
#include "domain/request.h"
#include "domain/retention.h"
#include "domain/user.h"
#include "dtest.h"

static int64_t add_asset(sk_store *s, const char *unit, const char *conf, bool mynumber)
{
	sk_asset_input in = {0};
	in.v[SK_AF_UNIT] = unit;
	in.v[SK_AF_TYPE] = "document";
	in.v[SK_AF_NAME] = "名簿";
	in.v[SK_AF_LOCATION] = "書庫";
	in.v[SK_AF_CONF] = conf;
	in.v[SK_AF_INTEG] = "2";
	in.v[SK_AF_AVAIL] = "1";
	in.v[SK_AF_MANAGER] = "責任者";
	in.v[SK_AF_ZONE] = mynumber ? "mynumber" : "lgwan";
	in.v[SK_AF_PERSONAL] = mynumber ? "yes" : "no";
	in.v[SK_AF_MYNUMBER] = mynumber ? "yes" : "no";
	int64_t id = 0;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_ok(sk_asset_add(dt_cli(s), &in, &id, &err), &err);
	sk_buf_free(&err);
	return id;
}

static int64_t file(sk_store *s, dt_who *w, const char *kind, int64_t asset, const char *reason,
                    const char *details, const char *safeguards)
{
	json_t *d = json_loads(details, 0, NULL),
	       *sg = safeguards ? json_loads(safeguards, 0, NULL) : NULL;
	assert_non_null(d);
	sk_request_new in = {.kind = kind,
	                     .asset_id = asset,
	                     .reason = reason,
	                     .details = d,
	                     .safeguards_confirmed = sg};
	w->actor.login = w->login;
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, &w->actor);
	int64_t id = 0;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_ok(sk_request_file(&c, &in, &id, &err), &err);
	sk_ctx_fini(&c);
	sk_buf_free(&err);
	json_decref(d);
	json_decref(sg);
	return id;
}

static sk_err list(sk_store *s, dt_who *w, const char *name, const sk_ledger_filter *f,
                   json_t **out, sk_buf *err)
{
	sk_ctx c;
	if (w)
		w->actor.login = w->login;
	sk_ctx_init(&c, s, NULL, w ? &w->actor : sk_actor_cli());
	sk_err e = sk_ledger_list(&c, name, f, out, err);
	sk_ctx_fini(&c);
	return e;
}

static json_t *row_of(json_t *l, int64_t id)
{
	size_t i;
	json_t *r;
	json_array_foreach (json_object_get(l, "rows"), i, r)
		if (json_integer_value(json_object_get(r, "id")) == id)
			return r;
	return NULL;
}

static void backdate(sk_store *s, int64_t id, int64_t secs_ago)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t t = sk_clock_now() - secs_ago;
	sk_val p[] = {SK_VINT(t), SK_VINT(t), SK_VINT(id)};
	dt_ok(sk_store_exec(s, "UPDATE requests SET created_at = ?, updated_at = ? WHERE id = ?", p,
	                    3, NULL, &err),
	      &err);
	sk_buf_free(&err);
}

static sk_err purge(sk_store *s, int64_t days_ago, bool dry, json_t **out, sk_buf *err)
{
	time_t t = (time_t)(sk_clock_now() + 9 * 3600 - days_ago * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	char day[16];
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	*out = NULL;
	return sk_record_purge(dt_cli(s), day, dry, out, err);
}

#define YEAR (366 * 86400LL)
#define TAKE_OUT                                                                                   \
	"{\"destination\": \"市役所\", \"from\": \"2026-04-01\", \"until\": \"2026-04-02\", "   \
	"\"purpose\": \"報告\"}"
#define SG       "[\"encrypt_or_password\", \"locked_case\", \"record\"]"
#define MYNUMBER "{\"affair\": \"住民基本台帳\", \"handling\": \"利用\", \"on\": \"2026-04-01\"}"

static void flow(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_root(s);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "d1", "部", "department", "city", NULL, &err),
	      &err);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "s1", "課", "section", "d1", NULL, &err), &err);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "dm", "指定管理者", "designated_manager", "d1",
	                 NULL, &err),
	      &err);
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "d2", "他部", "department", "city", NULL, &err),
	      &err);
	dt_add_user(s, "dmstaff", "dm", "staff");
	dt_add_user(s, "dmchief", "dm", "dm_officer");
	dt_add_user(s, "mgr1", "d1", "security_manager");
	dt_add_user(s, "mgr2", "d2", "security_manager");
	dt_add_user(s, "clerk", "s1", "staff");
	dt_add_user(s, "auditor", "city", "auditor");
	int64_t doc = add_asset(s, "dm", "2", false), top = add_asset(s, "dm", "3", false);
	int64_t juki = add_asset(s, "s1", "3", true);
	dt_who staff = dt_as(s, "dmstaff"), chief = dt_as(s, "dmchief"), mgr1 = dt_as(s, "mgr1"),
	       mgr2 = dt_as(s, "mgr2"), clerk = dt_as(s, "clerk"), aud = dt_as(s, "auditor");

	int64_t t1 = file(s, &staff, "take_out", doc, "報告", TAKE_OUT, SG);
	int64_t t2 = file(s, &staff, "take_out", top, "報告", TAKE_OUT, SG);
	int64_t m1 = file(s, &clerk, "mynumber_handling", juki, "転入", MYNUMBER, NULL);
	chief.actor.login = chief.login;
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, &chief.actor);
	dt_ok(sk_request_approve(&c, t1, "了承", &err), &err);
	sk_ctx_fini(&c);

	/* The operator reads every row, the columns from the schema, 機密性3 details withheld. */
	sk_ledger_filter none = {0};
	json_t *l = NULL;
	dt_ok(list(s, NULL, "take_out", &none, &l, &err), &err);
	assert_string_equal(json_string_value(json_object_get(l, "title")), "持ち出し記録");
	assert_int_equal(json_array_size(json_object_get(l, "rows")), 2);
	json_t *cols = json_object_get(l, "columns");
	assert_string_equal(json_string_value(json_object_get(json_array_get(cols, 0), "ja")),
	                    "申請番号");
	json_t *r1 = row_of(l, t1), *r2 = row_of(l, t2);
	assert_string_equal(json_string_value(json_object_get(r1, "status")), "approved");
	assert_string_equal(json_string_value(json_object_get(r1, "decided_by")), "dmchief");
	assert_string_equal(json_string_value(json_object_get(r1, "destination")), "市役所");
	assert_string_equal(json_string_value(json_object_get(r1, "asset_location")), "書庫");
	assert_non_null(strstr(json_string_value(json_object_get(r1, "steps")), "了承"));
	assert_true(json_is_null(json_object_get(r2, "asset_location")));
	assert_true(json_is_true(json_object_get(r2, "details_withheld")));
	json_decref(l);

	/* Filters. */
	sk_ledger_filter pend = {.status = "pending"};
	dt_ok(list(s, NULL, "take_out", &pend, &l, &err), &err);
	assert_int_equal(json_array_size(json_object_get(l, "rows")), 1);
	assert_non_null(row_of(l, t2));
	json_decref(l);
	sk_ledger_filter by_asset = {.asset_id = doc};
	dt_ok(list(s, NULL, "take_out", &by_asset, &l, &err), &err);
	assert_int_equal(json_array_size(json_object_get(l, "rows")), 1);
	json_decref(l);
	sk_ledger_filter by_unit = {.unit = "d2"};
	dt_ok(list(s, NULL, "take_out", &by_unit, &l, &err), &err);
	assert_int_equal(json_array_size(json_object_get(l, "rows")), 0);
	json_decref(l);
	sk_ledger_filter bad = {.status = "done"};
	dt_expect(list(s, NULL, "take_out", &bad, &l, &err), SK_ERR_INVALID, &err, "status");
	sk_ledger_filter order = {.from = "2026-05-01", .until = "2026-04-01"};
	dt_expect(list(s, NULL, "take_out", &order, &l, &err), SK_ERR_INVALID, &err, "until");
	dt_expect(list(s, NULL, "nosuch", &none, &l, &err), SK_ERR_NOT_FOUND, &err, "nosuch");

	/* Scope: the chief of d1 reads dm's ledger, the chief of d2 reads nothing of it. */
	dt_ok(list(s, &mgr1, "take_out", &none, &l, &err), &err);
	assert_int_equal(json_array_size(json_object_get(l, "rows")), 2);
	json_decref(l);
	dt_ok(list(s, &mgr2, "take_out", &none, &l, &err), &err);
	assert_int_equal(json_array_size(json_object_get(l, "rows")), 0);
	json_decref(l);
	dt_ok(list(s, &aud, "mynumber_handling", &none, &l, &err), &err);
	assert_non_null(row_of(l, m1));
	json_decref(l);
	dt_expect(list(s, &staff, "take_out", &none, &l, &err), SK_ERR_DENIED, &err, "ledger.read");

	/* An export is recorded once; a failed one (CP932 lacks 𠮷) is not. */
	int64_t n0 = dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.export'");
	char *buf = NULL;
	size_t len = 0;
	dt_ok(sk_ledger_export(dt_cli(s), "take_out", &none, SK_LEDGER_CSV, SK_CSV_CP932, &buf,
	                       &len, &err),
	      &err);
	/* 申請番号 in CP932 (JIS X 0208: 申 905C, 請 90BF, 番 94D4, 号 8D86). */
	assert_true(len > 8 && memcmp(buf, "\x90\x5c\x90\xbf\x94\xd4\x8d\x86", 8) == 0);
	free(buf);
	dt_ok(sk_ledger_export(dt_cli(s), "take_out", &none, SK_LEDGER_XLSX, SK_CSV_UTF8, &buf,
	                       &len, &err),
	      &err);
	assert_true(len > 4 && memcmp(buf, "PK\x03\x04", 4) == 0);
	free(buf);
	assert_int_equal(
	    dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.export'"), n0 + 2);
	file(s, &staff, "take_out", doc, "𠮷の報告", TAKE_OUT, SG);
	dt_expect(sk_ledger_export(dt_cli(s), "take_out", &none, SK_LEDGER_CSV, SK_CSV_CP932, &buf,
	                           &len, &err),
	          SK_ERR_INVALID, &err, "request");
	assert_null(buf);
	assert_int_equal(
	    dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.export'"), n0 + 2);

	/* Retention: 3 years old, the handling record is inside its 7 years (7(6)ク). */
	int64_t nreq = dt_count(s, "SELECT COUNT(*) FROM requests");
	json_t *res = NULL;
	backdate(s, m1, 3 * YEAR);
	dt_expect(purge(s, 2 * 366, false, &res, &err), SK_ERR_CONFLICT, &err, "mynumber_records");
	assert_non_null(strstr(err.data, "7(6)ク"));
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM requests"), nreq);
	/* Only the operator purges. */
	clerk.actor.login = clerk.login;
	sk_ctx_init(&c, s, NULL, &clerk.actor);
	dt_expect(sk_record_purge(&c, "2020-01-01", false, &res, &err), SK_ERR_DENIED, &err,
	          "operator");
	sk_ctx_fini(&c);
	dt_expect(sk_record_purge(dt_cli(s), "someday", false, &res, &err), SK_ERR_INVALID, &err,
	          "before");
	/*
	 * Incidents: one about the 特定個人情報 asset, closed with evidence kept (15(2)シ: 7
	 * years), and one still open (never a candidate).
	 */
	int64_t inc = 0, open_inc = 0, att = 0;
	char sha[65];
	sk_incident_report rep = {.title = "誤送付",
	                          .description = "住民票の写しを誤送付",
	                          .found_at = "2026-01-05T09:00:00+09:00",
	                          .unit = "s1",
	                          .asset_ids = &juki,
	                          .n_assets = 1};
	dt_ok(sk_incident_report_new(dt_cli(s), &rep, &inc, &err), &err);
	dt_ok(
	    sk_incident_attach(dt_cli(s), inc, "log.txt", "text/plain", "log", 3, &att, sha, &err),
	    &err);
	sk_incident_response resp = {.cause = "宛名の確認漏れ", .prevention = "二人で確認"};
	dt_ok(sk_incident_respond(dt_cli(s), inc, &resp, &err), &err);
	dt_ok(sk_incident_close(dt_cli(s), inc, "再発防止策を報告", &err), &err);
	rep.asset_ids = NULL;
	rep.n_assets = 0;
	dt_ok(sk_incident_report_new(dt_cli(s), &rep, &open_inc, &err), &err);
	{
		int64_t t = sk_clock_now() - 8 * YEAR;
		sk_val p[] = {SK_VINT(t), SK_VINT(t), SK_VINT(t)};
		dt_ok(sk_store_exec(
		          s, "UPDATE incidents SET created_at = ?, updated_at = ?, closed_at = ?",
		          p, 3, NULL, &err),
		      &err);
	}
	/* Eight years old: purged, with its steps, one record.purge entry, the log intact. */
	backdate(s, m1, 8 * YEAR);
	/* A rejected take-out is kept for ever (take_out_records: period unspecified, 7(7)イ). */
	sk_ctx_init(&c, s, NULL, &chief.actor);
	dt_ok(sk_request_reject(&c, t2, "不要", &err), &err);
	sk_ctx_fini(&c);
	dt_expect(purge(s, -1, false, &res, &err), SK_ERR_CONFLICT, &err, "take_out_records");
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM requests"), nreq);
	dt_ok(purge(s, 7 * 366, true, &res, &err), &err);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(res, "requests"), "count")), 1);
	json_decref(res);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM requests"), nreq);
	dt_ok(purge(s, 7 * 366, false, &res, &err), &err);
	json_decref(res);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM requests"), nreq - 1);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM request_steps WHERE request_id NOT IN "
	                             "(SELECT id FROM requests)"),
	                 0);
	assert_int_equal(
	    dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'record.purge'"), 1);
	/* The closed incident went with its steps, its assets' links and its evidence. */
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM incidents"), 1);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM incident_attachments"), 0);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM incident_assets"), 0);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM incident_steps WHERE incident_id NOT IN "
	                             "(SELECT id FROM incidents)"),
	                 0);
	sk_test_log_intact(s);
	sk_buf_free(&err);
	sk_store_close(s);
}

static void flow_all(void **state)
{
	(void)state;
	sk_test_each_backend(flow);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(flow_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
