/*
 * Unit tests of src/domain/request on every backend of the run, under the
 * Hachioji profile (八王子市 指定管理者ガイドライン). Expectations from the seed:
 * a designated manager's take-out goes to its 情報セキュリティ対策責任者
 * (7(7)イ); the software proviso of 16(10) is an ordinary approval by the
 * city's 情報セキュリティ管理者 or 情報システム管理者; a copy of 機密性3 is
 * 「原則として複製禁止」(7(3)) and only an exception goes to the 対策責任者; a
 * city section's take-out names a 対策責任者 no one in its chain holds.
 */
#include <stdio.h>
#include <stdlib.h>

#include "auth/password.h"
#include "core/sk_clock.h"
#include "core/sk_json.h"
#include "domain/asset.h"
#include "domain/org.h"
#include "domain/request.h"
#include "domain/role.h"
#include "domain/user.h"
#include "dtest.h"

static int64_t add_asset(sk_store *s, const char *unit, const char *conf)
{
	sk_asset_input in = {0};
	in.v[SK_AF_UNIT] = unit;
	in.v[SK_AF_TYPE] = "document";
	in.v[SK_AF_NAME] = "名簿";
	in.v[SK_AF_CONF] = conf;
	in.v[SK_AF_INTEG] = "2";
	in.v[SK_AF_AVAIL] = "1";
	in.v[SK_AF_MANAGER] = "責任者";
	in.v[SK_AF_ZONE] = "lgwan";
	int64_t id = 0;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_ok(sk_asset_add(dt_cli(s), &in, &id, &err), &err);
	sk_buf_free(&err);
	return id;
}

static void setup(sk_store *s)
{
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
	dt_ok(sk_org_add(tu_ctx(s, sk_actor_cli()), "dm2", "他の指定管理者", "designated_manager",
	                 "d2", NULL, &err),
	      &err);
	dt_add_user(s, "dmstaff", "dm", "staff");
	dt_add_user(s, "dmchief", "dm", "dm_officer");
	dt_add_user(s, "secmgr", "d1", "security_manager");
	dt_add_user(s, "citystaff", "s1", "staff");
	dt_add_user(s, "outsider", "dm2", "dm_officer");
	sk_buf_free(&err);
}

/* Files as w; returns the error and, on success, the id. */
/* A filing's input from JSON texts (details must parse); free with filing_free. */
static sk_request_new filing(const char *kind, int64_t asset, const char *details,
                             const char *safeguards)
{
	sk_request_new in = {.kind = kind,
	                     .asset_id = asset,
	                     .reason = "業務上必要",
	                     .details = json_loads(details, 0, NULL),
	                     .safeguards_confirmed = json_loads(safeguards, 0, NULL)};
	assert_non_null(in.details);
	return in;
}

static void filing_free(sk_request_new *in)
{
	json_decref(in->details);
	json_decref(in->safeguards_confirmed);
}

/* c set up to act as w (fini it after). */
static void act_as(sk_ctx *c, sk_store *s, dt_who *w)
{
	w->actor.login = w->login;
	sk_ctx_init(c, s, NULL, &w->actor);
}

static sk_err file(sk_store *s, dt_who *w, const char *kind, int64_t asset, const char *details,
                   const char *safeguards, int64_t *id, sk_buf *err)
{
	sk_request_new in = filing(kind, asset, details, safeguards);
	sk_ctx c;
	act_as(&c, s, w);
	sk_err e = sk_request_file(&c, &in, id, err);
	sk_ctx_fini(&c);
	filing_free(&in);
	return e;
}

static json_t *get(sk_store *s, dt_who *w, int64_t id)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	act_as(&c, s, w);
	json_t *j = NULL;
	dt_ok(sk_request_get(&c, id, &j, &err), &err);
	sk_ctx_fini(&c);
	sk_buf_free(&err);
	return j;
}

typedef sk_err (*step_fn)(sk_ctx *c, int64_t id, const char *comment, sk_buf *err);

static sk_err step(sk_store *s, dt_who *w, step_fn fn, int64_t id, const char *comment, sk_buf *err)
{
	sk_ctx c;
	act_as(&c, s, w);
	sk_err e = fn(&c, id, comment, err);
	sk_ctx_fini(&c);
	return e;
}

static const char *str(json_t *j, const char *k)
{
	return json_string_value(json_object_get(j, k));
}

#define TAKE_OUT                                                                                   \
	"{\"destination\": \"市役所\", \"from\": \"2026-04-01\", \"until\": \"2026-04-02\", "   \
	"\"purpose\": \"報告\"}"
#define TAKE_OUT_SG "[\"encrypt_or_password\", \"locked_case\", \"record\"]"

