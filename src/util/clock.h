/*
 * clock: the one clock every layer reads, in seconds since the epoch.
 *
 * One place, so that tests can move time forward (a session that expires, an
 * appointment next week) without waiting, and so that no layer reads the
 * time of day behind the others' backs.
 */
#ifndef VD_CLOCK_H
#define VD_CLOCK_H

#include <stdint.h>

int64_t clock_now(void);
/* Moves clock_now() by seconds from the system clock (tests only). */
void clock_set_offset(int64_t seconds);
/* Stops clock_now() at the moment at, so a test does not race the turn of a
 * second; 0 lets it run again (tests only). */
void clock_freeze(int64_t at);

#endif
