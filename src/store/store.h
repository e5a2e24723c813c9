/*
 * store: the storage interface, a table of functions (like SQLite's VFS).
 *
 * The core talks only to this interface; src/store/sqlite/ implements it on
 * SQLite and a PostgreSQL backend can implement the same table. The store
 * knows tables, not roles: it never decides who may do what.
 *
 * Conventions: every function returns VD_OK or a VD_ERR_* code. Records read
 * are allocated in the caller's arena (strings included) and live as long as
 * it. A store handle may be used from several threads at once; each thread
 * gets its own connection. begin/commit/rollback apply to the calling thread.
 */
#ifndef VD_STORE_H
#define VD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/ids.h"

struct unit {
	int64_t id;
	int64_t parent_id; /* 0 for the root */
	const char *name;
	const char *kind; /* "national", "province", "group", "youth", "other" */
};

struct unit_list {
	struct unit *items;
	size_t n;
};

struct user {
	int64_t id;
	const char *email;         /* unique, compared case-insensitively */
	const char *name;
	const char *role;          /* role_name() */
	const char *password_hash; /* Argon2id string */
	int must_change_password;  /* 1 until the owner sets their own */
	int active;                /* 0: cannot log in */
	int64_t created_at;
};

struct user_list {
	struct user *items;
	size_t n;
};

/* A counsellor's public profile (DESIGN.md §1). */
struct profile {
	int64_t user_id;
	int external;           /* 0 internal, 1 external */
	const char *region;
	const char *phone;
	const char *public_email;
	const char *languages;
	const char *intro;
};

/* An active counsellor as shown in the directory. */
struct counsellor {
	int64_t user_id;
	const char *name;
	struct profile profile;
	struct id_list units;
};

struct counsellor_list {
	struct counsellor *items;
	size_t n;
};

#define STORE_TOKEN_HASH_LEN 32
#define STORE_KEY_LEN 32
#define STORE_SALT_LEN 16
#define STORE_WRAPPED_KEY_LEN (32 + 40) /* a 32-byte key under AEAD: nonce and tag added */

struct session_rec {
	unsigned char token_hash[STORE_TOKEN_HASH_LEN]; /* keyed hash of the cookie token */
	int64_t user_id;
	int64_t created_at;
	int64_t last_seen_at;
	int64_t expires_at; /* absolute end */
	int has_sk;         /* sk_wrapped is set */
	unsigned char sk_wrapped[STORE_WRAPPED_KEY_LEN]; /* the user's secret key, under the cookie's key */
};

/* A staff user's key pair; the secret half only ever encrypted. */
struct user_key {
	int64_t user_id;
	unsigned char public_key[STORE_KEY_LEN];
	unsigned char password_salt[STORE_SALT_LEN];
	unsigned char sk_by_password[STORE_WRAPPED_KEY_LEN];
	unsigned char recovery_salt[STORE_SALT_LEN];
	unsigned char sk_by_recovery[STORE_WRAPPED_KEY_LEN];
	int64_t created_at;
};

/* A counsellor case as stored: statistics in the clear, the rest encrypted. */
struct case_rec {
	int64_t id;
	const char *locator;       /* the receipt code's public part */
	int64_t unit_id;
	int64_t counsellor_id;     /* chosen counsellor, or 0: any of the unit */
	const char *channel;       /* web, phone, in_person, letter, email */
	const char *reporter_type; /* *stat* fields, see DESIGN.md §3 */
	const char *relation;
	const char *location;
	int64_t behaviours;        /* bit set of behaviour kinds */
	int named;
	const char *phase;
	int64_t created_at;
	int64_t opened_at;         /* 0 until a reader first opens it */
	unsigned char receipt_salt[STORE_SALT_LEN];
	unsigned char receipt_verifier[STORE_KEY_LEN];
	unsigned char key_by_receipt[STORE_WRAPPED_KEY_LEN];
	const unsigned char *content; /* AEAD under the case key */
	size_t content_len;
};

