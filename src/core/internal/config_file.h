/*
 * internal/config_file: vertrouwd.conf changed by a command rather than by
 * hand. Its store line is commented out and its store_url lines dropped
 * (one may hold a password). With store_url, `store = postgres` and that
 * store_url are added with a note; with NULL (a restore of a PostgreSQL
 * installation's backup, whose records are now in vertrouwd.db) a note
 * only, so the directory is a SQLite one and never names the database it
 * came from. The new file is written beside the old one, with its owner and
 * mode, and renamed over it: it is the one or the other, never half.
 */
#ifndef VD_INTERNAL_CONFIG_FILE_H
#define VD_INTERNAL_CONFIG_FILE_H

int config_switch_store(const char *dir, const char *store_url);

#endif
