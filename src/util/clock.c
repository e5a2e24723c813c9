/* clock: see clock.h. */
#include "clock.h"

#include <time.h>

static int64_t clock_offset, frozen_at;

int64_t clock_now(void)
{
	return frozen_at ? frozen_at : (int64_t)time(NULL) + clock_offset;
}

void clock_freeze(int64_t at)
{
	frozen_at = at;
}

void clock_set_offset(int64_t seconds)
{
	clock_offset = seconds;
}
