/*
 * Schema migrations, numbered and append-only: a released migration is never
 * edited, a change is a new entry. PRAGMA user_version holds the version.
 */
#include "migrations.h"

const char *const sqlite_migrations[] = {
	/* 0 -> 1: the foundation: units, staff accounts, profiles, sessions, documents. */
	"CREATE TABLE units ("
	"  id INTEGER PRIMARY KEY,"
	"  parent_id INTEGER REFERENCES units(id),"
	"  name TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  name TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  password_hash TEXT NOT NULL,"
	"  must_change_password INTEGER NOT NULL DEFAULT 1,"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE user_units ("
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  PRIMARY KEY (user_id, unit_id));"
	"CREATE INDEX user_units_unit ON user_units(unit_id);"
	"CREATE TABLE counsellor_profiles ("
	"  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
	"  external INTEGER NOT NULL DEFAULT 0,"
	"  region TEXT NOT NULL DEFAULT '',"
	"  phone TEXT NOT NULL DEFAULT '',"
	"  public_email TEXT NOT NULL DEFAULT '',"
	"  languages TEXT NOT NULL DEFAULT '',"
	"  intro TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE sessions ("
	"  token_hash BLOB PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  last_seen_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE documents ("
	"  kind TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  updated_by INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (kind, lang)) WITHOUT ROWID;"
	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL) WITHOUT ROWID;",

	/* 1 -> 2: staff key pairs (DESIGN.md §4). The secret half is stored only
	 * encrypted: under a key derived from the password, and under one derived
	 * from the recovery key shown once. A session carries it wrapped under a
	 * key that only the session cookie can give. */
	"CREATE TABLE user_keys ("
	"  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
	"  public_key BLOB NOT NULL,"
	"  password_salt BLOB NOT NULL,"
	"  sk_by_password BLOB NOT NULL,"
	"  recovery_salt BLOB NOT NULL,"
	"  sk_by_recovery BLOB NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"ALTER TABLE sessions ADD COLUMN sk_wrapped BLOB;",

	/* 2 -> 3: reports (counsellor cases). Only the fields marked *stat* in
	 * DESIGN.md §3 are in the clear; everything a person wrote, and who they
	 * are, is in content, encrypted with the case's own key. That key is kept
	 * sealed to each reader (case_keys) and wrapped under the receipt code. */
	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  locator TEXT NOT NULL UNIQUE,"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  counsellor_id INTEGER REFERENCES users(id),"
	"  channel TEXT NOT NULL,"
	"  reporter_type TEXT NOT NULL,"
	"  relation TEXT NOT NULL,"
	"  location TEXT NOT NULL,"
	"  behaviours INTEGER NOT NULL,"
	"  named INTEGER NOT NULL,"
	"  phase TEXT NOT NULL DEFAULT 'new',"
	"  created_at INTEGER NOT NULL,"
	"  opened_at INTEGER,"
	"  receipt_salt BLOB NOT NULL,"
	"  receipt_verifier BLOB NOT NULL,"
	"  key_by_receipt BLOB NOT NULL,"
	"  content BLOB NOT NULL);"
	"CREATE TABLE case_keys ("
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  unopened INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  sealed_key BLOB NOT NULL,"
	"  PRIMARY KEY (user_id, case_id)) WITHOUT ROWID;"
	/* A reader's case list, new first, newest first, straight from this index:
	 * its cost follows the page size, not the number of cases. */
	"CREATE INDEX case_keys_list ON case_keys(user_id, unopened DESC, created_at DESC, case_id DESC);"
	"CREATE INDEX case_keys_case ON case_keys(case_id);",

	/* 3 -> 4: the conversation of a case, and the counsellor's internal notes,
	 * encrypted with the case key like everything else a person wrote. */
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"          /* reporter, counsellor, note */
	"  author_id INTEGER NOT NULL,"  /* staff user id; 0 for the reporter */
	"  created_at INTEGER NOT NULL,"
	"  body BLOB NOT NULL);"
	"CREATE INDEX messages_case ON messages(case_id, id);",

	/* 4 -> 5: e-mail notifications waiting to be sent. They say only that
	 * there is news; the address is encrypted (a reporter's address is case
	 * content) and the row is deleted once the mail is sent. */
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  recipient BLOB NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_at INTEGER NOT NULL);"
	"CREATE INDEX outbox_due ON outbox(next_at);",

	/* 5 -> 6: files sent with reports and messages (the bytes are files in
	 * the data directory, encrypted; a row holds their key under the case
	 * key), and one-time invitations to fetch a receipt code. */
	"CREATE TABLE attachments ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  message_id INTEGER NOT NULL,"  /* 0: with the report */
	"  kind TEXT NOT NULL,"           /* report, reporter, counsellor, note */
	"  file_id TEXT NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL,"
	"  meta BLOB NOT NULL);"
	"CREATE INDEX attachments_case ON attachments(case_id, id);"
	"CREATE TABLE invitations ("
	"  token_hash BLOB PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  expires_at INTEGER NOT NULL,"
	"  code BLOB NOT NULL);",

	/* 6 -> 7: the audit log (DESIGN.md §4): who did what to which record and
	 * when, never content; hash-chained by core/audit.c. The triggers make it
	 * append-only for every client of the file, not only for vertrouwd. */
	"CREATE TABLE audit_log ("
	"  seq INTEGER PRIMARY KEY CHECK (seq > 0),"
	"  at INTEGER NOT NULL,"
	"  actor_id INTEGER NOT NULL," /* staff user id; 0: a reporter or the system */
	"  action TEXT NOT NULL,"
	"  object_kind TEXT NOT NULL,"
	"  object_id INTEGER NOT NULL,"
	"  prev_hash BLOB NOT NULL,"
	"  hash BLOB NOT NULL);"
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	/* INSERT OR REPLACE deletes without firing delete triggers: refuse it. */
	"CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log"
	"  WHEN EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq)"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",

	/* 7 -> 8: case work (issue 4): phases and what they ask for, the route,
	 * referrals and outcome (*stat*), conversations, appointments, consent,
	 * complaints forwarded to the committee, conflicts of interest, and the
	 * confidentiality exception, which can be written once and never changed. */
	"CREATE TABLE case_work ("
	"  case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,"
	"  phase_at INTEGER NOT NULL DEFAULT 0,"
	"  closed_at INTEGER NOT NULL DEFAULT 0,"
	"  route TEXT NOT NULL DEFAULT '',"
	"  outcome TEXT NOT NULL DEFAULT '',"
	"  referrals INTEGER NOT NULL DEFAULT 0,"
	"  agreement_on TEXT NOT NULL DEFAULT '',"
	"  follow_up INTEGER NOT NULL DEFAULT 0,"
	"  progress_evaluated INTEGER NOT NULL DEFAULT 0,"
	"  legal_advice INTEGER NOT NULL DEFAULT 0,"
	"  aftercare_offered INTEGER NOT NULL DEFAULT 0,"
	"  aftercare_done INTEGER NOT NULL DEFAULT 0,"
	"  aftercare_due TEXT NOT NULL DEFAULT '',"
	"  inventory BLOB);"
	"CREATE TABLE phase_moves ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  from_phase TEXT NOT NULL,"
	"  to_phase TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  by INTEGER NOT NULL);"
	"CREATE INDEX phase_moves_case ON phase_moves(case_id, id);"
	"CREATE TABLE contacts ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  on_date TEXT NOT NULL,"
	"  way TEXT NOT NULL,"
	"  with_whom TEXT NOT NULL,"
	"  minutes INTEGER NOT NULL,"
	"  by INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  notes BLOB);"
	"CREATE INDEX contacts_case ON contacts(case_id, on_date);"
	"CREATE TABLE appointments ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  starts TEXT NOT NULL,"
	"  shared INTEGER NOT NULL,"
	"  by INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  place BLOB);"
	"CREATE INDEX appointments_case ON appointments(case_id, starts);"
	"CREATE INDEX appointments_starts ON appointments(starts);"
	"CREATE TABLE consents ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  step TEXT NOT NULL,"
	"  given INTEGER NOT NULL,"
	"  on_date TEXT NOT NULL,"
	"  how TEXT NOT NULL,"
	"  by INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX consents_case ON consents(case_id, id);"
	"CREATE TABLE complaints ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL DEFAULT 0," /* 0: filed directly */
	"  unit_id INTEGER NOT NULL,"
	"  by INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  content BLOB NOT NULL);"
	"CREATE TABLE complaint_keys ("
	"  complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  sealed_key BLOB NOT NULL,"
	"  PRIMARY KEY (complaint_id, user_id)) WITHOUT ROWID;"
	"CREATE TABLE conflicts ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (case_id, user_id)) WITHOUT ROWID;"
	"CREATE TABLE exceptions ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  at INTEGER NOT NULL,"
	"  by INTEGER NOT NULL,"
	"  conditions INTEGER NOT NULL,"
	"  told_on TEXT NOT NULL,"
	"  content BLOB NOT NULL);"
	"CREATE INDEX exceptions_case ON exceptions(case_id, id);"
	"CREATE TRIGGER exceptions_no_update BEFORE UPDATE ON exceptions"
	"  BEGIN SELECT RAISE(ABORT, 'an exception record cannot be changed'); END;"
	"CREATE TRIGGER exceptions_no_delete BEFORE DELETE ON exceptions"
	"  BEGIN SELECT RAISE(ABORT, 'an exception record cannot be deleted'); END;"
	"CREATE TRIGGER exceptions_no_replace BEFORE INSERT ON exceptions"
	"  WHEN EXISTS (SELECT 1 FROM exceptions WHERE id = NEW.id)"
	"  BEGIN SELECT RAISE(ABORT, 'an exception record cannot be changed'); END;",

	/* 8 -> 9: the counsellor's own log (DESIGN.md §3): advice to managers
	 * and the board, training, peer supervision. Every column but subject is
	 * a *stat* field for the annual report; subject is sealed to the
	 * counsellor's own public key. */
	"CREATE TABLE counsellor_log ("
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  kind TEXT NOT NULL,"                  /* advice, training, supervision */
	"  on_date TEXT NOT NULL,"               /* YYYY-MM-DD */
	"  unit_id INTEGER NOT NULL DEFAULT 0,"  /* advice: the unit it was about */
	"  asked INTEGER NOT NULL DEFAULT 0,"    /* advice: asked for (1) or unasked (0) */
	"  audience TEXT NOT NULL DEFAULT '',"   /* advice: manager, board */
	"  minutes INTEGER NOT NULL DEFAULT 0,"  /* training and supervision: duration */
	"  created_at INTEGER NOT NULL,"
	"  subject BLOB);"                       /* sealed; NULL: none */
	"CREATE INDEX counsellor_log_user_date ON counsellor_log(user_id, on_date);",

	/* 9 -> 10: dates as epoch days and appointments as moments, so that the
	 * store compares numbers and never a calendar (store.h): every text date
	 * becomes a *_day column (days since 1970-01-01, 0 for none), an
	 * appointment's local "YYYY-MM-DD HH:MM" its starts_at in seconds. This
	 * conversion is the one place where SQL reads a calendar, once. (A
	 * local time that does not exist or comes twice, in the hour the clocks
	 * move at night, SQLite reads one way and mktime another: an hour apart,
	 * for an appointment in the middle of that night only. A date that is
	 * not one, which the forms never let in, stops the migration rather
	 * than becoming "no date".) The
	 * exception record may never change: its guard steps aside for the
	 * conversion alone. And counters get a table of their own, so that one
	 * statement can add to them (counter_increment). */
	"ALTER TABLE case_work ADD COLUMN agreement_day INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE case_work ADD COLUMN aftercare_due_day INTEGER NOT NULL DEFAULT 0;"
	"UPDATE case_work SET"
	"  agreement_day = CASE WHEN agreement_on = '' THEN 0"
	"    ELSE CAST(julianday(agreement_on) - 2440587.5 AS INTEGER) END,"
	"  aftercare_due_day = CASE WHEN aftercare_due = '' THEN 0"
	"    ELSE CAST(julianday(aftercare_due) - 2440587.5 AS INTEGER) END;"
	"ALTER TABLE case_work DROP COLUMN agreement_on;"
	"ALTER TABLE case_work DROP COLUMN aftercare_due;"

	"DROP INDEX contacts_case;"
	"ALTER TABLE contacts ADD COLUMN on_day INTEGER NOT NULL DEFAULT 0;"
	"UPDATE contacts SET on_day = CAST(julianday(on_date) - 2440587.5 AS INTEGER);"
	"ALTER TABLE contacts DROP COLUMN on_date;"
	"CREATE INDEX contacts_case ON contacts(case_id, on_day);"

	"DROP INDEX appointments_case;"
	"DROP INDEX appointments_starts;"
	"ALTER TABLE appointments ADD COLUMN starts_at INTEGER NOT NULL DEFAULT 0;"
	"UPDATE appointments SET starts_at = CAST(strftime('%s', starts, 'utc') AS INTEGER);" /* local time in */
	"ALTER TABLE appointments DROP COLUMN starts;"
	"CREATE INDEX appointments_case ON appointments(case_id, starts_at);"
	"CREATE INDEX appointments_starts ON appointments(starts_at);"

	"ALTER TABLE consents ADD COLUMN on_day INTEGER NOT NULL DEFAULT 0;"
	"UPDATE consents SET on_day = CAST(julianday(on_date) - 2440587.5 AS INTEGER);"
	"ALTER TABLE consents DROP COLUMN on_date;"

	"DROP TRIGGER exceptions_no_update;"
	"ALTER TABLE exceptions ADD COLUMN told_day INTEGER NOT NULL DEFAULT 0;"
	"UPDATE exceptions SET told_day = CASE WHEN told_on = '' THEN 0"
	"  ELSE CAST(julianday(told_on) - 2440587.5 AS INTEGER) END;"
	"ALTER TABLE exceptions DROP COLUMN told_on;"
	"CREATE TRIGGER exceptions_no_update BEFORE UPDATE ON exceptions"
	"  BEGIN SELECT RAISE(ABORT, 'an exception record cannot be changed'); END;"

	"DROP INDEX counsellor_log_user_date;"
	"ALTER TABLE counsellor_log ADD COLUMN on_day INTEGER NOT NULL DEFAULT 0;"
	"UPDATE counsellor_log SET on_day = CAST(julianday(on_date) - 2440587.5 AS INTEGER);"
	"ALTER TABLE counsellor_log DROP COLUMN on_date;"
	"CREATE INDEX counsellor_log_user_day ON counsellor_log(user_id, on_day);"

	/* The day a case came in, for the dashboard's quiet cases and the annual
	 * report's years: the local date of its arrival, once. */
	"ALTER TABLE cases ADD COLUMN created_day INTEGER NOT NULL DEFAULT 0;"
	"UPDATE cases SET created_day = CAST(julianday(date(created_at, 'unixepoch', 'localtime')) - 2440587.5"
	"  AS INTEGER);"

	"CREATE TABLE counters ("
	"  name TEXT PRIMARY KEY,"
	"  value INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO counters(name, value) SELECT key, CAST(value AS INTEGER) FROM settings"
	"  WHERE key = 'content_generation';"
	"DELETE FROM settings WHERE key = 'content_generation';",

	/* 10 -> 11: the complaints procedure (issue 8). A complaint's step and
	 * its days in the clear (*stat*), its terms, the pauses of its clocks,
	 * extensions and the steps taken. A complaint forwarded before this
	 * is at "received" since the day it came in; its terms are started by
	 * the core, which knows the organisation's lengths and holidays. The
	 * list's index follows its order: open, by next due day, those
	 * without one last. */
	"ALTER TABLE complaints ADD COLUMN step TEXT NOT NULL DEFAULT 'received';"
	"ALTER TABLE complaints ADD COLUMN step_before TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE complaints ADD COLUMN step_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE complaints ADD COLUMN open INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE complaints ADD COLUMN received_day INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE complaints ADD COLUMN last_incident_day INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE complaints ADD COLUMN filed_late INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE complaints ADD COLUMN next_due_day INTEGER NOT NULL DEFAULT 0;"
	"UPDATE complaints SET step_at = created_at,"
	"  received_day = CAST(julianday(date(created_at, 'unixepoch', 'localtime')) - 2440587.5 AS INTEGER);"
	"CREATE INDEX complaints_due ON complaints(open, next_due_day = 0, next_due_day, id);"
	"CREATE INDEX complaint_keys_user ON complaint_keys(user_id, complaint_id);"
	"CREATE TABLE complaint_terms ("
	"  id INTEGER PRIMARY KEY,"
	"  complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  start_day INTEGER NOT NULL,"
	"  length INTEGER NOT NULL,"
	"  unit TEXT NOT NULL,"
	"  atw INTEGER NOT NULL,"
	"  max_notice_days INTEGER NOT NULL,"
	"  due_day INTEGER NOT NULL,"
	"  met_day INTEGER NOT NULL);"
	"CREATE INDEX complaint_terms_complaint ON complaint_terms(complaint_id, id);"
	"CREATE TABLE complaint_pauses ("
	"  id INTEGER PRIMARY KEY,"
	"  complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,"
	"  from_day INTEGER NOT NULL,"
	"  to_day INTEGER NOT NULL,"
	"  step TEXT NOT NULL);"
	"CREATE INDEX complaint_pauses_complaint ON complaint_pauses(complaint_id, id);"
	"CREATE TABLE complaint_extensions ("
	"  id INTEGER PRIMARY KEY,"
	"  term_id INTEGER NOT NULL REFERENCES complaint_terms(id) ON DELETE CASCADE,"
	"  days INTEGER NOT NULL,"
	"  basis TEXT NOT NULL,"
	"  consent_day INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  by INTEGER NOT NULL);"
	"CREATE INDEX complaint_extensions_term ON complaint_extensions(term_id, id);"
	"CREATE TABLE complaint_moves ("
	"  id INTEGER PRIMARY KEY,"
	"  complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL,"
	"  by INTEGER NOT NULL,"
	"  from_step TEXT NOT NULL,"
	"  to_step TEXT NOT NULL,"
	"  reason BLOB);"
	"CREATE INDEX complaint_moves_complaint ON complaint_moves(complaint_id, id);",

	/* 11 -> 12: which reminders of a term went out (a bit each), and an
	 * index to find the terms that end soon; how a complaint came in (those
	 * before this were all forwarded); the advice (well-founded or not) and
	 * the board's measures, for the annual report. */
	"ALTER TABLE complaint_terms ADD COLUMN reminded INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE complaints ADD COLUMN channel TEXT NOT NULL DEFAULT 'forwarded';"
	"ALTER TABLE complaints ADD COLUMN advice TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE complaints ADD COLUMN measures INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX complaint_terms_due ON complaint_terms(met_day, due_day, id);",

	/* 12 -> 13: the parties to a complaint with their own way in and their
	 * own key, the letters between them and the committee (each under its
	 * party's key), the hearings with their minutes and who was heard, and
	 * the hearing a minutes term is for. */
	"CREATE TABLE complaint_parties ("
	"  id INTEGER PRIMARY KEY,"
	"  complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL,"
	"  locator TEXT NOT NULL,"
	"  user_id INTEGER NOT NULL,"
	"  receipt_salt BLOB NOT NULL,"
	"  receipt_verifier BLOB NOT NULL,"
	"  key_by_receipt BLOB NOT NULL,"
	"  sealed_key BLOB NOT NULL,"
	"  contact BLOB NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  by INTEGER NOT NULL,"
	"  key_by_complaint BLOB NOT NULL);"
	"CREATE UNIQUE INDEX complaint_parties_locator ON complaint_parties(locator) WHERE locator <> '';"
	"CREATE INDEX complaint_parties_complaint ON complaint_parties(complaint_id, id);"
	"CREATE INDEX complaint_parties_user ON complaint_parties(user_id, id) WHERE user_id <> 0;"
	"CREATE TABLE complaint_letters ("
	"  id INTEGER PRIMARY KEY,"
	"  complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,"
	"  party_id INTEGER NOT NULL REFERENCES complaint_parties(id) ON DELETE CASCADE,"
	"  outgoing INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  step TEXT NOT NULL,"
	"  hearing_id INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  by INTEGER NOT NULL,"
	"  body BLOB NOT NULL);"
	"CREATE INDEX complaint_letters_party ON complaint_letters(complaint_id, party_id, id);"
	"CREATE INDEX complaint_letters_complaint ON complaint_letters(complaint_id, id);"
	"CREATE TABLE complaint_hearings ("
	"  id INTEGER PRIMARY KEY,"
	"  complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,"
	"  on_day INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  by INTEGER NOT NULL,"
	"  details BLOB NOT NULL,"
	"  minutes BLOB,"
	"  minutes_day INTEGER NOT NULL);"
	"CREATE INDEX complaint_hearings_complaint ON complaint_hearings(complaint_id, id);"
	"CREATE TABLE complaint_heard ("
	"  hearing_id INTEGER NOT NULL REFERENCES complaint_hearings(id) ON DELETE CASCADE,"
	"  party_id INTEGER NOT NULL REFERENCES complaint_parties(id) ON DELETE CASCADE,"
	"  approval TEXT NOT NULL,"
	"  reacted_day INTEGER NOT NULL,"
	"  PRIMARY KEY (hearing_id, party_id)) WITHOUT ROWID;"
	"ALTER TABLE complaint_terms ADD COLUMN hearing_id INTEGER NOT NULL DEFAULT 0;",

	/* 13 -> 14: the files that come with a complaint, as a case's do. */
	"CREATE TABLE complaint_attachments ("
	"  id INTEGER PRIMARY KEY,"
	"  complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,"
	"  letter_id INTEGER NOT NULL," /* 0: with the complaint */
	"  kind TEXT NOT NULL,"
	"  file_id TEXT NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL,"
	"  meta BLOB NOT NULL);"
	"CREATE INDEX complaint_attachments_complaint ON complaint_attachments(complaint_id, id);",

	/* 14 -> 15: the whistleblower register (issue 10). A report's *stat*
	 * fields and its two clocks in the clear, the rest under its own keys:
	 * the mailbox key wrapped under the code and under the report key, the
	 * report key and the identity key sealed to each officer it reached
	 * (wb_report_keys). Its events are appended and never changed; a
	 * report's deletion (crypto-shredding) still takes them with it, so
	 * only an update is refused. The open list's index follows its order:
	 * by next due day, those without one last. */
	"CREATE TABLE wb_reports ("
	"  id INTEGER PRIMARY KEY,"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  by INTEGER NOT NULL,"          /* the officer who entered it; 0: the reporter */
	"  created_at INTEGER NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  category TEXT NOT NULL,"       /* '' while unassessed */
	"  relation TEXT NOT NULL,"
	"  named INTEGER NOT NULL,"
	"  received_day INTEGER NOT NULL,"
	"  ack_day INTEGER NOT NULL,"
	"  feedback_day INTEGER NOT NULL,"
	"  outcome TEXT NOT NULL,"
	"  open INTEGER NOT NULL,"
	"  closed_day INTEGER NOT NULL,"
	"  next_due_day INTEGER NOT NULL,"
	"  reminded INTEGER NOT NULL,"
	"  locator TEXT NOT NULL UNIQUE,"
	"  receipt_salt BLOB NOT NULL,"
	"  receipt_verifier BLOB NOT NULL,"
	"  mailbox_by_receipt BLOB NOT NULL,"
	"  mailbox_by_report BLOB NOT NULL,"
	"  content BLOB NOT NULL,"
	"  identity BLOB,"                /* NULL: nothing given */
	"  code_own INTEGER NOT NULL);"   /* 0: the code an officer handed over, until replaced */
	"CREATE INDEX wb_reports_open ON wb_reports(open, next_due_day = 0, next_due_day, id);"
	"CREATE INDEX wb_reports_closed ON wb_reports(open, closed_day, id);"
	"CREATE TABLE wb_report_keys ("
	"  report_id INTEGER NOT NULL REFERENCES wb_reports(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  sealed_key BLOB NOT NULL,"
	"  identity_key BLOB NOT NULL,"
	"  PRIMARY KEY (report_id, user_id)) WITHOUT ROWID;"
	"CREATE INDEX wb_report_keys_user ON wb_report_keys(user_id, report_id);"
	"CREATE TABLE wb_events ("
	"  id INTEGER PRIMARY KEY,"
	"  report_id INTEGER NOT NULL REFERENCES wb_reports(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  ref_id INTEGER NOT NULL,"      /* the event it answers; 0 */
	"  on_day INTEGER NOT NULL,"      /* a day it names; 0 */
	"  at INTEGER NOT NULL,"
	"  by INTEGER NOT NULL,"          /* the officer; 0: the reporter */
	"  body BLOB);"
	"CREATE INDEX wb_events_report ON wb_events(report_id, id);"
	"CREATE TRIGGER wb_events_no_update BEFORE UPDATE ON wb_events"
	"  BEGIN SELECT RAISE(ABORT, 'a report event cannot be changed'); END;",

	/* 15 -> 16: the files that come with a report of wrongdoing or the
	 * reporter's messages, as a case's do. */
	"CREATE TABLE wb_attachments ("
	"  id INTEGER PRIMARY KEY,"
	"  report_id INTEGER NOT NULL REFERENCES wb_reports(id) ON DELETE CASCADE,"
	"  event_id INTEGER NOT NULL," /* 0: with the report */
	"  kind TEXT NOT NULL,"
	"  file_id TEXT NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL,"
	"  meta BLOB NOT NULL);"
	"CREATE INDEX wb_attachments_report ON wb_attachments(report_id, id);",

	/* 16 -> 17: the annual report (issue 11): short questions answered
	 * without a case, counted by reporter type; and each unit's report of a
	 * year, written, reviewed and published, after which it never changes. */
	"ALTER TABLE counsellor_log ADD COLUMN reporter_type TEXT NOT NULL DEFAULT '';"
	/* A case's conversations and the day of its first one, kept on the case
	 * as they are recorded, so the count reads two numbers per case and
	 * not the conversations (conversations are never removed but with
	 * their case). */
	"ALTER TABLE cases ADD COLUMN contacts INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN first_contact_day INTEGER NOT NULL DEFAULT 0;"
	"UPDATE cases SET contacts = (SELECT count(*) FROM contacts t WHERE t.case_id = cases.id),"
	"  first_contact_day = coalesce((SELECT min(on_day) FROM contacts t WHERE t.case_id = cases.id), 0);"
	"CREATE TRIGGER contacts_counted AFTER INSERT ON contacts BEGIN"
	"  UPDATE cases SET contacts = contacts + 1, first_contact_day = CASE"
	"    WHEN first_contact_day = 0 OR NEW.on_day < first_contact_day THEN NEW.on_day"
	"    ELSE first_contact_day END WHERE id = NEW.case_id; END;"
	"CREATE TABLE annual_reports ("
	"  id INTEGER PRIMARY KEY,"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  year INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('draft', 'review', 'published')),"
	"  trends TEXT NOT NULL,"
	"  written_by INTEGER NOT NULL,"
	"  written_at INTEGER NOT NULL,"
	"  reviewed_by INTEGER NOT NULL DEFAULT 0,"
	"  published_at INTEGER NOT NULL DEFAULT 0,"
	"  covers TEXT NOT NULL DEFAULT '',"
	"  snapshot TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (unit_id, year));"
	"CREATE TRIGGER annual_reports_published BEFORE UPDATE ON annual_reports"
	"  WHEN OLD.state = 'published'"
	"  BEGIN SELECT RAISE(ABORT, 'a published annual report cannot be changed'); END;"
	"CREATE TRIGGER annual_reports_kept BEFORE DELETE ON annual_reports"
	"  WHEN OLD.state = 'published'"
	"  BEGIN SELECT RAISE(ABORT, 'a published annual report cannot be deleted'); END;",

	/* 17 -> 18: staff log in with a second factor (issue 12): a TOTP secret
	 * per user, sealed under the data directory's key, the last step used
	 * (each code works once), one-time backup codes (their keyed hashes),
	 * and sessions whose second factor is still due. */
	"ALTER TABLE users ADD COLUMN totp_secret BLOB;"
	"ALTER TABLE users ADD COLUMN totp_on INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE backup_codes ("
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  code_hash BLOB NOT NULL,"
	"  PRIMARY KEY (user_id, code_hash)) WITHOUT ROWID;"
	"ALTER TABLE sessions ADD COLUMN second_factor_due INTEGER NOT NULL DEFAULT 0;",

	/* 18 -> 19: retention (issue 12). A record whose term is over is
	 * destroyed: its keys, content and the rows of content that belong to
	 * it go, its *stat* fields stay for the annual report, and purged_at
	 * says when. An exception record stays write-once, but for one change:
	 * emptying its (encrypted) justification once its case is purged. */
	"ALTER TABLE cases ADD COLUMN purged_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE complaints ADD COLUMN purged_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE wb_reports ADD COLUMN purged_at INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX case_work_closed ON case_work(closed_at) WHERE closed_at > 0;"
	"DROP TRIGGER exceptions_no_update;"
	"CREATE TRIGGER exceptions_no_update BEFORE UPDATE ON exceptions"
	"  WHEN NOT (NEW.content = X'' AND NEW.id = OLD.id AND NEW.case_id = OLD.case_id AND NEW.at = OLD.at"
	"    AND NEW.by = OLD.by AND NEW.conditions = OLD.conditions AND NEW.told_day = OLD.told_day"
	"    AND (SELECT purged_at FROM cases WHERE id = OLD.case_id) > 0)"
	"  BEGIN SELECT RAISE(ABORT, 'an exception record cannot be changed'); END;",

	/* 19 -> 20: continuity (issue 12). Every case key also sealed to the
	 * installation's escrow key, whose secret half is split among three
	 * trustees (each trustee's two parts sealed to them); a request to move
	 * a counsellor's cases, and the first trustee's approval: their parts
	 * sealed to the other two. */
	"CREATE TABLE escrow ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  public_key BLOB NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  mac BLOB NOT NULL);" /* keyed under the data directory's secret: a swapped key is refused */
	"CREATE TABLE escrow_trustees ("
	"  position INTEGER PRIMARY KEY CHECK (position BETWEEN 0 AND 2),"
	"  user_id INTEGER NOT NULL UNIQUE REFERENCES users(id),"
	"  parts BLOB NOT NULL);"
	"CREATE TABLE escrow_keys ("
	"  case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,"
	"  sealed_key BLOB NOT NULL);"
	"CREATE TABLE escrow_requests ("
	"  id INTEGER PRIMARY KEY,"
	"  from_user INTEGER NOT NULL REFERENCES users(id),"
	"  to_user INTEGER NOT NULL REFERENCES users(id),"
	"  started_by INTEGER NOT NULL,"
	"  started_at INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('open', 'running', 'done', 'cancelled')),"
	"  moved INTEGER NOT NULL DEFAULT 0,"
	"  not_moved INTEGER NOT NULL DEFAULT 0,"
	"  done_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE UNIQUE INDEX escrow_requests_open ON escrow_requests(from_user) WHERE state IN ('open', 'running');"
	"CREATE TABLE escrow_approvals ("
	"  request_id INTEGER NOT NULL REFERENCES escrow_requests(id) ON DELETE CASCADE,"
	"  trustee_id INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  parts BLOB NOT NULL,"
	"  PRIMARY KEY (request_id, trustee_id)) WITHOUT ROWID;",
	/* 20 -> 21: versioned documents (issue 13). Every version is kept with
	 * who adopted it and when, per kind and unit (0: the whole
	 * organisation); both languages in one version. The texts there were
	 * become version 1 (their day in UTC: the time they were saved). */
	"CREATE TABLE document_versions ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  unit_id INTEGER NOT NULL DEFAULT 0,"
	"  number INTEGER NOT NULL CHECK (number > 0),"
	"  body_nl TEXT NOT NULL,"
	"  body_en TEXT NOT NULL,"
	"  adopted_by TEXT NOT NULL,"
	"  adopted_on INTEGER NOT NULL,"
	"  recorded_at INTEGER NOT NULL,"
	"  recorded_by INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (kind, unit_id, number));"
	"INSERT INTO document_versions(kind, unit_id, number, body_nl, body_en, adopted_by, adopted_on, recorded_at,"
	"  recorded_by)"
	"  SELECT n.kind, 0, 1, n.body, COALESCE(e.body, ''), '', n.updated_at / 86400, n.updated_at, n.updated_by"
	"  FROM documents n LEFT JOIN documents e ON e.kind = n.kind AND e.lang = 'en' WHERE n.lang = 'nl';"
	"CREATE TRIGGER document_versions_no_update BEFORE UPDATE ON document_versions"
	"  BEGIN SELECT RAISE(ABORT, 'a document version cannot be changed'); END;"
	"CREATE TRIGGER document_versions_no_delete BEFORE DELETE ON document_versions"
	"  BEGIN SELECT RAISE(ABORT, 'a document version cannot be deleted'); END;"
	"DROP TABLE documents;",
	/* 21 -> 22: integrity declarations (issue 13). A candidate committee's
	 * round with its key pair (the secret half sealed to each member), its
	 * questions as asked, and per candidate a declaration: the answers
	 * under the declaration's key (sealed to the round and to the
	 * candidate), the committee's notes under a key sealed to the round
	 * only, the signed code of conduct version, the outcome and the moment
	 * its term ends (set at the invitation, for one never decided, and again
	 * at the decision). A candidate's one-time link is kept as a keyed hash. */
	"CREATE TABLE rounds ("
	"  id INTEGER PRIMARY KEY,"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('election', 'appointment')),"
	"  title TEXT NOT NULL,"
	"  opens_on INTEGER NOT NULL,"
	"  closes_on INTEGER NOT NULL,"
	"  public_key BLOB NOT NULL,"
	"  mac BLOB NOT NULL,"
	"  created_by INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE round_members ("
	"  round_id INTEGER NOT NULL REFERENCES rounds(id),"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  sealed_key BLOB NOT NULL,"
	"  PRIMARY KEY (round_id, user_id)) WITHOUT ROWID;"
	"CREATE INDEX round_members_user ON round_members(user_id);"
	"CREATE TABLE round_questions ("
	"  id INTEGER PRIMARY KEY,"
	"  round_id INTEGER NOT NULL REFERENCES rounds(id),"
	"  position INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  UNIQUE (round_id, position));"
	"CREATE TABLE declarations ("
	"  id INTEGER PRIMARY KEY,"
	"  round_id INTEGER NOT NULL REFERENCES rounds(id),"
	"  candidate_id INTEGER NOT NULL REFERENCES users(id),"
	"  state TEXT NOT NULL CHECK (state IN ('invited', 'draft', 'submitted', 'decided')),"
	"  invited_at INTEGER NOT NULL,"
	"  invited_by INTEGER NOT NULL,"
	"  invited_name TEXT NOT NULL,"    /* as this round's member typed it */
	"  version INTEGER NOT NULL DEFAULT 0," /* each change builds on the one it read */
	"  content BLOB,"
	"  round_key BLOB,"
	"  candidate_key BLOB,"
	"  saved_at INTEGER NOT NULL DEFAULT 0,"
	"  code_version_id INTEGER NOT NULL DEFAULT 0,"
	"  signed_at INTEGER NOT NULL DEFAULT 0,"
	"  submitted_at INTEGER NOT NULL DEFAULT 0,"
	"  interview_on INTEGER NOT NULL DEFAULT 0,"
	"  notes BLOB,"
	"  notes_key BLOB,"
	"  outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'accepted', 'declined', 'withdrawn')),"
	"  keep_consent INTEGER NOT NULL DEFAULT 0,"
	"  decided_at INTEGER NOT NULL DEFAULT 0,"
	"  decided_by INTEGER NOT NULL DEFAULT 0,"
	"  purge_after INTEGER NOT NULL DEFAULT 0,"
	"  purged_at INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (round_id, candidate_id));"
	"CREATE INDEX declarations_candidate ON declarations(candidate_id);"
	"CREATE INDEX declarations_due ON declarations(purge_after) WHERE purge_after > 0 AND purged_at = 0;"
	"CREATE TABLE candidate_links ("
	"  token_hash BLOB PRIMARY KEY,"
	"  declaration_id INTEGER NOT NULL UNIQUE REFERENCES declarations(id) ON DELETE CASCADE,"
	"  expires_at INTEGER NOT NULL) WITHOUT ROWID;",
	/* 23: each receipt code keeps the Argon2id cost it was hashed with, so
	 * the cost of codes can change (issue 14) and older codes still open;
	 * 0 means the password cost, which codes used before. */
	"ALTER TABLE cases ADD COLUMN receipt_ops INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN receipt_mem_kib INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE wb_reports ADD COLUMN receipt_ops INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE wb_reports ADD COLUMN receipt_mem_kib INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE complaint_parties ADD COLUMN receipt_ops INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE complaint_parties ADD COLUMN receipt_mem_kib INTEGER NOT NULL DEFAULT 0;",
	/* 24: the failure counters kept per account (throttle_stored.c), shared
	 * by every server on one database (issue 15); the key is a keyed hash. */
	"CREATE TABLE throttles ("
	"  key BLOB PRIMARY KEY,"
	"  count INTEGER NOT NULL,"
	"  first_at INTEGER NOT NULL,"
	"  last_at INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX throttles_last ON throttles(last_at);",
};

const int sqlite_migration_count = (int)(sizeof sqlite_migrations / sizeof sqlite_migrations[0]);
