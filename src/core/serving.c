/* serving: see internal/serving.h. */
#include "internal/serving.h"

#include <string.h>

int served_units(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *all,
		 struct id_list *out)
{
	struct id_list mine;
	int rc = unit_list(vd, a, all);
	if (rc == VD_OK)
		rc = vd->store->ops->user_units_get(vd->store, a, who->user_id, &mine);
	if (rc)
		return rc;
	out->n = 0;
	out->ids = arena_array(a, all->n ? all->n : 1, sizeof *out->ids);
	if (!out->ids)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < all->n; i++)
		for (size_t j = 0; j < mine.n; j++)
			if (unit_within(all, all->items[i].id, mine.ids[j])) {
				out->ids[out->n++] = all->items[i].id;
				break;
			}
	return VD_OK;
}

bool unit_served(const struct id_list *units, int64_t unit)
{
	for (size_t i = 0; i < units->n; i++)
		if (units->ids[i] == unit)
			return true;
	return false;
}

int served_unit_tree(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *out,
		     int **depth)
{
	struct unit_list all, tree;
	struct id_list served;
	int rc = served_units(vd, who, a, &all, &served);
	if (rc == VD_OK)
		rc = unit_tree(a, &all, &tree, depth);
	if (rc)
		return rc;
	out->items = arena_array(a, tree.n ? tree.n : 1, sizeof *out->items);
	if (!out->items)
		return VD_ERR_NOMEM;
	out->n = 0;
	for (size_t i = 0; i < tree.n; i++)
		if (unit_served(&served, tree.items[i].id)) {
			(*depth)[out->n] = (*depth)[i];
			out->items[out->n++] = tree.items[i];
		}
	return VD_OK;
}

int unit_staff_of(struct vd *vd, struct arena *a, enum vd_role role, int64_t unit, struct unit_staff **out,
		  size_t *n)
{
	struct store *s = vd->store;
	struct unit_list units;
	struct user_recs users;
	*n = 0;
	int rc = unit_list(vd, a, &units);
	if (rc == VD_OK)
		rc = s->ops->user_list(s, a, &users);
	if (rc)
		return rc;
	*out = arena_array(a, users.n ? users.n : 1, sizeof **out);
	if (!*out)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < users.n; i++) {
		const struct user_rec *u = &users.items[i];
		struct id_list member_of;
		struct user_key_rec uk;
		if (!u->active || role_parse(u->role) != role || s->ops->user_units_get(s, a, u->id, &member_of) != VD_OK ||
		    s->ops->user_key_get(s, u->id, &uk) != VD_OK)
			continue;
		bool serves = false;
		for (size_t j = 0; j < member_of.n && !serves; j++)
			serves = unit_within(&units, unit, member_of.ids[j]);
		if (!serves)
			continue;
		(*out)[*n].user_id = u->id;
		memcpy((*out)[*n].public_key, uk.public_key, CRYPTO_PK_LEN);
		(*n)++;
	}
	return VD_OK;
}
