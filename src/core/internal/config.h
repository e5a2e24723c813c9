/* internal/config: reading vertrouwd.conf (see ../config.h), for app.c. */
#ifndef VD_INTERNAL_CONFIG_H
#define VD_INTERNAL_CONFIG_H

#include <stddef.h>

#include "../config.h"

void config_defaults(struct config *c);
/* Reads path over the defaults. On error, *line is the line (0: file) and
 * err holds a short English reason. */
int config_load(struct config *c, const char *path, int *line, char *err, size_t errlen);
/* The commented file that `vertrouwd init` writes. */
const char *config_template(void);

#endif
