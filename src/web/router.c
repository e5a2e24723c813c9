/*
 * router: the route table and the checks every request passes before its
 * handler runs — method (405), session (redirect to login), role (403),
 * pending password change, and the CSRF token of every POST (403).
 *
 * The table is the one place that says who may reach what; the core checks
 * the same rules again on every record it touches.
 */
#include <string.h>

#include "../core/links.h"
#include "../core/sessions.h"
#include "../core/twofactor.h"
#include "../util/text.h"
#include "web.h"

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define COUNSELLOR ROLE_BIT(ROLE_COUNSELLOR)
#define COMMITTEE ROLE_BIT(ROLE_COMMITTEE)
#define INTEGRITY ROLE_BIT(ROLE_INTEGRITY)
#define READER ROLE_BIT(ROLE_READER)
#define CANDCOMM ROLE_BIT(ROLE_CANDIDATE_COMMITTEE)
#define CANDIDATE ROLE_BIT(ROLE_CANDIDATE)

const struct route routes[] = {
	{ "/", M_GET, R_PUBLIC | R_CACHE, 0, h_home, NULL },
	{ "/vertrouwenspersonen", M_GET, R_PUBLIC | R_CACHE, 0, h_directory, NULL },
	{ "/vertrouwenspersonen/:id", M_GET, R_PUBLIC | R_CACHE, 0, h_counsellor, NULL },
	{ "/vertrouwelijkheid", M_GET, R_PUBLIC | R_CACHE, 0, h_confidentiality, NULL },
	{ "/documenten/:slug", M_GET, R_PUBLIC | R_CACHE, 0, h_document, NULL },
	{ "/documenten/:slug/versies/:id", M_GET, R_PUBLIC | R_CACHE, 0, h_document_version, NULL },
	{ "/taal/:slug", M_GET, R_PUBLIC, 0, h_lang, NULL },
	{ "/static/:slug", M_GET, R_PUBLIC, 0, h_static, NULL },
	{ "/melden", M_GET | M_POST, R_PUBLIC | R_BIGBODY | R_UPLOAD, 0, h_report_form, h_report },
	{ LINK_MAILBOX, M_GET | M_POST, R_PUBLIC | R_BIGBODY | R_UPLOAD, 0, h_mailbox_form, h_mailbox },
	{ LINK_MAILBOX "/bestand", M_POST, R_PUBLIC, 0, NULL, h_mailbox_file },
	{ LINK_COMPLAINT_FORM, M_GET | M_POST, R_PUBLIC | R_BIGBODY | R_UPLOAD, 0, h_complaint_form, h_complaint_submit },
	{ LINK_COMPLAINT_MAILBOX, M_GET | M_POST, R_PUBLIC | R_BIGBODY, 0, h_complaint_mailbox_form, h_complaint_mailbox },
	{ LINK_WB_FORM, M_GET | M_POST, R_PUBLIC | R_BIGBODY | R_UPLOAD, 0, h_wb_form, h_wb_submit },
	{ LINK_WB_MAILBOX, M_GET | M_POST, R_PUBLIC | R_BIGBODY | R_UPLOAD, 0, h_wb_mailbox_form, h_wb_mailbox },
	{ LINK_INVITATION ":slug", M_GET | M_POST, R_PUBLIC, 0, h_invitation_form, h_invitation },
	{ LINK_CANDIDATE_LINK ":slug", M_GET | M_POST, R_PUBLIC, 0, h_candidate_link_form, h_candidate_link },
	{ "/login", M_GET | M_POST, R_PUBLIC, 0, h_login_form, h_login },
	{ "/uitloggen", M_POST, R_ANYROLE | R_PWCHANGE | R_FACTOR | R_FACTORSETUP, 0, NULL, h_logout },
	{ "/login/code", M_GET | M_POST, R_ANYROLE | R_FACTOR, 0, h_factor_form, h_factor },
	{ "/tweestaps", M_GET | M_POST, R_ANYROLE | R_FACTORSETUP, 0, h_twofactor, h_twofactor_begin },
	{ "/tweestaps/bevestigen", M_POST, R_ANYROLE | R_FACTORSETUP, 0, NULL, h_twofactor_finish },
	{ "/tweestaps/uit", M_POST, R_ANYROLE, 0, NULL, h_twofactor_off },
	{ "/start", M_GET, R_ANYROLE, 0, h_start, NULL },
	{ "/wachtwoord", M_GET | M_POST, R_ANYROLE | R_PWCHANGE, 0, h_password_form, h_password },
	{ "/profiel", M_GET | M_POST, 0, COUNSELLOR, h_own_profile_form, h_own_profile },
	{ LINK_CASES, M_GET, 0, COUNSELLOR, h_cases, NULL },
	{ "/dossiers/nieuw", M_GET | M_POST, R_UPLOAD, COUNSELLOR, h_report_behalf_form, h_report_behalf },
	{ "/dossiers/overdragen", M_GET | M_POST, 0, COUNSELLOR, h_handover_all_form, h_handover_all },
	{ "/dossiers/:id", M_GET, 0, COUNSELLOR, h_case, NULL },
	{ "/dossiers/:id/bericht", M_POST, R_UPLOAD, COUNSELLOR, NULL, h_case_message },
	{ "/dossiers/:id/notitie", M_POST, R_UPLOAD, COUNSELLOR, NULL, h_case_note },
	{ "/dossiers/:id/bestand/:slug", M_GET, 0, COUNSELLOR, h_case_file, NULL },
	{ "/dossiers/:id/werk", M_GET, 0, COUNSELLOR, h_case_work, NULL },
	{ "/dossiers/:id/fase", M_POST, 0, COUNSELLOR, NULL, h_case_phase },
	{ "/dossiers/:id/voortgang", M_POST, 0, COUNSELLOR, NULL, h_case_progress },
	{ "/dossiers/:id/uitkomst", M_POST, 0, COUNSELLOR, NULL, h_case_outcome },
	{ "/dossiers/:id/gesprek", M_POST, 0, COUNSELLOR, NULL, h_case_contact },
	{ "/dossiers/:id/afspraak", M_POST, 0, COUNSELLOR, NULL, h_case_appointment },
	{ "/dossiers/:id/toestemming", M_POST, 0, COUNSELLOR, NULL, h_case_consent },
	{ "/dossiers/:id/klacht", M_POST, 0, COUNSELLOR, NULL, h_case_forward },
	{ "/dossiers/:id/overdragen", M_POST, 0, COUNSELLOR, NULL, h_case_handover },
	{ "/dossiers/:id/belangenconflict", M_POST, 0, COUNSELLOR, NULL, h_case_conflict },
	{ "/dossiers/:id/uitzondering", M_GET | M_POST, 0, COUNSELLOR, h_case_exception_form, h_case_exception },
	{ "/overzicht", M_GET, 0, COUNSELLOR, h_dashboard, NULL },
	{ "/logboek", M_GET | M_POST, 0, COUNSELLOR, h_counsellor_log, h_counsellor_log_add },
	{ "/logboek/:id/verwijderen", M_POST, 0, COUNSELLOR, NULL, h_counsellor_log_delete },
	{ LINK_COMPLAINTS, M_GET, 0, COMMITTEE, h_complaints, NULL },
	{ "/klachten/nieuw", M_GET | M_POST, R_UPLOAD, COMMITTEE, h_complaint_new_form, h_complaint_new },
	{ "/klachten/termijnen", M_GET, 0, COMMITTEE, h_complaint_clocks, NULL },
	{ "/klachten/:id", M_GET, 0, COMMITTEE, h_complaint, NULL },
	{ "/klachten/:id/stap", M_POST, 0, COMMITTEE, NULL, h_complaint_step },
	{ "/klachten/:id/verlengen", M_POST, 0, COMMITTEE, NULL, h_complaint_extend },
	{ "/klachten/:id/voorval", M_POST, 0, COMMITTEE, NULL, h_complaint_incident },
	{ "/klachten/:id/bestand/:slug", M_GET, 0, COMMITTEE, h_complaint_file, NULL },
	{ "/klachten/:id/partij", M_POST, 0, COMMITTEE, NULL, h_complaint_party },
	{ "/klachten/:id/brief", M_POST, 0, COMMITTEE, NULL, h_complaint_letter },
	{ "/klachten/:id/hoorzitting", M_POST, 0, COMMITTEE, NULL, h_complaint_hearing },
	{ "/klachten/:id/verslag", M_POST, 0, COMMITTEE, NULL, h_complaint_minutes },
	{ LINK_WB, M_GET, 0, INTEGRITY, h_wb_list, NULL },
	{ LINK_WB "/nieuw", M_GET | M_POST, R_UPLOAD, INTEGRITY, h_wb_new_form, h_wb_new },
	{ LINK_WB "/:id", M_GET, 0, INTEGRITY, h_wb_report, NULL },
	{ LINK_WB "/:id/ontvangst", M_POST, 0, INTEGRITY, NULL, h_wb_ack },
	{ LINK_WB "/:id/bericht", M_POST, 0, INTEGRITY, NULL, h_wb_message },
	{ LINK_WB "/:id/notitie", M_POST, 0, INTEGRITY, NULL, h_wb_note },
	{ LINK_WB "/:id/verslag", M_POST, 0, INTEGRITY, NULL, h_wb_minutes },
	{ LINK_WB "/:id/beoordeling", M_POST, 0, INTEGRITY, NULL, h_wb_assess },
	{ LINK_WB "/:id/afsluiten", M_POST, 0, INTEGRITY, NULL, h_wb_close },
	{ LINK_WB "/:id/identiteit", M_POST, 0, INTEGRITY, NULL, h_wb_identity },
	{ LINK_WB "/:id/toestemming", M_POST, 0, INTEGRITY, NULL, h_wb_consent },
	{ LINK_WB "/:id/gedeeld", M_POST, 0, INTEGRITY, NULL, h_wb_disclose },
	{ LINK_WB "/:id/bestand/:slug", M_GET, 0, INTEGRITY, h_wb_file, NULL },
	{ LINK_SUPPORT, M_GET, 0, COUNSELLOR, h_supported, NULL },
	{ LINK_SUPPORT "/:id", M_GET, 0, COUNSELLOR, h_support, NULL },
	{ "/jaarverslagen", M_GET, 0, COUNSELLOR | READER, h_annual_list, NULL },
	{ "/jaarverslagen/:id/:slug", M_GET | M_POST, 0, COUNSELLOR | READER, h_annual, h_annual_step },
	{ "/herstel", M_GET | M_POST, 0, COUNSELLOR | COMMITTEE | INTEGRITY, h_escrow, h_escrow_request },
	{ "/herstel/:id/goedkeuren", M_POST, 0, COUNSELLOR | COMMITTEE | INTEGRITY, NULL, h_escrow_approve },
	{ "/herstel/:id/intrekken", M_POST, 0, COUNSELLOR | COMMITTEE | INTEGRITY, NULL, h_escrow_cancel },
	{ "/kandidaten", M_GET, 0, CANDCOMM, h_rounds, NULL },
	{ "/kandidaten/nieuw", M_GET | M_POST, 0, CANDCOMM, h_round_new_form, h_round_new },
	{ "/kandidaten/:id", M_GET, 0, CANDCOMM, h_round, NULL },
	{ "/kandidaten/:id/uitnodigen", M_POST, 0, CANDCOMM, NULL, h_round_invite },
	{ "/kandidaten/:id/nieuwe-link", M_POST, 0, CANDCOMM, NULL, h_round_relink },
	{ "/kandidaten/:id/lid", M_POST, 0, CANDCOMM, NULL, h_round_member },
	{ "/kandidaten/verklaringen/:id", M_GET, 0, CANDCOMM, h_round_declaration, NULL },
	{ "/kandidaten/verklaringen/:id/gesprek", M_POST, 0, CANDCOMM, NULL, h_declaration_interview },
	{ "/kandidaten/verklaringen/:id/besluit", M_POST, 0, CANDCOMM, NULL, h_declaration_decide },
	{ LINK_DECLARATION, M_GET, 0, CANDIDATE, h_declarations, NULL },
	{ LINK_DECLARATION "/:id", M_GET | M_POST, 0, CANDIDATE, h_declaration_form, h_declaration_save },
	{ "/beheer", M_GET, 0, ADMIN, h_admin, NULL },
	{ "/beheer/eenheden", M_GET | M_POST, 0, ADMIN, h_units, h_unit_add },
	{ "/beheer/eenheden/:id", M_GET | M_POST, 0, ADMIN, h_unit_form, h_unit_edit },
	{ "/beheer/eenheden/:id/verwijderen", M_POST, 0, ADMIN, NULL, h_unit_delete },
	{ "/beheer/accounts", M_GET, 0, ADMIN, h_accounts, NULL },
	{ "/beheer/accounts/nieuw", M_GET | M_POST, 0, ADMIN, h_account_new_form, h_account_new },
	{ "/beheer/accounts/:id", M_GET | M_POST, 0, ADMIN, h_account_form, h_account_edit },
	{ "/beheer/accounts/:id/wachtwoord", M_POST, 0, ADMIN, NULL, h_account_reset },
	{ "/beheer/accounts/:id/profiel", M_POST, 0, ADMIN, NULL, h_account_profile },
	{ "/beheer/documenten", M_GET, 0, ADMIN, h_documents, NULL },
	{ "/beheer/documenten/:slug", M_GET | M_POST, 0, ADMIN, h_document_form, h_document_save },
	{ "/beheer/audit", M_GET, 0, ADMIN, h_audit, NULL },
};
const size_t route_count = sizeof routes / sizeof routes[0];

