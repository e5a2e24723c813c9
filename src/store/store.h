/*
 * store: the storage interface, a table of functions (like SQLite's VFS).
 *
 * The core talks only to this interface; src/store/sqlite/ implements it on
 * SQLite and a PostgreSQL backend is to implement the same table and pass the
 * same contract tests (tests/unit/test_store_contract.c). The store knows
 * tables, not roles: it never decides who may do what, and it never reads a
 * clock or a calendar: every time and date it stores or compares is given.
 *
 * THE CONTRACT
 *
 * Values. Records read are allocated in the caller's arena (strings and
 * blobs included) and live as long as it. Moments are seconds since the
 * epoch (int64_t *_at). Calendar dates are epoch days: days since
 * 1970-01-01 (int64_t *_day, see util/date.h); 0 means "no date". Dates
 * and moments are compared as numbers only: whatever needs a calendar
 * (this week, that year, four weeks ago) the caller turns into bounds.
 * Texts are UTF-8 and compared byte for byte unless an operation says
 * otherwise. A list operation returns at most limit records (0: none).
 *
 * Atomicity. Every operation is atomic on its own: it happens completely or
 * not at all, also when it writes several rows (a case and its readers'
 * keys). begin() starts a transaction on the calling thread; every call on
 * that thread until commit() or rollback() is part of it, and either all of
 * it is kept or none. Transactions do not nest (begin inside one:
 * VD_ERR_MISUSE). A commit that returned VD_OK is durable.
 *
 * Concurrency: who may write at once. A store handle may be used from
 * several threads (each gets a connection of its own), and a backend may
 * serve several processes on one database. Write transactions are
 * serialisable: whatever runs at once, the outcome is as if the transactions
 * ran one after another, so what a transaction read is still true when it
 * commits. The SQLite backend runs them one at a time (BEGIN IMMEDIATE takes
 * the database's write lock at begin, and a writer waits up to 5 s for it);
 * a backend that runs them side by side must find a conflict and fail one of
 * them with VD_ERR_BUSY, nothing written, for the caller to retry. A read
 * outside a transaction sees committed data.
 *
 * Where writers meet, the operations say so and keep their promise without
 * leaning on that isolation, so a backend can serve them with a row lock
 * instead of a failed transaction (case_work_claim and complaint_claim hold
 * until their transaction ends, outbox_claim is a lease until a given time;
 * the others are atomic also outside a transaction):
 *   append-next  audit_append_next: the entry after the newest, in one step
 *                (every write appends to the audit log);
 *   increment    counter_increment: n+1 however many add at once;
 *   claim        case_work_claim (every change to a case's work claims its
 *                record first, so changes to one case follow each other),
 *                complaint_claim (likewise for a complaint's procedure),
 *                wb_report_claim (likewise for a report of wrongdoing),
 *                outbox_claim (servers sharing a database never send one
 *                mail twice: a claim leases it);
 *   compare-and-set  case_set_phase (only if still in `from`),
 *                case_reader_replace (only if from_user still reads it),
 *                case_mark_opened (the first opening only),
 *                complaint_term_remind, wb_report_remind (one reminder once),
 *                invitation_take (one taker only).
 *
 * Errors. Every function returns VD_OK or:
 *   VD_ERR_NOTFOUND  no such record (or a record this one refers to is
 *                    missing); for a compare-and-set (but case_mark_opened,
 *                    which says VD_OK): the expected state was not there, so
 *                    nothing changed;
 *   VD_ERR_EXISTS    a unique key is taken (an e-mail address, a locator, a
 *                    file id);
 *   VD_ERR_INUSE     a delete refused because other records refer to it;
 *   VD_ERR_INVALID   a value the schema refuses (a missing text, say);
 *   VD_ERR_MISUSE    the call itself is wrong, a bug of the caller's: a
 *                    nested begin, a claim outside a transaction, a change
 *                    to a record that may never change (the audit log, an
 *                    exception record: the schema refuses it);
 *   VD_ERR_BUSY      the database is locked by another writer, or the
 *                    transaction lost a race: nothing was written; retry;
 *   VD_ERR_NOMEM, VD_ERR_TOOBIG; VD_ERR_TOONEW (migrate: newer data);
 *   VD_ERR_STORE     anything else, including a damaged row.
 * After an error inside a transaction the caller rolls back.
 */
#ifndef VD_STORE_H
#define VD_STORE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/ids.h"

#define STORE_TOKEN_HASH_LEN 32
#define STORE_KEY_LEN 32
#define STORE_SALT_LEN 16
#define STORE_WRAPPED_KEY_LEN (32 + 40) /* a 32-byte key under AEAD: nonce and tag added */
#define STORE_SEALED_KEY_LEN (32 + 48)  /* a 32-byte key sealed to a public key */
#define STORE_AUDIT_HASH_LEN 32

/* ---- organisation --------------------------------------------------------- */

struct unit_rec {
	int64_t id;
	int64_t parent_id; /* 0 for the root */
	const char *name;
	const char *kind;  /* "national", "province", "group", "youth", "other" */
	int64_t created_at; /* insert only */
};
struct unit_recs {
	struct unit_rec *items;
	size_t n;
};

struct user_rec {
	int64_t id;
	const char *email;         /* unique, compared case-insensitively (ASCII) */
	const char *name;
	const char *role;          /* role_name() */
	const char *password_hash; /* Argon2id string */
	int must_change_password;  /* 1 until the owner sets their own */
	int active;                /* 0: cannot log in */
	int64_t created_at;
};
struct user_recs {
	struct user_rec *items;
	size_t n;
};

/* A counsellor's public profile (DESIGN.md §1). */
struct profile_rec {
	int64_t user_id;
	int external; /* 0 internal, 1 external */
	const char *region, *phone, *public_email, *languages, *intro;
};

/* An active counsellor as the directory shows them. */
struct counsellor_rec {
	int64_t user_id;
	const char *name;
	struct profile_rec profile;
	struct id_list units;
};
struct counsellor_recs {
	struct counsellor_rec *items;
	size_t n;
};

/* ---- sessions and keys ---------------------------------------------------- */

struct session_rec {
	unsigned char token_hash[STORE_TOKEN_HASH_LEN]; /* keyed hash of the cookie token */
	int64_t user_id;
	int64_t created_at;
	int64_t last_seen_at;
	int64_t expires_at; /* absolute end */
	int has_sk;         /* sk_wrapped is set */
	unsigned char sk_wrapped[STORE_WRAPPED_KEY_LEN]; /* the user's secret key, under the cookie's key */
	int second_factor_due; /* 1: the password was right, the one-time code is still to come */
};

/* A staff user's second factor (issue 12): the TOTP secret, sealed under
 * the data directory's key, whether it is on (0 while being set up), and
 * the last time step a code was used for (each code works once). */
struct user_totp_rec {
	const unsigned char *secret; /* NULL: none */
	size_t secret_len;
	int on;
	int64_t last_step;
};
#define STORE_BACKUP_HASH_LEN 32

/* A staff user's key pair; the secret half only ever encrypted. */
struct user_key_rec {
	int64_t user_id;
	unsigned char public_key[STORE_KEY_LEN];
	unsigned char password_salt[STORE_SALT_LEN];
	unsigned char sk_by_password[STORE_WRAPPED_KEY_LEN];
	unsigned char recovery_salt[STORE_SALT_LEN];
	unsigned char sk_by_recovery[STORE_WRAPPED_KEY_LEN];
	int64_t created_at;
};

/* ---- cases ----------------------------------------------------------------- */

/* A counsellor case as stored: statistics in the clear, the rest encrypted. */
struct case_rec {
	int64_t id;
	const char *locator;       /* the receipt code's public part; unique */
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
	int64_t created_day;       /* stat: the (local) day it came in, which the store cannot work out */
	int64_t opened_at;         /* 0 until a reader first opens it */
	unsigned char receipt_salt[STORE_SALT_LEN];
	unsigned char receipt_verifier[STORE_KEY_LEN];
	uint32_t receipt_ops, receipt_mem_kib; /* the code's Argon2id cost; 0: the password cost (before schema 23) */
	unsigned char key_by_receipt[STORE_WRAPPED_KEY_LEN];
	const unsigned char *content; /* AEAD under the case key */
	size_t content_len;
};

/* The case key sealed to one reader. */
struct case_key_rec {
	int64_t user_id;
	unsigned char sealed_key[STORE_SEALED_KEY_LEN];
};

/* One line of a reader's case list. */
struct case_summary_rec {
	int64_t id;
	int64_t unit_id;
	int64_t behaviours;
	const char *phase;
	const char *channel;
	int64_t created_at;
	int unopened; /* new to this reader (never opened, or a reporter wrote since) */
};
struct case_summary_recs {
	struct case_summary_rec *items;
	size_t n;
};

/* Where a page of a case list starts: after this line (keyset paging, so a
 * page costs the same however deep it is). */
struct case_cursor_rec {
	int unopened;
	int64_t created_at;
	int64_t id;
};

/* One message of a case's conversation, or an internal note. */
struct message_rec {
	int64_t id;
	int64_t case_id;
	const char *kind;     /* "reporter", "counsellor", "note" or "handover" */
	int64_t author_id;    /* 0 for the reporter */
	int64_t created_at;
	const unsigned char *body; /* AEAD under the case key */
	size_t body_len;
};
struct message_recs {
	struct message_rec *items;
	size_t n;
};

