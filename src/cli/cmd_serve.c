/*
 * cmd_serve: `sekisho serve --db URL --listen ADDR:PORT`, the HTTP server
 * (src/http). Prints "listening on http://ADDR:PORT" on stdout once it
 * accepts connections (with port 0 the kernel's choice shows there), and
 * runs until SIGTERM or SIGINT, finishing the requests in flight.
 *
 * --trusted-proxy CIDR (repeatable) names the reverse proxies whose
 * X-Forwarded-For is believed; --metrics-from CIDR (repeatable) the clients
 * that may read /metrics without a session (none unless given).
 * --max-connections-per-client N caps the connections one peer address
 * may hold (64 by default; a trusted proxy is not capped per address).
 * --login-throttle N: failed logins one client address may make in 10
 * minutes before it is answered 429 (0: no throttle; default
 * SK_THROTTLE_DEFAULT_FAILURES, src/auth/throttle.h).
 *
 * --smtp SMTP_URL --mail-from MAIL_ADDR start the mail sender (src/domain/notify.h):
 * a thread with its own connection that sends the queued notification
 * mail, retrying what fails after --mail-retry SECONDS (60 by default),
 * doubling each time. --base-url URL sets where links in notifications lead
 * (kept in the database, audited when it changes). --remind-after DAYS:
 * approvers of requests pending longer are reminded once a day (3 by
 * default; 0: never), by the housekeeping thread (src/domain/maint.h).
 */
#include <stdio.h>
#include <string.h>

#include "../auth/throttle.h"
#include "../domain/actor.h"
#include "../domain/maint.h"
#include "../domain/notify.h"
#include "../http/http.h"
#include "../mail/mailer.h"
#include "../mail/smtp.h"
#include "cli.h"
#include "commands.h"

#define USAGE                                                                                      \
	"[--db URL] [--listen ADDR:PORT] [--threads N] [--max-connections N] "                     \
	"[--max-connections-per-client N] [--max-body BYTES] [--request-timeout SECONDS] "         \
	"[--secure-cookies] [--trusted-proxy CIDR]... [--metrics-from CIDR]... [--login-throttle " \
	"N] [--smtp SMTP_URL --mail-from MAIL_ADDR [--mail-retry SECONDS]] [--base-url BASE_URL] " \
	"[--remind-after DAYS]"
#define DEFAULT_LISTEN "127.0.0.1:8080"

/* What starts once the server listens: the housekeeping thread (maint.h). */
struct ready {
	const char *db_url;
	int remind_days;
};

static void on_ready(void *ctx, const char *address)
{
	const struct ready *rd = ctx;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	/* Started here, not before: a bad address or database is reported as such first. */
	if (rd && sk_maint_start(rd->db_url, rd->remind_days, 60, &err) != SK_OK)
		sk_cli_fail(SK_ERR_INTERNAL, sk_cli_msg(SK_M_CLI_HOUSEKEEPING_NOT_STARTED),
		            sk_msg_of(&err, SK_ERR_INTERNAL, sk_lang_from_env()));
	sk_buf_free(&err);
	printf(sk_cli_msg(SK_M_CLI_OUT_LISTENING), address);
	fflush(stdout);
}

int sk_cmd_serve_run(const char *db, const char *listen, int threads)
{
	struct ready rd = {.db_url = db, .remind_days = SK_MAINT_DEFAULT_REMIND_DAYS};
	sk_http_config c = {.db_url = db,
	                    .listen = listen,
	                    .threads = threads,
	                    .on_ready = on_ready,
	                    .ready_ctx = &rd,
	                    .remind_days = SK_MAINT_DEFAULT_REMIND_DAYS};
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_http_serve(&c, &err);
	sk_maint_stop();
	int rc = e ? sk_cli_fail_buf(e, &err) : 0;
	sk_buf_free(&err);
	return rc;
}

#define MAX_RANGES 32

/* Address ranges gathered from an option given once per range. */
struct ranges {
	const char *option;
	sk_http_cidr v[MAX_RANGES];
	size_t n;
};

