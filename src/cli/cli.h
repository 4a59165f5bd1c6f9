/*
 * cli: what every `sekisho <noun> <verb>` command shares: the command table,
 * verb dispatch, error reporting and opening the database.
 *
 * A noun's function gets argv with argv[0] naming the noun, like a git
 * builtin; nouns with verbs pass (argc - 1, argv + 1) to sk_cli_dispatch, so
 * a verb's function sees argv[0] naming the verb, ready for getopt_long.
 * Every function returns the process exit status. Only main() exits.
 */
#ifndef SK_CLI_H
#define SK_CLI_H

#include <jansson.h>
#include <stdbool.h>

#include "../core/sk_buf.h"
#include "../store/store.h"

typedef int (*sk_cli_fn)(int argc, char **argv);

struct sk_cli_verb {
	const char *verb;
	sk_cli_fn run;
	const char *usage; /* one line: the arguments after "sekisho <noun> <verb>" */
};

/*
 * Runs the verb named by argv[0] from the NULL-terminated table verbs; prints
 * the noun's usage and returns 2 when the verb is missing or unknown.
 */
int sk_cli_dispatch(const char *noun, const struct sk_cli_verb *verbs, int argc, char **argv);

/* Prints "sekisho: <message>" on stderr and returns the exit code for e. */
int sk_cli_fail(sk_err e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, with the message an sk_buf collected (or sk_err_str(e) if it is empty). */
int sk_cli_fail_buf(sk_err e, const sk_buf *err);
/* For a bad command line: the message, then the usage line. Returns 2. */
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
 * Ends a command that opened a store: closes s (NULL is fine), reports e with
 * the message collected in err when e is not SK_OK, frees err, and returns
 * the exit status.
 */
int sk_cli_finish(sk_store *s, sk_err e, sk_buf *err);

/*
 * For getopt_long's '?' (opterr = 0): names the unknown option, or the one
 * missing its value, then prints usage. Returns 2.
 */
int sk_cli_bad_option(const char *usage, int argc, char **argv);

/*
 * Prints j on stdout as indented JSON followed by a newline and releases the
 * caller's reference. Returns 0, or 70 if it could not be written.
 */
int sk_cli_print_json(json_t *j);

/*
 * Parses a whole decimal integer in [min, max]; false (and *out untouched)
 * for anything else, including trailing characters.
 */
bool sk_cli_parse_int(const char *s, long long min, long long max, long long *out);

/* Reads one line from stdin (the password for --password-stdin), without the newline. */
sk_err sk_cli_read_secret_line(sk_buf *out, sk_buf *err);

#endif
