/* notify: see notify.h. */

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "../util/buf.h"
#include "../util/log.h"
#include "../util/text.h"
#include "links.h"
#include "units.h"
#include "internal/notify.h"

#define NOTIFY_MAX_ATTEMPTS 20
#define NOTIFY_LEASE_SECONDS 600
#define OUTBOX_AD "outbox recipient"

static void outbox_key(struct vd *vd, unsigned char key[CRYPTO_KEY_LEN])
{
	crypto_mac(vd->secret, "outbox-key", "", 0, key);
}

/* The sealed recipient is the address, and for an invitation a line break
 * and the link's token after it. */
#define RECIPIENT_MAX (254 + 1 + 64)

static int queue(struct vd *vd, const char *kind, const char *email, const char *token)
{
	if (!vd->cfg.smtp_url[0] || !email || !text_valid_email(email))
		return VD_OK;
	char plain[RECIPIENT_MAX + 1];
	unsigned char key[CRYPTO_KEY_LEN], sealed[RECIPIENT_MAX + CRYPTO_AEAD_OVERHEAD];
	if (strlen(email) > 254 || (token && strlen(token) > 64))
		return VD_ERR_INVALID;
	int n = snprintf(plain, sizeof plain, "%s%s%s", email, token ? "\n" : "", token ? token : "");
	outbox_key(vd, key);
	crypto_encrypt(key, OUTBOX_AD, plain, (size_t)n, sealed);
	crypto_wipe(key, sizeof key);
	crypto_wipe(plain, sizeof plain);
	struct outbox_rec m = { .recipient = sealed, .recipient_len = (size_t)n + CRYPTO_AEAD_OVERHEAD, .kind = kind,
				.next_at = clock_now() };
	return vd->store->ops->outbox_add(vd->store, &m);
}

int notify_readers(struct vd *vd, int64_t case_id)
{
	if (!vd->cfg.smtp_url[0])
		return VD_OK;
	struct arena a;
	arena_init(&a, 0);
	struct id_list readers;
	int rc = vd->store->ops->case_readers(vd->store, &a, case_id, &readers);
	for (size_t i = 0; rc == VD_OK && i < readers.n; i++) {
		struct user_rec u;
		if (vd->store->ops->user_get(vd->store, &a, readers.ids[i], &u) == VD_OK && u.active)
			rc = queue(vd, "staff", u.email, NULL);
	}
	arena_release(&a);
	return rc;
}

/* kind to every active committee member complaint_id is sealed to. */
static int to_committee(struct vd *vd, int64_t complaint_id, const char *kind)
{
	if (!vd->cfg.smtp_url[0])
		return VD_OK;
	struct arena a;
	arena_init(&a, 0);
	struct id_list readers;
	int rc = vd->store->ops->complaint_readers(vd->store, &a, complaint_id, &readers);
	for (size_t i = 0; rc == VD_OK && i < readers.n; i++) {
		struct user_rec u;
		if (vd->store->ops->user_get(vd->store, &a, readers.ids[i], &u) == VD_OK && u.active &&
		    role_parse(u.role) == ROLE_COMMITTEE)
			rc = queue(vd, kind, u.email, NULL);
	}
	arena_release(&a);
	return rc;
}

int notify_committee(struct vd *vd, int64_t complaint_id)
{
	return to_committee(vd, complaint_id, "committee");
}

int notify_committee_news(struct vd *vd, int64_t complaint_id)
{
	return to_committee(vd, complaint_id, "committee_news");
}

int notify_party(struct vd *vd, const char *email)
{
	return queue(vd, "party", email, NULL);
}

int notify_support(struct vd *vd, int64_t user_id)
{
	struct arena a;
	arena_init(&a, 0);
	struct user_rec u;
	int rc = VD_OK;
	if (vd->cfg.smtp_url[0] && vd->store->ops->user_get(vd->store, &a, user_id, &u) == VD_OK && u.active)
		rc = queue(vd, "support", u.email, NULL);
	arena_release(&a);
	return rc;
}

int notify_reporter(struct vd *vd, const char *email)
{
	return queue(vd, "reporter", email, NULL);
}

int notify_wb_reporter(struct vd *vd, const char *email)
{
	return queue(vd, "wb_reporter", email, NULL);
}

