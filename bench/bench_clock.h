/* bench_clock: the benchmarks' stopwatch (monotonic, in milliseconds). */
#ifndef VD_BENCH_CLOCK_H
#define VD_BENCH_CLOCK_H

#include <time.h>

static inline double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

#endif
