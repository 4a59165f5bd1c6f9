/*
 * schema: the versioned migrations of each backend, oldest first. A released
 * migration is never edited; a change to the schema is a new entry at the end
 * of both lists, kept equivalent between the two dialects.
 */
#ifndef SK_SCHEMA_H
#define SK_SCHEMA_H

#include <stddef.h>

/* The number of migrations. Raising it without adding an entry leaves a NULL, which sk_store_open
 * reports. */
#define SK_SCHEMA_VERSION 14

extern const char *const sk_schema_sqlite[SK_SCHEMA_VERSION];
extern const char *const sk_schema_pg[SK_SCHEMA_VERSION];

#endif