int notify_wb_officers(struct vd *vd, int64_t report_id, const char *kind)
{
	if (!vd->cfg.smtp_url[0])
		return VD_OK;
	struct arena a;
	arena_init(&a, 0);
	struct store *s = vd->store;
	struct user_recs users;
	struct unit_list units;
	struct wb_report_rec r;
	int rc = s->ops->wb_report_get(s, &a, report_id, &r);
	if (rc == VD_OK)
		rc = unit_list(vd, &a, &units);
	if (rc == VD_OK)
		rc = s->ops->user_list(s, &a, &users);
	for (size_t i = 0; rc == VD_OK && i < users.n; i++) {
		const struct user_rec *u = &users.items[i];
		struct wb_key_rec k;
		struct id_list theirs;
		if (!u->active || role_parse(u->role) != ROLE_INTEGRITY ||
		    s->ops->wb_key_get(s, report_id, u->id, &k) != VD_OK || s->ops->user_units_get(s, &a, u->id, &theirs))
			continue;
		/* holding its keys is not enough: they must still serve its unit */
		bool serves = false;
		for (size_t j = 0; j < theirs.n && !serves; j++)
			serves = unit_within(&units, r.unit_id, theirs.ids[j]);
		if (serves)
			rc = queue(vd, kind, u->email, NULL);
	}
	arena_release(&a);
	return rc;
}

int notify_invitation(struct vd *vd, const char *email, const char *token)
{
	return queue(vd, "invite", email, token);
}

int notify_candidate(struct vd *vd, const char *email, const char *token)
{
	return queue(vd, "candidate", email, token);
}

int notify_candidate_news(struct vd *vd, const char *email)
{
	return queue(vd, "candidate_news", email, NULL);
}

/* A mail with a one-time link: a paragraph and a note in Dutch, then in
 * English, the link (path followed by the token) after each paragraph. */
static int link_mail(struct vd *vd, struct buf *b, const char *to, const char *subject, const char *path,
		     const char *token, const char *nl, const char *nl_note, const char *en, const char *en_note)
{
	return buf_printf(b,
			  "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
			  "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
			  "%s\r\n%s%s%s\r\n%s\r\n\r\n%s\r\n%s%s%s\r\n%s\r\n",
			  vd->cfg.smtp_from, to, subject, nl, vd->cfg.base_url, path, token, nl_note, en,
			  vd->cfg.base_url, path, token, en_note);
}