static void flow(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup(s);
	int64_t doc = add_asset(s, "dm", "2"), top = add_asset(s, "dm", "3");
	int64_t citydoc = add_asset(s, "s1", "2");
	dt_who staff = dt_as(s, "dmstaff"), chief = dt_as(s, "dmchief"), mgr = dt_as(s, "secmgr"),
	       city = dt_as(s, "citystaff"), out = dt_as(s, "outsider");
	int64_t dm = 0;
	{
		sk_val p[] = {sk_vtext("dm")};
		dt_ok(sk_store_query_int(s, "SELECT id FROM org_unit WHERE code = ?", p, 1, &dm,
		                         &err),
		      &err);
	}

	/* 7(7)イ: the 対策責任者 of the designated manager's own unit. */
	int64_t id = 0;
	dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
	json_t *r = get(s, &staff, id);
	assert_string_equal(str(r, "status"), "pending");
	assert_string_equal(str(r, "approver_role"), "dm_officer");
	assert_int_equal(json_integer_value(json_object_get(r, "approver_unit")), dm);
	json_decref(r);
	dt_expect(step(s, &staff, sk_request_approve, id, NULL, &err), SK_ERR_SELF_APPROVAL, &err,
	          "own request");
	dt_expect(step(s, &out, sk_request_approve, id, NULL, &err), SK_ERR_NOT_FOUND, &err,
	          "no request");
	dt_expect(step(s, &chief, sk_request_reject, id, "", &err), SK_ERR_INVALID, &err,
	          "comment");
	dt_ok(step(s, &chief, sk_request_approve, id, "了承", &err), &err);
	dt_expect(step(s, &chief, sk_request_approve, id, NULL, &err), SK_ERR_CONFLICT, &err,
	          "not pending");
	{
		sk_ctx c;
		staff.actor.login = staff.login;
		sk_ctx_init(&c, s, NULL, &staff.actor);
		json_t *f = json_pack("{s:s}", "returned_on", "2026-04-02");
		dt_ok(sk_request_complete(&c, id, f, &err), &err);
		json_decref(f);
		sk_ctx_fini(&c);
	}
	r = get(s, &chief, id);
	assert_string_equal(str(r, "status"), "completed");
	assert_int_equal(json_array_size(json_object_get(r, "steps")), 3);
	json_decref(r);

	/* The deputy: the role the 対策責任者 reports to, above it in the chain (recorded). */
	dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
	dt_ok(step(s, &mgr, sk_request_approve, id, NULL, &err), &err);
	r = get(s, &mgr, id);
	assert_true(json_is_true(json_object_get(r, "as_deputy")));
	assert_string_equal(str(r, "decided_by"), "secmgr");
	json_decref(r);

	/* 16(10) ただし: an ordinary approval, up the chain to the city's 管理者. */
	dt_ok(file(s, &staff, "install_software", doc,
	           "{\"name\": \"会計\", \"licence_checked\": true}", "[\"virus_scan\"]", &id,
	           &err),
	      &err);
	r = get(s, &staff, id);
	assert_string_equal(str(r, "status"), "pending");
	assert_string_equal(str(r, "approver_role"), "security_manager");
	json_decref(r);
	dt_ok(step(s, &staff, sk_request_withdraw, id, NULL, &err), &err);
	dt_expect(step(s, &chief, sk_request_withdraw, id, NULL, &err), SK_ERR_NOT_FOUND, &err,
	          "request");

	/* 7(3): a copy of 機密性3 only as an exception, which goes to the 対策責任者. */
	dt_snap before = dt_snapshot(s);
	int64_t nreq = dt_count(s, "SELECT COUNT(*) FROM requests");
	dt_expect(file(s, &staff, "copy", top, "{\"copies\": 1, \"purpose\": \"控え\"}",
	               "[\"encrypt_or_password\"]", &id, &err),
	          SK_ERR_FORBIDDEN_BY_POLICY, &err, "八王子 7(3)");
	/* Bad input: named, nothing written. */
	dt_expect(
	    file(s, &staff, "take_out", doc,
	         "{\"destination\": \"x\", \"from\": \"2026-04-01\", \"until\": \"2026-04-02\"}",
	         TAKE_OUT_SG, &id, &err),
	    SK_ERR_INVALID, &err, "purpose");
	assert_string_equal(err.field, "purpose");
	dt_expect(
	    file(s, &staff, "take_out", doc,
	         "{\"destination\": \"x\", \"from\": \"2026-04-03\", \"until\": \"2026-04-02\", "
	         "\"purpose\": \"p\"}",
	         TAKE_OUT_SG, &id, &err),
	    SK_ERR_INVALID, &err, "until");
	assert_string_equal(err.field, "until");
	dt_expect(file(s, &staff, "take_out", 999999, TAKE_OUT, TAKE_OUT_SG, &id, &err),
	          SK_ERR_NOT_FOUND, &err, "asset");
	assert_string_equal(err.field, "asset_id");
	dt_expect(file(s, &staff, "take_out", doc, TAKE_OUT, "[\"record\"]", &id, &err),
	          SK_ERR_INVALID, &err, "encrypt_or_password");
	dt_expect(file(s, &staff, "dispose", 0,
	               "{\"method\": \"m\", \"date\": \"2026-04-01\", \"person_in_charge\": \"p\"}",
	               "[]", &id, &err),
	          SK_ERR_INVALID, &err, "asset_id");
	/* A city section: the 対策責任者 the rule names has no holder in its chain. */
	dt_expect(file(s, &city, "take_out", citydoc, TAKE_OUT, TAKE_OUT_SG, &id, &err),
	          SK_ERR_CONFLICT, &err, "dm_officer");
	dt_snap after = dt_snapshot(s);
	dt_assert_same(&before, &after, "refused filings", 0);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM requests"), nreq);

	dt_ok(file(s, &staff, "exception", top,
	           "{\"scope\": \"1部\", \"from\": \"2020-04-01\", \"until\": \"2020-04-30\", "
	           "\"measures\": \"暗号化\", \"action\": \"copy\"}",
	           "[\"encrypt_or_password\"]", &id, &err),
	      &err);
	r = get(s, &staff, id);
	assert_string_equal(str(r, "approver_role"), "dm_officer");
	json_decref(r);
	dt_ok(step(s, &chief, sk_request_approve, id, NULL, &err), &err);
	r = get(s, &staff, id);
	assert_string_equal(str(r, "status"), "expired"); /* read as expired before the sweep */
	json_decref(r);
	int64_t n = 0;
	dt_ok(sk_request_expire_due(dt_cli(s), &n, &err), &err);
	assert_int_equal(n, 1);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM requests WHERE status = 'expired'"), 1);

	/* Boxes. */
	{
		sk_ctx c;
		json_t *l = NULL;
		chief.actor.login = chief.login;
		sk_ctx_init(&c, s, NULL, &chief.actor);
		dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
		sk_request_filter f = {.box = "inbox"};
		dt_ok(sk_request_list(&c, &f, &l, &err), &err);
		assert_int_equal(json_array_size(l), 1);
		assert_int_equal(json_integer_value(json_object_get(json_array_get(l, 0), "id")),
		                 id);
		json_decref(l);
		f = (sk_request_filter){.box = "mine"};
		dt_ok(sk_request_list(&c, &f, &l, &err), &err);
		assert_int_equal(json_array_size(l), 0);
		json_decref(l);
		f = (sk_request_filter){.box = "nope"};
		dt_expect(sk_request_list(&c, &f, &l, &err), SK_ERR_INVALID, &err, "box");
		sk_ctx_fini(&c);
		/*
		 * The deputy: the 情報セキュリティ管理者 the 対策責任者 reports to (10(2))
		 * may decide it, so it is in their inbox too; another designated
		 * manager's 対策責任者 is outside the chain and sees nothing.
		 */
		dt_who *inbox_of[] = {&mgr, &out};
		size_t want[] = {1, 0};
		for (size_t i = 0; i < 2; i++) {
			inbox_of[i]->actor.login = inbox_of[i]->login;
			sk_ctx_init(&c, s, NULL, &inbox_of[i]->actor);
			f = (sk_request_filter){.box = "inbox"};
			dt_ok(sk_request_list(&c, &f, &l, &err), &err);
			assert_int_equal(json_array_size(l), want[i]);
			if (want[i])
				assert_int_equal(
				    json_integer_value(json_object_get(json_array_get(l, 0), "id")),
				    id);
			json_decref(l);
			sk_ctx_fini(&c);
		}
	}
	assert_true(sk_test_log_intact(s) > 0);
	sk_buf_free(&err);
	sk_store_close(s);
}

