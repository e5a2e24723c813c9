/* config_file: changing vertrouwd.conf's store lines (config_file.h). */
#include "internal/config_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/buf.h"
#include "../util/errors.h"
#include "../util/io.h"
#include "app.h"
#include "internal/app.h"
#include "internal/backup.h"
#include "internal/config.h"

#define CONF_MAX (1 << 20)

int config_switch_store(const char *dir, const char *store_url)
{
	char path[4096], part[4110];
	if (backup_path(path, sizeof path, dir, VD_CONF_FILE) != VD_OK)
		return VD_ERR_TOOBIG;
	snprintf(part, sizeof part, "%s.XXXXXX", path);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size > CONF_MAX) {
		if (fd >= 0)
			close(fd);
		return VD_ERR_IO;
	}
	char *old = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	int rc = old ? io_read_all(fd, old, (size_t)st.st_size, &got) : VD_ERR_NOMEM;
	close(fd);
	struct buf out;
	buf_init(&out, CONF_MAX + 4096);
	for (size_t at = 0; rc == VD_OK && at < got;) {
		const char *nl = memchr(old + at, '\n', got - at);
		size_t n = nl ? (size_t)(nl - (old + at)) : got - at;
		bool url = config_line_sets(old + at, n, "store_url"); /* dropped: it may hold a password */
		if (!url && config_line_sets(old + at, n, "store"))
			rc = buf_puts(&out, store_url ? "# before migrate-store: " : "# in the backup: ");
		if (rc == VD_OK && !url)
			rc = buf_append(&out, old + at, n);
		if (rc == VD_OK && !url)
			rc = buf_putc(&out, '\n');
		at += n + 1;
	}
	char day[16];
	time_t now = time(NULL);
	strftime(day, sizeof day, "%Y-%m-%d", gmtime(&now));
	if (rc == VD_OK && store_url)
		rc = buf_printf(&out,
				"\n# Set by `vertrouwd migrate-store` on %s: the records are in PostgreSQL now.\n"
				"# vertrouwd.db is what they were copied from (see docs/operations.md).\n"
				"store = postgres\nstore_url = %s\n",
				day, store_url);
	else if (rc == VD_OK)
		rc = buf_printf(&out,
				"\n# Set by `vertrouwd restore` on %s: the backup's records are in vertrouwd.db\n"
				"# (SQLite). To move them into an empty PostgreSQL database:\n"
				"# vertrouwd migrate-store DIR --store-url CONNINFO (docs/operations.md).\n",
				day);
	if (rc == VD_OK) {
		/* a name of its own (a file an interrupted run left is not in the
		 * way), with the old file's owner and mode (the service reads it) */
		fd = mkostemp(part, O_CLOEXEC);
		rc = fd >= 0 ? io_write_all(fd, out.data, out.len) : VD_ERR_IO;
		if (rc == VD_OK && (fchmod(fd, st.st_mode & 07777) != 0 ||
				    (fchown(fd, st.st_uid, st.st_gid) != 0 && st.st_uid != geteuid())))
			rc = VD_ERR_IO;
		if (fd >= 0 && (fsync(fd) != 0 || close(fd) != 0))
			rc = VD_ERR_IO;
		if (rc == VD_OK && rename(part, path) != 0)
			rc = VD_ERR_IO;
		if (rc && fd >= 0)
			unlink(part);
		else
			backup_sync_dir(dir);
	}
	buf_release_wipe(&out); /* the connection string may hold a password */
	if (old)
		crypto_wipe(old, got);
	free(old);
	return rc;
}

