/*
 * asset_vocab: the register's vocabularies: its columns' keys and Japanese headings, and the
 * asset types and network zones with their Japanese names and other spellings.
 */
#include <stdio.h>
#include <string.h>

#include "asset_int.h"

const char *sk_asset_field_key(sk_asset_field f)
{
	return (unsigned)f < SK_AF__COUNT ? af(f)->key : NULL;
}

const char *sk_asset_field_title(sk_asset_field f)
{
	return (unsigned)f < SK_AF__COUNT ? af(f)->ja : NULL;
}

/* --- vocabularies: the stable name, the register's Japanese name, other spellings --- */

const struct word asset_types[] = {
    {"hardware", "ハードウェア", "機器|端末"},
    {"software", "ソフトウェア", ""},
    {"media", "外部記憶媒体", "記憶媒体|媒体|電磁的記録媒体"},
    {"facility", "設備", ""},
    {"document", "ドキュメント", "文書|紙文書"},
    {"data", "データ", "電子データ|情報"},
    {"network", "ネットワーク", ""},
    {"system", "システム", "情報システム"},
};

const struct word asset_zones[] = {
    {"mynumber", "マイナンバー利用事務系", "個人番号利用事務系|マイナンバー系"},
    {"lgwan", "LGWAN接続系", "LGWAN系|ＬＧＷＡＮ接続系"},
    {"internet", "インターネット接続系", "インターネット系"},
};

const size_t asset_ntypes = sizeof(asset_types) / sizeof(asset_types[0]);
const size_t asset_nzones = sizeof(asset_zones) / sizeof(asset_zones[0]);

void asset_word_names(const struct word *w, size_t n, char *out, size_t max)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && o < max; i++)
		o += (size_t)snprintf(out + o, max - o, "%s%s", i ? ", " : "", w[i].name);
}

const char *asset_word_ja(const struct word *w, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(w[i].name, name) == 0)
			return w[i].ja;
	return name;
}
