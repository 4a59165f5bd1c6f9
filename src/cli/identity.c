/*
 * identity: who a CLI command acts for (issue 15 item 6).
 *
 * A person-level command acts for an account, proved one of three ways:
 * --as LOGIN with the account's password (from the terminal without echo,
 * --password-file or SEKISHO_PASSWORD_FD, never an argument or an
 * environment value), --as LOGIN with the installation's admin token (the
 * operator acting as any account), or the Unix user mapped to an account.
 * The admin token without --as proves the operator but names no person: a
 * person-level command refuses it. An installation-level command (the
 * command tables' `install` flag) always acts as the operator,
 * "cli:<unix user>". Whatever proves the person, a locked, disabled or
 * expired account is acted for by nobody, and a wrong --as password counts
 * towards the account's lockout as a failed login does (sk_auth_act_as).
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "../auth/auth.h"
#include "../auth/password.h"
#include "../core/sk_msg.h"
#include "../domain/actor.h"
#include "../domain/authz.h"
#include "../domain/ctx.h"
#include "../domain/role.h"
#include "../domain/user.h"
#include "cli.h"

/* "sekisho-admin-token:" and 64 hex digits of 32 random bytes. */
#define TOKEN_PREFIX "sekisho-admin-token:"
#define TOKEN_LEN    (sizeof(TOKEN_PREFIX) - 1 + 64)
#define TOKEN_META   "admin.token_sha256"

static struct {
	const char *as;            /* --as LOGIN */
	const char *password_file; /* --password-file FILE */
	const char *token;         /* --admin-token FILE */
	bool install;              /* the command run is installation-level */
	bool known;                /* actor is settled */
	sk_actor actor;
	char login[SK_LOGIN_MAX + 1];
	char command[96];    /* the command's name, for messages */
	const char *subject; /* the account sk_cli_operator_for's rule is about */
	sk_cli_operator_rule rule;
} who;

void sk_cli_set_install(bool install, const char *command)
{
	who.install = install;
	snprintf(who.command, sizeof(who.command), "%s", command);
}

/* The highest rank of the role table: no account ranks above its holders. */
static int top_rank(void)
{
	size_t n = 0;
	const sk_role_info *t = sk_role_table(&n);
	int top = 0;
	for (size_t i = 0; i < n; i++)
		if (t[i].rank > top)
			top = t[i].rank;
	return top;
}

void sk_cli_install_for_role(const char *role, const char *command)
{
	const sk_role_info *r = role ? sk_role_find(role) : NULL;
	if (r && r->rank == top_rank()) {
		char name[96];
		snprintf(name, sizeof(name), "%s --role %s", command, r->name);
		sk_cli_set_install(true, name);
	}
}

void sk_cli_operator_for(sk_cli_operator_rule rule, const char *login, const char *command)
{
	who.subject = login;
	who.rule = rule;
	snprintf(who.command, sizeof(who.command), "%s %s", command, login);
}

/* An option's value: "--name VALUE" or "--name=VALUE"; *i moves past what was taken. */
static int global_value(int argc, char **argv, int *i, const char *name, const char **out,
                        bool *taken)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	*taken = false;
	if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
		return 0;
	*taken = true;
	if (a[n] == '=') {
		*out = a + n + 1;
	} else if (*i + 1 < argc) {
		*out = argv[++*i];
	} else {
		*out = NULL;
	}
	if (!*out || !**out)
		return sk_cli_fail(SK_ERR_INVALID,
		                   sk_msg_format(SK_M_CLI_GLOBAL_VALUE, sk_lang_from_env()), name);
	return 0;
}

int sk_cli_global_options(int *argc, char ***argv)
{
	int i = 1;
	for (; i < *argc; i++) {
		bool taken = false;
		const char *as = NULL;
		int rc = global_value(*argc, *argv, &i, "--as", &as, &taken);
		if (!rc && !taken)
			rc = global_value(*argc, *argv, &i, "--password-file", &who.password_file,
			                  &taken);
		if (!rc && !taken)
			rc = global_value(*argc, *argv, &i, "--admin-token", &who.token, &taken);
		if (rc)
			return rc;
		if (!taken)
			break;
		if (as && (rc = sk_cli_take_as(NULL, as, "")))
			return rc;
	}
	/* What is left starts with the program's name, as main() expects. */
	(*argv)[i - 1] = (*argv)[0];
	*argv += i - 1;
	*argc -= i - 1;
	return 0;
}

