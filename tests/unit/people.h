/* people: a data directory with units, staff with key pairs and reports,
 * and raw looks at its database, for the unit tests of the core's modules
 * that work on cases and complaints. */
#ifndef VD_PEOPLE_H
#define VD_PEOPLE_H

#include <sqlite3.h>
#include <string.h>

#include "../../src/core/accounts.h"
#include "../../src/core/cases.h"
#include "../../src/core/files.h"
#include "../../src/core/internal/throttle.h"
#include "../../src/core/units.h"
#include "../../src/util/date.h"
#include "fixture.h"

/* A fresh data directory, the throttles and the clock as new. */
static inline struct vd *open_fresh(char path[128])
{
	throttle_reset_all();
	clock_set_offset(0);
	return fixture_open(path);
}

static inline int64_t add_unit(struct vd *vd, const char *name, int64_t parent)
{
	int64_t id = 0;
	if (unit_add(vd, &principal_system, name, parent ? "province" : "national", parent, &id))
		return 0;
	return id;
}

static inline int64_t add_account(struct vd *vd, const char *name, const char *email, enum vd_role role, int64_t unit,
				  char pw[ACTIVATION_PASSWORD_LEN + 1])
{
	struct account_input in = { .name = name, .email = email, .role = role,
				    .units = { &unit, unit ? 1 : 0 }, .active = 1 };
	int64_t id = 0;
	enum account_field bad;
	if (account_create(vd, &principal_system, &in, &id, pw, &bad))
		return 0;
	return id;
}

static const struct login_attempt from_s1 __attribute__((unused)) = { "s1", 2, NULL };

/* A staff user with a key pair, as their first own password makes it. */
static inline int user_with_keys(struct vd *vd, const char *name, const char *email, enum vd_role role, int64_t unit,
				 const char *password, int64_t *id)
{
	char act[ACTIVATION_PASSWORD_LEN + 1];
	*id = add_account(vd, name, email, role, unit, act);
	if (!*id)
		return VD_ERR_STORE;
	struct principal me = actor(*id, role);
	struct password_change pc = { act, password, NULL, false };
	enum account_field bad;
	int64_t retry;
	struct password_changed done;
	int rc = account_change_password(vd, &me, &pc, &from_s1, &bad, &retry, &done);
	crypto_wipe(&done, sizeof done);
	return rc;
}

/* Is any of the markers in the database file or its WAL? */
static inline bool db_has_any(const char *dir, const char *const *markers, size_t n)
{
	const char *files[] = { "vertrouwd.db", "vertrouwd.db-wal" };
	for (size_t f = 0; f < 2; f++) {
		char p[200];
		snprintf(p, sizeof p, "%s/%s", dir, files[f]);
		for (size_t m = 0; m < n; m++)
			if (file_has(p, markers[m]))
				return true;
	}
	return false;
}

/* A finished upload of the bytes, ready to go with a report or message. */
static inline struct upload *upload_of(struct vd *vd, const char *name, const void *data, size_t n)
{
	struct upload *u = NULL;
	if (upload_begin(vd, name, FILE_MAX_BYTES, &u) != VD_OK)
		return u;
	upload_write(u, data, n);
	upload_finish(u);
	return u;
}

/* A report for unit, addressed to counsellor (0: any of the unit). */
static inline int submit(struct vd *vd, int64_t unit, int64_t counsellor, bool named, const char *account, int64_t *id,
		  char code[RECEIPT_TEXT_LEN + 1])
{
	struct report_input in = {
		.unit_id = unit, .counsellor_id = counsellor, .named = named, .account = account,
		.location = "online", .relation = "colleague", .reporter_type = "member", .behaviours = 1,
		.channel = "web",
	};
	if (named) {
		in.name = "FWD-NAME-5R";
		in.email = "fwd-mail-5r@example.org";
		in.phone = "0612345678";
		in.contact_pref = "FWD-PREF-5R";
		in.when = "FWD-WHEN-5R";
		in.hopes = "FWD-HOPES-5R";
	}
	char scratch[RECEIPT_TEXT_LEN + 1];
	struct report_errors errs;
	return report_submit(vd, &in, id, code ? code : scratch, &errs);
}

/* Audit entries with action on the object of kind with id. */
static inline int64_t audit_count_of(struct vd *vd, const char *action, const char *kind, int64_t id)
{
	struct arena a;
	arena_init(&a, 0);
	struct audit_recs l;
	int64_t after = 0, n = 0;
	for (;;) {
		if (vd->store->ops->audit_after(vd->store, &a, after, 500, &l) != VD_OK) {
			n = -1;
			break;
		}
		for (size_t i = 0; i < l.n; i++) {
			const struct audit_rec *r = &l.items[i];
			if (strcmp(r->action, action) == 0 && strcmp(r->object_kind, kind) == 0 && r->object_id == id)
				n++;
			after = r->seq;
		}
		if (l.n < 500)
			break;
	}
	arena_release(&a);
	return n;
}

/* The first column of the first row of sql, through a connection of its own; -1 on failure. */
static inline int64_t sql_int(const char *dir, const char *sql)
{
	char db[200];
	snprintf(db, sizeof db, "%s/vertrouwd.db", dir);
	sqlite3 *h = NULL;
	int64_t v = -1;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW)
				v = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
	}
	sqlite3_close(h);
	return v;
}

/* Likewise a blob, malloc'd (NULL when there is none). */
static inline unsigned char *sql_blob(const char *dir, const char *sql, size_t *n)
{
	char db[200];
	snprintf(db, sizeof db, "%s/vertrouwd.db", dir);
	sqlite3 *h = NULL;
	unsigned char *out = NULL;
	*n = 0;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB) {
				int len = sqlite3_column_bytes(st, 0);
				out = malloc((size_t)len + 1);
				if (out) {
					memcpy(out, sqlite3_column_blob(st, 0), (size_t)len);
					*n = (size_t)len;
				}
			}
			sqlite3_finalize(st);
		}
	}
	sqlite3_close(h);
	return out;
}

/* Runs one statement on the database with a connection of its own; the sqlite3 result. */
static inline int sql_exec(const char *dir, const char *sql)
{
	char db[200];
	snprintf(db, sizeof db, "%s/vertrouwd.db", dir);
	sqlite3 *h = NULL;
	int rc = sqlite3_open(db, &h);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	sqlite3_close(h);
	return rc;
}

static inline char *repeat(const char *s, size_t times)
{
	size_t n = strlen(s);
	char *out = malloc(n * times + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < times; i++)
		memcpy(out + i * n, s, n);
	out[n * times] = '\0';
	return out;
}

/* A day as the text a form sends ("" for none), in the arena. */
static inline const char *dtext(struct arena *a, int64_t day)
{
	char s[DATE_LEN + 1];
	date_format(day, s);
	return arena_strdup(a, s);
}


/* Audit entries with action on case id. */
static inline int64_t audit_count(struct vd *vd, const char *action, int64_t id)
{
	return audit_count_of(vd, action, "case", id);
}

/* The day "YYYY-MM-DD" (DATE_NONE if it is none), and the clock frozen at
 * noon on it, local time: the tests of the procedures' clocks. */
static inline int64_t D(const char *s)
{
	int64_t d = DATE_NONE;
	date_parse(s, &d);
	return d;
}

static inline void on(const char *day)
{
	clock_freeze(date_moment(D(day), 12 * 60));
}

#endif
