/*
 * cmd_password: `sekisho password check` — reads one password from stdin and
 * checks it against a profile's rules for an account kind and against the
 * common-password list (SPEC §3). Exits 0 whatever the verdict; 2 for bad
 * input.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../policy/policy.h"
#include "cli.h"
#include "commands.h"

#define CHECK_USAGE "--profile P [--kind normal|privileged|social] [--json] < password"

static int password_check(int argc, char **argv)
{
	const char *profile = NULL, *kind = "normal";
	bool json = false;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("profile", &profile),
	    SK_OPT_STR("kind", &kind),
	    SK_OPT_FLAG("json", &json),
	    SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, CHECK_USAGE, opts, 0, &st))
		return st;
	if (!profile)
		return sk_cli_usage_error(CHECK_USAGE, "--profile is required");
	sk_account_kind k;
	if (sk_account_kind_parse(kind, &k) != SK_OK)
		return sk_cli_fail(SK_ERR_INVALID,
		                   "unknown account kind '%s' (normal, privileged, social)", kind);
	sk_policy *p;
	int ex = sk_cmd_policy_open(profile, &p);
	if (ex)
		return ex;
	sk_buf pw = SK_BUF_INIT(4096), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	uint32_t v = 0;
	sk_err rc = sk_cli_read_secret_line(&pw, &err);
	if (rc == SK_OK)
		rc = sk_policy_password_check(p, k, pw.data, pw.len, &v, &err);
	sodium_memzero(pw.data, pw.len);
	sk_buf_free(&pw);
	sk_policy_free(p);
	if (rc != SK_OK) {
		int code = sk_cli_fail_buf(rc, &err);
		sk_buf_free(&err);
		return rc == SK_ERR_TOO_BIG ? 2 : code;
	}
	sk_buf_free(&err);
	if (json) {
		printf("{\"ok\": %s, \"violations\": [", v ? "false" : "true");
		for (int i = 0, first = 1; i < SK_PWV__COUNT; i++)
			if (v & (1u << i))
				printf("%s\"%s\"", first ? "" : ", ",
				       sk_pw_violation_name((sk_pw_violation)i)),
				    first = 0;
		printf("]}\n");
	} else if (!v) {
		printf("ok\n");
	} else {
		for (int i = 0; i < SK_PWV__COUNT; i++)
			if (v & (1u << i))
				printf("violation: %s\n", sk_pw_violation_name((sk_pw_violation)i));
	}
	return fflush(stdout) == 0 ? 0 : 70;
}

int sk_cmd_password(int argc, char **argv)
{
	static const struct sk_cli_verb verbs[] = {
	    {"check", password_check, CHECK_USAGE},
	    {NULL, NULL, NULL},
	};
	return sk_cli_dispatch(argv[0], verbs, argc - 1, argv + 1);
}
