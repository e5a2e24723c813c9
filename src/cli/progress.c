/* progress: the command line's progress bar; see cli.h. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

bool cli_bar_wanted(void)
{
	return isatty(STDERR_FILENO);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_bar_draw(struct cli_bar *b, uint64_t done, uint64_t total)
{
	int permille = total ? (int)(done >= total ? 1000 : done * 1000 / total) : 0;
	double t = now_seconds();
	if (permille == b->last_permille || (permille < 1000 && t - b->last_at < 0.1))
		return;
	b->last_permille = permille;
	b->last_at = t;
	char cells[31];
	int full = permille * 30 / 1000;
	for (int i = 0; i < 30; i++)
		cells[i] = i < full ? '#' : '.';
	cells[30] = '\0';
	if (b->bytes)
		fprintf(stderr, "\r%s [%s] %3d%%  %.1f of %.1f MiB", b->what, cells, permille / 10,
			(double)done / 1048576.0, (double)total / 1048576.0);
	else
		fprintf(stderr, "\r%s [%s] %3d%%  %llu of %llu", b->what, cells, permille / 10,
			(unsigned long long)done, (unsigned long long)total);
	b->drawn = true;
}

void cli_bar_end(struct cli_bar *b)
{
	if (b->drawn)
		fputc('\n', stderr);
}
