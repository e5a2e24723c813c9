/* wipe: see wipe.h. */
#include "wipe.h"

#include <sodium.h>

void wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}
