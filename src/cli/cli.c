/* cli: shared command-line plumbing. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sk_cli_dispatch(const char *noun, const struct sk_cli_verb *verbs, int argc, char **argv)
{
	if (argc >= 1 && argv[0][0] != '-') {
		for (const struct sk_cli_verb *v = verbs; v->verb; v++)
			if (strcmp(v->verb, argv[0]) == 0)
				return v->run(argc, argv);
		fprintf(stderr, "sekisho: unknown command '%s %s'\n", noun, argv[0]);
	} else if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		printf("usage:\n");
		for (const struct sk_cli_verb *v = verbs; v->verb; v++)
			printf("  sekisho %s %s %s\n", noun, v->verb, v->usage);
		return 0;
	} else {
		fprintf(stderr, "sekisho: '%s' needs a command\n", noun);
	}
	fprintf(stderr, "usage:\n");
	for (const struct sk_cli_verb *v = verbs; v->verb; v++)
		fprintf(stderr, "  sekisho %s %s %s\n", noun, v->verb, v->usage);
	return 2;
}

int sk_cli_fail(sk_err e, const char *fmt, ...)
{
	va_list ap;
	fputs("sekisho: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return sk_err_exit_code(e);
}

int sk_cli_fail_buf(sk_err e, const sk_buf *err)
{
	return sk_cli_fail(e, "%s", err && err->len ? err->data : sk_err_str(e));
}

int sk_cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;
	fputs("sekisho: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n", usage);
	return 2;
}

const char *sk_cli_db_url(const char *given)
{
	if (given && *given)
		return given;
	const char *env = getenv("SEKISHO_DB");
	return env && *env ? env : "sekisho.db";
}

int sk_cli_open_store(const char *db, sk_store **s)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_store_open(sk_cli_db_url(db), 0, s, &err);
	int rc = e ? sk_cli_fail_buf(e, &err) : 0;
	sk_buf_free(&err);
	return rc;
}

int sk_cli_finish(sk_store *s, sk_err e, sk_buf *err)
{
	int rc = e ? sk_cli_fail_buf(e, err) : 0;
	sk_store_close(s);
	sk_buf_free(err);
	return rc;
}

int sk_cli_bad_option(const char *usage, int argc, char **argv)
{
	const char *opt = optind - 1 < argc ? argv[optind - 1] : "?";
	return sk_cli_usage_error(usage, "unknown option or missing value: '%s'", opt);
}

int sk_cli_print_json(json_t *j)
{
	int rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_ENCODE_ANY) == 0 ? 0 : 70;
	json_decref(j);
	if (rc == 0 && (fputc('\n', stdout) == EOF || fflush(stdout) != 0))
		rc = 70;
	return rc;
}

bool sk_cli_parse_int(const char *s, long long min, long long max, long long *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

sk_err sk_cli_read_secret_line(sk_buf *out, sk_buf *err)
{
	int c;
	while ((c = getchar()) != EOF && c != '\n') {
		if (sk_buf_addc(out, (char)c))
			return sk_fail(err, SK_ERR_TOO_BIG,
			               "the line on standard input is too long");
	}
	if (out->len && out->data[out->len - 1] == '\r')
		out->data[--out->len] = '\0';
	if (ferror(stdin))
		return sk_fail(err, SK_ERR_IO, "cannot read standard input");
	return SK_OK;
}
