/*
 * web: the HTTP front end. This header holds what handlers see: the request,
 * how to answer it, and the route table entry.
 *
 * Life of a request (server.c): headers arrive -> a struct req with its own
 * arena is made -> the body is collected under a cap -> the router finds the
 * route, checks method, session, role and CSRF token -> the handler fills in
 * the answer -> security headers are added -> the access log gets one line of
 * allowlisted fields -> the arena is released.
 */
#ifndef VD_WEB_H
#define VD_WEB_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/app.h"
#include "../core/files.h"
#include "../core/sessions.h"
#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/wipe.h"
#include "form.h"
#include "template.h"

enum method { M_OTHER = 0, M_GET = 1, M_HEAD = 2, M_POST = 4 };

struct req;
typedef void (*handler_fn)(struct req *r);

/* Route flags */
#define R_PUBLIC 0x1   /* no session needed */
#define R_CACHE 0x2    /* public page that may be served from the page cache */
#define R_ANYROLE 0x4  /* any logged-in staff role */
#define R_PWCHANGE 0x8 /* reachable while a password change is pending */
#define R_BIGBODY 0x10 /* a public form that takes long texts (the report form) */
#define R_UPLOAD 0x20  /* takes multipart/form-data with files (files.h caps) */
#define R_FACTOR 0x40  /* reachable while the login's second factor is due */
#define R_FACTORSETUP 0x80 /* reachable while a required second factor is not set up */

#define ROLE_BIT(r) (1u << (r))

struct route {
	const char *pattern; /* "/beheer/accounts/:id"; ":id" a positive number, ":slug" [a-z0-9._-] */
	unsigned methods;    /* M_GET | M_POST ...; HEAD goes with GET */
	unsigned flags;
	unsigned roles;      /* ROLE_BIT()s allowed when not R_PUBLIC/R_ANYROLE */
	handler_fn get;      /* GET and HEAD */
	handler_fn post;
};

struct header {
	const char *name;
	const char *value;
};

#define REQ_MAX_HEADERS 12

struct req {
	struct vd *vd;
	struct arena arena;
	enum method method;
	const char *path;
	const struct route *route;
	int64_t id;          /* the :id segment */
	const char *slug;    /* the :slug segment */
	struct kv_list query;
	struct kv_list form; /* parsed body of a POST */
	/* Files of a multipart POST, received and encrypted (R_UPLOAD routes).
	 * The server discards whatever the core did not attach. */
	struct upload *uploads[FILES_MAX];
	size_t nuploads;
	bool uploads_too_many;        /* more files were sent than FILES_MAX */
	const char *form_note;        /* a message for the top of a form page */
	struct kv_list cookies;
	const char *lang;    /* "nl" or "en" */
	const struct principal *who;  /* the logged-in user, for the core; NULL when not logged in */
	const struct account *user;   /* the same user, for the page; NULL when not logged in */
	const char *session_token;    /* the cookie value, when logged in */
	bool session_checked;         /* the session cookie was already looked up */
	const char *pre_token;        /* pre-session cookie (forms before login) */
	const unsigned char *source;  /* client address bytes: login throttle only, never stored */
	size_t source_len;
	const char *forwarded;        /* X-Forwarded-For, when the config trusts a proxy */

	/* The answer */
	int status;
	struct buf out;
	const char *content_type;
	struct header headers[REQ_MAX_HEADERS];
	int nheaders;
	bool no_store;          /* Cache-Control: no-store (default for anything with a session) */
	struct file_reader *download; /* the answer is this file, streamed (then out is unused) */
	int64_t download_size;
	bool cacheable;         /* the handler's output may go to the page cache */
};

/* ---- answering (render.c) ---- */

/* Adds a response header (name and value must outlive the request). */
void req_header(struct req *r, const char *name, const char *value);
/* Sets a cookie: HttpOnly, SameSite=Strict, Path=/, Secure when configured.
 * max_age < 0: session cookie; 0: delete. */
void req_cookie(struct req *r, const char *name, const char *value, long max_age);
/* The name of one of our cookies: "__Host-" prefixed when secure_cookies. */
const char *req_cookie_name(const struct req *r, const char *base);
/* 303 See Other to a local path. */
void req_redirect(struct req *r, const char *path);
/* An error page for status (400, 403, 404, 405, 413, 500) in the request's
 * language; never shows anything from the request. */
