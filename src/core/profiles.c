/* profiles: see profiles.h. */
#include "profiles.h"

#include <string.h>

#include "../util/text.h"
#include "units.h"
#include "internal/app.h"
#include "internal/audit.h"

static void profile_of(const struct profile_rec *p, struct profile *out)
{
	*out = (struct profile){ p->user_id, p->external, p->region, p->phone, p->public_email, p->languages,
				 p->intro };
}

/* Every active counsellor, as the directory shows them. */
static int all_counsellors(struct vd *vd, struct arena *a, struct counsellor_list *out)
{
	struct counsellor_recs recs;
	out->n = 0;
	int rc = vd->store->ops->counsellor_list(vd->store, a, &recs);
	if (rc == VD_OK && !(out->items = arena_array(a, recs.n, sizeof *out->items)))
		rc = VD_ERR_NOMEM;
	for (size_t i = 0; rc == VD_OK && i < recs.n; i++) {
		struct counsellor *c = &out->items[out->n++];
		c->user_id = recs.items[i].user_id;
		c->name = recs.items[i].name;
		profile_of(&recs.items[i].profile, &c->profile);
		c->units = recs.items[i].units;
	}
	return rc;
}

int directory_list(struct vd *vd, struct arena *a, int64_t unit_id, struct counsellor_list *out)
{
	struct counsellor_list all;
	int rc = all_counsellors(vd, a, &all);
	if (rc || !unit_id) {
		*out = all;
		return rc;
	}
	struct unit_list units;
	rc = unit_list(vd, a, &units);
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
	int rc = all_counsellors(vd, a, &all);
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

int profile_read(struct vd *vd, const struct principal *who, struct arena *a, int64_t user_id,
		 struct profile *out)
{
	if (who->role != ROLE_ADMIN && !(who->role == ROLE_COUNSELLOR && who->user_id == user_id))
		return VD_ERR_DENIED;
	struct profile_rec p;
	int rc = vd->store->ops->profile_get(vd->store, a, user_id, &p);
	if (rc == VD_OK)
		profile_of(&p, out);
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

int profile_save(struct vd *vd, const struct principal *who, const struct profile *p,
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
	struct user_rec u;
	int rc = s->ops->user_get(s, &a, p->user_id, &u);
	if (rc == VD_OK && role_parse(u.role) != ROLE_COUNSELLOR)
		rc = VD_ERR_NOTFOUND;
	arena_release(&a);
	if (rc)
		return rc;
	rc = s->ops->begin(s);
	if (rc)
		return rc;
	struct profile_rec rec = { p->user_id, p->external, p->region, p->phone, p->public_email, p->languages,
				   p->intro };
	rc = s->ops->profile_put(s, &rec);
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, "profile.update", "profile", p->user_id);
	return app_end(vd, rc, 1);
}
