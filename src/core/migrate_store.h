/*
 * migrate_store: an installation moved from its SQLite database onto a
 * PostgreSQL one (`vertrouwd migrate-store DIR --store-url CONNINFO`;
 * docs/operations.md, "Moving from SQLite to PostgreSQL").
 *
 * With the server stopped, every row is copied into the PostgreSQL
 * database, which must be empty, in one transaction there, and read back
 * and compared before it commits. Then the move is recorded in the audit
 * log, which goes on in PostgreSQL, and vertrouwd.conf is switched: its
 * store lines are commented out and `store = postgres` and `store_url`
 * added. vertrouwd.db is left as it was, to go back to (undo the two
 * lines) until it is removed; the uploaded files stay where they are.
 */
#ifndef VD_MIGRATE_STORE_H
#define VD_MIGRATE_STORE_H

#include <stddef.h>
#include <stdint.h>

struct migration_summary {
	int64_t rows;   /* rows copied, all tables */
	int64_t cases;  /* of which reports to the counsellors */
	int64_t audit;  /* and audit log entries (before the move's own) */
	int schema;     /* the schema version of both */
};

/* VD_OK when the copy is in PostgreSQL and the config says so. Refused,
 * nothing changed: a directory already on PostgreSQL, a server answering on
 * its listen address, a database that is not empty, a copy that does not
 * read back the same. err says why in one line (never the connection
 * string: it may hold a password). */
int migrate_to_postgres(const char *dir, const char *store_url, struct migration_summary *out, char *err,
			size_t errlen);

#endif