/* A file sent with a report or a message, or with a complaint. Its bytes
 * are in the data directory's files/ (the store knows only the name); meta
 * holds its own key, name, type and size, under the case's (the
 * complaint's) key. */
struct attachment_rec {
	int64_t id;
	int64_t case_id;      /* with complaint_attachment_*: the complaint's id */
	int64_t message_id;   /* 0: sent with the report (complaint) itself; a complaint's: the letter */
	const char *kind;     /* of what it came with: "report", "reporter", "counsellor" or "note" */
	const char *file_id;  /* the random name of the encrypted file (32 hex digits); unique */
	int64_t created_at;
	const unsigned char *meta; /* AEAD under the case key */
	size_t meta_len;
};
struct attachment_recs {
	struct attachment_rec *items;
	size_t n;
};

/* An e-mailed invitation to fetch a receipt code once. */
struct invitation_rec {
	unsigned char token_hash[STORE_TOKEN_HASH_LEN]; /* keyed hash of the link's token */
	int64_t case_id;
	int64_t expires_at;
	const unsigned char *code; /* the receipt code under a key from the token */
	size_t code_len;
};

/* A notification waiting to be sent. */
struct outbox_rec {
	int64_t id;
	const unsigned char *recipient; /* AEAD under the server's outbox key */
	size_t recipient_len;
	const char *kind;  /* "staff", "committee", "reporter" or "invite": which fixed text */
	int attempts;
	int64_t next_at;   /* due from then (or, once claimed, the end of the lease) */
};
struct outbox_recs {
	struct outbox_rec *items;
	size_t n;
};

/* ---- case work: what a counsellor records as a case goes on ---------------- */

/* The *stat* fields of case work in the clear, the short inventory under
 * the case key. A case without a row reads as the defaults (0 / ""). */
struct case_work_rec {
	int64_t case_id;
	int64_t phase_at;          /* when the current phase began; 0: when the case came in */
	int64_t closed_at;         /* 0 while open */
	const char *route;         /* stat; "" until chosen */
	const char *outcome;       /* stat; "" until known */
	int64_t referrals;         /* stat: bit set */
	int64_t agreement_day;     /* the confidentiality agreement was signed; 0: not (yet) */
	int follow_up;             /* 0 not decided, 1 yes, 2 no */
	int progress_evaluated, legal_advice, aftercare_offered, aftercare_done;
	int64_t aftercare_due_day; /* 0: no date */
	int64_t last_contact_day;  /* read only: the latest conversation; 0: none */
	int64_t contacts;          /* read only, stat: the number of conversations */
	const unsigned char *inventory; /* AEAD under the case key; NULL when none */
	size_t inventory_len;
};

/* One dated move of a case from a phase to another. */
struct phase_move_rec {
	const char *from, *to;
	int64_t at, by;
};
struct phase_move_recs {
	struct phase_move_rec *items;
	size_t n;
};

/* The *stat* classification of a case, which its counsellor may correct. */
struct case_stats_rec {
	int64_t behaviours;
	const char *reporter_type, *relation, *location;
};

/* A conversation: its facts in the clear (they are counted), notes encrypted. */
struct contact_rec {
	int64_t id, case_id;
	int64_t on_day;        /* the day it took place */
	const char *way;       /* phone, video, in_person */
	const char *with_whom; /* reporter, other_party, manager, mediator */
	int64_t minutes, by, created_at;
	const unsigned char *notes; /* AEAD under the case key; NULL: none */
	size_t notes_len;
};
struct contact_recs {
	struct contact_rec *items;
	size_t n;
};

struct appointment_rec {
	int64_t id, case_id;
	int64_t starts_at;   /* the moment it begins */
	int shared;          /* shown to the reporter in their mailbox */
	int64_t by, created_at;
	const unsigned char *place; /* AEAD under the case key */
	size_t place_len;
};
struct appointment_recs {
	struct appointment_rec *items;
	size_t n;
};

/* The reporter's consent to one step that involves others. */
struct consent_rec {
	int64_t id, case_id;
	const char *step;    /* contact_other_party, inform_manager, mediation, forward_committee */
	int given;           /* 1 given, 0 refused */
	int64_t on_day;      /* the day it was given or refused */
	const char *how;     /* in_person, phone, video, email, letter, mailbox */
	int64_t by, created_at;
};
struct consent_recs {
	struct consent_rec *items;
	size_t n;
};

/* A complaint for the committee, forwarded from a case (case_id) or filed
 * directly (case_id 0), under a key of its own sealed to its readers.
 * What the procedure keeps in the clear (*stat*) is beside it: the step it
 * is at and the days that count. */
struct complaint_rec {
	int64_t id, case_id, unit_id, by, created_at;
	const unsigned char *content; /* AEAD under the complaint key; never changes */
	size_t content_len;
	const char *channel;          /* how it came in: "forwarded", "email", "letter", "web" */
	const char *step;             /* core/complaint_flow.h's names */
	const char *step_before;      /* the step mediation interrupted; "" */
	int64_t step_at;
	int open;                     /* 1 until closed or withdrawn */
	int64_t received_day;
	int64_t last_incident_day;    /* 0: not known */
	int filed_late;
	int64_t next_due_day;         /* the earliest due day of its open terms; 0: none */
	const char *advice;           /* the committee's advice: well-founded or not; "" before it */
	int64_t measures;             /* bit set of the measures the board took (core/complaints.h) */
};
struct complaint_recs {
	struct complaint_rec *items;
	size_t n;
};

/* Which complaints complaint_list gives: those sealed to user_id, of one of
 * the units. Open ones by next_due_day (those without one last), then id;
 * closed ones newest first. */
struct complaint_query {
	int64_t user_id;
	const int64_t *units;
	size_t nunits;
	int open;           /* 1: the open ones; 0: the closed ones */
	int64_t due_before; /* with open: only 0 < next_due_day < due_before; 0: all */
	size_t offset, limit;
};

/* A term of a complaint (core/terms.h): how it was set when it started,
 * and what counting it gave. Its pauses are the complaint's. */
struct complaint_term_rec {
	int64_t id, complaint_id;
	const char *kind;          /* "complete", "admissibility", "minutes", "decision" */
	int64_t start_day, length;
	const char *unit;          /* "days", "working_days", "weeks" */
	int atw;
	int64_t max_notice_days;   /* longest extension on notice alone */
	int64_t due_day;           /* 0: none (stopped by a pause) */
	int64_t met_day;           /* 0: open */
	int64_t reminded;          /* bit set of the reminders sent (core/complaints.h) */
	int64_t hearing_id;        /* the minutes term's hearing; 0 */
};
struct complaint_term_recs {
	struct complaint_term_rec *items;
	size_t n;
};

/* A stretch in which a complaint's clocks stand still (mediation, or a
 * request to complete): from_day up to, not including, to_day (0: still). */
struct complaint_pause_rec {
	int64_t id, complaint_id, from_day, to_day;
	const char *step; /* the step that paused them */
};
struct complaint_pause_recs {
	struct complaint_pause_rec *items;
	size_t n;
};

struct complaint_extension_rec {
	int64_t id, term_id, days;
	const char *basis;   /* "notice" or "consent" */
	int64_t consent_day; /* the complainant's written consent; 0 on notice */
	int64_t at, by;
};
struct complaint_extension_recs {
	struct complaint_extension_rec *items;
	size_t n;
};

/* A step taken, with its reasons (AEAD under the complaint key; NULL: none). */
struct complaint_move_rec {
	int64_t id, complaint_id, at, by;
	const char *from, *to;
	const unsigned char *reason;
	size_t reason_len;
};
struct complaint_move_recs {
	struct complaint_move_rec *items;
	size_t n;
};

/* A party to a complaint other than the committee: the complainant, the
 * accused, or a counsellor who supports the complainant. Each has a key of
 * their own, which opens only what was sent to them (their letters): the
 * complainant and the accused come back with a receipt code (locator, salt,
 * verifier and their key wrapped under it, as a case's reporter does); a
 * supporting counsellor has an account (user_id) and the key sealed to it.
 * The committee reaches every party's key through the complaint key. */
struct complaint_party_rec {
	int64_t id, complaint_id;
	const char *role;          /* "complainant", "accused", "supporter" */
	const char *locator;       /* "" for a supporter; unique otherwise */
	int64_t user_id;           /* the supporter's account; 0 otherwise */
	unsigned char receipt_salt[STORE_SALT_LEN];
	unsigned char receipt_verifier[STORE_KEY_LEN];
	uint32_t receipt_ops, receipt_mem_kib; /* the code's Argon2id cost; 0: the password cost (before schema 23) */
	unsigned char key_by_receipt[STORE_WRAPPED_KEY_LEN];   /* the party's own key, under the code */
	unsigned char sealed_key[STORE_SEALED_KEY_LEN];        /* the supporter's: sealed to their account */
	unsigned char key_by_complaint[STORE_WRAPPED_KEY_LEN]; /* the same, under the complaint key */
	const unsigned char *contact; /* AEAD under the complaint key: name, e-mail, phone */
	size_t contact_len;
	int64_t created_at, by;
};
struct complaint_party_recs {
	struct complaint_party_rec *items;
	size_t n;
};

/* A letter between the committee and one party: sent to it (outgoing 1)
 * or written by it (0). kind says what it is (core/complaint_parties.h);
 * the text is under that party's key. */
