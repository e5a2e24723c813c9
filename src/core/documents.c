/* documents: see documents.h. */
#include "internal/documents.h"

#include <stdio.h>
#include <string.h>

#include "../util/assets.h"
#include "../util/text.h"
#include "internal/app.h"
#include "internal/audit.h"

static const char *const kind_names[DOC_COUNT] = {
	[DOC_CODE_OF_CONDUCT] = "code_of_conduct",
	[DOC_COMPLAINTS] = "complaints_regulation",
	[DOC_WHISTLEBLOWER] = "whistleblower_regulation",
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

int64_t document_number(enum doc_kind k, const char *lang)
{
	return 1 + 2 * (int64_t)k + (lang && strcmp(lang, "en") == 0);
}

int document_from_number(int64_t n, enum doc_kind *k, const char **lang)
{
	if (n < 1 || n > 2 * DOC_COUNT)
		return VD_ERR_INVALID;
	*k = (enum doc_kind)((n - 1) / 2);
	*lang = (n - 1) % 2 ? "en" : "nl";
	return VD_OK;
}

int documents_install_defaults(struct vd *vd)
{
	static const char *const langs[] = { "nl", "en" };
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	for (int k = 0; k < DOC_COUNT && rc == VD_OK; k++) {
		for (size_t l = 0; l < 2 && rc == VD_OK; l++) {
			char name[96];
			snprintf(name, sizeof name, "data/defaults/%s.%s.txt", kind_names[k], langs[l]);
			const struct asset *as = asset_find(name);
			if (!as) {
				rc = VD_ERR_NOTFOUND; /* a build without its default texts */
				break;
			}
			struct document_rec d = {
				.kind = kind_names[k],
				.lang = langs[l],
				.body = (const char *)as->data,
				.updated_at = clock_now(),
				.updated_by = 0,
			};
			rc = s->ops->document_put(s, &d);
		}
	}
	return app_end(vd, rc, 1);
}

int document_read(struct vd *vd, struct arena *a, enum doc_kind k, const char *lang,
		  struct document *out)
{
	if (k < 0 || k >= DOC_COUNT || document_lang_valid(lang))
		return VD_ERR_INVALID;
	struct document_rec d;
	int rc = vd->store->ops->document_get(vd->store, a, kind_names[k], lang, &d);
	if (rc == VD_OK)
		*out = (struct document){ d.kind, d.lang, d.body, d.updated_at, d.updated_by };
	return rc;
}

int document_save(struct vd *vd, const struct principal *who, enum doc_kind k, const char *lang,
		  const char *body)
{
	if (who->role != ROLE_ADMIN)
		return VD_ERR_DENIED;
	if (k < 0 || k >= DOC_COUNT || document_lang_valid(lang) || !body)
		return VD_ERR_INVALID;
	size_t n = strlen(body);
	if (n > DOCUMENT_MAX_BYTES)
		return VD_ERR_TOOBIG;
	if (!text_valid_utf8(body, n))
		return VD_ERR_INVALID;
	struct document_rec d = {
		.kind = kind_names[k],
		.lang = lang,
		.body = body,
		.updated_at = clock_now(),
		.updated_by = who->user_id,
	};
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	rc = s->ops->document_put(s, &d);
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, "document.update", "document", document_number(k, lang));
	return app_end(vd, rc, 1);
}
