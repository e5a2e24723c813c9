/* cli: the `vertrouwd` command. Each subcommand is a function returning the
 * process exit status; wrong use prints one line on stderr and returns 2. */
#ifndef VD_CLI_H
#define VD_CLI_H

#include <stdbool.h>
#include <stdint.h>

int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_report(int argc, char **argv);
/* which: "backup-key", "backup" or "restore". */
int cmd_backup(const char *which, int argc, char **argv);

int cmd_purge(int argc, char **argv);
int cmd_escrow(int argc, char **argv);
int cmd_migrate_store(int argc, char **argv);

/* A progress bar on stderr (progress.c), for a terminal only: drawn at
 * most ten times a second. bytes: done and total are bytes (shown in MiB),
 * else records. */
struct cli_bar {
	const char *what;
	bool bytes;
	int last_permille; /* -1 before the first */
	double last_at;
	bool drawn;
};
bool cli_bar_wanted(void);
void cli_bar_draw(struct cli_bar *b, uint64_t done, uint64_t total);
void cli_bar_end(struct cli_bar *b);

/* Prints "vertrouwd: <msg>" on stderr. */
void cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
