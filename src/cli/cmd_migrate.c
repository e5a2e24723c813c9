/*
 * cmd_migrate: `vertrouwd migrate-store DIR --store-url CONNINFO`, an
 * installation moved from SQLite onto an empty PostgreSQL database
 * (core/migrate_store.h; docs/operations.md).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../core/migrate_store.h"
#include "cli.h"

#define USAGE "usage: vertrouwd migrate-store DIR --store-url CONNINFO"

int cmd_migrate_store(int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "--store-url") != 0) {
		cli_fail(USAGE);
		return 2;
	}
	char err[512] = "";
	struct migration_summary sum;
	if (migrate_to_postgres(argv[0], argv[2], &sum, err, sizeof err) != 0) {
		cli_fail("%s", err);
		return 1;
	}
	printf("Moved to PostgreSQL: %" PRId64 " rows (%" PRId64 " reports, %" PRId64
	       " audit log entries), schema %d, read back and compared.\n"
	       "%s/vertrouwd.conf now says store = postgres; its old store lines are commented out.\n"
	       "Start the server again. %s/vertrouwd.db is what was copied: keep it until the server\n"
	       "runs well on PostgreSQL, then remove it (shred -u), with its -wal and -shm files.\n",
	       sum.rows, sum.cases, sum.audit, sum.schema, argv[0], argv[0]);
	return 0;
}
