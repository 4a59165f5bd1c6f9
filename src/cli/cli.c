/* cli: shared command-line plumbing. */
#include "../core/sk_clock.h"
#include "../core/sk_msg.h"
#include "cli.h"
#include "../domain/actor.h"
#include "../domain/ctx.h"
#include "../domain/install.h"
#include "../domain/role.h"
#include "../policy/policy.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char command_name[128] = "sekisho";

void sk_cli_name_command(const char *word)
{
	size_t n = strlen(command_name);
	snprintf(command_name + n, sizeof(command_name) - n, " %s", word);
}

const char *sk_cli_command_name(void) { return command_name; }

int sk_cli_dispatch(const char *noun, const struct sk_cli_verb *verbs, int argc, char **argv)
{
	if (argc >= 1 && argv[0][0] != '-') {
		for (const struct sk_cli_verb *v = verbs; v->verb; v++)
			if (strcmp(v->verb, argv[0]) == 0) {
				sk_cli_name_command(v->verb);
				sk_cli_describe_command(v->summary);
				sk_cli_set_install(v->install, command_name);
				return v->run(argc, argv);
			}
		fputs("sekisho: ", stderr);
		fprintf(stderr, sk_msg_format(SK_M_CLI_UNKNOWN_COMMAND, sk_lang_from_env()), noun,
		        argv[0]);
		fputc('\n', stderr);
	} else if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		sk_cli_verbs_usage(stdout, verbs);
		return 0;
	} else {
		fputs("sekisho: ", stderr);
		fprintf(stderr, sk_msg_format(SK_M_CLI_NEEDS_COMMAND, sk_lang_from_env()), noun);
		fputc('\n', stderr);
	}
	sk_cli_verbs_usage(stderr, verbs);
	return 2;
}

const char *sk_cli_msg(sk_msg_id id) { return sk_msg_format(id, sk_lang_from_env()); }

