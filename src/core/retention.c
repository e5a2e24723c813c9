/* retention: see retention.h. */
#include "retention.h"

#include "../util/clock.h"
#include "../util/date.h"
#include "../util/errors.h"
#include "../util/log.h"
#include "internal/app.h"
#include "internal/audit.h"
#include "internal/files.h"

#define BATCH 500
#define RUN_MAX 1000000 /* records one run destroys at most; the next run goes on */

static const struct {
	enum store_kept kind;
	const char *action, *object;
} kinds[] = {
	{ STORE_KEPT_CASE, "case.purge", "case" },
	{ STORE_KEPT_COMPLAINT, "complaint.purge", "complaint" },
	{ STORE_KEPT_WB, "wb.purge", "wb_report" },
	{ STORE_KEPT_DECLARATION, "declaration.purge", "declaration" },
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* The moment `years` years before today begins. */
static int64_t years_ago(int64_t now, int64_t years)
{
	return date_moment(date_add_years(date_of(now), -(int)years), 0);
}

static void cutoffs(const struct config *cfg, int64_t now, struct retention_cutoffs_rec *c)
{
	c->case_at = years_ago(now, cfg->retention_case_years);
	c->case_exception_at = years_ago(now, cfg->retention_exception_years);
	c->complaint_at = years_ago(now, cfg->retention_complaint_years);
	c->wb_day = date_add_years(date_of(now), -(int)cfg->retention_wb_years);
	c->declaration_at = now; /* each declaration's own term was set at its decision */
}

static int64_t *count_of(struct retention_summary *s, enum store_kept kind)
{
	return kind == STORE_KEPT_CASE	       ? &s->cases
	       : kind == STORE_KEPT_COMPLAINT ? &s->complaints
	       : kind == STORE_KEPT_WB	       ? &s->wb_reports
					       : &s->declarations;
}

/* Every id due of one kind, up to max, into ids (arena). */
static int list_due(struct vd *vd, struct arena *a, enum store_kept kind, const struct retention_cutoffs_rec *c,
		    size_t max, struct id_list *all)
{
	struct store *s = vd->store;
	all->n = 0;
	all->ids = NULL;
	size_t cap = 0;
	int64_t after = 0;
	for (;;) {
		struct id_list batch;
		struct arena tmp;
		arena_init(&tmp, 0);
		int rc = s->ops->retention_due(s, &tmp, kind, c, after, BATCH, &batch);
		if (rc == VD_OK && all->n + batch.n > cap && batch.n) {
			size_t ncap = cap ? 2 * cap : BATCH;
			while (ncap < all->n + batch.n)
				ncap *= 2;
			int64_t *more = arena_alloc(a, ncap * sizeof *more);
			if (!more)
				rc = VD_ERR_NOMEM;
			else {
				for (size_t i = 0; i < all->n; i++)
					more[i] = all->ids[i];
				all->ids = more;
				cap = ncap;
			}
		}
		for (size_t i = 0; rc == VD_OK && i < batch.n && all->n < max; i++)
			all->ids[all->n++] = batch.ids[i];
		size_t got = rc == VD_OK ? batch.n : 0;
		if (got)
			after = batch.ids[got - 1];
		arena_release(&tmp);
		if (rc || got < BATCH || all->n >= max)
			return rc;
	}
}

int retention_due(struct vd *vd, const struct principal *who, struct retention_summary *out)
{
	*out = (struct retention_summary){ 0 };
	if (who != &principal_system)
		return VD_ERR_DENIED;
	struct retention_cutoffs_rec c;
	cutoffs(&vd->cfg, clock_now(), &c);
	struct arena a;
	arena_init(&a, 0);
	int rc = VD_OK;
	for (size_t k = 0; rc == VD_OK && k < NKINDS; k++) {
		struct id_list ids;
		rc = list_due(vd, &a, kinds[k].kind, &c, RUN_MAX, &ids);
		*count_of(out, kinds[k].kind) = rc == VD_OK ? (int64_t)ids.n : 0;
	}
	arena_release(&a);
	return rc;
}

/* One record: its keys and content in one transaction with the audit
 * entry, then, once that committed, its files. */
static int purge_one(struct vd *vd, size_t k, int64_t id, const struct retention_cutoffs_rec *c, int64_t now,
		     struct retention_summary *out)
{
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct text_list files = { 0 };
	int rc = s->ops->begin(s);
	if (rc == VD_OK) {
		rc = s->ops->record_purge(s, &a, kinds[k].kind, id, c, now, &files);
		if (rc == VD_OK)
			rc = audit_record(vd, 0, kinds[k].action, kinds[k].object, id);
		rc = app_end(vd, rc, 0);
	}
	if (rc == VD_OK) {
		for (size_t i = 0; i < files.n; i++)
			files_remove(vd, files.items[i]);
		out->files += (int64_t)files.n;
		(*count_of(out, kinds[k].kind))++;
	}
	arena_release(&a);
	/* Gone meanwhile (another run, another server) or no longer due
	 * (reopened): nothing to do. */
	return rc == VD_ERR_NOTFOUND ? VD_OK : rc;
}

static int purge_log(struct vd *vd, int64_t now, struct retention_summary *out)
{
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	rc = s->ops->log_subjects_purge(s, years_ago(now, vd->cfg.retention_log_years), &out->log_entries);
	if (rc == VD_OK && out->log_entries)
		rc = audit_record(vd, 0, "log.purge", "installation", 0);
	return app_end(vd, rc, 0);
}

int retention_purge(struct vd *vd, const struct principal *who, size_t limit, const struct retention_progress *progress,
		    struct retention_summary *out)
{
	*out = (struct retention_summary){ 0 };
	if (who != &principal_system)
		return VD_ERR_DENIED;
	int64_t now = clock_now();
	struct retention_cutoffs_rec c;
	cutoffs(&vd->cfg, now, &c);
	struct arena a;
	arena_init(&a, 0);
	struct id_list due[NKINDS];
	size_t max = limit ? limit : RUN_MAX, total = 0, done = 0;
	int rc = VD_OK;
	for (size_t k = 0; rc == VD_OK && k < NKINDS; k++) {
		rc = list_due(vd, &a, kinds[k].kind, &c, max - total + 1, &due[k]);
		if (rc == VD_OK && total + due[k].n > max) {
			due[k].n = max - total; /* one more was listed: there is more */
			out->more = true;
		}
		total += rc == VD_OK ? due[k].n : 0;
	}
	for (size_t k = 0; rc == VD_OK && k < NKINDS; k++) {
		for (size_t i = 0; i < due[k].n; i++) {
			if (purge_one(vd, k, due[k].ids[i], &c, now, out) != VD_OK) {
				out->failed++;
				log_event(LOG_ERROR, "retention", LF_WHAT, kinds[k].object, LF_RECORD, (long long)due[k].ids[i],
					  LF_END);
			}
			if (progress && progress->report)
				progress->report(progress->ctx, (int64_t)++done, (int64_t)total);
		}
	}
	if (rc == VD_OK && !out->more && purge_log(vd, now, out) != VD_OK)
		out->failed++;
	/* What was deleted must not linger in the write-ahead log either. */
	if (rc == VD_OK && (out->cases || out->complaints || out->wb_reports || out->log_entries)) {
		int crc = vd->store->ops->compact(vd->store);
		out->compact_later = crc == VD_ERR_BUSY;
		if (crc && crc != VD_ERR_BUSY)
			out->failed++;
	}
	arena_release(&a);
	return rc;
}
