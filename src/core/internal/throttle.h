/*
 * throttle: failure counters for logins, kept per process in memory; the
 * two kinds counted per account (TH_ACCOUNT, TH_FACTOR) are kept in the
 * store instead (throttle_stored_*), so that several servers on one
 * database count them together (docs/operations.md, "PostgreSQL"). The
 * kinds counted per network source stay in memory: a keyed hash of an
 * address is not written into the database, its log, its replicas or its
 * backups; a load balancer that sends one source to one server keeps them
 * whole.
 *
 * Keys are keyed hashes (the server secret), never addresses or e-mail
 * addresses, and nothing here is stored or logged. Three kinds:
 *   TH_SOURCE   one network source: 20 failures in 10 minutes pause it until
 *               the window ends (slows one machine guessing many accounts);
 *   TH_PAIR     one account from one source: after 5 failures in a row each
 *               try waits 2^(n-5) s, at most 5 minutes (slows guessing one
 *               account, and does not touch the owner on another machine);
 *   TH_ACCOUNT  one account from anywhere: after 30 failures in a row each try
 *               waits 2^(n-30) s, at most 15 minutes (slows guessing spread over
 *               many machines); a browser holding the account's device cookie
 *               from an earlier good login is exempt, so an attacker cannot keep
 *               the owner out this way.
 *   TH_CODE     receipt codes tried from one source: 10 wrong or unknown codes
 *               in 10 minutes pause that source until the window ends.
 *   TH_REPORT   reports from one source through the public form: 20 in an
 *               hour (reports_per_hour) pause it until the hour ends (a flood, with files, would
 *               fill the disk; a real reporter sends one or two).
 *   TH_FACTOR   the second factor of one account (after a right password):
 *               after 5 wrong codes each try waits 2^(n-5) s, at most 15
 *               minutes, from any browser (whoever has the password is on a
 *               device of their own); a right code does not wipe the wrong
 *               ones out (throttle_stored_try, throttle_stored_undo), they are forgotten an
 *               hour after the last.
 * Counters exist for unknown e-mail addresses too, so throttling does not tell
 * which accounts exist. A restart forgets the counters in memory, erring
 * towards letting people in; those in the store are forgotten an hour after
 * their last failure (throttle_stored_purge).
 */
#ifndef VD_THROTTLE_H
#define VD_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../crypto/crypto.h"

enum throttle_kind { TH_SOURCE, TH_PAIR, TH_ACCOUNT, TH_CODE, TH_REPORT, TH_FACTOR, TH_KINDS };

struct throttle_key {
	unsigned char h[CRYPTO_MAC_LEN];
};

/* key = MAC(secret, kind's domain, a || 0 || b). */
void throttle_key(const unsigned char *secret, enum throttle_kind kind, const void *a, size_t an,
		  const void *b, size_t bn, struct throttle_key *out);
/* Seconds to wait before the next try; 0 when a try is allowed now. */
int64_t throttle_wait(enum throttle_kind kind, const struct throttle_key *k, int64_t now);
void throttle_fail(enum throttle_kind kind, const struct throttle_key *k, int64_t now);
void throttle_clear(enum throttle_kind kind, const struct throttle_key *k);
/* Sets how many a kind allows before it pauses (TH_REPORT follows the
 * configuration's reports_per_hour). */
void throttle_set_allowance(enum throttle_kind kind, int n);
/* Forgets everything in memory (tests). */
void throttle_reset_all(void);

/* The policy: whether a counter has run out, and the seconds a kind makes
 * the next try wait with count failures (0: it may go now). */
bool throttle_expired(enum throttle_kind kind, int64_t first_at, int64_t last_at, int64_t now);
int64_t throttle_left(enum throttle_kind kind, int64_t count, int64_t first_at, int64_t last_at, int64_t now);

/* The store's counters (throttle_stored.c), for TH_ACCOUNT and TH_FACTOR:
 * wait, fail and clear as above; try is a wait and, when it is 0, the try
 * counted as a failure already, in one step, so that tries sent at once
 * cannot each find the way clear; a try that then succeeds takes its own
 * failure back (undo) and no more: the failures before it stay counted.
 * Each is a write transaction of its own, so it must be called outside one
 * (a failure counted inside the caller's transaction would be rolled back
 * with it). When the store fails, a wait
 * or a try says 5 s (nothing passes uncounted); fail, clear and undo do
 * nothing. */
struct vd;
int64_t throttle_stored_wait(struct vd *vd, enum throttle_kind kind, const struct throttle_key *k, int64_t now);
void throttle_stored_fail(struct vd *vd, enum throttle_kind kind, const struct throttle_key *k, int64_t now);
void throttle_stored_clear(struct vd *vd, const struct throttle_key *k);
int64_t throttle_stored_try(struct vd *vd, enum throttle_kind kind, const struct throttle_key *k, int64_t now);
void throttle_stored_undo(struct vd *vd, const struct throttle_key *k);
/* Forgets the counters last counted over an hour ago (the longest window). */
void throttle_stored_purge(struct vd *vd, int64_t now);
/* Forgets all of them (tests). */
void throttle_stored_forget_all(struct vd *vd);

#endif
