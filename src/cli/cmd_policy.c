/*
 * cmd_policy: `sekisho policy check|coverage|export|list` — validate a
 * profile file with line-numbered errors and NIST SP 800-63B-4 advisories,
 * show which seed articles a profile encodes, export it as an OSCAL catalog,
 * and list the built-in profiles with what each document is — and the
 * installation's policy versions (issue #16): `import`, `versions`,
 * `activate` (after the CISO approved a policy_activation request) and
 * `diff`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/policyver.h"
#include "../policy/policy.h"
#include "../core/sk_msg.h"
#include "cli.h"
#include "commands.h"

#define CHECK_USAGE    "FILE"
#define COVERAGE_USAGE "(PROFILE | --profile PROFILE) [--json | --silent]"
#define EXPORT_USAGE   "--oscal PROFILE"
#define LIST_USAGE     "[--json]"
#define IMPORT_USAGE   "--db URL FILE"
#define VERSIONS_USAGE "--db URL [--json]"
#define ACTIVATE_USAGE "--db URL VERSION"
#define DIFF_USAGE     "--db URL V1 V2"

/*
 * Opens what --profile names (built-in name or file); on failure prints why
 * on stderr and returns 2, else 0. Shared by decide and password.
 */
int sk_cmd_policy_open(const char *name, sk_policy **p)
{
	sk_buf diag = SK_BUF_INIT(1u << 20);
	sk_err rc = sk_policy_open(name, p, &diag);
	if (rc != SK_OK) {
		if (rc == SK_ERR_NOT_FOUND) {
			fprintf(stderr, "sekisho: %s\n", sk_cli_err(&diag, rc));
		} else {
			fputs(diag.data, stderr);
			fputs("sekisho: ", stderr);
			fprintf(stderr, sk_cli_msg(SK_M_CLI_PROFILE_NOT_VALID), name);
			fputc('\n', stderr);
		}
		sk_buf_free(&diag);
		return 2;
	}
	sk_buf_free(&diag);
	return 0;
}

static int policy_check(int argc, char **argv)
{
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		sk_cli_help(CHECK_USAGE);
		printf("%s\n", sk_cli_msg(SK_M_CLI_POLICY_CHECK_HELP));
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-')
		return sk_cli_usage_error(
		    CHECK_USAGE, "%s",
		    sk_msg_format(SK_M_CLI_POLICY_CHECK_ONE, sk_lang_from_env()));
	sk_buf diag = SK_BUF_INIT(1u << 20);
	sk_policy *p = NULL;
	sk_err rc = sk_policy_load_file(argv[1], &p, &diag);
	if (rc == SK_ERR_NOT_FOUND || rc == SK_ERR_IO) {
		fputs("sekisho: ", stderr);
		fprintf(stderr, sk_msg_format(SK_M_CLI_PROFILE_UNREADABLE, sk_lang_from_env()),
		        argv[1]);
		fputc('\n', stderr);
		sk_buf_free(&diag);
		return 2;
	}
	if (rc != SK_OK) {
		fputs(diag.data, stdout);
		sk_buf_free(&diag);
		return 1;
	}
	sk_buf adv = SK_BUF_INIT(1u << 20);
	int n = sk_policy_advisories(p, sk_lang_from_env(), &adv);
	fputs(adv.data, stdout);
	sk_buf inc = SK_BUF_INIT(1u << 16);
	if (sk_policy_incident_describe(p, sk_lang_from_env(), &inc) == SK_OK)
		fputs(inc.data, stdout);
	sk_buf_free(&inc);
	/* A template is valid; what the city must still decide is said, not refused. */
	sk_buf open = SK_BUF_INIT(1u << 20);
	sk_policy_questions_describe(p, &open);
	if (open.data)
		fputs(open.data, stdout);
	sk_buf_free(&open);
	printf(sk_cli_msg(SK_M_CLI_OUT_POLICY_OK), argv[1], sk_policy_city_name(p), n,
	       n == 1 ? "y" : "ies");
	sk_buf_free(&adv);
	sk_buf_free(&diag);
	sk_policy_free(p);
	return 0;
}