static void flow_all(void **state)
{
	(void)state;
	sk_test_each_backend(flow);
}

/*
 * Before filing (the web form): the decision the filing is judged by, its
 * refusal said beforehand, a stored asset's decision on record, none for a
 * record kind; and the overdue rule of the reminders.
 */
static json_t *preview(sk_store *s, dt_who *w, const char *kind, int64_t asset, const char *action,
                       bool *refused, sk_err want, const char *text)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	act_as(&c, s, w);
	json_t *d = NULL;
	sk_err e = sk_request_preview(&c, kind, asset, action, &d, refused, &err);
	sk_ctx_fini(&c);
	if (want)
		dt_expect(e, want, &err, text);
	else
		dt_ok(e, &err);
	sk_buf_free(&err);
	return d;
}

static void before_filing(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	setup(s);
	int64_t doc = add_asset(s, "dm", "2"), top = add_asset(s, "dm", "3");
	dt_who staff = dt_as(s, "dmstaff");
	bool refused = true;
	assert_true(sk_request_kind_decided("take_out"));
	assert_true(sk_request_kind_decided("exception"));
	assert_false(sk_request_kind_decided("zone_entry"));
	assert_false(sk_request_kind_decided(NULL));

	/* 7(7)イ on a stored asset: approval by the 対策責任者, three safeguards, recorded. */
	int64_t n0 = dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'decision'");
	json_t *d = preview(s, &staff, "take_out", doc, NULL, &refused, SK_OK, NULL);
	assert_false(refused);
	assert_string_equal(str(d, "decision"), "require_approval");
	assert_string_equal(str(d, "approver_role"), "dm_officer");
	assert_int_equal(json_array_size(json_object_get(d, "safeguards")), 3);
	json_decref(d);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM audit_log WHERE action = 'decision'"),
	                 n0 + 1);
	/* 7(3): a copy of 機密性3 is refused outright; as an exception it is not. */
	d = preview(s, &staff, "copy", top, NULL, &refused, SK_OK, NULL);
	assert_true(refused);
	json_decref(d);
	d = preview(s, &staff, "exception", top, "copy", &refused, SK_OK, NULL);
	assert_false(refused);
	json_decref(d);
	/* A record kind has no decision; unknown kinds, actions and assets are named. */
	d = preview(s, &staff, "zone_entry", 0, NULL, &refused, SK_OK, NULL);
	assert_null(d);
	assert_false(refused);
	assert_null(preview(s, &staff, "nope", 0, NULL, &refused, SK_ERR_INVALID, "kind"));
	assert_null(
	    preview(s, &staff, "exception", 0, "fly", &refused, SK_ERR_INVALID, "details.action"));
	assert_null(
	    preview(s, &staff, "take_out", 999999, NULL, &refused, SK_ERR_NOT_FOUND, "asset_id"));

	/* Overdue: pending for more than the days, and only pending. */
	int64_t now = sk_clock_now();
	char at[SK_TIME_STR_MAX];
	sk_clock_format(now - 4 * 86400, at);
	json_t *r = json_pack("{s:s, s:s}", "status", "pending", "created_at", at);
	assert_true(sk_request_overdue(r, 3, now));
	assert_false(sk_request_overdue(r, 5, now));
	json_object_set_new(r, "status", json_string("approved"));
	assert_false(sk_request_overdue(r, 3, now));
	json_decref(r);
	assert_true(sk_test_log_intact(s) > 0);
	sk_store_close(s);
}

