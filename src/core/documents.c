/* documents: see documents.h. */
#include "internal/documents.h"

#include <stdio.h>
#include <string.h>

#include "../util/assets.h"
#include "../util/date.h"
#include "../util/text.h"
#include "units.h"
#include "internal/app.h"
#include "internal/audit.h"

static const char *const kind_names[DOC_COUNT] = {
	[DOC_CODE_OF_CONDUCT] = "code_of_conduct",
	[DOC_COMPLAINTS] = "complaints_regulation",
	[DOC_WHISTLEBLOWER] = "whistleblower_regulation",
	[DOC_INTEGRITY] = "integrity_policy",
};

const char *document_kind_name(enum doc_kind k)
{
	return (k >= 0 && k < DOC_COUNT) ? kind_names[k] : "";
}

int document_kind_parse(const char *name, enum doc_kind *out)
{
	for (int k = 0; k < DOC_COUNT; k++) {
		if (name && strcmp(name, kind_names[k]) == 0) {
			*out = (enum doc_kind)k;
			return VD_OK;
		}
	}
	return VD_ERR_INVALID;
}

int document_lang_valid(const char *lang)
{
	return lang && (strcmp(lang, "nl") == 0 || strcmp(lang, "en") == 0) ? VD_OK : VD_ERR_INVALID;
}

int document_from_number(int64_t n, enum doc_kind *k, const char **lang)
{
	if (n < 1 || n > 2 * DOC_COUNT)
		return VD_ERR_INVALID;
	*k = (enum doc_kind)((n - 1) / 2);
	*lang = (n - 1) % 2 ? "en" : "nl";
	return VD_OK;
}

/* Reads data/defaults/<kind>.<lang>.txt; NULL in a build without it. */
static const char *default_text(enum doc_kind k, const char *lang)
{
	char name[96];
	snprintf(name, sizeof name, "data/defaults/%s.%s.txt", kind_names[k], lang);
	const struct asset *as = asset_find(name);
	return as ? (const char *)as->data : NULL;
}

/* Version 1 of every kind (only the missing ones: only_missing). */
static int install(struct vd *vd, bool only_missing)
{
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	bool changed = false;
	for (int k = 0; k < DOC_COUNT && rc == VD_OK; k++) {
		struct arena a;
		arena_init(&a, 0);
		struct doc_version_rec have;
		int found = only_missing ? s->ops->doc_version_current(s, &a, kind_names[k], 0, &have) : VD_ERR_NOTFOUND;
		arena_release(&a);
		if (found != VD_ERR_NOTFOUND) {
			rc = found;
			continue;
		}
		const char *nl = default_text((enum doc_kind)k, "nl"), *en = default_text((enum doc_kind)k, "en");
		if (!nl || !en) {
			rc = VD_ERR_NOTFOUND; /* a build without its default texts */
			break;
		}
		int64_t now = clock_now();
		struct doc_version_rec d = {
			.kind = kind_names[k], .unit_id = 0, .body_nl = nl, .body_en = en, .adopted_by = "",
			.adopted_on = date_of(now), .recorded_at = now, .recorded_by = 0,
		};
		rc = s->ops->doc_version_add(s, &d, NULL);
		changed = true;
	}
	return app_end(vd, rc, changed);
}

int documents_install_defaults(struct vd *vd)
{
	return install(vd, false);
}

int documents_install_missing(struct vd *vd)
{
	return install(vd, true);
}

/* rec as the front ends see it, in lang. */
static int to_document(const struct doc_version_rec *d, const char *lang, bool current, struct document *out)
{
	enum doc_kind k;
	if (document_kind_parse(d->kind, &k))
		return VD_ERR_STORE;
	bool en = strcmp(lang, "en") == 0;
	bool translated = !en || d->body_en[0];
	*out = (struct document){
		.id = d->id, .kind = k, .unit_id = d->unit_id, .number = d->number,
		.body = en && translated ? d->body_en : d->body_nl, .translated = translated,
		.adopted_by = d->adopted_by, .adopted_on = d->adopted_on, .recorded_at = d->recorded_at,
		.recorded_by = d->recorded_by, .current = current,
	};
	return VD_OK;
}

