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
};

/* Keep sorted by noun: --help prints it in this order. */
static const struct command commands[] = {
    {"asset", sk_cmd_asset, SK_M_CMD_ASSET},
    {"audit", sk_cmd_audit, SK_M_CMD_AUDIT},
    {"decide", sk_cmd_decide, SK_M_CMD_DECIDE},
    {"demo", sk_cmd_demo, SK_M_CMD_DEMO},
    {"incident", sk_cmd_incident, SK_M_CMD_INCIDENT},
    {"init", sk_cmd_init, SK_M_CMD_INIT},
    {"ledger", sk_cmd_ledger, SK_M_CMD_LEDGER},
    {"notify", sk_cmd_notify, SK_M_CMD_NOTIFY},
    {"org", sk_cmd_org, SK_M_CMD_ORG},
    {"password", sk_cmd_password, SK_M_CMD_PASSWORD},
    {"policy", sk_cmd_policy, SK_M_CMD_POLICY},
    {"record", sk_cmd_record, SK_M_CMD_RECORD},
    {"request", sk_cmd_request, SK_M_CMD_REQUEST},
    {"role", sk_cmd_role, SK_M_CMD_ROLE},
    {"sanitize", sk_cmd_sanitize, SK_M_CMD_SANITIZE},
    {"serve", sk_cmd_serve, SK_M_CMD_SERVE},
    {"user", sk_cmd_user, SK_M_CMD_USER},
    {"version", sk_cmd_version, SK_M_CMD_VERSION},
    /* --- one line per noun, sorted --- */
};

static void usage(FILE *f)
{
	sk_lang l = sk_lang_from_env();
	fprintf(f, "%s sekisho <command> [<args>]\n\n%s\n", sk_msg_format(SK_M_CLI_USAGE, l),
	        sk_msg_format(SK_M_CLI_COMMANDS, l));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].noun, sk_msg_format(commands[i].summary, l));
	fprintf(f, "\n%s\n", sk_msg_format(SK_M_CLI_HELP_HINT, l));
}

int main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	if (sodium_init() < 0) {
		fprintf(stderr, "sekisho: cannot initialise libsodium\n");
		return 70;
	}
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
			return commands[i].run(argc - 2 + 1, argv + 1);
		}
	fputs("sekisho: ", stderr);
	fprintf(stderr, sk_msg_format(SK_M_CLI_UNKNOWN_NOUN, sk_lang_from_env()), argv[1]);
	fputc('\n', stderr);
	usage(stderr);
	return 2;
}