/* The case key sealed to one reader. */
#define STORE_SEALED_KEY_LEN (32 + 48)
struct case_key_rec {
	int64_t user_id;
	unsigned char sealed_key[STORE_SEALED_KEY_LEN];
};

/* One line of a reader's case list. */
struct case_summary {
	int64_t id;
	int64_t unit_id;
	int64_t behaviours;
	const char *phase;
	const char *channel;
	int64_t created_at;
	int unopened;
};

struct case_list {
	struct case_summary *items;
	size_t n;
};

/* Where a page of a case list starts: after this line (keyset paging, so a
 * page costs the same however deep it is). */
struct case_cursor {
	int unopened;
	int64_t created_at;
	int64_t id;
};

/* One message of a case's conversation, or an internal note. */
struct message_rec {
	int64_t id;
	int64_t case_id;
	const char *kind;     /* "reporter", "counsellor" or "note" */
	int64_t author_id;    /* 0 for the reporter */
	int64_t created_at;
	const unsigned char *body; /* AEAD under the case key */
	size_t body_len;
};

struct message_list {
	struct message_rec *items;
	size_t n;
};

/* A notification waiting to be sent. */
struct outbox_rec {
	int64_t id;
	const unsigned char *recipient; /* AEAD under the server's outbox key */
	size_t recipient_len;
	const char *kind;  /* "staff" or "reporter": which fixed text */
	int attempts;
	int64_t next_at;
};

struct outbox_list {
	struct outbox_rec *items;
	size_t n;
};

/* A file sent with a report or a message. Its bytes are in the data
 * directory's files/ (store.h knows only the name); meta holds its own key,
 * name, type and size, under the case key. */
struct attachment_rec {
	int64_t id;
	int64_t case_id;
	int64_t message_id;   /* 0: sent with the report itself */
	const char *kind;     /* of what it came with: "report", "reporter", "counsellor" or "note" */
	const char *file_id;  /* the random name of the encrypted file (32 hex digits) */
	int64_t created_at;
	const unsigned char *meta; /* AEAD under the case key */
	size_t meta_len;
};

struct attachment_list {
	struct attachment_rec *items;
	size_t n;
};

/* An e-mailed invitation to fetch a receipt code once (a report entered on
 * the reporter's behalf). */
struct invitation_rec {
	unsigned char token_hash[STORE_TOKEN_HASH_LEN]; /* keyed hash of the link's token */
	int64_t case_id;
	int64_t expires_at;
	const unsigned char *code; /* the receipt code under a key from the token */
	size_t code_len;
};

/* ---- case work (issue 4): what a counsellor records as a case goes on ---- */

/* The *stat* fields of case work in the clear, the short inventory under
 * the case key. A case without a row has the defaults (all zero / ""). */
struct case_work {
	int64_t case_id;
	int64_t phase_at;          /* when the current phase began; 0: when the case came in */
	int64_t closed_at;         /* 0 while open */
	const char *route;         /* stat; "" until chosen */
	const char *outcome;       /* stat; "" until known */
	int64_t referrals;         /* stat: bit set */
	const char *agreement_on;  /* YYYY-MM-DD the confidentiality agreement was signed, or "" */
	int follow_up;             /* 0 not decided, 1 yes, 2 no */
	int progress_evaluated, legal_advice, aftercare_offered, aftercare_done;
	const char *aftercare_due; /* YYYY-MM-DD or "" */
	const char *last_contact;  /* YYYY-MM-DD of the latest conversation, or "" (read only) */
	int64_t contacts;          /* stat: number of conversations (read only) */
	const unsigned char *inventory; /* AEAD under the case key; NULL when none */
	size_t inventory_len;
};

/* One dated move of a case from a phase to another. */
struct phase_move_rec {
	const char *from, *to;
	int64_t at, by;
};
struct phase_move_list {
	struct phase_move_rec *items;
	size_t n;
};

