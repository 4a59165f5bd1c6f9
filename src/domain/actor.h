/*
 * actor: who is doing something, as every domain operation needs to know
 * for its permission check and its audit entry.
 */
#ifndef SK_ACTOR_H
#define SK_ACTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sk_actor {
	int64_t user_id;     /* the account, or 0 for the CLI operator and the system */
	const char *login;   /* recorded as the audit entry's actor */
	const char *address; /* the client's IP address, or "cli" */
	/*
	 * The CLI operator: whoever can open the database file or connect to the
	 * database directly already holds every right, so the CLI acts with all
	 * scopes and the audit log records the Unix user.
	 */
	bool superuser;
	/*
	 * The actor's roles, capabilities and scope when the caller already
	 * knows them (the server's session cache); borrowed for the call.
	 * NULL: the domain layer loads them itself (sk_ctx_scope).
	 */
	const struct sk_scope *scope;
} sk_actor;

/* The actor for CLI commands: login "cli:<unix user>", address "cli". */
const sk_actor *sk_actor_cli(void);

#endif
