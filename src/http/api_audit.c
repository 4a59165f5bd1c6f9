/* api_audit: reading, verifying and checkpointing the audit log over HTTP. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../audit/checkpoint.h"
#include "../audit/read.h"
#include "../audit/verify.h"
#include "../domain/audit_view.h"
#include "http_int.h"

static bool query_int(sk_http_rctx *r, const char *name, int64_t *v)
{
	char buf[24];
	if (!sk_http_query(r, name, buf, sizeof(buf)))
		return true;
	char *end;
	long long x = strtoll(buf, &end, 10);
	if (*end || end == buf)
		return false;
	*v = x;
	return true;
}

void sk_api_audit_list(sk_http_rctx *r)
{
	int64_t after = 0, limit = 100;
	if (!query_int(r, "after", &after) || !query_int(r, "limit", &limit)) {
		sk_http_reply_error(r, SK_ERR_INVALID, "'after' and 'limit' must be whole numbers");
		return;
	}
	json_t *j = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_ctx c;
	sk_http_ctx(r, &c);
	sk_err e = sk_audit_view_list(&c, after, limit, &j, &err);
	sk_ctx_fini(&c);
	if (e)
		sk_http_reply_error(r, e, err.data);
	else
		sk_http_reply_json(r, 200, j);
	sk_buf_free(&err);
}

void sk_api_audit_verify(sk_http_rctx *r)
{
	sk_audit_verify_opts o = {0};
	sk_audit_verify_result res;
	sk_audit_verify_result_init(&res);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_audit_verify_store(r->t->store, &o, &res, &err);
	if (e) {
		sk_http_reply_error(r, e, err.data);
	} else {
		char root[SK_HASH_HEX_LEN + 1];
		sk_audit_hex(res.root, root);
		json_t *j =
		    json_pack("{s:b, s:I, s:s?, s:o, s:s?, s:I, s:s}", "intact", res.intact, "size",
		              (json_int_t)res.size, "root", res.intact ? root : NULL, "bad_seq",
		              res.bad_seq ? json_integer((json_int_t)res.bad_seq) : json_null(),
		              "why", res.intact ? NULL : res.why.data, "checkpoints",
		              (json_int_t)res.checkpoints, "origin", res.origin);
		if (j)
			sk_http_reply_json(r, 200, j);
		else
			sk_http_reply_error(r, SK_ERR_NOMEM, "out of memory");
	}
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
		sk_http_reply_error(r, e, err.data);
	else
		sk_http_reply_json(
		    r, 201, json_pack("{s:I, s:s}", "size", (json_int_t)size, "note", note.data));
	sk_buf_free(&path);
	sk_buf_free(&note);
	sk_buf_free(&err);
}