int sk_cli_take_as(void *out, const char *login, const char *usage)
{
	(void)usage;
	if (who.as && strcmp(who.as, login) != 0)
		return sk_cli_fail(SK_ERR_INVALID,
		                   sk_msg_format(SK_M_CLI_AS_TWICE, sk_lang_from_env()), who.as,
		                   login);
	who.as = login;
	if (out)
		*(const char **)out = login;
	return 0;
}

const char *sk_cli_as_given(void) { return who.as; }

int sk_cli_global_token(const char *path)
{
	who.token = path;
	return 0;
}

/* The admin token's file: --admin-token, else $SEKISHO_ADMIN_TOKEN, else beside an SQLite file. */
static sk_err token_path(const char *db_url, bool asked, sk_buf *out, sk_buf *err)
{
	if (who.token)
		return sk_buf_adds(out, who.token)
		           ? sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_CLI_PATH_TOO_LONG_2)
		           : SK_OK;
	const char *env = getenv("SEKISHO_ADMIN_TOKEN");
	if (env && *env)
		return sk_buf_adds(out, env)
		           ? sk_fail_msg(err, SK_ERR_TOO_BIG, NULL, NULL, SK_M_CLI_PATH_TOO_LONG_2)
		           : SK_OK;
	if (!asked)
		return SK_ERR_NOT_FOUND;
	return sk_store_file_beside(db_url, ".admin-token", NULL, SK_M_TOKEN_NO_PLACE, out, err);
}

/* Reads the token at path into tok (NUL-terminated): only its owner may read the file. */
static sk_err token_read(const char *path, char tok[TOKEN_LEN + 1], sk_buf *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_TOKEN_UNREADABLE, path);
	}
	if ((st.st_mode & 077) || st.st_uid != geteuid()) {
		close(fd);
		return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_TOKEN_OPEN_TO_OTHERS, path);
	}
	char buf[TOKEN_LEN + 4];
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	bool ok = n == (ssize_t)TOKEN_LEN && memcmp(buf, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) == 0;
	for (size_t i = strlen(TOKEN_PREFIX); ok && i < TOKEN_LEN; i++)
		ok = strchr("0123456789abcdef", buf[i]) != NULL;
	if (ok) {
		memcpy(tok, buf, TOKEN_LEN);
		tok[TOKEN_LEN] = '\0';
	}
	sodium_memzero(buf, sizeof(buf));
	return ok ? SK_OK
	          : sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_TOKEN_MALFORMED, path);
}

/* The hex SHA-256 of a token, as the database keeps it (never the token itself). */
static void token_digest(const char *tok, char hex[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)tok, strlen(tok));
	sodium_bin2hex(hex, 65, d, sizeof(d));
}

/* Whether the token at path is s's, comparing the digests in constant time. */
static sk_err token_check(sk_store *s, const char *path, sk_buf *err)
{
	char tok[TOKEN_LEN + 1], mine[65];
	sk_err e = token_read(path, tok, err);
	if (e)
		return e;
	token_digest(tok, mine);
	sodium_memzero(tok, sizeof(tok));
	sk_buf stored = SK_BUF_INIT(256);
	e = sk_store_meta_get(s, TOKEN_META, &stored, err);
	if (e == SK_ERR_NOT_FOUND || (!e && stored.len != 64))
		e = sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_TOKEN_NONE);
	else if (!e && sodium_memcmp(stored.data, mine, 64) != 0)
		e = sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_TOKEN_WRONG, path);
	sk_buf_free(&stored);
	return e;
}

