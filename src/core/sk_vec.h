/*
 * sk_vec: room for one more element in a growable array (items, n used of
 * cap), the push that callbacks collecting rows write again and again.
 */
#ifndef SK_VEC_H
#define SK_VEC_H

#include <stdint.h>
#include <stdlib.h>

/*
 * items (n used, *cap allocated, of size bytes each) with room for at least
 * one more: as it is while n < *cap, else reallocated to twice *cap (first
 * when *cap is 0) and *cap updated. NULL when out of memory or when the
 * size would overflow: items is then still valid and *cap unchanged. The
 * caller stores the answer back: `if (!(v = sk_vec_room(v, n, &cap, sizeof(*v), 16)))`
 * would lose v, so take it into a temporary first.
 */
static inline void *sk_vec_room(void *items, size_t n, size_t *cap, size_t size, size_t first)
{
	if (n < *cap)
		return items;
	size_t want = *cap ? *cap * 2 : first;
	if (want < *cap || (size && want > SIZE_MAX / size))
		return NULL;
	void *grown = realloc(items, want * size);
	if (grown)
		*cap = want;
	return grown;
}

#endif
