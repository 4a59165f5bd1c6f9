/*
 * main: the sekisho binary. Finds the noun in the command table and hands it
 * the rest of the command line. Nothing here knows what a command does.
 */
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../core/sk_msg.h"
#include "cli.h"
#include "commands.h"

struct command {
	const char *noun;
	int (*run)(int argc, char **argv);
	sk_msg_id summary; /* one line for --help, from the catalog */
	/*
	 * Installation-level (acts as the operator, see cli.h); a noun with verbs
	 * says it per verb instead, in its own table.
	 */
	bool install;
};

/* Keep sorted by noun: --help prints it in this order. */
static const struct command commands[] = {
    {"admin-token", sk_cmd_admin_token, SK_M_CMD_ADMIN_TOKEN, SK_CLI_INSTALL},
    {"asset", sk_cmd_asset, SK_M_CMD_ASSET, SK_CLI_PERSON},
    {"audit", sk_cmd_audit, SK_M_CMD_AUDIT, SK_CLI_PERSON},
    {"decide", sk_cmd_decide, SK_M_CMD_DECIDE, SK_CLI_PERSON},
    {"demo", sk_cmd_demo, SK_M_CMD_DEMO, SK_CLI_INSTALL},
    {"incident", sk_cmd_incident, SK_M_CMD_INCIDENT, SK_CLI_PERSON},
    {"init", sk_cmd_init, SK_M_CMD_INIT, SK_CLI_INSTALL},
    {"ledger", sk_cmd_ledger, SK_M_CMD_LEDGER, SK_CLI_PERSON},
    {"notify", sk_cmd_notify, SK_M_CMD_NOTIFY, SK_CLI_PERSON},
    {"org", sk_cmd_org, SK_M_CMD_ORG, SK_CLI_PERSON},
    {"password", sk_cmd_password, SK_M_CMD_PASSWORD, SK_CLI_PERSON},
    {"policy", sk_cmd_policy, SK_M_CMD_POLICY, SK_CLI_PERSON},
    {"record", sk_cmd_record, SK_M_CMD_RECORD, SK_CLI_PERSON},
    {"request", sk_cmd_request, SK_M_CMD_REQUEST, SK_CLI_PERSON},
    {"role", sk_cmd_role, SK_M_CMD_ROLE, SK_CLI_PERSON},
    {"sanitize", sk_cmd_sanitize, SK_M_CMD_SANITIZE, SK_CLI_INSTALL},
    {"serve", sk_cmd_serve, SK_M_CMD_SERVE, SK_CLI_INSTALL},
    {"user", sk_cmd_user, SK_M_CMD_USER, SK_CLI_PERSON},
    {"version", sk_cmd_version, SK_M_CMD_VERSION, SK_CLI_PERSON},
    /* --- one line per noun, sorted --- */
};

static void usage(FILE *f)
{
	sk_lang l = sk_lang_from_env();
	sk_cli_put_usage(f, NULL, "sekisho", "COMMAND [ARGS]");
	fprintf(f, "\n%s\n", sk_msg_format(SK_M_CLI_COMMANDS, l));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-12s %s\n", commands[i].noun, sk_msg_format(commands[i].summary, l));
	fprintf(f, "\n%s\n", sk_msg_format(SK_M_CLI_HELP_HINT, l));
	fprintf(f, "%s\n", sk_msg_format(SK_M_CLI_GLOBAL_HELP, l));
	fprintf(f, "%s\n", sk_msg_format(SK_M_CLI_LANG_HELP, l));
}

int main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	if (sodium_init() < 0) {
		fprintf(stderr, "sekisho: %s\n", sk_cli_msg(SK_M_CLI_NO_SODIUM));
		return 70;
	}
	int rc = sk_cli_take_lang(&argc, argv);
	if (!rc)
		rc = sk_cli_global_options(&argc, &argv);
	if (rc)
		return rc;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return sk_cmd_version(1, argv + 1);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].noun, argv[1]) == 0) {
			sk_cli_name_command(commands[i].noun);
			sk_cli_describe_command(commands[i].summary);
			sk_cli_set_install(commands[i].install, commands[i].noun);
			return commands[i].run(argc - 2 + 1, argv + 1);
		}
	fputs("sekisho: ", stderr);
	fprintf(stderr, sk_msg_format(SK_M_CLI_UNKNOWN_NOUN, sk_lang_from_env()), argv[1]);
	fputc('\n', stderr);
	usage(stderr);
	return 2;
}
