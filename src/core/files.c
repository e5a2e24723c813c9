/* files: see files.h. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../util/io.h"
#include "../util/log.h"
#include "../util/text.h"
#include "internal/files.h"

#define CHUNK (64 * 1024) /* plaintext bytes per encrypted chunk */
/* The disk: no new upload when less than this is free, and at most this
 * much may be arriving at once (each upload reserves its whole budget). */
#define FILES_MIN_FREE ((uint64_t)512 * 1024 * 1024)
#define FILES_IN_FLIGHT_MAX ((int64_t)512 * 1024 * 1024)

static _Atomic int64_t in_flight;
#define META_FIXED (CRYPTO_KEY_LEN + 1 + 8)

const char *const file_type_names[FT_COUNT] = { "pdf", "jpeg", "png", "txt", "docx", "odt" };
const char *const file_type_media[FT_COUNT] = {
	"application/pdf", "image/jpeg", "image/png", "text/plain; charset=utf-8",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.oasis.opendocument.text",
};

/* ---- types ----------------------------------------------------------------- */

static const struct {
	const char *ext;
	enum file_type type;
} extensions[] = {
	{ "pdf", FT_PDF }, { "jpg", FT_JPEG }, { "jpeg", FT_JPEG }, { "png", FT_PNG },
	{ "txt", FT_TEXT }, { "docx", FT_DOCX }, { "odt", FT_ODT },
};

static bool type_of_name(const char *name, enum file_type *t)
{
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof extensions / sizeof extensions[0]; i++) {
		if (strcasecmp(dot + 1, extensions[i].ext) == 0) {
			*t = extensions[i].type;
			return true;
		}
	}
	return false;
}

/* Does the start of the file match its type? (Text has no signature; it is
 * checked for NUL bytes as it arrives.) Word documents are zip files. */
static bool head_matches(enum file_type t, const unsigned char *h, size_t n)
{
	static const unsigned char pdf[] = "%PDF-", png[] = "\x89PNG\r\n\x1a\n", jpeg[] = "\xff\xd8\xff",
				   zip[] = "PK\x03\x04";
	switch (t) {
	case FT_PDF: return n >= 5 && memcmp(h, pdf, 5) == 0;
	case FT_PNG: return n >= 8 && memcmp(h, png, 8) == 0;
	case FT_JPEG: return n >= 3 && memcmp(h, jpeg, 3) == 0;
	case FT_DOCX:
	case FT_ODT: return n >= 4 && memcmp(h, zip, 4) == 0;
	case FT_TEXT: return true;
	case FT_COUNT: break;
	}
	return false;
}

/* ---- paths ----------------------------------------------------------------- */

static char *file_path(const struct vd *vd, bool tmp, const char *file_id)
{
	size_t n = strlen(vd->dir) + FILE_ID_LEN + 16;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/files/%s%s", vd->dir, tmp ? "tmp/" : "", file_id);
	return p;
}

void files_remove(struct vd *vd, const char *file_id)
{
	if (!file_id || strlen(file_id) != FILE_ID_LEN || strspn(file_id, "0123456789abcdef") != FILE_ID_LEN)
		return;
	char *p = file_path(vd, false, file_id);
	if (p)
		unlink(p);
	free(p);
}

static void sync_dir(const struct vd *vd, bool tmp)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/files%s", vd->dir, tmp ? "/tmp" : "");
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Removes our files (32 hex digits) from dir; with s, only those no row names. */
static void sweep(const char *dir, struct store *s)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	int removed = 0;
	while ((e = readdir(d))) {
		if (strlen(e->d_name) != FILE_ID_LEN || strspn(e->d_name, "0123456789abcdef") != FILE_ID_LEN)
			continue;
		if (s && s->ops->attachment_exists(s, e->d_name) != VD_ERR_NOTFOUND)
			continue; /* named, or the database could not say: keep it */
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	if (removed)
		log_event(LOG_INFO, "files-swept", LF_RECORD, (long long)removed, LF_END);
}

