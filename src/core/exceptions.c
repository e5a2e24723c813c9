/* exceptions: see exceptions.h. */
#include "exceptions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/date.h"
#include "../util/text.h"
#include "internal/app.h"
#include "internal/audit.h"
#include "internal/sealed.h"
#include "internal/cases.h"

const char *const exception_conditions[EXC_COUNT] = { "consent_sought", "no_other_way", "serious_harm",
						      "harm_prevented", "person_told", "referred" };

/* The record's clear fields are bound into its encryption, so none can be
 * changed without the content failing to open. (The date goes in as the
 * text it was before dates became epoch days: the same bytes, so records
 * written then still open.) */
static void exception_ad(char *ad, size_t n, const struct case_rec *c, const struct exception_rec *e)
{
	char told[DATE_LEN + 1];
	date_format(e->told_day, told);
	snprintf(ad, n, "case %s exception %lld %lld %s", c->locator, (long long)e->at, (long long)e->conditions,
		 told);
}

static bool filled(const char *s, size_t max_chars)
{
	size_t n = s ? strlen(s) : 0;
	return !text_blank(s) && text_valid_utf8(s, n) && text_utf8_len(s, n) <= max_chars;
}

int case_exception_record(struct vd *vd, const struct principal *who, int64_t id,
			  const struct exception_input *in, field_errors *errs)
{
	int64_t today = date_of(clock_now()), told = DATE_NONE;
	*errs = 0;
	int64_t conditions = 0;
	for (int c = 0; c < EXC_COUNT; c++) {
		if ((in->met[c] != 0 && in->met[c] != 1) || !filled(in->why[c], EXCEPTION_TEXT_MAX_CHARS))
			*errs |= 1u << c;
		else if (in->met[c])
			conditions |= (int64_t)1 << c;
	}
	if (in->told_on && *in->told_on && (!date_parse(in->told_on, &told) || told > today))
		*errs |= 1u << EXF_TOLD;
	if (!filled(in->informed, EXCEPTION_TEXT_MAX_CHARS))
		*errs |= 1u << EXF_INFORMED;
	unsigned char key[CRYPTO_KEY_LEN];
	struct arena a;
	arena_init(&a, 0);
	struct case_rec rec;
	struct store *s = vd->store;
	struct buf content;
	buf_init(&content, 256 * 1024);
	content.secret = true;
	int rc = case_reader_key(vd, who, id, key);
	if (rc == VD_OK && *errs)
		rc = VD_ERR_INVALID;
	if (rc == VD_OK)
		rc = s->ops->case_get(s, &a, id, &rec);
	for (int c = 0; rc == VD_OK && c < EXC_COUNT; c++)
		rc = buf_put_lp(&content, in->why[c]);
	if (rc == VD_OK)
		rc = buf_put_lp(&content, in->informed);
	struct exception_rec e = { .case_id = id, .at = clock_now(), .by = who->user_id, .conditions = conditions,
				   .told_day = told };
	unsigned char *sealed = rc == VD_OK ? malloc(content.len + CRYPTO_AEAD_OVERHEAD) : NULL;
	if (rc == VD_OK && !sealed)
		rc = VD_ERR_NOMEM;
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc == VD_OK) {
		char ad[128];
		exception_ad(ad, sizeof ad, &rec, &e);
		crypto_encrypt(key, ad, content.data, content.len, sealed);
		e.content = sealed;
		e.content_len = content.len + CRYPTO_AEAD_OVERHEAD;
		int64_t eid;
		rc = s->ops->exception_insert(s, &e, &eid);
		if (rc == VD_OK)
			rc = audit_record(vd, who->user_id, "case.exception", "case", id);
		rc = app_end(vd, rc, 0);
	}
	free(sealed);
	buf_release_wipe(&content);
	crypto_wipe(key, sizeof key);
	arena_release(&a);
	return rc;
}

int case_exceptions(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		    struct exception_view **out, size_t *n)
{
	unsigned char key[CRYPTO_KEY_LEN];
	struct case_rec rec;
	struct exception_recs l;
	*n = 0;
	int rc = case_reader_key(vd, who, id, key);
	if (rc == VD_OK)
		rc = vd->store->ops->case_get(vd->store, a, id, &rec);
	if (rc == VD_OK)
		rc = vd->store->ops->exception_list(vd->store, a, id, 100, &l);
	if (rc == VD_OK) {
		*out = arena_array(a, l.n, sizeof **out);
		rc = *out ? VD_OK : VD_ERR_NOMEM;
	}
	for (size_t i = 0; rc == VD_OK && i < l.n; i++) {
		const struct exception_rec *e = &l.items[i];
		struct exception_view *v = &(*out)[i];
		v->at = e->at;
		v->by = e->by;
		v->conditions = e->conditions;
		v->told_day = e->told_day;
		char ad[128];
		exception_ad(ad, sizeof ad, &rec, e);
		const char **fields[EXC_COUNT + 1];
		for (int c = 0; c < EXC_COUNT; c++)
			fields[c] = &v->why[c];
		fields[EXC_COUNT] = &v->informed;
		rc = sealed_texts_open(a, key, ad, e->content, e->content_len, fields,
				       EXC_COUNT + 1, EXC_COUNT + 1);
		if (rc != VD_OK && rc != VD_ERR_NOMEM)
			rc = VD_ERR_STORE; /* changed behind the triggers' back */
		if (rc == VD_OK)
			(*n)++;
	}
	crypto_wipe(key, sizeof key);
	return rc;
}
