/*
 * pages_assets: the 情報資産台帳 pages: the list (sk_asset_list, with the
 * listing's withholding of 機密性3 details), one asset (sk_asset_get, which
 * records the read of a 機密性3 asset before anything is shown), its
 * history (sk_asset_history) and the create/edit form, whose fields,
 * titles, limits and help come from the field schema (sk_schema_asset).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/asset.h"
#include "web_int.h"
#include "../core/sk_msg.h"

#define N(a)      (sizeof(a) / sizeof((a)[0]))
#define PAGE_ROWS 50

static const char *title_of(const sk_web_req *w, const char *key)
{
	const sk_field *f = sk_schema_field(&sk_schema_asset, key);
	return f ? (w->lang == SK_LANG_JA ? f->ja : f->en) : key;
}

/* The filter form's choices (the type, conf and zone being those chosen, "" for none). */
static void choice_options(sk_web_req *w, sk_html_frag *type_opts, sk_html_frag *conf_opts,
                           sk_html_frag *zone_opts, const char *type, const char *conf,
                           const char *zone)
{
	const sk_policy *pol = w->r->t->pol;
	sk_web_option(w, type_opts, "", sk_web_t(w, SK_M_UI_STATUS_ALL), !*type);
	for (int t = 1; t < SK_ASSET__COUNT; t++) {
		const char *n = sk_asset_type_name((sk_asset_type)t);
		sk_web_option(w, type_opts, n, n, !strcmp(type, n));
	}
	sk_web_option(w, conf_opts, "", sk_web_t(w, SK_M_UI_STATUS_ALL), !*conf);
	for (int lv = 0; lv < sk_policy_level_count(pol, SK_AXIS_CONF); lv++) {
		const char *n = sk_policy_level_name(pol, SK_AXIS_CONF, lv);
		sk_web_option(w, conf_opts, n, sk_policy_level_label(pol, SK_AXIS_CONF, lv),
		              !strcmp(conf, n));
	}
	sk_web_option(w, zone_opts, "", sk_web_t(w, SK_M_UI_STATUS_ALL), !*zone);
	for (int z = 0; z < SK_ZONE__COUNT; z++) {
		const char *n = sk_zone_name((sk_zone)z),
		           *t = sk_policy_zone_title(pol, (sk_zone)z);
		sk_web_option(w, zone_opts, n, t ? t : n, !strcmp(zone, n));
	}
}

/*
 * The choices with none chosen (the list as first opened) depend only on
 * the language and the profile, which the server holds for its life: made
 * once per language and kept. Another profile than the one kept (a test
 * process may serve several) is served uncached.
 */
typedef struct choices {
	const sk_policy *pol;
	sk_html_frag type, conf, zone;
} choices;

static choices cached[2]; /* by sk_lang */
static pthread_mutex_t cached_mu = PTHREAD_MUTEX_INITIALIZER;

static const choices *unchosen(sk_web_req *w)
{
	const sk_policy *pol = w->r->t->pol;
	choices *c = &cached[w->lang == SK_LANG_JA ? SK_LANG_JA : SK_LANG_EN];
	pthread_mutex_lock(&cached_mu);
	const sk_policy *have = c->pol;
	pthread_mutex_unlock(&cached_mu);
	if (have)
		return have == pol ? c : NULL; /* never changed once set: read without the lock */
	choices made = {pol, SK_HTML_FRAG_INIT, SK_HTML_FRAG_INIT, SK_HTML_FRAG_INIT};
	choice_options(w, &made.type, &made.conf, &made.zone, "", "", "");
	pthread_mutex_lock(&cached_mu);
	bool kept = !c->pol && made.type.b.len && made.conf.b.len && made.zone.b.len;
	if (kept)
		*c = made;
	have = c->pol;
	pthread_mutex_unlock(&cached_mu);
	if (!kept) {
		sk_html_frag_free(&made.type);
		sk_html_frag_free(&made.conf);
		sk_html_frag_free(&made.zone);
	}
	return have == pol ? c : NULL;
}

