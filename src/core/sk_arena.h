/*
 * sk_arena: a bump allocator for memory that lives exactly as long as one
 * request or one command (after h2o's req->pool). Allocate freely, free once
 * with sk_arena_free. Nothing allocated here may be passed to free().
 */
#ifndef SK_ARENA_H
#define SK_ARENA_H

#include <stddef.h>

typedef struct sk_arena_chunk sk_arena_chunk;

typedef struct sk_arena {
	sk_arena_chunk *head;
	size_t total; /* bytes handed out so far */
	size_t max;   /* the most this arena may hand out; 0 means no cap */
} sk_arena;

#define SK_ARENA_INIT                                                                              \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* Returns n bytes aligned for any type, or NULL when out of memory or past max. */
void *sk_arena_alloc(sk_arena *a, size_t n);
/* Copies s (n bytes) and adds a NUL. */
char *sk_arena_strndup(sk_arena *a, const char *s, size_t n);
char *sk_arena_strdup(sk_arena *a, const char *s);
/* Releases every allocation; the arena can be used again afterwards. */
void sk_arena_free(sk_arena *a);

#endif
