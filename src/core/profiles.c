/* profiles: see profiles.h. */
#include "profiles.h"

#include <string.h>

#include "../util/text.h"
#include "audit.h"
#include "units.h"

int directory_list(struct vd *vd, struct arena *a, int64_t unit_id, struct counsellor_list *out)
{
	struct store *s = vd->store;
	struct counsellor_list all;
	int rc = s->ops->counsellor_list(s, a, &all);
	if (rc || !unit_id) {
		*out = all;
		return rc;
	}
	struct unit_list units;
	rc = s->ops->unit_list(s, a, &units);
	if (rc)
		return rc;
	out->items = all.items;
	out->n = 0;
	for (size_t i = 0; i < all.n; i++) {
		int serves = 0;
		for (size_t j = 0; j < all.items[i].units.n && !serves; j++)
			serves = unit_within(&units, unit_id, all.items[i].units.ids[j]);
		if (serves)
			out->items[out->n++] = all.items[i];
	}
	return VD_OK;
}

int directory_get(struct vd *vd, struct arena *a, int64_t user_id, struct counsellor *out)
{
	struct counsellor_list all;
	int rc = vd->store->ops->counsellor_list(vd->store, a, &all);
	if (rc)
		return rc;
	for (size_t i = 0; i < all.n; i++) {
		if (all.items[i].user_id == user_id) {
			*out = all.items[i];
			return VD_OK;
		}
	}
	return VD_ERR_NOTFOUND;
}

int profile_read(struct vd *vd, const struct actor *who, struct arena *a, int64_t user_id,
		 struct profile *out)
{
	if (who->role != ROLE_ADMIN && !(who->role == ROLE_COUNSELLOR && who->user_id == user_id))
		return VD_ERR_DENIED;
	int rc = vd->store->ops->profile_get(vd->store, a, user_id, out);
	if (rc == VD_ERR_NOTFOUND) {
		memset(out, 0, sizeof *out);
		out->user_id = user_id;
		out->region = out->phone = out->public_email = out->languages = out->intro = "";
		rc = VD_OK;
	}
	return rc;
}

static int line_ok(const char *v, size_t max_chars)
{
	size_t n = v ? strlen(v) : 0;
	return !v || (text_valid_line(v, n) && text_utf8_len(v, n) <= max_chars);
}

int profile_save(struct vd *vd, const struct actor *who, const struct profile *p,
		 enum profile_field *bad)
{
	*bad = PF_NONE;
	if (who->role != ROLE_ADMIN && !(who->role == ROLE_COUNSELLOR && who->user_id == p->user_id))
		return VD_ERR_DENIED;
	if (!line_ok(p->region, PROFILE_LINE_MAX_CHARS))
		*bad = PF_REGION;
	else if (!line_ok(p->phone, 40))
		*bad = PF_PHONE;
	else if (p->public_email && *p->public_email && !text_valid_email(p->public_email))
		*bad = PF_EMAIL;
	else if (!line_ok(p->languages, PROFILE_LINE_MAX_CHARS))
		*bad = PF_LANGUAGES;
	else if (p->intro && (!text_valid_utf8(p->intro, strlen(p->intro)) ||
			      text_utf8_len(p->intro, strlen(p->intro)) > PROFILE_INTRO_MAX_CHARS))
		*bad = PF_INTRO;
	if (*bad)
		return VD_ERR_INVALID;

	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct user u;
	int rc = s->ops->user_get(s, &a, p->user_id, &u);
	if (rc == VD_OK && role_parse(u.role) != ROLE_COUNSELLOR)
		rc = VD_ERR_NOTFOUND;
	arena_release(&a);
	if (rc)
		return rc;
	rc = s->ops->begin(s);
	if (rc)
		return rc;
	rc = s->ops->profile_put(s, p);
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, "profile.update", "profile", p->user_id);
	return app_end(vd, rc, 1);
}
