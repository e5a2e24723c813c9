/*
 * pages_annual: the anonymised annual report (issue 11). /jaarverslagen
 * lists the reports one may see; /jaarverslagen/:id/:year shows one, with
 * a bar chart in each table drawn here as SVG (no script: a bar per row,
 * beside its label and number, so it fits a phone), the year before
 * beside it when that was published, and a CSV file per table
 * (?csv=<table>). Counsellors who serve the unit write the trends part,
 * send it for review and another one publishes it; report readers see
 * published reports only (the core decides who sees what).
 */
#include <stdio.h>
#include <string.h>

#include "../core/annual_report.h"
#include "../core/units.h"
#include "../util/text.h"
#include "i18n.h"
#include "pages.h"
#include "web.h"

#define YEAR_FIRST 2000
#define YEAR_LAST 2999

/* The translation prefix of each table's categories. */
static const char *const cell_prefix[AT_COUNT] = {
	[AT_REPORTER_TYPE] = "reptype", [AT_RELATION] = "relation", [AT_LOCATION] = "location",
	[AT_CHANNEL] = "channel", [AT_NAMED] = "annual.named", [AT_PHASE] = "phase", [AT_ROUTE] = "route",
	[AT_OUTCOME] = "outcome", [AT_BEHAVIOUR] = "behaviour", [AT_REFERRAL] = "referral",
	[AT_CONTACTS] = "annual.contacts", [AT_FIRST_CONTACT] = "annual.first_contact",
	[AT_CLOSURE] = "annual.closure", [AT_WB_CHANNEL] = "wbchannel", [AT_WB_CATEGORY] = "wbcat",
	[AT_WB_ACK] = "annual.clock", [AT_WB_FEEDBACK] = "annual.clock", [AT_COMPLAINT_CHANNEL] = "cchannel",
	[AT_COMPLAINT_ADMISSIBLE] = "annual.admissible", [AT_COMPLAINT_ADVICE] = "advice",
	[AT_COMPLAINT_MEASURES] = "measure", [AT_COMPLAINT_TERMS] = "annual.term", [AT_ADVICE_ASKED] = "annual.asked",
	[AT_ADVICE_TO] = "log.to", [AT_QUESTION_TYPE] = "reptype",
};

static const char *cell_label(const char *lang, enum annual_table kind, const char *key)
{
	return *key ? i18n_choice(lang, cell_prefix[kind], key) : i18n_get(lang, "annual.unknown");
}

/* annual_label_fn for the CSV files. */
static const char *csv_label(enum annual_table kind, const char *key, const char *word, void *ctx)
{
	const char *lang = ctx;
	if (key)
		return cell_label(lang, kind, key);
	return i18n_choice(lang, "annual.csv", word);
}

/* A count as the page shows it. */
static const char *count_text(struct req *r, const struct annual_table_view *t, size_t i, int threshold)
{
	if (t->whole || t->cells[i].mark == SN_HIDDEN)
		return i18n_get(r->lang, "annual.not_shown");
	if (t->cells[i].mark == SN_SMALL)
		return arena_printf(&r->arena, "%s %d", i18n_get(r->lang, "annual.fewer_than"), threshold);
	return arena_printf(&r->arena, "%lld", (long long)t->cells[i].n);
}

static const char *total_text(struct req *r, int64_t n, int threshold)
{
	if (n == ANNUAL_NOT_SHOWN)
		return i18n_get(r->lang, "annual.not_shown");
	if (n > 0 && n < threshold)
		return arena_printf(&r->arena, "%s %d", i18n_get(r->lang, "annual.fewer_than"), threshold);
	return arena_printf(&r->arena, "%lld", (long long)n);
}

/*
 * A cell's bar for the table's chart column: an SVG as wide as the cell,
 * filled in proportion to the largest shown cell; none for a cell that is
 * not shown. Hidden from screen readers: the number beside it says it.
 */
static const char *bar_svg(struct req *r, const struct annual_table_view *t, size_t i, int64_t max)
{
	if (t->cells[i].mark != SN_SHOWN || max <= 0 || t->cells[i].n <= 0)
		return "";
	return arena_printf(&r->arena,
			    "<svg class=\"bar\" viewBox=\"0 0 1000 16\" preserveAspectRatio=\"none\" aria-hidden=\"true\""
			    " focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"%lld\" height=\"16\"/></svg>",
			    (long long)(t->cells[i].n * 1000 / max));
}

/* The largest count shown in t (0: no chart). */
static int64_t largest_shown(const struct annual_table_view *t)
{
	int64_t max = 0;
	for (size_t i = 0; !t->whole && i < t->n; i++)
		if (t->cells[i].mark == SN_SHOWN && t->cells[i].n > max)
			max = t->cells[i].n;
	return max;
}

