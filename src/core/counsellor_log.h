/*
 * counsellor_log: a counsellor's own log (DESIGN.md §3) — advice given to
 * managers or the board (asked for or not), training followed, peer
 * supervision (intervisie) sessions, and short questions answered without
 * opening a case (a call or a conversation that needed no more: its unit
 * and who asked, seed 000). These feed the annual report.
 *
 * Only counsellors keep a log, and each sees and changes only their own:
 * another counsellor's entry answers VD_ERR_NOTFOUND, as if it did not exist.
 * Everything but the subject is a *stat* field in the clear, so the annual
 * report can count without opening anything. The subject (what the advice
 * was about, the training's topic) may name people or situations, so it is
 * sealed to the counsellor's own public key and only their secret key, from
 * their session, opens it. The sealed text starts with a line naming the
 * entry (user, kind, date, time written), so a subject moved onto another
 * row reads as unreadable instead of as that row's subject.
 *
 * Every add and delete writes its audit entry ("log.add", "log.delete",
 * object "log_entry") in its own transaction.
 */
#ifndef VD_COUNSELLOR_LOG_H
#define VD_COUNSELLOR_LOG_H

#include <stdbool.h>

#include "../util/arena.h"
#include "app.h"
#include "units.h"

/* The closed lists, NULL-terminated. */
extern const char *const counsellor_log_kinds[];     /* "advice", "training", "supervision", "question" */
extern const char *const counsellor_log_audiences[]; /* "manager", "board" */

#define COUNSELLOR_LOG_SUBJECT_MAX_CHARS 200
#define COUNSELLOR_LOG_MINUTES_MAX (24 * 60) /* one entry is at most one day */
#define COUNSELLOR_LOG_FIRST_YEAR 2000

/* An entry as a form gives it. Fields that do not belong to the kind must be
 * empty (0, "" or NULL); asked is ignored for them. */
struct counsellor_log_input {
	const char *kind;     /* one of counsellor_log_kinds */
	const char *on_date;  /* "YYYY-MM-DD": a real date, from 2000 up to today */
	int64_t unit_id;      /* advice: an existing unit; question: one who serves; 0 otherwise */
	int asked;            /* advice: 1 asked for, 0 unasked, -1 not said (an error) */
	const char *audience; /* advice: "manager" or "board"; "" or NULL otherwise */
	int64_t minutes;      /* training, supervision: 1..COUNSELLOR_LOG_MINUTES_MAX; 0 for advice;
				 question: 0 (not said) or that */
	const char *subject;  /* advice: required; training, question: optional topic; supervision: none.
				 One line, valid UTF-8, at most COUNSELLOR_LOG_SUBJECT_MAX_CHARS */
	const char *reporter_type; /* question: one of the cases' reporter_types; "" or NULL otherwise */
};

enum counsellor_log_field {
	CLF_KIND, CLF_DATE, CLF_UNIT, CLF_ASKED, CLF_AUDIENCE, CLF_MINUTES, CLF_SUBJECT, CLF_REPORTER_TYPE, CLF_COUNT
};

/* Which fields are wrong, so a form can say so next to each. */
struct counsellor_log_errors {
	bool bad[CLF_COUNT];
	bool any;
};

/* An entry as its counsellor reads it. */
struct counsellor_log_entry {
	int64_t id;
	const char *kind;
	int64_t on_day;       /* epoch day (util/date.h) */
	int64_t unit_id;
	bool asked;
	const char *audience;
	int64_t minutes;
	const char *reporter_type; /* question: who asked; "" otherwise */
	int64_t created_at;
	const char *subject;  /* opened; "" when there is none (or it is unreadable) */
	bool unreadable;      /* sealed to a key pair the counsellor no longer has, or moved */
};

/* Where a page of the log starts: after this entry (the list's order: day,
 * newest first, then id). */
struct counsellor_log_cursor {
	int64_t on_day;
	int64_t id;
};

/* Counts and sums of log entries, for the annual report and the log page. */
struct counsellor_log_totals {
	int64_t advice_asked, advice_unasked; /* advice entries, by whether it was asked for */
	int64_t advice_manager, advice_board; /* the same entries, by to whom */
	int64_t training_entries, training_minutes;
	int64_t supervision_sessions, supervision_minutes;
	int64_t questions; /* short questions answered without a case */
};

/* Today's date as "YYYY-MM-DD" in the server's time zone (the clock_now() clock). */
void counsellor_log_today(char out[11]);

/*
 * Adds an entry to who's own log. VD_ERR_DENIED for anyone but a counsellor;
 * VD_ERR_AUTH when who has no key pair (nothing could be sealed to them:
 * adding needs only the public half, not the session's key);
 * VD_ERR_INVALID with errs filled when the input is wrong (nothing stored).
 * On success *id is the new entry.
 */
int counsellor_log_add(struct vd *vd, const struct principal *who, const struct counsellor_log_input *in,
		       int64_t *id, struct counsellor_log_errors *errs);

/*
 * who's entries, newest date first, per_page (1..200) of them after the
 * cursor (NULL: from the top); subjects opened with the secret key in who's
 * session (into the arena a: the caller wipes it). *more tells whether
 * another page follows; *next is then its cursor. VD_ERR_DENIED for anyone
 * but a counsellor, VD_ERR_AUTH when who has no key pair, VD_ERR_NOKEY when
 * the session holds no key that opens.
 */
int counsellor_log_page(struct vd *vd, const struct principal *who, struct arena *a,
			const struct counsellor_log_cursor *after, size_t per_page, struct counsellor_log_entry **out,
			size_t *n, bool *more, struct counsellor_log_cursor *next);

/* Removes one of who's own entries (a mistake). VD_ERR_NOTFOUND for an entry
 * that is not theirs or does not exist; VD_ERR_DENIED for other roles. */
int counsellor_log_remove(struct vd *vd, const struct principal *who, int64_t id);

/* who's own totals over the entries dated in year. */
int counsellor_log_own_totals(struct vd *vd, const struct principal *who, int year,
			      struct counsellor_log_totals *out);

/* The units a question of who's may be about, in tree order with depth:
 * those they serve (a question counts in that unit's annual report). */
int counsellor_log_question_units(struct vd *vd, const struct principal *who, struct arena *a,
				  struct unit_list *tree, int **depth);

#endif
