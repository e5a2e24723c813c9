/*
 * io: whole reads and writes on a file descriptor, retried when a signal
 * interrupts them (a short write is not an error until nothing more goes).
 */
#ifndef VD_IO_H
#define VD_IO_H

#include <stddef.h>

/* All n bytes, or VD_ERR_IO. */
int io_write_all(int fd, const void *p, size_t n);
/* Up to n bytes, stopping early only at the end of the file: *got says how
 * many came. VD_ERR_IO on a read error. */
int io_read_all(int fd, void *p, size_t n, size_t *got);

#endif
