/*
 * phantom: the lockout state of logins that name no account, kept in this
 * process's memory, so that an unknown login is locked exactly as a known
 * one would be (issue #12, finding 6; SPEC §3: 423 while locked). Without
 * it, ten wrong passwords would lock a real account (423) and leave an
 * unknown one answering 401 for ever: an oracle for which logins exist.
 *
 * The table is fixed in size (SK_PHANTOM_SLOTS logins); when it is full the
 * login seen longest ago gives way, which can only shorten a phantom lock.
 * Safe to call from every thread.
 */
#ifndef SK_PHANTOM_H
#define SK_PHANTOM_H

#include <stdint.h>

#define SK_PHANTOM_SLOTS 4096

/* What a known account keeps in its row (users.failed_logins, lockouts, locked_until). */
typedef struct sk_phantom {
	int64_t failed, lockouts, locked_until;
} sk_phantom;

/* The state of login (all zero when it was never seen or has given way). */
sk_phantom sk_phantom_get(const char *login);

/* Stores the state of login; a state of all zeros forgets it. */
void sk_phantom_put(const char *login, const sk_phantom *st, int64_t now);

/* Forgets every login (tests, and sk_throttle_configure). */
void sk_phantom_clear(void);

#endif
