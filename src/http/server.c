/*
 * server: the h2o side of sekisho's HTTP door. One event loop per thread,
 * each with its own listening socket (SO_REUSEPORT spreads connections over
 * them) and its own store connection, since a store is single-threaded. One
 * handler at "/" hands every request to the dispatcher (routes.c); one
 * filter puts the security headers on every answer, those h2o makes itself
 * (413, 400) included.
 *
 * Limits: the request body (h2o refuses bodies over 4x our limit before
 * reading them; routes.c answers 413 in JSON for anything over the limit),
 * the header size (routes.c), h2o's request timeout, and the number of open
 * connections (over the limit a new connection is accepted and closed at
 * once, so the kernel's backlog never fills with connections nobody reads).
 * Connections are also counted per peer address over every loop: one
 * address may hold max_connections_per_client, and the last eighth of the
 * global cap is kept for addresses that hold none, so one client holding
 * half-sent requests cannot lock everyone else out. A trusted proxy is not
 * capped per address: it carries many clients, whose addresses are known
 * only once a request's headers are read (the proxy must limit them).
 *
 * Durable writes that answer a request (decisions) go to the write pool
 * (pool.c) and are answered when the group commit returns; everything else
 * is answered within one loop turn.
 *
 * Shutdown: SIGTERM or SIGINT sets a flag every loop checks at least every
 * 100 ms; each loop then closes its listener, asks h2o to close connections
 * as their requests complete, and keeps running until its connections are
 * gone and the pool has answered its jobs, or SK_HTTP_GRACE_MS has passed;
 * connections still open then (idle keep-alives) are shut down. A request
 * being handled when the signal comes is answered.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../core/sk_log.h"
#include "../domain/asset.h"
#include "../domain/install.h"
#include "../domain/policyset.h"
#include "../web/html.h"
#include "http_int.h"
#include "../core/sk_msg.h"

#define SK_HTTP_GRACE_MS   2000
#define SK_HTTP_MAX_THREAD 16

static volatile sig_atomic_t stop_flag;

void sk_http_stop(void) { stop_flag = 1; }

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- the handler and the header filter --- */

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
	(void)self;
	sk_http_thread *t = (sk_http_thread *)req->conn->ctx;
	return sk_http_dispatch(t, req);
}

static void on_setup_ostream(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
	(void)self;
	ssize_t i = h2o_find_header(&req->res.headers, H2O_TOKEN_CONTENT_TYPE, -1);
	bool html = i >= 0 && req->res.headers.entries[i].value.len >= 9 &&
	            memcmp(req->res.headers.entries[i].value.base, "text/html", 9) == 0;
	sk_http_security_headers(req, html);
	h2o_setup_next_ostream(req, slot);
}

/* --- connections --- */

/* Open connections per peer address, over every loop (accepts and closes only). */
typedef struct peer_count {
	struct peer_count *next;
	unsigned char addr[16];
	unsigned n;
} peer_count;

#define PEER_BUCKETS 1024

static pthread_mutex_t peers_mu = PTHREAD_MUTEX_INITIALIZER;
static peer_count *peers[PEER_BUCKETS];

static peer_count **peer_slot(const unsigned char addr[16])
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619u;
	peer_count **p = &peers[h % PEER_BUCKETS];
	while (*p && memcmp((*p)->addr, addr, 16) != 0)
		p = &(*p)->next;
	return p;
}

/*
 * Counts one more connection of addr unless it holds cap already, or holds
 * any while only the reserve is left (reserve_only: the reserve is for
 * addresses holding none). false: refuse the connection.
 */
static bool peer_take(const unsigned char addr[16], unsigned cap, bool reserve_only)
{
	pthread_mutex_lock(&peers_mu);
	peer_count **p = peer_slot(addr);
	unsigned n = *p ? (*p)->n : 0;
	bool ok = n < cap && !(reserve_only && n > 0);
	if (ok && !*p && (*p = calloc(1, sizeof(**p))))
		memcpy((*p)->addr, addr, 16);
	if (ok && *p)
		(*p)->n++;
	else
		ok = false;
	pthread_mutex_unlock(&peers_mu);
	return ok;
}