static int add_range(void *ctx, const char *value, const char *usage)
{
	struct ranges *r = ctx;
	if (r->n == MAX_RANGES)
		return sk_cli_usage_error(usage, sk_cli_msg(SK_M_CLI_MOST_RANGES), MAX_RANGES,
		                          r->option);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_http_cidr_parse(value, &r->v[r->n], &err);
	int rc = e ? sk_cli_usage_error(usage, "--%s: %s", r->option, sk_cli_err(&err, e)) : 0;
	sk_buf_free(&err);
	if (!rc)
		r->n++;
	return rc;
}

int sk_cmd_serve(int argc, char **argv)
{
	struct ranges proxies = {.option = "trusted-proxy"}, metrics = {.option = "metrics-from"};
	const char *db = NULL, *listen = DEFAULT_LISTEN;
	long long threads = 0, conns = 0, per_client = 0, body = 0, timeout_s = 0, throttle = -1;
	bool secure = false;
	sk_smtp_config smtp = {0};
	const char *base_url = NULL;
	long long retry = 60, remind = SK_MAINT_DEFAULT_REMIND_DAYS;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("listen", &listen),
	    SK_OPT_NUM("threads", &threads, 1, 16),
	    SK_OPT_NUM("max-connections", &conns, 1, 1000000),
	    SK_OPT_NUM("max-connections-per-client", &per_client, 1, 1000000),
	    SK_OPT_NUM("max-body", &body, 1024, 64ll << 20),
	    SK_OPT_NUM("request-timeout", &timeout_s, 1, 3600),
	    SK_OPT_FLAG("secure-cookies", &secure),
	    SK_OPT_FN("trusted-proxy", &proxies, add_range),
	    SK_OPT_FN("metrics-from", &metrics, add_range),
	    SK_OPT_NUM("login-throttle", &throttle, 0, 1000000),
	    SK_OPT_STR("smtp", &smtp.url),
	    SK_OPT_STR("mail-from", &smtp.from),
	    SK_OPT_NUM("mail-retry", &retry, 1, 86400),
	    SK_OPT_STR("base-url", &base_url),
	    SK_OPT_NUM("remind-after", &remind, 0, 365),
	    SK_OPT_END,
	};
	int st;
	if (!sk_cli_options(argc, argv, USAGE, opts, 0, &st))
		return st;
	if (throttle >= 0)
		sk_throttle_configure((int)throttle, SK_THROTTLE_DEFAULT_WINDOW);
	sk_http_config cfg = {.db_url = sk_cli_db_url(db),
	                      .listen = listen,
	                      .threads = (int)threads,
	                      .max_connections = (unsigned)conns,
	                      .max_connections_per_client = (unsigned)per_client,
	                      .max_body = (size_t)body,
	                      .request_timeout_ms = (unsigned)timeout_s * 1000u,
	                      .secure_cookies = secure,
	                      .trusted_proxies = proxies.v,
	                      .n_trusted_proxies = proxies.n,
	                      .metrics_from = metrics.v,
	                      .n_metrics_from = metrics.n,
	                      .on_ready = on_ready,
	                      .remind_days = (int)remind};
	struct ready rd = {.db_url = cfg.db_url, .remind_days = (int)remind};
	cfg.ready_ctx = &rd;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if ((smtp.url || smtp.from) &&
	    (!smtp.url || !smtp.from || sk_smtp_config_check(&smtp, &err))) {
		int rc = sk_cli_usage_error(USAGE, "%s",
		                            err.len ? sk_cli_err(&err, SK_ERR_INVALID)
		                                    : sk_cli_msg(SK_M_CLI_SMTP_TOGETHER));
		sk_buf_free(&err);
		return rc;
	}
	sk_err e = SK_OK;
	if (base_url) {
		sk_store *s = NULL;
		int rc = sk_cli_open_store(cfg.db_url, &s);
		if (rc) {
			sk_buf_free(&err);
			return rc;
		}
		e = sk_notify_set_base_url(sk_cli_ctx(s), base_url, &err);
		sk_store_close(s);
	}
	/* The sender polls at most every 5 seconds, and as often as it retries when that is less.
	 */
	if (!e && smtp.url && !(e = sk_smtp_global_init(&err)))
		e = sk_mailer_start(cfg.db_url, &smtp, retry, retry < 5 ? retry : 5, &err);
	if (!e) {
		e = sk_http_serve(&cfg, &err);
		sk_maint_stop();
		sk_mailer_stop();
	}
	int rc = e ? sk_cli_fail_buf(e, &err) : 0;
	sk_buf_free(&err);
	return rc;
}
