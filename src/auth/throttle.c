/*
 * throttle: the per-address login throttle and the per-address, per-minute
 * summary of failed logins. See throttle.h for the contract.
 */
#include "throttle.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../audit/audit.h"
#include "../core/sk_json.h"
#include "phantom.h"

/* How many slots an address may probe from its hash before one gives way. */
#define PROBE 16
/* The most summaries one flush writes (the rest wait for the next one). */
#define FLUSH_MAX 256
/* The address the summaries of evicted slots are counted under. */
#define OVERFLOW_ADDR "other"

struct summary {
	char addr[64];
	int64_t minute, from, to, count; /* minute 0: nothing pending */
	int64_t reasons[SK_THROTTLE__COUNT];
};

struct slot {
	int64_t last_seen; /* 0: empty */
	int64_t win_start, win_fails;
	struct summary sum;
	/*
	 * The minute before sum's, not yet written: a login that starts just
	 * before a minute ends flushes before the minute is due and notes after
	 * it, so one earlier minute per address must wait its turn here.
	 */
	struct summary prev;
};

static const char *const reason_names[SK_THROTTLE__COUNT] = {"unknown_login", "locked", "disabled",
                                                             "expired", "throttled"};

static struct {
	pthread_mutex_t mu;
	int failures, window;
	struct slot slots[SK_THROTTLE_SLOTS];
	struct summary overflow;
} tb = {.mu = PTHREAD_MUTEX_INITIALIZER,
        .failures = SK_THROTTLE_DEFAULT_FAILURES,
        .window = SK_THROTTLE_DEFAULT_WINDOW};

void sk_throttle_configure(int failures, int window)
{
	pthread_mutex_lock(&tb.mu);
	tb.failures = failures > 0 ? failures : 0;
	tb.window = window > 0 ? window : SK_THROTTLE_DEFAULT_WINDOW;
	memset(tb.slots, 0, sizeof(tb.slots));
	memset(&tb.overflow, 0, sizeof(tb.overflow));
	pthread_mutex_unlock(&tb.mu);
	sk_phantom_clear();
}

