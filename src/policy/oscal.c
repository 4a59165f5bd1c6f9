/*
 * oscal: writes a profile as an OSCAL 1.1.2 catalog in JSON. One group per
 * chapter, one control per article (its statement is the article title), and
 * under it one control per handling rule whose first citation is that
 * article, with props for action, decision, approver, safeguards and
 * exception. Rules that cite nothing (inferred) go into a group of their own.
 *
 * The catalog uuid is a name-based (version 5) UUID of the city id, so that
 * exports of the same profile keep their identity.
 */
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sk_clock.h"
#include "../core/sk_utf8.h"
#include "../core/sk_version.h"
#include "policy_int.h"

#define SK_OSCAL_NS "https://github.com/sekisho/sekisho/ns/oscal"

/* RFC 9562 version 5 UUID of name in a fixed sekisho namespace. */
static void uuid5(const char *name, char out[37])
{
	static const unsigned char ns[16] = {0x6b, 0x1f, 0x3c, 0x2a, 0x9e, 0x57, 0x4d, 0x0b,
	                                     0x8a, 0x33, 0x51, 0x7c, 0x2e, 0x90, 0x14, 0xd6};
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hlen = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (!c || !EVP_DigestInit_ex(c, EVP_sha1(), NULL) || !EVP_DigestUpdate(c, ns, sizeof(ns)) ||
	    !EVP_DigestUpdate(c, name, strlen(name)) || !EVP_DigestFinal_ex(c, h, &hlen))
		memset(h, 0, sizeof(h)); /* cannot happen short of OOM; still a well-formed id */
	EVP_MD_CTX_free(c);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x50);
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12],
	         h[13], h[14], h[15]);
}

/* An OSCAL token from free text: letters, digits, '-', '_', '.'; others become '-'. */
static void token(const char *prefix, const char *s, char *out, size_t n)
{
	size_t k = (size_t)snprintf(out, n, "%s", prefix);
	for (; *s && k + 1 < n; s++) {
		unsigned char c = (unsigned char)*s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
		out[k++] = ok ? (char)c : '-';
	}
	out[k] = '\0';
}

/*
 * The words a citation's number is made of, spelled in ASCII: the parts of
 * a policy ("基準 2(2)⑧イ" is std-2.2.8.i), the circled numbers and the
 * katakana that number items (ア, イ, ウ ... as a, b, c ...: 五十音順, as
 * the documents count them).
 */
static const struct {
	const char *ja, *ascii;
} id_words[] = {
    {"基本方針", "policy"},
    {"方針", "policy"},
    {"対策基準", "std"},
    {"基準", "std"},
    {"別記", "annex"},
    {"別表", "table"},
    {"留意事項", "notes"},
    {"附則", "suppl"},
    {"第", ""},
    {"章", ""},
    {"条", ""},
    {"項", ""},
    {"号", ""},
};

static const char *const kana_order[] = {
    "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ", "サ", "シ", "ス", "セ", "ソ",
    "タ", "チ", "ツ", "テ", "ト", "ナ", "ニ", "ヌ", "ネ", "ノ", "ハ", "ヒ", "フ", "ヘ", "ホ",
    "マ", "ミ", "ム", "メ", "モ", "ヤ", "ユ", "ヨ", "ラ", "リ", "ル", "レ", "ロ", "ワ",
};

/* Appends a segment to out, separated by sep from what is there. */
static void put_seg(char *out, size_t n, size_t *k, bool *sep, const char *seg)
{
	if (!*seg)
		return;
	if (*sep && *k && out[*k - 1] != '-' && out[*k - 1] != '.' && *k + 1 < n)
		out[(*k)++] = '.';
	*sep = false;
	for (; *seg && *k + 1 < n; seg++)
		out[(*k)++] = *seg;
	out[*k] = '\0';
}

