/*
 * Unit tests of src/auth/auth: logins, lockout with increasing waits, idle,
 * absolute and privileged session limits (with the injectable clock),
 * CSRF tokens, password changes (rules, history, sessions ending), admin
 * unlock, TOTP enrollment and login, MFA by zone, the unused-accounts
 * report and the privileged-holders rule. Every test runs on every backend.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/throttle.h"
#include "core/sk_clock.h"
#include "domain/install.h"
#include "domain/org.h"
#include "domain/role.h"
#include "domain/user.h"
#include "testutil.h"

#define T0   INT64_C(1800000000) /* 2027-01-15T08:00:00Z */
#define MIN  60
#define ADDR "192.0.2.1"

static const char alice_pw[] = "Alice-Pass1x";
static const char bob_pw[] = "Bob-Privileged-1!";

static void ok_at(sk_err e, const sk_buf *err, int line)
{
	if (e != SK_OK)
		fail_msg("line %d: expected success, got %s: %s", line, sk_err_code(e), err->data);
}

static void expect_at(sk_err got, sk_err want, const sk_buf *err, const char *text, int line)
{
	if (got != want)
		fail_msg("line %d: expected %s, got %s: %s", line, sk_err_code(want),
		         sk_err_code(got), err->data);
	if (text && !strstr(err->data, text))
		fail_msg("line %d: message '%s' lacks '%s'", line, err->data, text);
}

/* The message err holds for a Japanese reader contains text (the catalog's, not English). */
static void expect_ja_at(const sk_buf *err, sk_err e, const char *text, int line)
{
	const char *m = sk_msg_of(err, e, SK_LANG_JA);
	if (!strstr(m, text))
		fail_msg("line %d: Japanese message '%s' lacks '%s'", line, m, text);
}

#define expect_ja(err, e, text)      expect_ja_at((err), (e), (text), __LINE__)
#define ok(e, err)                   ok_at((e), (err), __LINE__)
#define expect(got, want, err, text) expect_at((got), (want), (err), (text), __LINE__)

static int64_t count(sk_store *s, const char *sql, const char *arg)
{
	int64_t n = -1;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_val p[] = {sk_vtext(arg)};
	if (sk_store_query_int(s, sql, p, arg ? 1 : 0, &n, &err) != SK_OK)
		fail_msg("%s: %s", sql, err.data);
	sk_buf_free(&err);
	return n;
}

static int64_t audits(sk_store *s, const char *action)
{
	return count(s, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action);
}

/*
 * The example profile with the settings the tests need: normal accounts
 * lock after 5 failures for 30 minutes, idle 15, absolute 120 minutes,
 * history 3, rotation 90 days; privileged ones need MFA, lock until
 * unlocked, and connect for 45 minutes at most; the mynumber zone needs MFA.
 */
static void write_profile(char *path, size_t n)
{
	snprintf(path, n, "%s/profile.yaml", sk_test_tmpdir());
	FILE *in = fopen(SK_SOURCE_ROOT "/policies/example.yaml", "r");
	FILE *out = fopen(path, "w");
	assert_non_null(in);
	assert_non_null(out);
	char line[4096];
	while (fgets(line, sizeof(line), in)) {
		fputs(line, out);
		if (strcmp(line, "    session_idle_minutes: 15\n") == 0)
			fputs("    session_absolute_minutes: 120\n", out);
		if (strcmp(line, "    mfa: true\n") == 0)
			fputs("    lockout_threshold: 3\n    lockout_minutes: 0\n"
			      "    max_connection_minutes: 45\n",
			      out);
	}
	fclose(in);
	fclose(out);
}

typedef struct fixture {
	sk_store *s;
	sk_policy *pol;
	char ciso_temp[SK_PASSWORD_TEMP_MAX];
} fixture;

static void add_user(sk_store *s, const char *login, const char *role, const char *pw,
                     int64_t expires)
{
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	char temp[SK_PASSWORD_TEMP_MAX];
	const char *roles[] = {role};
	sk_user_new u = {.login = login,
	                 .name = login,
	                 .unit = "city",
	                 .roles = roles,
	                 .nroles = 1,
	                 .password = pw,
	                 .password_len = pw ? strlen(pw) : 0,
	                 .expires_at = expires};
	ok(sk_user_add(tu_ctx(s, sk_actor_cli()), &u, NULL, temp, &err), &err);
	sk_buf_free(&err);
}

static void setup(fixture *f, const char *backend)
{
	char profile[512], key[512], totp_key[512];
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_clock_set_fake_us(T0 * 1000000);
	/* The per-address throttle has its own test (run_throttle); here it would get in the way.
	 */
	sk_throttle_configure(0, 0);
	write_profile(profile, sizeof(profile));
	snprintf(key, sizeof(key), "%s/audit-key-%s", sk_test_tmpdir(), backend);
	snprintf(totp_key, sizeof(totp_key), "%s/totp-key-%s", sk_test_tmpdir(), backend);
	setenv("SEKISHO_TOTP_KEY", totp_key, 1);
	f->s = sk_test_open_fresh(backend);
	sk_install_opts o = {
	    .profile = profile, .code = "city", .admin_login = "ciso", .key_path = key};
	sk_install_result res;
	ok(sk_install_init(tu_ctx(f->s, sk_actor_cli()), &o, &res, &err), &err);
	memcpy(f->ciso_temp, res.temp_password, sizeof(f->ciso_temp));
	sk_buf diag = SK_BUF_INIT(SK_BUF_MSG_MAX);
	ok(sk_policy_open(profile, &f->pol, &diag), &diag);
	sk_buf_free(&diag);
	add_user(f->s, "alice", "staff", alice_pw, 0);
	sk_buf_free(&err);
}

static void teardown(fixture *f)
{
	sk_policy_free(f->pol);
	sk_store_close(f->s);
	sk_clock_use_real();
}

static sk_err login(fixture *f, const char *who, const char *pw, const char *code,
                    sk_auth_session *out, sk_buf *err)
{
	return sk_auth_login(f->s, f->pol, who, pw, pw ? strlen(pw) : 0, code, ADDR, out, err);
}

