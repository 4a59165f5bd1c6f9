/*
 * reply: how sekisho answers over HTTP: JSON bodies, the error shape of
 * SPEC §3 ({"error": {"code", "message"}}), the security headers every
 * answer carries, and reading headers and query parameters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_hex.h"
#include "../core/sk_json.h"
#include "../core/sk_log.h"
#include "../core/sk_url.h"
#include "../core/sk_utf8.h"
#include "http_int.h"

#define CSP_API_TEXT "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
#define CSP_HTML_TEXT                                                                              \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "                \
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

/* Reason phrases for the statuses sekisho answers with (h2o sends what it is given). */
static const char *reason(int status)
{
	static const struct {
		int status;
		const char *text;
	} t[] = {{200, "OK"},
	         {201, "Created"},
	         {303, "See Other"},
	         {400, "Bad Request"},
	         {401, "Unauthorized"},
	         {403, "Forbidden"},
	         {404, "Not Found"},
	         {405, "Method Not Allowed"},
	         {409, "Conflict"},
	         {413, "Payload Too Large"},
	         {415, "Unsupported Media Type"},
	         {423, "Locked"},
	         {429, "Too Many Requests"},
	         {431, "Request Header Fields Too Large"},
	         {500, "Internal Server Error"},
	         {501, "Not Implemented"},
	         {503, "Service Unavailable"}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].status == status)
			return t[i].text;
	return "";
}

/*
 * Marks r answered. A route that changes sessions, accounts, roles or units
 * has committed by now: the session caches are invalidated before the
 * client can see the answer, so its next request (on any connection) never
 * finds a cached session that the change ended.
 */
static bool answer_once(sk_http_rctx *r)
{
	if (r->answered)
		return false;
	r->answered = true;
	if (r->route && (r->route->flags & SK_R_INVALIDATES))
		sk_http_sessions_invalidate();
	return true;
}

/* A header whose name is no h2o token, from literals (no strlen, no token lookup per answer). */
#define ADD(req, name, value)                                                                      \
	h2o_add_header_by_str(&(req)->pool, &(req)->res.headers, H2O_STRLIT(name), 0, NULL,        \
	                      H2O_STRLIT(value))

void sk_http_security_headers(h2o_req_t *req, bool html)
{
	if (html)
		ADD(req, "content-security-policy", CSP_HTML_TEXT);
	else
		ADD(req, "content-security-policy", CSP_API_TEXT);
	ADD(req, "x-content-type-options", "nosniff");
	ADD(req, "x-frame-options", "DENY");
	ADD(req, "referrer-policy", "no-referrer");
	ADD(req, "cross-origin-opener-policy", "same-origin");
	ADD(req, "cross-origin-resource-policy", "same-origin");
	/* The web UI's static assets say how long they may be kept (their names hold a hash). */
	if (h2o_find_header(&req->res.headers, H2O_TOKEN_CACHE_CONTROL, -1) < 0)
		h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
		               H2O_STRLIT("no-store"));
}

void sk_http_reply_text(sk_http_rctx *r, int status, const char *ctype, const char *body,
                        size_t len)
{
	h2o_req_t *req = r->req;
	if (!answer_once(r))
		return;
	req->res.status = status;
	req->res.reason = reason(status);
	req->res.content_length = len;
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, ctype,
	               strlen(ctype));
	h2o_send_inline(req, body, len);
}

/* Frees a buffer handed over to an answer when its request's pool is cleared. */
static void free_handed(void *slot) { free(*(char **)slot); }

