/*
 * pages_audit: the administrator reads the audit log (/beheer/audit), newest
 * first, a page at a time. Entries hold ids and names from closed lists only,
 * so nothing here can show case content; whether the chain is intact is for
 * `vertrouwd audit verify` to say, which reads every entry.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/accounts.h"
#include "../core/audit.h"
#include "../core/documents.h"
#include "../util/text.h"
#include "i18n.h"
#include "web.h"

#define AUDIT_PER_PAGE 50

static const char *audit_time(struct arena *a, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];
	localtime_r(&tt, &tm);
	strftime(s, sizeof s, "%d-%m-%Y %H:%M:%S", &tm);
	return arena_strdup(a, s);
}

/* The name of the account that acted; 0 is a reporter or the system. */
static const char *actor_text(struct req *r, const struct account_list *users, int64_t id)
{
	if (id == 0)
		return i18n_get(r->lang, "audit.actor_none");
	for (size_t i = 0; i < users->n; i++)
		if (users->items[i].id == id)
			return users->items[i].name;
	return arena_printf(&r->arena, "%s %lld", i18n_get(r->lang, "audit.object.user"), (long long)id);
}

/* What the entry was about: "Account 5"; a document by its title and language. */
static const char *object_text(struct req *r, const struct audit_entry *e)
{
	enum doc_kind k;
	const char *lang;
	if (strcmp(e->object_kind, "document") == 0 && document_from_number(e->object_id, &k, &lang) == VD_OK)
		return arena_printf(&r->arena, "%s (%s)", i18n_choice(r->lang, "doc", document_kind_name(k)),
				    i18n_get(r->lang, strcmp(lang, "en") == 0 ? "lang.en" : "lang.nl"));
	return arena_printf(&r->arena, "%s %lld", i18n_choice(r->lang, "audit.object", e->object_kind),
			    (long long)e->object_id);
}

void h_audit(struct req *r)
{
	int64_t before = 0;
	const char *voor = kv_get(&r->query, "voor");
	if (voor && text_parse_i64(voor, 1, INT64_MAX, &before) != VD_OK) {
		req_error(r, 400);
		return;
	}
	struct audit_list list;
	struct account_list users;
	bool more = false;
	int rc = audit_page(r->vd, r->who, &r->arena, before, AUDIT_PER_PAGE, &list, &more);
	if (rc == VD_OK)
		rc = account_list(r->vd, r->who, &r->arena, &users);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	for (size_t i = 0; i < list.n; i++) {
		const struct audit_entry *e = &list.items[i];
		struct tvars *row = tv_add(v, "entries");
		tv_set_int(row, "seq", e->seq);
		tv_set(row, "date", audit_time(&r->arena, e->at));
		tv_set(row, "actor", actor_text(r, &users, e->actor_id));
		tv_set(row, "action", i18n_choice(r->lang, "audit.action", e->action));
		tv_set(row, "object", object_text(r, e));
	}
	tv_set_bool(v, "none", list.n == 0 && !voor);
	tv_set_bool(v, "later_page", voor != NULL);
	if (more)
		tv_set_int(v, "next", list.items[list.n - 1].seq);
	page_render(r, "admin_audit", v, "audit.title");
}