int document_current(struct vd *vd, struct arena *a, enum doc_kind k, int64_t unit_id, const char *lang,
		     struct document *out)
{
	if (k < 0 || k >= DOC_COUNT || document_lang_valid(lang) || unit_id < 0)
		return VD_ERR_INVALID;
	struct store *s = vd->store;
	struct doc_version_rec d;
	struct unit_list units = { 0 };
	int rc = unit_id ? unit_list(vd, a, &units) : VD_OK;
	/* up the tree: the unit, its parent, ..., then the organisation (0);
	 * the bound stops a cycle a damaged tree might have */
	for (size_t hops = 0; rc == VD_OK && hops <= units.n + 1; hops++) {
		rc = s->ops->doc_version_current(s, a, kind_names[k], unit_id, &d);
		if (rc != VD_ERR_NOTFOUND || unit_id == 0)
			break;
		const struct unit *u = unit_by_id(&units, unit_id);
		unit_id = u ? u->parent_id : 0;
		rc = VD_OK;
	}
	return rc ? rc : to_document(&d, lang, true, out);
}

int document_version(struct vd *vd, struct arena *a, int64_t id, const char *lang, struct document *out)
{
	if (document_lang_valid(lang) || id <= 0)
		return VD_ERR_INVALID;
	struct store *s = vd->store;
	struct doc_version_rec d, newest;
	int rc = s->ops->doc_version_get(s, a, id, &d);
	if (rc == VD_OK)
		rc = s->ops->doc_version_current(s, a, d.kind, d.unit_id, &newest);
	return rc ? rc : to_document(&d, lang, newest.id == d.id, out);
}

int document_history(struct vd *vd, struct arena *a, enum doc_kind k, struct document_list *out)
{
	out->n = 0;
	if (k < 0 || k >= DOC_COUNT)
		return VD_ERR_INVALID;
	struct doc_version_recs recs;
	int rc = vd->store->ops->doc_version_list(vd->store, a, kind_names[k], DOCUMENT_HISTORY_MAX, &recs);
	if (rc)
		return rc;
	if (!(out->items = arena_array(a, recs.n ? recs.n : 1, sizeof *out->items)))
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < recs.n && rc == VD_OK; i++) {
		/* newest first per unit: the first of each unit is its current one */
		bool current = i == 0 || recs.items[i - 1].unit_id != recs.items[i].unit_id;
		rc = to_document(&recs.items[i], "nl", current, &out->items[out->n++]);
	}
	return rc;
}

/* A document's text: valid UTF-8 of at most DOCUMENT_MAX_BYTES. */
static int body_ok(const char *body, bool required)
{
	size_t n = body ? strlen(body) : 0;
	if (n > DOCUMENT_MAX_BYTES)
		return VD_ERR_TOOBIG;
	if (!text_valid_utf8(body ? body : "", n) || (required && text_blank(body)))
		return VD_ERR_INVALID;
	return VD_OK;
}

static int adoption_check(struct vd *vd, struct arena *a, const struct document_adoption *in, enum document_field *bad)
{
	int rc;
	if ((rc = body_ok(in->body_nl, true))) {
		*bad = DF_BODY_NL;
		return rc;
	}
	if ((rc = body_ok(in->body_en, false))) {
		*bad = DF_BODY_EN;
		return rc;
	}
	if (text_blank(in->adopted_by) || !text_fits(in->adopted_by, DOCUMENT_ADOPTER_MAX_CHARS, true)) {
		*bad = DF_ADOPTER;
		return VD_ERR_INVALID;
	}
	if (in->adopted_on <= 0 || in->adopted_on > date_of(clock_now())) {
		*bad = DF_DAY;
		return VD_ERR_INVALID;
	}
	if (in->unit_id) {
		struct unit_list units;
		if ((rc = unit_list(vd, a, &units)))
			return rc;
		if (in->unit_id < 0 || !unit_by_id(&units, in->unit_id)) {
			*bad = DF_UNIT;
			return VD_ERR_INVALID;
		}
	}
	return VD_OK;
}

int document_adopt(struct vd *vd, const struct principal *who, const struct document_adoption *in, int64_t *id,
		   enum document_field *bad)
{
	*bad = DF_NONE;
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	if (in->kind < 0 || in->kind >= DOC_COUNT)
		return VD_ERR_INVALID;
	struct arena a;
	arena_init(&a, 4096);
	int rc = adoption_check(vd, &a, in, bad);
	arena_release(&a);
	if (rc)
		return rc;
	struct doc_version_rec d = {
		.kind = kind_names[in->kind], .unit_id = in->unit_id, .body_nl = in->body_nl,
		.body_en = in->body_en ? in->body_en : "", .adopted_by = in->adopted_by, .adopted_on = in->adopted_on,
		.recorded_at = clock_now(), .recorded_by = who->user_id,
	};
	struct store *s = vd->store;
	if ((rc = s->ops->begin(s)))
		return rc;
	rc = s->ops->doc_version_add(s, &d, id);
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, "document.adopt", "document_version", *id);
	return app_end(vd, rc, 1);
}