static void before_filing_all(void **state)
{
	(void)state;
	sk_test_each_backend(before_filing);
}

/* Takes step as w, answering the request as it then stands (sk_request_take's out). */
static json_t *take(sk_store *s, dt_who *w, sk_request_step st, int64_t id, json_t *fields)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	act_as(&c, s, w);
	json_t *j = NULL;
	dt_ok(sk_request_take(&c, st, id, NULL, fields, &j, &err), &err);
	sk_ctx_fini(&c);
	sk_buf_free(&err);
	assert_non_null(j);
	return j;
}

/* Asserts that the answer of a write is what a read shows the same actor afterwards. */
static void assert_as_read(sk_store *s, dt_who *w, int64_t id, json_t *answer)
{
	json_t *r = get(s, w, id);
	assert_true(json_equal(answer, r));
	json_decref(r);
	json_decref(answer);
}

/*
 * A filing and each step answer the request as sk_request_get then shows it
 * (the answer is read in the step's transaction, with its audit image).
 */
static void answers(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup(s);
	int64_t doc = add_asset(s, "dm", "2");
	dt_who staff = dt_as(s, "dmstaff"), chief = dt_as(s, "dmchief"), mgr = dt_as(s, "secmgr");
	json_t *d = json_loads(TAKE_OUT, 0, NULL), *sg = json_loads(TAKE_OUT_SG, 0, NULL), *filed;
	sk_request_new in = {.kind = "take_out",
	                     .asset_id = doc,
	                     .reason = "業務上必要",
	                     .details = d,
	                     .safeguards_confirmed = sg,
	                     .request_out = &filed};
	int64_t id = 0;
	staff.actor.login = staff.login;
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, &staff.actor);
	dt_ok(sk_request_file(&c, &in, &id, &err), &err);
	sk_ctx_fini(&c);
	assert_non_null(filed);
	assert_string_equal(str(filed, "status"), "pending");
	assert_int_equal(json_array_size(json_object_get(filed, "steps")), 1);
	assert_as_read(s, &staff, id, filed);

	json_t *j = take(s, &chief, SK_REQUEST_APPROVE, id, NULL);
	assert_string_equal(str(j, "status"), "approved");
	assert_as_read(s, &chief, id, j);
	json_t *f = json_pack("{s:s}", "returned_on", "2026-04-02");
	j = take(s, &staff, SK_REQUEST_COMPLETE, id, f);
	json_decref(f);
	assert_string_equal(str(j, "status"), "completed");
	assert_int_equal(json_array_size(json_object_get(j, "steps")), 3);
	assert_as_read(s, &staff, id, j);

	/* The deputy's answer, and a withdrawal's. */
	dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
	j = take(s, &mgr, SK_REQUEST_APPROVE, id, NULL);
	assert_true(json_is_true(json_object_get(j, "as_deputy")));
	assert_as_read(s, &mgr, id, j);
	dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
	j = take(s, &staff, SK_REQUEST_WITHDRAW, id, NULL);
	assert_string_equal(str(j, "status"), "withdrawn");
	assert_as_read(s, &staff, id, j);

	/* A refused step answers nothing. */
	json_t *none = (json_t *)&err; /* any non-NULL value: the call must clear it */
	staff.actor.login = staff.login;
	sk_ctx_init(&c, s, NULL, &staff.actor);
	dt_expect(sk_request_take(&c, SK_REQUEST_WITHDRAW, id, NULL, NULL, &none, &err),
	          SK_ERR_CONFLICT, &err, "not pending");
	sk_ctx_fini(&c);
	assert_null(none);
	json_decref(d);
	json_decref(sg);
	assert_true(sk_test_log_intact(s) > 0);
	sk_buf_free(&err);
	sk_store_close(s);
}

static void answers_all(void **state)
{
	(void)state;
	sk_test_each_backend(answers);
}

/* Filing under the fault seam: each failed write or commit leaves nothing behind. */
struct fctx {
	dt_who w;
	int64_t asset;
};

static sk_err file_op(sk_store *s, void *ctx, sk_buf *err)
{
	struct fctx *f = ctx;
	int64_t id;
	return file(s, &f->w, "take_out", f->asset, TAKE_OUT, TAKE_OUT_SG, &id, err);
}