static int policy_coverage(int argc, char **argv)
{
	bool json = false, silent = false;
	const char *profile = NULL; /* --profile P, as decide takes it, or the one argument */
	const sk_cli_opt opts[] = {SK_OPT_FLAG("json", &json), SK_OPT_FLAG("silent", &silent),
	                           SK_OPT_STR("profile", &profile), SK_OPT_END};
	int st;
	if (!sk_cli_options(argc, argv, COVERAGE_USAGE, opts, SK_CLI_ANY_ARGS, &st))
		return st;
	if (profile ? optind != argc : optind != argc - 1)
		return sk_cli_usage_error(COVERAGE_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_POLICY_COVERAGE_TAKES_EXACTLY));
	if (!profile)
		profile = argv[optind];
	if (json && silent)
		return sk_cli_usage_error(COVERAGE_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_SILENT_TEXT_LIST_DROP));
	sk_policy *p;
	int ex = sk_cmd_policy_open(profile, &p);
	if (ex)
		return ex;
	/* --silent: the inputs answered "no rule; strictest applied" (docs/policy-silent/) */
	sk_buf out = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_err rc = silent ? sk_policy_silent(p, &out)
	                   : sk_policy_coverage(p, json, sk_lang_from_env(), &out);
	if (rc == SK_OK)
		fputs(out.data, stdout);
	sk_buf_free(&out);
	sk_policy_free(p);
	return rc == SK_OK
	           ? 0
	           : sk_cli_fail(rc, "%s", sk_cli_msg(SK_M_CLI_CANNOT_WRITE_COVERAGE_REPORT));
}

static int policy_export(int argc, char **argv)
{
	bool oscal = false;
	const sk_cli_opt opts[] = {SK_OPT_FLAG("oscal", &oscal), SK_OPT_END};
	int st;
	if (!sk_cli_options(argc, argv, EXPORT_USAGE, opts, SK_CLI_ANY_ARGS, &st))
		return st;
	if (!oscal)
		return sk_cli_usage_error(EXPORT_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_CHOOSE_FORMAT_OSCAL));
	if (optind != argc - 1)
		return sk_cli_usage_error(EXPORT_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_POLICY_EXPORT_TAKES_EXACTLY));
	sk_policy *p;
	int ex = sk_cmd_policy_open(argv[optind], &p);
	if (ex)
		return ex;
	sk_buf out = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_err rc = sk_policy_export_oscal(p, &out);
	if (rc == SK_OK)
		fputs(out.data, stdout);
	sk_buf_free(&out);
	sk_policy_free(p);
	return rc == SK_OK ? 0 : sk_cli_fail(rc, "%s", sk_cli_msg(SK_M_CLI_CANNOT_EXPORT_PROFILE));
}

/* "standards; 成田市; (date not stated); binds …": one line saying what the document is. */
static void describe(const sk_policy *p, FILE *out)
{
	sk_policy_document d;
	sk_policy_document_of(p, &d);
	char k[256];
	for (unsigned i = 0; i < d.n_kinds; i++)
		fprintf(out, "%s%s", i ? "+" : "", sk_cli_doc_kinds(d.kinds[i], ',', k, sizeof(k)));
	if (!d.n_kinds)
		fputs(sk_cli_msg(SK_M_CLI_OUT_POLICY_NO_KIND), out);
	if (d.is_template)
		fputs(sk_cli_msg(SK_M_CLI_OUT_POLICY_TEMPLATE), out);
	fprintf(out, "; %s; %s; %s", sk_policy_city_name(p),
	        d.date ? d.date : sk_cli_msg(SK_M_CLI_OUT_POLICY_NO_DATE),
	        d.scope ? d.scope : sk_cli_msg(SK_M_CLI_OUT_POLICY_NO_SCOPE));
}

int sk_cmd_policy_print_builtins(const char *indent)
{
	for (const char *const *n = sk_policy_builtin_names(); *n; n++) {
		sk_policy *p = NULL;
		if (sk_policy_load_builtin(*n, &p, NULL) != SK_OK)
			return sk_cli_fail(SK_ERR_INTERNAL, "the built-in profile %s does not load",
			                   *n);
		printf("%s%-9s ", indent, *n);
		describe(p, stdout);
		putchar('\n');
		sk_policy_free(p);
	}
	return 0;
}

