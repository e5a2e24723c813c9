/*
 * links: the addresses of the pages a mail points to, in one place.
 *
 * The core writes them into notifications (notify.c) and the web's route
 * table serves them (router.c builds its patterns from these), so a link
 * in a mail cannot point to a page that has moved.
 */
#ifndef VD_LINKS_H
#define VD_LINKS_H

#define LINK_CASES "/dossiers"            /* a counsellor's case list (staff mail) */
#define LINK_MAILBOX "/mijn-melding"      /* where a reporter reads with their code */
#define LINK_COMPLAINTS "/klachten"       /* a committee member's complaints (reminders) */
#define LINK_INVITATION "/uitnodiging/"   /* followed by the invitation's token */
#define LINK_COMPLAINT_MAILBOX "/mijn-klacht" /* where a party to a complaint reads with their code */
#define LINK_COMPLAINT_FORM "/klacht-indienen" /* the public complaint form */
#define LINK_WB "/meldpunt"              /* an integrity officer's register (staff mail) */
#define LINK_WB_FORM "/misstand-melden"  /* the public whistleblower form */
#define LINK_WB_MAILBOX "/mijn-misstand" /* where a whistleblower reads with their code */
#define LINK_SUPPORT "/ondersteuning"     /* the complaints a counsellor supports */
#define LINK_CANDIDATE_LINK "/kandidaat/"  /* followed by a candidate's one-time token */
#define LINK_DECLARATION "/verklaring"     /* a candidate's own declarations */

#endif
