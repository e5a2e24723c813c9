/* annual_report: see annual_report.h. */
#include "annual_report.h"

#include <stdio.h>
#include <string.h>

#include "../util/date.h"
#include "../util/text.h"
#include "internal/app.h"
#include "internal/audit.h"
#include "internal/serving.h"

static const char *const state_names[] = { "", "draft", "review", "published" };

static enum annual_state state_of(const char *name)
{
	for (int s = AR_DRAFT; s <= AR_PUBLISHED; s++)
		if (strcmp(state_names[s], name) == 0)
			return (enum annual_state)s;
	return AR_NONE;
}

static int covers_text(struct arena *a, const struct annual_counts *c, const char **out)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	int rc = VD_OK;
	for (size_t i = 0; rc == VD_OK && i < c->ncovers; i++)
		rc = buf_printf(&b, i ? ",%lld" : "%lld", (long long)c->covers[i]);
	*out = rc == VD_OK ? arena_strndup(a, b.data ? b.data : "", b.len) : NULL;
	buf_release(&b);
	return rc == VD_OK && !*out ? VD_ERR_NOMEM : rc;
}

/* The year's published report of another unit that counts unit_id (as it
 * was published, wherever the unit is now). */
static int counted_elsewhere(struct vd *vd, struct arena *a, int64_t unit_id, int year, int64_t *other)
{
	*other = 0;
	struct annual_report_recs l;
	int rc = vd->store->ops->annual_report_list(vd->store, a, year, true, ANNUAL_REPORTS_MAX, &l);
	for (size_t i = 0; rc == VD_OK && i < l.n && !*other; i++)
		if (l.items[i].unit_id != unit_id && annual_covers_unit(l.items[i].covers, unit_id))
			*other = l.items[i].unit_id;
	return rc;
}

/* May a reader read this published report: of a unit they are attached to
 * or one below, or one that counts such a unit. */
static bool reader_may(const struct id_list *theirs, const struct annual_report_rec *r)
{
	if (unit_served(theirs, r->unit_id))
		return true;
	for (size_t i = 0; i < theirs->n; i++)
		if (annual_covers_unit(r->covers, theirs->ids[i]))
			return true;
	return false;
}

/* Who may see the report of unit_id: a counsellor serving it (*staff), a
 * reader (then only published ones), with all the units. */
static int access_check(struct vd *vd, const struct principal *who, struct arena *a, int64_t unit_id,
			struct unit_list *all, struct id_list *theirs, bool *staff)
{
	*staff = who->role == ROLE_COUNSELLOR;
	if (!*staff && who->role != ROLE_READER)
		return VD_ERR_DENIED;
	int rc = served_units(vd, who, a, all, theirs);
	if (rc == VD_OK && unit_id && !unit_by_id(all, unit_id))
		rc = VD_ERR_NOTFOUND;
	if (rc == VD_OK && unit_id && *staff && !unit_served(theirs, unit_id))
		rc = VD_ERR_DENIED;
	return rc;
}

int annual_current_year(void)
{
	char d[DATE_LEN + 1];
	date_format(date_of(clock_now()), d);
	return (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
}

/* What stands in the way of publishing r, for who. */
static int publish_block(struct vd *vd, const struct principal *who, struct arena *a, const struct unit_list *all,
			 struct annual_report *r)
{
	const struct unit *u = unit_by_id(all, r->unit_id);
	int64_t population = annual_counts_population(&r->counts);
	r->block = AR_CAN;
	if (r->state == AR_PUBLISHED)
		r->block = AR_BLOCK_PUBLISHED;
	else if (r->year >= annual_current_year())
		r->block = AR_BLOCK_YEAR_OPEN;
	else if (u && u->parent_id && population > 0 && population < r->counts.threshold) {
		r->block = AR_BLOCK_TOO_SMALL;
		r->counted_in = u->parent_id;
	}
	if (r->block != AR_CAN)
		return VD_OK;
	int rc = counted_elsewhere(vd, a, r->unit_id, r->year, &r->counted_in);
	if (rc == VD_OK && r->counted_in)
		r->block = AR_BLOCK_COUNTED_ELSEWHERE;
	else if (r->state != AR_REVIEW)
		r->block = AR_BLOCK_NOT_IN_REVIEW;
	else if (r->written_by == who->user_id)
		r->block = AR_BLOCK_OWN_TEXT;
	return rc;
}

/* What a reviewer saw: the text and the counts, as a number (FNV-1a: to
 * tell that something changed, not a secret). */
static int version_of(const struct annual_report *r, uint64_t *out)
{
	struct buf b;
	buf_init(&b, 1 << 22);
	int rc = annual_counts_write(&r->counts, &b);
	if (rc == VD_OK)
		rc = buf_printf(&b, "%lld\n%s", (long long)r->written_at, r->trends);
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; rc == VD_OK && i < b.len; i++)
		h = (h ^ (unsigned char)b.data[i]) * 1099511628211ULL;
	*out = h;
	buf_release(&b);
	return rc;
}

