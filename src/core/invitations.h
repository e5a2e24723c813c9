/*
 * invitations: a report entered on the reporter's behalf (by phone, in
 * person, by letter or by e-mail) reaches its reporter as an e-mail with a
 * link, instead of a code the counsellor must pass on.
 *
 * The mail carries no code and no content: only a link with a random
 * 256-bit token. Opening the link shows a button; pressing it shows the
 * receipt code once and spends the link (mail scanners that fetch links do
 * not spend it: only the POST does). The code is stored under a key derived
 * from the token, and only a keyed hash of the token is stored, so the
 * database alone never yields a code. A link works for INVITATION_DAYS.
 */
#ifndef VD_INVITATIONS_H
#define VD_INVITATIONS_H

#include "app.h"
#include "receipt.h"

#define INVITATION_DAYS 14
#define INVITATION_TOKEN_HEX 64

/* Spends the invitation of token (as in the link): VD_OK with the code in
 * code (the caller wipes it), VD_ERR_NOTFOUND for an unknown, used or
 * expired link (one answer for all three). */
int invitation_redeem(struct vd *vd, const char *token, char code[RECEIPT_TEXT_LEN + 1]);

#endif
