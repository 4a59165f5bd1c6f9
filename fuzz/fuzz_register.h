/*
 * fuzz_register: what the register's import targets share: one in-memory
 * SQLite register with a city and a section, kept across inputs, and its row
 * count, by which each target checks the all-or-nothing contract.
 */
#ifndef SK_FUZZ_REGISTER_H
#define SK_FUZZ_REGISTER_H

#include <stdint.h>
#include <stdlib.h>

#include "store/store.h"

static inline sk_store *fuzz_register(void)
{
	static sk_store *s;
	if (!s) {
		if (sk_store_open(":memory:", SK_STORE_CREATE, &s, NULL) != SK_OK)
			abort();
		if (sk_store_exec(
		        s,
		        "INSERT INTO org_unit(id, code, name, kind, parent_id, created_at) "
		        "VALUES (1, 'city', '市', 'municipality', NULL, 0), "
		        "(2, 'it', '情報政策課', 'department', 1, 0)",
		        NULL, 0, NULL, NULL) != SK_OK)
			abort();
	}
	return s;
}

static inline int64_t fuzz_register_rows(sk_store *s)
{
	int64_t n = -1;
	if (sk_store_query_int(s, "SELECT COUNT(*) FROM assets", NULL, 0, &n, NULL) != SK_OK)
		abort();
	return n;
}

#endif