/* The *stat* classification of a case, which its counsellor may correct. */
struct case_stats {
	int64_t behaviours;
	const char *reporter_type, *relation, *location;
};

/* A conversation: its facts in the clear (they are counted), notes encrypted. */
struct contact_rec {
	int64_t id, case_id;
	const char *on_date;   /* YYYY-MM-DD */
	const char *way;       /* phone, video, in_person */
	const char *with_whom; /* reporter, other_party, manager, mediator */
	int64_t minutes, by, created_at;
	const unsigned char *notes; /* AEAD under the case key */
	size_t notes_len;
};
struct contact_list {
	struct contact_rec *items;
	size_t n;
};

struct appointment_rec {
	int64_t id, case_id;
	const char *starts;  /* "YYYY-MM-DD HH:MM" */
	int shared;          /* shown to the reporter in their mailbox */
	int64_t by, created_at;
	const unsigned char *place; /* AEAD under the case key */
	size_t place_len;
};
struct appointment_list {
	struct appointment_rec *items;
	size_t n;
};

/* The reporter's consent to one step that involves others. */
struct consent_rec {
	int64_t id, case_id;
	const char *step;    /* contact_other_party, inform_manager, mediation, forward_committee */
	int given;           /* 1 given, 0 refused */
	const char *on_date; /* YYYY-MM-DD */
	const char *how;     /* in_person, phone, video, email, letter, mailbox */
	int64_t by, created_at;
};
struct consent_list {
	struct consent_rec *items;
	size_t n;
};

/* A complaint for the committee, forwarded from a case: only what the
 * reporter agreed to share, under a key of its own sealed to the committee. */
struct complaint_rec {
	int64_t id, case_id, unit_id, by, created_at;
	const unsigned char *content; /* AEAD under the complaint key */
	size_t content_len;
};

/* A breach of confidentiality: written once, never changed (triggers). */
struct exception_rec {
	int64_t id, case_id, at, by;
	int64_t conditions;  /* bit set of the conditions that were met */
	const char *told_on; /* YYYY-MM-DD the reporter was told */
	const unsigned char *content; /* AEAD under the case key: justification per condition, who was informed */
	size_t content_len;
};
struct exception_list {
	struct exception_rec *items;
	size_t n;
};

/* The counsellor's dashboard: counts and short lists over their own cases. */
struct dashboard_query {
	const char *week_from, *week_to; /* appointments with from <= starts < to ("YYYY-MM-DD HH:MM") */
	const char *quiet_before;        /* open cases whose last contact (or arrival) is before this date */
	const char *today;               /* YYYY-MM-DD: aftercare due on or before */
	size_t limit;                    /* per list */
};
struct dashboard_item {
	int64_t case_id;
	const char *when; /* the appointment, the last contact, or the aftercare date */
};
struct dashboard_items {
	struct dashboard_item *items;
	size_t n;
};
struct dashboard {
	struct {
		const char *phase;
		int64_t n;
	} by_phase[8];
	size_t nphases;
	struct dashboard_items appointments, quiet, aftercare;
};

struct document {
	const char *kind; /* "code_of_conduct", "complaints_regulation", "whistleblower_regulation" */
	const char *lang; /* "nl", "en" */
	const char *body; /* plain markup, see web/markup.h */
	int64_t updated_at;
	int64_t updated_by; /* user id, 0 for the defaults */
};

/* One entry of the audit log (DESIGN.md §4): who did what to which record and
 * when, never content. Each entry's hash covers the previous entry's hash, so
 * the entries form a chain (core/audit.h). */
#define STORE_AUDIT_HASH_LEN 32
struct audit_rec {
	int64_t seq;             /* 1, 2, 3, ... in the order written */
	int64_t at;              /* seconds since the epoch */
	int64_t actor_id;        /* staff user id; 0 for a reporter or the system */
	const char *action;      /* a name from core/audit.c's closed list */
	const char *object_kind; /* likewise */
	int64_t object_id;
	unsigned char prev_hash[STORE_AUDIT_HASH_LEN];
	unsigned char hash[STORE_AUDIT_HASH_LEN];
	int malformed;           /* read only: a hash column was not STORE_AUDIT_HASH_LEN bytes */
};