int annual_report_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t unit_id, int year,
		       struct annual_report *out)
{
	memset(out, 0, sizeof *out);
	out->unit_id = unit_id;
	out->year = year;
	out->trends = "";
	if (year < 2000 || year > 2999)
		return VD_ERR_INVALID;
	struct unit_list all;
	struct id_list theirs;
	bool staff;
	int rc = access_check(vd, who, a, unit_id, &all, &theirs, &staff);
	if (rc)
		return rc;
	struct annual_report_rec rec;
	rc = vd->store->ops->annual_report_get(vd->store, a, unit_id, year, &rec);
	if (rc == VD_OK) {
		out->state = state_of(rec.state);
		out->trends = rec.trends;
		out->written_by = rec.written_by, out->written_at = rec.written_at;
		out->reviewed_by = rec.reviewed_by, out->published_at = rec.published_at;
	} else if (rc != VD_ERR_NOTFOUND) {
		return rc;
	}
	if (!staff && (out->state != AR_PUBLISHED || !reader_may(&theirs, &rec)))
		return VD_ERR_NOTFOUND;
	rc = out->state == AR_PUBLISHED ? annual_counts_read(a, rec.snapshot, &out->counts)
					: annual_counts_make(vd, &principal_system, a, unit_id, year, &out->counts);
	if (rc == VD_ERR_INVALID)
		rc = VD_ERR_STORE; /* a snapshot this build cannot read */
	struct annual_report_rec prev;
	if (rc == VD_OK) {
		/* the year before, if this reader may read it too */
		int prc = vd->store->ops->annual_report_get(vd->store, a, unit_id, year - 1, &prev);
		if (prc == VD_OK && strcmp(prev.state, "published") == 0 && (staff || reader_may(&theirs, &prev)))
			out->has_before = annual_counts_read(a, prev.snapshot, &out->before) == VD_OK;
		else if (prc != VD_OK && prc != VD_ERR_NOTFOUND)
			rc = prc;
	}
	if (rc == VD_OK)
		rc = version_of(out, &out->version);
	if (rc == VD_OK && staff)
		rc = publish_block(vd, who, a, &all, out);
	return rc;
}

int annual_report_write(struct vd *vd, const struct principal *who, int64_t unit_id, int year, const char *trends,
			bool submit)
{
	if (!trends || !text_fits(trends, ANNUAL_TRENDS_MAX_CHARS, false))
		return VD_ERR_INVALID;
	if (year < 2000 || year > annual_current_year())
		return VD_ERR_INVALID; /* a year to come has nothing to write about */
	struct arena a;
	arena_init(&a, 0);
	struct unit_list all;
	struct id_list theirs;
	bool staff;
	int rc = access_check(vd, who, &a, unit_id, &all, &theirs, &staff);
	if (rc == VD_OK && !staff)
		rc = VD_ERR_DENIED;
	struct store *s = vd->store;
	if (rc == VD_OK)
		rc = s->ops->begin(s);
	if (rc) {
		arena_release(&a);
		return rc;
	}
	struct annual_report_rec cur;
	rc = s->ops->annual_report_get(s, &a, unit_id, year, &cur);
	if (rc == VD_OK && strcmp(cur.state, "published") == 0)
		rc = VD_ERR_EXISTS;
	else if (rc == VD_ERR_NOTFOUND)
		rc = VD_OK;
	struct annual_report_rec r = { .unit_id = unit_id, .year = year, .state = submit ? "review" : "draft",
				       .trends = trends, .written_by = who->user_id, .written_at = clock_now() };
	if (rc == VD_OK)
		rc = s->ops->annual_report_put(s, &r);
	if (rc == VD_OK)
		rc = s->ops->annual_report_get(s, &a, unit_id, year, &cur);
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, submit ? "annual.submit" : "annual.write", "annual_report", cur.id);
	rc = app_end(vd, rc, 0);
	arena_release(&a);
	return rc;
}

