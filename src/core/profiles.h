/*
 * profiles: counsellors' public profiles and the directory per unit.
 *
 * A counsellor attached to a unit serves that unit and every unit below it
 * (an external counsellor attached to the national unit serves everyone), so
 * a reporter of any unit can choose anyone serving it, internal or external.
 */
#ifndef VD_PROFILES_H
#define VD_PROFILES_H

#include "../util/arena.h"
#include "../util/ids.h"
#include "app.h"

#define PROFILE_LINE_MAX_CHARS 120
#define PROFILE_INTRO_MAX_CHARS 2000

/* A counsellor's public profile (DESIGN.md §1). */
struct profile {
	int64_t user_id;
	int external; /* 0 internal, 1 external */
	const char *region, *phone, *public_email, *languages, *intro;
};

/* An active counsellor as the directory shows them. */
struct counsellor {
	int64_t user_id;
	const char *name;
	struct profile profile;
	struct id_list units; /* the units they are attached to */
};

struct counsellor_list {
	struct counsellor *items;
	size_t n;
};

enum profile_field { PF_NONE, PF_REGION, PF_PHONE, PF_EMAIL, PF_LANGUAGES, PF_INTRO };

/* Active counsellors serving unit_id (0: all), by name. Anyone may call. */
int directory_list(struct vd *vd, struct arena *a, int64_t unit_id, struct counsellor_list *out);
/* One active counsellor; VD_ERR_NOTFOUND for anyone else. */
int directory_get(struct vd *vd, struct arena *a, int64_t user_id, struct counsellor *out);

/* The administrator, or the counsellor themself, reads the profile for editing
 * (empty fields when none was saved yet). */
int profile_read(struct vd *vd, const struct principal *who, struct arena *a, int64_t user_id,
		 struct profile *out);

/* The administrator, or the counsellor themself, edits the profile. */
int profile_save(struct vd *vd, const struct principal *who, const struct profile *p,
		 enum profile_field *bad);

#endif