/* The fixed text of a notification, in Dutch and English: never content. */
static int compose(struct vd *vd, const char *kind, const char *to, const char *token, struct buf *b)
{
	if (strcmp(kind, "invite") == 0)
		return link_mail(vd, b, to, "Je melding / Your report", LINK_INVITATION, token,
				 "Een vertrouwenspersoon heeft je melding voor je vastgelegd. Met deze link haal je "
				 "je persoonlijke code op, waarmee je je melding leest en berichten stuurt:",
				 "De link werkt een keer en 14 dagen lang. Werkt hij niet meer? Vraag je "
				 "vertrouwenspersoon om de code.",
				 "A confidential counsellor has recorded your report for you. With this link you "
				 "fetch your personal code, with which you read your report and send messages:",
				 "The link works once, for 14 days. If it no longer works, ask your counsellor for "
				 "the code.");
	if (strcmp(kind, "candidate") == 0)
		return link_mail(vd, b, to, "Integriteitsverklaring / Integrity declaration", LINK_CANDIDATE_LINK, token,
				 "De kandidatencommissie vraagt je een integriteitsverklaring in te vullen. Met deze "
				 "link kies je een wachtwoord; daarna vul je de verklaring in:",
				 "De link werkt een keer en 14 dagen lang. Werkt hij niet meer? Vraag de commissie "
				 "om een nieuwe.",
				 "The candidate committee asks you to fill in an integrity declaration. With this "
				 "link you choose a password; then you fill in the declaration:",
				 "The link works once, for 14 days. If it no longer works, ask the committee for a "
				 "new one.");
	if (strcmp(kind, "committee") == 0)
		return buf_printf(b,
				  "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
				  "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
				  "%s\r\n%s" LINK_COMPLAINTS "\r\n\r\n%s\r\n%s" LINK_COMPLAINTS "\r\n",
				  vd->cfg.smtp_from, to, "Termijn in vertrouwd / A term in vertrouwd",
				  "Een termijn in een klacht van jouw commissie verloopt over drie werkdagen, of is "
				  "verlopen. Log in om te kijken:",
				  vd->cfg.base_url,
				  "A term of a complaint of your committee ends in three working days, or has ended. "
				  "Log in to look:",
				  vd->cfg.base_url);
	/* the other news: a line in Dutch and one in English, each with its link */
	static const struct {
		const char *kind, *subject, *nl, *en, *link;
	} news[] = {
		{ "committee_news", "Nieuws in vertrouwd / News in vertrouwd",
		  "Er is nieuws in een klacht van jouw commissie. Log in om het te lezen:",
		  "There is news in a complaint of your committee. Log in to read it:", LINK_COMPLAINTS },
		{ "party", "Nieuwe brief over uw klacht / New letter about the complaint",
		  "Er is een nieuwe brief van de klachtencommissie. Lees hem bij 'Mijn klacht' met uw code:",
		  "There is a new letter from the complaints committee. Read it under 'My complaint' with your code:",
		  LINK_COMPLAINT_MAILBOX },
		{ "wb_news", "Nieuws in vertrouwd / News in vertrouwd",
		  "Er is nieuws in het meldpunt klokkenluiders. Log in om het te lezen:",
		  "There is news in the whistleblower register. Log in to read it:", LINK_WB },
		{ "wb_clock", "Termijn in vertrouwd / A term in vertrouwd",
		  "Een termijn van een melding in het meldpunt klokkenluiders verloopt binnenkort, of is verlopen. "
		  "Log in om te kijken:",
		  "A term of a report in the whistleblower register ends soon, or has ended. Log in to look:", LINK_WB },
		{ "wb_reporter", "Nieuw bericht / New message",
		  "Er is een nieuw bericht over je melding van een misstand. Lees het bij 'Mijn melding van een "
		  "misstand' met je code:",
		  "There is a new message about your report of wrongdoing. Read it under 'My report of wrongdoing' "
		  "with your code:",
		  LINK_WB_MAILBOX },
		{ "candidate_news", "Integriteitsverklaring / Integrity declaration",
		  "De kandidatencommissie vraagt je een integriteitsverklaring in te vullen. Log in om hem te openen:",
		  "The candidate committee asks you to fill in an integrity declaration. Log in to open it:",
		  LINK_DECLARATION },
		{ "support", "Nieuws in vertrouwd / News in vertrouwd",
		  "Er is nieuws in een klacht waarbij je de klager ondersteunt. Log in om het te lezen:",
		  "There is news in a complaint in which you support the complainant. Log in to read it:",
		  LINK_SUPPORT },
	};
	for (size_t i = 0; i < sizeof news / sizeof news[0]; i++)
		if (strcmp(kind, news[i].kind) == 0)
			return buf_printf(b,
					  "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
					  "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
					  "%s\r\n%s%s\r\n\r\n%s\r\n%s%s\r\n",
					  vd->cfg.smtp_from, to, news[i].subject, news[i].nl, vd->cfg.base_url, news[i].link,
					  news[i].en, vd->cfg.base_url, news[i].link);
	bool staff = strcmp(kind, "staff") == 0;
	return buf_printf(b,
			  "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
			  "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
			  "%s\r\n%s%s\r\n\r\n%s\r\n%s%s\r\n",
			  vd->cfg.smtp_from, to, staff ? "Nieuws in vertrouwd / News in vertrouwd"
						       : "Nieuw bericht / New message",
			  staff ? "Er is nieuws in een melding die aan jou is gericht. Log in om het te lezen:"
				: "Er is een nieuw bericht over je melding. Lees het bij 'Mijn melding' met je code:",
			  vd->cfg.base_url, staff ? LINK_CASES : LINK_MAILBOX,
			  staff ? "There is news in a report addressed to you. Log in to read it:"
				: "There is a new message about your report. Read it under 'My report' with your code:",
			  vd->cfg.base_url, staff ? LINK_CASES : LINK_MAILBOX);
}

struct payload {
	const char *data;
	size_t len, off;
};

static size_t read_payload(char *out, size_t size, size_t nmemb, void *userp)
{
	struct payload *p = userp;
	size_t room = size * nmemb, left = p->len - p->off;
	size_t n = left < room ? left : room;
	memcpy(out, p->data + p->off, n);
	p->off += n;
	return n;
}

