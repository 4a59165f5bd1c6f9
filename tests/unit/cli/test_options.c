/* Unit tests of sk_cli_options: the option table every command declares. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"

#define USAGE "[--db URL] [--json] [--limit N] [--role R]... [-o FILE] [ARG...]"

/* What one parse gave. */
struct got {
	const char *db, *out;
	bool json;
	long long limit;
	const char *roles[4];
	int nroles;
};

static int add_role(void *out, const char *value, const char *usage)
{
	struct got *g = out;
	if (g->nroles == 4)
		return sk_cli_usage_error(usage, "too many roles");
	g->roles[g->nroles++] = value;
	return 0;
}

/* Parses the words (argv[0] is the command) into g; returns sk_cli_options's answer. */
static bool parse(struct got *g, int *status, int argc, char **argv)
{
	memset(g, 0, sizeof(*g));
	g->limit = -1;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &g->db),
	    SK_OPT_FLAG("json", &g->json),
	    SK_OPT_NUM("limit", &g->limit, 1, 1000),
	    SK_OPT_FN("role", g, add_role),
	    SK_OPT_STR_L("output", 'o', &g->out),
	    SK_OPT_END,
	};
	*status = -1;
	return sk_cli_options(argc, argv, USAGE, opts, SK_CLI_ANY_ARGS, status);
}

#define ARGV(...)                                                                                  \
	(char *[]) { "cmd", __VA_ARGS__, NULL }
#define ARGC(...)         ((int)(sizeof((char *[]){"cmd", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(g, st, ...) parse(g, st, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void test_values(void **state)
{
	(void)state;
	struct got g;
	int st;
	/* Options and arguments in any order; the last of a repeated string counts. */
	assert_true(PARSE(&g, &st, "first", "--db", "a.db", "--json", "--limit", "7", "--role",
	                  "ciso", "second", "--role", "auditor", "--db=b.db", "-o", "out.csv"));
	assert_string_equal(g.db, "b.db");
	assert_true(g.json);
	assert_int_equal(g.limit, 7);
	assert_int_equal(g.nroles, 2);
	assert_string_equal(g.roles[0], "ciso");
	assert_string_equal(g.roles[1], "auditor");
	assert_string_equal(g.out, "out.csv");
	/* getopt_long puts the arguments after the options: argv[optind..]. */
	char **argv = ARGV("first", "--json", "second", "--", "--db");
	assert_true(parse(&g, &st, ARGC("first", "--json", "second", "--", "--db"), argv));
	assert_true(g.json);
	assert_null(g.db); /* after "--" it is an argument */
	assert_int_equal(ARGC("first", "--json", "second", "--", "--db") - optind, 3);
	assert_string_equal(argv[optind], "first");
	assert_string_equal(argv[optind + 2], "--db");
	/* A long option may be shortened while unambiguous. */
	assert_true(PARSE(&g, &st, "--lim", "3", "--outp", "x"));
	assert_int_equal(g.limit, 3);
	assert_string_equal(g.out, "x");
	assert_int_equal(sk_cli_no_args(ARGC("--lim", "3"), ARGV("--lim", "3"), USAGE), 0);
}