static void faults(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	setup(s);
	struct fctx f = {.w = dt_as(s, "dmstaff"), .asset = add_asset(s, "dm", "2")};
	int64_t n0 = dt_count(s, "SELECT COUNT(*) FROM requests");
	dt_fault_seam(s, file_op, &f, 3, "request file");
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM requests"), n0 + 1);
	dt_fault_commit(s, file_op, &f, "request file commit");
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM requests"), n0 + 1);
	sk_store_close(s);
}

static void faults_all(void **state)
{
	(void)state;
	sk_test_each_backend(faults);
}

/*
 * A filing prepared on one connection and written on another (the server's
 * loop and writer) is never filed past a change in between: an asset moved
 * out of the requester's sight, a role revoked. Each commit answers as a
 * filing made after the change does, and writes nothing.
 */
static sk_err prepare_with(sk_store *s, dt_who *w, int64_t asset, const char *details,
                           sk_request_prepared **p, sk_buf *err)
{
	sk_request_new in = filing("take_out", asset, details, TAKE_OUT_SG);
	sk_ctx c;
	act_as(&c, s, w);
	sk_err e = sk_request_prepare(&c, &in, p, err);
	sk_ctx_fini(&c);
	filing_free(&in);
	return e;
}

static sk_err prepare_as(sk_store *s, dt_who *w, int64_t asset, sk_request_prepared **p,
                         sk_buf *err)
{
	return prepare_with(s, w, asset, TAKE_OUT, p, err);
}

static sk_err commit_as(sk_store *s, dt_who *w, sk_request_prepared *p, int64_t *id, sk_buf *err)
{
	sk_ctx c;
	act_as(&c, s, w);
	sk_err e = sk_request_commit(&c, p, id, NULL, NULL, NULL, err);
	sk_ctx_fini(&c);
	sk_request_prepared_free(p);
	return e;
}

static void stale(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup(s);
	int64_t doc = add_asset(s, "dm", "2"), id = 0;
	dt_who staff = dt_as(s, "dmstaff");
	sk_request_prepared *p = NULL;

	/* Nothing changed: written as prepared. */
	dt_ok(prepare_as(s, &staff, doc, &p, &err), &err);
	dt_ok(commit_as(s, &staff, p, &id, &err), &err);
	assert_true(id > 0);
	int64_t n0 = dt_count(s, "SELECT COUNT(*) FROM requests");

	/* The asset moved to another designated manager, out of the requester's sight. */
	dt_ok(prepare_as(s, &staff, doc, &p, &err), &err);
	{
		sk_val v[] = {sk_vtext("dm2"), SK_VINT(doc)};
		dt_ok(sk_store_exec(s,
		                    "UPDATE assets SET unit_id = (SELECT id FROM org_unit WHERE "
		                    "code = ?) WHERE id = ?",
		                    v, 2, NULL, &err),
		      &err);
	}
	dt_expect(commit_as(s, &staff, p, &id, &err), SK_ERR_NOT_FOUND, &err, "asset");
	dt_expect(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err),
	          SK_ERR_NOT_FOUND, &err, "asset");
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM requests"), n0);

	/* The requester's role revoked (the authorization generation moves). */
	int64_t doc2 = add_asset(s, "dm", "2");
	dt_ok(prepare_as(s, &staff, doc2, &p, &err), &err);
	{
		sk_val v[] = {SK_VINT(staff.actor.user_id)};
		dt_ok(sk_store_exec(s, "DELETE FROM role_assignment WHERE user_id = ?", v, 1, NULL,
		                    &err),
		      &err);
	}
	sk_err fresh = file(s, &staff, "take_out", doc2, TAKE_OUT, TAKE_OUT_SG, &id, &err);
	assert_int_not_equal(fresh, SK_OK);
	sk_buf_reset(&err);
	assert_int_equal(commit_as(s, &staff, p, &id, &err), fresh);
	assert_int_equal(dt_count(s, "SELECT COUNT(*) FROM requests"), n0);

	/*
	 * An approval planned, then the approver's role revoked: refused as a
	 * fresh approval is (out of their sight), the request still pending.
	 * And one planned, then withdrawn by the requester: not pending.
	 */
	dt_who chief = dt_as(s, "dmchief");
	dt_add_user(s, "dmstaff2", "dm", "staff");
	dt_who staff2 = dt_as(s, "dmstaff2");
	int64_t doc3 = add_asset(s, "dm", "2"), rid = 0, rid2 = 0;
	dt_ok(file(s, &staff2, "take_out", doc3, TAKE_OUT, TAKE_OUT_SG, &rid, &err), &err);
	dt_ok(file(s, &staff2, "take_out", doc3, TAKE_OUT, TAKE_OUT_SG, &rid2, &err), &err);
	sk_request_step_prepared *sp = NULL, *sp2 = NULL;
	sk_ctx c;
	chief.actor.login = chief.login;
	sk_ctx_init(&c, s, NULL, &chief.actor);
	dt_ok(sk_request_take_prepare(&c, SK_REQUEST_APPROVE, rid, "了承", NULL, &sp, &err), &err);
	dt_ok(sk_request_take_prepare(&c, SK_REQUEST_APPROVE, rid2, NULL, NULL, &sp2, &err), &err);
	sk_ctx_fini(&c);
	dt_ok(step(s, &staff2, sk_request_withdraw, rid2, NULL, &err), &err);
	sk_ctx_init(&c, s, NULL, &chief.actor);
	dt_expect(sk_request_take_commit(&c, sp2, NULL, NULL, &err), SK_ERR_CONFLICT, &err, "");
	sk_ctx_fini(&c);
	{
		sk_val v[] = {SK_VINT(chief.actor.user_id)};
		dt_ok(sk_store_exec(s, "DELETE FROM role_assignment WHERE user_id = ?", v, 1, NULL,
		                    &err),
		      &err);
	}
	sk_err fresh2 = step(s, &chief, sk_request_approve, rid, NULL, &err);
	assert_int_not_equal(fresh2, SK_OK);
	sk_buf_reset(&err);
	sk_ctx_init(&c, s, NULL, &chief.actor);
	assert_int_equal(sk_request_take_commit(&c, sp, NULL, NULL, &err), fresh2);
	sk_ctx_fini(&c);
	sk_request_step_prepared_free(sp);
	sk_request_step_prepared_free(sp2);
	json_t *r = get(s, &staff2, rid);
	assert_string_equal(str(r, "status"), "pending");
	json_decref(r);
	assert_true(sk_test_log_intact(s) > 0);
	sk_buf_free(&err);
	sk_store_close(s);
}