static uint32_t fnv(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void merge(struct summary *into, const struct summary *from)
{
	if (!into->minute || from->from < into->from)
		into->from = from->from;
	if (from->to > into->to)
		into->to = from->to;
	if (!into->minute)
		into->minute = from->minute;
	into->count += from->count;
	for (int i = 0; i < SK_THROTTLE__COUNT; i++)
		into->reasons[i] += from->reasons[i];
}

/* The slot of address (under the lock), made when missing: NULL only for an overlong address. */
static struct slot *find(const char *address, int64_t now)
{
	if (strlen(address) >= sizeof(tb.slots[0].sum.addr))
		return NULL;
	uint32_t h = fnv(address);
	struct slot *victim = NULL;
	for (int i = 0; i < PROBE; i++) {
		struct slot *sl = &tb.slots[(h + (uint32_t)i) % SK_THROTTLE_SLOTS];
		if (sl->last_seen && strcmp(sl->sum.addr, address) == 0) {
			sl->last_seen = now;
			return sl;
		}
		if (!victim || !sl->last_seen ||
		    (victim->last_seen && sl->last_seen < victim->last_seen))
			victim = sl;
	}
	/* The slot seen longest ago gives way; what it had not yet written is kept under "other".
	 */
	if (victim->last_seen && (victim->sum.minute || victim->prev.minute)) {
		snprintf(tb.overflow.addr, sizeof(tb.overflow.addr), "%s", OVERFLOW_ADDR);
		if (victim->prev.minute)
			merge(&tb.overflow, &victim->prev);
		if (victim->sum.minute)
			merge(&tb.overflow, &victim->sum);
	}
	memset(victim, 0, sizeof(*victim));
	snprintf(victim->sum.addr, sizeof(victim->sum.addr), "%s", address);
	victim->last_seen = now > 0 ? now : 1;
	return victim;
}

bool sk_throttle_allows(const char *address, int64_t now, int64_t *retry_after)
{
	bool ok = true;
	*retry_after = 0;
	pthread_mutex_lock(&tb.mu);
	if (tb.failures > 0) {
		uint32_t h = fnv(address);
		for (int i = 0; i < PROBE; i++) {
			struct slot *sl = &tb.slots[(h + (uint32_t)i) % SK_THROTTLE_SLOTS];
			if (!sl->last_seen || strcmp(sl->sum.addr, address) != 0)
				continue;
			int64_t end = sl->win_start + tb.window;
			if (sl->win_fails >= tb.failures && now < end) {
				ok = false;
				*retry_after = end - now;
			}
			break;
		}
	}
	pthread_mutex_unlock(&tb.mu);
	return ok;
}

void sk_throttle_fail(const char *address, int64_t now)
{
	pthread_mutex_lock(&tb.mu);
	struct slot *sl = tb.failures > 0 ? find(address, now) : NULL;
	if (sl) {
		if (!sl->win_start || now >= sl->win_start + tb.window) {
			sl->win_start = now;
			sl->win_fails = 0;
		}
		sl->win_fails++;
	}
	pthread_mutex_unlock(&tb.mu);
}

void sk_throttle_note(const char *address, sk_throttle_reason why, int64_t now)
{
	int64_t minute = now - now % 60;
	struct summary one = {.minute = minute, .from = now, .to = now, .count = 1};
	one.reasons[why] = 1;
	snprintf(one.addr, sizeof(one.addr), "%s", address);
	pthread_mutex_lock(&tb.mu);
	struct slot *sl = find(address, now);
	struct summary *sum = sl ? &sl->sum : &tb.overflow;
	if (!sl)
		snprintf(tb.overflow.addr, sizeof(tb.overflow.addr), "%s", OVERFLOW_ADDR);
	if (sum->minute && sum->minute != minute && sl) {
		/* An earlier minute not yet written waits in prev; a third goes with the overflow.
		 */
		if (!sl->prev.minute) {
			sl->prev = *sum;
		} else {
			snprintf(tb.overflow.addr, sizeof(tb.overflow.addr), "%s", OVERFLOW_ADDR);
			merge(&tb.overflow, sum);
		}
		memset(sum->reasons, 0, sizeof(sum->reasons));
		sum->minute = sum->count = sum->from = sum->to = 0;
	}
	merge(sum, &one);
	pthread_mutex_unlock(&tb.mu);
}

/* Takes the finished summaries out of the table (under the lock). */
static size_t take_due(struct summary *out, int64_t now, bool all)
{
	size_t n = 0;
	int64_t minute = now - now % 60;
	for (size_t i = 0; i < SK_THROTTLE_SLOTS && n + 1 < FLUSH_MAX; i++) {
		struct summary *both[] = {&tb.slots[i].prev, &tb.slots[i].sum};
		for (int k = 0; k < 2 && tb.slots[i].last_seen; k++) {
			struct summary *sum = both[k];
			if (sum->minute && (all || sum->minute < minute)) {
				out[n++] = *sum;
				memset(sum->reasons, 0, sizeof(sum->reasons));
				sum->minute = sum->count = sum->from = sum->to = 0;
			}
		}
	}
	if (n < FLUSH_MAX && tb.overflow.minute && (all || tb.overflow.minute < minute)) {
		out[n++] = tb.overflow;
		memset(&tb.overflow, 0, sizeof(tb.overflow));
	}
	return n;
}

static sk_err write_one(sk_store *s, const struct summary *sum, sk_buf *err)
{
	json_t *reasons = json_object();
	for (int i = 0; reasons && i < SK_THROTTLE__COUNT; i++)
		if (sum->reasons[i])
			json_object_set_new(reasons, reason_names[i],
			                    json_integer(sum->reasons[i]));
	json_t *after = reasons
	                    ? json_pack("{s:s, s:I, s:o, s:o, s:o}", "address", sum->addr, "count",
	                                (json_int_t)sum->count, "from", sk_json_time(sum->from),
	                                "to", sk_json_time(sum->to), "reasons", reasons)
	                    : NULL;
	char object[80];
	(void)snprintf(object, sizeof(object), "address:%s", sum->addr);
	sk_audit_event ev = {.actor = "anonymous",
	                     .address = sum->addr,
	                     .action = "auth.failures",
	                     .object = object,
	                     .before = NULL,
	                     .after = after};
	sk_err e = after ? sk_audit_append(s, &ev, NULL, err)
	                 : sk_fail(err, SK_ERR_NOMEM, "out of memory");
	json_decref(after);
	return e;
}

sk_err sk_throttle_flush(sk_store *s, int64_t now, bool all, sk_buf *err)
{
	struct summary *due = malloc(FLUSH_MAX * sizeof(*due));
	if (!due)
		return sk_fail(err, SK_ERR_NOMEM, "out of memory");
	pthread_mutex_lock(&tb.mu);
	size_t n = take_due(due, now, all);
	pthread_mutex_unlock(&tb.mu);
	sk_err e = SK_OK;
	if (n) {
		e = sk_store_begin(s, err);
		for (size_t i = 0; !e && i < n; i++)
			e = write_one(s, &due[i], err);
		e = sk_store_end(s, e, err);
	}
	if (e) {
		/* Not written: counted again, under "other", for the next flush. */
		pthread_mutex_lock(&tb.mu);
		snprintf(tb.overflow.addr, sizeof(tb.overflow.addr), "%s", OVERFLOW_ADDR);
		for (size_t i = 0; i < n; i++)
			merge(&tb.overflow, &due[i]);
		pthread_mutex_unlock(&tb.mu);
	}
	free(due);
	return e;
}
