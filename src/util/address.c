/* address: see address.h. */
#include "address.h"

#include <arpa/inet.h>
#include <string.h>

#include "text.h"

enum address_fault address_parse(const char *addr, struct sockaddr_in *out)
{
	char host[64];
	const char *colon = strrchr(addr, ':');
	int64_t port = 0;
	memset(out, 0, sizeof *out);
	if (!colon || (size_t)(colon - addr) >= sizeof host || text_parse_i64(colon + 1, 0, 65535, &port))
		return ADDRESS_NOT_HOST_PORT;
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	out->sin_family = AF_INET;
	out->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &out->sin_addr) == 1 ? ADDRESS_OK : ADDRESS_NOT_IPV4;
}
