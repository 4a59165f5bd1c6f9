/*
 * demo_activity: the requests and incidents a sample city starts with, so
 * that a new user opens a living city (issue #13): take-outs pending,
 * approved, taken out, returned, rejected and withdrawn, a disposal carried
 * through to its certificate, an exception whose period has ended, and
 * incidents reported, escalated and closed. Everything goes through the
 * request and incident functions as the people of the city, so it is
 * routed, checked and audited exactly as real work would be; what a city's
 * policy does not route (no holder, no approval needed) is simply left out.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/sk_clock.h"
#include "../core/sk_msg.h"
#include "asset.h"
#include "ctx.h"
#include "decision.h"
#include "demo.h"
#include "incident.h"
#include "request.h"
#include "user.h"

#define MAX_PEOPLE 4

/* One person of the city, as an actor of the domain. */
struct person {
	int64_t id, unit;
	char login[SK_LOGIN_MAX + 1];
	sk_actor actor;
};

static void person_actor(struct person *p)
{
	p->actor = (sk_actor){.user_id = p->id, .login = p->login, .address = "demo"};
}

struct people {
	struct person v[MAX_PEOPLE];
	size_t n;
};

static sk_err take_person(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct people *p = ctx;
	if (p->n == MAX_PEOPLE)
		return SK_OK;
	struct person *x = &p->v[p->n++];
	x->id = sk_row_int(row, 0);
	x->unit = sk_row_int(row, 1);
	snprintf(x->login, sizeof(x->login), "%s", sk_row_text(row, 2));
	person_actor(x);
	return SK_OK;
}

/* A date n days from today (JST), YYYY-MM-DD. */
static void day(int n, char out[11])
{
	int64_t t = sk_clock_now() + 9 * 3600 + (int64_t)n * 86400;
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The safeguards the decision for action on asset asks for, as a JSON array. */
static json_t *safeguards_for(sk_ctx *c, int64_t asset, const char *action)
{
	sk_decision_made m;
	sk_decision_made_init(&m);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *sg = NULL;
	if (sk_decision_make(c, 0, asset, action, &m, &err) == SK_OK) {
		json_t *d = json_loadb(m.answer.data, m.answer.len, 0, NULL);
		sg = json_incref(json_object_get(d, "safeguards"));
		json_decref(d);
	}
	sk_decision_made_free(&m);
	sk_buf_free(&err);
	return sg ? sg : json_array();
}

/* The approver of request id: the first active holder of its role at its unit. */
static sk_err approver_of(sk_ctx *c, int64_t id, struct person *out, sk_buf *err)
{
	json_t *r = NULL;
	sk_err e = sk_request_get(c, id, &r, err);
	if (e)
		return e;
	const char *role = json_string_value(json_object_get(r, "approver_role"));
	sk_val p[] = {sk_vtext(role ? role : ""),
	              SK_VINT(json_integer_value(json_object_get(r, "approver_unit")))};
	struct people one = {0};
	e = sk_store_query(
	    c->store,
	    "SELECT u.id, u.unit_id, u.login FROM role_assignment ra JOIN users u ON "
	    "u.id = ra.user_id WHERE ra.role = ? AND ra.unit_id = ? AND u.status = "
	    "'active' ORDER BY u.id LIMIT 1",
	    p, 2, take_person, &one, err);
	json_decref(r);
	if (!e && !one.n)
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_DEMO_NO_APPROVER);
	if (!e)
		*out = one.v[0];
	person_actor(out);
	return e;
}

/*
 * What the city's policy refuses is left out, not an error: each attempt
 * runs under a savepoint, rolled back when refused (an inner transaction's
 * rollback would otherwise doom the demo's own).
 */
static sk_err try_begin(sk_store *s, sk_buf *err) { return sk_store_savepoint(s, "demo_try", err); }

static sk_err try_end(sk_store *s, sk_err e, bool *refused, sk_buf *err)
{
	*refused = e == SK_ERR_FORBIDDEN_BY_POLICY || e == SK_ERR_CONFLICT || e == SK_ERR_DENIED;
	if (*refused)
		return sk_store_rollback_to(s, "demo_try", err) ||
		               sk_store_release(s, "demo_try", err)
		           ? SK_ERR_STORE
		           : SK_OK;
	if (e)
		return e;
	return sk_store_release(s, "demo_try", err);
}

/* Files a request as p; *id 0 when the city's policy does not route it (left out). */
static sk_err file(sk_store *s, struct person *p, const char *kind, int64_t asset,
                   const char *reason, json_t *details, int64_t *id, sk_buf *err)
{
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, &p->actor);
	json_t *sg = asset ? safeguards_for(&c, asset, kind) : json_array();
	sk_request_new in = {.kind = kind,
	                     .asset_id = asset,
	                     .reason = reason,
	                     .details = details,
	                     .safeguards_confirmed = sg};
	*id = 0;
	bool refused = false;
	sk_err e = try_begin(s, err);
	if (!e)
		e = try_end(s, sk_request_file(&c, &in, id, err), &refused, err);
	if (refused)
		*id = 0;
	json_decref(sg);
	json_decref(details);
	sk_ctx_fini(&c);
	return e;
}

