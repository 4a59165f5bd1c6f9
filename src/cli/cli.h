/*
 * cli: what every `sekisho <noun> <verb>` command shares: the command table,
 * verb dispatch, error reporting and opening the database.
 *
 * A noun's function gets argv with argv[0] naming the noun, like a git
 * builtin; nouns with verbs pass (argc - 1, argv + 1) to sk_cli_dispatch, so
 * a verb's function sees argv[0] naming the verb, ready for sk_cli_options.
 * Every function returns the process exit status. Only main() exits.
 */
#ifndef SK_CLI_H
#define SK_CLI_H

#include <getopt.h> /* optind: where a command's arguments start after sk_cli_options */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "../core/sk_buf.h"
#include "../core/sk_msg.h"
#include "../domain/actor.h"
#include "../store/store.h"

typedef int (*sk_cli_fn)(int argc, char **argv);

struct sk_cli_verb {
	const char *verb;
	sk_cli_fn run;
	/* the arguments after "sekisho <noun> <verb>", placeholders in capitals (usage.c) */
	const char *usage;
	/*
	 * An installation-level command (SK_CLI_INSTALL): it acts as the operator,
	 * "cli:<unix user>". Every other command that opens a database acts for
	 * a person (see sk_cli_identify).
	 */
	bool install;
	sk_msg_id summary; /* one line for --help, from the catalog (VERB_*) */
};
#define SK_CLI_INSTALL true
#define SK_CLI_PERSON  false

/*
 * Adds word to the name of the command being run ("sekisho", then the noun
 * from main(), then the verb from sk_cli_dispatch), which usage lines begin
 * with: every usage string in the commands is only what follows the name.
 */
void sk_cli_name_command(const char *word);
/* The name of the command being run, "sekisho asset add". */
const char *sk_cli_command_name(void);

/*
 * --help in the reader's language (src/cli/usage.c, issue 15 item 1). A
 * usage string is the syntax after the command's name: option names and
 * the words a person types as typed, a placeholder in capitals where a
 * value goes ("--db URL"), worded from the catalog (usage.c's table), a
 * newline before another form of the command.
 */
/* Sets the command's one-line summary --help prints (main: the noun's; sk_cli_dispatch: the
 * verb's). */
void sk_cli_describe_command(sk_msg_id summary);
/*
 * Prints lead (NULL: the heading "usage: "/"使い方: "), name and usage on f, one line
 * for each form, the placeholders worded.
 */
void sk_cli_put_usage(FILE *f, const char *lead, const char *name, const char *usage);
/* A command's --help on stdout: its usage line ("使い方: sekisho …") and its summary. */
void sk_cli_help(const char *usage);
/* A noun's --help (or its usage after a missing or unknown verb) on f: each verb, its summary. */
void sk_cli_verbs_usage(FILE *f, const struct sk_cli_verb *verbs);
/*
 * Takes --lang ja|en (or --lang=…) out of the command line wherever it stands
 * before "--", and makes it the language of everything the command prints,
 * over LANG. 0, or 2 after a bad value.
 */
int sk_cli_take_lang(int *argc, char **argv);

/*
 * Runs the verb named by argv[0] from the NULL-terminated table verbs; prints
 * the noun's usage and returns 2 when the verb is missing or unknown.
 */
int sk_cli_dispatch(const char *noun, const struct sk_cli_verb *verbs, int argc, char **argv);

/* The catalog's format for id in the CLI's language (LANG): what sk_cli_fail and the rest take. */
const char *sk_cli_msg(sk_msg_id id);

/*
 * A vocabulary word as the reader reads it: in Japanese the web UI's catalog
 * label named prefix + name upper-cased ("UI_INC_ST_" and "closed" give
 * UI_INC_ST_CLOSED, 終結), so the CLI and the web show one label; in
 * English, or when the catalog has none, the stable name itself ("" for NULL).
 */
const char *sk_cli_word(const char *prefix, const char *name);

/* A word of the policy's vocabulary v (an action, a zone …) as the reader reads it: its label in
 * Japanese, its name in English. */
const char *sk_cli_vocab(int v, const char *name);