static void advance(int64_t seconds) { sk_clock_advance_us(seconds * 1000000); }

/* --- logins, sessions, CSRF, cookies --- */

static void run_login(const char *backend)
{
	fixture f;
	setup(&f, backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), err2 = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_auth_session a, b;
	sk_auth_principal p;

	/* Unknown login and wrong password read the same; neither leaves the password anywhere. */
	expect(login(&f, "nobody", alice_pw, NULL, &a, &err), SK_ERR_AUTH, &err, NULL);
	expect(login(&f, "alice", "Wrong-Pass1x", NULL, &a, &err2), SK_ERR_AUTH, &err2, NULL);
	assert_string_equal(err.data, err2.data);
	expect(login(&f, "Bad Login\n", alice_pw, NULL, &a, &err2), SK_ERR_AUTH, &err2, NULL);
	assert_string_equal(err.data, err2.data);
	expect(login(&f, "alice", NULL, NULL, &a, &err2), SK_ERR_AUTH, &err2, NULL);
	/* Failures against the account are recorded per account; unknown logins are summarised. */
	assert_int_equal(audits(f.s, "auth.login_failed"), 2);
	assert_int_equal(count(f.s, "SELECT COUNT(*) FROM audit_log WHERE object = ?", "user:?"),
	                 0);
	assert_int_equal(count(f.s,
	                       "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%Pass1x%' OR "
	                       "object LIKE '%Pass1x%' OR actor LIKE '%Pass1x%'",
	                       NULL),
	                 0);
	assert_int_equal(count(f.s, "SELECT failed_logins FROM users WHERE login = ?", "alice"), 2);
	/* Bad addresses are refused before anything. */
	expect(
	    sk_auth_login(f.s, f.pol, "alice", alice_pw, strlen(alice_pw), NULL, "a b", &a, &err),
	    SK_ERR_INVALID, &err, "address");

	/* The first login: no previous one; a 43-character token kept only as its hash. */
	ok(login(&f, "alice", alice_pw, NULL, &a, &err), &err);
	assert_int_equal(strlen(a.token), SK_AUTH_TOKEN_LEN);
	assert_int_equal(strlen(a.principal.csrf_token), SK_AUTH_CSRF_LEN);
	assert_string_not_equal(a.token, a.principal.csrf_token);
	assert_int_equal(a.previous_login_at, 0);
	assert_string_equal(a.previous_login_addr, "");
	assert_false(a.principal.must_change_password);
	assert_false(a.totp_required);
	assert_string_equal(a.principal.login, "alice");
	assert_int_equal(a.principal.kind, SK_KIND_NORMAL);
	assert_int_equal(a.principal.expires_at, T0 + 120 * MIN);
	assert_int_equal(a.principal.idle_seconds, 15 * MIN);
	assert_int_equal(count(f.s, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?", a.token),
	                 0);
	unsigned char h[32];
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)a.token, strlen(a.token));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert_int_equal(count(f.s, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?", hex), 1);
	assert_int_equal(count(f.s, "SELECT failed_logins FROM users WHERE login = ?", "alice"), 0);
	assert_int_equal(audits(f.s, "auth.login"), 1);

	/* The second login reports the first one's time and address. */
	advance(60);
	ok(sk_auth_login(f.s, f.pol, "alice", alice_pw, strlen(alice_pw), NULL, "2001:db8::7", &b,
	                 &err),
	   &err);
	assert_int_equal(b.previous_login_at, T0);
	assert_string_equal(b.previous_login_addr, ADDR);
	assert_string_not_equal(a.token, b.token);

	/* Session checks: the token finds its session; its CSRF token is handed back. */
	ok(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), &err);
	assert_int_equal(p.session_id, a.principal.session_id);
	assert_string_equal(p.csrf_token, a.principal.csrf_token);
	ok(sk_auth_require_ready(&p, &err), &err);
	ok(sk_auth_csrf_check(&p, a.principal.csrf_token, &err), &err);
	expect(sk_auth_csrf_check(&p, b.principal.csrf_token, &err), SK_ERR_DENIED, &err, "CSRF");
	expect(sk_auth_csrf_check(&p, NULL, &err), SK_ERR_DENIED, &err, "CSRF");
	expect(sk_auth_csrf_check(&p, "", &err), SK_ERR_DENIED, &err, "CSRF");
	char longer[SK_AUTH_CSRF_MAX + 1];
	snprintf(longer, sizeof(longer), "%sx", a.principal.csrf_token);
	expect(sk_auth_csrf_check(&p, longer, &err), SK_ERR_DENIED, &err, "CSRF");
	sk_auth_principal none = {0};
	expect(sk_auth_csrf_check(&none, "", &err), SK_ERR_DENIED, &err, "CSRF");

	char bad[SK_AUTH_TOKEN_MAX];
	memcpy(bad, a.token, sizeof(bad));
	bad[0] = bad[0] == 'A' ? 'B' : 'A';
	expect(sk_auth_session_check(f.s, f.pol, bad, ADDR, &p, &err), SK_ERR_AUTH, &err,
	       "no session");
	expect(sk_auth_session_check(f.s, f.pol, "short", ADDR, &p, &err), SK_ERR_AUTH, &err, NULL);
	expect(sk_auth_session_check(f.s, f.pol, NULL, ADDR, &p, &err), SK_ERR_AUTH, &err, NULL);
	assert_int_equal(p.session_id, 0);

	/* Cookies. */
	sk_buf c = SK_BUF_INIT(1024);
	ok(sk_auth_cookie(a.token, true, &c), &err);
	char want[256];
	snprintf(want, sizeof(want),
	         "sekisho_session=%s; Path=/; HttpOnly; SameSite=Strict; Secure", a.token);
	assert_string_equal(c.data, want);
	sk_buf_reset(&c);
	ok(sk_auth_cookie(NULL, false, &c), &err);
	assert_string_equal(c.data,
	                    "sekisho_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	sk_buf_free(&c);
	char hdr[256], tok[SK_AUTH_TOKEN_MAX];
	snprintf(hdr, sizeof(hdr), "theme=dark; sekisho_session=%s;lang=ja", a.token);
	ok(sk_auth_cookie_token(hdr, tok), &err);
	assert_string_equal(tok, a.token);
	snprintf(hdr, sizeof(hdr), "sekisho_session=%s", a.token);
	ok(sk_auth_cookie_token(hdr, tok), &err);
	assert_int_equal(sk_auth_cookie_token("sekisho_session=abc", tok), SK_ERR_AUTH);
	assert_int_equal(sk_auth_cookie_token("x_sekisho_session=abc; y=1", tok), SK_ERR_AUTH);
	assert_int_equal(sk_auth_cookie_token(NULL, tok), SK_ERR_AUTH);
	assert_string_equal(tok, "");

	/* Logout ends only that session. */
	ok(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), &err);
	ok(sk_auth_logout(f.s, &p, ADDR, &err), &err);
	expect(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), SK_ERR_AUTH, &err, NULL);
	expect(sk_auth_logout(f.s, &a.principal, ADDR, &err), SK_ERR_AUTH, &err, NULL);
	ok(sk_auth_session_check(f.s, f.pol, b.token, ADDR, &p, &err), &err);
	assert_int_equal(audits(f.s, "auth.logout"), 1);

	/* Disabling the account ends its sessions and its logins. */
	ok(sk_user_set_active(tu_ctx(f.s, sk_actor_cli()), "alice", false, &err), &err);
	/* The disable itself deleted the session: it is gone, not merely refused. */
	expect(sk_auth_session_check(f.s, f.pol, b.token, ADDR, &p, &err), SK_ERR_AUTH, &err,
	       "no session");
	assert_int_equal(count(f.s, "SELECT COUNT(*) FROM sessions", NULL), 0);
	assert_int_equal(
	    count(f.s,
	          "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.session_end' AND "
	          "after_json LIKE ?",
	          "%disabled%"),
	    1);
	expect(login(&f, "alice", alice_pw, NULL, &a, &err), SK_ERR_AUTH, &err2, NULL);
	assert_string_equal(err.data, "wrong login or password");

	/* A development ID stops working at its expiry, sessions included. */
	add_user(f.s, "dev1", "staff", "Dev-Id-Pass1", T0 + 7200);
	ok(login(&f, "dev1", "Dev-Id-Pass1", NULL, &a, &err), &err);
	assert_int_equal(a.principal.expires_at, T0 + 7200);
	advance(10 * MIN);
	ok(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), &err);
	advance(7200);
	expect(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), SK_ERR_AUTH, &err,
	       "expired");
	assert_int_equal(
	    count(f.s,
	          "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.session_end' AND "
	          "after_json LIKE ?",
	          "%account_expired%"),
	    1);
	expect(login(&f, "dev1", "Dev-Id-Pass1", NULL, &a, &err), SK_ERR_AUTH, &err,
	       "wrong login or password");

	sk_buf_free(&err);
	sk_buf_free(&err2);
	teardown(&f);
}

