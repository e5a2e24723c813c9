/*
 * server: libmicrohttpd glue — request lifecycle, size caps, the public page
 * cache, security headers and the access log.
 *
 * libmicrohttpd calls the access handler several times per request. The first
 * call only sets up our state: answering in that call would make it close the
 * connection (no keep-alive; see DESIGN.md §5). Body bytes arrive in later
 * calls and are collected under a cap; the final call dispatches.
 *
 * A POST is dispatched on a worker (util/workers.h) with its connection
 * suspended: it may hash a password or a receipt code (Argon2id) and commit
 * durably, and the other connections of its event thread must not wait for
 * that (bench/reports: the pages' p99 while reports stream in). When the
 * worker resumes the connection, libmicrohttpd calls the handler again and
 * the answer is sent from the event thread.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "../util/address.h"
#include "../util/log.h"
#include "../util/text.h"
#include "../util/workers.h"
#include "i18n.h"
#include "web.h"

/* Caps. Headers: we answer 413 ourselves above HEADER_CAP bytes; above
 * HEADER_MEMORY_LIMIT libmicrohttpd itself refuses with its own short 431
 * page before we see the request. Bodies: tighter before login. */
#define HEADER_CAP (8 * 1024)
#define BODY_CAP_REPORT (256 * 1024) /* the report form's long texts */
/* A form with files: the files' caps, the texts and room for the part heads. */
#define BODY_CAP_UPLOAD ((size_t)FILES_TOTAL_BYTES + FILES_MAX * FILE_MAX_BYTES / 64 + BODY_CAP_REPORT)
#define HEADER_MEMORY_LIMIT (32 * 1024)
/* A multipart body: at most this many parts, file names this long. */
#define PARTS_MAX (FORM_MAX_FIELDS + FILES_MAX + 8)
#define PART_FILENAME_MAX 1024
#define BODY_CAP_ANON (16 * 1024)
#define PAGE_CACHE_SLOTS 1024
/* POSTs on the workers: beyond this many waiting a POST gets 503 at once
 * (each holds its body; suspended, a connection has no timeout), and one
 * that waited longer than the connection timeout is not run at all (its
 * browser has given up). */
#define POSTS_WAITING_MAX 64
#define POST_WAIT_MAX_S 30
#define STOP_WAIT_S 5 /* server_stop waits this long for the POSTs' answers */

struct server {
	struct MHD_Daemon *daemon;
	struct vd *vd;
	int port;
	struct workers *workers;
	pthread_mutex_t lock;   /* stopping, posts, and handing a POST to a worker */
	pthread_cond_t answered; /* posts went down */
	bool stopping;          /* no more POSTs to the workers: server_stop drains them */
	unsigned posts;         /* handed to a worker and not yet answered */
};

/* A text field of a multipart body, as it arrives. */
struct mp_field {
	char *name;
	struct buf value;
};

struct conn_state {
	struct req req;
	struct buf body;
	/* multipart/form-data (R_UPLOAD routes): parsed by libmicrohttpd's post
	 * processor as it arrives; files go straight into encrypted uploads. */
	struct MHD_PostProcessor *pp;
	bool multipart;
	bool bad_form;
	uint64_t body_bytes;
	size_t body_cap;
	struct mp_field *fields; /* FORM_MAX_FIELDS of them, allocated at the first */
	size_t nfields;
	size_t text_bytes;
	struct upload *cur;      /* the file being received */
	bool part_open;          /* a part has begun */
	size_t nparts;
	char part_key[FORM_MAX_NAME + 1];    /* its field name */
	char part_file[PART_FILENAME_MAX + 1]; /* its file name */
	bool part_has_file;      /* a file part (else a text field) */
	bool part_skip;          /* an empty file input, or a file over the count */
	uint64_t part_next_off;  /* where the current part's next piece starts */
	int64_t file_bytes;      /* the request's files together */
	char close_delim[80];    /* "--<boundary>--": a whole body ends with it */
	char tail[96];           /* the body's last bytes, to check that */
	size_t tail_len;
	bool too_big;
	bool bad_type;
	bool bad_query;
	bool too_long; /* the request path is over URI_MAX_PATH */
	bool seen; /* the first access-handler call has happened */
	bool from_cache; /* answered from the public page cache: nothing to wipe */
	bool handed;     /* given to a worker (counted in srv->posts until completed) */
	bool dispatched; /* a worker has run the route: only the answer is left */
	struct worker_job job;
	struct MHD_Connection *conn; /* for the worker to resume */
	struct timespec start;
};