int files_prepare(struct vd *vd, bool clear_tmp)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/files", vd->dir);
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return VD_ERR_IO;
	snprintf(path, sizeof path, "%s/files/tmp", vd->dir);
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return VD_ERR_IO;
	if (!clear_tmp)
		return VD_OK;
	/* What an upload interrupted by a stop left behind: encrypted under a key
	 * that was never stored, so of no use to anyone. */
	sweep(path, NULL);
	/* And a file moved into place by a transaction that then never committed
	 * (a crash in between): no row names it, so its key is gone too. */
	snprintf(path, sizeof path, "%s/files", vd->dir);
	sweep(path, vd->store);
	return VD_OK;
}

/* ---- receiving --------------------------------------------------------------- */

/* Characters that change how a name reads without showing themselves: the
 * bidirectional controls (U+202A..U+202E, U+2066..U+2069, U+200E/F), zero
 * widths (U+200B..U+200D, U+2060) and the byte-order mark (U+FEFF). A name
 * like "rapport\u202Efdp.exe" must not read as "rapportexe.pdf". */
static bool invisible(const char *s, size_t len)
{
	if (len != 3)
		return false;
	unsigned cp = ((unsigned)(unsigned char)s[0] & 0x0f) << 12 | ((unsigned)(unsigned char)s[1] & 0x3f) << 6 |
		      ((unsigned)(unsigned char)s[2] & 0x3f);
	return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
	       cp == 0xfeff;
}

/* "bestand", with the extension of name when it has a plain one. */
static char *fallback_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	char out[16] = "bestand";
	size_t n = dot ? strlen(dot + 1) : 0;
	bool plain = n >= 1 && n <= 5;
	for (size_t i = 0; plain && i < n; i++)
		plain = (dot[1 + i] >= 'a' && dot[1 + i] <= 'z') || (dot[1 + i] >= 'A' && dot[1 + i] <= 'Z') ||
			(dot[1 + i] >= '0' && dot[1 + i] <= '9');
	if (plain)
		snprintf(out, sizeof out, "bestand.%s", dot + 1);
	return strdup(out);
}

/* The last path segment (old browsers send C:\...), valid UTF-8, no control
 * characters, at most FILE_NAME_MAX_CHARS; "bestand" when nothing is left. */
static char *clean_name(const char *name)
{
	const char *base = name;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	/* control characters and quotes go first; what is left must be UTF-8 */
	size_t n = strlen(base), kept = 0;
	char *all = malloc(n + 1), *out = malloc(n + 1);
	if (!all || !out) {
		free(all);
		free(out);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)base[i] >= 0x20 && base[i] != 0x7f && base[i] != '"')
			all[kept++] = base[i];
	all[kept] = '\0';
	size_t o = 0, chars = 0;
	if (!text_valid_utf8(all, kept))
		kept = 0;
	for (size_t i = 0; i < kept && chars < FILE_NAME_MAX_CHARS;) {
		unsigned char c = (unsigned char)all[i];
		size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (!invisible(all + i, len)) {
			memcpy(out + o, all + i, len);
			o += len;
			chars++;
		}
		i += len;
	}
	out[o] = '\0';
	free(all);
	if (!o || strspn(out, " .") == o) {
		free(out);
		return fallback_name(base);
	}
	return out;
}

static void close_fd(struct upload *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
}

static void fail(struct upload *u, enum upload_error e)
{
	if (u->error == UP_OK)
		u->error = e;
	close_fd(u);
	if (u->chunk) {
		crypto_wipe(u->chunk, CHUNK);
		free(u->chunk);
		u->chunk = NULL;
	}
}

