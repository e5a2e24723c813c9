/* The numbered schema migrations of the SQLite store. Entry i brings the
 * schema from version i to i+1; it runs inside one transaction. */
#ifndef VD_SQLITE_MIGRATIONS_H
#define VD_SQLITE_MIGRATIONS_H

extern const char *const sqlite_migrations[];
extern const int sqlite_migration_count;

#endif
