/*
 * cmd_policy: `sekisho policy check|coverage|export|list` — validate a
 * profile file with line-numbered errors and NIST SP 800-63B-4 advisories,
 * show which seed articles a profile encodes, export it as an OSCAL catalog,
 * and list the built-in profiles.
 */
#include <stdio.h>
#include <string.h>

#include "../policy/policy.h"
#include "../core/sk_msg.h"
#include "cli.h"
#include "commands.h"

#define CHECK_USAGE    "FILE"
#define COVERAGE_USAGE "PROFILE [--json]"
#define EXPORT_USAGE   "--oscal PROFILE"
#define LIST_USAGE     ""

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
			fprintf(stderr, "sekisho: %s\n", diag.data);
		} else {
			fputs(diag.data, stderr);
			fprintf(stderr, "sekisho: profile '%s' is not valid\n", name);
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
		sk_lang l = sk_lang_from_env();
		printf("%s sekisho policy check " CHECK_USAGE "\n%s\n",
		       sk_msg_format(SK_M_CLI_USAGE, l),
		       sk_msg_format(SK_M_CLI_POLICY_CHECK_HELP, l));
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
	int n = sk_policy_advisories(p, &adv);
	fputs(adv.data, stdout);
	sk_buf inc = SK_BUF_INIT(1u << 16);
	if (sk_policy_incident_describe(p, &inc) == SK_OK)
		fputs(inc.data, stdout);
	sk_buf_free(&inc);
	printf("%s: ok (%s, %d advisor%s)\n", argv[1], sk_policy_city_name(p), n,
	       n == 1 ? "y" : "ies");
	sk_buf_free(&adv);
	sk_buf_free(&diag);
	sk_policy_free(p);
	return 0;
}

static int policy_coverage(int argc, char **argv)
{
	bool json = false;
	const sk_cli_opt opts[] = {SK_OPT_FLAG("json", &json), SK_OPT_END};
	int st;
	if (!sk_cli_options(argc, argv, COVERAGE_USAGE, opts, SK_CLI_ANY_ARGS, &st))
		return st;
	if (optind != argc - 1)
		return sk_cli_usage_error(COVERAGE_USAGE,
		                          "policy coverage takes exactly one profile");
	sk_policy *p;
	int ex = sk_cmd_policy_open(argv[optind], &p);
	if (ex)
		return ex;
	sk_buf out = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	sk_err rc = sk_policy_coverage(p, json, &out);
	if (rc == SK_OK)
		fputs(out.data, stdout);
	sk_buf_free(&out);
	sk_policy_free(p);
	return rc == SK_OK ? 0 : sk_cli_fail(rc, "cannot write the coverage report");
}

static int policy_export(int argc, char **argv)
{
	bool oscal = false;
	const sk_cli_opt opts[] = {SK_OPT_FLAG("oscal", &oscal), SK_OPT_END};
	int st;
	if (!sk_cli_options(argc, argv, EXPORT_USAGE, opts, SK_CLI_ANY_ARGS, &st))
		return st;
	if (!oscal)
		return sk_cli_usage_error(EXPORT_USAGE, "choose a format: --oscal");
	if (optind != argc - 1)
		return sk_cli_usage_error(EXPORT_USAGE, "policy export takes exactly one profile");
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
	return rc == SK_OK ? 0 : sk_cli_fail(rc, "cannot export the profile");
}

static int policy_list(int argc, char **argv)
{
	const sk_cli_opt opts[] = {SK_OPT_END};
	int st;
	if (!sk_cli_options(argc, argv, LIST_USAGE, opts, 0, &st))
		return st;
	for (const char *const *n = sk_policy_builtin_names(); *n; n++)
		printf("%s\n", *n);
	return 0;
}

int sk_cmd_policy(int argc, char **argv)
{
	static const struct sk_cli_verb verbs[] = {
	    {"check", policy_check, CHECK_USAGE},
	    {"coverage", policy_coverage, COVERAGE_USAGE},
	    {"export", policy_export, EXPORT_USAGE},
	    {"list", policy_list, LIST_USAGE},
	    {NULL, NULL, NULL},
	};
	return sk_cli_dispatch(argv[0], verbs, argc - 1, argv + 1);
}