static bool slug_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return s[0] != '.';
}

/* Matches one pattern; fills r->id / r->slug. */
static bool match(struct req *r, const char *pattern, const char *path)
{
	const char *p = pattern, *u = path;
	while (*p && *u) {
		if (*p != '/' || *u != '/')
			return false;
		p++;
		u++;
		const char *pe = strchr(p, '/'), *ue = strchr(u, '/');
		size_t pn = pe ? (size_t)(pe - p) : strlen(p);
		size_t un = ue ? (size_t)(ue - u) : strlen(u);
		if (pn == 3 && memcmp(p, ":id", 3) == 0) {
			char num[20];
			int64_t id;
			if (un == 0 || un >= sizeof num)
				return false;
			memcpy(num, u, un);
			num[un] = '\0';
			if (num[0] == '0' || text_parse_i64(num, 1, INT64_MAX, &id) != VD_OK)
				return false;
			r->id = id;
		} else if (pn == 5 && memcmp(p, ":slug", 5) == 0) {
			if (!slug_ok(u, un))
				return false;
			r->slug = arena_strndup(&r->arena, u, un);
		} else if (pn != un || memcmp(p, u, pn) != 0) {
			return false;
		}
		p += pn;
		u += un;
	}
	return *p == '\0' && *u == '\0';
}