void sk_http_reply_bufs(sk_http_rctx *r, int status, const char *ctype, sk_buf *const *bufs,
                        size_t n)
{
	static h2o_generator_t generator = {NULL, NULL};
	h2o_req_t *req = r->req;
	h2o_iovec_t iov[SK_HTTP_REPLY_BUFS];
	size_t k = 0, len = 0;
	for (size_t i = 0; i < n; i++) {
		if (!bufs[i]->len)
			continue;
		if (k == SK_HTTP_REPLY_BUFS) { /* more than this takes: none is handed over */
			sk_http_reply_error(r, SK_ERR_INTERNAL, "the answer could not be built");
			return;
		}
		iov[k++] = h2o_iovec_init(bufs[i]->data, bufs[i]->len);
		len += bufs[i]->len;
	}
	if (!answer_once(r))
		return;
	/* Each buffer now belongs to the request: freed with its pool, after the send. */
	for (size_t i = 0; i < n; i++) {
		if (!bufs[i]->len)
			continue;
		char **slot = h2o_mem_alloc_shared(&req->pool, sizeof(char *), free_handed);
		*slot = sk_buf_detach(bufs[i]);
	}
	req->res.status = status;
	req->res.reason = reason(status);
	req->res.content_length = len;
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, ctype,
	               strlen(ctype));
	h2o_start_response(req, &generator);
	if (h2o_memis(req->input.method.base, req->input.method.len, H2O_STRLIT("HEAD")))
		h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL);
	else
		h2o_send(req, iov, k, H2O_SEND_STATE_FINAL);
}

void sk_http_reply_json(sk_http_rctx *r, int status, json_t *j)
{
	/* An object or an array, compact, keys in insertion order (sk_json_compact). */
	sk_buf text = SK_BUF_INIT(SK_BUF_DEFAULT_MAX);
	bool ok = (json_is_object(j) || json_is_array(j)) && !sk_json_compact(j, &text);
	json_decref(j);
	if (ok)
		sk_http_reply_text(r, status, "application/json; charset=utf-8", text.data,
		                   text.len);
	else
		sk_http_reply_error(r, SK_ERR_NOMEM, "the answer could not be built");
	sk_buf_free(&text);
}

/*
 * s itself when it is valid UTF-8, else a copy in req's pool with every
 * byte that starts no well-formed sequence replaced by U+FFFD. A message
 * may quote a client's bytes (a domain error naming a bad value); the JSON
 * packer refuses invalid UTF-8, and a client's bad bytes must never turn a
 * 4xx into a 5xx.
 */
static const char *utf8_text(h2o_req_t *req, const char *s)
{
	size_t n = strlen(s), bad = 0;
	uint32_t cp;
	for (size_t i = 0; i < n;) {
		size_t k = sk_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		bad += k == 0;
		i += k ? k : 1;
	}
	if (!bad)
		return s;
	char *out = h2o_mem_alloc_pool(&req->pool, n + bad * 2 + 1), *o = out;
	for (size_t i = 0; i < n;) {
		size_t k = sk_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (k) {
			memcpy(o, s + i, k);
			o += k;
			i += k;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	*o = '\0';
	return out;
}

/* {"error": {"code", "field"?, "message"}}; field only where the error names one. */
static void error_answer(h2o_req_t *req, int status, const char *code, const char *field,
                         const char *message, const char *lang)
{
	message = utf8_text(req, message ? message : "");
	if (field)
		field = utf8_text(req, field);
	json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);
	if (e && field)
		json_object_set_new(e, "field", json_string(field));
	json_t *j = e ? json_pack("{s:o}", "error", e) : NULL;
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	static const char oom[] = "{\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of "
	                          "memory\"}}";
	req->res.status = text ? status : 503;
	req->res.reason = reason(req->res.status);
	req->res.content_length = text ? strlen(text) : sizeof(oom) - 1;
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
	               H2O_STRLIT("application/json; charset=utf-8"));
	if (text && lang)
		h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_LANGUAGE, NULL,
		               lang, strlen(lang));
	if (text)
		h2o_send_inline(req, text, strlen(text));
	else
		h2o_send_inline(req, oom, sizeof(oom) - 1);
	free(text);
}

void sk_http_retry_after(sk_http_rctx *r, int64_t seconds)
{
	char *v = h2o_mem_alloc_pool(&r->req->pool, 24);
	int n = snprintf(v, 24, "%lld", (long long)(seconds > 0 ? seconds : 1));
	h2o_add_header(&r->req->pool, &r->req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, v,
	               (size_t)n);
}

void sk_http_reply_msg(sk_http_rctx *r, int status, const char *code, sk_msg_id id)
{
	if (answer_once(r))
		error_answer(r->req, status, code, NULL, sk_msg_format(id, r->lang),
		             sk_lang_code(r->lang));
}

