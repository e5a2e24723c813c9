/*
 * complaint_reminders: the committee's content-free e-mails about its
 * clocks (issue 8): one when a term is three working days from its end,
 * one when it has passed. Run from the serve loop (app_housekeep) when
 * mail is configured; without mail nothing is marked as sent, so the
 * reminders still come once mail is set up.
 *
 * Each reminder is a compare-and-set on the term (complaint_term_remind):
 * whichever server or pass gets there first sends it, once.
 */
#include "internal/complaints.h"
#include "internal/notify.h"

#include "../util/date.h"

#include <string.h>

/* Counting working days ahead, three of them lie within this many calendar
 * days even over Christmas and New Year. */
#define LOOKAHEAD_DAYS 14
#define BATCH 200

int complaints_remind(struct vd *vd)
{
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	int64_t today = date_of(clock_now());
	struct complaint_term_recs due;
	int rc = s->ops->complaint_terms_due(s, &a, today + LOOKAHEAD_DAYS, REMIND_SOON | REMIND_LATE, NULL, BATCH, &due);
	for (size_t i = 0; rc == VD_OK && i < due.n; i++) {
		const struct complaint_term_rec *t = &due.items[i];
		int64_t bit = 0;
		/* minutes need nothing of the committee: they count as approved
		 * when their term ends (complaints_minutes_lapse) */
		if (strcmp(t->kind, complaint_term_names[CT_MINUTES]) == 0) {
			if (!(t->reminded & REMIND_SOON))
				s->ops->complaint_term_remind(s, t->id, REMIND_SOON);
			continue;
		}
		/* a term with a due day is not paused: the days ahead all count */
		if (today > t->due_day)
			bit = REMIND_LATE;
		else if (!(t->reminded & REMIND_SOON) && working_days_between(&vd->holidays, today, t->due_day) <= REMIND_WORKING_DAYS)
			bit = REMIND_SOON;
		if (!bit)
			continue;
		/* late makes "soon" pointless: it is marked as well */
		if (bit == REMIND_LATE && !(t->reminded & REMIND_SOON))
			s->ops->complaint_term_remind(s, t->id, REMIND_SOON);
		int r = s->ops->complaint_term_remind(s, t->id, bit);
		if (r == VD_OK)
			rc = notify_committee(vd, t->complaint_id);
		else if (r != VD_ERR_NOTFOUND) /* someone else sent it */
			rc = r;
	}
	arena_release(&a);
	return rc;
}
