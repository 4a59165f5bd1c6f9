/*
 * pages_audit: the audit log for its readers (audit.read): verification of
 * the whole log (sk_audit_verify_store, as GET /api/v1/audit/verify), the
 * stored checkpoints (sk_audit_checkpoints), an entry browser with filters
 * and paging in the reader's scope (sk_audit_view_find, as GET
 * /api/v1/audit), and one entry with its place in the hash chain and its
 * inclusion proof (sk_audit_prove_entry, the shape `sekisho audit prove`
 * prints), with how to check it offline. Moved here from pages_policy.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../audit/read.h"
#include "../audit/verify.h"
#include "../core/sk_clock.h"
#include "../domain/audit_view.h"
#include "web_int.h"

#define N(a)       (sizeof(a) / sizeof((a)[0]))
#define AUDIT_PAGE 50

/* A filter field (optional), the shared field template. */
static bool filter_field(sk_web_req *w, sk_html_frag *out, const char *key, sk_msg_id label,
                         sk_msg_id help, const char *type, const char *value, const char *error)
{
	sk_tv v[] = {SK_TV("key", key),
	             SK_TV("label", sk_web_t(w, label)),
	             SK_TV("help", sk_web_t(w, help)),
	             SK_TV("error", error),
	             SK_TV("value", value),
	             SK_TV("type", type)};
	return sk_web_render(w, out, "field", v, N(v));
}

/*
 * A day of the city's calendar (YYYY-MM-DD, in Japan: UTC+9) as the
 * instant it begins, in the form entries store "at" (sk_clock_format_us),
 * so the log's text comparison orders them; next: the day after's. False
 * for anything but a real date.
 */
static bool jst_day(const char *day, bool next, char out[SK_TIME_STR_MAX])
{
	/* Exactly YYYY-MM-DD: ten bytes, digits but for the two dashes. */
	if (strlen(day) != 10 || day[4] != '-' || day[7] != '-')
		return false;
	int v[3] = {0, 0, 0}, part = 0;
	for (size_t i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			part++;
			continue;
		}
		if (day[i] < '0' || day[i] > '9')
			return false;
		v[part] = v[part] * 10 + (day[i] - '0');
	}
	int y = v[0], m = v[1], d = v[2];
	if (y < 1970 || y > 9998 || m < 1 || m > 12 || d < 1)
		return false;
	struct tm t = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
	time_t s = timegm(&t);
	struct tm back;
	if (s == (time_t)-1 || !gmtime_r(&s, &back) || back.tm_mday != d || back.tm_mon != m - 1)
		return false;
	int64_t at = (int64_t)s - 9 * 3600 + (next ? 86400 : 0);
	sk_clock_format_us(at * 1000000, out);
	return true;
}

static void checkpoint_rows(sk_web_req *w, sk_html_frag *out)
{
	json_t *cps = NULL, *x;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	size_t i;
	if (sk_audit_checkpoints(w->r->t->store, &cps, &err) == SK_OK)
		json_array_foreach (cps, i, x) {
			char size[24];
			snprintf(size, sizeof(size), "%" JSON_INTEGER_FORMAT,
			         json_integer_value(json_object_get(x, "size")));
			sk_tv v[] = {
			    SK_TV("size", size),
			    SK_TV("at", json_string_value(json_object_get(x, "created_at"))),
			    SK_TV("root", json_string_value(json_object_get(x, "root")))};
			sk_html_render(out, "checkpoint_row", w->lang, v, N(v));
		}
	json_decref(cps);
	sk_buf_free(&err);
}