static int policy_list(int argc, char **argv)
{
	bool json = false;
	const sk_cli_opt opts[] = {SK_OPT_FLAG("json", &json), SK_OPT_END};
	int st;
	if (!sk_cli_options(argc, argv, LIST_USAGE, opts, 0, &st))
		return st;
	if (!json)
		return sk_cmd_policy_print_builtins("");
	json_t *arr = json_array();
	for (const char *const *n = sk_policy_builtin_names(); *n; n++) {
		sk_policy *p = NULL;
		if (sk_policy_load_builtin(*n, &p, NULL) != SK_OK) {
			json_decref(arr);
			return sk_cli_fail(SK_ERR_INTERNAL, "the built-in profile %s does not load",
			                   *n);
		}
		{
			sk_policy_document d;
			sk_policy_document_of(p, &d);
			json_t *kinds = json_array();
			for (unsigned i = 0; i < d.n_kinds; i++)
				json_array_append_new(kinds, json_string(d.kinds[i]));
			json_array_append_new(
			    arr,
			    json_pack("{s:s, s:o, s:s, s:s?, s:s?, s:s?, s:b}", "name", *n, "kind",
			              kinds, "city", sk_policy_city_name(p), "title", d.title,
			              "date", d.date, "scope", d.scope, "template", d.is_template));
		}
		sk_policy_free(p);
	}
	return sk_cli_print_json(arr);
}

/* A version number given as an argument; 0 after printing why it is not one. */
static int64_t version_arg(const char *s, const char *usage)
{
	long long v = 0;
	if (!sk_cli_parse_int(s, 1, INT64_MAX, &v)) {
		sk_cli_usage_error(usage, sk_cli_msg(SK_M_CLI_POLICY_VERSION_NUMBER), s);
		return 0;
	}
	return (int64_t)v;
}

static int policy_import(int argc, char **argv)
{
	const char *db = NULL;
	const sk_cli_opt opts[] = {SK_OPT_STR("db", &db), SK_OPT_END};
	int st;
	if (!sk_cli_options(argc, argv, IMPORT_USAGE, opts, SK_CLI_ANY_ARGS, &st))
		return st;
	if (optind != argc - 1)
		return sk_cli_usage_error(IMPORT_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_POLICY_IMPORT_TAKES_EXACTLY));
	const char *file = argv[optind];
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), text = SK_BUF_INIT(SK_POLICYVER_TEXT_MAX + 1);
	/* The file is read and checked before the database is opened: bad input touches nothing. */
	sk_err e = sk_policyver_read_source(file, &text, &err);
	sk_policy *p = NULL;
	if (!e) {
		sk_buf diag = SK_BUF_INIT(SK_BUF_MSG_MAX);
		e = sk_policy_load_mem(file, text.data ? text.data : "", text.len, &p, &diag);
		if (e) {
			fputs(diag.data ? diag.data : "", stderr);
			sk_fail_msg(&err, e, NULL, NULL, SK_M_CLI_PROFILE_NOT_IMPORTED, file);
		}
		sk_buf_free(&diag);
		sk_policy_free(p);
	}
	if (e) {
		int rc = sk_cli_fail_buf(e == SK_ERR_NOT_FOUND ? SK_ERR_INVALID : e, &err);
		sk_buf_free(&err);
		sk_buf_free(&text);
		return rc;
	}
	sk_store *s = NULL;
	int rc = sk_cli_open_store(db, &s);
	if (rc) {
		sk_buf_free(&err);
		sk_buf_free(&text);
		return rc;
	}
	int64_t id = 0;
	e = sk_policyver_import(sk_cli_ctx(s), file, text.data ? text.data : "", text.len, &id,
	                        &err);
	if (!e)
		printf(sk_cli_msg(SK_M_CLI_OUT_POLICY_IMPORTED), file, (long long)id);
	sk_buf_free(&text);
	return sk_cli_finish(s, e, &err);
}

static void print_version(const json_t *v)
{
	char k[256];
	const char *kind = json_string_value(json_object_get(v, "kind"));
	printf(sk_cli_msg(SK_M_CLI_OUT_POLICY_VERSION),
	       (long long)json_integer_value(json_object_get(v, "id")),
	       sk_cli_word("UI_PV_ST_", json_string_value(json_object_get(v, "status"))),
	       json_string_value(json_object_get(v, "city")),
	       kind ? sk_cli_doc_kinds(kind, ',', k, sizeof(k)) : "-",
	       json_string_value(json_object_get(v, "source")),
	       json_string_value(json_object_get(v, "sha256")),
	       json_string_value(json_object_get(v, "imported_by")));
}

