/*
 * escrow: a counsellor's cases survive their counsellor (issue 12).
 *
 * A counsellor who leaves hands their cases over themselves (handover.h,
 * case_handover_all). One who cannot any more (left without doing so, or
 * lost both password and recovery key) would take their cases with them:
 * only their key opens them. So every case key is also sealed to the
 * installation's escrow key, whose secret half exists nowhere whole: it is
 * split among three named trustees (staff with a key pair of their own, never
 * an administrator) so that any two of them together can rebuild it, and
 * one alone learns nothing of it. Rebuilding it takes a request that names
 * whose cases go to whom, and the approval of two trustees, each with their
 * own password; the cases then go to the new counsellor as in a hand-over,
 * and the rebuilt key is wiped. docs/security.md, "Continuity", says why
 * this and not another scheme.
 */
#ifndef VD_ESCROW_H
#define VD_ESCROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"

struct arena;

#define ESCROW_TRUSTEES 3

/* Sets up the escrow with the three trustees (by e-mail address): a new
 * key pair, its secret split and each part sealed to a trustee. The system
 * only (the CLI). VD_ERR_INVALID (*bad: which address, 0-2) for someone who
 * is not an active staff member with a key pair, an administrator, or named
 * twice; VD_ERR_EXISTS if there is one already and replace is false. A new
 * escrow makes the old one's copies useless: cases are sealed to the new
 * one as their counsellors next log in. */
int escrow_init(struct vd *vd, const struct principal *who, const char *const emails[ESCROW_TRUSTEES], bool replace,
		int *bad);

/* Seals to the escrow every case who reads that has no copy yet (the
 * cases from before the escrow). Called at login; a no-op without an
 * escrow or a key. *n: how many were sealed. */
int escrow_cover(struct vd *vd, const struct principal *who, int64_t *n);

struct escrow_trustee_view {
	int64_t user_id;
	const char *name;
};

struct escrow_request_view {
	int64_t id;
	int64_t from_user, to_user, started_by;
	const char *from_name, *to_name, *started_name;
	int64_t started_at;
	const char *state;          /* "open", "done", "cancelled" */
	int64_t approvals;          /* 0 or 1 while open */
	bool approved_by_me;
	int64_t moved, not_moved;   /* done: cases handed over, and left (the new one does not serve their unit) */
	int64_t done_at;
};

struct escrow_view {
	bool exists;
	bool trustee;               /* who is one of the trustees */
	struct escrow_trustee_view trustees[ESCROW_TRUSTEES];
	struct escrow_request_view *requests; /* newest first */
	size_t n;
};

/* The escrow as a trustee sees it. VD_ERR_NOTFOUND for anyone else. */
int escrow_get(struct vd *vd, const struct principal *who, struct arena *a, struct escrow_view *out);

/* A trustee asks for from_user's cases to go to to_user (an active
 * counsellor with a key pair, not from_user). VD_ERR_INVALID otherwise,
 * VD_ERR_EXISTS if an open request for from_user exists already. */
int escrow_request(struct vd *vd, const struct principal *who, int64_t from_user, int64_t to_user, int64_t *id);

/* A trustee approves an open request with their own key. The first
 * approval leaves their parts for the others; the second rebuilds the key
 * and carries the request out (*done true, *moved and *not_moved).
 * VD_ERR_DENIED for a second approval by the same trustee, VD_ERR_NOKEY
 * when who's session holds no key. */
int escrow_approve(struct vd *vd, const struct principal *who, int64_t request_id, bool *done, int64_t *moved,
		   int64_t *not_moved);

/* Whether who is named a trustee (false without an escrow): cheap, for
 * showing the way to /herstel; the page itself checks everything. */
bool escrow_is_trustee(struct vd *vd, const struct principal *who);

/* The counsellors a trustee can name in a request: every counsellor
 * account, whether it can still log in and has a key pair (only those can
 * receive cases). VD_ERR_NOTFOUND for anyone but a trustee. */
struct escrow_person {
	int64_t user_id;
	const char *name;
	bool active, has_key;
};
int escrow_counsellors(struct vd *vd, const struct principal *who, struct arena *a, struct escrow_person **out,
		       size_t *n);

/* The trustee who started an open request withdraws it. */
int escrow_cancel(struct vd *vd, const struct principal *who, int64_t request_id);

#endif