static void audit_page(sk_web_req *w, const json_t *verified)
{
	char after_s[24] = "", action[72] = "", actor[88] = "", object[128] = "", from[16] = "",
	     until[16] = "";
	char from_at[SK_TIME_STR_MAX] = "", until_at[SK_TIME_STR_MAX] = "";
	sk_audit_filter f = {0};
	sk_http_query(w->r, "action", action, sizeof(action));
	sk_http_query(w->r, "actor", actor, sizeof(actor));
	sk_http_query(w->r, "object", object, sizeof(object));
	sk_http_query(w->r, "from", from, sizeof(from));
	sk_http_query(w->r, "until", until, sizeof(until));
	const char *after_err = NULL, *from_err = NULL, *until_err = NULL;
	if (sk_http_query(w->r, "after", after_s, sizeof(after_s)) && *after_s) {
		char *end;
		long long a = strtoll(after_s, &end, 10);
		if (*end || a < 0)
			after_err = sk_web_t(w, SK_M_UI_AUDIT_BAD_AFTER);
		else
			f.after = a;
	}
	if (*from && !jst_day(from, false, from_at))
		from_err = sk_web_t(w, SK_M_UI_AUDIT_BAD_DAY);
	if (*until && !jst_day(until, true, until_at))
		until_err = sk_web_t(w, SK_M_UI_AUDIT_BAD_DAY);
	if (after_err)
		sk_web_error(w, NULL, after_err);
	if (from_err)
		sk_web_error(w, "from", from_err);
	if (until_err)
		sk_web_error(w, "until", until_err);
	f.action = action;
	f.actor = actor;
	f.object = object;
	f.from = from_at;
	f.until = until_at;
	bool bad = after_err || from_err || until_err;
	json_t *entries = NULL;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = SK_OK;
	if (!bad) {
		e = sk_audit_view_find(&call.c, &f, false, AUDIT_PAGE, &entries, &call.err);
	}
	if (sk_web_call_done(&call, e))
		return;
	sk_html_frag rows = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT, cps = SK_HTML_FRAG_INIT,
	             fields = SK_HTML_FRAG_INIT;
	size_t i;
	json_t *x;
	int64_t last = f.after;
	json_array_foreach (entries, i, x) {
		char seq[24], href[40];
		last = json_integer_value(json_object_get(x, "seq"));
		snprintf(seq, sizeof(seq), "%" PRId64, last);
		snprintf(href, sizeof(href), "/audit/%" PRId64, last);
		sk_tv v[] = {SK_TV("seq", seq),
		             SK_TV("href", href),
		             SK_TV("at", json_string_value(json_object_get(x, "at"))),
		             SK_TV("actor", json_string_value(json_object_get(x, "actor"))),
		             SK_TV("address", json_string_value(json_object_get(x, "address"))),
		             SK_TV("action", json_string_value(json_object_get(x, "action"))),
		             SK_TV("object", json_string_value(json_object_get(x, "object")))};
		sk_html_render(&rows, "audit_row", w->lang, v, N(v));
	}
	sk_buf base = SK_BUF_INIT(2048), more = SK_BUF_INIT(2048);
	sk_web_qadd(&base, "action", action);
	sk_web_qadd(&base, "actor", actor);
	sk_web_qadd(&base, "object", object);
	sk_web_qadd(&base, "from", from);
	sk_web_qadd(&base, "until", until);
	if (json_array_size(entries) == AUDIT_PAGE)
		sk_buf_addf(&more, "/audit%s%safter=%" PRId64, base.len ? base.data : "",
		            base.len ? "&" : "?", last);
	char first[2100] = "";
	if (f.after > 0)
		snprintf(first, sizeof(first), "/audit%s", base.len ? base.data : "");
	checkpoint_rows(w, &cps);
	bool ok = filter_field(w, &fields, "action", SK_M_UI_ACTION, SK_M_UI_AUDIT_ACTION_HELP,
	                       "text", action, NULL) &&
	          filter_field(w, &fields, "actor", SK_M_UI_WHO, SK_M_UI_AUDIT_ACTOR_HELP, "text",
	                       actor, NULL) &&
	          filter_field(w, &fields, "object", SK_M_UI_AUDIT_OBJECT,
	                       SK_M_UI_AUDIT_OBJECT_HELP, "text", object, NULL) &&
	          filter_field(w, &fields, "from", SK_M_UI_AUDIT_FROM, SK_M_UI_AUDIT_DAY_HELP,
	                       "date", from, from_err) &&
	          filter_field(w, &fields, "until", SK_M_UI_AUDIT_UNTIL, SK_M_UI_AUDIT_DAY_HELP,
	                       "date", until, until_err);
	char size[24] = "", checkpoints[24] = "", bad_seq[40] = "";
	const char *kind = NULL, *verdict = NULL;
	if (verified) {
		bool intact = json_is_true(json_object_get(verified, "intact"));
		kind = intact ? "allow" : "forbid";
		verdict = sk_web_t(w, intact ? SK_M_UI_AUDIT_INTACT : SK_M_UI_AUDIT_BROKEN);
		snprintf(size, sizeof(size), "%" JSON_INTEGER_FORMAT,
		         json_integer_value(json_object_get(verified, "size")));
		snprintf(checkpoints, sizeof(checkpoints), "%" JSON_INTEGER_FORMAT,
		         json_integer_value(json_object_get(verified, "checkpoints")));
		const json_t *b = json_object_get(verified, "first_bad_entry");
		if (json_is_integer(b))
			snprintf(bad_seq, sizeof(bad_seq), "%" JSON_INTEGER_FORMAT,
			         json_integer_value(b));
	}
	sk_tv v[] = {SK_TV("csrf", w->ap.csrf_token),
	             SK_TV("verified", verified ? "1" : NULL),
	             SK_TV("kind", kind),
	             SK_TV("verdict", verdict),
	             SK_TV("size", size),
	             SK_TV("root", json_string_value(json_object_get(verified, "root"))),
	             SK_TV("checkpoints", checkpoints),
	             SK_TV("bad_seq", bad_seq),
	             SK_TV("reason", json_string_value(json_object_get(verified, "reason"))),
	             SK_TF("cps", &cps),
	             SK_TF("fields", &fields),
	             SK_TF("rows", &rows),
	             SK_TV("none", json_array_size(entries) ? NULL : "1"),
	             SK_TV("more", more.len ? more.data : NULL),
	             SK_TV("first", first)};
	if (ok && sk_web_render(w, &main, "audit", v, N(v)))
		sk_web_page(w, bad ? 400 : 200, SK_M_UI_AUDIT_TITLE, &main);
	json_decref(entries);
	sk_buf_free(&base);
	sk_buf_free(&more);
	sk_html_frag_free(&rows);
	sk_html_frag_free(&cps);
	sk_html_frag_free(&fields);
	sk_html_frag_free(&main);
}