static void stale_all(void **state)
{
	(void)state;
	sk_test_each_backend(stale);
}

/* The newest audit entry's images (the caller frees them; NULL for SQL NULL). */
struct images {
	char *before, *after;
};

static sk_err take_images(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct images *im = ctx;
	im->before = sk_row_is_null(row, 0) ? NULL : strdup(sk_row_text(row, 0));
	im->after = sk_row_is_null(row, 1) ? NULL : strdup(sk_row_text(row, 1));
	return SK_OK;
}

static struct images newest_images(sk_store *s)
{
	struct images im = {0};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_ok(sk_store_query(s,
	                     "SELECT before_json, after_json FROM audit_log ORDER BY seq DESC "
	                     "LIMIT 1",
	                     NULL, 0, take_images, &im, &err),
	      &err);
	sk_buf_free(&err);
	return im;
}

/* Asserts that text is j's compact (sorted: canonical) encoding, byte for byte. */
static void assert_text_of(const char *text, const json_t *j, bool sorted)
{
	sk_buf want = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	assert_int_equal(sorted ? sk_json_canonical(j, &want) : sk_json_compact(j, &want), SK_OK);
	assert_string_equal(text, want.data);
	sk_buf_free(&want);
}

/* Approves id as w through the two halves, returning the answer's text (the caller frees it). */
static char *approve_text(sk_store *s, dt_who *w, int64_t id)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), text = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_request_step_prepared *sp = NULL;
	sk_ctx c;
	act_as(&c, s, w);
	dt_ok(
	    sk_request_take_prepare(&c, SK_REQUEST_APPROVE, id, "了承\n\"確認\"", NULL, &sp, &err),
	    &err);
	dt_ok(sk_request_take_commit(&c, sp, NULL, &text, &err), &err);
	sk_ctx_fini(&c);
	sk_request_step_prepared_free(sp);
	sk_buf_free(&err);
	return sk_buf_detach(&text);
}

/*
 * Files details as w through the two halves and asserts the answer's text
 * and the audit image (see texts); returns the id.
 */
static int64_t file_text(sk_store *s, dt_who *w, int64_t doc, const char *details)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), text = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_request_prepared *p = NULL;
	int64_t id = 0;
	dt_ok(prepare_with(s, w, doc, details, &p, &err), &err);
	sk_ctx c;
	act_as(&c, s, w);
	json_t *filed = NULL, *decision = NULL;
	dt_ok(sk_request_commit(&c, p, &id, &filed, &decision, &text, &err), &err);
	sk_ctx_fini(&c);
	sk_request_prepared_free(p);
	json_t *r = get(s, w, id), *d = json_loads(details, 0, NULL);
	assert_non_null(filed);
	assert_true(json_equal(filed, r));
	json_decref(filed);
	struct images im = newest_images(s);
	assert_null(im.before);
	json_t *img = json_loads(im.after, 0, NULL);
	assert_non_null(json_object_get(img, "decision_record"));
	assert_text_of(im.after, img, true);
	json_object_del(img, "decision_record");
	assert_true(json_equal(img, r));
	json_decref(img);
	free(im.after);
	/* In place: the answer shows details as sent and the decision as made. */
	json_object_set(r, "details", d);
	json_object_set(r, "decision", decision);
	assert_text_of(text.data, r, false);
	json_decref(r);
	json_decref(d);
	json_decref(decision);
	sk_buf_free(&text);
	sk_buf_free(&err);
	return id;
}

/*
 * The answers and audit images written as text ahead of the write (the
 * filing's and an approval's) are the bytes the JSON path gives: the
 * answer sk_json_compact's of the request as read back (a filing's details
 * in the order the client sent them), each image sk_json_canonical's (the
 * before image without steps, a filing's with its decision's record); also
 * for a stored JSON column that is not canonical text.
 */