struct complaint_letter_rec {
	int64_t id, complaint_id, party_id;
	int outgoing;
	const char *kind;
	const char *step;          /* the step it tells of; "" */
	int64_t hearing_id;        /* the hearing it is about; 0 */
	int64_t at, by;
	const unsigned char *body;
	size_t body_len;
};
struct complaint_letter_recs {
	struct complaint_letter_rec *items;
	size_t n;
};

/* A hearing: its day in the clear (it is counted), what else the committee
 * noted of it (time, place, witnesses, supporters) and its minutes under
 * the complaint key. */
struct complaint_hearing_rec {
	int64_t id, complaint_id, on_day, at, by;
	const unsigned char *details;
	size_t details_len;
	const unsigned char *minutes; /* NULL until written */
	size_t minutes_len;
	int64_t minutes_day;          /* the day they went to those heard; 0 */
};
struct complaint_hearing_recs {
	struct complaint_hearing_rec *items;
	size_t n;
};

/* One person heard at a hearing and what they said of its minutes. */
struct complaint_heard_rec {
	int64_t hearing_id, party_id;
	const char *approval; /* "pending", "approved", "remarks", "deemed" */
	int64_t reacted_day;  /* 0 while pending */
};
struct complaint_heard_recs {
	struct complaint_heard_rec *items;
	size_t n;
};

/* A report of suspected wrongdoing (the whistleblower channel, issue 10),
 * under keys of its own: the report key (sealed to each integrity officer
 * it reached: struct wb_key_rec) opens the officers' notes; the mailbox
 * key, wrapped under the report key and under the reporter's receipt code,
 * opens what the reporter and the officers share (the report as made, the
 * messages, the minutes); the identity key, sealed to each officer apart
 * from the report key, opens the reporter's identity. What the register
 * keeps in the clear (*stat*) is beside it. */
struct wb_report_rec {
	int64_t id, unit_id, by, created_at; /* by: the officer who entered it; 0: the reporter */
	const char *channel;           /* "written", "oral", "meeting" */
	const char *category;          /* core/whistle.h's names; "" while unassessed */
	const char *relation;          /* who reported: "employee", "volunteer", ... */
	int named;                     /* 1: the reporter gave a name */
	int64_t received_day;
	int64_t ack_day, feedback_day; /* 0: not (yet) */
	const char *outcome;           /* "" while open */
	int open;
	int64_t closed_day;            /* 0 while open */
	int64_t next_due_day;          /* the clock that runs: 0 when none does */
	int64_t reminded;              /* bit set of the reminders sent */
	const char *locator;           /* unique */
	unsigned char receipt_salt[STORE_SALT_LEN];
	unsigned char receipt_verifier[STORE_KEY_LEN];
	uint32_t receipt_ops, receipt_mem_kib; /* the code's Argon2id cost; 0: the password cost (before schema 23) */
	unsigned char mailbox_by_receipt[STORE_WRAPPED_KEY_LEN]; /* the mailbox key, under the code */
	unsigned char mailbox_by_report[STORE_WRAPPED_KEY_LEN];  /* the same, under the report key */
	const unsigned char *content;  /* AEAD under the mailbox key; never changes */
	size_t content_len;
	const unsigned char *identity; /* AEAD under the identity key; NULL: nothing given */
	size_t identity_len;
	int code_own;                  /* 1: only the reporter ever saw the code; 0: an officer
					* handed it over, until the reporter replaced it */
};
struct wb_report_recs {
	struct wb_report_rec *items;
	size_t n;
};

/* A report's keys for one officer. */
struct wb_key_rec {
	int64_t user_id;
	unsigned char sealed_key[STORE_SEALED_KEY_LEN];   /* the report key */
	unsigned char identity_key[STORE_SEALED_KEY_LEN]; /* the identity key */
};

/* Which reports wb_report_list gives: those sealed to user_id, open (by
 * next_due_day, those without one last, then id) or closed (newest first). */
struct wb_query {
	int64_t user_id;
	const int64_t *units;          /* of these units only */
	size_t nunits;
	int open;
	size_t offset, limit;
};

/* What happened to a report, appended and never changed: kind says what
 * (core/whistle.h), ref_id the event it answers (minutes, a question of
 * consent; 0), on_day a day it names (a meeting; 0), by the officer (0:
 * the reporter). The body is under the mailbox or the report key, as the
 * kind says; NULL: none. */
struct wb_event_rec {
	int64_t id, report_id, ref_id, on_day, at, by;
	const char *kind;
	const unsigned char *body;
	size_t body_len;
};
struct wb_event_recs {
	struct wb_event_rec *items;
	size_t n;
};

/* ---- the annual report's counts (issue 11): *stat* fields only ---------- */

/* Which records a count takes: of these units, come in on from_day <=
 * day < to_day. */
struct stat_query {
	const int64_t *units;
	size_t nunits;
	int64_t from_day, to_day;
	size_t limit;              /* wb_stat_rows: rows at most; more: VD_ERR_TOOBIG */
};

/* How many of the cases have each value of one *stat* column (in the order
 * first met; a column with more than STAT_VALUES_MAX values: VD_ERR_TOOBIG). */
#define STAT_VALUES_MAX 32
struct stat_column_rec {
	struct {
		const char *value;
		int64_t n;
	} values[STAT_VALUES_MAX];
	size_t n;
};
#define STAT_CONTACTS_MAX 31
#define STAT_DAYS_MAX 366
struct case_stat_counts_rec {
	int64_t cases;
	struct stat_column_rec reporter_type, relation, location, channel, phase, route, outcome;
	int64_t named;                         /* of them with a name */
	int64_t behaviours[63], referrals[63]; /* per bit of the bit sets */
	/* how many cases had n conversations (the last: STAT_CONTACTS_MAX or more) */
	int64_t contacts[STAT_CONTACTS_MAX + 1];
	/* how many cases had their first conversation, and were closed, d days
	 * after they came in (the last but one: STAT_DAYS_MAX or more; the
	 * last: none yet, or still open) */
	int64_t first_contact_days[STAT_DAYS_MAX + 2], closed_days[STAT_DAYS_MAX + 2];
	int64_t exceptions; /* of these cases: those with a confidentiality exception recorded (ever) */
};

/* One complaint as the procedure keeps it in the clear, with what its
 * moves and terms say. */
struct complaint_stat_rec {
	const char *channel, *step, *advice;
	int64_t measures;         /* bit set */
	int filed_late;
	int admitted, refused;    /* it moved to admissible / to not admissible */
	int64_t terms_in_time, terms_late; /* its terms met by their due day, and after it */
};
struct complaint_stat_recs {
	struct complaint_stat_rec *items;
	size_t n;
};

/* One report of wrongdoing as the register keeps it in the clear. */
struct wb_stat_rec {
	const char *channel, *category, *relation, *outcome;
	int named, open;
	int64_t received_day, ack_day, feedback_day, closed_day;
};
struct wb_stat_recs {
	struct wb_stat_rec *items;
	size_t n;
};

/* An annual report of a unit and a year (issue 11): the counsellors' written
 * part while it is drafted and reviewed, and once published the counts as
 * they were shown (snapshot) and the units it covers; a published one never
 * changes (the schema refuses it). */
struct annual_report_rec {
	int64_t id, unit_id;
	int64_t year;
	const char *state;      /* draft, review, published */
	const char *trends;     /* the written part ("" none); NULL in lists */
	int64_t written_by, written_at;
	int64_t reviewed_by, published_at; /* 0 until published */
	const char *covers;     /* published: the unit ids it counts, "1,4,5"; "" before */
	const char *snapshot;   /* published: the counts as shown ("" before); NULL in lists */
};
struct annual_report_recs {
	struct annual_report_rec *items;
	size_t n;
};

/* A breach of confidentiality: written once, never changed or removed. */
struct exception_rec {
	int64_t id, case_id, at, by;
	int64_t conditions;  /* bit set of the conditions that were met */
	int64_t told_day;    /* the reporter was told; 0: not (yet) */
	const unsigned char *content; /* AEAD under the case key */
	size_t content_len;
};
struct exception_recs {
	struct exception_rec *items;
	size_t n;
};

/* The counsellor's dashboard: counts and short lists over their own cases,
 * between bounds the caller worked out. */
struct dashboard_query {
	int64_t week_from, week_to; /* appointments with week_from <= starts_at < week_to */
	int64_t quiet_day;          /* open cases whose last conversation (or, never talked about,
				       whose arrival) was before this day */
	int64_t today;              /* aftercare not done, due by this day or without a date */
	size_t limit;               /* per list */
};
struct dashboard_item_rec {
	int64_t case_id;
	int64_t day; /* the last conversation (or the arrival), or the aftercare date; 0: none */
	int64_t at;  /* the appointment; 0: none */
};
struct dashboard_item_recs {
	struct dashboard_item_rec *items;
	size_t n;
};
struct dashboard_rec {
	struct {
		const char *phase;
		int64_t n;
	} by_phase[8];
	size_t nphases;
	struct dashboard_item_recs appointments; /* soonest first */
	struct dashboard_item_recs quiet;        /* longest quiet first (the day of the last conversation, or of arrival) */
	struct dashboard_item_recs aftercare;    /* without a date first, then soonest due */
};

/* ---- public texts, settings, counters ---------------------------------------- */

/* One version of an organisation's document (issue 13): every version is
 * kept, with who adopted it and when; the newest number is the current one.
 * A version holds both languages (the English text may be ""). */