struct audit_list {
	struct audit_rec *items;
	size_t n;
};

/* One entry of a counsellor's own log (DESIGN.md §3): advice to managers or
 * the board, a training, a peer supervision (intervisie) session. Everything
 * but the subject is a *stat* field for the annual report; the subject may
 * name people or situations, so it is sealed to the counsellor's own key. */
struct counsellor_log_rec {
	int64_t id;
	int64_t user_id;           /* the counsellor who wrote it */
	const char *kind;          /* "advice", "training" or "supervision" */
	const char *on_date;       /* "YYYY-MM-DD" */
	int64_t unit_id;           /* advice: the unit it was about; 0 otherwise */
	int asked;                 /* advice: 1 asked for, 0 unasked */
	const char *audience;      /* advice: "manager" or "board"; "" otherwise */
	int64_t minutes;           /* training and supervision: how long; 0 for advice */
	int64_t created_at;
	const unsigned char *subject; /* crypto_seal'ed to the counsellor's public key; NULL: none */
	size_t subject_len;
};

struct counsellor_log_list {
	struct counsellor_log_rec *items;
	size_t n;
};

/* Where a page of a counsellor's log starts: after this entry (keyset paging
 * on the order of the list: date, newest first, then id). */
struct counsellor_log_cursor {
	char on_date[11]; /* "YYYY-MM-DD" */
	int64_t id;
};

/* Counts and sums of log entries, for the annual report and the log page. */
struct counsellor_log_totals {
	int64_t advice_asked, advice_unasked; /* advice entries, by whether it was asked for */
	int64_t advice_manager, advice_board; /* the same entries, by to whom */
	int64_t training_entries, training_minutes;
	int64_t supervision_sessions, supervision_minutes;
};

struct store;

struct store_ops {
	const char *name;
	void (*close)(struct store *s);
	/* Brings the schema up to date. VD_ERR_TOONEW if the data is newer. */
	int (*migrate)(struct store *s, int *from, int *to);
	int (*schema_version)(struct store *s, int *version);
	int (*check)(struct store *s); /* integrity check; VD_OK if sound */

	int (*begin)(struct store *s);
	int (*commit)(struct store *s);
	void (*rollback)(struct store *s);

	int (*unit_insert)(struct store *s, const struct unit *u, int64_t *id);
	int (*unit_update)(struct store *s, const struct unit *u);
	int (*unit_delete)(struct store *s, int64_t id); /* VD_ERR_EXISTS if in use */
	int (*unit_list)(struct store *s, struct arena *a, struct unit_list *out);

	int (*user_insert)(struct store *s, const struct user *u, int64_t *id);
	/* Updates email, name, role and active. */
	int (*user_update)(struct store *s, const struct user *u);
	int (*user_set_password)(struct store *s, int64_t id, const char *hash, int must_change);
	int (*user_get)(struct store *s, struct arena *a, int64_t id, struct user *out);
	int (*user_find_email)(struct store *s, struct arena *a, const char *email, struct user *out);
	int (*user_list)(struct store *s, struct arena *a, struct user_list *out);
	int (*user_units_set)(struct store *s, int64_t user_id, const struct id_list *units);
	int (*user_units_get)(struct store *s, struct arena *a, int64_t user_id, struct id_list *out);

	int (*profile_put)(struct store *s, const struct profile *p);
	int (*profile_get)(struct store *s, struct arena *a, int64_t user_id, struct profile *out);
	/* Active users with role counsellor, with their profile and units, by name. */
	int (*counsellor_list)(struct store *s, struct arena *a, struct counsellor_list *out);