int annual_report_publish(struct vd *vd, const struct principal *who, int64_t unit_id, int year, uint64_t seen,
			  enum annual_block *block)
{
	*block = AR_CAN;
	struct arena a;
	arena_init(&a, 0);
	struct store *s = vd->store;
	int rc = s->ops->begin(s);
	if (rc) {
		arena_release(&a);
		return rc;
	}
	/* inside the transaction: nobody publishes a unit above or below in
	 * between, so what this one covers is what it says */
	struct annual_report r;
	rc = annual_report_open(vd, who, &a, unit_id, year, &r);
	if (rc == VD_OK && r.state == AR_NONE)
		r.block = AR_BLOCK_NOT_IN_REVIEW;
	if (rc == VD_OK && r.block == AR_CAN && r.version != seen)
		r.block = AR_BLOCK_CHANGED; /* not what the reviewer read */
	if (rc == VD_OK && (who->role != ROLE_COUNSELLOR || r.block != AR_CAN)) {
		*block = who->role == ROLE_COUNSELLOR ? r.block : AR_CAN;
		rc = VD_ERR_DENIED;
	}
	struct buf snap;
	buf_init(&snap, 1 << 22);
	struct annual_report_rec rec = { .unit_id = unit_id, .year = year, .reviewed_by = who->user_id,
					 .published_at = clock_now() };
	if (rc == VD_OK)
		rc = annual_counts_write(&r.counts, &snap);
	if (rc == VD_OK)
		rc = covers_text(&a, &r.counts, &rec.covers);
	if (rc == VD_OK && !(rec.snapshot = arena_strndup(&a, snap.data, snap.len)))
		rc = VD_ERR_NOMEM;
	if (rc == VD_OK)
		rc = s->ops->annual_report_publish(s, &rec);
	struct annual_report_rec done;
	if (rc == VD_OK)
		rc = s->ops->annual_report_get(s, &a, unit_id, year, &done);
	if (rc == VD_OK)
		rc = audit_record(vd, who->user_id, "annual.publish", "annual_report", done.id);
	rc = app_end(vd, rc, 0);
	buf_release(&snap);
	arena_release(&a);
	return rc;
}

int annual_report_list(struct vd *vd, const struct principal *who, struct arena *a, int year,
		       struct annual_report_item **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct unit_list all;
	struct id_list theirs;
	bool staff;
	int rc = access_check(vd, who, a, 0, &all, &theirs, &staff);
	if (rc)
		return rc;
	/* year by year (every year: the last ANNUAL_LIST_YEARS), so that no
	 * number of units and years makes the list too long to read */
	int first = year ? year : annual_current_year(), last = year ? year : first - ANNUAL_LIST_YEARS + 1;
	struct annual_report_item *items = NULL;
	size_t room = 0;
	for (int y = first; rc == VD_OK && y >= last; y--) {
		struct annual_report_recs l;
		rc = vd->store->ops->annual_report_list(vd->store, a, y, !staff, ANNUAL_REPORTS_MAX, &l);
		for (size_t i = 0; rc == VD_OK && i < l.n; i++) {
			const struct annual_report_rec *r = &l.items[i];
			if (staff ? !unit_served(&theirs, r->unit_id) : !reader_may(&theirs, r))
				continue;
			if (*n == room) {
				struct annual_report_item *more = arena_array(a, room ? 2 * room : 16, sizeof *more);
				if (!more)
					return VD_ERR_NOMEM;
				if (*n)
					memcpy(more, items, *n * sizeof *items);
				items = more, room = room ? 2 * room : 16;
			}
			items[(*n)++] = (struct annual_report_item){ r->unit_id, (int)r->year, state_of(r->state),
								      r->published_at };
		}
	}
	*out = items;
	return rc;
}

int annual_report_units(struct vd *vd, const struct principal *who, struct arena *a, struct unit_list *tree,
			int **depth)
{
	if (who->role != ROLE_COUNSELLOR && who->role != ROLE_READER)
		return VD_ERR_DENIED;
	return served_unit_tree(vd, who, a, tree, depth);
}