static void texts(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup(s);
	int64_t doc = add_asset(s, "dm", "2"), id = 0;
	dt_who staff = dt_as(s, "dmstaff"), chief = dt_as(s, "dmchief");

	/* A filing: TAKE_OUT's keys are not in sorted order; then one whose are. */
	id = file_text(s, &staff, doc, TAKE_OUT);
	file_text(s, &staff, doc,
	          "{\"destination\": \"市役所\", \"from\": \"2026-04-01\", \"purpose\": "
	          "\"報告\", \"until\": \"2026-04-02\"}");
	json_t *r, *was;
	struct images im;
	char *answer;

	/* An approval: its answer, and both images. */
	was = get(s, &chief, id);
	json_object_del(was, "steps");
	answer = approve_text(s, &chief, id);
	r = get(s, &chief, id);
	assert_text_of(answer, r, false);
	im = newest_images(s);
	assert_text_of(im.before, was, true);
	assert_text_of(im.after, r, true);
	free(im.before);
	free(im.after);
	free(answer);
	json_decref(r);
	json_decref(was);

	/* A stored JSON column that is not canonical (spaces, keys unsorted) is encoded again. */
	dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
	{
		sk_val v[] = {sk_vtext("{\"until\": \"2026-04-02\", \"from\": \"2026-04-01\", "
		                       "\"n\": 1.5}"),
		              sk_vtext("not json"), SK_VINT(id)};
		dt_ok(sk_store_exec(
		          s, "UPDATE requests SET details = ?, follow_through = ? WHERE id = ?", v,
		          3, NULL, &err),
		      &err);
	}
	was = get(s, &chief, id);
	json_object_del(was, "steps");
	answer = approve_text(s, &chief, id);
	r = get(s, &chief, id);
	assert_text_of(answer, r, false);
	assert_non_null(strstr(answer, "\"details\":{\"until\":\"2026-04-02\",\"from\""));
	assert_non_null(strstr(answer, "\"follow_through\":null"));
	im = newest_images(s);
	assert_text_of(im.before, was, true);
	assert_text_of(im.after, r, true);
	free(im.before);
	free(im.after);
	free(answer);
	json_decref(r);
	json_decref(was);
	assert_true(sk_test_log_intact(s) > 0);
	sk_buf_free(&err);
	sk_store_close(s);
}

static void texts_all(void **state)
{
	(void)state;
	sk_test_each_backend(texts);
}

/*
 * How many of request id's request_to_decide notifications went to login
 * (with mail_to, not NULL, addressed to it).
 */
static int64_t told(sk_store *s, int64_t id, const char *login, const char *mail_to)
{
#define TOLD                                                                                       \
	"SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = "    \
	"'request_to_decide' AND n.ref_type = 'request' AND n.ref_id = ?"
	sk_val p[] = {SK_VINT(id), sk_vtext(login), sk_vtext(mail_to)};
	const char *sql = !login     ? TOLD
	                  : !mail_to ? TOLD " AND u.login = ?"
	                             : TOLD " AND u.login = ? AND n.mail_to = ?";
#undef TOLD
	int64_t n = -1;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	dt_ok(sk_store_query_int(s, sql, p, !login ? 1 : !mail_to ? 2 : 3, &n, &err), &err);
	sk_buf_free(&err);
	return n;
}

/*
 * Whom a filing goes to and tells follows every change of the organization
 * between two filings, made on this connection or on another (another door:
 * the CLI beside the server), so the organization view one filing read is
 * not trusted once the authorization generation moved. The addresses move
 * no generation and are read as they are.
 */
