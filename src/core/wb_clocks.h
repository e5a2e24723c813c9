/*
 * wb_clocks: the two clocks of a report of suspected wrongdoing (issue 10;
 * Wet bescherming klokkenluiders art. 2 and seed 002): the reporter gets an
 * acknowledgement within 7 days of receipt, and feedback within 3 months
 * of the acknowledgement, or of day 7 when none was sent.
 *
 * Both are statutory terms, so the Algemene termijnenwet applies (terms.h):
 * an end on a weekend or holiday moves to the next working day. "Day 7"
 * as the start of the feedback term is the seventh day itself, not a day
 * the Atw moved: the law counts from when the acknowledgement was due.
 */
#ifndef VD_WB_CLOCKS_H
#define VD_WB_CLOCKS_H

#include <stdint.h>

#include "terms.h"

#define WB_ACK_DAYS 7
#define WB_FEEDBACK_MONTHS 3

/* The acknowledgement term of a report received on day received. */
void wb_ack_term(int64_t received, struct term *out);

/* The feedback term: from acknowledged (DATE_NONE: none was sent, so from
 * day 7 after receipt). */
void wb_feedback_term(int64_t received, int64_t acknowledged, struct term *out);

#endif
