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

/* The words themselves are policy's one table (policy.h, sk_vocab_*). */
const size_t asset_ntypes = SK_ASSET__COUNT - 1;
const size_t asset_nzones = SK_ZONE__COUNT;

const char *asset_word_ja(const sk_word *w, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(w[i].name, name) == 0)
			return w[i].ja;
	return name;
}