static void peer_release(const unsigned char addr[16])
{
	pthread_mutex_lock(&peers_mu);
	peer_count **p = peer_slot(addr);
	if (*p && --(*p)->n == 0) {
		peer_count *dead = *p;
		*p = dead->next;
		free(dead);
	}
	pthread_mutex_unlock(&peers_mu);
}

/*
 * The key the peer's connections are counted under (16 bytes: IPv4 as
 * IPv4-mapped IPv6, IPv6 as its /64) and its address as text; false when
 * the peer has no address.
 */
static bool peer_of(h2o_socket_t *sock, unsigned char addr[16], char *text, size_t max)
{
	struct sockaddr_storage ss;
	if (!h2o_socket_getpeername(sock, (struct sockaddr *)&ss))
		return false;
	memset(addr, 0, 16);
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
		addr[10] = addr[11] = 0xff;
		memcpy(addr + 12, &a->sin_addr, 4);
		return inet_ntop(AF_INET, &a->sin_addr, text, (socklen_t)max) != NULL;
	}
	if (ss.ss_family != AF_INET6)
		return false;
	const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
	memcpy(addr, &a->sin6_addr, 16);
	/*
	 * An IPv6 client counts by its /64: one host is usually given a whole
	 * /64 and could otherwise open its share from every address in it.
	 */
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (memcmp(addr, mapped, 12) != 0)
		memset(addr + 8, 0, 8);
	return inet_ntop(AF_INET6, &a->sin6_addr, text, (socklen_t)max) != NULL;
}

/*
 * Whether the new connection sock may stay: the global cap, then (unless the
 * peer is a trusted proxy) the peer's share. Fills c's peer fields.
 */
static bool admit(sk_http_thread *t, h2o_socket_t *sock, sk_http_conn *c)
{
	const sk_http_config *cfg = t->cfg;
	size_t open = atomic_load(&sk_http_m.conns_open);
	if (open >= cfg->max_connections)
		return false;
	char text[INET6_ADDRSTRLEN];
	if (!peer_of(sock, c->peer, text, sizeof(text)))
		return true; /* no address to count by (not TCP): the global cap holds */
	if (cfg->n_trusted_proxies &&
	    sk_http_cidr_match(cfg->trusted_proxies, cfg->n_trusted_proxies, text))
		return true;
	bool reserve_only = open >= cfg->max_connections - cfg->max_connections / 8;
	if (!peer_take(c->peer, cfg->max_connections_per_client, reserve_only)) {
		atomic_fetch_add(&sk_http_m.conns_refused_client, 1);
		return false;
	}
	c->counted = true;
	return true;
}

static void on_conn_close(void *data)
{
	sk_http_conn *c = data;
	if (c->counted)
		peer_release(c->peer);
	c->prev->next = c->next;
	c->next->prev = c->prev;
	c->t->nconns--;
	free(c);
	atomic_fetch_sub(&sk_http_m.conns_open, 1);
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
	if (err)
		return;
	sk_http_thread *t = listener->data;
	/* Accept a batch per wake-up, as h2o's own server does. */
	for (int i = 0; i < 16; i++) {
		h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
		if (!sock)
			return;
		sk_http_conn *c = calloc(1, sizeof(*c));
		if (!c || !admit(t, sock, c)) {
			free(c);
			atomic_fetch_add(&sk_http_m.conns_refused, 1);
			h2o_socket_close(sock);
			continue;
		}
		c->sock = sock;
		c->t = t;
		c->next = t->conns.next;
		c->prev = &t->conns;
		t->conns.next->prev = c;
		t->conns.next = c;
		t->nconns++;
		atomic_fetch_add(&sk_http_m.conns_open, 1);
		atomic_fetch_add(&sk_http_m.conns_total, 1);
		sock->on_close.cb = on_conn_close;
		sock->on_close.data = c;
		h2o_accept(&t->accept, sock);
	}
}

/*
 * The head of h2o 2.2's HTTP/1 connection (struct st_h2o_http1_conn_t in its
 * lib/http1.c): h2o gives a handler no way to the connection's socket, whose
 * input buffer still holds the request's head, as it arrived, until the
 * answer is out. Checked against the socket's own back pointers before use.
 */