/* ---- headers common to every answer ---------------------------------------- */

static const char csp[] = "default-src 'none'; style-src 'self'; img-src 'self'; "
			  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static void add_security_headers(struct MHD_Response *resp, bool no_store, bool secure)
{
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
	if (secure)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (no_store)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

/* A download is read from its file, decrypted, as the client takes it. */
static ssize_t download_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	int64_t n = file_reader_read(cls, buf, max);
	if (n > 0)
		return (ssize_t)n;
	return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void download_free(void *cls)
{
	file_reader_close(cls);
}

static struct MHD_Response *build_response(struct req *r)
{
	struct MHD_Response *resp;
	if (r->download && r->status == 200) {
		resp = MHD_create_response_from_callback((uint64_t)r->download_size, 64 * 1024, download_read,
							 r->download, download_free);
		if (resp)
			r->download = NULL; /* the response closes it */
	} else {
		resp = MHD_create_response_from_buffer(r->out.len, r->out.data ? r->out.data : (char *)"",
						       MHD_RESPMEM_MUST_COPY);
	}
	if (!resp)
		return NULL;
	MHD_add_response_header(resp, "Content-Type",
				r->content_type ? r->content_type : "text/html; charset=utf-8");
	bool has_cache_control = false;
	for (int i = 0; i < r->nheaders; i++) {
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
		has_cache_control |= strcmp(r->headers[i].name, "Cache-Control") == 0;
	}
	add_security_headers(resp, r->no_store && !has_cache_control, req_config(r)->secure_cookies);
	if (!r->no_store && !has_cache_control) {
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
		MHD_add_response_header(resp, "Vary", "Cookie"); /* the language is a cookie */
	}
	if (r->status == 405) {
		char *allow = arena_printf(&r->arena, "%s%s",
					   r->route && (r->route->methods & M_GET) ? "GET, HEAD" : "",
					   r->route && (r->route->methods & M_POST)
					       ? ((r->route->methods & M_GET) ? ", POST" : "POST")
					       : "");
		if (allow)
			MHD_add_response_header(resp, "Allow", allow);
	}
	return resp;
}

/* ---- the public page cache ------------------------------------------------ */

struct cache_slot {
	char *key;
	int64_t gen;
	struct MHD_Response *resp;
	size_t bytes;
};

static struct cache_slot cache[PAGE_CACHE_SLOTS];
static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;

static size_t cache_index(const char *key)
{
	/* FNV-1a. Keys are limited by cache_key() to our routes, languages and unit
	 * numbers, so a client cannot make unbounded distinct keys; a collision
	 * only replaces an entry, which is then rendered again. */
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)(h % PAGE_CACHE_SLOTS);
}

void page_cache_clear(void)
{
	pthread_rwlock_wrlock(&cache_lock);
	for (size_t i = 0; i < PAGE_CACHE_SLOTS; i++) {
		if (cache[i].resp)
			MHD_destroy_response(cache[i].resp);
		free(cache[i].key);
		memset(&cache[i], 0, sizeof cache[i]);
	}
	pthread_rwlock_unlock(&cache_lock);
}

/* Queues the cached answer for key if it is current. */
static bool cache_serve(struct MHD_Connection *c, const char *key, int64_t gen, size_t *bytes)
{
	bool hit = false;
	pthread_rwlock_rdlock(&cache_lock);
	struct cache_slot *s = &cache[cache_index(key)];
	if (s->resp && s->gen == gen && strcmp(s->key, key) == 0) {
		hit = MHD_queue_response(c, MHD_HTTP_OK, s->resp) == MHD_YES;
		*bytes = s->bytes;
	}
	pthread_rwlock_unlock(&cache_lock);
	return hit;
}

