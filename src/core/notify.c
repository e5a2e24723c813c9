/* notify: see notify.h. */
#include "notify.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "../util/buf.h"
#include "../util/log.h"
#include "../util/text.h"

#define NOTIFY_MAX_ATTEMPTS 20
#define OUTBOX_AD "outbox recipient"

static void outbox_key(struct vd *vd, unsigned char key[CRYPTO_KEY_LEN])
{
	crypto_mac(vd->secret, "outbox-key", "", 0, key);
}

static int queue(struct vd *vd, const char *kind, const char *email)
{
	if (!vd->cfg.smtp_url[0] || !email || !text_valid_email(email))
		return VD_OK;
	size_t n = strlen(email);
	unsigned char key[CRYPTO_KEY_LEN], sealed[256 + CRYPTO_AEAD_OVERHEAD];
	if (n > 254)
		return VD_ERR_INVALID;
	outbox_key(vd, key);
	crypto_encrypt(key, OUTBOX_AD, email, n, sealed);
	crypto_wipe(key, sizeof key);
	struct outbox_rec m = { .recipient = sealed, .recipient_len = n + CRYPTO_AEAD_OVERHEAD, .kind = kind,
				.next_at = vd_now() };
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
		struct user u;
		if (vd->store->ops->user_get(vd->store, &a, readers.ids[i], &u) == VD_OK && u.active)
			rc = queue(vd, "staff", u.email);
	}
	arena_release(&a);
	return rc;
}

int notify_reporter(struct vd *vd, const char *email)
{
	return queue(vd, "reporter", email);
}

/* The fixed text of a notification, in Dutch and English: never content. */
static int compose(struct vd *vd, const char *kind, const char *to, struct buf *b)
{
	bool staff = strcmp(kind, "staff") == 0;
	return buf_printf(b,
			  "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
			  "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
			  "%s\r\n%s%s\r\n\r\n%s\r\n%s%s\r\n",
			  vd->cfg.smtp_from, to, staff ? "Nieuws in vertrouwd / News in vertrouwd"
						       : "Nieuw bericht / New message",
			  staff ? "Er is nieuws in een melding die aan jou is gericht. Log in om het te lezen:"
				: "Er is een nieuw bericht over je melding. Lees het bij 'Mijn melding' met je code:",
			  vd->cfg.base_url, staff ? "/dossiers" : "/mijn-melding",
			  staff ? "There is news in a report addressed to you. Log in to read it:"
				: "There is a new message about your report. Read it under 'My report' with your code:",
			  vd->cfg.base_url, staff ? "/dossiers" : "/mijn-melding");
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

/* One mail over SMTP; VD_OK when the server accepted it. */
static int send_mail(struct vd *vd, const char *to, const char *body, size_t len)
{
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
	curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
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
	struct outbox_list due;
	int64_t now = vd_now();
	int sent = 0;
	unsigned char key[CRYPTO_KEY_LEN];
	outbox_key(vd, key);
	if (vd->store->ops->outbox_due(vd->store, &a, now, 20, &due) != VD_OK)
		due.n = 0;
	for (size_t i = 0; i < due.n; i++) {
		const struct outbox_rec *m = &due.items[i];
		char to[256];
		struct buf body;
		buf_init(&body, 8192);
		body.secret = true;
		int rc = VD_ERR_STORE;
		if (m->recipient_len > CRYPTO_AEAD_OVERHEAD && m->recipient_len - CRYPTO_AEAD_OVERHEAD < sizeof to &&
		    crypto_decrypt(key, OUTBOX_AD, m->recipient, m->recipient_len, to) == VD_OK) {
			to[m->recipient_len - CRYPTO_AEAD_OVERHEAD] = '\0';
			rc = compose(vd, m->kind, to, &body);
			if (rc == VD_OK)
				rc = send_mail(vd, to, body.data, body.len);
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
