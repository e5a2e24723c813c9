/*
 * handover: a case changes hands (issue 4). A counsellor who leaves, who has
 * a conflict of interest, or whom the reporter no longer wants, hands the
 * case to another counsellor in one audited step: the case key is sealed to
 * the new counsellor and the old one's sealed key is deleted, so from then on
 * only the new one can open it; the reporter finds a notice in their mailbox.
 *
 * What this cannot undo: whatever the old counsellor read or noted down
 * before. The case key itself stays the same (re-encrypting a case's whole
 * history would gain nothing against someone who has already read it).
 */
#ifndef VD_HANDOVER_H
#define VD_HANDOVER_H

#include "app.h"

extern const char *const handover_reasons[]; /* leaving, conflict_of_interest, reporter_wish; NULL-terminated */

/* VD_ERR_NOTFOUND if who is not a reader; VD_ERR_INVALID for a bad reason
 * or a to_user who is not an active counsellor with a key pair (or is who). */
int case_handover(struct vd *vd, const struct principal *who, int64_t id,
		  int64_t to_user, const char *reason);

/* A counsellor who leaves hands all their cases to to_user at once, each
 * as case_handover does. Cases to_user may not take (another unit, a
 * conflict of interest) stay and are counted in *not_moved. VD_ERR_INVALID
 * for a bad reason or to_user who is who. */
int case_handover_all(struct vd *vd, const struct principal *who, int64_t to_user, const char *reason,
		      int64_t *moved, int64_t *not_moved);

/* who declares a conflict of interest on a case they read (once; again is a no-op). */
int case_declare_conflict(struct vd *vd, const struct principal *who, int64_t id);

#endif