/* Stores resp under key (a colliding older entry is replaced). */
static void cache_store(const char *key, int64_t gen, struct MHD_Response *resp, size_t bytes)
{
	char *k = strdup(key);
	if (!k)
		return;
	pthread_rwlock_wrlock(&cache_lock);
	struct cache_slot *s = &cache[cache_index(key)];
	if (s->resp)
		MHD_destroy_response(s->resp);
	free(s->key);
	s->key = k;
	s->gen = gen;
	s->resp = resp;
	s->bytes = bytes;
	pthread_rwlock_unlock(&cache_lock);
}

/* The cache key: language, path and the query, but only for a request whose
 * query holds nothing but the one parameter the directory declares, so that
 * junk parameters cannot fill the cache. NULL: not cacheable. */
static const char *cache_key(struct req *r)
{
	if (!(r->route->flags & R_CACHE) || !(r->method & (M_GET | M_HEAD)))
		return NULL;
	const char *unit = NULL;
	bool directory = strcmp(r->route->pattern, "/vertrouwenspersonen") == 0;
	for (size_t i = 0; i < r->query.n; i++) {
		if (!directory || strcmp(r->query.items[i].name, "eenheid") != 0 || unit)
			return NULL;
		unit = r->query.items[i].value;
	}
	if (unit && (strlen(unit) > 19 || strspn(unit, "0123456789") != strlen(unit)))
		return NULL;
	return arena_printf(&r->arena, "%s|%s?%s", r->lang, r->path, unit ? unit : "");
}

/* ---- request lifecycle -------------------------------------------------- */

static enum method parse_method(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return M_GET;
	if (strcmp(m, "HEAD") == 0)
		return M_HEAD;
	if (strcmp(m, "POST") == 0)
		return M_POST;
	return M_OTHER;
}

static const char *method_name(enum method m)
{
	switch (m) {
	case M_GET: return "GET";
	case M_HEAD: return "HEAD";
	case M_POST: return "POST";
	case M_OTHER: break;
	}
	return "OTHER";
}

/* Copies the client address bytes (in memory only, for the login throttle). */
static void read_source(struct req *r, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	const void *bytes = NULL;
	size_t n = 0;
	if (sa->sa_family == AF_INET) {
		bytes = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
		n = sizeof(struct in_addr);
	} else if (sa->sa_family == AF_INET6) {
		bytes = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		n = sizeof(struct in6_addr);
	}
	if (!n)
		return;
	unsigned char *copy = arena_alloc(&r->arena, n);
	if (copy) {
		memcpy(copy, bytes, n);
		r->source = copy;
		r->source_len = n;
	}
}

/* Called by MHD with the raw request target before anything else: this is
 * where our per-request state begins (it becomes *con_cls). We parse the
 * target ourselves (form.h: strict and bounded) instead of using MHD's
 * lenient decoding. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)c;
	struct server *srv = cls;
	struct conn_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &st->start);
	struct req *r = &st->req;
	arena_init(&r->arena, 0);
	buf_init(&r->out, 32 * 1024 * 1024); /* a case page with a long conversation */
	r->vd = srv->vd;
	r->status = 200;
	r->no_store = true;
	int rc = uri_parse(&r->arena, uri ? uri : "", &r->path, &r->query);
	if (rc) {
		r->path = "/";
		r->query.n = 0;
		if (rc == VD_ERR_TOOBIG)
			st->too_long = true;
		else
			st->bad_query = true;
	}
	return st;
}

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	(void)kind;
	*(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

static enum MHD_Result last_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	(void)kind;
	if (value && strcasecmp(key, "X-Forwarded-For") == 0)
		*(const char **)cls = value;
	return MHD_YES;
}

/* Is the Content-Type ct the media type want (parameters may follow)? */
static bool type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';');
}

/* ---- multipart bodies ------------------------------------------------------ */

static void end_file(struct conn_state *st)
{
	if (st->cur)
		upload_finish(st->cur);
	st->cur = NULL;
}

