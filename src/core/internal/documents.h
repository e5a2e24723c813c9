/* internal/documents: the default texts (see ../documents.h), for init. */
#ifndef VD_INTERNAL_DOCUMENTS_H
#define VD_INTERNAL_DOCUMENTS_H

#include "../documents.h"

/* Stores the built-in default texts (data/defaults/) as version 1 of
 * every kind. */
int documents_install_defaults(struct vd *vd);

/* The same for the kinds that have no version yet (one added by a newer
 * release, such as the integrity policy): at the server's start. */
int documents_install_missing(struct vd *vd);

#endif
