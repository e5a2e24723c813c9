/*
 * units: the organisation's parts (national, provinces, the parliamentary
 * group, the youth organisation), a tree. Anyone may list them (the public
 * directory is per unit); only the administrator changes them.
 */
#ifndef VD_UNITS_H
#define VD_UNITS_H

#include <stdbool.h>

#include "../util/arena.h"
#include "app.h"

#define UNIT_NAME_MAX_CHARS 100
/* A party is national > province > municipality at most; 16 is plenty. */
#define UNIT_MAX_DEPTH 16

struct unit {
	int64_t id;
	int64_t parent_id; /* 0 for the root */
	const char *name;
	const char *kind;  /* one of unit_kinds */
};

struct unit_list {
	struct unit *items;
	size_t n;
};

/* Unit kinds, stored by name. */
#define UNIT_KIND_COUNT 5
extern const char *const unit_kinds[UNIT_KIND_COUNT];
bool unit_kind_valid(const char *kind);

int unit_add(struct vd *vd, const struct principal *who, const char *name, const char *kind,
	     int64_t parent_id, int64_t *id);
/* Refuses a parent that would make a cycle. */
int unit_edit(struct vd *vd, const struct principal *who, int64_t id, const char *name,
	      const char *kind, int64_t parent_id);
/* VD_ERR_INUSE while the unit has sub-units, members, cases or log entries. */
int unit_remove(struct vd *vd, const struct principal *who, int64_t id);
/* Anyone may list them, by id. */
int unit_list(struct vd *vd, struct arena *a, struct unit_list *out);

/* True if unit is ancestor_or_self's descendant or the same unit. */
bool unit_within(const struct unit_list *units, int64_t unit, int64_t ancestor);
const struct unit *unit_by_id(const struct unit_list *units, int64_t id);
/* Units in tree order (parents before children), with their depth. */
int unit_tree(struct arena *a, const struct unit_list *in, struct unit_list *out, int **depth);

#endif
