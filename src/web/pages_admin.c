/*
 * pages_admin: the administrator's pages — units, accounts (with counsellor
 * profiles). The documents are in pages_documents.c. The administrator never sees
 * case content; nothing here reaches it.
 */
#include <stdio.h>
#include <string.h>

#include "../core/accounts.h"
#include "../core/units.h"
#include "../util/log.h"
#include "../util/text.h"
#include "i18n.h"
#include "pages.h"
#include "web.h"

void h_admin(struct req *r)
{
	page_render(r, "admin", page_vars(r), "admin.title");
}

/* ---- units ------------------------------------------------------------------ */

/* Adds unit options (tree order, dashes for depth) with selected/exclude. */
static int add_unit_options(struct req *r, struct tvars *v, const char *list, int64_t selected,
			    int64_t exclude_subtree, struct unit_list *units_out)
{
	struct unit_list units, tree;
	int *depth;
	int rc = unit_list(r->vd, &r->arena, &units);
	if (rc == VD_OK)
		rc = unit_tree(&r->arena, &units, &tree, &depth);
	if (rc)
		return rc;
	for (size_t i = 0; i < tree.n; i++) {
		if (exclude_subtree && unit_within(&units, tree.items[i].id, exclude_subtree))
			continue;
		struct tvars *o = tv_add(v, list);
		tv_set_int(o, "id", tree.items[i].id);
		tv_set(o, "name", tree.items[i].name);
		tv_setf(o, "label", "%.*s%s", depth[i] * 4, "– – – – – – ", tree.items[i].name);
		tv_set_bool(o, "selected", tree.items[i].id == selected);
		tv_set(o, "kind", i18n_choice(r->lang, "unitkind", tree.items[i].kind));
	}
	if (units_out)
		*units_out = units;
	return VD_OK;
}

static void add_kind_options(struct req *r, struct tvars *v, const char *selected)
{
	for (size_t i = 0; i < UNIT_KIND_COUNT; i++) {
		struct tvars *o = tv_add(v, "kinds");
		tv_set(o, "value", unit_kinds[i]);
		tv_set(o, "label", i18n_choice(r->lang, "unitkind", unit_kinds[i]));
		tv_set_bool(o, "selected", selected && strcmp(selected, unit_kinds[i]) == 0);
	}
}

static void units_page(struct req *r, const char *error_key, const char *name, const char *kind)
{
	struct tvars *v = page_vars(r);
	if (add_unit_options(r, v, "units", 0, 0, NULL)) {
		req_error(r, 500);
		return;
	}
	add_kind_options(r, v, kind);
	tv_set(v, "name", name);
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	if (kv_get(&r->query, "klaar"))
		tv_set_bool(v, "saved", true);
	page_render(r, "admin_units", v, "units.title");
}

void h_units(struct req *r)
{
	units_page(r, NULL, "", "province");
}

/* Reads an optional unit id field; 0 when empty. */
static int form_id(struct req *r, const char *name, int64_t *out)
{
	const char *s = form_str(r, name);
	*out = 0;
	return *s ? text_parse_i64(s, 1, INT64_MAX, out) : VD_OK;
}

static const char *unit_error_key(int rc)
{
	switch (rc) {
	case VD_ERR_INVALID: return "units.invalid";
	case VD_ERR_INUSE: return "units.in_use";
	case VD_ERR_NOTFOUND: return "error.404.text";
	default: return "error.500.text";
	}
}

void h_unit_add(struct req *r)
{
	const char *name = form_str(r, "name"), *kind = form_str(r, "kind");
	int64_t parent, id;
	int rc = form_id(r, "parent", &parent);
	if (rc == VD_OK)
		rc = unit_add(r->vd, r->who, name, kind, parent, &id);
	if (rc == VD_ERR_DENIED) {
		req_fail(r, rc);
		return;
	}
	if (rc) {
		r->status = rc == VD_ERR_INVALID ? 400 : 500;
		units_page(r, unit_error_key(rc), name, kind);
		return;
	}
	log_event(LOG_INFO, "unit-added", LF_USER, (long long)r->user->id, LF_RECORD, (long long)id, LF_END);
	req_redirect(r, "/beheer/eenheden?klaar=1");
}