/* The request is still pending (some kinds are approved at filing). */
static bool pending(sk_store *s, int64_t id)
{
	int64_t n = 0;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_val p[] = {SK_VINT(id)};
	sk_err e = sk_store_query_int(s,
	                              "SELECT COUNT(*) FROM requests WHERE id = ? AND status = "
	                              "'pending'",
	                              p, 1, &n, &err);
	sk_buf_free(&err);
	return !e && n > 0;
}

typedef sk_err (*step_fn)(sk_ctx *c, int64_t id, const char *comment, sk_buf *err);

/* The approver of id takes step (approve or reject) when the request waits for one. */
static sk_err decide_as_approver(sk_store *s, int64_t id, step_fn step, const char *comment,
                                 sk_buf *err)
{
	if (!id || !pending(s, id))
		return SK_OK;
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, sk_actor_cli());
	struct person ap;
	sk_err e = approver_of(&c, id, &ap, err);
	sk_ctx_fini(&c);
	if (e == SK_ERR_NOT_FOUND)
		return SK_OK;
	if (e)
		return e;
	sk_ctx_init(&c, s, NULL, &ap.actor);
	bool refused;
	if (!(e = try_begin(s, err)))
		e = try_end(s, step(&c, id, comment, err), &refused, err);
	sk_ctx_fini(&c);
	return e;
}

static sk_err complete(sk_store *s, struct person *p, int64_t id, json_t *fields, sk_buf *err)
{
	sk_err e = SK_OK;
	if (id) {
		sk_ctx c;
		sk_ctx_init(&c, s, NULL, &p->actor);
		bool refused;
		if (!(e = try_begin(s, err)))
			e = try_end(s, sk_request_complete(&c, id, fields, err), &refused, err);
		sk_ctx_fini(&c);
	}
	json_decref(fields);
	return e;
}

/* The active assets of p's unit, hardware and media first: what a take-out may concern. */
struct ids {
	int64_t v[12];
	size_t n;
};

static sk_err take_id(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct ids *x = ctx;
	if (x->n < sizeof(x->v) / sizeof(x->v[0]))
		x->v[x->n++] = sk_row_int(row, 0);
	return SK_OK;
}

static struct ids assets_of(sk_store *s, const struct person *p)
{
	struct ids x = {0};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_val v[] = {SK_VINT(p->unit)};
	(void)sk_store_query(
	    s,
	    "SELECT id FROM assets WHERE unit_id = ? AND status = 'active' ORDER BY "
	    "CASE type WHEN 'hardware' THEN 0 WHEN 'media' THEN 1 ELSE 2 END, id",
	    v, 1, take_id, &x, &err);
	sk_buf_free(&err);
	return x;
}

/* Files kind about the first asset of p's unit the city's policy lets p ask for. */
static sk_err file_on_some_asset(sk_store *s, struct person *p, const char *kind,
                                 const char *reason, json_t *details, int64_t *id, sk_buf *err)
{
	struct ids x = assets_of(s, p);
	sk_err e = SK_OK;
	*id = 0;
	for (size_t k = 0; !e && !*id && k < x.n; k++)
		e = file(s, p, kind, x.v[k], reason, json_deep_copy(details), id, err);
	json_decref(details);
	return e;
}

static sk_err take_outs(sk_store *s, struct people *pp, sk_buf *err)
{
	char d0[11], d3[11], dm10[11], dm7[11];
	day(0, d0);
	day(3, d3);
	day(-10, dm10);
	day(-7, dm7);
	sk_err e = SK_OK;
	for (size_t i = 0; !e && i < pp->n; i++) {
		struct person *p = &pp->v[i];
		int64_t id = 0;
		/* i: 0 pending, 1 taken out, 2 returned, 3 rejected */
		e = file_on_some_asset(s, p, "take_out", "出張先での住民説明会で使用するため",
		                       json_pack("{s:s, s:s, s:s, s:s}", "destination",
		                                 i == 2 ? "県庁（打合せ）" : "市民会館 第2会議室",
		                                 "from", i == 2 ? dm10 : d0, "until",
		                                 i == 2 ? dm7 : d3, "purpose",
		                                 "住民説明会の資料投影"),
		                       &id, err);
		if (e || !id || i == 0)
			continue;
		if (i == 3) {
			e = decide_as_approver(
			    s, id, sk_request_reject,
			    "同じ資料は会場の端末で閲覧できるため、持ち出しは不要です", err);
			continue;
		}
		if ((e = decide_as_approver(s, id, sk_request_approve,
		                            "承認します。暗号化を確認のこと", err)))
			break;
		e = complete(s, p, id,
		             i == 2
		                 ? json_pack("{s:s, s:s}", "taken_out_on", dm10, "returned_on", dm7)
		                 : json_pack("{s:s}", "taken_out_on", d0),
		             err);
	}
	return e;
}

