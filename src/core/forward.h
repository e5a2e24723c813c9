/*
 * forward: a case goes to the complaints committee (DESIGN.md §2: moving
 * from one route to another is an explicit step that needs the reporter's
 * recorded consent, and only what the reporter agrees to share crosses).
 *
 * The complaint is a record of its own with a key of its own, sealed to
 * the members of the committee (role committee) attached to the case's unit
 * or a unit above it. It carries the reporter's name and contact details (a
 * complaint is never anonymous towards the committee), the parts of the
 * report the reporter agreed to share, and a summary written with them; the
 * counsellor's notes and conversations never cross. The committee's own
 * workspace is a later issue: it will pick the complaint up from here.
 */
#ifndef VD_FORWARD_H
#define VD_FORWARD_H

#include <stdbool.h>

#include "casework.h"

#define FORWARD_SUMMARY_MAX_CHARS 4000

enum forward_field { FF_CONSENT, FF_NAMED, FF_SUMMARY, FF_COMMITTEE };
struct forward_input {
	bool share_account, share_when, share_hopes;
	const char *summary;
};

/* VD_ERR_DENIED with FF_CONSENT without the reporter's consent in force, or
 * FF_NAMED for an anonymous report; VD_ERR_INVALID with FF_SUMMARY or
 * FF_COMMITTEE (nobody on a committee for the unit can receive it). */
int case_forward(struct vd *vd, const struct principal *who, int64_t id,
		 const struct forward_input *in, field_errors *errs, int64_t *complaint_id);

#endif