/* Server-side failures keep their details in the log, not in the answer. */
static bool log_if_server_side(sk_http_rctx *r, int status, const char *detail, sk_err e)
{
	if (status < 500)
		return false;
	sk_log(SK_LOG_ERROR, "%.*s %.*s: %s", (int)r->req->method.len, r->req->method.base,
	       (int)r->req->path_normalized.len, r->req->path_normalized.base,
	       detail && *detail ? detail : sk_err_str(e));
	return true;
}

void sk_http_reply_error(sk_http_rctx *r, sk_err e, const char *message)
{
	if (!answer_once(r))
		return;
	if (e == SK_OK)
		e = SK_ERR_INTERNAL;
	int status = sk_err_http_status(e);
	if (log_if_server_side(r, status, message, e) || !message || !*message)
		message = sk_err_str_lang(e, r->lang);
	error_answer(r->req, status, sk_err_code(e), NULL, message, sk_lang_code(r->lang));
}

void sk_http_reply_fail(sk_http_rctx *r, sk_err e, const sk_buf *err)
{
	if (!answer_once(r))
		return;
	if (e == SK_OK)
		e = SK_ERR_INTERNAL;
	int status = sk_err_http_status(e);
	if (log_if_server_side(r, status, err ? err->data : NULL, e))
		error_answer(r->req, status, sk_err_code(e), NULL, sk_err_str_lang(e, r->lang),
		             sk_lang_code(r->lang));
	else
		error_answer(r->req, status, sk_err_code(e), err ? err->field : NULL,
		             sk_msg_of(err, e, r->lang), sk_lang_code(r->lang));
}

void sk_http_reply_result(sk_http_rctx *r, sk_err e, sk_buf *err, int status, json_t *j)
{
	if (e) {
		json_decref(j);
		sk_http_reply_fail(r, e, err);
	} else {
		sk_http_reply_json(r, status, j);
	}
	sk_buf_free(err);
}

void sk_http_reply_read(sk_http_rctx *r, sk_err (*read)(sk_ctx *, json_t **, sk_buf *))
{
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = read(&c, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 200, j);
}

h2o_iovec_t sk_http_header(h2o_req_t *req, const char *name)
{
	ssize_t i = h2o_find_header_by_str(&req->headers, name, strlen(name), -1);
	if (i < 0)
		return h2o_iovec_init(NULL, 0);
	return req->headers.entries[i].value;
}

bool sk_http_query(const sk_http_rctx *r, const char *name, char *out, size_t max)
{
	const h2o_req_t *req = r->req;
	if (req->query_at == SIZE_MAX)
		return false;
	const char *q = req->path.base + req->query_at + 1;
	const char *end = req->path.base + req->path.len;
	size_t nl = strlen(name);
	while (q < end) {
		const char *amp = memchr(q, '&', (size_t)(end - q));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(q, '=', (size_t)(stop - q));
		const char *kend = eq ? eq : stop;
		if ((size_t)(kend - q) == nl && memcmp(q, name, nl) == 0) {
			const char *v = eq ? eq + 1 : stop;
			return sk_url_decode(v, (size_t)(stop - v), out, max, NULL);
		}
		q = stop + 1;
	}
	return false;
}

bool sk_http_query_int(sk_http_rctx *r, const char *name, int64_t min, int64_t max, int64_t *out)
{
	/* Room for any value sk_http_query_check lets through: numbers are declared 20 bytes at
	 * most. */
	char v[64], *end = NULL;
	if (!sk_http_query(r, name, v, sizeof(v)))
		return true;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (v[0] && !*end && errno == 0 && n >= min && n <= max) {
		*out = (int64_t)n;
		return true;
	}
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = max == INT64_MAX
	               ? sk_fail_msg(&err, SK_ERR_INVALID, name, NULL, SK_M_HTTP_QUERY_INT_MIN,
	                             (long long)min)
	               : sk_fail_msg(&err, SK_ERR_INVALID, name, NULL, SK_M_HTTP_QUERY_INT_RANGE,
	                             (long long)min, (long long)max);
	sk_http_reply_fail(r, e, &err);
	sk_buf_free(&err);
	return false;
}

void sk_http_reply_bad_query(sk_http_rctx *r, const char *name, sk_msg_id id)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_http_reply_fail(r, sk_fail_msg(&err, SK_ERR_INVALID, name, NULL, id), &err);
	sk_buf_free(&err);
}