/* A new part begins: a text field, or a file. */
static void begin_part(struct conn_state *st, const char *key, const char *filename)
{
	struct req *r = &st->req;
	end_file(st);
	st->part_open = true;
	st->part_skip = false;
	st->part_next_off = 0;
	/* Bounded before anything is kept: a body of many parts with long names
	 * must cost no more than its cap. */
	if (++st->nparts > PARTS_MAX || !key || strlen(key) > FORM_MAX_NAME ||
	    (filename && strlen(filename) > PART_FILENAME_MAX)) {
		st->bad_form = true;
		return;
	}
	snprintf(st->part_key, sizeof st->part_key, "%s", key);
	st->part_has_file = filename != NULL;
	snprintf(st->part_file, sizeof st->part_file, "%s", filename ? filename : "");
	if (!filename) {
		if (!st->fields)
			st->fields = calloc(FORM_MAX_FIELDS, sizeof *st->fields);
		if (!st->fields || st->nfields == FORM_MAX_FIELDS || !key || !*key || strlen(key) > FORM_MAX_NAME) {
			st->bad_form = true;
			return;
		}
		struct mp_field *f = &st->fields[st->nfields];
		f->name = arena_strdup(&r->arena, key);
		buf_init(&f->value, BODY_CAP_REPORT);
		f->value.secret = true;
		if (!f->name)
			st->bad_form = true;
		else
			st->nfields++;
		return;
	}
	if (!*filename) {
		st->part_skip = true; /* a file input left empty */
		return;
	}
	if (r->nuploads == FILES_MAX) {
		r->uploads_too_many = true;
		st->part_skip = true;
		return;
	}
	int64_t left = FILES_TOTAL_BYTES - st->file_bytes;
	struct upload *u = NULL;
	/* A failure to begin is in upload_error(u); the page says so. */
	upload_begin(r->vd, filename, left < FILE_MAX_BYTES ? left : FILE_MAX_BYTES, &u);
	if (!u) {
		st->bad_form = true;
		return;
	}
	r->uploads[r->nuploads++] = u;
	st->cur = u;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
			       const char *content_type, const char *transfer_encoding, const char *data,
			       uint64_t off, size_t size)
{
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	struct conn_state *st = cls;
	if (st->bad_form || st->too_big)
		return MHD_YES;
	/* Pieces of one part come with growing offsets; offset 0 after data,
	 * or under another name, starts the next part. */
	bool same = st->part_open && strcmp(st->part_key, key ? key : "") == 0 &&
		    (filename ? st->part_has_file && strcmp(st->part_file, filename) == 0 : !st->part_has_file);
	if (!same || (off == 0 && st->part_next_off != 0))
		begin_part(st, key, filename);
	if (off != st->part_next_off)
		st->bad_form = true;
	st->part_next_off = off + size;
	if (st->bad_form || !size || st->part_skip)
		return MHD_YES;
	if (!st->part_has_file) {
		struct mp_field *f = &st->fields[st->nfields - 1];
		st->text_bytes += size;
		if (st->text_bytes > BODY_CAP_REPORT || buf_append(&f->value, data, size) != VD_OK)
			st->too_big = true;
		return MHD_YES;
	}
	if (st->cur) {
		upload_write(st->cur, data, size);
		st->file_bytes += (int64_t)size;
	}
	return MHD_YES;
}

/* The boundary parameter of a multipart Content-Type, as the closing
 * delimiter "--<boundary>--" (RFC 2046: 1 to 70 characters, maybe quoted). */
static bool closing_delimiter(const char *ct, char out[80])
{
	const char *b = ct ? strcasestr(ct, "boundary=") : NULL;
	if (!b)
		return false;
	b += strlen("boundary=");
	bool quoted = *b == '"';
	b += quoted;
	size_t n = strcspn(b, quoted ? "\"" : "; \t");
	if (n < 1 || n > 70)
		return false;
	snprintf(out, 80, "--%.*s--", (int)n, b);
	return true;
}

/* Keeps the last bytes of the body. */
static void keep_tail(struct conn_state *st, const char *data, size_t n)
{
	size_t cap = sizeof st->tail;
	if (n >= cap) {
		memcpy(st->tail, data + n - cap, cap);
		st->tail_len = cap;
		return;
	}
	if (st->tail_len + n > cap) {
		size_t drop = st->tail_len + n - cap;
		memmove(st->tail, st->tail + drop, st->tail_len - drop);
		st->tail_len -= drop;
	}
	memcpy(st->tail + st->tail_len, data, n);
	st->tail_len += n;
}