/*
 * An OSCAL id from an article or chapter number ("基準 2(2)⑧イ" ->
 * "std-2.2.8.b"): numbers, circled numbers and item katakana in order,
 * joined by dots, the policy's parts by their ASCII names. *whole says
 * whether every character was understood; when not, the caller numbers
 * the item instead, since dropping what is not understood could make two
 * ids the same.
 */
static void number_id(const char *prefix, const char *s, char *out, size_t n, bool *whole)
{
	size_t k = (size_t)snprintf(out, n, "%s", prefix), start = k;
	bool sep = false;
	*whole = true;
	while (*s && k + 1 < n) {
		const unsigned char *u = (const unsigned char *)s;
		char seg[16];
		if ((*u >= '0' && *u <= '9') ||
		    (u[0] == 0xef && u[1] == 0xbc && u[2] >= 0x90 && u[2] <= 0x99)) {
			size_t m = 0;
			while (m + 1 < sizeof(seg)) {
				u = (const unsigned char *)s;
				if (*u >= '0' && *u <= '9') {
					seg[m++] = (char)*u;
					s++;
				} else if (u[0] == 0xef && u[1] == 0xbc && u[2] >= 0x90 &&
				           u[2] <= 0x99) {
					seg[m++] = (char)('0' + u[2] - 0x90);
					s += 3;
				} else
					break;
			}
			seg[m] = '\0';
			sep = true;
			put_seg(out, n, &k, &sep, seg);
			sep = true;
			continue;
		}
		/* ① (U+2460) .. ⑳ (U+2473): e2 91 a0 .. e2 91 b3 */
		if (u[0] == 0xe2 && u[1] == 0x91 && u[2] >= 0xa0 && u[2] <= 0xb3) {
			snprintf(seg, sizeof(seg), "%d", u[2] - 0xa0 + 1);
			sep = true;
			put_seg(out, n, &k, &sep, seg);
			sep = true;
			s += 3;
			continue;
		}
		/* Ⅰ..Ⅻ (U+2160..216B) and ⅰ..ⅻ (U+2170..217B), the items under a katakana one */
		if (u[0] == 0xe2 && u[1] == 0x85 &&
		    ((u[2] >= 0xa0 && u[2] <= 0xab) || (u[2] >= 0xb0 && u[2] <= 0xbb))) {
			static const char *const roman[] = {"i",  "ii", "iii", "iv",
			                                    "v",  "vi", "vii", "viii",
			                                    "ix", "x",  "xi",  "xii"};
			sep = true;
			put_seg(out, n, &k, &sep, roman[(u[2] & 0x0f) % 12]);
			sep = true;
			s += 3;
			continue;
		}
		if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z')) {
			seg[0] = (char)(*u | 0x20);
			seg[1] = '\0';
			sep = true;
			put_seg(out, n, &k, &sep, seg);
			sep = true;
			s++;
			continue;
		}
		if (*u == '(' || *u == ')' || *u == '.' || *u == '-' || strncmp(s, "（", 3) == 0 ||
		    strncmp(s, "）", 3) == 0) {
			sep = true;
			s += *u < 0x80 ? 1 : 3;
			continue;
		}
		if (*u == ' ' || strncmp(s, "\xe3\x80\x80", 3) == 0) {
			if (k > start && out[k - 1] != '-' && k + 1 < n)
				out[k++] = '-';
			out[k] = '\0';
			sep = false;
			s += *u == ' ' ? 1 : 3;
			continue;
		}
		bool found = false;
		for (size_t i = 0; !found && i < sizeof(kana_order) / sizeof(kana_order[0]); i++) {
			size_t l = strlen(kana_order[i]);
			if (strncmp(s, kana_order[i], l) == 0) {
				seg[0] = (char)('a' + i % 26);
				seg[1] = i >= 26 ? seg[0] : '\0';
				seg[2] = '\0';
				sep = true;
				put_seg(out, n, &k, &sep, seg);
				sep = true;
				s += l;
				found = true;
			}
		}
		for (size_t i = 0; !found && i < sizeof(id_words) / sizeof(id_words[0]); i++) {
			size_t l = strlen(id_words[i].ja);
			if (strncmp(s, id_words[i].ja, l) == 0) {
				if (*id_words[i].ascii) {
					if (k > start && out[k - 1] != '-' && k + 1 < n)
						out[k++] = '-';
					out[k] = '\0';
					sep = false;
					put_seg(out, n, &k, &sep, id_words[i].ascii);
				}
				s += l;
				found = true;
			}
		}
		if (!found) { /* a character not understood: skipped whole */
			*whole = false;
			uint32_t cp;
			size_t l = sk_utf8_decode((const unsigned char *)s, strlen(s), &cp);
			s += l ? l : 1;
		}
	}
	while (k > start && (out[k - 1] == '-' || out[k - 1] == '.'))
		k--;
	out[k] = '\0';
	if (k == start)
		*whole = false;
}

