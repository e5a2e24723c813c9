/* internal/cases: a case's key and its decrypted report, for the core's
 * modules that work on a case (casework, forward, handover, exceptions). */
#ifndef VD_INTERNAL_CASES_H
#define VD_INTERNAL_CASES_H

#include "../cases.h"
#include "app.h"

/* The case key for one of the case's readers (a counsellor it was addressed
 * or handed to), opened with the secret key in who's session. VD_ERR_NOKEY
 * when the session holds none that opens; VD_ERR_NOTFOUND for anyone who is
 * not a reader, whatever their role; VD_ERR_AUTH when their key does not
 * open it. The caller wipes key. */
int case_reader_key(struct vd *vd, const struct principal *who, int64_t id, unsigned char key[CRYPTO_KEY_LEN]);

/* Decrypts what the reporter wrote in case c into out (name .. hopes) and
 * copies the *stat* fields. */
int case_decrypt_report(struct arena *a, const struct case_rec *c, const unsigned char case_key[CRYPTO_KEY_LEN],
			struct report_input *out);

#endif
