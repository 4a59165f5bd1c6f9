/*
 * cmd_password: `sekisho password check` — reads one password from stdin and
 * checks it against a profile's rules for an account kind and against the
 * floor under every profile (SPEC §3, policy.h), saying which refused.
 * Exits 0 whatever the verdict; 2 for bad input.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../policy/policy.h"
#include "cli.h"
#include "commands.h"

#define CHECK_USAGE                                                                                \
	"--profile PROFILE [--kind normal|privileged|social] [--login LOGIN] [--mfa] [--json] "    \
	"< PASSWORD"

/* What the floor asks, in words, for the text output; who gives the length. */
static const char *floor_reason(sk_pw_violation v, const sk_pw_subject *who, char *buf, size_t n)
{
	switch (v) {
	case SK_PWV_MIN_LENGTH:
		(void)snprintf(buf, n, sk_cli_msg(SK_M_CLI_OUT_PW_FLOOR_MIN),
		               sk_policy_password_floor_min(who),
		               sk_policy_password_floor_min(who) > SK_PW_FLOOR_MIN
		                   ? sk_cli_msg(SK_M_CLI_OUT_PW_FLOOR_PRIVILEGED)
		                   : "");
		return buf;
	case SK_PWV_COMMON_PASSWORD:
		return sk_cli_msg(SK_M_CLI_OUT_PW_FLOOR_COMMON);
	case SK_PWV_CONTEXT_WORD:
		return sk_cli_msg(SK_M_CLI_OUT_PW_FLOOR_CONTEXT);
	case SK_PWV_INVALID_UTF8:
		return sk_cli_msg(SK_M_CLI_OUT_PW_FLOOR_UTF8);
	case SK_PWV_CONTROL_CHARACTER:
		return sk_cli_msg(SK_M_CLI_OUT_PW_FLOOR_CONTROL);
	default:
		return sk_cli_msg(SK_M_CLI_OUT_PW_FLOOR_REFUSED);
	}
}

/* One line per refusal: the rule, and whether the profile or the floor refused it. */
static void print_text(const sk_policy *p, const sk_pw_subject *who, const sk_pw_verdict *v)
{
	if (!v->profile && !v->floor) {
		fputs(sk_cli_msg(SK_M_CLI_OUT_PW_OK), stdout);
		return;
	}
	for (int i = 0; i < SK_PWV__COUNT; i++) {
		/* The rule by its label in Japanese, its stable name in English. */
		const char *name = sk_cli_word("UI_PWV_", sk_pw_violation_name((sk_pw_violation)i));
		char buf[160];
		if (v->profile & (1u << i))
			printf(sk_cli_msg(SK_M_CLI_OUT_VIOLATION), name, sk_policy_city_id(p));
		if (v->floor & (1u << i))
			printf(sk_cli_msg(SK_M_CLI_OUT_VIOLATION_FLOOR), name, SK_PW_FLOOR_CITATION,
			       floor_reason((sk_pw_violation)i, who, buf, sizeof(buf)));
	}
}

/*
 * {"ok", "violations"} as SPEC §3 fixes them (violations: each rule once),
 * then "refusals": each rule with the source that refused it, "profile" or
 * "floor" (both when both did).
 */
static void print_json(const sk_pw_verdict *v)
{
	uint32_t all = v->profile | v->floor;
	printf("{\"ok\": %s, \"violations\": [", all ? "false" : "true");
	for (int i = 0, first = 1; i < SK_PWV__COUNT; i++)
		if (all & (1u << i))
			printf("%s\"%s\"", first ? "" : ", ",
			       sk_pw_violation_name((sk_pw_violation)i)),
			    first = 0;
	printf("], \"refusals\": [");
	for (int i = 0, first = 1; i < SK_PWV__COUNT; i++) {
		static const char *const sources[] = {"profile", "floor"};
		uint32_t bits[] = {v->profile, v->floor};
		for (int k = 0; k < 2; k++)
			if (bits[k] & (1u << i))
				printf("%s{\"rule\": \"%s\", \"source\": \"%s\"}",
				       first ? "" : ", ", sk_pw_violation_name((sk_pw_violation)i),
				       sources[k]),
				    first = 0;
	}
	printf("]}\n");
}

static int password_check(int argc, char **argv)
{
	const char *profile = NULL, *kind = "normal", *login = NULL;
	bool json = false, mfa = false;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("profile", &profile), SK_OPT_STR("kind", &kind),
	    SK_OPT_STR("login", &login),     SK_OPT_FLAG("mfa", &mfa),
	    SK_OPT_FLAG("json", &json),      SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, CHECK_USAGE, opts, 0, &st))
		return st;
	if (!profile)
		return sk_cli_usage_error(CHECK_USAGE, "%s", sk_cli_msg(SK_M_CLI_PROFILE_REQUIRED));
	sk_account_kind k;
	if (sk_account_kind_parse(kind, &k) != SK_OK)
		return sk_cli_fail(SK_ERR_INVALID, sk_cli_msg(SK_M_CLI_UNKNOWN_ACCOUNT_KIND_NORMAL),
		                   kind);
	sk_policy *p;
	int ex = sk_cmd_policy_open(profile, &p);
	if (ex)
		return ex;
	/*
	 * Without --mfa the account is taken to sign in with the password alone,
	 * unless the profile requires a second factor for the kind everywhere:
	 * what the server does for an account with no code enrolled.
	 */
	sk_pw_subject who = {
	    .kind = k, .login = login, .mfa = mfa || sk_policy_mfa_required(p, k, SK_ZONE_NONE)};
	sk_buf pw = SK_BUF_INIT(4096), err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_pw_verdict v = {0};
	sk_err rc = sk_cli_read_secret_line(&pw, &err);
	if (rc == SK_OK)
		rc = sk_policy_password_verdict(p, &who, pw.data, pw.len, &v, &err);
	sodium_memzero(pw.data, pw.len);
	sk_buf_free(&pw);
	if (rc != SK_OK) {
		sk_policy_free(p);
		int code = sk_cli_fail_buf(rc, &err);
		sk_buf_free(&err);
		return rc == SK_ERR_TOO_BIG ? 2 : code;
	}
	sk_buf_free(&err);
	if (json)
		print_json(&v);
	else
		print_text(p, &who, &v);
	sk_policy_free(p);
	return fflush(stdout) == 0 ? 0 : 70;
}

int sk_cmd_password(int argc, char **argv)
{
	static const struct sk_cli_verb verbs[] = {
	    {"check", password_check, CHECK_USAGE, SK_CLI_PERSON, SK_M_VERB_PASSWORD_CHECK},
	    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
	};
	return sk_cli_dispatch(argv[0], verbs, argc - 1, argv + 1);
}
