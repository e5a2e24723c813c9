/* internal/invitations: making an invitation (see ../invitations.h). */
#ifndef VD_INTERNAL_INVITATIONS_H
#define VD_INTERNAL_INVITATIONS_H

#include "../invitations.h"
#include "app.h"

/* Inside the caller's transaction: stores an invitation to fetch code for
 * case_id and queues the mail to email. */
int invitation_add(struct vd *vd, int64_t case_id, const char *code, const char *email);

#endif