/* Did the body end with its closing delimiter (and at most a line break)?
 * libmicrohttpd's parser takes a body without any boundary line as a
 * preamble and finds nothing wrong; a body that was cut off or made for
 * another boundary never gets here. */
static bool body_closed(const struct conn_state *st)
{
	size_t n = st->tail_len;
	while (n && (st->tail[n - 1] == '\r' || st->tail[n - 1] == '\n'))
		n--;
	size_t d = strlen(st->close_delim);
	return d && n >= d && memcmp(st->tail + n - d, st->close_delim, d) == 0;
}

/* The body is in: the text fields become r->form, like a urlencoded body. */
static void end_multipart(struct conn_state *st)
{
	struct req *r = &st->req;
	if (st->pp && MHD_destroy_post_processor(st->pp) != MHD_YES)
		st->bad_form = true;
	st->pp = NULL;
	if (!body_closed(st))
		st->bad_form = true;
	end_file(st);
	if (st->bad_form || st->too_big)
		return;
	r->form.items = arena_alloc(&r->arena, (st->nfields ? st->nfields : 1) * sizeof *r->form.items);
	if (!r->form.items) {
		st->bad_form = true;
		return;
	}
	r->form.n = 0;
	for (size_t i = 0; i < st->nfields; i++) {
		struct mp_field *f = &st->fields[i];
		const char *v = f->value.data ? f->value.data : "";
		/* the same rules as form_parse: valid UTF-8, no NUL */
		if (!text_valid_utf8(v, f->value.len) || strlen(v) != f->value.len ||
		    !text_valid_utf8(f->name, strlen(f->name))) {
			st->bad_form = true;
			return;
		}
		char *copy = arena_strndup(&r->arena, v, f->value.len);
		if (!copy) {
			st->bad_form = true;
			return;
		}
		r->form.items[r->form.n++] = (struct kv){ f->name, copy, f->value.len };
	}
}

/* The first access-handler call: headers are in. */
static void state_headers(struct server *srv, struct conn_state *st, struct MHD_Connection *c,
			  const char *method)
{
	struct req *r = &st->req;
	st->seen = true;
	r->method = parse_method(method);
	size_t header_bytes = 0;
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_header_size, &header_bytes);
	if (header_bytes > HEADER_CAP)
		st->too_big = true;

	/* Cookies first: they decide the language and the body cap. */
	const char *cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	if (cookie && cookie_parse(&r->arena, cookie, strlen(cookie), &r->cookies) != VD_OK)
		r->cookies.n = 0;
	r->lang = i18n_lang(kv_get(&r->cookies, "vd_lang"));
	read_source(r, c);
	if (app_config(srv->vd)->trust_proxy) {
		/* The address our proxy appended is the last element of the last
		 * X-Forwarded-For line: everything before it came from the client. */
		const char *fwd = NULL;
		MHD_get_connection_values(c, MHD_HEADER_KIND, last_forwarded, &fwd);
		if (fwd) {
			const char *last = strrchr(fwd, ',');
			last = last ? last + 1 : fwd;
			while (*last == ' ')
				last++;
			r->source = (const unsigned char *)arena_strdup(&r->arena, last);
			r->source_len = r->source ? strlen((const char *)r->source) : 0;
		}
	}

	/* The larger body cap is for a valid session only, so it is looked up now
	 * (for a POST; other methods carry no body worth reading). */
	if (r->method == M_POST)
		req_load_session(r);
	size_t cap = r->who ? app_config(srv->vd)->max_body_bytes : BODY_CAP_ANON;
	bool found = false;
	const struct route *rt = router_match(r, r->path, &found);
	if (rt && (rt->flags & R_BIGBODY) && cap < BODY_CAP_REPORT)
		cap = BODY_CAP_REPORT;
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	if (r->method == M_POST && rt && (rt->flags & R_UPLOAD) && type_is(ct, "multipart/form-data")) {
		st->multipart = true;
		/* Files only where they may be sent: a public form, or a session whose
		 * role the route takes. Anyone else gets the small cap (and then the
		 * login page or a 403 from the router). */
		bool may = (rt->flags & R_PUBLIC) ||
			   (r->who && (rt->flags & R_ANYROLE || rt->roles & ROLE_BIT(r->user->role)));
		if (may)
			cap = BODY_CAP_UPLOAD;
	}
	st->body_cap = cap;
	buf_init(&st->body, cap);
	st->body.secret = true;
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	int64_t len = 0;
	if (cl && (text_parse_i64(cl, 0, INT64_MAX, &len) != VD_OK || (uint64_t)len > cap))
		st->too_big = true;
	if (r->method == M_POST && !st->multipart && !type_is(ct, "application/x-www-form-urlencoded"))
		st->bad_type = true;
	if (st->multipart && !st->too_big) {
		/* The parser's buffer bounds what it holds of a part head; values
		 * longer than it come to on_part in pieces. */
		st->pp = MHD_create_post_processor(c, 16 * 1024, on_part, st);
		if (!st->pp || !closing_delimiter(ct, st->close_delim))
			st->bad_form = true; /* no boundary, or a malformed type */
	}
}