struct doc_version_rec {
	int64_t id;
	const char *kind;       /* "code_of_conduct", "complaints_regulation", ... */
	int64_t unit_id;        /* 0: the whole organisation; else a unit's own */
	int64_t number;         /* 1, 2, ... per kind and unit: set by the store */
	const char *body_nl;    /* plain markup, see web/markup.h */
	const char *body_en;    /* "" when not translated */
	const char *adopted_by; /* the body that adopted it, as typed ("" for the defaults) */
	int64_t adopted_on;     /* day */
	int64_t recorded_at;
	int64_t recorded_by;    /* user id, 0 for the defaults */
};
struct doc_version_recs {
	struct doc_version_rec *items;
	size_t n;
};

/* ---- integrity declarations (issue 13) ------------------------------------------ */

/* A round of a candidate committee: an election or appointment for a unit.
 * Its key pair: candidates seal their declaration's key to the public half;
 * the secret half is sealed to each member (struct round_member_rec). The
 * mac is the core's check of the public key under the data directory's
 * secret: a swapped key is refused before anything is sealed to it. */
struct round_rec {
	int64_t id;
	int64_t unit_id;
	const char *kind;  /* "election", "appointment" */
	const char *title; /* the office, as the committee names it: not about a person */
	int64_t opens_on, closes_on; /* days: the declarations are due by closes_on */
	unsigned char public_key[STORE_KEY_LEN];
	unsigned char mac[STORE_KEY_LEN];
	int64_t created_by, created_at;
	/* read only, for lists: the declarations by state */
	int64_t n_invited, n_draft, n_submitted, n_decided;
};
struct round_recs {
	struct round_rec *items;
	size_t n;
};
struct round_member_rec {
	int64_t user_id;
	unsigned char sealed_key[STORE_SEALED_KEY_LEN]; /* the round's secret key sealed to the member */
};
struct round_question_rec {
	int64_t id;
	int64_t position; /* 1, 2, ... */
	const char *text;
};
struct round_question_recs {
	struct round_question_rec *items;
	size_t n;
};

/* A candidate's declaration in a round. Who the candidate is, is their
 * account (name and e-mail, as for every account); what they declare is in
 * content, under the declaration's own key, which is sealed to the round
 * (round_key) and to the candidate (candidate_key). The committee's notes
 * are under another key, sealed to the round only. The state, the signed
 * version of the code of conduct, the dates and the outcome are in the
 * clear: the lists and the retention term need them. */
struct declaration_rec {
	int64_t id;
	int64_t round_id;
	int64_t candidate_id;
	const char *state; /* "invited", "draft", "submitted", "decided" */
	int64_t invited_at, invited_by;
	const char *invited_name; /* the name the inviting member typed: what the round shows */
	int64_t version;          /* read: the change it is at; declaration_update builds on it */
	const unsigned char *content; size_t content_len;         /* NULL until first saved */
	const unsigned char *round_key; size_t round_key_len;     /* STORE_SEALED_KEY_LEN, or 0 until submitted */
	const unsigned char *candidate_key; size_t candidate_key_len;
	int64_t saved_at;
	int64_t code_version_id; /* the code of conduct version signed; 0: not yet */
	int64_t signed_at, submitted_at;
	int64_t interview_on;    /* day; 0: none recorded */
	const unsigned char *notes; size_t notes_len;
	const unsigned char *notes_key; size_t notes_key_len;
	const char *outcome;     /* "", "accepted", "declined", "withdrawn" */
	int keep_consent;        /* a declined candidate agreed to be kept a year */
	int64_t decided_at, decided_by;
	int64_t purge_after;     /* the moment its term ends */
	int64_t purged_at;
	/* read only: the candidate's account */
	const char *candidate_name, *candidate_email;
};
struct declaration_recs {
	struct declaration_rec *items;
	size_t n;
};

/* ---- the audit log ------------------------------------------------------------ */

/* One entry (DESIGN.md §4): who did what to which record and when, never
 * content. Each entry's hash covers the previous entry's hash, so the
 * entries form a chain (core/audit.c computes the hashes). */
struct audit_rec {
	int64_t seq;             /* 1, 2, 3, ... in the order written */
	int64_t at;
	int64_t actor_id;        /* staff user id; 0 for a reporter or the system */
	const char *action;      /* a name from core/audit.c's closed list */
	const char *object_kind; /* likewise */
	int64_t object_id;
	unsigned char prev_hash[STORE_AUDIT_HASH_LEN];
	unsigned char hash[STORE_AUDIT_HASH_LEN];
	int malformed;           /* read only: a hash column was not STORE_AUDIT_HASH_LEN bytes */
};
struct audit_recs {
	struct audit_rec *items;
	size_t n;
};

/* Fills in r->hash for an entry whose seq and prev_hash the store has set;
 * VD_OK, or an error that stops the append. */
typedef int (*audit_seal_fn)(struct audit_rec *r);

/* ---- the counsellor's own log --------------------------------------------------- */

/* One entry (DESIGN.md §3): advice to managers or the board, a training, a
 * peer supervision (intervisie) session. Everything but the subject is a
 * *stat* field for the annual report. */
struct counsellor_log_rec {
	int64_t id;
	int64_t user_id;           /* the counsellor who wrote it */
	const char *kind;          /* "advice", "training", "supervision" or "question" */
	int64_t on_day;
	int64_t unit_id;           /* advice, question: the unit it was about; 0 otherwise */
	int asked;                 /* advice: 1 asked for, 0 unasked */
	const char *audience;      /* advice: "manager" or "board"; "" otherwise */
	int64_t minutes;           /* training and supervision: how long; 0 for advice */
	const char *reporter_type; /* question: who asked (a case's reporter types); "" otherwise */
	int64_t created_at;
	const unsigned char *subject; /* sealed to the counsellor's public key; NULL: none */
	size_t subject_len;
};
struct counsellor_log_recs {
	struct counsellor_log_rec *items;
	size_t n;
};

/* Where a page of a counsellor's log starts: after this entry (keyset paging
 * on the list's order: day, newest first, then id). */
struct counsellor_log_cursor_rec {
	int64_t on_day;
	int64_t id;
};

/* Counts and sums of log entries. */
struct counsellor_log_totals_rec {
	int64_t advice_asked, advice_unasked; /* advice entries, by whether it was asked for */
	int64_t advice_manager, advice_board; /* the same entries, by to whom */
	int64_t training_entries, training_minutes;
	int64_t supervision_sessions, supervision_minutes;
	int64_t questions; /* short questions answered without a case */
};

/* Retention: what is due for destruction. A case is due once it was closed
 * (or withdrawn) before case_at, or before case_exception_at if it has an
 * exception record; a complaint once it was closed (its last step) before
 * complaint_at; a report of wrongdoing once closed before the day wb_day. */
enum store_kept { STORE_KEPT_CASE, STORE_KEPT_COMPLAINT, STORE_KEPT_WB, STORE_KEPT_DECLARATION };
struct retention_cutoffs_rec {
	int64_t case_at;
	int64_t case_exception_at;
	int64_t complaint_at;
	int64_t wb_day;
	int64_t declaration_at; /* a declaration whose own term (purge_after) ends by then */
};

/* Texts in the caller's arena (the file ids of a destroyed record). */
struct text_list {
	const char **items;
	size_t n;
};

/* Continuity (core/escrow.h): the escrow key's public half and its three
 * trustees, each with their parts of the secret half sealed to them. */
#define STORE_ESCROW_TRUSTEES 3
struct escrow_rec {
	unsigned char public_key[STORE_KEY_LEN];
	int64_t created_at;
	unsigned char mac[STORE_KEY_LEN]; /* the core's check of all of it; the store keeps it */
	struct {
		int64_t user_id;
		const unsigned char *parts;
		size_t parts_len;
	} trustees[STORE_ESCROW_TRUSTEES]; /* by position */
};
struct escrow_request_rec {
	int64_t id;
	int64_t from_user, to_user; /* whose cases go to whom */
	int64_t started_by, started_at;
	const char *state;          /* "open", "running" (being carried out), "done" or "cancelled" */
	int64_t moved, not_moved;   /* done: cases moved, and left */
	int64_t done_at;
};
struct escrow_request_recs {
	struct escrow_request_rec *items;
	size_t n;
};
struct escrow_approval_rec {
	int64_t request_id;
	int64_t trustee_id;
	int64_t at;
	const unsigned char *parts; /* the approver's parts, each sealed to another trustee */
	size_t parts_len;
};
struct escrow_approval_recs {
	struct escrow_approval_rec *items;
	size_t n;
};

/* ---- failure counters shared by the servers of one database -------------------- */

/* A throttle's counter (core/throttle_stored.c decides what it means). */
#define STORE_THROTTLE_KEY_LEN 32
struct throttle_rec {
	unsigned char key[STORE_THROTTLE_KEY_LEN]; /* a keyed hash: never an address */
	int64_t count, first_at, last_at;
};

/* ---- whole rows, for copying a store -------------------------------------------- */

/* A value as both backends keep it: SQLite's NULL, INTEGER, TEXT and BLOB. */
enum store_value_kind { STORE_NULL, STORE_INT, STORE_TEXT, STORE_BYTES };

struct store_value {
	enum store_value_kind kind;
	int64_t i;       /* STORE_INT */
	const void *p;   /* STORE_TEXT (not NUL-terminated) and STORE_BYTES */
	size_t n;
};

/* One row of a table; the pointers live until the callback returns. */
struct store_row {
	const char *table;
	size_t n;
	const char *const *columns;
	const struct store_value *values;
};

