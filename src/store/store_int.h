/*
 * store_int: what the two backends share and nothing outside src/store may
 * use.
 */
#ifndef SK_STORE_INT_H
#define SK_STORE_INT_H

/*
 * FNV-1a of a statement's SQL text: the key of each backend's cache of
 * prepared statements, which domain code fills with string literals.
 */
unsigned sk_store_sql_hash(const char *sql);

#endif