static void access_log(struct req *r, int status, size_t bytes, const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long usec = (long long)(now.tv_sec - start->tv_sec) * 1000000 +
			 (now.tv_nsec - start->tv_nsec) / 1000;
	log_event(LOG_INFO, "request", LF_METHOD, method_name(r->method), LF_ROUTE,
		  r->route ? r->route->pattern : "-", LF_STATUS, status, LF_BYTES, (long long)bytes,
		  LF_USEC, usec, LF_END);
}

/* A POST's route, with its form (a multipart one is parsed already). */
static void dispatch_post(struct conn_state *st)
{
	struct req *r = &st->req;
	if (!st->multipart && form_parse(&r->arena, st->body.data ? st->body.data : "", st->body.len, &r->form) != VD_OK)
		req_error(r, 400);
	else
		router_dispatch(r);
}

/* The same on a worker; the connection waits, suspended. The session is
 * checked again: it may have ended while the POST waited. */
static void run_post(void *arg)
{
	struct conn_state *st = arg;
	struct req *r = &st->req;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - st->start.tv_sec > POST_WAIT_MAX_S) {
		req_unavailable(r, "5");
	} else {
		r->who = NULL;
		r->user = NULL;
		r->session_token = NULL;
		req_load_session(r);
		dispatch_post(st);
	}
	st->dispatched = true;
	MHD_resume_connection(st->conn);
}

enum handing { HANDED, IN_PLACE, TOO_MANY };

/* Hands the POST to a worker: HANDED (the caller returns, and libmicrohttpd
 * calls again once it is done), IN_PLACE while stopping, TOO_MANY when the
 * workers have POSTS_WAITING_MAX waiting already. */
static enum handing post_to_worker(struct server *srv, struct MHD_Connection *c, struct conn_state *st)
{
	pthread_mutex_lock(&srv->lock);
	enum handing h = srv->stopping ? IN_PLACE : srv->posts >= POSTS_WAITING_MAX ? TOO_MANY : HANDED;
	if (h == HANDED) {
		srv->posts++;
		st->handed = true;
		st->conn = c;
		st->job = (struct worker_job){ .run = run_post, .arg = st };
		MHD_suspend_connection(c);
		workers_submit(srv->workers, &st->job);
	}
	pthread_mutex_unlock(&srv->lock);
	return h;
}

/* A POST's route: on a worker if it can, else here. true if it went. */
static bool post(struct server *srv, struct MHD_Connection *c, struct conn_state *st)
{
	enum handing h = post_to_worker(srv, c, st);
	if (h == IN_PLACE)
		dispatch_post(st);
	else if (h == TOO_MANY)
		req_unavailable(&st->req, "5");
	return h == HANDED;
}

static enum MHD_Result finish(struct server *srv, struct MHD_Connection *c, struct conn_state *st)
{
	struct req *r = &st->req;
	const char *key = NULL;
	int64_t gen = 0;