typedef int (*store_row_fn)(void *ctx, const struct store_row *row);

/* Every table of the schema but the schema's own version, in an order in
 * which each comes after the tables it refers to (store_copy.c). */
extern const char *const store_tables[];
extern const size_t store_table_count;
/* The index of table in store_tables, or -1. */
int store_table_index(const char *table);

/* ---- the table ------------------------------------------------------------------ */

struct store;

struct store_ops {
	const char *name;
	void (*close)(struct store *s);
	/* Brings the schema up to date; *from and *to (when given) the versions. */
	int (*migrate)(struct store *s, int *from, int *to);
	int (*schema_version)(struct store *s, int *version);
	/* How many tables the store's database (PostgreSQL: its schema) holds,
	 * ours or not: 0 for a database never used. */
	int (*table_count)(struct store *s, int64_t *n);
	/* Writes ops and mem_kib beside every receipt code without a cost of its
	 * own (receipt_ops 0: made before schema 23, at the password cost of the
	 * time), in cases, wb_reports and complaint_parties, in one transaction. */
	int (*receipt_costs_fill)(struct store *s, uint32_t ops, uint32_t mem_kib);
	int (*check)(struct store *s); /* integrity check; VD_OK if sound */
	/* Writes the whole database as it was at one moment (a consistent copy,
	 * taken while others go on writing) to path, a new file in the backend's
	 * own format that this backend's open reads. VD_ERR_EXISTS if path holds
	 * anything but an empty file; VD_ERR_MISUSE inside a transaction (it
	 * copies what is committed). NULL for a store whose database is not a
	 * file of the data directory (PostgreSQL): its backup is a store_copy
	 * into a new SQLite database (core/backup.c). */
	int (*copy_to)(struct store *s, const char *path);
	/* Copying a whole installation from one store to another, whatever
	 * their backends (store_copy below; vertrouwd migrate-store).
	 * rows_each gives fn every row of every table of store_tables, in that
	 * order (a unit after its parent), all read at one moment: in a read
	 * transaction of its own, or inside the caller's transaction (then it
	 * sees what that wrote). It stops at fn's first error and returns it.
	 * VD_ERR_STORE for a value of a type store_value cannot hold. */
	int (*rows_each)(struct store *s, store_row_fn fn, void *ctx);
	/* load_begin starts a write transaction for load_row, with the
	 * triggers that keep derived values up to date held off (contacts
	 * counted in cases): the rows come with their values as they were.
	 * load_row inserts one row as it is (VD_ERR_MISUSE for a table not in
	 * store_tables or a column name that is not a plain identifier).
	 * load_end with rc VD_OK puts the id counters past the highest ids,
	 * the triggers back, and commits; with an error it rolls back. */
	int (*load_begin)(struct store *s);
	int (*load_row)(struct store *s, const struct store_row *row);
	int (*load_end)(struct store *s, int rc);
	/* Makes what was deleted unreadable in the database's files as well
	 * (SQLite: secure_delete zeroes freed pages; this checkpoints the WAL
	 * into the database and truncates it). VD_ERR_BUSY if a reader kept it
	 * from finishing: try again later. */
	int (*compact)(struct store *s);
	/* Failure counters: throttle_get VD_ERR_NOTFOUND when there is none;
	 * throttle_put inserts or replaces; throttle_delete is no error for
	 * none; throttle_purge removes those last counted before before. */
	int (*throttle_get)(struct store *s, const unsigned char key[STORE_THROTTLE_KEY_LEN], struct throttle_rec *out);
	int (*throttle_put)(struct store *s, const struct throttle_rec *r);
	int (*throttle_delete)(struct store *s, const unsigned char key[STORE_THROTTLE_KEY_LEN]);
	int (*throttle_purge)(struct store *s, int64_t before);

	/* Retention (struct retention_cutoffs_rec). The ids of the records of
	 * kind that are due and not yet destroyed, above after_id, ascending. */
	int (*retention_due)(struct store *s, struct arena *a, enum store_kept kind,
			     const struct retention_cutoffs_rec *c, int64_t after_id, size_t limit, struct id_list *out);
	/* Destroys record id of kind, if it is still due under c (a case
	 * reopened or given an exception record since it was listed is not):
	 * every key that opens it (the readers'
	 * sealed keys and the copy under the receipt code, which no longer
	 * opens anything), its content and the rows of content that belong to
	 * it (messages, notes, letters, hearings, parties, events, the files'
	 * rows); keeps its *stat* fields and its clocks, and sets purged_at.
	 * The ids of its files go to *files, for the caller to remove once this
	 * committed. VD_ERR_NOTFOUND if there is no such record, it is not due,
	 * or it was destroyed already. Atomic. Afterwards the record's get, claim and
	 * find by locator say VD_ERR_NOTFOUND; the stat queries still count it. */
	int (*record_purge)(struct store *s, struct arena *a, enum store_kept kind, int64_t id,
			    const struct retention_cutoffs_rec *c, int64_t at, struct text_list *files);
	/* Continuity (struct escrow_rec). The escrow: VD_ERR_NOTFOUND if none. */
	int (*escrow_get)(struct store *s, struct arena *a, struct escrow_rec *out);
	/* Sets up the escrow, replacing one there is: the old one's case copies
	 * and approvals go, its open requests are cancelled. Atomic. */
	int (*escrow_put)(struct store *s, const struct escrow_rec *e);
	/* A case key sealed to the escrow (replacing one there is). */
	int (*escrow_key_put)(struct store *s, int64_t case_id, const unsigned char sealed[STORE_SEALED_KEY_LEN]);
	int (*escrow_key_get)(struct store *s, int64_t case_id, unsigned char sealed[STORE_SEALED_KEY_LEN]);
	/* The cases user_id reads that have no escrow copy, ascending. */
	int (*escrow_uncovered)(struct store *s, struct arena *a, int64_t user_id, size_t limit, struct id_list *out);
	/* VD_ERR_EXISTS if from_user has an open (or running) request already. */
	int (*escrow_request_insert)(struct store *s, const struct escrow_request_rec *r, int64_t *id);
	int (*escrow_request_get)(struct store *s, struct arena *a, int64_t id, struct escrow_request_rec *out);
	/* Newest first. */
	int (*escrow_request_list)(struct store *s, struct arena *a, size_t limit, struct escrow_request_recs *out);
	/* Compare-and-set: a request in state from goes to state to with its
	 * counts; VD_ERR_NOTFOUND if it is not in from. Going to "done" or
	 * "cancelled" deletes its approvals (the parts left in them). */
	int (*escrow_request_end)(struct store *s, int64_t id, const char *from, const char *to, int64_t moved,
				  int64_t not_moved, int64_t at);
	/* VD_ERR_EXISTS if the trustee approved the request already. */
	int (*escrow_approval_put)(struct store *s, const struct escrow_approval_rec *p);
	int (*escrow_approval_list)(struct store *s, struct arena *a, int64_t request_id,
				    struct escrow_approval_recs *out);
	/* The cases user_id reads, ascending (not destroyed ones). */
	int (*user_case_ids)(struct store *s, struct arena *a, int64_t user_id, struct id_list *out);

	/* Empties the subject (sealed text) of counsellor log entries made
	 * before the moment before, keeping their *stat* fields; *n: how many. */
	int (*log_subjects_purge)(struct store *s, int64_t before, int64_t *n);

	int (*begin)(struct store *s);
	int (*commit)(struct store *s);
	void (*rollback)(struct store *s); /* no-op outside a transaction */

	/* Units: a tree by parent_id (the store does not check for cycles). */
	int (*unit_insert)(struct store *s, const struct unit_rec *u, int64_t *id);
	/* Changes parent, name and kind; VD_ERR_NOTFOUND for no such unit. */
	int (*unit_update)(struct store *s, const struct unit_rec *u);
	/* VD_ERR_INUSE while sub-units, members, log entries or cases name it. */
	int (*unit_delete)(struct store *s, int64_t id);
	int (*unit_list)(struct store *s, struct arena *a, struct unit_recs *out); /* by id */

	/* Users. VD_ERR_EXISTS when the e-mail address is taken (any case). */
	int (*user_insert)(struct store *s, const struct user_rec *u, int64_t *id);
	/* Updates email, name, role and active. */
	int (*user_update)(struct store *s, const struct user_rec *u);
	int (*user_set_password)(struct store *s, int64_t id, const char *hash, int must_change);
	int (*user_get)(struct store *s, struct arena *a, int64_t id, struct user_rec *out);
	int (*user_find_email)(struct store *s, struct arena *a, const char *email, struct user_rec *out);
	/* By name (ASCII letters compared without case), then id. */
	int (*user_list)(struct store *s, struct arena *a, struct user_recs *out);
	/* Replaces the user's units with these (duplicates ignored). */
	int (*user_units_set)(struct store *s, int64_t user_id, const struct id_list *units);
	int (*user_units_get)(struct store *s, struct arena *a, int64_t user_id, struct id_list *out); /* ascending */

	/* Insert or replace a user's profile. */
	int (*profile_put)(struct store *s, const struct profile_rec *p);
	int (*profile_get)(struct store *s, struct arena *a, int64_t user_id, struct profile_rec *out);
	/* Active users with role counsellor, with their profile (empty when none
	 * was saved) and units, by name as user_list, then id. */
	int (*counsellor_list)(struct store *s, struct arena *a, struct counsellor_recs *out);

