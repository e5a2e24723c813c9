/*
 * cmd_backup: `vertrouwd backup-key DIR KEYFILE`, `vertrouwd backup DIR FILE`
 * and `vertrouwd restore FILE DIR --key KEYFILE` (backup.h). On a terminal
 * a progress bar is drawn on stderr; elsewhere (cron, a systemd timer) only
 * the closing summary is printed, on stdout.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/backup.h"
#include "cli.h"

#define USAGE_KEY "usage: vertrouwd backup-key DIR KEYFILE"
#define USAGE_BACKUP "usage: vertrouwd backup DIR FILE"
#define USAGE_RESTORE "usage: vertrouwd restore FILE DIR --key KEYFILE"

static void draw_bytes(void *ctx, uint64_t done, uint64_t total)
{
	cli_bar_draw(ctx, done, total);
}

static const struct backup_progress *progress_for(struct cli_bar *b, struct backup_progress *p)
{
	if (!cli_bar_wanted())
		return NULL;
	p->report = draw_bytes;
	p->ctx = b;
	return p;
}

static int cmd_backup_key(int argc, char **argv)
{
	if (argc != 2) {
		cli_fail(USAGE_KEY);
		return 2;
	}
	char err[512] = "";
	if (backup_key_new(argv[0], argv[1], err, sizeof err) != 0) {
		cli_fail("%s", err);
		return 1;
	}
	printf("The backup key is made.\n"
	       "  %s: its secret half. Move it off this server now, to a safe place and not next to the\n"
	       "  backups: it is needed to restore any backup, and it opens all of them.\n"
	       "  %s/%s: the public half; backups are sealed to it.\n"
	       "Make a backup: vertrouwd backup %s FILE\n",
	       argv[1], argv[0], BACKUP_PUBLIC_FILE, argv[0]);
	return 0;
}

static int cmd_make(int argc, char **argv)
{
	if (argc != 2) {
		cli_fail(USAGE_BACKUP);
		return 2;
	}
	struct cli_bar b = { .what = "backup", .bytes = true, .last_permille = -1 };
	struct backup_progress p;
	struct backup_summary sum;
	char err[512] = "";
	int rc = backup_make(argv[0], argv[1], progress_for(&b, &p), &sum, err, sizeof err);
	cli_bar_end(&b);
	if (rc != 0) {
		cli_fail("%s", err);
		return 1;
	}
	printf("backup written to %s: %lld files, %.1f MiB before encryption, schema %d\n", argv[1],
	       (long long)sum.files, (double)sum.bytes / 1048576.0, sum.schema);
	if (sum.vanished)
		printf("%lld uploads were removed while it ran and are not in it\n", (long long)sum.vanished);
	return 0;
}

static int cmd_restore(int argc, char **argv)
{
	if (argc != 4 || strcmp(argv[2], "--key") != 0) {
		cli_fail(USAGE_RESTORE);
		return 2;
	}
	struct cli_bar b = { .what = "restore", .bytes = true, .last_permille = -1 };
	struct backup_progress p;
	struct backup_summary sum;
	char err[512] = "";
	int rc = backup_restore(argv[0], argv[3], argv[1], progress_for(&b, &p), &sum, err, sizeof err);
	cli_bar_end(&b);
	if (rc != 0) {
		cli_fail("%s; nothing was restored", err);
		return 1;
	}
	char made[32];
	time_t t = (time_t)sum.made_at;
	struct tm tm;
	strftime(made, sizeof made, "%Y-%m-%d %H:%M UTC", gmtime_r(&t, &tm));
	printf("restored into %s: a backup made %s, %lld files, %.1f MiB, schema %d; every part checked\n"
	       "audit log intact: %lld entries before the restore, head %s\n",
	       argv[1], made, (long long)sum.files, (double)sum.bytes / 1048576.0, sum.schema,
	       (long long)sum.audit_entries, sum.audit_head);
	if (sum.from_postgres)
		printf("the backup came from a PostgreSQL installation: its records are in %s/vertrouwd.db now,\n"
		       "and the config no longer names that database. To put them on PostgreSQL again:\n"
		       "vertrouwd migrate-store %s --store-url CONNINFO\n",
		       argv[1], argv[1]);
	return 0;
}

int cmd_backup(const char *which, int argc, char **argv)
{
	if (strcmp(which, "backup-key") == 0)
		return cmd_backup_key(argc, argv);
	if (strcmp(which, "restore") == 0)
		return cmd_restore(argc, argv);
	return cmd_make(argc, argv);
}
