/*
 * cmd_serve: `sekisho serve --db URL --listen ADDR:PORT`, the HTTP server
 * (src/http). Prints "listening on http://ADDR:PORT" on stdout once it
 * accepts connections (with port 0 the kernel's choice shows there), and
 * runs until SIGTERM or SIGINT, finishing the requests in flight.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../http/http.h"
#include "cli.h"
#include "commands.h"

#define USAGE                                                                                      \
	"serve [--db URL] [--listen ADDR:PORT] [--threads N] [--max-connections N] "               \
	"[--max-body BYTES] [--secure-cookies]"
#define DEFAULT_LISTEN "127.0.0.1:8080"

static void on_ready(void *ctx, const char *address)
{
	(void)ctx;
	printf("listening on http://%s\n", address);
	fflush(stdout);
}

int sk_cmd_serve_run(const char *db, const char *listen, int threads)
{
	sk_http_config c = {
	    .db_url = db, .listen = listen, .threads = threads, .on_ready = on_ready};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_http_serve(&c, &err);
	int rc = e ? sk_cli_fail_buf(e, &err) : 0;
	sk_buf_free(&err);
	return rc;
}

int sk_cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"listen", required_argument, NULL, 'l'},
	                                     {"threads", required_argument, NULL, 't'},
	                                     {"max-connections", required_argument, NULL, 'c'},
	                                     {"max-body", required_argument, NULL, 'b'},
	                                     {"secure-cookies", no_argument, NULL, 's'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *db = NULL, *listen = DEFAULT_LISTEN;
	long long threads = 0, conns = 0, body = 0;
	int secure = 0, c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'l':
			listen = optarg;
			break;
		case 't':
			if (!sk_cli_parse_int(optarg, 1, 16, &threads))
				return sk_cli_usage_error(USAGE, "--threads must be 1 to 16");
			break;
		case 'c':
			if (!sk_cli_parse_int(optarg, 1, 1000000, &conns))
				return sk_cli_usage_error(USAGE,
				                          "--max-connections must be 1 to 1000000");
			break;
		case 'b':
			if (!sk_cli_parse_int(optarg, 1024, 64ll << 20, &body))
				return sk_cli_usage_error(USAGE,
				                          "--max-body must be 1024 to 67108864");
			break;
		case 's':
			secure = 1;
			break;
		case 'h':
			printf("usage: sekisho %s\n", USAGE);
			return 0;
		default:
			return sk_cli_usage_error(USAGE, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return sk_cli_usage_error(USAGE, "unexpected argument '%s'", argv[optind]);
	sk_http_config cfg = {.db_url = sk_cli_db_url(db),
	                      .listen = listen,
	                      .threads = (int)threads,
	                      .max_connections = (unsigned)conns,
	                      .max_body = (size_t)body,
	                      .secure_cookies = secure,
	                      .on_ready = on_ready};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_http_serve(&cfg, &err);
	int rc = e ? sk_cli_fail_buf(e, &err) : 0;
	sk_buf_free(&err);
	return rc;
}
