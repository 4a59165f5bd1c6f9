/*
 * writer: group commit. One thread owns its own store connection and runs
 * the operations other threads queue, many to a transaction: each operation
 * runs inside a SAVEPOINT (unless submitted with SK_WRITER_NO_SAVEPOINT, or
 * alone in its batch, when a failure rolls back the transaction instead), so
 * one that fails is rolled back alone while the others commit; the batch then commits once (one
 * fsync for many changes). A caller blocks until the commit of its batch has returned, so "returned
 * SK_OK" means durable, exactly as with a commit of its own.
 *
 * An operation runs on the writer's thread with the writer's store, inside
 * a transaction: it must not keep the store pointer, and its ctx and err
 * belong to the blocked caller. Operations of one batch see each other's
 * changes in queue order.
 */
#ifndef SK_WRITER_H
#define SK_WRITER_H

#include <stddef.h>

#include "../core/sk_buf.h"
#include "store.h"

typedef sk_err (*sk_writer_fn)(sk_store *s, void *ctx, sk_buf *err);

typedef struct sk_writer sk_writer;

/*
 * Opens url (which must exist) for the writer thread and starts it. At most
 * max_batch operations share a transaction (0: a default of 256).
 */
sk_err sk_writer_start(const char *url, size_t max_batch, sk_writer **out, sk_buf *err);

/*
 * Queues fn(store, ctx, err) and waits until it has run and its batch has
 * committed. The result is fn's, or the commit's failure (then fn's change
 * is not stored). Safe to call from any number of threads.
 */
sk_err sk_writer_run(sk_writer *w, sk_writer_fn fn, void *ctx, sk_buf *err);

/* Called on the writer's thread once a submitted operation's batch has committed. */
typedef void (*sk_writer_done_fn)(void *ctx, sk_err result);

/*
 * As sk_writer_run without waiting: queues fn(store, ctx, err) and returns
 * SK_OK at once; after its batch has committed (or failed), the writer
 * thread calls on_done(ctx, result) with what sk_writer_run would have
 * returned. ctx and err must stay valid until then; on_done must be quick
 * (it delays the next batch) and must not call sk_writer_stop. An error
 * (SK_ERR_TEMPFAIL when the writer is stopping, SK_ERR_NOMEM) means fn will
 * never run and on_done will never be called. Callers that hand many
 * operations over this way need no thread each, so batches grow with the
 * load instead of with the number of waiting threads.
 */
sk_err sk_writer_submit(sk_writer *w, sk_writer_fn fn, void *ctx, sk_buf *err,
                        sk_writer_done_fn on_done);

/*
 * Flags for sk_writer_submit_flags.
 *
 * SK_WRITER_NO_SAVEPOINT: the operation runs without a savepoint of its own
 * (saving its SAVEPOINT and RELEASE statements). If it fails, nothing
 * undoes it alone: the whole batch is rolled back and every operation in it
 * fails. For operations that fail only when the database does (an audit
 * append whose input was checked before it was submitted).
 */
#define SK_WRITER_NO_SAVEPOINT 1u

/* As sk_writer_submit, with flags (SK_WRITER_*). */
sk_err sk_writer_submit_flags(sk_writer *w, sk_writer_fn fn, void *ctx, sk_buf *err,
                              sk_writer_done_fn on_done, unsigned flags);

/* Finishes the queued operations, stops the thread and closes its store. */
void sk_writer_stop(sk_writer *w);

/*
 * Counters since start: batches committed and operations run. A batch is
 * counted before any of its operations is answered.
 */
void sk_writer_stats(sk_writer *w, size_t *batches, size_t *ops);

#endif