sk_err sk_cli_token_make(sk_store *s, const char *db_url, bool replace, sk_buf *path, sk_buf *err)
{
	sk_err e = token_path(db_url, true, path, err);
	if (e)
		return e;
	sk_buf stored = SK_BUF_INIT(256);
	e = sk_store_meta_get(s, TOKEN_META, &stored, err);
	sk_buf_free(&stored);
	if (!e && !replace)
		return sk_fail_msg(err, SK_ERR_EXISTS, NULL, NULL, SK_M_TOKEN_EXISTS);
	if (e && e != SK_ERR_NOT_FOUND)
		return e;
	/* A token file the operator holds already serves this installation too. */
	char tok[TOKEN_LEN + 1];
	bool made = false;
	if (access(path->data, F_OK) == 0 && !replace) {
		if ((e = token_read(path->data, tok, err)))
			return e;
	} else {
		unsigned char r[32];
		randombytes_buf(r, sizeof(r));
		char hex[65];
		sodium_bin2hex(hex, sizeof(hex), r, sizeof(r));
		snprintf(tok, sizeof(tok), "%s%s", TOKEN_PREFIX, hex);
		sodium_memzero(hex, sizeof(hex));
		sodium_memzero(r, sizeof(r));
		if (replace)
			(void)unlink(path->data);
		int fd =
		    open(path->data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		bool ok = fd >= 0;
		if (ok) {
			ok = write(fd, tok, TOKEN_LEN) == (ssize_t)TOKEN_LEN &&
			     write(fd, "\n", 1) == 1 && fsync(fd) == 0;
			ok = close(fd) == 0 && ok;
		}
		if (!ok) {
			if (fd >= 0)
				(void)unlink(path->data);
			sodium_memzero(tok, sizeof(tok));
			return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_TOKEN_CANNOT_WRITE,
			                   path->data);
		}
		made = true;
	}
	char hex[65];
	token_digest(tok, hex);
	sodium_memzero(tok, sizeof(tok));
	if (!(e = sk_store_begin(s, err))) {
		if ((e = sk_store_meta_set(s, TOKEN_META, hex, err)))
			sk_store_rollback(s);
		else
			e = sk_store_commit(s, err);
	}
	if (e && made)
		(void)unlink(path->data);
	return e;
}

/* Reads one line of at most SK_PASSWORD_MAX bytes from fd into pw (NUL-terminated). */
static bool read_line_fd(int fd, char *pw, size_t max)
{
	size_t n = 0;
	char c;
	ssize_t r;
	while ((r = read(fd, &c, 1)) == 1 && c != '\n')
		if (n + 1 < max)
			pw[n++] = c;
	if (r < 0)
		return false;
	if (n && pw[n - 1] == '\r')
		n--;
	pw[n] = '\0';
	return true;
}

/*
 * One secret line from the terminal without echo, after the prompt msg (which
 * names login): 1 read, 0 unreadable, -1 no terminal to ask on.
 */
static int read_tty(sk_msg_id msg, const char *login, char *line, size_t max)
{
	int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (tty < 0)
		return -1;
	struct termios old, quiet;
	bool restore = tcgetattr(tty, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(tty, TCSAFLUSH, &quiet) == 0;
	}
	dprintf(tty, sk_msg_format(msg, sk_lang_from_env()), login);
	bool ok = read_line_fd(tty, line, max);
	if (restore)
		(void)tcsetattr(tty, TCSAFLUSH, &old);
	(void)!write(tty, "\n", 1);
	close(tty);
	return ok ? 1 : 0;
}

/*
 * The password for --as, and when code is not NULL the one-time code after
 * it, from one source: --password-file (the code on its second line),
 * SEKISHO_PASSWORD_FD (the next line), else the terminal without echo.
 */
static sk_err read_password(const char *login, char *pw, size_t max, char *code, size_t code_max,
                            sk_buf *err)
{
	const char *fdv = getenv("SEKISHO_PASSWORD_FD");
	const char *from = who.password_file ? who.password_file : "SEKISHO_PASSWORD_FD";
	int fd = -1;
	bool own = false, ok;
	if (who.password_file) {
		fd = open(who.password_file, O_RDONLY | O_CLOEXEC);
		own = fd >= 0;
	} else if (fdv && *fdv) {
		long long n;
		if (!sk_cli_parse_int(fdv, 0, 1024, &n) || fcntl((int)n, F_GETFD) < 0)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CLI_AS_BAD_FD,
			                   fdv);
		fd = (int)n;
	} else {
		int got = read_tty(SK_M_CLI_AS_PROMPT, login, pw, max);
		if (got < 0)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CLI_AS_NO_PASSWORD,
			                   login);
		if (got == 0)
			return sk_fail_msg(err, SK_ERR_IO, NULL, NULL,
			                   SK_M_CLI_AS_PASSWORD_UNREADABLE, "/dev/tty");
		if (code && read_tty(SK_M_CLI_AS_CODE_PROMPT, login, code, code_max) != 1)
			return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_AS_CODE_UNREADABLE,
			                   "/dev/tty");
		return SK_OK;
	}
	ok = fd >= 0 && read_line_fd(fd, pw, max);
	bool code_ok = !ok || !code || (read_line_fd(fd, code, code_max) && code[0]);
	if (own)
		close(fd);
	if (!ok)
		return sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_AS_PASSWORD_UNREADABLE,
		                   from);
	return code_ok ? SK_OK
	               : sk_fail_msg(err, SK_ERR_IO, NULL, NULL, SK_M_CLI_AS_CODE_UNREADABLE, from);
}

