/* internal/serving: who serves which part of the organisation, shared by
 * the committee's complaints and the integrity officer's register: a
 * member serves the units they are attached to and every unit below, and
 * a record about a unit reaches the staff of that unit and the units above. */
#ifndef VD_INTERNAL_SERVING_H
#define VD_INTERNAL_SERVING_H

#include <stdbool.h>

#include "../units.h"
#include "app.h"

/* The units whose records who may see: those they serve and all below
 * (all: every unit, for the caller's use). */
int served_units(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *all,
		 struct id_list *out);
bool unit_served(const struct id_list *units, int64_t unit);

/* The units who serves, in tree order (units.h's unit_tree), with depth. */
int served_unit_tree(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *out,
		     int **depth);

/* The active staff of role attached to unit or one above it who have a key
 * pair, with their public keys, into *out (in a), *n of them. */
struct unit_staff {
	int64_t user_id;
	unsigned char public_key[CRYPTO_PK_LEN];
};
int unit_staff_of(struct vd *vd, struct arena *a, enum vd_role role, int64_t unit, struct unit_staff **out,
		  size_t *n);

#endif