	int (*session_insert)(struct store *s, const struct session_rec *r);
	int (*session_get)(struct store *s, const unsigned char *token_hash, struct session_rec *out);
	int (*session_touch)(struct store *s, const unsigned char *token_hash, int64_t last_seen_at);
	int (*session_delete)(struct store *s, const unsigned char *token_hash);
	int (*session_delete_user)(struct store *s, int64_t user_id);
	int (*session_purge)(struct store *s, int64_t idle_before, int64_t now);

	int (*user_key_put)(struct store *s, const struct user_key *k); /* insert or replace */
	int (*user_key_get)(struct store *s, int64_t user_id, struct user_key *out);

	/* Inserts a case and its readers' sealed keys (in the caller's transaction).
	 * VD_ERR_EXISTS if the locator is taken. */
	int (*case_insert)(struct store *s, const struct case_rec *c, const struct case_key_rec *keys,
			   size_t nkeys, int64_t *id);
	int (*case_get)(struct store *s, struct arena *a, int64_t id, struct case_rec *out);
	int (*case_find_locator)(struct store *s, struct arena *a, const char *locator, struct case_rec *out);
	/* The case key sealed to user_id; VD_ERR_NOTFOUND if user_id is no reader. */
	int (*case_key_get)(struct store *s, int64_t case_id, int64_t user_id, struct case_key_rec *out);
	/* user_id's cases, unopened first, newest first; after NULL: from the top. */
	int (*case_list)(struct store *s, struct arena *a, int64_t user_id, const struct case_cursor *after,
			 size_t limit, struct case_list *out);
	/* user_id has read case id (their list marks it read); the first reader's
	 * time is kept as the case's opened_at. */
	int (*case_mark_opened)(struct store *s, int64_t id, int64_t user_id, int64_t when);

	/* Appends a message; a reporter's message marks the case new again for
	 * every reader (in the caller's transaction). */
	int (*message_insert)(struct store *s, const struct message_rec *m, int64_t *id);
	/* A case's newest limit messages, oldest first. */
	int (*message_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			    struct message_list *out);

	int (*attachment_insert)(struct store *s, const struct attachment_rec *f, int64_t *id);
	/* A case's files, oldest first (at most limit). */
	int (*attachment_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			       struct attachment_list *out);
	/* One file of a case by its file_id; VD_ERR_NOTFOUND if the case has no such file. */
	int (*attachment_get)(struct store *s, struct arena *a, int64_t case_id, const char *file_id,
			      struct attachment_rec *out);

	/* VD_OK if a row names file_id, VD_ERR_NOTFOUND if none does. */
	int (*attachment_exists)(struct store *s, const char *file_id);

	int (*invitation_insert)(struct store *s, const struct invitation_rec *v);
	/* Reads and deletes an invitation in one step: a link works once. */
	int (*invitation_take)(struct store *s, struct arena *a, const unsigned char *token_hash,
			       struct invitation_rec *out);
	int (*invitation_purge)(struct store *s, int64_t now);

	/* The user ids of a case's readers. */
	int (*case_readers)(struct store *s, struct arena *a, int64_t case_id, struct id_list *out);
	int (*outbox_add)(struct store *s, const struct outbox_rec *m);
	int (*outbox_due)(struct store *s, struct arena *a, int64_t now, size_t limit, struct outbox_list *out);
	int (*outbox_done)(struct store *s, int64_t id);
	int (*outbox_retry)(struct store *s, int64_t id, int attempts, int64_t next_at);

