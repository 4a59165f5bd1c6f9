/*
 * cmd_request: `sekisho request file|list|show|approve|reject|withdraw|complete`
 * (issue #13). A request is filed and decided by an account: --as LOGIN
 * names it (whoever can open the database holds every right over it, so the
 * operator may act as any active account; the audit log records the login
 * with the address "cli"). Without --as, list and show read as the operator.
 * The kinds and their details come from the field schema, and so does the
 * usage `request file --help` prints.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_json.h"
#include "../domain/request.h"
#include "../domain/schema.h"
#include "cli.h"
#include "commands.h"

#define FILE_USAGE                                                                                 \
	"--db URL --as LOGIN --kind KIND --reason TEXT --details JSON [--asset ID] "               \
	"[--safeguards SAFEGUARD,...] [--json]"
#define LIST_USAGE                                                                                 \
	"--db URL [--as LOGIN] [--box mine|inbox|all] [--status STATUS] [--kind KIND] [--json]"
#define SHOW_USAGE     "--db URL [--as LOGIN] ID"
#define DECIDE_USAGE   "--db URL --as LOGIN [--comment TEXT] ID"
#define COMPLETE_USAGE "--db URL --as LOGIN --fields JSON ID"

struct rq_args {
	const char *db, *as, *kind, *reason, *details, *safeguards, *box, *status, *comment,
	    *fields;
	long long asset;
	bool json;
};

static bool parse(int argc, char **argv, const char *usage, int args, struct rq_args *a, int *st)
{
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &a->db),
	    SK_OPT_FN("as", &a->as, sk_cli_take_as),
	    SK_OPT_STR("kind", &a->kind),
	    SK_OPT_STR("reason", &a->reason),
	    SK_OPT_STR("details", &a->details),
	    SK_OPT_STR("safeguards", &a->safeguards),
	    SK_OPT_NUM("asset", &a->asset, 1, INT64_MAX),
	    SK_OPT_STR("box", &a->box),
	    SK_OPT_STR("status", &a->status),
	    SK_OPT_STR("comment", &a->comment),
	    SK_OPT_STR("fields", &a->fields),
	    SK_OPT_FLAG("json", &a->json),
	    SK_OPT_END,
	};
	return sk_cli_options(argc, argv, usage, opts, args, st);
}

static int print_request(json_t *r, bool json)
{
	if (json)
		return sk_cli_print_json(r);
	const char *kind = json_string_value(json_object_get(r, "kind"));
	const sk_schema *sc = sk_schema_request_details(kind);
	const char *approver = json_string_value(json_object_get(r, "approver_role"));
	bool ja = sk_lang_from_env() == SK_LANG_JA;
	/* In English the line is key=value, the kind and status by their names: the role too. */
	printf(sk_cli_msg(SK_M_CLI_OUT_REQUEST_LINE),
	       (long long)json_integer_value(json_object_get(r, "id")), sc && ja ? sc->ja : kind,
	       sk_cli_word("UI_RQ_ST_", json_string_value(json_object_get(r, "status"))),
	       json_string_value(json_object_get(r, "requester")),
	       approver ? (ja ? sk_cli_role(approver) : approver) : "-");
	json_decref(r);
	return 0;
}

/*
 * After the usage of `request file`: every kind and its details from the
 * schema, each key beside its title in the reader's language.
 */
static void file_help(void)
{
	bool ja = sk_lang_from_env() == SK_LANG_JA;
	printf("\n%s\n", sk_cli_msg(SK_M_CLI_REQUEST_KINDS));
	for (size_t k = 0; sk_request_kinds[k]; k++) {
		const sk_schema *sc = sk_schema_request_details(sk_request_kinds[k]);
		printf(sk_cli_msg(SK_M_CLI_HELP_KIND), sc->name, ja ? sc->ja : sc->en);
		putchar('\n');
		for (size_t i = 0; i < sc->n; i++) {
			const sk_field *f = &sc->fields[i];
			bool req = (f->flags & SK_FF_REQUIRED) != 0;
			size_t n = strlen(f->key);
			printf("    %s%-*s %s\n", f->key, n < 16 ? (int)(16 - n) : 1,
			       req ? "*" : "", ja ? f->ja : f->en);
		}
	}
}