struct http1_conn_head {
	h2o_conn_t super;
	h2o_socket_t *sock;
};
_Static_assert(H2O_VERSION_MAJOR == 2 && H2O_VERSION_MINOR == 2,
               "sk_http_framing_ok reads h2o 2.2's HTTP/1 connection");

/* Counts the head's header lines named name (n bytes, with its colon). */
static unsigned count_header(const char *p, const char *end, const char *name, size_t n)
{
	unsigned count = 0;
	/* h2o (picohttpparser) skips empty lines before the request line, then the line. */
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	for (p = nl ? nl + 1 : end; p < end; p = nl + 1) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			break;
		size_t len = (size_t)(nl - p);
		if (len && p[len - 1] == '\r')
			len--;
		if (len == 0)
			break; /* the end of the head */
		/* A line starting with white space continues the one before (obs-fold). */
		if (*p != ' ' && *p != '\t' && len >= n && strncasecmp(p, name, n) == 0)
			count++;
	}
	return count;
}

bool sk_http_framing_ok(h2o_req_t *req)
{
	h2o_socket_t *sock = ((struct http1_conn_head *)req->conn)->sock;
	if (req->version >= 0x200 || !sock || sock->data != req->conn ||
	    sock->on_close.cb != on_conn_close || !sock->input) {
		/* Not the HTTP/1 connection we accepted: its framing cannot be checked. */
		sk_log(SK_LOG_ERROR, "cannot read a request's head to check its framing");
		return false;
	}
	const char *p = sock->input->bytes, *end = p + sock->input->size;
	unsigned cl = count_header(p, end, "content-length:", 15);
	unsigned te = count_header(p, end, "transfer-encoding:", 18);
	return cl + te <= 1;
}

/* Parses "ADDR:PORT" ("[v6]:PORT" for IPv6). */
static sk_err parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, sk_buf *err)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(host))
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_LISTEN_ADDR_PORT, s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port < 0 || port > 65535)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_LISTEN_BAD_PORT, s,
		                   colon + 1);
	memset(ss, 0, sizeof(*ss));
	size_t hl = strlen(host);
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_HTTP_LISTEN_BAD_IPV_ADDRESS, s);
		*len = sizeof(*a6);
		return SK_OK;
	}
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	a4->sin_family = AF_INET;
	a4->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_HTTP_LISTEN_IPV_ADDRESS_USE, s, host);
	*len = sizeof(*a4);
	return SK_OK;
}

static int make_listener(const struct sockaddr_storage *ss, socklen_t len)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)ss, len) || listen(fd, SOMAXCONN)) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/*
 * Every loop binds with SO_REUSEPORT, and Linux lets a second socket of the
 * same user share a port when both ask for that: a second sekisho on the same
 * port would bind "successfully" and take half the connections. A plain bind
 * first fails with EADDRINUSE whenever anything listens there already.
 */
static sk_err probe_port(const struct sockaddr_storage *sp, socklen_t sl, const char *listen_addr,
                         sk_buf *err)
{
	struct sockaddr_storage ss = *sp;
	in_port_t port = ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                                          : ((struct sockaddr_in *)&ss)->sin_port;
	if (port == 0)
		return SK_OK;
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_HTTP_CANNOT_LISTEN, listen_addr,
		                   strerror(errno));
	int one = 1;
	/* SO_REUSEADDR only passes over connections in TIME_WAIT, never a listener. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)&ss, sl)) {
		int saved = errno;
		close(fd);
		if (saved == EADDRINUSE)
			return sk_fail_msg(err, SK_ERR_IO, NULL, NULL,
			                   SK_M_HTTP_CANNOT_LISTEN_ANOTHER_PROGRAM, listen_addr);
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_HTTP_CANNOT_LISTEN, listen_addr,
		                   strerror(saved));
	}
	close(fd);
	return SK_OK;
}

sk_err sk_http_check_listen(const char *listen_addr, sk_buf *err)
{
	struct sockaddr_storage ss = {0};
	socklen_t sl = 0;
	sk_err e = parse_listen(listen_addr, &ss, &sl, err);
	return e ? e : probe_port(&ss, sl, listen_addr, err);
}

/* --- threads --- */

