/*
 * password: checks a candidate password against a profile's rules for an
 * account kind and against the floor under every profile (policy.h): a
 * least length, the common-password list (Debian john-data's password.lst)
 * with the usual variants of its words, and words of the context (the
 * login, the city). The list is read once per process, lowercased and
 * sorted, and searched with bsearch; the comparison is case-insensitive so
 * that "Password" is as common as "password".
 */
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_utf8.h"
#include "policy_int.h"
#include "../core/sk_msg.h"

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
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL,
		                   SK_M_POLICY_CANNOT_READ_COMMON_PASSWORD, list_path);
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
		return sk_fail_msg(err, rc, NULL, NULL, SK_M_POLICY_CANNOT_READ_COMMON_PASSWORD,
		                   list_path);
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

/*
 * Variants. People make a listed word pass a naive check by adding digits
 * and symbols at either end ("password123", "!Dragon2024") and by writing
 * letters as look-alike digits and symbols ("p@ssw0rd"). Each password is
 * looked up as it is and as each of its cores (digits and symbols stripped
 * from the end, the start, or both), each also with the look-alikes read
 * back as letters. '1' and '|' are read both as 'i' and as 'l'.
 */
enum { LEET_NONE, LEET_I, LEET_L, LEET__COUNT };

static char unleet(unsigned char c, int how)
{
	switch (c) {
	case '@':
	case '4':
		return 'a';
	case '8':
		return 'b';
	case '3':
		return 'e';
	case '6':
	case '9':
		return 'g';
	case '!':
		return 'i';
	case '1':
	case '|':
		return how == LEET_L ? 'l' : 'i';
	case '0':
		return 'o';
	case '$':
	case '5':
		return 's';
	case '7':
	case '+':
		return 't';
	case '2':
		return 'z';
	default:
		return (char)c;
	}
}

/* Digits, symbols and spaces: what is added around a word. Non-ASCII bytes are not. */
static bool is_padding(unsigned char c) { return c < 0x80 && !isalpha(c); }

/* Calls fn on each variant of the lowercased key[0..n) until it returns true. */
static bool any_variant(const char *key, size_t n, bool (*fn)(const char *v, void *ctx), void *ctx)
{
	size_t lead = 0, trail = n;
	while (lead < n && is_padding((unsigned char)key[lead]))
		lead++;
	while (trail > lead && is_padding((unsigned char)key[trail - 1]))
		trail--;
	const size_t cuts[4][2] = {{0, n}, {lead, trail}, {0, trail}, {lead, n}};
	char v[MAX_WORD];
	bool found = false;
	for (size_t c = 0; c < 4 && !found; c++) {
		size_t from = cuts[c][0], to = cuts[c][1];
		if (to <= from)
			continue;
		for (int how = LEET_NONE; how < LEET__COUNT && !found; how++) {
			for (size_t i = from; i < to; i++)
				v[i - from] =
				    how == LEET_NONE ? key[i] : unleet((unsigned char)key[i], how);
			v[to - from] = '\0';
			found = fn(v, ctx);
		}
	}
	sodium_memzero(v, sizeof(v));
	return found;
}

static bool in_list(const char *v, void *ctx)
{
	(void)ctx;
	return bsearch(&v, list_words, list_count, sizeof(*list_words), cmp_word) != NULL;
}

/* The words of the context, lowercased; NULL-terminated. */
struct context {
	const char *word[6];
};

static bool is_context(const char *v, void *ctx)
{
	const struct context *c = ctx;
	for (size_t i = 0; c->word[i]; i++)
		if (c->word[i][0] && strcmp(v, c->word[i]) == 0)
			return true;
	return false;
}

/* The lowercased password; false when it is longer than any word compared. */
static bool make_key(const char *pw, size_t len, char key[MAX_WORD])
{
	if (len == 0 || len >= MAX_WORD)
		return false;
	memcpy(key, pw, len);
	key[len] = '\0';
	lower_ascii(key, len);
	return true;
}

static sk_err is_common(const char *pw, size_t len, bool *common, sk_buf *err)
{
	*common = false;
	pthread_mutex_lock(&list_lock);
	sk_err rc = list_loaded ? SK_OK : load_list(err);
	char key[MAX_WORD];
	if (rc == SK_OK && make_key(pw, len, key))
		*common = any_variant(key, len, in_list, NULL);
	sodium_memzero(key, sizeof(key));
	pthread_mutex_unlock(&list_lock);
	return rc;
}

/* The city's name without its 市/区/町/村, so "八王子" counts as well as "八王子市". */
static void city_stem(const char *name, char *out, size_t n)
{
	static const char *const suffixes[] = {"市", "区", "町", "村"};
	(void)snprintf(out, n, "%s", name ? name : "");
	size_t len = strlen(out);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = strlen(suffixes[i]);
		if (len > k && strcmp(out + len - k, suffixes[i]) == 0) {
			out[len - k] = '\0';
			return;
		}
	}
}