	if (st->dispatched) {
		/* back from the worker: answer */
	} else if (st->too_long) {
		req_error(r, 414);
	} else if (st->too_big) {
		req_error(r, 413);
	} else if (st->bad_query) {
		req_error(r, 400);
	} else if (r->method == M_OTHER) {
		bool found = false;
		r->route = router_match(r, r->path, &found);
		if (!found)
			r->route = NULL;
		req_error(r, found ? 405 : 404);
	} else {
		bool found = false;
		r->route = router_match(r, r->path, &found);
		if (r->route && (key = cache_key(r))) {
			gen = app_content_generation(r->vd);
			size_t bytes = 0;
			if (cache_serve(c, key, gen, &bytes)) {
				st->from_cache = true;
				access_log(r, 200, bytes, &st->start);
				return MHD_YES;
			}
		}
		if (r->method == M_POST && st->bad_type && r->route) {
			req_error(r, 415);
		} else if (r->method == M_POST && r->route && st->multipart) {
			end_multipart(st);
			if (st->too_big)
				req_error(r, 413);
			else if (st->bad_form)
				req_error(r, 400);
			else if (post(srv, c, st))
				return MHD_YES;
		} else if (r->method == M_POST && r->route) {
			if (post(srv, c, st))
				return MHD_YES;
		} else {
			router_dispatch(r);
		}
	}

	size_t bytes = r->download && r->status == 200 ? (size_t)r->download_size : r->out.len;
	struct MHD_Response *resp = build_response(r);
	if (!resp)
		return MHD_NO;
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
	if (key && r->cacheable && r->status == 200)
		cache_store(key, gen, resp, bytes); /* the cache keeps our reference */
	else
		MHD_destroy_response(resp);
	access_log(r, r->status, bytes, &st->start);
	return ret;
}