typedef struct list_state {
	sk_web_req *w;
	sk_html_frag *rows;
	const sk_html_tmpl *row;       /* asset_row, looked up once for the page's rows */
	const char *active, *disposed; /* the statuses' words in the page's language */
	int64_t skip, shown, seen;
} list_state;

static sk_err list_one(void *ctx, const sk_asset *a, sk_buf *err)
{
	list_state *st = ctx;
	if (st->seen++ < st->skip)
		return SK_OK;
	if (st->shown == PAGE_ROWS) {
		st->shown++; /* one more than a page: there is a next page */
		return SK_ERR_CONFLICT;
	}
	st->shown++;
	char id[24];
	const char *d = sk_web_decimal(id, a->id);
	sk_web_req *w = st->w;
	sk_tv v[] = {
	    SK_TV("id", d),
	    SK_TV("name", a->name),
	    SK_TV("unit", a->unit_code),
	    SK_TV("type", a->type),
	    SK_TV("conf", a->conf),
	    SK_TV("integ", a->integ),
	    SK_TV("avail", a->avail),
	    SK_TV("zone", a->zone),
	    SK_TV("status", strcmp(a->status, "disposed") == 0 ? st->disposed : st->active)};
	sk_err e =
	    st->row ? sk_html_render_tmpl(st->rows, st->row, w->lang, v, N(v)) : SK_ERR_NOT_FOUND;
	return e ? sk_fail_msg(err, e, NULL, NULL, SK_M_WEB_LIST_DOES_FIT_PAGE) : SK_OK;
}