static bool is_context_word(const sk_policy *p, const char *login, const char *pw, size_t len)
{
	char key[MAX_WORD], lg[MAX_WORD] = "", id[MAX_WORD] = "", stem[MAX_WORD];
	if (!make_key(pw, len, key))
		return false;
	if (login)
		(void)snprintf(lg, sizeof(lg), "%s", login);
	if (sk_policy_city_id(p))
		(void)snprintf(id, sizeof(id), "%s", sk_policy_city_id(p));
	lower_ascii(lg, strlen(lg));
	lower_ascii(id, strlen(id));
	city_stem(sk_policy_city_name(p), stem, sizeof(stem));
	const char *name = sk_policy_city_name(p);
	struct context c = {{lg, id, name ? name : "", stem, "sekisho", NULL}};
	bool found = any_variant(key, len, is_context, &c);
	sodium_memzero(key, sizeof(key));
	return found;
}

int sk_policy_password_floor_min(const sk_pw_subject *who)
{
	return who->kind == SK_KIND_PRIVILEGED && !who->mfa ? SK_PW_FLOOR_MIN_SINGLE
	                                                    : SK_PW_FLOOR_MIN;
}

sk_err sk_policy_password_verdict(const sk_policy *p, const sk_pw_subject *who, const char *pw,
                                  size_t len, sk_pw_verdict *out, sk_buf *err)
{
	out->profile = out->floor = 0;
	if ((unsigned)who->kind >= SK_KIND__COUNT)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
		                   SK_M_POLICY_UNKNOWN_ACCOUNT_KIND);
	const sk_password_rules *r = &p->pw[who->kind];
	uint32_t v = 0, floor = 0;
	unsigned classes = 0;
	size_t cps = 0;
	const unsigned char *s = (const unsigned char *)pw;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = sk_utf8_decode(s + i, len - i, &cp);
		if (k == 0) {
			floor |= 1u << SK_PWV_INVALID_UTF8;
			i++;
			continue;
		}
		i += k;
		cps++;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			floor |= 1u << SK_PWV_CONTROL_CHARACTER;
		else if (cp >= 'A' && cp <= 'Z')
			classes |= SK_PWCLASS_UPPER;
		else if (cp >= 'a' && cp <= 'z')
			classes |= SK_PWCLASS_LOWER;
		else if (cp >= '0' && cp <= '9')
			classes |= SK_PWCLASS_DIGIT;
		else if (cp < 0x80)
			classes |= SK_PWCLASS_SYMBOL;
	}
	if (r->min_length && cps < (size_t)r->min_length)
		v |= 1u << SK_PWV_MIN_LENGTH;
	if (cps < (size_t)sk_policy_password_floor_min(who))
		floor |= 1u << SK_PWV_MIN_LENGTH;
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
		floor |= 1u << SK_PWV_COMMON_PASSWORD;
	if (is_context_word(p, who->login, pw, len))
		floor |= 1u << SK_PWV_CONTEXT_WORD;
	out->profile = v;
	out->floor = floor;
	return SK_OK;
}

sk_err sk_policy_password_check(const sk_policy *p, sk_account_kind kind, const char *pw,
                                size_t len, uint32_t *violations, sk_buf *err)
{
	*violations = 0;
	sk_pw_subject who = {.kind = kind, .mfa = sk_policy_mfa_required(p, kind, SK_ZONE_NONE)};
	sk_pw_verdict v;
	sk_err rc = sk_policy_password_verdict(p, &who, pw, len, &v, err);
	if (rc == SK_OK)
		*violations = v.profile | v.floor;
	return rc;
}

static void add_names(sk_buf *out, uint32_t bits)
{
	for (unsigned i = 0, first = 1; i < SK_PWV__COUNT; i++)
		if (bits & (1u << i))
			(void)sk_buf_addf(out, "%s%s", first ? "" : ", ",
			                  sk_pw_violation_name((sk_pw_violation)i)),
			    first = 0;
}

void sk_policy_password_explain(const sk_policy *p, const sk_pw_verdict *v, sk_buf *out)
{
	if (v->profile) {
		(void)sk_buf_addf(out, "breaks the %s profile's rules: ", sk_policy_city_id(p));
		add_names(out, v->profile);
	}
	if (v->floor) {
		(void)sk_buf_addf(out, "%sbreaks the floor under every profile (%s): ",
		                  v->profile ? "; and " : "", SK_PW_FLOOR_CITATION);
		add_names(out, v->floor);
	}
}