static int upload_open(struct vd *vd, const char *name, int64_t budget, struct upload *u)
{
	u->fd = -1;
	u->budget = budget;
	u->name = clean_name(name ? name : "");
	if (!u->name) {
		u->error = UP_FAILED;
		return VD_ERR_NOMEM;
	}
	if (budget <= 0) {
		u->error = UP_TOO_BIG; /* the files before it took the whole total */
		return VD_OK;
	}
	if (!type_of_name(u->name, &u->type)) { /* the name as it will be shown */
		u->error = UP_BAD_TYPE;
		return VD_OK;
	}
	/* Room on the disk, and not too much arriving at once: else "try later". */
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/files", vd->dir);
	struct statvfs fs;
	if (statvfs(dir, &fs) == 0 && (uint64_t)fs.f_bavail * fs.f_frsize < FILES_MIN_FREE + (uint64_t)budget) {
		log_event(LOG_ERROR, "upload-refused", LF_WHAT, "the disk is nearly full", LF_END);
		u->error = UP_FAILED;
		return VD_OK;
	}
	if (atomic_fetch_add(&in_flight, budget) + budget > FILES_IN_FLIGHT_MAX) {
		atomic_fetch_sub(&in_flight, budget);
		log_event(LOG_WARN, "upload-refused", LF_WHAT, "too many uploads at once", LF_END);
		u->error = UP_FAILED;
		return VD_OK;
	}
	u->reserved = budget;
	unsigned char id[FILE_ID_LEN / 2];
	crypto_random(id, sizeof id);
	text_hex_encode(id, sizeof id, u->file_id);
	u->chunk = malloc(CHUNK);
	char *path = file_path(vd, true, u->file_id);
	if (!u->chunk || !path) {
		free(path);
		fail(u, UP_FAILED);
		return VD_ERR_NOMEM;
	}
	u->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	free(path);
	if (u->fd < 0) {
		log_event(LOG_ERROR, "upload-failed", LF_WHAT, "cannot create a temporary file", LF_END);
		fail(u, UP_FAILED);
		return VD_ERR_IO;
	}
	crypto_key_new(u->key);
	unsigned char header[CRYPTO_STREAM_HEADER_LEN];
	crypto_stream_push_init(&u->stream, u->key, header);
	if (io_write_all(u->fd, header, sizeof header) != VD_OK) {
		fail(u, UP_FAILED);
		return VD_ERR_IO;
	}
	return VD_OK;
}

int upload_begin(struct vd *vd, const char *name, int64_t budget, struct upload **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? upload_open(vd, name, budget, *out) : VD_ERR_NOMEM;
}

enum upload_error upload_error(const struct upload *u)
{
	return u->error;
}

/* Encrypts and writes the chunk buffer. */
static void flush_chunk(struct upload *u, bool final)
{
	unsigned char *out = malloc(u->chunk_len + CRYPTO_STREAM_OVERHEAD);
	if (!out) {
		fail(u, UP_FAILED);
		return;
	}
	crypto_stream_push(&u->stream, u->chunk, u->chunk_len, out, final);
	bool ok = io_write_all(u->fd, out, u->chunk_len + CRYPTO_STREAM_OVERHEAD) == VD_OK;
	free(out);
	crypto_wipe(u->chunk, u->chunk_len);
	u->chunk_len = 0;
	if (!ok) {
		log_event(LOG_ERROR, "upload-failed", LF_WHAT, "cannot write a temporary file", LF_END);
		fail(u, UP_FAILED);
	}
}

void upload_write(struct upload *u, const void *data, size_t n)
{
	const unsigned char *p = data;
	if (u->error || u->finished || !n)
		return;
	if ((uint64_t)u->size + n > (uint64_t)u->budget) {
		fail(u, UP_TOO_BIG);
		return;
	}
	if (u->type == FT_TEXT && memchr(p, 0, n)) {
		fail(u, UP_BAD_TYPE); /* not text */
		return;
	}
	while (u->head_len < sizeof u->head && n) {
		u->head[u->head_len++] = *p;
		u->chunk[u->chunk_len++] = *p++;
		n--;
		u->size++;
	}
	while (n && !u->error) {
		if (u->chunk_len == CHUNK)
			flush_chunk(u, false);
		if (u->error)
			return;
		size_t take = CHUNK - u->chunk_len < n ? CHUNK - u->chunk_len : n;
		memcpy(u->chunk + u->chunk_len, p, take);
		u->chunk_len += take;
		p += take;
		n -= take;
		u->size += (int64_t)take;
	}
}