/* The cell of key in t, or -1. */
static long cell_of(const struct annual_table_view *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->keys[i], key) == 0)
			return (long)i;
	return -1;
}

/* The tables in parts, each part with the records it counts. */
static const struct {
	const char *name;
	enum annual_table first, last;
} parts[] = {
	{ "cases", AT_REPORTER_TYPE, AT_CLOSURE },
	{ "wb", AT_WB_CHANNEL, AT_WB_FEEDBACK },
	{ "complaints", AT_COMPLAINT_CHANNEL, AT_COMPLAINT_TERMS },
	{ "counsellors", AT_ADVICE_ASKED, AT_QUESTION_TYPE },
};

static void set_table(struct req *r, struct tvars *o, const struct annual_report *rep, int k, const char *base)
{
	const struct annual_counts *c = &rep->counts;
	const struct annual_table_view *t = &c->tables[k];
	const struct annual_table_view *b = rep->has_before ? &rep->before.tables[k] : NULL;
	tv_set(o, "name", annual_table_names[k]);
	tv_set(o, "title", i18n_choice(r->lang, "annual.table", annual_table_names[k]));
	tv_set(o, "total", total_text(r, t->total, c->threshold));
	tv_set(o, "before_total", b ? total_text(r, b->total, rep->before.threshold) : "");
	tv_set_bool(o, "whole", t->whole && t->total > 0);
	tv_set_bool(o, "several", !t->additive);
	tv_set_bool(o, "empty", t->total == 0);
	int64_t max = largest_shown(t);
	tv_set_bool(o, "chart", max > 0);
	tv_set(o, "csv", arena_printf(&r->arena, "%s?csv=%s", base, annual_table_names[k]));
	for (size_t i = 0; i < t->n; i++) {
		struct tvars *row = tv_add(o, "rows");
		tv_set(row, "label", cell_label(r->lang, t->kind, t->keys[i]));
		tv_set(row, "count", count_text(r, t, i, c->threshold));
		tv_set(row, "bar", bar_svg(r, t, i, max));
		long j = b ? cell_of(b, t->keys[i]) : -1;
		tv_set(row, "before", j >= 0 ? count_text(r, b, (size_t)j, rep->before.threshold) : "");
	}
}

static void set_tables(struct req *r, struct tvars *v, const struct annual_report *rep, const char *base)
{
	for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
		struct tvars *o = tv_add(v, "parts");
		tv_set(o, "title", i18n_choice(r->lang, "annual.part", parts[p].name));
		bool any = false;
		for (int k = parts[p].first; k <= (int)parts[p].last; k++)
			any |= rep->counts.tables[k].total > 0;
		/* a part with nothing in it: one sentence, not a row of empty tables */
		tv_set_bool(o, "nothing", !any);
		for (int k = parts[p].first; any && k <= (int)parts[p].last; k++)
			set_table(r, tv_add(o, "tables"), rep, k, base);
	}
}

/* The key figures, each as the report may show it. */
static void set_figures(struct req *r, struct tvars *v, const struct annual_counts *c)
{
	const struct {
		const char *key;
		int64_t n;
	} figures[] = {
		{ "cases", c->cases }, { "questions", c->questions }, { "complaints", c->complaints },
		{ "wb_reports", c->wb_reports }, { "advice", c->advice }, { "exceptions", c->exceptions },
	};
	for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
		struct tvars *o = tv_add(v, "figures");
		tv_set(o, "label", i18n_choice(r->lang, "annual.figure", figures[i].key));
		tv_set(o, "value", total_text(r, figures[i].n, c->threshold));
	}
	struct tvars *o = tv_add(v, "figures");
	tv_set(o, "label", i18n_get(r->lang, "annual.figure.training"));
	tv_setf(o, "value", "%lld", (long long)((c->training_minutes + 30) / 60));
	o = tv_add(v, "figures");
	tv_set(o, "label", i18n_get(r->lang, "annual.figure.supervision"));
	tv_setf(o, "value", "%lld", (long long)c->supervision_sessions);
}

/* The names of the units a report counts, "A, B, C". */
static const char *covers_text(struct req *r, const struct annual_counts *c, const struct unit_list *units)
{
	struct buf b;
	buf_init(&b, 64 * 1024);
	for (size_t i = 0; i < c->ncovers; i++) {
		const struct unit *u = unit_by_id(units, c->covers[i]);
		buf_printf(&b, "%s%s", i ? ", " : "", u ? u->name : "?");
	}
	const char *out = arena_strndup(&r->arena, b.data ? b.data : "", b.len);
	buf_release(&b);
	return out;
}

