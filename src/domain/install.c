/* install: `sekisho init` as a domain operation. */
#include "install.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../audit/audit.h"
#include "../core/sk_clock.h"
#include "../core/sk_msg.h"
#include "../policy/policy.h"
#include "org.h"
#include "policyver.h"
#include "user.h"

sk_err sk_install_lock_file(const char *path, sk_install_lock *l, sk_buf *err)
{
	l->fd = -1;
	l->fresh = false;
	l->path = path;
	/* An init that failed may unlink the file we waited on: then start over. */
	for (int tries = 0; tries < 100; tries++) {
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return sk_fail_msg(err, SK_ERR_STORE, NULL, NULL, SK_M_INSTALL_OPEN, path,
			                   strerror(errno));
		struct stat held, named;
		if (flock(fd, LOCK_EX) != 0 || fstat(fd, &held) != 0) {
			int saved = errno;
			close(fd);
			return sk_fail_msg(err, SK_ERR_STORE, NULL, NULL, SK_M_INSTALL_LOCK, path,
			                   strerror(saved));
		}
		if (stat(path, &named) == 0 && named.st_dev == held.st_dev &&
		    named.st_ino == held.st_ino) {
			l->fd = fd;
			l->fresh = held.st_size == 0;
			return SK_OK;
		}
		close(fd);
	}
	return sk_fail_msg(err, SK_ERR_TEMPFAIL, NULL, NULL, SK_M_INSTALL_CHANGING, path);
}

void sk_install_unlock_file(sk_install_lock *l, bool failed)
{
	if (l->fd < 0)
		return;
	if (failed && l->fresh) {
		static const char *const suffixes[] = {"-wal", "-shm", "-journal", ""};
		char buf[4096];
		for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
			int n = snprintf(buf, sizeof(buf), "%s%s", l->path, suffixes[i]);
			if (n > 0 && (size_t)n < sizeof(buf))
				unlink(buf);
		}
	}
	close(l->fd); /* releases the lock */
	l->fd = -1;
}

sk_err sk_install_exists(sk_store *s, bool *out, sk_buf *err)
{
	int64_t n = 0;
	sk_err e = sk_store_query_int(s,
	                              "SELECT (SELECT COUNT(*) FROM org_unit) + (SELECT COUNT(*) "
	                              "FROM meta WHERE key = 'install.created_at')",
	                              NULL, 0, &n, err);
	*out = n > 0;
	return e;
}

/* Whether name is one of the profiles built into the binary. */
static bool builtin(const char *name)
{
	for (const char *const *b = sk_policy_builtin_names(); *b; b++)
		if (strcmp(*b, name) == 0)
			return true;
	return false;
}

/*
 * Loads the profile (refusing one that does not load), and works out what
 * meta records for it and the root unit's name and code.
 */
static sk_err resolve_profile(const sk_install_opts *o, char *stored, size_t n,
                              sk_install_result *out, sk_buf *err)
{
	if (!o->profile || !*o->profile)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_INSTALL_NO_PROFILE);
	sk_policy *p = NULL;
	sk_buf diag = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_policy_open(o->profile, &p, &diag);
	if (e == SK_ERR_NOT_FOUND) {
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_INSTALL_PROFILE_UNKNOWN,
		                o->profile);
	} else if (e) {
		/* The first diagnostic line says where the profile is broken. */
		char *nl = strchr(diag.data, '\n');
		if (nl)
			*nl = '\0';
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_INSTALL_PROFILE_INVALID,
		                o->profile, diag.data);
	}
	sk_buf_free(&diag);
	if (e)
		return e;
	char real[PATH_MAX];
	if (builtin(o->profile)) {
		snprintf(stored, n, "%s", o->profile);
	} else if (!realpath(o->profile, real) || strlen(real) >= n) {
		e = sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_INSTALL_PROFILE_PATH,
		                o->profile);
	} else {
		snprintf(stored, n, "%s", real);
	}
	snprintf(out->root_name, sizeof(out->root_name), "%s",
	         o->name ? o->name : sk_policy_city_name(p));
	snprintf(out->root_code, sizeof(out->root_code), "%s",
	         o->code ? o->code : sk_policy_city_id(p));
	sk_policy_free(p);
	return e;
}