typedef struct server {
	h2o_globalconf_t config;
	sk_http_thread threads[SK_HTTP_MAX_THREAD];
	int fds[SK_HTTP_MAX_THREAD];
	int nthreads;
} server;

/* Runs the loop until this thread's connections are gone or ms have passed. */
static void drain(sk_http_thread *t, int64_t ms)
{
	int64_t deadline = now_ms() + ms;
	while ((t->nconns > 0 || t->inflight > 0) && now_ms() < deadline)
		h2o_evloop_run(t->ctx.loop, 20);
}

/*
 * The h2o half of a thread's setup, run on the thread that runs the loop
 * (as h2o's own server does): a socket takes its buffer recycler from the
 * creating thread's thread-local prototype, so a loop set up on another
 * thread would share that thread's recycler without a lock. The pool's
 * wake-up pipe (read for every answered decision) then corrupted the main
 * thread's free list under load.
 */
static void loop_init(sk_http_thread *t)
{
	h2o_context_init(&t->ctx, h2o_evloop_create(), t->gconf);
	h2o_multithread_register_receiver(t->ctx.queue, &t->receiver, sk_http_pool_on_done);
	t->accept.ctx = &t->ctx;
	t->accept.hosts = t->gconf->hosts;
	t->listener = h2o_evloop_socket_create(t->ctx.loop, t->fd, H2O_SOCKET_FLAG_DONT_READ);
	t->fd = -1; /* the socket owns it now */
	t->listener->data = t;
	h2o_socket_read_start(t->listener, on_accept);
}

static void *run_loop(void *arg)
{
	sk_http_thread *t = arg;
	loop_init(t);
	while (!stop_flag)
		h2o_evloop_run(t->ctx.loop, 100);
	/*
	 * Stop accepting; h2o closes each connection once its current answer is
	 * out. Requests already handled are written out during the first drain;
	 * connections still open after it are idle keep-alives (or clients too
	 * slow to finish a request within the grace time): shutting their sockets
	 * down lets h2o see the end and close them its own way.
	 */
	h2o_socket_read_stop(t->listener);
	h2o_socket_close(t->listener);
	t->listener = NULL;
	h2o_context_request_shutdown(&t->ctx);
	drain(t, SK_HTTP_GRACE_MS);
	for (sk_http_conn *c = t->conns.next; c != &t->conns; c = c->next)
		shutdown(h2o_socket_get_fd(c->sock), SHUT_RDWR);
	drain(t, 1000);
	return NULL;
}

/*
 * Loop threads other than the caller's park here once their loop is done
 * instead of exiting: h2o keeps per-thread caches of memory (its pool and
 * buffer recyclers) that it never frees, and a thread that exits would turn
 * them into leaks. Parked threads end with the process.
 */
static pthread_mutex_t park_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_done_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t park_forever_cv = PTHREAD_COND_INITIALIZER;
static int parked;

static void *run_worker(void *arg)
{
	run_loop(arg);
	pthread_mutex_lock(&park_mu);
	parked++;
	pthread_cond_broadcast(&park_done_cv);
	for (;;)
		pthread_cond_wait(&park_forever_cv, &park_mu);
	return NULL;
}

static sk_err thread_init(server *sv, int i, const sk_http_config *c, sk_policy *pol, sk_buf *err)
{
	sk_http_thread *t = &sv->threads[i];
	memset(t, 0, sizeof(*t));
	t->index = i;
	t->cfg = c;
	(void)pol; /* held by policy_hold.c, which hands each loop its reference */
	t->pol = sk_http_policy_acquire(&t->polref);
	t->db_url = c->db_url;
	t->conns.next = t->conns.prev = &t->conns;
	t->fd = -1;
	sk_err e = sk_store_open(c->db_url, 0, &t->store, err);
	if (e)
		return e;
	/* The loop itself is set up by the thread that runs it (loop_init). */
	t->gconf = &sv->config;
	t->fd = sv->fds[i];
	sv->fds[i] = -1; /* the thread owns it now */
	return SK_OK;
}