const char *sk_cli_word(const char *prefix, const char *name)
{
	if (!name)
		return "";
	if (sk_lang_from_env() != SK_LANG_JA)
		return name;
	char key[96];
	size_t n = (size_t)snprintf(key, sizeof(key), "%s", prefix);
	for (const char *p = name; *p && n + 1 < sizeof(key); p++)
		key[n++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
	key[n < sizeof(key) ? n : sizeof(key) - 1] = '\0';
	int id = sk_msg_find(key);
	return id >= 0 ? sk_msg_format((sk_msg_id)id, SK_LANG_JA) : name;
}

const char *sk_cli_vocab(int v, const char *name)
{
	if (!name || sk_lang_from_env() != SK_LANG_JA)
		return name ? name : "";
	int x = sk_vocab_find((sk_vocab)v, name);
	const char *l = x >= 0 ? sk_vocab_label((sk_vocab)v, x, SK_LANG_JA) : NULL;
	return l ? l : name;
}

const char *sk_cli_doc_kinds(const char *kinds, char sep, char *out, size_t max)
{
	if (!kinds || sk_lang_from_env() != SK_LANG_JA) {
		snprintf(out, max, "%s", kinds ? kinds : "");
		return out;
	}
	size_t n = 0;
	out[0] = '\0';
	for (const char *p = kinds; *p && n < max;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char one[64];
		snprintf(one, sizeof(one), "%.*s", (int)len, p);
		int w = snprintf(out + n, max - n, "%s%s", n ? "、" : "",
		                 sk_cli_word("UI_DOC_KIND_", one));
		n += w > 0 ? (size_t)w : 0;
		p += len + (end ? 1 : 0);
	}
	return out;
}

const char *sk_cli_local_time(const char *rfc3339, char *out, size_t max)
{
	int64_t us;
	char local[SK_TIME_STR_MAX];
	if (!rfc3339 || sk_clock_parse_us(rfc3339, &us) != SK_OK)
		return rfc3339 ? rfc3339 : "";
	sk_clock_format_local_us(us, local);
	snprintf(out, max, "%s", local);
	return out;
}

const char *sk_cli_err(const sk_buf *err, sk_err e)
{
	return sk_msg_of(err, e, sk_lang_from_env());
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
	return sk_cli_fail(e, "%s", sk_msg_of(err, e, sk_lang_from_env()));
}

int sk_cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;
	fputs("sekisho: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	sk_cli_put_usage(stderr, NULL, command_name, usage);
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
	/* Times are shown in the installation's zone. */
	if (!e && (e = sk_install_apply_zone(*s, &err))) {
		sk_store_close(*s);
		*s = NULL;
	}
	int rc = e ? sk_cli_fail_buf(e, &err) : 0;
	sk_buf_free(&err);
	if (!rc && (rc = sk_cli_identify(*s, sk_cli_db_url(db)))) {
		sk_store_close(*s);
		*s = NULL;
	}
	return rc;
}

static sk_ctx cli_ctx;

const char *sk_cli_role(const char *name)
{
	sk_role r;
	if (!name || sk_role_parse(name, &r) != SK_OK)
		return name ? name : "";
	/* The installation's profile words it, when a command has its database open. */
	const sk_policy *pol = NULL;
	if (cli_ctx.store) {
		sk_buf e = SK_BUF_INIT(SK_BUF_MSG_MAX);
		if (sk_ctx_policy(&cli_ctx, &pol, &e))
			pol = NULL;
		sk_buf_free(&e);
	}
	return sk_policy_role_title(pol, r, sk_lang_from_env());
}

sk_ctx *sk_cli_ctx(sk_store *s)
{
	if (cli_ctx.store != s) {
		sk_ctx_fini(&cli_ctx);
		sk_ctx_init(&cli_ctx, s, NULL, sk_cli_actor());
		cli_ctx.lang = sk_lang_code(sk_lang_from_env());
	}
	return &cli_ctx;
}

int sk_cli_as_actor(sk_store *s, const char *login, sk_cli_as *out)
{
	memset(out, 0, sizeof(*out));
	(void)login; /* taken by sk_cli_take_as, settled when s was opened */
	int rc = sk_cli_identify(s, s->url);
	if (rc)
		return rc;
	out->actor = *sk_cli_actor();
	snprintf(out->login, sizeof(out->login), "%s", out->actor.login);
	out->actor.login = out->login;
	return 0;
}

int sk_cli_finish(sk_store *s, sk_err e, sk_buf *err)
{
	if (cli_ctx.store == s) {
		sk_ctx_fini(&cli_ctx);
		memset(&cli_ctx, 0, sizeof(cli_ctx));
	}
	int rc = e ? sk_cli_fail_buf(e, err) : 0;
	sk_store_close(s);
	sk_buf_free(err);
	return rc;
}

#define MAX_OPTS 48

bool sk_cli_options(int argc, char **argv, const char *usage, const sk_cli_opt *opts, int args,
                    int *status)
{
	struct option lo[MAX_OPTS + 2];
	char letters[2 * MAX_OPTS + 2];
	size_t n = 0, nlo = 0, nl = 0;
	for (; opts[n].name; n++) {
		if (n == MAX_OPTS) {
			*status =
			    sk_cli_fail(SK_ERR_INTERNAL, "a command declares too many options");
			return false;
		}
		if (!opts[n].out)
			continue; /* not offered by this command */
		bool value = opts[n].kind != SK_OPT_KIND_FLAG;
		/* getopt_long answers a long option with its index (past every letter's code). */
		lo[nlo++] = (struct option){opts[n].name, value ? required_argument : no_argument,
		                            NULL, (int)n + 256};
		if (opts[n].letter) {
			letters[nl++] = opts[n].letter;
			if (value)
				letters[nl++] = ':';
		}
	}
	lo[nlo] = (struct option){"help", no_argument, NULL, 'h'};
	lo[nlo + 1] = (struct option){NULL, 0, NULL, 0};
	letters[nl++] = 'h';
	letters[nl] = '\0';
	opterr = 0;
	/* 0, not 1: glibc then also forgets where an earlier, abandoned scan stopped inside a
	 * group of letters ("-xo"), so a second parse in one process starts clean. */
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, letters, lo, NULL)) != -1) {
		if (c == 'h') {
			sk_cli_help(usage);
			*status = 0;
			return false;
		}
		const sk_cli_opt *o = NULL;
		if (c >= 256 && c < (int)n + 256)
			o = &opts[c - 256];
		for (size_t i = 0; !o && c != '?' && c != ':' && i < n; i++)
			if (opts[i].letter == c && opts[i].out)
				o = &opts[i];
		if (!o || !o->out) {
			const char *opt = optind - 1 < argc ? argv[optind - 1] : "?";
			*status = sk_cli_usage_error(
			    usage, sk_msg_format(SK_M_CLI_BAD_OPTION, sk_lang_from_env()), opt);
			return false;
		}
		long long v;
		switch (o->kind) {
		case SK_OPT_KIND_STR:
			*(const char **)o->out = optarg;
			break;
		case SK_OPT_KIND_FLAG:
			*(bool *)o->out = true;
			break;
		case SK_OPT_KIND_NUM:
			if (!sk_cli_parse_int(optarg, o->min, o->max, &v)) {
				sk_lang l = sk_lang_from_env();
				*status =
				    o->max == LLONG_MAX
				        ? sk_cli_usage_error(usage,
				                             sk_msg_format(SK_M_CLI_NUM_MIN, l),
				                             o->name, o->min, optarg)
				        : sk_cli_usage_error(usage,
				                             sk_msg_format(SK_M_CLI_NUM_RANGE, l),
				                             o->name, o->min, o->max, optarg);
				return false;
			}
			*(long long *)o->out = v;
			break;
		case SK_OPT_KIND_FN:
			if ((*status = o->fn(o->out, optarg, usage)) != 0)
				return false;
			break;
		}
	}
	if (args != SK_CLI_ANY_ARGS && argc - optind > args) {
		*status = sk_cli_usage_error(
		    usage, sk_msg_format(SK_M_CLI_UNEXPECTED_ARG, sk_lang_from_env()),
		    argv[optind + args]);
		return false;
	}
	return true;
}

