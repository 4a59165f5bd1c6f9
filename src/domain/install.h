/*
 * install: creating an installation (`sekisho init`): the municipality as the
 * root unit, the profile it follows, its first account (the CISO, with a
 * temporary password), and the audit log's signing key, all in one
 * transaction. An installation is created once; a second init is refused.
 */
#ifndef SK_INSTALL_H
#define SK_INSTALL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sk_ctx sk_ctx;

#include "../auth/password.h"
#include "../core/sk_buf.h"
#include "../store/store.h"
#include "actor.h"
#include "org.h"

typedef struct sk_install_opts {
	/* A shipped profile's name (niigata, hachioji, narita, setagaya) or a path to a profile. */
	const char *profile;
	const char *name;        /* the root unit's name; NULL: the profile's city name */
	const char *code;        /* the root unit's code; NULL: the profile's city id */
	const char *admin_login; /* the CISO account */
	const char *admin_name;  /* NULL: the CISO's title */
	/* The CISO's password (admin_password_len bytes), or NULL for a temporary one. */
	const char *admin_password;
	size_t admin_password_len;
	/* Where the audit signing key is created (a new file); see sk_audit_default_key_path. */
	const char *key_path;
	/* The zone times are shown in (sk_clock_set_zone); NULL: Asia/Tokyo. */
	const char *time_zone;
} sk_install_opts;

/* What an installation was created with. */
typedef struct sk_install_result {
	char root_code[SK_ORG_CODE_MAX + 1];
	char root_name[SK_ORG_NAME_MAX + 1];
	/* The CISO's generated password ("" when one was given); shown once, then wiped. */
	char temp_password[SK_PASSWORD_TEMP_MAX];
} sk_install_result;

/*
 * Creates the installation described by o in s. The profile must load
 * (sk_policy_open: a shipped profile's name or a valid profile file);
 * meta "policy.profile" records the name, or the file's absolute path.
 * SK_ERR_CONFLICT when s holds an installation already; nothing
 * is changed then, nor on any other failure (a key file made on the way is
 * removed). A caller that runs this inside its own transaction owns the key
 * file once this returns SK_OK: if its transaction then fails, it removes the
 * key with sk_audit_key_remove(o->key_path). The caller wipes
 * out->temp_password (sodium_memzero) once shown; on failure it is wiped here.
 */
/* meta's key for the installation's time zone (absent: SK_CLOCK_DEFAULT_ZONE). */
#define SK_INSTALL_ZONE_KEY "install.time_zone"

/*
 * Sets the process's display zone (sk_clock_set_zone) to the one the
 * installation in s names: every door calls this once it opens a store.
 */
sk_err sk_install_apply_zone(sk_store *s, sk_buf *err);

sk_err sk_install_init(sk_ctx *c, const sk_install_opts *o, sk_install_result *out, sk_buf *err);

/*
 * Checks o without a store: the profile loads, the login is well-formed, a
 * key path is given. sk_install_init checks the same; a caller may check
 * first so that bad input creates no database at all.
 */
sk_err sk_install_check(const sk_install_opts *o, sk_buf *err);

/*
 * Serializes creating an embedded (SQLite) database: opens path, creating
 * it (mode 0600) if need be, and takes an exclusive lock that every other
 * init and demo on the same file waits for. l->fresh says the file was empty
 * when locked, so this process is the one to make the installation and the
 * one to remove the file should that fail. Hold it from before
 * sk_store_open until after sk_store_close.
 */
typedef struct sk_install_lock {
	int fd;
	bool fresh;
	const char *path; /* borrowed from the caller */
} sk_install_lock;

sk_err sk_install_lock_file(const char *path, sk_install_lock *l, sk_buf *err);
/*
 * Releases the lock. When failed and the file was fresh, removes the file
 * and its -wal, -shm and -journal companions first: a failed creation
 * leaves nothing behind.
 */
void sk_install_unlock_file(sk_install_lock *l, bool failed);

/* Whether s holds an installation (a root unit or the install marker). */
sk_err sk_install_exists(sk_store *s, bool *out, sk_buf *err);

#endif