/* Whether id is one of the first n ids of list. */
static bool id_taken(char (*list)[160], size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], id) == 0)
			return true;
	return false;
}

static json_t *prop(const char *name, const char *value)
{
	return json_pack("{s:s, s:s, s:s}", "name", name, "value", value, "ns", SK_OSCAL_NS);
}

static json_t *rule_control(const sk_rule *r)
{
	char id[160];
	token("rule-", r->id, id, sizeof(id));
	json_t *props = json_array();
	for (int a = 0; a < SK_ACT__COUNT; a++)
		if (r->actions & (1u << a))
			json_array_append_new(props, prop("action", sk_action_name((sk_action)a)));
	json_array_append_new(props, prop("decision", sk_decision_name(r->decision)));
	/* Every approver in the profile's order; with several, how they combine. */
	for (unsigned i = 0; i < r->n_approvers; i++)
		json_array_append_new(props, prop("approver-role", sk_role_name(r->approvers[i])));
	if (r->n_approvers > 1)
		json_array_append_new(
		    props, prop("approver-mode", sk_approver_mode_name(r->approver_mode)));
	for (int s = 0; s < SK_SG__COUNT; s++)
		if (r->safeguards & (1u << s))
			json_array_append_new(
			    props, prop("safeguard", sk_safeguard_name((sk_safeguard)s)));
	json_array_append_new(props, prop("exception-possible", r->exception ? "true" : "false"));
	if (r->inferred)
		json_array_append_new(props, prop("inferred", "true"));
	for (unsigned c = 0; c < r->n_cites; c++)
		json_array_append_new(props, prop("citation", r->cites[c]));
	char sid[200];
	snprintf(sid, sizeof(sid), "%s_smt", id);
	json_t *ctl = json_pack("{s:s, s:s, s:o}", "id", id, "title", r->id, "props", props);
	if (r->note)
		json_object_set_new(ctl, "parts",
		                    json_pack("[{s:s, s:s, s:s}]", "id", sid, "name", "statement",
		                              "prose", r->note));
	return ctl;
}

static json_t *find_group(json_t *groups, const char *gid)
{
	size_t i;
	json_t *g;
	json_array_foreach (groups, i, g) {
		if (strcmp(json_string_value(json_object_get(g, "id")), gid) == 0)
			return g;
	}
	return NULL;
}

static const char *chapter_title(const sk_policy *p, const char *chapter)
{
	for (size_t i = 0; i < p->n_chapters; i++)
		if (strcmp(p->chapters[i].id, chapter) == 0)
			return p->chapters[i].title;
	return chapter;
}

