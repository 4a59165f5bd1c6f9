/*
 * cmd_notify: `sekisho notify test|flush|configure`, notification mail
 * (src/domain/notify.h) from the command line:
 *
 *   notify test --db URL --to LOGIN     a test notification for the account
 *                                       (audited notify.test): in-app, and
 *                                       queued as mail when it has an address
 *   notify flush --db URL --smtp URL --mail-from ADDR [--now]
 *                                       sends the due queue once (cron, tests);
 *                                       --now also tries mail waiting for a retry
 *   notify configure --db URL --base-url URL
 *                                       where links in notifications lead
 *
 * flush exits 75 (try again later) when some mail could not be sent: it
 * stays queued with its error and is retried.
 */
#include <stdio.h>
#include <string.h>

#include "../domain/actor.h"
#include "../domain/maint.h"
#include "../domain/notify.h"
#include "../mail/mailer.h"
#include "../mail/smtp.h"
#include "cli.h"
#include "commands.h"

#define TEST_USAGE      "--db URL --to LOGIN"
#define FLUSH_USAGE     "--db URL --smtp SMTP_URL --mail-from MAIL_ADDR [--now]"
#define CONFIGURE_USAGE "--db URL --base-url BASE_URL"
#define REMIND_USAGE    "--db URL [--after DAYS]"

static int notify_test(int argc, char **argv)
{
	const char *db = NULL, *login = NULL;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("to", &login),
	    SK_OPT_END,
	};
	int rc;
	if (!sk_cli_options(argc, argv, TEST_USAGE, opts, SK_CLI_ANY_ARGS, &rc))
		return rc;
	if ((rc = sk_cli_login_arg(argc, argv, TEST_USAGE, &login,
	                           SK_M_CLI_WHOM_GIVE_ACCOUNT_LOGIN)))
		return rc;
	sk_store *s = NULL;
	if ((rc = sk_cli_open_store(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t id = 0;
	bool mailed = false;
	sk_err e = sk_notify_test(sk_cli_ctx(s), login, &id, &mailed, &err);
	if (!e)
		printf(sk_cli_msg(SK_M_CLI_OUT_NOTIFICATION), (long long)id, login,
		       mailed ? "; mail queued" : "; no mail (the account has no address)");
	return sk_cli_finish(s, e, &err);
}

static int notify_flush(int argc, char **argv)
{
	const char *db = NULL;
	sk_smtp_config smtp = {0};
	bool now = false;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("smtp", &smtp.url),
	    SK_OPT_STR("mail-from", &smtp.from),
	    SK_OPT_FLAG("now", &now),
	    SK_OPT_END,
	};
	int rc;
	if (!sk_cli_options(argc, argv, FLUSH_USAGE, opts, 0, &rc))
		return rc;
	if (!smtp.url || !smtp.from)
		return sk_cli_usage_error(FLUSH_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_SMTP_MAIL_REQUIRED));
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_smtp_config_check(&smtp, &err);
	if (e) {
		rc = sk_cli_usage_error(FLUSH_USAGE, "%s", sk_cli_err(&err, SK_ERR_INVALID));
		sk_buf_free(&err);
		return rc;
	}
	if ((e = sk_smtp_global_init(&err))) {
		rc = sk_cli_fail_buf(e, &err);
		sk_buf_free(&err);
		return rc;
	}
	sk_store *s = NULL;
	if ((rc = sk_cli_open_store(db, &s))) {
		sk_buf_free(&err);
		return rc;
	}
	sk_mailer_stats st = {0};
	e = sk_mailer_flush(s, &smtp, 0, now, &st, &err);
	if (!e) {
		printf(sk_cli_msg(SK_M_CLI_OUT_SENT), st.sent, st.sent == 1 ? "" : "s", st.failed);
		fflush(stdout);
		if (st.failed)
			e = sk_fail_msg(&err, SK_ERR_TEMPFAIL, NULL, NULL,
			                SK_M_CLI_MAIL_COULD_SENT_WAIT, st.failed,
			                st.failed == 1 ? "" : "s");
	}
	return sk_cli_finish(s, e, &err);
}

static int notify_configure(int argc, char **argv)
{
	const char *db = NULL, *base = NULL;
	const sk_cli_opt opts[] = {
	    SK_OPT_STR("db", &db),
	    SK_OPT_STR("base-url", &base),
	    SK_OPT_END,
	};
	int rc;
	if (!sk_cli_options(argc, argv, CONFIGURE_USAGE, opts, 0, &rc))
		return rc;
	if (!base)
		return sk_cli_usage_error(CONFIGURE_USAGE, "%s",
		                          sk_cli_msg(SK_M_CLI_BASE_URL_REQUIRED));
	sk_store *s = NULL;
	if ((rc = sk_cli_open_store(db, &s)))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	sk_err e = sk_notify_set_base_url(sk_cli_ctx(s), base, &err);
	if (!e)
		printf(sk_cli_msg(SK_M_CLI_OUT_BASE_URL), base);
	return sk_cli_finish(s, e, &err);
}

/* One verb a line, as the other nouns' tables. */
// clang-format off
/*
 * One housekeeping round, as `sekisho serve` runs every minute (maint.h):
 * ended exceptions marked expired, approvers of requests pending longer
 * than --after days (3 by default) reminded, once a day per request. For a
 * cron job where no server runs, and for tests.
 */
static int notify_remind(int argc, char **argv)
{
	const char *db = NULL;
	long long after = SK_MAINT_DEFAULT_REMIND_DAYS;
	const sk_cli_opt opts[] = {SK_OPT_STR("db", &db), SK_OPT_NUM("after", &after, 1, 365),
	                           SK_OPT_END};
	sk_store *s = NULL;
	int rc;
	if (!sk_cli_options_store(argc, argv, REMIND_USAGE, opts, &db, &s, &rc))
		return rc;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	int64_t expired = 0, reminded = 0;
	sk_err e = sk_maint_round(sk_cli_ctx(s), (int)after, &expired, &reminded, &err);
	if (!e)
		printf(sk_cli_msg(SK_M_CLI_OUT_REMINDED),
		       (long long)expired, (long long)reminded);
	return sk_cli_finish(s, e, &err);
}

static const struct sk_cli_verb verbs[] = {
    {"test", notify_test, TEST_USAGE, SK_CLI_PERSON, SK_M_VERB_NOTIFY_TEST},
    {"flush", notify_flush, FLUSH_USAGE, SK_CLI_INSTALL, SK_M_VERB_NOTIFY_FLUSH},
    {"configure", notify_configure, CONFIGURE_USAGE, SK_CLI_INSTALL, SK_M_VERB_NOTIFY_CONFIGURE},
    {"remind", notify_remind, REMIND_USAGE, SK_CLI_INSTALL, SK_M_VERB_NOTIFY_REMIND},
    {NULL, NULL, NULL, SK_CLI_PERSON, 0},
};
// clang-format on

int sk_cmd_notify(int argc, char **argv)
{
	return sk_cli_dispatch("notify", verbs, argc - 1, argv + 1);
}