/* --- lockout --- */

static void run_lockout(const char *backend)
{
	fixture f;
	setup(&f, backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_auth_session a;
	for (int i = 1; i < 5; i++)
		expect(login(&f, "alice", "nope", NULL, &a, &err), SK_ERR_AUTH, &err, NULL);
	/*
	 * The fifth failure locks for the profile's 30 minutes: recorded for the
	 * holder ("auth.locked"), but answered as any wrong password (issue #12).
	 */
	expect(login(&f, "alice", "nope", NULL, &a, &err), SK_ERR_AUTH, &err,
	       "wrong login or password");
	assert_true(a.locked);
	assert_int_equal(audits(f.s, "auth.locked"), 1);
	assert_int_equal(count(f.s, "SELECT locked_until FROM users WHERE login = ?", "alice"),
	                 T0 + 30 * MIN);
	assert_int_equal(count(f.s,
	                       "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.locked' AND "
	                       "after_json LIKE '%\"notify\":\"alice\"%'",
	                       NULL),
	                 1);
	/*
	 * While locked the right password does not help and does not count: 423
	 * with the end (SPEC §3). An unknown login failing as often is locked
	 * alike (phantom.h), so the lock says nothing about existence.
	 */
	advance(29 * MIN);
	sk_buf unknown = SK_BUF_INIT(SK_BUF_MSG_MAX);
	expect(login(&f, "alice", alice_pw, NULL, &a, &err), SK_ERR_LOCKED, &err,
	       "the account is locked until ");
	for (int i = 1; i < 5; i++)
		expect(login(&f, "nobody", "nope", NULL, &a, &unknown), SK_ERR_AUTH, &unknown,
		       "wrong login or password");
	expect(login(&f, "nobody", "nope", NULL, &a, &unknown), SK_ERR_AUTH, &unknown,
	       "wrong login or password");
	expect(login(&f, "nobody", alice_pw, NULL, &a, &unknown), SK_ERR_LOCKED, &unknown,
	       "the account is locked until ");
	assert_int_equal(audits(f.s, "auth.locked"), 1); /* a phantom lock writes nothing */
	sk_buf_free(&unknown);
	advance(1 * MIN);
	ok(login(&f, "alice", alice_pw, NULL, &a, &err), &err);

	/* Lockouts in a row wait longer: 30, then 60 minutes. */
	for (int round = 1; round <= 2; round++) {
		for (int i = 1; i < 5; i++)
			expect(login(&f, "alice", "nope", NULL, &a, &err), SK_ERR_AUTH, &err, NULL);
		expect(login(&f, "alice", "nope", NULL, &a, &err), SK_ERR_AUTH, &err, NULL);
		int64_t wait = round == 1 ? 30 * MIN : 60 * MIN;
		advance(wait - 1);
		expect(login(&f, "alice", alice_pw, NULL, &a, &err), SK_ERR_LOCKED, &err, NULL);
		advance(1);
		if (round == 1) /* a failure after the wait starts the next count */
			continue;
		ok(login(&f, "alice", alice_pw, NULL, &a, &err), &err);
	}
	assert_int_equal(count(f.s, "SELECT lockouts FROM users WHERE login = ?", "alice"), 0);

	/* An administrator unlocks; the unlock is audited; a second unlock has nothing to do. */
	for (int i = 1; i <= 5; i++)
		(void)login(&f, "alice", "nope", NULL, &a, &err);
	expect(login(&f, "alice", alice_pw, NULL, &a, &err), SK_ERR_LOCKED, &err, NULL);
	sk_actor web = {.user_id = 99, .login = "mallory", .address = "192.0.2.66"};
	expect(sk_auth_unlock(tu_ctx(f.s, &web), "alice", &err), SK_ERR_DENIED, &err, NULL);
	ok(sk_auth_unlock(tu_ctx(f.s, sk_actor_cli()), "alice", &err), &err);
	assert_int_equal(audits(f.s, "auth.unlock"), 1);
	ok(login(&f, "alice", alice_pw, NULL, &a, &err), &err);
	expect(sk_auth_unlock(tu_ctx(f.s, sk_actor_cli()), "alice", &err), SK_ERR_CONFLICT, &err,
	       "not locked");
	expect(sk_auth_unlock(tu_ctx(f.s, sk_actor_cli()), "ghost", &err), SK_ERR_NOT_FOUND, &err,
	       "ghost");

	/* Privileged IDs here lock after 3 failures until an administrator unlocks them. */
	add_user(f.s, "bob", "system_manager", bob_pw, 0);
	for (int i = 1; i < 3; i++)
		expect(login(&f, "bob", "nope", NULL, &a, &err), SK_ERR_AUTH, &err, NULL);
	expect(login(&f, "bob", "nope", NULL, &a, &err), SK_ERR_AUTH, &err, NULL);
	assert_int_equal(count(f.s, "SELECT locked_until FROM users WHERE login = ?", "bob"),
	                 SK_AUTH_LOCKED_FOREVER);
	advance(365 * 86400);
	expect(login(&f, "bob", bob_pw, NULL, &a, &err), SK_ERR_LOCKED, &err,
	       "until an administrator unlocks it");
	ok(sk_auth_unlock(tu_ctx(f.s, sk_actor_cli()), "bob", &err), &err);
	/* Unlocked, bob still needs his MFA enrollment. */
	expect(login(&f, "bob", bob_pw, NULL, &a, &err), SK_ERR_DENIED, &err, "totp-enroll");
	sk_buf_free(&err);
	teardown(&f);
}

/* --- the per-address throttle and the summary of failures (issue #12, findings 6, 7) --- */

static void run_throttle(const char *backend)
{
	fixture f;
	setup(&f, backend);
	sk_throttle_configure(3, 10 * MIN);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_auth_session a;
	const char *far = "198.51.100.7";
	/* Three failures from one address use up its window... */
	for (int i = 0; i < 3; i++)
		expect(sk_auth_login(f.s, f.pol, "nobody", "x", 1, NULL, far, &a, &err),
		       SK_ERR_AUTH, &err, "wrong login or password");
	/* ...then it is refused without a verification, and the account counts nothing. */
	expect(sk_auth_login(f.s, f.pol, "alice", "nope", 4, NULL, far, &a, &err), SK_ERR_THROTTLED,
	       &err, "seconds");
	assert_int_equal(a.retry_after, 10 * MIN);
	expect(sk_auth_login(f.s, f.pol, "alice", alice_pw, strlen(alice_pw), NULL, far, &a, &err),
	       SK_ERR_THROTTLED, &err, NULL);
	assert_int_equal(count(f.s, "SELECT failed_logins FROM users WHERE login = ?", "alice"), 0);
	/* Other addresses are not held up. */
	ok(login(&f, "alice", alice_pw, NULL, &a, &err), &err);
	/* None of this was one audit entry each: nothing yet, the minute has not ended. */
	assert_int_equal(audits(f.s, "auth.login_failed"), 0);
	assert_int_equal(audits(f.s, "auth.failures"), 0);
	/* The next login after the minute writes one summary for the address. */
	advance(61);
	expect(sk_auth_login(f.s, f.pol, "alice", "nope", 4, NULL, far, &a, &err), SK_ERR_THROTTLED,
	       &err, NULL);
	assert_int_equal(audits(f.s, "auth.failures"), 1);
	assert_int_equal(
	    count(
	        f.s,
	        "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.failures' AND object = ? AND "
	        "after_json LIKE '%\"count\":5,%' AND after_json LIKE "
	        "'%\"reasons\":{\"throttled\":2,\"unknown_login\":3}%'",
	        "address:198.51.100.7"),
	    1);
	/* The window ends 10 minutes after its first failure. */
	advance(10 * MIN);
	expect(sk_auth_login(f.s, f.pol, "alice", "nope", 4, NULL, far, &a, &err), SK_ERR_AUTH,
	       &err, NULL);
	assert_int_equal(count(f.s, "SELECT failed_logins FROM users WHERE login = ?", "alice"), 1);
	/* At shutdown what is pending is written (the server does it when its pool stops). */
	ok(sk_throttle_flush(f.s, sk_clock_now(), true, &err), &err);
	assert_int_equal(audits(f.s, "auth.failures"), 2);
	sk_throttle_configure(0, 0);
	sk_buf_free(&err);
	teardown(&f);
}

/* --- timeouts --- */

static void run_timeouts(const char *backend)
{
	fixture f;
	setup(&f, backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_auth_session a;
	sk_auth_principal p;

	/* Idle: 15 minutes without a request end the session; requests keep it alive. */
	ok(login(&f, "alice", alice_pw, NULL, &a, &err), &err);
	advance(14 * MIN);
	ok(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), &err);
	advance(14 * MIN);
	ok(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), &err);
	advance(15 * MIN);
	expect(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), SK_ERR_AUTH, &err,
	       "expired");
	assert_int_equal(
	    count(f.s,
	          "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.session_end' AND "
	          "after_json LIKE ?",
	          "%idle_timeout%"),
	    1);
	/* Refreshing writes at most every 15 seconds but still counts from the last write. */
	ok(login(&f, "alice", alice_pw, NULL, &a, &err), &err);
	for (int i = 0; i < 11; i++) {
		advance(10 * MIN);
		ok(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), &err);
	}
	/* Absolute: 120 minutes after login, however busy. */
	assert_int_equal(p.expires_at - p.created_at, 120 * MIN);
	advance(10 * MIN);
	expect(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), SK_ERR_AUTH, &err,
	       "expired");
	assert_int_equal(
	    count(f.s,
	          "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.session_end' AND "
	          "after_json LIKE ?",
	          "%absolute_timeout%"),
	    1);
	sk_buf_free(&err);
	teardown(&f);
}