/* The unit's name, "" for none. */
static const char *unit_name(const struct unit_list *units, int64_t id)
{
	const struct unit *u = unit_by_id(units, id);
	return u ? u->name : "";
}

static bool parse_year(const char *s, int *year)
{
	int64_t y;
	if (!s || text_parse_i64(s, YEAR_FIRST, YEAR_LAST, &y))
		return false;
	*year = (int)y;
	return true;
}

/* One table as CSV, for download. */
static void send_csv(struct req *r, const struct annual_report *rep, const char *name)
{
	int k = -1;
	for (int i = 0; i < AT_COUNT; i++)
		if (strcmp(annual_table_names[i], name) == 0)
			k = i;
	if (k < 0) {
		req_error(r, 404);
		return;
	}
	int rc = annual_table_csv(&rep->counts.tables[k], rep->has_before ? &rep->before.tables[k] : NULL,
				  rep->counts.threshold, rep->before.threshold, csv_label, (void *)r->lang, &r->out);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	r->content_type = "text/csv; charset=utf-8";
	req_header(r, "Content-Disposition",
		   arena_printf(&r->arena, "attachment; filename=\"annual-%lld-%d-%s.csv\"", (long long)rep->unit_id,
				rep->year, annual_table_names[k]));
}

/* The report page; error_key: why the last step was refused. */
static void report_page(struct req *r, int year, const char *error_key, const char *typed)
{
	struct annual_report rep;
	int rc = annual_report_open(r->vd, r->who, &r->arena, r->id, year, &rep);
	struct unit_list units;
	if (rc == VD_OK)
		rc = unit_list(r->vd, &r->arena, &units);
	if (rc) {
		req_fail(r, rc == VD_ERR_INVALID ? VD_ERR_NOTFOUND : rc);
		return;
	}
	const char *csv = kv_get(&r->query, "csv");
	if (csv) {
		send_csv(r, &rep, csv);
		return;
	}
	struct tvars *v = page_vars(r);
	const char *base = arena_printf(&r->arena, "/jaarverslagen/%lld/%d", (long long)r->id, year);
	tv_set(v, "base", base);
	tv_set_int(v, "year", year);
	tv_set_int(v, "year_before", year - 1);
	tv_set(v, "unit", unit_name(&units, r->id));
	tv_set(v, "covers", covers_text(r, &rep.counts, &units));
	tv_set_bool(v, "staff", r->user->role == ROLE_COUNSELLOR);
	tv_set_bool(v, "published", rep.state == AR_PUBLISHED);
	tv_set(v, "state", i18n_choice(r->lang, "annual.state", (const char *[]){ "none", "draft", "review",
										   "published" }[rep.state]));
	tv_set(v, "published_on", rep.published_at ? req_time_text(r, rep.published_at) : "");
	tv_set(v, "trends", typed ? typed : rep.trends);
	tv_set_bool(v, "has_trends", *rep.trends != '\0');
	tv_set_bool(v, "has_before", rep.has_before);
	tv_set_int(v, "threshold", rep.counts.threshold);
	tv_set_int(v, "max_chars", ANNUAL_TRENDS_MAX_CHARS);
	tv_set_bool(v, "can_publish", rep.block == AR_CAN && r->user->role == ROLE_COUNSELLOR);
	tv_set_bool(v, "can_write", rep.state != AR_PUBLISHED && r->user->role == ROLE_COUNSELLOR);
	tv_setf(v, "version", "%016llx", (unsigned long long)rep.version);
	if (r->user->role == ROLE_COUNSELLOR && rep.block != AR_CAN && rep.block != AR_BLOCK_PUBLISHED &&
	    rep.block != AR_BLOCK_CHANGED) {
		static const char *const block_keys[] = {
			[AR_BLOCK_YEAR_OPEN] = "annual.block.year_open", [AR_BLOCK_TOO_SMALL] = "annual.block.too_small",
			[AR_BLOCK_COUNTED_ELSEWHERE] = "annual.block.counted_above",
			[AR_BLOCK_NOT_IN_REVIEW] = "annual.block.not_in_review", [AR_BLOCK_OWN_TEXT] = "annual.block.own_text",
		};
		tv_set(v, "block", i18n_get(r->lang, block_keys[rep.block]));
		tv_set(v, "counted_in", unit_name(&units, rep.counted_in));
	}
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	const char *done = kv_get(&r->query, "klaar");
	if (done && (!strcmp(done, "opslaan") || !strcmp(done, "beoordelen") || !strcmp(done, "publiceren")))
		tv_set(v, "done", i18n_choice(r->lang, "annual.done", done));
	set_figures(r, v, &rep.counts);
	set_tables(r, v, &rep, base);
	page_render_title(r, "annual_report",  v,
			  arena_printf(&r->arena, "%s %d: %s", i18n_get(r->lang, "annual.title"), year,
				       unit_name(&units, r->id)));
}