void sk_web_asset_list(sk_web_req *w)
{
	char unit[72] = "", type[72] = "", conf[40] = "", zone[40] = "", q[408] = "",
	     status[16] = "", pg[16] = "";
	sk_asset_filter f = {.withhold = true, .brief = true};
	if (sk_http_query(w->r, "unit", unit, sizeof(unit)) && *unit)
		f.unit = unit;
	if (sk_http_query(w->r, "type", type, sizeof(type)) && *type)
		f.type = type;
	if (sk_http_query(w->r, "conf", conf, sizeof(conf)) && *conf)
		f.conf = conf;
	if (sk_http_query(w->r, "zone", zone, sizeof(zone)) && *zone)
		f.zone = zone;
	if (sk_http_query(w->r, "q", q, sizeof(q)) && *q)
		f.text = q;
	if (sk_http_query(w->r, "status", status, sizeof(status)) && *status)
		f.status = status;
	long page = 1;
	if (sk_http_query(w->r, "page", pg, sizeof(pg))) {
		char *end;
		page = strtol(pg, &end, 10);
		if (*end || end == pg || page < 1 || page > 100000) {
			sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
			sk_fail_msg(&err, SK_ERR_INVALID, "page", NULL, SK_M_FIELD_RANGE, 1LL,
			            100000LL);
			sk_web_fail(w, SK_ERR_INVALID, &err);
			sk_buf_free(&err);
			return;
		}
	}
	/*
	 * The page's main part in three: the form and the table's head, the rows,
	 * the rest; handed to the answer as they are (sk_web_page_parts), the rows
	 * not copied into the page around them.
	 */
	sk_html_frag parts[3] = {SK_HTML_FRAG_INIT, SK_HTML_FRAG_INIT, SK_HTML_FRAG_INIT};
	sk_html_frag rows = SK_HTML_FRAG_INIT;
	/* Room for each at once (a failure only means growing). */
	(void)sk_buf_grow(&rows.b, 16384);
	(void)sk_buf_grow(&parts[0].b, 8192);
	(void)sk_buf_grow(&parts[2].b, 1024);
	list_state st = {w,
	                 &rows,
	                 sk_html_find("asset_row"),
	                 sk_web_t(w, SK_M_UI_STATUS_ACTIVE),
	                 sk_web_t(w, SK_M_UI_STATUS_DISPOSED),
	                 (page - 1) * PAGE_ROWS,
	                 0,
	                 0};
	f.limit = (page - 1) * PAGE_ROWS + PAGE_ROWS + 1;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(w->r, &c);
	sk_err e = sk_asset_list(&c, &f, list_one, &st, &err);
	sk_ctx_fini(&c);
	if (e == SK_ERR_CONFLICT && st.shown > PAGE_ROWS)
		e = SK_OK;
	const char *filter_err = NULL;
	if (e == SK_ERR_INVALID) {
		filter_err = sk_web_error_of(w, e, &err);
		sk_html_frag_free(&rows);
		rows = (sk_html_frag)SK_HTML_FRAG_INIT;
		st.shown = 0;
		e = SK_OK;
	}
	if (e) {
		sk_web_fail(w, e, &err);
		goto out;
	}
	(void)filter_err;
	bool more = st.shown > PAGE_ROWS;
	sk_buf base = SK_BUF_INIT(4096), prev = SK_BUF_INIT(4096), next = SK_BUF_INIT(4096);
	sk_web_qadd(&base, "q", q);
	sk_web_qadd(&base, "unit", unit);
	sk_web_qadd(&base, "type", type);
	sk_web_qadd(&base, "conf", conf);
	sk_web_qadd(&base, "zone", zone);
	sk_web_qadd(&base, "status", status);
	if (page > 1)
		sk_buf_addf(&prev, "/assets%s%spage=%ld", base.data, base.len ? "&" : "?",
		            page - 1);
	if (more)
		sk_buf_addf(&next, "/assets%s%spage=%ld", base.data, base.len ? "&" : "?",
		            page + 1);
	/* The vocabulary filters as choices: the types, the profile's 機密性 levels, the zones. */
	sk_html_frag type_opts = SK_HTML_FRAG_INIT, conf_opts = SK_HTML_FRAG_INIT,
	             zone_opts = SK_HTML_FRAG_INIT;
	const sk_html_frag *types = &type_opts, *confs = &conf_opts, *zones = &zone_opts;
	const choices *ch = !*type && !*conf && !*zone ? unchosen(w) : NULL;
	if (ch) {
		types = &ch->type, confs = &ch->conf, zones = &ch->zone;
	} else {
		choice_options(w, &type_opts, &conf_opts, &zone_opts, type, conf, zone);
	}
	char count_buf[24], pnum_buf[24];
	const char *count = sk_web_decimal(count_buf, more ? (int64_t)PAGE_ROWS : st.shown),
	           *pnum = sk_web_decimal(pnum_buf, page);
	const char *s = f.status ? f.status : "active";
	sk_tv v[] = {SK_TF("rows", &rows),
	             SK_TV("title", sk_web_t(w, SK_M_UI_ASSETS)),
	             SK_TV("count", count),
	             SK_TV("page", pnum),
	             SK_TV("prev", prev.len ? prev.data : NULL),
	             SK_TV("next", next.len ? next.data : NULL),
	             SK_TV("q", q),
	             SK_TV("unit", unit),
	             SK_TV("type", type),
	             SK_TV("conf", conf),
	             SK_TV("zone", zone),
	             SK_TV("st_active", !strcmp(s, "active") ? "1" : NULL),
	             SK_TV("st_disposed", !strcmp(s, "disposed") ? "1" : NULL),
	             SK_TV("st_all", !strcmp(s, "all") ? "1" : NULL),
	             SK_TV("name_title", title_of(w, "name")),
	             SK_TV("unit_title", title_of(w, "unit")),
	             SK_TV("type_title", title_of(w, "type")),
	             SK_TV("conf_title", title_of(w, "conf")),
	             SK_TV("integ_title", title_of(w, "integ")),
	             SK_TV("avail_title", title_of(w, "avail")),
	             SK_TV("zone_title", title_of(w, "zone")),
	             SK_TV("can_write", sk_web_can(w, SK_CAP_ASSET_WRITE) ? "1" : NULL),
	             SK_TV("csrf", w->ap.csrf_token),
	             SK_TV("status", status),
	             SK_TF("type_options", types),
	             SK_TF("conf_options", confs),
	             SK_TF("zone_options", zones)};
	if (sk_web_render_split(w, &parts[0], &parts[2], "rows", "assets", v, N(v))) {
		parts[1] = rows;
		rows = (sk_html_frag)SK_HTML_FRAG_INIT;
		sk_web_page_parts(w, filter_err ? 400 : 200, SK_M_UI_ASSETS, parts, N(parts));
	}
	sk_buf_free(&base);
	sk_buf_free(&prev);
	sk_buf_free(&next);
	sk_html_frag_free(&type_opts);
	sk_html_frag_free(&conf_opts);
	sk_html_frag_free(&zone_opts);
out:
	sk_buf_free(&err);
	sk_html_frag_free(&rows);
	for (size_t i = 0; i < N(parts); i++)
		sk_html_frag_free(&parts[i]);
}