int sk_cli_no_args(int argc, char **argv, const char *usage)
{
	return optind < argc
	           ? sk_cli_usage_error(usage,
	                                sk_msg_format(SK_M_CLI_UNEXPECTED_ARG, sk_lang_from_env()),
	                                argv[optind])
	           : 0;
}

int sk_cli_login_arg(int argc, char **argv, const char *usage, const char **login,
                     sk_msg_id missing)
{
	if (optind < argc && !*login)
		*login = argv[optind++];
	int st = sk_cli_no_args(argc, argv, usage);
	if (!st && !*login)
		st = sk_cli_usage_error(usage, "%s", sk_cli_msg(missing));
	return st;
}

int sk_cli_print_json(json_t *j)
{
	int rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_ENCODE_ANY) == 0 ? 0 : 70;
	json_decref(j);
	if (rc == 0 && (fputc('\n', stdout) == EOF || fflush(stdout) != 0))
		rc = 70;
	return rc;
}

bool sk_cli_options_store(int argc, char **argv, const char *usage, const sk_cli_opt *opts,
                          const char *const *db, sk_store **s, int *status)
{
	if (!sk_cli_options(argc, argv, usage, opts, 0, status))
		return false;
	return (*status = sk_cli_open_store(*db, s)) == 0;
}

bool sk_cli_open_db_json(int argc, char **argv, const char *usage, sk_store **s, bool *json,
                         int *status)
{
	const char *db = NULL;
	const sk_cli_opt opts[] = {SK_OPT_STR("db", &db), SK_OPT_FLAG("json", json), SK_OPT_END};
	return sk_cli_options_store(argc, argv, usage, opts, &db, s, status);
}

/* sk_cli_finish_json and sk_cli_finish_list: text for the whole result, or row for each element. */
static int finish_result(sk_store *s, sk_err e, sk_buf *err, json_t *res, bool json,
                         sk_cli_text_fn text, sk_cli_text_fn row)
{
	int rc = 0;
	if (!e && json) {
		rc = sk_cli_print_json(res);
		res = NULL;
	} else if (!e && text) {
		text(res);
	} else if (!e) {
		size_t i;
		json_t *v;
		json_array_foreach (res, i, v)
			row(v);
	}
	json_decref(res);
	int frc = sk_cli_finish(s, e, err);
	return frc ? frc : rc;
}

int sk_cli_finish_json(sk_store *s, sk_err e, sk_buf *err, json_t *res, bool json,
                       sk_cli_text_fn text)
{
	return finish_result(s, e, err, res, json, text, NULL);
}

int sk_cli_finish_list(sk_store *s, sk_err e, sk_buf *err, json_t *list, bool json,
                       sk_cli_text_fn row)
{
	return finish_result(s, e, err, list, json, NULL, row);
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
			return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL,
			                   SK_M_CLI_LINE_STANDARD_INPUT_TOO);
	}
	if (out->len && out->data[out->len - 1] == '\r')
		out->data[--out->len] = '\0';
	if (ferror(stdin))
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_CANNOT_READ_STANDARD_INPUT);
	return SK_OK;
}
