/* internal/handover: moving a case to another counsellor with its key in
 * hand (../handover.h), for the escrow as for a counsellor's own hand-over. */
#ifndef VD_INTERNAL_HANDOVER_H
#define VD_INTERNAL_HANDOVER_H

#include "../handover.h"
#include "app.h"

/* Whether user_id could take cases at all: an active counsellor with a key
 * pair (whether they may take a given case, check_recipient in handover.c
 * decides: its unit, a conflict of interest). */
bool handover_may_take(struct vd *vd, struct arena *a, int64_t user_id);

/* In one transaction: the case key sealed to to_user in place of
 * from_user's copy (only if from_user still reads it), a line for the
 * reporter, the audit entry by actor. VD_ERR_INVALID if to_user may not
 * take it (not an active counsellor with a key pair, a conflict declared,
 * not serving its unit); VD_ERR_NOTFOUND if from_user no longer reads it. */
int handover_move(struct vd *vd, int64_t actor, int64_t id, const unsigned char key[CRYPTO_KEY_LEN], int64_t from_user,
		  int64_t to_user);

#endif
