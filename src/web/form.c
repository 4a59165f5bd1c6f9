/* form: the urlencoded form parser (see form.h). */
#include "form.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_url.h"
#include "../core/sk_utf8.h"
#include "../core/sk_msg.h"

sk_err sk_form_parse(const char *body, size_t len, size_t max, sk_form *f, sk_buf *err)
{
	memset(f, 0, sizeof(*f));
	if (len > max)
		return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_WEB_FORM_OVER_BYTES, max);
	/* Decoded text is never longer than its encoding: len + one NUL per part is enough. */
	f->mem_len = len + 2 * SK_FORM_FIELDS_MAX + 2;
	f->mem = malloc(f->mem_len);
	if (!f->mem)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	char *m = f->mem;
	const char *p = body, *end = body + len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		if (stop == p) {
			p = stop + 1;
			continue;
		}
		if (f->n == SK_FORM_FIELDS_MAX)
			return sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL,
			                   SK_M_WEB_FORM_HAS_MORE_FIELDS, SK_FORM_FIELDS_MAX);
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		const char *kend = eq ? eq : stop;
		size_t nn, vn;
		char *name = m;
		if (kend == p ||
		    !sk_url_decode(p, (size_t)(kend - p), name, (size_t)(f->mem + f->mem_len - m),
		                   &nn) ||
		    nn == 0)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_WEB_FIELD_NAME_EMPTY_BADLY);
		m += nn + 1;
		if (!sk_utf8_valid(name, nn, NULL))
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_WEB_FIELD_NAME_UTF);
		for (size_t i = 0; i < f->n; i++)
			if (strcmp(f->name[i], name) == 0) {
				sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
				            SK_M_WEB_FIELD_GIVEN_TWICE, f->name[i]);
				err->field = f->name[i];
				return SK_ERR_INVALID;
			}
		char *value = m;
		const char *v = eq ? eq + 1 : stop;
		if (!sk_url_decode(v, (size_t)(stop - v), value, (size_t)(f->mem + f->mem_len - m),
		                   &vn))
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_WEB_FIELD_BADLY_ENCODED, name);
		m += vn + 1;
		if (!sk_utf8_valid(value, vn, NULL))
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_WEB_FIELD_UTF,
			                   name);
		f->name[f->n] = name;
		f->value[f->n] = value;
		f->value_len[f->n] = vn;
		f->n++;
		p = stop + 1;
	}
	return SK_OK;
}

const char *sk_form_get(const sk_form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->name[i], name) == 0)
			return f->value[i];
	return NULL;
}

void sk_form_free(sk_form *f)
{
	if (f->mem) {
		/* A form may hold a password: wipe it before it is freed. */
		sodium_memzero(f->mem, f->mem_len);
		free(f->mem);
	}
	memset(f, 0, sizeof(*f));
}
