/*
 * crash_writer: the writer the crash test kills. It adds org units one after
 * another through sk_org_add (so each with its audit entry, in one
 * transaction) and prints "committed <code>" after each commit returned,
 * flushing at once: every line printed is a promise that the unit survives
 * a SIGKILL at any later moment.
 *
 * usage: crash_writer DB_URL PARENT PREFIX
 */
#include <sodium.h>
#include <stdio.h>
#include <unistd.h>

#include "domain/actor.h"
#include "domain/ctx.h"
#include "domain/org.h"
#include "store/store.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: crash_writer DB_URL PARENT PREFIX\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 70;
	sk_store *s = NULL;
	sk_buf err = SK_BUF_INIT(SK_BUF_MSG_MAX);
	if (sk_store_open(argv[1], 0, &s, &err) != SK_OK) {
		fprintf(stderr, "crash_writer: %s\n", err.data);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Killed, never returning: the context is not released. */
	sk_ctx c;
	sk_ctx_init(&c, s, NULL, sk_actor_cli());
	for (long i = 0;; i++) {
		char code[SK_ORG_CODE_MAX + 1];
		snprintf(code, sizeof(code), "%s-%ld", argv[3], i);
		sk_err e;
		/* A busy database (the other writer) is retried; anything else is fatal. */
		while ((e = sk_org_add(&c, code, code, "department", argv[2], NULL, &err)) ==
		       SK_ERR_TEMPFAIL)
			usleep(1000);
		if (e) {
			fprintf(stderr, "crash_writer: %s: %s\n", code, err.data);
			return 1;
		}
		if (printf("committed %s\n", code) < 0 || fflush(stdout) != 0)
			return 1;
	}
}
