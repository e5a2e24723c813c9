/* migrate_store: see migrate_store.h. */
#include "migrate_store.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/address.h"
#include "../util/buf.h"
#include "../util/errors.h"
#include "../util/io.h"
#include "internal/app.h"
#include "internal/audit.h"
#include "internal/backup.h"
#include "internal/config_file.h"

/* Whether something accepts connections on the config's listen address: a
 * server still running would go on writing into the SQLite database, and
 * what it wrote after the copy would be lost. */
static bool server_answers(const char *listen)
{
	struct sockaddr_in sin;
	if (address_parse(listen, &sin) != ADDRESS_OK)
		return false;
	if (sin.sin_addr.s_addr == htonl(INADDR_ANY))
		inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	bool answers = connect(fd, (struct sockaddr *)&sin, sizeof sin) == 0;
	close(fd);
	return answers;
}

/* The database to fill must be new (no table at all), or hold vertrouwd's
 * tables of this version, empty (left by a move that failed: store_copy
 * checks they are empty). Anything else is never written into. */
static int ready_to_fill(struct store *to, char *err, size_t errlen)
{
	int64_t tables = 0;
	int version = 0;
	int rc = to->ops->table_count(to, &tables);
	if (rc == VD_OK)
		rc = to->ops->schema_version(to, &version);
	if (rc) {
		snprintf(err, errlen, "cannot read the PostgreSQL database of --store-url");
		return rc;
	}
	if (tables == 0 || version == STORE_SCHEMA_VERSION)
		return VD_OK;
	snprintf(err, errlen, version ? "the PostgreSQL database holds another version's records (schema %d): give an "
					"empty one (nothing was changed)"
				      : "the PostgreSQL database has tables of something else: give an empty one (nothing "
					"was changed)",
		 version);
	return VD_ERR_EXISTS;
}

static const char *copy_failure(int rc)
{
	switch (rc) {
	case VD_ERR_EXISTS: return "the PostgreSQL database holds records already: give an empty one (nothing was copied)";
	case VD_ERR_TOONEW: return "the two databases have different schema versions (nothing was copied)";
	case VD_ERR_BUSY: return "the SQLite database is in use: stop the server first (nothing was copied)";
	case VD_ERR_STORE:
		return "the copy did not read back the same, or PostgreSQL refused a row (nothing was copied)";
	default: return "the copy failed (nothing was copied)";
	}
}

int migrate_to_postgres(const char *dir, const char *store_url, struct migration_summary *out, char *err,
			size_t errlen)
{
	memset(out, 0, sizeof *out);
	int rc = app_store_url_check(store_url, err, errlen);
	struct vd *vd = NULL;
	if (rc == VD_OK)
		rc = app_open(dir, 1, &vd, err, errlen);
	if (rc)
		return rc;
	if (vd->cfg.store_postgres) {
		snprintf(err, errlen, "%s is on PostgreSQL already (store = postgres in its config)", dir);
		app_close(vd);
		return VD_ERR_INVALID;
	}
	if (server_answers(vd->cfg.listen)) {
		snprintf(err, errlen, "a server answers on %s: stop vertrouwd serve first", vd->cfg.listen);
		app_close(vd);
		return VD_ERR_BUSY;
	}
	struct store *from = vd->store, *to = NULL;
	rc = store_postgres_open(store_url, &to);
	if (rc)
		snprintf(err, errlen, "cannot connect to the PostgreSQL database of --store-url");
	if (rc == VD_OK && (rc = ready_to_fill(to, err, errlen)) == VD_OK &&
	    (rc = to->ops->migrate(to, NULL, NULL)) != VD_OK)
		snprintf(err, errlen, "cannot make the tables in the PostgreSQL database");
	/* SQLite's write lock held till the config says postgres: nothing is
	 * written into the old database after the moment it is copied */
	if (rc == VD_OK && (rc = from->ops->begin(from)) != VD_OK)
		snprintf(err, errlen, "%s", copy_failure(VD_ERR_BUSY));
	bool locked = rc == VD_OK;
	struct store_copy_counts counts;
	if (rc == VD_OK && (rc = store_copy(from, to, crypto_digest, &counts)) != VD_OK)
		snprintf(err, errlen, "%s", copy_failure(rc));
	if (rc == VD_OK) {
		out->rows = counts.total;
		out->cases = counts.rows[store_table_index("cases")];
		out->audit = counts.rows[store_table_index("audit_log")];
		from->ops->schema_version(from, &out->schema);
		/* from here on the installation is the PostgreSQL one */
		vd->store = to;
		to = from;
		rc = vd->store->ops->begin(vd->store);
		if (rc == VD_OK)
			rc = app_end(vd, audit_record(vd, 0, "store.migrate", "installation", 0), 0);
		if (rc)
			snprintf(err, errlen, "the records were copied, but the audit log in PostgreSQL could not record it");
	}
	if (rc == VD_OK && (rc = config_switch_store(vd->dir, store_url)) != VD_OK)
		snprintf(err, errlen,
			 "the records were copied, but %s/%s could not be changed: set store = postgres and store_url "
			 "in it yourself",
			 dir, VD_CONF_FILE);
	if (locked)
		from->ops->rollback(from);
	store_close(to);
	app_close(vd);
	return rc;
}