/* A term and its value into a <dl>. */
static void dt(sk_web_req *w, sk_html_frag *out, const char *term, const char *value)
{
	sk_tv v[] = {SK_TV("term", term), SK_TV("value", value)};
	sk_html_render(out, "dt", w->lang, v, N(v));
}

void sk_web_asset(sk_web_req *w)
{
	json_t *a = NULL, *hist = NULL;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	/* Records the read of a 機密性3 asset before it hands anything out (asset.h). */
	sk_err e = sk_asset_get(&call.c, w->r->id, &a, &call.err);
	if (!e)
		e = sk_asset_history(&call.c, w->r->id, &hist, &call.err);
	if (e) {
		sk_web_fail(w, e, &call.err);
		sk_web_call_end(&call);
		json_decref(a);
		return;
	}
	sk_web_call_end(&call);
	sk_html_frag details = SK_HTML_FRAG_INIT, rules = SK_HTML_FRAG_INIT,
	             history = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	char num[32];
	for (size_t i = 0; i < sk_schema_asset.n; i++) {
		const sk_field *f = &sk_schema_asset.fields[i];
		const char *t = sk_web_jtext(w, json_object_get(a, f->key), num, sizeof(num));
		if (!strcmp(f->key, "unit"))
			t = json_string_value(json_object_get(a, "unit_name"));
		dt(w, &details, w->lang == SK_LANG_JA ? f->ja : f->en, t ? t : "—");
	}
	/*
	 * What follows from the classification: the profile's verdict for each
	 * action on an asset of these facts (the one decision input parser and
	 * the engine; nothing is decided for a person here, so nothing is
	 * recorded: /decide does that).
	 */
	const sk_policy *p = w->r->t->pol;
	{
		static const char *const keys[] = {"conf", "integ",    "avail",
		                                   "zone", "mynumber", "personal"};
		char vals[N(keys)][32];
		sk_decide_kv kv[N(keys) + 2];
		size_t n = 1;
		for (size_t k = 0; k < N(keys); k++) {
			const json_t *x = json_object_get(a, keys[k]);
			const char *t = json_is_boolean(x)
			                    ? (json_is_true(x) ? "true" : "false")
			                    : sk_web_jtext(w, x, vals[k], sizeof(vals[k]));
			if (t && *t)
				kv[n++] = (sk_decide_kv){keys[k], t};
		}
		const char *type = json_string_value(json_object_get(a, "type"));
		if (type)
			kv[n++] = (sk_decide_kv){"asset_type", type};
		static const sk_msg_id words[] = {SK_M_UI_DECIDE_ALLOWED,
		                                  SK_M_UI_DECIDE_CONDITIONAL,
		                                  SK_M_UI_DECIDE_APPROVAL, SK_M_UI_DECIDE_DENIED};
		for (int act = 0; act < SK_ACT__COUNT; act++) {
			sk_decide_input in;
			sk_decision d;
			sk_buf derr = SK_BUF_INIT(SK_BUF_MSG_MAX);
			kv[0] = (sk_decide_kv){"action", sk_action_name((sk_action)act)};
			if (sk_decide_input_parse(p, kv, n, &in, &derr) == SK_OK &&
			    sk_policy_decide(p, &in, &d) == SK_OK) {
				char line[400];
				const char *ap = d.approver == SK_ROLE_NONE
				                     ? NULL
				                     : sk_policy_role_title(p, d.approver, w->lang);
				snprintf(line, sizeof(line), "%s%s%s%s%s",
				         sk_web_t(w, words[d.decision]), ap ? " — " : "",
				         ap ? sk_web_t(w, SK_M_UI_DECIDE_APPROVER) : "",
				         ap ? ": " : "", ap ? ap : "");
				dt(w, &rules, sk_action_name((sk_action)act), line);
			}
			sk_buf_free(&derr);
		}
	}
	size_t i;
	json_t *h;
	json_array_foreach (hist, i, h) {
		char seq[24], at[64];
		snprintf(seq, sizeof(seq), "%" JSON_INTEGER_FORMAT,
		         json_integer_value(json_object_get(h, "seq")));
		sk_tv v[] = {SK_TV("seq", seq),
		             SK_TV("at", sk_web_when(w, json_string_value(json_object_get(h, "at")),
		                                     at, sizeof(at))),
		             SK_TV("actor", json_string_value(json_object_get(h, "actor"))),
		             SK_TV("action", json_string_value(json_object_get(h, "action")))};
		sk_html_render(&history, "history_row", w->lang, v, N(v));
	}
	char id[24];
	snprintf(id, sizeof(id), "%" PRId64, w->r->id);
	int top = sk_policy_level_count(p, SK_AXIS_CONF) - 1;
	char cnum[32];
	const char *conf = sk_web_jtext(w, json_object_get(a, "conf"), cnum, sizeof(cnum));
	int cv = -1;
	if (conf && sk_policy_level_parse(p, SK_AXIS_CONF, conf, &cv))
		cv = -1;
	sk_tv v[] = {SK_TV("id", id),
	             SK_TV("label", json_string_value(json_object_get(a, "label"))),
	             SK_TF("rules", &rules),
	             SK_TF("details", &details),
	             SK_TF("history", &history),
	             SK_TV("recorded", cv >= 0 && cv == top ? "1" : NULL),
	             SK_TV("can_decide", sk_web_can(w, SK_CAP_DECIDE) ? "1" : NULL),
	             SK_TV("can_write", sk_web_can(w, SK_CAP_ASSET_WRITE) ? "1" : NULL)};
	if (sk_web_render(w, &main, "asset", v, N(v))) {
		const char *name = json_string_value(json_object_get(a, "name"));
		sk_web_page_titled(w, 200, name && *name ? name : id, &main);
	}
	json_decref(a);
	json_decref(hist);
	sk_html_frag_free(&details);
	sk_html_frag_free(&rules);
	sk_html_frag_free(&history);
	sk_html_frag_free(&main);
}

