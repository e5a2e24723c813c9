/* errors: see errors.h. */
#include "errors.h"

const char *vd_strerror(int err)
{
	switch (err) {
	case VD_OK: return "ok";
	case VD_ERR_NOMEM: return "out of memory";
	case VD_ERR_INVALID: return "invalid input";
	case VD_ERR_NOTFOUND: return "not found";
	case VD_ERR_EXISTS: return "already exists";
	case VD_ERR_DENIED: return "not allowed";
	case VD_ERR_STORE: return "database error";
	case VD_ERR_IO: return "file or system error";
	case VD_ERR_TOOBIG: return "too large";
	case VD_ERR_THROTTLED: return "too many attempts";
	case VD_ERR_TOONEW: return "data from a newer version";
	case VD_ERR_AUTH: return "wrong credentials";
	case VD_ERR_BUSY: return "database busy";
	case VD_ERR_INUSE: return "still in use";
	case VD_ERR_NOKEY: return "no key to open it";
	case VD_ERR_MISUSE: return "called wrongly";
	}
	return "unknown error";
}
