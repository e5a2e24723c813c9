/* internal/whistle: what the register's files share (whistle.c, wb_work.c,
 * wb_mailbox.c): a report's keys, its timeline and its clocks. */
#ifndef VD_INTERNAL_WHISTLE_H
#define VD_INTERNAL_WHISTLE_H

#include "../whistle.h"
#include "app.h"

/* A report's keys as one holder has them: the report key and the identity
 * key only an officer (has_report, has_identity), the mailbox key both. */
struct wb_keys {
	unsigned char report[CRYPTO_KEY_LEN], mailbox[CRYPTO_KEY_LEN], identity[CRYPTO_KEY_LEN];
	bool has_report, has_identity;
};
void wb_keys_wipe(struct wb_keys *k);

/* The report and its keys for an integrity officer who may open it (the
 * identity key too if want_identity), claimed for a change when claim is
 * set (inside the caller's transaction). VD_ERR_NOTFOUND for anyone else,
 * VD_ERR_NOKEY without a key in the session. The caller wipes k. */
int wb_officer_open(struct vd *vd, const struct principal *who, struct arena *a, int64_t id, bool claim,
		    bool want_identity, struct wb_report_rec *rec, struct wb_keys *k);

/* The reporter's keys: the mailbox key, from the code's kek (code_finish). */
int wb_mailbox_key(const struct wb_report_rec *rec, const unsigned char kek[CRYPTO_KEY_LEN], struct wb_keys *k);

/* A new code for rec's reporter: its row's receipt columns (the caller
 * stores them with wb_report_rekey), the mailbox key wrapped under it. */
int wb_code_new(struct vd *vd, struct wb_report_rec *rec, const struct wb_keys *k, struct receipt *r,
		char code[RECEIPT_TEXT_LEN + 1]);

/* The identity in rec, with the identity key (the caller recorded why). */
int wb_identity_read(struct arena *a, const struct wb_report_rec *rec, const struct wb_keys *k,
		     struct wb_identity *out);

/* Appends an event to report_id under the key its kind needs (the
 * report key for the officers' own, else the mailbox key), at now. */
int wb_event_add(struct vd *vd, struct arena *a, const struct wb_keys *k, int64_t report_id,
		 enum wb_event_kind kind, int64_t ref_id, int64_t on_day, int64_t by, const char *text, int64_t *id);

/* The report as its holder may see it: with the report key (an officer),
 * every event; without it (the reporter), theirs only. */
int wb_assemble(struct vd *vd, struct arena *a, const struct wb_report_rec *rec, const struct wb_keys *k,
		struct wb_report *out);

/* Sets rec->next_due_day from its clocks (the caller writes rec). */
void wb_recount(struct vd *vd, struct wb_report_rec *rec);

/* The content-free notices: to the reporter (when they left an address;
 * needs the identity key) and to the report's officers. */
int wb_tell_reporter(struct vd *vd, struct arena *a, const struct wb_report_rec *rec, const struct wb_keys *k);
int wb_tell_officers(struct vd *vd, int64_t report_id, const char *kind);

#endif
