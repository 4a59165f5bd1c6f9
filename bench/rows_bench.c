/*
 * rows_bench: the floor under a filing. Writes with bare SQLite, on a copy of
 * the benchmark's own database, the rows one filed request leaves (a copy of
 * an existing request's row, its step, two notifications, an audit entry of
 * the same size and the audit head's update), as many filings per
 * transaction as sekisho's group commit takes under 64 connections, with
 * prepared statements, no savepoints, no JSON, no HTTP: what one SQLite
 * writer can store per second, WAL, synchronous=FULL, foreign keys on.
 * Usage: rows_bench DB SECONDS PER_TXN [bare]   (prints "filings/s"). With "bare",
 * only the request's row and its audit entry: no step, no notifications.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void check(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "rows_bench: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	check(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
	return st;
}

static void run(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	check(db, sqlite3_step(st), what);
	sqlite3_reset(st);
}

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: rows_bench DB SECONDS PER_TXN [bare]\n");
		return 2;
	}
	double secs = atof(argv[2]);
	int per = atoi(argv[3]);
	int bare = argc == 5 && strcmp(argv[4], "bare") == 0;
	sqlite3 *db;
	check(NULL, sqlite3_open(argv[1], &db), "open");
	check(db,
	      sqlite3_exec(db,
	                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA "
	                   "foreign_keys=ON; PRAGMA temp_store=MEMORY;",
	                   NULL, NULL, NULL),
	      "pragmas");
	/* A filing's rows, copied from the newest request and audit entry on record. */
	sqlite3_stmt *req = prep(
	    db,
	    "INSERT INTO requests(kind, status, requester_id, requester, unit_id, asset_id, "
	    "action, reason, details, decision, safeguards_confirmed, approver_role, route, "
	    "approver_unit, emergency, period_from, period_until, created_at, updated_at) "
	    "SELECT kind, 'pending', requester_id, requester, unit_id, asset_id, action, reason, "
	    "details, decision, safeguards_confirmed, approver_role, route, approver_unit, "
	    "emergency, period_from, period_until, ?1, ?1 FROM requests WHERE id = "
	    "(SELECT MAX(id) FROM requests WHERE status = 'pending')");
	sqlite3_stmt *step = prep(db, "INSERT INTO request_steps(request_id, at, actor, action, "
	                              "comment, as_deputy) VALUES (last_insert_rowid(), ?1, "
	                              "'nakajima.saori', 'file', NULL, 0)");
	sqlite3_stmt *ntf = prep(db, "INSERT INTO notifications(user_id, kind, ref_type, ref_id, "
	                             "created_at, mail_to) SELECT user_id, kind, ref_type, ?2, ?1, "
	                             "mail_to FROM notifications WHERE id = (SELECT MAX(id) FROM "
	                             "notifications WHERE kind = 'request_to_decide')");
	sqlite3_stmt *aud = prep(
	    db, "INSERT INTO audit_log(seq, at, actor, address, action, object, before_json, "
	        "after_json, prev_hash, leaf_hash) SELECT seq + 1, at, actor, address, action, "
	        "object, before_json, after_json, leaf_hash, prev_hash FROM audit_log WHERE seq = "
	        "(SELECT MAX(seq) FROM audit_log)");
	sqlite3_stmt *head = prep(db, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1");
	sqlite3_stmt *begin = prep(db, "BEGIN IMMEDIATE"), *commit = prep(db, "COMMIT");
	long filings = 0;
	double t0 = now();
	while (now() - t0 < secs) {
		run(db, begin, "begin");
		for (int i = 0; i < per; i++) {
			sqlite3_int64 t = (sqlite3_int64)time(NULL);
			sqlite3_bind_int64(req, 1, t);
			run(db, req, "request");
			sqlite3_int64 id = sqlite3_last_insert_rowid(db);
			sqlite3_bind_int64(step, 1, t);
			if (!bare)
				run(db, step, "step");
			for (int k = 0; k < (bare ? 0 : 2); k++) {
				sqlite3_bind_int64(ntf, 1, t);
				sqlite3_bind_int64(ntf, 2, id);
				run(db, ntf, "notification");
			}
			run(db, aud, "audit entry");
			run(db, head, "audit head");
		}
		run(db, commit, "commit");
		filings += per;
	}
	double dt = now() - t0;
	printf("%.0f\n", (double)filings / dt);
	sqlite3_finalize(req);
	sqlite3_finalize(step);
	sqlite3_finalize(ntf);
	sqlite3_finalize(aud);
	sqlite3_finalize(head);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	sqlite3_close(db);
	return 0;
}