	/* Case work. case_set_phase moves cases.phase from -> to (VD_ERR_NOTFOUND
	 * if it is no longer from) and records the move. case_reader_replace hands
	 * a case from one reader to another (the new key row, the old one gone,
	 * the case's counsellor updated when it was from_user). */
	int (*case_work_get)(struct store *s, struct arena *a, int64_t case_id, struct case_work *out);
	int (*case_work_put)(struct store *s, const struct case_work *w);
	int (*case_set_phase)(struct store *s, int64_t case_id, const char *from, const char *to, int64_t at,
			      int64_t by);
	int (*phase_move_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			       struct phase_move_list *out);
	int (*case_set_stats)(struct store *s, int64_t case_id, const struct case_stats *st);
	int (*contact_insert)(struct store *s, const struct contact_rec *c, int64_t *id);
	int (*contact_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			    struct contact_list *out);
	int (*appointment_insert)(struct store *s, const struct appointment_rec *ap, int64_t *id);
	int (*appointment_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
				struct appointment_list *out);
	int (*consent_insert)(struct store *s, const struct consent_rec *c, int64_t *id);
	int (*consent_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			    struct consent_list *out);
	int (*complaint_insert)(struct store *s, const struct complaint_rec *c, const struct case_key_rec *keys,
				size_t nkeys, int64_t *id);
	int (*case_reader_replace)(struct store *s, int64_t case_id, int64_t from_user, const struct case_key_rec *to);
	int (*conflict_put)(struct store *s, int64_t case_id, int64_t user_id, int64_t at);
	int (*conflict_list)(struct store *s, struct arena *a, int64_t case_id, struct id_list *out);
	int (*exception_insert)(struct store *s, const struct exception_rec *e, int64_t *id);
	int (*exception_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			      struct exception_list *out);
	int (*dashboard)(struct store *s, struct arena *a, int64_t user_id, const struct dashboard_query *q,
			 struct dashboard *out);

	int (*document_get)(struct store *s, struct arena *a, const char *kind, const char *lang,
			    struct document *out);
	int (*document_put)(struct store *s, const struct document *d);

	int (*setting_get)(struct store *s, struct arena *a, const char *key, const char **value);
	int (*setting_put)(struct store *s, const char *key, const char *value);

	/* The audit log: append-only (the schema refuses UPDATE and DELETE).
	 * audit_append writes r as given, seq included, in the caller's
	 * transaction; VD_ERR_EXISTS if that seq is taken. */
	int (*audit_append)(struct store *s, const struct audit_rec *r);
	/* The entry with the highest seq; VD_ERR_NOTFOUND while the log is empty. */
	int (*audit_last)(struct store *s, struct arena *a, struct audit_rec *out);
	/* Up to limit entries with seq > after, oldest first (keyset paging: a
	 * page costs the same however deep it is). */
	int (*audit_after)(struct store *s, struct arena *a, int64_t after, size_t limit,
			   struct audit_list *out);
	/* Up to limit entries with seq < before (0: from the newest), newest first. */
	int (*audit_before)(struct store *s, struct arena *a, int64_t before, size_t limit,
			    struct audit_list *out);

	/* A counsellor's own log. Insert sets *id. */
	int (*counsellor_log_insert)(struct store *s, const struct counsellor_log_rec *e, int64_t *id);
	/* Up to limit of user_id's entries, newest date first (then newest id),
	 * after the cursor (NULL: from the top). */
	int (*counsellor_log_list)(struct store *s, struct arena *a, int64_t user_id,
				   const struct counsellor_log_cursor *after, size_t limit,
				   struct counsellor_log_list *out);
	/* Deletes entry id if it is user_id's; VD_ERR_NOTFOUND otherwise. */
	int (*counsellor_log_delete)(struct store *s, int64_t user_id, int64_t id);
	/* Totals over the entries dated in year. unit_id 0: every unit; else the
	 * advice about that unit (not its sub-units) and the training and
	 * supervision of the counsellors attached to it now. user_id 0: every
	 * counsellor; else only theirs. */
	int (*counsellor_log_totals)(struct store *s, int year, int64_t unit_id, int64_t user_id,
				     struct counsellor_log_totals *out);
};

struct store {
	const struct store_ops *ops;
};

/* Opens the SQLite store at path (created if missing when create is set).
 * On success *out is the caller's; free with store_close(). */
int store_sqlite_open(const char *path, int create, struct store **out);

static inline void store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}

/* The schema version this build writes. */
#define STORE_SCHEMA_VERSION 9

#endif
