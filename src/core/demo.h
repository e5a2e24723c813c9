/*
 * demo: an invented organisation to try vertrouwd with — units, six internal
 * counsellors and one external, a complaints committee of three, an integrity
 * officer, a board member who reads reports and an administrator. Every name,
 * address and number is made up (example.org addresses, 000 numbers).
 */
#ifndef VD_DEMO_H
#define VD_DEMO_H

#include <stdio.h>

#include "app.h"

/* Fills an initialised, empty data directory. All demo accounts share one
 * random password, printed to out and written to DIR/demo-logins.txt (0600)
 * so that `make demo` can show it again. Demo only: never for real use. */
int demo_populate(struct vd *vd, FILE *out);

#endif
