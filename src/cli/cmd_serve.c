/*
 * cmd_serve: `sekisho serve --db URL --listen ADDR:PORT`, the HTTP server
 * (src/http). Prints "listening on http://ADDR:PORT" on stdout once it
 * accepts connections (with port 0 the kernel's choice shows there), and
 * runs until SIGTERM or SIGINT, finishing the requests in flight.
 */
#include <stdio.h>
#include <string.h>

#include "../http/http.h"
#include "cli.h"
#include "commands.h"

#define USAGE                                                                                      \
	"[--db URL] [--listen ADDR:PORT] [--threads N] [--max-connections N] [--max-body BYTES] "  \
	"[--request-timeout SECONDS] [--secure-cookies]"
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
	const char *db = NULL, *listen = DEFAULT_LISTEN;
	long long threads = 0, conns = 0, body = 0, timeout_s = 0;
	bool secure = false;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("listen", &listen),
	    SK_OPT_NUM("threads", &threads, 1, 16),
	    SK_OPT_NUM("max-connections", &conns, 1, 1000000),
	    SK_OPT_NUM("max-body", &body, 1024, 64ll << 20),
	    SK_OPT_NUM("request-timeout", &timeout_s, 1, 3600),
	    SK_OPT_FLAG("secure-cookies", &secure),
	    SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, USAGE, opts, 0, &st))
		return st;
	sk_http_config cfg = {.db_url = sk_cli_db_url(db),
	                      .listen = listen,
	                      .threads = (int)threads,
	                      .max_connections = (unsigned)conns,
	                      .max_body = (size_t)body,
	                      .request_timeout_ms = (unsigned)timeout_s * 1000u,
	                      .secure_cookies = secure,
	                      .on_ready = on_ready};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_http_serve(&cfg, &err);
	int rc = e ? sk_cli_fail_buf(e, &err) : 0;
	sk_buf_free(&err);
	return rc;
}