void upload_finish(struct upload *u)
{
	if (u->error || u->finished)
		return;
	if (u->size == 0) {
		fail(u, UP_EMPTY);
		return;
	}
	if (!head_matches(u->type, u->head, u->head_len)) {
		fail(u, UP_BAD_TYPE);
		return;
	}
	flush_chunk(u, true);
	if (u->error)
		return;
	if (fsync(u->fd) != 0) {
		fail(u, UP_FAILED);
		return;
	}
	close_fd(u);
	free(u->chunk);
	u->chunk = NULL;
	u->finished = true;
}

void upload_discard(struct vd *vd, struct upload *u)
{
	if (!u)
		return;
	atomic_fetch_sub(&in_flight, u->reserved);
	close_fd(u);
	if (u->file_id[0] && !u->attached) {
		char *path = file_path(vd, true, u->file_id);
		if (path)
			unlink(path);
		free(path);
	}
	if (u->chunk) {
		crypto_wipe(u->chunk, CHUNK);
		free(u->chunk);
	}
	if (u->name) {
		crypto_wipe(u->name, strlen(u->name));
		free(u->name);
	}
	crypto_wipe(u, sizeof *u);
	free(u);
}

/* ---- storing ----------------------------------------------------------------- */

/* Whose files: a case's (the rows in attachments) or a complaint's (in
 * complaint_attachments), and what binds their metadata to it. */
/* Whose files: a case's, a complaint's or a report of wrongdoing's, each
 * in a table of its own. */
enum owner_kind { OWN_CASE, OWN_COMPLAINT, OWN_WB };
struct owner {
	int64_t id;
	enum owner_kind kind;
	char ad[48];
};

static struct owner case_owner(const struct case_rec *c)
{
	struct owner o = { .id = c->id };
	snprintf(o.ad, sizeof o.ad, "case %s", c->locator);
	return o;
}

static struct owner complaint_owner(int64_t id)
{
	struct owner o = { .id = id, .kind = OWN_COMPLAINT };
	snprintf(o.ad, sizeof o.ad, "complaint %lld", (long long)id);
	return o;
}

static struct owner wb_owner(int64_t id)
{
	struct owner o = { .id = id, .kind = OWN_WB };
	snprintf(o.ad, sizeof o.ad, "wb report %lld", (long long)id);
	return o;
}

/* Bound to the owner, the file, and what it came with: a note's file cannot
 * be passed off as one the reporter may see by changing its row. */
static void meta_ad(char *ad, size_t n, const struct owner *o, const char *file_id, const char *kind,
		    int64_t message_id)
{
	snprintf(ad, n, "%s file %s %s %lld", o->ad, file_id, kind, (long long)message_id);
}

static int attach(struct vd *vd, const struct owner *o, const unsigned char case_key[CRYPTO_KEY_LEN],
		  int64_t message_id, const char *kind, struct upload *const *ups, size_t n)
{
	int rc = VD_OK;
	for (size_t i = 0; i < n && rc == VD_OK; i++) {
		struct upload *u = ups[i];
		if (!u->finished)
			return VD_ERR_INVALID;
		size_t name_len = strlen(u->name), plain_len = META_FIXED + name_len;
		unsigned char *plain = malloc(plain_len), *meta = malloc(plain_len + CRYPTO_AEAD_OVERHEAD);
		char *from = file_path(vd, true, u->file_id), *to = file_path(vd, false, u->file_id);
		if (!plain || !meta || !from || !to) {
			rc = VD_ERR_NOMEM;
		} else {
			memcpy(plain, u->key, CRYPTO_KEY_LEN);
			plain[CRYPTO_KEY_LEN] = (unsigned char)u->type;
			for (int b = 0; b < 8; b++)
				plain[CRYPTO_KEY_LEN + 1 + b] = (unsigned char)((uint64_t)u->size >> (56 - 8 * b));
			memcpy(plain + META_FIXED, u->name, name_len);
			char ad[160];
			meta_ad(ad, sizeof ad, o, u->file_id, kind, message_id);
			crypto_encrypt(case_key, ad, plain, plain_len, meta);
			struct attachment_rec rec = { .case_id = o->id, .message_id = message_id, .kind = kind,
						      .file_id = u->file_id, .created_at = clock_now(),
						      .meta = meta, .meta_len = plain_len + CRYPTO_AEAD_OVERHEAD };
			int64_t id;
			struct store *s = vd->store;
			rc = o->kind == OWN_COMPLAINT ? s->ops->complaint_attachment_insert(s, &rec, &id)
			     : o->kind == OWN_WB      ? s->ops->wb_attachment_insert(s, &rec, &id)
						      : s->ops->attachment_insert(s, &rec, &id);
			if (rc == VD_OK && rename(from, to) != 0) {
				log_event(LOG_ERROR, "upload-failed", LF_WHAT, "cannot move a file into place", LF_END);
				rc = VD_ERR_IO;
			}
			if (rc == VD_OK)
				u->attached = true;
		}
		if (plain)
			crypto_wipe(plain, plain_len);
		free(plain);
		free(meta);
		free(from);
		free(to);
	}
	if (rc == VD_OK && n) {
		sync_dir(vd, false);
		sync_dir(vd, true);
	}
	return rc;
}