/* A mail server on this machine (a local relay that forwards onward). */
static bool smtp_is_local(const char *url)
{
	const char *host = strstr(url, "://");
	host = host ? host + 3 : url;
	return strncmp(host, "127.", 4) == 0 || strncmp(host, "localhost", 9) == 0 || strncmp(host, "[::1]", 5) == 0;
}

/* One mail over SMTP; VD_OK when the server accepted it. An invitation
 * carries a link that shows a receipt code once (a candidate's, one that
 * sets a password), so it goes only over TLS
 * (or to a relay on this machine); the other mails carry nothing secret
 * and use TLS when the server offers it. */
static int send_mail(struct vd *vd, const char *kind, const char *to, const char *body, size_t len)
{
	bool must_tls = (strcmp(kind, "invite") == 0 || strcmp(kind, "candidate") == 0) && !smtp_is_local(vd->cfg.smtp_url);
	CURL *curl = curl_easy_init();
	if (!curl)
		return VD_ERR_NOMEM;
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	struct payload p = { body, len, 0 };
	curl_easy_setopt(curl, CURLOPT_URL, vd->cfg.smtp_url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, vd->cfg.smtp_from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_payload);
	curl_easy_setopt(curl, CURLOPT_READDATA, &p);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)(must_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
	CURLcode res = rcpt ? curl_easy_perform(curl) : CURLE_OUT_OF_MEMORY;
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	if (res != CURLE_OK) {
		/* The library's own words for the failure, never the address. */
		log_event(LOG_WARN, "mail-failed", LF_WHAT, curl_easy_strerror(res), LF_END);
		return VD_ERR_IO;
	}
	return VD_OK;
}

int notify_run(struct vd *vd)
{
	if (!vd->cfg.smtp_url[0])
		return 0;
	struct arena a;
	arena_init(&a, 0);
	struct outbox_recs due;
	int64_t now = clock_now();
	int sent = 0;
	unsigned char key[CRYPTO_KEY_LEN];
	outbox_key(vd, key);
	/* Claimed for long enough to send them all (20 mails at 25 s each at
	 * worst): another server sharing the database leaves them alone. */
	if (vd->store->ops->outbox_claim(vd->store, &a, now, now + NOTIFY_LEASE_SECONDS, 20, &due) != VD_OK)
		due.n = 0;
	for (size_t i = 0; i < due.n; i++) {
		const struct outbox_rec *m = &due.items[i];
		char to[RECIPIENT_MAX + 1];
		struct buf body;
		buf_init(&body, 8192);
		body.secret = true;
		int rc = VD_ERR_STORE;
		if (m->recipient_len > CRYPTO_AEAD_OVERHEAD && m->recipient_len - CRYPTO_AEAD_OVERHEAD < sizeof to &&
		    crypto_decrypt(key, OUTBOX_AD, m->recipient, m->recipient_len, to) == VD_OK) {
			to[m->recipient_len - CRYPTO_AEAD_OVERHEAD] = '\0';
			char *token = strchr(to, '\n');
			if (token)
				*token++ = '\0';
			rc = compose(vd, m->kind, to, token ? token : "", &body);
			if (rc == VD_OK)
				rc = send_mail(vd, m->kind, to, body.data, body.len);
		}
		crypto_wipe(to, sizeof to);
		buf_release_wipe(&body);
		if (rc == VD_OK) {
			vd->store->ops->outbox_done(vd->store, m->id);
			log_event(LOG_INFO, "mail-sent", LF_RECORD, (long long)m->id, LF_END);
			sent++;
		} else if (m->attempts + 1 >= NOTIFY_MAX_ATTEMPTS || rc == VD_ERR_STORE) {
			vd->store->ops->outbox_done(vd->store, m->id);
			log_event(LOG_ERROR, "mail-given-up", LF_RECORD, (long long)m->id, LF_END);
		} else {
			int shift = m->attempts < 7 ? m->attempts : 7;
			int64_t wait = vd->cfg.mail_retry_seconds << shift;
			vd->store->ops->outbox_retry(vd->store, m->id, m->attempts + 1, now + (wait > 3600 ? 3600 : wait));
		}
	}
	crypto_wipe(key, sizeof key);
	arena_release(&a);
	return sent;
}
