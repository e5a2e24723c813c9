/*
 * profiles: counsellors' public profiles and the directory per unit.
 *
 * A counsellor attached to a unit serves that unit and every unit below it
 * (an external counsellor attached to the national unit serves everyone), so
 * a reporter of any unit can choose anyone serving it, internal or external.
 */
#ifndef VD_PROFILES_H
#define VD_PROFILES_H

#include "app.h"

#define PROFILE_LINE_MAX_CHARS 120
#define PROFILE_INTRO_MAX_CHARS 2000

enum profile_field { PF_NONE, PF_REGION, PF_PHONE, PF_EMAIL, PF_LANGUAGES, PF_INTRO };

/* Active counsellors serving unit_id (0: all), by name. Anyone may call. */
int directory_list(struct vd *vd, struct arena *a, int64_t unit_id, struct counsellor_list *out);
/* One active counsellor; VD_ERR_NOTFOUND for anyone else. */
int directory_get(struct vd *vd, struct arena *a, int64_t user_id, struct counsellor *out);

/* The administrator, or the counsellor themself, reads the profile for editing
 * (empty fields when none was saved yet). */
int profile_read(struct vd *vd, const struct actor *who, struct arena *a, int64_t user_id,
		 struct profile *out);

/* The administrator, or the counsellor themself, edits the profile. */
int profile_save(struct vd *vd, const struct actor *who, const struct profile *p,
		 enum profile_field *bad);

#endif