int files_attach(struct vd *vd, const struct case_rec *c, const unsigned char case_key[CRYPTO_KEY_LEN],
		 int64_t message_id, const char *kind, struct upload *const *ups, size_t n)
{
	struct owner o = case_owner(c);
	return attach(vd, &o, case_key, message_id, kind, ups, n);
}

int files_attach_complaint(struct vd *vd, int64_t complaint_id, const unsigned char key[CRYPTO_KEY_LEN],
			   int64_t letter_id, const char *kind, struct upload *const *ups, size_t n)
{
	struct owner o = complaint_owner(complaint_id);
	return attach(vd, &o, key, letter_id, kind, ups, n);
}

void files_unattach(struct vd *vd, struct upload *const *ups, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!ups[i]->attached)
			continue;
		char *path = file_path(vd, false, ups[i]->file_id);
		if (path)
			unlink(path);
		free(path);
		ups[i]->attached = false;
	}
}

/* ---- reading ----------------------------------------------------------------- */

/* A row's file, and the file's own key into key (the caller wipes it). */
static int decrypt_meta(struct arena *a, const struct owner *o, const unsigned char case_key[CRYPTO_KEY_LEN],
			const struct attachment_rec *r, struct case_file *f, unsigned char key[CRYPTO_KEY_LEN])
{
	if (r->meta_len < CRYPTO_AEAD_OVERHEAD + META_FIXED || strlen(r->file_id) != FILE_ID_LEN)
		return VD_ERR_STORE;
	size_t n = r->meta_len - CRYPTO_AEAD_OVERHEAD;
	unsigned char *plain = arena_alloc(a, n + 1);
	if (!plain)
		return VD_ERR_NOMEM;
	char ad[160];
	meta_ad(ad, sizeof ad, o, r->file_id, r->kind, r->message_id);
	int rc = crypto_decrypt(case_key, ad, r->meta, r->meta_len, plain);
	if (rc == VD_OK && plain[CRYPTO_KEY_LEN] >= FT_COUNT)
		rc = VD_ERR_STORE;
	if (rc == VD_OK) {
		memcpy(key, plain, CRYPTO_KEY_LEN);
		f->type = (enum file_type)plain[CRYPTO_KEY_LEN];
		uint64_t size = 0;
		for (int b = 0; b < 8; b++)
			size = size << 8 | plain[CRYPTO_KEY_LEN + 1 + b];
		f->size = (int64_t)size;
		f->name = arena_strndup(a, (const char *)plain + META_FIXED, n - META_FIXED);
		f->message_id = r->message_id;
		f->kind = r->kind;
		f->created_at = r->created_at;
		memcpy(f->file_id, r->file_id, FILE_ID_LEN + 1);
		if (!f->name)
			rc = VD_ERR_NOMEM;
	}
	crypto_wipe(plain, n);
	return rc == VD_ERR_AUTH ? VD_ERR_STORE : rc;
}

