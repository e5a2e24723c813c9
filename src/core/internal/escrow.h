/* internal/escrow: what other core modules ask of the escrow (../escrow.h). */
#ifndef VD_INTERNAL_ESCROW_H
#define VD_INTERNAL_ESCROW_H

#include "../escrow.h"
#include "app.h"

/* Inside the caller's transaction: a new case's key sealed to the escrow,
 * if there is one (VD_OK without). */
int escrow_seal_case(struct vd *vd, int64_t case_id, const unsigned char case_key[CRYPTO_KEY_LEN]);

#endif