/* The form: one field per schema field, values from vals (a JSON object or NULL). */
static void asset_form(sk_web_req *w, int status, sk_msg_id title, const char *action,
                       const json_t *vals, const sk_form *posted, const sk_buf *err)
{
	sk_html_frag fields = SK_HTML_FRAG_INIT, main = SK_HTML_FRAG_INIT;
	char num[32];
	bool ok = true;
	for (size_t i = 0; ok && i < sk_schema_asset.n; i++) {
		const sk_field *f = &sk_schema_asset.fields[i];
		const char *val =
		    posted ? sk_form_get(posted, f->key)
		           : sk_web_jtext(w, json_object_get(vals, f->key), num, sizeof(num));
		if (!posted && f->type == SK_FT_BOOL && vals) {
			const json_t *b = json_object_get(vals, f->key);
			val = json_is_boolean(b) ? (json_is_true(b) ? "yes" : "no") : NULL;
		}
		if (!posted && !strcmp(f->key, "unit") && vals)
			val = json_string_value(json_object_get(vals, "unit_code"));
		const char *ferr = err && err->field && !strcmp(err->field, f->key)
		                       ? sk_msg_of(err, SK_ERR_INVALID, w->lang)
		                       : NULL;
		ok = sk_web_field(w, &fields, f, val, ferr);
	}
	sk_tv v[] = {SK_TF("fields", &fields), SK_TV("csrf", w->ap.csrf_token),
	             SK_TV("action", action)};
	if (ok && sk_web_render(w, &main, "asset_form", v, N(v)))
		sk_web_page(w, status, title, &main);
	sk_html_frag_free(&fields);
	sk_html_frag_free(&main);
}

