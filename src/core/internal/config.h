/* internal/config: reading vertrouwd.conf (see ../config.h), for app.c. */
#ifndef VD_INTERNAL_CONFIG_H
#define VD_INTERNAL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "../config.h"

void config_defaults(struct config *c);
/* Reads path over the defaults. On error, *line is the line (0: file) and
 * err holds a short English reason. */
int config_load(struct config *c, const char *path, int *line, char *err, size_t errlen);
/* The longest line config_load reads, its newline included. */
#define CONFIG_LINE_MAX 512
/* Whether the n bytes of line (no newline) set key, as config_load reads
 * them (config_file.c finds the lines it changes this way). */
bool config_line_sets(const char *line, size_t n, const char *key);
/* The commented file that `vertrouwd init` writes. */
const char *config_template(void);

#endif