static void unit_form_page(struct req *r, const struct unit *u, const char *error_key)
{
	struct tvars *v = page_vars(r);
	if (add_unit_options(r, v, "parents", u->parent_id, u->id, NULL)) {
		req_error(r, 500);
		return;
	}
	add_kind_options(r, v, u->kind);
	tv_set_int(v, "id", u->id);
	tv_set(v, "name", u->name);
	tv_set_bool(v, "is_root", u->parent_id == 0);
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	page_render(r, "admin_unit", v, "units.edit_title");
}

void h_unit_form(struct req *r)
{
	struct unit_list units;
	if (unit_list(r->vd, &r->arena, &units)) {
		req_error(r, 500);
		return;
	}
	const struct unit *u = unit_by_id(&units, r->id);
	if (!u) {
		req_error(r, 404);
		return;
	}
	unit_form_page(r, u, NULL);
}

void h_unit_edit(struct req *r)
{
	struct unit u = { .id = r->id, .name = form_str(r, "name"), .kind = form_str(r, "kind") };
	int rc = form_id(r, "parent", &u.parent_id);
	if (rc == VD_OK)
		rc = unit_edit(r->vd, r->who, r->id, u.name, u.kind, u.parent_id);
	if (rc == VD_ERR_NOTFOUND) {
		req_error(r, 404);
		return;
	}
	if (rc == VD_ERR_DENIED) {
		req_fail(r, rc);
		return;
	}
	if (rc) {
		r->status = rc == VD_ERR_INVALID ? 400 : 500;
		unit_form_page(r, &u, unit_error_key(rc));
		return;
	}
	req_redirect(r, "/beheer/eenheden?klaar=1");
}

void h_unit_delete(struct req *r)
{
	int rc = unit_remove(r->vd, r->who, r->id);
	if (rc == VD_ERR_NOTFOUND) {
		req_error(r, 404);
		return;
	}
	if (rc == VD_ERR_DENIED) {
		req_fail(r, rc);
		return;
	}
	if (rc) {
		r->status = rc == VD_ERR_INUSE ? 409 : 500;
		units_page(r, unit_error_key(rc), "", "province");
		return;
	}
	req_redirect(r, "/beheer/eenheden?klaar=1");
}

/* ---- accounts ------------------------------------------------------------- */

static void role_options(struct req *r, struct tvars *v, enum vd_role selected)
{
	for (int i = ROLE_NONE + 1; i < ROLE_COUNT; i++) {
		if (i == ROLE_CANDIDATE)
			continue; /* a candidate comes with an invitation (declarations.h) */
		struct tvars *o = tv_add(v, "roles");
		tv_set(o, "value", role_name((enum vd_role)i));
		tv_set(o, "label", i18n_choice(r->lang, "role", role_name((enum vd_role)i)));
		tv_set_bool(o, "selected", i == (int)selected);
	}
}

void h_accounts(struct req *r)
{
	struct account_list users;
	int rc = account_list(r->vd, r->who, &r->arena, &users);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	for (size_t i = 0; i < users.n; i++) {
		struct tvars *u = tv_add(v, "accounts");
		tv_set_int(u, "id", users.items[i].id);
		tv_set(u, "name", users.items[i].name);
		tv_set(u, "email", users.items[i].email);
		tv_set(u, "role", i18n_choice(r->lang, "role", role_name(users.items[i].role)));
		tv_set_bool(u, "inactive", !users.items[i].active);
		tv_set_bool(u, "pending", users.items[i].must_change_password);
	}
	page_render(r, "admin_accounts", v, "accounts.title");
}

static const char *account_error_key(int rc, enum account_field bad)
{
	if (rc == VD_ERR_EXISTS)
		return "accounts.email_taken";
	if (bad == AF_SELF)
		return "accounts.self_lockout";
	switch (bad) {
	case AF_NAME: return "accounts.bad_name";
	case AF_EMAIL: return "accounts.bad_email";
	case AF_ROLE: return "accounts.bad_role";
	case AF_UNITS: return "accounts.bad_units";
	default: break;
	}
	return rc == VD_ERR_INVALID ? "form.invalid" : "error.500.text";
}