void sk_web_asset_new(sk_web_req *w)
{
	asset_form(w, 200, SK_M_UI_ASSET_NEW_TITLE, "/assets/new", NULL, NULL, NULL);
}

/*
 * The form's asset fields as sk_asset_input. An empty field is not given: on
 * create a required one is then reported missing, on edit it is left
 * unchanged (a form cannot tell "clear it" from "leave it").
 */
static void input_of(const sk_form *form, sk_asset_input *in)
{
	memset(in, 0, sizeof(*in));
	for (int f = 0; f < SK_AF__COUNT; f++) {
		const char *v = sk_form_get(form, sk_asset_field_key((sk_asset_field)f));
		in->v[f] = v && *v ? v : NULL;
	}
}

/*
 * Checks every given field as typed text, as the CLI and an import check
 * theirs (sk_schema_check_text: length, UTF-8, control and invisible or
 * direction-changing characters), naming the field.
 */
static sk_err check_form(const sk_asset_input *in, sk_buf *err)
{
	for (size_t i = 0; i < sk_schema_asset.n; i++) {
		const sk_field *f = &sk_schema_asset.fields[i];
		const char *v = in->v[i];
		/* Numbers, levels and yes/no have no byte limit: the domain parses them strictly.
		 */
		sk_err e = v && f->max ? sk_schema_check_text(f, v, strlen(v), err) : SK_OK;
		if (e)
			return e;
	}
	return SK_OK;
}

static void after_write(sk_web_req *w, sk_err e, sk_buf *err, int64_t id, bool edit)
{
	if (e == SK_OK) {
		char loc[48];
		snprintf(loc, sizeof(loc), "/assets/%" PRId64, id);
		sk_web_redirect(w, loc);
	} else if (e == SK_ERR_INVALID || e == SK_ERR_CONFLICT) {
		sk_web_error_of(w, e, err);
		char action[48];
		snprintf(action, sizeof(action), "/assets/%" PRId64 "/edit", id);
		asset_form(w, 400, edit ? SK_M_UI_ASSET_EDIT_TITLE : SK_M_UI_ASSET_NEW_TITLE,
		           edit ? action : "/assets/new", NULL, &w->form, err);
	} else {
		sk_web_fail(w, e, err);
	}
}

void sk_web_asset_create(sk_web_req *w)
{
	sk_asset_input in;
	input_of(&w->form, &in);
	int64_t id = 0;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = check_form(&in, &call.err);
	if (!e)
		e = sk_asset_add(&call.c, &in, &id, &call.err);
	after_write(w, e, &call.err, id, false);
	sk_web_call_end(&call);
}

void sk_web_asset_edit(sk_web_req *w)
{
	json_t *a = NULL;
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = sk_asset_get(&call.c, w->r->id, &a, &call.err);
	if (e)
		sk_web_fail(w, e, &call.err);
	else {
		char action[48];
		snprintf(action, sizeof(action), "/assets/%" PRId64 "/edit", w->r->id);
		asset_form(w, 200, SK_M_UI_ASSET_EDIT_TITLE, action, a, NULL, NULL);
	}
	json_decref(a);
	sk_web_call_end(&call);
}

void sk_web_asset_save(sk_web_req *w)
{
	sk_asset_input in;
	input_of(&w->form, &in);
	sk_web_call call;
	sk_web_call_begin(w, &call);
	sk_err e = check_form(&in, &call.err);
	if (!e)
		e = sk_asset_update(&call.c, w->r->id, &in, &call.err);
	after_write(w, e, &call.err, w->r->id, true);
	sk_web_call_end(&call);
}