void req_error(struct req *r, int status);
/* 429 Too Many Requests with Retry-After; the handler then renders its page. */
void req_throttled(struct req *r, int64_t retry_after);
/* 503 Service Unavailable with Retry-After (seconds, a literal): busy, try again. */
void req_unavailable(struct req *r, const char *retry_after);
/* Looks up the vd_session cookie once; sets r->who and r->user when it is valid. */
void req_load_session(struct req *r);
/* For an unexpected core error: DENIED -> 403, NOTFOUND -> 404, BUSY -> 503,
 * else 500. */
void req_fail(struct req *r, int rc);
/* Same, with the text of translation key (e.g. "error.csrf") as the explanation. */
void req_error_key(struct req *r, int status, const char *key);

/* The configuration the server runs with. */
const struct config *req_config(const struct req *r);

/* ---- CSRF (csrf.c) ---- */

/* The token for forms on this page (an arena string): bound to the session,
 * or before login to a pre-session cookie that is set here when missing. */
const char *csrf_token(struct req *r);
/* True if a POST carries the right token for its session or pre-session
 * cookie (compared in constant time). */
bool csrf_valid(struct req *r);

/* Variables every page has: language, organisation, user, CSRF token, paths. */
struct tvars *page_vars(struct req *r);
/* Renders body template name with v, wraps it in the layout with title_key's
 * translation as the <title> and <h1>. Errors become a 500 page. */
void page_render(struct req *r, const char *name, struct tvars *v, const char *title_key);
/* Same with a title that is already text (escaped by the layout). */
void page_render_title(struct req *r, const char *name, struct tvars *v, const char *title);

/* Renders template name with v into an arena string, for inclusion with
 * {{raw name}} in a page. NULL on failure (then the page fails too). */
const char *render_fragment(struct req *r, const char *name, struct tvars *v);

/* Options of a closed list, each labelled with the translation of
 * "<prefix>.<value>", the one equal to selected marked. */
void tv_choices(struct req *r, struct tvars *v, const char *list_name, const char *prefix,
		const char *const *values, const char *selected);
/* The page again after a refused form: what it sent as k_<form>_<field>
 * (the token left out), and for each bit b set in errs the translation of
 * keys[b] ("area.error.<form>.<field>") as e_<form>_<field>. */
void tv_refused_form(struct req *r, struct tvars *v, const char *form, unsigned errs, const char *const *keys,
		     size_t nkeys);
/* A moment as "DD-MM-YYYY HH:MM" (local time), in the arena. */
const char *req_time_text(struct req *r, int64_t t);
/* A date (an epoch day, util/date.h) as people here write it, "DD-MM-YYYY";
 * "" for none. */
const char *req_day_text(struct req *r, int64_t day);
/* The same as a form's value, "YYYY-MM-DD" (<input type="date">); "" for none. */
const char *req_day_value(struct req *r, int64_t day);

/* The checkboxes called name as a bit set over names[0..count); false when
 * a value is not one of them (the known ones are still in *set). */
bool form_bits(struct req *r, const char *name, const char *const *names, int count, int64_t *set);

/* The form field, trimmed; "" when absent. */
const char *form_str(struct req *r, const char *name);
/* A record id from a form field (a positive number), 0 if it is none. */
int64_t form_record_id(struct req *r, const char *name);
/* The form field as sent (a long text, whose spaces and lines are the
 * writer's); "" when absent. */
const char *form_text(const struct req *r, const char *name);

/* ---- routing (router.c) ---- */
extern const struct route routes[];
extern const size_t route_count;
/* Finds the route for path; *path_match is false if no pattern matches. */
const struct route *router_match(struct req *r, const char *path, bool *path_match);
/* Runs the request through checks and its handler. */
void router_dispatch(struct req *r);

