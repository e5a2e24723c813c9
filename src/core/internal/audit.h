/* internal/audit: writing the audit log (see ../audit.h). */
#ifndef VD_INTERNAL_AUDIT_H
#define VD_INTERNAL_AUDIT_H

#include "../audit.h"
#include "app.h"

_Static_assert(AUDIT_HASH_LEN == STORE_AUDIT_HASH_LEN, "the store keeps the chain's hashes");

/*
 * Appends one entry (the store's append-next: no other entry comes between
 * reading the newest and writing this one). Call it INSIDE the caller's
 * store transaction, next to the write it records, so that both commit or
 * neither does. actor_id: the staff user, 0 for a reporter or the system.
 * VD_ERR_INVALID for an action or object kind not in the closed lists.
 */
int audit_record(struct vd *vd, int64_t actor_id, const char *action, const char *object_kind,
		 int64_t object_id);

#endif