/*
 * A policy document's kinds, separated by sep ("basic_policy,standards") as
 * the reader reads them: in Japanese their catalog labels joined by 「、」
 * (情報セキュリティ基本方針、情報セキュリティ対策基準), in English as given. Returns out.
 */
const char *sk_cli_doc_kinds(const char *kinds, char sep, char *out, size_t max);

/* A role as the reader reads it: the profile's title in Japanese, else the guideline's title. */
const char *sk_cli_role(const char *name);

/* An RFC 3339 time (UTC as stored) in the installation's time zone, in out; the text as is when it
 * is not one. */
const char *sk_cli_local_time(const char *rfc3339, char *out, size_t max);

/* The message err holds in the CLI's language (e's general sentence when err is empty). */
const char *sk_cli_err(const sk_buf *err, sk_err e);

/* Prints "sekisho: <message>" on stderr and returns the exit code for e. */
int sk_cli_fail(sk_err e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, with the message an sk_buf collected (or sk_err_str(e) if it is empty). */
int sk_cli_fail_buf(sk_err e, const sk_buf *err);
/*
 * For a bad command line: the message, then the usage line (after the
 * command's name: usage holds only what follows it). Returns 2.
 */
int sk_cli_usage_error(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The database URL: --db if given, else $SEKISHO_DB, else "sekisho.db". */
const char *sk_cli_db_url(const char *given);

/*
 * Opens the existing database named by db (see sk_cli_db_url), bringing its
 * schema up to date. Returns 0 with *s the caller's, or prints the problem
 * and returns the exit status to end the command with.
 */
int sk_cli_open_store(const char *db, sk_store **s);

/*
 * Who the command acts for (src/cli/identity.c, issue 15 item 6). main()
 * takes the global options before the command: --as LOGIN, --password-file
 * FILE, --admin-token FILE; 0 or the exit status after a bad one.
 */
int sk_cli_global_options(int *argc, char ***argv);
/* Sets whether the command about to run is installation-level, and its name for messages. */
void sk_cli_set_install(bool install, const char *command);
/*
 * Makes the command about to run installation-level when it grants, revokes
 * or appoints with role one of the roles no account ranks above (the CISO,
 * sk_role_info.rank): nobody may, so appointing the top of the chain of
 * command is the operator's act, as `init --admin` is. command names it in
 * messages ("sekisho role grant --role ciso").
 */
void sk_cli_install_for_role(const char *role, const char *command);
/* The operator's rules about one account (sk_cli_operator_for). */
typedef enum sk_cli_operator_rule {
	SK_CLI_OPERATOR_UNLOCK, /* the operator may unlock an account that could unlock */
	SK_CLI_OPERATOR_TOP,    /* only the operator disables or enables a top-rank account */
} sk_cli_operator_rule;
/*
 * Where no person can (issue 15 item 6), makes the command about to run on
 * the account login the operator's act. SK_CLI_OPERATOR_TOP: when login
 * holds a role no account ranks above (the CISO), the command is
 * installation-level, as appointing the CISO is (sk_cli_install_for_role):
 * the rank rule lets nobody disable or enable it. SK_CLI_OPERATOR_UNLOCK:
 * with the admin token and no --as, the operator ("cli:<unix user>", from
 * "cli:admin-token") unlocks login when login holds user.admin somewhere,
 * that is when it could unlock others: otherwise, with every such account
 * locked, nobody could. Any other account is unlocked by a person (--as).
 * command names the command in messages.
 */
void sk_cli_operator_for(sk_cli_operator_rule rule, const char *login, const char *command);
/*
 * An option function (SK_OPT_FN) for a command's own --as LOGIN, the same
 * as the global one: *(const char **)out = login when out is not NULL.
 */
int sk_cli_take_as(void *out, const char *login, const char *usage);
/* Sets the admin token's file, as --admin-token before the command does; 0. */
int sk_cli_global_token(const char *path);
/* The login --as named, or NULL. */
const char *sk_cli_as_given(void);
/*
 * Settles who the command acts for on s (opened from db_url), once:
 * an installation-level command acts as the operator (and refuses --as);
 * any other needs an account: --as LOGIN proved with its password
 * (--password-file, SEKISHO_PASSWORD_FD or the terminal) or with the admin
 * token (--admin-token or SEKISHO_ADMIN_TOKEN, else the file beside an
 * SQLite database), or the Unix user mapped to an account; the admin token
 * alone acts as the operator. 0, or the exit status after saying why not.
 * sk_cli_open_store calls it.
 */
int sk_cli_identify(sk_store *s, const char *db_url);
/* The actor settled by sk_cli_identify (the operator before, or for commands without a store). */
const sk_actor *sk_cli_actor(void);
/*
 * Makes the installation's admin token (or, without replace, takes the file
 * that is there already) at the admin token's path and keeps its SHA-256 in
 * s; path receives where it is. SK_ERR_EXISTS when s has one and not replace.
 */
sk_err sk_cli_token_make(sk_store *s, const char *db_url, bool replace, sk_buf *path, sk_buf *err);

/*
 * The context of the actor the command acts for (sk_cli_actor) on s, for domain
 * calls: made when first asked for with this store, the installation's
 * profile loaded once when first needed. One command works on one store;
 * asking with another store starts afresh. Released by sk_cli_finish, or
 * left to the end of the process.
 */
struct sk_ctx *sk_cli_ctx(sk_store *s);

/* The actor the command acts for, with its login kept. */
typedef struct sk_cli_as {
	sk_actor actor;
	char login[256];
} sk_cli_as;

/*
 * Fills *out with the actor the command acts for on s (sk_cli_identify);
 * login is the command's --as, taken already by sk_cli_take_as. 0, or the
 * exit status after printing why not.
 */
int sk_cli_as_actor(sk_store *s, const char *login, sk_cli_as *out);

/*
 * Ends a command that opened a store: closes s (NULL is fine), reports e with
 * the message collected in err when e is not SK_OK, frees err, and returns
 * the exit status.
 */
int sk_cli_finish(sk_store *s, sk_err e, sk_buf *err);

/*
 * A command's options, declared once as a table (ended by an entry whose
 * name is NULL) and parsed by sk_cli_options the way every command shares:
 * getopt_long underneath, so options and arguments may come in any order,
 * "--" ends the options and a long option may be shortened while it stays
 * unambiguous; an unknown option, a missing value or a number out of range
 * is reported by name, followed by the usage line, with exit status 2.
 * Every command also takes --help (or -h): its usage line on stdout, exit
 * status 0. An entry whose destination is NULL is not offered, so a helper
 * shared by several verbs can leave out what one of them does not take.
 */
typedef enum {
	SK_OPT_KIND_STR, /* --name VALUE: *(const char **)out = VALUE (given twice, the last counts)
	                  */
	SK_OPT_KIND_FLAG, /* --name: *(bool *)out = true */
	SK_OPT_KIND_NUM,  /* --name N: *(long long *)out = N, a whole number in [min, max] */
	SK_OPT_KIND_FN, /* --name VALUE: fn(out, VALUE, usage), for options that gather or check */
} sk_cli_opt_kind;

typedef struct sk_cli_opt {
	const char *name;   /* without the leading "--" */
	void *out;          /* where the value goes (for SK_OPT_KIND_FN: its first argument) */
	long long min, max; /* SK_OPT_KIND_NUM */
	/* SK_OPT_KIND_FN: returns 0 to go on, or the exit status after printing why not */
	int (*fn)(void *out, const char *value, const char *usage);
	sk_cli_opt_kind kind;
	char letter; /* a one-letter form ("-o FILE" for "--output FILE"), or 0 */
} sk_cli_opt;

/* Table entries; each checks the type of where the value goes. *_L: with a one-letter form. */
#define SK_OPT_STR_L(nm, l, p)                                                                     \
	{                                                                                          \
		.name = (nm), .out = (void *)(1 ? (p) : (const char **)NULL),                      \
		.kind = SK_OPT_KIND_STR, .letter = (l)                                             \
	}
#define SK_OPT_FLAG(nm, p)                                                                         \
	{                                                                                          \
		.name = (nm), .out = (void *)(1 ? (p) : (bool *)NULL), .kind = SK_OPT_KIND_FLAG    \
	}
#define SK_OPT_NUM_L(nm, l, p, lo, hi)                                                             \
	{                                                                                          \
		.name = (nm), .out = (void *)(1 ? (p) : (long long *)NULL), .min = (lo),           \
		.max = (hi), .kind = SK_OPT_KIND_NUM, .letter = (l)                                \
	}
#define SK_OPT_STR(nm, p)         SK_OPT_STR_L(nm, 0, p)
#define SK_OPT_NUM(nm, p, lo, hi) SK_OPT_NUM_L(nm, 0, p, lo, hi)
#define SK_OPT_FN(nm, p, f)                                                                        \
	{                                                                                          \
		.name = (nm), .out = (p), .fn = (f), .kind = SK_OPT_KIND_FN                        \
	}
#define SK_OPT_END                                                                                 \
	{                                                                                          \
		.name = NULL                                                                       \
	}

/*
 * Parses the options in argv (argv[0] names the command) against opts.
 * args is how many arguments the command takes besides its options: more
 * are refused as unexpected; SK_CLI_ANY_ARGS leaves them to the command.
 * true: the command goes on, its arguments at argv[optind] to
 * argv[argc - 1]; false: it ends with *status (2 after a bad command line, 0
 * after --help), the message already printed.
 */
#define SK_CLI_ANY_ARGS (-1)
bool sk_cli_options(int argc, char **argv, const char *usage, const sk_cli_opt *opts, int args,
                    int *status);

/*
 * For a command that has taken the arguments it wants: 2 (after saying so)
 * if any is left, or 0.
 */
int sk_cli_no_args(int argc, char **argv, const char *usage);

/*
 * For a command about one account, after sk_cli_options with
 * SK_CLI_ANY_ARGS: *login is what its option gave or else the one argument
 * left (`user show alice` as `user show --login alice`). 0, or 2 after
 * saying so: missing (the catalog's "which account" sentence) when neither
 * names one, or an argument left over.
 */
int sk_cli_login_arg(int argc, char **argv, const char *usage, const char **login,
                     sk_msg_id missing);

/*
 * Prints j on stdout as indented JSON followed by a newline and releases the
 * caller's reference. Returns 0, or 70 if it could not be written.
 */
int sk_cli_print_json(json_t *j);

/*
 * For a command that takes no arguments and opens the store as soon as its
 * options are read: sk_cli_options (args 0), then sk_cli_open_store with
 * *db, the value the --db option in opts was read into. true: go on, *s
 * open; false: end with *status, the message already printed.
 */
bool sk_cli_options_store(int argc, char **argv, const char *usage, const sk_cli_opt *opts,
                          const char *const *db, sk_store **s, int *status);

/*
 * For a command that takes only --db and --json: parses them (--help too)
 * and opens the store. true: go on, *s open and *json set; false: end with
 * *status, the message already printed.
 */
bool sk_cli_open_db_json(int argc, char **argv, const char *usage, sk_store **s, bool *json,
                         int *status);

/* Prints a command's result (or one element of it) as text. */
typedef void (*sk_cli_text_fn)(const json_t *j);

/*
 * Ends a command whose domain call gave res (e its outcome) the way every
 * reading command does: on failure reports e; else prints res as indented
 * JSON when json is set, or as text through text(res). Releases res, then
 * ends as sk_cli_finish (closes s, frees err). Returns the exit status.
 */
int sk_cli_finish_json(sk_store *s, sk_err e, sk_buf *err, json_t *res, bool json,
                       sk_cli_text_fn text);
/* The same for a list: as text, row() is called for each element of the array list. */
int sk_cli_finish_list(sk_store *s, sk_err e, sk_buf *err, json_t *list, bool json,
                       sk_cli_text_fn row);

/*
 * Parses a whole decimal integer in [min, max]; false (and *out untouched)
 * for anything else, including trailing characters.
 */
bool sk_cli_parse_int(const char *s, long long min, long long max, long long *out);

/* Reads one line from stdin (the password for --password-stdin), without the newline. */
sk_err sk_cli_read_secret_line(sk_buf *out, sk_buf *err);

#endif