/* --- password change --- */

static void run_password_change(const char *backend)
{
	fixture f;
	setup(&f, backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_auth_session a, other, fresh;
	sk_auth_principal p;

	/* A temporary password logs in, but nothing else is allowed until it is changed. */
	ok(login(&f, "ciso", f.ciso_temp, NULL, &a, &err), &err);
	assert_true(a.principal.must_change_password);
	ok(login(&f, "ciso", f.ciso_temp, NULL, &other, &err), &err);
	ok(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), &err);
	assert_true(p.must_change_password);
	expect(sk_auth_require_ready(&p, &err), SK_ERR_MUST_CHANGE_PASSWORD, &err, "temporary");

	const char *p1 = "First-Change1", *p2 = "Second-Change2", *p3 = "Third-Change3",
	           *p4 = "Fourth-Change4";
#define CHANGE(old, new, out)                                                                      \
	sk_auth_change_password(f.s, f.pol, &p, old, strlen(old), new, strlen(new), ADDR, out, &err)
	expect(CHANGE("wrong", p1, &fresh), SK_ERR_AUTH, &err, "old password");
	assert_int_equal(count(f.s, "SELECT failed_logins FROM users WHERE login = ?", "ciso"), 1);
	expect(CHANGE(f.ciso_temp, "short1A", &fresh), SK_ERR_INVALID, &err, "min_length");
	expect(CHANGE(f.ciso_temp, "Password1", &fresh), SK_ERR_INVALID, &err, "common_password");
	/*
	 * What the profile's rules (upper, lower, digit, 8) let through, the floor
	 * under every profile refuses: a variant of a common password (the CISO's
	 * "password123" was once accepted over the API) and the login itself.
	 */
	expect(CHANGE(f.ciso_temp, "Password123", &fresh), SK_ERR_INVALID, &err,
	       "breaks the floor under every profile (NIST SP 800-63B-4 3.1.1.2): common_password");
	assert_null(strstr(err.data, "profile's rules"));
	expect(CHANGE(f.ciso_temp, "P@ssw0rd2026", &fresh), SK_ERR_INVALID, &err,
	       "common_password");
	expect(CHANGE(f.ciso_temp, "Ciso2026", &fresh), SK_ERR_INVALID, &err, "context_word");
	expect(CHANGE(f.ciso_temp, f.ciso_temp, &fresh), SK_ERR_INVALID, &err, "differ");
	assert_int_equal(audits(f.s, "auth.password_change"), 0);

	ok(CHANGE(f.ciso_temp, p1, &fresh), &err);
	assert_int_equal(audits(f.s, "auth.password_change"), 1);
	/* Every earlier session has ended; the fresh one works and is not temporary. */
	expect(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), SK_ERR_AUTH, &err, NULL);
	expect(sk_auth_session_check(f.s, f.pol, other.token, ADDR, &p, &err), SK_ERR_AUTH, &err,
	       NULL);
	ok(sk_auth_session_check(f.s, f.pol, fresh.token, ADDR, &p, &err), &err);
	assert_false(p.must_change_password);
	ok(sk_auth_require_ready(&p, &err), &err);
	expect(login(&f, "ciso", f.ciso_temp, NULL, &a, &err), SK_ERR_AUTH, &err, NULL);
	ok(login(&f, "ciso", p1, NULL, &a, &err), &err);
	assert_false(a.principal.must_change_password);

	/* History 3: the last three passwords (the current one included) are refused. */
	ok(CHANGE(p1, p2, &fresh), &err);
	ok(sk_auth_session_check(f.s, f.pol, fresh.token, ADDR, &p, &err), &err);
	ok(CHANGE(p2, p3, &fresh), &err);
	ok(sk_auth_session_check(f.s, f.pol, fresh.token, ADDR, &p, &err), &err);
	expect(CHANGE(p3, p1, &fresh), SK_ERR_INVALID, &err, "used recently");
	expect(CHANGE(p3, p2, &fresh), SK_ERR_INVALID, &err, "used recently");
	ok(CHANGE(p3, p4, NULL), &err);
	/* Without out, no new session: the caller is logged out. */
	expect(sk_auth_session_check(f.s, f.pol, fresh.token, ADDR, &p, &err), SK_ERR_AUTH, &err,
	       NULL);
	assert_int_equal(count(f.s, "SELECT COUNT(*) FROM sessions", NULL), 0);
	ok(login(&f, "ciso", p4, NULL, &a, &err), &err);
	ok(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), &err);
	ok(CHANGE(p4, p1, &fresh), &err); /* four changes ago: allowed again */
	assert_int_equal(count(f.s,
	                       "SELECT COUNT(*) FROM password_history h JOIN users u ON u.id = "
	                       "h.user_id WHERE u.login = ?",
	                       "ciso"),
	                 3);

	/* The rotation reminder after the profile's 90 days. */
	ok(sk_auth_session_check(f.s, f.pol, fresh.token, ADDR, &p, &err), &err);
	assert_false(p.password_rotation_due);
	advance(90 * 86400);
	ok(login(&f, "ciso", p1, NULL, &a, &err), &err);
	assert_true(a.principal.password_rotation_due);
	/* No audit entry carries a password. */
	assert_int_equal(
	    count(f.s,
	          "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%-Change%' OR "
	          "after_json LIKE '%argon2%'",
	          NULL),
	    0);