static int policy_versions(int argc, char **argv)
{
	sk_store *s = NULL;
	bool json = false;
	int rc;
	if (!sk_cli_open_db_json(argc, argv, VERSIONS_USAGE, &s, &json, &rc))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	json_t *list = NULL;
	sk_err e = sk_policyver_list(sk_cli_ctx(s), &list, &err);
	return sk_cli_finish_list(s, e, &err, list, json, print_version);
}

static int policy_activate(int argc, char **argv)
{
	const char *db = NULL;
	const sk_cli_opt opts[] = {SK_OPT_STR("db", &db), SK_OPT_END};
	int st;
	if (!sk_cli_options(argc, argv, ACTIVATE_USAGE, opts, SK_CLI_ANY_ARGS, &st))
		return st;
	if (optind != argc - 1)
		return sk_cli_usage_error(ACTIVATE_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_POLICY_ACTIVATE_TAKES_VERSION));
	int64_t v = version_arg(argv[optind], ACTIVATE_USAGE);
	if (!v)
		return 2;
	sk_store *s = NULL;
	int rc = sk_cli_open_store(db, &s);
	if (rc)
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t req = 0;
	sk_err e = sk_policyver_activate(sk_cli_ctx(s), v, &req, &err);
	if (!e)
		printf(sk_cli_msg(SK_M_CLI_OUT_POLICY_ACTIVE), (long long)v, (long long)req);
	return sk_cli_finish(s, e, &err);
}

static int policy_diff(int argc, char **argv)
{
	const char *db = NULL;
	const sk_cli_opt opts[] = {SK_OPT_STR("db", &db), SK_OPT_END};
	int st;
	if (!sk_cli_options(argc, argv, DIFF_USAGE, opts, SK_CLI_ANY_ARGS, &st))
		return st;
	if (optind != argc - 2)
		return sk_cli_usage_error(DIFF_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_POLICY_DIFF_TAKES_TWO));
	int64_t a = version_arg(argv[optind], DIFF_USAGE), b = 0;
	if (!a || !(b = version_arg(argv[optind + 1], DIFF_USAGE)))
		return 2;
	sk_store *s = NULL;
	int rc = sk_cli_open_store(db, &s);
	if (rc)
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), out = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_err e = sk_policyver_diff(sk_cli_ctx(s), a, b, &out, &err);
	if (!e)
		fputs(out.len ? out.data : sk_cli_msg(SK_M_CLI_OUT_POLICY_NO_DIFF), stdout);
	sk_buf_free(&out);
	return sk_cli_finish(s, e, &err);
}

int sk_cmd_policy(int argc, char **argv)
{
	static const struct sk_cli_verb verbs[] = {
	    {"check", policy_check, CHECK_USAGE, SK_CLI_PERSON, SK_M_VERB_POLICY_CHECK},
	    {"coverage", policy_coverage, COVERAGE_USAGE, SK_CLI_PERSON, SK_M_VERB_POLICY_COVERAGE},
	    {"export", policy_export, EXPORT_USAGE, SK_CLI_PERSON, SK_M_VERB_POLICY_EXPORT},
	    {"list", policy_list, LIST_USAGE, SK_CLI_PERSON, SK_M_VERB_POLICY_LIST},
	    {"import", policy_import, IMPORT_USAGE, SK_CLI_PERSON, SK_M_VERB_POLICY_IMPORT},
	    {"versions", policy_versions, VERSIONS_USAGE, SK_CLI_PERSON, SK_M_VERB_POLICY_VERSIONS},
	    {"activate", policy_activate, ACTIVATE_USAGE, SK_CLI_PERSON, SK_M_VERB_POLICY_ACTIVATE},
	    {"diff", policy_diff, DIFF_USAGE, SK_CLI_PERSON, SK_M_VERB_POLICY_DIFF},
	    {"set", sk_cmd_policy_set, "show|add|remove ...", SK_CLI_PERSON, SK_M_VERB_POLICY_SET},
	    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
	};
	return sk_cli_dispatch(argv[0], verbs, argc - 1, argv + 1);
}