static void test_refusals(void **state)
{
	(void)state;
	struct got g;
	int st;
	/* Each bad command line ends the command with status 2. */
	assert_false(PARSE(&g, &st, "--bogus"));
	assert_int_equal(st, 2);
	assert_false(PARSE(&g, &st, "--db"));
	assert_int_equal(st, 2);
	assert_false(PARSE(&g, &st, "-x"));
	assert_int_equal(st, 2);
	assert_false(PARSE(&g, &st, "--json=yes"));
	assert_int_equal(st, 2);
	const char *bad_numbers[] = {"0", "1001", "-1", "12x", "", "99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad_numbers) / sizeof(bad_numbers[0]); i++) {
		char num[32], opt[] = "--limit";
		snprintf(num, sizeof(num), "%s", bad_numbers[i]);
		assert_false(parse(&g, &st, 3, (char *[]){"cmd", opt, num, NULL}));
		assert_int_equal(st, 2);
		assert_int_equal(g.limit, -1); /* untouched */
	}
	/* A function's refusal is the command's end, with its status. */
	assert_false(PARSE(&g, &st, "--role", "a", "--role", "b", "--role", "c", "--role", "d",
	                   "--role", "e"));
	assert_int_equal(st, 2);
	/* A scan abandoned inside a group of letters does not leak into the next one. */
	assert_false(PARSE(&g, &st, "-hx")); /* -h ends it before the unknown -x */
	assert_int_equal(st, 0);
	assert_true(PARSE(&g, &st, "-o", "out"));
	assert_string_equal(g.out, "out");
	assert_false(g.json);
	/* An argument left over where none is taken. */
	assert_true(PARSE(&g, &st, "--json", "extra"));
	assert_int_equal(sk_cli_no_args(ARGC("--json", "extra"), ARGV("--json", "extra"), USAGE),
	                 2);
}

static void test_help(void **state)
{
	(void)state;
	struct got g;
	int st;
	/* Every command takes --help and -h: the usage, and the command ends with status 0. */
	assert_false(PARSE(&g, &st, "--db", "x", "--help"));
	assert_int_equal(st, 0);
	assert_false(PARSE(&g, &st, "-h"));
	assert_int_equal(st, 0);
}

static void test_not_offered(void **state)
{
	(void)state;
	/* An entry without a destination is left out: its option is unknown, and the entries
	 * after it are still offered. */
	const char *db = NULL, *key = NULL;
	bool json = false;
	const sk_cli_opt opts[] = {SK_OPT_STR("db", &db), SK_OPT_FLAG("json", NULL),
	                           SK_OPT_STR("key", &key), SK_OPT_END};
	int st;
	assert_true(
	    sk_cli_options(5, ARGV("--db", "x", "--key", "k"), USAGE, opts, SK_CLI_ANY_ARGS, &st));
	assert_string_equal(db, "x");
	assert_string_equal(key, "k");
	assert_false(sk_cli_options(2, ARGV("--json"), USAGE, opts, SK_CLI_ANY_ARGS, &st));
	assert_int_equal(st, 2);
	assert_false(json);
}

static void test_argument_count(void **state)
{
	(void)state;
	const char *db = NULL;
	const sk_cli_opt opts[] = {SK_OPT_STR("db", &db), SK_OPT_END};
	int st = -1;
	/* A command that takes no argument, or one, refuses the next one. */
	assert_true(sk_cli_options(3, ARGV("--db", "x"), USAGE, opts, 0, &st));
	assert_false(sk_cli_options(4, ARGV("--db", "x", "stray"), USAGE, opts, 0, &st));
	assert_int_equal(st, 2);
	assert_true(sk_cli_options(4, ARGV("one", "--db", "x"), USAGE, opts, 1, &st));
	assert_false(sk_cli_options(5, ARGV("one", "--db", "x", "two"), USAGE, opts, 1, &st));
	assert_int_equal(st, 2);
	/* SK_CLI_ANY_ARGS leaves them all to the command. */
	assert_true(sk_cli_options(4, ARGV("a", "b", "c"), USAGE, opts, SK_CLI_ANY_ARGS, &st));
}

static void test_boundaries(void **state)
{
	(void)state;
	struct got g;
	int st;
	assert_true(PARSE(&g, &st, "--limit", "1"));
	assert_int_equal(g.limit, 1);
	assert_true(PARSE(&g, &st, "--limit", "1000"));
	assert_int_equal(g.limit, 1000);
	/* No options at all. */
	assert_true(parse(&g, &st, 1, (char *[]){"cmd", NULL}));
	assert_null(g.db);
	assert_false(g.json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values),         cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_help),           cmocka_unit_test(test_not_offered),
	    cmocka_unit_test(test_argument_count), cmocka_unit_test(test_boundaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