struct account {
	bool seen;
	int64_t id;
	char login[SK_LOGIN_MAX + 1];
	char status[16];
	char hash[SK_PASSWORD_HASH_MAX];
};

static sk_err take_account(void *ctx, const sk_row *row, sk_buf *err)
{
	(void)err;
	struct account *a = ctx;
	a->seen = true;
	a->id = sk_row_int(row, 0);
	snprintf(a->login, sizeof(a->login), "%s", sk_row_text(row, 1));
	snprintf(a->status, sizeof(a->status), "%s", sk_row_text(row, 2));
	snprintf(a->hash, sizeof(a->hash), "%s", sk_row_text(row, 3));
	return SK_OK;
}

static sk_err find_account(sk_store *s, const char *column, const char *value, struct account *a,
                           sk_buf *err)
{
	memset(a, 0, sizeof(*a));
	sk_val p[] = {sk_vtext(value)};
	char sql[160];
	snprintf(sql, sizeof(sql),
	         "SELECT id, login, status, COALESCE(password_hash, '') FROM users WHERE %s = ?",
	         column);
	return sk_store_query(s, sql, p, 1, take_account, a, err);
}

static const char *unix_name(void)
{
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_name ? pw->pw_name : "unknown";
}

static void settle(int64_t id, const char *login, const char *address, bool superuser)
{
	snprintf(who.login, sizeof(who.login), "%s", login);
	who.actor = (sk_actor){
	    .user_id = id, .login = who.login, .address = address, .superuser = superuser};
	who.known = true;
}

/*
 * Whether the account a may be acted for (sk_auth_act_as: active, not expired,
 * not locked, whatever proved the person), checking password when one is
 * given: a wrong one counts towards the lockout as a failed login does.
 */
static sk_err may_act_as(sk_store *s, const struct account *a, const char *password,
                         const char *code, const char *address, sk_buf *err)
{
	sk_err e = sk_auth_act_as(s, a->login, password, password ? strlen(password) : 0, code,
	                          address, err);
	if (e == SK_ERR_AUTH) {
		sk_buf_reset(err);
		return password
		           ? sk_fail_msg(err, SK_ERR_AUTH, NULL, NULL,
		                         code ? SK_M_CLI_AS_WRONG_CODE : SK_M_CLI_AS_WRONG_PASSWORD,
		                         a->login)
		           : sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CLI_NO_ACCOUNT,
		                         a->login);
	}
	if (e == SK_ERR_LOCKED) {
		/* The lock's own sentence (until when), after the account it is about. */
		sk_buf why = SK_BUF_INIT(SK_BUF_MSG_MAX);
		(void)sk_buf_adds(&why, sk_cli_err(err, e));
		sk_buf_reset(err);
		e = sk_fail_msg(err, SK_ERR_LOCKED, NULL, NULL, SK_M_CLI_AS_LOCKED, a->login,
		                why.data);
		sk_buf_free(&why);
	}
	return e;
}

/*
 * sk_cli_operator_for's rule on s: *by_operator when the command is the
 * operator's act on its account; token: s's admin token was given.
 */
static sk_err operator_rule(sk_store *s, bool token, bool *by_operator, sk_buf *err)
{
	*by_operator = false;
	struct account a;
	sk_err e = find_account(s, "login", who.subject, &a, err);
	sodium_memzero(a.hash, sizeof(a.hash));
	/* An unknown account: the command says so, whoever acts. */
	if (e || !a.seen)
		return e;
	if (who.rule == SK_CLI_OPERATOR_TOP) {
		int rank = 0;
		e = sk_role_top_rank(s, a.id, &rank, err);
		*by_operator = !e && rank == top_rank();
		return e;
	}
	if (!token || who.as)
		return SK_OK;
	/* Whether the account could unlock others: user.admin at some unit, under the profile. */
	sk_actor them = {.user_id = a.id, .login = a.login, .address = "cli"};
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, &them);
	*by_operator = sk_authz_can(&c, SK_CAP_USER_ADMIN, 0);
	sk_ctx_fini(&c);
	return SK_OK;
}