const struct route *router_match(struct req *r, const char *path, bool *path_match)
{
	*path_match = false;
	for (size_t i = 0; i < route_count; i++) {
		if (match(r, routes[i].pattern, path)) {
			*path_match = true;
			return &routes[i];
		}
	}
	return NULL;
}

static bool method_allowed(const struct route *rt, enum method m)
{
	if (m == M_HEAD)
		m = M_GET;
	return (rt->methods & m) != 0;
}

void router_dispatch(struct req *r)
{
	const struct route *rt = r->route;
	if (!rt) {
		req_error(r, 404);
		return;
	}
	if (!method_allowed(rt, r->method)) {
		req_error(r, 405);
		return;
	}
	/* Public pages never look at the session: what they show is the same for
	 * everyone, which is what lets them be cached. */
	const char *token = kv_get(&r->cookies, req_cookie_name(r, "vd_session"));
	if (!(rt->flags & R_CACHE) && !r->session_checked)
		req_load_session(r);
	r->pre_token = kv_get(&r->cookies, req_cookie_name(r, "vd_pre"));

	if (!(rt->flags & R_PUBLIC)) {
		if (!r->who) {
			req_redirect(r, token ? "/login?verlopen=1" : "/login");
			return;
		}
		/* a right password, the one-time code still to come: that first */
		if (session_second_factor_due(r->who) && !(rt->flags & R_FACTOR)) {
			req_redirect(r, "/login/code");
			return;
		}
		if (!(rt->flags & R_ANYROLE) && !(rt->roles & ROLE_BIT(r->user->role))) {
			req_error(r, 403);
			return;
		}
		/* (a session with its code still due is past this only on /login/code) */
		bool due = session_second_factor_due(r->who);
		if (!due && r->user->must_change_password && !(rt->flags & R_PWCHANGE)) {
			req_redirect(r, "/wachtwoord");
			return;
		}
		/* a role that must have a second factor sets it up before anything else */
		if (!due && !r->user->must_change_password && !(rt->flags & R_FACTORSETUP) &&
		    twofactor_setup_needed(r->vd, r->who)) {
			req_redirect(r, "/tweestaps");
			return;
		}
	}
	if (r->method == M_POST) {
		if (!csrf_valid(r)) {
			req_error_key(r, 403, r->session_token || r->pre_token ? "error.csrf" : "error.cookies");
			return;
		}
		rt->post(r);
	} else {
		rt->get(r);
	}
}
