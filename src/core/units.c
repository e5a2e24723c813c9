/* units: see units.h. */
#include "units.h"

#include <string.h>

#include "../util/text.h"
#include "internal/app.h"
#include "internal/audit.h"

const char *const unit_kinds[UNIT_KIND_COUNT] = { "national", "province", "group", "youth", "other" };

bool unit_kind_valid(const char *kind)
{
	for (size_t i = 0; kind && i < UNIT_KIND_COUNT; i++)
		if (strcmp(kind, unit_kinds[i]) == 0)
			return true;
	return false;
}

/* Depth of unit (root = 0); UNIT_MAX_DEPTH + 1 for a broken chain. */
static int unit_depth(const struct unit_list *units, int64_t unit)
{
	int d = 0;
	for (const struct unit *u = unit_by_id(units, unit); u && u->parent_id; d++) {
		if (d > UNIT_MAX_DEPTH)
			return UNIT_MAX_DEPTH + 1;
		u = unit_by_id(units, u->parent_id);
	}
	return d;
}

static bool name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	return n && text_valid_line(name, n) && text_utf8_len(name, n) <= UNIT_NAME_MAX_CHARS;
}

const struct unit *unit_by_id(const struct unit_list *units, int64_t id)
{
	for (size_t i = 0; i < units->n; i++)
		if (units->items[i].id == id)
			return &units->items[i];
	return NULL;
}

bool unit_within(const struct unit_list *units, int64_t unit, int64_t ancestor)
{
	/* Bounded walk: a damaged tree with a cycle cannot hang us. */
	for (size_t steps = 0; unit && steps <= units->n; steps++) {
		if (unit == ancestor)
			return true;
		const struct unit *u = unit_by_id(units, unit);
		if (!u)
			return false;
		unit = u->parent_id;
	}
	return false;
}

int unit_list(struct vd *vd, struct arena *a, struct unit_list *out)
{
	struct unit_recs recs;
	out->n = 0;
	int rc = vd->store->ops->unit_list(vd->store, a, &recs);
	if (rc == VD_OK && !(out->items = arena_array(a, recs.n, sizeof *out->items)))
		rc = VD_ERR_NOMEM;
	for (size_t i = 0; rc == VD_OK && i < recs.n; i++) {
		const struct unit_rec *u = &recs.items[i];
		out->items[out->n++] = (struct unit){ u->id, u->parent_id, u->name, u->kind };
	}
	return rc;
}

/* The parent checks run inside the write transaction, so two concurrent
 * edits cannot both pass them and make a cycle together. */
static int check_parent(struct vd *vd, struct arena *a, int64_t id, int64_t parent_id)
{
	struct unit_list all;
	int rc = unit_list(vd, a, &all);
	if (rc)
		return rc;
	if (id && !unit_by_id(&all, id))
		return VD_ERR_NOTFOUND;
	if (!parent_id)
		return VD_OK;
	/* The parent must exist, must not lie inside this unit's subtree, and the
	 * tree stays at most UNIT_MAX_DEPTH deep. */
	if (!unit_by_id(&all, parent_id) || (id && unit_within(&all, parent_id, id)) ||
	    unit_depth(&all, parent_id) >= UNIT_MAX_DEPTH)
		return VD_ERR_INVALID;
	return VD_OK;
}

int unit_add(struct vd *vd, const struct principal *who, const char *name, const char *kind,
	     int64_t parent_id, int64_t *id)
{
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	if (!name_ok(name) || !unit_kind_valid(kind))
		return VD_ERR_INVALID;
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	int rc = s->ops->begin(s);
	if (rc)
		goto out;
	rc = check_parent(vd, &a, 0, parent_id);
	struct unit_rec u = { .parent_id = parent_id, .name = name, .kind = kind, .created_at = clock_now() };
	if (rc == VD_OK)
		rc = s->ops->unit_insert(s, &u, id);
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, "unit.create", "unit", *id);
	rc = app_end(vd, rc, 1);
out:
	arena_release(&a);
	return rc;
}

int unit_edit(struct vd *vd, const struct principal *who, int64_t id, const char *name,
	      const char *kind, int64_t parent_id)
{
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	if (!name_ok(name) || !unit_kind_valid(kind))
		return VD_ERR_INVALID;
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	int rc = s->ops->begin(s);
	if (rc)
		goto out;
	rc = check_parent(vd, &a, id, parent_id);
	struct unit_rec u = { .id = id, .parent_id = parent_id, .name = name, .kind = kind };
	if (rc == VD_OK)
		rc = s->ops->unit_update(s, &u);
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, "unit.update", "unit", id);
	rc = app_end(vd, rc, 1);
out:
	arena_release(&a);
	return rc;
}

int unit_remove(struct vd *vd, const struct principal *who, int64_t id)
{
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	rc = s->ops->unit_delete(s, id);
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, "unit.delete", "unit", id);
	return app_end(vd, rc, 1);
}

static void tree_walk(const struct unit_list *in, int64_t parent, int d, struct unit_list *out,
		      int *depth)
{
	for (size_t i = 0; i < in->n && d <= UNIT_MAX_DEPTH; i++) {
		if (in->items[i].parent_id != parent)
			continue;
		depth[out->n] = d;
		out->items[out->n++] = in->items[i];
		tree_walk(in, in->items[i].id, d + 1, out, depth);
	}
}

int unit_tree(struct arena *a, const struct unit_list *in, struct unit_list *out, int **depth)
{
	out->items = arena_array(a, in->n, sizeof *out->items);
	*depth = arena_array(a, in->n, sizeof **depth);
	out->n = 0;
	if (!out->items || !*depth)
		return VD_ERR_NOMEM;
	tree_walk(in, 0, 0, out, *depth);
	return VD_OK;
}