static bool r_is_post(const struct conn_state *st)
{
	return st->req.method == M_POST;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	(void)version;
	(void)url;
	struct server *srv = cls;
	struct conn_state *st = *con_cls;
	if (!st)
		return MHD_NO; /* out of memory in on_uri */
	if (!st->seen) {
		state_headers(srv, st, c, method);
		/* A request refused on its head is answered now, before any body is
		 * read (the connection then closes, which is what we want). Anything
		 * else is answered in a later call, keeping keep-alive (DESIGN.md §5). */
		if (st->too_big || st->too_long || st->bad_query || (r_is_post(st) && st->bad_type))
			return finish(srv, c, st);
		return MHD_YES;
	}
	if (*upload_data_size) {
		st->body_bytes += *upload_data_size;
		if (st->body_bytes > st->body_cap)
			st->too_big = true;
		if (st->too_big) {
			buf_release_wipe(&st->body);
		} else if (st->multipart) {
			keep_tail(st, upload_data, *upload_data_size);
			if (!st->bad_form && MHD_post_process(st->pp, upload_data, *upload_data_size) != MHD_YES)
				st->bad_form = true;
		} else if (buf_append(&st->body, upload_data, *upload_data_size) != VD_OK) {
			st->too_big = true;
			buf_release_wipe(&st->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	return finish(srv, c, st);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	(void)c;
	(void)toe;
	struct conn_state *st = *con_cls;
	if (!st)
		return;
	if (st->handed) {
		pthread_mutex_lock(&srv->lock);
		srv->posts--;
		pthread_cond_broadcast(&srv->answered);
		pthread_mutex_unlock(&srv->lock);
	}
	/* Everything a request held is wiped: form fields (passwords among them),
	 * decrypted case content in the arena, and the answer, which may show a
	 * one-time password or a case. Cheap: only the bytes used are zeroed. */
	if (st->pp)
		MHD_destroy_post_processor(st->pp);
	for (size_t i = 0; i < st->nfields; i++)
		buf_release_wipe(&st->fields[i].value);
	free(st->fields);
	/* Files the core did not keep are removed from files/tmp. */
	for (size_t i = 0; i < st->req.nuploads; i++)
		upload_discard(st->req.vd, st->req.uploads[i]);
	if (st->req.download)
		file_reader_close(st->req.download);
	if (st->from_cache) {
		buf_release(&st->body);
		buf_release(&st->req.out);
		arena_release(&st->req.arena);
	} else {
		buf_release_wipe(&st->body);
		buf_release_wipe(&st->req.out);
		arena_release_wipe(&st->req.arena);
	}
	free(st);
	*con_cls = NULL;
}

/* libmicrohttpd's own messages go through our allowlisted log: only its
 * constant format string is written, never the formatted arguments (which
 * may hold request data). */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	(void)ap;
	char what[160];
	size_t n = strcspn(fmt, "\n");
	snprintf(what, sizeof what, "%.*s", (int)(n < sizeof what ? n : sizeof what - 1), fmt);
	log_event(LOG_WARN, "http-library", LF_WHAT, what, LF_END);
}

int server_start(struct vd *vd, const char *addr, struct server **out, char *err, size_t errlen)
{
	struct server *srv = calloc(1, sizeof *srv);
	if (!srv)
		return VD_ERR_NOMEM;
	srv->vd = vd;
	struct sockaddr_in sin;
	enum address_fault fault = address_parse(addr, &sin);
	if (fault != ADDRESS_OK) {
		snprintf(err, errlen, fault == ADDRESS_NOT_HOST_PORT ? "bad listen address '%.60s' (want HOST:PORT)"
								    : "bad listen address '%.60s' (want an IPv4 address and a port)",
			 addr);
		free(srv);
		return VD_ERR_INVALID;
	}
	/* ITC: server_stop quiesces the daemon (stops accepting) first */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_USE_ITC;
	/* as many workers for POSTs as event threads: an Argon2id is a core's work */
	srv->workers = workers_start((unsigned)app_config(vd)->threads);
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->answered, NULL);
	if (!srv->workers) {
		snprintf(err, errlen, "cannot start the worker threads");
		pthread_cond_destroy(&srv->answered);
		pthread_mutex_destroy(&srv->lock);
		free(srv);
		return VD_ERR_NOMEM;
	}
	srv->daemon = MHD_start_daemon(flags, ntohs(sin.sin_port), NULL, NULL, on_request, srv,
				       MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv, /* must come first */
				       MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
				       MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app_config(vd)->threads,
				       MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY_LIMIT,
				       MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
				       /* Behind a proxy every connection has the proxy's address. */
				       MHD_OPTION_PER_IP_CONNECTION_LIMIT, app_config(vd)->trust_proxy ? 0u : 128u,
				       MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
				       MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
				       MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
				       MHD_OPTION_END);
	if (!srv->daemon) {
		snprintf(err, errlen, "cannot listen on %.60s (in use, or not allowed)", addr);
		workers_stop(srv->workers);
		pthread_cond_destroy(&srv->answered);
		pthread_mutex_destroy(&srv->lock);
		free(srv);
		return VD_ERR_IO;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : (int)ntohs(sin.sin_port);
	*out = srv;
	return VD_OK;
}

void server_stop(struct server *srv)
{
	if (!srv)
		return;
	/* No new connections; the POSTs handed over so far run and their answers
	 * go out (for STOP_WAIT_S at most); a POST arriving meanwhile on an open
	 * connection runs in place. */
	MHD_socket listening = MHD_quiesce_daemon(srv->daemon);
	pthread_mutex_lock(&srv->lock);
	srv->stopping = true;
	pthread_mutex_unlock(&srv->lock);
	workers_stop(srv->workers);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += STOP_WAIT_S;
	pthread_mutex_lock(&srv->lock);
	while (srv->posts > 0 && pthread_cond_timedwait(&srv->answered, &srv->lock, &until) == 0)
		;
	pthread_mutex_unlock(&srv->lock);
	MHD_stop_daemon(srv->daemon);
	if (listening != MHD_INVALID_SOCKET)
		close(listening);
	pthread_cond_destroy(&srv->answered);
	pthread_mutex_destroy(&srv->lock);
	page_cache_clear();
	free(srv);
}

int server_port(const struct server *srv)
{
	return srv->port;
}