static void follows_changes(const char *backend)
{
	sk_store *s = sk_test_open_fresh(backend), *o = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	setup(s);
	dt_ok(sk_store_open(s->url, 0, &o, &err), &err);
	int64_t doc = add_asset(s, "dm", "2"), id = 0;
	dt_who staff = dt_as(s, "dmstaff");
	dt_ok(sk_user_set_email(dt_cli(s), "dmchief", "chief@example.jp", &err), &err);

	/* As set up: dm's 対策責任者 decides; the security_manager above (reports_to) deputizes. */
	dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
	assert_int_equal(told(s, id, "dmchief", "chief@example.jp"), 1);
	assert_int_equal(told(s, id, "secmgr", NULL), 1);
	assert_int_equal(told(s, id, NULL, NULL), 2);

	/* A role granted through the other connection. */
	dt_add_user(o, "dmchief2", "dm", "dm_officer");
	dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
	assert_int_equal(told(s, id, "dmchief2", NULL), 1);
	assert_int_equal(told(s, id, NULL, NULL), 3);

	/* An address changed: no generation moves, the mail goes to the new one. */
	dt_ok(sk_user_set_email(dt_cli(o), "dmchief", "chief2@example.jp", &err), &err);
	dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
	assert_int_equal(told(s, id, "dmchief", "chief2@example.jp"), 1);

	/* An account disabled. */
	dt_ok(sk_user_set_active(dt_cli(o), "dmchief", false, &err), &err);
	dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
	assert_int_equal(told(s, id, "dmchief", NULL), 0);
	assert_int_equal(told(s, id, "dmchief2", NULL), 1);
	assert_int_equal(told(s, id, NULL, NULL), 2);

	/* The unit moved under another department: the deputy is no longer above it. */
	dt_ok(sk_org_move(dt_cli(o), "dm", "d2", &err), &err);
	dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
	assert_int_equal(told(s, id, "secmgr", NULL), 0);
	assert_int_equal(told(s, id, NULL, NULL), 1);

	/* Moved back, on this connection: told again. */
	dt_ok(sk_org_move(dt_cli(s), "dm", "d1", &err), &err);
	dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
	assert_int_equal(told(s, id, "secmgr", NULL), 1);

	/* The last active holder's role revoked: no one to route to. */
	dt_ok(sk_role_revoke(dt_cli(o), "dmchief2", "dm_officer", "dm", &err), &err);
	dt_expect(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err),
	          SK_ERR_CONFLICT, &err, "dm_officer");
	/* Enabled again, on this connection: routed to them. */
	dt_ok(sk_user_set_active(dt_cli(s), "dmchief", true, &err), &err);
	dt_ok(file(s, &staff, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err), &err);
	assert_int_equal(told(s, id, "dmchief", NULL), 1);
	assert_int_equal(told(s, id, NULL, NULL), 2);

	/*
	 * An account added without a role moves no generation: the view does not
	 * know it, the database does. Refused for want of the capability, not as
	 * an inactive account.
	 */
	{
		sk_val v[] = {sk_vtext("dm")};
		dt_ok(sk_store_exec(o,
		                    "INSERT INTO users (login, name, unit_id, kind, status, "
		                    "created_at) SELECT 'newcomer', 'newcomer', id, 'staff', "
		                    "'active', 0 FROM org_unit WHERE code = ?",
		                    v, 1, NULL, &err),
		      &err);
	}
	dt_who newcomer = dt_as(s, "newcomer");
	dt_expect(file(s, &newcomer, "take_out", doc, TAKE_OUT, TAKE_OUT_SG, &id, &err),
	          SK_ERR_DENIED, &err, "'dm'");

	/*
	 * The view read inside a transaction holds its own changes and goes with
	 * it: after the rollback the revoked role is held again, even once
	 * another change has brought the generation to the number the
	 * transaction's had.
	 */
	int64_t line[SK_ORG_LINE_MAX], unit = 0, at = 0;
	size_t n = 0;
	{
		sk_val v[] = {sk_vtext("dm")};
		dt_ok(sk_store_query_int(s, "SELECT id FROM org_unit WHERE code = ?", v, 1, &unit,
		                         &err),
		      &err);
	}
	dt_ok(sk_org_line(s, unit, line, &n, &err), &err);
	assert_int_equal(n, 3);
	dt_ok(sk_org_holder_unit(s, "dm_officer", line, n, 0, &at, &err), &err);
	assert_int_equal(at, unit);
	dt_ok(sk_store_begin(s, &err), &err);
	{
		/* One row: one step of the generation on both backends. */
		sk_val v[] = {SK_VINT(dt_as(s, "dmchief").actor.user_id), SK_VINT(unit)};
		dt_ok(sk_store_exec(s,
		                    "DELETE FROM role_assignment WHERE user_id = ? AND unit_id = ? "
		                    "AND role = 'dm_officer'",
		                    v, 2, NULL, &err),
		      &err);
	}
	dt_ok(sk_org_holder_unit(s, "dm_officer", line, n, 0, &at, &err), &err);
	assert_int_equal(at, 0);
	sk_store_rollback(s);
	dt_ok(sk_org_holder_unit(s, "dm_officer", line, n, 0, &at, &err), &err);
	assert_int_equal(at, unit);
	dt_ok(sk_store_begin(s, &err), &err);
	{
		sk_val v[] = {SK_VINT(dt_as(s, "dmchief").actor.user_id), SK_VINT(unit)};
		dt_ok(sk_store_exec(s,
		                    "DELETE FROM role_assignment WHERE user_id = ? AND unit_id = ? "
		                    "AND role = 'dm_officer'",
		                    v, 2, NULL, &err),
		      &err);
	}
	dt_ok(sk_org_holder_unit(s, "dm_officer", line, n, 0, &at, &err), &err);
	assert_int_equal(at, 0);
	sk_store_rollback(s);
	{
		sk_val v[] = {SK_VINT(dt_as(s, "citystaff").actor.user_id), SK_VINT(unit)};
		dt_ok(sk_store_exec(
		          o,
		          "INSERT INTO role_assignment (user_id, role, unit_id, granted_at) "
		          "VALUES (?, 'auditor', ?, 0)",
		          v, 2, NULL, &err),
		      &err);
	}
	dt_ok(sk_org_holder_unit(s, "dm_officer", line, n, 0, &at, &err), &err);
	assert_int_equal(at, unit);

	assert_true(sk_test_log_intact(s) > 0);
	sk_store_close(o);
	sk_buf_free(&err);
	sk_store_close(s);
}

static void follows_changes_all(void **state)
{
	(void)state;
	sk_test_each_backend(follows_changes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(flow_all),
	    cmocka_unit_test(answers_all),
	    cmocka_unit_test(faults_all),
	    cmocka_unit_test(before_filing_all),
	    cmocka_unit_test(stale_all),
	    cmocka_unit_test(texts_all),
	    cmocka_unit_test(follows_changes_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
