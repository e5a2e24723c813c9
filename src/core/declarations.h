/*
 * declarations: a candidate's integrity declaration (DESIGN.md §3), from
 * the committee's invitation to its decision.
 *
 * The committee invites a candidate by name and e-mail address: that makes
 * the candidate's account (role "candidate") and sends a one-time link, with
 * which they choose a password (and so get a key pair). The candidate
 * answers the round's questions, saves and comes back, and submits: signing
 * the code of conduct in force for the round's unit, whose version and
 * moment are recorded. After submitting, nothing of theirs changes.
 *
 * The answers are under the declaration's own key, sealed to the candidate
 * and to the round (rounds.h); the committee's interview notes and the
 * reasons for its decision are under another key, sealed to the round
 * only: the candidate never reads them. A candidate sees their own
 * declarations and nothing else; members see those of their rounds.
 *
 * Retention: the decision sets the moment the declaration is destroyed
 * (config: retention_declined_days, retention_declined_consent_days,
 * retention_candidate_days); retention.h does it, with the candidate's
 * account once it has no declaration left.
 */
#ifndef VD_DECLARATIONS_H
#define VD_DECLARATIONS_H

#include <stdbool.h>

#include "../util/arena.h"
#include "app.h"
#include "rounds.h"

#define DECLARATION_ANSWER_MAX_CHARS 5000
#define DECLARATION_NOTES_MAX_CHARS 20000
#define DECLARATIONS_LIST_MAX 500
#define CANDIDATE_LINK_DAYS 14
#define CANDIDATE_TOKEN_HEX 64

/* "accepted", "declined", "withdrawn"; NULL-terminated. */
extern const char *const declaration_outcomes[];

struct declaration_answer {
	int64_t question_id;
	const char *question; /* as asked (after submitting) or as the round asks it now (a draft) */
	const char *answer;   /* "" when not answered */
};

struct declaration {
	int64_t id;
	int64_t round_id;
	const char *state;    /* "invited", "draft", "submitted", "decided" */
	struct round round;   /* the round's title, unit, dates */
	const char *candidate_name, *candidate_email;
	struct declaration_answer *answers;
	size_t nanswers;
	int64_t invited_at, saved_at, submitted_at;
	int64_t code_version_id, signed_at; /* the code of conduct signed; 0: not yet */
	bool late;                          /* the round's closing day is past: no more changes */
	bool answers_lost;                  /* the candidate's own view: a new password since, it no longer opens */
	/* the committee's part: only for its members */
	int64_t interview_on;
	const char *notes, *reasons;
	const char *outcome; /* "" until decided */
	bool keep_consent;
	int64_t decided_at, decided_by, purge_after;
};

struct declaration_list {
	struct declaration *items; /* without answers or notes */
	size_t n;
};

/* The field a refused form names. */
enum declaration_field {
	DCF_NONE, DCF_NAME, DCF_EMAIL, DCF_ACCOUNT, DCF_ANSWER, DCF_SIGN, DCF_VERSION, DCF_LATE, DCF_DAY, DCF_NOTES,
	DCF_OUTCOME, DCF_REASONS, DCF_CONSENT, DCF_STATE
};

/* ---- the committee ---- */

/*
 * A member invites a candidate to their round. A new address gets a new
 * candidate account and a one-time link: when mail is configured it is
 * mailed (*mailed true), otherwise it is in link (for the member to pass on;
 * the caller wipes it). A candidate who has an account already is told by
 * mail to log in; so is one whose account another round made, if no mail
 * goes out then (link "" and *mailed false: they find this round once they
 * log in). VD_ERR_INVALID with *bad (DCF_ACCOUNT: the address is a staff
 * account's), VD_ERR_EXISTS: invited to this round already.
 */
int candidate_invite(struct vd *vd, const struct principal *who, int64_t round_id, const char *name,
		     const char *email, char link[CANDIDATE_TOKEN_HEX + 1], bool *mailed, int64_t *id,
		     enum declaration_field *bad);

/* A new link for a candidate who has not submitted yet (it replaces the
 * one before): a link not used, or a password forgotten. Spending it sets
 * a new password and key pair; their drafts then start again (nothing
 * sealed to the old pair opens) and their sessions end. VD_ERR_INVALID
 * after the submission; VD_ERR_INUSE when it would be shown to who (no
 * mail) while another round's declaration hangs on the account. */
int candidate_link_renew(struct vd *vd, const struct principal *who, int64_t declaration_id,
			 char link[CANDIDATE_TOKEN_HEX + 1], bool *mailed);

/* The declarations of a round of who's. */
int declaration_list_round(struct vd *vd, const struct principal *who, struct arena *a, int64_t round_id,
			   struct declaration_list *out);

/* One declaration of a round of who's, opened (audited); its answers
 * only once the candidate submitted it. */
int declaration_review(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		       struct declaration *out);

/* The interview: its day and the notes (replacing earlier notes), after
 * the candidate submitted and before the decision. */
int declaration_interview(struct vd *vd, const struct principal *who, int64_t id, int64_t day, const char *notes,
			  enum declaration_field *bad);

/* The decision, once: "accepted" or "declined" after submitting,
 * "withdrawn" at any time before. keep_consent only for a candidate not
 * chosen. It sets the end of the declaration's term. */
int declaration_decide(struct vd *vd, const struct principal *who, int64_t id, const char *outcome,
		       const char *reasons, bool keep_consent, enum declaration_field *bad);

/* ---- the candidate ---- */

/* Spends a one-time link: the candidate's password is set (the policy of
 * accounts.h) and their key pair made (after a forgotten password: a new
 * pair, see candidate_link_renew). email gets their address, for the
 * caller to log them in with. VD_ERR_NOTFOUND for an unknown, used or
 * expired link (one answer); VD_ERR_INVALID for a password the policy
 * refuses (the link is then not spent). */
int candidate_accept(struct vd *vd, const char *token, const char *password, char email[256]);

/* Whether the link still works (it spends nothing): for its page to say
 * so before a password is chosen. */
bool candidate_link_valid(struct vd *vd, const char *token);

/* The candidate's own declarations. */
int declaration_mine(struct vd *vd, const struct principal *who, struct arena *a, struct declaration_list *out);

/* One of the candidate's own, opened with their key. */
int declaration_own(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		    struct declaration *out);

/* The candidate's answers: answers[i] answers question ids[i]; questions
 * not given keep their answer. With submit, every question must be
 * answered and sign must be the id of the code of conduct version in
 * force (document_current for the round's unit): DCF_VERSION when another
 * was adopted meanwhile. On VD_ERR_INVALID, *bad (and *bad_question, for
 * DCF_ANSWER) say what. */
int declaration_save(struct vd *vd, const struct principal *who, int64_t id, const int64_t *ids,
		     const char *const *answers, size_t n, bool submit, int64_t sign, enum declaration_field *bad,
		     int64_t *bad_question);

#endif