/* The account fields of a form; units are checkboxes named "unit". */
static int account_from_form(struct req *r, struct account_input *in)
{
	memset(in, 0, sizeof *in);
	in->name = form_str(r, "name");
	in->email = form_str(r, "email");
	in->role = role_parse(form_str(r, "role"));
	in->active = *form_str(r, "active") != '\0';
	size_t n = kv_count(&r->form, "unit");
	in->units.ids = arena_alloc(&r->arena, (n ? n : 1) * sizeof *in->units.ids);
	if (!in->units.ids)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.items[i].name, "unit") != 0)
			continue;
		int64_t id;
		if (text_parse_i64(r->form.items[i].value, 1, INT64_MAX, &id))
			return VD_ERR_INVALID;
		in->units.ids[in->units.n++] = id;
	}
	return VD_OK;
}

/* Fills the shared account form (name, email, role, unit checkboxes). */
static int account_form_vars(struct req *r, struct tvars *v, const struct account_input *in)
{
	tv_set(v, "name", in->name);
	tv_set(v, "email", in->email);
	tv_set_bool(v, "active", in->active);
	role_options(r, v, in->role);
	struct unit_list units, tree;
	int *depth;
	int rc = unit_list(r->vd, &r->arena, &units);
	if (rc == VD_OK)
		rc = unit_tree(&r->arena, &units, &tree, &depth);
	for (size_t i = 0; rc == VD_OK && i < tree.n; i++) {
		struct tvars *o = tv_add(v, "units");
		tv_set_int(o, "id", tree.items[i].id);
		tv_setf(o, "label", "%.*s%s", depth[i] * 4, "– – – – – – ", tree.items[i].name);
		bool on = false;
		for (size_t j = 0; j < in->units.n; j++)
			on |= in->units.ids[j] == tree.items[i].id;
		tv_set_bool(o, "checked", on);
	}
	if (rc == VD_OK) {
		const char *fields = render_fragment(r, "account_fields", v);
		if (!fields)
			return VD_ERR_NOMEM;
		tv_set(v, "fields", fields);
	}
	return rc;
}

static void account_new_page(struct req *r, const struct account_input *in, const char *error_key)
{
	struct tvars *v = page_vars(r);
	if (account_form_vars(r, v, in)) {
		req_error(r, 500);
		return;
	}
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	page_render(r, "admin_account_new", v, "accounts.new_title");
}

void h_account_new_form(struct req *r)
{
	struct account_input in = { .name = "", .email = "", .role = ROLE_COUNSELLOR, .active = 1 };
	account_new_page(r, &in, NULL);
}

/* The one page that shows an activation password: once, never stored. */
static void show_activation(struct req *r, const char *name, const char *email, char *pw, bool is_new)
{
	struct tvars *v = page_vars(r);
	tv_set(v, "name", name);
	tv_set(v, "email", email);
	tv_set(v, "password", arena_strdup(&r->arena, pw));
	tv_set_bool(v, "is_new", is_new);
	wipe(pw, ACTIVATION_PASSWORD_LEN + 1);
	page_render(r, "admin_activation", v, is_new ? "accounts.created_title" : "accounts.reset_title");
}

void h_account_new(struct req *r)
{
	struct account_input in;
	enum account_field bad = AF_NONE;
	int64_t id = 0;
	char pw[ACTIVATION_PASSWORD_LEN + 1];
	int rc = account_from_form(r, &in);
	in.active = 1;
	if (rc == VD_OK)
		rc = account_create(r->vd, r->who, &in, &id, pw, &bad);
	if (rc == VD_ERR_DENIED) {
		req_fail(r, rc);
		return;
	}
	if (rc) {
		r->status = (rc == VD_ERR_INVALID || rc == VD_ERR_EXISTS) ? 400 : 500;
		if (!in.units.ids)
			in.units.n = 0;
		account_new_page(r, &in, account_error_key(rc, bad));
		return;
	}
	log_event(LOG_INFO, "account-created", LF_USER, (long long)r->user->id, LF_RECORD, (long long)id, LF_END);
	show_activation(r, in.name, in.email, pw, true);
}