sk_err sk_policy_export_oscal(const sk_policy *p, sk_buf *out)
{
	char uuid[37], now[SK_TIME_STR_MAX], name[256];
	snprintf(name, sizeof(name), "sekisho-profile:%s", p->city_id);
	uuid5(name, uuid);
	sk_clock_format(sk_clock_now(), now);
	char title[512];
	snprintf(title, sizeof(title), "%s 情報セキュリティポリシー (sekisho profile %s)",
	         p->city_name, p->city_id);
	json_t *meta =
	    json_pack("{s:s, s:s, s:s, s:s}", "title", title, "last-modified", now, "version",
	              p->city_version ? p->city_version : SK_VERSION, "oscal-version", "1.1.2");
	if (p->city_source)
		json_object_set_new(meta, "remarks", json_string(p->city_source));
	json_t *groups = json_array();
	json_t *article_ctl[SK_POLICY_MAX_ARTICLES];
	/*
	 * Ids come from the numbers of chapters and articles ("基準 2" is ch-std-2,
	 * "7(2)ア" art-7.2.a), never from their Japanese text, which a token
	 * would reduce to dashes; a number not wholly understood, or one
	 * already taken, falls back to the item's place (ch-3, art-12).
	 */
	char(*cids)[160] = calloc(p->n_articles ? p->n_articles : 1, sizeof(*cids));
	if (!cids) {
		json_decref(meta);
		json_decref(groups);
		return SK_ERR_NOMEM;
	}
	for (size_t i = 0; i < p->n_articles; i++) {
		const sk_article *a = &p->articles[i];
		char gid[160], sid[200];
		bool whole;
		number_id("ch-", a->chapter, gid, sizeof(gid), &whole);
		if (!whole) {
			size_t ch = 0;
			while (ch < p->n_chapters && strcmp(p->chapters[ch].id, a->chapter) != 0)
				ch++;
			snprintf(gid, sizeof(gid), "ch-%zu", ch + 1);
		}
		char *cid = cids[i];
		number_id("art-", a->id, cid, sizeof(cids[i]), &whole);
		if (!whole || id_taken(cids, i, cid))
			snprintf(cid, sizeof(cids[i]), "art-%zu", i + 1);
		json_t *g = find_group(groups, gid);
		if (!g) {
			g = json_pack("{s:s, s:s, s:[]}", "id", gid, "title",
			              chapter_title(p, a->chapter), "controls");
			json_array_append_new(groups, g);
		}
		snprintf(sid, sizeof(sid), "%s_smt", cid);
		json_t *props = json_array();
		json_array_append_new(props,
		                      json_pack("{s:s, s:s}", "name", "label", "value", a->id));
		if (a->out_of_scope)
			json_array_append_new(props, prop("out-of-scope", a->out_of_scope));
		json_t *ctl = json_pack("{s:s, s:s, s:o, s:[{s:s, s:s, s:s}]}", "id", cid, "title",
		                        a->title, "props", props, "parts", "id", sid, "name",
		                        "statement", "prose", a->citation);
		json_array_append_new(json_object_get(g, "controls"), ctl);
		article_ctl[i] = ctl;
	}
	json_t *inferred = NULL;
	for (size_t i = 0; i < p->n_rules; i++) {
		const sk_rule *r = &p->rules[i];
		json_t *parent;
		if (r->cite_arts && r->n_cites) {
			parent = article_ctl[r->cite_arts[0]];
		} else {
			if (!inferred) {
				inferred = json_pack("{s:s, s:s, s:[]}", "id", "inferred", "title",
				                     "inferred rules (not stated by the seed)",
				                     "controls");
				json_array_append_new(groups, inferred);
			}
			parent = inferred;
		}
		json_t *list = json_object_get(parent, "controls");
		if (!list) {
			list = json_array();
			json_object_set_new(parent, "controls", list);
		}
		json_array_append_new(list, rule_control(r));
	}
	free(cids);
	json_t *doc = json_pack("{s:{s:s, s:o, s:o}}", "catalog", "uuid", uuid, "metadata", meta,
	                        "groups", groups);
	if (!doc)
		return SK_ERR_NOMEM;
	char *text = json_dumps(doc, JSON_INDENT(2));
	json_decref(doc);
	if (!text)
		return SK_ERR_NOMEM;
	sk_err rc = sk_buf_adds(out, text);
	if (rc == SK_OK)
		rc = sk_buf_addc(out, '\n');
	free(text);
	return rc;
}