static sk_err others(sk_store *s, struct people *pp, sk_buf *err)
{
	if (!pp->n)
		return SK_OK;
	struct person *p = &pp->v[0];
	char d0[11], dm40[11], dm30[11], d7[11];
	day(0, d0);
	day(-40, dm40);
	day(-30, dm30);
	day(7, d7);
	int64_t id = 0;
	/* Withdrawn: a transport no longer needed. */
	sk_err e =
	    file_on_some_asset(s, p, "transport", "本庁舎から支所への書類の運搬",
	                       json_pack("{s:s, s:s, s:s, s:s}", "destination", "北支所", "on", d7,
	                                 "method", "手渡し", "purpose", "窓口での閲覧用"),
	                       &id, err);
	if (!e && id && pending(s, id)) {
		sk_ctx c;
		sk_ctx_init(&c, s, NULL, &p->actor);
		bool refused;
		if (!(e = try_begin(s, err)))
			e = try_end(
			    s,
			    sk_request_withdraw(&c, id, "日程が変更になったため取り下げます", err),
			    &refused, err);
		sk_ctx_fini(&c);
	}
	/* An exception whose period has ended: shown as expired. */
	if (!e)
		e = file(s, p, "exception", 0, "システム更改期間中の暫定運用",
		         json_pack("{s:s, s:s, s:s, s:s}", "scope",
		                   "旧システムからのデータ移行作業", "from", dm40, "until", dm30,
		                   "measures", "作業は2名体制で行い、作業記録を残す"),
		         &id, err);
	if (!e)
		e = decide_as_approver(s, id, sk_request_approve, "期間を限って認めます", err);
	return e;
}

static sk_err incidents(sk_store *s, struct people *pp, sk_buf *err)
{
	if (!pp->n)
		return SK_OK;
	char at[SK_TIME_STR_MAX];
	int64_t t = sk_clock_now() - 2 * 86400;
	sk_clock_format(t, at);
	static const struct {
		const char *title, *what, *severity;
		int stage; /* 0 reported, 1 escalated, 2 responded and closed */
	} cases[] = {
	    {"USBメモリの紛失", "庁外での会議後、資料を保存したUSBメモリが見当たらない", "high", 1},
	    {"不審メールの受信", "差出人を偽装したメールを受信。添付ファイルは開いていない",
	     "medium", 0},
	    {"プリンタの誤送信", "個人情報を含む帳票を別の課のプリンタに送信した", "low", 2},
	};
	sk_err e = SK_OK;
	for (size_t i = 0; !e && i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct person *p = &pp->v[i % pp->n];
		sk_ctx c;
		sk_ctx_init(&c, s, NULL, &p->actor);
		sk_incident_report in = {.title = cases[i].title,
		                         .description = cases[i].what,
		                         .found_at = at,
		                         .severity = cases[i].severity};
		int64_t id = 0;
		bool refused = false;
		if (!(e = try_begin(s, err)))
			e = try_end(s, sk_incident_report_new(&c, &in, &id, err), &refused, err);
		sk_ctx_fini(&c);
		if (e || refused || cases[i].stage == 0)
			continue;
		/* The CLI operator acts for the handlers: the demo's story, not a person's. */
		sk_ctx_init(&c, s, NULL, sk_actor_cli());
		if ((e = try_begin(s, err))) {
			sk_ctx_fini(&c);
			break;
		}
		if (cases[i].stage == 1) {
			e = sk_incident_escalate(&c, id, "紛失の可能性が高いため上位に報告", err);
		} else {
			sk_incident_response r = {.cause = "送信先プリンタの選択誤り",
			                          .impact = "帳票1枚。庁内で回収済み",
			                          .response = "回収し、受領課に削除を依頼",
			                          .recovery = "不要",
			                          .prevention = "既定プリンタの設定を見直し"};
			e = sk_incident_respond(&c, id, &r, err);
			if (!e)
				e = sk_incident_close(&c, id, "再発防止策の実施を確認", err);
		}
		e = try_end(s, e, &refused,
		            err); /* the city's chain may not allow that step here */
		sk_ctx_fini(&c);
	}
	return e;
}

sk_err sk_demo_activity(sk_store *s, sk_buf *err)
{
	/* Staff of sections, each in a different section, first hired first. */
	struct people pp = {0};
	sk_err e = sk_store_query(
	    s,
	    "SELECT u.id, u.unit_id, u.login FROM users u JOIN org_unit o ON o.id = u.unit_id "
	    "WHERE "
	    "u.status = 'active' AND o.kind = 'section' AND u.id IN (SELECT user_id FROM "
	    "role_assignment WHERE role = 'staff') AND u.id = (SELECT MIN(v.id) FROM users v JOIN "
	    "role_assignment r ON r.user_id = v.id WHERE v.unit_id = u.unit_id AND r.role = "
	    "'staff') ORDER BY u.id",
	    NULL, 0, take_person, &pp, err);
	for (size_t i = 0; i < pp.n; i++)
		person_actor(&pp.v[i]); /* the array was filled in place: point at its own login */
	if (!e)
		e = take_outs(s, &pp, err);
	if (!e)
		e = others(s, &pp, err);
	if (!e)
		e = incidents(s, &pp, err);
	return e;
}
