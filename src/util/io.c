/* io: see io.h. */
#include "io.h"

#include <errno.h>
#include <unistd.h>

#include "errors.h"

int io_write_all(int fd, const void *p, size_t n)
{
	const unsigned char *b = p;
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return VD_ERR_IO;
		b += w;
		n -= (size_t)w;
	}
	return VD_OK;
}

int io_read_all(int fd, void *p, size_t n, size_t *got)
{
	unsigned char *b = p;
	*got = 0;
	while (*got < n) {
		ssize_t r = read(fd, b + *got, n - *got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return VD_ERR_IO;
		if (r == 0)
			break;
		*got += (size_t)r;
	}
	return VD_OK;
}