/* Who the command acts for on s, or the error that refuses it (err holds why). */
static sk_err identify(sk_store *s, const char *db_url, sk_buf *err)
{
	const char *me = unix_name();
	bool by_operator = false;
	sk_err e;
	if (who.subject && who.rule == SK_CLI_OPERATOR_TOP &&
	    (e = operator_rule(s, false, &by_operator, err)))
		return e;
	if (who.install || by_operator) {
		if (who.as)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL,
			                   SK_M_CLI_AS_INSTALL_LEVEL, who.command);
		who.actor = *sk_actor_cli();
		who.known = true;
		return SK_OK;
	}
	sk_buf tpath = SK_BUF_INIT(4096);
	e = token_path(db_url, false, &tpath, err);
	bool token = e == SK_OK;
	if (e == SK_ERR_NOT_FOUND)
		e = SK_OK;
	if (!e && token)
		e = token_check(s, tpath.data, err);
	sk_buf_free(&tpath);
	if (e)
		return e;
	/*
	 * The operator's unlock (sk_cli_operator_for) comes before the Unix
	 * user's account: that account may be the locked one.
	 */
	if (who.subject && who.rule == SK_CLI_OPERATOR_UNLOCK) {
		if ((e = operator_rule(s, token, &by_operator, err)))
			return e;
		if (by_operator) {
			who.actor = *sk_actor_cli();
			who.actor.address = "cli:admin-token";
			who.known = true;
			return SK_OK;
		}
	}
	struct account mapped = {0};
	if ((e = find_account(s, "unix_user", me, &mapped, err)))
		return e;
	if (who.as) {
		struct account a;
		if ((e = find_account(s, "login", who.as, &a, err)))
			return e;
		if (!a.seen || strcmp(a.status, "active") != 0)
			return sk_fail_msg(err, SK_ERR_INVALID, NULL, NULL, SK_M_CLI_NO_ACCOUNT,
			                   who.as);
		sodium_memzero(a.hash, sizeof(a.hash));
		/*
		 * A locked account is acted for by no one, the operator's token
		 * included: the lock stands until it ends or an administrator lifts it.
		 */
		if (token || (mapped.seen && mapped.id == a.id)) {
			const char *how = token ? "cli:admin-token" : "cli:unix-user";
			if ((e = may_act_as(s, &a, NULL, NULL, how, err)))
				return e;
			settle(a.id, a.login, how, false);
			return SK_OK;
		}
		/* Refused before a password is asked for: a locked account takes none. */
		if ((e = may_act_as(s, &a, NULL, NULL, "cli:password", err)))
			return e;
		/* The one-time code the web login would ask for is asked for here too. */
		bool need = false;
		if ((e = sk_auth_act_as_needs_code(s, a.login, &need, err)))
			return e;
		char pw[SK_PASSWORD_MAX + 2], code[16] = "";
		e = read_password(a.login, pw, sizeof(pw), need ? code : NULL, sizeof(code), err);
		if (!e)
			e = may_act_as(s, &a, pw, need ? code : NULL, "cli:password", err);
		sodium_memzero(pw, sizeof(pw));
		sodium_memzero(code, sizeof(code));
		if (e)
			return e;
		settle(a.id, a.login, "cli:password", false);
		return SK_OK;
	}
	if (mapped.seen) {
		if (strcmp(mapped.status, "active") != 0)
			return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL,
			                   SK_M_CLI_AS_UNIX_DISABLED, mapped.login, me);
		if ((e = may_act_as(s, &mapped, NULL, NULL, "cli:unix-user", err)))
			return e;
		settle(mapped.id, mapped.login, "cli:unix-user", false);
		return SK_OK;
	}
	/*
	 * The admin token proves the operator, not a person: a person-level
	 * command says for whom it acts (issue 15 item 6), so the log never
	 * records the operator for what a person did.
	 */
	if (token)
		return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_CLI_AS_TOKEN_NEEDS_AS,
		                   who.command);
	return sk_fail_msg(err, SK_ERR_DENIED, NULL, NULL, SK_M_CLI_AS_NEEDS_ACCOUNT, who.command,
	                   me, me);
}

int sk_cli_identify(sk_store *s, const char *db_url)
{
	if (who.known)
		return 0;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = identify(s, db_url, &err);
	int rc = e ? sk_cli_fail_buf(e, &err) : 0;
	sk_buf_free(&err);
	return rc;
}

const sk_actor *sk_cli_actor(void) { return who.known ? &who.actor : sk_actor_cli(); }
