/*
 * http: the HTTP door of sekisho (SPEC C12, §3 HTTP API): an h2o server
 * with one event loop per thread, each thread owning its own store
 * connection, answering the JSON API under /api/v1 from one route table
 * (routes.c), plus /healthz, /metrics and /api/v1/openapi.json.
 *
 * sk_http_serve runs until SIGTERM or SIGINT (or sk_http_stop), then stops
 * accepting, lets the requests in flight finish and returns. It installs
 * handlers for those two signals and ignores SIGPIPE for the process while
 * it runs: a server owns its process.
 */
#ifndef SK_HTTP_H
#define SK_HTTP_H

#include <stddef.h>

#include "../core/sk_buf.h"

/* An address range: "10.0.0.0/8", "2001:db8::/32", or one address ("127.0.0.1"). */
typedef struct sk_http_cidr {
	int family; /* AF_INET or AF_INET6; IPv4 mapped into IPv6 counts as IPv4 */
	unsigned char addr[16];
	unsigned bits;
} sk_http_cidr;

/* Parses text into *out. SK_ERR_INVALID naming text when it is no address or range. */
sk_err sk_http_cidr_parse(const char *text, sk_http_cidr *out, sk_buf *err);

typedef struct sk_http_config {
	const char *db_url;          /* opened once per thread; must hold an installation */
	const char *listen;          /* "ADDR:PORT" ("127.0.0.1:0" picks a free port) */
	int threads;                 /* event loops; 0: one per CPU, at most 16 */
	size_t max_body;             /* request body bytes; 0: SK_HTTP_MAX_BODY */
	size_t max_header;           /* bytes of all request header lines; 0: SK_HTTP_MAX_HEADER */
	unsigned request_timeout_ms; /* 0: SK_HTTP_REQUEST_TIMEOUT_MS */
	unsigned max_connections;    /* open connections over all threads; 0: SK_HTTP_MAX_CONN */
	/*
	 * Open connections one peer address (an IPv6 peer: its /64) may hold;
	 * 0: SK_HTTP_MAX_CONN_PER_CLIENT.
	 * A trusted proxy's connections are not capped per address (it carries
	 * many clients; their own address is known only per request). The last
	 * eighth of max_connections is kept for addresses holding none.
	 */
	unsigned max_connections_per_client;
	/* Secure cookies (only over HTTPS through a proxy); off for plain loopback. */
	int secure_cookies;
	/*
	 * Reverse proxies whose X-Forwarded-For is believed: when the peer is in
	 * one of these ranges, the client's address (for sessions, audit entries
	 * and --metrics-from) is the rightmost address of the header that is not
	 * itself a trusted proxy. From any other peer the header is ignored.
	 */
	const sk_http_cidr *trusted_proxies;
	size_t n_trusted_proxies;
	/*
	 * Clients that may read /metrics without a session. None by default:
	 * behind a reverse proxy on the same host every client would look like
	 * loopback. Others need a session holding a role that may read it.
	 */
	const sk_http_cidr *metrics_from;
	size_t n_metrics_from;
	/*
	 * Called once, from the calling thread, when every loop listens, with
	 * the address actually bound ("127.0.0.1:41234"). May be NULL.
	 */
	void (*on_ready)(void *ctx, const char *address);
	void *ready_ctx;
	/*
	 * After how many days a pending request is overdue (the housekeeping's
	 * reminder, serve --remind-after; 0: at once): the web UI marks it.
	 */
	int remind_days;
} sk_http_config;

#define SK_HTTP_MAX_BODY (1u << 20)
/*
 * The largest body the web UI's file upload takes (a register to import,
 * multipart/form-data: src/web/multipart.c); the API's bodies stay under
 * max_body, which its routes check themselves.
 */
#define SK_HTTP_MAX_UPLOAD          (8u << 20)
#define SK_HTTP_MAX_HEADER          (16u << 10)
#define SK_HTTP_REQUEST_TIMEOUT_MS  10000u
#define SK_HTTP_MAX_CONN            4096u
#define SK_HTTP_MAX_CONN_PER_CLIENT 64u

/*
 * Serves until asked to stop. SK_ERR_INVALID for a malformed listen
 * address, SK_ERR_IO when it cannot bind, SK_ERR_STORE when the database
 * cannot be opened or holds no installation; err names the problem.
 */
sk_err sk_http_serve(const sk_http_config *c, sk_buf *err);

/*
 * SK_OK when listen is a well-formed address nothing listens on yet (port 0
 * always passes); otherwise SK_ERR_INVALID or SK_ERR_IO naming the problem,
 * so a command can refuse before it does any other work.
 */
sk_err sk_http_check_listen(const char *listen, sk_buf *err);

/* Asks a running sk_http_serve to shut down gracefully (async-signal-safe). */
void sk_http_stop(void);

#endif