#undef CHANGE
	sk_buf_free(&err);
	teardown(&f);
}

/* --- TOTP and MFA --- */

static size_t base32_decode(const char *in, unsigned char *out)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned acc = 0;
	int bits = 0;
	size_t n = 0;
	for (; *in; in++) {
		const char *c = strchr(alphabet, *in);
		assert_non_null(c);
		acc = (acc << 5) | (unsigned)(c - alphabet);
		bits += 5;
		if (bits >= 8) {
			out[n++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	return n;
}

static void code_now(const unsigned char *secret, size_t len, char out[SK_TOTP_CODE_MAX])
{
	assert_int_equal(sk_totp_code(secret, len, sk_clock_now(), 6, SK_TOTP_SHA1, out), SK_OK);
}

static void run_totp(const char *backend)
{
	fixture f;
	setup(&f, backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX), uri = SK_BUF_INIT(4096);
	sk_auth_session a;
	char b32[SK_TOTP_BASE32_MAX], code[SK_TOTP_CODE_MAX];
	unsigned char secret[SK_TOTP_SECRET_MAX];

	add_user(f.s, "bob", "system_manager", bob_pw, 0);
	/* The profile demands MFA for privileged IDs: without enrollment there is no login. */
	expect(login(&f, "bob", bob_pw, NULL, &a, &err), SK_ERR_DENIED, &err, "totp-enroll");
	assert_true(a.totp_required);
	/* A wrong password says nothing about MFA. */
	expect(login(&f, "bob", "nope", NULL, &a, &err), SK_ERR_AUTH, &err, "wrong login");
	assert_false(a.totp_required);

	sk_actor web = {.user_id = 99, .login = "mallory", .address = "192.0.2.66"};
	expect(sk_auth_totp_enroll(tu_ctx(f.s, &web), "bob", &uri, b32, &err), SK_ERR_DENIED, &err,
	       NULL);
	ok(sk_auth_totp_enroll(tu_ctx(f.s, sk_actor_cli()), "bob", &uri, b32, &err), &err);
	assert_int_equal(strlen(b32), 32);
	assert_non_null(strstr(uri.data, "otpauth://totp/"));
	assert_non_null(strstr(uri.data, ":bob?secret="));
	assert_non_null(strstr(uri.data, b32));
	assert_int_equal(audits(f.s, "auth.totp_enroll"), 1);
	/* Stored sealed: neither the base32 text nor the raw bytes' hex is in the table. */
	size_t len = base32_decode(b32, secret);
	assert_int_equal(len, SK_TOTP_SECRET_LEN);
	char hex[2 * SK_TOTP_SECRET_LEN + 1];
	sodium_bin2hex(hex, sizeof(hex), secret, len);
	char like[SK_TOTP_BASE32_MAX + 8];
	snprintf(like, sizeof(like), "%%%s%%", hex);
	assert_int_equal(count(f.s, "SELECT COUNT(*) FROM users WHERE totp_secret LIKE ?", like),
	                 0);
	snprintf(like, sizeof(like), "%%%s%%", b32);
	assert_int_equal(count(f.s, "SELECT COUNT(*) FROM users WHERE totp_secret LIKE ?", like),
	                 0);
	assert_int_equal(count(f.s, "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE ?", like),
	                 0);

	/* No code: asked for one, not counted as a failure. */
	assert_int_equal(count(f.s, "SELECT failed_logins FROM users WHERE login = ?", "bob"), 1);
	expect(login(&f, "bob", bob_pw, NULL, &a, &err), SK_ERR_AUTH, &err, "one-time code");
	assert_true(a.totp_required);
	assert_int_equal(count(f.s, "SELECT failed_logins FROM users WHERE login = ?", "bob"), 1);
	/* A wrong code counts. */
	expect(login(&f, "bob", bob_pw, "000000", &a, &err), SK_ERR_AUTH, &err, "one-time code");
	assert_int_equal(count(f.s, "SELECT failed_logins FROM users WHERE login = ?", "bob"), 2);
	code_now(secret, len, code);
	if (strcmp(code, "000000") == 0) { /* one chance in a million: step past it */
		advance(30);
		code_now(secret, len, code);
	}
	ok(login(&f, "bob", bob_pw, code, &a, &err), &err);
	assert_true(a.totp_required);
	assert_int_equal(a.principal.kind, SK_KIND_PRIVILEGED);
	/* The privileged connection limit (45 minutes) is shorter than the absolute 120. */
	assert_int_equal(a.principal.expires_at - a.principal.created_at, 45 * MIN);
	/* Each code works once. */
	expect(login(&f, "bob", bob_pw, code, &a, &err), SK_ERR_AUTH, &err, "one-time code");
	advance(30);
	code_now(secret, len, code);
	ok(login(&f, "bob", bob_pw, code, &a, &err), &err);
	/* The previous step's code is refused once a later one was used. */
	char old[SK_TOTP_CODE_MAX];
	assert_int_equal(sk_totp_code(secret, len, sk_clock_now() - 30, 6, SK_TOTP_SHA1, old),
	                 SK_OK);
	sk_auth_session x;
	expect(login(&f, "bob", bob_pw, old, &x, &err), SK_ERR_AUTH, &err, NULL);

	/* The privileged session ends after 45 minutes even when busy. */
	sk_auth_principal p;
	for (int i = 0; i < 4; i++) {
		advance(10 * MIN);
		ok(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), &err);
	}
	advance(5 * MIN);
	expect(sk_auth_session_check(f.s, f.pol, a.token, ADDR, &p, &err), SK_ERR_AUTH, &err,
	       "expired");
	assert_int_equal(
	    count(f.s,
	          "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.session_end' AND "
	          "after_json LIKE ?",
	          "%privileged_limit%"),
	    1);

	/* Re-enrolling replaces the secret: the old one's codes stop working. */
	sk_buf_reset(&uri);
	char b32b[SK_TOTP_BASE32_MAX];
	ok(sk_auth_totp_enroll(tu_ctx(f.s, sk_actor_cli()), "bob", &uri, b32b, &err), &err);
	assert_string_not_equal(b32, b32b);
	advance(30);
	code_now(secret, len, code);
	unsigned char secret2[SK_TOTP_SECRET_MAX];
	size_t len2 = base32_decode(b32b, secret2);
	char code2[SK_TOTP_CODE_MAX];
	code_now(secret2, len2, code2);
	if (strcmp(code, code2) != 0)
		expect(login(&f, "bob", bob_pw, code, &x, &err), SK_ERR_AUTH, &err, NULL);
	ok(login(&f, "bob", bob_pw, code2, &a, &err), &err);

	/* MFA by zone: a normal account working in the mynumber zone needs a code too. */
	ok(sk_auth_set_zone(tu_ctx(f.s, sk_actor_cli()), "alice", SK_ZONE_MYNUMBER, &err), &err);
	expect(login(&f, "alice", alice_pw, NULL, &a, &err), SK_ERR_DENIED, &err, "totp-enroll");
	expect_ja(&err, SK_ERR_DENIED, "ワンタイムコードが必要ですが、登録されていません");
	/* --as with the password refuses alike, in the reader's language too. */
	sk_buf_reset(&err);
	expect(sk_auth_act_as(f.s, "alice", alice_pw, strlen(alice_pw), NULL, "cli:password", &err),
	       SK_ERR_DENIED, &err, "totp-enroll");
	expect_ja(&err, SK_ERR_DENIED, "「sekisho user totp-enroll」を実行してください");
	ok(sk_auth_set_zone(tu_ctx(f.s, sk_actor_cli()), "alice", SK_ZONE_LGWAN, &err), &err);
	ok(login(&f, "alice", alice_pw, NULL, &a, &err), &err);
	assert_int_equal(audits(f.s, "auth.zone"), 2);

	/* A key file that cannot open the secret fails closed, with a message naming it. */
	const char *kp = getenv("SEKISHO_TOTP_KEY");
	char moved[600];
	snprintf(moved, sizeof(moved), "%s.moved", kp);
	assert_int_equal(rename(kp, moved), 0);
	advance(30);
	code_now(secret2, len2, code2);
	expect(login(&f, "bob", bob_pw, code2, &a, &err), SK_ERR_IO, &err, kp);
	assert_int_equal(rename(moved, kp), 0);
	ok(login(&f, "bob", bob_pw, code2, &a, &err), &err);

	sk_buf_free(&uri);
	sk_buf_free(&err);
	teardown(&f);
}

/* --- unused accounts, privileged holders --- */

static void run_unused_and_holders(const char *backend)
{
	fixture f;
	setup(&f, backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_auth_session a;
	json_t *j = NULL;

	advance(50 * 86400);
	ok(login(&f, "alice", alice_pw, NULL, &a, &err), &err);
	advance(50 * 86400);
	/* ciso: created 100 days ago, never logged in; alice: last login 50 days ago. */
	ok(sk_auth_unused(f.s, 60, &j, &err), &err);
	assert_int_equal(json_array_size(j), 1);
	json_t *e0 = json_array_get(j, 0);
	assert_string_equal(json_string_value(json_object_get(e0, "login")), "ciso");
	assert_true(json_is_null(json_object_get(e0, "last_login_at")));
	assert_int_equal(json_integer_value(json_object_get(e0, "days_unused")), 100);
	assert_string_equal(json_string_value(json_object_get(e0, "unit_code")), "city");
	json_decref(j);
	ok(sk_auth_unused(f.s, 50, &j, &err), &err);
	assert_int_equal(json_array_size(j), 2);
	json_t *e1 = json_array_get(j, 0);
	assert_string_equal(json_string_value(json_object_get(e1, "login")), "alice");
	assert_string_equal(json_string_value(json_object_get(e1, "last_login_at")),
	                    "2027-03-06T17:00:00+09:00");
	assert_int_equal(json_integer_value(json_object_get(e1, "days_unused")), 50);
	json_decref(j);
	expect(sk_auth_unused(f.s, 0, &j, &err), SK_ERR_INVALID, &err, "days");
	assert_null(j);

	/* Privileged roles keep two active holders: revoking the second-to-last is refused. */
	add_user(f.s, "bob", "system_manager", bob_pw, 0);
	add_user(f.s, "dave", "system_manager", "Dave-Privileged-1!", 0);
	add_user(f.s, "erin", "system_manager", "Erin-Privileged-1!", 0);
	ok(sk_role_grant(tu_ctx(f.s, sk_actor_cli()), "bob", "staff", "city", &err), &err);
	ok(sk_user_set_active(tu_ctx(f.s, sk_actor_cli()), "erin", false, &err), &err);
	int64_t grants = count(f.s, "SELECT COUNT(*) FROM role_assignment", NULL);
	int64_t seq = count(f.s, "SELECT seq FROM audit_head", NULL);
	expect(sk_role_revoke(tu_ctx(f.s, sk_actor_cli()), "bob", "system_manager", "city", &err),
	       SK_ERR_CONFLICT, &err,
	       "revoking system_manager from 'bob' would leave 1 active holder;");
	assert_int_equal(count(f.s, "SELECT COUNT(*) FROM role_assignment", NULL), grants);
	assert_int_equal(count(f.s, "SELECT seq FROM audit_head", NULL), seq);
	/* Other roles are not limited. */
	ok(sk_role_revoke(tu_ctx(f.s, sk_actor_cli()), "bob", "staff", "city", &err), &err);
	/* With a third active holder the revocation goes through. */
	ok(sk_user_set_active(tu_ctx(f.s, sk_actor_cli()), "erin", true, &err), &err);
	ok(sk_role_revoke(tu_ctx(f.s, sk_actor_cli()), "bob", "system_manager", "city", &err),
	   &err);
	/* An expired development ID does not count as a holder. */
	add_user(f.s, "frank", "system_manager", "Frank-Privileged-1!", sk_clock_now() + 60);
	advance(61);
	expect(sk_role_revoke(tu_ctx(f.s, sk_actor_cli()), "dave", "system_manager", "city", &err),
	       SK_ERR_CONFLICT, &err, "would leave 1 active holder");
	int64_t dave = count(f.s, "SELECT id FROM users WHERE login = ?", "dave");
	ok(sk_auth_privileged_min_holders_check(f.s, "auditor", dave, &err), &err);
	sk_buf_free(&err);
	teardown(&f);
}

/* --- failures leave nothing half-written --- */

static void run_faults(const char *backend)
{
	fixture f;
	setup(&f, backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_auth_session a;
	int64_t seq = count(f.s, "SELECT seq FROM audit_head", NULL);
	for (int n = 1; n <= 6; n++) {
		sk_store_fault(f.s, SK_FAULT_WRITE, n);
		sk_err e = login(&f, "alice", alice_pw, NULL, &a, &err);
		sk_store_fault(f.s, SK_FAULT_WRITE, 0);
		if (e == SK_OK)
			break; /* fewer writes than n: the login went through */
		assert_int_equal(e, SK_ERR_STORE);
		assert_string_equal(a.token, "");
		assert_int_equal(count(f.s, "SELECT COUNT(*) FROM sessions", NULL), 0);
		assert_int_equal(
		    count(f.s, "SELECT COUNT(*) FROM users WHERE last_login_at IS NOT NULL", NULL),
		    0);
		assert_int_equal(count(f.s, "SELECT seq FROM audit_head", NULL), seq);
	}
	sk_store_fault(f.s, SK_FAULT_COMMIT, 1);
	expect(login(&f, "alice", "nope", NULL, &a, &err), SK_ERR_STORE, &err, NULL);
	assert_int_equal(count(f.s, "SELECT failed_logins FROM users WHERE login = ?", "alice"), 0);
	sk_buf_free(&err);
	teardown(&f);
}

/*
 * --- acting for an account without a session (the CLI's --as) ---
 * A wrong password there is a failed login: the same count, the same entry,
 * the same lock, shared with the web's; a locked account is acted for by
 * nobody, however proved; a right password clears the count.
 */
static sk_err act_as(fixture *f, const char *who, const char *pw, sk_buf *err)
{
	sk_buf_reset(err);
	return sk_auth_act_as(f->s, who, pw, pw ? strlen(pw) : 0, NULL, "cli:password", err);
}

static void run_act_as(const char *backend)
{
	fixture f;
	setup(&f, backend);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_auth_session a;
	ok(act_as(&f, "alice", alice_pw, &err), &err);
	ok(act_as(&f, "alice", NULL, &err), &err);
	expect(act_as(&f, "nobody", alice_pw, &err), SK_ERR_AUTH, &err, "wrong login or password");
	expect_ja(&err, SK_ERR_AUTH, "ログイン名またはパスワードが正しくありません");
	expect(act_as(&f, "nobody", NULL, &err), SK_ERR_AUTH, &err, NULL);
	for (int i = 1; i <= 3; i++)
		expect(act_as(&f, "alice", "nope", &err), SK_ERR_AUTH, &err, NULL);
	assert_int_equal(count(f.s, "SELECT failed_logins FROM users WHERE login = ?", "alice"), 3);
	assert_int_equal(count(f.s,
	                       "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed' "
	                       "AND actor = 'alice' AND address = 'cli:password' AND "
	                       "after_json LIKE '%\"reason\":\"wrong_password\"%'",
	                       NULL),
	                 3);
	/* One more at the web door, then the fifth at the CLI: the profile's 5 lock alice. */
	expect(login(&f, "alice", "nope", NULL, &a, &err), SK_ERR_AUTH, &err, NULL);
	expect(act_as(&f, "alice", "nope", &err), SK_ERR_AUTH, &err, NULL);
	assert_int_equal(audits(f.s, "auth.locked"), 1);
	assert_int_equal(count(f.s, "SELECT locked_until FROM users WHERE login = ?", "alice"),
	                 T0 + 30 * MIN);
	/* Locked: the right password, or none (the admin token), and the web alike. */
	int64_t failed = audits(f.s, "auth.login_failed");
	expect(act_as(&f, "alice", alice_pw, &err), SK_ERR_LOCKED, &err, "locked until");
	expect(act_as(&f, "alice", NULL, &err), SK_ERR_LOCKED, &err, "locked until");
	expect(act_as(&f, "alice", "nope", &err), SK_ERR_LOCKED, &err, NULL);
	expect(login(&f, "alice", alice_pw, NULL, &a, &err), SK_ERR_LOCKED, &err, NULL);
	assert_int_equal(audits(f.s, "auth.login_failed"), failed);
	/* After the wait the right password acts, and the count starts afresh. */
	advance(30 * MIN);
	expect(act_as(&f, "alice", "nope", &err), SK_ERR_AUTH, &err, NULL);
	ok(act_as(&f, "alice", alice_pw, &err), &err);
	assert_int_equal(count(f.s, "SELECT failed_logins FROM users WHERE login = ?", "alice"), 0);
	/* A disabled account is acted for by nobody either. */
	sk_buf_reset(&err);
	ok(sk_user_set_active(tu_ctx(f.s, sk_actor_cli()), "alice", false, &err), &err);
	expect(act_as(&f, "alice", NULL, &err), SK_ERR_AUTH, &err, NULL);
	expect(act_as(&f, "alice", alice_pw, &err), SK_ERR_AUTH, &err, NULL);
	sk_buf_free(&err);
	teardown(&f);
}

SK_TEST_EACH_BACKEND(run_login)
SK_TEST_EACH_BACKEND(run_lockout)
SK_TEST_EACH_BACKEND(run_throttle)
SK_TEST_EACH_BACKEND(run_timeouts)
SK_TEST_EACH_BACKEND(run_password_change)
SK_TEST_EACH_BACKEND(run_totp)
SK_TEST_EACH_BACKEND(run_unused_and_holders)
SK_TEST_EACH_BACKEND(run_faults)
SK_TEST_EACH_BACKEND(run_act_as)

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(run_login_all),    cmocka_unit_test(run_lockout_all),
	    cmocka_unit_test(run_timeouts_all), cmocka_unit_test(run_password_change_all),
	    cmocka_unit_test(run_totp_all),     cmocka_unit_test(run_unused_and_holders_all),
	    cmocka_unit_test(run_faults_all),   cmocka_unit_test(run_throttle_all),
	    cmocka_unit_test(run_act_as_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
