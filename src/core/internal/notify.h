/*
 * notify: e-mail notifications that say only that there is news (issue 3).
 *
 * Queued in the outbox table and sent by serve's main loop over SMTP with
 * libcurl, so a slow or absent mail server never delays a report. A mail
 * never carries content, names or codes: just "there is news" and a link.
 * The recipient is stored encrypted under a key from the data directory's
 * secret (a reporter's address is case content) and deleted once sent. A
 * failed send is logged without the address and retried with growing waits
 * (mail_retry_seconds, default 30, doubling, at most an hour), 20 times at most.
 * With no smtp_url in the configuration nothing is queued.
 */
#ifndef VD_NOTIFY_H
#define VD_NOTIFY_H

#include "app.h"

/* Queues "news in a case addressed to you" to every reader of case_id. */
int notify_readers(struct vd *vd, int64_t case_id);
/* Queues "a term of a complaint of your committee ends soon, or has
 * ended" to every active committee member complaint_id is sealed to. */
int notify_committee(struct vd *vd, int64_t complaint_id);
/* Queues "there is news in a complaint of your committee" (a party wrote,
 * or reacted to minutes) to the same members. */
int notify_committee_news(struct vd *vd, int64_t complaint_id);
/* Queues "a new letter about your complaint" to a party's address. */
int notify_party(struct vd *vd, const char *email);
/* Queues "news in a complaint you support" to counsellor user_id. */
int notify_support(struct vd *vd, int64_t user_id);
/* Queues "a new message about your report" to a reporter's address. */
int notify_reporter(struct vd *vd, const char *email);
/* Queues "a new message about your report of wrongdoing" to its reporter. */
int notify_wb_reporter(struct vd *vd, const char *email);
/* Queues kind ("wb_news": there is news; "wb_clock": a clock ends soon or
 * has ended) to every active integrity officer who holds report_id's keys. */
int notify_wb_officers(struct vd *vd, int64_t report_id, const char *kind);
/* Queues an invitation with a link to /uitnodiging/<token> (invitations.h):
 * the one mail that carries a link of its own. */
int notify_invitation(struct vd *vd, const char *email, const char *token);
/* A candidate's one-time link to choose a password (declarations.h), and
 * the note to a candidate with an account that a round invites them. */
int notify_candidate(struct vd *vd, const char *email, const char *token);
int notify_candidate_news(struct vd *vd, const char *email);
/* Sends what is due; returns how many were sent. */
int notify_run(struct vd *vd);

#endif
