/*
 * commands: one entry function per noun, each in its cmd_<noun>.c. main.c
 * lists them in its table; nothing else calls them.
 */
#ifndef SK_COMMANDS_H
#define SK_COMMANDS_H

int sk_cmd_version(int argc, char **argv);
int sk_cmd_admin_token(int argc, char **argv);
int sk_cmd_audit(int argc, char **argv);
int sk_cmd_asset(int argc, char **argv);
/* --- more nouns are declared below, one line each --- */
int sk_cmd_demo(int argc, char **argv);
int sk_cmd_incident(int argc, char **argv);
int sk_cmd_init(int argc, char **argv);
int sk_cmd_ledger(int argc, char **argv);
int sk_cmd_notify(int argc, char **argv);
int sk_cmd_org(int argc, char **argv);
int sk_cmd_decide(int argc, char **argv);
int sk_cmd_password(int argc, char **argv);
int sk_cmd_policy(int argc, char **argv);
/* `sekisho policy set show|add|remove` (cmd_policyset.c): argv[0] is "set". */
int sk_cmd_policy_set(int argc, char **argv);
struct sk_policy; /* cmd_policy.c: opens --profile for decide and password */
int sk_cmd_policy_open(const char *name, struct sk_policy **p);
/* Prints one line per built-in profile (what document it is), each after indent; 0 or an exit code.
 */
int sk_cmd_policy_print_builtins(const char *indent);
int sk_cmd_record(int argc, char **argv);
int sk_cmd_request(int argc, char **argv);
int sk_cmd_role(int argc, char **argv);
int sk_cmd_sanitize(int argc, char **argv);
int sk_cmd_serve(int argc, char **argv);
int sk_cmd_serve_run(const char *db, const char *listen, int threads); /* for demo */
int sk_cmd_user(int argc, char **argv);

#endif