	/* Sessions, found by the keyed hash of their token. */
	int (*session_insert)(struct store *s, const struct session_rec *r);
	int (*session_get)(struct store *s, const unsigned char *token_hash, struct session_rec *out);
	/* The session and its user in one read (the check every staff request
	 * makes: one database transaction, not two). VD_ERR_NOTFOUND when
	 * either is gone. */
	int (*session_user_get)(struct store *s, struct arena *a, const unsigned char *token_hash,
				struct session_rec *out, struct user_rec *user);
	int (*session_touch)(struct store *s, const unsigned char *token_hash, int64_t last_seen_at);
	int (*session_delete)(struct store *s, const unsigned char *token_hash); /* VD_OK if none */
	int (*session_delete_user)(struct store *s, int64_t user_id);
	/* Removes sessions last seen before idle_before, or expired by now
	 * (expires_at <= now). */
	int (*session_purge)(struct store *s, int64_t idle_before, int64_t now);

	int (*user_key_put)(struct store *s, const struct user_key_rec *k); /* insert or replace */
	int (*user_key_get)(struct store *s, int64_t user_id, struct user_key_rec *out);

	/* Inserts a case with its readers' sealed keys, all new to them.
	 * VD_ERR_EXISTS if the locator is taken (nothing is written). */
	int (*case_insert)(struct store *s, const struct case_rec *c, const struct case_key_rec *keys,
			   size_t nkeys, int64_t *id);
	int (*case_get)(struct store *s, struct arena *a, int64_t id, struct case_rec *out);
	int (*case_find_locator)(struct store *s, struct arena *a, const char *locator, struct case_rec *out);
	/* The case key sealed to user_id; VD_ERR_NOTFOUND if user_id is no reader. */
	int (*case_key_get)(struct store *s, int64_t case_id, int64_t user_id, struct case_key_rec *out);
	/* user_id's cases, unopened first, then newest first (created_at, id);
	 * after NULL: from the top. */
	int (*case_list)(struct store *s, struct arena *a, int64_t user_id, const struct case_cursor_rec *after,
			 size_t limit, struct case_summary_recs *out);
	/* user_id has read case id: no longer new to them; the case's opened_at
	 * becomes when, unless it was opened before (compare-and-set). For a
	 * user who is no reader, or no such case: VD_OK, nothing changes. */
	int (*case_mark_opened)(struct store *s, int64_t id, int64_t user_id, int64_t when);
	/* The user ids of a case's readers, ascending. */
	int (*case_readers)(struct store *s, struct arena *a, int64_t case_id, struct id_list *out);

	/* Appends a message; a reporter's message makes the case new again for
	 * every reader. */
	int (*message_insert)(struct store *s, const struct message_rec *m, int64_t *id);
	/* A case's newest limit messages, oldest first. */
	int (*message_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			    struct message_recs *out);

	/* VD_ERR_EXISTS if file_id is taken. */
	int (*attachment_insert)(struct store *s, const struct attachment_rec *f, int64_t *id);
	/* A case's files, oldest first. */
	int (*attachment_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			       struct attachment_recs *out);
	/* One file of a case by its file_id; VD_ERR_NOTFOUND if the case has no such file. */
	int (*attachment_get)(struct store *s, struct arena *a, int64_t case_id, const char *file_id,
			      struct attachment_rec *out);
	/* VD_OK if a row names file_id (a case's, a complaint's or a report of
	 * wrongdoing's), VD_ERR_NOTFOUND if none does. */
	int (*attachment_exists)(struct store *s, const char *file_id);
	/* The same for the files of a complaint (case_id: its id). */
	int (*complaint_attachment_insert)(struct store *s, const struct attachment_rec *f, int64_t *id);
	int (*complaint_attachment_list)(struct store *s, struct arena *a, int64_t complaint_id, size_t limit,
					 struct attachment_recs *out);
	int (*complaint_attachment_get)(struct store *s, struct arena *a, int64_t complaint_id, const char *file_id,
					struct attachment_rec *out);
	/* The same for a report of wrongdoing (case_id: its id; message_id: the
	 * event it came with, 0: the report itself). */
	int (*wb_attachment_insert)(struct store *s, const struct attachment_rec *f, int64_t *id);
	int (*wb_attachment_list)(struct store *s, struct arena *a, int64_t report_id, size_t limit,
				  struct attachment_recs *out);
	int (*wb_attachment_get)(struct store *s, struct arena *a, int64_t report_id, const char *file_id,
				 struct attachment_rec *out);

	int (*invitation_insert)(struct store *s, const struct invitation_rec *v);
	/* Reads and deletes an invitation in one step: of two callers at once,
	 * one gets it and the other VD_ERR_NOTFOUND. Expiry is the caller's. */
	int (*invitation_take)(struct store *s, struct arena *a, const unsigned char *token_hash,
			       struct invitation_rec *out);
	int (*invitation_purge)(struct store *s, int64_t now); /* removes those with expires_at <= now */

	int (*outbox_add)(struct store *s, const struct outbox_rec *m);
	/* Claims the (at most limit) soonest messages due by now (next_at <=
	 * now), by moving their next_at to until: no other caller gets them
	 * before then. They come back in no particular order. The caller then
	 * marks each done or sets its retry (an id no longer there: VD_OK). A
	 * message whose sender died comes due again when its lease ends. */
	int (*outbox_claim)(struct store *s, struct arena *a, int64_t now, int64_t until, size_t limit,
			    struct outbox_recs *out);
	int (*outbox_done)(struct store *s, int64_t id);
	int (*outbox_retry)(struct store *s, int64_t id, int attempts, int64_t next_at);

	/* Case work. The work record as it is (plain read). */
	int (*case_work_get)(struct store *s, struct arena *a, int64_t case_id, struct case_work_rec *out);
	/* The same, claimed for change: inside a transaction only (else
	 * VD_ERR_MISUSE); no other transaction can claim or change the record
	 * until this one ends. Read-modify-write goes through here. */
	int (*case_work_claim)(struct store *s, struct arena *a, int64_t case_id, struct case_work_rec *out);
	/* Writes the record (the read-only fields are ignored). */
	int (*case_work_put)(struct store *s, const struct case_work_rec *w);
	/* Moves cases.phase from -> to and records the move (compare-and-set:
	 * VD_ERR_NOTFOUND when the case is not, or no longer, in from). */
	int (*case_set_phase)(struct store *s, int64_t case_id, const char *from, const char *to, int64_t at,
			      int64_t by);
	/* A case's moves, newest first. */
	int (*phase_move_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			       struct phase_move_recs *out);
	int (*case_set_stats)(struct store *s, int64_t case_id, const struct case_stats_rec *st);
	int (*contact_insert)(struct store *s, const struct contact_rec *c, int64_t *id);
	/* Newest day first, then newest id. */
	int (*contact_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			    struct contact_recs *out);
	int (*appointment_insert)(struct store *s, const struct appointment_rec *ap, int64_t *id);
	/* Latest start first, then newest id. */
	int (*appointment_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
				struct appointment_recs *out);
	int (*consent_insert)(struct store *s, const struct consent_rec *c, int64_t *id);
	/* Newest first: the first record of a step is the one in force. */
	int (*consent_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			    struct consent_recs *out);
	/* A complaint and its readers' sealed keys. */
	int (*complaint_insert)(struct store *s, const struct complaint_rec *c, const struct case_key_rec *keys,
				size_t nkeys, int64_t *id);
	/* Hands a case from one reader to another: to's key row, new to them
	 * (replaced, and new again, if they read it already), from_user's gone,
	 * the case's counsellor updated when it was from_user. Compare-and-set:
	 * VD_ERR_NOTFOUND when from_user is not (or no longer) a reader. */
	int (*case_reader_replace)(struct store *s, int64_t case_id, int64_t from_user, const struct case_key_rec *to);
	/* user_id declares a conflict of interest (again: no change). */
	int (*conflict_put)(struct store *s, int64_t case_id, int64_t user_id, int64_t at);
	/* The users who did, first declared first (at most 64). */
	int (*conflict_list)(struct store *s, struct arena *a, int64_t case_id, struct id_list *out);
	/* Written once: nothing will ever change or remove it (the schema
	 * refuses it: VD_ERR_MISUSE). */
	int (*exception_insert)(struct store *s, const struct exception_rec *e, int64_t *id);
	/* Oldest first. */
	int (*exception_list)(struct store *s, struct arena *a, int64_t case_id, size_t limit,
			      struct exception_recs *out);
	/* ---- complaints (the committee's files) ---- */
	int (*complaint_get)(struct store *s, struct arena *a, int64_t id, struct complaint_rec *out);
	/* complaint_get for a change: every change to a complaint's procedure
	 * claims it first, inside a transaction (outside one: VD_ERR_MISUSE),
	 * and holds it until the transaction ends. */
	int (*complaint_claim)(struct store *s, struct arena *a, int64_t id, struct complaint_rec *out);
	/* Writes the procedure's fields (step, step_before, step_at, open,
	 * last_incident_day, filed_late, next_due_day, advice, measures); the
	 * rest never changes. */
	int (*complaint_update)(struct store *s, const struct complaint_rec *c);
	/* user_id's sealed key to it; VD_ERR_NOTFOUND when it has none. */
	int (*complaint_key_get)(struct store *s, int64_t complaint_id, int64_t user_id, struct case_key_rec *out);
	/* The users it is sealed to, ascending (at most 64). */
	int (*complaint_readers)(struct store *s, struct arena *a, int64_t complaint_id, struct id_list *out);
	int (*complaint_list)(struct store *s, struct arena *a, const struct complaint_query *q,
			      struct complaint_recs *out);
	/* The running terms (not met, with a due day) of the open complaints
	 * q selects (its open and due_before are not used), by due day then
	 * id, from q->offset, at most q->limit. */
	int (*complaint_running_terms)(struct store *s, struct arena *a, const struct complaint_query *q,
				       struct complaint_term_recs *out);
	/* The open complaints without a term, by id (to start theirs). */
	int (*complaint_without_terms)(struct store *s, struct arena *a, size_t limit, struct id_list *out);
	/* The open complaints with id > after, by id (keyset paging). */
	int (*complaint_open_after)(struct store *s, struct arena *a, int64_t after, size_t limit,
				    struct id_list *out);
	int (*complaint_term_insert)(struct store *s, const struct complaint_term_rec *t, int64_t *id);
	/* Writes due_day and met_day; the rest never changes. */
	int (*complaint_term_update)(struct store *s, const struct complaint_term_rec *t);
	/* The open terms of open complaints with 0 < due_day <= until_day whose
	 * reminded bits are not all of all_bits, of kind (NULL: any), by due day
	 * then id. */
	int (*complaint_terms_due)(struct store *s, struct arena *a, int64_t until_day, int64_t all_bits,
				   const char *kind, size_t limit, struct complaint_term_recs *out);
	/* Compare-and-set: adds bit to the term's reminded bits if it is not
	 * there yet; VD_ERR_NOTFOUND if it is (or no such term), so one
	 * reminder goes out once however many servers look. */
	int (*complaint_term_remind)(struct store *s, int64_t term_id, int64_t bit);
	/* Oldest first (at most 64). */
	int (*complaint_term_list)(struct store *s, struct arena *a, int64_t complaint_id,
				   struct complaint_term_recs *out);
	int (*complaint_pause_insert)(struct store *s, const struct complaint_pause_rec *p, int64_t *id);
	/* Ends the pause that has not ended (to_day 0) on to_day; VD_ERR_NOTFOUND
	 * when none has. */
	int (*complaint_pause_end)(struct store *s, int64_t complaint_id, int64_t to_day);
	/* Oldest first (at most 64). */
	int (*complaint_pause_list)(struct store *s, struct arena *a, int64_t complaint_id,
				    struct complaint_pause_recs *out);
	int (*complaint_extension_insert)(struct store *s, const struct complaint_extension_rec *e, int64_t *id);
	/* The extensions of all the complaint's terms, oldest first (at most 64). */
	int (*complaint_extension_list)(struct store *s, struct arena *a, int64_t complaint_id,
					struct complaint_extension_recs *out);
	int (*complaint_move_insert)(struct store *s, const struct complaint_move_rec *m, int64_t *id);
	/* Oldest first. */
	int (*complaint_move_list)(struct store *s, struct arena *a, int64_t complaint_id, size_t limit,
				   struct complaint_move_recs *out);

