/*
 * exceptions: the one exception to confidentiality (DESIGN.md §3). When a
 * counsellor breaks confidentiality (serious crime, a conflict of duties),
 * they record why, condition by condition: consent was sought, there was no
 * other way, keeping silent would cause serious harm, breaking it prevents
 * that harm, the person was told beforehand, and they were referred to
 * another counsellor where possible; when the reporter was told; and who was
 * informed. The record is written once: the database refuses to change or
 * delete it (triggers), and the annual report counts it.
 */
#ifndef VD_EXCEPTIONS_H
#define VD_EXCEPTIONS_H

#include "casework.h"

enum exception_condition { EXC_CONSENT_SOUGHT, EXC_NO_OTHER_WAY, EXC_SERIOUS_HARM, EXC_HARM_PREVENTED,
			   EXC_PERSON_TOLD, EXC_REFERRED, EXC_COUNT };
extern const char *const exception_conditions[EXC_COUNT];

#define EXCEPTION_TEXT_MAX_CHARS 4000

/* Error bits: one per condition (not answered, or no explanation), then these. */
enum { EXF_TOLD = EXC_COUNT, EXF_INFORMED };

struct exception_input {
	int met[EXC_COUNT];           /* 1 met, 0 not met, -1 not answered */
	const char *why[EXC_COUNT];   /* the explanation of each answer */
	const char *told_on;          /* "YYYY-MM-DD" the reporter was told, or "" when not (yet) */
	const char *informed;         /* who was informed */
};

int case_exception_record(struct vd *vd, const struct principal *who, int64_t id,
			  const struct exception_input *in, field_errors *errs);

struct exception_view {
	int64_t at, by;
	int64_t conditions;         /* bit set of the conditions that were met */
	int64_t told_day;           /* the reporter was told (epoch day); 0: not (yet) */
	const char *why[EXC_COUNT];
	const char *informed;
};
int case_exceptions(struct vd *vd, const struct principal *who, struct arena *a, int64_t id,
		    struct exception_view **out, size_t *n);

#endif
