/*
 * ids: a list of record ids, the one container every layer passes around
 * (a user's units, a case's readers).
 */
#ifndef VD_IDS_H
#define VD_IDS_H

#include <stddef.h>
#include <stdint.h>

struct id_list {
	int64_t *ids;
	size_t n;
};

#endif