static int json_arg(const char *opt, const char *text, json_t **out)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_json_parse(text, strlen(text), 1u << 20, out, &err);
	int rc =
	    e ? sk_cli_fail(SK_ERR_INVALID, "--%s: %s", opt, sk_cli_err(&err, SK_ERR_INVALID)) : 0;
	sk_buf_free(&err);
	return rc;
}

static int rq_file(int argc, char **argv)
{
	struct rq_args a = {0};
	int rc;
	if (!parse(argc, argv, FILE_USAGE, 0, &a, &rc)) {
		if (rc == 0) /* --help */
			file_help();
		return rc;
	}
	if (!a.as || !a.kind || !a.reason || !a.details)
		return sk_cli_usage_error(FILE_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_KIND_REASON_DETAILS_REQUIRED));
	json_t *details = NULL, *sg = NULL;
	if ((rc = json_arg("details", a.details, &details)))
		return rc;
	if (!(sg = json_array())) {
		json_decref(details);
		return sk_cli_fail(SK_ERR_NOMEM, "out of memory");
	}
	for (const char *p = a.safeguards; p && *p;) {
		size_t n = strcspn(p, ",");
		json_array_append_new(sg, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	sk_store *s = NULL;
	sk_cli_as who;
	if ((rc = sk_cli_open_store(a.db, &s)) || (rc = sk_cli_as_actor(s, a.as, &who))) {
		if (s)
			sk_store_close(s);
		json_decref(details);
		json_decref(sg);
		return rc;
	}
	sk_request_new in = {.kind = a.kind,
	                     .asset_id = a.asset,
	                     .reason = a.reason,
	                     .details = details,
	                     .safeguards_confirmed = sg};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, &who.actor);
	int64_t id = 0;
	json_t *r = NULL;
	sk_err e = sk_request_file(&c, &in, &id, &err);
	if (!e)
		e = sk_request_get(&c, id, &r, &err);
	sk_ctx_fini(&c);
	json_decref(details);
	json_decref(sg);
	if (e)
		return sk_cli_finish(s, e, &err);
	rc = print_request(r, a.json);
	sk_cli_finish(s, SK_OK, &err);
	return rc;
}

static int rq_list(int argc, char **argv)
{
	struct rq_args a = {0};
	int rc;
	sk_store *s = NULL;
	sk_cli_as who;
	if (!parse(argc, argv, LIST_USAGE, 0, &a, &rc) || (rc = sk_cli_open_store(a.db, &s)))
		return rc;
	if ((rc = sk_cli_as_actor(s, a.as, &who))) {
		sk_store_close(s);
		return rc;
	}
	sk_request_filter f = {.box = a.box ? a.box : (a.as ? "mine" : "all"),
	                       .status = a.status,
	                       .kind = a.kind,
	                       .limit = 1000};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, &who.actor);
	json_t *list = NULL;
	sk_err e = sk_request_list(&c, &f, &list, &err);
	sk_ctx_fini(&c);
	if (e)
		return sk_cli_finish(s, e, &err);
	if (a.json) {
		rc = sk_cli_print_json(list);
	} else {
		size_t i;
		json_t *r;
		json_array_foreach (list, i, r)
			print_request(json_incref(r), false);
		json_decref(list);
	}
	sk_cli_finish(s, SK_OK, &err);
	return rc;
}

/* The ID argument of show, approve, reject, withdraw and complete. */
static int id_arg(int argc, char **argv, const char *usage, int64_t *id)
{
	long long v;
	if (optind != argc - 1 || !sk_cli_parse_int(argv[optind], 1, INT64_MAX, &v))
		return sk_cli_usage_error(usage, "%s", sk_cli_msg(SK_M_CLI_REQUEST_ID_REQUIRED));
	*id = v;
	return 0;
}

