/* wb_clocks: see wb_clocks.h. */
#include "wb_clocks.h"

#include <string.h>

#include "../util/date.h"

void wb_ack_term(int64_t received, struct term *out)
{
	memset(out, 0, sizeof *out);
	*out = (struct term){ .start = received, .length = WB_ACK_DAYS, .unit = TU_DAYS, .atw = true,
			      .met = DATE_NONE };
}

void wb_feedback_term(int64_t received, int64_t acknowledged, struct term *out)
{
	memset(out, 0, sizeof *out);
	int64_t from = acknowledged != DATE_NONE ? acknowledged : received + WB_ACK_DAYS;
	*out = (struct term){ .start = from, .length = WB_FEEDBACK_MONTHS, .unit = TU_MONTHS, .atw = true,
			      .met = DATE_NONE };
}