static void account_page(struct req *r, const struct account_input *in, const char *error_key,
			 const struct profile *p, const char *profile_error)
{
	struct tvars *v = page_vars(r);
	if (account_form_vars(r, v, in)) {
		req_error(r, 500);
		return;
	}
	tv_set_int(v, "id", r->id);
	tv_set_bool(v, "self", r->id == r->user->id);
	if (error_key)
		tv_set(v, "error", i18n_get(r->lang, error_key));
	if (kv_get(&r->query, "klaar"))
		tv_set_bool(v, "saved", true);
	if (p) {
		tv_set_bool(v, "counsellor", true);
		profile_form_vars(v, p);
		tv_setf(v, "action", "/beheer/accounts/%lld/profiel", (long long)r->id);
		tv_set_int(v, "counsellor_id", r->id);
		if (profile_error)
			tv_set(v, "profile_error", i18n_get(r->lang, profile_error));
		const char *form = render_fragment(r, "profile_form", v);
		if (!form) {
			req_error(r, 500);
			return;
		}
		tv_set(v, "profile_form", form);
	}
	page_render(r, "admin_account", v, "accounts.edit_title");
}

/* Loads the account r->id as form input, and its profile when a counsellor. */
static int load_account(struct req *r, struct account_input *in, struct profile *p, bool *is_counsellor)
{
	struct account u;
	memset(in, 0, sizeof *in);
	int rc = account_get(r->vd, r->who, &r->arena, r->id, &u, &in->units);
	if (rc)
		return rc;
	in->name = u.name;
	in->email = u.email;
	in->role = u.role;
	in->active = u.active;
	*is_counsellor = in->role == ROLE_COUNSELLOR;
	if (*is_counsellor)
		rc = profile_read(r->vd, r->who, &r->arena, r->id, p);
	return rc;
}

void h_account_form(struct req *r)
{
	struct account_input in;
	struct profile p;
	bool counsellor = false;
	int rc = load_account(r, &in, &p, &counsellor);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	account_page(r, &in, NULL, counsellor ? &p : NULL, NULL);
}

void h_account_edit(struct req *r)
{
	struct account_input in, current;
	struct profile p;
	bool counsellor = false;
	enum account_field bad = AF_NONE;
	int rc = load_account(r, &current, &p, &counsellor);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	rc = account_from_form(r, &in);
	if (rc == VD_OK)
		rc = account_update(r->vd, r->who, r->id, &in, &bad);
	if (rc == VD_ERR_NOTFOUND) {
		req_error(r, 404);
		return;
	}
	if (rc == VD_ERR_DENIED) {
		req_fail(r, rc);
		return;
	}
	if (rc) {
		r->status = rc == VD_ERR_INVALID || rc == VD_ERR_EXISTS ? 400 : 500;
		if (!in.units.ids)
			in.units.n = 0;
		account_page(r, &in, account_error_key(rc, bad), counsellor ? &p : NULL, NULL);
		return;
	}
	log_event(LOG_INFO, "account-updated", LF_USER, (long long)r->user->id, LF_RECORD, (long long)r->id, LF_END);
	char *to = arena_printf(&r->arena, "/beheer/accounts/%lld?klaar=1", (long long)r->id);
	req_redirect(r, to ? to : "/beheer/accounts");
}

void h_account_reset(struct req *r)
{
	struct account_input in;
	struct profile p;
	bool counsellor;
	int rc = load_account(r, &in, &p, &counsellor);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	char pw[ACTIVATION_PASSWORD_LEN + 1];
	rc = account_reset_password(r->vd, r->who, r->id, pw);
	if (rc) {
		req_fail(r, rc);
		return;
	}
	log_event(LOG_INFO, "password-reset", LF_USER, (long long)r->user->id, LF_RECORD, (long long)r->id, LF_END);
	show_activation(r, in.name, in.email, pw, false);
}

void h_account_profile(struct req *r)
{
	struct account_input in;
	struct profile current, p;
	bool counsellor = false;
	enum profile_field bad = PF_NONE;
	int rc = load_account(r, &in, &current, &counsellor);
	if (rc || !counsellor) {
		req_error(r, rc == VD_ERR_NOTFOUND || !counsellor ? 404 : 500);
		return;
	}
	rc = profile_from_form(r, r->id, &p);
	if (rc == VD_OK)
		rc = profile_save(r->vd, r->who, &p, &bad);
	if (rc == VD_ERR_DENIED) {
		req_fail(r, rc);
		return;
	}
	if (rc) {
		r->status = rc == VD_ERR_INVALID ? 400 : 500;
		account_page(r, &in, NULL, &p, rc == VD_ERR_INVALID ? profile_error_key(bad) : "error.500.text");
		return;
	}
	char *to = arena_printf(&r->arena, "/beheer/accounts/%lld?klaar=1", (long long)r->id);
	req_redirect(r, to ? to : "/beheer/accounts");
}