typedef enum { DO_SHOW, DO_APPROVE, DO_REJECT, DO_WITHDRAW, DO_COMPLETE } rq_do;

static int act(int argc, char **argv, const char *usage, rq_do what)
{
	struct rq_args a = {0};
	int rc;
	int64_t id = 0;
	if (!parse(argc, argv, usage, 1, &a, &rc))
		return rc;
	if ((rc = id_arg(argc, argv, usage, &id)))
		return rc;
	if (what != DO_SHOW && !a.as)
		return sk_cli_usage_error(usage, "%s", sk_cli_msg(SK_M_CLI_AS_REQUIRED));
	json_t *fields = NULL;
	if (what == DO_COMPLETE && (rc = json_arg("fields", a.fields ? a.fields : "{}", &fields)))
		return rc;
	sk_store *s = NULL;
	sk_cli_as who;
	if ((rc = sk_cli_open_store(a.db, &s)) || (rc = sk_cli_as_actor(s, a.as, &who))) {
		if (s)
			sk_store_close(s);
		json_decref(fields);
		return rc;
	}
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, &who.actor);
	sk_err e = SK_OK;
	switch (what) {
	case DO_APPROVE:
		e = sk_request_approve(&c, id, a.comment, &err);
		break;
	case DO_REJECT:
		e = sk_request_reject(&c, id, a.comment, &err);
		break;
	case DO_WITHDRAW:
		e = sk_request_withdraw(&c, id, a.comment, &err);
		break;
	case DO_COMPLETE:
		e = sk_request_complete(&c, id, fields, &err);
		break;
	default:
		break;
	}
	json_t *r = NULL;
	if (!e)
		e = sk_request_get(&c, id, &r, &err);
	sk_ctx_fini(&c);
	json_decref(fields);
	if (e)
		return sk_cli_finish(s, e, &err);
	rc = print_request(r, a.json || what == DO_SHOW);
	sk_cli_finish(s, SK_OK, &err);
	return rc;
}

static int rq_show(int argc, char **argv) { return act(argc, argv, SHOW_USAGE, DO_SHOW); }
static int rq_approve(int argc, char **argv) { return act(argc, argv, DECIDE_USAGE, DO_APPROVE); }
static int rq_reject(int argc, char **argv) { return act(argc, argv, DECIDE_USAGE, DO_REJECT); }
static int rq_withdraw(int argc, char **argv) { return act(argc, argv, DECIDE_USAGE, DO_WITHDRAW); }
static int rq_complete(int argc, char **argv)
{
	return act(argc, argv, COMPLETE_USAGE, DO_COMPLETE);
}

static const struct sk_cli_verb verbs[] = {
    {"file", rq_file, FILE_USAGE, SK_CLI_PERSON, SK_M_VERB_REQUEST_FILE},
    {"list", rq_list, LIST_USAGE, SK_CLI_PERSON, SK_M_VERB_REQUEST_LIST},
    {"show", rq_show, SHOW_USAGE, SK_CLI_PERSON, SK_M_VERB_REQUEST_SHOW},
    {"approve", rq_approve, DECIDE_USAGE, SK_CLI_PERSON, SK_M_VERB_REQUEST_APPROVE},
    {"reject", rq_reject, DECIDE_USAGE, SK_CLI_PERSON, SK_M_VERB_REQUEST_REJECT},
    {"withdraw", rq_withdraw, DECIDE_USAGE, SK_CLI_PERSON, SK_M_VERB_REQUEST_WITHDRAW},
    {"complete", rq_complete, COMPLETE_USAGE, SK_CLI_PERSON, SK_M_VERB_REQUEST_COMPLETE},
    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
};

int sk_cmd_request(int argc, char **argv)
{
	return sk_cli_dispatch("request", verbs, argc - 1, argv + 1);
}
