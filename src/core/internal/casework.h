/* internal/casework: what the other case modules use of case work. */
#ifndef VD_INTERNAL_CASEWORK_H
#define VD_INTERNAL_CASEWORK_H

#include "../casework.h"
#include "app.h"

/* The newest record for step in l: 1 given, 0 refused, CONSENT_ASKED, or
 * -1 when there is none. */
int consent_latest(const struct consent_recs *l, const char *step);

/* Is the newest answer (not a question) for step in l a "given"? */
bool consent_in_force(const struct consent_recs *l, const char *step);

/* The consent records of l as views, newest first. */
int case_consents_of(struct arena *a, const struct consent_recs *l, struct consent_view **out, size_t *n);

/* The appointments a reporter may see (shared ones), with the case key the
 * receipt code gave. */
int case_shared_appointments(struct vd *vd, struct arena *a, const struct case_rec *c,
			     const unsigned char case_key[CRYPTO_KEY_LEN], struct appointment_view **out, size_t *n);

#endif