	/* The parties to a complaint. party_insert: VD_ERR_EXISTS if the
	 * locator is taken (nothing written). */
	int (*complaint_party_insert)(struct store *s, const struct complaint_party_rec *p, int64_t *id);
	int (*complaint_party_find_locator)(struct store *s, struct arena *a, const char *locator,
					    struct complaint_party_rec *out);
	/* Oldest first (at most 64). */
	int (*complaint_party_list)(struct store *s, struct arena *a, int64_t complaint_id,
				    struct complaint_party_recs *out);
	/* The supporter rows of user_id, newest first, at most limit. */
	int (*complaint_party_supported)(struct store *s, struct arena *a, int64_t user_id, size_t limit,
					 struct complaint_party_recs *out);
	int (*complaint_letter_insert)(struct store *s, const struct complaint_letter_rec *l, int64_t *id);
	/* A complaint's letters, to and from party_id (0: every party), the
	 * newest limit of them, oldest first. */
	int (*complaint_letter_list)(struct store *s, struct arena *a, int64_t complaint_id, int64_t party_id,
				     size_t limit, struct complaint_letter_recs *out);
	/* How many letters of kind went to or came from party_id. */
	int (*complaint_letter_count)(struct store *s, int64_t party_id, const char *kind, int64_t *n);
	int (*complaint_hearing_insert)(struct store *s, const struct complaint_hearing_rec *h, int64_t *id);
	/* Writes the minutes and the day they were sent. */
	int (*complaint_hearing_update)(struct store *s, const struct complaint_hearing_rec *h);
	/* Oldest first (at most 64). */
	int (*complaint_hearing_list)(struct store *s, struct arena *a, int64_t complaint_id,
				      struct complaint_hearing_recs *out);
	int (*complaint_heard_insert)(struct store *s, const struct complaint_heard_rec *h);
	/* Sets approval and reacted_day of (hearing_id, party_id). */
	int (*complaint_heard_update)(struct store *s, const struct complaint_heard_rec *h);
	/* Of all the complaint's hearings (at most 256). */
	int (*complaint_heard_list)(struct store *s, struct arena *a, int64_t complaint_id,
				    struct complaint_heard_recs *out);

	/* ---- the whistleblower register ---- */
	/* A report with its officers' keys. VD_ERR_EXISTS if the locator is
	 * taken (nothing written). */
	int (*wb_report_insert)(struct store *s, const struct wb_report_rec *r, const struct wb_key_rec *keys,
				size_t nkeys, int64_t *id);
	int (*wb_report_get)(struct store *s, struct arena *a, int64_t id, struct wb_report_rec *out);
	/* wb_report_get for a change, as complaint_claim. */
	int (*wb_report_claim)(struct store *s, struct arena *a, int64_t id, struct wb_report_rec *out);
	int (*wb_report_find_locator)(struct store *s, struct arena *a, const char *locator,
				      struct wb_report_rec *out);
	/* Writes category, ack_day, feedback_day, outcome, open, closed_day and
	 * next_due_day; the rest never changes. */
	int (*wb_report_update)(struct store *s, const struct wb_report_rec *r);
	/* A new code for the reporter: writes locator, receipt_salt,
	 * receipt_verifier and mailbox_by_receipt, and sets code_own. VD_ERR_EXISTS
	 * if the locator is taken (nothing written). */
	int (*wb_report_rekey)(struct store *s, const struct wb_report_rec *r);
	/* user_id's keys to it; VD_ERR_NOTFOUND when it has none. */
	int (*wb_key_get)(struct store *s, int64_t report_id, int64_t user_id, struct wb_key_rec *out);
	int (*wb_report_list)(struct store *s, struct arena *a, const struct wb_query *q, struct wb_report_recs *out);
	/* The open reports with 0 < next_due_day <= until_day, by due day then id. */
	int (*wb_reports_due)(struct store *s, struct arena *a, int64_t until_day, size_t limit,
			      struct wb_report_recs *out);
	/* Compare-and-set: adds bit to the report's reminded bits if it is not
	 * there yet; VD_ERR_NOTFOUND if it is (or no such report). */
	int (*wb_report_remind)(struct store *s, int64_t id, int64_t bit);
	int (*wb_event_insert)(struct store *s, const struct wb_event_rec *e, int64_t *id);
	/* How many events report_id has. */
	int (*wb_event_count)(struct store *s, int64_t report_id, int64_t *n);
	/* A report's events, oldest first (the first limit of them). */
	int (*wb_event_list)(struct store *s, struct arena *a, int64_t report_id, size_t limit,
			     struct wb_event_recs *out);

	/* The annual report's counts, read without any key: of the cases q
	 * takes, column by column (one pass over them); the reports of
	 * wrongdoing q takes, one row each, by id. */
	int (*case_stat_counts)(struct store *s, struct arena *a, const struct stat_query *q,
				struct case_stat_counts_rec *out);
	int (*wb_stat_rows)(struct store *s, struct arena *a, const struct stat_query *q, struct wb_stat_recs *out);
	/* The complaints q takes (received in its days), one row each, by id. */
	/* The second factor of user_id (store.h user_totp_rec); secret NULL
	 * when none. VD_ERR_NOTFOUND for no such user. */
	int (*user_totp_get)(struct store *s, struct arena *a, int64_t user_id, struct user_totp_rec *out);
	/* Sets it (secret NULL: none; the last step back to 0) and, in the
	 * same statement, its backup codes: the n hashes given (n 0: none). */
	int (*user_totp_put)(struct store *s, int64_t user_id, const unsigned char *secret, size_t secret_len, int on,
			     const unsigned char (*backup_hashes)[STORE_BACKUP_HASH_LEN], size_t n);
	/* Records that the code of step was used: VD_ERR_NOTFOUND when a code of
	 * this step or a later one was used before (no code works twice). */
	int (*user_totp_use_step)(struct store *s, int64_t user_id, int64_t step);
	/* Uses up the backup code with this hash: VD_ERR_NOTFOUND when it is
	 * not one of user_id's (or was used). *left: how many remain. */
	int (*backup_code_use)(struct store *s, int64_t user_id, const unsigned char hash[STORE_BACKUP_HASH_LEN],
			       int64_t *left);
	int (*backup_codes_left)(struct store *s, int64_t user_id, int64_t *left);
	/* The session's second factor is done. VD_ERR_NOTFOUND for no such session. */
	int (*session_second_factor_done)(struct store *s, const unsigned char *token_hash);
	/* How many short questions (counsellor log entries of kind "question")
	 * of q's units and days had each reporter type. */
	int (*question_stat_counts)(struct store *s, struct arena *a, const struct stat_query *q,
				    struct stat_column_rec *out);
	/* The annual report of unit_id and year; VD_ERR_NOTFOUND when none. */
	int (*annual_report_get)(struct store *s, struct arena *a, int64_t unit_id, int64_t year,
				 struct annual_report_rec *out);
	/* Writes the draft or reviewed report r (r->unit_id, r->year, r->state,
	 * r->trends, r->written_by, r->written_at), inserting it when new;
	 * VD_ERR_MISUSE for a published one (it may never change). */
	int (*annual_report_put)(struct store *s, const struct annual_report_rec *r);
	/* Publishes the report of r->unit_id and r->year if it is in review:
	 * its reviewed_by, published_at, covers and snapshot. VD_ERR_NOTFOUND
	 * when there is none in review. */
	int (*annual_report_publish)(struct store *s, const struct annual_report_rec *r);
	/* Every report (of every state when published_only is false) of year
	 * (0: any), newest year first, without trends or snapshot: at most
	 * limit; more: VD_ERR_TOOBIG. */
	int (*annual_report_list)(struct store *s, struct arena *a, int64_t year, bool published_only, size_t limit,
				  struct annual_report_recs *out);
	int (*complaint_stat_rows)(struct store *s, struct arena *a, const struct stat_query *q,
				   struct complaint_stat_recs *out);

