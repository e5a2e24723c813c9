/* units: see units.h. */
#include "units.h"

#include <string.h>

#include "../util/text.h"

static const char *const kinds[] = { "national", "province", "group", "youth", "other" };

bool unit_kind_valid(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
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
	return vd->store->ops->unit_list(vd->store, a, out);
}

int unit_add(struct vd *vd, const struct actor *who, const char *name, const char *kind,
	     int64_t parent_id, int64_t *id)
{
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	if (!name_ok(name) || !unit_kind_valid(kind))
		return VD_ERR_INVALID;
	if (parent_id) {
		struct arena a;
		arena_init(&a, 0);
		struct unit_list all;
		int rc = unit_list(vd, &a, &all);
		bool ok = rc == VD_OK && unit_by_id(&all, parent_id);
		arena_release(&a);
		if (rc)
			return rc;
		if (!ok)
			return VD_ERR_INVALID;
	}
	struct unit u = { .parent_id = parent_id, .name = name, .kind = kind };
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	return app_end(vd, s->ops->unit_insert(s, &u, id), 1);
}

int unit_edit(struct vd *vd, const struct actor *who, int64_t id, const char *name,
	      const char *kind, int64_t parent_id)
{
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	if (!name_ok(name) || !unit_kind_valid(kind))
		return VD_ERR_INVALID;
	struct arena a;
	arena_init(&a, 0);
	struct unit_list all;
	int rc = unit_list(vd, &a, &all);
	if (rc == VD_OK && !unit_by_id(&all, id))
		rc = VD_ERR_NOTFOUND;
	/* The new parent must exist and must not lie inside this unit's subtree. */
	if (rc == VD_OK && parent_id && (!unit_by_id(&all, parent_id) || unit_within(&all, parent_id, id)))
		rc = VD_ERR_INVALID;
	arena_release(&a);
	if (rc)
		return rc;
	struct unit u = { .id = id, .parent_id = parent_id, .name = name, .kind = kind };
	struct store *s = vd->store;
	rc = s->ops->begin(s);
	if (rc)
		return rc;
	return app_end(vd, s->ops->unit_update(s, &u), 1);
}

int unit_remove(struct vd *vd, const struct actor *who, int64_t id)
{
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	return app_end(vd, s->ops->unit_delete(s, id), 1);
}

static void tree_walk(const struct unit_list *in, int64_t parent, int d, struct unit_list *out,
		      int *depth)
{
	for (size_t i = 0; i < in->n && d < 32; i++) {
		if (in->items[i].parent_id != parent)
			continue;
		depth[out->n] = d;
		out->items[out->n++] = in->items[i];
		tree_walk(in, in->items[i].id, d + 1, out, depth);
	}
}

int unit_tree(struct arena *a, const struct unit_list *in, struct unit_list *out, int **depth)
{
	out->items = arena_alloc(a, (in->n ? in->n : 1) * sizeof *out->items);
	*depth = arena_alloc(a, (in->n ? in->n : 1) * sizeof **depth);
	out->n = 0;
	if (!out->items || !*depth)
		return VD_ERR_NOMEM;
	tree_walk(in, 0, 0, out, *depth);
	return VD_OK;
}
