/* sk_arena: chunked bump allocation. */
#include "sk_arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sk_arena_chunk {
	sk_arena_chunk *next;
	size_t used;
	size_t size;
	alignas(max_align_t) unsigned char mem[];
};

#define CHUNK_MIN 4096u

void *sk_arena_alloc(sk_arena *a, size_t n)
{
	const size_t al = alignof(max_align_t);
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + al - 1) & ~(al - 1);
	if (a->max && (n > a->max || a->total > a->max - n))
		return NULL;
	sk_arena_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
		if (c && size < c->size * 2 && c->size * 2 <= (1u << 20))
			size = c->size * 2;
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->mem + c->used;
	c->used += n;
	a->total += n;
	return p;
}

char *sk_arena_strndup(sk_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = sk_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *sk_arena_strdup(sk_arena *a, const char *s) { return sk_arena_strndup(a, s, strlen(s)); }

void sk_arena_free(sk_arena *a)
{
	sk_arena_chunk *c = a->head;
	while (c) {
		sk_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}
