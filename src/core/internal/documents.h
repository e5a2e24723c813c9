/* internal/documents: the default texts (see ../documents.h), for init. */
#ifndef VD_INTERNAL_DOCUMENTS_H
#define VD_INTERNAL_DOCUMENTS_H

#include "../documents.h"

/* Stores the built-in default texts (data/defaults/). */
int documents_install_defaults(struct vd *vd);

#endif
