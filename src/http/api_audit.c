/*
 * api_audit: reading, verifying and checkpointing the audit log over HTTP.
 * Verification runs on the pool's verify worker (pool.c), off the loop.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../audit/checkpoint.h"
#include "../audit/read.h"
#include "../audit/verify.h"
#include "../domain/audit_view.h"
#include "http_int.h"

void sk_api_audit_list(sk_http_rctx *r)
{
	int64_t after = 0, limit = 100;
	if (!sk_http_query_int(r, "after", 0, INT64_MAX, &after) ||
	    !sk_http_query_int(r, "limit", 1, SK_AUDIT_PAGE_MAX, &limit))
		return;
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_audit_view_list(&c, after, limit, &j, &err);
	sk_ctx_fini(&c);
	sk_http_reply_result(r, e, &err, 200, j);
}

void sk_api_audit_verify_finish(sk_http_rctx *r, sk_err e, const sk_audit_verify_result *res,
                                const char *msg)
{
	json_t *j = e ? NULL : sk_audit_verify_json(res);
	if (e)
		sk_http_reply_error(r, e, msg);
	else if (j)
		sk_http_reply_json(r, 200, j);
	else
		sk_http_reply_error(r, SK_ERR_NOMEM, "out of memory");
}

void sk_api_audit_verify(sk_http_rctx *r)
{
	/* Re-hashing the whole log takes long: the verify worker does it, off this loop. */
	if (sk_http_pool_verify(r))
		return;
	sk_audit_verify_opts o = {0};
	sk_audit_verify_result res;
	sk_audit_verify_result_init(&res);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_audit_verify_store(r->t->store, &o, &res, &err);
	sk_api_audit_verify_finish(r, e, &res, err.data);
	sk_audit_verify_result_free(&res);
	sk_buf_free(&err);
}

void sk_api_audit_checkpoint(sk_http_rctx *r)
{
	sk_buf path = SK_BUF_INIT(4096), note = SK_BUF_INIT(SK_NOTE_MAX),
	       err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_audit_signer signer;
	memset(&signer, 0, sizeof(signer));
	uint64_t size = 0;
	sk_err e = sk_audit_default_key_path(r->t->db_url, &path, &err);
	if (!e)
		e = sk_audit_key_load(path.data, &signer, &err);
	if (!e)
		e = sk_audit_checkpoint_create(r->t->store, &signer, &note, &size, &err);
	sk_audit_signer_wipe(&signer);
	if (e)
		sk_http_reply_fail(r, e, &err);
	else
		sk_http_reply_json(
		    r, 201, json_pack("{s:I, s:s}", "size", (json_int_t)size, "note", note.data));
	sk_buf_free(&path);
	sk_buf_free(&note);
	sk_buf_free(&err);
}
