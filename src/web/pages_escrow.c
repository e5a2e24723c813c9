/*
 * pages_escrow: continuity (issue 12). /herstel is the trustees' page: who
 * the three trustees are, a request to move the cases of a counsellor who
 * can no longer open them to another counsellor, and each request with its
 * approvals; two trustees' approvals carry it out (escrow.h). Everyone else
 * finds nothing there. /dossiers/overdragen is a leaving counsellor's own
 * hand-over of all their cases at once (handover.h).
 */
#include <stdio.h>
#include <string.h>

#include "../core/escrow.h"
#include "../core/handover.h"
#include "../util/text.h"
#include "i18n.h"
#include "web.h"

/* The page; after a refused request, error_key says why (status 400). */
static void escrow_page(struct req *r, const char *error_key)
{
	struct escrow_view ev;
	struct escrow_person *people;
	size_t np;
	int rc = escrow_get(r->vd, r->who, &r->arena, &ev);
	if (rc == VD_OK)
		rc = escrow_counsellors(r->vd, r->who, &r->arena, &people, &np);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	if (error_key) {
		r->status = 400;
		tv_set(v, "error", i18n_get(r->lang, error_key));
	}
	for (int i = 0; i < ESCROW_TRUSTEES; i++)
		tv_set(tv_add(v, "trustees"), "name", ev.trustees[i].name);
	int64_t from = form_record_id(r, "from"), to = form_record_id(r, "to");
	for (size_t i = 0; i < np; i++) {
		struct tvars *o = tv_add(v, "from_choices");
		tv_set_int(o, "id", people[i].user_id);
		tv_setf(o, "label", "%s%s", people[i].name,
			people[i].active ? "" : i18n_get(r->lang, "escrow.inactive"));
		tv_set_bool(o, "selected", people[i].user_id == from);
		if (people[i].active && people[i].has_key) {
			o = tv_add(v, "to_choices");
			tv_set_int(o, "id", people[i].user_id);
			tv_set(o, "label", people[i].name);
			tv_set_bool(o, "selected", people[i].user_id == to);
		}
	}
	for (size_t i = 0; i < ev.n; i++) {
		const struct escrow_request_view *q = &ev.requests[i];
		struct tvars *o = tv_add(v, "requests");
		tv_set_int(o, "id", q->id);
		tv_set(o, "from", q->from_name);
		tv_set(o, "to", q->to_name);
		tv_set(o, "by", q->started_name);
		tv_set(o, "state", i18n_choice(r->lang, "escrow.state", q->state));
		bool open = strcmp(q->state, "open") == 0;
		tv_set_bool(o, "open", open);
		tv_set_bool(o, "done", strcmp(q->state, "done") == 0);
		tv_set_int(o, "approvals", q->approvals);
		tv_set_int(o, "moved", q->moved);
		tv_set_int(o, "not_moved", q->not_moved);
		tv_set_bool(o, "may_approve", open && !q->approved_by_me);
		tv_set_bool(o, "approved_by_me", open && q->approved_by_me);
		tv_set_bool(o, "may_cancel", open && q->started_by == r->user->id);
	}
	const char *notice = kv_get(&r->query, "klaar");
	if (notice && (strcmp(notice, "verzocht") == 0 || strcmp(notice, "goedgekeurd") == 0 ||
		       strcmp(notice, "uitgevoerd") == 0 || strcmp(notice, "ingetrokken") == 0))
		tv_set(v, "notice", i18n_get(r->lang, arena_printf(&r->arena, "escrow.notice.%s", notice)));
	page_render(r, "escrow", v, "escrow.title");
}

void h_escrow(struct req *r)
{
	escrow_page(r, NULL);
}

void h_escrow_request(struct req *r)
{
	int64_t id;
	int rc = escrow_request(r->vd, r->who, form_record_id(r, "from"), form_record_id(r, "to"), &id);
	if (rc == VD_OK)
		req_redirect(r, "/herstel?klaar=verzocht");
	else if (rc == VD_ERR_INVALID)
		escrow_page(r, "escrow.error.choice");
	else if (rc == VD_ERR_EXISTS)
		escrow_page(r, "escrow.error.open");
	else
		req_fail(r, rc);
}

void h_escrow_approve(struct req *r)
{
	bool done;
	int64_t moved, not_moved;
	int rc = escrow_approve(r->vd, r->who, r->id, &done, &moved, &not_moved);
	if (rc == VD_OK)
		req_redirect(r, done ? "/herstel?klaar=uitgevoerd" : "/herstel?klaar=goedgekeurd");
	else if (rc == VD_ERR_DENIED || rc == VD_ERR_EXISTS) /* EXISTS: the same trustee in another tab */
		escrow_page(r, "escrow.error.twice");
	else if (rc == VD_ERR_NOKEY)
		escrow_page(r, "escrow.error.nokey");
	else if (rc == VD_ERR_INVALID)
		escrow_page(r, "escrow.error.closed");
	else
		req_fail(r, rc);
}

void h_escrow_cancel(struct req *r)
{
	int rc = escrow_cancel(r->vd, r->who, r->id);
	if (rc == VD_OK)
		req_redirect(r, "/herstel?klaar=ingetrokken");
	else if (rc == VD_ERR_DENIED)
		escrow_page(r, "escrow.error.not_yours");
	else if (rc == VD_ERR_INVALID)
		escrow_page(r, "escrow.error.closed");
	else
		req_fail(r, rc);
}

/* ---- a leaving counsellor hands everything over ------------------------------ */

static void handover_all_page(struct req *r, const char *error_key)
{
	struct tvars *v = page_vars(r);
	if (error_key) {
		r->status = 400;
		tv_set(v, "error", i18n_get(r->lang, error_key));
	}
	set_colleagues(r, v); /* as on a case's own hand-over form */
	const char *moved = kv_get(&r->query, "over"), *left = kv_get(&r->query, "bleef");
	int64_t nm, nl;
	if (moved && left && text_parse_i64(moved, 0, INT64_MAX, &nm) == VD_OK &&
	    text_parse_i64(left, 0, INT64_MAX, &nl) == VD_OK) {
		tv_set_int(v, "moved", nm);
		tv_set_int(v, "left", nl);
		tv_set_bool(v, "done", true);
	}
	page_render(r, "handover_all", v, "handover_all.title");
}

void h_handover_all_form(struct req *r)
{
	handover_all_page(r, NULL);
}

void h_handover_all(struct req *r)
{
	if (!form_str(r, "confirm")[0]) {
		handover_all_page(r, "handover_all.error.confirm");
		return;
	}
	int64_t moved, left;
	int rc = case_handover_all(r->vd, r->who, form_record_id(r, "to"), form_str(r, "reason"), &moved, &left);
	if (rc == VD_OK)
		req_redirect(r, arena_printf(&r->arena, "/dossiers/overdragen?over=%lld&bleef=%lld", (long long)moved,
					     (long long)left));
	else if (rc == VD_ERR_INVALID)
		handover_all_page(r, "handover_all.error.choice");
	else if (rc == VD_ERR_NOKEY)
		handover_all_page(r, "handover_all.error.nokey");
	else
		req_fail(r, rc);
}