static sk_err init_in_txn(sk_ctx *c, const sk_install_opts *o, const char *profile,
                          sk_install_result *out, bool *key_made, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	const char *name = out->root_name, *code = out->root_code;
	bool exists = false;
	sk_err e = sk_install_exists(s, &exists, err);
	if (e)
		return e;
	if (exists)
		return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_INSTALL_EXISTS_AT,
		                   s->url ? s->url : "the database");
	/*
	 * A plain INSERT, not an upsert: of two inits racing on one database the
	 * second waits on this key and then fails here, so there is one root.
	 */
	char now[32];
	snprintf(now, sizeof(now), "%lld", (long long)sk_clock_now());
	sk_val p[] = {sk_vtext(now)};
	e = sk_store_exec(s, "INSERT INTO meta(key, value) VALUES ('install.created_at', ?)", p, 1,
	                  NULL, err);
	if (e == SK_ERR_EXISTS)
		return sk_fail_msg(err, SK_ERR_CONFLICT, NULL, NULL, SK_M_INSTALL_EXISTS);
	if (e || (e = sk_store_meta_set(s, "policy.profile", profile, err)) ||
	    (e = sk_store_meta_set(s, SK_INSTALL_ZONE_KEY,
	                           o->time_zone ? o->time_zone : SK_CLOCK_DEFAULT_ZONE, err)))
		return e;
	sk_clock_set_zone(o->time_zone ? o->time_zone : SK_CLOCK_DEFAULT_ZONE);
	if ((e = sk_audit_change(s, actor->login, actor->address, "install.init", SK_AUDIT_NONE,
	                         json_pack("{s:s, s:s, s:s, s:s}", "profile", profile, "root", code,
	                                   "root_name", name, "admin", o->admin_login),
	                         err, "installation")))
		return e;
	if ((e = sk_org_add(c, code, name, "municipality", NULL, NULL, err)))
		return e;
	/* The profile chosen becomes version 1, active: read once, here (issue #16). */
	{
		sk_buf text = SK_BUF_INIT(SK_POLICYVER_TEXT_MAX + 1);
		char source[PATH_MAX + 16];
		snprintf(source, sizeof(source), "%s%s", builtin(profile) ? "builtin:" : "",
		         profile);
		int64_t version = 0;
		e = sk_policyver_read_source(profile, &text, err);
		if (!e)
			e = sk_policyver_store_initial(c, source, text.data ? text.data : "",
			                               text.len, &version, err);
		sk_buf_free(&text);
		if (e)
			return e;
	}
	static const char *const ciso[] = {"ciso"};
	sk_user_new u = {.login = o->admin_login,
	                 .name = o->admin_name ? o->admin_name : "最高情報セキュリティ責任者",
	                 .unit = code,
	                 .roles = ciso,
	                 .nroles = 1,
	                 .password = o->admin_password,
	                 .password_len = o->admin_password_len};
	if ((e = sk_user_add(c, &u, NULL, out->temp_password, err)))
		return e;

	/* The checkpoint origin names this log uniquely: the root's code and 64 random bits. */
	unsigned char rnd[8];
	char hex[2 * sizeof(rnd) + 1], origin[128];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	snprintf(origin, sizeof(origin), "sekisho.%s/%s", code, hex);
	if ((e = sk_audit_setup(s, o->key_path, origin, err)))
		return e;
	*key_made = true;
	return SK_OK;
}

static sk_err check_opts(const sk_install_opts *o, char *profile, size_t n, sk_install_result *out,
                         sk_buf *err)
{
	if (!o->admin_login || !*o->admin_login)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_INSTALL_NO_ADMIN);
	sk_err e = sk_user_check_login(o->admin_login, err);
	if (e)
		return e;
	if (!o->key_path || !*o->key_path)
		return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_INSTALL_NO_KEY);
	int off;
	if (o->time_zone && sk_clock_zone_parse(o->time_zone, &off) != SK_OK)
		return sk_fail_msg(err, SK_ERR_INVALID, "time_zone", "タイムゾーン",
		                   SK_M_ZONE_UNKNOWN, o->time_zone);
	return resolve_profile(o, profile, n, out, err);
}

sk_err sk_install_apply_zone(sk_store *s, sk_buf *err)
{
	sk_buf v = SK_BUF_INIT(64);
	sk_err e = sk_store_meta_get(s, SK_INSTALL_ZONE_KEY, &v, err);
	if (e == SK_ERR_NOT_FOUND) {
		if (err)
			sk_buf_reset(err);
		e = SK_OK;
		sk_clock_set_zone(SK_CLOCK_DEFAULT_ZONE);
	} else if (!e && sk_clock_set_zone(v.data) != SK_OK)
		e = sk_fail_msg(err, SK_ERR_CORRUPT, "time_zone", "タイムゾーン", SK_M_ZONE_UNKNOWN,
		                v.data);
	sk_buf_free(&v);
	return e;
}

sk_err sk_install_check(const sk_install_opts *o, sk_buf *err)
{
	char profile[PATH_MAX];
	sk_install_result out;
	return check_opts(o, profile, sizeof(profile), &out, err);
}

sk_err sk_install_init(sk_ctx *c, const sk_install_opts *o, sk_install_result *out, sk_buf *err)
{
	sk_store *s = c->store;
	const sk_actor *actor = c->actor;
	memset(out, 0, sizeof(*out));
	if (!actor->superuser)
		return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_INSTALL_OPERATOR_ONLY);
	char profile[PATH_MAX];
	sk_err e = check_opts(o, profile, sizeof(profile), out, err);
	if (e)
		return e;
	bool key_made = false;
	if ((e = sk_store_begin(s, err)))
		return e;
	e = init_in_txn(c, o, profile, out, &key_made, err);
	e = sk_store_end(s, e, err);
	if (e) {
		/* The key belongs to an installation that did not happen. */
		if (key_made)
			sk_audit_key_remove(o->key_path);
		sodium_memzero(out->temp_password, sizeof(out->temp_password));
	}
	return e;
}
