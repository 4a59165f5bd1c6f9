/*
 * metrics: counters and a latency histogram shared by every loop (relaxed
 * atomics: exact totals, no ordering needed), rendered as Prometheus text
 * for GET /metrics together with the audit log's size.
 */
#include <inttypes.h>

#include "../audit/read.h"
#include "http_int.h"
#include "../core/sk_msg.h"

sk_http_metrics sk_http_m;

const double sk_http_lat_bounds[SK_LAT_BUCKETS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                   0.01,   0.025,   0.05,   0.1,   0.25,   1.0};

void sk_http_metrics_observe(int status, int64_t micros)
{
	int cls = status / 100;
	atomic_fetch_add_explicit(&sk_http_m.requests[cls >= 1 && cls <= 5 ? cls : 0], 1,
	                          memory_order_relaxed);
	int b = 0;
	while (b < SK_LAT_BUCKETS && (double)micros / 1e6 > sk_http_lat_bounds[b])
		b++;
	atomic_fetch_add_explicit(&sk_http_m.lat_bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&sk_http_m.lat_sum_us, (uint_fast64_t)(micros > 0 ? micros : 0),
	                          memory_order_relaxed);
}

static uint64_t get(atomic_uint_fast64_t *a)
{
	return (uint64_t)atomic_load_explicit(a, memory_order_relaxed);
}

sk_err sk_http_metrics_render(sk_store *s, sk_buf *out, sk_buf *err)
{
	int64_t audit = 0;
	sk_err e = sk_audit_size(s, &audit, err);
	if (e)
		return e;
	static const char *const cls[] = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
	e = sk_buf_adds(out, "# HELP sekisho_http_requests_total HTTP requests answered, by status "
	                     "class.\n# TYPE sekisho_http_requests_total counter\n");
	for (int i = 0; !e && i < 6; i++)
		e = sk_buf_addf(out, "sekisho_http_requests_total{code=\"%s\"} %" PRIu64 "\n",
		                cls[i], get(&sk_http_m.requests[i]));
	if (!e)
		e = sk_buf_adds(
		    out, "# HELP sekisho_http_request_duration_seconds Time to answer a "
		         "request.\n# TYPE sekisho_http_request_duration_seconds histogram\n");
	uint64_t cum = 0;
	for (int b = 0; !e && b <= SK_LAT_BUCKETS; b++) {
		cum += get(&sk_http_m.lat_bucket[b]);
		if (b < SK_LAT_BUCKETS)
			e = sk_buf_addf(
			    out,
			    "sekisho_http_request_duration_seconds_bucket{le=\"%g\"} %" PRIu64 "\n",
			    sk_http_lat_bounds[b], cum);
		else
			e = sk_buf_addf(
			    out,
			    "sekisho_http_request_duration_seconds_bucket{le=\"+Inf\"} %" PRIu64
			    "\nsekisho_http_request_duration_seconds_sum %.6f\n"
			    "sekisho_http_request_duration_seconds_count %" PRIu64 "\n",
			    cum, (double)get(&sk_http_m.lat_sum_us) / 1e6, cum);
	}
	size_t batches, ops;
	sk_http_pool_writer_stats(&batches, &ops);
	struct {
		const char *name, *type, *help;
		uint64_t v;
	} simple[] = {
	    {"sekisho_logins_total", "counter", "Successful logins.", get(&sk_http_m.logins_ok)},
	    {"sekisho_login_failures_total", "counter", "Failed logins (wrong credentials).",
	     get(&sk_http_m.logins_failed)},
	    {"sekisho_lockouts_total", "counter", "Accounts locked by a failed login.",
	     get(&sk_http_m.lockouts)},
	    {"sekisho_logins_busy_total", "counter",
	     "Logins refused with 503 because the login queue was full.",
	     get(&sk_http_m.logins_busy)},
	    {"sekisho_http_bad_requests_total", "counter",
	     "Requests refused as malformed or oversize.", get(&sk_http_m.bad_requests)},
	    {"sekisho_http_connections_open", "gauge", "Open client connections.",
	     get(&sk_http_m.conns_open)},
	    {"sekisho_http_connections_total", "counter", "Client connections accepted.",
	     get(&sk_http_m.conns_total)},
	    {"sekisho_http_connections_refused_total", "counter",
	     "Connections closed at once because the connection limit was reached.",
	     get(&sk_http_m.conns_refused)},
	    {"sekisho_http_connections_refused_per_client_total", "counter",
	     "Connections refused because their address held its share (per-client cap or the "
	     "reserve kept for new addresses).",
	     get(&sk_http_m.conns_refused_client)},
	    {"sekisho_session_cache_invalidations_total", "counter",
	     "Changes that made every cached session be checked again.",
	     sk_http_sessions_invalidations()},
	    {"sekisho_audit_log_entries", "gauge", "Entries in the audit log.", (uint64_t)audit},
	    /* Their ratio is the group commit's batch size: how many fsyncs the load costs. */
	    {"sekisho_writer_batches_total", "counter",
	     "Transactions committed by the group-commit writer.", (uint64_t)batches},
	    {"sekisho_writer_operations_total", "counter",
	     "Audited decisions the group-commit writer has run.", (uint64_t)ops},
	};
	for (size_t i = 0; !e && i < sizeof(simple) / sizeof(simple[0]); i++)
		e = sk_buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n%s %" PRIu64 "\n", simple[i].name,
		                simple[i].help, simple[i].name, simple[i].type, simple[i].name,
		                simple[i].v);
	if (e)
		return sk_fail_msg(err, e, NULL, NULL, SK_M_HTTP_METRICS_DO_FIT);
	return SK_OK;
}