void sk_web_audit(sk_web_req *w) { audit_page(w, NULL); }

/* A verification handed to a page worker, and its result. */
typedef struct verify_job {
	sk_audit_verify_result res;
} verify_job;

static void verify_job_free(void *data)
{
	verify_job *j = data;
	sk_audit_verify_result_free(&j->res);
	free(j);
}

/* On a page worker: the whole log re-hashed (seconds for a large one). */
static sk_err verify_work(sk_ctx *c, void *data, sk_buf *err)
{
	verify_job *j = data;
	sk_audit_verify_opts o = {0};
	return sk_audit_verify_store(c->store, &o, &j->res, err);
}

static void verify_answer(sk_web_req *w, void *data, sk_err e, sk_buf *err)
{
	verify_job *j = data;
	if (e)
		return sk_web_fail(w, e, err);
	json_t *res = sk_audit_verify_json(&j->res);
	audit_page(w, res);
	json_decref(res);
}

void sk_web_audit_verify(sk_web_req *w)
{
	verify_job *j = calloc(1, sizeof(*j));
	if (!j)
		return sk_web_busy(w);
	sk_audit_verify_result_init(&j->res);
	sk_web_off_loop(w, verify_work, verify_answer, j, verify_job_free);
}

/* An entry's before or after image, indented for reading; NULL for none. */
static char *image_text(const json_t *j)
{
	if (!j || json_is_null(j))
		return NULL;
	return json_dumps(j, JSON_INDENT(2) | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
}

/* An entry and its proof, found by a page worker: the proof verifies the whole log first. */
typedef struct entry_job {
	int64_t seq;
	json_t *list, *proof;
	sk_err pe;   /* the proof's failure, or SK_OK */
	sk_buf perr; /* its message */
} entry_job;

static void entry_job_free(void *data)
{
	entry_job *j = data;
	json_decref(j->list);
	json_decref(j->proof);
	sk_buf_free(&j->perr);
	free(j);
}

static sk_err entry_work(sk_ctx *c, void *data, sk_buf *err)
{
	entry_job *j = data;
	sk_audit_filter f = {.after = j->seq - 1, .before = j->seq + 1};
	/* The reader's scope first: an entry it may not read is not found. */
	sk_err e = sk_audit_view_find(c, &f, false, 1, &j->list, err);
	if (!e && !json_array_get(j->list, 0))
		e = sk_fail_msg(err, SK_ERR_NOT_FOUND, NULL, NULL, SK_M_AUDIT_ENTRY,
		                (long long)j->seq);
	if (!e)
		j->pe = sk_audit_prove_entry(c->store, j->seq, &j->proof, &j->perr);
	return e;
}

static void entry_answer(sk_web_req *w, void *data, sk_err e, sk_buf *err)
{
	entry_job *j = data;
	int64_t seq = j->seq;
	sk_err pe = j->pe;
	if (e)
		return sk_web_fail(w, e, err);
	if (pe && sk_err_http_status(pe) >= 500 && pe != SK_ERR_CORRUPT)
		return sk_web_fail(w, pe, &j->perr);
	const json_t *x = json_array_get(j->list, 0), *proof = j->proof;
	const char *proof_err = pe ? sk_msg_of(&j->perr, pe, w->lang) : NULL;
	char *before = image_text(json_object_get(x, "before"));
	char *after = image_text(json_object_get(x, "after"));
	const json_t *pj = json_object_get(proof, "proof");
	char *proof_text = pj ? json_dumps(pj, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	char seq_s[24], prev_href[40] = "", next_href[40], tree[24] = "";
	snprintf(seq_s, sizeof(seq_s), "%" PRId64, seq);
	if (seq > 1)
		snprintf(prev_href, sizeof(prev_href), "/audit/%" PRId64, seq - 1);
	snprintf(next_href, sizeof(next_href), "/audit/%" PRId64, seq + 1);
	if (pj)
		snprintf(tree, sizeof(tree), "%" JSON_INTEGER_FORMAT,
		         json_integer_value(json_object_get(pj, "treeSize")));
	const char *note = json_string_value(json_object_get(proof, "checkpoint"));
	sk_html_frag main = SK_HTML_FRAG_INIT;
	sk_tv v[] = {
	    SK_TV("seq", seq_s),
	    SK_TV("at", json_string_value(json_object_get(x, "at"))),
	    SK_TV("actor", json_string_value(json_object_get(x, "actor"))),
	    SK_TV("address", json_string_value(json_object_get(x, "address"))),
	    SK_TV("action", json_string_value(json_object_get(x, "action"))),
	    SK_TV("object", json_string_value(json_object_get(x, "object"))),
	    SK_TV("before", before),
	    SK_TV("after", after),
	    SK_TV("withheld",
	          json_is_true(json_object_get(json_object_get(x, "after"), "details_withheld"))
	              ? "1"
	              : NULL),
	    SK_TV("prev", json_string_value(json_object_get(x, "prev"))),
	    SK_TV("leaf", json_string_value(json_object_get(x, "leaf"))),
	    SK_TV("prev_href", prev_href),
	    SK_TV("next_href", next_href),
	    SK_TV("proof_err", proof_err),
	    SK_TV("proof", proof_text),
	    SK_TV("tree", tree),
	    SK_TV("root", json_string_value(json_object_get(pj, "root"))),
	    SK_TV("note", note),
	    SK_TV("no_note", pj && !note ? "1" : NULL),
	    SK_TV("vkey", json_string_value(json_object_get(proof, "vkey"))),
	};
	if (sk_web_render(w, &main, "audit_entry", v, N(v))) {
		char title[96];
		snprintf(title, sizeof(title), "%s %" PRId64, sk_web_t(w, SK_M_UI_AUDIT_ENTRY),
		         seq);
		sk_web_page_titled(w, 200, title, &main);
	}
	free(before);
	free(after);
	free(proof_text);
	sk_html_frag_free(&main);
}

void sk_web_audit_entry(sk_web_req *w)
{
	entry_job *j = calloc(1, sizeof(*j));
	if (!j)
		return sk_web_busy(w);
	j->seq = w->r->id;
	sk_buf_init(&j->perr, SK_BUF_MSG_MAX);
	sk_web_off_loop(w, entry_work, entry_answer, j, entry_job_free);
}