static int list(struct vd *vd, struct arena *a, const struct owner *o, const unsigned char case_key[CRYPTO_KEY_LEN],
		bool with_notes, struct case_file **out, size_t *n)
{
	struct attachment_recs l;
	unsigned char key[CRYPTO_KEY_LEN];
	*n = 0;
	struct store *s = vd->store;
	int rc = o->kind == OWN_COMPLAINT ? s->ops->complaint_attachment_list(s, a, o->id, FILES_LISTED, &l)
		 : o->kind == OWN_WB	  ? s->ops->wb_attachment_list(s, a, o->id, FILES_LISTED, &l)
					  : s->ops->attachment_list(s, a, o->id, FILES_LISTED, &l);
	if (rc)
		return rc;
	*out = arena_array(a, l.n, sizeof **out);
	if (!*out)
		return VD_ERR_NOMEM;
	for (size_t i = 0; i < l.n && rc == VD_OK; i++) {
		if (!with_notes && strcmp(l.items[i].kind, "note") == 0)
			continue;
		rc = decrypt_meta(a, o, case_key, &l.items[i], &(*out)[*n], key);
		if (rc == VD_OK)
			(*n)++;
	}
	crypto_wipe(key, sizeof key); /* the page needs no keys: only downloads do */
	return rc;
}

int files_list(struct vd *vd, struct arena *a, const struct case_rec *c,
	       const unsigned char case_key[CRYPTO_KEY_LEN], bool with_notes, struct case_file **out, size_t *n)
{
	struct owner o = case_owner(c);
	return list(vd, a, &o, case_key, with_notes, out, n);
}

int files_list_complaint(struct vd *vd, struct arena *a, int64_t complaint_id, const unsigned char key[CRYPTO_KEY_LEN],
			 struct case_file **out, size_t *n)
{
	struct owner o = complaint_owner(complaint_id);
	return list(vd, a, &o, key, true, out, n);
}

static int reader_open(struct vd *vd, const char *file_id, const unsigned char key[CRYPTO_KEY_LEN],
		       struct file_reader **out);

static int open_one(struct vd *vd, struct arena *a, const struct owner *o, const unsigned char case_key[CRYPTO_KEY_LEN],
		    const char *file_id, bool with_notes, struct case_file *info, struct file_reader **reader)
{
	*reader = NULL;
	if (!file_id || strlen(file_id) != FILE_ID_LEN || strspn(file_id, "0123456789abcdef") != FILE_ID_LEN)
		return VD_ERR_NOTFOUND;
	struct attachment_rec r;
	unsigned char key[CRYPTO_KEY_LEN];
	struct store *s = vd->store;
	int rc = o->kind == OWN_COMPLAINT ? s->ops->complaint_attachment_get(s, a, o->id, file_id, &r)
		 : o->kind == OWN_WB	  ? s->ops->wb_attachment_get(s, a, o->id, file_id, &r)
					  : s->ops->attachment_get(s, a, o->id, file_id, &r);
	if (rc == VD_OK && !with_notes && strcmp(r.kind, "note") == 0)
		rc = VD_ERR_NOTFOUND;
	if (rc == VD_OK)
		rc = decrypt_meta(a, o, case_key, &r, info, key);
	if (rc == VD_OK)
		rc = reader_open(vd, info->file_id, key, reader);
	crypto_wipe(key, sizeof key);
	return rc;
}

int files_open(struct vd *vd, struct arena *a, const struct case_rec *c,
	       const unsigned char case_key[CRYPTO_KEY_LEN], const char *file_id, bool with_notes,
	       struct case_file *info, struct file_reader **reader)
{
	struct owner o = case_owner(c);
	return open_one(vd, a, &o, case_key, file_id, with_notes, info, reader);
}

int files_open_complaint(struct vd *vd, struct arena *a, int64_t complaint_id, const unsigned char key[CRYPTO_KEY_LEN],
			 const char *file_id, struct case_file *info, struct file_reader **reader)
{
	struct owner o = complaint_owner(complaint_id);
	return open_one(vd, a, &o, key, file_id, true, info, reader);
}

