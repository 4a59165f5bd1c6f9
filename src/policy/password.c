/*
 * password: checks a candidate password against a profile's rules for an
 * account kind and against the common-password list (Debian john-data's
 * password.lst). The list is read once per process, lowercased and sorted,
 * and searched with bsearch; the comparison is case-insensitive so that
 * "Password" is as common as "password".
 */
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_utf8.h"
#include "policy_int.h"

#define MAX_LIST_BYTES (16u << 20)
#define MAX_WORD       256

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *list_path = SK_POLICY_COMMON_PASSWORDS;
static char *list_data;   /* all words, NUL-separated */
static char **list_words; /* sorted */
static size_t list_count;
static bool list_loaded;

void sk_policy_set_common_password_list(const char *path)
{
	pthread_mutex_lock(&list_lock);
	free(list_words);
	free(list_data);
	list_words = NULL;
	list_data = NULL;
	list_count = 0;
	list_loaded = false;
	list_path = path ? path : SK_POLICY_COMMON_PASSWORDS;
	pthread_mutex_unlock(&list_lock);
}

static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lower_ascii(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
}

/* Reads the list; called with list_lock held. */
static sk_err load_list(sk_buf *err)
{
	FILE *f = fopen(list_path, "rb");
	if (!f)
		return sk_fail(err, SK_ERR_IO, "cannot read the common-password list %s",
		               list_path);
	sk_buf b = SK_BUF_INIT(MAX_LIST_BYTES);
	char chunk[65536];
	size_t n;
	sk_err rc = SK_OK;
	while (rc == SK_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = sk_buf_add(&b, chunk, n);
	if (rc == SK_OK && ferror(f))
		rc = SK_ERR_IO;
	fclose(f);
	if (rc != SK_OK) {
		sk_buf_free(&b);
		return sk_fail(err, rc, "cannot read the common-password list %s", list_path);
	}
	size_t lines = 1;
	for (size_t i = 0; i < b.len; i++)
		lines += b.data[i] == '\n';
	char **words = malloc(lines * sizeof(*words));
	if (!words) {
		sk_buf_free(&b);
		return SK_ERR_NOMEM;
	}
	size_t count = 0;
	char *s = b.data, *end = b.data + b.len;
	while (s < end) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		char *e = nl ? nl : end;
		if (e > s && e[-1] == '\r')
			e[-1] = '\0', e--;
		*e = '\0';
		if (e > s && strncmp(s, "#!comment:", 10) != 0) {
			lower_ascii(s, (size_t)(e - s));
			words[count++] = s;
		}
		s = nl ? nl + 1 : end;
	}
	qsort(words, count, sizeof(*words), cmp_word);
	list_data = sk_buf_detach(&b);
	list_words = words;
	list_count = count;
	list_loaded = true;
	return SK_OK;
}

static sk_err is_common(const char *pw, size_t len, bool *common, sk_buf *err)
{
	*common = false;
	pthread_mutex_lock(&list_lock);
	sk_err rc = list_loaded ? SK_OK : load_list(err);
	if (rc == SK_OK && len > 0 && len < MAX_WORD) {
		char key[MAX_WORD];
		memcpy(key, pw, len);
		key[len] = '\0';
		lower_ascii(key, len);
		const char *k = key;
		*common =
		    bsearch(&k, list_words, list_count, sizeof(*list_words), cmp_word) != NULL;
		sodium_memzero(key, sizeof(key));
	}
	pthread_mutex_unlock(&list_lock);
	return rc;
}

sk_err sk_policy_password_check(const sk_policy *p, sk_account_kind kind, const char *pw,
                                size_t len, uint32_t *violations, sk_buf *err)
{
	*violations = 0;
	if ((unsigned)kind >= SK_KIND__COUNT)
		return sk_fail(err, SK_ERR_INVALID, "unknown account kind");
	const sk_password_rules *r = &p->pw[kind];
	uint32_t v = 0;
	unsigned classes = 0;
	size_t cps = 0;
	const unsigned char *s = (const unsigned char *)pw;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = sk_utf8_decode(s + i, len - i, &cp);
		if (k == 0) {
			v |= 1u << SK_PWV_INVALID_UTF8;
			i++;
			continue;
		}
		i += k;
		cps++;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			v |= 1u << SK_PWV_CONTROL_CHARACTER;
		else if (cp >= 'A' && cp <= 'Z')
			classes |= SK_PWCLASS_UPPER;
		else if (cp >= 'a' && cp <= 'z')
			classes |= SK_PWCLASS_LOWER;
		else if (cp >= '0' && cp <= '9')
			classes |= SK_PWCLASS_DIGIT;
		else if (cp < 0x80)
			classes |= SK_PWCLASS_SYMBOL;
	}
	if (cps == 0 || (r->min_length && cps < (size_t)r->min_length))
		v |= 1u << SK_PWV_MIN_LENGTH;
	if (r->max_length && cps > (size_t)r->max_length)
		v |= 1u << SK_PWV_MAX_LENGTH;
	static const struct {
		unsigned cls;
		sk_pw_violation viol;
	} req[] = {
	    {SK_PWCLASS_UPPER, SK_PWV_REQUIRE_UPPER},
	    {SK_PWCLASS_LOWER, SK_PWV_REQUIRE_LOWER},
	    {SK_PWCLASS_DIGIT, SK_PWV_REQUIRE_DIGIT},
	    {SK_PWCLASS_SYMBOL, SK_PWV_REQUIRE_SYMBOL},
	};
	for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		if ((r->require & req[i].cls) && !(classes & req[i].cls))
			v |= 1u << req[i].viol;
	if (r->min_classes && __builtin_popcount(classes) < r->min_classes)
		v |= 1u << SK_PWV_MIN_CLASSES;
	bool common;
	sk_err rc = is_common(pw, len, &common, err);
	if (rc != SK_OK)
		return rc;
	if (common)
		v |= 1u << SK_PWV_COMMON_PASSWORD;
	*violations = v;
	return SK_OK;
}
