/* internal/complaints: what complaints.c and complaint_steps.c share, and
 * how forward.c (and later the public form) files a new complaint. */
#ifndef VD_INTERNAL_COMPLAINTS_H
#define VD_INTERNAL_COMPLAINTS_H

#include "../complaints.h"
#include "app.h"

/* The complaint and its key for a committee member who may open it (see
 * complaints.h): VD_ERR_NOTFOUND for anyone else, VD_ERR_NOKEY without a
 * key in the session, VD_ERR_AUTH when it does not open. The caller wipes
 * key. */
int complaint_member_key(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
			 struct complaint_rec *rec, unsigned char key[CRYPTO_KEY_LEN]);

/* The units whose complaints who may see: those they serve and all below
 * (all: every unit, for the caller's use). */
int complaint_served_units(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *all,
			   struct id_list *out);
bool complaint_serves(const struct id_list *units, int64_t unit);

/* The committee members who receive a complaint about unit: active, with a
 * key pair, attached to the unit or one above it; key sealed to each into
 * *out (in a), *n of them (0: nobody can receive it). */
int complaint_committee_keys(struct vd *vd, struct arena *a, int64_t unit, const unsigned char key[CRYPTO_KEY_LEN],
			     struct case_key_rec **out, size_t *n);

/* Whether who may see and change complaint c: a committee member who
 * serves its unit or one above and holds a key to it (into *key_row unless
 * NULL). VD_ERR_NOTFOUND if not. */
int complaint_member_check(struct vd *vd, const struct principal *who, struct arena *a,
			   const struct complaint_rec *c, struct case_key_rec *key_row);

/* The additional data that binds a complaint's texts to it: its content to
 * the complaint, a step's reasons to the step (complaint, moment, from, to). */
void complaint_content_ad(const struct complaint_rec *c, char ad[64]);
void complaint_reason_ad(const struct complaint_move_rec *m, char ad[96]);

/* Files complaint c (content, channel, unit, case, by, and the day of the
 * last incident if known: the caller's) with its readers' keys: received
 * on c->received_day (0: today), the terms of receipt started from then.
 * Inside the caller's transaction or on its own. */
int complaint_file_new(struct vd *vd, struct arena *a, struct complaint_rec *c, const struct case_key_rec *keys,
		       size_t nkeys, int64_t *id);

/* Recounts the due days of c's open terms (after a pause, an extension, a
 * step) and sets c->next_due_day; the caller writes c. */
int complaint_recount(struct vd *vd, struct arena *a, struct complaint_rec *c);

/* The terms of c as terms.h counts them, into out[0..n) (at most 64). */
int complaint_terms_of(struct vd *vd, struct arena *a, const struct complaint_rec *c,
		       struct complaint_term_recs *recs, struct term **out);

/* At serve start: starts the terms of open complaints that have none
 * (forwarded before the procedure existed) as received on the day they
 * came in, and recounts every open complaint's clocks when the holidays
 * differ from those they were counted with (a decree day added). Audited
 * as the system's. */
int complaints_refresh(struct vd *vd);

/* The reminders of a term (complaint_term_rec.reminded): three working
 * days before its end, and after it. */
#define REMIND_SOON 1
#define REMIND_LATE 2
#define REMIND_WORKING_DAYS 3

/* Queues the reminders that are due today (see complaint_reminders.c). */
int complaints_remind(struct vd *vd);

#endif