/* ---- handlers ---- */
void h_home(struct req *r);
void h_directory(struct req *r);
void h_counsellor(struct req *r);
void h_confidentiality(struct req *r);
void h_document(struct req *r);
void h_document_version(struct req *r);
void h_candidate_link_form(struct req *r);
void h_candidate_link(struct req *r);
void h_declarations(struct req *r);
void h_declaration_form(struct req *r);
void h_declaration_save(struct req *r);
void h_rounds(struct req *r);
void h_round_new_form(struct req *r);
void h_round_new(struct req *r);
void h_round(struct req *r);
void h_round_invite(struct req *r);
void h_round_relink(struct req *r);
void h_round_member(struct req *r);
void h_round_declaration(struct req *r);
void h_declaration_interview(struct req *r);
void h_declaration_decide(struct req *r);
void h_lang(struct req *r);
void h_static(struct req *r);
void h_login_form(struct req *r);
void h_login(struct req *r);
void h_logout(struct req *r);
void h_start(struct req *r);
void h_password_form(struct req *r);
void h_password(struct req *r);
void h_own_profile_form(struct req *r);
void h_own_profile(struct req *r);
void h_report_form(struct req *r);
void h_report(struct req *r);
void h_report_behalf_form(struct req *r);
void h_report_behalf(struct req *r);
void h_mailbox_form(struct req *r);
void h_mailbox(struct req *r);
void h_mailbox_file(struct req *r);
void h_invitation_form(struct req *r);
void h_invitation(struct req *r);
void h_cases(struct req *r);
void h_case(struct req *r);
void h_case_message(struct req *r);
void h_case_note(struct req *r);
void h_case_file(struct req *r);
void h_case_work(struct req *r);
void h_case_phase(struct req *r);
void h_case_progress(struct req *r);
void h_case_outcome(struct req *r);
void h_case_contact(struct req *r);
void h_case_appointment(struct req *r);
void h_case_consent(struct req *r);
void h_case_forward(struct req *r);
void h_case_handover(struct req *r);
void h_case_conflict(struct req *r);
void h_case_exception_form(struct req *r);
void h_case_exception(struct req *r);
void h_dashboard(struct req *r);
void h_counsellor_log(struct req *r);
void h_counsellor_log_add(struct req *r);
void h_counsellor_log_delete(struct req *r);
void h_wb_form(struct req *r);
void h_wb_submit(struct req *r);
void h_wb_mailbox_form(struct req *r);
void h_wb_mailbox(struct req *r);
void h_wb_list(struct req *r);
/* pages_twofactor.c */
void h_factor_form(struct req *r);
void h_factor(struct req *r);
void h_twofactor(struct req *r);
void h_twofactor_begin(struct req *r);
void h_twofactor_finish(struct req *r);
void h_twofactor_off(struct req *r);
/* The hand-over form's colleagues and reasons (pages_casework.c). */
void set_colleagues(struct req *r, struct tvars *v);
/* pages_escrow.c */
void h_escrow(struct req *r);
void h_escrow_request(struct req *r);
void h_escrow_approve(struct req *r);
void h_escrow_cancel(struct req *r);
void h_handover_all_form(struct req *r);
void h_handover_all(struct req *r);
/* pages_annual.c */
void h_annual_list(struct req *r);
void h_annual(struct req *r);
void h_annual_step(struct req *r);
void h_wb_new_form(struct req *r);
void h_wb_new(struct req *r);
void h_wb_report(struct req *r);
void h_wb_ack(struct req *r);
void h_wb_message(struct req *r);
void h_wb_note(struct req *r);
void h_wb_minutes(struct req *r);
void h_wb_assess(struct req *r);
void h_wb_close(struct req *r);
void h_wb_consent(struct req *r);
void h_wb_disclose(struct req *r);
void h_wb_identity(struct req *r);
void h_wb_file(struct req *r);
void h_complaints(struct req *r);
void h_complaint(struct req *r);
void h_complaint_clocks(struct req *r);
void h_complaint_new_form(struct req *r);
void h_complaint_new(struct req *r);
void h_complaint_step(struct req *r);
void h_complaint_extend(struct req *r);
void h_complaint_incident(struct req *r);
void h_complaint_party(struct req *r);
void h_complaint_letter(struct req *r);
void h_complaint_hearing(struct req *r);
void h_complaint_minutes(struct req *r);
void h_complaint_form(struct req *r);
void h_complaint_submit(struct req *r);
void h_complaint_file(struct req *r);
void h_complaint_mailbox_form(struct req *r);
void h_complaint_mailbox(struct req *r);
void h_supported(struct req *r);
void h_support(struct req *r);
void h_admin(struct req *r);
void h_units(struct req *r);
void h_unit_add(struct req *r);
void h_unit_form(struct req *r);
void h_unit_edit(struct req *r);
void h_unit_delete(struct req *r);
void h_accounts(struct req *r);
void h_account_new_form(struct req *r);
void h_account_new(struct req *r);
void h_account_form(struct req *r);
void h_account_edit(struct req *r);
void h_account_reset(struct req *r);
void h_account_profile(struct req *r);
void h_documents(struct req *r);
void h_document_form(struct req *r);
void h_document_save(struct req *r);
void h_audit(struct req *r);

/* The stylesheet's versioned path ("/static/style-<hash>.css"). */
const char *static_css_path(void);
int static_init(void);

/* ---- server (server.c) ---- */
struct server;
/* Starts listening on addr ("127.0.0.1:8080"). */
int server_start(struct vd *vd, const char *addr, struct server **out, char *err, size_t errlen);
void server_stop(struct server *s);
/* The port actually bound (useful with port 0). */
int server_port(const struct server *s);
/* Public page cache (render.c) */
void page_cache_clear(void);

#endif