/*
 * h2o's context disposal asserts that every timer list is empty, which
 * closing the connections does not guarantee (h2o's own server never
 * disposes of a context that has served). A served run's contexts are
 * therefore left to the process exit that follows sk_http_serve; keeping the
 * server reachable here tells leak checkers that this is deliberate.
 */
static struct server *retired;

static void thread_dispose(sk_http_thread *t, bool served)
{
	if (t->listener)
		h2o_socket_close(t->listener);
	t->listener = NULL;
	if (t->ctx.loop && !served) {
		h2o_loop_t *loop = t->ctx.loop;
		h2o_context_dispose(&t->ctx);
		h2o_evloop_destroy(loop);
	}
	if (t->fd >= 0)
		close(t->fd); /* the thread never started */
	t->fd = -1;
	sk_store_close(t->store);
	t->store = NULL;
	sk_http_scache_free(t);
	sk_http_policy_thread_fini(t);
}

static void config_init(server *sv, const sk_http_config *c)
{
	h2o_config_init(&sv->config);
	sv->config.server_name = h2o_iovec_init(H2O_STRLIT("sekisho"));
	/* h2o's own cap (413 before any handler): above every route's, an upload's included. */
	sv->config.max_request_entity_size = c->max_body * 4 > SK_HTTP_MAX_UPLOAD + (64u << 10)
	                                         ? c->max_body * 4
	                                         : SK_HTTP_MAX_UPLOAD + (64u << 10);
	sv->config.http1.req_timeout = c->request_timeout_ms;
	sv->config.http2.idle_timeout = c->request_timeout_ms;
	/* HTTP/1.1 only: a request handed to the pool must outlive its wait (pool.c). */
	sv->config.http1.upgrade_to_http2 = 0;
	h2o_hostconf_t *host =
	    h2o_config_register_host(&sv->config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
	h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
	h2o_handler_t *h = h2o_create_handler(path, sizeof(*h));
	h->on_req = on_req;
	h2o_filter_t *f = h2o_create_filter(path, sizeof(*f));
	f->on_setup_ostream = on_setup_ostream;
	/* Errors h2o answers before a path is chosen go through the fallback path. */
	f = h2o_create_filter(&host->fallback_path, sizeof(*f));
	f->on_setup_ostream = on_setup_ostream;
}

/* Loads the profile named by the installation, once for the whole server (sk_ctx). */
static sk_err load_policy(const char *url, sk_policy **pol, int64_t *set_change, sk_buf *err)
{
	sk_store *s = NULL;
	sk_err e = sk_store_open(url, 0, &s, err);
	/* Read before the load: a change landing in between is then seen as new by the
	 * holder's first check and taken up, never missed (policy_hold.c). */
	if (!e)
		e = sk_policyset_last_change(s, set_change, err);
	if (!e)
		e = sk_ctx_load_installation_profile(s, pol, err);
	/* Times are shown in the installation's zone, set once before any thread starts. */
	if (!e)
		e = sk_install_apply_zone(s, err);
	if (!e && !*pol)
		e = sk_fail_msg(err, SK_ERR_STORE, NULL, NULL,
		                SK_M_HTTP_HOLDS_INSTALLATION_RUN_SEKISHO, url);
	sk_store_close(s);
	return e;
}

static void format_address(const struct sockaddr_storage *ss, char *out, size_t max)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
		port = ntohs(a->sin6_port);
		snprintf(out, max, "[%s]:%u", host, port);
		return;
	}
	const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
	inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
	port = ntohs(a->sin_port);
	snprintf(out, max, "%s:%u", host, port);
}

