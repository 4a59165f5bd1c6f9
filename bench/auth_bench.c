/*
 * auth_bench: what authenticating one API request costs. Times
 * sk_auth_session_check (token hash, one joined query for the session, its
 * account and kind, the timeout rules, the CSRF derivation) against the
 * reference of the same run: a bare primary-key-style lookup of the session
 * row by its token hash through the same store, the least any session check
 * must do. Also times one login (argon2id dominates it, by design).
 * Usage: auth_bench DIR [N]   (DIR: an empty scratch directory; N checks, default 200000)
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/auth/auth.h"
#include "../src/domain/ctx.h"
#include "../src/domain/install.h"
#include "../src/domain/user.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void must(sk_err e, const sk_buf *err, const char *what)
{
	if (e != SK_OK) {
		fprintf(stderr, "auth_bench: %s: %s\n", what, err->data);
		exit(1);
	}
}

static sk_err count_row(void *ctx, const sk_row *r, sk_buf *err)
{
	(void)err;
	(*(int64_t *)ctx) += sk_row_int(r, 0);
	return SK_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2 || sodium_init() < 0) {
		fprintf(stderr, "usage: auth_bench DIR [N]\n");
		return 2;
	}
	long n = argc > 2 ? atol(argv[2]) : 200000;
	char db[1024], key[1100], totp[1100];
	snprintf(db, sizeof(db), "%s/auth.db", argv[1]);
	snprintf(key, sizeof(key), "%s.audit-key", db);
	snprintf(totp, sizeof(totp), "%s.totp-key", db);
	setenv("SEKISHO_TOTP_KEY", totp, 1);
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_store *s = NULL;
	must(sk_store_open(db, SK_STORE_CREATE, &s, &err), &err, "open");
	sk_install_opts o = {.profile = "hachioji", .admin_login = "ciso", .key_path = key};
	sk_install_result res;
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, sk_actor_cli());
	must(sk_install_init(&c, &o, &res, &err), &err, "init");
	const char *roles[] = {"staff"};
	const char *pw = "Bench-Passw0rd!";
	char temp[SK_PASSWORD_TEMP_MAX];
	sk_user_new u = {.login = "alice",
	                 .name = "alice",
	                 .unit = "hachioji",
	                 .roles = roles,
	                 .nroles = 1,
	                 .password = pw,
	                 .password_len = strlen(pw)};
	must(sk_user_add(&c, &u, NULL, temp, &err), &err, "user add");
	sk_ctx_fini(&c);
	sk_policy *pol = NULL;
	must(sk_policy_open("hachioji", &pol, &err), &err, "policy");

	sk_auth_session a;
	double t0 = now_s();
	must(sk_auth_login(s, pol, "alice", pw, strlen(pw), NULL, "192.0.2.1", &a, &err), &err,
	     "login");
	double login_ms = (now_s() - t0) * 1e3;

	sk_auth_principal p;
	t0 = now_s();
	for (long i = 0; i < n; i++)
		must(sk_auth_session_check(s, pol, a.token, "192.0.2.1", &p, &err), &err, "check");
	double check = now_s() - t0;

	unsigned char h[32];
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)a.token, strlen(a.token));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	int64_t found = 0;
	sk_val q[] = {sk_vtext(hex)};
	t0 = now_s();
	for (long i = 0; i < n; i++)
		must(sk_store_query(s, "SELECT user_id FROM sessions WHERE token_hash = ?", q, 1,
		                    count_row, &found, &err),
		     &err, "reference");
	double ref = now_s() - t0;
	if (found != (int64_t)n * p.user_id)
		return 1;

	printf("| what | per second | µs each |\n|---|---:|---:|\n");
	printf("| `sk_auth_session_check` | %.0f | %.2f |\n", n / check, check / n * 1e6);
	printf("| reference: `SELECT user_id FROM sessions WHERE token_hash = ?` | %.0f | %.2f |\n",
	       n / ref, ref / n * 1e6);
	printf("\nSession check at %.0f%% of the bare lookup's rate (%ld checks). One login "
	       "(argon2id, interactive cost): %.0f ms.\n",
	       100.0 * ref / check, n, login_ms);
	sk_policy_free(pol);
	sk_store_close(s);
	sk_buf_free(&err);
	return 0;
}