	/* Over the cases user_id reads; see struct dashboard_query. */
	int (*dashboard)(struct store *s, struct arena *a, int64_t user_id, const struct dashboard_query *q,
			 struct dashboard_rec *out);

	/* Integrity declarations (struct round_rec, struct declaration_rec). A
	 * round with its members and questions, all new. Atomic. */
	int (*round_insert)(struct store *s, const struct round_rec *r, const struct round_member_rec *members,
			    size_t nmembers, const char *const *questions, size_t nquestions, int64_t *id);
	int (*round_get)(struct store *s, struct arena *a, int64_t id, struct round_rec *out);
	/* The rounds user_id is a member of, newest first, with their counts. */
	int (*round_list)(struct store *s, struct arena *a, int64_t user_id, size_t limit, struct round_recs *out);
	/* user_id's sealed copy of the round's secret key; VD_ERR_NOTFOUND: no member. */
	int (*round_member_get)(struct store *s, int64_t round_id, int64_t user_id, struct round_member_rec *out);
	int (*round_member_add)(struct store *s, int64_t round_id, const struct round_member_rec *m);
	/* The members, ascending (at most 64). */
	int (*round_members)(struct store *s, struct arena *a, int64_t round_id, struct id_list *out);
	int (*round_questions)(struct store *s, struct arena *a, int64_t round_id, struct round_question_recs *out);
	/* A new declaration (state "invited", with d's invitation and
	 * purge_after); VD_ERR_EXISTS if the candidate has one in the round
	 * already. */
	int (*declaration_insert)(struct store *s, const struct declaration_rec *d, int64_t *id);
	/* VD_ERR_NOTFOUND for none, or one destroyed by retention. */
	int (*declaration_get)(struct store *s, struct arena *a, int64_t id, struct declaration_rec *out);
	/* Writes every field of d but its ids and the invitation, if it is
	 * still at d->version and not destroyed (VD_ERR_NOTFOUND if not), and
	 * moves it to the next version: of two changes that read the same
	 * version, one is refused. A declaration decided loses its links. */
	int (*declaration_update)(struct store *s, const struct declaration_rec *d);
	/* Of a round (by candidate name) or of a candidate (newest first),
	 * without content or notes, not destroyed ones. */
	int (*declaration_list_round)(struct store *s, struct arena *a, int64_t round_id, size_t limit,
				      struct declaration_recs *out);
	int (*declaration_list_candidate)(struct store *s, struct arena *a, int64_t candidate_id, size_t limit,
					  struct declaration_recs *out);
	/* A candidate's one-time link: a keyed hash of its token, replacing
	 * the declaration's earlier link. Take spends it (whether or not it is
	 * still valid) and gives its declaration and expiry; VD_ERR_NOTFOUND
	 * for an unknown or spent one. */
	int (*candidate_link_put)(struct store *s, int64_t declaration_id, const unsigned char hash[STORE_TOKEN_HASH_LEN],
				  int64_t expires_at);
	int (*candidate_link_take)(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], int64_t *declaration_id,
				   int64_t *expires_at);
	/* The same without spending it. */
	int (*candidate_link_find)(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], int64_t *declaration_id,
				   int64_t *expires_at);

	/* A new version of kind for unit_id: the store numbers it one past the
	 * newest (d->number is ignored) and gives its id. Versions never change. */
	int (*doc_version_add)(struct store *s, const struct doc_version_rec *d, int64_t *id);
	int (*doc_version_get)(struct store *s, struct arena *a, int64_t id, struct doc_version_rec *out);
	/* The newest version of kind for unit_id exactly; VD_ERR_NOTFOUND: none. */
	int (*doc_version_current)(struct store *s, struct arena *a, const char *kind, int64_t unit_id,
				   struct doc_version_rec *out);
	/* Every version of kind, of every unit, without their bodies (""), by
	 * unit (0 first) and newest first: at most limit. */
	int (*doc_version_list)(struct store *s, struct arena *a, const char *kind, size_t limit,
				struct doc_version_recs *out);

	/* Settings: named texts. */
	int (*setting_get)(struct store *s, struct arena *a, const char *key, const char **value);
	int (*setting_put)(struct store *s, const char *key, const char *value); /* insert or replace */

	/* Counters: named numbers, 0 until first incremented. */
	int (*counter_get)(struct store *s, const char *name, int64_t *value);
	/* Adds one and gives the new value, atomically however many add at once. */
	int (*counter_increment)(struct store *s, const char *name, int64_t *value);

	/* The audit log, append-only: nothing changes or removes an entry
	 * (the schema refuses it: VD_ERR_MISUSE). audit_append_next appends r
	 * as the entry after the newest, in one step no other append can come
	 * between: it sets r->seq (the newest seq + 1, or 1) and r->prev_hash
	 * (the newest entry's hash, or zeros), calls seal(r) to fill r->hash,
	 * and writes r. */
	int (*audit_append_next)(struct store *s, struct audit_rec *r, audit_seal_fn seal);
	/* The entry with the highest seq; VD_ERR_NOTFOUND while the log is empty. */
	int (*audit_last)(struct store *s, struct arena *a, struct audit_rec *out);
	/* Up to limit entries with seq > after, oldest first (keyset paging: a
	 * page costs the same however deep it is). */
	int (*audit_after)(struct store *s, struct arena *a, int64_t after, size_t limit,
			   struct audit_recs *out);
	/* Up to limit entries with seq < before (0: from the newest), newest first. */
	int (*audit_before)(struct store *s, struct arena *a, int64_t before, size_t limit,
			    struct audit_recs *out);

	/* A counsellor's own log. */
	int (*counsellor_log_insert)(struct store *s, const struct counsellor_log_rec *e, int64_t *id);
	/* user_id's entries, newest day first (then newest id), after the
	 * cursor (NULL: from the top). */
	int (*counsellor_log_list)(struct store *s, struct arena *a, int64_t user_id,
				   const struct counsellor_log_cursor_rec *after, size_t limit,
				   struct counsellor_log_recs *out);
	/* Deletes entry id if it is user_id's; VD_ERR_NOTFOUND otherwise. */
	int (*counsellor_log_delete)(struct store *s, int64_t user_id, int64_t id);
	/* Totals over the entries with from_day <= on_day < to_day. unit_id 0:
	 * every unit; else the advice about that unit (not its sub-units) and
	 * the training and supervision of the counsellors attached to it now.
	 * user_id 0: every counsellor; else only theirs. */
	int (*counsellor_log_totals)(struct store *s, int64_t from_day, int64_t to_day, int64_t unit_id,
				     int64_t user_id, struct counsellor_log_totals_rec *out);
};

struct store {
	const struct store_ops *ops;
};

/* Opens the SQLite store at path (created if missing when create is set).
 * On success *out is the caller's; free with store_close(). */
int store_sqlite_open(const char *path, int create, struct store **out);
/* The PostgreSQL store on the database a libpq connection string names. */
int store_postgres_open(const char *conninfo, struct store **out);

/* What store_copy copied: rows per table (in store_tables order) and all. */
struct store_copy_counts {
	int64_t rows[64];
	int64_t total;
};

/* A hash of n bytes into out (the store computes none itself: the caller
 * brings one, crypto_digest in the core). */
#define STORE_DIGEST_LEN 32
typedef void (*store_digest_fn)(const void *data, size_t n, unsigned char out[STORE_DIGEST_LEN]);

/* Copies every row of from into to, an empty store at the same schema
 * version, in one transaction of to's, and reads the copy back before it
 * commits: every table must hold the same rows (compared by digest, whatever
 * the order and the backend's column order). VD_ERR_EXISTS if to holds any
 * row, VD_ERR_TOONEW if their schema versions differ, VD_ERR_STORE if the
 * copy reads back otherwise; nothing is kept in to then. out may be NULL. */
int store_copy(struct store *from, struct store *to, store_digest_fn digest, struct store_copy_counts *out);

static inline void store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}

/* The schema version this build writes. */
#define STORE_SCHEMA_VERSION 24

#endif
