/* pages: helpers shared by the page modules. */
#ifndef VD_PAGES_H
#define VD_PAGES_H

#include "../core/complaints.h"
#include "../core/profiles.h"
#include "web.h"

/* Fills p_* variables for the profile form fields. */
void profile_form_vars(struct tvars *v, const struct profile *p);
/* Reads the profile form fields; VD_ERR_INVALID for a bad checkbox value. */
int profile_from_form(struct req *r, int64_t user_id, struct profile *p);
/* The translation key explaining a bad profile field. */
const char *profile_error_key(enum profile_field f);

/* The options "units" of a unit <select> (pages_complaint_mailbox.c):
 * tree order, each indented by its depth, the one the form sent marked, or
 * the only one when there is one. */
void unit_choices(struct req *r, struct tvars *v, const struct unit_list *tree, const int *depth);

/* ---- logging in (pages_auth.c) ---- */

/* After a good session_login: the session's cookie (token), the device
 * cookie, and the log line; true if the second factor's code comes next. */
bool login_cookies(struct req *r, const char *token, const struct account *u);

/* ---- files (pages_report.c) ---- */

/* What is wrong with this POST's files: a translation key, or NULL. */
const char *uploads_problem(const struct req *r);
/* The file input of a form (id: its element id). When the form comes back
 * after a POST, it says what was wrong with the files, or, if something
 * else was wrong, that the files must be chosen again (a browser never
 * fills in a file input, and we keep nothing of a refused form). */
const char *file_input(struct req *r, struct tvars *v, const char *id, bool after_post);
/* The files of files[0..n) that came with message_id: download buttons
 * posting the code to code_action (a mailbox), or links to link_base
 * followed by the file's id. "" when there are none. */
const char *files_html(struct req *r, struct tvars *v, const struct case_file *files, size_t n, int64_t message_id,
		       const char *code_action, const char *link_base);
/* Answers with the file, decrypted while it is sent; or, when the core
 * could not open it (rc), says why. */
void send_file(struct req *r, int rc, const struct case_file *f, struct file_reader *fr);

/* A refused receipt code: the form of form_page again (status 400, or 429
 * when throttled), saying why; unknown_key for a code that opens nothing. */
void code_refused_page(struct req *r, enum code_result res, int64_t retry, void (*form_page)(struct req *, const char *),
		       const char *unknown_key);

/* ---- a complaint's page (pages_committee.c, pages_committee_sides.c) ---- */

/* Which form a refused POST came from, and what was wrong with it. */
struct complaint_refused {
	const char *form;        /* "step", "extend", "incident", "party", "letter", "hearing", "minutes" */
	field_errors errs;
	const char *const *keys; /* the error text per field bit (translation keys) */
	size_t nkeys;
};

/* The shared fields of a complaint's entry (the secretary's form and the
 * public one): what was typed, the errors next to their fields, and the
 * fragment complaint_fields with the hints of prefix ("complaint_new" or
 * "complaint_form"). */
struct entry_error {
	enum entry_field field;
	const char *id, *key;
};
void complaint_entry_vars(struct req *r, struct tvars *v, field_errors errs, const struct entry_error *errors,
			  size_t n, const char *prefix);

/* After a form on the complaint's page: back to part of it (303) when
 * accepted, the page again with the reasons when refused. */
void complaint_answer(struct req *r, int rc, const struct complaint_refused *fr, const char *part);

/* The parties, letters, hearings and their forms' choices. */
void complaint_sides_vars(struct req *r, struct tvars *v, const struct complaint_file *f,
			  const struct complaint_refused *fr);

/* Letters and hearings as lists "letters" and "hearings" (sd: the
 * committee's view, with the parties' names; NULL in a mailbox). me: the
 * party whose reaction to minutes is asked ("can_react"), 0 for none. */
void complaint_letters_vars(struct req *r, struct tvars *v, const struct letter_view *ls, size_t n,
			    const struct complaint_sides *sd, const struct hearing_view *hs, size_t nh);
void complaint_hearings_vars(struct req *r, struct tvars *v, const struct hearing_view *hs, size_t n,
			     const struct complaint_sides *sd, int64_t me);

/* ---- the whistleblower channel (pages_whistle.c, pages_wb_mailbox.c) ---- */

struct wb_input;
struct wb_report;
/* The report's form: units, choices, what was typed, errors (a list for the
 * summary and err_<field> beside each); the officer's fields when officer. */
void wb_form_vars(struct req *r, struct tvars *v, field_errors errs, const struct unit_list *units, const int *depth,
		  bool officer);
void wb_input_from_form(struct req *r, struct wb_input *in);

/* A refused form on a report's page: which (and which item: minutes or a
 * question of consent), why, and what was typed in its text. */
struct wb_refused {
	const char *form;
	int64_t ref;
	const char *message, *typed;
};
/* The report as its page shows it: facts, clocks, timeline, minutes and
 * questions of consent, with the forms of officer or reporter. */
void wb_report_vars(struct req *r, struct tvars *v, const struct wb_report *rep, bool officer,
		    const struct wb_refused *fr);

#endif
