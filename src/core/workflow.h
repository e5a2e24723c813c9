/*
 * workflow: the phases of a counsellor case and the moves between them
 * (DESIGN.md §2, seed 001): intake -> consultation -> evaluation ->
 * aftercare -> closed, from "new" when a report comes in.
 *
 * The table in workflow.c is the only place that says which move is
 * allowed; the core refuses every other one, and the case page offers
 * exactly the allowed ones. The reporter decides, so a case can be closed
 * from any open phase (they may stop at any time); a closed case can be
 * reopened into consultation, and evaluation can go back to consultation
 * when more conversations are needed.
 */
#ifndef VD_WORKFLOW_H
#define VD_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

enum phase { PH_NEW, PH_INTAKE, PH_CONSULTATION, PH_EVALUATION, PH_AFTERCARE, PH_CLOSED, PH_COUNT };

/* "new", "intake", ...: as stored (cases.phase) and as translation keys. */
extern const char *const phase_names[PH_COUNT];

/* PH_COUNT when s is not a phase. */
enum phase phase_parse(const char *s);

/* Is the move from -> to in the table? */
bool phase_move_allowed(enum phase from, enum phase to);

/* The phases reachable from from, in the table's order; returns how many. */
size_t phase_moves(enum phase from, enum phase out[PH_COUNT]);

#endif