/* The publish form's version: 16 hex digits. */
static bool parse_version(const char *s, uint64_t *out)
{
	*out = 0;
	if (strlen(s) != 16)
		return false;
	for (const char *p = s; *p; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0)
			return false;
		*out = *out << 4 | (uint64_t)d;
	}
	return true;
}

void h_annual(struct req *r)
{
	int year;
	if (!parse_year(r->slug, &year)) {
		req_error(r, 404);
		return;
	}
	report_page(r, year, NULL, NULL);
}

void h_annual_step(struct req *r)
{
	int year;
	if (!parse_year(r->slug, &year)) {
		req_error(r, 404);
		return;
	}
	const char *step = form_str(r, "stap"), *text = form_text(r, "tekst");
	int rc;
	enum annual_block block = AR_CAN;
	const char *done = step;
	if (strcmp(step, "opslaan") == 0 || strcmp(step, "beoordelen") == 0) {
		rc = annual_report_write(r->vd, r->who, r->id, year, text, strcmp(step, "beoordelen") == 0);
	} else if (strcmp(step, "publiceren") == 0) {
		uint64_t seen = 0;
		if (!parse_version(form_str(r, "versie"), &seen)) {
			r->status = 400;
			report_page(r, year, "annual.error.step", NULL);
			return;
		}
		rc = annual_report_publish(r->vd, r->who, r->id, year, seen, &block);
	} else {
		r->status = 400;
		report_page(r, year, "annual.error.step", NULL);
		return;
	}
	if (rc == VD_ERR_INVALID) {
		r->status = 400;
		report_page(r, year, "annual.error.text", text);
		return;
	}
	if (rc == VD_ERR_EXISTS || (rc == VD_ERR_DENIED && block != AR_CAN)) {
		r->status = 409;
		report_page(r, year,
			    rc == VD_ERR_EXISTS	       ? "annual.error.published"
			    : block == AR_BLOCK_CHANGED ? "annual.error.changed"
							: "annual.error.blocked",
			    NULL);
		return;
	}
	if (rc) {
		req_fail(r, rc);
		return;
	}
	req_redirect(r, arena_printf(&r->arena, "/jaarverslagen/%lld/%d?klaar=%s", (long long)r->id, year, done));
}

void h_annual_list(struct req *r)
{
	/* the chooser's GET form: to the report of that unit and year */
	const char *unit_s = kv_get(&r->query, "eenheid"), *year_s = kv_get(&r->query, "jaar");
	if (unit_s || year_s) {
		int64_t unit;
		int year;
		if (!unit_s || !parse_year(year_s, &year) || text_parse_i64(unit_s, 1, INT64_MAX, &unit)) {
			req_error(r, 400);
			return;
		}
		req_redirect(r, arena_printf(&r->arena, "/jaarverslagen/%lld/%d", (long long)unit, year));
		return;
	}
	struct annual_report_item *items;
	size_t n;
	struct unit_list units, tree;
	int *depth;
	int rc = annual_report_list(r->vd, r->who, &r->arena, 0, &items, &n);
	if (rc == VD_OK)
		rc = unit_list(r->vd, &r->arena, &units);
	if (rc == VD_OK)
		rc = annual_report_units(r->vd, r->who, &r->arena, &tree, &depth);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	tv_set_bool(v, "staff", r->user->role == ROLE_COUNSELLOR);
	static const char *const states[] = { "none", "draft", "review", "published" };
	for (size_t i = 0; i < n; i++) {
		struct tvars *o = tv_add(v, "reports");
		tv_setf(o, "href", "/jaarverslagen/%lld/%d", (long long)items[i].unit_id, items[i].year);
		tv_set(o, "unit", unit_name(&units, items[i].unit_id));
		tv_set_int(o, "year", items[i].year);
		tv_set(o, "state", i18n_choice(r->lang, "annual.state", states[items[i].state]));
	}
	tv_set_bool(v, "none", n == 0);
	unit_choices(r, v, &tree, depth);
	int now_year = annual_current_year();
	for (int y = now_year; y >= now_year - 4 && y >= YEAR_FIRST; y--) {
		struct tvars *o = tv_add(v, "years");
		tv_set_int(o, "year", y);
		tv_set_bool(o, "selected", y == now_year - 1);
	}
	page_render(r, "annual_list", v, "annual.list_title");
}
