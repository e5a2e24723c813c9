/* stream: file encryption as a stream of chunks; see crypto.h. */
#include <string.h>

#include <sodium.h>

#include "../util/errors.h"
#include "crypto.h"

_Static_assert(sizeof(crypto_secretstream_xchacha20poly1305_state) <= sizeof(struct crypto_stream),
	       "stream state");
_Static_assert(CRYPTO_STREAM_HEADER_LEN == crypto_secretstream_xchacha20poly1305_HEADERBYTES, "header");
_Static_assert(CRYPTO_STREAM_OVERHEAD == crypto_secretstream_xchacha20poly1305_ABYTES, "overhead");

static crypto_secretstream_xchacha20poly1305_state *state(struct crypto_stream *st)
{
	return (crypto_secretstream_xchacha20poly1305_state *)(void *)st->state;
}

void crypto_stream_push_init(struct crypto_stream *st, const unsigned char key[CRYPTO_KEY_LEN],
			     unsigned char header[CRYPTO_STREAM_HEADER_LEN])
{
	crypto_secretstream_xchacha20poly1305_init_push(state(st), header, key);
}

void crypto_stream_push(struct crypto_stream *st, const void *in, size_t n, unsigned char *out, bool final)
{
	crypto_secretstream_xchacha20poly1305_push(
	    state(st), out, NULL, in, n, NULL, 0,
	    final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
}

int crypto_stream_pull_init(struct crypto_stream *st, const unsigned char key[CRYPTO_KEY_LEN],
			    const unsigned char header[CRYPTO_STREAM_HEADER_LEN])
{
	return crypto_secretstream_xchacha20poly1305_init_pull(state(st), header, key) == 0 ? VD_OK : VD_ERR_AUTH;
}

int crypto_stream_pull(struct crypto_stream *st, const unsigned char *in, size_t n, void *out, bool *final)
{
	unsigned char tag = 0;
	if (n < CRYPTO_STREAM_OVERHEAD ||
	    crypto_secretstream_xchacha20poly1305_pull(state(st), out, NULL, &tag, in, n, NULL, 0) != 0)
		return VD_ERR_AUTH;
	*final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
	return VD_OK;
}
