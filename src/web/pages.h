/* pages: helpers shared by the page modules. */
#ifndef VD_PAGES_H
#define VD_PAGES_H

#include "../core/profiles.h"
#include "web.h"

/* Fills p_* variables for the profile form fields. */
void profile_form_vars(struct tvars *v, const struct profile *p);
/* Reads the profile form fields; VD_ERR_INVALID for a bad checkbox value. */
int profile_from_form(struct req *r, int64_t user_id, struct profile *p);
/* The translation key explaining a bad profile field. */
const char *profile_error_key(enum profile_field f);

#endif