int files_attach_wb(struct vd *vd, int64_t report_id, const unsigned char key[CRYPTO_KEY_LEN], int64_t event_id,
		    const char *kind, struct upload *const *ups, size_t n)
{
	struct owner o = wb_owner(report_id);
	return attach(vd, &o, key, event_id, kind, ups, n);
}

int files_list_wb(struct vd *vd, struct arena *a, int64_t report_id, const unsigned char key[CRYPTO_KEY_LEN],
		  struct case_file **out, size_t *n)
{
	struct owner o = wb_owner(report_id);
	return list(vd, a, &o, key, true, out, n);
}

int files_open_wb(struct vd *vd, struct arena *a, int64_t report_id, const unsigned char key[CRYPTO_KEY_LEN],
		  const char *file_id, struct case_file *info, struct file_reader **reader)
{
	struct owner o = wb_owner(report_id);
	return open_one(vd, a, &o, key, file_id, true, info, reader);
}

struct file_reader {
	int fd;
	struct crypto_stream stream;
	unsigned char in[CHUNK + CRYPTO_STREAM_OVERHEAD];
	unsigned char plain[CHUNK];
	size_t plain_len, plain_pos;
	bool final;
};

/* The file's own key is used here, once: the reader keeps only the stream's state. */
static int reader_open(struct vd *vd, const char *file_id, const unsigned char key[CRYPTO_KEY_LEN],
		       struct file_reader **out)
{
	struct file_reader *fr = calloc(1, sizeof *fr);
	char *path = file_path(vd, false, file_id);
	if (!fr || !path) {
		free(fr);
		free(path);
		return VD_ERR_NOMEM;
	}
	fr->fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	unsigned char header[CRYPTO_STREAM_HEADER_LEN];
	size_t got = 0;
	if (fr->fd < 0 || io_read_all(fr->fd, header, sizeof header, &got) != VD_OK || got != sizeof header ||
	    crypto_stream_pull_init(&fr->stream, key, header) != VD_OK) {
		if (fr->fd >= 0)
			close(fr->fd);
		free(fr);
		log_event(LOG_ERROR, "file-unreadable", LF_WHAT, "missing or damaged file", LF_END);
		return VD_ERR_STORE;
	}
	*out = fr;
	return VD_OK;
}

int64_t file_reader_read(struct file_reader *fr, void *buf, size_t max)
{
	if (fr->plain_pos == fr->plain_len) {
		if (fr->final) {
			/* Nothing may follow the final chunk. */
			unsigned char extra;
			size_t got = 0;
			return io_read_all(fr->fd, &extra, 1, &got) == VD_OK && got == 0 ? 0 : VD_ERR_AUTH;
		}
		size_t got = 0;
		if (io_read_all(fr->fd, fr->in, sizeof fr->in, &got) != VD_OK ||
		    crypto_stream_pull(&fr->stream, fr->in, got, fr->plain, &fr->final) != VD_OK) {
			log_event(LOG_ERROR, "file-unreadable", LF_WHAT, "damaged or cut file", LF_END);
			return VD_ERR_AUTH;
		}
		/* A full chunk that is not final must be followed by more. */
		if (got < sizeof fr->in && !fr->final)
			return VD_ERR_AUTH;
		fr->plain_len = got - CRYPTO_STREAM_OVERHEAD;
		fr->plain_pos = 0;
		if (!fr->plain_len)
			return fr->final ? 0 : VD_ERR_AUTH;
	}
	size_t n = fr->plain_len - fr->plain_pos < max ? fr->plain_len - fr->plain_pos : max;
	memcpy(buf, fr->plain + fr->plain_pos, n);
	fr->plain_pos += n;
	return (int64_t)n;
}

void file_reader_close(struct file_reader *fr)
{
	if (!fr)
		return;
	if (fr->fd >= 0)
		close(fr->fd);
	crypto_wipe(fr, sizeof *fr);
	free(fr);
}
