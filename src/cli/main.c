/*
 * main: the sekisho binary. Finds the noun in the command table and hands it
 * the rest of the command line. Nothing here knows what a command does.
 */
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

struct command {
	const char *noun;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* Keep sorted by noun: --help prints it in this order. */
static const struct command commands[] = {
    {"asset", sk_cmd_asset, "the information asset register: add, list, import, export"},
    {"audit", sk_cmd_audit, "the tamper-evident audit log: checkpoint, verify, prove, export"},
    {"decide", sk_cmd_decide, "answer a handling decision (SPEC §3) from a policy profile"},
    {"demo", sk_cmd_demo, "create (or reuse) a sample city to try sekisho with"},
    {"incident", sk_cmd_incident,
     "incidents and 障害記録: report, list, show, escalate, respond, close, attach"},
    {"init", sk_cmd_init, "create an installation and its CISO account"},
    {"ledger", sk_cmd_ledger,
     "ledgers of requests (持ち出し記録, 廃棄記録, 鍵管理簿 …): list, export"},
    {"notify", sk_cmd_notify, "notifications: test mail settings, send the mail queue"},
    {"org", sk_cmd_org,
     "the organization tree: add, list, move units; check that requests can be routed"},
    {"password", sk_cmd_password, "check a password against a profile's rules"},
    {"policy", sk_cmd_policy,
     "policy profiles: check, coverage, export, list; versions: import, versions, activate, diff"},
    {"record", sk_cmd_record, "records kept for the profile's retention periods: retention, purge"},
    {"request", sk_cmd_request, "file, list and decide requests (持ち出し, 廃棄, 例外措置 …)"},
    {"role", sk_cmd_role, "grant, revoke and list roles"},
    {"sanitize", sk_cmd_sanitize, "make an internet mail safe for the LGWAN side (無害化)"},
    {"serve", sk_cmd_serve, "serve the JSON API (and /healthz, /metrics) over HTTP"},
    {"user", sk_cmd_user, "accounts: add, list, show, disable, enable"},
    {"version", sk_cmd_version, "print the version"},
    /* --- one line per noun, sorted --- */
};

static void usage(FILE *f)
{
	fprintf(f, "usage: sekisho <command> [<args>]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].noun, commands[i].summary);
	fprintf(f, "\n'sekisho <command> --help' describes a command.\n");
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
	fprintf(stderr, "sekisho: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
