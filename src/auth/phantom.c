/*
 * phantom: lockout state for unknown logins. See phantom.h for the contract.
 */
#include "phantom.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../domain/user.h"

/* How many slots a login may probe from its hash before one gives way. */
#define PROBE 16

struct slot {
	int64_t last_seen; /* 0: empty */
	char login[SK_LOGIN_MAX + 1];
	sk_phantom st;
};

static struct {
	pthread_mutex_t mu;
	struct slot slots[SK_PHANTOM_SLOTS];
} tb = {.mu = PTHREAD_MUTEX_INITIALIZER};

static uint32_t fnv(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot holding login (under the lock), or NULL. */
static struct slot *lookup(const char *login)
{
	uint32_t h = fnv(login);
	for (int i = 0; i < PROBE; i++) {
		struct slot *sl = &tb.slots[(h + (uint32_t)i) % SK_PHANTOM_SLOTS];
		if (sl->last_seen && strcmp(sl->login, login) == 0)
			return sl;
	}
	return NULL;
}

sk_phantom sk_phantom_get(const char *login)
{
	sk_phantom st = {0};
	if (!login || strlen(login) > SK_LOGIN_MAX)
		return st;
	pthread_mutex_lock(&tb.mu);
	struct slot *sl = lookup(login);
	if (sl)
		st = sl->st;
	pthread_mutex_unlock(&tb.mu);
	return st;
}

void sk_phantom_put(const char *login, const sk_phantom *st, int64_t now)
{
	if (!login || strlen(login) > SK_LOGIN_MAX)
		return;
	bool forget = st->failed == 0 && st->lockouts == 0 && st->locked_until == 0;
	pthread_mutex_lock(&tb.mu);
	struct slot *sl = lookup(login);
	if (!sl && !forget) {
		uint32_t h = fnv(login);
		for (int i = 0; i < PROBE; i++) {
			struct slot *c = &tb.slots[(h + (uint32_t)i) % SK_PHANTOM_SLOTS];
			if (!sl || !c->last_seen || (sl->last_seen && c->last_seen < sl->last_seen))
				sl = c;
		}
		memset(sl, 0, sizeof(*sl));
		(void)snprintf(sl->login, sizeof(sl->login), "%s", login);
	}
	if (sl && forget) {
		memset(sl, 0, sizeof(*sl));
	} else if (sl) {
		sl->st = *st;
		sl->last_seen = now > 0 ? now : 1;
	}
	pthread_mutex_unlock(&tb.mu);
}

void sk_phantom_clear(void)
{
	pthread_mutex_lock(&tb.mu);
	memset(tb.slots, 0, sizeof(tb.slots));
	pthread_mutex_unlock(&tb.mu);
}
