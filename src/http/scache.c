/*
 * scache: the server's session cache. Checking a session in the database
 * costs several statements (the session and account, the roles, the
 * recursive scope query); a busy client makes many requests a second with
 * the same cookie. Each loop thread keeps its own small table (no locks)
 * from the SHA-256 of the cookie token to what the checks found: the
 * principal (user, login, must-change, CSRF token, absolute end, idle
 * limit), the role mask and the sorted ids of the units in scope.
 *
 * Freshness, in this order of strength:
 *  - changes made through this process (logout, password change, account
 *    disable/enable, role grant/revoke, TOTP reset or confirmation, new units) bump one
 *    process-wide generation after they commit; an entry
 *    validated under an older generation is checked again, so they take
 *    effect on the very next request (the generation is read BEFORE the
 *    database is, so a check racing a change is stored as already stale);
 *  - changes made by other processes (the CLI: `sekisho user disable`,
 *    `sekisho role revoke`) are seen within SCACHE_TTL_US: an entry older
 *    than that is checked again against the database;
 *  - the idle and absolute timeouts are evaluated on every request with the
 *    injectable clock; a hit near the idle limit goes to the database,
 *    which decides with the stored last-seen time. That time is written at
 *    most every 30 seconds per session (auth.c), so an entry is trusted
 *    only while it is more than that far from the idle limit.
 * Logins bump nothing, failed or not: a failure only counts towards a
 * lockout, which refuses new logins and ends no session (the session check
 * reads the account's status, not its lockout), and a success only adds a
 * session and drops the account's sessions past their limits, which the
 * timeouts above already keep out of the cache. So an anonymous client
 * cannot flush every thread's cache by posting wrong passwords.
 * A different client address also goes to the database (it records it).
 * Failures are never cached: an unknown or ended session always costs the
 * full check.
 *
 * Ownership: a thread's table belongs to that thread; the principal and
 * unit list handed out stay valid until the thread's next lookup, i.e. for
 * the synchronous part of one request (pool.c copies what it keeps).
 */
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../auth/auth.h"
#include "../core/sk_clock.h"
#include "http_int.h"

#define SCACHE_SLOTS  256
#define SCACHE_TTL_US INT64_C(1000000) /* the staleness bound for other processes' changes */
/* auth.c writes a session's last-seen time at most this often (seconds). */
#define SCACHE_SEEN_SLACK 30

struct slot {
	bool used;
	unsigned char hash[crypto_hash_sha256_BYTES];
	uint64_t generation;
	int64_t validated_us; /* monotonic */
	int64_t seen_at;      /* the clock (sk_clock_now) at validation */
	char address[64];
	sk_auth_principal p;
	sk_scope scope; /* roles, capabilities and the units in scope */
};

struct sk_http_scache {
	struct slot slots[SCACHE_SLOTS];
	uint64_t hits, misses;
};

static atomic_uint_fast64_t generation = 1;

void sk_http_sessions_invalidate(void) { atomic_fetch_add(&generation, 1); }

uint64_t sk_http_sessions_invalidations(void) { return (uint64_t)atomic_load(&generation) - 1; }

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void slot_clear(struct slot *sl)
{
	sk_authz_scope_free(&sl->scope);
	sodium_memzero(sl, sizeof(*sl));
}

void sk_http_scache_free(sk_http_thread *t)
{
	if (!t->scache)
		return;
	for (size_t i = 0; i < SCACHE_SLOTS; i++)
		slot_clear(&t->scache->slots[i]);
	free(t->scache);
	t->scache = NULL;
}

/* Whether sl still answers for this request without the database. */
static bool fresh(const struct slot *sl, const unsigned char *hash, uint64_t gen,
                  const char *address)
{
	if (!sl->used || sl->generation != gen)
		return false;
	if (sodium_memcmp(sl->hash, hash, sizeof(sl->hash)) != 0)
		return false;
	int64_t age = mono_us() - sl->validated_us;
	if (age < 0 || age >= SCACHE_TTL_US)
		return false;
	int64_t now = sk_clock_now();
	if (now < sl->seen_at || now >= sl->p.expires_at ||
	    now - sl->seen_at >= sl->p.idle_seconds - SCACHE_SEEN_SLACK)
		return false;
	return strcmp(sl->address, address) == 0;
}

/* The full check: the session (auth.c), the roles and the scope, all from the database. */
static sk_err validate(sk_http_thread *t, const char *token, const char *address, struct slot *sl,
                       sk_buf *err)
{
	sk_scope scope;
	sk_auth_principal p;
	sk_err e = sk_auth_session_check(t->store, t->pol, token, address, &p, err);
	if (!e)
		e = sk_authz_scope_load(t->store, t->pol, p.user_id, &scope, err);
	if (e) {
		sodium_memzero(&p, sizeof(p));
		return e;
	}
	sk_authz_scope_free(&sl->scope);
	sl->p = p;
	sl->scope = scope;
	snprintf(sl->address, sizeof(sl->address), "%s", address);
	sodium_memzero(&p, sizeof(p));
	return SK_OK;
}

sk_err sk_http_session_find(sk_http_thread *t, const char *token, const char *address,
                            sk_http_session *out, sk_buf *err)
{
	memset(out, 0, sizeof(*out));
	if (!t->scache && !(t->scache = calloc(1, sizeof(*t->scache))))
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	unsigned char hash[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
	uint32_t h;
	memcpy(&h, hash, sizeof(h));
	struct slot *sl = &t->scache->slots[h % SCACHE_SLOTS];
	/* Read before the database: a change committed meanwhile leaves this entry stale. */
	uint64_t gen = atomic_load(&generation);
	if (fresh(sl, hash, gen, address)) {
		t->scache->hits++;
	} else {
		t->scache->misses++;
		int64_t now_us = mono_us();
		slot_clear(sl);
		sk_err e = validate(t, token, address, sl, err);
		if (e) {
			slot_clear(sl);
			sodium_memzero(hash, sizeof(hash));
			return e;
		}
		memcpy(sl->hash, hash, sizeof(hash));
		sl->generation = gen;
		sl->validated_us = now_us;
		sl->seen_at = sk_clock_now();
		sl->used = true;
	}
	sodium_memzero(hash, sizeof(hash));
	out->principal = &sl->p;
	out->scope = &sl->scope;
	return SK_OK;
}