/*
 * A parameter's name for a message: printable ASCII kept, anything else as
 * '?', at most 64, so a message names what was sent without carrying the
 * client's bytes.
 */
static void name_for_message(const char *s, size_t n, char out[65])
{
	size_t i = 0;
	for (; i < n && i < 64; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\'' ? s[i] : '?';
	out[i] = '\0';
}

/* Whether the n bytes at s are well-formed UTF-8. */
static bool utf8_valid(const char *s, size_t n)
{
	uint32_t cp;
	for (size_t i = 0, k; i < n; i += k)
		if (!(k = sk_utf8_decode((const unsigned char *)s + i, n - i, &cp)))
			return false;
	return true;
}

sk_err sk_http_query_check(const sk_http_rctx *r, sk_buf *err)
{
	const h2o_req_t *req = r->req;
	if (req->query_at == SIZE_MAX)
		return SK_OK;
	const sk_http_qparam *decl = r->route->query;
	const char *q = req->path.base + req->query_at + 1;
	const char *end = req->path.base + req->path.len;
	uint64_t seen = 0; /* bit i: decl[i] was given */
	char name[65], value[1024] = "";
	while (q < end) {
		const char *amp = memchr(q, '&', (size_t)(end - q));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(q, '=', (size_t)(stop - q));
		const char *kend = eq ? eq : stop;
		size_t kn = (size_t)(kend - q);
		if (stop == q) { /* "a=1&&b=2" or a trailing '&': nothing there */
			q = stop + 1;
			continue;
		}
		size_t i = 0;
		while (decl && decl[i].name &&
		       !(strlen(decl[i].name) == kn && memcmp(decl[i].name, q, kn) == 0))
			i++;
		if (!decl || !decl[i].name) {
			name_for_message(q, kn, name);
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_HTTP_QUERY_UNKNOWN,
			                   name);
		}
		/* The declared name is static: the error can carry it as its field. */
		const char *key = decl[i].name;
		if (i < 64 && (seen & (UINT64_C(1) << i)))
			return sk_fail_msg(err, SK_ERR_INVALID, key, NULL, SK_M_HTTP_QUERY_TWICE);
		if (i < 64)
			seen |= UINT64_C(1) << i;
		const char *v = eq ? eq + 1 : stop;
		size_t max = decl[i].max < sizeof(value) - 1 ? decl[i].max : sizeof(value) - 1;
		/* Decoded, a value is at most as long as its text: a short text always fits. */
		if (!sk_url_decode(v, (size_t)(stop - v), value, sizeof(value), NULL)) {
			bool escapes_ok = true;
			for (const char *c = v; c < stop; c++)
				if (*c == '%' &&
				    (stop - c < 3 || sk_hex_digit((unsigned char)c[1]) < 0 ||
				     sk_hex_digit((unsigned char)c[2]) < 0 ||
				     (c[1] == '0' && c[2] == '0')))
					escapes_ok = false;
			if (escapes_ok)
				return sk_fail_msg(err, SK_ERR_INVALID, key, NULL,
				                   SK_M_HTTP_QUERY_TOO_LONG, decl[i].max);
			return sk_fail_msg(err, SK_ERR_INVALID, key, NULL,
			                   SK_M_HTTP_QUERY_ENCODING);
		}
		size_t vn = strlen(value);
		if (vn > max)
			return sk_fail_msg(err, SK_ERR_INVALID, key, NULL, SK_M_HTTP_QUERY_TOO_LONG,
			                   decl[i].max);
		/* A handler may quote a value in its error: only text gets that far. */
		if (!utf8_valid(value, vn))
			return sk_fail_msg(err, SK_ERR_INVALID, key, NULL,
			                   SK_M_HTTP_QUERY_NOT_UTF8);
		q = stop + 1;
	}
	return SK_OK;
}

const char *sk_http_field_text(sk_http_rctx *r, const char *key)
{
	const json_t *v = r->body ? json_object_get(r->body, key) : NULL;
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_boolean(v))
		return json_is_true(v) ? "yes" : "no";
	if (json_is_integer(v)) {
		char *buf = h2o_mem_alloc_pool(&r->req->pool, 24);
		snprintf(buf, 24, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	}
	return NULL;
}
