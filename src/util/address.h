/*
 * address: a listen address as the config writes it, "HOST:PORT" with an
 * IPv4 host ("127.0.0.1:8080"), as a socket address. The server binds it;
 * migrate-store knocks on it to find a server still running.
 */
#ifndef VD_ADDRESS_H
#define VD_ADDRESS_H

#include <netinet/in.h>

enum address_fault { ADDRESS_OK, ADDRESS_NOT_HOST_PORT, ADDRESS_NOT_IPV4 };

enum address_fault address_parse(const char *addr, struct sockaddr_in *out);

#endif