sk_err sk_http_serve(const sk_http_config *cin, sk_buf *err)
{
	sk_http_config c = *cin;
	if (!c.max_body)
		c.max_body = SK_HTTP_MAX_BODY;
	if (!c.max_header)
		c.max_header = SK_HTTP_MAX_HEADER;
	if (!c.request_timeout_ms)
		c.request_timeout_ms = SK_HTTP_REQUEST_TIMEOUT_MS;
	if (!c.max_connections)
		c.max_connections = SK_HTTP_MAX_CONN;
	if (!c.max_connections_per_client)
		c.max_connections_per_client = SK_HTTP_MAX_CONN_PER_CLIENT;
	if (c.threads <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		c.threads = n > 0 ? (int)n : 1;
	}
	if (c.threads > SK_HTTP_MAX_THREAD)
		c.threads = SK_HTTP_MAX_THREAD;

	struct sockaddr_storage ss = {0};
	socklen_t sl = 0;
	/* The web UI's templates compiled now: a bad one stops the server before it listens. */
	sk_err e = sk_html_init(err);
	if (!e)
		e = parse_listen(c.listen, &ss, &sl, err);
	if (!e)
		e = probe_port(&ss, sl, c.listen, err);
	if (e)
		return e;
	sk_policy *pol = NULL;
	int64_t set_change = 0;
	bool served = false;
	if ((e = load_policy(c.db_url, &pol, &set_change, err)))
		return e;
	/* From here the holder owns pol: a newer active version replaces it (policy_hold.c). */
	if ((e = sk_http_policy_start(pol, set_change, err))) {
		sk_policy_free(pol);
		return e;
	}
	pol = NULL;

	server *sv = calloc(1, sizeof(*sv));
	if (!sv) {
		sk_http_policy_stop();
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	}
	sv->nthreads = c.threads;
	for (int i = 0; i < SK_HTTP_MAX_THREAD; i++)
		sv->fds[i] = -1;
	/* The first bind resolves port 0; the others share the port it got. */
	for (int i = 0; i < sv->nthreads; i++) {
		sv->fds[i] = make_listener(&ss, sl);
		if (sv->fds[i] < 0) {
			e = sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_HTTP_CANNOT_LISTEN,
			                c.listen, strerror(errno));
			goto out;
		}
		if (i == 0) {
			sl = sizeof(ss);
			getsockname(sv->fds[0], (struct sockaddr *)&ss, &sl);
		}
	}
	config_init(sv, &c);
	int ready = 0;
	for (int i = 0; i < sv->nthreads; i++, ready++)
		if ((e = thread_init(sv, i, &c, pol, err)))
			break;

	stop_flag = 0;
	struct sigaction sa = {0}, old_term, old_int, old_pipe;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_pipe);

	if (!e)
		e = sk_http_pool_start(c.db_url, err);
	served = !e;
	if (!e) {
		char addr[INET6_ADDRSTRLEN + 16];
		format_address(&ss, addr, sizeof(addr));
		sk_log(SK_LOG_INFO, "serving on http://%s with %d thread%s", addr, sv->nthreads,
		       sv->nthreads == 1 ? "" : "s");
		if (c.on_ready)
			c.on_ready(c.ready_ctx, addr);
		int started = 0;
		pthread_mutex_lock(&park_mu);
		int parked_before = parked;
		pthread_mutex_unlock(&park_mu);
		for (int i = 1; i < sv->nthreads; i++, started++) {
			pthread_t tid;
			if (pthread_create(&tid, NULL, run_worker, &sv->threads[i])) {
				stop_flag = 1;
				e = sk_fail_msg(err, SK_ERR_TEMPFAIL, NULL, NULL,
				                SK_M_HTTP_CANNOT_START_SERVER_THREAD);
				break;
			}
			pthread_detach(tid);
		}
		run_loop(&sv->threads[0]);
		pthread_mutex_lock(&park_mu);
		while (parked - parked_before < started)
			pthread_cond_wait(&park_done_cv, &park_mu);
		pthread_mutex_unlock(&park_mu);
		sk_http_pool_stop();
		sk_log(SK_LOG_INFO, "server stopped");
	}
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	for (int i = 0; i < ready; i++)
		thread_dispose(&sv->threads[i], served);
	if (!served)
		h2o_config_dispose(&sv->config);
out:
	for (int i = 0; i < SK_HTTP_MAX_THREAD; i++)
		if (sv->fds[i] >= 0)
			close(sv->fds[i]);
	if (served) {
		free(retired);
		retired = sv;
	} else {
		free(sv);
	}
	sk_http_policy_stop();
	return e;
}
